# sessions-lib.sh — shared by the collective sessions' scenarios
# (0140-0144), sourced after lib.sh and path-lib.sh: the path's base and
# file, three people that ref@test.fr (u-ref, o-mdm) follows, a past and a
# coming session of o-mdm with 2 places each, the tokens, and the server.
#   p-4 Hélène Garçon, p-5 Jules Ferry, p-6 Ana López: oriented to o-mdm,
#   référent u-ref — visible to u-ref. p-3 Zoé Martin: not visible to u-ref.
#   cs-past 14 Nov 2017 09:30 "Atelier CV", cs-next 16 Jan 2018 14:00
#   "Atelier budget" (today is 2017-12-31); cs-1 (2016, path file) has
#   p-1 present, p-2 registered, p-3 excused; cs-2 is o-pe's.
sessions_loaded() {
	path_loaded
	cat >"$WORK/sessions.jsonl" <<'JSONL'
{"type":"household","id":"h-3","commune":"69383","territory":"t-est"}
{"type":"person","id":"p-4","household":"h-3","role":"DEM","first_name":"Hélène","last_name":"Garçon","birth_date":"1985-04-01","sex":"F"}
{"type":"person","id":"p-5","household":"h-3","role":"CJT","first_name":"Jules","last_name":"Ferry","birth_date":"1984-09-12","sex":"M"}
{"type":"person","id":"p-6","household":"h-3","role":"AUT","first_name":"Ana","last_name":"López","birth_date":"1999-12-24","sex":"F"}
{"type":"orientation","id":"or-4","person":"p-4","decided_on":"2017-06-01","start":"2017-06-01","itinerary":"social","organisation":"o-mdm","referent":"u-ref","origin":"initial"}
{"type":"orientation","id":"or-5","person":"p-5","decided_on":"2017-06-01","start":"2017-06-01","itinerary":"social","organisation":"o-mdm","referent":"u-ref","origin":"initial"}
{"type":"orientation","id":"or-6","person":"p-6","decided_on":"2017-06-01","start":"2017-06-01","itinerary":"social","organisation":"o-mdm","referent":"u-ref","origin":"initial"}
{"type":"collective_session","id":"cs-past","organisation":"o-mdm","title":"Atelier CV","at":"2017-11-14T09:30:00+01:00","capacity":2}
{"type":"collective_session","id":"cs-next","organisation":"o-mdm","title":"Atelier budget","at":"2018-01-16T14:00:00+01:00","capacity":2}
JSONL
	pc import "$WORK/sessions.jsonl" >/dev/null || fail "the sessions' records did not import"
	add_user colleague@test.fr referent o-mdm
	T_REF=$(token_for ref@test.fr)
	T_PE=$(token_for pe@test.fr)
	T_SEC=$(token_for sec@test.fr)
	T_ADM=$(token_for admin@test.fr)
	TOKEN=$T_REF
	start_server
}

# as TOKEN: the next api calls are made with this token.
as() { TOKEN=$1; }

# register SESSION PERSON: POST …/register as $TOKEN (status in $STATUS).
register() { api POST "/sessions/$1/register" --data-urlencode "person=$2"; }

# expect_audited PERSON ACTION: the person's audit holds the action.
expect_audited() {
	pc audit list --person "$1" | grep -q -- "$2" || fail "no '$2' in the audit of $1"
}

# page PATH: the HTML page as $TOKEN sees it (body in $WORK/body).
page() {
	STATUS=$(curl -s -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' \
		-H "Authorization: Bearer $TOKEN" "$BASE$1") || true
}
