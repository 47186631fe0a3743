package knowledge

import (
	"html"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A search query is what a person types: words, "quoted phrases", and
// words ending in * for every word that starts so. Nothing else has a
// meaning: the full-text engines' own syntax (NEAR, AND, OR, NOT, column
// filters, parentheses, carets, colons) is read as words or dropped, so a
// query can never be a syntax error nor reach the engine as syntax. Every
// word is letters and digits only by the time it leaves the parser, which
// is what makes the engine strings built from it safe.

// Term is one thing a result must contain: a word, a word prefix, or a
// phrase of words in order.
type Term struct {
	Words  []string `json:"words"`
	Phrase bool     `json:"phrase,omitempty"`
	Prefix bool     `json:"prefix,omitempty"`
}

// Query is a parsed search query: every term must match.
type Query struct {
	Terms []Term `json:"terms"`
}

// Limits on a query.
const (
	MaxQueryTerms = 12
	MaxQueryWord  = 48
	MaxQueryBytes = 500
)

// ParseQuery reads what a person typed. Common English words are dropped
// outside phrases, as both databases' English configurations ignore them.
// A query of nothing but such words keeps them.
func ParseQuery(s string) Query {
	if len(s) > MaxQueryBytes {
		s = s[:MaxQueryBytes]
	}
	s = strings.ToValidUTF8(s, " ")
	var terms, stops []Term
	add := func(t Term) {
		if len(t.Words) == 0 || len(terms) >= MaxQueryTerms {
			return
		}
		if !t.Phrase && !t.Prefix && len(t.Words) == 1 && stopWords[t.Words[0]] {
			if len(stops) < MaxQueryTerms {
				stops = append(stops, t)
			}
			return
		}
		if !slices.ContainsFunc(terms, func(o Term) bool {
			return o.Phrase == t.Phrase && o.Prefix == t.Prefix && slices.Equal(o.Words, t.Words)
		}) {
			terms = append(terms, t)
		}
	}
	for len(s) > 0 {
		s = strings.TrimLeftFunc(s, func(r rune) bool { return !isWordRune(r) && r != '"' })
		if s == "" {
			break
		}
		if s[0] == '"' {
			inner, rest, closed := strings.Cut(s[1:], `"`)
			if !closed {
				rest = ""
			}
			words := Words(inner)
			add(Term{Words: words, Phrase: len(words) > 1})
			s = rest
			continue
		}
		end := strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '"' })
		if end < 0 {
			end = len(s)
		}
		token := s[:end]
		s = s[end:]
		words := Words(token)
		prefix := strings.HasSuffix(token, "*") && len(words) == 1 && utf8.RuneCountInString(words[0]) >= 2
		if len(words) > 1 && joinedAsOne(token) {
			add(Term{Words: words, Phrase: true})
			continue
		}
		for _, w := range words {
			add(Term{Words: []string{w}, Prefix: prefix})
		}
	}
	if len(terms) == 0 {
		terms = stops
	}
	return Query{Terms: terms}
}

// joinedAsOne reports whether a token's words are joined only by the
// marks that make one name of several words: money-laundering, O'Brien,
// MLA/EIO, U.K.
func joinedAsOne(token string) bool {
	inner := strings.TrimFunc(token, func(r rune) bool { return !isWordRune(r) })
	for _, r := range inner {
		if !isWordRune(r) && !strings.ContainsRune("-'’./", r) {
			return false
		}
	}
	return true
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// Words splits text into lower-case words of letters and digits, each at
// most MaxQueryWord bytes.
func Words(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return !isWordRune(r) }) {
		w := strings.ToLower(f)
		for len(w) > MaxQueryWord {
			_, size := utf8.DecodeLastRuneInString(w)
			w = w[:len(w)-size]
		}
		if w != "" {
			out = append(out, w)
		}
	}
	return out
}

// Empty reports whether the query asks for nothing.
func (q Query) Empty() bool { return len(q.Terms) == 0 }

// String writes the query back in the form a person types.
func (q Query) String() string {
	parts := make([]string, len(q.Terms))
	for i, t := range q.Terms {
		switch {
		case t.Phrase:
			parts[i] = `"` + strings.Join(t.Words, " ") + `"`
		case t.Prefix:
			parts[i] = t.Words[0] + "*"
		default:
			parts[i] = strings.Join(t.Words, " ")
		}
	}
	return strings.Join(parts, " ")
}

// FTS5 is the query in SQLite FTS5's syntax: every word in double quotes
// (words hold only letters and digits, so nothing can escape them), a
// prefix marked with * after its closing quote, terms joined by AND.
func (q Query) FTS5() string {
	parts := make([]string, 0, len(q.Terms))
	for _, t := range q.Terms {
		p := `"` + strings.Join(t.Words, " ") + `"`
		if t.Prefix {
			p += "*"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " AND ")
}

// TSQuery is the query in PostgreSQL's to_tsquery syntax: phrases as
// words joined by <->, prefixes as word:*, terms joined by &. As the words
// hold only letters and digits, no operator can come from the input.
func (q Query) TSQuery() string {
	parts := make([]string, 0, len(q.Terms))
	for _, t := range q.Terms {
		switch {
		case t.Prefix:
			parts = append(parts, t.Words[0]+":*")
		case len(t.Words) > 1:
			parts = append(parts, "("+strings.Join(t.Words, " <-> ")+")")
		default:
			parts = append(parts, t.Words[0])
		}
	}
	return strings.Join(parts, " & ")
}

// AllWords lists the query's words, in order, without repeats.
func (q Query) AllWords() []string {
	var out []string
	for _, t := range q.Terms {
		for _, w := range t.Words {
			if !slices.Contains(out, w) {
				out = append(out, w)
			}
		}
	}
	return out
}

// Replace returns the query with every occurrence of a word replaced.
func (q Query) Replace(old map[string]string) Query {
	out := Query{Terms: make([]Term, len(q.Terms))}
	for i, t := range q.Terms {
		words := slices.Clone(t.Words)
		for j, w := range words {
			if n, ok := old[w]; ok {
				words[j] = n
			}
		}
		out.Terms[i] = Term{Words: words, Phrase: t.Phrase, Prefix: t.Prefix}
	}
	return out
}

// EditDistance is the optimal string alignment distance between two words:
// insertions, deletions, substitutions and transpositions of adjacent
// letters each cost one.
func EditDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	prev2 := make([]int, len(y)+1)
	prev := make([]int, len(y)+1)
	cur := make([]int, len(y)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(x); i++ {
		cur[0] = i
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(y)]
}

// Suggest picks the likeliest word someone meant by word from a
// vocabulary with how many articles hold each word: the nearest by edit
// distance (at most 1 for words of up to 4 letters, 2 beyond), and among
// the nearest the commonest. It returns "" when nothing is near enough.
func Suggest(word string, vocabulary map[string]int) string {
	limit := 2
	if utf8.RuneCountInString(word) <= 4 {
		limit = 1
	}
	if vocabulary[word] > 0 {
		return ""
	}
	best, bestDist, bestCount := "", limit+1, 0
	for cand, count := range vocabulary {
		if cand == word || count <= 0 {
			continue
		}
		d := EditDistance(word, cand)
		if d < bestDist || (d == bestDist && (count > bestCount || (count == bestCount && cand < best))) {
			best, bestDist, bestCount = cand, d, count
		}
	}
	if bestDist > limit {
		return ""
	}
	return best
}

// stopWords are PostgreSQL's English stop words (the Snowball list), which
// its full-text search ignores; the parser drops them on both databases so
// that a query means the same on each.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`i me my myself we our ours ourselves you your yours yourself yourselves he him his
		himself she her hers herself it its itself they them their theirs themselves what which who whom this that these
		those am is are was were be been being have has had having do does did doing a an the and but if or because as
		until while of at by for with about against between into through during before after above below to from up down
		in out on off over under again further then once here there when where why how all any both each few more most
		other some such no nor not only own same so than too very s t can will just don should now`) {
		m[w] = true
	}
	return m
}()

// IsStopWord reports whether a word is one the search ignores.
func IsStopWord(w string) bool { return stopWords[w] }

// The search engines mark matched words in snippets with these two
// characters from Unicode's private use area, which no article means as
// text; Highlight turns them into <mark> after escaping everything else.
const (
	MarkStart = "\ue000"
	MarkStop  = "\ue001"
)

// Highlight escapes a snippet for HTML and wraps the marked words in
// <mark>, balanced whatever the marks in the input.
func Highlight(snippet string) string {
	var b strings.Builder
	open := false
	for _, r := range snippet {
		switch string(r) {
		case MarkStart:
			if !open {
				b.WriteString("<mark>")
				open = true
			}
		case MarkStop:
			if open {
				b.WriteString("</mark>")
				open = false
			}
		default:
			b.WriteString(html.EscapeString(string(r)))
		}
	}
	if open {
		b.WriteString("</mark>")
	}
	return b.String()
}
