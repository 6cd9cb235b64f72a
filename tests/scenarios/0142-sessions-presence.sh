#!/bin/sh
# Presence at a collective session, for everyone on one form after the
# session: present / excused / absent per person the user may see. A
# future session cannot have people present or absent (excused is fine);
# the form is all or nothing; a status for a person not shown is ignored;
# every change is audited on the person; CSRF for a browser.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/path-lib.sh"
. "$(dirname "$0")/sessions-lib.sh"
sessions_loaded

# Before the session: no present, no absent; nothing written.
register cs-next p-4
register cs-next p-5
expect_status 200 "registering at the coming session"
api POST /sessions/cs-next/presence -d status_p-4=excused -d status_p-5=present
expect_status 422 "presence at a future session"
expect_json "d['error']" "une séance à venir ne peut pas compter de présents"
expect_json "[p['status'] for p in d['people']]" '["registered", "registered"]'
api POST /sessions/cs-next/presence -d status_p-4=absent
expect_status 422 "absent at a future session"
expect_json "d['error']" "une séance à venir ne peut pas compter d'absents"
api POST /sessions/cs-next/presence -d status_p-4=excused
expect_status 200 "excused before the session"
expect_json "[[p['id'], p['status']] for p in d['people']]" '[["p-5", "registered"], ["p-4", "excused"]]'
# The page says why there is no presence form yet.
page /sessions/cs-next
expect_no_body 'action="/sessions/cs-next/presence"'
expect_body "se remplissent après la séance"

# After the session.
register cs-past p-4
register cs-past p-5
api POST /sessions/cs-past/presence -d status_p-4=present -d status_p-5=absent -d status_p-3=present
expect_status 200 "presence after the session"
expect_json "[[p['id'], p['status']] for p in d['people']]" '[["p-5", "absent"], ["p-4", "present"]]'
expect_json "d['session']['counts']" '{"absent": 1, "excused": 0, "present": 1, "registered": 0, "taken": 1}'
expect_audited p-4 session.presence
expect_audited p-5 session.presence
# p-3 (not visible, not registered here) was not touched.
pc audit list --person p-3 | grep -q "session.presence" && fail "a status was recorded for p-3"
# A status that is not one: 422, nothing changes.
api POST /sessions/cs-past/presence -d status_p-4=excused -d status_p-5=peut-etre
expect_status 422 "an unknown status"
expect_json "[p['status'] for p in d['people']]" '["absent", "present"]'
# Other organisation, other role.
as "$T_PE"
api POST /sessions/cs-past/presence -d status_p-4=absent
expect_status 404 "presence at another organisation's session"
as "$T_SEC"
api POST /sessions/cs-past/presence -d status_p-4=absent
expect_status 403 "presence as the instance secretary"

# The form: one labelled radio per status and person; CSRF needed.
login colleague@test.fr
req GET /sessions/cs-past
expect_status 200 "the session page"
expect_body '<legend class="fr-fieldset__legend fr-fieldset__legend--regular" id="st-p-4-legend">Présence de Hélène Garçon</legend>'
expect_body '<label class="fr-label" for="st-p-4-excused">Excusé(e)</label>'
expect_body 'id="st-p-4-present" name="status_p-4" value="present" checked'
req POST /sessions/cs-past/presence -d status_p-4=excused
expect_status 403 "presence without the CSRF token"
req POST /sessions/cs-past/presence -d "csrf=$CSRF" -d status_p-4=excused -d status_p-5=excused
expect_status 303 "presence saved from the form"
req GET /sessions/cs-past
expect_body 'id="st-p-4-excused" name="status_p-4" value="excused" checked'
echo "ok"
