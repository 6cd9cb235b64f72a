# bench/lib.sh — helpers shared by the measures of bench/run.sh (sourced,
# never run alone). Expects TMP (the run's scratch directory) and P (the
# copied parcours binary) to be set.

# runstat writes "wall user sys maxrss_kb status" for one command.
timed() { # timed NAME COMMAND...
	local name=$1
	shift
	"$TMP/runstat" "$TMP/$name.stat" "$@"
}
stat_field() { awk -v f="$2" '{ print $f }' "$TMP/$1.stat"; }
stat_cpu() { awk '{ printf "%.3f", $2 + $3 }' "$TMP/$1.stat"; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# a / b with two decimals, or four below 0.1 (a ratio of 0.0018 is not 0.00).
div() { awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) print "n/a"; else if (a / b < 0.1) printf "%.4f", a / b;
	else printf "%.2f", a / b }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "n/a" }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
file_mib() { mib "$(($(stat -c %s "$1") / 1024))"; } # a file's size, in MiB
line() { printf '%s\n' "------------------------------------------------------------------------------"; }
fail() { echo "bench: $*" >&2; exit 1; }

# stat_ok NAME...: every named run exited 0.
stat_ok() {
	local n
	for n in "$@"; do
		[ "$(stat_field "$n" 5)" = 0 ] || fail "$n failed (exit $(stat_field "$n" 5))"
	done
}

# medians PREFIX RUNS: sets M_WALL, M_CPU, M_RSS (kB) and M_WALLS (every
# run's wall time) from the runs PREFIX1 … PREFIXRUNS.
medians() {
	local walls=() cpus=() rsss=() i
	for i in $(seq 1 "$2"); do
		walls+=("$(stat_field "$1$i" 1)")
		cpus+=("$(stat_cpu "$1$i")")
		rsss+=("$(stat_field "$1$i" 4)")
	done
	M_WALL=$(median "${walls[@]}")
	M_CPU=$(median "${cpus[@]}")
	M_RSS=$(median "${rsss[@]}")
	M_WALLS="${walls[*]}"
}

fresh_db() { rm -f "$1" "$1-wal" "$1-shm"; }
# copy_db FROM TO: TO becomes a fresh copy of the database FROM (with its WAL).
copy_db() {
	local f
	fresh_db "$2"
	for f in "$1" "$1-wal" "$1-shm"; do
		[ -e "$f" ] && cp "$f" "$2${f#"$1"}"
	done
	return 0
}
# demo_records TYPES OUT: the demo's records of TYPES (territory,
# organisation…) as an exchange-format file, for a database with the
# schema and those records only.
demo_records() {
	"$P" --db "$TMP/tiny.db" demo --households 1 >/dev/null
	"$P" --db "$TMP/tiny.db" export --types "$1" >"$2"
	fresh_db "$TMP/tiny.db"
}

# ---- imports of the outside formats (bench/ft.sh, bench/lists.sh) -------------
# timed_import NAME TOTALS COMMAND...: a timed import whose last line of
# output must be TOTALS ("created N, updated N, unchanged N, rejected N").
timed_import() {
	local name=$1 want=$2
	shift 2
	timed "$name" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" ||
		{ tail -5 "$TMP/$name.err" >&2; fail "$name failed"; }
	[ "$(tail -1 "$TMP/$name.out")" = "$want" ] ||
		fail "$name: $(tail -1 "$TMP/$name.out") (expected: $want)"
}
# csv_load NAME FILE ROWS [SQL]: sqlite3's .import of the `;`-separated FILE
# into a plain table t of a new database (its header names the columns; SQL
# creates t first for a file without header); t must hold ROWS rows.
csv_load() {
	local name=$1 file=$2 rows=$3 sql=${4:-}
	fresh_db "$TMP/csv-base.db"
	timed "$name" sqlite3 -bail "$TMP/csv-base.db" ".mode csv" ".separator ;" ${sql:+"$sql"} \
		".import $file t"
	stat_ok "$name"
	[ "$(sqlite3 "$TMP/csv-base.db" "SELECT count(*) FROM t")" = "$rows" ] ||
		fail "$name: sqlite3 did not load $rows rows"
	fresh_db "$TMP/csv-base.db"
}
# stat_median PREFIX NAME: NAME.stat holds the medians of the runs PREFIX1 …
# PREFIX$RUNS (wall, CPU as user time, peak RSS), for the helpers below.
stat_median() {
	medians "$1" "$RUNS"
	echo "$M_WALL $M_CPU 0 $M_RSS 0" >"$TMP/$2.stat"
}
import_header() {
	printf '%-46s %8s %8s %9s %9s  (medians of %s runs)\n' "" "wall s" "cpu s" "lines/s" "peak RSS" "$RUNS"
}
import_row() { # import_row STAT LINES LABEL
	printf '%-46s %8.2f %8.2f %9s %5s MiB\n' "$3" "$(stat_field "$1" 1)" "$(stat_cpu "$1")" \
		"$(rate "$2" "$(stat_field "$1" 1)")" "$(mib "$(stat_field "$1" 4)")"
}
# ratio_line LABEL STAT BASE: STAT's wall and CPU times over BASE's.
ratio_line() {
	echo "ratio $1: $(div "$(stat_field "$2" 1)" "$(stat_field "$3" 1)")x wall," \
	     "$(div "$(stat_cpu "$2")" "$(stat_cpu "$3")")x cpu"
}

# ---- the server ------------------------------------------------------------
SERVER_PID=
# start_server DB: PARCOURS_TODAY=2017-12-31 parcours serve on a free port of
# 127.0.0.1, as `make demo` does; sets BASE.
start_server() {
	PARCOURS_TODAY=2017-12-31 "$P" --db "$1" serve --port 0 --static "$ROOT/static" \
		>"$TMP/server.log" 2>&1 &
	SERVER_PID=$!
	local port=
	for _ in $(seq 1 100); do
		port=$(sed -n 's|^listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$TMP/server.log")
		[ -n "$port" ] && break
		sleep 0.1
	done
	[ -n "$port" ] || { cat "$TMP/server.log" >&2; fail "the server did not start"; }
	BASE="http://127.0.0.1:$port"
}
# SIGTERM, then SIGKILL after 5 s, so that a lost signal cannot hang the bench.
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

# sign_in EMAIL JAR: prints the session cookie "parcours_session=…" (the
# prelogin token is a double-submit cookie).
sign_in() {
	local prelogin
	prelogin=$(curl -sf -c "$2" -b "$2" "$BASE/login" |
		sed -n 's/.*name="prelogin" value="\([^"]*\)".*/\1/p')
	curl -sf -o /dev/null -c "$2" -b "$2" --data-urlencode "prelogin=$prelogin" \
		--data-urlencode "email=$1" --data-urlencode "password=parcours-demo-2017" \
		--data-urlencode "next=/" "$BASE/login"
	awk '$6 == "parcours_session" { print $6 "=" $7 }' "$2"
}
http_code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }

# ---- wrk --------------------------------------------------------------------
# run_wrk NAME [wrk args...]: an untimed 2 s warm-up, then the timed run.
warm_wrk() { wrk -t2 -c"$CONNECTIONS" -d2s --timeout 10s "$@" >/dev/null; }
timed_wrk() { # timed_wrk NAME [wrk args...]
	local name=$1
	shift
	wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --timeout 10s --latency "$@" >"$TMP/$name.wrk"
}
run_wrk() {
	warm_wrk "${@:2}"
	timed_wrk "$@"
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
wrk_header() { printf '%-40s %10s %9s %9s %9s %7s\n' "" "req/s" "p50 ms" "p99 ms" "requests" "errors"; }
wrk_row() { # wrk_row NAME LABEL
	printf '%-40s %10s %9s %9s %9s %7s\n' "$2" "$(wrk_rate "$1")" "$(wrk_p "$1" 50)" \
		"$(wrk_p "$1" 99)" "$(wrk_count "$1")" "$(wrk_bad "$1")"
}

# wrk_list_script OUT: a wrk Lua script that requests, for every request,
# $BENCH_PREFIX .. a random line of the file $BENCH_LIST, percent-encoded
# when $BENCH_ENCODE is 1 (each thread its own seed).
wrk_list_script() {
	cat >"$1" <<'EOF'
local items = {}
local encode = os.getenv("BENCH_ENCODE") == "1"
for item in io.lines(os.getenv("BENCH_LIST")) do
	if encode then
		item = item:gsub("[^%w]", function(c) return string.format("%%%02X", c:byte()) end)
	end
	items[#items + 1] = item
end
local prefix = os.getenv("BENCH_PREFIX")
local threads = 0
function setup(thread)
	threads = threads + 1
	thread:set("seed", threads)
end
function init(args)
	math.randomseed(seed * 7919)
end
function request()
	return wrk.format("GET", prefix .. items[math.random(#items)])
end
EOF
}
