#!/usr/bin/env bash
# caseload.sh measures the caseload list at scale, and beside a peer:
#
# 1. CASES cases (default 1,000,000) in a SQLite file: the demo division,
#    then generated cases of the three casework units, one defendant each,
#    their lawyers the demo's lawyers; about 60% finalised, 3% of the live
#    ones with a custody time limit in the next 90 days. wrk (2 threads,
#    50 connections, DURATION each, default 20s, after a 3s warm-up) asks
#    the API, as the demo administrator, for 50 cases a page:
#      the default view     ?unit=organised_crime            (next deadline first)
#      by lawyer            ?unit=organised_crime&lawyer=ID
#      by status            ?unit=organised_crime&status=charged
#      CTL within 7 days    ?ctl_within=7
#    and for one case (GET /api/v1/cases/ID).
# 2. PEER_CASES cases (default 100,000) generated the same way, served by
#    caseboard and by PocketBase (the base example, PB_VERSION, installed
#    with go install into bench/.bin unless PB names a binary) as a
#    collection with the same fields and the same indexes, filled with the
#    same rows; the same default view through each list endpoint, sorted
#    by next deadline then id, 50 a page, PocketBase without its total
#    count (skipTotal=1, its fastest list) and as its superuser.
#
# DATA=dir keeps the two generated databases in dir and reuses them on the
# next run (serve migrates them to the binary's schema as it starts), so a
# run can be repeated without generating a million cases again.
#
# wrk runs on the same machine as the server and shares its cores; the
# script prints the CPU each process used. Needs sqlite3 and wrk
# (apt-get install -y sqlite3 wrk). SKIP_BUILD=1 uses bin/caseboard as it
# is. Everything goes in a temporary directory, removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

cases=${CASES:-1000000}
peer_cases=${PEER_CASES:-100000}
duration=${DURATION:-20s}
warmup=${WARMUP:-3s}
port=${PORT:-18191}
pb_port=${PB_PORT:-18192}
pb_version=${PB_VERSION:-v0.39.11}

for tool in sqlite3 wrk curl; do
	command -v "$tool" >/dev/null || { echo "caseload.sh: $tool is not installed (apt-get install -y sqlite3 wrk curl)" >&2; exit 1; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/caseboard-caseload.XXXXXX")
pids=()
cleanup() {
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

if [ -z "${SKIP_BUILD:-}" ]; then
	go build -tags sqlite_fts5 -o bin/caseboard ./cmd/caseboard
fi

# generate_cases DB N adds N cases, with one defendant each, to a database
# holding the demo division. The generated rows are what both servers hold.
generate_cases() {
	local db=$1 n=$2
	sqlite3 "$db" <<-SQL
	PRAGMA foreign_keys = ON;
	CREATE TEMP TABLE lawyers AS
	  SELECT row_number() OVER (ORDER BY p.id) - 1 AS n, p.id, p.unit_id, p.location_id, p.line_manager_id, u.code AS unit
	  FROM people p JOIN units u ON u.id = p.unit_id
	  WHERE u.code IN ('organised_crime', 'extradition', 'international')
	    AND p.grade IN ('specialist_prosecutor', 'senior_specialist_prosecutor', 'senior_crown_prosecutor', 'crown_advocate', 'legal_manager_1');
	CREATE TEMP TABLE generated AS
	  WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < $n)
	  SELECT i, l.id AS lawyer_id, l.unit_id, l.location_id, l.line_manager_id, l.unit,
	    (i * 7919) % 100 AS r
	  FROM seq JOIN lawyers l ON l.n = i % (SELECT COUNT(*) FROM lawyers);
	INSERT INTO cases (reference, kind, title, unit_id, location_id, status, sensitivity, lawyer_id, manager_id,
	                   opened_on, version, created_at, updated_at, next_deadline)
	SELECT printf('BENCH%08d', i), unit, printf('Operation %d', i), unit_id, location_id,
	  CASE WHEN r < 60 THEN CASE unit WHEN 'international' THEN 'completed' ELSE 'finalised' END
	       ELSE CASE unit WHEN 'organised_crime' THEN (CASE r % 3 WHEN 0 THEN 'pre_charge' WHEN 1 THEN 'charged' ELSE 'trial' END)
	                      WHEN 'extradition' THEN (CASE r % 3 WHEN 0 THEN 'received' WHEN 1 THEN 'arrested' ELSE 'hearing' END)
	                      ELSE 'in_progress' END END,
	  CASE WHEN r = 99 THEN 'restricted' WHEN r >= 96 THEN 'official_sensitive' ELSE 'official' END,
	  lawyer_id, line_manager_id,
	  date('2010-01-01', '+' || (i % 5000) || ' days') || ' 00:00:00+00:00', 1, '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00',
	  CASE WHEN r >= 60 AND i % 33 = 0 THEN date('now', '+' || (i % 90) || ' days') || ' 00:00:00+00:00'
	       ELSE '9999-12-31 00:00:00+00:00' END
	FROM generated;
	INSERT INTO defendants (case_id, ref, name, custody_status)
	SELECT id, '1', 'Defendant ' || id, '' FROM cases WHERE reference LIKE 'BENCH%';
	ANALYZE;
	SQL
}

# start_caseboard DB PORT starts the server; it sets token (an API token of
# the demo administrator) and server (the process id). No server runs on
# DB before it starts, so a job a stopped run left unfinished is marked
# ended: serve would leave it claimed for an hour.
start_caseboard() {
	local db=$1 p=$2
	sqlite3 "$db" "UPDATE job_runs SET finished_at = started_at, outcome = 'ended with an earlier benchmark run' WHERE finished_at IS NULL"
	token=$(bin/caseboard user token --db "$db" --email admin@caseboard.example --name caseload-bench 2>/dev/null | grep '^cbt_')
	log="$tmp/serve-$p.log"
	bin/caseboard serve --db "$db" --addr "127.0.0.1:$p" 2>>"$log" &
	server=$!
	pids+=("$server")
	wait_for "http://127.0.0.1:$p/healthz"
	wait_for_jobs "$db"
}

# wait_for_jobs DB waits until the day's scheduled jobs, which serve
# starts at once (the evidence checks evaluate compliance over every case),
# have finished, so that they are not measured with the requests. The
# evidence checks are the last of them.
wait_for_jobs() {
	local db=$1
	for _ in $(seq 600); do
		if [ "$(sqlite3 "$db" "SELECT COUNT(*) FROM job_runs WHERE period = date('now') AND job = 'evidence_checks' AND finished_at IS NOT NULL")" = 1 ]; then
			return 0
		fi
		sleep 0.5
	done
	echo "caseload.sh: the day's jobs did not finish within 5 minutes" >&2
	exit 1
}

wait_for() {
	for _ in $(seq 300); do
		curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "caseload.sh: nothing answered at $1" >&2
	exit 1
}

# cpu_seconds PID is the user+system CPU time the process has used.
cpu_seconds() {
	awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"
}

# server_times LOG prints the percentiles of the time caseboard spent on
# each request of the last run, from its request log (duration=...): the
# server's own time, without the wait in wrk's queue of connections.
server_times() {
	grep -ao 'duration=[0-9.]*[µmn]*s' "$1" | sed 's/duration=//' | awk '
		/µs$/ { sub(/µs$/, ""); print $0 / 1000; next }
		/ns$/ { sub(/ns$/, ""); print $0 / 1000000; next }
		/ms$/ { sub(/ms$/, ""); print $0 + 0; next }
		/s$/  { sub(/s$/, "");  print $0 * 1000 }' | sort -n | awk '
		{ v[NR] = $1 }
		END { if (NR == 0) exit
			printf "server time over %d requests: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
				NR, v[int(NR * 0.50) + 1], v[int(NR * 0.90) + 1], v[int(NR * 0.99) + 1], v[NR] }'
}

# load NAME URL AUTH runs wrk against URL and prints its figures and the
# CPU the server used during the run.
load() {
	local name=$1 url=$2 auth=$3 server=$4 before after out
	wrk -t2 -c50 -d"$warmup" -H "Authorization: $auth" "$url" >/dev/null
	if [ -n "${log:-}" ]; then : >"$log"; fi
	before=$(cpu_seconds "$server")
	out=$(/usr/bin/time -f 'wrk used %U s user, %S s system' wrk -t2 -c50 -d"$duration" --latency -H "Authorization: $auth" "$url" 2>&1)
	after=$(cpu_seconds "$server")
	echo "## $name"
	echo "# wrk -t2 -c50 -d$duration --latency '$url'"
	echo "$out"
	echo "server used $(awk -v a="$after" -v b="$before" 'BEGIN { printf "%.2f", a - b }') s CPU"
	if [ -n "${log:-}" ]; then
		server_times "$log"
		: >"$log"
	fi
	if grep -q "Non-2xx" <<<"$out"; then
		echo "caseload.sh: some responses were not 2xx; the figures above are not valid" >&2
		exit 1
	fi
	echo
}

# generated DB N fills DB with the demo and N generated cases, or, with
# DATA set, reuses the file a run before made.
generated() {
	local db=$1 n=$2 start
	if [ -n "${DATA:-}" ] && [ -s "$db" ]; then
		echo "# reusing $db ($(du -h "$db" | cut -f1))"
		return
	fi
	rm -f "$db" "$db-wal" "$db-shm"
	bin/caseboard demo --db "$db" >/dev/null
	start=$(date +%s)
	generate_cases "$db" "$n"
	echo "# generated $n cases in $(($(date +%s) - start)) s; $(du -h "$db" | cut -f1) on disk"
}
data=${DATA:-$tmp}
mkdir -p "$data"

echo "# part 1: $cases cases"
big="$data/big-$cases.db"
generated "$big" "$cases"
start_caseboard "$big" "$port"
lawyer=$(sqlite3 "$big" "SELECT lawyer_id FROM cases WHERE reference = 'BENCH00000001'")
one=$(sqlite3 "$big" "SELECT id FROM cases WHERE reference = 'BENCH00500000' OR reference = 'BENCH00000500' ORDER BY reference DESC LIMIT 1")
base="http://127.0.0.1:$port/api/v1/cases"
load "default view" "$base?unit=organised_crime&limit=50" "Bearer $token" "$server"
load "by lawyer" "$base?unit=organised_crime&lawyer=$lawyer&limit=50" "Bearer $token" "$server"
load "by status" "$base?unit=organised_crime&status=charged&limit=50" "Bearer $token" "$server"
load "CTL within 7 days" "$base?ctl_within=7&limit=50" "Bearer $token" "$server"
load "one case" "$base/$one" "Bearer $token" "$server"
kill "$server"
wait "$server" 2>/dev/null || true
pids=()

echo "# part 2: $peer_cases cases, caseboard and PocketBase $pb_version"
pb=${PB:-bench/.bin/base}
if [ ! -x "$pb" ]; then
	GOBIN="$PWD/bench/.bin" go install "github.com/pocketbase/pocketbase/examples/base@$pb_version"
fi
small="$data/small-$peer_cases.db"
generated "$small" "$peer_cases"

pb_dir="$tmp/pb_data"
"$pb" superuser upsert bench@caseboard.example bench-password-1 --dir "$pb_dir" >/dev/null
"$pb" serve --http "127.0.0.1:$pb_port" --dir "$pb_dir" >"$tmp/pb.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$pb_port/api/health"
pb_token=$(curl -fsS -H 'Content-Type: application/json' \
	-d '{"identity":"bench@caseboard.example","password":"bench-password-1"}' \
	"http://127.0.0.1:$pb_port/api/collections/_superusers/auth-with-password" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
curl -fsS -o /dev/null -H "Authorization: $pb_token" -H 'Content-Type: application/json' \
	"http://127.0.0.1:$pb_port/api/collections" -d @- <<-'JSON'
	{"name": "cases", "type": "base",
	 "fields": [
	  {"name": "reference", "type": "text"}, {"name": "kind", "type": "text"}, {"name": "title", "type": "text"},
	  {"name": "unit", "type": "text"}, {"name": "location", "type": "text"}, {"name": "status", "type": "text"},
	  {"name": "sensitivity", "type": "text"}, {"name": "lawyer", "type": "number"}, {"name": "lawyer_name", "type": "text"},
	  {"name": "opened_on", "type": "date"}, {"name": "next_deadline", "type": "date"}, {"name": "defendants", "type": "number"}],
	 "indexes": [
	  "CREATE UNIQUE INDEX cases_reference ON cases (reference)",
	  "CREATE INDEX cases_unit_deadline ON cases (unit, next_deadline, id)",
	  "CREATE INDEX cases_deadline ON cases (next_deadline, id)",
	  "CREATE INDEX cases_lawyer ON cases (lawyer, id)"]}
	JSON
kill "${pids[-1]}"
wait "${pids[-1]}" 2>/dev/null || true
pids=()
# The same rows as caseboard's, copied into PocketBase's table directly:
# its API would take far longer to insert them and measure nothing here.
sqlite3 "$pb_dir/data.db" <<-SQL
	ATTACH '$small' AS cb;
	INSERT INTO cases (id, reference, kind, title, unit, location, status, sensitivity, lawyer, lawyer_name, opened_on, next_deadline, defendants)
	SELECT printf('c%014d', c.id), c.reference, c.kind, c.title, u.code, l.code, c.status, c.sensitivity, COALESCE(c.lawyer_id, 0),
	  COALESCE(p.name, ''), substr(c.opened_on, 1, 10) || ' 00:00:00.000Z', substr(c.next_deadline, 1, 10) || ' 00:00:00.000Z',
	  (SELECT COUNT(*) FROM cb.defendants d WHERE d.case_id = c.id)
	FROM cb.cases c JOIN cb.units u ON u.id = c.unit_id JOIN cb.locations l ON l.id = c.location_id
	LEFT JOIN cb.people p ON p.id = c.lawyer_id;
	ANALYZE;
SQL
echo "# PocketBase holds $(sqlite3 "$pb_dir/data.db" 'SELECT COUNT(*) FROM cases') cases; caseboard $(sqlite3 "$small" 'SELECT COUNT(*) FROM cases')"
"$pb" serve --http "127.0.0.1:$pb_port" --dir "$pb_dir" >>"$tmp/pb.log" 2>&1 &
pids+=($!)
pb_server=${pids[-1]}
wait_for "http://127.0.0.1:$pb_port/api/health"
start_caseboard "$small" "$port"
load "caseboard, default view" "http://127.0.0.1:$port/api/v1/cases?unit=organised_crime&limit=50" "Bearer $token" "$server"
log="" load "PocketBase, default view" \
	"http://127.0.0.1:$pb_port/api/collections/cases/records?filter=(unit%3D'organised_crime')&sort=next_deadline,id&perPage=50&skipTotal=1" \
	"$pb_token" "$pb_server"
