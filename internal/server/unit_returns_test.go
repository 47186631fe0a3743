package server_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"caseboard/internal/store/storetest"
)

func TestUnitReturnsAPIAndPage(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			f := newServer(t, d)
			const form = "application/x-www-form-urlencoded"
			list := func() string {
				return f.do(t, "hod", "GET", "/api/v1/unit-returns?all_versions=true", "", "").Body
			}
			body := `{"unit":"organised_crime","month":"2018-04","fte":[{"grade":"crown_advocate","fte":4},{"grade":"paralegal_officer","fte":6}],
				"working_days_lost":5,"advocacy_sessions_in_house":30,"advocacy_sessions_counsel":10,"crown_advocate_hours":300,"crown_advocate_hours_available":400}`
			res := f.do(t, "manager", "POST", "/api/v1/unit-returns", "application/json", body)
			if res.Status != 201 || !strings.Contains(res.Body, `"version":1`) || !strings.Contains(res.Body, `"entered_by_name":"`) {
				t.Fatalf("create: %d %s", res.Status, res.Body)
			}
			var created struct {
				ID int64 `json:"id"`
			}
			json.Unmarshal([]byte(res.Body), &created)
			before := list()
			for _, c := range []struct {
				name, as, body string
				status         int
				contains       string
			}{
				{"Again", "hod", body, 409, "open it to correct it"},
				{"OtherUnit", "manager", strings.Replace(body, "organised_crime", "extradition", 1), 403, "entered by its head"},
				{"Lawyer", "lawyer", body, 403, "entered by its head"},
				{"Partner", "partner", body, 403, ""},
				{"BadGrade", "hod", strings.Replace(body, "crown_advocate\"", "G7\"", 1), 422, `"field":"fte.G7"`},
				{"BadMonth", "hod", strings.Replace(body, "2018-04", "2018-4", 1), 422, `"field":"month"`},
				{"HalfHours", "hod", strings.Replace(body, `"working_days_lost":5`, `"working_days_lost":5.2`, 1), 422, `"field":"working_days_lost"`},
				{"NotJSON", "hod", "{", 422, "cut short"},
			} {
				t.Run(c.name, func(t *testing.T) {
					res := f.do(t, c.as, "POST", "/api/v1/unit-returns", "application/json", c.body)
					if res.Status != c.status || !strings.Contains(res.Body, c.contains) {
						t.Errorf("%d %s, want %d with %q", res.Status, res.Body, c.status, c.contains)
					}
				})
			}
			if after := list(); after != before {
				t.Fatalf("refused returns changed the list:\n%s\n%s", before, after)
			}
			fix := strings.Replace(strings.Replace(body, `"working_days_lost":5`, `"working_days_lost":6.5`, 1), `"month"`, `"version":1,"month"`, 1)
			if res := f.do(t, "hod", "POST", "/api/v1/unit-returns", "application/json", fix); res.Status != 201 || !strings.Contains(res.Body, `"version":2`) {
				t.Fatalf("correct: %d %s", res.Status, res.Body)
			}
			if got := list(); strings.Count(got, `"month":"2018-04"`) != 2 {
				t.Errorf("history %s", got)
			}
			if got := f.do(t, "hod", "GET", "/api/v1/unit-returns", "", "").Body; strings.Count(got, `"month":"2018-04"`) != 1 || !strings.Contains(got, `"working_days_lost":6.5`) {
				t.Errorf("current %s", got)
			}
			if res := f.do(t, "hod", "GET", "/api/v1/unit-returns/"+itoa(created.ID), "", ""); res.Status != 200 || !strings.Contains(res.Body, `"working_days_lost":5`) {
				t.Errorf("version 1: %d %s", res.Status, res.Body)
			}
			if res := f.do(t, "partner", "GET", "/api/v1/unit-returns", "", ""); res.Status != 403 {
				t.Errorf("a partner reads returns: %d", res.Status)
			}
			// The measures count the corrected return: 6.5 days over 10 FTE, times twelve.
			res = f.do(t, "hod", "GET", "/api/v1/measures/working_days_lost?period=2018-04&unit=organised_crime", "", "")
			if !strings.Contains(res.Body, `"value":7.8`) || !strings.Contains(res.Body, `"status":"Within tolerance"`) {
				t.Errorf("working days lost %s", res.Body)
			}
			res = f.do(t, "hod", "GET", "/api/v1/measures/staffing_fte?period=2018-04", "", "")
			if !strings.Contains(res.Body, `"value":10`) || !strings.Contains(res.Body, `{"label":"Crown advocate","count":4,"amount":4}`) {
				t.Errorf("FTE %s", res.Body)
			}

			// The page lists the returns and opens one to correct it.
			page := f.do(t, "hod", "GET", "/performance/returns?unit=organised_crime&month=2018-04", "", "")
			for _, want := range []string{"Units' monthly returns", "Correct the return", `name="version" value="2"`, "Version 1: entered by",
				`name="fte_crown_advocate" type="text" value="4"`} {
				if !strings.Contains(page.Body, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			v := url.Values{"unit": {"organised_crime"}, "month": {"2018-05"}, "fte_crown_advocate": {"x"}, "working_days_lost": {"1"}}
			res = f.do(t, "hod", "POST", "/performance/returns", form, v.Encode())
			if res.Status != 422 || !strings.Contains(res.Body, `href="#fte_crown_advocate"`) {
				t.Errorf("form error: %d %.2000s", res.Status, res.Body)
			}
			v.Set("fte_crown_advocate", "4.5")
			res = f.do(t, "hod", "POST", "/performance/returns", form, v.Encode())
			if res.Status != 303 || !strings.Contains(res.Header.Get("Location"), "done=Return+saved") {
				t.Errorf("form: %d %s", res.Status, res.Body)
			}
			if res := f.do(t, "partner", "GET", "/performance/returns", "", ""); res.Status != 403 {
				t.Errorf("a partner sees the returns page: %d", res.Status)
			}

			// The same returns as a spreadsheet through the API, all or nothing.
			const header = "unit,month,fte_crown_advocate,working_days_lost,advocacy_sessions_in_house,advocacy_sessions_counsel,crown_advocate_hours,crown_advocate_hours_available\n"
			before = list()
			res = f.do(t, "hod", "POST", "/api/v1/imports/unit-returns?name=returns", "text/csv",
				header+"international,2018-06,2,0,0,0,0,0\ninternational,2018-06,2,0.3,0,0,0,0\n")
			if res.Status != 422 || !strings.Contains(res.Body, `"column":"working_days_lost"`) || !strings.Contains(res.Body, `"row":3`) {
				t.Errorf("bad import: %d %s", res.Status, res.Body)
			}
			res = f.do(t, "hod", "POST", "/api/v1/imports/unit-returns?name=returns", "text/csv",
				header+"international,2018-06,2,0,0,0,0,0\ninternational,2018-06,2,0,0,0,0,0\n")
			if res.Status != 422 || !strings.Contains(res.Body, "give each unit's month once") {
				t.Errorf("twice: %d %s", res.Status, res.Body)
			}
			if after := list(); after != before {
				t.Fatal("a refused import changed the returns")
			}
			res = f.do(t, "hod", "POST", "/api/v1/imports/unit-returns?name=returns", "text/csv",
				header+"international,2018-06,2,0,0,0,0,0\norganised_crime,2018-04,4,6.5,30,10,300,400\n")
			if res.Status != 201 || !strings.Contains(res.Body, `"added":1`) || !strings.Contains(res.Body, `"changed":1`) {
				t.Errorf("import: %d %s", res.Status, res.Body)
			}
		})
	}
}
