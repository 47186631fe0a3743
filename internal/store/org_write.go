package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/fault"
	"caseboard/internal/org"
)

// CreatePerson adds a member of staff.
// Errors: Invalid (a field, or a line manager who would make a cycle),
// Conflict (the email is taken).
func (db *DB) CreatePerson(ctx context.Context, p *org.Person) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		return insertPerson(ctx, tx, p)
	})
}

func insertPerson(ctx context.Context, tx *Tx, p *org.Person) error {
	if err := checkLineManager(ctx, tx, 0, p.LineManagerID); err != nil {
		return err
	}
	if err := insertPersonRow(ctx, tx, p, nil); err != nil {
		return fmt.Errorf("insert person %s: %w", p.Email, err)
	}
	if p.LineManagerID != nil {
		if err := rebuildLineReports(ctx, tx); err != nil {
			return err
		}
	}
	return tx.record(ctx, audit.Create, "person", p.ID, audit.Diff(nil, p))
}

// insertPersonRow stores a new, active person, of a partner organisation
// when partner is set, and sets their id.
func insertPersonRow(ctx context.Context, tx *Tx, p *org.Person, partner *int64) error {
	p.Active = true
	p.CreatedAt, p.UpdatedAt = tx.now, tx.now
	id, err := tx.insert(ctx, `INSERT INTO people
		(name, email, grade, unit_id, location_id, team_id, line_manager_id, clearance, active, created_at, updated_at, partner_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.Name, p.Email, string(p.Grade), p.UnitID, p.LocationID, p.TeamID, p.LineManagerID,
		string(p.Clearance), p.Active, p.CreatedAt, p.UpdatedAt, partner)
	if err != nil {
		return tx.dialect.translate(err)
	}
	p.ID = id
	return nil
}

// UpdatePerson saves changes to a person.
// Errors: NotFound, Invalid (a field, or a line manager who would make a
// cycle), Conflict (the email is taken).
func (db *DB) UpdatePerson(ctx context.Context, p *org.Person) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		before, err := scanPerson(tx.queryRow(ctx, personSelect+personFrom+" WHERE p.id = ?", p.ID))
		if err != nil {
			return fault.Errorf(fault.NotFound, "there is no person %d", p.ID)
		}
		if err := checkLineManager(ctx, tx, p.ID, p.LineManagerID); err != nil {
			return err
		}
		p.CreatedAt, p.UpdatedAt = before.CreatedAt, tx.now
		if _, err := tx.exec(ctx, `UPDATE people SET name = ?, email = ?, grade = ?, unit_id = ?, location_id = ?,
			team_id = ?, line_manager_id = ?, clearance = ?, active = ?, updated_at = ? WHERE id = ?`,
			p.Name, p.Email, string(p.Grade), p.UnitID, p.LocationID, p.TeamID, p.LineManagerID,
			string(p.Clearance), p.Active, p.UpdatedAt, p.ID); err != nil {
			return fmt.Errorf("update person %d: %w", p.ID, tx.dialect.translate(err))
		}
		if !sameID(before.LineManagerID, p.LineManagerID) {
			if err := rebuildLineReports(ctx, tx); err != nil {
				return err
			}
		}
		return tx.record(ctx, audit.Update, "person", p.ID, audit.Diff(storedPerson(before), storedPerson(*p)))
	})
}

// storedPerson drops the display-only names so a change record lists only
// what was stored.
func storedPerson(p org.Person) org.Person {
	p.UnitCode, p.UnitName, p.LocationCode, p.LocationName, p.TeamName, p.LineManagerName = "", "", "", "", "", ""
	return p
}

// checkLineManager refuses a line manager who does not exist or who is, up
// the line, managed by the person themselves.
func checkLineManager(ctx context.Context, tx *Tx, personID int64, managerID *int64) error {
	seen := map[int64]bool{personID: true}
	for next := managerID; next != nil; {
		if seen[*next] {
			return &fault.Error{Code: fault.Invalid, Message: "The line manager would make a loop in the line of management",
				Fields: []fault.FieldError{{Field: "line_manager_id", Message: "Choose a line manager who is not managed, directly or through others, by this person"}}}
		}
		seen[*next] = true
		var up *int64
		if err := tx.queryRow(ctx, `SELECT line_manager_id FROM people WHERE id = ?`, *next).Scan(&up); err != nil {
			return &fault.Error{Code: fault.Invalid, Message: "The line manager does not exist",
				Fields: []fault.FieldError{{Field: "line_manager_id", Message: "Choose a line manager from the list"}}}
		}
		next = up
	}
	return nil
}

// ChartSummary counts what LoadChart wrote.
type ChartSummary struct {
	Locations, Teams, People, Partners, Accounts int
}

// LoadChart loads a whole organisation (demo data, or a file) into a
// database that has its starting units, in one transaction: all of it or
// none. It adds locations, teams and people that are new, and refuses
// people whose email already exists. The load is one audit entry, and each
// record it creates is not separately chained.
func (db *DB) LoadChart(ctx context.Context, c org.Chart, source string) (ChartSummary, error) {
	var sum ChartSummary
	err := db.inTx(ctx, func(tx *Tx) error {
		l := chartLoader{tx: tx, units: map[string]int64{}, locations: map[string]int64{}, teams: map[string]int64{},
			people: map[string]int64{}, partners: map[string]int64{}}
		if err := l.readCodes(ctx); err != nil {
			return err
		}
		if err := l.loadPartners(ctx, c.Partners, &sum); err != nil {
			return err
		}
		if err := l.loadLocations(ctx, c.Locations, &sum); err != nil {
			return err
		}
		if err := l.loadTeams(ctx, c.Teams, &sum); err != nil {
			return err
		}
		if err := l.loadPeople(ctx, c.People, &sum); err != nil {
			return err
		}
		if err := l.setLeaders(ctx, c); err != nil {
			return err
		}
		if err := rebuildLineReports(ctx, tx); err != nil {
			return err
		}
		if err := l.loadAccounts(ctx, c.Accounts, &sum); err != nil {
			return err
		}
		return tx.recordRef(ctx, audit.Import, "organisation", source, audit.Fields(map[string]any{
			"source": source, "locations": sum.Locations, "teams": sum.Teams, "people": sum.People,
			"partners": sum.Partners, "accounts": sum.Accounts,
		}))
	})
	return sum, err
}

type chartLoader struct {
	tx                                        *Tx
	units, locations, teams, people, partners map[string]int64
	teamLeaders                               map[string]string
}

func (l *chartLoader) readCodes(ctx context.Context) error {
	for table, into := range map[string]map[string]int64{"units": l.units, "locations": l.locations, "partners": l.partners} {
		rows, err := l.tx.query(ctx, `SELECT code, id FROM `+table)
		if err != nil {
			return err
		}
		for rows.Next() {
			var code string
			var id int64
			if err := rows.Scan(&code, &id); err != nil {
				rows.Close()
				return err
			}
			into[code] = id
		}
		rows.Close()
	}
	return nil
}

func (l *chartLoader) loadLocations(ctx context.Context, locations []org.Location, sum *ChartSummary) error {
	for _, loc := range locations {
		if _, exists := l.locations[loc.Code]; exists {
			continue
		}
		if err := insertLocationQuiet(ctx, l.tx, &loc); err != nil {
			return err
		}
		l.locations[loc.Code] = loc.ID
		sum.Locations++
	}
	return nil
}

func insertLocationQuiet(ctx context.Context, tx *Tx, loc *org.Location) error {
	if err := loc.Validate(); err != nil {
		return fmt.Errorf("location %s: %w", loc.Code, err)
	}
	id, err := tx.insert(ctx, `INSERT INTO locations (code, name, kind, country) VALUES (?, ?, ?, ?)`,
		loc.Code, loc.Name, string(loc.Kind), loc.Country)
	if err != nil {
		return fmt.Errorf("location %s: %w", loc.Code, tx.dialect.translate(err))
	}
	loc.ID = id
	return nil
}

func teamKey(unit, location, name string) string { return unit + "/" + location + "/" + name }

func (l *chartLoader) loadTeams(ctx context.Context, teams []org.ChartTeam, sum *ChartSummary) error {
	for _, t := range teams {
		unitID, locationID := l.units[t.UnitCode], l.locations[t.LocationCode]
		team := org.Team{Name: t.Name, UnitID: unitID, LocationID: locationID}
		if err := team.Validate(); err != nil {
			return fmt.Errorf("team %q (unit %q, location %q): %w", t.Name, t.UnitCode, t.LocationCode, err)
		}
		id, err := l.tx.insert(ctx, `INSERT INTO teams (name, unit_id, location_id) VALUES (?, ?, ?)`, t.Name, unitID, locationID)
		if err != nil {
			return fmt.Errorf("team %q: %w", t.Name, l.tx.dialect.translate(err))
		}
		l.teams[teamKey(t.UnitCode, t.LocationCode, t.Name)] = id
		sum.Teams++
	}
	return nil
}

func (l *chartLoader) loadPeople(ctx context.Context, people []org.ChartPerson, sum *ChartSummary) error {
	for i, cp := range people {
		p, err := l.person(cp)
		if err != nil {
			return fmt.Errorf("person %d (%s): %w", i+1, cp.Email, err)
		}
		var partner *int64
		if cp.PartnerCode != "" {
			id, ok := l.partners[cp.PartnerCode]
			if !ok {
				return fmt.Errorf("person %d (%s): partner %q is not in the chart", i+1, cp.Email, cp.PartnerCode)
			}
			partner = &id
		}
		if err := insertPersonRow(ctx, l.tx, &p, partner); err != nil {
			return fmt.Errorf("person %d (%s): %w", i+1, cp.Email, err)
		}
		l.people[p.Email] = p.ID
		sum.People++
	}
	return nil
}

func (l *chartLoader) person(cp org.ChartPerson) (org.Person, error) {
	p := org.Person{Name: cp.Name, Email: cp.Email, Grade: cp.Grade, Clearance: cp.Clearance,
		UnitID: l.units[cp.UnitCode], LocationID: l.locations[cp.LocationCode]}
	if cp.TeamName != "" {
		id, ok := l.teams[teamKey(cp.UnitCode, cp.LocationCode, cp.TeamName)]
		if !ok {
			return p, fault.Errorf(fault.Invalid, "team %q is not a team of unit %s at %s", cp.TeamName, cp.UnitCode, cp.LocationCode)
		}
		p.TeamID = &id
	}
	if cp.LineManagerEmail != "" {
		id, ok := l.people[cp.LineManagerEmail]
		if !ok {
			return p, fault.Errorf(fault.Invalid, "line manager %s must come earlier in the list", cp.LineManagerEmail)
		}
		p.LineManagerID = &id
	}
	return p, p.Validate()
}

func (l *chartLoader) setLeaders(ctx context.Context, c org.Chart) error {
	for _, t := range c.Teams {
		if t.LeaderEmail == "" {
			continue
		}
		leader, ok := l.people[t.LeaderEmail]
		if !ok {
			return fault.Errorf(fault.Invalid, "team %q: leader %s is not in the chart", t.Name, t.LeaderEmail)
		}
		if _, err := l.tx.exec(ctx, `UPDATE teams SET leader_id = ? WHERE id = ?`, leader, l.teams[teamKey(t.UnitCode, t.LocationCode, t.Name)]); err != nil {
			return err
		}
	}
	for unit, email := range c.UnitHeads {
		head, ok := l.people[email]
		if !ok {
			return fault.Errorf(fault.Invalid, "unit %s: head %s is not in the chart", unit, email)
		}
		if _, err := l.tx.exec(ctx, `UPDATE units SET head_id = ? WHERE code = ?`, head, unit); err != nil {
			return err
		}
	}
	return nil
}

func (l *chartLoader) loadPartners(ctx context.Context, partners []org.Partner, sum *ChartSummary) error {
	for _, p := range partners {
		if _, exists := l.partners[p.Code]; exists {
			continue
		}
		id, err := l.tx.insert(ctx, `INSERT INTO partners (code, name) VALUES (?, ?)`, p.Code, p.Name)
		if err != nil {
			return fmt.Errorf("partner %s: %w", p.Code, l.tx.dialect.translate(err))
		}
		l.partners[p.Code] = id
		sum.Partners++
	}
	return nil
}

func (l *chartLoader) loadAccounts(ctx context.Context, accounts []org.ChartAccount, sum *ChartSummary) error {
	for _, a := range accounts {
		personID, ok := l.people[a.Email]
		if !ok {
			return fault.Errorf(fault.Invalid, "account %s: no such person in the chart", a.Email)
		}
		if _, err := l.tx.exec(ctx, `INSERT INTO accounts (person_id, password_hash, disabled, created_at, password_changed_at) VALUES (?, ?, FALSE, ?, ?)`,
			personID, a.PasswordHash, l.tx.now, l.tx.now); err != nil {
			return fmt.Errorf("account %s: %w", a.Email, l.tx.dialect.translate(err))
		}
		for _, r := range a.Roles {
			if !access.Role(r).Valid() {
				return fmt.Errorf("account %s: %w", a.Email, unknownRole(access.Role(r)))
			}
			if _, err := l.tx.exec(ctx, `INSERT INTO person_roles (person_id, role) VALUES (?, ?)`, personID, r); err != nil {
				return fmt.Errorf("account %s: %w", a.Email, l.tx.dialect.translate(err))
			}
		}
		sum.Accounts++
	}
	return nil
}

// UpdateUnit saves a unit's name, head title and head.
// Errors: NotFound, Invalid (a field, or a head who does not exist).
func (db *DB) UpdateUnit(ctx context.Context, u *org.Unit) error {
	if err := u.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		var before org.Unit
		var head sql.NullInt64
		err := tx.queryRow(ctx, `SELECT id, division_id, code, name, head_title, head_id FROM units WHERE id = ?`, u.ID).
			Scan(&before.ID, &before.DivisionID, &before.Code, &before.Name, &before.HeadTitle, &head)
		if errors.Is(err, sql.ErrNoRows) {
			return fault.Errorf(fault.NotFound, "there is no unit %d", u.ID)
		} else if err != nil {
			return err
		}
		before.HeadID = nullableID(head)
		u.DivisionID = before.DivisionID
		if _, err := tx.exec(ctx, `UPDATE units SET code = ?, name = ?, head_title = ?, head_id = ? WHERE id = ?`,
			u.Code, u.Name, u.HeadTitle, u.HeadID, u.ID); err != nil {
			return fmt.Errorf("update unit %d: %w", u.ID, tx.dialect.translate(err))
		}
		return tx.record(ctx, audit.Update, "unit", u.ID, audit.Diff(before, storedUnit(*u)))
	})
}

// storedUnit drops the figures computed for display.
func storedUnit(u org.Unit) org.Unit {
	u.HeadName, u.Staff = "", 0
	return u
}

// UpdateLocation saves a location's name. Its code, kind and country
// identify it in files and the API, and do not change.
// Errors: NotFound, Invalid.
func (db *DB) UpdateLocation(ctx context.Context, l *org.Location) error {
	if err := l.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		var before org.Location
		var kind string
		err := tx.queryRow(ctx, `SELECT id, code, name, kind, country FROM locations WHERE id = ?`, l.ID).
			Scan(&before.ID, &before.Code, &before.Name, &kind, &before.Country)
		if errors.Is(err, sql.ErrNoRows) {
			return fault.Errorf(fault.NotFound, "there is no location %d", l.ID)
		} else if err != nil {
			return err
		}
		before.Kind = org.LocationKind(kind)
		if l.Code != before.Code || l.Kind != before.Kind || l.Country != before.Country {
			return &fault.Error{Code: fault.Invalid, Message: "A location's code, kind and country cannot change; add a new location instead",
				Fields: []fault.FieldError{{Field: "code", Message: "Leave the code as " + before.Code}}}
		}
		if _, err := tx.exec(ctx, `UPDATE locations SET name = ? WHERE id = ?`, l.Name, l.ID); err != nil {
			return tx.dialect.translate(err)
		}
		return tx.record(ctx, audit.Update, "location", l.ID, audit.Diff(before, *l))
	})
}

func sameID(a, b *int64) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}
