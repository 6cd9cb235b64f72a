#!/bin/sh
# The audit log: `audit verify` passes after activity and finds an altered
# or a removed entry; the log refuses UPDATE and DELETE; admins read it at
# /audit (page and JSON, with filters); others may not.
. "$(dirname "$0")/lib.sh"
init_db
export PARCOURS_TODAY=2017-12-31
small_territory
add_user oo@test.fr orientation_officer org-nord
start_server

# Some activity: sign-ins (one failed), reads, a denial, an edit, an export.
login oo@test.fr
jreq GET /people/p-benoit
jreq GET /people/p-zoe
expect_status 404 "oo: p-zoe"
jreq GET /people/p-benoit/edit
v=$(json 'd["version"]')
req POST /people/p-benoit/edit --data-urlencode "csrf=$CSRF" --data-urlencode "version=$v" \
	--data-urlencode "first_name=Benoît" --data-urlencode "last_name=Dupont" \
	--data-urlencode "birth_date=1980-05-17" --data-urlencode "sex=M" \
	--data-urlencode "nir=180056938112357" --data-urlencode "phone=06 00 00 00 00"
expect_status 303 "an edit"
req GET /users
expect_status 403 "oo: /users"
rm -f "$JAR"
req GET /login
pre=$(sed -n 's/.*name="prelogin" value="\([0-9a-f]*\)".*/\1/p' "$WORK/body" | head -1)
req POST /login --data-urlencode "email=oo@test.fr" --data-urlencode "password=wrong-password" \
	--data-urlencode "prelogin=$pre"
expect_status 422 "a failed sign-in"
pc export >/dev/null

expect_pc 0 audit verify
expect_out "intact"
n=$(pc audit list | grep -c .)
[ "$n" -ge 10 ] || fail "expected at least 10 audit entries, got $n"
pc audit list >"$WORK/all"
oo_id=$(pc user list | awk -F'\t' '$2 == "oo@test.fr" {print $1}')
for action in init import user.add login login.failed person.read person.denied update denied export; do
	grep -q "	$action	" "$WORK/all" || fail "no '$action' entry in the audit log: $(cat "$WORK/all")"
done
grep "	person.read	" "$WORK/all" | grep -q "$oo_id" || fail "person.read does not name the reader"
grep "	person.read	" "$WORK/all" | grep -q "127.0.0.1" || fail "person.read does not name the address"
# Filters of the command line.
pc audit list --person p-zoe >"$WORK/zoe"
[ "$(grep -c . "$WORK/zoe")" = 1 ] && grep -q "person.denied" "$WORK/zoe" ||
	fail "audit list --person p-zoe: $(cat "$WORK/zoe")"
pc audit list --user oo@test.fr >"$WORK/oo"
grep -v "	$oo_id	" "$WORK/oo" | grep -q . && fail "audit list --user lists other actors' entries"
expect_pc 1 audit list --user nobody@test.fr

# The triggers refuse UPDATE and DELETE.
sqlite3 "$DB" "UPDATE audit SET detail = 'x' WHERE seq = 2" 2>/dev/null &&
	fail "UPDATE on the audit log was accepted"
sqlite3 "$DB" "DELETE FROM audit WHERE seq = 2" 2>/dev/null &&
	fail "DELETE on the audit log was accepted"
expect_pc 0 audit verify

# Tampering, on copies: an altered entry 2 …
pc backup "$WORK/altered.db" >/dev/null
sqlite3 "$WORK/altered.db" "DROP TRIGGER audit_no_update; UPDATE audit SET detail = 'x' WHERE seq = 2;"
set +e
"$PARCOURS" --db "$WORK/altered.db" audit verify >"$WORK/out" 2>"$WORK/err"
rc=$?
set -e
[ "$rc" = 1 ] || fail "audit verify on an altered log: exit $rc, expected 1: $(cat "$WORK/out" "$WORK/err")"
grep -q "entry 2\b" "$WORK/out" "$WORK/err" || fail "audit verify does not name entry 2: $(cat "$WORK/out" "$WORK/err")"
# … an altered actor (who did it) …
pc backup "$WORK/actor.db" >/dev/null
sqlite3 "$WORK/actor.db" "DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'someone-else' WHERE seq = 5;"
set +e
"$PARCOURS" --db "$WORK/actor.db" audit verify >"$WORK/out" 2>&1
rc=$?
set -e
[ "$rc" = 1 ] && grep -q "entry 5\b" "$WORK/out" || fail "an altered actor is not found: exit $rc, $(cat "$WORK/out")"
# … an entry rewritten with a recomputed hash of its own still breaks the chain …
pc backup "$WORK/rehashed.db" >/dev/null
sqlite3 "$WORK/rehashed.db" "DROP TRIGGER audit_no_update; UPDATE audit SET hash = (SELECT hash FROM audit WHERE seq = 4) WHERE seq = 3;"
set +e
"$PARCOURS" --db "$WORK/rehashed.db" audit verify >"$WORK/out" 2>&1
rc=$?
set -e
[ "$rc" = 1 ] || fail "a replaced hash is not found: $(cat "$WORK/out")"
# … and a removed entry.
pc backup "$WORK/removed.db" >/dev/null
sqlite3 "$WORK/removed.db" "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 3;"
set +e
"$PARCOURS" --db "$WORK/removed.db" audit verify >"$WORK/out" 2>"$WORK/err"
rc=$?
set -e
[ "$rc" = 1 ] || fail "audit verify on a log with a removed entry: exit $rc: $(cat "$WORK/out" "$WORK/err")"
grep -q "entry 3 is missing" "$WORK/out" || fail "audit verify does not report entry 3 missing: $(cat "$WORK/out" "$WORK/err")"
# The real log is untouched.
expect_pc 0 audit verify

# The page and the JSON API, for the admin.
login admin@test.fr
req GET /audit
expect_status 200 "the audit page"
expect_body "Journal d'audit"
expect_body "person.read\|Consultation"
jreq GET /audit
expect_status 200 "the audit log (JSON)"
total=$(json 'd["total"]')
[ "$total" -ge 10 ] || fail "/audit total is $total"
expect_json '{"action", "actor", "address", "at", "seq"} <= set(d["rows"][0])' "true"
expect_json 'd["rows"][0]["seq"] > d["rows"][-1]["seq"]' "true"
jreq GET "/audit?person=p-zoe"
expect_json '[r["action"] for r in d["rows"]]' '["person.denied"]'
jreq GET "/audit?action=person.read"
expect_json 'all(r["action"] == "person.read" for r in d["rows"]) and len(d["rows"]) >= 1' "true"
jreq GET "/audit?actor=$oo_id"
expect_json 'all(r["actor"] == "'"$oo_id"'" for r in d["rows"]) and len(d["rows"]) >= 3' "true"
# Pages of 50: page 2 exists once there are more than 50 entries.
# 45 reads of a file, 8 at a time (the server's threads append to the
# chain concurrently), make 45 more entries, and the chain holds.
before=$(pc audit list | grep -c .)
curl -s -Z --parallel-max 8 -b "$JAR" -H "Accept: application/json" -o "$WORK/read#1" \
	-w '%{http_code}\n' "$BASE/people/p-benoit?n=[1-45]" >"$WORK/codes"
[ "$(grep -c '^200$' "$WORK/codes")" = 45 ] || fail "parallel reads: $(sort "$WORK/codes" | uniq -c)"
after=$(pc audit list | grep -c .)
[ $((after - before)) = 45 ] || fail "45 parallel reads made $((after - before)) audit entries"
expect_pc 0 audit verify
jreq GET /audit
[ "$(json 'd["total"]')" -gt 50 ] || fail "expected more than 50 entries: $(json 'd["total"]')"
expect_json 'd["pages"] >= 2 and len(d["rows"]) == 50' "true"
jreq GET /audit?page=2
expect_json 'len(d["rows"]) >= 1 and d["page"] == 2' "true"
# Reading the log is not for others.
login oo@test.fr
jreq GET /audit
expect_status 403 "oo: /audit"
echo "0008 ok"
