package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"caseboard/internal/demo"
	"caseboard/internal/risk"
	"caseboard/internal/store"
)

// lastQuarter is the financial quarter before the one containing now.
func lastQuarter(quartersBack int) string {
	start, _, _ := risk.ParseQuarter(risk.QuarterKey(time.Now()))
	return risk.QuarterKey(start.AddDate(0, -3*quartersBack, 0))
}

// signOffAllBut signs off every unit of a snapshot, through the store,
// except the one given.
func (f *fixture) signOffAllBut(t testing.TB, quarter string, except int64) {
	t.Helper()
	ctx := context.Background()
	units, err := f.db.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range units {
		if u.ID == except {
			continue
		}
		head, err := f.db.Principal(ctx, *u.HeadID)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.db.SignOffSnapshot(ctx, head, quarter, &risk.SignOff{UnitID: u.ID, Comments: "Reviewed at the unit's meeting."}); err != nil {
			t.Fatalf("%s: %v", u.Code, err)
		}
	}
}

// assuranceSample readies the snapshots the OpenAPI samples act on:
// {quarter} has a snapshot to read and sign off, {certify_quarter} one
// with every unit signed off.
func (f *fixture) assuranceSample(t *testing.T, path, body string) (string, string) {
	t.Helper()
	ctx := context.Background()
	hod, err := f.db.Principal(ctx, f.people["hod"])
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(path, "{quarter}") {
		q := lastQuarter(2)
		if _, err := f.db.Snapshot(ctx, hod, q); err != nil {
			if _, err := f.db.TakeSnapshot(ctx, hod, q); err != nil {
				t.Fatal(err)
			}
		}
		path = strings.ReplaceAll(path, "{quarter}", q)
	}
	if strings.Contains(path, "{certify_quarter}") {
		q := lastQuarter(3)
		if _, err := f.db.TakeSnapshot(ctx, hod, q); err != nil {
			t.Fatal(err)
		}
		f.signOffAllBut(t, q, 0)
		path = strings.ReplaceAll(path, "{certify_quarter}", q)
	}
	if strings.Contains(body, "{unit_head_unit}") {
		p, err := f.db.Principal(ctx, f.people["unit_head"])
		if err != nil {
			t.Fatal(err)
		}
		body = strings.ReplaceAll(body, "{unit_head_unit}", fmt.Sprint(p.Units[0]))
	}
	return path, strings.ReplaceAll(body, "{old_quarter}", lastQuarter(4))
}

func init() {
	samples["POST /api/v1/imports/risks"] = struct{ path, body, as string }{"/api/v1/imports/risks?name=register",
		"title,cause,event,consequence,category,unit,owner,inherent_likelihood,inherent_impact,current_likelihood,current_impact,target_likelihood,target_impact,review_months,next_review\n" +
			"Interpreters unavailable,a shortage of court interpreters,hearings are adjourned,custody time limits are missed,operational,extradition,{lawyer_email},4,4,3,4,2,3,3,2031-01-31\n", "hod"}
	samples["POST /api/v1/risk-assurance"] = struct{ path, body, as string }{"/api/v1/risk-assurance", `{"quarter":"{old_quarter}"}`, "hod"}
	samples["GET /api/v1/risk-assurance/{quarter}"] = struct{ path, body, as string }{"/api/v1/risk-assurance/{quarter}", "", "inspector"}
	samples["POST /api/v1/risk-assurance/{quarter}/sign-offs"] = struct{ path, body, as string }{"/api/v1/risk-assurance/{quarter}/sign-offs",
		`{"unit_id":{unit_head_unit},"comments":"Funding risks reviewed with the Foreign Office."}`, "unit_head"}
	samples["POST /api/v1/risk-assurance/{quarter}/certificate"] = struct{ path, body, as string }{"/api/v1/risk-assurance/{certify_quarter}/certificate",
		`{"statement":"The division's risks were managed within appetite."}`, "hod"}
}

func TestRiskAssurancePages(t *testing.T) {
	f := newServer(t, store.SQLite)
	ctx := context.Background()
	quarter := lastQuarter(1)
	hod := newBrowser(t, f)
	hod.signIn(f.email(t, "hod"), demo.Password)
	head := newBrowser(t, f)
	head.signIn(f.email(t, "unit_head"), demo.Password)
	headP, err := f.db.Principal(ctx, f.people["unit_head"])
	if err != nil {
		t.Fatal(err)
	}
	unit := headP.Units[0]

	t.Run("ErrTakeBadQuarter", func(t *testing.T) {
		for _, q := range []string{"next year", lastQuarter(0)} {
			res := hod.post("/risk-assurance", url.Values{"csrf_token": {hod.csrf()}, "quarter": {q}})
			if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "There is a problem") {
				t.Fatalf("%q: %d", q, res.Status)
			}
		}
		if list, _ := f.db.Snapshots(ctx, headP); len(list) != 0 {
			t.Fatalf("%d snapshots after refusals", len(list))
		}
	})
	t.Run("Take", func(t *testing.T) {
		res := hod.post("/risk-assurance", url.Values{"csrf_token": {hod.csrf()}, "quarter": {quarter}})
		if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/risk-assurance/"+quarter) {
			t.Fatalf("%d %s", res.Status, res.Header.Get("Location"))
		}
		page := head.get("/risk-assurance/" + quarter)
		if page.Status != 200 || !strings.Contains(page.Body, "Sign off International") {
			t.Fatalf("the unit head is not offered their sign-off: %d", page.Status)
		}
		if strings.Count(page.Body, `action="/risk-assurance/`+quarter+`/sign-offs"`) != 1 {
			t.Fatal("the unit head is offered other units' sign-off")
		}
		if list := f.do(t, "board", "GET", "/risk-assurance", "", ""); !strings.Contains(list.Body, quarter) {
			t.Fatal("the list lacks the snapshot")
		}
	})
	t.Run("ErrTakeTwice", func(t *testing.T) {
		res := f.do(t, "hod", "POST", "/api/v1/risk-assurance", "application/json", `{"quarter":"`+quarter+`"}`)
		if res.Status != http.StatusConflict || !strings.Contains(res.Body, "never taken again") {
			t.Fatalf("%d %s", res.Status, res.Body)
		}
	})
	t.Run("ErrSignOff", func(t *testing.T) {
		res := head.post("/risk-assurance/"+quarter+"/sign-offs", url.Values{"csrf_token": {head.csrf()}, "unit_id": {fmt.Sprint(unit)}, "comments": {" "}})
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Enter your comments") {
			t.Fatalf("no comments: %d", res.Status)
		}
		res = f.do(t, "manager", "POST", "/api/v1/risk-assurance/"+quarter+"/sign-offs", "application/json", fmt.Sprintf(`{"unit_id":%d,"comments":"x"}`, unit))
		if res.Status != http.StatusForbidden {
			t.Fatalf("a manager of another unit: %d %s", res.Status, res.Body)
		}
		snap, _ := f.db.Snapshot(ctx, headP, quarter)
		if len(snap.Outstanding()) != len(snap.Units) {
			t.Fatal("a refused sign-off was stored")
		}
	})
	t.Run("SignOffOnce", func(t *testing.T) {
		res := head.post("/risk-assurance/"+quarter+"/sign-offs", url.Values{"csrf_token": {head.csrf()}, "unit_id": {fmt.Sprint(unit)},
			"comments": {"Funding of the posts agreed for the year."}})
		if res.Status != http.StatusSeeOther {
			t.Fatalf("%d %.2000s", res.Status, res.Body)
		}
		res = f.do(t, "unit_head", "POST", "/api/v1/risk-assurance/"+quarter+"/sign-offs", "application/json", fmt.Sprintf(`{"unit_id":%d,"comments":"Again"}`, unit))
		if res.Status != http.StatusConflict || !strings.Contains(res.Body, "never changed") {
			t.Fatalf("second sign-off: %d %s", res.Status, res.Body)
		}
	})
	t.Run("ErrCertificateEarly", func(t *testing.T) {
		res := hod.post("/risk-assurance/"+quarter+"/certificate", url.Values{"csrf_token": {hod.csrf()}, "statement": {"All well"}})
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "still to sign off") {
			t.Fatalf("%d", res.Status)
		}
		if res := f.do(t, "inspector", "GET", "/risk-assurance/"+quarter+"/certificate.pdf", "", ""); res.Status != http.StatusNotFound {
			t.Fatalf("PDF before issue: %d", res.Status)
		}
	})
	t.Run("Certificate", func(t *testing.T) {
		f.signOffAllBut(t, quarter, unit)
		res := hod.post("/risk-assurance/"+quarter+"/certificate", url.Values{"csrf_token": {hod.csrf()}, "statement": {"Risks are managed within appetite."}})
		if res.Status != http.StatusSeeOther {
			t.Fatalf("%d %.2000s", res.Status, res.Body)
		}
		page := f.do(t, "inspector", "GET", "/risk-assurance/"+quarter+"/certificate", "", "")
		if page.Status != 200 || !strings.Contains(page.Body, "Risks are managed within appetite.") || !strings.Contains(page.Body, "Funding of the posts agreed") {
			t.Fatalf("%d", page.Status)
		}
		pdf := f.do(t, "inspector", "GET", "/risk-assurance/"+quarter+"/certificate.pdf", "", "")
		if pdf.Status != 200 || pdf.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf.Body, "%PDF-") || len(pdf.Body) < 1500 {
			t.Fatalf("PDF: %d %s, %d bytes", pdf.Status, pdf.Header.Get("Content-Type"), len(pdf.Body))
		}
		res = head.post("/risk-assurance/"+quarter+"/sign-offs", url.Values{"csrf_token": {head.csrf()}, "unit_id": {fmt.Sprint(unit)}, "comments": {"Later"}})
		if res.Status != http.StatusConflict {
			t.Fatalf("sign-off after the certificate: %d", res.Status)
		}
	})
}
