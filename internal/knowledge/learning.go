package knowledge

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
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
	// Places are the case's places and parties beyond its country: the
	// court centre, the name of the case's location, the requesting
	// authority.
	Places []string
	// Outcome says how it ended, in words.
	Outcome string
}

// Redacted is what stands in for a detail taken out.
const Redacted = "[redacted]"

// Redact takes out of text what identifies the case:
//
//   - its reference, whole, in any case;
//   - each defendant's or requested person's name whole, and each part of
//     a name of three letters or more, in any case;
//   - its places: the court centre, its location's name and the
//     requesting authority, each whole, in any case;
//
// each becoming [redacted]; and every exact date becomes its month and
// year (see RedactDates). The country is kept: it is what the learning is
// about. The title is kept but for the names in it: an operation's name
// or a request's subject is for the author to judge.
func Redact(text string, c CaseDetails) string {
	var terms []string
	for _, whole := range append([]string{c.Reference}, c.Places...) {
		if whole = strings.TrimSpace(whole); whole != "" {
			terms = append(terms, whole)
		}
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
	slices.SortStableFunc(terms, func(a, b string) int { return len(b) - len(a) })
	for _, t := range terms {
		re := regexp.MustCompile(`(?i)(^|[^\pL\pN])` + regexp.QuoteMeta(t) + `($|[^\pL\pN])`)
		for re.MatchString(text) {
			text = re.ReplaceAllString(text, "${1}"+Redacted+"${2}")
		}
	}
	return RedactDates(text)
}

const (
	monthNames = `January|February|March|April|May|June|July|August|September|October|November|December|` +
		`Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec`
	weekday = `(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?`
	ordinal = `(?:st|nd|rd|th)?`
)

var (
	isoDate       = regexp.MustCompile(`\b(\d{4})-(\d{1,2})-(\d{1,2})\b`)
	numericDate   = regexp.MustCompile(`\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b`)
	dayMonthYear  = regexp.MustCompile(`(?i)\b` + weekday + `(\d{1,2})` + ordinal + `\s+(?:of\s+)?(` + monthNames + `)\.?,?\s+(\d{4})\b`)
	monthDayYear  = regexp.MustCompile(`(?i)\b` + weekday + `(` + monthNames + `)\.?\s+(\d{1,2})` + ordinal + `,?\s+(\d{4})\b`)
	dayMonth      = regexp.MustCompile(`(?i)\b` + weekday + `(\d{1,2})` + ordinal + `\s+(?:of\s+)?(` + monthNames + `)\b\.?`)
	monthsByShort = func() map[string]time.Month {
		m := map[string]time.Month{"sept": time.September}
		for i := time.January; i <= time.December; i++ {
			m[strings.ToLower(i.String())] = i
			m[strings.ToLower(i.String()[:3])] = i
		}
		return m
	}()
)

// RedactDates turns every exact date in text into its month and year, so
// learning keeps its time without pinning the case down: 2026-03-14,
// 14/03/2026 (day first, with /, . or -), 14 March 2026, Saturday 14th of
// Mar. 2026 and March 14, 2026 all become "March 2026"; a day and month
// without a year (14 March) becomes the month. Numbers that are not a
// real month and day are left alone.
func RedactDates(text string) string {
	// A redaction can leave a new date behind ("01 1 May" becomes "01 May"),
	// so it runs again until nothing changes. Each change removes a day's
	// number, so that is soon.
	for {
		out := redactDatesOnce(text)
		if out == text {
			return out
		}
		text = out
	}
}

func redactDatesOnce(text string) string {
	monthYear := func(month time.Month, day int, year string) (string, bool) {
		if month < time.January || month > time.December || day < 1 || day > 31 {
			return "", false
		}
		return month.String() + " " + year, true
	}
	text = isoDate.ReplaceAllStringFunc(text, func(m string) string {
		g := isoDate.FindStringSubmatch(m)
		if out, ok := monthYear(time.Month(atoi(g[2])), atoi(g[3]), g[1]); ok {
			return out
		}
		return m
	})
	text = numericDate.ReplaceAllStringFunc(text, func(m string) string {
		g := numericDate.FindStringSubmatch(m)
		if out, ok := monthYear(time.Month(atoi(g[2])), atoi(g[1]), g[3]); ok {
			return out
		}
		return m
	})
	text = dayMonthYear.ReplaceAllStringFunc(text, func(m string) string {
		g := dayMonthYear.FindStringSubmatch(m)
		if out, ok := monthYear(monthsByShort[strings.ToLower(g[2])], atoi(g[1]), g[3]); ok {
			return out
		}
		return m
	})
	text = monthDayYear.ReplaceAllStringFunc(text, func(m string) string {
		g := monthDayYear.FindStringSubmatch(m)
		if out, ok := monthYear(monthsByShort[strings.ToLower(g[1])], atoi(g[2]), g[3]); ok {
			return out
		}
		return m
	})
	return dayMonth.ReplaceAllStringFunc(text, func(m string) string {
		g := dayMonth.FindStringSubmatch(m)
		if day := atoi(g[1]); day < 1 || day > 31 {
			return m
		}
		return monthsByShort[strings.ToLower(g[2])].String()
	})
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
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
