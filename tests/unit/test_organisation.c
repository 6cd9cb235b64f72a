/*
 * test_organisation.c — an organisation's postal contact (address,
 * postal_code, city, phone, email; migration 0009): the rules of its
 * fields, the letters that print it from the database (read back with
 * pdftotext), and the demo's addresses in the Métropole de Lyon.
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
#include "demo/demo.h"
#include "fixture.h"
#include "model/problems.h"
#include "model/record.h"
#include "model/schema.h"
#include "print/letters.h"

/* ---- the rules ---- */

/* The problems of one organisation record (text as fx_json() reads it). */
static size_t problems_of(const char *text, struct problems *pb)
{
	json_t *rec = fx_json(text);
	size_t n;

	problems_init(pb);
	problems_at(pb, 1, "organisation", "o-1");
	n = record_validate(&type_organisation, rec, 0, pb, NULL);
	json_decref(rec);
	return n;
}

/* The reason given on field, or NULL. */
static const char *reason_on(const struct problems *pb, const char *field)
{
	json_t *p;
	size_t i;

	json_array_foreach(pb->list, i, p) {
		if (strcmp(json_string_value(json_object_get(p, "field")), field) == 0)
			return json_string_value(json_object_get(p, "reason"));
	}
	return NULL;
}

#define ORG "{'type':'organisation','id':'o-1','name':'MDM','kind':'maison_metropole',"

static void test_a_full_contact_is_taken(void **state)
{
	struct problems pb;

	(void)state;
	assert_int_equal(problems_of(ORG "'address':'12 rue de la Gare, bâtiment B','postal_code':'69003',"
				     "'city':'Lyon','phone':'04 72 00 00 01','email':'accueil@mdm.example.org'}",
				     &pb), 0);
	problems_release(&pb);
	assert_int_equal(problems_of(ORG "'postal_code':'20090','city':'Ajaccio'}", &pb), 0);
	problems_release(&pb);
	assert_int_equal(problems_of(ORG "'phone':'04 72 00 00 01'}", &pb), 0);
	problems_release(&pb);
}

static void test_a_bad_postal_code_is_refused_naming_the_field(void **state)
{
	static const char *const bad[] = { "6900", "69A03", "00123", "99123", " 6900" };
	struct problems pb;
	char text[200];

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(text, sizeof text, ORG "'postal_code':'%s','city':'Lyon'}", bad[i]);
		assert_int_equal(problems_of(text, &pb), 1);
		assert_non_null(reason_on(&pb, "postal_code"));
		assert_non_null(strstr(reason_on(&pb, "postal_code"), "n'est pas un code postal"));
		problems_release(&pb);
	}
	/* Six digits: the field's own length check speaks, once. */
	assert_int_equal(problems_of(ORG "'postal_code':'690031','city':'Lyon'}", &pb), 1);
	assert_non_null(reason_on(&pb, "postal_code"));
	problems_release(&pb);
}

static void test_postal_code_and_city_go_together(void **state)
{
	struct problems pb;

	(void)state;
	assert_int_equal(problems_of(ORG "'postal_code':'69003'}", &pb), 1);
	assert_string_equal(reason_on(&pb, "city"), "la commune accompagne le code postal");
	problems_release(&pb);
	assert_int_equal(problems_of(ORG "'city':'Lyon'}", &pb), 1);
	assert_string_equal(reason_on(&pb, "postal_code"), "le code postal accompagne la commune");
	problems_release(&pb);
}

static void test_contact_fields_are_one_line(void **state)
{
	struct problems pb;

	(void)state;
	assert_int_equal(problems_of(ORG "'address':'12 rue de la Gare\\nbâtiment B'}", &pb), 1);
	assert_non_null(strstr(reason_on(&pb, "address"), "sur une ligne"));
	problems_release(&pb);
	assert_int_equal(problems_of(ORG "'phone':'04 72\\r\\n00 00 01','email':'a@b.fr\\n'}", &pb), 2);
	assert_non_null(reason_on(&pb, "phone"));
	assert_non_null(reason_on(&pb, "email"));
	problems_release(&pb);
}

/* ---- the letters ---- */

static const char *const org_records[] = {
	"{'type':'organisation','id':'o-mdm','name':'Maison de la Métropole Est',"
	"'kind':'maison_metropole','address':'12 rue de la Gare, bâtiment B','postal_code':'69003',"
	"'city':'Lyon','phone':'04 72 00 00 01','email':'accueil@mdm.example.org'}",
	"{'type':'organisation','id':'o-pe','name':'Pôle emploi Est','kind':'pole_emploi',"
	"'address':'3 place Guichard','postal_code':'69003','city':'Lyon','phone':'04 78 11 22 33'}",
	"{'type':'organisation','id':'o-bare','name':'Structure sans adresse','kind':'other'}",
	NULL,
};

static int setup_orgs(void **state)
{
	struct db *db;

	return fx_setup_with(state, org_records, &db);
}

/* The text of a PDF as pdftotext reads it, its lines joined by spaces and
 * its no-break spaces made spaces (malloc'd). */
static char *pdf_text(struct fx_db *f, const struct buf *pdf)
{
	const char *path = fx_file(f, "letter.pdf", pdf->data, pdf->len);
	char cmd[300], chunk[4096];
	struct buf out;
	char *text, *w;
	size_t n;
	FILE *p;

	snprintf(cmd, sizeof cmd, "pdftotext -raw -enc UTF-8 %s -", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	buf_init(&out, 1u << 20);
	while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
		assert_int_equal(buf_add(&out, chunk, n), 0);
	assert_int_equal(pclose(p), 0);
	text = buf_detach(&out, NULL);
	w = text;
	for (const char *r = text; *r; r++) {
		if (r[0] == '\xc2' && r[1] == '\xa0') {
			*w++ = ' ';
			r++;
		} else {
			*w++ = *r == '\n' ? ' ' : *r;
		}
	}
	*w = '\0';
	return text;
}

static void assert_holds(const char *text, const char *what)
{
	if (!strstr(text, what))
		fail_msg("the letter lacks « %s »: %s", what, text);
}

static struct letter_orientation orientation_to(const char *organisation, const char *name)
{
	struct letter_orientation o = {
		.person = { "Madame", "Anne", "Roux", "5 rue Neuve\n69001 Lyon" },
		.date = date_from_civil(2017, 12, 31), .itinerary = "professional",
		.organisation = { .name = name, .organisation = organisation },
	};
	return o;
}

static void test_orientation_letter_prints_both_addresses(void **state)
{
	struct fx_db *f = *state;
	const struct letter_sender from = { .name = "Maison de la Métropole Est", .db = f->db,
					    .organisation = "o-mdm" };
	struct letter_orientation o = orientation_to("o-pe", "Pôle emploi Est");
	struct buf pdf;
	char *text;

	buf_init(&pdf, 8u << 20);
	assert_int_equal(letters_orientation_pdf(&pdf, &from, date_from_civil(2017, 12, 31), &o, 1), 0);
	text = pdf_text(f, &pdf);
	/* The sender block: address, postcode and town, phone, e-mail. */
	assert_holds(text, "12 rue de la Gare, bâtiment B 69003 Lyon Tél. 04 72 00 00 01 "
			   "Courriel : accueil@mdm.example.org");
	assert_holds(text, "Lyon, le 31 décembre 2017");
	/* The organisation that accompanies: where to go, whom to call. */
	assert_holds(text, "Pôle emploi Est, 3 place Guichard, 69003 Lyon (tél. 04 78 11 22 33)");
	free(text);
	buf_release(&pdf);
}

/* An organisation without a contact prints its name only: the letter is
 * the one a sender without a database gets, word for word. */
static void test_no_contact_prints_as_before(void **state)
{
	struct fx_db *f = *state;
	const struct letter_sender with_db = { .name = "Structure sans adresse", .db = f->db,
					       .organisation = "o-bare" };
	const struct letter_sender without = { .name = "Structure sans adresse" };
	struct letter_orientation a = orientation_to("o-bare", "Structure sans adresse");
	struct letter_orientation b = orientation_to(NULL, "Structure sans adresse");
	struct buf pa, pb;
	char *ta, *tb;

	buf_init(&pa, 8u << 20);
	buf_init(&pb, 8u << 20);
	assert_int_equal(letters_orientation_pdf(&pa, &with_db, date_from_civil(2017, 12, 31), &a, 1), 0);
	assert_int_equal(letters_orientation_pdf(&pb, &without, date_from_civil(2017, 12, 31), &b, 1), 0);
	ta = pdf_text(f, &pa);
	tb = pdf_text(f, &pb);
	assert_string_equal(ta, tb);
	assert_holds(ta, "Le 31 décembre 2017");
	free(ta);
	free(tb);
	buf_release(&pa);
	buf_release(&pb);
}

static void test_convocation_and_sheet_print_the_contact(void **state)
{
	struct fx_db *f = *state;
	const struct letter_sender from = { .name = "Pôle emploi Est", .place = "Lyon", .db = f->db,
					    .organisation = "o-pe" };
	struct letter_convocation c = {
		.person = { "Monsieur", "Paul", "Roux", "5 rue Neuve\n69001 Lyon" },
		.day = date_from_civil(2018, 1, 10), .hour = 14,
		.place = { "Maison de la Métropole Est", NULL, NULL, "o-mdm" },
	};
	const struct letter_attendee people[] = { { "Roux", "Paul" } };
	struct letter_session s = { .title = "Atelier CV", .day = date_from_civil(2018, 1, 10),
				    .start_hour = 9, .end_hour = -1, .people = people, .n_people = 1 };
	struct buf pdf;
	char *text;

	buf_init(&pdf, 8u << 20);
	assert_int_equal(letters_convocation_pdf(&pdf, &from, date_from_civil(2017, 12, 31), &c, 1), 0);
	text = pdf_text(f, &pdf);
	assert_holds(text, "3 place Guichard 69003 Lyon Tél. 04 78 11 22 33");
	assert_holds(text, "Lieu : Maison de la Métropole Est, 12 rue de la Gare, bâtiment B, 69003 Lyon");
	assert_holds(text, "Prévenez-nous le plus tôt possible au 04 72 00 00 01");
	free(text);
	buf_release(&pdf);

	buf_init(&pdf, 8u << 20);
	assert_int_equal(letters_attendance_pdf(&pdf, &from, &s), 0);
	text = pdf_text(f, &pdf);
	assert_holds(text, "3 place Guichard 69003 Lyon Tél. 04 78 11 22 33");
	free(text);
	buf_release(&pdf);
}

/* ---- the demo ---- */

/* The demo's organisation lines (a small run), parsed. */
static json_t *demo_organisations(void)
{
	struct demo_options opt = { 2017, 20 };
	json_t *orgs = json_object();
	char *bytes = NULL, *line, *next;
	size_t size = 0;
	FILE *out = open_memstream(&bytes, &size);

	assert_non_null(out);
	assert_int_equal(demo_write(out, &opt), 0);
	assert_int_equal(fclose(out), 0);
	for (line = bytes; line && *line; line = next) {
		json_t *rec;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		rec = json_loads(line, 0, NULL);
		assert_non_null(rec);
		if (strcmp(json_string_value(json_object_get(rec, "type")), "organisation") == 0)
			json_object_set(orgs, json_string_value(json_object_get(rec, "id")), rec);
		json_decref(rec);
	}
	free(bytes);
	return orgs;
}

static void assert_located(json_t *orgs, const char *id, const char *postal_code, const char *city)
{
	json_t *o = json_object_get(orgs, id);

	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "postal_code")), postal_code);
	assert_string_equal(json_string_value(json_object_get(o, "city")), city);
}

static void test_demo_organisations_have_a_lyon_address(void **state)
{
	json_t *orgs = demo_organisations(), *o;
	const char *id;

	(void)state;
	assert_true(json_object_size(orgs) > 100);
	json_object_foreach(orgs, id, o) {
		struct problems pb;
		const char *code = json_string_value(json_object_get(o, "postal_code"));

		assert_non_null(json_string_value(json_object_get(o, "address")));
		assert_non_null(json_string_value(json_object_get(o, "phone")));
		assert_non_null(json_string_value(json_object_get(o, "email")));
		assert_non_null(code);
		assert_memory_equal(code, "69", 2);
		problems_init(&pb);
		assert_int_equal(record_validate(&type_organisation, o, 0, &pb, NULL), 0);
		problems_release(&pb);
	}
	/* The commune the name or the territory says. */
	assert_located(orgs, "org-ccas-villeurbanne", "69100", "Villeurbanne");
	assert_located(orgs, "org-ccas-oullins", "69600", "Oullins");
	assert_located(orgs, "org-mdm-bron", "69500", "Bron");
	assert_located(orgs, "org-mdm-saint-genis-laval", "69230", "Saint-Genis-Laval");
	assert_located(orgs, "org-mdm-lyon-7-gerland", "69007", "Lyon");
	assert_located(orgs, "org-pe-lyon-gerland", "69007", "Lyon");
	assert_located(orgs, "org-aci-recyclerie-minguettes", "69200", "Vénissieux");
	assert_located(orgs, "org-metropole-die", "69003", "Lyon");
	json_decref(orgs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_full_contact_is_taken),
		cmocka_unit_test(test_a_bad_postal_code_is_refused_naming_the_field),
		cmocka_unit_test(test_postal_code_and_city_go_together),
		cmocka_unit_test(test_contact_fields_are_one_line),
		cmocka_unit_test_setup_teardown(test_orientation_letter_prints_both_addresses,
						setup_orgs, fx_teardown),
		cmocka_unit_test_setup_teardown(test_no_contact_prints_as_before, setup_orgs,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_convocation_and_sheet_print_the_contact,
						setup_orgs, fx_teardown),
		cmocka_unit_test(test_demo_organisations_have_a_lyon_address),
	};

	fx_today(2017, 12, 31);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
