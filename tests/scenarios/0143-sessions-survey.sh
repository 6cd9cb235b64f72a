#!/bin/sh
# The feedback survey of a collective session: after the session, one
# answer per person noted present (two yes/no questions), anonymous answers
# for the others; never before the session, never twice for a person,
# never in the name of someone absent or someone the user may not see; the
# session's page sums up the answers (counts and percentages) once there
# is one.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/path-lib.sh"
. "$(dirname "$0")/sessions-lib.sh"
sessions_loaded

register cs-past p-4
register cs-past p-5
api POST /sessions/cs-past/presence -d status_p-4=present -d status_p-5=absent
expect_status 200 "presence"
api GET /sessions/cs-past
expect_json "'survey' in d['session']" false
page /sessions/cs-past
expect_body "Aucune réponse au questionnaire"
expect_body "Réponses de Hélène Garçon"
expect_no_body "Réponses de Jules Ferry"

api POST /sessions/cs-past/survey -d person=p-4 -d helps_job_search=yes -d helps_personal_life=no
expect_status 200 "p-4 answers"
expect_audited p-4 session.survey
api POST /sessions/cs-past/survey -d person=p-4 -d helps_job_search=yes -d helps_personal_life=yes
expect_status 422 "p-4 answers twice"
expect_json "d['error']" "cette personne a déjà répondu au questionnaire de cette séance"
api POST /sessions/cs-past/survey -d person=p-5 -d helps_job_search=yes
expect_status 422 "an answer in the name of someone absent"
expect_json "d['error']" "seule une personne notée présente peut répondre en son nom"
api POST /sessions/cs-past/survey -d person=p-3 -d helps_job_search=yes
expect_status 404 "an answer in the name of someone the référent may not see"
expect_audited p-3 person.denied
api POST /sessions/cs-past/survey -d person= -d helps_job_search=yes -d helps_personal_life=yes
expect_status 200 "an anonymous answer"
api POST /sessions/cs-past/survey -d helps_job_search=yes
expect_status 200 "an anonymous answer to one question"
api POST /sessions/cs-past/survey
expect_status 422 "an answer to no question"
expect_json "d['error']" "répondez au moins à une des deux questions"
api POST /sessions/cs-next/survey -d helps_job_search=yes
expect_status 422 "an answer before the session"
expect_json "d['error']" "le questionnaire se remplit après la séance"

# The summary: 3 answers; job search 3 yes of 3; personal life 1 yes 1 no.
api GET /sessions/cs-past
expect_json "d['session']['survey']['answers']" 3
expect_json "[[q['yes'], q['no'], q['yes_pct'], q['no_pct'], q['answered']] for q in d['session']['survey']['questions']]" '[[3, 0, 100, 0, 3], [1, 1, 50, 50, 2]]'
page /sessions/cs-past
expect_body "Résultats du questionnaire (3 réponse(s))"
expect_body "La séance vous aide-t-elle dans votre vie personnelle ?"
expect_body "1 (50 %)"
expect_no_body "Réponses de Hélène Garçon"
# Other role, other organisation.
as "$T_SEC"
api POST /sessions/cs-past/survey -d helps_job_search=yes
expect_status 403 "an answer as the instance secretary"
as "$T_PE"
api POST /sessions/cs-past/survey -d helps_job_search=yes
expect_status 404 "an answer at another organisation's session"
# A browser needs the CSRF token.
login colleague@test.fr
req POST /sessions/cs-past/survey -d helps_job_search=no
expect_status 403 "an answer without the CSRF token"
req POST /sessions/cs-past/survey -d "csrf=$CSRF" -d helps_job_search=no
expect_status 303 "an answer from the form"
echo "ok"
