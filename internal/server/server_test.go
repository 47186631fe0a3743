package server_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/config"
	"caseboard/internal/demo"
	"caseboard/internal/org"
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
	caseID, defendantID, chargeID int64
	// A draft article of the lawyer's, and a published one of their unit.
	articleID, publishedArticleID int64
	// An open request for guidance in the lawyer's unit.
	gapID int64
	// An open help request to the lawyer's specialism.
	helpID int64
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
	f.addArticles(t)
	return f
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
	f.caseID, f.defendantID, f.chargeID = c.ID, d.ID, ch.ID
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
		{name: "ImportPage", as: "lawyer", method: "GET", path: "/imports/outcomes", status: 200, contains: []string{"Import outcomes", `enctype="multipart/form-data"`}},
		// The charge added above runs a limit that expired on 29 March 2018.
		{name: "MyWork", as: "lawyer", method: "GET", path: "/my-work", status: 200,
			contains: []string{"EX/2017/0042", "29 Mar 2018", "Overdue by", "Possession with intent", "app-date--overdue"}},
		{name: "MyWorkAPI", as: "lawyer", method: "GET", path: "/api/v1/my-work", status: 200,
			contains: []string{`"reference":"EX/2017/0042"`, `"due":"2018-03-29T00:00:00Z"`}},
		{name: "MyWorkOthersEmpty", as: "paralegal", method: "GET", path: "/my-work", status: 200,
			contains: []string{"No custody time limit runs on your cases."}, excludes: []string{"EX/2017/0042"}},
		{name: "ReportOutcomesErr", as: "lawyer", method: "GET", path: "/api/v1/reports/outcomes?from=2018-04-01&to=2017-04-01&court=XX", status: 422,
			contains: []string{`"field":"to"`, `"field":"court"`}},
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
