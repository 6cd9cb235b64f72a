#!/bin/sh
# Merging duplicate people (docs/modules/merge.md): `parcours merge` and
# its dry run, the admin pages (duplicates, comparison, merge, list of
# merges with CSV/XLSX/JSON), the redirect from an absorbed id, and every
# refusal: non-admin 403, a person with itself, unknown ids 404, two
# current orientations refused with nothing written.
. "$(dirname "$0")/lib.sh"
init_db
export PARCOURS_TODAY=2017-12-31
small_territory
import_jsonl >/dev/null <<'JSONL'
{"type":"household","id":"h-9","caf_number":"9999999","commune":"69381","territory":"t-nord"}
{"type":"person","id":"p-dup","household":"h-9","role":"DEM","first_name":"Benoit","last_name":"DUPONT","birth_date":"1980-05-17","sex":"M","phone":"0601020304"}
{"type":"right_period","id":"rp-dup","person":"p-dup","start":"2017-01-01","state":"2","subject_to_duties":true}
{"type":"orientation","id":"or-dup","person":"p-dup","decided_on":"2017-02-01","start":"2017-02-01","itinerary":"social","organisation":"org-nord","origin":"initial"}
{"type":"orientation","id":"or-zoe","person":"p-zoe","decided_on":"2017-01-15","start":"2017-01-15","itinerary":"social","organisation":"org-sud","origin":"initial"}
{"type":"person","id":"p-zoe2","household":"h-2","role":"DEM","first_name":"Zoé","last_name":"Martin","birth_date":"1990-02-28","sex":"F"}
{"type":"orientation","id":"or-zoe2","person":"p-zoe2","decided_on":"2017-03-01","start":"2017-03-01","itinerary":"social","organisation":"org-nord","origin":"initial"}
JSONL

# ---- command line ----------------------------------------------------------
expect_pc 2 merge p-benoit
expect_err "usage: parcours merge"
expect_pc 1 merge p-benoit p-benoit
expect_err "elle-même"
expect_pc 1 merge p-benoit p-nobody
expect_err "aucune personne n'a l'identifiant p-nobody"
expect_pc 0 merge p-benoit p-dup --dry-run
expect_out "moved: orientation 1"
expect_out "identical row removed: right_period rp-dup (same as rp-benoit)"
expect_out "field taken from the absorbed record: phone = 0601020304"
expect_out "dry run"
pc export --types person | grep -q '"p-dup"' || fail "the dry run removed p-dup"
# Two current orientations: refused, nothing written.
expect_pc 1 merge p-zoe p-zoe2
expect_err "orientation or-zoe: start: chevauche l'orientation or-zoe2"
pc export --types orientation | grep -q '"person":"p-zoe2"' || fail "the refused merge moved or-zoe2"

# ---- web: who may ------------------------------------------------------------
add_user officer@test.fr orientation_officer
add_user ref@test.fr referent
start_server
login officer@test.fr
for path in /people/merges /people/duplicates /people/p-benoit/merge "/people/p-benoit/merge?with=p-dup"; do
	req GET "$path"
	expect_status 403 "GET $path as an orientation officer"
done
req POST /people/p-benoit/merge --data-urlencode "csrf=$CSRF" --data-urlencode "absorbed=p-dup"
expect_status 403 "merge as an orientation officer"
pc export --types person | grep -q '"p-dup"' || fail "a refused web merge removed p-dup"

# ---- web: the administrator ---------------------------------------------------
login admin@test.fr
req GET /people/duplicates
expect_status 200 "duplicates"
expect_body "p-dup"
expect_body "p-zoe2"
req GET /people/p-benoit/merge
expect_status 200 "merge page"
expect_body "p-dup"
req GET "/people/p-benoit/merge?q=zoe"
expect_body "p-zoe2"
expect_no_body "p-dup"
req GET "/people/p-benoit/merge?with=p-dup"
expect_status 200 "comparison"
expect_body "Confirmer la fusion"
expect_body "reprise du dossier absorbé"
req GET "/people/p-zoe/merge?with=p-zoe2"
expect_status 200 "comparison of a refused pair"
expect_body "La fusion serait refusée"
expect_no_body "Confirmer la fusion"
req GET "/people/p-nobody/merge"
expect_status 404 "merge page of an unknown person"
req GET "/people/p-benoit/merge?with=p-nobody"
expect_status 404 "comparison with an unknown person"

# Refusals over POST.
req POST /people/p-benoit/merge --data-urlencode "csrf=$CSRF" --data-urlencode "absorbed=p-benoit"
expect_status 422 "merge with itself"
expect_body "elle-même"
req POST /people/p-benoit/merge --data-urlencode "csrf=$CSRF" --data-urlencode "absorbed=p-nobody"
expect_status 404 "merge of an unknown person"
req POST /people/p-nobody/merge --data-urlencode "csrf=$CSRF" --data-urlencode "absorbed=p-dup"
expect_status 404 "merge into an unknown person"
req POST /people/p-zoe/merge --data-urlencode "csrf=$CSRF" --data-urlencode "absorbed=p-zoe2"
expect_status 422 "two current orientations"
expect_body "chevauche l&#39;orientation or-zoe2"
pc export --types orientation | grep -q '"person":"p-zoe2"' || fail "the refused web merge moved or-zoe2"
req POST /people/p-benoit/merge --data-urlencode "absorbed=p-dup"
expect_status 403 "merge without the CSRF token"

# The merge.
req POST /people/p-benoit/merge --data-urlencode "csrf=$CSRF" --data-urlencode "absorbed=p-dup"
expect_status 200 "merge"
expect_body "Dossiers fusionnés"
pc export --types person | grep -q '"p-dup"' && fail "p-dup still exists"
pc export --types orientation | grep -q '"id":"or-dup","person":"p-benoit"' ||
	pc export --types orientation | grep '"or-dup"' | grep -q '"person":"p-benoit"' ||
	fail "or-dup did not move to p-benoit"
pc audit list | grep -q "person.merge.*p-benoit" || fail "no person.merge audit entry"

# The absorbed id leads to the kept person, for whoever may see it.
req GET /people/p-dup
expect_status 303 "absorbed id"
expect_header Location /people/p-benoit
login ref@test.fr
req GET /people/p-dup
expect_status 404 "absorbed id, for a user who may not see the kept person"

# The list of merges: page, JSON, CSV, XLSX.
login admin@test.fr
req GET /people/merges
expect_status 200 "merges"
expect_body "p-dup"
jreq GET /people/merges
expect_json "d['total']" 1
expect_json "d['rows'][0]['absorbed']" p-dup
expect_json "d['rows'][0]['kept']" p-benoit
req GET "/people/merges?format=csv"
expect_status 200 "merges CSV"
expect_body "p-dup"
req GET "/people/merges?format=xlsx"
expect_status 200 "merges XLSX"
expect_header Content-Type spreadsheetml
# The JSON API merges too.
TOKEN=$(token_for admin@test.fr)
api POST /people/p-zoe/merge --data-urlencode "absorbed=p-zoe2"
expect_status 422 "refused merge over the API"
expect_json "d['problems'][0]['id']" or-zoe
echo "ok 0150-merge"
