/*
 * The caseload as caseload_read() computes it (one query for the whole
 * caseload, the rules applied in C) against a straightforward computation
 * person by person: for each person of the database, is she followed, and
 * for each one followed, her four action flags and the facts the page
 * shows, each asked with its own query (the rules of caseload.h written
 * as plainly as SQL allows). Compared on a fixture whose dates sit on every
 * rule's edge, for every day of seven months, and on a small demo
 * territory for every référent on a few days; the order of the people and
 * a scope that hides someone too.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "db/db.h"
#include "demo/demo.h"
#include "fixture.h"
#include "model/caseload.h"

static struct db *db;
/* How many times each action was found on, over the comparisons. */
static long found[CASELOAD_NACTIONS];

#define ORG "'organisation':'o-asso'"
#define OR(id, person, start, end, itinerary, referent)                                          \
	"{'type':'orientation','id':'" id "','person':'" person "','decided_on':'" start "',"     \
	"'start':'" start "'" end ",'itinerary':'" itinerary "'," ORG referent ",'origin':'initial'}"
#define CT(id, person, kind, start, end, more)                                                     \
	"{'type':'contract','id':'" id "','person':'" person "','kind':'" kind "'," ORG             \
	",'signed_on':'" start "','start':'" start "','end':'" end "','actions':['housing']" more "}"
#define AP(id, person, at, status)                                                                 \
	"{'type':'appointment','id':'" id "','person':'" person "'," ORG ",'at':'" at              \
	"','kind':'accompaniment','status':'" status "'}"
#define PERSON(id, first, last, birth)                                                             \
	"{'type':'person','id':'" id "','household':'h-1','role':'AUT','first_name':'" first       \
	"','last_name':'" last "','birth_date':'" birth "','sex':'F'}"
#define BY_A ",'referent':'u-a'"
#define BY_B ",'referent':'u-b'"

static const char *const fixture[] = {
	"{'type':'organisation','id':'o-asso','name':'Asso','kind':'association'}",
	"{'type':'user','id':'u-a','email':'ra@t.fr','first_name':'Anne','last_name':'A',"
	"'organisation':'o-asso','roles':['referent']}",
	"{'type':'user','id':'u-b','email':'rb@t.fr','first_name':'Bruno','last_name':'B',"
	"'organisation':'o-asso','roles':['referent']}",
	"{'type':'household','id':'h-1'}",
	PERSON("p-01", "Un", "Martin", "1980-01-01"),
	PERSON("p-02", "Deux", "Martin", "1980-01-01"),
	PERSON("p-03", "Trois", "Durand", "1970-01-01"),
	PERSON("p-04", "Quatre", "Petit", "1975-05-05"),
	PERSON("p-05", "Cinq", "Roux", "1960-01-01"),
	PERSON("p-06", "Six", "Blanc", "1990-01-01"),
	PERSON("p-07", "Sept", "Noir", "1985-01-01"),
	PERSON("p-08", "Huit", "Vert", "1982-02-02"),
	PERSON("p-09", "Neuf", "Brun", "1983-03-03"),
	PERSON("p-10", "Un", "Martin", "1979-01-01"), /* same name, born earlier */
	PERSON("p-11", "Un", "Martin", "1980-01-01"), /* same name and birth: by id */
	/* Socio-professional from 1 October: no contract after a month; a
	 * cancelled appointment is no appointment, a planned one ahead is. */
	OR("or-01", "p-01", "2017-10-01", "", "socio_professional", BY_A),
	AP("ap-01a", "p-01", "2017-12-20T10:00:00+01:00", "cancelled"),
	AP("ap-01b", "p-01", "2018-02-01T10:00:00+01:00", "planned"),
	/* Social from 15 November; planned on 1 December, unfilled after it. */
	OR("or-02", "p-02", "2017-11-15", "", "social", BY_A),
	AP("ap-02", "p-02", "2017-12-01T09:00:00+01:00", "planned"),
	/* Followed by assignment; a CER ending on 20 January. */
	OR("or-03", "p-03", "2017-01-01", "", "social", ""),
	"{'type':'referent_assignment','id':'ra-03','person':'p-03','referent':'u-a',"
	"'organisation':'o-asso','start':'2017-01-01'}",
	CT("ct-03", "p-03", "cer", "2017-02-01", "2018-01-20", ""),
	AP("ap-03", "p-03", "2017-12-10T09:00:00+01:00", "honored"),
	/* Professional: never "no contract"; a CER terminated on 15 December,
	 * the next one recorded from 10 January. */
	OR("or-04", "p-04", "2017-01-01", "", "professional", BY_A),
	CT("ct-04a", "p-04", "cer", "2017-03-01", "2018-02-28",
	   ",'status':'terminated','terminated_on':'2017-12-15'"),
	CT("ct-04b", "p-04", "cer", "2018-01-10", "2018-12-31", ""),
	AP("ap-04", "p-04", "2017-11-05T14:00:00+01:00", "missed"),
	/* Two current orientations at once, then another référent. */
	OR("or-05a", "p-05", "2017-01-01", ",'end':'2017-12-20'", "social", BY_A),
	OR("or-05b", "p-05", "2017-08-01", ",'end':'2017-12-20'", "socio_professional", BY_A),
	OR("or-05c", "p-05", "2017-12-21", "", "social", BY_B),
	AP("ap-05", "p-05", "2017-10-15T08:30:00+02:00", "excused"),
	/* B's, followed by A while A covers B (below). */
	OR("or-06", "p-06", "2017-06-01", "", "socio_professional", BY_B),
	"{'type':'referent_cover','id':'rc-1','absent':'u-b','covering':'u-a',"
	"'start':'2018-01-02','end':'2018-01-15'}",
	/* A PPAE in force is no CER. */
	OR("or-07", "p-07", "2017-05-01", "", "socio_professional", BY_A),
	CT("ct-07", "p-07", "ppae", "2017-05-01", "2018-05-01", ""),
	/* An honoured appointment on the day three months before 31 December. */
	OR("or-08", "p-08", "2016-01-01", "", "social", BY_A),
	AP("ap-08", "p-08", "2017-09-30T10:00:00+02:00", "honored"),
	/* A CER ending on 30 January, 30 days after 31 December. */
	OR("or-09", "p-09", "2017-03-01", "", "social", BY_A),
	CT("ct-09", "p-09", "cer", "2017-03-01", "2018-01-30", ""),
	OR("or-10", "p-10", "2017-09-01", "", "social", BY_A),
	AP("ap-10", "p-10", "2017-12-31T09:00:00+01:00", "planned"),
	OR("or-11", "p-11", "2017-11-30", "", "socio_professional", BY_A),
	NULL,
};

static int group_setup(void **state)
{
	fx_today(2017, 12, 31);
	return fx_setup_with(state, fixture, &db);
}

/* ---- the computation person by person ---------------------------------- */

/* The text of the first row of sql with n text values ("" for a NULL or
 * no row) into out. */
static void vask(const char *sql, char *out, size_t size, int n, va_list ap)
{
	struct db_stmt *st;

	if (db_prepare(db, &st, sql))
		fail_msg("cannot prepare %s", sql);
	for (int i = 0; i < n; i++)
		db_bind_text(st, i + 1, va_arg(ap, const char *));
	snprintf(out, size, "%s",
		 db_step(st) == DB_ROW && db_col_text(st, 0) ? db_col_text(st, 0) : "");
	db_finalize(st);
}

static void ask(const char *sql, char *out, size_t size, int n, ...)
{
	va_list ap;

	va_start(ap, n);
	vask(sql, out, size, n, ap);
	va_end(ap);
}

/* Whether sql (with n text values) finds a row. */
static int yes(const char *sql, int n, ...)
{
	char v[8];
	va_list ap;

	va_start(ap, n);
	vask(sql, v, sizeof v, n, ap);
	va_end(ap);
	return strcmp(v, "1") == 0;
}

#define CURRENT_O "l.start_date <= ? AND (l.end_date IS NULL OR l.end_date >= ?)"
#define CER "c.kind IN ('cer', 'engagement')"
#define IN_FORCE CER " AND c.start_date <= ? AND COALESCE(c.terminated_on, c.end_date) >= ?"

struct expected {
	char itinerary[40], oriented_on[16], contract_end[16], last_appointment[40];
	int action[CASELOAD_NACTIONS];
};

static void expected_of(const char *id, long day, struct expected *e)
{
	char t[11], tomorrow[11], m1[11], m2[11], m3[11], d30[11];

	date_format(day, t);
	date_format(day + 1, tomorrow);
	date_format(date_add_months(day, -1), m1);
	date_format(date_add_months(day, -2), m2);
	date_format(date_add_months(day, -3), m3);
	date_format(day + 30, d30);
	ask("SELECT MAX(l.itinerary) FROM orientation l WHERE l.person = ? AND " CURRENT_O,
	    e->itinerary, sizeof e->itinerary, 3, id, t, t);
	ask("SELECT MAX(l.start_date) FROM orientation l WHERE l.person = ? AND " CURRENT_O,
	    e->oriented_on, sizeof e->oriented_on, 3, id, t, t);
	ask("SELECT MAX(COALESCE(c.terminated_on, c.end_date)) FROM contract c "
	    "WHERE c.person = ? AND " IN_FORCE, e->contract_end, sizeof e->contract_end, 3, id, t, t);
	ask("SELECT MAX(a.at) FROM appointment a WHERE a.person = ? AND a.at < ?",
	    e->last_appointment, sizeof e->last_appointment, 2, id, tomorrow);
	e->action[0] = (yes("SELECT 1 FROM orientation l WHERE l.person = ? AND " CURRENT_O
			    " AND l.itinerary = 'socio_professional' AND l.start_date < ?",
			    4, id, t, t, m1) ||
			yes("SELECT 1 FROM orientation l WHERE l.person = ? AND " CURRENT_O
			    " AND l.itinerary = 'social' AND l.start_date < ?", 4, id, t, t, m2)) &&
		       !yes("SELECT 1 FROM contract c WHERE c.person = ? AND " IN_FORCE, 3, id, t, t);
	e->action[1] = yes("SELECT 1 FROM contract c WHERE c.person = ? AND " IN_FORCE
			   " AND COALESCE(c.terminated_on, c.end_date) <= ?", 4, id, t, t, d30) &&
		       !yes("SELECT 1 FROM contract c WHERE c.person = ? AND " CER
			    " AND c.start_date > ?", 2, id, t);
	e->action[2] = yes("SELECT 1 FROM appointment a WHERE a.person = ? AND "
			   "a.status = 'planned' AND a.at < ?", 2, id, t);
	e->action[3] = !yes("SELECT 1 FROM appointment a WHERE a.person = ? AND a.status IN "
			    "('planned', 'honored', 'excused', 'missed') AND a.at >= ?", 2, id, m3);
}

/* Is person id followed by referent on day t: a current record naming
 * them, or naming a colleague they cover that day. */
static int followed_by(const char *id, const char *referent, const char *t)
{
	static const char *const direct[] = {
		"SELECT 1 FROM orientation l WHERE l.person = ? AND l.referent = ? AND " CURRENT_O,
		"SELECT 1 FROM referent_assignment l WHERE l.person = ? AND l.referent = ? AND "
		CURRENT_O,
	};
	static const char *const covered[] = {
		"SELECT 1 FROM referent_cover v JOIN orientation l ON l.referent = v.absent_referent "
		"WHERE l.person = ? AND v.covering_referent = ? AND v.start_date <= ? AND "
		"v.end_date >= ? AND " CURRENT_O,
		"SELECT 1 FROM referent_cover v JOIN referent_assignment l "
		"ON l.referent = v.absent_referent WHERE l.person = ? AND v.covering_referent = ? "
		"AND v.start_date <= ? AND v.end_date >= ? AND " CURRENT_O,
	};

	for (int i = 0; i < 2; i++)
		if (yes(direct[i], 4, id, referent, t, t) ||
		    yes(covered[i], 6, id, referent, t, t, t, t))
			return 1;
	return 0;
}

/* ---- the comparison ------------------------------------------------------ */

static void same_text(const char *what, const char *id, const char *got, const char *want,
		      long day)
{
	char d[11];

	if (strcmp(got ? got : "", want)) {
		date_format(day, d);
		fail_msg("%s of %s on %s: caseload_read says '%s', person by person '%s'", what,
			 id, d, got ? got : "(null)", want);
	}
}

static void compare_person(const struct caseload_person *p, long day, long counts[])
{
	struct expected e;
	char d[11];

	expected_of(p->id, day, &e);
	same_text("itinerary", p->id, p->itinerary, e.itinerary, day);
	same_text("oriented_on", p->id, p->oriented_on, e.oriented_on, day);
	same_text("contract_end", p->id, p->contract_end, e.contract_end, day);
	same_text("last_appointment", p->id, p->last_appointment, e.last_appointment, day);
	for (int k = 0; k < CASELOAD_NACTIONS; k++) {
		if (p->action[k] != e.action[k]) {
			date_format(day, d);
			fail_msg("%s of %s on %s: caseload_read says %d, person by person %d",
				 caseload_actions[k], p->id, d, p->action[k], e.action[k]);
		}
		counts[k + 1] += e.action[k];
	}
}

/* caseload_read() of referent on day against the person-by-person
 * answers, every person of the database asked whether followed, except
 * `hidden` when not NULL (the scope given hides her). Returns the size. */
static long compare(const char *referent, long day, const char *hidden)
{
	struct caseload c;
	struct db_stmt *st;
	json_t *binds = json_pack("[s]", hidden ? hidden : "");
	long counts[CASELOAD_NACTIONS + 1] = { 0 };
	size_t i = 0;
	char t[11];

	date_format(day, t);
	assert_int_equal(caseload_read(db, referent, day, hidden ? " AND (p.id <> ?)" : NULL,
				       hidden ? binds : NULL, &c), 0);
	json_decref(binds);
	/* Only people named with the référent or a colleague they cover,
	 * some day, may be followed: the others are not asked. */
	assert_int_equal(db_prepare(db, &st, "SELECT id FROM person WHERE id IN (SELECT person "
			 "FROM orientation WHERE referent = ? UNION SELECT person FROM "
			 "referent_assignment WHERE referent = ? UNION SELECT l.person FROM "
			 "referent_cover v JOIN orientation l ON l.referent = v.absent_referent "
			 "WHERE v.covering_referent = ? UNION SELECT l.person FROM referent_cover v "
			 "JOIN referent_assignment l ON l.referent = v.absent_referent WHERE "
			 "v.covering_referent = ?) ORDER BY search_key, birth_date, id"), 0);
	for (int k = 1; k <= 4; k++)
		db_bind_text(st, k, referent);
	while (db_step(st) == DB_ROW) {
		const char *id = db_col_text(st, 0);
		if (!followed_by(id, referent, t) || (hidden && !strcmp(id, hidden)))
			continue;
		if (i >= c.n)
			fail_msg("%s on %s: %s is followed, caseload_read misses her", referent, t,
				 id);
		same_text("person", id, c.people[i].id, id, day); /* the same order too */
		compare_person(&c.people[i++], day, counts);
	}
	db_finalize(st);
	if (i != c.n)
		fail_msg("%s on %s: caseload_read has %s, not followed", referent, t,
			 c.people[i].id);
	counts[0] = (long)i;
	for (int k = 0; k <= CASELOAD_NACTIONS; k++)
		assert_int_equal(c.counts[k], counts[k]);
	for (int k = 0; k < CASELOAD_NACTIONS; k++)
		found[k] += counts[k + 1];
	caseload_release(&c);
	return (long)i;
}

/* Every day from 1 September 2017 to 31 March 2018, both référents. */
static void test_every_day_of_seven_months(void **state)
{
	long seen = 0;

	(void)state;
	memset(found, 0, sizeof found);
	for (long day = date_from_civil(2017, 9, 1); day <= date_from_civil(2018, 3, 31); day++)
		seen += compare("u-a", day, NULL) + compare("u-b", day, NULL);
	assert_true(seen > 0);
	for (int k = 0; k < CASELOAD_NACTIONS; k++) /* each rule met, and not always */
		assert_in_range(found[k], 1, seen - 1);
}

/* The caller's scope applies: a hidden person is neither listed nor
 * counted. */
static void test_the_scope_hides_a_person(void **state)
{
	long all, fewer;

	(void)state;
	all = compare("u-a", date_from_civil(2017, 12, 31), NULL);
	fewer = compare("u-a", date_from_civil(2017, 12, 31), "p-03");
	assert_int_equal(fewer, all - 1);
}

/* A small demo territory (paths of two years): every référent on four
 * days. */
static void test_demo_territory(void **state)
{
	struct demo_options opt = { DEMO_DEFAULT_SEED, 400 };
	struct fx_db demo;
	struct db *saved = db;
	struct db_stmt *st;
	json_t *referents = json_array(), *v;
	char *bytes = NULL;
	size_t size = 0, i;
	FILE *out = open_memstream(&bytes, &size);
	static const int days[][3] = { { 2017, 12, 31 }, { 2017, 6, 15 }, { 2018, 1, 31 },
				       { 2016, 12, 1 } };
	long people = 0;

	(void)state;
	assert_non_null(out);
	assert_int_equal(demo_write(out, &opt), 0);
	assert_int_equal(fclose(out), 0);
	assert_int_equal(fx_db_create(&demo, "caseload-demo"), 0);
	fx_import(&demo, "demo.jsonl", bytes);
	free(bytes);
	db = demo.db;
	assert_int_equal(db_prepare(db, &st, "SELECT referent FROM orientation UNION SELECT "
					     "referent FROM referent_assignment UNION SELECT "
					     "covering_referent FROM referent_cover"), 0);
	while (db_step(st) == DB_ROW)
		if (db_col_text(st, 0))
			json_array_append_new(referents, json_string(db_col_text(st, 0)));
	db_finalize(st);
	json_array_foreach(referents, i, v)
		for (size_t d = 0; d < sizeof days / sizeof *days; d++)
			people += compare(json_string_value(v),
					  date_from_civil(days[d][0], days[d][1], days[d][2]), NULL);
	assert_true(people > 100);
	json_decref(referents);
	db = saved;
	fx_db_remove(&demo);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_day_of_seven_months),
		cmocka_unit_test(test_the_scope_hides_a_person),
		cmocka_unit_test(test_demo_territory),
	};
	return cmocka_run_group_tests(tests, group_setup, fx_teardown);
}
