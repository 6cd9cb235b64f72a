#!/bin/sh
# The orientation queue (/orientation): SDD people the user may see without
# a current orientation, oldest RSA entry first, with the legal deadline
# (entry + 2 months) and the days left or late; filters by territory and
# commune; CSV/XLSX; counts count only visible people; roles.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/path-lib.sh"
. "$(dirname "$0")/orientation-lib.sh"
orientation_setup
start_server

# The officer of o-mdm: p-1 p-2 p-3 (entry 2016-01-01) then p-5 (2017-12-01).
as "$T_OFF" GET /orientation
expect_status 200 "the queue"
expect_json 'd["total"]' 4
expect_json 'd["late_total"]' 3
expect_json '[r["id"] for r in d["rows"]]' '["p-1", "p-2", "p-3", "p-5"]'
expect_json 'd["rows"][0]["entry"]' 2016-01-01
expect_json 'd["rows"][0]["deadline"]' 2016-03-01
expect_json 'd["rows"][0]["days_left"]' -670
expect_json 'd["rows"][0]["situation"]' "en retard de 670 jours"
expect_json 'd["rows"][3]["deadline"]' 2018-02-01
expect_json 'd["rows"][3]["situation"]' "32 jours restants"
# Only what the officer may see: p-4 lives in the other territory.
expect_no_body '"p-4"'

# The other territory's officer sees p-4 only, 15 days left.
as "$T_OUEST" GET /orientation
expect_json 'd["total"]' 1
expect_json 'd["rows"][0]["id"]' p-4
expect_json 'd["rows"][0]["situation"]' "15 jours restants"
expect_json 'd["late_total"]' 0

# The admin sees all five; filters by territory and commune.
as "$T_ADMIN" GET /orientation
expect_json 'd["total"]' 5
as "$T_ADMIN" GET "/orientation?territory=t-ouest"
expect_json '[r["id"] for r in d["rows"]]' '["p-4"]'
as "$T_ADMIN" GET "/orientation?commune=69383"
expect_json 'd["total"]' 4
as "$T_ADMIN" GET "/orientation?commune=69383&late=1"
expect_json '[r["id"] for r in d["rows"]]' '["p-1", "p-2", "p-3"]'
as "$T_ADMIN" GET "/orientation?commune=abc"
expect_status 200 "a malformed commune"
expect_json 'd["filters"]["commune_error"]' "code INSEE attendu : 5 caractères, par exemple 69266"
# A filter never widens the scope: the officer of t-est asking for t-ouest.
as "$T_OFF" GET "/orientation?territory=t-ouest"
expect_json 'd["total"]' 0

# An orientation (current or to come) takes the person out of the queue.
cat >"$WORK/or.jsonl" <<'JSONL'
{"type":"orientation","id":"or-x","person":"p-2","decided_on":"2017-12-20","start":"2018-01-15","itinerary":"social","organisation":"o-mdm","origin":"initial"}
{"type":"orientation","id":"or-old","person":"p-3","decided_on":"2016-02-01","start":"2016-02-01","end":"2016-12-31","itinerary":"social","organisation":"o-mdm","origin":"initial"}
JSONL
pc import "$WORK/or.jsonl" >/dev/null || fail "orientations did not import"
as "$T_OFF" GET /orientation
expect_json '[r["id"] for r in d["rows"]]' '["p-1", "p-3", "p-5"]'

# The page: DSFR badges, the late text, one labelled checkbox per person.
TOKEN=$T_OFF
STATUS=$(curl -s -o "$WORK/body" -w '%{http_code}' -H "Authorization: Bearer $T_OFF" "$BASE/orientation")
expect_status 200 "the queue page"
expect_body 'fr-badge--error'
expect_body 'en retard de 670 jours'
expect_body 'fr-badge--info">32 jours restants'
expect_body 'Sélectionner<span class="fr-sr-only"> Lefèvre Benoît'
expect_body '3 personne(s) à orienter, dont 2 en retard'

# Downloads: the same rows.
STATUS=$(curl -s -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' -H "Authorization: Bearer $T_OFF" "$BASE/orientation?format=csv")
expect_status 200 "the CSV"
expect_header Content-Disposition 'file-orientation.csv'
expect_body 'Lefèvre;Benoît;1980-02-29;69383;Lyon Est;2016-01-01;2016-03-01;-670;en retard de 670 jours'
expect_no_body 'Ouest'
[ "$(grep -c . "$WORK/body")" = 4 ] || fail "the CSV has a header and 3 rows: $(cat "$WORK/body")"
STATUS=$(curl -s -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' -H "Authorization: Bearer $T_OFF" "$BASE/orientation?format=xlsx")
expect_status 200 "the XLSX"
expect_header Content-Disposition 'file-orientation.xlsx'
[ "$(head -c 2 "$WORK/body")" = PK ] || fail "the XLSX is not a zip"

# Paging: ?page= beyond the last page is clamped.
as "$T_OFF" GET "/orientation?page=9"
expect_json 'd["page"]' 1

# Roles: référent, instance secretary → 403; not signed in → 401 / 303.
as "$T_REF" GET /orientation
expect_status 403 "a référent on the queue"
as "$T_SEC" GET /orientation
expect_status 403 "an instance secretary on the queue"
anon GET /orientation -H "Accept: application/json"
expect_status 401 "no credentials"
anon GET /orientation
expect_status 303 "a browser without a session"
