package store_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/demo"
	"caseboard/internal/fault"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

// caseWorld is a demo division with accounts, and principals for a few
// people chosen by role.
type caseWorld struct {
	db                                  *store.DB
	lawyer, manager, otherLawyer, admin *access.Principal
	inspector                           *access.Principal
	unitID, locationID                  int64
}

func newCaseWorld(t *testing.T, db *store.DB) caseWorld {
	t.Helper()
	ctx := context.Background()
	seeded(t, db)
	if _, err := db.LoadChart(ctx, demo.Division(3), "test"); err != nil {
		t.Fatal(err)
	}
	w := caseWorld{db: db}
	principal := func(email string) *access.Principal {
		a, err := db.AccountByEmail(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		p, err := db.Principal(ctx, a.PersonID)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	// A specialist prosecutor of organised crime and their line manager.
	page, _ := db.People(ctx, store.PeopleFilter{Unit: "organised_crime", Grade: "specialist_prosecutor", Limit: 500})
	lawyer := page.People[0]
	w.lawyer = principal(lawyer.Email)
	manager, _ := db.Person(ctx, *lawyer.LineManagerID)
	w.manager = principal(manager.Email)
	other, _ := db.People(ctx, store.PeopleFilter{Unit: "extradition", Grade: "specialist_prosecutor", Limit: 1})
	w.otherLawyer = principal(other.People[0].Email)
	w.admin = principal("admin@caseboard.example")
	w.inspector = principal("inspector@caseboard.example")
	w.unitID, w.locationID = lawyer.UnitID, lawyer.LocationID
	return w
}

func (w caseWorld) newCase(t *testing.T, ref string, sensitivity access.Sensitivity) casework.Case {
	t.Helper()
	c := casework.Case{Reference: ref, Kind: casework.Prosecution, Title: "Operation " + ref, UnitID: w.unitID, LocationID: w.locationID,
		Status: "charged", Sensitivity: sensitivity, LawyerID: &w.lawyer.PersonID, ManagerID: nil,
		OpenedOn: time.Date(2018, 3, 1, 0, 0, 0, 0, time.UTC), Agency: "NCA", Court: casework.CrownCourt}
	if err := w.db.CreateCase(context.Background(), w.lawyer, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCases(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newCaseWorld(t, db)
		open := w.newCase(t, "01AA1000118", access.Official)
		secret := w.newCase(t, "01AA2000218", access.Restricted)

		t.Run("RestrictedSeenByTeamAndLine", func(t *testing.T) {
			for name, tc := range map[string]struct {
				p    *access.Principal
				want bool
			}{"lawyer": {w.lawyer, true}, "manager": {w.manager, true}, "other": {w.otherLawyer, false},
				"admin": {w.admin, false}, "inspector": {w.inspector, false}} {
				_, err := db.Case(ctx, tc.p, secret.ID)
				if got := err == nil; got != tc.want {
					t.Errorf("%s sees the restricted case: %v, want %v (err %v)", name, got, tc.want, err)
				}
				if err != nil && fault.CodeOf(err) != fault.NotFound {
					t.Errorf("%s: refusal %v is not a not-found", name, err)
				}
				page, _ := db.Cases(ctx, tc.p, store.CaseFilter{})
				listed := false
				for _, c := range page.Cases {
					listed = listed || c.ID == secret.ID
				}
				if listed != tc.want {
					t.Errorf("%s: restricted case listed %v, want %v", name, listed, tc.want)
				}
			}
		})
		t.Run("RestrictedViewAudited", func(t *testing.T) {
			views, _ := db.AuditEntries(ctx, store.AuditFilter{RecordType: "case", RecordID: itoa(secret.ID)})
			n := 0
			for _, e := range views {
				if e.Action == "view" {
					n++
				}
			}
			if n < 2 {
				t.Fatalf("%d views recorded, want at least the lawyer's and the manager's", n)
			}
		})
		t.Run("ErrChangedSinceRead", func(t *testing.T) {
			first, _ := db.Case(ctx, w.lawyer, open.ID)
			second := first
			first.Title = "Operation Kestrel"
			if err := db.UpdateCase(ctx, w.lawyer, &first); err != nil {
				t.Fatal(err)
			}
			second.Title = "Operation Heron"
			err := db.UpdateCase(ctx, w.lawyer, &second)
			if fault.CodeOf(err) != fault.Conflict || !strings.Contains(err.Error(), "changed since you opened it") {
				t.Fatalf("stale save: %v", err)
			}
			now, _ := db.Case(ctx, w.lawyer, open.ID)
			if now.Title != "Operation Kestrel" || now.Version != 2 {
				t.Fatalf("after a refused stale save: %q v%d", now.Title, now.Version)
			}
		})
		t.Run("ErrCreateOtherUnit", func(t *testing.T) {
			c := casework.Case{Reference: "01XX9", Kind: casework.Prosecution, UnitID: w.unitID, LocationID: w.locationID,
				Status: "charged", Sensitivity: access.Official, OpenedOn: time.Date(2018, 3, 1, 0, 0, 0, 0, time.UTC)}
			if err := db.CreateCase(ctx, w.otherLawyer, &c); fault.CodeOf(err) != fault.Forbidden {
				t.Fatalf("err = %v", err)
			}
		})
		t.Run("ErrWriteOtherUnit", func(t *testing.T) {
			c, _ := db.Case(ctx, w.otherLawyer, open.ID)
			c.Title = "x"
			if err := db.UpdateCase(ctx, w.otherLawyer, &c); fault.CodeOf(err) != fault.Forbidden {
				t.Fatalf("err = %v", err)
			}
		})
		t.Run("Defendants", func(t *testing.T) {
			finalised := time.Date(2018, 9, 3, 0, 0, 0, 0, time.UTC)
			d := casework.Defendant{CaseID: open.ID, Ref: "D1", Name: "Defendant One", Outcome: "guilty_plea",
				FinalisedOn: &finalised, Court: casework.CrownCourt, PrincipalOffence: "drugs_offences"}
			if err := db.SaveDefendant(ctx, w.lawyer, &d); err != nil {
				t.Fatal(err)
			}
			early := time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC)
			bad := casework.Defendant{CaseID: open.ID, Ref: "D2", Outcome: "acquitted", FinalisedOn: &early, Court: casework.CrownCourt, PrincipalOffence: "drugs_offences"}
			fe := fault.As(db.SaveDefendant(ctx, w.lawyer, &bad))
			if fe == nil || !strings.Contains(fe.FieldMessage("finalised_on"), "before the case was opened") {
				t.Fatalf("finalised before opened: %v", fe)
			}
			ds, _ := db.Defendants(ctx, open.ID)
			if len(ds) != 1 || ds[0].Outcome != "guilty_plea" || !ds[0].FinalisedOn.Equal(finalised) {
				t.Fatalf("defendants %+v", ds)
			}
		})
		t.Run("Filters", func(t *testing.T) {
			page, err := db.Cases(ctx, w.manager, store.CaseFilter{Query: "2000218"})
			if err != nil || len(page.Cases) != 1 || page.Cases[0].ID != secret.ID {
				t.Fatalf("query: %+v %v", page.Cases, err)
			}
			page, _ = db.Cases(ctx, w.manager, store.CaseFilter{Unit: "extradition"})
			if len(page.Cases) != 0 {
				t.Fatalf("unit filter leaked %d cases", len(page.Cases))
			}
		})
	})
}

func TestCaseValidation(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	w := newCaseWorld(t, db)
	c := casework.Case{Reference: "bad ref!", Kind: "murder", Status: "lost", Sensitivity: "secret", OpenedOn: time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)}
	fe := fault.As(db.CreateCase(context.Background(), w.lawyer, &c))
	for _, field := range []string{"reference", "kind", "unit_id", "location_id", "status", "sensitivity", "opened_on"} {
		if fe == nil || fe.FieldMessage(field) == "" {
			t.Errorf("no %s error in %v", field, fe)
		}
	}
	page, _ := db.Cases(context.Background(), w.admin, store.CaseFilter{})
	if len(page.Cases) != 0 {
		t.Fatal("an invalid case was stored")
	}
}

func TestCasesPaging(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newCaseWorld(t, db)
		for i := 0; i < 23; i++ {
			c := w.newCase(t, fmt.Sprintf("01PG%05d18", i), access.Official)
			if i%3 == 0 { // some cases share an opening date, so ties are paged by id
				c.OpenedOn = time.Date(2018, 4, 1+i%5, 0, 0, 0, 0, time.UTC)
				if err := db.UpdateCase(ctx, w.lawyer, &c); err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, sort := range []string{"deadline", "opened"} {
			all, _ := db.Cases(ctx, w.lawyer, store.CaseFilter{Sort: sort, Limit: 500})
			var paged []int64
			f := store.CaseFilter{Sort: sort, Limit: 4}
			for {
				page, err := db.Cases(ctx, w.lawyer, f)
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range page.Cases {
					paged = append(paged, c.ID)
				}
				if page.Next == "" {
					break
				}
				f.Cursor = page.Next
			}
			if len(paged) != len(all.Cases) || len(paged) != 23 {
				t.Fatalf("sort %s: paged %d, all %d", sort, len(paged), len(all.Cases))
			}
			for i, c := range all.Cases {
				if paged[i] != c.ID {
					t.Fatalf("sort %s: row %d differs", sort, i)
				}
			}
		}
	})
}

// TestListsReadAsOneRecordDoes holds the lists, which PostgreSQL reads
// through pgx's own row interface, to the same values as reading each
// record alone through database/sql: every column, NULLs, dates and
// times included.
func TestListsReadAsOneRecordDoes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newCaseWorld(t, db)
		decided := time.Date(2018, 4, 14, 0, 0, 0, 0, time.UTC)
		for i := 0; i < 6; i++ {
			c := w.newCase(t, fmt.Sprintf("01LR%05d18", i), access.Official)
			switch i % 3 {
			case 0:
				c.LawyerID, c.PreChargeDecision, c.PreChargeDecidedOn = nil, "charge", &decided
			case 1:
				c.ManagerID, c.SensitiveReason, c.Counsel = &w.manager.PersonID, "Press interest", "Ms A. Example KC"
			}
			if err := db.UpdateCase(ctx, w.lawyer, &c); err != nil {
				t.Fatal(err)
			}
		}
		list, err := db.Cases(ctx, w.admin, store.CaseFilter{Limit: 500})
		if err != nil || len(list.Cases) != 6 {
			t.Fatalf("list: %d cases, %v", len(list.Cases), err)
		}
		var withDate, withoutLawyer int
		for _, listed := range list.Cases {
			alone, err := db.Case(ctx, w.admin, listed.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(listed, alone) {
				t.Errorf("case %d listed as\n%+v\nread alone as\n%+v", listed.ID, listed, alone)
			}
			if listed.PreChargeDecidedOn != nil && listed.PreChargeDecidedOn.Equal(decided) {
				withDate++
			}
			if listed.LawyerID == nil {
				withoutLawyer++
			}
		}
		if withDate != 2 || withoutLawyer != 2 {
			t.Fatalf("%d listed with a decision date and %d without a lawyer, want 2 and 2", withDate, withoutLawyer)
		}
		people, err := db.People(ctx, store.PeopleFilter{Limit: 500})
		if err != nil || len(people.People) < 20 {
			t.Fatalf("people: %d, %v", len(people.People), err)
		}
		var withoutTeam int
		for _, listed := range people.People {
			alone, err := db.Person(ctx, listed.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(listed, alone) {
				t.Fatalf("person %d listed as\n%+v\nread alone as\n%+v", listed.ID, listed, alone)
			}
			if listed.TeamID == nil {
				withoutTeam++
			}
		}
		if withoutTeam == 0 || withoutTeam == len(people.People) {
			t.Fatalf("%d of %d people without a team: the test needs both", withoutTeam, len(people.People))
		}
	})
}
