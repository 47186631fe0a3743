package risk

import (
	"errors"
	"strings"
	"testing"
	"time"

	"caseboard/internal/fault"
)

var today = time.Date(2019, 3, 14, 0, 0, 0, 0, time.UTC)

func valid() Risk {
	target := today.AddDate(0, 6, 0)
	return Risk{Title: "Recruitment", Cause: "vetting to the highest level takes months", Event: "posts stay vacant",
		Consequence: "casework is delayed", Category: Strategic, UnitID: 1, OwnerID: 2, Themes: []string{" Recruitment ", "recruitment", "Finance"},
		Inherent: Rating{5, 4}, Current: Rating{4, 4}, Target: Rating{3, 3}, TargetDate: &target,
		ReviewMonths: 3, NextReview: today.AddDate(0, 3, 0)}
}

func fieldOf(t *testing.T, err error) []string {
	t.Helper()
	fe := fault.As(err)
	if fe == nil || fe.Code != fault.Invalid {
		t.Fatalf("err = %v, want an Invalid fault", err)
	}
	var out []string
	for _, f := range fe.Fields {
		out = append(out, f.Field)
	}
	return out
}

func TestValidate(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		r := valid()
		if err := r.Validate(today, true); err != nil {
			t.Fatal(err)
		}
		if strings.Join(r.Themes, ",") != "recruitment,finance" || r.Status != Open || r.Treatment != Treat {
			t.Fatalf("not normalised: %+v", r)
		}
	})
	cases := []struct {
		name   string
		change func(*Risk)
		field  string
	}{
		{"ErrLikelihoodAboveFive", func(r *Risk) { r.Current.Likelihood = 6 }, "current_likelihood"},
		{"ErrImpactZero", func(r *Risk) { r.Inherent.Impact = 0 }, "inherent_impact"},
		{"ErrTargetNegative", func(r *Risk) { r.Target.Impact = -1 }, "target_impact"},
		{"ErrTargetAboveInherent", func(r *Risk) { r.Target = Rating{5, 5} }, "target_likelihood"},
		{"ErrReviewInPast", func(r *Risk) { r.NextReview = today.AddDate(0, 0, -1) }, "next_review"},
		{"ErrNoReview", func(r *Risk) { r.NextReview = time.Time{} }, "next_review"},
		{"ErrAcceptedNoExpiry", func(r *Risk) { r.Status = Accepted }, "status"},
		{"ErrCategory", func(r *Risk) { r.Category = "financial" }, "category"},
		{"ErrProjectUnnamed", func(r *Risk) { r.Category = Project }, "project"},
		{"ErrTitle", func(r *Risk) { r.Title = "  " }, "title"},
		{"ErrCause", func(r *Risk) { r.Cause = "" }, "cause"},
		{"ErrOwner", func(r *Risk) { r.OwnerID = 0 }, "owner_id"},
		{"ErrReviewMonths", func(r *Risk) { r.ReviewMonths = 2 }, "review_months"},
		{"ErrTheme", func(r *Risk) { r.Themes = []string{"<script>"} }, "themes"},
		{"ErrTreatment", func(r *Risk) { r.Treatment = "ignore" }, "treatment"},
		{"ErrSelfParent", func(r *Risk) { r.ID = 9; r.ParentID = &r.ID }, "parent_id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := valid()
			c.change(&r)
			fields := fieldOf(t, r.Validate(today, true))
			if !contains(fields, c.field) {
				t.Fatalf("fields %v, want %s", fields, c.field)
			}
		})
	}
	t.Run("PastReviewAllowedOnUpdate", func(t *testing.T) {
		r := valid()
		r.NextReview = today.AddDate(0, -1, 0) // an overdue review stays saveable
		if err := r.Validate(today, false); err != nil {
			t.Fatal(err)
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestCheckParent(t *testing.T) {
	// 1 <- 2 <- 3 (3 rolls up to 2, 2 to 1)
	parents := map[int64]*int64{1: nil, 2: ptr(1), 3: ptr(2)}
	parentOf := func(id int64) (*int64, error) { return parents[id], nil }
	t.Run("OK", func(t *testing.T) {
		if err := CheckParent(4, ptr(3), parentOf); err != nil {
			t.Fatal(err)
		}
		if err := CheckParent(3, nil, parentOf); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrCycle", func(t *testing.T) {
		if f := fieldOf(t, CheckParent(1, ptr(3), parentOf)); f[0] != "parent_id" {
			t.Fatal(f)
		}
	})
	t.Run("ErrSelf", func(t *testing.T) {
		fieldOf(t, CheckParent(2, ptr(2), parentOf))
	})
	t.Run("ErrExistingLoop", func(t *testing.T) {
		loop := map[int64]*int64{5: ptr(6), 6: ptr(5)}
		fieldOf(t, CheckParent(7, ptr(5), func(id int64) (*int64, error) { return loop[id], nil }))
	})
	t.Run("LookupError", func(t *testing.T) {
		boom := errors.New("boom")
		if err := CheckParent(1, ptr(2), func(int64) (*int64, error) { return nil, boom }); !errors.Is(err, boom) {
			t.Fatal(err)
		}
	})
}

func ptr(v int64) *int64 { return &v }

func TestCloseCheck(t *testing.T) {
	open := []CounterMeasure{{Description: "Recruit nationally", Status: Planned}}
	if err := CloseCheck(nil, false); err != nil {
		t.Fatal(err)
	}
	if err := CloseCheck(open, true); err != nil {
		t.Fatal(err)
	}
	err := CloseCheck(open, false)
	if f := fieldOf(t, err); f[0] != "close_measures" || !strings.Contains(err.Error(), "Recruit nationally") {
		t.Fatal(err)
	}
}

func TestScale(t *testing.T) {
	if err := DefaultScale.Validate(); err != nil {
		t.Fatal(err)
	}
	for score, want := range map[int]string{1: "Low", 4: "Low", 5: "Medium", 12: "High", 16: "Very high", 25: "Very high", 0: "Not scored"} {
		if got := DefaultScale.Band(score).Name; got != want {
			t.Errorf("band of %d = %s, want %s", score, got, want)
		}
	}
	t.Run("ErrGap", func(t *testing.T) {
		s := DefaultScale
		s.Bands = append([]Band{}, s.Bands...)
		s.Bands[1].Min = 6
		fieldOf(t, s.Validate())
	})
	t.Run("ErrShort", func(t *testing.T) {
		s := DefaultScale
		s.Likelihood = s.Likelihood[:4]
		fieldOf(t, s.Validate())
	})
	t.Run("Relabel", func(t *testing.T) {
		s := DefaultScale
		s.Impact = append([]Level{}, s.Impact...)
		s.Impact[4].Label = "Critical"
		if err := s.Validate(); err != nil || s.ImpactLabel(5) != "Critical" || DefaultScale.ImpactLabel(5) != "Severe" {
			t.Fatal(err, s.ImpactLabel(5))
		}
	})
}

func TestAppetite(t *testing.T) {
	apps := DefaultAppetites()
	r := valid()
	r.Category, r.Current = Casework, Rating{2, 3} // 6: at the minimal appetite's limit
	if AboveAppetite(r, apps) {
		t.Fatal("6 is within a minimal appetite")
	}
	r.Current = Rating{3, 3}
	if !AboveAppetite(r, apps) {
		t.Fatal("9 is above a minimal appetite")
	}
	r.Status = Closed
	if AboveAppetite(r, apps) {
		t.Fatal("a closed risk is never above appetite")
	}
	a := Appetite{Category: Strategic, Level: Eager}
	if err := a.Validate(); err != nil || a.MaxScore != 16 {
		t.Fatal(err, a.MaxScore)
	}
	bad := Appetite{Category: Strategic, Level: "reckless"}
	fieldOf(t, bad.Validate())
}

func TestWorkflowValidation(t *testing.T) {
	t.Run("MeasureOK", func(t *testing.T) {
		m := CounterMeasure{Description: "Recruit nationally", OwnerID: 1, Due: today}
		if err := m.Validate(); err != nil || m.Status != Planned {
			t.Fatal(err)
		}
		if m.Overdue(today) || !m.Overdue(today.AddDate(0, 0, 1)) {
			t.Fatal("overdue the day after it is due, not on it")
		}
	})
	t.Run("MeasureErrExpected", func(t *testing.T) {
		m := CounterMeasure{Description: "x", OwnerID: 1, Due: today, Expected: Rating{7, 1}}
		fieldOf(t, m.Validate())
	})
	t.Run("ReviewErrNextNotFuture", func(t *testing.T) {
		r := Review{Justification: "steady", Current: Rating{2, 2}, NextReview: today}
		if f := fieldOf(t, r.Validate(today)); f[0] != "next_review" {
			t.Fatal(f)
		}
	})
	t.Run("AcceptanceErrNoExpiry", func(t *testing.T) {
		a := Acceptance{Justification: "cost of treating exceeds the harm", ApproverID: 3}
		if f := fieldOf(t, a.Validate(today)); f[0] != "expires" {
			t.Fatal(f)
		}
	})
	t.Run("AcceptanceOK", func(t *testing.T) {
		exp := today.AddDate(0, 6, 0)
		a := Acceptance{Justification: "cost of treating exceeds the harm", ApproverID: 3, Expires: &exp}
		if err := a.Validate(today); err != nil {
			t.Fatal(err)
		}
	})
}

func TestDescription(t *testing.T) {
	r := valid()
	want := "Because of vetting to the highest level takes months, there is a risk that posts stay vacant, leading to casework is delayed."
	if got := r.Description(); got != want {
		t.Fatalf("got %q", got)
	}
}
