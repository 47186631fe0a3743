package store

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"strconv"
	"sync"
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
	if err := tx.readAuditHead(ctx); err != nil {
		return err
	}
	actor := audit.ActorFrom(ctx)
	e := audit.Entry{
		Seq: tx.head.seq + 1, At: tx.now.Truncate(time.Microsecond), ActorID: actor.PersonID, Actor: actor.Label,
		Action: action, RecordType: recordType, RecordID: recordID, Changes: changes,
		Address: actor.Address, RequestID: actor.RequestID, PrevHash: tx.head.hash,
	}
	e.Hash = e.ComputeHash()
	if _, err := tx.exec(ctx, `INSERT INTO audit_entries
		(seq, at_us, actor_id, actor, action, record_type, record_id, changes, address, request_id, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, e.At.UnixMicro(), e.ActorID, e.Actor, e.Action, e.RecordType, e.RecordID, e.Changes,
		e.Address, e.RequestID, e.PrevHash, e.Hash); err != nil {
		return fmt.Errorf("audit: append entry %d: %w", e.Seq, err)
	}
	tx.head.seq, tx.head.hash, tx.head.moved = e.Seq, e.Hash, true
	return nil
}

// auditHead is the chain's head as a transaction sees it: read once, under
// a row lock on PostgreSQL (SQLite's write lock already excludes other
// writers), advanced in memory by each entry, and written back once at
// commit. Updating the head row per entry would leave PostgreSQL a chain of
// row versions to walk that grows with every entry of a long transaction.
type auditHead struct {
	loaded, moved bool
	seq           int64
	hash          string
}

func (tx *Tx) readAuditHead(ctx context.Context) error {
	if tx.head.loaded {
		return nil
	}
	err := tx.queryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`+tx.dialect.forUpdate()).Scan(&tx.head.seq, &tx.head.hash)
	if err != nil {
		return fmt.Errorf("audit: read chain head: %w", err)
	}
	tx.head.loaded = true
	return nil
}

// writeAuditHead stores the head if the transaction appended entries.
func (tx *Tx) writeAuditHead(ctx context.Context) error {
	if !tx.head.moved {
		return nil
	}
	if _, err := tx.exec(ctx, `UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, tx.head.seq, tx.head.hash); err != nil {
		return fmt.Errorf("audit: move chain head: %w", err)
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
		where += " AND at_us >= ?"
		args = append(args, f.From.UnixMicro())
	}
	if !f.To.IsZero() {
		where += " AND at_us < ?"
		args = append(args, f.To.UnixMicro())
	}
	limit := f.Limit
	if limit <= 0 || limit > 10000 {
		limit = 10000
	}
	rows, err := db.query(ctx, `SELECT seq, at_us, actor_id, actor, action, record_type, record_id, changes, address, request_id, prev_hash, hash
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
	var atMicros int64
	err := rows.Scan(&e.Seq, &atMicros, &actorID, &e.Actor, &e.Action, &e.RecordType, &e.RecordID,
		&e.Changes, &e.Address, &e.RequestID, &e.PrevHash, &e.Hash)
	if actorID.Valid {
		e.ActorID = &actorID.Int64
	}
	e.At = time.UnixMicro(atMicros).UTC()
	return e, err
}

// ChainBreak describes the first entry at which the audit chain fails.
type ChainBreak struct {
	Seq    int64
	Reason string
}

// VerifyAudit walks the whole chain in order and returns the number of
// entries checked and the first break, or nil if the chain is whole.
//
// Reading rows is sequential but each entry's hash can be checked on its
// own, so one goroutine reads batches while the others hash the batch
// before: on two cores the walk runs at about the speed of reading.
func (db *DB) VerifyAudit(ctx context.Context) (int64, *ChainBreak, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []audit.Entry, 2)
	readErr := make(chan error, 1)
	go func() { readErr <- db.readChain(ctx, batches) }()

	var checked int64
	prevHash, wantSeq := "", int64(1)
	for batch := range batches {
		badContent := firstBadHash(batch)
		for i, e := range batch {
			if brk := checkLink(e, wantSeq, prevHash); brk != nil {
				return checked, brk, nil
			}
			if i == badContent {
				return checked, &ChainBreak{Seq: e.Seq, Reason: "its content does not match its hash: the entry was altered"}, nil
			}
			checked++
			prevHash, wantSeq = e.Hash, e.Seq+1
		}
	}
	if err := <-readErr; err != nil {
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

const verifyBatch = 4096

// readChain sends the chain in order, in batches, and closes the channel.
func (db *DB) readChain(ctx context.Context, out chan<- []audit.Entry) error {
	defer close(out)
	rows, err := db.query(ctx, `SELECT seq, at_us, actor_id, actor, action, record_type, record_id, changes, address, request_id, prev_hash, hash
		FROM audit_entries ORDER BY seq`)
	if err != nil {
		return err
	}
	defer rows.Close()
	batch := make([]audit.Entry, 0, verifyBatch)
	for rows.Next() {
		e, err := scanAuditEntry(rows)
		if err != nil {
			return err
		}
		if batch = append(batch, e); len(batch) == verifyBatch {
			select {
			case out <- batch:
			case <-ctx.Done():
				return ctx.Err()
			}
			batch = make([]audit.Entry, 0, verifyBatch)
		}
	}
	if len(batch) > 0 {
		select {
		case out <- batch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return rows.Err()
}

// firstBadHash returns the index of the first entry whose content does not
// match its hash, or -1, hashing the batch's parts in parallel.
func firstBadHash(batch []audit.Entry) int {
	workers := runtime.GOMAXPROCS(0)
	part := (len(batch) + workers - 1) / workers
	bad := make([]int, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		bad[w] = -1
		lo, hi := w*part, min((w+1)*part, len(batch))
		if lo >= hi {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				if batch[i].ComputeHash() != batch[i].Hash {
					bad[w] = i
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, i := range bad {
		if i >= 0 {
			return i
		}
	}
	return -1
}

func checkLink(e audit.Entry, wantSeq int64, prevHash string) *ChainBreak {
	switch {
	case e.Seq != wantSeq:
		return &ChainBreak{Seq: wantSeq, Reason: fmt.Sprintf("entry %d is missing (next present is %d)", wantSeq, e.Seq)}
	case e.PrevHash != prevHash:
		return &ChainBreak{Seq: e.Seq, Reason: "its link to the previous entry does not match: an entry was removed, reordered or altered before it"}
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
