/*
 * Unit tests for src/web/form.c: urlencoded bodies, Cookie headers,
 * percent-encoding and the ?next= path check.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/form.h"

/* Decodes body (a C string) and compares with the JSON text want ("null"
 * for a refusal). */
static void assert_form(const char *body, size_t max_fields, const char *want_text)
{
	json_t *got = form_decode(body, strlen(body), max_fields);
	json_t *want = json_loads(want_text, JSON_DECODE_ANY, NULL);

	if (!want)
		fail_msg("bad test JSON %s", want_text);
	if (json_is_null(want)) {
		if (got) {
			char *s = json_dumps(got, JSON_COMPACT);
			fail_msg("form_decode(\"%s\") = %s, want NULL", body, s);
		}
	} else if (!got || !json_equal(got, want)) {
		char *s = got ? json_dumps(got, JSON_COMPACT) : NULL;
		fail_msg("form_decode(\"%s\") = %s, want %s", body, s ? s : "NULL", want_text);
	}
	json_decref(got);
	json_decref(want);
}

/* ---- form_decode -------------------------------------------------------- */

static void test_form_decodes_fields_and_percent_bytes(void **state)
{
	(void)state;
	assert_form("a=1&b=%C3%A9&b=2", 10, "{\"a\":\"1\",\"b\":[\"é\",\"2\"]}");
	assert_form("name=Beno%c3%aet", 10, "{\"name\":\"Benoît\"}");
	assert_form("q=a%2Bb%26c%3Dd", 10, "{\"q\":\"a+b&c=d\"}");
	assert_form("%41%42=%43", 10, "{\"AB\":\"C\"}");
}

static void test_form_plus_is_space(void **state)
{
	(void)state;
	assert_form("q=jean+pierre+", 10, "{\"q\":\"jean pierre \"}");
	assert_form("first+name=x", 10, "{\"first name\":\"x\"}");
}

static void test_form_name_seen_twice_becomes_array(void **state)
{
	(void)state;
	assert_form("r=a&r=b&r=c&x=1", 10, "{\"r\":[\"a\",\"b\",\"c\"],\"x\":\"1\"}");
	assert_form("r=a&x=1&r=a", 10, "{\"r\":[\"a\",\"a\"],\"x\":\"1\"}");
}

static void test_form_missing_value_is_empty_string(void **state)
{
	(void)state;
	assert_form("a", 10, "{\"a\":\"\"}");
	assert_form("a=", 10, "{\"a\":\"\"}");
	assert_form("a=b=c", 10, "{\"a\":\"b=c\"}");
}

static void test_form_empty_segments_are_skipped(void **state)
{
	(void)state;
	assert_form("", 10, "{}");
	assert_form("&&a=1&&", 10, "{\"a\":\"1\"}");
	assert_form("&", 10, "{}");
}

static void test_form_empty_name_is_malformed(void **state)
{
	(void)state;
	assert_form("=x", 10, "null");
	assert_form("a=1&=2", 10, "null");
}

static void test_form_bad_percent_escape_is_malformed(void **state)
{
	(void)state;
	assert_form("a=%", 10, "null");
	assert_form("a=%4", 10, "null");
	assert_form("a=%G1", 10, "null");
	assert_form("a=%1G", 10, "null");
	assert_form("a%=1", 10, "null");
	assert_form("a=x%", 10, "null");
}

static void test_form_values_must_be_utf8_without_nul(void **state)
{
	(void)state;
	assert_form("a=%00", 10, "null");
	assert_form("a=x%00y", 10, "null");
	assert_form("a=%C3", 10, "null");
	assert_form("a=%C0%AF", 10, "null");
	assert_form("a=%ED%A0%80", 10, "null");
	assert_form("%FF=1", 10, "null");
	assert_form("a=\xC3(", 10, "null");
}

static void test_form_field_count_is_capped(void **state)
{
	(void)state;
	assert_form("a=1&b=2&c=3", 3, "{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\"}");
	assert_form("a=1&b=2&c=3", 2, "null");
	/* Repeated names count, so an array cannot grow past the cap either. */
	assert_form("a=1&a=2&a=3", 2, "null");
	assert_form("a=1", 0, "null");
}

static void test_form_reads_only_len_bytes(void **state)
{
	const char body[] = "a=1&b=2";
	json_t *f;

	(void)state;
	f = form_decode(body, 3, 10); /* "a=1" */
	assert_non_null(f);
	assert_int_equal(json_object_size(f), 1);
	assert_string_equal(json_string_value(json_object_get(f, "a")), "1");
	json_decref(f);
	/* A '%' at the end of the slice may not borrow bytes beyond it. */
	f = form_decode("a=%41", 4, 10);
	assert_null(f);
}

/* ---- cookie_get --------------------------------------------------------- */

static void test_cookie_found_among_others(void **state)
{
	char out[65];

	(void)state;
	assert_int_equal(cookie_get("a=1; session=abc123; b=2", "session", out, sizeof out), 0);
	assert_string_equal(out, "abc123");
	assert_int_equal(cookie_get("session=first", "session", out, sizeof out), 0);
	assert_string_equal(out, "first");
	assert_int_equal(cookie_get("x=1;session=Zz-_9", "session", out, sizeof out), 0);
	assert_string_equal(out, "Zz-_9");
	assert_int_equal(cookie_get("session=abc ; x=1", "session", out, sizeof out), 0);
	assert_string_equal(out, "abc");
}

static void test_cookie_name_must_match_whole(void **state)
{
	char out[65];

	(void)state;
	assert_int_equal(cookie_get("xsession=evil; session=good", "session", out, sizeof out), 0);
	assert_string_equal(out, "good");
	assert_int_equal(cookie_get("sessionx=evil", "session", out, sizeof out), -1);
	assert_int_equal(cookie_get("session_id=evil", "session", out, sizeof out), -1);
	assert_int_equal(cookie_get("a=session=evil", "session", out, sizeof out), -1);
	assert_int_equal(cookie_get("a=1", "session", out, sizeof out), -1);
	assert_int_equal(cookie_get("", "session", out, sizeof out), -1);
	assert_int_equal(cookie_get(NULL, "session", out, sizeof out), -1);
}

static void test_cookie_value_must_be_token_characters(void **state)
{
	char out[65];

	(void)state;
	assert_int_equal(cookie_get("session=", "session", out, sizeof out), -1);
	assert_int_equal(cookie_get("session=; a=1", "session", out, sizeof out), -1);
	assert_int_equal(cookie_get("session=\"abc\"", "session", out, sizeof out), -1);
	assert_int_equal(cookie_get("session=a b", "session", out, sizeof out), -1);
	assert_int_equal(cookie_get("session=a%20b", "session", out, sizeof out), -1);
	assert_int_equal(cookie_get("session=ab\xC3\xA9", "session", out, sizeof out), -1);
}

static void test_cookie_value_must_fit_out(void **state)
{
	char out[4];

	(void)state;
	memset(out, 'z', sizeof out);
	assert_int_equal(cookie_get("session=abcd", "session", out, sizeof out), -1);
	assert_int_equal(cookie_get("session=abc", "session", out, sizeof out), 0);
	assert_string_equal(out, "abc");
}

/* ---- url_encode --------------------------------------------------------- */

static void test_url_encode_escapes_reserved_bytes(void **state)
{
	char *s;

	(void)state;
	s = url_encode("a b&c=d/é?#%+");
	assert_string_equal(s, "a%20b%26c%3Dd/%C3%A9%3F%23%25%2B");
	free(s);
	s = url_encode("Az09-_.~/");
	assert_string_equal(s, "Az09-_.~/");
	free(s);
	s = url_encode("");
	assert_string_equal(s, "");
	free(s);
	s = url_encode("\r\n\x7f");
	assert_string_equal(s, "%0D%0A%7F");
	free(s);
}

static void test_url_encode_round_trips_through_form_decode(void **state)
{
	static const char *const samples[] = { "/people?q=Benoît & co", "100% + 1 = 101",
		"a=b&c=d", "L'Œuvre — « ici »", "  ", NULL };

	(void)state;
	for (const char *const *p = samples; *p; p++) {
		char *enc = url_encode(*p), body[512];
		json_t *f;
		snprintf(body, sizeof body, "next=%s", enc);
		f = form_decode(body, strlen(body), 5);
		assert_non_null(f);
		assert_string_equal(json_string_value(json_object_get(f, "next")), *p);
		json_decref(f);
		free(enc);
	}
}

/* ---- local_path --------------------------------------------------------- */

static void test_local_path_accepts_site_paths(void **state)
{
	(void)state;
	assert_true(local_path("/"));
	assert_true(local_path("/people"));
	assert_true(local_path("/people/p-1?tab=rights&x=%2F"));
	assert_true(local_path("/search?q=a:b"));
	assert_true(local_path("/a/b/c/"));
}

static void test_local_path_refuses_other_sites(void **state)
{
	(void)state;
	assert_false(local_path("//evil.example"));
	assert_false(local_path("/\\evil.example"));
	assert_false(local_path("\\\\evil.example"));
	assert_false(local_path("https://evil.example/"));
	assert_false(local_path("javascript:alert(1)"));
	assert_false(local_path("/redirect?to=https://evil.example"));
	assert_false(local_path("/a//b"));
	assert_false(local_path("/a\\b"));
	assert_false(local_path("evil.example"));
	assert_false(local_path(""));
	assert_false(local_path(NULL));
}

static void test_local_path_refuses_control_characters(void **state)
{
	(void)state;
	assert_false(local_path("/a\r\nSet-Cookie: x=1"));
	assert_false(local_path("/\t/evil.example"));
	assert_false(local_path("/a\x01"));
	assert_false(local_path("/a\x7f"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form_decodes_fields_and_percent_bytes),
		cmocka_unit_test(test_form_plus_is_space),
		cmocka_unit_test(test_form_name_seen_twice_becomes_array),
		cmocka_unit_test(test_form_missing_value_is_empty_string),
		cmocka_unit_test(test_form_empty_segments_are_skipped),
		cmocka_unit_test(test_form_empty_name_is_malformed),
		cmocka_unit_test(test_form_bad_percent_escape_is_malformed),
		cmocka_unit_test(test_form_values_must_be_utf8_without_nul),
		cmocka_unit_test(test_form_field_count_is_capped),
		cmocka_unit_test(test_form_reads_only_len_bytes),
		cmocka_unit_test(test_cookie_found_among_others),
		cmocka_unit_test(test_cookie_name_must_match_whole),
		cmocka_unit_test(test_cookie_value_must_be_token_characters),
		cmocka_unit_test(test_cookie_value_must_fit_out),
		cmocka_unit_test(test_url_encode_escapes_reserved_bytes),
		cmocka_unit_test(test_url_encode_round_trips_through_form_decode),
		cmocka_unit_test(test_local_path_accepts_site_paths),
		cmocka_unit_test(test_local_path_refuses_other_sites),
		cmocka_unit_test(test_local_path_refuses_control_characters),
	};

	return cmocka_run_group_tests_name("form", tests, NULL, NULL);
}
