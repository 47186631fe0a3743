package risk_test

import (
	"testing"
	"time"

	"caseboard/internal/fault"
	"caseboard/internal/risk"
)

func on(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func fields(err error) []string {
	fe := fault.As(err)
	if fe == nil {
		return nil
	}
	var out []string
	for _, f := range fe.Fields {
		out = append(out, f.Field)
	}
	return out
}

func TestContinuityPlanValidate(t *testing.T) {
	today := on("2018-06-10")
	good := func() risk.ContinuityPlan {
		return risk.ContinuityPlan{Title: "Petty France", UnitID: 1, OwnerID: 2, Contacts: "Duty manager, then the Head of Unit",
			Activities: []risk.CriticalActivity{{Name: "Custody time limit applications", RTOHours: 4}}, ReviewedOn: on("2018-05-01")}
	}
	for name, tc := range map[string]struct {
		change func(*risk.ContinuityPlan)
		want   []string
	}{
		"Good":            {func(*risk.ContinuityPlan) {}, nil},
		"ErrNoActivities": {func(p *risk.ContinuityPlan) { p.Activities = nil }, []string{"activities"}},
		"ErrRTO":          {func(p *risk.ContinuityPlan) { p.Activities[0].RTOHours = 0 }, []string{"activities"}},
		"ErrFutureReview": {func(p *risk.ContinuityPlan) { p.ReviewedOn = on("2018-06-11") }, []string{"reviewed_on"}},
		"ErrEmpty":        {func(p *risk.ContinuityPlan) { *p = risk.ContinuityPlan{} }, []string{"title", "unit_id", "owner_id", "activities", "contacts", "reviewed_on"}},
	} {
		t.Run(name, func(t *testing.T) {
			p := good()
			tc.change(&p)
			got := fields(p.Validate(today))
			if len(got) != len(tc.want) {
				t.Fatalf("fields %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("fields %v, want %v", got, tc.want)
				}
			}
		})
	}
}

func TestExerciseAndUntested(t *testing.T) {
	today := on("2018-06-10")
	e := risk.Exercise{HeldOn: on("2018-06-11"), Scenario: "", Findings: ""}
	if got := fields(e.Validate(today)); len(got) != 3 || got[0] != "held_on" || got[1] != "scenario" || got[2] != "findings" {
		t.Fatalf("fields %v", got)
	}
	p := risk.ContinuityPlan{}
	if !p.Untested(today) {
		t.Fatal("a plan never exercised is untested")
	}
	for day, untested := range map[string]bool{"2017-06-10": false, "2017-06-09": true, "2018-01-01": false} {
		exercised := on(day)
		p.Exercised = &exercised
		if p.Untested(today) != untested {
			t.Errorf("exercised %s: untested %v, want %v", day, p.Untested(today), untested)
		}
	}
}
