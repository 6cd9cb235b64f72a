/* jsonl_import.c — the exchange format's reader; see jsonl.h. */
#include "exchange/jsonl.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/text.h"
#include "db/db.h"
#include "exchange/input.h"
#include "model/audit.h"
#include "model/defaults.h"
#include "model/problems.h"
#include "model/record.h"
#include "model/schema.h"

struct import {
	struct db *db;
	const struct import_options *opt;
	struct problems *pb, *warn;
	struct import_result *res;
	struct record_writer *writer;
	json_t *seen;      /* "type\x1fid" → line number */
	json_t *deleted;   /* "type\x1fid" → line number, for deletions */
	json_t *refused;   /* "type\x1fid" → line number, for records not written */
	json_t *refused_refs; /* [type, id, field, target] of the refused records */
	unsigned char touched[SCHEMA_MAX_TYPES]; /* per schema_index(): written or deleted */
	unsigned char removed[SCHEMA_MAX_TYPES]; /* per schema_index(): has deletions */
	int failed_write;
	struct db_stmt *alias; /* looks up an absorbed person's id (merge.h) */
};

static void seen_key(char *out, size_t size, const char *type, const char *id)
{
	snprintf(out, size, "%s\x1f%s", type, id);
}

static long seen_line(json_t *seen, const char *type, const char *id)
{
	char key[160];

	seen_key(key, sizeof key, type, id);
	return (long)json_integer_value(json_object_get(seen, key));
}

static int record_exists(struct db *db, const struct type_def *t, const char *id)
{
	char sql[160];
	int64_t n = 0;

	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s WHERE id = ?", t->table);
	db_query_int(db, &n, sql, "s", id);
	return n > 0;
}

/* Checks the frame of one object: a known type, a valid id, not seen before. */
static const struct type_def *frame(struct import *im, long line, json_t *rec, const char **id)
{
	json_t *jt = json_object_get(rec, "type"), *ji = json_object_get(rec, "id");
	const struct type_def *t = NULL;
	char key[160];

	problems_at(im->pb, line, json_string_value(jt), json_string_value(ji));
	if (!json_is_string(jt)) {
		problem_add(im->pb, "type", "chaque objet a un champ \"type\" (texte)");
		return NULL;
	}
	t = schema_type(json_string_value(jt));
	if (!t) {
		problem_add(im->pb, "type", "type inconnu « %s »", json_string_value(jt));
		return NULL;
	}
	*id = json_string_value(ji);
	if (!*id || !exchange_id_valid(*id)) {
		problem_add(im->pb, "id", "un id compte 1 à 64 caractères parmi A-Z a-z 0-9 . _ : -");
		return NULL;
	}
	seen_key(key, sizeof key, t->name, *id);
	if (json_object_get(im->seen, key)) {
		problem_add(im->pb, "id", "le même id figure déjà ligne %ld",
			    seen_line(im->seen, t->name, *id));
		return NULL;
	}
	json_object_set_new(im->seen, key, json_integer(line));
	return t;
}

static void take_deletion(struct import *im, const struct type_def *t, const char *id,
			  json_t *rec, long line)
{
	char key[160];
	const char *k;
	json_t *v;

	size_t before = problems_count(im->pb);

	json_object_foreach(rec, k, v) {
		if (strcmp(k, "type") && strcmp(k, "id") && strcmp(k, "deleted"))
			problem_add(im->pb, k, "une suppression ne porte que type, id et deleted");
	}
	if (!record_exists(im->db, t, id)) {
		problem_add(im->pb, "deleted", "rien à supprimer : ce %s n'existe pas", t->label);
		return;
	}
	seen_key(key, sizeof key, t->name, id);
	if (problems_count(im->pb) > before) {
		json_object_set_new(im->refused, key, json_integer(line));
		return;
	}
	json_object_set_new(im->deleted, key, json_integer(line));
	if (record_delete(im->writer, t, id))
		im->failed_write = 1;
	im->res->deleted++;
	im->touched[schema_index(t)] = 1;
	im->removed[schema_index(t)] = 1;
}

/* Refuses on field the id of a person absorbed by a merge (person_alias):
 * writing it would bring the absorbed person back, and a record naming it
 * would hang on someone who no longer exists. Returns 1 when refused. */
static int refuse_alias(struct import *im, const char *field, const char *id)
{
	int found = 0;

	if (!im->alias && db_prepare(im->db, &im->alias,
				     "SELECT a.person, m.at FROM person_alias a "
				     "JOIN person_merge m ON m.id = a.merge_id WHERE a.alias = ?"))
		return 0;
	db_bind_text(im->alias, 1, id);
	if (db_step(im->alias) == DB_ROW) {
		const char *kept = db_col_text(im->alias, 0), *at = db_col_text(im->alias, 1);
		char day[16];
		found = 1;
		/* at is RFC 3339: the day, written the French way. */
		if (strlen(at) >= 10)
			snprintf(day, sizeof day, "%.2s/%.2s/%.4s", at + 8, at + 5, at);
		else
			snprintf(day, sizeof day, "%s", at);
		problem_add(im->pb, field, "la personne %s a été fusionnée dans %s le %s : utilisez %s",
			    id, kept, day, kept);
	}
	db_reset(im->alias);
	return found;
}

/* A refused record is not written, so record_dangling() cannot see its
 * references: they are kept to be looked up at the end, so that its line
 * also reports a missing target. */
static void keep_refused_refs(struct import *im, const struct type_def *t, const char *id,
			      json_t *rec, long line)
{
	char key[160];

	seen_key(key, sizeof key, t->name, id);
	json_object_set_new(im->refused, key, json_integer(line));
	for (size_t i = 0; i < t->nfields; i++) {
		const struct field_def *f = &t->fields[i];
		json_t *v = json_object_get(rec, f->name), *x;
		size_t k;

		if (f->kind == FK_REF && exchange_id_valid(json_string_value(v)))
			json_array_append_new(im->refused_refs,
					      json_pack("[s,s,s,s]", t->name, id, f->name,
							json_string_value(v)));
		if (f->kind != FK_REF_LIST || !json_is_array(v))
			continue;
		json_array_foreach(v, k, x) {
			if (exchange_id_valid(json_string_value(x)))
				json_array_append_new(im->refused_refs,
						      json_pack("[s,s,s,s]", t->name, id, f->name,
								json_string_value(x)));
		}
	}
}

/* An absent field whose default the format states takes it (defaults.h). */
static void fill_defaults(const struct type_def *t, json_t *rec)
{
	for (size_t i = 0; i < t->nfields; i++) {
		json_t *v = json_object_get(rec, t->fields[i].name), *d;
		if ((!v || json_is_null(v)) && (d = defaults_value(&t->fields[i])) != NULL)
			json_object_set_new(rec, t->fields[i].name, d);
	}
}

static void take_line(struct import *im, long line, const char *text, size_t len)
{
	json_error_t err;
	json_t *rec, *del;
	const struct type_def *t;
	const char *id = NULL;
	int absorbed;

	problems_at(im->pb, line, NULL, NULL);
	rec = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	if (!rec) {
		problem_add(im->pb, NULL, "JSON invalide (colonne %d) : %s", err.column, err.text);
		return;
	}
	if (!json_is_object(rec)) {
		problem_add(im->pb, NULL, "chaque ligne est un objet JSON");
		goto out;
	}
	t = frame(im, line, rec, &id);
	if (!t)
		goto out;
	problems_at(im->warn, line, t->name, id);
	del = json_object_get(rec, "deleted");
	if (json_is_true(del)) {
		take_deletion(im, t, id, rec, line);
		goto out;
	}
	if (del && !json_is_false(del) && !json_is_null(del)) {
		problem_add(im->pb, "deleted", "attendu : true");
		goto out;
	}
	json_object_del(rec, "deleted");
	fill_defaults(t, rec);
	absorbed = t == &type_person && refuse_alias(im, "id", id);
	if (record_validate(t, rec, im->opt->lenient, im->pb, im->warn) || absorbed) {
		keep_refused_refs(im, t, id, rec, line);
	} else {
		/* Even when an earlier line is wrong, a valid line is written: the
		 * rules across records then run on what the valid lines leave, and
		 * the report shows their problems too; the transaction is rolled
		 * back all the same (docs/exchange-format.md, reading 5). */
		if (record_write(im->writer, t, id, rec)) {
			problem_add(im->pb, NULL, "écriture refusée par la base : %s",
				    db_errmsg(im->db));
			im->failed_write = 1;
		}
		im->res->written++;
	}
	im->touched[schema_index(t)] = 1;
out:
	json_decref(rec);
}

/* A reference of record (t, id) to target, which does not exist. */
static void report_dangling(struct import *im, const struct type_def *t, const char *id,
			    const char *field, const char *target)
{
	const struct field_def *f = schema_field(t, field);
	long del_line = seen_line(im->deleted, f->ref, target);

	if (del_line) {
		problems_at(im->pb, del_line, f->ref, target);
		problem_add(im->pb, "deleted", "encore référencé par %s %s (%s)", t->name, id, field);
		return;
	}
	problems_at(im->pb, seen_line(im->seen, t->name, id), t->name, id);
	if (strcmp(f->ref, type_person.name) == 0 && refuse_alias(im, field, target))
		return;
	problem_add(im->pb, field, "%s « %s » introuvable (ni dans le fichier, ni en base)",
		    f->ref, target);
}

static void on_dangling(const char *id, const char *field, const char *target, void *ud)
{
	struct import *im = ((void **)ud)[0];
	const struct type_def *t = ((void **)ud)[1];
	const struct field_def *f = schema_field(t, field);

	/* A refused line is reported already: neither a reference to it nor the
	 * version in the database of a record it would replace is at fault
	 * (its own references are looked up by check_refused_refs()). */
	if (seen_line(im->refused, f->ref, target) || seen_line(im->refused, t->name, id))
		return;
	report_dangling(im, t, id, field, target);
}

static void check_refused_refs(struct import *im)
{
	json_t *r;
	size_t i;

	json_array_foreach(im->refused_refs, i, r) {
		const struct type_def *t = schema_type(json_string_value(json_array_get(r, 0)));
		const char *id = json_string_value(json_array_get(r, 1));
		const char *field = json_string_value(json_array_get(r, 2));
		const char *target = json_string_value(json_array_get(r, 3));
		const struct field_def *f = schema_field(t, field);

		if (!seen_line(im->refused, f->ref, target) &&
		    !record_exists(im->db, schema_type(f->ref), target))
			report_dangling(im, t, id, field, target);
	}
}

static int refers_to_removed(const struct import *im, const struct type_def *t)
{
	for (size_t i = 0; i < t->nfields; i++) {
		const struct type_def *target = t->fields[i].ref ? schema_type(t->fields[i].ref) : NULL;
		if (target && im->removed[schema_index(target)])
			return 1;
	}
	return 0;
}

/* The first deletion of type t in the file: its line, and its id. */
static long first_deletion(struct import *im, const struct type_def *t, const char **id)
{
	size_t n = strlen(t->name);
	long first = 0;
	const char *k;
	json_t *v;

	json_object_foreach(im->deleted, k, v) {
		long line = (long)json_integer_value(v);
		if (strncmp(k, t->name, n) == 0 && k[n] == '\x1f' && (!first || line < first)) {
			first = line;
			*id = k + n + 1;
		}
	}
	return first;
}

/* One broken rule (a row of t's check, at st): reported on the record's
 * line; or, when del_type is not NULL (deletion_checks()), on the first
 * deletion of del_type, for a record outside the file. */
static void report_rule(struct import *im, const struct type_def *t, struct db_stmt *st,
			const struct type_def *del_type)
{
	const char *id = db_col_text(st, 0), *del_id = NULL;
	long line = seen_line(im->seen, t->name, id), del_line;

	if (del_type) {
		if (line)
			return; /* in the file: run_checks() reports it */
		del_line = first_deletion(im, del_type, &del_id);
		problems_at(im->pb, del_line, del_type->name, del_id);
		problem_add(im->pb, "deleted", "cette suppression met en défaut %s %s : %s", t->name,
			    id, db_col_text(st, 2));
		return;
	}
	/* Only records of this file are at fault: the others were valid
	 * before, and their partner in this file is reported too. */
	if (!line || seen_line(im->deleted, t->name, id) || seen_line(im->refused, t->name, id))
		return;
	problems_at(im->pb, line, t->name, id);
	problem_add(im->pb, db_col_text(st, 1), "%s", db_col_text(st, 2));
}

/* t's rules across records on the whole database (see report_rule()). */
static int run_checks(struct import *im, const struct type_def *t, const struct type_def *del_type)
{
	for (const char *const *q = t->checks; q && *q; q++) {
		struct db_stmt *st;
		if (db_prepare(im->db, &st, *q))
			return -1;
		while (db_step(st) == DB_ROW)
			report_rule(im, t, st, del_type);
		db_finalize(st);
	}
	return 0;
}

static int ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* True when one of u's checks reads table (as a whole word). */
static int checks_read(const struct type_def *u, const char *table)
{
	size_t n = strlen(table);

	for (const char *const *q = u->checks; q && *q; q++)
		for (const char *p = strstr(*q, table); p; p = strstr(p + 1, table))
			if ((p == *q || !ident_char(p[-1])) && !ident_char(p[n]))
				return 1;
	return 0;
}

/* A deletion leaves nothing to run the rules of its own type on: the rules
 * of the other types that read its table run instead, once per type. */
static int deletion_checks(struct import *im)
{
	for (const struct type_def *const *up = schema_types; *up; up++) {
		for (const struct type_def *const *tp = schema_types; *tp; tp++) {
			if (*tp == *up || !im->removed[schema_index(*tp)] ||
			    !checks_read(*up, (*tp)->table))
				continue;
			if (run_checks(im, *up, *tp))
				return -1;
			break;
		}
	}
	return 0;
}

/* Rules across records, on the state the file would leave. */
static int cross_checks(struct import *im)
{
	for (const struct type_def *const *tp = schema_types; *tp; tp++) {
		const struct type_def *t = *tp;
		void *ud[2] = { im, (void *)t };
		int touched = im->touched[schema_index(t)];

		if ((touched || refers_to_removed(im, t)) && record_dangling(im->db, t, NULL, on_dangling, ud))
			return -1;
		if (touched && run_checks(im, t, NULL))
			return -1;
	}
	check_refused_refs(im);
	return deletion_checks(im);
}

/* One line, without its end (LF or CRLF): checked for size and NUL bytes,
 * then handed to take_line(). */
static void end_line(struct import *im, long n, struct buf *line, int too_long)
{
	size_t len = line->len;

	problems_at(im->pb, n, NULL, NULL);
	if (len && line->data[len - 1] == '\r')
		line->data[--len] = '\0';
	if (too_long || len > JSONL_MAX_LINE)
		problem_add(im->pb, NULL, "ligne trop longue (1 Mio au plus)");
	else if (len && memchr(line->data, '\0', len))
		problem_add(im->pb, NULL, "la ligne contient un octet nul");
	else if (len && strspn(line->data, " \t") != len)
		take_line(im, n, line->data, len);
	buf_reset(line);
}

/* Reads by blocks and splits on LF: a NUL byte inside a line or a line over
 * 1 MiB is reported, never silently cut. */
static void read_lines(struct import *im, struct input *in)
{
	static _Thread_local char block[1 << 16];
	struct buf line;
	long n = 0, got;
	int too_long = 0;

	buf_init(&line, JSONL_MAX_LINE + 1); /* room for a CR before the LF */
	while ((got = input_read(in, block, sizeof block)) > 0) {
		const char *p = block, *end = block + got;
		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t take = (size_t)((nl ? nl : end) - p);
			if (!too_long && buf_add(&line, p, take))
				too_long = 1;
			p += take;
			if (nl) {
				end_line(im, ++n, &line, too_long);
				too_long = 0;
				p++;
			}
		}
	}
	if (line.len || too_long)
		end_line(im, ++n, &line, too_long);
	im->res->lines = n;
	if (got < 0) {
		problems_at(im->pb, n + 1, NULL, NULL);
		problem_add(im->pb, NULL, "%s", input_error(in));
	}
	buf_release(&line);
}

static char *audit_detail(const char *path, const struct import_result *res)
{
	json_t *d = json_pack("{s:s, s:I, s:I, s:I}", "file", path, "lines", (json_int_t)res->lines,
			      "written", (json_int_t)res->written, "deleted",
			      (json_int_t)res->deleted);
	char *s = json_dumps(d, JSON_COMPACT);

	json_decref(d);
	return s;
}

int jsonl_import(struct db *db, const char *path, const struct import_options *opt,
		 struct problems *pb, struct problems *warn, struct import_result *res)
{
	struct import im = { .db = db, .opt = opt, .pb = pb, .warn = warn, .res = res,
			     .seen = json_object(), .deleted = json_object(),
			     .refused = json_object(), .refused_refs = json_array() };
	struct input *in = input_open(path);
	char *detail = NULL;
	int rc = -1;

	memset(res, 0, sizeof *res);
	if (!in) {
		problem_add(pb, NULL, "impossible d'ouvrir %s", path);
		goto out;
	}
	if (db_begin(db)) {
		problem_add(pb, NULL, "base indisponible : %s", db_errmsg(db));
		goto out;
	}
	im.writer = record_writer_new(db);
	read_lines(&im, in);
	/* After a failed write the database's state is unknown: no rule is
	 * asked of it. */
	if (!im.failed_write && cross_checks(&im)) {
		problems_at(pb, 0, NULL, NULL); /* the last line's type and id are freed */
		problem_add(pb, NULL, "erreur de la base : %s", db_errmsg(db));
		db_rollback(db);
		goto out;
	}
	if (problems_count(pb) || im.failed_write) {
		db_rollback(db);
		rc = 1;
		goto out;
	}
	problems_at(pb, 0, NULL, NULL); /* the last line's type and id are freed */
	detail = audit_detail(path, res);
	if (audit_append(db, opt->actor, opt->address, "import", NULL, NULL, detail) ||
	    db_commit(db)) {
		problem_add(pb, NULL, "validation refusée par la base : %s", db_errmsg(db));
		db_rollback(db);
		goto out;
	}
	rc = 0;
out:
	/* The context points into records freed here: the caller's next
	 * problems must not be stamped with it. */
	problems_at(pb, 0, NULL, NULL);
	problems_at(warn, 0, NULL, NULL);
	free(detail);
	record_writer_free(im.writer);
	json_decref(im.seen);
	json_decref(im.deleted);
	json_decref(im.refused);
	json_decref(im.refused_refs);
	db_finalize(im.alias);
	input_close(in);
	return rc;
}
