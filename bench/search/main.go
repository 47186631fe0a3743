// Command search measures caseboard's knowledge search on SQLite and
// PostgreSQL side by side with a Bleve index of the same generated corpus:
// how fast each indexes it and how long each takes to answer a fixed query
// set, p50 and p95 per class of query. scripts/bench.sh runs it (its
// "search" part); docs/benchmarks.md has the query set and the figures.
//
// It is a module of its own so that Bleve never becomes a dependency of
// caseboard; it measures caseboard's real store (internal/store) through a
// replace directive, copying none of it.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

func main() {
	extractFrom := flag.String("extract", "", "read the reports in this directory, write vocabulary.txt and shapes.txt here, and stop")
	sample := flag.Int("sample", -1, "print generated article N and stop")
	n := flag.Int("articles", 100_000, "articles in the corpus")
	seed := flag.Uint64("seed", 2019, "the corpus's seed")
	engines := flag.String("engines", "sqlite postgres bleve", "engines to measure")
	pgURL := flag.String("postgres", os.Getenv("CASEBOARD_TEST_POSTGRES"), "PostgreSQL server (a schema of its own is made and dropped)")
	work := flag.String("dir", "", "where to keep the SQLite file and Bleve index (default a temporary directory, removed afterwards)")
	reps := flag.Int("reps", 20, "times each query is run after a warm-up run")
	coldReps := flag.Int("cold-reps", 5, "times each query is run as the first search after a change")
	writePath := flag.Int("write-path", 1000, "articles also published through the store's own create, submit and approve")
	var load loadOptions
	flag.IntVar(&load.Rows, "load-rows", 25, "articles one INSERT statement writes in the bulk load")
	flag.IntVar(&load.Tx, "load-tx", 5000, "articles one transaction writes in the bulk load")
	flag.IntVar(&load.Writers, "load-writers", 2, "connections writing at once in PostgreSQL's bulk load")
	flag.IntVar(&load.FTSHashSize, "fts-hashsize", 64<<20, "FTS5's hashsize during the bulk load, bytes (0: leave FTS5's 1 MB)")
	keepPG := flag.String("keep-postgres", "", "keep the PostgreSQL corpus in this schema, and search it again if it is there")
	flag.Parse()
	if *extractFrom != "" {
		if err := extract(*extractFrom, "."); err != nil {
			fail(err)
		}
		return
	}
	v, err := loadVocabulary(".")
	if err != nil {
		fail(err)
	}
	gen := generator{v: v, seed: *seed}
	if *sample >= 0 {
		a := gen.article(*sample)
		fmt.Printf("# %s\n\n%s\n\n%s\n\n%s\n", a.Title, a.Summary, a.Body, a.Extra)
		return
	}
	dir := *work
	if dir == "" {
		if dir, err = os.MkdirTemp("", "caseboard-search-bench-"); err != nil {
			fail(err)
		}
		defer os.RemoveAll(dir)
	}
	ctx := context.Background()
	fmt.Printf("corpus: %d articles of about 1,000 words, seed %d, Zipf s=%.2f over the %d words of vocabulary.txt in %d sentence shapes\n",
		*n, *seed, zipfS, len(v.words), len(v.shapes))
	var results []engineResult
	for _, e := range strings.Fields(*engines) {
		var r engineResult
		var err error
		start := time.Now()
		switch e {
		case "sqlite":
			r, err = runStore(ctx, "sqlite", filepath.Join(dir, "caseboard.db"), gen, *n, *reps, *coldReps, *writePath, load)
		case "postgres":
			if *pgURL == "" {
				fmt.Println("postgres: skipped, no server named (-postgres or CASEBOARD_TEST_POSTGRES)")
				continue
			}
			r, err = runPostgres(ctx, *pgURL, *keepPG, gen, *n, *reps, *coldReps, *writePath, load)
		case "bleve":
			r, err = runBleve(filepath.Join(dir, "bleve"), gen, *n, *reps)
		default:
			err = fmt.Errorf("no engine %q: choose sqlite, postgres or bleve", e)
		}
		if err != nil {
			fail(fmt.Errorf("%s: %w", e, err))
		}
		fmt.Printf("%s: done in %s\n", e, time.Since(start).Round(time.Second))
		results = append(results, r)
	}
	report(os.Stdout, results)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "search bench:", err)
	os.Exit(1)
}
