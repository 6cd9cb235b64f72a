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

#include "base/embedded.h"

struct db {
	sqlite3 *h;
};

struct db_stmt {
	sqlite3_stmt *h;
	struct db *db;
};

static char *dup_msg(const char *prefix, const char *msg)
{
	size_t n = strlen(prefix) + strlen(msg) + 3;
	char *s = malloc(n);

	if (s)
		snprintf(s, n, "%s: %s", prefix, msg);
	return s;
}

int db_open_raw(struct db **out, const char *path, char **err)
{
	struct db *db = calloc(1, sizeof *db);
	int rc;

	*out = NULL;
	if (!db)
		return -1;
	rc = sqlite3_open_v2(path, &db->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				SQLITE_OPEN_FULLMUTEX, NULL);
	if (rc != SQLITE_OK) {
		if (err)
			*err = dup_msg(path, db->h ? sqlite3_errmsg(db->h) : "cannot open");
		sqlite3_close(db->h);
		free(db);
		return -1;
	}
	sqlite3_busy_timeout(db->h, 10000);
	sqlite3_extended_result_codes(db->h, 1);
	if (db_exec(db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
			"PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY;")) {
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
	if (db_migrate(*out, 0)) {
		if (err)
			*err = dup_msg("migration", db_errmsg(*out));
		db_close(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

void db_close(struct db *db)
{
	if (!db)
		return;
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

int db_prepare(struct db *db, struct db_stmt **out, const char *sql)
{
	struct db_stmt *st = calloc(1, sizeof *st);

	*out = NULL;
	if (!st)
		return -1;
	if (sqlite3_prepare_v2(db->h, sql, -1, &st->h, NULL) != SQLITE_OK) {
		fprintf(stderr, "parcours: SQL error: %s\n  in: %.200s\n", sqlite3_errmsg(db->h), sql);
		free(st);
		return -1;
	}
	st->db = db;
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
	sqlite3_finalize(st->h);
	free(st);
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

int db_begin(struct db *db)
{
	return db_exec(db, "BEGIN IMMEDIATE");
}

int db_commit(struct db *db)
{
	return db_exec(db, "COMMIT");
}

int db_rollback(struct db *db)
{
	return db_exec(db, "ROLLBACK");
}

int db_in_transaction(struct db *db)
{
	return !sqlite3_get_autocommit(db->h);
}

int db_changes(struct db *db)
{
	return sqlite3_changes(db->h);
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
