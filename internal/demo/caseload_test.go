package demo

import (
	"testing"
	"time"

	"caseboard/internal/deadline"

	"caseboard/internal/casework"
)

func TestOutcomesFollowAnnexA(t *testing.T) {
	rows := Outcomes(1)
	counts := map[casework.Outcome]int{}
	seen := map[string]bool{}
	for _, r := range rows {
		if err := r.Validate(); err != nil {
			t.Fatalf("row %+v: %v", r, err)
		}
		key := r.CaseURN + "/" + r.DefendantRef
		if seen[key] {
			t.Fatalf("defendant %s twice", key)
		}
		seen[key] = true
		if r.Unit == "extradition" && r.FinalisedOn.Year() == 2017 && r.FinalisedOn.Month() >= 4 ||
			r.Unit == "extradition" && r.FinalisedOn.Year() == 2018 && r.FinalisedOn.Month() < 4 {
			counts[r.Outcome]++
		}
	}
	// Extradition in 2017-18 follows Annex A's rows exactly; their sum is
	// 2,086, as the report's own total says for that year.
	total := 0
	for _, n := range counts {
		total += n
	}
	if counts["export_extradition_ordered"] != 1121 || total != 2086 {
		t.Fatalf("2017-18 extradition: ordered %d, total %d", counts["export_extradition_ordered"], total)
	}
	if again := Outcomes(1); len(again) != len(rows) || again[100] != rows[100] {
		t.Fatal("not reproducible")
	}
}

func TestLiveCasesHaveLawyersOfTheirUnit(t *testing.T) {
	chart := Division(1)
	cases := LiveCases(chart, 1, time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC))
	if len(cases) != 670 {
		t.Fatalf("%d live cases", len(cases))
	}
	remanded := 0
	for _, lc := range cases {
		if lc.LawyerEmail == "" {
			t.Fatalf("case %s has no lawyer", lc.Case.Reference)
		}
		for _, cd := range lc.InCustody {
			remanded++
			if err := cd.Charge.Validate(deadline.DefaultCalendar()); err != nil || !cd.Charge.Running() {
				t.Fatalf("case %s: %v", lc.Case.Reference, err)
			}
		}
	}
	if remanded < 50 {
		t.Fatalf("only %d defendants in custody", remanded)
	}
}
