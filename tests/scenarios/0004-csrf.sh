#!/bin/sh
# CSRF: every POST of a session needs the session's token in the form
# ("csrf"); bearer-token requests need none; the sign-in form needs its
# prelogin token (double submit: cookie + field).
. "$(dirname "$0")/lib.sh"
init_db
TOKEN=$(token_for admin@test.fr)
start_server

login admin@test.fr
good=$CSRF
[ -n "$good" ] || fail "no CSRF token in the page"
req GET /organisations/org-1 -H "Accept: application/json"
expect_status 200 "the organisation"

# org_post [curl args…]: POST /organisations/org-1/edit renaming org-1.
org_post() {
	req POST /organisations/org-1/edit --data-urlencode "name=$NAME" \
		--data-urlencode "kind=other" "$@"
}

# No token: 403, nothing changed.
NAME="Sans jeton"
org_post --data-urlencode "version=1"
expect_status 403 "POST without a CSRF token"
expect_body "CSRF"
# A wrong token, an empty one, one of the right length but not the session's.
for bad in wrong "" "$(printf '%064d' 0)" "$(printf %s "$good" | tr '0-9a-f' 'a-f0-9')"; do
	NAME="Mauvais jeton"
	org_post --data-urlencode "version=1" --data-urlencode "csrf=$bad"
	expect_status 403 "POST with a wrong CSRF token '$bad'"
done
# The token in the query string does not count.
NAME="Jeton dans l'URL"
req POST "/organisations/org-1/edit?csrf=$good" --data-urlencode "name=$NAME" \
	--data-urlencode "kind=other" --data-urlencode "version=1"
expect_status 403 "the CSRF token in the query string"
# A JSON body with the session cookie needs the token as well.
req POST /organisations/org-1/edit -H "Content-Type: application/json" \
	-H "Accept: application/json" --data '{"name":"JSON sans jeton","kind":"other","version":"1"}'
expect_status 403 "a JSON POST with the session cookie and no token"
pc export --types organisation | grep -q '"Métropole de test"' ||
	fail "a refused POST changed the organisation: $(pc export --types organisation)"

# The token of another session of the same user does not work either.
cp "$JAR" "$WORK/jar-first"
login admin@test.fr
second=$CSRF
[ "$second" != "$good" ] || fail "two sessions share a CSRF token"
JAR="$WORK/jar-first"
NAME="Jeton d'une autre session"
org_post --data-urlencode "version=1" --data-urlencode "csrf=$second"
expect_status 403 "the CSRF token of another session"

# The right token: the change is made.
NAME="Avec le bon jeton"
org_post --data-urlencode "version=1" --data-urlencode "csrf=$good"
expect_status 303 "POST with the right CSRF token"
pc export --types organisation | grep -q '"Avec le bon jeton"' || fail "the change was not made"
# The password form: refused without the token, taken with it.
req POST /account/password --data-urlencode "current=$PW" --data-urlencode "new=un-nouveau-mot-de-passe" \
	--data-urlencode "confirm=un-nouveau-mot-de-passe"
expect_status 403 "a password change without the token"
req POST /account/password --data-urlencode "csrf=$good" --data-urlencode "current=$PW" \
	--data-urlencode "new=un-nouveau-mot-de-passe" --data-urlencode "confirm=un-nouveau-mot-de-passe"
expect_status 303 "a password change with the token"
PW=un-nouveau-mot-de-passe
# POST /logout needs it too.
req POST /logout
expect_status 403 "sign-out without a token"
req GET /
expect_status 200 "still signed in after a refused sign-out"
req POST /logout --data-urlencode "csrf=$good"
expect_status 303 "sign-out with the token"

# Bearer tokens: no CSRF token needed (no cookie is involved).
api POST /organisations/org-1/edit --data-urlencode "name=Par un script" \
	--data-urlencode "kind=other" --data-urlencode "version=2"
[ "$STATUS" = 303 ] || [ "$STATUS" = 200 ] || fail "a bearer POST without CSRF: HTTP $STATUS $(body)"
pc export --types organisation | grep -q '"Par un script"' || fail "the bearer POST did not change the record"
api POST /organisations/org-1/edit -H "Content-Type: application/json" \
	--data '{"name":"Par un script JSON","kind":"other","version":"3"}'
[ "$STATUS" = 303 ] || [ "$STATUS" = 200 ] || fail "a bearer JSON POST: HTTP $STATUS $(body)"
pc export --types organisation | grep -q '"Par un script JSON"' || fail "the bearer JSON POST did not change the record"
# A bad bearer token is not a way around CSRF.
anon POST /organisations/org-1/edit -H "Authorization: Bearer nope" \
	--data-urlencode "name=Pirate" --data-urlencode "kind=other" --data-urlencode "version=4"
[ "$STATUS" = 303 ] && [ "$(header Location | cut -c1-6)" = "/login" ] ||
	[ "$STATUS" = 401 ] || fail "a POST with a bad bearer token: HTTP $STATUS"
pc export --types organisation | grep -q '"Pirate"' && fail "a bad bearer token changed the record"

# The sign-in form: the prelogin token is required (cookie and field alike).
rm -f "$JAR"
req GET /login
pre=$(sed -n 's/.*name="prelogin" value="\([0-9a-f]*\)".*/\1/p' "$WORK/body" | head -1)
req POST /login --data-urlencode "email=admin@test.fr" --data-urlencode "password=$PW"
expect_status 403 "POST /login without the prelogin field"
req POST /login --data-urlencode "email=admin@test.fr" --data-urlencode "password=$PW" \
	--data-urlencode "prelogin=$(printf '%064d' 7)"
expect_status 403 "POST /login with a wrong prelogin field"
anon POST /login --data-urlencode "email=admin@test.fr" --data-urlencode "password=$PW" \
	--data-urlencode "prelogin=$pre"
expect_status 403 "POST /login with the field but without the cookie"
anon POST /login -H "Cookie: parcours_prelogin=$pre" --data-urlencode "email=admin@test.fr" \
	--data-urlencode "password=$PW"
expect_status 403 "POST /login with the cookie but without the field"
req POST /login --data-urlencode "email=admin@test.fr" --data-urlencode "password=$PW" \
	--data-urlencode "prelogin=$pre"
expect_status 303 "POST /login with the prelogin token"
echo "0004 ok"
