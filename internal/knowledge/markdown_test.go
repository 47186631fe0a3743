package knowledge_test

import (
	"strings"
	"testing"

	"golang.org/x/net/html"

	"caseboard/internal/knowledge"
)

func TestRender(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []string // substrings the output must have
		not      []string // substrings it must not
	}{
		{"Heading moves down a level", "# Scope\n\n## Detail", []string{`<h2 class="govuk-heading-l">Scope</h2>`, `<h3 class="govuk-heading-m">Detail</h3>`}, nil},
		{"Paragraph", "Plain *text* and **bold**.", []string{`<p class="govuk-body">Plain <em>text</em> and <strong>bold</strong>.</p>`}, nil},
		{"Lists", "- one\n- two\n\n1. first", []string{`<ul class="govuk-list govuk-list--bullet">`, `<ol class="govuk-list govuk-list--number">`, "<li>one</li>"}, nil},
		{"Table", "| a | b |\n|---|---|\n| 1 | 2 |", []string{`<table class="govuk-table">`, `<th class="govuk-table__header">a</th>`, `<td class="govuk-table__cell">1</td>`}, nil},
		{"Safe link", "[Act](https://www.legislation.gov.uk/ukpga/2003/41)", []string{`<a class="govuk-link" href="https://www.legislation.gov.uk/ukpga/2003/41">Act</a>`}, nil},
		{"Link within the site", "[case](/cases/12)", []string{`href="/cases/12"`}, nil},
		{"Mail link", "<mailto:desk@cps.example>", []string{`href="mailto:desk@cps.example"`}, nil},
		{"Script tag is text", "<script>alert(1)</script>", []string{"&lt;script&gt;alert(1)&lt;/script&gt;"}, []string{"<script"}},
		{"Inline HTML is text", "a <b onmouseover=\"x()\">b</b>", []string{"&lt;b onmouseover=&quot;x()&quot;&gt;"}, []string{"<b "}},
		{"javascript link shows text only", "[click](javascript:alert(1))", []string{"click"}, []string{"href", "javascript"}},
		{"Mixed case scheme", "[x](JaVaScRiPt:alert(1))", nil, []string{"href"}},
		{"Entity-encoded scheme", "[x](&#106;avascript:alert(1))", nil, []string{"href"}},
		{"Tab in scheme", "[x](java&#9;script:alert(1))", nil, []string{"href"}},
		{"data URL", "[x](data:text/html;base64,PHNjcmlwdD4=)", nil, []string{"href"}},
		{"vbscript", "[x](vbscript:msgbox)", nil, []string{"href"}},
		{"Protocol-relative", "[x](//evil.example/)", nil, []string{"href"}},
		{"Autolink javascript", "<javascript:alert(1)>", []string{"javascript:alert(1)"}, []string{"href"}},
		{"Image is a link", "![map](https://maps.example/a.png)", []string{`href="https://maps.example/a.png">Image: map</a>`}, []string{"<img"}},
		{"Image with bad URL", "![x](javascript:alert(1))", []string{"[Image: x]"}, []string{"<img", "href"}},
		{"Quote in title escaped", `[x](https://a.example "t\" onclick=\"y")`, []string{`title="t&quot; onclick=&quot;y"`}, nil},
		{"Code is escaped", "```\n<b>x</b>\n```", []string{"&lt;b&gt;x&lt;/b&gt;"}, []string{"<b>"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := knowledge.Render(tc.in)
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(out, n) {
					t.Errorf("output has %q:\n%s", n, out)
				}
			}
			if problem := unsafeMarkup(out); problem != "" {
				t.Errorf("unsafe output: %s\n%s", problem, out)
			}
		})
	}
}

func TestSafeURL(t *testing.T) {
	for url, want := range map[string]bool{
		"https://example.org/x": true, "http://example.org": true, "mailto:a@b.example": true, "/knowledge/1": true,
		"#section": true, "?q=x": true, "page": true, "": false, "javascript:x": false, "JAVASCRIPT:x": false,
		" javascript:x": false, "java\nscript:x": false, "data:text/html,x": false, "file:///etc/passwd": false,
		"//evil.example": false, `\\evil.example`: false, "https:": false, "ftp://x.example": false, "a:b/c": false,
	} {
		if got := knowledge.SafeURL(url); got != want {
			t.Errorf("SafeURL(%q) = %v, want %v", url, got, want)
		}
	}
}

// allowedElements are every element the renderer may produce.
var allowedElements = map[string]bool{
	"h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "p": true, "em": true, "strong": true, "del": true,
	"ul": true, "ol": true, "li": true, "a": true, "blockquote": true, "pre": true, "code": true, "hr": true, "br": true,
	"table": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true, "input": false,
}

// unsafeMarkup parses HTML as a browser would and says what in it could
// run script or load anything, or "" when nothing could.
func unsafeMarkup(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			if !allowedElements[tok.Data] {
				return "element <" + tok.Data + ">"
			}
			for _, a := range tok.Attr {
				name := strings.ToLower(a.Key)
				switch {
				case strings.HasPrefix(name, "on"):
					return "event handler " + name
				case name == "href" && !knowledge.SafeURL(a.Val):
					return "href " + a.Val
				case name == "src" || name == "style" || name == "srcset" || name == "formaction":
					return "attribute " + name
				case name != "href" && name != "class" && name != "title" && name != "start" && name != "align":
					return "attribute " + name
				}
			}
		}
	}
}

// FuzzRender renders any text and checks, with a browser's parser, that no
// script element, event handler attribute or unsafe URL ever comes out,
// and that the raw output has none of their tell-tale strings either.
func FuzzRender(f *testing.F) {
	for _, seed := range []string{
		"# Heading\n\nText with [link](https://example.org) and `code`.",
		"<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
		"[x](JAVASCRIPT:alert(1))", "[x](&#x6A;avascript:alert(1))", "<a href=\"javascript:x\">y</a>",
		"![i](javascript:alert(1))", "<svg onload=alert(1)>", "| a |\n|---|\n| <script> |", "<javascript:alert(1)>",
		"[a](<javascript:alert(1)>)", "<div>\n<script>\n</script>\n</div>", "www.example.com/javascript:x",
		"[x]: javascript:alert(1)\n\n[y][x]", "<!-- <script> -->", "<![CDATA[<script>]]>", "`<script>`",
		"[x](java\tscript:alert(1))", "a@b.example", "<iframe src=x>", "<style>*{}</style>",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := knowledge.Render(in)
		if problem := unsafeMarkup(out); problem != "" {
			t.Fatalf("unsafe output (%s) for %q:\n%s", problem, in, out)
		}
		lower := strings.ToLower(out)
		for _, bad := range []string{"<script", "<iframe", "<img", "<svg", "<style", `href="javascript:`, `href="data:`, `href="vbscript:`} {
			if strings.Contains(lower, bad) {
				t.Fatalf("output holds %q for %q:\n%s", bad, in, out)
			}
		}
	})
}
