#!/bin/sh
# "Mon portefeuille" (/portfolio): the people a référent follows today,
# what needs action (no contract past the deadline — professional
# itineraries not counted —, contract ending within 30 days, past
# appointment still planned, no appointment for 3 months), counts, filters,
# downloads; an administrator chooses the référent; other roles get 403.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/path-lib.sh"
path_loaded
add_user officer@test.fr orientation_officer o-mdm
add_user analyst@test.fr analyst o-mdm
T_ACI=$(token_for aci@test.fr)
T_PE=$(token_for pe@test.fr)
T_ADMIN=$(token_for admin@test.fr)
start_server

# u-aci follows p-2 (assignment ra-3): socio-professional since 2016, no
# contract in force, last appointment in 2016.
TOKEN=$T_ACI
api GET /portfolio
expect_status 200 "the référent's portfolio"
expect_json 'd["total"]' 1
expect_json 'd["rows"][0]["id"]' p-2
expect_json '[c["count"] for c in d["counts"]]' '[1, 1, 0, 0, 1]'
expect_json 'd["rows"][0]["no_contract"]' true
api GET "/portfolio?action=no_contract"
expect_json 'd["total"]' 1
api GET "/portfolio?action=unfilled"
expect_json 'd["total"]' 0
# An unknown filter is no filter.
api GET "/portfolio?action=nonsense"
expect_json 'd["total"]' 1
api GET "/portfolio?format=csv"
expect_status 200 "the CSV download"
expect_header Content-Type text/csv
expect_body "Nom;Prénom"
expect_body "Lefèvre;Élise"

# u-pe follows p-1 on a professional itinerary: the PPAE is France
# Travail's, so no "no contract" count; an appointment is planned ahead.
TOKEN=$T_PE
api GET /portfolio
expect_json 'd["total"]' 1
expect_json '[c["count"] for c in d["counts"]]' '[1, 0, 0, 0, 0]'
# A référent's ?referent= is ignored: one's own caseload.
api GET "/portfolio?referent=u-aci"
expect_json 'd["rows"][0]["id"]' p-1

# The administrator chooses whose caseload.
TOKEN=$T_ADMIN
api GET "/portfolio?referent=u-aci"
expect_status 200 "the administrator's view"
expect_json 'd["rows"][0]["id"]' p-2
api GET /portfolio
expect_json 'd["choose"]' true

# The page itself, with its badges and filters (as a browser gets it).
TOKEN=$T_ACI
STATUS=$(curl -s -o "$WORK/body" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$BASE/portfolio")
expect_status 200 "the portfolio page"
expect_body "Mon portefeuille"
expect_body 'fr-badge fr-badge--sm fr-badge--warning'
expect_body "Sans contrat après le délai : 1"
expect_body 'href="/people/p-2/parcours"'

# Roles that do not follow a caseload: 403.
for who in officer analyst sec; do
	TOKEN=$(token_for "$who@test.fr")
	api GET /portfolio
	expect_status 403 "$who on /portfolio"
done
