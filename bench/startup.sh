#!/usr/bin/env bash
# startup.sh measures caseboard's start-up: the time from exec of
#   bin/caseboard serve --db EXISTING.db --addr 127.0.0.1:PORT
# to the first 200 from /healthz, over RUNS runs (default 20), on a SQLite
# database loaded with the demo division. It builds the binary first, as
#   go build -tags sqlite_fts5 -o bin/caseboard ./cmd/caseboard
# and prints one line per run, then the median and max. Target: 150 ms.
#
#   bench/startup.sh            # 20 runs
#   RUNS=50 bench/startup.sh
#   SKIP_BUILD=1 bench/startup.sh   # use bin/caseboard as it is
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${RUNS:-20}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/caseboard-startup.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

if [ -z "${SKIP_BUILD:-}" ]; then
	echo "# go build -tags sqlite_fts5 -o bin/caseboard ./cmd/caseboard"
	go build -tags sqlite_fts5 -o bin/caseboard ./cmd/caseboard
fi
(cd bench/startup && go build -o "$tmp/startup" .)

db="$tmp/demo.db"
bin/caseboard demo --db "$db"
echo "# database: $(du -h "$db" | cut -f1) SQLite file with the demo division; binary: $(du -h bin/caseboard | cut -f1)"
echo "# bin/caseboard serve --db $db --addr 127.0.0.1:PORT, $runs runs"
"$tmp/startup" -bin bin/caseboard -db "$db" -runs "$runs"
