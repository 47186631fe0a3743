package measure_test

import (
	"encoding/json"
	"strings"
	"testing"

	"caseboard/internal/casework"
	"caseboard/internal/measure"
)

func TestProsecutionRates(t *testing.T) {
	counts := []measure.OutcomeCount{
		{"organised_crime", "CC", "guilty_plea", 30},
		{"organised_crime", "CC", "conviction_after_trial", 8},
		{"organised_crime", "CC", "proved_in_absence", 2},
		{"organised_crime", "CC", "acquitted", 10},
		{"organised_crime", "MC", "guilty_plea", 1},
	}
	f := measure.Outcomes(casework.Prosecution, counts, true)
	if f.Total != 51 || *f.Convictions != 41 || *f.Unsuccessful != 10 {
		t.Fatalf("%+v", f)
	}
	if *f.ConvictionRate != 41.0/51 || *f.GuiltyPleaRate != 31.0/41 {
		t.Fatalf("rates %v %v", *f.ConvictionRate, *f.GuiltyPleaRate)
	}
	cc := f.ByCourt["CC"]
	if cc.Total != 50 || *cc.ConvictionRate != 0.8 || *cc.GuiltyPleaRate != 0.75 {
		t.Fatalf("CC %+v", cc)
	}
	if f.ByCourt["MC"].Outcomes["acquitted"] != 0 || f.Outcomes["lie_on_file"] != 0 {
		t.Fatal("every outcome code should be present, zero when none")
	}
}

func TestNoDataIsNull(t *testing.T) {
	f := measure.Outcomes(casework.Prosecution, nil, true)
	raw, _ := json.Marshal(f)
	if !strings.Contains(string(raw), `"conviction_rate":null`) || !strings.Contains(string(raw), `"total":0`) {
		t.Fatalf("%s", raw)
	}
	onlyAcquittals := measure.Outcomes(casework.Prosecution, []measure.OutcomeCount{{"organised_crime", "MC", "acquitted", 3}}, false)
	if *onlyAcquittals.ConvictionRate != 0 || onlyAcquittals.GuiltyPleaRate != nil {
		t.Fatalf("no convictions: plea rate must be no data, got %v", onlyAcquittals.GuiltyPleaRate)
	}
}

func TestExtraditionIsCounts(t *testing.T) {
	f := measure.Outcomes(casework.Extradition, []measure.OutcomeCount{{"extradition", "", "export_extradition_ordered", 7}, {"extradition", "", "appeal_allowed", 2}}, true)
	if f.Total != 9 || f.Convictions != nil || f.ConvictionRate != nil || f.ByCourt != nil || f.Outcomes["appeal_allowed"] != 2 {
		t.Fatalf("%+v", f)
	}
}
