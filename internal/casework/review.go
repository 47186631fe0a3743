package casework

import (
	"cmp"
	"strings"
	"time"

	"caseboard/internal/deadline"
	"caseboard/internal/fault"
)

// Reviews are the meetings and reports that surround a case's progress:
// case management panels, disclosure gateway reviews (report 3.5),
// handovers when a case changes lawyer (3.12), adverse outcome reports and
// de-briefs at the end of a case. Each can agree actions with an owner and
// a due date, which join the owner's work list until done.

// ReviewKind is what kind of review a record is.
type ReviewKind string

const (
	LocalPanel        ReviewKind = "local_panel"
	DirectorsPanel    ReviewKind = "directors_panel"
	DisclosureGateway ReviewKind = "disclosure_gateway"
	Handover          ReviewKind = "handover"
	AdverseOutcome    ReviewKind = "adverse_outcome"
	Debrief           ReviewKind = "debrief"
)

// ReviewKindInfo names a kind and says what its two text fields hold.
type ReviewKindInfo struct {
	Code          ReviewKind
	Label         string
	SummaryLabel  string
	LearningLabel string // "" where the kind has no learning field
}

// ReviewKinds lists every kind of review.
var ReviewKinds = []ReviewKindInfo{
	{LocalPanel, "Local case management panel", "Issues and risks discussed", ""},
	{DirectorsPanel, "Director's case management panel", "Issues and risks discussed", ""},
	{DisclosureGateway, "Disclosure gateway review", "Issues the reviewers raised", ""},
	{Handover, "Handover to a new lawyer", "What the new lawyer needs to know", ""},
	{AdverseOutcome, "Adverse outcome report", "What happened and why", "Learning for the division"},
	{Debrief, "De-brief", "What worked", "What to change next time"},
}

// Info returns what the kind is, and false for an unknown kind.
func (k ReviewKind) Info() (ReviewKindInfo, bool) {
	for _, info := range ReviewKinds {
		if info.Code == k {
			return info, true
		}
	}
	return ReviewKindInfo{}, false
}

// CaseReview is one panel, gateway review, handover, adverse outcome report or
// de-brief of a case.
type CaseReview struct {
	ID       int64         `json:"id"`
	CaseID   int64         `json:"case_id"`
	Kind     ReviewKind    `json:"kind"`
	Held     deadline.Date `json:"held"`
	Members  string        `json:"members"` // who took part
	Summary  string        `json:"summary"`
	Learning string        `json:"learning"`
	// Handovers name the lawyer handing over and the one taking over.
	FromLawyerID *int64 `json:"from_lawyer_id"`
	ToLawyerID   *int64 `json:"to_lawyer_id"`
	// ShareWithAgency marks a de-brief the investigating agency may have.
	ShareWithAgency bool           `json:"share_with_agency"`
	Actions         []ReviewAction `json:"actions"`
	RecordedBy      int64          `json:"recorded_by"`
	RecordedAt      time.Time      `json:"recorded_at"`
}

// ReviewAction is an action agreed at a review, or an item a handover's
// new lawyer must check off.
type ReviewAction struct {
	ID          int64          `json:"id"`
	ReviewID    int64          `json:"review_id"`
	Description string         `json:"description"`
	OwnerID     *int64         `json:"owner_id"`
	Due         deadline.Date  `json:"due"`
	DoneOn      *deadline.Date `json:"done_on"`
}

// Validate checks a review and its actions; today bounds the dates that
// must already have happened.
func (r *CaseReview) Validate(today deadline.Date) error {
	var v fault.Validation
	info, ok := r.Kind.Info()
	if !ok {
		v.Add("kind", "Choose what kind of review this is")
	}
	checkDay(&v, "held", r.Held, "Enter the date it was held")
	if r.Held.After(today) {
		v.Add("held", "Record a review once it has been held: the date cannot be in the future")
	}
	r.Members, r.Summary, r.Learning = strings.TrimSpace(r.Members), strings.TrimSpace(r.Summary), strings.TrimSpace(r.Learning)
	if len(r.Members) > 1000 {
		v.Add("members", "Keep the list of members to 1,000 characters")
	}
	if r.Summary == "" || len(r.Summary) > 10000 {
		v.Add("summary", "Enter "+strings.ToLower(cmp.Or(info.SummaryLabel, "a summary"))+", up to 10,000 characters")
	}
	if info.LearningLabel != "" && (r.Learning == "" || len(r.Learning) > 10000) {
		v.Add("learning", "Enter "+strings.ToLower(info.LearningLabel)+", up to 10,000 characters")
	}
	if r.Kind == Handover {
		switch {
		case r.ToLawyerID == nil:
			v.Add("to_lawyer_id", "Choose the lawyer taking the case over")
		case r.FromLawyerID != nil && *r.FromLawyerID == *r.ToLawyerID:
			v.Add("to_lawyer_id", "A case is handed over to a different lawyer")
		}
	}
	if r.ShareWithAgency && r.Kind != Debrief {
		v.Add("share_with_agency", "Only a de-brief is shared with the investigating agency")
	}
	for i := range r.Actions {
		r.Actions[i].check(&v, r.Held, today)
	}
	return v.Err("The " + strings.ToLower(cmp.Or(info.Label, "review")) + " could not be recorded")
}

func (a *ReviewAction) check(v *fault.Validation, held, today deadline.Date) {
	a.Description = strings.TrimSpace(a.Description)
	if a.Description == "" || len(a.Description) > 500 {
		v.Add("actions", "Describe every action, up to 500 characters each")
	}
	checkDay(v, "actions", a.Due, "Give every action a due date")
	if !a.Due.IsZero() && a.Due.Before(held) {
		v.Add("actions", "An action cannot be due before the review that agreed it")
	}
	if a.DoneOn != nil && a.DoneOn.After(today) {
		v.Add("actions", "An action cannot be done on a day still to come")
	}
}

// Open reports whether the action is still to do.
func (a *ReviewAction) Open() bool { return a.DoneOn == nil }
