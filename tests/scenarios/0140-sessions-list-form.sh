#!/bin/sh
# Collective sessions, the list and the form: a référent sees their
# organisation's sessions only (upcoming first, nearest first, then the
# past, latest first), with filters, counts, CSV/XLSX and JSON; an admin
# sees all; other roles are refused (403), another organisation's session
# is absent (404). The form: 201 on creation, 422 next to the fields, 409
# on a stale version, CSRF on every browser POST, audited.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/path-lib.sh"
. "$(dirname "$0")/sessions-lib.sh"
sessions_loaded

api GET /sessions
expect_status 200 "/sessions as the référent"
expect_json "[r['id'] for r in d['rows']]" '["cs-next", "cs-past", "cs-1"]'
expect_json "[r['upcoming'] for r in d['rows']]" '[true, false, false]'
# cs-1: p-1 present and p-2 registered hold the 2 places; p-3 is excused.
expect_json "[[r['registered'], r['present'], r['capacity']] for r in d['rows'] if r['id'] == 'cs-1'][0]" '[2, 1, 2]'
expect_json "d['rows'][0]['when']" "16 janvier 2018 à 14 h 00"
api GET "/sessions?from=2017-01-01&to=2017-11-14"
expect_json "[r['id'] for r in d['rows']]" '["cs-past"]'
api GET "/sessions?title=BUDGET"
expect_json "[r['id'] for r in d['rows']]" '["cs-next"]'
api GET "/sessions?title=50%25"
expect_json "d['total']" 0
api GET "/sessions?format=csv"
expect_status 200 "CSV"
expect_header Content-Type "text/csv"
expect_body "Atelier CV"
expect_no_body "Réunion d'information"
api GET "/sessions?format=xlsx"
expect_status 200 "XLSX"
expect_header Content-Type "spreadsheetml"

# Another organisation's référent: their own session only; ours is 404.
as "$T_PE"
api GET /sessions
expect_json "[r['id'] for r in d['rows']]" '["cs-2"]'
for path in /sessions/cs-past /sessions/cs-past/edit /sessions/cs-past/emargement.pdf; do
	api GET "$path"
	expect_status 404 "$path as another organisation's référent"
done
api POST /sessions/cs-past/edit -d version=1 -d title=X -d day=2017-11-14 -d time=09:30
expect_status 404 "editing another organisation's session"
# The admin sees every organisation's.
as "$T_ADM"
api GET /sessions
expect_json "d['total']" 4
# Roles that have no sessions: 403, reading or writing.
as "$T_SEC"
api GET /sessions
expect_status 403 "/sessions as the instance secretary"
api POST /sessions/new -d title=X -d day=2018-02-06 -d time=09:30
expect_status 403 "creating a session as the instance secretary"
api GET /sessions/cs-past
expect_status 403 "a session as the instance secretary"

# Creation: the day and the time make the datetime in Europe/Paris.
as "$T_REF"
api POST /sessions/new --data-urlencode "title=Atelier numérique" -d day=2018-02-06 -d time=09:30 -d capacity=8
expect_status 201 "creating a session"
ID=$(json "d['id']")
expect_json "d['collective_session']['at']" "2018-02-06T09:30:00+01:00"
expect_json "d['collective_session']['organisation']" "o-mdm"
expect_json "d['version']" 1
pc audit list | grep "create" | grep -q "$ID" || fail "the creation of $ID is not audited"
# 422: every field to correct, each named.
api POST /sessions/new -d title= -d day=2018-02-30 -d time=25:00 -d capacity=0
expect_status 422 "an invalid session"
expect_json "sorted(d['fields'])" '["at", "capacity", "title"]'
api POST /sessions/new -d title=X -d day=2018-02-06 -d time=09:30 -d capacity=beaucoup
expect_status 422 "places that are not a number"
expect_json "sorted(d['fields'])" '["capacity"]'
# Fewer places than people already holding one: 422 on the capacity.
api POST /sessions/cs-1/edit -d version=1 --data-urlencode "title=Atelier « CV et lettre »" -d day=2016-05-12 -d time=14:00 -d capacity=1
expect_status 422 "fewer places than people"
expect_json "sorted(d['fields'])" '["capacity"]'
# Edit, then the same version again: 409 with what changed.
api POST "/sessions/$ID/edit" -d version=1 --data-urlencode "title=Atelier numérique (2)" -d day=2018-02-06 -d time=10:00 -d capacity=8
expect_status 200 "editing the session"
expect_json "d['version']" 2
expect_json "d['collective_session']['at']" "2018-02-06T10:00:00+01:00"
api POST "/sessions/$ID/edit" -d version=1 --data-urlencode "title=Atelier numérique (3)" -d day=2018-02-06 -d time=10:00 -d capacity=8
expect_status 409 "a stale version"
expect_json "sorted(c['field'] for c in d['changes'])" '["title"]'
# Summer time: +02:00.
api POST "/sessions/$ID/edit" -d version=2 --data-urlencode "title=Atelier numérique" -d day=2018-07-03 -d time=14:00 -d capacity=8
expect_json "d['collective_session']['at']" "2018-07-03T14:00:00+02:00"

# A browser: the form shows the fields with labels; POST needs the CSRF token.
login colleague@test.fr
req GET /sessions/new
expect_status 200 "the form"
expect_body 'for="f-title"'
expect_body 'for="f-at"'
expect_body 'for="f-capacity"'
expect_no_body 'id="f-organisation"'
req POST /sessions/new -d title=Sans -d day=2018-02-06 -d time=09:30
expect_status 403 "a POST without the CSRF token"
req POST /sessions/new -d "csrf=$CSRF" -d version=0 -d title= -d day=2018-02-06 -d time=09:30
expect_status 422 "the form with a missing title"
expect_body 'id="f-title-error"'
expect_body 'fr-alert--error'
req POST /sessions/new -d "csrf=$CSRF" -d version=0 -d title=Avec -d day=2018-02-06 -d time=09:30
expect_status 303 "the form saved"
case "$(header Location)" in /sessions/cs-*) ;; *) fail "expected to go to the new session, got $(header Location)" ;; esac
req GET /sessions
expect_status 200 "the list page"
expect_body "Atelier CV"
expect_body "Télécharger (CSV)"
echo "ok"
