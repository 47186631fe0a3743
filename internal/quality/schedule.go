package quality

import (
	"fmt"
	"sort"
	"time"

	"caseboard/internal/fault"
)

// Rule is one line of the IQA schedule: how many assessments of an
// activity each person of a profession needs in each period.
type Rule struct {
	Activity Activity `json:"activity"`
	// Profession is who the rule covers: "legal" or "paralegal".
	Profession string `json:"profession"`
	// PeriodMonths is 1 (monthly), 3 (quarterly), 6 or 12. Periods start
	// in January, so quarters are the financial year's.
	PeriodMonths int `json:"period_months"`
	Count        int `json:"count"`
}

// DefaultRules are the schedule a new installation starts with: one
// casework and one advocacy assessment per lawyer per quarter, and one
// casework assessment per paralegal per month (report 4.8).
var DefaultRules = []Rule{
	{LegalCasework, "legal", 3, 1},
	{LegalAdvocacy, "legal", 3, 1},
	{ParalegalCasework, "paralegal", 1, 1},
}

// Validate checks a rule.
func (r Rule) Validate() error {
	var v fault.Validation
	if !r.Activity.Valid() {
		v.Add("activity", "Choose legal casework, legal advocacy or paralegal casework")
	} else if r.Profession != r.Activity.Profession() {
		v.Add("profession", fmt.Sprintf("%s is assessed of %s staff", r.Activity.Label(), r.Activity.Profession()))
	}
	switch r.PeriodMonths {
	case 1, 3, 6, 12:
	default:
		v.Add("period_months", "The period is 1, 3, 6 or 12 months")
	}
	if r.Count < 1 || r.Count > 12 {
		v.Add("count", "Each period needs between 1 and 12 assessments")
	}
	return v.Err("The schedule rule could not be saved")
}

// Person is what the schedule needs to know of a member of staff.
type Person struct {
	ID            int64
	Name          string
	Profession    string
	LineManagerID *int64
	UnitID        int64
	TeamID        *int64
}

// Obligation is one manager's duty to assess one person for one activity
// in one period, and how far it is met.
type Obligation struct {
	ManagerID  int64     `json:"manager_id"`
	PersonID   int64     `json:"person_id"`
	PersonName string    `json:"person_name"`
	UnitID     int64     `json:"unit_id"`
	TeamID     *int64    `json:"team_id"`
	Activity   Activity  `json:"activity"`
	Start      time.Time `json:"start"` // first day of the period
	Due        time.Time `json:"due"`   // last day of the period
	Required   int       `json:"required"`
	Done       int       `json:"done"`
}

// Status is where an obligation stands on a day.
func (o Obligation) Status(today time.Time) string {
	switch {
	case o.Done >= o.Required:
		return "met"
	case today.After(o.Due):
		return "overdue"
	}
	return "open"
}

// periodStart is the first day of the period of the given length that
// contains day.
func periodStart(day time.Time, months int) time.Time {
	m := (int(day.Month())-1)/months*months + 1
	return time.Date(day.Year(), time.Month(m), 1, 0, 0, 0, 0, time.UTC)
}

// Obligations lists, for the periods that overlap [from, to], what each
// person's line manager owes them under the rules, and counts the IQAs
// already made (by anyone in their line management) towards each. People
// without a line manager, and professions no rule covers, owe nothing.
func Obligations(people []Person, rules []Rule, done []Assessment, from, to time.Time) []Obligation {
	type key struct {
		person   int64
		activity Activity
		start    time.Time
	}
	made := map[key]int{}
	months := map[Activity]int{}
	for _, r := range rules {
		months[r.Activity] = r.PeriodMonths
	}
	for _, a := range done {
		if a.Kind != IQA || months[a.Activity] == 0 {
			continue
		}
		made[key{a.AssessedID, a.Activity, periodStart(a.AssessedOn, months[a.Activity])}]++
	}
	var out []Obligation
	for _, p := range people {
		if p.LineManagerID == nil {
			continue
		}
		for _, r := range rules {
			if r.Profession != p.Profession {
				continue
			}
			for start := periodStart(from, r.PeriodMonths); !start.After(to); start = start.AddDate(0, r.PeriodMonths, 0) {
				out = append(out, Obligation{ManagerID: *p.LineManagerID, PersonID: p.ID, PersonName: p.Name, UnitID: p.UnitID, TeamID: p.TeamID,
					Activity: r.Activity, Start: start, Due: start.AddDate(0, r.PeriodMonths, -1), Required: r.Count,
					Done: min(r.Count, made[key{p.ID, r.Activity, start}])})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Due.Equal(out[j].Due) {
			return out[i].Due.Before(out[j].Due)
		}
		return out[i].PersonName < out[j].PersonName
	})
	return out
}

// Completion is how far a group's obligations that have fallen due are
// met: the "IQA completion" figure.
type Completion struct {
	Key      string   `json:"key"`   // e.g. a unit code or team id
	Label    string   `json:"label"` // what a page shows
	Due      int      `json:"due"`   // obligations whose period has ended
	Met      int      `json:"met"`   // of those, met
	Overdue  int      `json:"overdue"`
	Open     int      `json:"open"`     // periods still running, not yet met
	Rate     *float64 `json:"rate"`     // Met / Due; null when nothing has fallen due
	Assessed int      `json:"assessed"` // assessments counted towards obligations
}

// Summarise groups obligations by the key group returns and computes each
// group's completion on a day. Groups come back in order of key.
func Summarise(obligations []Obligation, today time.Time, group func(Obligation) (key, label string)) []Completion {
	byKey := map[string]*Completion{}
	for _, o := range obligations {
		k, label := group(o)
		c := byKey[k]
		if c == nil {
			c = &Completion{Key: k, Label: label}
			byKey[k] = c
		}
		c.Assessed += o.Done
		switch o.Status(today) {
		case "met":
			if today.After(o.Due) {
				c.Due++
				c.Met++
			}
		case "overdue":
			c.Due++
			c.Overdue++
		default:
			c.Open++
		}
	}
	out := make([]Completion, 0, len(byKey))
	for _, c := range byKey {
		if c.Due > 0 {
			rate := float64(c.Met) / float64(c.Due)
			c.Rate = &rate
		}
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}
