package knowledge

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"caseboard/internal/fault"
)

// Specialism is an entry of the national leads and specialisms directory
// (framework B2.6, report 3.25): who leads on a subject or a country, who
// deputises, how to reach them and what they can help with, so that an
// Area asks the right person rather than someone it happens to know.
type Specialism struct {
	Code string `json:"code"` // e.g. cyber_crime, liaison_es
	Name string `json:"name"`
	// Country is set for a liaison prosecutor's entry (ISO 3166 code).
	Country    string    `json:"country,omitempty"`
	LeadID     *int64    `json:"lead_id"`
	LeadName   string    `json:"lead_name,omitempty"`
	LeadEmail  string    `json:"lead_email,omitempty"`
	DeputyID   *int64    `json:"deputy_id"`
	DeputyName string    `json:"deputy_name,omitempty"`
	Contact    string    `json:"contact"`    // the route to use: a mailbox, a phone line, hours
	HelpsWith  string    `json:"helps_with"` // what to ask them about
	Tag        string    `json:"tag"`        // the repository's tag for its articles
	UpdatedAt  time.Time `json:"updated_at"`
}

var specialismCode = regexp.MustCompile(`^[a-z][a-z0-9_]{1,39}$`)

// Validate checks a directory entry.
func (s *Specialism) Validate() error {
	s.Name, s.Contact, s.HelpsWith = strings.TrimSpace(s.Name), strings.TrimSpace(s.Contact), strings.TrimSpace(s.HelpsWith)
	s.Country, s.Tag = strings.ToUpper(strings.TrimSpace(s.Country)), NormaliseTag(s.Tag)
	var v fault.Validation
	if !specialismCode.MatchString(s.Code) {
		v.Add("code", "The code is 2 to 40 lower-case letters, digits and underscores, starting with a letter")
	}
	if s.Name == "" || utf8.RuneCountInString(s.Name) > MaxTitle {
		v.Add("name", "Enter the specialism's name, up to 200 characters")
	}
	if s.Country != "" && !countryPattern.MatchString(s.Country) {
		v.Add("country", "Enter the country as a two-letter code, for example ES")
	}
	if s.LeadID == nil {
		v.Add("lead_id", "Name the lead")
	}
	if s.DeputyID != nil && s.LeadID != nil && *s.DeputyID == *s.LeadID {
		v.Add("deputy_id", "The deputy must be someone other than the lead")
	}
	if utf8.RuneCountInString(s.Contact) > 500 || utf8.RuneCountInString(s.HelpsWith) > 2000 {
		v.Add("helps_with", "Keep the contact route to 500 characters and what they help with to 2,000")
	}
	return v.Err("The directory entry could not be saved")
}
