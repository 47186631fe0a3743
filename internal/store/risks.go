package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/fault"
	"caseboard/internal/risk"
)

// riskColumns reads a risk; the score and status columns come from src,
// which is "r" for the register now and "s" (a score history row) for the
// register as at a past date.
func riskColumns(src string) string {
	return `r.id, r.reference, r.title, r.cause, r.event, r.consequence, r.category, r.unit_id, r.location_id, r.owner_id, r.themes,
	` + src + `.inherent_likelihood, ` + src + `.inherent_impact, ` + src + `.current_likelihood, ` + src + `.current_impact,
	` + src + `.target_likelihood, ` + src + `.target_impact, ` + src + `.scale_version, r.target_date, r.proximity, r.treatment, ` + src + `.status,
	r.accepted_until, r.review_months, r.next_review, r.parent_id, r.project, r.escalated, r.closed_on, r.version, r.created_at, r.updated_at,
	u.code, u.name, COALESCE(l.code, ''), COALESCE(o.name, '')`
}

const riskFrom = ` FROM risks r JOIN units u ON u.id = r.unit_id LEFT JOIN locations l ON l.id = r.location_id LEFT JOIN people o ON o.id = r.owner_id`

func scanRisk(row interface{ Scan(...any) error }) (risk.Risk, error) {
	var r risk.Risk
	var category, themes, proximity, treatment, status string
	var location, parent sql.NullInt64
	err := row.Scan(&r.ID, &r.Reference, &r.Title, &r.Cause, &r.Event, &r.Consequence, &category, &r.UnitID, &location, &r.OwnerID, &themes,
		&r.Inherent.Likelihood, &r.Inherent.Impact, &r.Current.Likelihood, &r.Current.Impact, &r.Target.Likelihood, &r.Target.Impact,
		&r.ScaleVersion, &r.TargetDate, &proximity, &treatment, &status, &r.AcceptedUntil, &r.ReviewMonths, &r.NextReview, &parent,
		&r.Project, &r.Escalated, &r.ClosedOn, &r.Version, &r.CreatedAt, &r.UpdatedAt,
		&r.UnitCode, &r.UnitName, &r.LocationCode, &r.OwnerName)
	r.Category, r.Proximity, r.Treatment, r.Status = risk.Category(category), risk.Proximity(proximity), risk.Treatment(treatment), risk.Status(status)
	r.LocationID, r.ParentID = nullableID(location), nullableID(parent)
	r.Themes = splitThemes(themes)
	r.NextReview = r.NextReview.UTC()
	r.TargetDate, r.AcceptedUntil, r.ClosedOn = utcPtr(r.TargetDate), utcPtr(r.AcceptedUntil), utcPtr(r.ClosedOn)
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	return r, err
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func splitThemes(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// storedRisk drops what is resolved for display, for the audit trail.
func storedRisk(r risk.Risk) risk.Risk {
	r.UnitCode, r.UnitName, r.LocationCode, r.OwnerName = "", "", "", ""
	return r
}

func errRiskNotFound(id int64) error { return fault.Errorf(fault.NotFound, "There is no risk %d", id) }

// CreateRisk adds a risk to the register, scored on the scale in force,
// with its first score history row. The principal must be allowed to raise
// risks in its unit. Errors: Invalid, Forbidden, NotFound (a linked case or
// risk), Conflict (the reference is taken).
func (db *DB) CreateRisk(ctx context.Context, p *access.Principal, r *risk.Risk) error {
	today := dateOnly(db.Now())
	if err := r.Validate(today, true); err != nil {
		return err
	}
	if !access.CanCreateRisk(p, r.UnitID) {
		return fault.Errorf(fault.Forbidden, "You may raise risks only in your own units")
	}
	if r.Status != risk.Open {
		return &fault.Error{Code: fault.Invalid, Message: "The risk could not be saved",
			Fields: []fault.FieldError{{Field: "status", Message: "A new risk is open: accept or close it afterwards"}}}
	}
	return db.inTx(ctx, func(tx *Tx) error {
		return db.insertRisk(ctx, tx, p, r, nil)
	})
}

// insertRisk writes a validated new risk; an import passes its id.
func (db *DB) insertRisk(ctx context.Context, tx *Tx, p *access.Principal, r *risk.Risk, importID *int64) error {
	scale, err := currentScale(ctx, tx)
	if err != nil {
		return err
	}
	if err := db.checkRiskLinks(ctx, tx, p, r); err != nil {
		return err
	}
	r.ScaleVersion, r.Escalated = scale.Version, r.Status != risk.Closed && r.Current.Score() >= scale.Escalation
	r.Version, r.CreatedAt, r.UpdatedAt = 1, tx.now, tx.now
	r.NextReview = dateOnly(r.NextReview)
	reference := r.Reference
	if reference == "" {
		reference = fmt.Sprintf("pending-%d-%d", tx.now.UnixNano(), p.PersonID)
	}
	if _, err := tx.trackRiskChanges(ctx); err != nil {
		return err
	}
	id, err := tx.insert(ctx, `INSERT INTO risks (reference, title, cause, event, consequence, category, unit_id, location_id, owner_id, themes,
		inherent_likelihood, inherent_impact, current_likelihood, current_impact, target_likelihood, target_impact, current_score, scale_version,
		target_date, proximity, treatment, status, accepted_until, review_months, next_review, parent_id, project, escalated, closed_on,
		import_id, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		append([]any{reference}, append(riskValues(r), importID, r.Version, r.CreatedAt, r.UpdatedAt)...)...)
	if err != nil {
		return fmt.Errorf("create risk: %w", tx.dialect.translate(err))
	}
	r.ID = id
	if err := tx.touchNewRisk(ctx, id); err != nil {
		return err
	}
	if r.Reference == "" {
		r.Reference = fmt.Sprintf("RSK-%05d", id)
		if _, err := tx.exec(ctx, `UPDATE risks SET reference = ? WHERE id = ?`, r.Reference, id); err != nil {
			return tx.dialect.translate(err)
		}
	}
	if err := syncRiskLinks(ctx, tx, r); err != nil {
		return err
	}
	if err := addScorePoint(ctx, tx, r, p, "Raised"); err != nil {
		return err
	}
	if importID != nil {
		return nil // an import is one audit entry
	}
	return tx.record(ctx, audit.Create, "risk", id, audit.Diff(nil, storedRisk(*r)))
}

func riskValues(r *risk.Risk) []any {
	var closed any
	if r.ClosedOn != nil {
		closed = dateOnly(*r.ClosedOn)
	}
	return []any{r.Title, r.Cause, r.Event, r.Consequence, string(r.Category), r.UnitID, r.LocationID, r.OwnerID, strings.Join(r.Themes, ","),
		r.Inherent.Likelihood, r.Inherent.Impact, r.Current.Likelihood, r.Current.Impact, r.Target.Likelihood, r.Target.Impact,
		r.Current.Score(), r.ScaleVersion, dateOrNil(r.TargetDate), string(r.Proximity), string(r.Treatment), string(r.Status),
		dateOrNil(r.AcceptedUntil), r.ReviewMonths, dateOnly(r.NextReview), r.ParentID, r.Project, r.Escalated, closed}
}

// checkRiskLinks refuses links to risks that do not exist, a parent that
// makes a loop, and cases the principal cannot see.
func (db *DB) checkRiskLinks(ctx context.Context, tx *Tx, p *access.Principal, r *risk.Risk) error {
	parentOf := func(id int64) (*int64, error) {
		var parent sql.NullInt64
		err := tx.queryRow(ctx, `SELECT parent_id FROM risks WHERE id = ?`, id).Scan(&parent)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, &fault.Error{Code: fault.Invalid, Message: "The risk could not be saved",
				Fields: []fault.FieldError{{Field: "parent_id", Message: fmt.Sprintf("There is no risk %d to roll up to", id)}}}
		}
		return nullableID(parent), err
	}
	if err := risk.CheckParent(r.ID, r.ParentID, parentOf); err != nil {
		return err
	}
	r.Related = uniqueIDs(r.Related)
	for _, id := range r.Related {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM risks WHERE id = ?`, id).Scan(&n); err != nil {
			return err
		}
		if n == 0 || id == r.ID {
			return &fault.Error{Code: fault.Invalid, Message: "The risk could not be saved",
				Fields: []fault.FieldError{{Field: "related", Message: fmt.Sprintf("There is no other risk %d to relate it to", id)}}}
		}
	}
	r.CaseIDs = uniqueIDs(r.CaseIDs)
	for _, id := range r.CaseIDs {
		if _, err := db.caseFor(ctx, tx, p, id, access.Read); err != nil {
			return &fault.Error{Code: fault.Invalid, Message: "The risk could not be saved",
				Fields: []fault.FieldError{{Field: "case_ids", Message: fmt.Sprintf("There is no case %d that you can see", id)}}}
		}
	}
	return checkRiskFindings(ctx, tx, p, r)
}

// checkRiskFindings refuses links to findings that do not exist or that
// the principal may not read (inspections and their findings are read
// with ReadPlans, which partners lack).
func checkRiskFindings(ctx context.Context, tx *Tx, p *access.Principal, r *risk.Risk) error {
	r.FindingIDs = uniqueIDs(r.FindingIDs)
	if len(r.FindingIDs) > 0 && !access.Allows(p, access.ReadPlans) {
		return fault.Errorf(fault.Forbidden, "You may not read inspection findings, so you may not link a risk to them")
	}
	for _, id := range r.FindingIDs {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM findings WHERE id = ?`, id).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return &fault.Error{Code: fault.Invalid, Message: "The risk could not be saved",
				Fields: []fault.FieldError{{Field: "finding_ids", Message: fmt.Sprintf("There is no recommendation, aspect for improvement or good practice %d", id)}}}
		}
	}
	return nil
}

func uniqueIDs(ids []int64) []int64 {
	out := []int64{}
	for _, id := range ids {
		if id > 0 && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// syncRiskLinks stores a risk's themes, related risks and cases.
func syncRiskLinks(ctx context.Context, tx *Tx, r *risk.Risk) error {
	if err := tx.touchRisk(ctx, r.ID); err != nil {
		return err
	}
	for _, q := range []string{`DELETE FROM risk_themes WHERE risk_id = ?`, `DELETE FROM risk_links WHERE risk_id = ? OR related_id = ?`, `DELETE FROM risk_cases WHERE risk_id = ?`,
		`DELETE FROM risk_findings WHERE risk_id = ?`} {
		args := []any{r.ID}
		if strings.Count(q, "?") == 2 {
			args = append(args, r.ID)
		}
		if _, err := tx.exec(ctx, q, args...); err != nil {
			return err
		}
	}
	for _, t := range r.Themes {
		if _, err := tx.exec(ctx, `INSERT INTO risk_themes (risk_id, theme) VALUES (?, ?)`, r.ID, t); err != nil {
			return tx.dialect.translate(err)
		}
	}
	for _, id := range r.Related {
		a, b := min(r.ID, id), max(r.ID, id)
		if _, err := tx.exec(ctx, `INSERT INTO risk_links (risk_id, related_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, a, b); err != nil {
			return tx.dialect.translate(err)
		}
	}
	for _, id := range r.CaseIDs {
		if _, err := tx.exec(ctx, `INSERT INTO risk_cases (risk_id, case_id) VALUES (?, ?)`, r.ID, id); err != nil {
			return tx.dialect.translate(err)
		}
	}
	for _, id := range r.FindingIDs {
		if _, err := tx.exec(ctx, `INSERT INTO risk_findings (risk_id, finding_id) VALUES (?, ?)`, r.ID, id); err != nil {
			return tx.dialect.translate(err)
		}
	}
	return nil
}

func addScorePoint(ctx context.Context, tx *Tx, r *risk.Risk, p *access.Principal, note string) error {
	var by any
	if p != nil && p.PersonID > 0 {
		by = p.PersonID
	}
	if err := supersedeScores(ctx, tx, r.ID, tx.now); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `INSERT INTO risk_scores (risk_id, at, inherent_likelihood, inherent_impact, current_likelihood, current_impact,
		target_likelihood, target_impact, current_score, scale_version, status, by_id, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, tx.now, r.Inherent.Likelihood, r.Inherent.Impact, r.Current.Likelihood, r.Current.Impact, r.Target.Likelihood, r.Target.Impact,
		r.Current.Score(), r.ScaleVersion, string(r.Status), by, note)
	return tx.dialect.translate(err)
}

// supersedeScores marks the risk's score row in force as superseded at
// at, when a new row is about to be written: every row says until when it
// was in force, which the "as at" reads rely on.
func supersedeScores(ctx context.Context, tx *Tx, riskID int64, at any) error {
	if err := tx.touchRisk(ctx, riskID); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `UPDATE risk_scores SET superseded_at = ? WHERE risk_id = ? AND superseded_at IS NULL`, at, riskID)
	return tx.dialect.translate(err)
}

// RiskUpdate says how to save a changed risk.
type RiskUpdate struct {
	// CloseMeasures confirms that closing the risk closes its open
	// counter-measures too.
	CloseMeasures bool
	// Note is kept with the score history row when the scores change.
	Note string
}

// UpdateRisk saves a risk if nobody has changed it since the version the
// caller read. A change of score is kept in the score history on the scale
// in force; closing a risk with open counter-measures needs CloseMeasures.
// Errors: NotFound, Forbidden, Invalid, Conflict.
func (db *DB) UpdateRisk(ctx context.Context, p *access.Principal, r *risk.Risk, opt RiskUpdate) error {
	today := dateOnly(db.Now())
	if err := r.Validate(today, false); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		before, err := db.riskFor(ctx, tx, p, r.ID, access.Write)
		if err != nil {
			return err
		}
		if before.Version != r.Version {
			return errRiskChanged()
		}
		// The new owner and unit must be ones the principal may write too,
		// so nobody hands a risk to a unit they cannot reach.
		if !access.CanWriteRisk(p, access.RiskRecord{UnitID: r.UnitID, OwnerID: r.OwnerID}) && !access.CanCreateRisk(p, r.UnitID) {
			return fault.Errorf(fault.Forbidden, "You may not move a risk to a unit you do not manage")
		}
		if err := checkStatusChange(before, r); err != nil {
			return err
		}
		if err := db.checkRiskLinks(ctx, tx, p, r); err != nil {
			return err
		}
		if r.Status == risk.Closed && before.Status != risk.Closed {
			open, err := measuresOf(ctx, tx, r.ID, true)
			if err != nil {
				return err
			}
			if err := risk.CloseCheck(open, opt.CloseMeasures); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `UPDATE risk_measures SET status = 'cancelled', completed_on = ?, updated_at = ?
				WHERE risk_id = ? AND status IN ('planned', 'in_progress')`, today, tx.now, r.ID); err != nil {
				return err
			}
			r.ClosedOn = &today
		}
		if r.Status != risk.Closed {
			r.ClosedOn = nil
		}
		if r.Status != risk.Accepted {
			r.AcceptedUntil = nil
		}
		return db.saveRisk(ctx, tx, p, before, r, opt.Note)
	})
}

func errRiskChanged() error {
	return fault.Errorf(fault.Conflict, "The risk has changed since you opened it (by someone else, or in another tab). Reload it to see the changes, then make yours again.")
}

// checkStatusChange keeps acceptance to its workflow: a risk becomes
// accepted only by an approved proposal, and stops being accepted by
// revocation, expiry or closing.
func checkStatusChange(before risk.Risk, after *risk.Risk) error {
	if after.Status == before.Status {
		after.AcceptedUntil = before.AcceptedUntil
		return nil
	}
	switch {
	case after.Status == risk.Accepted:
		return &fault.Error{Code: fault.Invalid, Message: "The risk could not be saved",
			Fields: []fault.FieldError{{Field: "status", Message: "A risk is accepted by proposing acceptance with a justification and an expiry date, approved by someone above its owner"}}}
	case before.Status == risk.Accepted && after.Status == risk.Open:
		return &fault.Error{Code: fault.Invalid, Message: "The risk could not be saved",
			Fields: []fault.FieldError{{Field: "status", Message: "Revoke the acceptance to reopen the risk"}}}
	}
	return nil
}

// saveRisk writes a changed risk over before, keeping score history and
// the escalation flag up to date, and records the change.
func (db *DB) saveRisk(ctx context.Context, tx *Tx, p *access.Principal, before risk.Risk, r *risk.Risk, note string) error {
	scale, err := currentScale(ctx, tx)
	if err != nil {
		return err
	}
	rescored := r.Inherent != before.Inherent || r.Current != before.Current || r.Target != before.Target
	r.ScaleVersion = before.ScaleVersion
	if rescored {
		r.ScaleVersion = scale.Version
	}
	r.Escalated = r.Status != risk.Closed && r.Current.Score() >= scale.Escalation
	r.Reference, r.Version, r.CreatedAt, r.UpdatedAt = before.Reference, before.Version+1, before.CreatedAt, tx.now
	if err := tx.touchRisk(ctx, r.ID); err != nil {
		return err
	}
	res, err := tx.exec(ctx, `UPDATE risks SET title = ?, cause = ?, event = ?, consequence = ?, category = ?, unit_id = ?, location_id = ?,
		owner_id = ?, themes = ?, inherent_likelihood = ?, inherent_impact = ?, current_likelihood = ?, current_impact = ?,
		target_likelihood = ?, target_impact = ?, current_score = ?, scale_version = ?, target_date = ?, proximity = ?, treatment = ?,
		status = ?, accepted_until = ?, review_months = ?, next_review = ?, parent_id = ?, project = ?, escalated = ?, closed_on = ?,
		version = ?, updated_at = ? WHERE id = ? AND version = ?`,
		append(riskValues(r), r.Version, r.UpdatedAt, r.ID, before.Version)...)
	if err != nil {
		return fmt.Errorf("update risk %d: %w", r.ID, tx.dialect.translate(err))
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errRiskChanged()
	}
	if err := syncRiskLinks(ctx, tx, r); err != nil {
		return err
	}
	if rescored || r.Status != before.Status {
		if note == "" {
			note = "Rescored"
			if r.Status != before.Status {
				note = "Status " + r.Status.Label()
			}
		}
		if err := addScorePoint(ctx, tx, r, p, note); err != nil {
			return err
		}
	}
	return tx.record(ctx, audit.Update, "risk", r.ID, audit.Diff(storedRisk(before), storedRisk(*r)))
}

// riskFor reads a risk, with its links, that the principal may act on.
func (db *DB) riskFor(ctx context.Context, tx *Tx, p *access.Principal, id int64, action access.Action) (risk.Risk, error) {
	r, err := scanRisk(tx.queryRow(ctx, `SELECT `+riskColumns("r")+riskFrom+` WHERE r.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, errRiskNotFound(id)
	} else if err != nil {
		return r, err
	}
	rec := access.RiskRecord{UnitID: r.UnitID, OwnerID: r.OwnerID}
	if !access.CanReadRisk(p, rec) {
		return risk.Risk{}, errRiskNotFound(id)
	}
	if action == access.Write && !access.CanWriteRisk(p, rec) {
		return risk.Risk{}, fault.Errorf(fault.Forbidden, "You may read this risk but not change it: its owner, their managers and the managers of its unit may")
	}
	return r, loadRiskLinks(ctx, tx.query, &r)
}

type rowsQuery func(ctx context.Context, query string, args ...any) (*sql.Rows, error)

func loadRiskLinks(ctx context.Context, q rowsQuery, r *risk.Risk) error {
	rows, err := q(ctx, `SELECT 'related', CASE WHEN risk_id = ? THEN related_id ELSE risk_id END FROM risk_links WHERE risk_id = ? OR related_id = ?
		UNION ALL SELECT 'case', case_id FROM risk_cases WHERE risk_id = ?
		UNION ALL SELECT 'finding', finding_id FROM risk_findings WHERE risk_id = ?`, r.ID, r.ID, r.ID, r.ID, r.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	r.Related, r.CaseIDs, r.FindingIDs = []int64{}, []int64{}, []int64{}
	for rows.Next() {
		var kind string
		var id int64
		if err := rows.Scan(&kind, &id); err != nil {
			return err
		}
		switch kind {
		case "related":
			r.Related = append(r.Related, id)
		case "case":
			r.CaseIDs = append(r.CaseIDs, id)
		default:
			r.FindingIDs = append(r.FindingIDs, id)
		}
	}
	slices.Sort(r.Related)
	slices.Sort(r.CaseIDs)
	slices.Sort(r.FindingIDs)
	return rows.Err()
}

// Risk returns a risk the principal may see, with its links.
// Errors: NotFound.
func (db *DB) Risk(ctx context.Context, p *access.Principal, id int64) (risk.Risk, error) {
	r, err := scanRisk(db.queryRow(ctx, `SELECT `+riskColumns("r")+riskFrom+` WHERE r.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, errRiskNotFound(id)
	} else if err != nil {
		return r, db.unavailable("risk", err)
	}
	if !access.CanReadRisk(p, access.RiskRecord{UnitID: r.UnitID, OwnerID: r.OwnerID}) {
		return risk.Risk{}, errRiskNotFound(id)
	}
	return r, loadRiskLinks(ctx, db.query, &r)
}

// RiskFilter selects risks for the register.
type RiskFilter struct {
	Unit     string // unit code
	Location string // location code
	Category risk.Category
	Theme    string
	OwnerID  *int64
	// Owners keeps risks owned by any of these people (a manager's team).
	Owners []int64
	// Band is a band name of the scale in force ("High").
	Band string
	// Likelihood and Impact keep risks whose current rating is exactly
	// this: one cell of the heat map.
	Likelihood, Impact int
	// Status: "" for live risks (open and accepted), "all", or a status.
	Status        string
	OverdueReview bool
	Escalated     bool
	Query         string
	ParentID      *int64
	// AsAt shows the register as it stood at the end of that day: scores
	// and status from the score history, risks raised by then.
	AsAt   *time.Time
	Today  time.Time
	Cursor string
	Limit  int
}

// RiskPage is one page of the register.
type RiskPage struct {
	Risks []risk.Risk `json:"risks"`
	Next  string      `json:"next_cursor,omitempty"`
}

// inForceAt is the condition that score row s was the one in force at the
// end of a day: written before the day's end (the first ?) and not
// superseded by then (the second).
func inForceAt(s string) string {
	return `` + s + `.at < ? AND (` + s + `.superseded_at IS NULL OR ` + s + `.superseded_at >= ?)`
}

// riskWhere turns a filter into SQL conditions over risks r (and, as at a
// date, its score row s).
func (db *DB) riskWhere(ctx context.Context, p *access.Principal, f RiskFilter) (src string, join string, where []string, args []any, err error) {
	if !access.Allows(p, access.ReadRisks) {
		return "r", "", []string{"1 = 0"}, nil, nil
	}
	src = "r"
	if f.AsAt != nil {
		src = "s"
		end := dateOnly(*f.AsAt).AddDate(0, 0, 1)
		join = ` JOIN risk_scores s ON s.risk_id = r.id`
		where, args = append(where, inForceAt("s")), append(args, end, end)
	}
	add := func(cond string, a ...any) { where, args = append(where, cond), append(args, a...) }
	if p.Token != nil && p.Token.UnitID != nil {
		add("r.unit_id = ?", *p.Token.UnitID)
	}
	// By id rather than through the joined tables, so that a count (the
	// heat map) needs no join and the unit's index serves the list.
	if f.Unit != "" {
		add("r.unit_id = (SELECT id FROM units WHERE code = ?)", f.Unit)
	}
	if f.Location != "" {
		add("r.location_id = (SELECT id FROM locations WHERE code = ?)", f.Location)
	}
	if f.Category != "" {
		add("r.category = ?", string(f.Category))
	}
	if f.Theme != "" {
		add("EXISTS (SELECT 1 FROM risk_themes t WHERE t.risk_id = r.id AND t.theme = ?)", strings.ToLower(strings.TrimSpace(f.Theme)))
	}
	if f.OwnerID != nil {
		add("r.owner_id = ?", *f.OwnerID)
	}
	if f.Owners != nil {
		if len(f.Owners) == 0 {
			where = append(where, "1 = 0")
		} else {
			add("r.owner_id IN ("+placeholders(len(f.Owners))+")", idArgs(f.Owners)...)
		}
	}
	if f.ParentID != nil {
		add("r.parent_id = ?", *f.ParentID)
	}
	if f.Band != "" {
		scale, err := db.RiskScale(ctx)
		if err != nil {
			return "", "", nil, nil, err
		}
		b, ok := scale.BandByName(f.Band)
		if !ok {
			return "", "", nil, nil, &fault.Error{Code: fault.Invalid, Message: "There is no such score band",
				Fields: []fault.FieldError{{Field: "band", Message: "Choose a band of the scale"}}}
		}
		add(src+".current_score BETWEEN ? AND ?", b.Min, b.Max)
	}
	if f.Likelihood != 0 || f.Impact != 0 {
		if f.Likelihood < 1 || f.Likelihood > 5 || f.Impact < 1 || f.Impact > 5 {
			return "", "", nil, nil, &fault.Error{Code: fault.Invalid, Message: "A heat map cell is a likelihood and an impact from 1 to 5",
				Fields: []fault.FieldError{{Field: "likelihood", Message: "Choose a likelihood and an impact from 1 to 5"}}}
		}
		add(src+".current_likelihood = ? AND "+src+".current_impact = ?", f.Likelihood, f.Impact)
	}
	switch f.Status {
	case "":
		where = append(where, src+".status <> 'closed'")
	case "all":
	case "open", "accepted", "closed":
		add(src+".status = ?", f.Status)
	default:
		return "", "", nil, nil, &fault.Error{Code: fault.Invalid, Message: "There is no such status",
			Fields: []fault.FieldError{{Field: "status", Message: "Choose open, accepted, closed or all"}}}
	}
	if f.OverdueReview {
		add("r.status <> 'closed' AND r.next_review < ?", dateOnly(f.Today))
	}
	if f.Escalated {
		where = append(where, "r.escalated")
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		like := db.dialect.caseInsensitiveLike()
		pattern := "%" + escapeLike(q) + "%"
		add("(r.reference "+like+" ? ESCAPE '\\' OR r.title "+like+" ? ESCAPE '\\')", pattern, pattern)
	}
	if f.AsAt != nil {
		add("r.created_at < ?", dateOnly(*f.AsAt).AddDate(0, 0, 1))
	}
	if len(where) == 0 {
		where = append(where, "1 = 1")
	}
	return src, join, where, args, nil
}

// Risks lists the register, highest current score first.
func (db *DB) Risks(ctx context.Context, p *access.Principal, f RiskFilter) (RiskPage, error) {
	after, err := decodeCursor(f.Cursor)
	if err != nil {
		return RiskPage{}, err
	}
	limit := clampLimit(f.Limit)
	src, join, where, args, err := db.riskWhere(ctx, p, f)
	if err != nil {
		return RiskPage{}, err
	}
	// As at a date the order is the score row's, so that an index of
	// score rows gives it; s.risk_id is r.id.
	id := "r.id"
	if src == "s" {
		id = "s.risk_id"
	}
	if after.ID != 0 {
		score, _ := strconv.Atoi(after.Key)
		where = append(where, "("+src+".current_score, "+id+") < (?, ?)")
		args = append(args, score, after.ID)
	}
	from := riskFrom + join
	if src == "s" && f.OwnerID == nil && f.Owners == nil && f.ParentID == nil {
		// As at a date, unless a filter picks out a few risks, walk the
		// score rows in score order (the index risk_scores_score) and stop
		// at the page's end, rather than find the row in force for every
		// risk and sort them all. CROSS JOIN fixes that order on SQLite;
		// PostgreSQL's planner finds it alone.
		from = ` FROM risk_scores s CROSS JOIN risks r JOIN units u ON u.id = r.unit_id LEFT JOIN locations l ON l.id = r.location_id LEFT JOIN people o ON o.id = r.owner_id`
		where = append(where, "s.risk_id = r.id")
	}
	rows, err := db.query(ctx, `SELECT `+riskColumns(src)+from+` WHERE `+strings.Join(where, " AND ")+
		fmt.Sprintf(` ORDER BY %s.current_score DESC, %s DESC LIMIT %d`, src, id, limit+1), args...)
	if err != nil {
		return RiskPage{}, err
	}
	defer rows.Close()
	page := RiskPage{Risks: []risk.Risk{}}
	for rows.Next() {
		r, err := scanRisk(rows)
		if err != nil {
			return RiskPage{}, err
		}
		page.Risks = append(page.Risks, r)
	}
	if err := rows.Err(); err != nil {
		return RiskPage{}, err
	}
	if len(page.Risks) > limit {
		page.Risks = page.Risks[:limit]
		last := page.Risks[limit-1]
		page.Next = cursor{Key: strconv.Itoa(last.Current.Score()), ID: last.ID}.encode()
	}
	return page, nil
}

// RiskHistory lists a risk's score history, oldest first; the caller has
// already been allowed to see the risk.
func (db *DB) RiskHistory(ctx context.Context, riskID int64) ([]risk.ScorePoint, error) {
	rows, err := db.query(ctx, `SELECT s.risk_id, s.at, s.inherent_likelihood, s.inherent_impact, s.current_likelihood, s.current_impact,
		s.target_likelihood, s.target_impact, s.scale_version, s.status, s.by_id, COALESCE(p.name, ''), s.note
		FROM risk_scores s LEFT JOIN people p ON p.id = s.by_id WHERE s.risk_id = ? ORDER BY s.at, s.id`, riskID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []risk.ScorePoint{}
	for rows.Next() {
		var sp risk.ScorePoint
		var by sql.NullInt64
		var status string
		if err := rows.Scan(&sp.RiskID, &sp.At, &sp.Inherent.Likelihood, &sp.Inherent.Impact, &sp.Current.Likelihood, &sp.Current.Impact,
			&sp.Target.Likelihood, &sp.Target.Impact, &sp.ScaleVersion, &status, &by, &sp.ByName, &sp.Note); err != nil {
			return nil, err
		}
		sp.At, sp.Status, sp.ByID = sp.At.UTC(), risk.Status(status), nullableID(by)
		out = append(out, sp)
	}
	return out, rows.Err()
}

// RisksForFinding lists the risks linked to an inspection finding that the
// principal may see, highest current score first. Risks the principal may
// not see are left out, not counted, so the list says nothing of them.
func (db *DB) RisksForFinding(ctx context.Context, p *access.Principal, findingID int64) ([]risk.Risk, error) {
	rows, err := db.query(ctx, `SELECT `+riskColumns("r")+riskFrom+` JOIN risk_findings rf ON rf.risk_id = r.id
		WHERE rf.finding_id = ? ORDER BY r.current_score DESC, r.id`, findingID)
	if err != nil {
		return nil, db.unavailable("risks for finding", err)
	}
	defer rows.Close()
	out := []risk.Risk{}
	for rows.Next() {
		r, err := scanRisk(rows)
		if err != nil {
			return nil, err
		}
		if access.CanReadRisk(p, access.RiskRecord{UnitID: r.UnitID, OwnerID: r.OwnerID}) {
			out = append(out, r)
		}
	}
	return out, rows.Err()
}
