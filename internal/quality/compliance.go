package quality

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// Compliance checks of case progression: rules over the casework register,
// declared in one place (ComplianceRules) as data, each with a plain-English
// description, and evaluated over every case a person may see. A rule names
// the register's fields it reads; CheckRules refuses, at start-up, a rule
// naming a field the register does not have, or comparing a field in a way
// its kind does not allow.

// FieldKind is what kind of value a case field holds.
type FieldKind string

const (
	TextField   FieldKind = "text"
	DateField   FieldKind = "date"
	NumberField FieldKind = "number"
)

// CaseFields are the fields of the register the rules may read, with
// their kinds: the case's own columns, and counts over its defendants and
// charges.
var CaseFields = map[string]FieldKind{
	"kind":                       TextField,
	"status":                     TextField,
	"sensitivity":                TextField,
	"lawyer":                     TextField, // the lawyer's id, empty when none is allocated
	"manager":                    TextField,
	"opened_on":                  DateField,
	"agency":                     TextField,
	"pre_charge_decision":        TextField,
	"pre_charge_decided_on":      DateField,
	"court":                      TextField,
	"court_centre":               TextField,
	"direction":                  TextField,
	"country":                    TextField,
	"warrant_type":               TextField,
	"next_deadline":              DateField, // the earliest running custody time limit; none when none runs
	"defendants":                 NumberField,
	"defendants_in_custody":      NumberField,
	"defendants_without_outcome": NumberField,
	"charges":                    NumberField,
	"running_custody_limits":     NumberField,
	// Case progression: hearings, directions, key documents and reviews.
	"overdue_directions":               NumberField, // not complied with by their due date
	"overdue_document_reviews":         NumberField, // key documents past their review date
	"overdue_actions":                  NumberField, // actions of panels, reviews and handovers past their due date
	"prosecution_strategy_updated_on":  DateField,
	"disclosure_management_updated_on": DateField,
}

// Op is how a condition compares a field.
type Op string

const (
	IsSet    Op = "set"       // text: not empty; date: present
	IsNotSet Op = "not_set"   // the opposite
	Equals   Op = "equals"    // text equals Value
	OneOf    Op = "one_of"    // text is one of Values
	NoneOf   Op = "none_of"   // text is none of Values
	AtLeast  Op = "at_least"  // number >= Number
	AtMost   Op = "at_most"   // number <= Number
	NotPast  Op = "not_past"  // date absent, or today or later
	WithinOf Op = "within_of" // date on or after today less Number days
)

var opKinds = map[Op][]FieldKind{
	IsSet: {TextField, DateField}, IsNotSet: {TextField, DateField}, Equals: {TextField}, OneOf: {TextField},
	NoneOf: {TextField}, AtLeast: {NumberField}, AtMost: {NumberField}, NotPast: {DateField}, WithinOf: {DateField},
}

// Condition is one test of one field.
type Condition struct {
	Field  string   `json:"field"`
	Op     Op       `json:"op"`
	Values []string `json:"values,omitempty"`
	Number int      `json:"number,omitempty"`
}

// ComplianceRule is one check of case progression.
type ComplianceRule struct {
	Code        string `json:"code"`
	Description string `json:"description"` // plain English, as the page shows it
	Stage       string `json:"stage"`       // "pre-charge", "post-charge" or "all"
	// When says which cases the rule applies to (all conditions hold);
	// Require what those cases must satisfy (all conditions hold).
	When    []Condition `json:"when"`
	Require []Condition `json:"require"`
}

var live = Condition{Field: "status", Op: NoneOf, Values: []string{"finalised", "completed", "closed"}}

// ComplianceRules are the checks of case progression, in the order pages
// show them.
var ComplianceRules = []ComplianceRule{
	{Code: "lawyer_allocated", Stage: "all",
		Description: "Every live case has a case lawyer allocated.",
		When:        []Condition{live},
		Require:     []Condition{{Field: "lawyer", Op: IsSet}}},
	{Code: "pre_charge_timely", Stage: "pre-charge",
		Description: "A pre-charge organised crime case has its charging decision within 365 days of being opened.",
		When:        []Condition{{Field: "kind", Op: Equals, Values: []string{"organised_crime"}}, {Field: "status", Op: Equals, Values: []string{"pre_charge"}}},
		Require:     []Condition{{Field: "opened_on", Op: WithinOf, Number: 365}}},
	{Code: "pre_charge_decision_recorded", Stage: "post-charge",
		Description: "A charged organised crime case records its pre-charge decision and the date it was made.",
		When:        []Condition{{Field: "kind", Op: Equals, Values: []string{"organised_crime"}}, {Field: "status", Op: OneOf, Values: []string{"charged", "trial", "finalised"}}},
		Require:     []Condition{{Field: "pre_charge_decision", Op: IsSet}, {Field: "pre_charge_decided_on", Op: IsSet}}},
	{Code: "defendants_recorded", Stage: "post-charge",
		Description: "A charged or tried case records its defendants.",
		When:        []Condition{{Field: "status", Op: OneOf, Values: []string{"charged", "trial"}}},
		Require:     []Condition{{Field: "defendants", Op: AtLeast, Number: 1}}},
	{Code: "custody_limit_running", Stage: "post-charge",
		Description: "A live case with a defendant in custody has a custody time limit running.",
		When:        []Condition{live, {Field: "defendants_in_custody", Op: AtLeast, Number: 1}},
		Require:     []Condition{{Field: "running_custody_limits", Op: AtLeast, Number: 1}}},
	{Code: "custody_limit_not_passed", Stage: "post-charge",
		Description: "No custody time limit on a live case has passed: each is extended, or the defendant released or tried, before it expires.",
		When:        []Condition{live},
		Require:     []Condition{{Field: "next_deadline", Op: NotPast}}},
	{Code: "outcomes_recorded", Stage: "post-charge",
		Description: "A finalised case records an outcome for every defendant or requested person.",
		When:        []Condition{{Field: "status", Op: OneOf, Values: []string{"finalised", "completed", "closed"}}},
		Require:     []Condition{{Field: "defendants_without_outcome", Op: AtMost, Number: 0}}},
	{Code: "extradition_particulars", Stage: "all",
		Description: "An extradition case records the country and the kind of warrant or request.",
		When:        []Condition{{Field: "kind", Op: Equals, Values: []string{"extradition"}}},
		Require:     []Condition{{Field: "country", Op: IsSet}, {Field: "warrant_type", Op: IsSet}}},
	{Code: "strategy_document", Stage: "post-charge",
		Description: "A charged organised crime case has a prosecution strategy document.",
		When:        []Condition{{Field: "kind", Op: Equals, Values: []string{"organised_crime"}}, {Field: "status", Op: OneOf, Values: []string{"charged", "trial"}}},
		Require:     []Condition{{Field: "prosecution_strategy_updated_on", Op: IsSet}}},
	{Code: "disclosure_document", Stage: "post-charge",
		Description: "A live case in the Crown Court has a disclosure management document.",
		When:        []Condition{live, {Field: "court", Op: Equals, Values: []string{"CC"}}, {Field: "status", Op: OneOf, Values: []string{"charged", "trial"}}},
		Require:     []Condition{{Field: "disclosure_management_updated_on", Op: IsSet}}},
	{Code: "documents_reviewed", Stage: "all",
		Description: "A live case's key documents are brought up to date by their review dates.",
		When:        []Condition{live},
		Require:     []Condition{{Field: "overdue_document_reviews", Op: AtMost, Number: 0}}},
	{Code: "directions_complied", Stage: "post-charge",
		Description: "A live case has no court direction past its due date and not complied with.",
		When:        []Condition{live},
		Require:     []Condition{{Field: "overdue_directions", Op: AtMost, Number: 0}}},
	{Code: "review_actions_closed", Stage: "all",
		Description: "Actions agreed at case management panels, gateway reviews and handovers are done by their due dates.",
		When:        []Condition{live},
		Require:     []Condition{{Field: "overdue_actions", Op: AtMost, Number: 0}}},
	{Code: "crown_court_centre", Stage: "post-charge",
		Description: "A live case in the Crown Court names its court centre.",
		When:        []Condition{live, {Field: "court", Op: Equals, Values: []string{"CC"}}},
		Require:     []Condition{{Field: "court_centre", Op: IsSet}}},
}

// CheckRules checks the rules against the register's fields, so a rule
// naming a field that does not exist stops the program at start-up with a
// message saying which rule, which field and which fields there are.
func CheckRules(rules []ComplianceRule) error {
	seen := map[string]bool{}
	var problems []string
	for _, r := range rules {
		if r.Code == "" || seen[r.Code] {
			problems = append(problems, fmt.Sprintf("compliance rule %q: every rule needs a code of its own", r.Code))
		}
		seen[r.Code] = true
		if strings.TrimSpace(r.Description) == "" {
			problems = append(problems, fmt.Sprintf("compliance rule %q has no plain-English description", r.Code))
		}
		if len(r.Require) == 0 {
			problems = append(problems, fmt.Sprintf("compliance rule %q requires nothing", r.Code))
		}
		for _, c := range append(slices.Clone(r.When), r.Require...) {
			kind, ok := CaseFields[c.Field]
			switch {
			case !ok:
				problems = append(problems, fmt.Sprintf("compliance rule %q refers to the field %q, which the case register does not have; it has %s",
					r.Code, c.Field, strings.Join(fieldNames(), ", ")))
			case !slices.Contains(opKinds[c.Op], kind):
				problems = append(problems, fmt.Sprintf("compliance rule %q tests the %s field %q with %q, which does not apply to it", r.Code, kind, c.Field, c.Op))
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("the compliance rules cannot be used:\n  %s", strings.Join(problems, "\n  "))
	}
	return nil
}

func fieldNames() []string {
	names := make([]string, 0, len(CaseFields))
	for n := range CaseFields {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// CaseFacts is one case as the rules see it: its field values (Values),
// and who and where it is for grouping the results.
type CaseFacts struct {
	CaseID     int64
	Reference  string
	UnitID     int64
	LawyerID   *int64
	LawyerName string
	TeamID     *int64
	Values     Facts
}

// Facts holds a case's field values, each in the slot of its field: a
// fixed layout rather than a map, so that a million cases fit in memory
// and are read without hashing field names.
type Facts struct {
	texts   [maxTextFields]string
	dates   [maxDateFields]time.Time
	numbers [maxNumberFields]int
}

// Room for the fields of each kind; makeSlots stops the program at start
// if CaseFields outgrows it.
const (
	maxTextFields   = 16
	maxDateFields   = 8
	maxNumberFields = 12
)

// Slot is where a field's value is kept in Facts.
type Slot struct {
	kind FieldKind
	i    int
}

var slots = makeSlots()

// makeSlots gives each field of CaseFields a slot among the fields of its
// kind, in order of name.
func makeSlots() map[string]Slot {
	out := map[string]Slot{}
	used := map[FieldKind]int{}
	room := map[FieldKind]int{TextField: maxTextFields, DateField: maxDateFields, NumberField: maxNumberFields}
	for _, name := range fieldNames() {
		kind := CaseFields[name]
		if used[kind] == room[kind] {
			panic(fmt.Sprintf("quality: more %s fields than Facts holds (%d): raise its room", kind, room[kind]))
		}
		out[name] = Slot{kind, used[kind]}
		used[kind]++
	}
	return out
}

// SlotOf is the slot of a field of CaseFields. It panics on a name that is
// not one: callers name fields in code, once, at start.
func SlotOf(name string) Slot {
	s, ok := slots[name]
	if !ok {
		panic(fmt.Sprintf("quality: the case register has no field %q", name))
	}
	return s
}

// SetText, SetDate and SetNumber keep a value in its field's slot.
func (f *Facts) SetText(s Slot, v string)    { f.texts[s.i] = v }
func (f *Facts) SetDate(s Slot, v time.Time) { f.dates[s.i] = v }
func (f *Facts) SetNumber(s Slot, v int)     { f.numbers[s.i] = v }
func (f *Facts) text(s Slot) string          { return f.texts[s.i] }
func (f *Facts) date(s Slot) time.Time       { return f.dates[s.i] }
func (f *Facts) number(s Slot) int           { return f.numbers[s.i] }

// Get is a field's value by name: a string, a time.Time or an int; nil
// for a name that is not a field.
func (f *Facts) Get(name string) any {
	s, ok := slots[name]
	if !ok {
		return nil
	}
	switch s.kind {
	case TextField:
		return f.text(s)
	case DateField:
		return f.date(s)
	}
	return f.number(s)
}

// FactsOf makes Facts from values by name (strings, time.Times and ints),
// for tests and tools; a value of the wrong kind or an unknown name is left
// unset.
func FactsOf(values map[string]any) Facts {
	var f Facts
	for name, v := range values {
		s, ok := slots[name]
		if !ok {
			continue
		}
		switch x := v.(type) {
		case string:
			if s.kind == TextField {
				f.SetText(s, x)
			}
		case time.Time:
			if s.kind == DateField {
				f.SetDate(s, x)
			}
		case int:
			if s.kind == NumberField {
				f.SetNumber(s, x)
			}
		}
	}
	return f
}

func (c Condition) holds(f *CaseFacts, today time.Time) bool {
	s, ok := slots[c.Field]
	if !ok {
		return false
	}
	v := &f.Values
	switch c.Op {
	case IsSet, IsNotSet:
		set := false
		switch s.kind {
		case TextField:
			set = v.text(s) != ""
		case DateField:
			set = !v.date(s).IsZero()
		}
		return set == (c.Op == IsSet)
	case Equals, OneOf:
		return s.kind == TextField && slices.Contains(c.Values, v.text(s))
	case NoneOf:
		return s.kind != TextField || !slices.Contains(c.Values, v.text(s))
	case AtLeast:
		return s.kind == NumberField && v.number(s) >= c.Number
	case AtMost:
		return s.kind != NumberField || v.number(s) <= c.Number
	case NotPast:
		d := v.date(s)
		return s.kind != DateField || d.IsZero() || !d.Before(today)
	case WithinOf:
		d := v.date(s)
		return s.kind == DateField && !d.IsZero() && !d.Before(today.AddDate(0, 0, -c.Number))
	}
	return false
}

// Applies reports whether the rule applies to the case.
func (r ComplianceRule) Applies(f CaseFacts, today time.Time) bool { return r.applies(&f, today) }

func (r ComplianceRule) applies(f *CaseFacts, today time.Time) bool {
	for _, c := range r.When {
		if !c.holds(f, today) {
			return false
		}
	}
	return true
}

// Passes reports whether a case the rule applies to meets it.
func (r ComplianceRule) Passes(f CaseFacts, today time.Time) bool { return r.passes(&f, today) }

func (r ComplianceRule) passes(f *CaseFacts, today time.Time) bool {
	for _, c := range r.Require {
		if !c.holds(f, today) {
			return false
		}
	}
	return true
}

// Breach is one case failing one rule.
type Breach struct {
	Rule       string `json:"rule"`
	CaseID     int64  `json:"case_id"`
	Reference  string `json:"reference"`
	LawyerName string `json:"lawyer_name"`
}

// RuleResult is how a group of cases fares against one rule.
type RuleResult struct {
	Rule        string   `json:"rule"`
	Description string   `json:"description"`
	Applicable  int      `json:"applicable"`
	Failing     int      `json:"failing"`
	Compliance  *float64 `json:"compliance"` // passing / applicable; null when it applies to none
}

// GroupResult is a group's results (a unit, team or lawyer), rule by rule.
type GroupResult struct {
	Key   string       `json:"key"`
	Rules []RuleResult `json:"rules"`
	// Failing counts the group's breaches over all rules.
	Failing int `json:"failing"`
}

func (r ComplianceRule) breach(f *CaseFacts) Breach {
	return Breach{Rule: r.Code, CaseID: f.CaseID, Reference: f.Reference, LawyerName: f.LawyerName}
}

// CaseStanding says whether any rule applies to the case, and whether it
// meets every rule that does: the case counts towards the share of cases
// meeting every rule only when some rule applies to it.
func CaseStanding(rules []ComplianceRule, f *CaseFacts, today time.Time) (checked, meets bool) {
	meets = true
	for _, r := range rules {
		if !r.applies(f, today) {
			continue
		}
		checked = true
		if !r.passes(f, today) {
			meets = false
		}
	}
	return checked, checked && meets
}

// EvaluateCase runs the rules over one case, as a change to it leaves it,
// returning its breaches in the order of the rules: the same as Evaluate
// finds for the case among all the others.
func EvaluateCase(rules []ComplianceRule, f CaseFacts, today time.Time) []Breach {
	var breaches []Breach
	for _, r := range rules {
		if r.applies(&f, today) && !r.passes(&f, today) {
			breaches = append(breaches, r.breach(&f))
		}
	}
	return breaches
}

// Evaluate runs the rules over the cases, returning every breach and the
// results grouped by the key group gives each case, in order of key.
func Evaluate(rules []ComplianceRule, cases []CaseFacts, today time.Time, group func(CaseFacts) string) ([]Breach, []GroupResult) {
	e := NewEvaluation(rules, today, group)
	for i := range cases {
		e.Add(&cases[i])
	}
	return e.Result()
}

// Evaluation runs the rules over cases one at a time, as they are read,
// so that a million cases need not be held at once.
type Evaluation struct {
	rules    []ComplianceRule
	today    time.Time
	group    func(CaseFacts) string
	byKey    map[string][]RuleResult
	breaches []Breach
}

// NewEvaluation starts an evaluation of the rules on a day, grouping the
// results by the key group gives each case.
func NewEvaluation(rules []ComplianceRule, today time.Time, group func(CaseFacts) string) *Evaluation {
	return &Evaluation{rules: rules, today: today, group: group, byKey: map[string][]RuleResult{}}
}

// Add runs the rules over one case.
func (e *Evaluation) Add(f *CaseFacts) {
	key := e.group(*f)
	results := e.byKey[key]
	if results == nil {
		results = make([]RuleResult, len(e.rules))
		for i, r := range e.rules {
			results[i] = RuleResult{Rule: r.Code, Description: r.Description}
		}
		e.byKey[key] = results
	}
	for i, r := range e.rules {
		if !r.applies(f, e.today) {
			continue
		}
		results[i].Applicable++
		if !r.passes(f, e.today) {
			results[i].Failing++
			e.breaches = append(e.breaches, r.breach(f))
		}
	}
}

// Result is every breach found and the results by group, in order of key.
func (e *Evaluation) Result() ([]Breach, []GroupResult) {
	breaches, byKey := e.breaches, e.byKey
	groups := make([]GroupResult, 0, len(byKey))
	for key, results := range byKey {
		g := GroupResult{Key: key, Rules: results}
		for i := range results {
			g.Failing += results[i].Failing
			if results[i].Applicable > 0 {
				c := float64(results[i].Applicable-results[i].Failing) / float64(results[i].Applicable)
				results[i].Compliance = &c
			}
		}
		groups = append(groups, g)
	}
	sort.Slice(groups, func(i, j int) bool { return groups[i].Key < groups[j].Key })
	return breaches, groups
}
