package server_test

// Server-time benchmarks: each op is one request through the whole handler
// (middleware, routing, store queries, template or JSON) into an
// httptest.ResponseRecorder, against a SQLite database loaded with the demo
// division, as `caseboard demo` loads it. There is no network and no client
// in the measurement. They run only with -bench (scripts/bench.sh, make
// bench), never in make test. Results are in docs/benchmarks.md.

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"caseboard/internal/config"
	"caseboard/internal/demo"
	"caseboard/internal/server"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
	"caseboard/web"
)

// benchServer returns the handler `caseboard serve` would run, with the
// default settings, over a fresh demo-loaded SQLite database. It logs every
// request as serve does at the default level and format, into io.Discard,
// so formatting the log line is part of each request's cost.
func benchServer(b *testing.B) http.Handler {
	b.Helper()
	db := storetest.Open(b, store.SQLite)
	ctx := context.Background()
	if _, err := db.SeedOrganisation(ctx); err != nil {
		b.Fatal(err)
	}
	if _, err := db.LoadChart(ctx, demo.Organisation(2019), "benchmark demo"); err != nil {
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
	return server.New(db, views, log, cfg, "bench")
}

// benchGet serves GET target b.N times and fails on any status but 200.
func benchGet(b *testing.B, h http.Handler, target string) {
	b.Helper()
	b.ReportAllocs()
	var bytes int
	for i := 0; i < b.N; i++ {
		req := httptest.NewRequest(http.MethodGet, target, nil)
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

// BenchmarkHealthz is the floor: middleware, routing and a tiny JSON body.
func BenchmarkHealthz(b *testing.B) {
	h := benchServer(b)
	b.Run("sqlite", func(b *testing.B) { benchGet(b, h, "/healthz") })
}

func BenchmarkHomePage(b *testing.B) {
	h := benchServer(b)
	b.Run("sqlite", func(b *testing.B) { benchGet(b, h, "/") })
}

func BenchmarkOrganisationPage(b *testing.B) {
	h := benchServer(b)
	b.Run("sqlite/default", func(b *testing.B) { benchGet(b, h, "/organisation") })
	b.Run("sqlite/filtered", func(b *testing.B) {
		benchGet(b, h, "/organisation?unit=extradition&location=petty_france&sort=grade&order=desc")
	})
}

func BenchmarkAPIPeople(b *testing.B) {
	h := benchServer(b)
	b.Run("sqlite", func(b *testing.B) { benchGet(b, h, "/api/v1/people?limit=50") })
}

func BenchmarkAPIUnits(b *testing.B) {
	h := benchServer(b)
	b.Run("sqlite", func(b *testing.B) { benchGet(b, h, "/api/v1/units") })
}
