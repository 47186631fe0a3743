package cli_test

// The Board pack's figure in docs/benchmarks.md: a quarter's pack drawn
// up from the demo division and printed as a PDF, as a draft (computed
// from the records each time) and once issued (read back as stored), on
// SQLite and, when CASEBOARD_TEST_POSTGRES names a server, PostgreSQL.

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"caseboard/internal/cli"
	"caseboard/internal/pack"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

func BenchmarkPerformancePack(b *testing.B) {
	for _, d := range storetest.Dialects {
		b.Run(string(d), func(b *testing.B) {
			ctx := context.Background()
			dsn := storetest.DSN(b, d)
			var out bytes.Buffer
			env := cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: io.Discard,
				Getenv: func(k string) string { return map[string]string{"CASEBOARD_DB": dsn}[k] }}
			if code := cli.Main(ctx, []string{"demo"}, env); code != 0 {
				b.Fatalf("demo: exit %d: %s", code, out.String())
			}
			hodEmail := strings.TrimSpace(out.String()[strings.LastIndex(out.String(), " is ")+4:])
			db, err := store.Open(ctx, dsn)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			account, err := db.AccountByEmail(ctx, hodEmail)
			if err != nil {
				b.Fatal(err)
			}
			hod, err := db.Principal(ctx, account.PersonID)
			if err != nil {
				b.Fatal(err)
			}
			quarter, _ := pack.ParseQuarter("2017-18-Q4")
			b.Run("draft", func(b *testing.B) {
				for b.Loop() {
					if pdf, _, err := db.PerformancePackPDF(ctx, hod, quarter); err != nil || len(pdf) == 0 {
						b.Fatal(err)
					}
				}
			})
			draft, err := db.PerformancePack(ctx, hod, quarter)
			if err != nil {
				b.Fatal(err)
			}
			for _, h := range draft.Exceptions() {
				if err := db.SetPackCommentary(ctx, hod, quarter, h.Code, "Explained to the Board."); err != nil {
					b.Fatal(err)
				}
			}
			if _, err := db.IssuePerformancePack(ctx, hod, quarter); err != nil {
				b.Fatal(err)
			}
			b.Run("issued", func(b *testing.B) {
				for b.Loop() {
					if pdf, _, err := db.PerformancePackPDF(ctx, hod, quarter); err != nil || len(pdf) == 0 {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
