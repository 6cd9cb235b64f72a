# bench/web.sh — measure 5 of bench/run.sh (sourced): pages under wrk on
# the demo territory at its default size, each against a static file served
# by the same server in the same run: the person file (issue 2), the
# référent's caseload page and their people search (issue 3).
# See docs/bench.md §5.

echo "5. Pages under wrk: $CONNECTIONS connections, 2 threads, ${SECONDS_PER_RUN}s per run" \
     "(after a 2 s warm-up) — baseline: a static file"
DEMO_ARGS=()
[ -n "$WEB_HOUSEHOLDS" ] && DEMO_ARGS=(--households "$WEB_HOUSEHOLDS")
"$P" --db "$TMP/demo.db" demo "${DEMO_ARGS[@]}" >"$TMP/demo.out"
echo "database: $(sed -n 's/^demo territory loaded: \([0-9]*\) records.*/\1/p' "$TMP/demo.out") records" \
     "($(sqlite3 "$TMP/demo.db" "SELECT count(*) FROM household") households), PARCOURS_TODAY=2017-12-31"
start_server "$TMP/demo.db"
ADMIN=$(sign_in admin@demo.parcours.fr "$TMP/admin.jar")
REFERENT=$(sign_in referent@demo.parcours.fr "$TMP/referent.jar")
[ -n "$ADMIN" ] && [ -n "$REFERENT" ] || fail "could not sign in"

# The person file, as admin: every 40th person, spread over the households.
sqlite3 "$TMP/demo.db" "SELECT id FROM person WHERE rowid % 40 = 0 ORDER BY rowid" >"$TMP/ids.txt"
FIRST_ID=$(head -1 "$TMP/ids.txt")
[ "$(http_code -H "Cookie: $ADMIN" "$BASE/people/$FIRST_ID")" = 200 ] ||
	fail "/people/$FIRST_ID answers $(http_code -H "Cookie: $ADMIN" "$BASE/people/$FIRST_ID")"

# The référent's caseload, and their search: a last name of a person they
# follow, drawn at random for each request.
json_total() { sed -n 's/.*"total": *\([0-9]*\).*/\1/p'; }
CASELOAD=$(curl -sf -H "Cookie: $REFERENT" -H 'Accept: application/json' "$BASE/portfolio" | json_total)
[ "$(http_code -H "Cookie: $REFERENT" "$BASE/portfolio")" = 200 ] || fail "/portfolio does not answer 200"
curl -sf -H "Cookie: $REFERENT" "$BASE/portfolio?format=csv" |
	tail -n +2 | cut -d';' -f1 | sort -u >"$TMP/names.txt"
SEARCH_HITS=$(curl -sf -G -H "Cookie: $REFERENT" -H 'Accept: application/json' \
	--data-urlencode "q=$(head -1 "$TMP/names.txt")" "$BASE/people" | json_total)
[ "${SEARCH_HITS:-0}" -gt 0 ] || fail "/people?q=$(head -1 "$TMP/names.txt") finds nobody"

STATIC=/static/app.css
[ -f "static${STATIC#/static}" ] || STATIC=/static/dsfr/dsfr.min.css
wrk_list_script "$TMP/list.lua"
audited() { sqlite3 "$TMP/demo.db" "SELECT count(*) FROM audit WHERE action = 'person.read'"; }

run_wrk static "$BASE$STATIC"
export BENCH_LIST="$TMP/ids.txt" BENCH_PREFIX=/people/ BENCH_ENCODE=0
warm_wrk -s "$TMP/list.lua" -H "Cookie: $ADMIN" "$BASE/"
AUDIT0=$(audited)
timed_wrk person -s "$TMP/list.lua" -H "Cookie: $ADMIN" "$BASE/"
AUDIT1=$(audited)
run_wrk portfolio -H "Cookie: $REFERENT" "$BASE/portfolio"
export BENCH_LIST="$TMP/names.txt" BENCH_PREFIX="/people?q=" BENCH_ENCODE=1
run_wrk search -s "$TMP/list.lua" -H "Cookie: $REFERENT" "$BASE/"
run_wrk static2 "$BASE$STATIC"
stop_server

STATIC_RATE=$(median "$(wrk_rate static)" "$(wrk_rate static2)")
wrk_header
wrk_row static "baseline: GET $STATIC (first)"
wrk_row person "person file /people/{id} (admin)"
wrk_row portfolio "caseload /portfolio (referent, $CASELOAD)"
wrk_row search "search /people?q=NAME (referent)"
wrk_row static2 "baseline: GET $STATIC (last)"
echo "(static rate used for the ratios: the lower of the two baseline runs, $STATIC_RATE req/s)"
echo "ratio person file / static:    $(div "$(wrk_rate person)" "$STATIC_RATE")   (issue 2 target: at least 0.20)"
echo "ratio caseload page / static:  $(div "$(wrk_rate portfolio)" "$STATIC_RATE")"
echo "ratio people search / static:  $(div "$(wrk_rate search)" "$STATIC_RATE")"
echo "person.read audit entries written during the timed person-file run: $((AUDIT1 - AUDIT0))" \
     "(one per read, by design)"
echo "caseload: $CASELOAD people followed by referent@demo.parcours.fr, page 1 of the listing;" \
     "search: $(wc -l <"$TMP/names.txt") last names of those people"
line
