#!/bin/sh
# Kept forms: only a post whose session cookie has expired is kept (a post
# with no session at all is not), rows older than a day go when a new one
# comes; sign-in failures older than the rate-limit window go too.
. "$(dirname "$0")/lib.sh"
init_db
export PARCOURS_TODAY=2017-12-31
small_territory
start_server

# No session cookie at all: redirected to sign in, nothing kept.
anon POST /organisations/org-nord/edit --data "name=Intrus&kind=ccas&version=1"
expect_status 303 "a post without any session"
case "$(header Location)" in *resume=*) fail "a post without a session got a resume token" ;; esac
[ "$(sqlite3 "$DB" "SELECT COUNT(*) FROM pending_form")" = 0 ] || fail "a post without a session was kept"
# A forged cookie is no session either… but it is a cookie that was sent:
# what matters is that the post is refused and nothing written.
anon POST /organisations/org-nord/edit -H "Cookie: parcours_session=deadbeef" --data "name=Intrus&kind=ccas&version=1"
expect_status 303 "a post with an unknown session cookie"

# An old kept form (two days) is purged when a new one is kept.
sqlite3 "$DB" "INSERT INTO pending_form (token, path, body, created_at) VALUES ('old', '/x', 'a=1', strftime('%s','now') - 2*86400)"
sqlite3 "$DB" "INSERT INTO pending_form (token, path, body, created_at) VALUES ('recent', '/x', 'a=1', strftime('%s','now') - 3600)"
login admin@test.fr
sqlite3 "$DB" "DELETE FROM web_session"
req POST /organisations/org-nord/edit --data "name=Tapé&kind=ccas&version=1&csrf=$CSRF"
expect_status 303 "a post after the session expired"
case "$(header Location)" in *resume=*) ;; *) fail "the expired session's post got no resume token: $(header Location)" ;; esac
[ "$(sqlite3 "$DB" "SELECT group_concat(token) FROM pending_form WHERE token IN ('old', 'recent')")" = recent ] ||
	fail "the two-day-old kept form was not purged: $(sqlite3 "$DB" "SELECT token FROM pending_form")"

# Sign-in failures older than the window are purged by the next failure.
sqlite3 "$DB" "INSERT INTO sign_in_failure (key, at) VALUES ('account:gone@test.fr', strftime('%s','now') - 3600)"
rm -f "$JAR"
req GET /login
pre=$(sed -n 's/.*name="prelogin" value="\([0-9a-f]*\)".*/\1/p' "$WORK/body" | head -1)
req POST /login --data-urlencode "email=admin@test.fr" --data-urlencode "password=faux" \
	--data-urlencode "prelogin=$pre"
expect_status 422 "a wrong password"
[ "$(sqlite3 "$DB" "SELECT COUNT(*) FROM sign_in_failure WHERE key = 'account:gone@test.fr'")" = 0 ] ||
	fail "an hour-old sign-in failure was not purged"
[ "$(sqlite3 "$DB" "SELECT COUNT(*) FROM sign_in_failure")" = 2 ] ||
	fail "the new failure should be kept (account and address): $(sqlite3 "$DB" "SELECT * FROM sign_in_failure")"
echo "0016 ok"
