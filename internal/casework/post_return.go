package casework

import (
	"fmt"
	"strings"
	"time"

	"caseboard/internal/fault"
)

// PostReturn is an overseas post's monthly return: what the post did in a
// month, in words and in counts, so that its work is counted (report
// 4.4-4.5: today's reports are narrative and nobody checks them). A
// return is drafted and submitted by the post and validated, or sent back
// with a reason, by someone who line-manages the submitter: the regional
// legal manager.
type PostReturn struct {
	ID         int64  `json:"id"`
	LocationID int64  `json:"location_id"` // the overseas post
	Month      string `json:"month"`       // YYYY-MM
	Narrative  string `json:"narrative"`
	// Counts of the month's work.
	CaseworkInteractions int          `json:"casework_interactions"` // requests, advice and liaison on cases
	TrainingDelivered    int          `json:"training_delivered"`    // training sessions given
	CapacityBuilding     int          `json:"capacity_building"`     // capacity-building activities
	Status               ReturnStatus `json:"status"`
	PreparedBy           int64        `json:"prepared_by"`
	SubmittedAt          *time.Time   `json:"submitted_at"`
	DecidedBy            *int64       `json:"decided_by"`
	DecidedAt            *time.Time   `json:"decided_at"`
	SentBackReason       string       `json:"sent_back_reason"`
	Version              int64        `json:"version"`

	// Resolved for display.
	LocationCode   string `json:"location_code,omitempty"`
	LocationName   string `json:"location_name,omitempty"`
	PreparedByName string `json:"prepared_by_name,omitempty"`
}

// ReturnStatus is where a monthly return is in its workflow.
type ReturnStatus string

const (
	ReturnDraft     ReturnStatus = "draft"
	ReturnSubmitted ReturnStatus = "submitted"
	ReturnValidated ReturnStatus = "validated"
	ReturnSentBack  ReturnStatus = "sent_back"
)

// Editable reports whether the post may still change the return: a draft,
// or one sent back to it.
func (s ReturnStatus) Editable() bool { return s == ReturnDraft || s == ReturnSentBack }

// Validate checks a return's content; thisMonth bounds the month, since a
// return is of a month that has begun.
func (r *PostReturn) Validate(thisMonth string) error {
	var v fault.Validation
	if r.LocationID == 0 {
		v.Add("location_id", "Choose the overseas post the return is for")
	}
	month, err := time.Parse("2006-01", r.Month)
	switch {
	case err != nil:
		v.Add("month", "Enter the month as YYYY-MM, for example 2018-06")
	case month.Year() < 2010 || r.Month > thisMonth:
		v.Add("month", "Enter a month from 2010 up to this month")
	}
	r.Narrative = strings.TrimSpace(r.Narrative)
	if len(r.Narrative) > 20000 {
		v.Add("narrative", "Keep the narrative to 20,000 characters")
	}
	for field, n := range map[string]int{"casework_interactions": r.CaseworkInteractions, "training_delivered": r.TrainingDelivered,
		"capacity_building": r.CapacityBuilding} {
		if n < 0 || n > 100000 {
			v.Add(field, "Enter a count from 0 to 100,000")
		}
	}
	return v.Err("The return could not be saved")
}

// CheckSubmittable refuses a return without the narrative a validator
// needs to judge the counts by.
func (r *PostReturn) CheckSubmittable() error {
	if r.Narrative == "" {
		return &fault.Error{Code: fault.Invalid, Message: "The return could not be submitted",
			Fields: []fault.FieldError{{Field: "narrative", Message: "Describe the month's work before submitting: the counts are checked against it"}}}
	}
	return nil
}

// CheckDecision refuses a decision on a return that is not waiting for
// one, by its own preparer, or sending back without a reason.
func (r *PostReturn) CheckDecision(decider int64, validate bool, reason string) error {
	switch {
	case r.Status != ReturnSubmitted:
		return fault.Errorf(fault.Conflict, "The return for %s is %s, not waiting for validation", r.Month, strings.ReplaceAll(string(r.Status), "_", " "))
	case decider == r.PreparedBy:
		return fault.Errorf(fault.Forbidden, "A return is validated by someone other than the person who prepared it")
	case !validate && strings.TrimSpace(reason) == "":
		return &fault.Error{Code: fault.Invalid, Message: "The return could not be sent back",
			Fields: []fault.FieldError{{Field: "reason", Message: "Say what the post should correct"}}}
	}
	return nil
}

// MonthOf is the YYYY-MM of t.
func MonthOf(t time.Time) string { return fmt.Sprintf("%04d-%02d", t.Year(), t.Month()) }
