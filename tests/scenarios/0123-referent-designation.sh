#!/bin/sh
# Référent designation and change (/people/{id}/referent): the current
# assignment ends the day before the new one starts, never two at once;
# refusals (same référent, a start not after the current one, an account
# that is not a référent, no date) are 422 next to the field; a stale form
# is 409; orientation officers, admins and référents (for people they may
# see: 404 otherwise, audited) may designate; other roles 403; CSRF.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/path-lib.sh"
. "$(dirname "$0")/orientation-lib.sh"
orientation_setup
add_user ref2@test.fr referent o-mdm
cat >"$WORK/or.jsonl" <<'JSONL'
{"type":"orientation","id":"or-p1","person":"p-1","decided_on":"2017-06-01","start":"2017-06-01","itinerary":"social","organisation":"o-mdm","referent":"u-ref","origin":"initial"}
{"type":"referent_assignment","id":"ra-p1","person":"p-1","referent":"u-ref","organisation":"o-mdm","start":"2017-06-01"}
JSONL
pc import "$WORK/or.jsonl" >/dev/null || fail "the orientation did not import"
REF2=$(pc export --types user | grep '"ref2@test.fr"' | py -c 'import json,sys; print(json.loads(sys.stdin.read())["id"])')
start_server

# The page: the current référent, the organisation's référents.
as "$T_OFF" GET /people/p-1/referent
expect_status 200 "the référent page"
expect_json 'd["current"]["id"]' ra-p1
expect_json 'd["current"]["referent_name"]' "Rémi Référent"
expect_json 'd["expected"]' ra-p1
expect_json '[o["value"] for f in d["form"] if f["name"] == "referent" for o in f["options"]]' "[\"u-ref\", \"$REF2\"]"

designate() { tok=$1; shift; as "$tok" POST /people/p-1/referent "$@"; }

# Refusals, each next to its field; nothing written.
designate "$T_OFF" --data-urlencode referent=u-ref --data-urlencode start=2017-12-31 --data-urlencode current=ra-p1
expect_status 422 "the same référent"
expect_json 'd["fields"]["referent"]' "c'est déjà le référent de cette personne"
designate "$T_OFF" --data-urlencode "referent=$REF2" --data-urlencode start=2017-06-01 --data-urlencode current=ra-p1
expect_status 422 "a start on the current one's"
expect_json 'd["fields"]["start"]' "une désignation de référent commence déjà le 2017-06-01 : la nouvelle doit commencer après"
designate "$T_OFF" --data-urlencode referent=u-sec --data-urlencode start=2017-12-31 --data-urlencode current=ra-p1
expect_status 422 "an account without the référent role"
expect_json 'd["fields"]["referent"]' "Sacha Secrétaire n'a pas le rôle de référent de parcours"
designate "$T_OFF" --data-urlencode "referent=$REF2" --data-urlencode current=ra-p1
expect_status 422 "no start"
expect_json '"start" in d["fields"]' true
designate "$T_OFF" --data-urlencode "referent=$REF2" --data-urlencode start=2017-12-31 --data-urlencode end=2017-12-01
expect_status 422 "an end before the start"
expect_json '"end" in d["fields"]' true
# A form read when there was no référent yet: 409.
designate "$T_OFF" --data-urlencode "referent=$REF2" --data-urlencode start=2017-12-31 --data-urlencode current=
expect_status 409 "a stale form"
expect_json 'd["expected"]' ra-p1
[ "$(pc export --types referent_assignment | grep -c .)" = 1 ] || fail "a refused designation wrote something"

# The change: ra-p1 ends on 2017-12-14, the new one starts 2017-12-15.
designate "$T_OFF" --data-urlencode "referent=$REF2" --data-urlencode start=2017-12-15 --data-urlencode current=ra-p1
expect_status 201 "a change of référent"
RA=$(json 'd["id"]')
expect_json 'd["referent_assignment"]["organisation"]' o-mdm
pc export --types referent_assignment | grep '"ra-p1"' | grep -q '"end":"2017-12-14"' || fail "ra-p1 was not closed the day before"
audited referent.close p-1
audited referent.designate p-1

# A référent may designate for a person they see (p-1, linked to o-mdm)…
designate "$T_REF" --data-urlencode referent=u-ref --data-urlencode start=2018-01-02 \
	--data-urlencode end=2018-01-31 --data-urlencode "current=$RA"
expect_status 201 "a référent covering a colleague's absence"
# … not for one they may not see: 404, audited.
as "$T_REF" GET /people/p-3/referent
expect_status 404 "a person the référent does not see"
as "$T_REF" POST /people/p-3/referent --data-urlencode referent=u-ref --data-urlencode start=2017-12-31
expect_status 404 "designating for a person the référent does not see"
audited person.denied p-3
# The officer of the other territory does not see p-1.
as "$T_OUEST" POST /people/p-1/referent --data-urlencode referent=u-ref --data-urlencode start=2018-03-01
expect_status 404 "another territory's officer"

# Other roles: 403.
as "$T_SEC" GET /people/p-1/referent
expect_status 403 "an instance secretary"
pc user add analyst@test.fr --organisation o-mdm --role analyst --first-name A --last-name A \
	--password-file "$WORK/pw" >/dev/null
as "$(token_for analyst@test.fr)" POST /people/p-1/referent --data-urlencode referent=u-ref --data-urlencode start=2018-03-01
expect_status 403 "an analyst"

# CSRF; the browser's change goes back to the person's file.
login officer@test.fr
req POST /people/p-2/referent --data-urlencode referent=u-ref --data-urlencode start=2017-12-31
expect_status 403 "no CSRF token"
req POST /people/p-2/referent --data-urlencode referent=u-ref --data-urlencode start=2017-12-31 \
	--data-urlencode "csrf=$CSRF" --data-urlencode current=
expect_status 303 "the browser's designation"
expect_header Location /people/p-2
req GET /people/p-2/referent
expect_body 'Référent actuel : Rémi Référent'
