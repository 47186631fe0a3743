// Package quality holds individual quality assessments (IQAs) of legal and
// paralegal staff: the assessment templates, scored against the Casework
// Quality Standards, the schedule that turns line management into
// obligations, the rules an assessment must keep, and the calibration
// statistics that show whether an assessor marks more leniently than their
// peers. It imports no database or HTTP code.
package quality

import (
	"fmt"
	"slices"
)

// Activity is what an assessment looks at.
type Activity string

const (
	LegalCasework     Activity = "legal_casework"
	LegalAdvocacy     Activity = "legal_advocacy"
	ParalegalCasework Activity = "paralegal_casework"
)

// Activities lists every activity in the order pages show them.
var Activities = []Activity{LegalCasework, LegalAdvocacy, ParalegalCasework}

// Valid reports whether a is a known activity.
func (a Activity) Valid() bool { return slices.Contains(Activities, a) }

// Label is the activity as people say it.
func (a Activity) Label() string {
	switch a {
	case LegalCasework:
		return "Legal casework"
	case LegalAdvocacy:
		return "Legal advocacy"
	case ParalegalCasework:
		return "Paralegal casework"
	}
	return string(a)
}

// Profession is who the activity assesses: "legal" or "paralegal", as
// org.Profession names them.
func (a Activity) Profession() string {
	if a == ParalegalCasework {
		return "paralegal"
	}
	return "legal"
}

// Answer is a mark on the scale every question uses.
type Answer string

const (
	FullyMeets     Answer = "fully_meets"
	PartiallyMeets Answer = "partially_meets"
	NotMet         Answer = "not_met"
	NotApplicable  Answer = "not_applicable"
)

// Scale lists the answers, best first; NotApplicable is not a mark and is
// left out of every statistic.
var Scale = []Answer{FullyMeets, PartiallyMeets, NotMet, NotApplicable}

// Valid reports whether a is on the scale.
func (a Answer) Valid() bool { return slices.Contains(Scale, a) }

// Marked reports whether the answer is a mark (not "not applicable").
func (a Answer) Marked() bool { return a == FullyMeets || a == PartiallyMeets || a == NotMet }

// Label is the answer as the form shows it.
func (a Answer) Label() string {
	switch a {
	case FullyMeets:
		return "Fully meets"
	case PartiallyMeets:
		return "Partially meets"
	case NotMet:
		return "Not met"
	case NotApplicable:
		return "Not applicable"
	}
	return string(a)
}

// Question is one question of a template, tied to a Casework Quality
// Standard. Its Code is stable across versions while its meaning is; a
// question whose meaning changes gets a new code.
type Question struct {
	Code     string `json:"code"`
	Standard string `json:"standard"`
	Text     string `json:"text"`
}

// Template is one version of the questions for an activity. A released
// version is never edited: a change is a new version, and an assessment
// keeps the version it was made with.
type Template struct {
	Activity  Activity   `json:"activity"`
	Version   int        `json:"version"`
	Since     string     `json:"since"` // YYYY-MM-DD, when it became current
	Questions []Question `json:"questions"`
}

// Has reports whether the template asks the question.
func (t Template) Has(code string) bool {
	return slices.ContainsFunc(t.Questions, func(q Question) bool { return q.Code == code })
}

// Question returns the question with the code, if the template asks it.
func (t Template) Question(code string) (Question, bool) {
	i := slices.IndexFunc(t.Questions, func(q Question) bool { return q.Code == code })
	if i < 0 {
		return Question{}, false
	}
	return t.Questions[i], true
}

// The Casework Quality Standards the questions are asked against.
const (
	standardVictims     = "Standard 1: victims and witnesses"
	standardDecisions   = "Standard 2: legal decision-making"
	standardPreparation = "Standard 3: case preparation and progression"
	standardAdvocacy    = "Standard 4: presentation and advocacy"
)

var (
	codeDecision   = Question{"code_test", standardDecisions, "The charging or review decision applies the Code for Crown Prosecutors correctly, with reasons recorded"}
	caseAnalysis   = Question{"case_analysis", standardDecisions, "The review sets out a clear case analysis and strategy, including the prosecution's theory of the case"}
	disclosure     = Question{"disclosure", standardPreparation, "Disclosure duties are met: a disclosure management document where needed, schedules reviewed and endorsed"}
	victims        = Question{"victims_witnesses", standardVictims, "Victims' and witnesses' needs are identified and applications such as special measures made on time"}
	progression    = Question{"progression", standardPreparation, "Court directions are complied with on time and custody time limits are monitored"}
	recordKeeping  = Question{"record_keeping", standardPreparation, "Decisions, actions and reasons are recorded on the case file"}
	confiscation   = Question{"confiscation", standardDecisions, "Confiscation and ancillary orders are considered from charge and pursued"}
	advPreparation = Question{"adv_preparation", standardAdvocacy, "The advocate is prepared: knows the case, the law and the issues for the hearing"}
	advPresenting  = Question{"adv_presentation", standardAdvocacy, "Submissions are clear, concise and persuasive"}
	advLaw         = Question{"adv_law", standardAdvocacy, "Authorities and procedure cited are accurate and relevant"}
	advWitnesses   = Question{"adv_witnesses", standardVictims, "Witnesses are examined in a structured, fair and effective way"}
	advConduct     = Question{"adv_conduct", standardAdvocacy, "Professional standards and duties to the court are met"}
	advFollowUp    = Question{"adv_follow_up", standardPreparation, "The outcome is recorded and actions are followed up after the hearing"}
	plFile         = Question{"pl_file", standardPreparation, "The case file is complete and correctly registered"}
	plTasks        = Question{"pl_tasks", standardPreparation, "Tasks are completed by their due dates"}
	plWitnesses    = Question{"pl_witness_care", standardVictims, "Correspondence with victims and witnesses is accurate and timely"}
	plService      = Question{"pl_service", standardPreparation, "Court papers and bundles are prepared and served on time"}
	plDates        = Question{"pl_dates", standardPreparation, "Hearing dates and custody time limits are recorded and diarised correctly"}
)

// Templates is every released template version. Version 2 of legal
// casework added confiscation after the 2018 review; assessments made with
// version 1 keep it.
var Templates = []Template{
	{LegalCasework, 1, "2017-04-01", []Question{codeDecision, caseAnalysis, disclosure, victims, progression, recordKeeping}},
	{LegalCasework, 2, "2026-01-01", []Question{codeDecision, caseAnalysis, disclosure, victims, progression, recordKeeping, confiscation}},
	{LegalAdvocacy, 1, "2017-04-01", []Question{advPreparation, advPresenting, advLaw, advWitnesses, advConduct, advFollowUp}},
	{ParalegalCasework, 1, "2017-04-01", []Question{plFile, plTasks, plWitnesses, plService, plDates}},
}

// TemplateFor returns a version of the activity's template.
// Errors: Invalid when there is no such version.
func TemplateFor(a Activity, version int) (Template, error) {
	for _, t := range Templates {
		if t.Activity == a && t.Version == version {
			return t, nil
		}
	}
	return Template{}, invalid("template_version", fmt.Sprintf("There is no version %d of the %s template", version, a.Label()))
}

// Current returns the newest version of the activity's template in force
// on a day (YYYY-MM-DD), or the first version before any came into force.
func Current(a Activity, day string) (Template, error) {
	var found *Template
	for i, t := range Templates {
		if t.Activity != a {
			continue
		}
		if found == nil || (t.Since <= day && t.Version > found.Version) {
			found = &Templates[i]
		}
	}
	if found == nil {
		return Template{}, invalid("activity", "Choose legal casework, legal advocacy or paralegal casework")
	}
	return *found, nil
}
