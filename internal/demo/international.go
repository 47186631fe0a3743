package demo

import (
	"strings"

	"caseboard/internal/org"
)

// post is an overseas post and the prosecutors at it.
type post struct {
	country     string // ISO 3166-1 alpha-2
	city        string
	prosecutors int
	// clearance is set post by post, as report 4.18 says the division
	// decides the level for each country; DV where the work reaches into
	// terrorism, corruption or drug routes, SC elsewhere. The choices are
	// illustrative, not a statement about any real post.
	clearance org.Clearance
}

// region is a group of posts under one London-based legal manager 2, the
// grouping by time zone that report 2.9 says the unit plans for meetings.
type region struct {
	team  string
	posts []post
}

// regions places the 27 specialist prosecutors of report 1.23 in Europe,
// Africa, the Gulf, the USA, the Caribbean and South America (1.19).
var regions = []region{
	{"Europe", []post{
		{"ES", "Madrid", 2, org.SC},
		{"FR", "Paris", 2, org.SC},
		{"IT", "Rome", 2, org.SC},
		{"NL", "The Hague", 2, org.SC},
		{"DE", "Berlin", 1, org.SC},
		{"PL", "Warsaw", 1, org.SC},
		{"RO", "Bucharest", 2, org.SC},
	}},
	{"Africa and the Gulf", []post{
		{"GH", "Accra", 1, org.DV},
		{"NG", "Abuja", 2, org.DV},
		{"KE", "Nairobi", 1, org.DV},
		{"ZA", "Pretoria", 1, org.SC},
		{"AE", "Abu Dhabi", 2, org.DV},
		{"QA", "Doha", 1, org.DV},
	}},
	{"Americas and the Caribbean", []post{
		{"US", "Washington", 2, org.SC},
		{"CO", "Bogotá", 1, org.DV},
		{"BR", "Brasília", 1, org.DV},
		{"JM", "Kingston", 2, org.DV},
		{"BB", "Bridgetown", 1, org.SC},
	}},
}

func (p post) location() org.Location {
	return org.Location{
		Code:    "post_" + strings.ToLower(p.country),
		Name:    p.city + " (" + org.CountryName(p.country) + ")",
		Kind:    org.OverseasPost,
		Country: p.country,
	}
}

func overseasLocations() []org.Location {
	var locs []org.Location
	for _, r := range regions {
		for _, p := range r.posts {
			locs = append(locs, p.location())
		}
	}
	return locs
}

// internationalAdmin is the unit's management and administrative team in
// London (report 1.19), which handles deployment, funding returns and
// overseas staff's expenses.
var internationalAdmin = teamShape{
	name:     "International Management and Administration",
	location: pettyFrance,
	leader:   paralegalBusinessManager,
	staff:    []headcount{{seniorParalegalOfficer, 1}, {paralegalOfficer, 2}},
}

// internationalVetting covers the London staff; posts carry their own level.
// Managers see reporting from every post, so they hold DV.
func (b *builder) internationalVetting(g org.Grade) org.Clearance {
	switch {
	case seniority(g) <= seniority(legalManager1):
		return org.DV
	case g == operationalDelivery:
		return b.either(org.CTC, org.BPSS)
	}
	return org.SC
}

func (b *builder) international(hod string) {
	head := b.head(international, deputyHeadOfDivision, hod)
	b.team(international, internationalAdmin, head, b.internationalVetting)
	for _, r := range regions {
		b.region(r, head)
	}
}

// region adds a region's London team — its legal manager and a support
// officer — then the prosecutors abroad, who belong to no team because a
// team is at one location and most posts have one or two people.
func (b *builder) region(r region, head string) {
	manager := b.team(international, teamShape{
		name:     r.team,
		location: pettyFrance,
		leader:   legalManager2,
		staff:    []headcount{{operationalDelivery, 1}},
	}, head, b.internationalVetting)
	for _, p := range r.posts {
		for i := range p.prosecutors {
			b.add(member{
				grade: postGrade(p, i), unit: international, location: p.location().Code,
				manager: manager, clearance: p.clearance,
			})
		}
	}
}

// postGrade makes the first prosecutor at a shared post its senior.
func postGrade(p post, i int) org.Grade {
	if i == 0 && p.prosecutors > 1 {
		return seniorSpecialistProsecutor
	}
	return specialistProsecutor
}
