package casework

import (
	"strings"
	"time"

	"caseboard/internal/deadline"
	"caseboard/internal/fault"
	"caseboard/internal/org"
)

// Defendant is a defendant of a prosecution or the requested person of an
// extradition case. Outcomes belong to defendants, not cases: one case can
// end in a conviction for one defendant and an acquittal for another.
type Defendant struct {
	ID               int64           `json:"id"`
	CaseID           int64           `json:"case_id"`
	Ref              string          `json:"ref"` // the defendant's id within the case, as in the spreadsheets
	Name             string          `json:"name"`
	CustodyStatus    string          `json:"custody_status"`
	PrincipalOffence OffenceCategory `json:"principal_offence"`
	Court            Court           `json:"court"`
	Country          string          `json:"country"` // extradition: the requesting or requested state
	Outcome          Outcome         `json:"outcome"`
	FinalisedOn      *time.Time      `json:"finalised_on"`
	// Extradition holds the dates a requested person's Extradition Act
	// 2003 Part 1 time limits are computed from; nil until recorded.
	Extradition *deadline.ExtraditionInput `json:"extradition,omitempty"`
	// ExtraditionLimits are the limits computed from Extradition, with
	// their working; filled in when read, never typed in.
	ExtraditionLimits []deadline.Limit `json:"extradition_limits,omitempty"`
}

// CustodyStatuses are the states a defendant's liberty can be in.
var CustodyStatuses = []string{"in_custody", "on_bail", "at_large", "not_arrested", "released"}

// Finalised reports whether the defendant's case has an outcome.
func (d *Defendant) Finalised() bool { return d.Outcome != "" }

// Validate checks a defendant of a case of the kind given; opened is the
// case's opening date, which no finalisation may precede.
func (d *Defendant) Validate(kind Kind, opened time.Time) error {
	var v fault.Validation
	d.Ref = strings.TrimSpace(d.Ref)
	if d.Ref == "" || len(d.Ref) > 40 {
		v.Add("defendant_id", "Enter the defendant's id within the case, up to 40 characters")
	}
	if d.CustodyStatus != "" && !oneOf(d.CustodyStatus, CustodyStatuses) {
		v.Add("custody_status", "Choose "+strings.Join(CustodyStatuses, ", "))
	}
	d.validateOutcome(&v, kind, opened)
	return v.Err("The defendant could not be saved")
}

func (d *Defendant) validateOutcome(v *fault.Validation, kind Kind, opened time.Time) {
	if kind == International {
		if d.Outcome != "" {
			v.Add("outcome", "International assistance cases have no defendant outcomes")
		}
		return
	}
	if d.Outcome == "" {
		if d.FinalisedOn != nil {
			v.Add("outcome", "Enter the outcome the defendant was finalised with")
		}
		return
	}
	if _, ok := LookupOutcome(kind, d.Outcome); !ok {
		v.Add("outcome", "Enter an outcome code from the "+kind.Label()+" list")
	}
	if d.FinalisedOn == nil {
		v.Add("finalised_on", "Enter the date the defendant was finalised")
	} else {
		checkDate(v, "finalised_on", *d.FinalisedOn, true)
		if d.FinalisedOn.Before(opened) {
			v.Add("finalised_on", "A defendant cannot be finalised before the case was opened ("+opened.Format("2006-01-02")+")")
		}
	}
	switch kind {
	case Prosecution:
		if !d.Court.Valid() {
			v.Add("court", "Enter MC or CC")
		}
		if d.PrincipalOffence == "" && d.Outcome != "administrative_finalisation" {
			v.Add("principal_offence", "Enter the principal offence category")
		}
		if d.PrincipalOffence != "" && !d.PrincipalOffence.Valid() {
			v.Add("principal_offence", "Enter a CPS principal offence category code")
		}
	case Extradition:
		if d.Court != "" {
			v.Add("court", "Leave the court empty for extradition")
		}
		if d.PrincipalOffence != "" {
			v.Add("principal_offence", "Leave the principal offence empty for extradition")
		}
		if d.Country != "" && !org.IsCountry(d.Country) {
			v.Add("country", "Enter the country as an ISO 3166 two-letter code, for example PL")
		}
	}
}
