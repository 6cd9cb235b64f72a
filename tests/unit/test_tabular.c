/*
 * Unit tests for src/web/tabular.c.
 *
 * The XLSX content checks extract parts of the produced zip with the
 * unzip(1) command through popen(); they are skipped if unzip is absent.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "web/tabular.h"

#define BOM "\xEF\xBB\xBF"

static json_t *test_json(const char *text)
{
	json_error_t err;
	json_t *v = json_loads(text, 0, &err);

	if (!v)
		fail_msg("bad test JSON at %d: %s", err.position, err.text);
	return v;
}

/* CSV of the given JSON texts; the caller frees the result. */
static char *test_csv(const char *columns_text, const char *rows_text)
{
	json_t *columns = test_json(columns_text);
	json_t *rows = test_json(rows_text);
	char *out = NULL;
	size_t len = 0;

	assert_int_equal(tabular_csv(columns, rows, &out, &len), 0);
	assert_non_null(out);
	assert_int_equal(strlen(out), len);
	json_decref(columns);
	json_decref(rows);
	return out;
}

static const char *const one_column = "[{\"key\": \"v\", \"label\": \"V\"}]";

/* CSV of a single-column table whose only cell is `cell_json`. */
static char *test_csv_cell(const char *cell_json)
{
	char rows[512];

	snprintf(rows, sizeof(rows), "[{\"v\": %s}]", cell_json);
	return test_csv(one_column, rows);
}

static void test_csv_cell_is(const char *cell_json, const char *expected)
{
	char want[512];
	char *csv = test_csv_cell(cell_json);

	snprintf(want, sizeof(want), BOM "V\r\n%s\r\n", expected);
	assert_string_equal(csv, want);
	free(csv);
}

/* ------------------------------------------------------------------ */
/* CSV                                                                  */

static void test_csv_bom_header_separator_crlf(void **state)
{
	char *csv;

	(void)state;
	csv = test_csv("[{\"key\": \"last_name\", \"label\": \"Nom\"},"
		       " {\"key\": \"first_name\", \"label\": \"Prénom\"},"
		       " {\"key\": \"age\"}]",
		       "[{\"last_name\": \"Martin\", \"first_name\": \"Léa\","
		       "  \"age\": 12},"
		       " {\"last_name\": \"Durand\", \"first_name\": \"Hugo\","
		       "  \"age\": 9}]");
	/* Label defaults to the key; every line ends with CRLF. */
	assert_string_equal(csv, BOM "Nom;Prénom;age\r\n"
				 "Martin;Léa;12\r\n"
				 "Durand;Hugo;9\r\n");
	free(csv);
}

static void test_csv_empty_rows_gives_header_only(void **state)
{
	char *csv;

	(void)state;
	csv = test_csv(one_column, "[]");
	assert_string_equal(csv, BOM "V\r\n");
	free(csv);
}

static void test_csv_quoting(void **state)
{
	(void)state;
	test_csv_cell_is("\"a;b\"", "\"a;b\"");
	test_csv_cell_is("\"dit \\\"bonjour\\\"\"", "\"dit \"\"bonjour\"\"\"");
	test_csv_cell_is("\"ligne 1\\nligne 2\"", "\"ligne 1\nligne 2\"");
	test_csv_cell_is("\"fin\\r\"", "\"fin\r\"");
	test_csv_cell_is("\"a,b 'c'\"", "a,b 'c'");
	test_csv_cell_is("\"\"", "");
}

static void test_csv_formula_neutralisation(void **state)
{
	(void)state;
	test_csv_cell_is("\"=SUM(A1)\"", "'=SUM(A1)");
	test_csv_cell_is("\"+33 6 12 34 56 78\"", "'+33 6 12 34 56 78");
	test_csv_cell_is("\"-1\"", "'-1");
	test_csv_cell_is("\"@x\"", "'@x");
	test_csv_cell_is("\"\\tcmd\"", "'\tcmd");
	/* Neutralised and quoted: the apostrophe goes inside the quotes. */
	test_csv_cell_is("\"=1;2\"", "\"'=1;2\"");
	test_csv_cell_is("\"\\r=1\"", "\"'\r=1\"");
	/* Only a leading trigger matters. */
	test_csv_cell_is("\"a=b\"", "a=b");
}

static void test_csv_numbers_are_not_neutralised(void **state)
{
	(void)state;
	test_csv_cell_is("-1", "-1");
	test_csv_cell_is("-2.5", "-2.5");
	test_csv_cell_is("42", "42");
	test_csv_cell_is("0.1", "0.1");
	test_csv_cell_is("3.0", "3");
	test_csv_cell_is("1e20", "1e+20");
	test_csv_cell_is("9007199254740993", "9007199254740993");
}

static void test_csv_label_is_neutralised(void **state)
{
	char *csv;

	(void)state;
	csv = test_csv("[{\"key\": \"k\", \"label\": \"=HYPERLINK(1)\"}]", "[]");
	assert_string_equal(csv, BOM "'=HYPERLINK(1)\r\n");
	free(csv);
}

static void test_csv_booleans_and_nulls(void **state)
{
	char *csv;

	(void)state;
	csv = test_csv("[{\"key\": \"a\"}, {\"key\": \"b\"}, {\"key\": \"c\"},"
		       " {\"key\": \"d\"}]",
		       "[{\"a\": true, \"b\": false, \"c\": null}]");
	assert_string_equal(csv, BOM "a;b;c;d\r\noui;non;;\r\n");
	free(csv);
}

static void test_csv_utf8_kept(void **state)
{
	(void)state;
	test_csv_cell_is("\"Élodie Gärtner – Noël ñ 日本\"",
			 "Élodie Gärtner – Noël ñ 日本");
	test_csv_cell_is("\"\\u00e9t\\u00e9\"", "été");
}

/* A French LC_NUMERIC must not turn 3.5 into "3,5" (the separator!). */
static void test_csv_decimal_point_under_french_locale(void **state)
{
	static const char *const names[] = { "fr_FR.UTF-8", "fr_FR.utf8",
					     "fr_FR", NULL };
	const char *const *name;
	bool french = false;

	(void)state;
	for (name = names; *name && !french; name++)
		french = setlocale(LC_NUMERIC, *name) != NULL;
	test_csv_cell_is("3.5", "3.5");
	setlocale(LC_NUMERIC, "C");
	if (!french)
		skip();
}

static void test_csv_rejects_bad_input(void **state)
{
	static const char *const cases[][2] = {
		{ "{}", "[]" },
		{ "[]", "[]" },
		{ "[{\"label\": \"x\"}]", "[]" },
		{ "[{\"key\": 1}]", "[]" },
		{ "[{\"key\": \"k\", \"label\": 2}]", "[]" },
		{ "[\"k\"]", "[]" },
		{ "[{\"key\": \"k\"}]", "{}" },
		{ "[{\"key\": \"k\"}]", "[1]" },
		{ "[{\"key\": \"k\"}]", "[{\"k\": [1]}]" },
		{ "[{\"key\": \"k\"}]", "[{\"k\": {\"a\": 1}}]" },
	};
	char *out = (char *)"sentinel";
	size_t len = 99, i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *columns = test_json(cases[i][0]);
		json_t *rows = test_json(cases[i][1]);

		assert_int_equal(tabular_csv(columns, rows, &out, &len), -1);
		assert_null(out);
		assert_int_equal(len, 0);
		json_decref(columns);
		json_decref(rows);
	}
	assert_int_equal(tabular_csv(NULL, NULL, &out, &len), -1);
	assert_int_equal(tabular_csv(NULL, NULL, NULL, NULL), -1);
}

static void test_csv_null_label_falls_back_to_key(void **state)
{
	char *csv;

	(void)state;
	csv = test_csv("[{\"key\": \"k\", \"label\": null}]", "[{\"k\": 1}]");
	assert_string_equal(csv, BOM "k\r\n1\r\n");
	free(csv);
}

/* ------------------------------------------------------------------ */
/* XLSX                                                                 */

static const char *const xlsx_columns =
	"[{\"key\": \"name\", \"label\": \"Nom\"},"
	" {\"key\": \"age\", \"label\": \"Âge\"},"
	" {\"key\": \"born\", \"label\": \"Né le\"},"
	" {\"key\": \"note\", \"label\": \"Remarque\"},"
	" {\"key\": \"ok\", \"label\": \"Inscrit\"}]";

static const char *const xlsx_rows =
	"[{\"name\": \"Élodie Gärtner\", \"age\": 42, \"born\": \"2024-03-15\","
	"  \"note\": \"=1+1\", \"ok\": true},"
	" {\"name\": \"Hugo\", \"age\": 2.5, \"born\": \"2023-02-29\","
	"  \"note\": 12345678901234567, \"ok\": false}]";

static int test_xlsx(const char *sheet_name, char **out, size_t *len)
{
	json_t *columns = test_json(xlsx_columns);
	json_t *rows = test_json(xlsx_rows);
	int ret = tabular_xlsx(columns, rows, sheet_name, out, len);

	json_decref(columns);
	json_decref(rows);
	return ret;
}

static bool test_have_unzip(void)
{
	return system("command -v unzip >/dev/null 2>&1") == 0;
}

/* One member of the zip in `data`, NUL-terminated; the caller frees. */
static char *test_unzip(const char *data, size_t len, const char *member)
{
	char path[] = "/tmp/test_tabular-XXXXXX";
	char cmd[256], *text = NULL;
	size_t size = 0;
	FILE *pipe, *mem;
	int fd = mkstemp(path), c;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	snprintf(cmd, sizeof(cmd), "unzip -p '%s' '%s'", path, member);
	pipe = popen(cmd, "r");
	assert_non_null(pipe);
	mem = open_memstream(&text, &size);
	assert_non_null(mem);
	while ((c = fgetc(pipe)) != EOF)
		fputc(c, mem);
	fclose(mem);
	assert_int_equal(pclose(pipe), 0);
	unlink(path);
	return text;
}

static char *test_xlsx_member(const char *sheet_name, const char *member)
{
	char *xlsx = NULL, *text;
	size_t len = 0;

	assert_int_equal(test_xlsx(sheet_name, &xlsx, &len), 0);
	text = test_unzip(xlsx, len, member);
	free(xlsx);
	return text;
}

static void test_xlsx_is_a_zip(void **state)
{
	char *xlsx = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(test_xlsx("Élèves", &xlsx, &len), 0);
	assert_non_null(xlsx);
	assert_true(len > 4);
	assert_memory_equal(xlsx, "PK\x03\x04", 4);
	free(xlsx);
}

static void test_xlsx_strings(void **state)
{
	char *xml;

	(void)state;
	if (!test_have_unzip())
		skip();
	xml = test_xlsx_member("Élèves", "xl/sharedStrings.xml");
	assert_non_null(strstr(xml, ">Nom<"));
	assert_non_null(strstr(xml, ">Né le<"));
	assert_non_null(strstr(xml, ">Élodie Gärtner<"));
	/* Text, not a formula, and no CSV-style apostrophe. */
	assert_non_null(strstr(xml, ">=1+1<"));
	assert_non_null(strstr(xml, ">oui<"));
	assert_non_null(strstr(xml, ">non<"));
	/* Invalid date and over-15-digit integer stay exact text. */
	assert_non_null(strstr(xml, ">2023-02-29<"));
	assert_non_null(strstr(xml, ">12345678901234567<"));
	/* A real date is not a string. */
	assert_null(strstr(xml, "2024-03-15"));
	free(xml);
}

static void test_xlsx_sheet_layout(void **state)
{
	char *xml;

	(void)state;
	if (!test_have_unzip())
		skip();
	xml = test_xlsx_member("Élèves", "xl/worksheets/sheet1.xml");
	assert_non_null(strstr(xml, "<v>42</v>"));
	assert_non_null(strstr(xml, "<v>2.5</v>"));
	/* 2024-03-15 is Excel serial 45366. */
	assert_non_null(strstr(xml, "<v>45366</v>"));
	assert_null(strstr(xml, "<f>"));
	assert_non_null(strstr(xml, "<autoFilter ref=\"A1:E3\"/>"));
	assert_non_null(strstr(xml, "ySplit=\"1\""));
	assert_non_null(strstr(xml, "state=\"frozen\""));
	assert_non_null(strstr(xml, "<col min=\"1\" max=\"1\" width="));
	free(xml);

	xml = test_xlsx_member("Élèves", "xl/styles.xml");
	assert_non_null(strstr(xml, "formatCode=\"dd/mm/yyyy\""));
	assert_non_null(strstr(xml, "<b/>"));
	free(xml);
}

static void test_xlsx_sheet_name_is(const char *given, const char *expected)
{
	char want[256], *xml;

	xml = test_xlsx_member(given, "xl/workbook.xml");
	snprintf(want, sizeof(want), "<sheet name=\"%s\"", expected);
	if (!strstr(xml, want))
		fail_msg("sheet name for \"%s\": want %s in %s", given, want,
			 xml);
	free(xml);
}

static void test_xlsx_sheet_name_sanitised(void **state)
{
	(void)state;
	if (!test_have_unzip())
		skip();
	test_xlsx_sheet_name_is("Élèves", "Élèves");
	/* Forbidden characters replaced, then cut at 31 characters. */
	test_xlsx_sheet_name_is("Inscriptions 2024/2025 [été]: *?",
				"Inscriptions 2024-2025 -été-- -");
	test_xlsx_sheet_name_is("'Cité'", "Cité");
	test_xlsx_sheet_name_is("a\\b\tc", "a-b-c");
	test_xlsx_sheet_name_is("bad \xC3( utf8", "bad -( utf8");
	test_xlsx_sheet_name_is(NULL, "Feuille1");
	test_xlsx_sheet_name_is("", "Feuille1");
	test_xlsx_sheet_name_is("''", "Feuille1");
	test_xlsx_sheet_name_is("history", "Feuille1");
	/* 30 ASCII + an astral character (2 UTF-16 units) would be 32. */
	test_xlsx_sheet_name_is("abcdefghijklmnopqrstuvwxyz0123\xF0\x9F\x98\x80",
				"abcdefghijklmnopqrstuvwxyz0123");
}

static void test_xlsx_leaves_no_temporary_file(void **state)
{
	char dir[] = "/tmp/test_tabular_dir-XXXXXX";
	const char *old = getenv("TMPDIR");
	char *saved = old ? strdup(old) : NULL, *xlsx = NULL;
	size_t len = 0, entries = 0;
	struct dirent *e;
	DIR *d;

	(void)state;
	assert_non_null(mkdtemp(dir));
	setenv("TMPDIR", dir, 1);
	assert_int_equal(test_xlsx("x", &xlsx, &len), 0);
	free(xlsx);
	/* A failing call must clean up too. */
	assert_int_equal(tabular_xlsx(NULL, NULL, "x", &xlsx, &len), -1);
	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		entries += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	assert_int_equal(entries, 0);
	rmdir(dir);
	if (saved)
		setenv("TMPDIR", saved, 1);
	else
		unsetenv("TMPDIR");
	free(saved);
}

static void test_xlsx_rejects_bad_input(void **state)
{
	json_t *columns = test_json("[{\"key\": \"k\"}]");
	json_t *rows = test_json("[{\"k\": {\"nested\": true}}]");
	char *out = (char *)"sentinel";
	size_t len = 99;

	(void)state;
	assert_int_equal(tabular_xlsx(columns, rows, "x", &out, &len), -1);
	assert_null(out);
	assert_int_equal(len, 0);
	assert_int_equal(tabular_xlsx(rows, columns, "x", &out, &len), -1);
	assert_int_equal(tabular_xlsx(columns, rows, "x", NULL, NULL), -1);
	json_decref(columns);
	json_decref(rows);
}

static void test_content_types(void **state)
{
	(void)state;
	assert_string_equal(tabular_csv_content_type(),
			    "text/csv; charset=utf-8");
	assert_string_equal(tabular_xlsx_content_type(),
			    "application/vnd.openxmlformats-officedocument."
			    "spreadsheetml.sheet");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_bom_header_separator_crlf),
		cmocka_unit_test(test_csv_empty_rows_gives_header_only),
		cmocka_unit_test(test_csv_quoting),
		cmocka_unit_test(test_csv_formula_neutralisation),
		cmocka_unit_test(test_csv_numbers_are_not_neutralised),
		cmocka_unit_test(test_csv_label_is_neutralised),
		cmocka_unit_test(test_csv_booleans_and_nulls),
		cmocka_unit_test(test_csv_utf8_kept),
		cmocka_unit_test(test_csv_decimal_point_under_french_locale),
		cmocka_unit_test(test_csv_rejects_bad_input),
		cmocka_unit_test(test_csv_null_label_falls_back_to_key),
		cmocka_unit_test(test_xlsx_is_a_zip),
		cmocka_unit_test(test_xlsx_strings),
		cmocka_unit_test(test_xlsx_sheet_layout),
		cmocka_unit_test(test_xlsx_sheet_name_sanitised),
		cmocka_unit_test(test_xlsx_leaves_no_temporary_file),
		cmocka_unit_test(test_xlsx_rejects_bad_input),
		cmocka_unit_test(test_content_types),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
