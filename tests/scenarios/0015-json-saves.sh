#!/bin/sh
# JSON API saves: numbers and booleans of a JSON body are taken as their
# text before validation; a save answers 200 (update) or 201 (create) with
# the record as JSON; a browser still gets 303.
. "$(dirname "$0")/lib.sh"
init_db
export PARCOURS_TODAY=2017-12-31
small_territory
TOKEN=$(token_for admin@test.fr)
start_server

api GET /people/p-benoit
v=$(json 'd["person"]["version"]')
api POST /people/p-benoit/edit -H "Content-Type: application/json" --data \
	"{\"first_name\":\"Benoît\",\"last_name\":\"Dupont\",\"birth_date\":\"1980-05-17\",\"sex\":\"M\",\"phone\":478000001,\"version\":$v}"
expect_status 200 "a JSON update with a number and an integer version"
expect_json 'd["person"]["phone"]' "478000001"
expect_json 'd["id"]' "p-benoit"
expect_json 'd["version"] > '"$v" true
# A bad value still answers 422 with the field.
api POST /people/p-benoit/edit -H "Content-Type: application/json" --data \
	'{"first_name":"Benoît","last_name":"Dupont","birth_date":19800517,"sex":"M","version":99}'
expect_status 422 "a number where a date is expected"
expect_json 'sorted(d["fields"])' '["birth_date"]'

# A new account with a boolean: 201 and the account.
api POST /users/new -H "Content-Type: application/json" --data \
	'{"email":"sante@test.fr","first_name":"Sana","last_name":"Santé","organisation":"org-nord","roles":["referent"],"health_accredited":true}'
expect_status 201 "a JSON account creation"
expect_json 'd["user"]["health_accredited"]' true
expect_json 'd["user"]["email"]' "sante@test.fr"
expect_json 'd["user"]["created_on"]' "2017-12-31"
api POST /users/new -H "Content-Type: application/json" --data \
	'{"email":"faux@test.fr","first_name":"F","last_name":"F","organisation":"org-nord","roles":["referent"],"health_accredited":false}'
expect_status 201 "health_accredited false"
expect_json 'd["user"].get("health_accredited", False)' false

# An organisation update: 200 and the record.
api GET /organisations/org-nord/edit
v=$(json 'd["version"]')
api POST /organisations/org-nord/edit -H "Content-Type: application/json" --data \
	"{\"name\":\"Maison Nord\",\"kind\":\"maison_metropole\",\"territory\":\"t-nord\",\"version\":$v}"
expect_status 200 "a JSON organisation update"
expect_json 'd["organisation"]["name"]' "Maison Nord"

# A browser (form, session) still goes on with 303.
login admin@test.fr
req GET /organisations/org-nord/edit
CSRF=$(csrf_from_body)
v=$(sed -n 's/.*name="version" value="\([0-9]*\)".*/\1/p' "$WORK/body" | head -1)
req POST /organisations/org-nord/edit --data-urlencode "csrf=$CSRF" --data-urlencode "name=Maison Nord 2" \
	--data-urlencode "kind=maison_metropole" --data-urlencode "version=$v"
expect_status 303 "a browser's save"
echo "0015 ok"
