#!/bin/sh
# Contract and step rules at import, each refusal with its file: CER and
# engagement contracts of a person never overlap (a terminated one ends on
# its termination); a terminated contract has terminated_on within its
# period, and only it has one; the engagement contract exists from 2025; a
# PPAE is signed with Pôle emploi; the contract's référent belongs to its
# organisation with the referent role; a step's contract type goes with
# employment only, and employment needs one.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/path-lib.sh"
path_loaded

# contract LINE-ID FIELDS: a contract of p-1 with the given fields.
contract() {
	printf '{"type":"contract","id":"%s","person":"p-1","signed_on":"2016-01-01","actions":["other"],%s}\n' "$1" "$2"
}

contract ct-9 '"kind":"cer","organisation":"o-mdm","start":"2016-11-30","end":"2017-03-31"' | bad cer-overlap
refused_import "$WORK/cer-overlap.jsonl" 1 "contract ct-9" "start" "chevauche le contrat ct-1"
# The day after the termination is free.
contract ct-9 '"kind":"cer","organisation":"o-mdm","start":"2016-12-01","end":"2017-03-31"' | bad cer-after
expect_pc 0 import "$WORK/cer-after.jsonl"

{
	contract ct-10 '"kind":"cer","organisation":"o-mdm","start":"2024-07-01","end":"2025-06-30"'
	contract ct-11 '"kind":"engagement","organisation":"o-mdm","start":"2025-06-30","end":"2025-12-31"'
} | bad cer-engagement
refused_import "$WORK/cer-engagement.jsonl" 2 "contract ct-11" "start" "chevauche le contrat ct-10"

contract ct-12 '"kind":"cer","organisation":"o-mdm","start":"2018-01-01","end":"2018-06-30","status":"terminated"' | bad no-date
refused_import "$WORK/no-date.jsonl" 1 "contract ct-12" "terminated_on" "date de résiliation"
contract ct-12 '"kind":"cer","organisation":"o-mdm","start":"2018-01-01","end":"2018-06-30","terminated_on":"2018-03-01"' | bad date-not-terminated
refused_import "$WORK/date-not-terminated.jsonl" 1 "contract ct-12" "terminated_on" "terminated"
contract ct-12 '"kind":"cer","organisation":"o-mdm","start":"2018-01-01","end":"2018-06-30","status":"terminated","terminated_on":"2017-12-31"' | bad before-start
refused_import "$WORK/before-start.jsonl" 1 "contract ct-12" "terminated_on" "précède le début"
contract ct-12 '"kind":"cer","organisation":"o-mdm","start":"2018-01-01","end":"2018-06-30","status":"terminated","terminated_on":"2018-07-01"' | bad after-end
refused_import "$WORK/after-end.jsonl" 1 "contract ct-12" "terminated_on" "suit la fin"

contract ct-12 '"kind":"engagement","organisation":"o-mdm","start":"2018-01-01","end":"2018-06-30"' | bad engagement-2018
refused_import "$WORK/engagement-2018.jsonl" 1 "contract ct-12" "kind" "2025"

contract ct-12 '"kind":"ppae","organisation":"o-mdm","start":"2018-01-01","end":"2018-06-30"' | bad ppae
refused_import "$WORK/ppae.jsonl" 1 "contract ct-12" "organisation" "Pôle emploi"

contract ct-12 '"kind":"cer","organisation":"o-mdm","referent":"u-aci","start":"2018-01-01","end":"2018-06-30"' | bad ct-ref-org
refused_import "$WORK/ct-ref-org.jsonl" 1 "contract ct-12" "referent" "n'appartient pas"
contract ct-12 '"kind":"cer","organisation":"o-mdm","referent":"u-sec","start":"2018-01-01","end":"2018-06-30"' | bad ct-ref-role
refused_import "$WORK/ct-ref-role.jsonl" 1 "contract ct-12" "referent" "rôle référent"

bad step-no-type <<'JSONL'
{"type":"step","id":"st-9","person":"p-3","date":"2017-01-01","category":"employment"}
JSONL
refused_import "$WORK/step-no-type.jsonl" 1 "step st-9" "contract_type" "emploi"
bad step-type <<'JSONL'
{"type":"step","id":"st-9","person":"p-3","date":"2017-01-01","category":"training_entry","contract_type":"apprenticeship"}
JSONL
refused_import "$WORK/step-type.jsonl" 1 "step st-9" "contract_type" "emploi"
