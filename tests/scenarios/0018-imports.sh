#!/bin/sh
# CAF import reports in the interface: /imports lists the runs, the report
# page shows the counts, warnings and rejected households (reason, the XML
# escaped in a <pre>), the rejections download as CSV and XLSX; admin and
# orientation officer only.
. "$(dirname "$0")/lib.sh"
init_db
small_territory
export PARCOURS_TODAY=2018-01-31
add_user oo@test.fr orientation_officer org-nord
add_user ref@test.fr referent org-nord
SAMPLE="$SHARED/formats/caf/RSABEM-sample.xml"
# The sample with the first person's SEXE made impossible: that household
# is rejected, the other taken.
sed '40s|<SEXE>2</SEXE>|<SEXE>9</SEXE>|' "$SAMPLE" >"$WORK/flux.xml"
grep -q '<SEXE>9</SEXE>' "$WORK/flux.xml" || fail "the sample changed: line 40 is no longer SEXE"
expect_pc 1 import-caf "$WORK/flux.xml"
ID=$(sqlite3 "$DB" "SELECT MAX(id) FROM caf_import")
start_server

login oo@test.fr
req GET /imports
expect_status 200 "the list of imports"
expect_body "flux.xml"
expect_body "/imports/caf/$ID"
expect_body "Flux bénéficiaires CAF/MSA"
jreq GET /imports
expect_json '[[r["kind"], r["id"], r["status"], r["created"], r["rejected"]] for r in d["rows"]]' "[[\"caf\", $ID, \"done\", 1, 1]]"

req GET "/imports/caf/$ID"
expect_status 200 "the report"
expect_body "Foyers rejetés"
expect_body "SEXE"
expect_body "205599000000000"
# The household's XML, escaped inside a <pre>.
expect_body '<pre class="parcours-xml"'
expect_body '&lt;SEXE&gt;9&lt;/SEXE&gt;'
expect_no_body '<SEXE>9</SEXE>'
expect_body "TransmissionFlux annonce"
jreq GET "/imports/caf/$ID"
expect_json '[d["report"]["created"], d["report"]["rejected"], d["report"]["households"]]' '[1, 1, 2]'
expect_json '[r["identifier"] for r in d["rows"]][:1]' '["205599000000000"]'
expect_json 'len(d["report"]["warnings"]) > 0' true

req GET "/imports/caf/$ID?format=csv"
expect_status 200 "the rejections as CSV"
expect_header Content-Type "text/csv"
expect_body "205599000000000"
expect_body "SEXE"
req GET "/imports/caf/$ID?format=xlsx"
expect_status 200 "the rejections as XLSX"
expect_header Content-Type "spreadsheetml"

# Unknown or malformed ids: 404.
req GET /imports/caf/999
expect_status 404 "an unknown import"
req GET /imports/caf/abc
expect_status 404 "a malformed import id"

# Other roles: 403.
login ref@test.fr
req GET /imports
expect_status 403 "the référent on /imports"
req GET "/imports/caf/$ID"
expect_status 403 "the référent on a report"
login admin@test.fr
req GET "/imports/caf/$ID"
expect_status 200 "the admin on a report"
echo "0018 ok"
