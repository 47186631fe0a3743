package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/fault"
	"caseboard/internal/quality"
)

// ComplianceFacts reads every case the principal may see, of one unit or
// all, as the compliance rules see it: its fields and the counts over its
// defendants, charges, directions, key documents and review actions. The
// counts are read set-based, one grouped query per table in order of case,
// and merged with the cases as they stream past, so a million cases cost a
// handful of scans rather than a million lookups per table.
func (db *DB) ComplianceFacts(ctx context.Context, p *access.Principal, unitID *int64) ([]quality.CaseFacts, error) {
	var out []quality.CaseFacts
	err := db.EachComplianceFact(ctx, p, unitID, func(f *quality.CaseFacts) { out = append(out, *f) })
	return out, err
}

// EachComplianceFact is ComplianceFacts one case at a time, in order of
// id, for an evaluation over more cases than are worth holding at once.
func (db *DB) EachComplianceFact(ctx context.Context, p *access.Principal, unitID *int64, fn func(*quality.CaseFacts)) error {
	visible, args := visibleTo(db.Clearances.ReadFilter(p), "case", "c")
	return db.eachComplianceFact(ctx, visible, args, unitID, fn)
}

// eachComplianceFact reads the cases a condition keeps, as
// EachComplianceFact does.
func (db *DB) eachComplianceFact(ctx context.Context, where string, args []any, unitID *int64, fn func(*quality.CaseFacts)) error {
	if unitID != nil {
		where += " AND c.unit_id = ?"
		args = append(args, *unitID)
	}
	today := db.today()
	counts, err := db.complianceCounts(ctx, unitID, today)
	if err != nil {
		return err
	}
	rows, err := db.query(ctx, `SELECT `+factColumns+`, 0, 0, 0, 0, 0, 0, 0, 0, NULL, NULL
		FROM cases c LEFT JOIN people pe ON pe.id = c.lawyer_id WHERE `+where+` ORDER BY c.id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var r factRow
	in := newInterner()
	for rows.Next() {
		if err := r.scan(rows); err != nil {
			return err
		}
		counts.fill(&r)
		f := r.facts(in)
		fn(&f)
	}
	return rows.Err()
}

// ComplianceStanding counts, over the cases the principal may see (of
// one unit, or all when unitID is nil), those that some compliance rule
// applies to and, of those, the ones meeting every rule that applies.
// Those that fail go to failing, when it is not nil. A nil principal
// counts every case of the division, for the evidence checks.
func (db *DB) ComplianceStanding(ctx context.Context, p *access.Principal, unitID *int64, failing func(f *quality.CaseFacts, breaches []quality.Breach)) (checked, meeting int, err error) {
	where, args := "1 = 1", []any(nil)
	if p != nil {
		where, args = visibleTo(db.Clearances.ReadFilter(p), "case", "c")
	}
	today := db.today()
	err = db.eachComplianceFact(ctx, where, args, unitID, func(f *quality.CaseFacts) {
		applies, meets := quality.CaseStanding(quality.ComplianceRules, f, today)
		if !applies {
			return
		}
		checked++
		if meets {
			meeting++
		} else if failing != nil {
			failing(f, quality.EvaluateCase(quality.ComplianceRules, *f, today))
		}
	})
	return checked, meeting, err
}

// CaseCompliance evaluates every compliance rule for one case the
// principal may see, as a change to the case leaves it: the breaches, in
// the order of the rules. It reads the case's counts with a lookup per
// table, the way of reading that suits one case; the tests hold it to the
// same answers as ComplianceFacts. Errors: NotFound.
func (db *DB) CaseCompliance(ctx context.Context, p *access.Principal, caseID int64) ([]quality.Breach, error) {
	visible, args := visibleTo(db.Clearances.ReadFilter(p), "case", "c")
	today := db.today()
	rows, err := db.query(ctx, `SELECT `+factColumns+`,
		(SELECT COUNT(*) FROM defendants d WHERE d.case_id = c.id),
		(SELECT COUNT(*) FROM defendants d WHERE d.case_id = c.id AND d.custody_status = 'in_custody'),
		(SELECT COUNT(*) FROM defendants d WHERE d.case_id = c.id AND d.outcome = ''),
		(SELECT COUNT(*) FROM charges ch JOIN defendants d ON d.id = ch.defendant_id WHERE d.case_id = c.id),
		(SELECT COUNT(*) FROM charges ch JOIN defendants d ON d.id = ch.defendant_id WHERE d.case_id = c.id AND ch.ctl_running),
		(SELECT COUNT(*) FROM directions di WHERE di.case_id = c.id AND di.completed_on IS NULL AND di.due_on < ?),
		(SELECT COUNT(*) FROM case_documents cd WHERE cd.case_id = c.id AND cd.review_due < ?),
		(SELECT COUNT(*) FROM review_actions a JOIN case_reviews r ON r.id = a.review_id WHERE r.case_id = c.id AND a.done_on IS NULL AND a.due_on < ?),
		(SELECT cd.updated_on FROM case_documents cd WHERE cd.case_id = c.id AND cd.kind = 'prosecution_strategy'),
		(SELECT cd.updated_on FROM case_documents cd WHERE cd.case_id = c.id AND cd.kind = 'disclosure_management')
		FROM cases c LEFT JOIN people pe ON pe.id = c.lawyer_id WHERE `+visible+` AND c.id = ?`, append(append([]any{today, today, today}, args...), caseID)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, err
		}
		return nil, fault.Errorf(fault.NotFound, "There is no case %d", caseID)
	}
	var r factRow
	if err := r.scan(rows); err != nil {
		return nil, err
	}
	return quality.EvaluateCase(quality.ComplianceRules, r.facts(newInterner()), today), nil
}

// factColumns are a case's own columns as the rules read them.
const factColumns = `c.id, c.reference, c.unit_id, c.lawyer_id, COALESCE(pe.name, ''), pe.team_id, c.kind, c.status, c.sensitivity,
	c.manager_id, c.opened_on, c.agency, c.pre_charge_decision, c.pre_charge_decided_on, c.court, c.court_centre, c.direction, c.country,
	c.warrant_type, c.next_deadline`

// factRow is one case as read for the rules.
type factRow struct {
	id, unit                                                                                            int64
	reference                                                                                           string
	lawyer, team, manager                                                                               sql.NullInt64
	kind, status, sensitivity, agency, decision, court, centre, direction, country, warrant, lawyerName sql.RawBytes
	opened, next                                                                                        time.Time
	decided, strategy, disclosure                                                                       sql.NullTime
	defendants, inCustody, withoutOutcome, charges, running, lateDirections, lateReviews, lateActions   int
}

func (r *factRow) scan(row *sql.Rows) error {
	return row.Scan(&r.id, &r.reference, &r.unit, &r.lawyer, &r.lawyerName, &r.team, &r.kind, &r.status, &r.sensitivity,
		&r.manager, &r.opened, &r.agency, &r.decision, &r.decided, &r.court, &r.centre, &r.direction, &r.country, &r.warrant, &r.next,
		&r.defendants, &r.inCustody, &r.withoutOutcome, &r.charges, &r.running, &r.lateDirections, &r.lateReviews, &r.lateActions,
		&r.strategy, &r.disclosure)
}

// The slots of the fields the store fills, found once.
var (
	kindSlot, statusSlot, sensitivitySlot = quality.SlotOf("kind"), quality.SlotOf("status"), quality.SlotOf("sensitivity")
	lawyerSlot, managerSlot, agencySlot   = quality.SlotOf("lawyer"), quality.SlotOf("manager"), quality.SlotOf("agency")
	decisionSlot, courtSlot, centreSlot   = quality.SlotOf("pre_charge_decision"), quality.SlotOf("court"), quality.SlotOf("court_centre")
	directionSlot, countrySlot            = quality.SlotOf("direction"), quality.SlotOf("country")
	warrantSlot, openedSlot, decidedSlot  = quality.SlotOf("warrant_type"), quality.SlotOf("opened_on"), quality.SlotOf("pre_charge_decided_on")
	nextSlot, defendantsSlot              = quality.SlotOf("next_deadline"), quality.SlotOf("defendants")
	inCustodySlot, withoutOutcomeSlot     = quality.SlotOf("defendants_in_custody"), quality.SlotOf("defendants_without_outcome")
	chargesSlot, runningSlot              = quality.SlotOf("charges"), quality.SlotOf("running_custody_limits")
	lateDirectionsSlot, lateReviewsSlot   = quality.SlotOf("overdue_directions"), quality.SlotOf("overdue_document_reviews")
	lateActionsSlot, strategySlot         = quality.SlotOf("overdue_actions"), quality.SlotOf("prosecution_strategy_updated_on")
	disclosureSlot                        = quality.SlotOf("disclosure_management_updated_on")
)

// interner shares one copy of each of the few distinct values a column
// holds (kinds, statuses, courts, people), so a million cases do not
// hold a million copies of "charged".
type interner struct {
	texts map[string]string
	ids   map[int64]string
}

func newInterner() *interner { return &interner{texts: map[string]string{}, ids: map[int64]string{}} }

func (in *interner) text(b []byte) string {
	if s, ok := in.texts[string(b)]; ok {
		return s
	}
	s := string(b)
	in.texts[s] = s
	return s
}

func (in *interner) id(n sql.NullInt64) string {
	if !n.Valid {
		return ""
	}
	if s, ok := in.ids[n.Int64]; ok {
		return s
	}
	s := strconv.FormatInt(n.Int64, 10)
	in.ids[n.Int64] = s
	return s
}

func (r *factRow) facts(in *interner) quality.CaseFacts {
	f := quality.CaseFacts{CaseID: r.id, Reference: r.reference, UnitID: r.unit, LawyerName: in.text(r.lawyerName),
		LawyerID: nullableID(r.lawyer), TeamID: nullableID(r.team)}
	v := &f.Values
	v.SetText(kindSlot, in.text(r.kind))
	v.SetText(statusSlot, in.text(r.status))
	v.SetText(sensitivitySlot, in.text(r.sensitivity))
	v.SetText(lawyerSlot, in.id(r.lawyer))
	v.SetText(managerSlot, in.id(r.manager))
	v.SetText(agencySlot, in.text(r.agency))
	v.SetText(decisionSlot, in.text(r.decision))
	v.SetText(courtSlot, in.text(r.court))
	v.SetText(centreSlot, in.text(r.centre))
	v.SetText(directionSlot, in.text(r.direction))
	v.SetText(countrySlot, in.text(r.country))
	v.SetText(warrantSlot, in.text(r.warrant))
	v.SetDate(openedSlot, r.opened.UTC())
	if r.decided.Valid {
		v.SetDate(decidedSlot, r.decided.Time.UTC())
	}
	if r.next.Year() < 9999 { // 9999-12-31: no custody time limit runs
		v.SetDate(nextSlot, r.next.UTC())
	}
	if r.strategy.Valid {
		v.SetDate(strategySlot, r.strategy.Time.UTC())
	}
	if r.disclosure.Valid {
		v.SetDate(disclosureSlot, r.disclosure.Time.UTC())
	}
	v.SetNumber(defendantsSlot, r.defendants)
	v.SetNumber(inCustodySlot, r.inCustody)
	v.SetNumber(withoutOutcomeSlot, r.withoutOutcome)
	v.SetNumber(chargesSlot, r.charges)
	v.SetNumber(runningSlot, r.running)
	v.SetNumber(lateDirectionsSlot, r.lateDirections)
	v.SetNumber(lateReviewsSlot, r.lateReviews)
	v.SetNumber(lateActionsSlot, r.lateActions)
	return f
}

// caseCount is one grouped figure of a case: up to three counts and, for
// key documents, the two dates the rules read.
type caseCount struct {
	caseID     int64
	n          [3]int
	strategy   sql.NullTime
	disclosure sql.NullTime
}

// complianceCounts are the grouped figures of every case, each list in
// order of case, with how far the merge has read each.
type complianceCounts struct {
	defendants, charges, directions, documents, actions []caseCount
	at                                                  [5]int
}

// complianceCounts reads the grouped figures of every case (of one unit,
// or all): one query per table, each in order of case.
func (db *DB) complianceCounts(ctx context.Context, unitID *int64, today time.Time) (*complianceCounts, error) {
	// of joins a table's rows to their case when the figures are of one
	// unit; for all units no join is needed.
	of := func(caseColumn string) (string, []any) {
		if unitID == nil {
			return "", nil
		}
		return " JOIN cases c ON c.id = " + caseColumn + " AND c.unit_id = ?", []any{*unitID}
	}
	var c complianceCounts
	read := func(into *[]caseCount, q string, args []any, documents bool) error {
		// The scan targets are made once per query, not per row: a
		// million rows would otherwise be a million allocations.
		var cc caseCount
		var kind string
		var updated, due sql.NullTime
		rows, err := db.query(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if !documents {
				if err := rows.Scan(&cc.caseID, &cc.n[0], &cc.n[1], &cc.n[2]); err != nil {
					return err
				}
				*into = append(*into, cc)
				continue
			}
			// A case's key documents come one row each: fold them into
			// one entry.
			if err := rows.Scan(&cc.caseID, &kind, &updated, &due); err != nil {
				return err
			}
			n := len(*into)
			if n == 0 || (*into)[n-1].caseID != cc.caseID {
				*into = append(*into, caseCount{caseID: cc.caseID})
				n++
			}
			last := &(*into)[n-1]
			if due.Valid && due.Time.Before(today) {
				last.n[0]++
			}
			switch kind {
			case "prosecution_strategy":
				last.strategy = updated
			case "disclosure_management":
				last.disclosure = updated
			}
		}
		return rows.Err()
	}
	type query struct {
		what     string
		into     *[]caseCount
		q        string
		args     []any
		document bool
	}
	defendants, defendantArgs := of("d.case_id")
	directions, directionArgs := of("di.case_id")
	documents, documentArgs := of("cd.case_id")
	actions, actionArgs := of("r.case_id")
	queries := []query{
		{"count defendants", &c.defendants, `SELECT d.case_id, COUNT(*), SUM(CASE WHEN d.custody_status = 'in_custody' THEN 1 ELSE 0 END),
			SUM(CASE WHEN d.outcome = '' THEN 1 ELSE 0 END) FROM defendants d` + defendants + ` GROUP BY d.case_id ORDER BY d.case_id`, defendantArgs, false},
		{"count charges", &c.charges, `SELECT d.case_id, COUNT(*), SUM(CASE WHEN ch.ctl_running THEN 1 ELSE 0 END), 0
			FROM charges ch JOIN defendants d ON d.id = ch.defendant_id` + defendants + ` GROUP BY d.case_id ORDER BY d.case_id`, defendantArgs, false},
		{"count directions", &c.directions, `SELECT di.case_id, COUNT(*), 0, 0 FROM directions di` + directions + `
			WHERE di.completed_on IS NULL AND di.due_on < ? GROUP BY di.case_id ORDER BY di.case_id`, append(directionArgs, today), false},
		{"read key documents", &c.documents, `SELECT cd.case_id, cd.kind, cd.updated_on, cd.review_due FROM case_documents cd` + documents + `
			ORDER BY cd.case_id`, documentArgs, true},
		{"count review actions", &c.actions, `SELECT r.case_id, COUNT(*), 0, 0 FROM review_actions a JOIN case_reviews r ON r.id = a.review_id` + actions + `
			WHERE a.done_on IS NULL AND a.due_on < ? GROUP BY r.case_id ORDER BY r.case_id`, append(actionArgs, today), false},
	}
	// The tables are read side by side: each query is a scan of its own,
	// and a second processor halves the wait.
	errs := make([]error, len(queries))
	var wg sync.WaitGroup
	for i, q := range queries {
		wg.Go(func() {
			if err := read(q.into, q.q, q.args, q.document); err != nil {
				errs[i] = fmt.Errorf("%s: %w", q.what, err)
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &c, nil
}

// fill puts a case's grouped figures on its row. Cases come in order of
// id, so each list is read once, front to back.
func (c *complianceCounts) fill(r *factRow) {
	next := func(list []caseCount, at *int) *caseCount {
		for *at < len(list) && list[*at].caseID < r.id {
			*at++
		}
		if *at < len(list) && list[*at].caseID == r.id {
			return &list[*at]
		}
		return nil
	}
	r.defendants, r.inCustody, r.withoutOutcome, r.charges, r.running = 0, 0, 0, 0, 0
	r.lateDirections, r.lateReviews, r.lateActions = 0, 0, 0
	r.strategy, r.disclosure = sql.NullTime{}, sql.NullTime{}
	if d := next(c.defendants, &c.at[0]); d != nil {
		r.defendants, r.inCustody, r.withoutOutcome = d.n[0], d.n[1], d.n[2]
	}
	if ch := next(c.charges, &c.at[1]); ch != nil {
		r.charges, r.running = ch.n[0], ch.n[1]
	}
	if di := next(c.directions, &c.at[2]); di != nil {
		r.lateDirections = di.n[0]
	}
	if doc := next(c.documents, &c.at[3]); doc != nil {
		r.lateReviews, r.strategy, r.disclosure = doc.n[0], doc.strategy, doc.disclosure
	}
	if a := next(c.actions, &c.at[4]); a != nil {
		r.lateActions = a.n[0]
	}
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
