package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"caseboard/internal/demo"
	"caseboard/internal/store"
)

func TestExtraditionDates(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			f := newServer(t, d)
			b := newBrowser(t, f)
			b.signIn(f.email(t, "lawyer"), demo.Password)
			casePath := fmt.Sprintf("/cases/%d", f.caseID)
			formPath := fmt.Sprintf("%s/defendants/%d/extradition", casePath, f.defendantID)
			apiPath := fmt.Sprintf("/api/v1/cases/%d/defendants/%d/extradition", f.caseID, f.defendantID)
			page := b.get(casePath).Body
			if !strings.Contains(page, "Extradition dates") || !strings.Contains(page, "No arrest recorded yet") {
				t.Fatalf("case page lacks the extradition form:\n%.3000s", page)
			}
			token := csrfField.FindStringSubmatch(page)[1]
			post := func(form url.Values) response {
				form.Set("csrf_token", token)
				return b.post(formPath, form)
			}

			t.Run("FormRoundTrip", func(t *testing.T) {
				// Arrested under the warrant on Monday 4 June 2018: the hearing
				// must be fixed within 21 days starting that day.
				res := post(url.Values{"arrested-day": {"4"}, "arrested-month": {"6"}, "arrested-year": {"2018"}, "arrested-time": {"09:30"}})
				if res.Status != http.StatusSeeOther {
					t.Fatalf("save: %d\n%.2000s", res.Status, res.Body)
				}
				page := b.get(res.Header.Get("Location")).Body
				for _, want := range []string{"Extradition dates saved for RP1", "Date fixed for the extradition hearing", "Sunday 24 June 2018",
					"As soon as practicable", "How this was worked out", `name="arrested-time" type="text" value="09:30"`, `value="2018"`} {
					if !strings.Contains(page, want) {
						t.Fatalf("case page lacks %q:\n%.6000s", want, page)
					}
				}
				work := b.get("/my-work").Body
				if !strings.Contains(work, "Extradition time limit: RP1") {
					t.Fatalf("my work lacks the limit:\n%.3000s", work)
				}
			})
			t.Run("ErrBadDatesSummary", func(t *testing.T) {
				res := post(url.Values{"arrested-day": {"31"}, "arrested-month": {"2"}, "arrested-year": {"2018"}, "arrested-time": {"09:30"},
					"appeal_notice-day": {"5"}, "appeal_notice-month": {"6"}, "appeal_notice-year": {"2018"}})
				if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "There is a problem") ||
					!strings.Contains(res.Body, fmt.Sprintf(`href="#extradition-%d-arrested-day"`, f.defendantID)) || !strings.Contains(res.Body, "Enter a real date") {
					t.Fatalf("impossible date: %d\n%.4000s", res.Status, res.Body)
				}
				res = post(url.Values{"arrested-day": {"4"}, "arrested-month": {"6"}, "arrested-year": {"2018"}, "arrested-time": {"09:30"},
					"appeal_notice-day": {"5"}, "appeal_notice-month": {"6"}, "appeal_notice-year": {"2018"}})
				if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Record the date of the extradition order first") ||
					!strings.Contains(res.Body, fmt.Sprintf(`href="#extradition-%d-appeal_notice-day"`, f.defendantID)) ||
					!strings.Contains(res.Body, `name="appeal_notice-day" type="text" value="5"`) {
					t.Fatalf("notice before order: %d\n%.4000s", res.Status, res.Body)
				}
				detail := f.do(t, "lawyer", "GET", fmt.Sprintf("/api/v1/cases/%d", f.caseID), "", "")
				if strings.Contains(detail.Body, `"appeal_notice":"2018-06-05"`) || !strings.Contains(detail.Body, `"extradition_limits"`) {
					t.Fatalf("a refused form changed the dates: %s", detail.Body)
				}
			})
			t.Run("API", func(t *testing.T) {
				res := f.do(t, "lawyer", "PUT", apiPath, "application/json",
					`{"arrested":"2018-06-01T18:00:00+01:00","provisional":true,"ordered":"2018-06-25","hearing_fixed_for":"2018-06-20","brought_before":"2018-06-04T10:00:00+01:00"}`)
				if res.Status != http.StatusOK || !strings.Contains(res.Body, `"key":"appeal_notice"`) || !strings.Contains(res.Body, `"due":"2018-07-01"`) {
					t.Fatalf("put: %d %s", res.Status, res.Body)
				}
				detail := f.do(t, "lawyer", "GET", fmt.Sprintf("/api/v1/cases/%d", f.caseID), "", "")
				// The initial hearing and the hearing date were in time; notice
				// of appeal is due by 1 July, seven days starting with the order.
				if !strings.Contains(detail.Body, `"key":"initial_hearing"`) || !strings.Contains(detail.Body, `"next_deadline":"2018-07-01`) {
					t.Fatalf("case detail: %s", detail.Body)
				}
				res = f.do(t, "lawyer", "PUT", apiPath, "application/json", `{"arrested":"2018-06-01T18:00:00+01:00","removed":"2018-06-03"}`)
				if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Header.Get("Content-Type"), "application/problem+json") ||
					!strings.Contains(res.Body, "removed") {
					t.Fatalf("bad put: %d %s", res.Status, res.Body)
				}
				res = f.do(t, "inspector", "PUT", apiPath, "application/json", `{"arrested":"2018-06-01T18:00:00+01:00"}`)
				if res.Status != http.StatusForbidden {
					t.Fatalf("inspector put: %d %s", res.Status, res.Body)
				}
				after := f.do(t, "lawyer", "GET", fmt.Sprintf("/api/v1/cases/%d", f.caseID), "", "")
				if !strings.Contains(after.Body, `"ordered":"2018-06-25"`) {
					t.Fatalf("a refused put changed the dates: %s", after.Body)
				}
			})
		})
	}
}
