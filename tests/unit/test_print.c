/*
 * Unit tests for src/print: each document is rendered to a temporary file
 * and read back with poppler-utils (pdftotext, pdfinfo): the key texts with
 * their accents, French dates, page counts and page numbering, wrapping and
 * page breaks, and data that tries to break the layout.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/date.h"
#include "print/letters.h"
#include "print/pdf.h"

#define OUT_MAX (64u << 20)

static const struct letter_sender sender = {
	.name = "Métropole de Lyon",
	.service = "Direction de l'insertion et de l'emploi",
	.address = "20 rue du Lac\nCS 33569\n69505 Lyon Cedex 03",
	.phone = "04 00 00 00 00",
	.place = "Lyon",
	.signatory_role = "Pour le Président de la Métropole, la responsable du service",
	.signatory_name = "Hélène Côté",
};

static long day(int y, int m, int d)
{
	return date_from_civil(y, m, d);
}

/* ---- reading a PDF back ---- */

struct pdf_file {
	char path[64];
};

static void save(struct pdf_file *f, const struct buf *b)
{
	int fd;
	FILE *fp;

	snprintf(f->path, sizeof f->path, "/tmp/parcours-print-XXXXXX");
	fd = mkstemp(f->path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(b->data, 1, b->len, fp), b->len);
	assert_int_equal(fclose(fp), 0);
}

/* The output of a command on the file (malloc'd). */
static char *run(const char *fmt, const struct pdf_file *f)
{
	char cmd[256];
	struct buf out;
	char chunk[4096];
	size_t n;
	FILE *p;

	snprintf(cmd, sizeof cmd, fmt, f->path);
	p = popen(cmd, "r");
	assert_non_null(p);
	buf_init(&out, OUT_MAX);
	while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
		assert_int_equal(buf_add(&out, chunk, n), 0);
	assert_int_equal(pclose(p), 0);
	return buf_detach(&out, NULL);
}

static char *text_of(const struct pdf_file *f)
{
	return run("pdftotext -raw -enc UTF-8 %s -", f);
}

static char *page_text(const struct pdf_file *f, int page)
{
	char fmt[64];

	snprintf(fmt, sizeof fmt, "pdftotext -raw -enc UTF-8 -f %d -l %d %%s -", page, page);
	return run(fmt, f);
}

static int page_count(const struct pdf_file *f)
{
	char *info = run("pdfinfo %s", f);
	char *line = strstr(info, "\nPages:");
	long n;

	assert_non_null(line);
	n = strtol(line + 7, NULL, 10);
	free(info);
	return (int)n;
}

static int occurrences(const char *text, const char *what)
{
	int n = 0;

	for (const char *p = strstr(text, what); p; p = strstr(p + 1, what))
		n++;
	return n;
}

/* pdftotext keeps the lines as laid out: joins them so that a phrase cut
 * by the wrapping is still found ("socio-" + "professionnel" too). */
static char *unwrapped(char *text)
{
	char *w = text;

	for (const char *p = text; *p; p++) {
		if (*p == '\n' && w > text && w[-1] == '-')
			continue;
		if (p[0] == '\xc2' && p[1] == '\xa0') { /* no-break space */
			*w++ = ' ';
			p++;
			continue;
		}
		*w++ = *p == '\n' ? ' ' : *p;
	}
	*w = '\0';
	return text;
}

/* True when every word of the PDF lies inside the page, at least `margin`
 * points from its edges (pdftotext -bbox gives each word's box). */
static int words_inside(const struct pdf_file *f, double margin)
{
	char *boxes = run("pdftotext -bbox %s -", f);
	int inside = 1;

	for (char *p = strstr(boxes, "<word xMin=\""); p; p = strstr(p + 1, "<word xMin=\"")) {
		double x0, y0, x1, y1;

		if (sscanf(p, "<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\"", &x0, &y0, &x1, &y1) != 4)
			return 0;
		if (x0 < margin || y0 < margin || x1 > 595.28 - margin || y1 > 841.89 - margin)
			inside = 0;
	}
	free(boxes);
	return inside;
}

/* The box of the last word `word` on the page's text (pdftotext -bbox, in
 * points from the top left); 0 when the word is not there. */
static int word_box(const struct pdf_file *f, int page, const char *word, double box[4])
{
	char fmt[64], *boxes, key[128];
	int found = 0;

	snprintf(fmt, sizeof fmt, "pdftotext -bbox -f %d -l %d %%s -", page, page);
	boxes = run(fmt, f);
	snprintf(key, sizeof key, "\">%s</word>", word);
	for (char *p = strstr(boxes, "<word xMin=\""); p; p = strstr(p + 1, "<word xMin=\"")) {
		char *end = strstr(p, "</word>");

		if (end && end - p + 7 >= (long)strlen(key) && strncmp(end + 7 - strlen(key), key, strlen(key)) == 0)
			found = sscanf(p, "<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\"", &box[0],
				       &box[1], &box[2], &box[3]) == 4;
	}
	free(boxes);
	return found;
}

static double mm(double x)
{
	return x * 72.0 / 25.4;
}

/* The word is on the page inside the envelope's window (x 110, y 50, 80 × 35
 * mm, as pdf.c places it; 1.5 mm of tolerance for the glyphs' boxes). */
static void assert_in_window(const struct pdf_file *f, int page, const char *word)
{
	double b[4];

	if (!word_box(f, page, word, b))
		fail_msg("« %s » is not on page %d", word, page);
	if (b[0] < mm(110) || b[2] > mm(190) || b[1] < mm(48.5) || b[3] > mm(86.5))
		fail_msg("« %s » at (%.1f, %.1f)-(%.1f, %.1f) is outside the window", word, b[0], b[1], b[2], b[3]);
}

static void assert_has(const char *text, const char *what)
{
	if (!strstr(text, what))
		fail_msg("« %s » is missing from:\n%s", what, text);
}

/* Saves the PDF and gives its text, lines joined. */
static char *read_back(struct pdf_file *f, const struct buf *b)
{
	save(f, b);
	return unwrapped(text_of(f));
}

static void discard(struct pdf_file *f, struct buf *b)
{
	unlink(f->path);
	buf_release(b);
}

/* ---- fixtures ---- */

static struct letter_orientation orientation(const char *title, const char *first, const char *last,
					     const char *itinerary)
{
	struct letter_orientation o = {
		.person = { title, first, last, "Bâtiment B, appartement 12\n3 rue de l'Église\n69003 Lyon" },
		.date = day(2017, 11, 20),
		.itinerary = itinerary,
		.organisation = { "Maison de la Métropole de Vénissieux", "12 avenue Jean-Jaurès\n69200 Vénissieux",
				  "04 11 11 11 11" },
		.referent = "Noémie Bérard",
	};
	return o;
}

static struct buf render_orientations(const struct letter_orientation *items, size_t n)
{
	struct buf b;

	buf_init(&b, OUT_MAX);
	assert_int_equal(letters_orientation_pdf(&b, &sender, day(2017, 11, 26), items, n), 0);
	assert_true(b.len > 1000);
	assert_memory_equal(b.data, "%PDF-", 5);
	return b;
}

/* ---- orientation letters ---- */

static void test_orientation_letter_says_who_where_and_the_rights(void **state)
{
	struct letter_orientation o = orientation("Madame", "Émilie", "Lefèvre-Ø'Brien", "socio_professional");
	struct buf b = render_orientations(&o, 1);
	struct pdf_file f;
	char *text, *info;

	(void)state;
	text = read_back(&f, &b);
	assert_has(text, "Madame Émilie Lefèvre-Ø'Brien");
	assert_has(text, "3 rue de l'Église");
	assert_has(text, "Lyon, le 26 novembre 2017");
	assert_has(text, "Objet : notification de votre orientation");
	assert_has(text, "Vous êtes orientée, à compter du 20 novembre 2017, vers un accompagnement socio-professionnel.");
	assert_has(text, "Maison de la Métropole de Vénissieux");
	assert_has(text, "Noémie Bérard");
	assert_has(text, "L262-27");
	assert_has(text, "contrat d'engagements réciproques (CER)");
	assert_has(text, "recours administratif préalable");
	assert_has(text, "au Président de la Métropole");
	assert_has(text, "dans les deux mois");
	assert_has(text, "Hélène Côté");
	assert_has(text, "Métropole de Lyon — 20 rue du Lac, CS 33569, 69505 Lyon Cedex 03");
	assert_has(text, "Page 1 / ");
	info = run("pdfinfo %s", &f);
	assert_has(info, "Notification d'orientation");
	assert_has(info, "Métropole de Lyon");
	free(info);
	free(text);
	discard(&f, &b);
}

static void test_itineraries_have_their_french_labels(void **state)
{
	static const char *const codes[] = { "social", "socio_professional", "professional" };
	static const char *const labels[] = { "accompagnement social.", "accompagnement socio-professionnel.",
					      "accompagnement professionnel." };

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		struct letter_orientation o = orientation("Monsieur", "Loïc", "Nguyễn", codes[i]);
		struct buf b = render_orientations(&o, 1);
		struct pdf_file f;
		char *text;

		save(&f, &b);
		text = unwrapped(text_of(&f));
		assert_has(text, labels[i]);
		assert_has(text, "Vous êtes orienté, à compter");
		assert_has(text, i == 2 ? "projet personnalisé d'accès à l'emploi (PPAE)" : "(CER)");
		free(text);
		discard(&f, &b);
	}
}

static void test_cohort_puts_each_letter_on_its_own_pages(void **state)
{
	struct letter_orientation items[3] = {
		orientation("Madame", "Zoé", "Àlvarez", "social"),
		orientation("Monsieur", "Jérôme", "Ĺubić", "professional"),
		orientation(NULL, "Camille", "Dœuf", "socio_professional"),
	};
	struct buf b = render_orientations(items, 3);
	struct pdf_file f;
	char *text;
	int pages, first = 0;

	(void)state;
	save(&f, &b);
	pages = page_count(&f);
	text = text_of(&f);
	assert_int_equal(occurrences(text, "Page 1 / "), 3);
	assert_int_equal(occurrences(text, "Page "), pages);
	assert_true(pages >= 3);
	/* every page belongs to one letter only; each letter begins with its page 1 */
	for (int p = 1; p <= pages; p++) {
		char *t = page_text(&f, p);
		int names = !!strstr(t, "Zoé Àlvarez") + !!strstr(t, "Jérôme Ĺubić") + !!strstr(t, "Camille Dœuf");

		assert_true(names <= 1);
		if (strstr(t, "Page 1 / ")) {
			assert_int_equal(names, 1);
			first++;
		}
		free(t);
	}
	assert_int_equal(first, 3);
	free(text);
	discard(&f, &b);
}

static void test_letter_without_optional_fields(void **state)
{
	struct letter_orientation o = {
		.person = { .last_name = "Durand" },
		.date = day(2017, 1, 1),
		.itinerary = "social",
		.organisation = { .name = "CCAS de Bron" },
	};
	struct letter_sender bare = { .name = "Métropole de Lyon" };
	struct pdf_file f;
	struct buf b;
	char *text;

	(void)state;
	buf_init(&b, OUT_MAX);
	assert_int_equal(letters_orientation_pdf(&b, &bare, day(2017, 1, 1), &o, 1), 0);
	text = read_back(&f, &b);
	assert_has(text, "Le 1er janvier 2017");
	assert_has(text, "Madame, Monsieur,");
	assert_has(text, "Vous êtes orienté(e), à compter du 1er janvier 2017");
	assert_has(text, "Il sera assuré par CCAS de Bron.");
	assert_has(text, "Cet organisme va désigner votre référent");
	assert_false(strstr(text, "(null)"));
	free(text);
	discard(&f, &b);
}

static void test_hostile_data_stays_in_its_boxes(void **state)
{
	char name[2001], address[4000];
	struct letter_orientation o;
	struct pdf_file f;
	struct buf b;
	char *text;

	(void)state;
	memset(name, 'W', sizeof name - 1);
	name[sizeof name - 1] = '\0';
	snprintf(address, sizeof address, "%.600s\n\n\n\x01\x1b[31m\xff\xfe rue \xe2\x80\xae" "evird\n%s",
		 name, name);
	o = orientation("Monsieur", "<b>Jean</b>\tPierre & Cie\r\n", name, "social");
	o.person.address = address;
	/* a name and an address that cannot show whole in the window are refused */
	assert_non_null(strstr(letter_orientation_problem(&o), "trop longs pour la fenêtre"));
	o.person.last_name = "Durand";
	o.person.address = "\n\n\x01\x1b[31m\xff\xfe rue \xe2\x80\xae" "evird\n69001 Lyon";
	o.organisation.name = name;
	o.referent = name;
	buf_init(&b, OUT_MAX);
	assert_int_equal(letters_orientation_pdf(&b, &sender, day(2017, 11, 26), &o, 1), 0);
	text = read_back(&f, &b);
	assert_has(text, "WWWWWWWWWW");
	assert_has(text, "Vous pouvez contester cette décision");
	assert_has(text, "<b>Jean</b> Pierre & Cie"); /* printed as typed, never read as markup */
	assert_has(text, "69001 Lyon");
	/* the name is cut into lines and boxes: nothing runs off the margins */
	assert_true(words_inside(&f, 40));
	assert_true(page_count(&f) <= 4);
	assert_false(strstr(text, "\x1b"));
	free(text);
	discard(&f, &b);
}

/* "Jea" + 300 × U+0301 + "n": a first name that once drew a column of
 * accents from the window up across the letterhead and off the page. */
static void test_combining_marks_stay_in_their_box(void **state)
{
	char first[1000];
	struct letter_orientation o;
	struct pdf_file f;
	struct buf b;
	char *text;
	size_t len = 0;

	(void)state;
	len += (size_t)snprintf(first, sizeof first, "Jea");
	for (int i = 0; i < 300; i++)
		len += (size_t)snprintf(first + len, sizeof first - len, "\xcc\x81");
	snprintf(first + len, sizeof first - len, "n");
	o = orientation("Monsieur", first, "Marks", "social");
	o.referent = first;
	buf_init(&b, OUT_MAX);
	assert_int_equal(letters_orientation_pdf(&b, &sender, day(2017, 11, 26), &o, 1), 0);
	save(&f, &b);
	text = text_of(&f);
	assert_true(words_inside(&f, 40)); /* nothing above the top margin, nor anywhere off */
	assert_in_window(&f, 1, "Marks");
	/* composed "á" and two marks more, in the window and in the paragraph */
	assert_true(occurrences(text, "\xcc\x81") <= 2 * 2);
	free(text);
	discard(&f, &b);
}

/* Draws each address in the window of its own section, with the same
 * lines as the letterhead's address. */
static void render_windows(struct pdf_file *f, struct buf *b, const char *const *addresses, size_t n)
{
	struct pdf_doc *d;

	buf_init(b, OUT_MAX);
	d = pdf_create_buf(b, "Essai", "Parcours");
	for (size_t i = 0; i < n; i++) {
		pdf_section_begin(d, &(struct pdf_letterhead){ .name = "Essai", .address = addresses[i] });
		pdf_address_window(d, addresses[i]);
		pdf_paragraph(d, "Corps du courrier.");
	}
	assert_int_equal(pdf_finish(d), 0);
	save(f, b);
}

static void test_address_window_never_loses_its_last_line(void **state)
{
	char streets[1200], *one = streets;
	const char *addresses[] = {
		/* ten lines: pango used to drop Ligne8 to the postcode unseen */
		"Ligne1\nLigne2\nLigne3\nLigne4\nLigne5\nLigne6\nLigne7\nLigne8\nLigne9\n69001 LYON",
		/* six long lines that wrap: the font shrinks, all is kept */
		"Madame Marie-Christine Dupont-Durand de la Roche\n"
		"Bâtiment B escalier 4 appartement 1234 porte gauche\n"
		"Résidence des Grands Chênes et des Tilleuls réunis\n"
		"12 boulevard du Maréchal Jean-Marie de Lattre de Tassigny\n"
		"BP 1234 Lieu-dit La Grande Combe\n69002 LYON",
		/* one line far too long for the window: shortened before its end */
		streets,
		/* thirty lines: the middle ones are joined */
		"Nom\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\n18\n19\n20\n21\n22\n"
		"23\n24\n25\n26\n27\n28\n69004 LYON",
	};
	struct pdf_file f;
	struct buf b;
	char *text;

	(void)state;
	for (int i = 0; i < 60; i++)
		one += snprintf(one, (size_t)(streets + sizeof streets - one), "Résidence %02d, ", i);
	snprintf(one, (size_t)(streets + sizeof streets - one), "69003 LYON");
	render_windows(&f, &b, addresses, 4);
	for (int p = 1; p <= 4; p++) {
		char code[16];

		snprintf(code, sizeof code, "6900%d", p);
		assert_in_window(&f, p, code);
		assert_in_window(&f, p, "LYON");
	}
	text = page_text(&f, 1);
	assert_has(text, "Ligne9\n69001 LYON");
	free(text);
	text = page_text(&f, 2);
	assert_has(text, "Tassigny");
	assert_has(text, "BP 1234 Lieu-dit La Grande Combe\n69002 LYON");
	free(text);
	assert_true(pdf_address_fits(addresses[0]) && pdf_address_fits(addresses[1]));
	assert_false(pdf_address_fits(streets));
	assert_int_equal(pdf_address_lines("Nom\n\n \n\x01\n3 rue X\n69001 LYON"), 3);
	assert_true(words_inside(&f, 40));
	discard(&f, &b);
}

static void test_letters_refuse_an_address_that_cannot_be_delivered(void **state)
{
	struct letter_orientation o = orientation("Madame", "Anne", "Roux", "social");
	struct letter_convocation c = { .person = o.person, .hour = 9, .place = { .name = "MDM" } };
	struct buf b;

	(void)state;
	/* the name and six lines make seven: NF Z 10-011 allows six */
	o.person.address = "Appartement 3\nBâtiment B\nRésidence Les Lilas\n3 rue X\nBP 12\n69001 LYON";
	assert_non_null(strstr(letter_orientation_problem(&o), "adresse du destinataire : l'adresse compte "
							 "trop de lignes pour la fenêtre de l'enveloppe"));
	c.person.address = o.person.address;
	assert_non_null(strstr(letter_convocation_problem(&c), "trop de lignes"));
	buf_init(&b, OUT_MAX);
	assert_int_equal(letters_orientation_pdf(&b, &sender, 0, &o, 1), -1);
	assert_int_equal(letters_convocation_pdf(&b, &sender, 0, &c, 1), -1);
	buf_release(&b);
	/* five lines and the name, as long as the standard's 38 characters: printed whole */
	o.person.address = "APPARTEMENT 1234 ESCALIER B ETAGE 12\nRESIDENCE DES GRANDS CHENES TILLEULS\n"
			   "123 BOULEVARD DU MARECHAL DE LATTRE\nBP 12345 LIEU-DIT LA GRANDE COMBE\n"
			   "69001 LYON";
	assert_null(letter_orientation_problem(&o));
	/* addresses are often stored on one line: it may wrap, and still fits */
	c.person.address = "Bâtiment B, appartement 12, 3 rue de l'Église, 69003 Lyon";
	assert_null(letter_convocation_problem(&c));
}

static void test_inputs_with_problems_are_refused(void **state)
{
	struct letter_orientation o = orientation("Madame", "Anne", "Roux", "sociale");
	struct letter_convocation c = { .person = { .last_name = "Roux" }, .hour = 24,
					.place = { .name = "MDM" } };
	struct letter_session s = { .title = "Atelier", .start_hour = 9, .end_hour = 12, .end_minute = 75 };
	struct buf b;

	(void)state;
	assert_non_null(letter_orientation_problem(&o));
	assert_non_null(strstr(letter_orientation_problem(&o), "itinéraire"));
	assert_non_null(strstr(letter_convocation_problem(&c), "heure"));
	assert_non_null(strstr(letter_session_problem(&s), "heure de fin"));
	buf_init(&b, OUT_MAX);
	assert_int_equal(letters_orientation_pdf(&b, &sender, 0, &o, 1), -1);
	buf_release(&b);
	o.itinerary = "social";
	assert_null(letter_orientation_problem(&o));
}

static void test_output_past_the_buffer_cap_fails(void **state)
{
	struct letter_orientation o = orientation("Madame", "Anne", "Roux", "social");
	struct buf b;

	(void)state;
	buf_init(&b, 2000);
	assert_int_equal(letters_orientation_pdf(&b, &sender, 0, &o, 1), -1);
	buf_release(&b);
}

/* ---- convocation ---- */

static void test_convocation_gives_date_place_and_what_to_bring(void **state)
{
	static const char *const bring[] = { "votre curriculum vitæ", "votre attestation de droits" };
	struct letter_convocation c = {
		.person = { "Madame", "Maëlle", "Gérard", "5 place Bellecour\n69002 Lyon" },
		.day = day(2017, 3, 2), .hour = 9, .minute = 30,
		.place = { "Maison de la Métropole de Lyon 3e", "10 rue Garibaldi\n69003 Lyon", "04 22 22 22 22" },
		.referent = "François Müller",
		.purpose = "signature de votre contrat d'engagements réciproques",
		.bring = bring, .n_bring = 2,
	};
	struct pdf_file f;
	struct buf b;
	char *text;

	(void)state;
	buf_init(&b, OUT_MAX);
	assert_int_equal(letters_convocation_pdf(&b, &sender, day(2017, 2, 20), &c, 1), 0);
	text = read_back(&f, &b);
	assert_has(text, "Lyon, le 20 février 2017");
	assert_has(text, "Vous êtes convoquée à un rendez-vous avec François Müller.");
	assert_has(text, "le jeudi 2 mars 2017 à 9 h 30");
	assert_has(text, "Maison de la Métropole de Lyon 3e, 10 rue Garibaldi, 69003 Lyon");
	assert_has(text, "votre curriculum vitæ");
	assert_has(text, "au 04 22 22 22 22");
	assert_has(text, "équipe pluridisciplinaire");
	assert_has(text, "Page 1 / 1");
	free(text);
	discard(&f, &b);
}

static void test_convocation_brings_the_usual_papers_by_default(void **state)
{
	struct letter_convocation c = {
		.person = { .last_name = "Petit" }, .day = day(2017, 10, 1), .hour = 14,
		.place = { .address = "1 rue Neuve\n69001 Lyon" },
	};
	struct pdf_file f;
	struct buf b;
	char *text;

	(void)state;
	buf_init(&b, OUT_MAX);
	assert_int_equal(letters_convocation_pdf(&b, &sender, day(2017, 9, 20), &c, 1), 0);
	text = read_back(&f, &b);
	assert_has(text, "le dimanche 1er octobre 2017 à 14 h");
	assert_has(text, "Vous êtes convoqué(e) à un rendez-vous.");
	assert_has(text, "une pièce d'identité");
	assert_has(text, "Lieu : 1 rue Neuve, 69001 Lyon");
	free(text);
	discard(&f, &b);
}

/* ---- attendance sheet ---- */

static void test_attendance_sheet_repeats_its_header_on_each_page(void **state)
{
	struct letter_attendee people[60];
	char names[60][32];
	struct letter_session s = {
		.title = "Atelier « Préparer un entretien d'embauche »",
		.day = day(2017, 6, 15), .start_hour = 9, .start_minute = 30, .end_hour = 12,
		.place = { "Salle Molière", "2 rue Molière\n69006 Lyon" },
		.organisation = "Association Élan", .facilitator = "Béatrice Lô",
		.people = people, .n_people = 60,
	};
	struct pdf_file f;
	struct buf b;
	char *text;
	int pages;

	(void)state;
	for (int i = 0; i < 60; i++) {
		snprintf(names[i], sizeof names[i], "Éloïse-%02d", i + 1);
		people[i] = (struct letter_attendee){ i == 7 ? NULL : "Dupré", names[i] };
	}
	buf_init(&b, OUT_MAX);
	assert_int_equal(letters_attendance_pdf(&b, &sender, &s), 0);
	save(&f, &b);
	pages = page_count(&f);
	assert_true(pages >= 2);
	text = unwrapped(text_of(&f));
	assert_has(text, "Feuille d'émargement");
	assert_has(text, "Atelier « Préparer un entretien d'embauche »");
	assert_has(text, "le jeudi 15 juin 2017, de 9 h 30 à 12 h");
	assert_has(text, "Association Élan");
	assert_has(text, "Éloïse-01");
	assert_has(text, "Éloïse-60");
	assert_has(text, "Personnes inscrites : 60.");
	free(text);
	for (int p = 1; p <= pages; p++) { /* every page with rows has the header */
		char *t = page_text(&f, p);

		if (strstr(t, "Éloïse")) {
			assert_has(t, "Signature");
			assert_has(t, "Prénom");
			assert_true(strstr(t, "Prénom") < strstr(t, "Éloïse"));
		}
		free(t);
	}
	assert_true(words_inside(&f, 40));
	discard(&f, &b);
}

/* ---- the document layer ---- */

static void test_long_paragraph_wraps_and_breaks_pages(void **state)
{
	struct buf b, words;
	struct pdf_doc *d;
	struct pdf_file f;
	char *text;

	(void)state;
	buf_init(&words, 1 << 20);
	for (int i = 0; i < 2500; i++)
		assert_int_equal(buf_addf(&words, "mot%d ", i), 0);
	assert_int_equal(buf_addstr(&words, "dernier"), 0);
	buf_init(&b, OUT_MAX);
	d = pdf_create_buf(&b, "Essai", "Parcours");
	assert_non_null(d);
	pdf_section_begin(d, &(struct pdf_letterhead){ .name = "Essai", .footer = "pied de page" });
	pdf_paragraph(d, buf_str(&words));
	assert_int_equal(pdf_finish(d), 0);
	save(&f, &b);
	assert_true(page_count(&f) >= 3);
	text = text_of(&f);
	assert_has(text, "mot0 ");
	assert_has(text, "mot1234 ");
	assert_has(text, "dernier");
	assert_has(text, "Page 2 / ");
	assert_true(occurrences(text, "pied de page") == page_count(&f));
	assert_true(occurrences(text, "\n") > 100); /* wrapped into many lines */
	free(text);
	buf_release(&words);
	discard(&f, &b);
}

static void test_drawing_outside_a_section_fails_the_document(void **state)
{
	struct buf b;
	struct pdf_doc *d;

	(void)state;
	buf_init(&b, OUT_MAX);
	d = pdf_create_buf(&b, "Essai", "Parcours");
	pdf_paragraph(d, "hors section");
	assert_int_equal(pdf_finish(d), -1);
	buf_release(&b);
}

static void test_file_output(void **state)
{
	struct pdf_file f = { "/tmp/parcours-print-file-XXXXXX" };
	struct pdf_doc *d;
	int fd = mkstemp(f.path);
	char *text;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	d = pdf_create_file(f.path, "Essai", "Parcours");
	pdf_section_begin(d, NULL);
	pdf_heading(d, "Un titre");
	pdf_table_begin(d, (struct pdf_column[]){ { "A", 1 }, { "B", 0 } }, 2, 0);
	pdf_table_row(d, (const char *const[]){ "a1", NULL });
	pdf_table_end(d);
	assert_int_equal(pdf_finish(d), 0);
	text = text_of(&f);
	assert_has(text, "Un titre");
	assert_has(text, "a1");
	free(text);
	unlink(f.path);
	d = pdf_create_file("/nonexistent/dir/x.pdf", "x", "y"); /* cannot be written */
	pdf_section_begin(d, NULL);
	pdf_paragraph(d, "x");
	assert_int_equal(pdf_finish(d), -1);
}

/* Not run by default: PARCOURS_PRINT_BENCH=1 prints the time of a 500-letter cohort. */
static void test_cohort_of_500_timing(void **state)
{
	static struct letter_orientation items[500];
	struct timespec t0, t1;
	struct buf b;

	(void)state;
	if (!getenv("PARCOURS_PRINT_BENCH"))
		skip();
	for (size_t i = 0; i < 500; i++)
		items[i] = orientation(i % 2 ? "Madame" : "Monsieur", "Prénom", "Nom-Accentué-Éà",
				       i % 3 == 0 ? "social" : i % 3 == 1 ? "socio_professional" : "professional");
	buf_init(&b, OUT_MAX);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(letters_orientation_pdf(&b, &sender, day(2017, 11, 26), items, 500), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	print_message("500 letters: %.2f s, %zu bytes\n",
		      (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, b.len);
	buf_release(&b);
}

int main(void)
{
	/* GLib's slice allocator would hide a forgotten PangoLayout from
	 * LeakSanitizer: plain malloc lets the sanitizer build see it. */
	setenv("G_SLICE", "always-malloc", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_orientation_letter_says_who_where_and_the_rights),
		cmocka_unit_test(test_itineraries_have_their_french_labels),
		cmocka_unit_test(test_cohort_puts_each_letter_on_its_own_pages),
		cmocka_unit_test(test_letter_without_optional_fields),
		cmocka_unit_test(test_hostile_data_stays_in_its_boxes),
		cmocka_unit_test(test_combining_marks_stay_in_their_box),
		cmocka_unit_test(test_address_window_never_loses_its_last_line),
		cmocka_unit_test(test_letters_refuse_an_address_that_cannot_be_delivered),
		cmocka_unit_test(test_inputs_with_problems_are_refused),
		cmocka_unit_test(test_output_past_the_buffer_cap_fails),
		cmocka_unit_test(test_convocation_gives_date_place_and_what_to_bring),
		cmocka_unit_test(test_convocation_brings_the_usual_papers_by_default),
		cmocka_unit_test(test_attendance_sheet_repeats_its_header_on_each_page),
		cmocka_unit_test(test_long_paragraph_wraps_and_breaks_pages),
		cmocka_unit_test(test_drawing_outside_a_section_fails_the_document),
		cmocka_unit_test(test_file_output),
		cmocka_unit_test(test_cohort_of_500_timing),
	};

	return cmocka_run_group_tests_name("print", tests, NULL, NULL);
}
