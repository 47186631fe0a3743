package demo

import (
	"math"
	"math/rand/v2"
	"time"

	"caseboard/internal/casework"
	"caseboard/internal/measure"
	"caseboard/internal/org"
)

// UnitReturns gives every unit a monthly return of its staffing, absence
// and advocacy for each month of the demo caseload, April 2016 to June
// 2018: FTE by grade a little under the unit's headcount, a few days lost
// to sickness, and the advocacy of the units that go to court (organised
// crime's crown advocates, and extradition's hearings). Now and then a
// month is out of the ordinary, so the trend charts have a signal to show.
func UnitReturns(c org.Chart, seed int64) []measure.UnitReturn {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x0f7e))
	heads := map[string]map[org.Grade]int{}
	var units []string
	for _, p := range c.People {
		if p.PartnerCode != "" || p.UnitCode == "" {
			continue
		}
		if heads[p.UnitCode] == nil {
			heads[p.UnitCode] = map[org.Grade]int{}
			units = append(units, p.UnitCode)
		}
		heads[p.UnitCode][p.Grade]++
	}
	var out []measure.UnitReturn
	first := time.Date(2016, time.April, 1, 0, 0, 0, 0, time.UTC)
	for m := first; m.Before(time.Date(2018, time.July, 1, 0, 0, 0, 0, time.UTC)); m = m.AddDate(0, 1, 0) {
		for _, unit := range units {
			r := measure.UnitReturn{UnitCode: unit, Month: casework.MonthOf(m)}
			total := 0.0
			for _, g := range org.Grades {
				n := heads[unit][g.Code]
				if n == 0 {
					continue
				}
				fte := math.Round(float64(n)*(0.85+0.1*rng.Float64())*10) / 10
				r.FTE = append(r.FTE, measure.GradeFTE{Grade: g.Code, FTE: fte})
				total += fte
			}
			// About seven and a half days a year per FTE, more in winter.
			rate := 7.5 / 12
			if m.Month() == time.January || m.Month() == time.February {
				rate *= 1.6
			}
			r.WorkingDaysLost = math.Round(total*rate*(0.6+0.8*rng.Float64())*2) / 2
			switch unit {
			case "organised_crime":
				r.SessionsInHouse, r.SessionsCounsel = 60+rng.IntN(30), 25+rng.IntN(20)
				r.CrownAdvocateAvailable = 8 * 7 * 18
				r.CrownAdvocateHours = r.CrownAdvocateAvailable * (70 + rng.IntN(15)) / 100
			case "extradition":
				r.SessionsInHouse, r.SessionsCounsel = 120+rng.IntN(40), 10+rng.IntN(10)
			}
			if m.Equal(time.Date(2017, time.December, 1, 0, 0, 0, 0, time.UTC)) && unit == "organised_crime" {
				// A month when counsel covered a long trial.
				r.SessionsInHouse, r.SessionsCounsel = 30, 70
				r.CrownAdvocateHours = r.CrownAdvocateAvailable * 40 / 100
			}
			out = append(out, r)
		}
	}
	return out
}
