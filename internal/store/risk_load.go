package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/fault"
	"caseboard/internal/risk"
)

// LoadRisks adds a whole register in one transaction, with each risk's
// past scores dated as the register records them: the demo division's
// register, or a register brought in whole. Every risk is checked first;
// one bad risk refuses them all. The load is one audit entry.
// Errors: Forbidden, Invalid (naming the risk), Conflict (a reference is taken).
func (db *DB) LoadRisks(ctx context.Context, p *access.Principal, seeds []risk.Seed, source string) (int, error) {
	if !access.Allows(p, access.WriteRisks) {
		return 0, fault.Errorf(fault.Forbidden, "You may not load risks")
	}
	today := dateOnly(db.Now())
	err := db.inTx(ctx, func(tx *Tx) error {
		scale, err := currentScale(ctx, tx)
		if err != nil {
			return err
		}
		byRef := map[string]int64{}
		for i := range seeds {
			sd := &seeds[i]
			r := &sd.Risk
			var resolveErr error
			if r.UnitID, resolveErr = lookupID(ctx, tx, `SELECT id FROM units WHERE code = ?`, sd.Unit); resolveErr != nil {
				return seedError(i, r, "unit", fmt.Sprintf("There is no unit %q", sd.Unit))
			}
			if sd.Location != "" {
				id, err := lookupID(ctx, tx, `SELECT id FROM locations WHERE code = ?`, sd.Location)
				if err != nil {
					return seedError(i, r, "location", fmt.Sprintf("There is no location %q", sd.Location))
				}
				r.LocationID = &id
			}
			if r.OwnerID, resolveErr = lookupID(ctx, tx, `SELECT id FROM people WHERE email = ?`, strings.ToLower(sd.OwnerEmail)); resolveErr != nil {
				return seedError(i, r, "owner", fmt.Sprintf("There is no member of staff %q", sd.OwnerEmail))
			}
			if !access.CanCreateRisk(p, r.UnitID) {
				return fault.Errorf(fault.Forbidden, "Risk %d (%s): you may load risks only into your own units", i+1, r.Reference)
			}
			if len(sd.Rescores) > 0 {
				last := sd.Rescores[len(sd.Rescores)-1]
				r.Current, r.Status = last.Current, last.Status
			}
			if r.Status == risk.Closed && r.ClosedOn == nil {
				closed := dateOnly(sd.Raised)
				if len(sd.Rescores) > 0 {
					closed = dateOnly(sd.Rescores[len(sd.Rescores)-1].At)
				}
				r.ClosedOn = &closed
			}
			if err := r.Validate(today, false); err != nil {
				fe := fault.As(err)
				fe.Message = fmt.Sprintf("Risk %d (%s) could not be loaded", i+1, r.Reference)
				return fe
			}
			first := *r
			first.Current, first.Status, first.ClosedOn = r.Inherent, risk.Open, nil
			if len(sd.Rescores) == 0 {
				first.Current, first.Status, first.ClosedOn = r.Current, r.Status, r.ClosedOn
			}
			r.ScaleVersion, r.Escalated = scale.Version, r.Status != risk.Closed && r.Current.Score() >= scale.Escalation
			r.Version, r.CreatedAt, r.UpdatedAt = 1, sd.Raised, tx.now
			if len(sd.Rescores) > 0 {
				r.UpdatedAt = sd.Rescores[len(sd.Rescores)-1].At
			}
			reference := r.Reference
			if reference == "" {
				reference = fmt.Sprintf("pending-%d-%d", tx.now.UnixNano(), i)
			}
			id, err := tx.insert(ctx, `INSERT INTO risks (reference, title, cause, event, consequence, category, unit_id, location_id, owner_id, themes,
				inherent_likelihood, inherent_impact, current_likelihood, current_impact, target_likelihood, target_impact, current_score, scale_version,
				target_date, proximity, treatment, status, accepted_until, review_months, next_review, parent_id, project, escalated, closed_on,
				import_id, version, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				append([]any{reference}, append(riskValues(r), nil, r.Version, r.CreatedAt, r.UpdatedAt)...)...)
			if err != nil {
				return fmt.Errorf("risk %d (%s): %w", i+1, r.Reference, tx.dialect.translate(err))
			}
			r.ID = id
			if r.Reference == "" {
				r.Reference = fmt.Sprintf("RSK-%05d", id)
				if _, err := tx.exec(ctx, `UPDATE risks SET reference = ? WHERE id = ?`, r.Reference, id); err != nil {
					return err
				}
			}
			byRef[strings.ToUpper(r.Reference)] = id
			if err := insertPoint(ctx, tx, id, sd.Raised, first, scale.Version, "Raised"); err != nil {
				return err
			}
			for _, sp := range sd.Rescores {
				at := first
				at.Current, at.Status = sp.Current, sp.Status
				if err := insertPoint(ctx, tx, id, sp.At, at, scale.Version, sp.Note); err != nil {
					return err
				}
			}
			for _, m := range sd.Measures {
				owner, err := lookupID(ctx, tx, `SELECT id FROM people WHERE email = ?`, strings.ToLower(m.OwnerEmail))
				if err != nil {
					return seedError(i, r, "measure", fmt.Sprintf("There is no member of staff %q to own %q", m.OwnerEmail, m.Description))
				}
				var completed any
				if !m.Status.Open() {
					completed = dateOnly(m.Due)
				}
				if _, err := tx.exec(ctx, `INSERT INTO risk_measures (risk_id, description, owner_id, due_on, status, completed_on, created_at, updated_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, m.Description, owner, dateOnly(m.Due), string(m.Status), completed, sd.Raised, tx.now); err != nil {
					return tx.dialect.translate(err)
				}
			}
		}
		// Links, once every risk of the load has its id.
		for i := range seeds {
			sd := &seeds[i]
			r := &sd.Risk
			if sd.ParentRef != "" {
				parent, ok := byRef[strings.ToUpper(sd.ParentRef)]
				if !ok {
					var err error
					if parent, err = lookupID(ctx, tx, `SELECT id FROM risks WHERE reference = ?`, sd.ParentRef); err != nil {
						return seedError(i, r, "parent", fmt.Sprintf("There is no risk %q to roll up to", sd.ParentRef))
					}
				}
				r.ParentID = &parent
				if err := db.checkRiskLinks(ctx, tx, p, r); err != nil {
					return err
				}
				if _, err := tx.exec(ctx, `UPDATE risks SET parent_id = ? WHERE id = ?`, parent, r.ID); err != nil {
					return err
				}
			}
			for _, ref := range sd.Related {
				other, ok := byRef[strings.ToUpper(ref)]
				if !ok || other == r.ID {
					return seedError(i, r, "related", fmt.Sprintf("There is no other risk %q in the load", ref))
				}
				r.Related = append(r.Related, other)
			}
			for _, t := range r.Themes {
				if _, err := tx.exec(ctx, `INSERT INTO risk_themes (risk_id, theme) VALUES (?, ?)`, r.ID, t); err != nil {
					return tx.dialect.translate(err)
				}
			}
			for _, other := range r.Related {
				if _, err := tx.exec(ctx, `INSERT INTO risk_links (risk_id, related_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, min(r.ID, other), max(r.ID, other)); err != nil {
					return tx.dialect.translate(err)
				}
			}
		}
		return tx.recordRef(ctx, audit.Import, "risk_register", source, audit.Fields(map[string]any{"risks": len(seeds), "source": source}))
	})
	if err != nil {
		return 0, err
	}
	return len(seeds), nil
}

func insertPoint(ctx context.Context, tx *Tx, riskID int64, at any, r risk.Risk, scale int, note string) error {
	_, err := tx.exec(ctx, `INSERT INTO risk_scores (risk_id, at, inherent_likelihood, inherent_impact, current_likelihood, current_impact,
		target_likelihood, target_impact, current_score, scale_version, status, by_id, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)`,
		riskID, at, r.Inherent.Likelihood, r.Inherent.Impact, r.Current.Likelihood, r.Current.Impact, r.Target.Likelihood, r.Target.Impact,
		r.Current.Score(), scale, string(r.Status), note)
	return tx.dialect.translate(err)
}

func lookupID(ctx context.Context, tx *Tx, query string, arg any) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, query, arg).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fault.Errorf(fault.NotFound, "not found")
	}
	return id, err
}

func seedError(i int, r *risk.Risk, field, message string) error {
	return &fault.Error{Code: fault.Invalid, Message: fmt.Sprintf("Risk %d (%s) could not be loaded", i+1, r.Reference),
		Fields: []fault.FieldError{{Field: field, Message: message}}}
}
