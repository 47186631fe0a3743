package measure_test

import (
	"testing"

	"caseboard/internal/casework"
	"caseboard/internal/measure"
)

func TestDirections(t *testing.T) {
	f := measure.Directions([]measure.DirectionCount{
		{Court: casework.CrownCourt, State: measure.DirectionOnTime, Count: 6},
		{Court: casework.CrownCourt, State: measure.DirectionLate, Count: 1},
		{Court: casework.CrownCourt, State: measure.DirectionOutstanding, Count: 1},
		{Court: casework.CrownCourt, State: measure.DirectionPending, Count: 5},
		{Court: casework.MagistratesCourt, State: measure.DirectionOnTime, Count: 1},
		{Court: casework.MagistratesCourt, State: measure.DirectionLate, Count: 1},
	})
	cc := f.ByCourt["CC"]
	if cc.OnTime != 6 || cc.Late != 1 || cc.Outstanding != 1 || cc.Pending != 5 || cc.TimelyRate == nil || *cc.TimelyRate != 0.75 {
		t.Fatalf("Crown Court %+v", cc)
	}
	if mc := f.ByCourt["MC"]; mc.TimelyRate == nil || *mc.TimelyRate != 0.5 {
		t.Fatalf("magistrates' courts %+v", mc)
	}
	if f.OnTime != 7 || f.TimelyRate == nil || *f.TimelyRate != 0.7 {
		t.Fatalf("all %+v rate %v", f, *f.TimelyRate)
	}
	pending := measure.Directions([]measure.DirectionCount{{Court: casework.CrownCourt, State: measure.DirectionPending, Count: 3}})
	if pending.TimelyRate != nil || pending.ByCourt["CC"].TimelyRate != nil {
		t.Fatal("a rate with nothing yet due must be no data, not zero")
	}
}
