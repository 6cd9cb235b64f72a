# bench/caf.sh — measure 2 of bench/run.sh (sourced): the CAF flux import
# (issue 3) of generated households (bench/caf_gen.c), against
# `xmllint --stream --noout` on the same file (the parse alone); peak RSS at
# a tenth of the size and at the full size; the re-import of the same file.
# See docs/bench.md §2.

SMALL=$((CAF_HOUSEHOLDS / 10))
echo "2. CAF flux import (import-caf), $CAF_HOUSEHOLDS and $SMALL generated households" \
     "— baseline: xmllint --stream --noout, same file"

# The database the flux goes into: the schema and the demo's 11 territories
# (so that each household's commune finds its territory, as in production),
# nothing else: every household of the flux is new.
demo_records territory "$TMP/territories.jsonl"
"$P" --db "$TMP/caf-base.db" import "$TMP/territories.jsonl" >/dev/null
caf_db() { copy_db "$TMP/caf-base.db" "$TMP/caf.db"; } # a fresh copy of the base in caf.db

for n in "$SMALL" "$CAF_HOUSEHOLDS"; do
	"$TMP/caf_gen" "$n" 2017-12-31 >"$TMP/flux-$n.xml"
done
echo "files: $SMALL households $(du -m "$TMP/flux-$SMALL.xml" | cut -f1) MiB," \
     "$CAF_HOUSEHOLDS households $(du -m "$TMP/flux-$CAF_HOUSEHOLDS.xml" | cut -f1) MiB" \
     "(windows-1252, 1-2 adults with resources, 0-3 children, DTREF 2017-12-31)"

# caf_import NAME N: import-caf of the N-household flux into caf.db; the
# totals (last line) must say that every household was taken.
caf_import() {
	timed "$1" "$P" --db "$TMP/caf.db" import-caf "$TMP/flux-$2.xml" >"$TMP/$1.out" 2>"$TMP/$1.err" ||
		{ tail -5 "$TMP/$1.err" >&2; fail "import-caf $2 failed"; }
	tail -1 "$TMP/$1.out" | grep -q ', rejected 0$' || fail "import-caf $2: $(tail -1 "$TMP/$1.out")"
}
for n in "$SMALL" "$CAF_HOUSEHOLDS"; do
	for i in $(seq 1 "$RUNS"); do timed "xmllint-$n-$i" xmllint --stream --noout "$TMP/flux-$n.xml"; done
	stat_ok $(for i in $(seq 1 "$RUNS"); do echo "xmllint-$n-$i"; done)
done
caf_db
caf_import "caf-$SMALL" "$SMALL"
caf_db
caf_import "caf-$CAF_HOUSEHOLDS" "$CAF_HOUSEHOLDS"
grep -q "created $CAF_HOUSEHOLDS," "$TMP/caf-$CAF_HOUSEHOLDS.out" || fail "import-caf did not create every household"
caf_import "caf-again" "$CAF_HOUSEHOLDS"
grep -q "unchanged $CAF_HOUSEHOLDS," "$TMP/caf-again.out" || fail "the re-import changed households"

printf '%-40s %8s %8s %12s %9s\n' "" "wall s" "cpu s" "households/s" "peak RSS"
caf_row() { # caf_row STAT HOUSEHOLDS LABEL
	printf '%-40s %8.2f %8.2f %12s %5s MiB\n' "$3" "$(stat_field "$1" 1)" "$(stat_cpu "$1")" \
		"$(rate "$2" "$(stat_field "$1" 1)")" "$(mib "$(stat_field "$1" 4)")"
}
declare -A XWALL XCPU
for n in "$SMALL" "$CAF_HOUSEHOLDS"; do
	medians "xmllint-$n-" "$RUNS"
	XWALL[$n]=$M_WALL XCPU[$n]=$M_CPU
	printf '%-40s %8.2f %8.2f %12s %5s MiB  (median of %s)\n' "baseline: xmllint --stream, $n" \
		"$M_WALL" "$M_CPU" "$(rate "$n" "$M_WALL")" "$(mib "$M_RSS")" "$RUNS"
	caf_row "caf-$n" "$n" "parcours import-caf, $n (all new)"
done
caf_row caf-again "$CAF_HOUSEHOLDS" "re-import, $CAF_HOUSEHOLDS (all unchanged)"
for n in "$SMALL" "$CAF_HOUSEHOLDS"; do
	echo "ratio import-caf / xmllint, $n households: $(div "$(stat_field "caf-$n" 1)" "${XWALL[$n]}")x wall," \
	     "$(div "$(stat_cpu "caf-$n")" "${XCPU[$n]}")x cpu   (issue 3 target: within 2x)"
done
echo "ratio re-import / xmllint, $CAF_HOUSEHOLDS households:" \
     "$(div "$(stat_field caf-again 1)" "${XWALL[$CAF_HOUSEHOLDS]}")x wall," \
     "$(div "$(stat_cpu caf-again)" "${XCPU[$CAF_HOUSEHOLDS]}")x cpu"
echo "peak RSS of import-caf: $(mib "$(stat_field "caf-$SMALL" 4)") MiB for $SMALL households," \
     "$(mib "$(stat_field "caf-$CAF_HOUSEHOLDS" 4)") MiB for $CAF_HOUSEHOLDS (target: no growth with the file)"

fresh_db "$TMP/caf.db"
fresh_db "$TMP/caf-base.db"
rm -f "$TMP"/flux-*.xml
line
