#!/bin/sh
# The CAF/MSA flux from the command line (`parcours import-caf`): the sample
# flux as CAF sends it, re-imported unchanged, validated against the XSD;
# a windows-1252 flux that updates known households (matched by matricule,
# NIR, name and birth date), creates one, rejects a bad one (exit 1) and
# takes the rest; an older flux refused then taken with --force; usage
# errors; one audit entry per run; the export shows what was written; a
# bad household in the middle of a batch; a run killed (-9) in the middle,
# then imported again, ends as one clean import.
. "$(dirname "$0")/lib.sh"
init_db
small_territory
export PARCOURS_TODAY=2018-01-31
SAMPLE="$SHARED/formats/caf/RSABEM-sample.xml"
XSD="$SHARED/formats/caf/vrsb0801.xsd"
[ -f "$SAMPLE" ] || fail "the sample flux is missing: $SAMPLE"

# last_line: the last line of standard output.
last_line() { tail -n 1 "$WORK/out"; }
expect_last() {
	[ "$(last_line)" = "$1" ] || fail "expected the last line '$1', got '$(last_line)'"
}
# record TYPE ID: the exported record, keys sorted (empty when absent).
record() {
	pc export --types "$1" | py -c '
import json, sys
for l in sys.stdin:
    r = json.loads(l)
    if r["id"] == sys.argv[1]:
        del r["type"], r["id"]
        print(json.dumps(r, sort_keys=True, ensure_ascii=False))' "$2"
}
expect_record() {
	got=$(record "$1" "$2")
	[ "$got" = "$3" ] || fail "expected $1 $2 = $3, got '$got'"
}

# --- The sample flux, as CAF sends it (windows-1252, 2 households for a
# declared 1, no DEM): taken, with warnings.
expect_pc 0 import-caf "$SAMPLE"
expect_last "created 2, updated 0, unchanged 0, rejected 0"
expect_err "warning: TransmissionFlux annonce 1 foyer(s), le fichier en contient 2"
expect_err "sans DEM"
expect_record household caf-CAF-205599000000000 \
	'{"caf_number": "205599000000000", "commune": "92044", "family_situation": "CEL", "paying_body": "CAF", "rsa_request_date": "2018-08-06", "rsa_request_number": "01024041052"}'
expect_record person nir-2820251108030 \
	'{"address": "25 RUE HENRI BARBUSSE, 92300 LEVALLOIS PERRET", "birth_date": "1982-02-01", "first_name": "SOPHIE", "household": "caf-CAF-205599000000000", "last_name": "TIFOUR", "nir": "2820251108030", "role": "CJT", "sex": "F", "title": "MME"}'
expect_record right_period rp-nir-2820251108030-2018-08-06 \
	'{"person": "nir-2820251108030", "start": "2018-08-06", "state": "5", "subject_to_duties": true}'

# Again: nothing changes.
pc export >"$WORK/before"
expect_pc 0 import-caf "$SAMPLE"
expect_last "created 0, updated 0, unchanged 2, rejected 0"
pc export | cmp -s "$WORK/before" - || fail "re-importing the same flux changed the database"

# Validated against the XSD given at run time.
expect_pc 0 import-caf "$SAMPLE" --validate --xsd "$XSD"
expect_last "created 0, updated 0, unchanged 2, rejected 0"

# --- Usage and failures.
expect_pc 2 import-caf
expect_pc 2 import-caf "$SAMPLE" --validate
expect_pc 2 import-caf "$SAMPLE" --xsd "$XSD"
expect_pc 2 import-caf "$SAMPLE" --nope
expect_pc 3 import-caf "$WORK/missing.xml"
expect_err "missing.xml"

# --- A January flux of CAF 691 in windows-1252 (printf's octal escapes are
# its bytes: \311 É, \310 È, \214 Œ, which Latin-1 lacks). Household 1 is
# h-1 of the small territory (matricule 1234567): Benoît by his NIR's 13
# first characters, Claire by name and birth date; their right becomes
# suspended (4). Household 2 has an impossible SEXE: rejected. Household 3
# is new.
person() { # ROLE NOM PRENOM DTNAI NIR SEXE TOP
	printf '<Personne><Identification><NOM>%s</NOM><PRENOM>%s</PRENOM><DTNAI>%s</DTNAI>' "$2" "$3" "$4"
	[ -z "$5" ] || printf '<NIR>%s</NIR>' "$5"
	printf '<SEXE>%s</SEXE></Identification>' "$6"
	printf '<Prestations><NATPREST>RSA</NATPREST><ROLEPERS>%s</ROLEPERS></Prestations>' "$1"
	printf '<MontantCalculDroitRSAPersonne><TOPPERSDRODEVORSA>%s</TOPPERSDRODEVORSA></MontantCalculDroitRSAPersonne></Personne>\n' "$7"
}
household() { # MATRICULE ETAT NUMCOM PEOPLE…
	m=$1 e=$2 c=$3
	shift 3
	printf '<InfosFoyerRSA>\n<IdentificationRSA><Organisme><FONORG>CAF</FONORG><NUMORG>691</NUMORG><MATRICULE>%s</MATRICULE></Organisme><DemandeRSA><DTDEMRSA>2016-05-02</DTDEMRSA></DemandeRSA></IdentificationRSA>\n' "$m"
	printf '%s' "$*"
	printf '<DonneesAdministratives><Adresse><TroncCommunAdresse><RGADR>01</RGADR></TroncCommunAdresse><AdresseDetailleeFrance><NUMVOIE>8</NUMVOIE><LIBTYPEVOIE>RUE</LIBTYPEVOIE><NOMVOIE>DES \214ILLETS</NOMVOIE><NUMCOM>%s</NUMCOM><CODEPOS>69001</CODEPOS><NOMCOM>LYON</NOMCOM></AdresseDetailleeFrance></Adresse></DonneesAdministratives>\n' "$c"
	printf '<PrestationRSA><SituationDossierRSA><EtatDossierRSA><ETATDOSRSA>%s</ETATDOSRSA></EtatDossierRSA></SituationDossierRSA></PrestationRSA>\n</InfosFoyerRSA>\n' "$e"
}
flux() { # DTREF DECLARED HOUSEHOLDS…
	d=$1 n=$2
	shift 2
	printf '<?xml version="1.0" encoding="windows-1252"?>\n<Racine>\n<IdentificationFlux><TYPEFLUX>M</TYPEFLUX><DTREF>%s</DTREF></IdentificationFlux>\n' "$d"
	printf '%s' "$*"
	printf '<TransmissionFlux><NBTOTDOSRSATRANSM>%08d</NBTOTDOSRSATRANSM></TransmissionFlux>\n</Racine>\n' "$n"
}
H1=$(household 1234567 4 69381 \
	"$(person DEM DUPONT BENOIT 1980-05-17 1800569381123 1 1)" \
	"$(person CJT DUPONT CLAIRE 1982-11-03 '' 2 0)")
H2=$(household 2222222 2 69382 "$(person DEM MARTIN PAUL 1970-01-01 1700169381999 9 1)")
H3=$(household 3333333 2 69382 "$(person DEM 'LEF\310VRE' '\311LODIE' 1991-04-12 2910469381234 2 1)")
flux 2018-01-31 3 "$H1" "$H2" "$H3" >"$WORK/jan.xml"
# printf expanded the octal escapes of the names only in the format: do it
# for the arguments too.
py - "$WORK/jan.xml" <<'PY'
import sys
p = sys.argv[1]
b = open(p, "rb").read()
b = b.replace(b"\\310", b"\xc8").replace(b"\\311", b"\xc9")
open(p, "wb").write(b)
PY

expect_pc 1 import-caf "$WORK/jan.xml"
expect_last "created 1, updated 1, unchanged 0, rejected 1"
expect_err_line "household 2 (MATRICULE 2222222)" "jan.xml" "line " "SEXE"
# Household 1 is h-1: no new household, the people matched.
[ "$(pc export --types household | grep -c '"caf_number":"1234567"')" = 1 ] ||
	fail "the flux duplicated household h-1"
# Claire keeps the spelling of her name (the flux's differs only by case)
# and gets the CAF's address, which she lacked.
expect_record person p-claire \
	'{"address": "8 RUE DES ŒILLETS, 69001 LYON", "birth_date": "1982-11-03", "first_name": "Claire", "household": "h-1", "last_name": "Dupont", "role": "CJT", "sex": "F"}'
# Benoît keeps his 15-character NIR; his right period is cut on 2017-12-31.
record person p-benoit | grep -q '"nir": "180056938112357"' || fail "Benoît's NIR changed: $(record person p-benoit)"
expect_record right_period rp-benoit \
	'{"end": "2017-12-31", "person": "p-benoit", "start": "2017-01-01", "state": "2", "subject_to_duties": true}'
expect_record right_period rp-p-benoit-2018-01-01 \
	'{"person": "p-benoit", "start": "2018-01-01", "state": "4", "subject_to_duties": true}'
expect_record right_period rp-p-claire-2018-01-01 \
	'{"person": "p-claire", "start": "2018-01-01", "state": "4", "subject_to_duties": false}'
# p-nosdd (AUT, no right period) is left as he was.
expect_record right_period rp-claire \
	'{"end": "2017-12-31", "person": "p-claire", "start": "2017-01-01", "state": "2", "subject_to_duties": false}'
# Household 3 is new, with UTF-8 names and the territory of its commune.
expect_record household caf-CAF-3333333 \
	'{"caf_number": "3333333", "commune": "69382", "paying_body": "CAF", "rsa_request_date": "2016-05-02", "territory": "t-sud"}'
record person nir-2910469381234 | grep -q '"first_name": "ÉLODIE", .*"last_name": "LEFÈVRE"' ||
	fail "accents: $(record person nir-2910469381234)"
expect_record right_period rp-nir-2910469381234-2016-05-02 \
	'{"person": "nir-2910469381234", "start": "2016-05-02", "state": "2", "subject_to_duties": true}'
# Nothing of household 2 was written.
pc export | grep -q 2222222 && fail "the rejected household was written"

# The same flux again: the two taken are unchanged, the bad one rejected again.
expect_pc 1 import-caf "$WORK/jan.xml"
expect_last "created 0, updated 0, unchanged 2, rejected 1"

# --- An older flux (December) of the same paying body: refused, nothing
# written; --force takes it and says what it changed.
H1=$(household 1234567 3 69381 \
	"$(person DEM DUPONT BENOIT 1980-05-17 1800569381123 1 1)" \
	"$(person CJT DUPONT CLAIRE 1982-11-03 '' 2 0)")
flux 2017-12-31 1 "$H1" >"$WORK/dec.xml"
pc export >"$WORK/before"
expect_pc 1 import-caf "$WORK/dec.xml"
expect_err "refused"
expect_err "2018-01-31"
expect_last "created 0, updated 0, unchanged 0, rejected 0"
pc export | cmp -s "$WORK/before" - || fail "a refused flux changed the database"
expect_pc 0 import-caf "$WORK/dec.xml" --force
expect_last "created 0, updated 1, unchanged 0, rejected 0"
expect_out "--force: changed right_period"
expect_err "--force"
# The newest flux stays the reference: December is still refused without --force.
expect_pc 1 import-caf "$WORK/dec.xml"
expect_err "refused"

# --- Several files in one run: one last line for all, one audit entry.
before=$(pc audit list | grep -c 'import-caf' || true)
expect_pc 1 import-caf "$SAMPLE" "$WORK/jan.xml"
expect_last "created 0, updated 1, unchanged 3, rejected 1"
after=$(pc audit list | grep -c 'import-caf' || true)
[ "$after" = $((before + 1)) ] || fail "expected one audit entry for the run ($before → $after)"

# --- An external entity is never read.
printf '<?xml version="1.0" encoding="windows-1252"?>\n<!DOCTYPE Racine [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<Racine><IdentificationFlux><DTREF>2018-01-31</DTREF></IdentificationFlux>%s<TransmissionFlux><NBTOTDOSRSATRANSM>1</NBTOTDOSRSATRANSM></TransmissionFlux></Racine>\n' \
	"$(household 4444444 2 69381 "$(person DEM 'X&x;' ANNE 1980-01-01 2800169381001 2 1)")" >"$WORK/xxe.xml"
expect_pc 1 import-caf "$WORK/xxe.xml"
expect_last "created 0, updated 0, unchanged 0, rejected 1"
grep -q 'root:' "$WORK/out" "$WORK/err" && fail "the external entity was read"
pc export | grep -q 'root:' && fail "the external entity reached the database"
# --- Record by record inside a batch: a bad household among good ones
# (all in one commit) leaves no trace, the ones around it are taken.
B=""
for i in $(seq 1 9); do
	sx=1
	[ "$i" = 5 ] && sx=9
	B="$B$(household "600000$i" 2 69381 "$(person DEM "NOM$i" PRENOM 1980-01-0$i "18001693810$i$i" "$sx" 1)")
"
done
flux 2018-01-31 9 "$B" >"$WORK/batch.xml"
expect_pc 1 import-caf "$WORK/batch.xml"
expect_last "created 8, updated 0, unchanged 0, rejected 1"
expect_err_line "household 5 (MATRICULE 6000005)" "SEXE"
pc export | grep -q 6000005 && fail "the rejected household of the batch was written"
[ "$(pc export --types household | grep -c '"caf_number":"60000')" = 8 ] ||
	fail "the households around the rejected one were not all taken"

# --- kill -9 in the middle of a run: the report row (still "running")
# counts exactly what was committed; importing the file again takes the
# rest, and the end state is that of one clean import.
py - "$WORK/big.xml" 20000 <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
out = ['<?xml version="1.0" encoding="windows-1252"?>\n<Racine>\n'
       '<IdentificationFlux><TYPEFLUX>M</TYPEFLUX><DTREF>2018-01-31</DTREF></IdentificationFlux>\n']
for i in range(n):
    yy, mm, k = 70 + i % 30, 1 + (i // 30) % 12, 1 + i // 360
    out.append('<InfosFoyerRSA>\n<IdentificationRSA><Organisme><FONORG>CAF</FONORG><NUMORG>692</NUMORG>'
               '<MATRICULE>7%06d</MATRICULE></Organisme></IdentificationRSA>\n<Personne><Identification>'
               '<NOM>NOM%d</NOM><PRENOM>P</PRENOM><DTNAI>19%02d-%02d-15</DTNAI><NIR>1%02d%02d69381%03d</NIR>'
               '<SEXE>1</SEXE></Identification><Prestations><NATPREST>RSA</NATPREST><ROLEPERS>DEM</ROLEPERS>'
               '</Prestations></Personne>\n<PrestationRSA><SituationDossierRSA><EtatDossierRSA><ETATDOSRSA>2'
               '</ETATDOSRSA></EtatDossierRSA></SituationDossierRSA></PrestationRSA>\n</InfosFoyerRSA>\n'
               % (i, i, yy, mm, yy, mm, k))
out.append('<TransmissionFlux><NBTOTDOSRSATRANSM>%08d</NBTOTDOSRSATRANSM></TransmissionFlux>\n</Racine>\n' % n)
open(path, 'w').write(''.join(out))
PY
# sql DB QUERY: the first column of the first row.
sql() { py - "$1" "$2" <<'PY'
import sqlite3, sys
r = sqlite3.connect(sys.argv[1], timeout=10).execute(sys.argv[2]).fetchone()
print(r[0] if r else "")
PY
}
MAIN_DB=$DB
DB="$WORK/killed.db"
init_db
"$PARCOURS" --db "$DB" import-caf "$WORK/big.xml" >"$WORK/killed.out" 2>&1 &
pid=$!
tries=0
until [ "$(sql "$DB" "SELECT COALESCE(MAX(created), 0) FROM caf_import")" -gt 0 ]; do
	tries=$((tries + 1))
	[ "$tries" -lt 600 ] || fail "import-caf committed nothing in 30 s"
	kill -0 "$pid" 2>/dev/null || fail "import-caf ended before it could be killed: make the flux larger"
	sleep 0.05
done
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
[ "$(sql "$DB" "SELECT status || '/' || (finished_at IS NULL) FROM caf_import")" = "running/1" ] ||
	fail "a killed run should stay running: $(sql "$DB" "SELECT status FROM caf_import")"
taken=$(sql "$DB" "SELECT created FROM caf_import")
[ "$taken" -lt 20000 ] || fail "the run was not killed in the middle ($taken taken)"
[ "$(sql "$DB" "SELECT COUNT(*) FROM household")" = "$taken" ] ||
	fail "the report says $taken households, the database holds $(sql "$DB" "SELECT COUNT(*) FROM household")"
[ "$(sql "$DB" "SELECT COUNT(*) FROM person")" = "$taken" ] || fail "people without their household"
expect_pc 0 import-caf "$WORK/big.xml"
expect_last "created $((20000 - taken)), updated 0, unchanged $taken, rejected 0"
pc export --types household,person,right_period >"$WORK/after-kill"
DB="$WORK/clean.db"
init_db
expect_pc 0 import-caf "$WORK/big.xml"
expect_last "created 20000, updated 0, unchanged 0, rejected 0"
pc export --types household,person,right_period | cmp -s "$WORK/after-kill" - ||
	fail "killed then re-imported differs from one clean import"
DB=$MAIN_DB

echo "0101 ok"
