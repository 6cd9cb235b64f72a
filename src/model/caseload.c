/* caseload.c — see caseload.h. */
#include "model/caseload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/text.h"
#include "db/db.h"
#include "model/audit.h"
#include "model/problems.h"
#include "model/record.h"
#include "model/schema.h"

const char *const caseload_actions[] = { "no_contract", "contract_ending", "unfilled",
	"no_appointment", NULL };
static const char *const action_labels[] = { "Sans contrat après le délai",
	"Contrat qui finit dans les 30 jours", "Rendez-vous passé non renseigné",
	"Sans rendez-vous depuis 3 mois" };

/* How far ahead a contract's end needs action, and the legal delays. */
#define CASELOAD_ENDING_DAYS 30
#define CASELOAD_SOCIO_MONTHS 1
#define CASELOAD_SOCIAL_MONTHS 2
#define CASELOAD_QUIET_MONTHS 3

const char *caseload_action_label(const char *code)
{
	for (int i = 0; code && caseload_actions[i]; i++)
		if (!strcmp(caseload_actions[i], code))
			return action_labels[i];
	return NULL;
}

static void bind_day(json_t *binds, long day)
{
	char s[11];

	date_format(day, s);
	json_array_append_new(binds, json_string(s));
}

/* A CER or engagement contract c in force on ?: started, not yet ended. */
#define IN_FORCE "c.person = p.id AND c.kind IN ('cer', 'engagement') AND c.start_date <= ? " \
		 "AND COALESCE(c.terminated_on, c.end_date) >= ?"
/* A record l (orientation, assignment) current on ?. */
#define CURRENT "l.start_date <= ? AND (l.end_date IS NULL OR l.end_date >= ?)"

/* The descriptive columns: the current orientation, the contract in
 * force, the last appointment up to today. */
static void info_columns(struct buf *sql, json_t *binds, long today)
{
	buf_addstr(sql, "(SELECT MAX(l.itinerary) FROM orientation l WHERE l.person = p.id AND "
			CURRENT ") AS itinerary, (SELECT MAX(l.start_date) FROM orientation l "
			"WHERE l.person = p.id AND " CURRENT ") AS oriented_on, "
			"(SELECT MAX(COALESCE(c.terminated_on, c.end_date)) FROM contract c WHERE "
			IN_FORCE ") AS contract_end, (SELECT MAX(a.at) FROM appointment a "
			"WHERE a.person = p.id AND a.at < ?) AS last_appointment, ");
	for (int i = 0; i < 6; i++)
		bind_day(binds, today);
	bind_day(binds, today + 1);
}

/* One 0/1 column per action (caseload.h says what each means). */
static void action_columns(struct buf *sql, json_t *binds, long today)
{
	buf_addstr(sql, "CASE WHEN EXISTS (SELECT 1 FROM orientation l WHERE l.person = p.id AND "
			CURRENT " AND ((l.itinerary = 'socio_professional' AND l.start_date < ?) OR "
			"(l.itinerary = 'social' AND l.start_date < ?))) AND NOT EXISTS (SELECT 1 "
			"FROM contract c WHERE " IN_FORCE ") THEN 1 ELSE 0 END AS no_contract, ");
	bind_day(binds, today);
	bind_day(binds, today);
	bind_day(binds, date_add_months(today, -CASELOAD_SOCIO_MONTHS));
	bind_day(binds, date_add_months(today, -CASELOAD_SOCIAL_MONTHS));
	bind_day(binds, today);
	bind_day(binds, today);
	buf_addstr(sql, "CASE WHEN EXISTS (SELECT 1 FROM contract c WHERE " IN_FORCE
			" AND COALESCE(c.terminated_on, c.end_date) <= ?) AND NOT EXISTS (SELECT 1 "
			"FROM contract n WHERE n.person = p.id AND n.kind IN ('cer', 'engagement') "
			"AND n.start_date > ?) THEN 1 ELSE 0 END AS contract_ending, ");
	bind_day(binds, today);
	bind_day(binds, today);
	bind_day(binds, today + CASELOAD_ENDING_DAYS);
	bind_day(binds, today);
	buf_addstr(sql, "CASE WHEN EXISTS (SELECT 1 FROM appointment a WHERE a.person = p.id "
			"AND a.status = 'planned' AND a.at < ?) THEN 1 ELSE 0 END AS unfilled, "
			"CASE WHEN EXISTS (SELECT 1 FROM appointment a WHERE a.person = p.id "
			"AND a.status IN ('planned', 'honored', 'excused', 'missed') AND a.at >= ?) "
			"THEN 0 ELSE 1 END "
			"AS no_appointment ");
	bind_day(binds, today);
	bind_day(binds, date_add_months(today, -CASELOAD_QUIET_MONTHS));
}

/* The people whose current orientation or assignment names the référent,
 * or an absent colleague whose caseload they cover today: one set that
 * drives the query (a few hundred people), where "p.id IN (…) OR p.id IN
 * (…)" was tested on every person of the référent's access scope. */
static void followed(struct buf *sql, json_t *binds, const char *referent, long today)
{
	static const char *const tables[] = { "orientation", "referent_assignment" };

	buf_addstr(sql, "p.id IN (");
	for (int i = 0; i < 2; i++) {
		buf_addf(sql, "%sSELECT l.person FROM %s l WHERE l.referent = ? AND " CURRENT
			      " UNION ALL SELECT l.person FROM referent_cover v JOIN %s l "
			      "ON l.referent = v.absent_referent WHERE v.covering_referent = ? "
			      "AND v.start_date <= ? AND v.end_date >= ? AND " CURRENT,
			 i ? " UNION ALL " : "", tables[i], tables[i]);
		json_array_append_new(binds, json_string(referent));
		bind_day(binds, today);
		bind_day(binds, today);
		json_array_append_new(binds, json_string(referent));
		for (int k = 0; k < 4; k++)
			bind_day(binds, today);
	}
	buf_addstr(sql, ")");
}

void caseload_open(struct buf *sql, json_t *binds, const char *referent, long today)
{
	buf_addstr(sql, "FROM (SELECT p.id, p.last_name, p.first_name, p.birth_date, p.search_key, ");
	info_columns(sql, binds, today);
	action_columns(sql, binds, today);
	buf_addstr(sql, "FROM person p JOIN household h ON h.id = p.household WHERE ");
	followed(sql, binds, referent, today);
}

void caseload_close(struct buf *sql, const char *action)
{
	buf_addstr(sql, ") x WHERE 1 = 1");
	/* The code is one of ours, never the user's text, in the SQL. */
	for (int i = 0; action && caseload_actions[i]; i++)
		if (!strcmp(action, caseload_actions[i]))
			buf_addf(sql, " AND x.%s = 1", caseload_actions[i]);
}

int caseload_counts(struct db *db, const char *from, json_t *binds, long counts[5])
{
	struct buf sql;
	struct db_stmt *st;
	int rc = -1;

	buf_init(&sql, 131072);
	buf_addf(&sql, "SELECT COUNT(*), SUM(x.no_contract), SUM(x.contract_ending), "
		       "SUM(x.unfilled), SUM(x.no_appointment) %s", from);
	if (db_prepare(db, &st, buf_str(&sql)) == 0) {
		int n = (int)json_array_size(binds);
		for (int i = 0; i < n; i++) {
			json_t *v = json_array_get(binds, (size_t)i);
			if (json_is_integer(v))
				db_bind_int(st, i + 1, json_integer_value(v));
			else
				db_bind_text(st, i + 1, json_string_value(v));
		}
		if (db_step(st) == DB_ROW) {
			for (int i = 0; i < 5; i++)
				counts[i] = (long)db_col_int(st, i);
			rc = 0;
		}
		db_finalize(st);
	}
	buf_release(&sql);
	return rc;
}

long caseload_size(struct db *db, const char *referent, long today)
{
	struct buf sql;
	json_t *binds = json_array();
	long counts[5] = { 0 };

	buf_init(&sql, 65536);
	caseload_open(&sql, binds, referent, today);
	caseload_close(&sql, NULL);
	if (caseload_counts(db, buf_str(&sql), binds, counts))
		counts[0] = -1;
	buf_release(&sql);
	json_decref(binds);
	return counts[0];
}

/* ---- writes ---------------------------------------------------------------- */

/* The account's organisation into org ("" when there is no such account)
 * and whether it has the referent role. */
static int referent_of(struct db *db, const char *id, char org[65], char name[210])
{
	struct db_stmt *st;
	int is_referent = 0;

	org[0] = name[0] = '\0';
	if (!id || db_prepare(db, &st, "SELECT organisation, roles, first_name || ' ' || last_name "
				       "FROM account WHERE id = ?"))
		return 0;
	db_bind_text(st, 1, id);
	if (db_step(st) == DB_ROW) {
		snprintf(org, 65, "%s", db_col_text(st, 0));
		is_referent = strstr(db_col_text(st, 1), "\"referent\"") != NULL;
		snprintf(name, 210, "%s", db_col_text(st, 2));
	}
	db_finalize(st);
	return is_referent;
}

/* Two référents of one organisation, not the same: else problems on the
 * fields `a_field` and `b_field`. */
static void check_pair(struct db *db, const char *a, const char *b, const char *a_field,
		       const char *b_field, struct problems *pb)
{
	char org_a[65], org_b[65], name_a[210], name_b[210];
	int ref_a = referent_of(db, a, org_a, name_a), ref_b = referent_of(db, b, org_b, name_b);

	if (!org_a[0])
		problem_add(pb, a_field, "choisissez un compte qui existe");
	else if (!ref_a)
		problem_add(pb, a_field, "%s n'a pas le rôle de référent de parcours", name_a);
	if (!org_b[0])
		problem_add(pb, b_field, "choisissez un compte qui existe");
	else if (!ref_b)
		problem_add(pb, b_field, "%s n'a pas le rôle de référent de parcours", name_b);
	else if (org_a[0] && strcmp(a, b) == 0)
		problem_add(pb, b_field, "choisissez un autre référent que %s", name_a);
	else if (org_a[0] && strcmp(org_a, org_b) != 0)
		problem_add(pb, b_field, "%s n'est pas de la même structure que %s", name_b, name_a);
}

static int write_checked(struct db *db, struct record_writer *w, const struct type_def *t,
			 const char *id, json_t *rec, struct problems *pb)
{
	problems_at(pb, 0, t->name, id);
	return record_write(w, t, id, rec) || record_check_one(db, t, id, pb) ? -1 : 0;
}

/* The ids of the records of `table` naming `referent` current on `on` or
 * starting later. */
static json_t *naming(struct db *db, const char *table, const char *referent, const char *on)
{
	char sql[200];
	struct db_stmt *st;
	json_t *ids = json_array();

	snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE referent = ? AND (end_date IS NULL "
				  "OR end_date >= ?) ORDER BY id", table);
	if (db_prepare(db, &st, sql))
		return ids;
	db_bind_text(st, 1, referent);
	db_bind_text(st, 2, on);
	while (db_step(st) == DB_ROW)
		json_array_append_new(ids, json_string(db_col_text(st, 0)));
	db_finalize(st);
	return ids;
}

/* One assignment of the leaving référent: ends the day before `on` and a
 * new one goes on with `to`, or changes référent when it starts later. */
static int move_assignment(struct db *db, struct record_writer *w, const char *id,
			   const char *to, const char *on, struct problems *pb, json_t *people)
{
	json_t *rec = record_load(db, &type_referent_assignment, id, NULL), *next;
	const char *start = json_string_value(json_object_get(rec, "start"));
	char new_id_s[65], end[11];
	long d;
	int rc;

	if (!rec || date_parse(on, &d))
		return -1;
	json_object_set(people, json_string_value(json_object_get(rec, "person")), json_true());
	if (strcmp(start, on) >= 0) {
		json_object_set_new(rec, "referent", json_string(to));
		rc = write_checked(db, w, &type_referent_assignment, id, rec, pb);
		json_decref(rec);
		return rc;
	}
	next = json_deep_copy(rec);
	date_format(d - 1, end);
	json_object_set_new(rec, "end", json_string(end));
	exchange_id_new("ra-", new_id_s);
	json_object_set_new(next, "id", json_string(new_id_s));
	json_object_set_new(next, "referent", json_string(to));
	json_object_set_new(next, "start", json_string(on));
	rc = write_checked(db, w, &type_referent_assignment, id, rec, pb) ||
	     write_checked(db, w, &type_referent_assignment, new_id_s, next, pb);
	json_decref(rec);
	json_decref(next);
	return rc ? -1 : 0;
}

static int move_orientation(struct db *db, struct record_writer *w, const char *id,
			    const char *to, struct problems *pb, json_t *people)
{
	json_t *rec = record_load(db, &type_orientation, id, NULL);
	int rc;

	if (!rec)
		return -1;
	json_object_set(people, json_string_value(json_object_get(rec, "person")), json_true());
	json_object_set_new(rec, "referent", json_string(to));
	rc = write_checked(db, w, &type_orientation, id, rec, pb);
	json_decref(rec);
	return rc;
}

/* One audit entry per person moved, then one for the whole transfer. */
static int audit_transfer(struct db *db, const struct caseload_actor *who, const char *from,
			  const char *to, const char *on, json_t *people)
{
	const char *person;
	json_t *v;
	char detail[300];

	snprintf(detail, sizeof detail, "{\"from\":\"%s\",\"to\":\"%s\",\"on\":\"%s\"}", from, to,
		 on);
	json_object_foreach(people, person, v) {
		if (audit_append(db, who->id, who->address, "caseload.transfer", "person", person,
				 detail))
			return -1;
	}
	snprintf(detail, sizeof detail, "{\"to\":\"%s\",\"on\":\"%s\",\"people\":%zu}", to, on,
		 json_object_size(people));
	return audit_append(db, who->id, who->address, "caseload.transfer", "user", from, detail);
}

static enum caseload_result finish(struct db *db, enum caseload_result r, struct problems *pb)
{
	if (r == CASELOAD_OK && problems_count(pb))
		r = CASELOAD_INVALID;
	if (r == CASELOAD_OK && db_commit(db) == 0)
		return r;
	db_rollback(db);
	return r == CASELOAD_OK ? CASELOAD_FAILED : r;
}

static enum caseload_result transfer_in(struct db *db, const struct caseload_actor *who,
					const char *from, const char *to, const char *on,
					struct problems *pb, json_t *people)
{
	json_t *ras = naming(db, "referent_assignment", from, on);
	json_t *ors = naming(db, "orientation", from, on), *v;
	struct record_writer *w = record_writer_new(db);
	int rc = w ? 0 : -1;
	size_t i;

	json_array_foreach(ras, i, v) rc = rc ? rc : move_assignment(db, w, json_string_value(v),
								      to, on, pb, people);
	json_array_foreach(ors, i, v) rc = rc ? rc : move_orientation(db, w, json_string_value(v),
								       to, pb, people);
	record_writer_free(w);
	json_decref(ras);
	json_decref(ors);
	if (rc)
		return CASELOAD_FAILED;
	if (problems_count(pb))
		return CASELOAD_INVALID;
	return audit_transfer(db, who, from, to, on, people) ? CASELOAD_FAILED : CASELOAD_OK;
}

enum caseload_result caseload_transfer(struct db *db, const struct caseload_actor *who,
				       const char *from, const char *to, const char *on,
				       struct problems *pb, long *moved)
{
	json_t *people;
	enum caseload_result r;
	long d;

	*moved = 0;
	problems_at(pb, 0, "referent_assignment", NULL);
	check_pair(db, from, to, "from", "to", pb);
	if (!on || date_parse(on, &d))
		problem_add(pb, "on", "date attendue au format jj/mm/aaaa");
	if (problems_count(pb))
		return CASELOAD_INVALID;
	if (db_begin(db))
		return CASELOAD_FAILED;
	people = json_object();
	r = finish(db, transfer_in(db, who, from, to, on, pb, people), pb);
	if (r == CASELOAD_OK)
		*moved = (long)json_object_size(people);
	json_decref(people);
	return r;
}

enum caseload_result caseload_cover(struct db *db, const struct caseload_actor *who,
				    const char *absent, const char *covering, const char *start,
				    const char *end, struct problems *pb, char id_out[65])
{
	json_t *rec;
	struct record_writer *w;
	enum caseload_result r = CASELOAD_FAILED;
	char *detail;

	exchange_id_new("rc-", id_out);
	rec = json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:s?}", "type", "referent_cover", "id", id_out,
			"absent", absent && *absent ? absent : NULL, "covering",
			covering && *covering ? covering : NULL, "start",
			start && *start ? start : NULL, "end", end && *end ? end : NULL);
	problems_at(pb, 0, "referent_cover", id_out);
	record_validate(&type_referent_cover, rec, 0, pb, NULL);
	if (!problems_count(pb))
		check_pair(db, absent, covering, "absent", "covering", pb);
	if (problems_count(pb) || db_begin(db)) {
		json_decref(rec);
		return problems_count(pb) ? CASELOAD_INVALID : CASELOAD_FAILED;
	}
	w = record_writer_new(db);
	detail = json_dumps(rec, JSON_COMPACT);
	if (w && write_checked(db, w, &type_referent_cover, id_out, rec, pb) == 0 &&
	    (problems_count(pb) || audit_append(db, who->id, who->address, "caseload.cover", "user",
						absent, detail) == 0))
		r = CASELOAD_OK;
	free(detail);
	record_writer_free(w);
	json_decref(rec);
	return finish(db, r, pb);
}
