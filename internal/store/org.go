package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"caseboard/internal/audit"
	"caseboard/internal/fault"
	"caseboard/internal/org"
)

// SeedOrganisation gives a new database the division, units and offices the
// inspection report describes. It does nothing once a division exists, so it
// is safe to call at every start.
func (db *DB) SeedOrganisation(ctx context.Context) (bool, error) {
	seeded := false
	err := db.inTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM divisions`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		div := org.StartingDivision()
		if err := insertDivision(ctx, tx, &div); err != nil {
			return err
		}
		for _, u := range org.StartingUnits() {
			u.DivisionID = div.ID
			if err := insertUnit(ctx, tx, &u); err != nil {
				return err
			}
		}
		for _, l := range org.StartingLocations() {
			if err := insertLocation(ctx, tx, &l); err != nil {
				return err
			}
		}
		seeded = true
		return nil
	})
	return seeded, err
}

func insertDivision(ctx context.Context, tx *Tx, d *org.Division) error {
	id, err := tx.insert(ctx, `INSERT INTO divisions (code, name) VALUES (?, ?)`, d.Code, d.Name)
	if err != nil {
		return fmt.Errorf("insert division %s: %w", d.Code, tx.dialect.translate(err))
	}
	d.ID = id
	return tx.record(ctx, audit.Create, "division", id, audit.Diff(nil, d))
}

func insertUnit(ctx context.Context, tx *Tx, u *org.Unit) error {
	if err := u.Validate(); err != nil {
		return err
	}
	id, err := tx.insert(ctx, `INSERT INTO units (division_id, code, name, head_title) VALUES (?, ?, ?, ?)`,
		u.DivisionID, u.Code, u.Name, u.HeadTitle)
	if err != nil {
		return fmt.Errorf("insert unit %s: %w", u.Code, tx.dialect.translate(err))
	}
	u.ID = id
	return tx.record(ctx, audit.Create, "unit", id, audit.Diff(nil, u))
}

func insertLocation(ctx context.Context, tx *Tx, l *org.Location) error {
	if err := l.Validate(); err != nil {
		return err
	}
	id, err := tx.insert(ctx, `INSERT INTO locations (code, name, kind, country) VALUES (?, ?, ?, ?)`,
		l.Code, l.Name, string(l.Kind), l.Country)
	if err != nil {
		return fmt.Errorf("insert location %s: %w", l.Code, tx.dialect.translate(err))
	}
	l.ID = id
	return tx.record(ctx, audit.Create, "location", id, audit.Diff(nil, l))
}

// CreateLocation adds an office or overseas post.
// Errors: Invalid, Conflict (the code is taken).
func (db *DB) CreateLocation(ctx context.Context, l *org.Location) error {
	return db.inTx(ctx, func(tx *Tx) error { return insertLocation(ctx, tx, l) })
}

// Partners lists the partner organisations by name.
func (db *DB) Partners(ctx context.Context) ([]org.Partner, error) {
	rows, err := db.query(ctx, `SELECT id, code, name FROM partners ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []org.Partner
	for rows.Next() {
		var p org.Partner
		if err := rows.Scan(&p.ID, &p.Code, &p.Name); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Division returns the division (caseboard holds one per database today).
func (db *DB) Division(ctx context.Context) (org.Division, error) {
	var d org.Division
	err := db.queryRow(ctx, `SELECT id, code, name FROM divisions ORDER BY id LIMIT 1`).Scan(&d.ID, &d.Code, &d.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return d, fault.Errorf(fault.NotFound, "the database has no division yet: run caseboard migrate")
	}
	return d, err
}

// Units lists the units with their heads and staff counts, by name.
func (db *DB) Units(ctx context.Context) ([]org.Unit, error) {
	rows, err := db.query(ctx, `SELECT u.id, u.division_id, u.code, u.name, u.head_title, u.head_id, COALESCE(h.name, ''),
			(SELECT COUNT(*) FROM people p WHERE p.unit_id = u.id AND p.active AND p.partner_id IS NULL)
		FROM units u LEFT JOIN people h ON h.id = u.head_id ORDER BY u.name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []org.Unit
	for rows.Next() {
		var u org.Unit
		var head sql.NullInt64
		if err := rows.Scan(&u.ID, &u.DivisionID, &u.Code, &u.Name, &u.HeadTitle, &head, &u.HeadName, &u.Staff); err != nil {
			return nil, err
		}
		u.HeadID = nullableID(head)
		out = append(out, u)
	}
	return out, rows.Err()
}

// Locations lists offices then overseas posts, with staff counts.
func (db *DB) Locations(ctx context.Context) ([]org.Location, error) {
	rows, err := db.query(ctx, `SELECT l.id, l.code, l.name, l.kind, l.country,
			(SELECT COUNT(*) FROM people p WHERE p.location_id = l.id AND p.active AND p.partner_id IS NULL)
		FROM locations l ORDER BY l.kind, l.name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []org.Location
	for rows.Next() {
		var l org.Location
		var kind string
		if err := rows.Scan(&l.ID, &l.Code, &l.Name, &kind, &l.Country, &l.Staff); err != nil {
			return nil, err
		}
		l.Kind = org.LocationKind(kind)
		out = append(out, l)
	}
	return out, rows.Err()
}

// Teams lists the teams by unit and name.
func (db *DB) Teams(ctx context.Context) ([]org.Team, error) {
	rows, err := db.query(ctx, `SELECT id, name, unit_id, location_id, leader_id FROM teams ORDER BY unit_id, name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []org.Team
	for rows.Next() {
		var t org.Team
		var leader sql.NullInt64
		if err := rows.Scan(&t.ID, &t.Name, &t.UnitID, &t.LocationID, &leader); err != nil {
			return nil, err
		}
		t.LeaderID = nullableID(leader)
		out = append(out, t)
	}
	return out, rows.Err()
}

func nullableID(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	return &n.Int64
}

// PeopleFilter selects and orders people. Codes are stable reference codes.
type PeopleFilter struct {
	Unit     string // unit code
	Location string // location code
	Grade    org.Grade
	Query    string // part of a name or email
	Sort     string // "name" (default), "unit", "location", "grade"
	Desc     bool
	Cursor   string
	Limit    int
}

// PeoplePage is one page of people and the cursor of the next, if any.
type PeoplePage struct {
	People []org.Person `json:"people"`
	Next   string       `json:"next_cursor,omitempty"`
}

// sortColumns maps each permitted sort to its SQL expression; the table is
// the only source of column names that reach the SQL text.
var peopleSortColumns = map[string]string{
	"name":     "p.name",
	"unit":     "u.name",
	"location": "l.name",
	"grade":    "p.grade",
	"email":    "p.email",
}

const personSelect = `SELECT p.id, p.name, p.email, p.grade, p.unit_id, p.location_id, p.team_id, p.line_manager_id,
		p.clearance, p.active, p.created_at, p.updated_at, u.code, u.name, l.code, l.name, COALESCE(t.name, ''), COALESCE(m.name, '')`

const personFrom = ` FROM people p
		JOIN units u ON u.id = p.unit_id
		JOIN locations l ON l.id = p.location_id
		LEFT JOIN teams t ON t.id = p.team_id
		LEFT JOIN people m ON m.id = p.line_manager_id`

// People lists people a page at a time.
// Errors: Invalid (unknown sort or a bad cursor).
func (db *DB) People(ctx context.Context, f PeopleFilter) (PeoplePage, error) {
	sortBy := f.Sort
	if sortBy == "" {
		sortBy = "name"
	}
	column, ok := peopleSortColumns[sortBy]
	if !ok {
		return PeoplePage{}, &fault.Error{Code: fault.Invalid, Message: "the list cannot be sorted that way",
			Fields: []fault.FieldError{{Field: "sort", Message: "Sort by name, unit, location, grade or email"}}}
	}
	after, err := decodeCursor(f.Cursor)
	if err != nil {
		return PeoplePage{}, err
	}
	limit := clampLimit(f.Limit)
	where, args := []string{"p.active"}, []any{}
	if f.Unit != "" {
		where, args = append(where, "u.code = ?"), append(args, f.Unit)
	}
	if f.Location != "" {
		where, args = append(where, "l.code = ?"), append(args, f.Location)
	}
	if f.Grade != "" {
		where, args = append(where, "p.grade = ?"), append(args, string(f.Grade))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		like := db.dialect.caseInsensitiveLike()
		where = append(where, "(p.name "+like+" ? ESCAPE '\\' OR p.email "+like+" ? ESCAPE '\\')")
		pattern := "%" + escapeLike(q) + "%"
		args = append(args, pattern, pattern)
	}
	cmp, dir := ">", "ASC"
	if f.Desc {
		cmp, dir = "<", "DESC"
	}
	if after.ID != 0 {
		// A row value, not (col > ? OR (col = ? AND id > ?)): both databases
		// seek an index on (col, id) with it, where the OR form scans.
		where = append(where, "("+column+", p.id) "+cmp+" (?, ?)")
		args = append(args, after.Key, after.ID)
	}
	query := personSelect + personFrom + " WHERE " + strings.Join(where, " AND ") +
		" ORDER BY " + column + " " + dir + ", p.id " + dir + fmt.Sprintf(" LIMIT %d", limit+1)
	page := PeoplePage{People: make([]org.Person, 0, limit+1)}
	rowOf := newPersonScanner()
	err = db.eachRow(ctx, query, args, func(row scanner) error {
		p, err := rowOf.scan(row)
		page.People = append(page.People, p)
		return err
	})
	if err != nil {
		return PeoplePage{}, err
	}
	if len(page.People) > limit {
		page.People = page.People[:limit]
		last := page.People[limit-1]
		page.Next = cursor{Key: personSortKey(last, sortBy), ID: last.ID}.encode()
	}
	return page, nil
}

// personSortKey is the value of the sort column for a person, which the
// cursor repeats so the next page resumes after it.
func personSortKey(p org.Person, sortBy string) string {
	switch sortBy {
	case "unit":
		return p.UnitName
	case "location":
		return p.LocationName
	case "grade":
		return string(p.Grade)
	case "email":
		return p.Email
	}
	return p.Name
}

func scanPerson(row interface{ Scan(...any) error }) (org.Person, error) {
	return newPersonScanner().scan(row)
}

// personScanner holds the destinations of one person row, made once per query
// and reused for each row: passing fresh addresses to Scan for every row
// put each row's variables on the heap.
type personScanner struct {
	p                org.Person
	team, manager    sql.NullInt64
	grade, clearance string
	dest             []any
}

func newPersonScanner() *personScanner {
	r := &personScanner{}
	r.dest = []any{&r.p.ID, &r.p.Name, &r.p.Email, &r.grade, &r.p.UnitID, &r.p.LocationID, &r.team, &r.manager,
		&r.clearance, &r.p.Active, &r.p.CreatedAt, &r.p.UpdatedAt, &r.p.UnitCode, &r.p.UnitName, &r.p.LocationCode, &r.p.LocationName,
		&r.p.TeamName, &r.p.LineManagerName}
	return r
}

func (r *personScanner) scan(row interface{ Scan(...any) error }) (org.Person, error) {
	err := row.Scan(r.dest...)
	p := r.p
	p.Grade, p.Clearance = org.Grade(r.grade), org.Clearance(r.clearance)
	p.TeamID, p.LineManagerID = nullableID(r.team), nullableID(r.manager)
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	return p, err
}

// Person returns one person by id. Errors: NotFound.
func (db *DB) Person(ctx context.Context, id int64) (org.Person, error) {
	p, err := scanPerson(db.queryRow(ctx, personSelect+personFrom+" WHERE p.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, fault.Errorf(fault.NotFound, "there is no person %d", id)
	}
	return p, err
}

func clampLimit(n int) int {
	switch {
	case n <= 0:
		return 50
	case n > 500:
		return 500
	}
	return n
}

// escapeLike stops % and _ typed by a user acting as wildcards.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// PersonByEmail returns the person with the email. Errors: NotFound.
func (db *DB) PersonByEmail(ctx context.Context, email string) (org.Person, error) {
	p, err := scanPerson(db.queryRow(ctx, personSelect+personFrom+" WHERE p.email = ?", strings.ToLower(strings.TrimSpace(email))))
	if errors.Is(err, sql.ErrNoRows) {
		return p, fault.Errorf(fault.NotFound, "there is nobody with the email %s", email)
	}
	return p, err
}

// AddUnitMembership makes a person a member of a unit beyond their own.
func (db *DB) AddUnitMembership(ctx context.Context, personID, unitID int64) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO person_units (person_id, unit_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, personID, unitID); err != nil {
			return tx.dialect.translate(err)
		}
		return tx.record(ctx, audit.Permission, "account", personID, audit.Fields(map[string]any{"unit_added": unitID}))
	})
}
