/*
 * Unit tests for src/exchange (jsonl.h): the exchange format's import, all
 * or nothing, with every problem reported at its line, and its export.
 * Each test gets a temporary directory with a fresh database; the files to
 * import are written there.
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

#include "base/date.h"
#include "db/db.h"
#include "exchange/jsonl.h"
#include "fixture.h"
#include "model/audit.h"
#include "model/merge.h"
#include "model/password.h"
#include "model/problems.h"

struct fixture {
	struct fx_db tmp;
	struct problems pb, warn;
	struct import_result res;
	int files;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);

	if (!fx || fx_db_create(&fx->tmp, "jsonl")) {
		free(fx);
		return -1;
	}
	problems_init(&fx->pb);
	problems_init(&fx->warn);
	fx_today(2017, 12, 31);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	fx_db_remove(&fx->tmp);
	problems_release(&fx->pb);
	problems_release(&fx->warn);
	free(fx);
	return 0;
}

/* Writes n bytes into a new file of the fixture's directory. */
static const char *write_bytes(struct fixture *fx, const char *data, size_t n)
{
	char name[32];

	snprintf(name, sizeof name, "in-%d.jsonl", ++fx->files);
	return fx_file(&fx->tmp, name, data, n);
}

static const char *write_text(struct fixture *fx, const char *text)
{
	return write_bytes(fx, text, strlen(text));
}

/* Imports path into the fixture's database, with fresh problem lists. */
static int import_path(struct fixture *fx, const char *path, int lenient)
{
	struct import_options opt = { lenient, "cli:test", "cli" };

	problems_release(&fx->pb);
	problems_release(&fx->warn);
	problems_init(&fx->pb);
	problems_init(&fx->warn);
	return jsonl_import(fx->tmp.db, path, &opt, &fx->pb, &fx->warn, &fx->res);
}

static int import_text(struct fixture *fx, const char *text)
{
	return import_path(fx, write_text(fx, text), 0);
}

static void print_problems(struct fixture *fx)
{
	problems_print(&fx->pb, stderr);
}

/* Imports text and fails the test unless it is accepted. */
static void import_ok(struct fixture *fx, const char *text)
{
	int rc = import_text(fx, text);

	if (rc != 0) {
		print_problems(fx);
		fail_msg("import refused (%d)", rc);
	}
}

static int64_t rows(struct fixture *fx, const char *table)
{
	char sql[128];

	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
	return fx_int(fx->tmp.db, sql, NULL);
}

/* Every table of the exchange types is empty. */
static void assert_nothing_written(struct fixture *fx)
{
	static const char *const tables[] = { "territory", "territory_commune", "organisation",
		"account", "sign_in", "household", "person", "right_period", NULL };

	for (const char *const *t = tables; *t; t++)
		if (rows(fx, *t) != 0)
			fail_msg("table %s has %lld rows after a refused import", *t,
				 (long long)rows(fx, *t));
}

/* The number of problems at line on field ("" for the whole record, NULL
 * for any field). */
static size_t problems_at_line(struct fixture *fx, long line, const char *field)
{
	size_t i, n = 0;
	json_t *p;

	json_array_foreach(fx->pb.list, i, p) {
		const char *f = json_string_value(json_object_get(p, "field"));
		if (json_integer_value(json_object_get(p, "line")) != line)
			continue;
		if (!field || (!*field && !f) || (f && *field && !strcmp(f, field)))
			n++;
	}
	return n;
}

static const char *reason_at_line(struct fixture *fx, long line)
{
	size_t i;
	json_t *p;

	json_array_foreach(fx->pb.list, i, p)
		if (json_integer_value(json_object_get(p, "line")) == line)
			return json_string_value(json_object_get(p, "reason"));
	return "";
}

/* Exports (types NULL: all) into a malloc'd string. */
static char *export_text(struct db *db, const char *types)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	assert_int_equal(jsonl_export(db, types, out), 0);
	assert_int_equal(fclose(out), 0);
	return text;
}

#define TERRITORY "{\"type\":\"territory\",\"id\":\"t-1\",\"name\":\"Lyon 1er\",\"communes\":[\"69381\"]}\n"
#define ORGANISATION "{\"type\":\"organisation\",\"id\":\"o-1\",\"name\":\"Maison de la Métropole\"," \
	"\"kind\":\"maison_metropole\",\"territory\":\"t-1\"}\n"
#define USER "{\"type\":\"user\",\"id\":\"u-1\",\"email\":\"ada@example.fr\",\"first_name\":\"Ada\"," \
	"\"last_name\":\"Lovelace\",\"organisation\":\"o-1\",\"roles\":[\"admin\"]}\n"
#define HOUSEHOLD "{\"type\":\"household\",\"id\":\"h-1\",\"caf_number\":\"1234567\",\"commune\":\"69381\"}\n"
#define PERSON "{\"type\":\"person\",\"id\":\"p-1\",\"household\":\"h-1\",\"role\":\"DEM\"," \
	"\"first_name\":\"Benoît\",\"last_name\":\"Dupont\",\"birth_date\":\"1985-05-12\",\"sex\":\"M\"}\n"
#define RIGHT "{\"type\":\"right_period\",\"id\":\"r-1\",\"person\":\"p-1\",\"start\":\"2016-05-01\"," \
	"\"state\":\"2\",\"subject_to_duties\":true}\n"
#define ALL TERRITORY ORGANISATION USER HOUSEHOLD PERSON RIGHT

/* ---- accepted imports --------------------------------------------------- */

static void test_import_writes_every_record_and_counts(void **state)
{
	struct fixture *fx = *state;

	import_ok(fx, ALL);
	assert_int_equal(fx->res.lines, 6);
	assert_int_equal(fx->res.written, 6);
	assert_int_equal(fx->res.deleted, 0);
	assert_int_equal(rows(fx, "territory"), 1);
	assert_int_equal(rows(fx, "territory_commune"), 1);
	assert_int_equal(rows(fx, "organisation"), 1);
	assert_int_equal(rows(fx, "account"), 1);
	assert_int_equal(rows(fx, "household"), 1);
	assert_int_equal(rows(fx, "person"), 1);
	assert_int_equal(rows(fx, "right_period"), 1);
	assert_int_equal(problems_count(&fx->pb), 0);
	assert_false(db_in_transaction(fx->tmp.db));
}

static void test_blank_lines_are_ignored_but_counted(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(import_text(fx, "\n   \n" TERRITORY "\t\n\n{\"type\":\"territory\",\"id\":\"t-2\"}\n"),
			 1);
	/* Line 6 is the bad one: blank lines keep their numbers. */
	assert_int_equal(problems_at_line(fx, 6, "name"), 1);
	assert_int_equal(problems_count(&fx->pb), 1);
	assert_int_equal(fx->res.lines, 6);
}

static void test_crlf_line_endings_are_accepted(void **state)
{
	struct fixture *fx = *state;

	import_ok(fx, "{\"type\":\"territory\",\"id\":\"t-1\",\"name\":\"A\"}\r\n"
		      "{\"type\":\"territory\",\"id\":\"t-2\",\"name\":\"B\"}\r\n");
	assert_int_equal(rows(fx, "territory"), 2);
}

static void test_last_line_without_newline_is_read(void **state)
{
	struct fixture *fx = *state;

	import_ok(fx, "{\"type\":\"territory\",\"id\":\"t-1\",\"name\":\"A\"}");
	assert_int_equal(rows(fx, "territory"), 1);
}

static void test_forward_references_are_accepted(void **state)
{
	struct fixture *fx = *state;

	/* Every record names one that comes later in the file. */
	import_ok(fx, RIGHT PERSON HOUSEHOLD USER ORGANISATION TERRITORY);
	assert_int_equal(rows(fx, "right_period"), 1);
	assert_int_equal(rows(fx, "account"), 1);
}

static void test_references_to_records_already_in_database(void **state)
{
	struct fixture *fx = *state;

	import_ok(fx, TERRITORY ORGANISATION HOUSEHOLD);
	import_ok(fx, USER PERSON RIGHT);
	assert_int_equal(rows(fx, "right_period"), 1);
}

static void test_existing_id_is_replaced_and_left_out_fields_become_absent(void **state)
{
	struct fixture *fx = *state;
	int64_t n = -1;
	char *out;

	import_ok(fx, TERRITORY ORGANISATION HOUSEHOLD PERSON);
	import_ok(fx, "{\"type\":\"person\",\"id\":\"p-1\",\"household\":\"h-1\",\"role\":\"CJT\","
		      "\"first_name\":\"Benoît\",\"last_name\":\"Durand\",\"birth_date\":\"1985-05-12\","
		      "\"sex\":\"M\",\"nir\":\"185057800604830\"}\n"
		      "{\"type\":\"household\",\"id\":\"h-1\"}\n"
		      "{\"type\":\"territory\",\"id\":\"t-1\",\"name\":\"Lyon 1er\"}\n");
	assert_int_equal(rows(fx, "person"), 1);
	out = export_text(fx->tmp.db, "household,person,territory");
	assert_string_equal(out,
			    "{\"type\":\"territory\",\"id\":\"t-1\",\"name\":\"Lyon 1er\"}\n"
			    "{\"type\":\"household\",\"id\":\"h-1\"}\n"
			    "{\"type\":\"person\",\"id\":\"p-1\",\"household\":\"h-1\",\"role\":\"CJT\","
			    "\"first_name\":\"Benoît\",\"last_name\":\"Durand\",\"birth_date\":\"1985-05-12\","
			    "\"sex\":\"M\",\"nir\":\"185057800604830\"}\n");
	free(out);
	/* The derived rows follow: the territory has no commune any more. */
	assert_int_equal(rows(fx, "territory_commune"), 0);
	assert_int_equal(db_query_int(fx->tmp.db, &n, "SELECT version FROM person WHERE id = 'p-1'", ""), 0);
	assert_int_equal(n, 2);
}

static void test_replacing_an_account_keeps_its_password(void **state)
{
	struct fixture *fx = *state;
	int64_t n = -1;
	char *out;

	import_ok(fx, TERRITORY ORGANISATION USER);
	assert_int_equal(db_execf(fx->tmp.db, "UPDATE account SET password_hash = 'h' WHERE id = 'u-1'", ""), 0);
	import_ok(fx, "{\"type\":\"user\",\"id\":\"u-1\",\"email\":\"ada@example.fr\",\"first_name\":\"Ada\","
		      "\"last_name\":\"King\",\"organisation\":\"o-1\",\"roles\":[\"referent\"]}\n");
	assert_int_equal(db_query_int(fx->tmp.db, &n, "SELECT COUNT(*) FROM account WHERE password_hash = 'h' "
						  "AND last_name = 'King'", ""), 0);
	assert_int_equal(n, 1);
	/* Passwords never travel. */
	out = export_text(fx->tmp.db, "user");
	assert_null(strstr(out, "password"));
	free(out);
}

static void test_deleted_removes_the_record(void **state)
{
	struct fixture *fx = *state;

	import_ok(fx, ALL);
	import_ok(fx, "{\"type\":\"right_period\",\"id\":\"r-1\",\"deleted\":true}\n");
	assert_int_equal(fx->res.deleted, 1);
	assert_int_equal(fx->res.written, 0);
	assert_int_equal(rows(fx, "right_period"), 0);
	assert_int_equal(rows(fx, "person"), 1);
}

static void test_deleting_a_record_and_its_referrers_together(void **state)
{
	struct fixture *fx = *state;

	import_ok(fx, ALL);
	import_ok(fx, "{\"type\":\"person\",\"id\":\"p-1\",\"deleted\":true}\n"
		      "{\"type\":\"right_period\",\"id\":\"r-1\",\"deleted\":true}\n");
	assert_int_equal(fx->res.deleted, 2);
	assert_int_equal(rows(fx, "person"), 0);
	assert_int_equal(rows(fx, "right_period"), 0);
}

static void test_deleted_false_is_an_ordinary_record(void **state)
{
	struct fixture *fx = *state;

	import_ok(fx, "{\"type\":\"territory\",\"id\":\"t-1\",\"name\":\"A\",\"deleted\":false}\n");
	assert_int_equal(rows(fx, "territory"), 1);
	assert_int_equal(import_text(fx, "{\"type\":\"territory\",\"id\":\"t-2\",\"name\":\"A\","
					 "\"deleted\":\"yes\"}\n"), 1);
	assert_int_equal(problems_at_line(fx, 1, "deleted"), 1);
}

static void test_lenient_turns_unknown_fields_into_warnings(void **state)
{
	struct fixture *fx = *state;
	const char *text = "{\"type\":\"territory\",\"id\":\"t-1\",\"name\":\"A\",\"colour\":\"blue\"}\n";
	char *out;

	assert_int_equal(import_text(fx, text), 1);
	assert_int_equal(problems_at_line(fx, 1, "colour"), 1);
	assert_nothing_written(fx);
	assert_int_equal(import_path(fx, write_text(fx, text), 1), 0);
	assert_int_equal(problems_count(&fx->pb), 0);
	assert_int_equal(problems_count(&fx->warn), 1);
	/* The unknown field is not kept. */
	out = export_text(fx->tmp.db, NULL);
	assert_string_equal(out, "{\"type\":\"territory\",\"id\":\"t-1\",\"name\":\"A\"}\n");
	free(out);
}

static void test_same_id_in_two_types_is_fine(void **state)
{
	struct fixture *fx = *state;

	import_ok(fx, "{\"type\":\"territory\",\"id\":\"x\",\"name\":\"A\"}\n"
		      "{\"type\":\"household\",\"id\":\"x\",\"territory\":\"x\"}\n");
	assert_int_equal(rows(fx, "household"), 1);
}

static void test_an_import_may_swap_two_emails(void **state)
{
	struct fixture *fx = *state;

	import_ok(fx, TERRITORY ORGANISATION USER
		  "{\"type\":\"user\",\"id\":\"u-2\",\"email\":\"bob@example.fr\",\"first_name\":\"B\","
		  "\"last_name\":\"B\",\"organisation\":\"o-1\",\"roles\":[\"referent\"]}\n");
	import_ok(fx, "{\"type\":\"user\",\"id\":\"u-1\",\"email\":\"bob@example.fr\",\"first_name\":\"Ada\","
		      "\"last_name\":\"Lovelace\",\"organisation\":\"o-1\",\"roles\":[\"admin\"]}\n"
		      "{\"type\":\"user\",\"id\":\"u-2\",\"email\":\"ada@example.fr\",\"first_name\":\"B\","
		      "\"last_name\":\"B\",\"organisation\":\"o-1\",\"roles\":[\"referent\"]}\n");
}

static void test_import_appends_one_audit_entry_per_run(void **state)
{
	struct fixture *fx = *state;
	long long bad = 0;
	char why[200];
	json_t *list;

	import_ok(fx, ALL);
	assert_int_equal(rows(fx, "audit"), 1);
	list = audit_list(fx->tmp.db, NULL, "cli:test", "import", 10, 0, NULL);
	assert_int_equal(json_array_size(list), 1);
	assert_non_null(strstr(json_string_value(json_object_get(json_array_get(list, 0), "detail")),
			       "\"written\":6"));
	json_decref(list);
	/* A refused run writes nothing, not even its audit entry. */
	assert_int_equal(import_text(fx, "{\"type\":\"territory\",\"id\":\"t-9\"}\n"), 1);
	assert_int_equal(rows(fx, "audit"), 1);
	assert_int_equal(audit_verify(fx->tmp.db, &bad, why, sizeof why), 0);
}

/* ---- refused imports ---------------------------------------------------- */

static void test_one_bad_line_writes_nothing(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(import_text(fx, ALL "{\"type\":\"territory\",\"id\":\"t-2\",\"name\":\"\"}\n"), 1);
	assert_nothing_written(fx);
	assert_int_equal(problems_count(&fx->pb), 1);
	assert_int_equal(problems_at_line(fx, 7, "name"), 1);
	assert_false(db_in_transaction(fx->tmp.db));
}

static void test_a_refused_import_leaves_earlier_data_untouched(void **state)
{
	struct fixture *fx = *state;
	char *before, *after;

	import_ok(fx, ALL);
	before = export_text(fx->tmp.db, NULL);
	assert_int_equal(import_text(fx, "{\"type\":\"territory\",\"id\":\"t-1\",\"name\":\"Renamed\"}\n"
					 "{\"type\":\"right_period\",\"id\":\"r-1\",\"deleted\":true}\n"
					 "{\"type\":\"person\",\"id\":\"p-9\"}\n"), 1);
	after = export_text(fx->tmp.db, NULL);
	assert_string_equal(after, before);
	free(before);
	free(after);
}

static void test_every_bad_line_is_reported_with_its_line(void **state)
{
	struct fixture *fx = *state;
	char *printed = NULL;
	size_t len = 0;
	FILE *out;

	assert_int_equal(import_text(fx,
				     TERRITORY                                                    /* 1 */
				     "{\"type\":\"territory\",\"id\":\"t-2\",\"name\":\"A\",}\n"   /* 2 */
				     HOUSEHOLD                                                    /* 3 */
				     "{\"type\":\"planet\",\"id\":\"x\"}\n"                       /* 4 */
				     "{\"type\":\"person\",\"id\":\"p-2\",\"household\":\"h-1\",\"role\":\"DEM\","
				     "\"first_name\":\"A\",\"last_name\":\"B\",\"birth_date\":\"2017-02-29\","
				     "\"sex\":\"X\"}\n"                                           /* 5 */
				     ORGANISATION                                                 /* 6 */
				     "{\"type\":\"household\",\"id\":\"h 2\"}\n"                  /* 7 */
				     "[1,2]\n"                                                    /* 8 */
				     "{\"id\":\"x\"}\n"),                                          /* 9 */
			 1);
	assert_nothing_written(fx);
	assert_int_equal(problems_at_line(fx, 2, ""), 1);
	assert_int_equal(problems_at_line(fx, 4, "type"), 1);
	assert_int_equal(problems_at_line(fx, 5, "birth_date"), 1);
	assert_int_equal(problems_at_line(fx, 5, "sex"), 1);
	assert_int_equal(problems_at_line(fx, 7, "id"), 1);
	assert_int_equal(problems_at_line(fx, 8, ""), 1);
	assert_int_equal(problems_at_line(fx, 9, "type"), 1);
	assert_int_equal(problems_count(&fx->pb), 7);
	/* Each problem names its record where it is known. */
	{
		size_t i;
		json_t *p;
		json_array_foreach(fx->pb.list, i, p) {
			if (json_integer_value(json_object_get(p, "line")) == 5) {
				assert_string_equal(json_string_value(json_object_get(p, "type")), "person");
				assert_string_equal(json_string_value(json_object_get(p, "id")), "p-2");
			}
		}
	}
	/* The printed report is sorted by line. */
	out = open_memstream(&printed, &len);
	problems_print(&fx->pb, out);
	fclose(out);
	assert_true(strstr(printed, "line 2: ") < strstr(printed, "line 5: person p-2: birth_date: "));
	assert_true(strstr(printed, "line 5: ") < strstr(printed, "line 9: "));
	free(printed);
}

static void test_missing_reference_is_reported_at_the_referring_line(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(import_text(fx, TERRITORY HOUSEHOLD
				     "{\"type\":\"person\",\"id\":\"p-1\",\"household\":\"h-404\",\"role\":\"DEM\","
				     "\"first_name\":\"A\",\"last_name\":\"B\",\"birth_date\":\"1980-01-01\","
				     "\"sex\":\"F\"}\n"
				     "{\"type\":\"organisation\",\"id\":\"o-1\",\"name\":\"O\",\"kind\":\"ccas\","
				     "\"territory\":\"t-404\"}\n"),
			 1);
	assert_nothing_written(fx);
	assert_int_equal(problems_at_line(fx, 3, "household"), 1);
	assert_int_equal(problems_at_line(fx, 4, "territory"), 1);
	assert_non_null(strstr(reason_at_line(fx, 3), "h-404"));
	assert_int_equal(problems_count(&fx->pb), 2);
}

static void test_reference_is_within_the_target_type(void **state)
{
	struct fixture *fx = *state;

	/* A territory named h-1 does not make household h-1 exist. */
	assert_int_equal(import_text(fx, "{\"type\":\"territory\",\"id\":\"h-1\",\"name\":\"A\"}\n" PERSON), 1);
	assert_int_equal(problems_at_line(fx, 2, "household"), 1);
}

static void test_missing_reference_is_reported_with_other_problems(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(import_text(fx, "{\"type\":\"territory\",\"id\":\"t-1\",\"name\":\"\"}\n"
				     "{\"type\":\"person\",\"id\":\"p-1\",\"household\":\"h-404\",\"role\":\"DEM\","
				     "\"first_name\":\"A\",\"last_name\":\"B\",\"birth_date\":\"1980-01-01\","
				     "\"sex\":\"F\"}\n"),
			 1);
	assert_int_equal(problems_at_line(fx, 1, "name"), 1);
	assert_int_equal(problems_at_line(fx, 2, "household"), 1);
	assert_nothing_written(fx);
}

static void test_rules_across_records_run_beside_bad_lines(void **state)
{
	struct fixture *fx = *state;

	import_ok(fx, ALL);
	/* A bad line does not hide an overlap or a used e-mail elsewhere. */
	assert_int_equal(import_text(fx, "{\"type\":\"territory\",\"id\":\"t-2\",\"name\":\"\"}\n"
				     "{\"type\":\"right_period\",\"id\":\"r-2\",\"person\":\"p-1\","
				     "\"start\":\"2017-01-01\",\"state\":\"1\",\"subject_to_duties\":false}\n"
				     "{\"type\":\"user\",\"id\":\"u-2\",\"email\":\"ADA@example.fr\","
				     "\"first_name\":\"A\",\"last_name\":\"B\",\"organisation\":\"o-1\","
				     "\"roles\":[\"referent\"]}\n"),
			 1);
	assert_int_equal(problems_at_line(fx, 1, "name"), 1);
	assert_int_equal(problems_at_line(fx, 2, "start"), 1);
	assert_int_equal(problems_at_line(fx, 3, "email"), 1);
	assert_int_equal(problems_count(&fx->pb), 3);
	assert_int_equal(rows(fx, "territory"), 1);
	assert_int_equal(rows(fx, "right_period"), 1);
	assert_int_equal(rows(fx, "account"), 1);
	assert_false(db_in_transaction(fx->tmp.db));
}

static void test_a_refused_line_is_reported_once(void **state)
{
	struct fixture *fx = *state;

	/* The territory is refused, so it is not written: the organisation
	 * that names it is not blamed for a missing territory. */
	assert_int_equal(import_text(fx, "{\"type\":\"territory\",\"id\":\"t-1\",\"name\":\"\"}\n"
				     ORGANISATION), 1);
	assert_int_equal(problems_at_line(fx, 1, "name"), 1);
	assert_int_equal(problems_count(&fx->pb), 1);
	assert_nothing_written(fx);
	/* Nor is a refused replacement blamed for its version in the database
	 * (which overlaps r-2), and a refused deletion deletes nothing. */
	import_ok(fx, ALL);
	assert_int_equal(import_text(fx, "{\"type\":\"right_period\",\"id\":\"r-1\",\"person\":\"p-1\","
				     "\"start\":\"2016-05-01\",\"end\":\"2016-12-31\",\"state\":\"9\","
				     "\"subject_to_duties\":true}\n"
				     "{\"type\":\"household\",\"id\":\"h-1\",\"deleted\":true,\"x\":1}\n"
				     "{\"type\":\"right_period\",\"id\":\"r-2\",\"person\":\"p-1\","
				     "\"start\":\"2017-01-01\",\"state\":\"1\",\"subject_to_duties\":false}\n"),
			 1);
	assert_int_equal(problems_at_line(fx, 1, NULL), 1);
	assert_int_equal(problems_at_line(fx, 1, "state"), 1);
	assert_int_equal(problems_at_line(fx, 2, NULL), 1);
	/* The report cannot know that the fixed line 1 would make room. */
	assert_int_equal(problems_at_line(fx, 3, "start"), 1);
	assert_int_equal(problems_count(&fx->pb), 3);
	assert_int_equal(rows(fx, "household"), 1);
}

static void test_a_refused_line_also_reports_its_missing_references(void **state)
{
	struct fixture *fx = *state;

	/* Refused, p-1 is not written; its missing household is still found
	 * (and a refused target is not "missing": its line says why). */
	assert_int_equal(import_text(fx, "{\"type\":\"person\",\"id\":\"p-1\",\"household\":\"h-404\","
				     "\"role\":\"DEM\",\"first_name\":\"A\",\"last_name\":\"B\","
				     "\"birth_date\":\"1980-01-01\",\"sex\":\"X\"}\n"
				     "{\"type\":\"organisation\",\"id\":\"o-1\",\"name\":\"\",\"kind\":\"ccas\","
				     "\"territory\":\"t-1\"}\n"
				     "{\"type\":\"territory\",\"id\":\"t-1\",\"name\":\"\"}\n"
				     "{\"type\":\"user\",\"id\":\"u-1\",\"email\":\"a@b\",\"first_name\":\"A\","
				     "\"last_name\":\"B\",\"organisation\":\"o-9\",\"roles\":[\"admin\"]}\n"),
			 1);
	assert_int_equal(problems_at_line(fx, 1, "sex"), 1);
	assert_int_equal(problems_at_line(fx, 1, "household"), 1);
	assert_int_equal(problems_at_line(fx, 2, NULL), 1);
	assert_int_equal(problems_at_line(fx, 3, NULL), 1);
	assert_int_equal(problems_at_line(fx, 4, "email"), 1);
	assert_int_equal(problems_at_line(fx, 4, "organisation"), 1);
	assert_int_equal(problems_count(&fx->pb), 6);
	assert_nothing_written(fx);
}

static void test_same_type_and_id_twice_is_refused(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(import_text(fx, TERRITORY HOUSEHOLD
				     "{\"type\":\"territory\",\"id\":\"t-1\",\"name\":\"Again\"}\n"), 1);
	assert_nothing_written(fx);
	assert_int_equal(problems_at_line(fx, 3, "id"), 1);
	/* The reason points at the first occurrence. */
	assert_non_null(strstr(reason_at_line(fx, 3), "ligne 1"));
	assert_int_equal(problems_count(&fx->pb), 1);
}

static void test_a_deletion_counts_as_an_occurrence(void **state)
{
	struct fixture *fx = *state;

	import_ok(fx, ALL);
	assert_int_equal(import_text(fx, "{\"type\":\"right_period\",\"id\":\"r-1\",\"deleted\":true}\n" RIGHT),
			 1);
	assert_int_equal(problems_at_line(fx, 2, "id"), 1);
	assert_int_equal(rows(fx, "right_period"), 1);
}

static void test_duplicate_keys_in_an_object_are_refused(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(import_text(fx, "{\"type\":\"territory\",\"id\":\"t-1\",\"name\":\"A\",\"name\":\"B\"}\n"),
			 1);
	assert_int_equal(problems_at_line(fx, 1, NULL), 1);
	assert_nothing_written(fx);
}

static void test_lines_that_are_not_objects_are_refused(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(import_text(fx, "[]\n\"territory\"\n42\nnull\n{\"type\":\"territory\"\n"
					 "{\"type\":\"territory\",\"id\":\"t\",\"name\":\"A\"} {}\n"), 1);
	for (long line = 1; line <= 6; line++)
		if (problems_at_line(fx, line, NULL) != 1)
			fail_msg("line %ld: %zu problems", line, problems_at_line(fx, line, NULL));
}

static void test_type_and_id_are_checked_first(void **state)
{
	struct fixture *fx = *state;
	char text[512];

	snprintf(text, sizeof text,
		 "{\"type\":3,\"id\":\"a\"}\n"
		 "{\"type\":\"territory\",\"name\":\"A\"}\n"
		 "{\"type\":\"territory\",\"id\":7,\"name\":\"A\"}\n"
		 "{\"type\":\"territory\",\"id\":\"\",\"name\":\"A\"}\n"
		 "{\"type\":\"territory\",\"id\":\"%065d\",\"name\":\"A\"}\n"
		 "{\"type\":\"Territory\",\"id\":\"t\",\"name\":\"A\"}\n", 0);
	assert_int_equal(import_text(fx, text), 1);
	assert_int_equal(problems_at_line(fx, 1, "type"), 1);
	assert_int_equal(problems_at_line(fx, 2, "id"), 1);
	assert_int_equal(problems_at_line(fx, 3, "id"), 1);
	assert_int_equal(problems_at_line(fx, 4, "id"), 1);
	assert_int_equal(problems_at_line(fx, 5, "id"), 1);
	assert_int_equal(problems_at_line(fx, 6, "type"), 1);
}

static void test_deleting_a_missing_record_is_refused(void **state)
{
	struct fixture *fx = *state;

	import_ok(fx, TERRITORY);
	assert_int_equal(import_text(fx, "{\"type\":\"territory\",\"id\":\"t-404\",\"deleted\":true}\n"), 1);
	assert_int_equal(problems_at_line(fx, 1, "deleted"), 1);
	assert_int_equal(rows(fx, "territory"), 1);
}

static void test_deletion_carries_only_type_id_and_deleted(void **state)
{
	struct fixture *fx = *state;

	import_ok(fx, TERRITORY);
	assert_int_equal(import_text(fx, "{\"type\":\"territory\",\"id\":\"t-1\",\"name\":\"A\","
					 "\"deleted\":true}\n"), 1);
	assert_int_equal(problems_at_line(fx, 1, "name"), 1);
	assert_int_equal(rows(fx, "territory"), 1);
}

static void test_deleting_a_referenced_record_is_refused(void **state)
{
	struct fixture *fx = *state;

	import_ok(fx, ALL);
	assert_int_equal(import_text(fx, "{\"type\":\"territory\",\"id\":\"t-0\",\"name\":\"A\"}\n"
					 "{\"type\":\"household\",\"id\":\"h-1\",\"deleted\":true}\n"), 1);
	/* Reported at the deletion, naming who still refers to it. */
	assert_int_equal(problems_at_line(fx, 2, "deleted"), 1);
	assert_non_null(strstr(reason_at_line(fx, 2), "p-1"));
	assert_int_equal(rows(fx, "household"), 1);
	assert_int_equal(rows(fx, "territory"), 1);
	/* Also when the referrer is in the same file. */
	assert_int_equal(import_text(fx, "{\"type\":\"household\",\"id\":\"h-2\",\"territory\":\"t-1\"}\n"
					 "{\"type\":\"territory\",\"id\":\"t-1\",\"deleted\":true}\n"), 1);
	assert_int_equal(problems_at_line(fx, 2, "deleted"), 2); /* h-2 and o-1 */
}

static void test_overlapping_right_periods_are_refused(void **state)
{
	struct fixture *fx = *state;

	import_ok(fx, ALL);
	assert_int_equal(import_text(fx, "{\"type\":\"right_period\",\"id\":\"r-2\",\"person\":\"p-1\","
					 "\"start\":\"2017-01-01\",\"end\":\"2017-03-31\",\"state\":\"1\","
					 "\"subject_to_duties\":false}\n"), 1);
	assert_int_equal(problems_at_line(fx, 1, "start"), 1);
	assert_int_equal(rows(fx, "right_period"), 1);
	/* Closing r-1 in the same file makes room. */
	import_ok(fx, "{\"type\":\"right_period\",\"id\":\"r-1\",\"person\":\"p-1\",\"start\":\"2016-05-01\","
		      "\"end\":\"2016-12-31\",\"state\":\"2\",\"subject_to_duties\":true}\n"
		      "{\"type\":\"right_period\",\"id\":\"r-2\",\"person\":\"p-1\","
		      "\"start\":\"2017-01-01\",\"end\":\"2017-03-31\",\"state\":\"1\","
		      "\"subject_to_duties\":false}\n");
	assert_int_equal(rows(fx, "right_period"), 2);
}

static void test_email_already_used_is_refused(void **state)
{
	struct fixture *fx = *state;

	import_ok(fx, ALL);
	assert_int_equal(import_text(fx, "{\"type\":\"user\",\"id\":\"u-2\",\"email\":\"Ada@Example.FR\","
					 "\"first_name\":\"A\",\"last_name\":\"B\",\"organisation\":\"o-1\","
					 "\"roles\":[\"referent\"]}\n"), 1);
	assert_int_equal(problems_at_line(fx, 1, "email"), 1);
	assert_int_equal(rows(fx, "account"), 1);
}

static void test_invalid_utf8_is_refused(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(import_text(fx, "{\"type\":\"territory\",\"id\":\"t-1\",\"name\":\"Lyon \xE9t\xE9\"}\n"),
			 1);
	assert_int_equal(problems_at_line(fx, 1, NULL), 1);
	assert_nothing_written(fx);
}

static void test_nul_byte_in_a_line_is_refused(void **state)
{
	struct fixture *fx = *state;
	static const char text[] = "{\"type\":\"territory\",\"id\":\"t-1\",\"name\":\"A\"}\0{\"garbage\n";

	/* Nothing after a NUL byte may be dropped silently. */
	assert_int_equal(import_path(fx, write_bytes(fx, text, sizeof text - 1), 0), 1);
	assert_int_equal(problems_at_line(fx, 1, NULL), 1);
	assert_nothing_written(fx);
}

static void test_long_non_ascii_values_are_refused(void **state)
{
	struct fixture *fx = *state;
	char *text, *v;
	size_t n = 0;

	/* Each reason quotes a value long enough to be cut: cut inside an "é",
	 * it used to be lost, and the lines accepted or skipped silently. */
	text = malloc(4096);
	v = malloc(700);
	assert_non_null(text);
	assert_non_null(v);
	v[0] = 'a';
	for (int i = 0; i < 300; i++)
		memcpy(v + 1 + 2 * i, "\xC3\xA9", 2);
	v[601] = '\0';
	n += (size_t)snprintf(text + n, 4096 - n, HOUSEHOLD);
	n += (size_t)snprintf(text + n, 4096 - n,
			      "{\"type\":\"person\",\"id\":\"p-1\",\"household\":\"h-1\",\"role\":\"DEM\","
			      "\"first_name\":\"A\",\"last_name\":\"B\",\"birth_date\":\"1980-01-01\","
			      "\"sex\":\"%s\"}\n", v);
	/* Where the cut falls depends on the text before the value. */
	n += (size_t)snprintf(text + n, 4096 - n, "{\"type\":\"%s\",\"id\":\"x\"}\n", v + 1);
	assert_true(n < 4096);
	assert_int_equal(import_text(fx, text), 1);
	assert_int_equal(problems_at_line(fx, 2, "sex"), 1);
	assert_int_equal(problems_at_line(fx, 3, "type"), 1);
	assert_nothing_written(fx);
	free(text);
	free(v);
}

static void test_missing_file_is_a_system_failure(void **state)
{
	struct fixture *fx = *state;
	char path[160];

	snprintf(path, sizeof path, "%s/does-not-exist.jsonl", fx->tmp.dir);
	assert_int_equal(import_path(fx, path, 0), -1);
	assert_true(problems_count(&fx->pb) >= 1);
	assert_false(db_in_transaction(fx->tmp.db));
}

static void test_failure_at_commit_rolls_back_and_is_reported(void **state)
{
	struct fixture *fx = *state;

	/* The audit entry is written last, in the import's transaction: make
	 * it fail as a full disk would. */
	assert_int_equal(db_exec(fx->tmp.db, "CREATE TRIGGER audit_full BEFORE INSERT ON audit "
					 "BEGIN SELECT RAISE(ABORT, 'disk full'); END;"), 0);
	assert_int_equal(import_text(fx, ALL), -1);
	assert_true(problems_count(&fx->pb) >= 1);
	assert_false(db_in_transaction(fx->tmp.db));
	assert_nothing_written(fx);
	/* The problem says what the database said. */
	assert_non_null(strstr(json_string_value(json_object_get(json_array_get(fx->pb.list, 0), "reason")),
			       "disk full"));
}

/* ---- gzip --------------------------------------------------------------- */

static const char *write_gzip(struct fixture *fx, const char *text)
{
	static char path[160];
	gzFile gz;

	snprintf(path, sizeof path, "%s/in-%d.jsonl.gz", fx->tmp.dir, ++fx->files);
	gz = gzopen(path, "wb");
	assert_non_null(gz);
	assert_int_equal(gzwrite(gz, text, (unsigned)strlen(text)), (int)strlen(text));
	assert_int_equal(gzclose(gz), Z_OK);
	return path;
}

/* Many distinct territories, so that the compressed stream is long. */
static char *many_territories(int n)
{
	size_t size = (size_t)n * 80 + 1, len = 0;
	char *text = malloc(size);

	assert_non_null(text);
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, size - len,
					"{\"type\":\"territory\",\"id\":\"t-%d\",\"name\":\"T%x%d\"}\n", i,
					(unsigned)(i * 2654435761u), i * 7);
	return text;
}

static void test_gzip_file_is_read(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(import_path(fx, write_gzip(fx, ALL), 0), 0);
	assert_int_equal(rows(fx, "right_period"), 1);
	assert_int_equal(fx->res.lines, 6);
}

static void test_gzip_is_recognised_whatever_the_name(void **state)
{
	struct fixture *fx = *state;
	const char *gz = write_gzip(fx, TERRITORY);
	char plain[200];

	snprintf(plain, sizeof plain, "%s/renamed.jsonl", fx->tmp.dir);
	assert_int_equal(rename(gz, plain), 0);
	assert_int_equal(import_path(fx, plain, 0), 0);
	assert_int_equal(rows(fx, "territory"), 1);
}

static void test_truncated_gzip_is_refused(void **state)
{
	struct fixture *fx = *state;
	char *text = many_territories(3000);
	const char *path = write_gzip(fx, text);
	FILE *f = fopen(path, "rb");
	long size;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fclose(f);
	assert_true(size > 1000);
	/* Cut in the middle of the compressed data. */
	assert_int_equal(truncate(path, size / 2), 0);
	assert_int_equal(import_path(fx, path, 0), 1);
	assert_true(problems_count(&fx->pb) >= 1);
	assert_nothing_written(fx);
	free(text);
}

static void test_gzip_without_its_trailer_is_refused(void **state)
{
	struct fixture *fx = *state;
	const char *path = write_gzip(fx, ALL);
	FILE *f = fopen(path, "rb");
	long size;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fclose(f);
	/* Every record is complete; only the CRC and length are missing. */
	assert_int_equal(truncate(path, size - 8), 0);
	assert_int_equal(import_path(fx, path, 0), 1);
	assert_nothing_written(fx);
}

/* ---- the 1 MiB line limit ----------------------------------------------- */

/* A territory line of exactly `len` bytes (padded inside the object with
 * spaces), followed by end. */
static char *line_of(size_t len, const char *end)
{
	static const char head[] = "{\"type\":\"territory\",\"id\":\"t-big\",\"name\":\"x\"";
	size_t total = len + strlen(end) + 1;
	char *s = malloc(total);

	assert_non_null(s);
	memcpy(s, head, sizeof head - 1);
	memset(s + sizeof head - 1, ' ', len - sizeof head);
	s[len - 1] = '}';
	memcpy(s + len, end, strlen(end) + 1);
	return s;
}

static void test_line_of_exactly_1_mib_is_accepted(void **state)
{
	struct fixture *fx = *state;
	char *s = line_of(JSONL_MAX_LINE, "\n" TERRITORY);

	assert_int_equal(strlen(s), JSONL_MAX_LINE + 1 + strlen(TERRITORY));
	assert_int_equal(import_path(fx, write_text(fx, s), 0), 0);
	assert_int_equal(rows(fx, "territory"), 2);
	free(s);
}

static void test_line_over_1_mib_is_refused_and_reading_goes_on(void **state)
{
	struct fixture *fx = *state;
	char *s = line_of(JSONL_MAX_LINE + 1,
			  "\n" TERRITORY "{\"type\":\"territory\",\"id\":\"t-2\"}\n");

	assert_int_equal(import_path(fx, write_text(fx, s), 0), 1);
	assert_int_equal(problems_at_line(fx, 1, ""), 1);
	assert_non_null(strstr(reason_at_line(fx, 1), "1 Mio"));
	/* The rest of the long line is skipped, not read as more lines. */
	assert_int_equal(problems_at_line(fx, 3, "name"), 1);
	assert_int_equal(problems_count(&fx->pb), 2);
	assert_int_equal(fx->res.lines, 3);
	assert_nothing_written(fx);
	free(s);
}

static void test_line_far_over_1_mib_is_one_problem(void **state)
{
	struct fixture *fx = *state;
	char *s = line_of(3 * JSONL_MAX_LINE + 17, "\n" TERRITORY);

	assert_int_equal(import_path(fx, write_text(fx, s), 0), 1);
	assert_int_equal(problems_count(&fx->pb), 1);
	assert_int_equal(problems_at_line(fx, 1, ""), 1);
	assert_int_equal(fx->res.lines, 2);
	free(s);
}

static void test_crlf_line_of_1_mib_is_accepted_like_lf(void **state)
{
	struct fixture *fx = *state;
	char *s;

	/* The line end is not part of the 1 MiB, LF or CRLF alike. */
	s = line_of(JSONL_MAX_LINE, "\r\n");
	assert_int_equal(import_path(fx, write_text(fx, s), 0), 0);
	free(s);
}

/* ---- export ------------------------------------------------------------- */

static void test_export_orders_types_as_the_format_then_ids_bytewise(void **state)
{
	struct fixture *fx = *state;
	char *out;

	import_ok(fx, "{\"type\":\"household\",\"id\":\"b\"}\n"
		      "{\"type\":\"territory\",\"id\":\"z\",\"name\":\"Z\"}\n"
		      "{\"type\":\"household\",\"id\":\"a-9\"}\n"
		      "{\"type\":\"household\",\"id\":\"B\"}\n"
		      "{\"type\":\"household\",\"id\":\"a-10\"}\n"
		      "{\"type\":\"organisation\",\"id\":\"o\",\"name\":\"O\",\"kind\":\"other\"}\n"
		      "{\"type\":\"household\",\"id\":\"_\"}\n"
		      "{\"type\":\"household\",\"id\":\"10\"}\n"
		      "{\"type\":\"household\",\"id\":\"9\"}\n"
		      "{\"type\":\"territory\",\"id\":\"A\",\"name\":\"A\"}\n");
	out = export_text(fx->tmp.db, NULL);
	assert_string_equal(out, "{\"type\":\"territory\",\"id\":\"A\",\"name\":\"A\"}\n"
				 "{\"type\":\"territory\",\"id\":\"z\",\"name\":\"Z\"}\n"
				 "{\"type\":\"organisation\",\"id\":\"o\",\"name\":\"O\",\"kind\":\"other\"}\n"
				 "{\"type\":\"household\",\"id\":\"10\"}\n"
				 "{\"type\":\"household\",\"id\":\"9\"}\n"
				 "{\"type\":\"household\",\"id\":\"B\"}\n"
				 "{\"type\":\"household\",\"id\":\"_\"}\n"
				 "{\"type\":\"household\",\"id\":\"a-10\"}\n"
				 "{\"type\":\"household\",\"id\":\"a-9\"}\n"
				 "{\"type\":\"household\",\"id\":\"b\"}\n");
	free(out);
}

static void test_export_of_chosen_types_only(void **state)
{
	struct fixture *fx = *state;
	char *out;

	import_ok(fx, ALL);
	out = export_text(fx->tmp.db, "right_period,territory");
	assert_string_equal(out, TERRITORY RIGHT);
	free(out);
	out = export_text(fx->tmp.db, "person,nothing");
	assert_string_equal(out, PERSON);
	free(out);
	/* A name is matched whole: "sign" is not "sign_in". */
	out = export_text(fx->tmp.db, "sign,perso");
	assert_string_equal(out, "");
	free(out);
}

static void test_export_writes_utf8_not_escapes(void **state)
{
	struct fixture *fx = *state;
	char *out;

	import_ok(fx, "{\"type\":\"territory\",\"id\":\"t\",\"name\":\"\\u00c9cully \\u0152uvre \\u20ac\"}\n");
	out = export_text(fx->tmp.db, NULL);
	assert_string_equal(out, "{\"type\":\"territory\",\"id\":\"t\",\"name\":\"Écully Œuvre €\"}\n");
	free(out);
}

static void test_export_of_empty_database_is_empty(void **state)
{
	struct fixture *fx = *state;
	char *out = export_text(fx->tmp.db, NULL);

	assert_string_equal(out, "");
	free(out);
}

static const char round_trip_input[] =
	/* Deliberately not in export order, with every field of every type. */
	"{\"type\":\"right_period\",\"id\":\"r-2\",\"person\":\"p-1\",\"start\":\"2017-07-01\",\"state\":\"4\","
	"\"subject_to_duties\":false}\n"
	"{\"type\":\"person\",\"id\":\"p-1\",\"household\":\"h-1\",\"role\":\"DEM\",\"first_name\":\"Benoît\","
	"\"last_name\":\"Dupont\",\"birth_name\":\"Lefèvre\",\"birth_date\":\"1985-05-12\",\"sex\":\"M\","
	"\"title\":\"MR\",\"nir\":\"285052A00604821\",\"france_travail_id\":\"1234567A123\","
	"\"phone\":\"04 72 00 00 00\",\"email\":\"b@example.fr\",\"address\":\"1 rue \\\"X\\\"\\n69001 Lyon\"}\n"
	"{\"type\":\"sign_in\",\"id\":\"s-1\",\"user\":\"u-1\",\"at\":\"2017-03-02T09:30:00.5+01:00\"}\n"
	"{\"type\":\"user\",\"id\":\"u-1\",\"email\":\"ada@example.fr\",\"first_name\":\"Ada\","
	"\"last_name\":\"Lovelace\",\"organisation\":\"o-1\",\"roles\":[\"referent\",\"admin\"],"
	"\"health_accredited\":true,\"created_on\":\"2016-01-04\",\"disabled_on\":\"2018-01-01\","
	"\"function\":\"Conseillère\"}\n"
	"{\"type\":\"user\",\"id\":\"u-0\",\"email\":\"zed@example.fr\",\"first_name\":\"Zed\","
	"\"last_name\":\"Z\",\"organisation\":\"o-1\",\"roles\":[\"analyst\"],\"health_accredited\":false}\n"
	"{\"type\":\"household\",\"id\":\"h-1\",\"caf_number\":\"1234567\",\"paying_body\":\"MSA\","
	"\"rsa_request_number\":\"R-1\",\"rsa_request_date\":\"2016-04-01\",\"commune\":\"69381\","
	"\"territory\":\"t-1\",\"family_situation\":\"CEL\"}\n"
	"{\"type\":\"organisation\",\"id\":\"o-1\",\"name\":\"ACI Lyon\",\"kind\":\"siae_aci\","
	"\"territory\":\"t-1\",\"siret\":\"73282932000074\"}\n"
	"{\"type\":\"right_period\",\"id\":\"r-1\",\"person\":\"p-1\",\"start\":\"2016-05-01\","
	"\"end\":\"2017-06-30\",\"state\":\"2\",\"subject_to_duties\":true}\n"
	"{\"type\":\"territory\",\"id\":\"t-1\",\"name\":\"Lyon\",\"communes\":[\"69381\",\"2A004\"]}\n";

/* The same records, as export writes them. */
static const char round_trip_export[] =
	"{\"type\":\"territory\",\"id\":\"t-1\",\"name\":\"Lyon\",\"communes\":[\"69381\",\"2A004\"]}\n"
	"{\"type\":\"organisation\",\"id\":\"o-1\",\"name\":\"ACI Lyon\",\"kind\":\"siae_aci\","
	"\"territory\":\"t-1\",\"siret\":\"73282932000074\"}\n"
	"{\"type\":\"user\",\"id\":\"u-0\",\"email\":\"zed@example.fr\",\"first_name\":\"Zed\","
	"\"last_name\":\"Z\",\"organisation\":\"o-1\",\"roles\":[\"analyst\"]}\n"
	"{\"type\":\"user\",\"id\":\"u-1\",\"email\":\"ada@example.fr\",\"first_name\":\"Ada\","
	"\"last_name\":\"Lovelace\",\"organisation\":\"o-1\",\"roles\":[\"referent\",\"admin\"],"
	"\"health_accredited\":true,\"created_on\":\"2016-01-04\",\"disabled_on\":\"2018-01-01\","
	"\"function\":\"Conseillère\"}\n"
	"{\"type\":\"sign_in\",\"id\":\"s-1\",\"user\":\"u-1\",\"at\":\"2017-03-02T09:30:00.5+01:00\"}\n"
	"{\"type\":\"household\",\"id\":\"h-1\",\"caf_number\":\"1234567\",\"paying_body\":\"MSA\","
	"\"rsa_request_number\":\"R-1\",\"rsa_request_date\":\"2016-04-01\",\"commune\":\"69381\","
	"\"territory\":\"t-1\",\"family_situation\":\"CEL\"}\n"
	"{\"type\":\"person\",\"id\":\"p-1\",\"household\":\"h-1\",\"role\":\"DEM\",\"first_name\":\"Benoît\","
	"\"last_name\":\"Dupont\",\"birth_name\":\"Lefèvre\",\"birth_date\":\"1985-05-12\",\"sex\":\"M\","
	"\"title\":\"MR\",\"nir\":\"285052A00604821\",\"france_travail_id\":\"1234567A123\","
	"\"phone\":\"04 72 00 00 00\",\"email\":\"b@example.fr\",\"address\":\"1 rue \\\"X\\\"\\n69001 Lyon\"}\n"
	"{\"type\":\"right_period\",\"id\":\"r-1\",\"person\":\"p-1\",\"start\":\"2016-05-01\","
	"\"end\":\"2017-06-30\",\"state\":\"2\",\"subject_to_duties\":true}\n"
	"{\"type\":\"right_period\",\"id\":\"r-2\",\"person\":\"p-1\",\"start\":\"2017-07-01\",\"state\":\"4\","
	"\"subject_to_duties\":false}\n";

static void test_import_then_export_gives_back_the_records(void **state)
{
	struct fixture *fx = *state;
	char *out;

	import_ok(fx, round_trip_input);
	out = export_text(fx->tmp.db, NULL);
	assert_string_equal(out, round_trip_export);
	free(out);
}

static void test_export_imports_into_a_fresh_database_unchanged(void **state)
{
	struct fixture *fx = *state;
	struct fixture *other;
	char *first, *second;

	import_ok(fx, round_trip_input);
	first = export_text(fx->tmp.db, NULL);
	assert_int_equal(setup((void **)&other), 0);
	import_ok(other, first);
	second = export_text(other->tmp.db, NULL);
	assert_string_equal(second, first);
	/* And importing the export again over itself changes nothing. */
	import_ok(other, second);
	free(second);
	second = export_text(other->tmp.db, NULL);
	assert_string_equal(second, first);
	free(first);
	free(second);
	teardown((void **)&other);
}

/* ---- defaults, deletions, merged people ----------------------------------- */

#define CONTRACT(status)                                                                          \
	"{\"type\":\"contract\",\"id\":\"c-1\",\"person\":\"p-1\",\"kind\":\"cer\","            \
	"\"organisation\":\"o-1\",\"signed_on\":\"2017-01-02\",\"start\":\"2017-01-02\","           \
	"\"end\":\"2017-06-30\",\"actions\":[\"housing\"]" status "}\n"
#define INSTANCE(quorum) "{\"type\":\"instance\",\"id\":\"i-1\",\"name\":\"ITT\",\"kind\":\"itt\"" \
	quorum "}\n"

static void test_defaults_are_filled_in_and_not_exported(void **state)
{
	struct fixture *fx = *state;
	const char *with[] = { CONTRACT(",\"status\":\"signed\"") INSTANCE(",\"quorum\":3"),
			       CONTRACT("") INSTANCE("") };
	char *text;

	for (int i = 0; i < 2; i++) {
		int64_t n = 0;
		import_ok(fx, i == 0 ? ALL : "");
		import_ok(fx, with[i]);
		/* Absent means the default: stored as such, */
		assert_int_equal(db_query_int(fx->tmp.db, &n, "SELECT COUNT(*) FROM contract WHERE "
					      "status = 'signed'", ""), 0);
		assert_int_equal(n, 1);
		assert_int_equal(db_query_int(fx->tmp.db, &n, "SELECT quorum FROM instance", ""), 0);
		assert_int_equal(n, 3);
		/* and left out on export. */
		text = export_text(fx->tmp.db, "contract,instance");
		assert_string_equal(text, CONTRACT("") INSTANCE(""));
		free(text);
	}
	/* Another value is written back. */
	import_ok(fx, CONTRACT(",\"status\":\"terminated\",\"terminated_on\":\"2017-03-01\"")
		      INSTANCE(",\"quorum\":4"));
	text = export_text(fx->tmp.db, "contract,instance");
	assert_string_equal(text, CONTRACT(",\"status\":\"terminated\",\"terminated_on\":\"2017-03-01\"")
					  INSTANCE(",\"quorum\":4"));
	free(text);
}

#define SESSION "{\"type\":\"collective_session\",\"id\":\"cs-1\",\"organisation\":\"o-1\"," \
	"\"title\":\"Atelier\",\"at\":\"2017-05-12T14:00:00+02:00\"}\n"
#define ATTENDANCE(status) "{\"type\":\"attendance\",\"id\":\"at-1\",\"session\":\"cs-1\"," \
	"\"person\":\"p-1\",\"status\":\"" status "\"}\n"
#define SURVEY "{\"type\":\"survey_response\",\"id\":\"sr-1\",\"session\":\"cs-1\"," \
	"\"person\":\"p-1\",\"helps_job_search\":true}\n"

static void test_deleting_what_a_rule_stands_on_is_refused(void **state)
{
	struct fixture *fx = *state;

	import_ok(fx, ALL SESSION ATTENDANCE("present") SURVEY);
	/* The attendance of a named answer is not deleted, nor marked absent. */
	assert_int_equal(import_text(fx, "{\"type\":\"territory\",\"id\":\"t-2\",\"name\":\"A\"}\n"
					 "{\"type\":\"attendance\",\"id\":\"at-1\",\"deleted\":true}\n"),
			 1);
	assert_int_equal(problems_count(&fx->pb), 1);
	assert_int_equal(problems_at_line(fx, 2, "deleted"), 1);
	assert_non_null(strstr(reason_at_line(fx, 2), "survey_response sr-1"));
	assert_non_null(strstr(reason_at_line(fx, 2), "n'est pas notée présente"));
	assert_int_equal(import_text(fx, ATTENDANCE("absent")), 1);
	assert_int_equal(problems_at_line(fx, 1, "status"), 1);
	assert_int_equal(rows(fx, "attendance"), 1);
	/* Both together leave nothing broken. */
	import_ok(fx, "{\"type\":\"survey_response\",\"id\":\"sr-1\",\"deleted\":true}\n"
		      "{\"type\":\"attendance\",\"id\":\"at-1\",\"deleted\":true}\n");
	assert_int_equal(rows(fx, "attendance"), 0);
}

#define PERSON2 "{\"type\":\"person\",\"id\":\"p-2\",\"household\":\"h-1\",\"role\":\"DEM\"," \
	"\"first_name\":\"Benoit\",\"last_name\":\"Dupont\",\"birth_date\":\"1985-05-12\",\"sex\":\"M\"}\n"

static void test_an_absorbed_person_id_is_refused(void **state)
{
	struct fixture *fx = *state;
	struct merge_result r;
	const char *reason;

	import_ok(fx, ALL PERSON2);
	merge_result_init(&r);
	assert_int_equal(person_merge(fx->tmp.db, "p-1", "p-2", "cli:test", "cli", 0, &r), MERGE_DONE);
	merge_result_release(&r);
	/* Recreating the absorbed person, */
	assert_int_equal(import_text(fx, PERSON2), 1);
	assert_int_equal(problems_at_line(fx, 1, "id"), 1);
	reason = reason_at_line(fx, 1);
	assert_non_null(strstr(reason, "la personne p-2 a été fusionnée dans p-1 le "));
	assert_non_null(strstr(reason, ": utilisez p-1"));
	assert_int_equal(rows(fx, "person"), 1);
	/* or naming it. */
	assert_int_equal(import_text(fx, "{\"type\":\"right_period\",\"id\":\"r-9\","
					 "\"person\":\"p-2\",\"start\":\"2010-01-01\","
					 "\"end\":\"2010-12-31\",\"state\":\"2\","
					 "\"subject_to_duties\":true}\n"), 1);
	assert_int_equal(problems_at_line(fx, 1, "person"), 1);
	assert_non_null(strstr(reason_at_line(fx, 1), "fusionnée dans p-1 le "));
	assert_int_equal(rows(fx, "right_period"), 1);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_import_writes_every_record_and_counts),
		T(test_blank_lines_are_ignored_but_counted),
		T(test_crlf_line_endings_are_accepted),
		T(test_last_line_without_newline_is_read),
		T(test_forward_references_are_accepted),
		T(test_references_to_records_already_in_database),
		T(test_existing_id_is_replaced_and_left_out_fields_become_absent),
		T(test_replacing_an_account_keeps_its_password),
		T(test_deleted_removes_the_record),
		T(test_deleting_a_record_and_its_referrers_together),
		T(test_deleted_false_is_an_ordinary_record),
		T(test_lenient_turns_unknown_fields_into_warnings),
		T(test_same_id_in_two_types_is_fine),
		T(test_an_import_may_swap_two_emails),
		T(test_import_appends_one_audit_entry_per_run),
		T(test_one_bad_line_writes_nothing),
		T(test_a_refused_import_leaves_earlier_data_untouched),
		T(test_every_bad_line_is_reported_with_its_line),
		T(test_missing_reference_is_reported_at_the_referring_line),
		T(test_reference_is_within_the_target_type),
		T(test_missing_reference_is_reported_with_other_problems),
		T(test_rules_across_records_run_beside_bad_lines),
		T(test_a_refused_line_is_reported_once),
		T(test_a_refused_line_also_reports_its_missing_references),
		T(test_same_type_and_id_twice_is_refused),
		T(test_a_deletion_counts_as_an_occurrence),
		T(test_duplicate_keys_in_an_object_are_refused),
		T(test_lines_that_are_not_objects_are_refused),
		T(test_type_and_id_are_checked_first),
		T(test_deleting_a_missing_record_is_refused),
		T(test_deletion_carries_only_type_id_and_deleted),
		T(test_deleting_a_referenced_record_is_refused),
		T(test_overlapping_right_periods_are_refused),
		T(test_email_already_used_is_refused),
		T(test_invalid_utf8_is_refused),
		T(test_nul_byte_in_a_line_is_refused),
		T(test_long_non_ascii_values_are_refused),
		T(test_missing_file_is_a_system_failure),
		T(test_failure_at_commit_rolls_back_and_is_reported),
		T(test_gzip_file_is_read),
		T(test_gzip_is_recognised_whatever_the_name),
		T(test_truncated_gzip_is_refused),
		T(test_gzip_without_its_trailer_is_refused),
		T(test_line_of_exactly_1_mib_is_accepted),
		T(test_line_over_1_mib_is_refused_and_reading_goes_on),
		T(test_line_far_over_1_mib_is_one_problem),
		T(test_crlf_line_of_1_mib_is_accepted_like_lf),
		T(test_export_orders_types_as_the_format_then_ids_bytewise),
		T(test_export_of_chosen_types_only),
		T(test_export_writes_utf8_not_escapes),
		T(test_export_of_empty_database_is_empty),
		T(test_import_then_export_gives_back_the_records),
		T(test_export_imports_into_a_fresh_database_unchanged),
		T(test_defaults_are_filled_in_and_not_exported),
		T(test_deleting_what_a_rule_stands_on_is_refused),
		T(test_an_absorbed_person_id_is_refused),
	};
#undef T

	if (password_init())
		return 1;
	return cmocka_run_group_tests_name("jsonl", tests, NULL, NULL);
}
