package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"caseboard/internal/fault"
)

// OIDCState is an OpenID Connect sign-in in progress: what the browser's
// return from the provider is checked against. It is kept in the database,
// not in memory, because the return may reach another instance.
type OIDCState struct {
	Verifier  string // the PKCE code verifier, sent with the code
	Nonce     string // must come back inside the ID token
	ReturnTo  string // where the person goes once signed in
	CreatedAt time.Time
}

// SaveOIDCState records a sign-in that is starting, under the SHA-256 of
// its state parameter, so that a copy of the table does not hold states an
// attacker could finish.
func (db *DB) SaveOIDCState(ctx context.Context, stateHash, verifier, nonce, returnTo string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO oidc_states (state_hash, code_verifier, nonce, return_to, created_at) VALUES (?, ?, ?, ?, ?)`,
			stateHash, verifier, nonce, returnTo, tx.now); err != nil {
			return fmt.Errorf("save sign-in state: %w", tx.dialect.translate(err))
		}
		return nil
	})
}

// errNoOIDCState covers unknown, used and expired states alike: an expired
// row may already have been swept away by another sign-in, so the cases
// cannot be told apart reliably anyway.
var errNoOIDCState = &fault.Error{Code: fault.NotFound, Message: "This sign-in has expired or has already been used"}

// TakeOIDCState returns the sign-in with the state hash and deletes it in
// the same transaction, so a state works once however many instances see
// it. A state older than maxAge is refused; every such expired state is
// deleted on the way, so abandoned sign-ins do not pile up.
// Errors: NotFound (unknown, already taken, or expired).
func (db *DB) TakeOIDCState(ctx context.Context, stateHash string, maxAge time.Duration) (OIDCState, error) {
	var s OIDCState
	var fresh bool
	// The transaction commits even when the state is refused, so that the
	// deletions stand: a refused state must not work a second time.
	err := db.inTx(ctx, func(tx *Tx) error {
		err := tx.queryRow(ctx, `DELETE FROM oidc_states WHERE state_hash = ? RETURNING code_verifier, nonce, return_to, created_at`, stateHash).
			Scan(&s.Verifier, &s.Nonce, &s.ReturnTo, &s.CreatedAt)
		switch {
		case err == nil:
			fresh = tx.now.Sub(s.CreatedAt) <= maxAge
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("take sign-in state: %w", err)
		}
		if _, err := tx.exec(ctx, `DELETE FROM oidc_states WHERE created_at < ?`, tx.now.Add(-maxAge)); err != nil {
			return fmt.Errorf("sweep sign-in states: %w", err)
		}
		return nil
	})
	if err != nil {
		return OIDCState{}, err
	}
	if !fresh {
		return OIDCState{}, errNoOIDCState
	}
	return s, nil
}
