#!/bin/sh
# Builds the libFuzzer targets and runs each for FUZZ_SECONDS (10 by
# default) from its seed corpus; a crash or leak fails. Appends to $RESULTS.
set -u
RESULTS=${RESULTS:-/dev/null}
seconds=${FUZZ_SECONDS:-10}
status=0
make -s -j2 fuzz-build || { echo "fail 1" >>"$RESULTS"; exit 1; }
for t in build-fuzz/fuzz_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	corpus=build-fuzz/corpus-$name
	mkdir -p "$corpus"
	seeds=tests/fuzz/corpus/$name
	[ -d "$seeds" ] || seeds=""
	if "$t" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 "$corpus" $seeds >build-fuzz/$name.log 2>&1; then
		echo "ok   fuzz $name ($(grep -o 'stat::number_of_executed_units: [0-9]*' build-fuzz/$name.log | tail -1 | awk '{print $2}') runs)"
		echo "pass 1" >>"$RESULTS"
	else
		echo "FAIL fuzz $name"
		tail -30 build-fuzz/$name.log
		echo "fail 1" >>"$RESULTS"
		status=1
	fi
done
exit $status
