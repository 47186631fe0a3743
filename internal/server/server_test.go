package server_test

import (
	"caseboard/docs/frameworks"
	"caseboard/internal/plan"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/config"
	"caseboard/internal/deadline"
	"caseboard/internal/demo"
	"caseboard/internal/measure"
	"caseboard/internal/org"
	"caseboard/internal/risk"
	"caseboard/internal/server"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
	"caseboard/web"
)

// fixture is a real HTTP server over a fresh database of one dialect,
// loaded with the demo division, and API tokens for people in a range of
// roles.
type fixture struct {
	srv    *server.Server
	ts     *httptest.Server
	db     *store.DB
	tokens map[string]string // by who: admin, lawyer, hod, inspector, board, partner, ...
	people map[string]int64
	// An extradition case of the lawyer's, with one requested person and
	// one charge.
	caseID, defendantID, chargeID, directionID, reviewActionID int64
	// The Madrid post and its returns: two drafts and a submitted one.
	madridID  int64
	returnIDs []int64
	// unitReturnID is extradition's monthly return for March 2018.
	unitReturnID int64
	// A business continuity plan of the lawyer's unit, owned by the lawyer.
	continuityPlanID int64
	// Two risks of the lawyer's: the first with a counter-measure and an
	// acceptance waiting for the head of division, the second with an
	// acceptance proposal to withdraw.
	riskID, risk2ID, measureID, acceptanceID, acceptance2ID int64
	// The Annex B framework; an inspection under it with two
	// recommendations whose accountable owner is the head of division; an
	// action of the lawyer's on the first, and one ready to close.
	frameworkID, inspectionID, findingID, finding2ID, actionID, closableID int64
	// A draft article of the lawyer's, and a published one of their unit.
	articleID, publishedArticleID int64
	// An open request for guidance in the lawyer's unit.
	gapID int64
	// An open help request to the lawyer's specialism.
	helpID, secondHelpID int64
}

// cheapHash keeps the demo accounts' password hashing fast in tests; the
// verifier reads the cost from the hash itself.
var cheapHash = func() string {
	h, err := access.HashPassword(context.Background(), demo.Password, access.Argon2Params{Memory: 8 * 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	if err != nil {
		panic(err)
	}
	return h
}()

// who maps each fixture identity to a demo person, picked by role.
var who = map[string]func(c org.Chart) string{
	"admin":     func(org.Chart) string { return "admin@caseboard.example" },
	"inspector": func(org.Chart) string { return "inspector@caseboard.example" },
	"board":     func(org.Chart) string { return "board@caseboard.example" },
	"partner":   func(org.Chart) string { return "partner@caseboard.example" },
	"hod":       byGrade("head_of_division", ""),
	"lawyer":    byGrade("specialist_prosecutor", "extradition"),
	"paralegal": byGrade("paralegal_officer", "organised_crime"),
	"manager":   byGrade("legal_manager_1", "organised_crime"),
	"unit_head": byGrade("deputy_head_of_division", "international"),
	"abm":       byGrade("area_business_manager", ""),
	"boc":       byGrade("operational_delivery", "extradition"),
}

func byGrade(grade org.Grade, unit string) func(org.Chart) string {
	return func(c org.Chart) string {
		for _, p := range c.People {
			if p.Grade == grade && (unit == "" || p.UnitCode == unit) {
				return p.Email
			}
		}
		panic("no demo person of grade " + string(grade))
	}
}

func newServer(t testing.TB, d store.Dialect) *fixture {
	t.Helper()
	db := storetest.Open(t, d)
	ctx := context.Background()
	if _, err := db.SeedOrganisation(ctx); err != nil {
		t.Fatal(err)
	}
	chart := demo.Division(7)
	for i := range chart.Accounts {
		chart.Accounts[i].PasswordHash = cheapHash
	}
	if _, err := db.LoadChart(ctx, chart, "test"); err != nil {
		t.Fatal(err)
	}
	views, err := web.NewViews()
	if err != nil {
		t.Fatal(err)
	}
	cfg := &config.Config{MaxBodyBytes: 4096, MaxUploadBytes: 1 << 20, ShutdownTimeout: 1, SessionIdle: time.Hour, SessionMax: 12 * time.Hour}
	log := slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelError}))
	srv := server.New(db, views, log, cfg, "test")
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	f := &fixture{srv: srv, ts: ts, db: db, tokens: map[string]string{}, people: map[string]int64{}}
	for name, pick := range who {
		account, err := db.AccountByEmail(ctx, pick(chart))
		if err != nil {
			t.Fatal(err)
		}
		token := access.NewAPIToken()
		if err := db.CreateAPIToken(ctx, &store.APIToken{PersonID: account.PersonID, Name: "test", ExpiresAt: time.Now().Add(time.Hour)}, access.HashSecret(token)); err != nil {
			t.Fatal(err)
		}
		f.tokens[name], f.people[name] = token, account.PersonID
	}
	f.addCase(t)
	f.addRisks(t)
	f.addReturns(t)
	f.addPlan(t)
	f.addContinuityPlan(t)
	f.addArticles(t)
	return f
}

// addContinuityPlan gives the lawyer's unit a business continuity plan the
// lawyer owns, never exercised.
func (f *fixture) addContinuityPlan(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	lawyer, err := f.db.Principal(ctx, f.people["lawyer"])
	if err != nil {
		t.Fatal(err)
	}
	plan := risk.ContinuityPlan{Title: "Extradition, Petty France", UnitID: lawyer.Units[0], OwnerID: lawyer.PersonID, Contacts: "Duty lawyer",
		ReviewedOn: time.Now().AddDate(0, -1, 0), Activities: []risk.CriticalActivity{{Name: "Westminster hearings", RTOHours: 8}}}
	if err := f.db.SaveContinuityPlan(ctx, lawyer, &plan); err != nil {
		t.Fatal(err)
	}
	f.continuityPlanID = plan.ID
}

// addReturns gives the Madrid post three returns by one of its
// prosecutors: drafts for June and July 2018 and a submitted May.
func (f *fixture) addReturns(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	staff, err := f.db.People(ctx, store.PeopleFilter{Location: "post_es", Limit: 1})
	if err != nil || len(staff.People) == 0 {
		t.Fatalf("no one at the Madrid post: %v", err)
	}
	prosecutor, err := f.db.Principal(ctx, staff.People[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	f.madridID = staff.People[0].LocationID
	var ids []int64
	for _, month := range []string{"2018-06", "2018-07", "2018-05"} {
		r := casework.PostReturn{LocationID: f.madridID, Month: month, Narrative: "Letters of request executed", CaseworkInteractions: 30}
		if err := f.db.SavePostReturn(ctx, prosecutor, &r); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	if err := f.db.SubmitPostReturn(ctx, prosecutor, ids[2], 1); err != nil {
		t.Fatal(err)
	}
	f.returnIDs = ids
	hod, err := f.db.Principal(ctx, f.people["hod"])
	if err != nil {
		t.Fatal(err)
	}
	ur := measure.UnitReturn{UnitCode: "extradition", Month: "2018-03", FTE: []measure.GradeFTE{{Grade: "specialist_prosecutor", FTE: 3}},
		SessionsInHouse: 12, SessionsCounsel: 1}
	if err := f.db.SaveUnitReturn(ctx, hod, &ur); err != nil {
		t.Fatal(err)
	}
	f.unitReturnID = ur.ID
}

func (f *fixture) addRisks(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	lawyer, err := f.db.Principal(ctx, f.people["lawyer"])
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, 0, 2)
	for _, title := range []string{"Prison conditions refusals", "Interpreter shortage at Westminster"} {
		loc := int64(1)
		r := risk.Risk{Title: title, Cause: "a requesting state's prisons are found wanting", Event: "extradition is refused",
			Consequence: "requested persons are discharged", Category: risk.Casework, UnitID: lawyer.Units[0], LocationID: &loc,
			OwnerID: lawyer.PersonID, Themes: []string{"prison conditions"}, Inherent: risk.Rating{Likelihood: 4, Impact: 4},
			Current: risk.Rating{Likelihood: 3, Impact: 4}, Target: risk.Rating{Likelihood: 2, Impact: 3}, ReviewMonths: 3,
			NextReview: time.Now().AddDate(0, 3, 0), CaseIDs: []int64{f.caseID}}
		if err := f.db.CreateRisk(ctx, lawyer, &r); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	f.riskID, f.risk2ID = ids[0], ids[1]
	m := risk.CounterMeasure{RiskID: f.riskID, Description: "Seek assurances from the requesting state", OwnerID: lawyer.PersonID, Due: time.Now().AddDate(0, 1, 0)}
	if err := f.db.SaveCounterMeasure(ctx, lawyer, &m); err != nil {
		t.Fatal(err)
	}
	f.measureID = m.ID
	expires := time.Now().AddDate(0, 6, 0)
	for i, id := range ids {
		a := risk.Acceptance{RiskID: id, Justification: "Outside the division's control", ApproverID: f.people["hod"], Expires: &expires}
		if err := f.db.ProposeAcceptance(ctx, lawyer, &a); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			f.acceptanceID = a.ID
		} else {
			f.acceptance2ID = a.ID
		}
	}
}

func (f *fixture) addPlan(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	principal := func(name string) *access.Principal {
		p, err := f.db.Principal(ctx, f.people[name])
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	hod, lawyer := principal("hod"), principal("lawyer")
	data, err := frameworks.FS.ReadFile(frameworks.Annex2019)
	if err != nil {
		t.Fatal(err)
	}
	fw, err := plan.ParseFramework(data, plan.JSON, plan.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.db.ImportFramework(ctx, hod, &fw); err != nil {
		t.Fatal(err)
	}
	in := plan.Inspection{Body: "HMCPSI", Title: "The Inspection of CPS International Justice and Organised Crime Division", Organisation: "CPS IJOCD",
		PublishedOn: time.Date(2019, 1, 29, 0, 0, 0, 0, time.UTC), FrameworkID: &fw.ID}
	if err := f.db.CreateInspection(ctx, hod, &in); err != nil {
		t.Fatal(err)
	}
	var findings []int64
	for n, text := range []string{"Risk management strategy", "Smarter working"} {
		fd := plan.Finding{InspectionID: in.ID, Kind: plan.Recommendation, Number: n + 1, Text: text, Paragraph: "3.7", Criteria: []string{"B1.1"}, OwnerID: &hod.PersonID}
		if err := f.db.AddFinding(ctx, hod, &fd); err != nil {
			t.Fatal(err)
		}
		findings = append(findings, fd.ID)
	}
	var actions []int64
	for _, title := range []string{"Write the strategy", "Brief the units"} {
		a := plan.Action{FindingID: findings[0], Title: title, OwnerID: lawyer.PersonID, DueOn: time.Date(2019, 9, 30, 0, 0, 0, 0, time.UTC)}
		if err := f.db.AddAction(ctx, hod, &a); err != nil {
			t.Fatal(err)
		}
		actions = append(actions, a.ID)
	}
	if err := f.db.AddEvidence(ctx, lawyer, &plan.Evidence{ActionID: actions[1], Kind: plan.EvidenceDocument, Ref: "Unit briefing notes"}); err != nil {
		t.Fatal(err)
	}
	f.frameworkID, f.inspectionID, f.findingID, f.finding2ID, f.actionID, f.closableID = fw.ID, in.ID, findings[0], findings[1], actions[0], actions[1]
}

func (f *fixture) addCase(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	lawyer, err := f.db.Principal(ctx, f.people["lawyer"])
	if err != nil {
		t.Fatal(err)
	}
	c := casework.Case{Reference: "EX/2017/0042", Kind: casework.Extradition, Title: "Requested person: Adam Example",
		UnitID: lawyer.Units[0], LocationID: 1, Status: "arrested", Sensitivity: access.Official, LawyerID: &lawyer.PersonID,
		OpenedOn: time.Date(2017, 11, 6, 0, 0, 0, 0, time.UTC), Direction: "export", Country: "PL", WarrantType: "eaw_conviction"}
	if err := f.db.CreateCase(ctx, lawyer, &c); err != nil {
		t.Fatal(err)
	}
	d := casework.Defendant{CaseID: c.ID, Ref: "RP1", Name: "Adam Example", CustodyStatus: "in_custody", Country: "PL"}
	if err := f.db.SaveDefendant(ctx, lawyer, &d); err != nil {
		t.Fatal(err)
	}
	ch := casework.Charge{DefendantID: d.ID, Description: "Fraud (accusation warrant)"}
	if err := f.db.SaveCharge(ctx, lawyer, c.ID, &ch); err != nil {
		t.Fatal(err)
	}
	dir := casework.Direction{CaseID: c.ID, Court: casework.MagistratesCourt, Description: "Serve the extradition bundle", Due: deadline.NewDate(2018, 3, 20)}
	if err := f.db.SaveDirection(ctx, lawyer, &dir); err != nil {
		t.Fatal(err)
	}
	panel := casework.CaseReview{CaseID: c.ID, Kind: casework.LocalPanel, Held: deadline.NewDate(2018, 2, 20), Summary: "Further information outstanding",
		Actions: []casework.ReviewAction{{Description: "Ask the requesting state again", OwnerID: &lawyer.PersonID, Due: deadline.NewDate(2018, 2, 27)}}}
	if err := f.db.AddCaseReview(ctx, lawyer, &panel); err != nil {
		t.Fatal(err)
	}
	f.caseID, f.defendantID, f.chargeID, f.directionID, f.reviewActionID = c.ID, d.ID, ch.ID, dir.ID, panel.Actions[0].ID
}

type response struct {
	Status int
	Header http.Header
	Body   string
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(r.Body), &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, r.Body)
	}
	return m
}

// do sends a request as one of the fixture's identities ("" for nobody).
func (f *fixture) do(t testing.TB, as, method, path, contentType, body string, header ...string) response {
	t.Helper()
	if as != "" {
		header = append(header, "Authorization", "Bearer "+f.tokens[as])
	}
	return send(t, f.ts, method, path, contentType, body, header...)
}

func send(t testing.TB, ts *httptest.Server, method, path, contentType, body string, header ...string) response {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	client := *ts.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return response{Status: res.StatusCode, Header: res.Header, Body: string(raw)}
}

// scenario is one request and what must come back, in the style of an API
// table: every row is checked on SQLite and on PostgreSQL.
type scenario struct {
	name        string
	as          string // who asks: a fixture identity; "" is "admin", "-" is nobody
	method      string
	path        string
	contentType string
	body        string
	status      int
	wantType    string   // Content-Type prefix
	contains    []string // substrings of the body
	excludes    []string
}

func TestScenarios(t *testing.T) {
	scenarios := []scenario{
		{name: "Healthz", method: "GET", path: "/healthz", status: 200, wantType: "application/json", contains: []string{`"status":"ok"`}},
		{name: "Readyz", method: "GET", path: "/readyz", status: 200, contains: []string{`"status":"ready"`}},
		{name: "Metrics", method: "GET", path: "/metrics", status: 200, contains: []string{"caseboard_db", "go_goroutines"}},
		{name: "HomePage", method: "GET", path: "/", status: 200, wantType: "text/html",
			contains: []string{"International Justice and Organised Crime Division", "Organised Crime", "govuk-service-navigation"}},
		{name: "OrganisationPage", method: "GET", path: "/organisation?unit=extradition&sort=name&order=desc", status: 200,
			contains: []string{`aria-sort="descending"`, "Extradition", "moj-filter", "Remove this filter"}},
		{name: "OrganisationPageNoMatch", method: "GET", path: "/organisation?q=nobody-has-this-name", status: 200,
			contains: []string{"Nobody matches these filters."}},
		{name: "OrganisationPageErrBadSort", method: "GET", path: "/organisation?sort=salary", status: 422, wantType: "text/html",
			contains: []string{"Sort by name, unit, location, grade or email"}},
		{name: "PersonPageErrNotFound", method: "GET", path: "/organisation/people/999999", status: 404, wantType: "text/html",
			contains: []string{"Page not found", "If you typed the web address"}},
		{name: "PersonPageErrNotANumber", method: "GET", path: "/organisation/people/abc", status: 404},
		{name: "PageErrUnknownRoute", method: "GET", path: "/no/such/page", status: 404, wantType: "text/html", contains: []string{"Page not found"}},
		{name: "APIErrUnknownRoute", method: "GET", path: "/api/v1/nothing", status: 404, wantType: "application/problem+json",
			contains: []string{`"code":"not_found"`, `"status":404`}},
		{name: "APIErrMethod", method: "DELETE", path: "/api/v1/units", status: 405, wantType: "application/problem+json",
			contains: []string{"DELETE is not allowed"}},
		{name: "APIDivision", method: "GET", path: "/api/v1/division", status: 200, contains: []string{`"code":"ijoc"`}},
		{name: "APIUnits", method: "GET", path: "/api/v1/units", status: 200, contains: []string{`"items":[`, `"code":"strategy_and_policy"`}},
		{name: "APIPeopleFilter", method: "GET", path: "/api/v1/people?unit=international&location=post_es&limit=5", status: 200,
			contains: []string{`"location_code":"post_es"`}, excludes: []string{`"location_code":"petty_france"`}},
		{name: "APIPeopleErrLimit", method: "GET", path: "/api/v1/people?limit=100000", status: 422,
			contains: []string{`"field":"limit"`}},
		{name: "APIPeopleErrCursor", method: "GET", path: "/api/v1/people?cursor=%27%3B--", status: 422, contains: []string{`"field":"cursor"`}},
		{name: "APIPersonErrNotFound", method: "GET", path: "/api/v1/people/0", status: 404, wantType: "application/problem+json"},
		{name: "APICreateLocation", method: "POST", path: "/api/v1/locations", contentType: "application/json",
			body: `{"code":"post_mx","name":"Mexico City (Mexico)","kind":"overseas_post","country":"MX"}`, status: 201,
			contains: []string{`"code":"post_mx"`, `"id":`}},
		{name: "APICreateLocationErrDuplicate", method: "POST", path: "/api/v1/locations", contentType: "application/json",
			body: `{"code":"petty_france","name":"Again","kind":"office","country":"GB"}`, status: 409},
		{name: "APICreateLocationErrFields", method: "POST", path: "/api/v1/locations", contentType: "application/json",
			body: `{"code":"Bad Code","name":"","kind":"castle","country":"XX"}`, status: 422,
			contains: []string{`"field":"code"`, `"field":"name"`, `"field":"kind"`, `"field":"country"`}},
		{name: "APIErrMalformedJSON", method: "POST", path: "/api/v1/locations", contentType: "application/json",
			body: `{"code":`, status: 422, contains: []string{"empty or cut short"}},
		{name: "APIErrSyntax", method: "POST", path: "/api/v1/locations", contentType: "application/json",
			body: `{"code" "x"}`, status: 422, contains: []string{"not valid JSON"}},
		{name: "APIErrUnknownField", method: "POST", path: "/api/v1/locations", contentType: "application/json",
			body: `{"code":"post_pt","name":"Lisbon","kind":"overseas_post","country":"PT","budget":1}`, status: 422,
			contains: []string{`"field":"budget"`}},
		{name: "APIErrWrongType", method: "POST", path: "/api/v1/locations", contentType: "application/json",
			body: `{"code":7}`, status: 422, contains: []string{`"field":"code"`}},
		{name: "APIErrTrailingData", method: "POST", path: "/api/v1/locations", contentType: "application/json",
			body: `{"code":"post_pt"} {}`, status: 422, contains: []string{"nothing after it"}},
		{name: "APIErrContentType", method: "POST", path: "/api/v1/locations", contentType: "text/plain",
			body: `{}`, status: 422, contains: []string{"Content-Type: application/json"}},
		{name: "APIErrOversized", method: "POST", path: "/api/v1/locations", contentType: "application/json",
			body: `{"name":"` + strings.Repeat("x", 5000) + `"}`, status: 422, contains: []string{"bytes"}},
		{name: "APIUpdatePerson", method: "PATCH", path: "/api/v1/people/3", contentType: "application/json",
			body: `{"clearance":"dv"}`, status: 200, contains: []string{`"clearance":"dv"`}},
		{name: "APIUpdatePersonErrSelfManaged", method: "PATCH", path: "/api/v1/people/3", contentType: "application/json",
			body: `{"line_manager_id":3}`, status: 422, contains: []string{`"field":"line_manager_id"`}},
		{name: "APIUpdatePersonErrNotFound", method: "PATCH", path: "/api/v1/people/999999", contentType: "application/json",
			body: `{"clearance":"dv"}`, status: 404},
		{name: "APICreatePersonErrFields", method: "POST", path: "/api/v1/people", contentType: "application/json",
			body: `{"name":"","email":"nope"}`, status: 422, contains: []string{`"field":"email"`, `"field":"grade"`, `"field":"unit_id"`}},
		{name: "APIUpdateUnitHead", method: "PATCH", path: "/api/v1/units/2", contentType: "application/json",
			body: `{"head_id":4}`, status: 200, contains: []string{`"head_id":4`}},
		{name: "APIUpdateUnitErrHeadMissing", method: "PATCH", path: "/api/v1/units/2", contentType: "application/json",
			body: `{"head_id":999999}`, status: 422},
		{name: "APIUpdateLocationErrNotFound", method: "PATCH", path: "/api/v1/locations/999999", contentType: "application/json",
			body: `{"name":"x"}`, status: 404},
		{name: "APIWriteErrReadOnlyRole", as: "inspector", method: "PATCH", path: "/api/v1/people/3", contentType: "application/json",
			body: `{"clearance":"bpss"}`, status: 403},
		{name: "APIErrAnonymous", as: "-", method: "GET", path: "/api/v1/people", status: 401, wantType: "application/problem+json"},
		{name: "PageErrPartner", as: "partner", method: "GET", path: "/organisation", status: 403, wantType: "text/html",
			contains: []string{"You do not have access to this page"}},
		{name: "CaseloadPage", as: "lawyer", method: "GET", path: "/cases?kind=extradition", status: 200,
			contains: []string{"EX/2017/0042", "Requested person: Adam Example", "Open a case"}},
		{name: "CaseloadPageInspectorReadsOnly", as: "inspector", method: "GET", path: "/cases", status: 200,
			contains: []string{"EX/2017/0042"}, excludes: []string{"Open a case"}},
		{name: "CaseloadPartnerSeesNothingUnshared", as: "partner", method: "GET", path: "/cases", status: 200,
			contains: []string{"No cases match"}, excludes: []string{"EX/2017/0042"}},
		{name: "CasePage", as: "lawyer", method: "GET", path: "/cases/1", status: 200,
			contains: []string{"EX/2017/0042", "Requested persons", "Adam Example", "in_custody", "Fraud (accusation warrant)", "no custody time limit runs"}},
		{name: "ChargeCustodyTimeLimit", as: "lawyer", method: "POST", path: "/api/v1/cases/1/defendants/1/charges", contentType: "application/json",
			body:   `{"description":"Possession with intent","principal_offence":"drugs_offences","custody":{"offence_class":"summary_only","first_appearance":"2018-02-01"}}`,
			status: 201, contains: []string{`"expiry":"2018-03-29"`, `"working":[`}},
		{name: "ChargeErrDates", as: "lawyer", method: "POST", path: "/api/v1/cases/1/defendants/1/charges", contentType: "application/json",
			body:   `{"description":"x","custody":{"offence_class":"either_way","first_appearance":"2018-02-01","sent":"2018-01-01"}}`,
			status: 422, contains: []string{`"field":"sent"`}},
		{name: "CasePageErrPartnerProbes", as: "partner", method: "GET", path: "/cases/1", status: 404, contains: []string{"Page not found"}},
		{name: "CaseAPIErrPartnerProbesMissing", as: "partner", method: "GET", path: "/api/v1/cases/99999", status: 404},
		{name: "CaseAPIErrPartnerProbesExisting", as: "partner", method: "GET", path: "/api/v1/cases/1", status: 404},
		{name: "CaseNewPage", as: "lawyer", method: "GET", path: "/cases/new", status: 200, contains: []string{"Open a case", "Restricted: seen only"}},
		{name: "CaseAPIErrStaleVersion", as: "lawyer", method: "PATCH", path: "/api/v1/cases/1", contentType: "application/json",
			body: `{"version":7,"title":"x"}`, status: 409, contains: []string{"changed since you opened it"}},
		{name: "CaseAPIErrNoVersion", as: "lawyer", method: "PATCH", path: "/api/v1/cases/1", contentType: "application/json",
			body: `{"title":"x"}`, status: 422, contains: []string{`"field":"version"`}},
		{name: "CaseAPIErrOtherUnit", as: "paralegal", method: "POST", path: "/api/v1/cases", contentType: "application/json",
			body:   `{"reference":"EX/1","kind":"extradition","unit_id":2,"location_id":1,"status":"received","sensitivity":"official","opened_on":"2018-01-01"}`,
			status: 403},
		{name: "DefendantAPIErrOutcome", as: "lawyer", method: "PATCH", path: "/api/v1/cases/1/defendants/1", contentType: "application/json",
			body: `{"outcome":"guilty","finalised_on":"2018-02-30"}`, status: 422, contains: []string{`"field":"finalised_on"`}},
		{name: "DefendantAPIOutcome", as: "lawyer", method: "PATCH", path: "/api/v1/cases/1/defendants/1", contentType: "application/json",
			body: `{"outcome":"export_extradition_ordered","finalised_on":"2018-02-28"}`, status: 200, contains: []string{`"outcome":"export_extradition_ordered"`}},
		{name: "ImportAPIErrRows", as: "hod", method: "POST", path: "/api/v1/imports/outcomes?name=bad", contentType: "text/csv",
			body:   "case_urn,unit,location,court,defendant_id,principal_offence,finalised_on,outcome\n01PF1,organised_crime,petty_france,XX,1,drugs_offences,2018-05-02,guilty_plea\n",
			status: 422, contains: []string{`"committed":false`, `"row":2`, `"column":"court"`}},
		{name: "ImportAPIErrType", as: "hod", method: "POST", path: "/api/v1/imports/outcomes", contentType: "application/json",
			body: `{}`, status: 422, contains: []string{"text/csv"}},
		{name: "ImportCasesAPIErrRows", as: "hod", method: "POST", path: "/api/v1/imports/cases?name=bad", contentType: "text/csv",
			body:   "reference,kind,unit,location,status,opened_on\nOC/1,organised_crime,organised_crime,petty_france,dreaming,2018-04-02\n",
			status: 422, contains: []string{`"committed":false`, `"row":2`, `"column":"status"`}},
		{name: "ImportCasesPage", as: "lawyer", method: "GET", path: "/imports/cases", status: 200, contains: []string{"Import cases", "One row per case"}},
		{name: "ImportPage", as: "lawyer", method: "GET", path: "/imports/outcomes", status: 200, contains: []string{"Import outcomes", `enctype="multipart/form-data"`}},
		{name: "HearingAPI", as: "lawyer", method: "POST", path: "/api/v1/cases/1/hearings", contentType: "application/json",
			body: `{"kind":"extradition_hearing","court":"MC","centre":"Westminster","on":"2018-03-12"}`, status: 201,
			contains: []string{`"kind":"extradition_hearing"`, `"on":"2018-03-12"`}},
		{name: "HearingAPIErrKind", as: "lawyer", method: "POST", path: "/api/v1/cases/1/hearings", contentType: "application/json",
			body: `{"kind":"picnic","court":"MC","on":"2018-03-12"}`, status: 422, contains: []string{`"field":"kind"`}},
		{name: "DirectionAPIErrOtherCaseHearing", as: "lawyer", method: "POST", path: "/api/v1/cases/1/directions", contentType: "application/json",
			body: `{"hearing_id":99999,"court":"MC","description":"Serve papers","due":"2018-03-20"}`, status: 422, contains: []string{`"field":"hearing_id"`}},
		{name: "DirectionAPIErrInspector", as: "inspector", method: "POST", path: "/api/v1/cases/1/directions", contentType: "application/json",
			body: `{"court":"MC","description":"Serve papers","due":"2018-03-20"}`, status: 403},
		{name: "DocumentAPI", as: "lawyer", method: "PUT", path: "/api/v1/cases/1/documents/disclosure_management", contentType: "application/json",
			body: `{"updated_on":"2018-02-01","note":"First version"}`, status: 200, contains: []string{`"kind":"disclosure_management"`, `"updated_on":"2018-02-01"`}},
		{name: "DocumentAPIErrKind", as: "lawyer", method: "PUT", path: "/api/v1/cases/1/documents/shopping_list", contentType: "application/json",
			body: `{"updated_on":"2018-02-01"}`, status: 422, contains: []string{`"field":"kind"`}},
		{name: "CasePageProgress", as: "lawyer", method: "GET", path: "/cases/1", status: 200,
			contains: []string{"Hearings and directions", "Serve the extradition bundle", "Key documents", "Disclosure management document", "Record a direction"}},
		{name: "DirectionFormErrDue", as: "lawyer", method: "POST", path: "/cases/1/directions", contentType: "application/x-www-form-urlencoded",
			body: "court=CC&description=Serve+papers&due=2018-02-30", status: 422,
			contains: []string{`href="#direction-due"`, `id="direction-due"`, "Enter the date as YYYY-MM-DD"}},
		{name: "ReviewAPIHandover", as: "lawyer", method: "POST", path: "/api/v1/cases/1/reviews", contentType: "application/json",
			body:   `{"kind":"handover","held":"2018-03-01","summary":"Hearing listed; bundle served","actions":[{"description":"Read the bundle","due":"2018-03-05"}]}`,
			status: 422, contains: []string{`"field":"to_lawyer_id"`}},
		{name: "ReviewAPIPanel", as: "lawyer", method: "POST", path: "/api/v1/cases/1/reviews", contentType: "application/json",
			body:   `{"kind":"local_panel","held":"2018-03-01","members":"Unit head, case lawyer","summary":"Risk of late further information","actions":[{"description":"Chase the requesting state","due":"2018-03-02"}]}`,
			status: 201, contains: []string{`"kind":"local_panel"`, `"description":"Chase the requesting state"`, `"recorded_by":`}},
		{name: "ReviewFormErr", as: "lawyer", method: "POST", path: "/cases/1/reviews", contentType: "application/x-www-form-urlencoded",
			body: "kind=adverse_outcome&held=2018-03-01&summary=Discharged&action_1=Write+up&action_due_1=2018-02-01", status: 422,
			contains: []string{`href="#review-learning"`, `href="#review-actions"`, "An action cannot be due before the review that agreed it"}},
		{name: "CasePageReviews", as: "lawyer", method: "GET", path: "/cases/1", status: 200,
			contains: []string{"Panels, reviews and handovers", "Local case management panel, 2018-03-01", "Chase the requesting state", "Mark done"}},
		{name: "ExtensionFormErrAfterExpiry", as: "lawyer", method: "POST", path: "/cases/1/defendants/1/charges/2/extensions", contentType: "application/x-www-form-urlencoded",
			body: "until=2018-06-01&granted=2018-04-20&court=Southwark+Crown+Court&reason=Expert+evidence+late", status: 422,
			contains: []string{`href="#extension-2-granted"`, "only before it expires"}},
		{name: "ContinuityPage", as: "lawyer", method: "GET", path: "/continuity", status: 200,
			contains: []string{"Business continuity plans", "Extradition, Petty France", "Not exercised in 12 months", "Add a plan"}},
		{name: "ContinuityAPIErrExercise", as: "lawyer", method: "POST", path: "/api/v1/continuity-plans/1/exercises", contentType: "application/json",
			body: `{"held_on":"2099-01-01T00:00:00Z","scenario":"","findings":""}`, status: 422,
			contains: []string{`"field":"held_on"`, `"field":"scenario"`, `"field":"findings"`}},
		{name: "ReturnsPage", as: "lawyer", method: "GET", path: "/returns", status: 200,
			contains: []string{"Overseas posts&#39; monthly returns", "Madrid (Spain)", "Submitted", "Prepare a return"}},
		{name: "ReturnPageToDecide", as: "hod", method: "GET", path: "/returns/3", status: 200,
			contains: []string{"Validate the return", "Yes: validate it", "Madrid (Spain), 2018-05"}},
		{name: "PressListCSV", as: "hod", method: "GET", path: "/cases/press-list?format=csv", status: 200,
			contains: []string{"reference,title,unit,location,court_centre,next_hearing,lawyer,why_sensitive,opened_on"}},
		{name: "PressListErrFormat", as: "hod", method: "GET", path: "/cases/press-list?format=pdf", status: 422},
		{name: "ReturnsAPIErrNotTheirPost", as: "manager", method: "POST", path: "/api/v1/post-returns", contentType: "application/json",
			body: `{"location_id":1,"month":"2018-06"}`, status: 422, contains: []string{`"field":"location_id"`}},
		{name: "ReturnsAPIErrPartner", as: "partner", method: "GET", path: "/api/v1/post-returns", status: 403},
		{name: "ReturnFormErrMonth", as: "hod", method: "POST", path: "/returns", contentType: "application/x-www-form-urlencoded",
			body: "location_id=1&month=June", status: 422, contains: []string{`href="#month"`, "Enter the month as YYYY-MM"}},
		// The charge added above runs a limit that expired on 29 March 2018.
		{name: "MyWork", as: "lawyer", method: "GET", path: "/my-work", status: 200,
			contains: []string{"EX/2017/0042", "29 Mar 2018", "Overdue by", "Custody time limit: RP1, Possession with intent", "app-date--overdue",
				"Direction: Serve the extradition bundle", "Review the disclosure management document", "Action: Chase the requesting state"}},
		{name: "MyWorkAPI", as: "lawyer", method: "GET", path: "/api/v1/my-work", status: 200,
			contains: []string{`"reference":"EX/2017/0042"`, `"due":"2018-03-29T00:00:00Z"`}},
		{name: "MyWorkOthersEmpty", as: "paralegal", method: "GET", path: "/my-work", status: 200,
			contains: []string{"Nothing is due on your cases"}, excludes: []string{"EX/2017/0042"}},
		{name: "ReportOutcomesErr", as: "lawyer", method: "GET", path: "/api/v1/reports/outcomes?from=2018-04-01&to=2017-04-01&court=XX", status: 422,
			contains: []string{`"field":"to"`, `"field":"court"`}},
		{name: "ReportDirections", as: "lawyer", method: "GET", path: "/api/v1/reports/directions?unit=extradition&to=2018-12-31", status: 200,
			contains: []string{`"outstanding":1`, `"timely_rate":0`, `"CC":{"on_time":0,"late":0,"outstanding":0,"pending":0,"timely_rate":null}`}},
		{name: "ReportDirectionsErr", as: "lawyer", method: "GET", path: "/api/v1/reports/directions?unit=international&from=2018-13-01", status: 422,
			contains: []string{`"field":"unit"`, `"field":"from"`}},
		{name: "ReportOutcomesNoData", as: "lawyer", method: "GET", path: "/api/v1/reports/outcomes?from=2030-01-01", status: 200,
			contains: []string{`"total":0`, `"conviction_rate":null`, `"by_court":{`}},
		{name: "ScriptInQueryEscaped", method: "GET", path: "/organisation?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E", status: 200,
			contains: []string{"&lt;script&gt;alert(1)&lt;/script&gt;"}, excludes: []string{"<script>alert(1)"}},
		{name: "StaticFile", method: "GET", path: "/static/favicon.svg", status: 200, contains: []string{"<svg"}},
		{name: "StaticErrDirectory", method: "GET", path: "/static/", status: 404},
	}
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			f := newServer(t, d)
			for _, sc := range scenarios {
				t.Run(sc.name, func(t *testing.T) {
					as := sc.as
					switch as {
					case "":
						as = "admin"
					case "-":
						as = ""
					}
					res := f.do(t, as, sc.method, sc.path, sc.contentType, sc.body)
					if res.Status != sc.status {
						t.Fatalf("status %d, want %d\n%s", res.Status, sc.status, res.Body)
					}
					if res.Header.Get("Content-Type") == "application/json" && res.Header.Get("Content-Length") != strconv.Itoa(len(res.Body)) {
						t.Errorf("Content-Length %q, body %d bytes: a JSON response is sent whole, with its length", res.Header.Get("Content-Length"), len(res.Body))
					}
					if sc.wantType != "" && !strings.HasPrefix(res.Header.Get("Content-Type"), sc.wantType) {
						t.Errorf("Content-Type %q, want %q", res.Header.Get("Content-Type"), sc.wantType)
					}
					for _, want := range sc.contains {
						if !strings.Contains(res.Body, want) {
							t.Errorf("body lacks %q:\n%.2000s", want, res.Body)
						}
					}
					for _, bad := range sc.excludes {
						if strings.Contains(res.Body, bad) {
							t.Errorf("body has %q", bad)
						}
					}
				})
			}
		})
	}
}

func TestSecureHeaders(t *testing.T) {
	f := newServer(t, store.SQLite)
	for _, path := range []string{"/", "/api/v1/units", "/no-such-page"} {
		res := f.do(t, "lawyer", "GET", path, "", "")
		csp := res.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		for header, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY"} {
			if got := res.Header.Get(header); got != want {
				t.Errorf("%s: %s = %q, want %q", path, header, got, want)
			}
		}
		if res.Header.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS sent over plain HTTP", path)
		}
		if len(res.Header.Get("X-Request-Id")) < 8 {
			t.Errorf("%s: no request id", path)
		}
	}
}

func TestCrossOriginWriteRefused(t *testing.T) {
	f := newServer(t, store.SQLite)
	before, _ := f.db.Locations(context.Background())
	res := f.do(t, "admin", "POST", "/api/v1/locations", "application/json",
		`{"code":"post_pt","name":"Lisbon (Portugal)","kind":"overseas_post","country":"PT"}`,
		"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")
	if res.Status != http.StatusForbidden {
		t.Fatalf("cross-site POST: status %d, want 403", res.Status)
	}
	after, _ := f.db.Locations(context.Background())
	if len(after) != len(before) {
		t.Fatal("a cross-site request wrote a location")
	}
}

func TestRequestIDFromProxyIsSanitised(t *testing.T) {
	f := newServer(t, store.SQLite)
	res := f.do(t, "", "GET", "/healthz", "", "", "X-Request-Id", "abc def injected=1 <b>")
	if id := res.Header.Get("X-Request-Id"); strings.Contains(id, "injected") {
		t.Fatalf("unsafe request id echoed: %q", id)
	}
	res = f.do(t, "", "GET", "/healthz", "", "", "X-Request-Id", "proxy-id-12345")
	if id := res.Header.Get("X-Request-Id"); id != "proxy-id-12345" {
		t.Fatalf("safe request id not kept: %q", id)
	}
}

func TestReadyzWhenDatabaseGone(t *testing.T) {
	f := newServer(t, store.SQLite)
	f.db.Close()
	res := f.do(t, "", "GET", "/readyz", "", "")
	if res.Status != http.StatusServiceUnavailable || res.json(t)["code"] != "unavailable" {
		t.Fatalf("readyz with the database closed: %d %s", res.Status, res.Body)
	}
	if res := f.do(t, "", "GET", "/healthz", "", ""); res.Status != 200 {
		t.Fatalf("healthz should not depend on the database: %d", res.Status)
	}
}

func TestKeysetPagingThroughAPI(t *testing.T) {
	f := newServer(t, store.Postgres)
	seen := map[float64]bool{}
	path := "/api/v1/people?limit=25&sort=location&order=desc"
	for pages := 0; ; pages++ {
		if pages > 20 {
			t.Fatal("paging did not end")
		}
		body := f.do(t, "lawyer", "GET", path, "", "").json(t)
		for _, p := range body["people"].([]any) {
			id := p.(map[string]any)["id"].(float64)
			if seen[id] {
				t.Fatalf("person %v on two pages", id)
			}
			seen[id] = true
		}
		next, _ := body["next_cursor"].(string)
		if next == "" {
			break
		}
		path = "/api/v1/people?limit=25&sort=location&order=desc&cursor=" + next
	}
	if len(seen) != len(demo.Division(7).People) {
		t.Fatalf("paged through %d people, want %d", len(seen), len(demo.Division(7).People))
	}
}

// testLog sends the server's error log to the test's log, shown when a test
// fails.
type testLog struct{ t testing.TB }

func (w testLog) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func TestMetricsByRoutePattern(t *testing.T) {
	f := newServer(t, store.SQLite)
	f.do(t, "lawyer", "GET", "/organisation/people/3", "", "")
	f.do(t, "lawyer", "GET", "/nowhere", "", "")
	body := f.do(t, "", "GET", "/metrics", "", "").Body
	for _, want := range []string{
		`caseboard_http_requests_total{method="GET",route="GET /organisation/people/{id}",status="200"} 1`,
		`caseboard_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
