/*
 * Unit tests for the XLSX reader (src/exchange/xlsx_read.h): shared and
 * inline strings, numbers, dates (built-in and custom formats, 1900 and
 * 1904 systems), gaps between cells, the first sheet in the workbook's
 * order, and the refusals: zip bombs (ratio, sizes, entry count, an entry
 * that inflates past what it declares), encrypted and odd archives, DTDs,
 * malformed XML. Every workbook is written by the test with libzip.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <unistd.h>

#include "base/buf.h"
#include "base/date.h"
#include "exchange/xlsx_read.h"
#include "xlsx_build.h"

static char dir[64], path[128];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/parcours-xlsx-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof path, "%s/t.xlsx", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	rmdir(dir);
	return 0;
}

/* Every row of the workbook as "line:c1|c2|…" lines ("line:!problem"),
 * then END, or ERROR: message; or "OPEN: message" when refused. */
static char *dump(const struct xlsx_limits *lim)
{
	static char out[8192];
	struct buf b;
	struct xlsx *x;
	struct xlsx_row row;
	char why[600];
	int rc;

	buf_init(&b, sizeof out - 1);
	if (xlsx_open(&x, path, lim, why, sizeof why)) {
		snprintf(out, sizeof out, "OPEN: %s", why);
		buf_release(&b);
		return out;
	}
	while ((rc = xlsx_next(x, &row)) == XLSX_ROW) {
		buf_addf(&b, "%ld:", row.line);
		if (row.problem)
			buf_addf(&b, "!%s", row.problem);
		for (size_t i = 0; !row.problem && i < row.ncells; i++)
			buf_addf(&b, "%s%s", i ? "|" : "", row.cells[i]);
		buf_addch(&b, '\n');
	}
	if (rc == XLSX_END)
		buf_addstr(&b, "END");
	else
		buf_addf(&b, "ERROR: %s", xlsx_error(x));
	snprintf(out, sizeof out, "%s", buf_str(&b));
	buf_release(&b);
	xlsx_close(x);
	return out;
}

static void test_cells(void **state)
{
	(void)state;
	assert_int_equal(
		xb_simple(path,
			  "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
			  "<c r=\"C1\" t=\"s\"><v>2</v></c></row>"
			  /* row 2 is empty: skipped */
			  "<row r=\"2\"/>"
			  "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t xml:space=\"preserve\"> Zoé "
			  "</t></is></c><c r=\"C3\" s=\"1\"><v>32932</v></c>"
			  "<c r=\"D3\"><v>180056938112357</v></c><c r=\"E3\"><v>1.8005693811235701E+14"
			  "</v></c><c r=\"F3\"><v>2.5</v></c><c r=\"G3\" s=\"2\"><v>29586.75</v></c>"
			  "<c r=\"H3\" t=\"str\"><f>A3</f><v>formule</v></c><c r=\"I3\"/></row>"
			  "<row><c t=\"s\"><v>3</v></c><c t=\"b\"><v>1</v></c></row>",
			  "<si><t>Nom</t></si><si><r><t>Pré</t></r><r><t>nom</t></r>"
			  "<rPh><t>ぷ</t></rPh></si><si><t>Né le</t></si><si><t/></si>"),
		0);
	assert_string_equal(dump(NULL), "1:Nom|Prénom|Né le\n"
					 "3: Zoé ||1990-02-28|180056938112357|180056938112357|2.5|"
					 "1980-12-31|formule\n"
					 "4:|1\n"
					 "END");
}

static void test_serial_dates(void **state)
{
	long day;
	char text[11];

	(void)state;
	assert_int_equal(xlsx_serial_day(1, 0, &day), 0);
	date_format(day, text);
	assert_string_equal(text, "1900-01-01");
	assert_int_equal(xlsx_serial_day(59, 0, &day), 0);
	date_format(day, text);
	assert_string_equal(text, "1900-02-28");
	assert_int_equal(xlsx_serial_day(60, 0, &day), -1); /* 29 February 1900 */
	assert_int_equal(xlsx_serial_day(61, 0, &day), 0);
	date_format(day, text);
	assert_string_equal(text, "1900-03-01");
	assert_int_equal(xlsx_serial_day(0, 1, &day), 0);
	date_format(day, text);
	assert_string_equal(text, "1904-01-01");
	assert_int_equal(xlsx_serial_day(-1, 0, &day), -1);
	assert_int_equal(xlsx_serial_day(3e6, 0, &day), -1);
	assert_true(xlsx_date_format(14, NULL));
	assert_true(xlsx_date_format(164, "dd/mm/yyyy"));
	assert_true(xlsx_date_format(165, "[$-40C]d mmmm yyyy;@"));
	assert_false(xlsx_date_format(2, "0.00"));
	assert_false(xlsx_date_format(166, "\"jours\" 0"));
	assert_false(xlsx_date_format(167, "[Red]0"));
}

/* The first sheet is the workbook's first, whatever its part's name; the
 * 1904 date system; no shared strings nor styles at all. */
static void test_first_sheet_1904(void **state)
{
	static const char workbook[] =
		"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
		"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
		"<workbookPr date1904=\"1\"/><sheets><sheet name=\"B\" sheetId=\"2\" r:id=\"rId7\"/>"
		"<sheet name=\"A\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
	static const char rels[] =
		"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		"<Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
		"<Relationship Id=\"rId7\" Type=\"x/worksheet\" Target=\"/xl/worksheets/autre.xml\"/>"
		"<Relationship Id=\"rId3\" Type=\"x/styles\" Target=\"styles.xml\"/>"
		"</Relationships>";
	const struct xb_part parts[] = {
		{ "xl/workbook.xml", workbook, 0 },
		{ "xl/_rels/workbook.xml.rels", rels, 0 },
		{ "xl/styles.xml", xb_styles, 0 },
		{ "xl/worksheets/sheet1.xml", "<worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\">"
					      "<is><t>non</t></is></c></row></sheetData></worksheet>", 0 },
		{ "xl/worksheets/autre.xml", "<worksheet><sheetData><row r=\"5\"><c r=\"B5\" s=\"1\">"
					     "<v>0</v></c></row></sheetData></worksheet>", 0 },
	};

	(void)state;
	assert_int_equal(xb_write(path, parts, 5), 0);
	assert_string_equal(dump(NULL), "5:|1904-01-01\nEND");
}

static void test_row_limits(void **state)
{
	char *big = malloc(80000), *rows = malloc(90000);

	(void)state;
	memset(big, 'x', 70000);
	big[70000] = '\0';
	snprintf(rows, 90000, "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>%s</t></is></c>"
			       "</row><row r=\"2\"><c r=\"EA2\"><v>1</v></c></row>"
			       "<row r=\"3\"><c r=\"B3\"><v>1</v></c><c r=\"A3\"><v>2</v></c></row>"
			       "<row r=\"4\"><c r=\"A4\"><v>ok</v></c></row>", big);
	assert_int_equal(xb_simple(path, rows, ""), 0);
	assert_string_equal(dump(NULL), "1:!ligne trop longue (64 Kio au plus)\n"
					 "2:!plus de 128 colonnes\n"
					 "3:!référence de cellule invalide ou en désordre\n"
					 "4:ok\nEND");
	free(big);
	free(rows);
}

/* A sheet of 20 MiB of blanks inflates about 1 000 times: refused before
 * anything is inflated. */
static void test_zip_bomb_ratio(void **state)
{
	size_t n = (size_t)20 << 20;
	char *sheet = malloc(n + 200);
	const char *out;

	(void)state;
	memcpy(sheet, "<worksheet><sheetData>", 22);
	memset(sheet + 22, ' ', n);
	memcpy(sheet + 22 + n, "</sheetData></worksheet>", 25);
	{
		const struct xb_part parts[] = {
			{ "xl/workbook.xml", xb_workbook, 0 },
			{ "xl/worksheets/sheet1.xml", sheet, 0 },
		};
		assert_int_equal(xb_write(path, parts, 2), 0);
	}
	free(sheet);
	out = dump(NULL);
	assert_non_null(strstr(out, "OPEN: « xl/worksheets/sheet1.xml » se décompresse plus de "
				    "100 fois"));
}

static void test_limits(void **state)
{
	struct xlsx_limits lim = xlsx_default_limits;
	char name[40];
	struct xb_part parts[8] = {
		{ "xl/workbook.xml", xb_workbook, 0 },
		{ "xl/worksheets/sheet1.xml", "<worksheet><sheetData><row><c t=\"inlineStr\"><is>"
					      "<t>a</t></is></c></row></sheetData></worksheet>", 0 },
	};

	(void)state;
	for (int i = 2; i < 8; i++) {
		snprintf(name, sizeof name, "extra/%d.txt", i);
		parts[i].name = strdup(name);
		parts[i].data = "x";
	}
	assert_int_equal(xb_write(path, parts, 8), 0);
	assert_string_equal(dump(&lim), "1:a\nEND");
	lim.max_entries = 7;
	assert_string_equal(dump(&lim), "OPEN: l'archive compte 8 entrées : 7 au plus");
	lim = xlsx_default_limits;
	lim.max_entry = 100;
	assert_non_null(strstr(dump(&lim), "» dépasse la taille permise une fois décompressé"));
	lim = xlsx_default_limits;
	lim.max_total = 200;
	assert_non_null(strstr(dump(&lim), "le classeur décompressé dépasse la taille permise"));
	for (int i = 2; i < 8; i++)
		free((char *)parts[i].name);
}

/* An archive whose central directory lies about an entry's size: the
 * bytes actually inflated are counted. */
static void test_lying_size(void **state)
{
	FILE *f;
	char *data, *p;
	long n;
	const struct xb_part parts[] = {
		{ "xl/workbook.xml", xb_workbook, 0 },
		{ "xl/worksheets/sheet1.xml", "<worksheet><sheetData><row><c t=\"inlineStr\"><is>"
					      "<t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</t></is></c>"
					      "</row></sheetData></worksheet>", 0 },
	};

	(void)state;
	assert_int_equal(xb_write(path, parts, 2), 0);
	f = fopen(path, "r+b");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	data = malloc((size_t)n);
	rewind(f);
	assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
	/* The sheet's uncompressed size (offset 24 of its central directory
	 * entry, "PK\1\2") set to 10 bytes, and in its local header (22). */
	for (p = data; p + 46 < data + n; p++) {
		if (!memcmp(p, "PK\1\2", 4) && !memcmp(p + 46, "xl/worksheets", 13)) {
			uint32_t off = (uint32_t)(unsigned char)p[42] | (uint32_t)(unsigned char)p[43] << 8 |
				       (uint32_t)(unsigned char)p[44] << 16 | (uint32_t)(unsigned char)p[45] << 24;
			p[24] = 10;
			p[25] = p[26] = p[27] = 0;
			data[off + 22] = 10;
			data[off + 23] = data[off + 24] = data[off + 25] = 0;
		}
	}
	rewind(f);
	fwrite(data, 1, (size_t)n, f);
	fclose(f);
	free(data);
	assert_non_null(strstr(dump(NULL), "ERROR:"));
}

static void test_refusals(void **state)
{
	static const unsigned char ole[16] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };
	const struct xb_part no_workbook[] = { { "word/document.xml", "<w/>", 0 } };
	const struct xb_part dtd[] = {
		{ "xl/workbook.xml", xb_workbook, 0 },
		{ "xl/worksheets/sheet1.xml", "<!DOCTYPE x [<!ENTITY a \"aaaa\">]><worksheet>"
					      "<sheetData/></worksheet>", 0 },
	};
	const struct xb_part broken[] = {
		{ "xl/workbook.xml", xb_workbook, 0 },
		{ "xl/worksheets/sheet1.xml", "<worksheet><sheetData><row><c><v>1</v></c></row>"
					      "<row><c><v>2</v></row></sheetData></worksheet>", 0 },
	};
	FILE *f;

	(void)state;
	f = fopen(path, "wb");
	fputs("nom;prenom\n", f);
	fclose(f);
	assert_string_equal(dump(NULL), "OPEN: ce fichier n'est pas un classeur XLSX (archive zip)");
	f = fopen(path, "wb");
	fwrite(ole, 1, sizeof ole, f);
	fclose(f);
	assert_non_null(strstr(dump(NULL), "OPEN: classeur protégé par un mot de passe"));
	assert_int_equal(xb_write(path, no_workbook, 1), 0);
	assert_string_equal(dump(NULL), "OPEN: ce fichier n'est pas un classeur XLSX (pas de "
					 "xl/workbook.xml)");
	assert_int_equal(xb_write(path, dtd, 2), 0);
	assert_string_equal(dump(NULL), "ERROR: « xl/worksheets/sheet1.xml » déclare une DTD : "
					 "refusé");
	assert_int_equal(xb_write(path, broken, 2), 0);
	/* The reader may see the fault before handing the first row out. */
	assert_non_null(strstr(dump(NULL), "ERROR: « xl/worksheets/sheet1.xml » n'est pas du XML "
					   "bien formé"));
}

/* An entry encrypted with a password (when libzip can write one). */
static void test_encrypted(void **state)
{
	int err = 0;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
	zip_int64_t i;

	(void)state;
	assert_non_null(z);
	zip_file_add(z, "xl/workbook.xml", zip_source_buffer(z, xb_workbook, strlen(xb_workbook), 0),
		     0);
	i = zip_file_add(z, "xl/worksheets/sheet1.xml",
			 zip_source_buffer(z, "<worksheet/>", 12, 0), 0);
	if (zip_file_set_encryption(z, (zip_uint64_t)i, ZIP_EM_AES_256, "secret")) {
		zip_discard(z);
		skip();
	}
	assert_int_equal(zip_close(z), 0);
	assert_non_null(strstr(dump(NULL), "OPEN: « xl/worksheets/sheet1.xml » est chiffré"));
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_cells),
		cmocka_unit_test(test_serial_dates),
		T(test_first_sheet_1904),
		T(test_row_limits),
		T(test_zip_bomb_ratio),
		T(test_limits),
		T(test_lying_size),
		T(test_refusals),
		T(test_encrypted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
