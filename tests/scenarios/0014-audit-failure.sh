#!/bin/sh
# A person's file (and a household) is shown only when its read is in the
# audit log: when the entry cannot be written, 500 and nothing of the file.
. "$(dirname "$0")/lib.sh"
init_db
export PARCOURS_TODAY=2017-12-31
small_territory
start_server
login admin@test.fr
req GET /people/p-benoit
expect_status 200 "the file while the log works"
# The log refuses new entries (a full disk, a locked file…).
sqlite3 "$DB" "CREATE TRIGGER audit_broken BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'disk full'); END;"
req GET /people/p-benoit
expect_status 500 "the file when its read cannot be logged"
expect_no_body "Benoît"
expect_no_body "180056938112357"
jreq GET /people/p-benoit
expect_status 500 "the file in JSON when its read cannot be logged"
expect_no_body "Dupont"
req GET /households/h-1
expect_status 500 "the household when its read cannot be logged"
expect_no_body "Dupont"
sqlite3 "$DB" "DROP TRIGGER audit_broken"
req GET /people/p-benoit
expect_status 200 "the file once the log works again"
echo "0014 ok"
