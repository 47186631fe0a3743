package casework

// Outcome is how a defendant's or requested person's case was finalised,
// by the stable code used in files and the API.
type Outcome string

// OutcomeInfo describes one outcome code.
type OutcomeInfo struct {
	Code  Outcome
	Label string
	// Conviction is true for the outcomes the CPS counts as convictions:
	// guilty pleas, convictions after trial and proofs in absence.
	Conviction bool
	GuiltyPlea bool
}

// ProsecutionOutcomes are the finalisations of a prosecution, per
// defendant. Every one that is not a conviction is unsuccessful:
// discontinuances and withdrawals, discharged committals, dismissals and
// acquittals, and administrative finalisations.
var ProsecutionOutcomes = []OutcomeInfo{
	{"guilty_plea", "Guilty plea", true, true},
	{"conviction_after_trial", "Conviction after trial", true, false},
	{"proved_in_absence", "Proved in absence", true, false},
	{"acquitted", "Acquitted after trial", false, false},
	{"dismissed_no_case_to_answer", "Dismissed: no case to answer", false, false},
	{"judge_directed_acquittal", "Judge directed acquittal", false, false},
	{"judge_ordered_acquittal", "Judge ordered acquittal", false, false},
	{"discontinued", "Discontinued", false, false},
	{"withdrawn", "Withdrawn", false, false},
	{"offered_no_evidence", "Offered no evidence", false, false},
	{"prosecution_stayed", "Prosecution stayed", false, false},
	{"indictment_stayed", "Indictment stayed", false, false},
	{"lie_on_file", "Left to lie on file", false, false},
	{"discharged_committal", "Discharged committal", false, false},
	{"administrative_finalisation", "Administrative finalisation", false, false},
}

// ExtraditionOutcomes are the finalisations of extradition cases, per
// requested person, as the inspection report's Annex A lists them. They
// are counted, not turned into rates.
var ExtraditionOutcomes = []OutcomeInfo{
	{Code: "administrative_finalisation", Label: "Administratively finalised"},
	{Code: "appeal_abandoned", Label: "Appeal abandoned"},
	{Code: "appeal_allowed", Label: "Appeal allowed"},
	{Code: "appeal_dismissed", Label: "Appeal dismissed"},
	{Code: "appeal_not_contested", Label: "Appeal not contested"},
	{Code: "central_casework", Label: "Central casework"},
	{Code: "discontinued", Label: "Discontinued"},
	{Code: "export_eaw_withdrawn", Label: "Export: EAW withdrawn"},
	{Code: "export_extradition_ordered", Label: "Export: extradition ordered"},
	{Code: "export_requested_person_discharged", Label: "Export: requested person discharged"},
	{Code: "guilty_plea", Label: "Guilty plea"},
	{Code: "import_extradition_ordered", Label: "Import: extradition ordered"},
	{Code: "import_extradition_withdrawn", Label: "Import: extradition withdrawn"},
	{Code: "other_proceedings", Label: "Other proceedings"},
	{Code: "permission_to_appeal_refused", Label: "Permission or leave to appeal refused"},
	{Code: "pre_charge_decision", Label: "Pre-charge decision"},
	{Code: "prosecution_stayed", Label: "Prosecution stayed"},
	{Code: "withdrawn", Label: "Withdrawn"},
}

// OutcomesFor returns the outcome list of a kind of case.
func OutcomesFor(k Kind) []OutcomeInfo {
	if k == Extradition {
		return ExtraditionOutcomes
	}
	return ProsecutionOutcomes
}

// LookupOutcome finds an outcome code in a kind's list.
func LookupOutcome(k Kind, code Outcome) (OutcomeInfo, bool) {
	for _, o := range OutcomesFor(k) {
		if o.Code == code {
			return o, true
		}
	}
	return OutcomeInfo{}, false
}

// OffenceCategory is a CPS principal offence category.
type OffenceCategory string

// OffenceCategories lists the CPS principal offence categories.
var OffenceCategories = []struct {
	Code  OffenceCategory
	Label string
}{
	{"homicide", "Homicide"},
	{"offences_against_the_person", "Offences against the person"},
	{"sexual_offences", "Sexual offences"},
	{"burglary", "Burglary"},
	{"robbery", "Robbery"},
	{"theft_and_handling", "Theft and handling"},
	{"fraud_and_forgery", "Fraud and forgery"},
	{"criminal_damage", "Criminal damage"},
	{"drugs_offences", "Drugs offences"},
	{"public_order", "Public order offences"},
	{"all_other", "All other offences (excluding motoring)"},
	{"motoring", "Motoring offences"},
}

// Valid reports whether c is a CPS principal offence category.
func (c OffenceCategory) Valid() bool {
	for _, o := range OffenceCategories {
		if o.Code == c {
			return true
		}
	}
	return false
}

// Court is the level of court a prosecution is finalised in.
type Court string

const (
	MagistratesCourt Court = "MC"
	CrownCourt       Court = "CC"
)

// Valid reports whether c is MC or CC.
func (c Court) Valid() bool { return c == MagistratesCourt || c == CrownCourt }
