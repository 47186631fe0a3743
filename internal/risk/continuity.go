package risk

import (
	"strings"
	"time"

	"caseboard/internal/fault"
)

// Business continuity (report 3.13): each unit, and each location of it
// that needs its own, keeps a plan of its critical activities, how soon
// each must be running again, and whom to call; and the plan is exercised.
// A plan not exercised in the last twelve months is flagged, because an
// untested plan is a hope, not a plan.

// ContinuityPlan is one unit's or location's business continuity plan.
type ContinuityPlan struct {
	ID         int64              `json:"id"`
	Title      string             `json:"title"`
	UnitID     int64              `json:"unit_id"`
	LocationID *int64             `json:"location_id"`
	OwnerID    int64              `json:"owner_id"`
	Activities []CriticalActivity `json:"activities"`
	Contacts   string             `json:"contacts"` // who to call, in what order
	ReviewedOn time.Time          `json:"reviewed_on"`
	Version    int64              `json:"version"`
	// Exercised is the day of the latest exercise; nil when never.
	Exercised *time.Time `json:"exercised"`

	// Resolved for display.
	UnitName     string `json:"unit_name,omitempty"`
	LocationName string `json:"location_name,omitempty"`
	OwnerName    string `json:"owner_name,omitempty"`
}

// CriticalActivity is an activity that must be restored after a disruption,
// with its recovery time objective.
type CriticalActivity struct {
	Name     string `json:"name"`
	RTOHours int    `json:"rto_hours"` // recovery time objective
}

// Exercise is one test of a plan.
type Exercise struct {
	ID           int64     `json:"id"`
	PlanID       int64     `json:"plan_id"`
	HeldOn       time.Time `json:"held_on"`
	Scenario     string    `json:"scenario"`
	Participants string    `json:"participants"`
	Findings     string    `json:"findings"`
	Actions      string    `json:"actions"` // what the plan's owner will change
	RecordedBy   int64     `json:"recorded_by"`
}

// ExerciseInterval is how often a plan must be exercised.
const ExerciseInterval = 12 // months

// Validate checks a plan; today bounds its review date.
func (p *ContinuityPlan) Validate(today time.Time) error {
	var v fault.Validation
	p.Title, p.Contacts = strings.TrimSpace(p.Title), strings.TrimSpace(p.Contacts)
	if p.Title == "" || len(p.Title) > 200 {
		v.Add("title", "Enter the plan's title, up to 200 characters")
	}
	if p.UnitID == 0 {
		v.Add("unit_id", "Choose the unit the plan is for")
	}
	if p.OwnerID == 0 {
		v.Add("owner_id", "Choose who owns the plan")
	}
	if len(p.Activities) == 0 {
		v.Add("activities", "List at least one critical activity with its recovery time objective")
	}
	for i := range p.Activities {
		a := &p.Activities[i]
		a.Name = strings.TrimSpace(a.Name)
		if a.Name == "" || len(a.Name) > 200 || a.RTOHours < 1 || a.RTOHours > 24*90 {
			v.Add("activities", "Give each critical activity a name and a recovery time objective of 1 hour to 90 days")
			break
		}
	}
	if p.Contacts == "" {
		v.Add("contacts", "Say whom to call when the plan is invoked")
	}
	switch {
	case p.ReviewedOn.IsZero():
		v.Add("reviewed_on", "Enter the date the plan was last reviewed")
	case p.ReviewedOn.After(today) || p.ReviewedOn.Year() < 2000:
		v.Add("reviewed_on", "Enter a review date from 2000 up to today")
	}
	return v.Err("The business continuity plan could not be saved")
}

// Validate checks an exercise of a plan.
func (e *Exercise) Validate(today time.Time) error {
	var v fault.Validation
	e.Scenario, e.Participants = strings.TrimSpace(e.Scenario), strings.TrimSpace(e.Participants)
	e.Findings, e.Actions = strings.TrimSpace(e.Findings), strings.TrimSpace(e.Actions)
	switch {
	case e.HeldOn.IsZero():
		v.Add("held_on", "Enter the date the exercise was held")
	case e.HeldOn.After(today) || e.HeldOn.Year() < 2000:
		v.Add("held_on", "Record an exercise once it has been held: a date from 2000 up to today")
	}
	if e.Scenario == "" {
		v.Add("scenario", "Describe the scenario exercised, for example loss of the Petty France building")
	}
	if e.Findings == "" {
		v.Add("findings", "Record what the exercise found, even if the plan worked")
	}
	return v.Err("The exercise could not be recorded")
}

// Untested reports whether the plan has not been exercised in the last
// twelve months, as on today.
func (p *ContinuityPlan) Untested(today time.Time) bool {
	return p.Exercised == nil || p.Exercised.Before(today.AddDate(0, -ExerciseInterval, 0))
}
