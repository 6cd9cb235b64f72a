#!/bin/sh
# One person's orientation (/people/{id}/orientation/new): the organisation
# list follows the itinerary; a wrong pair, a référent of another
# organisation, a second orientation that is not a reorientation, a
# reorientation without a favourable review are refused (422, next to the
# field, typed values kept); a stale form is 409; a person one may not see
# is 404 (audited); roles (403) and CSRF (403).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/path-lib.sh"
. "$(dirname "$0")/orientation-lib.sh"
orientation_setup
start_server

# The form: the organisations that carry the chosen itinerary only.
as "$T_OFF" GET "/people/p-1/orientation/new?itinerary=professional"
expect_status 200 "the form"
expect_json '[o["value"] for f in d["form"] if f["name"] == "organisation" for o in f["options"]]' '["o-pe"]'
expect_json 'd["current"]' null
as "$T_OFF" GET "/people/p-1/orientation/new?itinerary=social&organisation=o-mdm"
expect_json '[o["value"] for f in d["form"] if f["name"] == "organisation" for o in f["options"]]' '["o-mdm", "o-ouest"]'
expect_json '[o["value"] for f in d["form"] if f["name"] == "referent" for o in f["options"]]' '["u-ref"]'

# A wrong pair (no JavaScript: every organisation could be sent): 422 in
# plain French next to the field, typed values kept, nothing written.
orient_json "$T_OFF" p-1 professional o-mdm --data-urlencode "current="
expect_status 422 "Pôle emploi itinerary with a Maison de la Métropole"
expect_json 'd["fields"]["organisation"]' "« Maison de la Métropole Est » ne porte pas l'itinéraire Professionnel : choisissez une agence France Travail (Pôle emploi)"
STATUS=$(curl -s -o "$WORK/body" -w '%{http_code}' -H "Authorization: Bearer $T_OFF" "$BASE/people/p-1/orientation/new" \
	--data-urlencode itinerary=professional --data-urlencode organisation=o-mdm \
	--data-urlencode decided_on=2017-12-20 --data-urlencode start=2017-12-29 --data-urlencode current=)
expect_status 422 "the same from a browser"
expect_body 'id="f-organisation-error" class="fr-error-text">« Maison de la Métropole Est » ne porte pas'
expect_body 'name="start" value="2017-12-29"'
[ "$(pc export --types orientation | grep -c .)" = 0 ] || fail "a refused orientation was written"

# A référent of another organisation; a non-existent organisation.
orient_json "$T_OFF" p-1 social o-mdm --data-urlencode "referent=u-pe"
expect_status 422 "a référent of Pôle emploi at the MDM"
expect_json 'd["fields"]["referent"]' "Paule Emploi n'est pas référent de la structure « Maison de la Métropole Est »"
orient_json "$T_OFF" p-1 social o-nowhere
expect_status 422 "an unknown organisation"
expect_json 'd["fields"]["organisation"]' "cette structure n'existe pas"
orient_json "$T_OFF" p-1 nowhere o-mdm
expect_status 422 "an unknown itinerary"
expect_json '"itinerary" in d["fields"]' true

# The right pair with a référent: 201, the orientation and the assignment,
# both audited.
orient_json "$T_OFF" p-1 social o-mdm --data-urlencode "referent=u-ref" --data-urlencode "current="
expect_status 201 "an orientation"
OR1=$(json 'd["id"]')
expect_json 'd["orientation"]["origin"]' initial
expect_json 'd["orientation"]["itinerary"]' social
pc export --types referent_assignment | grep -q '"referent":"u-ref"' || fail "no référent assignment"
audited orientation.create p-1
audited referent.designate p-1
# It left the queue.
as "$T_OFF" GET /orientation
expect_no_body '"p-1"'

# A second orientation is not silently replacing the first one.
orient_json "$T_OFF" p-1 professional o-pe --data-urlencode "origin=initial"
expect_status 422 "a second initial orientation"
expect_json 'd["fields"]["origin"]' "cette personne a déjà une orientation en cours : une nouvelle orientation est une réorientation (après l'avis favorable d'une équipe pluridisciplinaire) ou un changement de territoire"
orient_json "$T_OFF" p-1 professional o-pe --data-urlencode "origin=reorientation"
expect_status 422 "a reorientation without its review"
expect_json '"case_review" in d["fields"]' true
# A move needs another territory.
orient_json "$T_OFF" p-1 socio_professional o-aci --data-urlencode "origin=move"
expect_status 422 "a move inside the territory"
expect_json 'd["fields"]["origin"]' "un changement de territoire oriente vers une structure d'un autre territoire que celle de l'orientation en cours"
# A stale form (read before the first orientation): 409, nothing written.
orient_json "$T_OFF" p-1 professional o-pe --data-urlencode "origin=move" --data-urlencode "current="
expect_status 409 "a form read before the current orientation"
expect_json 'd["expected"]' "$OR1"
# A move to the other territory's MDM closes the current one the day before.
as "$T_OFF" POST "/people/p-1/orientation/new" --data-urlencode itinerary=social \
	--data-urlencode organisation=o-ouest --data-urlencode decided_on=2018-01-10 \
	--data-urlencode start=2018-01-15 --data-urlencode origin=move --data-urlencode "current=$OR1"
expect_status 201 "a move"
pc export --types orientation | grep "\"$OR1\"" | grep -q '"end":"2018-01-14"' || fail "the current orientation was not closed the day before"
audited orientation.close p-1

# A favourable review makes a reorientation possible (p-2).
cat >"$WORK/review.jsonl" <<'JSONL'
{"type":"orientation","id":"or-p2","person":"p-2","decided_on":"2016-03-01","start":"2016-03-01","itinerary":"social","organisation":"o-mdm","origin":"initial"}
{"type":"instance","id":"in-1","name":"ITT Est","kind":"itt","territory":"t-est","quorum":1}
{"type":"instance_member","id":"im-1","instance":"in-1","name":"Présidente","role":"chair","start":"2015-01-01"}
{"type":"sitting","id":"si-1","instance":"in-1","date":"2017-12-15","present":["im-1"]}
{"type":"case_review","id":"cr-no","person":"p-2","referred_on":"2017-12-01","reason":"reorientation","sitting":"si-1","opinion":"unfavourable"}
{"type":"case_review","id":"cr-yes","person":"p-2","referred_on":"2017-12-01","reason":"reorientation","sitting":"si-1","opinion":"favourable"}
JSONL
pc import "$WORK/review.jsonl" >/dev/null || fail "the review did not import"
as "$T_OFF" GET "/people/p-2/orientation/new"
expect_json '[o["value"] for f in d["form"] if f["name"] == "case_review" for o in f["options"]]' '["cr-yes"]'
expect_json '[o["value"] for f in d["form"] if f["name"] == "origin" for o in f["options"] if o["selected"]]' '["reorientation"]'
orient_json "$T_OFF" p-2 professional o-pe --data-urlencode origin=reorientation --data-urlencode case_review=cr-no
expect_status 422 "an unfavourable review"
expect_json 'd["fields"]["case_review"]' "l'examen cr-no n'a pas rendu d'avis favorable : une réorientation en a besoin"
orient_json "$T_OFF" p-2 professional o-pe --data-urlencode origin=reorientation --data-urlencode case_review=cr-yes
expect_status 201 "a reorientation after a favourable review"

# A person the officer may not see: 404 (as one that does not exist), audited.
as "$T_OFF" GET "/people/p-4/orientation/new"
expect_status 404 "another territory's person"
orient_json "$T_OFF" p-4 social o-ouest
expect_status 404 "orienting another territory's person"
audited person.denied p-4
orient_json "$T_OFF" p-nobody social o-mdm
expect_status 404 "orienting nobody"
[ "$(pc export --types orientation | grep -c '"p-4"')" = 0 ] || fail "p-4 was oriented"

# Roles: a référent may not orient (403), even someone they follow.
as "$T_REF" GET "/people/p-1/orientation/new"
expect_status 403 "a référent on the form"
orient_json "$T_REF" p-3 social o-mdm
expect_status 403 "a référent posting the form"

# CSRF: a browser session without the token is refused.
login officer@test.fr
req POST /people/p-3/orientation/new --data-urlencode itinerary=social --data-urlencode organisation=o-mdm \
	--data-urlencode decided_on=2017-12-20 --data-urlencode start=2017-12-31
expect_status 403 "no CSRF token"
req POST /people/p-3/orientation/new --data-urlencode itinerary=social --data-urlencode organisation=o-mdm \
	--data-urlencode decided_on=2017-12-20 --data-urlencode start=2017-12-31 --data-urlencode "csrf=$CSRF" \
	--data-urlencode current=
expect_status 303 "the browser's orientation"
expect_header Location "/orientation?oriented=p-3"
req GET "/orientation?oriented=p-3"
expect_body "Orientation enregistrée pour Zoé Martin"
expect_body '/people/p-3/orientation/letter.pdf'
# "Actualiser les listes" re-displays without writing.
req POST /people/p-5/orientation/new --data-urlencode itinerary=professional --data-urlencode refresh=1 \
	--data-urlencode "csrf=$CSRF"
expect_status 200 "refreshing the lists"
expect_body 'Pôle emploi Est'
expect_no_body 'Chantier d&#39;insertion —'
[ "$(pc export --types orientation | grep -c '"p-5"')" = 0 ] || fail "refreshing wrote an orientation"
