#!/usr/bin/env bash
# bench/run.sh — the performance figures (`make bench`, after `make all`).
# What is measured and why: docs/bench.md. Each figure is printed with its
# ratio to a baseline run in the same bench run; nothing here passes or
# fails on a timing (the exit status is non-zero only when a step breaks).
#
# Knobs (environment): BENCH_HOUSEHOLDS (100000), BENCH_RUNS (3 timed runs of
# each import), BENCH_SECONDS (10 s per wrk run), BENCH_CONNECTIONS (32).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
HOUSEHOLDS=${BENCH_HOUSEHOLDS:-100000}
RUNS=${BENCH_RUNS:-3}
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
CFLAGS="-std=c17 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror -O2"

for tool in sqlite3 wrk curl gcc; do
	command -v "$tool" >/dev/null || { echo "bench: $tool is missing (tools/install-deps.sh)" >&2; exit 1; }
done
[ -x ./parcours ] || { echo "bench: ./parcours is missing: run make first" >&2; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/parcours-bench.XXXXXX")
SERVER_PID=
# The server stops on SIGTERM; should the signal land on one of its pool
# threads instead of the main one (see docs/bench.md), it is killed after 5 s
# rather than left to hang the bench.
stop_server() {
	[ -n "$SERVER_PID" ] || return 0
	kill "$SERVER_PID" 2>/dev/null || true
	for _ in $(seq 1 50); do
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$SERVER_PID" 2>/dev/null || true
	wait "$SERVER_PID" 2>/dev/null || true
	SERVER_PID=
}
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

# ---- helpers ---------------------------------------------------------------
# runstat writes "wall user sys maxrss_kb status" for one command.
timed() { # timed NAME COMMAND...
	local name=$1
	shift
	"$TMP/runstat" "$TMP/$name.stat" "$@"
}
stat_field() { awk -v f="$2" '{ print $f }' "$TMP/$1.stat"; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "n/a" }'; }
line() { printf '%s\n' "------------------------------------------------------------------------------"; }

echo "Parcours bench — $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)," \
     "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo);" \
     "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "sqlite3 $(sqlite3 --version | cut -d' ' -f1), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
echo "peak RSS: wait4() rusage ru_maxrss of the process (bench/runstat.c), as GNU time -v reports it"
line

# ---- 1. JSONL import ---------------------------------------------------------
echo "1. JSONL import of the demo territory, $HOUSEHOLDS households"
"$P" --db "$TMP/demo.db" demo --households "$HOUSEHOLDS" >/dev/null
"$P" --db "$TMP/demo.db" export >"$TMP/all.jsonl"
ROWS=$(wc -l <"$TMP/all.jsonl")
echo "file: $(du -m "$TMP/all.jsonl" | cut -f1) MiB, $ROWS records:" \
     "$(grep -o '^{"type":"[a-z_]*"' "$TMP/all.jsonl" | cut -d'"' -f4 | sort | uniq -c |
	awk '{ printf "%s%s %s", sep, $1, $2; sep = ", " }')"

# The first timed run also produces the database whose rows the baselines
# load: the very values parcours stored (search keys included).
parcours_import() { # parcours_import N
	rm -f "$TMP/imp.db" "$TMP/imp.db-wal" "$TMP/imp.db-shm"
	timed "parcours$1" "$P" --db "$TMP/imp.db" import "$TMP/all.jsonl" >/dev/null
}
parcours_import 1

# The same-shaped schema: the project's own migration, run on an empty file
# (same tables, columns, indexes, WAL mode).
"$P" --db "$TMP/schema.db" migrate >/dev/null
TABLES="territory territory_commune organisation account household person right_period"
PRAGMAS="PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY;"

# Baseline A: one CSV file per table, loaded by the CLI's .import (one
# prepared INSERT reused per row) in one transaction. CSV cannot say NULL:
# empty foreign-key columns are set back to NULL before the commit (the
# constraints are deferred), other empty optional columns stay ''.
mkdir -p "$TMP/csv"
{
	echo "$PRAGMAS BEGIN IMMEDIATE;"
	for t in $TABLES; do
		sqlite3 -csv "$TMP/imp.db" "SELECT * FROM $t ORDER BY rowid" >"$TMP/csv/$t.csv"
		echo ".import --csv $TMP/csv/$t.csv $t"
	done
	sqlite3 "$TMP/schema.db" "SELECT 'UPDATE ' || m.name || ' SET \"' || f.\"from\" || '\" = NULL WHERE \"' ||
		f.\"from\" || '\" = '''';' FROM sqlite_master m, pragma_foreign_key_list(m.name) f
		WHERE m.type = 'table' AND m.name IN ('$(echo $TABLES | sed "s/ /','/g")')"
	echo "COMMIT;"
} >"$TMP/load-csv.sql"

# Baseline B: one SQL file of INSERT statements (exact values, NULLs kept),
# in one transaction; the CLI parses each statement.
{
	echo "$PRAGMAS BEGIN IMMEDIATE;"
	for t in $TABLES; do
		printf '.mode insert %s\nSELECT * FROM %s ORDER BY rowid;\n' "$t" "$t" | sqlite3 "$TMP/imp.db"
	done
	echo "COMMIT;"
} >"$TMP/load-sql.sql"

sqlite_import() { # sqlite_import csv|sql N
	rm -f "$TMP/base.db" "$TMP/base.db-wal" "$TMP/base.db-shm"
	cp "$TMP/schema.db" "$TMP/base.db"
	timed "$1$2" sqlite3 -bail "$TMP/base.db" ".read $TMP/load-$1.sql"
}
counts() { for t in $TABLES; do sqlite3 "$1" "SELECT count(*) FROM $t"; done | tr '\n' ' '; }

# Interleaved, so that a burst of load on the machine hits every contender.
for i in $(seq 1 "$RUNS"); do
	sqlite_import csv "$i"
	sqlite_import sql "$i"
	if [ "$i" -lt "$RUNS" ]; then parcours_import $((i + 1)); fi
done
if [ "$(counts "$TMP/imp.db")" != "$(counts "$TMP/base.db")" ]; then
	echo "bench: the baseline did not load the same rows" >&2
	exit 1
fi
for who in parcours csv sql; do
	for i in $(seq 1 "$RUNS"); do
		[ "$(stat_field "$who$i" 5)" = 0 ] || { echo "bench: $who run $i failed" >&2; exit 1; }
	done
done

declare -A WALL CPU RSS
printf '%-34s %8s %8s %10s %9s  %s\n' "" "wall s" "cpu s" "rows/s" "peak RSS" "runs (wall s)"
for who in parcours csv sql; do
	walls=() cpus=() rsss=()
	for i in $(seq 1 "$RUNS"); do
		walls+=("$(stat_field "$who$i" 1)")
		cpus+=("$(awk '{ printf "%.3f", $2 + $3 }' "$TMP/$who$i.stat")")
		rsss+=("$(stat_field "$who$i" 4)")
	done
	WALL[$who]=$(median "${walls[@]}")
	CPU[$who]=$(median "${cpus[@]}")
	RSS[$who]=$(median "${rsss[@]}")
	case $who in
	parcours) label="parcours import (JSONL)" ;;
	csv) label="baseline A: sqlite3 .import CSV" ;;
	sql) label="baseline B: sqlite3 INSERT file" ;;
	esac
	printf '%-34s %8.2f %8.2f %10s %6d MiB  %s\n' "$label" "${WALL[$who]}" "${CPU[$who]}" \
		"$(rate "$ROWS" "${WALL[$who]}")" $((RSS[$who] / 1024)) "${walls[*]}"
done
echo "(medians of $RUNS runs; rows = $ROWS exchange records, the same rows in every contender)"
echo "ratio parcours / baseline A (CSV .import):   $(div "${WALL[parcours]}" "${WALL[csv]}")x wall," \
     "$(div "${CPU[parcours]}" "${CPU[csv]}")x cpu   (issue target: within 3x)"
echo "ratio parcours / baseline B (INSERT file):   $(div "${WALL[parcours]}" "${WALL[sql]}")x wall," \
     "$(div "${CPU[parcours]}" "${CPU[sql]}")x cpu"
echo "peak RSS of the parcours import: $((RSS[parcours] / 1024)) MiB"
line

# ---- 2. Person file under wrk --------------------------------------------------
echo "2. Person file page under wrk: $CONNECTIONS connections, 2 threads, ${SECONDS_PER_RUN}s per run"
rm -f "$TMP/imp.db" "$TMP/base.db" "$TMP"/imp.db-* "$TMP"/base.db-* "$TMP/all.jsonl" "$TMP"/load-*.sql
rm -rf "$TMP/csv"
PARCOURS_TODAY=2017-12-31 "$P" --db "$TMP/demo.db" serve --port 0 --static "$ROOT/static" \
	>"$TMP/server.log" 2>&1 &
SERVER_PID=$!
PORT=
for _ in $(seq 1 100); do
	PORT=$(sed -n 's|^listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$TMP/server.log")
	[ -n "$PORT" ] && break
	sleep 0.1
done
[ -n "$PORT" ] || { echo "bench: the server did not start" >&2; cat "$TMP/server.log" >&2; exit 1; }
BASE="http://127.0.0.1:$PORT"

# Sign in as admin (the prelogin token is a double-submit cookie).
JAR="$TMP/cookies"
PRELOGIN=$(curl -sf -c "$JAR" -b "$JAR" "$BASE/login" |
	sed -n 's/.*name="prelogin" value="\([^"]*\)".*/\1/p')
curl -sf -o /dev/null -c "$JAR" -b "$JAR" --data-urlencode "prelogin=$PRELOGIN" \
	--data-urlencode "email=admin@demo.parcours.fr" --data-urlencode "password=parcours-demo-2017" \
	--data-urlencode "next=/" "$BASE/login"
COOKIE=$(awk '$6 == "parcours_session" { print $6 "=" $7 }' "$JAR")
[ -n "$COOKIE" ] || { echo "bench: could not sign in as admin" >&2; exit 1; }

# Every 40th person: 5 000 ids at the default size, spread over the file.
sqlite3 "$TMP/demo.db" "SELECT id FROM person WHERE rowid % 40 = 0 ORDER BY rowid" >"$TMP/ids.txt"
FIRST_ID=$(head -1 "$TMP/ids.txt")
export BENCH_IDS="$TMP/ids.txt"
cat >"$TMP/people.lua" <<'EOF'
-- One random person per request, from the list; each wrk thread its own seed.
local ids = {}
for id in io.lines(os.getenv("BENCH_IDS")) do ids[#ids + 1] = id end
local threads = 0
function setup(thread)
	threads = threads + 1
	thread:set("seed", threads)
end
function init(args)
	math.randomseed(seed * 7919)
end
function request()
	return wrk.format("GET", "/people/" .. ids[math.random(#ids)])
end
EOF

probe() { curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "$@"; }
ACCEPT=()
PAGE="HTML page"
if [ "$(probe "$BASE/people/$FIRST_ID")" != 200 ]; then
	if [ "$(probe -H 'Accept: application/json' "$BASE/people/$FIRST_ID")" = 200 ]; then
		ACCEPT=(-H "Accept: application/json")
		PAGE="JSON answer"
		echo "NOTE: /people/{id} as HTML answers $(probe "$BASE/people/$FIRST_ID") in this build;" \
		     "measuring its JSON answer (same handler, reads and audit write; no template)"
	else
		echo "bench: /people/$FIRST_ID answers $(probe "$BASE/people/$FIRST_ID")" >&2
		exit 1
	fi
fi
STATIC=/static/app.css
[ -f "static${STATIC#/static}" ] || STATIC=/static/dsfr/dsfr.min.css

run_wrk() { # run_wrk NAME SECONDS [wrk args...]
	local name=$1 secs=$2
	shift 2
	wrk -t2 -c"$CONNECTIONS" -d"${secs}s" --timeout 10s --latency "$@" >"$TMP/$name.wrk"
}
wrk_rate() { awk '/^Requests\/sec:/ { print $2 }' "$TMP/$1.wrk"; }
wrk_p() { # wrk_p NAME PERCENT → milliseconds
	awk -v p="$2%" '$1 == p { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
		f = u == "us" ? 0.001 : u == "s" ? 1000 : u == "m" ? 60000 : 1; printf "%.2f", v * f }' \
		"$TMP/$1.wrk"
}
wrk_bad() { awk '/Non-2xx/ { n += $NF } /Socket errors/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 }
	END { print n + 0 }' "$TMP/$1.wrk"; }
wrk_count() { awk '/requests in/ { print $1 }' "$TMP/$1.wrk"; }
audited() { sqlite3 "$TMP/demo.db" "SELECT count(*) FROM audit WHERE action = 'person.read'"; }

run_wrk static-warm 2 "$BASE$STATIC"
run_wrk static "$SECONDS_PER_RUN" "$BASE$STATIC"
run_wrk people-warm 2 -s "$TMP/people.lua" -H "Cookie: $COOKIE" "${ACCEPT[@]}" "$BASE/"
AUDIT0=$(audited)
run_wrk people "$SECONDS_PER_RUN" -s "$TMP/people.lua" \
	-H "Cookie: $COOKIE" "${ACCEPT[@]}" "$BASE/"
AUDIT1=$(audited)

printf '%-34s %10s %9s %9s %9s %9s\n' "" "req/s" "p50 ms" "p99 ms" "requests" "errors"
for n in static people; do
	case $n in
	static) label="baseline: GET $STATIC" ;;
	people) label="person file ($PAGE)" ;;
	esac
	printf '%-34s %10s %9s %9s %9s %9s\n' "$label" "$(wrk_rate $n)" "$(wrk_p $n 50)" \
		"$(wrk_p $n 99)" "$(wrk_count $n)" "$(wrk_bad $n)"
done
echo "ratio person file / static: $(div "$(wrk_rate people)" "$(wrk_rate static)")" \
     "(issue target: at least 0.20)"
echo "person.read audit entries written during the run: $((AUDIT1 - AUDIT0))" \
     "(one per person-file read, by design)"
stop_server
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
line
