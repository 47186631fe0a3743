package web

import (
	"bytes"
	"encoding/json"
	"html/template"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the date helpers are tested in Europe/London on any machine

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// govukComponents maps each GOV.UK Frontend component directory to the
// partial that ports its Nunjucks macro.
var govukComponents = map[string]string{
	"back-link":           "govukBackLink",
	"breadcrumbs":         "govukBreadcrumbs",
	"button":              "govukButton",
	"checkboxes":          "govukCheckboxes",
	"date-input":          "govukDateInput",
	"details":             "govukDetails",
	"error-message":       "govukErrorMessage",
	"error-summary":       "govukErrorSummary",
	"fieldset":            "govukFieldset",
	"footer":              "govukFooter",
	"hint":                "govukHint",
	"input":               "govukInput",
	"inset-text":          "govukInsetText",
	"label":               "govukLabel",
	"notification-banner": "govukNotificationBanner",
	"pagination":          "govukPagination",
	"panel":               "govukPanel",
	"phase-banner":        "govukPhaseBanner",
	"radios":              "govukRadios",
	"select":              "govukSelect",
	"service-navigation":  "govukServiceNavigation",
	"skip-link":           "govukSkipLink",
	"summary-list":        "govukSummaryList",
	"table":               "govukTable",
	"tag":                 "govukTag",
	"textarea":            "govukTextarea",
	"warning-text":        "govukWarningText",
}

// skippedFixtures lists fixtures that cannot apply to the Go port, keyed
// "component/fixture name", each with its reason. Keep it empty if at all
// possible.
var skippedFixtures = map[string]string{}

const govukComponentsDir = "../node_modules/govuk-frontend/dist/govuk/components"

type fixtureFile struct {
	Component string    `json:"component"`
	Fixtures  []fixture `json:"fixtures"`
}

type fixture struct {
	Name    string         `json:"name"`
	Options map[string]any `json:"options"`
	HTML    string         `json:"html"`
	Hidden  bool           `json:"hidden"`
}

func TestGOVUKComponentFixtures(t *testing.T) {
	if _, err := os.Stat(govukComponentsDir); err != nil {
		t.Fatalf("govuk-frontend is not installed (%v): run `make assets` or `npm install` at the repository root", err)
	}
	tmpl := mustParseComponents(t)
	names := make([]string, 0, len(govukComponents))
	for dir := range govukComponents {
		names = append(names, dir)
	}
	slices.Sort(names)
	for _, dir := range names {
		partial := govukComponents[dir]
		raw, err := os.ReadFile(filepath.Join(govukComponentsDir, dir, "fixtures.json"))
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		var file fixtureFile
		if err := json.Unmarshal(raw, &file); err != nil {
			t.Fatalf("%s: fixtures.json: %v", dir, err)
		}
		if len(file.Fixtures) == 0 {
			t.Fatalf("%s: fixtures.json holds no fixtures", dir)
		}
		for _, fx := range file.Fixtures {
			t.Run(dir+"/"+fx.Name, func(t *testing.T) {
				if reason, ok := skippedFixtures[dir+"/"+fx.Name]; ok {
					t.Skip(reason)
				}
				got := render(t, tmpl, partial, fx.Options)
				assertSameHTML(t, got, fx.HTML)
			})
		}
	}
}

// TestSkippedFixturesExist keeps the allow-list honest: every entry must
// name a real fixture of a ported component.
func TestSkippedFixturesExist(t *testing.T) {
	for key := range skippedFixtures {
		dir, name, _ := strings.Cut(key, "/")
		if _, ok := govukComponents[dir]; !ok {
			t.Errorf("skippedFixtures: %q: no such component", key)
			continue
		}
		raw, err := os.ReadFile(filepath.Join(govukComponentsDir, dir, "fixtures.json"))
		if err != nil {
			t.Fatal(err)
		}
		var file fixtureFile
		if err := json.Unmarshal(raw, &file); err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(file.Fixtures, func(f fixture) bool { return f.Name == name }) {
			t.Errorf("skippedFixtures: %q: no such fixture", key)
		}
	}
}

func mustParseComponents(t *testing.T) *template.Template {
	t.Helper()
	tmpl, err := template.New("components").Funcs(Funcs()).ParseGlob("templates/components/*.gohtml")
	if err != nil {
		t.Fatal(err)
	}
	return tmpl
}

func render(t *testing.T, tmpl *template.Template, name string, data any) string {
	t.Helper()
	var buf bytes.Buffer
	if err := tmpl.ExecuteTemplate(&buf, name, data); err != nil {
		t.Fatalf("render %s: %v", name, err)
	}
	return buf.String()
}

func assertSameHTML(t *testing.T, got, want string) {
	t.Helper()
	g, w := normaliseHTML(t, got), normaliseHTML(t, want)
	if g != w {
		t.Errorf("markup differs\n--- got (normalised)\n%s\n--- want (normalised)\n%s\n--- got (raw)\n%s", g, w, got)
	}
}

// normaliseHTML parses a fragment and writes it back one node a line, so
// that markup differing only in insignificant whitespace, attribute order,
// class spacing or entity spelling compares equal.
func normaliseHTML(t *testing.T, s string) string {
	t.Helper()
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(s), body)
	if err != nil {
		t.Fatalf("parse HTML: %v", err)
	}
	var b strings.Builder
	for _, n := range nodes {
		writeNode(&b, n, 0)
	}
	return b.String()
}

func writeNode(b *strings.Builder, n *html.Node, depth int) {
	indent := strings.Repeat("  ", depth)
	switch n.Type {
	case html.TextNode:
		text := strings.Join(strings.Fields(n.Data), " ")
		if text != "" {
			b.WriteString(indent + text + "\n")
		}
	case html.ElementNode:
		attrs := slices.Clone(n.Attr)
		slices.SortFunc(attrs, func(a, b html.Attribute) int {
			return strings.Compare(a.Namespace+":"+a.Key, b.Namespace+":"+b.Key)
		})
		b.WriteString(indent + "<" + n.Data)
		for _, a := range attrs {
			val := a.Val
			if a.Key == "class" {
				val = strings.Join(strings.Fields(val), " ")
			}
			key := a.Key
			if a.Namespace != "" {
				key = a.Namespace + ":" + key
			}
			b.WriteString(" " + key + "=" + quote(val))
		}
		b.WriteString(">\n")
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			writeNode(b, c, depth+1)
		}
		if !voidElements[n.Data] {
			b.WriteString(indent + "</" + n.Data + ">\n")
		}
	}
	// Comments and doctypes carry no meaning for a component's markup.
}

var voidElements = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true,
	"input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true,
}

func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

// TestComponentGoldenFiles renders partials against golden files. Each
// file opens with an HTML comment holding {"partial": ..., "options": ...};
// the markup after it is what the Nunjucks macro produces for them.
// testdata/moj covers the MOJ Frontend partials, whose package ships no
// fixtures, by hand from MOJ's template.njk files; testdata/govuk adds GOV.UK
// edge cases the published fixtures miss (see its README).
func TestComponentGoldenFiles(t *testing.T) {
	files, err := filepath.Glob("testdata/*/*.html")
	if err != nil {
		t.Fatal(err)
	}
	tmpl := mustParseComponents(t)
	covered := map[string]bool{}
	for _, file := range files {
		name := filepath.Base(filepath.Dir(file)) + "/" + strings.TrimSuffix(filepath.Base(file), ".html")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			head, want, ok := strings.Cut(string(raw), "-->")
			head, found := strings.CutPrefix(strings.TrimSpace(head), "<!--")
			if !ok || !found {
				t.Fatal("golden file must open with <!-- {\"partial\": ..., \"options\": ...} -->")
			}
			var c struct {
				Partial string         `json:"partial"`
				Options map[string]any `json:"options"`
			}
			dec := json.NewDecoder(strings.NewReader(head))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&c); err != nil {
				t.Fatalf("golden file header: %v", err)
			}
			covered[c.Partial] = true
			assertSameHTML(t, render(t, tmpl, c.Partial, c.Options), want)
		})
	}
	for _, partial := range []string{"mojBadge", "mojButtonMenu", "mojFilter", "mojIdentityBar", "mojPagination", "mojSubNavigation", "mojTicketPanel", "mojTimeline"} {
		if !covered[partial] {
			t.Errorf("%s has no golden file in testdata/moj", partial)
		}
	}
}

// The helpers in funcs.go are tested here with the partials that need them.

func TestDict(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		got, err := dict("text", "Open", "count", 2, "missing", nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got["text"] != "Open" || got["count"] != 2 {
			t.Errorf("dict = %#v", got)
		}
		if _, ok := got["missing"]; ok {
			t.Error("dict kept a nil value; partials rely on it being left out")
		}
	})
	t.Run("ErrOddArguments", func(t *testing.T) {
		if _, err := dict("text"); err == nil {
			t.Error("want an error for an odd number of arguments")
		}
	})
	t.Run("ErrKeyNotString", func(t *testing.T) {
		if _, err := dict(1, "x"); err == nil {
			t.Error("want an error for a non-string key")
		}
	})
}

func TestListAndAppend(t *testing.T) {
	l := list("a", 2)
	if len(l) != 2 || l[0] != "a" || l[1] != 2 {
		t.Errorf("list = %#v", l)
	}
	got, err := appendItems(l, "c")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[2] != "c" || len(l) != 2 {
		t.Errorf("append = %#v, original now %#v", got, l)
	}
	got[0] = "changed"
	if l[0] != "a" {
		t.Error("append shares its result with the original list")
	}
	if got, err := appendItems(nil, 1); err != nil || len(got) != 1 {
		t.Errorf("append to nil = %#v, %v", got, err)
	}
	if _, err := appendItems("not a list", 1); err == nil {
		t.Error("want an error appending to a string")
	}
}

func TestSafeHTML(t *testing.T) {
	for _, tc := range []struct {
		in   any
		want template.HTML
	}{
		{nil, ""},
		{"<b>x</b>", "<b>x</b>"},
		{template.HTML("<i>y</i>"), "<i>y</i>"},
		{2.0, "2"},
	} {
		if got := safeHTML(tc.in); got != tc.want {
			t.Errorf("safeHTML(%#v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestAttrs(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   any
		want template.HTMLAttr
	}{
		{"Nil", nil, ""},
		{"String", ` data-x="1"`, ` data-x="1"`},
		{"Values", map[string]any{"data-b": "x\"<y>&'", "aria-hidden": true, "data-n": 3.0, "data-f": false}, ` aria-hidden="true" data-b="x&#34;&lt;y&gt;&amp;&#39;" data-f="false" data-n="3"`},
		{"NilValue", map[string]any{"hidden": nil}, ` hidden=""`},
		{"OptionalTrue", map[string]any{"hidden": map[string]any{"value": true, "optional": true}}, ` hidden`},
		{"OptionalOmitted", map[string]any{"a": map[string]any{"value": false, "optional": true}, "b": map[string]any{"optional": true}}, ``},
		{"OptionalString", map[string]any{"pattern": map[string]any{"value": "[0-9]*", "optional": true}}, ` pattern="[0-9]*"`},
		{"OptionalEmptyStringKept", map[string]any{"value": map[string]any{"value": "", "optional": true}}, ` value=""`},
		{"NotOptional", map[string]any{"data-x": map[string]any{"value": false}}, ` data-x="false"`},
		{"SafeValue", map[string]any{"data-x": template.HTML("&amp;")}, ` data-x="&amp;"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := attrs(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("attrs = %q, want %q", got, tc.want)
			}
		})
	}
	for _, tc := range []struct {
		name string
		in   any
	}{
		{"ErrNameBreaksTag", map[string]any{`x"><script`: "1"}},
		{"ErrEmptyName", map[string]any{"": "1"}},
		{"ErrEventHandler", map[string]any{"onclick": "alert(1)"}},
		{"ErrEventHandlerUpperCase", map[string]any{"ONLOAD": "x"}},
		{"ErrType", []any{"data-x"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, err := attrs(tc.in); err == nil {
				t.Errorf("attrs = %q, want an error", got)
			}
		})
	}
}

func TestTruthy(t *testing.T) {
	var nilMap map[string]any
	for _, tc := range []struct {
		in   any
		want bool
	}{
		{nil, false}, {false, false}, {true, true}, {"", false}, {"0", true},
		{0.0, false}, {-1.5, true}, {0, false}, {7, true}, {math.NaN(), false},
		{map[string]any{}, true}, {[]any{}, true}, {nilMap, true},
		{template.HTML(""), false}, {template.HTML("x"), true},
	} {
		if got := truthy(tc.in); got != tc.want {
			t.Errorf("truthy(%#v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestHasAndIsMap(t *testing.T) {
	m := map[string]any{"off": false, "null": nil}
	if !has(m, "off") || !has(m, "null") || has(m, "missing") || has("str", "off") || has(nil, "x") {
		t.Error("has gave a wrong answer")
	}
	if !isMap(m) || isMap("x") || isMap(nil) || isMap([]any{}) {
		t.Error("isMap gave a wrong answer")
	}
}

func TestDefault(t *testing.T) {
	if got := defaultValue("Error", nil); got != "Error" {
		t.Errorf("default of nil = %#v", got)
	}
	for _, v := range []any{"", false, 0.0, "x"} {
		if got := defaultValue("Error", v); got != v {
			t.Errorf("default of %#v = %#v, want it kept", v, got)
		}
	}
}

func TestLooseEq(t *testing.T) {
	for _, tc := range []struct {
		a, b any
		want bool
	}{
		{"a", "a", true}, {"a", "b", false},
		{2.0, "2", true}, {"2", 2, true}, {2.0, 2, true}, {"2.0", 2.0, true},
		{"", 0.0, true}, {"x", 0.0, false}, {true, 1.0, true}, {true, "1", true},
		{false, "", true}, {false, nil, false}, {nil, nil, true}, {nil, "", false},
		{map[string]any{}, map[string]any{}, false}, {template.HTML("a"), "a", true},
	} {
		if got := looseEq(tc.a, tc.b); got != tc.want {
			t.Errorf("looseEq(%#v, %#v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestIn(t *testing.T) {
	for _, tc := range []struct {
		needle, haystack any
		want             bool
	}{
		{"a", []any{"b", "a"}, true},
		{"1", []any{1.0}, false}, // strict, as Array.prototype.indexOf
		{1.0, []any{1.0}, true},
		{true, []any{true, false}, true},
		{"x", []any{true, false}, false},
		{nil, []any{true, false}, false},
		{"a", []string{"a"}, true},
		{"--error", "govuk-input govuk-input--error", true},
		{"--width-", "govuk-input", false},
		{"k", map[string]any{"k": nil}, true},
		{"z", map[string]any{"k": 1}, false},
	} {
		got, err := in(tc.needle, tc.haystack)
		if err != nil {
			t.Errorf("in(%#v, %#v): %v", tc.needle, tc.haystack, err)
		} else if got != tc.want {
			t.Errorf("in(%#v, %#v) = %v, want %v", tc.needle, tc.haystack, got, tc.want)
		}
	}
	for _, haystack := range []any{nil, 3.0, true} {
		if _, err := in("a", haystack); err == nil {
			t.Errorf("in(\"a\", %#v): want an error", haystack)
		}
	}
}

func TestStringHelpers(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{concat("a", "-", 2.0, nil, true), "a-2true"},
		{concat(1.5, []any{"x", 2.0}), "1.5x,2"},
		{tokens("govuk-input", "", nil, false, "govuk-input--error"), "govuk-input govuk-input--error"},
		{tokens(), ""},
		{capitalize("dAY"), "Day"},
		{capitalize("éTÉ"), "Été"},
		{capitalize(nil), ""},
		{lower("BUTTON"), "button"},
		{jsString(1e21), "1e+21"},
		{jsString(1.5e-7), "1.5e-7"},
		{jsString(123456789012.5), "123456789012.5"},
		{jsString(-0.000001), "-0.000001"},
		{jsString(map[string]any{}), "[object Object]"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestAdd(t *testing.T) {
	if got, err := add(1, 2.0); err != nil || got != 3 {
		t.Errorf("add(1, 2.0) = %d, %v", got, err)
	}
	for _, bad := range [][2]any{{1, 0.5}, {"1", 1}, {nil, 1}} {
		if _, err := add(bad[0], bad[1]); err == nil {
			t.Errorf("add(%#v, %#v): want an error", bad[0], bad[1])
		}
	}
}

// inLondon runs f with the local time zone set to Europe/London, where
// caseboard runs, restoring it afterwards.
func inLondon(t *testing.T, f func()) {
	t.Helper()
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	saved := time.Local
	time.Local = london
	defer func() { time.Local = saved }()
	f()
}

func TestMojDate(t *testing.T) {
	inLondon(t, func() {
		for _, tc := range []struct {
			ts   any
			kind string
			want string
		}{
			{"2025-03-04T14:05:00", "datetime", "4 March 2025 at 2:05pm"},
			{"2025-03-04T09:00:00", "shortdatetime", "4 Mar 2025 at 9am"},
			{"2025-03-04", "date", "4 March 2025"},
			{"2025-03-04T12:00:00Z", "shortdate", "4 Mar 2025"},
			// British Summer Time: 23:30 UTC is 00:30 the next day in London.
			{"2025-07-01T23:30:00Z", "datetime", "2 July 2025 at 12:30am"},
			{"2025-07-01T23:30:00.000+01:00", "time", "11:30pm"},
			{time.Date(2025, 1, 5, 0, 0, 0, 0, time.UTC), "date", "5 January 2025"},
			{"not a date", "unknown-type", "not a date"},
			{nil, "date", ""},
		} {
			got, err := mojDate(tc.ts, tc.kind)
			if err != nil {
				t.Errorf("mojDate(%#v, %q): %v", tc.ts, tc.kind, err)
			} else if got != tc.want {
				t.Errorf("mojDate(%#v, %q) = %q, want %q", tc.ts, tc.kind, got, tc.want)
			}
		}
		if _, err := mojDate("yesterday", "date"); err == nil {
			t.Error("mojDate: want an error for an unparseable timestamp")
		}
		if _, err := mojDate(20250101.0, "date"); err == nil {
			t.Error("mojDate: want an error for a number")
		}
	})
}

func TestMomentFormat(t *testing.T) {
	inLondon(t, func() {
		for _, tc := range []struct {
			ts     any
			format any
			want   string
		}{
			{"2025-01-02T08:30:05", "dddd Do MMMM YYYY [at] HH:mm:ss", "Thursday 2nd January 2025 at 08:30:05"},
			{"2025-11-13T17:04:00", "ddd D MMM YY, h:mm a", "Thu 13 Nov 25, 5:04 pm"},
			{"2025-03-01T00:00:00", "DD/MM/YYYY Do", "01/03/2025 1st"},
			{"2025-03-22T09:00:00", "Do M H:m:s A", "22nd 3 9:0:0 AM"},
			{"2025-03-11T21:00:00", "Do hh [[x]", "11th 09 [x"},
			{"2025-06-01T12:00:00", nil, "2025-06-01T12:00:00+01:00"},
			{"2025-06-01T12:00:00", "Z", "+01:00"},
			{nil, "YYYY", ""},
		} {
			got, err := momentFormat(tc.ts, tc.format)
			if err != nil {
				t.Errorf("momentFormat(%#v, %#v): %v", tc.ts, tc.format, err)
			} else if got != tc.want {
				t.Errorf("momentFormat(%#v, %#v) = %q, want %q", tc.ts, tc.format, got, tc.want)
			}
		}
		if _, err := momentFormat("soon", "YYYY"); err == nil {
			t.Error("momentFormat: want an error for an unparseable timestamp")
		}
	})
}

// TestPartialsRenderInPageContext checks the partials as pages use them:
// called from another template with params built by dict and list, where
// text params are escaped and html params are not.
func TestPartialsRenderInPageContext(t *testing.T) {
	tmpl := mustParseComponents(t)
	page := template.Must(template.Must(tmpl.Clone()).New("page").Parse(
		`{{template "govukTag" (dict "text" .Status "classes" "govuk-tag--red")}}` +
			`{{template "govukSummaryList" (dict "rows" (list (dict "key" (dict "text" "Defendant") "value" (dict "html" "<b>Bold</b>"))))}}` +
			`{{template "govukFieldsetStart" (dict "legend" (dict "text" "Dates" "isPageHeading" true))}}<p>inside</p>{{template "govukFieldsetEnd"}}`))
	var buf bytes.Buffer
	if err := page.ExecuteTemplate(&buf, "page", map[string]any{"Status": "<script>x</script>"}); err != nil {
		t.Fatal(err)
	}
	assertSameHTML(t, buf.String(), `
		<strong class="govuk-tag govuk-tag--red">&lt;script&gt;x&lt;/script&gt;</strong>
		<dl class="govuk-summary-list">
		  <div class="govuk-summary-list__row">
		    <dt class="govuk-summary-list__key">Defendant</dt>
		    <dd class="govuk-summary-list__value"><b>Bold</b></dd>
		  </div>
		</dl>
		<fieldset class="govuk-fieldset">
		  <legend class="govuk-fieldset__legend"><h1 class="govuk-fieldset__heading">Dates</h1></legend>
		  <p>inside</p>
		</fieldset>`)
}

// TestPartialsURLEscaping checks that hrefs keep html/template's URL
// filtering: a javascript: URL from data must not become a live link.
func TestPartialsURLEscaping(t *testing.T) {
	tmpl := mustParseComponents(t)
	got := render(t, tmpl, "govukBackLink", map[string]any{"href": "javascript:alert(1)"})
	if !strings.Contains(got, `href="#ZgotmplZ"`) {
		t.Errorf("javascript: URL was not neutralised: %s", got)
	}
}

// TestPartialsWithoutParams renders every public partial with no params, as
// a Nunjucks macro called with none renders: a missing param must read as
// undefined, never fail.
func TestPartialsWithoutParams(t *testing.T) {
	tmpl := mustParseComponents(t)
	var names []string
	for _, tt := range tmpl.Templates() {
		if name := tt.Name(); strings.HasPrefix(name, "govuk") || strings.HasPrefix(name, "moj") {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	if len(names) < len(govukComponents)+8 {
		t.Fatalf("found only %d partials: %v", len(names), names)
	}
	for _, name := range names {
		for _, params := range []map[string]any{nil, {}} {
			var buf bytes.Buffer
			if err := tmpl.ExecuteTemplate(&buf, name, params); err != nil {
				t.Errorf("%s with params %#v: %v", name, params, err)
			}
		}
	}
}

// TestNormaliseHTML checks the comparison itself: it must ignore what the
// fixtures' whitespace and entity spelling vary in, and nothing else.
func TestNormaliseHTML(t *testing.T) {
	same := [][2]string{
		{"<p class=\" a  b \"\n id=x>It&#39;s</p>", "<p id=\"x\" class=\"a b\">It&#x27;s</p>"},
		{"<div>\n  <span>a</span>\n\n  b  c\n</div>", "<div><span>a</span>b c</div>"},
		{"<a href=\"/x?a=1&amp;b=2\">&#43;</a>", "<a href='/x?a=1&b=2'>+</a>"},
		{"<input disabled><!-- note -->", "<input disabled=\"\">"},
	}
	for _, pair := range same {
		if g, w := normaliseHTML(t, pair[0]), normaliseHTML(t, pair[1]); g != w {
			t.Errorf("want equal:\n%s\n%s", g, w)
		}
	}
	different := [][2]string{
		{"<p>a b</p>", "<p>ab</p>"},
		{"<p id=\"x\">a</p>", "<p id=\"y\">a</p>"},
		{"<p data-x=\" a\">a</p>", "<p data-x=\"a\">a</p>"},
		{"<p><span>a</span></p>", "<p>a</p>"},
		{"<input disabled>", "<input>"},
		{"<b>a</b><i>b</i>", "<i>b</i><b>a</b>"},
	}
	for _, pair := range different {
		if normaliseHTML(t, pair[0]) == normaliseHTML(t, pair[1]) {
			t.Errorf("want different: %q and %q", pair[0], pair[1])
		}
	}
}
