package fault_test

import (
	"errors"
	"fmt"
	"testing"

	"caseboard/internal/fault"
)

func TestCodeThroughWrapping(t *testing.T) {
	err := fmt.Errorf("import row 4: %w", fault.Errorf(fault.Conflict, "taken"))
	if fault.CodeOf(err) != fault.Conflict || fault.As(err).Message != "taken" {
		t.Fatalf("code lost through wrapping: %v", err)
	}
	if fault.CodeOf(errors.New("plain")) != fault.Internal {
		t.Fatal("a plain error must be internal")
	}
}

func TestValidationKeepsOrderAndFirstMessage(t *testing.T) {
	var v fault.Validation
	if v.Err("x") != nil {
		t.Fatal("empty validation is an error")
	}
	v.Add("b", "first b")
	v.Add("a", "first a")
	v.Add("b", "second b")
	fe := fault.As(v.Err("bad"))
	if len(fe.Fields) != 2 || fe.Fields[0].Field != "b" || fe.FieldMessage("b") != "first b" || fe.Code != fault.Invalid {
		t.Fatalf("fields %+v", fe.Fields)
	}
}

func TestRenameFields(t *testing.T) {
	var v fault.Validation
	v.Add("unit_id", "Choose the unit")
	v.Add("due", "Enter the date")
	original := v.Err("Not saved")
	renamed := fault.As(fault.RenameFields(original, func(f string) string { return "form-" + f }))
	if renamed == nil || renamed.FieldMessage("form-unit_id") != "Choose the unit" || renamed.FieldMessage("form-due") != "Enter the date" ||
		renamed.Message != "Not saved" || renamed.Code != fault.Invalid {
		t.Fatalf("renamed %+v", renamed)
	}
	if fault.As(original).FieldMessage("unit_id") == "" {
		t.Fatal("the original error's fields were changed")
	}
	plain := fault.Errorf(fault.NotFound, "no such case")
	if fault.RenameFields(plain, func(string) string { return "x" }) != error(plain) {
		t.Fatal("an error without fields should come back as it is")
	}
}
