/*
 * Unit tests for the path's types (src/model/path.c, activity.c,
 * instance.c): each rule that a record shows alone (validate()) or across
 * records (the `checks` queries) refuses what breaks it and takes what
 * does not; and the time rules the web layer enforces (path.h).
 *
 * Records are written in single quotes for readability (fx_json() turns
 * them into JSON). Each attempt writes its records in a transaction on top
 * of a committed fixture, asks record_check_one() about one of them and
 * rolls back.
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
#include "model/password.h"
#include "model/path.h"
#include "model/problems.h"
#include "model/record.h"
#include "model/schema.h"

static struct db *db;

static const char *const fixture[] = {
	"{'type':'territory','id':'t-1','name':'Est'}",
	"{'type':'organisation','id':'o-mdm','name':'MDM','kind':'maison_metropole'}",
	"{'type':'organisation','id':'o-pe','name':'PE','kind':'pole_emploi'}",
	"{'type':'organisation','id':'o-asso','name':'Asso','kind':'association'}",
	"{'type':'organisation','id':'o-siae','name':'ACI','kind':'siae_aci'}",
	"{'type':'user','id':'u-ref','email':'r@t.fr','first_name':'R','last_name':'R',"
	"'organisation':'o-mdm','roles':['referent']}",
	"{'type':'user','id':'u-pe','email':'p@t.fr','first_name':'P','last_name':'P',"
	"'organisation':'o-pe','roles':['clee','referent']}",
	"{'type':'user','id':'u-sec','email':'s@t.fr','first_name':'S','last_name':'S',"
	"'organisation':'o-mdm','roles':['instance_secretary']}",
	"{'type':'household','id':'h-1'}",
	"{'type':'person','id':'p-1','household':'h-1','role':'DEM','first_name':'A',"
	"'last_name':'B','birth_date':'1980-01-01','sex':'F'}",
	"{'type':'person','id':'p-2','household':'h-1','role':'CJT','first_name':'C',"
	"'last_name':'B','birth_date':'1980-01-01','sex':'M'}",
	"{'type':'person','id':'p-3','household':'h-1','role':'ENF','first_name':'D',"
	"'last_name':'B','birth_date':'2000-01-01','sex':'M'}",
	"{'type':'orientation','id':'or-1','person':'p-1','decided_on':'2016-02-01',"
	"'start':'2016-02-01','end':'2016-12-31','itinerary':'social','organisation':'o-mdm',"
	"'referent':'u-ref','origin':'initial'}",
	"{'type':'referent_assignment','id':'ra-1','person':'p-1','referent':'u-ref',"
	"'organisation':'o-mdm','start':'2016-02-01','end':'2016-12-31'}",
	"{'type':'contract','id':'ct-1','person':'p-1','kind':'cer','organisation':'o-mdm',"
	"'signed_on':'2016-03-01','start':'2016-03-01','end':'2016-12-31','actions':['housing'],"
	"'status':'terminated','terminated_on':'2016-11-30'}",
	"{'type':'collective_session','id':'cs-1','organisation':'o-mdm','title':'Atelier',"
	"'at':'2016-05-12T14:00:00+02:00','capacity':2}",
	"{'type':'attendance','id':'at-1','session':'cs-1','person':'p-1','status':'present'}",
	"{'type':'attendance','id':'at-2','session':'cs-1','person':'p-2','status':'excused'}",
	"{'type':'instance','id':'in-1','name':'ITT','kind':'itt','quorum':2}",
	"{'type':'instance','id':'in-2','name':'Mediation','kind':'mediation'}",
	"{'type':'instance_member','id':'im-1','instance':'in-1','name':'M1','role':'chair',"
	"'start':'2015-01-01','end':'2017-06-30'}",
	"{'type':'instance_member','id':'im-2','instance':'in-1','name':'M2','role':'other',"
	"'start':'2015-01-01','end':'2017-06-30'}",
	"{'type':'instance_member','id':'im-3','instance':'in-1','name':'M3',"
	"'role':'user_representative','start':'2016-01-01'}",
	"{'type':'instance_member','id':'im-9','instance':'in-2','name':'M9','role':'chair',"
	"'start':'2015-01-01'}",
	"{'type':'sitting','id':'si-1','instance':'in-1','date':'2016-12-15',"
	"'present':['im-1','im-2','im-3']}",
	"{'type':'sitting','id':'si-2','instance':'in-2','date':'2017-03-01','present':['im-9']}",
	"{'type':'case_review','id':'cr-1','person':'p-1','referred_on':'2016-11-20',"
	"'reason':'reorientation','sitting':'si-1','opinion':'favourable'}",
	"{'type':'case_review','id':'cr-un','person':'p-2','referred_on':'2016-11-20',"
	"'reason':'reorientation','sitting':'si-1','opinion':'unfavourable'}",
	"{'type':'case_review','id':'cr-pending','person':'p-1','referred_on':'2017-11-20',"
	"'reason':'reorientation'}",
	NULL,
};

/* Writes the records (NULL-ended list), validates them and asks the rules
 * across records about `target` (the first record's type unless it is
 * named "type:id"); rolls back. Returns the problems of target. */
static void attempt(struct problems *pb, const char *target, const char *const *texts)
{
	struct record_writer *w = record_writer_new(db);
	const struct type_def *t = NULL;

	problems_init(pb);
	if (db_in_transaction(db)) /* a failed test left its attempt open */
		db_rollback(db);
	assert_int_equal(db_begin(db), 0);
	for (const char *const *x = texts; *x; x++) {
		json_t *rec = fx_json(*x);
		int asked = strcmp(json_string_value(json_object_get(rec, "id")), target) == 0;
		if (asked)
			t = schema_type(json_string_value(json_object_get(rec, "type")));
		/* Only the record asked about may have problems: they go to pb. */
		fx_put_rec(db, w, rec, asked ? pb : NULL);
		json_decref(rec);
	}
	if (!t) {
		/* A record of the fixture: its type is named before the colon. */
		const char *colon = strchr(target, ':');
		char type[64];
		assert_non_null(colon);
		snprintf(type, sizeof type, "%.*s", (int)(colon - target), target);
		t = schema_type(type);
		target = colon + 1;
	}
	assert_non_null(t);
	if (problems_count(pb) == 0)
		assert_int_equal(record_check_one(db, t, target, pb), 0);
	record_writer_free(w);
	assert_int_equal(db_rollback(db), 0);
}

static int has(const struct problems *pb, const char *field, const char *reason)
{
	size_t i;
	json_t *p;

	json_array_foreach(pb->list, i, p) {
		const char *f = json_string_value(json_object_get(p, "field"));
		const char *r = json_string_value(json_object_get(p, "reason"));
		if (f && strcmp(f, field) == 0 && r && strstr(r, reason))
			return 1;
	}
	return 0;
}

static void show(const struct problems *pb)
{
	char *s = json_dumps(pb->list, JSON_COMPACT);
	print_message("  problems: %s\n", s);
	free(s);
}

/* The records are refused on field with a reason containing `reason`. */
#define REFUSED(target, field, reason, ...)                                           \
	do {                                                                          \
		static const char *const texts_[] = { __VA_ARGS__, NULL };            \
		struct problems pb_;                                                  \
		attempt(&pb_, target, texts_);                                        \
		if (!has(&pb_, field, reason)) {                                      \
			show(&pb_);                                                   \
			fail_msg("%s: expected a problem on %s: %s", target, field,  \
				 reason);                                             \
		}                                                                     \
		problems_release(&pb_);                                               \
	} while (0)

/* The records are taken without any problem on target. */
#define ACCEPTED(target, ...)                                                         \
	do {                                                                          \
		static const char *const texts_[] = { __VA_ARGS__, NULL };            \
		struct problems pb_;                                                  \
		attempt(&pb_, target, texts_);                                        \
		if (problems_count(&pb_)) {                                           \
			show(&pb_);                                                   \
			fail_msg("%s: expected no problem", target);                  \
		}                                                                     \
		problems_release(&pb_);                                               \
	} while (0)

static int group_setup(void **state)
{
	fx_today(2017, 12, 31);
	if (password_init())
		return -1;
	return fx_setup_with(state, fixture, &db);
}

/* ---- the fixture itself ------------------------------------------------- */

static void test_fixture_breaks_no_rule(void **state)
{
	(void)state;
	for (const char *const *x = fixture; *x; x++) {
		json_t *rec = fx_json(*x);
		const struct type_def *t = schema_type(json_string_value(json_object_get(rec, "type")));
		struct problems pb;
		problems_init(&pb);
		assert_int_equal(record_check_one(db, t, json_string_value(json_object_get(rec, "id")),
						  &pb), 0);
		if (problems_count(&pb)) {
			show(&pb);
			fail_msg("fixture record breaks a rule: %s", *x);
		}
		problems_release(&pb);
		json_decref(rec);
	}
}

/* ---- orientation -------------------------------------------------------- */

#define OR2(fields) \
	"{'type':'orientation','id':'or-2','person':'p-1','decided_on':'2016-12-01'," fields "}"

static void test_orientations_of_a_person_never_overlap(void **state)
{
	(void)state;
	REFUSED("or-2", "start", "chevauche l'orientation or-1",
		OR2("'start':'2016-12-31','itinerary':'social','organisation':'o-mdm','origin':'initial'"));
	REFUSED("or-2", "start", "chevauche l'orientation or-1",
		OR2("'start':'2015-01-01','itinerary':'social','organisation':'o-mdm','origin':'move'"));
	/* The day after the end is free; so is another person. */
	ACCEPTED("or-2",
		 OR2("'start':'2017-01-01','itinerary':'social','organisation':'o-mdm','origin':'move'"));
	ACCEPTED("or-3", "{'type':'orientation','id':'or-3','person':'p-2','decided_on':'2016-12-01',"
			 "'start':'2016-06-01','itinerary':'social','organisation':'o-mdm',"
			 "'origin':'initial'}");
}

static void test_organisation_kind_fits_the_itinerary(void **state)
{
	/* exchange-format.md's list, kind by kind. */
	static const struct {
		const char *itinerary, *kinds;
	} fits[] = {
		{ "social", " maison_metropole ccas association " },
		{ "socio_professional", " association siae_aci siae_ei siae_ai siae_etti training_body "
					"mission_locale e2c other " },
		{ "professional", " pole_emploi " },
	};

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		for (const char *const *k = organisation_kinds; *k; k++) {
			char org[200], orient[400], word[40];
			const char *texts[3] = { org, orient, NULL };
			struct problems pb;
			snprintf(org, sizeof org, "{'type':'organisation','id':'o-x','name':'X','kind':'%s'}",
				 *k);
			snprintf(orient, sizeof orient,
				 OR2("'start':'2017-01-01','itinerary':'%s','organisation':'o-x',"
				     "'origin':'move'"), fits[i].itinerary);
			snprintf(word, sizeof word, " %s ", *k);
			attempt(&pb, "or-2", texts);
			if (has(&pb, "organisation", "ne porte pas") == (strstr(fits[i].kinds, word) != NULL))
				fail_msg("itinerary %s, kind %s: wrong verdict", fits[i].itinerary, *k);
			problems_release(&pb);
		}
	}
}

static void test_orientation_referent_is_a_referent_of_its_organisation(void **state)
{
	(void)state;
	REFUSED("or-2", "referent", "n'appartient pas à la structure o-mdm",
		OR2("'start':'2017-01-01','itinerary':'social','organisation':'o-mdm','referent':'u-pe',"
		    "'origin':'move'"));
	REFUSED("or-2", "referent", "n'a pas le rôle référent",
		OR2("'start':'2017-01-01','itinerary':'social','organisation':'o-mdm','referent':'u-sec',"
		    "'origin':'move'"));
	/* A past orientation is history: the account may have moved since. */
	ACCEPTED("or-2",
		 OR2("'start':'2017-01-01','end':'2017-06-30','itinerary':'social',"
		     "'organisation':'o-mdm','referent':'u-pe','origin':'move'"));
	/* A référent among other roles. */
	ACCEPTED("or-2",
		 OR2("'start':'2017-01-01','itinerary':'professional','organisation':'o-pe',"
		     "'referent':'u-pe','origin':'move'"));
}

static void test_reorientation_needs_a_favourable_review_of_the_person(void **state)
{
	(void)state;
	REFUSED("or-2", "case_review", "une réorientation renvoie à l'examen",
		OR2("'start':'2017-01-01','itinerary':'professional','organisation':'o-pe',"
		    "'origin':'reorientation'"));
	REFUSED("or-2", "case_review", "avis favorable",
		OR2("'start':'2017-01-01','itinerary':'professional','organisation':'o-pe',"
		    "'origin':'reorientation','case_review':'cr-pending'"));
	REFUSED("or-3", "case_review", "avis favorable",
		"{'type':'orientation','id':'or-3','person':'p-2','decided_on':'2016-12-20',"
		"'start':'2017-01-01','itinerary':'professional','organisation':'o-pe',"
		"'origin':'reorientation','case_review':'cr-un'}");
	REFUSED("or-3", "case_review", "concerne une autre personne",
		"{'type':'orientation','id':'or-3','person':'p-2','decided_on':'2016-12-20',"
		"'start':'2017-01-01','itinerary':'professional','organisation':'o-pe',"
		"'origin':'reorientation','case_review':'cr-1'}");
	ACCEPTED("or-2",
		 OR2("'start':'2017-01-01','itinerary':'professional','organisation':'o-pe',"
		     "'origin':'reorientation','case_review':'cr-1'"));
}

/* The review, changed after the reorientation that cites it, is refused
 * too (the rule seen from the other side). */
static void test_review_cited_by_a_reorientation_stays_favourable(void **state)
{
	(void)state;
	REFUSED("cr-1", "opinion", "la réorientation or-2 s'appuie sur cet examen",
		OR2("'start':'2017-01-01','itinerary':'professional','organisation':'o-pe',"
		    "'origin':'reorientation','case_review':'cr-1'"),
		"{'type':'case_review','id':'cr-1','person':'p-1','referred_on':'2016-11-20',"
		"'reason':'reorientation','sitting':'si-1','opinion':'deferred'}");
	REFUSED("cr-1", "person", "d'une autre personne renvoie à cet examen",
		OR2("'start':'2017-01-01','itinerary':'professional','organisation':'o-pe',"
		    "'origin':'reorientation','case_review':'cr-1'"),
		"{'type':'case_review','id':'cr-1','person':'p-2','referred_on':'2016-11-20',"
		"'reason':'reorientation','sitting':'si-1','opinion':'favourable'}");
}

/* ---- referent_assignment ------------------------------------------------ */

#define RA2(fields) "{'type':'referent_assignment','id':'ra-2','person':'p-1'," fields "}"

static void test_referent_assignments_never_overlap(void **state)
{
	(void)state;
	REFUSED("ra-2", "start", "chevauche la désignation de référent ra-1",
		RA2("'referent':'u-pe','organisation':'o-pe','start':'2016-06-01'"));
	ACCEPTED("ra-2", RA2("'referent':'u-pe','organisation':'o-pe','start':'2017-01-01'"));
}

static void test_assignment_referent_is_a_referent_of_its_organisation(void **state)
{
	(void)state;
	REFUSED("ra-2", "referent", "n'appartient pas à la structure o-mdm",
		RA2("'referent':'u-pe','organisation':'o-mdm','start':'2017-01-01'"));
	REFUSED("ra-2", "referent", "n'a pas le rôle référent",
		RA2("'referent':'u-sec','organisation':'o-mdm','start':'2017-01-01'"));
}

/* ---- contract ----------------------------------------------------------- */

#define CT2(fields)                                                                               \
	"{'type':'contract','id':'ct-2','person':'p-1','signed_on':'2016-12-01','actions':['other']," \
	fields "}"

static void test_terminated_contract_has_its_date_inside_the_contract(void **state)
{
	(void)state;
	REFUSED("ct-2", "terminated_on", "un contrat résilié a une date de résiliation",
		CT2("'kind':'cer','organisation':'o-mdm','start':'2017-01-01','end':'2017-06-30',"
		    "'status':'terminated'"));
	REFUSED("ct-2", "terminated_on", "ne va qu'avec le statut",
		CT2("'kind':'cer','organisation':'o-mdm','start':'2017-01-01','end':'2017-06-30',"
		    "'terminated_on':'2017-03-01'"));
	REFUSED("ct-2", "terminated_on", "précède le début",
		CT2("'kind':'cer','organisation':'o-mdm','start':'2017-01-01','end':'2017-06-30',"
		    "'status':'terminated','terminated_on':'2016-12-31'"));
	REFUSED("ct-2", "terminated_on", "suit la fin",
		CT2("'kind':'cer','organisation':'o-mdm','start':'2017-01-01','end':'2017-06-30',"
		    "'status':'terminated','terminated_on':'2017-07-01'"));
	/* Both ends are allowed. */
	ACCEPTED("ct-2", CT2("'kind':'cer','organisation':'o-mdm','start':'2017-01-01',"
			     "'end':'2017-06-30','status':'terminated','terminated_on':'2017-01-01'"));
	ACCEPTED("ct-2", CT2("'kind':'cer','organisation':'o-mdm','start':'2017-01-01',"
			     "'end':'2017-06-30','status':'terminated','terminated_on':'2017-06-30'"));
}

static void test_cer_and_engagement_contracts_never_overlap(void **state)
{
	(void)state;
	/* ct-1 (CER) was terminated on 2016-11-30: it ends there. */
	REFUSED("ct-2", "start", "chevauche le contrat ct-1",
		CT2("'kind':'cer','organisation':'o-mdm','start':'2016-11-30','end':'2017-06-30'"));
	ACCEPTED("ct-2",
		 CT2("'kind':'cer','organisation':'o-mdm','start':'2016-12-01','end':'2017-06-30'"));
	/* A PPAE is not a CER. */
	ACCEPTED("ct-2",
		 CT2("'kind':'ppae','organisation':'o-pe','start':'2016-06-01','end':'2017-06-30'"));
	/* A CER and an engagement contract do not overlap either. */
	REFUSED("ct-3", "start", "chevauche le contrat ct-2",
		CT2("'kind':'cer','organisation':'o-mdm','start':'2024-06-01','end':'2025-05-31'"),
		"{'type':'contract','id':'ct-3','person':'p-1','signed_on':'2025-01-01',"
		"'actions':['other'],'kind':'engagement','organisation':'o-mdm','start':'2025-01-01',"
		"'end':'2025-12-31'}");
	REFUSED("ct-3", "start", "chevauche le contrat ct-2",
		CT2("'kind':'engagement','organisation':'o-mdm','start':'2025-01-01','end':'2025-12-31'"),
		"{'type':'contract','id':'ct-3','person':'p-1','signed_on':'2025-01-01',"
		"'actions':['other'],'kind':'engagement','organisation':'o-asso','start':'2025-12-31',"
		"'end':'2026-12-31'}");
}

static void test_engagement_contract_exists_from_2025(void **state)
{
	(void)state;
	REFUSED("ct-2", "kind", "qu'à partir du 1er janvier 2025",
		CT2("'kind':'engagement','organisation':'o-mdm','start':'2024-12-31',"
		    "'end':'2025-06-30'"));
}

static void test_ppae_is_signed_with_pole_emploi(void **state)
{
	(void)state;
	REFUSED("ct-2", "organisation", "un PPAE est signé avec Pôle emploi",
		CT2("'kind':'ppae','organisation':'o-mdm','start':'2017-01-01','end':'2017-06-30'"));
}

static void test_contract_referent_is_a_referent_of_its_organisation(void **state)
{
	(void)state;
	/* A current contract (the database's real day: 2099 is ahead). */
	REFUSED("ct-2", "referent", "n'appartient pas à la structure o-mdm",
		CT2("'kind':'cer','organisation':'o-mdm','referent':'u-pe','start':'2017-01-01',"
		    "'end':'2099-06-30'"));
	REFUSED("ct-2", "referent", "n'a pas le rôle référent",
		CT2("'kind':'cer','organisation':'o-mdm','referent':'u-sec','start':'2017-01-01',"
		    "'end':'2099-06-30'"));
	/* Ended, or terminated: history, whatever the account has become. */
	ACCEPTED("ct-2", CT2("'kind':'cer','organisation':'o-mdm','referent':'u-pe',"
			     "'start':'2017-01-01','end':'2017-06-30'"));
	ACCEPTED("ct-2", CT2("'kind':'cer','organisation':'o-mdm','referent':'u-sec',"
			     "'start':'2017-01-01','end':'2099-06-30','status':'terminated',"
			     "'terminated_on':'2017-03-31'"));
	ACCEPTED("ct-2", CT2("'kind':'cer','organisation':'o-mdm','referent':'u-ref',"
			     "'start':'2017-01-01','end':'2017-06-30'"));
}

/* ---- the same rules seen from the account and the organisation ---------- */

#define UREF(org, roles)                                                                          \
	"{'type':'user','id':'u-ref','email':'r@t.fr','first_name':'R','last_name':'R',"          \
	"'organisation':'" org "','roles':" roles "}"

static void test_referent_account_stays_fit_for_its_current_records(void **state)
{
	(void)state;
	/* or-1, ra-1, ct-1 have ended: the account may move or lose the role. */
	ACCEPTED("u-ref", UREF("o-asso", "['referent']"));
	ACCEPTED("u-ref", UREF("o-mdm", "['analyst']"));
	REFUSED("u-ref", "organisation", "référent de l'orientation or-2 en cours (structure o-mdm)",
		OR2("'start':'2017-01-01','itinerary':'social','organisation':'o-mdm',"
		    "'referent':'u-ref','origin':'move'"),
		UREF("o-asso", "['referent']"));
	REFUSED("u-ref", "roles", "il garde le rôle référent",
		OR2("'start':'2017-01-01','itinerary':'social','organisation':'o-mdm',"
		    "'referent':'u-ref','origin':'move'"),
		UREF("o-mdm", "['analyst']"));
	REFUSED("u-ref", "organisation", "référent de la désignation ra-2 en cours",
		RA2("'referent':'u-ref','organisation':'o-mdm','start':'2017-01-01'"),
		UREF("o-pe", "['referent']"));
	REFUSED("u-ref", "roles", "référent du contrat ct-2 en cours",
		CT2("'kind':'cer','organisation':'o-mdm','referent':'u-ref','start':'2017-01-01',"
		    "'end':'2099-06-30'"),
		UREF("o-mdm", "['analyst','clee']"));
	/* A future record holds the account too. */
	REFUSED("u-ref", "organisation", "référent de l'orientation or-2 en cours",
		OR2("'start':'2098-01-01','itinerary':'social','organisation':'o-mdm',"
		    "'referent':'u-ref','origin':'move'"),
		UREF("o-asso", "['referent']"));
}

static void test_organisation_kind_stays_fit_for_its_records(void **state)
{
	(void)state;
	/* or-1 (social) stands on o-mdm, past or not. */
	REFUSED("o-mdm", "kind", "l'orientation or-1 (itinéraire social) s'appuie sur cette structure",
		"{'type':'organisation','id':'o-mdm','name':'MDM','kind':'pole_emploi'}");
	ACCEPTED("o-mdm", "{'type':'organisation','id':'o-mdm','name':'MDM','kind':'ccas'}");
	REFUSED("o-pe", "kind", "le PPAE ct-2 est signé avec cette structure",
		CT2("'kind':'ppae','organisation':'o-pe','start':'2017-01-01','end':'2017-06-30'"),
		"{'type':'organisation','id':'o-pe','name':'PE','kind':'association'}");
}

/* ---- steps -------------------------------------------------------------- */

static void test_step_contract_type_goes_with_employment_only(void **state)
{
	(void)state;
	REFUSED("st-1", "contract_type", "précise le type de contrat",
		"{'type':'step','id':'st-1','person':'p-1','date':'2017-01-01','category':'employment'}");
	REFUSED("st-1", "contract_type", "ne se donne que pour une étape",
		"{'type':'step','id':'st-1','person':'p-1','date':'2017-01-01','category':'immersion',"
		"'contract_type':'cdi'}");
	ACCEPTED("st-1", "{'type':'step','id':'st-1','person':'p-1','date':'2017-01-01',"
			 "'category':'employment','contract_type':'apprenticeship'}");
	assert_true(step_is_health("health_first_access"));
	assert_true(step_is_health("health_resumption"));
	assert_false(step_is_health("housing_aid"));
	assert_false(step_is_health(NULL));
}

/* ---- collective sessions ------------------------------------------------ */

#define AT3(person, status)                                                          \
	"{'type':'attendance','id':'at-3','session':'cs-1','person':'" person "',"   \
	"'status':'" status "'}"

static void test_a_person_attends_a_session_once(void **state)
{
	(void)state;
	REFUSED("at-3", "person", "figure déjà à cette séance (at-1)", AT3("p-1", "excused"));
	ACCEPTED("at-3", AT3("p-3", "registered"));
}

static void test_attendances_never_exceed_the_capacity(void **state)
{
	(void)state;
	/* Capacity 2: at-1 present, at-2 excused (does not count). */
	ACCEPTED("at-3", AT3("p-3", "present"));
	REFUSED("at-3", "session", "compte 3 inscrits ou présents pour 2 places",
		AT3("p-3", "registered"),
		"{'type':'attendance','id':'at-2','session':'cs-1','person':'p-2','status':'present'}");
	/* Seen from the session whose capacity is lowered. */
	REFUSED("cs-1", "capacity", "compte 1 inscrits ou présents pour 0 places",
		"{'type':'collective_session','id':'cs-1','organisation':'o-mdm','title':'Atelier',"
		"'at':'2016-05-12T14:00:00+02:00','capacity':0}");
	/* No capacity: no limit. */
	ACCEPTED("cs-1", "{'type':'collective_session','id':'cs-1','organisation':'o-mdm',"
			 "'title':'Atelier','at':'2016-05-12T14:00:00+02:00'}",
		 AT3("p-3", "present"),
		 "{'type':'attendance','id':'at-2','session':'cs-1','person':'p-2','status':'present'}");
}

static void test_named_survey_answer_comes_from_someone_present_once(void **state)
{
	(void)state;
	REFUSED("sr-1", "person", "n'est pas notée présente à la séance cs-1",
		"{'type':'survey_response','id':'sr-1','session':'cs-1','person':'p-2',"
		"'helps_job_search':true}");
	REFUSED("sr-2", "person", "a déjà répondu pour cette séance (sr-1)",
		"{'type':'survey_response','id':'sr-1','session':'cs-1','person':'p-1'}",
		"{'type':'survey_response','id':'sr-2','session':'cs-1','person':'p-1'}");
	ACCEPTED("sr-1", "{'type':'survey_response','id':'sr-1','session':'cs-1','person':'p-1',"
			 "'helps_job_search':true,'helps_personal_life':false}");
	ACCEPTED("sr-2", "{'type':'survey_response','id':'sr-1','session':'cs-1'}",
		 "{'type':'survey_response','id':'sr-2','session':'cs-1'}");
}

static void test_attendance_of_a_named_answer_stays_present(void **state)
{
	(void)state;
	REFUSED("at-1", "status", "la réponse au questionnaire sr-1 de cette personne",
		"{'type':'survey_response','id':'sr-1','session':'cs-1','person':'p-1'}",
		"{'type':'attendance','id':'at-1','session':'cs-1','person':'p-1','status':'absent'}");
	/* An anonymous answer asks nothing of anyone. */
	ACCEPTED("at-1", "{'type':'survey_response','id':'sr-1','session':'cs-1'}",
		 "{'type':'attendance','id':'at-1','session':'cs-1','person':'p-1','status':'absent'}");
}

/* ---- instances ---------------------------------------------------------- */

static void test_sitting_members_belong_to_the_instance_and_are_in_office(void **state)
{
	(void)state;
	REFUSED("si-3", "present", "le membre im-9 n'appartient pas à l'instance in-1",
		"{'type':'sitting','id':'si-3','instance':'in-1','date':'2017-01-10',"
		"'present':['im-1','im-2','im-9']}");
	REFUSED("si-3", "present", "le membre im-1 n'est pas en fonction le 2017-07-01",
		"{'type':'sitting','id':'si-3','instance':'in-1','date':'2017-07-01',"
		"'present':['im-1','im-3']}");
	REFUSED("si-3", "present", "le membre im-3 n'est pas en fonction le 2015-06-01",
		"{'type':'sitting','id':'si-3','instance':'in-1','date':'2015-06-01',"
		"'present':['im-1','im-3']}");
	/* First and last day of office count. */
	ACCEPTED("si-3", "{'type':'sitting','id':'si-3','instance':'in-1','date':'2017-06-30',"
			 "'present':['im-1','im-2','im-3']}");
	/* Seen from a member whose period changed under a sitting. */
	REFUSED("im-3", "start", "le membre im-3 n'est pas en fonction le 2016-12-15",
		"{'type':'instance_member','id':'im-3','instance':'in-1','name':'M3',"
		"'role':'user_representative','start':'2017-01-01'}");
	REFUSED("im-3", "instance", "n'appartient pas à l'instance in-1",
		"{'type':'instance_member','id':'im-3','instance':'in-2','name':'M3',"
		"'role':'user_representative','start':'2016-01-01'}");
}

#define CR9(fields) \
	"{'type':'case_review','id':'cr-9','person':'p-3','referred_on':'2017-01-01'," fields "}"

static void test_opinion_other_than_deemed_needs_a_sitting(void **state)
{
	(void)state;
	REFUSED("cr-9", "sitting", "un avis « favourable » est rendu en séance",
		CR9("'reason':'no_contract','opinion':'favourable'"));
	REFUSED("cr-9", "sitting", "un avis « deferred » est rendu en séance",
		CR9("'reason':'no_contract','opinion':'deferred'"));
	ACCEPTED("cr-9", CR9("'reason':'no_contract','opinion':'deemed'"));
	ACCEPTED("cr-9", CR9("'reason':'no_contract','heard':false"));
}

static void test_sitting_comes_after_the_referral(void **state)
{
	(void)state;
	REFUSED("cr-9", "sitting", "la séance si-1 du 2016-12-15 précède la saisine",
		CR9("'reason':'no_contract','sitting':'si-1'"));
	/* Seen from the sitting whose date moved before cr-1's referral. */
	REFUSED("si-1", "date", "précède la saisine de l'examen cr-1 (2016-11-20)",
		"{'type':'sitting','id':'si-1','instance':'in-1','date':'2016-11-19',"
		"'present':['im-1','im-2','im-3']}");
	ACCEPTED("si-1", "{'type':'sitting','id':'si-1','instance':'in-1','date':'2016-11-20',"
			 "'present':['im-1','im-2','im-3']}");
}

static void test_opinions_need_the_quorum(void **state)
{
	(void)state;
	/* in-2 has no quorum of its own: 3; si-2 had 1 member present. */
	REFUSED("cr-9", "opinion", "sans le quorum de l'instance (3 membres présents)",
		CR9("'reason':'contract_breach','sitting':'si-2','opinion':'unfavourable'"));
	/* Without an opinion, a sitting below the quorum may still hear a case. */
	ACCEPTED("cr-9", CR9("'reason':'contract_breach','sitting':'si-2'"));
	ACCEPTED("cr-9", CR9("'reason':'contract_breach','sitting':'si-2','opinion':'deemed'"));
	/* in-1's own quorum is 2. */
	ACCEPTED("cr-9", CR9("'reason':'other','sitting':'si-3','opinion':'deferred'"),
		 "{'type':'sitting','id':'si-3','instance':'in-1','date':'2017-02-01',"
		 "'present':['im-1','im-3']}");
	REFUSED("cr-9", "opinion", "sans le quorum de l'instance (2 membres présents)",
		CR9("'reason':'other','sitting':'si-3','opinion':'deferred'"),
		"{'type':'sitting','id':'si-3','instance':'in-1','date':'2017-02-01',"
		"'present':['im-3']}");
	/* Seen from the sitting whose members changed, and from the instance
	 * whose quorum rose. */
	REFUSED("si-1", "present", "moins de membres présents que le quorum de l'instance (2)",
		"{'type':'sitting','id':'si-1','instance':'in-1','date':'2016-12-15',"
		"'present':['im-1']}");
	REFUSED("in-1", "quorum", "la séance si-1 a rendu des avis avec moins de membres",
		"{'type':'instance','id':'in-1','name':'ITT','kind':'itt','quorum':4}");
}

static void test_quorum_is_at_least_one(void **state)
{
	(void)state;
	REFUSED("in-3", "quorum", "au moins un membre",
		"{'type':'instance','id':'in-3','name':'CLI','kind':'cli','quorum':0}");
}

/* ---- time rules for the web layer --------------------------------------- */

static void test_datetime_seconds_follow_the_offset(void **state)
{
	long long a, b;

	(void)state;
	assert_int_equal(path_datetime_seconds("1970-01-01T00:00:00Z", &a), 0);
	assert_int_equal(a, 0);
	assert_int_equal(path_datetime_seconds("2017-03-02T09:30:00+01:00", &a), 0);
	assert_int_equal(path_datetime_seconds("2017-03-02T08:30:00.250Z", &b), 0);
	assert_true(a == b);
	assert_int_equal(path_datetime_seconds("2017-03-01T23:30:00-10:00", &b), 0);
	assert_true(b - a == 3600);
	assert_int_equal(path_datetime_seconds("2017-03-02T09:30:00", &a), -1);
	assert_int_equal(path_datetime_seconds("2017-02-29T09:30:00Z", &a), -1);
	assert_int_equal(path_datetime_seconds(NULL, &a), -1);
}

static void test_future_appointment_is_neither_honored_nor_missed(void **state)
{
	const char *now = "2017-12-31T10:00:00+01:00";

	(void)state;
	assert_non_null(appointment_status_problem("2017-12-31T10:00:01+01:00", "honored", now));
	assert_non_null(appointment_status_problem("2018-01-05T09:00:00+01:00", "missed", now));
	assert_null(appointment_status_problem("2018-01-05T09:00:00+01:00", "planned", now));
	assert_null(appointment_status_problem("2018-01-05T09:00:00+01:00", "excused", now));
	assert_null(appointment_status_problem("2018-01-05T09:00:00+01:00", "cancelled", now));
	/* Same instant, another offset: not in the future. */
	assert_null(appointment_status_problem("2017-12-31T09:00:00Z", "honored", now));
	assert_null(appointment_status_problem("2017-12-30T10:00:00+01:00", "missed", now));
	assert_null(appointment_status_problem("not a date", "honored", now));
	assert_non_null(attendance_status_problem("2018-01-05T09:00:00+01:00", "present", now));
	assert_non_null(attendance_status_problem("2018-01-05T09:00:00+01:00", "absent", now));
	assert_null(attendance_status_problem("2018-01-05T09:00:00+01:00", "registered", now));
	assert_null(attendance_status_problem("2017-01-05T09:00:00+01:00", "present", now));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_breaks_no_rule),
		cmocka_unit_test(test_orientations_of_a_person_never_overlap),
		cmocka_unit_test(test_organisation_kind_fits_the_itinerary),
		cmocka_unit_test(test_orientation_referent_is_a_referent_of_its_organisation),
		cmocka_unit_test(test_reorientation_needs_a_favourable_review_of_the_person),
		cmocka_unit_test(test_review_cited_by_a_reorientation_stays_favourable),
		cmocka_unit_test(test_referent_assignments_never_overlap),
		cmocka_unit_test(test_assignment_referent_is_a_referent_of_its_organisation),
		cmocka_unit_test(test_terminated_contract_has_its_date_inside_the_contract),
		cmocka_unit_test(test_cer_and_engagement_contracts_never_overlap),
		cmocka_unit_test(test_engagement_contract_exists_from_2025),
		cmocka_unit_test(test_ppae_is_signed_with_pole_emploi),
		cmocka_unit_test(test_contract_referent_is_a_referent_of_its_organisation),
		cmocka_unit_test(test_referent_account_stays_fit_for_its_current_records),
		cmocka_unit_test(test_organisation_kind_stays_fit_for_its_records),
		cmocka_unit_test(test_step_contract_type_goes_with_employment_only),
		cmocka_unit_test(test_a_person_attends_a_session_once),
		cmocka_unit_test(test_attendances_never_exceed_the_capacity),
		cmocka_unit_test(test_named_survey_answer_comes_from_someone_present_once),
		cmocka_unit_test(test_attendance_of_a_named_answer_stays_present),
		cmocka_unit_test(test_sitting_members_belong_to_the_instance_and_are_in_office),
		cmocka_unit_test(test_opinion_other_than_deemed_needs_a_sitting),
		cmocka_unit_test(test_sitting_comes_after_the_referral),
		cmocka_unit_test(test_opinions_need_the_quorum),
		cmocka_unit_test(test_quorum_is_at_least_one),
		cmocka_unit_test(test_datetime_seconds_follow_the_offset),
		cmocka_unit_test(test_future_appointment_is_neither_honored_nor_missed),
	};

	return cmocka_run_group_tests_name("path", tests, group_setup, fx_teardown);
}
