package measure

import (
	"slices"

	"caseboard/internal/casework"
)

// Polarity says which way a measure improves.
type Polarity string

const (
	HigherIsBetter Polarity = "higher"
	LowerIsBetter  Polarity = "lower"
	// Neutral measures (caseload, staffing) describe the division; more is
	// neither better nor worse.
	Neutral Polarity = "neutral"
)

// Format says how a measure's value reads.
type Format string

const (
	CountFormat Format = "count" // a whole number
	RateFormat  Format = "rate"  // a fraction between 0 and 1
	// DecimalFormat is a number with one decimal place: FTE, days per FTE.
	DecimalFormat Format = "decimal"
)

// Target is what the division aims for and how far from it a value may be
// before it is red: within Tolerance on the wrong side it is amber.
type Target struct {
	Value     float64 `json:"value"`
	Tolerance float64 `json:"tolerance"`
}

// RAG is a value's standing against its target.
type RAG string

const (
	Green    RAG = "green"
	Amber    RAG = "amber"
	Red      RAG = "red"
	NoTarget RAG = "" // no target, or no data
)

// Label is the RAG status in words, so it never rests on colour alone.
func (r RAG) Label() string {
	switch r {
	case Green:
		return "On target"
	case Amber:
		return "Within tolerance"
	case Red:
		return "Off target"
	}
	return "No target"
}

// Source names the records a measure counts, so every figure opens to
// them; the store lists a source's records for a period.
type Source string

const (
	FinalisedDefendants Source = "defendants"    // by finalisation date
	LiveCases           Source = "cases"         // open at the end of the period
	PreChargeDecisions  Source = "pre_charge"    // cases by pre-charge decision date
	DueDirections       Source = "directions"    // by due date
	ExpiredCTLs         Source = "charges"       // custody time limits expired while running
	IQAObligations      Source = "iqa"           // IQA obligations that fell due
	People              Source = "people"        // active people
	PostReturns         Source = "post_returns"  // validated monthly returns
	UnitReturns         Source = "unit_returns"  // units' monthly returns of staffing, absence and advocacy
	HelpRequests        Source = "help_requests" // requests to the specialists' help queues, by when asked
	// ComplianceCases are the cases failing a case progression rule today
	// (the rules keep no history).
	ComplianceCases Source = "compliance"
)

// RecordFilter narrows a source's records to those a measure counts.
type RecordFilter struct {
	Source   Source             `json:"source"`
	Kind     casework.Kind      `json:"kind,omitempty"`     // casework kind of the unit
	Court    casework.Court     `json:"court,omitempty"`    // MC or CC
	Outcomes []casework.Outcome `json:"outcomes,omitempty"` // only these outcomes
	State    []DirectionState   `json:"state,omitempty"`    // only directions in these states
	Charged  bool               `json:"charged,omitempty"`  // only defendants of cases with a charging decision date
}

// Measure is one performance measure, defined once.
type Measure struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	Definition string `json:"definition"`
	// Units are the unit codes the measure applies to; empty is every unit
	// and the division as a whole.
	Units    []string     `json:"units"`
	Polarity Polarity     `json:"polarity"`
	Format   Format       `json:"format"`
	Target   *Target      `json:"target"`
	Records  RecordFilter `json:"records"`
	compute  func(Counts) Value
}

// AppliesTo reports whether the measure has a figure for a unit ("" is
// the division).
func (m Measure) AppliesTo(unit string) bool {
	return unit == "" || len(m.Units) == 0 || slices.Contains(m.Units, unit)
}

// Compute is the measure's value from the counts of a period.
// A measure whose records the reader may not see has no value for them.
func (m Measure) Compute(c Counts) Value {
	if slices.Contains(c.Withheld, m.Records.Source) {
		return Value{}
	}
	v := m.compute(c)
	v.RAG = m.Status(v.Value)
	return v
}

// Status is a value's RAG against the measure's target: green on target,
// amber within tolerance on the wrong side, red beyond it; no target or
// no data has none.
func (m Measure) Status(value *float64) RAG {
	if m.Target == nil || value == nil {
		return NoTarget
	}
	gap := *value - m.Target.Value // how far above target
	if m.Polarity == LowerIsBetter {
		gap = -gap
	}
	switch {
	case gap >= 0:
		return Green
	case gap >= -m.Target.Tolerance-1e-9:
		return Amber
	}
	return Red
}

// Counts are what the store counts from the records of one period (and
// unit, if one is chosen), visible to the reader; every measure is
// computed from them.
type Counts struct {
	Outcomes     []OutcomeCount   // finalised defendants by unit, court, outcome
	Directions   []DirectionCount // prosecution directions due, by court and state
	LiveCases    int              // cases open at the end of the period
	PreCharge    int              // pre-charge decisions made in the period
	CTLFailures  int              // custody time limits that expired while running
	IQADue       int              // IQA obligations that fell due in the period
	IQAMet       int              // of those, met
	Staff        []StaffCount     // active people by unit and grade
	Interactions int              // casework interactions in validated post returns
	UnitReturns  []UnitReturn     // units' monthly returns for months in the period (current versions)
	ChargeDays   []CourtDays      // days from charging decision to finalisation, one per finalised defendant
	// Help requests asked in the period: how many were answered, how many
	// within a day, and the median hours to answer.
	HelpAnswered, HelpWithinDay int
	HelpMedianHours             *float64
	// Cases that a case progression rule applies to today, and of those
	// the ones meeting every rule that applies; counted only for the
	// period that includes today.
	ComplianceChecked, ComplianceMet int
	// Withheld are the sources the reader may not see (a partner does not
	// see staffing): their measures have no value.
	Withheld []Source
}

// CourtDays is the days one defendant's case took from the charging
// decision to the defendant's finalisation, in a court.
type CourtDays struct {
	Court casework.Court
	Days  int
}

// StaffCount is how many active people of a unit hold a grade.
type StaffCount struct {
	Unit  string `json:"unit"`
	Grade string `json:"grade"`
	Count int    `json:"count"`
}

// Value is a measure's figure for a period. Value is nil where there is
// no data (a zero denominator), never NaN.
type Value struct {
	Value       *float64 `json:"value"`
	Numerator   *int     `json:"numerator"`
	Denominator *int     `json:"denominator"`
	RAG         RAG      `json:"rag"`
	// Breakdown splits a count, e.g. staffing by grade.
	Breakdown []Part `json:"breakdown,omitempty"`
}

// Part is one line of a breakdown.
type Part struct {
	Label string `json:"label"`
	Count int    `json:"count"`
	// Amount is the part where it need not be whole (FTE); Count is then
	// the amount rounded.
	Amount *float64 `json:"amount,omitempty"`
}

func count(n int) Value {
	v := float64(n)
	return Value{Value: &v, Numerator: &n}
}

func ratio(part, whole int) Value {
	return Value{Value: rate(part, whole), Numerator: &part, Denominator: &whole}
}

// Lookup finds a measure by code.
func Lookup(code string) (Measure, bool) {
	i := slices.IndexFunc(Catalogue, func(m Measure) bool { return m.Code == code })
	if i < 0 {
		return Measure{}, false
	}
	return Catalogue[i], true
}
