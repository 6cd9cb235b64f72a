#!/bin/sh
# The server stops cleanly: SIGTERM and SIGINT end it with status 0 after
# the requests it was answering, the write-ahead log is checkpointed into
# the database and the file passes PRAGMA integrity_check. Bad --port and
# --listen values are usage errors (2). --trust-proxy takes the client
# address from the last X-Forwarded-For entry; without it the header is
# ignored.
. "$(dirname "$0")/lib.sh"
init_db
export PARCOURS_TODAY=2017-12-31
small_territory
command -v sqlite3 >/dev/null || fail "sqlite3 is needed (tools/install-deps.sh)"

# stop_with SIGNAL: sends it, waits for the server, checks exit status 0.
stop_with() {
	kill "-$1" "$SERVER_PID"
	for _ in $(seq 1 100); do
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$SERVER_PID" 2>/dev/null; then
		kill -KILL "$SERVER_PID"
		fail "the server did not stop within 5 s of SIG$1"
	fi
	set +e
	wait "$SERVER_PID"
	got=$?
	set -e
	SERVER_PID=""
	[ "$got" = 0 ] || fail "expected exit status 0 after SIG$1, got $got: $(tail -5 "$WORK/server.err")"
}

# consistent: integrity_check is ok and the log was emptied into the file.
consistent() {
	[ "$(sqlite3 "$DB" 'PRAGMA integrity_check')" = ok ] || fail "integrity_check after $1"
	[ ! -s "$DB-wal" ] || fail "the write-ahead log still holds $(wc -c <"$DB-wal") bytes after $1"
}

# Some writes (sign-in, audit entries), then several requests still coming
# when SIGTERM arrives.
start_server
login admin@test.fr
jreq GET /people/p-benoit
expect_status 200 "admin reads p-benoit"
for i in 1 2 3 4 5 6; do
	curl -s -o /dev/null -b "$JAR" "$BASE/people/p-zoe" &
done
stop_with TERM
wait
consistent SIGTERM
n=$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action = 'person.read'")
[ "$n" -ge 1 ] || fail "expected the person.read entries to be kept, got $n"
expect_pc 0 audit verify

start_server
login admin@test.fr
stop_with INT
consistent SIGINT

# Usage errors: exit 2, with a message naming the option.
expect_pc 2 serve --port abc
expect_err "--port abc"
expect_pc 2 serve --port 70000
expect_err "0 to 65535"
expect_pc 2 serve --port -1
expect_pc 2 serve --port 80x
expect_pc 2 serve --listen nonsense --port 0
expect_err "--listen nonsense"
expect_pc 2 serve --no-such-option
expect_pc 2 serve extra

# failed_sign_in [curl args…]: a wrong password, sent with the arguments
# (a new address each time, to stay clear of the per-account limit).
tries=0
failed_sign_in() {
	tries=$((tries + 1))
	rm -f "$JAR"
	req GET /login
	pre=$(sed -n 's/.*name="prelogin" value="\([0-9a-f]*\)".*/\1/p' "$WORK/body" | head -1)
	req POST /login --data-urlencode "email=nobody$tries@test.fr" --data-urlencode "password=wrong" \
		--data-urlencode "prelogin=$pre" "$@"
	expect_status 422 "a failed sign-in"
}
last_failure_address() {
	sqlite3 "$DB" "SELECT address FROM audit WHERE action = 'login.failed' ORDER BY seq DESC LIMIT 1"
}

# Without --trust-proxy the header is ignored.
start_server
failed_sign_in -H "X-Forwarded-For: 203.0.113.9"
[ "$(last_failure_address)" = 127.0.0.1 ] || fail "X-Forwarded-For was used without --trust-proxy: $(last_failure_address)"
stop_with TERM

# With it, the last entry (the one nginx appended) is the client.
: >"$WORK/server.out"
"$PARCOURS" --db "$DB" serve --port 0 --trust-proxy >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER_PID=$!
for _ in $(seq 1 100); do
	BASE=$(sed -n 's/^listening on //p' "$WORK/server.out")
	[ -n "$BASE" ] && break
	sleep 0.05
done
[ -n "$BASE" ] || fail "the server did not start with --trust-proxy"
failed_sign_in -H "X-Forwarded-For: 10.1.1.1, 198.51.100.7"
[ "$(last_failure_address)" = 198.51.100.7 ] || fail "expected 198.51.100.7, got $(last_failure_address)"
failed_sign_in -H "X-Forwarded-For: 2001:db8::1"
[ "$(last_failure_address)" = 2001:db8::1 ] || fail "expected 2001:db8::1, got $(last_failure_address)"
# Not an address: the TCP peer is used.
failed_sign_in -H "X-Forwarded-For: 10.1.1.1, <script>"
[ "$(last_failure_address)" = 127.0.0.1 ] || fail "expected 127.0.0.1 for a bad entry, got $(last_failure_address)"
failed_sign_in
[ "$(last_failure_address)" = 127.0.0.1 ] || fail "expected 127.0.0.1 without the header, got $(last_failure_address)"
stop_with TERM
consistent "the --trust-proxy run"
echo "ok"
