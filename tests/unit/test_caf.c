/*
 * Unit tests for the CAF/MSA flux (src/exchange/caf_xml.h, caf_import.h,
 * src/cli/cmd_import_caf.h): the streaming reader, the rules of
 * ../shared/formats/README.md ("How Parcours reads a flux") and the report.
 *
 * Each test gets a temporary directory with a fresh database. The sample
 * flux is read where it lies ($SHARED_DIR, default ../shared); the other
 * fluxes are written by the tests, in windows-1252 like the real ones
 * (accented letters are written as their windows-1252 bytes).
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
#include "cli/cli.h"
#include "cli/cmd_import_caf.h"
#include "db/db.h"
#include "exchange/caf_import.h"
#include "exchange/caf_xml.h"
#include "exchange/jsonl.h"
#include "fixture.h"
#include "model/problems.h"
#include "model/record.h"
#include "model/schema.h"

struct fixture {
	struct fx_db tmp;
	int files;
	struct caf_import_counts counts;
	long report;
	char *out, *err; /* what the last import printed */
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);

	if (!fx || fx_db_create(&fx->tmp, "caf")) {
		free(fx);
		return -1;
	}
	fx_today(2018, 12, 31);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	fx_db_remove(&fx->tmp);
	free(fx->out);
	free(fx->err);
	free(fx);
	return 0;
}

static const char *sample_path(void)
{
	static char path[512];
	const char *shared = getenv("SHARED_DIR");

	snprintf(path, sizeof path, "%s/formats/caf/RSABEM-sample.xml", shared ? shared : "../shared");
	return path;
}

static const char *xsd_path(void)
{
	static char path[512];
	const char *shared = getenv("SHARED_DIR");

	snprintf(path, sizeof path, "%s/formats/caf/vrsb0801.xsd", shared ? shared : "../shared");
	return path;
}

static const char *write_bytes(struct fixture *fx, const char *data, size_t n)
{
	char name[32];

	snprintf(name, sizeof name, "flux-%d.xml", ++fx->files);
	return fx_file(&fx->tmp, name, data, n);
}

/* ---- writing fluxes ------------------------------------------------------- */

/* One Personne; strings are windows-1252 bytes. NULL leaves an element out. */
struct tp {
	const char *role, *nom, *prenom, *dtnai, *nir, *sexe, *top;
	const char *nomnai; /* NULL: the same as NOM, as the CAF writes it */
};

/* One InfosFoyerRSA. */
struct th {
	const char *matricule, *etat, *dtdem, *dtclo;
	struct tp p[4];
	const char *numcom;
};

static void person_xml(struct buf *b, const struct tp *p)
{
	buf_addstr(b, "<Personne><Identification>");
	if (strcmp(p->role, "ENF"))
		buf_addf(b, "<QUAL>%s</QUAL>", p->sexe && !strcmp(p->sexe, "1") ? "MR" : "MME");
	if (p->nom)
		buf_addf(b, "<NOM>%s</NOM><NOMNAI>%s</NOMNAI>", p->nom, p->nomnai ? p->nomnai : p->nom);
	if (p->prenom)
		buf_addf(b, "<PRENOM>%s</PRENOM>", p->prenom);
	buf_addf(b, "<NOMCOMNAI>LYON</NOMCOMNAI><DTNAI>%s</DTNAI>", p->dtnai);
	if (p->nir)
		buf_addf(b, "<NIR>%s</NIR>", p->nir);
	buf_addf(b, "<SEXE>%s</SEXE></Identification>", p->sexe ? p->sexe : "2");
	buf_addstr(b, "<DossierCAF><TOPRESPDOS>0</TOPRESPDOS><DDRATDOS>2015-01-01</DDRATDOS></DossierCAF>");
	buf_addf(b, "<Prestations><NATPREST>PFA</NATPREST><ROLEPERS>%s</ROLEPERS><TOPCHAPERS>0</TOPCHAPERS>"
		    "</Prestations><Prestations><NATPREST>RSA</NATPREST><ROLEPERS>%s</ROLEPERS>"
		    "<TOPCHAPERS>1</TOPCHAPERS></Prestations>",
		 p->role, p->role);
	if (p->top)
		buf_addf(b, "<MontantCalculDroitRSAPersonne><TOPPERSDRODEVORSA>%s</TOPPERSDRODEVORSA>"
			    "</MontantCalculDroitRSAPersonne>",
			 p->top);
	buf_addstr(b, "</Personne>\n");
}

static void household_xml(struct buf *b, const struct th *h)
{
	buf_addf(b, "<InfosFoyerRSA>\n<IdentificationRSA><Organisme><FONORG>CAF</FONORG>"
		    "<NUMORG>691</NUMORG><MATRICULE>%s</MATRICULE></Organisme>"
		    "<Partenaire><TYPEPARTE>CG</TYPEPARTE><IDEPARTE>069</IDEPARTE></Partenaire>"
		    "<DemandeRSA>",
		 h->matricule);
	if (h->dtdem)
		buf_addf(b, "<DTDEMRSA>%s</DTDEMRSA>", h->dtdem);
	buf_addstr(b, "<NUMDEMRSA>69000000001</NUMDEMRSA></DemandeRSA></IdentificationRSA>\n");
	for (int i = 0; i < 4 && h->p[i].role; i++)
		person_xml(b, &h->p[i]);
	buf_addf(b, "<DonneesAdministratives><SituationFamille><SITFAM>CEL</SITFAM>"
		    "<DDSITFAM>2010-01-01</DDSITFAM></SituationFamille><Adresse><TroncCommunAdresse>"
		    "<RGADR>01</RGADR><PAYS>FRA</PAYS><TYPEADR>D</TYPEADR><ETATADR>CO</ETATADR>"
		    "</TroncCommunAdresse><AdresseDetailleeFrance><COMPLIDEADR /><COMPLADR />"
		    "<NUMVOIE>3</NUMVOIE><LIBTYPEVOIE>RUE</LIBTYPEVOIE><NOMVOIE>DE LA R\xc9PUBLIQUE"
		    "</NOMVOIE><LIEUDIST /><NUMCOM>%s</NUMCOM><CODEPOS>69001</CODEPOS>"
		    "<NOMCOM>LYON</NOMCOM></AdresseDetailleeFrance></Adresse></DonneesAdministratives>\n",
		 h->numcom ? h->numcom : "69381");
	buf_addf(b, "<PrestationRSA><SituationDossierRSA><EtatDossierRSA><ETATDOSRSA>%s</ETATDOSRSA>"
		    "</EtatDossierRSA>",
		 h->etat);
	if (h->dtclo)
		buf_addf(b, "<FinDroit><MOTICLORSA>PCG</MOTICLORSA><DTCLORSA>%s</DTCLORSA></FinDroit>",
			 h->dtclo);
	buf_addstr(b, "</SituationDossierRSA><DetailDroitRSA><TroncCommunDroitRSA>"
		      "<TOPSANSDOMFIXE>0</TOPSANSDOMFIXE><ORIDEMRSA>DEM</ORIDEMRSA></TroncCommunDroitRSA></DetailDroitRSA>"
		      "</PrestationRSA>\n</InfosFoyerRSA>\n");
}

/* A flux of n households; declared < 0 announces n in TransmissionFlux. */
static const char *flux(struct fixture *fx, const char *dtref, const struct th *h, size_t n,
			long declared)
{
	struct buf b;
	const char *path;

	buf_init(&b, 1 << 22);
	buf_addf(&b, "<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n<Racine>\n"
		     "<IdentificationFlux><APPLIEME>CRI</APPLIEME><NUMVERSIONAPPLIEME>6200"
		     "</NUMVERSIONAPPLIEME><TYPEFLUX>M</TYPEFLUX><NATFLUX>D</NATFLUX>"
		     "<DTCREAFLUX>2018-01-05</DTCREAFLUX><HEUCREAFLUX>01:18:36.0000</HEUCREAFLUX>"
		     "<DTREF>%s</DTREF></IdentificationFlux>\n",
		 dtref);
	for (size_t i = 0; i < n; i++)
		household_xml(&b, &h[i]);
	buf_addf(&b, "<TransmissionFlux><NBTOTDOSRSATRANSM>%08ld</NBTOTDOSRSATRANSM>"
		     "<NBTOTDOSRSATRANSMANO>00000000</NBTOTDOSRSATRANSMANO></TransmissionFlux>\n"
		     "</Racine>\n",
		 declared < 0 ? (long)n : declared);
	path = write_bytes(fx, b.data, b.len);
	buf_release(&b);
	return path;
}

/* Valid 13-character NIRs (nir_problem() checks their shape). */
#define NIR_ANNE "2800569123001"
#define NIR_BRUNO "1790369123002"
#define NIR_CLARA "2850769123003"

static struct th couple(const char *etat, const char *dtclo)
{
	struct th h = {
		"1234567", etat, "2017-11-20", dtclo,
		{ { "DEM", "L\xc9GER", "ANNE", "1980-05-17", NIR_ANNE, "2", "1", NULL },
		  { "CJT", "L\xc9GER", "BRUNO", "1979-03-02", NIR_BRUNO, "1", "0", NULL },
		  { "ENF", "L\xc9GER", "L\xc9O", "2012-09-09", NULL, "1", NULL, NULL } },
		NULL,
	};
	return h;
}

/* ---- running the import --------------------------------------------------- */

static int import_opts(struct fixture *fx, const char *path, int force, const char *xsd)
{
	struct caf_import_options opt = { force, xsd, "cli:test", NULL, NULL };
	size_t olen, elen;
	FILE *out, *err;
	int rc;

	free(fx->out);
	free(fx->err);
	out = open_memstream(&fx->out, &olen);
	err = open_memstream(&fx->err, &elen);
	assert_non_null(out);
	assert_non_null(err);
	opt.out = out;
	opt.err = err;
	memset(&fx->counts, 0, sizeof fx->counts);
	rc = caf_import_file(fx->tmp.db, path, &opt, &fx->counts, &fx->report);
	fclose(out);
	fclose(err);
	return rc;
}

static int import(struct fixture *fx, const char *path)
{
	return import_opts(fx, path, 0, NULL);
}

static void assert_counts(struct fixture *fx, long created, long updated, long unchanged,
			  long rejected)
{
	if (fx->counts.created != created || fx->counts.updated != updated ||
	    fx->counts.unchanged != unchanged || fx->counts.rejected != rejected)
		fail_msg("expected created %ld, updated %ld, unchanged %ld, rejected %ld; got %ld, "
			 "%ld, %ld, %ld\nstdout: %s\nstderr: %s",
			 created, updated, unchanged, rejected, fx->counts.created,
			 fx->counts.updated, fx->counts.unchanged, fx->counts.rejected, fx->out,
			 fx->err);
}

static int64_t count(struct fixture *fx, const char *sql, const char *arg)
{
	return fx_int(fx->tmp.db, sql, arg);
}

/* A text column of the first row of a query with one text parameter
 * (malloc'd, or NULL). */
static char *text(struct fixture *fx, const char *sql, const char *arg)
{
	struct db_stmt *st;
	char *v = NULL;

	assert_int_equal(db_prepare(fx->tmp.db, &st, sql), 0);
	if (arg)
		db_bind_text(st, 1, arg);
	if (db_step(st) == DB_ROW && db_col_text(st, 0))
		v = strdup(db_col_text(st, 0));
	db_finalize(st);
	return v;
}

static void assert_text(struct fixture *fx, const char *sql, const char *arg, const char *want)
{
	char *got = text(fx, sql, arg);

	if (!got || strcmp(got, want))
		fail_msg("%s [%s]: expected «%s», got «%s»", sql, arg ? arg : "", want,
			 got ? got : "(null)");
	free(got);
}

/* The right periods of a person as "start..end:state:duties;" */
static char *periods(struct fixture *fx, const char *person)
{
	struct db_stmt *st;
	struct buf b;
	char *s;

	buf_init(&b, 4096);
	assert_int_equal(db_prepare(fx->tmp.db, &st,
				    "SELECT start_date, COALESCE(end_date, ''), state, subject_to_duties "
				    "FROM right_period WHERE person = ? ORDER BY start_date"),
			 0);
	db_bind_text(st, 1, person);
	while (db_step(st) == DB_ROW)
		buf_addf(&b, "%s..%s:%s:%d;", db_col_text(st, 0), db_col_text(st, 1),
			 db_col_text(st, 2), (int)db_col_int(st, 3));
	db_finalize(st);
	s = buf_detach(&b, NULL);
	return s;
}

static void assert_periods(struct fixture *fx, const char *person, const char *want)
{
	char *got = periods(fx, person);

	if (strcmp(got, want))
		fail_msg("periods of %s: expected %s, got %s", person, want, got);
	free(got);
}

/* ---- the reader ----------------------------------------------------------- */

static void test_reader_sample(void **state)
{
	struct caf_reader *r;
	const struct caf_household *hh;
	char err[300];
	const struct caf_flux_header *h;

	(void)state;
	assert_int_equal(caf_reader_open(&r, sample_path(), NULL, err, sizeof err), 0);
	assert_int_equal(caf_reader_next(r, &hh), CAF_HOUSEHOLD);
	h = caf_reader_header(r);
	assert_string_equal(h->dtref, "2022-02-28");
	assert_string_equal(h->typeflux, "M");
	assert_int_equal(hh->position, 1);
	assert_int_equal(hh->line, 13);
	assert_string_equal(hh->fonorg, "CAF");
	assert_string_equal(hh->numorg, "521");
	assert_string_equal(hh->matricule, "205599000000000");
	assert_string_equal(hh->etatdosrsa, "5");
	assert_string_equal(hh->dtclorsa, "2021-11-30");
	assert_string_equal(hh->dtdemrsa, "2018-08-06");
	assert_string_equal(hh->address.numcom, "92044");
	assert_int_equal(hh->npersons, 2);
	assert_string_equal(hh->persons[0].nom, "TIFOUR");
	assert_string_equal(hh->persons[0].nir, "2820251108030");
	assert_string_equal(hh->persons[0].role_rsa, "CJT");
	assert_string_equal(hh->persons[0].top_sdd, "1");
	assert_string_equal(hh->persons[1].top_sdd, "0");
	assert_int_equal(hh->nproblems, 0);
	/* The XML is read again only when asked (a rejected household). */
	assert_int_equal(hh->fragment.len, 0);
	assert_non_null(strstr(caf_reader_fragment(r), "<MATRICULE>205599000000000</MATRICULE>"));
	assert_int_equal(caf_reader_next(r, &hh), CAF_HOUSEHOLD);
	assert_string_equal(hh->etatdosrsa, "4");
	assert_string_equal(hh->dtclorsa, "");
	assert_int_equal(caf_reader_next(r, &hh), CAF_END);
	assert_int_equal(h->declared, 1);
	assert_int_equal(h->households, 2);
	caf_reader_close(r);
}

/* windows-1252 comes out as UTF-8, œ (0x9C, not in Latin-1) included. */
static void test_reader_windows_1252(void **state)
{
	static const char xml[] =
		"<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n<Racine><IdentificationFlux>"
		"<DTREF>2018-01-31</DTREF></IdentificationFlux><InfosFoyerRSA><Personne>"
		"<Identification><NOM>\xc9L\xc8VE</NOM><PRENOM>FRAN\xc7OISE</PRENOM>"
		"<NOMNAI>C\x9cUR \x80</NOMNAI></Identification></Personne></InfosFoyerRSA></Racine>";
	struct caf_reader *r;
	const struct caf_household *hh;
	char err[300];

	(void)state;
	assert_int_equal(caf_reader_open_memory(&r, xml, sizeof xml - 1, NULL, err, sizeof err), 0);
	assert_int_equal(caf_reader_next(r, &hh), CAF_HOUSEHOLD);
	assert_string_equal(hh->persons[0].nom, "\xc3\x89L\xc3\x88VE");              /* ÉLÈVE */
	assert_string_equal(hh->persons[0].prenom, "FRAN\xc3\x87OISE");             /* FRANÇOISE */
	assert_string_equal(hh->persons[0].nomnai, "C\xc5\x93UR \xe2\x82\xac");      /* CŒUR € */
	assert_non_null(strstr(caf_reader_fragment(r), "\xc3\x89L\xc3\x88VE"));
	assert_int_equal(caf_reader_next(r, &hh), CAF_END);
	caf_reader_close(r);
}

static void test_reader_limits(void **state)
{
	struct caf_reader *r;
	const struct caf_household *hh;
	char err[300];
	struct buf b;

	(void)state;
	/* Deeper than CAF_MAX_DEPTH: stops cleanly. */
	buf_init(&b, 1 << 20);
	buf_addstr(&b, "<?xml version=\"1.0\"?><Racine><InfosFoyerRSA>");
	for (int i = 0; i < 200; i++)
		buf_addstr(&b, "<a>");
	for (int i = 0; i < 200; i++)
		buf_addstr(&b, "</a>");
	buf_addstr(&b, "</InfosFoyerRSA></Racine>");
	assert_int_equal(caf_reader_open_memory(&r, b.data, b.len, NULL, err, sizeof err), 0);
	assert_int_equal(caf_reader_next(r, &hh), CAF_ERROR);
	assert_non_null(strstr(caf_reader_error(r), "niveaux"));
	assert_int_equal(caf_reader_next(r, &hh), CAF_ERROR);
	caf_reader_close(r);
	buf_reset(&b);

	/* Entity expansion ("billion laughs"): libxml2's limits stop it. */
	buf_addstr(&b, "<?xml version=\"1.0\"?><!DOCTYPE Racine [<!ENTITY a \"aaaaaaaaaa\">");
	for (int i = 1; i < 10; i++) {
		buf_addf(&b, "<!ENTITY %c \"", 'a' + i);
		for (int k = 0; k < 10; k++)
			buf_addf(&b, "&%c;", 'a' + i - 1);
		buf_addstr(&b, "\">");
	}
	buf_addstr(&b, "]><Racine><InfosFoyerRSA><Personne><Identification><NOM>&j;</NOM>"
		       "</Identification></Personne></InfosFoyerRSA></Racine>");
	assert_int_equal(caf_reader_open_memory(&r, b.data, b.len, NULL, err, sizeof err), 0);
	assert_int_equal(caf_reader_next(r, &hh), CAF_ERROR);
	assert_true(caf_reader_error(r)[0] != '\0');
	caf_reader_close(r);
	buf_reset(&b);

	/* A value longer than the field: the household's problem, not a crash. */
	buf_addstr(&b, "<?xml version=\"1.0\"?><Racine><InfosFoyerRSA><IdentificationRSA><Organisme>"
		       "<MATRICULE>");
	for (int i = 0; i < 5000; i++)
		buf_addch(&b, '1');
	buf_addstr(&b, "</MATRICULE></Organisme></IdentificationRSA></InfosFoyerRSA></Racine>");
	assert_int_equal(caf_reader_open_memory(&r, b.data, b.len, NULL, err, sizeof err), 0);
	assert_int_equal(caf_reader_next(r, &hh), CAF_HOUSEHOLD);
	assert_int_equal(hh->nproblems, 1);
	assert_string_equal(hh->problems[0].field, "MATRICULE");
	assert_int_equal(caf_reader_next(r, &hh), CAF_END);
	caf_reader_close(r);

	/* Not the flux's root. */
	assert_int_equal(caf_reader_open_memory(&r, "<html/>", 7, NULL, err, sizeof err), 0);
	assert_int_equal(caf_reader_next(r, &hh), CAF_ERROR);
	assert_non_null(strstr(caf_reader_error(r), "Racine"));
	caf_reader_close(r);
	buf_release(&b);
}

/* A reading thread hands out the same households, in the same order, as
 * the caller's own reading (more than the ring holds, a rejected one's XML
 * read again); closing before the end stops the thread. */
static void test_reader_threaded(void **state)
{
	struct caf_reader_options plain = { NULL, 0 }, threaded = { NULL, 1 };
	struct caf_reader *a, *b;
	const struct caf_household *x, *y;
	char err[300], mat[200][16];
	struct buf xml;
	int ra, rb;

	(void)state;
	buf_init(&xml, 1 << 22);
	buf_addstr(&xml, "<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n<Racine>"
			 "<IdentificationFlux><DTREF>2018-01-31</DTREF></IdentificationFlux>\n");
	for (int i = 0; i < 200; i++) {
		snprintf(mat[i], sizeof mat[i], "%d", 5000000 + i);
		buf_addf(&xml, "<InfosFoyerRSA><IdentificationRSA><Organisme><FONORG>CAF</FONORG>"
			       "<MATRICULE>%s</MATRICULE></Organisme></IdentificationRSA><Personne>"
			       "<Identification><NOM>V\xc9RON %d</NOM></Identification></Personne>"
			       "</InfosFoyerRSA>\n", mat[i], i);
	}
	buf_addstr(&xml, "</Racine>\n");
	assert_int_equal(caf_reader_open_memory(&a, xml.data, xml.len, &plain, err, sizeof err), 0);
	assert_int_equal(caf_reader_open_memory(&b, xml.data, xml.len, &threaded, err, sizeof err),
			 0);
	for (int i = 0;; i++) {
		ra = caf_reader_next(a, &x);
		rb = caf_reader_next(b, &y);
		assert_int_equal(ra, rb);
		if (ra != CAF_HOUSEHOLD)
			break;
		assert_int_equal(y->position, i + 1);
		assert_string_equal(y->matricule, mat[i]);
		assert_string_equal(y->persons[0].nom, x->persons[0].nom);
		assert_int_equal(y->line, x->line);
		if (i % 50 == 7)
			assert_string_equal(caf_reader_fragment(b), caf_reader_fragment(a));
	}
	assert_int_equal(rb, CAF_END);
	assert_int_equal(caf_reader_header(b)->households, 200);
	caf_reader_close(a);
	caf_reader_close(b);
	/* Closed after one household: the thread waits on a full ring. */
	assert_int_equal(caf_reader_open_memory(&b, xml.data, xml.len, &threaded, err, sizeof err),
			 0);
	assert_int_equal(caf_reader_next(b, &y), CAF_HOUSEHOLD);
	caf_reader_close(b);
	buf_release(&xml);
}

/* ---- the rules ------------------------------------------------------------ */

static void test_sample_import(void **state)
{
	struct fixture *fx = *state;
	char *w;

	assert_int_equal(import(fx, sample_path()), 0);
	assert_counts(fx, 2, 0, 0, 0);
	assert_int_equal(fx->counts.people, 3);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM household WHERE id = ?",
			       "caf-CAF-205599000000000"), 1);
	assert_text(fx, "SELECT household FROM person WHERE id = ?", "nir-2820251108030",
		    "caf-CAF-205599000000000");
	assert_text(fx, "SELECT address FROM person WHERE id = ?", "nir-2820251108030",
		    "25 RUE HENRI BARBUSSE, 92300 LEVALLOIS PERRET");
	/* First seen: the first period starts on DTDEMRSA. */
	assert_periods(fx, "nir-2820251108030", "2018-08-06..:5:1;");
	assert_periods(fx, "nir-1770393050005", "2018-08-06..:5:0;");
	assert_periods(fx, "nir-2730799404078", "2018-08-06..:4:1;");
	/* The sample counts 1 household for 2 and has no DEM: warnings, taken. */
	w = text(fx, "SELECT warnings FROM caf_import WHERE id = 1", NULL);
	assert_non_null(w);
	assert_non_null(strstr(w, "TransmissionFlux annonce 1 foyer(s), le fichier en contient 2"));
	assert_non_null(strstr(w, "sans DEM"));
	free(w);
	assert_non_null(strstr(fx->err, "warning: TransmissionFlux"));
	assert_text(fx, "SELECT last_dtref FROM caf_paying_body WHERE paying_body = ?", "CAF 521",
		    "2022-02-28");
	assert_text(fx, "SELECT status || ' ' || dtref || ' ' || paying_body FROM caf_import", NULL,
		    "done 2022-02-28 CAF 521");

	/* Re-importing the same file changes nothing. */
	assert_int_equal(import(fx, sample_path()), 0);
	assert_counts(fx, 0, 0, 2, 0);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM right_period", NULL), 3);
	assert_int_equal(count(fx, "SELECT MAX(version) FROM person", NULL), 1);
}

static void test_sample_validated(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(import_opts(fx, sample_path(), 0, xsd_path()), 0);
	assert_counts(fx, 2, 0, 0, 0);
	/* A schema that cannot be read stops before anything is written. */
	assert_int_equal(import_opts(fx, sample_path(), 0, "/nonexistent.xsd"), -1);
	assert_non_null(strstr(fx->err, "/nonexistent.xsd"));
}

static void test_accents(void **state)
{
	struct fixture *fx = *state;
	struct th h = couple("2", NULL);

	h.p[0].nom = "C\x9cUR-\xc9TIENNE";
	h.p[0].prenom = "FRAN\xc7OISE";
	h.p[1].prenom = "J\xc9R\xd4ME";
	h.p[1].nomnai = "M\xdcLLER";
	assert_int_equal(import(fx, flux(fx, "2018-01-31", &h, 1, -1)), 0);
	assert_counts(fx, 1, 0, 0, 0);
	assert_text(fx, "SELECT last_name FROM person WHERE id = ?", "nir-" NIR_ANNE,
		    "C\xc5\x93UR-\xc3\x89TIENNE");
	assert_text(fx, "SELECT first_name FROM person WHERE id = ?", "nir-" NIR_ANNE,
		    "FRAN\xc3\x87OISE");
	assert_text(fx, "SELECT first_name FROM person WHERE id = ?", "nir-" NIR_BRUNO,
		    "J\xc3\x89R\xc3\x94ME");
	/* The search key folds them: "coeur etienne françoise" finds her. */
	assert_text(fx, "SELECT search_key FROM person WHERE id = ?", "nir-" NIR_ANNE,
		    "coeur etienne francoise");
	/* NOMNAI is kept only when it is not NOM. */
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM person WHERE id = ? AND birth_name IS NULL",
			       "nir-" NIR_ANNE), 1);
	assert_text(fx, "SELECT birth_name FROM person WHERE id = ?", "nir-" NIR_BRUNO,
		    "M\xc3\x9cLLER");
	/* The child has no NIR: caf-<MATRICULE>-<n>, and no right period. */
	assert_text(fx, "SELECT first_name FROM person WHERE id = ?", "caf-1234567-1",
		    "L\xc3\x89O");
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM right_period WHERE person = ?",
			       "caf-1234567-1"), 0);
}

/* A changed ETATDOSRSA or TOPPERSDRODEVORSA ends the open period on the day
 * before DTREF's month and opens one on its first day; unchanged values
 * write nothing. */
static void test_state_change(void **state)
{
	struct fixture *fx = *state;
	struct th h = couple("2", NULL);

	assert_int_equal(import(fx, flux(fx, "2018-01-31", &h, 1, -1)), 0);
	assert_periods(fx, "nir-" NIR_ANNE, "2017-11-20..:2:1;");
	assert_periods(fx, "nir-" NIR_BRUNO, "2017-11-20..:2:0;");

	/* February: the right is suspended (4); Bruno's duties unchanged. */
	h.etat = "4";
	assert_int_equal(import(fx, flux(fx, "2018-02-28", &h, 1, -1)), 0);
	assert_counts(fx, 0, 1, 0, 0);
	assert_periods(fx, "nir-" NIR_ANNE, "2017-11-20..2018-01-31:2:1;2018-02-01..:4:1;");
	assert_periods(fx, "nir-" NIR_BRUNO, "2017-11-20..2018-01-31:2:0;2018-02-01..:4:0;");

	/* March: same state, Bruno becomes subject to duties: only his changes. */
	h.p[1].top = "1";
	assert_int_equal(import(fx, flux(fx, "2018-03-31", &h, 1, -1)), 0);
	assert_counts(fx, 0, 1, 0, 0);
	assert_periods(fx, "nir-" NIR_ANNE, "2017-11-20..2018-01-31:2:1;2018-02-01..:4:1;");
	assert_periods(fx, "nir-" NIR_BRUNO,
		       "2017-11-20..2018-01-31:2:0;2018-02-01..2018-02-28:4:0;2018-03-01..:4:1;");

	/* The same flux again: unchanged, nothing written. */
	assert_int_equal(import(fx, flux(fx, "2018-03-31", &h, 1, -1)), 0);
	assert_counts(fx, 0, 0, 1, 0);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM right_period", NULL), 5);
}

/* A closing date in DTREF's month: the new period starts the day after. */
static void test_closing_date(void **state)
{
	struct fixture *fx = *state;
	struct th h = couple("2", NULL);

	assert_int_equal(import(fx, flux(fx, "2018-01-31", &h, 1, -1)), 0);
	h.etat = "5";
	h.dtclo = "2018-02-10";
	assert_int_equal(import(fx, flux(fx, "2018-02-28", &h, 1, -1)), 0);
	assert_periods(fx, "nir-" NIR_ANNE, "2017-11-20..2018-02-10:2:1;2018-02-11..:5:1;");
	/* A closing date outside the month does not move the boundary. */
	h.etat = "6";
	h.dtclo = "2018-02-10";
	assert_int_equal(import(fx, flux(fx, "2018-03-31", &h, 1, -1)), 0);
	assert_periods(fx, "nir-" NIR_ANNE,
		       "2017-11-20..2018-02-10:2:1;2018-02-11..2018-02-28:5:1;2018-03-01..:6:1;");
}

/* Without DTDEMRSA the first period starts on the first day of DTREF's month. */
static void test_first_period_without_request(void **state)
{
	struct fixture *fx = *state;
	struct th h = couple("3", NULL);

	h.dtdem = NULL;
	assert_int_equal(import(fx, flux(fx, "2018-01-31", &h, 1, -1)), 0);
	assert_periods(fx, "nir-" NIR_ANNE, "2018-01-01..:3:1;");
}

/* An older DTREF is refused; --force takes it and says what it changed. */
static void test_older_flux(void **state)
{
	struct fixture *fx = *state;
	struct th h = couple("2", NULL);
	const char *march, *feb;

	march = strdup(flux(fx, "2018-03-31", &h, 1, -1));
	assert_int_equal(import(fx, march), 0);
	h.etat = "4";
	feb = strdup(flux(fx, "2018-02-28", &h, 1, -1));
	assert_int_equal(import(fx, feb), 1);
	assert_counts(fx, 0, 0, 0, 0);
	assert_non_null(strstr(fx->err, "refused"));
	assert_non_null(strstr(fx->err, "2018-03-31"));
	assert_periods(fx, "nir-" NIR_ANNE, "2017-11-20..:2:1;");
	assert_text(fx, "SELECT status FROM caf_import WHERE id = 2", NULL, "refused");

	assert_int_equal(import_opts(fx, feb, 1, NULL), 0);
	assert_counts(fx, 0, 1, 0, 0);
	assert_periods(fx, "nir-" NIR_ANNE, "2017-11-20..2018-01-31:2:1;2018-02-01..:4:1;");
	assert_non_null(strstr(fx->out, "--force: changed right_period rp-nir-" NIR_ANNE
					 "-2017-11-20: end: (absent) -> 2018-01-31"));
	assert_non_null(strstr(fx->out, "--force: created right_period rp-nir-" NIR_ANNE
					 "-2018-02-01"));
	assert_text(fx, "SELECT forced FROM caf_import WHERE id = 3", NULL, "1");
	/* The newest DTREF stays the reference. */
	assert_text(fx, "SELECT last_dtref FROM caf_paying_body WHERE paying_body = ?", "CAF 691",
		    "2018-03-31");
	free((char *)march);
	free((char *)feb);
}

/* A bad household in the middle is rejected, reported with its XML, and
 * the others are taken. */
static void test_bad_household_in_the_middle(void **state)
{
	struct fixture *fx = *state;
	struct th h[3] = { couple("2", NULL), couple("2", NULL), couple("2", NULL) };
	char *frag;

	h[1].matricule = "2222222";
	h[1].p[0].nir = "2800569999991";
	h[1].p[1].nir = "1790369999992";
	h[1].p[0].sexe = "9";          /* not a sex */
	h[1].p[1].dtnai = "1979-02-30"; /* not a day */
	h[2].matricule = "3333333";
	h[2].p[0].nir = "2800569888881";
	h[2].p[1].nir = "1790369888882";
	assert_int_equal(import(fx, flux(fx, "2018-01-31", h, 3, -1)), 0);
	assert_counts(fx, 2, 0, 0, 1);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM household", NULL), 2);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM household WHERE caf_number = ?", "2222222"),
			 0);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM person WHERE nir LIKE '2800569999991%'",
			       NULL), 0);
	/* The report: position, line, MATRICULE, the flux's field names. */
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM caf_import_rejection WHERE position = 2 "
				   "AND identifier = '2222222' AND field = ?", "SEXE"), 1);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM caf_import_rejection WHERE position = 2 "
				   "AND field = ?", "DTNAI"), 1);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM caf_import_rejection WHERE line > 0", NULL),
			 2);
	frag = text(fx, "SELECT fragment FROM caf_import_rejection WHERE seq = 1", NULL);
	assert_non_null(frag);
	assert_true(strncmp(frag, "<InfosFoyerRSA>", 15) == 0);
	assert_non_null(strstr(frag, "<MATRICULE>2222222</MATRICULE>"));
	assert_non_null(strstr(frag, "L\xc3\x89GER")); /* UTF-8 */
	free(frag);
	assert_non_null(strstr(fx->err, "household 2 (MATRICULE 2222222): SEXE:"));
	assert_text(fx, "SELECT rejected || '/' || created FROM caf_import", NULL, "1/2");
}

/* XSD validity errors reject their own household only. */
static void test_validation_errors(void **state)
{
	struct fixture *fx = *state;
	struct th h[3] = { couple("2", NULL), couple("2", NULL), couple("2", NULL) };
	const char *path;

	h[1].matricule = "2222222";
	h[1].p[0].nir = "2800569999991";
	h[1].p[1].nir = "1790369999992";
	h[1].p[0].sexe = "22"; /* maxLength 1 */
	h[2].matricule = "3333333";
	h[2].p[0].nir = "2800569888881";
	h[2].p[1].nir = "1790369888882";
	path = flux(fx, "2018-01-31", h, 3, -1);
	assert_int_equal(import_opts(fx, path, 0, xsd_path()), 0);
	assert_counts(fx, 2, 0, 0, 1);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM caf_import_rejection WHERE position = 2 "
				   "AND field = 'SEXE' AND reason LIKE '%maxLength%'", NULL), 1);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM caf_import_rejection WHERE position <> 2",
			       NULL), 0);
}

/* A document that breaks part-way: what was read before is taken (the
 * parser reads a few kilobytes ahead, so the household or two just before
 * the break may be lost with it: they are in no count but the rest's). */
static void test_broken_document(void **state)
{
	struct fixture *fx = *state;
	struct th h[10];
	char mat[10][16], nir[10][2][16];
	struct buf b;
	FILE *f;
	const char *path;
	char *data;
	size_t n;
	long taken;

	for (int i = 0; i < 10; i++) {
		h[i] = couple("2", NULL);
		snprintf(mat[i], sizeof mat[i], "%d", 1000000 + i);
		snprintf(nir[i][0], sizeof nir[i][0], "28005691230%02d", i);
		snprintf(nir[i][1], sizeof nir[i][1], "17903691230%02d", 50 + i);
		h[i].matricule = mat[i];
		h[i].p[0].nir = nir[i][0];
		h[i].p[1].nir = nir[i][1];
	}
	path = flux(fx, "2018-01-31", h, 10, -1);
	/* Cut the file in the middle of the last household. */
	f = fopen(path, "rb");
	assert_non_null(f);
	data = calloc(1, 1 << 20);
	n = fread(data, 1, (1 << 20) - 1, f);
	fclose(f);
	assert_true(n > 0);
	buf_init(&b, 1 << 20);
	buf_add(&b, data, (size_t)(strstr(data, "<MATRICULE>1000009") - data));
	free(data);
	path = write_bytes(fx, b.data, b.len);
	buf_release(&b);
	assert_int_equal(import(fx, path), 1);
	assert_true(fx->counts.created >= 5 && fx->counts.created <= 9);
	assert_int_equal(fx->counts.rejected, 1);
	assert_non_null(strstr(fx->err, "stopped"));
	assert_text(fx, "SELECT status FROM caf_import", NULL, "broken");
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM caf_import_rejection", NULL), 1);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM household", NULL), fx->counts.created);
	/* The whole file, once repaired, takes the rest; what was taken is
	 * unchanged. */
	taken = fx->counts.created;
	path = flux(fx, "2018-01-31", h, 10, -1);
	assert_int_equal(import(fx, path), 0);
	assert_counts(fx, 10 - taken, 0, taken, 0);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM household", NULL), 10);
}

static void test_count_mismatch_and_no_dem(void **state)
{
	struct fixture *fx = *state;
	struct th h = couple("2", NULL);
	char *w;

	h.p[0].role = "CJT"; /* no DEM, as in the sample */
	assert_int_equal(import(fx, flux(fx, "2018-01-31", &h, 1, 7)), 0);
	assert_counts(fx, 1, 0, 0, 0);
	w = text(fx, "SELECT warnings FROM caf_import", NULL);
	assert_non_null(strstr(w, "TransmissionFlux annonce 7 foyer(s), le fichier en contient 1"));
	assert_non_null(strstr(w, "1 foyer(s) sans DEM"));
	free(w);
	assert_periods(fx, "nir-" NIR_ANNE, "2017-11-20..:2:1;");
}

/* An external entity is never read: its household is refused and the
 * file's content appears nowhere. */
static void test_external_entity(void **state)
{
	struct fixture *fx = *state;
	struct th h = couple("2", NULL);
	struct buf b;
	const char *path;
	char *all, *p;
	FILE *f;
	size_t len;

	path = flux(fx, "2018-01-31", &h, 1, -1);
	f = fopen(path, "rb");
	assert_non_null(f);
	all = calloc(1, 1 << 20);
	len = fread(all, 1, (1 << 20) - 1, f);
	fclose(f);
	buf_init(&b, 1 << 21);
	p = strstr(all, "?>") + 2;
	buf_add(&b, all, (size_t)(p - all));
	buf_addstr(&b, "\n<!DOCTYPE Racine [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>");
	p = strstr(all, "<NOM>L\xc9GER</NOM>");
	buf_add(&b, strstr(all, "?>") + 2, (size_t)(p - strstr(all, "?>") - 2));
	buf_addstr(&b, "<NOM>&x;</NOM>");
	buf_addstr(&b, p + strlen("<NOM>L\xc9GER</NOM>"));
	(void)len;
	free(all);
	path = write_bytes(fx, b.data, b.len);
	buf_release(&b);

	assert_int_equal(import(fx, path), 0);
	assert_counts(fx, 0, 0, 0, 1);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM person", NULL), 0);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM caf_import_rejection WHERE "
				   "fragment LIKE '%root:%' OR reason LIKE '%root:%'", NULL), 0);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM caf_import_rejection WHERE "
				   "fragment LIKE '%<NOM>&x;</NOM>%'", NULL), 1);
	assert_null(strstr(fx->err, "root:"));
	/* With the XSD too (the validator walks the document differently). */
	assert_int_equal(import_opts(fx, path, 0, xsd_path()), 0);
	assert_counts(fx, 0, 0, 0, 1);
	assert_null(strstr(fx->err, "root:"));
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM person", NULL), 0);
}

/* An entity's replacement text is never taken, even one that holds a
 * whole household and is referenced twice (libxml2 parses it again at each
 * reference to check it); its references are the problem of where they
 * stand. */
static void test_internal_entity_content(void **state)
{
	struct fixture *fx = *state;
	struct th h = couple("2", NULL);
	struct buf b;
	char *all, *p;
	FILE *f;
	const char *path;
	size_t len;

	path = flux(fx, "2018-01-31", &h, 1, -1);
	f = fopen(path, "rb");
	assert_non_null(f);
	all = calloc(1, 1 << 20);
	len = fread(all, 1, (1 << 20) - 1, f);
	fclose(f);
	(void)len;
	buf_init(&b, 1 << 21);
	p = strstr(all, "?>") + 2;
	buf_add(&b, all, (size_t)(p - all));
	buf_addstr(&b, "\n<!DOCTYPE Racine [<!ENTITY hh \"<InfosFoyerRSA><IdentificationRSA><Organisme>"
		       "<FONORG>CAF</FONORG><MATRICULE>999999999999999</MATRICULE></Organisme>"
		       "</IdentificationRSA><PrestationRSA><SituationDossierRSA><EtatDossierRSA>"
		       "<ETATDOSRSA>2</ETATDOSRSA></EtatDossierRSA></SituationDossierRSA></PrestationRSA>"
		       "</InfosFoyerRSA>\">]>");
	/* Referenced twice between the header and the household. */
	buf_add(&b, p, (size_t)(strstr(all, "<InfosFoyerRSA>") - p));
	buf_addstr(&b, "&hh;\n&hh;\n");
	buf_addstr(&b, strstr(all, "<InfosFoyerRSA>"));
	free(all);
	path = write_bytes(fx, b.data, b.len);
	buf_release(&b);

	assert_int_equal(import(fx, path), 0);
	assert_counts(fx, 1, 0, 0, 0);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM household WHERE caf_number = ?",
			       "999999999999999"), 0);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM household", NULL), 1);
	/* With the schema in front of the callbacks too. */
	assert_int_equal(import_opts(fx, path, 0, xsd_path()), 0);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM household", NULL), 1);
}

/* DTREF must come before the first household, whatever the reading
 * thread has read by the time the household is applied. */
static void test_late_header(void **state)
{
	struct fixture *fx = *state;
	struct th h[3] = { couple("2", NULL), couple("2", NULL), couple("2", NULL) };
	struct buf b;
	char *all, *head, *first;
	FILE *f;
	const char *path;

	h[1].matricule = "2222222";
	h[1].p[0].nir = "2800569999991";
	h[1].p[1].nir = "1790369999992";
	h[2].matricule = "3333333";
	h[2].p[0].nir = "2800569888881";
	h[2].p[1].nir = "1790369888882";
	path = flux(fx, "2018-01-31", h, 3, -1);
	f = fopen(path, "rb");
	assert_non_null(f);
	all = calloc(1, 1 << 20);
	assert_true(fread(all, 1, (1 << 20) - 1, f) > 0);
	fclose(f);
	head = strstr(all, "<IdentificationFlux>");
	first = strstr(all, "<InfosFoyerRSA>");
	buf_init(&b, 1 << 21);
	buf_add(&b, all, (size_t)(head - all));
	buf_add(&b, first, (size_t)(strstr(first, "</InfosFoyerRSA>") + 17 - first));
	buf_add(&b, head, (size_t)(first - head));
	buf_addstr(&b, strstr(first, "</InfosFoyerRSA>") + 17);
	free(all);
	path = write_bytes(fx, b.data, b.len);
	buf_release(&b);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(import(fx, path), 1);
		assert_non_null(strstr(fx->err, "pas de DTREF"));
		assert_int_equal(count(fx, "SELECT COUNT(*) FROM household", NULL), 0);
	}
	assert_int_equal(count(fx, "SELECT COUNT(DISTINCT households) FROM caf_import", NULL), 1);
}

/* Two Personne of a household new to the database that are the same
 * person (names and birth date, no NIR): the household is refused, as when
 * it existed already. */
static void test_same_person_twice_in_new_household(void **state)
{
	struct fixture *fx = *state;
	struct th h = couple("2", NULL);

	h.p[0].nir = NULL;
	h.p[1] = h.p[0];
	h.p[1].role = "CJT";
	assert_int_equal(import(fx, flux(fx, "2018-01-31", &h, 1, -1)), 0);
	assert_counts(fx, 0, 0, 0, 1);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM caf_import_rejection WHERE reason LIKE ?",
			       "%désigne la même personne%"), 1);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM person", NULL), 0);
}

/* Households and people that exist already (the exchange format, the
 * demo) are matched by their natural keys, not duplicated. */
static void test_matching_existing_records(void **state)
{
	struct fixture *fx = *state;
	static const char jsonl[] =
		"{\"type\":\"territory\",\"id\":\"t-1\",\"name\":\"Lyon 1er\",\"communes\":[\"69381\"]}\n"
		"{\"type\":\"household\",\"id\":\"h-1\",\"caf_number\":\"1234567\",\"paying_body\":\"CAF\"}\n"
		"{\"type\":\"person\",\"id\":\"p-anne\",\"household\":\"h-1\",\"role\":\"DEM\","
		"\"first_name\":\"Anne\",\"last_name\":\"Léger\",\"birth_date\":\"1980-05-17\","
		"\"sex\":\"F\",\"phone\":\"04 72 00 00 00\"}\n"
		"{\"type\":\"person\",\"id\":\"p-bruno\",\"household\":\"h-1\",\"role\":\"CJT\","
		"\"first_name\":\"Bruno\",\"last_name\":\"Léger\",\"birth_date\":\"1979-03-02\","
		"\"sex\":\"M\",\"nir\":\"" NIR_BRUNO "\"}\n";
	struct import_options io = { 0, "cli:test", "cli" };
	struct import_result res;
	struct problems pb, warn;
	struct th h = couple("2", NULL);

	problems_init(&pb);
	problems_init(&warn);
	assert_int_equal(jsonl_import(fx->tmp.db, write_bytes(fx, jsonl, sizeof jsonl - 1), &io, &pb,
				      &warn, &res),
			 0);
	problems_release(&pb);
	problems_release(&warn);

	assert_int_equal(import(fx, flux(fx, "2018-01-31", &h, 1, -1)), 0);
	assert_counts(fx, 0, 1, 0, 0);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM household", NULL), 1);
	/* Anne: by name (accents and case aside) and birth date; her phone
	 * and the spelling of her name stay, the flux gives her NIR. */
	assert_text(fx, "SELECT nir || ' ' || phone || ' ' || last_name FROM person WHERE id = ?",
		    "p-anne", NIR_ANNE " 04 72 00 00 00 L\xc3\xa9ger");
	/* Bruno: by NIR. */
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM person WHERE household = 'h-1'", NULL), 3);
	assert_periods(fx, "p-bruno", "2017-11-20..:2:0;");
	/* The territory follows the commune. */
	assert_text(fx, "SELECT territory FROM household WHERE id = ?", "h-1", "t-1");
}

/* Someone the flux no longer lists in the household: their open period
 * ends with the month before DTREF's. */
static void test_person_who_left(void **state)
{
	struct fixture *fx = *state;
	struct th h = couple("2", NULL);

	assert_int_equal(import(fx, flux(fx, "2018-01-31", &h, 1, -1)), 0);
	h.p[1] = h.p[2]; /* Bruno leaves; the child stays */
	memset(&h.p[2], 0, sizeof h.p[2]);
	assert_int_equal(import(fx, flux(fx, "2018-02-28", &h, 1, -1)), 0);
	assert_counts(fx, 0, 1, 0, 0);
	assert_periods(fx, "nir-" NIR_BRUNO, "2017-11-20..2018-01-31:2:0;");
	assert_periods(fx, "nir-" NIR_ANNE, "2017-11-20..:2:1;");
	/* He comes back in March: a new period from March. */
	h = couple("2", NULL);
	assert_int_equal(import(fx, flux(fx, "2018-03-31", &h, 1, -1)), 0);
	assert_periods(fx, "nir-" NIR_BRUNO, "2017-11-20..2018-01-31:2:0;2018-03-01..:2:0;");
}

/* Two fluxes of the same households give the same ids in two databases. */
static void test_ids_from_natural_keys(void **state)
{
	struct fixture *fx = *state;
	struct th h = couple("2", NULL);

	h.p[1].nir = NULL;
	assert_int_equal(import(fx, flux(fx, "2018-01-31", &h, 1, -1)), 0);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM person WHERE id IN "
				   "('nir-" NIR_ANNE "', 'caf-1234567-1', 'caf-1234567-2')", NULL), 3);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM household WHERE id = 'caf-CAF-1234567'",
			       NULL), 1);
	/* Bruno is found again by name and birth date, not created twice. */
	assert_int_equal(import(fx, flux(fx, "2018-01-31", &h, 1, -1)), 0);
	assert_counts(fx, 0, 0, 1, 0);
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM person", NULL), 3);
}

/* The command: exit status, last line, one audit entry per run. */
static void test_command(void **state)
{
	struct fixture *fx = *state;
	struct cli c = { fx->tmp.path, fx->tmp.db, "cli:test" };
	char *argv[4];
	char path[600];
	char last[256];

	snprintf(path, sizeof path, "%s", sample_path());
	argv[0] = path;
	assert_int_equal(fx_command(cmd_import_caf, &c, 1, argv, last, sizeof last), 0);
	assert_string_equal(last, "created 2, updated 0, unchanged 0, rejected 0\n");
	assert_int_equal(count(fx, "SELECT COUNT(*) FROM audit WHERE action = ?", "import-caf"), 1);

	/* Usage errors. */
	argv[1] = "--validate";
	assert_int_equal(cmd_import_caf(&c, 2, argv), EXIT_USAGE);
	assert_int_equal(cmd_import_caf(&c, 0, argv), EXIT_USAGE);
	/* A file that does not exist. */
	argv[0] = "/nonexistent/flux.xml";
	assert_int_equal(fx_command(cmd_import_caf, &c, 1, argv, NULL, 0), EXIT_FAILURE_);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reader_sample),
		cmocka_unit_test(test_reader_windows_1252),
		cmocka_unit_test(test_reader_limits),
		cmocka_unit_test(test_reader_threaded),
		T(test_sample_import),
		T(test_sample_validated),
		T(test_accents),
		T(test_state_change),
		T(test_closing_date),
		T(test_first_period_without_request),
		T(test_older_flux),
		T(test_bad_household_in_the_middle),
		T(test_validation_errors),
		T(test_broken_document),
		T(test_count_mismatch_and_no_dem),
		T(test_external_entity),
		T(test_internal_entity_content),
		T(test_late_header),
		T(test_same_person_twice_in_new_household),
		T(test_matching_existing_records),
		T(test_person_who_left),
		T(test_ids_from_natural_keys),
		T(test_command),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
