package store

import (
	"context"
	"database/sql"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/fault"
	"caseboard/internal/knowledge"
)

// SaveSpecialism adds or replaces an entry of the national leads and
// specialisms directory. Errors: Invalid, Forbidden.
func (db *DB) SaveSpecialism(ctx context.Context, p *access.Principal, s *knowledge.Specialism) error {
	if !access.Allows(p, access.ManageOrganisation) {
		return fault.Errorf(fault.Forbidden, "Only administrators keep the directory")
	}
	if err := s.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		var v fault.Validation
		for _, person := range []struct {
			field string
			id    *int64
		}{{"lead_id", s.LeadID}, {"deputy_id", s.DeputyID}} {
			if person.id == nil {
				continue
			}
			var known int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM people WHERE id = ?`, *person.id).Scan(&known); err != nil {
				return err
			}
			if known == 0 {
				v.Add(person.field, "Choose a person from the list")
			}
		}
		if err := v.Err("The directory entry could not be saved"); err != nil {
			return err
		}
		s.UpdatedAt = tx.now
		_, err := tx.exec(ctx, `INSERT INTO knowledge_specialisms (code, name, country, lead_id, deputy_id, contact, helps_with, tag, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET name = excluded.name, country = excluded.country,
			lead_id = excluded.lead_id, deputy_id = excluded.deputy_id, contact = excluded.contact, helps_with = excluded.helps_with,
			tag = excluded.tag, updated_at = excluded.updated_at`,
			s.Code, s.Name, s.Country, s.LeadID, s.DeputyID, s.Contact, s.HelpsWith, s.Tag, s.UpdatedAt)
		if err != nil {
			return tx.dialect.translate(err)
		}
		return tx.recordRef(ctx, audit.Update, "specialism", s.Code, audit.Fields(map[string]any{"name": s.Name, "lead_id": s.LeadID,
			"deputy_id": s.DeputyID, "contact": s.Contact, "helps_with": s.HelpsWith}))
	})
}

// Specialisms lists the directory: subjects first, then countries, by name.
func (db *DB) Specialisms(ctx context.Context) ([]knowledge.Specialism, error) {
	rows, err := db.query(ctx, `SELECT s.code, s.name, s.country, s.lead_id, COALESCE(l.name, ''), COALESCE(l.email, ''), s.deputy_id, COALESCE(d.name, ''),
		s.contact, s.helps_with, s.tag, s.updated_at
		FROM knowledge_specialisms s LEFT JOIN people l ON l.id = s.lead_id LEFT JOIN people d ON d.id = s.deputy_id
		ORDER BY CASE WHEN s.country = '' THEN 0 ELSE 1 END, s.name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []knowledge.Specialism{}
	for rows.Next() {
		var s knowledge.Specialism
		var lead, deputy sql.NullInt64
		if err := rows.Scan(&s.Code, &s.Name, &s.Country, &lead, &s.LeadName, &s.LeadEmail, &deputy, &s.DeputyName, &s.Contact, &s.HelpsWith, &s.Tag, &s.UpdatedAt); err != nil {
			return nil, err
		}
		s.LeadID, s.DeputyID, s.UpdatedAt = nullableID(lead), nullableID(deputy), s.UpdatedAt.UTC()
		out = append(out, s)
	}
	return out, rows.Err()
}
