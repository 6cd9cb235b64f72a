#!/bin/sh
# Caseload transfer when a référent leaves, and temporary cover during an
# absence (administrators only): same organisation, one transaction, a
# count, audited; a cover shows the absent référent's people in the
# covering référent's portfolio between its dates and ends by itself.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/path-lib.sh"
path_loaded
add_user col@test.fr referent o-aci
add_user col2@test.fr referent o-aci
add_user officer@test.fr orientation_officer o-aci
COL=$(sqlite3 "$DB" "SELECT id FROM account WHERE email = 'col@test.fr'")
COL2=$(sqlite3 "$DB" "SELECT id FROM account WHERE email = 'col2@test.fr'")
start_server

# Wrong roles: 403, for the page and both writes.
for who in aci officer; do
	TOKEN=$(token_for "$who@test.fr")
	api GET /portfolio/transfer
	expect_status 403 "$who on the transfer page"
	api POST /portfolio/transfer --data "from=u-aci&to=$COL&on=2017-12-31"
	expect_status 403 "$who transferring"
	api POST /portfolio/cover --data "absent=u-aci&covering=$COL&start=2017-12-01&end=2017-12-31"
	expect_status 403 "$who declaring a cover"
done

TOKEN=$(token_for admin@test.fr)
api GET /portfolio/transfer
expect_status 200 "the transfer page"
# Another organisation's référent: 422, nothing moved.
api POST /portfolio/transfer --data "from=u-aci&to=u-pe&on=2017-12-31"
expect_status 422 "a transfer to another organisation"
expect_json '"même structure" in d["fields"]["to"]' true
api POST /portfolio/transfer --data "from=u-aci&to=$COL&on=31/12/2017"
expect_status 422 "a transfer without a valid date"
expect_json 'sorted(d["fields"])' '["on"]'

# The transfer on 2017-12-31: ra-3 ends the day before, a new assignment
# of the colleague starts that day.
api POST /portfolio/transfer --data "from=u-aci&to=$COL&on=2017-12-31"
expect_status 200 "the transfer"
expect_json 'd["moved"]' 1
[ "$(sqlite3 "$DB" "SELECT end_date FROM referent_assignment WHERE id = 'ra-3'")" = 2017-12-30 ] ||
	fail "the leaving référent's assignment does not end the day before"
[ "$(sqlite3 "$DB" "SELECT COUNT(*) FROM referent_assignment WHERE person = 'p-2' AND referent = '$COL' AND start_date = '2017-12-31'")" = 1 ] ||
	fail "no assignment for the new référent"
pc audit list --person p-2 | grep -q "caseload.transfer" || fail "the transfer is not audited"
api GET "/portfolio?referent=$COL"
expect_json 'd["total"]' 1
api GET "/portfolio?referent=u-aci"
expect_json 'd["total"]' 0

# A cover: col2 follows col's caseload from 2017-12-20 to 2018-01-10.
api POST /portfolio/cover --data "absent=$COL&covering=$COL2&start=2017-12-20&end=2018-01-10"
expect_status 200 "the cover"
expect_json 'd["people"]' 1
api POST /portfolio/cover --data "absent=$COL&covering=$COL2&start=2018-01-05&end=2018-01-20"
expect_status 422 "an overlapping cover"
expect_json '"chevauche" in d["fields"]["start"]' true
api POST /portfolio/cover --data "absent=$COL&covering=u-pe&start=2018-02-01&end=2018-02-10"
expect_status 422 "a cover by another organisation's référent"
api POST /portfolio/cover --data "absent=$COL&covering=$COL2&start=2018-02-10&end=2018-02-01"
expect_status 422 "a cover ending before it starts"
TOKEN=$(token_for col2@test.fr)
api GET /portfolio
expect_json 'd["total"]' 1
expect_json 'd["referent"]["covers"][0]["until"]' 2018-01-10
api GET /people/p-2/parcours
expect_status 200 "the covering référent opens the file"
kill "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true

# The cover ends by itself.
export PARCOURS_TODAY=2018-01-11
start_server
api GET /portfolio
expect_json 'd["total"]' 0
