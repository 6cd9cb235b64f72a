#!/bin/sh
# The orientation notification letter as PDF: one person's
# (/people/{id}/orientation/letter.pdf) and a cohort's
# (/orientation/letters.pdf?people=…): application/pdf, an attachment with
# a file name, one letter per person; 404 for a person one may not see or
# without an orientation; roles (403); the printing is audited.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/path-lib.sh"
. "$(dirname "$0")/orientation-lib.sh"
orientation_setup
start_server

for p in p-1 p-2; do
	orient_json "$T_OFF" "$p" professional o-pe --data-urlencode referent=u-pe
	expect_status 201 "orienting $p"
done

pdf() {
	STATUS=$(curl -s -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' -H "Authorization: Bearer $1" "$BASE$2") || true
}
pdf "$T_OFF" /people/p-1/orientation/letter.pdf
expect_status 200 "one letter"
expect_header Content-Type application/pdf
expect_header Content-Disposition 'attachment; filename="orientation-p-1.pdf"'
[ "$(head -c 5 "$WORK/body")" = "%PDF-" ] || fail "not a PDF"
if command -v pdftotext >/dev/null; then
	pdftotext "$WORK/body" "$WORK/text"
	grep -q "Benoît Lefèvre" "$WORK/text" || fail "the letter does not name the person"
	grep -q "Pôle emploi Est" "$WORK/text" || fail "the letter does not name the organisation"
	grep -q "Paule Emploi" "$WORK/text" || fail "the letter does not name the référent"
fi
audited orientation.letter p-1

pdf "$T_OFF" "/orientation/letters.pdf?people=p-1,p-2"
expect_status 200 "a cohort's letters"
expect_header Content-Type application/pdf
expect_header Content-Disposition 'attachment; filename="orientations-2017-12-31.pdf"'
if command -v pdftotext >/dev/null; then
	pdftotext "$WORK/body" "$WORK/text"
	grep -q "Benoît Lefèvre" "$WORK/text" || fail "the cohort misses p-1"
	grep -q "Élise Lefèvre" "$WORK/text" || fail "the cohort misses p-2"
fi

# Nobody to write to, someone without an orientation, someone not visible.
pdf "$T_OFF" "/orientation/letters.pdf?people="
expect_status 404 "an empty cohort"
pdf "$T_OFF" /people/p-3/orientation/letter.pdf
expect_status 404 "a person without an orientation"
pdf "$T_OFF" "/orientation/letters.pdf?people=p-1,p-4"
expect_status 404 "a cohort with another territory's person"
audited person.denied p-4
pdf "$T_OFF" /people/p-4/orientation/letter.pdf
expect_status 404 "another territory's person"

# The référent who follows p-1 may print it; the cohort is the officers'.
T_PE=$(token_for pe@test.fr)
pdf "$T_PE" /people/p-1/orientation/letter.pdf
expect_status 200 "the référent's copy"
pdf "$T_PE" "/orientation/letters.pdf?people=p-1"
expect_status 403 "a référent on the cohort's letters"
pdf "$T_SEC" /people/p-1/orientation/letter.pdf
expect_status 403 "an instance secretary"

# An address too long for the envelope window: 422 naming the person and the
# rule, for one letter and for a cohort that holds it (no letter printed).
import_jsonl >/dev/null <<'EOF_JSONL' || fail "could not give p-2 a long address"
{"type":"person","id":"p-2","household":"h-1","role":"CJT","first_name":"Élise","last_name":"Lefèvre","birth_date":"1982-05-01","sex":"F","address":"Bâtiment A\nEscalier 2\nÉtage 3\nPorte 4\nRésidence Les Tilleuls\n12 rue des Fleurs\nBP 7\n69003 Lyon"}
EOF_JSONL
pdf "$T_OFF" /people/p-2/orientation/letter.pdf
expect_status 422 "an undeliverable address"
grep -q "trop de lignes pour la fenêtre" "$WORK/body" || fail "the refusal does not give the rule"
pdf "$T_OFF" "/orientation/letters.pdf?people=p-1,p-2"
expect_status 422 "a cohort with an undeliverable address"
grep -q "p-2" "$WORK/body" || fail "the refusal does not name the person"
