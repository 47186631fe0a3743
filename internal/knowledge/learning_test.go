package knowledge_test

import (
	"strings"
	"testing"

	"caseboard/internal/knowledge"
)

func TestFromCase(t *testing.T) {
	c := knowledge.CaseDetails{Reference: "EX/2017/0042", Title: "Requested person: Adam Example", UnitID: 2, Country: "PL",
		Names: []string{"Adam Example", "Bea O'Neill"}, Outcome: "Discharged"}
	inside := knowledge.FromCase(knowledge.Debrief, knowledge.DivisionOnly, c, "ADAM EXAMPLE was discharged; EX/2017/0042 closed.")
	if inside.Title != "De-brief: Requested person: Adam Example" || len(inside.RelatedCases) != 1 || !strings.Contains(inside.Body, "ADAM EXAMPLE") {
		t.Fatalf("division only keeps the details: %+v", inside)
	}
	shared := knowledge.FromCase(knowledge.AdverseOutcome, knowledge.Partners, c,
		"Adam Example (Mr Example) was discharged in EX/2017/0042; O'Neill too. Examples of good practice stay.")
	for _, leak := range []string{"Adam", "Example ", "Example)", "EX/2017/0042", "O'Neill"} {
		if strings.Contains(shared.Title+shared.Summary+shared.Body, leak) {
			t.Errorf("%q travels beyond the division:\n%s\n%s", leak, shared.Title, shared.Body)
		}
	}
	if !strings.Contains(shared.Body, "Examples of good practice") || len(shared.RelatedCases) != 0 {
		t.Errorf("redaction took too much, or linked the case:\n%s", shared.Body)
	}
	if shared.Title != "Adverse outcome: Requested person: [redacted]" {
		t.Errorf("title %q", shared.Title)
	}
}
