package measure

import (
	"time"

	"caseboard/internal/fault"
)

// Record is one record behind a figure: a finalised defendant, a live
// case, a direction, a charge, an IQA obligation, a person or a return.
type Record struct {
	Source Source `json:"source"`
	ID     int64  `json:"id"`
	// CaseID and Reference name the case a casework record belongs to.
	CaseID    *int64     `json:"case_id,omitempty"`
	Reference string     `json:"reference"`
	Unit      string     `json:"unit"`
	Date      *time.Time `json:"date"` // the date that puts it in the period
	Detail    string     `json:"detail"`
}

// ErrUnknownMeasure is returned for a code not in the catalogue.
func ErrUnknownMeasure(code string) error {
	return fault.Errorf(fault.NotFound, "There is no measure %q", code)
}
