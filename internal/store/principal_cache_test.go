package store_test

import (
	"context"
	"testing"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/fault"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

// tokenHolder gives a demo person an account and an API token valid for a
// day from now, and returns the person's id and the token's hash.
func tokenHolder(t *testing.T, db *store.DB, now time.Time) (int64, string) {
	t.Helper()
	ctx := context.Background()
	loadDemo(t, db)
	page, err := db.People(ctx, store.PeopleFilter{Limit: 1})
	if err != nil || len(page.People) != 1 {
		t.Fatalf("people: %v", err)
	}
	person := page.People[0].ID
	if err := db.CreateAccount(ctx, person, "", []access.Role{access.CaseLawyer}, nil); err != nil {
		t.Fatal(err)
	}
	hash := access.HashSecret(access.NewAPIToken())
	if err := db.CreateAPIToken(ctx, &store.APIToken{PersonID: person, Name: "cache test", ExpiresAt: now.Add(24 * time.Hour)}, hash); err != nil {
		t.Fatal(err)
	}
	return person, hash
}

func mustPrincipal(t *testing.T, db *store.DB, hash string) *access.Principal {
	t.Helper()
	p, err := db.TokenPrincipal(context.Background(), hash)
	if err != nil {
		t.Fatalf("token refused: %v", err)
	}
	return p
}

func mustRefuse(t *testing.T, db *store.DB, hash, why string) {
	t.Helper()
	if p, err := db.TokenPrincipal(context.Background(), hash); fault.CodeOf(err) != fault.Unauthorized {
		t.Fatalf("%s: got %+v, %v; want Unauthorized", why, p, err)
	}
}

func TestTokenPrincipalCache(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		person, hash := tokenHolder(t, db, now)

		first := mustPrincipal(t, db, hash)
		if first.PersonID != person || !first.Has(access.CaseLawyer) || first.Token == nil {
			t.Fatalf("principal %+v", first)
		}
		first.Name = "changed by a caller"
		if again := mustPrincipal(t, db, hash); again.Name == "changed by a caller" {
			t.Fatal("a caller's change to its principal reached the cache")
		}

		// An audited write on this instance takes effect at once.
		if err := db.Grant(ctx, person, access.LegalManager); err != nil {
			t.Fatal(err)
		}
		if p := mustPrincipal(t, db, hash); !p.Has(access.LegalManager) {
			t.Fatalf("a granted role is not seen at once: %v", p.Roles)
		}
		if err := db.SetDisabled(ctx, person, true); err != nil {
			t.Fatal(err)
		}
		mustRefuse(t, db, hash, "disabled account")
		if err := db.SetDisabled(ctx, person, false); err != nil {
			t.Fatal(err)
		}
		mustPrincipal(t, db, hash)

		// A change this instance did not make (another instance, or SQL by
		// hand) is seen once the time to live has passed, not before.
		if err := store.ExecForTest(ctx, db, `UPDATE accounts SET disabled = TRUE`); err != nil {
			t.Fatal(err)
		}
		now = now.Add(store.DefaultPrincipalTTL - time.Millisecond)
		mustPrincipal(t, db, hash)
		now = now.Add(time.Millisecond)
		mustRefuse(t, db, hash, "disabled elsewhere, after the time to live")

		// With no time to live every request reads the database.
		db.SetPrincipalTTL(0)
		if err := store.ExecForTest(ctx, db, `UPDATE accounts SET disabled = FALSE`); err != nil {
			t.Fatal(err)
		}
		mustPrincipal(t, db, hash)
		if err := store.ExecForTest(ctx, db, `UPDATE accounts SET disabled = TRUE`); err != nil {
			t.Fatal(err)
		}
		mustRefuse(t, db, hash, "disabled with no cache")
	})
}

func TestTokenPrincipalCacheHonoursExpiryAndRevocation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		person, hash := tokenHolder(t, db, now)
		db.SetPrincipalTTL(time.Hour)

		mustPrincipal(t, db, hash)
		now = now.Add(24 * time.Hour)
		mustRefuse(t, db, hash, "expired while cached")

		now = now.Add(-24 * time.Hour)
		mustPrincipal(t, db, hash)
		tokens, err := db.APITokens(ctx, person)
		if err != nil || len(tokens) != 1 {
			t.Fatalf("tokens %v %v", tokens, err)
		}
		if err := db.RevokeAPIToken(ctx, person, tokens[0].ID); err != nil {
			t.Fatal(err)
		}
		mustRefuse(t, db, hash, "revoked while cached")
	})
}
