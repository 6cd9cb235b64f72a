/*
 * Unit tests for the work on collective sessions (src/model/sessions.c):
 * registration within the places — also when two registrations race for
 * the last one on two connections —, unregistering, presence (never for a
 * future session), survey answers and the figures; the datetime of a day
 * and time in Europe/Paris.
 *
 * Each test works on its own sessions of one committed fixture.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/date.h"
#include "db/db.h"
#include "fixture.h"
#include "model/password.h"
#include "model/record.h"
#include "model/schema.h"
#include "model/sessions.h"

static struct db *db;
static const struct sessions_actor who = { "u-ref", "127.0.0.1" };
#define PAST "2016-05-12T14:00:00+02:00"
#define NOW "2017-12-31T10:00:00+01:00"

static const char *const fixture[] = {
	"{\"type\":\"organisation\",\"id\":\"o-1\",\"name\":\"MDM\",\"kind\":\"maison_metropole\"}",
	"{\"type\":\"household\",\"id\":\"h-1\"}",
	"{\"type\":\"person\",\"id\":\"p-1\",\"household\":\"h-1\",\"role\":\"DEM\","
	"\"first_name\":\"A\",\"last_name\":\"B\",\"birth_date\":\"1980-01-01\",\"sex\":\"F\"}",
	"{\"type\":\"person\",\"id\":\"p-2\",\"household\":\"h-1\",\"role\":\"CJT\","
	"\"first_name\":\"C\",\"last_name\":\"B\",\"birth_date\":\"1981-01-01\",\"sex\":\"M\"}",
	"{\"type\":\"person\",\"id\":\"p-3\",\"household\":\"h-1\",\"role\":\"ENF\","
	"\"first_name\":\"D\",\"last_name\":\"B\",\"birth_date\":\"2000-01-01\",\"sex\":\"M\"}",
	NULL,
};

/* A session of o-1 at `at` with `capacity` places (≤ 0: no limit). */
static void add_session(const char *id, const char *at, int capacity)
{
	json_t *rec = json_pack("{s:s, s:s, s:s, s:s, s:s}", "type", "collective_session", "id",
				id, "organisation", "o-1", "title", "Atelier", "at", at);

	if (capacity > 0)
		json_object_set_new(rec, "capacity", json_integer(capacity));
	fx_put_rec(db, NULL, rec, NULL);
	json_decref(rec);
}

static int group_setup(void **state)
{
	setenv("TZ", "Europe/Paris", 1);
	tzset();
	fx_today(2017, 12, 31);
	if (password_init())
		return -1;
	return fx_setup_with(state, fixture, &db);
}

static void test_registration_stops_at_the_capacity(void **state)
{
	long cap = 0;

	(void)state;
	add_session("cs-full", PAST, 2);
	assert_int_equal(sessions_register(db, &who, "cs-full", "p-1", &cap), SESSIONS_OK);
	assert_int_equal(sessions_register(db, &who, "cs-full", "p-2", &cap), SESSIONS_OK);
	assert_int_equal(sessions_register(db, &who, "cs-full", "p-3", &cap), SESSIONS_FULL);
	assert_int_equal(cap, 2);
	assert_int_equal(sessions_register(db, &who, "cs-full", "p-1", &cap), SESSIONS_ALREADY);
	assert_int_equal(sessions_register(db, &who, "cs-none", "p-1", &cap), SESSIONS_NOT_FOUND);
	assert_false(db_in_transaction(db));
}

static void test_excused_frees_a_place(void **state)
{
	const struct sessions_mark m = { "p-1", "excused" };
	const char *why, *failed;
	long cap;

	(void)state;
	add_session("cs-swap", PAST, 1);
	assert_int_equal(sessions_register(db, &who, "cs-swap", "p-1", &cap), SESSIONS_OK);
	assert_int_equal(sessions_register(db, &who, "cs-swap", "p-2", &cap), SESSIONS_FULL);
	assert_int_equal(sessions_record_presence(db, &who, "cs-swap", &m, 1, NOW, &why, &failed),
			 SESSIONS_OK);
	assert_int_equal(sessions_register(db, &who, "cs-swap", "p-2", &cap), SESSIONS_OK);
	/* p-1 back: the place is p-2's now. */
	assert_int_equal(sessions_register(db, &who, "cs-swap", "p-1", &cap), SESSIONS_FULL);
}

struct racer {
	const char *path; /* the database */
	const char *person;
	enum sessions_result result;
};

/* One registration on its own connection, as one server thread. */
static void *race(void *arg)
{
	struct racer *r = arg;
	struct db *mine;
	char *err = NULL;
	long cap;

	if (db_open(&mine, r->path, &err)) {
		free(err);
		r->result = SESSIONS_FAILED;
		return NULL;
	}
	r->result = sessions_register(mine, &who, "cs-race", r->person, &cap);
	db_close(mine);
	return NULL;
}

static void test_two_racing_for_the_last_place_one_is_refused(void **state)
{
	const struct fx_db *fx = *state; /* the group's */
	long cap;

	add_session("cs-race", PAST, 2);
	assert_int_equal(sessions_register(db, &who, "cs-race", "p-1", &cap), SESSIONS_OK);
	for (int round = 0; round < 10; round++) {
		struct racer a = { fx->path, "p-2", SESSIONS_FAILED };
		struct racer b = { fx->path, "p-3", SESSIONS_FAILED };
		pthread_t ta, tb;
		const char *why;
		int64_t n = 0;

		assert_int_equal(pthread_create(&ta, NULL, race, &a), 0);
		assert_int_equal(pthread_create(&tb, NULL, race, &b), 0);
		pthread_join(ta, NULL);
		pthread_join(tb, NULL);
		assert_true((a.result == SESSIONS_OK && b.result == SESSIONS_FULL) ||
			    (a.result == SESSIONS_FULL && b.result == SESSIONS_OK));
		assert_int_equal(db_query_int(db, &n, "SELECT COUNT(*) FROM attendance WHERE "
					      "collective_session = 'cs-race'", ""), 0);
		assert_int_equal(n, 2);
		/* Free the place again for the next round. */
		sessions_unregister(db, &who, "cs-race", a.result == SESSIONS_OK ? "p-2" : "p-3",
				    &why);
	}
}

static void test_a_future_session_records_no_presence(void **state)
{
	const struct sessions_mark present = { "p-1", "present" }, absent = { "p-1", "absent" };
	const struct sessions_mark excused = { "p-1", "excused" };
	const char *why, *failed;
	long cap;

	(void)state;
	add_session("cs-future", "2018-03-01T14:00:00+01:00", 0);
	assert_int_equal(sessions_register(db, &who, "cs-future", "p-1", &cap), SESSIONS_OK);
	assert_int_equal(cap, -1);
	assert_int_equal(sessions_record_presence(db, &who, "cs-future", &present, 1, NOW, &why,
						  &failed), SESSIONS_REFUSED);
	assert_non_null(strstr(why, "à venir"));
	assert_string_equal(failed, "p-1");
	assert_int_equal(sessions_record_presence(db, &who, "cs-future", &absent, 1, NOW, &why,
						  &failed), SESSIONS_REFUSED);
	/* Excused before the day is fine. */
	assert_int_equal(sessions_record_presence(db, &who, "cs-future", &excused, 1, NOW, &why,
						  &failed), SESSIONS_OK);
}

static void test_presence_is_all_or_nothing(void **state)
{
	const struct sessions_mark marks[] = { { "p-1", "present" }, { "p-3", "present" } };
	const char *why, *failed;
	struct sessions_counts c;
	long cap;

	(void)state;
	add_session("cs-all", PAST, 0);
	assert_int_equal(sessions_register(db, &who, "cs-all", "p-1", &cap), SESSIONS_OK);
	/* p-3 is not registered: nothing is written, p-1 included. */
	assert_int_equal(sessions_record_presence(db, &who, "cs-all", marks, 2, NOW, &why,
						  &failed), SESSIONS_REFUSED);
	assert_string_equal(failed, "p-3");
	assert_int_equal(sessions_counts(db, "cs-all", &c), 0);
	assert_int_equal(c.present, 0);
	assert_int_equal(c.registered, 1);
	assert_int_equal(sessions_record_presence(db, &who, "cs-all", marks, 1, NOW, &why,
						  &failed), SESSIONS_OK);
	assert_int_equal(sessions_counts(db, "cs-all", &c), 0);
	assert_int_equal(c.present, 1);
}

static void test_only_a_registration_can_be_undone(void **state)
{
	const struct sessions_mark m = { "p-1", "present" };
	const char *why, *failed;
	long cap;

	(void)state;
	add_session("cs-undo", PAST, 0);
	assert_int_equal(sessions_register(db, &who, "cs-undo", "p-1", &cap), SESSIONS_OK);
	assert_int_equal(sessions_register(db, &who, "cs-undo", "p-2", &cap), SESSIONS_OK);
	assert_int_equal(sessions_unregister(db, &who, "cs-undo", "p-2", &why), SESSIONS_OK);
	assert_int_equal(sessions_unregister(db, &who, "cs-undo", "p-2", &why),
			 SESSIONS_NOT_FOUND);
	assert_int_equal(sessions_record_presence(db, &who, "cs-undo", &m, 1, NOW, &why, &failed),
			 SESSIONS_OK);
	assert_int_equal(sessions_unregister(db, &who, "cs-undo", "p-1", &why), SESSIONS_REFUSED);
	assert_non_null(strstr(why, "excusé"));
}

static void test_survey_answers(void **state)
{
	const struct sessions_mark m[] = { { "p-1", "present" }, { "p-2", "absent" } };
	const char *why, *failed;
	struct sessions_counts c;
	long cap;

	(void)state;
	add_session("cs-survey", PAST, 0);
	add_session("cs-later", "2018-06-01T09:00:00+02:00", 0);
	assert_int_equal(sessions_register(db, &who, "cs-survey", "p-1", &cap), SESSIONS_OK);
	assert_int_equal(sessions_register(db, &who, "cs-survey", "p-2", &cap), SESSIONS_OK);
	assert_int_equal(sessions_record_presence(db, &who, "cs-survey", m, 2, NOW, &why, &failed),
			 SESSIONS_OK);
	/* Named: present people only, once. */
	assert_int_equal(sessions_survey_answer(db, &who, "cs-survey", "p-2", 1, 1, NOW, &why),
			 SESSIONS_REFUSED);
	assert_non_null(strstr(why, "présente"));
	assert_int_equal(sessions_survey_answer(db, &who, "cs-survey", "p-1", 1, 0, NOW, &why),
			 SESSIONS_OK);
	assert_int_equal(sessions_survey_answer(db, &who, "cs-survey", "p-1", 1, 1, NOW, &why),
			 SESSIONS_REFUSED);
	assert_non_null(strstr(why, "déjà répondu"));
	/* Anonymous, one question left out; none answered is refused. */
	assert_int_equal(sessions_survey_answer(db, &who, "cs-survey", NULL, 1,
						SESSIONS_ANSWER_NONE, NOW, &why), SESSIONS_OK);
	assert_int_equal(sessions_survey_answer(db, &who, "cs-survey", NULL, SESSIONS_ANSWER_NONE,
						SESSIONS_ANSWER_NONE, NOW, &why), SESSIONS_REFUSED);
	assert_int_equal(sessions_survey_answer(db, &who, "cs-later", NULL, 1, 1, NOW, &why),
			 SESSIONS_REFUSED);
	assert_non_null(strstr(why, "après la séance"));
	assert_int_equal(sessions_counts(db, "cs-survey", &c), 0);
	assert_int_equal(c.answers, 2);
	assert_int_equal(c.job_yes, 2);
	assert_int_equal(c.job_no, 0);
	assert_int_equal(c.life_yes, 0);
	assert_int_equal(c.life_no, 1);
	assert_int_equal(c.present, 1);
	assert_int_equal(c.absent, 1);
}

static void test_split_a_datetime_into_day_and_time(void **state)
{
	char day[11], hm[6];

	(void)state;
	sessions_split_at("2017-07-14T14:05:00+02:00", day, hm);
	assert_string_equal(day, "2017-07-14");
	assert_string_equal(hm, "14:05");
	sessions_split_at("2017-07", day, hm);
	assert_string_equal(day, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registration_stops_at_the_capacity),
		cmocka_unit_test(test_excused_frees_a_place),
		cmocka_unit_test(test_two_racing_for_the_last_place_one_is_refused),
		cmocka_unit_test(test_a_future_session_records_no_presence),
		cmocka_unit_test(test_presence_is_all_or_nothing),
		cmocka_unit_test(test_only_a_registration_can_be_undone),
		cmocka_unit_test(test_survey_answers),
		cmocka_unit_test(test_split_a_datetime_into_day_and_time),
	};

	return cmocka_run_group_tests_name("sessions", tests, group_setup, fx_teardown);
}
