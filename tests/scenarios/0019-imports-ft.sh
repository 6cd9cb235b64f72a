#!/bin/sh
# France Travail and list import runs in the interface: /imports lists them
# next to the CAF ones, each linking to its report; /imports/ft/{id} shows
# the counts and the rejected and unmatched lines (filter, CSV, XLSX, JSON,
# text escaped); list runs link to /lists/imports/{id} and are listed only
# to who may open that report (the administrator; a member of the importing
# organisation); admin and orientation officer only.
. "$(dirname "$0")/lib.sh"
init_db
small_territory
export PARCOURS_TODAY=2018-01-31
add_user oo@test.fr orientation_officer org-nord
add_user oo-sud@test.fr orientation_officer org-sud
add_user ref@test.fr referent org-nord

# Benoît by his NIR, Zoé by name and birth date; an unknown id; a name
# with markup that matches nobody; an impossible date (rejected).
printf '%s\r\n' \
	'180056938112357;1111111A111;DUPONT;BENOIT;17/05/1980;06/11/2017;1;CAT 1;180056938112357' \
	';;MARTIN;ZOE;28/02/1990;02/11/2017;;;' \
	';2222222B222;INCONNU;PERSONNE;01/01/1985;02/11/2017;;;' \
	';;<b>Balise</b>;Test;01/01/1970;02/11/2017;;;' \
	';;DUPONT;CLAIRE;03/11/1982;31/11/2017;;;' >"$WORK/inscriptions-2017-11.csv"
expect_pc 1 import-ft "$WORK/inscriptions-2017-11.csv"
FT=$(sqlite3 "$DB" "SELECT MAX(id) FROM ft_import")

# A list of each organisation (one line each).
printf 'Nom;Prénom;Date de naissance\nDUPONT;Benoit;17/05/1980\n' >"$WORK/liste-nord.csv"
printf 'Nom;Prénom;Date de naissance\nMARTIN;Zoe;28/02/1990\n' >"$WORK/liste-sud.csv"
MAP='Nom=last_name,Prénom=first_name,Date de naissance=birth_date'
expect_pc 0 import-list "$WORK/liste-nord.csv" --organisation org-nord --mapping m --map "$MAP"
expect_pc 0 import-list "$WORK/liste-sud.csv" --organisation org-sud --mapping m --map "$MAP"
NORD=$(sqlite3 "$DB" "SELECT id FROM list_import WHERE organisation = 'org-nord'")
SUD=$(sqlite3 "$DB" "SELECT id FROM list_import WHERE organisation = 'org-sud'")
start_server

# --- The orientation officer of org-nord: the France Travail run and the
# list of the own organisation, not org-sud's.
login oo@test.fr
req GET /imports
expect_status 200 "the list of imports"
expect_body "inscriptions-2017-11.csv"
expect_body "href=\"/imports/ft/$FT\""
expect_body "Liste France Travail"
expect_body "href=\"/lists/imports/$NORD\""
expect_body "liste-nord.csv"
expect_no_body "liste-sud.csv"
expect_no_body "/lists/imports/$SUD\""
expect_body '<th scope="col">Sans correspondance</th>'
jreq GET /imports
expect_json 'sorted([r["kind"], r["file"].rsplit("/", 1)[-1], r["status"], r["read"], r["created"], r["rejected"], r["unmatched"]] for r in d["rows"])' \
	'[["ft", "inscriptions-2017-11.csv", "done", 5, 2, 1, 2], ["list", "liste-nord.csv", "done", 1, 0, 0, null]]'
expect_json '[r["href"] for r in d["rows"] if r["kind"] == "list"]' "[\"/lists/imports/$NORD\"]"
req GET "/imports?format=csv"
expect_status 200 "the runs as CSV"
expect_body "Sans correspondance"
expect_no_body "liste-sud.csv"
# The list link opens (the same rule on both pages).
req GET "/lists/imports/$NORD"
expect_status 200 "the list report from /imports"

# --- The France Travail report.
req GET "/imports/ft/$FT"
expect_status 200 "the France Travail report"
expect_body "Rapport d'import d'une liste France Travail"
expect_body "Fichier de mouvements"
expect_body "Lignes sans correspondance"
expect_body "<caption>Lignes rejetées ou sans correspondance"
expect_body '<label class="fr-label" for="kind">'
expect_body "2222222B222"
expect_body "31/11/2017"
# Text from the file is escaped.
expect_body "&lt;b&gt;Balise&lt;/b&gt;"
expect_no_body "<b>Balise</b>"
jreq GET "/imports/ft/$FT"
expect_json '[d["report"][k] for k in ("lines", "created", "updated", "unchanged", "rejected", "unmatched")]' '[5, 2, 0, 0, 1, 2]'
expect_json '[d["report"]["shape"], d["report"]["state"], d["report"]["status"]]' '["movement", "registered", "done"]'
expect_json '[[r["line"], r["kind"], r["identifier"], r.get("field")] for r in d["rows"]]' \
	'[[3, "unmatched", "2222222B222", null], [4, "unmatched", "<b>Balise</b> Test 01/01/1970", null], [5, "rejected", "DUPONT CLAIRE 03/11/1982", "date"]]'
expect_json 'd["total"]' 3
# The filter: unmatched lines only, rejected only; anything else shows all.
jreq GET "/imports/ft/$FT?kind=unmatched"
expect_json '[r["line"] for r in d["rows"]]' '[3, 4]'
jreq GET "/imports/ft/$FT?kind=rejected"
expect_json '[r["line"] for r in d["rows"]]' '[5]'
jreq GET "/imports/ft/$FT?kind=x'--"
expect_json 'd["total"]' 3
req GET "/imports/ft/$FT?kind=rejected"
expect_body '<option value="rejected" selected>'
expect_body "href=\"/imports/ft/$FT?kind=rejected&amp;format=csv\""

req GET "/imports/ft/$FT?format=csv"
expect_status 200 "the lines as CSV"
expect_header Content-Type "text/csv"
expect_body "Sans correspondance"
expect_body "2222222B222"
expect_body "DUPONT CLAIRE 03/11/1982"
req GET "/imports/ft/$FT?format=xlsx"
expect_status 200 "the lines as XLSX"
expect_header Content-Type "spreadsheetml"

# Unknown or malformed ids: 404.
req GET /imports/ft/999
expect_status 404 "an unknown France Travail import"
req GET /imports/ft/abc
expect_status 404 "a malformed France Travail import id"
req GET /imports/ft/99999999999999999999
expect_status 404 "an id too long"

# --- org-sud's officer sees its own list, not org-nord's.
login oo-sud@test.fr
jreq GET /imports
expect_json 'sorted(r["file"].rsplit("/", 1)[-1] for r in d["rows"])' '["inscriptions-2017-11.csv", "liste-sud.csv"]'

# --- The administrator sees every run.
login admin@test.fr
jreq GET /imports
expect_json 'sorted(r["file"].rsplit("/", 1)[-1] for r in d["rows"])' '["inscriptions-2017-11.csv", "liste-nord.csv", "liste-sud.csv"]'
req GET "/imports/ft/$FT"
expect_status 200 "the admin on a France Travail report"

# --- Other roles: 403.
login ref@test.fr
req GET "/imports/ft/$FT"
expect_status 403 "the référent on a France Travail report"
echo "0019 ok"
