/*
 * fixture.c — the unit tests' shared fixture (fixture.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/date.h"
#include "db/db.h"
#include "exchange/jsonl.h"
#include "fixture.h"
#include "model/problems.h"
#include "model/record.h"
#include "model/schema.h"

int fx_db_create(struct fx_db *f, const char *name)
{
	char *err = NULL;

	memset(f, 0, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/parcours-%s-XXXXXX", name);
	if (!mkdtemp(f->dir)) {
		perror(f->dir);
		return -1;
	}
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	if (db_open(&f->db, f->path, &err)) {
		fprintf(stderr, "db_open %s: %s\n", f->path, err ? err : "?");
		free(err);
		f->db = NULL;
		return -1;
	}
	return 0;
}

void fx_db_remove(struct fx_db *f)
{
	DIR *d;
	struct dirent *e;
	char p[512];

	if (f->db)
		db_close(f->db);
	f->db = NULL;
	d = opendir(f->dir);
	while (d && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(p, sizeof p, "%s/%s", f->dir, e->d_name);
			unlink(p);
		}
	}
	if (d)
		closedir(d);
	rmdir(f->dir);
}

int fx_setup(void **state)
{
	struct fx_db *f = calloc(1, sizeof *f);

	if (!f || fx_db_create(f, program_invocation_short_name)) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

int fx_setup_with(void **state, const char *const *records, struct db **db)
{
	struct fx_db *f;

	if (fx_setup(state))
		return -1;
	f = *state;
	fx_put_all(f->db, records);
	*db = f->db;
	return 0;
}

int fx_teardown(void **state)
{
	fx_db_remove(*state);
	free(*state);
	return 0;
}

const char *fx_file(struct fx_db *f, const char *name, const void *data, size_t n)
{
	static char paths[4][160];
	static unsigned next;
	char *path = paths[next++ % 4];
	FILE *out;

	snprintf(path, sizeof paths[0], "%s/%s", f->dir, name);
	out = fopen(path, "wb");
	if (!out)
		fail_msg("%s: %s", path, strerror(errno));
	assert_int_equal(fwrite(data, 1, n, out), n);
	assert_int_equal(fclose(out), 0);
	return path;
}

long fx_import(struct fx_db *f, const char *name, const char *text)
{
	const struct import_options opt = { 0, "test", "cli" };
	struct import_result res;
	struct problems pb, warn;
	char *why = NULL;
	size_t size = 0;
	FILE *out;
	int rc;

	problems_init(&pb);
	problems_init(&warn);
	rc = jsonl_import(f->db, fx_file(f, name, text, strlen(text)), &opt, &pb, &warn, &res);
	if (rc) {
		out = open_memstream(&why, &size);
		if (out) {
			problems_print(&pb, out);
			fclose(out);
		}
		fail_msg("test records of %s not imported (%d):\n%s", name, rc, why ? why : "");
	}
	problems_release(&pb);
	problems_release(&warn);
	return res.written;
}

void fx_today(int y, int m, int d)
{
	date_set_today(date_from_civil(y, m, d));
}

json_t *fx_json(const char *text)
{
	char buf[4096];
	json_error_t err;
	json_t *v;

	if (strlen(text) >= sizeof buf)
		fail_msg("test JSON longer than %zu bytes: %.80s…", sizeof buf - 1, text);
	snprintf(buf, sizeof buf, "%s", text);
	for (char *c = buf; *c; c++)
		if (*c == '\'')
			*c = '"';
	v = json_loads(buf, 0, &err);
	if (!v)
		fail_msg("bad test JSON (%s, column %d): %s", err.text, err.column, buf);
	return v;
}

/* "field: reason; …" of the problems (whole record: "-"). */
static const char *describe(const struct problems *pb, char *out, size_t size)
{
	size_t i, len = 0;
	json_t *p;

	out[0] = '\0';
	json_array_foreach(pb->list, i, p) {
		const char *f = json_string_value(json_object_get(p, "field"));
		const char *r = json_string_value(json_object_get(p, "reason"));
		int n = snprintf(out + len, size - len, "%s%s: %s", i ? "; " : "", f ? f : "-",
				 r ? r : "?");
		if (n < 0 || (size_t)n >= size - len)
			break;
		len += (size_t)n;
	}
	if (pb->lost && len < size)
		snprintf(out + len, size - len, "; and %zu more", pb->lost);
	return out;
}

/* Fails the test about record type id; a failing put leaves no
 * transaction open behind it for the next tests. */
static void put_failed(struct db *db, const char *type, const char *id, const char *what)
{
	char why[2048];

	snprintf(why, sizeof why, "%s", what);
	if (db_in_transaction(db))
		db_rollback(db);
	fail_msg("test record %s %s %s", type ? type : "(no type)", id ? id : "(no id)", why);
}

/* Validates rec: into pb when given, else failing the test on a problem. */
static const struct type_def *validated(struct db *db, json_t *rec, struct problems *pb)
{
	const char *type = json_string_value(json_object_get(rec, "type"));
	const char *id = json_string_value(json_object_get(rec, "id"));
	const struct type_def *t = type ? schema_type(type) : NULL;
	struct problems mine;
	char why[2048] = "refused: ";

	if (!t || !id)
		put_failed(db, type, id, "has no such type, or no id");
	if (pb) {
		record_validate(t, rec, 0, pb, NULL);
		return t;
	}
	problems_init(&mine);
	if (record_validate(t, rec, 0, &mine, NULL) || problems_count(&mine)) {
		describe(&mine, why + strlen(why), sizeof why - strlen(why));
		problems_release(&mine);
		put_failed(db, type, id, why);
	}
	problems_release(&mine);
	return t;
}

void fx_put_rec(struct db *db, struct record_writer *w, json_t *rec, struct problems *pb)
{
	const struct type_def *t = validated(db, rec, pb);
	const char *id = json_string_value(json_object_get(rec, "id"));
	struct record_writer *own = w ? NULL : record_writer_new(db);
	int alone = !db_in_transaction(db);
	int rc;

	if (alone && db_begin(db))
		put_failed(db, t->name, id, db_errmsg(db));
	rc = record_write(w ? w : own, t, id, rec);
	record_writer_free(own);
	if (rc)
		put_failed(db, t->name, id, db_errmsg(db));
	if (alone && db_commit(db))
		put_failed(db, t->name, id, db_errmsg(db));
}

void fx_put(struct db *db, struct record_writer *w, const char *text)
{
	json_t *rec = fx_json(text);

	fx_put_rec(db, w, rec, NULL);
	json_decref(rec);
}

void fx_put_all(struct db *db, const char *const *texts)
{
	struct record_writer *w = record_writer_new(db);

	if (db_begin(db))
		fail_msg("test records: cannot begin: %s", db_errmsg(db));
	for (const char *const *x = texts; *x; x++)
		fx_put(db, w, *x);
	record_writer_free(w);
	if (db_commit(db))
		fail_msg("test records: cannot commit: %s", db_errmsg(db));
}

int64_t fx_int(struct db *db, const char *sql, const char *arg)
{
	int64_t n = -1;

	if (db_query_int(db, &n, sql, arg ? "s" : "", arg))
		fail_msg("query failed (%s): %s [%s]", db_errmsg(db), sql, arg ? arg : "");
	return n;
}

const char *fx_text(struct db *db, const char *sql, const char *arg)
{
	static char v[4096];
	struct db_stmt *st;

	v[0] = '\0';
	if (db_prepare(db, &st, sql))
		fail_msg("query failed (%s): %s", db_errmsg(db), sql);
	if (arg)
		db_bind_text(st, 1, arg);
	if (db_step(st) == DB_ROW)
		snprintf(v, sizeof v, "%s", db_col_text(st, 0) ? db_col_text(st, 0) : "NULL");
	db_finalize(st);
	return v;
}

int fx_command(int (*cmd)(struct cli *, int, char **), struct cli *c, int argc, char **argv,
	       char *last, size_t size)
{
	char line[1024];
	FILE *tmp = tmpfile();
	int saved, rc;

	if (!tmp)
		fail_msg("tmpfile: %s", strerror(errno));
	fflush(stdout);
	saved = dup(1);
	dup2(fileno(tmp), 1);
	rc = cmd(c, argc, argv);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	if (last && size) {
		last[0] = '\0';
		rewind(tmp);
		while (fgets(line, sizeof line, tmp))
			snprintf(last, size, "%s", line);
	}
	fclose(tmp);
	return rc;
}
