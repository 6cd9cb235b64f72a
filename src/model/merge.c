/*
 * merge.c — merging two records of the same person; see merge.h and
 * docs/modules/merge.md. Every table that refers to a person is listed in
 * merge_tables: the unit test compares that list with the database's
 * foreign keys, and person_merge() refuses to run while an exchange type
 * refers to people without being listed, so that no row is ever left
 * behind (or deleted with the absorbed person).
 */
#include "model/merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "db/db.h"
#include "model/audit.h"
#include "model/path.h"
#include "model/record.h"
#include "model/schema.h"

struct merge_table {
	const char *table;
	const char *column;
	const struct type_def *type; /* NULL: not an exchange type (no version, no rules) */
	const char *label;           /* French, for the tables that are no exchange type */
};

static const struct merge_table merge_tables[] = {
	{ "right_period", "person", &type_right_period, NULL },
	{ "france_travail_period", "person", &type_france_travail_period, NULL },
	{ "orientation", "person", &type_orientation, NULL },
	{ "referent_assignment", "person", &type_referent_assignment, NULL },
	{ "diagnostic", "person", &type_diagnostic, NULL },
	{ "contract", "person", &type_contract, NULL },
	{ "appointment", "person", &type_appointment, NULL },
	{ "attendance", "person", &type_attendance, NULL },
	{ "survey_response", "person", &type_survey_response, NULL },
	{ "step", "person", &type_step, NULL },
	{ "case_review", "person", &type_case_review, NULL },
	{ "person_alias", "person", NULL, "ancien identifiant" },
	{ NULL, NULL, NULL, NULL },
};

int merge_handles(const char *table, const char *column)
{
	for (const struct merge_table *m = merge_tables; m->table; m++)
		if (strcmp(m->table, table) == 0 && strcmp(m->column, column) == 0)
			return 1;
	return 0;
}

static const char *table_label(const struct merge_table *m)
{
	return m->type ? m->type->label : m->label;
}

void merge_result_init(struct merge_result *r)
{
	memset(r, 0, sizeof *r);
	r->moved = json_object();
	r->dropped = json_array();
	r->taken = json_array();
	r->conflicts = json_array();
	problems_init(&r->pb);
}

void merge_result_release(struct merge_result *r)
{
	json_decref(r->moved);
	json_decref(r->dropped);
	json_decref(r->taken);
	json_decref(r->conflicts);
	problems_release(&r->pb);
}

/* An exchange type that refers to people and is not listed above: its rows
 * would block the deletion of the absorbed person (or, later, be lost). */
static int unknown_references(struct problems *pb)
{
	int n = 0;

	for (const struct type_def *const *t = schema_types; *t; t++)
		for (size_t i = 0; i < (*t)->nfields; i++) {
			const struct field_def *f = &(*t)->fields[i];
			if ((f->kind != FK_REF && f->kind != FK_REF_LIST) || strcmp(f->ref, "person") ||
			    merge_handles((*t)->table, f->column))
				continue;
			problem_add(pb, NULL, "la fusion ne sait pas encore traiter « %s.%s » : "
					      "à ajouter dans src/model/merge.c", (*t)->table, f->column);
			n++;
		}
	return n;
}

/* ---- the person's own fields -------------------------------------------- */

static int empty_value(json_t *v)
{
	return !v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v));
}

/* A's empty fields take B's values; differing values stay A's, listed. */
static void merge_fields(json_t *a, json_t *b, struct merge_result *r)
{
	for (size_t i = 0; i < type_person.nfields; i++) {
		const struct field_def *f = &type_person.fields[i];
		json_t *va = json_object_get(a, f->name), *vb = json_object_get(b, f->name);
		if (empty_value(vb) || (!empty_value(va) && json_equal(va, vb)))
			continue;
		if (empty_value(va)) {
			json_object_set(a, f->name, vb);
			json_array_append_new(r->taken, json_pack("{s:s, s:s, s:O}", "field", f->name,
								  "label", f->label, "value", vb));
		} else {
			json_array_append_new(r->conflicts,
					      json_pack("{s:s, s:s, s:O, s:O}", "field", f->name,
							"label", f->label, "kept", va, "absorbed", vb));
		}
	}
}

/* ---- identical rows ----------------------------------------------------- */

/* True when a record of some type refers to records of t: such a row is
 * moved rather than removed, so that nothing points to a removed row. */
static int type_is_referenced(const struct type_def *t)
{
	for (const struct type_def *const *s = schema_types; *s; s++)
		for (size_t i = 0; i < (*s)->nfields; i++)
			if (((*s)->fields[i].kind == FK_REF || (*s)->fields[i].kind == FK_REF_LIST) &&
			    strcmp((*s)->fields[i].ref, t->name) == 0)
				return 1;
	return 0;
}

/* B's rows of m equal, field by field, to one of A's: (B's id, A's id[,
 * category]). The SQL comes from the descriptors only. */
static char *identical_sql(const struct merge_table *m)
{
	const struct type_def *t = m->type;
	struct buf b;

	buf_init(&b, 16384);
	buf_addf(&b, "SELECT b.id, MIN(k.id)%s FROM %s b JOIN %s k ON k.%s = ?",
		 t == &type_step ? ", MIN(b.category)" : "", t->table, t->table, m->column);
	for (size_t i = 0; i < t->nfields; i++) {
		const char *c = t->fields[i].column;
		if (strcmp(c, m->column) == 0)
			continue;
		buf_addf(&b, " AND (k.%s = b.%s OR (k.%s IS NULL AND b.%s IS NULL))", c, c, c, c);
	}
	buf_addf(&b, " WHERE b.%s = ? GROUP BY b.id ORDER BY b.id", m->column);
	return buf_detach(&b, NULL);
}

static int drop_identical(struct db *db, struct record_writer *w, const struct merge_table *m,
			  const char *keep, const char *absorb, struct merge_result *r)
{
	char *sql = identical_sql(m);
	json_t *found = json_array(), *x;
	struct db_stmt *st;
	size_t i;
	int rc = -1, s;

	if (db_prepare(db, &st, sql))
		goto out;
	db_bind_text(st, 1, keep);
	db_bind_text(st, 2, absorb);
	while ((s = db_step(st)) == DB_ROW) {
		json_t *d = json_pack("{s:s, s:s, s:s}", "table", m->table, "id", db_col_text(st, 0),
				      "same_as", db_col_text(st, 1));
		if (m->type == &type_step)
			json_object_set_new(d, "category", json_string(db_col_text(st, 2)));
		json_array_append_new(found, d);
	}
	db_finalize(st);
	if (s != DB_DONE)
		goto out;
	rc = 0;
	json_array_foreach(found, i, x) {
		if (record_delete(w, m->type, json_string_value(json_object_get(x, "id")))) {
			rc = -1;
			break;
		}
		json_array_append(r->dropped, x);
	}
out:
	json_decref(found);
	free(sql);
	return rc;
}

/* ---- moving ------------------------------------------------------------- */

static int count_health_steps(struct db *db, const char *person, long *out)
{
	int64_t n;

	*out = 0;
	for (const char *const *c = step_health_categories; *c; c++) {
		if (db_query_int(db, &n, "SELECT COUNT(*) FROM step WHERE person = ? AND category = ?",
				 "ss", person, *c))
			return -1;
		*out += (long)n;
	}
	return 0;
}

/* Derived tables follow their records (none of the person's types has one
 * today; a future one keeps working). */
static int rerun_after_write(struct db *db, const struct merge_table *m, const char *keep)
{
	struct db_stmt *st;
	struct buf sql;
	int rc = 0, s;

	if (!m->type || !m->type->after_write)
		return 0;
	buf_init(&sql, 16384);
	buf_addf(&sql, "%s WHERE %s = ?", record_select_sql(m->type), m->column);
	rc = db_prepare(db, &st, buf_str(&sql));
	buf_release(&sql);
	if (rc)
		return -1;
	db_bind_text(st, 1, keep);
	while (rc == 0 && (s = db_step(st)) == DB_ROW) {
		json_t *rec = record_from_row(m->type, st);
		rc = m->type->after_write(db, db_col_text(st, 0), rec);
		json_decref(rec);
	}
	db_finalize(st);
	return rc;
}

static int move_rows(struct db *db, const struct merge_table *m, const char *keep,
		     const char *absorb, struct merge_result *r)
{
	char sql[300];
	int n;

	if (m->type == &type_step && count_health_steps(db, absorb, &r->moved_health))
		return -1;
	/* The version moves too: a form opened on the row before the merge
	 * answers 409 instead of writing it back to the absorbed person. */
	snprintf(sql, sizeof sql, "UPDATE %s SET %s = ?%s WHERE %s = ?", m->table, m->column,
		 m->type ? ", version = version + 1" : "", m->column);
	if (db_execf(db, sql, "ss", keep, absorb))
		return -1;
	n = db_changes(db);
	if (n)
		json_object_set_new(r->moved, m->table, json_integer(n));
	return n ? rerun_after_write(db, m, keep) : 0;
}

/* ---- the rules, after the move ------------------------------------------ */

static int check_rows(struct db *db, const struct merge_table *m, const char *keep,
		      struct problems *pb)
{
	json_t *ids = json_array(), *x;
	struct db_stmt *st;
	char sql[200];
	size_t i;
	int rc = 0;

	snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE %s = ? ORDER BY id", m->table,
		 m->column);
	if (db_prepare(db, &st, sql)) {
		json_decref(ids);
		return -1;
	}
	db_bind_text(st, 1, keep);
	while (db_step(st) == DB_ROW)
		json_array_append_new(ids, json_string(db_col_text(st, 0)));
	db_finalize(st);
	json_array_foreach(ids, i, x) {
		problems_at(pb, 0, m->type->name, json_string_value(x));
		if ((rc = record_check_one(db, m->type, json_string_value(x), pb)) != 0)
			break;
	}
	problems_at(pb, 0, NULL, NULL); /* the ids are freed below */
	json_decref(ids);
	return rc;
}

/* The kept person's record and the rows of every type that received rows. */
static int check_all(struct db *db, json_t *a, const char *keep, struct merge_result *r)
{
	problems_at(&r->pb, 0, "person", keep);
	record_validate(&type_person, a, 0, &r->pb, NULL);
	if (record_check_one(db, &type_person, keep, &r->pb))
		return -1;
	for (const struct merge_table *m = merge_tables; m->table; m++)
		if (m->type && json_object_get(r->moved, m->table) &&
		    check_rows(db, m, keep, &r->pb))
			return -1;
	problems_at(&r->pb, 0, NULL, NULL);
	return 0;
}

/* ---- the history -------------------------------------------------------- */

static long moved_total(const struct merge_result *r)
{
	const char *key;
	json_t *v;
	long n = 0;

	json_object_foreach(r->moved, key, v)
		n += (long)json_integer_value(v);
	return n;
}

static int insert_history(struct db *db, json_t *b, const char *keep, const char *absorb,
			  const char *actor, struct merge_result *r)
{
	char at[32], *rec = json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS);
	char *moved = json_dumps(r->moved, JSON_COMPACT), *dropped = json_dumps(r->dropped, JSON_COMPACT);
	char *taken = json_dumps(r->taken, JSON_COMPACT);
	char *conflicts = json_dumps(r->conflicts, JSON_COMPACT);
	int64_t id = 0;
	int rc = -1;

	datetime_now(at);
	if (rec && moved && dropped && taken && conflicts &&
	    !db_query_int(db, &id, "SELECT COALESCE(MAX(id), 0) + 1 FROM person_merge", "")) {
		r->merge_id = (long)id;
		rc = db_execf(db, "INSERT INTO person_merge (id, kept, absorbed, absorbed_last_name, "
				  "absorbed_first_name, absorbed_birth_date, absorbed_record, actor, at, "
				  "moved, moved_count, moved_health, dropped, fields_taken, "
				  "field_conflicts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			      "isssssssssiisss", id, keep, absorb,
			      json_string_value(json_object_get(b, "last_name")),
			      json_string_value(json_object_get(b, "first_name")),
			      json_string_value(json_object_get(b, "birth_date")), rec, actor, at, moved,
			      (int64_t)(moved_total(r) - r->moved_health), (int64_t)r->moved_health,
			      dropped, taken, conflicts);
	}
	free(rec);
	free(moved);
	free(dropped);
	free(taken);
	free(conflicts);
	return rc;
}

/* B's id, and the ids B had absorbed (moved with the rows above), lead to A. */
static int write_alias(struct db *db, const char *keep, const char *absorb, long merge_id)
{
	return db_execf(db, "INSERT INTO person_alias (alias, person, merge_id) VALUES (?, ?, ?) "
			    "ON CONFLICT (alias) DO UPDATE SET person = excluded.person, "
			    "merge_id = excluded.merge_id",
			"ssi", absorb, keep, (int64_t)merge_id);
}

static int audit_merge(struct db *db, const char *keep, const char *absorb, const char *actor,
		       const char *address, const struct merge_result *r)
{
	json_t *d = json_pack("{s:s, s:s, s:I, s:O, s:I, s:I, s:I}", "kept", keep, "absorbed",
			      absorb, "merge", (json_int_t)r->merge_id, "moved", r->moved,
			      "dropped", (json_int_t)json_array_size(r->dropped), "fields_taken",
			      (json_int_t)json_array_size(r->taken), "field_conflicts",
			      (json_int_t)json_array_size(r->conflicts));
	char *s = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
	int rc = s ? audit_append(db, actor, address, "person.merge", "person", keep, s) : -1;

	free(s);
	json_decref(d);
	return rc;
}

/* ---- the merge ---------------------------------------------------------- */

static void not_found(struct db *db, struct problems *pb, const char *field, const char *id)
{
	char now[80];

	problems_at(pb, 0, "person", id);
	if (person_resolve_alias(db, id, now) == 1)
		problem_add(pb, field, "la personne %s n'existe plus : elle a été fusionnée dans %s",
			    id, now);
	else
		problem_add(pb, field, "aucune personne n'a l'identifiant %s", id);
	problems_at(pb, 0, NULL, NULL);
}

/* Steps 1–4 of merge.h. Returns 0, MERGE_REFUSED or -1. */
static int merge_rows(struct db *db, json_t *a, const char *keep, const char *absorb,
		      struct merge_result *r)
{
	struct record_writer *w = record_writer_new(db);
	int rc = -1;

	if (!w)
		return -1;
	if (record_write(w, &type_person, keep, a))
		goto out;
	for (const struct merge_table *m = merge_tables; m->table; m++)
		if (m->type && !type_is_referenced(m->type) &&
		    drop_identical(db, w, m, keep, absorb, r))
			goto out;
	for (const struct merge_table *m = merge_tables; m->table; m++)
		if (move_rows(db, m, keep, absorb, r))
			goto out;
	if (record_delete(w, &type_person, absorb) || check_all(db, a, keep, r))
		goto out;
	rc = problems_count(&r->pb) ? MERGE_REFUSED : 0;
out:
	record_writer_free(w);
	return rc;
}

static int record_merge(struct db *db, json_t *b, const char *keep, const char *absorb,
			const char *actor, const char *address, struct merge_result *r)
{
	if (insert_history(db, b, keep, absorb, actor, r) ||
	    write_alias(db, keep, absorb, r->merge_id) ||
	    audit_merge(db, keep, absorb, actor, address, r))
		return -1;
	return db_commit(db);
}

enum merge_outcome person_merge(struct db *db, const char *keep, const char *absorb,
				const char *actor, const char *address, int dry_run,
				struct merge_result *r)
{
	json_t *a = NULL, *b = NULL;
	int rc;

	if (strcmp(keep, absorb) == 0) {
		problem_add(&r->pb, "absorbed", "une personne ne peut pas être fusionnée avec "
						"elle-même (%s)", keep);
		return MERGE_SAME;
	}
	if (unknown_references(&r->pb))
		return MERGE_REFUSED;
	if (db_begin(db))
		return MERGE_FAILED;
	a = record_load(db, &type_person, keep, NULL);
	b = record_load(db, &type_person, absorb, NULL);
	if (!a || !b) {
		if (!a)
			not_found(db, &r->pb, "kept", keep);
		if (!b)
			not_found(db, &r->pb, "absorbed", absorb);
		rc = MERGE_NOT_FOUND;
		goto rollback;
	}
	merge_fields(a, b, r);
	rc = merge_rows(db, a, keep, absorb, r);
	if (rc || dry_run)
		goto rollback;
	rc = record_merge(db, b, keep, absorb, actor, address, r) ? MERGE_FAILED : MERGE_DONE;
	if (rc == MERGE_FAILED)
		db_rollback(db);
	goto out;
rollback:
	db_rollback(db);
	if (rc < 0)
		rc = MERGE_FAILED;
out:
	json_decref(a);
	json_decref(b);
	return rc;
}

/* ---- reading ------------------------------------------------------------ */

int person_resolve_alias(struct db *db, const char *id, char out[80])
{
	struct db_stmt *st;
	int64_t n;
	int rc = 0;

	if (db_query_int(db, &n, "SELECT COUNT(*) FROM person WHERE id = ?", "s", id))
		return -1;
	if (n) {
		snprintf(out, 80, "%s", id);
		return 1;
	}
	if (db_prepare(db, &st, "SELECT person FROM person_alias WHERE alias = ?"))
		return -1;
	db_bind_text(st, 1, id);
	if (db_step(st) == DB_ROW) {
		snprintf(out, 80, "%s", db_col_text(st, 0));
		rc = 1;
	}
	db_finalize(st);
	return rc;
}

json_t *merge_attached(struct db *db, const char *id, int with_health)
{
	json_t *rows = json_array();

	for (const struct merge_table *m = merge_tables; m->table; m++) {
		char sql[200];
		int64_t n = 0;
		long health = 0;
		snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s WHERE %s = ?", m->table, m->column);
		if (db_query_int(db, &n, sql, "s", id))
			continue;
		if (m->type == &type_step && !with_health && count_health_steps(db, id, &health) == 0)
			n -= health;
		json_array_append_new(rows, json_pack("{s:s, s:s, s:I}", "table", m->table, "label",
						      table_label(m), "count", (json_int_t)n));
	}
	return rows;
}
