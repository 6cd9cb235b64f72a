#!/bin/sh
# The référent's access over HTTP (domain.md, "Access rules"): a référent
# sees the people they follow and those linked to their organisation, by an
# orientation or référent assignment current today or ended within 12
# months; the others answer 404 and the attempt is audited; lists and
# counts obey the same rule; roles add up.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/path-lib.sh"
init_db
path_base
path_file
pc import "$WORK/path.jsonl" >/dev/null || fail "the path file did not import"
# A second référent of o-mdm, linked to nobody by name (created on the
# first day the scenario looks at, so that the account is active).
export PARCOURS_TODAY=2016-01-01
add_user colleague@test.fr referent o-mdm
T_REF=$(token_for ref@test.fr)
T_PE=$(token_for pe@test.fr)
T_ACI=$(token_for aci@test.fr)
T_COL=$(token_for colleague@test.fr)

# ids: the ids of /people as $TOKEN sees them, sorted, on one line.
ids() {
	api GET "/people"
	expect_status 200 "/people"
	grep -o '"id":"[^"]*"' "$WORK/body" | cut -d'"' -f4 | grep '^p-' | sort | tr '\n' ' ' | sed 's/ $//'
}
# sees WHO TOKEN "IDS": /people lists exactly IDS, each opens (200) and the
# others of p-1 p-2 p-3 answer 404 and are audited.
sees() {
	who=$1
	TOKEN=$2
	got=$(ids)
	[ "$got" = "$3" ] || fail "$who on $PARCOURS_TODAY: expected [$3], got [$got]"
	for p in p-1 p-2 p-3; do
		api GET "/people/$p"
		case " $3 " in
		*" $p "*) expect_status 200 "$who: /people/$p" ;;
		*) expect_status 404 "$who: /people/$p"
		   pc audit list --person "$p" | grep -q "person.denied" || fail "$who opening $p is not audited" ;;
		esac
	done
}

# On 2017-12-31: u-ref's orientation and assignment of p-1 ended on
# 2016-12-31, exactly 12 months before: still seen. u-pe follows p-1 now;
# u-aci follows p-2; nobody follows p-3.
export PARCOURS_TODAY=2017-12-31
start_server
sees ref "$T_REF" "p-1"
sees pe "$T_PE" "p-1"
sees aci "$T_ACI" "p-2"
# A colleague of o-mdm sees p-1 through the organisation.
sees colleague "$T_COL" "p-1"
TOKEN=$T_REF
api GET "/people?q=lefevre"
expect_json 'd["total"]' 1
kill "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true

# A day later the link to o-mdm is over 12 months old.
export PARCOURS_TODAY=2018-01-01
start_server
sees ref "$T_REF" ""
sees colleague "$T_COL" ""
sees pe "$T_PE" "p-1"
kill "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true

# Before the links began: nobody (p-2's orientation starts 2016-03-01).
export PARCOURS_TODAY=2016-02-29
start_server
sees aci "$T_ACI" ""
