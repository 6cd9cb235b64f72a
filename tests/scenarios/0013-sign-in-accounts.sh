#!/bin/sh
# Sign-in and accounts: POST /login needs the prelogin token for JSON
# clients too; a password change ends the user's other sessions; `user add`
# records the creation day; `init` refuses a database already in use.
. "$(dirname "$0")/lib.sh"
init_db
export PARCOURS_TODAY=2017-12-31
add_user ref@test.fr referent org-1
start_server

# JSON without the prelogin token: refused, no session.
rm -f "$JAR"
jreq POST /login --data-urlencode "email=ref@test.fr" --data-urlencode "password=$PW"
expect_status 403 "JSON sign-in without the prelogin token"
grep -q parcours_session "$JAR" 2>/dev/null && fail "a session cookie was set without the token"
# With the token from GET /login (JSON), it works.
jreq GET /login
pre=$(json 'd["prelogin"]')
jreq POST /login --data-urlencode "email=ref@test.fr" --data-urlencode "password=$PW" \
	--data-urlencode "prelogin=$pre"
expect_status 200 "JSON sign-in with the token"
expect_json 'd["user"]["email"]' "ref@test.fr"

# Two sessions of the same user; changing the password in one ends the other.
login ref@test.fr
cp "$JAR" "$WORK/jar-a"
login ref@test.fr
cp "$JAR" "$WORK/jar-b"
cp "$WORK/jar-a" "$JAR"
req GET /account/password
CSRF=$(csrf_from_body)
req POST /account/password --data-urlencode "csrf=$CSRF" --data-urlencode "current=$PW" \
	--data-urlencode "new=un-nouveau-mot-de-passe" --data-urlencode "confirm=un-nouveau-mot-de-passe"
expect_status 303 "the password change"
req GET /
expect_status 200 "the session that changed the password goes on"
cp "$WORK/jar-b" "$JAR"
req GET /
expect_status 303 "the other session ended"
expect_header Location "/login"
[ "$(sqlite3 "$DB" "SELECT COUNT(*) FROM web_session")" = 1 ] || fail "the other session's row is still there"
# A bearer token is no session: it still works.
TOKEN=$(token_for ref@test.fr)
api GET /
expect_status 200 "the bearer token after the password change"

# user add: created_on is today (PARCOURS_TODAY here).
pc user add new@test.fr --organisation org-1 --role referent --first-name N --last-name N \
	--password-file "$WORK/pw" >/dev/null
pc export --types user | grep '"new@test.fr"' | grep -q '"created_on":"2017-12-31"' ||
	fail "user add did not set created_on: $(pc export --types user | grep new@test.fr)"

# init on a database in use: refused, nothing changed.
before=$(pc export | md5sum)
expect_pc 1 init --organisation-name "Autre" --admin other@test.fr --first-name O --last-name O \
	--password-file "$WORK/pw"
expect_err "refused"
expect_err "already has"
[ "$(pc export | md5sum)" = "$before" ] || fail "init on a database in use changed it"
# An organisation alone (imported, no account) is enough to refuse.
rm -f "$DB" "$DB-wal" "$DB-shm"
echo '{"type":"organisation","id":"org-1","name":"Déjà là","kind":"ccas"}' | import_jsonl >/dev/null
expect_pc 1 init --organisation-name "Autre" --admin other@test.fr --first-name O --last-name O \
	--password-file "$WORK/pw"
pc export --types organisation | grep -q '"Déjà là"' || fail "init replaced the organisation org-1"
pc export --types organisation | grep -q '"ccas"' || fail "init changed org-1's kind"
echo "0013 ok"
