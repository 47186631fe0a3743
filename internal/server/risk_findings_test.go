package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"caseboard/internal/demo"
	"caseboard/internal/store"
)

// riskFindingIDs reads a risk's links to findings through the API.
func riskFindingIDs(t *testing.T, f *fixture, id int64) (ids []int64, version int64) {
	t.Helper()
	res := f.do(t, "hod", "GET", fmt.Sprintf("/api/v1/risks/%d", id), "", "")
	var d struct {
		Risk struct {
			FindingIDs []int64 `json:"finding_ids"`
			Version    int64   `json:"version"`
		} `json:"risk"`
	}
	if err := json.Unmarshal([]byte(res.Body), &d); res.Status != http.StatusOK || err != nil {
		t.Fatalf("GET risk %d: %d %v", id, res.Status, err)
	}
	return d.Risk.FindingIDs, d.Risk.Version
}

// TestRiskFindingLinksAPI: the risk's owner links it to recommendations in
// the risk's JSON; someone who may only read it, or a finding that does not
// exist, is refused and nothing changes.
func TestRiskFindingLinksAPI(t *testing.T) {
	f := newServer(t, store.Postgres)
	path := fmt.Sprintf("/api/v1/risks/%d", f.riskID)
	_, version := riskFindingIDs(t, f, f.riskID)
	body := fmt.Sprintf(`{"version":%d,"finding_ids":[%d,%d]}`, version, f.findingID, f.finding2ID)
	if res := f.do(t, "inspector", "PATCH", path, "application/json", body); res.Status != http.StatusForbidden {
		t.Fatalf("inspector links a risk: %d", res.Status)
	}
	if res := f.do(t, "lawyer", "PATCH", path, "application/json", body); res.Status != http.StatusOK {
		t.Fatalf("owner links: %d\n%s", res.Status, res.Body)
	}
	ids, version := riskFindingIDs(t, f, f.riskID)
	if want := []int64{min(f.findingID, f.finding2ID), max(f.findingID, f.finding2ID)}; !slices.Equal(ids, want) {
		t.Fatalf("finding ids = %v, want %v", ids, want)
	}
	res := f.do(t, "lawyer", "PATCH", path, "application/json", fmt.Sprintf(`{"version":%d,"finding_ids":[99999]}`, version))
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Header.Get("Content-Type"), "problem+json") ||
		!strings.Contains(res.Body, "99999") || !strings.Contains(res.Body, "finding_ids") {
		t.Fatalf("unknown finding: %d %s\n%s", res.Status, res.Header.Get("Content-Type"), res.Body)
	}
	if after, v := riskFindingIDs(t, f, f.riskID); len(after) != 2 || v != version {
		t.Fatalf("a refused link changed the risk: %v version %d", after, v)
	}
	// An empty list unlinks.
	if res := f.do(t, "lawyer", "PATCH", path, "application/json", fmt.Sprintf(`{"version":%d,"finding_ids":[]}`, version)); res.Status != http.StatusOK {
		t.Fatalf("unlink: %d\n%s", res.Status, res.Body)
	}
	if after, _ := riskFindingIDs(t, f, f.riskID); len(after) != 0 {
		t.Fatalf("still linked: %v", after)
	}
}

// TestRiskFindingLinksPages: ticking a recommendation on the edit form
// links it; the risk's page shows it with its status and the finding's
// page shows the risk, to readers who may see it.
func TestRiskFindingLinksPages(t *testing.T) {
	f := newServer(t, store.SQLite)
	b := newBrowser(t, f)
	b.signIn(f.email(t, "lawyer"), demo.Password)
	form := editRiskForm(t, b, f.riskID)
	if len(form["findings"]) != 0 {
		t.Fatalf("a new risk is already linked to %v", form["findings"])
	}
	form.Add("findings", fmt.Sprint(f.findingID))
	if res := b.post(fmt.Sprintf("/risks/%d/edit", f.riskID), form); res.Status != http.StatusSeeOther {
		t.Fatalf("link: %d\n%.3000s", res.Status, res.Body)
	}
	if form := editRiskForm(t, b, f.riskID); !slices.Equal(form["findings"], []string{fmt.Sprint(f.findingID)}) {
		t.Fatalf("the form shows %v ticked", form["findings"])
	}
	riskPage := f.do(t, "inspector", "GET", fmt.Sprintf("/risks/%d", f.riskID), "", "").Body
	if !strings.Contains(riskPage, fmt.Sprintf(`href="/plans/findings/%d"`, f.findingID)) {
		t.Fatalf("the risk's page lacks the recommendation:\n%.4000s", riskPage)
	}
	findingPage := f.do(t, "inspector", "GET", fmt.Sprintf("/plans/findings/%d", f.findingID), "", "")
	if findingPage.Status != http.StatusOK || !strings.Contains(findingPage.Body, fmt.Sprintf(`href="/risks/%d"`, f.riskID)) {
		t.Fatalf("the finding's page lacks the risk: %d", findingPage.Status)
	}
	if other := f.do(t, "inspector", "GET", fmt.Sprintf("/plans/findings/%d", f.finding2ID), "", "").Body; strings.Contains(other, fmt.Sprintf(`href="/risks/%d"`, f.riskID)) {
		t.Fatal("an unlinked finding shows the risk")
	}
	form = editRiskForm(t, b, f.riskID)
	form.Add("findings", "not-a-number")
	if res := b.post(fmt.Sprintf("/risks/%d/edit", f.riskID), form); res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `href="#findings"`) {
		t.Fatalf("bad finding: %d", res.Status)
	}
	form.Del("findings")
	if res := b.post(fmt.Sprintf("/risks/%d/edit", f.riskID), form); res.Status != http.StatusSeeOther {
		t.Fatalf("unlink: %d", res.Status)
	}
	if page := f.do(t, "inspector", "GET", fmt.Sprintf("/plans/findings/%d", f.findingID), "", "").Body; strings.Contains(page, fmt.Sprintf(`href="/risks/%d"`, f.riskID)) {
		t.Fatal("the unlinked risk still shows on the finding's page")
	}
}

// TestRiskRecommendationEndpoints: one link at a time, without the risk's
// version; linking twice changes nothing; a finding that does not exist is
// 404 and someone who may only read the risk 403, with nothing changed.
func TestRiskRecommendationEndpoints(t *testing.T) {
	f := newServer(t, store.SQLite)
	path := fmt.Sprintf("/api/v1/risks/%d/recommendations", f.riskID)
	items := func(res response) []any {
		t.Helper()
		got, ok := res.json(t)["items"].([]any)
		if !ok {
			t.Fatalf("no items: %s", res.Body)
		}
		return got
	}
	link := fmt.Sprintf("%s/%d", path, f.findingID)
	res := f.do(t, "lawyer", "PUT", link, "", "")
	if res.Status != http.StatusOK || len(items(res)) != 1 || items(res)[0].(map[string]any)["id"] != float64(f.findingID) {
		t.Fatalf("link: %d %s", res.Status, res.Body)
	}
	_, version := riskFindingIDs(t, f, f.riskID)
	if res := f.do(t, "lawyer", "PUT", link, "", ""); res.Status != http.StatusOK || len(items(res)) != 1 {
		t.Fatalf("link again: %d %s", res.Status, res.Body)
	}
	if _, again := riskFindingIDs(t, f, f.riskID); again != version {
		t.Fatalf("linking again changed the version: %d -> %d", version, again)
	}
	if res := f.do(t, "inspector", "PUT", fmt.Sprintf("%s/%d", path, f.finding2ID), "", ""); res.Status != http.StatusForbidden {
		t.Fatalf("inspector links: %d", res.Status)
	}
	res = f.do(t, "lawyer", "PUT", path+"/99999", "", "")
	if res.Status != http.StatusNotFound || !strings.Contains(res.Header.Get("Content-Type"), "problem+json") || !strings.Contains(res.Body, "99999") {
		t.Fatalf("unknown finding: %d %s", res.Status, res.Body)
	}
	if ids, v := riskFindingIDs(t, f, f.riskID); !slices.Equal(ids, []int64{f.findingID}) || v != version {
		t.Fatalf("a refused link changed the risk: %v version %d", ids, v)
	}
	if res := f.do(t, "inspector", "GET", path, "", ""); res.Status != http.StatusOK || len(items(res)) != 1 {
		t.Fatalf("inspector reads the links: %d %s", res.Status, res.Body)
	}
	if res := f.do(t, "partner", "GET", path, "", ""); res.Status != http.StatusForbidden {
		t.Fatalf("partner reads the links: %d", res.Status)
	}
	if res := f.do(t, "lawyer", "DELETE", link, "", ""); res.Status != http.StatusOK || len(items(res)) != 0 {
		t.Fatalf("unlink: %d %s", res.Status, res.Body)
	}
	if ids, v := riskFindingIDs(t, f, f.riskID); len(ids) != 0 || v != version+1 {
		t.Fatalf("after unlinking: %v version %d", ids, v)
	}
}
