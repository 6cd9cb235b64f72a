#!/bin/sh
# /people/{id}/parcours: the person's path newest first, each entry linking
# to its form; health steps only with the accreditation (else absent, and
# their form answers 404); the same access rule as the file (404, audited),
# and a read is audited as a read of the file.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/path-lib.sh"
path_loaded
import_jsonl >/dev/null <<'JSONL'
{"type":"user","id":"u-pe-health","email":"peh@test.fr","first_name":"Hélène","last_name":"Santé","organisation":"o-pe","roles":["referent"],"health_accredited":true}
JSONL
add_user analyst@test.fr analyst o-mdm
start_server

TOKEN=$(token_for pe@test.fr)
api GET /people/p-1/parcours
expect_status 200 "the timeline of a followed person"
expect_json '[e["kind"] for e in d["entries"]][0]' appointment
expect_json 'd["entries"][0]["date"] >= d["entries"][-1]["date"]' true
expect_json 'sorted(set(e["kind"] for e in d["entries"]))' '["appointment", "attendance", "contract", "diagnostic", "orientation", "referent_assignment", "step"]'
expect_json '[e["id"] for e in d["entries"] if e["kind"] == "step"]' '["st-2"]'
expect_json '[e["href"] for e in d["entries"] if e["id"] == "ct-2"]' '["/contracts/ct-2/edit"]'
pc audit list --person p-1 | grep "person.read" | grep -q parcours || fail "the timeline read is not audited"
# The health step does not exist for this référent.
api GET /steps/st-1/edit
expect_status 404 "a health step without the accreditation"

TOKEN=$(token_for peh@test.fr)
api GET /people/p-1/parcours
expect_json '[e["id"] for e in d["entries"] if e["kind"] == "step"]' '["st-2", "st-1"]'
api GET /steps/st-1/edit
expect_status 200 "a health step with the accreditation"

# Not followed: 404, audited.
TOKEN=$(token_for aci@test.fr)
api GET /people/p-1/parcours
expect_status 404 "a person not followed"
pc audit list --person p-1 | grep -q "person.denied" || fail "the denied timeline is not audited"
api GET /people/p-1/contracts/new
expect_status 404 "a form for a person not followed"
api GET /contracts/ct-2/edit
expect_status 404 "a contract of a person not followed"
api GET /appointments/ap-2/convocation.pdf
expect_status 404 "a convocation of a person not followed"

# The analyst never sees people by name.
TOKEN=$(token_for analyst@test.fr)
api GET /people/p-1/parcours
expect_status 403 "the analyst"
