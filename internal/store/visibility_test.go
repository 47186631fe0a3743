package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"caseboard/internal/access"
	"caseboard/internal/org"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

// TestVisibleToAgreesWithCan builds random records with random teams and
// shares in a real table, and checks for many principals that the SQL
// filter returns exactly the records access.Can allows.
func TestVisibleToAgreesWithCan(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		exec := func(q string, args ...any) {
			t.Helper()
			if err := store.ExecArgs(ctx, db, q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		exec(`INSERT INTO divisions (code, name) VALUES ('d', 'D')`)
		for u := 1; u <= 3; u++ {
			exec(`INSERT INTO units (division_id, code, name, head_title) VALUES (1, ?, ?, 'Head')`, fmt.Sprintf("u%d", u), fmt.Sprintf("U%d", u))
		}
		exec(`INSERT INTO locations (code, name, kind, country) VALUES ('l', 'L', 'office', 'GB')`)
		for p := 1; p <= 12; p++ {
			exec(`INSERT INTO people (name, email, grade, unit_id, location_id, clearance, active, created_at, updated_at)
					VALUES (?, ?, 'specialist_prosecutor', 1, 1, 'sc', TRUE, ?, ?)`, fmt.Sprintf("P%d", p), fmt.Sprintf("p%d@x.example", p), db.Now(), db.Now())
		}
		exec(`INSERT INTO partners (code, name) VALUES ('nca', 'NCA'), ('met', 'Met')`)
		exec(`CREATE TABLE test_records (id INTEGER PRIMARY KEY, unit_id BIGINT NOT NULL, sensitivity TEXT NOT NULL)`)

		rng := rand.New(rand.NewPCG(1, 2))
		sensitivities := []access.Sensitivity{access.Official, access.OfficialSensitive, access.Restricted}
		records := map[int64]access.Record{}
		for id := int64(1); id <= 120; id++ {
			r := access.Record{UnitID: int64(1 + rng.IntN(3)), Sensitivity: sensitivities[rng.IntN(3)]}
			for p := int64(1); p <= 12; p++ {
				switch rng.IntN(12) {
				case 0:
					r.Team = append(r.Team, p)
					exec(`INSERT INTO record_team (record_type, record_id, person_id) VALUES ('test', ?, ?)`, id, p)
				case 1:
					r.SharedPeople = append(r.SharedPeople, p)
					exec(`INSERT INTO record_shares (record_type, record_id, person_id) VALUES ('test', ?, ?)`, id, p)
				}
			}
			if rng.IntN(4) == 0 {
				partner := int64(1 + rng.IntN(2))
				r.SharedPartners = append(r.SharedPartners, partner)
				exec(`INSERT INTO record_shares (record_type, record_id, partner_id) VALUES ('test', ?, ?)`, id, partner)
			}
			// A share of the same id under another record type must not leak.
			exec(`INSERT INTO record_shares (record_type, record_id, person_id) VALUES ('other', ?, 1)`, id)
			exec(`INSERT INTO test_records (id, unit_id, sensitivity) VALUES (?, ?, ?)`, id, r.UnitID, string(r.Sensitivity))
			records[id] = r
		}

		roles := [][]access.Role{{access.CaseLawyer}, {access.LegalManager}, {access.HeadOfDivision}, {access.Inspector}, {access.Partner}, {access.Administrator}}
		clearances := []org.Clearance{org.BPSS, org.CTC, org.SC, org.DV}
		for i := 0; i < 200; i++ {
			p := &access.Principal{PersonID: int64(1 + rng.IntN(12)), Roles: roles[rng.IntN(len(roles))],
				Units: []int64{int64(1 + rng.IntN(3))}, Clearance: clearances[rng.IntN(4)]}
			if rng.IntN(3) == 0 {
				p.Units = append(p.Units, int64(1+rng.IntN(3)))
			}
			for r := 0; r < rng.IntN(4); r++ {
				p.Reports = append(p.Reports, int64(1+rng.IntN(12)))
			}
			if p.Has(access.Partner) && rng.IntN(5) > 0 {
				p.PartnerID = ptr(int64(1 + rng.IntN(2)))
			}
			if rng.IntN(5) == 0 {
				p.Token = &access.TokenScope{UnitID: ptr(int64(1 + rng.IntN(3)))}
			}
			clearance := access.DefaultClearances
			cond, args := store.VisibleTo(clearance.ReadFilter(p), "test", "r")
			got, err := store.QueryIDs(ctx, db, `SELECT r.id FROM test_records r WHERE `+cond+` ORDER BY r.id`, args...)
			if err != nil {
				t.Fatal(err)
			}
			var want []int64
			for id := int64(1); id <= 120; id++ {
				if clearance.Can(p, access.Read, records[id]) {
					want = append(want, id)
				}
			}
			if !slices.Equal(got, want) {
				t.Fatalf("principal %+v:\nSQL  %v\nCan  %v", p, got, want)
			}
		}
	})
}

func ptr[T any](v T) *T { return &v }
