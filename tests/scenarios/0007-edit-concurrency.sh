#!/bin/sh
# Editing a person: 303 and the change is visible; a bad date is a 422 that
# names the field; two edits from one version → the second gets 409 and what
# changed; a session that expired while the form was filled keeps it: after
# signing in again the form comes back filled.
. "$(dirname "$0")/lib.sh"
init_db
export PARCOURS_TODAY=2017-12-31
small_territory
add_user oo@test.fr orientation_officer org-nord
start_server
login oo@test.fr

# edit_form PHONE BIRTH_DATE VERSION [curl args…]: posts the edit form of
# p-benoit with the session's CSRF token.
edit_form() {
	phone=$1
	birth=$2
	ver=$3
	shift 3
	req POST /people/p-benoit/edit --data-urlencode "csrf=$CSRF" --data-urlencode "version=$ver" \
		--data-urlencode "first_name=Benoît" --data-urlencode "last_name=Dupont" \
		--data-urlencode "birth_date=$birth" --data-urlencode "sex=M" \
		--data-urlencode "nir=180056938112357" --data-urlencode "phone=$phone" "$@"
}
version_of() {
	jreq GET /people/p-benoit/edit
	expect_status 200 "the edit form (JSON)"
	json 'd["version"]'
}

# The edit form, as a page, holds the version and the values.
req GET /people/p-benoit/edit
expect_status 200 "the edit page"
expect_body 'name="version"'
expect_body 'value="Dupont"'
v=$(version_of)
[ -n "$v" ] || fail "no version in the edit form"

# A successful edit: 303 to the file, the change is visible.
edit_form "04 78 00 00 01" 1980-05-17 "$v"
expect_status 303 "a valid edit"
expect_header Location "/people/p-benoit"
jreq GET /people/p-benoit
expect_json 'd["person"]["phone"]' "04 78 00 00 01"
pc export --types person | grep '"p-benoit"' | grep -q '"phone":"04 78 00 00 01"' || fail "the edit is not in the database"
pc audit list --person p-benoit | grep -q "update.*phone" || fail "the edit is not audited with the changed field"
# Fields not on the form (household, role) are kept.
pc export --types person | grep '"p-benoit"' | grep -q '"household":"h-1"' || fail "the edit lost the household"

# A bad date: 422, the field named; on the page, the typed values come back.
v=$(version_of)
edit_form "04 78 00 00 02" 1980-02-30 "$v"
expect_status 422 "an impossible birth date (page)"
expect_body "1980-02-30"
expect_body "04 78 00 00 02"
edit_form "04 78 00 00 02" 1980-02-30 "$v" -H "Accept: application/json"
expect_status 422 "an impossible birth date (JSON)"
expect_json 'sorted(d["fields"].keys())' '["birth_date"]'
expect_json 'type(d["error"]).__name__' "str"
expect_json 'type(d["fields"]["birth_date"]).__name__' "str"
# A required field left empty.
req POST /people/p-benoit/edit -H "Accept: application/json" --data-urlencode "csrf=$CSRF" \
	--data-urlencode "version=$v" --data-urlencode "first_name=" --data-urlencode "last_name=Dupont" \
	--data-urlencode "birth_date=1980-05-17" --data-urlencode "sex=M"
expect_status 422 "an empty first name"
expect_json '"first_name" in d["fields"]' "true"
# A birth date in the future, and a wrong NIR key.
edit_form "04 78 00 00 02" 2030-01-01 "$v" -H "Accept: application/json"
expect_status 422 "a birth date in the future"
expect_json '"birth_date" in d["fields"]' "true"
req POST /people/p-benoit/edit -H "Accept: application/json" --data-urlencode "csrf=$CSRF" \
	--data-urlencode "version=$v" --data-urlencode "first_name=Benoît" --data-urlencode "last_name=Dupont" \
	--data-urlencode "birth_date=1980-05-17" --data-urlencode "sex=M" --data-urlencode "nir=180056938112399"
expect_status 422 "a wrong NIR key"
expect_json '"nir" in d["fields"]' "true"
jreq GET /people/p-benoit
expect_json 'd["person"]["phone"]' "04 78 00 00 01"
expect_json 'd["person"]["birth_date"]' "1980-05-17"

# Fields that are not on the form (household, role, id) cannot be changed
# through it.
v=$(version_of)
pc export --types person | grep '"p-zoe"' >"$WORK/zoe-before"
edit_form "04 78 00 00 01" 1980-05-17 "$v" --data-urlencode "household=h-2" \
	--data-urlencode "role=ENF" --data-urlencode "id=p-zoe" --data-urlencode "type=user"
expect_status 303 "an edit with extra fields"
pc export --types person | grep '"p-benoit"' | grep -q '"household":"h-1","role":"DEM"' ||
	fail "the edit form changed a field it does not show: $(pc export --types person | grep '"p-benoit"')"
pc export --types person | grep '"p-zoe"' | cmp -s "$WORK/zoe-before" - || fail "the edit changed p-zoe"

# Two edits from the same version: the first wins, the second gets 409 with
# what changed since it was read.
v=$(version_of)
edit_form "04 78 00 00 03" 1980-05-17 "$v"
expect_status 303 "the first of two edits"
edit_form "04 78 00 00 04" 1980-05-17 "$v" -H "Accept: application/json"
expect_status 409 "the second of two edits"
expect_json '[c["field"] for c in d["changes"]]' '["phone"]'
expect_json '[c["stored"] for c in d["changes"]]' '["04 78 00 00 03"]'
expect_json '[c["yours"] for c in d["changes"]]' '["04 78 00 00 04"]'
edit_form "04 78 00 00 04" 1980-05-17 "$v"
expect_status 409 "the second of two edits (page)"
expect_body "04 78 00 00 03"
jreq GET /people/p-benoit
expect_json 'd["person"]["phone"]' "04 78 00 00 03"
# A missing or stale version is a conflict too, never a silent overwrite.
edit_form "04 78 00 00 05" 1980-05-17 "" -H "Accept: application/json"
expect_status 409 "an edit without a version"
edit_form "04 78 00 00 05" 1980-05-17 "999" -H "Accept: application/json"
expect_status 409 "an edit with a future version"

# The session expires while the form is being filled.
v=$(version_of)
sqlite3 "$DB" "DELETE FROM web_session"
edit_form "04 78 00 00 06" 1980-05-17 "$v" --data-urlencode "address=12 rue des Tilleuls"
expect_status 303 "a form posted after the session expired"
loc=$(header Location)
case "$loc" in
/login\?next=*people*p-benoit*edit*resume=*) ;;
*) fail "expected a redirect to /login?next=…&resume=…, got '$loc'" ;;
esac
resume=$(printf %s "$loc" | sed -n 's/.*[?&]resume=\([0-9a-f]*\).*/\1/p')
[ ${#resume} = 64 ] || fail "no resume token in '$loc'"
jreq GET /people/p-benoit
expect_status 401 "JSON after the session expired"
pc export --types person | grep -q "04 78 00 00 06" && fail "the form posted without a session was saved"

# Following the redirect: the sign-in form carries next and resume.
req GET "$loc"
expect_status 200 "the sign-in form after expiry"
expect_body "name=\"resume\" value=\"$resume\""
expect_body 'name="next" value="/people/p-benoit/edit"'
expect_body "expiré"
pre=$(sed -n 's/.*name="prelogin" value="\([0-9a-f]*\)".*/\1/p' "$WORK/body" | head -1)
req POST /login --data-urlencode "email=oo@test.fr" --data-urlencode "password=$PW" \
	--data-urlencode "prelogin=$pre" --data-urlencode "next=/people/p-benoit/edit" \
	--data-urlencode "resume=$resume"
expect_status 303 "signing in again"
loc=$(header Location)
[ "$loc" = "/people/p-benoit/edit?resume=$resume" ] || fail "after signing in again: redirected to '$loc'"
# The form comes back filled with what was typed.
req GET "$loc"
expect_status 200 "the restored form"
expect_body "04 78 00 00 06"
expect_body "12 rue des Tilleuls"
CSRF=$(csrf_from_body)
# It is shown once; sending it saves the change.
req GET "$loc" -H "Accept: application/json"
expect_json 'd.get("restored", False)' "false"
edit_form "04 78 00 00 06" 1980-05-17 "$v" --data-urlencode "address=12 rue des Tilleuls"
expect_status 303 "sending the restored form"
jreq GET /people/p-benoit
expect_json 'd["person"]["address"]' "12 rue des Tilleuls"

# A resume token is bound to its page and user-invisible elsewhere.
sqlite3 "$DB" "DELETE FROM web_session"
edit_form "04 78 00 00 07" 1980-05-17 1
resume=$(header Location | sed -n 's/.*[?&]resume=\([0-9a-f]*\).*/\1/p')
login oo@test.fr
jreq GET "/people/p-claire/edit?resume=$resume"
expect_status 404 "another person's page with the token"
jreq GET "/people/p-eve/edit?resume=$resume"
expect_status 200 "p-eve's edit form"
expect_json 'd.get("restored", False)' "false"
jreq GET "/people/p-benoit/edit?resume=$resume"
expect_json 'd.get("restored", False)' "true"
expect_json '[f["value"] for f in d["form"] if f["name"] == "phone"][0]' "04 78 00 00 07"
echo "0007 ok"
