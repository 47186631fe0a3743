package casework

import (
	"strings"

	"caseboard/internal/deadline"
	"caseboard/internal/fault"
)

// Case progression: the hearings of a case, the directions the court gave
// at them, and the key documents a case must keep current. Directions
// carry a due date and a completion date so that "timely Crown Court
// directions" (report Annex A) is counted from the records, not estimated.

// HearingKind is what a hearing was for.
type HearingKind string

const (
	FirstAppearance    HearingKind = "first_appearance"
	Plea               HearingKind = "plea_and_trial_preparation"
	Mention            HearingKind = "mention"
	Trial              HearingKind = "trial"
	Sentence           HearingKind = "sentence"
	ExtraditionHearing HearingKind = "extradition_hearing"
	Appeal             HearingKind = "appeal"
	OtherHearing       HearingKind = "other"
)

// HearingKinds lists every kind of hearing with its label, in the order a
// case meets them.
var HearingKinds = []struct {
	Code  HearingKind
	Label string
}{
	{FirstAppearance, "First appearance"},
	{Plea, "Plea and trial preparation hearing"},
	{Mention, "Mention"},
	{Trial, "Trial"},
	{Sentence, "Sentence"},
	{ExtraditionHearing, "Extradition hearing"},
	{Appeal, "Appeal"},
	{OtherHearing, "Other"},
}

// Valid reports whether k is a known kind of hearing.
func (k HearingKind) Valid() bool { return k.Label() != "" }

// Label is the kind's name in words, or "" for an unknown kind.
func (k HearingKind) Label() string {
	for _, h := range HearingKinds {
		if h.Code == k {
			return h.Label
		}
	}
	return ""
}

// Hearing is one listing of a case before a court.
type Hearing struct {
	ID     int64         `json:"id"`
	CaseID int64         `json:"case_id"`
	Kind   HearingKind   `json:"kind"`
	Court  Court         `json:"court"`  // MC or CC; extradition hearings are at Westminster Magistrates' Court
	Centre string        `json:"centre"` // the court centre, e.g. Southwark
	On     deadline.Date `json:"on"`
	Note   string        `json:"note"`
}

// Validate checks a hearing before it is stored.
func (h *Hearing) Validate() error {
	var v fault.Validation
	if !h.Kind.Valid() {
		v.Add("kind", "Choose what the hearing was for")
	}
	if !h.Court.Valid() {
		v.Add("court", "Choose the magistrates' court (MC) or the Crown Court (CC)")
	}
	h.Centre, h.Note = strings.TrimSpace(h.Centre), strings.TrimSpace(h.Note)
	if len(h.Centre) > 100 {
		v.Add("centre", "Enter the court centre in up to 100 characters")
	}
	if len(h.Note) > 2000 {
		v.Add("note", "Keep the note to 2,000 characters")
	}
	checkDay(&v, "on", h.On, "Enter the date of the hearing")
	return v.Err("The hearing could not be saved")
}

// Direction is an order of the court that a party do something by a date.
type Direction struct {
	ID          int64          `json:"id"`
	CaseID      int64          `json:"case_id"`
	HearingID   *int64         `json:"hearing_id"` // the hearing it was given at, if recorded
	Court       Court          `json:"court"`
	Description string         `json:"description"`
	Due         deadline.Date  `json:"due"`
	CompletedOn *deadline.Date `json:"completed_on"`
}

// DirectionState is where a direction stands on a day.
type DirectionState string

const (
	DirectionDue       DirectionState = "due"
	DirectionOverdue   DirectionState = "overdue"
	DirectionOnTime    DirectionState = "completed_on_time"
	DirectionCompleted DirectionState = "completed_late"
)

// Validate checks a direction; today bounds its completion date, since a
// direction cannot be recorded as done on a day still to come.
func (d *Direction) Validate(today deadline.Date) error {
	var v fault.Validation
	d.Description = strings.TrimSpace(d.Description)
	if d.Description == "" || len(d.Description) > 500 {
		v.Add("description", "Enter what the court directed, up to 500 characters")
	}
	if !d.Court.Valid() {
		v.Add("court", "Choose the magistrates' court (MC) or the Crown Court (CC)")
	}
	checkDay(&v, "due", d.Due, "Enter the date the direction is due")
	if d.CompletedOn != nil {
		checkDay(&v, "completed_on", *d.CompletedOn, "Enter the date the direction was complied with")
		if d.CompletedOn.After(today) {
			v.Add("completed_on", "The date it was complied with cannot be in the future")
		}
	}
	return v.Err("The direction could not be saved")
}

// State reports whether the direction is due, overdue, or was complied
// with on time or late, as on today.
func (d *Direction) State(today deadline.Date) DirectionState {
	switch {
	case d.CompletedOn != nil && d.CompletedOn.After(d.Due):
		return DirectionCompleted
	case d.CompletedOn != nil:
		return DirectionOnTime
	case today.After(d.Due):
		return DirectionOverdue
	}
	return DirectionDue
}

// Timely reports whether the direction was complied with by its due date.
func (d *Direction) Timely() bool { return d.State(d.Due) == DirectionOnTime }

// DocumentKind is one of the documents every case keeps current.
type DocumentKind string

const (
	ProsecutionStrategy   DocumentKind = "prosecution_strategy"
	DisclosureManagement  DocumentKind = "disclosure_management"
	DisclosureRecordSheet DocumentKind = "disclosure_record_sheet"
	MediaForm             DocumentKind = "media_form"
)

// DocumentKindInfo says what a key document is and how often it must be
// brought up to date; zero months means once is enough.
type DocumentKindInfo struct {
	Code         DocumentKind
	Label        string
	ReviewMonths int
}

// DocumentKinds lists the key documents. The review intervals are the
// division's defaults: the prosecution strategy and disclosure management
// documents are living documents reviewed at least quarterly, the
// disclosure record sheet monthly while disclosure runs.
var DocumentKinds = []DocumentKindInfo{
	{ProsecutionStrategy, "Prosecution strategy document", 3},
	{DisclosureManagement, "Disclosure management document", 3},
	{DisclosureRecordSheet, "Disclosure record sheet", 1},
	{MediaForm, "Media handling form", 0},
}

// Info returns what the kind is, and false for an unknown kind.
func (k DocumentKind) Info() (DocumentKindInfo, bool) {
	for _, info := range DocumentKinds {
		if info.Code == k {
			return info, true
		}
	}
	return DocumentKindInfo{}, false
}

// KeyDocument is the state of one key document of a case.
type KeyDocument struct {
	CaseID    int64          `json:"case_id"`
	Kind      DocumentKind   `json:"kind"`
	UpdatedOn *deadline.Date `json:"updated_on"` // nil: the case has none yet
	Note      string         `json:"note"`
}

// DocumentState is where a key document stands on a day.
type DocumentState string

const (
	DocumentMissing DocumentState = "missing"
	DocumentCurrent DocumentState = "current"
	DocumentDueSoon DocumentState = "due_soon" // within a week of its review date
	DocumentOverdue DocumentState = "overdue"
)

// Validate checks a key document's record.
func (k *KeyDocument) Validate(today deadline.Date) error {
	var v fault.Validation
	if _, ok := k.Kind.Info(); !ok {
		v.Add("kind", "Choose one of the key documents")
	}
	k.Note = strings.TrimSpace(k.Note)
	if len(k.Note) > 500 {
		v.Add("note", "Keep the note to 500 characters")
	}
	if k.UpdatedOn != nil {
		checkDay(&v, "updated_on", *k.UpdatedOn, "Enter the date the document was last brought up to date")
		if k.UpdatedOn.After(today) {
			v.Add("updated_on", "The date it was updated cannot be in the future")
		}
	}
	return v.Err("The document's status could not be saved")
}

// NextReview is the day the document must next be brought up to date,
// zero when it needs no review or does not exist yet.
func (k *KeyDocument) NextReview() deadline.Date {
	info, _ := k.Kind.Info()
	if k.UpdatedOn == nil || info.ReviewMonths == 0 {
		return deadline.Date{}
	}
	return k.UpdatedOn.AddMonths(info.ReviewMonths)
}

// State reports whether the document is missing, current, due for review
// within a week, or overdue, as on today.
func (k *KeyDocument) State(today deadline.Date) DocumentState {
	if k.UpdatedOn == nil {
		return DocumentMissing
	}
	next := k.NextReview()
	switch {
	case next.IsZero():
		return DocumentCurrent
	case today.After(next):
		return DocumentOverdue
	case next.Sub(today) <= 7:
		return DocumentDueSoon
	}
	return DocumentCurrent
}

// checkDay refuses a missing date and dates outside the years casework
// can have happened in: a typing slip such as 1900 or 2108 is caught here.
func checkDay(v *fault.Validation, field string, d deadline.Date, missing string) {
	switch {
	case d.IsZero():
		v.Add(field, missing)
	case d.Year() < 1990 || d.Year() > 2100:
		v.Add(field, "Enter a date between 1990 and 2100")
	}
}
