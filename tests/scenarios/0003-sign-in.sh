#!/bin/sh
# Sign-in: wrong password (422, form refilled), rate limiting (429), sign-out,
# cookie attributes, forged cookies, ?next= (local paths only), sign_in record.
. "$(dirname "$0")/lib.sh"
init_db
add_user ref@test.fr referent
add_user other@test.fr referent
start_server

# prelogin: fetches the sign-in form (new cookie jar) and sets PRE.
prelogin() {
	rm -f "$JAR"
	req GET "/login${1:-}"
	expect_status 200 "GET /login${1:-}"
	PRE=$(sed -n 's/.*name="prelogin" value="\([0-9a-f]*\)".*/\1/p' "$WORK/body" | head -1)
	[ -n "$PRE" ] || fail "the sign-in form has no prelogin token"
}
# post_login EMAIL PASSWORD [NEXT]
post_login() {
	req POST /login --data-urlencode "email=$1" --data-urlencode "password=$2" \
		--data-urlencode "prelogin=$PRE" --data-urlencode "next=${3:-/}"
}

# Signed out: pages redirect to the sign-in form, with next.
rm -f "$JAR"
req GET /organisations
expect_status 303 "a page while signed out"
case "$(header Location)" in
"/login?next=/organisations" | "/login?next=%2Forganisations") ;;
*) fail "signed out: redirected to '$(header Location)'" ;;
esac

# The sign-in page is a DSFR page in French, with the prelogin cookie.
prelogin
expect_body 'lang="fr"'
expect_body "Connexion"
expect_header Set-Cookie "parcours_prelogin="
expect_header Set-Cookie "HttpOnly"
expect_header Set-Cookie "SameSite=Strict"

# Wrong password: 422, the form comes back with the e-mail typed and a message.
post_login ref@test.fr "not-the-password"
expect_status 422 "a wrong password"
expect_body 'value="ref@test.fr"'
expect_body "incorrect"
expect_body 'name="prelogin"'
req GET /
expect_status 303 "no session after a wrong password"
# The same answer for an unknown account (no e-mail oracle).
prelogin
post_login nobody@test.fr "not-the-password"
expect_status 422 "an unknown account"
# Empty fields: 422 too.
post_login "" ""
expect_status 422 "an empty form"

# The right password: 303 to next, a session cookie HttpOnly, SameSite=Strict.
prelogin
post_login ref@test.fr "$PW"
expect_status 303 "sign-in"
expect_header Location "/"
cookie=$(grep -i '^Set-Cookie: parcours_session=' "$WORK/headers" | tr -d '\r')
[ -n "$cookie" ] || fail "no session cookie after sign-in"
case "$cookie" in *HttpOnly*) ;; *) fail "the session cookie is not HttpOnly: $cookie" ;; esac
case "$cookie" in *SameSite=Strict*) ;; *) fail "the session cookie is not SameSite=Strict: $cookie" ;; esac
case "$cookie" in *"Path=/"*) ;; *) fail "the session cookie has no Path=/: $cookie" ;; esac
case "$cookie" in *Secure*) fail "Secure on plain HTTP would lose the cookie: $cookie" ;; esac
req GET /
expect_status 200 "home after sign-in"
expect_body "ref@test.fr\|Référent\|referent"
CSRF=$(csrf_from_body)
[ -n "$CSRF" ] || fail "no CSRF token on the home page"
# Behind the TLS proxy the cookie is Secure.
prelogin
req POST /login -H "X-Forwarded-Proto: https" --data-urlencode "email=ref@test.fr" \
	--data-urlencode "password=$PW" --data-urlencode "prelogin=$PRE"
expect_status 303 "sign-in over the proxy"
grep -i '^Set-Cookie: parcours_session=' "$WORK/headers" | grep -q Secure ||
	fail "the session cookie is not Secure behind https"

# A sign_in record exists.
pc export --types sign_in >"$WORK/signins"
uid=$(pc user list | awk -F'\t' '$2 == "ref@test.fr" {print $1}')
[ "$(grep -c "\"user\":\"$uid\"" "$WORK/signins")" -ge 2 ] ||
	fail "expected sign_in records for $uid: $(cat "$WORK/signins")"
grep -q '"at":"20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9:]*[+-][0-9][0-9]:[0-9][0-9]"' "$WORK/signins" ||
	fail "sign_in.at is not an RFC 3339 datetime with offset: $(cat "$WORK/signins")"

# Sign-out: POST /logout ends the session.
login ref@test.fr
req POST /logout --data-urlencode "csrf=$CSRF"
expect_status 303 "sign-out"
expect_header Location "/login"
req GET /
expect_status 303 "home after sign-out"
# The old cookie value is dead on the server side too.
login ref@test.fr
sid=$(awk '$6 == "parcours_session" {print $7}' "$JAR")
req POST /logout --data-urlencode "csrf=$CSRF"
anon GET / -H "Cookie: parcours_session=$sid"
expect_status 303 "a session cookie replayed after sign-out"

# A forged or garbage session cookie is treated as signed out.
for forged in garbage "$(printf '%064d' 0)" "deadbeef$(printf '%056d' 1)" "';DROP TABLE account;--"; do
	anon GET / -H "Cookie: parcours_session=$forged"
	expect_status 303 "GET / with a forged cookie $forged"
	expect_header Location "/login"
	anon GET /people -H "Accept: application/json" -H "Cookie: parcours_session=$forged"
	expect_status 401 "JSON with a forged cookie"
done
anon GET / -H "Authorization: Bearer forged-token"
expect_status 303 "a forged bearer token on a page"
anon GET / -H "Accept: application/json" -H "Authorization: Bearer forged-token"
expect_status 401 "a forged bearer token"

# ?next=: off-site targets are ignored (→ "/"), a local path is honoured.
# Through the sign-in form (POST /login, each an argon2 check)…
for evil in "//evil.example" "https://evil.example" '/\evil.example'; do
	prelogin
	post_login ref@test.fr "$PW" "$evil"
	expect_status 303 "sign-in with next=$evil"
	loc=$(header Location)
	[ "$loc" = "/" ] || fail "next=$evil: redirected to '$loc' instead of /"
done
# …and the form's hidden field and /login while signed in, for more shapes.
for evil in "//evil.example" "https://evil.example" '/\evil.example' "//evil.example/people" \
	"javascript:alert(1)" "http:/evil.example" "/%0d%0aSet-Cookie:x=y" "evil.example"; do
	q=$(printf %s "$evil" | sed 's/\\/%5C/g; s/:/%3A/g; s|/|%2F|g')
	req GET "/login?next=$q"
	expect_status 303 "/login?next=$evil while signed in"
	[ "$(header Location)" = "/" ] || fail "/login?next=$evil while signed in went to '$(header Location)'"
	anon GET "/login?next=$q"
	grep -q 'name="next" value="/"' "$WORK/body" ||
		fail "the sign-in form kept next=$evil: $(grep 'name="next"' "$WORK/body")"
done
prelogin "?next=%2Forganisations%3Fq%3Dccas"
grep -q 'name="next" value="/organisations?q=ccas"' "$WORK/body" ||
	fail "the sign-in form lost the local next: $(grep 'name="next"' "$WORK/body")"
post_login ref@test.fr "$PW" "/organisations?q=ccas"
expect_status 303 "sign-in with a local next"
expect_header Location "/organisations?q=ccas"
# Already signed in: /login?next= goes straight there (local only).
req GET "/login?next=%2Fterritories"
expect_status 303 "/login while signed in"
expect_header Location "/territories"

# Rate limiting: after 5 failures for one account, 429 — even with the right
# password; another account is not blocked.
prelogin
for i in 1 2 3 4 5; do
	post_login other@test.fr "wrong-$i"
	expect_status 422 "failure $i"
done
post_login other@test.fr "wrong-6"
expect_status 429 "the 6th attempt"
expect_body "tentatives"
post_login other@test.fr "$PW"
expect_status 429 "the right password while throttled"
post_login OTHER@test.fr "$PW"
expect_status 429 "the same account in capitals while throttled"
req GET /
expect_status 303 "no session while throttled"
login ref@test.fr
# JSON sign-in needs the prelogin token too (0013), then answers 401 for
# bad credentials.
anon POST /login -H "Accept: application/json" --data-urlencode "email=ref@test.fr" \
	--data-urlencode "password=bad-password"
expect_status 403 "JSON sign-in without the prelogin token"
rm -f "$JAR"
jreq GET /login
pre=$(json 'd["prelogin"]')
jreq POST /login --data-urlencode "email=ref@test.fr" --data-urlencode "password=bad-password" \
	--data-urlencode "prelogin=$pre"
expect_status 401 "JSON sign-in with a bad password"
# Failures are audited.
pc audit list | grep -q "login.failed" || fail "failed sign-ins are not in the audit log"
echo "0003 ok"
