/*
 * Unit tests for src/base/date.c: civil dates, parsing, month arithmetic,
 * RFC 3339 datetimes, "today" and the French long form.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include "base/date.h"

static long day(int y, int m, int d)
{
	return date_from_civil(y, m, d);
}

static void assert_date_text(long days, const char *want)
{
	char out[11];

	date_format(days, out);
	assert_string_equal(out, want);
}

static void test_epoch_is_day_zero(void **state)
{
	(void)state;
	assert_int_equal(day(1970, 1, 1), 0);
	assert_int_equal(day(1970, 1, 2), 1);
	assert_int_equal(day(1969, 12, 31), -1);
	assert_int_equal(day(2000, 3, 1) - day(2000, 2, 28), 2); /* 2000 is a leap year */
	assert_int_equal(day(1900, 3, 1) - day(1900, 2, 28), 1); /* 1900 is not */
}

static void test_civil_round_trip_over_three_centuries(void **state)
{
	(void)state;
	for (long d = day(1900, 1, 1); d <= day(2200, 12, 31); d++) {
		int y, m, dd;
		date_to_civil(d, &y, &m, &dd);
		assert_true(m >= 1 && m <= 12);
		assert_true(dd >= 1 && dd <= date_month_days(y, m));
		if (day(y, m, dd) != d)
			fail_msg("day %ld gives %04d-%02d-%02d which gives back %ld", d, y, m, dd,
				 day(y, m, dd));
	}
}

static void test_month_days_follow_gregorian_leap_years(void **state)
{
	(void)state;
	assert_int_equal(date_month_days(2017, 2), 28);
	assert_int_equal(date_month_days(2016, 2), 29);
	assert_int_equal(date_month_days(1900, 2), 28);
	assert_int_equal(date_month_days(2000, 2), 29);
	assert_int_equal(date_month_days(2017, 1), 31);
	assert_int_equal(date_month_days(2017, 4), 30);
	assert_int_equal(date_month_days(2017, 12), 31);
	assert_int_equal(date_month_days(2017, 0), 0);
	assert_int_equal(date_month_days(2017, 13), 0);
}

static void test_parse_accepts_real_days_only(void **state)
{
	long d = -1;

	(void)state;
	assert_int_equal(date_parse("2017-12-31", &d), 0);
	assert_int_equal(d, day(2017, 12, 31));
	assert_int_equal(date_parse("2016-02-29", &d), 0);
	assert_int_equal(d, day(2016, 2, 29));
	assert_int_equal(date_parse("2000-02-29", &d), 0);
	assert_int_equal(date_parse("2017-02-29", &d), -1);
	assert_int_equal(date_parse("1900-02-29", &d), -1);
	assert_int_equal(date_parse("2017-04-31", &d), -1);
	assert_int_equal(date_parse("2017-13-01", &d), -1);
	assert_int_equal(date_parse("2017-00-10", &d), -1);
	assert_int_equal(date_parse("2017-01-00", &d), -1);
}

static void test_parse_requires_exact_yyyy_mm_dd(void **state)
{
	long d;

	(void)state;
	assert_int_equal(date_parse("2017-1-01", &d), -1);
	assert_int_equal(date_parse("2017-01-1", &d), -1);
	assert_int_equal(date_parse("2017/01/01", &d), -1);
	assert_int_equal(date_parse("2017-01-01 ", &d), -1);
	assert_int_equal(date_parse(" 2017-01-01", &d), -1);
	assert_int_equal(date_parse("2017-01-01T00:00:00Z", &d), -1);
	assert_int_equal(date_parse("20170101", &d), -1);
	assert_int_equal(date_parse("+017-01-01", &d), -1);
	assert_int_equal(date_parse("2017-0a-01", &d), -1);
	assert_int_equal(date_parse("", &d), -1);
	assert_int_equal(date_parse(NULL, &d), -1);
}

static void test_parse_rejects_years_out_of_range(void **state)
{
	long d;

	(void)state;
	assert_int_equal(date_parse("1899-12-31", &d), -1);
	assert_int_equal(date_parse("1900-01-01", &d), 0);
	assert_int_equal(date_parse("2200-12-31", &d), 0);
	assert_int_equal(date_parse("2201-01-01", &d), -1);
}

static void test_format_writes_yyyy_mm_dd(void **state)
{
	(void)state;
	assert_date_text(0, "1970-01-01");
	assert_date_text(day(2017, 3, 2), "2017-03-02");
	assert_date_text(day(2016, 2, 29), "2016-02-29");
	assert_date_text(day(1900, 1, 1), "1900-01-01");
}

static void test_add_months_clamps_to_month_end(void **state)
{
	(void)state;
	/* The example of date.h. */
	assert_int_equal(date_add_months(day(2017, 12, 31), 2), day(2018, 2, 28));
	assert_int_equal(date_add_months(day(2016, 1, 31), 1), day(2016, 2, 29));
	assert_int_equal(date_add_months(day(2017, 1, 31), 3), day(2017, 4, 30));
	assert_int_equal(date_add_months(day(2016, 2, 29), 12), day(2017, 2, 28));
	assert_int_equal(date_add_months(day(2017, 3, 15), 0), day(2017, 3, 15));
}

static void test_add_months_crosses_years_both_ways(void **state)
{
	(void)state;
	assert_int_equal(date_add_months(day(2017, 11, 15), 3), day(2018, 2, 15));
	assert_int_equal(date_add_months(day(2017, 3, 31), -1), day(2017, 2, 28));
	assert_int_equal(date_add_months(day(2017, 1, 15), -1), day(2016, 12, 15));
	assert_int_equal(date_add_months(day(2017, 1, 15), -13), day(2015, 12, 15));
	assert_int_equal(date_add_months(day(2017, 1, 15), -24), day(2015, 1, 15));
	assert_int_equal(date_add_months(day(2017, 5, 31), 24), day(2019, 5, 31));
}

static void test_datetime_needs_explicit_offset(void **state)
{
	(void)state;
	assert_true(datetime_valid("2017-03-02T09:30:00+01:00"));
	assert_true(datetime_valid("2017-03-02T09:30:00-05:30"));
	assert_true(datetime_valid("2017-03-02T09:30:00Z"));
	assert_true(datetime_valid("2017-03-02t09:30:00z"));
	assert_true(datetime_valid("2017-03-02T09:30:00.123456+02:00"));
	assert_false(datetime_valid("2017-03-02T09:30:00"));
	assert_false(datetime_valid("2017-03-02 09:30:00+01:00"));
	assert_false(datetime_valid("2017-03-02T09:30:00+01"));
	assert_false(datetime_valid("2017-03-02T09:30:00+0100"));
	assert_false(datetime_valid("2017-03-02T09:30:00+01:00 "));
	assert_false(datetime_valid("2017-03-02T09:30:00.+01:00"));
	assert_false(datetime_valid("2017-03-02T09:30:00ZZ"));
	assert_false(datetime_valid("2017-03-02T9:30:00+01:00"));
	assert_false(datetime_valid("2017-03-02"));
	assert_false(datetime_valid(""));
	assert_false(datetime_valid(NULL));
}

static void test_datetime_needs_real_date_and_time(void **state)
{
	(void)state;
	assert_false(datetime_valid("2017-02-29T09:30:00Z"));
	assert_true(datetime_valid("2016-02-29T09:30:00Z"));
	assert_false(datetime_valid("2017-03-02T24:00:00Z"));
	assert_false(datetime_valid("2017-03-02T23:60:00Z"));
	assert_false(datetime_valid("2017-03-02T23:59:61Z"));
	assert_true(datetime_valid("2016-12-31T23:59:60Z")); /* leap second */
	assert_false(datetime_valid("2017-03-02T09:30:00+24:00"));
	assert_false(datetime_valid("2017-03-02T09:30:00+01:60"));
}

static void test_set_today_overrides_clock_and_environment(void **state)
{
	long d = day(2017, 12, 31);

	(void)state;
	setenv("PARCOURS_TODAY", "2016-06-01", 1);
	date_set_today(d);
	assert_int_equal(date_today(), d);
	date_set_today(day(2017, 1, 1));
	assert_int_equal(date_today(), day(2017, 1, 1));
	/* Cleared: PARCOURS_TODAY is next. */
	date_set_today(-1);
	assert_int_equal(date_today(), day(2016, 6, 1));
	/* An unparsable PARCOURS_TODAY falls back on the clock: some day after 2020. */
	setenv("PARCOURS_TODAY", "2016-02-30", 1);
	assert_true(date_today() > day(2020, 1, 1));
	unsetenv("PARCOURS_TODAY");
	assert_true(date_today() > day(2020, 1, 1));
}

static void test_french_long_form(void **state)
{
	char out[64];

	(void)state;
	date_format_fr(day(2026, 11, 25), out, sizeof out);
	assert_string_equal(out, "25 novembre 2026");
	date_format_fr(day(2017, 1, 1), out, sizeof out);
	assert_string_equal(out, "1er janvier 2017");
	date_format_fr(day(2017, 8, 15), out, sizeof out);
	assert_string_equal(out, "15 août 2017");
	date_format_fr(day(2017, 12, 31), out, sizeof out);
	assert_string_equal(out, "31 décembre 2017");
	date_format_fr(day(2017, 2, 2), out, sizeof out);
	assert_string_equal(out, "2 février 2017");
}

static void test_french_long_form_truncates_to_size(void **state)
{
	char out[8];

	(void)state;
	memset(out, 'x', sizeof out);
	date_format_fr(day(2017, 12, 31), out, sizeof out);
	assert_int_equal(strlen(out), sizeof out - 1);
	assert_memory_equal(out, "31 déc", 7);
}

/* A day and "HH:MM" in Europe/Paris, with that day's offset (winter, summer). */
static void test_local_datetime_of_a_day_and_time(void **state)
{
	char at[32];

	(void)state;
	assert_int_equal(datetime_local("2017-03-02", "09:30", at), 0);
	assert_string_equal(at, "2017-03-02T09:30:00+01:00");
	assert_int_equal(datetime_local("2017-07-14", "14:05", at), 0);
	assert_string_equal(at, "2017-07-14T14:05:00+02:00");
	assert_int_equal(datetime_local("2017-02-29", "09:30", at), -1);
	assert_int_equal(datetime_local("2017-03-02", "24:00", at), -1);
	assert_int_equal(datetime_local("2017-03-02", "9h30", at), -1);
	assert_int_equal(datetime_local("2017-03-02", "09:30:00", at), -1);
	assert_int_equal(datetime_local(NULL, "09:30", at), -1);
}

/* The application's "now" is on date_today() (PARCOURS_TODAY for the demo). */
static void test_app_now_is_on_the_reference_day(void **state)
{
	char at[32];

	(void)state;
	date_set_today(date_from_civil(2017, 12, 31));
	datetime_app_now(at);
	assert_memory_equal(at, "2017-12-31T", 11);
	date_set_today(-1);
}

int main(void)
{
	setenv("TZ", "Europe/Paris", 1); /* as main.c does */
	tzset();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_epoch_is_day_zero),
		cmocka_unit_test(test_local_datetime_of_a_day_and_time),
		cmocka_unit_test(test_app_now_is_on_the_reference_day),
		cmocka_unit_test(test_civil_round_trip_over_three_centuries),
		cmocka_unit_test(test_month_days_follow_gregorian_leap_years),
		cmocka_unit_test(test_parse_accepts_real_days_only),
		cmocka_unit_test(test_parse_requires_exact_yyyy_mm_dd),
		cmocka_unit_test(test_parse_rejects_years_out_of_range),
		cmocka_unit_test(test_format_writes_yyyy_mm_dd),
		cmocka_unit_test(test_add_months_clamps_to_month_end),
		cmocka_unit_test(test_add_months_crosses_years_both_ways),
		cmocka_unit_test(test_datetime_needs_explicit_offset),
		cmocka_unit_test(test_datetime_needs_real_date_and_time),
		cmocka_unit_test(test_set_today_overrides_clock_and_environment),
		cmocka_unit_test(test_french_long_form),
		cmocka_unit_test(test_french_long_form_truncates_to_size),
	};

	return cmocka_run_group_tests_name("date", tests, NULL, NULL);
}
