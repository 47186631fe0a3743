package risk

import (
	"fmt"
	"strconv"

	"caseboard/internal/fault"
)

// Level is one step of a likelihood or impact scale: its value (1-5), the
// word people use for it and the written definition a scorer applies.
type Level struct {
	Value      int    `json:"value"`
	Label      string `json:"label"`
	Definition string `json:"definition"`
}

// Band is a range of scores (likelihood x impact) shown in one colour: a
// score s is in the band when Min <= s <= Max.
type Band struct {
	Name   string `json:"name"`   // "Low", "Medium", "High", "Very high"
	Min    int    `json:"min"`    // inclusive
	Max    int    `json:"max"`    // inclusive
	Colour string `json:"colour"` // a GOV.UK tag colour: green, yellow, orange, red
	Fill   string `json:"fill"`   // the heat map's cell colour, #rrggbb
}

// Scale is the configuration scores are made on: the two five-step
// scales with their definitions, the colour bands, and the score at or
// above which a risk is escalated to the divisional view. A division may
// relabel levels or move band thresholds; each change is a new Version,
// and every score keeps the version it was made on.
type Scale struct {
	Version    int     `json:"version"`
	Likelihood []Level `json:"likelihood"`
	Impact     []Level `json:"impact"`
	Bands      []Band  `json:"bands"`
	// Escalation is the current score at or above which a risk is
	// escalated to the divisional view and its owner's manager is told.
	Escalation int `json:"escalation"`
}

// DefaultScale is the 5x5 matrix in the style of HM Treasury's Orange Book
// that a new installation starts with.
var DefaultScale = Scale{
	Version: 1,
	Likelihood: []Level{
		{1, "Rare", "Not expected to happen in the next three years (under 5%)"},
		{2, "Unlikely", "Could happen in the next three years but is not expected to (5-25%)"},
		{3, "Possible", "May well happen in the next three years (25-50%)"},
		{4, "Likely", "More likely than not to happen in the next year (50-80%)"},
		{5, "Almost certain", "Expected to happen in the next year, or already happening (over 80%)"},
	},
	Impact: []Level{
		{1, "Minimal", "No effect on casework outcomes; cost under £10,000; no public interest"},
		{2, "Minor", "Delay to a few cases; cost under £50,000; local interest only"},
		{3, "Moderate", "A case lost or a custody time limit missed; cost under £250,000; national press interest for a day"},
		{4, "Major", "Several cases lost or a serious offender released; cost under £1m; sustained national interest; an inspection finding"},
		{5, "Severe", "Loss of public confidence in the service; cost over £1m; a minister or Parliament involved; harm to a person"},
	},
	Bands: []Band{
		{"Low", 1, 4, "green", "#cce2d8"},
		{"Medium", 5, 9, "yellow", "#fff7bf"},
		{"High", 10, 15, "orange", "#fcd6c3"},
		{"Very high", 16, 25, "red", "#f4cdc6"},
	},
	Escalation: 16,
}

// Validate checks that the scale is usable: five levels on each axis with
// labels and definitions, and bands that cover 1 to 25 without gaps or
// overlaps.
func (s Scale) Validate() error {
	var v fault.Validation
	for _, axis := range []struct {
		name   string
		levels []Level
	}{{"likelihood", s.Likelihood}, {"impact", s.Impact}} {
		if len(axis.levels) != 5 {
			v.Add(axis.name, fmt.Sprintf("The %s scale must have five levels", axis.name))
			continue
		}
		for i, l := range axis.levels {
			field := axis.name + "." + strconv.Itoa(i+1)
			switch {
			case l.Value != i+1:
				v.Add(field, fmt.Sprintf("Level %d of the %s scale must have the value %d", i+1, axis.name, i+1))
			case l.Label == "":
				v.Add(field, fmt.Sprintf("Give level %d of the %s scale a label", i+1, axis.name))
			case l.Definition == "":
				v.Add(field, fmt.Sprintf("Give level %d of the %s scale a definition", i+1, axis.name))
			}
		}
	}
	next := 1
	for i, b := range s.Bands {
		field := "bands." + strconv.Itoa(i+1)
		switch {
		case b.Name == "":
			v.Add(field, fmt.Sprintf("Give band %d a name", i+1))
		case b.Min != next:
			v.Add(field, fmt.Sprintf("Band %s must start at %d so the bands cover every score once", b.Name, next))
		case b.Max < b.Min:
			v.Add(field, fmt.Sprintf("Band %s ends before it starts", b.Name))
		case !validColour(b.Colour):
			v.Add(field, fmt.Sprintf("Band %s has a colour that is not green, yellow, orange or red", b.Name))
		}
		next = b.Max + 1
	}
	if len(s.Bands) == 0 || next != 26 {
		v.Add("bands", "The bands must cover every score from 1 to 25")
	}
	if s.Escalation < 1 || s.Escalation > 25 {
		v.Add("escalation", "The escalation threshold must be a score from 1 to 25")
	}
	return v.Err("The risk scale is not usable")
}

func validColour(c string) bool {
	switch c {
	case "green", "yellow", "orange", "red", "grey", "blue", "purple", "pink", "turquoise":
		return true
	}
	return false
}

// Band returns the band a score falls in; a score outside 1-25 has none.
func (s Scale) Band(score int) Band {
	for _, b := range s.Bands {
		if score >= b.Min && score <= b.Max {
			return b
		}
	}
	return Band{Name: "Not scored", Colour: "grey", Fill: "#f3f2f1"}
}

// BandByName finds a band by its name, case-sensitively.
func (s Scale) BandByName(name string) (Band, bool) {
	for _, b := range s.Bands {
		if b.Name == name {
			return b, true
		}
	}
	return Band{}, false
}

// LikelihoodLabel and ImpactLabel name a level, or say it is not scored.
func (s Scale) LikelihoodLabel(v int) string { return label(s.Likelihood, v) }
func (s Scale) ImpactLabel(v int) string     { return label(s.Impact, v) }

func label(levels []Level, v int) string {
	if v >= 1 && v <= len(levels) {
		return levels[v-1].Label
	}
	return "Not scored"
}
