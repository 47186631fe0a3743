package plan_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"caseboard/internal/fault"
	"caseboard/internal/plan"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

var published = day(2019, 1, 29)

func rec() plan.Finding {
	return plan.Finding{ID: 1, Kind: plan.Recommendation, Number: 3, Text: "Risk", Paragraph: "3.7", Status: plan.Open, PublishedOn: published}
}

// fieldErr fails unless err is Invalid and names field.
func fieldErr(t *testing.T, err error, field string) {
	t.Helper()
	fe := fault.As(err)
	if fe == nil {
		t.Fatalf("accepted; want a problem with %s", field)
	}
	if fe.FieldMessage(field) == "" {
		t.Fatalf("error %v does not name %s", err, field)
	}
}

func TestActionRules(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		a := plan.Action{Title: " Write the strategy ", OwnerID: 7, DueOn: day(2019, 6, 30)}
		if err := a.ValidateNew(rec()); err != nil {
			t.Fatal(err)
		}
		if a.Title != "Write the strategy" || a.Status != plan.NotStarted || !a.OriginalDueOn.Equal(a.DueOn) {
			t.Errorf("got %+v", a)
		}
	})
	t.Run("ErrDueBeforePublication", func(t *testing.T) {
		a := plan.Action{Title: "x", OwnerID: 7, DueOn: day(2019, 1, 28)}
		fieldErr(t, a.ValidateNew(rec()), "due_on")
	})
	t.Run("OKDueOnPublication", func(t *testing.T) {
		a := plan.Action{Title: "x", OwnerID: 7, DueOn: published}
		if err := a.ValidateNew(rec()); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrNoOwnerNoTitle", func(t *testing.T) {
		a := plan.Action{DueOn: day(2019, 6, 1)}
		err := a.ValidateNew(rec())
		fieldErr(t, err, "owner_id")
		fieldErr(t, err, "title")
	})
	t.Run("ErrCreatedDone", func(t *testing.T) {
		a := plan.Action{Title: "x", OwnerID: 7, DueOn: day(2019, 6, 1), Status: plan.Done}
		fieldErr(t, a.ValidateNew(rec()), "status")
	})
	t.Run("ErrGoodPracticeHasNoPlan", func(t *testing.T) {
		gp := rec()
		gp.Kind = plan.GoodPractice
		a := plan.Action{Title: "x", OwnerID: 7, DueOn: day(2019, 6, 1)}
		if err := a.ValidateNew(gp); fault.CodeOf(err) != fault.Invalid {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrClosedFinding", func(t *testing.T) {
		f := rec()
		f.Status = plan.ClosedImplemented
		a := plan.Action{Title: "x", OwnerID: 7, DueOn: day(2019, 6, 1)}
		if err := a.ValidateNew(f); fault.CodeOf(err) != fault.Conflict {
			t.Fatalf("got %v", err)
		}
	})
}

func TestCloseAction(t *testing.T) {
	a := plan.Action{ID: 1, Title: "x", OwnerID: 7, DueOn: day(2019, 6, 1), Status: plan.OnTrack}
	ev := []plan.Evidence{{Kind: plan.EvidenceDocument, Ref: "Strategy v1"}}
	t.Run("ErrWithoutEvidence", func(t *testing.T) {
		c := plan.ActionClosure{On: day(2019, 6, 1), Note: "Done"}
		fieldErr(t, c.ValidateClose(rec(), a, nil), "evidence")
	})
	t.Run("ErrWithoutNote", func(t *testing.T) {
		c := plan.ActionClosure{On: day(2019, 6, 1)}
		fieldErr(t, c.ValidateClose(rec(), a, ev), "note")
	})
	t.Run("ErrBeforePublication", func(t *testing.T) {
		c := plan.ActionClosure{On: day(2018, 6, 1), Note: "x"}
		fieldErr(t, c.ValidateClose(rec(), a, ev), "on")
	})
	t.Run("ErrTwice", func(t *testing.T) {
		done := a
		done.Status = plan.Done
		c := plan.ActionClosure{On: day(2019, 6, 1), Note: "x"}
		if err := c.ValidateClose(rec(), done, ev); fault.CodeOf(err) != fault.Conflict {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("OK", func(t *testing.T) {
		c := plan.ActionClosure{On: day(2019, 6, 1), Note: "Approved by SMT"}
		if err := c.ValidateClose(rec(), a, ev); err != nil {
			t.Fatal(err)
		}
	})
}

func TestUpdatesAndTargetChanges(t *testing.T) {
	a := plan.Action{ID: 1, Title: "x", OwnerID: 7, DueOn: day(2019, 6, 1), OriginalDueOn: day(2019, 6, 1), Status: plan.OnTrack}
	t.Run("ErrUpdateWithoutCommentary", func(t *testing.T) {
		u := plan.Update{Status: plan.AtRisk}
		fieldErr(t, u.Validate(a), "commentary")
	})
	t.Run("ErrUpdateToDone", func(t *testing.T) {
		u := plan.Update{Status: plan.Done, Commentary: "finished"}
		fieldErr(t, u.Validate(a), "status")
	})
	t.Run("OKUpdateKeepsStatus", func(t *testing.T) {
		u := plan.Update{Commentary: "Draft circulated"}
		if err := u.Validate(a); err != nil || u.Status != plan.OnTrack {
			t.Fatalf("%v %s", err, u.Status)
		}
	})
	t.Run("ErrTargetChangeWithoutReasonOrApprover", func(t *testing.T) {
		c := plan.TargetChange{To: day(2019, 9, 1)}
		err := c.Validate(rec(), a)
		fieldErr(t, err, "reason")
		fieldErr(t, err, "approved_by_id")
	})
	t.Run("ErrTargetChangeToSameDate", func(t *testing.T) {
		c := plan.TargetChange{To: day(2019, 6, 1), Reason: "x", ApprovedByID: 1}
		fieldErr(t, c.Validate(rec(), a), "to")
	})
	t.Run("ErrTargetBeforePublication", func(t *testing.T) {
		c := plan.TargetChange{To: day(2018, 12, 1), Reason: "x", ApprovedByID: 1}
		fieldErr(t, c.Validate(rec(), a), "to")
	})
	t.Run("OKTargetChangeKeepsFrom", func(t *testing.T) {
		c := plan.TargetChange{To: day(2019, 9, 1), Reason: "Waiting for HQ guidance", ApprovedByID: 1}
		if err := c.Validate(rec(), a); err != nil || !c.From.Equal(a.DueOn) {
			t.Fatalf("%v %v", err, c.From)
		}
	})
}

func TestRAG(t *testing.T) {
	today := day(2019, 6, 1)
	for _, tc := range []struct {
		name   string
		a      plan.Action
		status plan.ActionStatus
		rag    plan.RAG
	}{
		{"done", plan.Action{Status: plan.Done, DueOn: day(2019, 1, 30)}, plan.Done, plan.Complete},
		{"past its date", plan.Action{Status: plan.OnTrack, DueOn: day(2019, 5, 31)}, plan.Late, plan.Red},
		{"due today", plan.Action{Status: plan.OnTrack, DueOn: today}, plan.OnTrack, plan.Green},
		{"at risk", plan.Action{Status: plan.AtRisk, DueOn: day(2019, 9, 1)}, plan.AtRisk, plan.Amber},
		{"not started, due soon", plan.Action{Status: plan.NotStarted, DueOn: day(2019, 6, 20)}, plan.NotStarted, plan.Amber},
		{"not started, due later", plan.Action{Status: plan.NotStarted, DueOn: day(2019, 12, 1)}, plan.NotStarted, plan.Green},
	} {
		if got := tc.a.EffectiveStatus(today); got != tc.status {
			t.Errorf("%s: status %s, want %s", tc.name, got, tc.status)
		}
		if got := tc.a.RAGOn(today.Add(15 * time.Hour)); got != tc.rag {
			t.Errorf("%s: RAG %s, want %s", tc.name, got, tc.rag)
		}
	}
	slipped := plan.Action{DueOn: day(2019, 9, 1), OriginalDueOn: day(2019, 6, 1)}
	if !slipped.Slipped() || slipped.SlipDays() != 92 {
		t.Errorf("slip: %v %d", slipped.Slipped(), slipped.SlipDays())
	}
}

func TestFindingRules(t *testing.T) {
	t.Run("ErrParagraph", func(t *testing.T) {
		f := plan.Finding{Kind: plan.Recommendation, Number: 1, Text: "x", Paragraph: "para 3"}
		fieldErr(t, f.Validate(), "paragraph")
	})
	t.Run("OKGoodPracticeHasNoStatus", func(t *testing.T) {
		f := plan.Finding{Kind: plan.GoodPractice, Number: 1, Text: "x", Paragraph: "3.5", Status: plan.Open, Criteria: []string{"B1.4", " B1.4", ""}}
		if err := f.Validate(); err != nil || f.Status != "" || len(f.Criteria) != 1 {
			t.Fatalf("%v %+v", err, f)
		}
	})
	t.Run("ErrResponseBeforePublication", func(t *testing.T) {
		r := plan.Response{Decision: plan.Accepted, Text: "The CPS accept", On: day(2019, 1, 1)}
		fieldErr(t, r.Validate(published), "on")
	})
	t.Run("ErrResponseDecision", func(t *testing.T) {
		r := plan.Response{Decision: "maybe", Text: "x", On: published}
		fieldErr(t, r.Validate(published), "decision")
	})
	t.Run("ErrCloseImplementedWithOpenAction", func(t *testing.T) {
		c := plan.Closure{Status: plan.ClosedImplemented, On: day(2020, 1, 1)}
		err := plan.ValidateClosure(rec(), []plan.Action{{Title: "Write it", Status: plan.OnTrack}}, &c)
		fieldErr(t, err, "status")
		if !strings.Contains(err.Error(), "Write it") {
			t.Errorf("does not name the action: %v", err)
		}
	})
	t.Run("ErrCloseImplementedWithNoActions", func(t *testing.T) {
		c := plan.Closure{Status: plan.ClosedImplemented, On: day(2020, 1, 1)}
		fieldErr(t, plan.ValidateClosure(rec(), nil, &c), "status")
	})
	t.Run("ErrCloseNotImplementedWithoutReason", func(t *testing.T) {
		c := plan.Closure{Status: plan.ClosedNotImplemented, On: day(2020, 1, 1)}
		fieldErr(t, plan.ValidateClosure(rec(), nil, &c), "note")
	})
	t.Run("OKCloseImplemented", func(t *testing.T) {
		c := plan.Closure{Status: plan.ClosedImplemented, On: day(2020, 1, 1)}
		if err := plan.ValidateClosure(rec(), []plan.Action{{Status: plan.Done}}, &c); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrInspectionFieldworkAfterPublication", func(t *testing.T) {
		from, to := day(2018, 10, 1), day(2019, 2, 1)
		in := plan.Inspection{Body: "HMCPSI", Title: "x", Organisation: "CPS", PublishedOn: published, FieldworkFrom: &from, FieldworkTo: &to}
		fieldErr(t, in.Validate(), "fieldwork_to")
	})
}

func TestEvidence(t *testing.T) {
	for name, e := range map[string]plan.Evidence{
		"ErrKind":          {Kind: "risk_register_x", Ref: "1"},
		"ErrCaseNotNumber": {Kind: plan.EvidenceCase, Ref: "01AA"},
		"ErrNoMeasure":     {Kind: plan.EvidenceMeasure, Ref: "happiness"},
		"ErrNoRef":         {Kind: plan.EvidenceDocument},
	} {
		t.Run(name, func(t *testing.T) {
			if err := e.Validate(); fault.CodeOf(err) != fault.Invalid {
				t.Fatalf("got %v", err)
			}
		})
	}
}

// TestJudge: a check that errors, panics into an error, or gives no
// verdict could not be evaluated, with the reason; it never passes.
func TestJudge(t *testing.T) {
	at := time.Now()
	r := plan.Judge("x", plan.Result{Outcome: plan.Pass}, errors.New("no such table: risks"), at)
	if r.Outcome != plan.CouldNotEvaluate || r.Reason != "no such table: risks" {
		t.Errorf("error: %+v", r)
	}
	r = plan.Judge("x", plan.Result{}, nil, at)
	if r.Outcome != plan.CouldNotEvaluate || r.Reason == "" {
		t.Errorf("no verdict: %+v", r)
	}
	r = plan.Judge("x", plan.Passes("%d expired", 0), nil, at)
	if r.Outcome != plan.Pass || r.Detail != "0 expired" || r.Code != "x" {
		t.Errorf("pass: %+v", r)
	}
}

func TestAssessment(t *testing.T) {
	fw := plan.Framework{Code: "t", Title: "T", Criteria: []plan.Criterion{{ID: "A", Text: "a"}, {ID: "A1", Parent: "A", Text: "b"}}}
	for name, tc := range map[string]struct {
		a     plan.Assessment
		field string
	}{
		"ErrCriterion":           {plan.Assessment{Criterion: "B1", Rating: plan.Sound, Commentary: "x"}, "criterion"},
		"ErrRating":              {plan.Assessment{Criterion: "A1", Rating: "excellent", Commentary: "x"}, "rating"},
		"ErrRatingWithoutReason": {plan.Assessment{Criterion: "A1", Rating: plan.Weak}, "commentary"},
	} {
		t.Run(name, func(t *testing.T) { fieldErr(t, tc.a.Validate(&fw), tc.field) })
	}
	ok := plan.Assessment{Criterion: "A1", Rating: plan.NotAssessed}
	if err := ok.Validate(&fw); err != nil {
		t.Fatal(err)
	}
}

func TestEditAndReopenRules(t *testing.T) {
	closed := rec()
	closed.Status, closed.OwnerID = plan.ClosedImplemented, new(int64(7))
	edited := closed.ApplyEdit(plan.Finding{Kind: plan.GoodPractice, Number: 4, Text: "New", Paragraph: "3.8", Criteria: []string{"B1.1"}, Status: plan.Open})
	if edited.Kind != plan.Recommendation || edited.Status != plan.ClosedImplemented || edited.OwnerID != closed.OwnerID ||
		edited.Number != 4 || edited.Text != "New" || edited.Paragraph != "3.8" || len(edited.Criteria) != 1 {
		t.Fatalf("edit kept or changed the wrong fields: %+v", edited)
	}
	if _, err := plan.ValidateReopen(closed, "  "); err == nil {
		t.Fatal("reopened without a reason")
	} else {
		fieldErr(t, err, "reason")
	}
	if _, err := plan.ValidateReopen(rec(), "Evidence fails"); fault.CodeOf(err) != fault.Conflict {
		t.Fatalf("reopened an open finding: %v", err)
	}
	gp := plan.Finding{Kind: plan.GoodPractice, Number: 1}
	if _, err := plan.ValidateReopen(gp, "x"); fault.CodeOf(err) != fault.Invalid {
		t.Fatalf("reopened good practice: %v", err)
	}
	if reason, err := plan.ValidateReopen(closed, " The check fails again "); err != nil || reason != "The check fails again" {
		t.Fatalf("got %q, %v", reason, err)
	}
}
