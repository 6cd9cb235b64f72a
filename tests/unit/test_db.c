/*
 * Unit tests for src/db/sqlite.c (db.h): opening and migrating, statements
 * and bindings, db_execf/db_query_int, transactions, and online backup.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/embedded.h"
#include "db/db.h"
#include "fixture.h"

/* A fresh database with a table of its own to play with. */
static int setup(void **state)
{
	struct fx_db *fx;

	if (fx_setup(state))
		return -1;
	fx = *state;
	assert_int_equal(db_exec(fx->db, "CREATE TABLE kv (k TEXT PRIMARY KEY, i INTEGER, d REAL, t TEXT)"), 0);
	return 0;
}

static int64_t count_kv(struct fx_db *fx)
{
	int64_t n = -1;

	assert_int_equal(db_query_int(fx->db, &n, "SELECT COUNT(*) FROM kv", ""), 0);
	return n;
}

static int last_migration(void)
{
	int n = 0;

	for (const struct embedded_file *m = embedded_migrations; m->name; m++)
		n = (int)strtol(m->name, NULL, 10);
	return n;
}

/* ---- opening and migrations --------------------------------------------- */

static void test_open_creates_and_migrates(void **state)
{
	struct fx_db *fx = *state;
	int64_t n = -1;

	assert_true(last_migration() >= 1);
	assert_int_equal(db_schema_version(fx->db), last_migration());
	/* The foundation's tables exist. */
	assert_int_equal(db_query_int(fx->db, &n, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' "
						  "AND name IN ('territory','person','audit','account')", ""), 0);
	assert_int_equal(n, 4);
	assert_int_equal(db_query_int(fx->db, &n, "SELECT COUNT(*) FROM schema_migration", ""), 0);
	assert_int_equal(n, last_migration());
}

static void test_migrations_are_applied_once(void **state)
{
	struct fx_db *fx = *state;
	int64_t n = -1;
	char *err = NULL;

	assert_int_equal(db_execf(fx->db, "INSERT INTO territory (id, name) VALUES ('t', 'kept')", ""), 0);
	db_close(fx->db);
	assert_int_equal(db_open(&fx->db, fx->path, &err), 0);
	assert_int_equal(db_migrate(fx->db, 0), 0);
	assert_int_equal(db_query_int(fx->db, &n, "SELECT COUNT(*) FROM schema_migration", ""), 0);
	assert_int_equal(n, last_migration());
	assert_int_equal(db_query_int(fx->db, &n, "SELECT COUNT(*) FROM territory WHERE name = 'kept'", ""), 0);
	assert_int_equal(n, 1);
	assert_int_equal(db_schema_version(fx->db), last_migration());
}

static void test_open_raw_does_not_migrate(void **state)
{
	struct fx_db *fx = *state;
	struct db *raw;
	char path[128];
	char *err = NULL;
	int64_t n = -1;

	snprintf(path, sizeof path, "%s/raw.db", fx->dir);
	assert_int_equal(db_open_raw(&raw, path, &err), 0);
	assert_int_equal(db_schema_version(raw), 0);
	assert_int_equal(db_query_int(raw, &n, "SELECT COUNT(*) FROM sqlite_master", ""), 0);
	assert_int_equal(n, 0);
	/* Migrating it later brings it up to date. */
	assert_int_equal(db_migrate(raw, 0), 0);
	assert_int_equal(db_schema_version(raw), last_migration());
	db_close(raw);
}

static void test_open_failure_says_why(void **state)
{
	struct fx_db *fx = *state;
	struct db *db = (struct db *)1;
	char path[128];
	char *err = NULL;

	snprintf(path, sizeof path, "%s/no/such/dir/x.db", fx->dir);
	assert_int_equal(db_open(&db, path, &err), -1);
	assert_null(db);
	assert_non_null(err);
	assert_non_null(strstr(err, path));
	free(err);
}

static void test_open_sets_wal_and_foreign_keys(void **state)
{
	struct fx_db *fx = *state;
	struct db_stmt *st;
	int64_t fk = -1;

	assert_int_equal(db_prepare(fx->db, &st, "PRAGMA journal_mode"), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "wal");
	db_finalize(st);
	assert_int_equal(db_query_int(fx->db, &fk, "PRAGMA foreign_keys", ""), 0);
	assert_int_equal(fk, 1);
	/* Immediate foreign keys refuse at once … */
	assert_int_equal(db_execf(fx->db, "INSERT INTO territory_commune (territory, commune) VALUES (?, ?)",
				  "ss", "t-404", "69381"), -1);
	/* … deferred ones at commit. */
	assert_int_equal(db_begin(fx->db), 0);
	assert_int_equal(db_execf(fx->db, "INSERT INTO household (id, territory) VALUES ('h', 't-404')", ""), 0);
	assert_int_equal(db_commit(fx->db), -1);
	assert_int_equal(db_rollback(fx->db), 0);
	assert_int_equal(db_query_int(fx->db, &fk, "SELECT COUNT(*) FROM household", ""), 0);
	assert_int_equal(fk, 0);
}

/* ---- db_execf, db_query_int --------------------------------------------- */

static void test_execf_binds_each_letter(void **state)
{
	struct fx_db *fx = *state;
	struct db_stmt *st;

	assert_int_equal(db_execf(fx->db, "INSERT INTO kv (k, i, d, t) VALUES (?, ?, ?, ?)", "sids", "a",
				  (int64_t)9007199254740993LL, 2.5, "Benoît"), 0);
	assert_int_equal(db_execf(fx->db, "INSERT INTO kv (k, i, d, t) VALUES (?, ?, ?, ?)", "sinn", "b",
				  (int64_t)-7), 0);
	assert_int_equal(db_execf(fx->db, "INSERT INTO kv (k, i, d, t) VALUES (?, ?, ?, ?)", "sids", "c",
				  (int64_t)0, 0.0, (const char *)NULL), 0);
	assert_int_equal(db_prepare(fx->db, &st, "SELECT k, i, d, t FROM kv ORDER BY k"), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "a");
	assert_true(db_col_int(st, 1) == 9007199254740993LL);
	assert_true(db_col_double(st, 2) == 2.5);
	assert_string_equal(db_col_text(st, 3), "Benoît");
	assert_int_equal(db_step(st), DB_ROW);
	assert_true(db_col_int(st, 1) == -7);
	assert_true(db_col_is_null(st, 2));
	assert_true(db_col_is_null(st, 3));
	assert_null(db_col_text(st, 3));
	assert_int_equal(db_step(st), DB_ROW);
	assert_true(db_col_is_null(st, 3)); /* 's' with NULL binds NULL */
	assert_int_equal(db_step(st), DB_DONE);
	db_finalize(st);
}

static void test_execf_values_are_never_sql(void **state)
{
	struct fx_db *fx = *state;
	int64_t n = -1;

	assert_int_equal(db_execf(fx->db, "INSERT INTO kv (k, t) VALUES (?, ?)", "ss", "x",
				  "'); DROP TABLE kv; --"), 0);
	assert_int_equal(db_query_int(fx->db, &n, "SELECT COUNT(*) FROM kv WHERE t = ?", "s",
				      "'); DROP TABLE kv; --"), 0);
	assert_int_equal(n, 1);
}

static void test_execf_reports_errors(void **state)
{
	struct fx_db *fx = *state;

	assert_int_equal(db_execf(fx->db, "INSERT INTO nowhere VALUES (1)", ""), -1);
	assert_int_equal(db_execf(fx->db, "INSERT INTO kv (k) VALUES (?)", "x", "a"), -1); /* bad letter */
	assert_int_equal(db_execf(fx->db, "INSERT INTO kv (k) VALUES (?)", "s", "dup"), 0);
	assert_int_equal(db_execf(fx->db, "INSERT INTO kv (k) VALUES (?)", "s", "dup"), -1);
	assert_non_null(strstr(db_errmsg(fx->db), "UNIQUE"));
	assert_int_equal(count_kv(fx), 1);
}

static void test_query_int_first_row_first_column(void **state)
{
	struct fx_db *fx = *state;
	int64_t n = -1;

	assert_int_equal(db_execf(fx->db, "INSERT INTO kv (k, i) VALUES ('a', 5), ('b', 7)", ""), 0);
	assert_int_equal(db_query_int(fx->db, &n, "SELECT i FROM kv ORDER BY k DESC", ""), 0);
	assert_int_equal(n, 7);
	assert_int_equal(db_query_int(fx->db, &n, "SELECT i FROM kv WHERE k = ?", "s", "a"), 0);
	assert_int_equal(n, 5);
	assert_int_equal(db_query_int(fx->db, &n, "SELECT SUM(i) FROM kv WHERE i > ?", "i", (int64_t)4), 0);
	assert_int_equal(n, 12);
}

static void test_query_int_without_row_gives_zero(void **state)
{
	struct fx_db *fx = *state;
	int64_t n = 99;

	assert_int_equal(db_query_int(fx->db, &n, "SELECT i FROM kv WHERE k = ?", "s", "none"), 0);
	assert_int_equal(n, 0);
	n = 99;
	assert_int_equal(db_query_int(fx->db, &n, "SELECT i FROM nowhere", ""), -1);
	assert_int_equal(n, 0);
}

/* ---- statements --------------------------------------------------------- */

static void test_statement_columns_and_types(void **state)
{
	struct fx_db *fx = *state;
	struct db_stmt *st;

	assert_int_equal(db_prepare(fx->db, &st, "SELECT 1 AS one, 2.5 AS half, 'x' AS t, NULL AS n"), 0);
	assert_int_equal(db_col_count(st), 4);
	assert_string_equal(db_col_name(st, 0), "one");
	assert_string_equal(db_col_name(st, 3), "n");
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_type(st, 0), DB_INTEGER);
	assert_int_equal(db_col_type(st, 1), DB_FLOAT);
	assert_int_equal(db_col_type(st, 2), DB_TEXT);
	assert_int_equal(db_col_type(st, 3), DB_NULL);
	assert_int_equal(db_step(st), DB_DONE);
	db_finalize(st);
	db_finalize(NULL); /* allowed, like free(NULL) */
}

static void test_prepare_refuses_bad_sql(void **state)
{
	struct fx_db *fx = *state;
	struct db_stmt *st = (struct db_stmt *)1;

	assert_int_equal(db_prepare(fx->db, &st, "SELEC 1"), -1);
	assert_null(st);
}

static void test_reset_clears_bindings_for_reuse(void **state)
{
	struct fx_db *fx = *state;
	struct db_stmt *st;
	int64_t n = -1;

	assert_int_equal(db_prepare(fx->db, &st, "INSERT INTO kv (k, i) VALUES (?, ?)"), 0);
	for (int i = 0; i < 3; i++) {
		char k[8];
		snprintf(k, sizeof k, "k%d", i);
		assert_int_equal(db_bind_text(st, 1, k), 0);
		if (i < 2)
			assert_int_equal(db_bind_int(st, 2, i * 10), 0);
		assert_int_equal(db_step(st), DB_DONE);
		assert_int_equal(db_changes(fx->db), 1);
		assert_int_equal(db_reset(st), 0);
	}
	db_finalize(st);
	assert_int_equal(count_kv(fx), 3);
	/* The third row was not given i: the previous binding did not linger. */
	assert_int_equal(db_query_int(fx->db, &n, "SELECT COUNT(*) FROM kv WHERE i IS NULL", ""), 0);
	assert_int_equal(n, 1);
}

static void test_bind_out_of_range_fails(void **state)
{
	struct fx_db *fx = *state;
	struct db_stmt *st;

	assert_int_equal(db_prepare(fx->db, &st, "SELECT ?"), 0);
	assert_int_equal(db_bind_text(st, 2, "x"), -1);
	assert_int_equal(db_bind_int(st, 0, 1), -1);
	assert_int_equal(db_bind_double(st, 1, 1.5), 0);
	assert_int_equal(db_bind_null(st, 1), 0);
	db_finalize(st);
}

static void test_changes_counts_rows(void **state)
{
	struct fx_db *fx = *state;

	assert_int_equal(db_execf(fx->db, "INSERT INTO kv (k, i) VALUES ('a', 1), ('b', 1), ('c', 2)", ""), 0);
	assert_int_equal(db_changes(fx->db), 3);
	assert_int_equal(db_execf(fx->db, "UPDATE kv SET t = 'x' WHERE i = ?", "i", (int64_t)1), 0);
	assert_int_equal(db_changes(fx->db), 2);
	assert_int_equal(db_execf(fx->db, "DELETE FROM kv WHERE k = 'zzz'", ""), 0);
	assert_int_equal(db_changes(fx->db), 0);
}

/* ---- transactions ------------------------------------------------------- */

static void test_rollback_undoes_everything(void **state)
{
	struct fx_db *fx = *state;

	assert_false(db_in_transaction(fx->db));
	assert_int_equal(db_begin(fx->db), 0);
	assert_true(db_in_transaction(fx->db));
	assert_int_equal(db_execf(fx->db, "INSERT INTO kv (k) VALUES ('a')", ""), 0);
	assert_int_equal(db_execf(fx->db, "INSERT INTO kv (k) VALUES ('b')", ""), 0);
	assert_int_equal(count_kv(fx), 2);
	assert_int_equal(db_rollback(fx->db), 0);
	assert_false(db_in_transaction(fx->db));
	assert_int_equal(count_kv(fx), 0);
}

static void test_commit_keeps_everything(void **state)
{
	struct fx_db *fx = *state;
	struct db *other;
	char *err = NULL;
	int64_t n = -1;

	assert_int_equal(db_begin(fx->db), 0);
	assert_int_equal(db_execf(fx->db, "INSERT INTO kv (k) VALUES ('a')", ""), 0);
	/* Another connection does not see uncommitted rows. */
	assert_int_equal(db_open(&other, fx->path, &err), 0);
	assert_int_equal(db_query_int(other, &n, "SELECT COUNT(*) FROM kv", ""), 0);
	assert_int_equal(n, 0);
	assert_int_equal(db_commit(fx->db), 0);
	assert_int_equal(db_query_int(other, &n, "SELECT COUNT(*) FROM kv", ""), 0);
	assert_int_equal(n, 1);
	db_close(other);
}

static void test_begin_twice_is_refused(void **state)
{
	struct fx_db *fx = *state;

	assert_int_equal(db_begin(fx->db), 0);
	assert_int_equal(db_begin(fx->db), -1);
	assert_true(db_in_transaction(fx->db));
	assert_int_equal(db_commit(fx->db), 0);
	assert_int_equal(db_commit(fx->db), -1);
	assert_int_equal(db_rollback(fx->db), -1);
}

static void test_failed_statement_inside_transaction_keeps_the_rest(void **state)
{
	struct fx_db *fx = *state;

	assert_int_equal(db_begin(fx->db), 0);
	assert_int_equal(db_execf(fx->db, "INSERT INTO kv (k) VALUES ('a')", ""), 0);
	assert_int_equal(db_execf(fx->db, "INSERT INTO kv (k) VALUES ('a')", ""), -1);
	assert_true(db_in_transaction(fx->db));
	assert_int_equal(db_commit(fx->db), 0);
	assert_int_equal(count_kv(fx), 1);
}

/* ---- backup ------------------------------------------------------------- */

static void test_backup_copies_the_database(void **state)
{
	struct fx_db *fx = *state;
	struct db *copy;
	char path[128];
	char *err = NULL;
	int64_t n = -1;

	for (int i = 0; i < 2000; i++) {
		char k[16];
		snprintf(k, sizeof k, "k%05d", i);
		assert_int_equal(db_execf(fx->db, "INSERT INTO kv (k, t) VALUES (?, ?)", "ss", k,
					  "some text to fill the pages of the database a little"), 0);
	}
	snprintf(path, sizeof path, "%s/backup.db", fx->dir);
	assert_int_equal(db_backup(fx->db, path), 0);
	assert_int_equal(db_open_raw(&copy, path, &err), 0);
	assert_int_equal(db_query_int(copy, &n, "SELECT COUNT(*) FROM kv", ""), 0);
	assert_int_equal(n, 2000);
	assert_int_equal(db_schema_version(copy), last_migration());
	db_close(copy);
}

static void test_backup_takes_committed_state_only(void **state)
{
	struct fx_db *fx = *state;
	struct db *copy, *writer;
	char path[128];
	char *err = NULL;
	int64_t n = -1;

	assert_int_equal(db_execf(fx->db, "INSERT INTO kv (k) VALUES ('committed')", ""), 0);
	assert_int_equal(db_open(&writer, fx->path, &err), 0);
	assert_int_equal(db_begin(writer), 0);
	assert_int_equal(db_execf(writer, "INSERT INTO kv (k) VALUES ('pending')", ""), 0);
	snprintf(path, sizeof path, "%s/backup.db", fx->dir);
	assert_int_equal(db_backup(fx->db, path), 0);
	assert_int_equal(db_rollback(writer), 0);
	db_close(writer);
	assert_int_equal(db_open_raw(&copy, path, &err), 0);
	assert_int_equal(db_query_int(copy, &n, "SELECT COUNT(*) FROM kv", ""), 0);
	assert_int_equal(n, 1);
	db_close(copy);
}

static void test_backup_to_unwritable_path_fails(void **state)
{
	struct fx_db *fx = *state;
	char path[128];

	snprintf(path, sizeof path, "%s/no/such/dir/backup.db", fx->dir);
	assert_int_equal(db_backup(fx->db, path), -1);
}

static void test_backup_replaces_an_existing_file(void **state)
{
	struct fx_db *fx = *state;
	struct db *copy;
	char path[128];
	char *err = NULL;
	int64_t n = -1;

	snprintf(path, sizeof path, "%s/backup.db", fx->dir);
	assert_int_equal(db_execf(fx->db, "INSERT INTO kv (k) VALUES ('one')", ""), 0);
	assert_int_equal(db_backup(fx->db, path), 0);
	assert_int_equal(db_execf(fx->db, "INSERT INTO kv (k) VALUES ('two')", ""), 0);
	assert_int_equal(db_backup(fx->db, path), 0);
	assert_int_equal(db_open_raw(&copy, path, &err), 0);
	assert_int_equal(db_query_int(copy, &n, "SELECT COUNT(*) FROM kv", ""), 0);
	assert_int_equal(n, 2);
	db_close(copy);
}

/* ---- the statement cache ------------------------------------------------ */

static void fill_kv(struct fx_db *fx, int n)
{
	assert_int_equal(db_begin(fx->db), 0);
	for (int i = 0; i < n; i++) {
		char k[16];
		snprintf(k, sizeof k, "k%02d", i);
		assert_int_equal(db_execf(fx->db, "INSERT INTO kv (k, i) VALUES (?, ?)", "si", k,
					  (int64_t)i), 0);
	}
	assert_int_equal(db_commit(fx->db), 0);
}

/* A loop over a query that calls a function running the same query: the
 * two statements are alive at once and must not share state. */
static void test_cache_same_sql_alive_twice(void **state)
{
	static const char sql[] = "SELECT k, i FROM kv WHERE i >= ? ORDER BY i";
	struct fx_db *fx = *state;
	struct db_stmt *outer, *inner;
	int rows = 0;

	fill_kv(fx, 5);
	assert_int_equal(db_prepare(fx->db, &outer, sql), 0);
	db_bind_int(outer, 1, 0);
	while (db_step(outer) == DB_ROW) {
		int64_t i = db_col_int(outer, 1), inner_rows = 0;
		assert_int_equal(db_prepare(fx->db, &inner, sql), 0);
		assert_ptr_not_equal(inner, outer);
		db_bind_int(inner, 1, i);
		while (db_step(inner) == DB_ROW)
			inner_rows++;
		db_finalize(inner);
		assert_int_equal(inner_rows, 5 - i);
		assert_int_equal(db_col_int(outer, 1), i); /* untouched by the inner run */
		rows++;
	}
	db_finalize(outer);
	assert_int_equal(rows, 5);
}

/* A statement given back half-way and bound is handed out again from its
 * start, with no binding left. */
static void test_cache_reuse_starts_afresh(void **state)
{
	static const char sql[] = "SELECT COUNT(*) FROM kv WHERE i = ? OR ? IS NULL";
	struct fx_db *fx = *state;
	struct db_stmt *a, *b;

	fill_kv(fx, 3);
	assert_int_equal(db_prepare(fx->db, &a, "SELECT k FROM kv ORDER BY k"), 0);
	assert_int_equal(db_step(a), DB_ROW);
	assert_string_equal(db_col_text(a, 0), "k00");
	db_finalize(a);
	assert_int_equal(db_prepare(fx->db, &b, "SELECT k FROM kv ORDER BY k"), 0);
	assert_ptr_equal(a, b); /* the cached one */
	assert_int_equal(db_step(b), DB_ROW);
	assert_string_equal(db_col_text(b, 0), "k00");
	db_finalize(b);

	assert_int_equal(db_prepare(fx->db, &a, sql), 0);
	db_bind_int(a, 1, 1);
	db_bind_int(a, 2, 1);
	assert_int_equal(db_step(a), DB_ROW);
	assert_int_equal(db_col_int(a, 0), 1);
	db_finalize(a);
	assert_int_equal(db_prepare(fx->db, &a, sql), 0);
	assert_int_equal(db_step(a), DB_ROW); /* both NULL: every row */
	assert_int_equal(db_col_int(a, 0), 3);
	db_finalize(a);
}

/* More distinct texts than the cache holds, and more live statements with
 * one text than it has slots: all run right. */
static void test_cache_bounded(void **state)
{
	struct fx_db *fx = *state;
	struct db_stmt *live[100];
	char sql[64];
	int64_t v;

	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 200; i++) {
			snprintf(sql, sizeof sql, "SELECT %d + ?", i);
			assert_int_equal(db_query_int(fx->db, &v, sql, "i", (int64_t)round), 0);
			assert_int_equal(v, i + round);
		}
	for (int i = 0; i < 100; i++) {
		assert_int_equal(db_prepare(fx->db, &live[i], "SELECT ? * 2"), 0);
		db_bind_int(live[i], 1, i);
	}
	for (int i = 99; i >= 0; i--) {
		assert_int_equal(db_step(live[i]), DB_ROW);
		assert_int_equal(db_col_int(live[i], 0), 2 * i);
		db_finalize(live[i]);
	}
}

/* A cached statement still runs after the schema it reads changed. */
static void test_cache_survives_schema_change(void **state)
{
	struct fx_db *fx = *state;
	int64_t n = -1;

	fill_kv(fx, 2);
	assert_int_equal(db_query_int(fx->db, &n, "SELECT COUNT(*) FROM kv WHERE i < ?", "i",
				      (int64_t)5), 0);
	assert_int_equal(db_exec(fx->db, "DROP TABLE kv; CREATE TABLE kv (k TEXT, i INTEGER);"
				 "INSERT INTO kv VALUES ('x', 1), ('y', 9), ('z', 2)"), 0);
	assert_int_equal(db_query_int(fx->db, &n, "SELECT COUNT(*) FROM kv WHERE i < ?", "i",
				      (int64_t)5), 0);
	assert_int_equal(n, 2);
}

/* The error of a failed step is still what db_errmsg says after the
 * statement went back to the cache; a failed COMMIT leaves the
 * transaction open for the rollback. */
static void test_cache_keeps_errors(void **state)
{
	struct fx_db *fx = *state;

	assert_int_equal(db_execf(fx->db, "INSERT INTO kv (k) VALUES (?)", "s", "a"), 0);
	assert_int_equal(db_execf(fx->db, "INSERT INTO kv (k) VALUES (?)", "s", "a"), -1);
	assert_non_null(strstr(db_errmsg(fx->db), "UNIQUE"));
	assert_int_equal(db_exec(fx->db, "CREATE TABLE parent (id TEXT PRIMARY KEY);"
				 "CREATE TABLE child (p TEXT REFERENCES parent (id) "
				 "DEFERRABLE INITIALLY DEFERRED)"), 0);
	assert_int_equal(db_begin(fx->db), 0);
	assert_int_equal(db_execf(fx->db, "INSERT INTO child VALUES (?)", "s", "none"), 0);
	assert_int_equal(db_commit(fx->db), -1);
	assert_true(db_in_transaction(fx->db));
	assert_int_equal(db_rollback(fx->db), 0);
	assert_false(db_in_transaction(fx->db));
}

/* A statement not finalized before db_close is freed by its own
 * db_finalize (the sanitizer build checks there is no leak and no use
 * after free). */
static void test_cache_close_with_live_statement(void **state)
{
	struct fx_db *fx = *state;
	struct db_stmt *st;

	assert_int_equal(db_prepare(fx->db, &st, "SELECT 1"), 0);
	assert_int_equal(db_step(st), DB_ROW);
	db_close(fx->db);
	fx->db = NULL;
	db_finalize(st);
}

static void test_checkpoint_empties_the_log(void **state)
{
	struct fx_db *fx = *state;
	char wal[128];
	struct stat sb;

	fill_kv(fx, 20);
	snprintf(wal, sizeof wal, "%s-wal", fx->path);
	assert_int_equal(stat(wal, &sb), 0);
	assert_true(sb.st_size > 0);
	assert_int_equal(db_checkpoint(fx->db), 0);
	assert_int_equal(stat(wal, &sb), 0);
	assert_int_equal(sb.st_size, 0);
	assert_int_equal(count_kv(fx), 20);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, fx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_open_creates_and_migrates),
		T(test_migrations_are_applied_once),
		T(test_open_raw_does_not_migrate),
		T(test_open_failure_says_why),
		T(test_open_sets_wal_and_foreign_keys),
		T(test_execf_binds_each_letter),
		T(test_execf_values_are_never_sql),
		T(test_execf_reports_errors),
		T(test_query_int_first_row_first_column),
		T(test_query_int_without_row_gives_zero),
		T(test_statement_columns_and_types),
		T(test_prepare_refuses_bad_sql),
		T(test_reset_clears_bindings_for_reuse),
		T(test_bind_out_of_range_fails),
		T(test_changes_counts_rows),
		T(test_rollback_undoes_everything),
		T(test_commit_keeps_everything),
		T(test_begin_twice_is_refused),
		T(test_failed_statement_inside_transaction_keeps_the_rest),
		T(test_backup_copies_the_database),
		T(test_backup_takes_committed_state_only),
		T(test_backup_to_unwritable_path_fails),
		T(test_backup_replaces_an_existing_file),
		T(test_cache_same_sql_alive_twice),
		T(test_cache_reuse_starts_afresh),
		T(test_cache_bounded),
		T(test_cache_survives_schema_change),
		T(test_cache_keeps_errors),
		T(test_cache_close_with_live_statement),
		T(test_checkpoint_empties_the_log),
	};
#undef T

	return cmocka_run_group_tests_name("db", tests, NULL, NULL);
}
