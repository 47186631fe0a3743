package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/fault"
	"caseboard/internal/measure"
	"caseboard/internal/org"
)

// Joint measures: a measure shared with a partner organisation, which then
// sees that measure, and only the measures shared with it, on its
// Performance page and through the API. The figures it sees are still
// counted from the records it may see, so a figure and its records agree.

// MeasureShare is one measure shared with one partner organisation.
type MeasureShare struct {
	Measure     string    `json:"measure"`
	Partner     string    `json:"partner"` // the partner's code
	PartnerName string    `json:"partner_name"`
	SharedBy    string    `json:"shared_by"`
	SharedAt    time.Time `json:"shared_at"`
}

// MeasureShares lists whom a measure is shared with (every measure's
// shares when code is empty), by measure and partner name.
func (db *DB) MeasureShares(ctx context.Context, code string) ([]MeasureShare, error) {
	where, args := "", []any{}
	if code != "" {
		where, args = "WHERE s.measure = ?", append(args, code)
	}
	rows, err := db.query(ctx, `SELECT s.measure, p.code, p.name, s.shared_by_name, s.shared_at
		FROM measure_shares s JOIN partners p ON p.id = s.partner_id `+where+` ORDER BY s.measure, p.name`, args...)
	if err != nil {
		return nil, fmt.Errorf("list measure shares: %w", err)
	}
	defer rows.Close()
	out := []MeasureShare{}
	for rows.Next() {
		var s MeasureShare
		if err := rows.Scan(&s.Measure, &s.Partner, &s.PartnerName, &s.SharedBy, &s.SharedAt); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// MeasuresFor is the catalogue as the principal may see it: every measure
// for the division's staff, inspectors and the Board; for a partner, only
// the measures shared with its organisation.
func (db *DB) MeasuresFor(ctx context.Context, p *access.Principal) ([]measure.Measure, error) {
	if !p.IsPartner() {
		return measure.Catalogue, nil
	}
	shared, err := db.sharedWith(ctx, p)
	if err != nil {
		return nil, err
	}
	var out []measure.Measure
	for _, m := range measure.Catalogue {
		if slices.Contains(shared, m.Code) {
			out = append(out, m)
		}
	}
	return out, nil
}

// MeasureFor finds a measure the principal may see. A measure not shared
// with a partner is, for that partner, not there. Errors: NotFound.
func (db *DB) MeasureFor(ctx context.Context, p *access.Principal, code string) (measure.Measure, error) {
	m, ok := measure.Lookup(code)
	if !ok {
		return m, measure.ErrUnknownMeasure(code)
	}
	if !p.IsPartner() {
		return m, nil
	}
	shared, err := db.sharedWith(ctx, p)
	if err != nil {
		return m, err
	}
	if !slices.Contains(shared, code) {
		return m, fault.Errorf(fault.NotFound, "There is no measure %q shared with your organisation", code)
	}
	return m, nil
}

// sharedWith is the codes of the measures shared with a partner's
// organisation (none for a partner account with no organisation).
func (db *DB) sharedWith(ctx context.Context, p *access.Principal) ([]string, error) {
	if p.PartnerID == nil {
		return nil, nil
	}
	rows, err := db.query(ctx, `SELECT measure FROM measure_shares WHERE partner_id = ? ORDER BY measure`, *p.PartnerID)
	if err != nil {
		return nil, fmt.Errorf("measures shared with partner %d: %w", *p.PartnerID, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return nil, err
		}
		out = append(out, code)
	}
	return out, rows.Err()
}

// ShareMeasure shares a measure with a partner organisation (by code).
// Sharing a measure already shared changes nothing. Errors: NotFound (no
// such measure), Invalid (no such partner, on the field "partner"),
// Forbidden (CanShareMeasure).
func (db *DB) ShareMeasure(ctx context.Context, p *access.Principal, code, partner string) error {
	m, target, err := db.shareable(ctx, p, code, partner)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM measure_shares WHERE measure = ? AND partner_id = ?`, m.Code, target.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		if _, err := tx.exec(ctx, `INSERT INTO measure_shares (measure, partner_id, shared_by_id, shared_by_name, shared_at) VALUES (?, ?, ?, ?, ?)`,
			m.Code, target.ID, personOf(p), p.Name, tx.now); err != nil {
			return fmt.Errorf("share %s with %s: %w", m.Code, target.Code, tx.dialect.translate(err))
		}
		return tx.recordRef(ctx, audit.Create, "measure_share", m.Code+"/"+target.Code, audit.Diff(nil, shareEntry{m.Code, target.Code}))
	})
}

// UnshareMeasure stops sharing a measure with a partner organisation.
// Errors: as ShareMeasure, and NotFound when it was not shared with them.
func (db *DB) UnshareMeasure(ctx context.Context, p *access.Principal, code, partner string) error {
	m, target, err := db.shareable(ctx, p, code, partner)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM measure_shares WHERE measure = ? AND partner_id = ?`, m.Code, target.ID)
		if err != nil {
			return fmt.Errorf("unshare %s with %s: %w", m.Code, target.Code, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err != nil {
				return err
			}
			return fault.Errorf(fault.NotFound, "%s is not shared with %s", m.Name, target.Name)
		}
		return tx.recordRef(ctx, audit.Delete, "measure_share", m.Code+"/"+target.Code, audit.Diff(shareEntry{m.Code, target.Code}, nil))
	})
}

// shareEntry is what the audit trail keeps of a share.
type shareEntry struct{ Measure, Partner string }

// shareable checks a share or unshare: the measure exists, the partner
// exists, and the principal may share that measure.
func (db *DB) shareable(ctx context.Context, p *access.Principal, code, partner string) (measure.Measure, org.Partner, error) {
	m, ok := measure.Lookup(code)
	if !ok {
		return m, org.Partner{}, measure.ErrUnknownMeasure(code)
	}
	units, err := db.Units(ctx)
	if err != nil {
		return m, org.Partner{}, err
	}
	var unitIDs []int64
	for _, u := range units {
		if slices.Contains(m.Units, u.Code) {
			unitIDs = append(unitIDs, u.ID)
		}
	}
	if !access.CanShareMeasure(p, unitIDs) {
		return m, org.Partner{}, fault.Errorf(fault.Forbidden,
			"Only the Head of Division, or the head of the unit a measure is of, shares %s with a partner", m.Name)
	}
	var target org.Partner
	err = db.queryRow(ctx, `SELECT id, code, name FROM partners WHERE code = ?`, partner).Scan(&target.ID, &target.Code, &target.Name)
	if errors.Is(err, sql.ErrNoRows) {
		var v fault.Validation
		v.Add("partner", fmt.Sprintf("There is no partner organisation %q", partner))
		return m, target, v.Err("Choose a partner organisation")
	}
	return m, target, err
}
