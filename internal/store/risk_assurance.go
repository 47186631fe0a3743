package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/fault"
	"caseboard/internal/risk"
)

// Quarterly assurance. A snapshot freezes the live risks of the register
// as at a quarter's end (from the score history, as the "as at" view
// reads them) into rows of their own, so that later changes to a risk do
// not change what was signed off. Snapshots, sign-offs and certificates
// are inserted once and never updated: every change is refused.

// TakeSnapshot freezes the register as it stood at the end of a finished
// financial quarter ("2018-19-Q2"), with every unit of the division to sign
// off its part. Errors: Forbidden, Invalid (no such quarter, or it has not
// ended), Conflict (the quarter already has its snapshot).
func (db *DB) TakeSnapshot(ctx context.Context, p *access.Principal, quarter string) (risk.Snapshot, error) {
	if !access.CanTakeSnapshot(p) {
		return risk.Snapshot{}, fault.Errorf(fault.Forbidden, "Only the Head of Division and the Area Business Manager take the register's quarterly snapshot")
	}
	key, asAt, err := risk.CheckSnapshotQuarter(quarter, db.Now())
	if err != nil {
		return risk.Snapshot{}, err
	}
	var id int64
	err = db.inTx(ctx, func(tx *Tx) error {
		if existing, err := snapshotByQuarter(ctx, tx.queryRow, key); err == nil {
			return fault.Errorf(fault.Conflict, "The register's snapshot at the end of %s was taken on %s by %s; a snapshot is never taken again or changed",
				key, existing.TakenAt.Format("2 January 2006"), existing.TakenByName)
		} else if fault.CodeOf(err) != fault.NotFound {
			return err
		}
		var err error
		if id, err = tx.insert(ctx, `INSERT INTO risk_snapshots (quarter, as_at, taken_by, taken_at) VALUES (?, ?, ?, ?)`,
			key, asAt, p.PersonID, tx.now); err != nil {
			return fmt.Errorf("take snapshot %s: %w", key, tx.dialect.translate(err))
		}
		risks, err := db.risksAsAt(ctx, tx, p, asAt)
		if err != nil {
			return err
		}
		perUnit := map[int64]int{}
		for _, r := range risks {
			data, err := json.Marshal(r)
			if err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `INSERT INTO risk_snapshot_risks (snapshot_id, risk_id, unit_id, current_score, data) VALUES (?, ?, ?, ?, ?)`,
				id, r.ID, r.UnitID, r.Current.Score(), string(data)); err != nil {
				return tx.dialect.translate(err)
			}
			perUnit[r.UnitID]++
		}
		units, err := unitIDs(ctx, tx)
		if err != nil {
			return err
		}
		for _, u := range units {
			if _, err := tx.exec(ctx, `INSERT INTO risk_snapshot_units (snapshot_id, unit_id, risks) VALUES (?, ?, ?)`, id, u, perUnit[u]); err != nil {
				return tx.dialect.translate(err)
			}
		}
		return tx.recordRef(ctx, audit.Create, "risk_snapshot", key, audit.Fields(map[string]any{"quarter": key, "as_at": asAt, "risks": len(risks)}))
	})
	if err != nil {
		return risk.Snapshot{}, err
	}
	return db.Snapshot(ctx, p, key)
}

// risksAsAt reads every live risk as it stood at the end of a day,
// highest current score first.
func (db *DB) risksAsAt(ctx context.Context, tx *Tx, p *access.Principal, asAt time.Time) ([]risk.Risk, error) {
	day := dateOnly(asAt)
	src, join, where, args, err := db.riskWhere(ctx, p, RiskFilter{AsAt: &day})
	if err != nil {
		return nil, err
	}
	rows, err := tx.query(ctx, `SELECT `+riskColumns(src)+riskFrom+join+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY `+src+`.current_score DESC, r.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []risk.Risk{}
	for rows.Next() {
		r, err := scanRisk(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func unitIDs(ctx context.Context, tx *Tx) ([]int64, error) {
	rows, err := tx.query(ctx, `SELECT id FROM units ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

type rowQuery func(ctx context.Context, query string, args ...any) *sql.Row

const snapshotColumns = `s.id, s.quarter, s.as_at, s.taken_by, COALESCE(p.name, ''), s.taken_at`

func snapshotByQuarter(ctx context.Context, q rowQuery, key string) (risk.Snapshot, error) {
	var s risk.Snapshot
	err := q(ctx, `SELECT `+snapshotColumns+` FROM risk_snapshots s LEFT JOIN people p ON p.id = s.taken_by WHERE s.quarter = ?`, key).
		Scan(&s.ID, &s.Quarter, &s.AsAt, &s.TakenBy, &s.TakenByName, &s.TakenAt)
	if errors.Is(err, sql.ErrNoRows) {
		return s, fault.Errorf(fault.NotFound, "There is no snapshot of the register for %s", key)
	}
	s.AsAt, s.TakenAt = s.AsAt.UTC(), s.TakenAt.UTC()
	return s, err
}

// Snapshots lists the quarterly snapshots, newest quarter first, each with
// its units' sign-offs and its certificate but without its risks.
func (db *DB) Snapshots(ctx context.Context, p *access.Principal) ([]risk.Snapshot, error) {
	if !access.Allows(p, access.ReadRisks) {
		return []risk.Snapshot{}, nil
	}
	rows, err := db.query(ctx, `SELECT `+snapshotColumns+` FROM risk_snapshots s LEFT JOIN people p ON p.id = s.taken_by ORDER BY s.as_at DESC`)
	if err != nil {
		return nil, err
	}
	var out []risk.Snapshot
	for rows.Next() {
		var s risk.Snapshot
		if err := rows.Scan(&s.ID, &s.Quarter, &s.AsAt, &s.TakenBy, &s.TakenByName, &s.TakenAt); err != nil {
			rows.Close()
			return nil, err
		}
		s.AsAt, s.TakenAt = s.AsAt.UTC(), s.TakenAt.UTC()
		out = append(out, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if err := db.snapshotParts(ctx, &out[i]); err != nil {
			return nil, err
		}
	}
	return append([]risk.Snapshot{}, out...), nil
}

// Snapshot reads a quarter's snapshot with its frozen risks (those of the
// principal's token's unit only, when it is limited to one), its units'
// sign-offs and its certificate. Errors: Invalid (no such quarter),
// NotFound.
func (db *DB) Snapshot(ctx context.Context, p *access.Principal, quarter string) (risk.Snapshot, error) {
	start, _, err := risk.ParseQuarter(quarter)
	if err != nil {
		return risk.Snapshot{}, err
	}
	key := risk.QuarterKey(start)
	if !access.Allows(p, access.ReadRisks) {
		return risk.Snapshot{}, fault.Errorf(fault.NotFound, "There is no snapshot of the register for %s", key)
	}
	s, err := snapshotByQuarter(ctx, db.queryRow, key)
	if err != nil {
		return s, err
	}
	if err := db.snapshotParts(ctx, &s); err != nil {
		return s, err
	}
	rows, err := db.query(ctx, `SELECT unit_id, data FROM risk_snapshot_risks WHERE snapshot_id = ? ORDER BY current_score DESC, risk_id`, s.ID)
	if err != nil {
		return s, err
	}
	defer rows.Close()
	s.Risks = []risk.Risk{}
	for rows.Next() {
		var unitID int64
		var data string
		if err := rows.Scan(&unitID, &data); err != nil {
			return s, err
		}
		if !access.CanReadRisk(p, access.RiskRecord{UnitID: unitID}) {
			continue
		}
		var r risk.Risk
		if err := json.Unmarshal([]byte(data), &r); err != nil {
			return s, fmt.Errorf("snapshot %s: %w", key, err)
		}
		s.Risks = append(s.Risks, r)
	}
	return s, rows.Err()
}

// snapshotParts reads a snapshot's units with their sign-offs, and its
// certificate.
func (db *DB) snapshotParts(ctx context.Context, s *risk.Snapshot) error {
	rows, err := db.query(ctx, `SELECT su.unit_id, u.code, u.name, su.risks, so.signed_by, COALESCE(sp.name, ''), so.signed_at, COALESCE(so.comments, '')
		FROM risk_snapshot_units su JOIN units u ON u.id = su.unit_id
		LEFT JOIN risk_signoffs so ON so.snapshot_id = su.snapshot_id AND so.unit_id = su.unit_id
		LEFT JOIN people sp ON sp.id = so.signed_by
		WHERE su.snapshot_id = ? ORDER BY u.name`, s.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	s.Units = []risk.SnapshotUnit{}
	for rows.Next() {
		var u risk.SnapshotUnit
		var by sql.NullInt64
		var name, comments string
		var at sql.NullTime
		if err := rows.Scan(&u.UnitID, &u.UnitCode, &u.UnitName, &u.Risks, &by, &name, &at, &comments); err != nil {
			return err
		}
		if by.Valid {
			u.SignOff = &risk.SignOff{UnitID: u.UnitID, SignedBy: by.Int64, SignedName: name, SignedAt: at.Time.UTC(), Comments: comments}
		}
		s.Units = append(s.Units, u)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	var c risk.AssuranceCertificate
	err = db.queryRow(ctx, `SELECT c.issued_by, COALESCE(p.name, ''), c.issued_at, c.statement FROM risk_certificates c
		LEFT JOIN people p ON p.id = c.issued_by WHERE c.snapshot_id = ?`, s.ID).Scan(&c.IssuedBy, &c.IssuedName, &c.IssuedAt, &c.Statement)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		s.Certificate = nil
	case err != nil:
		return err
	default:
		c.IssuedAt = c.IssuedAt.UTC()
		s.Certificate = &c
	}
	return nil
}

// SignOffSnapshot records a unit head's sign-off of their unit's part of a
// quarter's snapshot, with their comments. A unit is signed off once: a
// second sign-off, or one after the certificate, is refused.
// Errors: Invalid, NotFound, Forbidden, Conflict.
func (db *DB) SignOffSnapshot(ctx context.Context, p *access.Principal, quarter string, so *risk.SignOff) error {
	if err := risk.CheckSignOff(so); err != nil {
		return err
	}
	start, _, err := risk.ParseQuarter(quarter)
	if err != nil {
		return err
	}
	key := risk.QuarterKey(start)
	return db.inTx(ctx, func(tx *Tx) error {
		s, err := snapshotByQuarter(ctx, tx.queryRow, key)
		if err != nil {
			return err
		}
		var unitName string
		err = tx.queryRow(ctx, `SELECT u.name FROM risk_snapshot_units su JOIN units u ON u.id = su.unit_id WHERE su.snapshot_id = ? AND su.unit_id = ?`,
			s.ID, so.UnitID).Scan(&unitName)
		if errors.Is(err, sql.ErrNoRows) {
			return &fault.Error{Code: fault.Invalid, Message: "The sign-off could not be recorded",
				Fields: []fault.FieldError{{Field: "unit_id", Message: fmt.Sprintf("Unit %d is not part of the %s snapshot", so.UnitID, key)}}}
		} else if err != nil {
			return err
		}
		if !access.CanSignOffUnit(p, so.UnitID) {
			return fault.Errorf(fault.Forbidden, "Only the head of %s signs off its part of the snapshot", unitName)
		}
		if err := refuseIfCertified(ctx, tx, s); err != nil {
			return err
		}
		var signedName string
		var signedAt sql.NullTime
		err = tx.queryRow(ctx, `SELECT COALESCE(p.name, ''), so.signed_at FROM risk_signoffs so LEFT JOIN people p ON p.id = so.signed_by
			WHERE so.snapshot_id = ? AND so.unit_id = ?`, s.ID, so.UnitID).Scan(&signedName, &signedAt)
		if err == nil {
			return fault.Errorf(fault.Conflict, "%s's part of the %s snapshot was signed off by %s on %s; a sign-off is never changed",
				unitName, key, signedName, signedAt.Time.Format("2 January 2006"))
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		so.SignedBy, so.SignedAt = p.PersonID, tx.now
		if _, err := tx.exec(ctx, `INSERT INTO risk_signoffs (snapshot_id, unit_id, signed_by, signed_at, comments) VALUES (?, ?, ?, ?, ?)`,
			s.ID, so.UnitID, so.SignedBy, so.SignedAt, so.Comments); err != nil {
			return fmt.Errorf("sign off %s: %w", key, tx.dialect.translate(err))
		}
		return tx.recordRef(ctx, audit.Create, "risk_signoff", fmt.Sprintf("%s/%d", key, so.UnitID), audit.Diff(nil, so))
	})
}

func refuseIfCertified(ctx context.Context, tx *Tx, s risk.Snapshot) error {
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM risk_certificates WHERE snapshot_id = ?`, s.ID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return fault.Errorf(fault.Conflict, "The certificate of assurance for %s has been issued; its snapshot and sign-offs are never changed", s.Quarter)
	}
	return nil
}

// IssueCertificate records the Head of Division's divisional certificate
// of assurance for a quarter, once every unit has signed off its part.
// Errors: Forbidden, Invalid (units still to sign off), NotFound,
// Conflict (already issued).
func (db *DB) IssueCertificate(ctx context.Context, p *access.Principal, quarter string, c *risk.AssuranceCertificate) error {
	if !access.CanIssueCertificate(p) {
		return fault.Errorf(fault.Forbidden, "Only the Head of Division issues the certificate of assurance")
	}
	if err := risk.CheckCertificate(c); err != nil {
		return err
	}
	start, _, err := risk.ParseQuarter(quarter)
	if err != nil {
		return err
	}
	key := risk.QuarterKey(start)
	return db.inTx(ctx, func(tx *Tx) error {
		s, err := snapshotByQuarter(ctx, tx.queryRow, key)
		if err != nil {
			return err
		}
		if err := refuseIfCertified(ctx, tx, s); err != nil {
			return err
		}
		rows, err := tx.query(ctx, `SELECT u.name FROM risk_snapshot_units su JOIN units u ON u.id = su.unit_id
			LEFT JOIN risk_signoffs so ON so.snapshot_id = su.snapshot_id AND so.unit_id = su.unit_id
			WHERE su.snapshot_id = ? AND so.unit_id IS NULL ORDER BY u.name`, s.ID)
		if err != nil {
			return err
		}
		var outstanding []string
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				rows.Close()
				return err
			}
			outstanding = append(outstanding, name)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(outstanding) > 0 {
			return &fault.Error{Code: fault.Invalid, Message: "The certificate could not be issued",
				Fields: []fault.FieldError{{Field: "statement", Message: fmt.Sprintf("Every unit signs off its part first; still to sign off: %s", strings.Join(outstanding, ", "))}}}
		}
		c.IssuedBy, c.IssuedAt = p.PersonID, tx.now
		if _, err := tx.exec(ctx, `INSERT INTO risk_certificates (snapshot_id, issued_by, issued_at, statement) VALUES (?, ?, ?, ?)`,
			s.ID, c.IssuedBy, c.IssuedAt, c.Statement); err != nil {
			return fmt.Errorf("issue certificate %s: %w", key, tx.dialect.translate(err))
		}
		return tx.recordRef(ctx, audit.Create, "risk_certificate", key, audit.Diff(nil, c))
	})
}
