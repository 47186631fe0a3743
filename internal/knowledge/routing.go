package knowledge

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"caseboard/internal/fault"
	"caseboard/internal/org"
)

// Routing a question by its topic: an asker in an Area or a CCU need not
// know the directory to ask the right person. The rule is deliberately
// simple, so the asker and the directory's keepers can predict it:
//
//   - the topic is split into words; words of fewer than three letters and
//     common words ("the", "about", "with"...) are dropped, except a
//     two-letter country code written in capitals (ES, PL);
//   - each word scores against each entry: 3 when it is a word of the
//     entry's name, of its tag (split at hyphens), its country code or its
//     country's name; otherwise 1 when it is a word of what the entry
//     helps with; one word scores once per entry, its best;
//   - two words match when they are equal, ignoring case, or when the
//     shorter has four letters or more and begins the longer ("warrant"
//     and "warrants", "launder" and "laundering");
//   - the entry with the highest total wins. No score at all, or a tie at
//     the top, and the asker is asked to choose.

// Routed is the entry a topic was routed to, and why, in words.
type Routed struct {
	Code   string
	Name   string
	Reason string
}

// Route chooses the directory entry for a topic. Errors: Invalid, with a
// message on the specialism field asking the asker to choose.
func Route(topic string, entries []Specialism) (Routed, error) {
	words := topicWords(topic)
	type scored struct {
		entry   Specialism
		score   int
		matched []string
	}
	var best []scored
	for _, e := range entries {
		s := scored{entry: e}
		strong, weak := entryWords(e)
		for _, w := range words {
			switch {
			case matchesAny(w, strong):
				s.score += 3
				s.matched = append(s.matched, w)
			case matchesAny(w, weak):
				s.score++
				s.matched = append(s.matched, w)
			}
		}
		if s.score == 0 {
			continue
		}
		switch {
		case len(best) == 0 || s.score > best[0].score:
			best = []scored{s}
		case s.score == best[0].score:
			best = append(best, s)
		}
	}
	choose := func(msg string) error {
		return &fault.Error{Code: fault.Invalid, Message: "The question could not be sent",
			Fields: []fault.FieldError{{Field: "specialism", Message: msg}}}
	}
	switch len(best) {
	case 0:
		return Routed{}, choose("Nothing in the directory matches the topic: choose who the question is for")
	case 1:
		b := best[0]
		return Routed{Code: b.entry.Code, Name: b.entry.Name,
			Reason: fmt.Sprintf("the topic's words %q match %s", strings.Join(b.matched, ", "), b.entry.Name)}, nil
	}
	var names []string
	for _, b := range best {
		names = append(names, b.entry.Name)
	}
	return Routed{}, choose("The topic fits " + strings.Join(names, " and ") + " equally: choose who the question is for")
}

// topicStopWords are common words that say nothing about a subject.
var topicStopWords = map[string]bool{
	"the": true, "and": true, "for": true, "with": true, "about": true, "from": true, "what": true, "when": true, "where": true,
	"which": true, "who": true, "how": true, "does": true, "can": true, "this": true, "that": true, "are": true, "was": true,
	"into": true, "our": true, "their": true, "have": true, "has": true, "need": true, "needs": true, "question": true,
	"case": true, "cases": true, "help": true, "advice": true, "please": true, "urgent": true, "not": true, "any": true,
}

func splitWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// topicWords are the words of a topic that can name a subject, lower case,
// each once; a capitalised two-letter word is kept as a country code.
func topicWords(topic string) []string {
	var out []string
	for _, w := range splitWords(topic) {
		lower := strings.ToLower(w)
		isCode := len(w) == 2 && w == strings.ToUpper(w) && org.IsCountry(w)
		if (!isCode && len([]rune(w)) < 3) || topicStopWords[lower] || slices.Contains(out, lower) {
			continue
		}
		out = append(out, lower)
	}
	return out
}

// entryWords are the words an entry is known by: strong ones (name, tag,
// country) and weak ones (what it helps with).
func entryWords(e Specialism) (strong, weak []string) {
	strong = append(strong, lowerWords(e.Name)...)
	strong = append(strong, lowerWords(e.Tag)...)
	if e.Country != "" {
		strong = append(strong, strings.ToLower(e.Country))
		strong = append(strong, lowerWords(org.CountryName(e.Country))...)
	}
	return strong, lowerWords(e.HelpsWith)
}

func lowerWords(s string) []string {
	var out []string
	for _, w := range splitWords(s) {
		out = append(out, strings.ToLower(w))
	}
	return out
}

func matchesAny(w string, words []string) bool {
	return slices.ContainsFunc(words, func(x string) bool { return sameWord(w, x) })
}

// sameWord matches equal words, and a word of four letters or more with a
// longer word it begins.
func sameWord(a, b string) bool {
	if a == b {
		return true
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	return len([]rune(a)) >= 4 && strings.HasPrefix(b, a)
}
