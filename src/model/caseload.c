/* caseload.c — see caseload.h. */
#include "model/caseload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
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

/* Binds the values of binds (ids and dates, maybe integers) from ? number 1. */
static int bind_values(struct db_stmt *st, json_t *binds)
{
	json_t *v;
	size_t i;

	/* The values an access scope gives: texts and integers. */
	json_array_foreach(binds, i, v) {
		int rc = json_is_integer(v) ? db_bind_int(st, (int)i + 1, json_integer_value(v))
			 : json_is_string(v) ? db_bind_text(st, (int)i + 1, json_string_value(v)) : -1;
		if (rc)
			return -1;
	}
	return 0;
}

/* A record l (orientation, assignment) current on ?. */
#define CURRENT "l.start_date <= ? AND (l.end_date IS NULL OR l.end_date >= ?)"

/* The people whose current orientation or assignment names the référent,
 * or an absent colleague whose caseload they cover today: a set of ids
 * (a few hundred people) that the other tables are joined on. */
static void followed(struct buf *sql, json_t *binds, const char *referent, long today)
{
	static const char *const tables[] = { "orientation", "referent_assignment" };

	for (int i = 0; i < 2; i++) {
		buf_addf(sql, "%sSELECT l.person FROM %s l WHERE l.referent = ? AND " CURRENT
			      " UNION SELECT l.person FROM referent_cover v JOIN %s l "
			      "ON l.referent = v.absent_referent WHERE v.covering_referent = ? "
			      "AND v.start_date <= ? AND v.end_date >= ? AND " CURRENT,
			 i ? " UNION " : "", tables[i], tables[i]);
		json_array_append_new(binds, json_string(referent));
		bind_day(binds, today);
		bind_day(binds, today);
		json_array_append_new(binds, json_string(referent));
		for (int k = 0; k < 4; k++)
			bind_day(binds, today);
	}
}

/* The whole caseload in one query, driven by the set f of the people
 * followed: one index range per table and person (where a subquery per
 * rule and person made a dozen seeks a person), and f built once. CROSS
 * JOIN keeps f first whatever the statistics (SQLite never reorders it;
 * elsewhere it is a plain join): for a variant of this query, the planner
 * walked the whole contract and appointment indexes instead and looked
 * each row's person up in f, 10 times slower. Rows
 * tagged 0: the person (within the scope) — id, last and first name,
 * birth date, search key; 1: a current orientation — start, itinerary;
 * 2: a CER or engagement contract — start, end or termination; 3: an
 * appointment — when, status. */
static void caseload_sql(struct buf *sql, json_t *binds, const char *referent, long today,
			 const char *scope, json_t *scope_binds)
{
	buf_addstr(sql, "WITH f (person) AS (");
	followed(sql, binds, referent, today);
	buf_addf(sql, ") SELECT 0, p.id, p.last_name, p.first_name, p.birth_date, p.search_key "
		      "FROM f CROSS JOIN person p JOIN household h ON h.id = p.household "
		      "WHERE p.id = f.person%s", scope ? scope : "");
	if (scope_binds)
		json_array_extend(binds, scope_binds);
	buf_addstr(sql, " UNION ALL SELECT 1, l.person, l.start_date, l.itinerary, NULL, NULL "
			"FROM f CROSS JOIN orientation l WHERE l.person = f.person AND " CURRENT
			" UNION ALL SELECT 2, c.person, c.start_date, "
			"COALESCE(c.terminated_on, c.end_date), NULL, NULL FROM f CROSS JOIN "
			"contract c WHERE c.person = f.person AND c.kind IN ('cer', 'engagement') "
			"UNION ALL SELECT 3, a.person, a.at, a.status, NULL, NULL FROM f CROSS JOIN "
			"appointment a WHERE a.person = f.person");
	bind_day(binds, today);
	bind_day(binds, today);
}

/* The dates the rules compare with, as text (ISO dates compare as text;
 * an appointment's "2017-12-01T09:00:00+01:00" sorts after its day). */
struct caseload_days {
	char today[11], tomorrow[11], socio_before[11], social_before[11], ending_by[11],
		quiet_from[11];
};

static void days_of(long today, struct caseload_days *d)
{
	date_format(today, d->today);
	date_format(today + 1, d->tomorrow);
	date_format(date_add_months(today, -CASELOAD_SOCIO_MONTHS), d->socio_before);
	date_format(date_add_months(today, -CASELOAD_SOCIAL_MONTHS), d->social_before);
	date_format(today + CASELOAD_ENDING_DAYS, d->ending_by);
	date_format(date_add_months(today, -CASELOAD_QUIET_MONTHS), d->quiet_from);
}

/* One person of the set f, gathered row by row, in whatever order the
 * rows come. */
struct caseload_entry {
	struct caseload_person p; /* p.id always; the rest as rows come */
	char *search_key;
	unsigned seen : 1;      /* the person's own row came: within the scope */
	unsigned late : 1;      /* a current orientation past its contract delay */
	unsigned in_force : 1;  /* a CER or engagement in force today */
	unsigned ending : 1;    /* one of those ends within 30 days */
	unsigned later : 1;     /* a CER or engagement starting after today */
	unsigned unfilled : 1;  /* a past appointment still planned */
	unsigned recent : 1;    /* an appointment (not cancelled) since 3 months */
};

struct caseload_reading {
	struct caseload_entry *e;
	size_t n, cap;
	json_t *index; /* id → position in e */
	long last;     /* the entry of the previous row, or -1 */
	struct caseload_days days;
	int failed;    /* out of memory */
};

/* *slot becomes v when v is greater (text order, as SQL's MAX), in the
 * same memory when it fits (a person's appointments come in ascending
 * order: one copy each otherwise); -1 when out of memory. */
static int keep_max(char **slot, const char *v)
{
	size_t n;
	char *copy;

	if (!v || (*slot && strcmp(v, *slot) <= 0))
		return 0;
	n = strlen(v);
	if (*slot && strlen(*slot) >= n) {
		memcpy(*slot, v, n + 1);
		return 0;
	}
	if (!(copy = strdup(v)))
		return -1;
	free(*slot);
	*slot = copy;
	return 0;
}

static void person_free(struct caseload_person *p)
{
	free(p->id);
	free(p->last_name);
	free(p->first_name);
	free(p->birth_date);
	free(p->itinerary);
	free(p->oriented_on);
	free(p->contract_end);
	free(p->last_appointment);
}

static int is(const char *v, const char *code)
{
	return v && !strcmp(v, code);
}

/* The entry of person id, made when new; NULL when out of memory. A
 * person's rows of one table come together: one search for them. */
static struct caseload_entry *entry_of(struct caseload_reading *r, const char *id)
{
	json_t *at;
	struct caseload_entry *e;

	if (r->last >= 0 && !strcmp(r->e[r->last].p.id, id))
		return &r->e[r->last];
	if ((at = json_object_get(r->index, id))) {
		r->last = (long)json_integer_value(at);
		return &r->e[r->last];
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 256;
		struct caseload_entry *more = realloc(r->e, cap * sizeof *more);
		if (!more)
			return NULL;
		r->e = more;
		r->cap = cap;
	}
	e = memset(&r->e[r->n], 0, sizeof *e);
	if (!(e->p.id = strdup(id)) ||
	    json_object_set_new_nocheck(r->index, id, json_integer((json_int_t)r->n))) {
		free(e->p.id);
		return NULL;
	}
	r->last = (long)r->n++;
	return e;
}

/* The person's own row. */
static int person_row(struct caseload_entry *e, struct db_stmt *st)
{
	if (e->seen)
		return 0;
	e->seen = 1;
	e->p.last_name = strdup(db_col_text(st, 2));
	e->p.first_name = strdup(db_col_text(st, 3));
	e->p.birth_date = strdup(db_col_text(st, 4));
	e->search_key = db_col_text(st, 5) ? strdup(db_col_text(st, 5)) : NULL;
	return e->p.last_name && e->p.first_name && e->p.birth_date &&
	       (e->search_key || !db_col_text(st, 5)) ? 0 : -1;
}

/* A current orientation: start, itinerary. */
static int orientation_row(struct caseload_entry *e, const struct caseload_days *d,
			   const char *start, const char *itinerary)
{
	if ((is(itinerary, "socio_professional") && strcmp(start, d->socio_before) < 0) ||
	    (is(itinerary, "social") && strcmp(start, d->social_before) < 0))
		e->late = 1;
	return keep_max(&e->p.itinerary, itinerary) || keep_max(&e->p.oriented_on, start) ? -1 : 0;
}

/* A CER or engagement contract: start, end (its termination if any). */
static int contract_row(struct caseload_entry *e, const struct caseload_days *d,
			const char *start, const char *end)
{
	if (strcmp(start, d->today) > 0) {
		e->later = 1;
		return 0;
	}
	if (strcmp(end, d->today) < 0)
		return 0;
	e->in_force = 1;
	if (strcmp(end, d->ending_by) <= 0)
		e->ending = 1;
	return keep_max(&e->p.contract_end, end);
}

/* An appointment: when, status. */
static int appointment_row(struct caseload_entry *e, const struct caseload_days *d,
			   const char *at, const char *status)
{
	if (is(status, "planned") && strcmp(at, d->today) < 0)
		e->unfilled = 1;
	if ((is(status, "planned") || is(status, "honored") || is(status, "excused") ||
	     is(status, "missed")) && strcmp(at, d->quiet_from) >= 0)
		e->recent = 1;
	return strcmp(at, d->tomorrow) < 0 ? keep_max(&e->p.last_appointment, at) : 0;
}

static int add_row(struct caseload_reading *r, struct db_stmt *st)
{
	const char *id = db_col_text(st, 1), *a = db_col_text(st, 2), *b = db_col_text(st, 3);
	struct caseload_entry *e;

	if (!id || !a || !b) /* NOT NULL columns all */
		return 0;
	if (!(e = entry_of(r, id)))
		return -1;
	switch (db_col_int(st, 0)) {
	case 0:
		return person_row(e, st);
	case 1:
		return orientation_row(e, &r->days, a, b);
	case 2:
		return contract_row(e, &r->days, a, b);
	default:
		return appointment_row(e, &r->days, a, b);
	}
}

/* The listing's order, as SQL's ORDER BY search_key, birth_date, id
 * (text compared byte by byte; a NULL key first). */
static int listing_order(const void *a, const void *b)
{
	const struct caseload_entry *x = *(const struct caseload_entry *const *)a;
	const struct caseload_entry *y = *(const struct caseload_entry *const *)b;
	int c;

	if (!x->search_key || !y->search_key)
		c = (x->search_key != NULL) - (y->search_key != NULL);
	else
		c = strcmp(x->search_key, y->search_key);
	if (!c)
		c = strcmp(x->p.birth_date, y->p.birth_date);
	return c ? c : strcmp(x->p.id, y->p.id);
}

/* The actions of an entry (caseload.h says what each means). */
static void judge(const struct caseload_entry *e, struct caseload_person *p)
{
	p->action[0] = e->late && !e->in_force;
	p->action[1] = e->ending && !e->later;
	p->action[2] = e->unfilled;
	p->action[3] = !e->recent;
}

/* The people seen into out, in the listing's order, with their actions
 * and the counts; the other entries freed. */
static int gather(struct caseload_reading *r, struct caseload *out)
{
	struct caseload_entry **seen = malloc((r->n ? r->n : 1) * sizeof *seen);
	size_t n = 0;

	out->people = malloc((r->n ? r->n : 1) * sizeof *out->people);
	if (!seen || !out->people) {
		free(seen);
		return -1;
	}
	for (size_t i = 0; i < r->n; i++) {
		if (r->e[i].seen)
			seen[n++] = &r->e[i];
		else
			person_free(&r->e[i].p);
	}
	qsort(seen, n, sizeof *seen, listing_order);
	for (size_t i = 0; i < n; i++) {
		out->people[i] = seen[i]->p;
		judge(seen[i], &out->people[i]);
		for (int k = 0; k < CASELOAD_NACTIONS; k++)
			out->counts[k + 1] += out->people[i].action[k];
	}
	for (size_t i = 0; i < r->n; i++)
		free(r->e[i].search_key);
	out->n = n;
	out->counts[0] = (long)n;
	free(seen);
	return 0;
}

static int read_rows(struct db *db, struct caseload_reading *r, const char *sql, json_t *binds)
{
	struct db_stmt *st;
	int s;

	if (db_prepare(db, &st, sql))
		return -1;
	if (bind_values(st, binds)) {
		db_finalize(st);
		return -1;
	}
	while ((s = db_step(st)) == DB_ROW)
		if (!r->failed && add_row(r, st))
			r->failed = 1;
	db_finalize(st);
	return s == DB_DONE && !r->failed ? 0 : -1;
}

int caseload_read(struct db *db, const char *referent, long today, const char *scope,
		  json_t *scope_binds, struct caseload *out)
{
	struct caseload_reading r = { .last = -1, .index = json_object() };
	struct buf sql;
	json_t *binds = json_array();
	int rc;

	memset(out, 0, sizeof *out);
	days_of(today, &r.days);
	buf_init(&sql, 65536);
	caseload_sql(&sql, binds, referent, today, scope, scope_binds);
	rc = r.index ? read_rows(db, &r, buf_str(&sql), binds) : -1;
	if (rc == 0)
		rc = gather(&r, out);
	if (rc) {
		for (size_t i = 0; i < r.n; i++) {
			person_free(&r.e[i].p);
			free(r.e[i].search_key);
		}
		caseload_release(out);
	}
	free(r.e);
	json_decref(r.index);
	json_decref(binds);
	buf_release(&sql);
	return rc;
}

void caseload_release(struct caseload *c)
{
	for (size_t i = 0; i < c->n; i++)
		person_free(&c->people[i]);
	free(c->people);
	memset(c, 0, sizeof *c);
}

long caseload_size(struct db *db, const char *referent, long today)
{
	struct caseload c;
	long n;

	if (caseload_read(db, referent, today, NULL, NULL, &c))
		return -1;
	n = (long)c.n;
	caseload_release(&c);
	return n;
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
