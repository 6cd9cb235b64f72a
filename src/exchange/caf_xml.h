/*
 * caf_xml.h — the streaming reader of the CAF/MSA beneficiaries flux
 * (VRSB 08.01, ../shared/formats/caf/), one household at a time.
 *
 * libxml2's push parser calls back as it reads (SAX); the callbacks fill
 * one struct caf_household per InfosFoyerRSA and no tree is built, so
 * memory does not grow with the file (a département's flux is tens of
 * MB). With `threaded`, a thread of the reader parses ahead of the caller
 * (at most a few dozen households), so that reading and applying a flux
 * share two cores. Strings are UTF-8: libxml2 converts from the encoding the XML
 * declaration names (windows-1252 for real files). No entity is expanded,
 * nothing is fetched, no DTD is loaded; an element deeper than
 * CAF_MAX_DEPTH stops the reading.
 *
 * What is wrong inside one household (a value too long, a field twice, an
 * entity reference, an XSD validity error) is attached to that household
 * (caf_household.problems) so that the importer can reject it alone; what
 * breaks the document (not well-formed, undecodable bytes, too deep) is a
 * fatal error (caf_reader_next() returns CAF_ERROR).
 *
 *   struct caf_reader *r;
 *   const struct caf_household *hh;
 *   if (caf_reader_open(&r, path, NULL, err, sizeof err)) fail(err);
 *   while (caf_reader_next(r, &hh) == CAF_HOUSEHOLD) use(caf_reader_header(r), hh);
 *   … check CAF_END vs CAF_ERROR (caf_reader_error(r)) …
 *   caf_reader_close(r);
 */
#ifndef PARCOURS_CAF_XML_H
#define PARCOURS_CAF_XML_H
#include <stddef.h>

#include "base/buf.h"

#define CAF_MAX_DEPTH 64       /* deeper elements are an error (the format needs 8) */
#define CAF_MAX_PERSONS 40     /* Personne blocks per household */
#define CAF_MAX_PROBLEMS 16    /* problems kept per household (more are counted) */
#define CAF_FRAGMENT_MAX 65536 /* bytes of a household's XML kept for the report */

enum { CAF_ERROR = -1, CAF_END = 0, CAF_HOUSEHOLD = 1 };

/* One Personne. Values are trimmed UTF-8; "" when absent. */
struct caf_person {
	long line;
	char qual[8];      /* Identification/QUAL: MR, MME, MLE */
	char nom[128];
	char nomnai[128];
	char prenom[128];
	char dtnai[16];
	char nir[24];      /* 13 characters, sometimes 15 */
	char sexe[8];      /* 1 man, 2 woman */
	char role_rsa[8];  /* ROLEPERS of the Prestations whose NATPREST is RSA */
	char role_other[8];/* ROLEPERS of the other Prestations */
	char top_sdd[8];   /* MontantCalculDroitRSAPersonne/TOPPERSDRODEVORSA (xsd:boolean) */
	/* scratch of the Prestations block being read */
	char cur_natprest[8];
	char cur_rolepers[8];
};

/* The current address (Adresse with RGADR 01, else the first one). */
struct caf_address {
	char rgadr[8];
	char complideadr[128];
	char compladr[128];
	char numvoie[16];
	char libtypevoie[64];
	char nomvoie[128];
	char lieudist[128];
	char numcom[16];   /* INSEE code of the commune */
	char codepos[16];
	char nomcom[128];
};

struct caf_problem {
	char field[32];    /* the element's name, or "" for the whole household */
	char reason[256];
};

struct caf_household {
	long position;     /* 1 for the file's first InfosFoyerRSA */
	long line;         /* line of its start tag */
	char fonorg[8];    /* IdentificationRSA/Organisme */
	char numorg[8];
	char matricule[24];
	char dtdemrsa[16]; /* IdentificationRSA/DemandeRSA */
	char numdemrsa[32];
	char etatdosrsa[8];/* PrestationRSA/SituationDossierRSA/EtatDossierRSA/ETATDOSRSA */
	char dtclorsa[16]; /* …/SituationDossierRSA/FinDroit/DTCLORSA */
	char dtclorsa_prev[16]; /* …/SituationDossierRSA/FinDroitMoisAnterieur/DTCLORSA */
	char sitfam[8];    /* DonneesAdministratives/SituationFamille/SITFAM */
	struct caf_address address;
	int has_address;
	size_t npersons;
	struct caf_person persons[CAF_MAX_PERSONS];
	size_t nproblems;  /* may exceed CAF_MAX_PROBLEMS: only the first are kept */
	struct caf_problem problems[CAF_MAX_PROBLEMS];
	/* The household's XML, UTF-8, cut at CAF_FRAGMENT_MAX: empty until
	 * caf_reader_fragment() reads it again from the input (only a rejected
	 * household needs it). */
	struct buf fragment;
	int fragment_cut;
	/* where to read it again: the input offset of a point before its start
	 * tag (-1: none), the line there, how many households began earlier on
	 * its start line */
	long long raw_offset;
	long raw_line, raw_rank;
};

/* IdentificationFlux and TransmissionFlux. */
struct caf_flux_header {
	char typeflux[8];  /* M monthly, Q daily … */
	char natflux[8];
	char dtcreaflux[16];
	char dtref[16];    /* "" until IdentificationFlux was read */
	long declared;     /* TransmissionFlux/NBTOTDOSRSATRANSM, -1 when not read */
	long declared_ano; /* …/NBTOTDOSRSATRANSMANO, -1 when not read */
	long households;   /* InfosFoyerRSA read so far */
	size_t nwarnings;  /* problems outside any household (XSD validity …) */
	char warnings[8][256];
};

struct caf_reader;

struct caf_reader_options {
	const char *xsd_path; /* validate against this XSD as the file is read; NULL: no */
	int threaded;         /* parse in a thread of the reader, ahead of caf_reader_next() */
};

/* Opens path ("-" is not accepted: the reader needs a file) or, for
 * caf_reader_open_memory(), n bytes at data (kept by the caller until
 * close). opt may be NULL. On failure returns -1 with a message in err. */
int caf_reader_open(struct caf_reader **out, const char *path,
		    const struct caf_reader_options *opt, char *err, size_t errsize);
int caf_reader_open_memory(struct caf_reader **out, const char *data, size_t n,
			   const struct caf_reader_options *opt, char *err, size_t errsize);
void caf_reader_close(struct caf_reader *r);

/* Reads up to the end of the next household: CAF_HOUSEHOLD with *hh set
 * (valid until the next call), CAF_END at the end of the document, or
 * CAF_ERROR (caf_reader_error() says why and where). */
int caf_reader_next(struct caf_reader *r, const struct caf_household **hh);
/* The XML of the household that caf_reader_next() returned last, read
 * again from the input as the file has it (from its start tag to its end
 * tag, comments and entity references included) and converted to UTF-8,
 * into hh->fragment (cut at CAF_FRAGMENT_MAX, hh->fragment_cut set). When
 * it cannot be found again (a household over 16 MiB or sharing a line
 * with a comment naming InfosFoyerRSA, an encoding iconv lacks) the
 * fragment says so. Returns the fragment. */
const char *caf_reader_fragment(struct caf_reader *r);
/* The flux's header; complete once the first household or the end came. */
const struct caf_flux_header *caf_reader_header(const struct caf_reader *r);
/* The fatal error, "" when none. */
const char *caf_reader_error(const struct caf_reader *r);
/* True when the fatal error happened inside a household (that household
 * was lost with the rest of the file). */
int caf_reader_error_in_household(const struct caf_reader *r);

#endif
