package casework

import (
	"strings"
	"time"

	"caseboard/internal/fault"
	"caseboard/internal/org"
)

// OutcomeRow is one finalised defendant or requested person as the
// outcomes spreadsheet carries it: the unit of import and export.
type OutcomeRow struct {
	CaseURN          string
	Unit             string // organised_crime or extradition
	Location         string
	Court            Court // MC or CC; empty for extradition
	DefendantRef     string
	PrincipalOffence OffenceCategory // empty for administrative finalisations and extradition
	FinalisedOn      time.Time
	Outcome          Outcome
	Country          string // extradition: the requesting or requested state
}

// OutcomeColumns are the outcomes file's columns, required then optional.
var (
	OutcomeColumns         = []string{"case_urn", "unit", "location", "court", "defendant_id", "principal_offence", "finalised_on", "outcome"}
	OutcomeOptionalColumns = []string{"country"}
)

// KindOfUnit is the kind of case a unit's outcomes belong to; ok is false
// for units whose work has no defendant outcomes.
func KindOfUnit(unit string) (Kind, bool) {
	switch unit {
	case "organised_crime":
		return Prosecution, true
	case "extradition":
		return Extradition, true
	}
	return "", false
}

// Validate checks what can be checked of a row on its own; whether its
// case exists and agrees is the store's to check.
func (r *OutcomeRow) Validate() error {
	var v fault.Validation
	r.CaseURN = strings.TrimSpace(r.CaseURN)
	if !referencePattern.MatchString(r.CaseURN) {
		v.Add("case_urn", "Enter the case reference: letters, digits, / . _ or -, up to 40 characters")
	}
	kind, ok := KindOfUnit(r.Unit)
	if !ok {
		v.Add("unit", "Enter organised_crime or extradition: only their cases have defendant outcomes")
	}
	if r.Location == "" {
		v.Add("location", "Enter the location code, for example petty_france")
	}
	if r.Country != "" && !org.IsCountry(r.Country) {
		v.Add("country", "Enter an ISO 3166 two-letter country code, for example PL")
	}
	if ok {
		d := Defendant{Ref: r.DefendantRef, Court: r.Court, PrincipalOffence: r.PrincipalOffence, Outcome: r.Outcome, FinalisedOn: &r.FinalisedOn, Country: r.Country}
		if err := d.Validate(kind, earliest); err != nil {
			for _, f := range fault.As(err).Fields {
				v.Add(f.Field, f.Message)
			}
		}
		if r.Outcome == "" {
			v.Add("outcome", "Enter the outcome")
		}
	}
	return v.Err("The row has problems")
}

// Defendant is the row as a finalised defendant of its case.
func (r *OutcomeRow) Defendant(caseID int64) Defendant {
	finalised := r.FinalisedOn
	return Defendant{CaseID: caseID, Ref: r.DefendantRef, PrincipalOffence: r.PrincipalOffence, Court: r.Court,
		Country: r.Country, Outcome: r.Outcome, FinalisedOn: &finalised}
}
