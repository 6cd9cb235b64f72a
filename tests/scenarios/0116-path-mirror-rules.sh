#!/bin/sh
# Rules across records, checked from the side that changed (`parcours
# import`): an account cannot leave the organisation, or lose the référent
# role, of a current record naming it (past ones stay as history); an
# organisation keeps a kind fit for its orientations and PPAEs; the
# attendance of a named survey answer stays `present` and is not deleted;
# a sitting does not move before its reviews' referral. Also: defaults are
# left out of the export, and an absorbed person's id is refused.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/path-lib.sh"
path_loaded

# u-pe is the référent of or-2 and ra-2, both current.
bad user-moves <<'JSONL'
{"type":"user","id":"u-pe","email":"pe@test.fr","first_name":"Paule","last_name":"Emploi","organisation":"o-mdm","roles":["referent"]}
JSONL
refused_import "$WORK/user-moves.jsonl" 1 "user u-pe" "organisation" "référent de l'orientation or-2 en cours"
expect_err_line "^line 1: " "référent de la désignation ra-2 en cours"

bad user-role <<'JSONL'
{"type":"user","id":"u-pe","email":"pe@test.fr","first_name":"Paule","last_name":"Emploi","organisation":"o-pe","roles":["analyst"]}
JSONL
refused_import "$WORK/user-role.jsonl" 1 "user u-pe" "roles" "il garde le rôle référent"

# o-pe carries or-2 (professional) and the PPAE ct-2; o-aci carries or-3.
bad org-kind <<'JSONL'
{"type":"organisation","id":"o-pe","name":"Pôle emploi Est","kind":"association","territory":"t-est"}
JSONL
refused_import "$WORK/org-kind.jsonl" 1 "organisation o-pe" "kind" "le PPAE ct-2 est signé avec cette structure"
expect_err_line "^line 1: " "l'orientation or-2 (itinéraire professional)"

bad org-kind-2 <<'JSONL'
{"type":"organisation","id":"o-aci","name":"Chantier d'insertion","kind":"pole_emploi","territory":"t-est"}
JSONL
refused_import "$WORK/org-kind-2.jsonl" 1 "organisation o-aci" "kind" "l'orientation or-3"

# sr-1 is p-1's named answer at cs-1, where at-1 marks p-1 present.
bad absent <<'JSONL'
{"type":"attendance","id":"at-1","session":"cs-1","person":"p-1","status":"absent"}
JSONL
refused_import "$WORK/absent.jsonl" 1 "attendance at-1" "status" "la réponse au questionnaire sr-1"

bad attendance-deleted <<'JSONL'
{"type":"attendance","id":"at-1","deleted":true}
JSONL
refused_import "$WORK/attendance-deleted.jsonl" 1 "attendance at-1" "deleted" "survey_response sr-1" "n'est pas notée présente"

# cr-1 was referred on 2016-11-20 and heard at si-1.
bad sitting-early <<'JSONL'
{"type":"sitting","id":"si-1","instance":"in-1","date":"2016-11-19","present":["im-1","im-2","im-3"]}
JSONL
refused_import "$WORK/sitting-early.jsonl" 1 "sitting si-1" "date" "précède la saisine de l'examen cr-1"

# History: u-ref's records have ended, so it may move; a past orientation
# naming an account that is not (or no longer) a référent there is taken.
cat >"$WORK/history.jsonl" <<'JSONL'
{"type":"user","id":"u-ref","email":"ref@test.fr","first_name":"Rémi","last_name":"Référent","organisation":"o-pe","roles":["referent"]}
{"type":"orientation","id":"or-9","person":"p-3","decided_on":"2015-01-01","start":"2015-01-01","end":"2015-12-31","itinerary":"social","organisation":"o-mdm","referent":"u-sec","origin":"initial"}
JSONL
expect_pc 0 import "$WORK/history.jsonl"
# But not a current one.
bad current <<'JSONL'
{"type":"orientation","id":"or-9","person":"p-3","decided_on":"2015-01-01","start":"2015-01-01","itinerary":"social","organisation":"o-mdm","referent":"u-sec","origin":"initial"}
JSONL
refused_import "$WORK/current.jsonl" 1 "orientation or-9" "referent" "n'a pas le rôle référent"

# Defaults (contract.status "signed", instance.quorum 3) are not exported,
# whether the file wrote them or not.
cat >"$WORK/defaults.jsonl" <<'JSONL'
{"type":"contract","id":"ct-3","person":"p-2","kind":"cer","organisation":"o-aci","signed_on":"2016-04-01","start":"2016-04-01","end":"2016-09-30","actions":["training","mobility"],"status":"signed"}
{"type":"instance","id":"in-2","name":"Médiation Est","kind":"mediation","quorum":3}
JSONL
expect_pc 0 import "$WORK/defaults.jsonl"
pc export --types contract,instance >"$WORK/exported"
grep -q '"id":"ct-3"' "$WORK/exported" || fail "ct-3 is not exported"
! grep '"id":"ct-3"' "$WORK/exported" | grep -q '"status"' || fail "the default status was exported"
! grep '"id":"in-2"' "$WORK/exported" | grep -q '"quorum"' || fail "the default quorum was exported"
grep '"id":"in-1"' "$WORK/exported" | grep -q '"quorum":2' || fail "a quorum of 2 was not exported"
grep '"id":"ct-1"' "$WORK/exported" | grep -q '"status":"terminated"' || fail "a terminated status was not exported"

# An absorbed person's id: neither recreated nor named.
cat >"$WORK/p9.jsonl" <<'JSONL'
{"type":"person","id":"p-9","household":"h-2","role":"AUT","first_name":"Zoé","last_name":"Martin","birth_date":"1990-02-28","sex":"F"}
JSONL
expect_pc 0 import "$WORK/p9.jsonl"
expect_pc 0 merge p-3 p-9
refused_import "$WORK/p9.jsonl" 1 "person p-9" "id" "la personne p-9 a été fusionnée dans p-3 le " ": utilisez p-3"
bad alias-ref <<'JSONL'
{"type":"right_period","id":"rp-9","person":"p-9","start":"2010-01-01","end":"2010-12-31","state":"2","subject_to_duties":true}
JSONL
refused_import "$WORK/alias-ref.jsonl" 1 "right_period rp-9" "person" "fusionnée dans p-3 le " "utilisez p-3"
echo "ok 0116 path mirror rules"
