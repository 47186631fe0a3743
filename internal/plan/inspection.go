package plan

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"caseboard/internal/fault"
)

// Inspection is an inspection or review and its report.
type Inspection struct {
	ID            int64      `json:"id"`
	Body          string     `json:"body"`  // the inspectorate, e.g. HMCPSI
	Title         string     `json:"title"` // the report's title
	Type          string     `json:"type"`  // e.g. "Division inspection", "Thematic review"
	Reference     string     `json:"reference,omitempty"`
	Organisation  string     `json:"organisation"` // what was inspected
	PublishedOn   time.Time  `json:"published_on"`
	FieldworkFrom *time.Time `json:"fieldwork_from,omitempty"`
	FieldworkTo   *time.Time `json:"fieldwork_to,omitempty"`
	FrameworkID   *int64     `json:"framework_id,omitempty"`
	Summary       string     `json:"summary,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`

	// Resolved for display.
	FrameworkCode string `json:"framework_code,omitempty"`
	Counts        Counts `json:"counts"`
}

// Counts summarises an inspection's findings.
type Counts struct {
	Recommendations int `json:"recommendations"`
	Aspects         int `json:"aspects_for_improvement"`
	GoodPractice    int `json:"good_practice"`
	Open            int `json:"open"`
	Closed          int `json:"closed"`
}

// Validate checks an inspection's fields.
func (in *Inspection) Validate() error {
	var v fault.Validation
	in.Body, in.Title, in.Type = strings.TrimSpace(in.Body), strings.TrimSpace(in.Title), strings.TrimSpace(in.Type)
	in.Reference, in.Organisation, in.Summary = strings.TrimSpace(in.Reference), strings.TrimSpace(in.Organisation), strings.TrimSpace(in.Summary)
	required(&v, "body", in.Body, "Enter the inspectorate, e.g. HMCPSI", 200)
	required(&v, "title", in.Title, "Enter the report's title", 500)
	required(&v, "organisation", in.Organisation, "Enter what was inspected", 300)
	maxLen(&v, "type", in.Type, 200)
	maxLen(&v, "reference", in.Reference, 200)
	maxLen(&v, "summary", in.Summary, 10000)
	if in.PublishedOn.IsZero() {
		v.Add("published_on", "Enter the date the report was published")
	}
	if in.FieldworkFrom != nil && in.FieldworkTo != nil && in.FieldworkTo.Before(*in.FieldworkFrom) {
		v.Add("fieldwork_to", "The end of fieldwork must be on or after its start")
	}
	if in.FieldworkTo != nil && !in.PublishedOn.IsZero() && in.PublishedOn.Before(*in.FieldworkTo) {
		v.Add("fieldwork_to", "Fieldwork must end before the report is published")
	}
	if in.FieldworkFrom != nil && !in.PublishedOn.IsZero() && in.PublishedOn.Before(*in.FieldworkFrom) {
		v.Add("fieldwork_from", "Fieldwork must start before the report is published")
	}
	return v.Err("The inspection could not be saved")
}

// Kind is what a finding of a report is.
type Kind string

const (
	Recommendation Kind = "recommendation"
	Aspect         Kind = "aspect_for_improvement"
	GoodPractice   Kind = "good_practice"
)

// Kinds lists the kinds in the order a report gives them.
var Kinds = []Kind{Recommendation, Aspect, GoodPractice}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == Recommendation || k == Aspect || k == GoodPractice }

// Label is the kind as a report names it.
func (k Kind) Label() string {
	switch k {
	case Recommendation:
		return "Recommendation"
	case Aspect:
		return "Aspect for improvement"
	case GoodPractice:
		return "Good practice"
	}
	return string(k)
}

// Acted reports whether findings of the kind are acted on: recommendations
// and aspects for improvement have a response, a status and an action
// plan; good practice is recorded, not acted on.
func (k Kind) Acted() bool { return k == Recommendation || k == Aspect }

// Status is where a recommendation stands, as public audit reports it.
type Status string

const (
	Open                 Status = "open"
	ClosedImplemented    Status = "closed_implemented"
	ClosedNotImplemented Status = "closed_not_implemented"
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return s == Open || s == ClosedImplemented || s == ClosedNotImplemented }

// Closed reports whether s is one of the closed statuses.
func (s Status) Closed() bool { return s == ClosedImplemented || s == ClosedNotImplemented }

// Label is the status for people.
func (s Status) Label() string {
	switch s {
	case Open:
		return "Open"
	case ClosedImplemented:
		return "Closed – implemented"
	case ClosedNotImplemented:
		return "Closed – not implemented"
	}
	return ""
}

// Decision is the organisation's answer to a recommendation.
type Decision string

const (
	Accepted          Decision = "accepted"
	PartiallyAccepted Decision = "partially_accepted"
	NotAccepted       Decision = "not_accepted"
)

// Decisions lists the answers in order.
var Decisions = []Decision{Accepted, PartiallyAccepted, NotAccepted}

// Valid reports whether d is a known decision.
func (d Decision) Valid() bool { return d == Accepted || d == PartiallyAccepted || d == NotAccepted }

// Label is the decision for people.
func (d Decision) Label() string {
	switch d {
	case Accepted:
		return "Accepted"
	case PartiallyAccepted:
		return "Partially accepted"
	case NotAccepted:
		return "Not accepted"
	}
	return string(d)
}

// Response is the organisation's published response to a finding.
type Response struct {
	Decision Decision  `json:"decision"`
	Text     string    `json:"text"`
	On       time.Time `json:"on"`
}

// Validate checks a response against the report it answers.
func (r *Response) Validate(published time.Time) error {
	var v fault.Validation
	r.Text = strings.TrimSpace(r.Text)
	if !r.Decision.Valid() {
		v.Add("decision", "Choose accepted, partially accepted or not accepted")
	}
	required(&v, "text", r.Text, "Enter the response as published", 20000)
	if r.On.IsZero() {
		v.Add("on", "Enter the date of the response")
	} else if r.On.Before(published) {
		v.Add("on", fmt.Sprintf("The response cannot be dated before the report was published (%s)", published.Format("2 January 2006")))
	}
	return v.Err("The response could not be recorded")
}

// Finding is one product of an inspection: a recommendation, an aspect
// for improvement or good practice, with the paragraph of the report it
// comes from and the framework criteria it relates to.
type Finding struct {
	ID           int64      `json:"id"`
	InspectionID int64      `json:"inspection_id"`
	Kind         Kind       `json:"kind"`
	Number       int        `json:"number"`
	Text         string     `json:"text"`
	Paragraph    string     `json:"paragraph"`
	Criteria     []string   `json:"criteria"`
	Status       Status     `json:"status,omitempty"`
	OwnerID      *int64     `json:"owner_id,omitempty"` // the accountable owner, who signs off closure
	Response     *Response  `json:"response,omitempty"`
	ClosedOn     *time.Time `json:"closed_on,omitempty"`
	ClosedByID   *int64     `json:"closed_by_id,omitempty"`
	ClosureNote  string     `json:"closure_note,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`

	// Resolved for display.
	OwnerName       string    `json:"owner_name,omitempty"`
	ClosedByName    string    `json:"closed_by_name,omitempty"`
	InspectionTitle string    `json:"inspection_title,omitempty"`
	InspectionBody  string    `json:"inspection_body,omitempty"`
	PublishedOn     time.Time `json:"published_on"`
}

// Name is how the report refers to the finding: "Recommendation 3".
func (f Finding) Name() string { return fmt.Sprintf("%s %d", f.Kind.Label(), f.Number) }

var paragraphPattern = regexp.MustCompile(`^[0-9A-Z]+(\.[0-9]+)*$`)

// Validate checks a finding's own fields; the store checks its criteria
// against the inspection's framework.
func (f *Finding) Validate() error {
	var v fault.Validation
	f.Text, f.Paragraph = strings.TrimSpace(f.Text), strings.TrimSpace(f.Paragraph)
	if !f.Kind.Valid() {
		v.Add("kind", "Choose recommendation, aspect for improvement or good practice")
	}
	if f.Number < 1 || f.Number > 999 {
		v.Add("number", "Enter the number the report gives it, from 1")
	}
	required(&v, "text", f.Text, "Enter the text as the report gives it", 20000)
	if f.Paragraph == "" {
		v.Add("paragraph", "Enter the paragraph of the report it comes from, e.g. 3.7")
	} else if !paragraphPattern.MatchString(f.Paragraph) {
		v.Add("paragraph", "Enter the paragraph as the report numbers it, e.g. 3.7")
	}
	seen := map[string]bool{}
	var criteria []string
	for _, c := range f.Criteria {
		c = strings.TrimSpace(c)
		if c == "" || seen[c] {
			continue
		}
		seen[c] = true
		criteria = append(criteria, c)
	}
	f.Criteria = criteria
	if f.Kind.Acted() {
		if f.Status == "" {
			f.Status = Open
		}
		if !f.Status.Valid() {
			v.Add("status", "Choose open, closed – implemented or closed – not implemented")
		}
	} else if f.Kind == GoodPractice {
		f.Status, f.OwnerID, f.Response = "", nil, nil
	}
	return v.Err("The finding could not be saved")
}

// Closure is the closing of a recommendation or aspect for improvement.
type Closure struct {
	Status Status    `json:"status"`
	On     time.Time `json:"on"`
	Note   string    `json:"note"`
}

// ValidateClosure checks closing f, given its actions: implemented needs
// every action done (and at least one); not implemented needs the reason.
func ValidateClosure(f Finding, actions []Action, c *Closure) error {
	var v fault.Validation
	c.Note = strings.TrimSpace(c.Note)
	if !f.Kind.Acted() {
		return fault.Errorf(fault.Invalid, "Good practice is recorded, not closed")
	}
	if f.Status.Closed() {
		return fault.Errorf(fault.Conflict, "%s is already %s", f.Name(), strings.ToLower(f.Status.Label()))
	}
	switch c.Status {
	case ClosedImplemented:
		if len(actions) == 0 {
			v.Add("status", "A recommendation is closed as implemented when its actions are done; it has none")
		}
		for _, a := range actions {
			if a.Status != Done {
				v.Add("status", fmt.Sprintf("Action %q is not done: close it, with its evidence, first", a.Title))
				break
			}
		}
	case ClosedNotImplemented:
		if c.Note == "" {
			v.Add("note", "Say why it is closed without being implemented")
		}
	default:
		v.Add("status", "Choose closed – implemented or closed – not implemented")
	}
	maxLen(&v, "note", c.Note, 10000)
	if c.On.IsZero() {
		v.Add("on", "Enter the date it closed")
	} else if c.On.Before(f.PublishedOn) {
		v.Add("on", "It cannot close before the report was published")
	}
	return v.Err("It could not be closed")
}

func required(v *fault.Validation, field, value, message string, max int) {
	if value == "" {
		v.Add(field, message)
		return
	}
	maxLen(v, field, value, max)
}

func maxLen(v *fault.Validation, field, value string, max int) {
	if len(value) > max {
		v.Add(field, fmt.Sprintf("Use at most %d characters", max))
	}
}

// ApplyEdit returns f with its words changed to those of edit: its number,
// text, paragraph and criteria. Its kind, status, owner and response are
// kept, so an edit corrects how the finding was transcribed and never
// what has been done about it.
func (f Finding) ApplyEdit(edit Finding) Finding {
	f.Number, f.Text, f.Paragraph = edit.Number, edit.Text, edit.Paragraph
	f.Criteria = append([]string(nil), edit.Criteria...)
	return f
}

// ValidateReopen checks reopening f: only a closed recommendation or
// aspect for improvement reopens, and the reason is kept with it.
func ValidateReopen(f Finding, reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if !f.Kind.Acted() {
		return reason, fault.Errorf(fault.Invalid, "Good practice is recorded, not closed or reopened")
	}
	if !f.Status.Closed() {
		return reason, fault.Errorf(fault.Conflict, "%s is open already", f.Name())
	}
	var v fault.Validation
	required(&v, "reason", reason, "Say why it is reopened", 10000)
	return reason, v.Err("It could not be reopened")
}

// Reopening is a closed finding opened again: when, by whom, why, and the
// closure it undid. The audit trail holds it; the finding's page shows it.
type Reopening struct {
	At          time.Time `json:"at"`
	By          string    `json:"by"`
	Reason      string    `json:"reason"`
	ClosedAs    Status    `json:"closed_as"`
	ClosureNote string    `json:"closure_note,omitempty"`
}
