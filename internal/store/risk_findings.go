package store

import (
	"context"
	"slices"

	"caseboard/internal/access"
	"caseboard/internal/plan"
)

// RiskFindings lists the inspection findings a risk the principal may see
// is linked to, with their status; none for someone who may not read
// inspections. Errors: NotFound (the risk).
func (db *DB) RiskFindings(ctx context.Context, p *access.Principal, riskID int64) ([]plan.Finding, error) {
	r, err := db.Risk(ctx, p, riskID)
	if err != nil {
		return nil, err
	}
	out := []plan.Finding{}
	if !access.Allows(p, access.ReadPlans) {
		return out, nil
	}
	for _, id := range r.FindingIDs {
		f, err := db.Finding(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// SetRiskFinding links a risk to an inspection finding (linked) or unlinks
// it, as a change of the risk by someone who may change it: a new version,
// audited before and after. Linking again, or unlinking what is not
// linked, changes nothing. Errors: NotFound (the risk, or a finding to
// link), Forbidden.
func (db *DB) SetRiskFinding(ctx context.Context, p *access.Principal, riskID, findingID int64, linked bool) error {
	return db.inTx(ctx, func(tx *Tx) error {
		before, err := db.riskFor(ctx, tx, p, riskID, access.Write)
		if err != nil {
			return err
		}
		if slices.Contains(before.FindingIDs, findingID) == linked {
			return nil
		}
		after := before
		after.FindingIDs = slices.DeleteFunc(slices.Clone(before.FindingIDs), func(id int64) bool { return id == findingID })
		if linked {
			if _, err := findingFor(ctx, tx, findingID); err != nil {
				return err
			}
			after.FindingIDs = append(after.FindingIDs, findingID)
		}
		if err := checkRiskFindings(ctx, tx, p, &after); err != nil {
			return err
		}
		return db.saveRisk(ctx, tx, p, before, &after, "")
	})
}
