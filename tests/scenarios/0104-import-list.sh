#!/bin/sh
# Beneficiary lists (`parcours import-list` and the page /lists): a CSV list
# with a mapping given by --map (preview first: nothing written), people
# matched by NIR, by CAF number + names + birth date and by names + birth
# date without accents, a new person with a household of their own, a bad
# line rejected while the rest is taken; the same file again (unchanged);
# the saved mapping; an XLSX list (dates as serial numbers, a NIR typed as a
# number); a zip bomb refused; usage errors; one audit entry per run; then
# the screen: send, map, preview, confirm, report, and who may use it.
. "$(dirname "$0")/lib.sh"
init_db
small_territory
export PARCOURS_TODAY=2018-01-31

last_line() { tail -n 1 "$WORK/out"; }
expect_last() {
	[ "$(last_line)" = "$1" ] || fail "expected the last line '$1', got '$(last_line)'"
}
sql() { sqlite3 "$DB" "$1"; }
MAP='NOM=last_name,Prénom=first_name,Date de naissance=birth_date,Sexe=sex,NIR=nir,Matricule CAF=caf_number,Téléphone=phone,Commune=commune'

# Benoît by NIR; Claire by CAF number; Zoé by names, accents aside; a new
# person; an impossible birth date.
cat >"$WORK/liste.csv" <<'CSV'
Nom;Prénom;Date de naissance;Sexe;NIR;Matricule CAF;Téléphone;Commune;Remarque
DUPONT;Benoit;17/05/1980;;1 80 05 69 381 123 57;;06 11 11 11 11;;
Dupont;Claire;1982-11-03;F;;1234567;06 22 22 22 22;;
MARTIN;ZOE;28/02/1990;;;;;;
Nouvelle;Personne;01/06/1985;femme;;;0633333333;69381;vue au forum
Sans;Date;31/02/1990;M;;;;;
CSV

# --- Preview: what would happen, nothing written (not even the mapping).
pc export >"$WORK/before"
expect_pc 1 import-list "$WORK/liste.csv" --organisation org-nord --mapping outil-x --map "$MAP" --preview
expect_last "created 1, updated 2, unchanged 1, rejected 1"
expect_out "line 2: updated: NIR 180056938112357 (p-benoit)"
expect_out "line 5: created: Nouvelle Personne 01/06/1985$"
expect_out "line 6: rejected: Sans Date 31/02/1990: Date de naissance: « 31/02/1990 » n'est pas une date réelle"
pc export >"$WORK/after"
cmp -s "$WORK/before" "$WORK/after" || fail "the preview wrote something"
[ "$(sql 'SELECT COUNT(*) FROM list_mapping') $(sql 'SELECT COUNT(*) FROM list_import')" = "0 0" ] ||
	fail "the preview saved a mapping or a report"

# --- The import: the same outcome, written; the mapping saved.
expect_pc 1 import-list "$WORK/liste.csv" --organisation org-nord --mapping outil-x --map "$MAP"
expect_last "created 1, updated 2, unchanged 1, rejected 1"
expect_err_line "line 6:" "Sans Date" "Date de naissance" "31/02/1990"
[ "$(sql "SELECT phone FROM person WHERE id IN ('p-benoit', 'p-claire') ORDER BY id")" = "06 11 11 11 11
06 22 22 22 22" ] || fail "the phones were not written"
[ "$(sql "SELECT p.id || ' ' || p.sex || ' ' || p.role || ' ' || h.id || ' ' || h.commune || ' ' || COALESCE(h.caf_number, '-') FROM person p JOIN household h ON h.id = p.household WHERE p.last_name = 'Nouvelle'")" = "lst-1-5 F DEM lst-1-5-foyer 69381 -" ] ||
	fail "the new person or their household: $(sql "SELECT * FROM person WHERE last_name = 'Nouvelle'")"
[ "$(sql "SELECT status || ' ' || format || ' ' || lines || ' ' || organisation || ' ' || mapping_name FROM list_import")" = "done csv 5 org-nord outil-x" ] ||
	fail "the report row: $(sql 'SELECT * FROM list_import')"
[ "$(sql "SELECT line || ' ' || identifier || ' ' || field FROM list_import_rejection")" = "6 Sans Date 31/02/1990 Date de naissance" ] ||
	fail "the rejection row: $(sql 'SELECT * FROM list_import_rejection')"

# --- Again, with the saved mapping: nothing changes.
expect_pc 1 import-list "$WORK/liste.csv" --organisation org-nord --mapping outil-x
expect_last "created 0, updated 0, unchanged 4, rejected 1"

# --- An XLSX list: a date-styled serial (29358 = 1980-05-17), a NIR typed
# as a number, a text date, header cells as shared strings.
py - "$WORK/liste.xlsx" <<'PY'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED)
z.writestr("[Content_Types].xml", "<Types xmlns='http://schemas.openxmlformats.org/package/2006/content-types'/>")
z.writestr("xl/workbook.xml", "<workbook xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main' xmlns:r='http://schemas.openxmlformats.org/officeDocument/2006/relationships'><sheets><sheet name='Liste' sheetId='1' r:id='rId1'/></sheets></workbook>")
z.writestr("xl/_rels/workbook.xml.rels", "<Relationships xmlns='http://schemas.openxmlformats.org/package/2006/relationships'><Relationship Id='rId1' Type='http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet' Target='worksheets/sheet1.xml'/><Relationship Id='rId2' Type='http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings' Target='sharedStrings.xml'/><Relationship Id='rId3' Type='http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles' Target='styles.xml'/></Relationships>")
z.writestr("xl/styles.xml", "<styleSheet xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'><cellXfs count='2'><xf numFmtId='0'/><xf numFmtId='14'/></cellXfs></styleSheet>")
z.writestr("xl/sharedStrings.xml", "<sst xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'><si><t>Nom</t></si><si><t>Prénom</t></si><si><t>Date de naissance</t></si><si><t>NIR</t></si><si><t>Email</t></si></sst>")
z.writestr("xl/worksheets/sheet1.xml", "<worksheet xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'><sheetData>"
  "<row r='1'><c r='A1' t='s'><v>0</v></c><c r='B1' t='s'><v>1</v></c><c r='C1' t='s'><v>2</v></c><c r='D1' t='s'><v>3</v></c><c r='E1' t='s'><v>4</v></c></row>"
  "<row r='2'><c r='A2' t='inlineStr'><is><t>Dupont</t></is></c><c r='B2' t='inlineStr'><is><t>Benoît</t></is></c><c r='C2' s='1'><v>29358</v></c><c r='D2'><v>180056938112357</v></c><c r='E2' t='inlineStr'><is><t>benoit@example.org</t></is></c></row>"
  "<row r='3'><c r='A3' t='inlineStr'><is><t>Nouveau</t></is></c><c r='B3' t='inlineStr'><is><t>Xavier</t></is></c><c r='C3' t='inlineStr'><is><t>1979-04-02</t></is></c><c r='D3'><v>179046938100118</v></c></row>"
  "</sheetData></worksheet>")
z.close()
PY
expect_pc 0 import-list "$WORK/liste.xlsx" --organisation org-nord --mapping tableur \
	--map "Nom=last_name,Prénom=first_name,Date de naissance=birth_date,NIR=nir,Email=email"
expect_last "created 1, updated 1, unchanged 0, rejected 0"
[ "$(sql "SELECT email FROM person WHERE id = 'p-benoit'")" = benoit@example.org ] || fail "the e-mail from the XLSX list"
[ "$(sql "SELECT sex || ' ' || birth_date FROM person WHERE nir = '179046938100118'")" = "M 1979-04-02" ] ||
	fail "the person created from the XLSX list"

# --- A zip bomb: a sheet of 30 MB of blanks (about 1 000 times smaller
# compressed) is refused before it is inflated.
py - "$WORK/bomb.xlsx" <<'PY'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED)
z.writestr("xl/workbook.xml", "<workbook/>")
z.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData>" + " " * (30 << 20) + "</sheetData></worksheet>")
z.close()
PY
expect_pc 1 import-list "$WORK/bomb.xlsx" --organisation org-nord --mapping tableur
expect_err "se décompresse plus de 100 fois"
expect_last "created 0, updated 0, unchanged 0, rejected 0"

# --- Usage errors.
expect_pc 2 import-list "$WORK/liste.csv" --organisation org-nord
expect_pc 2 import-list "$WORK/liste.csv" --organisation org-nord --mapping inconnue
expect_err 'no mapping named "inconnue"'
expect_pc 2 import-list "$WORK/liste.csv" --organisation org-x --mapping outil-x
expect_pc 2 import-list "$WORK/liste.csv" --organisation org-nord --mapping m --map "Nom=last_name,Prénom=first_name"
expect_err "birth_date"
expect_pc 3 import-list "$WORK/absent.csv" --organisation org-nord --mapping outil-x
[ "$(sql "SELECT COUNT(*) FROM audit WHERE action = 'import-list'")" = 4 ] ||
	fail "one audit entry per run that may write: $(sql "SELECT COUNT(*) FROM audit WHERE action = 'import-list'")"

# --- The screen.
add_user officer@test.fr orientation_officer org-nord
add_user analyst@test.fr analyst org-nord
add_user referent@test.fr referent org-nord
# Files waiting for confirmation go with the scenario's directory.
export TMPDIR="$WORK"
start_server
login analyst@test.fr
req GET /lists
expect_status 403 "an analyst on /lists"

login officer@test.fr
req GET /lists
expect_status 200 "the lists page"
expect_body "outil-x"
expect_body "liste.csv"
# No file: the form again (422); an unknown token: 404.
req POST /lists --data-urlencode "csrf=$CSRF" -d new_mapping=x
expect_status 422 "sending no file"
expect_body "Choisir un fichier CSV ou XLSX"
req GET /lists/uploads/0000000000000000000000000000000000000000000000000000000000000000
expect_status 404 "an unknown upload"
req GET /lists/imports/999
expect_status 404 "an unknown report"
printf 'Nom;Prénom;Né le;Sexe\nDupont;Benoît;17/05/1980;M\nLeroy;Anne;02/03/1991;F\nLeroy;;02/03/1991;F\n' >"$WORK/web.csv"
req POST /lists -F "csrf=$CSRF" -F "new_mapping=web" -F "file=@$WORK/web.csv;filename=web.csv"
expect_status 303 "sending a list"
LOC=$(header Location)
case "$LOC" in /lists/uploads/*) ;; *) fail "sent to '$LOC'" ;; esac
req GET "$LOC"
expect_status 200 "the preview page"
expect_body "Colonne « Né le »"
expect_body "La correspondance est incomplète"
# Map "Né le" (column 2) and compute the preview.
req POST "$LOC" --data-urlencode "csrf=$CSRF" -d col_0=last_name -d col_1=first_name -d col_2=birth_date -d col_3=sex
expect_status 303 "saving the mapping"
req GET "$LOC"
expect_status 200 "the preview"
expect_body "Personne créée"
expect_body "Rien à changer"
expect_body "Ligne rejetée"
expect_body 'selected>Date de naissance'
[ "$(sql "SELECT COUNT(*) FROM person WHERE last_name = 'Leroy'")" = 0 ] || fail "the preview wrote a person"
# A mapping without birth date is refused (422) and shown again.
req POST "$LOC" --data-urlencode "csrf=$CSRF" -d col_0=last_name -d col_1=first_name
expect_status 422 "a mapping without birth date"
# Another user cannot use this file.
SAVED_JAR=$(cat "$JAR")
SAVED_CSRF=$CSRF
login referent@test.fr
req GET "$LOC"
expect_status 404 "another user's file"
printf '%s\n' "$SAVED_JAR" >"$JAR"
CSRF=$SAVED_CSRF
req POST "$LOC/confirm" --data-urlencode "csrf=$CSRF"
expect_status 303 "confirming"
REPORT=$(header Location)
req GET "$REPORT"
expect_status 200 "the report"
expect_body "Personnes créées"
expect_body "Leroy"
[ "$(sql "SELECT COUNT(*) FROM person WHERE last_name = 'Leroy'")" = 1 ] || fail "the confirmed import"
# Its audit entry has the shape of the command's (import_run.c): files,
# reports, the four counts, the mapping.
sql "SELECT detail FROM audit WHERE action = 'import-list' ORDER BY seq DESC LIMIT 1" >"$WORK/web-audit"
sql "SELECT detail FROM audit WHERE action = 'import-list' AND address = 'cli' ORDER BY seq DESC LIMIT 1" >"$WORK/cli-audit"
shape=$(py - "$WORK/web-audit" "$WORK/cli-audit" "${REPORT##*/}" <<'PY'
import json, sys
web, cli = (json.load(open(f)) for f in sys.argv[1:3])
print(sorted(web) == sorted(cli), web["files"], web["reports"] == [int(sys.argv[3])],
      [web[k] for k in ("created", "updated", "unchanged", "rejected", "mapping")])
PY
)
[ "$shape" = "True ['web.csv'] True [1, 0, 1, 1, 'web']" ] ||
	fail "the screen's audit entry: $shape; $(cat "$WORK/web-audit") (the command's: $(cat "$WORK/cli-audit"))"
req GET "$LOC"
expect_status 404 "a file already imported"
[ "$(sql "SELECT COUNT(*) FROM list_upload")" = 0 ] || fail "the upload row was not removed"
echo "0104-import-list: ok"
