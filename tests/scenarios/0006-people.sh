#!/bin/sh
# People: who sees whom (orientation officer: SDD people of their territory;
# admin: everyone; référent: nobody yet), 404 + "person.denied" for the
# others, search (accents, case, birth date, CAF number, NIR), NIR shown only
# to the roles that may see it, "person.read" audit, CSV and XLSX downloads.
. "$(dirname "$0")/lib.sh"
init_db
export PARCOURS_TODAY=2017-12-31
small_territory
add_user oo@test.fr orientation_officer org-nord
add_user oo-sud@test.fr orientation_officer org-sud
add_user ref@test.fr referent org-nord
add_user sec@test.fr instance_secretary org-nord
add_user oo-all@test.fr orientation_officer org-1
T_ADMIN=$(token_for admin@test.fr)
T_OO=$(token_for oo@test.fr)
T_OOSUD=$(token_for oo-sud@test.fr)
T_REF=$(token_for ref@test.fr)
T_SEC=$(token_for sec@test.fr)
T_OOALL=$(token_for oo-all@test.fr)
start_server

# ids QUERY: the ids of /people?QUERY as $TOKEN sees them, sorted, one line.
ids() {
	api GET "/people?$1"
	expect_status 200 "/people?$1"
	# Row objects are the only ones with an "id" in a list's answer (grep
	# rather than a Python start per search keeps the scenario quick).
	grep -o '"id":"[^"]*"' "$WORK/body" | cut -d'"' -f4 | sort | tr '\n' ' ' | sed 's/ $//'
}
expect_ids() {
	got=$(ids "$1")
	[ "$got" = "$2" ] || fail "$WHO: /people?$1: expected [$2], got [$got]"
}

# The orientation officer of t-nord: SDD people of t-nord only (p-eve's
# household names no territory but lives in a commune of t-nord).
WHO=oo TOKEN=$T_OO
expect_ids "" "p-benoit p-eve"
expect_json 'd["total"]' 2
for p in p-benoit p-eve; do
	api GET "/people/$p"
	expect_status 200 "oo: /people/$p"
	expect_json 'd["person"]["id"]' "$p"
done
# Not SDD (p-claire: right open but not subject to duties; p-nosdd: no
# right), or SDD of another territory (p-zoe): absent, 404, and audited.
for p in p-claire p-nosdd p-zoe; do
	api GET "/people/$p"
	expect_status 404 "oo: /people/$p"
	expect_no_body "$p\""
	pc audit list --person "$p" >"$WORK/audit"
	grep -q "person.denied" "$WORK/audit" || fail "oo opening $p is not audited as person.denied: $(cat "$WORK/audit")"
	api GET "/people/$p/edit"
	expect_status 404 "oo: /people/$p/edit"
done
expect_ids "q=zoe" ""
expect_ids "q=claire" ""
# A person that does not exist answers the same 404.
api GET /people/p-nobody
expect_status 404 "/people/p-nobody"
# The household shows only the members one may see.
api GET /households/h-1
expect_status 200 "oo: /households/h-1"
expect_json '" ".join(sorted(m["id"] for m in d["household"]["members"]))' "p-benoit"
api GET /households/h-2
expect_status 404 "oo: /households/h-2 (another territory)"

# The orientation officer of t-sud sees p-zoe only.
WHO=oo-sud TOKEN=$T_OOSUD
expect_ids "" "p-zoe"
api GET /people/p-benoit
expect_status 404 "oo-sud: /people/p-benoit"

# An orientation officer whose organisation has no territory sees every SDD
# person (domain.md, "Access rules").
WHO=oo-all TOKEN=$T_OOALL
expect_ids "" "p-benoit p-eve p-zoe"

# Counts shown count only what one may see (the home page).
for who in oo:2 oo-sud:1 ref:0 admin:5 oo-all:3; do
	case "${who%:*}" in
	oo) TOKEN=$T_OO ;; oo-sud) TOKEN=$T_OOSUD ;; ref) TOKEN=$T_REF ;;
	admin) TOKEN=$T_ADMIN ;; oo-all) TOKEN=$T_OOALL ;;
	esac
	api GET /
	expect_json 'd["people_visible"]' "${who#*:}"
done

# The admin sees everyone.
WHO=admin TOKEN=$T_ADMIN
expect_ids "" "p-benoit p-claire p-eve p-nosdd p-zoe"
api GET /people/p-claire
expect_status 200 "admin: /people/p-claire"

# The référent sees nobody yet (issue 3 brings their links), and never a NIR.
WHO=ref TOKEN=$T_REF
expect_ids "" ""
expect_ids "nir=1800569381123" ""
for p in p-benoit p-zoe; do
	api GET "/people/$p"
	expect_status 404 "ref: /people/$p"
done
pc audit list --person p-benoit | grep "person.denied" | grep -q "$(pc user list | awk -F'\t' '$2 == "ref@test.fr" {print $1}')" ||
	fail "the référent's attempt on p-benoit is not audited"
# The instance secretary (who may see NIRs) sees nobody yet either.
WHO=sec TOKEN=$T_SEC
expect_ids "" ""

# Search: accent- and case-insensitive, several words, birth date, CAF number.
WHO=admin TOKEN=$T_ADMIN
for q in benoit BENOIT Beno%C3%AEt BeNo%C3%8ET "dupont+benoit" "benoit%20dupont" "%20%20benoit%20%20"; do
	expect_ids "q=$q" "p-benoit"
done
expect_ids "q=dupont" "p-benoit p-claire"
expect_ids "q=zo%C3%A9" "p-zoe"
expect_ids "q=ZOE" "p-zoe"
expect_ids "q=nobody-has-this-name" ""
expect_ids "q=%25" ""
expect_ids "birth_date=1980-05-17" "p-benoit"
expect_ids "birth_date=1990-02-28" "p-zoe"
expect_ids "q=dupont&birth_date=1982-11-03" "p-claire"
api GET "/people?birth_date=1980-02-30"
expect_status 200 "a search with an impossible date"
expect_body "birth_date_error"
expect_ids "caf_number=1234567" "p-benoit p-claire p-nosdd"
expect_ids "caf_number=7654321" "p-zoe"
expect_ids "caf_number=0000000" ""
WHO=oo TOKEN=$T_OO
expect_ids "caf_number=1234567" "p-benoit"
expect_ids "q=BENOIT" "p-benoit"

# NIR: shown to the orientation officer and the admin, searchable by them.
WHO=oo TOKEN=$T_OO
expect_ids "nir=180056938112357" "p-benoit"
expect_ids "nir=1800569381123" "p-benoit"
expect_ids "nir=2999999999999" ""
api GET /people
expect_json '[r.get("nir") for r in d["rows"] if r["id"] == "p-benoit"][0]' "180056938112357"
api GET /people/p-benoit
expect_json 'd["person"]["nir"]' "180056938112357"

# Opening a file writes a "person.read" entry, with who read it.
oo_id=$(pc user list | awk -F'\t' '$2 == "oo@test.fr" {print $1}')
pc audit list --person p-benoit >"$WORK/audit"
grep "person.read" "$WORK/audit" | grep -q "$oo_id" || fail "no person.read entry for oo: $(cat "$WORK/audit")"
pc audit list --person p-eve | grep -q "person.read" || fail "no person.read entry for p-eve"

# CSV: BOM, ';', neutralised formula, the same rows as the list.
WHO=admin TOKEN=$T_ADMIN
api GET "/people?q=dupont"
json '"\n".join(sorted(r["last_name"] + " " + r["first_name"] for r in d["rows"]))' >"$WORK/list-names"
api GET "/people?q=dupont&format=csv"
expect_status 200 "CSV download"
expect_header Content-Type "text/csv"
expect_header Content-Disposition "attachment"
[ "$(head -c 3 "$WORK/body" | od -An -tx1 | tr -d ' ')" = "efbbbf" ] || fail "the CSV does not start with a UTF-8 BOM"
head -1 "$WORK/body" | grep -q "Nom;Prénom" || fail "the CSV header is not ';'-separated: $(head -1 "$WORK/body")"
py - "$WORK/body" "$WORK/list-names" <<'PY' || fail "the CSV rows differ from the list"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline=""), delimiter=";"))
names = sorted(r[0] + " " + r[1] for r in rows[1:])
want = [l.rstrip("\n") for l in open(sys.argv[2], encoding="utf-8")]
if names != want:
    print("csv:", names, "list:", want)
    sys.exit(1)
PY
api GET "/people?format=csv"
grep -q "'=cmd" "$WORK/body" || fail "a name starting with '=' is not neutralised in the CSV: $(cat "$WORK/body")"
grep -q "Benoît" "$WORK/body" || fail "the CSV is not UTF-8"
grep -q "180056938112357" "$WORK/body" || fail "the admin's CSV lacks the NIR column"
[ "$(grep -c . "$WORK/body")" = 6 ] || fail "the CSV should have a header and 5 rows: $(cat "$WORK/body")"
# The orientation officer's CSV holds only their people.
TOKEN=$T_OO
api GET "/people?format=csv"
[ "$(grep -c . "$WORK/body")" = 3 ] || fail "oo's CSV should have a header and 2 rows: $(cat "$WORK/body")"
grep -q "Zoé\|Claire" "$WORK/body" && fail "oo's CSV holds people they may not see"

# XLSX: a zip (PK) with the same rows.
TOKEN=$T_ADMIN
api GET "/people?q=dupont&format=xlsx"
expect_status 200 "XLSX download"
expect_header Content-Type "spreadsheetml"
[ "$(head -c 2 "$WORK/body")" = "PK" ] || fail "the XLSX does not start with PK"
py - "$WORK/body" <<'PY' || fail "the XLSX does not hold the list's rows"
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
text = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/") and n.endswith(".xml"))
for name in ("Dupont", "Benoît", "Claire"):
    if name not in text:
        print("missing", name)
        sys.exit(1)
if "Zoé" in text:
    sys.exit(1)
PY
# Downloads are limited like the list: the référent gets an empty file.
TOKEN=$T_REF
api GET "/people?format=csv"
[ "$(grep -c . "$WORK/body")" = 1 ] || fail "the référent's CSV should hold the header only: $(cat "$WORK/body")"

# Pages (HTML) when the templates exist: the analyst cannot, the others can.
echo "0006 ok"
