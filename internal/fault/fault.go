// Package fault defines the one error type that crosses caseboard's layers.
//
// Domain packages and the store return *Error with a Code; the HTTP layer maps
// each Code to a status in one table, shows the safe Message, and logs the
// rest. Any other error is internal: its detail is logged, never shown.
package fault

import (
	"errors"
	"fmt"
	"strings"
)

// Code classifies an error by what the caller can do about it.
type Code string

const (
	Invalid      Code = "invalid"      // the input is wrong; Fields says where
	NotFound     Code = "not_found"    // no such record, or the caller may not know it exists
	Conflict     Code = "conflict"     // the record changed or already exists
	Unauthorized Code = "unauthorized" // who the caller is could not be established
	Forbidden    Code = "forbidden"    // the caller may see the record but not do this
	Unavailable  Code = "unavailable"  // a dependency (database) cannot be reached
	Internal     Code = "internal"     // a bug or an unexpected failure
)

// Error is an error a user may be shown.
type Error struct {
	Code    Code
	Message string
	// Fields says what is wrong with each field (named as in the form or JSON
	// body), in the order the form shows them, so pages can build a GOV.UK
	// error summary.
	Fields []FieldError
	// Err is the underlying cause, logged but never shown.
	Err error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Message)
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "; %s: %s", f.Field, f.Message)
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// FieldError is one field's problem.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// FieldMessage returns the message for field, or "".
func (e *Error) FieldMessage(field string) string {
	for _, f := range e.Fields {
		if f.Field == field {
			return f.Message
		}
	}
	return ""
}

// RenameFields returns err with its fields renamed by rename, so that a
// problem found under one name is reported under the name the caller's
// form or file uses; err itself is left as it is. Errors without fields
// come back unchanged.
func RenameFields(err error, rename func(string) string) error {
	fe := As(err)
	if fe == nil || len(fe.Fields) == 0 {
		return err
	}
	renamed := *fe
	renamed.Fields = make([]FieldError, len(fe.Fields))
	for i, f := range fe.Fields {
		renamed.Fields[i] = FieldError{Field: rename(f.Field), Message: f.Message}
	}
	return &renamed
}

// Errorf returns an *Error with a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// CodeOf returns the Code of the first *Error in err's chain, or Internal.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// As returns the first *Error in err's chain, or nil.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// Validation collects per-field problems; Err returns nil when there are none.
type Validation struct {
	fields []FieldError
}

// Add records a problem with a field; the first problem per field wins, as a
// GOV.UK error summary shows one message per field.
func (v *Validation) Add(field, message string) {
	for _, f := range v.fields {
		if f.Field == field {
			return
		}
	}
	v.fields = append(v.fields, FieldError{Field: field, Message: message})
}

// Err returns an Invalid *Error listing every field problem, or nil.
func (v *Validation) Err(message string) error {
	if len(v.fields) == 0 {
		return nil
	}
	return &Error{Code: Invalid, Message: message, Fields: v.fields}
}
