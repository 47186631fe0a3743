#!/usr/bin/env bash
# fuzz.sh runs every fuzz target in the module for a short while
# (FUZZTIME, default 10s): one go test invocation per target, because
# go test -fuzz accepts a pattern matching exactly one target. A target's
# seed corpus already runs in the ordinary go test; this explores beyond it.
# A failure's input is saved under testdata/fuzz/ of its package, where the
# next go test replays it.
set -euo pipefail
cd "$(dirname "$0")/.."

fuzztime=${FUZZTIME:-10s}
tags=${GO_TAGS:-sqlite_fts5}

# Every "func FuzzName(" in a _test.go file, as "dir name" pairs.
mapfile -t targets < <(
	grep -rE --include='*_test.go' --exclude-dir=node_modules --exclude-dir=.git \
		'^func Fuzz[A-Za-z0-9_]*\(' . |
		sed -E 's#^(.*)/[^/]+_test\.go:func (Fuzz[A-Za-z0-9_]*)\(.*#\1 \2#' | sort -u
)

if [ "${#targets[@]}" -eq 0 ]; then
	echo "fuzz: no fuzz targets found"
	exit 0
fi

# fuzz_once runs one target. On a loaded machine the fuzzing engine
# sometimes ends a run with "context deadline exceeded" and no failing
# input: the engine's own timeout, not a bug found. Such a run is tried
# once more; any run that saves a failing input fails at once.
fuzz_once() {
	local dir=$1 name=$2 log
	log=$(mktemp)
	for attempt in 1 2; do
		if go test -tags "$tags" -run='^$' -fuzz="^${name}\$" -fuzztime="$fuzztime" "$dir" 2>&1 | tee "$log"; then
			rm -f "$log"
			return 0
		fi
		if ! grep -q 'context deadline exceeded' "$log" || grep -q 'Failing input written' "$log"; then
			break
		fi
		echo "fuzz: $dir $name: the engine timed out without a failing input; trying once more"
	done
	rm -f "$log"
	return 1
}

failed=()
for t in "${targets[@]}"; do
	dir=${t% *}
	name=${t#* }
	echo "fuzz: $dir $name for $fuzztime"
	if ! fuzz_once "$dir" "$name"; then
		failed+=("$dir $name")
	fi
done

if [ "${#failed[@]}" -gt 0 ]; then
	echo "fuzz: ${#failed[@]} of ${#targets[@]} targets failed:"
	printf '  %s\n' "${failed[@]}"
	exit 1
fi
echo "fuzz: ${#targets[@]} targets passed"
