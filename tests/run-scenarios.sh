#!/bin/sh
# Runs the numbered scenario tests (tests/scenarios/NNNN-*.sh) against the
# given parcours binary; each starts its own server on 127.0.0.1 with a fresh
# database. Appends "pass 1" / "fail 1" per scenario to $RESULTS.
# Usage: tests/run-scenarios.sh ./parcours [PATTERN]
set -u
RESULTS=${RESULTS:-/dev/null}
PARCOURS=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
export PARCOURS
pattern=${2:-}
status=0
for t in tests/scenarios/[0-9][0-9][0-9][0-9]-*.sh; do
	case "$t" in *"$pattern"*) ;; *) continue ;; esac
	if out=$(sh "$t" 2>&1); then
		echo "ok   $t"
		echo "pass 1" >>"$RESULTS"
	else
		echo "FAIL $t"
		echo "$out" | tail -20 | sed 's/^/     /'
		echo "fail 1" >>"$RESULTS"
		status=1
	fi
done
exit $status
