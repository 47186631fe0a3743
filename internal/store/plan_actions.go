package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/fault"
	"caseboard/internal/plan"
)

const actionColumns = `a.id, a.finding_id, a.title, a.detail, a.owner_id, a.due_on, a.original_due_on, a.status, a.closed_on, a.closed_by,
	a.closure_note, a.created_at, a.updated_at, COALESCE(o.name, ''), COALESCE(o.email, ''), COALESCE(cb.name, ''),
	(SELECT COUNT(*) FROM plan_target_changes tc WHERE tc.action_id = a.id)`

const actionFrom = ` FROM plan_actions a LEFT JOIN people o ON o.id = a.owner_id LEFT JOIN people cb ON cb.id = a.closed_by`

func scanAction(row interface{ Scan(...any) error }) (plan.Action, error) {
	var a plan.Action
	var status string
	var closedBy sql.NullInt64
	err := row.Scan(&a.ID, &a.FindingID, &a.Title, &a.Detail, &a.OwnerID, &a.DueOn, &a.OriginalDueOn, &status, &a.ClosedOn, &closedBy,
		&a.ClosureNote, &a.CreatedAt, &a.UpdatedAt, &a.OwnerName, &a.OwnerEmail, &a.ClosedByName, &a.TargetChanges)
	a.Status, a.ClosedByID = plan.ActionStatus(status), nullableID(closedBy)
	a.DueOn, a.OriginalDueOn, a.ClosedOn = a.DueOn.UTC(), a.OriginalDueOn.UTC(), utcPtr(a.ClosedOn)
	return a, err
}

func actionsOf(ctx context.Context, tx *Tx, findingID int64) ([]plan.Action, error) {
	rows, err := tx.query(ctx, `SELECT `+actionColumns+actionFrom+` WHERE a.finding_id = ? ORDER BY a.due_on, a.id`, findingID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []plan.Action
	for rows.Next() {
		a, err := scanAction(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// actionFor reads an action and its finding for a change, refusing a
// principal who may not write it.
func actionFor(ctx context.Context, tx *Tx, p *access.Principal, id int64) (plan.Action, plan.Finding, error) {
	a, err := scanAction(tx.queryRow(ctx, `SELECT `+actionColumns+actionFrom+` WHERE a.id = ?`+tx.dialect.forUpdateOf("a"), id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, plan.Finding{}, fault.Errorf(fault.NotFound, "There is no action %d", id)
	} else if err != nil {
		return a, plan.Finding{}, err
	}
	f, err := findingFor(ctx, tx, a.FindingID)
	if err != nil {
		return a, f, err
	}
	if !access.CanWriteAction(p, a.OwnerID, f.OwnerID) {
		return a, f, fault.Errorf(fault.Forbidden, "Only the action's owner (%s), the accountable owner and the plan managers may change this action", a.OwnerName)
	}
	return a, f, nil
}

// AddAction adds an action to the plan of a recommendation or aspect for
// improvement: the plan managers and its accountable owner set actions.
// Errors: Forbidden, NotFound, Invalid, Conflict (the finding is closed).
func (db *DB) AddAction(ctx context.Context, p *access.Principal, a *plan.Action) error {
	a.DueOn = dateOnly(a.DueOn)
	return db.inTx(ctx, func(tx *Tx) error {
		f, err := findingFor(ctx, tx, a.FindingID)
		if err != nil {
			return err
		}
		if !access.CanManagePlans(p) && !access.CanSignOff(p, f.OwnerID) {
			return fault.Errorf(fault.Forbidden, "Only the plan managers and the accountable owner set a plan's actions")
		}
		if err := a.ValidateNew(f); err != nil {
			return err
		}
		if err := checkPerson(ctx, tx, "owner_id", &a.OwnerID); err != nil {
			return err
		}
		a.CreatedAt, a.UpdatedAt = tx.now, tx.now
		id, err := tx.insert(ctx, `INSERT INTO plan_actions (finding_id, title, detail, owner_id, due_on, original_due_on, status, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.FindingID, a.Title, a.Detail, a.OwnerID, a.DueOn, a.OriginalDueOn, string(a.Status), a.CreatedAt, a.UpdatedAt)
		if err != nil {
			return fmt.Errorf("add action: %w", tx.dialect.translate(err))
		}
		a.ID = id
		return tx.record(ctx, audit.Create, "plan_action", id, audit.Diff(nil, *a))
	})
}

// Action returns one action. Errors: NotFound.
func (db *DB) Action(ctx context.Context, id int64) (plan.Action, error) {
	a, err := scanAction(db.queryRow(ctx, `SELECT `+actionColumns+actionFrom+` WHERE a.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, fault.Errorf(fault.NotFound, "There is no action %d", id)
	} else if err != nil {
		return a, db.unavailable("read action", err)
	}
	return a, nil
}

// RecordUpdate reports progress on an action: its status now and what is
// happening. Errors: Forbidden, NotFound, Invalid, Conflict (closed).
func (db *DB) RecordUpdate(ctx context.Context, p *access.Principal, actionID int64, u *plan.Update) error {
	return db.inTx(ctx, func(tx *Tx) error {
		a, _, err := actionFor(ctx, tx, p, actionID)
		if err != nil {
			return err
		}
		if err := u.Validate(a); err != nil {
			return err
		}
		u.ActionID, u.At, u.AuthorID, u.Author = actionID, tx.now, &p.PersonID, p.Name
		u.ID, err = tx.insert(ctx, `INSERT INTO plan_updates (action_id, status, commentary, author_id, author, at) VALUES (?, ?, ?, ?, ?, ?)`,
			actionID, string(u.Status), u.Commentary, p.PersonID, p.Name, u.At)
		if err != nil {
			return tx.dialect.translate(err)
		}
		if _, err := tx.exec(ctx, `UPDATE plan_actions SET status = ?, updated_at = ? WHERE id = ?`, string(u.Status), tx.now, actionID); err != nil {
			return err
		}
		return tx.record(ctx, audit.Update, "plan_action", actionID, audit.Fields(map[string]any{
			"status": audit.Change{From: a.Status, To: u.Status}, "update": u.Commentary}))
	})
}

// ChangeTarget moves an action's target date, keeping the change with its
// reason and approver for good. Errors: Forbidden, NotFound, Invalid,
// Conflict (closed).
func (db *DB) ChangeTarget(ctx context.Context, p *access.Principal, actionID int64, c *plan.TargetChange) error {
	c.To = dateOnly(c.To)
	return db.inTx(ctx, func(tx *Tx) error {
		a, f, err := actionFor(ctx, tx, p, actionID)
		if err != nil {
			return err
		}
		if err := c.Validate(f, a); err != nil {
			return err
		}
		if err := checkPerson(ctx, tx, "approved_by_id", &c.ApprovedByID); err != nil {
			return err
		}
		c.ActionID, c.RecordedByID, c.RecordedAt = actionID, &p.PersonID, tx.now
		c.ID, err = tx.insert(ctx, `INSERT INTO plan_target_changes (action_id, from_on, to_on, reason, approved_by, recorded_by, recorded_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, actionID, c.From, c.To, c.Reason, c.ApprovedByID, p.PersonID, c.RecordedAt)
		if err != nil {
			return tx.dialect.translate(err)
		}
		if _, err := tx.exec(ctx, `UPDATE plan_actions SET due_on = ?, updated_at = ? WHERE id = ?`, c.To, tx.now, actionID); err != nil {
			return err
		}
		return tx.record(ctx, audit.Update, "plan_action", actionID, audit.Fields(map[string]any{
			"due_on": audit.Change{From: c.From.Format(time.DateOnly), To: c.To.Format(time.DateOnly)}, "reason": c.Reason, "approved_by": c.ApprovedByID}))
	})
}

// AddMilestone adds a dated step to an action. Errors: Forbidden,
// NotFound, Invalid.
func (db *DB) AddMilestone(ctx context.Context, p *access.Principal, m *plan.Milestone) error {
	m.DueOn = dateOnly(m.DueOn)
	m.DoneOn = utcDatePtr(m.DoneOn)
	return db.inTx(ctx, func(tx *Tx) error {
		_, f, err := actionFor(ctx, tx, p, m.ActionID)
		if err != nil {
			return err
		}
		if err := m.Validate(f); err != nil {
			return err
		}
		m.ID, err = tx.insert(ctx, `INSERT INTO plan_milestones (action_id, title, due_on, done_on) VALUES (?, ?, ?, ?)`,
			m.ActionID, m.Title, m.DueOn, dateOrNil(m.DoneOn))
		if err != nil {
			return tx.dialect.translate(err)
		}
		return tx.record(ctx, audit.Create, "plan_milestone", m.ID, audit.Diff(nil, *m))
	})
}

// CompleteMilestone marks a milestone done on a day. Errors: Forbidden,
// NotFound, Invalid.
func (db *DB) CompleteMilestone(ctx context.Context, p *access.Principal, milestoneID int64, on time.Time) error {
	on = dateOnly(on)
	return db.inTx(ctx, func(tx *Tx) error {
		var actionID int64
		err := tx.queryRow(ctx, `SELECT action_id FROM plan_milestones WHERE id = ?`, milestoneID).Scan(&actionID)
		if errors.Is(err, sql.ErrNoRows) {
			return fault.Errorf(fault.NotFound, "There is no milestone %d", milestoneID)
		} else if err != nil {
			return err
		}
		_, f, err := actionFor(ctx, tx, p, actionID)
		if err != nil {
			return err
		}
		if on.Before(f.PublishedOn) {
			return &fault.Error{Code: fault.Invalid, Message: "The milestone could not be saved",
				Fields: []fault.FieldError{{Field: "done_on", Message: "A milestone cannot be done before the report was published"}}}
		}
		if _, err := tx.exec(ctx, `UPDATE plan_milestones SET done_on = ? WHERE id = ?`, on, milestoneID); err != nil {
			return err
		}
		return tx.record(ctx, audit.Update, "plan_milestone", milestoneID, audit.Fields(map[string]any{"done_on": on.Format(time.DateOnly)}))
	})
}

func utcDatePtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	d := dateOnly(*t)
	return &d
}

// AddEvidence cites a record as evidence for an action. The record must
// exist, and a case must be one the principal may see.
// Errors: Forbidden, NotFound, Invalid, Conflict (already cited).
func (db *DB) AddEvidence(ctx context.Context, p *access.Principal, e *plan.Evidence) error {
	if err := e.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		if _, _, err := actionFor(ctx, tx, p, e.ActionID); err != nil {
			return err
		}
		if err := db.checkEvidenceRef(ctx, tx, p, *e); err != nil {
			return err
		}
		e.AddedByID, e.AddedAt = &p.PersonID, tx.now
		id, err := tx.insert(ctx, `INSERT INTO plan_evidence (action_id, kind, ref, note, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?)`,
			e.ActionID, string(e.Kind), e.Ref, e.Note, p.PersonID, e.AddedAt)
		if err != nil {
			err = tx.dialect.translate(err)
			if fault.CodeOf(err) == fault.Conflict {
				return fault.Errorf(fault.Conflict, "The action already cites that %s", e.Kind)
			}
			return err
		}
		e.ID = id
		return tx.record(ctx, audit.Create, "plan_evidence", id, audit.Diff(nil, *e))
	})
}

// checkEvidenceRef checks that the record an action cites exists. Each
// kind of record the evidence may cite answers here.
func (db *DB) checkEvidenceRef(ctx context.Context, tx *Tx, p *access.Principal, e plan.Evidence) error {
	invalid := func(msg string) error {
		return &fault.Error{Code: fault.Invalid, Message: "The evidence could not be added", Fields: []fault.FieldError{{Field: "ref", Message: msg}}}
	}
	switch e.Kind {
	case plan.EvidenceCase:
		id, _ := strconv.ParseInt(e.Ref, 10, 64)
		if _, err := db.caseFor(ctx, tx, p, id, access.Read); err != nil {
			if fault.CodeOf(err) == fault.NotFound {
				return invalid(fmt.Sprintf("There is no case %s that you can see", e.Ref))
			}
			return err
		}
	case plan.EvidenceCheck:
		if _, ok := checkByCode(e.Ref); !ok {
			return invalid(fmt.Sprintf("There is no evidence check %q", e.Ref))
		}
	case plan.EvidenceRisk, plan.EvidenceArticle, plan.EvidenceContinuityPlan:
		missing := invalid(fmt.Sprintf("There is no %s %s that you can see", citedKinds[e.Kind], e.Ref))
		id, err := strconv.ParseInt(e.Ref, 10, 64)
		if err != nil {
			return missing
		}
		switch err := db.citedRecordVisible(ctx, p, e.Kind, id); fault.CodeOf(err) {
		case fault.NotFound, fault.Forbidden:
			return missing
		default:
			return err
		}
	}
	return nil
}

// CloseAction closes an action as done: its accountable owner signs off,
// on the evidence it cites, with a note of what the evidence shows.
// Errors: Forbidden, NotFound, Invalid (no evidence), Conflict (closed).
func (db *DB) CloseAction(ctx context.Context, p *access.Principal, actionID int64, c plan.ActionClosure) error {
	c.On = dateOnly(c.On)
	return db.inTx(ctx, func(tx *Tx) error {
		a, f, err := actionFor(ctx, tx, p, actionID)
		if err != nil && fault.CodeOf(err) != fault.Forbidden {
			return err
		}
		if !access.CanSignOff(p, f.OwnerID) {
			return errSignOff(f)
		}
		evidence, err := evidenceOf(ctx, tx, actionID)
		if err != nil {
			return err
		}
		if err := c.ValidateClose(f, a, evidence); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE plan_actions SET status = 'done', closed_on = ?, closed_by = ?, closure_note = ?, updated_at = ? WHERE id = ?`,
			c.On, p.PersonID, c.Note, tx.now, actionID); err != nil {
			return err
		}
		return tx.record(ctx, audit.Update, "plan_action", actionID, audit.Fields(map[string]any{
			"status": audit.Change{From: a.Status, To: plan.Done}, "closed_on": c.On.Format(time.DateOnly), "signed_off_by": p.PersonID,
			"closure_note": c.Note, "evidence": len(evidence)}))
	})
}

func evidenceOf(ctx context.Context, tx *Tx, actionID int64) ([]plan.Evidence, error) {
	rows, err := tx.query(ctx, `SELECT id, action_id, kind, ref, note, added_by, added_at FROM plan_evidence WHERE action_id = ? ORDER BY id`, actionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanEvidence(rows)
}

func scanEvidence(rows *sql.Rows) ([]plan.Evidence, error) {
	var out []plan.Evidence
	for rows.Next() {
		var e plan.Evidence
		var kind string
		var by sql.NullInt64
		if err := rows.Scan(&e.ID, &e.ActionID, &kind, &e.Ref, &e.Note, &by, &e.AddedAt); err != nil {
			return nil, err
		}
		e.Kind, e.AddedByID = plan.EvidenceKind(kind), nullableID(by)
		out = append(out, e)
	}
	return out, rows.Err()
}

// ActionPlan is an action with everything recorded about it.
type ActionPlan struct {
	plan.Action
	Milestones    []plan.Milestone    `json:"milestones"`
	Updates       []plan.Update       `json:"updates"`
	TargetHistory []plan.TargetChange `json:"target_changes_history"`
	Evidence      []plan.Evidence     `json:"evidence"`
	// Flags are the evidence checks this action cites that do not pass
	// now; on a closed action they reopen attention.
	Flags []plan.Result `json:"flags"`
}

// FindingPlan is a finding with its action plan.
type FindingPlan struct {
	Finding    plan.Finding     `json:"finding"`
	Actions    []ActionPlan     `json:"actions"`
	Reopenings []plan.Reopening `json:"reopenings"` // each time it was closed and opened again, oldest first
}

// Plan returns a finding with its actions, each with its milestones,
// updates (newest first), target-date changes, evidence and flags, as of
// today. Errors: NotFound.
func (db *DB) Plan(ctx context.Context, findingID int64, today time.Time) (FindingPlan, error) {
	f, err := db.Finding(ctx, findingID)
	if err != nil {
		return FindingPlan{}, err
	}
	fp := FindingPlan{Finding: f, Actions: []ActionPlan{}}
	if fp.Reopenings, err = db.reopenings(ctx, findingID); err != nil {
		return fp, err
	}
	rows, err := db.query(ctx, `SELECT `+actionColumns+actionFrom+` WHERE a.finding_id = ? ORDER BY a.due_on, a.id`, findingID)
	if err != nil {
		return fp, err
	}
	index := map[int64]int{}
	for rows.Next() {
		a, err := scanAction(rows)
		if err != nil {
			rows.Close()
			return fp, err
		}
		a.Compute(today)
		index[a.ID] = len(fp.Actions)
		fp.Actions = append(fp.Actions, ActionPlan{Action: a, Milestones: []plan.Milestone{}, Updates: []plan.Update{},
			TargetHistory: []plan.TargetChange{}, Evidence: []plan.Evidence{}, Flags: []plan.Result{}})
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(fp.Actions) == 0 {
		return fp, err
	}
	const ofFinding = ` IN (SELECT id FROM plan_actions WHERE finding_id = ?)`
	at := func(actionID int64) *ActionPlan { return &fp.Actions[index[actionID]] }

	if err := db.each(ctx, `SELECT id, action_id, title, due_on, done_on FROM plan_milestones WHERE action_id`+ofFinding+` ORDER BY due_on, id`,
		[]any{findingID}, func(r *sql.Rows) error {
			var m plan.Milestone
			if err := r.Scan(&m.ID, &m.ActionID, &m.Title, &m.DueOn, &m.DoneOn); err != nil {
				return err
			}
			m.DueOn, m.DoneOn = m.DueOn.UTC(), utcPtr(m.DoneOn)
			a := at(m.ActionID)
			a.Milestones = append(a.Milestones, m)
			return nil
		}); err != nil {
		return fp, err
	}
	if err := db.each(ctx, `SELECT id, action_id, status, commentary, author_id, author, at FROM plan_updates WHERE action_id`+ofFinding+` ORDER BY at DESC, id DESC`,
		[]any{findingID}, func(r *sql.Rows) error {
			var u plan.Update
			var status string
			var author sql.NullInt64
			if err := r.Scan(&u.ID, &u.ActionID, &status, &u.Commentary, &author, &u.Author, &u.At); err != nil {
				return err
			}
			u.Status, u.AuthorID = plan.ActionStatus(status), nullableID(author)
			a := at(u.ActionID)
			a.Updates = append(a.Updates, u)
			return nil
		}); err != nil {
		return fp, err
	}
	if err := db.each(ctx, `SELECT tc.id, tc.action_id, tc.from_on, tc.to_on, tc.reason, tc.approved_by, tc.recorded_by, tc.recorded_at,
			COALESCE(ap.name, ''), COALESCE(rb.name, '')
			FROM plan_target_changes tc LEFT JOIN people ap ON ap.id = tc.approved_by LEFT JOIN people rb ON rb.id = tc.recorded_by
			WHERE tc.action_id`+ofFinding+` ORDER BY tc.recorded_at, tc.id`,
		[]any{findingID}, func(r *sql.Rows) error {
			var c plan.TargetChange
			var by sql.NullInt64
			if err := r.Scan(&c.ID, &c.ActionID, &c.From, &c.To, &c.Reason, &c.ApprovedByID, &by, &c.RecordedAt, &c.ApprovedByName, &c.RecordedByName); err != nil {
				return err
			}
			c.From, c.To, c.RecordedByID = c.From.UTC(), c.To.UTC(), nullableID(by)
			a := at(c.ActionID)
			a.TargetHistory = append(a.TargetHistory, c)
			return nil
		}); err != nil {
		return fp, err
	}
	evRows, err := db.query(ctx, `SELECT id, action_id, kind, ref, note, added_by, added_at FROM plan_evidence WHERE action_id`+ofFinding+` ORDER BY id`, findingID)
	if err != nil {
		return fp, err
	}
	evidence, err := scanEvidence(evRows)
	evRows.Close()
	if err != nil {
		return fp, err
	}
	latest, err := db.latestResults(ctx)
	if err != nil {
		return fp, err
	}
	for _, e := range evidence {
		e.Label, e.Href = evidenceLabel(e)
		a := at(e.ActionID)
		a.Evidence = append(a.Evidence, e)
		if e.Kind == plan.EvidenceCheck {
			if r, ok := latest[e.Ref]; ok && r.Outcome != plan.Pass {
				a.Flags = append(a.Flags, r)
			}
		}
	}
	return fp, nil
}

// citedKinds names the records an action may cite by id, for messages.
var citedKinds = map[plan.EvidenceKind]string{
	plan.EvidenceRisk: "risk", plan.EvidenceArticle: "article", plan.EvidenceContinuityPlan: "business continuity plan",
}

// citedRecordVisible reads the record a citation names as the person
// citing it would: it must exist, and they must be allowed to see it.
func (db *DB) citedRecordVisible(ctx context.Context, p *access.Principal, kind plan.EvidenceKind, id int64) error {
	var err error
	switch kind {
	case plan.EvidenceRisk:
		_, err = db.Risk(ctx, p, id)
	case plan.EvidenceArticle:
		_, err = db.Article(ctx, p, id)
	case plan.EvidenceContinuityPlan:
		_, _, err = db.ContinuityPlan(ctx, id)
	}
	return err
}

// evidenceLabel says what a citation is and where to see it.
func evidenceLabel(e plan.Evidence) (string, string) {
	switch e.Kind {
	case plan.EvidenceCase:
		return "Case " + e.Ref, "/cases/" + e.Ref
	case plan.EvidenceMeasure:
		if e.Ref == "outcomes" {
			return plan.Measures[e.Ref], "/api/v1/reports/outcomes"
		}
		return plan.Measures[e.Ref], ""
	case plan.EvidenceCheck:
		if c, ok := checkByCode(e.Ref); ok {
			return "Evidence check: " + c.Title, "/plans/checks#" + e.Ref
		}
		return "Evidence check " + e.Ref, "/plans/checks"
	case plan.EvidenceRisk:
		return "Risk " + e.Ref, "/risks/" + e.Ref
	case plan.EvidenceArticle:
		return "Knowledge article " + e.Ref, "/knowledge/" + e.Ref
	case plan.EvidenceContinuityPlan:
		return "Business continuity plan " + e.Ref, "/continuity/" + e.Ref
	}
	return e.Ref, ""
}

// each runs a query and calls fn for every row.
func (db *DB) each(ctx context.Context, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := db.query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
