package demo

import (
	"time"

	"caseboard/internal/org"
	"caseboard/internal/risk"
)

// DemoPlan is a business continuity plan with its exercises, its owner
// named by email and its unit and location by code.
type DemoPlan struct {
	Plan                   risk.ContinuityPlan
	UnitCode, LocationCode string
	OwnerEmail             string
	Exercises              []risk.Exercise
}

// ContinuityPlans gives each unit a plan, and each Organised Crime location
// its own: most exercised within the year, Birmingham's last exercised
// eighteen months ago and International's never, so the flags show.
func ContinuityPlans(c org.Chart, today time.Time) []DemoPlan {
	heads := map[string]string{}
	for _, p := range c.People {
		if p.Grade.Profession() == org.Legal && heads[p.UnitCode+"/"+p.LocationCode] == "" {
			heads[p.UnitCode+"/"+p.LocationCode] = p.Email
		}
	}
	day := func(monthsAgo int) time.Time {
		return time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -monthsAgo, 0)
	}
	exercise := func(monthsAgo int, scenario, findings string) []risk.Exercise {
		return []risk.Exercise{{HeldOn: day(monthsAgo), Scenario: scenario, Participants: "Legal managers and the business manager", Findings: findings}}
	}
	plan := func(title, unit, location string, activities []risk.CriticalActivity, exercises []risk.Exercise) DemoPlan {
		owner := heads[unit+"/"+location]
		return DemoPlan{UnitCode: unit, LocationCode: location, OwnerEmail: owner, Exercises: exercises, Plan: risk.ContinuityPlan{
			Title: title, Activities: activities, ReviewedOn: day(2),
			Contacts: "The duty legal manager; then the Head of Unit; then the Deputy Head of Division. Out of hours: the CPS duty officer."}}
	}
	custody := risk.CriticalActivity{Name: "Custody time limit applications and extensions", RTOHours: 4}
	hearings := risk.CriticalActivity{Name: "Attendance at listed hearings", RTOHours: 8}
	return []DemoPlan{
		plan("Organised Crime, Petty France", "organised_crime", "petty_france", []risk.CriticalActivity{custody, hearings,
			{Name: "Charging advice to the NCA", RTOHours: 24}}, exercise(3, "Loss of the Petty France building for a week", "Remote access held; the custody list was not kept offline.")),
		plan("Organised Crime, Birmingham", "organised_crime", "birmingham", []risk.CriticalActivity{custody, hearings},
			exercise(18, "Network outage for two days", "Counsel could not be reached out of hours.")),
		plan("Organised Crime, Warrington", "organised_crime", "warrington", []risk.CriticalActivity{custody, hearings},
			exercise(7, "Loss of the case management system", "Paper bundles for the next day's hearings were ready within four hours.")),
		plan("Extradition", "extradition", "petty_france", []risk.CriticalActivity{
			{Name: "Westminster Magistrates' Court first hearings of arrested persons", RTOHours: 2}, custody},
			exercise(5, "Half the team absent through illness", "Cover from the Organised Crime unit worked for first hearings.")),
		plan("International", "international", "petty_france", []risk.CriticalActivity{
			{Name: "Urgent mutual legal assistance requests", RTOHours: 24}, {Name: "Contact with the overseas posts", RTOHours: 48}}, nil),
	}
}
