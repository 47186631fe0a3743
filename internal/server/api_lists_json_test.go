package server

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/demo"
	"caseboard/internal/org"
	"caseboard/internal/store"
)

// encoderOutput is what writeJSON's encoder writes for v.
func encoderOutput(t testing.TB, v any) string {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestPeopleJSONMatchesEncoder(t *testing.T) {
	chart := demo.Division(2019)
	var people []org.Person
	team, manager := int64(3), int64(9)
	for i, p := range chart.People {
		person := org.Person{ID: int64(i + 1), Name: p.Name, Email: p.Email, Grade: p.Grade, UnitID: 2, LocationID: 1,
			Clearance: p.Clearance, Active: i%7 != 0, UnitCode: p.UnitCode, LocationCode: p.LocationCode,
			CreatedAt: time.Date(2026, 11, 2, 10, 4, 5, 123456000, time.UTC), UpdatedAt: time.Date(2026, 11, 2, 10, 4, 5, 0, time.FixedZone("", 3600))}
		if i%2 == 0 {
			person.TeamID, person.TeamName = &team, "Team <1> & \"friends\""
		}
		if i%3 == 0 {
			person.LineManagerID, person.LineManagerName = &manager, "O'Brien\u2028\t\x01\xff"
		}
		people = append(people, person)
	}
	for _, page := range []store.PeoplePage{{People: people, Next: "eyJrIjoiYSJ9"}, {People: []org.Person{}}, {}} {
		got, want := string(appendPeoplePage(nil, page)), encoderOutput(t, page)
		if got != want {
			t.Fatalf("hand-written JSON differs from encoding/json:\n got %.300s\nwant %.300s", got, want)
		}
	}
}

func FuzzPeopleJSON(f *testing.F) {
	f.Add(int64(1), "Ada <Lovelace>", "ada@caseboard.example", "grade", "cursor", true, int64(0), 0)
	f.Add(int64(-5), "\xff\xfe\u2029", "\x00\x1f\"\\", "", "", false, int64(1e18), 13*3600)
	f.Fuzz(func(t *testing.T, id int64, name, email, text, next string, withTeam bool, nanos int64, offset int) {
		offset %= 18 * 3600
		p := org.Person{ID: id, Name: name, Email: email, Grade: org.Grade(text), UnitCode: text, LineManagerName: name,
			Clearance: org.Clearance(email), Active: withTeam,
			CreatedAt: time.Unix(0, nanos%(1<<62)).In(time.FixedZone("", offset)), UpdatedAt: time.Unix(nanos%1e10, 0).UTC()}
		if withTeam {
			p.TeamID = &id
		}
		page := store.PeoplePage{People: []org.Person{p, p}, Next: next}
		if y := p.CreatedAt.Year(); y < 0 || y > 9999 {
			return // outside what time.Time's MarshalJSON accepts
		}
		if got, want := string(appendPeoplePage(nil, page)), encoderOutput(t, page); got != want {
			t.Fatalf("got  %q\nwant %q", got, want)
		}
	})
}

func TestCasesJSONMatchesEncoder(t *testing.T) {
	var cases []casework.Case
	lawyer := int64(12)
	decided := time.Date(2018, 3, 1, 0, 0, 0, 0, time.UTC)
	for i, lc := range demo.LiveCases(demo.Division(2019), 2019, time.Date(2018, 7, 2, 0, 0, 0, 0, time.UTC)) {
		c := lc.Case
		c.ID, c.UnitID, c.LocationID, c.Version, c.Defendants = int64(i+1), 3, 4, int64(i%4+1), i%5
		c.UnitCode, c.LocationCode = lc.UnitCode, lc.LocationCode
		c.CreatedAt = time.Date(2026, 11, 2, 10, 4, 5, 123456789, time.UTC)
		c.UpdatedAt = time.Date(2026, 11, 2, 10, 4, 5, 0, time.FixedZone("", -5*3600))
		c.NextDeadline = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
		if i%2 == 0 {
			c.LawyerID, c.LawyerName = &lawyer, "Siobhán O'Neill <lead> & co"
		}
		if i%3 == 0 {
			c.ManagerID, c.PreChargeDecidedOn, c.SensitiveReason = &lawyer, &decided, "Press interest\u2028\t\x01\xff"
		}
		cases = append(cases, c)
	}
	if len(cases) < 100 {
		t.Fatalf("the demo has %d live cases; the test needs its variety", len(cases))
	}
	for _, page := range []store.CasePage{{Cases: cases, Next: "eyJrIjoiYSJ9"}, {Cases: []casework.Case{}}, {}} {
		got, want := string(appendCasesPage(nil, page)), encoderOutput(t, page)
		if got != want {
			t.Fatalf("hand-written JSON differs from encoding/json:\n got %.300s\nwant %.300s", got, want)
		}
	}
}

func FuzzCasesJSON(f *testing.F) {
	f.Add(int64(1), "URN 01AB<>", "Operation & \"Kestrel\"", "charged", "cursor", true, int64(0), 0)
	f.Add(int64(-5), "\xff\xfe\u2029", "\x00\x1f\"\\", "", "", false, int64(1e18), 13*3600)
	f.Fuzz(func(t *testing.T, id int64, reference, title, text, next string, withLawyer bool, nanos int64, offset int) {
		offset %= 18 * 3600
		when := time.Unix(0, nanos%(1<<62)).In(time.FixedZone("", offset))
		if y := when.Year(); y < 0 || y > 9999 {
			return // outside what time.Time's MarshalJSON accepts
		}
		c := casework.Case{ID: id, Reference: reference, Kind: casework.Kind(text), Title: title, Status: casework.Status(text),
			Sensitivity: access.Sensitivity(text), OpenedOn: when, Agency: text, Court: casework.Court(title), Country: reference,
			SensitiveReason: title, Version: id, CreatedAt: when, UpdatedAt: when.UTC(), NextDeadline: when, LawyerName: text,
			Defendants: int(id % 1000)}
		if withLawyer {
			c.LawyerID, c.PreChargeDecidedOn = &id, &when
		}
		page := store.CasePage{Cases: []casework.Case{c, c}, Next: next}
		if got, want := string(appendCasesPage(nil, page)), encoderOutput(t, page); got != want {
			t.Fatalf("got  %q\nwant %q", got, want)
		}
	})
}
