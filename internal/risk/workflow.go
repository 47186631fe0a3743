package risk

import (
	"slices"
	"strings"
	"time"

	"caseboard/internal/fault"
)

// MeasureStatus is where a counter-measure stands.
type MeasureStatus string

const (
	Planned    MeasureStatus = "planned"
	InProgress MeasureStatus = "in_progress"
	Done       MeasureStatus = "done"
	Cancelled  MeasureStatus = "cancelled"
)

// MeasureStatuses lists every counter-measure status.
var MeasureStatuses = []MeasureStatus{Planned, InProgress, Done, Cancelled}

// Valid reports whether s is a known status.
func (s MeasureStatus) Valid() bool { return slices.Contains(MeasureStatuses, s) }

// Open reports whether the action is still to do.
func (s MeasureStatus) Open() bool { return s == Planned || s == InProgress }

// Label is the status as people say it.
func (s MeasureStatus) Label() string {
	switch s {
	case Planned:
		return "Planned"
	case InProgress:
		return "In progress"
	case Done:
		return "Done"
	case Cancelled:
		return "Cancelled"
	}
	return string(s)
}

// CounterMeasure is a mitigating action on a risk.
type CounterMeasure struct {
	ID          int64         `json:"id"`
	RiskID      int64         `json:"risk_id"`
	Description string        `json:"description"`
	OwnerID     int64         `json:"owner_id"`
	Due         time.Time     `json:"due"`
	Status      MeasureStatus `json:"status"`
	// Expected is the likelihood and impact the owner expects once the
	// action is done; zero where not estimated.
	Expected    Rating     `json:"expected"`
	CompletedOn *time.Time `json:"completed_on"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`

	OwnerName string `json:"owner_name,omitempty"`
}

// Overdue reports whether an open action has passed its due date.
func (m CounterMeasure) Overdue(today time.Time) bool {
	return m.Status.Open() && day(m.Due).Before(day(today))
}

// Validate checks a counter-measure's fields.
func (m *CounterMeasure) Validate() error {
	var v fault.Validation
	m.Description = strings.TrimSpace(m.Description)
	if m.Status == "" {
		m.Status = Planned
	}
	if m.Description == "" {
		v.Add("description", "Describe the action")
	}
	if m.OwnerID <= 0 {
		v.Add("owner_id", "Choose who owns the action")
	}
	if m.Due.IsZero() {
		v.Add("due", "Enter the date the action is due")
	}
	if !m.Status.Valid() {
		v.Add("status", "Choose planned, in progress, done or cancelled")
	}
	if m.Expected.Scored() {
		if m.Expected.Likelihood < 1 || m.Expected.Likelihood > 5 {
			v.Add("expected_likelihood", "Score the expected likelihood from 1 to 5, or leave it empty")
		}
		if m.Expected.Impact < 1 || m.Expected.Impact > 5 {
			v.Add("expected_impact", "Score the expected impact from 1 to 5, or leave it empty")
		}
	}
	return v.Err("The counter-measure could not be saved")
}

// Review is one review of a risk: who, when, why the scores stand or
// changed, and when it is next due.
type Review struct {
	ID            int64     `json:"id"`
	RiskID        int64     `json:"risk_id"`
	ReviewerID    int64     `json:"reviewer_id"`
	ReviewedAt    time.Time `json:"reviewed_at"`
	Justification string    `json:"justification"`
	// Current is the current rating the review settled on.
	Current    Rating    `json:"current"`
	NextReview time.Time `json:"next_review"`

	ReviewerName string `json:"reviewer_name,omitempty"`
}

// Validate checks a review made on today.
func (r *Review) Validate(today time.Time) error {
	var v fault.Validation
	r.Justification = strings.TrimSpace(r.Justification)
	if r.Justification == "" {
		v.Add("justification", "Say what the review found and why the scores stand or changed")
	}
	r.Current.check(&v, "current", "current")
	switch {
	case r.NextReview.IsZero():
		v.Add("next_review", "Enter the date of the next review")
	case !day(r.NextReview).After(day(today)):
		v.Add("next_review", "The next review must be after today")
	case day(r.NextReview).After(day(today).AddDate(1, 0, 0)):
		v.Add("next_review", "Review a risk at least once a year")
	}
	return v.Err("The review could not be recorded")
}

// AcceptanceStatus is where a proposal to accept a risk stands.
type AcceptanceStatus string

const (
	Proposed AcceptanceStatus = "proposed"
	Approved AcceptanceStatus = "approved"
	Rejected AcceptanceStatus = "rejected"
	Revoked  AcceptanceStatus = "revoked"
	Expired  AcceptanceStatus = "expired"
)

// Acceptance is a proposal to tolerate a risk until an expiry date,
// approved or rejected by a named approver above the owner in the line.
type Acceptance struct {
	ID            int64            `json:"id"`
	RiskID        int64            `json:"risk_id"`
	ProposedBy    int64            `json:"proposed_by"`
	ProposedAt    time.Time        `json:"proposed_at"`
	Justification string           `json:"justification"`
	ApproverID    int64            `json:"approver_id"`
	Expires       *time.Time       `json:"expires"`
	Status        AcceptanceStatus `json:"status"`
	DecidedAt     *time.Time       `json:"decided_at"`
	Note          string           `json:"note,omitempty"`

	ProposerName string `json:"proposer_name,omitempty"`
	ApproverName string `json:"approver_name,omitempty"`
}

// Validate checks a proposal made on today.
func (a *Acceptance) Validate(today time.Time) error {
	var v fault.Validation
	a.Justification = strings.TrimSpace(a.Justification)
	if a.Justification == "" {
		v.Add("justification", "Say why the risk should be accepted rather than treated")
	}
	if a.ApproverID <= 0 {
		v.Add("approver_id", "Choose who is to approve the acceptance")
	}
	switch {
	case a.Expires == nil || a.Expires.IsZero():
		v.Add("expires", "Enter the date the acceptance expires: a risk is accepted for a time, then reviewed")
	case !day(*a.Expires).After(day(today)):
		v.Add("expires", "The expiry date must be after today")
	case day(*a.Expires).After(day(today).AddDate(1, 0, 0)):
		v.Add("expires", "Accept a risk for at most a year")
	}
	return v.Err("The acceptance could not be proposed")
}

// ScorePoint is one rescoring of a risk, kept for ever: the history that
// trends and "as at" views are made from.
type ScorePoint struct {
	RiskID       int64     `json:"risk_id"`
	At           time.Time `json:"at"`
	Inherent     Rating    `json:"inherent"`
	Current      Rating    `json:"current"`
	Target       Rating    `json:"target"`
	ScaleVersion int       `json:"scale_version"`
	Status       Status    `json:"status"`
	ByID         *int64    `json:"by_id"`
	ByName       string    `json:"by_name,omitempty"`
	Note         string    `json:"note,omitempty"`
}

// Seed is a risk as an existing register (or the demo) records it:
// units, locations, people and links named rather than numbered, and the
// scores it had before, so a register brought in keeps its history.
type Seed struct {
	Risk       Risk
	Unit       string // unit code
	Location   string // location code, or ""
	OwnerEmail string
	ParentRef  string
	Related    []string // references of related risks
	Raised     time.Time
	// Rescores are the later scorings, oldest first: each sets the current
	// rating and status from its At on. The last is where the risk stands.
	Rescores []ScorePoint
	Measures []SeedMeasure
}

// SeedMeasure is a counter-measure of a Seed.
type SeedMeasure struct {
	Description string
	OwnerEmail  string
	Due         time.Time
	Status      MeasureStatus
}

// SpreadsheetColumns are the columns a register is imported from and
// exported to, one row per risk (docs/import-formats.md). An export
// writes them all, so it imports back.
var SpreadsheetColumns = []string{"title", "cause", "event", "consequence", "category", "unit", "owner",
	"inherent_likelihood", "inherent_impact", "current_likelihood", "current_impact", "target_likelihood", "target_impact",
	"review_months", "next_review"}

// SpreadsheetOptionalColumns may be left out of an import, or empty.
var SpreadsheetOptionalColumns = []string{"reference", "location", "themes", "target_date", "proximity", "treatment", "status",
	"accepted_until", "closed_on", "parent", "related", "project", "raised_on"}
