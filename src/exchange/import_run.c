/* import_run.c — the record-by-record run; see import_run.h and docs/modules/imports.md. */
#include "exchange/import_run.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "cli/cli.h"
#include "db/db.h"
#include "model/audit.h"
#include "model/record.h"

/* The connection's settings during a run (see tune()): 16 MiB of page
 * cache, a checkpoint when the WAL reaches 10 000 pages (40 MiB). */
#define IMPORT_CACHE "-16384"
#define IMPORT_WAL_PAGES "10000"

void import_say(FILE *f, const char *fmt, ...)
{
	va_list ap;

	if (!f)
		return;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
}

void import_warn(struct import_run *r, const char *fmt, ...)
{
	char text[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	json_array_append_new(r->warnings, json_string(text));
	import_say(r->err, "%s: warning: %s\n", r->path, text);
}

static void now_utc(char out[32])
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static const char *str(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the report row ------------------------------------------------------- */

/* Inserts the report row id, with the importer's own columns when it has
 * some (kind->open_columns). */
static int report_insert(struct import_run *r, int64_t id, const char *at)
{
	const char *more = r->kind->open_columns;
	char sql[400], marks[100] = "";
	struct db_stmt *st;
	size_t n = 0;
	int rc;

	for (const char *p = more; p && *p && n + 4 < sizeof marks; p++)
		if (p == more || *p == ',')
			n += (size_t)snprintf(marks + n, sizeof marks - n, ", ?");
	snprintf(sql, sizeof sql,
		 "INSERT INTO %s (id, file, started_at, actor, status%s%s) "
		 "VALUES (?, ?, ?, ?, 'running'%s)",
		 r->kind->table, more ? ", " : "", more ? more : "", marks);
	if (db_prepare(r->db, &st, sql))
		return -1;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, r->path);
	db_bind_text(st, 3, at);
	db_bind_text(st, 4, r->actor ? r->actor : "?");
	if (more)
		r->kind->open_bind(r->importer, st, 5);
	rc = db_step(st) == DB_DONE ? 0 : -1;
	db_finalize(st);
	return rc;
}

/* The row is committed at once: a run that stops part-way stays "running". */
static int report_begin(struct import_run *r)
{
	char at[32], sql[200];
	int64_t id = 0;

	now_utc(at);
	if (db_begin(r->db))
		return -1;
	snprintf(sql, sizeof sql, "SELECT COALESCE(MAX(id), 0) + 1 FROM %s", r->kind->table);
	if (db_query_int(r->db, &id, sql, "") || report_insert(r, id, at) || db_commit(r->db)) {
		db_rollback(r->db);
		return -1;
	}
	r->report = (long)id;
	return 0;
}

/* ---- the batch ------------------------------------------------------------ */

/* The connection's settings for a run (SQLite only; another driver
 * refuses them and nothing changes): a larger page cache, so that a batch's
 * pages are not spilled to the WAL and read back before its commit, and
 * fewer WAL checkpoints (each one fdatasync()s and writes back pages that
 * the next batches will change again). Put back by import_release(): a web
 * server's connection outlives the run. */
static void tune(struct import_run *r)
{
	int64_t v;

	r->saved_autocheckpoint = r->saved_cache = -1;
	if (!db_query_int(r->db, &v, "PRAGMA wal_autocheckpoint", "") &&
	    !db_exec(r->db, "PRAGMA wal_autocheckpoint=" IMPORT_WAL_PAGES))
		r->saved_autocheckpoint = (long)v;
	if (!db_query_int(r->db, &v, "PRAGMA cache_size", "") &&
	    !db_exec(r->db, "PRAGMA cache_size=" IMPORT_CACHE))
		r->saved_cache = (long)v;
}

static void untune(struct import_run *r)
{
	char sql[64];

	if (r->saved_autocheckpoint >= 0) {
		snprintf(sql, sizeof sql, "PRAGMA wal_autocheckpoint=%ld", r->saved_autocheckpoint);
		db_exec(r->db, sql);
	}
	if (r->saved_cache != -1) {
		snprintf(sql, sizeof sql, "PRAGMA cache_size=%ld", r->saved_cache);
		db_exec(r->db, sql);
	}
	r->saved_autocheckpoint = r->saved_cache = -1;
}

static int batch_open(struct import_run *r)
{
	if (r->in_batch)
		return 0;
	if (db_begin(r->db))
		return -1;
	r->in_batch = 1;
	r->batched = 0;
	r->batch_began = now_ms();
	return 0;
}

/* The report row's counts, in the batch: a run that dies says how far it
 * got (what its last commit holds). */
static int report_progress(struct import_run *r)
{
	char sql[200];

	snprintf(sql, sizeof sql,
		 "UPDATE %s SET created = ?, updated = ?, unchanged = ?, rejected = ? WHERE id = ?",
		 r->kind->table);
	return db_execf(r->db, sql, "iiiii", (int64_t)r->c.created, (int64_t)r->c.updated,
			(int64_t)r->c.unchanged, (int64_t)r->c.rejected, (int64_t)r->report);
}

/* Commits the batch (a dry run rolls it back: it holds nothing). */
static int batch_commit(struct import_run *r)
{
	int rc = 0;

	if (!r->in_batch)
		return 0;
	r->in_batch = 0;
	if (r->dry_run) {
		db_rollback(r->db);
		return 0;
	}
	if (report_progress(r) || db_commit(r->db)) {
		db_rollback(r->db);
		rc = -1;
	} else {
		r->committed = r->c;
	}
	return rc;
}

static int batch_due(const struct import_run *r)
{
	return r->in_batch &&
	       (r->batched >= r->batch_records || now_ms() - r->batch_began >= r->batch_ms);
}

/* What the record being applied wrote exists: the rules need not look it up. */
static int written_known(void *ctx, const char *type, const char *id)
{
	const struct import_run *r = ctx;

	for (size_t i = 0; i < r->nwritten; i++)
		if (!strcmp(r->written[i].id, id) && !strcmp(r->written[i].t->name, type))
			return 1;
	return 0;
}

static int run_open(struct import_run *r, const struct import_kind *kind, void *importer,
		    struct db *db, const char *path, const char *actor, FILE *out, FILE *err,
		    int dry_run)
{
	memset(r, 0, sizeof *r);
	r->kind = kind;
	r->importer = importer;
	r->db = db;
	r->path = path;
	r->actor = actor;
	r->out = out;
	r->err = err;
	r->dry_run = dry_run;
	r->batch_records = IMPORT_BATCH_RECORDS;
	r->batch_ms = IMPORT_BATCH_MS;
	r->saved_autocheckpoint = r->saved_cache = -1;
	r->warnings = json_array();
	problems_init(&r->pb);
	r->written = calloc(kind->max_written, sizeof *r->written);
	r->w = record_writer_new(db);
	r->checker = record_checker_new(db);
	if (!r->written || !r->w || !r->checker || (!dry_run && report_begin(r))) {
		import_say(err, "%s: database: %s\n", path, db_errmsg(db));
		import_release(r);
		return -1;
	}
	record_checker_set_known(r->checker, written_known, r);
	tune(r);
	return 0;
}

int import_open(struct import_run *r, const struct import_kind *kind, void *importer,
		struct db *db, const char *path, const char *actor, FILE *out, FILE *err)
{
	return run_open(r, kind, importer, db, path, actor, out, err, 0);
}

int import_open_dry_run(struct import_run *r, const struct import_kind *kind, void *importer,
			struct db *db, const char *path, FILE *out, FILE *err)
{
	return run_open(r, kind, importer, db, path, NULL, out, err, 1);
}

static int report_end(struct import_run *r, const char *status, const char *error)
{
	char at[32], sql[300], *warnings = json_dumps(r->warnings, JSON_COMPACT);
	int rc;

	now_utc(at);
	snprintf(sql, sizeof sql,
		 "UPDATE %s SET finished_at = ?, status = ?, created = ?, updated = ?, "
		 "unchanged = ?, rejected = ?, warnings = ?, error = ? WHERE id = ?",
		 r->kind->table);
	rc = db_execf(r->db, sql, "ssiiiissi", at, status, (int64_t)r->c.created,
		      (int64_t)r->c.updated, (int64_t)r->c.unchanged, (int64_t)r->c.rejected,
		      warnings, error, (int64_t)r->report);
	free(warnings);
	return rc;
}

int import_close(struct import_run *r, const char *status, const char *error,
		 int (*extra)(struct import_run *r, void *importer, const char *status))
{
	int rc;

	if (error)
		import_say(r->err, "%s: %s: %s\n", r->path,
			   !strcmp(status, "refused") ? "refused" : "stopped", error);
	if (r->dry_run)
		return batch_commit(r);
	if (r->in_batch && !db_in_transaction(r->db)) {
		/* SQLite rolled the batch back on a failure: what it held is
		 * not in the database, so the report counts what is. */
		r->in_batch = 0;
		r->c = r->committed;
		import_warn(r, "les enregistrements pris depuis la dernière validation ont été "
			       "perdus : réimporter le fichier les prend");
	}
	rc = batch_open(r);
	if (!rc)
		rc = report_end(r, status, error);
	if (!rc && extra)
		rc = extra(r, r->importer, status);
	r->in_batch = 0;
	if (rc || db_commit(r->db)) {
		db_rollback(r->db);
		import_say(r->err, "%s: database: %s\n", r->path, db_errmsg(r->db));
		return -1;
	}
	r->committed = r->c;
	return 0;
}

struct db_stmt *import_stmt(struct import_run *r, int which)
{
	struct buf sql;
	int bad;

	if (which < 0 || which >= IMPORT_MAX_STMTS)
		return NULL;
	if (r->st[which])
		return r->st[which];
	buf_init(&sql, 16384);
	r->kind->sql(which, &sql);
	bad = db_prepare(r->db, &r->st[which], buf_str(&sql));
	buf_release(&sql);
	return bad ? NULL : r->st[which];
}

json_t *import_row_record(const struct type_def *t, struct db_stmt *st)
{
	json_t *rec = record_from_row(t, st);

	json_object_del(rec, "type");
	json_object_del(rec, "id");
	return rec;
}

json_t *import_load(struct import_run *r, int which, const struct type_def *t, const char *id)
{
	struct db_stmt *st = import_stmt(r, which);
	json_t *rec = NULL;

	if (!st)
		return NULL;
	db_bind_text(st, 1, id);
	if (db_step(st) == DB_ROW)
		rec = import_row_record(t, st);
	db_reset(st);
	return rec;
}

static void written_release(struct import_run *r)
{
	for (size_t i = 0; i < r->nwritten; i++)
		json_decref(r->written[i].rec);
	r->nwritten = 0;
}

void import_release(struct import_run *r)
{
	if (r->in_batch) /* not closed: nothing of the batch is kept */
		db_rollback(r->db);
	r->in_batch = 0;
	untune(r);
	for (int i = 0; i < IMPORT_MAX_STMTS; i++) {
		db_finalize(r->st[i]);
		r->st[i] = NULL;
	}
	db_finalize(r->rejection);
	record_checker_free(r->checker);
	record_writer_free(r->w);
	problems_release(&r->pb);
	json_decref(r->warnings);
	if (r->written)
		written_release(r);
	free(r->written);
	r->rejection = NULL;
	r->checker = NULL;
	r->w = NULL;
	r->warnings = NULL;
	r->written = NULL;
}

/* ---- one record ----------------------------------------------------------- */

void import_record_begin(struct import_run *r, long line)
{
	problems_release(&r->pb);
	problems_init(&r->pb);
	problems_at(&r->pb, line, NULL, NULL);
	written_release(r);
}

int import_record_start(struct import_run *r)
{
	if (batch_due(r) && batch_commit(r))
		return -1;
	if (batch_open(r))
		return -1;
	return db_execf(r->db, "SAVEPOINT import_record", "");
}

int import_put(struct import_run *r, const struct type_def *t, const char *id, json_t *old,
	       json_t *rec, long line)
{
	struct import_written *w;

	if (old && json_equal(old, rec))
		return 0;
	problems_at(&r->pb, line, t->name, NULL);
	if (record_validate(t, rec, 0, &r->pb, NULL))
		return 1;
	if (r->nwritten == r->kind->max_written) {
		problem_add(&r->pb, NULL, "%s", r->kind->too_many);
		return 1;
	}
	if (record_write(r->w, t, id, rec))
		return -1;
	w = &r->written[r->nwritten++];
	w->t = t;
	snprintf(w->id, sizeof w->id, "%s", id);
	w->line = line;
	w->rec = json_incref(rec);
	return 0;
}

int import_record_end(struct import_run *r, int rc)
{
	/* The rules across records see the state the record leaves: after
	 * every write of the record, before its commit. */
	for (size_t i = 0; i < r->nwritten && !rc; i++) {
		const struct import_written *w = &r->written[i];
		problems_at(&r->pb, w->line, w->t->name, NULL);
		rc = record_checker_run_rec(r->checker, w->t, w->id, w->rec, &r->pb);
	}
	if (!rc && problems_count(&r->pb))
		rc = 1;
	r->batched++;
	if (!rc && !r->dry_run)
		return db_execf(r->db, "RELEASE SAVEPOINT import_record", "") ? -1 : 0;
	/* Rolling back to the savepoint leaves it open: release it too. */
	if (db_execf(r->db, "ROLLBACK TO SAVEPOINT import_record", "") ||
	    db_execf(r->db, "RELEASE SAVEPOINT import_record", ""))
		rc = -1;
	return rc;
}

void import_count(struct import_run *r, enum import_outcome o)
{
	r->c.created += o == IMPORT_CREATED;
	r->c.updated += o == IMPORT_UPDATED;
	r->c.unchanged += o == IMPORT_UNCHANGED;
	r->c.rejected += o == IMPORT_REJECTED;
}

/* ---- rejections ----------------------------------------------------------- */

int import_rejection_row(struct import_run *r, const struct import_rejected *rej,
			 const char *field, const char *reason, long line, int first)
{
	const char *tag = r->kind->tag_column;
	char sql[300];
	int rc;

	if (r->dry_run)
		return 0;
	/* In the batch, like the records: committed with them. */
	if (batch_open(r))
		return -1;
	if (!r->rejection) {
		snprintf(sql, sizeof sql,
			 "INSERT INTO %s_rejection (import_id, seq, line, identifier, field, reason, "
			 "%s%s%s) VALUES (?, ?, ?, ?, ?, ?, ?%s)",
			 r->kind->table, r->kind->text_column, tag ? ", " : "", tag ? tag : "",
			 tag ? ", ?" : "");
		if (db_prepare(r->db, &r->rejection, sql))
			return -1;
	}
	db_bind_int(r->rejection, 1, r->report);
	db_bind_int(r->rejection, 2, ++r->seq);
	db_bind_int(r->rejection, 3, line);
	db_bind_text(r->rejection, 4, rej->identifier);
	db_bind_text(r->rejection, 5, field);
	db_bind_text(r->rejection, 6, reason);
	db_bind_text(r->rejection, 7, first ? rej->text : NULL);
	if (tag && rej->tag_text)
		db_bind_text(r->rejection, 8, rej->tag_text);
	else if (tag)
		db_bind_int(r->rejection, 8, rej->tag_number);
	rc = db_step(r->rejection) == DB_DONE ? 0 : -1;
	db_reset(r->rejection);
	return rc;
}

int import_reject(struct import_run *r, const struct import_rejected *rej)
{
	json_t *p;
	size_t i;
	int rc = 0;

	if (problems_count(&r->pb) == 0) {
		problems_at(&r->pb, rej->line, NULL, NULL);
		problem_add(&r->pb, NULL, "%s", r->kind->refused);
	}
	json_array_foreach(r->pb.list, i, p) {
		const char *field = str(p, "field");
		const char *reason = str(p, "reason");
		long line = (long)json_integer_value(json_object_get(p, "line"));

		if (r->kind->field_name)
			field = r->kind->field_name(r->importer, str(p, "type"), field);
		if (!line)
			line = rej->line;
		import_say(r->err, "%s: line %ld: %s: %s%s%s\n", r->path, line, rej->who,
			   field ? field : "", field ? ": " : "", reason);
		if (import_rejection_row(r, rej, field, reason, line, i == 0))
			rc = -1;
	}
	return rc;
}

/* ---- the command ---------------------------------------------------------- */

char *import_audit_detail(json_t *files, json_t *reports, const struct import_counts *t,
			  json_t *extra)
{
	json_t *detail = json_pack("{s:o, s:o, s:I, s:I, s:I, s:I}", "files", files, "reports",
				   reports, "created", (json_int_t)t->created, "updated",
				   (json_int_t)t->updated, "unchanged", (json_int_t)t->unchanged,
				   "rejected", (json_int_t)t->rejected);
	char *text;

	if (detail && extra)
		json_object_update(detail, extra);
	json_decref(extra);
	text = detail ? json_dumps(detail, JSON_COMPACT) : NULL;
	json_decref(detail);
	return text;
}

/* One audit entry for the run, not one per record (as `import`). */
static int audit_run(const struct import_command *cmd, const struct import_audit *audit,
		     json_t *files, json_t *reports, const struct import_counts *t)
{
	char *text = import_audit_detail(files, reports, t, cmd->extra ? cmd->extra(cmd->ctx)
								      : NULL);
	int rc;

	rc = audit_append(cmd->db, cmd->actor, "cli", cmd->action, audit->object_type,
			  audit->object_id, text);
	if (rc)
		fprintf(stderr, "parcours: %s: the audit log could not be written\n", cmd->action);
	free(text);
	return rc;
}

int import_command_run(const struct import_command *cmd, char **files, int nfiles)
{
	static const struct import_audit every_run = { NULL, NULL, 0 };

	return import_command_run_audit(cmd, &every_run, files, nfiles);
}

int import_command_run_audit(const struct import_command *cmd, const struct import_audit *audit,
			     char **files, int nfiles)
{
	struct import_counts totals = { 0 };
	json_t *names = json_array(), *reports = json_array();
	int refused = 0, failed = 0;

	for (int i = 0; i < nfiles; i++) {
		long report = 0;
		int rc = cmd->one_file(cmd->ctx, files[i], &totals, &report);

		json_array_append_new(names, json_string(files[i]));
		if (report)
			json_array_append_new(reports, json_integer(report));
		refused |= rc == 1;
		failed |= rc < 0;
		fflush(stdout);
	}
	if (audit->needs_report && json_array_size(reports) == 0) {
		json_decref(names);
		json_decref(reports);
	} else if (audit_run(cmd, audit, names, reports, &totals)) {
		failed = 1;
	}
	printf("created %ld, updated %ld, unchanged %ld, rejected %ld\n", totals.created,
	       totals.updated, totals.unchanged, totals.rejected);
	if (failed)
		return EXIT_FAILURE_;
	return refused || totals.rejected ? EXIT_REFUSED : EXIT_OK;
}
