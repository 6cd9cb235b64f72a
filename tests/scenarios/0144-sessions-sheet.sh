#!/bin/sh
# The attendance sheet of a collective session (PDF): the session's title,
# date and organisation, the people registered or present that the user may
# see (never the others), audited; 404 for another organisation, 403 for
# another role.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/path-lib.sh"
. "$(dirname "$0")/sessions-lib.sh"
sessions_loaded

register cs-next p-4
register cs-next p-6
api POST /sessions/cs-next/presence -d status_p-6=excused
expect_status 200 "p-6 excused"
as "$T_ADM"
register cs-next p-3
expect_status 200 "the admin registers p-3"
as "$T_REF"
curl -s -o "$WORK/sheet.pdf" -D "$WORK/headers" -w '%{http_code}' -H "Authorization: Bearer $T_REF" \
	"$BASE/sessions/cs-next/emargement.pdf" >"$WORK/status"
[ "$(cat "$WORK/status")" = 200 ] || fail "the sheet answered $(cat "$WORK/status")"
expect_header Content-Type "application/pdf"
expect_header Content-Disposition "emargement-cs-next.pdf"
pdftotext -layout "$WORK/sheet.pdf" "$WORK/sheet.txt"
for w in "Feuille d'émargement" "Atelier budget" "mardi 16 janvier 2018" "Maison de la Métropole Est" "Garçon" "Hélène"; do
	grep -q -- "$w" "$WORK/sheet.txt" || fail "the sheet does not say '$w': $(head -c 600 "$WORK/sheet.txt")"
done
# Not listed: p-6 (excused), p-3 (not visible to the référent).
for w in "López" "Martin"; do
	grep -q -- "$w" "$WORK/sheet.txt" && fail "the sheet lists '$w'"
done
pc audit list | grep -q "session.sheet" || fail "the sheet's download is not audited"
# The admin sees everyone registered.
curl -s -o "$WORK/admin.pdf" -H "Authorization: Bearer $T_ADM" "$BASE/sessions/cs-next/emargement.pdf"
pdftotext "$WORK/admin.pdf" - | grep -q "Martin" || fail "the admin's sheet does not list Martin"
as "$T_PE"
api GET /sessions/cs-next/emargement.pdf
expect_status 404 "another organisation's sheet"
as "$T_SEC"
api GET /sessions/cs-next/emargement.pdf
expect_status 403 "the sheet as the instance secretary"
echo "ok"
