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

func TestRedactPlacesAndDates(t *testing.T) {
	c := knowledge.CaseDetails{Reference: "01PF0000118", Title: "Operation Dunlin", Country: "ES",
		Names: []string{"Carl Doe"}, Places: []string{"Southwark", "Petty France", "Juzgado Central de Instrucción 5", ""}}
	text := "Carl Doe was sentenced at SOUTHWARK Crown Court on 14 March 2026, after the case moved from Petty France on 2026-01-05. " +
		"Papers from the Juzgado Central de Instrucción 5 (Spain) arrived 03/02/2026, Monday 2nd of Feb. 2026 and February 9, 2026; " +
		"the hearing on 21st April was adjourned. Southwarkian is not a place; 2026-13-45 and 45/13/2026 are not dates; 1 in 12 cases."
	got := knowledge.Redact(text, c)
	want := "[redacted] was sentenced at [redacted] Crown Court on March 2026, after the case moved from [redacted] on January 2026. " +
		"Papers from the [redacted] (Spain) arrived February 2026, February 2026 and February 2026; " +
		"the hearing on April was adjourned. Southwarkian is not a place; 2026-13-45 and 45/13/2026 are not dates; 1 in 12 cases."
	if got != want {
		t.Fatalf("redacted:\n%s\nwant:\n%s", got, want)
	}
	a := knowledge.FromCase(knowledge.Debrief, knowledge.CPSWide, c, "Heard at Southwark on 1 May 2026.")
	if strings.Contains(a.Body, "Southwark") || strings.Contains(a.Body, "1 May") || !strings.Contains(a.Body, "May 2026") {
		t.Fatalf("a CPS-wide article keeps a place or a date:\n%s", a.Body)
	}
	inside := knowledge.FromCase(knowledge.Debrief, knowledge.DivisionOnly, c, "Heard at Southwark on 1 May 2026.")
	if !strings.Contains(inside.Body, "Southwark on 1 May 2026") {
		t.Fatalf("a division-only article is not redacted:\n%s", inside.Body)
	}
}

func FuzzRedactDates(f *testing.F) {
	for _, s := range []string{"14 March 2026", "2026-01-05", "03/02/2026", "Monday 2nd of Feb. 2026", "February 9, 2026", "21st April", "99/99/9999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := knowledge.RedactDates(s)
		if knowledge.RedactDates(out) != out {
			t.Fatalf("not stable: %q -> %q -> %q", s, out, knowledge.RedactDates(out))
		}
	})
}
