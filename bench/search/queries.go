package main

import (
	"fmt"
	"io"
	"slices"
	"time"
)

// benchQuery is one query of the set, in caseboard's query syntax (words,
// "quoted phrases"), and its class.
type benchQuery struct {
	Class, Text string
}

// querySet is the fixed query set docs/benchmarks.md lists. Very common
// words are in nearly every article; medium ones (ranks 200 to 250 of the
// vocabulary) in about a third; rare ones (the reports' words seen once,
// the tail of the Zipf ranks) in a few per cent; a case reference in one.
var querySet = []benchQuery{
	{"very common", "division"},
	{"very common", "staff"},
	{"very common", "casework"},
	{"very common", "performance"},
	{"very common", "extradition"},
	{"medium", "disclosure"},
	{"medium", "governance"},
	{"medium", "quarterly"},
	{"medium", "assurance"},
	{"medium", "evidence"},
	{"rare", "westminster"},
	{"rare", "yorkshire"},
	{"rare", "vulnerable"},
	{"rare", "glossary"},
	{"rare", "CR0004242"},
	{"phrase", `"organised crime"`},
	{"phrase", `"international division"`},
	{"phrase", `"casework quality"`},
	{"phrase", `"liaison magistrate"`},
	{"two terms", "extradition disclosure"},
	{"two terms", "staff governance"},
	{"two terms", "casework westminster"},
	{"two terms", "fraud evidence"},
}

var classes = []string{"very common", "medium", "rare", "phrase", "two terms", "all"}

// measure runs each query once to warm up, then reps times, and returns
// the durations by class and each query's number of results. before, if
// not nil, runs untimed before each timed search.
func measure(reps int, search func(benchQuery) (int, error), before func() error) (map[string][]time.Duration, map[string]int, error) {
	lat := map[string][]time.Duration{}
	hits := map[string]int{}
	for _, q := range querySet {
		n, err := search(q)
		if err != nil {
			return nil, nil, fmt.Errorf("query %s: %w", q.Text, err)
		}
		hits[q.Text] = n
	}
	for r := 0; r < reps; r++ {
		for _, q := range querySet {
			if before != nil {
				if err := before(); err != nil {
					return nil, nil, err
				}
			}
			start := time.Now()
			if _, err := search(q); err != nil {
				return nil, nil, err
			}
			d := time.Since(start)
			lat[q.Class] = append(lat[q.Class], d)
			lat["all"] = append(lat["all"], d)
		}
	}
	return lat, hits, nil
}

// engineResult is what one engine measured.
type engineResult struct {
	Engine      string
	Indexed     int
	IndexTime   time.Duration
	Published   int
	PublishTime time.Duration
	Latencies   map[string][]time.Duration
	// Cold is the latency of the first search after a change, when
	// caseboard must rank in full (empty for Bleve).
	Cold map[string][]time.Duration
	Hits map[string]int
}

func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(p*float64(len(s))+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d.Microseconds())/1000) }

// report prints the figures as the Markdown tables docs/benchmarks.md
// holds, with each engine's ratio to Bleve.
func report(w io.Writer, results []engineResult) {
	fmt.Fprintln(w, "\nresults per query (first run):")
	fmt.Fprint(w, "| query | class |")
	for _, r := range results {
		if r.Engine == "bleve" {
			fmt.Fprint(w, " articles matching (Bleve) |")
		} else {
			fmt.Fprintf(w, " %s results shown |", r.Engine)
		}
	}
	fmt.Fprintln(w)
	for _, q := range querySet {
		fmt.Fprintf(w, "| `%s` | %s |", q.Text, q.Class)
		for _, r := range results {
			fmt.Fprintf(w, " %d |", r.Hits[q.Text])
		}
		fmt.Fprintln(w)
	}
	var bleve *engineResult
	for i := range results {
		if results[i].Engine == "bleve" {
			bleve = &results[i]
		}
	}
	fmt.Fprintln(w, "\nlatency, milliseconds (p50 / p95):")
	fmt.Fprint(w, "| class |")
	for _, r := range results {
		fmt.Fprintf(w, " %s |", r.Engine)
	}
	if bleve != nil {
		for _, r := range results {
			if r.Engine != "bleve" {
				fmt.Fprintf(w, " %s p95 / Bleve p95 |", r.Engine)
			}
		}
	}
	fmt.Fprintln(w)
	for _, c := range classes {
		fmt.Fprintf(w, "| %s |", c)
		for _, r := range results {
			fmt.Fprintf(w, " %s / %s |", ms(percentile(r.Latencies[c], 0.5)), ms(percentile(r.Latencies[c], 0.95)))
		}
		if bleve != nil {
			for _, r := range results {
				if r.Engine != "bleve" {
					fmt.Fprintf(w, " %.1f |", float64(percentile(r.Latencies[c], 0.95))/float64(percentile(bleve.Latencies[c], 0.95)))
				}
			}
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "\nfirst search after a change (every kept ranking head made old before each search), milliseconds (p50 / p95):")
	fmt.Fprint(w, "| class |")
	for _, r := range results {
		if r.Cold != nil {
			fmt.Fprintf(w, " %s |", r.Engine)
		}
	}
	if bleve != nil {
		for _, r := range results {
			if r.Cold != nil {
				fmt.Fprintf(w, " %s p95 / Bleve p95 |", r.Engine)
			}
		}
	}
	fmt.Fprintln(w)
	for _, c := range classes {
		fmt.Fprintf(w, "| %s |", c)
		for _, r := range results {
			if r.Cold != nil {
				fmt.Fprintf(w, " %s / %s |", ms(percentile(r.Cold[c], 0.5)), ms(percentile(r.Cold[c], 0.95)))
			}
		}
		if bleve != nil {
			for _, r := range results {
				if r.Cold != nil {
					fmt.Fprintf(w, " %.1f |", float64(percentile(r.Cold[c], 0.95))/float64(percentile(bleve.Latencies[c], 0.95)))
				}
			}
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "\nindexing:")
	fmt.Fprintln(w, "| engine | articles | time | articles/s | ratio to Bleve | published through the write path |")
	for _, r := range results {
		if r.Indexed == 0 {
			fmt.Fprintf(w, "| %s | kept from an earlier run | | | | |\n", r.Engine)
			continue
		}
		rate := float64(r.Indexed) / r.IndexTime.Seconds()
		ratio := "–"
		if bleve != nil {
			ratio = fmt.Sprintf("%.2f", rate/(float64(bleve.Indexed)/bleve.IndexTime.Seconds()))
		}
		path := "–"
		if r.Published > 0 {
			path = fmt.Sprintf("%d in %s (%.0f/s)", r.Published, r.PublishTime.Round(time.Millisecond), float64(r.Published)/r.PublishTime.Seconds())
		}
		fmt.Fprintf(w, "| %s | %d | %s | %.0f | %s | %s |\n", r.Engine, r.Indexed, r.IndexTime.Round(time.Millisecond), rate, ratio, path)
	}
}
