// Package casework holds the division's cases of every kind (organised
// crime prosecutions, extradition, international assistance), their
// defendants or requested persons, charges and outcomes, and the rules
// that keep them consistent. Outcomes are recorded per defendant, as the
// CPS counts them.
package casework

import (
	"regexp"
	"strings"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/fault"
	"caseboard/internal/org"
)

// Kind is the kind of work a case is.
type Kind string

const (
	Prosecution   Kind = "organised_crime"
	Extradition   Kind = "extradition"
	International Kind = "international"
)

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == Prosecution || k == Extradition || k == International }

// Label is the kind as people say it.
func (k Kind) Label() string {
	switch k {
	case Prosecution:
		return "Organised crime prosecution"
	case Extradition:
		return "Extradition"
	case International:
		return "International assistance"
	}
	return string(k)
}

// Status is where a case stands.
type Status string

// Finalised is the status that ends a prosecution or an extradition case.
const Finalised Status = "finalised"

// Statuses by kind, in the order a case moves through them.
var Statuses = map[Kind][]Status{
	Prosecution:   {"pre_charge", "charged", "trial", "finalised"},
	Extradition:   {"received", "arrested", "hearing", "appeal", "finalised"},
	International: {"received", "in_progress", "completed", "closed"},
}

// Finished reports whether the status ends a case.
func (s Status) Finished() bool {
	return s == "finalised" || s == "completed" || s == "closed"
}

// Case is one case of any kind. Fields that belong to one kind only are
// empty for the others.
type Case struct {
	ID          int64              `json:"id"`
	Reference   string             `json:"reference"` // URN, extradition or request reference
	Kind        Kind               `json:"kind"`
	Title       string             `json:"title"` // operation name, requested person or request subject
	UnitID      int64              `json:"unit_id"`
	LocationID  int64              `json:"location_id"`
	Status      Status             `json:"status"`
	Sensitivity access.Sensitivity `json:"sensitivity"`
	LawyerID    *int64             `json:"lawyer_id"`
	ManagerID   *int64             `json:"manager_id"`
	OpenedOn    time.Time          `json:"opened_on"`

	// Organised crime prosecutions.
	Agency             string     `json:"agency,omitempty"` // NCA, Immigration Enforcement, Counter Terrorism Command, a police force
	Counsel            string     `json:"counsel,omitempty"`
	Complexity         string     `json:"complexity,omitempty"`
	PreChargeDecision  string     `json:"pre_charge_decision,omitempty"`
	PreChargeDecidedOn *time.Time `json:"pre_charge_decided_on"`
	Court              Court      `json:"court,omitempty"`
	CourtCentre        string     `json:"court_centre,omitempty"`

	// Extradition and international assistance.
	Direction   string `json:"direction,omitempty"` // export/import; incoming/outgoing
	Country     string `json:"country,omitempty"`   // ISO 3166 alpha-2
	WarrantType string `json:"warrant_type,omitempty"`

	// International assistance.
	RequestingAuthority string `json:"requesting_authority,omitempty"`
	RequestType         string `json:"request_type,omitempty"`

	// Sensitive case log: why the press office should know of it.
	SensitiveReason string `json:"sensitive_reason,omitempty"`

	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`

	// NextDeadline is the earliest running custody time limit of the
	// case's charges or open extradition time limit of its requested
	// persons, computed, never typed in; far in the future when none runs.
	NextDeadline time.Time `json:"next_deadline"`

	// Resolved for display; not stored on the case.
	UnitCode     string `json:"unit_code,omitempty"`
	LocationCode string `json:"location_code,omitempty"`
	LawyerName   string `json:"lawyer_name,omitempty"`
	Defendants   int    `json:"defendants"`
}

// Pre-charge decisions.
var PreChargeDecisions = []string{"charge", "no_further_action", "further_evidence_required", "non_conviction_disposal"}

// Warrant types of extradition requests.
var WarrantTypes = []string{"eaw_accusation", "eaw_conviction", "non_eu_request"}

// Directions of extradition and international casework.
var Directions = map[Kind][]string{
	Extradition:   {"export", "import"},
	International: {"incoming", "outgoing"},
}

var referencePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9/_.-]{1,39}$`)

// Validate checks a case before it is stored.
func (c *Case) Validate() error {
	var v fault.Validation
	c.Reference = strings.TrimSpace(c.Reference)
	if !referencePattern.MatchString(c.Reference) {
		v.Add("reference", "Enter the reference: letters, digits, / . _ or -, up to 40 characters")
	}
	if !c.Kind.Valid() {
		v.Add("kind", "Choose organised_crime, extradition or international")
	}
	if c.UnitID == 0 {
		v.Add("unit_id", "Choose the case's unit")
	}
	if c.LocationID == 0 {
		v.Add("location_id", "Choose the case's location")
	}
	if !oneOf(string(c.Status), statusStrings(c.Kind)) {
		v.Add("status", "Choose a status for this kind of case: "+strings.Join(statusStrings(c.Kind), ", "))
	}
	if !c.Sensitivity.Valid() {
		v.Add("sensitivity", "Choose official, official_sensitive or restricted")
	}
	checkDate(&v, "opened_on", c.OpenedOn, true)
	c.validateKind(&v)
	return v.Err("The case could not be saved")
}

func (c *Case) validateKind(v *fault.Validation) {
	switch c.Kind {
	case Prosecution:
		if c.PreChargeDecision != "" && !oneOf(c.PreChargeDecision, PreChargeDecisions) {
			v.Add("pre_charge_decision", "Choose charge, no_further_action, further_evidence_required or non_conviction_disposal")
		}
		if c.PreChargeDecidedOn != nil {
			checkDate(v, "pre_charge_decided_on", *c.PreChargeDecidedOn, false)
			if c.PreChargeDecidedOn.Before(c.OpenedOn) {
				v.Add("pre_charge_decided_on", "The pre-charge decision cannot come before the case was opened")
			}
		}
		if c.Court != "" && !c.Court.Valid() {
			v.Add("court", "Choose MC or CC")
		}
	case Extradition, International:
		if c.Direction != "" && !oneOf(c.Direction, Directions[c.Kind]) {
			v.Add("direction", "Choose "+strings.Join(Directions[c.Kind], " or "))
		}
		if c.Country != "" && !org.IsCountry(c.Country) {
			v.Add("country", "Enter the country as an ISO 3166 two-letter code, for example PL")
		}
		if c.Kind == Extradition && c.WarrantType != "" && !oneOf(c.WarrantType, WarrantTypes) {
			v.Add("warrant_type", "Choose eaw_accusation, eaw_conviction or non_eu_request")
		}
	}
}

// earliest is the first date caseboard accepts in any case record.
var earliest = time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)

// checkDate refuses dates that cannot be right: before 1990, or more than
// a year ahead for a record of something that has happened.
func checkDate(v *fault.Validation, field string, d time.Time, required bool) {
	if d.IsZero() {
		if required {
			v.Add(field, "Enter the date")
		}
		return
	}
	if d.Before(earliest) || d.After(time.Now().AddDate(1, 0, 0)) {
		v.Add(field, "Enter a real date, from 1990 to a year from today")
	}
}

func statusStrings(k Kind) []string {
	var out []string
	for _, s := range Statuses[k] {
		out = append(out, string(s))
	}
	return out
}

func oneOf(s string, allowed []string) bool {
	for _, a := range allowed {
		if s == a {
			return true
		}
	}
	return false
}

// HasDeadline reports whether a custody time limit runs on the case.
func (c *Case) HasDeadline() bool { return c.NextDeadline.Year() < 9999 }
