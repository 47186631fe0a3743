#!/usr/bin/env bash
# import.sh measures the outcomes import at scale: it writes an outcomes
# CSV of ROWS rows (default 1,200,000: 600,000 organised crime cases of two
# finalised defendants each), loads the demo division into a new SQLite
# file, and times
#   bin/caseboard import outcomes FILE --as HEAD_OF_DIVISION
# with /usr/bin/time for the elapsed time and the peak resident memory.
# With CASEBOARD_DB set to a postgres:// URL it does the same on that
# PostgreSQL server, in a schema of its own that it drops afterwards (psql
# is needed for that).
#
#   bench/import.sh            # SQLite
#   ROWS=200000 bench/import.sh
#   CASEBOARD_DB='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' bench/import.sh
#
# SKIP_BUILD=1 uses bin/caseboard as it is; CASEBOARD_BIN=PATH (implies
# SKIP_BUILD) times another build, such as an earlier commit's, on the same
# file. The files go in a temporary directory, removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

rows=${ROWS:-1200000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/caseboard-import.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

bin=${CASEBOARD_BIN:-bin/caseboard}
if [ -z "${SKIP_BUILD:-}" ] && [ -z "${CASEBOARD_BIN:-}" ]; then
	go build -tags sqlite_fts5 -o bin/caseboard ./cmd/caseboard
fi
command -v /usr/bin/time >/dev/null || { echo "import.sh: /usr/bin/time is needed (apt-get install -y time)" >&2; exit 1; }

csv="$tmp/outcomes.csv"
awk -v rows="$rows" 'BEGIN {
	print "case_urn,unit,location,court,defendant_id,principal_offence,finalised_on,outcome"
	split("petty_france birmingham warrington calder", loc, " ")
	split("guilty_plea guilty_plea guilty_plea conviction_after_trial acquitted discontinued", outcome, " ")
	split("drugs_offences fraud_and_forgery homicide robbery all_other", offence, " ")
	for (i = 0; i < rows; i++) {
		c = int(i / 2)
		printf "%02dXX%07d18,organised_crime,%s,%s,%d,%s,2018-%02d-%02d,%s\n", 10 + c % 80, c, loc[1 + c % 4], (c % 10 == 0 ? "MC" : "CC"),
			1 + i % 2, offence[1 + c % 5], 1 + c % 12, 1 + c % 28, outcome[1 + i % 6]
	}
}' > "$csv"
echo "import.sh: $(wc -l < "$csv") lines, $(du -h "$csv" | cut -f1) in $csv"

db="$tmp/caseboard.db"
pg=${CASEBOARD_DB:-}
case "$pg" in
postgres://* | postgresql://*)
	command -v psql >/dev/null || { echo "import.sh: psql is needed for PostgreSQL" >&2; exit 1; }
	schema="import_bench_$$"
	psql -q -v ON_ERROR_STOP=1 "$pg" -c "CREATE SCHEMA $schema"
	trap 'psql -q "$pg" -c "SET client_min_messages = warning" -c "DROP SCHEMA IF EXISTS $schema CASCADE"; rm -rf "$tmp"' EXIT
	case "$pg" in *\?*) db="$pg&search_path=$schema" ;; *) db="$pg?search_path=$schema" ;; esac
	echo "import.sh: PostgreSQL, schema $schema"
	;;
"") ;;
*) echo "import.sh: CASEBOARD_DB must be a postgres:// URL (SQLite uses a file of its own)" >&2; exit 1 ;;
esac
demo=$("$bin" demo --db "$db")
hod=$(printf '%s\n' "$demo" | sed -n 's/.* is \([^ ]*@[^ ]*\)$/\1/p' | tail -1)
echo "import.sh: importing as $hod"
/usr/bin/time -f 'elapsed %e s, user %U s, system %S s, peak resident memory %M KiB' "$bin" import outcomes "$csv" --db "$db" --as "$hod"
