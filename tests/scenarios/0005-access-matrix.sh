#!/bin/sh
# The access matrix: every route of src/web/routes.c, for every role and
# signed out. Roles not allowed get 403 (and an audit entry); signed out,
# pages redirect to /login?next=… and JSON answers 401; allowed roles get
# the route's answer (200, 303 or 422; 404 for a person they may not see).
. "$(dirname "$0")/lib.sh"
init_db
export PARCOURS_TODAY=2017-12-31
small_territory
ROLES="referent orientation_officer instance_secretary programme_manager clee clause_facilitator faj_officer analyst admin"
for role in $ROLES; do
	[ "$role" = admin ] || add_user "$role@test.fr" "$role" org-nord
done
ADMIN_ID=$(pc user list | awk -F'\t' '$2 == "admin@test.fr" {print $1}')
start_server

# The table: METHOD PATH WHO OK [BODY]
#   WHO: all (every signed-in user), people (all but the analyst), admin,
#        imports and orient (admin and orientation officer), lists (admin,
#        orientation officer, référent), follow (the same three: designating
#        a référent), refadmin (référent and admin), public (no sign-in).
#   OK:  the status for the roles allowed (GET /login: 303, they are signed in); "seen" = 200 for the roles that
#        see p-benoit (admin; orientation officer of t-nord) and 404 for the
#        others; "seen422" = the same with 422 (a form with a bad date).
#   BODY: urlencoded form fields of a POST ("&csrf=" is added). The password
#        form is sent without "current", so that no argon2 check runs.
# POST /logout comes last: it ends the session.
cat >"$WORK/routes" <<EOF_ROUTES
GET /login public 303
POST /login public 422 email=x@test.fr&password=
GET /account/password all 200
POST /account/password all 422 new=x&confirm=y
GET / all 200
GET /people people 200
GET /people/p-benoit people seen
GET /people/p-benoit/edit people seen
POST /people/p-benoit/edit people seen422 first_name=Benoît&last_name=Dupont&birth_date=1980-02-30&sex=M&version=1
GET /households/h-1 people seen
GET /organisations all 200
GET /organisations/org-nord all 200
GET /organisations/org-nord/edit admin 200
POST /organisations/org-nord/edit admin 422 name=&kind=ccas&version=1
GET /territories all 200
GET /territories/t-nord all 200
GET /users admin 200
GET /users/new admin 200
POST /users/new admin 422 email=not-an-address&first_name=&last_name=&organisation=org-nord
GET /users/$ADMIN_ID admin 200
GET /audit admin 200
GET /imports imports 200
GET /imports/caf/1 imports 404
GET /imports/ft/1 imports 404
GET /people/merges admin 200
GET /people/duplicates admin 200
GET /people/p-benoit/merge admin 200
POST /people/p-benoit/merge admin 422 with=p-benoit
GET /lists lists 200
POST /lists lists 422 x=1
GET /lists/uploads/x-404 lists 404
POST /lists/uploads/x-404 lists 404 x=1
POST /lists/uploads/x-404/confirm lists 404 x=1
GET /lists/imports/x-404 lists 404
GET /orientation orient 200
POST /orientation/bulk orient 422 x=1
GET /orientation/bulk orient 303
GET /orientation/letters.pdf orient 404
GET /people/p-benoit/orientation/new orient 200
POST /people/p-benoit/orientation/new orient 422 itinerary=nowhere&organisation=org-nord&decided_on=2017-12-01&start=2017-12-01&version=0
GET /people/p-benoit/orientation/letter.pdf follow 404
GET /people/p-benoit/referent follow seen
POST /people/p-benoit/referent follow seen422 referent=nobody&start=2017-13-01
GET /sessions refadmin 200
GET /sessions/new refadmin 200
POST /sessions/new refadmin 422 title=&day=x&time=y
GET /sessions/x-404 refadmin 404
GET /sessions/x-404/edit refadmin 404
POST /sessions/x-404/edit refadmin 404 title=x
POST /sessions/x-404/register refadmin 404 person=p-benoit
POST /sessions/x-404/unregister refadmin 404 person=p-benoit
POST /sessions/x-404/presence refadmin 404 x=1
POST /sessions/x-404/survey refadmin 404 x=1
GET /sessions/x-404/emargement.pdf refadmin 404
GET /portfolio refadmin 200
GET /portfolio/transfer admin 200
POST /portfolio/transfer admin 422 from=&to=&on=
POST /portfolio/cover admin 422 absent=&covering=&start=&end=
GET /people/p-benoit/parcours people seen
GET /people/p-benoit/diagnostics/new refadmin seen
POST /people/p-benoit/diagnostics/new refadmin seen422 date=2017-02-30&autonomy=autonomous
GET /diagnostics/x-404/edit refadmin 404
POST /diagnostics/x-404/edit refadmin 404 x=1
GET /people/p-benoit/contracts/new refadmin seen
POST /people/p-benoit/contracts/new refadmin seen422 kind=cer&signed_on=2017-02-30
GET /contracts/x-404/edit refadmin 404
POST /contracts/x-404/edit refadmin 404 x=1
GET /contracts/x-404/renew refadmin 404
GET /people/p-benoit/appointments/new refadmin seen
POST /people/p-benoit/appointments/new refadmin seen422 kind=other&day=2017-02-30&time=09:00
GET /appointments/x-404/edit refadmin 404
POST /appointments/x-404/edit refadmin 404 x=1
GET /appointments/x-404/convocation.pdf refadmin 404
GET /people/p-benoit/steps/new refadmin seen
POST /people/p-benoit/steps/new refadmin seen422 date=2017-02-30&category=immersion
GET /steps/x-404/edit refadmin 404
POST /steps/x-404/edit refadmin 404 x=1
POST /logout all 303
EOF_ROUTES

# Every route of routes.c is in the table (and nothing else).
sed -n 's/^[[:space:]]*{ "\([A-Z]*\)", "\([^"]*\)".*/\1 \2/p' "$(dirname "$0")/../../src/web/routes.c" |
	sed 's/{[a-z]*}/ID/' | sort >"$WORK/declared" || true
if [ -s "$WORK/declared" ]; then
	awk '{print $1, $2}' "$WORK/routes" | sed 's|/people/p-benoit|/people/ID|; s|/households/h-1|/households/ID|;
		s|/organisations/org-nord|/organisations/ID|; s|/territories/t-nord|/territories/ID|;
		s|/users/'"$ADMIN_ID"'|/users/ID|; s|/imports/caf/1|/imports/caf/ID|; s|/imports/ft/1|/imports/ft/ID|; s|/x-404|/ID|' |
		sort >"$WORK/tested"
	cmp -s "$WORK/declared" "$WORK/tested" ||
		fail "routes.c and the table differ: $(diff "$WORK/declared" "$WORK/tested")"
fi

# probe METHOD PATH [curl args…]: sets CODE and WHERE (redirect target).
probe() {
	m=$1
	p=$2
	shift 2
	out=$(curl -s -o "$WORK/body" -w '%{http_code} %{redirect_url}' -X "$m" -b "$JAR" -c "$JAR" \
		"$@" "$BASE$p")
	CODE=${out%% *}
	WHERE=${out#* }
}

# run_table ACCEPT [CSRF [TABLE]]: requests every route of the table in ONE curl
# run (a process per request would make this scenario slow), with the
# cookie jar $JAR; answer N goes to $WORK/answer.N, and the line N of
# $WORK/results is "STATUS <REDIRECT> " followed by the table's line N.
run_table() {
	accept=$1
	token=${2:-}
	table=${3:-$WORK/routes}
	set --
	n=0
	while read -r method path who ok form; do
		n=$((n + 1))
		[ $n = 1 ] || set -- "$@" --next
		set -- "$@" -s -o "$WORK/answer.$n" -w '%{http_code} <%{redirect_url}>\n' -X "$method" \
			-b "$JAR" -c "$JAR"
		[ -z "$accept" ] || set -- "$@" -H "Accept: $accept"
		# A JSON sign-in carries the prelogin token of its cookie, as a
		# JSON client must (0013); pages are checked without it below.
		[ "$path" != /login ] || [ "$method" = GET ] || [ -z "$accept" ] ||
			form="$form&prelogin=$(awk '$6 == "parcours_prelogin" {print $7}' "$JAR" 2>/dev/null | tail -1)"
		[ "$method" = GET ] || set -- "$@" --data "${form:-x=1}${token:+&csrf=$token}"
		set -- "$@" "$BASE$path"
	done <"$table"
	curl "$@" >"$WORK/codes"
	[ "$(grep -c . "$WORK/codes")" = "$n" ] || fail "curl did not answer every route: $(cat "$WORK/codes")"
	paste -d' ' "$WORK/codes" "$table" >"$WORK/results"
}

# expected ROLE WHO OK: sets WANT, the status ROLE should get.
expected() {
	case "$2" in
	public | all) allowed=1 ;;
	people) [ "$1" = analyst ] && allowed=0 || allowed=1 ;;
	admin) [ "$1" = admin ] && allowed=1 || allowed=0 ;;
	imports | orient) case "$1" in admin | orientation_officer) allowed=1 ;; *) allowed=0 ;; esac ;;
	lists | follow) case "$1" in admin | orientation_officer | referent) allowed=1 ;; *) allowed=0 ;; esac ;;
	refadmin) case "$1" in admin | referent) allowed=1 ;; *) allowed=0 ;; esac ;;
	esac
	WANT=$3
	if [ "$allowed" = 0 ]; then
		WANT=403
	elif [ "$3" = seen ] || [ "$3" = seen422 ]; then
		case "$1" in
		admin | orientation_officer) [ "$3" = seen ] && WANT=200 || WANT=422 ;;
		*) WANT=404 ;;
		esac
	fi
}

# check_results ROLE MODE: compares $WORK/results with the expected statuses,
# then checks the bodies (one grep for all of them: a process per answer
# would make this scenario slow).
check_results() {
	n=0
	errors=""
	pages=""
	while read -r got where method path who ok form; do
		n=$((n + 1))
		expected "$1" "$who" "$ok"
		[ "$got" = "$WANT" ] ||
			fail "$1: $method $path ($2): expected $WANT, got $got: $(head -c 200 "$WORK/answer.$n")"
		case "$2:$WANT" in
		json:403 | json:404 | json:422) errors="$errors $WORK/answer.$n" ;;
		page:200 | page:403 | page:404 | page:422) pages="$pages $WORK/answer.$n" ;;
		esac
		checked=$((checked + 1))
	done <"$WORK/results"
	# A refusal says why, in JSON.
	if [ -n "$errors" ]; then
		bad=$(grep -L '"error"' $errors || true)
		[ -z "$bad" ] || fail "$1: JSON refusals without an error: $(echo $bad)"
	fi
	# A whole page in French, fully rendered.
	if [ -n "$pages" ]; then
		bad=$(grep -L '<html lang="fr"' $pages || true)
		[ -z "$bad" ] || fail "$1: answers that are not pages: $(echo $bad)"
		bad=$(grep -l '{{' $pages || true)
		[ -z "$bad" ] || fail "$1: template tags left in $(echo $bad)"
	fi
}

# Each role: pages first, then JSON (all routes). The pages leave out
# POST /logout (it would end the session) and POST /login (a page post needs
# the prelogin token: 403 without, tested signed out below).
grep -v '^POST /logout \|^POST /login ' "$WORK/routes" >"$WORK/routes-pages"
checked=0
for role in $ROLES; do
	JAR="$WORK/jar-$role"
	login "$role@test.fr"
	run_table "" "$CSRF" "$WORK/routes-pages"
	check_results "$role" page
	run_table application/json "$CSRF"
	check_results "$role" json
done

# Denials are audited, by the route, with who asked.
pc audit list --user analyst@test.fr >"$WORK/audit"
grep -q "denied.*/people" "$WORK/audit" || fail "the analyst's denial of /people is not audited: $(cat "$WORK/audit")"
pc audit list --user referent@test.fr >"$WORK/audit"
grep -q "denied.*/users" "$WORK/audit" || fail "the referent's denial of /users is not audited"

# The same refusals on pages (HTML): 403 with the error page.
JAR="$WORK/jar-analyst"
login analyst@test.fr
for p in /people /people/p-benoit /households/h-1 /users /audit /organisations/org-nord/edit; do
	probe GET "$p"
	[ "$CODE" = 403 ] || fail "analyst: GET $p (page): expected 403, got $CODE"
	grep -q "Accès refusé" "$WORK/body" || fail "analyst: GET $p: the 403 page does not say so"
done

# Signed out: pages → 303 /login?next=PATH; JSON → 401; POSTs too.
JAR="$WORK/jar-nobody"
rm -f "$JAR"
run_table application/json
cut -d' ' -f1 "$WORK/codes" >"$WORK/codes-json"
for n in $(seq 1 "$(grep -c . "$WORK/routes")"); do
	grep -q '"error"' "$WORK/answer.$n" || [ "$n" -le 2 ] ||
		fail "signed out: route $n: the JSON answer has no error: $(head -c 200 "$WORK/answer.$n")"
done
run_table ""
paste -d' ' "$WORK/codes-json" "$WORK/results" >"$WORK/both"
while read -r json page where method path who ok form; do
	if [ "$who" = public ]; then
		# GET /login: the form; POST /login without the prelogin token: 403.
		want=200
		[ "$method" = GET ] || want=403
		[ "$page" = "$want" ] || fail "signed out: $method $path: expected $want, got $page"
		continue
	fi
	[ "$page" = 303 ] || fail "signed out: $method $path (page): expected 303, got $page"
	case "$where" in
	*"/login?next=$path>" | *"/login?next=$path&"*) ;;
	*) fail "signed out: $method $path: redirected to '$where' instead of /login?next=$path" ;;
	esac
	[ "$json" = 401 ] || fail "signed out: $method $path (JSON): expected 401, got $json"
	checked=$((checked + 2))
done <"$WORK/both"

# Unknown paths and methods.
JAR="$WORK/jar-admin"
login admin@test.fr
probe GET /no-such-page
[ "$CODE" = 404 ] || fail "GET /no-such-page: $CODE"
probe DELETE /people/p-benoit
[ "$CODE" = 405 ] || fail "DELETE /people/p-benoit: expected 405, got $CODE"
probe GET "/people/bad%20id"
[ "$CODE" = 404 ] || fail "GET /people/bad id: expected 404, got $CODE"
echo "0005 ok: $checked checks"
