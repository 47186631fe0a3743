package demo_test

import (
	"testing"
	"time"

	"caseboard/internal/demo"
	"caseboard/internal/quality"
)

// TestAssessments checks the demo year: every assessment is valid for its
// template, re-marks name an earlier IQA of the same person, the same seed
// gives the same year, and the lenient assessor stands out.
func TestAssessments(t *testing.T) {
	today := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	chart := demo.Division(2019)
	cases := demo.LiveCases(chart, 2019, today)
	year := demo.Assessments(chart, cases, 2019, today)
	if again := demo.Assessments(chart, cases, 2019, today); len(again) != len(year) || again[len(again)-1].CaseReference != year[len(year)-1].CaseReference {
		t.Fatal("the same seed gave a different year")
	}
	lenient := ""
	for _, team := range chart.Teams {
		if team.Name == demo.LenientAssessor {
			lenient = team.LeaderEmail
		}
	}
	top, marks, otherTop, otherMarks, remarks := 0, 0, 0, 0, 0
	for i, d := range year {
		a := d.Assessment
		a.AssessedID, a.AssessorID, a.CaseID = 1, 2, 3
		if err := a.Validate(); err != nil {
			t.Fatalf("assessment %d: %v", i+1, err)
		}
		if a.AssessedOn.After(today) || a.AssessedOn.Before(today.AddDate(-1, 0, 0)) {
			t.Fatalf("assessment %d on %s is outside the year", i+1, a.AssessedOn)
		}
		if d.RemarkOf > 0 {
			remarks++
			original := year[d.RemarkOf-1]
			if original.RemarkOf != 0 || original.AssessedEmail != d.AssessedEmail || d.AssessorEmail == original.AssessorEmail {
				t.Fatalf("re-mark %d does not re-mark an IQA of the same person by another assessor", i+1)
			}
			continue
		}
		for _, m := range a.Marks {
			if !m.Answer.Marked() {
				continue
			}
			if d.AssessorEmail == lenient {
				marks++
				if m.Answer == quality.FullyMeets {
					top++
				}
			} else {
				otherMarks++
				if m.Answer == quality.FullyMeets {
					otherTop++
				}
			}
		}
	}
	if len(year) < 500 || remarks < 50 || marks < quality.MinMarks {
		t.Fatalf("%d assessments, %d re-marks, %d lenient marks", len(year), remarks, marks)
	}
	if _, p, ok := quality.TwoProportionZ(top, marks, otherTop, otherMarks); !ok || p >= quality.Alpha {
		t.Fatalf("the lenient assessor does not stand out: %d/%d against %d/%d (p %v)", top, marks, otherTop, otherMarks, p)
	}
}
