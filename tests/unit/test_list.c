/*
 * Unit tests for the beneficiary lists (src/exchange/list_import.h,
 * src/cli/cmd_import_list.h): mappings (parse, check, save, load, guess),
 * dates as lists write them, matching (NIR, CAF number + names + birth
 * date, names + birth date without accents), creation with a household,
 * updates, rejected lines, the preview that writes nothing, XLSX lists
 * (written by the test with libzip), the command's last line and audit,
 * and the multipart/form-data decoder of the page that receives them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/date.h"
#include "cli/cli.h"
#include "cli/cmd_import_list.h"
#include "db/db.h"
#include "exchange/jsonl.h"
#include "exchange/list_import.h"
#include "model/problems.h"
#include "web/upload.h"
#include "xlsx_build.h"

struct fixture {
	char dir[64];
	char dbpath[96];
	struct db *db;
	struct list_import_counts n;
	long report;
	char why[600];
};

/* Benoît (NIR), Claire (household with CAF number 1234567), Zoé (accents),
 * two Jean Petit born the same day. */
static const char people[] =
	"{\"type\":\"organisation\",\"id\":\"org-1\",\"name\":\"Maison\",\"kind\":\"maison_metropole\"}\n"
	"{\"type\":\"household\",\"id\":\"h-1\",\"caf_number\":\"1234567\"}\n"
	"{\"type\":\"person\",\"id\":\"p-benoit\",\"household\":\"h-1\",\"role\":\"DEM\","
	"\"first_name\":\"Benoît\",\"last_name\":\"Dupont\",\"birth_date\":\"1980-05-17\","
	"\"sex\":\"M\",\"nir\":\"180056938112357\"}\n"
	"{\"type\":\"person\",\"id\":\"p-claire\",\"household\":\"h-1\",\"role\":\"CJT\","
	"\"first_name\":\"Claire\",\"last_name\":\"Dupont\",\"birth_date\":\"1982-11-03\",\"sex\":\"F\"}\n"
	"{\"type\":\"household\",\"id\":\"h-2\"}\n"
	"{\"type\":\"person\",\"id\":\"p-zoe\",\"household\":\"h-2\",\"role\":\"DEM\","
	"\"first_name\":\"Zoé\",\"last_name\":\"Lefèvre\",\"birth_date\":\"1990-02-28\",\"sex\":\"F\"}\n"
	"{\"type\":\"person\",\"id\":\"p-jean-1\",\"household\":\"h-2\",\"role\":\"AUT\","
	"\"first_name\":\"Jean\",\"last_name\":\"Petit\",\"birth_date\":\"1970-01-01\",\"sex\":\"M\"}\n"
	"{\"type\":\"person\",\"id\":\"p-jean-2\",\"household\":\"h-2\",\"role\":\"AUT\","
	"\"first_name\":\"Jean\",\"last_name\":\"Petit\",\"birth_date\":\"1970-01-01\",\"sex\":\"M\"}\n";

static const char *file_path(struct fixture *fx, const char *name)
{
	static char paths[4][160];
	static int next;
	char *p = paths[next++ % 4];

	snprintf(p, sizeof paths[0], "%s/%s", fx->dir, name);
	return p;
}

static const char *write_text(struct fixture *fx, const char *name, const char *text)
{
	const char *p = file_path(fx, name);
	FILE *f = fopen(p, "wb");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return p;
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	struct import_options opt = { 0, "test", "cli" };
	struct import_result res;
	struct problems pb, warn;
	char *err = NULL;
	int rc;

	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof fx->dir, "/tmp/parcours-list-XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->dbpath, sizeof fx->dbpath, "%s/t.db", fx->dir);
	if (db_open(&fx->db, fx->dbpath, &err)) {
		free(err);
		return -1;
	}
	date_set_today(date_from_civil(2018, 12, 31));
	problems_init(&pb);
	problems_init(&warn);
	rc = jsonl_import(fx->db, write_text(fx, "people.jsonl", people), &opt, &pb, &warn, &res);
	if (rc)
		problems_print(&pb, stderr);
	problems_release(&pb);
	problems_release(&warn);
	*state = fx;
	return rc;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	DIR *d = opendir(fx->dir);
	struct dirent *e;
	char p[512];

	db_close(fx->db);
	while (d && (e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(p, sizeof p, "%s/%s", fx->dir, e->d_name);
			unlink(p);
		}
	if (d)
		closedir(d);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

static const char *text(struct fixture *fx, const char *sql, const char *arg)
{
	static char out[4096];
	struct db_stmt *st;

	out[0] = '\0';
	assert_int_equal(db_prepare(fx->db, &st, sql), 0);
	if (arg)
		db_bind_text(st, 1, arg);
	for (size_t n = 0; db_step(st) == DB_ROW;) {
		n += (size_t)snprintf(out + n, sizeof out - n, "%s%s", n ? "\n" : "",
				      db_col_text(st, 0) ? db_col_text(st, 0) : "NULL");
		if (n >= sizeof out)
			break;
	}
	db_finalize(st);
	return out;
}

/* "line:outcome:field" for every line told, one per line. */
static void collect(void *ud, const struct list_line_result *r)
{
	struct buf *b = ud;

	buf_addf(b, "%ld:%s%s%s\n", r->line, r->outcome, r->field ? ":" : "",
		 r->field ? r->field : "");
}

static int import(struct fixture *fx, const char *path, const char *spec, int preview,
		  struct buf *told)
{
	struct list_import_options opt = { 0 };
	int rc;

	opt.organisation = "org-1";
	opt.mapping_name = "test";
	opt.mapping = list_mapping_parse(spec, fx->why, sizeof fx->why);
	assert_non_null(opt.mapping);
	opt.preview = preview;
	opt.actor = "cli:test";
	opt.on_line = told ? collect : NULL;
	opt.ud = told;
	memset(&fx->n, 0, sizeof fx->n);
	rc = list_import_file(fx->db, path, &opt, &fx->n, &fx->report, fx->why, sizeof fx->why);
	json_decref(opt.mapping);
	return rc;
}

static void assert_counts(struct fixture *fx, long created, long updated, long unchanged,
			  long rejected)
{
	if (fx->n.created != created || fx->n.updated != updated ||
	    fx->n.unchanged != unchanged || fx->n.rejected != rejected)
		fail_msg("counts %ld/%ld/%ld/%ld, expected %ld/%ld/%ld/%ld", fx->n.created,
			 fx->n.updated, fx->n.unchanged, fx->n.rejected, created, updated, unchanged,
			 rejected);
}

/* ---- mappings and values -------------------------------------------------- */

static void test_mapping(void **state)
{
	struct fixture *fx = *state;
	char why[300];
	json_t *m, *loaded;

	m = list_mapping_parse("Nom=last_name,Prénom=first_name,Né le=birth_date,Divers=", why,
			       sizeof why);
	assert_non_null(m);
	assert_string_equal(json_string_value(json_object_get(m, "Prénom")), "first_name");
	assert_int_equal(list_mapping_save(fx->db, "org-1", "cd", m, "cli:test"), 0);
	assert_int_equal(list_mapping_save(fx->db, "org-1", "cd", m, "cli:test"), 0);
	assert_int_equal(list_mapping_load(fx->db, "org-1", "cd", &loaded), 0);
	assert_true(json_equal(m, loaded));
	json_decref(loaded);
	assert_int_equal(list_mapping_load(fx->db, "org-1", "autre", &loaded), 1);
	json_t *names = list_mapping_names(fx->db, "org-1");
	assert_string_equal(json_string_value(json_array_get(names, 0)), "cd");
	json_decref(names);
	json_decref(m);
	assert_null(list_mapping_parse("Nom=last_name,Prénom=first_name", why, sizeof why));
	assert_string_equal(why, "aucune colonne ne donne le champ birth_date (Date de naissance), "
				 "nécessaire");
	assert_null(list_mapping_parse("Nom=last_name,X=last_name", why, sizeof why));
	assert_string_equal(why, "le champ last_name est donné par deux colonnes");
	assert_null(list_mapping_parse("Nom=surname", why, sizeof why));
	assert_null(list_mapping_parse("Nom", why, sizeof why));
	assert_string_equal(list_guess_field("PRÉNOM"), "first_name");
	assert_string_equal(list_guess_field("date de naissance"), "birth_date");
	assert_string_equal(list_guess_field("nir"), "nir");
	assert_null(list_guess_field("Divers"));
}

static void test_dates(void **state)
{
	long day;
	char out[11];

	(void)state;
	assert_int_equal(list_parse_date("31/12/1980", &day), 0);
	date_format(day, out);
	assert_string_equal(out, "1980-12-31");
	assert_int_equal(list_parse_date("1980-12-31", &day), 0);
	assert_int_equal(list_parse_date("1980-12-31 00:00:00", &day), 0);
	assert_int_equal(list_parse_date("31.12.1980", &day), 0);
	assert_int_equal(list_parse_date("1/2/1980", &day), 0);
	date_format(day, out);
	assert_string_equal(out, "1980-02-01");
	assert_int_equal(list_parse_date("31/11/1980", &day), -1);
	assert_int_equal(list_parse_date("31/12/80", &day), -1);
	assert_int_equal(list_parse_date("31/12-1980", &day), -1);
	assert_int_equal(list_parse_date("1980-12-31x", &day), -1);
	assert_int_equal(list_parse_date("", &day), -1);
}

/* ---- CSV ------------------------------------------------------------------ */

static const char map_csv[] = "NOM=last_name,Prénom=first_name,Né le=birth_date,Sexe=sex,"
			      "N° sécu=nir,Matricule=caf_number,Tél=phone,Commune=commune";
static const char csv[] =
	"Nom;Prénom;Né le;Sexe;N° sécu;Matricule;Tél;Commune;Autre\n"
	/* 2 Benoît by NIR (other spelling): his phone is new */
	"DUPONT;BENOIT;17/05/1980;;1 80 05 69 381 123 57;;06 12 34 56 78;;x\n"
	/* 3 Claire by CAF number + names + birth date: commune filled on h-1 */
	"dupont;claire;1982-11-03;F;;1234567;;69381;\n"
	/* 4 Zoé by names + birth date, accents aside: nothing new */
	"LEFEVRE;ZOE;28/02/1990;;;;;;\n"
	/* 5 a new person, sex from the NIR */
	"Nouveau;Né;01/06/1985;;285066938100293;;612345678;1053;\n"
	/* 6 two Jean Petit: ambiguous */
	"Petit;Jean;01/01/1970;M;;;;;\n"
	/* 7 an impossible date, 8 no sex and no NIR, 9 a bad commune */
	"Autre;Une;31/02/1990;F;;;;;\n"
	"Autre;Deux;01/02/1990;;;;;;\n"
	"Autre;Trois;01/02/1990;X;;;;;\n"
	"Autre;Quatre;01/02/1990;F;;;;ABCDE;\n";

static void test_csv(void **state)
{
	struct fixture *fx = *state;
	const char *path = write_text(fx, "liste.csv", csv);
	struct buf told;

	buf_init(&told, 4096);
	assert_int_equal(import(fx, path, map_csv, 0, &told), 0);
	assert_counts(fx, 1, 2, 1, 5);
	assert_string_equal(buf_str(&told), "2:updated\n3:updated\n4:unchanged\n5:created\n"
					    "6:rejected\n7:rejected:Né le\n8:rejected:Sexe\n"
					    "9:rejected:Sexe\n10:rejected:Commune\n");
	assert_string_equal(text(fx, "SELECT phone FROM person WHERE id = ?", "p-benoit"),
			    "06 12 34 56 78");
	assert_string_equal(text(fx, "SELECT commune FROM household WHERE id = ?", "h-1"), "69381");
	assert_string_equal(text(fx, "SELECT p.id || ' ' || p.sex || ' ' || p.phone || ' ' || "
				     "h.commune || ' ' || COALESCE(h.caf_number, '-') FROM person p "
				     "JOIN household h ON h.id = p.household WHERE p.last_name = ?",
				 "Nouveau"),
			    "lst-1-5 F 0612345678 01053 -");
	assert_string_equal(text(fx, "SELECT status || ' ' || format || ' ' || lines || ' ' || "
				     "created || updated || unchanged || rejected FROM list_import",
				 NULL),
			    "done csv 9 1215");
	assert_string_equal(text(fx, "SELECT line || ' ' || identifier || ' ' || "
				     "COALESCE(field, '-') FROM list_import_rejection ORDER BY seq",
				 NULL),
			    "6 Petit Jean 01/01/1970 -\n7 Autre Une 31/02/1990 Né le\n"
			    "8 Autre Deux 01/02/1990 Sexe\n9 Autre Trois 01/02/1990 Sexe\n"
			    "10 Autre Quatre 01/02/1990 Commune");
	/* Again: the new person is found, nothing changes. */
	buf_reset(&told);
	assert_int_equal(import(fx, path, map_csv, 0, NULL), 0);
	assert_counts(fx, 0, 0, 4, 5);
	buf_release(&told);
}

static void test_preview_writes_nothing(void **state)
{
	struct fixture *fx = *state;
	const char *path = write_text(fx, "liste.csv", csv);
	char before[4096];
	struct buf told;

	buf_init(&told, 4096);
	snprintf(before, sizeof before, "%s",
		 text(fx, "SELECT id || COALESCE(phone, '') FROM person ORDER BY id", NULL));
	assert_int_equal(import(fx, path, map_csv, 1, &told), 0);
	assert_counts(fx, 1, 2, 1, 5);
	assert_int_equal(fx->report, 0);
	assert_string_equal(text(fx, "SELECT id || COALESCE(phone, '') FROM person ORDER BY id",
				 NULL), before);
	assert_string_equal(text(fx, "SELECT COUNT(*) FROM list_import", NULL), "0");
	assert_string_equal(text(fx, "SELECT COUNT(*) FROM household", NULL), "2");
	assert_non_null(strstr(buf_str(&told), "5:created\n"));
	buf_release(&told);
}

static void test_refused_files(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(import(fx, write_text(fx, "a.csv", "Nom;Prénom\nx;y\n"), map_csv, 0, NULL),
			 1);
	assert_string_equal(fx->why, "l'en-tête n'a pas la colonne « Né le » (birth_date)");
	assert_int_equal(import(fx, write_text(fx, "b.csv", ""), map_csv, 0, NULL), 1);
	assert_string_equal(fx->why, "le fichier est vide");
	assert_int_equal(import(fx, file_path(fx, "absent.csv"), map_csv, 0, NULL), -1);
	/* A France Travail id another person holds. */
	assert_int_equal(import(fx, write_text(fx, "c.csv", "Nom;Prénom;Né le;FT\n"
							    "Dupont;Claire;03/11/1982;1234567A123\n"
							    "Lefèvre;Zoé;28/02/1990;1234567A123\n"),
			       "Nom=last_name,Prénom=first_name,Né le=birth_date,"
			       "FT=france_travail_id", 0, NULL), 0);
	assert_counts(fx, 0, 1, 0, 1);
}

/* ---- XLSX ----------------------------------------------------------------- */

static void test_xlsx(void **state)
{
	struct fixture *fx = *state;
	const char *path = file_path(fx, "liste.xlsx");

	/* Header as shared strings; birth dates as date-styled serials or
	 * text; a NIR and a commune typed as numbers. */
	assert_int_equal(
		xb_simple(path,
			  "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
			  "<c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"s\"><v>3</v></c>"
			  "<c r=\"E1\" t=\"s\"><v>4</v></c></row>"
			  "<row r=\"2\"><c t=\"inlineStr\"><is><t>Dupont</t></is></c>"
			  "<c t=\"inlineStr\"><is><t>Benoît</t></is></c><c s=\"2\"><v>29358</v></c>"
			  "<c><v>180056938112357</v></c></row>"
			  "<row r=\"4\"><c t=\"inlineStr\"><is><t>Durand</t></is></c>"
			  "<c t=\"inlineStr\"><is><t>Léa</t></is></c>"
			  "<c t=\"inlineStr\"><is><t>31/12/1980</t></is></c><c/><c><v>69381</v></c>"
			  "</row>",
			  "<si><t>Nom</t></si><si><t>Prénom</t></si><si><t>Date de naissance</t></si>"
			  "<si><t>NIR</t></si><si><t>Commune</t></si>"),
		0);
	assert_int_equal(import(fx, path, "Nom=last_name,Prénom=first_name,Date de naissance="
					  "birth_date,NIR=nir,Commune=commune", 0, NULL), 0);
	/* Léa has no sex and no NIR: rejected. */
	assert_counts(fx, 0, 0, 1, 1);
	assert_string_equal(text(fx, "SELECT format || ' ' || lines FROM list_import", NULL),
			    "xlsx 2");
	assert_string_equal(text(fx, "SELECT line || ' ' || content FROM list_import_rejection", NULL),
			    "4 Durand;Léa;31/12/1980;;69381");
}

/* ---- the command ---------------------------------------------------------- */

static int run_cmd(struct fixture *fx, int argc, char **argv, char *last, size_t size)
{
	struct cli c = { fx->dbpath, fx->db, "cli:test" };
	char line[512];
	int saved, rc;
	FILE *tmp = tmpfile();

	fflush(stdout);
	saved = dup(1);
	dup2(fileno(tmp), 1);
	rc = cmd_import_list(&c, argc, argv);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	rewind(tmp);
	last[0] = '\0';
	while (fgets(line, sizeof line, tmp))
		snprintf(last, size, "%s", line);
	fclose(tmp);
	return rc;
}

static void test_command(void **state)
{
	struct fixture *fx = *state;
	char last[512];
	char *argv[8] = { (char *)write_text(fx, "l.csv", csv), "--organisation", "org-1",
			  "--mapping", "cd", "--map", (char *)map_csv, NULL };

	assert_int_equal(run_cmd(fx, 5, argv, last, sizeof last), EXIT_USAGE); /* no mapping yet */
	argv[7] = "--preview";
	assert_int_equal(run_cmd(fx, 8, argv, last, sizeof last), EXIT_REFUSED);
	assert_string_equal(last, "created 1, updated 2, unchanged 1, rejected 5\n");
	assert_string_equal(text(fx, "SELECT COUNT(*) FROM list_mapping", NULL), "0");
	assert_string_equal(text(fx, "SELECT COUNT(*) FROM audit WHERE action = ?", "import-list"),
			    "0");
	assert_int_equal(run_cmd(fx, 7, argv, last, sizeof last), EXIT_REFUSED);
	assert_string_equal(last, "created 1, updated 2, unchanged 1, rejected 5\n");
	/* The saved mapping serves the next run. */
	assert_int_equal(run_cmd(fx, 5, argv, last, sizeof last), EXIT_REFUSED);
	assert_string_equal(last, "created 0, updated 0, unchanged 4, rejected 5\n");
	assert_non_null(strstr(text(fx, "SELECT detail FROM audit WHERE action = ? ORDER BY seq",
				    "import-list"), "\"created\":1"));
	argv[2] = "org-x";
	assert_int_equal(run_cmd(fx, 5, argv, last, sizeof last), EXIT_USAGE);
	argv[2] = "org-1";
	argv[6] = "Nom=nom";
	assert_int_equal(run_cmd(fx, 7, argv, last, sizeof last), EXIT_USAGE);
	assert_int_equal(run_cmd(fx, 3, argv, last, sizeof last), EXIT_USAGE);
}

/* ---- the upload ----------------------------------------------------------- */

static void test_upload_decode(void **state)
{
	static const char type[] = "multipart/form-data; boundary=\"XyZ\"";
	static const char body[] =
		"preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n"
		"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"l.csv\"\r\n"
		"Content-Type: text/csv\r\n\r\nNom;Pr\0\r\n--X\r\n--XyZ--\r\n";
	json_t *f = upload_decode(type, body, sizeof body - 1, 10), *file;

	(void)state;
	assert_non_null(f);
	assert_string_equal(json_string_value(json_object_get(f, "csrf")), "abc");
	file = json_object_get(f, "file");
	assert_string_equal(json_string_value(json_object_get(file, "filename")), "l.csv");
	assert_int_equal(json_integer_value(json_object_get(file, "length")), 12);
	assert_memory_equal(body + json_integer_value(json_object_get(file, "offset")),
			    "Nom;Pr\0\r\n--X", 12);
	json_decref(f);
	assert_true(upload_is_multipart("Multipart/Form-Data; boundary=a"));
	assert_false(upload_is_multipart("application/x-www-form-urlencoded"));
	/* No closing delimiter; no boundary; a text field with a NUL; two files;
	 * too many fields; a part that is not form-data. */
	assert_null(upload_decode(type, body, sizeof body - 10, 10));
	assert_null(upload_decode("multipart/form-data", body, sizeof body - 1, 10));
#define NUL_FIELD "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\0\r\n--XyZ--"
	assert_null(upload_decode(type, NUL_FIELD, sizeof NUL_FIELD - 1, 10));
#define TWO_FILES "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"" \
		  "\r\n\r\nx\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; " \
		  "filename=\"b\"\r\n\r\ny\r\n--XyZ--"
	assert_null(upload_decode(type, TWO_FILES, sizeof TWO_FILES - 1, 10));
	assert_null(upload_decode(type, body, sizeof body - 1, 1));
#define NOT_FORM_DATA "--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--XyZ--"
	assert_null(upload_decode(type, NOT_FORM_DATA, sizeof NOT_FORM_DATA - 1, 10));
	/* The same parts well formed are taken. */
#define GOOD "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--XyZ--"
	f = upload_decode(type, GOOD, sizeof GOOD - 1, 10);
	assert_string_equal(json_string_value(json_object_get(f, "a")), "x");
	json_decref(f);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_mapping),
		cmocka_unit_test(test_dates),
		T(test_csv),
		T(test_preview_writes_nothing),
		T(test_refused_files),
		T(test_xlsx),
		T(test_command),
		cmocka_unit_test(test_upload_decode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
