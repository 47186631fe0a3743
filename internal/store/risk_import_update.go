package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/fault"
	"caseboard/internal/risk"
)

// riskImportUpdate is a row of an import that names a risk already in the
// register by its reference: the file's values replace the risk's.
type riskImportUpdate struct {
	id     int64
	before risk.Risk // as stored, read when the row is checked
	after  risk.Risk // the file's values, its parent and related risks still to resolve
	// keepParent and keepRelated are set when the file has no parent or
	// related column: the risk's own stay.
	keepParent, keepRelated bool
}

// keepStoredValues fills an updating row's fields whose optional columns
// the file lacks with what the risk has, before the row is validated: a
// file of a few columns changes those and leaves the rest, as the cases
// import does. An empty cell of a column the file has empties the field.
func keepStoredValues(ctx context.Context, tx *Tx, u *riskImportUpdate, r *risk.Risk, absent map[string]bool) error {
	stored, err := scanRisk(tx.queryRow(ctx, `SELECT `+riskColumns("r")+riskFrom+` WHERE r.id = ?`, u.id))
	if err != nil {
		return fmt.Errorf("read risk %d: %w", u.id, err)
	}
	if err := loadRiskLinks(ctx, tx.query, &stored); err != nil {
		return err
	}
	keep := func(column string, apply func()) {
		if absent[column] {
			apply()
		}
	}
	keep("location", func() { r.LocationID = stored.LocationID })
	keep("themes", func() { r.Themes = stored.Themes })
	keep("target_date", func() { r.TargetDate = stored.TargetDate })
	keep("proximity", func() { r.Proximity = stored.Proximity })
	keep("treatment", func() { r.Treatment = stored.Treatment })
	keep("status", func() { r.Status, r.AcceptedUntil, r.ClosedOn = stored.Status, stored.AcceptedUntil, stored.ClosedOn })
	keep("accepted_until", func() { r.AcceptedUntil = stored.AcceptedUntil })
	keep("project", func() { r.Project = stored.Project })
	u.keepParent, u.keepRelated = absent["parent"], absent["related"]
	return nil
}

func importFieldError(code fault.Code, field, message string) error {
	return &fault.Error{Code: code, Message: "The risk could not be brought up to date", Fields: []fault.FieldError{{Field: field, Message: message}}}
}

// prepareRiskImportUpdate checks an updating row against the stored risk
// with the rules a change through the risk's page follows: the importer
// must be allowed to change the risk and to move it where the file puts
// it; acceptance keeps to its workflow; closing a risk with open
// counter-measures is refused, since a file cannot confirm their closing.
func (db *DB) prepareRiskImportUpdate(ctx context.Context, tx *Tx, p *access.Principal, u *riskImportUpdate, sd *risk.Seed, today time.Time) error {
	before, err := db.riskFor(ctx, tx, p, u.id, access.Write)
	if fe := fault.As(err); err != nil && fe != nil && (fe.Code == fault.NotFound || fe.Code == fault.Forbidden) {
		return importFieldError(fault.Forbidden, "reference", fmt.Sprintf(
			"%s is in the register, and you may not change it: its owner, their managers and the managers of its unit may", sd.Risk.Reference))
	} else if err != nil {
		return err
	}
	after := sd.Risk
	after.ID, after.Reference, after.Version = before.ID, before.Reference, before.Version
	after.CreatedAt, after.UpdatedAt, after.ScaleVersion, after.Escalated = before.CreatedAt, before.UpdatedAt, before.ScaleVersion, before.Escalated
	// The file has no columns for cases or recommendations: their links stay.
	after.CaseIDs, after.FindingIDs = before.CaseIDs, before.FindingIDs
	after.ParentID, after.Related = nil, nil
	if !access.CanWriteRisk(p, access.RiskRecord{UnitID: after.UnitID, OwnerID: after.OwnerID}) && !access.CanCreateRisk(p, after.UnitID) {
		return importFieldError(fault.Forbidden, "unit", fmt.Sprintf("You may not move %s to a unit you do not manage", before.Reference))
	}
	if err := checkStatusChange(before, &after); err != nil {
		return err
	}
	switch {
	case after.Status == risk.Closed && before.Status != risk.Closed:
		open, err := measuresOf(ctx, tx, before.ID, true)
		if err != nil {
			return err
		}
		if err := risk.CloseCheck(open, false); err != nil {
			return importFieldError(fault.Invalid, "status", fault.As(err).Fields[0].Message)
		}
		after.ClosedOn = &today // as a closing through the page: the day it is recorded
	case after.Status == risk.Closed:
		after.ClosedOn = before.ClosedOn
	default:
		after.ClosedOn = nil
	}
	if after.Status != risk.Accepted {
		after.AcceptedUntil = nil
	}
	u.before, u.after = before, after
	return nil
}

// applyRiskImportUpdate resolves an updating row's parent and related
// risks and, if anything differs from the stored risk, saves it as a
// change through the page does: rescored, it gains a score history point;
// the kept trend figures and heat map counts follow; the audit entry has
// each changed field before and after. It reports whether it changed.
func (db *DB) applyRiskImportUpdate(ctx context.Context, tx *Tx, p *access.Principal, u *riskImportUpdate, sd *risk.Seed,
	byRef map[string]int64, related []int64, fileName string) (bool, error) {
	after := u.after
	if u.keepParent {
		after.ParentID = u.before.ParentID
	}
	if sd.ParentRef != "" {
		parent, ok := byRef[strings.ToUpper(sd.ParentRef)]
		if !ok {
			var err error
			if parent, err = lookupID(ctx, tx, `SELECT id FROM risks WHERE UPPER(reference) = ?`, strings.ToUpper(sd.ParentRef)); err != nil {
				return false, importFieldError(fault.Invalid, "parent", fmt.Sprintf("There is no risk %q to roll up to", sd.ParentRef))
			}
		}
		after.ParentID = &parent
	}
	for _, ref := range sd.Related {
		other, ok := byRef[strings.ToUpper(ref)]
		if !ok {
			var err error
			other, err = lookupID(ctx, tx, `SELECT id FROM risks WHERE UPPER(reference) = ?`, strings.ToUpper(ref))
			ok = err == nil
		}
		if !ok || other == after.ID {
			return false, importFieldError(fault.Invalid, "related", fmt.Sprintf("There is no other risk %q in the register or the load", ref))
		}
	}
	after.Related = related
	if u.keepRelated {
		after.Related = append(slices.Clone(u.before.Related), related...)
	}
	if err := db.checkRiskLinks(ctx, tx, p, &after); err != nil {
		return false, err
	}
	if audit.Diff(storedRisk(u.before), storedRisk(after)) == "{}" {
		return false, nil
	}
	return true, db.saveRisk(ctx, tx, p, u.before, &after, "Import of "+fileName)
}

// importRelations resolves every row's related references (those that
// resolve; the rest are reported where each row is written) into the
// risks each risk is related to, either way round: a relation stands if
// either of its two rows names it, as it does for risks an import adds.
func importRelations(ctx context.Context, tx *Tx, seeds []risk.Seed, updates map[int]*riskImportUpdate, byRef map[string]int64) map[int64][]int64 {
	out := map[int64][]int64{}
	for i := range seeds {
		id := seeds[i].Risk.ID
		if u := updates[i]; u != nil {
			id = u.id
		}
		for _, ref := range seeds[i].Related {
			other, ok := byRef[strings.ToUpper(ref)]
			if !ok {
				var err error
				other, err = lookupID(ctx, tx, `SELECT id FROM risks WHERE UPPER(reference) = ?`, strings.ToUpper(ref))
				ok = err == nil
			}
			if ok && other != id && id != 0 {
				out[id] = append(out[id], other)
				out[other] = append(out[other], id)
			}
		}
	}
	return out
}
