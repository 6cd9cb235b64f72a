#!/bin/sh
# The JSON API: the same URLs with Accept: application/json and a bearer
# token; 401 without credentials, 404 for unknown ids, 422 with
# {"error", "fields"} on a bad form, 50 rows a page.
. "$(dirname "$0")/lib.sh"
init_db
export PARCOURS_TODAY=2017-12-31
small_territory
# 60 more people in t-nord, SDD, for the pages of 50.
py - "$WORK/many.jsonl" <<'PY'
import sys
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for i in range(60):
        f.write('{"type":"household","id":"hm-%02d","commune":"69381"}\n' % i)
        f.write('{"type":"person","id":"pm-%02d","household":"hm-%02d","role":"DEM","first_name":"Prénom%02d","last_name":"Nombreux","birth_date":"1970-01-%02d","sex":"F"}\n' % (i, i, i, i % 28 + 1))
        f.write('{"type":"right_period","id":"rpm-%02d","person":"pm-%02d","start":"2017-01-01","state":"2","subject_to_duties":true}\n' % (i, i))
PY
pc import "$WORK/many.jsonl" >/dev/null
add_user oo@test.fr orientation_officer org-nord
TOKEN=$(token_for admin@test.fr)
ADMIN_ID=$(pc user list | awk -F'\t' '$2 == "admin@test.fr" {print $1}')
start_server

# Every readable resource answers JSON.
for path in / /people /people/p-benoit /households/h-1 /organisations /organisations/org-nord \
	/territories /territories/t-nord /users "/users/$ADMIN_ID" /audit /account/password \
	/people/p-benoit/edit /organisations/org-nord/edit /users/new; do
	api GET "$path"
	expect_status 200 "GET $path (JSON)"
	expect_header Content-Type "application/json"
	json 'type(d).__name__' >/dev/null || fail "GET $path: not JSON: $(head -c 200 "$WORK/body")"
done
api GET /people/p-benoit
expect_json 'd["person"]["first_name"]' "Benoît"
expect_json 'd["person"]["household"]' "h-1"
expect_json '[r["state"] for r in d["rights"]]' '["2"]'
api GET /organisations
expect_json 'sorted(r["id"] for r in d["rows"])' '["org-1", "org-nord", "org-sud"]'
api GET "/organisations?q=metropole%20nord"
expect_json '[r["id"] for r in d["rows"]]' '["org-nord"]'
api GET "/organisations?kind=maison_metropole"
expect_json 'sorted(r["id"] for r in d["rows"])' '["org-nord", "org-sud"]'
api GET /organisations/org-nord
expect_json 'd["organisation"]["name"]' "Maison de la Métropole Nord"
api GET /territories/t-nord
expect_json 'd["territory"]["communes"]' '["69381"]'
expect_json '[o["id"] for o in d["organisations"]]' '["org-nord"]'
api GET /users
expect_json 'sorted(r["email"] for r in d["rows"])' '["admin@test.fr", "oo@test.fr"]'
api GET "/users/$ADMIN_ID"
expect_json 'd["account"]["email"]' "admin@test.fr"
api GET /
expect_json 'd["user"]["email"]' "admin@test.fr"
# Passwords and their hashes never travel.
for path in /users "/users/$ADMIN_ID" /; do
	api GET "$path"
	expect_no_body "password"
	expect_no_body 'argon2'
done

# Pages of 50.
api GET /people
expect_json '[d["total"], d["pages"], d["page"], len(d["rows"])]' '[65, 2, 1, 50]'
api GET "/people?page=2"
expect_json '[d["page"], len(d["rows"])]' '[2, 15]'
api GET "/people?page=99"
expect_json '[d["page"], len(d["rows"])]' '[2, 15]'
api GET "/people?page=-3"
expect_json 'd["page"]' 1
api GET "/people?q=nombreux&page=2"
expect_json '[d["total"], len(d["rows"])]' '[60, 10]'
# The download holds every row, not one page.
api GET "/people?q=nombreux&format=csv"
[ "$(grep -c . "$WORK/body")" = 61 ] || fail "the CSV of 60 people has $(grep -c . "$WORK/body") lines"

# No credentials: 401 in JSON (with WWW-Authenticate), never a redirect.
for path in / /people /people/p-benoit /organisations /users /audit; do
	anon GET "$path" -H "Accept: application/json"
	expect_status 401 "GET $path without credentials"
	expect_header WWW-Authenticate "Bearer"
	expect_json 'type(d["error"]).__name__' "str"
done
anon GET /people -H "Accept: application/json" -H "Authorization: Bearer 0000"
expect_status 401 "a wrong bearer token"
anon GET /people -H "Accept: application/json" -H "Authorization: Basic YWRtaW46eA=="
expect_status 401 "Basic authentication"
# A browser (text/html first) gets the page flow, not JSON.
anon GET /people -H "Accept: text/html,application/xhtml+xml,application/json;q=0.9"
expect_status 303 "a browser without a session"

# Unknown ids: 404 in JSON.
for path in /people/p-nobody /households/h-nobody /organisations/org-nobody /territories/t-nobody \
	/users/u-nobody /organisations/org-nobody/edit /people/p-nobody/edit; do
	api GET "$path"
	expect_status 404 "GET $path"
	expect_json 'type(d["error"]).__name__' "str"
done
api POST /people/p-nobody/edit --data "first_name=X"
expect_status 404 "POST /people/p-nobody/edit"

# A bad form: 422 with {"error": "...", "fields": {"field": "message"}}.
api GET /organisations/org-nord/edit
v=$(json 'd["version"]')
api POST /organisations/org-nord/edit --data-urlencode "name=" --data-urlencode "kind=castle" \
	--data-urlencode "siret=123" --data-urlencode "version=$v"
expect_status 422 "a bad organisation form"
expect_json 'type(d["error"]).__name__' "str"
expect_json '{"kind", "name"} <= set(d["fields"])' "true"
expect_json 'all(isinstance(m, str) and m for m in d["fields"].values())' "true"
# The same as a JSON body.
api POST /organisations/org-nord/edit -H "Content-Type: application/json" \
	--data "{\"name\":\"Nord\",\"kind\":\"castle\",\"version\":\"$v\"}"
expect_status 422 "a bad organisation (JSON body)"
expect_json 'sorted(d["fields"])' '["kind"]'
# A JSON body that does not parse: 400; a duplicate key too.
api POST /organisations/org-nord/edit -H "Content-Type: application/json" --data '{"name":'
expect_status 400 "a JSON body that does not parse"
api POST /organisations/org-nord/edit -H "Content-Type: application/json" \
	--data '{"name":"A","name":"B","kind":"ccas"}'
expect_status 400 "a JSON body with a duplicate key"
# A reference to nothing.
api POST /organisations/org-nord/edit --data-urlencode "name=Nord" --data-urlencode "kind=ccas" \
	--data-urlencode "territory=t-nowhere" --data-urlencode "version=$v"
expect_status 422 "a reference to an unknown territory"
expect_json 'sorted(d["fields"])' '["territory"]'
# A valid change: 200 with the record as saved (a browser gets 303), and
# the version moves on.
api POST /organisations/org-nord/edit --data-urlencode "name=Maison Nord" --data-urlencode "kind=maison_metropole" \
	--data-urlencode "territory=t-nord" --data-urlencode "version=$v"
expect_status 200 "a valid organisation form"
expect_json 'd["organisation"]["name"]' "Maison Nord"
api GET /organisations/org-nord/edit
[ "$(json 'd["version"]')" -gt "$v" ] || fail "the version did not move on after a change"

# Accounts: a bad new account names its fields; a good one is created;
# an address already in use is refused (never replaces the account).
api POST /users/new --data-urlencode "email=not-an-address" --data-urlencode "first_name=" \
	--data-urlencode "last_name=X" --data-urlencode "organisation=org-nowhere" \
	--data-urlencode "roles=emperor"
expect_status 422 "a bad new account"
expect_json '{"first_name", "roles"} <= set(d["fields"])' "true"
api POST /users/new --data-urlencode "email=not-an-address" --data-urlencode "first_name=N" \
	--data-urlencode "last_name=X" --data-urlencode "organisation=org-1" --data-urlencode "roles=referent"
expect_status 422 "a new account with a bad address"
expect_json 'sorted(d["fields"])' '["email"]'
api POST /users/new --data-urlencode "email=n@test.fr" --data-urlencode "first_name=N" \
	--data-urlencode "last_name=X" --data-urlencode "organisation=org-nowhere" --data-urlencode "roles=referent"
expect_status 422 "a new account in an unknown organisation"
expect_json 'sorted(d["fields"])' '["organisation"]'
api POST /users/new --data-urlencode "email=new@test.fr" --data-urlencode "first_name=Nina" \
	--data-urlencode "last_name=Nouvelle" --data-urlencode "organisation=org-nord" \
	--data-urlencode "roles=referent" --data-urlencode "password=un-mot-de-passe-solide"
expect_status 201 "a new account"
case "$(json 'd["id"]')" in u-*) ;; *) fail "a new account: answered $(head -c 300 "$WORK/body")" ;; esac
expect_no_body "password"
pc user list | grep -q "new@test.fr" || fail "the new account is not listed"
api POST /users/new --data-urlencode "email=OO@test.fr" --data-urlencode "first_name=Pirate" \
	--data-urlencode "last_name=Pirate" --data-urlencode "organisation=org-1" \
	--data-urlencode "roles=admin" --data-urlencode "password=un-mot-de-passe-pirate"
expect_status 422 "a new account with an address in use"
expect_json 'sorted(d["fields"])' '["email"]'
pc user list | grep "oo@test.fr" | grep -q orientation_officer || fail "an existing account was replaced"
api POST /users/new --data-urlencode "email=weak@test.fr" --data-urlencode "first_name=W" \
	--data-urlencode "last_name=Eak" --data-urlencode "organisation=org-1" \
	--data-urlencode "roles=referent" --data-urlencode "password=court"
expect_status 422 "a weak password"
expect_json 'sorted(d["fields"])' '["password"]'
echo "0009 ok"
