package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/deadline"
	"caseboard/internal/fault"
	"caseboard/internal/quality"
)

// ComplianceFacts reads every case the principal may see, of one unit or
// all, as the compliance rules see it: its fields and the counts over its
// defendants, charges, directions, key documents and review actions, in
// one query.
func (db *DB) ComplianceFacts(ctx context.Context, p *access.Principal, unitID *int64) ([]quality.CaseFacts, error) {
	visible, args := visibleTo(db.Clearances.ReadFilter(p), "case", "c")
	where := visible
	if unitID != nil {
		where += " AND c.unit_id = ?"
		args = append(args, *unitID)
	}
	return db.complianceFacts(ctx, where, args)
}

// CaseCompliance evaluates every compliance rule for one case the
// principal may see, as a change to the case leaves it: the breaches, in
// the order of the rules. It reads the same facts as the evaluation of
// every case, so the two agree. Errors: NotFound.
func (db *DB) CaseCompliance(ctx context.Context, p *access.Principal, caseID int64) ([]quality.Breach, error) {
	visible, args := visibleTo(db.Clearances.ReadFilter(p), "case", "c")
	facts, err := db.complianceFacts(ctx, visible+" AND c.id = ?", append(args, caseID))
	if err != nil {
		return nil, err
	}
	if len(facts) == 0 {
		return nil, fault.Errorf(fault.NotFound, "There is no case %d", caseID)
	}
	return quality.EvaluateCase(quality.ComplianceRules, facts[0], deadline.Today(db.Now()).Time(time.UTC)), nil
}

// complianceFacts reads the facts of the cases the condition where selects.
func (db *DB) complianceFacts(ctx context.Context, where string, args []any) ([]quality.CaseFacts, error) {
	today := deadline.Today(db.Now()).Time(time.UTC)
	rows, err := db.query(ctx, `SELECT c.id, c.reference, c.unit_id, c.lawyer_id, COALESCE(pe.name, ''), pe.team_id, c.kind, c.status, c.sensitivity,
		c.manager_id, c.opened_on, c.agency, c.pre_charge_decision, c.pre_charge_decided_on, c.court, c.court_centre, c.direction, c.country,
		c.warrant_type, c.next_deadline,
		(SELECT COUNT(*) FROM defendants d WHERE d.case_id = c.id),
		(SELECT COUNT(*) FROM defendants d WHERE d.case_id = c.id AND d.custody_status = 'in_custody'),
		(SELECT COUNT(*) FROM defendants d WHERE d.case_id = c.id AND d.outcome = ''),
		(SELECT COUNT(*) FROM charges ch JOIN defendants d ON d.id = ch.defendant_id WHERE d.case_id = c.id),
		(SELECT COUNT(*) FROM charges ch JOIN defendants d ON d.id = ch.defendant_id WHERE d.case_id = c.id AND ch.ctl_running),
		(SELECT COUNT(*) FROM directions di WHERE di.case_id = c.id AND di.completed_on IS NULL AND di.due_on < ?),
		(SELECT COUNT(*) FROM case_documents cd WHERE cd.case_id = c.id AND cd.review_due < ?),
		(SELECT COUNT(*) FROM review_actions a JOIN case_reviews r ON r.id = a.review_id WHERE r.case_id = c.id AND a.done_on IS NULL AND a.due_on < ?),
		psd.updated_on, dmd.updated_on
		FROM cases c LEFT JOIN people pe ON pe.id = c.lawyer_id
		LEFT JOIN case_documents psd ON psd.case_id = c.id AND psd.kind = 'prosecution_strategy'
		LEFT JOIN case_documents dmd ON dmd.case_id = c.id AND dmd.kind = 'disclosure_management'
		WHERE `+where+` ORDER BY c.id`, append([]any{today, today, today}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []quality.CaseFacts
	for rows.Next() {
		var f quality.CaseFacts
		var lawyer, team, manager sql.NullInt64
		var kind, status, sensitivity, agency, decision, court, centre, direction, country, warrant string
		var opened, next time.Time
		var decided sql.NullTime
		var defendants, inCustody, withoutOutcome, charges, running, lateDirections, lateReviews, lateActions int
		var strategy, disclosure sql.NullTime
		if err := rows.Scan(&f.CaseID, &f.Reference, &f.UnitID, &lawyer, &f.LawyerName, &team, &kind, &status, &sensitivity,
			&manager, &opened, &agency, &decision, &decided, &court, &centre, &direction, &country, &warrant, &next,
			&defendants, &inCustody, &withoutOutcome, &charges, &running, &lateDirections, &lateReviews, &lateActions,
			&strategy, &disclosure); err != nil {
			return nil, err
		}
		f.LawyerID, f.TeamID = nullableID(lawyer), nullableID(team)
		if next.Year() >= 9999 {
			next = time.Time{} // no custody time limit runs
		}
		var decidedOn time.Time
		if decided.Valid {
			decidedOn = decided.Time.UTC()
		}
		f.Values = map[string]any{"kind": kind, "status": status, "sensitivity": sensitivity, "lawyer": idText(lawyer), "manager": idText(manager),
			"opened_on": opened.UTC(), "agency": agency, "pre_charge_decision": decision, "pre_charge_decided_on": decidedOn, "court": court,
			"court_centre": centre, "direction": direction, "country": country, "warrant_type": warrant, "next_deadline": next.UTC(),
			"defendants": defendants, "defendants_in_custody": inCustody, "defendants_without_outcome": withoutOutcome, "charges": charges,
			"running_custody_limits": running, "overdue_directions": lateDirections, "overdue_document_reviews": lateReviews,
			"overdue_actions": lateActions, "prosecution_strategy_updated_on": strategy.Time.UTC(), "disclosure_management_updated_on": disclosure.Time.UTC()}
		out = append(out, f)
	}
	return out, rows.Err()
}

func idText(n sql.NullInt64) string {
	if !n.Valid {
		return ""
	}
	return fmt.Sprint(n.Int64)
}

// CaseSample is a random sample of cases drawn for a manager's dip check
// of case progression.
type CaseSample struct {
	ID      int64     `json:"id"`
	Scope   string    `json:"scope"` // "reports": the cases of the people the drawer manages
	Seed    int64     `json:"seed"`
	Size    int       `json:"size"`
	DrawnBy int64     `json:"drawn_by"`
	DrawnAt time.Time `json:"drawn_at"`
	Cases   []int64   `json:"cases"`
	// References of the cases, for display.
	References []string `json:"references"`
}

// DrawCaseSample draws up to size of the live cases of the people the
// principal line-manages, among those the principal may see, at random:
// the candidates are ordered by id and shuffled with the seed, and the
// draw is recorded. Errors: Forbidden (manages nobody), Invalid.
func (db *DB) DrawCaseSample(ctx context.Context, p *access.Principal, s *CaseSample) error {
	if !access.Allows(p, access.WriteQuality) || len(p.Reports) == 0 {
		return fault.Errorf(fault.Forbidden, "Dip samples of casework are drawn by line managers, of their reports' cases")
	}
	if s.Size < 1 || s.Size > 100 {
		return &fault.Error{Code: fault.Invalid, Message: "The sample could not be drawn",
			Fields: []fault.FieldError{{Field: "size", Message: "Sample between 1 and 100 cases"}}}
	}
	visible, args := visibleTo(db.Clearances.ReadFilter(p), "case", "c")
	for _, id := range p.Reports {
		args = append(args, id)
	}
	return db.inTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT c.id, c.reference FROM cases c WHERE `+visible+` AND c.status NOT IN ('finalised', 'completed', 'closed')
			AND c.lawyer_id IN (`+placeholders(len(p.Reports))+`) ORDER BY c.id`, args...)
		if err != nil {
			return err
		}
		type candidate struct {
			id  int64
			ref string
		}
		var candidates []candidate
		for rows.Next() {
			var c candidate
			if err := rows.Scan(&c.id, &c.ref); err != nil {
				rows.Close()
				return err
			}
			candidates = append(candidates, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(candidates) == 0 {
			return fault.Errorf(fault.Invalid, "The people you manage have no live case you may see")
		}
		rng := rand.New(rand.NewPCG(uint64(s.Seed), 0xca5e))
		rng.Shuffle(len(candidates), func(i, j int) { candidates[i], candidates[j] = candidates[j], candidates[i] })
		candidates = candidates[:min(s.Size, len(candidates))]
		s.Scope, s.DrawnBy, s.DrawnAt = "reports", p.PersonID, tx.now
		id, err := tx.insert(ctx, `INSERT INTO case_samples (scope, seed, size, drawn_by, drawn_at) VALUES (?, ?, ?, ?, ?)`,
			s.Scope, s.Seed, s.Size, s.DrawnBy, s.DrawnAt)
		if err != nil {
			return tx.dialect.translate(err)
		}
		s.ID, s.Cases, s.References = id, nil, nil
		for _, c := range candidates {
			if _, err := tx.exec(ctx, `INSERT INTO case_sample_items (sample_id, case_id) VALUES (?, ?)`, id, c.id); err != nil {
				return tx.dialect.translate(err)
			}
			s.Cases, s.References = append(s.Cases, c.id), append(s.References, c.ref)
		}
		return tx.record(ctx, audit.Create, "case_sample", id, audit.Diff(nil, *s))
	})
}

// CaseSamples lists the samples the principal drew, newest first, with the
// references of their cases.
func (db *DB) CaseSamples(ctx context.Context, p *access.Principal) ([]CaseSample, error) {
	rows, err := db.query(ctx, `SELECT s.id, s.scope, s.seed, s.size, s.drawn_by, s.drawn_at, i.case_id, c.reference
		FROM case_samples s JOIN case_sample_items i ON i.sample_id = s.id JOIN cases c ON c.id = i.case_id
		WHERE s.drawn_by = ? ORDER BY s.id DESC, c.reference LIMIT 1000`, p.PersonID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CaseSample
	for rows.Next() {
		var s CaseSample
		var caseID int64
		var ref string
		if err := rows.Scan(&s.ID, &s.Scope, &s.Seed, &s.Size, &s.DrawnBy, &s.DrawnAt, &caseID, &ref); err != nil {
			return nil, err
		}
		if n := len(out); n > 0 && out[n-1].ID == s.ID {
			out[n-1].Cases, out[n-1].References = append(out[n-1].Cases, caseID), append(out[n-1].References, ref)
			continue
		}
		s.Cases, s.References, s.DrawnAt = []int64{caseID}, []string{ref}, s.DrawnAt.UTC()
		out = append(out, s)
	}
	return out, rows.Err()
}
