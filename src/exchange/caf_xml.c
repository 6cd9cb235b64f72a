/* caf_xml.c — the streaming reader of the CAF/MSA flux; see caf_xml.h. */
#include "exchange/caf_xml.h"

#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <iconv.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlschemas.h>

/*
 * Parser options. Not XML_PARSE_NOENT (entities stay references, so an
 * external one is never read), not XML_PARSE_DTDLOAD/DTDATTR/DTDVALID (no
 * DTD is fetched or applied), XML_PARSE_NONET (nothing from the network even
 * if something asked). Not XML_PARSE_HUGE: libxml2's own limits on text and
 * name sizes and on entity amplification stay in force. The reader builds
 * no tree (SAX callbacks fill the household), so nothing grows with the
 * file.
 */
/* libxml2 2.12 made the error callbacks' argument const. */
#if LIBXML_VERSION >= 21200
typedef const xmlError *caf_xml_error;
#else
typedef xmlErrorPtr caf_xml_error;
#endif

#define CAF_PARSE_OPTIONS XML_PARSE_NONET

#define CAF_NAME_MAX 48   /* element names kept on the path stack */
#define CAF_TEXT_MAX 1024 /* one leaf's text; the format's longest value is 200 */
#define CAF_QUEUE_MAX 64  /* validity errors waiting to be attributed */
#define CAF_LEAF_DEPTH 5  /* deepest element whose value is read (ETATDOSRSA, NUMCOM) */
#define CAF_CHUNK 16384   /* bytes handed to the parser at a time */
#define CAF_AHEAD 32      /* households a reading thread may have ready */

/* A validity error, kept until we know which household its line is in. */
struct caf_queued {
	long line;
	char field[32];
	char reason[256];
};

/* A point of the input: its offset, the line it is on, and whether a line
 * starts there. */
struct caf_mark {
	long long offset;
	long line;
	int line_start;
};

#define CAF_MARKS 64            /* input blocks remembered (libxml2 reads ahead a few) */
#define CAF_REREAD_MAX (16L << 20) /* bytes scanned to find a household again */

/*
 * The parser side (the callbacks, in the reading thread when there is
 * one) fills `cur`; a complete household goes to the ready ring, where
 * caf_reader_next() takes it; it comes back to the spare list at the next
 * call. `lock` guards the ring, the spare list, `finished` and `stop`.
 */
struct caf_reader {
	xmlParserCtxtPtr ctxt;
	xmlSchemaPtr schema;
	xmlSchemaValidCtxtPtr vctxt;
	xmlSchemaSAXPlugPtr plug;
	FILE *file;
	const char *data;     /* caf_reader_open_memory()'s input */
	size_t size;
	char encoding[40];    /* as the XML declaration names it; "" for UTF-8 */
	/* The input as handed to libxml2: bytes and lines so far, and where
	 * each of the last blocks began (to find a household's text again). */
	long long consumed;
	long lines;           /* newlines before `consumed` */
	int at_line_start;
	struct caf_mark marks[CAF_MARKS];
	size_t nmarks;        /* ever taken; the last CAF_MARKS are kept */
	long last_start_line, last_rank;
	struct caf_flux_header header;
	char declared[24], declared_ano[24]; /* TransmissionFlux, parsed at its end */

	/* the parser side */
	struct caf_household *cur; /* the household being read */
	int in_household;     /* between the start and end tags of an InfosFoyerRSA */
	int hh_complete;      /* its end tag was read; published at the next top-level start */
	int seen_root;
	int error_in_hh;
	char error[512];
	int depth;            /* of the current element; names[0..depth] is its path */
	char names[CAF_MAX_DEPTH + 2][CAF_NAME_MAX];
	/* The path below Racine of the element at each depth, kept as one
	 * string cut at pathlen[depth] (rebuilding it per node cost a quarter
	 * of the reading time). */
	char path[(CAF_LEAF_DEPTH + 1) * CAF_NAME_MAX];
	size_t pathlen[CAF_LEAF_DEPTH + 2];
	char text[CAF_TEXT_MAX];
	size_t textlen;
	int text_overflow;
	struct caf_person *person; /* the Personne being read; NULL when over the cap */
	struct caf_address addr;   /* the Adresse being read */
	struct caf_queued queue[CAF_QUEUE_MAX];
	size_t nqueued;
	size_t dropped;       /* validity errors beyond the queue */
	char schema_error[256];

	/* between the two sides */
	pthread_mutex_t lock;
	pthread_cond_t changed;
	int threaded, thread_started, stop;
	pthread_t thread;
	struct caf_household **ready; /* a ring */
	size_t ready_cap, ready_head, ready_count;
	struct caf_household **spare;
	size_t spare_count, spare_cap;
	int finished;         /* the parser side is done: final_state says how */
	int final_state;
	struct caf_flux_header final_header;

	/* the caller's side */
	struct caf_household *out; /* returned by the last caf_reader_next() */
	/* the header as of the household last handed out, or of the end */
	struct caf_flux_header caller_header;
};

/* ---- problems ------------------------------------------------------------ */

static void header_warning(struct caf_reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void header_warning(struct caf_reader *r, const char *fmt, ...)
{
	va_list ap;

	if (r->header.nwarnings < sizeof r->header.warnings / sizeof r->header.warnings[0]) {
		va_start(ap, fmt);
		vsnprintf(r->header.warnings[r->header.nwarnings], sizeof r->header.warnings[0], fmt,
			  ap);
		va_end(ap);
	}
	r->header.nwarnings++;
}

static void hh_problem(struct caf_household *hh, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void hh_problem(struct caf_household *hh, const char *field, const char *fmt, ...)
{
	va_list ap;

	if (hh->nproblems < CAF_MAX_PROBLEMS) {
		struct caf_problem *p = &hh->problems[hh->nproblems];
		snprintf(p->field, sizeof p->field, "%s", field ? field : "");
		va_start(ap, fmt);
		vsnprintf(p->reason, sizeof p->reason, fmt, ap);
		va_end(ap);
	}
	hh->nproblems++;
}

/* A problem met while reading nodes: the household's when inside one. */
static void node_problem(struct caf_reader *r, const char *field, const char *reason)
{
	if (r->in_household)
		hh_problem(r->cur, field, "%s", reason);
	else
		header_warning(r, "%s%s%s", field ? field : "", field ? " : " : "", reason);
}

static void fatal(struct caf_reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fatal(struct caf_reader *r, const char *fmt, ...)
{
	va_list ap;

	if (r->error[0])
		return;
	va_start(ap, fmt);
	vsnprintf(r->error, sizeof r->error, fmt, ap);
	va_end(ap);
	r->error_in_hh = r->in_household;
}

/* libxml2's message without its trailing newline. */
static void clean_message(char *out, size_t size, const char *msg)
{
	size_t n;

	snprintf(out, size, "%s", msg ? msg : "erreur XML");
	n = strlen(out);
	while (n && (out[n - 1] == '\n' || out[n - 1] == ' '))
		out[--n] = '\0';
}

/* Every libxml2 error of this reader comes here (never to stderr). Fatal
 * ones stop the file; validity errors wait in the queue until the
 * household that holds their line is known (the parser runs a little ahead
 * of the nodes the reader hands out, so "now" is not "this household"). */
static void on_xml_error(void *ud, caf_xml_error e)
{
	struct caf_reader *r = ud;
	char msg[256];

	if (!e)
		return;
	clean_message(msg, sizeof msg, e->message);
	if (e->level == XML_ERR_FATAL) {
		fatal(r, "ligne %d : %s", e->line, msg);
		return;
	}
	if (e->level == XML_ERR_WARNING) {
		header_warning(r, "ligne %d : %s", e->line, msg);
		return;
	}
	if (r->nqueued == CAF_QUEUE_MAX) {
		r->dropped++;
		return;
	}
	{
		struct caf_queued *q = &r->queue[r->nqueued++];
		const xmlNode *node = e->node;
		q->line = e->line;
		snprintf(q->field, sizeof q->field, "%s",
			 node && node->type == XML_ELEMENT_NODE && node->name ? (const char *)node->name
									       : "");
		/* Streaming validation gives no node, but names the element:
		 * "Element 'SEXE': [facet 'maxLength'] …". */
		if (!q->field[0] && !strncmp(msg, "Element '", 9)) {
			size_t n = strcspn(msg + 9, "'");
			if (n < sizeof q->field && msg[9 + n] == '\'')
				snprintf(q->field, sizeof q->field, "%.*s", (int)n, msg + 9);
		}
		snprintf(q->reason, sizeof q->reason, "ligne %d : %.200s", e->line, msg);
	}
}

/* Hands the queued errors whose line is before `before` to the household
 * just completed (those from its start line on) or to the header. */
static void attribute_queue(struct caf_reader *r, long before, int to_household)
{
	size_t kept = 0;

	for (size_t i = 0; i < r->nqueued; i++) {
		struct caf_queued *q = &r->queue[i];
		if (before > 0 && q->line >= before) {
			r->queue[kept++] = *q;
			continue;
		}
		if (to_household && q->line >= r->cur->line)
			hh_problem(r->cur, q->field, "%s", q->reason);
		else
			header_warning(r, "%s", q->reason);
	}
	r->nqueued = kept;
	if (r->dropped) {
		if (to_household)
			hh_problem(r->cur, NULL, "%zu autre(s) erreur(s) de validation", r->dropped);
		else
			header_warning(r, "%zu autre(s) erreur(s) de validation", r->dropped);
		r->dropped = 0;
	}
}

/* ---- values --------------------------------------------------------------- */

enum target { T_HEADER, T_READER, T_HOUSEHOLD, T_PERSON, T_ADDRESS };

struct leaf {
	const char *path; /* below Racine */
	size_t pathlen;   /* compared first: most paths differ in length */
	enum target target;
	size_t off, size;
	int repeated;     /* a scratch value, once per repeated block: no "twice" check */
};

#define LEAF(p, tg, type, f) { p, sizeof(p) - 1, tg, offsetof(type, f), sizeof(((type *)0)->f), \
			       tg == T_HEADER || tg == T_READER || tg == T_ADDRESS }
#define HDR(p, f) LEAF(p, T_HEADER, struct caf_flux_header, f)
#define RDR(p, f) LEAF(p, T_READER, struct caf_reader, f)
#define HH(p, f) LEAF(p, T_HOUSEHOLD, struct caf_household, f)
#define PER(p, f) LEAF("InfosFoyerRSA/Personne/" p, T_PERSON, struct caf_person, f)
#define ADR(p, f) LEAF("InfosFoyerRSA/DonneesAdministratives/Adresse/" p, T_ADDRESS, \
		       struct caf_address, f)

/* The values Parcours takes from the flux (caf.md lists what each becomes). */
static const struct leaf leaves[] = {
	HDR("IdentificationFlux/TYPEFLUX", typeflux),
	HDR("IdentificationFlux/NATFLUX", natflux),
	HDR("IdentificationFlux/DTCREAFLUX", dtcreaflux),
	HDR("IdentificationFlux/DTREF", dtref),
	RDR("TransmissionFlux/NBTOTDOSRSATRANSM", declared),
	RDR("TransmissionFlux/NBTOTDOSRSATRANSMANO", declared_ano),
	HH("InfosFoyerRSA/IdentificationRSA/Organisme/FONORG", fonorg),
	HH("InfosFoyerRSA/IdentificationRSA/Organisme/NUMORG", numorg),
	HH("InfosFoyerRSA/IdentificationRSA/Organisme/MATRICULE", matricule),
	HH("InfosFoyerRSA/IdentificationRSA/DemandeRSA/DTDEMRSA", dtdemrsa),
	HH("InfosFoyerRSA/IdentificationRSA/DemandeRSA/NUMDEMRSA", numdemrsa),
	HH("InfosFoyerRSA/PrestationRSA/SituationDossierRSA/EtatDossierRSA/ETATDOSRSA", etatdosrsa),
	HH("InfosFoyerRSA/PrestationRSA/SituationDossierRSA/FinDroit/DTCLORSA", dtclorsa),
	HH("InfosFoyerRSA/PrestationRSA/SituationDossierRSA/FinDroitMoisAnterieur/DTCLORSA",
	   dtclorsa_prev),
	HH("InfosFoyerRSA/DonneesAdministratives/SituationFamille/SITFAM", sitfam),
	PER("Identification/QUAL", qual),
	PER("Identification/NOM", nom),
	PER("Identification/NOMNAI", nomnai),
	PER("Identification/PRENOM", prenom),
	PER("Identification/DTNAI", dtnai),
	PER("Identification/NIR", nir),
	PER("Identification/SEXE", sexe),
#define SCRATCH(p, f) { "InfosFoyerRSA/Personne/" p, sizeof("InfosFoyerRSA/Personne/" p) - 1, \
	T_PERSON, offsetof(struct caf_person, f), sizeof(((struct caf_person *)0)->f), 1 }
	SCRATCH("Prestations/NATPREST", cur_natprest),
	SCRATCH("Prestations/ROLEPERS", cur_rolepers),
	PER("MontantCalculDroitRSAPersonne/TOPPERSDRODEVORSA", top_sdd),
	ADR("TroncCommunAdresse/RGADR", rgadr),
	ADR("AdresseDetailleeFrance/COMPLIDEADR", complideadr),
	ADR("AdresseDetailleeFrance/COMPLADR", compladr),
	ADR("AdresseDetailleeFrance/NUMVOIE", numvoie),
	ADR("AdresseDetailleeFrance/LIBTYPEVOIE", libtypevoie),
	ADR("AdresseDetailleeFrance/NOMVOIE", nomvoie),
	ADR("AdresseDetailleeFrance/LIEUDIST", lieudist),
	ADR("AdresseDetailleeFrance/NUMCOM", numcom),
	ADR("AdresseDetailleeFrance/CODEPOS", codepos),
	ADR("AdresseDetailleeFrance/NOMCOM", nomcom),
};

/* The path below Racine ("InfosFoyerRSA/Personne") of a new element at
 * depth (≤ CAF_LEAF_DEPTH), from its parent's. */
static const char *path_enter(struct caf_reader *r, int depth, const char *name)
{
	size_t n = depth > 1 ? r->pathlen[depth - 1] : 0;
	size_t len = strlen(name);

	if (depth > 1)
		r->path[n++] = '/';
	if (depth == 0)
		len = 0; /* Racine itself: "" */
	memcpy(r->path + n, name, len); /* names are shorter than CAF_NAME_MAX */
	n += len;
	r->path[n] = '\0';
	r->pathlen[depth] = n;
	return r->path;
}

/* The path of the element at depth that ends now (its children's parts
 * are cut off). */
static const char *path_at(struct caf_reader *r, int depth)
{
	r->path[r->pathlen[depth]] = '\0';
	return r->path;
}

static char *trimmed(char *s)
{
	size_t n = strlen(s);

	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

/* Stores a leaf's value; a value too long, or a second different value of
 * a field that the format has once, is the household's problem. */
static void store(struct caf_reader *r, const struct leaf *lf, char *dst, const char *name)
{
	char *v = trimmed(r->text);
	size_t n = strlen(v);

	if (r->text_overflow || n >= lf->size) {
		node_problem(r, name, "valeur trop longue");
		return;
	}
	if (lf->repeated || !dst[0] || !strcmp(dst, v)) {
		memcpy(dst, v, n + 1);
		return;
	}
	node_problem(r, name, "figure deux fois avec des valeurs différentes");
}

static void leaf_value(struct caf_reader *r, const char *path)
{
	size_t len = strlen(path);

	for (size_t i = 0; i < sizeof leaves / sizeof *leaves; i++) {
		const struct leaf *lf = &leaves[i];
		char *base;

		if (len != lf->pathlen || memcmp(path, lf->path, len))
			continue;
		switch (lf->target) {
		case T_HEADER:
			base = (char *)&r->header;
			break;
		case T_READER:
			base = (char *)r;
			break;
		case T_HOUSEHOLD:
			base = r->in_household ? (char *)r->cur : NULL;
			break;
		case T_PERSON:
			base = r->in_household ? (char *)r->person : NULL;
			break;
		default:
			base = r->in_household ? (char *)&r->addr : NULL;
			break;
		}
		if (base)
			store(r, lf, base + lf->off, r->names[r->depth]);
		return;
	}
}

/* ---- structure ------------------------------------------------------------ */

/* Where to look for the household's text again, should it be rejected:
 * the last input block that began on a line before its start line (or at
 * that line's start), and its rank among the households that begin on the
 * same line. Copying every household's XML as it passed cost a third of
 * the reading; rejected households are few. */
static void raw_place(struct caf_reader *r, struct caf_household *hh)
{
	size_t first = r->nmarks > CAF_MARKS ? r->nmarks - CAF_MARKS : 0;

	hh->raw_rank = hh->line == r->last_start_line ? r->last_rank + 1 : 0;
	r->last_start_line = hh->line;
	r->last_rank = hh->raw_rank;
	hh->raw_offset = -1;
	for (size_t i = r->nmarks; i > first; i--) {
		const struct caf_mark *m = &r->marks[(i - 1) % CAF_MARKS];
		if (m->line < hh->line || (m->line == hh->line && m->line_start)) {
			hh->raw_offset = m->offset;
			hh->raw_line = m->line;
			return;
		}
	}
}

/* ---- households between the two sides ------------------------------------ */

/* A household with the flux's header as it stood when the household was
 * complete: the caller reads that copy (caf_reader_header()), never the
 * parser's own, which a reading thread goes on writing. */
struct caf_slot {
	struct caf_household hh; /* first: a household is its slot */
	struct caf_flux_header header;
};

static struct caf_slot *slot_of(struct caf_household *hh)
{
	return (struct caf_slot *)hh;
}

static struct caf_household *household_new(void)
{
	struct caf_slot *slot = calloc(1, sizeof *slot);

	if (!slot)
		return NULL;
	buf_init(&slot->hh.fragment, CAF_FRAGMENT_MAX);
	return &slot->hh;
}

static void household_free(struct caf_household *hh)
{
	if (!hh)
		return;
	buf_release(&hh->fragment);
	free(slot_of(hh));
}

/* Keeps a household that was handed out for the next one (lock held). */
static void household_spare(struct caf_reader *r, struct caf_household *hh)
{
	if (r->spare_count == r->spare_cap) {
		size_t cap = r->spare_cap ? 2 * r->spare_cap : 8;
		struct caf_household **more = realloc(r->spare, cap * sizeof *more);
		if (!more) {
			household_free(hh);
			return;
		}
		r->spare = more;
		r->spare_cap = cap;
	}
	r->spare[r->spare_count++] = hh;
}

/* Puts a complete household in the ready ring (lock held). A reading
 * thread waits while the ring is full; without one, the ring grows (a
 * block of the input may hold many small households). -1: the reader is
 * being closed, or no memory. */
static int ready_push(struct caf_reader *r, struct caf_household *hh)
{
	while (r->threaded && r->ready_count == r->ready_cap && !r->stop)
		pthread_cond_wait(&r->changed, &r->lock);
	if (r->stop)
		return -1;
	if (r->ready_count == r->ready_cap) {
		size_t cap = r->ready_cap ? 2 * r->ready_cap : CAF_AHEAD;
		struct caf_household **ring = malloc(cap * sizeof *ring);
		if (!ring)
			return -1;
		for (size_t i = 0; i < r->ready_count; i++)
			ring[i] = r->ready[(r->ready_head + i) % r->ready_cap];
		free(r->ready);
		r->ready = ring;
		r->ready_cap = cap;
		r->ready_head = 0;
	}
	r->ready[(r->ready_head + r->ready_count++) % r->ready_cap] = hh;
	pthread_cond_broadcast(&r->changed);
	return 0;
}

/* Hands the household just completed to caf_reader_next(). */
static void publish(struct caf_reader *r)
{
	struct caf_household *hh = r->cur;
	int rc;

	r->cur = NULL;
	r->hh_complete = 0;
	slot_of(hh)->header = r->header;
	pthread_mutex_lock(&r->lock);
	rc = ready_push(r, hh);
	pthread_mutex_unlock(&r->lock);
	if (rc) {
		household_free(hh);
		xmlStopParser(r->ctxt);
	}
}

static void household_begin(struct caf_reader *r, long line)
{
	struct caf_household *hh = NULL;
	struct buf keep;

	pthread_mutex_lock(&r->lock);
	if (r->spare_count)
		hh = r->spare[--r->spare_count];
	pthread_mutex_unlock(&r->lock);
	if (!hh && !(hh = household_new())) {
		fatal(r, "ligne %ld : mémoire insuffisante", line);
		xmlStopParser(r->ctxt);
		return;
	}
	keep = hh->fragment;
	memset(hh, 0, sizeof *hh);
	hh->fragment = keep;
	buf_reset(&hh->fragment);
	hh->position = ++r->header.households;
	hh->line = line;
	raw_place(r, hh);
	r->cur = hh;
	r->in_household = 1;
	r->person = NULL;
}

static void element_start(struct caf_reader *r, const char *path)
{
	struct caf_household *hh = r->cur;

	if (!r->in_household)
		return;
	if (!strcmp(path, "InfosFoyerRSA/Personne")) {
		if (hh->npersons == CAF_MAX_PERSONS) {
			if (r->person)
				hh_problem(hh, "Personne", "plus de %d personnes dans le foyer",
					   CAF_MAX_PERSONS);
			r->person = NULL;
			return;
		}
		r->person = &hh->persons[hh->npersons++];
		r->person->line = xmlSAX2GetLineNumber(r->ctxt);
	} else if (!strcmp(path, "InfosFoyerRSA/Personne/Prestations") && r->person) {
		r->person->cur_natprest[0] = r->person->cur_rolepers[0] = '\0';
	} else if (!strcmp(path, "InfosFoyerRSA/DonneesAdministratives/Adresse")) {
		memset(&r->addr, 0, sizeof r->addr);
	}
}

static void element_end(struct caf_reader *r, const char *path)
{
	struct caf_household *hh = r->cur;
	struct caf_person *p = r->person;

	leaf_value(r, path);
	if (!r->in_household)
		return;
	if (!strcmp(path, "InfosFoyerRSA/Personne/Prestations") && p) {
		/* The role in the RSA is what matters; the family benefits' role
		 * (PFA) is kept only as a fallback. */
		char *dst = !strcmp(p->cur_natprest, "RSA") ? p->role_rsa : p->role_other;
		if (!dst[0])
			snprintf(dst, sizeof p->role_rsa, "%s", p->cur_rolepers);
	} else if (!strcmp(path, "InfosFoyerRSA/DonneesAdministratives/Adresse")) {
		int current = !strcmp(r->addr.rgadr, "01") || !strcmp(r->addr.rgadr, "1");
		int have_current = hh->has_address && (!strcmp(hh->address.rgadr, "01") ||
							!strcmp(hh->address.rgadr, "1"));
		if (!hh->has_address || (current && !have_current)) {
			hh->address = r->addr;
			hh->has_address = 1;
		}
	}
}

static long parse_count(struct caf_reader *r, const char *s, const char *name)
{
	char *end;
	long v;

	if (!s[0])
		return -1;
	v = strtol(s, &end, 10);
	if (*end || v < 0) {
		header_warning(r, "%s : « %s » n'est pas un nombre", name, s);
		return -1;
	}
	return v;
}

/* ---- the parser's callbacks ---------------------------------------------- */

/* The callbacks get the parser's context (libxml2's own DTD and entity
 * handlers need it as their data); the reader is its _private. */
static struct caf_reader *reader_of(void *ctx)
{
	return ((xmlParserCtxtPtr)ctx)->_private;
}

/* True while libxml2 parses an entity's replacement text to check it (it
 * does so at each reference when no tree is built, with these callbacks,
 * in a context of its own or, behind a schema, in the document's, whose
 * entity depth it raises meanwhile). That text is never taken: the
 * reference itself makes the household's problem (sax_reference()). */
static int in_entity(void *ctx, const struct caf_reader *r)
{
	return !r || ctx != r->ctxt || r->ctxt->depth > 0;
}

static void text_reset(struct caf_reader *r)
{
	r->textlen = 0;
	r->text[0] = '\0';
	r->text_overflow = 0;
}

static void sax_document(void *ctx)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct caf_reader *r = reader_of(ctx);
	const xmlChar *enc = ctxt->encoding ? ctxt->encoding
			     : ctxt->input ? ctxt->input->encoding : NULL;

	/* Kept to read a rejected household's text again. */
	if (enc)
		snprintf(r->encoding, sizeof r->encoding, "%s", (const char *)enc);
	xmlSAX2StartDocument(ctx);
}

static void sax_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
		      const xmlChar *uri, int nns, const xmlChar **ns, int nattr, int ndefaulted,
		      const xmlChar **attrs)
{
	struct caf_reader *r = reader_of(ctx);
	const char *name = (const char *)localname;
	int depth;
	long line;
	size_t n;

	(void)prefix, (void)uri, (void)nns, (void)ns, (void)nattr, (void)ndefaulted, (void)attrs;
	if (in_entity(ctx, r))
		return;
	depth = r->depth + 1;
	line = xmlSAX2GetLineNumber(ctx);
	if (depth > CAF_MAX_DEPTH) {
		fatal(r, "ligne %ld : éléments imbriqués sur plus de %d niveaux", line, CAF_MAX_DEPTH);
		xmlStopParser(ctx);
		return;
	}
	if (depth == 1 && r->hh_complete) {
		/* The completed household's validity errors are all in by now:
		 * the parser has reached this next element. */
		attribute_queue(r, line, 1);
		publish(r);
	}
	if (depth == 0 && strcmp(name, "Racine")) {
		fatal(r, "ligne %ld : l'élément racine est <%s>, attendu <Racine>", line, name);
		xmlStopParser(ctx);
		return;
	}
	r->seen_root = 1;
	if (depth == 1 && !r->in_household) {
		/* Errors before this top-level element belong to the header. */
		attribute_queue(r, line, 0);
	}
	r->depth = depth;
	/* Longer names are cut: none of the format's is near. */
	n = strnlen(name, CAF_NAME_MAX - 1);
	memcpy(r->names[depth], name, n);
	r->names[depth][n] = '\0';
	if (depth == 1 && !strcmp(r->names[1], "InfosFoyerRSA"))
		household_begin(r, line);
	if (depth <= CAF_LEAF_DEPTH)
		element_start(r, path_enter(r, depth, r->names[depth]));
	text_reset(r);
}

static void sax_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
		    const xmlChar *uri)
{
	struct caf_reader *r = reader_of(ctx);
	int depth;

	(void)localname, (void)prefix, (void)uri;
	if (in_entity(ctx, r) || (depth = r->depth) < 0)
		return;
	if (depth <= CAF_LEAF_DEPTH)
		element_end(r, path_at(r, depth));
	text_reset(r);
	if (depth == 1 && r->in_household) {
		r->in_household = 0;
		r->hh_complete = 1;
	} else if (depth == 1 && !strcmp(r->names[1], "TransmissionFlux")) {
		r->header.declared = parse_count(r, r->declared, "NBTOTDOSRSATRANSM");
		r->header.declared_ano = parse_count(r, r->declared_ano, "NBTOTDOSRSATRANSMANO");
	}
	r->depth = depth - 1;
}

static void sax_text(void *ctx, const xmlChar *text, int len)
{
	struct caf_reader *r = reader_of(ctx);
	size_t n = len > 0 ? (size_t)len : 0;

	if (in_entity(ctx, r))
		return;
	if (r->textlen + n >= sizeof r->text) {
		r->text_overflow = 1;
	} else if (n) {
		memcpy(r->text + r->textlen, text, n);
		r->textlen += n;
		r->text[r->textlen] = '\0';
	}
}

static void sax_reference(void *ctx, const xmlChar *name)
{
	struct caf_reader *r = reader_of(ctx);
	char why[160];

	if (in_entity(ctx, r))
		return; /* a reference inside an entity: the outer one is reported */
	/* Never expanded (no XML_PARSE_NOENT): the value would be wrong, so
	 * the household is refused rather than taken without it. */
	snprintf(why, sizeof why, "référence à l'entité « %.60s » : les entités ne sont pas lues",
		 name ? (const char *)name : "?");
	node_problem(r, r->depth >= 0 ? r->names[r->depth] : NULL, why);
}

/* ---- feeding the parser ---------------------------------------------------- */

/* Notes where a block handed to libxml2 begins, and counts its lines (as
 * libxml2 does: a line ends at '\n'). */
static void block_read(struct caf_reader *r, const char *p, size_t n)
{
	struct caf_mark *m = &r->marks[r->nmarks++ % CAF_MARKS];
	const char *end = p + n, *nl;

	m->offset = r->consumed;
	m->line = r->lines + 1;
	m->line_start = r->at_line_start;
	for (const char *q = p; q < end && (nl = memchr(q, '\n', (size_t)(end - q))); q = nl + 1)
		r->lines++;
	r->consumed += (long long)n;
	if (n)
		r->at_line_start = end[-1] == '\n';
}

/* The next block of the input: its length, 0 at the end, -1 on an error. */
static long input_next(struct caf_reader *r, char *out, size_t len)
{
	size_t n;

	if (r->data) {
		size_t left = r->size - (size_t)r->consumed;
		n = len < left ? len : left;
		memcpy(out, r->data + r->consumed, n);
	} else {
		n = fread(out, 1, len, r->file);
		if (n == 0 && ferror(r->file))
			return -1;
	}
	block_read(r, out, n);
	return (long)n;
}

/* n bytes of the input at offset (fewer at its end); -1 on a read error. */
static long input_at(struct caf_reader *r, long long offset, char *out, size_t n)
{
	ssize_t got;

	if (r->data) {
		if (offset >= (long long)r->size)
			return 0;
		if (n > r->size - (size_t)offset)
			n = r->size - (size_t)offset;
		memcpy(out, r->data + offset, n);
		return (long)n;
	}
	got = pread(fileno(r->file), out, n, (off_t)offset);
	return got < 0 ? -1 : (long)got;
}

/* The end of the input or of the reading: what the last household and the
 * queued errors become, and how the reading ended. */
static void finish(struct caf_reader *r)
{
	if (!r->error[0] && !r->seen_root && r->consumed == 0)
		fatal(r, "ligne 1 : pas de document XML (fichier vide ?)");
	if (!r->error[0] && r->ctxt->wellFormed == 0)
		fatal(r, "ligne %d : document XML illisible", xmlSAX2GetLineNumber(r->ctxt));
	if (!r->error[0] && r->in_household)
		fatal(r, "fin de fichier au milieu d'un foyer");
	if (r->hh_complete) {
		/* Complete before the end or the error: it is whole. */
		attribute_queue(r, 0, 1);
		publish(r);
	} else {
		attribute_queue(r, 0, 0);
	}
	pthread_mutex_lock(&r->lock);
	r->finished = 1;
	r->final_state = r->error[0] ? CAF_ERROR : CAF_END;
	r->final_header = r->header;
	pthread_cond_broadcast(&r->changed);
	pthread_mutex_unlock(&r->lock);
}

/* Hands the next block to the parser. Returns 1 once the reading is over. */
static int feed(struct caf_reader *r)
{
	char block[CAF_CHUNK];
	long n = input_next(r, block, sizeof block);
	int stop;

	if (n < 0)
		fatal(r, "lecture du fichier impossible après %lld octets", r->consumed);
	else
		xmlParseChunk(r->ctxt, n ? block : NULL, (int)n, n == 0);
	pthread_mutex_lock(&r->lock);
	stop = r->stop;
	pthread_mutex_unlock(&r->lock);
	if (n > 0 && !r->error[0] && !stop)
		return 0;
	finish(r);
	return 1;
}

/* libxml2's "generic" messages (the schema validator's, for one) would go
 * to stderr: they become warnings of the flux instead. */
static void on_generic_error(void *ud, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void on_generic_error(void *ud, const char *fmt, ...)
{
	struct caf_reader *r = ud;
	char msg[256], clean[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	clean_message(clean, sizeof clean, msg);
	if (clean[0])
		header_warning(r, "libxml2 : %.200s", clean);
}

/* Feeds one block in the caller's thread. For this call only, what
 * libxml2 reports comes to this reader (the parser's errors have no
 * handler of their own: see reader_start()). */
static void feed_here(struct caf_reader *r)
{
	xmlStructuredErrorFunc old_structured = xmlStructuredError;
	void *old_structured_ctx = xmlStructuredErrorContext;
	xmlGenericErrorFunc old_generic = xmlGenericError;
	void *old_generic_ctx = xmlGenericErrorContext;

	xmlSetStructuredErrorFunc(r, on_xml_error);
	xmlSetGenericErrorFunc(r, on_generic_error);
	feed(r);
	xmlSetStructuredErrorFunc(old_structured_ctx, old_structured);
	xmlSetGenericErrorFunc(old_generic_ctx, old_generic);
}

/* The reading thread: parses the whole input, households going to the
 * ring as they complete (see caf_reader_options.threaded). */
static void *reading_thread(void *arg)
{
	struct caf_reader *r = arg;

	xmlSetStructuredErrorFunc(r, on_xml_error);
	xmlSetGenericErrorFunc(r, on_generic_error);
	while (!feed(r))
		;
	return NULL;
}

/* ---- the API -------------------------------------------------------------- */

static void on_schema_error(void *ud, caf_xml_error e)
{
	struct caf_reader *r = ud;
	char msg[200];

	if (!e || r->schema_error[0])
		return;
	clean_message(msg, sizeof msg, e->message);
	snprintf(r->schema_error, sizeof r->schema_error, "%s (ligne %d) : %s",
		 e->file ? e->file : "XSD", e->line, msg);
}

/* Where the validator is in the input, for its messages. */
static int schema_locator(void *ctx, const char **file, unsigned long *line)
{
	struct caf_reader *r = ctx;

	if (file)
		*file = NULL;
	if (line)
		*line = (unsigned long)xmlSAX2GetLineNumber(r->ctxt);
	return 0;
}

static int load_schema(struct caf_reader *r, const char *xsd, char *err, size_t errsize)
{
	xmlSchemaParserCtxtPtr pc;
	FILE *f = fopen(xsd, "rb");

	/* Checked here so that a wrong path says so plainly. */
	if (!f) {
		snprintf(err, errsize, "impossible de lire le schéma %s", xsd);
		return -1;
	}
	fclose(f);
	pc = xmlSchemaNewParserCtxt(xsd);
	if (!pc) {
		snprintf(err, errsize, "impossible de lire le schéma %s", xsd);
		return -1;
	}
	xmlSchemaSetParserStructuredErrors(pc, on_schema_error, r);
	r->schema = xmlSchemaParse(pc);
	xmlSchemaFreeParserCtxt(pc);
	if (!r->schema) {
		snprintf(err, errsize, "schéma %s illisible : %s", xsd,
			 r->schema_error[0] ? r->schema_error : "erreur inconnue");
		return -1;
	}
	/* The validator sits in front of the callbacks and checks the
	 * document as it is parsed. */
	r->vctxt = xmlSchemaNewValidCtxt(r->schema);
	if (r->vctxt) {
		xmlSchemaSetValidStructuredErrors(r->vctxt, on_xml_error, r);
		xmlSchemaValidateSetLocator(r->vctxt, schema_locator, r);
		r->plug = xmlSchemaSAXPlug(r->vctxt, &r->ctxt->sax, &r->ctxt->userData);
	}
	if (!r->plug) {
		snprintf(err, errsize, "schéma %s : la validation ne peut pas démarrer", xsd);
		return -1;
	}
	return 0;
}

static struct caf_reader *reader_new(void)
{
	struct caf_reader *r = calloc(1, sizeof *r);

	if (!r)
		return NULL;
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->changed, NULL);
	r->depth = -1;
	r->at_line_start = 1;
	r->last_start_line = -1;
	r->header.declared = r->header.declared_ano = -1;
	r->caller_header = r->header;
	return r;
}

static int reader_start(struct caf_reader *r, const char *name,
			const struct caf_reader_options *opt, char *err, size_t errsize)
{
	xmlSAXHandler sax;
	char first[4];
	long n;

	/* libxml2's DTD and entity handlers stay (an internal subset is
	 * read, never applied); the tree-building ones are replaced, and
	 * comments and processing instructions are dropped. */
	xmlInitParser();
	memset(&sax, 0, sizeof sax);
	xmlSAXVersion(&sax, 2);
	sax.startDocument = sax_document;
	sax.startElementNs = sax_start;
	sax.endElementNs = sax_end;
	sax.characters = sax.ignorableWhitespace = sax.cdataBlock = sax_text;
	sax.reference = sax_reference;
	sax.comment = NULL;
	sax.processingInstruction = NULL;
	/* No handler of the parser's own: with a schema plugged in front,
	 * libxml2 (2.9) would call it with the plug's data. Errors reach
	 * on_xml_error() through the thread's handler (feed_here(),
	 * reading_thread()). */
	sax.serror = NULL;
	/* The first bytes tell libxml2 the encoding family. */
	n = input_next(r, first, sizeof first);
	r->ctxt = n < 0 ? NULL : xmlCreatePushParserCtxt(&sax, NULL, first, (int)n, name);
	if (!r->ctxt) {
		snprintf(err, errsize, n < 0 ? "lecture du fichier impossible" : "lecteur XML indisponible");
		return -1;
	}
	r->ctxt->_private = r;
	xmlCtxtUseOptions(r->ctxt, CAF_PARSE_OPTIONS);
	if (opt && opt->xsd_path && load_schema(r, opt->xsd_path, err, errsize))
		return -1;
	if (opt && opt->threaded) {
		r->threaded = 1;
		if (!(r->ready = malloc(CAF_AHEAD * sizeof *r->ready))) {
			snprintf(err, errsize, "mémoire insuffisante");
			return -1;
		}
		r->ready_cap = CAF_AHEAD;
		if (pthread_create(&r->thread, NULL, reading_thread, r)) {
			snprintf(err, errsize, "le fil de lecture ne peut pas démarrer");
			return -1;
		}
		r->thread_started = 1;
	}
	return 0;
}

int caf_reader_open(struct caf_reader **out, const char *path,
		    const struct caf_reader_options *opt, char *err, size_t errsize)
{
	struct caf_reader *r = reader_new();
	struct stat st;

	*out = NULL;
	if (!r) {
		snprintf(err, errsize, "mémoire insuffisante");
		return -1;
	}
	r->file = fopen(path, "rb");
	if (!r->file || fstat(fileno(r->file), &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errsize, r->file ? "%s n'est pas un fichier" : "impossible d'ouvrir %s",
			 path);
		caf_reader_close(r);
		return -1;
	}
	if (reader_start(r, path, opt, err, errsize)) {
		caf_reader_close(r);
		return -1;
	}
	*out = r;
	return 0;
}

int caf_reader_open_memory(struct caf_reader **out, const char *data, size_t n,
			   const struct caf_reader_options *opt, char *err, size_t errsize)
{
	struct caf_reader *r = reader_new();

	*out = NULL;
	if (!r) {
		snprintf(err, errsize, "mémoire insuffisante");
		return -1;
	}
	r->data = data;
	r->size = n;
	if (reader_start(r, "memory.xml", opt, err, errsize)) {
		caf_reader_close(r);
		return -1;
	}
	*out = r;
	return 0;
}

void caf_reader_close(struct caf_reader *r)
{
	if (!r)
		return;
	if (r->thread_started) {
		pthread_mutex_lock(&r->lock);
		r->stop = 1;
		pthread_cond_broadcast(&r->changed);
		pthread_mutex_unlock(&r->lock);
		pthread_join(r->thread, NULL);
	}
	household_free(r->cur);
	household_free(r->out);
	for (size_t i = 0; i < r->ready_count; i++)
		household_free(r->ready[(r->ready_head + i) % r->ready_cap]);
	for (size_t i = 0; i < r->spare_count; i++)
		household_free(r->spare[i]);
	free(r->ready);
	free(r->spare);
	if (r->plug)
		xmlSchemaSAXUnplug(r->plug);
	if (r->ctxt) {
		xmlFreeDoc(r->ctxt->myDoc);
		xmlFreeParserCtxt(r->ctxt);
	}
	if (r->vctxt)
		xmlSchemaFreeValidCtxt(r->vctxt);
	if (r->schema)
		xmlSchemaFree(r->schema);
	if (r->file)
		fclose(r->file);
	pthread_cond_destroy(&r->changed);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

int caf_reader_next(struct caf_reader *r, const struct caf_household **hh)
{
	int state;

	pthread_mutex_lock(&r->lock);
	if (r->out)
		household_spare(r, r->out);
	r->out = NULL;
	for (;;) {
		if (r->ready_count) {
			r->out = r->ready[r->ready_head];
			r->ready_head = (r->ready_head + 1) % r->ready_cap;
			r->ready_count--;
			pthread_cond_broadcast(&r->changed);
			break;
		}
		if (r->finished)
			break;
		if (r->threaded) {
			pthread_cond_wait(&r->changed, &r->lock);
		} else {
			pthread_mutex_unlock(&r->lock);
			feed_here(r);
			pthread_mutex_lock(&r->lock);
		}
	}
	state = r->out ? CAF_HOUSEHOLD : r->final_state;
	r->caller_header = r->out ? slot_of(r->out)->header : r->final_header;
	pthread_mutex_unlock(&r->lock);
	*hh = r->out;
	return state;
}

/* ---- a rejected household's XML, read again ------------------------------ */

struct rescan {
	struct caf_reader *r;
	long long next;       /* input offset of the block after buf */
	long scanned;
	long len, pos;
	char buf[16384];
};

static int rescan_byte(struct rescan *s)
{
	if (s->pos == s->len) {
		if (s->scanned >= CAF_REREAD_MAX)
			return -1;
		s->len = input_at(s->r, s->next, s->buf, sizeof s->buf);
		if (s->len <= 0)
			return -1;
		s->next += s->len;
		s->scanned += s->len;
		s->pos = 0;
	}
	return (unsigned char)s->buf[s->pos++];
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_tag_end(int c)
{
	return c == '>' || c == '/' || is_space(c);
}

/* Skips to the household's start tag (its line, then its rank on the
 * line) and puts it in raw. */
static int rescan_start(struct rescan *s, const struct caf_household *hh, struct buf *raw)
{
	static const char tag[] = "<InfosFoyerRSA";
	long line = hh->raw_line, rank = hh->raw_rank;
	size_t k = 0;
	int c;

	while (line < hh->line)
		if ((c = rescan_byte(s)) < 0)
			return -1;
		else
			line += c == '\n';
	while ((c = rescan_byte(s)) >= 0 && c != '\n') {
		if (k == sizeof tag - 1 && is_tag_end(c) && rank-- == 0) {
			buf_add(raw, tag, k);
			return buf_addch(raw, (char)c);
		}
		k = c == tag[k] && k < sizeof tag - 1 ? k + 1 : c == '<';
	}
	return -1;
}

/* Copies up to its end tag, at most CAF_FRAGMENT_MAX bytes. 0 whole, 1 cut. */
static int rescan_rest(struct rescan *s, struct buf *raw)
{
	static const char tag[] = "</InfosFoyerRSA";
	size_t k = 0;
	int c, in_end = 0; /* after "</InfosFoyerRSA" and spaces */

	while ((c = rescan_byte(s)) >= 0) {
		if (buf_addch(raw, (char)c))
			return 1;
		if ((in_end || k == sizeof tag - 1) && c == '>')
			return 0;
		in_end = (in_end || k == sizeof tag - 1) && is_space(c);
		k = c == tag[k] && k < sizeof tag - 1 ? k + 1 : c == '<';
	}
	return -1;
}

/* raw in the document's encoding → UTF-8 into out (cut at a character). */
static int to_utf8(struct caf_reader *r, struct buf *raw, struct buf *out, int *cut)
{
	const char *enc = r->encoding[0] ? r->encoding : NULL;
	size_t in_left = raw->len, out_left = raw->len * 4 + 4, n;
	char *conv = NULL, *in = raw->data, *o;
	const char *text = raw->data;
	iconv_t cd;

	if (enc && strcasecmp(enc, "UTF-8") && strcasecmp(enc, "UTF8")) {
		cd = iconv_open("UTF-8", enc);
		conv = cd == (iconv_t)-1 ? NULL : malloc(out_left);
		if (!conv) {
			if (cd != (iconv_t)-1)
				iconv_close(cd);
			return -1;
		}
		o = conv;
		n = iconv(cd, &in, &in_left, &o, &out_left);
		iconv_close(cd);
		if (n == (size_t)-1 && !*cut) {
			free(conv);
			return -1;
		}
		text = conv;
		n = (size_t)(o - conv);
	} else {
		n = raw->len;
	}
	if (n >= CAF_FRAGMENT_MAX) {
		n = CAF_FRAGMENT_MAX - 1;
		while (n && ((unsigned char)text[n] & 0xC0) == 0x80)
			n--;
		*cut = 1;
	}
	buf_add(out, text, n);
	free(conv);
	return 0;
}

const char *caf_reader_fragment(struct caf_reader *r)
{
	struct caf_household *hh = r->out;
	struct rescan *s;
	struct buf raw;
	int rc = -1;

	if (!hh)
		return "";
	s = calloc(1, sizeof *s);
	buf_init(&raw, CAF_FRAGMENT_MAX);
	buf_reset(&hh->fragment);
	hh->fragment_cut = 0;
	if (s && hh->raw_offset >= 0) {
		s->r = r;
		s->next = hh->raw_offset;
		rc = rescan_start(s, hh, &raw);
	}
	if (!rc) {
		rc = rescan_rest(s, &raw);
		hh->fragment_cut = rc == 1;
		if (rc >= 0)
			rc = to_utf8(r, &raw, &hh->fragment, &hh->fragment_cut);
	}
	/* The household's matricule must be in it: else what was found is
	 * not this household (a comment naming InfosFoyerRSA on its line). */
	if (!rc && hh->matricule[0] && !hh->fragment_cut &&
	    !strstr(buf_str(&hh->fragment), hh->matricule))
		rc = -1;
	if (rc) {
		buf_reset(&hh->fragment);
		buf_addstr(&hh->fragment, "<!-- (le XML de ce foyer n'a pas pu être relu dans le "
					  "fichier) -->");
		hh->fragment_cut = 0;
	}
	buf_release(&raw);
	free(s);
	return buf_str(&hh->fragment);
}

const struct caf_flux_header *caf_reader_header(const struct caf_reader *r)
{
	return &r->caller_header;
}

const char *caf_reader_error(const struct caf_reader *r)
{
	return r->error;
}

int caf_reader_error_in_household(const struct caf_reader *r)
{
	return r->error_in_hh;
}
