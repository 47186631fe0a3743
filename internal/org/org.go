// Package org holds the shape of a prosecution division: its units,
// locations, teams and people, and the rules that keep them consistent.
//
// Later parts of caseboard route approvals, escalations and quality
// obligations up the line-management chain recorded here, and gate sensitive
// records on the security clearance recorded here.
package org

import (
	"fmt"
	"net/mail"
	"regexp"
	"sort"
	"strings"
	"time"

	"caseboard/internal/fault"
)

// codePattern is the shape of every stable reference code used in files and
// the API (units, locations, grades): lower snake case.
var codePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,47}$`)

// Division is the top of the organisation.
type Division struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

// Unit is one of a division's units, e.g. Organised Crime.
type Unit struct {
	ID         int64  `json:"id"`
	DivisionID int64  `json:"division_id"`
	Code       string `json:"code"`
	Name       string `json:"name"`
	// HeadTitle is what the unit calls its head: "Head of Unit", or for
	// Strategy and Policy, "Senior Policy Adviser".
	HeadTitle string `json:"head_title"`
	HeadID    *int64 `json:"head_id"`
	HeadName  string `json:"head_name,omitempty"`
	Staff     int    `json:"staff"`
}

// LocationKind separates the division's UK offices from its overseas posts.
type LocationKind string

const (
	Office       LocationKind = "office"
	OverseasPost LocationKind = "overseas_post"
)

// Location is an office or an overseas post.
type Location struct {
	ID      int64        `json:"id"`
	Code    string       `json:"code"`
	Name    string       `json:"name"`
	Kind    LocationKind `json:"kind"`
	Country string       `json:"country"` // ISO 3166-1 alpha-2
	Staff   int          `json:"staff"`
}

// Team is a group of people in one unit and location under a leader.
type Team struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	UnitID     int64  `json:"unit_id"`
	LocationID int64  `json:"location_id"`
	LeaderID   *int64 `json:"leader_id"`
}

// Person is a member of staff.
type Person struct {
	ID            int64     `json:"id"`
	Name          string    `json:"name"`
	Email         string    `json:"email"`
	Grade         Grade     `json:"grade"`
	UnitID        int64     `json:"unit_id"`
	LocationID    int64     `json:"location_id"`
	TeamID        *int64    `json:"team_id"`
	LineManagerID *int64    `json:"line_manager_id"`
	Clearance     Clearance `json:"clearance"`
	Active        bool      `json:"active"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`

	// Names resolved for display; not stored on the person.
	UnitCode        string `json:"unit_code,omitempty"`
	UnitName        string `json:"unit_name,omitempty"`
	LocationCode    string `json:"location_code,omitempty"`
	LocationName    string `json:"location_name,omitempty"`
	TeamName        string `json:"team_name,omitempty"`
	LineManagerName string `json:"line_manager_name,omitempty"`
}

// Validate checks a unit before it is stored.
func (u *Unit) Validate() error {
	var v fault.Validation
	checkCode(&v, "code", u.Code)
	checkName(&v, "name", u.Name)
	if strings.TrimSpace(u.HeadTitle) == "" {
		v.Add("head_title", "Enter what the unit calls its head, for example Head of Unit")
	}
	return v.Err("The unit could not be saved")
}

// Validate checks a location before it is stored.
func (l *Location) Validate() error {
	var v fault.Validation
	checkCode(&v, "code", l.Code)
	checkName(&v, "name", l.Name)
	switch l.Kind {
	case Office:
	case OverseasPost:
		if want := "post_" + strings.ToLower(l.Country); l.Code != want {
			v.Add("code", fmt.Sprintf("An overseas post's code is post_ and its country code, here %s", want))
		}
	default:
		v.Add("kind", "Choose office or overseas post")
	}
	if !IsCountry(l.Country) {
		v.Add("country", "Enter the country as an ISO 3166 two-letter code, for example GB or ES")
	}
	return v.Err("The location could not be saved")
}

// Validate checks a team before it is stored.
func (t *Team) Validate() error {
	var v fault.Validation
	checkName(&v, "name", t.Name)
	if t.UnitID == 0 {
		v.Add("unit_id", "Choose the team's unit")
	}
	if t.LocationID == 0 {
		v.Add("location_id", "Choose the team's location")
	}
	return v.Err("The team could not be saved")
}

// Validate checks a person before they are stored. Whether the line manager
// exists and would not make a cycle is the store's to check, as it needs the
// other people.
func (p *Person) Validate() error {
	var v fault.Validation
	checkName(&v, "name", p.Name)
	p.Email = strings.ToLower(strings.TrimSpace(p.Email))
	if addr, err := mail.ParseAddress(p.Email); err != nil || addr.Address != p.Email {
		v.Add("email", "Enter an email address in the correct format, like name@example.org")
	}
	if !p.Grade.Valid() {
		v.Add("grade", "Choose a grade from the list")
	}
	if p.UnitID == 0 {
		v.Add("unit_id", "Choose the person's unit")
	}
	if p.LocationID == 0 {
		v.Add("location_id", "Choose the person's location")
	}
	if !p.Clearance.Valid() {
		v.Add("clearance", "Choose a security clearance: bpss, ctc, sc or dv")
	}
	if p.LineManagerID != nil && *p.LineManagerID == p.ID && p.ID != 0 {
		v.Add("line_manager_id", "A person cannot be their own line manager")
	}
	return v.Err("The person could not be saved")
}

func checkCode(v *fault.Validation, field, code string) {
	if !codePattern.MatchString(code) {
		v.Add(field, "Enter a code of lower-case letters, digits and underscores, starting with a letter")
	}
}

func checkName(v *fault.Validation, field, name string) {
	switch n := len(strings.TrimSpace(name)); {
	case n == 0:
		v.Add(field, "Enter a name")
	case n > 200:
		v.Add(field, "Name must be 200 characters or fewer")
	}
}

// IsCountry reports whether code is an ISO 3166-1 alpha-2 code.
func IsCountry(code string) bool {
	_, ok := countryNames[code]
	return ok
}

// CountryName returns the common name of an ISO 3166-1 alpha-2 code, or the
// code itself when it is unknown.
func CountryName(code string) string {
	if name, ok := countryNames[code]; ok {
		return name
	}
	return code
}

// CountryCodes returns every known country code in order.
func CountryCodes() []string {
	codes := make([]string, 0, len(countryNames))
	for c := range countryNames {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	return codes
}
