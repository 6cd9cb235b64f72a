/*
 * Unit tests for src/model/audit.c: the append-only, hash-chained audit
 * log. Tampering is simulated by dropping the triggers that guard the
 * table in the test database, as someone with the database file could.
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

#include "base/date.h"
#include "db/db.h"
#include "fixture.h"
#include "model/audit.h"
#include "model/password.h"

/* Appends five entries of various shapes. */
static void append_five(struct fx_db *fx)
{
	assert_int_equal(audit_append(fx->db, "u-1", "192.0.2.1", "person.read", "person", "p-1", NULL), 0);
	assert_int_equal(audit_append(fx->db, "u-1", "192.0.2.1", "person.update", "person", "p-1",
				      "{\"fields\":[\"phone\"]}"), 0);
	assert_int_equal(audit_append(fx->db, "cli:root", "cli", "import", NULL, NULL,
				      "{\"file\":\"x.jsonl\",\"lines\":3}"), 0);
	assert_int_equal(audit_append(fx->db, "u-2", "2001:db8::1", "person.denied", "person", "p-2", ""), 0);
	assert_int_equal(audit_append(fx->db, "u-1", "192.0.2.1", "person.read", "person", "p-2", NULL), 0);
}

static void drop_guards(struct fx_db *fx)
{
	assert_int_equal(db_exec(fx->db, "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;"), 0);
}

/* Runs audit_verify; returns its result with the bad entry and reason. */
static int verify(struct fx_db *fx, long long *bad, char *why, size_t size)
{
	*bad = 0;
	why[0] = '\0';
	return audit_verify(fx->db, bad, why, size);
}

static void test_empty_log_is_intact(void **state)
{
	struct fx_db *fx = *state;
	long long bad;
	char why[200];

	assert_int_equal(verify(fx, &bad, why, sizeof why), 0);
}

static void test_appended_entries_are_numbered_and_chained(void **state)
{
	struct fx_db *fx = *state;
	struct db_stmt *st;
	char prev[65] = "0000000000000000000000000000000000000000000000000000000000000000";
	long long seq = 0;

	append_five(fx);
	assert_int_equal(db_prepare(fx->db, &st, "SELECT seq, prev_hash, hash FROM audit ORDER BY seq"), 0);
	while (db_step(st) == DB_ROW) {
		assert_int_equal(db_col_int(st, 0), ++seq);
		assert_string_equal(db_col_text(st, 1), prev);
		assert_int_equal(strlen(db_col_text(st, 2)), 64);
		assert_string_not_equal(db_col_text(st, 2), prev);
		snprintf(prev, sizeof prev, "%s", db_col_text(st, 2));
	}
	db_finalize(st);
	assert_int_equal(seq, 5);
}

static void test_intact_log_verifies(void **state)
{
	struct fx_db *fx = *state;
	long long bad;
	char why[200];

	append_five(fx);
	assert_int_equal(verify(fx, &bad, why, sizeof why), 0);
}

static void test_entries_are_stamped_with_offset(void **state)
{
	struct fx_db *fx = *state;
	struct db_stmt *st;

	append_five(fx);
	assert_int_equal(db_prepare(fx->db, &st, "SELECT at FROM audit ORDER BY seq"), 0);
	while (db_step(st) == DB_ROW)
		/* RFC 3339 with its offset: "2026-01-02T03:04:05+01:00" or "…Z". */
		assert_true(datetime_valid(db_col_text(st, 0)));
	db_finalize(st);
}

static void test_log_refuses_update_and_delete(void **state)
{
	struct fx_db *fx = *state;
	long long bad;
	char why[200];

	append_five(fx);
	assert_int_equal(db_execf(fx->db, "UPDATE audit SET actor = 'x' WHERE seq = 2", ""), -1);
	assert_int_equal(db_execf(fx->db, "DELETE FROM audit WHERE seq = 5", ""), -1);
	assert_int_equal(db_execf(fx->db, "DELETE FROM audit", ""), -1);
	assert_int_equal(verify(fx, &bad, why, sizeof why), 0);
}

static void test_altered_field_is_found(void **state)
{
	struct fx_db *fx = *state;
	long long bad;
	char why[200];

	append_five(fx);
	drop_guards(fx);
	assert_int_equal(db_execf(fx->db, "UPDATE audit SET object_id = 'p-9' WHERE seq = 2", ""), 0);
	assert_int_equal(verify(fx, &bad, why, sizeof why), 1);
	assert_int_equal(bad, 2);
	assert_non_null(strstr(why, "2"));
	assert_non_null(strstr(why, "altered"));
}

static void test_every_field_is_covered_by_the_hash(void **state)
{
	static const char *const updates[] = {
		"UPDATE audit SET at = '2000-01-01T00:00:00Z' WHERE seq = 3",
		"UPDATE audit SET actor = 'cli:other' WHERE seq = 3",
		"UPDATE audit SET address = '203.0.113.9' WHERE seq = 3",
		"UPDATE audit SET action = 'export' WHERE seq = 3",
		"UPDATE audit SET object_type = 'person' WHERE seq = 3",
		"UPDATE audit SET object_id = 'p-1' WHERE seq = 3",
		"UPDATE audit SET detail = '{}' WHERE seq = 3",
		NULL,
	};
	struct fx_db *fx = *state;
	long long bad;
	char why[200];

	append_five(fx);
	drop_guards(fx);
	assert_int_equal(db_exec(fx->db, "CREATE TABLE saved AS SELECT * FROM audit WHERE seq = 3"), 0);
	for (const char *const *u = updates; *u; u++) {
		assert_int_equal(db_execf(fx->db, *u, ""), 0);
		if (verify(fx, &bad, why, sizeof why) != 1 || bad != 3)
			fail_msg("not found after: %s (bad = %lld)", *u, bad);
		/* Put the entry back as it was. */
		assert_int_equal(db_exec(fx->db, "DELETE FROM audit WHERE seq = 3; "
						 "INSERT INTO audit SELECT * FROM saved;"), 0);
		assert_int_equal(verify(fx, &bad, why, sizeof why), 0);
	}
}

static void test_moving_bytes_between_fields_is_found(void **state)
{
	struct fx_db *fx = *state;
	long long bad;
	char why[200];

	assert_int_equal(audit_append(fx->db, "u-1", "192.0.2.1", "person.read", "person", "p-1", NULL), 0);
	drop_guards(fx);
	/* Same concatenated text, different split. */
	assert_int_equal(db_execf(fx->db, "UPDATE audit SET actor = 'u-11', address = '92.0.2.1' "
					  "WHERE seq = 1", ""), 0);
	assert_int_equal(verify(fx, &bad, why, sizeof why), 1);
	assert_int_equal(bad, 1);
}

static void test_rewritten_hash_breaks_the_next_link(void **state)
{
	struct fx_db *fx = *state;
	long long bad;
	char why[200];

	append_five(fx);
	drop_guards(fx);
	/* Whoever rewrites entry 2 and gives it a new hash still leaves entry 3
	 * pointing at the old one. */
	assert_int_equal(db_execf(fx->db, "UPDATE audit SET hash = ? WHERE seq = 2", "s",
				  "1111111111111111111111111111111111111111111111111111111111111111"), 0);
	assert_int_equal(verify(fx, &bad, why, sizeof why), 1);
	assert_int_equal(bad, 2); /* its own hash no longer matches its fields */
	assert_int_equal(db_execf(fx->db, "UPDATE audit SET prev_hash = ? WHERE seq = 3", "s",
				  "1111111111111111111111111111111111111111111111111111111111111111"), 0);
	assert_int_equal(verify(fx, &bad, why, sizeof why), 1);
	assert_int_equal(bad, 2);
}

static void test_wrong_previous_hash_is_found(void **state)
{
	struct fx_db *fx = *state;
	long long bad;
	char why[200];

	append_five(fx);
	drop_guards(fx);
	assert_int_equal(db_execf(fx->db, "UPDATE audit SET prev_hash = ? WHERE seq = 4", "s",
				  "0000000000000000000000000000000000000000000000000000000000000000"), 0);
	assert_int_equal(verify(fx, &bad, why, sizeof why), 1);
	assert_int_equal(bad, 4);
	assert_non_null(strstr(why, "previous"));
}

static void test_missing_entry_is_found(void **state)
{
	struct fx_db *fx = *state;
	long long bad;
	char why[200];

	append_five(fx);
	drop_guards(fx);
	assert_int_equal(db_execf(fx->db, "DELETE FROM audit WHERE seq = 3", ""), 0);
	assert_int_equal(verify(fx, &bad, why, sizeof why), 1);
	assert_int_equal(bad, 3);
	assert_non_null(strstr(why, "missing"));
}

static void test_missing_first_entry_is_found(void **state)
{
	struct fx_db *fx = *state;
	long long bad;
	char why[200];

	append_five(fx);
	drop_guards(fx);
	assert_int_equal(db_execf(fx->db, "DELETE FROM audit WHERE seq = 1", ""), 0);
	assert_int_equal(verify(fx, &bad, why, sizeof why), 1);
	assert_int_equal(bad, 1);
}

static void test_renumbered_entries_are_found(void **state)
{
	struct fx_db *fx = *state;
	long long bad;
	char why[200];

	append_five(fx);
	drop_guards(fx);
	/* Hide the gap left by a deletion by renumbering what follows. */
	assert_int_equal(db_exec(fx->db, "DELETE FROM audit WHERE seq = 3; "
					 "UPDATE audit SET seq = seq - 1 WHERE seq > 3;"), 0);
	assert_int_equal(verify(fx, &bad, why, sizeof why), 1);
	assert_int_equal(bad, 3);
}

static void test_appending_after_a_gap_does_not_hide_it(void **state)
{
	struct fx_db *fx = *state;
	long long bad;
	char why[200];

	append_five(fx);
	drop_guards(fx);
	assert_int_equal(db_execf(fx->db, "DELETE FROM audit WHERE seq = 2", ""), 0);
	assert_int_equal(audit_append(fx->db, "u-3", "192.0.2.3", "person.read", "person", "p-3", NULL), 0);
	assert_int_equal(verify(fx, &bad, why, sizeof why), 1);
	assert_int_equal(bad, 2);
}

static void test_reason_is_cut_to_size(void **state)
{
	struct fx_db *fx = *state;
	long long bad;
	char why[8];

	append_five(fx);
	drop_guards(fx);
	assert_int_equal(db_execf(fx->db, "DELETE FROM audit WHERE seq = 3", ""), 0);
	memset(why, 'x', sizeof why);
	assert_int_equal(audit_verify(fx->db, &bad, why, sizeof why), 1);
	assert_int_equal(strlen(why), sizeof why - 1);
}

static void test_append_joins_the_callers_transaction(void **state)
{
	struct fx_db *fx = *state;
	int64_t n = -1;

	assert_int_equal(db_begin(fx->db), 0);
	assert_int_equal(audit_append(fx->db, "u-1", "cli", "person.update", "person", "p-1", NULL), 0);
	assert_true(db_in_transaction(fx->db));
	assert_int_equal(db_rollback(fx->db), 0);
	assert_int_equal(db_query_int(fx->db, &n, "SELECT COUNT(*) FROM audit", ""), 0);
	assert_int_equal(n, 0);
	/* Alone, it commits its own. */
	assert_int_equal(audit_append(fx->db, "u-1", "cli", "person.update", "person", "p-1", NULL), 0);
	assert_false(db_in_transaction(fx->db));
	assert_int_equal(db_query_int(fx->db, &n, "SELECT COUNT(*) FROM audit", ""), 0);
	assert_int_equal(n, 1);
}

static void test_entries_survive_reopening(void **state)
{
	struct fx_db *fx = *state;
	long long bad;
	char why[200];
	char *err = NULL;

	append_five(fx);
	db_close(fx->db);
	assert_int_equal(db_open(&fx->db, fx->path, &err), 0);
	assert_int_equal(audit_append(fx->db, "u-1", "cli", "export", NULL, NULL, NULL), 0);
	assert_int_equal(verify(fx, &bad, why, sizeof why), 0);
}

static void test_list_filters_newest_first(void **state)
{
	struct fx_db *fx = *state;
	json_t *list;
	long total = -1;

	append_five(fx);
	list = audit_list(fx->db, NULL, NULL, NULL, 100, 0, &total);
	assert_int_equal(total, 5);
	assert_int_equal(json_array_size(list), 5);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "seq")), 5);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 4), "seq")), 1);
	/* No detail: no text (null), not "". */
	assert_null(json_string_value(json_object_get(json_array_get(list, 0), "detail")));
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 1), "detail")), "");
	json_decref(list);

	list = audit_list(fx->db, "p-1", NULL, NULL, 100, 0, &total);
	assert_int_equal(total, 2);
	assert_int_equal(json_array_size(list), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "action")),
			    "person.update");
	json_decref(list);

	list = audit_list(fx->db, NULL, "u-1", "person.read", 100, 0, &total);
	assert_int_equal(total, 2);
	json_decref(list);

	list = audit_list(fx->db, "p-2", "u-2", NULL, 100, 0, &total);
	assert_int_equal(total, 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "address")),
			    "2001:db8::1");
	json_decref(list);
}

static void test_list_pages_with_limit_and_offset(void **state)
{
	struct fx_db *fx = *state;
	json_t *list;
	long total = -1;

	append_five(fx);
	list = audit_list(fx->db, NULL, NULL, NULL, 2, 2, &total);
	assert_int_equal(total, 5); /* the total ignores the page */
	assert_int_equal(json_array_size(list), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "seq")), 3);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 1), "seq")), 2);
	json_decref(list);
	list = audit_list(fx->db, NULL, NULL, NULL, 2, 10, NULL);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
}

static void test_list_person_filter_is_about_person_objects(void **state)
{
	struct fx_db *fx = *state;
	json_t *list;
	long total = -1;

	assert_int_equal(audit_append(fx->db, "u-1", "cli", "user.update", "user", "p-1", NULL), 0);
	list = audit_list(fx->db, "p-1", NULL, NULL, 10, 0, &total);
	assert_int_equal(total, 0);
	json_decref(list);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_empty_log_is_intact),
		T(test_appended_entries_are_numbered_and_chained),
		T(test_intact_log_verifies),
		T(test_entries_are_stamped_with_offset),
		T(test_log_refuses_update_and_delete),
		T(test_altered_field_is_found),
		T(test_every_field_is_covered_by_the_hash),
		T(test_moving_bytes_between_fields_is_found),
		T(test_rewritten_hash_breaks_the_next_link),
		T(test_wrong_previous_hash_is_found),
		T(test_missing_entry_is_found),
		T(test_missing_first_entry_is_found),
		T(test_renumbered_entries_are_found),
		T(test_appending_after_a_gap_does_not_hide_it),
		T(test_reason_is_cut_to_size),
		T(test_append_joins_the_callers_transaction),
		T(test_entries_survive_reopening),
		T(test_list_filters_newest_first),
		T(test_list_pages_with_limit_and_offset),
		T(test_list_person_filter_is_about_person_objects),
	};
#undef T

	if (password_init())
		return 1;
	return cmocka_run_group_tests_name("audit", tests, NULL, NULL);
}
