// Package plan holds what caseboard knows about inspections and what is
// done about them: inspection frameworks (trees of criteria), inspections
// and their findings (recommendations, aspects for improvement, good
// practice), the organisation's responses, action plans with their
// milestones, target-date changes, updates and closure, and the results of
// the evidence checks that show, from the records themselves, whether what
// was promised is still true.
//
// Like the other domain packages it holds types and rules and imports no
// database or HTTP code. Dates are civil dates carried as midnight UTC, as
// in casework.
package plan
