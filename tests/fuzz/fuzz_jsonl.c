/*
 * libFuzzer target for the exchange format's reader (src/exchange).
 *
 * The input is the content of a file given to `parcours import`: it is
 * written to a temporary file and imported into an empty in-memory
 * database. Whatever the bytes, the import must not crash, leak or read
 * out of bounds, and:
 *  - it ends with 0 (accepted, no problem listed) or 1 (refused, at least
 *    one problem), never -1 (a readable file is never a "system failure");
 *  - it leaves no transaction open;
 *  - every problem's line is within the lines read (+1 for a bad gzip end);
 *  - a refused import leaves the database empty (all or nothing), audit
 *    log included;
 *  - an accepted plain-text import wrote or deleted one record per
 *    non-blank line (no line is skipped silently);
 *  - an accepted import exports to a file that imports into another empty
 *    database and exports to the very same bytes (the format's round trip).
 * After an accepted input both databases are emptied again.
 *
 * Build: make fuzz-build (clang -fsanitize=fuzzer,address,undefined).
 * Run:   build-fuzz/fuzz_jsonl -max_total_time=60 tests/fuzz/corpus/fuzz_jsonl
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/date.h"
#include "db/db.h"
#include "exchange/jsonl.h"
#include "model/password.h"
#include "model/problems.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct db *first_db, *second_db;
static struct import_result last_result;
static char input_path[64], export_path[64];

/* Every table an import may write, children before parents. */
static const char wipe_sql[] =
	"BEGIN;"
	"DELETE FROM right_period; DELETE FROM person; DELETE FROM household;"
	"DELETE FROM sign_in; DELETE FROM web_session; DELETE FROM api_token;"
	"DELETE FROM account; DELETE FROM organisation; DELETE FROM territory_commune;"
	"DELETE FROM territory; DELETE FROM audit;"
	"COMMIT;";

static const char rows_sql[] =
	"SELECT (SELECT COUNT(*) FROM territory) + (SELECT COUNT(*) FROM territory_commune)"
	" + (SELECT COUNT(*) FROM organisation) + (SELECT COUNT(*) FROM account)"
	" + (SELECT COUNT(*) FROM sign_in) + (SELECT COUNT(*) FROM household)"
	" + (SELECT COUNT(*) FROM person) + (SELECT COUNT(*) FROM right_period)"
	" + (SELECT COUNT(*) FROM audit)";

static void die(const char *what, struct problems *pb)
{
	fprintf(stderr, "fuzz_jsonl: %s\n", what);
	if (pb)
		problems_print(pb, stderr);
	abort();
}

static void remove_files(void)
{
	unlink(input_path);
	unlink(export_path);
}

static struct db *open_empty(void)
{
	struct db *db;
	char *err = NULL;

	if (db_open(&db, ":memory:", &err)) {
		fprintf(stderr, "fuzz_jsonl: %s\n", err ? err : "db_open failed");
		exit(1);
	}
	/* The test database may be emptied between runs, audit log included. */
	if (db_exec(db, "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;"))
		exit(1);
	return db;
}

static int make_temp(char *path, size_t size, const char *name)
{
	int fd;

	snprintf(path, size, "/tmp/fuzz_jsonl-%s-XXXXXX", name);
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (password_init())
		exit(1);
	/* Birth dates in the future are refused: fix "today" so that runs repeat. */
	date_set_today(date_from_civil(2017, 12, 31));
	if (make_temp(input_path, sizeof input_path, "in") ||
	    make_temp(export_path, sizeof export_path, "export"))
		exit(1);
	atexit(remove_files);
	first_db = open_empty();
	second_db = open_empty();
	return 0;
}

static void write_file(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, size, f) != size || fclose(f))
		die("cannot write the temporary file", NULL);
}

static int64_t rows(struct db *db)
{
	int64_t n = -1;

	if (db_query_int(db, &n, rows_sql, ""))
		die("cannot count rows", NULL);
	return n;
}

static char *export_all(struct db *db, size_t *len)
{
	char *text = NULL;
	FILE *out = open_memstream(&text, len);

	if (!out || jsonl_export(db, NULL, out) || fclose(out))
		die("export failed", NULL);
	return text;
}

/* Imports path into db; checks what every import must satisfy. */
static int import(struct db *db, const char *path, struct problems *pb)
{
	struct import_options opt = { 0, "cli:fuzz", "cli" };
	struct problems warn;
	struct import_result res;
	json_t *p;
	size_t i;
	int rc;

	problems_init(&warn);
	rc = jsonl_import(db, path, &opt, pb, &warn, &res);
	problems_release(&warn);
	last_result = res;
	if (rc == -1)
		die("import failed as a system failure", pb);
	if (rc == 0 && problems_count(pb) != 0)
		die("accepted with problems", pb);
	if (rc == 1 && problems_count(pb) == 0)
		die("refused without a problem", pb);
	if (rc != 0 && rc != 1)
		die("unexpected return value", pb);
	if (db_in_transaction(db))
		die("transaction left open", pb);
	if (res.written + res.deleted > res.lines)
		die("more records written than lines read", pb);
	json_array_foreach(pb->list, i, p) {
		json_int_t line = json_integer_value(json_object_get(p, "line"));
		if (line < 1 || line > res.lines + 1)
			die("problem outside the lines read", pb);
		if (!json_is_string(json_object_get(p, "reason")))
			die("problem without a reason", pb);
	}
	return rc;
}

/* Non-blank lines of a plain-text input, split on LF as the reader does;
 * -1 when the input is gzip (its lines are not these bytes). */
static long content_lines(const uint8_t *data, size_t size)
{
	long n = 0;
	size_t start = 0;

	if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b)
		return -1;
	while (start < size) {
		const uint8_t *nl = memchr(data + start, '\n', size - start);
		size_t end = nl ? (size_t)(nl - data) : size, i;
		/* A line of only spaces, tabs and CRs is blank, or else not JSON
		 * (and the import refused): either way it writes nothing. */
		for (i = start; i < end; i++)
			if (data[i] != ' ' && data[i] != '\t' && data[i] != '\r')
				break;
		if (i < end)
			n++;
		start = end + 1;
	}
	return n;
}

static void wipe(struct db *db)
{
	if (db_exec(db, wipe_sql)) {
		fprintf(stderr, "fuzz_jsonl: wipe: %s\n", db_errmsg(db));
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct problems pb;
	char *first, *second;
	size_t first_len = 0, second_len = 0;
	int rc;

	write_file(input_path, data, size);
	problems_init(&pb);
	rc = import(first_db, input_path, &pb);
	if (rc == 1) {
		/* All or nothing. */
		if (rows(first_db) != 0)
			die("a refused import left rows behind", &pb);
		problems_release(&pb);
		return 0;
	}
	problems_release(&pb);
	{
		long want = content_lines(data, size);
		if (want >= 0 && last_result.written + last_result.deleted != want) {
			fprintf(stderr, "fuzz_jsonl: %ld non-blank lines, %ld written, %ld deleted\n", want,
				last_result.written, last_result.deleted);
			die("an accepted import skipped a line", NULL);
		}
	}

	/* Accepted: export, import the export elsewhere, export again. */
	first = export_all(first_db, &first_len);
	write_file(export_path, first, first_len);
	problems_init(&pb);
	if (import(second_db, export_path, &pb) != 0) {
		fprintf(stderr, "--- export that was refused:\n%s---\n", first);
		die("the export of an accepted import is refused", &pb);
	}
	problems_release(&pb);
	second = export_all(second_db, &second_len);
	if (first_len != second_len || memcmp(first, second, first_len) != 0) {
		fprintf(stderr, "--- first export:\n%s--- second export:\n%s---\n", first, second);
		die("import then export does not give back the same records", NULL);
	}
	free(first);
	free(second);
	wipe(first_db);
	wipe(second_db);
	if (rows(first_db) != 0 || rows(second_db) != 0)
		die("wipe left rows", NULL);
	return 0;
}
