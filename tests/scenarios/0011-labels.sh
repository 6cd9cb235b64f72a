#!/bin/sh
# Labels, not codes, where people read: household roles, civility, sex,
# organisation kinds, CAF family situations, communes (with the territory
# that lists them), right states, account roles (list, filter, detail,
# organisation), labelled <option>s in forms; the codes stay in JSON and in
# the downloads, where they are data.
. "$(dirname "$0")/lib.sh"
init_db
export PARCOURS_TODAY=2017-12-31
small_territory
import_jsonl >/dev/null <<'JSONL'
{"type":"household","id":"h-1","caf_number":"1234567","paying_body":"CAF","commune":"69381","territory":"t-nord","family_situation":"VIM"}
{"type":"person","id":"p-benoit","household":"h-1","role":"DEM","first_name":"Benoît","last_name":"Dupont","birth_date":"1980-05-17","sex":"M","title":"MR","nir":"180056938112357"}
{"type":"household","id":"h-9","commune":"99999"}
{"type":"person","id":"p-far","household":"h-9","role":"CJT","first_name":"Loin","last_name":"Ailleurs","birth_date":"1970-01-01","sex":"F","title":"MME"}
JSONL
add_user oo@test.fr orientation_officer org-nord
start_server
login admin@test.fr

req GET /people/p-benoit
expect_status 200 "the person's file"
expect_body "<dd>M.</dd>"
expect_body "<dd>Homme</dd>"
expect_body "<dd>Demandeur</dd>"
expect_body "Vie maritale"
expect_body "69381 (territoire Lyon Nord)"
expect_body "Droit ouvert et versable"
expect_no_body "<dd>MR</dd>"
expect_no_body "<dd>VIM</dd>"
jreq GET /people/p-benoit
expect_json '[d["person"]["title"], d["person"]["title_label"], d["household"]["family_situation"]]' '["MR", "M.", "VIM"]'
expect_json '[r["state"] for r in d["rights"]]' '["2"]'
req GET /people/p-far
expect_body "<dd>Mme</dd>"
expect_body "Conjoint"
# A commune no territory lists shows its INSEE code.
expect_body "<dd>99999</dd>"
req GET /households/h-1
expect_body "Vie maritale"
expect_body "Demandeur"
expect_body "Conjoint"

# The search list: labels on the page, code and label in the CSV.
req GET "/people?q=dupont"
expect_body "<td>Demandeur</td>"
expect_body "69381 (territoire Lyon Nord)"
req GET "/people?q=dupont&format=csv"
expect_body "DEM;Demandeur"

# Organisations: kind labels in the list, the filter and the detail.
req GET /organisations
expect_body "<td>Maison de la Métropole</td>"
expect_body '<option value="siae_aci">SIAE — atelier et chantier d&#39;insertion</option>'
expect_body '<option value="siae_etti">SIAE — entreprise de travail temporaire d'
expect_no_body '>siae_aci<'
req GET "/organisations?kind=ccas"
expect_body '<option value="ccas" selected>CCAS</option>'
req GET /organisations/org-nord
expect_body "Maison de la Métropole"
expect_body "Chargé d&#39;orientation"
req GET /territories/t-nord
expect_body "<td>Maison de la Métropole</td>"

# Forms: labelled options.
req GET /people/p-benoit/edit
expect_body '<option value="MR" selected>M.</option>'
expect_body '<option value="F">Femme</option>'
req GET /organisations/org-nord/edit
expect_body '<option value="maison_metropole" selected>Maison de la Métropole</option>'
req GET /users/new
expect_body "Chargé d&#39;orientation"

# Accounts: role labels in the list, the filter echoes the chosen role.
req GET /users
expect_body '<p class="fr-tag fr-tag--sm fr-mr-1v">Administrateur</p>'
req GET "/users?role=orientation_officer"
expect_body '<option value="orientation_officer" selected>Chargé d&#39;orientation</option>'
expect_body "oo@test.fr"
expect_no_body "admin@test.fr"
jreq GET "/users?role=orientation_officer"
expect_json '[r["roles"] for r in d["rows"]]' '["[\"orientation_officer\"]"]'
# An unknown role filters nothing (and is no LIKE pattern).
jreq GET "/users?role=%25"
expect_json 'd["total"]' 2
req GET "/users?role=admin&format=csv"
expect_body 'Administrateur'
OO_ID=$(pc user list | awk -F'\t' '$2 == "oo@test.fr" {print $1}')
req GET "/users/$OO_ID"
expect_body "Chargé d&#39;orientation"

# The audit page names the actors; its page links keep the filters, encoded.
for _ in $(seq 1 55); do req GET /people/p-benoit; done
req GET "/audit?action=person.read"
expect_body "Ada Admin (admin@test.fr)"
expect_body 'href="/audit?person=&amp;actor=&amp;action=person.read&amp;page=2"'
req GET "/audit?action=person.read&actor=a%26b"
expect_status 200 "audit with an odd actor filter"
req GET "/audit?action=person.read&page=2"
expect_body 'href="/audit?person=&amp;actor=&amp;action=person.read&amp;page=1"'
echo "0011 ok"
