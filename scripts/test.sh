#!/usr/bin/env bash
# test.sh is make test: it installs what the tests need, then runs every
# kind of test in order, each as a phase that prints its status and time,
# and closes with a summary. Exits non-zero if any phase failed.
#
# A failing install stops the run at once: nothing after it could pass. A
# failing test phase does not: the later phases still run, so one run (one
# CI run, above all) shows every failure, not just the first. The exception
# is the build: if bin/caseboard cannot be built, the browser tests are not
# run, since they would test an old binary.
set -uo pipefail
cd "$(dirname "$0")/.."

make_=${MAKE:-make}
results=()
failed=0

phase() {
	local name=$1
	shift
	local start rc secs
	start=$(date +%s)
	echo "=== $name: $*"
	"$@"
	rc=$?
	secs=$(($(date +%s) - start))
	if [ "$rc" -eq 0 ]; then
		echo "=== $name: ok (${secs}s)"
		results+=("$(printf '%-10s ok      %4ss' "$name" "$secs")")
	else
		echo "=== $name: FAILED with status $rc (${secs}s)"
		results+=("$(printf '%-10s FAILED  %4ss' "$name" "$secs")")
		failed=$((failed + 1))
	fi
	return "$rc"
}

summary() {
	echo "=== make test summary"
	printf '  %s\n' "${results[@]}"
	# The last line counts the phases in the plain form CI reads.
	if [ "$failed" -gt 0 ]; then
		echo "make test: $failed phase(s) failed"
		echo "phases: $((${#results[@]} - failed)) passed, $failed failed"
		exit 1
	fi
	echo "make test: every phase passed"
	echo "phases: ${#results[@]} passed, 0 failed"
}

# Installs.
phase npm $make_ --no-print-directory node_modules/.package-lock.json || summary
phase chromium bash scripts/ensure-chromium.sh || summary
phase postgres bash scripts/ensure-postgres.sh || summary

# Tests.
phase vet $make_ --no-print-directory vet
phase go-test $make_ --no-print-directory test-go
phase fuzz $make_ --no-print-directory fuzz
if phase build $make_ --no-print-directory build; then
	phase browser $make_ --no-print-directory test-browser
else
	results+=("$(printf '%-10s skipped (the build failed)' browser)")
fi
summary
