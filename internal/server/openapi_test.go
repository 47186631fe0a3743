package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"caseboard/internal/risk"
	"caseboard/internal/store"
)

// TestOpenAPIMatchesRoutes checks the OpenAPI document against the real
// server in both directions: every operation it describes is served and
// answers with a body its schema accepts, and every /api/ path written in
// this package's source is described.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	f := newServer(t, store.SQLite)
	res := f.do(t, "", "GET", "/api/v1/openapi.json", "", "")
	if res.Status != 200 {
		t.Fatalf("openapi.json: %d", res.Status)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(res.Body), &doc); err != nil {
		t.Fatal(err)
	}
	if doc["openapi"] != "3.1.0" {
		t.Fatalf("openapi version %v", doc["openapi"])
	}
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	paths := doc["paths"].(map[string]any)
	described := map[string]bool{}
	for path, item := range paths {
		for method, op := range item.(map[string]any) {
			method = strings.ToUpper(method)
			described[path] = true
			t.Run(method+" "+path, func(t *testing.T) {
				checkOperation(t, f, method, path, op.(map[string]any), schemas)
			})
		}
	}
	for _, path := range apiPathsInSource(t) {
		if strings.HasSuffix(path, "/") && describedUnder(described, path) {
			continue // the start of described paths, e.g. "/api/v1/people/" + id
		}
		if !described[path] {
			t.Errorf("route %s is served but not in the OpenAPI document", path)
		}
	}
}

// samples supplies a request that should succeed for each operation.
var samples = map[string]struct {
	path, body, as string
}{
	"GET /api/v1/performance-packs/{quarter}":                      {"/api/v1/performance-packs/2018-19-Q2", "", "board"},
	"PUT /api/v1/performance-packs/{quarter}/commentary/{measure}": {"/api/v1/performance-packs/2018-19-Q2/commentary/caseload", `{"commentary":"Steady."}`, "unit_head"},
	"POST /api/v1/performance-packs/{quarter}/issue":               {"/api/v1/performance-packs/2005-06-Q1/issue", "", "hod"},
	"GET /api/v1/performance-posters/{unit}/{quarter}":             {"/api/v1/performance-posters/international/2018-19-Q2", "", "board"},
	"PUT /api/v1/performance-posters/{unit}/{quarter}/narrative":   {"/api/v1/performance-posters/international/2018-19-Q2/narrative", `{"narrative":"Steady."}`, "unit_head"},
	"POST /api/v1/imports/outcomes": {"/api/v1/imports/outcomes?name=outcomes",
		"case_urn,unit,location,court,defendant_id,principal_offence,finalised_on,outcome\n" +
			"01PF0000118,organised_crime,petty_france,CC,1,drugs_offences,2018-05-02,guilty_plea\n", "hod"},
	"POST /api/v1/imports/unit-returns": {"/api/v1/imports/unit-returns?name=returns",
		"unit,month,fte_crown_advocate,working_days_lost,advocacy_sessions_in_house,advocacy_sessions_counsel,crown_advocate_hours,crown_advocate_hours_available\n" +
			"organised_crime,2018-01,3.5,1,10,2,100,200\n", "hod"},
	"POST /api/v1/imports/cases": {"/api/v1/imports/cases?name=cases",
		"reference,kind,unit,location,status,opened_on,title\n" +
			"01PF0000218,organised_crime,organised_crime,petty_france,charged,2018-04-02,Operation Dunlin\n", "hod"},
	"POST /api/v1/continuity-plans": {"/api/v1/continuity-plans", `{"title":"Extradition, Warrington","unit_id":{lawyer_unit},"contacts":"Duty lawyer, then the Head of Unit",` +
		`"reviewed_on":"2018-05-01T00:00:00Z","activities":[{"name":"Westminster hearings","rto_hours":8}]}`, "lawyer"},
	"GET /api/v1/continuity-plans/{id}": {"/api/v1/continuity-plans/{continuity_plan}", "", "board"},
	"POST /api/v1/continuity-plans/{id}/exercises": {"/api/v1/continuity-plans/{continuity_plan}/exercises",
		`{"held_on":"2018-05-14T00:00:00Z","scenario":"Loss of the building","findings":"Remote access held up"}`, "lawyer"},
	"POST /api/v1/post-returns":                       {"/api/v1/post-returns", `{"location_id":{madrid},"month":"2018-04","narrative":"Seminar for prosecutors","training_delivered":1}`, "hod"},
	"GET /api/v1/post-returns/{id}":                   {"/api/v1/post-returns/{return}", "", "lawyer"},
	"POST /api/v1/unit-returns":                       {"/api/v1/unit-returns", `{"unit":"organised_crime","month":"2018-02","fte":[{"grade":"crown_advocate","fte":2.5}],"working_days_lost":1.5}`, "hod"},
	"GET /api/v1/unit-returns/{id}":                   {"/api/v1/unit-returns/{unit_return}", "", "lawyer"},
	"GET /api/v1/measures":                            {"/api/v1/measures", "", "board"},
	"GET /api/v1/measures/{code}":                     {"/api/v1/measures/conviction_rate_cc?period=2018-19", "", "lawyer"},
	"GET /api/v1/measures/{code}/records":             {"/api/v1/measures/conviction_rate_cc/records?period=2018-19", "", "lawyer"},
	"GET /api/v1/measures/{code}/shares":              {"/api/v1/measures/caseload/shares", "", "lawyer"},
	"PUT /api/v1/measures/{code}/shares/{partner}":    {"/api/v1/measures/caseload/shares/nca", "", "hod"},
	"DELETE /api/v1/measures/{code}/shares/{partner}": {"/api/v1/measures/{shared}", "", "hod"},
	"PATCH /api/v1/post-returns/{id}":                 {"/api/v1/post-returns/{return}", `{"location_id":{madrid},"month":"2018-06","narrative":"Corrected","version":1}`, "hod"},
	"POST /api/v1/post-returns/{id}/submit":           {"/api/v1/post-returns/{return2}/submit", `{"version":1}`, "hod"},
	"POST /api/v1/post-returns/{id}/decision":         {"/api/v1/post-returns/{return3}/decision", `{"validate":false,"reason":"Add the seminar"}`, "hod"},
	"POST /api/v1/cases": {"/api/v1/cases", `{"reference":"EX/2018/0007","kind":"extradition","title":"Requested person: Bea Example","unit_id":2,` +
		`"location_id":1,"status":"received","sensitivity":"official","opened_on":"2018-05-01","country":"RO","direction":"export"}`, "lawyer"},
	"GET /api/v1/cases/{id}":   {"/api/v1/cases/{case}", "", "lawyer"},
	"PATCH /api/v1/cases/{id}": {"/api/v1/cases/{case}", `{"version":1,"status":"hearing"}`, "lawyer"},
	"POST /api/v1/cases/{id}/defendants": {"/api/v1/cases/{case}/defendants",
		`{"ref":"RP2","name":"Second Example","custody_status":"on_bail","country":"PL"}`, "lawyer"},
	"POST /api/v1/cases/{id}/defendants/{defendant}/charges": {"/api/v1/cases/{case}/defendants/{defendant}/charges",
		`{"description":"Conspiracy to supply cocaine","principal_offence":"drugs_offences","custody":{"offence_class":"indictable_only","first_appearance":"2018-03-01","sent":"2018-03-01"}}`, "lawyer"},
	"PATCH /api/v1/cases/{id}/defendants/{defendant}/charges/{charge}": {"/api/v1/cases/{case}/defendants/{defendant}/charges/{charge}",
		`{"description":"Conspiracy to import cocaine"}`, "lawyer"},
	"PUT /api/v1/cases/{id}/defendants/{defendant}/extradition": {"/api/v1/cases/{case}/defendants/{defendant}/extradition",
		`{"arrested":"2018-06-01T18:00:00+01:00","provisional":true,"brought_before":"2018-06-04T10:00:00+01:00","hearing_fixed_for":"2018-06-20"}`, "lawyer"},
	"POST /api/v1/cases/{id}/hearings": {"/api/v1/cases/{case}/hearings",
		`{"kind":"extradition_hearing","court":"MC","centre":"Westminster","on":"2018-04-16","note":"Listed for two days"}`, "lawyer"},
	"POST /api/v1/cases/{id}/directions": {"/api/v1/cases/{case}/directions",
		`{"court":"MC","description":"Serve further information from the requesting state","due":"2018-04-02"}`, "lawyer"},
	"PATCH /api/v1/cases/{id}/directions/{direction}": {"/api/v1/cases/{case}/directions/{direction}", `{"completed_on":"2018-03-19"}`, "lawyer"},
	"POST /api/v1/cases/{id}/reviews": {"/api/v1/cases/{case}/reviews",
		`{"kind":"debrief","held":"2018-03-01","summary":"Early engagement with the requesting state","learning":"Ask for translations sooner","share_with_agency":true,` +
			`"actions":[{"description":"Send the de-brief to the NCA","due":"2018-03-09"}]}`, "lawyer"},
	"PATCH /api/v1/cases/{id}/actions/{action}":       {"/api/v1/cases/{case}/actions/{review_action}", `{"done_on":"2018-03-02"}`, "lawyer"},
	"PUT /api/v1/cases/{id}/documents/{kind}":         {"/api/v1/cases/{case}/documents/prosecution_strategy", `{"updated_on":"2018-03-01"}`, "lawyer"},
	"PATCH /api/v1/cases/{id}/defendants/{defendant}": {"/api/v1/cases/{case}/defendants/{defendant}", `{"custody_status":"on_bail"}`, "lawyer"},
	"POST /api/v1/locations":                          {"/api/v1/locations", `{"code":"post_cl","name":"Santiago (Chile)","kind":"overseas_post","country":"CL"}`, ""},
	"GET /api/v1/people/{id}":                         {"/api/v1/people/1", "", ""},
	"POST /api/v1/tokens":                             {"/api/v1/tokens", `{"name":"nightly export","read_only":true,"expires_in":"48h"}`, ""},
	"DELETE /api/v1/tokens/{id}":                      {"/api/v1/tokens/{token}", "", ""},
	"PATCH /api/v1/locations/{id}":                    {"/api/v1/locations/2", `{"name":"Birmingham (Colmore Row)"}`, ""},
	"PATCH /api/v1/units/{id}":                        {"/api/v1/units/1", `{"head_title":"Deputy Head of Division (Organised Crime)"}`, ""},
	"POST /api/v1/people":                             {"/api/v1/people", `{"name":"Nova Newstarter","email":"nova.newstarter@caseboard.example","grade":"paralegal_officer","unit_id":2,"location_id":1,"clearance":"ctc"}`, ""},
	"PATCH /api/v1/people/{id}":                       {"/api/v1/people/5", `{"grade":"senior_paralegal_officer"}`, ""},
	"POST /api/v1/risks": {"/api/v1/risks", `{"title":"Backlog of European arrest warrants","cause":"EU exit","event":"warrants queue",` +
		`"consequence":"hearings are delayed","category":"operational","unit_id":2,"owner_id":{lawyer},"themes":["EU exit"],` +
		`"inherent":{"likelihood":4,"impact":4},"current":{"likelihood":3,"impact":4},"target":{"likelihood":2,"impact":4},"review_months":3,"next_review":"2099-01-31"}`, "hod"},
	"GET /api/v1/risks/{id}":   {"/api/v1/risks/{risk}", "", "lawyer"},
	"PATCH /api/v1/risks/{id}": {"/api/v1/risks/{risk2}", `{"version":1,"current":{"likelihood":2,"impact":4},"note":"Assurances received"}`, "lawyer"},
	"POST /api/v1/risks/{id}/counter-measures": {"/api/v1/risks/{risk}/counter-measures",
		`{"description":"Brief counsel on the latest prison inspection","owner_id":{lawyer},"due":"2099-06-30","expected":{"likelihood":2,"impact":4}}`, "lawyer"},
	"GET /api/v1/risks/{id}/recommendations":              {"/api/v1/risks/{risk}/recommendations", "", "lawyer"},
	"PUT /api/v1/risks/{id}/recommendations/{finding}":    {"/api/v1/risks/{risk}/recommendations/{finding}", "", "lawyer"},
	"DELETE /api/v1/risks/{id}/recommendations/{finding}": {"/api/v1/risks/{risk}/recommendations/{finding}", "", "lawyer"},
	"PATCH /api/v1/risks/{id}/counter-measures/{measure}": {"/api/v1/risks/{risk}/counter-measures/{measure}", `{"status":"in_progress"}`, "lawyer"},
	"POST /api/v1/risks/{id}/reviews": {"/api/v1/risks/{risk}/reviews",
		`{"justification":"No change this quarter","current":{"likelihood":3,"impact":4},"next_review":"{next_quarter}"}`, "lawyer"},
	"POST /api/v1/risks/{id}/acceptances":                       {"/api/v1/risks", "{}", "lawyer"}, // made in checkOperation
	"POST /api/v1/risks/{id}/acceptances/{acceptance}/decision": {"/api/v1/risks/{risk}/acceptances/{acceptance}/decision", `{"decision":"approve","note":"Agreed"}`, "hod"},
	"POST /api/v1/risks/{id}/acceptances/{acceptance}/revoke":   {"/api/v1/risks/{risk2}/acceptances/{acceptance2}/revoke", `{"note":"Withdrawn"}`, "lawyer"},
	"PUT /api/v1/risk-settings/appetite":                        {"/api/v1/risk-settings/appetite", `{"appetite":[{"category":"casework","level":"averse","max_score":0,"set_by":null,"set_at":"0001-01-01T00:00:00Z"}]}`, "hod"},
	"PUT /api/v1/risk-settings/scale":                           {"/api/v1/risk-settings/scale", scaleSample, "hod"},
	"POST /api/v1/quality/assessments":                          {"/api/v1/quality/assessments", `{"assessed_id":{lawyer},"case_id":{case},"activity":"legal_advocacy",` + advocacyMarks + `}`, "hod"},
	"GET /api/v1/quality/assessments/{id}":                      {"/api/v1/quality/assessments/{assessment}", "", "lawyer"},
	"PATCH /api/v1/quality/assessments/{id}":                    {"/api/v1/quality/assessments/{assessment}", `{"version":1,"feedback":"Clearer",` + advocacyMarks + `}`, "hod"},
	"POST /api/v1/quality/assessments/{id}/acknowledge":         {"/api/v1/quality/assessments/{assessment}/acknowledge", "", "lawyer"},
	"POST /api/v1/quality/assessments/{id}/remark":              {"/api/v1/quality/assessments/{assessment}/remark", `{` + advocacyMarks + `}`, "unit_head"},
	"POST /api/v1/quality/dip-samples":                          {"/api/v1/quality/dip-samples?{assessment}", `{"unit":"extradition","from":"2000-01-01","to":"2100-01-01","size":1,"seed":7,"remarker_id":{unit_head}}`, "hod"},
	"GET /api/v1/quality/calibration":                           {"/api/v1/quality/calibration", "", "hod"},
	"POST /api/v1/quality/themes":                               {"/api/v1/quality/themes?{assessment}", `{"unit":"extradition","activity":"legal_advocacy","question":"adv_preparation"}`, "lawyer"},
	"POST /api/v1/quality/compliance/samples":                   {"/api/v1/quality/compliance/samples", `{"size":3,"seed":11}`, "hod"},
	"PUT /api/v1/quality/schedule-rules":                        {"/api/v1/quality/schedule-rules", `{"activity":"legal_advocacy","profession":"legal","period_months":3,"count":1}`, "hod"},

	"POST /api/v1/frameworks":               {"/api/v1/frameworks", `{"code":"sample","title":"Sample framework","criteria":[{"id":"A","text":"Part A"},{"id":"A1","text":"A criterion"}]}`, "hod"},
	"GET /api/v1/frameworks/{id}":           {"/api/v1/frameworks/{framework}", "", "inspector"},
	"GET /api/v1/frameworks/{id}/readiness": {"/api/v1/frameworks/{framework}/readiness", "", "board"},
	"PUT /api/v1/frameworks/{id}/assessments/{criterion}": {"/api/v1/frameworks/{framework}/assessments/B1.1",
		`{"rating":"needs_improvement","commentary":"One register from next quarter; the strategy is in force"}`, "hod"},
	"POST /api/v1/inspections":     {"/api/v1/inspections", `{"body":"HMCPSI","title":"Review of Complex Casework Units","type":"Thematic review","organisation":"CPS","published_on":"2021-03-02"}`, "abm"},
	"GET /api/v1/inspections/{id}": {"/api/v1/inspections/{inspection}", "", "board"},
	"POST /api/v1/inspections/{id}/findings": {"/api/v1/inspections/{inspection}/findings",
		`{"kind":"recommendation","number":9,"text":"Do it","paragraph":"4.7","criteria":["C1.6"],"owner_id":{hod},"response":{"decision":"accepted","text":"The CPS accept this recommendation","on":"2019-03-01"}}`, "hod"},
	"GET /api/v1/findings/{id}":         {"/api/v1/findings/{finding}", "", "lawyer"},
	"PUT /api/v1/findings/{id}":         {"/api/v1/findings/{finding}", `{"number":1,"paragraph":"3.7","text":"Risk management strategy","criteria":["B1.1"]}`, "abm"},
	"POST /api/v1/findings/{id}/reopen": {"/api/v1/findings/{reopenable}/reopen", `{"reason":"The evidence no longer holds"}`, "abm"},
	"PUT /api/v1/inspections/{id}": {"/api/v1/inspections/{inspection}", `{"body":"HMCPSI","title":"The Inspection of CPS International Justice and Organised Crime Division",` +
		`"organisation":"CPS IJOCD","published_on":"2019-01-29","framework_id":{framework}}`, "abm"},
	"PUT /api/v1/findings/{id}/response": {"/api/v1/findings/{finding}/response", `{"decision":"partially_accepted","text":"The CPS accept in part","on":"2019-02-01"}`, "hod"},
	"POST /api/v1/findings/{id}/close":   {"/api/v1/findings/{finding2}/close", `{"status":"closed_not_implemented","on":"2019-06-01","note":"For CPS Headquarters"}`, "hod"},
	"POST /api/v1/findings/{id}/actions": {"/api/v1/findings/{finding}/actions", `{"title":"Another action","owner_id":{lawyer},"due_on":"2019-12-31"}`, "abm"},
	"POST /api/v1/actions/{id}/updates":  {"/api/v1/actions/{action}/updates", `{"status":"at_risk","commentary":"Waiting for the CPS policy"}`, "lawyer"},
	"POST /api/v1/actions/{id}/target-date": {"/api/v1/actions/{action}/target-date",
		`{"to":"2020-01-31","reason":"The CPS policy moved","approved_by_id":{hod}}`, "lawyer"},
	"POST /api/v1/actions/{id}/milestones": {"/api/v1/actions/{action}/milestones", `{"title":"Draft to SMT","due_on":"2019-08-01"}`, "lawyer"},
	"POST /api/v1/actions/{id}/evidence":   {"/api/v1/actions/{action}/evidence", `{"kind":"check","ref":"ctl_none_expired","note":"No limit expires unnoticed"}`, "lawyer"},
	"POST /api/v1/actions/{id}/close":      {"/api/v1/actions/{closable}/close", `{"on":"2019-09-01","note":"Every unit briefed"}`, "hod"},
	"POST /api/v1/evidence-checks/run":     {"/api/v1/evidence-checks/run", "", "boc"},
	"POST /api/v1/imports/actions": {"/api/v1/imports/actions?name=plan",
		"inspection,finding,action,owner_email,due_on\nThe Inspection of CPS International Justice and Organised Crime Division,Recommendation 1,Brief every location,{lawyer_email},2019-10-31\n", "hod"},
	"POST /api/v1/imports/findings": {"/api/v1/imports/findings?name=findings",
		"inspection,finding,paragraph,text,criteria\nThe Inspection of CPS International Justice and Organised Crime Division,Good practice 1,4.2,The Division's liaison prosecutors,B1.1\n", "abm"},
	"POST /api/v1/articles": {"/api/v1/articles", `{"kind":"jurisdiction_note","title":"Romania: prison conditions","summary":"Assurances.",` +
		`"body":"Seek assurances.","unit_id":2,"country":"RO","tags":["prison-conditions"]}`, "lawyer"},
	"GET /api/v1/articles/{id}":                   {"/api/v1/articles/{article}", "", "lawyer"},
	"PATCH /api/v1/articles/{id}":                 {"/api/v1/articles/{article}", `{"tags":["eaw","hearings"]}`, "lawyer"},
	"POST /api/v1/articles/{id}/transitions":      {"/api/v1/articles/{article}/transitions", `{"action":"submit"}`, "lawyer"},
	"GET /api/v1/articles/{id}/versions":          {"/api/v1/articles/{published}/versions", "", "lawyer"},
	"GET /api/v1/articles/{id}/diff":              {"/api/v1/articles/{published}/diff", "", "lawyer"},
	"GET /api/v1/articles/{id}/reviews":           {"/api/v1/articles/{published}/reviews", "", "lawyer"},
	"POST /api/v1/articles/{id}/reviews":          {"/api/v1/articles/{published}/reviews", `{"outcome":"still_accurate","note":"checked"}`, "lawyer"},
	"POST /api/v1/knowledge/gaps":                 {"/api/v1/knowledge/gaps", `{"topic":"Assurances from Brazil","unit_id":2}`, "manager"},
	"POST /api/v1/knowledge/gaps/{id}/close":      {"/api/v1/knowledge/gaps/{gap}/close", `{"article_id":{published}}`, "lawyer"},
	"PUT /api/v1/knowledge/specialisms/{code}":    {"/api/v1/knowledge/specialisms/cyber_crime", `{"name":"Cyber-crime","lead_id":5,"contact":"cyber mailbox","tag":"cyber-crime"}`, ""},
	"POST /api/v1/knowledge/help":                 {"/api/v1/knowledge/help", `{"specialism":"eaw","topic":"Forum","question":"When does forum apply?","urgency":"urgent"}`, "manager"},
	"POST /api/v1/knowledge/help/{id}/answer":     {"/api/v1/knowledge/help/{help}/answer", `{"answer":"When it is in the interests of justice.","publish":true}`, "lawyer"},
	"POST /api/v1/knowledge/help/{id}/reallocate": {"/api/v1/knowledge/help/{second_help}/reallocate", "", "lawyer"},
	"PUT /api/v1/knowledge/help/away":             {"/api/v1/knowledge/help/away", `{"away_until":""}`, "lawyer"},
	"GET /api/v1/articles/{id}/attachments":       {"/api/v1/articles/{published}/attachments", "", "lawyer"},
	"POST /api/v1/articles/{id}/attachments":      {"/api/v1/articles/{published}/attachments?name=scan.pdf", "%PDF-1.4 sample", "lawyer"},
}

// scaleSample is the default scale with one level relabelled.
var scaleSample = func() string {
	s := risk.DefaultScale
	s.Impact = append([]risk.Level{}, s.Impact...)
	s.Impact[4].Label = "Critical"
	raw, _ := json.Marshal(s)
	return string(raw)
}()

func checkOperation(t *testing.T, f *fixture, method, path string, op, schemas map[string]any) {
	t.Helper()
	sample, ok := samples[method+" "+path]
	if !ok {
		if strings.Contains(path, "{") || method != "GET" {
			t.Fatalf("no sample request for %s %s: add one to samples", method, path)
		}
		sample.path = path
	}
	contentType := ""
	switch {
	case strings.HasPrefix(sample.path, "/api/v1/imports/"):
		contentType = "text/csv"
	case strings.Contains(sample.path, "/attachments?"):
		contentType = "application/pdf"
	case sample.body != "":
		contentType = "application/json"
	}
	if strings.Contains(sample.path, "{token}") {
		// A token of its own to revoke: revoking the fixture's would lock
		// the other subtests out.
		made := f.do(t, "admin", "POST", "/api/v1/tokens", "application/json", `{"name":"to revoke"}`).json(t)
		sample.path = strings.Replace(sample.path, "{token}", fmt.Sprint(made["detail"].(map[string]any)["id"]), 1)
	}
	if strings.Contains(sample.path, "{shared}") {
		// A share of its own to withdraw: the fixture shares nothing.
		f.do(t, "hod", "PUT", "/api/v1/measures/ctl_failures/shares/ctc", "", "")
		sample.path = strings.Replace(sample.path, "{shared}", "ctl_failures/shares/ctc", 1)
	}
	sample.path, sample.body = f.qualitySample(t, sample.path, sample.body)
	sample.path, sample.body = f.assuranceSample(t, sample.path, sample.body)
	ids := strings.NewReplacer("{case}", fmt.Sprint(f.caseID), "{defendant}", fmt.Sprint(f.defendantID),
		"{framework}", fmt.Sprint(f.frameworkID), "{inspection}", fmt.Sprint(f.inspectionID),
		"{finding}", fmt.Sprint(f.findingID), "{finding2}", fmt.Sprint(f.finding2ID), "{action}", fmt.Sprint(f.actionID),
		"{closable}", fmt.Sprint(f.closableID), "{hod}", fmt.Sprint(f.people["hod"]), "{lawyer_email}", f.email(t, "lawyer"),
		"{charge}", fmt.Sprint(f.chargeID), "{direction}", fmt.Sprint(f.directionID), "{review_action}", fmt.Sprint(f.reviewActionID), "{risk}", fmt.Sprint(f.riskID), "{risk2}", fmt.Sprint(f.risk2ID),
		"{measure}", fmt.Sprint(f.measureID), "{acceptance}", fmt.Sprint(f.acceptanceID), "{acceptance2}", fmt.Sprint(f.acceptance2ID),
		"{lawyer}", fmt.Sprint(f.people["lawyer"]), "{madrid}", fmt.Sprint(f.madridID), "{continuity_plan}", fmt.Sprint(f.continuityPlanID), "{lawyer_unit}", fmt.Sprint(f.lawyerUnit(t)),
		"{return}", fmt.Sprint(f.returnIDs[0]), "{return2}", fmt.Sprint(f.returnIDs[1]), "{return3}", fmt.Sprint(f.returnIDs[2]), "{unit_return}", fmt.Sprint(f.unitReturnID), "{next_quarter}", time.Now().AddDate(0, 3, 0).Format("2006-01-02"))
	sample.path, sample.body = ids.Replace(sample.path), ids.Replace(sample.body)
	if strings.Contains(sample.path, "{reopenable}") {
		// A finding of its own, closed, to reopen: the fixture's are open.
		made := f.do(t, "hod", "POST", fmt.Sprintf("/api/v1/inspections/%d/findings", f.inspectionID), "application/json",
			fmt.Sprintf(`{"kind":"aspect_for_improvement","number":9,"paragraph":"4.1","text":"Closed to reopen","owner_id":%d}`, f.people["hod"])).json(t)
		id := made["finding"].(map[string]any)["id"]
		f.do(t, "hod", "POST", fmt.Sprintf("/api/v1/findings/%v/close", id), "application/json", `{"status":"closed_not_implemented","on":"2019-06-01","note":"Superseded"}`)
		sample.path = strings.Replace(sample.path, "{reopenable}", fmt.Sprint(id), 1)
	}
	if method+" "+path == "POST /api/v1/risks/{id}/acceptances" {
		// A risk of its own to propose: the fixture's risks already have
		// proposals pending.
		made := f.do(t, "lawyer", "POST", "/api/v1/risks", "application/json", ids.Replace(samples["POST /api/v1/risks"].body)).json(t)
		sample.path = fmt.Sprintf("/api/v1/risks/%v/acceptances", made["id"])
		sample.body = fmt.Sprintf(`{"justification":"Tolerable until the new rules","approver_id":%d,"expires":"%s"}`, f.people["hod"], time.Now().AddDate(0, 3, 0).Format("2006-01-02"))
	}
	if method+" "+path == "POST /api/v1/performance-packs/{quarter}/issue" {
		// A pack is issued once every exception carries commentary.
		quarter := strings.TrimSuffix(sample.path, "/issue")
		_, red := packMeasures(t, f.do(t, "hod", "GET", quarter, "", "").Body)
		for _, code := range red {
			f.do(t, "hod", "PUT", quarter+"/commentary/"+code, "application/json", `{"commentary":"Explained."}`)
		}
	}
	sample.path = strings.NewReplacer("{case}", fmt.Sprint(f.caseID), "{defendant}", fmt.Sprint(f.defendantID),
		"{charge}", fmt.Sprint(f.chargeID), "{article}", fmt.Sprint(f.articleID), "{published}", fmt.Sprint(f.publishedArticleID), "{gap}", fmt.Sprint(f.gapID), "{help}", fmt.Sprint(f.helpID), "{second_help}", fmt.Sprint(f.secondHelpID)).Replace(sample.path)
	sample.body = strings.ReplaceAll(sample.body, "{published}", fmt.Sprint(f.publishedArticleID))
	as := sample.as
	if as == "" {
		as = "admin"
	}
	res := f.do(t, as, method, sample.path, contentType, sample.body)
	responses := op["responses"].(map[string]any)
	described, ok := responses[strconv.Itoa(res.Status)].(map[string]any)
	if !ok {
		t.Fatalf("status %d is not described (described: %v)\n%s", res.Status, keys(responses), res.Body)
	}
	if res.Status >= 300 {
		t.Fatalf("sample request failed: %d %s", res.Status, res.Body)
	}
	if res.Status == 204 {
		if res.Body != "" {
			t.Fatalf("204 with a body: %q", res.Body)
		}
		return
	}
	schema := described["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
	var body any
	if err := json.Unmarshal([]byte(res.Body), &body); err != nil {
		t.Fatal(err)
	}
	for _, e := range validate(body, schema, schemas, "body") {
		t.Error(e)
	}
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func apiPathsInSource(t *testing.T) []string {
	t.Helper()
	files, _ := filepath.Glob("*.go")
	found := map[string]bool{}
	fset := token.NewFileSet()
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, _ := strconv.Unquote(lit.Value)
			if _, after, ok := strings.Cut(s, "/api/v1/"); ok && !strings.ContainsAny(after, " ?#") {
				found["/api/v1/"+after] = true
			}
			return true
		})
	}
	var out []string
	for p := range found {
		out = append(out, p)
	}
	sort.Strings(out)
	if len(out) < 5 {
		t.Fatalf("found only %v in the source: the scan is broken", out)
	}
	return out
}

// validate checks a decoded JSON value against a JSON Schema subset: type
// (single or list), properties, required, additionalProperties false, items,
// enum and $ref to components. It returns every mismatch.
func validate(v any, schema map[string]any, schemas map[string]any, at string) []string {
	if ref, ok := schema["$ref"].(string); ok {
		return validate(v, schemas[strings.TrimPrefix(ref, "#/components/schemas/")].(map[string]any), schemas, at)
	}
	if choices, ok := schema["oneOf"].([]any); ok {
		var all []string
		for _, c := range choices {
			errs := validate(v, c.(map[string]any), schemas, at)
			if len(errs) == 0 {
				return nil
			}
			all = append(all, errs...)
		}
		return all
	}
	if !typeMatches(v, schema["type"]) {
		return []string{fmt.Sprintf("%s: %T does not match type %v", at, v, schema["type"])}
	}
	var errs []string
	switch val := v.(type) {
	case map[string]any:
		props, _ := schema["properties"].(map[string]any)
		for _, r := range asStrings(schema["required"]) {
			if _, ok := val[r]; !ok {
				errs = append(errs, fmt.Sprintf("%s: missing required %q", at, r))
			}
		}
		for k, fv := range val {
			ps, ok := props[k].(map[string]any)
			if !ok {
				if schema["additionalProperties"] == false {
					errs = append(errs, fmt.Sprintf("%s: undescribed property %q", at, k))
				}
				continue
			}
			errs = append(errs, validate(fv, ps, schemas, at+"."+k)...)
		}
	case []any:
		if items, ok := schema["items"].(map[string]any); ok {
			for i, item := range val {
				errs = append(errs, validate(item, items, schemas, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
	}
	return errs
}

func typeMatches(v any, t any) bool {
	if t == nil {
		return true
	}
	for _, name := range asStrings(t) {
		switch val := v.(type) {
		case nil:
			if name == "null" {
				return true
			}
		case string:
			if name == "string" {
				return true
			}
		case bool:
			if name == "boolean" {
				return true
			}
		case float64:
			if name == "number" || (name == "integer" && val == float64(int64(val))) {
				return true
			}
		case []any:
			if name == "array" {
				return true
			}
		case map[string]any:
			if name == "object" {
				return true
			}
		}
	}
	return false
}

func asStrings(v any) []string {
	switch val := v.(type) {
	case string:
		return []string{val}
	case []any:
		var out []string
		for _, x := range val {
			out = append(out, x.(string))
		}
		return out
	}
	return nil
}

func TestValidateCatchesMismatch(t *testing.T) {
	schemas := map[string]any{"P": map[string]any{"type": "object", "additionalProperties": false,
		"required": []any{"id"}, "properties": map[string]any{"id": map[string]any{"type": "integer"}}}}
	ref := map[string]any{"$ref": "#/components/schemas/P"}
	if errs := validate(map[string]any{"id": 1.0}, ref, schemas, "b"); len(errs) != 0 {
		t.Fatalf("valid body rejected: %v", errs)
	}
	for _, bad := range []any{map[string]any{}, map[string]any{"id": "1"}, map[string]any{"id": 1.0, "extra": true}, []any{}} {
		if errs := validate(bad, ref, schemas, "b"); len(errs) == 0 {
			t.Errorf("invalid body %v accepted", bad)
		}
	}
	nullable := map[string]any{"oneOf": []any{ref, map[string]any{"type": "null"}}}
	if errs := validate(nil, nullable, schemas, "b"); len(errs) != 0 {
		t.Errorf("null refused by a nullable reference: %v", errs)
	}
	if errs := validate(map[string]any{"id": "x"}, nullable, schemas, "b"); len(errs) == 0 {
		t.Error("a wrong object passed a nullable reference")
	}
}

func describedUnder(described map[string]bool, prefix string) bool {
	for path := range described {
		if strings.HasPrefix(path, prefix) {
			return true
		}
	}
	return false
}

// lawyerUnit is the fixture lawyer's own unit.
func (f *fixture) lawyerUnit(t *testing.T) int64 {
	t.Helper()
	p, err := f.db.Principal(context.Background(), f.people["lawyer"])
	if err != nil {
		t.Fatal(err)
	}
	return p.Units[0]
}
