package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/deadline"
)

// Deadline is one dated item of a work list: a running custody time
// limit, an extradition time limit still open, a court direction not yet complied with, or a key document due
// for review.
type Deadline struct {
	CaseID     int64     `json:"case_id"`
	Reference  string    `json:"reference"`
	Title      string    `json:"title"`
	LawyerID   int64     `json:"lawyer_id"`   // whose work it is: the case's lawyer, or an action's owner
	LawyerName string    `json:"lawyer_name"` // their name
	Kind       string    `json:"kind"`        // custody_time_limit, extradition_limit, direction, document_review or action
	Defendant  string    `json:"defendant"`   // custody and extradition time limits: the defendant's or requested person's id within the case
	Charge     string    `json:"charge"`      // custody time limits: the charge
	What       string    `json:"what"`        // what is due, in words
	Due        time.Time `json:"due"`
}

// documentReviewNotice is how far ahead a key document's review joins the
// work list.
const documentReviewNotice = 30

// Deadlines lists the work of the cases whose lawyer is one of people,
// among the cases the principal may see, soonest first: running custody
// time limits, requested persons' open extradition time limits, directions not yet complied with, and key documents due
// for review within 30 days or overdue, on cases not yet finished; and
// the open actions of panels, reviews and handovers that people own.
func (db *DB) Deadlines(ctx context.Context, p *access.Principal, people []int64, limit int) ([]Deadline, error) {
	if len(people) == 0 {
		return nil, nil
	}
	filter := db.Clearances.ReadFilter(p)
	var parts []string
	var args []any
	part := func(query string, extra ...any) {
		visible, vargs := visibleTo(filter, "case", "c")
		parts = append(parts, strings.Replace(query, "{{visible}}", visible, 1)+` AND c.lawyer_id IN (`+placeholders(len(people))+`)
			AND c.status NOT IN ('finalised', 'completed', 'closed')`)
		args = append(append(append(args, extra...), vargs...), idArgs(people)...)
	}
	part(`SELECT c.id, c.reference, c.title, c.lawyer_id, COALESCE(pe.name, ''), 'custody_time_limit' AS kind, d.ref, ch.description, ch.ctl_expiry AS due
		FROM charges ch JOIN defendants d ON d.id = ch.defendant_id JOIN cases c ON c.id = d.case_id LEFT JOIN people pe ON pe.id = c.lawyer_id
		WHERE ch.ctl_running AND {{visible}}`)
	part(`SELECT c.id, c.reference, c.title, c.lawyer_id, COALESCE(pe.name, ''), 'extradition_limit', d.ref, d.name, d.extradition_due
		FROM defendants d JOIN cases c ON c.id = d.case_id LEFT JOIN people pe ON pe.id = c.lawyer_id
		WHERE d.extradition_due IS NOT NULL AND {{visible}}`)
	part(`SELECT c.id, c.reference, c.title, c.lawyer_id, COALESCE(pe.name, ''), 'direction', '', di.description, di.due_on
		FROM directions di JOIN cases c ON c.id = di.case_id LEFT JOIN people pe ON pe.id = c.lawyer_id
		WHERE di.completed_on IS NULL AND {{visible}}`)
	part(`SELECT c.id, c.reference, c.title, c.lawyer_id, COALESCE(pe.name, ''), 'document_review', '', cd.kind, cd.review_due
		FROM case_documents cd JOIN cases c ON c.id = cd.case_id LEFT JOIN people pe ON pe.id = c.lawyer_id
		WHERE cd.review_due IS NOT NULL AND cd.review_due <= ? AND {{visible}}`,
		deadline.Today(db.Now()).AddDays(documentReviewNotice).Time(time.UTC))
	// Actions agreed at panels and reviews, and handover checklists, are
	// their owner's, whoever the case's lawyer is.
	visible, vargs := visibleTo(filter, "case", "c")
	parts = append(parts, `SELECT c.id, c.reference, c.title, COALESCE(a.owner_id, 0), COALESCE(ow.name, ''), 'action', '', a.description, a.due_on
		FROM review_actions a JOIN case_reviews r ON r.id = a.review_id JOIN cases c ON c.id = r.case_id LEFT JOIN people ow ON ow.id = a.owner_id
		WHERE a.done_on IS NULL AND `+visible+` AND a.owner_id IN (`+placeholders(len(people))+`)`)
	args = append(append(args, vargs...), idArgs(people)...)
	rows, err := db.query(ctx, strings.Join(parts, " UNION ALL ")+` ORDER BY due, reference LIMIT `+strconv.Itoa(clampLimit(limit)), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Deadline
	for rows.Next() {
		var d Deadline
		var detail string
		if err := rows.Scan(&d.CaseID, &d.Reference, &d.Title, &d.LawyerID, &d.LawyerName, &d.Kind, &d.Defendant, &detail, &d.Due); err != nil {
			return nil, err
		}
		d.Due = d.Due.UTC()
		describeDeadline(&d, detail)
		out = append(out, d)
	}
	return out, rows.Err()
}

// describeDeadline says in words what is due; detail is the charge, the
// direction or the kind of document.
func describeDeadline(d *Deadline, detail string) {
	switch d.Kind {
	case "direction":
		d.What = "Direction: " + detail
	case "action":
		d.What = "Action: " + detail
	case "extradition_limit":
		d.What = "Extradition time limit: " + d.Defendant
		if detail != "" {
			d.What += " (" + detail + ")"
		}
	case "document_review":
		d.What = "Review: " + detail
		if info, ok := casework.DocumentKind(detail).Info(); ok {
			d.What = "Review the " + strings.ToLower(info.Label[:1]) + info.Label[1:]
		}
	default:
		d.Charge = detail
		d.What = "Custody time limit: " + d.Defendant + ", " + detail
	}
}

// RecentSensitive lists the cases on the sensitive case log of the given
// units entered since a moment, newest first: the high-profile cases a
// unit head must hear of the day they arrive.
func (db *DB) RecentSensitive(ctx context.Context, p *access.Principal, units []int64, since time.Time) ([]casework.Case, error) {
	if len(units) == 0 {
		return nil, nil
	}
	visible, args := visibleTo(db.Clearances.ReadFilter(p), "case", "c")
	args = append(args, since)
	for _, u := range units {
		args = append(args, u)
	}
	rows, err := db.query(ctx, `SELECT `+caseColumns+caseFrom+` WHERE `+visible+` AND c.sensitive_reason <> '' AND c.created_at >= ?
		AND c.unit_id IN (`+placeholders(len(units))+`) ORDER BY c.created_at DESC LIMIT 100`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []casework.Case
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// PressEntry is a case on the list the press office receives: a live case
// on the sensitive case log, with its next hearing.
type PressEntry struct {
	Reference, Title, Unit, Location, CourtCentre, Lawyer, Reason string
	NextHearing                                                   *time.Time
	OpenedOn                                                      time.Time
}

// PressList is the sensitive case log as the press office receives it:
// the live cases on the log that the principal may see, soonest hearing
// first. Restricted cases are never on it, whoever asks: their existence
// is not for the press office.
func (db *DB) PressList(ctx context.Context, p *access.Principal) ([]PressEntry, error) {
	visible, args := visibleTo(db.Clearances.ReadFilter(p), "case", "c")
	today := db.today()
	rows, err := db.query(ctx, `SELECT c.reference, c.title, u.name, l.name, c.court_centre, COALESCE(pe.name, ''), c.sensitive_reason, c.opened_on, h.held_on
		FROM cases c JOIN units u ON u.id = c.unit_id JOIN locations l ON l.id = c.location_id LEFT JOIN people pe ON pe.id = c.lawyer_id
		LEFT JOIN hearings h ON h.id = (SELECT h2.id FROM hearings h2 WHERE h2.case_id = c.id AND h2.held_on >= ? ORDER BY h2.held_on, h2.id LIMIT 1)
		WHERE `+visible+` AND c.sensitive_reason <> '' AND c.sensitivity <> 'restricted' AND c.status NOT IN ('finalised', 'completed', 'closed')
		ORDER BY CASE WHEN h.held_on IS NULL THEN 1 ELSE 0 END, h.held_on, c.reference`, append([]any{today}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PressEntry
	for rows.Next() {
		var e PressEntry
		var next sql.NullTime
		if err := rows.Scan(&e.Reference, &e.Title, &e.Unit, &e.Location, &e.CourtCentre, &e.Lawyer, &e.Reason, &e.OpenedOn, &next); err != nil {
			return nil, err
		}
		if next.Valid {
			day := next.Time.UTC()
			e.NextHearing = &day
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
