package plan

import (
	"fmt"
	"time"
)

// Outcome is an evidence check's result.
type Outcome string

const (
	Pass Outcome = "pass"
	Fail Outcome = "fail"
	// CouldNotEvaluate is the result of a check that errored: never a pass.
	CouldNotEvaluate Outcome = "could_not_evaluate"
)

// Label is the outcome for people.
func (o Outcome) Label() string {
	switch o {
	case Pass:
		return "Pass"
	case Fail:
		return "Fail"
	case CouldNotEvaluate:
		return "Could not evaluate"
	}
	return "Not yet evaluated"
}

// Valid reports whether o is a known outcome.
func (o Outcome) Valid() bool { return o == Pass || o == Fail || o == CouldNotEvaluate }

// CheckInfo describes an evidence check: a statement about the division
// that caseboard tests against its own records, in plain English.
type CheckInfo struct {
	Code        string   `json:"code"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Criteria    []string `json:"criteria,omitempty"` // framework criteria it bears on, e.g. B1.4
}

// Result is one evaluation of a check.
type Result struct {
	Code        string    `json:"code"`
	Outcome     Outcome   `json:"outcome"`
	Detail      string    `json:"detail,omitempty"` // what was found
	Reason      string    `json:"reason,omitempty"` // why it could not be evaluated
	EvaluatedAt time.Time `json:"evaluated_at"`
}

// Passes is a result that passes with the detail.
func Passes(detail string, args ...any) Result {
	return Result{Outcome: Pass, Detail: fmt.Sprintf(detail, args...)}
}

// Fails is a result that fails with the detail.
func Fails(detail string, args ...any) Result {
	return Result{Outcome: Fail, Detail: fmt.Sprintf(detail, args...)}
}

// Judge turns what a check's evaluation returned into its result: an
// error, a panic reported as an error, or a result without a valid outcome
// is "could not evaluate", with the reason, and never a pass.
func Judge(code string, r Result, err error, at time.Time) Result {
	r.Code, r.EvaluatedAt = code, at
	switch {
	case err != nil:
		return Result{Code: code, Outcome: CouldNotEvaluate, Reason: err.Error(), EvaluatedAt: at}
	case !r.Outcome.Valid():
		return Result{Code: code, Outcome: CouldNotEvaluate, Reason: fmt.Sprintf("the check gave no verdict (%q)", r.Outcome), EvaluatedAt: at}
	case r.Outcome == CouldNotEvaluate && r.Reason == "":
		r.Reason = "the check could not say"
	}
	return r
}

// CheckStatus is a check with its latest result and recent history.
type CheckStatus struct {
	CheckInfo
	Latest  *Result  `json:"latest,omitempty"`
	History []Result `json:"history"`
}
