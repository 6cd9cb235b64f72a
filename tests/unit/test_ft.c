/*
 * Unit tests for the France Travail lists (src/exchange/ft_csv.h,
 * ft_import.h, src/cli/cmd_import_ft.h, src/model/france_travail.c): the CSV
 * reader (quotes, separators, BOM, CRLF, windows-1252, limits), the
 * matching of lines to people, the registration history, the report, and
 * the france_travail_period exchange type.
 *
 * Each test gets a temporary directory with a fresh database holding a few
 * people; files are written by the tests, byte for byte (windows-1252
 * accents as their bytes: \311 É, \351 é, \234 œ).
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
#include "cli/cli.h"
#include "cli/cmd_import_ft.h"
#include "db/db.h"
#include "exchange/ft_csv.h"
#include "exchange/ft_import.h"
#include "exchange/jsonl.h"
#include "fixture.h"
#include "model/problems.h"

struct fixture {
	struct fx_db tmp;
	struct ft_import_counts counts;
	long report;
};

/* People of the tests: Benoît (NIR, no France Travail id), Zoé (France
 * Travail id, no NIR), Claire (neither; birth name Martin), and two Jean
 * Petit born the same day. */
static const char people[] =
	"{\"type\":\"household\",\"id\":\"h-1\"}\n"
	"{\"type\":\"person\",\"id\":\"p-benoit\",\"household\":\"h-1\",\"role\":\"DEM\","
	"\"first_name\":\"Benoît\",\"last_name\":\"Dupont\",\"birth_date\":\"1980-05-17\","
	"\"sex\":\"M\",\"nir\":\"180056938112357\"}\n"
	"{\"type\":\"person\",\"id\":\"p-zoe\",\"household\":\"h-1\",\"role\":\"CJT\","
	"\"first_name\":\"Zoé\",\"last_name\":\"Martin\",\"birth_date\":\"1990-02-28\","
	"\"sex\":\"F\",\"france_travail_id\":\"1234567A123\"}\n"
	"{\"type\":\"person\",\"id\":\"p-claire\",\"household\":\"h-1\",\"role\":\"AUT\","
	"\"first_name\":\"Claire\",\"last_name\":\"Lefèvre\",\"birth_name\":\"Martin\","
	"\"birth_date\":\"1982-11-03\",\"sex\":\"F\"}\n"
	"{\"type\":\"household\",\"id\":\"h-2\"}\n"
	"{\"type\":\"person\",\"id\":\"p-jean-1\",\"household\":\"h-2\",\"role\":\"DEM\","
	"\"first_name\":\"Jean\",\"last_name\":\"Petit\",\"birth_date\":\"1970-01-01\",\"sex\":\"M\"}\n"
	"{\"type\":\"person\",\"id\":\"p-jean-2\",\"household\":\"h-2\",\"role\":\"AUT\","
	"\"first_name\":\"Jean\",\"last_name\":\"Petit\",\"birth_date\":\"1970-01-01\",\"sex\":\"M\"}\n";

static const char *write_file(struct fixture *fx, const char *name, const char *data, size_t n)
{
	return fx_file(&fx->tmp, name, data, n);
}

static const char *write_text(struct fixture *fx, const char *name, const char *text)
{
	return write_file(fx, name, text, strlen(text));
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);

	if (!fx || fx_db_create(&fx->tmp, "ft")) {
		free(fx);
		return -1;
	}
	fx_today(2018, 12, 31);
	*state = fx;
	fx_import(&fx->tmp, "people.jsonl", people);
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	fx_db_remove(&fx->tmp);
	free(fx);
	return 0;
}

/* ---- the CSV reader ------------------------------------------------------- */

/* Reads every record of a file into "line:f1|f2|…" lines (problems as
 * "line:!problem"); the reader's end status last ("END" or "ERROR"). */
static char *read_csv(const char *path, char *sep, const char **enc)
{
	static char out[8192];
	struct ft_csv *r;
	struct ft_csv_record rec;
	char why[200];
	size_t len = 0;
	int rc;

	out[0] = '\0';
	assert_int_equal(ft_csv_open(&r, path, why, sizeof why), 0);
	while ((rc = ft_csv_next(r, &rec)) == FT_CSV_RECORD) {
		len += (size_t)snprintf(out + len, sizeof out - len, "%ld:", rec.line);
		if (rec.problem)
			len += (size_t)snprintf(out + len, sizeof out - len, "!%s", rec.problem);
		for (size_t i = 0; !rec.problem && i < rec.nfields; i++)
			len += (size_t)snprintf(out + len, sizeof out - len, "%s%s", i ? "|" : "",
						rec.fields[i]);
		len += (size_t)snprintf(out + len, sizeof out - len, "\n");
	}
	snprintf(out + len, sizeof out - len, "%s", rc == FT_CSV_END ? "END" : "ERROR");
	if (sep)
		*sep = ft_csv_separator(r);
	if (enc)
		*enc = ft_csv_encoding(r);
	ft_csv_close(r);
	return out;
}

static void test_csv_quotes(void **state)
{
	struct fixture *fx = *state;
	const char *path = write_text(fx, "q.csv", "a;\"b;c\";\"say \"\"hi\"\"\";\"\"\n"
						  "\"two\nlines\";x\n"
						  "un\"quoted;y\n"
						  "\"open;z\n");

	assert_string_equal(read_csv(path, NULL, NULL), "1:a|b;c|say \"hi\"|\n"
							 "2:two\nlines|x\n"
							 "4:un\"quoted|y\n"
							 "5:!guillemet ouvert et jamais fermé\n"
							 "END");
	path = write_text(fx, "q2.csv", "\"a\"b;c\n");
	assert_string_equal(read_csv(path, NULL, NULL),
			    "1:!texte après le guillemet fermant d'une cellule\nEND");
}

static void test_csv_separators(void **state)
{
	struct fixture *fx = *state;
	char sep;

	assert_string_equal(read_csv(write_text(fx, "s1.csv", "a,b;c\nd,e;f\n"), &sep, NULL),
			    "1:a,b|c\n2:d,e|f\nEND");
	assert_int_equal(sep, ';');
	assert_string_equal(read_csv(write_text(fx, "s2.csv", "a,\"b;c\",d\ne,f\n"), &sep, NULL),
			    "1:a|b;c|d\n2:e|f\nEND");
	assert_int_equal(sep, ',');
	assert_string_equal(read_csv(write_text(fx, "s3.csv", "a\tb\n"), &sep, NULL),
			    "1:a|b\nEND");
	assert_int_equal(sep, '\t');
}

static void test_csv_bom_crlf_blank(void **state)
{
	struct fixture *fx = *state;
	const char *enc;

	assert_string_equal(read_csv(write_text(fx, "b.csv", "\xEF\xBB\xBFnir;nom\r\n\r\n1;Zoé\r\n"
							     "\r\n2;\"a\r\nb\"\r\n"),
				     NULL, &enc),
			    "1:nir|nom\n3:1|Zoé\n5:2|a\r\nb\nEND");
	assert_string_equal(enc, "utf-8");
	/* A last line without its line feed. */
	assert_string_equal(read_csv(write_text(fx, "b2.csv", "a;b\nc;d"), NULL, &enc),
			    "1:a|b\n2:c|d\nEND");
	assert_null(enc); /* only ASCII was read */
}

static void test_csv_windows_1252(void **state)
{
	struct fixture *fx = *state;
	const char *enc;

	/* É, é, œ (0x9C: windows-1252 has it, Latin-1 does not), € (0x80). */
	assert_string_equal(read_csv(write_text(fx, "w.csv", "a;b\n\311LO\317SE;c\234ur \200\n"
							     "x\201;y\n"),
				     NULL, &enc),
			    "1:a|b\n2:ÉLOÏSE|cœur €\n"
			    "3:!octet non défini en windows-1252 (0x81, 0x8D, 0x8F, 0x90 ou 0x9D)\n"
			    "END");
	assert_string_equal(enc, "windows-1252");
	/* A UTF-8 file (decided by its first non-ASCII line) with a bad line:
	 * that line is refused, the next one read. */
	assert_string_equal(read_csv(write_text(fx, "u.csv", "Zoé;1\n\351t\351;2\nÈve;3\n"), NULL,
				     &enc),
			    "1:Zoé|1\n2:!n'est pas de l'UTF-8 valide alors que le fichier est en "
			    "UTF-8\n3:Ève|3\nEND");
	assert_string_equal(enc, "utf-8");
}

static void test_csv_limits(void **state)
{
	struct fixture *fx = *state;
	size_t n = FT_CSV_MAX_RECORD + 100;
	char *data = malloc(n + 40);
	char expect[200];

	/* An oversized line is refused and reading resumes at the next line. */
	assert_non_null(data);
	memcpy(data, "a;b\n", 4);
	memset(data + 4, 'x', n);
	memcpy(data + 4 + n, "\nc;d\n", 5);
	snprintf(expect, sizeof expect, "1:a|b\n2:!enregistrement de plus de 64 Kio : ligne "
					"ignorée\n3:c|d\nEND");
	assert_string_equal(read_csv(write_file(fx, "big.csv", data, n + 9), NULL, NULL), expect);
	free(data);
	/* An empty file, a file of blank lines. */
	assert_string_equal(read_csv(write_text(fx, "e.csv", ""), NULL, NULL), "END");
	assert_string_equal(read_csv(write_text(fx, "e2.csv", "\n\r\n\n"), NULL, NULL), "END");
	/* UTF-16 is refused; NUL bytes make a line unreadable. */
	assert_string_equal(read_csv(write_file(fx, "w16.csv", "\xFF\xFEn\0i\0r\0", 8), NULL, NULL),
			    "ERROR");
	assert_string_equal(read_csv(write_file(fx, "nul.csv", "a\0b;c\nd;e\n", 10), NULL, NULL),
			    "1:!octet nul : ce n'est pas un fichier texte\n2:d|e\nEND");
	/* Too many columns. */
	char many[300];
	for (int i = 0; i < 70; i++)
		memcpy(many + 2 * i, "x;", 2);
	many[140] = '\0';
	assert_string_equal(read_csv(write_text(fx, "many.csv", many), NULL, NULL),
			    "1:!plus de 64 colonnes\nEND");
	(void)state;
}

static void test_dates_and_names(void **state)
{
	long d;

	(void)state;
	assert_int_equal(ft_parse_date("17/10/2019", &d), 0);
	assert_int_equal(d, date_from_civil(2019, 10, 17));
	assert_int_equal(ft_parse_date("2019-10-17 00:00:00.0", &d), 0);
	assert_int_equal(d, date_from_civil(2019, 10, 17));
	assert_int_equal(ft_parse_date("2019-10-17", &d), 0);
	assert_int_equal(ft_parse_date("29/02/2017", &d), -1);
	assert_int_equal(ft_parse_date("2019-10-17x", &d), -1);
	assert_int_equal(ft_parse_date("", &d), -1);
	assert_string_equal(ft_state_from_name("/x/PE_Inscriptions_201712.csv"), "registered");
	assert_string_equal(ft_state_from_name("stock-2017-12.csv"), "registered");
	assert_string_equal(ft_state_from_name("CESSATIONS.csv"), "ceased");
	assert_string_equal(ft_state_from_name("radiations_déc.csv"), "removed");
	assert_null(ft_state_from_name("/inscriptions/liste.csv"));
	assert_null(ft_state_from_name("inscriptions-et-radiations.csv"));
}

/* ---- the import ----------------------------------------------------------- */

static int import_state(struct fixture *fx, const char *path, const char *state)
{
	struct ft_import_options opt = { state, "cli:test", NULL, NULL };

	memset(&fx->counts, 0, sizeof fx->counts);
	return ft_import_file(fx->tmp.db, path, &opt, &fx->counts, &fx->report);
}

static int import(struct fixture *fx, const char *path)
{
	return import_state(fx, path, NULL);
}

static void assert_counts(struct fixture *fx, long created, long updated, long unchanged,
			  long rejected, long unmatched)
{
	assert_int_equal(fx->counts.created, created);
	assert_int_equal(fx->counts.updated, updated);
	assert_int_equal(fx->counts.unchanged, unchanged);
	assert_int_equal(fx->counts.rejected, rejected);
	assert_int_equal(fx->counts.unmatched, unmatched);
}

/* One text of the first row of a query with one text parameter ("" when
 * there is no row, "NULL" for a null). */
static const char *text(struct fixture *fx, const char *sql, const char *arg)
{
	return fx_text(fx->tmp.db, sql, arg);
}

/* A person's periods as "start..end state category reason; …". */
static const char *history(struct fixture *fx, const char *person)
{
	return text(fx, "SELECT COALESCE(group_concat(start_date || '..' || COALESCE(end_date, '') || ' ' || "
			"state || ' ' || COALESCE(category, '-') || ' ' || COALESCE(reason, '-'), '; '), '') "
			"FROM (SELECT * FROM france_travail_period WHERE person = ? ORDER BY start_date)",
		    person);
}

static void test_matching(void **state)
{
	struct fixture *fx = *state;
	const char *path = write_text(
		fx, "inscriptions-2017-12.csv",
		/* Benoît by his NIR (13 characters given): his id is filled in. */
		"1800569381123;7654321B001;DUPONT;BENOIT;17/05/1980;04/12/2017;1;CAT 1;1800569381123\n"
		/* Zoé by her France Travail id. */
		";1234567A123;MARTIN;ZOE;28/02/1990;01/12/2017;;;\n"
		/* Claire by her birth name, first name and birth date. */
		";;MARTIN;CLAIRE;03/11/1982;05/12/2017;;;\n"
		/* Two Jean Petit born the same day: nobody is chosen. */
		";;PETIT;JEAN;01/01/1970;05/12/2017;;;\n"
		/* Nobody. */
		";9999999Z999;INCONNU;PERSONNE;01/01/1999;05/12/2017;;;\n"
		/* Benoît's NIR with Zoé's id: rejected. */
		"180056938112357;1234567A123;DUPONT;BENOIT;17/05/1980;06/12/2017;;;180056938112357\n");

	assert_int_equal(import(fx, path), 0);
	assert_counts(fx, 3, 0, 0, 1, 2);
	assert_string_equal(text(fx, "SELECT france_travail_id FROM person WHERE id = ?", "p-benoit"),
			    "7654321B001");
	assert_string_equal(history(fx, "p-benoit"), "2017-12-04.. registered - 1 - CAT 1");
	assert_string_equal(history(fx, "p-zoe"), "2017-12-01.. registered - -");
	assert_string_equal(history(fx, "p-claire"), "2017-12-05.. registered - -");
	assert_string_equal(history(fx, "p-jean-1"), "");
	/* The report keeps the unmatched and rejected lines. */
	assert_string_equal(text(fx, "SELECT group_concat(kind || ' ' || line || ' ' || identifier, "
				     "', ') FROM ft_import_rejection WHERE import_id = ?",
				 "1"),
			    "unmatched 4 PETIT JEAN 01/01/1970, unmatched 5 9999999Z999, "
			    "rejected 6 1234567A123");
	assert_string_equal(text(fx, "SELECT reason FROM ft_import_rejection WHERE line = 6", NULL),
			    "le NIR désigne p-benoit et l'identifiant France Travail p-zoe");
	assert_string_equal(text(fx, "SELECT field FROM ft_import_rejection WHERE line = 6", NULL),
			    "nir");
	assert_string_equal(text(fx, "SELECT content FROM ft_import_rejection WHERE line = 5", NULL),
			    ";9999999Z999;INCONNU;PERSONNE;01/01/1999;05/12/2017;;;");
	assert_string_equal(text(fx, "SELECT status || ' ' || shape || ' ' || state || ' ' || lines "
				     "|| ' ' || unmatched FROM ft_import",
				 NULL),
			    "done movement registered 6 2");
	/* Now found by the France Travail id filled in. */
	path = write_text(fx, "stock.csv",
			  ";7654321B001;DUPONT;BENOIT;17/05/1980;04/12/2017;1;CAT 1;\n");
	assert_int_equal(import(fx, path), 0);
	assert_counts(fx, 0, 0, 1, 0, 0);
}

static void test_history(void **state)
{
	struct fixture *fx = *state;
	const char *reg = write_text(fx, "inscriptions.csv",
				     ";1234567A123;MARTIN;ZOE;28/02/1990;01/03/2017;;;\n");
	const char *ces = write_text(fx, "cessations.csv",
				     ";1234567A123;MARTIN;ZOE;28/02/1990;15/06/2017;31;REPRISE "
				     "D'EMPLOI;\n");
	const char *rad = write_text(fx, "radiations.csv",
				     ";1234567A123;MARTIN;ZOE;28/02/1990;10/05/2017;;;\n");

	assert_int_equal(import(fx, reg), 0);
	assert_counts(fx, 1, 0, 0, 0, 0);
	/* A new state closes the open period the day before. */
	assert_int_equal(import(fx, ces), 0);
	assert_counts(fx, 1, 0, 0, 0, 0);
	assert_string_equal(history(fx, "p-zoe"), "2017-03-01..2017-06-14 registered - -; "
						  "2017-06-15.. ceased - 31 - REPRISE D'EMPLOI");
	/* Re-importing either file changes nothing. */
	assert_int_equal(import(fx, reg), 0);
	assert_counts(fx, 0, 0, 1, 0, 0);
	assert_int_equal(import(fx, ces), 0);
	assert_counts(fx, 0, 0, 1, 0, 0);
	/* A movement older than the open period is refused. */
	assert_int_equal(import(fx, rad), 0);
	assert_counts(fx, 0, 0, 0, 1, 0);
	assert_string_equal(text(fx, "SELECT field || ': ' || reason FROM ft_import_rejection "
				     "WHERE kind = 'rejected'",
				 NULL),
			    "date: antérieure au début (le 2017-06-15) de la période "
			    "ft-p-zoe-2017-06-15 : l'historique n'est pas réécrit");
	/* The same day with another state rewrites the period; --state
	 * overrides the name. */
	assert_int_equal(import_state(fx, ces, "removed"), 0);
	assert_counts(fx, 0, 1, 0, 0, 0);
	assert_string_equal(history(fx, "p-zoe"), "2017-03-01..2017-06-14 registered - -; "
						  "2017-06-15.. removed - 31 - REPRISE D'EMPLOI");
	/* A later registration. */
	reg = write_text(fx, "inscriptions-2.csv",
			 ";1234567A123;MARTIN;ZOE;28/02/1990;01/09/2017;;;\n");
	assert_int_equal(import(fx, reg), 0);
	assert_string_equal(history(fx, "p-zoe"),
			    "2017-03-01..2017-06-14 registered - -; 2017-06-15..2017-08-31 removed "
			    "- 31 - REPRISE D'EMPLOI; 2017-09-01.. registered - -");
}

static void test_bad_lines(void **state)
{
	struct fixture *fx = *state;
	const char *path = write_text(
		fx, "inscriptions.csv",
		";1234567A123;MARTIN;ZOE;28/02/1990;01/03/2017;;;\n"
		/* nir2 does not repeat the NIR. */
		"1800569381123;;DUPONT;BENOIT;17/05/1980;01/03/2017;;;1800569381124\n"
		/* No date, an impossible birth date, a bad identifier. */
		";12AB;X;Y;31/02/1980;;;;\n"
		/* Too few columns. */
		"a;b;c\n"
		/* A bad NIR key. */
		"180056938112358;;DUPONT;BENOIT;17/05/1980;01/03/2017;;;180056938112358\n"
		/* Benoît, taken after the bad lines. */
		"180056938112357;;DUPONT;BENOIT;17/05/1980;01/03/2017;;;180056938112357\n");

	assert_int_equal(import(fx, path), 0);
	assert_counts(fx, 2, 0, 0, 4, 0);
	assert_string_equal(text(fx, "SELECT group_concat(line || ' ' || COALESCE(field, '-'), ', ') "
				     "FROM ft_import_rejection",
				 NULL),
			    "2 nir2, 3 identifiantpe, 3 date, 3 dtnai, 4 -, 5 nir");
	assert_string_equal(history(fx, "p-benoit"), "2017-03-01.. registered - -");
}

static void test_no_state(void **state)
{
	struct fixture *fx = *state;
	const char *path = write_text(fx, "liste.csv",
				      ";1234567A123;MARTIN;ZOE;28/02/1990;01/03/2017;;;\n");

	assert_int_equal(import(fx, path), 1);
	assert_counts(fx, 0, 0, 0, 0, 0);
	assert_string_equal(text(fx, "SELECT status FROM ft_import", NULL), "refused");
	assert_string_equal(history(fx, "p-zoe"), "");
	assert_int_equal(import_state(fx, path, "registered"), 0);
	assert_counts(fx, 1, 0, 0, 0, 0);
}

static void test_movement_header_and_cp1252(void **state)
{
	struct fixture *fx = *state;
	/* A header, columns in another order, windows-1252, CRLF. */
	const char *path = write_text(
		fx, "radiations.csv",
		"identifiantpe;nir;nom;prenom;dtnai;date;code;motif;nir2;codeinsee;localite;adresse;ale\r\n"
		"1234567A123;;MARTIN;ZO\311;28/02/1990;02/01/2018;R1;ABSENCE \300 CONVOCATION;;"
		"69381;LYON;1 RUE X;ALE LYON\r\n");

	assert_int_equal(import(fx, path), 0);
	assert_counts(fx, 1, 0, 0, 0, 0);
	assert_string_equal(history(fx, "p-zoe"), "2018-01-02.. removed - R1 - ABSENCE À CONVOCATION");
	assert_string_equal(text(fx, "SELECT encoding FROM ft_import", NULL), "windows-1252");
}

/* The monthly extract's header (formats/README.md), then lines. */
#define PRINCIPAL_HEADER                                                                         \
	"identifiant_unique_de;civilite;nom;prenom;lieu_naissance;code_lieu_naissance;"          \
	"date_naissance;adresse_ligne2;adresse_ligne3;adresse_ligne4;adresse_ligne5;"            \
	"adresse_ligne6;departement;dr;rome_1;appelation_rome_1;rome_2;appelation_rome_2;"       \
	"mrech.axetravailprincipal;mrech.axetravailsecondaire;der_entretien_ppae;der_entretien;" \
	"inscription;code_motif_inscription;motif_inscription;categorie_inscription;"            \
	"struct_principale;referent_civilite;referent_nom;referent_prenom;referent_mail;"        \
	"code_safir;modalite_accompagnement;struct_suivi;suivi_debut;suivi_fin_prev;"            \
	"dif_financiere;dif_admin_jur;dif_sante;dif_logement;dif_transport;dif_inser_com;"       \
	"dif_familiale;brsa\n"
#define PRINCIPAL_LINE(id, nom, prenom, naissance, inscription, categorie)                      \
	id ";MME;" nom ";" prenom ";LYON;69123;" naissance " 00:00:00.0;NULL;NULL;1 RUE X;NULL;"   \
	   "69001 LYON;69;DR;K1303;Aide;NULL;NULL;NULL;NULL;NULL;NULL;" inscription " 00:00:00.0;" \
	   "11;FIN DE CONTRAT;" categorie ";AGENCE;MME;REF;R;r@example.org;69001;"             \
	   "RENFORCE;AGENCE;NULL;NULL;NON;NON;NON;NON;OUI;NON;NON;O\n"

static void test_principal(void **state)
{
	struct fixture *fx = *state;
	const char *path = write_text(
		fx, "extraction.csv",
		PRINCIPAL_HEADER PRINCIPAL_LINE("1234567A123", "MARTIN", "ZOE", "1990-02-28",
						"2017-10-17", "1")
			PRINCIPAL_LINE("X99", "Lefevre", "claire", "1982-11-03", "2017-11-02", "2")
				PRINCIPAL_LINE("X98", "NOBODY", "NO", "1982-11-03", "2017-11-02", "2")
					"1;2;3\n");

	/* --state does not apply: every line is a registration. */
	assert_int_equal(import_state(fx, path, "ceased"), 0);
	assert_counts(fx, 2, 0, 0, 1, 1);
	assert_string_equal(history(fx, "p-zoe"), "2017-10-17.. registered 1 11 - FIN DE CONTRAT");
	assert_string_equal(history(fx, "p-claire"),
			    "2017-11-02.. registered 2 11 - FIN DE CONTRAT");
	assert_string_equal(text(fx, "SELECT reason FROM ft_import_rejection WHERE kind = 'rejected'",
				 NULL),
			    "3 colonnes lues, l'en-tête en annonce 44");
	/* The next month: the category changed, nothing else. */
	path = write_text(fx, "extraction-2.csv",
			  PRINCIPAL_HEADER PRINCIPAL_LINE("1234567A123", "MARTIN", "ZOE", "1990-02-28",
							  "2017-10-17", "2"));
	assert_int_equal(import(fx, path), 0);
	assert_counts(fx, 0, 1, 0, 0, 0);
	assert_string_equal(history(fx, "p-zoe"), "2017-10-17.. registered 2 11 - FIN DE CONTRAT");
	/* A header without a needed column refuses the file. */
	path = write_text(fx, "extraction-3.csv", "identifiant_unique_de;nom;prenom\nX;Y;Z\n");
	assert_int_equal(import(fx, path), 1);
}

/* ---- the exchange format -------------------------------------------------- */

static void test_exchange_round_trip(void **state)
{
	struct fixture *fx = *state;
	static const char records[] =
		"{\"type\":\"france_travail_period\",\"id\":\"ft-1\",\"person\":\"p-zoe\","
		"\"start\":\"2017-01-01\",\"end\":\"2017-05-31\",\"state\":\"registered\","
		"\"category\":\"1\",\"reason\":\"11 - FIN DE CONTRAT\"}\n"
		"{\"type\":\"france_travail_period\",\"id\":\"ft-2\",\"person\":\"p-zoe\","
		"\"start\":\"2017-06-01\",\"state\":\"ceased\"}\n";
	struct import_options opt = { 0, "test", "cli" };
	struct import_result res;
	struct problems pb, warn;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	problems_init(&pb);
	problems_init(&warn);
	assert_int_equal(jsonl_import(fx->tmp.db, write_text(fx, "ft.jsonl", records), &opt, &pb, &warn,
				      &res),
			 0);
	f = open_memstream(&out, &len);
	assert_int_equal(jsonl_export(fx->tmp.db, "france_travail_period", f), 0);
	fclose(f);
	assert_string_equal(out, records);
	free(out);
	/* Overlapping periods, an unknown state, start after end: refused. */
	assert_int_equal(
		jsonl_import(fx->tmp.db,
			     write_text(fx, "bad.jsonl",
					"{\"type\":\"france_travail_period\",\"id\":\"ft-3\","
					"\"person\":\"p-zoe\",\"start\":\"2017-05-01\","
					"\"state\":\"registered\"}\n"
					"{\"type\":\"france_travail_period\",\"id\":\"ft-4\","
					"\"person\":\"p-benoit\",\"start\":\"2017-05-01\","
					"\"end\":\"2017-04-01\",\"state\":\"gone\"}\n"),
			     &opt, &pb, &warn, &res),
		1);
	assert_true(problems_count(&pb) >= 2);
	problems_release(&pb);
	problems_init(&pb);
	assert_int_equal(
		jsonl_import(fx->tmp.db,
			     write_text(fx, "bad2.jsonl",
					"{\"type\":\"france_travail_period\",\"id\":\"ft-3\","
					"\"person\":\"p-zoe\",\"start\":\"2017-05-01\","
					"\"state\":\"registered\"}\n"),
			     &opt, &pb, &warn, &res),
		1);
	out = json_dumps(pb.list, 0);
	assert_non_null(strstr(out, "chevauche"));
	free(out);
	problems_release(&pb);
	problems_release(&warn);
}

/* ---- the command ---------------------------------------------------------- */

static void test_command(void **state)
{
	struct fixture *fx = *state;
	struct cli c = { fx->tmp.path, fx->tmp.db, "cli:test" };
	char *argv[4];
	char last[256];

	argv[0] = (char *)write_text(fx, "inscriptions.csv",
				     ";1234567A123;MARTIN;ZOE;28/02/1990;01/03/2017;;;\n"
				     ";;NOBODY;X;01/01/1990;01/03/2017;;;\n");
	/* An unmatched line is reported, not a rejection. */
	assert_int_equal(fx_command(cmd_import_ft, &c, 1, argv, last, sizeof last), 0);
	assert_string_equal(last, "created 1, updated 0, unchanged 0, rejected 0\n");
	assert_non_null(strstr(text(fx, "SELECT detail FROM audit WHERE action = ?", "import-ft"),
			       "\"unmatched\":1"));
	argv[1] = "--state";
	argv[2] = "gone";
	assert_int_equal(cmd_import_ft(&c, 3, argv), EXIT_USAGE);
	assert_int_equal(cmd_import_ft(&c, 0, argv), EXIT_USAGE);
	argv[0] = "/nonexistent/inscriptions.csv";
	assert_int_equal(fx_command(cmd_import_ft, &c, 1, argv, NULL, 0), EXIT_FAILURE_);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_csv_quotes),
		T(test_csv_separators),
		T(test_csv_bom_crlf_blank),
		T(test_csv_windows_1252),
		T(test_csv_limits),
		cmocka_unit_test(test_dates_and_names),
		T(test_matching),
		T(test_history),
		T(test_bad_lines),
		T(test_no_state),
		T(test_movement_header_and_cp1252),
		T(test_principal),
		T(test_exchange_round_trip),
		T(test_command),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
