#!/bin/sh
# Collective sessions at import, each refusal with its file: a person once
# per session; registered and present never beyond the capacity (seen from
# the attendance and from the session); a named survey answer comes from
# someone present, once. Timing (a future session with people present, a
# future appointment honored) is not checked at import.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/path-lib.sh"
path_loaded

bad twice <<'JSONL'
{"type":"attendance","id":"at-9","session":"cs-1","person":"p-1","status":"registered"}
JSONL
refused_import "$WORK/twice.jsonl" 1 "attendance at-9" "person" "figure déjà à cette séance (at-1)"

# cs-1 has 2 places: at-1 present, at-2 registered, at-3 excused.
bad full <<'JSONL'
{"type":"attendance","id":"at-3","session":"cs-1","person":"p-3","status":"present"}
JSONL
refused_import "$WORK/full.jsonl" 1 "attendance at-3" "session" "3 inscrits ou présents pour 2 places"
bad smaller <<'JSONL'
{"type":"collective_session","id":"cs-1","organisation":"o-mdm","title":"Atelier","at":"2016-05-12T14:00:00+02:00","capacity":1}
JSONL
refused_import "$WORK/smaller.jsonl" 1 "collective_session cs-1" "capacity" "pour 1 places"
# One leaves, another comes: taken in one file.
cat >"$WORK/swap.jsonl" <<'JSONL'
{"type":"attendance","id":"at-2","session":"cs-1","person":"p-2","status":"excused"}
{"type":"attendance","id":"at-3","session":"cs-1","person":"p-3","status":"present"}
JSONL
expect_pc 0 import "$WORK/swap.jsonl"

bad survey-absent <<'JSONL'
{"type":"survey_response","id":"sr-9","session":"cs-1","person":"p-2","helps_job_search":true}
JSONL
refused_import "$WORK/survey-absent.jsonl" 1 "survey_response sr-9" "person" "présente"
bad survey-twice <<'JSONL'
{"type":"survey_response","id":"sr-9","session":"cs-1","person":"p-1","helps_job_search":false}
JSONL
refused_import "$WORK/survey-twice.jsonl" 1 "survey_response sr-9" "person" "déjà répondu"

# Timing rules wait for the web: a future session with people present and
# a future appointment honored are taken at import.
cat >"$WORK/future.jsonl" <<'JSONL'
{"type":"collective_session","id":"cs-9","organisation":"o-mdm","title":"Atelier 2018","at":"2018-03-01T14:00:00+01:00","capacity":10}
{"type":"attendance","id":"at-9","session":"cs-9","person":"p-1","status":"present"}
{"type":"appointment","id":"ap-9","person":"p-1","organisation":"o-pe","at":"2018-02-01T09:00:00+01:00","kind":"other","status":"honored"}
JSONL
expect_pc 0 import "$WORK/future.jsonl"
