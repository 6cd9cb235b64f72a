# bench/ft.sh — measure 3 of bench/run.sh (sourced): the France Travail
# movement-file import (import-ft) of generated lines (bench/ft_gen.c) about
# people loaded first, against sqlite3's .import of the same file into a
# plain table (the floor of parsing and inserting a CSV line); peak RSS at
# a tenth of the size and at the full size; the same file again; the
# cessations of the same people. See docs/bench.md §3.

FT_SMALL=$((FT_LINES / 10))
echo "3. France Travail import (import-ft), $FT_LINES and $FT_SMALL generated movement lines" \
     "— baseline: sqlite3 .import, same file"

# The database: the schema, the demo's territories and the people of the
# full file (one household each), loaded through the JSONL import. Both files
# go into a fresh copy of it, so that the two peak RSS differ by the file
# only (the page cache, up to 16 MiB, fills with the database's pages).
demo_records territory "$TMP/territories.jsonl"
"$TMP/ft_gen" people "$FT_LINES" >"$TMP/ft-people.jsonl"
fresh_db "$TMP/ft-base.db"
"$P" --db "$TMP/ft-base.db" import "$TMP/territories.jsonl" >/dev/null
timed ft-load "$P" --db "$TMP/ft-base.db" import "$TMP/ft-people.jsonl" >/dev/null
stat_ok ft-load
for n in "$FT_SMALL" "$FT_LINES"; do
	"$TMP/ft_gen" registered "$n" >"$TMP/inscriptions-$n.csv"
done
"$TMP/ft_gen" ceased "$FT_LINES" >"$TMP/cessations-$FT_LINES.csv"
echo "files: $FT_SMALL lines $(file_mib "$TMP/inscriptions-$FT_SMALL.csv") MiB," \
     "$FT_LINES lines $(file_mib "$TMP/inscriptions-$FT_LINES.csv") MiB (windows-1252, no header," \
     "13 cells; matched 1/2 by France Travail id, 1/4 by NIR, 1/4 by names + birth date)"
echo "database: $FT_LINES people, 1 household each, loaded by parcours import in" \
     "$(stat_field ft-load 1) s ($(file_mib "$TMP/ft-base.db") MiB); each file into a fresh copy"

# The file's name tells the movement (inscriptions → registered), as for
# the files France Travail sends.
ft_import() { # ft_import NAME FILE TOTALS
	timed_import "$1" "$3" "$P" --db "$TMP/ft.db" import-ft "$2"
	grep -q ', unmatched 0$' "$TMP/$1.out" || fail "$1: $(head -1 "$TMP/$1.out")"
}
# Runs taking turns: the baseline, then the import into a fresh copy of the
# database (at the full size: then the same file again, then the cessations).
for n in "$FT_SMALL" "$FT_LINES"; do
	for i in $(seq 1 "$RUNS"); do
		csv_load "ft-sqlite-$n-$i" "$TMP/inscriptions-$n.csv" "$n" \
			"CREATE TABLE t (nir, identifiantpe, nom, prenom, dtnai, date, code, motif, nir2,
			 codeinsee, localite, adresse, ale)"
		copy_db "$TMP/ft-base.db" "$TMP/ft.db"
		ft_import "ft-$n-$i" "$TMP/inscriptions-$n.csv" "created $n, updated 0, unchanged 0, rejected 0"
		[ "$n" = "$FT_LINES" ] || continue
		ft_import "ft-again-$i" "$TMP/inscriptions-$n.csv" "created 0, updated 0, unchanged $n, rejected 0"
		ft_import "ft-ceased-$i" "$TMP/cessations-$n.csv" "created $n, updated 0, unchanged 0, rejected 0"
	done
	stat_median "ft-sqlite-$n-" "ft-sqlite-$n"
	stat_median "ft-$n-" "ft-$n"
done
stat_median ft-again- ft-again
stat_median ft-ceased- ft-ceased

import_header
for n in "$FT_SMALL" "$FT_LINES"; do
	import_row "ft-sqlite-$n" "$n" "baseline: sqlite3 .import, $n"
	import_row "ft-$n" "$n" "parcours import-ft, $n (all created)"
done
import_row ft-again "$FT_LINES" "the same file again, $FT_LINES (all unchanged)"
import_row ft-ceased "$FT_LINES" "cessations, $FT_LINES (each ends one, opens one)"
for n in "$FT_SMALL" "$FT_LINES"; do
	ratio_line "import-ft / sqlite3 .import, $n lines" "ft-$n" "ft-sqlite-$n"
done
ratio_line "same file again / sqlite3 .import, $FT_LINES lines" ft-again "ft-sqlite-$FT_LINES"
ratio_line "cessations / sqlite3 .import, $FT_LINES lines" ft-ceased "ft-sqlite-$FT_LINES"
echo "peak RSS of import-ft: $(mib "$(stat_field "ft-$FT_SMALL" 4)") MiB for $FT_SMALL lines," \
     "$(mib "$(stat_field "ft-$FT_LINES" 4)") MiB for $FT_LINES (target: no growth with the file)"

fresh_db "$TMP/ft.db"
fresh_db "$TMP/ft-base.db"
rm -f "$TMP"/inscriptions-*.csv "$TMP"/cessations-*.csv "$TMP/ft-people.jsonl"
line
