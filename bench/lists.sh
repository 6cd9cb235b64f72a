# bench/lists.sh — measure 4 of bench/run.sh (sourced): the beneficiary-list
# import (import-list) of a generated list (bench/list_gen.c) as XLSX, the
# common case, and the same list as CSV, against sqlite3's .import of the
# CSV into a plain table; peak RSS at a tenth of the size and at the full
# size; the same file again; the preview. See docs/bench.md §4.

LIST_SMALL=$((LIST_LINES / 10))
echo "4. Beneficiary-list import (import-list), $LIST_LINES and $LIST_SMALL generated lines, XLSX and CSV" \
     "— baseline: sqlite3 .import of the CSV"

# The database: the schema, the demo's territories and organisations (the
# list's importer is one), nothing else: every line is a new person.
demo_records territory,organisation "$TMP/organisations.jsonl"
"$P" --db "$TMP/list-base.db" import "$TMP/organisations.jsonl" >/dev/null
ORG=$(sqlite3 "$TMP/list-base.db" "SELECT id FROM organisation ORDER BY id LIMIT 1")
MAP="N° allocataire=caf_number,Civilité=sex,Nom=last_name,Prénom=first_name"
MAP="$MAP,Date de naissance=birth_date,NIR=nir,Téléphone=phone,Adresse=address"
MAP="$MAP,Code INSEE=commune,Courriel=email,Observations="
for n in "$LIST_SMALL" "$LIST_LINES"; do
	"$TMP/list_gen" csv "$n" >"$TMP/list-$n.csv"
	"$TMP/list_gen" xlsx "$n" "$TMP/list-$n.xlsx"
done
echo "files: $LIST_LINES lines $(file_mib "$TMP/list-$LIST_LINES.xlsx") MiB XLSX," \
     "$(file_mib "$TMP/list-$LIST_LINES.csv") MiB CSV (11 columns, 10 mapped;" \
     "XLSX: shared strings, dates and numbers as a spreadsheet saves them; CSV: ;, CRLF, windows-1252)"

# list_import NAME FORMAT N TOTALS [ARGS...]: import-list of the N-line
# file into list.db, with the bench's mapping (ARGS: --map to give it).
list_import() {
	local name=$1 format=$2 n=$3 want=$4
	shift 4
	timed_import "$name" "$want" "$P" --db "$TMP/list.db" import-list "$TMP/list-$n.$format" \
		--organisation "$ORG" --mapping bench "$@"
}
# Runs taking turns: the baseline, then each format into a fresh database
# (at the full size: then the same file again, with the saved mapping, into
# the database it has just filled), then the preview (nothing written).
for n in "$LIST_SMALL" "$LIST_LINES"; do
	for i in $(seq 1 "$RUNS"); do
		csv_load "list-sqlite-$n-$i" "$TMP/list-$n.csv" "$n"
		for format in csv xlsx; do
			copy_db "$TMP/list-base.db" "$TMP/list.db"
			list_import "list-$format-$n-$i" "$format" "$n" \
				"created $n, updated 0, unchanged 0, rejected 0" --map "$MAP"
			[ "$n" = "$LIST_LINES" ] || continue
			list_import "list-$format-again-$i" "$format" "$n" \
				"created 0, updated 0, unchanged $n, rejected 0"
		done
		[ "$n" = "$LIST_LINES" ] || continue
		copy_db "$TMP/list-base.db" "$TMP/list.db"
		list_import "list-preview-$i" xlsx "$n" "created $n, updated 0, unchanged 0, rejected 0" \
			--map "$MAP" --preview
	done
	stat_median "list-sqlite-$n-" "list-sqlite-$n"
	for format in csv xlsx; do stat_median "list-$format-$n-" "list-$format-$n"; done
done
for format in csv xlsx; do stat_median "list-$format-again-" "list-$format-again"; done
stat_median list-preview- list-preview

import_header
for n in "$LIST_SMALL" "$LIST_LINES"; do
	import_row "list-sqlite-$n" "$n" "baseline: sqlite3 .import of the CSV, $n"
	for format in csv xlsx; do
		import_row "list-$format-$n" "$n" "parcours import-list $format, $n (all created)"
	done
done
for format in csv xlsx; do
	import_row "list-$format-again" "$LIST_LINES" "the same $format again, $LIST_LINES (all unchanged)"
done
import_row list-preview "$LIST_LINES" "preview of the xlsx, $LIST_LINES (nothing written)"
for n in "$LIST_SMALL" "$LIST_LINES"; do
	for format in xlsx csv; do
		ratio_line "import-list $format / sqlite3 .import, $n lines" "list-$format-$n" "list-sqlite-$n"
	done
done
for format in xlsx csv; do
	ratio_line "same $format again / sqlite3 .import, $LIST_LINES lines" "list-$format-again" \
		"list-sqlite-$LIST_LINES"
done
ratio_line "xlsx / csv through import-list, $LIST_LINES lines, first import" "list-xlsx-$LIST_LINES" \
	"list-csv-$LIST_LINES"
ratio_line "xlsx / csv through import-list, $LIST_LINES lines, again" list-xlsx-again list-csv-again
echo "peak RSS of import-list xlsx: $(mib "$(stat_field "list-xlsx-$LIST_SMALL" 4)") MiB for $LIST_SMALL lines," \
     "$(mib "$(stat_field "list-xlsx-$LIST_LINES" 4)") MiB for $LIST_LINES; csv:" \
     "$(mib "$(stat_field "list-csv-$LIST_SMALL" 4)") and $(mib "$(stat_field "list-csv-$LIST_LINES" 4)") MiB;" \
     "preview of the xlsx (nothing written): $(mib "$(stat_field list-preview 4)") MiB"

fresh_db "$TMP/list.db"
fresh_db "$TMP/list-base.db"
rm -f "$TMP"/list-*.csv "$TMP"/list-*.xlsx
line
