#!/bin/sh
# France Travail lists from the command line (`parcours import-ft`): a
# movement file in windows-1252 (people matched by NIR, by name and birth
# date, one unmatched line reported, a malformed line in the middle rejected
# while the rest is taken, exit 1); the same file again (unchanged); a
# cessation file (a state change closes the open period); the monthly
# "principal" extract (header, NULL cells, datetimes); usage errors; the
# report tables; one audit entry per run; the export and its round trip.
. "$(dirname "$0")/lib.sh"
init_db
small_territory
export PARCOURS_TODAY=2018-01-31

last_line() { tail -n 1 "$WORK/out"; }
expect_last() {
	[ "$(last_line)" = "$1" ] || fail "expected the last line '$1', got '$(last_line)'"
}
# periods PERSON: the person's France Travail periods, one per line.
periods() {
	pc export --types france_travail_period | py -c '
import json, sys
for l in sys.stdin:
    r = json.loads(l)
    if r["person"] == sys.argv[1]:
        print(r["start"], r.get("end", ""), r["state"], r.get("category", ""), r.get("reason", ""))' "$1"
}
expect_periods() {
	got=$(periods "$1")
	[ "$got" = "$2" ] || fail "expected the periods of $1 to be '$2', got '$got'"
}
sql() { sqlite3 "$DB" "$1"; }

# --- November's registrations, in windows-1252 (\311 É, \316 Î): Benoît by
# his NIR, Zoé by name and birth date, an unknown person, a line whose date
# is impossible, Claire last.
printf '%b\r\n' \
	'180056938112357;1111111A111;DUPONT;BENO\316T;17/05/1980;06/11/2017;1;CAT 1;180056938112357' \
	';;MARTIN;ZO\311;28/02/1990;02/11/2017;;;' \
	';2222222B222;INCONNU;PERSONNE;01/01/1985;02/11/2017;;;' \
	';;DUPONT;CLAIRE;03/11/1982;31/11/2017;;;' \
	';;Dupont;Claire;03/11/1982;03/11/2017;;;' >"$WORK/inscriptions-2017-11.csv"
expect_pc 1 import-ft "$WORK/inscriptions-2017-11.csv"
expect_last "created 3, updated 0, unchanged 0, rejected 1"
expect_out "movement (registered): created 3, updated 0, unchanged 0, rejected 1, unmatched 1"
expect_err_line "line 3:" "2222222B222" "unmatched"
expect_err_line "line 4:" "DUPONT CLAIRE" "date" "31/11/2017"
expect_periods p-benoit "2017-11-06  registered  1 - CAT 1"
expect_periods p-zoe "2017-11-02  registered  "
expect_periods p-claire "2017-11-03  registered  "
[ "$(sql "SELECT france_travail_id FROM person WHERE id = 'p-benoit'")" = 1111111A111 ] ||
	fail "Benoît's France Travail id was not filled in"
[ "$(sql "SELECT kind || ' ' || line || ' ' || identifier || ' ' || COALESCE(field, '-') FROM ft_import_rejection ORDER BY seq")" = "unmatched 3 2222222B222 -
rejected 4 DUPONT CLAIRE 03/11/1982 date" ] || fail "the report does not keep the unmatched and rejected lines"
[ "$(sql "SELECT status || ' ' || encoding || ' ' || lines FROM ft_import")" = "done windows-1252 5" ] ||
	fail "the report row: $(sql 'SELECT * FROM ft_import')"

# --- The same file again: nothing changes (the bad line is still bad).
pc export >"$WORK/before"
expect_pc 1 import-ft "$WORK/inscriptions-2017-11.csv"
expect_last "created 0, updated 0, unchanged 3, rejected 1"
pc export | cmp -s "$WORK/before" - || fail "re-importing the same file changed the database"

# --- December's cessations: Benoît's registration ends the day before.
printf '%s\n' ';1111111A111;DUPONT;BENOIT;17/05/1980;15/12/2017;31;REPRISE EMPLOI;' \
	>"$WORK/cessations-2017-12.csv"
expect_pc 0 import-ft "$WORK/cessations-2017-12.csv"
expect_last "created 1, updated 0, unchanged 0, rejected 0"
expect_periods p-benoit "2017-11-06 2017-12-14 registered  1 - CAT 1
2017-12-15  ceased  31 - REPRISE EMPLOI"
# A name that says nothing needs --state.
cp "$WORK/cessations-2017-12.csv" "$WORK/liste.csv"
expect_pc 1 import-ft "$WORK/liste.csv"
expect_err "préciser --state"
expect_pc 0 import-ft "$WORK/liste.csv" --state ceased
expect_last "created 0, updated 0, unchanged 1, rejected 0"

# --- The monthly extract (UTF-8 with a BOM): Zoé's registration gets its
# category, Eve is new, one line matches nobody.
header='identifiant_unique_de;civilite;nom;prenom;lieu_naissance;code_lieu_naissance;date_naissance;adresse_ligne2;adresse_ligne3;adresse_ligne4;adresse_ligne5;adresse_ligne6;departement;dr;rome_1;appelation_rome_1;rome_2;appelation_rome_2;mrech.axetravailprincipal;mrech.axetravailsecondaire;der_entretien_ppae;der_entretien;inscription;code_motif_inscription;motif_inscription;categorie_inscription;struct_principale;referent_civilite;referent_nom;referent_prenom;referent_mail;code_safir;modalite_accompagnement;struct_suivi;suivi_debut;suivi_fin_prev;dif_financiere;dif_admin_jur;dif_sante;dif_logement;dif_transport;dif_inser_com;dif_familiale;brsa'
line() { # ID NOM PRENOM NAISSANCE INSCRIPTION CATEGORIE
	printf '%s;MME;%s;%s;LYON;69123;%s 00:00:00.0;NULL;NULL;1 RUE X;NULL;69001 LYON;69;DR;K1303;Aide;NULL;NULL;NULL;NULL;NULL;NULL;%s 00:00:00.0;11;FIN DE CONTRAT;%s;AGENCE;MME;REF;R;r@example.org;69001;RENFORCE;AGENCE;NULL;NULL;NON;NON;NON;NON;OUI;NON;NON;O\r\n' "$@"
}
{
	printf '\357\273\277%s\r\n' "$header"
	line X1 MARTIN 'ZOÉ' 1990-02-28 2017-11-02 1
	line X2 '=cmd|'"'"' /C calc'"'"'!A0' Eve 1975-07-14 2017-12-01 2
	line X3 NOBODY Nobody 1975-07-14 2017-12-01 2
} >"$WORK/extraction-2017-12.csv"
expect_pc 0 import-ft "$WORK/extraction-2017-12.csv"
expect_last "created 1, updated 1, unchanged 0, rejected 0"
expect_out "principal: created 1, updated 1, unchanged 0, rejected 0, unmatched 1"
expect_periods p-zoe "2017-11-02  registered 1 11 - FIN DE CONTRAT"
expect_periods p-eve "2017-12-01  registered 2 11 - FIN DE CONTRAT"
[ "$(sql "SELECT encoding FROM ft_import ORDER BY id DESC LIMIT 1")" = utf-8 ] || fail "BOM not read"

# --- Usage and failures; one audit entry per run.
expect_pc 2 import-ft
expect_pc 2 import-ft "$WORK/liste.csv" --state gone
expect_pc 2 import-ft "$WORK/liste.csv" --nope
expect_pc 3 import-ft "$WORK/missing.csv"
expect_err "missing.csv"
[ "$(sql "SELECT COUNT(*) FROM audit WHERE action = 'import-ft'")" = 7 ] ||
	fail "expected one audit entry per run: $(sql "SELECT COUNT(*) FROM audit WHERE action = 'import-ft'")"

# --- The exchange format: france_travail_period out and back in.
pc export >"$WORK/all.jsonl"
grep -q '"type":"france_travail_period"' "$WORK/all.jsonl" || fail "no france_travail_period exported"
DB="$WORK/copy.db"
pc import "$WORK/all.jsonl" >/dev/null || fail "the export did not import"
pc export | cmp -s "$WORK/all.jsonl" - || fail "import then export changed the records"
