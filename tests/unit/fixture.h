/*
 * fixture.h — what the unit tests share: a temporary database, records
 * put from JSON text, one-value queries and a fixed "today".
 *
 * Linked into every unit test (Makefile). Include it after <cmocka.h>:
 * the helpers that check something fail the running test (fail_msg) with
 * a message that names what went wrong, also from a group setup.
 */
#ifndef PARCOURS_TEST_FIXTURE_H
#define PARCOURS_TEST_FIXTURE_H
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct cli;
struct db;
struct problems;
struct record_writer;

/* A migrated database t.db in a directory of its own, where a test may
 * write other files too: the whole directory goes at the end. */
struct fx_db {
	char dir[64];
	char path[96];
	struct db *db;
};

/* Makes /tmp/parcours-NAME-XXXXXX and opens (creating and migrating) its
 * t.db. Returns 0, or -1 after saying why on standard error (setups
 * return it to cmocka). */
int fx_db_create(struct fx_db *f, const char *name);
/* Closes the database (when open) and removes the directory with every
 * file in it: the database, its -wal and -shm, what the test wrote. */
void fx_db_remove(struct fx_db *f);

/* A cmocka setup that puts a new struct fx_db (its directory named after
 * the test program) in *state, and the teardown that removes it. */
int fx_setup(void **state);
int fx_teardown(void **state);
/* fx_setup(), then the records of a NULL-ended list put (fx_put_all());
 * *db gets the database, for the tests that keep it in a global. */
int fx_setup_with(void **state, const char *const *records, struct db **db);

/* Writes n bytes into the file name of f's directory and returns its path
 * (the last four paths returned stay valid). Fails the test when it cannot. */
const char *fx_file(struct fx_db *f, const char *name, const void *data, size_t n);
/* Imports text, exchange-format lines, through the file name of f's
 * directory; fails the test with every problem when it is refused.
 * Returns the number of records written. */
long fx_import(struct fx_db *f, const char *name, const char *text);

/* Fixes "today" (date_today()) on y-m-d. */
void fx_today(int y, int m, int d);

/* The JSON of text, where ' stands for " so that records read without
 * backslashes (an apostrophe itself is written \u0027). Fails the test on
 * text that is not JSON. The caller releases it. */
json_t *fx_json(const char *text);

/* Validates rec (a {"type","id",…} record) and writes it with w (NULL: a
 * writer of its own). Its problems go to pb when pb is not NULL; otherwise
 * any problem fails the test, naming the record and every problem. A write
 * that fails always fails the test. Outside a transaction, the record is
 * written in its own. */
void fx_put_rec(struct db *db, struct record_writer *w, json_t *rec, struct problems *pb);
/* The same for the record's text (fx_json()); problems fail the test. */
void fx_put(struct db *db, struct record_writer *w, const char *text);
/* Puts each text of a NULL-ended list, all in one transaction. */
void fx_put_all(struct db *db, const char *const *texts);

/* The integer of the first row of sql, with one text parameter arg (NULL:
 * sql has no parameter); 0 when there is no row. A query that fails
 * fails the test, naming it. */
int64_t fx_int(struct db *db, const char *sql, const char *arg);
/* The text of the first row of sql, the same way: "" when there is no
 * row, "NULL" for a null. Valid until the next call. */
const char *fx_text(struct db *db, const char *sql, const char *arg);

/* Runs the command cmd(c, argc, argv) with its standard output caught;
 * returns its exit status. The last line it printed goes to last ("" for
 * none) unless last is NULL. */
int fx_command(int (*cmd)(struct cli *, int, char **), struct cli *c, int argc, char **argv,
	       char *last, size_t size);

#endif
