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
		-b "$JAR" -c "$JAR" "$@" "$BASE$path")
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
