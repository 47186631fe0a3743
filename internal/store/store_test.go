package store_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"caseboard/internal/audit"
	"caseboard/internal/demo"
	"caseboard/internal/fault"
	"caseboard/internal/org"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

func TestMigrate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		t.Run("Idempotent", func(t *testing.T) {
			applied, err := db.Migrate(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(applied) != 0 {
				t.Fatalf("second migrate applied %v, want nothing", applied)
			}
			current, known, err := db.SchemaVersion(ctx)
			if err != nil || current != known || known < 3 {
				t.Fatalf("schema version %d of %d (err %v)", current, known, err)
			}
		})
		t.Run("ErrNewerSchema", func(t *testing.T) {
			list, _ := store.Migrations()
			_, err := store.MigrateWith(ctx, db, list[:len(list)-1])
			if fault.CodeOf(err) != fault.Conflict || !strings.Contains(err.Error(), "newer than this caseboard knows") {
				t.Fatalf("err = %v, want a refusal to run against a newer schema", err)
			}
		})
		t.Run("ErrHalfWayRollsBack", func(t *testing.T) {
			list, _ := store.Migrations()
			bad := store.Migration{Version: len(list) + 1, Name: "bad",
				SQL: "CREATE TABLE half_done (id INTEGER); INSERT INTO no_such_table VALUES (1);"}
			_, err := store.MigrateWith(ctx, db, append(list, bad))
			if err == nil || !strings.Contains(err.Error(), "nothing of it was applied") {
				t.Fatalf("err = %v, want the failed migration named", err)
			}
			current, _, _ := db.SchemaVersion(ctx)
			if current != len(list) {
				t.Fatalf("schema at %d after a failed migration, want %d", current, len(list))
			}
			if store.TableExists(ctx, db, "half_done") {
				t.Fatal("a table from the failed migration survived")
			}
		})
	})
}

func TestReadMigrations(t *testing.T) {
	for name, files := range map[string]fstest.MapFS{
		"ErrGap":       {"0001_a.sql": {}, "0003_c.sql": {}},
		"ErrDuplicate": {"0001_a.sql": {}, "01_b.sql": {}},
		"ErrBadName":   {"first.sql": {}},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := store.ReadMigrations(files); err == nil {
				t.Fatal("bad migration set accepted")
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	t.Run("ErrUnwritableDirectory", func(t *testing.T) {
		_, err := store.Open(ctx, "/proc/caseboard/x.db")
		if fault.CodeOf(err) != fault.Unavailable || !strings.Contains(err.Error(), "data directory") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("ErrUnreachablePostgres", func(t *testing.T) {
		_, err := store.Open(ctx, "postgres://nobody@127.0.0.1:1/none?connect_timeout=1")
		if fault.CodeOf(err) != fault.Unavailable {
			t.Fatalf("err = %v, want unavailable", err)
		}
	})
	t.Run("ErrEmpty", func(t *testing.T) {
		if _, err := store.Open(ctx, ""); fault.CodeOf(err) != fault.Invalid {
			t.Fatalf("err = %v", err)
		}
	})
}

func seeded(t *testing.T, db *store.DB) {
	t.Helper()
	if ok, err := db.SeedOrganisation(context.Background()); err != nil || !ok {
		t.Fatalf("seed: %v %v", ok, err)
	}
}

func TestSeedOrganisation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seeded(t, db)
		again, err := db.SeedOrganisation(ctx)
		if err != nil || again {
			t.Fatalf("second seed ran: %v %v", again, err)
		}
		units, err := db.Units(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var codes []string
		for _, u := range units {
			codes = append(codes, u.Code)
		}
		if got := strings.Join(codes, ","); got != "extradition,international,strategy_and_policy,organised_crime" {
			t.Fatalf("units %s", got)
		}
		locs, _ := db.Locations(ctx)
		if len(locs) != 4 || locs[0].Country != "GB" {
			t.Fatalf("locations %+v", locs)
		}
	})
}

func loadDemo(t *testing.T, db *store.DB) store.ChartSummary {
	t.Helper()
	seeded(t, db)
	sum, err := db.LoadChart(context.Background(), demo.Organisation(1), "demo seed 1")
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

func TestLoadChart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		chart := demo.Organisation(1)
		sum := loadDemo(t, db)
		if sum.People != len(chart.People) || sum.Teams != len(chart.Teams) {
			t.Fatalf("summary %+v for %d people, %d teams", sum, len(chart.People), len(chart.Teams))
		}
		units, _ := db.Units(ctx)
		total := 0
		for _, u := range units {
			total += u.Staff
			if u.HeadID == nil || u.HeadName == "" {
				t.Errorf("unit %s has no head", u.Code)
			}
		}
		if total != len(chart.People) {
			t.Fatalf("units count %d staff, chart has %d", total, len(chart.People))
		}
		t.Run("ErrAgainChangesNothing", func(t *testing.T) {
			_, err := db.LoadChart(ctx, chart, "again")
			if fault.CodeOf(err) != fault.Conflict {
				t.Fatalf("err = %v, want conflict", err)
			}
			page, _ := db.People(ctx, store.PeopleFilter{Limit: 500})
			if len(page.People) != len(chart.People) {
				t.Fatalf("%d people after a refused load, want %d", len(page.People), len(chart.People))
			}
		})
	})
}

func TestPeoplePaging(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		loadDemo(t, db)
		for _, sort := range []string{"name", "unit", "location", "grade", "email"} {
			for _, desc := range []bool{false, true} {
				all, _ := db.People(ctx, store.PeopleFilter{Sort: sort, Desc: desc, Limit: 500})
				var paged []org.Person
				f := store.PeopleFilter{Sort: sort, Desc: desc, Limit: 7}
				for {
					page, err := db.People(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					paged = append(paged, page.People...)
					if page.Next == "" {
						break
					}
					f.Cursor = page.Next
				}
				if len(paged) != len(all.People) {
					t.Fatalf("sort %s desc %v: paged %d, all %d", sort, desc, len(paged), len(all.People))
				}
				for i := range paged {
					if paged[i].ID != all.People[i].ID {
						t.Fatalf("sort %s desc %v: row %d differs", sort, desc, i)
					}
				}
			}
		}
		t.Run("Filter", func(t *testing.T) {
			page, _ := db.People(ctx, store.PeopleFilter{Unit: "extradition", Location: "petty_france", Limit: 500})
			if len(page.People) == 0 {
				t.Fatal("no extradition staff")
			}
			for _, p := range page.People {
				if p.UnitCode != "extradition" || p.LocationCode != "petty_france" {
					t.Fatalf("filter leaked %+v", p)
				}
			}
		})
		t.Run("QueryIsNotAPattern", func(t *testing.T) {
			page, _ := db.People(ctx, store.PeopleFilter{Query: "%"})
			if len(page.People) != 0 {
				t.Fatalf("%% matched %d people", len(page.People))
			}
			page, _ = db.People(ctx, store.PeopleFilter{Query: "' OR 1=1 --"})
			if len(page.People) != 0 {
				t.Fatalf("SQL text matched %d people", len(page.People))
			}
		})
		t.Run("ErrBadCursor", func(t *testing.T) {
			_, err := db.People(ctx, store.PeopleFilter{Cursor: "not-a-cursor"})
			if fault.CodeOf(err) != fault.Invalid {
				t.Fatalf("err = %v", err)
			}
		})
		t.Run("ErrBadSort", func(t *testing.T) {
			_, err := db.People(ctx, store.PeopleFilter{Sort: "name; DROP TABLE people"})
			if fault.CodeOf(err) != fault.Invalid {
				t.Fatalf("err = %v", err)
			}
		})
	})
}

func TestUpdatePerson(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := audit.WithActor(context.Background(), audit.Actor{Label: "tester", Address: "192.0.2.1", RequestID: "req-1"})
		loadDemo(t, db)
		page, _ := db.People(ctx, store.PeopleFilter{Unit: "extradition", Limit: 500})
		p := page.People[0]
		p.Name = "Renamed Person"
		if err := db.UpdatePerson(ctx, &p); err != nil {
			t.Fatal(err)
		}
		got, _ := db.Person(ctx, p.ID)
		if got.Name != "Renamed Person" {
			t.Fatalf("name %q", got.Name)
		}
		entries, _ := db.AuditEntries(ctx, store.AuditFilter{RecordType: "person", RecordID: itoa(p.ID)})
		last := entries[len(entries)-1]
		if last.Action != audit.Update || last.Actor != "tester" || last.Address != "192.0.2.1" ||
			!strings.Contains(last.Changes, `"name":{"from":`) || strings.Contains(last.Changes, "grade") {
			t.Fatalf("audit entry %+v", last)
		}
		t.Run("ErrLineManagerCycle", func(t *testing.T) {
			// Make the person's manager report to the person.
			manager, _ := db.Person(ctx, *got.LineManagerID)
			manager.LineManagerID = &got.ID
			err := db.UpdatePerson(ctx, &manager)
			fe := fault.As(err)
			if fe == nil || fe.FieldMessage("line_manager_id") == "" {
				t.Fatalf("err = %v, want a line_manager_id problem", err)
			}
			unchanged, _ := db.Person(ctx, manager.ID)
			if unchanged.LineManagerID != nil && *unchanged.LineManagerID == got.ID {
				t.Fatal("the cycle was stored")
			}
		})
		t.Run("ErrDuplicateEmail", func(t *testing.T) {
			other := page.People[1]
			other.Email = got.Email
			if err := db.UpdatePerson(ctx, &other); fault.CodeOf(err) != fault.Conflict {
				t.Fatalf("err = %v", err)
			}
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			bad := got
			bad.Email, bad.Grade = "not an email", "wizard"
			err := db.UpdatePerson(ctx, &bad)
			fe := fault.As(err)
			if fe == nil || fe.FieldMessage("email") == "" || fe.FieldMessage("grade") == "" {
				t.Fatalf("err = %v", err)
			}
		})
	})
}

func TestAuditChain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		loadDemo(t, db)
		n, brk, err := db.VerifyAudit(ctx)
		if err != nil || brk != nil || n < 10 {
			t.Fatalf("fresh chain: %d entries, break %+v, err %v", n, brk, err)
		}
		tamper := func(t *testing.T, sql string, wantSeq int64) {
			t.Helper()
			if err := store.ExecForTest(ctx, db, sql); err != nil {
				t.Fatal(err)
			}
			_, brk, err := db.VerifyAudit(ctx)
			if err != nil || brk == nil || brk.Seq != wantSeq {
				t.Fatalf("after %q: break %+v (err %v), want at %d", sql, brk, err, wantSeq)
			}
		}
		t.Run("ChangedField", func(t *testing.T) {
			tamper(t, "UPDATE audit_entries SET actor = 'someone else' WHERE seq = 5", 5)
			store.ExecForTest(ctx, db, "UPDATE audit_entries SET actor = 'system' WHERE seq = 5")
		})
		t.Run("DeletedRow", func(t *testing.T) {
			tamper(t, "DELETE FROM audit_entries WHERE seq = 3", 3)
		})
	})
}

func TestAuditReorderDetected(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		loadDemo(t, db)
		// Swap the content of entries 2 and 3, keeping their sequence numbers.
		err := store.ExecForTest(ctx, db, `UPDATE audit_entries SET seq = -2 WHERE seq = 2;
			UPDATE audit_entries SET seq = 2 WHERE seq = 3;
			UPDATE audit_entries SET seq = 3 WHERE seq = -2`)
		if err != nil {
			t.Fatal(err)
		}
		_, brk, _ := db.VerifyAudit(ctx)
		if brk == nil || brk.Seq != 2 {
			t.Fatalf("reorder: break %+v, want at 2", brk)
		}
	})
}

func TestBackup(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, store.SQLite)
	loadDemo(t, db)
	target := filepath.Join(t.TempDir(), "copy.db")
	if err := db.Backup(ctx, target); err != nil {
		t.Fatal(err)
	}
	t.Run("ErrExists", func(t *testing.T) {
		if err := db.Backup(ctx, target); fault.CodeOf(err) != fault.Conflict {
			t.Fatalf("err = %v", err)
		}
	})
	restored, err := store.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	a, _ := db.People(ctx, store.PeopleFilter{Limit: 500})
	b, _ := restored.People(ctx, store.PeopleFilter{Limit: 500})
	if len(a.People) != len(b.People) || a.People[0].Email != b.People[0].Email || !a.People[0].CreatedAt.Equal(b.People[0].CreatedAt) {
		t.Fatalf("restored copy differs: %d vs %d people", len(a.People), len(b.People))
	}
	if _, brk, _ := restored.VerifyAudit(ctx); brk != nil {
		t.Fatalf("restored chain broken at %+v", brk)
	}
	t.Run("ErrPostgres", func(t *testing.T) {
		pg := storetest.Open(t, store.Postgres)
		err := pg.Backup(ctx, filepath.Join(t.TempDir(), "x"))
		if !errors.Is(err, store.ErrUsePgDump) {
			t.Fatalf("err = %v", err)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestRecordView(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		id := int64(7)
		ctx := audit.WithActor(context.Background(), audit.Actor{PersonID: &id, Label: "viewer", Address: "192.0.2.7", RequestID: "r7"})
		if err := db.RecordView(ctx, "case", 42); err != nil {
			t.Fatal(err)
		}
		entries, _ := db.AuditEntries(ctx, store.AuditFilter{RecordType: "case", RecordID: "42"})
		if len(entries) != 1 || entries[0].Action != audit.View || *entries[0].ActorID != 7 || entries[0].Address != "192.0.2.7" {
			t.Fatalf("view entries %+v", entries)
		}
		if _, brk, _ := db.VerifyAudit(ctx); brk != nil {
			t.Fatalf("chain broken: %+v", brk)
		}
	})
}

// TestAuditLongTransaction appends many entries in one transaction, as an
// import does, and checks the chain and its head stay whole.
func TestAuditLongTransaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := store.AppendViews(ctx, db, 5000); err != nil {
			t.Fatal(err)
		}
		if err := store.AppendViews(ctx, db, 3); err != nil {
			t.Fatal(err)
		}
		n, brk, err := db.VerifyAudit(ctx)
		if err != nil || brk != nil || n != 5003 {
			t.Fatalf("verified %d, break %+v, err %v", n, brk, err)
		}
		if err := store.ExecForTest(ctx, db, "UPDATE audit_entries SET record_id = '9' WHERE seq = 4500"); err != nil {
			t.Fatal(err)
		}
		if _, brk, _ := db.VerifyAudit(ctx); brk == nil || brk.Seq != 4500 {
			t.Fatalf("an altered entry deep in a batch: break %+v, want at 4500", brk)
		}
	})
}

// TestLineReportsFollowChanges checks that who a person manages, directly
// or through others, follows a change of line manager at once.
func TestLineReportsFollowChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seeded(t, db)
		if _, err := db.LoadChart(ctx, demo.Division(1), "test"); err != nil { // with accounts, which principals need
			t.Fatal(err)
		}
		page, _ := db.People(ctx, store.PeopleFilter{Grade: "paralegal_officer", Limit: 1})
		paralegal := page.People[0]
		oldManager, _ := db.Person(ctx, *paralegal.LineManagerID)
		others, _ := db.People(ctx, store.PeopleFilter{Grade: "legal_manager_2", Limit: 500})
		var newManager org.Person
		for _, m := range others.People {
			if m.ID != oldManager.ID && m.UnitID != paralegal.UnitID {
				newManager = m
				break
			}
		}
		manages := func(managerID, personID int64) bool {
			p, err := db.Principal(ctx, managerID)
			if err != nil {
				t.Fatal(err)
			}
			return slices.Contains(p.Reports, personID)
		}
		if !manages(oldManager.ID, paralegal.ID) || manages(newManager.ID, paralegal.ID) {
			t.Fatal("line management wrong before the change")
		}
		paralegal.LineManagerID = &newManager.ID
		if err := db.UpdatePerson(ctx, &paralegal); err != nil {
			t.Fatal(err)
		}
		if manages(oldManager.ID, paralegal.ID) || !manages(newManager.ID, paralegal.ID) || !manages(*newManager.LineManagerID, paralegal.ID) {
			t.Fatal("line management did not follow the change, directly and through the new manager's own manager")
		}
	})
}

// TestRefreshStatisticsStaysInItsSchema: on PostgreSQL the statistics of
// caseboard's own tables are refreshed and another schema of the same
// database is left alone (a bare ANALYZE read them all).
func TestRefreshStatisticsStaysInItsSchema(t *testing.T) {
	db := storetest.Open(t, store.Postgres)
	ctx := context.Background()
	seeded(t, db)
	other := fmt.Sprintf("other_service_%d", time.Now().UnixNano())
	for _, q := range []string{
		"CREATE SCHEMA " + other,
		"CREATE TABLE " + other + ".things (id BIGINT)",
		"INSERT INTO " + other + ".things SELECT generate_series(1, 1000)",
	} {
		if err := store.ExecForTest(ctx, db, q); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { store.ExecForTest(context.Background(), db, "DROP SCHEMA "+other+" CASCADE") })
	if err := db.RefreshStatistics(ctx); err != nil {
		t.Fatal(err)
	}
	// ANALYZE sets a table's row estimate; one never analysed has -1.
	tuples := func(schema, table string) int64 {
		ids, err := store.QueryIDs(ctx, db, `SELECT c.reltuples::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = `+schema+` AND c.relname = '`+table+`'`)
		if err != nil || len(ids) != 1 {
			t.Fatalf("%s.%s: %v %v", schema, table, ids, err)
		}
		return ids[0]
	}
	if n := tuples("current_schema()", "units"); n < 4 {
		t.Fatalf("units estimated at %d rows after the refresh", n)
	}
	if n := tuples("'"+other+"'", "things"); n != -1 {
		t.Fatalf("another schema's table was analysed: %d rows estimated", n)
	}
}
