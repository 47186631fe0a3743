package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/fault"
	"caseboard/internal/org"
)

// principalQuery loads everything the policy needs about one person in a
// single round trip: the person, their account, roles, unit memberships
// and everyone they line-manage (from line_reports). The "me" CTE
// is supplied by the caller: from a session, a token or a person id.
func (d Dialect) principalQuery(me string) string {
	return `WITH me AS (` + me + `)
	SELECT me.*, p.name, p.email, p.clearance, p.partner_id, p.unit_id, p.active, COALESCE(a.disabled, TRUE),
		COALESCE((SELECT ` + d.aggregate("role") + ` FROM person_roles WHERE person_id = me.person_id), ''),
		COALESCE((SELECT ` + d.aggregate("unit_id") + ` FROM person_units WHERE person_id = me.person_id), ''),
		COALESCE((SELECT ` + d.aggregate("person_id") + ` FROM line_reports WHERE manager_id = me.person_id), '')
	FROM me JOIN people p ON p.id = me.person_id LEFT JOIN accounts a ON a.person_id = me.person_id`
}

// rebuildLineReports recomputes who manages whom, directly or through
// others, after a change to anyone's line manager.
func rebuildLineReports(ctx context.Context, tx *Tx) error {
	if _, err := tx.exec(ctx, `DELETE FROM line_reports`); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `INSERT INTO line_reports (manager_id, person_id)
		WITH RECURSIVE chain(manager_id, person_id) AS (
			SELECT line_manager_id, id FROM people WHERE line_manager_id IS NOT NULL
			UNION
			SELECT c.manager_id, p.id FROM people p JOIN chain c ON p.line_manager_id = c.person_id
		)
		SELECT manager_id, person_id FROM chain`)
	if err != nil {
		return fmt.Errorf("rebuild line management: %w", err)
	}
	return nil
}

// scanPrincipal reads the columns principalQuery adds after the me.* ones
// (given as dest) and builds the principal. A disabled account or a person
// who has left is not a principal.
func scanPrincipal(row *sql.Row, dest ...any) (*access.Principal, error) {
	p := &access.Principal{}
	var clearance, roles, units, reports string
	var partner sql.NullInt64
	var unit int64
	var active, disabled bool
	dest = append(dest, &p.Name, &p.Email, &clearance, &partner, &unit, &active, &disabled, &roles, &units, &reports)
	if err := row.Scan(dest...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, errNoPrincipal
		}
		return nil, fmt.Errorf("load principal: %w", err)
	}
	if !active || disabled {
		return nil, errNoPrincipal
	}
	p.Clearance, p.PartnerID = org.Clearance(clearance), nullableID(partner)
	for _, r := range splitList(roles) {
		p.Roles = append(p.Roles, access.Role(r))
	}
	slices.Sort(p.Roles)
	p.Units = append([]int64{unit}, parseIDs(units)...)
	p.Reports = parseIDs(reports)
	return p, nil
}

var errNoPrincipal = &fault.Error{Code: fault.Unauthorized, Message: "Sign in to continue"}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func parseIDs(s string) []int64 {
	var ids []int64
	for _, part := range splitList(s) {
		if id, err := strconv.ParseInt(part, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// Principal loads a person as a principal, for command-line work done as
// that person and for tests. Errors: Unauthorized (no account, disabled).
func (db *DB) Principal(ctx context.Context, personID int64) (*access.Principal, error) {
	var id int64
	p, err := scanPrincipal(db.queryRow(ctx, db.dialect.rebind(db.dialect.principalQuery(`SELECT id AS person_id FROM people WHERE id = ?`)), personID), &id)
	if err != nil {
		return nil, err
	}
	p.PersonID = id
	return p, nil
}

var sessionPrincipalQuery = map[Dialect]string{}

func init() {
	for _, d := range []Dialect{SQLite, Postgres} {
		sessionPrincipalQuery[d] = d.principalQuery(`SELECT person_id, csrf_token, created_at, last_seen_at, expires_at FROM sessions WHERE id_hash = ?`)
		tokenPrincipalQuery[d] = d.principalQuery(`SELECT person_id, id, read_only, unit_id, expires_at, revoked_at, last_used_at FROM api_tokens WHERE token_hash = ?`)
	}
}

// Session is a signed-in browser.
type Session struct {
	IDHash     string
	PersonID   int64
	CSRFToken  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // the absolute limit
	Address    string
	UserAgent  string
}

// CreateSession stores a new session and records the sign-in. If
// replacing names the browser's previous session, it is ended in the same
// transaction: a new session id at every sign-in defeats session fixation.
func (db *DB) CreateSession(ctx context.Context, s Session, replacing string, method string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if replacing != "" {
			if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE id_hash = ?`, replacing); err != nil {
				return err
			}
		}
		if _, err := tx.exec(ctx, `INSERT INTO sessions (id_hash, person_id, csrf_token, created_at, last_seen_at, expires_at, address, user_agent)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, s.IDHash, s.PersonID, s.CSRFToken, s.CreatedAt, s.LastSeenAt, s.ExpiresAt, s.Address, s.UserAgent); err != nil {
			return fmt.Errorf("create session: %w", err)
		}
		return tx.record(ctx, audit.SignIn, "account", s.PersonID, audit.Fields(map[string]any{"method": method, "user_agent": s.UserAgent}))
	})
}

// SessionPrincipal returns the principal and session for a session id
// hash, if the session exists, is within its absolute limit and has been
// used within idle. It refreshes the session's last use at most once a
// minute, so most requests only read.
// Errors: Unauthorized.
func (db *DB) SessionPrincipal(ctx context.Context, idHash string, idle time.Duration) (*access.Principal, Session, error) {
	s := Session{IDHash: idHash}
	row, err := db.queryRowPrepared(ctx, sessionPrincipalQuery[db.dialect], idHash)
	if err != nil {
		return nil, s, err
	}
	p, err := scanPrincipal(row, &s.PersonID, &s.CSRFToken, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt)
	if err != nil {
		return nil, s, err
	}
	p.PersonID = s.PersonID
	now := db.Now()
	if now.After(s.ExpiresAt) || now.Sub(s.LastSeenAt) > idle {
		db.inTx(ctx, func(tx *Tx) error {
			_, err := tx.exec(ctx, `DELETE FROM sessions WHERE id_hash = ?`, idHash)
			return err
		})
		return nil, s, &fault.Error{Code: fault.Unauthorized, Message: "Your session has ended; sign in again"}
	}
	if now.Sub(s.LastSeenAt) > time.Minute {
		if err := db.inTx(ctx, func(tx *Tx) error {
			_, err := tx.exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?`, now, idHash)
			return err
		}); err != nil {
			return nil, s, err
		}
	}
	return p, s, nil
}

// EndSession signs a browser out.
func (db *DB) EndSession(ctx context.Context, idHash string, personID int64) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE id_hash = ?`, idHash); err != nil {
			return err
		}
		return tx.record(ctx, audit.SignOut, "account", personID, audit.Fields(map[string]any{"sessions": "this one"}))
	})
}

// EndAllSessions signs a person out everywhere and returns how many
// sessions ended.
func (db *DB) EndAllSessions(ctx context.Context, personID int64) (int64, error) {
	var n int64
	err := db.inTx(ctx, func(tx *Tx) error {
		var err error
		n, err = endSessions(ctx, tx, personID)
		if err != nil {
			return err
		}
		return tx.record(ctx, audit.SignOut, "account", personID, audit.Fields(map[string]any{"sessions": n}))
	})
	return n, err
}

func endSessions(ctx context.Context, tx *Tx, personID int64) (int64, error) {
	res, err := tx.exec(ctx, `DELETE FROM sessions WHERE person_id = ?`, personID)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Account is what sign-in needs to know of a person's account.
type Account struct {
	PersonID     int64
	Name         string
	Email        string
	PasswordHash string
	Disabled     bool
	Active       bool
}

// AccountByEmail finds the account of the person with the email.
// Errors: NotFound (no such person, or no account).
func (db *DB) AccountByEmail(ctx context.Context, email string) (Account, error) {
	var a Account
	err := db.queryRow(ctx, `SELECT p.id, p.name, p.email, a.password_hash, a.disabled, p.active
		FROM people p JOIN accounts a ON a.person_id = p.id WHERE p.email = ?`, strings.ToLower(strings.TrimSpace(email))).
		Scan(&a.PersonID, &a.Name, &a.Email, &a.PasswordHash, &a.Disabled, &a.Active)
	if errors.Is(err, sql.ErrNoRows) {
		return a, fault.Errorf(fault.NotFound, "there is no account for %s", email)
	}
	return a, err
}

// AccountSummary is one line of the account list.
type AccountSummary struct {
	PersonID  int64         `json:"person_id"`
	Name      string        `json:"name"`
	Email     string        `json:"email"`
	UnitCode  string        `json:"unit"`
	Clearance org.Clearance `json:"clearance"`
	Roles     []access.Role `json:"roles"`
	Disabled  bool          `json:"disabled"`
	Password  bool          `json:"has_password"`
}

// Accounts lists every account by name.
func (db *DB) Accounts(ctx context.Context) ([]AccountSummary, error) {
	rows, err := db.query(ctx, `SELECT p.id, p.name, p.email, u.code, p.clearance, a.disabled, a.password_hash <> '',
			COALESCE((SELECT `+db.dialect.aggregate("role")+` FROM person_roles r WHERE r.person_id = p.id), '')
		FROM accounts a JOIN people p ON p.id = a.person_id JOIN units u ON u.id = p.unit_id ORDER BY p.name, p.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AccountSummary
	for rows.Next() {
		var s AccountSummary
		var clearance, roles string
		if err := rows.Scan(&s.PersonID, &s.Name, &s.Email, &s.UnitCode, &clearance, &s.Disabled, &s.Password, &roles); err != nil {
			return nil, err
		}
		s.Clearance = org.Clearance(clearance)
		for _, r := range splitList(roles) {
			s.Roles = append(s.Roles, access.Role(r))
		}
		slices.Sort(s.Roles)
		out = append(out, s)
	}
	return out, rows.Err()
}

// CreateAccount gives a person an account with a password hash (empty for
// single sign-on only), roles and extra unit memberships.
// Errors: Conflict (the person has an account), Invalid (an unknown role).
func (db *DB) CreateAccount(ctx context.Context, personID int64, passwordHash string, roles []access.Role, units []int64) error {
	for _, r := range roles {
		if !r.Valid() {
			return unknownRole(r)
		}
	}
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO accounts (person_id, password_hash, disabled, created_at, password_changed_at) VALUES (?, ?, FALSE, ?, ?)`,
			personID, passwordHash, tx.now, tx.now); err != nil {
			return fmt.Errorf("create account for person %d: %w", personID, tx.dialect.translate(err))
		}
		for _, r := range roles {
			if _, err := tx.exec(ctx, `INSERT INTO person_roles (person_id, role) VALUES (?, ?)`, personID, string(r)); err != nil {
				return tx.dialect.translate(err)
			}
		}
		for _, u := range units {
			if _, err := tx.exec(ctx, `INSERT INTO person_units (person_id, unit_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, personID, u); err != nil {
				return tx.dialect.translate(err)
			}
		}
		return tx.record(ctx, audit.Create, "account", personID, audit.Fields(map[string]any{"roles": roles, "units": units, "password": passwordHash != ""}))
	})
}

func unknownRole(r access.Role) error {
	return &fault.Error{Code: fault.Invalid, Message: fmt.Sprintf("%q is not a role", r),
		Fields: []fault.FieldError{{Field: "role", Message: "Choose a role from the list"}}}
}

// SetPassword changes a person's password hash and ends their sessions,
// so a reset locks out whoever knew the old one.
func (db *DB) SetPassword(ctx context.Context, personID int64, passwordHash string) error {
	return db.changeAccount(ctx, personID, audit.Update, map[string]any{"password": "changed"},
		`UPDATE accounts SET password_hash = ?, password_changed_at = ? WHERE person_id = ?`, passwordHash, db.Now(), personID)
}

// SetDisabled disables or re-enables an account; disabling ends its
// sessions at once.
func (db *DB) SetDisabled(ctx context.Context, personID int64, disabled bool) error {
	return db.changeAccount(ctx, personID, audit.Permission, map[string]any{"disabled": disabled},
		`UPDATE accounts SET disabled = ? WHERE person_id = ?`, disabled, personID)
}

func (db *DB) changeAccount(ctx context.Context, personID int64, action string, change map[string]any, query string, args ...any) error {
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, query, args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fault.Errorf(fault.NotFound, "person %d has no account", personID)
		}
		if _, err := endSessions(ctx, tx, personID); err != nil {
			return err
		}
		return tx.record(ctx, action, "account", personID, audit.Fields(change))
	})
}

// Grant gives a person a role. Errors: Invalid, NotFound.
func (db *DB) Grant(ctx context.Context, personID int64, role access.Role) error {
	if !role.Valid() {
		return unknownRole(role)
	}
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO person_roles (person_id, role) VALUES (?, ?) ON CONFLICT DO NOTHING`, personID, string(role)); err != nil {
			return tx.dialect.translate(err)
		}
		return tx.record(ctx, audit.Permission, "account", personID, audit.Fields(map[string]any{"granted": role}))
	})
}

// Revoke takes a role away. Errors: NotFound (the person does not hold it).
func (db *DB) Revoke(ctx context.Context, personID int64, role access.Role) error {
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM person_roles WHERE person_id = ? AND role = ?`, personID, string(role))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fault.Errorf(fault.NotFound, "person %d does not hold the role %s", personID, role)
		}
		return tx.record(ctx, audit.Permission, "account", personID, audit.Fields(map[string]any{"revoked": role}))
	})
}

// SignInFailures counts failures recorded under key since a moment, and
// returns the oldest of them, from which the lock-out's end follows.
func (db *DB) SignInFailures(ctx context.Context, key string, since time.Time) (int, time.Time, error) {
	// Two queries rather than MIN(at): SQLite returns an aggregate of a
	// timestamp column as text, which the driver does not parse.
	var n int
	var oldest time.Time
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM sign_in_failures WHERE key = ? AND at > ?`, key, since).Scan(&n); err != nil || n == 0 {
		return 0, oldest, err
	}
	err := db.queryRow(ctx, `SELECT at FROM sign_in_failures WHERE key = ? AND at > ? ORDER BY at LIMIT 1`, key, since).Scan(&oldest)
	return n, oldest, err
}

// RecordSignInFailure notes a failed sign-in under each key, and forgets
// failures older than a day.
func (db *DB) RecordSignInFailure(ctx context.Context, keys ...string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		for _, k := range keys {
			if _, err := tx.exec(ctx, `INSERT INTO sign_in_failures (key, at) VALUES (?, ?)`, k, tx.now); err != nil {
				return err
			}
		}
		_, err := tx.exec(ctx, `DELETE FROM sign_in_failures WHERE at < ?`, tx.now.Add(-24*time.Hour))
		return err
	})
}

// ClearSignInFailures forgets the failures under key after a success.
func (db *DB) ClearSignInFailures(ctx context.Context, key string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM sign_in_failures WHERE key = ?`, key)
		return err
	})
}
