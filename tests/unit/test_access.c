/*
 * Unit tests for src/web/access.c: who sees which person (domain.md,
 * "Access rules"), through access_person_visible(), which goes through
 * access_scope_people() like every list and search; who sees the NIR; and
 * the route check.
 *
 * "Today" is fixed at 2017-12-31 (the demo's date) with fx_today().
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
#include "base/text.h"
#include "db/db.h"
#include "fixture.h"
#include "model/password.h"
#include "model/problems.h"
#include "model/record.h"
#include "model/schema.h"
#include "model/user.h"
#include "web/access.h"
#include "web/http.h"

static struct db *db;

/* Territories: east has commune 69381, west 69382. A household is in a
 * territory when it names it, or names none and lives in one of its
 * communes. */
static const char *const records[] = {
	"{\"type\":\"territory\",\"id\":\"t-east\",\"name\":\"Est\",\"communes\":[\"69381\"]}",
	"{\"type\":\"territory\",\"id\":\"t-west\",\"name\":\"Ouest\",\"communes\":[\"69382\"]}",
	"{\"type\":\"household\",\"id\":\"h-east\",\"territory\":\"t-east\",\"commune\":\"69381\"}",
	"{\"type\":\"household\",\"id\":\"h-east-commune\",\"commune\":\"69381\"}",
	"{\"type\":\"household\",\"id\":\"h-west\",\"territory\":\"t-west\"}",
	"{\"type\":\"household\",\"id\":\"h-west-commune\",\"commune\":\"69382\"}",
	"{\"type\":\"household\",\"id\":\"h-nowhere\",\"commune\":\"01001\"}",
	/* Names east but lives in a west commune: the named territory wins. */
	"{\"type\":\"household\",\"id\":\"h-named-east\",\"territory\":\"t-east\",\"commune\":\"69382\"}",
	/* The référent u-test of o-test (user_with()) and a colleague elsewhere. */
	"{\"type\":\"organisation\",\"id\":\"o-test\",\"name\":\"MDM\",\"kind\":\"maison_metropole\"}",
	"{\"type\":\"organisation\",\"id\":\"o-other\",\"name\":\"PE\",\"kind\":\"pole_emploi\"}",
	"{\"type\":\"user\",\"id\":\"u-test\",\"email\":\"test@example.fr\",\"first_name\":\"T\","
	"\"last_name\":\"T\",\"organisation\":\"o-test\",\"roles\":[\"referent\"]}",
	"{\"type\":\"user\",\"id\":\"u-other\",\"email\":\"other@example.fr\",\"first_name\":\"O\","
	"\"last_name\":\"O\",\"organisation\":\"o-other\",\"roles\":[\"referent\"]}",
	/* u-colleague of o-test, whom u-test covers in December 2017. */
	"{\"type\":\"organisation\",\"id\":\"o-third\",\"name\":\"Asso\",\"kind\":\"association\"}",
	"{\"type\":\"user\",\"id\":\"u-colleague\",\"email\":\"colleague@example.fr\","
	"\"first_name\":\"C\",\"last_name\":\"C\",\"organisation\":\"o-test\",\"roles\":[\"referent\"]}",
	"{\"type\":\"referent_cover\",\"id\":\"cover-1\",\"absent\":\"u-colleague\","
	"\"covering\":\"u-test\",\"start\":\"2017-12-01\",\"end\":\"2018-01-15\"}",
	NULL,
};

/* The référent's links (orientation or assignment), "today" 2017-12-31:
 * current, or ended within 12 months (on or after 2016-12-31). Fields:
 * type, person, organisation, referent ("" none), start, end ("" open). */
static const char *const links[][6] = {
	{ "orientation", "p-ref-follows", "o-other", "u-test", "2017-01-01", "" },
	{ "referent_assignment", "p-ref-follows-ended", "o-other", "u-test", "2016-01-01", "2017-01-31" },
	{ "orientation", "p-ref-followed-long-ago", "o-other", "u-test", "2015-01-01", "2016-12-30" },
	{ "orientation", "p-ref-org", "o-test", "", "2017-06-01", "" },
	{ "referent_assignment", "p-ref-org-assigned", "o-test", "u-other", "2017-06-01", "2018-06-01" },
	{ "orientation", "p-ref-org-ended-edge", "o-test", "", "2016-01-01", "2016-12-31" },
	{ "orientation", "p-ref-org-ended-before", "o-test", "", "2016-01-01", "2016-12-30" },
	{ "orientation", "p-ref-elsewhere", "o-other", "u-other", "2016-01-01", "" },
	{ "orientation", "p-ref-org-future", "o-test", "", "2018-01-01", "" },
	/* Followed by u-colleague in another organisation (the fixture skips
	 * the cross-record rules), so only the cover shows it to u-test. */
	{ "orientation", "p-cover", "o-third", "u-colleague", "2017-01-01", "" },
};

/* Instances of east, west and the metropolitan one (no territory), one
 * member each, one sitting each; case reviews on their agendas or pending. */
static const char *const reviews[] = {
	"{\"type\":\"instance\",\"id\":\"i-east\",\"name\":\"ITT Est\",\"kind\":\"itt\","
	"\"territory\":\"t-east\"}",
	"{\"type\":\"instance\",\"id\":\"i-west\",\"name\":\"ITT Ouest\",\"kind\":\"itt\","
	"\"territory\":\"t-west\"}",
	"{\"type\":\"instance\",\"id\":\"i-metro\",\"name\":\"Médiation\","
	"\"kind\":\"metropolitan_mediation\"}",
	"{\"type\":\"instance_member\",\"id\":\"m-east\",\"instance\":\"i-east\",\"name\":\"E\","
	"\"role\":\"chair\",\"start\":\"2017-01-01\"}",
	"{\"type\":\"instance_member\",\"id\":\"m-west\",\"instance\":\"i-west\",\"name\":\"W\","
	"\"role\":\"chair\",\"start\":\"2017-01-01\"}",
	"{\"type\":\"instance_member\",\"id\":\"m-metro\",\"instance\":\"i-metro\",\"name\":\"M\","
	"\"role\":\"chair\",\"start\":\"2017-01-01\"}",
	"{\"type\":\"sitting\",\"id\":\"s-east\",\"instance\":\"i-east\",\"date\":\"2017-06-01\","
	"\"present\":[\"m-east\"]}",
	"{\"type\":\"sitting\",\"id\":\"s-west\",\"instance\":\"i-west\",\"date\":\"2017-06-01\","
	"\"present\":[\"m-west\"]}",
	"{\"type\":\"sitting\",\"id\":\"s-metro\",\"instance\":\"i-metro\",\"date\":\"2017-06-01\","
	"\"present\":[\"m-metro\"]}",
	"{\"type\":\"case_review\",\"id\":\"cr-1\",\"person\":\"p-cr-east\",\"referred_on\":"
	"\"2017-05-01\",\"reason\":\"no_contract\",\"sitting\":\"s-east\"}",
	"{\"type\":\"case_review\",\"id\":\"cr-2\",\"person\":\"p-cr-west\",\"referred_on\":"
	"\"2017-05-01\",\"reason\":\"no_contract\",\"sitting\":\"s-west\"}",
	"{\"type\":\"case_review\",\"id\":\"cr-3\",\"person\":\"p-cr-metro\",\"referred_on\":"
	"\"2017-05-01\",\"reason\":\"pe_removal\",\"sitting\":\"s-metro\"}",
	"{\"type\":\"case_review\",\"id\":\"cr-4\",\"person\":\"p-cr-pending-east\",\"referred_on\":"
	"\"2017-11-01\",\"reason\":\"no_contract\"}",
	"{\"type\":\"case_review\",\"id\":\"cr-5\",\"person\":\"p-cr-pending-west\",\"referred_on\":"
	"\"2017-11-01\",\"reason\":\"no_contract\"}",
	NULL,
};

struct person_case {
	const char *id;
	const char *household;
	const char *periods; /* "start end state duties;…", end "-" for open */
};

static const struct person_case people[] = {
	{ "p-sdd-east", "h-east", "2017-01-01 - 2 1" },
	{ "p-sdd-east-commune", "h-east-commune", "2017-01-01 - 3 1" },
	{ "p-sdd-named-east", "h-named-east", "2017-01-01 - 4 1" },
	{ "p-sdd-west", "h-west", "2017-01-01 - 2 1" },
	{ "p-sdd-west-commune", "h-west-commune", "2017-01-01 - 2 1" },
	{ "p-sdd-nowhere", "h-nowhere", "2017-01-01 - 2 1" },
	{ "p-not-subject", "h-east", "2017-01-01 - 2 0" },
	{ "p-state-1", "h-east", "2017-01-01 - 1 1" },
	{ "p-state-5", "h-east", "2017-01-01 - 5 1" },
	{ "p-state-0", "h-east", "2017-01-01 - 0 1" },
	{ "p-ended", "h-east", "2016-01-01 2017-12-30 2 1" },
	{ "p-ends-today", "h-east", "2016-01-01 2017-12-31 2 1" },
	{ "p-starts-today", "h-east", "2017-12-31 - 2 1" },
	{ "p-future", "h-east", "2018-01-01 - 2 1" },
	{ "p-no-right", "h-east", "" },
	{ "p-sdd-after-not", "h-east", "2015-01-01 2016-12-31 1 0;2017-01-01 - 2 1" },
	{ "p-not-after-sdd", "h-east", "2015-01-01 2016-12-31 2 1;2017-01-01 - 6 0" },
	{ "p-ref-follows", "h-west", "" },
	{ "p-ref-follows-ended", "h-west", "" },
	{ "p-ref-followed-long-ago", "h-west", "" },
	{ "p-ref-org", "h-west", "" },
	{ "p-ref-org-assigned", "h-west", "" },
	{ "p-ref-org-ended-edge", "h-west", "" },
	{ "p-ref-org-ended-before", "h-west", "" },
	{ "p-ref-elsewhere", "h-west", "" },
	{ "p-ref-org-future", "h-west", "" },
	{ "p-cr-east", "h-west", "" },
	{ "p-cr-west", "h-east", "" },
	{ "p-cr-metro", "h-west", "" },
	{ "p-cr-pending-east", "h-east-commune", "" },
	{ "p-cr-pending-west", "h-west", "" },
	{ "p-cover", "h-west", "" },
	{ NULL, NULL, NULL },
};

static void put_person(struct record_writer *w, const struct person_case *p)
{
	char text[512], start[11], end[11], st[2];
	const char *s = p->periods;
	int duties, n = 0, used;

	snprintf(text, sizeof text,
		 "{\"type\":\"person\",\"id\":\"%s\",\"household\":\"%s\",\"role\":\"DEM\","
		 "\"first_name\":\"A\",\"last_name\":\"B\",\"birth_date\":\"1980-01-01\",\"sex\":\"F\"}",
		 p->id, p->household);
	fx_put(db, w, text);
	while (*s && sscanf(s, "%10s %10s %1s %d%n", start, end, st, &duties, &used) == 4) {
		char rp[400];
		snprintf(rp, sizeof rp,
			 "{\"type\":\"right_period\",\"id\":\"%s-r%d\",\"person\":\"%s\",\"start\":\"%s\"%s%s%s,"
			 "\"state\":\"%s\",\"subject_to_duties\":%s}",
			 p->id, n++, p->id, start, strcmp(end, "-") ? ",\"end\":\"" : "",
			 strcmp(end, "-") ? end : "", strcmp(end, "-") ? "\"" : "", st,
			 duties ? "true" : "false");
		fx_put(db, w, rp);
		s += used;
		if (*s == ';')
			s++;
	}
}

static void put_link(struct record_writer *w, const char *const l[6], int n)
{
	char text[600];
	int orientation = strcmp(l[0], "orientation") == 0;

	snprintf(text, sizeof text,
		 "{\"type\":\"%s\",\"id\":\"link-%d\",\"person\":\"%s\",\"organisation\":\"%s\","
		 "\"start\":\"%s\"%s%s%s%s%s%s%s}",
		 l[0], n, l[1], l[2], l[4], l[5][0] ? ",\"end\":\"" : "", l[5], l[5][0] ? "\"" : "",
		 l[3][0] ? ",\"referent\":\"" : "", l[3], l[3][0] ? "\"" : "",
		 orientation ? ",\"decided_on\":\"2015-01-01\",\"itinerary\":\"social\","
			       "\"origin\":\"initial\"" : "");
	fx_put(db, w, text);
}

static int group_setup(void **state)
{
	struct record_writer *w;

	fx_today(2017, 12, 31);
	if (password_init() || fx_setup_with(state, records, &db))
		return -1;
	w = record_writer_new(db);
	if (db_begin(db))
		return -1;
	for (const struct person_case *p = people; p->id; p++)
		put_person(w, p);
	for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
		put_link(w, links[i], (int)i);
	record_writer_free(w);
	if (db_commit(db))
		return -1;
	fx_put_all(db, reviews);
	return 0;
}

static int reset_today(void **state)
{
	(void)state;
	fx_today(2017, 12, 31);
	return 0;
}

static struct user user_with(unsigned roles, const char *territory)
{
	struct user u;

	memset(&u, 0, sizeof u);
	snprintf(u.id, sizeof u.id, "u-test");
	snprintf(u.email, sizeof u.email, "test@example.fr");
	snprintf(u.organisation, sizeof u.organisation, "o-test");
	snprintf(u.territory, sizeof u.territory, "%s", territory);
	u.roles = roles;
	u.active = 1;
	return u;
}

/* The people of the fixture u sees, as a space-separated list in the
 * order of people[]. */
static void visible_list(const struct user *u, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (const struct person_case *p = people; p->id; p++)
		if (access_person_visible(db, u, p->id))
			len += (size_t)snprintf(out + len, size - len, "%s%s", len ? " " : "", p->id);
}

static void assert_sees(const struct user *u, const char *want)
{
	char got[2048];

	visible_list(u, got, sizeof got);
	if (strcmp(got, want) != 0)
		fail_msg("roles %#x territory \"%s\" sees\n  \"%s\"\nwant\n  \"%s\"", u->roles, u->territory,
			 got, want);
}

#define ALL_PEOPLE \
	"p-sdd-east p-sdd-east-commune p-sdd-named-east p-sdd-west p-sdd-west-commune " \
	"p-sdd-nowhere p-not-subject p-state-1 p-state-5 p-state-0 p-ended p-ends-today " \
	"p-starts-today p-future p-no-right p-sdd-after-not p-not-after-sdd " \
	"p-ref-follows p-ref-follows-ended p-ref-followed-long-ago p-ref-org p-ref-org-assigned " \
	"p-ref-org-ended-edge p-ref-org-ended-before p-ref-elsewhere p-ref-org-future " \
	"p-cr-east p-cr-west p-cr-metro p-cr-pending-east p-cr-pending-west p-cover"

/* What the référent u-test of o-test sees on 2017-12-31. */
#define REFERENT_SEES \
	"p-ref-follows p-ref-follows-ended p-ref-org p-ref-org-assigned p-ref-org-ended-edge p-cover"

#define SDD_EAST \
	"p-sdd-east p-sdd-east-commune p-sdd-named-east p-ends-today p-starts-today p-sdd-after-not"

#define SDD_ALL \
	"p-sdd-east p-sdd-east-commune p-sdd-named-east p-sdd-west p-sdd-west-commune " \
	"p-sdd-nowhere p-ends-today p-starts-today p-sdd-after-not"

static void test_admin_sees_everyone(void **state)
{
	struct user u = user_with(ROLE_ADMIN, "t-east");

	(void)state;
	assert_sees(&u, ALL_PEOPLE);
	u = user_with(ROLE_ADMIN, "");
	assert_sees(&u, ALL_PEOPLE);
}

static void test_nobody_sees_a_person_that_does_not_exist(void **state)
{
	struct user u = user_with(ROLE_ANY, "");

	(void)state;
	assert_false(access_person_visible(db, &u, "p-404"));
	assert_false(access_person_visible(db, &u, ""));
	assert_false(access_person_visible(db, &u, "' OR '1'='1"));
}

static void test_orientation_officer_sees_sdd_people_of_their_territory(void **state)
{
	struct user u = user_with(ROLE_ORIENTATION_OFFICER, "t-east");

	(void)state;
	assert_sees(&u, SDD_EAST);
	u = user_with(ROLE_ORIENTATION_OFFICER, "t-west");
	assert_sees(&u, "p-sdd-west p-sdd-west-commune");
}

static void test_orientation_officer_without_territory_sees_all_sdd_people(void **state)
{
	struct user u = user_with(ROLE_ORIENTATION_OFFICER, "");

	(void)state;
	assert_sees(&u, SDD_ALL);
}

static void test_orientation_officer_of_unknown_territory_sees_nobody(void **state)
{
	struct user u = user_with(ROLE_ORIENTATION_OFFICER, "t-north");

	(void)state;
	assert_sees(&u, "");
	/* The territory is a bound value, never SQL text. */
	u = user_with(ROLE_ORIENTATION_OFFICER, "x') OR 1=1 OR ('");
	assert_sees(&u, "");
}

static void test_sdd_needs_state_2_3_or_4_and_duties(void **state)
{
	struct user u = user_with(ROLE_ORIENTATION_OFFICER, "t-east");

	(void)state;
	assert_true(access_person_visible(db, &u, "p-sdd-east"));          /* state 2 */
	assert_true(access_person_visible(db, &u, "p-sdd-east-commune"));  /* state 3 */
	assert_true(access_person_visible(db, &u, "p-sdd-named-east"));    /* state 4 */
	assert_false(access_person_visible(db, &u, "p-not-subject"));
	assert_false(access_person_visible(db, &u, "p-state-0"));
	assert_false(access_person_visible(db, &u, "p-state-1"));
	assert_false(access_person_visible(db, &u, "p-state-5"));
	assert_false(access_person_visible(db, &u, "p-no-right"));
}

static void test_sdd_is_judged_on_today_with_inclusive_end(void **state)
{
	struct user u = user_with(ROLE_ORIENTATION_OFFICER, "t-east");

	(void)state;
	assert_false(access_person_visible(db, &u, "p-ended"));
	assert_true(access_person_visible(db, &u, "p-ends-today"));
	assert_true(access_person_visible(db, &u, "p-starts-today"));
	assert_false(access_person_visible(db, &u, "p-future"));
	/* A day later, the scope follows. */
	fx_today(2018, 1, 1);
	assert_false(access_person_visible(db, &u, "p-ends-today"));
	assert_true(access_person_visible(db, &u, "p-future"));
	assert_true(access_person_visible(db, &u, "p-starts-today"));
	/* Back in 2016, the other periods count. */
	fx_today(2016, 6, 1);
	assert_sees(&u, "p-ended p-ends-today p-not-after-sdd");
}

static void test_only_the_period_covering_today_counts(void **state)
{
	struct user u = user_with(ROLE_ORIENTATION_OFFICER, "");

	(void)state;
	assert_true(access_person_visible(db, &u, "p-sdd-after-not"));
	assert_false(access_person_visible(db, &u, "p-not-after-sdd"));
}

static void test_household_territory_wins_over_commune(void **state)
{
	struct user east = user_with(ROLE_ORIENTATION_OFFICER, "t-east");
	struct user west = user_with(ROLE_ORIENTATION_OFFICER, "t-west");

	(void)state;
	assert_true(access_person_visible(db, &east, "p-sdd-named-east"));
	assert_false(access_person_visible(db, &west, "p-sdd-named-east"));
	assert_true(access_person_visible(db, &east, "p-sdd-east-commune"));
	assert_false(access_person_visible(db, &west, "p-sdd-east-commune"));
}

static void test_referent_sees_followed_and_organisation_people(void **state)
{
	struct user u = user_with(ROLE_REFERENT, "t-east");

	(void)state;
	assert_sees(&u, REFERENT_SEES);
	/* The territory does not matter to a référent. */
	u = user_with(ROLE_REFERENT, "");
	assert_sees(&u, REFERENT_SEES);
}

static void test_referent_links_last_twelve_months_after_their_end(void **state)
{
	struct user u = user_with(ROLE_REFERENT, "");

	(void)state;
	/* 2017-01-31 + 12 months: still seen that day, not the day after. */
	fx_today(2018, 1, 31);
	assert_true(access_person_visible(db, &u, "p-ref-follows-ended"));
	fx_today(2018, 2, 1);
	assert_false(access_person_visible(db, &u, "p-ref-follows-ended"));
	/* A link that has not started yet gives nothing; from its first day, it does. */
	fx_today(2018, 1, 1);
	assert_true(access_person_visible(db, &u, "p-ref-org-future"));
	/* A cover gives the absent colleague's current people while it lasts,
	 * with no tail after it. */
	fx_today(2018, 1, 15);
	assert_true(access_person_visible(db, &u, "p-cover"));
	fx_today(2018, 1, 16);
	assert_false(access_person_visible(db, &u, "p-cover"));
	fx_today(2017, 11, 30);
	assert_false(access_person_visible(db, &u, "p-cover"));
	/* Before the links existed, nobody. */
	fx_today(2014, 12, 31);
	assert_sees(&u, "");
}

static void test_referent_of_another_organisation_sees_other_people(void **state)
{
	struct user u = user_with(ROLE_REFERENT, "");

	(void)state;
	snprintf(u.id, sizeof u.id, "u-other");
	snprintf(u.organisation, sizeof u.organisation, "o-other");
	/* o-other's orientations and assignments, and u-other's own
	 * assignment in o-test. */
	assert_sees(&u, "p-ref-follows p-ref-follows-ended p-ref-org-assigned p-ref-elsewhere");
	/* Values are bound, never SQL text. */
	snprintf(u.id, sizeof u.id, "x' OR '1'='1");
	snprintf(u.organisation, sizeof u.organisation, "x' OR '1'='1");
	assert_sees(&u, "");
}

static void test_health_steps_need_the_accreditation(void **state)
{
	struct user u = user_with(ROLE_ADMIN, "");
	struct buf sql;

	(void)state;
	assert_false(access_step_visible(&u, "health_first_access"));
	assert_false(access_step_visible(&u, "health_resumption"));
	assert_true(access_step_visible(&u, "employment"));
	buf_init(&sql, 1024);
	access_scope_steps(&u, "s", &sql);
	assert_string_equal(buf_str(&sql),
			    " AND s.category NOT IN ('health_first_access', 'health_resumption')");
	u.health_accredited = 1;
	assert_true(access_step_visible(&u, "health_first_access"));
	assert_true(access_step_visible(&u, "health_resumption"));
	buf_reset(&sql);
	access_scope_steps(&u, "s", &sql);
	assert_string_equal(buf_str(&sql), "");
	buf_release(&sql);
}

static void test_other_roles_see_nobody_yet(void **state)
{
	static const unsigned roles[] = { ROLE_PROGRAMME_MANAGER,
		ROLE_CLEE, ROLE_CLAUSE_FACILITATOR, ROLE_FAJ_OFFICER, ROLE_ANALYST, 0 };

	(void)state;
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
		struct user u = user_with(roles[i], "t-east");
		assert_sees(&u, "");
		u = user_with(roles[i], "");
		assert_sees(&u, "");
	}
	{
		struct user u = user_with(ROLE_ANALYST | ROLE_CLEE | ROLE_FAJ_OFFICER, "");
		assert_sees(&u, "");
	}
}

/* On an agenda of their territory's instance or of the metropolitan one
 * (whatever the person's household), or pending and living in the
 * territory. */
static void test_instance_secretary_sees_case_reviews_of_their_territory(void **state)
{
	struct user u = user_with(ROLE_INSTANCE_SECRETARY, "t-east");

	(void)state;
	assert_sees(&u, "p-cr-east p-cr-metro p-cr-pending-east");
	u = user_with(ROLE_INSTANCE_SECRETARY, "t-west");
	assert_sees(&u, "p-cr-west p-cr-metro p-cr-pending-west");
	u = user_with(ROLE_INSTANCE_SECRETARY, "");
	assert_sees(&u, "p-cr-east p-cr-west p-cr-metro p-cr-pending-east p-cr-pending-west");
}

static void test_roles_add_up(void **state)
{
	struct user u = user_with(ROLE_REFERENT | ROLE_ORIENTATION_OFFICER, "t-east");

	(void)state;
	assert_sees(&u, SDD_EAST " " REFERENT_SEES);
	u = user_with(ROLE_REFERENT | ROLE_ANALYST | ROLE_CLEE, "");
	assert_sees(&u, REFERENT_SEES);
	u = user_with(ROLE_ANALYST | ROLE_ADMIN, "");
	assert_sees(&u, ALL_PEOPLE);
	u = user_with(ROLE_ORIENTATION_OFFICER | ROLE_ADMIN, "t-west");
	assert_sees(&u, ALL_PEOPLE);
}

static void test_scope_is_a_condition_with_bound_values(void **state)
{
	struct user u;
	struct buf sql;
	json_t *binds;

	(void)state;
	buf_init(&sql, 8192);
	binds = json_array();
	u = user_with(ROLE_ADMIN, "t-east");
	access_scope_people(&u, &sql, binds);
	assert_true(str_starts(buf_str(&sql), " AND ("));
	assert_int_equal(json_array_size(binds), 0);
	buf_reset(&sql);
	json_array_clear(binds);

	u = user_with(ROLE_ORIENTATION_OFFICER, "t-east");
	access_scope_people(&u, &sql, binds);
	assert_true(str_starts(buf_str(&sql), " AND ("));
	assert_null(strstr(buf_str(&sql), "t-east"));
	assert_null(strstr(buf_str(&sql), "2017-12-31"));
	assert_int_equal(json_array_size(binds), 4);
	assert_string_equal(json_string_value(json_array_get(binds, 0)), "2017-12-31");
	assert_string_equal(json_string_value(json_array_get(binds, 3)), "t-east");
	buf_reset(&sql);
	json_array_clear(binds);

	u = user_with(ROLE_ORIENTATION_OFFICER, "");
	access_scope_people(&u, &sql, binds);
	assert_int_equal(json_array_size(binds), 2);
	buf_reset(&sql);
	json_array_clear(binds);

	/* The référent's links, for orientations then assignments: their id,
	 * today and the cutoff 12 months before; their organisation, today,
	 * the cutoff; the cover: their id and today four times. */
	u = user_with(ROLE_REFERENT, "");
	access_scope_people(&u, &sql, binds);
	assert_null(strstr(buf_str(&sql), "u-test"));
	assert_null(strstr(buf_str(&sql), "o-test"));
	assert_int_equal(json_array_size(binds), 22);
	assert_string_equal(json_string_value(json_array_get(binds, 0)), "u-test");
	assert_string_equal(json_string_value(json_array_get(binds, 1)), "2017-12-31");
	assert_string_equal(json_string_value(json_array_get(binds, 2)), "2016-12-31");
	assert_string_equal(json_string_value(json_array_get(binds, 3)), "o-test");
	assert_string_equal(json_string_value(json_array_get(binds, 6)), "u-test");
	assert_string_equal(json_string_value(json_array_get(binds, 10)), "2017-12-31");
	buf_reset(&sql);
	json_array_clear(binds);

	u = user_with(ROLE_ANALYST, "t-east");
	access_scope_people(&u, &sql, binds);
	assert_string_equal(buf_str(&sql), " AND (1 = 0)");
	assert_int_equal(json_array_size(binds), 0);

	json_decref(binds);
	buf_release(&sql);
}

static void test_scope_counts_only_visible_people(void **state)
{
	struct user u = user_with(ROLE_ORIENTATION_OFFICER, "t-west");
	struct buf sql;
	json_t *binds = json_array();
	struct db_stmt *st;

	(void)state;
	/* The same condition in a count, as lists do. */
	buf_init(&sql, 8192);
	buf_addstr(&sql, "SELECT COUNT(*) FROM person p JOIN household h ON h.id = p.household WHERE 1 = 1");
	access_scope_people(&u, &sql, binds);
	assert_int_equal(db_prepare(db, &st, buf_str(&sql)), 0);
	assert_int_equal(query_bind(st, binds, 1), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 2);
	db_finalize(st);
	json_decref(binds);
	buf_release(&sql);
}

static void test_nir_shown_to_orientation_secretary_and_admin_only(void **state)
{
	struct user u;

	(void)state;
	u = user_with(ROLE_ORIENTATION_OFFICER, "");
	assert_true(access_sees_nir(&u));
	u = user_with(ROLE_INSTANCE_SECRETARY, "");
	assert_true(access_sees_nir(&u));
	u = user_with(ROLE_ADMIN, "");
	assert_true(access_sees_nir(&u));
	u = user_with(ROLE_REFERENT | ROLE_INSTANCE_SECRETARY, "");
	assert_true(access_sees_nir(&u));
	u = user_with(ROLE_REFERENT, "");
	assert_false(access_sees_nir(&u));
	u = user_with(ROLE_PROGRAMME_MANAGER | ROLE_CLEE | ROLE_CLAUSE_FACILITATOR | ROLE_FAJ_OFFICER |
			      ROLE_ANALYST | ROLE_REFERENT, "");
	assert_false(access_sees_nir(&u));
	u = user_with(0, "");
	assert_false(access_sees_nir(&u));
}

static void test_route_needs_sign_in_then_role(void **state)
{
	struct request req;

	(void)state;
	memset(&req, 0, sizeof req);
	assert_int_equal(access_route(&req, 0), 401);
	assert_int_equal(access_route(&req, ROLE_ADMIN), 401);
	req.signed_in = 1;
	req.user = user_with(ROLE_REFERENT, "");
	assert_int_equal(access_route(&req, 0), 0);
	assert_int_equal(access_route(&req, ROLE_ADMIN), 403);
	assert_int_equal(access_route(&req, ROLE_ADMIN | ROLE_REFERENT), 0);
	req.user = user_with(ROLE_ANALYST, "");
	assert_int_equal(access_route(&req, ROLE_ANY & ~ROLE_ANALYST), 403);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup(name, reset_today)
	const struct CMUnitTest tests[] = {
		T(test_admin_sees_everyone),
		T(test_nobody_sees_a_person_that_does_not_exist),
		T(test_orientation_officer_sees_sdd_people_of_their_territory),
		T(test_orientation_officer_without_territory_sees_all_sdd_people),
		T(test_orientation_officer_of_unknown_territory_sees_nobody),
		T(test_sdd_needs_state_2_3_or_4_and_duties),
		T(test_sdd_is_judged_on_today_with_inclusive_end),
		T(test_only_the_period_covering_today_counts),
		T(test_household_territory_wins_over_commune),
		T(test_referent_sees_followed_and_organisation_people),
		T(test_referent_links_last_twelve_months_after_their_end),
		T(test_referent_of_another_organisation_sees_other_people),
		T(test_health_steps_need_the_accreditation),
		T(test_other_roles_see_nobody_yet),
		T(test_instance_secretary_sees_case_reviews_of_their_territory),
		T(test_roles_add_up),
		T(test_scope_is_a_condition_with_bound_values),
		T(test_scope_counts_only_visible_people),
		T(test_nir_shown_to_orientation_secretary_and_admin_only),
		T(test_route_needs_sign_in_then_role),
	};
#undef T

	return cmocka_run_group_tests_name("access", tests, group_setup, fx_teardown);
}
