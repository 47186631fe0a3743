package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/fault"
	"caseboard/internal/quality"
)

// DipSample is a random sample of a unit's IQAs drawn for blind re-marking.
type DipSample struct {
	ID          int64     `json:"id"`
	UnitID      int64     `json:"unit_id"`
	From        time.Time `json:"from"`
	To          time.Time `json:"to"`
	Seed        int64     `json:"seed"`
	Size        int       `json:"size"`
	RemarkerID  int64     `json:"remarker_id"`
	DrawnBy     int64     `json:"drawn_by"`
	DrawnAt     time.Time `json:"drawn_at"`
	Assessments []int64   `json:"assessments"`
}

// DrawDipSample draws up to size of a unit's IQAs made in [from, to] at
// random for the remarker to re-mark blind, leaving out IQAs already
// sampled and any the remarker made or is the subject of. The draw is
// seeded and recorded, so it can be repeated and checked: the candidates
// are ordered by id and shuffled with the seed.
// Errors: Forbidden (not the unit's head), Invalid.
func (db *DB) DrawDipSample(ctx context.Context, p *access.Principal, s *DipSample) error {
	if !access.CanCalibrate(p, s.UnitID) || !access.Allows(p, access.WriteQuality) {
		return fault.Errorf(fault.Forbidden, "Dip samples of a unit are drawn by the head of that unit or the head of division")
	}
	var v fault.Validation
	if s.Size < 1 || s.Size > 100 {
		v.Add("size", "Sample between 1 and 100 assessments")
	}
	if s.From.IsZero() || s.To.IsZero() || s.To.Before(s.From) {
		v.Add("from", "Enter the period the assessments were made in, from before to")
	}
	if s.RemarkerID == 0 {
		s.RemarkerID = p.PersonID
	}
	if err := v.Err("The dip sample could not be drawn"); err != nil {
		return err
	}
	s.From, s.To, s.DrawnBy = dateOnly(s.From), dateOnly(s.To), p.PersonID
	return db.inTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT a.id FROM assessments a WHERE a.kind = 'iqa' AND a.unit_id = ? AND a.assessed_on >= ? AND a.assessed_on <= ?
			AND a.assessor_id <> ? AND a.assessed_id <> ? AND NOT EXISTS (SELECT 1 FROM dip_sample_items i WHERE i.assessment_id = a.id)
			ORDER BY a.id`, s.UnitID, s.From, s.To, s.RemarkerID, s.RemarkerID)
		if err != nil {
			return err
		}
		var candidates []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			candidates = append(candidates, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(candidates) == 0 {
			return fault.Errorf(fault.Invalid, "No assessment of the unit in that period is left to sample")
		}
		rng := rand.New(rand.NewPCG(uint64(s.Seed), 0xd1b5))
		rng.Shuffle(len(candidates), func(i, j int) { candidates[i], candidates[j] = candidates[j], candidates[i] })
		s.Assessments = candidates[:min(s.Size, len(candidates))]
		s.DrawnAt = tx.now
		id, err := tx.insert(ctx, `INSERT INTO dip_samples (unit_id, period_from, period_to, seed, size, remarker_id, drawn_by, drawn_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, s.UnitID, s.From, s.To, s.Seed, s.Size, s.RemarkerID, s.DrawnBy, s.DrawnAt)
		if err != nil {
			return fmt.Errorf("draw dip sample: %w", tx.dialect.translate(err))
		}
		s.ID = id
		for _, a := range s.Assessments {
			if _, err := tx.exec(ctx, `INSERT INTO dip_sample_items (sample_id, assessment_id) VALUES (?, ?)`, id, a); err != nil {
				return tx.dialect.translate(err)
			}
		}
		return tx.record(ctx, audit.Create, "dip_sample", id, audit.Diff(nil, *s))
	})
}

// CreateRemark records the principal's blind re-mark of a sampled IQA they
// were asked to re-mark; it takes the original's case, person, activity and
// template version. Errors: NotFound (no such request for them), Invalid.
func (db *DB) CreateRemark(ctx context.Context, p *access.Principal, originalID int64, r *quality.Assessment) error {
	if !access.Allows(p, access.WriteQuality) {
		return fault.Errorf(fault.Forbidden, "You may not record quality assessments")
	}
	return db.inTx(ctx, func(tx *Tx) error {
		var original quality.Assessment
		var kind, activity string
		err := tx.queryRow(ctx, `SELECT a.kind, a.assessed_id, a.assessor_id, a.case_id, a.unit_id, a.activity, a.template_version
			FROM assessments a JOIN dip_sample_items i ON i.assessment_id = a.id JOIN dip_samples s ON s.id = i.sample_id
			WHERE a.id = ? AND s.remarker_id = ? AND i.remark_id IS NULL`, originalID, p.PersonID).
			Scan(&kind, &original.AssessedID, &original.AssessorID, &original.CaseID, &original.UnitID, &activity, &original.TemplateVersion)
		if err != nil {
			return fault.Errorf(fault.NotFound, "You have not been asked to re-mark assessment %d, or have re-marked it already", originalID)
		}
		if _, err := db.caseFor(ctx, tx, p, original.CaseID, access.Read); err != nil {
			return err
		}
		r.Kind, r.RemarkOf, r.AssessorID = quality.Remark, &originalID, p.PersonID
		r.AssessedID, r.CaseID, r.UnitID = original.AssessedID, original.CaseID, original.UnitID
		r.Activity, r.TemplateVersion = quality.Activity(activity), original.TemplateVersion
		r.AssessedOn = dateOnly(tx.now)
		if err := r.Validate(); err != nil {
			return err
		}
		if err := db.insertAssessment(ctx, tx, r); err != nil {
			return err
		}
		_, err = tx.exec(ctx, `UPDATE dip_sample_items SET remark_id = ? WHERE assessment_id = ? AND remark_id IS NULL`, r.ID, originalID)
		return err
	})
}

// SampledAssessment returns what a re-marker may know of an IQA they are
// to re-mark: its person, case, activity and template version, without its
// marks or feedback. Errors: NotFound.
func (db *DB) SampledAssessment(ctx context.Context, p *access.Principal, id int64) (quality.Assessment, error) {
	a, err := scanAssessment(db.queryRow(ctx, `SELECT `+assessmentColumns+assessmentFrom+` WHERE a.id = ? AND EXISTS (SELECT 1 FROM dip_sample_items i
		JOIN dip_samples s ON s.id = i.sample_id WHERE i.assessment_id = a.id AND s.remarker_id = ? AND i.remark_id IS NULL)`, id, p.PersonID))
	if err != nil {
		return quality.Assessment{}, fault.Errorf(fault.NotFound, "You have not been asked to re-mark assessment %d, or have re-marked it already", id)
	}
	a.Feedback = ""
	return a, nil
}

// LoadAssessments stores a batch of assessments made elsewhere (the demo's
// year of IQAs) in one transaction and one audit entry. Each is validated
// against its template; a re-mark names its original by the original's
// position in the batch plus one, in RemarkOf. Re-marks are recorded as
// dip samples, one per unit and re-marker, with seed 0.
func (db *DB) LoadAssessments(ctx context.Context, batch []quality.Assessment, source string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		ids := make([]int64, len(batch))
		samples := map[[2]int64]int64{}
		for i := range batch {
			a := batch[i]
			a.AssessedOn = dateOnly(a.AssessedOn)
			if err := a.Validate(); err != nil {
				return fmt.Errorf("assessment %d of the batch: %w", i+1, err)
			}
			var original int64
			if a.Kind == quality.Remark {
				if a.RemarkOf == nil || *a.RemarkOf < 1 || int(*a.RemarkOf) > i {
					return fmt.Errorf("re-mark %d of the batch names no earlier assessment", i+1)
				}
				original = ids[*a.RemarkOf-1]
				a.RemarkOf = &original
			}
			id, err := tx.insert(ctx, `INSERT INTO assessments (kind, remark_of, assessed_id, assessor_id, case_id, unit_id, activity, template_version,
				assessed_on, feedback, acknowledged_at, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
				string(a.Kind), a.RemarkOf, a.AssessedID, a.AssessorID, a.CaseID, a.UnitID, string(a.Activity), a.TemplateVersion,
				a.AssessedOn, a.Feedback, a.AcknowledgedAt, tx.now, tx.now)
			if err != nil {
				return fmt.Errorf("assessment %d of the batch: %w", i+1, tx.dialect.translate(err))
			}
			a.ID, ids[i] = id, id
			if err := insertMarks(ctx, tx, &a); err != nil {
				return err
			}
			if a.Kind != quality.Remark {
				continue
			}
			key := [2]int64{a.UnitID, a.AssessorID}
			if samples[key] == 0 {
				if samples[key], err = tx.insert(ctx, `INSERT INTO dip_samples (unit_id, period_from, period_to, seed, size, remarker_id, drawn_by, drawn_at)
					VALUES (?, ?, ?, 0, 0, ?, ?, ?)`, a.UnitID, dateOnly(a.AssessedOn.AddDate(-1, 0, 0)), a.AssessedOn, a.AssessorID, a.AssessorID, tx.now); err != nil {
					return tx.dialect.translate(err)
				}
			}
			if _, err := tx.exec(ctx, `INSERT INTO dip_sample_items (sample_id, assessment_id, remark_id) VALUES (?, ?, ?)`, samples[key], original, id); err != nil {
				return tx.dialect.translate(err)
			}
		}
		if _, err := tx.exec(ctx, `UPDATE dip_samples SET size = (SELECT COUNT(*) FROM dip_sample_items i WHERE i.sample_id = dip_samples.id) WHERE size = 0`); err != nil {
			return err
		}
		return tx.recordRef(ctx, audit.Import, "assessments", source, audit.Fields(map[string]any{"assessments": len(batch)}))
	})
}
