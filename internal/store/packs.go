package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/fault"
	"caseboard/internal/measure"
	"caseboard/internal/org"
	"caseboard/internal/pack"
)

// The Board's quarterly performance review packs and the units' posters.
// A draft pack is computed from the records whenever it is read, as the
// reader may see them, with the commentary entered so far. Issuing a pack
// stores what it printed, its figures and commentary as JSON and the PDF
// itself, so an issued pack reads the same ever after, whatever later
// happens to the records; its commentary can no longer change.

// PerformancePack reads a quarter's pack: as issued, or a draft computed
// now. Errors: Forbidden.
func (db *DB) PerformancePack(ctx context.Context, p *access.Principal, quarter measure.Period) (pack.Review, error) {
	if !access.Allows(p, access.ReadPerformancePacks) {
		return pack.Review{}, fault.Errorf(fault.Forbidden, "You may not read the Board's performance packs")
	}
	issued, _, err := db.issuedPack(ctx, quarter.Code(), false)
	if err != nil || issued != nil {
		return deref(issued), err
	}
	return db.draftPack(ctx, p, quarter)
}

// PerformancePackPDF is a quarter's pack as a PDF: the very document that
// was issued, or the draft printed now. Errors: Forbidden.
func (db *DB) PerformancePackPDF(ctx context.Context, p *access.Principal, quarter measure.Period) ([]byte, pack.Review, error) {
	if !access.Allows(p, access.ReadPerformancePacks) {
		return nil, pack.Review{}, fault.Errorf(fault.Forbidden, "You may not read the Board's performance packs")
	}
	issued, pdf, err := db.issuedPack(ctx, quarter.Code(), true)
	if err != nil || issued != nil {
		return pdf, deref(issued), err
	}
	draft, err := db.draftPack(ctx, p, quarter)
	if err != nil {
		return nil, draft, err
	}
	pdf, err = draft.PDF()
	return pdf, draft, err
}

func deref(r *pack.Review) pack.Review {
	if r == nil {
		return pack.Review{}
	}
	return *r
}

// issuedPack reads an issued pack, and its PDF when asked; nil when the
// quarter's pack has not been issued.
func (db *DB) issuedPack(ctx context.Context, quarter string, withPDF bool) (*pack.Review, []byte, error) {
	var snapshot string
	var pdf []byte
	query := `SELECT snapshot FROM performance_packs WHERE quarter = ?`
	dest := []any{&snapshot}
	if withPDF {
		query = `SELECT snapshot, pdf FROM performance_packs WHERE quarter = ?`
		dest = append(dest, &pdf)
	}
	err := db.queryRow(ctx, query, quarter).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, db.unavailable("performance pack", err)
	}
	var r pack.Review
	if err := json.Unmarshal([]byte(snapshot), &r); err != nil {
		return nil, nil, fmt.Errorf("issued pack %s: %w", quarter, err)
	}
	return &r, pdf, nil
}

// draftPack computes a quarter's pack from the records now.
func (db *DB) draftPack(ctx context.Context, p *access.Principal, quarter measure.Period) (pack.Review, error) {
	now := db.Now().Truncate(time.Second)
	r := pack.Review{Quarter: quarter.Code(), QuarterLabel: quarter.String(), Start: quarter.Start, End: quarter.End, Generated: now}
	commentary, err := db.packCommentary(ctx, r.Quarter)
	if err != nil {
		return r, err
	}
	if r.Measures, err = db.headlines(ctx, p, quarter, "", commentary); err != nil {
		return r, err
	}
	// The register as it stood at the quarter's end, or now for the
	// quarter still running.
	today := db.today()
	filter := RiskFilter{Limit: pack.TopRisks, Today: today}
	r.RisksAsAt = today
	if quarter.End.Before(today) {
		end := quarter.End
		filter.AsAt, r.RisksAsAt = &end, end
	}
	risks, err := db.Risks(ctx, p, filter)
	if err != nil {
		return r, err
	}
	scale, err := db.RiskScale(ctx)
	if err != nil {
		return r, err
	}
	r.Risks = []pack.Risk{}
	for _, k := range risks.Risks {
		score := k.Current.Score()
		r.Risks = append(r.Risks, pack.Risk{Reference: k.Reference, Title: k.Title, Unit: k.UnitName, Owner: k.OwnerName,
			Score: score, Band: scale.Band(score).Name, Status: string(k.Status), Escalated: k.Escalated})
	}
	board, err := db.Board(ctx, today)
	if err != nil {
		return r, err
	}
	t := board.Totals
	r.Recommendations = pack.Progress{Open: t.Open, ClosedImplemented: t.ClosedImplemented, ClosedNotImplemented: t.ClosedNotImplemented,
		Actions: t.Actions, ActionsDone: t.ActionsDone, LateActions: t.LateActions, Findings: []pack.Recommendation{}}
	for _, f := range board.Open {
		r.Recommendations.Findings = append(r.Recommendations.Findings, pack.Recommendation{Name: f.Name(), Inspection: f.InspectionTitle,
			Text: f.Text, Owner: f.OwnerName, Actions: f.Actions, Done: f.Done, Late: f.Late, RAG: string(f.Rating)})
	}
	return r, nil
}

// headlines computes the unit's measures ("" the division) for a quarter
// with the quarters before it, counting each quarter once.
func (db *DB) headlines(ctx context.Context, p *access.Principal, quarter measure.Period, unit string, commentary map[string]pack.Commentary) ([]pack.Headline, error) {
	periods := quarter.Series(pack.TrendQuarters)
	counts := make([]measure.Counts, len(periods))
	for i, period := range periods {
		var err error
		if counts[i], err = db.MeasureCounts(ctx, p, period, unit); err != nil {
			return nil, err
		}
	}
	return pack.Headlines(unit, periods, counts, commentary), nil
}

func (db *DB) packCommentary(ctx context.Context, quarter string) (map[string]pack.Commentary, error) {
	out := map[string]pack.Commentary{}
	err := db.each(ctx, `SELECT measure, commentary, by_name, written_at FROM performance_pack_commentary WHERE quarter = ?`,
		[]any{quarter}, func(r *sql.Rows) error {
			var code string
			var c pack.Commentary
			if err := r.Scan(&code, &c.Text, &c.By, &c.At); err != nil {
				return err
			}
			c.At = c.At.UTC()
			out[code] = c
			return nil
		})
	return out, err
}

// PerformancePacks lists the issued packs, the latest quarter first.
func (db *DB) PerformancePacks(ctx context.Context) ([]pack.Issue, error) {
	out := []pack.Issue{}
	err := db.each(ctx, `SELECT quarter, issued_at, issued_by_name FROM performance_packs ORDER BY quarter DESC`, nil, func(r *sql.Rows) error {
		var i pack.Issue
		if err := r.Scan(&i.Quarter, &i.At, &i.By); err != nil {
			return err
		}
		i.At = i.At.UTC()
		out = append(out, i)
		return nil
	})
	return out, err
}

// errPackIssued refuses a change to an issued pack.
func errPackIssued(quarter measure.Period, at time.Time, by string) error {
	return fault.Errorf(fault.Conflict, "The pack for %s was issued on %s by %s and can no longer change", quarter, at.Format("2 January 2006"), by)
}

// packIssue reads when a quarter's pack was issued, inside a transaction;
// ok is false while it is a draft.
func packIssue(ctx context.Context, tx *Tx, quarter string) (at time.Time, by string, ok bool, err error) {
	err = tx.queryRow(ctx, `SELECT issued_at, issued_by_name FROM performance_packs WHERE quarter = ?`, quarter).Scan(&at, &by)
	if errors.Is(err, sql.ErrNoRows) {
		return at, by, false, nil
	}
	return at.UTC(), by, err == nil, err
}

// SetPackCommentary records the commentary on one measure of a draft
// pack, replacing any before it. Errors: Invalid, Forbidden, NotFound
// (no such measure), Conflict (the pack is issued).
func (db *DB) SetPackCommentary(ctx context.Context, p *access.Principal, quarter measure.Period, code, text string) error {
	if !access.Allows(p, access.WritePerformanceCommentary) {
		return fault.Errorf(fault.Forbidden, "Only unit heads, the Head of Division and the business managers comment on the division's figures")
	}
	m, ok := measure.Lookup(code)
	if !ok {
		return fault.Errorf(fault.NotFound, "There is no measure %q", code)
	}
	text = strings.TrimSpace(text)
	if err := pack.ValidateText("commentary", text, pack.MaxCommentary); err != nil {
		return err
	}
	q := quarter.Code()
	return db.inTx(ctx, func(tx *Tx) error {
		if at, by, issued, err := packIssue(ctx, tx, q); err != nil || issued {
			return cmp.Or(err, errPackIssued(quarter, at, by))
		}
		var before string
		err := tx.queryRow(ctx, `SELECT commentary FROM performance_pack_commentary WHERE quarter = ? AND measure = ?`, q, code).Scan(&before)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM performance_pack_commentary WHERE quarter = ? AND measure = ?`, q, code); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO performance_pack_commentary (quarter, measure, commentary, by_id, by_name, written_at)
			VALUES (?, ?, ?, ?, ?, ?)`, q, code, text, personOf(p), p.Name, tx.now); err != nil {
			return fmt.Errorf("save commentary: %w", tx.dialect.translate(err))
		}
		type entry struct{ Quarter, Measure, Commentary string }
		action, old := audit.Create, any(nil)
		if before != "" {
			action, old = audit.Update, entry{q, m.Code, before}
		}
		return tx.recordRef(ctx, action, "performance_commentary", q+"/"+code, audit.Diff(old, entry{q, m.Code, text}))
	})
}

// personOf is the principal's person id for a foreign key, nil for none.
func personOf(p *access.Principal) *int64 {
	if p == nil || p.PersonID == 0 {
		return nil
	}
	id := p.PersonID
	return &id
}

// IssuePerformancePack issues a quarter's pack to the Board: it is drawn
// up from the records as the issuer sees them, printed, and kept as it
// is. Every exception must carry commentary first. Errors: Forbidden,
// Invalid (an exception without commentary, a quarter not yet begun),
// Conflict (already issued).
func (db *DB) IssuePerformancePack(ctx context.Context, p *access.Principal, quarter measure.Period) (pack.Review, error) {
	if !access.Allows(p, access.IssuePerformancePacks) {
		return pack.Review{}, fault.Errorf(fault.Forbidden, "Only the Head of Division and the business managers issue the Board's performance packs")
	}
	if quarter.Start.After(db.today()) {
		return pack.Review{}, &fault.Error{Code: fault.Invalid, Message: "The quarter has not begun",
			Fields: []fault.FieldError{{Field: "quarter", Message: "A pack is issued for a quarter that has begun; " + quarter.String() + " has not"}}}
	}
	r, err := db.draftPack(ctx, p, quarter)
	if err != nil {
		return r, err
	}
	if missing := r.Uncommented(); len(missing) > 0 {
		return r, &fault.Error{Code: fault.Invalid, Message: "Every exception needs its owner's commentary before the pack is issued",
			Fields: []fault.FieldError{{Field: "commentary", Message: "Write the commentary on " + strings.Join(missing, ", ")}}}
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		if at, by, issued, err := packIssue(ctx, tx, r.Quarter); err != nil || issued {
			return cmp.Or(err, errPackIssued(quarter, at, by))
		}
		// The commentary read for the draft must still be what is stored:
		// a comment written meanwhile would be missing from the pack.
		commentary, err := packCommentaryTx(ctx, tx, r.Quarter)
		if err != nil {
			return err
		}
		for _, h := range r.Measures {
			if c, ok := commentary[h.Code]; ok != (h.Commentary != nil) || (ok && c.Text != h.Commentary.Text) {
				return fault.Errorf(fault.Conflict, "The commentary on %s changed while the pack was being drawn up. Issue it again.", h.Name)
			}
		}
		r.Generated = tx.now.Truncate(time.Second)
		r.Issued = &pack.Issue{Quarter: r.Quarter, At: r.Generated, By: p.Name}
		pdf, err := r.PDF()
		if err != nil {
			return err
		}
		snapshot, err := json.Marshal(r)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO performance_packs (quarter, issued_at, issued_by_id, issued_by_name, snapshot, pdf)
			VALUES (?, ?, ?, ?, ?, ?)`, r.Quarter, r.Generated, personOf(p), p.Name, string(snapshot), pdf); err != nil {
			return fmt.Errorf("issue pack: %w", tx.dialect.translate(err))
		}
		type issue struct {
			Quarter    string
			Exceptions int
			Bytes      int
		}
		return tx.recordRef(ctx, audit.Create, "performance_pack", r.Quarter, audit.Diff(nil, issue{r.Quarter, len(r.Exceptions()), len(pdf)}))
	})
	return r, err
}

func packCommentaryTx(ctx context.Context, tx *Tx, quarter string) (map[string]pack.Commentary, error) {
	rows, err := tx.query(ctx, `SELECT measure, commentary FROM performance_pack_commentary WHERE quarter = ?`, quarter)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]pack.Commentary{}
	for rows.Next() {
		var code string
		var c pack.Commentary
		if err := rows.Scan(&code, &c.Text); err != nil {
			return nil, err
		}
		out[code] = c
	}
	return out, rows.Err()
}

// unitByCode finds a unit. Errors: Invalid on the field "unit".
func (db *DB) unitByCode(ctx context.Context, code string) (org.Unit, error) {
	units, err := db.Units(ctx)
	if err != nil {
		return org.Unit{}, err
	}
	for _, u := range units {
		if u.Code == code {
			return u, nil
		}
	}
	return org.Unit{}, &fault.Error{Code: fault.Invalid, Message: "There is no such unit",
		Fields: []fault.FieldError{{Field: "unit", Message: fmt.Sprintf("There is no unit %q: choose one of the division's units", code)}}}
}

// PerformancePoster computes a unit's poster for a quarter from the
// records the reader may see, with its narrative. Errors: Forbidden,
// Invalid (no such unit).
func (db *DB) PerformancePoster(ctx context.Context, p *access.Principal, unit string, quarter measure.Period) (pack.Poster, error) {
	if !access.Allows(p, access.ReadPerformancePacks) {
		return pack.Poster{}, fault.Errorf(fault.Forbidden, "You may not read the units' performance posters")
	}
	u, err := db.unitByCode(ctx, unit)
	if err != nil {
		return pack.Poster{}, err
	}
	poster := pack.Poster{Unit: u.Code, UnitName: u.Name, Quarter: quarter.Code(), QuarterLabel: quarter.String(), Generated: db.Now().Truncate(time.Second)}
	var c pack.Commentary
	err = db.queryRow(ctx, `SELECT narrative, by_name, written_at FROM performance_posters WHERE unit_id = ? AND quarter = ?`, u.ID, poster.Quarter).
		Scan(&c.Text, &c.By, &c.At)
	switch {
	case err == nil:
		c.At = c.At.UTC()
		poster.Narrative = &c
	case !errors.Is(err, sql.ErrNoRows):
		return poster, db.unavailable("poster narrative", err)
	}
	headlines, err := db.headlines(ctx, p, quarter, u.Code, nil)
	if err != nil {
		return poster, err
	}
	poster.Measures = pack.KeyMeasures(headlines)
	return poster, nil
}

// SetPosterNarrative records the narrative of a unit's poster for a
// quarter, replacing any before it. Errors: Invalid, Forbidden.
func (db *DB) SetPosterNarrative(ctx context.Context, p *access.Principal, unit string, quarter measure.Period, text string) error {
	u, err := db.unitByCode(ctx, unit)
	if err != nil {
		return err
	}
	if !access.CanWritePosterNarrative(p, u.ID) {
		return fault.Errorf(fault.Forbidden, "Only the head of %s and the Head of Division write its poster's narrative", u.Name)
	}
	text = strings.TrimSpace(text)
	if err := pack.ValidateText("narrative", text, pack.MaxNarrative); err != nil {
		return err
	}
	q := quarter.Code()
	return db.inTx(ctx, func(tx *Tx) error {
		var before string
		err := tx.queryRow(ctx, `SELECT narrative FROM performance_posters WHERE unit_id = ? AND quarter = ?`, u.ID, q).Scan(&before)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM performance_posters WHERE unit_id = ? AND quarter = ?`, u.ID, q); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO performance_posters (unit_id, quarter, narrative, by_id, by_name, written_at)
			VALUES (?, ?, ?, ?, ?, ?)`, u.ID, q, text, personOf(p), p.Name, tx.now); err != nil {
			return fmt.Errorf("save narrative: %w", tx.dialect.translate(err))
		}
		type entry struct{ Unit, Quarter, Narrative string }
		action, old := audit.Create, any(nil)
		if before != "" {
			action, old = audit.Update, entry{u.Code, q, before}
		}
		return tx.recordRef(ctx, action, "performance_poster", u.Code+"/"+q, audit.Diff(old, entry{u.Code, q, text}))
	})
}
