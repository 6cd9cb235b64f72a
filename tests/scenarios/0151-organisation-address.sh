#!/bin/sh
# An organisation's postal contact (address, postal_code, city, phone,
# email; docs/exchange-format.md): imported, exported back the same, refused
# when the postal code is not one (naming the field), shown and edited on
# the organisation's pages, and printed by the letters: the orientation
# letter's sender block and accompanying organisation, the convocation's
# place, the attendance sheet's sender block.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/path-lib.sh"
. "$(dirname "$0")/orientation-lib.sh"
orientation_setup

# The officer's organisation and the one that accompanies, with contacts.
cat >"$WORK/orgs.jsonl" <<'JSONL'
{"type":"organisation","id":"o-mdm","name":"Maison de la Métropole Est","kind":"maison_metropole","territory":"t-est","address":"12 rue de la Gare, bâtiment B","postal_code":"69003","city":"Lyon","phone":"04 72 00 00 01","email":"accueil@mdm-est.example.org"}
{"type":"organisation","id":"o-pe","name":"Pôle emploi Est","kind":"pole_emploi","territory":"t-est","address":"3 place Guichard","postal_code":"69003","city":"Lyon","phone":"04 78 11 22 33"}
JSONL
expect_pc 0 import "$WORK/orgs.jsonl"

# Import then export gives back the same records.
py "$WORK/norm.py" <"$WORK/orgs.jsonl" >"$WORK/want"
export_sorted --types organisation | grep -E '"id": "o-(mdm|pe)"' >"$WORK/got"
cmp -s "$WORK/want" "$WORK/got" || fail "the export differs: $(diff "$WORK/want" "$WORK/got")"

# A postal code that is not one, a code without its town: refused, naming
# the field, nothing written.
cat >"$WORK/bad.jsonl" <<'JSONL'
{"type":"organisation","id":"o-aci","name":"Chantier d'insertion","kind":"siae_aci","territory":"t-est","postal_code":"6903","city":"Lyon"}
{"type":"organisation","id":"o-ouest","name":"Maison de la Métropole Ouest","kind":"maison_metropole","territory":"t-ouest","postal_code":"69004"}
JSONL
expect_pc 1 import "$WORK/bad.jsonl"
expect_err_line "^line 1: " o-aci postal_code "n'est pas un code postal"
expect_err_line "^line 2: " o-ouest city "la commune accompagne le code postal"
[ "$(pc export --types organisation | grep -c postal_code)" = 2 ] || fail "a refused line was written"

start_server

# The orientation letter: the officer's organisation in the sender block,
# the accompanying organisation's address and phone in the text.
orient_json "$T_OFF" p-1 professional o-pe --data-urlencode referent=u-pe
expect_status 201 "orienting p-1"
pdf() {
	STATUS=$(curl -s -o "$WORK/letter.pdf" -w '%{http_code}' -H "Authorization: Bearer $1" "$BASE$2") || true
	[ "$STATUS" = 200 ] || fail "$2 answered $STATUS"
	pdftotext -raw "$WORK/letter.pdf" - | tr '\n' ' ' | sed 's/\xc2\xa0/ /g' >"$WORK/text"
}
says() {
	grep -q -- "$1" "$WORK/text" || fail "$2 does not say '$1': $(head -c 900 "$WORK/text")"
}
pdf "$T_OFF" /people/p-1/orientation/letter.pdf
for w in "Maison de la Métropole Est" "12 rue de la Gare, bâtiment B 69003 Lyon" "Tél. 04 72 00 00 01" \
	"Courriel : accueil@mdm-est.example.org" "Lyon, le 31 décembre 2017" \
	"Pôle emploi Est, 3 place Guichard, 69003 Lyon (tél. 04 78 11 22 33)"; do
	says "$w" "the orientation letter"
done
pdf "$T_OFF" "/orientation/letters.pdf?people=p-1"
says "12 rue de la Gare, bâtiment B 69003 Lyon" "the cohort's letter"

# The convocation: the place's address and phone (the admin's own
# organisation has none: its block is the name only, as before).
import_jsonl >/dev/null <<'JSONL' || fail "the appointment and the session did not import"
{"type":"appointment","id":"ap-9","person":"p-1","organisation":"o-mdm","referent":"u-ref","at":"2018-01-10T14:00:00+01:00","kind":"accompaniment","status":"planned"}
{"type":"collective_session","id":"cs-9","organisation":"o-mdm","title":"Atelier budget","at":"2018-01-12T09:00:00+01:00"}
JSONL
pdf "$T_ADMIN" /appointments/ap-9/convocation.pdf
says "Lieu : Maison de la Métropole Est, 12 rue de la Gare, bâtiment B, 69003 Lyon" "the convocation"
says "Prévenez-nous le plus tôt possible au 04 72 00 00 01" "the convocation"
pdf "$T_ADMIN" /sessions/cs-9/emargement.pdf
says "12 rue de la Gare, bâtiment B 69003 Lyon Tél. 04 72 00 00 01" "the attendance sheet"

# The organisation's page and its form, in French.
TOKEN=$T_ADMIN
anon GET /organisations/o-mdm -H "Authorization: Bearer $T_ADMIN"
expect_status 200 "the organisation's page"
for w in "Adresse" "12 rue de la Gare, bâtiment B" "Code postal" "69003" "Commune" "Téléphone" \
	"04 72 00 00 01" "Courriel" "accueil@mdm-est.example.org"; do
	expect_body "$w"
done
anon GET /organisations/o-pe -H "Authorization: Bearer $T_ADMIN"
expect_body "Courriel</dt>"
expect_body "non renseigné"
anon GET /organisations/o-mdm/edit -H "Authorization: Bearer $T_ADMIN"
expect_status 200 "the organisation's form"
for f in address postal_code city phone email; do
	expect_body "name=\"$f\""
done
expect_body ">Code postal<"
expect_body ">Courriel<"
api GET /organisations/o-mdm
version=$(json 'd.get("version", "")')
api POST /organisations/o-mdm/edit --data-urlencode "version=$version" \
	--data-urlencode "name=Maison de la Métropole Est" --data-urlencode kind=maison_metropole \
	--data-urlencode territory=t-est --data-urlencode postal_code=6900 --data-urlencode city=Lyon
expect_status 422 "a bad postal code in the form"
expect_json 'd["fields"]["postal_code"]' "« 6900 » n'est pas un code postal : 5 chiffres, par exemple 69003"
api GET /organisations
expect_status 200 "the list"
expect_body '"city": *"Lyon"'
echo "ok"
