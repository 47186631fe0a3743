package plan

import (
	"strings"
	"time"

	"caseboard/internal/fault"
)

// Rating is the division's own judgement of how it meets a criterion.
type Rating string

const (
	Strong           Rating = "strong"
	Sound            Rating = "sound"
	NeedsImprovement Rating = "needs_improvement"
	Weak             Rating = "weak"
	NotAssessed      Rating = "not_assessed"
)

// Ratings lists the ratings from best to worst, then not assessed.
var Ratings = []Rating{Strong, Sound, NeedsImprovement, Weak, NotAssessed}

// Valid reports whether r is a known rating.
func (r Rating) Valid() bool {
	for _, x := range Ratings {
		if r == x {
			return true
		}
	}
	return false
}

// Label is the rating for people.
func (r Rating) Label() string {
	switch r {
	case Strong:
		return "Strong"
	case Sound:
		return "Sound"
	case NeedsImprovement:
		return "Needs improvement"
	case Weak:
		return "Weak"
	}
	return "Not assessed"
}

// Assessment is the division's self-assessment against one criterion of a
// framework, ahead of the next inspection.
type Assessment struct {
	FrameworkID  int64     `json:"framework_id"`
	Criterion    string    `json:"criterion"`
	Rating       Rating    `json:"rating"`
	Commentary   string    `json:"commentary"`
	AssessedByID *int64    `json:"assessed_by_id,omitempty"`
	AssessedBy   string    `json:"assessed_by,omitempty"`
	AssessedAt   time.Time `json:"assessed_at"`
}

// Validate checks an assessment against its framework: the criterion must
// be in it, and a rating other than not assessed needs the commentary
// that justifies it.
func (a *Assessment) Validate(f *Framework) error {
	var v fault.Validation
	a.Commentary = strings.TrimSpace(a.Commentary)
	if !f.Has(a.Criterion) {
		v.Add("criterion", "The framework has no criterion "+a.Criterion)
	}
	if !a.Rating.Valid() {
		v.Add("rating", "Choose strong, sound, needs improvement, weak or not assessed")
	} else if a.Rating != NotAssessed && a.Commentary == "" {
		v.Add("commentary", "Say what the rating rests on: the evidence, and what is still to do")
	}
	maxLen(&v, "commentary", a.Commentary, 10000)
	return v.Err("The assessment could not be saved")
}
