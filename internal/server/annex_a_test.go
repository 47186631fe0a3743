package server_test

import (
	"strings"
	"testing"

	"caseboard/internal/store/storetest"
)

func TestAnnexAPageAndAPI(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			f := newServer(t, d)
			for _, c := range []struct {
				name, as, path string
				status         int
				contains       []string
				lacks          string
			}{
				{"API", "lawyer", "/api/v1/reports/annex-a?to=2018-06", 200, []string{`"columns":["2016-17","2017-18","12 months to June 2018"]`,
					`"periods":["2016-17","2017-18","r12-2018-06"]`, `"title":"Extradition"`, `"label":"Total","format":"count","values":[0,0,0],"total":true`,
					`{"label":"Extradition","format":"decimal","values":[null,3,3],"part":true}`}, ""},
				{"APINoYears", "lawyer", "/api/v1/reports/annex-a?to=2018-03&years=0", 200, []string{`"columns":["12 months to March 2018"]`}, ""},
				{"APIBadMonth", "lawyer", "/api/v1/reports/annex-a?to=2018-13", 422, []string{`"field":"to"`}, ""},
				{"APIBadYears", "lawyer", "/api/v1/reports/annex-a?to=2018-06&years=9", 422, []string{`"field":"years"`}, ""},
				{"PartnerWithoutUnits", "partner", "/api/v1/reports/annex-a?to=2018-06", 200, []string{`"title":"The division"`}, `"label":"Extradition","format":"decimal"`},
				{"Page", "lawyer", "/performance/annex-a?to=2018-06", 200, []string{"Annex A: division performance data", "12 months to June 2018",
					"Export: extradition ordered", "Finalised defendants, total", "Conviction rate (CC)", "No data", `href="/performance/annex-a?to=2018-06&amp;years=2&amp;format=csv"`}, ""},
				{"PageBad", "lawyer", "/performance/annex-a?to=June&years=x", 422, []string{`href="#to"`, `href="#years"`}, ""},
				{"CSV", "lawyer", "/performance/annex-a?to=2018-06&years=1&format=csv", 200, []string{"section,row,kind,2017-18,12 months to June 2018",
					"Extradition,Total,total,0,0", "The division,Extradition,decimal,3,"}, ""},
				{"XLSX", "lawyer", "/performance/annex-a?to=2018-06&format=xlsx", 200, []string{"PK"}, ""},
				{"BadFormat", "lawyer", "/performance/annex-a?format=pdf", 422, nil, ""},
			} {
				t.Run(c.name, func(t *testing.T) {
					res := f.do(t, c.as, "GET", c.path, "", "")
					if res.Status != c.status {
						t.Fatalf("status %d, want %d: %.600s", res.Status, c.status, res.Body)
					}
					for _, want := range c.contains {
						if !strings.Contains(res.Body, want) {
							t.Errorf("missing %q in %.3000s", want, res.Body)
						}
					}
					if c.lacks != "" && strings.Contains(res.Body, c.lacks) {
						t.Errorf("has %q", c.lacks)
					}
				})
			}
		})
	}
}
