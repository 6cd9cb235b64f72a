#!/bin/sh
# Cohort orientation from the queue (POST /orientation/bulk): a
# confirmation page lists who will be oriented; a wrong itinerary /
# organisation pair or an empty selection is 422 with the message next to
# the field; then one transaction per person: the result says who was
# oriented and who was refused, with the reason; a person one may not see
# is refused as non-existent (audited); roles and CSRF.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/path-lib.sh"
. "$(dirname "$0")/orientation-lib.sh"
orientation_setup
# p-3 is already oriented: the cohort must not replace that silently.
cat >"$WORK/or.jsonl" <<'JSONL'
{"type":"orientation","id":"or-p3","person":"p-3","decided_on":"2017-06-01","start":"2017-06-01","itinerary":"social","organisation":"o-mdm","origin":"initial"}
JSONL
pc import "$WORK/or.jsonl" >/dev/null || fail "or-p3 did not import"
start_server

bulk() { as "$T_OFF" POST /orientation/bulk "$@"; }

# The confirmation: the people listed by name, dates filled in with today.
bulk --data-urlencode person=p-1 --data-urlencode person=p-2 --data-urlencode itinerary=social \
	--data-urlencode organisation=o-mdm
expect_status 200 "the confirmation page"
expect_json '[p["last_name"] + " " + p["first_name"] for p in d["people"]]' '["Lefèvre Benoît", "Lefèvre Élise"]'
expect_json 'd["count"]' 2
expect_json '[f["value"] for f in d["form"] if f["name"] == "start"]' '["2017-12-31"]'
[ "$(pc export --types orientation | grep -c .)" = 1 ] || fail "the confirmation page wrote something"
STATUS=$(curl -s -o "$WORK/body" -w '%{http_code}' -H "Authorization: Bearer $T_OFF" "$BASE/orientation/bulk" \
	--data-urlencode person=p-1 --data-urlencode person=p-2 --data-urlencode itinerary=social --data-urlencode organisation=o-mdm)
expect_body '2 personne(s) seront orientées'
expect_body 'Lefèvre Benoît'
expect_body 'name="confirm" value="1"'

# A wrong pair: 422 next to the organisation; the list re-filtered.
bulk --data-urlencode person=p-1 --data-urlencode itinerary=professional --data-urlencode organisation=o-mdm \
	--data-urlencode decided_on=2017-12-20 --data-urlencode start=2017-12-31 --data-urlencode confirm=1
expect_status 422 "a cohort with a wrong pair"
expect_json 'd["fields"]["organisation"]' "cette structure ne porte pas l'itinéraire Professionnel : choisissez-en une dans la liste"
expect_json '[o["value"] for f in d["form"] if f["name"] == "organisation" for o in f["options"]]' '["o-pe"]'
# No one ticked: 422.
bulk --data-urlencode itinerary=social --data-urlencode organisation=o-mdm --data-urlencode confirm=1 \
	--data-urlencode decided_on=2017-12-20 --data-urlencode start=2017-12-31
expect_status 422 "an empty cohort"
expect_json 'd["fields"]["person"]' "cochez au moins une personne dans la file d'orientation"
# A bad date on confirmation: 422.
bulk --data-urlencode person=p-1 --data-urlencode itinerary=social --data-urlencode organisation=o-mdm \
	--data-urlencode decided_on=2017-02-30 --data-urlencode start=2017-12-31 --data-urlencode confirm=1
expect_status 422 "an impossible date"
expect_json 'd["fields"]["decided_on"]' "date attendue au format jj/mm/aaaa"
[ "$(pc export --types orientation | grep -c .)" = 1 ] || fail "a refused cohort wrote something"

# Confirmed: p-1, p-2 oriented; p-3 refused (already oriented), p-4
# refused (another territory: does not exist for this officer).
bulk --data-urlencode person=p-1 --data-urlencode person=p-2 --data-urlencode person=p-3 \
	--data-urlencode person=p-4 --data-urlencode person=p-1 --data-urlencode itinerary=social \
	--data-urlencode organisation=o-mdm --data-urlencode decided_on=2017-12-20 \
	--data-urlencode start=2017-12-31 --data-urlencode confirm=1
expect_status 200 "the cohort"
expect_json 'd["oriented_count"]' 2
expect_json 'd["refused_count"]' 2
expect_json '[p["id"] for p in d["oriented"]]' '["p-1", "p-2"]'
expect_json '[(p["id"], p["reason"]) for p in d["refused"]]' '[["p-4", "cette personne n'"'"'existe pas ou ne vous est pas accessible"], ["p-3", "cette personne a déjà une orientation en cours : une nouvelle orientation est une réorientation (après l'"'"'avis favorable d'"'"'une équipe pluridisciplinaire) ou un changement de territoire"]]'
expect_json 'd["letters_href"]' "/orientation/letters.pdf?people=p-1,p-2"
audited orientation.create p-1
audited orientation.create p-2
audited person.denied p-4
[ "$(pc export --types orientation | grep -c .)" = 3 ] || fail "expected 3 orientations after the cohort"
pc export --types orientation | grep '"or-p3"' | grep -q '"end"' && fail "p-3's orientation was closed"

# The result page: counts, reasons, the cohort's letters.
STATUS=$(curl -s -o "$WORK/body" -w '%{http_code}' -H "Authorization: Bearer $T_OFF" "$BASE/orientation/bulk" \
	--data-urlencode person=p-5 --data-urlencode person=p-3 --data-urlencode itinerary=professional \
	--data-urlencode organisation=o-pe --data-urlencode decided_on=2017-12-20 \
	--data-urlencode start=2017-12-31 --data-urlencode confirm=1)
expect_status 200 "the result page"
expect_body '1 personne(s) orientée(s), 1 refusée(s)'
expect_body 'Martin Zoé : cette personne a déjà une orientation en cours'
expect_body 'href="/orientation/letters.pdf?people=p-5"'

# Roles and CSRF.
as "$T_REF" POST /orientation/bulk --data-urlencode person=p-1 --data-urlencode itinerary=social
expect_status 403 "a référent"
as "$T_SEC" POST /orientation/bulk --data-urlencode person=p-1 --data-urlencode itinerary=social
expect_status 403 "an instance secretary"
login officer@test.fr
req POST /orientation/bulk --data-urlencode person=p-1 --data-urlencode itinerary=social
expect_status 403 "no CSRF token"
req POST /orientation/bulk --data-urlencode person=p-1 --data-urlencode itinerary=social --data-urlencode "csrf=$CSRF"
expect_status 200 "with the CSRF token"
