#!/bin/sh
# /people?sdd=1 (the orientation officer's home card): only the people
# subject to duties today, inside the user's own scope.
. "$(dirname "$0")/lib.sh"
init_db
export PARCOURS_TODAY=2017-12-31
small_territory
import_jsonl >/dev/null <<'JSONL'
{"type":"person","id":"p-old","household":"h-1","role":"ENF","first_name":"Ancien","last_name":"Dupont","birth_date":"1999-01-01","sex":"M"}
{"type":"right_period","id":"rp-old","person":"p-old","start":"2016-01-01","end":"2017-06-30","state":"2","subject_to_duties":true}
{"type":"person","id":"p-closed","household":"h-1","role":"AUT","first_name":"Clos","last_name":"Dupont","birth_date":"1950-01-01","sex":"M"}
{"type":"right_period","id":"rp-closed","person":"p-closed","start":"2017-01-01","state":"5","subject_to_duties":true}
JSONL
add_user oo@test.fr orientation_officer org-nord
start_server

login admin@test.fr
jreq GET "/people?q=dupont"
expect_json 'sorted(r["id"] for r in d["rows"])' '["p-benoit", "p-claire", "p-closed", "p-old"]'
jreq GET "/people?q=dupont&sdd=1"
expect_json '[r["id"] for r in d["rows"]]' '["p-benoit"]'
jreq GET "/people?sdd=1"
expect_json 'sorted(r["id"] for r in d["rows"])' '["p-benoit", "p-eve", "p-zoe"]'
expect_json 'd["search"]["sdd"]' true
# The page: the box stays ticked, the links keep the filter.
req GET "/people?sdd=1"
expect_body 'id="sdd" name="sdd" value="1" checked'
expect_body "Personnes soumises aux droits et devoirs"
expect_body 'href="/people?sdd=1&amp;format=csv"'
req GET "/people?sdd=1&format=csv"
[ "$(grep -c . "$WORK/body")" = 4 ] || fail "the SDD CSV should hold 3 people: $(cat "$WORK/body")"
# Any other value is no filter.
jreq GET "/people?sdd=0"
expect_json 'd["total"]' 7
# The orientation officer: SDD of their territory only, as without it.
login oo@test.fr
jreq GET "/people?sdd=1"
expect_json 'sorted(r["id"] for r in d["rows"])' '["p-benoit", "p-eve"]'
req GET /
expect_body 'href="/people?sdd=1"'
echo "0012 ok"
