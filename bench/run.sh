#!/usr/bin/env bash
# bench/run.sh — the performance figures (`make bench`, after `make all`).
# What is measured and why: docs/bench.md. Each figure is printed with its
# ratio to a baseline run in the same bench run; nothing here passes or
# fails on a timing (the exit status is non-zero only when a step breaks).
# One file per measure: bench/jsonl.sh, bench/caf.sh, bench/ft.sh,
# bench/lists.sh, bench/web.sh (sourced, helpers in bench/lib.sh).
#
# Knobs (environment): BENCH_HOUSEHOLDS (100000: JSONL import),
# BENCH_CAF_HOUSEHOLDS (100000: CAF flux; a tenth of it too),
# BENCH_FT_LINES (100000: France Travail movement file; a tenth too),
# BENCH_LIST_LINES (50000: beneficiary list, XLSX and CSV; a tenth too),
# BENCH_WEB_HOUSEHOLDS (the demo's default, 40000: the pages' database),
# BENCH_RUNS (3 timed runs of each JSONL import, of xmllint, and of each
# step of the France Travail and list measures: medians),
# BENCH_SECONDS (10 s per wrk run), BENCH_CONNECTIONS (32),
# BENCH_ONLY (jsonl,caf,ft,list,web: the measures to run).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
HOUSEHOLDS=${BENCH_HOUSEHOLDS:-100000}
CAF_HOUSEHOLDS=${BENCH_CAF_HOUSEHOLDS:-100000}
FT_LINES=${BENCH_FT_LINES:-100000}
LIST_LINES=${BENCH_LIST_LINES:-50000}
WEB_HOUSEHOLDS=${BENCH_WEB_HOUSEHOLDS:-}
RUNS=${BENCH_RUNS:-3}
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
ONLY=${BENCH_ONLY:-jsonl,caf,ft,list,web}
CFLAGS="-std=c17 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror -O2"

for tool in sqlite3 wrk curl gcc xmllint; do
	command -v "$tool" >/dev/null || { echo "bench: $tool is missing (tools/install-deps.sh)" >&2; exit 1; }
done
[ -x ./parcours ] || { echo "bench: ./parcours is missing: run make first" >&2; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/parcours-bench.XXXXXX")
# shellcheck source=bench/lib.sh
. bench/lib.sh
cleanup() {
	stop_server
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The binary is copied so that a `make` run meanwhile (which rewrites
# ./parcours) neither fails on a busy file nor changes what is measured.
cp ./parcours "$TMP/parcours"
P="$TMP/parcours"
gcc $CFLAGS -include src/base/banned.h -o "$TMP/runstat" bench/runstat.c
gcc $CFLAGS -include src/base/banned.h -o "$TMP/caf_gen" bench/caf_gen.c
gcc $CFLAGS -include src/base/banned.h -o "$TMP/ft_gen" bench/ft_gen.c
gcc $CFLAGS -include src/base/banned.h -o "$TMP/list_gen" bench/list_gen.c -lxlsxwriter

STARTED=$(date +%s)
echo "Parcours bench — $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)," \
     "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo);" \
     "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "sqlite3 $(sqlite3 --version | cut -d' ' -f1), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)," \
     "$(xmllint --version 2>&1 | head -1 | sed 's/^xmllint: using //')"
echo "peak RSS: wait4() rusage ru_maxrss of the process (bench/runstat.c), as GNU time -v reports it"
line

for measure in jsonl caf ft list web; do
	case ",$ONLY," in
	*",$measure,"*) . "bench/${measure/#list/lists}.sh" ;;
	esac
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); bench took $(($(date +%s) - STARTED)) s"
