// Package demo generates a synthetic division for demonstrations, screenshots
// and tests: about 160 staff shaped like the International Justice and
// Organised Crime Division in the 2019 HMCPSI inspection report, with
// invented names at caseboard.example so nobody mistakes them for real people.
package demo

import (
	"math/rand/v2"

	"caseboard/internal/org"
)

// pcgStream is fixed so that the seed alone decides the chart; changing it
// would change every generated name.
const pcgStream = 0x1_2019_1ac0

// Organisation returns the demo division for seed. The same seed always
// gives the same chart, so tests and screenshots are reproducible; another
// seed gives other names on the same shape.
//
// The Head of Division sits in the strategy_and_policy unit: the post is
// division-wide, and counting it in Organised Crime would distort that unit's
// staffing and caseload figures, which Annex A of the report tracks.
func Organisation(seed int64) org.Chart {
	b := newBuilder(seed)
	hod := b.add(member{
		grade: headOfDivision, unit: strategyAndPolicy, location: pettyFrance,
		clearance: org.DV,
	})
	b.add(member{
		grade: areaBusinessManager, unit: strategyAndPolicy, location: pettyFrance,
		manager: hod, clearance: org.SC,
	})
	b.strategyAndPolicy(hod)
	b.organisedCrime(hod)
	b.extradition(hod)
	b.international(hod)
	return b.chart
}

// builder accumulates a chart in line-management order: each person is added
// after their manager, which is the order the store needs to load it.
type builder struct {
	rng    *rand.Rand
	chart  org.Chart
	names  map[string]bool
	emails map[string]bool
}

func newBuilder(seed int64) *builder {
	return &builder{
		rng: rand.New(rand.NewPCG(uint64(seed), pcgStream)),
		chart: org.Chart{
			Division:  org.StartingDivision(),
			Units:     org.StartingUnits(),
			Locations: append(org.StartingLocations(), overseasLocations()...),
			UnitHeads: map[string]string{},
		},
		names:  map[string]bool{},
		emails: map[string]bool{},
	}
}

// member is a person to add, before they have a name.
type member struct {
	grade     org.Grade
	unit      string
	location  string
	team      string
	manager   string // email; empty only for the Head of Division
	clearance org.Clearance
}

// add names m, appends them to the chart and returns their email, which is
// how their reports and teams refer to them.
func (b *builder) add(m member) string {
	first, last := b.newName()
	email := b.newEmail(first, last)
	b.chart.People = append(b.chart.People, org.ChartPerson{
		Name:             first + " " + last,
		Email:            email,
		Grade:            m.grade,
		UnitCode:         m.unit,
		LocationCode:     m.location,
		TeamName:         m.team,
		LineManagerEmail: m.manager,
		Clearance:        m.clearance,
	})
	return email
}

// head adds a unit's head at Petty France and records them in UnitHeads.
// Heads hold DV because every sensitive case in the unit reaches them.
func (b *builder) head(unit string, g org.Grade, manager string) string {
	email := b.add(member{
		grade: g, unit: unit, location: pettyFrance,
		manager: manager, clearance: org.DV,
	})
	b.chart.UnitHeads[unit] = email
	return email
}
