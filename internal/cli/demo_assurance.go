package cli

import (
	"context"
	"fmt"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/risk"
	"caseboard/internal/store"
)

// loadDemoAssurance takes the register's snapshots at the ends of the last
// two quarters: the older signed off by every unit head and certified by
// the Head of Division, the newer waiting for International's sign-off.
func loadDemoAssurance(ctx context.Context, db *store.DB, hod *access.Principal, today time.Time) (int, error) {
	units, err := db.Units(ctx)
	if err != nil {
		return 0, err
	}
	current, _, _ := risk.ParseQuarter(risk.QuarterKey(today))
	older, newer := risk.QuarterKey(current.AddDate(0, -6, 0)), risk.QuarterKey(current.AddDate(0, -3, 0))
	for _, quarter := range []string{older, newer} {
		if _, err := db.TakeSnapshot(ctx, hod, quarter); err != nil {
			return 0, fmt.Errorf("snapshot %s: %w", quarter, err)
		}
		for _, u := range units {
			if u.HeadID == nil || (quarter == newer && u.Code == "international") {
				continue
			}
			head, err := db.Principal(ctx, *u.HeadID)
			if err != nil {
				return 0, err
			}
			so := risk.SignOff{UnitID: u.ID, Comments: fmt.Sprintf("%s's risks reviewed at the unit's management meeting; scores and counter-measures agreed with their owners.", u.Name)}
			if err := db.SignOffSnapshot(ctx, head, quarter, &so); err != nil {
				return 0, fmt.Errorf("sign off %s for %s: %w", quarter, u.Code, err)
			}
		}
	}
	c := risk.AssuranceCertificate{Statement: "The division's risks were identified, assessed and managed within appetite this quarter, " +
		"with the exceptions its units have recorded; escalated risks were reviewed by the management team."}
	if err := db.IssueCertificate(ctx, hod, older, &c); err != nil {
		return 0, fmt.Errorf("certificate %s: %w", older, err)
	}
	return 2, nil
}
