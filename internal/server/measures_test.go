package server_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"caseboard/internal/casework"
	"caseboard/internal/store/storetest"
)

func TestMeasures(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			f := newServer(t, d)
			ctx := context.Background()
			lawyer, err := f.db.Principal(ctx, f.people["lawyer"])
			if err != nil {
				t.Fatal(err)
			}
			on := time.Date(2018, 5, 1, 0, 0, 0, 0, time.UTC)
			rp := casework.Defendant{CaseID: f.caseID, Ref: "RP9", Name: "Ninth Example", Outcome: "export_extradition_ordered", FinalisedOn: &on}
			if err := f.db.SaveDefendant(ctx, lawyer, &rp); err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				name, as, path string
				status         int
				contains       []string
			}{
				{"Catalogue", "lawyer", "/api/v1/measures", 200, []string{`"code":"conviction_rate_cc"`, `"polarity":"higher"`,
					`"target":{"value":0.8,"tolerance":0.05}`, `"code":"extradition_export_extradition_ordered"`}},
				{"Figure", "lawyer", "/api/v1/measures/extradition_export_extradition_ordered?period=2018-19&unit=extradition", 200,
					[]string{`"value":1`, `"numerator":1`, `"denominator":1`, `"share":1`, `"period":"2018-19"`, `"status":"No target"`,
						`{"period":"2017-18","label":"2017-18","value":0,"rag":"","signal":false},{"period":"2018-19","label":"2018-19","value":1,"rag":"","signal":true}`,
						`"limits":{"method":"individuals","centre":0.16666666666666666,`, "2018-19 (1) is above the upper limit 0.7", `"own_average":0,"own_best":null`,
						`"units":[{"unit":"extradition","name":"Extradition","value":1,"rag":"","status":"No target"}]`}},
				{"FigureRolling", "lawyer", "/api/v1/measures/finalised_defendants?period=r12-2018-06", 200,
					[]string{`"period":"r12-2018-06"`, `"period_label":"12 months to June 2018"`, `"value":1`}},
				{"FigureNoData", "lawyer", "/api/v1/measures/conviction_rate_cc?period=2030-31", 200,
					[]string{`"value":null`, `"numerator":0`, `"denominator":0`, `"rag":""`, `"status":"No data"`}},
				{"Records", "lawyer", "/api/v1/measures/extradition_export_extradition_ordered/records?period=2018-19", 200,
					[]string{`"reference":"EX/2017/0042"`, `"date":"2018-05-01T00:00:00Z"`, `export_extradition_ordered"`}},
				{"RecordsNone", "lawyer", "/api/v1/measures/conviction_rate_cc/records?period=2030-31", 200, []string{`"records":[]`}},
				{"PartnerUnsharedStaffing", "partner", "/api/v1/measures/staffing?period=2018-19", 404, nil},
				{"PartnerUnsharedStaffRecords", "partner", "/api/v1/measures/staffing/records?period=2018-19", 404, nil},
				{"PartnerUnitRefused", "partner", "/api/v1/measures/caseload?unit=extradition", 422, []string{`"field":"unit"`, "division's figures only"}},
				{"PartnerDashboard", "partner", "/performance?period=2018-19", 200, []string{"No measures are shared with your organisation", "The whole division"}},
				{"ErrPeriod", "lawyer", "/api/v1/measures/caseload?period=2017-19", 422, []string{`"field":"period"`, "the year after 2017 ends in 18"}},
				{"ErrQuarter", "lawyer", "/api/v1/measures/caseload/records?period=2018-19-Q5", 422, []string{`"field":"period"`, "Q1 to Q4"}},
				{"ErrUnit", "lawyer", "/api/v1/measures/caseload?unit=nowhere", 422, []string{`"field":"unit"`}},
				{"ErrUnitNotMeasured", "lawyer", "/api/v1/measures/conviction_rate_cc?unit=extradition", 422, []string{`"field":"unit"`, "organised_crime"}},
				{"ErrUnknown", "lawyer", "/api/v1/measures/happiness", 404, []string{`no measure`}},
				{"Dashboard", "lawyer", "/performance?period=2018-19", 200, []string{"<h1 class=\"govuk-heading-xl\">Performance</h1>",
					"Conviction rate (Crown Court)", `role="img"`, "Trend of Extradition: Export: extradition ordered, 2013-14: 0; ",
					"2018-19: 1", "No data", `href="/performance/caseload?period=2018-19"`, "Trends as a table"}},
				{"DashboardUnit", "lawyer", "/performance?period=2018-19-Q1&unit=extradition", 200, []string{"Q1 2018-19", "Export: extradition ordered"}},
				{"DashboardErr", "lawyer", "/performance?period=2018-19-Q5&unit=nowhere", 422, []string{`href="#period"`, "Q1 to Q4", `id="unit-error"`}},
				{"RecordsPage", "lawyer", "/performance/extradition_export_extradition_ordered?period=2018-19", 200,
					[]string{"Extradition: Export: extradition ordered", "EX/2017/0042", "1 May 2018", "Against its benchmarks", "Own average",
						"Against the other units, 2018-19", "Month on month", "Quarter on quarter", `class="app-chart"`,
						"May 2018 (1) is above the upper limit 0.6", `class="app-chart__signal"`, "Outside the limits", "Q1 2018-19"}},
				{"FigureByLocationAndCourt", "lawyer", "/api/v1/measures/finalised_defendants?period=2018-19", 200,
					[]string{`"by_location":[{"key":"petty_france","name":"Petty France, London","value":1,"rag":"","status":"No target"}]`,
						`"by_court":[{"key":"","name":"No court recorded","value":1,`}},
				{"FigureOneCourtNotByCourt", "lawyer", "/api/v1/measures/conviction_rate_cc?period=2018-19", 200, []string{`"by_location":`}},
				{"RecordsPageBreakdowns", "lawyer", "/performance/finalised_defendants?period=2018-19", 200,
					[]string{"By location, 2018-19", "Petty France, London", "By court, 2018-19", "No court recorded"}},
				{"DashboardByLocation", "lawyer", "/performance?period=2018-19&by=location", 200,
					[]string{"Casework figures by location, 2018-19", "Petty France, London", `href="/performance?by=court&amp;period=2018-19"`}},
				{"DashboardByCourt", "lawyer", "/performance?period=2018-19&unit=extradition&by=court", 200,
					[]string{"Casework figures by court, 2018-19", "No court recorded", "Export: extradition ordered"}},
				{"RecordsPagePartnerUnshared", "partner", "/performance/caseload?period=2018-19", 404, nil},
				{"DashboardByTeam", "lawyer", "/performance?period=2018-19&by=team", 200,
					[]string{"Casework figures by team, 2018-19", `href="/performance?by=team&amp;group=`}},
				{"DashboardOneLocation", "lawyer", "/performance?period=2018-19&by=location&group=petty_france", 200,
					[]string{"2018-19: Petty France, London", "Finalised defendants", "Trend of Finalised defendants, 2013-14: 0;", "2018-19: 1",
						`name="group" value="petty_france"`, `href="/performance?period=2018-19"`}},
				{"DashboardOneLocationRecordsLink", "lawyer", "/performance?period=2018-19&by=location&group=petty_france", 200,
					[]string{`href="/performance/finalised_defendants?by=location&amp;group=petty_france&amp;period=2018-19"`}},
				{"RecordsPageOneLocation", "lawyer", "/performance/finalised_defendants?period=2018-19&by=location&group=petty_france", 200,
					[]string{"Finalised defendants, Petty France, London, 2018-19", `href="/performance?by=location&amp;group=petty_france&amp;period=2018-19"`}},
				{"RecordsOneLocation", "lawyer", "/api/v1/measures/finalised_defendants/records?period=2018-19&by=location&group=petty_france", 200,
					[]string{`"by":"location"`, `"group":"petty_france"`, `"records":[{`}},
				{"RecordsOtherLocationEmpty", "lawyer", "/api/v1/measures/finalised_defendants/records?period=2018-19&by=location&group=birmingham", 200,
					[]string{`"group":"birmingham"`, `"records":[]`}},
				{"RecordsNotCaseworkUngrouped", "lawyer", "/api/v1/measures/staffing/records?period=2018-19&by=location&group=birmingham", 200,
					[]string{`"records":[{`}},
				{"DashboardNoCourt", "lawyer", "/performance?period=2018-19&unit=extradition&by=court&group=none", 200,
					[]string{"2018-19: No court recorded", "Export: extradition ordered"}},
				{"DashboardErrGroup", "lawyer", "/performance?period=2018-19&by=location&group=atlantis", 422, []string{`href="#group"`, "There is no location &#34;atlantis&#34;"}},
				{"DashboardErrBy", "lawyer", "/performance?period=2018-19&by=colour", 422, []string{`href="#by"`}},
				{"PartnerErrByTeam", "partner", "/api/v1/measures/caseload?by=team", 422, []string{`"field":"by"`, "teams"}},
				{"FigureOneLocation", "lawyer", "/api/v1/measures/finalised_defendants?period=2018-19&by=location&group=petty_france", 200,
					[]string{`"group":"Petty France, London"`, `"value":1`, `"period":"2018-19"`, `"series":[`}},
				{"FigureOneCourtEmpty", "lawyer", "/api/v1/measures/conviction_rate_cc?period=2018-19&by=court&group=CC", 200,
					[]string{`"group":"Crown Court"`, `"value":null`, `"status":"No data"`}},
				{"FigureErrNotCasework", "lawyer", "/api/v1/measures/staffing?period=2018-19&by=location&group=petty_france", 422, []string{`"field":"by"`, "not casework"}},
				{"FigureByTeam", "lawyer", "/api/v1/measures/finalised_defendants?period=2018-19", 200, []string{`"by_team":[{"key":"`}},
				{"DashboardNoData", "lawyer", "/performance?period=2030-31", 200, []string{"2030-31", "No data", "Trend of Conviction rate (Crown Court), 2025-26: No data;"}},
				{"RecordsPageUnknown", "lawyer", "/performance/happiness", 404, nil},
			} {
				t.Run(c.name, func(t *testing.T) {
					res := f.do(t, c.as, "GET", c.path, "", "")
					if res.Status != c.status {
						t.Fatalf("status %d, want %d: %.600s", res.Status, c.status, res.Body)
					}
					if strings.Contains(res.Body, "NaN") {
						t.Errorf("NaN in %.3000s", res.Body)
					}
					for _, want := range c.contains {
						if !strings.Contains(res.Body, want) {
							t.Errorf("missing %q in %.3000s", want, res.Body)
						}
					}
				})
			}
			t.Run("TrendIsSixPeriods", func(t *testing.T) {
				var got struct {
					Series []struct{ Period string }
				}
				res := f.do(t, "lawyer", "GET", "/api/v1/measures/caseload?period=2018-06", "", "")
				if err := json.Unmarshal([]byte(res.Body), &got); err != nil || len(got.Series) != 6 || got.Series[0].Period != "2018-01" {
					t.Fatalf("%+v %v", got, err)
				}
			})
		})
	}
}
