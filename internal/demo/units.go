package demo

import "caseboard/internal/org"

// legalManager is a legal manager 2 and the teams under them. Teams may be at
// another office than the manager's: report 2.4 describes LM2s whose
// responsibility runs across sites.
type legalManager struct {
	location string
	teams    []teamShape
}

// Organised Crime's casework is long-running and multi-defendant, so its
// teams carry more senior lawyers and a crown advocate in London, where most
// of its Crown Court work is.
var (
	crimeLondonStaff = []headcount{
		{seniorSpecialistProsecutor, 2}, {specialistProsecutor, 2},
		{seniorCrownProsecutor, 1}, {crownAdvocate, 1},
		{seniorParalegalOfficer, 1}, {paralegalOfficer, 1}, {operationalDelivery, 1},
	}
	crimeRegionalStaff = []headcount{
		{seniorSpecialistProsecutor, 1}, {specialistProsecutor, 2},
		{seniorCrownProsecutor, 1},
		{seniorParalegalOfficer, 1}, {paralegalOfficer, 1}, {operationalDelivery, 1},
	}
)

func crimeTeam(name, location string, staff []headcount) teamShape {
	return teamShape{name: name, location: location, leader: legalManager1, staff: staff}
}

// organisedCrimeManagers is the unit's line below its head. The Warrington
// LM2 also manages Calder, the cross-site arrangement the report found.
var organisedCrimeManagers = []legalManager{
	{pettyFrance, []teamShape{
		crimeTeam("Drugs and Firearms", pettyFrance, crimeLondonStaff),
		crimeTeam("Money Laundering and Economic Crime", pettyFrance, crimeLondonStaff),
	}},
	{pettyFrance, []teamShape{
		crimeTeam("Trafficking and Exploitation", pettyFrance, crimeLondonStaff),
		crimeTeam("Cyber Crime and Fraud", pettyFrance, crimeLondonStaff),
	}},
	{birmingham, []teamShape{
		crimeTeam("Birmingham Team 1", birmingham, crimeRegionalStaff),
		crimeTeam("Birmingham Team 2", birmingham, crimeRegionalStaff),
	}},
	{warrington, []teamShape{
		crimeTeam("Warrington Team", warrington, crimeRegionalStaff),
		crimeTeam("Calder Team", calder, crimeRegionalStaff),
	}},
}

// organisedCrimeVetting gives DV to lawyers from senior specialist
// prosecutor up, who handle covert and intelligence material, and SC to the
// rest, who work alongside the National Crime Agency.
func organisedCrimeVetting(g org.Grade) org.Clearance {
	if seniority(g) <= seniority(seniorSpecialistProsecutor) {
		return org.DV
	}
	return org.SC
}

func (b *builder) organisedCrime(hod string) {
	head := b.head(organisedCrime, deputyHeadOfDivision, hod)
	b.add(member{
		grade: paralegalBusinessManager, unit: organisedCrime, location: pettyFrance,
		manager: head, clearance: org.SC,
	})
	b.legalManagers(organisedCrime, organisedCrimeManagers, head, organisedCrimeVetting)
}

func (b *builder) legalManagers(unit string, lms []legalManager, head string, vet vetting) {
	for _, lm := range lms {
		manager := b.add(member{
			grade: legalManager2, unit: unit, location: lm.location,
			manager: head, clearance: vet(legalManager2),
		})
		for _, t := range lm.teams {
			b.team(unit, t, manager, vet)
		}
	}
}

// Extradition is all at Petty France, its hearings at Westminster
// Magistrates' Court; teams follow the kinds of request it handles.
var extraditionStaff = []headcount{
	{seniorSpecialistProsecutor, 1}, {specialistProsecutor, 3},
	{seniorParalegalOfficer, 1}, {paralegalOfficer, 2}, {operationalDelivery, 1},
}

func extraditionTeam(name string) teamShape {
	return teamShape{name: name, location: pettyFrance, leader: legalManager1, staff: extraditionStaff}
}

var extraditionManagers = []legalManager{
	{pettyFrance, []teamShape{
		extraditionTeam("European Arrest Warrants A"),
		extraditionTeam("European Arrest Warrants B"),
	}},
	{pettyFrance, []teamShape{
		extraditionTeam("Non-EU Export"),
		extraditionTeam("Import and Advice"),
	}},
}

// extraditionVetting mixes CTC and SC for lawyers, as not every extradition
// file carries sensitive material, and leaves some operational staff at the
// baseline.
func (b *builder) extraditionVetting(g org.Grade) org.Clearance {
	switch {
	case g == legalManager2 || g == legalManager1:
		return org.SC
	case g.Profession() == org.Legal:
		return b.either(org.SC, org.CTC)
	case g == operationalDelivery:
		return b.either(org.CTC, org.BPSS)
	}
	return org.CTC
}

// either picks one of two levels, evenly, from the seeded source.
func (b *builder) either(x, y org.Clearance) org.Clearance {
	if b.rng.IntN(2) == 0 {
		return x
	}
	return y
}

func (b *builder) extradition(hod string) {
	head := b.head(extradition, deputyHeadOfDivision, hod)
	b.add(member{
		grade: paralegalBusinessManager, unit: extradition, location: pettyFrance,
		manager: head, clearance: org.SC,
	})
	b.legalManagers(extradition, extraditionManagers, head, b.extraditionVetting)
}

// policyTeam has one adviser for each national policy lead of report 1.24
// and PRODUCT.md: cyber-crime, money laundering, mutual legal assistance,
// European arrest warrants and European investigation orders.
var policyTeam = teamShape{
	name:     "International Strategy and Policy",
	location: pettyFrance,
	leader:   seniorPolicyAdviser,
	staff:    []headcount{{policyAdviser, 5}},
}

// policyVetting gives the unit's head DV, as the unit advises on covert
// techniques and informants, and the advisers SC.
func policyVetting(g org.Grade) org.Clearance {
	if g == seniorPolicyAdviser {
		return org.DV
	}
	return org.SC
}

func (b *builder) strategyAndPolicy(hod string) {
	b.chart.UnitHeads[strategyAndPolicy] = b.team(strategyAndPolicy, policyTeam, hod, policyVetting)
}
