#!/bin/sh
# Orientation and référent rules at import, each refusal with its file:
# orientations and référent assignments of a person never overlap; the
# organisation's kind fits the itinerary; a référent is an account of the
# organisation with the referent role; a reorientation needs a favourable
# case review of the same person.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/path-lib.sh"
path_loaded

bad overlap <<'JSONL'
{"type":"orientation","id":"or-9","person":"p-1","decided_on":"2016-06-01","start":"2016-12-31","end":"2016-12-31","itinerary":"social","organisation":"o-mdm","origin":"move"}
JSONL
refused_import "$WORK/overlap.jsonl" 1 "orientation or-9" "start" "chevauche l'orientation or-1"

bad kind <<'JSONL'
{"type":"orientation","id":"or-9","person":"p-3","decided_on":"2017-01-01","start":"2017-01-01","itinerary":"social","organisation":"o-aci","origin":"initial"}
JSONL
refused_import "$WORK/kind.jsonl" 1 "orientation or-9" "organisation" "siae_aci ne porte pas l'itinéraire social"

bad ref-org <<'JSONL'
{"type":"orientation","id":"or-9","person":"p-3","decided_on":"2017-01-01","start":"2017-01-01","itinerary":"social","organisation":"o-mdm","referent":"u-pe","origin":"initial"}
JSONL
refused_import "$WORK/ref-org.jsonl" 1 "orientation or-9" "referent" "n'appartient pas à la structure o-mdm"

bad ref-role <<'JSONL'
{"type":"orientation","id":"or-9","person":"p-3","decided_on":"2017-01-01","start":"2017-01-01","itinerary":"social","organisation":"o-mdm","referent":"u-sec","origin":"initial"}
JSONL
refused_import "$WORK/ref-role.jsonl" 1 "orientation or-9" "referent" "n'a pas le rôle référent"

bad reo-none <<'JSONL'
{"type":"orientation","id":"or-9","person":"p-3","decided_on":"2017-01-01","start":"2017-01-01","itinerary":"professional","organisation":"o-pe","origin":"reorientation"}
JSONL
refused_import "$WORK/reo-none.jsonl" 1 "orientation or-9" "case_review" "réorientation"

bad reo-pending <<'JSONL'
{"type":"orientation","id":"or-9","person":"p-3","decided_on":"2017-04-01","start":"2017-04-01","itinerary":"professional","organisation":"o-pe","origin":"reorientation","case_review":"cr-3"}
JSONL
refused_import "$WORK/reo-pending.jsonl" 1 "orientation or-9" "case_review" "avis favorable"

bad reo-other <<'JSONL'
{"type":"orientation","id":"or-9","person":"p-3","decided_on":"2017-01-01","start":"2017-01-01","itinerary":"professional","organisation":"o-pe","origin":"reorientation","case_review":"cr-1"}
JSONL
refused_import "$WORK/reo-other.jsonl" 1 "orientation or-9" "case_review" "concerne une autre personne"

# The review a reorientation stands on cannot lose its favourable opinion.
bad review-changed <<'JSONL'
{"type":"case_review","id":"cr-1","person":"p-1","referred_on":"2016-11-20","reason":"reorientation","sitting":"si-1","opinion":"unfavourable"}
JSONL
refused_import "$WORK/review-changed.jsonl" 1 "case_review cr-1" "opinion" "or-2"

bad ra-overlap <<'JSONL'
{"type":"referent_assignment","id":"ra-9","person":"p-2","referent":"u-ref","organisation":"o-mdm","start":"2017-01-01"}
JSONL
refused_import "$WORK/ra-overlap.jsonl" 1 "referent_assignment ra-9" "start" "chevauche la désignation de référent ra-3"

bad ra-org <<'JSONL'
{"type":"referent_assignment","id":"ra-9","person":"p-3","referent":"u-ref","organisation":"o-pe","start":"2017-01-01"}
JSONL
refused_import "$WORK/ra-org.jsonl" 1 "referent_assignment ra-9" "referent" "n'appartient pas"

bad ra-role <<'JSONL'
{"type":"referent_assignment","id":"ra-9","person":"p-3","referent":"u-sec","organisation":"o-mdm","start":"2017-01-01"}
JSONL
refused_import "$WORK/ra-role.jsonl" 1 "referent_assignment ra-9" "referent" "rôle référent"

# A référent change: the old assignment ends, the new one starts the next
# day, in one file.
cat >"$WORK/change.jsonl" <<'JSONL'
{"type":"referent_assignment","id":"ra-3","person":"p-2","referent":"u-aci","organisation":"o-aci","start":"2016-03-15","end":"2017-06-30"}
{"type":"referent_assignment","id":"ra-9","person":"p-2","referent":"u-ref","organisation":"o-mdm","start":"2017-07-01"}
JSONL
expect_pc 0 import "$WORK/change.jsonl"
