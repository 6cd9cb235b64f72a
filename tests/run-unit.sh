#!/bin/sh
# Runs cmocka unit test binaries; appends "pass N" / "fail N" to $RESULTS.
# Usage: tests/run-unit.sh BIN...
set -u
RESULTS=${RESULTS:-/dev/null}
status=0
for bin in "$@"; do
	out=$(mktemp)
	"$bin" >"$out" 2>&1
	rc=$?
	cat "$out"
	passed=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | awk '{s+=$1} END {print s+0}')
	failed=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | awk '{s+=$1} END {print s+0}')
	if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
		failed=1 # crashed before cmocka could count
	fi
	echo "pass $passed" >>"$RESULTS"
	echo "fail $failed" >>"$RESULTS"
	[ "$failed" -eq 0 ] || status=1
	rm -f "$out"
done
exit $status
