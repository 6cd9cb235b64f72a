/*
 * Unit tests for src/base/buf.c: capped growable buffers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

static void test_new_buffer_is_empty_string(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 100);
	assert_int_equal(b.len, 0);
	assert_null(b.data);
	assert_string_equal(buf_str(&b), "");
	buf_release(&b);
}

static void test_appends_concatenate_and_stay_nul_terminated(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 1000);
	assert_int_equal(buf_addstr(&b, "abc"), 0);
	assert_int_equal(buf_addch(&b, '-'), 0);
	assert_int_equal(buf_add(&b, "xyz123", 3), 0);
	assert_int_equal(buf_addf(&b, "[%d|%s|%05.1f]", 42, "é", 2.5), 0);
	assert_string_equal(buf_str(&b), "abc-xyz[42|é|002.5]");
	assert_int_equal(b.len, strlen("abc-xyz[42|é|002.5]"));
	assert_int_equal(b.data[b.len], '\0');
	buf_release(&b);
}

static void test_grows_past_initial_allocation(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 1 << 20);
	for (int i = 0; i < 10000; i++)
		assert_int_equal(buf_addf(&b, "%04d", i), 0);
	assert_int_equal(b.len, 40000);
	assert_true(b.cap > b.len);
	assert_memory_equal(b.data, "0000000100020003", 16);
	assert_memory_equal(b.data + 39996, "9999", 4);
	buf_release(&b);
}

static void test_append_past_cap_fails_and_leaves_buffer_unchanged(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 5);
	assert_int_equal(buf_addstr(&b, "abc"), 0);
	assert_int_equal(buf_addstr(&b, "def"), -1);
	assert_string_equal(buf_str(&b), "abc");
	assert_int_equal(b.len, 3);
	assert_int_equal(buf_addf(&b, "%s", "xyz"), -1);
	assert_string_equal(buf_str(&b), "abc");
	assert_int_equal(buf_addch(&b, 'd'), 0);
	assert_int_equal(buf_addch(&b, 'e'), 0);
	assert_int_equal(buf_addch(&b, 'f'), -1);
	assert_string_equal(buf_str(&b), "abcde");
	buf_release(&b);
}

static void test_cap_is_reached_exactly(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 4);
	assert_int_equal(buf_addstr(&b, "abcd"), 0);
	assert_int_equal(b.len, 4);
	assert_int_equal(buf_add(&b, "", 0), 0);
	buf_release(&b);
	buf_init(&b, 0);
	assert_int_equal(buf_addch(&b, 'x'), -1);
	assert_string_equal(buf_str(&b), "");
	buf_release(&b);
}

static void test_add_keeps_embedded_nul_bytes(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 64);
	assert_int_equal(buf_add(&b, "a\0b", 3), 0);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "a\0b\0", 4);
	buf_release(&b);
}

static void test_huge_length_fails_without_overflow(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 64);
	assert_int_equal(buf_add(&b, "x", SIZE_MAX), -1); /* len 0 + SIZE_MAX: past the cap */
	assert_int_equal(b.len, 0);
	buf_release(&b);
}

static void test_length_that_wraps_around_fails(void **state)
{
	struct buf b;

	(void)state;
	/* With 5 bytes in, len + n wraps around to 2, which would fit. */
	buf_init(&b, 64);
	assert_int_equal(buf_addstr(&b, "hello"), 0);
	assert_int_equal(buf_add(&b, "x", SIZE_MAX - 2), -1);
	assert_string_equal(buf_str(&b), "hello");
	buf_release(&b);
}

static void test_reset_empties_and_keeps_memory(void **state)
{
	struct buf b;
	char *mem;

	(void)state;
	buf_init(&b, 100);
	assert_int_equal(buf_addstr(&b, "something"), 0);
	mem = b.data;
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_str(&b), "");
	assert_ptr_equal(b.data, mem);
	assert_int_equal(buf_addstr(&b, "x"), 0);
	assert_string_equal(buf_str(&b), "x");
	buf_release(&b);
	buf_reset(&b); /* on a released buffer: no crash */
	assert_int_equal(b.len, 0);
}

static void test_release_keeps_cap_for_reuse(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 3);
	assert_int_equal(buf_addstr(&b, "abc"), 0);
	buf_release(&b);
	assert_null(b.data);
	assert_int_equal(b.max, 3);
	assert_int_equal(buf_addstr(&b, "abcd"), -1);
	assert_int_equal(buf_addstr(&b, "xyz"), 0);
	assert_string_equal(buf_str(&b), "xyz");
	buf_release(&b);
}

static void test_detach_hands_over_data(void **state)
{
	struct buf b;
	size_t len = 0;
	char *s;

	(void)state;
	buf_init(&b, 100);
	assert_int_equal(buf_addstr(&b, "hand over"), 0);
	s = buf_detach(&b, &len);
	assert_non_null(s);
	assert_string_equal(s, "hand over");
	assert_int_equal(len, 9);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.max, 100);
	free(s);
}

static void test_detach_of_empty_buffer_gives_empty_string(void **state)
{
	struct buf b;
	size_t len = 99;
	char *s;

	(void)state;
	buf_init(&b, 100);
	s = buf_detach(&b, &len);
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);
	s = buf_detach(&b, NULL);
	assert_non_null(s);
	free(s);
}

static void test_vaddf_formats_like_printf(void **state)
{
	struct buf b;
	char want[64];

	(void)state;
	buf_init(&b, 1000);
	assert_int_equal(buf_addf(&b, "%s=%lld;%x;%%", "n", -1234567890123LL, 255u), 0);
	snprintf(want, sizeof want, "%s=%lld;%x;%%", "n", -1234567890123LL, 255u);
	assert_string_equal(buf_str(&b), want);
	assert_int_equal(buf_addf(&b, "%s", ""), 0);
	assert_string_equal(buf_str(&b), want);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_buffer_is_empty_string),
		cmocka_unit_test(test_appends_concatenate_and_stay_nul_terminated),
		cmocka_unit_test(test_grows_past_initial_allocation),
		cmocka_unit_test(test_append_past_cap_fails_and_leaves_buffer_unchanged),
		cmocka_unit_test(test_cap_is_reached_exactly),
		cmocka_unit_test(test_add_keeps_embedded_nul_bytes),
		cmocka_unit_test(test_huge_length_fails_without_overflow),
		cmocka_unit_test(test_length_that_wraps_around_fails),
		cmocka_unit_test(test_reset_empties_and_keeps_memory),
		cmocka_unit_test(test_release_keeps_cap_for_reuse),
		cmocka_unit_test(test_detach_hands_over_data),
		cmocka_unit_test(test_detach_of_empty_buffer_gives_empty_string),
		cmocka_unit_test(test_vaddf_formats_like_printf),
	};

	return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
