/*
 * sessions.h — the work on collective sessions (ateliers) that is more than
 * saving one record: registering a person with the capacity enforced,
 * unregistering, recording presence for everyone at once, survey answers,
 * and the figures of a session (domain.md, "The path", point 5).
 *
 * Each change is one write transaction (db_begin() starts it at once, so
 * two registrations racing for the last place queue: the second one counts
 * the first and is refused), checked by the types' rules across records
 * (record_check_one) and audited on the person ("session.*" actions), so
 * that the person's audit shows it. Access (who may see the session and the
 * person) is the caller's business: web/access.h.
 */
#ifndef PARCOURS_SESSIONS_H
#define PARCOURS_SESSIONS_H
#include <stddef.h>

struct db;

/* Who acts: an account id (or "cli:…") and the client's address. */
struct sessions_actor {
	const char *id;
	const char *address;
};

enum sessions_result {
	SESSIONS_OK = 0,
	SESSIONS_FULL,      /* registered + present already fill the places */
	SESSIONS_ALREADY,   /* the person is already registered or present */
	SESSIONS_NOT_FOUND, /* no such session, or the person is not registered */
	SESSIONS_REFUSED,   /* a rule refused it: *why says which */
	SESSIONS_FAILED,    /* database error */
};

/* The day and "HH:MM" of a datetime as written ("" when it is too short). */
void sessions_split_at(const char *at, char day[static 11], char hm[static 6]);

/* Registers person at session (status registered). A person excused or
 * absent before is registered again. *capacity gets the places (-1: no
 * limit) for the refusal's message. */
enum sessions_result sessions_register(struct db *db, const struct sessions_actor *who,
				       const char *session, const char *person, long *capacity);
/* Removes a registration; only while the person is `registered` (a
 * recorded presence is history: mark them excused instead). */
enum sessions_result sessions_unregister(struct db *db, const struct sessions_actor *who,
					 const char *session, const char *person,
					 const char **why);

/* One person's status on the presence form. */
struct sessions_mark {
	const char *person;
	const char *status; /* present, excused, absent (or registered) */
};
/* Records the statuses of people registered at session, all or nothing:
 * a future session cannot have people present or absent (path.h), a person
 * not registered there is refused. `now` is datetime_app_now(). On
 * SESSIONS_REFUSED *why is the reason and *who_failed the person. */
enum sessions_result sessions_record_presence(struct db *db, const struct sessions_actor *who,
					      const char *session, const struct sessions_mark *marks,
					      size_t n, const char *now, const char **why,
					      const char **who_failed);

/* A yes/no answer: SESSIONS_ANSWER_NONE when the question was left out. */
enum { SESSIONS_ANSWER_NONE = -1, SESSIONS_ANSWER_NO = 0, SESSIONS_ANSWER_YES = 1 };
/* Saves a survey answer for session from person (NULL: anonymous). Only
 * once the session has taken place, from someone noted present, once per
 * person; at least one question answered. */
enum sessions_result sessions_survey_answer(struct db *db, const struct sessions_actor *who,
					    const char *session, const char *person,
					    int helps_job_search, int helps_personal_life,
					    const char *now, const char **why);

/* The figures of a session. */
struct sessions_counts {
	long registered, present, excused, absent; /* attendances by status */
	long answers;                              /* survey answers */
	long job_yes, job_no, life_yes, life_no;   /* by question */
};
int sessions_counts(struct db *db, const char *session, struct sessions_counts *c);

#endif
