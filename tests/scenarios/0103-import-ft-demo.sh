#!/bin/sh
# The sample France Travail file of the demo (demo/ft-sample-2017-12.csv, a
# "principal" extract in windows-1252) matches the demo territory: every
# line but the two people the demo does not know is taken; again, nothing
# changes.
. "$(dirname "$0")/lib.sh"
SAMPLE="$(cd "$(dirname "$0")/../.." && pwd)/demo/ft-sample-2017-12.csv"
pc demo --households 300 >/dev/null 2>&1 || fail "the demo did not build"
expect_pc 0 import-ft "$SAMPLE"
expect_out "principal: created 28, updated 0, unchanged 0, rejected 0, unmatched 2"
[ "$(tail -n 1 "$WORK/out")" = "created 28, updated 0, unchanged 0, rejected 0" ] || fail "last line: $(tail -n 1 "$WORK/out")"
expect_err_line "line 30:" "9876543Z210" "unmatched"
expect_pc 0 import-ft "$SAMPLE"
[ "$(tail -n 1 "$WORK/out")" = "created 0, updated 0, unchanged 28, rejected 0" ] || fail "re-import: $(tail -n 1 "$WORK/out")"
