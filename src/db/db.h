/*
 * db.h — the one interface through which Parcours talks to its database.
 *
 * Model code writes portable SQL (standard types, `?` placeholders,
 * `INSERT … ON CONFLICT (id) DO UPDATE`), binds every value, and never
 * builds SQL text from user data. sqlite.c implements this interface; a
 * PostgreSQL driver (pg.c, libpq) can implement it later by rewriting `?`
 * into `$n`, without touching the model.
 *
 * Errors: functions return 0 on success and -1 on failure; db_errmsg()
 * tells why. db_step() returns DB_ROW, DB_DONE or -1.
 *
 *   struct db_stmt *st;
 *   if (db_prepare(db, &st, "SELECT name FROM person WHERE id = ?")) goto out;
 *   db_bind_text(st, 1, id);
 *   while (db_step(st) == DB_ROW) puts(db_col_text(st, 0));
 *   db_finalize(st);
 */
#ifndef PARCOURS_DB_H
#define PARCOURS_DB_H
#include <stdint.h>

struct db;
struct db_stmt;

enum { DB_ROW = 100, DB_DONE = 101 };
enum db_type { DB_NULL, DB_INTEGER, DB_FLOAT, DB_TEXT };

/* Opens (creating if needed) the database at path and applies the pending
 * migrations. On failure *err gets a malloc'd message. Every connection
 * offers the SQL function app_today(): the application's day (date_today(),
 * which PARCOURS_TODAY sets in tests and the demo) as YYYY-MM-DD, for rules
 * written in SQL. */
int db_open(struct db **out, const char *path, char **err);
/* Opens without migrating (backup, `migrate --status`, the server's
 * per-thread connections — these also map the file: PRAGMA mmap_size). */
int db_open_raw(struct db **out, const char *path, char **err);
void db_close(struct db *db);
const char *db_errmsg(struct db *db);

/* Applies migrations not yet applied, each in its own transaction; prints
 * each applied one to stderr when verbose. */
int db_migrate(struct db *db, int verbose);
/* The highest applied migration number. */
int db_schema_version(struct db *db);

/* A connection belongs to one thread at a time. Statements are cached per
 * connection by their SQL text: db_prepare hands out an idle one prepared
 * from the same text when there is one, and db_finalize resets it (and
 * clears its bindings) for the next caller. Several statements with the
 * same text may be alive at once; each is distinct. */
int db_prepare(struct db *db, struct db_stmt **out, const char *sql);
int db_bind_text(struct db_stmt *st, int idx, const char *value); /* NULL binds NULL */
int db_bind_int(struct db_stmt *st, int idx, int64_t value);
int db_bind_double(struct db_stmt *st, int idx, double value);
int db_bind_null(struct db_stmt *st, int idx);
int db_step(struct db_stmt *st);
/* Makes the statement ready to run again (bindings are cleared). */
int db_reset(struct db_stmt *st);
void db_finalize(struct db_stmt *st);

int db_col_count(struct db_stmt *st);
const char *db_col_name(struct db_stmt *st, int col);
enum db_type db_col_type(struct db_stmt *st, int col);
/* Text of a column; NULL for SQL NULL. Valid until the next step. */
const char *db_col_text(struct db_stmt *st, int col);
int64_t db_col_int(struct db_stmt *st, int col);
double db_col_double(struct db_stmt *st, int col);
int db_col_is_null(struct db_stmt *st, int col);

/* Runs SQL without parameters (DDL, pragmas); may hold several statements. */
int db_exec(struct db *db, const char *sql);
/* Runs one statement binding the arguments described by fmt, one letter per
 * `?`: 's' const char * (NULL → NULL), 'i' int64_t, 'd' double, 'n' nothing
 * (binds NULL). Returns 0 when it ran to completion. */
int db_execf(struct db *db, const char *sql, const char *fmt, ...);
/* Like db_execf for a query whose first row's first column is an integer;
 * returns 0 and stores it in *out (0 when there is no row). */
int db_query_int(struct db *db, int64_t *out, const char *sql, const char *fmt, ...);

/* Transactions. db_begin() starts a write transaction at once (so two
 * writers queue instead of failing half-way). */
int db_begin(struct db *db);
int db_commit(struct db *db);
int db_rollback(struct db *db);

/* True inside an explicit transaction. */
int db_in_transaction(struct db *db);

/* Number of rows the last INSERT/UPDATE/DELETE changed. */
int db_changes(struct db *db);

/* Copies the write-ahead log into the database and truncates it (at a clean
 * stop of the server). Returns -1 when it could not complete, e.g. because
 * another connection was reading. */
int db_checkpoint(struct db *db);

/* Online backup of the whole database into path (SQLite backup API). */
int db_backup(struct db *db, const char *path);

#endif
