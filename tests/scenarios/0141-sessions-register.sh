#!/bin/sh
# Registering people at a collective session: only people the user may
# see (the registration search never offers the others; naming one anyway
# answers 404 and is audited as person.denied); the capacity is enforced,
# also when two registrations race for the last place (one is refused
# with "La séance est complète (N places)"); a person is registered once;
# unregistering frees the place; people the user may not see count in the
# places but are not listed. Every change is audited on the person.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/path-lib.sh"
. "$(dirname "$0")/sessions-lib.sh"
sessions_loaded

# The search offers visible people not registered yet, accents or not.
api GET "/sessions/cs-next?q=garcon"
expect_status 200 "searching Garçon"
expect_json "[c['id'] for c in d['candidates']]" '["p-4"]'
api GET "/sessions/cs-next?q=martin"
expect_json "d['candidates']" '[]'
api GET "/sessions/cs-next?q=lopez%20ana"
expect_json "[c['id'] for c in d['candidates']]" '["p-6"]'

register cs-next p-4
expect_status 200 "registering p-4"
expect_json "[[p['id'], p['status']] for p in d['people']]" '[["p-4", "registered"]]'
expect_json "d['session']['places_left']" 1
expect_audited p-4 session.register
api GET "/sessions/cs-next?q=garcon"
expect_json "d['candidates']" '[]'
register cs-next p-4
expect_status 409 "registering p-4 twice"
expect_json "d['error']" "Cette personne est déjà inscrite à la séance"
register cs-next p-5
expect_status 200 "registering p-5 (last place)"
expect_json "d['session']['full']" true
register cs-next p-6
expect_status 409 "registering beyond the capacity"
expect_json "d['error']" "La séance est complète (2 places)"
expect_json "len(d['people'])" 2

# A person the user may not see: 404, audited, nothing written.
register cs-next p-3
expect_status 404 "registering a person the référent may not see"
expect_audited p-3 person.denied
register cs-next nobody
expect_status 404 "registering nobody"
api POST /sessions/cs-next/unregister -d person=p-3
expect_status 404 "unregistering a person the référent may not see"
# Another organisation's référent, another role.
as "$T_PE"
register cs-next p-6
expect_status 404 "registering at another organisation's session"
as "$T_SEC"
register cs-next p-6
expect_status 403 "registering as the instance secretary"
as "$T_REF"

# Unregistering frees the place.
api POST /sessions/cs-next/unregister -d person=p-5
expect_status 200 "unregistering p-5"
expect_audited p-5 session.unregister
api POST /sessions/cs-next/unregister -d person=p-5
expect_status 422 "unregistering p-5 again"
register cs-next p-6
expect_status 200 "p-6 takes the freed place"
pc audit list --person p-6 | grep -q "session.register" || fail "no register entry for p-6"

# People the user may not see hold places but are not listed.
as "$T_ADM"
register cs-past p-3
expect_status 200 "the admin registers p-3"
as "$T_REF"
api GET /sessions/cs-past
expect_json "d['hidden']" 1
expect_json "d['people']" '[]'
expect_json "d['session']['counts']['taken']" 1
page /sessions/cs-past
expect_no_body "Martin"
expect_body "1 autre(s) personne(s) inscrite(s)"

# Two registrations race for the last place of cs-past: one is refused.
for round in 1 2 3; do
	curl -s -o "$WORK/a.body" -w '%{http_code}' -X POST -H "Accept: application/json" \
		-H "Authorization: Bearer $T_REF" -d person=p-4 "$BASE/sessions/cs-past/register" >"$WORK/a.status" &
	pid_a=$!
	curl -s -o "$WORK/b.body" -w '%{http_code}' -X POST -H "Accept: application/json" \
		-H "Authorization: Bearer $T_REF" -d person=p-5 "$BASE/sessions/cs-past/register" >"$WORK/b.status" &
	pid_b=$!
	wait "$pid_a" "$pid_b" # not the server
	got="$(cat "$WORK/a.status") $(cat "$WORK/b.status")"
	case "$got" in
	"200 409") winner=p-4 loser=b ;;
	"409 200") winner=p-5 loser=a ;;
	*) fail "round $round: expected one 200 and one 409, got $got" ;;
	esac
	grep -q "La séance est complète (2 places)" "$WORK/$loser.body" || fail "round $round: the refusal does not say why"
	n=$(sqlite3 "$DB" "SELECT COUNT(*) FROM attendance WHERE collective_session = 'cs-past'" 2>/dev/null || echo 2)
	[ "$n" = 2 ] || fail "round $round: $n attendances for 2 places"
	api POST /sessions/cs-past/unregister -d "person=$winner"
	expect_status 200 "round $round: freeing the place"
done

# The page a browser sees: labelled buttons for each person.
page /sessions/cs-next
expect_body "Désinscrire<span class=\"fr-sr-only\"> Hélène Garçon</span>"
echo "ok"
