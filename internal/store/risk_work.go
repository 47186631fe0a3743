package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/fault"
	"caseboard/internal/org"
	"caseboard/internal/risk"
)

const measureColumns = `m.id, m.risk_id, m.description, m.owner_id, m.due_on, m.status, m.expected_likelihood, m.expected_impact,
	m.completed_on, m.created_at, m.updated_at, COALESCE(p.name, '')`

func scanMeasure(row interface{ Scan(...any) error }) (risk.CounterMeasure, error) {
	var m risk.CounterMeasure
	var status string
	err := row.Scan(&m.ID, &m.RiskID, &m.Description, &m.OwnerID, &m.Due, &status, &m.Expected.Likelihood, &m.Expected.Impact,
		&m.CompletedOn, &m.CreatedAt, &m.UpdatedAt, &m.OwnerName)
	m.Status, m.Due, m.CompletedOn = risk.MeasureStatus(status), m.Due.UTC(), utcPtr(m.CompletedOn)
	return m, err
}

func measuresOf(ctx context.Context, tx *Tx, riskID int64, openOnly bool) ([]risk.CounterMeasure, error) {
	q := `SELECT ` + measureColumns + ` FROM risk_measures m LEFT JOIN people p ON p.id = m.owner_id WHERE m.risk_id = ?`
	if openOnly {
		q += ` AND m.status IN ('planned', 'in_progress')`
	}
	rows, err := tx.query(ctx, q+` ORDER BY m.due_on, m.id`, riskID)
	if err != nil {
		return nil, err
	}
	return collectMeasures(rows)
}

func collectMeasures(rows *sql.Rows) ([]risk.CounterMeasure, error) {
	defer rows.Close()
	out := []risk.CounterMeasure{}
	for rows.Next() {
		m, err := scanMeasure(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// CounterMeasures lists a risk's counter-measures, soonest due first; the
// caller has already been allowed to see the risk.
func (db *DB) CounterMeasures(ctx context.Context, riskID int64) ([]risk.CounterMeasure, error) {
	rows, err := db.query(ctx, `SELECT `+measureColumns+` FROM risk_measures m LEFT JOIN people p ON p.id = m.owner_id
		WHERE m.risk_id = ? ORDER BY m.due_on, m.id`, riskID)
	if err != nil {
		return nil, err
	}
	return collectMeasures(rows)
}

// SaveCounterMeasure adds a counter-measure to a risk the principal may
// change, or updates one. Errors: NotFound, Forbidden, Invalid.
func (db *DB) SaveCounterMeasure(ctx context.Context, p *access.Principal, m *risk.CounterMeasure) error {
	if err := m.Validate(); err != nil {
		return err
	}
	m.Due = dateOnly(m.Due)
	return db.inTx(ctx, func(tx *Tx) error {
		r, err := db.riskFor(ctx, tx, p, m.RiskID, access.Write)
		if err != nil {
			return err
		}
		if r.Status == risk.Closed && m.Status.Open() {
			return &fault.Error{Code: fault.Invalid, Message: "The counter-measure could not be saved",
				Fields: []fault.FieldError{{Field: "status", Message: "The risk is closed: reopen it before planning actions on it"}}}
		}
		if err := personExists(ctx, tx, m.OwnerID, "owner_id"); err != nil {
			return err
		}
		if !m.Status.Open() && m.CompletedOn == nil {
			done := dateOnly(tx.now)
			m.CompletedOn = &done
		}
		if m.Status.Open() {
			m.CompletedOn = nil
		}
		values := []any{m.Description, m.OwnerID, m.Due, string(m.Status), m.Expected.Likelihood, m.Expected.Impact, dateOrNil(m.CompletedOn), tx.now}
		if m.ID == 0 {
			m.CreatedAt, m.UpdatedAt = tx.now, tx.now
			id, err := tx.insert(ctx, `INSERT INTO risk_measures (description, owner_id, due_on, status, expected_likelihood, expected_impact,
				completed_on, updated_at, risk_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, append(values, m.RiskID, tx.now)...)
			if err != nil {
				return fmt.Errorf("add counter-measure: %w", tx.dialect.translate(err))
			}
			m.ID = id
			return tx.record(ctx, audit.Create, "risk_measure", id, audit.Diff(nil, m))
		}
		before, err := scanMeasure(tx.queryRow(ctx, `SELECT `+measureColumns+` FROM risk_measures m LEFT JOIN people p ON p.id = m.owner_id
			WHERE m.id = ? AND m.risk_id = ?`, m.ID, m.RiskID))
		if errors.Is(err, sql.ErrNoRows) {
			return fault.Errorf(fault.NotFound, "There is no counter-measure %d on risk %d", m.ID, m.RiskID)
		} else if err != nil {
			return err
		}
		m.CreatedAt, m.UpdatedAt = before.CreatedAt, tx.now
		if _, err := tx.exec(ctx, `UPDATE risk_measures SET description = ?, owner_id = ?, due_on = ?, status = ?, expected_likelihood = ?,
			expected_impact = ?, completed_on = ?, updated_at = ? WHERE id = ? AND risk_id = ?`, append(values, m.ID, m.RiskID)...); err != nil {
			return tx.dialect.translate(err)
		}
		before.OwnerName = ""
		return tx.record(ctx, audit.Update, "risk_measure", m.ID, audit.Diff(before, m))
	})
}

func personExists(ctx context.Context, tx *Tx, id int64, field string) error {
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM people WHERE id = ? AND active`, id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return &fault.Error{Code: fault.Invalid, Message: "That person is not a member of staff",
			Fields: []fault.FieldError{{Field: field, Message: "Choose a current member of staff"}}}
	}
	return nil
}

// AddReview records a review of a risk: its current rating as the review
// found it, the justification and the next review date. The risk is
// rescored and its score history extended. Errors: NotFound, Forbidden,
// Invalid, Conflict (version is not the risk's current version).
func (db *DB) AddReview(ctx context.Context, p *access.Principal, rv *risk.Review, version int64) error {
	if err := rv.Validate(dateOnly(db.Now())); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		before, err := db.riskFor(ctx, tx, p, rv.RiskID, access.Write)
		if err != nil {
			return err
		}
		if version != 0 && before.Version != version {
			return errRiskChanged()
		}
		if before.Status == risk.Closed {
			return fault.Errorf(fault.Invalid, "The risk is closed: there is nothing to review")
		}
		rv.ReviewerID, rv.ReviewedAt, rv.NextReview = p.PersonID, tx.now, dateOnly(rv.NextReview)
		id, err := tx.insert(ctx, `INSERT INTO risk_reviews (risk_id, reviewer_id, reviewed_at, justification, current_likelihood, current_impact, next_review)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, rv.RiskID, rv.ReviewerID, rv.ReviewedAt, rv.Justification, rv.Current.Likelihood, rv.Current.Impact, rv.NextReview)
		if err != nil {
			return tx.dialect.translate(err)
		}
		rv.ID = id
		if err := tx.record(ctx, audit.Create, "risk_review", id, audit.Diff(nil, rv)); err != nil {
			return err
		}
		after := before
		after.Current, after.NextReview = rv.Current, rv.NextReview
		if after.Target.Score() > after.Inherent.Score() {
			return fault.Errorf(fault.Invalid, "The risk's target is above its inherent score")
		}
		// A review always leaves a point in the history, rescored or not:
		// it is evidence the risk was looked at.
		if err := db.saveRisk(ctx, tx, p, before, &after, "Reviewed: "+rv.Justification); err != nil {
			return err
		}
		if after.Current == before.Current {
			return addScorePoint(ctx, tx, &after, p, "Reviewed: "+rv.Justification)
		}
		return nil
	})
}

// Reviews lists a risk's reviews, newest first.
func (db *DB) Reviews(ctx context.Context, riskID int64) ([]risk.Review, error) {
	rows, err := db.query(ctx, `SELECT v.id, v.risk_id, v.reviewer_id, v.reviewed_at, v.justification, v.current_likelihood, v.current_impact,
		v.next_review, COALESCE(p.name, '') FROM risk_reviews v LEFT JOIN people p ON p.id = v.reviewer_id
		WHERE v.risk_id = ? ORDER BY v.reviewed_at DESC, v.id DESC`, riskID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []risk.Review{}
	for rows.Next() {
		var v risk.Review
		if err := rows.Scan(&v.ID, &v.RiskID, &v.ReviewerID, &v.ReviewedAt, &v.Justification, &v.Current.Likelihood, &v.Current.Impact,
			&v.NextReview, &v.ReviewerName); err != nil {
			return nil, err
		}
		v.ReviewedAt, v.NextReview = v.ReviewedAt.UTC(), v.NextReview.UTC()
		out = append(out, v)
	}
	return out, rows.Err()
}

const acceptanceColumns = `a.id, a.risk_id, a.proposed_by, a.proposed_at, a.justification, a.approver_id, a.expires_on, a.status,
	a.decided_at, a.note, COALESCE(pp.name, ''), COALESCE(ap.name, '')`

const acceptanceFrom = ` FROM risk_acceptances a LEFT JOIN people pp ON pp.id = a.proposed_by LEFT JOIN people ap ON ap.id = a.approver_id`

func scanAcceptance(row interface{ Scan(...any) error }) (risk.Acceptance, error) {
	var a risk.Acceptance
	var status string
	var expires time.Time
	err := row.Scan(&a.ID, &a.RiskID, &a.ProposedBy, &a.ProposedAt, &a.Justification, &a.ApproverID, &expires, &status,
		&a.DecidedAt, &a.Note, &a.ProposerName, &a.ApproverName)
	expires = expires.UTC()
	a.Expires, a.Status, a.DecidedAt = &expires, risk.AcceptanceStatus(status), utcPtr(a.DecidedAt)
	return a, err
}

// Acceptances lists a risk's acceptance proposals, newest first.
func (db *DB) Acceptances(ctx context.Context, riskID int64) ([]risk.Acceptance, error) {
	rows, err := db.query(ctx, `SELECT `+acceptanceColumns+acceptanceFrom+` WHERE a.risk_id = ? ORDER BY a.proposed_at DESC, a.id DESC`, riskID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []risk.Acceptance{}
	for rows.Next() {
		a, err := scanAcceptance(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// ProposeAcceptance asks a named approver above the risk's owner in the
// line to accept (tolerate) the risk until an expiry date.
// Errors: NotFound, Forbidden, Invalid, Conflict (a proposal is pending).
func (db *DB) ProposeAcceptance(ctx context.Context, p *access.Principal, a *risk.Acceptance) error {
	if err := a.Validate(dateOnly(db.Now())); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		r, err := db.riskFor(ctx, tx, p, a.RiskID, access.Write)
		if err != nil {
			return err
		}
		if r.Status == risk.Closed {
			return fault.Errorf(fault.Invalid, "The risk is closed: there is nothing to accept")
		}
		var pending int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM risk_acceptances WHERE risk_id = ? AND status = 'proposed'`, a.RiskID).Scan(&pending); err != nil {
			return err
		}
		if pending > 0 {
			return fault.Errorf(fault.Conflict, "An acceptance of this risk is already waiting for a decision")
		}
		var above int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM line_reports WHERE manager_id = ? AND person_id = ?`, a.ApproverID, r.OwnerID).Scan(&above); err != nil {
			return err
		}
		if above == 0 || a.ApproverID == r.OwnerID {
			return &fault.Error{Code: fault.Invalid, Message: "The acceptance could not be proposed",
				Fields: []fault.FieldError{{Field: "approver_id", Message: "Choose an approver above the risk's owner in the line"}}}
		}
		a.ProposedBy, a.ProposedAt, a.Status = p.PersonID, tx.now, risk.Proposed
		expires := dateOnly(*a.Expires)
		a.Expires = &expires
		id, err := tx.insert(ctx, `INSERT INTO risk_acceptances (risk_id, proposed_by, proposed_at, justification, approver_id, expires_on, status)
			VALUES (?, ?, ?, ?, ?, ?, 'proposed')`, a.RiskID, a.ProposedBy, a.ProposedAt, a.Justification, a.ApproverID, expires)
		if err != nil {
			return tx.dialect.translate(err)
		}
		a.ID = id
		return tx.record(ctx, audit.Create, "risk_acceptance", id, audit.Diff(nil, a))
	})
}

func (db *DB) acceptanceIn(ctx context.Context, tx *Tx, riskID, id int64) (risk.Acceptance, error) {
	a, err := scanAcceptance(tx.queryRow(ctx, `SELECT `+acceptanceColumns+acceptanceFrom+` WHERE a.id = ? AND a.risk_id = ?`, id, riskID))
	if errors.Is(err, sql.ErrNoRows) {
		return a, fault.Errorf(fault.NotFound, "There is no acceptance %d of risk %d", id, riskID)
	}
	return a, err
}

// DecideAcceptance approves or rejects a pending proposal. Only the named
// approver decides, and only while they are still above the owner in the
// line; approval makes the risk accepted until the expiry date.
// Errors: NotFound, Forbidden, Invalid, Conflict (already decided).
func (db *DB) DecideAcceptance(ctx context.Context, p *access.Principal, riskID, id int64, approve bool, note string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		r, err := db.riskFor(ctx, tx, p, riskID, access.Read)
		if err != nil {
			return err
		}
		a, err := db.acceptanceIn(ctx, tx, riskID, id)
		if err != nil {
			return err
		}
		if a.Status != risk.Proposed {
			return fault.Errorf(fault.Conflict, "This acceptance has already been %s", a.Status)
		}
		if !access.CanDecideAcceptance(p, r.OwnerID, a.ApproverID) {
			return fault.Errorf(fault.Forbidden, "Only the approver named on the proposal, above the risk's owner in the line, may decide it")
		}
		note = strings.TrimSpace(note)
		if !approve && note == "" {
			return &fault.Error{Code: fault.Invalid, Message: "The acceptance could not be rejected",
				Fields: []fault.FieldError{{Field: "note", Message: "Say why the risk should not be accepted"}}}
		}
		if approve && !dateOnly(*a.Expires).After(dateOnly(tx.now)) {
			return fault.Errorf(fault.Invalid, "The proposed expiry date has passed: propose the acceptance again with a later date")
		}
		status := risk.Rejected
		if approve {
			status = risk.Approved
		}
		before := a
		a.Status, a.DecidedAt, a.Note = status, &tx.now, note
		if _, err := tx.exec(ctx, `UPDATE risk_acceptances SET status = ?, decided_at = ?, note = ? WHERE id = ?`, string(status), tx.now, note, id); err != nil {
			return err
		}
		if err := tx.record(ctx, audit.Update, "risk_acceptance", id, audit.Diff(before, a)); err != nil {
			return err
		}
		if !approve {
			return nil
		}
		after := r
		after.Status, after.AcceptedUntil, after.Treatment = risk.Accepted, a.Expires, risk.Tolerate
		return db.saveRisk(ctx, tx, p, r, &after, "Accepted until "+a.Expires.Format("2 January 2006"))
	})
}

// RevokeAcceptance ends an approved acceptance early, or withdraws a
// pending proposal: the risk is open again and due for review today.
// The approver, the owner and anyone who may change the risk may revoke.
// Errors: NotFound, Forbidden, Invalid.
func (db *DB) RevokeAcceptance(ctx context.Context, p *access.Principal, riskID, id int64, note string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		r, err := db.riskFor(ctx, tx, p, riskID, access.Read)
		if err != nil {
			return err
		}
		a, err := db.acceptanceIn(ctx, tx, riskID, id)
		if err != nil {
			return err
		}
		if a.Status != risk.Approved && a.Status != risk.Proposed {
			return fault.Errorf(fault.Invalid, "Only a pending or approved acceptance can be revoked; this one is %s", a.Status)
		}
		if p.PersonID != a.ApproverID && !access.CanWriteRisk(p, access.RiskRecord{UnitID: r.UnitID, OwnerID: r.OwnerID}) {
			return fault.Errorf(fault.Forbidden, "Only the approver or someone who may change the risk may revoke its acceptance")
		}
		before := a
		a.Status, a.DecidedAt, a.Note = risk.Revoked, &tx.now, strings.TrimSpace(note)
		if _, err := tx.exec(ctx, `UPDATE risk_acceptances SET status = 'revoked', decided_at = ?, note = ? WHERE id = ?`, tx.now, a.Note, id); err != nil {
			return err
		}
		if err := tx.record(ctx, audit.Update, "risk_acceptance", id, audit.Diff(before, a)); err != nil {
			return err
		}
		if before.Status != risk.Approved || r.Status != risk.Accepted {
			return nil
		}
		after := r
		after.Status, after.AcceptedUntil, after.NextReview, after.Treatment = risk.Open, nil, dateOnly(tx.now), risk.Treat
		return db.saveRisk(ctx, tx, p, r, &after, "Acceptance revoked")
	})
}

// ExpireAcceptances returns every accepted risk whose acceptance has
// expired to open, due for review today: the daily job calls it.
func (db *DB) ExpireAcceptances(ctx context.Context) (int, error) {
	n := 0
	err := db.inTx(ctx, func(tx *Tx) error {
		today := dateOnly(tx.now)
		rows, err := tx.query(ctx, `SELECT `+riskColumns("r")+riskFrom+` WHERE r.status = 'accepted' AND r.accepted_until <= ?`, today)
		if err != nil {
			return err
		}
		var due []risk.Risk
		for rows.Next() {
			r, err := scanRisk(rows)
			if err != nil {
				rows.Close()
				return err
			}
			due = append(due, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, before := range due {
			if err := loadRiskLinks(ctx, tx.query, &before); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `UPDATE risk_acceptances SET status = 'expired', decided_at = ? WHERE risk_id = ? AND status = 'approved'`, tx.now, before.ID); err != nil {
				return err
			}
			after := before
			after.Status, after.AcceptedUntil, after.NextReview = risk.Open, nil, today
			if err := db.saveRisk(ctx, tx, nil, before, &after, "Acceptance expired: back for review"); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// RiskDue is a review or counter-measure in a work list.
type RiskDue struct {
	Kind      string    `json:"kind"` // "risk_review" or "counter_measure"
	RiskID    int64     `json:"risk_id"`
	Reference string    `json:"reference"`
	Title     string    `json:"title"`
	What      string    `json:"what"` // the action, for a counter-measure
	OwnerID   int64     `json:"owner_id"`
	OwnerName string    `json:"owner_name"`
	Due       time.Time `json:"due"`
	Score     int       `json:"score"`
}

// RiskWork lists the reviews and counter-measures owned by any of people
// that fall due by horizon (every overdue one included), soonest first.
func (db *DB) RiskWork(ctx context.Context, p *access.Principal, people []int64, horizon time.Time, limit int) ([]RiskDue, error) {
	if len(people) == 0 || !access.Allows(p, access.ReadRisks) {
		return []RiskDue{}, nil
	}
	ids := idArgs(people)
	in := placeholders(len(ids))
	args := append(append(append([]any{}, ids...), dateOnly(horizon)), ids...)
	args = append(args, dateOnly(horizon))
	rows, err := db.query(ctx, `SELECT 'risk_review', r.id, r.reference, r.title, '', r.owner_id, COALESCE(o.name, ''), r.next_review, r.current_score
		FROM risks r LEFT JOIN people o ON o.id = r.owner_id WHERE r.owner_id IN (`+in+`) AND r.status <> 'closed' AND r.next_review <= ?
		UNION ALL
		SELECT 'counter_measure', r.id, r.reference, r.title, m.description, m.owner_id, COALESCE(o.name, ''), m.due_on, r.current_score
		FROM risk_measures m JOIN risks r ON r.id = m.risk_id LEFT JOIN people o ON o.id = m.owner_id
		WHERE m.owner_id IN (`+in+`) AND m.status IN ('planned', 'in_progress') AND m.due_on <= ?
		ORDER BY 8, 2 LIMIT `+strconv.Itoa(clampLimit(limit)), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []RiskDue{}
	for rows.Next() {
		var d RiskDue
		if err := rows.Scan(&d.Kind, &d.RiskID, &d.Reference, &d.Title, &d.What, &d.OwnerID, &d.OwnerName, &d.Due, &d.Score); err != nil {
			return nil, err
		}
		d.Due = d.Due.UTC()
		out = append(out, d)
	}
	return out, rows.Err()
}

// PendingAcceptances lists the proposals waiting for the person's
// decision, oldest first.
func (db *DB) PendingAcceptances(ctx context.Context, approverID int64) ([]risk.Acceptance, error) {
	rows, err := db.query(ctx, `SELECT `+acceptanceColumns+acceptanceFrom+` WHERE a.approver_id = ? AND a.status = 'proposed' ORDER BY a.proposed_at, a.id`, approverID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []risk.Acceptance{}
	for rows.Next() {
		a, err := scanAcceptance(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// LineManagersOf lists everyone above a person in the line, nearest
// first: the people who may approve the acceptance of their risks.
func (db *DB) LineManagersOf(ctx context.Context, personID int64) ([]org.Person, error) {
	var out []org.Person
	seen := map[int64]bool{}
	for at := personID; len(out) < 20; {
		p, err := db.Person(ctx, at)
		if err != nil {
			return nil, err
		}
		if p.LineManagerID == nil || seen[*p.LineManagerID] {
			return out, nil
		}
		seen[*p.LineManagerID] = true
		m, err := db.Person(ctx, *p.LineManagerID)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
		at = m.ID
	}
	return out, nil
}
