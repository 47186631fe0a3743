package server_test

import (
	"bytes"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"caseboard/internal/demo"
	"caseboard/internal/store"
)

// TestImportFindingsPage: a plan manager uploads a findings spreadsheet
// from the import page; a wrong file is listed row by row and records
// nothing, and the page offers no skipping of wrong rows.
func TestImportFindingsPage(t *testing.T) {
	f := newServer(t, store.SQLite)
	if res := f.do(t, "lawyer", "GET", "/imports/findings", "", ""); res.Status != http.StatusForbidden {
		t.Fatalf("a lawyer sees the findings import: %d", res.Status)
	}
	if res := f.do(t, "abm", "GET", "/plans", "", ""); !strings.Contains(res.Body, `href="/imports/findings"`) {
		t.Errorf("the inspections page does not link to the import")
	}
	b := newBrowser(t, f)
	b.signIn(f.email(t, "abm"), demo.Password)
	page := b.get("/imports/findings")
	action := regexp.MustCompile(`action="(/imports/findings\?csrf_token=[^"]+)"`).FindStringSubmatch(page.Body)
	if action == nil || strings.Contains(page.Body, "skip_invalid") || !strings.Contains(page.Body, "Import findings") {
		t.Fatalf("no upload form, or one that skips rows:\n%.2000s", page.Body)
	}
	upload := func(file string) response {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("file", "findings.csv")
		fw.Write([]byte(file))
		mw.Close()
		req, _ := http.NewRequest("POST", f.ts.URL+html.UnescapeString(action[1]), &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		res, err := b.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		return response{Status: res.StatusCode, Body: string(raw)}
	}
	const report = "The Inspection of CPS International Justice and Organised Crime Division"
	res := upload("inspection,finding,paragraph,text,criteria\n" + report + ",Aspect for improvement 1,5.9,De-briefs,Z9\n")
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Problems in findings.csv") || !strings.Contains(res.Body, "no criterion Z9") {
		t.Fatalf("bad upload: %d\n%.1500s", res.Status, res.Body)
	}
	res = upload("inspection,finding,paragraph,text,criteria\n" + report + ",Aspect for improvement 1,5.9,De-briefs,B2.5\n")
	if res.Status != http.StatusCreated || !strings.Contains(res.Body, "1 added") {
		t.Fatalf("upload: %d\n%.1500s", res.Status, res.Body)
	}
	if page := f.do(t, "inspector", "GET", "/plans/inspections/"+itoa(f.inspectionID), "", ""); !strings.Contains(page.Body, "De-briefs") {
		t.Errorf("the imported finding is not on its inspection's page")
	}
}
