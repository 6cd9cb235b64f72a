#!/bin/sh
# The orientation officer's forms typed while the session expired come back
# filled after signing in again, like the record forms (0017), and are not
# sent by that: one person's orientation (a first one, then a move against
# the current orientation), the référent designation and a cohort (its
# confirmation page). Each shows the notice; nothing is written until the
# form is sent again; the kept copy is shown once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/path-lib.sh"
. "$(dirname "$0")/orientation-lib.sh"
orientation_setup
start_server

# after_expiry PATH BODY: BODY posted to PATH once the session has expired
# (its rows deleted: the cookie is sent, it no longer opens a session);
# then the officer signs in again and opens PATH?resume=TOKEN, where the
# sign-in form leads (0007 and 0017 follow that form); that page is the body.
after_expiry() {
	sqlite3 "$DB" "DELETE FROM web_session"
	req POST "$1" --data "$2&csrf=$CSRF"
	expect_status 303 "POST $1 after the session expired"
	token=$(header Location | sed -n 's/^\/login?next=[^&]*&resume=\([0-9a-f]\{64\}\)&expired=1$/\1/p')
	[ -n "$token" ] || fail "POST $1 after the session expired led to '$(header Location)'"
	login officer@test.fr
	req GET "$1?resume=$token"
	expect_status 200 "the form of $1 restored"
	CSRF=$(csrf_from_body)
}
# count TYPE [TEXT]: how many records of TYPE (holding TEXT) are stored.
count() { pc export --types "$1" | grep -c -- "${2:-.}" || true; }

login officer@test.fr

# --- One person's orientation, first one.
req GET /people/p-1/orientation/new
expect_status 200 "the orientation form"
after_expiry /people/p-1/orientation/new "itinerary=socio_professional&organisation=o-aci&referent=u-aci&decided_on=2017-12-20&start=2018-01-02&origin=initial&case_review=&current="
expect_body "Votre saisie a été retrouvée"
expect_body "puis cliquez sur « Enregistrer l&#39;orientation »"
expect_body '<option value="socio_professional" selected>'
expect_body '<option value="o-aci" selected>'
expect_body '<option value="u-aci" selected>Ali Chantier</option>'
expect_body 'name="decided_on" value="2017-12-20"'
expect_body 'name="start" value="2018-01-02"'
expect_body '<option value="initial" selected>'
expect_body 'name="current" value=""'
[ "$(count orientation)" = 0 ] || fail "the orientation was written before it was sent again"
pc audit list --person p-1 | grep -q orientation.create && fail "an orientation.create was audited"
[ "$(sqlite3 "$DB" "SELECT COUNT(*) FROM pending_form")" = 0 ] || fail "the kept form was not consumed"
# Shown once: the same link again is the empty form.
req GET "/people/p-1/orientation/new?resume=$token"
expect_no_body "Votre saisie a été retrouvée"
expect_no_body 'name="start" value="2018-01-02"'
# Sent again (as shown), it is written.
req POST /people/p-1/orientation/new --data "itinerary=socio_professional&organisation=o-aci&referent=u-aci&decided_on=2017-12-20&start=2018-01-02&origin=initial&case_review=&current=&csrf=$CSRF"
expect_status 303 "sending the restored orientation"
[ "$(count orientation)" = 1 ] || fail "the restored orientation, once sent, was not written"
OR1=$(pc export --types orientation | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')

# --- A move, read against the current orientation: the restored form
# keeps that orientation as the one it replaces.
req GET /people/p-1/orientation/new
expect_body "name=\"current\" value=\"$OR1\""
after_expiry /people/p-1/orientation/new "itinerary=social&organisation=o-ouest&referent=&decided_on=2018-01-10&start=2018-01-15&origin=move&case_review=&current=$OR1"
expect_body "Votre saisie a été retrouvée"
expect_body '<option value="move" selected>'
expect_body '<option value="o-ouest" selected>'
expect_body 'name="start" value="2018-01-15"'
expect_body "name=\"current\" value=\"$OR1\""
[ "$(count orientation)" = 1 ] || fail "the move was written before it was sent again"

# --- The référent designation.
req GET /people/p-2/referent
expect_status 200 "the référent form"
after_expiry /people/p-2/referent "organisation=o-mdm&referent=u-ref&start=2018-01-05&end=2018-03-31&current="
expect_body "Votre saisie a été retrouvée"
expect_body "puis cliquez sur « Désigner ce référent »"
expect_body '<option value="o-mdm" selected>'
expect_body '<option value="u-ref" selected>'
expect_body 'name="start" value="2018-01-05"'
expect_body 'name="end" value="2018-03-31"'
[ "$(count referent_assignment '"person":"p-2"')" = 0 ] || fail "a référent was designated before the form was sent again"

# --- A cohort: its confirmation, sent (confirm=1) after the session
# expired, comes back as the confirmation page to click again.
req GET /orientation
after_expiry /orientation/bulk "person=p-3&person=p-5&itinerary=social&organisation=o-mdm&decided_on=2017-12-21&start=2018-01-03&confirm=1"
expect_body "Votre saisie a été retrouvée"
expect_body "puis cliquez sur « Orienter ces 2 personne(s) »"
expect_body 'name="person" value="p-3"'
expect_body 'name="person" value="p-5"'
expect_body '<option value="social" selected>'
expect_body '<option value="o-mdm" selected>'
expect_body 'name="decided_on" value="2017-12-21"'
expect_body 'name="start" value="2018-01-03"'
expect_body 'name="confirm" value="1"'
[ "$(count orientation)" = 1 ] || fail "the cohort was oriented before it was confirmed again"
# Without a kept form, that address is the queue.
req GET /orientation/bulk
expect_status 303 "GET /orientation/bulk without a kept form"
[ "$(header Location)" = /orientation ] || fail "GET /orientation/bulk went to '$(header Location)'"
# Confirmed, the cohort is oriented.
req POST /orientation/bulk --data "person=p-3&person=p-5&itinerary=social&organisation=o-mdm&decided_on=2017-12-21&start=2018-01-03&confirm=1&csrf=$CSRF"
expect_status 200 "confirming the restored cohort"
[ "$(count orientation)" = 3 ] || fail "the confirmed cohort: $(count orientation) orientations"
echo "0125 ok"
