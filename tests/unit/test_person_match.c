/*
 * test_person_match.c — the person a line designates, as France Travail and
 * beneficiary lists look for them (src/exchange/person_match.h): by NIR's
 * 13 first characters, by France Travail id (but for one person), by names
 * and birth date without case or accents (the birth name too), leaving out
 * people with another NIR, within the households of a CAF number.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/date.h"
#include "exchange/person_match.h"
#include "fixture.h"

static struct db *db;
static struct person_match m;

/* Two Jean Petit born the same day (one with a NIR, one in a CAF
 * household), Zoé Lefèvre born Martin with a France Travail id. */
static const char *const people[] = {
	"{'type':'household','id':'h-1','caf_number':'1234567'}",
	"{'type':'household','id':'h-2'}",
	"{'type':'person','id':'p-jean-1','household':'h-1','role':'DEM','first_name':'Jean',"
	"'last_name':'Petit','birth_date':'1970-01-01','sex':'M'}",
	"{'type':'person','id':'p-jean-2','household':'h-2','role':'DEM','first_name':'Jean',"
	"'last_name':'Petit','birth_date':'1970-01-01','sex':'M','nir':'170016938112395'}",
	"{'type':'person','id':'p-zoe','household':'h-2','role':'CJT','first_name':'Zoé',"
	"'last_name':'Lefèvre','birth_name':'Martin','birth_date':'1990-02-28','sex':'F',"
	"'france_travail_id':'1234567A123'}",
	NULL,
};

static int setup(void **state)
{
	int rc = fx_setup_with(state, people, &db);

	person_match_init(&m, db);
	return rc;
}

static int teardown(void **state)
{
	person_match_release(&m);
	return fx_teardown(state);
}

static void test_nir_and_ft_id(void **state)
{
	(void)state;
	char id[PERSON_MATCH_ID], nir[PERSON_MATCH_NIR];

	/* 13 characters are enough; the key does not matter. */
	assert_int_equal(person_match_nir(&m, "1700169381123", id), 1);
	assert_string_equal(id, "p-jean-2");
	assert_int_equal(person_match_nir(&m, "170016938112399", id), 1);
	assert_int_equal(person_match_nir(&m, "170016938", id), 0);
	assert_int_equal(person_match_nir(&m, "2700169381123", id), 0);
	assert_string_equal(id, "");
	assert_int_equal(person_match_ft_id(&m, "1234567A123", NULL, id, nir), 1);
	assert_string_equal(id, "p-zoe");
	assert_string_equal(nir, "");
	assert_int_equal(person_match_ft_id(&m, "1234567A123", "p-zoe", id, nir), 0);
	assert_int_equal(person_match_ft_id(&m, "1234567A123", "p-jean-1", id, nir), 1);
	assert_int_equal(person_match_ft_id(&m, "7654321A123", NULL, id, nir), 0);
}

static void test_names(void **state)
{
	(void)state;
	struct person_match_names q = { "JEAN", "petit", date_from_civil(1970, 1, 1), "", NULL };
	char id[PERSON_MATCH_ID];

	assert_int_equal(person_match_names(&m, &q, id), 2);
	assert_string_equal(id, "p-jean-1");
	/* Another NIR leaves p-jean-2 out; the same one (13 characters) not. */
	q.nir = "180016938112345";
	assert_int_equal(person_match_names(&m, &q, id), 1);
	assert_string_equal(id, "p-jean-1");
	q.nir = "1700169381123";
	assert_int_equal(person_match_names(&m, &q, id), 2);
	/* Within the CAF number's households. */
	q.nir = "";
	q.caf_number = "1234567";
	assert_int_equal(person_match_names(&m, &q, id), 1);
	assert_string_equal(id, "p-jean-1");
	q.caf_number = "999";
	assert_int_equal(person_match_names(&m, &q, id), 0);
	/* Accents and case aside, by last name or birth name; the first name
	 * must be the same. */
	q = (struct person_match_names){ "zoe", "LEFEVRE", date_from_civil(1990, 2, 28), "", "" };
	assert_int_equal(person_match_names(&m, &q, id), 1);
	assert_string_equal(id, "p-zoe");
	q.last_name = "martin";
	assert_int_equal(person_match_names(&m, &q, id), 1);
	q.first_name = "Zoëlle";
	assert_int_equal(person_match_names(&m, &q, id), 0);
	q.first_name = "";
	assert_int_equal(person_match_names(&m, &q, id), 0);
	assert_true(person_match_same("Zoé-Lefèvre", "ZOE LEFEVRE"));
	assert_false(person_match_same("", ""));
	assert_false(person_match_same(NULL, "a"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_nir_and_ft_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_names, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
