#!/bin/sh
# The organisation and new-account forms come back filled after signing in
# again, like the person form (0007).
. "$(dirname "$0")/lib.sh"
init_db
export PARCOURS_TODAY=2017-12-31
small_territory
start_server

# expire_and_post PATH BODY: posts BODY after the session expired, signs in
# again through the form and follows to the page; the body is the page.
expire_and_post() {
	sqlite3 "$DB" "DELETE FROM web_session"
	req POST "$1" --data "$2&csrf=$CSRF"
	expect_status 303 "POST $1 after the session expired"
	loc=$(header Location)
	resume=$(printf %s "$loc" | sed -n 's/.*[?&]resume=\([0-9a-f]*\).*/\1/p')
	[ ${#resume} = 64 ] || fail "no resume token in '$loc'"
	req GET "$loc"
	pre=$(sed -n 's/.*name="prelogin" value="\([0-9a-f]*\)".*/\1/p' "$WORK/body" | head -1)
	req POST /login --data-urlencode "email=admin@test.fr" --data-urlencode "password=$PW" \
		--data-urlencode "prelogin=$pre" --data-urlencode "next=$1" --data-urlencode "resume=$resume"
	expect_status 303 "signing in again"
	[ "$(header Location)" = "$1?resume=$resume" ] || fail "after signing in: '$(header Location)'"
	req GET "$(header Location)"
	expect_status 200 "the restored form of $1"
}

login admin@test.fr
req GET /organisations/org-nord/edit
v=$(sed -n 's/.*name="version" value="\([0-9]*\)".*/\1/p' "$WORK/body" | head -1)
expire_and_post /organisations/org-nord/edit "name=Maison+tap%C3%A9e&kind=ccas&territory=t-nord&version=$v"
expect_body 'value="Maison tapée"'
expect_body '<option value="ccas" selected>CCAS</option>'
expect_body "Votre saisie a été retrouvée"
CSRF=$(csrf_from_body)
req POST /organisations/org-nord/edit --data "name=Maison+tap%C3%A9e&kind=ccas&territory=t-nord&version=$v&csrf=$CSRF"
expect_status 303 "sending the restored organisation form"
pc export --types organisation | grep -q '"Maison tapée"' || fail "the restored organisation form was not saved"

expire_and_post /users/new "email=nouvelle%40test.fr&first_name=Nad%C3%A8ge&last_name=Nouvelle&organisation=org-nord&roles=referent"
expect_body 'value="nouvelle@test.fr"'
expect_body 'value="Nadège"'
expect_body "Votre saisie a été retrouvée"
jreq GET /users/new
expect_json 'd.get("restored", False)' false
echo "0017 ok"
