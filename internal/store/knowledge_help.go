package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
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
		h.RoutedBecause = ""
		if h.Specialism == "" {
			if err := routeByTopic(ctx, tx, h); err != nil {
				return err
			}
		}
		var known int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM knowledge_specialisms WHERE code = ?`, h.Specialism).Scan(&known); err != nil {
			return err
		}
		if known == 0 {
			return &fault.Error{Code: fault.Invalid, Message: "The question could not be sent",
				Fields: []fault.FieldError{{Field: "specialism", Message: "Choose a specialism from the directory"}}}
		}
		// Questions left waiting when an absence simply ran out are given
		// out first: they were asked first.
		if _, err := allocateUnallocated(ctx, tx, today, "waiting", `h.specialism = ?`, h.Specialism); err != nil {
			return err
		}
		var err error
		if h.AssigneeID, err = allocateHelp(ctx, tx, h.Specialism, today, 0); err != nil {
			return err
		}
		h.Status, h.AskerID, h.CreatedAt, h.Answer, h.ArticleID, h.AnsweredAt = knowledge.HelpOpen, p.PersonID, tx.now, "", nil, nil
		id, err := tx.insert(ctx, `INSERT INTO knowledge_help (specialism, topic, question, case_ref, urgency, asker_id, assignee_id, status, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, h.Specialism, h.Topic, h.Question, h.CaseRef, string(h.Urgency), p.PersonID, h.AssigneeID, string(h.Status), tx.now)
		if err != nil {
			return tx.dialect.translate(err)
		}
		h.ID, h.AnswerBy = id, knowledge.AnswerBy(h.CreatedAt, h.Urgency)
		if h.AssigneeID != nil {
			if err := tx.queueNotice(ctx, NoticeHelpAllocated, id, *h.AssigneeID); err != nil {
				return err
			}
		}
		return tx.record(ctx, audit.Create, "help_request", id, audit.Fields(map[string]any{"specialism": h.Specialism, "topic": h.Topic,
			"urgency": h.Urgency, "assignee_id": h.AssigneeID, "routed_because": h.RoutedBecause}))
	})
}

// routeByTopic chooses the specialism of a question asked without one,
// from its topic and the directory as it stands.
func routeByTopic(ctx context.Context, tx *Tx, h *knowledge.HelpRequest) error {
	rows, err := tx.query(ctx, `SELECT code, name, country, helps_with, tag FROM knowledge_specialisms ORDER BY code`)
	if err != nil {
		return err
	}
	var entries []knowledge.Specialism
	for rows.Next() {
		var e knowledge.Specialism
		if err := rows.Scan(&e.Code, &e.Name, &e.Country, &e.HelpsWith, &e.Tag); err != nil {
			rows.Close()
			return err
		}
		entries = append(entries, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	routed, err := knowledge.Route(h.Topic, entries)
	if err != nil {
		return err
	}
	h.Specialism, h.SpecialismName, h.RoutedBecause = routed.Code, routed.Name, routed.Reason
	return nil
}

// allocateHelp chooses who on a specialism's queue (its lead and deputy)
// takes the next question, by knowledge.Allocate: nil when everyone is
// away. exclude, when not zero, is passed by as if away (a question being
// moved off them).
func allocateHelp(ctx context.Context, tx *Tx, code string, today deadline.Date, exclude int64) (*int64, error) {
	var lead int64
	var deputy sql.NullInt64
	err := tx.queryRow(ctx, `SELECT lead_id, deputy_id FROM knowledge_specialisms WHERE code = ?`, code).Scan(&lead, &deputy)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	queue := []int64{lead}
	if deputy.Valid && deputy.Int64 != lead {
		queue = append(queue, deputy.Int64)
	}
	var candidates []knowledge.Candidate
	for _, person := range queue {
		c := knowledge.Candidate{PersonID: person, Away: person == exclude}
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM knowledge_help WHERE assignee_id = ? AND status = 'open'`, person).Scan(&c.OpenLoad); err != nil {
			return nil, err
		}
		// Ordered rather than MAX(), which SQLite answers as text.
		err := tx.queryRow(ctx, `SELECT created_at FROM knowledge_help WHERE assignee_id = ? ORDER BY created_at DESC, id DESC LIMIT 1`, person).Scan(&c.LastAssigned)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		var away int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM knowledge_away WHERE person_id = ? AND away_until >= ?`, person, today.Time(time.UTC)).Scan(&away); err != nil {
			return nil, err
		}
		c.Away = c.Away || away > 0
		candidates = append(candidates, c)
	}
	if who, ok := knowledge.Allocate(candidates); ok {
		return &who, nil
	}
	return nil, nil
}

// HelpFilter selects help requests.
type HelpFilter struct {
	AskerID, AssigneeID *int64
	// QueueOf: only requests of the specialisms this person leads or
	// deputises for.
	QueueOf *int64
	Status  knowledge.HelpStatus
	Limit   int
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
	h.AnswerBy = knowledge.AnswerBy(h.CreatedAt, h.Urgency)
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
	if f.QueueOf != nil {
		where, args = append(where, "(s.lead_id = ? OR s.deputy_id = ?)"), append(args, *f.QueueOf, *f.QueueOf)
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
// requests pass them by; a zero date marks them back. Marked away, their
// open questions go to the others on each queue by the same fair rule, or
// wait unallocated when nobody is there; back, they take their share of
// the questions waiting on their queues. It returns how many questions
// moved, each audited. Errors: Invalid (a date already past).
func (db *DB) SetAway(ctx context.Context, p *access.Principal, until deadline.Date, today deadline.Date) (int, error) {
	if !until.IsZero() && until.Before(today) {
		return 0, &fault.Error{Code: fault.Invalid, Message: "The date is not right",
			Fields: []fault.FieldError{{Field: "away_until", Message: "Enter today or a later date, or leave it empty if you are back"}}}
	}
	moved := 0
	err := db.inTx(ctx, func(tx *Tx) error {
		moved = 0
		if _, err := tx.exec(ctx, `DELETE FROM knowledge_away WHERE person_id = ?`, p.PersonID); err != nil {
			return err
		}
		if !until.IsZero() {
			if _, err := tx.exec(ctx, `INSERT INTO knowledge_away (person_id, away_until) VALUES (?, ?)`, p.PersonID, until.Time(time.UTC)); err != nil {
				return tx.dialect.translate(err)
			}
		}
		if err := tx.record(ctx, audit.Update, "person_away", p.PersonID, audit.Fields(map[string]any{"away_until": until.String()})); err != nil {
			return err
		}
		var err error
		if until.IsZero() {
			moved, err = allocateWaiting(ctx, tx, p.PersonID, today)
		} else {
			moved, err = reallocateFrom(ctx, tx, p.PersonID, today)
		}
		return err
	})
	return moved, err
}

// openHelp lists the ids and queues of the open requests a condition
// selects, oldest first, so the longest waiting are placed first.
func openHelp(ctx context.Context, tx *Tx, where string, args ...any) (ids []int64, codes []string, err error) {
	rows, err := tx.query(ctx, `SELECT h.id, h.specialism FROM knowledge_help h WHERE h.status = 'open' AND `+where+` ORDER BY h.created_at, h.id`, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			return nil, nil, err
		}
		ids, codes = append(ids, id), append(codes, code)
	}
	return ids, codes, rows.Err()
}

// reallocateFrom moves a person's open questions to whoever else on each
// queue the fair rule picks, or leaves them unallocated.
func reallocateFrom(ctx context.Context, tx *Tx, person int64, today deadline.Date) (int, error) {
	ids, codes, err := openHelp(ctx, tx, `h.assignee_id = ?`, person)
	if err != nil {
		return 0, err
	}
	for i, id := range ids {
		to, err := allocateHelp(ctx, tx, codes[i], today, person)
		if err != nil {
			return 0, err
		}
		if err := moveHelp(ctx, tx, id, &person, to, "away"); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// allocateWaiting gives the unallocated questions of a person's queues to
// whoever the fair rule now picks (the person back, most often).
func allocateWaiting(ctx context.Context, tx *Tx, person int64, today deadline.Date) (int, error) {
	return allocateUnallocated(ctx, tx, today, "back", `h.specialism IN
		(SELECT code FROM knowledge_specialisms WHERE lead_id = ? OR deputy_id = ?)`, person, person)
}

// allocateUnallocated gives the unallocated open questions a condition
// selects, oldest first, to whoever the fair rule picks; those for which
// nobody is available keep waiting.
func allocateUnallocated(ctx context.Context, tx *Tx, today deadline.Date, reason, where string, args ...any) (int, error) {
	ids, codes, err := openHelp(ctx, tx, `h.assignee_id IS NULL AND `+where, args...)
	if err != nil {
		return 0, err
	}
	moved := 0
	for i, id := range ids {
		to, err := allocateHelp(ctx, tx, codes[i], today, 0)
		if err != nil {
			return 0, err
		}
		if to == nil {
			continue
		}
		if err := moveHelp(ctx, tx, id, nil, to, reason); err != nil {
			return 0, err
		}
		moved++
	}
	return moved, nil
}

// moveHelp changes who holds an open request, audited with the reason.
func moveHelp(ctx context.Context, tx *Tx, id int64, from, to *int64, reason string) error {
	if _, err := tx.exec(ctx, `UPDATE knowledge_help SET assignee_id = ? WHERE id = ? AND status = 'open'`, to, id); err != nil {
		return err
	}
	if to != nil {
		if err := tx.queueNotice(ctx, NoticeHelpAllocated, id, *to); err != nil {
			return err
		}
	}
	return tx.record(ctx, audit.Update, "help_request", id, audit.Fields(map[string]any{"assignee_id": to, "from_assignee_id": from, "reallocated": reason}))
}

// ReallocateHelp moves an open question of a queue the principal leads to
// whoever else on it the fair rule picks (passing by the person who has
// it), or gives a waiting question to whoever is back. Errors: NotFound,
// Forbidden (not the queue's lead), Conflict (answered, or nobody else
// available).
func (db *DB) ReallocateHelp(ctx context.Context, p *access.Principal, id int64, today deadline.Date) (knowledge.HelpRequest, error) {
	var out knowledge.HelpRequest
	err := db.inTx(ctx, func(tx *Tx) error {
		h, err := scanHelp(tx.queryRow(ctx, `SELECT `+helpColumns+helpFrom+` WHERE h.id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) || (err == nil && p.IsPartner()) {
			return fault.Errorf(fault.NotFound, "There is no help request %d", id)
		} else if err != nil {
			return err
		}
		var lead int64
		if err := tx.queryRow(ctx, `SELECT lead_id FROM knowledge_specialisms WHERE code = ?`, h.Specialism).Scan(&lead); err != nil {
			return err
		}
		if lead != p.PersonID {
			return fault.Errorf(fault.Forbidden, "Only the lead of the queue may reallocate its questions")
		}
		if h.Status != knowledge.HelpOpen {
			return fault.Errorf(fault.Conflict, "The question has already been answered")
		}
		var exclude int64
		if h.AssigneeID != nil {
			exclude = *h.AssigneeID
		}
		to, err := allocateHelp(ctx, tx, h.Specialism, today, exclude)
		if err != nil {
			return err
		}
		if to == nil {
			return fault.Errorf(fault.Conflict, "Nobody else on the queue is available: the question stays where it is")
		}
		if err := moveHelp(ctx, tx, id, h.AssigneeID, to, "by the lead"); err != nil {
			return err
		}
		out, err = scanHelp(tx.queryRow(ctx, `SELECT `+helpColumns+helpFrom+` WHERE h.id = ?`, id))
		return err
	})
	return out, err
}

// QuestionsToAnswer are the open questions allocated to a person, the one
// whose answer is wanted soonest first: their notice on the work list and
// in the daily digest.
func (db *DB) QuestionsToAnswer(ctx context.Context, p *access.Principal, person int64) ([]knowledge.HelpRequest, error) {
	open, err := db.HelpRequests(ctx, p, HelpFilter{AssigneeID: &person, Status: knowledge.HelpOpen, Limit: 500})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(open, func(a, b knowledge.HelpRequest) int {
		if c := a.AnswerBy.Compare(b.AnswerBy); c != 0 {
			return c
		}
		return a.CreatedAt.Compare(b.CreatedAt)
	})
	return open, nil
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
