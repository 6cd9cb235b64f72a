# lib.sh — shared by the scenario tests (sourced). Each scenario gets a
# fresh temporary directory and database, a server on an ephemeral port of
# 127.0.0.1, and helpers to drive it with curl. Like git's t/test-lib.sh,
# a failed check prints what was expected and what came, then exits 1.
set -eu
: "${PARCOURS:?set PARCOURS to the parcours binary}"
SHARED=${SHARED:-$(cd "$(dirname "$0")/../../.." && pwd)/shared}
WORK=$(mktemp -d)
DB="$WORK/parcours.db"
JAR="$WORK/cookies"
SERVER_PID=""
BASE=""
PW="mot-de-passe-de-test"
echo "$PW" >"$WORK/pw"

cleanup() {
	[ -z "$SERVER_PID" ] || kill "$SERVER_PID" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
	echo "FAILED: $*" >&2
	# What the server said (a template error, a sanitizer report) helps.
	if [ -s "$WORK/server.err" ]; then
		echo "server's standard error (end):" >&2
		tail -5 "$WORK/server.err" >&2
	fi
	exit 1
}

pc() { "$PARCOURS" --db "$DB" "$@"; }

# init_db: an organisation org-1 and admin@test.fr (password $PW).
init_db() {
	pc init --organisation-name "Métropole de test" --admin admin@test.fr \
		--first-name Ada --last-name Admin --password-file "$WORK/pw" >/dev/null
}

# start_server: serves $DB on a free port; sets BASE.
start_server() {
	# Created first: the background shell may not have opened it yet when
	# the loop below reads it.
	: >"$WORK/server.out"
	"$PARCOURS" --db "$DB" serve --port 0 --static "${STATIC_DIR:-static}" >"$WORK/server.out" 2>"$WORK/server.err" &
	SERVER_PID=$!
	for _ in $(seq 1 100); do
		BASE=$(sed -n 's/^listening on //p' "$WORK/server.out")
		[ -n "$BASE" ] && return 0
		sleep 0.05
	done
	cat "$WORK/server.err" >&2
	fail "the server did not start"
}

# req METHOD PATH [curl args…]: prints the body into $WORK/body, the status
# into $STATUS, headers into $WORK/headers. Uses the cookie jar $JAR.
req() {
	method=$1
	path=$2
	shift 2
	STATUS=$(curl -s -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' -X "$method" \
		-b "$JAR" -c "$JAR" "$@" "$BASE$path") || true
}

body() { cat "$WORK/body"; }
header() { grep -i "^$1:" "$WORK/headers" | head -1 | cut -d' ' -f2- | tr -d '\r'; }

expect_status() {
	[ "$STATUS" = "$1" ] || fail "expected HTTP $1, got $STATUS for ${2:-the last request}: $(head -c 300 "$WORK/body")"
}
expect_body() {
	grep -q -- "$1" "$WORK/body" || fail "expected the body to contain '$1': $(head -c 400 "$WORK/body")"
}
expect_no_body() {
	! grep -q -- "$1" "$WORK/body" || fail "expected the body NOT to contain '$1'"
}

# csrf_from_body: the CSRF token of the last page's forms.
csrf_from_body() { sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$WORK/body" | head -1; }

# login EMAIL [PASSWORD]: signs in through the form (prelogin token included).
login() {
	rm -f "$JAR"
	req GET /login
	pre=$(sed -n 's/.*name="prelogin" value="\([0-9a-f]*\)".*/\1/p' "$WORK/body" | head -1)
	req POST /login --data-urlencode "email=$1" --data-urlencode "password=${2:-$PW}" \
		--data-urlencode "prelogin=$pre" --data-urlencode "next=/"
	expect_status 303 "login as $1"
	req GET /
	expect_status 200 "home after login"
	CSRF=$(csrf_from_body)
}

# import_jsonl: imports the JSON lines given on standard input.
import_jsonl() {
	cat >"$WORK/in.jsonl"
	pc import "$WORK/in.jsonl"
}

# ---------------------------------------------------------------------------
# Command line

# py ARGS…: Python 3 for the checks; the system's own when there is one (a
# version manager's shim costs a tenth of a second per call).
if [ -x /usr/bin/python3 ]; then PYTHON=/usr/bin/python3; else PYTHON=python3; fi
py() { "$PYTHON" -S "$@"; }

# expect_pc STATUS ARGS…: runs `parcours --db $DB ARGS…` and checks its exit
# status; standard output goes to $WORK/out, standard error to $WORK/err.
expect_pc() {
	want=$1
	shift
	set +e
	"$PARCOURS" --db "$DB" "$@" >"$WORK/out" 2>"$WORK/err"
	got=$?
	set -e
	[ "$got" = "$want" ] ||
		fail "parcours $*: expected exit status $want, got $got; stdout: $(head -c 300 "$WORK/out"); stderr: $(head -c 900 "$WORK/err")"
}
expect_out() {
	grep -q -- "$1" "$WORK/out" || fail "expected standard output to contain '$1': $(head -c 600 "$WORK/out")"
}
expect_err() {
	grep -q -- "$1" "$WORK/err" || fail "expected standard error to contain '$1': $(head -c 1200 "$WORK/err")"
}
# expect_err_line LINE TEXT…: one line of standard error mentions every TEXT
# (e.g. the line number, the type, the id and the field of a refused record).
expect_err_line() {
	pattern=$1
	shift
	matched=$(grep -- "$pattern" "$WORK/err" || true)
	[ -n "$matched" ] || fail "expected an error line with '$pattern': $(head -c 1200 "$WORK/err")"
	for w in "$@"; do
		printf '%s\n' "$matched" | grep -q -- "$w" ||
			fail "expected the error line '$pattern' to mention '$w': $matched"
	done
}

# add_user EMAIL ROLE [ORGANISATION]: an account with password $PW.
add_user() {
	pc user add "$1" --organisation "${3:-org-1}" --role "$2" --first-name Test \
		--last-name "$(echo "$2" | tr '_' ' ')" --password-file "$WORK/pw" >/dev/null
}

# token_for EMAIL: prints a bearer token for the account.
token_for() { pc user token "$1"; }

# export_sorted [ARGS…]: the export, normalised (sorted keys) one record a line.
export_sorted() { pc export "$@" | py "$WORK/norm.py"; }

# Normalises JSON Lines: keys sorted, records in the export order (type order
# of exchange-format.md, then id bytewise), so that two files holding the
# same records compare equal with cmp.
cat >"$WORK/norm.py" <<'PY'
import json, sys
# schema.c's order; types added later sort after these, by name, until listed.
ORDER = ["territory", "organisation", "user", "sign_in", "household", "person", "right_period"]
recs = []
for line in sys.stdin.buffer:
    if line.strip():
        recs.append(json.loads(line))
def key(r):
    t = r["type"]
    return (ORDER.index(t) if t in ORDER else len(ORDER), t, r["id"].encode())
for r in sorted(recs, key=key):
    print(json.dumps(r, sort_keys=True, ensure_ascii=False))
PY

# ---------------------------------------------------------------------------
# JSON

# json PYEXPR: evaluates a Python expression on the last body (as d) and
# prints it (strings as they are, the rest as JSON).
json() {
	py - "$WORK/body" "$1" <<'PY'
import json, sys
with open(sys.argv[1], "rb") as f:
    d = json.load(f)
v = eval(sys.argv[2], {"d": d})
print(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, sort_keys=True))
PY
}
# expect_json PYEXPR VALUE: the expression on the last body prints VALUE.
expect_json() {
	got=$(json "$1") || fail "the body is not the JSON expected ($1): $(head -c 300 "$WORK/body")"
	[ "$got" = "$2" ] || fail "expected $1 = $2, got $got; body: $(head -c 400 "$WORK/body")"
}

# api METHOD PATH [curl args…]: a JSON request with the bearer token $TOKEN
# and no cookies.
api() {
	method=$1
	path=$2
	shift 2
	STATUS=$(curl -s -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' -X "$method" \
		-H "Accept: application/json" -H "Authorization: Bearer $TOKEN" "$@" "$BASE$path") || true
}
# anon METHOD PATH [curl args…]: a request with no credentials at all.
anon() {
	method=$1
	path=$2
	shift 2
	STATUS=$(curl -s -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' -X "$method" \
		"$@" "$BASE$path") || true
}
# jreq METHOD PATH [curl args…]: req (session cookie) asking for JSON.
jreq() {
	method=$1
	path=$2
	shift 2
	req "$method" "$path" -H "Accept: application/json" "$@"
}

expect_header() {
	got=$(header "$1")
	case "$got" in
	*"$2"*) ;;
	*) fail "expected the header $1 to contain '$2', got '$got'" ;;
	esac
}

# ---------------------------------------------------------------------------
# A small territory: two territories, their organisations, households and
# people (PARCOURS_TODAY=2017-12-31 makes the right periods current).
#   t-nord (commune 69381): org-nord; t-sud (69382): org-sud.
#   p-benoit   Benoît Dupont, SDD, household h-1 (t-nord, CAF 1234567)
#   p-claire   Claire Dupont, same household, right open but not SDD
#   p-zoe      Zoé Martin, SDD, household h-2 in t-sud
#   p-eve      =cmd|' /C calc'!A0 (name starting with '='), SDD, h-3 (commune 69381)
#   p-nosdd    Non Droit, no right period, h-1
small_territory() {
	cat >"$WORK/territory.jsonl" <<'JSONL'
{"type":"territory","id":"t-nord","name":"Lyon Nord","communes":["69381"]}
{"type":"territory","id":"t-sud","name":"Lyon Sud","communes":["69382"]}
{"type":"organisation","id":"org-nord","name":"Maison de la Métropole Nord","kind":"maison_metropole","territory":"t-nord"}
{"type":"organisation","id":"org-sud","name":"Maison de la Métropole Sud","kind":"maison_metropole","territory":"t-sud"}
{"type":"household","id":"h-1","caf_number":"1234567","paying_body":"CAF","commune":"69381","territory":"t-nord"}
{"type":"household","id":"h-2","caf_number":"7654321","paying_body":"CAF","commune":"69382","territory":"t-sud"}
{"type":"household","id":"h-3","caf_number":"5555555","commune":"69381"}
{"type":"person","id":"p-benoit","household":"h-1","role":"DEM","first_name":"Benoît","last_name":"Dupont","birth_date":"1980-05-17","sex":"M","nir":"180056938112357"}
{"type":"person","id":"p-claire","household":"h-1","role":"CJT","first_name":"Claire","last_name":"Dupont","birth_date":"1982-11-03","sex":"F"}
{"type":"person","id":"p-nosdd","household":"h-1","role":"AUT","first_name":"Non","last_name":"Droit","birth_date":"1960-01-01","sex":"M"}
{"type":"person","id":"p-zoe","household":"h-2","role":"DEM","first_name":"Zoé","last_name":"Martin","birth_date":"1990-02-28","sex":"F"}
{"type":"person","id":"p-eve","household":"h-3","role":"DEM","first_name":"Eve","last_name":"=cmd|' /C calc'!A0","birth_date":"1975-07-14","sex":"F"}
{"type":"right_period","id":"rp-benoit","person":"p-benoit","start":"2017-01-01","state":"2","subject_to_duties":true}
{"type":"right_period","id":"rp-claire","person":"p-claire","start":"2017-01-01","state":"2","subject_to_duties":false}
{"type":"right_period","id":"rp-zoe","person":"p-zoe","start":"2016-06-01","state":"3","subject_to_duties":true}
{"type":"right_period","id":"rp-eve","person":"p-eve","start":"2017-03-01","end":"2018-02-28","state":"4","subject_to_duties":true}
JSONL
	pc import "$WORK/territory.jsonl" >/dev/null || fail "the small territory did not import"
}
