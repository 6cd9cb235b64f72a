/*
 * sessions.c — collective sessions (ateliers) of the référent's
 * organisation: the list, the session form, the session's page (people
 * registered, registration among the people the user may see, presence
 * after the session, survey answers and their summary) and the attendance
 * sheet. A référent works on the sessions of their organisation, an admin
 * on all; another organisation's session answers 404, as does a person the
 * user may not see (access_scope_people(), audited as person.denied).
 */
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/text.h"
#include "db/db.h"
#include "model/audit.h"
#include "model/path.h"
#include "model/problems.h"
#include "model/record.h"
#include "model/schema.h"
#include "model/sessions.h"
#include "print/letters.h"
#include "web/access.h"
#include "web/http.h"
#include "web/listing.h"
#include "web/pages/pages.h"
#include "web/record_form.h"
#include "web/session.h"

#define SESSION_NOT_FOUND "cette séance n'existe pas ou ne vous est pas accessible"
#define PERSON_NOT_FOUND "cette personne n'existe pas ou ne vous est pas accessible"
/* People offered by the registration search at once. */
#define SESSION_SEARCH_MAX 20

static const char *const status_labels[][2] = {
	{ "registered", "Inscrit(e)" }, { "present", "Présent(e)" },
	{ "excused", "Excusé(e)" },     { "absent", "Absent(e)" },
};

static const char *status_label(const char *code)
{
	for (size_t i = 0; code && i < sizeof status_labels / sizeof *status_labels; i++)
		if (!strcmp(code, status_labels[i][0]))
			return status_labels[i][1];
	return code ? code : "";
}

static int is_admin(const struct request *req)
{
	return (req->user.roles & ROLE_ADMIN) != 0;
}

/* "12 mai 2016 à 14 h 00" (the datetime as written when it is not one). */
static void when_text(const char *at, char *out, size_t size)
{
	char day[11], hm[6], fr[40];
	long d;

	sessions_split_at(at, day, hm);
	if (date_parse(day, &d)) {
		snprintf(out, size, "%s", at ? at : "");
		return;
	}
	date_format_fr(d, fr, sizeof fr);
	snprintf(out, size, "%s à %d h %.2s", fr, (int)strtol(hm, NULL, 10), hm + 3);
}

/* True when the session at `at` has not started yet. */
static int upcoming(const char *at)
{
	char now[32];
	long long a, n;

	datetime_app_now(now);
	return !path_datetime_seconds(at, &a) && !path_datetime_seconds(now, &n) && a > n;
}

/* ---- the list ---- */

static json_t *session_row(struct db_stmt *st, void *ud)
{
	const char *at = db_col_text(st, 2);
	char when[80];
	json_t *row;

	(void)ud;
	when_text(at, when, sizeof when);
	row = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:b}", "id", db_col_text(st, 0),
			"title", db_col_text(st, 1), "at", at, "when", when, "organisation",
			db_col_text(st, 4), "organisation_name", db_col_text(st, 5), "registered",
			(json_int_t)db_col_int(st, 6), "present", (json_int_t)db_col_int(st, 7),
			"upcoming", db_col_int(st, 8) != 0);
	if (!db_col_is_null(st, 3))
		json_object_set_new(row, "capacity", json_integer(db_col_int(st, 3)));
	return row;
}

/* The day after a YYYY-MM-DD date (the end of a "to" filter), or "". */
static void day_after(const char *day, char out[static 11])
{
	long d;

	out[0] = '\0';
	if (day && !date_parse(day, &d))
		date_format(d + 1, out);
}

/* Filters: from / to (days), title words; the organisation for admins. */
static void list_filters(struct request *req, struct listing *l, json_t *echo)
{
	const char *from = req_query(req, "from"), *to = req_query(req, "to");
	const char *title = req_query(req, "title"), *org = req_query(req, "organisation");
	char end[11];
	long d;

	if (from && *from && !date_parse(from, &d)) {
		buf_addstr(&l->from, " AND s.at >= ?");
		json_array_append_new(l->binds, json_string(from));
	}
	day_after(to, end);
	if (*end) {
		buf_addstr(&l->from, " AND s.at < ?");
		json_array_append_new(l->binds, json_string(end));
	}
	if (title && *title) {
		char *like = malloc(2 * strlen(title) + 3), *o = like;
		*o++ = '%';
		for (const char *c = title; *c; c++) {
			if (*c == '%' || *c == '_' || *c == '\\')
				*o++ = '\\';
			*o++ = *c;
		}
		*o++ = '%';
		*o = '\0';
		buf_addstr(&l->from, " AND LOWER(s.title) LIKE LOWER(?) ESCAPE '\\'");
		json_array_append_new(l->binds, json_string(like));
		free(like);
	}
	if (!is_admin(req)) {
		buf_addstr(&l->from, " AND s.organisation = ?");
		json_array_append_new(l->binds, json_string(req->user.organisation));
	} else if (org && *org) {
		buf_addstr(&l->from, " AND s.organisation = ?");
		json_array_append_new(l->binds, json_string(org));
	}
	json_object_set_new(echo, "from", json_string(from ? from : ""));
	json_object_set_new(echo, "to", json_string(to ? to : ""));
	json_object_set_new(echo, "title", json_string(title ? title : ""));
}

void page_sessions(struct request *req, struct response *res)
{
	struct listing l;
	json_t *echo = json_object();
	char now[32];

	datetime_app_now(now);
	listing_init(&l);
	l.select = "s.id, s.title, s.at, s.capacity, s.organisation, o.name, "
		   "(SELECT COUNT(*) FROM attendance a WHERE a.collective_session = s.id "
		   "AND a.status IN ('registered', 'present')), "
		   "(SELECT COUNT(*) FROM attendance a WHERE a.collective_session = s.id "
		   "AND a.status = 'present'), CASE WHEN s.at >= n.now_at THEN 1 ELSE 0 END";
	/* "Now" comes as a bound value joined once, so that the order (upcoming
	 * first, nearest first; then past, latest first) can use it. */
	buf_addstr(&l.from, "FROM collective_session s JOIN organisation o ON o.id = s.organisation "
			    "CROSS JOIN (SELECT CAST(? AS VARCHAR(40)) AS now_at) n WHERE 1 = 1");
	json_array_append_new(l.binds, json_string(now));
	list_filters(req, &l, echo);
	l.order = "CASE WHEN s.at >= n.now_at THEN 0 ELSE 1 END, "
		  "CASE WHEN s.at >= n.now_at THEN s.at ELSE NULL END, s.at DESC, s.id";
	l.name = "seances";
	l.row = session_row;
	listing_column(&l, "title", "Intitulé");
	listing_column(&l, "at", "Date et heure");
	listing_column(&l, "organisation_name", "Structure");
	listing_column(&l, "capacity", "Places");
	listing_column(&l, "registered", "Inscrits");
	listing_column(&l, "present", "Présents");
	res->template = "sessions";
	res->title = "Séances collectives";
	res->data = json_pack("{s:o, s:b}", "search", echo, "is_admin", is_admin(req));
	listing_run(req, res, &l);
	listing_release(&l);
}

/* ---- one session ---- */

/* The session when the user may work on it: their organisation's, or any
 * for an admin. Otherwise NULL and a 404 (as for one that does not exist). */
static json_t *visible_session(struct request *req, struct response *res, long *version)
{
	json_t *s = record_load(req->db, &type_collective_session, req_param(req, "id"), version);
	const char *org = json_string_value(json_object_get(s, "organisation"));

	if (s && (is_admin(req) || (org && !strcmp(org, req->user.organisation))))
		return s;
	json_decref(s);
	res_error(res, 404, SESSION_NOT_FOUND);
	return NULL;
}

/* 404 for a person the user may not see, as for one that does not exist;
 * the attempt is audited. */
static int visible_person(struct request *req, struct response *res, const char *person)
{
	if (person && *person && access_person_visible(req->db, &req->user, person))
		return 1;
	audit_append(req->db, req->user.id, req->address, "person.denied", "person",
		     person ? person : "", NULL);
	res_error(res, 404, PERSON_NOT_FOUND);
	return 0;
}

static void organisation_name(struct db *db, const char *id, char *out, size_t size)
{
	struct db_stmt *st;

	out[0] = '\0';
	if (!id || db_prepare(db, &st, "SELECT name FROM organisation WHERE id = ?"))
		return;
	db_bind_text(st, 1, id);
	if (db_step(st) == DB_ROW)
		snprintf(out, size, "%s", db_col_text(st, 0));
	db_finalize(st);
}

/* The session as the pages show it: its fields, when, day and time,
 * organisation's name, whether it is still to come, its version. */
static void session_facts(struct request *req, json_t *s, long version)
{
	const char *at = json_string_value(json_object_get(s, "at"));
	char when[80], day[11], hm[6], org[201];

	when_text(at, when, sizeof when);
	sessions_split_at(at, day, hm);
	organisation_name(req->db, json_string_value(json_object_get(s, "organisation")), org,
			  sizeof org);
	json_object_set_new(s, "when", json_string(when));
	json_object_set_new(s, "day", json_string(day));
	json_object_set_new(s, "time", json_string(hm));
	json_object_set_new(s, "organisation_name", json_string(org));
	json_object_set_new(s, "upcoming", json_boolean(upcoming(at)));
	json_object_set_new(s, "version", json_integer(version));
}

static json_t *attendee(struct db_stmt *st)
{
	const char *status = db_col_text(st, 4);
	json_t *a = json_pack("{s:s, s:s, s:s, s:s?, s:s, s:s, s:b}", "id", db_col_text(st, 0),
			      "last_name", db_col_text(st, 1), "first_name", db_col_text(st, 2),
			      "birth_date", db_col_text(st, 3), "status", status, "status_label",
			      status_label(status), "answered", db_col_int(st, 5) > 0);

	for (size_t i = 0; i < sizeof status_labels / sizeof *status_labels; i++) {
		char key[24];
		snprintf(key, sizeof key, "is_%s", status_labels[i][0]);
		json_object_set_new(a, key, json_boolean(!strcmp(status, status_labels[i][0])));
	}
	return a;
}

/* The people at the session that the user may see (access scope), by
 * name; *hidden gets how many others there are. */
static json_t *attendees(struct request *req, const char *session, long *hidden)
{
	struct buf sql;
	json_t *binds = json_array(), *rows = json_array();
	struct db_stmt *st;
	int64_t all = 0;

	buf_init(&sql, 16384);
	buf_addstr(&sql, "SELECT p.id, p.last_name, p.first_name, p.birth_date, a.status, "
			 "(SELECT COUNT(*) FROM survey_response r WHERE r.collective_session = "
			 "a.collective_session AND r.person = p.id) FROM attendance a "
			 "JOIN person p ON p.id = a.person JOIN household h ON h.id = p.household "
			 "WHERE a.collective_session = ?");
	json_array_append_new(binds, json_string(session));
	access_scope_people(&req->user, &sql, binds);
	buf_addstr(&sql, " ORDER BY p.last_name, p.first_name, p.id");
	if (db_prepare(req->db, &st, buf_str(&sql)) == 0) {
		query_bind(st, binds, 1);
		while (db_step(st) == DB_ROW)
			json_array_append_new(rows, attendee(st));
		db_finalize(st);
	}
	db_query_int(req->db, &all, "SELECT COUNT(*) FROM attendance WHERE collective_session = ?",
		     "s", session);
	*hidden = (long)all - (long)json_array_size(rows);
	buf_release(&sql);
	json_decref(binds);
	return rows;
}

/* " AND p.search_key LIKE ?" for each word of q (folded, % and \ escaped). */
static void name_words(const char *q, struct buf *sql, json_t *binds)
{
	char *key = text_fold(q), *like = key ? malloc(2 * strlen(key) + 3) : NULL;
	const char *w = key;

	while (like && *w) {
		size_t len = strcspn(w, " "), k = 0;
		like[k++] = '%';
		for (size_t i = 0; i < len; i++) {
			if (w[i] == '%' || w[i] == '\\' || w[i] == '_')
				like[k++] = '\\';
			like[k++] = w[i];
		}
		like[k++] = '%';
		like[k] = '\0';
		if (len) {
			buf_addstr(sql, " AND p.search_key LIKE ? ESCAPE '\\'");
			json_array_append_new(binds, json_string(like));
		}
		w += len + (w[len] == ' ');
	}
	free(key);
	free(like);
}

/* The people the user may see, found by name, who hold no place yet. */
static json_t *candidates(struct request *req, const char *session, const char *q)
{
	struct buf sql;
	json_t *binds = json_array(), *rows = json_array();
	struct db_stmt *st;

	buf_init(&sql, 16384);
	buf_addstr(&sql, "SELECT p.id, p.last_name, p.first_name, p.birth_date FROM person p "
			 "JOIN household h ON h.id = p.household WHERE NOT EXISTS (SELECT 1 FROM "
			 "attendance a WHERE a.collective_session = ? AND a.person = p.id "
			 "AND a.status IN ('registered', 'present'))");
	json_array_append_new(binds, json_string(session));
	name_words(q, &sql, binds);
	access_scope_people(&req->user, &sql, binds);
	buf_addf(&sql, " ORDER BY p.search_key, p.birth_date, p.id LIMIT %d", SESSION_SEARCH_MAX);
	if (db_prepare(req->db, &st, buf_str(&sql)) == 0) {
		query_bind(st, binds, 1);
		while (db_step(st) == DB_ROW)
			json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:s?}", "id",
				db_col_text(st, 0), "last_name", db_col_text(st, 1), "first_name",
				db_col_text(st, 2), "birth_date", db_col_text(st, 3)));
		db_finalize(st);
	}
	buf_release(&sql);
	json_decref(binds);
	return rows;
}

/* One question's figures: yes, no and their shares of the answers to it. */
static json_t *question(const char *text, long yes, long no)
{
	long n = yes + no;

	return json_pack("{s:s, s:I, s:I, s:I, s:I, s:I}", "question", text, "yes",
			 (json_int_t)yes, "no", (json_int_t)no, "answered", (json_int_t)n,
			 "yes_pct", (json_int_t)(n ? (yes * 100 + n / 2) / n : 0), "no_pct",
			 (json_int_t)(n ? (no * 100 + n / 2) / n : 0));
}

#define Q_JOB "La séance vous aide-t-elle dans votre recherche d'emploi ?"
#define Q_LIFE "La séance vous aide-t-elle dans votre vie personnelle ?"

/* Places and statuses, and the survey's summary (when answered once). */
static void session_figures(struct request *req, const char *session, json_t *s)
{
	struct sessions_counts c;
	json_t *cap = json_object_get(s, "capacity");
	long taken;

	if (sessions_counts(req->db, session, &c))
		return;
	taken = c.registered + c.present;
	json_object_set_new(s, "counts", json_pack("{s:I, s:I, s:I, s:I, s:I}", "registered",
			    (json_int_t)c.registered, "present", (json_int_t)c.present, "excused",
			    (json_int_t)c.excused, "absent", (json_int_t)c.absent, "taken",
			    (json_int_t)taken));
	if (json_is_integer(cap)) {
		long left = (long)json_integer_value(cap) - taken;
		char text[40];
		snprintf(text, sizeof text, "%lld place%s", (long long)json_integer_value(cap),
			 json_integer_value(cap) > 1 ? "s" : "");
		json_object_set_new(s, "capacity_text", json_string(text));
		json_object_set_new(s, "places_left", json_integer(left > 0 ? left : 0));
		json_object_set_new(s, "full", json_boolean(left <= 0));
	}
	if (c.answers > 0)
		json_object_set_new(s, "survey", json_pack("{s:I, s:[o, o]}", "answers",
				    (json_int_t)c.answers, "questions",
				    question(Q_JOB, c.job_yes, c.job_no),
				    question(Q_LIFE, c.life_yes, c.life_no)));
}

/* Builds the session page into res->data (keeping what is there: an
 * error of the action just refused). */
static void session_page(struct request *req, struct response *res, json_t *s, long version)
{
	const char *id = json_string_value(json_object_get(s, "id"));
	const char *q = req_query(req, "q");
	long hidden = 0;
	json_t *people;

	if (!id)
		id = req_param(req, "id");
	session_facts(req, s, version);
	session_figures(req, id, s);
	people = attendees(req, id, &hidden);
	if (!json_is_object(res->data)) {
		json_decref(res->data);
		res->data = json_object();
	}
	json_object_set_new(res->data, "session_id", json_string(id));
	json_object_set(res->data, "session", s);
	json_object_set_new(res->data, "has_people", json_boolean(json_array_size(people) > 0));
	json_object_set_new(res->data, "people", people);
	json_object_set_new(res->data, "anonymous", json_pack("{s:s}", "id", "anonyme"));
	json_object_set_new(res->data, "hidden", json_integer(hidden));
	json_object_set_new(res->data, "has_hidden", json_boolean(hidden > 0));
	json_object_set_new(res->data, "q_job", json_string(Q_JOB));
	json_object_set_new(res->data, "q_life", json_string(Q_LIFE));
	if (q && *q) {
		json_object_set_new(res->data, "q", json_string(q));
		json_t *found = candidates(req, id, q);
		json_object_set_new(res->data, "has_candidates",
				    json_boolean(json_array_size(found) > 0));
		json_object_set_new(res->data, "candidates", found);
	}
	res->template = "session";
	res->title = "Séance collective";
}

void page_session(struct request *req, struct response *res)
{
	long version = 0;
	json_t *s = visible_session(req, res, &version);

	if (!s)
		return;
	session_page(req, res, s, version);
	json_decref(s);
}

/* ---- actions on a session ---- */

/* After an action: a browser goes back to the session's page (303); a
 * JSON client gets the page's data. A refusal shows the page again with
 * the reason and its status. */
static void action_answer(struct request *req, struct response *res, int status,
			  const char *error)
{
	const char *id = req_param(req, "id");
	long version = 0;
	json_t *s;
	char to[120];

	if (!status && !req->wants_json) {
		snprintf(to, sizeof to, "/sessions/%s", id);
		res_redirect(res, to);
		return;
	}
	if (status == 404 || status == 500) {
		res_error(res, status, status == 404 ? SESSION_NOT_FOUND
						       : "l'enregistrement a échoué");
		return;
	}
	s = record_load(req->db, &type_collective_session, id, &version);
	if (!s) {
		res_error(res, 404, SESSION_NOT_FOUND);
		return;
	}
	json_decref(res->data);
	res->data = error ? json_pack("{s:s}", "error", error) : json_object();
	res->status = status ? status : 200;
	session_page(req, res, s, version);
	json_decref(s);
}

static int status_of(enum sessions_result r)
{
	switch (r) {
	case SESSIONS_OK:
		return 0;
	case SESSIONS_FULL:
	case SESSIONS_ALREADY:
		return 409;
	case SESSIONS_NOT_FOUND:
		return 404;
	case SESSIONS_REFUSED:
		return 422;
	default:
		return 500;
	}
}

/* The session (visible) and the actor; NULL when res is already a 404. */
static const char *acting_on(struct request *req, struct response *res,
			     struct sessions_actor *who)
{
	json_t *s = visible_session(req, res, NULL);

	who->id = req->user.id;
	who->address = req->address;
	json_decref(s);
	return s ? req_param(req, "id") : NULL;
}

void page_session_register(struct request *req, struct response *res)
{
	struct sessions_actor who;
	const char *id = acting_on(req, res, &who), *person = req_form(req, "person");
	enum sessions_result r;
	long capacity = -1;
	char why[120];

	if (!id || !visible_person(req, res, person))
		return;
	r = sessions_register(req->db, &who, id, person, &capacity);
	if (r == SESSIONS_FULL)
		snprintf(why, sizeof why, "La séance est complète (%ld place%s)", capacity,
			 capacity > 1 ? "s" : "");
	else
		snprintf(why, sizeof why, "%s", r == SESSIONS_ALREADY
			 ? "Cette personne est déjà inscrite à la séance" : "");
	action_answer(req, res, status_of(r), *why ? why : NULL);
}

void page_session_unregister(struct request *req, struct response *res)
{
	struct sessions_actor who;
	const char *id = acting_on(req, res, &who), *person = req_form(req, "person");
	const char *why = NULL;
	enum sessions_result r;

	if (!id || !visible_person(req, res, person))
		return;
	r = sessions_unregister(req->db, &who, id, person, &why);
	if (r == SESSIONS_NOT_FOUND) {
		r = SESSIONS_REFUSED;
		why = "cette personne n'est pas inscrite à la séance";
	}
	action_answer(req, res, status_of(r), why);
}

/* The statuses posted for the people the user may see (status_<id>);
 * the others' statuses are neither shown nor changed. */
static size_t posted_marks(struct request *req, json_t *people, struct sessions_mark *marks)
{
	json_t *p;
	size_t i, n = 0;

	json_array_foreach(people, i, p) {
		char name[100];
		const char *pid = json_string_value(json_object_get(p, "id")), *st;
		snprintf(name, sizeof name, "status_%s", pid);
		st = req_form(req, name);
		if (st && *st)
			marks[n++] = (struct sessions_mark){ pid, st };
	}
	return n;
}

void page_session_presence(struct request *req, struct response *res)
{
	struct sessions_actor who;
	const char *id = acting_on(req, res, &who), *why = NULL, *failed = NULL;
	struct sessions_mark *marks;
	enum sessions_result r;
	json_t *people;
	long hidden;
	char now[32];

	if (!id)
		return;
	people = attendees(req, id, &hidden);
	marks = calloc(json_array_size(people) + 1, sizeof *marks);
	datetime_app_now(now);
	r = marks ? sessions_record_presence(req->db, &who, id, marks,
					     posted_marks(req, people, marks), now, &why, &failed)
		  : SESSIONS_FAILED;
	free(marks);
	json_decref(people);
	action_answer(req, res, status_of(r), why);
}

/* "yes" → 1, "no" → 0, anything else: not answered. */
static int answer_of(const char *v)
{
	return !v ? SESSIONS_ANSWER_NONE : !strcmp(v, "yes") ? SESSIONS_ANSWER_YES
		: !strcmp(v, "no") ? SESSIONS_ANSWER_NO : SESSIONS_ANSWER_NONE;
}

void page_session_survey(struct request *req, struct response *res)
{
	struct sessions_actor who;
	const char *id = acting_on(req, res, &who), *person = req_form(req, "person");
	const char *why = NULL;
	enum sessions_result r;
	char now[32];

	if (!id)
		return;
	if (person && !*person)
		person = NULL; /* an anonymous answer */
	if (person && !visible_person(req, res, person))
		return;
	datetime_app_now(now);
	r = sessions_survey_answer(req->db, &who, id, person,
				   answer_of(req_form(req, "helps_job_search")),
				   answer_of(req_form(req, "helps_personal_life")), now, &why);
	action_answer(req, res, status_of(r), why);
}

/* ---- the attendance sheet ---- */

/* The people of the sheet (visible ones, registered or present), with
 * their names kept alive in `people` while the sheet is printed. */
static struct letter_attendee *sheet_people(json_t *people, size_t *n)
{
	struct letter_attendee *list = calloc(json_array_size(people) + 1, sizeof *list);
	json_t *p;
	size_t i;

	*n = 0;
	json_array_foreach(people, i, p) {
		const char *st = json_string_value(json_object_get(p, "status"));
		if (!list || (strcmp(st, "registered") && strcmp(st, "present")))
			continue;
		list[(*n)++] = (struct letter_attendee){
			json_string_value(json_object_get(p, "last_name")),
			json_string_value(json_object_get(p, "first_name")) };
	}
	return list;
}

static void sheet_session(json_t *s, const struct letter_attendee *people, size_t n,
			  struct letter_session *ls)
{
	const char *day = json_string_value(json_object_get(s, "day"));
	const char *hm = json_string_value(json_object_get(s, "time"));
	long d = 0;

	memset(ls, 0, sizeof *ls);
	ls->title = json_string_value(json_object_get(s, "title"));
	ls->day = date_parse(day, &d) == 0 ? d : date_today();
	ls->start_hour = (hm[0] - '0') * 10 + (hm[1] - '0');
	ls->start_minute = (hm[3] - '0') * 10 + (hm[4] - '0');
	ls->end_hour = -1;
	ls->organisation = json_string_value(json_object_get(s, "organisation_name"));
	ls->place.name = ls->organisation;
	ls->people = people;
	ls->n_people = n;
}

void page_session_sheet(struct request *req, struct response *res)
{
	long version = 0, hidden = 0;
	json_t *s = visible_session(req, res, &version), *people;
	struct letter_attendee *list;
	struct letter_session ls;
	struct letter_sender from = { 0 };
	char who[210], name[120];
	struct buf out;
	size_t n;

	if (!s)
		return;
	session_facts(req, s, version);
	people = attendees(req, req_param(req, "id"), &hidden);
	list = sheet_people(people, &n);
	sheet_session(s, list, n, &ls);
	snprintf(who, sizeof who, "%s %s", req->user.first_name, req->user.last_name);
	from.name = ls.organisation;
	from.db = req->db; /* the letterhead gets the organisation's address */
	from.organisation = json_string_value(json_object_get(s, "organisation"));
	from.signatory_role = "L'animateur ou l'animatrice de la séance";
	from.signatory_name = who;
	ls.facilitator = who;
	buf_init(&out, 16u << 20);
	if (!list || letter_session_problem(&ls) || letters_attendance_pdf(&out, &from, &ls)) {
		res_error(res, 500, "la feuille d'émargement n'a pas pu être produite");
	} else {
		res->content_type = "application/pdf";
		res->raw = buf_detach(&out, &res->raw_len);
		snprintf(name, sizeof name, "emargement-%s.pdf", req_param(req, "id"));
		res->filename = strdup(name);
		audit_append(req->db, req->user.id, req->address, "session.sheet",
			     "collective_session", req_param(req, "id"), NULL);
	}
	buf_release(&out);
	free(list);
	json_decref(people);
	json_decref(s);
}

/* ---- the session form ---- */

/* The organisations an admin may choose, the chosen one selected. */
static json_t *organisation_options(struct request *req, const char *chosen)
{
	json_t *opts = json_array();
	struct db_stmt *st;

	if (db_prepare(req->db, &st, "SELECT id, name FROM organisation ORDER BY name, id"))
		return opts;
	while (db_step(st) == DB_ROW)
		json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", db_col_text(st, 0),
				      "label", db_col_text(st, 1), "selected",
				      chosen && !strcmp(chosen, db_col_text(st, 0))));
	db_finalize(st);
	return opts;
}

/* The form's values from a stored session: day and time apart. */
static json_t *values_of(json_t *s)
{
	char day[11], hm[6], cap[24] = "";
	json_t *c = json_object_get(s, "capacity");

	sessions_split_at(json_string_value(json_object_get(s, "at")), day, hm);
	if (json_is_integer(c))
		snprintf(cap, sizeof cap, "%lld", (long long)json_integer_value(c));
	return json_pack("{s:s?, s:s?, s:s, s:s, s:s}", "title",
			 json_string_value(json_object_get(s, "title")), "organisation",
			 json_string_value(json_object_get(s, "organisation")), "day", day, "time",
			 hm, "capacity", cap);
}

/* The form's values as typed (a posted or restored form). */
static json_t *values_typed(json_t *form)
{
	static const char *const names[] = { "title", "organisation", "day", "time", "capacity" };
	json_t *v = json_object();

	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		const char *s = json_string_value(json_object_get(form, names[i]));
		json_object_set_new(v, names[i], json_string(s ? s : ""));
	}
	return v;
}

static void form_page(struct request *req, struct response *res, const char *id, long version,
		      json_t *values)
{
	char action[120], cancel[120];

	if (id) {
		snprintf(action, sizeof action, "/sessions/%s/edit", id);
		snprintf(cancel, sizeof cancel, "/sessions/%s", id);
	} else {
		snprintf(action, sizeof action, "/sessions/new");
		snprintf(cancel, sizeof cancel, "/sessions");
	}
	if (!json_is_object(res->data)) {
		json_decref(res->data);
		res->data = json_object();
	}
	res->template = "session_edit";
	res->title = id ? "Modifier la séance" : "Nouvelle séance collective";
	json_object_set_new(res->data, "heading", json_string(res->title));
	json_object_set_new(res->data, "action", json_string(action));
	json_object_set_new(res->data, "cancel", json_string(cancel));
	json_object_set_new(res->data, "version", json_integer(version));
	json_object_set_new(res->data, "is_admin", json_boolean(is_admin(req)));
	if (is_admin(req))
		json_object_set_new(res->data, "organisations", organisation_options(req,
				    json_string_value(json_object_get(values, "organisation"))));
	json_object_set_new(res->data, "values", values);
}

/* GET of the form: the stored session (or an empty one), or what was typed
 * before the session expired (?resume=…), with the version read then. */
static void form_show(struct request *req, struct response *res, const char *id, json_t *s,
		      long version)
{
	json_t *pending = pending_form_take(req);
	const char *v = json_string_value(json_object_get(pending, "version"));

	if (!pending) {
		form_page(req, res, id, version, values_of(s));
		return;
	}
	form_page(req, res, id, v ? strtol(v, NULL, 10) : version, values_typed(pending));
	json_object_set_new(res->data, "restored", json_true());
	json_decref(pending);
}

/* The record the posted form describes; problems of the day, time and
 * places (which the type's own checks say less plainly) go to errors. */
static json_t *posted_session(struct request *req, json_t *stored, json_t *errors)
{
	json_t *form = json_is_object(req->form) ? json_deep_copy(req->form) : json_object(), *rec;
	const char *org = is_admin(req) ? req_form(req, "organisation") : NULL;
	json_t *cap;
	char at[32];

	if (datetime_local(req_form(req, "day"), req_form(req, "time"), at))
		json_object_set_new(errors, "at", json_string("indiquez la date (jj/mm/aaaa) et "
							      "l'heure (hh:mm) de la séance"));
	else
		json_object_set_new(form, "at", json_string(at));
	if (!org || !*org)
		org = stored ? json_string_value(json_object_get(stored, "organisation"))
			     : req->user.organisation;
	json_object_set_new(form, "organisation", json_string(org));
	rec = record_from_form(&type_collective_session, form, NULL, NULL);
	cap = json_object_get(rec, "capacity");
	if (json_is_integer(cap) && json_integer_value(cap) < 1)
		json_object_set_new(errors, "capacity", json_string("au moins 1 place, ou rien "
								    "pour ne pas limiter"));
	json_decref(form);
	return rec;
}

/* The type's own field checks, added to errors where they say nothing yet
 * (so that one answer names every field to correct). */
static void field_problems(json_t *rec, json_t *errors)
{
	struct problems pb;
	json_t *fields;

	problems_init(&pb);
	record_validate(&type_collective_session, rec, 0, &pb, NULL);
	fields = problems_fields(&pb);
	json_object_update_missing(errors, fields);
	json_decref(fields);
	problems_release(&pb);
}

static void session_save(struct request *req, struct response *res, const char *id,
			 json_t *stored, long version)
{
	const char *sent = req_form(req, "version");
	long expected = sent ? strtol(sent, NULL, 10) : stored ? -1 : 0;
	json_t *errors = json_object(), *changes = NULL, *rec = posted_session(req, stored, errors);
	enum save_result r = SAVE_INVALID;
	char done[120];

	if (json_object_size(errors)) {
		field_problems(rec, errors);
	} else {
		json_decref(errors);
		r = record_save(req, &type_collective_session, id, rec, expected, &errors, &changes);
	}
	snprintf(done, sizeof done, "/sessions/%s", id);
	form_page(req, res, stored ? id : NULL, r == SAVE_CONFLICT ? version : expected,
		  values_typed(req->form));
	{
		const struct record_answer a = { &type_collective_session, id, expected, NULL, done };
		record_form_answer(req, res, r, &a, rec, errors, changes);
	}
	json_decref(errors);
	json_decref(changes);
	json_decref(rec);
}

void page_session_new(struct request *req, struct response *res)
{
	json_t *s = json_pack("{s:s}", "organisation", req->user.organisation);

	form_show(req, res, NULL, s, 0);
	json_decref(s);
}

void page_session_new_post(struct request *req, struct response *res)
{
	char id[65];

	exchange_id_new("cs-", id);
	session_save(req, res, id, NULL, 0);
}

void page_session_edit(struct request *req, struct response *res)
{
	long version = 0;
	json_t *s = visible_session(req, res, &version);

	if (!s)
		return;
	form_show(req, res, req_param(req, "id"), s, version);
	json_object_set_new(res->data, "record", json_pack("{s:O?}", "title",
			    json_object_get(s, "title")));
	json_decref(s);
}

void page_session_edit_post(struct request *req, struct response *res)
{
	long version = 0;
	json_t *s = visible_session(req, res, &version);

	if (!s)
		return;
	session_save(req, res, req_param(req, "id"), s, version);
	json_decref(s);
}
