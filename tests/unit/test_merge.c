/*
 * Unit tests for the merge of duplicate people (src/model/merge.c): every
 * table that refers to person is known to the merge (read from the
 * database's own foreign keys, so that a new table fails this test until
 * merge.c lists it); rows move, identical ones are kept once, fields are
 * filled or listed; refusals (same id, unknown id, a rule that would break)
 * write nothing; the alias leads from the absorbed id to the kept person.
 *
 * Each test gets a fresh database with the fixture below. Records are
 * written in single quotes for readability (fx_json() turns them into JSON).
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
#include "model/merge.h"
#include "model/password.h"
#include "model/record.h"
#include "model/schema.h"

static struct db *db;

static const char *const fixture[] = {
	"{'type':'organisation','id':'o-mdm','name':'MDM','kind':'maison_metropole'}",
	"{'type':'organisation','id':'o-pe','name':'PE','kind':'pole_emploi'}",
	"{'type':'user','id':'u-ref','email':'r@t.fr','first_name':'R','last_name':'R',"
	"'organisation':'o-mdm','roles':['referent']}",
	"{'type':'household','id':'h-1'}",
	"{'type':'household','id':'h-2'}",
	"{'type':'person','id':'p-a','household':'h-1','role':'DEM','first_name':'Benoît',"
	"'last_name':'Dupont','birth_date':'1980-05-17','sex':'M','phone':'0401020304'}",
	"{'type':'person','id':'p-b','household':'h-2','role':'DEM','first_name':'Benoit',"
	"'last_name':'Dupont','birth_date':'1980-05-17','sex':'M','nir':'180056938112357',"
	"'phone':'0601020304','email':'b@exemple.fr'}",
	"{'type':'person','id':'p-c','household':'h-1','role':'CJT','first_name':'Claire',"
	"'last_name':'Dupont','birth_date':'1982-11-03','sex':'F'}",
	/* The same CAF period under both records: kept once. */
	"{'type':'right_period','id':'rp-a','person':'p-a','start':'2017-01-01','state':'2',"
	"'subject_to_duties':true}",
	"{'type':'right_period','id':'rp-b','person':'p-b','start':'2017-01-01','state':'2',"
	"'subject_to_duties':true}",
	"{'type':'orientation','id':'or-b','person':'p-b','decided_on':'2017-02-01',"
	"'start':'2017-02-01','itinerary':'social','organisation':'o-mdm','referent':'u-ref',"
	"'origin':'initial'}",
	"{'type':'appointment','id':'ap-b','person':'p-b','organisation':'o-mdm',"
	"'at':'2017-02-10T09:30:00+01:00','kind':'orientation','status':'honored'}",
	"{'type':'step','id':'st-b','person':'p-b','date':'2017-03-01','category':'housing_aid'}",
	"{'type':'step','id':'st-bh','person':'p-b','date':'2017-03-02',"
	"'category':'health_first_access'}",
	"{'type':'collective_session','id':'cs-1','organisation':'o-mdm','title':'Atelier',"
	"'at':'2017-05-12T14:00:00+02:00','capacity':5}",
	"{'type':'attendance','id':'at-b','session':'cs-1','person':'p-b','status':'present'}",
	NULL,
};

static int setup(void **state)
{
	fx_today(2017, 12, 31);
	return fx_setup_with(state, fixture, &db);
}

static int has_problem(const struct merge_result *r, const char *id, const char *text)
{
	json_t *p;
	size_t i;

	json_array_foreach(r->pb.list, i, p) {
		const char *pid = json_string_value(json_object_get(p, "id"));
		const char *reason = json_string_value(json_object_get(p, "reason"));
		if ((!id || (pid && strcmp(pid, id) == 0)) && reason && strstr(reason, text))
			return 1;
	}
	return 0;
}

/* ---- every reference to person is handled ------------------------------- */

static void test_every_table_referring_to_person_is_handled(void **state)
{
	struct db_stmt *tables, *fk;
	char sql[200];
	int found = 0;

	(void)state;
	assert_int_equal(db_prepare(db, &tables, "SELECT name FROM sqlite_master WHERE type = "
						 "'table' ORDER BY name"), 0);
	while (db_step(tables) == DB_ROW) {
		const char *table = db_col_text(tables, 0);
		snprintf(sql, sizeof sql, "SELECT \"table\", \"from\" FROM pragma_foreign_key_list('%s')",
			 table);
		assert_int_equal(db_prepare(db, &fk, sql), 0);
		while (db_step(fk) == DB_ROW) {
			if (strcmp(db_col_text(fk, 0), "person") != 0)
				continue;
			found++;
			if (!merge_handles(table, db_col_text(fk, 1)))
				fail_msg("%s.%s refers to person but src/model/merge.c does not move it: "
					 "add it to merge_tables (with its rule if it needs one)",
					 table, db_col_text(fk, 1));
		}
		db_finalize(fk);
	}
	db_finalize(tables);
	/* right_period … step, case_review, person_alias: the list is read. */
	assert_true(found >= 12);
}

/* ---- a merge -------------------------------------------------------------- */

static void test_merge_moves_rows_fills_fields_and_keeps_an_alias(void **state)
{
	struct merge_result r;
	char now[80];

	(void)state;
	merge_result_init(&r);
	assert_int_equal(person_merge(db, "p-a", "p-b", "u-admin", "127.0.0.1", 0, &r), MERGE_DONE);
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM person WHERE id = ?", "p-b"), 0);
	/* Moved: orientation, appointment, two steps, attendance. */
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM orientation WHERE person = ?", "p-a"), 1);
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM appointment WHERE person = ?", "p-a"), 1);
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM step WHERE person = ?", "p-a"), 2);
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM attendance WHERE person = ?", "p-a"), 1);
	assert_int_equal(json_integer_value(json_object_get(r.moved, "step")), 2);
	assert_int_equal(r.moved_health, 1);
	/* A moved row's version moved: a form opened before answers 409. */
	assert_int_equal(fx_int(db, "SELECT version FROM orientation WHERE id = ?", "or-b"), 2);
	/* The identical right period was kept once: A's. */
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM right_period WHERE person = ?", "p-a"), 1);
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM right_period WHERE id = ?", "rp-a"), 1);
	assert_int_equal(json_array_size(r.dropped), 1);
	/* Empty fields of A took B's; differing ones stayed A's and are listed. */
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM person WHERE id = ? AND nir = "
			            "'180056938112357' AND email = 'b@exemple.fr' AND phone = "
			            "'0401020304' AND first_name = 'Benoît'", "p-a"), 1);
	assert_int_equal(json_array_size(r.taken), 2);
	/* first_name, household, phone differ. */
	assert_int_equal(json_array_size(r.conflicts), 3);
	/* History, alias, one audit entry. */
	assert_true(r.merge_id > 0);
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM person_merge WHERE kept = 'p-a' AND "
			            "absorbed = ? AND moved_count = 4 AND moved_health = 1", "p-b"), 1);
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM audit WHERE action = 'person.merge' AND "
			            "object_id = ? AND detail LIKE '%p-b%'", "p-a"), 1);
	assert_int_equal(person_resolve_alias(db, "p-b", now), 1);
	assert_string_equal(now, "p-a");
	assert_int_equal(person_resolve_alias(db, "p-a", now), 1);
	assert_string_equal(now, "p-a");
	assert_int_equal(person_resolve_alias(db, "p-zz", now), 0);
	merge_result_release(&r);
}

static void test_aliases_follow_a_second_merge(void **state)
{
	struct merge_result r;
	char now[80];

	(void)state;
	merge_result_init(&r);
	assert_int_equal(person_merge(db, "p-a", "p-b", "u", "a", 0, &r), MERGE_DONE);
	merge_result_release(&r);
	merge_result_init(&r);
	assert_int_equal(person_merge(db, "p-c", "p-a", "u", "a", 0, &r), MERGE_DONE);
	merge_result_release(&r);
	assert_int_equal(person_resolve_alias(db, "p-b", now), 1);
	assert_string_equal(now, "p-c");
	assert_int_equal(person_resolve_alias(db, "p-a", now), 1);
	assert_string_equal(now, "p-c");
	/* Merging an absorbed id again says where it went. */
	merge_result_init(&r);
	assert_int_equal(person_merge(db, "p-c", "p-b", "u", "a", 0, &r), MERGE_NOT_FOUND);
	assert_true(has_problem(&r, "p-b", "fusionnée dans p-c"));
	merge_result_release(&r);
}

static void test_dry_run_writes_nothing(void **state)
{
	struct merge_result r;

	(void)state;
	merge_result_init(&r);
	assert_int_equal(person_merge(db, "p-a", "p-b", "u", "a", 1, &r), MERGE_DONE);
	assert_int_equal(json_integer_value(json_object_get(r.moved, "orientation")), 1);
	assert_int_equal(r.merge_id, 0);
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM person WHERE id = ?", "p-b"), 1);
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM orientation WHERE person = ?", "p-b"), 1);
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM person_merge WHERE kept = ?", "p-a"), 0);
	merge_result_release(&r);
}

/* ---- refusals ------------------------------------------------------------- */

static void test_merging_a_person_with_itself_is_refused(void **state)
{
	struct merge_result r;

	(void)state;
	merge_result_init(&r);
	assert_int_equal(person_merge(db, "p-a", "p-a", "u", "a", 0, &r), MERGE_SAME);
	assert_true(has_problem(&r, NULL, "elle-même"));
	merge_result_release(&r);
}

static void test_unknown_ids_are_not_found(void **state)
{
	struct merge_result r;

	(void)state;
	merge_result_init(&r);
	assert_int_equal(person_merge(db, "p-a", "p-nobody", "u", "a", 0, &r), MERGE_NOT_FOUND);
	assert_true(has_problem(&r, "p-nobody", "aucune personne"));
	merge_result_release(&r);
	merge_result_init(&r);
	assert_int_equal(person_merge(db, "p-nobody", "p-b", "u", "a", 0, &r), MERGE_NOT_FOUND);
	merge_result_release(&r);
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM person WHERE id = ?", "p-b"), 1);
}

/* The rule every moved row must keep, and nothing written when one breaks. */
static void refused_with(const char *const *extra, const char *id, const char *text)
{
	struct merge_result r;
	int64_t audits = fx_int(db, "SELECT COUNT(*) FROM audit", NULL);

	fx_put_all(db, extra);
	merge_result_init(&r);
	assert_int_equal(person_merge(db, "p-a", "p-b", "u", "a", 0, &r), MERGE_REFUSED);
	if (!has_problem(&r, id, text)) {
		char *s = json_dumps(r.pb.list, JSON_COMPACT);
		fail_msg("expected a problem on %s: %s; got %s", id, text, s);
	}
	merge_result_release(&r);
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM person WHERE id = ?", "p-b"), 1);
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM orientation WHERE person = ?", "p-b"), 1);
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM right_period WHERE person = ?", "p-b"), 1);
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM person WHERE id = 'p-a' AND nir IS NULL",
			            NULL), 1);
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM person_merge", NULL), 0);
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM person_alias", NULL), 0);
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM audit", NULL), audits);
}

static void test_two_current_orientations_are_refused(void **state)
{
	static const char *const extra[] = {
		"{'type':'orientation','id':'or-a','person':'p-a','decided_on':'2017-01-15',"
		"'start':'2017-01-15','itinerary':'professional','organisation':'o-pe',"
		"'origin':'initial'}",
		NULL,
	};

	(void)state;
	refused_with(extra, "or-a", "chevauche l'orientation or-b");
}

static void test_overlapping_right_periods_are_refused(void **state)
{
	static const char *const extra[] = {
		"{'type':'right_period','id':'rp-a2','person':'p-a','start':'2016-06-01',"
		"'end':'2017-01-31','state':'3','subject_to_duties':true}",
		"{'type':'right_period','id':'rp-a','person':'p-a','start':'2017-02-01','state':'2',"
		"'subject_to_duties':true}",
		NULL,
	};

	(void)state;
	refused_with(extra, "rp-a2", "chevauche la période de droit rp-b");
}

static void test_overlapping_cers_are_refused(void **state)
{
	static const char *const extra[] = {
		"{'type':'contract','id':'ct-a','person':'p-a','kind':'cer','organisation':'o-mdm',"
		"'signed_on':'2017-03-01','start':'2017-03-01','end':'2017-08-31',"
		"'actions':['housing']}",
		"{'type':'contract','id':'ct-b','person':'p-b','kind':'cer','organisation':'o-mdm',"
		"'signed_on':'2017-06-01','start':'2017-06-01','end':'2017-11-30',"
		"'actions':['training']}",
		NULL,
	};

	(void)state;
	refused_with(extra, "ct-a", "chevauche le contrat ct-b");
}

static void test_same_session_twice_is_refused_unless_identical(void **state)
{
	static const char *const extra[] = {
		"{'type':'attendance','id':'at-a','session':'cs-1','person':'p-a','status':'excused'}",
		NULL,
	};

	(void)state;
	refused_with(extra, "at-a", "figure déjà à cette séance");
}

static void test_identical_attendance_is_kept_once(void **state)
{
	static const char *const extra[] = {
		"{'type':'attendance','id':'at-a','session':'cs-1','person':'p-a','status':'present'}",
		NULL,
	};
	struct merge_result r;

	(void)state;
	fx_put_all(db, extra);
	merge_result_init(&r);
	assert_int_equal(person_merge(db, "p-a", "p-b", "u", "a", 0, &r), MERGE_DONE);
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM attendance WHERE person = ?", "p-a"), 1);
	assert_int_equal(fx_int(db, "SELECT COUNT(*) FROM attendance WHERE id = ?", "at-a"), 1);
	merge_result_release(&r);
}

static void test_attached_counts_hide_health_steps_without_accreditation(void **state)
{
	json_t *with, *without, *x;
	size_t i;
	json_int_t a = -1, b = -1;

	(void)state;
	with = merge_attached(db, "p-b", 1);
	without = merge_attached(db, "p-b", 0);
	json_array_foreach(with, i, x)
		if (!strcmp(json_string_value(json_object_get(x, "table")), "step")) {
			a = json_integer_value(json_object_get(x, "count"));
			b = json_integer_value(json_object_get(json_array_get(without, i), "count"));
		}
	assert_int_equal(a, 2);
	assert_int_equal(b, 1);
	json_decref(with);
	json_decref(without);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, fx_teardown)
		T(test_every_table_referring_to_person_is_handled),
		T(test_merge_moves_rows_fills_fields_and_keeps_an_alias),
		T(test_aliases_follow_a_second_merge),
		T(test_dry_run_writes_nothing),
		T(test_merging_a_person_with_itself_is_refused),
		T(test_unknown_ids_are_not_found),
		T(test_two_current_orientations_are_refused),
		T(test_overlapping_right_periods_are_refused),
		T(test_overlapping_cers_are_refused),
		T(test_same_session_twice_is_refused_unless_identical),
		T(test_identical_attendance_is_kept_once),
		T(test_attached_counts_hide_health_steps_without_accreditation),
#undef T
	};

	if (password_init())
		return 1;
	return cmocka_run_group_tests_name("merge", tests, NULL, NULL);
}
