/*
 * sqlite.c — the SQLite implementation of db.h.
 *
 * WAL mode (readers never wait for the writer), foreign keys on, a busy
 * timeout so concurrent writers queue, and migrations compiled into the
 * binary (src/db/migrations/NNNN_*.sql, see embedded.h).
 */
#include "db/db.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/embedded.h"

/* Prepared statements kept per connection. Compiling SQL was half the CPU
 * of a page (docs/bench.md), and the same few statements run on every
 * request. Bounded: SQL built from filters (listing.c) varies. */
#define DB_STMT_CACHE 64
/* Bytes of the database file mapped in memory (address space, not RAM). */
#define DB_MMAP_SIZE "1073741824"

struct db {
	sqlite3 *h;
	struct db_stmt *cache[DB_STMT_CACHE];
	int ncache;
	uint64_t clock; /* last_use stamps, for evicting the least recent */
};

struct db_stmt {
	sqlite3_stmt *h;
	struct db *db;
	const char *sql;   /* sqlite3_sql(h): the text it was prepared from */
	uint64_t hash;     /* of sql, to skip most string comparisons */
	uint64_t last_use;
	int cached;        /* in db->cache: db_finalize resets instead of freeing */
	int in_use;        /* handed out by db_prepare, not finalized yet */
};

static char *dup_msg(const char *prefix, const char *msg)
{
	size_t n = strlen(prefix) + strlen(msg) + 3;
	char *s = malloc(n);

	if (s)
		snprintf(s, n, "%s: %s", prefix, msg);
	return s;
}

/* app_today(): the application's day (date_today(): PARCOURS_TODAY in tests
 * and the demo) as YYYY-MM-DD, so that rules written in SQL ("a current
 * orientation") judge on the same day as the pages. A PostgreSQL driver
 * provides the same function (a session setting read by a SQL function). */
static void sql_app_today(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char today[11];

	(void)argc;
	(void)argv;
	date_format(date_today(), today);
	sqlite3_result_text(ctx, today, 10, SQLITE_TRANSIENT);
}

int db_open_raw(struct db **out, const char *path, char **err)
{
	struct db *db = calloc(1, sizeof *db);
	int rc;

	*out = NULL;
	if (!db)
		return -1;
	/* NOMUTEX: a connection (and its statement cache) belongs to one
	 * thread at a time (server.c opens one per thread). */
	rc = sqlite3_open_v2(path, &db->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		if (err)
			*err = dup_msg(path, db->h ? sqlite3_errmsg(db->h) : "cannot open");
		sqlite3_close(db->h);
		free(db);
		return -1;
	}
	sqlite3_busy_timeout(db->h, 10000);
	sqlite3_create_function_v2(db->h, "app_today", 0, SQLITE_UTF8, NULL, sql_app_today, NULL,
				   NULL, NULL);
	sqlite3_extended_result_codes(db->h, 1);
	/* mmap_size, for the server's per-thread connections (db_open below
	 * turns it off for the commands): reads of the database file
	 * (outside the WAL) come from the OS page cache without a pread() and
	 * a copy per page, and the pages are shared by every connection,
	 * where each connection's own 2 MB page cache held a hundredth of the
	 * demo's 200 MB (42 % of the caseload page was pread). Writes still
	 * go through the WAL. */
	if (db_exec(db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
			"PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY; "
			"PRAGMA mmap_size=" DB_MMAP_SIZE ";")) {
		if (err)
			*err = dup_msg(path, sqlite3_errmsg(db->h));
		db_close(db);
		return -1;
	}
	*out = db;
	return 0;
}

int db_open(struct db **out, const char *path, char **err)
{
	if (db_open_raw(out, path, err))
		return -1;
	/* A command (an import) reads most pages once: through its own capped
	 * page cache, its peak RSS stays its own memory, not the mapped
	 * file's pages. */
	if (db_exec(*out, "PRAGMA mmap_size=0;") || db_migrate(*out, 0)) {
		if (err)
			*err = dup_msg("migration", db_errmsg(*out));
		db_close(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

static void stmt_free(struct db_stmt *st)
{
	sqlite3_finalize(st->h);
	free(st);
}

/* Idle cached statements are finalized; one still in use is detached, so
 * its own db_finalize frees it (sqlite3_close_v2 waits for it). */
static void cache_clear(struct db *db)
{
	for (int i = 0; i < db->ncache; i++) {
		struct db_stmt *st = db->cache[i];
		if (st->in_use)
			st->cached = 0;
		else
			stmt_free(st);
		db->cache[i] = NULL;
	}
	db->ncache = 0;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	cache_clear(db);
	sqlite3_close_v2(db->h);
	free(db);
}

const char *db_errmsg(struct db *db)
{
	return sqlite3_errmsg(db->h);
}

int db_schema_version(struct db *db)
{
	int64_t v = 0;

	if (db_query_int(db, &v, "SELECT COALESCE(MAX(version), 0) FROM schema_migration", ""))
		return 0;
	return (int)v;
}

int db_migrate(struct db *db, int verbose)
{
	int current;

	if (db_exec(db, "CREATE TABLE IF NOT EXISTS schema_migration ("
			" version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"))
		return -1;
	current = db_schema_version(db);
	for (const struct embedded_file *m = embedded_migrations; m->name; m++) {
		int n = (int)strtol(m->name, NULL, 10);
		if (n <= current)
			continue;
		if (db_begin(db))
			return -1;
		if (db_exec(db, m->data) ||
		    db_execf(db, "INSERT INTO schema_migration (version, name, applied_at) "
				 "VALUES (?, ?, CURRENT_TIMESTAMP)", "is", (int64_t)n, m->name)) {
			fprintf(stderr, "parcours: migration %s failed: %s\n", m->name, db_errmsg(db));
			db_rollback(db);
			return -1;
		}
		if (db_commit(db))
			return -1;
		if (verbose)
			fprintf(stderr, "parcours: applied migration %s\n", m->name);
	}
	return 0;
}

static uint64_t sql_hash(const char *sql)
{
	uint64_t h = 14695981039346656037u; /* FNV-1a */

	for (; *sql; sql++)
		h = (h ^ (unsigned char)*sql) * 1099511628211u;
	return h;
}

/* An idle cached statement prepared from the same text, or NULL. Two
 * statements alive at once with the same SQL (a loop calling a function
 * that runs it too) each get their own: a busy one is never handed out. */
static struct db_stmt *cache_find(struct db *db, const char *sql, uint64_t hash)
{
	for (int i = 0; i < db->ncache; i++) {
		struct db_stmt *st = db->cache[i];
		if (!st->in_use && st->hash == hash && strcmp(st->sql, sql) == 0)
			return st;
	}
	return NULL;
}

/* Keeps st in the cache, evicting the least recently used idle statement
 * when full; when every slot is busy st stays uncached. */
static void cache_add(struct db *db, struct db_stmt *st)
{
	int slot = db->ncache, i;

	if (db->ncache == DB_STMT_CACHE) {
		slot = -1;
		for (i = 0; i < db->ncache; i++)
			if (!db->cache[i]->in_use &&
			    (slot < 0 || db->cache[i]->last_use < db->cache[slot]->last_use))
				slot = i;
		if (slot < 0)
			return;
		stmt_free(db->cache[slot]);
	} else {
		db->ncache++;
	}
	db->cache[slot] = st;
	st->cached = 1;
}

int db_prepare(struct db *db, struct db_stmt **out, const char *sql)
{
	uint64_t hash = sql_hash(sql);
	struct db_stmt *st = cache_find(db, sql, hash);

	*out = NULL;
	if (!st) {
		st = calloc(1, sizeof *st);
		if (!st)
			return -1;
		if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->h, NULL) !=
		    SQLITE_OK) {
			fprintf(stderr, "parcours: SQL error: %s\n  in: %.200s\n",
				sqlite3_errmsg(db->h), sql);
			free(st);
			return -1;
		}
		st->db = db;
		/* An empty or comment-only text compiles to no statement. */
		st->sql = st->h ? sqlite3_sql(st->h) : NULL;
		st->hash = hash;
		if (st->sql && strcmp(st->sql, sql) == 0)
			cache_add(db, st);
	}
	st->in_use = 1;
	st->last_use = ++db->clock;
	*out = st;
	return 0;
}

int db_bind_text(struct db_stmt *st, int idx, const char *value)
{
	if (!value)
		return db_bind_null(st, idx);
	return sqlite3_bind_text(st->h, idx, value, -1, SQLITE_TRANSIENT) == SQLITE_OK ? 0 : -1;
}

int db_bind_int(struct db_stmt *st, int idx, int64_t value)
{
	return sqlite3_bind_int64(st->h, idx, value) == SQLITE_OK ? 0 : -1;
}

int db_bind_double(struct db_stmt *st, int idx, double value)
{
	return sqlite3_bind_double(st->h, idx, value) == SQLITE_OK ? 0 : -1;
}

int db_bind_null(struct db_stmt *st, int idx)
{
	return sqlite3_bind_null(st->h, idx) == SQLITE_OK ? 0 : -1;
}

int db_step(struct db_stmt *st)
{
	int rc = sqlite3_step(st->h);

	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	return -1;
}

int db_reset(struct db_stmt *st)
{
	sqlite3_reset(st->h);
	return sqlite3_clear_bindings(st->h) == SQLITE_OK ? 0 : -1;
}

void db_finalize(struct db_stmt *st)
{
	if (!st)
		return;
	if (!st->cached) {
		stmt_free(st);
		return;
	}
	/* Reset ends its read (or write) of the database as finalizing would. */
	sqlite3_reset(st->h);
	sqlite3_clear_bindings(st->h);
	st->in_use = 0;
}

int db_col_count(struct db_stmt *st)
{
	return sqlite3_column_count(st->h);
}

const char *db_col_name(struct db_stmt *st, int col)
{
	return sqlite3_column_name(st->h, col);
}

enum db_type db_col_type(struct db_stmt *st, int col)
{
	switch (sqlite3_column_type(st->h, col)) {
	case SQLITE_INTEGER:
		return DB_INTEGER;
	case SQLITE_FLOAT:
		return DB_FLOAT;
	case SQLITE_NULL:
		return DB_NULL;
	default:
		return DB_TEXT;
	}
}

const char *db_col_text(struct db_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st->h, col);
}

int64_t db_col_int(struct db_stmt *st, int col)
{
	return sqlite3_column_int64(st->h, col);
}

double db_col_double(struct db_stmt *st, int col)
{
	return sqlite3_column_double(st->h, col);
}

int db_col_is_null(struct db_stmt *st, int col)
{
	return sqlite3_column_type(st->h, col) == SQLITE_NULL;
}

int db_exec(struct db *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int bind_va(struct db_stmt *st, const char *fmt, va_list ap)
{
	for (int i = 0; fmt[i]; i++) {
		int rc;
		switch (fmt[i]) {
		case 's':
			rc = db_bind_text(st, i + 1, va_arg(ap, const char *));
			break;
		case 'i':
			rc = db_bind_int(st, i + 1, va_arg(ap, int64_t));
			break;
		case 'd':
			rc = db_bind_double(st, i + 1, va_arg(ap, double));
			break;
		case 'n':
			rc = db_bind_null(st, i + 1);
			break;
		default:
			return -1;
		}
		if (rc)
			return -1;
	}
	return 0;
}

int db_execf(struct db *db, const char *sql, const char *fmt, ...)
{
	struct db_stmt *st;
	va_list ap;
	int rc = -1;

	if (db_prepare(db, &st, sql))
		return -1;
	va_start(ap, fmt);
	if (bind_va(st, fmt, ap) == 0) {
		int s;
		while ((s = db_step(st)) == DB_ROW)
			;
		rc = s == DB_DONE ? 0 : -1;
	}
	va_end(ap);
	db_finalize(st);
	return rc;
}

int db_query_int(struct db *db, int64_t *out, const char *sql, const char *fmt, ...)
{
	struct db_stmt *st;
	va_list ap;
	int rc = -1;

	*out = 0;
	if (db_prepare(db, &st, sql))
		return -1;
	va_start(ap, fmt);
	if (bind_va(st, fmt, ap) == 0) {
		int s = db_step(st);
		if (s == DB_ROW)
			*out = db_col_int(st, 0);
		rc = s == DB_ROW || s == DB_DONE ? 0 : -1;
	}
	va_end(ap);
	db_finalize(st);
	return rc;
}

/* Through db_execf, so that these run as cached prepared statements
 * rather than being parsed again by sqlite3_exec on every transaction. */
int db_begin(struct db *db)
{
	return db_execf(db, "BEGIN IMMEDIATE", "");
}

int db_commit(struct db *db)
{
	return db_execf(db, "COMMIT", "");
}

int db_rollback(struct db *db)
{
	return db_execf(db, "ROLLBACK", "");
}

int db_in_transaction(struct db *db)
{
	return !sqlite3_get_autocommit(db->h);
}

int db_changes(struct db *db)
{
	return sqlite3_changes(db->h);
}

int db_checkpoint(struct db *db)
{
	return sqlite3_wal_checkpoint_v2(db->h, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL) ==
			       SQLITE_OK ? 0 : -1;
}

int db_backup(struct db *db, const char *path)
{
	sqlite3 *dest;
	sqlite3_backup *bk;
	int rc;

	if (sqlite3_open(path, &dest) != SQLITE_OK) {
		sqlite3_close(dest);
		return -1;
	}
	bk = sqlite3_backup_init(dest, "main", db->h, "main");
	if (!bk) {
		sqlite3_close(dest);
		return -1;
	}
	/* Copy in steps so writers are not locked out for the whole copy. */
	do {
		rc = sqlite3_backup_step(bk, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(bk);
	rc = rc == SQLITE_DONE && sqlite3_errcode(dest) == SQLITE_OK ? 0 : -1;
	sqlite3_close(dest);
	return rc;
}
