/*
 * Unit tests for model/orienting.c: orienting a person and designating a
 * référent, with the procedure's rules (nothing closed silently, a
 * reorientation needs a favourable review, a move goes to another
 * territory, never two référents at once), the types' rules across
 * records run inside the transaction, 409 on a stale form, and the audit.
 * Each test gets a fresh database holding the fixture below, "today"
 * 2017-12-31.
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
#include "model/orienting.h"
#include "model/password.h"
#include "model/path.h"
#include "model/problems.h"
#include "model/record.h"
#include "model/schema.h"

static struct db *db;
static const struct orienting_actor who = { "u-off", "127.0.0.1" };

static const char *const fixture[] = {
	"{'type':'territory','id':'t-1','name':'Est'}",
	"{'type':'territory','id':'t-2','name':'Ouest'}",
	"{'type':'organisation','id':'o-mdm','name':'MDM Est','kind':'maison_metropole','territory':'t-1'}",
	"{'type':'organisation','id':'o-mdm2','name':'MDM Ouest','kind':'maison_metropole','territory':'t-2'}",
	"{'type':'organisation','id':'o-pe','name':'PE Est','kind':'pole_emploi','territory':'t-1'}",
	"{'type':'organisation','id':'o-aci','name':'Chantier','kind':'siae_aci','territory':'t-1'}",
	"{'type':'user','id':'u-off','email':'o@t.fr','first_name':'O','last_name':'Off',"
	"'organisation':'o-mdm','roles':['orientation_officer']}",
	"{'type':'user','id':'u-ref','email':'r@t.fr','first_name':'Rémi','last_name':'Ref',"
	"'organisation':'o-mdm','roles':['referent']}",
	"{'type':'user','id':'u-ref2','email':'r2@t.fr','first_name':'Rose','last_name':'Ref',"
	"'organisation':'o-mdm','roles':['referent']}",
	"{'type':'user','id':'u-pe','email':'p@t.fr','first_name':'Paule','last_name':'PE',"
	"'organisation':'o-pe','roles':['referent']}",
	"{'type':'household','id':'h-1'}",
	"{'type':'person','id':'p-1','household':'h-1','role':'DEM','first_name':'A',"
	"'last_name':'B','birth_date':'1980-01-01','sex':'F'}",
	"{'type':'person','id':'p-2','household':'h-1','role':'CJT','first_name':'C',"
	"'last_name':'B','birth_date':'1980-01-01','sex':'M'}",
	/* p-2 is oriented (social, MDM Est, référent u-ref) since 2017-01-01. */
	"{'type':'orientation','id':'or-2','person':'p-2','decided_on':'2017-01-01',"
	"'start':'2017-01-01','itinerary':'social','organisation':'o-mdm','origin':'initial'}",
	"{'type':'referent_assignment','id':'ra-2','person':'p-2','referent':'u-ref',"
	"'organisation':'o-mdm','start':'2017-01-01'}",
	"{'type':'instance','id':'in-1','name':'ITT','kind':'itt','quorum':1}",
	"{'type':'instance_member','id':'im-1','instance':'in-1','name':'M1','role':'chair',"
	"'start':'2015-01-01'}",
	"{'type':'sitting','id':'si-1','instance':'in-1','date':'2017-11-15','present':['im-1']}",
	"{'type':'case_review','id':'cr-yes','person':'p-2','referred_on':'2017-11-01',"
	"'reason':'reorientation','sitting':'si-1','opinion':'favourable'}",
	"{'type':'case_review','id':'cr-no','person':'p-2','referred_on':'2017-11-01',"
	"'reason':'reorientation','sitting':'si-1','opinion':'unfavourable'}",
	NULL,
};

static int setup(void **state)
{
	return fx_setup_with(state, fixture, &db);
}

static const char *end_of(const struct type_def *t, const char *id, char out[11])
{
	json_t *rec = record_load(db, t, id, NULL);
	const char *e = json_string_value(json_object_get(rec, "end"));

	snprintf(out, 11, "%s", e ? e : "");
	json_decref(rec);
	return out;
}

/* The reason given for `field`, or "" when none. */
static const char *reason(struct problems *pb, const char *field, char *out, size_t size)
{
	json_t *f = problems_fields(pb);
	const char *r = json_string_value(json_object_get(f, field));

	snprintf(out, size, "%s", r ? r : "");
	json_decref(f);
	return out;
}

#define ORIENT(o, expect)                                                                         \
	do {                                                                                      \
		char id_[65];                                                                     \
		problems_init(&pb);                                                               \
		r = orienting_orient(db, &who, (o), &pb, id_);                                    \
		if (r != (expect)) {                                                              \
			char *s_ = json_dumps(pb.list, JSON_COMPACT);                             \
			fail_msg("orient: expected %d, got %d: %s", (expect), r, s_);             \
		}                                                                                 \
		snprintf(new_id, sizeof new_id, "%s", id_);                                       \
	} while (0)

static void test_first_orientation_is_written_and_audited(void **state)
{
	struct problems pb;
	enum orienting_result r;
	char new_id[65];
	const struct orienting_orientation o = { "p-1", "social", "o-mdm", NULL, "2017-12-20",
						 "2017-12-31", NULL, NULL, "" };

	(void)state;
	ORIENT(&o, ORIENTING_OK);
	assert_true(strncmp(new_id, "or-", 3) == 0);
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM orientation WHERE person = ?", "p-1"), 1);
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM audit WHERE object_id = ? "
			            "AND action = 'orientation.create'", "p-1"), 1);
	/* No référent named: no assignment. */
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM referent_assignment WHERE person = ?", "p-1"),
			 0);
	problems_release(&pb);
}

static void test_organisation_must_carry_the_itinerary(void **state)
{
	struct problems pb;
	enum orienting_result r;
	char new_id[65], why[600];
	const struct orienting_orientation o = { "p-1", "professional", "o-mdm", NULL, "2017-12-20",
						 "2017-12-31", NULL, NULL, NULL };

	(void)state;
	ORIENT(&o, ORIENTING_INVALID);
	assert_non_null(strstr(reason(&pb, "organisation", why, sizeof why),
			       "ne porte pas l'itinéraire Professionnel"));
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM orientation WHERE person = ?", "p-1"), 0);
	problems_release(&pb);
}

static void test_referent_belongs_to_the_organisation(void **state)
{
	struct problems pb;
	enum orienting_result r;
	char new_id[65], why[600];
	const struct orienting_orientation o = { "p-1", "professional", "o-pe", "u-ref",
						 "2017-12-20", "2017-12-31", NULL, NULL, NULL };
	const struct orienting_orientation off = { "p-1", "social", "o-mdm", "u-off",
						   "2017-12-20", "2017-12-31", NULL, NULL, NULL };

	(void)state;
	ORIENT(&o, ORIENTING_INVALID);
	assert_non_null(strstr(reason(&pb, "referent", why, sizeof why),
			       "Rémi Ref n'est pas référent de la structure « PE Est »"));
	problems_release(&pb);
	ORIENT(&off, ORIENTING_INVALID);
	assert_non_null(strstr(reason(&pb, "referent", why, sizeof why), "pas le rôle"));
	problems_release(&pb);
}

static void test_orientation_with_referent_designates_them(void **state)
{
	struct problems pb;
	enum orienting_result r;
	char new_id[65];
	const struct orienting_orientation o = { "p-1", "professional", "o-pe", "u-pe",
						 "2017-12-20", "2017-12-31", NULL, NULL, NULL };

	(void)state;
	ORIENT(&o, ORIENTING_OK);
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM referent_assignment WHERE person = ? "
			            "AND referent = 'u-pe' AND organisation = 'o-pe' "
			            "AND start_date = '2017-12-31'", "p-1"), 1);
	problems_release(&pb);
}

static void test_current_orientation_is_not_closed_silently(void **state)
{
	struct problems pb;
	enum orienting_result r;
	char new_id[65], why[600], end[11];
	const struct orienting_orientation o = { "p-2", "professional", "o-pe", NULL, "2017-12-20",
						 "2017-12-31", "initial", NULL, NULL };

	(void)state;
	ORIENT(&o, ORIENTING_INVALID);
	assert_non_null(strstr(reason(&pb, "origin", why, sizeof why), "réorientation"));
	assert_string_equal(end_of(&type_orientation, "or-2", end), "");
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM orientation WHERE person = ?", "p-2"), 1);
	problems_release(&pb);
}

static void test_reorientation_needs_a_favourable_review(void **state)
{
	struct problems pb;
	enum orienting_result r;
	char new_id[65], why[600], end[11];
	struct orienting_orientation o = { "p-2", "professional", "o-pe", NULL, "2017-12-20",
					   "2017-12-31", "reorientation", NULL, NULL };

	(void)state;
	ORIENT(&o, ORIENTING_INVALID);
	assert_non_null(strstr(reason(&pb, "case_review", why, sizeof why), "examen"));
	problems_release(&pb);
	o.case_review = "cr-no";
	ORIENT(&o, ORIENTING_INVALID);
	assert_non_null(strstr(reason(&pb, "case_review", why, sizeof why), "favorable"));
	/* Rolled back: the current orientation is still open. */
	assert_string_equal(end_of(&type_orientation, "or-2", end), "");
	problems_release(&pb);
	o.case_review = "cr-yes";
	ORIENT(&o, ORIENTING_OK);
	assert_string_equal(end_of(&type_orientation, "or-2", end), "2017-12-30");
	/* The référent of the MDM no longer follows the person at Pôle emploi. */
	assert_string_equal(end_of(&type_referent_assignment, "ra-2", end), "2017-12-30");
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM audit WHERE object_id = ? "
			            "AND action = 'orientation.close'", "p-2"), 1);
	problems_release(&pb);
}

static void test_move_goes_to_another_territory(void **state)
{
	struct problems pb;
	enum orienting_result r;
	char new_id[65], why[600], end[11];
	struct orienting_orientation o = { "p-2", "socio_professional", "o-aci", NULL, "2017-12-20",
					   "2017-12-31", "move", NULL, NULL };

	(void)state;
	ORIENT(&o, ORIENTING_INVALID);
	assert_non_null(strstr(reason(&pb, "origin", why, sizeof why), "autre territoire"));
	problems_release(&pb);
	o.itinerary = "social";
	o.organisation = "o-mdm2";
	ORIENT(&o, ORIENTING_OK);
	assert_string_equal(end_of(&type_orientation, "or-2", end), "2017-12-30");
	problems_release(&pb);
}

static void test_new_orientation_starts_after_the_current_one(void **state)
{
	struct problems pb;
	enum orienting_result r;
	char new_id[65], why[600];
	const struct orienting_orientation o = { "p-2", "professional", "o-pe", NULL, "2016-12-20",
						 "2017-01-01", "reorientation", "cr-yes", NULL };

	(void)state;
	ORIENT(&o, ORIENTING_INVALID);
	assert_non_null(strstr(reason(&pb, "start", why, sizeof why), "commence déjà le 2017-01-01"));
	problems_release(&pb);
}

static void test_stale_form_is_a_conflict(void **state)
{
	struct problems pb;
	enum orienting_result r;
	char new_id[65];
	const struct orienting_orientation o = { "p-2", "professional", "o-pe", NULL, "2017-12-20",
						 "2017-12-31", "reorientation", "cr-yes", "" };
	const struct orienting_orientation o1 = { "p-1", "social", "o-mdm", NULL, "2017-12-20",
						  "2017-12-31", NULL, NULL, "or-gone" };

	(void)state;
	ORIENT(&o, ORIENTING_CONFLICT);
	problems_release(&pb);
	ORIENT(&o1, ORIENTING_CONFLICT);
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM orientation WHERE person = ?", "p-1"), 0);
	problems_release(&pb);
}

static void test_field_problems_come_first(void **state)
{
	struct problems pb;
	enum orienting_result r;
	char new_id[65], why[600];
	const struct orienting_orientation o = { "p-1", "alone", NULL, NULL, "2017-02-30",
						 NULL, NULL, NULL, NULL };

	(void)state;
	ORIENT(&o, ORIENTING_INVALID);
	assert_true(*reason(&pb, "itinerary", why, sizeof why));
	assert_true(*reason(&pb, "organisation", why, sizeof why));
	assert_true(*reason(&pb, "decided_on", why, sizeof why));
	assert_true(*reason(&pb, "start", why, sizeof why));
	problems_release(&pb);
}

#define DESIGNATE(d, expect)                                                                      \
	do {                                                                                      \
		char id_[65];                                                                     \
		problems_init(&pb);                                                               \
		r = orienting_designate(db, &who, (d), &pb, id_);                                 \
		if (r != (expect)) {                                                              \
			char *s_ = json_dumps(pb.list, JSON_COMPACT);                             \
			fail_msg("designate: expected %d, got %d: %s", (expect), r, s_);          \
		}                                                                                 \
	} while (0)

static void test_designation_closes_the_current_one_the_day_before(void **state)
{
	struct problems pb;
	enum orienting_result r;
	char end[11];
	const struct orienting_designation d = { "p-2", "u-ref2", "2017-12-15", NULL, "ra-2" };

	(void)state;
	DESIGNATE(&d, ORIENTING_OK);
	assert_string_equal(end_of(&type_referent_assignment, "ra-2", end), "2017-12-14");
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM referent_assignment WHERE person = ? "
			            "AND referent = 'u-ref2' AND organisation = 'o-mdm' "
			            "AND end_date IS NULL", "p-2"), 1);
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM audit WHERE object_id = ? "
			            "AND action IN ('referent.designate', 'referent.close')", "p-2"), 2);
	problems_release(&pb);
}

static void test_designation_refusals(void **state)
{
	struct problems pb;
	enum orienting_result r;
	char why[600], end[11];
	const struct orienting_designation same = { "p-2", "u-ref", "2017-12-15", NULL, NULL };
	const struct orienting_designation before = { "p-2", "u-ref2", "2016-12-15", NULL, NULL };
	const struct orienting_designation not_ref = { "p-2", "u-off", "2017-12-15", NULL, NULL };
	const struct orienting_designation stale = { "p-2", "u-ref2", "2017-12-15", NULL, "" };
	const struct orienting_designation no_date = { "p-2", "u-ref2", NULL, NULL, NULL };

	(void)state;
	DESIGNATE(&same, ORIENTING_INVALID);
	assert_non_null(strstr(reason(&pb, "referent", why, sizeof why), "déjà le référent"));
	problems_release(&pb);
	DESIGNATE(&before, ORIENTING_INVALID);
	assert_non_null(strstr(reason(&pb, "start", why, sizeof why), "commence déjà"));
	problems_release(&pb);
	DESIGNATE(&not_ref, ORIENTING_INVALID);
	assert_non_null(strstr(reason(&pb, "referent", why, sizeof why), "pas le rôle"));
	problems_release(&pb);
	DESIGNATE(&stale, ORIENTING_CONFLICT);
	problems_release(&pb);
	DESIGNATE(&no_date, ORIENTING_INVALID);
	assert_true(*reason(&pb, "start", why, sizeof why));
	problems_release(&pb);
	assert_string_equal(end_of(&type_referent_assignment, "ra-2", end), "");
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM referent_assignment WHERE person = ?", "p-2"),
			 1);
}

/* The form's lists (orienting_kind_fits) and the import's SQL rule
 * (model/rules.h, run by record_check_one) are two writings of the same
 * table: they must agree on every itinerary and every organisation kind. */
static void test_form_lists_agree_with_the_import_rule(void **state)
{
	struct record_writer *w = record_writer_new(db);
	char text[400], why[300];
	struct problems pb;

	(void)state;
	for (const char *const *i = path_itineraries; *i; i++)
		for (const char *const *k = organisation_kinds; *k; k++) {
			assert_int_equal(db_begin(db), 0);
			snprintf(text, sizeof text, "{'type':'organisation','id':'o-k','name':'K',"
						    "'kind':'%s'}", *k);
			fx_put(db, w, text);
			snprintf(text, sizeof text, "{'type':'orientation','id':'or-k','person':'p-1',"
						    "'decided_on':'2017-06-01','start':'2017-06-01',"
						    "'itinerary':'%s','organisation':'o-k','origin':'initial'}",
				 *i);
			fx_put(db, w, text);
			problems_init(&pb);
			assert_int_equal(record_check_one(db, &type_orientation, "or-k", &pb), 0);
			if (orienting_kind_fits(*i, *k) != !*reason(&pb, "organisation", why, sizeof why))
				fail_msg("%s / %s: the form says %s, the import rule says \"%s\"", *i, *k,
					 orienting_kind_fits(*i, *k) ? "fits" : "does not fit", why);
			problems_release(&pb);
			db_rollback(db);
		}
	record_writer_free(w);
}

static void test_kinds_and_labels(void **state)
{
	(void)state;
	assert_true(orienting_kind_fits("social", "ccas"));
	assert_true(orienting_kind_fits("socio_professional", "association"));
	assert_true(orienting_kind_fits("professional", "pole_emploi"));
	assert_false(orienting_kind_fits("professional", "association"));
	assert_false(orienting_kind_fits("social", "siae_aci"));
	assert_false(orienting_kind_fits("nowhere", "ccas"));
	assert_null(orienting_kinds("nowhere"));
	assert_string_equal(orienting_itinerary_label("socio_professional"), "Socio-professionnel");
	assert_string_equal(orienting_itinerary_label("social"), "Social");
	assert_string_equal(orienting_itinerary_label("professional"), "Professionnel");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_first_orientation_is_written_and_audited),
		T(test_organisation_must_carry_the_itinerary),
		T(test_referent_belongs_to_the_organisation),
		T(test_orientation_with_referent_designates_them),
		T(test_current_orientation_is_not_closed_silently),
		T(test_reorientation_needs_a_favourable_review),
		T(test_move_goes_to_another_territory),
		T(test_new_orientation_starts_after_the_current_one),
		T(test_stale_form_is_a_conflict),
		T(test_field_problems_come_first),
		T(test_designation_closes_the_current_one_the_day_before),
		T(test_designation_refusals),
		cmocka_unit_test(test_kinds_and_labels),
		T(test_form_lists_agree_with_the_import_rule),
	};

	if (password_init())
		return 1;
	fx_today(2017, 12, 31);
	return cmocka_run_group_tests_name("orienting", tests, NULL, NULL);
}
