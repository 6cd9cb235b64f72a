/* sessions.c — see sessions.h. */
#include "model/sessions.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/date.h"
#include "base/text.h"
#include "db/db.h"
#include "model/audit.h"
#include "model/path.h"
#include "model/problems.h"
#include "model/record.h"
#include "model/schema.h"

void sessions_split_at(const char *at, char day[static 11], char hm[static 6])
{
	day[0] = hm[0] = '\0';
	if (!at || strlen(at) < 16)
		return;
	snprintf(day, 11, "%.10s", at);
	snprintf(hm, 6, "%.5s", at + 11);
}

/* The session's datetime and places (-1: no limit); 1 found, 0 not, -1. */
static int session_info(struct db *db, const char *session, char at[64], long *capacity)
{
	struct db_stmt *st;
	int rc;

	if (db_prepare(db, &st, "SELECT at, capacity FROM collective_session WHERE id = ?"))
		return -1;
	db_bind_text(st, 1, session);
	rc = db_step(st);
	if (rc == DB_ROW) {
		snprintf(at, 64, "%s", db_col_text(st, 0));
		*capacity = db_col_is_null(st, 1) ? -1 : (long)db_col_int(st, 1);
	}
	db_finalize(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* The person's attendance at the session: its id and status; 1, 0, -1. */
static int attendance_of(struct db *db, const char *session, const char *person, char id[65],
			 char status[16])
{
	struct db_stmt *st;
	int rc;

	if (db_prepare(db, &st, "SELECT id, status FROM attendance "
				"WHERE collective_session = ? AND person = ?"))
		return -1;
	db_bind_text(st, 1, session);
	db_bind_text(st, 2, person);
	rc = db_step(st);
	if (rc == DB_ROW) {
		snprintf(id, 65, "%s", db_col_text(st, 0));
		snprintf(status, 16, "%s", db_col_text(st, 1));
	}
	db_finalize(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* Writes rec (type t) and checks the rules across records; 0, 1 when a
 * rule refuses it, -1 on error. */
static int write_checked(struct db *db, const struct type_def *t, const char *id, json_t *rec)
{
	struct record_writer *w = record_writer_new(db);
	struct problems pb;
	int rc;

	problems_init(&pb);
	problems_at(&pb, 0, t->name, id);
	rc = !w || record_write(w, t, id, rec) || record_check_one(db, t, id, &pb) ? -1
	     : problems_count(&pb) ? 1 : 0;
	record_writer_free(w);
	problems_release(&pb);
	return rc;
}

/* Commits when rc is SESSIONS_OK, rolls back otherwise; returns rc. */
static enum sessions_result finish(struct db *db, enum sessions_result rc)
{
	if (rc == SESSIONS_OK && db_commit(db) == 0)
		return SESSIONS_OK;
	db_rollback(db);
	return rc == SESSIONS_OK ? SESSIONS_FAILED : rc;
}

static json_t *attendance_rec(const char *id, const char *session, const char *person,
			      const char *status)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "type", "attendance", "id", id, "session",
			 session, "person", person, "status", status);
}

/* Registered and present people of the session (who hold a place). */
static long places_taken(struct db *db, const char *session)
{
	int64_t n = 0;

	if (db_query_int(db, &n, "SELECT COUNT(*) FROM attendance WHERE collective_session = ? "
				 "AND status IN ('registered', 'present')", "s", session))
		return -1;
	return (long)n;
}

/* Inside the transaction: the place is still free, then the write. */
static enum sessions_result register_locked(struct db *db, const struct sessions_actor *who,
					    const char *session, const char *person,
					    long *capacity)
{
	char at[64], id[65], status[16];
	long taken;
	int found = session_info(db, session, at, capacity), had, rc;
	json_t *rec;

	if (found <= 0)
		return found < 0 ? SESSIONS_FAILED : SESSIONS_NOT_FOUND;
	had = attendance_of(db, session, person, id, status);
	if (had < 0)
		return SESSIONS_FAILED;
	if (had && (!strcmp(status, "registered") || !strcmp(status, "present")))
		return SESSIONS_ALREADY;
	taken = places_taken(db, session);
	if (taken < 0)
		return SESSIONS_FAILED;
	if (*capacity >= 0 && taken >= *capacity)
		return SESSIONS_FULL;
	if (!had)
		exchange_id_new("att-", id);
	rec = attendance_rec(id, session, person, "registered");
	rc = write_checked(db, &type_attendance, id, rec);
	if (rc == 0)
		rc = audit_person_record(db, who->id, who->address, "session.register", person, rec);
	json_decref(rec);
	return rc == 0 ? SESSIONS_OK : rc > 0 ? SESSIONS_FULL : SESSIONS_FAILED;
}

enum sessions_result sessions_register(struct db *db, const struct sessions_actor *who,
				       const char *session, const char *person, long *capacity)
{
	*capacity = -1;
	if (db_begin(db))
		return SESSIONS_FAILED;
	return finish(db, register_locked(db, who, session, person, capacity));
}

static enum sessions_result unregister_locked(struct db *db, const struct sessions_actor *who,
					      const char *session, const char *person,
					      const char **why)
{
	char id[65], status[16];
	int had = attendance_of(db, session, person, id, status), rc;
	struct record_writer *w;
	json_t *rec;

	if (had <= 0)
		return had < 0 ? SESSIONS_FAILED : SESSIONS_NOT_FOUND;
	if (strcmp(status, "registered") != 0) {
		*why = "sa présence a déjà été notée : indiquez plutôt « excusé » sur la feuille "
		       "de présence";
		return SESSIONS_REFUSED;
	}
	w = record_writer_new(db);
	rc = !w || record_delete(w, &type_attendance, id);
	record_writer_free(w);
	if (rc)
		return SESSIONS_FAILED;
	rec = attendance_rec(id, session, person, status);
	rc = audit_person_record(db, who->id, who->address, "session.unregister", person, rec);
	json_decref(rec);
	return rc ? SESSIONS_FAILED : SESSIONS_OK;
}

enum sessions_result sessions_unregister(struct db *db, const struct sessions_actor *who,
					 const char *session, const char *person,
					 const char **why)
{
	*why = NULL;
	if (db_begin(db))
		return SESSIONS_FAILED;
	return finish(db, unregister_locked(db, who, session, person, why));
}

static const char *const mark_statuses[] = { "registered", "present", "excused", "absent",
	NULL };

/* One person's mark: the time rule, their registration, the write. */
static enum sessions_result mark_one(struct db *db, const struct sessions_actor *who,
				     const char *session, const char *at,
				     const struct sessions_mark *m, const char *now,
				     const char **why)
{
	char id[65], status[16];
	int had, rc;
	json_t *rec;

	if (!m->status || !schema_enum_has(mark_statuses, m->status)) {
		*why = "choisissez présent, excusé ou absent";
		return SESSIONS_REFUSED;
	}
	if ((*why = attendance_status_problem(at, m->status, now)))
		return SESSIONS_REFUSED;
	had = attendance_of(db, session, m->person, id, status);
	if (had <= 0) {
		*why = "cette personne n'est pas inscrite à la séance";
		return had < 0 ? SESSIONS_FAILED : SESSIONS_REFUSED;
	}
	if (!strcmp(status, m->status))
		return SESSIONS_OK;
	rec = attendance_rec(id, session, m->person, m->status);
	rc = write_checked(db, &type_attendance, id, rec);
	if (rc > 0)
		*why = "la séance serait au-delà de ses places";
	if (rc == 0)
		rc = audit_person_record(db, who->id, who->address, "session.presence", m->person, rec);
	json_decref(rec);
	return rc == 0 ? SESSIONS_OK : rc > 0 ? SESSIONS_REFUSED : SESSIONS_FAILED;
}

enum sessions_result sessions_record_presence(struct db *db, const struct sessions_actor *who,
					      const char *session, const struct sessions_mark *marks,
					      size_t n, const char *now, const char **why,
					      const char **who_failed)
{
	char at[64];
	long capacity;
	enum sessions_result rc = SESSIONS_OK;
	int found;

	*why = *who_failed = NULL;
	if (db_begin(db))
		return SESSIONS_FAILED;
	found = session_info(db, session, at, &capacity);
	if (found <= 0)
		return finish(db, found < 0 ? SESSIONS_FAILED : SESSIONS_NOT_FOUND);
	for (size_t i = 0; i < n && rc == SESSIONS_OK; i++) {
		rc = mark_one(db, who, session, at, &marks[i], now, why);
		if (rc != SESSIONS_OK)
			*who_failed = marks[i].person;
	}
	return finish(db, rc);
}

/* Why a named answer cannot be taken (NULL when it can): the person is
 * present at the session and has not answered yet. */
static const char *survey_person_problem(struct db *db, const char *session, const char *person)
{
	char id[65], status[16];
	int64_t n = 0;
	int had = attendance_of(db, session, person, id, status);

	if (had <= 0 || strcmp(status, "present") != 0)
		return "seule une personne notée présente peut répondre en son nom";
	if (db_query_int(db, &n, "SELECT COUNT(*) FROM survey_response "
				 "WHERE collective_session = ? AND person = ?", "ss", session,
			 person) || n > 0)
		return "cette personne a déjà répondu au questionnaire de cette séance";
	return NULL;
}

static json_t *survey_rec(const char *id, const char *session, const char *person, int job,
			  int life)
{
	json_t *rec = json_pack("{s:s, s:s, s:s}", "type", "survey_response", "id", id,
				"session", session);

	if (person)
		json_object_set_new(rec, "person", json_string(person));
	if (job != SESSIONS_ANSWER_NONE)
		json_object_set_new(rec, "helps_job_search", json_boolean(job));
	if (life != SESSIONS_ANSWER_NONE)
		json_object_set_new(rec, "helps_personal_life", json_boolean(life));
	return rec;
}

static enum sessions_result survey_locked(struct db *db, const struct sessions_actor *who,
					  const char *session, const char *person, int job,
					  int life, const char *now, const char **why)
{
	char at[64], id[65];
	long capacity;
	int found = session_info(db, session, at, &capacity), rc;
	json_t *rec;

	if (found <= 0)
		return found < 0 ? SESSIONS_FAILED : SESSIONS_NOT_FOUND;
	if (attendance_status_problem(at, "present", now)) {
		*why = "le questionnaire se remplit après la séance";
		return SESSIONS_REFUSED;
	}
	if (person && (*why = survey_person_problem(db, session, person)))
		return SESSIONS_REFUSED;
	exchange_id_new("sr-", id);
	rec = survey_rec(id, session, person, job, life);
	rc = write_checked(db, &type_survey_response, id, rec);
	if (rc > 0)
		*why = "cette réponse ne respecte pas les règles du questionnaire";
	if (rc == 0)
		rc = person ? audit_person_record(db, who->id, who->address, "session.survey", person, rec)
			    : audit_append(db, who->id, who->address, "session.survey",
					   "collective_session", session, NULL);
	json_decref(rec);
	return rc == 0 ? SESSIONS_OK : rc > 0 ? SESSIONS_REFUSED : SESSIONS_FAILED;
}

enum sessions_result sessions_survey_answer(struct db *db, const struct sessions_actor *who,
					    const char *session, const char *person,
					    int helps_job_search, int helps_personal_life,
					    const char *now, const char **why)
{
	*why = NULL;
	if (helps_job_search == SESSIONS_ANSWER_NONE &&
	    helps_personal_life == SESSIONS_ANSWER_NONE) {
		*why = "répondez au moins à une des deux questions";
		return SESSIONS_REFUSED;
	}
	if (db_begin(db))
		return SESSIONS_FAILED;
	return finish(db, survey_locked(db, who, session, person, helps_job_search,
					helps_personal_life, now, why));
}

int sessions_counts(struct db *db, const char *session, struct sessions_counts *c)
{
	struct db_stmt *st;
	int rc;

	memset(c, 0, sizeof *c);
	if (db_prepare(db, &st,
		       "SELECT (SELECT COUNT(*) FROM attendance a WHERE a.collective_session = ?1 "
		       "AND a.status = 'registered'), (SELECT COUNT(*) FROM attendance a "
		       "WHERE a.collective_session = ?1 AND a.status = 'present'), "
		       "(SELECT COUNT(*) FROM attendance a WHERE a.collective_session = ?1 "
		       "AND a.status = 'excused'), (SELECT COUNT(*) FROM attendance a "
		       "WHERE a.collective_session = ?1 AND a.status = 'absent'), COUNT(*), "
		       "SUM(CASE WHEN r.helps_job_search = 1 THEN 1 ELSE 0 END), "
		       "SUM(CASE WHEN r.helps_job_search = 0 THEN 1 ELSE 0 END), "
		       "SUM(CASE WHEN r.helps_personal_life = 1 THEN 1 ELSE 0 END), "
		       "SUM(CASE WHEN r.helps_personal_life = 0 THEN 1 ELSE 0 END) "
		       "FROM survey_response r WHERE r.collective_session = ?1"))
		return -1;
	db_bind_text(st, 1, session);
	rc = db_step(st);
	if (rc == DB_ROW) {
		long *out[] = { &c->registered, &c->present, &c->excused, &c->absent, &c->answers,
				&c->job_yes, &c->job_no, &c->life_yes, &c->life_no };
		for (int i = 0; i < 9; i++)
			*out[i] = (long)db_col_int(st, i);
	}
	db_finalize(st);
	return rc == DB_ROW ? 0 : -1;
}
