# bench/jsonl.sh — measure 1 of bench/run.sh (sourced): the JSONL import of
# HOUSEHOLDS households with their people and right periods, against plain
# sqlite3 loading the same rows (issue 2); and, on its own line, the whole
# demo file (every type of the exchange format). See docs/bench.md §1.

echo "1. JSONL import, $HOUSEHOLDS households (foundation types) — baselines: plain sqlite3, same rows"

# The whole demo, once: `parcours demo` writes its JSONL file (every type:
# two years of paths) and loads it through the ordinary importer.
timed demo "$P" --db "$TMP/demo-big.db" demo --households "$HOUSEHOLDS" >"$TMP/demo-big.out"
stat_ok demo
DEMO_RECORDS=$(sed -n 's/^demo territory loaded: \([0-9]*\) records.*/\1/p' "$TMP/demo-big.out")

# The measured file: the foundation types only, the rows the baselines load.
FOUNDATION=territory,organisation,user,household,person,right_period
"$P" --db "$TMP/demo-big.db" export --types "$FOUNDATION" >"$TMP/all.jsonl"
ROWS=$(wc -l <"$TMP/all.jsonl")
echo "file: $(du -m "$TMP/all.jsonl" | cut -f1) MiB, $ROWS records:" \
     "$(grep -o '^{"type":"[a-z_]*"' "$TMP/all.jsonl" | cut -d'"' -f4 | sort | uniq -c |
	awk '{ printf "%s%s %s", sep, $1, $2; sep = ", " }')"

# The first timed run also produces the database whose rows the baselines
# load: the very values parcours stored (search keys included).
parcours_import() { # parcours_import N
	fresh_db "$TMP/imp.db"
	timed "parcours$1" "$P" --db "$TMP/imp.db" import "$TMP/all.jsonl" >/dev/null
}
parcours_import 1
stat_ok parcours1

# The same-shaped schema: the project's own migrations, run on an empty
# file (same tables, columns, indexes, WAL mode). The tables loaded are
# those the import filled and the migrations left empty (so neither the
# audit entry of the import nor the migrations' own rows).
"$P" --db "$TMP/schema.db" migrate >/dev/null
TABLES=
for t in $(sqlite3 "$TMP/imp.db" "SELECT name FROM sqlite_master WHERE type = 'table' AND
		name NOT LIKE 'sqlite_%' AND name <> 'audit' ORDER BY rowid"); do
	if [ "$(sqlite3 "$TMP/imp.db" "SELECT count(*) > 0 FROM \"$t\"")" = 1 ] &&
	   [ "$(sqlite3 "$TMP/schema.db" "SELECT count(*) FROM \"$t\"")" = 0 ]; then
		TABLES="$TABLES $t"
	fi
done
PRAGMAS="PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY;"

# Baseline A: one CSV file per table, loaded by the CLI's .import (one
# prepared INSERT reused per row) in one transaction. CSV cannot say NULL:
# empty foreign-key columns are set back to NULL before the commit (the
# constraints are deferred), other empty optional columns stay ''.
mkdir -p "$TMP/csv"
{
	echo "$PRAGMAS BEGIN IMMEDIATE;"
	for t in $TABLES; do
		sqlite3 -csv "$TMP/imp.db" "SELECT * FROM \"$t\" ORDER BY rowid" >"$TMP/csv/$t.csv"
		echo ".import --csv $TMP/csv/$t.csv $t"
	done
	sqlite3 "$TMP/schema.db" "SELECT 'UPDATE ' || m.name || ' SET \"' || f.\"from\" || '\" = NULL WHERE \"' ||
		f.\"from\" || '\" = '''';' FROM sqlite_master m, pragma_foreign_key_list(m.name) f
		WHERE m.type = 'table' AND m.name IN ('$(echo $TABLES | sed "s/ /','/g")')"
	echo "COMMIT;"
} >"$TMP/load-csv.sql"

# Baseline B: one SQL file of INSERT statements (exact values, NULLs kept),
# in one transaction; the CLI parses each statement.
{
	echo "$PRAGMAS BEGIN IMMEDIATE;"
	for t in $TABLES; do
		printf '.mode insert %s\nSELECT * FROM "%s" ORDER BY rowid;\n' "$t" "$t" | sqlite3 "$TMP/imp.db"
	done
	echo "COMMIT;"
} >"$TMP/load-sql.sql"

sqlite_import() { # sqlite_import csv|sql N
	fresh_db "$TMP/base.db"
	cp "$TMP/schema.db" "$TMP/base.db"
	timed "$1$2" sqlite3 -bail "$TMP/base.db" ".read $TMP/load-$1.sql"
}
counts() { for t in $TABLES; do sqlite3 "$1" "SELECT count(*) FROM \"$t\""; done | tr '\n' ' '; }

# Interleaved, so that a burst of load on the machine hits every contender.
for i in $(seq 1 "$RUNS"); do
	sqlite_import csv "$i"
	sqlite_import sql "$i"
	if [ "$i" -lt "$RUNS" ]; then parcours_import $((i + 1)); fi
done
[ "$(counts "$TMP/imp.db")" = "$(counts "$TMP/base.db")" ] ||
	fail "the baseline did not load the same rows"
for who in parcours csv sql; do
	for i in $(seq 1 "$RUNS"); do stat_ok "$who$i"; done
done

declare -A WALL CPU RSS
printf '%-40s %8s %8s %10s %9s  %s\n' "" "wall s" "cpu s" "rows/s" "peak RSS" "runs (wall s)"
for who in parcours csv sql; do
	medians "$who" "$RUNS"
	WALL[$who]=$M_WALL CPU[$who]=$M_CPU RSS[$who]=$M_RSS
	case $who in
	parcours) label="parcours import (JSONL)" ;;
	csv) label="baseline A: sqlite3 .import CSV" ;;
	sql) label="baseline B: sqlite3 INSERT file" ;;
	esac
	printf '%-40s %8.2f %8.2f %10s %5d MiB  %s\n' "$label" "$M_WALL" "$M_CPU" \
		"$(rate "$ROWS" "$M_WALL")" $((M_RSS / 1024)) "$M_WALLS"
done
echo "(medians of $RUNS runs; rows = $ROWS exchange records, the same rows in every contender:$TABLES)"
echo "ratio parcours / baseline A (CSV .import):   $(div "${WALL[parcours]}" "${WALL[csv]}")x wall," \
     "$(div "${CPU[parcours]}" "${CPU[csv]}")x cpu   (issue 2 target: within 3x)"
echo "ratio parcours / baseline B (INSERT file):   $(div "${WALL[parcours]}" "${WALL[sql]}")x wall," \
     "$(div "${CPU[parcours]}" "${CPU[sql]}")x cpu"
echo "whole demo file, not comparable with the above (all types, two years of paths; generation included):"
printf '  %-38s %8.2f %8.2f %10s %5d MiB  (%s records)\n' "parcours demo (write + import)" \
	"$(stat_field demo 1)" "$(stat_cpu demo)" "$(rate "$DEMO_RECORDS" "$(stat_field demo 1)")" \
	$(($(stat_field demo 4) / 1024)) "$DEMO_RECORDS"

fresh_db "$TMP/imp.db"
fresh_db "$TMP/base.db"
fresh_db "$TMP/demo-big.db"
rm -rf "$TMP/csv" "$TMP"/load-*.sql "$TMP/all.jsonl"
line
