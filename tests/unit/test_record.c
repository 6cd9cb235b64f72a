/*
 * Unit tests for src/model/record.c and the type descriptors of the
 * families in src/model (schema.h): validation of every field kind, each
 * type's own rules, storage and reading back on a temporary SQLite
 * database, and the rules across records (dangling references, checks).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/date.h"
#include "base/text.h"
#include "db/db.h"
#include "fixture.h"
#include "model/password.h"
#include "model/problems.h"
#include "model/record.h"
#include "model/schema.h"

/* ---- helpers ------------------------------------------------------------ */

static json_t *J(const char *text)
{
	json_error_t err;
	json_t *v = json_loads(text, 0, &err);

	if (!v)
		fail_msg("bad test JSON (%s) in: %s", err.text, text);
	return v;
}

/* Problems on field (NULL: on the whole record). */
static size_t on_field(const struct problems *pb, const char *field)
{
	size_t i, n = 0;
	json_t *p;

	json_array_foreach(pb->list, i, p) {
		const char *f = json_string_value(json_object_get(p, "field"));
		if ((!f && !field) || (f && field && strcmp(f, field) == 0))
			n++;
	}
	return n;
}

static const char *first_reason(const struct problems *pb)
{
	return json_string_value(json_object_get(json_array_get(pb->list, 0), "reason"));
}

/* Validates the JSON text as type t (strict) and returns the problems. */
static size_t check(const struct type_def *t, const char *text, struct problems *pb)
{
	json_t *rec = J(text);
	size_t n;

	problems_init(pb);
	n = record_validate(t, rec, 0, pb, NULL);
	json_decref(rec);
	assert_int_equal(n, problems_count(pb));
	return n;
}

/* True when the text validates as t without any problem. */
static int ok(const struct type_def *t, const char *text)
{
	struct problems pb;
	size_t n = check(t, text, &pb);

	if (n) {
		char *s = json_dumps(pb.list, JSON_COMPACT);
		print_message("  problems of %s: %s\n", text, s);
		free(s);
	}
	problems_release(&pb);
	return n == 0;
}

/* Number of problems on field when validating text as t. */
static size_t bad(const struct type_def *t, const char *text, const char *field)
{
	struct problems pb;
	size_t n;

	check(t, text, &pb);
	n = on_field(&pb, field);
	problems_release(&pb);
	return n;
}

/* ---- a type with one field of every kind -------------------------------- */

static const char *const colours[] = { "red", "green", "blue", NULL };
static int kinds_validate_calls;

static void kinds_validate(json_t *rec, struct problems *pb)
{
	kinds_validate_calls++;
	if (json_is_true(json_object_get(rec, "b")) &&
	    json_integer_value(json_object_get(rec, "i")) == 13)
		problem_add(pb, "i", "13 n'est pas permis avec b");
}

static const struct field_def kinds_fields[] = {
	{ "s", "s", FK_STRING, F_REQUIRED, NULL, NULL, 5, "S" },
	{ "s200", "s200", FK_STRING, 0, NULL, NULL, 0, "S200" },
	{ "d", "d", FK_DATE, 0, NULL, NULL, 0, "D" },
	{ "dt", "dt", FK_DATETIME, 0, NULL, NULL, 0, "DT" },
	{ "b", "b", FK_BOOL, 0, NULL, NULL, 0, "B" },
	{ "i", "i", FK_INT, 0, NULL, NULL, 0, "I" },
	{ "a", "a", FK_AMOUNT, 0, NULL, NULL, 0, "A" },
	{ "x", "x", FK_DECIMAL, 0, NULL, NULL, 0, "X" },
	{ "sh", "sh", FK_SHARE, 0, NULL, NULL, 0, "SH" },
	{ "e", "e", FK_ENUM, 0, colours, NULL, 0, "E" },
	{ "r", "r", FK_REF, 0, NULL, "territory", 0, "R" },
	{ "el", "el", FK_ENUM_LIST, 0, colours, NULL, 0, "EL" },
	{ "sl", "sl", FK_STRING_LIST, 0, NULL, NULL, 3, "SL" },
	{ "rl", "rl", FK_REF_LIST, 0, NULL, "territory", 0, "RL" },
	{ "start", "start_date", FK_DATE, 0, NULL, NULL, 0, "Début" },
	{ "end", "end_date", FK_DATE, 0, NULL, NULL, 0, "Fin" },
};

static const struct type_def kinds = {
	.name = "kinds", .table = "kinds", .label = "essai",
	.fields = kinds_fields, .nfields = sizeof kinds_fields / sizeof kinds_fields[0],
	.validate = kinds_validate,
};

static void test_every_kind_accepts_its_values(void **state)
{
	(void)state;
	assert_true(ok(&kinds, "{\"type\":\"kinds\",\"id\":\"k1\",\"s\":\"abcde\",\"s200\":\"Benoît\","
			       "\"d\":\"2016-02-29\",\"dt\":\"2017-03-02T09:30:00+01:00\",\"b\":false,"
			       "\"i\":0,\"a\":1234567.89,\"x\":2.75,\"sh\":1,\"e\":\"blue\","
			       "\"r\":\"t-1\",\"el\":[\"red\",\"blue\"],\"sl\":[\"abc\",\"x\"],"
			       "\"rl\":[\"t-1\",\"t-2\"],\"start\":\"2017-01-01\",\"end\":\"2017-01-01\"}"));
	/* Only s is required; null is absent. */
	assert_true(ok(&kinds, "{\"s\":\"a\",\"d\":null,\"el\":[],\"sl\":[],\"rl\":[]}"));
}

static void test_string_kind_length_utf8_and_blank(void **state)
{
	struct problems pb;
	json_t *rec;
	char long200[202];

	(void)state;
	assert_true(bad(&kinds, "{\"s\":\"abcdef\"}", "s") >= 1);   /* max_len 5 */
	assert_true(bad(&kinds, "{\"s\":\"   \"}", "s") >= 1);      /* required and blank */
	assert_true(bad(&kinds, "{\"s\":\" \\t \"}", "s") >= 1);
	assert_true(bad(&kinds, "{\"s\":\"\"}", "s") >= 1);
	/* max_len counts characters, not bytes: "ééééé" is 5 characters (10
	 * bytes), "éééééé" 6. */
	assert_int_equal(bad(&kinds, "{\"s\":\"ééééé\"}", "s"), 0);
	assert_true(bad(&kinds, "{\"s\":\"éééééé\"}", "s") >= 1);
	/* 200 characters when max_len is 0. */
	memset(long200, 'a', 200);
	long200[200] = '\0';
	rec = json_pack("{s:s, s:s}", "s", "a", "s200", long200);
	problems_init(&pb);
	assert_int_equal(record_validate(&kinds, rec, 0, &pb, NULL), 0);
	json_object_set_new(rec, "s200", json_string("a\xC3\xA9"));
	assert_int_equal(record_validate(&kinds, rec, 0, &pb, NULL), 0);
	long200[200] = 'a';
	long200[201] = '\0';
	json_object_set_new(rec, "s200", json_string(long200));
	assert_int_equal(record_validate(&kinds, rec, 0, &pb, NULL), 1);
	/* Bytes that are not UTF-8 (a string made without jansson's check). */
	json_object_set_new(rec, "s200", json_string_nocheck("ab\xC3"));
	assert_int_equal(record_validate(&kinds, rec, 0, &pb, NULL), 1);
	assert_int_equal(on_field(&pb, "s200"), 2);
	json_decref(rec);
	problems_release(&pb);
}

static void test_date_kind_needs_real_day(void **state)
{
	(void)state;
	assert_true(bad(&kinds, "{\"s\":\"a\",\"d\":\"2017-02-29\"}", "d") >= 1);
	assert_true(bad(&kinds, "{\"s\":\"a\",\"d\":\"2017-2-1\"}", "d") >= 1);
	assert_true(bad(&kinds, "{\"s\":\"a\",\"d\":\"01/02/2017\"}", "d") >= 1);
	assert_true(bad(&kinds, "{\"s\":\"a\",\"d\":\"2017-03-02T00:00:00Z\"}", "d") >= 1);
	assert_true(bad(&kinds, "{\"s\":\"a\",\"d\":20170302}", "d") >= 1);
	assert_int_equal(bad(&kinds, "{\"s\":\"a\",\"d\":\"2016-02-29\"}", "d"), 0);
}

static void test_datetime_kind_needs_offset(void **state)
{
	(void)state;
	assert_true(bad(&kinds, "{\"s\":\"a\",\"dt\":\"2017-03-02T09:30:00\"}", "dt") >= 1);
	assert_true(bad(&kinds, "{\"s\":\"a\",\"dt\":\"2017-03-02\"}", "dt") >= 1);
	assert_true(bad(&kinds, "{\"s\":\"a\",\"dt\":\"2017-02-30T09:30:00Z\"}", "dt") >= 1);
	assert_int_equal(bad(&kinds, "{\"s\":\"a\",\"dt\":\"2017-03-02T09:30:00Z\"}", "dt"), 0);
}

static void test_bool_kind_refuses_other_json(void **state)
{
	(void)state;
	assert_true(bad(&kinds, "{\"s\":\"a\",\"b\":\"true\"}", "b") >= 1);
	assert_true(bad(&kinds, "{\"s\":\"a\",\"b\":1}", "b") >= 1);
	assert_true(bad(&kinds, "{\"s\":\"a\",\"b\":[true]}", "b") >= 1);
	assert_int_equal(bad(&kinds, "{\"s\":\"a\",\"b\":true}", "b"), 0);
}

static void test_int_kind_refuses_fractions_and_negatives(void **state)
{
	(void)state;
	assert_true(bad(&kinds, "{\"s\":\"a\",\"i\":2.5}", "i") >= 1);
	assert_true(bad(&kinds, "{\"s\":\"a\",\"i\":2.0}", "i") >= 1);
	assert_true(bad(&kinds, "{\"s\":\"a\",\"i\":-1}", "i") >= 1);
	assert_true(bad(&kinds, "{\"s\":\"a\",\"i\":\"3\"}", "i") >= 1);
	assert_int_equal(bad(&kinds, "{\"s\":\"a\",\"i\":0}", "i"), 0);
	assert_int_equal(bad(&kinds, "{\"s\":\"a\",\"i\":9007199254740993}", "i"), 0);
}

static void test_amount_kind_allows_cents_only(void **state)
{
	(void)state;
	assert_int_equal(bad(&kinds, "{\"s\":\"a\",\"a\":10.25}", "a"), 0);
	assert_int_equal(bad(&kinds, "{\"s\":\"a\",\"a\":0.1}", "a"), 0);
	assert_int_equal(bad(&kinds, "{\"s\":\"a\",\"a\":19.99}", "a"), 0);
	assert_int_equal(bad(&kinds, "{\"s\":\"a\",\"a\":351640}", "a"), 0);
	assert_int_equal(bad(&kinds, "{\"s\":\"a\",\"a\":502754.07}", "a"), 0);
	assert_int_equal(bad(&kinds, "{\"s\":\"a\",\"a\":0}", "a"), 0);
	assert_true(bad(&kinds, "{\"s\":\"a\",\"a\":10.255}", "a") >= 1);
	assert_true(bad(&kinds, "{\"s\":\"a\",\"a\":0.001}", "a") >= 1);
	assert_true(bad(&kinds, "{\"s\":\"a\",\"a\":-0.01}", "a") >= 1);
	assert_true(bad(&kinds, "{\"s\":\"a\",\"a\":\"10\"}", "a") >= 1);
}

static void test_decimal_kind_refuses_negatives(void **state)
{
	(void)state;
	assert_int_equal(bad(&kinds, "{\"s\":\"a\",\"x\":0.333333}", "x"), 0);
	assert_int_equal(bad(&kinds, "{\"s\":\"a\",\"x\":35}", "x"), 0);
	assert_true(bad(&kinds, "{\"s\":\"a\",\"x\":-0.5}", "x") >= 1);
	assert_true(bad(&kinds, "{\"s\":\"a\",\"x\":true}", "x") >= 1);
}

static void test_share_kind_is_between_0_and_1(void **state)
{
	(void)state;
	assert_int_equal(bad(&kinds, "{\"s\":\"a\",\"sh\":0}", "sh"), 0);
	assert_int_equal(bad(&kinds, "{\"s\":\"a\",\"sh\":0.8}", "sh"), 0);
	assert_int_equal(bad(&kinds, "{\"s\":\"a\",\"sh\":1.0}", "sh"), 0);
	assert_true(bad(&kinds, "{\"s\":\"a\",\"sh\":1.01}", "sh") >= 1);
	assert_true(bad(&kinds, "{\"s\":\"a\",\"sh\":80}", "sh") >= 1);
	assert_true(bad(&kinds, "{\"s\":\"a\",\"sh\":-0.1}", "sh") >= 1);
}

static void test_enum_kind_is_a_closed_list(void **state)
{
	struct problems pb;

	(void)state;
	assert_int_equal(check(&kinds, "{\"s\":\"a\",\"e\":\"purple\"}", &pb), 1);
	assert_int_equal(on_field(&pb, "e"), 1);
	/* The reason lists what is allowed. */
	assert_non_null(strstr(first_reason(&pb), "red, green, blue"));
	problems_release(&pb);
	assert_true(bad(&kinds, "{\"s\":\"a\",\"e\":\"Red\"}", "e") >= 1);
	assert_true(bad(&kinds, "{\"s\":\"a\",\"e\":\"\"}", "e") >= 1);
	assert_true(bad(&kinds, "{\"s\":\"a\",\"e\":[\"red\"]}", "e") >= 1);
}

static void test_ref_kind_needs_exchange_id(void **state)
{
	(void)state;
	assert_true(bad(&kinds, "{\"s\":\"a\",\"r\":\"t 1\"}", "r") >= 1);
	assert_true(bad(&kinds, "{\"s\":\"a\",\"r\":\"\"}", "r") >= 1);
	assert_true(bad(&kinds, "{\"s\":\"a\",\"r\":1}", "r") >= 1);
	assert_int_equal(bad(&kinds, "{\"s\":\"a\",\"r\":\"t:1_a.b-c\"}", "r"), 0);
}

static void test_enum_list_items_known_and_unique(void **state)
{
	(void)state;
	assert_true(bad(&kinds, "{\"s\":\"a\",\"el\":[\"red\",\"purple\"]}", "el") >= 1);
	assert_true(bad(&kinds, "{\"s\":\"a\",\"el\":[\"red\",\"red\"]}", "el") >= 1);
	assert_true(bad(&kinds, "{\"s\":\"a\",\"el\":[\"red\",3]}", "el") >= 1);
	assert_true(bad(&kinds, "{\"s\":\"a\",\"el\":\"red\"}", "el") >= 1);
	assert_int_equal(bad(&kinds, "{\"s\":\"a\",\"el\":[\"green\"]}", "el"), 0);
}

static void test_string_list_items_bounded_and_not_blank(void **state)
{
	(void)state;
	assert_true(bad(&kinds, "{\"s\":\"a\",\"sl\":[\"abcd\"]}", "sl") >= 1);
	assert_true(bad(&kinds, "{\"s\":\"a\",\"sl\":[\" \"]}", "sl") >= 1);
	assert_true(bad(&kinds, "{\"s\":\"a\",\"sl\":[\"ab\",\"ab\"]}", "sl") >= 1);
	assert_true(bad(&kinds, "{\"s\":\"a\",\"sl\":[null]}", "sl") >= 1);
	assert_int_equal(bad(&kinds, "{\"s\":\"a\",\"sl\":[\"abc\"]}", "sl"), 0);
}

static void test_ref_list_items_are_exchange_ids(void **state)
{
	(void)state;
	assert_true(bad(&kinds, "{\"s\":\"a\",\"rl\":[\"t-1\",\"t/2\"]}", "rl") >= 1);
	assert_true(bad(&kinds, "{\"s\":\"a\",\"rl\":[\"t-1\",\"t-1\"]}", "rl") >= 1);
	assert_true(bad(&kinds, "{\"s\":\"a\",\"rl\":[{\"id\":\"t-1\"}]}", "rl") >= 1);
}

static void test_required_field_absent_or_null_is_refused(void **state)
{
	(void)state;
	assert_true(bad(&kinds, "{}", "s") >= 1);
	assert_true(bad(&kinds, "{\"s\":null}", "s") >= 1);
	assert_true(bad(&type_person, "{\"household\":\"h\",\"role\":\"DEM\",\"first_name\":\"A\","
					   "\"last_name\":\"B\",\"sex\":\"F\"}", "birth_date") >= 1);
}

static void test_every_problem_is_reported_not_only_the_first(void **state)
{
	struct problems pb;

	(void)state;
	assert_int_equal(check(&kinds, "{\"d\":\"2017-02-30\",\"i\":-2,\"e\":\"x\",\"sh\":3}", &pb), 5);
	assert_int_equal(on_field(&pb, "s"), 1);
	assert_int_equal(on_field(&pb, "d"), 1);
	assert_int_equal(on_field(&pb, "i"), 1);
	assert_int_equal(on_field(&pb, "e"), 1);
	assert_int_equal(on_field(&pb, "sh"), 1);
	problems_release(&pb);
}

static void test_type_rules_run_when_fields_pass(void **state)
{
	struct problems pb;

	(void)state;
	kinds_validate_calls = 0;
	assert_int_equal(check(&kinds, "{\"s\":\"a\",\"b\":true,\"i\":13}", &pb), 1);
	assert_int_equal(on_field(&pb, "i"), 1);
	assert_int_equal(kinds_validate_calls, 1);
	problems_release(&pb);
	kinds_validate_calls = 0;
	assert_int_equal(check(&kinds, "{\"s\":\"a\",\"b\":true,\"i\":12}", &pb), 0);
	assert_int_equal(kinds_validate_calls, 1);
	problems_release(&pb);
}

static void test_problems_count_only_this_record(void **state)
{
	struct problems pb;
	json_t *rec = J("{\"s\":\"toolong\"}");

	(void)state;
	problems_init(&pb);
	problem_add(&pb, NULL, "an earlier problem");
	/* The return value counts this record's problems only, and the type's
	 * rule is judged on them, not on the earlier ones. */
	assert_int_equal(record_validate(&kinds, rec, 0, &pb, NULL), 1);
	assert_int_equal(problems_count(&pb), 2);
	json_decref(rec);
	rec = J("{\"s\":\"a\",\"b\":true,\"i\":13}");
	kinds_validate_calls = 0;
	assert_int_equal(record_validate(&kinds, rec, 0, &pb, NULL), 1);
	assert_int_equal(kinds_validate_calls, 1);
	json_decref(rec);
	problems_release(&pb);
}

static void test_start_must_not_follow_end(void **state)
{
	struct problems pb;

	(void)state;
	assert_int_equal(check(&kinds, "{\"s\":\"a\",\"start\":\"2017-05-02\",\"end\":\"2017-05-01\"}", &pb),
			 1);
	assert_int_equal(on_field(&pb, "end"), 1);
	problems_release(&pb);
	assert_true(ok(&kinds, "{\"s\":\"a\",\"start\":\"2017-05-01\",\"end\":\"2017-05-01\"}"));
	assert_true(ok(&kinds, "{\"s\":\"a\",\"start\":\"2017-05-01\"}"));
	assert_true(ok(&kinds, "{\"s\":\"a\",\"end\":\"2017-05-01\"}"));
	/* Across years: compared as days, not as text of another shape. */
	assert_true(bad(&kinds, "{\"s\":\"a\",\"start\":\"2018-01-01\",\"end\":\"2017-12-31\"}", "end") >= 1);
	assert_true(bad(&type_right_period,
			     "{\"person\":\"p\",\"start\":\"2017-06-01\",\"end\":\"2017-01-31\",\"state\":\"2\","
			     "\"subject_to_duties\":true}", "end") >= 1);
}

static void test_unknown_field_is_a_problem_when_strict(void **state)
{
	struct problems pb, warn;
	json_t *rec = J("{\"type\":\"territory\",\"id\":\"t\",\"name\":\"Lyon\",\"nmae\":\"x\"}");

	(void)state;
	problems_init(&pb);
	problems_init(&warn);
	assert_int_equal(record_validate(&type_territory, rec, 0, &pb, &warn), 1);
	assert_int_equal(on_field(&pb, "nmae"), 1);
	assert_int_equal(problems_count(&warn), 0);
	json_decref(rec);
	problems_release(&pb);
	problems_release(&warn);
}

static void test_unknown_field_is_a_warning_when_lenient(void **state)
{
	struct problems pb, warn;
	json_t *rec = J("{\"type\":\"territory\",\"id\":\"t\",\"name\":\"Lyon\",\"nmae\":\"x\"}");

	(void)state;
	problems_init(&pb);
	problems_init(&warn);
	assert_int_equal(record_validate(&type_territory, rec, 1, &pb, &warn), 0);
	assert_int_equal(problems_count(&pb), 0);
	assert_int_equal(on_field(&warn, "nmae"), 1);
	/* Lenient without a warning list: silently ignored. */
	assert_int_equal(record_validate(&type_territory, rec, 1, &pb, NULL), 0);
	assert_int_equal(problems_count(&pb), 0);
	/* Lenient does not excuse a bad known field. */
	json_object_set_new(rec, "name", json_integer(3));
	assert_int_equal(record_validate(&type_territory, rec, 1, &pb, &warn), 1);
	json_decref(rec);
	problems_release(&pb);
	problems_release(&warn);
}

static void test_lenient_ignores_unknown_start_and_end(void **state)
{
	struct problems pb, warn;
	json_t *rec;

	(void)state;
	/* A territory has no period: ignored "start" and "end" are not compared. */
	rec = J("{\"name\":\"Lyon\",\"start\":\"2017-05-02\",\"end\":\"2017-05-01\"}");
	problems_init(&pb);
	problems_init(&warn);
	assert_int_equal(record_validate(&type_territory, rec, 1, &pb, &warn), 0);
	assert_int_equal(on_field(&warn, "start"), 1);
	assert_int_equal(on_field(&warn, "end"), 1);
	json_decref(rec);
	problems_release(&pb);
	problems_release(&warn);
}

/* "a" then n times "é": a long text whose 2-byte characters start at odd
 * offsets. */
static char *long_accented(int n)
{
	char *s = malloc((size_t)n * 2 + 2);

	assert_non_null(s);
	s[0] = 'a';
	for (int i = 0; i < n; i++)
		memcpy(s + 1 + 2 * i, "\xC3\xA9", 2);
	s[1 + 2 * n] = '\0';
	return s;
}

static void test_problem_echoing_a_long_value_is_not_lost(void **state)
{
	struct problems pb;
	json_t *rec;
	char *v;

	(void)state;
	/* The reason quotes the 601-byte value: cut inside an "é", it used to
	 * be refused by json_pack() and the problem was lost. */
	v = long_accented(300);
	rec = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "household", "h", "role", "DEM", "first_name",
			"A", "last_name", "B", "birth_date", "1980-01-01", "sex", v);
	assert_non_null(rec);
	problems_init(&pb);
	assert_int_equal(record_validate(&type_person, rec, 0, &pb, NULL), 1);
	assert_int_equal(on_field(&pb, "sex"), 1);
	problems_release(&pb);
	json_decref(rec);
	free(v);
}

static void test_long_reason_is_cut_between_characters(void **state)
{
	struct problems pb;
	const char *r;
	char *v;

	(void)state;
	v = long_accented(400);
	problems_init(&pb);
	problems_at(&pb, 3, v, v);
	problem_add(&pb, v, "« %s »", v);
	assert_int_equal(problems_count(&pb), 1);
	r = first_reason(&pb);
	assert_true(utf8_valid(r, strlen(r)));
	assert_true(strlen(r) < 512);
	/* It ends with "…", after a whole "é". */
	assert_memory_equal(r + strlen(r) - 5, "\xC3\xA9\xE2\x80\xA6", 5);
	problems_release(&pb);
	free(v);
}

static void test_malformed_text_in_a_reason_is_kept_readable(void **state)
{
	struct problems pb;
	const char *r;

	(void)state;
	/* Readers other than JSON (the CAF flux) may quote bytes that are not
	 * UTF-8: the problem is kept, the bad bytes shown as '?'. */
	problems_init(&pb);
	problem_add(&pb, "x\xFF", "« a\xC3(b »");
	assert_int_equal(problems_count(&pb), 1);
	r = first_reason(&pb);
	assert_string_equal(r, "« a?(b »");
	assert_int_equal(on_field(&pb, "x?"), 1);
	problems_release(&pb);
}

/* ---- the types' own rules ----------------------------------------------- */

static const char person_base[] =
	"{\"household\":\"h-1\",\"role\":\"DEM\",\"first_name\":\"Benoît\",\"last_name\":\"Dupont\","
	"\"birth_date\":\"1985-05-12\",\"sex\":\"M\"";

/* person_base plus the extra fields text ("" or ",\"k\":v…"). */
static char *person_with(const char *extra)
{
	static char text[1024];

	snprintf(text, sizeof text, "%s%s}", person_base, extra);
	return text;
}

static void test_person_nir_key_is_checked(void **state)
{
	(void)state;
	assert_true(ok(&type_person, person_with("")));
	assert_true(ok(&type_person, person_with(",\"nir\":\"185057800604830\"")));
	assert_true(ok(&type_person, person_with(",\"nir\":\"1850578006048\"")));
	assert_true(bad(&type_person, person_with(",\"nir\":\"185057800604831\""), "nir") >= 1);
	assert_true(bad(&type_person, person_with(",\"nir\":\"18505780060483\""), "nir") >= 1);
	assert_true(bad(&type_person, person_with(",\"nir\":\"1850578006048300\""), "nir") >= 1);
	assert_true(bad(&type_person, person_with(",\"nir\":\"1 85 05 78 006\""), "nir") >= 1);
	assert_true(bad(&type_person, person_with(",\"nir\":\"9850578006048\""), "nir") >= 1);
}

static void test_person_nir_corsica_2a_2b(void **state)
{
	(void)state;
	assert_true(ok(&type_person, person_with(",\"nir\":\"285052A00604821\"")));
	assert_true(ok(&type_person, person_with(",\"nir\":\"285052B00604848\"")));
	assert_true(ok(&type_person, person_with(",\"nir\":\"285052A006048\"")));
	/* Key computed as if 2A were 20, or with 2A and 2B swapped. */
	assert_true(bad(&type_person, person_with(",\"nir\":\"285052A00604891\""), "nir") >= 1);
	assert_true(bad(&type_person, person_with(",\"nir\":\"285052B00604821\""), "nir") >= 1);
	assert_true(bad(&type_person, person_with(",\"nir\":\"285052C00604821\""), "nir") >= 1);
}

static void test_person_birth_date_not_in_future(void **state)
{
	char text[1024];

	(void)state;
	fx_today(2017, 12, 31);
	snprintf(text, sizeof text,
		 "{\"household\":\"h\",\"role\":\"ENF\",\"first_name\":\"A\",\"last_name\":\"B\","
		 "\"birth_date\":\"%s\",\"sex\":\"F\"}", "2018-01-01");
	assert_true(bad(&type_person, text, "birth_date") >= 1);
	snprintf(text, sizeof text,
		 "{\"household\":\"h\",\"role\":\"ENF\",\"first_name\":\"A\",\"last_name\":\"B\","
		 "\"birth_date\":\"%s\",\"sex\":\"F\"}", "2017-12-31");
	assert_int_equal(bad(&type_person, text, "birth_date"), 0);
}

static void test_person_france_travail_id_shape(void **state)
{
	(void)state;
	assert_true(ok(&type_person, person_with(",\"france_travail_id\":\"1234567A123\"")));
	assert_true(ok(&type_person, person_with(",\"france_travail_id\":\"12345678123\"")));
	assert_true(bad(&type_person, person_with(",\"france_travail_id\":\"1234567a123\""),
			     "france_travail_id") >= 1);
	assert_true(bad(&type_person, person_with(",\"france_travail_id\":\"123456AB123\""),
			     "france_travail_id") >= 1);
	assert_true(bad(&type_person, person_with(",\"france_travail_id\":\"1234567A12\""),
			     "france_travail_id") >= 1);
}

static void test_person_closed_lists(void **state)
{
	(void)state;
	assert_true(bad(&type_person, "{\"household\":\"h\",\"role\":\"XXX\",\"first_name\":\"A\","
					   "\"last_name\":\"B\",\"birth_date\":\"1990-01-01\",\"sex\":\"X\","
					   "\"title\":\"DR\"}", "role") >= 1);
	assert_true(bad(&type_person, person_with(",\"title\":\"DR\""), "title") >= 1);
	assert_int_equal(bad(&type_person, person_with(",\"title\":\"MR\""), "title"), 0);
	assert_true(bad(&type_person, "{\"household\":\"h\",\"role\":\"CJT\",\"first_name\":\"A\","
					   "\"last_name\":\"B\",\"birth_date\":\"1990-01-01\",\"sex\":\"f\"}",
			     "sex") >= 1);
}

static void test_organisation_siret_luhn(void **state)
{
	(void)state;
	assert_true(ok(&type_organisation,
		       "{\"name\":\"ACI\",\"kind\":\"siae_aci\",\"siret\":\"73282932000074\"}"));
	assert_true(bad(&type_organisation,
			     "{\"name\":\"ACI\",\"kind\":\"siae_aci\",\"siret\":\"73282932000075\"}", "siret") >= 1);
	assert_true(bad(&type_organisation,
			     "{\"name\":\"ACI\",\"kind\":\"siae_aci\",\"siret\":\"7328293200007\"}", "siret") >= 1);
	assert_true(bad(&type_organisation,
			     "{\"name\":\"ACI\",\"kind\":\"siae_aci\",\"siret\":\"7328293200007A\"}", "siret") >= 1);
	assert_true(bad(&type_organisation, "{\"name\":\"X\",\"kind\":\"company\"}", "kind") >= 1);
}

static const char user_base[] =
	"\"first_name\":\"Ada\",\"last_name\":\"Lovelace\",\"organisation\":\"o-1\"";

static char *user_with(const char *email, const char *roles, const char *extra)
{
	static char text[1024];

	snprintf(text, sizeof text, "{%s,\"email\":\"%s\",\"roles\":%s%s}", user_base, email, roles,
		 extra);
	return text;
}

static void test_user_email_shape(void **state)
{
	(void)state;
	assert_true(ok(&type_user, user_with("ada.lovelace@example.fr", "[\"admin\"]", "")));
	assert_true(bad(&type_user, user_with("ada.lovelace", "[\"admin\"]", ""), "email") >= 1);
	assert_true(bad(&type_user, user_with("@example.fr", "[\"admin\"]", ""), "email") >= 1);
	assert_true(bad(&type_user, user_with("ada@example", "[\"admin\"]", ""), "email") >= 1);
	assert_true(bad(&type_user, user_with("ada lovelace@example.fr", "[\"admin\"]", ""),
			     "email") >= 1);
	assert_true(bad(&type_user, user_with("", "[\"admin\"]", ""), "email") >= 1);
}

static void test_user_email_has_one_at_sign(void **state)
{
	(void)state;
	/* The sign-in identifier: exactly one '@', a name on each side. */
	assert_true(bad(&type_user, user_with("ada@lovelace@example.fr", "[\"admin\"]", ""), "email") >= 1);
	assert_true(bad(&type_user, user_with("ada@example.fr@", "[\"admin\"]", ""), "email") >= 1);
}

static void test_user_roles_known_unique_and_not_empty(void **state)
{
	(void)state;
	assert_true(ok(&type_user, user_with("a@b.fr", "[\"referent\",\"orientation_officer\","
					     "\"instance_secretary\",\"programme_manager\",\"clee\","
					     "\"clause_facilitator\",\"faj_officer\",\"analyst\",\"admin\"]",
					     "")));
	assert_true(bad(&type_user, user_with("a@b.fr", "[]", ""), "roles") >= 1);
	assert_true(bad(&type_user, user_with("a@b.fr", "[\"superuser\"]", ""), "roles") >= 1);
	assert_true(bad(&type_user, user_with("a@b.fr", "[\"admin\",\"admin\"]", ""), "roles") >= 1);
	assert_true(bad(&type_user, user_with("a@b.fr", "\"admin\"", ""), "roles") >= 1);
}

static void test_user_disabled_not_before_created(void **state)
{
	(void)state;
	assert_true(bad(&type_user, user_with("a@b.fr", "[\"admin\"]",
						   ",\"created_on\":\"2017-03-01\",\"disabled_on\":\"2017-02-28\""),
			     "disabled_on") >= 1);
	assert_true(ok(&type_user, user_with("a@b.fr", "[\"admin\"]",
					     ",\"created_on\":\"2017-03-01\",\"disabled_on\":\"2017-03-01\"")));
	assert_true(ok(&type_user, user_with("a@b.fr", "[\"admin\"]", ",\"disabled_on\":\"2017-03-01\"")));
}

static void test_user_health_accredited_is_boolean(void **state)
{
	(void)state;
	assert_true(ok(&type_user, user_with("a@b.fr", "[\"referent\"]", ",\"health_accredited\":true")));
	assert_true(bad(&type_user, user_with("a@b.fr", "[\"referent\"]", ",\"health_accredited\":\"oui\""),
			     "health_accredited") >= 1);
}

static void test_territory_communes_are_insee_codes(void **state)
{
	(void)state;
	assert_true(ok(&type_territory, "{\"name\":\"Lyon\",\"communes\":[\"69381\",\"69389\",\"69123\"]}"));
	assert_true(ok(&type_territory, "{\"name\":\"Corse\",\"communes\":[\"2A004\",\"2B033\"]}"));
	assert_true(bad(&type_territory, "{\"name\":\"L\",\"communes\":[\"6938\"]}", "communes") >= 1);
	assert_true(bad(&type_territory, "{\"name\":\"L\",\"communes\":[\"693810\"]}", "communes") >= 1);
	assert_true(bad(&type_territory, "{\"name\":\"L\",\"communes\":[\"ABCDE\"]}", "communes") >= 1);
	assert_true(bad(&type_territory, "{\"name\":\"L\",\"communes\":[\"3A004\"]}", "communes") >= 1);
	assert_true(bad(&type_territory, "{\"name\":\"L\",\"communes\":[\"69381\",\"69381\"]}",
			     "communes") >= 1);
	assert_true(bad(&type_territory, "{\"communes\":[]}", "name") >= 1);
}

static void test_household_caf_number_and_commune(void **state)
{
	(void)state;
	assert_true(ok(&type_household, "{\"caf_number\":\"1234567\",\"paying_body\":\"CAF\","
					"\"commune\":\"69381\",\"rsa_request_date\":\"2016-04-01\"}"));
	assert_true(ok(&type_household, "{}"));
	assert_true(bad(&type_household, "{\"caf_number\":\"12A4567\"}", "caf_number") >= 1);
	assert_true(bad(&type_household, "{\"caf_number\":\"1234567890123456\"}", "caf_number") >= 1);
	assert_true(bad(&type_household, "{\"commune\":\"6938\"}", "commune") >= 1);
	assert_true(bad(&type_household, "{\"paying_body\":\"POLE\"}", "paying_body") >= 1);
}

static void test_one_message_per_field(void **state)
{
	struct problems pb;

	(void)state;
	/* A NIR or CAF number that is too long breaks both the length of the
	 * field and the type's rule: only the field's own message is kept. */
	assert_int_equal(check(&type_person, person_with(",\"nir\":\"1850578006048300\""), &pb), 1);
	assert_non_null(strstr(first_reason(&pb), "trop long"));
	problems_release(&pb);
	assert_int_equal(check(&type_household, "{\"caf_number\":\"1234567890123456\"}", &pb), 1);
	assert_non_null(strstr(first_reason(&pb), "trop long"));
	problems_release(&pb);
	/* The rule still speaks when the field passed its own check, and for
	 * other fields. */
	assert_int_equal(check(&type_person, person_with(",\"nir\":\"185057800604831\","
							 "\"france_travail_id\":\"123\""), &pb), 2);
	assert_int_equal(on_field(&pb, "nir"), 1);
	assert_int_equal(on_field(&pb, "france_travail_id"), 1);
	problems_release(&pb);
}

static void test_right_period_state_and_duties(void **state)
{
	(void)state;
	assert_true(ok(&type_right_period, "{\"person\":\"p\",\"start\":\"2017-01-01\",\"state\":\"2\","
					   "\"subject_to_duties\":false}"));
	assert_true(bad(&type_right_period, "{\"person\":\"p\",\"start\":\"2017-01-01\",\"state\":\"7\","
						 "\"subject_to_duties\":true}", "state") >= 1);
	assert_true(bad(&type_right_period, "{\"person\":\"p\",\"start\":\"2017-01-01\",\"state\":2,"
						 "\"subject_to_duties\":true}", "state") >= 1);
	assert_true(bad(&type_right_period, "{\"person\":\"p\",\"start\":\"2017-01-01\",\"state\":\"2\"}",
			     "subject_to_duties") >= 1);
}

static void test_sign_in_needs_datetime(void **state)
{
	(void)state;
	assert_true(ok(&type_sign_in, "{\"user\":\"u\",\"at\":\"2017-03-02T09:30:00+01:00\"}"));
	assert_true(bad(&type_sign_in, "{\"user\":\"u\",\"at\":\"2017-03-02\"}", "at") >= 1);
}

static void test_schema_lookup(void **state)
{
	size_t n = 0;

	(void)state;
	assert_ptr_equal(schema_type("person"), &type_person);
	assert_ptr_equal(schema_type("user"), &type_user);
	assert_null(schema_type("persons"));
	assert_null(schema_type(""));
	assert_ptr_equal(schema_field(&type_person, "nir"), &type_person.fields[8]);
	assert_null(schema_field(&type_person, "search_key"));
	assert_true(schema_enum_has(organisation_kinds, "ccas"));
	assert_false(schema_enum_has(organisation_kinds, "CCAS"));
	assert_false(schema_enum_has(NULL, "x"));
	while (schema_types[n])
		n++;
	assert_true(n >= 7);
	/* The foundation's types come in the order of exchange-format.md (the
	 * export order), whatever later families add. */
	{
		const struct type_def *const order[] = { &type_territory, &type_organisation, &type_user,
			&type_sign_in, &type_household, &type_person, &type_right_period };
		int last = -1;
		for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
			int at = -1;
			for (size_t j = 0; j < n; j++)
				if (schema_types[j] == order[i])
					at = (int)j;
			assert_true(at > last);
			last = at;
		}
		assert_ptr_equal(schema_types[0], &type_territory);
	}
}

/* ---- storage on a temporary database ------------------------------------ */

struct fixture {
	struct fx_db tmp;
	struct record_writer *w;
};

static int db_setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);

	if (!fx || fx_db_create(&fx->tmp, "record")) {
		free(fx);
		return -1;
	}
	fx->w = record_writer_new(fx->tmp.db);
	fx_today(2017, 12, 31);
	*state = fx;
	return 0;
}

static int db_teardown(void **state)
{
	struct fixture *fx = *state;

	record_writer_free(fx->w);
	fx_db_remove(&fx->tmp);
	free(fx);
	return 0;
}

/* Writes the record text (with its "type" and "id") in its own transaction. */
static void put(struct fixture *fx, const char *text)
{
	fx_put(fx->tmp.db, fx->w, text);
}

static void assert_loads_as(struct fixture *fx, const struct type_def *t, const char *id,
			    const char *want_text)
{
	json_t *want = J(want_text), *got = record_load(fx->tmp.db, t, id, NULL);

	if (!got || !json_equal(got, want)) {
		char *s = got ? json_dumps(got, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
		fail_msg("record_load(%s %s) = %s\n  want %s", t->name, id, s ? s : "NULL", want_text);
	}
	json_decref(got);
	json_decref(want);
}

static const char *const sample[] = {
	"{\"type\":\"territory\",\"id\":\"t-1\",\"name\":\"Lyon 1er\",\"communes\":[\"69381\",\"69382\"]}",
	"{\"type\":\"organisation\",\"id\":\"o-1\",\"name\":\"Maison de la Métropole\","
	"\"kind\":\"maison_metropole\",\"territory\":\"t-1\",\"siret\":\"73282932000074\"}",
	"{\"type\":\"user\",\"id\":\"u-1\",\"email\":\"ada@example.fr\",\"first_name\":\"Ada\","
	"\"last_name\":\"Lovelace\",\"organisation\":\"o-1\",\"roles\":[\"referent\",\"admin\"],"
	"\"health_accredited\":true,\"created_on\":\"2016-01-04\",\"disabled_on\":\"2018-01-01\","
	"\"function\":\"Conseillère\"}",
	"{\"type\":\"sign_in\",\"id\":\"s-1\",\"user\":\"u-1\",\"at\":\"2017-03-02T09:30:00+01:00\"}",
	"{\"type\":\"household\",\"id\":\"h-1\",\"caf_number\":\"1234567\",\"paying_body\":\"CAF\","
	"\"rsa_request_number\":\"R-2016-1\",\"rsa_request_date\":\"2016-04-01\",\"commune\":\"69381\","
	"\"territory\":\"t-1\",\"family_situation\":\"CEL\"}",
	"{\"type\":\"person\",\"id\":\"p-1\",\"household\":\"h-1\",\"role\":\"DEM\",\"first_name\":\"Benoît\","
	"\"last_name\":\"Dupont\",\"birth_name\":\"Lefèvre\",\"birth_date\":\"1985-05-12\",\"sex\":\"M\","
	"\"title\":\"MR\",\"nir\":\"185057800604830\",\"france_travail_id\":\"1234567A123\","
	"\"phone\":\"04 72 00 00 00\",\"email\":\"b.dupont@example.fr\",\"address\":\"1 rue de la Ré, Lyon\"}",
	"{\"type\":\"right_period\",\"id\":\"r-1\",\"person\":\"p-1\",\"start\":\"2016-05-01\","
	"\"end\":\"2017-06-30\",\"state\":\"2\",\"subject_to_duties\":false}",
	NULL,
};

static void put_sample(struct fixture *fx)
{
	for (const char *const *s = sample; *s; s++)
		put(fx, *s);
}

static void test_write_then_load_gives_back_every_type(void **state)
{
	struct fixture *fx = *state;

	put_sample(fx);
	for (const char *const *s = sample; *s; s++) {
		json_t *rec = J(*s);
		const char *type = json_string_value(json_object_get(rec, "type"));
		assert_loads_as(fx, schema_type(type), json_string_value(json_object_get(rec, "id")), *s);
		json_decref(rec);
	}
}

static void test_load_of_unknown_id_is_null(void **state)
{
	struct fixture *fx = *state;
	long version = 42;

	assert_null(record_load(fx->tmp.db, &type_person, "nobody", &version));
	assert_int_equal(version, 42);
}

static void test_write_replaces_whole_record_and_bumps_version(void **state)
{
	struct fixture *fx = *state;
	long version = 0;
	json_t *rec;

	put_sample(fx);
	rec = record_load(fx->tmp.db, &type_person, "p-1", &version);
	assert_non_null(rec);
	assert_int_equal(version, 1);
	json_decref(rec);
	/* Fields left out become absent. */
	put(fx, "{\"type\":\"person\",\"id\":\"p-1\",\"household\":\"h-1\",\"role\":\"CJT\","
		"\"first_name\":\"Benoît\",\"last_name\":\"Dupont\",\"birth_date\":\"1985-05-12\",\"sex\":\"M\"}");
	assert_loads_as(fx, &type_person, "p-1",
			"{\"type\":\"person\",\"id\":\"p-1\",\"household\":\"h-1\",\"role\":\"CJT\","
			"\"first_name\":\"Benoît\",\"last_name\":\"Dupont\",\"birth_date\":\"1985-05-12\","
			"\"sex\":\"M\"}");
	rec = record_load(fx->tmp.db, &type_person, "p-1", &version);
	assert_int_equal(version, 2);
	json_decref(rec);
}

static void test_default_false_boolean_is_left_out(void **state)
{
	struct fixture *fx = *state;
	int64_t stored = -1;

	put(fx, sample[0]);
	put(fx, sample[1]);
	put(fx, "{\"type\":\"user\",\"id\":\"u-2\",\"email\":\"b@example.fr\",\"first_name\":\"B\","
		"\"last_name\":\"C\",\"organisation\":\"o-1\",\"roles\":[\"analyst\"],\"health_accredited\":false}");
	assert_loads_as(fx, &type_user, "u-2",
			"{\"type\":\"user\",\"id\":\"u-2\",\"email\":\"b@example.fr\",\"first_name\":\"B\","
			"\"last_name\":\"C\",\"organisation\":\"o-1\",\"roles\":[\"analyst\"]}");
	/* Absent is stored as false (the column is NOT NULL). */
	put(fx, "{\"type\":\"user\",\"id\":\"u-3\",\"email\":\"c@example.fr\",\"first_name\":\"B\","
		"\"last_name\":\"C\",\"organisation\":\"o-1\",\"roles\":[\"analyst\"]}");
	assert_int_equal(db_query_int(fx->tmp.db, &stored, "SELECT health_accredited FROM account WHERE id = ?",
				      "s", "u-3"), 0);
	assert_int_equal(stored, 0);
}

static void test_required_boolean_false_is_kept(void **state)
{
	struct fixture *fx = *state;

	put_sample(fx);
	assert_loads_as(fx, &type_right_period, "r-1", sample[6]);
}

static void test_from_row_reads_select_sql_rows(void **state)
{
	struct fixture *fx = *state;
	struct db_stmt *st;
	char sql[512];
	int n = 0;

	put_sample(fx);
	put(fx, "{\"type\":\"household\",\"id\":\"h-0\"}");
	snprintf(sql, sizeof sql, "%s ORDER BY id", record_select_sql(&type_household));
	assert_non_null(strstr(sql, "FROM household"));
	assert_int_equal(db_prepare(fx->tmp.db, &st, sql), 0);
	while (db_step(st) == DB_ROW) {
		json_t *rec = record_from_row(&type_household, st);
		json_t *want = J(n == 0 ? "{\"type\":\"household\",\"id\":\"h-0\"}" : sample[4]);
		assert_true(json_equal(rec, want));
		json_decref(rec);
		json_decref(want);
		n++;
	}
	db_finalize(st);
	assert_int_equal(n, 2);
}

static void test_search_key_is_derived_on_write(void **state)
{
	struct fixture *fx = *state;
	struct db_stmt *st;
	char *want = text_fold("Dupont Benoît Lefèvre");

	put_sample(fx);
	assert_int_equal(db_prepare(fx->tmp.db, &st, "SELECT search_key FROM person WHERE id = 'p-1'"), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), want);
	assert_string_equal(db_col_text(st, 0), "dupont benoit lefevre");
	db_finalize(st);
	free(want);
	assert_int_equal(db_prepare(fx->tmp.db, &st, "SELECT search_key FROM organisation WHERE id = 'o-1'"), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "maison de la metropole");
	db_finalize(st);
}

static void test_territory_communes_are_mirrored(void **state)
{
	struct fixture *fx = *state;
	int64_t n = -1;

	put(fx, sample[0]);
	assert_int_equal(db_query_int(fx->tmp.db, &n, "SELECT COUNT(*) FROM territory_commune "
						  "WHERE territory = 't-1' AND commune IN ('69381','69382')", ""), 0);
	assert_int_equal(n, 2);
	put(fx, "{\"type\":\"territory\",\"id\":\"t-1\",\"name\":\"Lyon 1er\",\"communes\":[\"69383\"]}");
	assert_int_equal(db_query_int(fx->tmp.db, &n, "SELECT COUNT(*) FROM territory_commune", ""), 0);
	assert_int_equal(n, 1);
	put(fx, "{\"type\":\"territory\",\"id\":\"t-1\",\"name\":\"Lyon 1er\"}");
	assert_int_equal(db_query_int(fx->tmp.db, &n, "SELECT COUNT(*) FROM territory_commune", ""), 0);
	assert_int_equal(n, 0);
}

static void test_delete_removes_record(void **state)
{
	struct fixture *fx = *state;
	int64_t n = -1;

	put(fx, sample[0]);
	assert_int_equal(db_begin(fx->tmp.db), 0);
	assert_int_equal(record_delete(fx->w, &type_territory, "t-1"), 0);
	assert_int_equal(db_commit(fx->tmp.db), 0);
	assert_null(record_load(fx->tmp.db, &type_territory, "t-1", NULL));
	assert_int_equal(db_query_int(fx->tmp.db, &n, "SELECT COUNT(*) FROM territory_commune", ""), 0);
	assert_int_equal(n, 0);
}

struct dangling_seen {
	int calls;
	char id[80], field[80], target[80];
};

static void on_dangling(const char *id, const char *field, const char *target, void *ud)
{
	struct dangling_seen *d = ud;

	d->calls++;
	snprintf(d->id, sizeof d->id, "%s", id);
	snprintf(d->field, sizeof d->field, "%s", field);
	snprintf(d->target, sizeof d->target, "%s", target);
}

static void write_in_tx(struct fixture *fx, const char *text)
{
	json_t *rec = J(text);
	const struct type_def *t = schema_type(json_string_value(json_object_get(rec, "type")));

	assert_int_equal(record_write(fx->w, t, json_string_value(json_object_get(rec, "id")), rec), 0);
	json_decref(rec);
}

static void test_dangling_reports_missing_target(void **state)
{
	struct fixture *fx = *state;
	struct dangling_seen d = { 0 };

	put_sample(fx);
	/* References are checked before commit (the foreign keys are deferred):
	 * inside the transaction a person may name a household not yet there. */
	assert_int_equal(db_begin(fx->tmp.db), 0);
	write_in_tx(fx, "{\"type\":\"person\",\"id\":\"p-2\",\"household\":\"h-missing\",\"role\":\"DEM\","
			"\"first_name\":\"A\",\"last_name\":\"B\",\"birth_date\":\"1990-01-01\",\"sex\":\"F\"}");
	assert_int_equal(record_dangling(fx->tmp.db, &type_person, NULL, on_dangling, &d), 0);
	assert_int_equal(d.calls, 1);
	assert_string_equal(d.id, "p-2");
	assert_string_equal(d.field, "household");
	assert_string_equal(d.target, "h-missing");
	/* only_id narrows to one record. */
	memset(&d, 0, sizeof d);
	assert_int_equal(record_dangling(fx->tmp.db, &type_person, "p-1", on_dangling, &d), 0);
	assert_int_equal(d.calls, 0);
	assert_int_equal(record_dangling(fx->tmp.db, &type_person, "p-2", on_dangling, &d), 0);
	assert_int_equal(d.calls, 1);
	/* The same rule, as problems. */
	{
		struct problems pb;
		problems_init(&pb);
		assert_int_equal(record_check_one(fx->tmp.db, &type_person, "p-2", &pb), 0);
		assert_int_equal(on_field(&pb, "household"), 1);
		problems_release(&pb);
	}
	/* And the database itself refuses to commit it. */
	assert_int_equal(db_commit(fx->tmp.db), -1);
	assert_int_equal(db_rollback(fx->tmp.db), 0);
	assert_null(record_load(fx->tmp.db, &type_person, "p-2", NULL));
}

static void test_dangling_silent_when_targets_exist(void **state)
{
	struct fixture *fx = *state;
	struct dangling_seen d = { 0 };

	put_sample(fx);
	for (const struct type_def *const *t = schema_types; *t; t++)
		assert_int_equal(record_dangling(fx->tmp.db, *t, NULL, on_dangling, &d), 0);
	assert_int_equal(d.calls, 0);
}

static void test_dangling_after_delete_of_target(void **state)
{
	struct fixture *fx = *state;
	struct dangling_seen d = { 0 };

	put_sample(fx);
	assert_int_equal(db_begin(fx->tmp.db), 0);
	assert_int_equal(record_delete(fx->w, &type_territory, "t-1"), 0);
	assert_int_equal(record_dangling(fx->tmp.db, &type_household, NULL, on_dangling, &d), 0);
	assert_int_equal(d.calls, 1);
	assert_string_equal(d.id, "h-1");
	assert_string_equal(d.field, "territory");
	assert_string_equal(d.target, "t-1");
	assert_int_equal(db_rollback(fx->tmp.db), 0);
}

static void test_check_one_finds_overlapping_right_periods(void **state)
{
	struct fixture *fx = *state;
	struct problems pb;

	put_sample(fx);
	/* r-1 runs 2016-05-01 .. 2017-06-30; r-2 starts on its last day. */
	put(fx, "{\"type\":\"right_period\",\"id\":\"r-2\",\"person\":\"p-1\",\"start\":\"2017-06-30\","
		"\"state\":\"2\",\"subject_to_duties\":true}");
	problems_init(&pb);
	assert_int_equal(record_check_one(fx->tmp.db, &type_right_period, "r-2", &pb), 0);
	assert_int_equal(on_field(&pb, "start"), 1);
	problems_release(&pb);
	/* Starting the next day does not overlap. */
	put(fx, "{\"type\":\"right_period\",\"id\":\"r-2\",\"person\":\"p-1\",\"start\":\"2017-07-01\","
		"\"state\":\"2\",\"subject_to_duties\":true}");
	problems_init(&pb);
	assert_int_equal(record_check_one(fx->tmp.db, &type_right_period, "r-2", &pb), 0);
	assert_int_equal(problems_count(&pb), 0);
	problems_release(&pb);
	/* An open period that starts earlier overlaps every later one. */
	put(fx, "{\"type\":\"right_period\",\"id\":\"r-0\",\"person\":\"p-1\",\"start\":\"2015-01-01\","
		"\"state\":\"1\",\"subject_to_duties\":false}");
	problems_init(&pb);
	assert_int_equal(record_check_one(fx->tmp.db, &type_right_period, "r-0", &pb), 0);
	assert_int_equal(on_field(&pb, "start"), 2);
	problems_release(&pb);
}

static void test_check_one_finds_email_used_twice_ignoring_case(void **state)
{
	struct fixture *fx = *state;
	struct problems pb;

	put_sample(fx);
	put(fx, "{\"type\":\"user\",\"id\":\"u-2\",\"email\":\"ADA@Example.fr\",\"first_name\":\"A\","
		"\"last_name\":\"L\",\"organisation\":\"o-1\",\"roles\":[\"referent\"]}");
	problems_init(&pb);
	assert_int_equal(record_check_one(fx->tmp.db, &type_user, "u-2", &pb), 0);
	assert_int_equal(on_field(&pb, "email"), 1);
	assert_non_null(strstr(first_reason(&pb), "u-1"));
	problems_release(&pb);
}

static void test_check_one_reports_only_that_record(void **state)
{
	struct fixture *fx = *state;
	struct problems pb;

	put_sample(fx);
	/* Two pairs of overlapping periods of p-1 (r-1/r-2, r-3/r-4) and a
	 * reference to a missing person on r-3. */
	assert_int_equal(db_begin(fx->tmp.db), 0);
	write_in_tx(fx, "{\"type\":\"right_period\",\"id\":\"r-2\",\"person\":\"p-1\","
			"\"start\":\"2017-06-30\",\"end\":\"2017-07-31\",\"state\":\"2\","
			"\"subject_to_duties\":true}");
	write_in_tx(fx, "{\"type\":\"right_period\",\"id\":\"r-3\",\"person\":\"p-404\","
			"\"start\":\"2018-01-01\",\"state\":\"2\",\"subject_to_duties\":true}");
	write_in_tx(fx, "{\"type\":\"right_period\",\"id\":\"r-4\",\"person\":\"p-404\","
			"\"start\":\"2018-02-01\",\"state\":\"2\",\"subject_to_duties\":true}");
	problems_init(&pb);
	assert_int_equal(record_check_one(fx->tmp.db, &type_right_period, "r-3", &pb), 0);
	assert_int_equal(on_field(&pb, "person"), 1);
	assert_int_equal(on_field(&pb, "start"), 1);
	assert_non_null(strstr(first_reason(&pb), "p-404"));
	assert_int_equal(problems_count(&pb), 2);
	problems_release(&pb);
	problems_init(&pb);
	assert_int_equal(record_check_one(fx->tmp.db, &type_right_period, "r-2", &pb), 0);
	assert_int_equal(problems_count(&pb), 1);
	assert_non_null(strstr(first_reason(&pb), "r-1"));
	problems_release(&pb);
	/* An id that is not there has no problem. */
	problems_init(&pb);
	assert_int_equal(record_check_one(fx->tmp.db, &type_right_period, "r-9", &pb), 0);
	assert_int_equal(problems_count(&pb), 0);
	problems_release(&pb);
	assert_int_equal(db_rollback(fx->tmp.db), 0);
}

/* Seconds of the monotonic clock. */
static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_check_one_is_a_lookup_not_a_scan(void **state)
{
	struct fixture *fx = *state;
	enum { N = 20000, ASKED = 2000 };
	struct problems pb;
	double t0;

	put_sample(fx);
	/* N people with one period each; asking about ASKED of them must not
	 * read the N periods each time (ASKED × N = 40 million rows, seconds;
	 * by id, a few milliseconds). */
	assert_int_equal(db_begin(fx->tmp.db), 0);
	for (int i = 0; i < N; i++) {
		char id[32];
		snprintf(id, sizeof id, "q-%d", i);
		assert_int_equal(db_execf(fx->tmp.db, "INSERT INTO person (id, household, role, first_name, "
					 "last_name, birth_date, sex) VALUES (?, 'h-1', 'DEM', 'A', 'B', "
					 "'1980-01-01', 'F')", "s", id), 0);
		assert_int_equal(db_execf(fx->tmp.db, "INSERT INTO right_period (id, person, start_date, state, "
					 "subject_to_duties) VALUES (?, ?, '2017-01-01', '2', 1)", "ss",
					 id + 2, id), 0);
	}
	problems_init(&pb);
	t0 = now_seconds();
	for (int i = 0; i < ASKED; i++) {
		char id[32];
		snprintf(id, sizeof id, "%d", i * (N / ASKED));
		assert_int_equal(record_check_one(fx->tmp.db, &type_right_period, id, &pb), 0);
	}
	assert_true(now_seconds() - t0 < 1.0);
	assert_int_equal(problems_count(&pb), 0);
	problems_release(&pb);
	assert_int_equal(db_rollback(fx->tmp.db), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_kind_accepts_its_values),
		cmocka_unit_test(test_string_kind_length_utf8_and_blank),
		cmocka_unit_test(test_date_kind_needs_real_day),
		cmocka_unit_test(test_datetime_kind_needs_offset),
		cmocka_unit_test(test_bool_kind_refuses_other_json),
		cmocka_unit_test(test_int_kind_refuses_fractions_and_negatives),
		cmocka_unit_test(test_amount_kind_allows_cents_only),
		cmocka_unit_test(test_decimal_kind_refuses_negatives),
		cmocka_unit_test(test_share_kind_is_between_0_and_1),
		cmocka_unit_test(test_enum_kind_is_a_closed_list),
		cmocka_unit_test(test_ref_kind_needs_exchange_id),
		cmocka_unit_test(test_enum_list_items_known_and_unique),
		cmocka_unit_test(test_string_list_items_bounded_and_not_blank),
		cmocka_unit_test(test_ref_list_items_are_exchange_ids),
		cmocka_unit_test(test_required_field_absent_or_null_is_refused),
		cmocka_unit_test(test_every_problem_is_reported_not_only_the_first),
		cmocka_unit_test(test_type_rules_run_when_fields_pass),
		cmocka_unit_test(test_problems_count_only_this_record),
		cmocka_unit_test(test_start_must_not_follow_end),
		cmocka_unit_test(test_unknown_field_is_a_problem_when_strict),
		cmocka_unit_test(test_unknown_field_is_a_warning_when_lenient),
		cmocka_unit_test(test_lenient_ignores_unknown_start_and_end),
		cmocka_unit_test(test_problem_echoing_a_long_value_is_not_lost),
		cmocka_unit_test(test_long_reason_is_cut_between_characters),
		cmocka_unit_test(test_malformed_text_in_a_reason_is_kept_readable),
		cmocka_unit_test(test_person_nir_key_is_checked),
		cmocka_unit_test(test_person_nir_corsica_2a_2b),
		cmocka_unit_test(test_person_birth_date_not_in_future),
		cmocka_unit_test(test_person_france_travail_id_shape),
		cmocka_unit_test(test_person_closed_lists),
		cmocka_unit_test(test_organisation_siret_luhn),
		cmocka_unit_test(test_user_email_shape),
		cmocka_unit_test(test_user_email_has_one_at_sign),
		cmocka_unit_test(test_user_roles_known_unique_and_not_empty),
		cmocka_unit_test(test_user_disabled_not_before_created),
		cmocka_unit_test(test_user_health_accredited_is_boolean),
		cmocka_unit_test(test_territory_communes_are_insee_codes),
		cmocka_unit_test(test_household_caf_number_and_commune),
		cmocka_unit_test(test_one_message_per_field),
		cmocka_unit_test(test_right_period_state_and_duties),
		cmocka_unit_test(test_sign_in_needs_datetime),
		cmocka_unit_test(test_schema_lookup),
		cmocka_unit_test_setup_teardown(test_write_then_load_gives_back_every_type, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_load_of_unknown_id_is_null, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_write_replaces_whole_record_and_bumps_version, db_setup,
						db_teardown),
		cmocka_unit_test_setup_teardown(test_default_false_boolean_is_left_out, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_required_boolean_false_is_kept, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_from_row_reads_select_sql_rows, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_search_key_is_derived_on_write, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_territory_communes_are_mirrored, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_delete_removes_record, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_dangling_reports_missing_target, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_dangling_silent_when_targets_exist, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_dangling_after_delete_of_target, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_check_one_finds_overlapping_right_periods, db_setup,
						db_teardown),
		cmocka_unit_test_setup_teardown(test_check_one_finds_email_used_twice_ignoring_case, db_setup,
						db_teardown),
		cmocka_unit_test_setup_teardown(test_check_one_reports_only_that_record, db_setup,
						db_teardown),
		cmocka_unit_test_setup_teardown(test_check_one_is_a_lookup_not_a_scan, db_setup,
						db_teardown),
	};

	if (password_init())
		return 1;
	return cmocka_run_group_tests_name("record", tests, NULL, NULL);
}
