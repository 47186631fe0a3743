package plan

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"caseboard/internal/fault"
)

// ActionStatus is how an action is going, as its owner last reported it.
type ActionStatus string

const (
	NotStarted ActionStatus = "not_started"
	OnTrack    ActionStatus = "on_track"
	AtRisk     ActionStatus = "at_risk"
	Late       ActionStatus = "late"
	Done       ActionStatus = "done"
)

// ActionStatuses lists the statuses in order.
var ActionStatuses = []ActionStatus{NotStarted, OnTrack, AtRisk, Late, Done}

// Valid reports whether s is a known status.
func (s ActionStatus) Valid() bool {
	return s == NotStarted || s == OnTrack || s == AtRisk || s == Late || s == Done
}

// Label is the status for people.
func (s ActionStatus) Label() string {
	switch s {
	case NotStarted:
		return "Not started"
	case OnTrack:
		return "On track"
	case AtRisk:
		return "At risk"
	case Late:
		return "Late"
	case Done:
		return "Done"
	}
	return string(s)
}

// RAG is an action's red, amber or green rating, or complete.
type RAG string

const (
	Red      RAG = "red"
	Amber    RAG = "amber"
	Green    RAG = "green"
	Complete RAG = "complete"
)

// Label is the rating for people.
func (r RAG) Label() string {
	switch r {
	case Red:
		return "Red"
	case Amber:
		return "Amber"
	case Green:
		return "Green"
	case Complete:
		return "Complete"
	}
	return string(r)
}

// dueSoon is how near its target date an action that has not started is
// rated amber.
const dueSoon = 30

// Action is one step of a finding's action plan.
type Action struct {
	ID            int64        `json:"id"`
	FindingID     int64        `json:"finding_id"`
	Title         string       `json:"title"`
	Detail        string       `json:"detail,omitempty"`
	OwnerID       int64        `json:"owner_id"`
	DueOn         time.Time    `json:"due_on"`          // the current target date
	OriginalDueOn time.Time    `json:"original_due_on"` // the first target date, kept
	Status        ActionStatus `json:"status"`
	ClosedOn      *time.Time   `json:"closed_on,omitempty"`
	ClosedByID    *int64       `json:"closed_by_id,omitempty"` // the accountable owner who signed it off
	ClosureNote   string       `json:"closure_note,omitempty"`
	CreatedAt     time.Time    `json:"created_at"`
	UpdatedAt     time.Time    `json:"updated_at"`

	// Computed or resolved for display.
	OwnerName     string       `json:"owner_name,omitempty"`
	OwnerEmail    string       `json:"owner_email,omitempty"`
	ClosedByName  string       `json:"closed_by_name,omitempty"`
	Effective     ActionStatus `json:"effective_status"` // Status, or late once past its date
	Rating        RAG          `json:"rag"`
	TargetChanges int          `json:"target_changes"`
}

// EffectiveStatus is the status as of today: an action not done whose
// target date has passed is late whatever was last reported.
func (a Action) EffectiveStatus(today time.Time) ActionStatus {
	if a.Status == Done {
		return Done
	}
	if a.DueOn.Before(dateOf(today)) {
		return Late
	}
	return a.Status
}

// RAGOn rates the action as of today: complete when done; red when late;
// amber when at risk, or not started within 30 days of its date; green
// otherwise.
func (a Action) RAGOn(today time.Time) RAG {
	switch a.EffectiveStatus(today) {
	case Done:
		return Complete
	case Late:
		return Red
	case AtRisk:
		return Amber
	case NotStarted:
		if a.DueOn.Sub(dateOf(today)) <= dueSoon*24*time.Hour {
			return Amber
		}
	}
	return Green
}

// Compute fills in the effective status and rating as of today.
func (a *Action) Compute(today time.Time) {
	a.Effective, a.Rating = a.EffectiveStatus(today), a.RAGOn(today)
}

// Slipped reports whether the action's target date has moved later than
// first set.
func (a Action) Slipped() bool { return a.DueOn.After(a.OriginalDueOn) }

// SlipDays is how many days later than first set the target date is.
func (a Action) SlipDays() int { return int(a.DueOn.Sub(a.OriginalDueOn).Hours() / 24) }

func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ValidateNew checks a new action of a finding of a report published on
// published: it must have a title, an owner and a target date no earlier
// than the publication, and starts not done (an action is done only by
// being closed with evidence).
func (a *Action) ValidateNew(f Finding) error {
	var v fault.Validation
	a.Title, a.Detail = strings.TrimSpace(a.Title), strings.TrimSpace(a.Detail)
	if !f.Kind.Acted() {
		return fault.Errorf(fault.Invalid, "Good practice has no action plan")
	}
	if f.Status.Closed() {
		return fault.Errorf(fault.Conflict, "%s is closed: reopen it before adding actions", f.Name())
	}
	required(&v, "title", a.Title, "Enter what will be done", 300)
	maxLen(&v, "detail", a.Detail, 10000)
	if a.OwnerID <= 0 {
		v.Add("owner_id", "Choose who owns the action")
	}
	if a.Status == "" {
		a.Status = NotStarted
	}
	if !a.Status.Valid() {
		v.Add("status", "Choose not started, on track, at risk or late")
	} else if a.Status == Done {
		v.Add("status", "An action is done when it is closed with its evidence, not when it is created")
	}
	checkTarget(&v, "due_on", a.DueOn, f)
	a.OriginalDueOn = a.DueOn
	return v.Err("The action could not be added")
}

func checkTarget(v *fault.Validation, field string, due time.Time, f Finding) {
	if due.IsZero() {
		v.Add(field, "Enter the target date")
	} else if due.Before(dateOf(f.PublishedOn)) {
		v.Add(field, fmt.Sprintf("The target date cannot be before the report was published (%s)", f.PublishedOn.Format("2 January 2006")))
	} else if due.Year() > 2200 {
		v.Add(field, "Enter a target date before 2200")
	}
}

// Milestone is a dated step within an action.
type Milestone struct {
	ID       int64      `json:"id"`
	ActionID int64      `json:"action_id"`
	Title    string     `json:"title"`
	DueOn    time.Time  `json:"due_on"`
	DoneOn   *time.Time `json:"done_on,omitempty"`
}

// Validate checks a milestone of an action of f.
func (m *Milestone) Validate(f Finding) error {
	var v fault.Validation
	m.Title = strings.TrimSpace(m.Title)
	required(&v, "title", m.Title, "Enter the milestone", 300)
	checkTarget(&v, "due_on", m.DueOn, f)
	if m.DoneOn != nil && m.DoneOn.Before(dateOf(f.PublishedOn)) {
		v.Add("done_on", "A milestone cannot be done before the report was published")
	}
	return v.Err("The milestone could not be saved")
}

// TargetChange is a change of an action's target date, kept for good: the
// dates, the reason and who approved it (HM Treasury's guidance on
// committee recommendations asks that slipped dates be visible).
type TargetChange struct {
	ID           int64     `json:"id"`
	ActionID     int64     `json:"action_id"`
	From         time.Time `json:"from"`
	To           time.Time `json:"to"`
	Reason       string    `json:"reason"`
	ApprovedByID int64     `json:"approved_by_id"`
	RecordedByID *int64    `json:"recorded_by_id,omitempty"`
	RecordedAt   time.Time `json:"recorded_at"`

	ApprovedByName string `json:"approved_by_name,omitempty"`
	RecordedByName string `json:"recorded_by_name,omitempty"`
}

// Validate checks a change of a's target date.
func (c *TargetChange) Validate(f Finding, a Action) error {
	var v fault.Validation
	c.Reason = strings.TrimSpace(c.Reason)
	if a.Status == Done {
		return fault.Errorf(fault.Conflict, "The action is closed: its target date no longer changes")
	}
	c.From = a.DueOn
	checkTarget(&v, "to", c.To, f)
	if !c.To.IsZero() && c.To.Equal(a.DueOn) {
		v.Add("to", "The new target date is the same as the current one")
	}
	required(&v, "reason", c.Reason, "Say why the target date changes", 5000)
	if c.ApprovedByID <= 0 {
		v.Add("approved_by_id", "Choose who approved the change")
	}
	return v.Err("The target date could not be changed")
}

// Update is a progress report on an action: its status then, with
// commentary.
type Update struct {
	ID         int64        `json:"id"`
	ActionID   int64        `json:"action_id"`
	Status     ActionStatus `json:"status"`
	Commentary string       `json:"commentary"`
	AuthorID   *int64       `json:"author_id,omitempty"`
	Author     string       `json:"author"`
	At         time.Time    `json:"at"`
}

// Validate checks an update of a.
func (u *Update) Validate(a Action) error {
	var v fault.Validation
	u.Commentary = strings.TrimSpace(u.Commentary)
	if a.Status == Done {
		return fault.Errorf(fault.Conflict, "The action is closed: it takes no more updates")
	}
	if u.Status == "" {
		u.Status = a.Status
	}
	if !u.Status.Valid() {
		v.Add("status", "Choose not started, on track, at risk or late")
	} else if u.Status == Done {
		v.Add("status", "An action is done when it is closed with its evidence and signed off; use Close")
	}
	required(&v, "commentary", u.Commentary, "Say how the action is going", 10000)
	return v.Err("The update could not be recorded")
}

// EvidenceKind is what an action cites as evidence.
type EvidenceKind string

const (
	// EvidenceDocument is a document outside caseboard, named and
	// located in Ref (e.g. "Risk management strategy v1.0, SMT 12 March 2019").
	EvidenceDocument EvidenceKind = "document"
	// EvidenceCase is a case in the register, by id.
	EvidenceCase EvidenceKind = "case"
	// EvidenceMeasure is a performance measure computed from the records,
	// by code.
	EvidenceMeasure EvidenceKind = "measure"
	// EvidenceCheck is an evidence check, by code: its result is watched
	// for as long as the action is cited.
	EvidenceCheck EvidenceKind = "check"
	// EvidenceRisk is a risk in the register, by id: its page shows its
	// scores, reviews and counter-measures as they stand.
	EvidenceRisk EvidenceKind = "risk"
	// EvidenceArticle is an article in the knowledge repository, by id.
	EvidenceArticle EvidenceKind = "article"
	// EvidenceContinuityPlan is a business continuity plan, by id, with
	// the exercises recorded on it.
	EvidenceContinuityPlan EvidenceKind = "continuity_plan"
)

// EvidenceKinds lists what an action may cite, with labels; the store
// checks that each cited record exists and may be seen, and links to it.
var EvidenceKinds = []struct {
	Kind  EvidenceKind
	Label string
}{
	{EvidenceDocument, "A document (named, with where it is kept)"},
	{EvidenceCase, "A case in the register (its id)"},
	{EvidenceMeasure, "A performance measure (its code)"},
	{EvidenceCheck, "An evidence check (its code)"},
	{EvidenceRisk, "A risk in the register (its id)"},
	{EvidenceArticle, "A knowledge article (its id)"},
	{EvidenceContinuityPlan, "A business continuity plan and its exercises (its id)"},
}

// Valid reports whether k is a kind an action may cite.
func (k EvidenceKind) Valid() bool {
	for _, e := range EvidenceKinds {
		if e.Kind == k {
			return true
		}
	}
	return false
}

// Measures are the performance measures an action may cite.
var Measures = map[string]string{
	"outcomes": "Outcome measures: conviction and guilty plea rates by court",
}

// Evidence is a record an action cites.
type Evidence struct {
	ID        int64        `json:"id"`
	ActionID  int64        `json:"action_id"`
	Kind      EvidenceKind `json:"kind"`
	Ref       string       `json:"ref"`
	Note      string       `json:"note,omitempty"`
	AddedByID *int64       `json:"added_by_id,omitempty"`
	AddedAt   time.Time    `json:"added_at"`

	// Resolved for display: what it is and where to see it.
	Label string `json:"label,omitempty"`
	Href  string `json:"href,omitempty"`
}

var numeric = regexp.MustCompile(`^[1-9][0-9]{0,17}$`)

// Validate checks the citation's form; the store checks that the record
// it names exists.
func (e *Evidence) Validate() error {
	var v fault.Validation
	e.Ref, e.Note = strings.TrimSpace(e.Ref), strings.TrimSpace(e.Note)
	if !e.Kind.Valid() {
		v.Add("kind", "Choose what kind of record is cited")
	}
	switch {
	case e.Ref == "":
		v.Add("ref", "Say which record is cited")
	case len(e.Ref) > 500:
		v.Add("ref", "Use at most 500 characters")
	case e.Kind == EvidenceCase && !numeric.MatchString(e.Ref):
		v.Add("ref", "Enter the case's number, as in its address /cases/NUMBER")
	case e.Kind == EvidenceMeasure && Measures[e.Ref] == "":
		v.Add("ref", fmt.Sprintf("There is no measure %q", e.Ref))
	}
	maxLen(&v, "note", e.Note, 2000)
	return v.Err("The evidence could not be added")
}

// ActionClosure closes an action: the accountable owner signs off that it
// is done, on the evidence cited.
type ActionClosure struct {
	On   time.Time `json:"on"`
	Note string    `json:"note"` // what the evidence shows
}

// ValidateClose checks closing a, given the evidence it cites: closure
// needs at least one piece of evidence and a note of what it shows.
func (c *ActionClosure) ValidateClose(f Finding, a Action, evidence []Evidence) error {
	var v fault.Validation
	c.Note = strings.TrimSpace(c.Note)
	if a.Status == Done {
		return fault.Errorf(fault.Conflict, "The action is already closed")
	}
	if len(evidence) == 0 {
		v.Add("evidence", "Cite the evidence that the action is done before closing it: a document, a case, a measure or an evidence check")
	}
	required(&v, "note", c.Note, "Say what the evidence shows", 10000)
	if c.On.IsZero() {
		v.Add("on", "Enter the date it closed")
	} else if c.On.Before(dateOf(f.PublishedOn)) {
		v.Add("on", "An action cannot close before the report was published")
	}
	return v.Err("The action could not be closed")
}
