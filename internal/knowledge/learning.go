package knowledge

import (
	"regexp"
	"slices"
	"strings"
)

// Learning from a case reaches the repository as a de-brief summary or an
// adverse outcome article started from the case (report 5.9): the case is
// linked, and the details that identify it are redacted from the text of
// anything that travels beyond the division.

// CaseDetails is what a case contributes to an article about it.
type CaseDetails struct {
	Reference string
	Title     string
	UnitID    int64
	Country   string
	// Names are the defendants' or requested persons' names.
	Names []string
	// Outcome says how it ended, in words.
	Outcome string
}

// Redacted is what stands in for a detail taken out.
const Redacted = "[redacted]"

// Redact takes the case's reference and the names in it out of text:
// each whole name, and each part of a name of three letters or more, in
// any case.
func Redact(text string, c CaseDetails) string {
	var terms []string
	if c.Reference != "" {
		terms = append(terms, c.Reference)
	}
	for _, n := range c.Names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		terms = append(terms, n)
		for _, part := range strings.Fields(n) {
			if len([]rune(part)) >= 3 {
				terms = append(terms, part)
			}
		}
	}
	// Longest first, so a whole name goes before its parts.
	slices.SortFunc(terms, func(a, b string) int { return len(b) - len(a) })
	for _, t := range terms {
		re := regexp.MustCompile(`(?i)(^|[^\pL\pN])` + regexp.QuoteMeta(t) + `($|[^\pL\pN])`)
		for re.MatchString(text) {
			text = re.ReplaceAllString(text, "${1}"+Redacted+"${2}")
		}
	}
	return text
}

// FromCase starts an article of kind (a de-brief or adverse outcome
// learning) about a case. Division-only articles keep the case's
// details; for anything shared wider the title and text are redacted and
// the case is not linked, so learning can travel without the case.
func FromCase(kind Kind, sharing Sharing, c CaseDetails, whatHappened string) Article {
	title := map[Kind]string{Debrief: "De-brief: ", AdverseOutcome: "Adverse outcome: "}[kind] + c.Title
	body := "## The case\n\n" + c.Title
	if c.Outcome != "" {
		body += ". " + c.Outcome
	}
	body += "\n\n## What happened\n\n" + strings.TrimSpace(whatHappened) +
		"\n\n## What we learned\n\n- \n\n## What to do next time\n\n- "
	a := Article{Kind: kind, Sharing: sharing, UnitID: c.UnitID, Title: title, Body: body,
		Summary: "Learning from " + c.Title, Tags: []string{string(kind)}}
	if c.Country != "" {
		a.Tags = append(a.Tags, strings.ToLower(c.Country))
	}
	if sharing == DivisionOnly {
		a.RelatedCases = []string{c.Reference}
		return a
	}
	a.Title, a.Summary, a.Body = Redact(a.Title, c), Redact(a.Summary, c), Redact(a.Body, c)
	return a
}
