package casework_test

import (
	"testing"

	"caseboard/internal/casework"
	"caseboard/internal/fault"
)

func TestPostReturnValidate(t *testing.T) {
	good := func() casework.PostReturn {
		return casework.PostReturn{LocationID: 9, Month: "2018-06", Narrative: "Three MLA requests executed", CaseworkInteractions: 41, TrainingDelivered: 2}
	}
	for name, tc := range map[string]struct {
		change func(*casework.PostReturn)
		fields []string
	}{
		"Good":            {func(*casework.PostReturn) {}, nil},
		"GoodThisMonth":   {func(r *casework.PostReturn) { r.Month = "2018-07" }, nil},
		"ErrNoPost":       {func(r *casework.PostReturn) { r.LocationID = 0 }, []string{"location_id"}},
		"ErrMonthFormat":  {func(r *casework.PostReturn) { r.Month = "June 2018" }, []string{"month"}},
		"ErrFutureMonth":  {func(r *casework.PostReturn) { r.Month = "2018-08" }, []string{"month"}},
		"ErrNegative":     {func(r *casework.PostReturn) { r.TrainingDelivered = -1 }, []string{"training_delivered"}},
		"ErrMonthInvalid": {func(r *casework.PostReturn) { r.Month = "2018-13" }, []string{"month"}},
	} {
		t.Run(name, func(t *testing.T) {
			r := good()
			tc.change(&r)
			wantFields(t, r.Validate("2018-07"), tc.fields...)
		})
	}
}

func TestPostReturnWorkflowRules(t *testing.T) {
	r := casework.PostReturn{PreparedBy: 5, Status: casework.ReturnDraft}
	if err := r.CheckSubmittable(); fault.As(err) == nil || fault.As(err).FieldMessage("narrative") == "" {
		t.Fatalf("a return with no narrative was submittable: %v", err)
	}
	if err := r.CheckDecision(6, true, ""); fault.CodeOf(err) != fault.Conflict {
		t.Fatalf("a draft was decided: %v", err)
	}
	r.Status = casework.ReturnSubmitted
	if err := r.CheckDecision(5, true, ""); fault.CodeOf(err) != fault.Forbidden {
		t.Fatalf("the preparer validated their own return: %v", err)
	}
	if err := r.CheckDecision(6, false, " "); fault.As(err) == nil || fault.As(err).FieldMessage("reason") == "" {
		t.Fatalf("sent back without a reason: %v", err)
	}
	if err := r.CheckDecision(6, true, ""); err != nil {
		t.Fatalf("a proper validation was refused: %v", err)
	}
	if !casework.ReturnSentBack.Editable() || casework.ReturnSubmitted.Editable() || casework.ReturnValidated.Editable() {
		t.Fatal("editable states are draft and sent back only")
	}
}
