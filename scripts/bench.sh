#!/usr/bin/env bash
# bench.sh runs every caseboard benchmark; make bench calls it. It is never
# part of make test. In order:
#
#   machine   what the figures were measured on (nproc, memory, CPU, Go)
#   go        the Go benchmarks of ./internal/... (store and server),
#             go test -run='^$' -bench=. -benchmem, on SQLite and, when
#             PostgreSQL answers, PostgreSQL
#   drivers   bench/sqlite-drivers: mattn/go-sqlite3 against modernc.org/sqlite
#   startup   bench/startup.sh: exec to first 200 from /healthz, 20 runs
#   load      bench/load.sh: wrk against bin/caseboard serve, SQLite then
#             PostgreSQL
#   import    bench/import.sh: a 1.2-million-row outcomes import into SQLite,
#             then into PostgreSQL
#   caseload  bench/caseload.sh: the caseload list over a million cases, and
#             beside PocketBase over a hundred thousand (needs sqlite3, wrk)
#   search    bench/search: knowledge search over a generated corpus on
#             SQLite, PostgreSQL and Bleve side by side (SEARCH_ARTICLES
#             articles, default 100000; 17 minutes on a busy machine)
#   outcomes  the outcome figures over BENCH_OUTCOMES finalised defendants
#             (default 5,000,000), rollups against a plain GROUP BY, and
#             what keeping the rollups costs an import (BenchmarkOutcomeReport
#             and BenchmarkImportRollups in ./internal/store, -count=1)
#
# Everything is written to bench/results/UTC-TIMESTAMP/ (one file per part)
# as well as to the terminal. Settings, from the environment:
#
#   BENCH_ONLY="go drivers"   run only these parts (default: all of them)
#   BENCH_COUNT=6             -count for the Go benchmarks (default 6, the least
#                             benchstat gives a confidence interval for)
#   BENCH_OUT=DIR             where to write the results
#   CASEBOARD_TEST_POSTGRES   the PostgreSQL server (default the local one
#                             make test uses); its parts are skipped with a
#                             note if it does not answer
#
# Benchmarks measure the machine as much as the code: run them on an idle
# machine (the script warns when the load average says it is busy) and
# compare figures only from the same machine. docs/benchmarks.md has the
# last recorded results and how to read them.
set -euo pipefail
cd "$(dirname "$0")/.."

only=${BENCH_ONLY:-machine go scale drivers startup load import caseload search outcomes}
count=${BENCH_COUNT:-6}
out=${BENCH_OUT:-bench/results/$(date -u +%Y%m%dT%H%M%SZ)}
pg=${CASEBOARD_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}
mkdir -p "$out"

want() { [[ " $only " == *" $1 "* ]]; }
# Run by their own parts (scale, outcomes), not by the go part's -count.
scale_benchmarks='OutcomeReport|ImportRollups|^BenchmarkCompliance$|^BenchmarkRiskRegister100k$|^BenchmarkBoard$'
section() { printf '\n=== %s\n' "$*"; }
pg_answers() { psql "$pg" -Atq -c 'select 1' >/dev/null 2>&1; }
benchstat_bin() { command -v benchstat || { [ -x "$(go env GOPATH)/bin/benchstat" ] && echo "$(go env GOPATH)/bin/benchstat"; } || true; }

# cpu_busy prints the percentage of CPU time the whole machine spent busy
# over the next two seconds.
cpu_busy() {
	local a b
	read -r -a a < <(head -1 /proc/stat)
	sleep 2
	read -r -a b < <(head -1 /proc/stat)
	awk -v a="${a[*]:1}" -v b="${b[*]:1}" 'BEGIN {
		n = split(a, x, " "); split(b, y, " ")
		for (i = 1; i <= n; i++) { d = y[i] - x[i]; total += d; if (i == 4 || i == 5) idle += d }
		printf "%.0f", total ? 100 * (total - idle) / total : 0 }'
}

busy_check() {
	local busy
	busy=$(cpu_busy)
	echo "# machine CPU busy before this part: ${busy}% (load average $(cut -d' ' -f1-3 /proc/loadavg))"
	if [ "$busy" -gt 10 ]; then
		echo "bench.sh: WARNING: the machine is ${busy}% busy with other work, which will distort the figures" >&2
	fi
}

if want machine; then
	section "machine" | tee "$out/machine.txt"
	{
		echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
		echo "commit: $(git describe --always --dirty 2>/dev/null || echo unknown)"
		echo "nproc: $(nproc)"
		echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
		free -h
		go version
		echo "kernel: $(uname -r)"
		echo "loadavg: $(cat /proc/loadavg)"
		if command -v wrk >/dev/null; then wrk --version 2>&1 | head -1 || true; fi
		if pg_answers; then echo "postgres: $(psql "$pg" -Atq -c 'show server_version') (synchronous_commit=$(psql "$pg" -Atq -c 'show synchronous_commit'))"; fi
	} | tee -a "$out/machine.txt"
fi

if want go; then
	section "go: go test -tags sqlite_fts5 -run='^\$' -bench=. -benchmem -count=$count ./internal/..." | tee "$out/go.txt"
	busy_check | tee -a "$out/go.txt"
	if pg_answers; then
		export CASEBOARD_TEST_POSTGRES=$pg
	else
		echo "bench.sh: PostgreSQL does not answer at $pg: its benchmarks are skipped (scripts/ensure-postgres.sh starts one)" | tee -a "$out/go.txt"
		unset CASEBOARD_TEST_POSTGRES
	fi
	go test -tags sqlite_fts5 -run='^$' -bench=. -skip="$scale_benchmarks" -benchmem -count="$count" ./internal/... 2>&1 | tee -a "$out/go.txt"
fi

# The benchmarks that generate a large data set each time they start run
# once each, in the part below, with the operation counts their sections
# of docs/benchmarks.md give: six counts of a million cases would take
# hours.
if want scale; then
	section "scale: BenchmarkCompliance (1,000,000 cases), BenchmarkRiskRegister100k, BenchmarkBoard (./internal/store)" | tee "$out/scale.txt"
	busy_check | tee -a "$out/scale.txt"
	if pg_answers; then export CASEBOARD_TEST_POSTGRES=$pg; else unset CASEBOARD_TEST_POSTGRES; fi
	go test -v -tags sqlite_fts5 -run='^$' -bench='^BenchmarkCompliance$' -timeout=90m ./internal/store 2>&1 |
		grep -v '^=== RUN' | tee -a "$out/scale.txt"
	go test -tags sqlite_fts5 -run='^$' -bench='^BenchmarkRiskRegister100k$' -benchtime=50x -timeout=60m ./internal/store 2>&1 | tee -a "$out/scale.txt"
	go test -tags sqlite_fts5 -run='^$' -bench='^BenchmarkBoard$' -benchmem -benchtime=30x -count=3 -timeout=30m ./internal/store 2>&1 | tee -a "$out/scale.txt"
fi

if want outcomes; then
	section "outcomes: BenchmarkOutcomeReport over ${BENCH_OUTCOMES:-5000000} finalised defendants, then BenchmarkImportRollups (./internal/store)" | tee "$out/outcomes.txt"
	busy_check | tee -a "$out/outcomes.txt"
	if pg_answers; then export CASEBOARD_TEST_POSTGRES=$pg; else unset CASEBOARD_TEST_POSTGRES; fi
	CASEBOARD_BENCH_OUTCOMES=${BENCH_OUTCOMES:-5000000} go test -v -tags sqlite_fts5 -run='^$' -bench='OutcomeReport' -benchtime=30x -timeout=90m ./internal/store 2>&1 |
		grep -v '^=== RUN' | tee -a "$out/outcomes.txt"
	go test -tags sqlite_fts5 -run='^$' -bench='ImportRollups' -benchtime=3x -count=3 -timeout=60m ./internal/store 2>&1 | tee -a "$out/outcomes.txt"
fi

if want drivers; then
	section "drivers: (cd bench/sqlite-drivers && go test -run='^\$' -bench=. -benchmem -count=$count)" | tee "$out/drivers.txt"
	busy_check | tee -a "$out/drivers.txt"
	(cd bench/sqlite-drivers && go test -run='^$' -bench=. -benchmem -count="$count" -timeout=60m) 2>&1 | tee -a "$out/drivers.txt"
fi

if want startup || want load || want import || want caseload; then
	section "build: go build -tags sqlite_fts5 -o bin/caseboard ./cmd/caseboard"
	go build -tags sqlite_fts5 -o bin/caseboard ./cmd/caseboard
fi

if want import; then
	section "import: bench/import.sh" | tee "$out/import.txt"
	busy_check | tee -a "$out/import.txt"
	SKIP_BUILD=1 bash bench/import.sh 2>&1 | tee -a "$out/import.txt"
	if pg_answers; then
		busy_check | tee -a "$out/import.txt"
		SKIP_BUILD=1 CASEBOARD_DB=$pg bash bench/import.sh 2>&1 | tee -a "$out/import.txt"
	else
		echo "import: PostgreSQL at $pg does not answer; its run skipped" | tee -a "$out/import.txt"
	fi
fi

if want startup; then
	section "startup: bench/startup.sh" | tee "$out/startup.txt"
	busy_check | tee -a "$out/startup.txt"
	SKIP_BUILD=1 bash bench/startup.sh 2>&1 | tee -a "$out/startup.txt"
fi

if want load; then
	if ! command -v wrk >/dev/null; then
		echo "bench.sh: wrk is not installed (apt-get install -y wrk): the load tests are skipped" | tee "$out/load.txt"
	else
		section "load: bench/load.sh sqlite" | tee "$out/load-sqlite.txt"
		busy_check | tee -a "$out/load-sqlite.txt"
		SKIP_BUILD=1 bash bench/load.sh sqlite 2>&1 | tee -a "$out/load-sqlite.txt"
		if pg_answers; then
			section "load: bench/load.sh postgres" | tee "$out/load-postgres.txt"
			busy_check | tee -a "$out/load-postgres.txt"
			SKIP_BUILD=1 PGURL="$pg" bash bench/load.sh postgres 2>&1 | tee -a "$out/load-postgres.txt"
		else
			echo "bench.sh: PostgreSQL does not answer at $pg: its load test is skipped" | tee "$out/load-postgres.txt"
		fi
	fi
fi

if want caseload; then
	if ! command -v wrk >/dev/null || ! command -v sqlite3 >/dev/null; then
		echo "bench.sh: wrk or sqlite3 is not installed (apt-get install -y wrk sqlite3): the caseload test is skipped" | tee "$out/caseload.txt"
	else
		section "caseload: bench/caseload.sh" | tee "$out/caseload.txt"
		busy_check | tee -a "$out/caseload.txt"
		SKIP_BUILD=1 bash bench/caseload.sh 2>&1 | tee -a "$out/caseload.txt"
	fi
fi

if want search; then
	articles=${SEARCH_ARTICLES:-100000}
	section "search: (cd bench/search && go run -tags sqlite_fts5 . -articles $articles)" | tee "$out/search.txt"
	busy_check | tee -a "$out/search.txt"
	if pg_answers; then
		search_pg=$pg
	else
		echo "bench.sh: PostgreSQL does not answer at $pg: the search benchmark runs without it" | tee -a "$out/search.txt"
		search_pg=
	fi
	(cd bench/search && go run -tags sqlite_fts5 . -articles "$articles" -postgres "$search_pg") 2>&1 | tee -a "$out/search.txt"
fi

stat=$(benchstat_bin)
if [ -n "$stat" ]; then
	for f in go drivers; do
		if [ -s "$out/$f.txt" ]; then
			section "benchstat $out/$f.txt" | tee "$out/$f.benchstat.txt"
			"$stat" "$out/$f.txt" 2>&1 | tee -a "$out/$f.benchstat.txt"
		fi
	done
fi
section "results in $out/"
