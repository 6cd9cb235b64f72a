# path-lib.sh — shared by the path's scenarios (0110-0119), sourced after
# lib.sh: a territory with the organisations of every itinerary, référents,
# people, and a valid file with a record of every path type.

# path_base: imports the base records (no path record yet).
path_base() {
	cat >"$WORK/base.jsonl" <<'JSONL'
{"type":"territory","id":"t-est","name":"Lyon Est","communes":["69383"]}
{"type":"organisation","id":"o-mdm","name":"Maison de la Métropole Est","kind":"maison_metropole","territory":"t-est"}
{"type":"organisation","id":"o-pe","name":"Pôle emploi Est","kind":"pole_emploi","territory":"t-est"}
{"type":"organisation","id":"o-aci","name":"Chantier d'insertion","kind":"siae_aci","territory":"t-est"}
{"type":"user","id":"u-ref","email":"ref@test.fr","first_name":"Rémi","last_name":"Référent","organisation":"o-mdm","roles":["referent"]}
{"type":"user","id":"u-pe","email":"pe@test.fr","first_name":"Paule","last_name":"Emploi","organisation":"o-pe","roles":["referent"]}
{"type":"user","id":"u-aci","email":"aci@test.fr","first_name":"Ali","last_name":"Chantier","organisation":"o-aci","roles":["referent"]}
{"type":"user","id":"u-sec","email":"sec@test.fr","first_name":"Sacha","last_name":"Secrétaire","organisation":"o-mdm","roles":["instance_secretary"]}
{"type":"household","id":"h-1","commune":"69383","territory":"t-est"}
{"type":"household","id":"h-2","commune":"69383","territory":"t-est"}
{"type":"person","id":"p-1","household":"h-1","role":"DEM","first_name":"Benoît","last_name":"Lefèvre","birth_date":"1980-02-29","sex":"M"}
{"type":"person","id":"p-2","household":"h-1","role":"CJT","first_name":"Élise","last_name":"Lefèvre","birth_date":"1982-05-01","sex":"F"}
{"type":"person","id":"p-3","household":"h-2","role":"DEM","first_name":"Zoé","last_name":"Martin","birth_date":"1990-02-28","sex":"F"}
{"type":"right_period","id":"rp-1","person":"p-1","start":"2016-01-01","state":"2","subject_to_duties":true}
{"type":"right_period","id":"rp-2","person":"p-2","start":"2016-01-01","state":"2","subject_to_duties":true}
{"type":"right_period","id":"rp-3","person":"p-3","start":"2016-01-01","state":"2","subject_to_duties":true}
JSONL
	pc import "$WORK/base.jsonl" >/dev/null || fail "the base records did not import"
}

# path_file: writes $WORK/path.jsonl, one or more records of every path
# type, valid against path_base, in the export form (defaults omitted).
path_file() {
	cat >"$WORK/path.jsonl" <<'JSONL'
{"type":"orientation","id":"or-1","person":"p-1","decided_on":"2016-02-01","start":"2016-02-01","end":"2016-12-31","itinerary":"social","organisation":"o-mdm","referent":"u-ref","origin":"initial"}
{"type":"orientation","id":"or-2","person":"p-1","decided_on":"2016-12-20","start":"2017-01-01","itinerary":"professional","organisation":"o-pe","referent":"u-pe","origin":"reorientation","case_review":"cr-1"}
{"type":"orientation","id":"or-3","person":"p-2","decided_on":"2016-03-01","start":"2016-03-01","itinerary":"socio_professional","organisation":"o-aci","origin":"default"}
{"type":"referent_assignment","id":"ra-1","person":"p-1","referent":"u-ref","organisation":"o-mdm","start":"2016-02-01","end":"2016-12-31"}
{"type":"referent_assignment","id":"ra-2","person":"p-1","referent":"u-pe","organisation":"o-pe","start":"2017-01-01"}
{"type":"referent_assignment","id":"ra-3","person":"p-2","referent":"u-aci","organisation":"o-aci","start":"2016-03-15"}
{"type":"diagnostic","id":"dg-1","person":"p-1","date":"2016-02-15","author":"u-ref","autonomy":"needs_support","barriers":["mobility","digital"]}
{"type":"diagnostic","id":"dg-2","person":"p-2","date":"2016-03-20","autonomy":"autonomous","barriers":[]}
{"type":"contract","id":"ct-1","person":"p-1","kind":"cer","organisation":"o-mdm","referent":"u-ref","signed_on":"2016-03-01","start":"2016-03-01","end":"2016-12-31","actions":["housing","health"],"status":"terminated","terminated_on":"2016-11-30"}
{"type":"contract","id":"ct-2","person":"p-1","kind":"ppae","organisation":"o-pe","referent":"u-pe","signed_on":"2017-01-15","start":"2017-01-15","end":"2017-12-31","actions":["job_search"]}
{"type":"contract","id":"ct-3","person":"p-2","kind":"cer","organisation":"o-aci","signed_on":"2016-04-01","start":"2016-04-01","end":"2016-09-30","actions":["training","mobility"]}
{"type":"appointment","id":"ap-1","person":"p-1","organisation":"o-mdm","referent":"u-ref","at":"2016-02-10T09:30:00+01:00","kind":"orientation","status":"honored"}
{"type":"appointment","id":"ap-2","person":"p-1","organisation":"o-pe","at":"2018-01-10T14:00:00+01:00","kind":"accompaniment","status":"planned"}
{"type":"appointment","id":"ap-3","person":"p-2","organisation":"o-aci","at":"2016-05-02T10:00:00Z","kind":"contract","status":"missed"}
{"type":"collective_session","id":"cs-1","organisation":"o-mdm","title":"Atelier « CV et lettre »","at":"2016-05-12T14:00:00+02:00","capacity":2}
{"type":"collective_session","id":"cs-2","organisation":"o-pe","title":"Réunion d'information","at":"2017-03-01T10:00:00+01:00"}
{"type":"attendance","id":"at-1","session":"cs-1","person":"p-1","status":"present"}
{"type":"attendance","id":"at-2","session":"cs-1","person":"p-2","status":"registered"}
{"type":"attendance","id":"at-3","session":"cs-1","person":"p-3","status":"excused"}
{"type":"survey_response","id":"sr-1","session":"cs-1","person":"p-1","helps_job_search":true,"helps_personal_life":false}
{"type":"survey_response","id":"sr-2","session":"cs-1"}
{"type":"step","id":"st-1","person":"p-1","date":"2016-04-01","category":"health_first_access"}
{"type":"step","id":"st-2","person":"p-1","date":"2017-06-01","category":"employment","contract_type":"cdd_ge_6m"}
{"type":"step","id":"st-3","person":"p-2","date":"2017-02-01","category":"housing_aid"}
{"type":"instance","id":"in-1","name":"ITT Lyon Est","kind":"itt","territory":"t-est","quorum":2}
{"type":"instance","id":"in-2","name":"Médiation Est","kind":"mediation"}
{"type":"instance_member","id":"im-1","instance":"in-1","name":"Claire Présidente","role":"chair","start":"2015-01-01"}
{"type":"instance_member","id":"im-2","instance":"in-1","name":"Sacha Secrétaire","user":"u-sec","role":"social_worker","start":"2015-01-01","end":"2017-06-30"}
{"type":"instance_member","id":"im-3","instance":"in-1","name":"Représentant des allocataires","role":"user_representative","start":"2016-01-01"}
{"type":"instance_member","id":"im-9","instance":"in-2","name":"Médiateur","role":"chair","start":"2015-01-01"}
{"type":"sitting","id":"si-1","instance":"in-1","date":"2016-12-15","present":["im-1","im-2","im-3"]}
{"type":"sitting","id":"si-2","instance":"in-2","date":"2017-03-01","present":["im-9"]}
{"type":"case_review","id":"cr-1","person":"p-1","referred_on":"2016-11-20","reason":"reorientation","grounds":"Projet professionnel précis","sitting":"si-1","heard":true,"opinion":"favourable","notes":"Avis unanime"}
{"type":"case_review","id":"cr-2","person":"p-2","referred_on":"2017-11-01","reason":"no_contract","opinion":"deemed"}
{"type":"case_review","id":"cr-3","person":"p-3","referred_on":"2017-02-01","reason":"contract_breach","sitting":"si-2","heard":false}
JSONL
}

# path_loaded: a new database with the base records and path.jsonl
# imported, "today" 2017-12-31.
path_loaded() {
	init_db
	export PARCOURS_TODAY=2017-12-31
	path_base
	path_file
	pc import "$WORK/path.jsonl" >/dev/null || fail "the path file did not import"
}

# refused_import FILE LINE TEXT…: the import is refused (exit status 1),
# one report line "line LINE: …" names every TEXT, and the database holds
# what it held before.
refused_import() {
	file=$1
	line=$2
	shift 2
	pc export >"$WORK/snapshot"
	expect_pc 1 import "$file"
	expect_err "nothing was written"
	expect_err_line "^line $line: " "$@"
	pc export >"$WORK/after"
	cmp -s "$WORK/snapshot" "$WORK/after" || fail "a refused import ($file) changed the database"
}

# bad NAME: writes standard input to $WORK/NAME.jsonl.
bad() { cat >"$WORK/$1.jsonl"; }
