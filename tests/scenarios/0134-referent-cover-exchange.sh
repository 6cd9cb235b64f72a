#!/bin/sh
# The exchange type referent_cover: imported and exported as written;
# refused at import when the two accounts are not référents of one
# organisation, when a référent covers themself, when it ends before it
# starts, or when two covers of one absent référent overlap.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/path-lib.sh"
path_loaded
cat >"$WORK/more.jsonl" <<'JSONL'
{"type":"user","id":"u-aci2","email":"aci2@test.fr","first_name":"Bea","last_name":"Chantier","organisation":"o-aci","roles":["referent"]}
{"type":"referent_cover","id":"rc-1","absent":"u-aci","covering":"u-aci2","start":"2017-12-01","end":"2017-12-31"}
JSONL
expect_pc 0 import "$WORK/more.jsonl"
pc export --types referent_cover >"$WORK/out.jsonl"
grep -q '"id":"rc-1"' "$WORK/out.jsonl" || fail "the cover is not exported"
grep -q '"absent":"u-aci"' "$WORK/out.jsonl" || fail "the cover's fields are not exported"

bad other <<'JSONL'
{"type":"referent_cover","id":"rc-2","absent":"u-aci","covering":"u-pe","start":"2018-02-01","end":"2018-02-10"}
JSONL
refused_import "$WORK/other.jsonl" 1 rc-2 covering "structure"
bad self <<'JSONL'
{"type":"referent_cover","id":"rc-3","absent":"u-aci","covering":"u-aci","start":"2018-02-01","end":"2018-02-10"}
JSONL
refused_import "$WORK/self.jsonl" 1 rc-3 covering
bad backwards <<'JSONL'
{"type":"referent_cover","id":"rc-4","absent":"u-aci","covering":"u-aci2","start":"2018-02-10","end":"2018-02-01"}
JSONL
refused_import "$WORK/backwards.jsonl" 1 rc-4 end
bad overlap <<'JSONL'
{"type":"referent_cover","id":"rc-5","absent":"u-aci","covering":"u-aci2","start":"2017-12-31","end":"2018-01-10"}
JSONL
refused_import "$WORK/overlap.jsonl" 1 rc-5 start "rc-1"
bad notreferent <<'JSONL'
{"type":"referent_cover","id":"rc-6","absent":"u-sec","covering":"u-ref","start":"2018-03-01","end":"2018-03-10"}
JSONL
refused_import "$WORK/notreferent.jsonl" 1 rc-6 absent
