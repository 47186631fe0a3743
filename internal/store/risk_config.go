package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/fault"
	"caseboard/internal/risk"
)

// RiskScale returns the scale in force: the newest version, or the
// default 5x5 scale when the division has not changed it.
func (db *DB) RiskScale(ctx context.Context) (risk.Scale, error) {
	var raw string
	err := db.queryRow(ctx, `SELECT definition FROM risk_scales ORDER BY version DESC LIMIT 1`).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return risk.DefaultScale, nil
	}
	if err != nil {
		return risk.Scale{}, db.unavailable("risk scale", err)
	}
	var s risk.Scale
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		return risk.Scale{}, fmt.Errorf("risk scale: %w", err)
	}
	return s, nil
}

// currentScale is RiskScale inside a write transaction, making sure the
// default scale is stored as version 1 so scores can refer to it.
func currentScale(ctx context.Context, tx *Tx) (risk.Scale, error) {
	var raw string
	err := tx.queryRow(ctx, `SELECT definition FROM risk_scales ORDER BY version DESC LIMIT 1`).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		def, _ := json.Marshal(risk.DefaultScale)
		if _, err := tx.exec(ctx, `INSERT INTO risk_scales (version, definition, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
			risk.DefaultScale.Version, string(def), tx.now); err != nil {
			return risk.Scale{}, tx.dialect.translate(err)
		}
		return risk.DefaultScale, nil
	}
	if err != nil {
		return risk.Scale{}, err
	}
	var s risk.Scale
	return s, json.Unmarshal([]byte(raw), &s)
}

// SetRiskScale stores a new version of the scale: relabelled levels, moved
// band thresholds or a new escalation threshold. Scores already made keep
// the version they were made on. Errors: Forbidden, Invalid.
func (db *DB) SetRiskScale(ctx context.Context, p *access.Principal, s *risk.Scale) error {
	if !access.Allows(p, access.ManageRiskAppetite) {
		return fault.Errorf(fault.Forbidden, "Only the Head of Division changes the risk scale")
	}
	return db.inTx(ctx, func(tx *Tx) error {
		before, err := currentScale(ctx, tx)
		if err != nil {
			return err
		}
		s.Version = before.Version + 1
		if err := s.Validate(); err != nil {
			return err
		}
		def, _ := json.Marshal(s)
		if _, err := tx.exec(ctx, `INSERT INTO risk_scales (version, definition, created_by, created_at) VALUES (?, ?, ?, ?)`,
			s.Version, string(def), p.PersonID, tx.now); err != nil {
			return tx.dialect.translate(err)
		}
		return tx.recordRef(ctx, audit.Create, "risk_scale", strconv.Itoa(s.Version), audit.Diff(before, s))
	})
}

// RiskAppetites returns the appetite for each category, the defaults
// where the Head of Division has set none.
func (db *DB) RiskAppetites(ctx context.Context) ([]risk.Appetite, error) {
	rows, err := db.query(ctx, `SELECT category, level, max_score, set_by, set_at FROM risk_appetite`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	set := map[risk.Category]risk.Appetite{}
	for rows.Next() {
		var a risk.Appetite
		var by sql.NullInt64
		if err := rows.Scan(&a.Category, &a.Level, &a.MaxScore, &by, &a.SetAt); err != nil {
			return nil, err
		}
		a.SetBy = nullableID(by)
		set[a.Category] = a
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := risk.DefaultAppetites()
	for i, a := range out {
		if s, ok := set[a.Category]; ok {
			out[i] = s
		}
	}
	return out, nil
}

// SetRiskAppetite sets the appetite of the categories given.
// Errors: Forbidden, Invalid.
func (db *DB) SetRiskAppetite(ctx context.Context, p *access.Principal, apps []risk.Appetite) error {
	if !access.Allows(p, access.ManageRiskAppetite) {
		return fault.Errorf(fault.Forbidden, "Only the Head of Division sets the risk appetite")
	}
	var problems []fault.FieldError
	for i := range apps {
		if err := apps[i].Validate(); err != nil {
			problems = append(problems, fault.As(err).Fields...)
		}
	}
	if len(problems) > 0 {
		return &fault.Error{Code: fault.Invalid, Message: "The risk appetite could not be set", Fields: problems}
	}
	before, err := db.RiskAppetites(ctx)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		for _, a := range apps {
			if _, err := tx.exec(ctx, `INSERT INTO risk_appetite (category, level, max_score, set_by, set_at) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (category) DO UPDATE SET level = excluded.level, max_score = excluded.max_score, set_by = excluded.set_by, set_at = excluded.set_at`,
				string(a.Category), string(a.Level), a.MaxScore, p.PersonID, tx.now); err != nil {
				return tx.dialect.translate(err)
			}
			for _, b := range before {
				if b.Category == a.Category && (b.Level != a.Level || b.MaxScore != a.MaxScore) {
					if err := tx.recordRef(ctx, audit.Update, "risk_appetite", string(a.Category),
						audit.Diff(map[string]any{"level": b.Level, "max_score": b.MaxScore}, map[string]any{"level": a.Level, "max_score": a.MaxScore})); err != nil {
						return err
					}
				}
			}
		}
		// Since when each risk has been above appetite follows the new
		// limits at once.
		return tx.setAboveAppetiteSince(ctx, nil)
	})
}
