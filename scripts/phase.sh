#!/usr/bin/env bash
# phase.sh NAME COMMAND... runs one phase of make test, then prints whether
# it passed and how long it took, and exits with the command's status.
set -uo pipefail
name=$1
shift
start=$(date +%s)
echo "=== $name: $*"
"$@"
rc=$?
secs=$(($(date +%s) - start))
if [ "$rc" -eq 0 ]; then
	echo "=== $name: ok (${secs}s)"
else
	echo "=== $name: FAILED with status $rc (${secs}s)"
fi
exit "$rc"
