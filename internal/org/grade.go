package org

// Grade is a person's grade, by stable code. The list follows the grades the
// inspection report names for the division's legal, paralegal and
// operational delivery staff.
type Grade string

// Grades in order of seniority, most senior first.
var Grades = []GradeInfo{
	{"head_of_division", "Head of Division", Legal},
	{"deputy_head_of_division", "Deputy Head of Division", Legal},
	{"legal_manager_2", "Legal manager 2", Legal},
	{"legal_manager_1", "Legal manager 1", Legal},
	{"senior_policy_adviser", "Senior policy adviser", Policy},
	{"policy_adviser", "Policy adviser", Policy},
	{"senior_specialist_prosecutor", "Senior specialist prosecutor", Legal},
	{"specialist_prosecutor", "Specialist prosecutor", Legal},
	{"senior_crown_prosecutor", "Senior crown prosecutor", Legal},
	{"crown_advocate", "Crown advocate", Legal},
	{"area_business_manager", "Area business manager", Operational},
	{"paralegal_business_manager", "Paralegal business manager", Paralegal},
	{"senior_paralegal_officer", "Senior paralegal officer", Paralegal},
	{"paralegal_officer", "Paralegal officer", Paralegal},
	{"operational_delivery", "Operational delivery", Operational},
}

// Profession groups grades for staffing figures and quality obligations.
type Profession string

const (
	Legal       Profession = "legal"
	Paralegal   Profession = "paralegal"
	Policy      Profession = "policy"
	Operational Profession = "operational"
)

// GradeInfo describes one grade.
type GradeInfo struct {
	Code       Grade
	Label      string
	Profession Profession
}

func (g Grade) info() (GradeInfo, bool) {
	for _, gi := range Grades {
		if gi.Code == g {
			return gi, true
		}
	}
	return GradeInfo{}, false
}

// Valid reports whether g is a known grade.
func (g Grade) Valid() bool { _, ok := g.info(); return ok }

// Label is the grade as people write it.
func (g Grade) Label() string {
	if gi, ok := g.info(); ok {
		return gi.Label
	}
	return string(g)
}

// Profession is the grade's profession.
func (g Grade) Profession() Profession { gi, _ := g.info(); return gi.Profession }
