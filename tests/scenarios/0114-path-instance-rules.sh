#!/bin/sh
# Instances at import, each refusal with its file: members present at a
# sitting belong to its instance and are in office that day; an opinion
# other than deemed needs a sitting, after the referral, with the quorum
# (the instance's, or 3) of members present; a quorum is at least 1.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/path-lib.sh"
path_loaded

bad other-instance <<'JSONL'
{"type":"sitting","id":"si-9","instance":"in-1","date":"2017-02-01","present":["im-1","im-9"]}
JSONL
refused_import "$WORK/other-instance.jsonl" 1 "sitting si-9" "present" "im-9 n'appartient pas à l'instance in-1"
bad out-of-office <<'JSONL'
{"type":"sitting","id":"si-9","instance":"in-1","date":"2017-07-01","present":["im-1","im-2","im-3"]}
JSONL
refused_import "$WORK/out-of-office.jsonl" 1 "sitting si-9" "present" "im-2 n'est pas en fonction le 2017-07-01"
bad member-ends <<'JSONL'
{"type":"instance_member","id":"im-3","instance":"in-1","name":"Représentant","role":"user_representative","start":"2016-01-01","end":"2016-12-14"}
JSONL
refused_import "$WORK/member-ends.jsonl" 1 "instance_member im-3" "start" "si-1"

bad no-sitting <<'JSONL'
{"type":"case_review","id":"cr-9","person":"p-3","referred_on":"2017-05-01","reason":"no_contract","opinion":"unfavourable"}
JSONL
refused_import "$WORK/no-sitting.jsonl" 1 "case_review cr-9" "sitting" "séance"
bad before-referral <<'JSONL'
{"type":"case_review","id":"cr-9","person":"p-3","referred_on":"2017-05-01","reason":"no_contract","sitting":"si-2"}
JSONL
refused_import "$WORK/before-referral.jsonl" 1 "case_review cr-9" "sitting" "précède la saisine"
# si-2 (in-2, default quorum 3) had one member present.
bad no-quorum <<'JSONL'
{"type":"case_review","id":"cr-3","person":"p-3","referred_on":"2017-02-01","reason":"contract_breach","sitting":"si-2","heard":false,"opinion":"deferred"}
JSONL
refused_import "$WORK/no-quorum.jsonl" 1 "case_review cr-3" "opinion" "quorum"
bad fewer-present <<'JSONL'
{"type":"sitting","id":"si-1","instance":"in-1","date":"2016-12-15","present":["im-1"]}
JSONL
refused_import "$WORK/fewer-present.jsonl" 1 "sitting si-1" "present" "quorum"
bad quorum-up <<'JSONL'
{"type":"instance","id":"in-1","name":"ITT Lyon Est","kind":"itt","territory":"t-est","quorum":4}
JSONL
refused_import "$WORK/quorum-up.jsonl" 1 "instance in-1" "quorum" "si-1"
bad quorum-zero <<'JSONL'
{"type":"instance","id":"in-9","name":"CLI","kind":"cli","quorum":0}
JSONL
refused_import "$WORK/quorum-zero.jsonl" 1 "instance in-9" "quorum" "au moins"
# A deemed opinion needs no sitting; two more members make the quorum.
cat >"$WORK/quorum-ok.jsonl" <<'JSONL'
{"type":"instance_member","id":"im-10","instance":"in-2","name":"Assistante sociale","role":"social_worker","start":"2016-01-01"}
{"type":"instance_member","id":"im-11","instance":"in-2","name":"Conseiller","role":"pole_emploi","start":"2016-01-01"}
{"type":"sitting","id":"si-2","instance":"in-2","date":"2017-03-01","present":["im-9","im-10","im-11"]}
{"type":"case_review","id":"cr-3","person":"p-3","referred_on":"2017-02-01","reason":"contract_breach","sitting":"si-2","heard":false,"opinion":"unfavourable"}
{"type":"case_review","id":"cr-9","person":"p-3","referred_on":"2017-05-01","reason":"no_contract","opinion":"deemed"}
JSONL
expect_pc 0 import "$WORK/quorum-ok.jsonl"
