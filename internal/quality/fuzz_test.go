package quality_test

import (
	"strings"
	"testing"

	"caseboard/internal/quality"
)

// FuzzValidate feeds an assessment arbitrary marks, as a request body can:
// Validate must never panic, and whatever it accepts answers every
// question of its template version exactly once, on the scale.
func FuzzValidate(f *testing.F) {
	f.Add("legal_casework", 2, "code_test=fully_meets;case_analysis=not_met")
	f.Add("paralegal_casework", 1, "pl_file=fully_meets;pl_tasks=partially_meets;pl_witness_care=not_applicable;pl_service=not_met;pl_dates=fully_meets")
	f.Add("legal_advocacy", 7, "adv_law=excellent;;=")
	f.Fuzz(func(t *testing.T, activity string, version int, raw string) {
		a := quality.Assessment{AssessedID: 2, AssessorID: 1, CaseID: 3, Activity: quality.Activity(activity), TemplateVersion: version,
			AssessedOn: day("2026-01-02")}
		for _, part := range strings.Split(raw, ";") {
			q, ans, _ := strings.Cut(part, "=")
			a.Marks = append(a.Marks, quality.Mark{Question: q, Answer: quality.Answer(ans)})
		}
		if a.Validate() != nil {
			return
		}
		tpl, err := quality.TemplateFor(a.Activity, a.TemplateVersion)
		if err != nil || len(a.Marks) != len(tpl.Questions) {
			t.Fatalf("accepted %+v", a)
		}
		for i, m := range a.Marks {
			if m.Question != tpl.Questions[i].Code || !m.Answer.Valid() {
				t.Fatalf("accepted mark %d: %+v", i, m)
			}
		}
	})
}
