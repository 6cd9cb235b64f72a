/*
 * test_demo.c — the demo generator writes a valid exchange-format file.
 *
 * The file is generated once (300 households) and read back with jansson, as
 * the importer would; each test checks one rule of exchange-format.md or one
 * promise of the demo (deterministic output, the demo accounts, SDD people
 * for the orientation officer).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <unistd.h>

#include "base/date.h"
#include "db/db.h"
#include "demo/demo.h"
#include "exchange/jsonl.h"
#include "fixture.h"
#include "model/orienting.h"
#include "model/problems.h"

#define TEST_HOUSEHOLDS 300
#define TEST_SEED 4242UL

static const char *const type_order[] = {
	"territory", "organisation", "user", "household", "person", "right_period",
	"orientation", "referent_assignment", "diagnostic", "contract", "appointment",
	"collective_session", "attendance", "survey_response", "step", "instance",
	"instance_member", "sitting", "case_review",
};
#define TYPE_COUNT (sizeof(type_order) / sizeof(type_order[0]))

static const char *const all_roles[] = {
	"referent", "orientation_officer", "instance_secretary", "programme_manager", "clee",
	"clause_facilitator", "faj_officer", "analyst", "admin",
};
#define ROLE_COUNT (sizeof(all_roles) / sizeof(all_roles[0]))

/* The generated file, as bytes and as parsed lines. */
struct demo_file {
	char *bytes;
	size_t size;
	json_t **lines;
	size_t n_lines;
	json_t *index; /* "type/id" → line number of its first line */
};

static struct demo_file file;

static int generate(unsigned long seed, int households, char **bytes, size_t *size)
{
	struct demo_options opt = { seed, households };
	FILE *out = open_memstream(bytes, size);
	int rc;

	if (!out)
		return -1;
	rc = demo_write(out, &opt);
	if (fclose(out) != 0)
		rc = -1;
	return rc;
}

static const char *str(const json_t *o, const char *key);

static int setup_file(void **state)
{
	size_t cap = 1024;
	char *copy, *line, *next;

	(void)state;
	if (generate(TEST_SEED, TEST_HOUSEHOLDS, &file.bytes, &file.size))
		return -1;
	/* The bytes stay intact for the byte tests: lines are cut in a copy. */
	copy = strdup(file.bytes);
	file.lines = malloc(cap * sizeof(json_t *));
	if (!file.lines || !copy)
		return -1;
	for (line = copy; *line; line = next) {
		json_error_t error;

		next = strchr(line, '\n');
		if (!next)
			return -1; /* every line ends with a newline */
		*next++ = '\0';
		if (file.n_lines == cap) {
			json_t **grown = realloc(file.lines, 2 * cap * sizeof(json_t *));

			if (!grown)
				return -1;
			file.lines = grown;
			cap *= 2;
		}
		file.lines[file.n_lines] = json_loads(line, JSON_REJECT_DUPLICATES, &error);
		if (!file.lines[file.n_lines]) {
			fprintf(stderr, "line %zu: %s\n", file.n_lines + 1, error.text);
			return -1;
		}
		file.n_lines++;
	}
	free(copy);
	file.index = json_object();
	for (size_t i = 0; i < file.n_lines; i++) {
		char key[160];

		snprintf(key, sizeof key, "%s/%s", str(file.lines[i], "type"), str(file.lines[i], "id"));
		if (!json_object_get(file.index, key))
			json_object_set_new(file.index, key, json_integer((json_int_t)i));
	}
	return 0;
}

static int teardown_file(void **state)
{
	(void)state;
	for (size_t i = 0; i < file.n_lines; i++)
		json_decref(file.lines[i]);
	free(file.lines);
	free(file.bytes);
	json_decref(file.index);
	return 0;
}

/* ---- small helpers ------------------------------------------------------- */

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static bool is_type(const json_t *o, const char *type)
{
	return strcmp(str(o, "type"), type) == 0;
}

static size_t type_rank(const char *type)
{
	for (size_t i = 0; i < TYPE_COUNT; i++) {
		if (strcmp(type_order[i], type) == 0)
			return i;
	}
	return TYPE_COUNT;
}

/* The first line of `type` with that id before line `before`, or NULL. */
static const json_t *find(const char *type, const char *id, size_t before)
{
	char key[160];
	const json_t *at;

	snprintf(key, sizeof key, "%s/%s", type, id);
	at = json_object_get(file.index, key);
	if (!at || (size_t)json_integer_value(at) >= before)
		return NULL;
	return file.lines[json_integer_value(at)];
}

/* The line of `type` with that id anywhere in the file (the format lets a
 * record name one that comes later), or NULL. */
static const json_t *find_any(const char *type, const char *id)
{
	return find(type, id, file.n_lines);
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* YYYY-MM-DD and a real calendar day. */
static bool valid_date(const char *s)
{
	static const int len[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++) {
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	}
	y = (int)strtol(s, NULL, 10);
	m = (int)strtol(s + 5, NULL, 10);
	d = (int)strtol(s + 8, NULL, 10);
	if (m < 1 || m > 12 || d < 1)
		return false;
	return d <= len[m - 1] + (m == 2 && is_leap(y));
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
	}
	return true;
}

static bool has_role(const json_t *user, const char *role)
{
	const json_t *roles = json_object_get(user, "roles");
	size_t i;
	json_t *r;

	json_array_foreach(roles, i, r) {
		if (strcmp(json_string_value(r), role) == 0)
			return true;
	}
	return false;
}

static const json_t *user_by_email(const char *email)
{
	for (size_t i = 0; i < file.n_lines; i++) {
		if (is_type(file.lines[i], "user") && strcmp(str(file.lines[i], "email"), email) == 0)
			return file.lines[i];
	}
	return NULL;
}

/* ---- shape --------------------------------------------------------------- */

static void test_lines_are_objects_with_type_and_id(void **state)
{
	(void)state;
	assert_true(file.n_lines > TEST_HOUSEHOLDS * 3);
	for (size_t i = 0; i < file.n_lines; i++) {
		const json_t *o = file.lines[i];
		const char *id = str(o, "id");
		const char *key;
		json_t *value;

		assert_true(json_is_object(o));
		assert_non_null(str(o, "type"));
		assert_non_null(id);
		assert_in_range(strlen(id), 1, 64);
		for (const char *p = id; *p; p++)
			assert_non_null(strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-", *p));
		/* Absent, never null. */
		json_object_foreach((json_t *)o, key, value)
			assert_false(json_is_null(value));
	}
}

static void test_utf8_raw_never_escaped(void **state)
{
	(void)state;
	assert_null(strstr(file.bytes, "\\u"));
	assert_non_null(strstr(file.bytes, "Métropole"));
	assert_non_null(strstr(file.bytes, "Vénissieux"));
	assert_int_equal(strlen(file.bytes), file.size); /* no NUL inside */
}

static void test_types_in_format_order(void **state)
{
	size_t rank = 0;
	size_t seen[TYPE_COUNT] = { 0 };

	(void)state;
	for (size_t i = 0; i < file.n_lines; i++) {
		size_t r = type_rank(str(file.lines[i], "type"));

		assert_true(r < TYPE_COUNT);
		assert_true(r >= rank);
		rank = r;
		seen[r]++;
	}
	for (size_t t = 0; t < TYPE_COUNT; t++)
		assert_true(seen[t] > 0);
	assert_int_equal(seen[type_rank("household")], TEST_HOUSEHOLDS);
}

static void test_ids_unique_per_type(void **state)
{
	(void)state;
	for (size_t i = 0; i < file.n_lines; i++)
		assert_null(find(str(file.lines[i], "type"), str(file.lines[i], "id"), i));
}

/* ---- references ----------------------------------------------------------- */

struct reference {
	const char *type;
	const char *field;
	const char *target;
	bool required;
};

static const struct reference references[] = {
	{ "organisation", "territory", "territory", false },
	{ "user", "organisation", "organisation", true },
	{ "household", "territory", "territory", false },
	{ "person", "household", "household", true },
	{ "right_period", "person", "person", true },
	{ "orientation", "person", "person", true },
	{ "orientation", "organisation", "organisation", true },
	{ "orientation", "referent", "user", false },
	{ "orientation", "case_review", "case_review", false },
	{ "referent_assignment", "person", "person", true },
	{ "referent_assignment", "referent", "user", true },
	{ "referent_assignment", "organisation", "organisation", true },
	{ "diagnostic", "person", "person", true },
	{ "diagnostic", "author", "user", false },
	{ "contract", "person", "person", true },
	{ "contract", "organisation", "organisation", true },
	{ "contract", "referent", "user", false },
	{ "appointment", "person", "person", true },
	{ "appointment", "organisation", "organisation", true },
	{ "appointment", "referent", "user", false },
	{ "collective_session", "organisation", "organisation", true },
	{ "attendance", "session", "collective_session", true },
	{ "attendance", "person", "person", true },
	{ "survey_response", "session", "collective_session", true },
	{ "survey_response", "person", "person", false },
	{ "step", "person", "person", true },
	{ "instance", "territory", "territory", false },
	{ "instance_member", "instance", "instance", true },
	{ "sitting", "instance", "instance", true },
	{ "case_review", "person", "person", true },
	{ "case_review", "sitting", "sitting", false },
};

/* References to a type written earlier point backwards; to a later type
 * (an orientation's case review) they resolve anywhere in the file. */
static void test_references_resolve(void **state)
{
	(void)state;
	for (size_t i = 0; i < file.n_lines; i++) {
		for (size_t r = 0; r < sizeof(references) / sizeof(references[0]); r++) {
			bool forward = type_rank(references[r].target) > type_rank(references[r].type);
			const char *target;

			if (!is_type(file.lines[i], references[r].type))
				continue;
			target = str(file.lines[i], references[r].field);
			if (!target) {
				assert_false(references[r].required);
				continue;
			}
			if (!(forward ? find_any(references[r].target, target) : find(references[r].target, target, i)))
				fail_msg("line %zu: %s %s → missing %s %s", i + 1, references[r].type,
					 str(file.lines[i], "id"), references[r].target, target);
		}
	}
}

static bool territory_has_commune(const json_t *territory, const char *insee)
{
	size_t i;
	json_t *c;

	json_array_foreach(json_object_get(territory, "communes"), i, c) {
		if (strcmp(json_string_value(c), insee) == 0)
			return true;
	}
	return false;
}

static void test_household_territory_matches_commune(void **state)
{
	(void)state;
	for (size_t i = 0; i < file.n_lines; i++) {
		const json_t *hh = file.lines[i];
		const char *caf = str(hh, "caf_number");

		if (!is_type(hh, "household"))
			continue;
		assert_true(territory_has_commune(find("territory", str(hh, "territory"), i),
						  str(hh, "commune")));
		assert_true(caf && strlen(caf) == 7 && all_digits(caf, 7));
		assert_true(strcmp(str(hh, "paying_body"), "CAF") == 0 ||
			    strcmp(str(hh, "paying_body"), "MSA") == 0);
	}
}

/* ---- the territory ------------------------------------------------------- */

static bool contains(char codes[][6], size_t n, const char *insee)
{
	for (size_t j = 0; j < n; j++) {
		if (strcmp(codes[j], insee) == 0)
			return true;
	}
	return false;
}

static void test_59_communes_each_in_one_territory(void **state)
{
	char codes[128][6];
	char arrondissements[16][6];
	size_t n = 0, n_arr = 0, territories = 0;

	(void)state;
	for (size_t i = 0; i < file.n_lines; i++) {
		size_t k;
		json_t *c;

		if (!is_type(file.lines[i], "territory"))
			continue;
		territories++;
		json_array_foreach(json_object_get(file.lines[i], "communes"), k, c) {
			const char *insee = json_string_value(c);

			assert_int_equal(strlen(insee), 5);
			assert_true(all_digits(insee, 5));
			assert_true(strncmp(insee, "69", 2) == 0);
			if (contains(codes, n, insee) || contains(arrondissements, n_arr, insee))
				fail_msg("commune %s in two territories", insee);
			/* Lyon counts once, through its nine arrondissements. */
			if (strncmp(insee, "6938", 4) == 0) {
				assert_in_range(insee[4], '1', '9');
				snprintf(arrondissements[n_arr++], sizeof(arrondissements[0]), "%s", insee);
				insee = "69123";
			}
			if (!contains(codes, n, insee))
				snprintf(codes[n++], sizeof(codes[0]), "%s", insee);
		}
	}
	assert_int_equal(n_arr, 9);
	assert_int_equal(n, 59);
	assert_in_range(territories, 9, 12);
}

static bool luhn_valid(const char *digits, size_t n)
{
	unsigned sum = 0;

	for (size_t k = 0; k < n; k++) {
		unsigned d = (unsigned)(digits[n - 1 - k] - '0');

		if (k % 2 == 1) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	return sum % 10 == 0;
}

static void test_organisations(void **state)
{
	size_t ccas = 0, pe = 0, mdm = 0;
	bool siae[4] = { false };
	static const char *const siae_kinds[] = { "siae_aci", "siae_ei", "siae_ai", "siae_etti" };

	(void)state;
	for (size_t i = 0; i < file.n_lines; i++) {
		const json_t *o = file.lines[i];
		const char *siret = str(o, "siret");
		const char *kind = str(o, "kind");

		if (!is_type(o, "organisation"))
			continue;
		if (siret) {
			assert_int_equal(strlen(siret), 14);
			assert_true(all_digits(siret, 14));
			assert_true(luhn_valid(siret, 14));
		}
		ccas += strcmp(kind, "ccas") == 0;
		pe += strcmp(kind, "pole_emploi") == 0;
		if (strcmp(kind, "maison_metropole") == 0) {
			mdm++;
			assert_non_null(str(o, "territory"));
		}
		for (size_t k = 0; k < 4; k++)
			siae[k] |= strcmp(kind, siae_kinds[k]) == 0;
	}
	assert_int_equal(ccas, 20);
	assert_in_range(pe, 8, 15);
	assert_true(mdm >= 11);
	for (size_t k = 0; k < 4; k++)
		assert_true(siae[k]);
}

/* ---- accounts ------------------------------------------------------------- */

static bool health_accredited(const json_t *user)
{
	return json_is_true(json_object_get(user, "health_accredited"));
}

static void test_one_demo_account_per_role(void **state)
{
	size_t health = 0;

	(void)state;
	assert_true(strlen(demo_password) >= 12);
	/* One account per role, plus the health-accredited référent. */
	for (size_t r = 0; r < ROLE_COUNT; r++) {
		size_t n = 0;

		for (size_t a = 0; demo_accounts[a].email; a++) {
			n += strcmp(demo_accounts[a].role, all_roles[r]) == 0 &&
			     !health_accredited(user_by_email(demo_accounts[a].email));
		}
		assert_int_equal(n, 1);
	}
	for (size_t a = 0; demo_accounts[a].email; a++) {
		const json_t *user = user_by_email(demo_accounts[a].email);

		assert_non_null(user);
		assert_true(has_role(user, demo_accounts[a].role));
		assert_non_null(demo_accounts[a].label_fr);
		if (health_accredited(user)) {
			health++;
			assert_string_equal(demo_accounts[a].role, "referent");
		}
		for (size_t b = 0; b < a; b++)
			assert_string_not_equal(demo_accounts[a].email, demo_accounts[b].email);
	}
	assert_int_equal(health, 1);
}

static const json_t *organisation_of(const json_t *user)
{
	return find("organisation", str(user, "organisation"), file.n_lines);
}

static const json_t *account_user(const char *role)
{
	for (size_t a = 0; demo_accounts[a].email; a++) {
		if (strcmp(demo_accounts[a].role, role) == 0)
			return user_by_email(demo_accounts[a].email);
	}
	return NULL;
}

static void test_accounts_sit_in_fitting_organisations(void **state)
{
	const json_t *referent_org = organisation_of(account_user("referent"));
	const json_t *orientation_org = organisation_of(account_user("orientation_officer"));
	const json_t *admin_org = organisation_of(account_user("admin"));

	(void)state;
	assert_string_equal(str(referent_org, "kind"), "maison_metropole");
	assert_non_null(str(referent_org, "territory"));
	assert_non_null(str(orientation_org, "territory"));
	assert_string_equal(str(admin_org, "kind"), "other");
	assert_null(str(admin_org, "territory"));
}

static void test_users_emails_unique(void **state)
{
	(void)state;
	for (size_t i = 0; i < file.n_lines; i++) {
		const char *email;

		if (!is_type(file.lines[i], "user"))
			continue;
		email = str(file.lines[i], "email");
		assert_non_null(strchr(email, '@'));
		for (const char *p = email; *p; p++)
			assert_true((unsigned char)*p < 0x80);
		assert_ptr_equal(user_by_email(email), file.lines[i]);
		if (str(file.lines[i], "created_on"))
			assert_true(valid_date(str(file.lines[i], "created_on")));
	}
}

/* ---- people --------------------------------------------------------------- */

static void test_nir_keys(void **state)
{
	size_t with = 0, without = 0;

	(void)state;
	for (size_t i = 0; i < file.n_lines; i++) {
		const char *nir;
		char first13[14];
		unsigned long long n;

		if (!is_type(file.lines[i], "person"))
			continue;
		nir = str(file.lines[i], "nir");
		if (!nir) {
			without += strcmp(str(file.lines[i], "role"), "ENF") != 0;
			continue;
		}
		with++;
		assert_int_equal(strlen(nir), 15);
		assert_true(all_digits(nir, 15));
		assert_int_equal(nir[0] - '0', strcmp(str(file.lines[i], "sex"), "F") == 0 ? 2 : 1);
		assert_true(strncmp(nir + 5, "69", 2) == 0);
		/* yy and mm of the birth date */
		assert_memory_equal(nir + 1, str(file.lines[i], "birth_date") + 2, 2);
		assert_memory_equal(nir + 3, str(file.lines[i], "birth_date") + 5, 2);
		memcpy(first13, nir, 13);
		first13[13] = '\0';
		n = strtoull(first13, NULL, 10);
		assert_int_equal(strtol(nir + 13, NULL, 10), 97 - (long)(n % 97));
		for (size_t j = 0; j < i; j++) {
			const char *other = is_type(file.lines[j], "person") ? str(file.lines[j], "nir") : NULL;

			if (other)
				assert_string_not_equal(nir, other);
		}
	}
	assert_true(with > TEST_HOUSEHOLDS / 2);
	assert_true(without > 0); /* some adults have none */
}

static int age_on(const char *birth, int year, int month, int day)
{
	int by = (int)strtol(birth, NULL, 10);
	int bm = (int)strtol(birth + 5, NULL, 10);
	int bd = (int)strtol(birth + 8, NULL, 10);

	return year - by - (month < bm || (month == bm && day < bd));
}

static void test_people_coherent(void **state)
{
	bool accented = false;

	(void)state;
	for (size_t i = 0; i < file.n_lines; i++) {
		const json_t *p = file.lines[i];
		const char *birth, *sex, *title, *ft;
		bool child;

		if (!is_type(p, "person"))
			continue;
		birth = str(p, "birth_date");
		sex = str(p, "sex");
		title = str(p, "title");
		ft = str(p, "france_travail_id");
		child = strcmp(str(p, "role"), "ENF") == 0;
		assert_true(valid_date(birth));
		if (child) {
			assert_true(age_on(birth, 2017, 12, 31) < 18);
			assert_true(strcmp(birth, "2017-12-31") <= 0);
		} else {
			assert_true(age_on(birth, 2016, 1, 1) >= 18);
			assert_true(age_on(birth, 2017, 12, 31) <= 64);
		}
		assert_true(strcmp(sex, "F") == 0 || strcmp(sex, "M") == 0);
		if (title)
			assert_string_equal(title, strcmp(sex, "F") == 0 ? "MME" : "MR");
		if (ft) {
			assert_int_equal(strlen(ft), 11);
			assert_true(all_digits(ft, 7));
			assert_true((ft[7] >= 'A' && ft[7] <= 'Z') || (ft[7] >= '0' && ft[7] <= '9'));
			assert_true(all_digits(ft + 8, 3));
		}
		for (const char *c = str(p, "first_name"); *c; c++)
			accented |= (unsigned char)*c >= 0x80;
	}
	assert_true(accented);
}

/* ---- dates and right periods -------------------------------------------- */

static void test_dates_valid(void **state)
{
	static const char *const date_fields[] = {
		"start", "end", "birth_date", "rsa_request_date", "created_on", "disabled_on",
		"decided_on", "signed_on", "terminated_on", "date", "referred_on",
	};

	(void)state;
	for (size_t i = 0; i < file.n_lines; i++) {
		for (size_t f = 0; f < sizeof(date_fields) / sizeof(date_fields[0]); f++) {
			const char *d = str(file.lines[i], date_fields[f]);

			if (d && !valid_date(d))
				fail_msg("line %zu: %s = %s", i + 1, date_fields[f], d);
		}
	}
}

struct period {
	const char *person;
	const char *start;
	const char *end;
};

static int period_cmp(const void *a, const void *b)
{
	const struct period *x = a, *y = b;
	int c = strcmp(x->person, y->person);

	return c ? c : strcmp(x->start, y->start);
}

/* Sorts one kind of periods and checks that a person's never overlap. */
static void assert_no_overlap(struct period *ps, size_t n, const char *what)
{
	qsort(ps, n, sizeof(*ps), period_cmp);
	for (size_t i = 1; i < n; i++) {
		if (strcmp(ps[i].person, ps[i - 1].person) != 0)
			continue;
		/* The earlier one must end, strictly before the later starts. */
		if (!ps[i - 1].end || strcmp(ps[i - 1].end, ps[i].start) >= 0)
			fail_msg("%s: %s from %s overlaps the one from %s", ps[i].person, what,
				 ps[i - 1].start, ps[i].start);
	}
}

static void test_right_periods_never_overlap(void **state)
{
	struct period *ps = calloc(file.n_lines, sizeof(*ps));
	size_t n = 0;

	(void)state;
	assert_non_null(ps);
	for (size_t i = 0; i < file.n_lines; i++) {
		const json_t *rp = file.lines[i];
		const char *state_code;

		if (!is_type(rp, "right_period"))
			continue;
		state_code = str(rp, "state");
		assert_true(strlen(state_code) == 1 && state_code[0] >= '0' && state_code[0] <= '6');
		assert_true(json_is_boolean(json_object_get(rp, "subject_to_duties")));
		ps[n].person = str(rp, "person");
		ps[n].start = str(rp, "start");
		ps[n].end = str(rp, "end");
		if (ps[n].end)
			assert_true(strcmp(ps[n].start, ps[n].end) <= 0);
		n++;
	}
	assert_no_overlap(ps, n, "right period");
	free(ps);
}

static bool is_sdd(const json_t *rp)
{
	const char *s = str(rp, "state");

	return (strcmp(s, "2") == 0 || strcmp(s, "3") == 0 || strcmp(s, "4") == 0) &&
	       json_is_true(json_object_get(rp, "subject_to_duties"));
}

static void test_sdd_people_in_orientation_officer_territory(void **state)
{
	const char *territory = str(organisation_of(account_user("orientation_officer")), "territory");
	size_t sdd = 0;

	(void)state;
	assert_non_null(territory);
	for (size_t i = 0; i < file.n_lines; i++) {
		const json_t *rp = file.lines[i];
		const json_t *person, *household;

		if (!is_type(rp, "right_period") || !is_sdd(rp))
			continue;
		person = find("person", str(rp, "person"), i);
		household = find("household", str(person, "household"), i);
		sdd += strcmp(str(household, "territory"), territory) == 0;
	}
	assert_true(sdd > 0);
}

static void test_most_households_open_at_end_of_2017(void **state)
{
	size_t open = 0, households = 0;

	(void)state;
	/* The applicant (person id "p-NNNNNN-1") in a period covering 2017-12-31. */
	for (size_t i = 0; i < file.n_lines; i++) {
		const json_t *rp = file.lines[i];
		const char *person, *s, *end;
		size_t len;

		if (is_type(file.lines[i], "household"))
			households++;
		if (!is_type(rp, "right_period"))
			continue;
		person = str(rp, "person");
		len = strlen(person);
		end = str(rp, "end");
		s = str(rp, "state");
		if (strcmp(person + len - 2, "-1") == 0 && strcmp(str(rp, "start"), "2017-12-31") <= 0 &&
		    (!end || strcmp(end, "2017-12-31") >= 0))
			open += strcmp(s, "2") == 0 || strcmp(s, "3") == 0 || strcmp(s, "4") == 0;
	}
	assert_in_range(open * 100 / households, 65, 95);
}

/* ---- the path ------------------------------------------------------------- */

/* A référent named by a record is a referent of the record's organisation. */
static void assert_referent_of(const json_t *o, const char *field)
{
	const char *referent = str(o, field);
	const json_t *user;

	if (!referent)
		return;
	user = find_any("user", referent);
	assert_non_null(user);
	assert_true(has_role(user, "referent"));
	if (strcmp(str(user, "organisation"), str(o, "organisation")) != 0)
		fail_msg("%s %s: %s is not of %s", str(o, "type"), str(o, "id"), referent,
			 str(o, "organisation"));
}

static void test_orientations_fit_and_link(void **state)
{
	size_t reorientations = 0;

	(void)state;
	for (size_t i = 0; i < file.n_lines; i++) {
		const json_t *o = file.lines[i];
		const json_t *org, *review;

		if (is_type(o, "referent_assignment") || is_type(o, "contract"))
			assert_referent_of(o, "referent");
		if (!is_type(o, "orientation"))
			continue;
		org = find_any("organisation", str(o, "organisation"));
		/* The model's table of which kinds carry each itinerary (the
		 * one the orientation form lists from). */
		assert_true(orienting_kind_fits(str(o, "itinerary"), str(org, "kind")));
		assert_referent_of(o, "referent");
		if (strcmp(str(o, "origin"), "reorientation") != 0)
			continue;
		/* A reorientation follows the favourable opinion of a sitting on
		 * the same person's case. */
		review = find_any("case_review", str(o, "case_review"));
		assert_non_null(review);
		assert_string_equal(str(review, "person"), str(o, "person"));
		assert_string_equal(str(review, "opinion"), "favourable");
		assert_non_null(find_any("sitting", str(review, "sitting")));
		reorientations++;
	}
	assert_true(reorientations > 0);
}

static void test_contracts_never_overlap(void **state)
{
	struct period *ps = calloc(file.n_lines, sizeof(*ps));
	size_t n = 0;

	(void)state;
	assert_non_null(ps);
	for (size_t i = 0; i < file.n_lines; i++) {
		const json_t *c = file.lines[i];
		const char *kind;

		if (!is_type(c, "contract"))
			continue;
		kind = str(c, "kind");
		if (strcmp(kind, "ppae") == 0)
			assert_string_equal(str(find_any("organisation", str(c, "organisation")), "kind"),
					    "pole_emploi");
		assert_true(strcmp(str(c, "start"), str(c, "end")) <= 0);
		if (str(c, "status")) { /* terminated, within its dates */
			assert_string_equal(str(c, "status"), "terminated");
			assert_true(strcmp(str(c, "start"), str(c, "terminated_on")) <= 0);
			assert_true(strcmp(str(c, "terminated_on"), str(c, "end")) <= 0);
		}
		if (strcmp(kind, "cer") != 0)
			continue;
		ps[n].person = str(c, "person");
		ps[n].start = str(c, "start");
		ps[n].end = str(c, "status") ? str(c, "terminated_on") : str(c, "end");
		n++;
	}
	assert_true(n > 0);
	assert_no_overlap(ps, n, "CER");
	free(ps);
}

/* Past appointments have a status (a few left "planned" on purpose), those
 * after 2017 are all planned. */
static void test_appointment_statuses(void **state)
{
	size_t past_planned = 0, future = 0, past = 0;

	(void)state;
	for (size_t i = 0; i < file.n_lines; i++) {
		const json_t *a = file.lines[i];
		bool is_future;

		if (!is_type(a, "appointment"))
			continue;
		is_future = strncmp(str(a, "at"), "2018", 4) >= 0;
		future += is_future;
		past += !is_future;
		if (is_future)
			assert_string_equal(str(a, "status"), "planned");
		else
			past_planned += strcmp(str(a, "status"), "planned") == 0;
	}
	assert_true(future > 0);
	assert_true(past_planned > 0 && past_planned * 20 < past);
}

static void test_steps_and_sessions(void **state)
{
	static const char *const categories[] = {
		"health_first_access", "health_resumption", "housing_aid", "rqth", "aah",
		"rights_other", "training_entry", "employment", "immersion",
	};
	size_t seen[9] = { 0 };
	json_t *taken = json_object();

	(void)state;
	for (size_t i = 0; i < file.n_lines; i++) {
		const json_t *o = file.lines[i];

		if (is_type(o, "step")) {
			bool employment = strcmp(str(o, "category"), "employment") == 0;

			assert_true(employment == (str(o, "contract_type") != NULL));
			for (size_t c = 0; c < 9; c++)
				seen[c] += strcmp(str(o, "category"), categories[c]) == 0;
		} else if (is_type(o, "attendance")) {
			const char *session = str(o, "session");
			json_int_t n = json_integer_value(json_object_get(taken, session)) + 1;

			json_object_set_new(taken, session, json_integer(n));
			assert_true(n <= json_integer_value(json_object_get(find_any("collective_session", session), "capacity")));
		}
	}
	for (size_t c = 0; c < 9; c++) {
		if (!seen[c])
			fail_msg("no step of category %s", categories[c]);
	}
	json_decref(taken);
}

static void test_sittings_meet_quorum(void **state)
{
	(void)state;
	for (size_t i = 0; i < file.n_lines; i++) {
		const json_t *s = file.lines[i];
		const json_t *instance, *present, *member;
		json_int_t quorum;
		size_t k;

		if (!is_type(s, "sitting"))
			continue;
		instance = find_any("instance", str(s, "instance"));
		quorum = json_object_get(instance, "quorum") ? json_integer_value(json_object_get(instance, "quorum")) : 3;
		present = json_object_get(s, "present");
		assert_true((json_int_t)json_array_size(present) >= quorum);
		json_array_foreach(present, k, member) {
			const json_t *m = find_any("instance_member", json_string_value(member));
			const char *end = str(m, "end");

			assert_string_equal(str(m, "instance"), str(s, "instance"));
			assert_true(strcmp(str(m, "start"), str(s, "date")) <= 0);
			assert_true(!end || strcmp(str(s, "date"), end) <= 0);
		}
	}
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* On a larger run: the itineraries split about 25 / 35 / 40 % of the initial
 * orientations, and the demo référente follows people at the end of 2017. */
static void test_itinerary_split(void **state)
{
	static const char *const itineraries[] = { "\"social\"", "\"socio_professional\"", "\"professional\"" };
	static const long expected[] = { 25, 35, 40 };
	char *bytes = NULL, *line, *next;
	size_t size = 0, count[3] = { 0 }, total = 0, followed = 0;

	(void)state;
	assert_int_equal(generate(TEST_SEED, 4000, &bytes, &size), 0);
	for (line = bytes; line && *line; line = next) {
		next = strchr(line, '\n');
		*next++ = '\0';
		if (starts_with(line, "{\"type\":\"referent_assignment\"") &&
		    strstr(line, "\"referent\":\"u-demo-referent\"") && !strstr(line, "\"end\""))
			followed++;
		if (!starts_with(line, "{\"type\":\"orientation\"") ||
		    !strstr(line, "\"origin\":\"initial\""))
			continue;
		for (size_t k = 0; k < 3; k++)
			count[k] += strstr(line, itineraries[k]) != NULL;
		total++;
	}
	assert_true(total > 2000);
	for (size_t k = 0; k < 3; k++) {
		long share = (long)(count[k] * 100 / total);

		if (share < expected[k] - 3 || share > expected[k] + 3)
			fail_msg("%s: %ld %% of initial orientations, expected about %ld %%", itineraries[k],
				 share, expected[k]);
	}
	assert_true(followed >= 5);
	free(bytes);
}

/* The importer takes the whole demo: every rule it checks holds. */
static void test_importer_takes_it(void **state)
{
	struct fx_db tmp;

	(void)state;
	assert_int_equal(fx_db_create(&tmp, "demo"), 0);
	fx_today(2017, 12, 31);
	assert_int_equal(fx_import(&tmp, "demo.jsonl", file.bytes), (long)file.n_lines);
	fx_db_remove(&tmp);
}

/* ---- determinism and errors ---------------------------------------------- */

static void test_same_options_same_bytes(void **state)
{
	char *again = NULL, *other = NULL;
	size_t again_size = 0, other_size = 0;

	(void)state;
	assert_int_equal(generate(TEST_SEED, TEST_HOUSEHOLDS, &again, &again_size), 0);
	assert_int_equal(again_size, file.size);
	assert_memory_equal(again, file.bytes, file.size);
	assert_int_equal(generate(TEST_SEED + 1, TEST_HOUSEHOLDS, &other, &other_size), 0);
	assert_false(other_size == file.size && memcmp(other, file.bytes, file.size) == 0);
	free(again);
	free(other);
}

static void test_write_error_reported(void **state)
{
	struct demo_options opt = { 1, 50 };
	FILE *full = fopen("/dev/full", "w");

	(void)state;
	if (!full)
		skip();
	assert_int_equal(demo_write(full, &opt), -1);
	fclose(full);
	opt.households = DEMO_MAX_HOUSEHOLDS + 1;
	errno = 0;
	assert_int_equal(demo_write(stdout, &opt), -1);
	assert_int_equal(errno, EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_are_objects_with_type_and_id),
		cmocka_unit_test(test_utf8_raw_never_escaped),
		cmocka_unit_test(test_types_in_format_order),
		cmocka_unit_test(test_ids_unique_per_type),
		cmocka_unit_test(test_references_resolve),
		cmocka_unit_test(test_household_territory_matches_commune),
		cmocka_unit_test(test_59_communes_each_in_one_territory),
		cmocka_unit_test(test_organisations),
		cmocka_unit_test(test_one_demo_account_per_role),
		cmocka_unit_test(test_accounts_sit_in_fitting_organisations),
		cmocka_unit_test(test_users_emails_unique),
		cmocka_unit_test(test_nir_keys),
		cmocka_unit_test(test_people_coherent),
		cmocka_unit_test(test_dates_valid),
		cmocka_unit_test(test_right_periods_never_overlap),
		cmocka_unit_test(test_sdd_people_in_orientation_officer_territory),
		cmocka_unit_test(test_most_households_open_at_end_of_2017),
		cmocka_unit_test(test_orientations_fit_and_link),
		cmocka_unit_test(test_contracts_never_overlap),
		cmocka_unit_test(test_appointment_statuses),
		cmocka_unit_test(test_steps_and_sessions),
		cmocka_unit_test(test_sittings_meet_quorum),
		cmocka_unit_test(test_itinerary_split),
		cmocka_unit_test(test_importer_takes_it),
		cmocka_unit_test(test_same_options_same_bytes),
		cmocka_unit_test(test_write_error_reported),
	};

	return cmocka_run_group_tests(tests, setup_file, teardown_file);
}
