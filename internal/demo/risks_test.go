package demo

import (
	"testing"
	"time"

	"caseboard/internal/risk"
)

func TestRisksAreAValidRegister(t *testing.T) {
	today := time.Date(2019, 5, 1, 0, 0, 0, 0, time.UTC)
	chart := Division(2019)
	seeds := Risks(chart, today)
	emails := map[string]bool{}
	for _, p := range chart.People {
		emails[p.Email] = true
	}
	refs := map[string]bool{}
	for _, s := range seeds {
		if refs[s.Risk.Reference] {
			t.Errorf("reference %s used twice", s.Risk.Reference)
		}
		refs[s.Risk.Reference] = true
	}
	categories := map[risk.Category]int{}
	for _, s := range seeds {
		r := s.Risk
		categories[r.Category]++
		r.UnitID, r.OwnerID = 1, 1
		if err := r.Validate(today, false); err != nil {
			t.Errorf("%s: %v", r.Reference, err)
		}
		if !emails[s.OwnerEmail] {
			t.Errorf("%s: owner %s is not in the demo division", r.Reference, s.OwnerEmail)
		}
		if s.ParentRef != "" && !refs[s.ParentRef] {
			t.Errorf("%s rolls up to %s, which is not in the register", r.Reference, s.ParentRef)
		}
		if s.Raised.After(today) {
			t.Errorf("%s raised in the future", r.Reference)
		}
		for _, m := range s.Measures {
			if !emails[m.OwnerEmail] {
				t.Errorf("%s: action owner %s is not in the demo division", r.Reference, m.OwnerEmail)
			}
		}
	}
	for _, ref := range []string{"DIV-01", "DIV-02", "DIV-03", "EU-01", "EX-C1", "PRJ-01"} {
		if !refs[ref] {
			t.Errorf("the register lacks %s", ref)
		}
	}
	for _, c := range risk.Categories {
		if categories[c] == 0 {
			t.Errorf("no %s risk in the demo register", c)
		}
	}
}
