#!/usr/bin/env bash
# load.sh measures API throughput: wrk on loopback against a running
#   bin/caseboard serve
# on a database loaded with the demo division, as the demo administrator
# (an API token made with bin/caseboard user token), for each of
#   GET /api/v1/people?limit=50   and   GET /api/v1/units (PATHS overrides the list)
# with 2 threads and 50 connections for DURATION (default 10s), after a
# WARMUP (default 2s) run whose figures are discarded. wrk and the server
# share the machine: on a 2-core machine they compete for the same cores.
#
#   bench/load.sh sqlite
#   bench/load.sh postgres   # needs PostgreSQL; PGURL (default
#                            # postgres://postgres@127.0.0.1:5432/test?sslmode=disable)
#                            # gets a schema bench_<random> for the run, dropped after
#
# Needs wrk (apt-get install -y wrk). SKIP_BUILD=1 uses bin/caseboard as it
# is. Only 127.0.0.1 is contacted; every run is bounded by DURATION.
set -euo pipefail
cd "$(dirname "$0")/.."

dialect=${1:-sqlite}
duration=${DURATION:-10s}
warmup=${WARMUP:-2s}
threads=${THREADS:-2}
conns=${CONNS:-50}
port=${PORT:-18181}
pgurl=${PGURL:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}
read -r -a paths <<< "${PATHS:-/api/v1/people?limit=50 /api/v1/units}"

command -v wrk >/dev/null || { echo "load.sh: wrk is not installed (apt-get install -y wrk)" >&2; exit 1; }
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
	echo "load.sh: something already listens on 127.0.0.1:$port; set PORT" >&2
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/caseboard-load.XXXXXX")
pid=""
schema=""
cleanup() {
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	if [ -n "$schema" ]; then
		PGOPTIONS="-c client_min_messages=warning" psql "$pgurl" -q -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

if [ -z "${SKIP_BUILD:-}" ]; then
	go build -tags sqlite_fts5 -o bin/caseboard ./cmd/caseboard
fi

case "$dialect" in
sqlite)
	db="$tmp/demo.db"
	shown="$db"
	;;
postgres)
	schema="bench_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
	psql "$pgurl" -q -c "CREATE SCHEMA $schema" >/dev/null
	db="$pgurl&search_path=$schema"
	shown="postgres://127.0.0.1:5432/test (schema $schema)"
	;;
*)
	echo "usage: load.sh sqlite|postgres" >&2
	exit 2
	;;
esac

bin/caseboard demo --db "$db"
# Every API route needs a credential: an API token of the demo administrator.
token=$(bin/caseboard user token --db "$db" --email admin@caseboard.example --name load-test 2>/dev/null | grep '^cbt_')
[ -n "$token" ] || { echo "load.sh: could not make an API token with bin/caseboard user token" >&2; exit 1; }
bin/caseboard serve --db "$db" --addr "127.0.0.1:$port" 2>"$tmp/serve.log" &
pid=$!
for _ in $(seq 100); do
	if curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; then
		break
	fi
	sleep 0.1
done
curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" || { echo "load.sh: the server did not start:" >&2; cat "$tmp/serve.log" >&2; exit 1; }

echo "# server: bin/caseboard serve on $shown, log level info to a file; load: wrk on the same machine"
for path in "${paths[@]}"; do
	url="http://127.0.0.1:$port$path"
	wrk -t"$threads" -c"$conns" -d"$warmup" -H "Authorization: Bearer $token" "$url" >/dev/null
	echo "# wrk -t$threads -c$conns -d$duration --latency -H 'Authorization: Bearer cbt_...' '$url'"
	out=$(wrk -t"$threads" -c"$conns" -d"$duration" --latency -H "Authorization: Bearer $token" "$url")
	echo "$out"
	if grep -q "Non-2xx" <<<"$out"; then
		echo "load.sh: some responses were not 2xx; the figures above are not valid" >&2
		tail -5 "$tmp/serve.log" >&2
		exit 1
	fi
	echo
done
echo "# server log: $(wc -l <"$tmp/serve.log") lines"
