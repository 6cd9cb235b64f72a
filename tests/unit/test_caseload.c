/*
 * Unit tests for the référent's caseload (src/model/caseload.c): who is
 * followed today, each "needs action" rule, temporary covers (start, end,
 * refusals) and the caseload transfer (records split on the date, refused
 * across organisations, audited).
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

#include "base/buf.h"
#include "base/date.h"
#include "db/db.h"
#include "fixture.h"
#include "model/caseload.h"
#include "model/password.h"
#include "model/problems.h"
#include "model/record.h"
#include "model/schema.h"

static struct db *db;
static const struct caseload_actor admin = { "u-admin", "127.0.0.1" };

static const char *const fixture[] = {
	"{'type':'organisation','id':'o-asso','name':'Asso','kind':'association'}",
	"{'type':'organisation','id':'o-other','name':'Autre','kind':'association'}",
	"{'type':'user','id':'u-admin','email':'a@t.fr','first_name':'A','last_name':'A',"
	"'organisation':'o-asso','roles':['admin']}",
	"{'type':'user','id':'u-a','email':'ra@t.fr','first_name':'Anne','last_name':'A',"
	"'organisation':'o-asso','roles':['referent']}",
	"{'type':'user','id':'u-b','email':'rb@t.fr','first_name':'Bruno','last_name':'B',"
	"'organisation':'o-asso','roles':['referent']}",
	"{'type':'user','id':'u-c','email':'rc@t.fr','first_name':'Chloé','last_name':'C',"
	"'organisation':'o-other','roles':['referent']}",
	"{'type':'household','id':'h-1'}",
	"{'type':'person','id':'p-1','household':'h-1','role':'DEM','first_name':'Un',"
	"'last_name':'P','birth_date':'1980-01-01','sex':'F'}",
	"{'type':'person','id':'p-2','household':'h-1','role':'CJT','first_name':'Deux',"
	"'last_name':'P','birth_date':'1980-01-01','sex':'M'}",
	"{'type':'person','id':'p-3','household':'h-1','role':'AUT','first_name':'Trois',"
	"'last_name':'P','birth_date':'1970-01-01','sex':'M'}",
	"{'type':'person','id':'p-5','household':'h-1','role':'AUT','first_name':'Cinq',"
	"'last_name':'P','birth_date':'1960-01-01','sex':'M'}",
	/* p-1: socio-professional for 3 months, no contract, no appointment. */
	"{'type':'orientation','id':'or-1','person':'p-1','decided_on':'2017-10-01',"
	"'start':'2017-10-01','itinerary':'socio_professional','organisation':'o-asso',"
	"'referent':'u-a','origin':'initial'}",
	/* p-2: social for 6 weeks (within the 2 months), a past appointment planned. */
	"{'type':'orientation','id':'or-2','person':'p-2','decided_on':'2017-11-15',"
	"'start':'2017-11-15','itinerary':'social','organisation':'o-asso',"
	"'referent':'u-a','origin':'initial'}",
	"{'type':'appointment','id':'ap-2','person':'p-2','organisation':'o-asso',"
	"'at':'2017-12-01T09:00:00+01:00','kind':'accompaniment','status':'planned'}",
	/* p-3: followed by assignment; a CER ending within 30 days. */
	"{'type':'orientation','id':'or-3','person':'p-3','decided_on':'2017-01-01',"
	"'start':'2017-01-01','itinerary':'social','organisation':'o-asso','origin':'initial'}",
	"{'type':'referent_assignment','id':'ra-3','person':'p-3','referent':'u-a',"
	"'organisation':'o-asso','start':'2017-01-01'}",
	"{'type':'contract','id':'ct-3','person':'p-3','kind':'cer','organisation':'o-asso',"
	"'signed_on':'2017-02-01','start':'2017-02-01','end':'2018-01-20','actions':['housing']}",
	"{'type':'appointment','id':'ap-3','person':'p-3','organisation':'o-asso',"
	"'at':'2017-12-10T09:00:00+01:00','kind':'accompaniment','status':'honored'}",
	/* p-5: followed until mid-2017 only. */
	"{'type':'orientation','id':'or-5','person':'p-5','decided_on':'2017-01-01',"
	"'start':'2017-01-01','end':'2017-06-30','itinerary':'social','organisation':'o-asso',"
	"'referent':'u-a','origin':'initial'}",
	NULL,
};

static int group_setup(void **state)
{
	fx_today(2017, 12, 31);
	if (password_init())
		return -1;
	return fx_setup_with(state, fixture, &db);
}

/* The counts of a référent's caseload on `day` (total, then each action). */
static void counts_on(const char *referent, long day, long n[5])
{
	struct caseload c;

	assert_int_equal(caseload_read(db, referent, day, NULL, NULL, &c), 0);
	memcpy(n, c.counts, sizeof c.counts);
	caseload_release(&c);
}

static long d(int y, int m, int dd)
{
	return date_from_civil(y, m, dd);
}

static void test_each_action_is_counted(void **state)
{
	long n[5];

	(void)state;
	counts_on("u-a", d(2017, 12, 31), n);
	assert_int_equal(n[0], 3); /* p-1, p-2, p-3; p-5's link ended */
	assert_int_equal(n[1], 1); /* no contract: p-1 (1 month passed) */
	assert_int_equal(n[2], 1); /* contract ending: p-3 on 2018-01-20 */
	assert_int_equal(n[3], 1); /* unfilled: p-2's planned appointment */
	assert_int_equal(n[4], 1); /* no appointment since 3 months: p-1 */
	/* On 2017-11-01, p-1's month is not over yet. */
	counts_on("u-a", d(2017, 11, 1), n);
	assert_int_equal(n[1], 0);
	assert_int_equal(caseload_size(db, "u-b", d(2017, 12, 31)), 0);
}

/* Followed through both an orientation and an assignment: one person
 * (the caseload's "followed" condition is one set of ids). */
static void test_followed_twice_is_one_person(void **state)
{
	json_t *rec = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "type", "referent_assignment",
				"id", "ra-1b", "person", "p-1", "referent", "u-a", "organisation",
				"o-asso", "start", "2017-10-01");
	struct record_writer *w;
	long n[5];

	(void)state;
	assert_int_equal(db_begin(db), 0);
	w = record_writer_new(db);
	assert_int_equal(record_write(w, &type_referent_assignment, "ra-1b", rec), 0);
	record_writer_free(w);
	assert_int_equal(db_commit(db), 0);
	json_decref(rec);
	counts_on("u-a", d(2017, 12, 31), n);
	assert_int_equal(n[0], 3);
	assert_int_equal(n[1], 1);
	assert_int_equal(db_exec(db, "DELETE FROM referent_assignment WHERE id = 'ra-1b'"), 0);
}

static void test_cover_follows_the_absent_caseload_between_its_dates(void **state)
{
	struct problems pb;
	char id[65];

	(void)state;
	problems_init(&pb);
	assert_int_equal(caseload_cover(db, &admin, "u-a", "u-b", "2018-01-02", "2018-01-15", &pb,
					id), CASELOAD_OK);
	problems_release(&pb);
	assert_int_equal(caseload_size(db, "u-b", d(2018, 1, 1)), 0);
	assert_int_equal(caseload_size(db, "u-b", d(2018, 1, 2)), 3);
	assert_int_equal(caseload_size(db, "u-b", d(2018, 1, 15)), 3);
	assert_int_equal(caseload_size(db, "u-b", d(2018, 1, 16)), 0);
}

static void refused_cover(const char *absent, const char *covering, const char *start,
			  const char *end, const char *field)
{
	struct problems pb;
	char id[65];
	json_t *f;

	problems_init(&pb);
	assert_int_equal(caseload_cover(db, &admin, absent, covering, start, end, &pb, id),
			 CASELOAD_INVALID);
	f = problems_fields(&pb);
	if (!json_object_get(f, field))
		fail_msg("expected a problem on %s, got %s", field, json_dumps(f, JSON_COMPACT));
	json_decref(f);
	problems_release(&pb);
}

static void test_cover_refusals(void **state)
{
	(void)state;
	refused_cover("u-a", "u-c", "2018-02-01", "2018-02-10", "covering"); /* other organisation */
	refused_cover("u-a", "u-a", "2018-02-01", "2018-02-10", "covering"); /* oneself */
	refused_cover("u-a", "u-admin", "2018-02-01", "2018-02-10", "covering"); /* not a référent */
	refused_cover("u-a", "u-b", "2018-01-10", "2018-02-10", "start"); /* overlaps the first */
	refused_cover("u-a", "u-b", "2018-02-10", "2018-02-01", "end");   /* end before start */
}

static void test_transfer_refused_across_organisations(void **state)
{
	struct problems pb;
	long moved = -1;

	(void)state;
	problems_init(&pb);
	assert_int_equal(caseload_transfer(db, &admin, "u-a", "u-c", "2018-01-01", &pb, &moved),
			 CASELOAD_INVALID);
	assert_int_equal(moved, 0);
	problems_release(&pb);
	assert_int_equal(caseload_size(db, "u-a", d(2018, 1, 1)), 3);
}

static void test_transfer_moves_the_caseload_on_its_date(void **state)
{
	struct problems pb;
	long moved = 0;
	json_t *old;
	struct db_stmt *st;

	(void)state;
	problems_init(&pb);
	assert_int_equal(caseload_transfer(db, &admin, "u-a", "u-b", "2018-01-01", &pb, &moved),
			 CASELOAD_OK);
	problems_release(&pb);
	assert_int_equal(moved, 3);
	assert_int_equal(caseload_size(db, "u-a", d(2018, 1, 1)), 0);
	assert_int_equal(caseload_size(db, "u-b", d(2018, 1, 1)), 3);
	/* The assignment is split: A until the day before, B from the date. */
	old = record_load(db, &type_referent_assignment, "ra-3", NULL);
	assert_string_equal(json_string_value(json_object_get(old, "end")), "2017-12-31");
	json_decref(old);
	assert_int_equal(db_prepare(db, &st, "SELECT COUNT(*) FROM referent_assignment WHERE "
					     "person = 'p-3' AND referent = 'u-b' AND start_date = "
					     "'2018-01-01' AND end_date IS NULL"), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 1);
	db_finalize(st);
	/* p-5's ended orientation keeps its référent. */
	old = record_load(db, &type_orientation, "or-5", NULL);
	assert_string_equal(json_string_value(json_object_get(old, "referent")), "u-a");
	json_decref(old);
	assert_int_equal(db_prepare(db, &st, "SELECT COUNT(*) FROM audit WHERE action = "
					     "'caseload.transfer'"), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 4); /* 3 people and the whole */
	db_finalize(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_action_is_counted),
		cmocka_unit_test(test_followed_twice_is_one_person),
		cmocka_unit_test(test_cover_follows_the_absent_caseload_between_its_dates),
		cmocka_unit_test(test_cover_refusals),
		cmocka_unit_test(test_transfer_refused_across_organisations),
		cmocka_unit_test(test_transfer_moves_the_caseload_on_its_date),
	};
	return cmocka_run_group_tests(tests, group_setup, fx_teardown);
}
