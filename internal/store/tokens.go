package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/fault"
)

var tokenPrincipalQuery = map[Dialect]string{}

// APIToken is a token for scripts and partner systems. Only its hash is
// stored; the token itself is shown once, when it is made.
type APIToken struct {
	ID         int64      `json:"id"`
	PersonID   int64      `json:"person_id"`
	Name       string     `json:"name"`
	ReadOnly   bool       `json:"read_only"`
	UnitID     *int64     `json:"unit_id"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
}

// CreateAPIToken stores a token by its hash.
// Errors: Invalid (no name, or an expiry in the past).
func (db *DB) CreateAPIToken(ctx context.Context, t *APIToken, hash string) error {
	var v fault.Validation
	if t.Name == "" {
		v.Add("name", "Enter a name that says what the token is for")
	}
	if !t.ExpiresAt.After(db.Now()) {
		v.Add("expires", "The token must expire in the future")
	}
	if err := v.Err("The token could not be made"); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		t.CreatedAt = tx.now
		id, err := tx.insert(ctx, `INSERT INTO api_tokens (person_id, name, token_hash, read_only, unit_id, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, t.PersonID, t.Name, hash, t.ReadOnly, t.UnitID, t.CreatedAt, t.ExpiresAt)
		if err != nil {
			return fmt.Errorf("create token: %w", tx.dialect.translate(err))
		}
		t.ID = id
		return tx.record(ctx, audit.Create, "api_token", id, audit.Diff(nil, t))
	})
}

// TokenPrincipal returns the principal acting through a token, if the
// token exists, is unexpired and unrevoked, and its person may sign in.
// Errors: Unauthorized.
func (db *DB) TokenPrincipal(ctx context.Context, hash string) (*access.Principal, error) {
	now := db.Now()
	if p, ok := db.principals.get(hash, now); ok {
		return p, nil
	}
	generation := db.principals.generation.Load()
	var tokenID, personID int64
	var readOnly bool
	var unit sql.NullInt64
	var expires time.Time
	var revoked, lastUsed *time.Time
	row, err := db.queryRowPrepared(ctx, tokenPrincipalQuery[db.dialect], hash)
	if err != nil {
		return nil, err
	}
	p, err := scanPrincipal(row, &personID, &tokenID, &readOnly, &unit, &expires, &revoked, &lastUsed)
	if err != nil {
		return nil, &fault.Error{Code: fault.Unauthorized, Message: "The API token is not valid"}
	}
	if revoked != nil || !now.Before(expires) {
		return nil, &fault.Error{Code: fault.Unauthorized, Message: "The API token has expired or been revoked"}
	}
	p.PersonID = personID
	p.Token = &access.TokenScope{ID: tokenID, ReadOnly: readOnly, UnitID: nullableID(unit)}
	if lastUsed == nil || now.Sub(*lastUsed) > time.Minute {
		db.inTx(ctx, func(tx *Tx) error {
			_, err := tx.exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, now, tokenID)
			return err
		})
	}
	db.principals.put(hash, p, generation, now, expires)
	return p, nil
}

// APITokens lists a person's tokens, newest first.
func (db *DB) APITokens(ctx context.Context, personID int64) ([]APIToken, error) {
	rows, err := db.query(ctx, `SELECT id, person_id, name, read_only, unit_id, created_at, expires_at, revoked_at, last_used_at
		FROM api_tokens WHERE person_id = ? ORDER BY id DESC`, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		var t APIToken
		var unit sql.NullInt64
		if err := rows.Scan(&t.ID, &t.PersonID, &t.Name, &t.ReadOnly, &unit, &t.CreatedAt, &t.ExpiresAt, &t.RevokedAt, &t.LastUsedAt); err != nil {
			return nil, err
		}
		t.UnitID = nullableID(unit)
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeAPIToken revokes one of a person's tokens.
// Errors: NotFound (no such token of theirs, or already revoked).
func (db *DB) RevokeAPIToken(ctx context.Context, personID, tokenID int64) error {
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND person_id = ? AND revoked_at IS NULL`, tx.now, tokenID, personID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fault.Errorf(fault.NotFound, "there is no live token %d", tokenID)
		}
		return tx.record(ctx, audit.Update, "api_token", tokenID, audit.Fields(map[string]any{"revoked": true}))
	})
}
