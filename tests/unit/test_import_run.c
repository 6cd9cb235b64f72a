/*
 * test_import_run.c — the record-by-record run shared by the importers
 * (exchange/import_run.h): one savepoint per record with the rules
 * across records, records committed in batches (what another connection
 * sees, a run that stops part-way, the connection's settings put back),
 * rejections told and kept, the report row (with an importer's own
 * columns), the dry run that writes nothing, the command's
 * audit entry (its object, none for runs without a report); the prepared
 * one-record checks (record_checker) against record_check_one(); and
 * input.h's full blocks (a BOM in the first read, plain or gzip).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "cli/cli.h"
#include "db/db.h"
#include "exchange/import_run.h"
#include "exchange/input.h"
#include "model/problems.h"
#include "model/record.h"
#include "model/schema.h"

struct fixture {
	char dir[64];
	char path[96];
	struct db *db;
	char *err_text;
	size_t err_size;
	FILE *err;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	char *err = NULL;

	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof fx->dir, "/tmp/parcours-ir-XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->path, sizeof fx->path, "%s/t.db", fx->dir);
	if (db_open(&fx->db, fx->path, &err)) {
		fprintf(stderr, "db_open: %s\n", err ? err : "?");
		free(err);
		return -1;
	}
	fx->err = open_memstream(&fx->err_text, &fx->err_size);
	*state = fx;
	return fx->err ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	fclose(fx->err);
	free(fx->err_text);
	db_close(fx->db);
	unlink(fx->path);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

static const char *field_name(void *importer, const char *type, const char *field)
{
	(void)importer;
	return type && field && !strcmp(type, "person") && !strcmp(field, "sex") ? "SEXE" : field;
}

/* The CAF report tables serve as any importer's. */
static const struct import_kind kind = {
	.table = "caf_import",
	.text_column = "fragment",
	.tag_column = "position",
	.refused = "enregistrement refusé",
	.too_many = "trop d'écritures",
	.max_written = 2,
	.field_name = field_name,
};

static json_t *person(const char *household, const char *sex)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "household", household, "role", "DEM",
			 "first_name", "Léa", "last_name", "Durand", "birth_date", "1980-01-02", "sex",
			 sex);
}

/* Applies one record: a household h and a person p of household ph. */
static int apply(struct import_run *r, long line, const char *h, const char *p, const char *ph,
		 const char *sex)
{
	json_t *hh = json_object(), *pp = person(ph, sex);
	int rc;

	import_record_begin(r, line);
	assert_int_equal(import_record_start(r), 0);
	rc = import_put(r, &type_household, h, NULL, hh, line);
	if (!rc)
		rc = import_put(r, &type_person, p, NULL, pp, line + 1);
	json_decref(hh);
	json_decref(pp);
	return import_record_end(r, rc);
}

static int64_t count(struct db *db, const char *sql)
{
	int64_t n = -1;

	assert_int_equal(db_query_int(db, &n, sql, ""), 0);
	return n;
}

static void test_records_and_report(void **state)
{
	struct fixture *fx = *state;
	struct import_run r;
	struct import_rejected rej = { 0 };
	const char *reason;

	assert_int_equal(import_open(&r, &kind, NULL, fx->db, "f.xml", "test", NULL, fx->err), 0);
	/* Taken: committed. */
	assert_int_equal(apply(&r, 10, "h-1", "p-1", "h-1", "F"), 0);
	import_count(&r, IMPORT_CREATED);
	/* Refused by the model: nothing of the record is kept. */
	assert_int_equal(apply(&r, 20, "h-2", "p-2", "h-2", "X"), 1);
	assert_int_equal(count(fx->db, "SELECT COUNT(*) FROM household WHERE id = 'h-2'"), 0);
	rej.line = 20;
	rej.who = "record 2";
	rej.identifier = "ID2";
	rej.text = "<x/>";
	rej.tag_number = 2;
	assert_int_equal(import_reject(&r, &rej), 0);
	import_count(&r, IMPORT_REJECTED);
	fflush(fx->err);
	assert_non_null(strstr(fx->err_text, "f.xml: line 21: record 2: SEXE: "));
	/* Refused by a rule across records (a household that does not exist),
	 * which runs before the commit. */
	assert_int_equal(apply(&r, 30, "h-3", "p-3", "h-none", "M"), 1);
	reason = json_string_value(json_object_get(json_array_get(r.pb.list, 0), "reason"));
	assert_non_null(reason);
	assert_non_null(strstr(reason, "« h-none » est introuvable"));
	assert_int_equal(count(fx->db, "SELECT COUNT(*) FROM person WHERE id = 'p-3'"), 0);
	assert_int_equal(import_close(&r, "done", NULL, NULL), 0);
	assert_int_equal(count(fx->db, "SELECT COUNT(*) FROM caf_import WHERE status = 'done' AND "
				       "created = 1 AND rejected = 1 AND finished_at IS NOT NULL"), 1);
	assert_int_equal(count(fx->db, "SELECT COUNT(*) FROM caf_import_rejection WHERE seq = 1 AND "
				       "position = 2 AND line = 21 AND identifier = 'ID2' AND "
				       "field = 'SEXE' AND fragment = '<x/>'"), 1);
	assert_int_equal(count(fx->db, "SELECT COUNT(*) FROM household"), 1);
	import_release(&r);
}

static void test_too_many_writes_and_default_problem(void **state)
{
	struct fixture *fx = *state;
	struct import_run r;
	struct import_rejected rej = { 0 };
	json_t *hh = json_object();
	int rc = 0;

	assert_int_equal(import_open(&r, &kind, NULL, fx->db, "f.xml", "test", NULL, fx->err), 0);
	import_record_begin(&r, 5);
	assert_int_equal(import_record_start(&r), 0);
	for (int i = 0; i < 3 && !rc; i++) {
		char id[8];
		snprintf(id, sizeof id, "h-%d", i);
		rc = import_put(&r, &type_household, id, NULL, hh, 5);
	}
	assert_int_equal(import_record_end(&r, rc), 1);
	assert_int_equal(count(fx->db, "SELECT COUNT(*) FROM household"), 0);
	/* A record refused without a problem gets the kind's. */
	import_record_begin(&r, 7);
	rej.line = 7;
	rej.who = "record 3";
	rej.tag_number = 3;
	assert_int_equal(import_reject(&r, &rej), 0);
	fflush(fx->err);
	assert_non_null(strstr(fx->err_text, "f.xml: line 7: record 3: enregistrement refusé\n"));
	assert_int_equal(import_close(&r, "refused", "pas de DTREF", NULL), 0);
	fflush(fx->err);
	assert_non_null(strstr(fx->err_text, "f.xml: refused: pas de DTREF\n"));
	json_decref(hh);
	import_release(&r);
}

/* The prepared checks say what record_check_one() says, call after call,
 * from the row or from the record as written. */
static void test_checker_matches_check_one(void **state)
{
	struct fixture *fx = *state;
	struct record_writer *w = record_writer_new(fx->db);
	struct record_checker *c = record_checker_new(fx->db);
	json_t *p = person("h-none", "F");

	/* A dangling reference lives only inside a transaction. */
	assert_int_equal(db_begin(fx->db), 0);
	assert_int_equal(record_write(w, &type_person, "p-1", p), 0);
	for (int round = 0; round < 3; round++) {
		struct problems a, b;
		problems_init(&a);
		problems_init(&b);
		assert_int_equal(record_check_one(fx->db, &type_person, "p-1", &a), 0);
		assert_int_equal(round ? record_checker_run_rec(c, &type_person, "p-1", p, &b)
				       : record_checker_run(c, &type_person, "p-1", &b), 0);
		assert_int_equal(problems_count(&a), 1);
		assert_true(json_equal(a.list, b.list));
		problems_release(&a);
		problems_release(&b);
	}
	db_rollback(fx->db);
	json_decref(p);
	record_checker_free(c);
	record_writer_free(w);
}

static long fake_rc;

static int fake_file(void *ctx, const char *path, struct import_counts *totals, long *report)
{
	(void)ctx;
	(void)path;
	totals->created += 2;
	totals->rejected += fake_rc == 1;
	*report = fake_rc < 0 ? 0 : 7;
	return (int)fake_rc;
}

static json_t *fake_extra(void *ctx)
{
	(void)ctx;
	return json_pack("{s:b}", "force", 1);
}

static void test_command(void **state)
{
	struct fixture *fx = *state;
	struct import_command cmd = { "import-test", fx->db, "cli:test", NULL, fake_file, fake_extra };
	char *files[] = { "a", "b" };
	struct db_stmt *st;

	fake_rc = 0;
	assert_int_equal(import_command_run(&cmd, files, 2), EXIT_OK);
	fake_rc = 1;
	assert_int_equal(import_command_run(&cmd, files, 1), EXIT_REFUSED);
	fake_rc = -1;
	assert_int_equal(import_command_run(&cmd, files, 1), EXIT_FAILURE_);
	assert_int_equal(db_prepare(fx->db, &st, "SELECT detail FROM audit WHERE action = "
						 "'import-test' ORDER BY seq"), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0),
			    "{\"files\":[\"a\",\"b\"],\"reports\":[7,7],\"created\":4,\"updated\":0,"
			    "\"unchanged\":0,\"rejected\":0,\"force\":true}");
	db_finalize(st);
}

/* A dry run: the same outcomes, nothing written — no report row, no
 * record, no rejection row — and the same messages. */
static void test_dry_run(void **state)
{
	struct fixture *fx = *state;
	struct import_run r;
	struct import_rejected rej = { 0 };

	assert_int_equal(import_open_dry_run(&r, &kind, NULL, fx->db, "f.xml", NULL, fx->err), 0);
	assert_int_equal(r.report, 0);
	assert_int_equal(apply(&r, 10, "h-1", "p-1", "h-1", "F"), 0);
	assert_int_equal(r.nwritten, 2);
	assert_int_equal(apply(&r, 20, "h-2", "p-2", "h-2", "X"), 1);
	rej.line = 20;
	rej.who = "record 2";
	assert_int_equal(import_reject(&r, &rej), 0);
	assert_int_equal(import_close(&r, "refused", "illisible", NULL), 0);
	fflush(fx->err);
	assert_non_null(strstr(fx->err_text, "f.xml: line 21: record 2: SEXE: "));
	assert_non_null(strstr(fx->err_text, "f.xml: refused: illisible\n"));
	assert_int_equal(count(fx->db, "SELECT COUNT(*) FROM household"), 0);
	assert_int_equal(count(fx->db, "SELECT COUNT(*) FROM person"), 0);
	assert_int_equal(count(fx->db, "SELECT COUNT(*) FROM caf_import"), 0);
	assert_int_equal(count(fx->db, "SELECT COUNT(*) FROM caf_import_rejection"), 0);
	import_release(&r);
}

/* What another connection sees: only what the run committed. */
static int64_t committed_count(struct fixture *fx, const char *sql)
{
	struct db *other;
	char *err = NULL;
	int64_t n = -1;

	assert_int_equal(db_open(&other, fx->path, &err), 0);
	assert_int_equal(db_query_int(other, &n, sql, ""), 0);
	db_close(other);
	return n;
}

/* Records share a batch, each in its own savepoint: a record rejected in
 * the middle of a batch leaves no trace and the ones around it are taken;
 * the batch commits every batch_records records with the counts so far. */
static void test_batch(void **state)
{
	struct fixture *fx = *state;
	struct import_run r;
	struct import_rejected rej = { 0 };

	assert_int_equal(import_open(&r, &kind, NULL, fx->db, "f.xml", "test", NULL, fx->err), 0);
	r.batch_records = 3;
	assert_int_equal(apply(&r, 10, "h-1", "p-1", "h-1", "F"), 0);
	import_count(&r, IMPORT_CREATED);
	/* Refused after its household was written: rolled back to its
	 * savepoint, the batch goes on. */
	assert_int_equal(apply(&r, 20, "h-2", "p-2", "h-2", "X"), 1);
	rej.line = 20;
	rej.who = "record 2";
	rej.tag_number = 2;
	assert_int_equal(import_reject(&r, &rej), 0);
	import_count(&r, IMPORT_REJECTED);
	assert_int_equal(apply(&r, 30, "h-3", "p-3", "h-3", "M"), 0);
	import_count(&r, IMPORT_CREATED);
	assert_int_equal(count(fx->db, "SELECT COUNT(*) FROM household"), 2);
	assert_int_equal(count(fx->db, "SELECT COUNT(*) FROM household WHERE id = 'h-2'"), 0);
	/* Nothing committed yet: another connection sees the running row. */
	assert_int_equal(committed_count(fx, "SELECT COUNT(*) FROM household"), 0);
	assert_int_equal(committed_count(fx, "SELECT COUNT(*) FROM caf_import WHERE "
					     "status = 'running' AND created = 0"), 1);
	/* The fourth record commits the three before it first, with the
	 * report's counts and the rejection row. */
	assert_int_equal(apply(&r, 40, "h-4", "p-4", "h-4", "F"), 0);
	import_count(&r, IMPORT_CREATED);
	assert_int_equal(committed_count(fx, "SELECT COUNT(*) FROM household"), 2);
	assert_int_equal(committed_count(fx, "SELECT COUNT(*) FROM caf_import WHERE status = "
					     "'running' AND created = 2 AND rejected = 1"), 1);
	assert_int_equal(committed_count(fx, "SELECT COUNT(*) FROM caf_import_rejection"), 1);
	/* The last batch is committed with the finished report. */
	assert_int_equal(import_close(&r, "done", NULL, NULL), 0);
	assert_int_equal(committed_count(fx, "SELECT COUNT(*) FROM household"), 3);
	assert_int_equal(committed_count(fx, "SELECT COUNT(*) FROM caf_import WHERE status = "
					     "'done' AND created = 3 AND rejected = 1"), 1);
	import_release(&r);
}

/* A run that stops without closing (the process killed): the records of
 * its open batch are gone, and its report row (running) counts exactly what
 * it committed. */
static void test_batch_lost(void **state)
{
	struct fixture *fx = *state;
	struct import_run r;

	assert_int_equal(import_open(&r, &kind, NULL, fx->db, "f.xml", "test", NULL, fx->err), 0);
	r.batch_records = 2;
	assert_int_equal(apply(&r, 10, "h-1", "p-1", "h-1", "F"), 0);
	import_count(&r, IMPORT_CREATED);
	assert_int_equal(apply(&r, 20, "h-2", "p-2", "h-2", "F"), 0);
	import_count(&r, IMPORT_CREATED);
	assert_int_equal(apply(&r, 30, "h-3", "p-3", "h-3", "F"), 0);
	import_count(&r, IMPORT_CREATED);
	import_release(&r);
	assert_false(db_in_transaction(fx->db));
	assert_int_equal(count(fx->db, "SELECT COUNT(*) FROM household"), 2);
	assert_int_equal(count(fx->db, "SELECT COUNT(*) FROM caf_import WHERE status = 'running' "
				       "AND created = 2 AND finished_at IS NULL"), 1);
}

/* The run's connection settings are put back when it ends (a web
 * server's connection outlives it). */
static void test_batch_settings_restored(void **state)
{
	struct fixture *fx = *state;
	struct import_run r;
	int64_t checkpoint = count(fx->db, "PRAGMA wal_autocheckpoint");

	assert_int_equal(db_exec(fx->db, "PRAGMA cache_size=-2000"), 0);
	assert_int_equal(import_open_dry_run(&r, &kind, NULL, fx->db, "f.xml", NULL, fx->err), 0);
	assert_int_equal(count(fx->db, "PRAGMA cache_size"), -16384);
	assert_int_equal(count(fx->db, "PRAGMA wal_autocheckpoint"), 10000);
	assert_int_equal(apply(&r, 10, "h-1", "p-1", "h-1", "F"), 0);
	assert_int_equal(import_close(&r, "done", NULL, NULL), 0);
	import_release(&r);
	assert_false(db_in_transaction(fx->db));
	assert_int_equal(count(fx->db, "PRAGMA cache_size"), -2000);
	assert_int_equal(count(fx->db, "PRAGMA wal_autocheckpoint"), checkpoint);
}

static void bind_list_columns(void *importer, struct db_stmt *st, int first)
{
	(void)importer;
	db_bind_text(st, first, "org-1");
	db_bind_text(st, first + 1, "outil");
}

/* A report with NOT NULL columns of its own (the lists') and rejections
 * without a tag column. */
static void test_own_columns(void **state)
{
	static const struct import_kind list_kind = {
		.table = "list_import", .text_column = "content", .refused = "ligne refusée",
		.too_many = "trop", .max_written = 2, .open_columns = "organisation, mapping_name",
		.open_bind = bind_list_columns,
	};
	struct fixture *fx = *state;
	struct import_run r;
	struct import_rejected rej = { 3, "L", "ID", "a;b", NULL, 0 };

	assert_int_equal(import_open(&r, &list_kind, NULL, fx->db, "l.csv", "test", NULL, fx->err), 0);
	import_record_begin(&r, 3);
	assert_int_equal(import_reject(&r, &rej), 0);
	import_count(&r, IMPORT_REJECTED);
	assert_int_equal(import_close(&r, "done", NULL, NULL), 0);
	assert_int_equal(count(fx->db, "SELECT COUNT(*) FROM list_import WHERE organisation = 'org-1' "
				       "AND mapping_name = 'outil' AND file = 'l.csv' AND rejected = 1 "
				       "AND status = 'done'"), 1);
	assert_int_equal(count(fx->db, "SELECT COUNT(*) FROM list_import_rejection WHERE line = 3 AND "
				       "identifier = 'ID' AND reason = 'ligne refusée' AND "
				       "content = 'a;b'"), 1);
	import_release(&r);
}

static void test_command_audit(void **state)
{
	struct fixture *fx = *state;
	struct import_command cmd = { "import-test", fx->db, "cli:test", NULL, fake_file, NULL };
	struct import_audit audit = { "organisation", "org-1", 1 };
	char *files[] = { "a" };

	fake_rc = 0;
	assert_int_equal(import_command_run_audit(&cmd, &audit, files, 1), EXIT_OK);
	assert_int_equal(count(fx->db, "SELECT COUNT(*) FROM audit WHERE action = 'import-test' AND "
				       "object_type = 'organisation' AND object_id = 'org-1'"), 1);
	/* No report row (a dry run, a file not opened): no entry. */
	fake_rc = -1;
	assert_int_equal(import_command_run_audit(&cmd, &audit, files, 1), EXIT_FAILURE_);
	assert_int_equal(count(fx->db, "SELECT COUNT(*) FROM audit WHERE action = 'import-test'"), 1);
}

/* ---- input.h -------------------------------------------------------------- */

static void write_bytes(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

static void write_gzip(const char *path, const void *data, size_t n)
{
	gzFile g = gzopen(path, "wb");

	assert_non_null(g);
	assert_int_equal(gzwrite(g, data, (unsigned)n), (int)n);
	gzclose(g);
}

/* The text: a UTF-8 BOM, then enough lines to fill several blocks. */
static size_t sample(unsigned char *out, size_t size)
{
	size_t n = 3;

	memcpy(out, "\xEF\xBB\xBF", 3);
	while (n + 20 < size)
		n += (size_t)snprintf((char *)out + n, size - n, "ligne %08zu\n", n);
	return n;
}

static void read_blocks(const char *path, const unsigned char *expect, size_t n, size_t block)
{
	struct input *in = input_open(path);
	unsigned char *buf = malloc(block);
	size_t total = 0;
	long got;

	assert_non_null(in);
	assert_non_null(buf);
	while ((got = input_read(in, buf, block)) > 0) {
		/* Every block is full but the last. */
		assert_true((size_t)got == block || total + (size_t)got == n);
		assert_memory_equal(buf, expect + total, (size_t)got);
		total += (size_t)got;
	}
	assert_int_equal(got, 0);
	assert_int_equal(total, n);
	input_close(in);
	free(buf);
}

static void test_input_full_blocks(void **state)
{
	struct fixture *fx = *state;
	static unsigned char text[300000];
	size_t n = sample(text, sizeof text);
	char path[128];

	snprintf(path, sizeof path, "%s/plain.csv", fx->dir);
	write_bytes(path, text, n);
	read_blocks(path, text, n, 3); /* the whole BOM in the first read */
	read_blocks(path, text, n, 65536);
	read_blocks(path, text, n, 100000);
	unlink(path);
	snprintf(path, sizeof path, "%s/packed.csv", fx->dir);
	write_gzip(path, text, n);
	read_blocks(path, text, n, 3);
	read_blocks(path, text, n, 65536);
	read_blocks(path, text, n, 100000);
	unlink(path);
	/* A one-byte file. */
	snprintf(path, sizeof path, "%s/one", fx->dir);
	write_bytes(path, "x", 1);
	read_blocks(path, (const unsigned char *)"x", 1, 3);
	unlink(path);
}

/* A cut gzip file: what could be inflated comes first, then the error. */
static void test_input_truncated_gzip(void **state)
{
	struct fixture *fx = *state;
	static unsigned char text[200000], packed[200000];
	size_t n = sample(text, sizeof text), m;
	char path[128];
	struct input *in;
	FILE *f;
	long got, total = 0;

	snprintf(path, sizeof path, "%s/cut.gz", fx->dir);
	write_gzip(path, text, n);
	f = fopen(path, "rb");
	assert_non_null(f);
	m = fread(packed, 1, sizeof packed, f);
	fclose(f);
	write_bytes(path, packed, m / 2);
	in = input_open(path);
	assert_non_null(in);
	while ((got = input_read(in, text, 4096)) > 0)
		total += got;
	assert_int_equal(got, -1);
	assert_true(total > 0);
	assert_string_equal(input_error(in), "fichier gzip tronqué");
	input_close(in);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_records_and_report, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_many_writes_and_default_problem, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_checker_matches_check_one, setup, teardown),
		cmocka_unit_test_setup_teardown(test_command, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dry_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_lost, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_settings_restored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_own_columns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_command_audit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_input_full_blocks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_input_truncated_gzip, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
