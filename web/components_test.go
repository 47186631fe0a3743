package web

import (
	"bytes"
	"encoding/json"
	"html/template"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

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
		b.WriteString(indent + "</" + n.Data + ">\n")
	}
	// Comments and doctypes carry no meaning for a component's markup.
}

func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}
