package org

// Chart is a whole organisation described by reference codes rather than
// database ids, so it can be generated (demo data), read from a file, or
// loaded in one transaction. Teams are named by Name within a unit and
// location; people are keyed by Email.
type Chart struct {
	Division  Division
	Units     []Unit // HeadEmail in UnitHeads
	Locations []Location
	Teams     []ChartTeam
	People    []ChartPerson
	// UnitHeads maps a unit code to the email of its head.
	UnitHeads map[string]string
	// Partners are the partner organisations some people belong to.
	Partners []Partner
	// Accounts are the people (by email) who can sign in, with their roles.
	Accounts []ChartAccount
}

// Partner is a partner organisation (the NCA, a police force): its people
// see only what is explicitly shared with it.
type Partner struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

// ChartAccount gives a person of a Chart an account. Roles are role codes
// (see the access package); PasswordHash may be empty for single sign-on.
type ChartAccount struct {
	Email        string
	Roles        []string
	PasswordHash string
}

// ChartTeam is a team in a Chart.
type ChartTeam struct {
	Name         string
	UnitCode     string
	LocationCode string
	LeaderEmail  string
}

// ChartPerson is a person in a Chart. A line manager must appear earlier in
// People than the people they manage, so the chart loads in one pass.
type ChartPerson struct {
	Name             string
	Email            string
	Grade            Grade
	UnitCode         string
	LocationCode     string
	TeamName         string // empty for no team
	LineManagerEmail string // empty for the top of the line
	Clearance        Clearance
	PartnerCode      string // set for people of a partner organisation
}

// StartingUnits are the units a new database begins with, as the inspection
// report describes the division. An administrator can edit them.
func StartingUnits() []Unit {
	return []Unit{
		{Code: "organised_crime", Name: "Organised Crime", HeadTitle: "Deputy Head of Division"},
		{Code: "extradition", Name: "Extradition", HeadTitle: "Deputy Head of Division"},
		{Code: "international", Name: "International", HeadTitle: "Deputy Head of Division"},
		{Code: "strategy_and_policy", Name: "International Strategy and Policy", HeadTitle: "International Strategy and Policy Adviser"},
	}
}

// StartingLocations are the UK offices a new database begins with. Overseas
// posts are added as the division records them (code post_ + country code).
func StartingLocations() []Location {
	return []Location{
		{Code: "petty_france", Name: "Petty France, London", Kind: Office, Country: "GB"},
		{Code: "birmingham", Name: "Birmingham", Kind: Office, Country: "GB"},
		{Code: "warrington", Name: "Warrington", Kind: Office, Country: "GB"},
		{Code: "calder", Name: "Calder", Kind: Office, Country: "GB"},
	}
}

// StartingDivision is the division a new database begins with.
func StartingDivision() Division {
	return Division{Code: "ijoc", Name: "International Justice and Organised Crime Division"}
}
