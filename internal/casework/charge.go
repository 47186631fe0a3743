package casework

import (
	"strings"

	"caseboard/internal/deadline"
	"caseboard/internal/fault"
)

// Charge is one charge of a defendant. A defendant in custody has a
// custody time limit per charge, computed from the dates recorded on it.
type Charge struct {
	ID               int64           `json:"id"`
	DefendantID      int64           `json:"defendant_id"`
	Description      string          `json:"description"`
	PrincipalOffence OffenceCategory `json:"principal_offence"`
	// Custody holds the dates a custody time limit is computed from; nil
	// when the defendant is not in custody on this charge.
	Custody *deadline.CTLInput `json:"custody"`
	// CTL is the limit computed from Custody, with its working; filled in
	// when the charge is read or saved, never typed in.
	CTL *deadline.CTL `json:"ctl,omitempty"`
}

// Validate checks a charge and computes its custody time limit with the
// calendar, so that a charge whose dates make no sense is refused with
// the reason.
func (c *Charge) Validate(cal *deadline.Calendar) error {
	var v fault.Validation
	c.Description = strings.TrimSpace(c.Description)
	if c.Description == "" || len(c.Description) > 500 {
		v.Add("description", "Enter the charge, up to 500 characters")
	}
	if c.PrincipalOffence != "" && !c.PrincipalOffence.Valid() {
		v.Add("principal_offence", "Enter a CPS principal offence category code")
	}
	if err := v.Err("The charge could not be saved"); err != nil {
		return err
	}
	c.CTL = nil
	if c.Custody == nil {
		return nil
	}
	ctl, err := deadline.ComputeCTL(*c.Custody, cal)
	if err != nil {
		return err
	}
	c.CTL = &ctl
	return nil
}

// Running reports whether the charge's custody time limit still runs.
func (c *Charge) Running() bool {
	return c.CTL != nil && c.CTL.Stopped.IsZero()
}
