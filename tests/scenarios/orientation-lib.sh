# orientation-lib.sh — shared by the orientation officer's scenarios
# (0120-0124), sourced after lib.sh and path-lib.sh: path_base's territory
# (t-est: o-mdm, o-pe, o-aci and their référents; p-1, p-2, p-3 SDD since
# 2016-01-01) plus
#   t-ouest (commune 69384): o-ouest (maison_metropole), p-4 SDD since 2017-11-15
#   p-5 in t-est, SDD since 2017-12-01
#   officer@test.fr  orientation officer of o-mdm (sees p-1 p-2 p-3 p-5)
#   ouest@test.fr    orientation officer of o-ouest (sees p-4)
# "today" 2017-12-31; tokens T_OFF, T_OUEST, T_ADMIN, T_REF (ref@test.fr,
# référent of o-mdm), T_SEC (instance secretary).
orientation_setup() {
	init_db
	export PARCOURS_TODAY=2017-12-31
	path_base
	cat >"$WORK/more.jsonl" <<'JSONL'
{"type":"territory","id":"t-ouest","name":"Lyon Ouest","communes":["69384"]}
{"type":"organisation","id":"o-ouest","name":"Maison de la Métropole Ouest","kind":"maison_metropole","territory":"t-ouest"}
{"type":"household","id":"h-4","commune":"69384","territory":"t-ouest"}
{"type":"household","id":"h-5","commune":"69383"}
{"type":"person","id":"p-4","household":"h-4","role":"DEM","first_name":"Olga","last_name":"Ouest","birth_date":"1970-03-03","sex":"F","title":"MME","address":"3 rue de l'Ouest, 69004 Lyon"}
{"type":"person","id":"p-5","household":"h-5","role":"DEM","first_name":"Éric","last_name":"Récent","birth_date":"1991-09-09","sex":"M","title":"MR"}
{"type":"right_period","id":"rp-4","person":"p-4","start":"2017-11-15","state":"2","subject_to_duties":true}
{"type":"right_period","id":"rp-5","person":"p-5","start":"2017-12-01","state":"2","subject_to_duties":true}
JSONL
	pc import "$WORK/more.jsonl" >/dev/null || fail "the extra records did not import"
	add_user officer@test.fr orientation_officer o-mdm
	add_user ouest@test.fr orientation_officer o-ouest
	T_OFF=$(token_for officer@test.fr)
	T_OUEST=$(token_for ouest@test.fr)
	T_ADMIN=$(token_for admin@test.fr)
	T_REF=$(token_for ref@test.fr)
	T_SEC=$(token_for sec@test.fr)
}

# as TOKEN METHOD PATH [curl args…]: api with that token.
as() {
	TOKEN=$1
	shift
	api "$@"
}

# orient_json TOKEN PERSON ITINERARY ORGANISATION [curl args…]: the
# one-by-one form posted as JSON-wanting script, start 2017-12-31.
orient_json() {
	tok=$1 person=$2 itinerary=$3 organisation=$4
	shift 4
	as "$tok" POST "/people/$person/orientation/new" --data-urlencode "itinerary=$itinerary" \
		--data-urlencode "organisation=$organisation" --data-urlencode "decided_on=2017-12-20" \
		--data-urlencode "start=2017-12-31" "$@"
}

# audited ACTION PERSON: the audit log has that action about the person.
audited() {
	pc audit list --person "$2" | grep -q "$1" || fail "no audit entry $1 about $2"
}
