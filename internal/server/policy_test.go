package server_test

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"

	"caseboard/internal/server"
	"caseboard/internal/store"
)

// Who is allowed, by route. Every route the server registers must appear
// here, and each is checked for every identity against the real server:
// allowed identities get past the policy layer; the others are refused
// with 401 (or a redirect to sign in) when anonymous and 403 otherwise.
//
// The groups are spelled out so that the table reads as the policy.
var (
	everyone  = []string{"", "admin", "lawyer", "paralegal", "manager", "unit_head", "hod", "abm", "boc", "inspector", "board", "partner"}
	signedIn  = everyone[1:]
	staff     = []string{"admin", "lawyer", "paralegal", "manager", "unit_head", "hod", "abm", "boc", "inspector", "board"}
	adminOnly = []string{"admin"}
	// caseworkers record casework: not inspectors, board members, partners
	// or administrators as such.
	caseworkers = []string{"lawyer", "paralegal", "manager", "unit_head", "hod", "abm", "boc"}
	// hodOnly sets the risk appetite and scale.
	hodOnly = []string{"hod"}
	// qualityStaff give, receive and acknowledge assessments: staff who
	// write, not the Board, inspectors or partners, who see figures only.
	qualityStaff = []string{"admin", "lawyer", "paralegal", "manager", "unit_head", "hod", "abm", "boc"}
	calibrators  = []string{"unit_head", "hod"}
	// planManagers record inspections and set action plans; action owners
	// (any caseworker) report on their own actions, which the store
	// decides record by record.
	planManagers = []string{"hod", "abm", "boc"}
	// performanceOwners comment on the division's figures for the Board
	// (which unit's poster the store decides); packIssuers issue the pack.
	performanceOwners = []string{"unit_head", "hod", "abm", "boc"}
	packIssuers       = []string{"hod", "abm"}
	// measureSharers share measures with partners (which measures the
	// store decides: a unit head only their own unit's).
	measureSharers = []string{"unit_head", "hod"}
)

var policyMatrix = map[string][]string{
	"GET /healthz":                     everyone,
	"GET /readyz":                      everyone,
	"GET /metrics":                     everyone,
	"GET /static/":                     everyone,
	"GET /sign-in":                     everyone,
	"POST /sign-in":                    everyone,
	"GET /sign-in/sso":                 everyone,
	"GET /sign-in/sso/callback":        everyone,
	"POST /sign-out":                   signedIn,
	"POST /sign-out/everywhere":        signedIn,
	"GET /{$}":                         staff,
	"GET /account":                     signedIn,
	"POST /account/tokens":             signedIn,
	"POST /account/tokens/{id}/revoke": signedIn,
	"GET /my-work":                     signedIn,
	"GET /cases":                       signedIn,
	"GET /cases/new":                   caseworkers,
	"GET /cases/press-list":            staff,
	"POST /cases":                      caseworkers,
	"GET /cases/{id}":                  signedIn,
	"GET /cases/{id}/edit":             caseworkers,
	"POST /cases/{id}/edit":            caseworkers,
	"POST /cases/{id}/defendants":      caseworkers,
	"POST /cases/{id}/defendants/{defendant}/outcome":                     caseworkers,
	"POST /cases/{id}/defendants/{defendant}/charges":                     caseworkers,
	"POST /cases/{id}/defendants/{defendant}/charges/{charge}/extensions": caseworkers,
	"POST /cases/{id}/defendants/{defendant}/extradition":                 caseworkers,
	"POST /cases/{id}/hearings":                                           caseworkers,
	"POST /cases/{id}/directions":                                         caseworkers,
	"POST /cases/{id}/directions/{direction}/complete":                    caseworkers,
	"POST /cases/{id}/documents":                                          caseworkers,
	"POST /cases/{id}/reviews":                                            caseworkers,
	"POST /cases/{id}/actions/{action}/done":                              caseworkers,
	"GET /imports/outcomes":                                               caseworkers,
	"POST /imports/outcomes":                                              caseworkers,
	"GET /imports/cases":                                                  caseworkers,
	"GET /imports/progress/{id}":                                          signedIn,
	"GET /returns":                                                        staff,
	"POST /returns":                                                       caseworkers,
	"GET /returns/{id}":                                                   staff,
	"POST /returns/{id}":                                                  caseworkers,
	"POST /returns/{id}/submit":                                           caseworkers,
	"POST /returns/{id}/decision":                                         caseworkers,
	"GET /performance/returns":                                            staff,
	"POST /performance/returns":                                           caseworkers,
	"GET /api/v1/unit-returns":                                            staff,
	"POST /api/v1/unit-returns":                                           caseworkers,
	"GET /api/v1/unit-returns/{id}":                                       staff,
	"GET /api/v1/post-returns":                                            staff,
	"POST /api/v1/post-returns":                                           caseworkers,
	"GET /api/v1/post-returns/{id}":                                       staff,
	"PATCH /api/v1/post-returns/{id}":                                     caseworkers,
	"POST /api/v1/post-returns/{id}/submit":                               caseworkers,
	"POST /api/v1/post-returns/{id}/decision":                             caseworkers,
	"POST /imports/cases":                                                 caseworkers,
	"GET /imports/findings":                                               planManagers,
	"POST /imports/findings":                                              planManagers,
	"GET /organisation":                                                   staff,
	"GET /organisation/people/{id}":                                       staff,
	"GET /admin/accounts":                                                 adminOnly,
	"GET /admin/audit":                                                    adminOnly,
	"GET /api/v1/openapi.json":                                            everyone,
	"GET /api/v1/division":                                                staff,
	"GET /api/v1/units":                                                   staff,
	"GET /api/v1/locations":                                               staff,
	"POST /api/v1/locations":                                              adminOnly,
	"PATCH /api/v1/locations/{id}":                                        adminOnly,
	"PATCH /api/v1/units/{id}":                                            adminOnly,
	"POST /api/v1/people":                                                 adminOnly,
	"PATCH /api/v1/people/{id}":                                           adminOnly,
	"GET /api/v1/teams":                                                   staff,
	"GET /api/v1/people":                                                  staff,
	"GET /api/v1/cases":                                                   signedIn,
	"POST /api/v1/cases":                                                  caseworkers,
	"GET /api/v1/cases/{id}":                                              signedIn,
	"PATCH /api/v1/cases/{id}":                                            caseworkers,
	"POST /api/v1/cases/{id}/defendants":                                  caseworkers,
	"PATCH /api/v1/cases/{id}/defendants/{defendant}":                     caseworkers,
	"POST /api/v1/cases/{id}/defendants/{defendant}/charges":              caseworkers,
	"PATCH /api/v1/cases/{id}/defendants/{defendant}/charges/{charge}":    caseworkers,
	"PUT /api/v1/cases/{id}/defendants/{defendant}/extradition":           caseworkers,
	"POST /api/v1/cases/{id}/hearings":                                    caseworkers,
	"POST /api/v1/cases/{id}/directions":                                  caseworkers,
	"PATCH /api/v1/cases/{id}/directions/{direction}":                     caseworkers,
	"PUT /api/v1/cases/{id}/documents/{kind}":                             caseworkers,
	"POST /api/v1/cases/{id}/reviews":                                     caseworkers,
	"PATCH /api/v1/cases/{id}/actions/{action}":                           caseworkers,
	"POST /api/v1/imports/outcomes":                                       caseworkers,
	"POST /api/v1/imports/cases":                                          caseworkers,
	"POST /api/v1/imports/unit-returns":                                   caseworkers,
	"GET /api/v1/my-work":                                                 signedIn,
	"GET /api/v1/reports/outcomes":                                        signedIn,
	"GET /api/v1/reports/directions":                                      signedIn,
	"GET /api/v1/measures":                                                signedIn,
	"GET /api/v1/measures/{code}":                                         signedIn,
	"GET /api/v1/measures/{code}/records":                                 signedIn,
	"GET /api/v1/measures/{code}/shares":                                  staff,
	"PUT /api/v1/measures/{code}/shares/{partner}":                        measureSharers,
	"DELETE /api/v1/measures/{code}/shares/{partner}":                     measureSharers,
	"POST /performance/{code}/shares":                                     measureSharers,
	"GET /api/v1/performance-packs":                                       staff,
	"GET /api/v1/performance-packs/{quarter}":                             staff,
	"PUT /api/v1/performance-packs/{quarter}/commentary/{measure}":        performanceOwners,
	"POST /api/v1/performance-packs/{quarter}/issue":                      packIssuers,
	"GET /api/v1/performance-posters/{unit}/{quarter}":                    staff,
	"PUT /api/v1/performance-posters/{unit}/{quarter}/narrative":          performanceOwners,
	"GET /performance":                                                    signedIn,
	"GET /performance/{code}":                                             signedIn,
	"GET /performance/packs":                                              staff,
	"GET /performance/packs/{quarter}":                                    staff,
	"GET /performance/packs/{quarter}/pack.pdf":                           staff,
	"POST /performance/packs/{quarter}/commentary":                        performanceOwners,
	"POST /performance/packs/{quarter}/issue":                             packIssuers,
	"GET /performance/poster":                                             staff,
	"GET /performance/poster.pdf":                                         staff,
	"GET /performance/poster.png":                                         staff,
	"POST /performance/poster":                                            performanceOwners,
	"GET /performance/annex-a":                                            signedIn,
	"GET /api/v1/reports/annex-a":                                         signedIn,
	"GET /api/v1/me":                                                      signedIn,
	"GET /api/v1/tokens":                                                  signedIn,
	"POST /api/v1/tokens":                                                 signedIn,
	"DELETE /api/v1/tokens/{id}":                                          signedIn,
	"GET /api/v1/audit":                                                   adminOnly,
	"GET /api/v1/people/{id}":                                             staff,
	"GET /risks":                                                          staff,
	"GET /risk-assurance":                                                 staff,
	"POST /risk-assurance":                                                caseworkers,
	"GET /risk-assurance/{quarter}":                                       staff,
	"POST /risk-assurance/{quarter}/sign-offs":                            caseworkers,
	"POST /risk-assurance/{quarter}/certificate":                          hodOnly,
	"GET /risk-assurance/{quarter}/certificate":                           staff,
	"GET /risk-assurance/{quarter}/certificate.pdf":                       staff,
	"GET /api/v1/risk-assurance":                                          staff,
	"POST /api/v1/risk-assurance":                                         caseworkers,
	"GET /api/v1/risk-assurance/{quarter}":                                staff,
	"POST /api/v1/risk-assurance/{quarter}/sign-offs":                     caseworkers,
	"POST /api/v1/risk-assurance/{quarter}/certificate":                   hodOnly,
	"GET /continuity":                                                     staff,
	"POST /continuity":                                                    caseworkers,
	"GET /continuity/{id}":                                                staff,
	"POST /continuity/{id}/exercises":                                     caseworkers,
	"GET /api/v1/continuity-plans":                                        staff,
	"POST /api/v1/continuity-plans":                                       caseworkers,
	"GET /api/v1/continuity-plans/{id}":                                   staff,
	"POST /api/v1/continuity-plans/{id}/exercises":                        caseworkers,
	"GET /risks/new":                                                      caseworkers,
	"POST /risks":                                                         caseworkers,
	"GET /risks/heatmap":                                                  staff,
	"GET /risks/heatmap.pdf":                                              staff,
	"GET /risks/register.pdf":                                             staff,
	"GET /risks/export.xlsx":                                              staff,
	"GET /imports/risks":                                                  caseworkers,
	"POST /imports/risks":                                                 caseworkers,
	"POST /api/v1/imports/risks":                                          caseworkers,
	"GET /risks/tree":                                                     staff,
	"GET /risks/trends":                                                   staff,
	"GET /risks/appetite":                                                 staff,
	"POST /risks/appetite":                                                hodOnly,
	"GET /risks/{id}":                                                     staff,
	"GET /risks/{id}/edit":                                                caseworkers,
	"POST /risks/{id}/edit":                                               caseworkers,
	"POST /risks/{id}/measures":                                           caseworkers,
	"POST /risks/{id}/measures/{measure}":                                 caseworkers,
	"POST /risks/{id}/reviews":                                            caseworkers,
	"POST /risks/{id}/acceptances":                                        caseworkers,
	"POST /risks/{id}/acceptances/{acceptance}/decision":                  caseworkers,
	"POST /risks/{id}/acceptances/{acceptance}/revoke":                    caseworkers,
	"GET /api/v1/risks":                                                   staff,
	"POST /api/v1/risks":                                                  caseworkers,
	"GET /api/v1/risks/{id}":                                              staff,
	"PATCH /api/v1/risks/{id}":                                            caseworkers,
	"GET /api/v1/risks/{id}/recommendations":                              staff,
	"PUT /api/v1/risks/{id}/recommendations/{finding}":                    caseworkers,
	"DELETE /api/v1/risks/{id}/recommendations/{finding}":                 caseworkers,
	"POST /api/v1/risks/{id}/counter-measures":                            caseworkers,
	"PATCH /api/v1/risks/{id}/counter-measures/{measure}":                 caseworkers,
	"POST /api/v1/risks/{id}/reviews":                                     caseworkers,
	"POST /api/v1/risks/{id}/acceptances":                                 caseworkers,
	"POST /api/v1/risks/{id}/acceptances/{acceptance}/decision":           caseworkers,
	"POST /api/v1/risks/{id}/acceptances/{acceptance}/revoke":             caseworkers,
	"GET /api/v1/risk-heatmap":                                            staff,
	"GET /api/v1/risk-tree":                                               staff,
	"GET /api/v1/risk-trends":                                             staff,
	"GET /api/v1/risk-settings":                                           staff,
	"PUT /api/v1/risk-settings/appetite":                                  hodOnly,
	"PUT /api/v1/risk-settings/scale":                                     hodOnly,
	"GET /quality":                                                        staff,
	"GET /quality/assessments/new":                                        qualityStaff,
	"POST /quality/assessments":                                           qualityStaff,
	"GET /quality/assessments/{id}":                                       qualityStaff,
	"POST /quality/assessments/{id}/acknowledge":                          qualityStaff,
	"GET /quality/assessments/{id}/edit":                                  qualityStaff,
	"POST /quality/assessments/{id}/edit":                                 qualityStaff,
	"GET /quality/assessments/{id}/remark":                                qualityStaff,
	"POST /quality/assessments/{id}/remark":                               qualityStaff,
	"GET /quality/completion":                                             staff,
	"GET /quality/trends":                                                 staff,
	"POST /quality/trends/themes":                                         caseworkers,
	"GET /quality/calibration":                                            calibrators,
	"POST /quality/calibration/samples":                                   calibrators,
	"GET /api/v1/quality/templates":                                       qualityStaff,
	"GET /api/v1/quality/assessments":                                     qualityStaff,
	"POST /api/v1/quality/assessments":                                    qualityStaff,
	"GET /api/v1/quality/assessments/{id}":                                qualityStaff,
	"PATCH /api/v1/quality/assessments/{id}":                              qualityStaff,
	"POST /api/v1/quality/assessments/{id}/acknowledge":                   qualityStaff,
	"POST /api/v1/quality/assessments/{id}/remark":                        qualityStaff,
	"GET /api/v1/quality/obligations":                                     qualityStaff,
	"GET /api/v1/quality/completion":                                      staff,
	"GET /api/v1/quality/trends":                                          staff,
	"POST /api/v1/quality/themes":                                         caseworkers,
	"GET /api/v1/quality/calibration":                                     calibrators,
	"POST /api/v1/quality/dip-samples":                                    calibrators,
	"GET /api/v1/quality/schedule-rules":                                  staff,
	"PUT /api/v1/quality/schedule-rules":                                  qualityStaff,
	"GET /quality/compliance":                                             qualityStaff,
	"POST /quality/compliance/samples":                                    qualityStaff,
	"GET /quality/exports/assessments.xlsx":                               qualityStaff,
	"GET /quality/exports/compliance.xlsx":                                qualityStaff,
	"GET /api/v1/quality/compliance":                                      qualityStaff,
	"POST /api/v1/quality/compliance/samples":                             qualityStaff,
	"GET /plans":                                                          staff,
	"GET /plans/board":                                                    staff,
	"GET /plans/checks":                                                   staff,
	"POST /plans/checks/run":                                              planManagers,
	"GET /plans/frameworks/{id}":                                          staff,
	"GET /plans/frameworks/{id}/readiness.xlsx":                           staff,
	"GET /plans/frameworks/{id}/readiness.pdf":                            staff,
	"GET /plans/frameworks/{id}/criteria/{criterion}":                     staff,
	"POST /plans/frameworks/{id}/criteria/{criterion}":                    planManagers,
	"GET /plans/inspections/new":                                          planManagers,
	"POST /plans/inspections":                                             planManagers,
	"GET /plans/inspections/{id}":                                         staff,
	"GET /plans/inspections/{id}/edit":                                    planManagers,
	"POST /plans/inspections/{id}":                                        planManagers,
	"POST /plans/inspections/{id}/findings":                               planManagers,
	"GET /plans/findings/{id}":                                            staff,
	"POST /plans/findings/{id}/response":                                  planManagers,
	"POST /plans/findings/{id}/edit":                                      planManagers,
	"POST /plans/findings/{id}/reopen":                                    planManagers,
	"POST /plans/findings/{id}/actions":                                   caseworkers,
	"POST /plans/findings/{id}/close":                                     caseworkers,
	"POST /plans/actions/{id}/updates":                                    caseworkers,
	"POST /plans/actions/{id}/target-date":                                caseworkers,
	"POST /plans/actions/{id}/milestones":                                 caseworkers,
	"POST /plans/actions/{id}/evidence":                                   caseworkers,
	"POST /plans/actions/{id}/close":                                      caseworkers,
	"POST /api/v1/imports/actions":                                        caseworkers,
	"POST /api/v1/imports/findings":                                       planManagers,
	"GET /api/v1/frameworks":                                              staff,
	"POST /api/v1/frameworks":                                             planManagers,
	"GET /api/v1/frameworks/{id}":                                         staff,
	"GET /api/v1/frameworks/{id}/readiness":                               staff,
	"PUT /api/v1/frameworks/{id}/assessments/{criterion}":                 planManagers,
	"GET /api/v1/inspections":                                             staff,
	"POST /api/v1/inspections":                                            planManagers,
	"GET /api/v1/inspections/{id}":                                        staff,
	"POST /api/v1/inspections/{id}/findings":                              planManagers,
	"GET /api/v1/findings/{id}":                                           staff,
	"PUT /api/v1/findings/{id}/response":                                  planManagers,
	"PUT /api/v1/findings/{id}":                                           planManagers,
	"POST /api/v1/findings/{id}/reopen":                                   planManagers,
	"PUT /api/v1/inspections/{id}":                                        planManagers,
	"POST /api/v1/findings/{id}/close":                                    caseworkers,
	"POST /api/v1/findings/{id}/actions":                                  caseworkers,
	"POST /api/v1/actions/{id}/updates":                                   caseworkers,
	"POST /api/v1/actions/{id}/target-date":                               caseworkers,
	"POST /api/v1/actions/{id}/milestones":                                caseworkers,
	"POST /api/v1/actions/{id}/evidence":                                  caseworkers,
	"POST /api/v1/actions/{id}/close":                                     caseworkers,
	"GET /api/v1/board":                                                   staff,
	"GET /api/v1/evidence-checks":                                         staff,
	"POST /api/v1/evidence-checks/run":                                    planManagers,
	"GET /knowledge":                                                      signedIn,
	"GET /knowledge/new":                                                  caseworkers,
	"POST /knowledge":                                                     caseworkers,
	"GET /knowledge/stale":                                                staff,
	"GET /knowledge/{id}":                                                 signedIn,
	"GET /knowledge/{id}/edit":                                            caseworkers,
	"POST /knowledge/{id}/edit":                                           caseworkers,
	"POST /knowledge/{id}/submit":                                         caseworkers,
	"POST /knowledge/{id}/return":                                         caseworkers,
	"POST /knowledge/{id}/approve":                                        caseworkers,
	"POST /knowledge/{id}/archive":                                        caseworkers,
	"POST /knowledge/{id}/reviews":                                        caseworkers,
	"GET /knowledge/{id}/versions/{n}":                                    signedIn,
	"GET /knowledge/{id}/diff":                                            signedIn,
	"GET /api/v1/articles":                                                signedIn,
	"POST /api/v1/articles":                                               caseworkers,
	"GET /api/v1/articles/{id}":                                           signedIn,
	"PATCH /api/v1/articles/{id}":                                         caseworkers,
	"POST /api/v1/articles/{id}/transitions":                              caseworkers,
	"GET /api/v1/articles/{id}/versions":                                  signedIn,
	"GET /api/v1/articles/{id}/diff":                                      signedIn,
	"GET /api/v1/articles/{id}/reviews":                                   signedIn,
	"POST /api/v1/articles/{id}/reviews":                                  caseworkers,
	"GET /api/v1/knowledge/stale":                                         staff,
	"GET /knowledge/gaps":                                                 staff,
	"POST /knowledge/gaps":                                                requesters,
	"POST /knowledge/gaps/{id}/close":                                     caseworkers,
	"GET /api/v1/knowledge/gaps":                                          staff,
	"POST /api/v1/knowledge/gaps":                                         requesters,
	"POST /api/v1/knowledge/gaps/{id}/close":                              caseworkers,
	"POST /knowledge/{id}/attachments":                                    caseworkers,
	"GET /knowledge/{id}/attachments/{attachment}":                        signedIn,
	"GET /knowledge/experts":                                              staff,
	"GET /knowledge/experts/new":                                          adminOnly,
	"GET /knowledge/experts/edit/{code}":                                  adminOnly,
	"POST /knowledge/experts":                                             adminOnly,
	"GET /api/v1/knowledge/specialisms":                                   staff,
	"PUT /api/v1/knowledge/specialisms/{code}":                            adminOnly,
	"GET /knowledge/help":                                                 staff,
	"POST /knowledge/help":                                                requesters,
	"POST /knowledge/help/{id}/answer":                                    requesters,
	"POST /knowledge/help/away":                                           requesters,
	"POST /knowledge/help/{id}/reallocate":                                requesters,
	"POST /api/v1/knowledge/help/{id}/reallocate":                         requesters,
	"GET /api/v1/knowledge/help":                                          staff,
	"POST /api/v1/knowledge/help":                                         requesters,
	"POST /api/v1/knowledge/help/{id}/answer":                             requesters,
	"PUT /api/v1/knowledge/help/away":                                     requesters,
	"GET /api/v1/knowledge/help/response-times":                           staff,
	"POST /cases/{id}/learning":                                           caseworkers,
	"GET /api/v1/articles/{id}/attachments":                               signedIn,
	"POST /api/v1/articles/{id}/attachments":                              caseworkers,
}

// requesters may ask for guidance: staff who may write at all.
var requesters = []string{"admin", "lawyer", "paralegal", "manager", "unit_head", "hod", "abm", "boc"}

// concrete turns a route pattern into a path that reaches it.
func concrete(pattern string) string {
	path := strings.ReplaceAll(pattern, "{$}", "")
	if strings.Contains(path, "tokens/") {
		// No such token: revoking a real one would cut the fixture's own.
		path = strings.ReplaceAll(path, "{id}", "999999")
	}
	path = strings.ReplaceAll(path, "{id}", "1")
	path = strings.ReplaceAll(path, "{defendant}", "1")
	path = strings.ReplaceAll(path, "{charge}", "1")
	path = strings.ReplaceAll(path, "{measure}", "1")
	path = strings.ReplaceAll(path, "{acceptance}", "1")
	path = strings.ReplaceAll(path, "{criterion}", "A1.1")
	if strings.HasSuffix(path, "/static/") {
		path += "favicon.svg"
	}
	return path
}

func TestPolicyMatrix(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			f := newServer(t, d)
			routes := server.Routes(f.srv)
			declared := map[string]bool{}
			for _, r := range routes {
				key := r.Method + " " + r.Path
				declared[key] = true
				allowed, ok := policyMatrix[key]
				if !ok {
					t.Errorf("route %s has no entry in the policy matrix", key)
					continue
				}
				for _, as := range everyone {
					t.Run(fmt.Sprintf("%s/%s", key, name(as)), func(t *testing.T) {
						checkAccess(t, f, r.Method, concrete(r.Path), as, contains(allowed, as))
					})
				}
			}
			var stale []string
			for key := range policyMatrix {
				if !declared[key] {
					stale = append(stale, key)
				}
			}
			sort.Strings(stale)
			if len(stale) > 0 {
				t.Errorf("the matrix lists routes the server does not have: %v", stale)
			}
		})
	}
}

func checkAccess(t *testing.T, f *fixture, method, path, as string, allowed bool) {
	t.Helper()
	body, contentType := "", ""
	if method == "POST" || method == "DELETE" || method == "PATCH" || method == "PUT" {
		body, contentType = "{}", "application/json"
		if !strings.HasPrefix(path, "/api/") {
			body, contentType = "", "application/x-www-form-urlencoded"
		}
	}
	res := f.do(t, as, method, path, contentType, body)
	// The guard's own refusal, as distinct from a record-level one (a case
	// in another unit) that the handler makes after the guard let it in.
	guardRefused := res.Status == http.StatusForbidden && strings.Contains(res.Body, "Your roles do not include it")
	refused := res.Status == http.StatusUnauthorized || guardRefused ||
		(res.Status == http.StatusSeeOther && strings.HasPrefix(res.Header.Get("Location"), "/sign-in?return_to="))
	if allowed && refused {
		t.Fatalf("%s %s as %s: refused with %d, want allowed\n%.300s", method, path, name(as), res.Status, res.Body)
	}
	if !allowed {
		want := http.StatusForbidden
		if as == "" {
			want = http.StatusUnauthorized
			if method == "GET" && !strings.HasPrefix(path, "/api/") {
				want = http.StatusSeeOther
			}
		}
		if res.Status != want || (want == http.StatusForbidden && !guardRefused) {
			t.Fatalf("%s %s as %s: status %d, want %d from the guard\n%.300s", method, path, name(as), res.Status, want, res.Body)
		}
	}
}

func name(as string) string {
	if as == "" {
		return "anonymous"
	}
	return as
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
