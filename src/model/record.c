/* record.c — generic validation and storage of exchange records; see record.h. */
#include "model/record.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/text.h"
#include "db/db.h"
#include "model/problems.h"

static const char *kind_article(enum field_kind k)
{
	switch (k) {
	case FK_DATE:
		return "une date AAAA-MM-JJ";
	case FK_DATETIME:
		return "une date et heure RFC 3339 avec décalage";
	case FK_BOOL:
		return "true ou false";
	case FK_INT:
		return "un entier";
	case FK_AMOUNT:
	case FK_DECIMAL:
	case FK_SHARE:
		return "un nombre";
	case FK_ENUM_LIST:
	case FK_STRING_LIST:
	case FK_REF_LIST:
		return "une liste";
	default:
		return "un texte";
	}
}

static void values_list(const char *const *values, char *out, size_t size)
{
	struct buf b;

	buf_init(&b, size - 1);
	for (; *values; values++)
		if (buf_addstr(&b, b.len ? ", " : "") || buf_addstr(&b, *values))
			break;
	snprintf(out, size, "%s", buf_str(&b));
	buf_release(&b);
}

static void check_enum(const struct field_def *f, const char *v, struct problems *pb)
{
	char list[400];

	if (!schema_enum_has(f->values, v)) {
		values_list(f->values, list, sizeof list);
		problem_add(pb, f->name, "« %s » n'est pas une valeur permise (%s)", v, list);
	}
}

static void check_text(const struct field_def *f, const char *v, struct problems *pb)
{
	size_t max = f->max_len ? f->max_len : 200;

	if (!utf8_valid(v, strlen(v)))
		problem_add(pb, f->name, "le texte n'est pas en UTF-8 valide");
	else if (utf8_length(v) > max)
		problem_add(pb, f->name, "trop long (%zu caractères au plus)", max);
	else if (f->flags & F_REQUIRED && v[strspn(v, " \t")] == '\0')
		problem_add(pb, f->name, "ce champ est obligatoire");
}

static void check_number(const struct field_def *f, json_t *v, struct problems *pb)
{
	double x = json_number_value(v);

	if (f->kind == FK_INT && !json_is_integer(v)) {
		problem_add(pb, f->name, "attendu : un entier");
		return;
	}
	if (x < 0) {
		problem_add(pb, f->name, "une valeur négative n'est pas permise");
		return;
	}
	if (f->kind == FK_SHARE && x > 1)
		problem_add(pb, f->name, "une part est comprise entre 0 et 1");
	/* Amounts in euros carry at most cents. */
	if (f->kind == FK_AMOUNT && fabs(x * 100 - nearbyint(x * 100)) > 1e-6 * fmax(1, x))
		problem_add(pb, f->name, "un montant a au plus 2 décimales");
}

static void check_scalar(const struct field_def *f, json_t *v, struct problems *pb)
{
	const char *s = json_string_value(v);
	long days;

	switch (f->kind) {
	case FK_STRING:
		check_text(f, s, pb);
		break;
	case FK_DATE:
		if (date_parse(s, &days))
			problem_add(pb, f->name, "« %s » n'est pas une date réelle AAAA-MM-JJ", s);
		break;
	case FK_DATETIME:
		if (!datetime_valid(s))
			problem_add(pb, f->name, "« %s » n'est pas une date et heure RFC 3339 avec décalage",
				    s);
		break;
	case FK_ENUM:
		check_enum(f, s, pb);
		break;
	case FK_REF:
		if (!exchange_id_valid(s))
			problem_add(pb, f->name, "« %s » n'est pas un identifiant valide", s);
		break;
	default:
		break;
	}
}

static int kind_matches(enum field_kind k, json_t *v)
{
	switch (k) {
	case FK_BOOL:
		return json_is_boolean(v);
	case FK_INT:
	case FK_AMOUNT:
	case FK_DECIMAL:
	case FK_SHARE:
		return json_is_number(v);
	case FK_ENUM_LIST:
	case FK_STRING_LIST:
	case FK_REF_LIST:
		return json_is_array(v);
	default:
		return json_is_string(v);
	}
}

static void check_list(const struct field_def *f, json_t *v, struct problems *pb)
{
	struct field_def item = *f;
	json_t *x;
	size_t i;

	item.kind = f->kind == FK_ENUM_LIST ? FK_ENUM : f->kind == FK_REF_LIST ? FK_REF : FK_STRING;
	item.flags = F_REQUIRED;
	json_array_foreach(v, i, x) {
		if (!json_is_string(x)) {
			problem_add(pb, f->name, "chaque élément de la liste est un texte");
			return;
		}
		check_scalar(&item, x, pb);
		for (size_t j = 0; j < i; j++)
			if (json_equal(json_array_get(v, j), x))
				problem_add(pb, f->name, "« %s » figure deux fois", json_string_value(x));
	}
}

static void check_field(const struct field_def *f, json_t *v, struct problems *pb)
{
	if (!v || json_is_null(v)) {
		if (f->flags & F_REQUIRED)
			problem_add(pb, f->name, "ce champ est obligatoire");
		return;
	}
	if (!kind_matches(f->kind, v)) {
		problem_add(pb, f->name, "attendu : %s", kind_article(f->kind));
		return;
	}
	if (json_is_number(v))
		check_number(f, v, pb);
	else if (json_is_array(v))
		check_list(f, v, pb);
	else if (json_is_string(v))
		check_scalar(f, v, pb);
}

/* Periods: start ≤ end when both are given (exchange-format.md, "Shape"),
 * for the types that declare them: with --lenient an unknown "start" or
 * "end" is ignored, not compared. */
static void check_period(const struct type_def *t, json_t *rec, struct problems *pb)
{
	const char *start = json_string_value(json_object_get(rec, "start"));
	const char *end = json_string_value(json_object_get(rec, "end"));
	long s, e;

	if (!schema_field(t, "start") || !schema_field(t, "end"))
		return;
	if (start && end && !date_parse(start, &s) && !date_parse(end, &e) && s > e)
		problem_add(pb, "end", "la fin (%s) précède le début (%s)", end, start);
}

/* The fields that already have a problem among pb's problems from first on. */
static json_t *fields_with_problems(struct problems *pb, size_t first)
{
	json_t *fields = json_object();

	for (size_t i = first; i < json_array_size(pb->list); i++) {
		const char *f = json_string_value(json_object_get(json_array_get(pb->list, i), "field"));
		if (f)
			json_object_set_new(fields, f, json_true());
	}
	return fields;
}

/* One clear message per field: a rule's problem on a field that its own
 * check already refused ("trop long", then "le NIR compte 13 caractères")
 * says the same thing twice, so it is dropped. */
static void drop_repeated(struct problems *pb, size_t first, json_t *fields)
{
	size_t i = first;

	while (i < json_array_size(pb->list)) {
		const char *f = json_string_value(json_object_get(json_array_get(pb->list, i), "field"));
		if (f && json_object_get(fields, f))
			json_array_remove(pb->list, i);
		else
			i++;
	}
}

size_t record_validate(const struct type_def *t, json_t *rec, int lenient, struct problems *pb,
		       struct problems *warn)
{
	size_t before = problems_count(pb), first = json_array_size(pb->list), rules;
	const char *key;
	json_t *v, *refused;

	json_object_foreach(rec, key, v) {
		if (!strcmp(key, "type") || !strcmp(key, "id") || schema_field(t, key))
			continue;
		if (lenient && warn)
			problem_add(warn, key, "champ inconnu ignoré");
		else if (!lenient)
			problem_add(pb, key, "champ inconnu pour le type %s", t->name);
	}
	for (size_t i = 0; i < t->nfields; i++)
		check_field(&t->fields[i], json_object_get(rec, t->fields[i].name), pb);
	/* The record's own rules run even when a field failed, so that one
	 * round shows every problem; they read only fields of the right kind. */
	rules = json_array_size(pb->list);
	refused = rules > first ? fields_with_problems(pb, first) : NULL;
	check_period(t, rec, pb);
	if (t->validate)
		t->validate(rec, pb);
	if (refused)
		drop_repeated(pb, rules, refused);
	json_decref(refused);
	return problems_count(pb) - before;
}

/* ---- storage ------------------------------------------------------------ */

enum { STMT_UPSERT, STMT_DELETE, STMT_COUNT };

struct record_writer {
	struct db *db;
	struct db_stmt *stmts[SCHEMA_MAX_TYPES][STMT_COUNT]; /* per schema_index() */
};


struct record_writer *record_writer_new(struct db *db)
{
	struct record_writer *w = calloc(1, sizeof *w);

	if (w)
		w->db = db;
	return w;
}

void record_writer_free(struct record_writer *w)
{
	if (!w)
		return;
	for (int i = 0; i < SCHEMA_MAX_TYPES; i++)
		for (int j = 0; j < STMT_COUNT; j++)
			db_finalize(w->stmts[i][j]);
	free(w);
}

static size_t derived_count(const struct type_def *t)
{
	size_t n = 0;

	while (t->derived && t->derived[n].column)
		n++;
	return n;
}

/* The SQL is made from the descriptors only, never from input. */
static char *upsert_sql(const struct type_def *t)
{
	struct buf b;
	size_t nd = derived_count(t);

	buf_init(&b, 16384);
	buf_addf(&b, "INSERT INTO %s (id", t->table);
	for (size_t i = 0; i < t->nfields; i++)
		buf_addf(&b, ", %s", t->fields[i].column);
	for (size_t i = 0; i < nd; i++)
		buf_addf(&b, ", %s", t->derived[i].column);
	buf_addstr(&b, ") VALUES (?");
	for (size_t i = 0; i < t->nfields + nd; i++)
		buf_addstr(&b, ", ?");
	buf_addstr(&b, ") ON CONFLICT (id) DO UPDATE SET ");
	for (size_t i = 0; i < t->nfields; i++)
		buf_addf(&b, "%s = excluded.%s, ", t->fields[i].column, t->fields[i].column);
	for (size_t i = 0; i < nd; i++)
		buf_addf(&b, "%s = excluded.%s, ", t->derived[i].column, t->derived[i].column);
	buf_addf(&b, "version = %s.version + 1", t->table);
	return buf_detach(&b, NULL);
}

static int bind_value(struct db_stmt *st, int idx, const struct field_def *f, json_t *v)
{
	char *s;
	int rc;

	if ((!v || json_is_null(v)) && f->kind == FK_BOOL && f->flags & F_DEFAULT_FALSE)
		return db_bind_int(st, idx, 0);
	if (!v || json_is_null(v))
		return db_bind_null(st, idx);
	switch (f->kind) {
	case FK_BOOL:
		return db_bind_int(st, idx, json_is_true(v));
	case FK_INT:
		return db_bind_int(st, idx, json_integer_value(v));
	case FK_AMOUNT:
	case FK_DECIMAL:
	case FK_SHARE:
		return db_bind_double(st, idx, json_number_value(v));
	case FK_ENUM_LIST:
	case FK_STRING_LIST:
	case FK_REF_LIST:
		s = json_dumps(v, JSON_COMPACT);
		rc = db_bind_text(st, idx, s);
		free(s);
		return rc;
	default:
		return db_bind_text(st, idx, json_string_value(v));
	}
}

static struct db_stmt **writer_stmt(struct record_writer *w, const struct type_def *t, int which)
{
	int ti = schema_index(t);

	if (ti < 0)
		return NULL;
	return &w->stmts[ti][which];
}

int record_write(struct record_writer *w, const struct type_def *t, const char *id, json_t *rec)
{
	struct db_stmt **st = writer_stmt(w, t, STMT_UPSERT);
	size_t nd = derived_count(t);
	int idx = 1, rc = -1;

	if (!st)
		return -1;
	if (!*st) {
		char *sql = upsert_sql(t);
		int bad = db_prepare(w->db, st, sql);
		free(sql);
		if (bad)
			return -1;
	}
	db_bind_text(*st, idx++, id);
	for (size_t i = 0; i < t->nfields; i++)
		if (bind_value(*st, idx++, &t->fields[i], json_object_get(rec, t->fields[i].name)))
			goto out;
	for (size_t i = 0; i < nd; i++) {
		char *v = t->derived[i].compute(rec);
		db_bind_text(*st, idx++, v);
		free(v);
	}
	if (db_step(*st) != DB_DONE)
		goto out;
	rc = t->after_write ? t->after_write(w->db, id, rec) : 0;
out:
	db_reset(*st);
	return rc;
}

int record_delete(struct record_writer *w, const struct type_def *t, const char *id)
{
	struct db_stmt **st = writer_stmt(w, t, STMT_DELETE);
	char sql[200];
	int rc;

	if (!st)
		return -1;
	if (!*st) {
		snprintf(sql, sizeof sql, "DELETE FROM %s WHERE id = ?", t->table);
		if (db_prepare(w->db, st, sql))
			return -1;
	}
	db_bind_text(*st, 1, id);
	rc = db_step(*st) == DB_DONE ? 0 : -1;
	db_reset(*st);
	if (!rc && t->after_write)
		rc = t->after_write(w->db, id, NULL);
	return rc;
}

/* ---- reading back ------------------------------------------------------- */

static char *select_sql_cache[SCHEMA_MAX_TYPES];
static pthread_once_t select_once = PTHREAD_ONCE_INIT;

static void build_select_sql(void)
{
	for (int ti = 0; schema_types[ti]; ti++) {
		const struct type_def *t = schema_types[ti];
		struct buf b;

		buf_init(&b, 8192);
		buf_addstr(&b, "SELECT id, version");
		for (size_t i = 0; i < t->nfields; i++)
			buf_addf(&b, ", %s", t->fields[i].column);
		buf_addf(&b, " FROM %s", t->table);
		select_sql_cache[ti] = buf_detach(&b, NULL);
	}
}

const char *record_select_sql(const struct type_def *t)
{
	int ti = schema_index(t);

	pthread_once(&select_once, build_select_sql);
	return ti >= 0 ? select_sql_cache[ti] : NULL;
}

static json_t *column_value(const struct field_def *f, struct db_stmt *st, int col)
{
	double x;

	if (db_col_is_null(st, col))
		return NULL;
	switch (f->kind) {
	case FK_BOOL:
		if (!db_col_int(st, col) && f->flags & F_DEFAULT_FALSE)
			return NULL;
		return json_boolean(db_col_int(st, col));
	case FK_INT:
		return json_integer(db_col_int(st, col));
	case FK_AMOUNT:
	case FK_DECIMAL:
	case FK_SHARE:
		/* A whole number goes back out as an integer, as it most likely came in. */
		x = db_col_double(st, col);
		if (x == nearbyint(x) && fabs(x) < 1e15)
			return json_integer((json_int_t)x);
		return json_real(x);
	case FK_ENUM_LIST:
	case FK_STRING_LIST:
	case FK_REF_LIST:
		return json_loads(db_col_text(st, col), 0, NULL);
	default:
		return json_string(db_col_text(st, col));
	}
}

json_t *record_from_row(const struct type_def *t, struct db_stmt *st)
{
	json_t *rec = json_object();

	json_object_set_new(rec, "type", json_string(t->name));
	json_object_set_new(rec, "id", json_string(db_col_text(st, 0)));
	for (size_t i = 0; i < t->nfields; i++) {
		json_t *v = column_value(&t->fields[i], st, (int)i + 2);
		if (v)
			json_object_set_new(rec, t->fields[i].name, v);
	}
	return rec;
}

json_t *record_load(struct db *db, const struct type_def *t, const char *id, long *version)
{
	struct db_stmt *st;
	struct buf sql;
	json_t *rec = NULL;

	buf_init(&sql, 16384);
	buf_addf(&sql, "%s WHERE id = ?", record_select_sql(t));
	if (db_prepare(db, &st, buf_str(&sql)))
		goto out;
	db_bind_text(st, 1, id);
	if (db_step(st) == DB_ROW) {
		rec = record_from_row(t, st);
		if (version)
			*version = (long)db_col_int(st, 1);
	}
	db_finalize(st);
out:
	buf_release(&sql);
	return rec;
}

/* " AND a.id = ?" when only one record is asked about, so that the query
 * is a primary-key lookup rather than a scan of the table. */
static const char *only_clause(int one)
{
	return one ? " AND a.id = ?" : "";
}

/* The references of field f that point nowhere, of one record only when
 * one: columns a.id and the missing target. */
static void dangling_scalar_sql(char *sql, size_t size, const struct type_def *t,
				const struct field_def *f, int one)
{
	const struct type_def *target = schema_type(f->ref);

	snprintf(sql, size,
		 "SELECT a.id, a.%s FROM %s a LEFT JOIN %s b ON b.id = a.%s "
		 "WHERE a.%s IS NOT NULL AND b.id IS NULL%s",
		 f->column, t->table, target->table, f->column, f->column,
		 only_clause(one));
}

static int dangling_scalar(struct db *db, const struct type_def *t, const struct field_def *f,
			   const char *only_id,
			   void (*fn)(const char *, const char *, const char *, void *), void *ud)
{
	struct db_stmt *st;
	char sql[512];

	dangling_scalar_sql(sql, sizeof sql, t, f, only_id != NULL);
	if (db_prepare(db, &st, sql))
		return -1;
	if (only_id)
		db_bind_text(st, 1, only_id);
	while (db_step(st) == DB_ROW)
		fn(db_col_text(st, 0), f->name, db_col_text(st, 1), ud);
	db_finalize(st);
	return 0;
}

static int dangling_list(struct db *db, const struct type_def *t, const struct field_def *f,
			 const char *only_id,
			 void (*fn)(const char *, const char *, const char *, void *), void *ud)
{
	const struct type_def *target = schema_type(f->ref);
	struct db_stmt *st;
	char sql[512];
	int64_t found;

	snprintf(sql, sizeof sql,
		 "SELECT a.id, a.%s FROM %s a WHERE a.%s IS NOT NULL AND a.%s <> '[]'%s",
		 f->column, t->table, f->column, f->column, only_clause(only_id != NULL));
	if (db_prepare(db, &st, sql))
		return -1;
	if (only_id)
		db_bind_text(st, 1, only_id);
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s WHERE id = ?", target->table);
	while (db_step(st) == DB_ROW) {
		json_t *list = json_loads(db_col_text(st, 1), 0, NULL), *x;
		size_t i;
		json_array_foreach(list, i, x) {
			if (!db_query_int(db, &found, sql, "s", json_string_value(x)) && !found)
				fn(db_col_text(st, 0), f->name, json_string_value(x), ud);
		}
		json_decref(list);
	}
	db_finalize(st);
	return 0;
}

int record_dangling(struct db *db, const struct type_def *t, const char *only_id,
		    void (*fn)(const char *id, const char *field, const char *target, void *ud),
		    void *ud)
{
	for (size_t i = 0; i < t->nfields; i++) {
		const struct field_def *f = &t->fields[i];
		int rc = 0;
		if (f->kind == FK_REF)
			rc = dangling_scalar(db, t, f, only_id, fn, ud);
		else if (f->kind == FK_REF_LIST)
			rc = dangling_list(db, t, f, only_id, fn, ud);
		if (rc)
			return -1;
	}
	return 0;
}

static void on_dangling_one(const char *id, const char *field, const char *target, void *ud)
{
	(void)id; /* record_dangling() was asked about this one record only */
	problem_add(ud, field, "« %s » est introuvable", target);
}

/*
 * One record's rules across records. Each check query is wrapped so that
 * the database narrows it to one id (SQLite flattens the subquery into a
 * primary-key lookup; so does PostgreSQL's planner) instead of computing
 * every row and keeping one. A checker keeps these statements per type for
 * its life: a run of many records (the importers) prepares each once.
 */
struct checker_type {
	size_t nfields, nrules;
	struct db_stmt **refs;    /* per field: its dangling query when FK_REF, else NULL */
	struct db_stmt **targets; /* per field: does its target exist? when FK_REF */
	struct db_stmt **rules;   /* per t->checks */
};

struct record_checker {
	struct db *db;
	struct checker_type *types[SCHEMA_MAX_TYPES]; /* per schema_index(), made on first use */
	int (*known)(void *ctx, const char *type, const char *id);
	void *known_ctx;
};

void record_checker_set_known(struct record_checker *c,
			      int (*known)(void *ctx, const char *type, const char *id), void *ctx)
{
	c->known = known;
	c->known_ctx = ctx;
}

struct record_checker *record_checker_new(struct db *db)
{
	struct record_checker *c = calloc(1, sizeof *c);

	if (c)
		c->db = db;
	return c;
}

static void checker_type_free(struct checker_type *ct)
{
	if (!ct)
		return;
	for (size_t i = 0; ct->refs && ct->targets && i < ct->nfields; i++) {
		db_finalize(ct->refs[i]);
		db_finalize(ct->targets[i]);
	}
	for (size_t i = 0; ct->rules && i < ct->nrules; i++)
		db_finalize(ct->rules[i]);
	free(ct->refs);
	free(ct->targets);
	free(ct->rules);
	free(ct);
}

void record_checker_free(struct record_checker *c)
{
	if (!c)
		return;
	for (int i = 0; i < SCHEMA_MAX_TYPES; i++)
		checker_type_free(c->types[i]);
	free(c);
}

static int rule_prepare(struct db *db, const char *check, struct db_stmt **st)
{
	struct buf sql;
	int rc;

	buf_init(&sql, 16384);
	rc = buf_addf(&sql, "SELECT * FROM (%s) AS rule WHERE rule.id = ?", check) ||
		     db_prepare(db, st, buf_str(&sql))
		     ? -1
		     : 0;
	buf_release(&sql);
	return rc;
}

static struct checker_type *checker_type(struct record_checker *c, const struct type_def *t)
{
	int ti = schema_index(t), bad;
	struct checker_type *ct;
	char sql[512];

	if (ti < 0 || c->types[ti])
		return ti < 0 ? NULL : c->types[ti];
	ct = calloc(1, sizeof *ct);
	if (!ct)
		return NULL;
	while (t->checks && t->checks[ct->nrules])
		ct->nrules++;
	ct->nfields = t->nfields;
	ct->refs = calloc(t->nfields + 1, sizeof *ct->refs);
	ct->targets = calloc(t->nfields + 1, sizeof *ct->targets);
	ct->rules = calloc(ct->nrules + 1, sizeof *ct->rules);
	bad = !ct->refs || !ct->targets || !ct->rules;
	for (size_t i = 0; i < t->nfields && !bad; i++) {
		if (t->fields[i].kind != FK_REF)
			continue;
		dangling_scalar_sql(sql, sizeof sql, t, &t->fields[i], 1);
		bad = db_prepare(c->db, &ct->refs[i], sql);
		snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE id = ?",
			 schema_type(t->fields[i].ref)->table);
		bad = bad || db_prepare(c->db, &ct->targets[i], sql);
	}
	for (size_t k = 0; k < ct->nrules && !bad; k++)
		bad = rule_prepare(c->db, t->checks[k], &ct->rules[k]);
	if (bad) {
		checker_type_free(ct);
		return NULL;
	}
	c->types[ti] = ct;
	return ct;
}

/* Runs st for id; each row is a problem: a dangling reference of field
 * (the missing target in column 1) or, field NULL, a rule's (its field and
 * reason in columns 1 and 2). */
static int rows_to_problems(struct db_stmt *st, const char *id, const char *field,
			    struct problems *pb)
{
	int rc;

	db_bind_text(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW) {
		if (field)
			problem_add(pb, field, "« %s » est introuvable", db_col_text(st, 1));
		else
			problem_add(pb, db_col_text(st, 1), "%s", db_col_text(st, 2));
	}
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}

/* A reference rec gives: its target is looked up directly (one lookup,
 * none when absent) rather than read back from the record's row. */
static int target_missing(struct db_stmt *st, const char *target)
{
	int missing;

	db_bind_text(st, 1, target);
	missing = db_step(st) != DB_ROW;
	db_reset(st);
	return missing;
}

static int checker_run(struct record_checker *c, const struct type_def *t, const char *id,
		       json_t *rec, struct problems *pb)
{
	struct checker_type *ct = checker_type(c, t);

	if (!ct)
		return -1;
	for (size_t i = 0; i < t->nfields; i++) {
		const struct field_def *f = &t->fields[i];
		const char *target = rec ? json_string_value(json_object_get(rec, f->name)) : NULL;
		/* Lists of references are rare and looked up element by element. */
		if (f->kind == FK_REF_LIST && dangling_list(c->db, t, f, id, on_dangling_one, pb))
			return -1;
		if (f->kind != FK_REF)
			continue;
		if (rec && target && c->known && c->known(c->known_ctx, f->ref, target))
			continue;
		if (rec && target && target_missing(ct->targets[i], target))
			problem_add(pb, f->name, "« %s » est introuvable", target);
		else if (!rec && rows_to_problems(ct->refs[i], id, f->name, pb))
			return -1;
	}
	for (size_t k = 0; k < ct->nrules; k++)
		if (rows_to_problems(ct->rules[k], id, NULL, pb))
			return -1;
	return 0;
}

int record_checker_run(struct record_checker *c, const struct type_def *t, const char *id,
		       struct problems *pb)
{
	return checker_run(c, t, id, NULL, pb);
}

int record_checker_run_rec(struct record_checker *c, const struct type_def *t, const char *id,
			   json_t *rec, struct problems *pb)
{
	return checker_run(c, t, id, rec, pb);
}

int record_check_one(struct db *db, const struct type_def *t, const char *id, struct problems *pb)
{
	struct record_checker *c = record_checker_new(db);
	int rc = c ? record_checker_run(c, t, id, pb) : -1;

	record_checker_free(c);
	return rc;
}
