package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/deadline"
	"caseboard/internal/fault"
	"caseboard/internal/knowledge"
)

// AskForHelp sends a question to a specialism's queue and allocates it to
// the lead or deputy with the fewest open requests who is not away, in
// turn among equals. Errors: Invalid, Forbidden.
func (db *DB) AskForHelp(ctx context.Context, p *access.Principal, h *knowledge.HelpRequest, today deadline.Date) error {
	if !access.Allows(p, access.RequestGuidance) {
		return fault.Errorf(fault.Forbidden, "You may not send questions to the specialisms")
	}
	if err := h.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		var lead int64
		var deputy sql.NullInt64
		err := tx.queryRow(ctx, `SELECT lead_id, deputy_id FROM knowledge_specialisms WHERE code = ?`, h.Specialism).Scan(&lead, &deputy)
		if errors.Is(err, sql.ErrNoRows) {
			return &fault.Error{Code: fault.Invalid, Message: "The question could not be sent",
				Fields: []fault.FieldError{{Field: "specialism", Message: "Choose a specialism from the directory"}}}
		} else if err != nil {
			return err
		}
		queue := []int64{lead}
		if deputy.Valid && deputy.Int64 != lead {
			queue = append(queue, deputy.Int64)
		}
		var candidates []knowledge.Candidate
		for _, person := range queue {
			c := knowledge.Candidate{PersonID: person}
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM knowledge_help WHERE assignee_id = ? AND status = 'open'`, person).Scan(&c.OpenLoad); err != nil {
				return err
			}
			// Ordered rather than MAX(), which SQLite answers as text.
			err := tx.queryRow(ctx, `SELECT created_at FROM knowledge_help WHERE assignee_id = ? ORDER BY created_at DESC, id DESC LIMIT 1`, person).Scan(&c.LastAssigned)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			var away int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM knowledge_away WHERE person_id = ? AND away_until >= ?`, person, today.Time(time.UTC)).Scan(&away); err != nil {
				return err
			}
			c.Away = away > 0
			candidates = append(candidates, c)
		}
		h.AssigneeID = nil
		if who, ok := knowledge.Allocate(candidates); ok {
			h.AssigneeID = &who
		}
		h.Status, h.AskerID, h.CreatedAt, h.Answer, h.ArticleID, h.AnsweredAt = knowledge.HelpOpen, p.PersonID, tx.now, "", nil, nil
		id, err := tx.insert(ctx, `INSERT INTO knowledge_help (specialism, topic, question, case_ref, urgency, asker_id, assignee_id, status, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, h.Specialism, h.Topic, h.Question, h.CaseRef, string(h.Urgency), p.PersonID, h.AssigneeID, string(h.Status), tx.now)
		if err != nil {
			return tx.dialect.translate(err)
		}
		h.ID = id
		return tx.record(ctx, audit.Create, "help_request", id, audit.Fields(map[string]any{"specialism": h.Specialism, "topic": h.Topic,
			"urgency": h.Urgency, "assignee_id": h.AssigneeID}))
	})
}

// HelpFilter selects help requests.
type HelpFilter struct {
	AskerID, AssigneeID *int64
	Status              knowledge.HelpStatus
	Limit               int
}

const helpColumns = `h.id, h.specialism, COALESCE(s.name, ''), h.topic, h.question, h.case_ref, h.urgency, h.asker_id, COALESCE(a.name, ''),
	h.assignee_id, COALESCE(g.name, ''), h.status, h.answer, h.article_id, h.created_at, h.answered_at`

const helpFrom = ` FROM knowledge_help h LEFT JOIN knowledge_specialisms s ON s.code = h.specialism LEFT JOIN people a ON a.id = h.asker_id
	LEFT JOIN people g ON g.id = h.assignee_id`

func scanHelp(row interface{ Scan(...any) error }) (knowledge.HelpRequest, error) {
	var h knowledge.HelpRequest
	var urgency, status string
	var assignee, article sql.NullInt64
	var answered sql.NullTime
	err := row.Scan(&h.ID, &h.Specialism, &h.SpecialismName, &h.Topic, &h.Question, &h.CaseRef, &urgency, &h.AskerID, &h.AskerName,
		&assignee, &h.AssigneeName, &status, &h.Answer, &article, &h.CreatedAt, &answered)
	h.Urgency, h.Status, h.AssigneeID, h.ArticleID = knowledge.Urgency(urgency), knowledge.HelpStatus(status), nullableID(assignee), nullableID(article)
	h.AnsweredAt, h.CreatedAt = nullableTime(answered), h.CreatedAt.UTC()
	return h, err
}

// HelpRequests lists help requests, newest first: staff see every queue,
// as a specialism's work is the division's to know; partners none.
func (db *DB) HelpRequests(ctx context.Context, p *access.Principal, f HelpFilter) ([]knowledge.HelpRequest, error) {
	if p == nil || p.IsPartner() {
		return []knowledge.HelpRequest{}, nil
	}
	where, args := []string{"1 = 1"}, []any{}
	if f.AskerID != nil {
		where, args = append(where, "h.asker_id = ?"), append(args, *f.AskerID)
	}
	if f.AssigneeID != nil {
		where, args = append(where, "h.assignee_id = ?"), append(args, *f.AssigneeID)
	}
	if f.Status != "" {
		where, args = append(where, "h.status = ?"), append(args, string(f.Status))
	}
	limit := f.Limit
	if limit <= 0 || limit > 10000 {
		limit = 10000
	}
	rows, err := db.query(ctx, `SELECT `+helpColumns+helpFrom+` WHERE `+strings.Join(where, " AND ")+
		fmt.Sprintf(` ORDER BY h.created_at DESC, h.id DESC LIMIT %d`, limit), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []knowledge.HelpRequest{}
	for rows.Next() {
		h, err := scanHelp(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// AnswerHelp records the answer to a request allocated to the principal
// (or to their specialism, as its lead or deputy). With publish, the
// question and answer also become a draft article in the answerer's unit,
// for the unit's reviewer to approve. Errors: NotFound, Forbidden,
// Conflict, Invalid.
func (db *DB) AnswerHelp(ctx context.Context, p *access.Principal, id int64, answer string, publish bool) (knowledge.HelpRequest, error) {
	answer = strings.TrimSpace(answer)
	if answer == "" || len(answer) > knowledge.MaxBody {
		return knowledge.HelpRequest{}, &fault.Error{Code: fault.Invalid, Message: "The answer could not be sent",
			Fields: []fault.FieldError{{Field: "answer", Message: "Write the answer"}}}
	}
	h, err := scanHelp(db.queryRow(ctx, `SELECT `+helpColumns+helpFrom+` WHERE h.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && p.IsPartner()) {
		return h, fault.Errorf(fault.NotFound, "There is no help request %d", id)
	} else if err != nil {
		return h, err
	}
	if h.Status != knowledge.HelpOpen {
		return h, fault.Errorf(fault.Conflict, "The request has already been answered")
	}
	var onQueue int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM knowledge_specialisms WHERE code = ? AND (lead_id = ? OR deputy_id = ?)`,
		h.Specialism, p.PersonID, p.PersonID).Scan(&onQueue); err != nil {
		return h, err
	}
	if (h.AssigneeID == nil || *h.AssigneeID != p.PersonID) && onQueue == 0 {
		return h, fault.Errorf(fault.Forbidden, "Only the people on the specialism's queue may answer it")
	}
	var articleID *int64
	if publish {
		if len(p.Units) == 0 {
			return h, fault.Errorf(fault.Forbidden, "You have no unit to publish the answer in")
		}
		a := knowledge.Article{Kind: knowledge.Guidance, Title: h.Topic, Summary: firstWords(h.Question, 300),
			Body: "## The question\n\n" + h.Question + "\n\n## The answer\n\n" + answer, UnitID: p.Units[0], Tags: []string{"questions-answered"}}
		if err := db.CreateArticle(ctx, p, &a); err != nil {
			return h, err
		}
		articleID = &a.ID
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE knowledge_help SET status = 'answered', answer = ?, article_id = ?, answered_at = ? WHERE id = ? AND status = 'open'`,
			answer, articleID, tx.now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fault.Errorf(fault.Conflict, "The request has already been answered")
		}
		h.Status, h.Answer, h.ArticleID, h.AnsweredAt = knowledge.HelpAnswered, answer, articleID, &tx.now
		return tx.record(ctx, audit.Update, "help_request", id, audit.Fields(map[string]any{"status": h.Status, "article_id": articleID}))
	})
	return h, err
}

func firstWords(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-3]) + "..."
	}
	return s
}

// SetAway marks the principal away until a date (inclusive), so help
// requests pass them by; a zero date marks them back.
func (db *DB) SetAway(ctx context.Context, p *access.Principal, until deadline.Date) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM knowledge_away WHERE person_id = ?`, p.PersonID); err != nil {
			return err
		}
		if !until.IsZero() {
			if _, err := tx.exec(ctx, `INSERT INTO knowledge_away (person_id, away_until) VALUES (?, ?)`, p.PersonID, until.Time(time.UTC)); err != nil {
				return tx.dialect.translate(err)
			}
		}
		return tx.record(ctx, audit.Update, "person_away", p.PersonID, audit.Fields(map[string]any{"away_until": until.String()}))
	})
}

// HelpResponseTimes is how fast each specialism's queue answers, for the
// performance framework.
func (db *DB) HelpResponseTimes(ctx context.Context, p *access.Principal) ([]knowledge.ResponseTime, error) {
	all, err := db.HelpRequests(ctx, p, HelpFilter{})
	if err != nil {
		return nil, err
	}
	return knowledge.ResponseTimes(all), nil
}
