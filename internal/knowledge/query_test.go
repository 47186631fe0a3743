package knowledge_test

import (
	"regexp"
	"strings"
	"testing"

	"caseboard/internal/knowledge"
)

func TestParseQuery(t *testing.T) {
	for _, tc := range []struct{ in, want, fts5, tsquery string }{
		{"prison conditions", "prison conditions", `"prison" AND "conditions"`, "prison & conditions"},
		{`"prison conditions" Poland`, `"prison conditions" poland`, `"prison conditions" AND "poland"`, "(prison <-> conditions) & poland"},
		{"extrad*", "extrad*", `"extrad"*`, "extrad:*"},
		{"the refusal of surrender", "refusal surrender", `"refusal" AND "surrender"`, "refusal & surrender"},
		{"the", "the", `"the"`, "the"},
		{`"unbalanced quote`, `"unbalanced quote"`, `"unbalanced quote"`, "(unbalanced <-> quote)"},
		{"(NEAR(a b) OR c) AND NOT d", "near b c d", `"near" AND "b" AND "c" AND "d"`, "near & b & c & d"},
		{"title:secret ^x body:*", "title secret x body*", `"title" AND "secret" AND "x" AND "body"*`, "title & secret & x & body:*"},
		{"MLA/EIO O'Brien", `"mla eio" "o brien"`, `"mla eio" AND "o brien"`, "(mla <-> eio) & (o <-> brien)"},
		{"money-laundering", `"money laundering"`, `"money laundering"`, "(money <-> laundering)"},
		{"* \" ' ( ) : ^ - + &", "", "", ""},
		{"Łódź court", "łódź court", `"łódź" AND "court"`, "łódź & court"},
		{"eaw EAW", "eaw", `"eaw"`, "eaw"},
		{"a* b", "b", `"b"`, "b"},
	} {
		q := knowledge.ParseQuery(tc.in)
		if got := q.String(); got != tc.want {
			t.Errorf("ParseQuery(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got := q.FTS5(); got != tc.fts5 {
			t.Errorf("ParseQuery(%q).FTS5() = %q, want %q", tc.in, got, tc.fts5)
		}
		if got := q.TSQuery(); got != tc.tsquery {
			t.Errorf("ParseQuery(%q).TSQuery() = %q, want %q", tc.in, got, tc.tsquery)
		}
	}
	if q := knowledge.ParseQuery(strings.Repeat("word ", 100)); len(q.Terms) != 1 {
		t.Errorf("repeats: %d terms", len(q.Terms))
	}
	var many []string
	for i := 0; i < 30; i++ {
		many = append(many, "w"+strings.Repeat("x", i))
	}
	if q := knowledge.ParseQuery(strings.Join(many, " ")); len(q.Terms) != knowledge.MaxQueryTerms {
		t.Errorf("%d terms, want at most %d", len(q.Terms), knowledge.MaxQueryTerms)
	}
}

func TestSuggest(t *testing.T) {
	vocab := map[string]int{"extradition": 40, "extraditions": 2, "prison": 30, "poison": 1, "conditions": 25, "eaw": 9, "law": 50}
	for in, want := range map[string]string{
		"extradtion": "extradition", "prsion": "prison", "condtions": "conditions", "eaq": "eaw", "xyzzy": "", "prison": "",
	} {
		if got := knowledge.Suggest(in, vocab); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", in, got, want)
		}
	}
	for _, tc := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"a", "", 1}, {"abc", "acb", 1}, {"kitten", "sitting", 3}, {"ca", "abc", 3}} {
		if got := knowledge.EditDistance(tc.a, tc.b); got != tc.d {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.d)
		}
	}
	q := knowledge.ParseQuery(`"prsion conditions" extradtion`)
	if got := q.Replace(map[string]string{"prsion": "prison", "extradtion": "extradition"}).String(); got != `"prison conditions" extradition` {
		t.Errorf("Replace: %s", got)
	}
}

var (
	fts5Shape    = regexp.MustCompile(`^("[\p{L}\p{N} ]+"\*?)( AND "[\p{L}\p{N} ]+"\*?)*$`)
	tsqueryShape = regexp.MustCompile(`^([\p{L}\p{N}]+(:\*)?|\([\p{L}\p{N}]+( <-> [\p{L}\p{N}]+)+\))( & ([\p{L}\p{N}]+(:\*)?|\([\p{L}\p{N}]+( <-> [\p{L}\p{N}]+)+\)))*$`)
)

// FuzzParseQuery checks that whatever is typed, the strings handed to the
// engines have only the shapes the parser means to make: quoted words
// joined by AND, or words, prefixes and phrases joined by &.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{`prison conditions`, `"a b" c*`, `NEAR(a b, 3)`, `a OR b NOT c`, `((("`, `"`, `*`, `col:x`, `\"a\"`, `'; DROP TABLE articles; --`, "a\x00b", `x:* & y | !z <-> w`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		q := knowledge.ParseQuery(in)
		if q.Empty() {
			if q.FTS5() != "" || q.TSQuery() != "" {
				t.Fatalf("empty query renders %q %q", q.FTS5(), q.TSQuery())
			}
			return
		}
		if len(q.Terms) > knowledge.MaxQueryTerms {
			t.Fatalf("%d terms", len(q.Terms))
		}
		if s := q.FTS5(); !fts5Shape.MatchString(s) {
			t.Fatalf("FTS5 form %q of %q", s, in)
		}
		if s := q.TSQuery(); !tsqueryShape.MatchString(s) {
			t.Fatalf("tsquery form %q of %q", s, in)
		}
		if again := knowledge.ParseQuery(q.String()); again.String() != q.String() {
			t.Fatalf("%q reparses as %q", q.String(), again.String())
		}
	})
}

func TestHighlight(t *testing.T) {
	for in, want := range map[string]string{
		"a " + knowledge.MarkStart + "prison" + knowledge.MarkStop + " <b>":  "a <mark>prison</mark> &lt;b&gt;",
		knowledge.MarkStart + "open":                                         "<mark>open</mark>",
		knowledge.MarkStop + "x" + knowledge.MarkStart + knowledge.MarkStart: "x<mark></mark>",
		`"quoted" & 'apos'`: "&#34;quoted&#34; &amp; &#39;apos&#39;",
	} {
		if got := knowledge.Highlight(in); got != want {
			t.Errorf("Highlight(%q) = %q, want %q", in, got, want)
		}
	}
}
