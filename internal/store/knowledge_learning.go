package store

import (
	"context"
	"strconv"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/casework"
	"caseboard/internal/fault"
	"caseboard/internal/knowledge"
)

// Learning from cases: a de-brief or adverse outcome article started from
// a case, by hand from its page or, for a de-brief, by the case becoming
// finalised. A case has one de-brief started for it, whichever way: the
// start is recorded in the audit trail as a "case_debrief" entry of the
// case, which is what later finalisations look for.

// CaseLearning is an article to start from a case.
type CaseLearning struct {
	CaseID       int64
	Kind         knowledge.Kind    // debrief (the default) or adverse_outcome
	Sharing      knowledge.Sharing // division (the default) or cps
	WhatHappened string
}

// StartCaseLearning starts a draft article about a case the principal may
// see, in the case's unit, filled in from the case and redacted when it
// is to be shared beyond the division. Errors: NotFound, Forbidden,
// Invalid.
func (db *DB) StartCaseLearning(ctx context.Context, p *access.Principal, in CaseLearning) (knowledge.Article, error) {
	if in.Kind != knowledge.AdverseOutcome {
		in.Kind = knowledge.Debrief
	}
	if !in.Sharing.Valid() || in.Sharing == knowledge.Partners {
		// Partners are named on the article itself, by its author.
		in.Sharing = knowledge.DivisionOnly
	}
	var a knowledge.Article
	err := db.inTx(ctx, func(tx *Tx) error {
		c, err := db.caseFor(ctx, tx, p, in.CaseID, access.Read)
		if err != nil {
			return err
		}
		details, err := caseLearningDetails(ctx, tx, c)
		if err != nil {
			return err
		}
		a = knowledge.FromCase(in.Kind, in.Sharing, details, in.WhatHappened)
		a.Normalise()
		knowledge.Start(&a, p, tx.now)
		if err := a.Validate(); err != nil {
			return err
		}
		if !knowledge.CanWriteIn(db.Clearances, p, a.UnitID, a.Sensitivity) {
			return fault.Errorf(fault.Forbidden, "You may start articles only in your own units, at a sensitivity you are cleared for")
		}
		if err := insertArticle(ctx, tx, &a); err != nil {
			return err
		}
		if in.Kind != knowledge.Debrief {
			return nil
		}
		return tx.record(ctx, audit.Create, "case_debrief", c.ID, audit.Fields(map[string]any{"article_id": a.ID, "automatic": false}))
	})
	return a, err
}

// caseLearningDetails reads what a case contributes to an article: its
// title, status, country, the names of its defendants or requested
// persons, and its places.
func caseLearningDetails(ctx context.Context, tx *Tx, c casework.Case) (knowledge.CaseDetails, error) {
	d := knowledge.CaseDetails{Reference: c.Reference, Title: c.Title, UnitID: c.UnitID, Country: c.Country,
		Outcome: "Status: " + string(c.Status), Places: []string{c.CourtCentre, c.RequestingAuthority}}
	if d.Title == "" {
		d.Title = c.Reference
	}
	var location string
	if err := tx.queryRow(ctx, `SELECT name FROM locations WHERE id = ?`, c.LocationID).Scan(&location); err != nil {
		return d, err
	}
	d.Places = append(d.Places, location)
	rows, err := tx.query(ctx, `SELECT name FROM defendants WHERE case_id = ? ORDER BY ref`, c.ID)
	if err != nil {
		return d, err
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return d, err
		}
		d.Names = append(d.Names, name)
	}
	return d, rows.Err()
}

// startDebriefOnFinalise starts a draft de-brief of a case just finalised,
// for its lawyer (or, without one, its manager, or else whoever finalised
// it) in the case's unit, unless the case already has one. A restricted
// case is left for its lawyer to decide on: its details are not put in an
// article the unit's reviewers would read.
func startDebriefOnFinalise(ctx context.Context, tx *Tx, p *access.Principal, c casework.Case) error {
	if c.Sensitivity == access.Restricted {
		return nil
	}
	var started int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM audit_entries WHERE record_type = 'case_debrief' AND record_id = ?`,
		strconv.FormatInt(c.ID, 10)).Scan(&started); err != nil {
		return err
	}
	if started == 0 {
		// A de-brief started before starts were recorded links the case.
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM article_links l JOIN articles a ON a.id = l.article_id
			WHERE l.kind = 'case' AND l.ref = ? AND a.kind = ?`, c.Reference, string(knowledge.Debrief)).Scan(&started); err != nil {
			return err
		}
	}
	if started > 0 {
		return nil
	}
	author := p.PersonID
	for _, who := range []*int64{c.ManagerID, c.LawyerID} {
		if who != nil {
			author = *who
		}
	}
	details, err := caseLearningDetails(ctx, tx, c)
	if err != nil {
		return err
	}
	a := knowledge.FromCase(knowledge.Debrief, knowledge.DivisionOnly, details, "")
	if c.Sensitivity == access.OfficialSensitive {
		a.Sensitivity = access.OfficialSensitive
	}
	a.Normalise()
	knowledge.Start(&a, &access.Principal{PersonID: author}, tx.now)
	if err := a.Validate(); err != nil {
		return err
	}
	if err := insertArticle(ctx, tx, &a); err != nil {
		return err
	}
	return tx.record(ctx, audit.Create, "case_debrief", c.ID, audit.Fields(map[string]any{"article_id": a.ID, "automatic": true, "author_id": author}))
}
