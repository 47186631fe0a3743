package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/fault"
	"caseboard/internal/knowledge"
)

// RequestGuidance records a gap in the repository. Errors: Invalid,
// Forbidden.
func (db *DB) RequestGuidance(ctx context.Context, p *access.Principal, g *knowledge.Gap) error {
	if !access.Allows(p, access.RequestGuidance) {
		return fault.Errorf(fault.Forbidden, "You may not record requests for guidance")
	}
	if err := g.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		g.Status, g.RequestedByID, g.CreatedAt, g.ArticleID = knowledge.GapOpen, p.PersonID, tx.now, nil
		id, err := tx.insert(ctx, `INSERT INTO knowledge_gaps (topic, detail, unit_id, requested_by, status, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			g.Topic, g.Detail, g.UnitID, g.RequestedByID, string(g.Status), g.CreatedAt)
		if err != nil {
			return tx.dialect.translate(err)
		}
		g.ID = id
		return tx.record(ctx, audit.Create, "knowledge_gap", id, audit.Fields(map[string]any{"topic": g.Topic, "unit_id": g.UnitID}))
	})
}

const gapColumns = `g.id, g.topic, g.detail, g.unit_id, u.code, g.requested_by, COALESCE(pe.name, ''), g.status, g.article_id, g.created_at, g.closed_at`

const gapFrom = ` FROM knowledge_gaps g JOIN units u ON u.id = g.unit_id LEFT JOIN people pe ON pe.id = g.requested_by`

func scanGap(row interface{ Scan(...any) error }) (knowledge.Gap, error) {
	var g knowledge.Gap
	var status string
	var article sql.NullInt64
	var closed sql.NullTime
	err := row.Scan(&g.ID, &g.Topic, &g.Detail, &g.UnitID, &g.UnitCode, &g.RequestedByID, &g.RequestedByName, &status, &article, &g.CreatedAt, &closed)
	g.Status, g.ArticleID, g.ClosedAt, g.CreatedAt = knowledge.GapStatus(status), nullableID(article), nullableTime(closed), g.CreatedAt.UTC()
	return g, err
}

// GapFilter selects requests for guidance.
type GapFilter struct {
	Units  []int64 // none: every unit
	Status knowledge.GapStatus
	Limit  int
}

// Gaps lists requests for guidance, newest first. Staff see them all;
// partners none.
func (db *DB) Gaps(ctx context.Context, p *access.Principal, f GapFilter) ([]knowledge.Gap, error) {
	if p == nil || p.IsPartner() {
		return []knowledge.Gap{}, nil
	}
	where, args := []string{"1 = 1"}, []any{}
	if len(f.Units) > 0 {
		where = append(where, "g.unit_id IN ("+placeholders(len(f.Units))+")")
		for _, u := range f.Units {
			args = append(args, u)
		}
	}
	if f.Status != "" {
		where = append(where, "g.status = ?")
		args = append(args, string(f.Status))
	}
	rows, err := db.query(ctx, `SELECT `+gapColumns+gapFrom+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY g.created_at DESC, g.id DESC LIMIT `+strconv.Itoa(clampLimit(f.Limit)), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []knowledge.Gap{}
	for rows.Next() {
		g, err := scanGap(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// CloseGap answers a request for guidance with an article, or closes it
// without one. Errors: NotFound, Forbidden, Conflict.
func (db *DB) CloseGap(ctx context.Context, p *access.Principal, id int64, articleID *int64) (knowledge.Gap, error) {
	var out knowledge.Gap
	err := db.inTx(ctx, func(tx *Tx) error {
		g, err := scanGap(tx.queryRow(ctx, `SELECT `+gapColumns+gapFrom+` WHERE g.id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) || (err == nil && p.IsPartner()) {
			return fault.Errorf(fault.NotFound, "There is no request for guidance %d", id)
		} else if err != nil {
			return err
		}
		if g.Status != knowledge.GapOpen {
			return fault.Errorf(fault.Conflict, "The request has already been answered or closed")
		}
		if !knowledge.CanCloseGap(p, &g) {
			return fault.Errorf(fault.Forbidden, "Only authors of the unit the request concerns may answer or close it")
		}
		g.Status = knowledge.GapClosed
		if articleID != nil {
			r, err := db.readArticle(ctx, txQuerier{tx}, *articleID)
			if err != nil || !knowledge.CanRead(db.Clearances, p, &r.Article) {
				return &fault.Error{Code: fault.Invalid, Message: "The request could not be answered",
					Fields: []fault.FieldError{{Field: "article_id", Message: "Choose an article you can read"}}}
			}
			g.Status, g.ArticleID = knowledge.GapAnswered, articleID
		}
		g.ClosedAt = &tx.now
		if _, err := tx.exec(ctx, `UPDATE knowledge_gaps SET status = ?, article_id = ?, closed_at = ?, closed_by = ? WHERE id = ?`,
			string(g.Status), g.ArticleID, tx.now, p.PersonID, id); err != nil {
			return tx.dialect.translate(err)
		}
		out = g
		return tx.record(ctx, audit.Update, "knowledge_gap", id, audit.Fields(map[string]any{"status": g.Status, "article_id": g.ArticleID}))
	})
	return out, err
}
