package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"caseboard/internal/fault"
)

// list is the envelope of every API list that is not paged.
type list[T any] struct {
	Items []T `json:"items"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	buf := jsonBuffers.Get().(*bytes.Buffer)
	defer putJSONBuffer(buf)
	buf.Reset()
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		// Only a value JSON cannot represent gets here: a bug, not bad input.
		http.Error(w, "the response could not be encoded", http.StatusInternalServerError)
		return
	}
	writeJSONBytes(w, status, buf.Bytes())
}

// writeAppended sends the JSON appendTo writes, for the answers encoded by
// hand (api_lists_json.go), as writeJSON sends the rest.
func writeAppended(w http.ResponseWriter, status int, appendTo func([]byte) []byte) {
	buf := jsonBuffers.Get().(*bytes.Buffer)
	defer putJSONBuffer(buf)
	buf.Reset()
	buf.Write(appendTo(buf.AvailableBuffer()))
	writeJSONBytes(w, status, buf.Bytes())
}

// writeJSONBytes sends an encoded JSON body in one write, with its length.
func writeJSONBytes(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// jsonBuffers hold responses while they are encoded, so that each is sent
// in one write with its length, not in chunks as the encoder fills them.
var jsonBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// putJSONBuffer returns buf to the pool unless one huge response grew it.
func putJSONBuffer(buf *bytes.Buffer) {
	if buf.Cap() <= 1<<20 {
		jsonBuffers.Put(buf)
	}
}

// decodeJSON reads a JSON request body strictly: the content type must be
// JSON, unknown fields and trailing data are refused, and the size limit set
// by the middleware applies.
func decodeJSON(r *http.Request, into any) error {
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "application/json" {
		return errUnsupportedMediaType
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		return bodyError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fault.Errorf(fault.Invalid, "The request body must be one JSON object with nothing after it")
	}
	return nil
}

var errUnsupportedMediaType = &fault.Error{Code: fault.Invalid, Message: "Send the request body as JSON with Content-Type: application/json"}

// bodyError explains a JSON decoding failure in terms of the request.
func bodyError(err error) error {
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return fault.Errorf(fault.Invalid, "The request body is larger than %d bytes", tooBig.Limit)
	case errors.As(err, &syntax):
		return fault.Errorf(fault.Invalid, "The request body is not valid JSON (at byte %d)", syntax.Offset)
	case errors.As(err, &typeErr):
		return &fault.Error{Code: fault.Invalid, Message: "A field has the wrong type",
			Fields: []fault.FieldError{{Field: typeErr.Field, Message: fmt.Sprintf("Must be a %s", typeErr.Type)}}}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return fault.Errorf(fault.Invalid, "The request body is empty or cut short")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &fault.Error{Code: fault.Invalid, Message: "The request body has a field this operation does not take",
			Fields: []fault.FieldError{{Field: name, Message: "Unknown field"}}}
	}
	return fault.Errorf(fault.Invalid, "The request body could not be read: %v", err)
}

// pathID reads a positive integer path parameter; anything else is a
// record that does not exist.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, fault.Errorf(fault.NotFound, "There is no record %q", r.PathValue(name))
	}
	return id, nil
}

// queryLimit reads the page size parameter.
func queryLimit(r *http.Request) (int, error) {
	raw := r.URL.Query().Get("limit")
	if raw == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > 500 {
		return 0, &fault.Error{Code: fault.Invalid, Message: "The page size is not allowed",
			Fields: []fault.FieldError{{Field: "limit", Message: "Enter a whole number from 1 to 500"}}}
	}
	return n, nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
