package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"caseboard/internal/knowledge"
)

// Kinds of email notice.
const (
	NoticeHelpAllocated = "help_allocated"
)

// noticeAttempts is how many times a notice is tried before it is given up.
const noticeAttempts = 5

// Notice is an email notice claimed for sending.
type Notice struct {
	ID       int64
	Kind     string
	RecordID int64
	PersonID int64
	Name     string
	Email    string
	Attempts int
	QueuedAt time.Time
	SentAt   *time.Time
	Outcome  string
}

// queueNotice queues an email notice to a person about a record, in the
// transaction that made the change it tells of.
func (tx *Tx) queueNotice(ctx context.Context, kind string, recordID, personID int64) error {
	if _, err := tx.exec(ctx, `INSERT INTO mail_outbox (kind, record_id, person_id, queued_at) VALUES (?, ?, ?, ?)`,
		kind, recordID, personID, tx.now); err != nil {
		return fmt.Errorf("queue %s notice for record %d: %w", kind, recordID, err)
	}
	return nil
}

// ClaimNotices claims up to limit waiting notices for lease, oldest first,
// so that of several instances only one sends each. A notice whose lease
// ran out (its sender stopped) is claimed again.
func (db *DB) ClaimNotices(ctx context.Context, limit int, lease time.Duration) ([]Notice, error) {
	var claimed []Notice
	err := db.inTx(ctx, func(tx *Tx) error {
		claimed = claimed[:0]
		rows, err := tx.query(ctx, `SELECT o.id, o.kind, o.record_id, o.person_id, p.name, p.email, o.attempts, o.queued_at
			FROM mail_outbox o JOIN people p ON p.id = o.person_id
			WHERE o.sent_at IS NULL AND o.outcome = '' AND (o.claimed_until IS NULL OR o.claimed_until < ?)
			ORDER BY o.queued_at, o.id LIMIT ?`, tx.now, limit)
		if err != nil {
			return err
		}
		for rows.Next() {
			var n Notice
			if err := rows.Scan(&n.ID, &n.Kind, &n.RecordID, &n.PersonID, &n.Name, &n.Email, &n.Attempts, &n.QueuedAt); err != nil {
				rows.Close()
				return err
			}
			claimed = append(claimed, n)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, n := range claimed {
			if _, err := tx.exec(ctx, `UPDATE mail_outbox SET claimed_until = ? WHERE id = ?`, tx.now.Add(lease), n.ID); err != nil {
				return err
			}
		}
		return nil
	})
	return claimed, err
}

// NoticeSent records that a notice went out.
func (db *DB) NoticeSent(ctx context.Context, id int64) error {
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE mail_outbox SET sent_at = ?, attempts = attempts + 1, outcome = 'sent', claimed_until = NULL WHERE id = ?`, tx.now, id)
		return err
	})
}

// NoticeSkipped records that a notice will not be sent, and why (the
// question was answered first, no relay is configured).
func (db *DB) NoticeSkipped(ctx context.Context, id int64, reason string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE mail_outbox SET outcome = ?, claimed_until = NULL WHERE id = ?`, "not sent: "+reason, id)
		return err
	})
}

// NoticeFailed records a failed attempt: the notice is tried again after a
// wait that grows with each attempt, and given up after noticeAttempts.
func (db *DB) NoticeFailed(ctx context.Context, id int64, cause error) error {
	return db.inTx(ctx, func(tx *Tx) error {
		var attempts int
		if err := tx.queryRow(ctx, `SELECT attempts FROM mail_outbox WHERE id = ?`, id).Scan(&attempts); err != nil {
			return err
		}
		attempts++
		outcome := ""
		if attempts >= noticeAttempts {
			outcome = "failed: " + cause.Error()
		}
		retry := tx.now.Add(time.Duration(attempts) * 5 * time.Minute)
		_, err := tx.exec(ctx, `UPDATE mail_outbox SET attempts = ?, claimed_until = ?, outcome = ? WHERE id = ?`, attempts, retry, outcome, id)
		return err
	})
}

// Notices lists the notices about a record, oldest first: what was sent,
// when, or why not.
func (db *DB) Notices(ctx context.Context, kind string, recordID int64) ([]Notice, error) {
	rows, err := db.query(ctx, `SELECT o.id, o.kind, o.record_id, o.person_id, p.name, p.email, o.attempts, o.queued_at, o.sent_at, o.outcome
		FROM mail_outbox o JOIN people p ON p.id = o.person_id WHERE o.kind = ? AND o.record_id = ? ORDER BY o.queued_at, o.id`, kind, recordID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Notice
	for rows.Next() {
		var n Notice
		var sent sql.NullTime
		if err := rows.Scan(&n.ID, &n.Kind, &n.RecordID, &n.PersonID, &n.Name, &n.Email, &n.Attempts, &n.QueuedAt, &sent, &n.Outcome); err != nil {
			return nil, err
		}
		n.SentAt = nullableTime(sent)
		out = append(out, n)
	}
	return out, rows.Err()
}

// HelpRequestForNotice reads a help request for the notice job, which acts
// for no one: the notice goes only to the person the request is allocated
// to, who may read it.
func (db *DB) HelpRequestForNotice(ctx context.Context, id int64) (knowledge.HelpRequest, error) {
	h, err := scanHelp(db.queryRow(ctx, `SELECT `+helpColumns+helpFrom+` WHERE h.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return h, fmt.Errorf("help request %d: %w", id, err)
	}
	return h, err
}
