package risk

import (
	"slices"
	"time"

	"caseboard/internal/fault"
)

// AppetiteLevel is a step of the UK Government Finance Function's risk
// appetite scale, from least to most willing to take risk.
type AppetiteLevel string

const (
	Averse   AppetiteLevel = "averse"
	Minimal  AppetiteLevel = "minimal"
	Cautious AppetiteLevel = "cautious"
	OpenTo   AppetiteLevel = "open"
	Eager    AppetiteLevel = "eager"
)

// AppetiteLevels lists the scale in order.
var AppetiteLevels = []AppetiteLevel{Averse, Minimal, Cautious, OpenTo, Eager}

// Valid reports whether l is a level of the scale.
func (l AppetiteLevel) Valid() bool { return slices.Contains(AppetiteLevels, l) }

// Label is the level as the Government Finance Function words it.
func (l AppetiteLevel) Label() string {
	switch l {
	case Averse:
		return "Averse: avoidance of risk and uncertainty is a key objective"
	case Minimal:
		return "Minimal: preference for ultra-safe options with low inherent risk"
	case Cautious:
		return "Cautious: preference for safe options with a low degree of residual risk"
	case OpenTo:
		return "Open: willing to consider all options, choosing the one most likely to succeed"
	case Eager:
		return "Eager: eager to be innovative, choosing options with higher rewards despite greater risk"
	}
	return string(l)
}

// DefaultMaxScore maps each level to the highest current score tolerated
// at it, on the 5x5 scale.
var DefaultMaxScore = map[AppetiteLevel]int{Averse: 4, Minimal: 6, Cautious: 9, OpenTo: 12, Eager: 16}

// Appetite is the Head of Division's appetite for one category of risk.
type Appetite struct {
	Category Category      `json:"category"`
	Level    AppetiteLevel `json:"level"`
	MaxScore int           `json:"max_score"`
	SetBy    *int64        `json:"set_by"`
	SetAt    time.Time     `json:"set_at"`
}

// DefaultAppetites is what a new installation starts with: little
// appetite for casework risk, more for projects.
func DefaultAppetites() []Appetite {
	return []Appetite{
		{Category: Strategic, Level: Cautious, MaxScore: DefaultMaxScore[Cautious]},
		{Category: Operational, Level: Cautious, MaxScore: DefaultMaxScore[Cautious]},
		{Category: Casework, Level: Minimal, MaxScore: DefaultMaxScore[Minimal]},
		{Category: Project, Level: OpenTo, MaxScore: DefaultMaxScore[OpenTo]},
	}
}

// Validate checks one category's appetite. A zero MaxScore takes the
// level's default.
func (a *Appetite) Validate() error {
	var v fault.Validation
	if !a.Category.Valid() {
		v.Add("category", "Choose a category")
	}
	if !a.Level.Valid() {
		v.Add(string(a.Category), "Choose averse, minimal, cautious, open or eager")
	} else if a.MaxScore == 0 {
		a.MaxScore = DefaultMaxScore[a.Level]
	}
	if a.MaxScore < 1 || a.MaxScore > 25 {
		v.Add(string(a.Category)+"_max", "The highest tolerable score must be from 1 to 25")
	}
	return v.Err("The risk appetite could not be set")
}

// AboveAppetite reports whether a live risk's current score is above the
// appetite for its category.
func AboveAppetite(r Risk, appetites []Appetite) bool {
	if r.Status == Closed {
		return false
	}
	for _, a := range appetites {
		if a.Category == r.Category {
			return r.Current.Score() > a.MaxScore
		}
	}
	return false
}
