package store_test

import (
	"context"
	"os"
	"testing"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/demo"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

// BenchmarkSessionCheck is what authentication adds to a request: find
// the session and its principal (one query), then decide a permission and
// a record.
func BenchmarkSessionCheck(b *testing.B) {
	for _, d := range storetest.Dialects {
		b.Run(string(d), func(b *testing.B) {
			db := storetest.Open(b, d)
			ctx := context.Background()
			db.SeedOrganisation(ctx)
			if _, err := db.LoadChart(ctx, demo.Division(1), "bench"); err != nil {
				b.Fatal(err)
			}
			hod, err := db.AccountByEmail(ctx, benchEmail(b))
			if err != nil {
				b.Fatal(err)
			}
			secret := access.NewSessionSecret()
			now := time.Now().UTC()
			s := store.Session{IDHash: access.HashSecret(secret), PersonID: hod.PersonID, CSRFToken: "x",
				CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
			if err := db.CreateSession(ctx, s, "", "bench"); err != nil {
				b.Fatal(err)
			}
			record := access.Record{UnitID: 1, Sensitivity: access.Restricted, Team: []int64{5}}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				hash, ok := access.ParseSessionSecret(secret)
				if !ok {
					b.Fatal("secret")
				}
				p, _, err := db.SessionPrincipal(ctx, hash, time.Hour)
				if err != nil {
					b.Fatal(err)
				}
				if !access.Allows(p, access.ReadOrganisation) {
					b.Fatal("refused")
				}
				access.DefaultClearances.Can(p, access.Read, record)
			}
		})
	}
}

func headOfDivision(b *testing.B) string {
	for _, p := range demo.Division(1).People {
		if p.Grade == "head_of_division" {
			return p.Email
		}
	}
	b.Fatal("no head of division")
	return ""
}

func benchEmail(b *testing.B) string {
	if e := os.Getenv("BENCH_EMAIL"); e != "" {
		return e
	}
	return headOfDivision(b)
}
