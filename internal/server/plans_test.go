package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"caseboard/internal/store"
)

// TestPlanScenarios: the action-plan API's rules, as each role meets them.
func TestPlanScenarios(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			f := newServer(t, d)
			ids := strings.NewReplacer("{finding}", fmt.Sprint(f.findingID), "{finding2}", fmt.Sprint(f.finding2ID),
				"{action}", fmt.Sprint(f.actionID), "{closable}", fmt.Sprint(f.closableID),
				"{hod}", fmt.Sprint(f.people["hod"]), "{lawyer}", fmt.Sprint(f.people["lawyer"]))
			for _, sc := range []struct {
				name, as, method, path, body string
				status                       int
				says                         string
			}{
				{"ErrActionDueBeforePublication", "abm", "POST", "/api/v1/findings/{finding}/actions", `{"title":"x","owner_id":{lawyer},"due_on":"2019-01-28"}`,
					http.StatusUnprocessableEntity, "before the report was published"},
				{"ErrLawyerSetsActions", "lawyer", "POST", "/api/v1/findings/{finding}/actions", `{"title":"x","owner_id":{lawyer},"due_on":"2019-06-01"}`,
					http.StatusForbidden, "plan managers and the accountable owner"},
				{"ErrLawyerRecordsResponse", "lawyer", "PUT", "/api/v1/findings/{finding}/response", `{"decision":"accepted","text":"x","on":"2019-02-01"}`,
					http.StatusForbidden, "Your roles do not include it"},
				{"ErrUpdateWithoutCommentary", "lawyer", "POST", "/api/v1/actions/{action}/updates", `{"status":"on_track"}`,
					http.StatusUnprocessableEntity, "Say how the action is going"},
				{"ErrSomeoneElsesAction", "paralegal", "POST", "/api/v1/actions/{action}/updates", `{"commentary":"x"}`,
					http.StatusForbidden, "Only the action's owner"},
				{"ErrInspectorWrites", "inspector", "POST", "/api/v1/actions/{action}/updates", `{"commentary":"x"}`,
					http.StatusForbidden, "Your roles do not include it"},
				{"ErrTargetWithoutReason", "lawyer", "POST", "/api/v1/actions/{action}/target-date", `{"to":"2020-01-01","approved_by_id":{hod}}`,
					http.StatusUnprocessableEntity, "Say why the target date changes"},
				{"ErrCloseWithoutEvidence", "hod", "POST", "/api/v1/actions/{action}/close", `{"on":"2019-09-01","note":"Done"}`,
					http.StatusUnprocessableEntity, "Cite the evidence"},
				{"ErrOwnerSignsOff", "lawyer", "POST", "/api/v1/actions/{closable}/close", `{"on":"2019-09-01","note":"Done"}`,
					http.StatusForbidden, "Only the accountable owner"},
				{"ErrCloseImplementedWithOpenActions", "hod", "POST", "/api/v1/findings/{finding}/close", `{"status":"closed_implemented","on":"2019-09-01"}`,
					http.StatusUnprocessableEntity, "is not done"},
				{"ErrEvidenceOfNoCase", "lawyer", "POST", "/api/v1/actions/{action}/evidence", `{"kind":"case","ref":"999999"}`,
					http.StatusUnprocessableEntity, "no case 999999"},
				{"ErrFrameworkDuplicates", "hod", "POST", "/api/v1/frameworks", `{"code":"dup","title":"Dup","criteria":[{"id":"A","text":"a"},{"id":"A","text":"b"}]}`,
					http.StatusUnprocessableEntity, "used twice"},
				{"ErrPartnerReadsBoard", "partner", "GET", "/api/v1/board", "", http.StatusForbidden, "Your roles do not include it"},
				{"OKUpdate", "lawyer", "POST", "/api/v1/actions/{action}/updates", `{"status":"at_risk","commentary":"Waiting for HQ"}`,
					http.StatusCreated, `"status":"at_risk"`},
				{"OKSignOff", "hod", "POST", "/api/v1/actions/{closable}/close", `{"on":"2019-09-01","note":"Every unit briefed"}`,
					http.StatusOK, `"status":"done"`},
				{"OKBoardForTheBoard", "board", "GET", "/api/v1/board", "", http.StatusOK, `"late_actions"`},
				{"OKChecksForInspectors", "inspector", "GET", "/api/v1/evidence-checks", "", http.StatusOK, `"ctl_none_expired"`},
			} {
				t.Run(sc.name, func(t *testing.T) {
					ct := ""
					if sc.body != "" {
						ct = "application/json"
					}
					res := f.do(t, sc.as, sc.method, ids.Replace(sc.path), ct, ids.Replace(sc.body))
					if res.Status != sc.status || !strings.Contains(res.Body, sc.says) {
						t.Fatalf("%s %s as %s: %d, want %d saying %q\n%.600s", sc.method, sc.path, sc.as, res.Status, sc.status, sc.says, res.Body)
					}
				})
			}
		})
	}
}

// TestPlanPages: each role sees the forms it may use, a bad form comes
// back with its errors and what was typed, a good one redirects.
func TestPlanPages(t *testing.T) {
	f := newServer(t, store.SQLite)
	finding := fmt.Sprintf("/plans/findings/%d", f.findingID)
	for _, tc := range []struct {
		as         string
		see, avoid []string
	}{
		{"hod", []string{"Close and sign off", "Give an update", "Add an action", "Record the response"}, nil},
		{"lawyer", []string{"Give an update", "Change the target date", "Cite evidence"}, []string{"Close and sign off", "Add an action", "Record the response"}},
		{"inspector", []string{"Write the strategy", "Action plan"}, []string{"Give an update", "Close and sign off"}},
		{"board", []string{"Write the strategy"}, []string{"Give an update"}},
	} {
		res := f.do(t, tc.as, "GET", finding, "", "")
		if res.Status != 200 {
			t.Fatalf("%s: %d %.300s", tc.as, res.Status, res.Body)
		}
		for _, s := range tc.see {
			if !strings.Contains(res.Body, s) {
				t.Errorf("%s does not see %q", tc.as, s)
			}
		}
		for _, s := range tc.avoid {
			if strings.Contains(res.Body, s) {
				t.Errorf("%s sees %q", tc.as, s)
			}
		}
	}
	for _, path := range []string{"/plans", "/plans/board", "/plans/checks", fmt.Sprintf("/plans/inspections/%d", f.inspectionID), fmt.Sprintf("/plans/frameworks/%d", f.frameworkID)} {
		if res := f.do(t, "inspector", "GET", path, "", ""); res.Status != 200 {
			t.Errorf("%s: %d %.300s", path, res.Status, res.Body)
		}
	}

	form := func(as, path string, values url.Values) response {
		return f.do(t, as, "POST", path, "application/x-www-form-urlencoded", values.Encode())
	}
	update := fmt.Sprintf("/plans/actions/%d/updates", f.actionID)
	res := form("lawyer", update, url.Values{"status": {"on_track"}, "commentary": {"  "}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Say how the action is going") || !strings.Contains(res.Body, `href="#commentary"`) ||
		!strings.Contains(res.Body, `id="commentary"`) {
		t.Fatalf("empty update: %d %.2000s", res.Status, res.Body)
	}
	res = form("lawyer", update, url.Values{"status": {"at_risk"}, "commentary": {"Waiting for the CPS policy"}})
	if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), finding+"?done=") {
		t.Fatalf("update: %d %s", res.Status, res.Header.Get("Location"))
	}
	target := fmt.Sprintf("/plans/actions/%d/target-date", f.actionID)
	res = form("lawyer", target, url.Values{"to": {"2019-12-31"}, "reason": {"Policy moved"}, "approved_by_id": {fmt.Sprint(f.people["hod"])}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("target: %d %.500s", res.Status, res.Body)
	}
	res = form("hod", fmt.Sprintf("/plans/actions/%d/close", f.actionID), url.Values{"on": {"2019-10-01"}, "note": {"Done"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Cite the evidence") {
		t.Fatalf("close without evidence: %d %.500s", res.Status, res.Body)
	}
	page := f.do(t, "hod", "GET", finding, "", "").Body
	for _, s := range []string{"slipped 92 days from 30 September 2019", "Policy moved", "Waiting for the CPS policy", "At risk"} {
		if !strings.Contains(page, s) {
			t.Errorf("the finding page does not show %q", s)
		}
	}
	board := f.do(t, "board", "GET", "/plans/board", "", "").Body
	if !strings.Contains(board, "Policy moved") || !strings.Contains(board, "Write the strategy") {
		t.Errorf("the Board view does not show the slipped action")
	}
}

// TestReadiness: a plan manager rates a criterion from its page, a bad
// rating comes back with its error, and the readiness report downloads as
// XLSX for anyone who reads the plans.
func TestReadiness(t *testing.T) {
	f := newServer(t, store.SQLite)
	criterion := fmt.Sprintf("/plans/frameworks/%d/criteria/B1.1", f.frameworkID)
	if page := f.do(t, "inspector", "GET", criterion, "", ""); page.Status != 200 || !strings.Contains(page.Body, "Recommendation 1") ||
		strings.Contains(page.Body, "Save assessment") {
		t.Fatalf("inspector: %d %.500s", page.Status, page.Body)
	}
	res := f.do(t, "abm", "POST", criterion, "application/x-www-form-urlencoded", url.Values{"rating": {"weak"}}.Encode())
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Say what the rating rests on") {
		t.Fatalf("no commentary: %d %.800s", res.Status, res.Body)
	}
	res = f.do(t, "abm", "POST", criterion, "application/x-www-form-urlencoded",
		url.Values{"rating": {"needs_improvement"}, "commentary": {"Strategy drafted; registers still separate"}}.Encode())
	if res.Status != http.StatusSeeOther {
		t.Fatalf("assess: %d %.800s", res.Status, res.Body)
	}
	page := f.do(t, "board", "GET", fmt.Sprintf("/plans/frameworks/%d", f.frameworkID), "", "").Body
	if !strings.Contains(page, "Needs improvement") {
		t.Errorf("the framework page does not show the rating")
	}
	x := f.do(t, "inspector", "GET", fmt.Sprintf("/plans/frameworks/%d/readiness.xlsx", f.frameworkID), "", "")
	if x.Status != 200 || !strings.HasPrefix(x.Body, "PK") || !strings.Contains(x.Header.Get("Content-Disposition"), "readiness-hmcpsi-2019-ijocd-") {
		t.Fatalf("xlsx: %d %v", x.Status, x.Header)
	}
}

// TestReadinessPDF: the readiness report prints as a PDF of every part of
// the framework for anyone who reads the plans, on both databases, and is
// refused to those who may not.
func TestReadinessPDF(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			f := newServer(t, d)
			path := fmt.Sprintf("/plans/frameworks/%d/readiness.pdf", f.frameworkID)
			res := f.do(t, "abm", "POST", fmt.Sprintf("/plans/frameworks/%d/criteria/B1.1", f.frameworkID), "application/x-www-form-urlencoded",
				url.Values{"rating": {"needs_improvement"}, "commentary": {"Strategy drafted; registers still separate"}}.Encode())
			if res.Status != http.StatusSeeOther {
				t.Fatalf("assess: %d %.800s", res.Status, res.Body)
			}
			for _, as := range []string{"inspector", "board", "lawyer"} {
				pdf := f.do(t, as, "GET", path, "", "")
				if pdf.Status != 200 || pdf.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf.Body, "%PDF-") || len(pdf.Body) < 5000 ||
					!strings.Contains(pdf.Header.Get("Content-Disposition"), `readiness-hmcpsi-2019-ijocd-`) {
					t.Fatalf("%s: %d %v, %d bytes", as, pdf.Status, pdf.Header, len(pdf.Body))
				}
			}
			if res := f.do(t, "partner", "GET", path, "", ""); res.Status != http.StatusForbidden || strings.HasPrefix(res.Body, "%PDF-") {
				t.Fatalf("partner: %d", res.Status)
			}
			if res := f.do(t, "inspector", "GET", "/plans/frameworks/999999/readiness.pdf", "", ""); res.Status != http.StatusNotFound {
				t.Fatalf("no such framework: %d", res.Status)
			}
		})
	}
}

// TestRecordInspection: a plan manager records an inspection and a
// recommendation from the pages.
func TestRecordInspection(t *testing.T) {
	f := newServer(t, store.SQLite)
	form := func(as, path string, values url.Values) response {
		return f.do(t, as, "POST", path, "application/x-www-form-urlencoded", values.Encode())
	}
	res := form("abm", "/plans/inspections", url.Values{"body": {"HMCPSI"}, "title": {"Review of Complex Casework Units"}, "organisation": {"CPS"},
		"published_on": {"2021-03-02"}, "fieldwork_to": {"2021-04-01"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Fieldwork must end before the report is published") {
		t.Fatalf("fieldwork after publication: %d %.600s", res.Status, res.Body)
	}
	res = form("abm", "/plans/inspections", url.Values{"body": {"HMCPSI"}, "title": {"Review of Complex Casework Units"}, "organisation": {"CPS"},
		"published_on": {"2021-03-02"}, "framework_id": {fmt.Sprint(f.frameworkID)}})
	if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/plans/inspections/") {
		t.Fatalf("record: %d %.600s", res.Status, res.Body)
	}
	inspection := strings.SplitN(res.Header.Get("Location"), "?", 2)[0]
	res = form("abm", inspection+"/findings", url.Values{"kind": {"recommendation"}, "number": {"1"}, "paragraph": {"6.26"},
		"text": {"Complex Casework Units should ensure that..."}, "criteria": {"C1.5, Z1"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "no criterion Z1") {
		t.Fatalf("bad criterion: %d %.600s", res.Status, res.Body)
	}
	res = form("abm", inspection+"/findings", url.Values{"kind": {"recommendation"}, "number": {"1"}, "paragraph": {"6.26"},
		"text": {"Complex Casework Units should ensure that..."}, "criteria": {"C1.5, B1.4"}, "owner_id": {fmt.Sprint(f.people["hod"])}})
	if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/plans/findings/") {
		t.Fatalf("add finding: %d %.600s", res.Status, res.Body)
	}
	page := f.do(t, "hod", "GET", res.Header.Get("Location"), "", "").Body
	if !strings.Contains(page, "Recommendation 1 recorded") || !strings.Contains(page, "C1.5") {
		t.Errorf("the new finding's page: %.600s", page)
	}
}

// TestPlanCorrections: a plan manager corrects an inspection's details and
// a finding's words and reopens a closed finding, through the API and the
// pages; others may not, and bad input comes back with its errors and
// changes nothing.
func TestPlanCorrections(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			f := newServer(t, d)
			inspection := fmt.Sprintf("/plans/inspections/%d", f.inspectionID)
			finding := fmt.Sprintf("/plans/findings/%d", f.finding2ID)
			apiFinding := fmt.Sprintf("/api/v1/findings/%d", f.finding2ID)
			apiInspection := fmt.Sprintf("/api/v1/inspections/%d", f.inspectionID)
			expect := func(res response, status int, says ...string) {
				t.Helper()
				if res.Status != status {
					t.Fatalf("%d, want %d: %.1500s", res.Status, status, res.Body)
				}
				for _, s := range says {
					if !strings.Contains(res.Body, s) {
						t.Fatalf("the answer does not say %q: %.1500s", s, res.Body)
					}
				}
			}
			form := func(as, path string, values url.Values) response {
				return f.do(t, as, "POST", path, "application/x-www-form-urlencoded", values.Encode())
			}

			// The API.
			edit := `{"number":2,"paragraph":"3.12","text":"The Division should adopt smarter working","criteria":["B1.1","B1.2"]}`
			expect(f.do(t, "lawyer", "PUT", apiFinding, "application/json", edit), http.StatusForbidden)
			expect(f.do(t, "abm", "PUT", apiFinding, "application/json", `{"number":2,"paragraph":"three","text":"x"}`), http.StatusUnprocessableEntity, "paragraph")
			expect(f.do(t, "abm", "PUT", apiFinding, "application/json", `{"number":1,"paragraph":"3.7","text":"x"}`), http.StatusConflict, "already has Recommendation 1")
			expect(f.do(t, "inspector", "GET", apiFinding, "", ""), http.StatusOK, `"text":"Smarter working"`)
			expect(f.do(t, "abm", "PUT", apiFinding, "application/json", edit), http.StatusOK, `"paragraph":"3.12"`, `"B1.2"`)
			expect(f.do(t, "abm", "PUT", apiInspection, "application/json", `{"body":"HMCPSI","title":"","organisation":"CPS IJOCD","published_on":"2019-01-29"}`),
				http.StatusUnprocessableEntity, "Enter the report")
			expect(f.do(t, "abm", "PUT", apiInspection, "application/json",
				fmt.Sprintf(`{"body":"HMCPSI","title":"The inspection of IJOCD","reference":"CP001","organisation":"CPS IJOCD","published_on":"2019-01-29","framework_id":%d}`, f.frameworkID)),
				http.StatusOK, `"title":"The inspection of IJOCD"`, `"reference":"CP001"`)
			expect(f.do(t, "abm", "POST", apiFinding+"/reopen", "application/json", `{"reason":"x"}`), http.StatusConflict, "open already")
			expect(f.do(t, "hod", "POST", apiFinding+"/close", "application/json", `{"status":"closed_not_implemented","on":"2019-09-01","note":"Superseded"}`),
				http.StatusOK, `"status":"closed_not_implemented"`)
			expect(f.do(t, "hod", "POST", apiFinding+"/reopen", "application/json", `{"reason":""}`), http.StatusUnprocessableEntity, "Say why it is reopened")
			expect(f.do(t, "lawyer", "POST", apiFinding+"/reopen", "application/json", `{"reason":"x"}`), http.StatusForbidden)
			expect(f.do(t, "inspector", "GET", apiFinding, "", ""), http.StatusOK, `"status":"closed_not_implemented"`)
			expect(f.do(t, "hod", "POST", apiFinding+"/reopen", "application/json", `{"reason":"The policy was withdrawn"}`), http.StatusOK, `"status":"open"`)
			expect(f.do(t, "admin", "GET", "/api/v1/audit?record_type=finding&record_id="+fmt.Sprint(f.finding2ID), "", ""), http.StatusOK,
				"The policy was withdrawn", "Smarter working")

			// The pages.
			expect(f.do(t, "lawyer", "GET", inspection+"/edit", "", ""), http.StatusForbidden)
			expect(f.do(t, "abm", "GET", inspection, "", ""), http.StatusOK, "Change the inspection")
			expect(f.do(t, "abm", "GET", inspection+"/edit", "", ""), http.StatusOK, `value="The inspection of IJOCD"`, "Save details")
			expect(form("abm", inspection, url.Values{"body": {"HMCPSI"}, "title": {"The inspection of IJOCD"}, "organisation": {"CPS IJOCD"},
				"published_on": {"2019-01-29"}, "fieldwork_from": {"2019-02-01"}}), http.StatusUnprocessableEntity, `href="#fieldwork_from"`, `id="fieldwork_from"`,
				"Fieldwork must start before")
			res := form("abm", inspection, url.Values{"body": {"HMCPSI"}, "title": {"The Inspection of CPS IJOCD"}, "organisation": {"CPS IJOCD"},
				"published_on": {"2019-01-29"}, "framework_id": {fmt.Sprint(f.frameworkID)}})
			if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), inspection+"?done=") {
				t.Fatalf("save details: %d %.600s", res.Status, res.Body)
			}
			expect(f.do(t, "inspector", "GET", inspection, "", ""), http.StatusOK, "The Inspection of CPS IJOCD")
			if page := f.do(t, "lawyer", "GET", finding, "", ""); strings.Contains(page.Body, "Correct the text") {
				t.Errorf("a lawyer sees the correction form")
			}
			expect(f.do(t, "abm", "GET", finding, "", ""), http.StatusOK, "Correct the text", `value="3.12"`)
			expect(form("abm", finding+"/edit", url.Values{"edit-number": {"2"}, "edit-paragraph": {"three"}, "edit-text": {"Typed"}}),
				http.StatusUnprocessableEntity, `href="#edit-paragraph"`, `id="edit-paragraph"`, "Typed")
			res = form("abm", finding+"/edit", url.Values{"edit-number": {"2"}, "edit-paragraph": {"3.13"}, "edit-text": {"Smarter working, corrected"}, "edit-criteria": {"B1.1"}})
			if res.Status != http.StatusSeeOther {
				t.Fatalf("correct: %d %.600s", res.Status, res.Body)
			}
			expect(f.do(t, "inspector", "GET", finding, "", ""), http.StatusOK, "Smarter working, corrected", "3.13")
			expect(form("hod", finding+"/close", url.Values{"status": {"closed_not_implemented"}, "on": {"2019-10-01"}, "note": {"Superseded again"}}), http.StatusSeeOther)
			expect(f.do(t, "hod", "GET", finding, "", ""), http.StatusOK, "Reopen Recommendation 2")
			expect(form("hod", finding+"/reopen", url.Values{"reopen-reason": {" "}}), http.StatusUnprocessableEntity, `href="#reopen-reason"`, `id="reopen-reason"`)
			expect(f.do(t, "inspector", "GET", apiFinding, "", ""), http.StatusOK, `"status":"closed_not_implemented"`)
			expect(form("hod", finding+"/reopen", url.Values{"reopen-reason": {"Evidence no longer holds"}}), http.StatusSeeOther)
			expect(f.do(t, "inspector", "GET", apiFinding, "", ""), http.StatusOK, `"status":"open"`, `"reason":"The policy was withdrawn"`,
				`"reason":"Evidence no longer holds","closed_as":"closed_not_implemented","closure_note":"Superseded again"`)
			expect(f.do(t, "board", "GET", finding, "", ""), http.StatusOK, "Reopened", "Evidence no longer holds", `closed – not implemented ("Superseded again")`)
		})
	}
}

// TestImportFindingsAPI: a findings spreadsheet sent to the API is
// recorded whole or not at all, the problems listed by row and column.
func TestImportFindingsAPI(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			f := newServer(t, d)
			const report = "The Inspection of CPS International Justice and Organised Crime Division"
			inspection := fmt.Sprintf("/api/v1/inspections/%d", f.inspectionID)
			bad := "inspection,finding,paragraph,text,criteria,response,response_text,response_on\n" +
				report + ",Recommendation 3,3.9,Directory of leads,B1.1,Accepted,The CPS accept,2019-03-01\n" +
				report + ",Recommendation 4,3.10,Another,Z9.9,,,\n" +
				report + ",Recommendation 1,3.7,Different words,B1.1,,,\n"
			res := f.do(t, "abm", "POST", "/api/v1/imports/findings?name=bad", "text/csv", bad)
			if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `"row":3,"column":"criteria"`) ||
				!strings.Contains(res.Body, `"row":4,"column":"text"`) || !strings.Contains(res.Body, `"committed":false`) {
				t.Fatalf("bad: %d %.1500s", res.Status, res.Body)
			}
			if body := f.do(t, "board", "GET", inspection, "", "").Body; strings.Contains(body, "Directory of leads") {
				t.Fatalf("a refused import recorded a finding")
			}
			good := "inspection,finding,paragraph,text,criteria,response,response_text,response_on\n" +
				report + ",Recommendation 3,3.9,Directory of leads,B1.1,Accepted,The CPS accept,2019-03-01\n" +
				report + ",Recommendation 1,3.7,Risk management strategy,B1.1,Not accepted,The CPS do not accept,2019-03-01\n"
			if res := f.do(t, "lawyer", "POST", "/api/v1/imports/findings?name=good", "text/csv", good); res.Status != http.StatusForbidden {
				t.Fatalf("lawyer: %d %.500s", res.Status, res.Body)
			}
			res = f.do(t, "abm", "POST", "/api/v1/imports/findings?name=good", "text/csv", good)
			if res.Status != http.StatusCreated || !strings.Contains(res.Body, `"added":1`) || !strings.Contains(res.Body, `"changed":1`) {
				t.Fatalf("good: %d %.1500s", res.Status, res.Body)
			}
			if body := f.do(t, "board", "GET", inspection, "", "").Body; !strings.Contains(body, "Directory of leads") || !strings.Contains(body, `"decision":"not_accepted"`) {
				t.Fatalf("the import is not recorded: %.1500s", body)
			}
		})
	}
}
