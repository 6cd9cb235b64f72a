#!/bin/sh
# CLI basics: init (once), user add/list/passwd/disable/token, usage errors,
# migrate, backup and the documented restore (copy the file back while the
# server is stopped).
. "$(dirname "$0")/lib.sh"

# init on an empty database, then refused a second time.
expect_pc 0 init --organisation-name "Métropole de test" --admin admin@test.fr \
	--first-name Ada --last-name Admin --password-file "$WORK/pw"
expect_out "admin@test.fr"
expect_pc 1 init --organisation-name "Autre" --admin other@test.fr \
	--first-name O --last-name Other --password-file "$WORK/pw"
expect_err "already"
[ "$(pc user list | grep -c .)" = 1 ] || fail "a refused init created an account"

# Usage errors: exit status 2.
expect_pc 2
expect_pc 2 no-such-command
expect_pc 2 init --organisation-name X
expect_pc 2 user
expect_pc 2 user add someone@test.fr --role referent
expect_pc 2 user add someone@test.fr --organisation org-1 --role referent --first-name A \
	--last-name B --bogus-option
expect_pc 2 user disable
expect_pc 2 user token
expect_pc 2 import
expect_pc 2 export --no-such-option
expect_pc 2 migrate extra-argument
expect_pc 2 backup
# An option where the file name goes is a usage error, not a file named "--help".
expect_pc 2 backup --help
[ ! -e --help ] || fail "backup --help wrote a file"
expect_pc 2 audit
expect_pc 2 serve --port

# migrate prints the schema version.
expect_pc 0 migrate
expect_out "schema version [0-9]"

# user add / list.
expect_pc 0 user add ref@test.fr --organisation org-1 --role referent --first-name René \
	--last-name Référent --password-file "$WORK/pw"
expect_pc 1 user add ref@test.fr --organisation org-1 --role referent --first-name R \
	--last-name Twice --password-file "$WORK/pw"
expect_pc 1 user add nobody@test.fr --organisation no-such-org --role referent --first-name N \
	--last-name Body --password-file "$WORK/pw"
expect_pc 1 user add bad@test.fr --organisation org-1 --role emperor --first-name B \
	--last-name Ad --password-file "$WORK/pw"
expect_pc 0 user list
expect_out "ref@test.fr"
expect_out "referent"
grep "ref@test.fr" "$WORK/out" | grep -q active || fail "a new account should be listed as active"
[ "$(grep -c . "$WORK/out")" = 2 ] || fail "user list: expected 2 accounts: $(cat "$WORK/out")"
grep -q "nobody@test.fr\|bad@test.fr" "$WORK/out" && fail "a refused account was created"

# user token: a bearer token that the API accepts.
expect_pc 0 user token ref@test.fr
TOKEN=$(cat "$WORK/out")
[ ${#TOKEN} -ge 32 ] || fail "user token printed '$TOKEN'"
expect_pc 1 user token nobody@test.fr

start_server
api GET /
expect_status 200 "GET / with the bearer token"
expect_json 'd["user"]["email"]' "ref@test.fr"

# user passwd: the new password works, the old one no longer does.
echo "un-autre-mot-de-passe-long" >"$WORK/pw2"
login ref@test.fr
expect_pc 0 user passwd ref@test.fr --password-file "$WORK/pw2"
req GET /
expect_status 303 "the old session after a password change"
expect_pc 1 user passwd nobody@test.fr --password-file "$WORK/pw2"
echo "court" >"$WORK/pw3"
expect_pc 1 user passwd ref@test.fr --password-file "$WORK/pw3"
login ref@test.fr "un-autre-mot-de-passe-long"
rm -f "$JAR"
req GET /login
pre=$(sed -n 's/.*name="prelogin" value="\([0-9a-f]*\)".*/\1/p' "$WORK/body" | head -1)
req POST /login --data-urlencode "email=ref@test.fr" --data-urlencode "password=$PW" \
	--data-urlencode "prelogin=$pre"
expect_status 422 "sign-in with the old password"

# user disable: the account can no longer sign in, its token stops working.
expect_pc 0 user disable ref@test.fr
expect_pc 0 user list
grep "ref@test.fr" "$WORK/out" | grep -q active && fail "a disabled account is listed as active"
api GET /
expect_status 401 "the token of a disabled account"
req GET /login
pre=$(sed -n 's/.*name="prelogin" value="\([0-9a-f]*\)".*/\1/p' "$WORK/body" | head -1)
req POST /login --data-urlencode "email=ref@test.fr" \
	--data-urlencode "password=un-autre-mot-de-passe-long" --data-urlencode "prelogin=$pre"
expect_status 422 "sign-in of a disabled account"
expect_pc 1 user disable nobody@test.fr

# backup FILE: a database that opens and exports the same records.
small_territory
pc export | py "$WORK/norm.py" >"$WORK/before.jsonl"
expect_pc 0 backup "$WORK/backup.db"
[ -s "$WORK/backup.db" ] || fail "backup wrote nothing"
"$PARCOURS" --db "$WORK/backup.db" export | py "$WORK/norm.py" >"$WORK/from-backup.jsonl"
cmp -s "$WORK/before.jsonl" "$WORK/from-backup.jsonl" ||
	fail "the backup does not export the same records: $(diff "$WORK/before.jsonl" "$WORK/from-backup.jsonl" | head -5)"
"$PARCOURS" --db "$WORK/backup.db" audit verify >/dev/null || fail "the backup's audit log does not verify"

# Restore (docs): stop the server, copy the backup over the database, start again.
echo '{"type":"territory","id":"t-later","name":"Après la sauvegarde"}' | import_jsonl >/dev/null
kill "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""
rm -f "$DB-wal" "$DB-shm"
cp "$WORK/backup.db" "$DB"
pc export | py "$WORK/norm.py" >"$WORK/restored.jsonl"
cmp -s "$WORK/before.jsonl" "$WORK/restored.jsonl" || fail "the restored database differs from the backup"
start_server
TOKEN=$(token_for admin@test.fr)
api GET /territories/t-nord
expect_status 200 "a territory after restore"
api GET /territories/t-later
expect_status 404 "a territory imported after the backup, once restored"
echo "0001 ok"
