#!/bin/sh
# make check: installs what is missing, builds, runs every suite (unit and
# scenario tests, also under ASan/UBSan; fuzz targets briefly; browser
# tests), then prints "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
tools/install-deps.sh || exit 2
RESULTS=$(mktemp)
export RESULTS
status=0
step() {
	echo
	echo "== $*"
	"$@" || status=1
}
JOBS=${JOBS:-2}
step make -s -j"$JOBS" all
step make -s -j"$JOBS" test-unit
step make -s test-scenarios
step make -s -j"$JOBS" SANITIZE=address,undefined build-san/parcours
step env ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	make -s -j"$JOBS" SANITIZE=address,undefined test-unit
step env ASAN_OPTIONS=detect_leaks=0 tests/run-scenarios.sh build-san/parcours
step tests/run-fuzz.sh
step make -s test-browser
passed=$(awk '$1 == "pass" {s += $2} END {print s + 0}' "$RESULTS")
failed=$(awk '$1 == "fail" {s += $2} END {print s + 0}' "$RESULTS")
rm -f "$RESULTS"
echo
[ "$status" -eq 0 ] || [ "$failed" -gt 0 ] || failed=1
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
