package demo

import (
	"slices"

	"caseboard/internal/org"
)

// The org package keys grades by string code only; naming the ones the demo
// uses keeps a typo from silently producing an invalid grade.
const (
	headOfDivision             org.Grade = "head_of_division"
	deputyHeadOfDivision       org.Grade = "deputy_head_of_division"
	legalManager2              org.Grade = "legal_manager_2"
	legalManager1              org.Grade = "legal_manager_1"
	seniorPolicyAdviser        org.Grade = "senior_policy_adviser"
	policyAdviser              org.Grade = "policy_adviser"
	seniorSpecialistProsecutor org.Grade = "senior_specialist_prosecutor"
	specialistProsecutor       org.Grade = "specialist_prosecutor"
	seniorCrownProsecutor      org.Grade = "senior_crown_prosecutor"
	crownAdvocate              org.Grade = "crown_advocate"
	areaBusinessManager        org.Grade = "area_business_manager"
	paralegalBusinessManager   org.Grade = "paralegal_business_manager"
	seniorParalegalOfficer     org.Grade = "senior_paralegal_officer"
	paralegalOfficer           org.Grade = "paralegal_officer"
	operationalDelivery        org.Grade = "operational_delivery"
)

const (
	organisedCrime    = "organised_crime"
	extradition       = "extradition"
	international     = "international"
	strategyAndPolicy = "strategy_and_policy"

	pettyFrance = "petty_france"
	birmingham  = "birmingham"
	warrington  = "warrington"
	calder      = "calder"
)

// seniority is a grade's place in org.Grades: lower is more senior.
func seniority(g org.Grade) int {
	return slices.IndexFunc(org.Grades, func(gi org.GradeInfo) bool { return gi.Code == g })
}

// headcount is how many people of one grade a team has.
type headcount struct {
	grade org.Grade
	n     int
}

// teamShape is a team before it is staffed. Staff are listed most senior
// first, so a senior paralegal officer is added before the officers they
// supervise.
type teamShape struct {
	name     string
	location string
	leader   org.Grade
	staff    []headcount
}

// vetting decides a person's clearance from their grade; each unit has its
// own, because the report ties clearance to the work and, overseas, to the
// country.
type vetting func(org.Grade) org.Clearance

// team adds t to unit under manager, its leader first, and returns the
// leader's email.
func (b *builder) team(unit string, t teamShape, manager string, vet vetting) string {
	b.chart.Teams = append(b.chart.Teams, org.ChartTeam{
		Name: t.name, UnitCode: unit, LocationCode: t.location,
	})
	i := len(b.chart.Teams) - 1
	in := member{unit: unit, location: t.location, team: t.name}
	leader := b.add(in.as(t.leader, manager, vet))
	b.chart.Teams[i].LeaderEmail = leader
	supervisor := leader
	for _, h := range t.staff {
		for range h.n {
			email := b.add(in.as(h.grade, reportsTo(h.grade, leader, supervisor), vet))
			if h.grade == seniorParalegalOfficer && supervisor == leader {
				supervisor = email
			}
		}
	}
	return leader
}

// reportsTo picks a team member's line manager: paralegal and operational
// delivery officers report to the team's senior paralegal officer where there
// is one, as casework support is supervised day to day; everyone else reports
// to the leader.
func reportsTo(g org.Grade, leader, supervisor string) string {
	if g == paralegalOfficer || g == operationalDelivery {
		return supervisor
	}
	return leader
}

// as returns m with a grade, manager and clearance filled in.
func (m member) as(g org.Grade, manager string, vet vetting) member {
	m.grade, m.manager, m.clearance = g, manager, vet(g)
	return m
}
