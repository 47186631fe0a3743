package knowledge

import (
	"fmt"
	"strings"
)

// A theme of the quality assessments (a question of the Casework Quality
// Standards most often not met) reaches the repository as a lessons-learned
// draft (report 3.21 and 4.8: learning from IQAs not shared). It is built
// from counts only, so it names no one and no case.

// ThemeTag marks an article started from a theme of the quality
// assessments.
const ThemeTag = "iqa-theme"

// ThemeDetails is what a theme contributes to an article: figures, never a
// person or a case.
type ThemeDetails struct {
	Question string // the question as the template asks it
	Activity string // the activity assessed, as people read it
	UnitID   int64  // the unit the article belongs to
	Scope    string // whose IQAs: a unit's name, or "the whole division"
	From, To string // the period, YYYY-MM-DD
	NotMet   int
	Marks    int
	// Quarters are the not-met shares by quarter, in order, e.g.
	// "2026-Q1: 25% (2 of 8)".
	Quarters []string
}

// FromTheme starts a lessons-learned article about a theme. The text says
// what the question is, whose IQAs and when, and how often it was not met,
// with headings for what to learn and what to do differently; its author
// finishes it as a draft and it is reviewed like any other article.
func FromTheme(t ThemeDetails) Article {
	share := 0.0
	if t.Marks > 0 {
		share = float64(t.NotMet) / float64(t.Marks)
	}
	figures := fmt.Sprintf("not met in %d of %d marks (%.0f%%)", t.NotMet, t.Marks, share*100)
	var b strings.Builder
	fmt.Fprintf(&b, "## The theme\n\n%s (%s).\n\n", t.Question, t.Activity)
	fmt.Fprintf(&b, "In the individual quality assessments of %s from %s to %s this question was %s.\n",
		t.Scope, t.From, t.To, figures)
	if len(t.Quarters) > 0 {
		b.WriteString("\nBy quarter:\n\n")
		for _, q := range t.Quarters {
			b.WriteString("- " + q + "\n")
		}
	}
	b.WriteString("\n## What we learned\n\n- \n\n## What to do differently\n\n- ")
	title := "Lessons from IQAs: " + t.Question
	if r := []rune(title); len(r) > MaxTitle {
		title = string(r[:MaxTitle-1]) + "…"
	}
	return Article{Kind: LessonsLearned, Sharing: DivisionOnly, UnitID: t.UnitID, Title: title,
		Summary: fmt.Sprintf("A theme of the IQAs of %s, %s to %s: %s.", t.Scope, t.From, t.To, figures),
		Body:    b.String(), Tags: []string{ThemeTag, string(LessonsLearned)}}
}
