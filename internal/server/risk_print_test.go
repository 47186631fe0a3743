package server_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"caseboard/internal/demo"
	"caseboard/internal/store"
)

func TestRiskDownloads(t *testing.T) {
	f := newServer(t, store.Postgres)
	for path, want := range map[string]string{
		"/risks/register.pdf":                        "application/pdf",
		"/risks/register.pdf?unit=extradition":       "application/pdf",
		"/risks/heatmap.pdf?rating=inherent":         "application/pdf",
		"/risks/export.xlsx?theme=prison+conditions": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	} {
		res := f.do(t, "inspector", "GET", path, "", "")
		if res.Status != 200 || res.Header.Get("Content-Type") != want || len(res.Body) < 1000 {
			t.Errorf("%s: %d %s, %d bytes", path, res.Status, res.Header.Get("Content-Type"), len(res.Body))
		}
		if want == "application/pdf" && !strings.HasPrefix(res.Body, "%PDF-") {
			t.Errorf("%s is not a PDF", path)
		}
	}
	for _, path := range []string{"/risks/register.pdf?band=Nope", "/risks/heatmap.pdf?rating=worst", "/risks/export.xlsx?as_at=yesterday"} {
		if res := f.do(t, "inspector", "GET", path, "", ""); res.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422", path, res.Status)
		}
	}
	if res := f.do(t, "partner", "GET", "/risks/register.pdf", "", ""); res.Status != http.StatusForbidden {
		t.Errorf("a partner prints the register: %d", res.Status)
	}
}

func TestRiskImportRoundTrip(t *testing.T) {
	f := newServer(t, store.SQLite)
	export := f.do(t, "hod", "GET", "/risks/export.xlsx?status=all", "", "")
	if export.Status != 200 {
		t.Fatalf("export: %d", export.Status)
	}
	const xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	// Into the register it came from, every row names a risk it has:
	// each is brought up to date, and none has changed.
	res := f.do(t, "hod", "POST", "/api/v1/imports/risks?name=again", xlsx, export.Body)
	body := res.json(t)
	if res.Status != http.StatusCreated || body["committed"] != true || body["added"] != 0.0 || body["changed"] != 0.0 || body["unchanged"] != 2.0 {
		t.Fatalf("%d %s", res.Status, res.Body)
	}
	// An inspector may not change risks: refused, row by row.
	res = f.do(t, "inspector", "POST", "/api/v1/imports/risks?name=again", xlsx, export.Body)
	if res.Status != http.StatusForbidden && res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("inspector re-import: %d %s", res.Status, res.Body)
	}
	// Renamed, the same rows import as new risks.
	csv := "reference,title,cause,event,consequence,category,unit,owner,inherent_likelihood,inherent_impact,current_likelihood,current_impact,target_likelihood,target_impact,review_months,next_review\n" +
		"EX-NEW-1,Interpreter shortage,few interpreters,hearings adjourn,time limits missed,operational,extradition," + f.email(t, "lawyer") + ",4,4,3,4,2,3,3,2031-01-31\n"
	b := newBrowser(t, f)
	b.signIn(f.email(t, "lawyer"), demo.Password)
	if page := b.get("/imports/risks"); page.Status != 200 || strings.Contains(page.Body, "skip_invalid") {
		t.Fatalf("upload page: %d", page.Status)
	}
	upload := func(name, content string) response {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		part, _ := mw.CreateFormFile("file", name)
		part.Write([]byte(content))
		mw.Close()
		req, _ := http.NewRequest("POST", f.ts.URL+"/imports/risks?csrf_token="+b.csrf(), &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		r, err := b.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		var out bytes.Buffer
		out.ReadFrom(r.Body)
		return response{Status: r.StatusCode, Header: r.Header, Body: out.String()}
	}
	bad := strings.Replace(csv, ",extradition,", ",organised_crime,", 1)
	if res := upload("register.csv", bad); res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "only into your own units") {
		t.Fatalf("another unit: %d %.3000s", res.Status, res.Body)
	}
	if res := upload("register.csv", csv); res.Status != http.StatusCreated || !strings.Contains(res.Body, "1 added") {
		t.Fatalf("upload: %d %.3000s", res.Status, res.Body)
	}
	if page := f.do(t, "inspector", "GET", "/risks?q=EX-NEW-1", "", ""); !strings.Contains(page.Body, "Interpreter shortage") {
		t.Fatal("the imported risk is not in the register")
	}
	// The same file with a new current rating brings the risk up to date.
	rescored := strings.Replace(csv, ",4,4,3,4,2,3,", ",4,4,2,4,2,3,", 1)
	if res := upload("register.csv", rescored); res.Status != http.StatusCreated || !strings.Contains(res.Body, "0 added, 1 changed, 0 unchanged") {
		t.Fatalf("updating upload: %d %.3000s", res.Status, res.Body)
	}
	if page := f.do(t, "inspector", "GET", "/risks?q=EX-NEW-1", "", ""); !strings.Contains(page.Body, "Interpreter shortage") {
		t.Fatal("the updated risk is not in the register")
	}
	id, err := f.db.RiskIDByReference(context.Background(), "EX-NEW-1")
	if err != nil {
		t.Fatal(err)
	}
	history, _ := f.db.RiskHistory(context.Background(), id)
	if len(history) != 2 || history[1].Current.Score() != 8 {
		t.Fatalf("score history after the update: %+v", history)
	}
}
