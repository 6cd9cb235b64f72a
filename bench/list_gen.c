/*
 * list_gen.c — writes a synthetic beneficiary list (a partner's
 * spreadsheet), for bench/lists.sh.
 *
 *   list_gen csv LINES > list.csv
 *   list_gen xlsx LINES list.xlsx
 *
 * Line i is person i of gen_people.h (the same people as bench/ft_gen.c).
 * Columns, with the headers such lists have: N° allocataire, Civilité, Nom,
 * Prénom, Date de naissance, NIR (two lines in three), Téléphone, Adresse,
 * Code INSEE, Courriel (one line in two), Observations (one in five; the
 * bench's mapping leaves it out). The CSV is what a French spreadsheet
 * saves as "CSV (point-virgule)": `;`, CRLF, windows-1252, dates
 * dd/mm/yyyy. The XLSX is written by libxlsxwriter as a spreadsheet saves
 * it: text in the shared strings table, birth dates as numbers with a
 * date style, the NIR, telephone (its leading 0 lost) and INSEE code as
 * numbers.
 *
 * Build: cc -O2 -std=c17 -Wall -Wextra -o build/list_gen bench/list_gen.c -lxlsxwriter
 */
#include <xlsxwriter.h>

#include "gen_people.h"

#define LIST_COLUMNS 11

static const char *const list_headers[LIST_COLUMNS] = {
	"N° allocataire", "Civilité", "Nom", "Prénom", "Date de naissance", "NIR",
	"Téléphone", "Adresse", "Code INSEE", "Courriel", "Observations",
};
static const char *const list_notes[] = {
	"RDV pris", "Relancé par téléphone", "Orienté vers l'atelier CV", "Absent au dernier RDV",
};

/* The telephone's digits, as a spreadsheet keeps a typed number. */
static double list_phone_number(const struct gen_person *p)
{
	double v = 0;

	for (const char *c = p->phone; *c; c++)
		if (*c >= '0' && *c <= '9')
			v = v * 10 + (*c - '0');
	return v;
}

static void list_csv(unsigned long n)
{
	struct gen_person p;

	for (int k = 0; k < LIST_COLUMNS; k++) {
		gen_put(stdout, list_headers[k], 0, 1);
		fputs(k + 1 < LIST_COLUMNS ? ";" : "\r\n", stdout);
	}
	for (unsigned long i = 1; i <= n; i++) {
		gen_person_of(&p, i);
		printf("%s;%s;", p.caf, p.sex == 2 ? "Mme" : "M.");
		gen_put(stdout, p.last, 1, 1);
		putchar(';');
		gen_put(stdout, p.first, 0, 1);
		printf(";%02d/%02d/%04d;%s;%s;%u rue ", p.bd, p.bm, p.by, i % 3 ? p.nir : "", p.phone,
		       p.street_no);
		gen_put(stdout, p.street, 0, 1);
		printf(";%s;", p.commune[0]);
		if (i % 2)
			printf("beneficiaire%lu@example.org", i);
		putchar(';');
		if (i % 5 == 0)
			gen_put(stdout, list_notes[i / 5 % GEN_N_OF(list_notes)], 0, 1);
		fputs("\r\n", stdout);
	}
}

/* s upper-cased as in the CSV (gen_put), but in UTF-8. */
static void list_upper(char *out, size_t size, const char *s)
{
	FILE *m = fmemopen(out, size, "w");

	out[0] = '\0';
	if (m) {
		gen_put(m, s, 1, 0);
		fputc('\0', m);
		fclose(m);
	}
}

/* The cells of line i (row i of the sheet, under the headers). */
static void list_xlsx_row(lxw_worksheet *ws, lxw_format *date, unsigned long i)
{
	struct gen_person p;
	char text[128];
	lxw_row_t r = (lxw_row_t)i;

	gen_person_of(&p, i);
	worksheet_write_string(ws, r, 0, p.caf, NULL);
	worksheet_write_string(ws, r, 1, p.sex == 2 ? "Mme" : "M.", NULL);
	list_upper(text, sizeof text, p.last);
	worksheet_write_string(ws, r, 2, text, NULL);
	worksheet_write_string(ws, r, 3, p.first, NULL);
	worksheet_write_datetime(ws, r, 4, &(lxw_datetime){ p.by, p.bm, p.bd, 0, 0, 0 }, date);
	if (i % 3)
		worksheet_write_number(ws, r, 5, strtod(p.nir, NULL), NULL);
	worksheet_write_number(ws, r, 6, list_phone_number(&p), NULL);
	snprintf(text, sizeof text, "%u rue %s", p.street_no, p.street);
	worksheet_write_string(ws, r, 7, text, NULL);
	worksheet_write_number(ws, r, 8, strtod(p.commune[0], NULL), NULL);
	if (i % 2) {
		snprintf(text, sizeof text, "beneficiaire%lu@example.org", i);
		worksheet_write_string(ws, r, 9, text, NULL);
	}
	if (i % 5 == 0)
		worksheet_write_string(ws, r, 10, list_notes[i / 5 % GEN_N_OF(list_notes)], NULL);
}

static int list_xlsx(unsigned long n, const char *path)
{
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws;
	lxw_format *date;

	if (!wb) {
		fprintf(stderr, "list_gen: cannot create %s\n", path);
		return 1;
	}
	/* A fixed creation time (2018-01-02), else the file changes at each run. */
	workbook_set_properties(wb, &(lxw_doc_properties){ .created = 1514851200 });
	ws = workbook_add_worksheet(wb, "Bénéficiaires");
	date = workbook_add_format(wb);
	format_set_num_format(date, "dd/mm/yyyy");
	for (int k = 0; k < LIST_COLUMNS; k++)
		worksheet_write_string(ws, 0, (lxw_col_t)k, list_headers[k], NULL);
	for (unsigned long i = 1; i <= n; i++)
		list_xlsx_row(ws, date, i);
	if (workbook_close(wb) != LXW_NO_ERROR) {
		fprintf(stderr, "list_gen: cannot write %s\n", path);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long n;
	int xlsx = argc == 4 && !strcmp(argv[1], "xlsx");

	if (!xlsx && (argc != 3 || strcmp(argv[1], "csv"))) {
		fprintf(stderr, "usage: list_gen csv LINES > list.csv\n"
				"       list_gen xlsx LINES list.xlsx\n");
		return 2;
	}
	if (gen_count(argv[2], "list_gen", &n))
		return 2;
	if (xlsx)
		return list_xlsx(n, argv[3]);
	list_csv(n);
	return ferror(stdout) ? 1 : 0;
}
