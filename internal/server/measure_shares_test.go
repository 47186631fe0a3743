package server_test

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"

	"caseboard/internal/store/storetest"
)

// TestJointMeasures: a measure shared with a partner organisation is the
// only thing of the framework the partner sees, on its Performance page
// and through the API; unsharing takes it away; only the Head of Division,
// or the head of the measure's unit, shares.
func TestJointMeasures(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			f := newServer(t, d)
			want := func(t *testing.T, res response, status int, contains ...string) {
				t.Helper()
				if res.Status != status {
					t.Fatalf("status %d, want %d: %.1500s", res.Status, status, res.Body)
				}
				for _, c := range contains {
					if !strings.Contains(res.Body, c) {
						t.Errorf("missing %q in %.3000s", c, res.Body)
					}
				}
			}
			partnerCatalogue := func(t *testing.T) []string {
				t.Helper()
				res := f.do(t, "partner", "GET", "/api/v1/measures", "", "")
				var got struct{ Measures []struct{ Code string } }
				if err := json.Unmarshal([]byte(res.Body), &got); res.Status != 200 || err != nil {
					t.Fatalf("%d %v %.500s", res.Status, err, res.Body)
				}
				var codes []string
				for _, m := range got.Measures {
					codes = append(codes, m.Code)
				}
				return codes
			}

			t.Run("NothingSharedNothingSeen", func(t *testing.T) {
				if got := partnerCatalogue(t); len(got) != 0 {
					t.Fatalf("partner sees %v", got)
				}
				want(t, f.do(t, "partner", "GET", "/api/v1/measures/caseload?period=2018-19", "", ""), 404)
				want(t, f.do(t, "partner", "GET", "/api/v1/measures/caseload/records?period=2018-19", "", ""), 404)
				want(t, f.do(t, "partner", "GET", "/performance?period=2018-19", "", ""), 200, "No measures are shared with your organisation")
				want(t, f.do(t, "partner", "GET", "/performance/caseload?period=2018-19", "", ""), 404)
			})
			t.Run("ErrOthersMayNotShare", func(t *testing.T) {
				want(t, f.do(t, "lawyer", "PUT", "/api/v1/measures/caseload/shares/nca", "", ""), 403)
				want(t, f.do(t, "partner", "PUT", "/api/v1/measures/caseload/shares/nca", "", ""), 403)
				want(t, f.do(t, "abm", "PUT", "/api/v1/measures/caseload/shares/nca", "", ""), 403)
				// The head of international may not share another unit's measure, nor the division's.
				want(t, f.do(t, "unit_head", "PUT", "/api/v1/measures/conviction_rate_cc/shares/nca", "", ""), 403)
				want(t, f.do(t, "unit_head", "PUT", "/api/v1/measures/caseload/shares/nca", "", ""), 403)
				want(t, f.do(t, "hod", "PUT", "/api/v1/measures/caseload/shares/interpol", "", ""), 422, `"field":"partner"`)
				want(t, f.do(t, "hod", "PUT", "/api/v1/measures/happiness/shares/nca", "", ""), 404)
				if got := partnerCatalogue(t); len(got) != 0 {
					t.Fatalf("after refusals the partner sees %v", got)
				}
			})
			t.Run("OK", func(t *testing.T) {
				want(t, f.do(t, "hod", "PUT", "/api/v1/measures/caseload/shares/nca", "", ""), 200, `"partner":"nca"`, `"partner_name":"National Crime Agency"`)
				want(t, f.do(t, "unit_head", "PUT", "/api/v1/measures/post_interactions/shares/nca", "", ""), 200, `"measure":"post_interactions"`)
				want(t, f.do(t, "hod", "PUT", "/api/v1/measures/ctl_failures/shares/ctc", "", ""), 200)
				if got := partnerCatalogue(t); !slices.Equal(got, []string{"caseload", "post_interactions"}) {
					t.Fatalf("partner sees %v, want caseload and post_interactions", got)
				}
				want(t, f.do(t, "partner", "GET", "/api/v1/measures/caseload?period=2018-19", "", ""), 200, `"code":"caseload"`)
				// The figure is the division's, as the Board reads it; the
				// records stay the partner's own: none is shared with it.
				value := func(as string) *float64 {
					var got struct{ Value *float64 }
					res := f.do(t, as, "GET", "/api/v1/measures/caseload?period=2018-19", "", "")
					if err := json.Unmarshal([]byte(res.Body), &got); res.Status != 200 || err != nil {
						t.Fatalf("%s: %d %v", as, res.Status, err)
					}
					return got.Value
				}
				if board, theirs := value("board"), value("partner"); board == nil || *board < 1 || theirs == nil || *theirs != *board {
					t.Errorf("caseload: the Board's %v, the partner's %v", board, theirs)
				}
				want(t, f.do(t, "partner", "GET", "/api/v1/measures/caseload/records?period=2018-19", "", ""), 200, `"records":[]`)
				want(t, f.do(t, "partner", "GET", "/api/v1/measures/ctl_failures?period=2018-19", "", ""), 404)
				res := f.do(t, "partner", "GET", "/performance?period=2018-19", "", "")
				want(t, res, 200, "Caseload", "Casework interactions")
				if strings.Contains(res.Body, "Conviction rate") || strings.Contains(res.Body, "Custody time limit") {
					t.Errorf("partner's dashboard shows unshared measures: %.3000s", res.Body)
				}
				// Staff see whom it is shared with; the partner never sees the other partners.
				want(t, f.do(t, "lawyer", "GET", "/api/v1/measures/caseload/shares", "", ""), 200, `"partner":"nca"`)
				want(t, f.do(t, "partner", "GET", "/api/v1/measures/caseload/shares", "", ""), 403)
				want(t, f.do(t, "hod", "GET", "/performance/caseload?period=2018-19", "", ""), 200, "Shared with partners", "National Crime Agency", "Stop sharing", "Share the measure")
				res = f.do(t, "lawyer", "GET", "/performance/caseload?period=2018-19", "", "")
				want(t, res, 200, "National Crime Agency")
				if strings.Contains(res.Body, "Stop sharing") {
					t.Error("a lawyer is offered to stop sharing")
				}
			})
			t.Run("PageForm", func(t *testing.T) {
				form := url.Values{"partner": {"immigration_enforcement"}}
				res := f.do(t, "hod", "POST", "/performance/caseload/shares?period=2018-19", "application/x-www-form-urlencoded", form.Encode())
				want(t, res, 303)
				if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, "/performance/caseload?") || !strings.Contains(loc, "period=2018-19") {
					t.Fatalf("redirect to %q", loc)
				}
				want(t, f.do(t, "hod", "GET", "/api/v1/measures/caseload/shares", "", ""), 200, `"partner":"immigration_enforcement"`)
				form = url.Values{"partner": {""}}
				want(t, f.do(t, "hod", "POST", "/performance/caseload/shares?period=2018-19", "application/x-www-form-urlencoded", form.Encode()), 422,
					`id="partner-error"`, "There is no partner organisation")
				form = url.Values{"partner": {"immigration_enforcement"}, "action": {"unshare"}}
				want(t, f.do(t, "hod", "POST", "/performance/caseload/shares?period=2018-19", "application/x-www-form-urlencoded", form.Encode()), 303)
				res = f.do(t, "hod", "GET", "/api/v1/measures/caseload/shares", "", "")
				if strings.Contains(res.Body, "immigration_enforcement") {
					t.Fatalf("still shared: %s", res.Body)
				}
				want(t, f.do(t, "lawyer", "POST", "/performance/caseload/shares", "application/x-www-form-urlencoded", "partner=nca"), 403)
			})
			t.Run("UnshareRemoves", func(t *testing.T) {
				want(t, f.do(t, "hod", "DELETE", "/api/v1/measures/caseload/shares/nca", "", ""), 200)
				if got := partnerCatalogue(t); !slices.Equal(got, []string{"post_interactions"}) {
					t.Fatalf("after unsharing the partner sees %v", got)
				}
				want(t, f.do(t, "partner", "GET", "/api/v1/measures/caseload?period=2018-19", "", ""), 404)
				want(t, f.do(t, "hod", "DELETE", "/api/v1/measures/caseload/shares/nca", "", ""), 404)
				want(t, f.do(t, "admin", "GET", "/api/v1/audit?record_type=measure_share", "", ""), 200, `"record_id":"caseload/nca"`, `"action":"delete"`)
			})
		})
	}
}
