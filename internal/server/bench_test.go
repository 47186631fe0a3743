package server_test

// Server-time benchmarks: each op is one request through the whole handler
// (middleware, routing, store queries, template or JSON) into an
// httptest.ResponseRecorder, against a SQLite database loaded with the demo
// division and its accounts, as `caseboard demo` loads it, signed in as the
// demo administrator (a session cookie for pages, an API token for the
// API). There is no network and no client in the measurement. They run only
// with -bench (scripts/bench.sh, make bench), never in make test. Results
// are in docs/benchmarks.md.

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/config"
	"caseboard/internal/demo"
	"caseboard/internal/server"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
	"caseboard/web"
)

// benchAs is the demo account the benchmarks act as: the administrator
// `caseboard demo` tells people to sign in as.
const benchAs = "admin@caseboard.example"

// benchSite is a server with credentials for benchAs.
type benchSite struct {
	db     *store.DB
	h      http.Handler
	cookie *http.Cookie // a signed-in browser session, for pages
	bearer string       // an API token, for the API
}

// benchServer returns the handler `caseboard serve` would run, with the
// default settings, over a fresh SQLite database loaded with the demo
// division and its accounts, and a session and an API token for benchAs.
// It logs every request as serve does at the default level and format,
// into io.Discard, so formatting the log line is part of each request.
func benchServer(b *testing.B) benchSite {
	b.Helper()
	return benchServerOn(b, store.SQLite)
}

// benchServerOn is benchServer on the database of the dialect.
func benchServerOn(b *testing.B, d store.Dialect) benchSite {
	b.Helper()
	db := storetest.Open(b, d)
	ctx := context.Background()
	if _, err := db.SeedOrganisation(ctx); err != nil {
		b.Fatal(err)
	}
	chart := demo.Division(2019)
	// One hash with the production parameters serves every account, as in
	// `caseboard demo`, so BenchmarkSignIn verifies a real one.
	hash, err := access.HashPassword(ctx, demo.Password, access.DefaultArgon2)
	if err != nil {
		b.Fatal(err)
	}
	for i := range chart.Accounts {
		chart.Accounts[i].PasswordHash = hash
	}
	if _, err := db.LoadChart(ctx, chart, "benchmark demo"); err != nil {
		b.Fatal(err)
	}
	account, err := db.AccountByEmail(ctx, benchAs)
	if err != nil {
		b.Fatal(err)
	}
	now := db.Now()
	secret := access.NewSessionSecret()
	if err := db.CreateSession(ctx, store.Session{IDHash: access.HashSecret(secret), PersonID: account.PersonID,
		CSRFToken: access.NewSessionSecret(), CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(12 * time.Hour),
		Address: "127.0.0.1", UserAgent: "benchmark"}, "", "password"); err != nil {
		b.Fatal(err)
	}
	token := access.NewAPIToken()
	if err := db.CreateAPIToken(ctx, &store.APIToken{PersonID: account.PersonID, Name: "benchmark", ExpiresAt: now.Add(12 * time.Hour)}, access.HashSecret(token)); err != nil {
		b.Fatal(err)
	}
	views, err := web.NewViews()
	if err != nil {
		b.Fatal(err)
	}
	load := config.Register(flag.NewFlagSet("bench", flag.ContinueOnError), func(string) string { return "" }, "db")
	cfg, err := load()
	if err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo}))
	return benchSite{
		db:     db,
		h:      server.New(db, views, log, cfg, "bench"),
		cookie: &http.Cookie{Name: "caseboard_session", Value: secret},
		bearer: "Bearer " + token,
	}
}

// page serves GET target as the signed-in browser, b.N times.
func (s benchSite) page(b *testing.B, target string) {
	benchGet(b, s.h, target, func(r *http.Request) { r.AddCookie(s.cookie) })
}

// api serves GET target with the API token, b.N times.
func (s benchSite) api(b *testing.B, target string) {
	benchGet(b, s.h, target, func(r *http.Request) { r.Header.Set("Authorization", s.bearer) })
}

// benchGet serves GET target b.N times and fails on any status but 200.
func benchGet(b *testing.B, h http.Handler, target string, auth func(*http.Request)) {
	b.Helper()
	b.ReportAllocs()
	var bytes int
	for i := 0; i < b.N; i++ {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		auth(req)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s: status %d\n%s", target, rec.Code, rec.Body.String())
		}
		bytes = rec.Body.Len()
	}
	b.ReportMetric(float64(bytes), "resp-bytes")
}

// The benchmarks set up their server once, then measure in a sub-benchmark
// named for the database, which the testing package runs as often as it
// needs without repeating the set-up.

// BenchmarkHealthz is the floor: middleware, routing and a tiny JSON body,
// with no credentials and no database.
func BenchmarkHealthz(b *testing.B) {
	s := benchServer(b)
	b.Run("sqlite", func(b *testing.B) { benchGet(b, s.h, "/healthz", func(*http.Request) {}) })
}

func BenchmarkHomePage(b *testing.B) {
	s := benchServer(b)
	b.Run("sqlite", func(b *testing.B) { s.page(b, "/") })
}

func BenchmarkOrganisationPage(b *testing.B) {
	s := benchServer(b)
	b.Run("sqlite/default", func(b *testing.B) { s.page(b, "/organisation") })
	b.Run("sqlite/filtered", func(b *testing.B) {
		s.page(b, "/organisation?unit=extradition&location=petty_france&sort=grade&order=desc")
	})
}

func BenchmarkAPIPeople(b *testing.B) {
	for _, d := range storetest.Dialects {
		s := benchServerOn(b, d)
		b.Run(string(d), func(b *testing.B) { s.api(b, "/api/v1/people?limit=50") })
	}
}

// BenchmarkSignIn is a successful password sign-in as the browser sends it:
// throttling checks, the account, an argon2id verification with
// access.DefaultArgon2, a new session and its audit entry, and the
// redirect. Each op leaves a session behind.
func BenchmarkSignIn(b *testing.B) {
	s := benchServer(b)
	form := url.Values{"email": {benchAs}, "password": {demo.Password}, "return_to": {"/"}}.Encode()
	b.Run("sqlite", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			req := httptest.NewRequest(http.MethodPost, "/sign-in", strings.NewReader(form))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			rec := httptest.NewRecorder()
			s.h.ServeHTTP(rec, req)
			if rec.Code != http.StatusSeeOther {
				b.Fatalf("POST /sign-in: status %d\n%s", rec.Code, rec.Body.String())
			}
		}
	})
}

func BenchmarkAPIUnits(b *testing.B) {
	s := benchServer(b)
	b.Run("sqlite", func(b *testing.B) { s.api(b, "/api/v1/units") })
}

// BenchmarkAPICases is the division-wide caseload as the administrator
// reads it: the demo's live cases, fifty a page.
func BenchmarkAPICases(b *testing.B) {
	for _, d := range storetest.Dialects {
		s := benchServerOn(b, d)
		loadLiveCases(b, s)
		b.Run(string(d), func(b *testing.B) { s.api(b, "/api/v1/cases?limit=50") })
	}
}

// loadLiveCases adds the demo's live cases, as `caseboard demo` does.
func loadLiveCases(b *testing.B, s benchSite) {
	b.Helper()
	ctx := context.Background()
	hod := benchHeadOfDivision(b, s.db)
	units, err := s.db.Units(ctx)
	if err != nil {
		b.Fatal(err)
	}
	locations, err := s.db.Locations(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for _, lc := range demo.LiveCases(demo.Division(2019), 2019, time.Now().UTC()) {
		c := lc.Case
		for _, u := range units {
			if u.Code == lc.UnitCode {
				c.UnitID = u.ID
			}
		}
		for _, l := range locations {
			if l.Code == lc.LocationCode {
				c.LocationID = l.ID
			}
		}
		if lawyer, err := s.db.PersonByEmail(ctx, lc.LawyerEmail); err == nil {
			c.LawyerID, c.ManagerID = &lawyer.ID, lawyer.LineManagerID
		}
		if err := s.db.CreateCase(ctx, hod, &c); err != nil {
			b.Fatal(err)
		}
	}
	if err := s.db.RefreshStatistics(ctx); err != nil {
		b.Fatal(err)
	}
}

func benchHeadOfDivision(b *testing.B, db *store.DB) *access.Principal {
	b.Helper()
	for _, p := range demo.Division(2019).People {
		if p.Grade == "head_of_division" {
			a, err := db.AccountByEmail(context.Background(), p.Email)
			if err != nil {
				b.Fatal(err)
			}
			hod, err := db.Principal(context.Background(), a.PersonID)
			if err != nil {
				b.Fatal(err)
			}
			return hod
		}
	}
	b.Fatal("the demo division has no head of division")
	return nil
}
