package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"caseboard/internal/demo"
	"caseboard/internal/store"
)

// editRiskForm reads a risk's edit form as the browser shows it: every
// field with its value, so a post changes only what the test sets.
func editRiskForm(t *testing.T, b *browser, id int64) url.Values {
	t.Helper()
	page := b.get(fmt.Sprintf("/risks/%d/edit", id)).Body
	form := url.Values{}
	for _, m := range regexp.MustCompile(`<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		if !strings.Contains(m[0], `type="checkbox"`) && !strings.Contains(m[0], `type="radio"`) {
			form.Set(m[1], htmlUnescape(m[2]))
		}
	}
	for _, m := range regexp.MustCompile(`(?s)<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>`).FindAllStringSubmatch(page, -1) {
		if sel := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindStringSubmatch(m[2]); sel != nil {
			form.Set(m[1], sel[1])
		}
	}
	for _, m := range regexp.MustCompile(`(?s)<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>`).FindAllStringSubmatch(page, -1) {
		form.Set(m[1], htmlUnescape(strings.TrimSpace(m[2])))
	}
	for _, m := range regexp.MustCompile(`<input[^>]*name="category"[^>]*value="([^"]+)" checked>`).FindAllStringSubmatch(page, -1) {
		form.Set("category", m[1])
	}
	for _, m := range regexp.MustCompile(`<input[^>]*name="findings"[^>]*value="([^"]+)" checked>`).FindAllStringSubmatch(page, -1) {
		form.Add("findings", m[1])
	}
	if form.Get("version") == "" || form.Get("csrf_token") == "" {
		t.Fatalf("edit form lacks its version or token:\n%.2000s", page)
	}
	return form
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&#39;", "'", "&amp;", "&", "&quot;", `"`, "&lt;", "<", "&gt;", ">", "&#34;", `"`).Replace(s)
}

func TestEditRiskRefusesStaleSave(t *testing.T) {
	f := newServer(t, store.SQLite)
	first, second := newBrowser(t, f), newBrowser(t, f)
	first.signIn(f.email(t, "lawyer"), demo.Password)
	second.signIn(f.email(t, "lawyer"), demo.Password)
	a, b := editRiskForm(t, first, f.risk2ID), editRiskForm(t, second, f.risk2ID)
	a.Set("title", "Interpreter shortage (renamed)")
	if res := first.post(fmt.Sprintf("/risks/%d/edit", f.risk2ID), a); res.Status != http.StatusSeeOther {
		t.Fatalf("first save: %d\n%.3000s", res.Status, res.Body)
	}
	b.Set("title", "A stale title")
	res := second.post(fmt.Sprintf("/risks/%d/edit", f.risk2ID), b)
	if res.Status != http.StatusConflict || !strings.Contains(res.Body, "changed since you opened it") {
		t.Fatalf("stale save: %d", res.Status)
	}
	if page := first.get(fmt.Sprintf("/risks/%d", f.risk2ID)).Body; !strings.Contains(page, "(renamed)") || strings.Contains(page, "A stale title") {
		t.Fatal("the first save was lost or the stale one kept")
	}
}

func TestRiskFormBadInput(t *testing.T) {
	f := newServer(t, store.SQLite)
	b := newBrowser(t, f)
	b.signIn(f.email(t, "lawyer"), demo.Password)
	form := editRiskForm(t, b, f.riskID)
	form.Set("target_likelihood", "5")
	form.Set("target_impact", "5")
	form.Set("parent", "RSK-99999")
	res := b.post(fmt.Sprintf("/risks/%d/edit", f.riskID), form)
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "There is a problem") ||
		!strings.Contains(res.Body, `href="#parent"`) {
		t.Fatalf("bad input: %d\n%.3000s", res.Status, res.Body)
	}
	form.Set("parent", "")
	res = b.post(fmt.Sprintf("/risks/%d/edit", f.riskID), form)
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "cannot be above the inherent score") {
		t.Fatalf("target above inherent: %d", res.Status)
	}
	// Closing with an open counter-measure asks for confirmation.
	form = editRiskForm(t, b, f.riskID)
	form.Set("status", "closed")
	res = b.post(fmt.Sprintf("/risks/%d/edit", f.riskID), form)
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "open counter-measure") {
		t.Fatalf("close with open measures: %d", res.Status)
	}
	form.Set("close_measures", "yes")
	if res := b.post(fmt.Sprintf("/risks/%d/edit", f.riskID), form); res.Status != http.StatusSeeOther {
		t.Fatalf("confirmed close: %d\n%.3000s", res.Status, res.Body)
	}
}

func TestRiskPagesShowTheRegister(t *testing.T) {
	f := newServer(t, store.Postgres)
	for path, want := range map[string]string{
		"/risks":                              "Prison conditions refusals",
		"/risks?theme=prison+conditions":      "Interpreter shortage",
		"/risks/heatmap":                      `aria-label="2 High: risks with likelihood 3 (Possible) and impact 4 (Major), score 12"`,
		"/risks/tree":                         "Prison conditions refusals",
		"/risks/trends":                       "prison conditions",
		fmt.Sprintf("/risks/%d", f.riskID):    "EX/2017/0042",
		"/risks/appetite":                     "Cautious",
		"/risks?likelihood=3&impact=4&unit=x": "No risks match",
	} {
		res := f.do(t, "inspector", "GET", path, "", "")
		if res.Status != http.StatusOK || !strings.Contains(res.Body, want) {
			t.Errorf("%s: %d, want %q in the page", path, res.Status, want)
		}
	}
	// The head of division approves from their work list.
	if res := f.do(t, "hod", "GET", "/my-work", "", ""); !strings.Contains(res.Body, "Risk acceptances for your decision") {
		t.Error("the approver's work list lacks the acceptance waiting for them")
	}
	if res := f.do(t, "partner", "GET", "/risks", "", ""); res.Status != http.StatusForbidden {
		t.Errorf("a partner reads the register: %d", res.Status)
	}
}
