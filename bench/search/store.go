package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"caseboard/internal/access"
	"caseboard/internal/deadline"
	"caseboard/internal/demo"
	"caseboard/internal/knowledge"
	"caseboard/internal/org"
	"caseboard/internal/store"
)

// runPostgres measures caseboard on a schema of its own on the server,
// dropped afterwards.
func runPostgres(ctx context.Context, base, keep string, gen generator, n, reps, coldReps, writePath int, load loadOptions) (engineResult, error) {
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return engineResult{}, err
	}
	defer admin.Close()
	schema := fmt.Sprintf("search_bench_%d", time.Now().UnixNano())
	if keep != "" {
		// Kept for later runs, and searched again if it is there.
		schema = keep
		if _, err := admin.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+schema); err != nil {
			return engineResult{}, err
		}
	} else {
		if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
			return engineResult{}, err
		}
		defer admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
	}
	u, err := url.Parse(base)
	if err != nil {
		return engineResult{}, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return runStore(ctx, "postgres", u.String(), gen, n, reps, coldReps, writePath, load)
}

// runStore loads the corpus into a fresh caseboard database and runs the
// query set through store.SearchArticles, as the knowledge page does.
func runStore(ctx context.Context, name, dsn string, gen generator, n, reps, coldReps, writePath int, load loadOptions) (engineResult, error) {
	res := engineResult{Engine: name}
	_, statErr := os.Stat(dsn)
	loaded := name == "sqlite" && statErr == nil
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return res, err
	}
	defer db.Close()
	if name == "postgres" {
		var articles int
		if err := db.Pools()["db"].QueryRowContext(ctx, "SELECT COUNT(*) FROM articles").Scan(&articles); err == nil && articles > 0 {
			loaded = true
		}
	}
	if _, err := db.Migrate(ctx); err != nil {
		return res, err
	}
	chart := demo.Division(2019)
	if !loaded {
		if _, err := db.SeedOrganisation(ctx); err != nil {
			return res, err
		}
		if _, err := db.LoadChart(ctx, chart, "search benchmark"); err != nil {
			return res, err
		}
	}
	author, reviewer, err := writers(ctx, db, chart)
	if err != nil {
		return res, err
	}
	if loaded {
		// A kept database (-dir) is searched again as it is.
		fmt.Printf("%s: searching the corpus already in %s\n", name, dsn)
		writePath = 0
	} else {
		start := time.Now()
		if err := bulkLoad(ctx, db, gen, n, author, load); err != nil {
			return res, err
		}
		res.Indexed, res.IndexTime = n, time.Since(start)
		if err := db.RefreshStatistics(ctx); err != nil {
			return res, err
		}
		fmt.Printf("%s: indexed %d articles in %s (%.0f/s)\n", name, n, res.IndexTime.Round(time.Millisecond), float64(n)/res.IndexTime.Seconds())
	}
	if writePath > 0 {
		start := time.Now()
		for i := 0; i < writePath; i++ {
			if err := publish(ctx, db, author, reviewer, gen.article(n+i)); err != nil {
				return res, err
			}
		}
		res.Published, res.PublishTime = writePath, time.Since(start)
		fmt.Printf("%s: published %d more through create, submit and approve in %s (%.0f/s)\n", name, writePath,
			res.PublishTime.Round(time.Millisecond), float64(writePath)/res.PublishTime.Seconds())
	}
	search := func(q benchQuery) (int, error) {
		page, err := db.SearchArticles(ctx, author, store.ArticleFilter{Query: q.Text})
		return len(page.Articles), err
	}
	if res.Latencies, res.Hits, err = measure(reps, search, nil); err != nil {
		return res, err
	}
	// The first search after a change: moving the search generation, as
	// any article's insert, delete or new text does, makes every kept
	// ranking head old, so each timed search ranks in full again.
	pool := db.Pools()["db"]
	if pool == nil {
		pool = db.Pools()["db_write"]
	}
	moveGeneration := func() error {
		_, err := pool.ExecContext(ctx, "UPDATE search_generation SET n = n + 1")
		return err
	}
	res.Cold, _, err = measure(coldReps, search, moveGeneration)
	return res, err
}

// writers are the extradition unit's specialist prosecutor and legal
// manager (a reviewer) of the demo chart: the corpus's author and the
// approver of the articles published through the store's own write path.
func writers(ctx context.Context, db *store.DB, chart org.Chart) (author, reviewer *access.Principal, err error) {
	find := func(grade string) (*access.Principal, error) {
		for _, p := range chart.People {
			if string(p.Grade) == grade && p.UnitCode == "extradition" {
				a, err := db.AccountByEmail(ctx, p.Email)
				if err != nil {
					return nil, err
				}
				return db.Principal(ctx, a.PersonID)
			}
		}
		return nil, fmt.Errorf("the demo chart has no %s in extradition", grade)
	}
	if author, err = find("specialist_prosecutor"); err != nil {
		return nil, nil, err
	}
	reviewer, err = find("legal_manager_2")
	return author, reviewer, err
}

// loadOptions is how bulkLoad batches its writes.
type loadOptions struct {
	// Rows is how many articles one INSERT statement writes; Tx how many
	// one transaction does.
	Rows, Tx int
	// Writers is how many connections write at once on PostgreSQL, where
	// to_tsvector, the bulk of the cost, runs in each connection's own
	// server process. Each then commits every statement: the statement's
	// trigger moves the search generation, a row every writer updates, so
	// a longer transaction would hold the others up. SQLite has one writer.
	Writers int
	// FTSHashSize, when above 0, is the memory (bytes) FTS5 gathers new
	// index entries in before writing them out as a segment, during the
	// load (its default is 1 MB, under 200 of these articles).
	FTSHashSize int
}

// bulkLoad writes the corpus as published articles straight into the
// articles table, opts.Rows to a statement and opts.Tx to a transaction:
// the database's own full-text indexing (the FTS5 triggers, the generated
// tsvector column and its GIN index) is what is measured, not caseboard's
// per-article write path.
func bulkLoad(ctx context.Context, db *store.DB, gen generator, n int, author *access.Principal, opts loadOptions) error {
	pool := db.Pools()["db"]
	if pool == nil {
		pool = db.Pools()["db_write"]
	}
	if opts.FTSHashSize > 0 && db.Dialect() == store.SQLite {
		if _, err := pool.ExecContext(ctx, `INSERT INTO articles_fts (articles_fts, rank) VALUES ('hashsize', ?)`, opts.FTSHashSize); err != nil {
			return err
		}
		// Back to FTS5's default for the articles written afterwards.
		defer pool.ExecContext(context.Background(), `INSERT INTO articles_fts (articles_fts, rank) VALUES ('hashsize', 1048576)`)
	}
	const columns = `INSERT INTO articles (kind, status, title, summary, body, search_extra, unit_id, owner_id, author_id, sensitivity, sharing,
		country, review_by, published_version, pending_version, revision, created_at, updated_at, published_at) VALUES `
	const row = `(?, 'published', ?, ?, ?, ?, ?, ?, ?, 'official', 'division', '', ?, 1, 0, 1, ?, ?, ?)`
	statement := func(rows int) string {
		q := columns + strings.TrimSuffix(strings.Repeat(row+", ", rows), ", ")
		if db.Dialect() == store.Postgres {
			q = dollarPlaceholders(q)
		}
		return q
	}
	articles := make(chan article, 256)
	go func() {
		defer close(articles)
		for i := 0; i < n; i++ {
			articles <- gen.article(i)
		}
	}()
	now := time.Now().UTC()
	reviewBy := now.AddDate(1, 0, 0).Truncate(24 * time.Hour)
	unit := int64(0)
	if len(author.Units) > 0 {
		unit = author.Units[0]
	}
	full := statement(opts.Rows)
	if db.Dialect() == store.Postgres && opts.Writers > 1 {
		return loadConcurrently(ctx, pool, full, opts, articles, func(a article) []any {
			return []any{string(knowledge.Guidance), a.Title, a.Summary, a.Body, a.Extra, unit,
				author.PersonID, author.PersonID, reviewBy, now, now, now}
		}, statement)
	}
	for done := 0; done < n; {
		tx, err := pool.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		for inTx := 0; inTx < opts.Tx && done < n; {
			rows := min(opts.Rows, opts.Tx-inTx, n-done)
			query := full
			if rows < opts.Rows {
				query = statement(rows)
			}
			args := make([]any, 0, rows*12)
			for k := 0; k < rows; k++ {
				a := <-articles
				args = append(args, string(knowledge.Guidance), a.Title, a.Summary, a.Body, a.Extra, unit,
					author.PersonID, author.PersonID, reviewBy, now, now, now)
			}
			if _, err := tx.ExecContext(ctx, query, args...); err != nil {
				tx.Rollback()
				return fmt.Errorf("articles %d to %d: %w", done, done+rows, err)
			}
			done, inTx = done+rows, inTx+rows
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// loadConcurrently writes what articles yields with opts.Writers
// connections at once, opts.Rows to a statement, each statement committed
// on its own.
func loadConcurrently(ctx context.Context, pool *sql.DB, full string, opts loadOptions, articles <-chan article,
	values func(article) []any, statement func(rows int) string) error {
	errs := make(chan error, opts.Writers)
	for range opts.Writers {
		go func() {
			for {
				args := make([]any, 0, opts.Rows*12)
				rows := 0
				for a := range articles {
					args = append(args, values(a)...)
					if rows++; rows == opts.Rows {
						break
					}
				}
				if rows == 0 {
					errs <- nil
					return
				}
				query := full
				if rows < opts.Rows {
					query = statement(rows)
				}
				if _, err := pool.ExecContext(ctx, query, args...); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	var first error
	for range opts.Writers {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// publish is the write path people use: a draft, submitted, approved by a
// reviewer, each its own audited transaction.
func publish(ctx context.Context, db *store.DB, author, reviewer *access.Principal, ga article) error {
	a := knowledge.Article{Kind: knowledge.Guidance, Title: ga.Title, Summary: ga.Summary, Body: ga.Body,
		UnitID: author.Units[0], Sensitivity: access.Official, Sharing: knowledge.DivisionOnly}
	if err := db.CreateArticle(ctx, author, &a); err != nil {
		return err
	}
	today := deadline.DateOf(time.Now())
	if _, err := db.TransitionArticle(ctx, author, a.ID, store.Transition{Action: "submit", Today: today}); err != nil {
		return err
	}
	_, err := db.TransitionArticle(ctx, reviewer, a.ID, store.Transition{Action: "approve", Today: today})
	return err
}

// dollarPlaceholders numbers ? placeholders as PostgreSQL wants them.
func dollarPlaceholders(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
