// Package risk holds the division's one risk register: strategic,
// operational, casework and project risks of every unit and location,
// scored on a configurable 5x5 scale, owned, reviewed, mitigated by
// counter-measures, rolled up from casework to the division, and judged
// against the appetite the Head of Division sets for each category
// (report recommendation 3, paragraphs 3.2-3.13).
//
// It holds types and rules only: no SQL, no HTTP.
package risk

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"caseboard/internal/fault"
)

// Category is the level a risk is managed at.
type Category string

const (
	Strategic   Category = "strategic"
	Operational Category = "operational"
	Casework    Category = "casework"
	Project     Category = "project"
)

// Categories lists every category, from the division's down.
var Categories = []Category{Strategic, Operational, Casework, Project}

// Valid reports whether c is a known category.
func (c Category) Valid() bool { return slices.Contains(Categories, c) }

// Label is the category as people say it.
func (c Category) Label() string {
	switch c {
	case Strategic:
		return "Strategic"
	case Operational:
		return "Operational"
	case Casework:
		return "Casework"
	case Project:
		return "Project"
	}
	return string(c)
}

// Status is where a risk stands.
type Status string

const (
	Open     Status = "open"
	Closed   Status = "closed"
	Accepted Status = "accepted" // tolerated until an expiry date, through the acceptance workflow
)

// Statuses lists every status.
var Statuses = []Status{Open, Accepted, Closed}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// Label is the status as people say it.
func (s Status) Label() string {
	switch s {
	case Open:
		return "Open"
	case Closed:
		return "Closed"
	case Accepted:
		return "Accepted"
	}
	return string(s)
}

// Treatment is how the owner responds to a risk: the four Ts.
type Treatment string

const (
	Treat     Treatment = "treat"     // mitigate with counter-measures
	Tolerate  Treatment = "tolerate"  // accept, through the acceptance workflow
	Transfer  Treatment = "transfer"  // pass to another body (insurer, HQ, a partner)
	Terminate Treatment = "terminate" // stop the activity that gives rise to it
)

// Treatments lists every treatment.
var Treatments = []Treatment{Treat, Tolerate, Transfer, Terminate}

// Valid reports whether t is a known treatment.
func (t Treatment) Valid() bool { return slices.Contains(Treatments, t) }

// Label is the treatment as people say it.
func (t Treatment) Label() string {
	switch t {
	case Treat:
		return "Treat (mitigate)"
	case Tolerate:
		return "Tolerate (accept)"
	case Transfer:
		return "Transfer"
	case Terminate:
		return "Terminate (avoid)"
	}
	return string(t)
}

// Proximity is how soon a risk would materialise.
type Proximity string

const (
	Imminent Proximity = "imminent" // within three months
	Near     Proximity = "near"     // three to twelve months
	Medium   Proximity = "medium"   // one to three years
	Distant  Proximity = "distant"  // more than three years
)

// Proximities lists every proximity, soonest first.
var Proximities = []Proximity{Imminent, Near, Medium, Distant}

// Valid reports whether p is a known proximity.
func (p Proximity) Valid() bool { return slices.Contains(Proximities, p) }

// Label is the proximity as people say it.
func (p Proximity) Label() string {
	switch p {
	case Imminent:
		return "Within 3 months"
	case Near:
		return "3 to 12 months"
	case Medium:
		return "1 to 3 years"
	case Distant:
		return "Over 3 years"
	}
	return "Not set"
}

// Rating is a likelihood and an impact, each 1-5; zero is not scored.
type Rating struct {
	Likelihood int `json:"likelihood"`
	Impact     int `json:"impact"`
}

// Score is likelihood times impact, 1-25.
func (r Rating) Score() int { return r.Likelihood * r.Impact }

// Scored reports whether both parts are set.
func (r Rating) Scored() bool { return r.Likelihood != 0 || r.Impact != 0 }

func (r Rating) check(v *fault.Validation, field, name string) {
	if r.Likelihood < 1 || r.Likelihood > 5 {
		v.Add(field+"_likelihood", fmt.Sprintf("Score the %s likelihood from 1 to 5", name))
	}
	if r.Impact < 1 || r.Impact > 5 {
		v.Add(field+"_impact", fmt.Sprintf("Score the %s impact from 1 to 5", name))
	}
}

// ReviewIntervals are the review frequencies a risk may have, in months.
var ReviewIntervals = []int{1, 3, 6, 12}

// Risk is one entry of the register.
type Risk struct {
	ID        int64  `json:"id"`
	Reference string `json:"reference"`
	Title     string `json:"title"`
	// The description, in the Orange Book's three parts: because of a
	// cause, an event may happen, which would lead to a consequence.
	Cause       string   `json:"cause"`
	Event       string   `json:"event"`
	Consequence string   `json:"consequence"`
	Category    Category `json:"category"`
	UnitID      int64    `json:"unit_id"`
	LocationID  *int64   `json:"location_id"`
	OwnerID     int64    `json:"owner_id"`
	Themes      []string `json:"themes"`
	// Inherent is the score before counter-measures, Current the residual
	// score now, Target where the owner means to bring it by TargetDate.
	Inherent     Rating     `json:"inherent"`
	Current      Rating     `json:"current"`
	Target       Rating     `json:"target"`
	ScaleVersion int        `json:"scale_version"`
	TargetDate   *time.Time `json:"target_date"`
	Proximity    Proximity  `json:"proximity,omitempty"`
	Treatment    Treatment  `json:"treatment"`
	Status       Status     `json:"status"`
	// AcceptedUntil is set while the risk is accepted: on that date it
	// returns to open for review.
	AcceptedUntil *time.Time `json:"accepted_until"`
	ReviewMonths  int        `json:"review_months"`
	NextReview    time.Time  `json:"next_review"`
	ParentID      *int64     `json:"parent_id"`
	Related       []int64    `json:"related"`
	CaseIDs       []int64    `json:"case_ids"`
	// FindingIDs are the inspection findings (recommendations, aspects
	// for improvement, good practice) the risk answers to.
	FindingIDs []int64 `json:"finding_ids"`
	Project    string  `json:"project,omitempty"`
	// Escalated is true while the current score is at or above the
	// scale's escalation threshold: the risk is on the divisional view.
	Escalated bool       `json:"escalated"`
	ClosedOn  *time.Time `json:"closed_on"`
	Version   int64      `json:"version"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`

	// Resolved for display; not stored on the risk.
	UnitCode     string `json:"unit_code,omitempty"`
	UnitName     string `json:"unit_name,omitempty"`
	LocationCode string `json:"location_code,omitempty"`
	OwnerName    string `json:"owner_name,omitempty"`
}

// Description joins the three parts as one sentence for lists and exports.
func (r Risk) Description() string {
	parts := []string{}
	if r.Cause != "" {
		parts = append(parts, "Because of "+strings.TrimSuffix(r.Cause, "."))
	}
	if r.Event != "" {
		parts = append(parts, "there is a risk that "+strings.TrimSuffix(r.Event, "."))
	}
	if r.Consequence != "" {
		parts = append(parts, "leading to "+strings.TrimSuffix(r.Consequence, "."))
	}
	if len(parts) == 0 {
		return ""
	}
	s := strings.Join(parts, ", ") + "."
	return strings.ToUpper(s[:1]) + s[1:]
}

// ReviewOverdue reports whether a live risk's review date has passed.
func (r Risk) ReviewOverdue(today time.Time) bool {
	return r.Status != Closed && r.NextReview.Before(day(today))
}

var themePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9 &'-]{0,39}$`)

// NormaliseThemes lower-cases, trims and de-duplicates themes, in order.
func NormaliseThemes(themes []string) []string {
	out := []string{}
	for _, t := range themes {
		t = strings.Join(strings.Fields(strings.ToLower(t)), " ")
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// Validate checks a risk's own fields. creating adds the rules that apply
// only to a new risk (its first review date must not have passed); today
// is the date the check is made on.
func (r *Risk) Validate(today time.Time, creating bool) error {
	var v fault.Validation
	r.Title = strings.TrimSpace(r.Title)
	r.Cause, r.Event, r.Consequence = strings.TrimSpace(r.Cause), strings.TrimSpace(r.Event), strings.TrimSpace(r.Consequence)
	r.Project = strings.TrimSpace(r.Project)
	r.Themes = NormaliseThemes(r.Themes)
	if r.Treatment == "" {
		r.Treatment = Treat
	}
	if r.Status == "" {
		r.Status = Open
	}
	switch {
	case r.Title == "":
		v.Add("title", "Enter a title for the risk")
	case len(r.Title) > 200:
		v.Add("title", "The title must be 200 characters or fewer")
	}
	if r.Cause == "" {
		v.Add("cause", "Enter the cause: what gives rise to the risk")
	}
	if r.Event == "" {
		v.Add("event", "Enter the event: what might happen")
	}
	if r.Consequence == "" {
		v.Add("consequence", "Enter the consequence: what would follow if it happened")
	}
	if !r.Category.Valid() {
		v.Add("category", "Choose strategic, operational, casework or project")
	}
	if r.Category == Project && r.Project == "" {
		v.Add("project", "Name the project a project risk belongs to")
	}
	if r.UnitID <= 0 {
		v.Add("unit_id", "Choose the unit the risk belongs to")
	}
	if r.OwnerID <= 0 {
		v.Add("owner_id", "Choose the risk's owner")
	}
	if len(r.Themes) > 10 {
		v.Add("themes", "Give a risk at most 10 themes")
	}
	for _, t := range r.Themes {
		if !themePattern.MatchString(t) {
			v.Add("themes", fmt.Sprintf("The theme %q must be up to 40 letters, digits, spaces or hyphens", t))
		}
	}
	r.Inherent.check(&v, "inherent", "inherent")
	r.Current.check(&v, "current", "current")
	r.Target.check(&v, "target", "target")
	if r.Target.Score() > r.Inherent.Score() && r.Inherent.Score() > 0 && validRating(r.Target) {
		v.Add("target_likelihood", fmt.Sprintf("The target score (%d) cannot be above the inherent score (%d): the target is where counter-measures will bring the risk",
			r.Target.Score(), r.Inherent.Score()))
	}
	if r.Proximity != "" && !r.Proximity.Valid() {
		v.Add("proximity", "Choose how soon the risk could happen")
	}
	if !r.Treatment.Valid() {
		v.Add("treatment", "Choose treat, tolerate, transfer or terminate")
	}
	if !r.Status.Valid() {
		v.Add("status", "Choose open, accepted or closed")
	}
	if r.Status == Accepted && r.AcceptedUntil == nil {
		v.Add("status", "An accepted risk needs the date its acceptance expires: propose acceptance with an expiry date")
	}
	if !slices.Contains(ReviewIntervals, r.ReviewMonths) {
		v.Add("review_months", "Choose a review frequency: monthly, quarterly, six-monthly or yearly")
	}
	switch {
	case r.NextReview.IsZero():
		v.Add("next_review", "Enter the date of the next review")
	case creating && day(r.NextReview).Before(day(today)):
		v.Add("next_review", "The next review date must be today or later")
	}
	if r.TargetDate != nil && creating && day(*r.TargetDate).Before(day(today)) {
		v.Add("target_date", "The target date must be today or later")
	}
	if r.ParentID != nil && r.ID != 0 && *r.ParentID == r.ID {
		v.Add("parent_id", "A risk cannot roll up to itself")
	}
	for _, id := range r.Related {
		if id == r.ID && r.ID != 0 {
			v.Add("related", "A risk cannot be related to itself")
		}
	}
	return v.Err("The risk could not be saved")
}

func validRating(r Rating) bool {
	return r.Likelihood >= 1 && r.Likelihood <= 5 && r.Impact >= 1 && r.Impact <= 5
}

// day is a date at midnight UTC, how the register stores civil dates.
func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Day is exported for the store and pages: a date at midnight UTC.
func Day(t time.Time) time.Time { return day(t) }

// CheckParent refuses a parent link that would make a cycle in the
// roll-up tree. parentOf answers each risk's parent (nil for a root).
func CheckParent(id int64, parent *int64, parentOf func(int64) (*int64, error)) error {
	if parent == nil {
		return nil
	}
	cycle := &fault.Error{Code: fault.Invalid, Message: "The risk could not be saved",
		Fields: []fault.FieldError{{Field: "parent_id", Message: "That parent would make a loop: the chosen risk already rolls up, directly or through others, to this one"}}}
	seen := map[int64]bool{}
	for at := parent; at != nil; {
		if *at == id {
			return cycle
		}
		if seen[*at] {
			return cycle // an existing loop: refuse rather than walk it for ever
		}
		seen[*at] = true
		next, err := parentOf(*at)
		if err != nil {
			return err
		}
		at = next
	}
	return nil
}

// CloseCheck refuses to close a risk while counter-measures are still
// open, unless the person confirms they are to be closed with it.
func CloseCheck(open []CounterMeasure, confirmed bool) error {
	if len(open) == 0 || confirmed {
		return nil
	}
	names := make([]string, 0, len(open))
	for _, m := range open {
		names = append(names, fmt.Sprintf("%q", m.Description))
	}
	return &fault.Error{Code: fault.Invalid, Message: "The risk could not be closed",
		Fields: []fault.FieldError{{Field: "close_measures", Message: fmt.Sprintf(
			"The risk still has %d open counter-measure%s (%s): close them first, or confirm they are to be closed with the risk",
			len(open), plural(len(open)), strings.Join(names, ", "))}}}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
