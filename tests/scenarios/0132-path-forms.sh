#!/bin/sh
# The référent's forms: diagnostic, contract (overlap refused with the
# other contract's dates, renewal prefilled, termination, stale version),
# appointment (a future appointment cannot be honored or missed), step
# (contract type with employment only; health categories need the
# accreditation), CSRF, wrong role; the convocation letter as PDF.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/path-lib.sh"
path_loaded
add_user analyst@test.fr analyst o-mdm
start_server
TOKEN=$(token_for aci@test.fr)

# Diagnostic: the autonomy level is required; the barriers are a list.
api POST /people/p-2/diagnostics/new --data "version=0&date=2017-12-01&barriers=mobility"
expect_status 422 "a diagnostic without autonomy"
expect_json 'd["fields"]["autonomy"]' "ce champ est obligatoire"
api POST /people/p-2/diagnostics/new --data "version=0&date=2017-12-01&autonomy=needs_support&barriers=mobility&barriers=digital"
expect_status 201 "a diagnostic"
expect_json 'd["diagnostic"]["barriers"]' '["mobility", "digital"]'
expect_json 'd["diagnostic"]["author"]' u-aci

# Contract: a CER overlapping ct-3 (2016-04-01 to 2016-09-30) is refused,
# with ct-3's dates in the message.
C="kind=cer&organisation=o-aci&referent=u-aci&actions=training"
api POST /people/p-2/contracts/new --data "version=0&$C&signed_on=2016-09-01&start=2016-09-01&end=2017-03-01"
expect_status 422 "an overlapping CER"
expect_json '"du 1er avril 2016 au 30 septembre 2016" in d["fields"]["start"]' true
# Renewal: the day after the end, same length, prefilled.
api GET /contracts/ct-3/renew
expect_status 200 "the renewal form"
expect_json '[f["value"] for f in d["form"] if f["name"] in ("start", "end")]' '["2016-10-01", "2017-03-31"]'
api POST /people/p-2/contracts/new --data "version=0&$C&signed_on=2016-10-01&start=2016-10-01&end=2017-03-31"
expect_status 201 "the renewed contract"
# Termination, then a stale version: 409.
api POST /contracts/ct-3/edit --data "version=1&$C&signed_on=2016-04-01&start=2016-04-01&end=2016-09-30&status=terminated&terminated_on=2016-08-31"
expect_status 200 "the termination"
api POST /contracts/ct-3/edit --data "version=1&$C&signed_on=2016-04-01&start=2016-04-01&end=2016-09-30&status=signed"
expect_status 409 "a save over a newer version"
api POST /contracts/ct-3/edit --data "version=2&$C&signed_on=2016-04-01&start=2016-04-01&end=2016-09-30&status=terminated"
expect_status 422 "a termination without its date"
expect_json 'd["fields"]["terminated_on"]' "un contrat résilié a une date de résiliation"

# Appointment: date and time fields; the future cannot be honored.
A="kind=accompaniment&organisation=o-aci&referent=u-aci"
api POST /people/p-2/appointments/new --data "version=0&$A&day=2018-02-01&time=10:00&status=honored"
expect_status 422 "a future appointment honored"
expect_json '"à venir" in d["fields"]["status"]' true
api POST /people/p-2/appointments/new --data "version=0&$A&day=2018-02-01&time=10:00&status=missed"
expect_status 422 "a future appointment missed"
api POST /people/p-2/appointments/new --data "version=0&$A&day=2018-02-01&time=9h&status=planned"
expect_status 422 "a time that is not hh:mm"
expect_json 'sorted(d["fields"])' '["time"]'
api POST /people/p-2/appointments/new --data "version=0&$A&day=2018-02-01&time=10:00&status=planned"
expect_status 201 "a planned appointment"
expect_json 'd["appointment"]["at"]' "2018-02-01T10:00:00+01:00"
AP=$(json 'd["id"]')
api POST /people/p-2/appointments/new --data "version=0&$A&day=2017-07-03&time=14:30&status=honored"
expect_status 201 "a past appointment honored"
expect_json 'd["appointment"]["at"]' "2017-07-03T14:30:00+02:00"
api GET "/appointments/$AP/convocation.pdf"
expect_status 200 "the convocation letter"
expect_header Content-Type application/pdf
head -c 5 "$WORK/body" | grep -q '%PDF-' || fail "the convocation is not a PDF"
pc audit list --person p-2 | grep -q "person.letter" || fail "the letter is not audited"

# Steps.
api POST /people/p-2/steps/new --data "version=0&date=2017-11-01&category=employment"
expect_status 422 "employment without contract type"
expect_json 'sorted(d["fields"])' '["contract_type"]'
api POST /people/p-2/steps/new --data "version=0&date=2017-11-01&category=health_resumption"
expect_status 422 "a health step without the accreditation"
expect_json 'd["fields"]["category"]' "choisissez une catégorie de la liste"
api POST /people/p-2/steps/new --data "version=0&date=2017-11-01&category=employment&contract_type=cdi"
expect_status 201 "an employment step"

# Wrong role: 403.
TOKEN=$(token_for analyst@test.fr)
api POST /people/p-2/steps/new --data "version=0&date=2017-11-01&category=rqth"
expect_status 403 "the analyst"

# A browser's POST without the CSRF token: 403, nothing written.
login admin@test.fr
req POST /people/p-2/steps/new --data "version=0&date=2017-11-01&category=rqth"
expect_status 403 "a POST without CSRF"
[ "$(sqlite3 "$DB" "SELECT COUNT(*) FROM step WHERE category = 'rqth'")" = 0 ] || fail "a step was written without CSRF"
req POST /people/p-2/steps/new --data "csrf=$CSRF&version=0&date=2017-11-01&category=rqth"
expect_status 303 "the same POST with its token"
