package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"caseboard/internal/audit"
)

// record appends one entry to the audit trail inside the write's own
// transaction, so a change and its record commit or roll back together. The
// actor comes from the context.
func (tx *Tx) record(ctx context.Context, action, recordType string, recordID int64, changes string) error {
	return tx.recordRef(ctx, action, recordType, strconv.FormatInt(recordID, 10), changes)
}

func (tx *Tx) recordRef(ctx context.Context, action, recordType, recordID, changes string) error {
	actor := audit.ActorFrom(ctx)
	var head audit.Entry
	// Updating the head row first takes its row lock on PostgreSQL, so
	// concurrent transactions append strictly one after another.
	err := tx.queryRow(ctx, `UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash`).Scan(&head.Seq, &head.PrevHash)
	if err != nil {
		return fmt.Errorf("audit: advance chain: %w", err)
	}
	e := audit.Entry{
		Seq: head.Seq, At: tx.now.Truncate(time.Microsecond), ActorID: actor.PersonID, Actor: actor.Label,
		Action: action, RecordType: recordType, RecordID: recordID, Changes: changes,
		Address: actor.Address, RequestID: actor.RequestID, PrevHash: head.PrevHash,
	}
	e.Hash = e.ComputeHash()
	if _, err := tx.exec(ctx, `INSERT INTO audit_entries
		(seq, at, actor_id, actor, action, record_type, record_id, changes, address, request_id, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, e.At, e.ActorID, e.Actor, e.Action, e.RecordType, e.RecordID, e.Changes,
		e.Address, e.RequestID, e.PrevHash, e.Hash); err != nil {
		return fmt.Errorf("audit: append entry %d: %w", e.Seq, err)
	}
	if _, err := tx.exec(ctx, `UPDATE audit_head SET hash = ? WHERE id = 1`, e.Hash); err != nil {
		return fmt.Errorf("audit: move head: %w", err)
	}
	return nil
}

// AuditFilter narrows a listing of the trail.
type AuditFilter struct {
	RecordType string
	RecordID   string
	ActorID    *int64
	From, To   time.Time // zero means unbounded
	AfterSeq   int64     // keyset cursor: entries with seq greater than this
	Limit      int
}

// AuditEntries lists entries in chain order.
func (db *DB) AuditEntries(ctx context.Context, f AuditFilter) ([]audit.Entry, error) {
	where, args := "seq > ?", []any{f.AfterSeq}
	if f.RecordType != "" {
		where += " AND record_type = ?"
		args = append(args, f.RecordType)
	}
	if f.RecordID != "" {
		where += " AND record_id = ?"
		args = append(args, f.RecordID)
	}
	if f.ActorID != nil {
		where += " AND actor_id = ?"
		args = append(args, *f.ActorID)
	}
	if !f.From.IsZero() {
		where += " AND at >= ?"
		args = append(args, f.From)
	}
	if !f.To.IsZero() {
		where += " AND at < ?"
		args = append(args, f.To)
	}
	limit := f.Limit
	if limit <= 0 || limit > 10000 {
		limit = 10000
	}
	rows, err := db.query(ctx, `SELECT seq, at, actor_id, actor, action, record_type, record_id, changes, address, request_id, prev_hash, hash
		FROM audit_entries WHERE `+where+` ORDER BY seq LIMIT `+strconv.Itoa(limit), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		e, err := scanAuditEntry(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func scanAuditEntry(rows *sql.Rows) (audit.Entry, error) {
	var e audit.Entry
	var actorID sql.NullInt64
	err := rows.Scan(&e.Seq, &e.At, &actorID, &e.Actor, &e.Action, &e.RecordType, &e.RecordID,
		&e.Changes, &e.Address, &e.RequestID, &e.PrevHash, &e.Hash)
	if actorID.Valid {
		e.ActorID = &actorID.Int64
	}
	e.At = e.At.UTC()
	return e, err
}

// ChainBreak describes the first entry at which the audit chain fails.
type ChainBreak struct {
	Seq    int64
	Reason string
}

// VerifyAudit walks the whole chain in order and returns the number of
// entries checked and the first break, or nil if the chain is whole.
func (db *DB) VerifyAudit(ctx context.Context) (int64, *ChainBreak, error) {
	rows, err := db.query(ctx, `SELECT seq, at, actor_id, actor, action, record_type, record_id, changes, address, request_id, prev_hash, hash
		FROM audit_entries ORDER BY seq`)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	var checked int64
	prevHash, wantSeq := "", int64(1)
	for rows.Next() {
		e, err := scanAuditEntry(rows)
		if err != nil {
			return checked, nil, err
		}
		if brk := checkLink(e, wantSeq, prevHash); brk != nil {
			return checked, brk, nil
		}
		checked++
		prevHash, wantSeq = e.Hash, e.Seq+1
	}
	if err := rows.Err(); err != nil {
		return checked, nil, err
	}
	var headSeq int64
	var headHash string
	if err := db.queryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
		return checked, nil, fmt.Errorf("read audit head: %w", err)
	}
	if headSeq != wantSeq-1 || headHash != prevHash {
		return checked, &ChainBreak{Seq: wantSeq, Reason: fmt.Sprintf("the chain ends at entry %d but its head records entry %d: entries are missing from the end", wantSeq-1, headSeq)}, nil
	}
	return checked, nil, nil
}

func checkLink(e audit.Entry, wantSeq int64, prevHash string) *ChainBreak {
	switch {
	case e.Seq != wantSeq:
		return &ChainBreak{Seq: wantSeq, Reason: fmt.Sprintf("entry %d is missing (next present is %d)", wantSeq, e.Seq)}
	case e.PrevHash != prevHash:
		return &ChainBreak{Seq: e.Seq, Reason: "its link to the previous entry does not match: an entry was removed, reordered or altered before it"}
	case e.ComputeHash() != e.Hash:
		return &ChainBreak{Seq: e.Seq, Reason: "its content does not match its hash: the entry was altered"}
	}
	return nil
}

// RecordView appends a "view" entry for a restricted record someone opened,
// so who saw it can be proved afterwards. Callers record every view of a
// restricted record; official records are not logged, to keep the trail to
// what matters.
func (db *DB) RecordView(ctx context.Context, recordType string, recordID int64) error {
	return db.inTx(ctx, func(tx *Tx) error {
		return tx.record(ctx, audit.View, recordType, recordID, "{}")
	})
}
