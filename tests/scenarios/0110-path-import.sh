#!/bin/sh
# The path's records through the exchange format: a file with every path
# type imports, exports back the same records, and imports again without a
# change; an update replaces; removing a record that others reference is
# refused; one file may carry several bad records, all reported, nothing
# written.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/path-lib.sh"
init_db
export PARCOURS_TODAY=2017-12-31
path_base
path_file
TYPES=orientation,referent_assignment,diagnostic,contract,appointment,collective_session,attendance,survey_response,step,instance,instance_member,sitting,case_review

expect_pc 0 import "$WORK/path.jsonl"
expect_out "imported 35 record"
py "$WORK/norm.py" <"$WORK/path.jsonl" >"$WORK/expected"
export_sorted --types "$TYPES" >"$WORK/exported"
cmp -s "$WORK/expected" "$WORK/exported" ||
	fail "export differs from the input: $(diff "$WORK/expected" "$WORK/exported" | head -10)"
# Every type of the path is in the export, in the order of exchange-format.md.
pc export --types "$TYPES" | py -c '
import json, sys
order = sys.argv[1].split(",")
seen = [json.loads(l)["type"] for l in sys.stdin if l.strip()]
firsts = [t for i, t in enumerate(seen) if t not in seen[:i]]
sys.exit(firsts != order)' "$TYPES" || fail "export misses a path type or breaks the type order"

# The same file again: the same records.
expect_pc 0 import "$WORK/path.jsonl"
export_sorted --types "$TYPES" >"$WORK/again"
cmp -s "$WORK/expected" "$WORK/again" || fail "a second import changed the records"

# An update replaces: fields left out become absent.
cat >"$WORK/update.jsonl" <<'JSONL'
{"type":"appointment","id":"ap-1","person":"p-1","organisation":"o-mdm","at":"2016-02-10T09:30:00+01:00","kind":"orientation","status":"excused"}
JSONL
expect_pc 0 import "$WORK/update.jsonl"
pc export --types appointment | grep '"ap-1"' >"$WORK/ap1"
grep -q '"excused"' "$WORK/ap1" && ! grep -q referent "$WORK/ap1" || fail "update did not replace: $(cat "$WORK/ap1")"

# Removing what others reference is refused (a sitting with its reviews,
# a member present at a sitting, a session with attendances).
bad del-sitting <<'JSONL'
{"type":"sitting","id":"si-1","deleted":true}
JSONL
refused_import "$WORK/del-sitting.jsonl" 1
expect_err "case_review"
bad del-member <<'JSONL'
{"type":"instance_member","id":"im-3","deleted":true}
JSONL
refused_import "$WORK/del-member.jsonl" 1
bad del-session <<'JSONL'
{"type":"collective_session","id":"cs-1","deleted":true}
JSONL
refused_import "$WORK/del-session.jsonl" 1
# Removing a sitting with its reviews and the reorientation that cites
# one, all in one file, is taken.
cat >"$WORK/del-all.jsonl" <<'JSONL'
{"type":"orientation","id":"or-2","deleted":true}
{"type":"case_review","id":"cr-1","deleted":true}
{"type":"sitting","id":"si-1","deleted":true}
JSONL
expect_pc 0 import "$WORK/del-all.jsonl"
pc export --types sitting,case_review,orientation >"$WORK/left"
! grep -q '"si-1"\|"cr-1"\|"or-2"' "$WORK/left" || fail "deleted records are still exported"

# Several bad records in one file: each reported with its line, type, id
# and field; nothing written.
bad several <<'JSONL'
{"type":"step","id":"st-9","person":"p-3","date":"2017-01-01","category":"employment"}
{"type":"contract","id":"ct-9","person":"p-3","kind":"cer","organisation":"o-mdm","signed_on":"2017-01-01","start":"2017-01-01","end":"2017-06-30","actions":["other"],"status":"terminated"}
{"type":"appointment","id":"ap-9","person":"p-3","organisation":"o-mdm","at":"2017-01-01 10:00","kind":"other","status":"planned"}
{"type":"orientation","id":"or-9","person":"p-3","decided_on":"2017-01-01","start":"2017-01-01","itinerary":"professional","organisation":"o-mdm","origin":"initial"}
JSONL
refused_import "$WORK/several.jsonl" 1 "step st-9" "contract_type"
expect_err_line "^line 2: " "contract ct-9" "terminated_on"
expect_err_line "^line 3: " "appointment ap-9" "at"
expect_err_line "^line 4: " "orientation or-9" "organisation" "ne porte pas"

# `programme` references wait for the programme type: refused as an
# unknown field, dropped with a warning under --lenient.
bad programme <<'JSONL'
{"type":"step","id":"st-9","person":"p-3","date":"2017-01-01","category":"immersion","programme":"pg-1"}
JSONL
refused_import "$WORK/programme.jsonl" 1 "step st-9" "programme" "champ inconnu"
expect_pc 0 import --lenient "$WORK/programme.jsonl"
expect_err "programme"
