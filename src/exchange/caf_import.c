/* caf_import.c — applies a CAF/MSA flux; see caf_import.h and docs/modules/caf.md. */
#include "exchange/caf_import.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/text.h"
#include "db/db.h"
#include "exchange/caf_xml.h"
#include "exchange/import_run.h"
#include "model/problems.h"
#include "model/record.h"
#include "model/schema.h"

#define CAF_MAX_BODIES 8
#define CAF_MAX_COMMUNES 1024 /* communes whose territory a run remembers */
/* household + each person + at most two periods each + people who left */
#define CAF_MAX_WRITTEN (4 * CAF_MAX_PERSONS + 8)

enum {
	ST_HOUSEHOLD,     /* the household record by id */
	ST_HOUSEHOLD_CAF, /* a household's id by matricule and paying body */
	ST_PERSON,        /* the person record by id */
	ST_PERSON_NIR,    /* people whose NIR starts with 13 characters */
	ST_PERSON_BIRTH,  /* people of a household, with their birth dates */
	ST_MEMBERS,       /* ids of a household's people */
	ST_PERIODS,       /* a person's right periods, oldest first */
	ST_TERRITORY,     /* the territory of a commune */
	ST_PERSON_ID,     /* is this person id taken? */
	ST_PERIOD_ID,     /* is this right period id taken? */
	ST_LAST_DTREF,    /* the last DTREF of a paying body */
	ST_COUNT
};

/* A paying body met in this file and whether its flux is older than the
 * last one taken. */
struct caf_body {
	char name[24];
	char last[11];
	int older;
};

struct caf_run {
	struct import_run ir;     /* counts, report, the household's problems and writes */
	const struct caf_import_options *opt;
	const struct caf_flux_header *header;
	long people, people_created, periods_written;

	char dtref[11];
	long month_first, month_last;
	struct caf_body bodies[CAF_MAX_BODIES];
	size_t nbodies;
	char body[24];            /* of the flux: its first household's */
	int forced;               /* households of an older flux were taken */
	long forced_changes;
	long no_dem;

	/* The territory of each commune met (the table does not change during
	 * a run): one lookup per commune instead of one per household. */
	struct caf_commune {
		char commune[16];
		char territory[80]; /* "" when the commune is in no territory */
	} communes[CAF_MAX_COMMUNES];
	size_t ncommunes;
	char territory_found[80]; /* when the list is full */

	/* the household being applied */
	const struct caf_household *hh;
	int show_changes;
	char matched[CAF_MAX_PERSONS][80];
};

/* The first four are the run's (import_count()). */
enum outcome { HH_CREATED = IMPORT_CREATED, HH_UPDATED = IMPORT_UPDATED,
	       HH_UNCHANGED = IMPORT_UNCHANGED, HH_REJECTED = IMPORT_REJECTED, HH_REFUSE_FILE,
	       HH_FAILED };

/* ---- small helpers -------------------------------------------------------- */

static int is_date(const char *s, long *days)
{
	long d;

	return s[0] && !date_parse(s, days ? days : &d);
}

_Static_assert(ST_COUNT <= IMPORT_MAX_STMTS, "import_run keeps IMPORT_MAX_STMTS statements");

/* The statements of a run (import_stmt()). */
static void stmt_sql(int which, struct buf *out)
{
	switch (which) {
	case ST_HOUSEHOLD:
		buf_addf(out, "%s WHERE id = ?", record_select_sql(&type_household));
		break;
	case ST_HOUSEHOLD_CAF:
		/* A household created elsewhere (the exchange format, the demo)
		 * is the same household when its matricule and paying body
		 * match; one without a paying body matches any. */
		buf_addstr(out, "SELECT id, paying_body FROM household WHERE caf_number = ? AND "
				 "(paying_body = ? OR paying_body IS NULL)");
		break;
	case ST_PERSON:
		buf_addf(out, "%s WHERE id = ?", record_select_sql(&type_person));
		break;
	case ST_PERSON_NIR:
		/* A range on the index: a 15-character NIR sorts after its 13
		 * first characters and before them followed by ':'. Which one
		 * is taken is chosen in match_person() (no sort for the usual
		 * zero or one row). */
		buf_addstr(out, "SELECT id, household FROM person WHERE nir >= ? AND nir < ?");
		break;
	case ST_PERSON_BIRTH:
		/* By the household only (a few people), the birth date compared
		 * here: an index on the day would be walked through everyone born
		 * on it. */
		buf_addstr(out, "SELECT id, first_name, last_name, nir, birth_date FROM person "
				 "WHERE household = ? ORDER BY id");
		break;
	case ST_MEMBERS:
		buf_addstr(out, "SELECT id FROM person WHERE household = ? ORDER BY id");
		break;
	case ST_PERIODS:
		buf_addf(out, "%s WHERE person = ? ORDER BY start_date, id",
			 record_select_sql(&type_right_period));
		break;
	case ST_TERRITORY:
		buf_addstr(out, "SELECT territory FROM territory_commune WHERE commune = ? "
				 "ORDER BY territory");
		break;
	case ST_PERSON_ID:
		buf_addstr(out, "SELECT 1 FROM person WHERE id = ?");
		break;
	case ST_PERIOD_ID:
		buf_addstr(out, "SELECT 1 FROM right_period WHERE id = ?");
		break;
	case ST_LAST_DTREF:
		buf_addstr(out, "SELECT last_dtref FROM caf_paying_body WHERE paying_body = ?");
		break;
	default:
		break;
	}
}

static struct db_stmt *stmt(struct caf_run *run, int which)
{
	return import_stmt(&run->ir, which);
}

static int id_taken(struct caf_run *run, int which, const char *id)
{
	struct db_stmt *st = stmt(run, which);
	int taken;

	if (!st)
		return 1;
	db_bind_text(st, 1, id);
	taken = db_step(st) == DB_ROW;
	db_reset(st);
	return taken;
}

static const char *str(json_t *rec, const char *key)
{
	return json_string_value(json_object_get(rec, key));
}

static void set_str(json_t *rec, const char *key, const char *value)
{
	json_object_set_new(rec, key, json_string(value));
}

/* ---- the flux's names for the model's fields ------------------------------ */

/* Reports name the element the value came from, which is what the person
 * reading the report can look up in the flux. */
static const char *flux_field(void *importer, const char *type, const char *field)
{
	static const char *const map[][3] = {
		{ "household", "caf_number", "MATRICULE" },
		{ "household", "paying_body", "FONORG" },
		{ "household", "rsa_request_number", "NUMDEMRSA" },
		{ "household", "rsa_request_date", "DTDEMRSA" },
		{ "household", "commune", "NUMCOM" },
		{ "household", "family_situation", "SITFAM" },
		{ "person", "role", "ROLEPERS" },
		{ "person", "first_name", "PRENOM" },
		{ "person", "last_name", "NOM" },
		{ "person", "birth_name", "NOMNAI" },
		{ "person", "birth_date", "DTNAI" },
		{ "person", "sex", "SEXE" },
		{ "person", "title", "QUAL" },
		{ "person", "nir", "NIR" },
		{ "person", "address", "Adresse" },
		{ "right_period", "state", "ETATDOSRSA" },
		{ "right_period", "subject_to_duties", "TOPPERSDRODEVORSA" },
	};

	(void)importer;
	if (!type || !field)
		return field;
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (!strcmp(map[i][0], type) && !strcmp(map[i][1], field))
			return map[i][2];
	return field;
}

/* ---- writing -------------------------------------------------------------- */

static void print_value(FILE *f, json_t *v)
{
	char *s;

	if (!v) {
		fputs("(absent)", f);
	} else if (json_is_string(v)) {
		fputs(json_string_value(v), f);
	} else {
		s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
		fputs(s ? s : "?", f);
		free(s);
	}
}

/* What a write under --force changes, field by field. */
static void print_changes(struct caf_run *run, const struct type_def *t, const char *id,
			  json_t *old, json_t *rec)
{
	FILE *f = run->ir.out;

	run->forced_changes++;
	if (!f)
		return;
	if (!old) {
		fprintf(f, "%s: --force: created %s %s\n", run->ir.path, t->name, id);
		return;
	}
	for (size_t i = 0; i < t->nfields; i++) {
		const char *name = t->fields[i].name;
		json_t *a = json_object_get(old, name), *b = json_object_get(rec, name);
		if ((!a && !b) || (a && b && json_equal(a, b)))
			continue;
		fprintf(f, "%s: --force: changed %s %s: %s: ", run->ir.path, t->name, id, name);
		print_value(f, a);
		fputs(" -> ", f);
		print_value(f, b);
		fputc('\n', f);
	}
}

/* Writes rec as t/id unless it equals old (import_put()), telling what
 * --force changes. */
static int put(struct caf_run *run, const struct type_def *t, const char *id, json_t *old,
	       json_t *rec, long line)
{
	size_t before = run->ir.nwritten;
	int rc = import_put(&run->ir, t, id, old, rec, line);

	if (!rc && run->ir.nwritten > before && run->show_changes)
		print_changes(run, t, id, old, rec);
	return rc;
}

/* ---- rejections ----------------------------------------------------------- */

static void copy_reader_problems(struct caf_run *run, const struct caf_household *hh)
{
	size_t kept = hh->nproblems < CAF_MAX_PROBLEMS ? hh->nproblems : CAF_MAX_PROBLEMS;

	problems_at(&run->ir.pb, hh->line, NULL, NULL);
	for (size_t i = 0; i < kept; i++)
		problem_add(&run->ir.pb, hh->problems[i].field[0] ? hh->problems[i].field : NULL, "%s",
			    hh->problems[i].reason);
	if (hh->nproblems > kept)
		problem_add(&run->ir.pb, NULL, "et %zu autre(s) problème(s)", hh->nproblems - kept);
}

/* Tells the household's problems and keeps them, with its XML (read
 * again from the file: only now is it needed), in the report. Runs after
 * the household's savepoint was rolled back to. */
static int record_rejection(struct caf_run *run, struct caf_reader *reader,
			    const struct caf_household *hh)
{
	struct import_rejected rej = { 0 };
	struct buf fragment;
	char who[120];
	int rc;

	buf_init(&fragment, CAF_FRAGMENT_MAX + 100);
	buf_addstr(&fragment, caf_reader_fragment(reader));
	if (hh->fragment_cut)
		buf_addstr(&fragment, "\n<!-- (coupé : fragment de plus de 64 Kio) -->");
	snprintf(who, sizeof who, "household %ld (MATRICULE %s)", hh->position,
		 hh->matricule[0] ? hh->matricule : "?");
	rej.line = hh->line;
	rej.who = who;
	rej.identifier = hh->matricule[0] ? hh->matricule : NULL;
	rej.text = buf_str(&fragment);
	rej.tag_number = hh->position;
	rc = import_reject(&run->ir, &rej);
	buf_release(&fragment);
	return rc;
}

/* The rest of a file whose XML stopped being readable, as one rejection. */
static int record_broken_rest(struct caf_run *run, const char *error, int in_household)
{
	struct import_rejected rej = { 0 };
	long line = 0;

	/* The reader's messages start with "ligne N : ". */
	if (!strncmp(error, "ligne ", 6))
		line = strtol(error + 6, NULL, 10);
	rej.tag_number = run->header->households + !in_household;
	return import_rejection_row(&run->ir, &rej, NULL, error, line, 0);
}

/* ---- the paying body and its last DTREF ----------------------------------- */

static struct caf_body *paying_body(struct caf_run *run, const struct caf_household *hh)
{
	char name[24];
	struct caf_body *b;
	struct db_stmt *st;

	/* FONORG and NUMORG: two CAF send two independent series of fluxes. */
	snprintf(name, sizeof name, "%s%s%s", hh->fonorg, hh->numorg[0] ? " " : "", hh->numorg);
	for (size_t i = 0; i < run->nbodies; i++)
		if (!strcmp(run->bodies[i].name, name))
			return &run->bodies[i];
	if (run->nbodies == CAF_MAX_BODIES)
		return NULL;
	b = &run->bodies[run->nbodies++];
	snprintf(b->name, sizeof b->name, "%s", name);
	st = stmt(run, ST_LAST_DTREF);
	if (st) {
		db_bind_text(st, 1, name);
		if (db_step(st) == DB_ROW && db_col_text(st, 0))
			snprintf(b->last, sizeof b->last, "%s", db_col_text(st, 0));
		db_reset(st);
	}
	b->older = b->last[0] && strcmp(run->dtref, b->last) < 0;
	if (!run->body[0])
		snprintf(run->body, sizeof run->body, "%s", name);
	if (b->older && run->opt->force)
		import_warn(&run->ir, "DTREF %s antérieure au dernier flux pris pour %s (%s) : pris avec --force",
		     run->dtref, name, b->last);
	return b;
}

/* ---- people --------------------------------------------------------------- */

static int same_name(const char *a_last, const char *a_first, const char *b_last,
		     const char *b_first)
{
	char *x = text_fold(a_last), *y = text_fold(b_last);
	char *u = text_fold(a_first), *v = text_fold(b_first);
	int same = x && y && u && v && !strcmp(x, y) && !strcmp(u, v);

	free(x);
	free(y);
	free(u);
	free(v);
	return same;
}

/* The existing person a Personne designates: by NIR anywhere, else by
 * last name, first name and birth date within the household (and without
 * another NIR) when the household existed. Writes the id into out, or ""
 * when there is none. */
/* Keeps id in out when it is the first or smaller than the one there. */
static void keep_smallest(char out[80], const char *id)
{
	if (id && (!out[0] || strcmp(id, out) < 0))
		snprintf(out, 80, "%s", id);
}

/* In a household created by this flux, the people written so far are the
 * flux's earlier Personne: compared here, without a query. */
static void match_earlier(struct caf_run *run, size_t i, const struct caf_person *p, char out[80])
{
	for (size_t k = 0; k < i; k++) {
		const struct caf_person *q = &run->hh->persons[k];
		if (strcmp(q->dtnai, p->dtnai) || (q->nir[0] && p->nir[0] && strncmp(q->nir, p->nir, 13)))
			continue;
		if (same_name(q->nom, q->prenom, p->nom, p->prenom))
			keep_smallest(out, run->matched[k]);
	}
}

/* -1 on a database failure, else 0 with the id in out ("" for nobody). */
static int match_person(struct caf_run *run, size_t i, const char *household, int new_household,
			const struct caf_person *p, char out[80])
{
	struct db_stmt *st;
	char nir13[14], upper[15];
	int rc = DB_DONE;

	out[0] = '\0';
	if (strlen(p->nir) >= 13) {
		memcpy(nir13, p->nir, 13);
		nir13[13] = '\0';
		snprintf(upper, sizeof upper, "%s:", nir13);
		st = stmt(run, ST_PERSON_NIR);
		if (!st)
			return -1;
		{
			/* Someone of this household first, then the smallest id. */
			int best_here = 0;
			db_bind_text(st, 1, nir13);
			db_bind_text(st, 2, upper);
			while ((rc = db_step(st)) == DB_ROW) {
				const char *id = db_col_text(st, 0), *of = db_col_text(st, 1);
				int here = of && !strcmp(of, household);
				if (!id || (out[0] && (best_here > here ||
						       (best_here == here && strcmp(id, out) >= 0))))
					continue;
				snprintf(out, 80, "%s", id);
				best_here = here;
			}
			db_reset(st);
		}
		if (rc != DB_DONE)
			return -1;
		if (out[0])
			return 0;
	}
	if (!p->dtnai[0])
		return 0;
	if (new_household) {
		match_earlier(run, i, p, out);
		return 0;
	}
	if (!(st = stmt(run, ST_PERSON_BIRTH)))
		return -1;
	db_bind_text(st, 1, household);
	while ((rc = db_step(st)) == DB_ROW) {
		const char *nir = db_col_text(st, 3), *born = db_col_text(st, 4);
		if (!born || strcmp(born, p->dtnai) || (nir && p->nir[0] && strncmp(nir, p->nir, 13)))
			continue;
		if (same_name(db_col_text(st, 2), db_col_text(st, 1), p->nom, p->prenom)) {
			snprintf(out, 80, "%s", db_col_text(st, 0));
			rc = DB_DONE;
			break;
		}
	}
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}

/* An id for a new person: nir-<NIR13>, else caf-<MATRICULE>-<n> with the
 * smallest free n, so that two databases fed the same fluxes agree. */
static void new_person_id(struct caf_run *run, const struct caf_household *hh,
			  const struct caf_person *p, char out[80])
{
	if (strlen(p->nir) >= 13) {
		snprintf(out, 80, "nir-%.13s", p->nir);
		if (exchange_id_valid(out) && !id_taken(run, ST_PERSON_ID, out))
			return;
	}
	for (int n = 1;; n++) {
		snprintf(out, 80, "caf-%s-%d", hh->matricule, n);
		if (!id_taken(run, ST_PERSON_ID, out))
			return;
	}
}

static const char *person_role(const struct caf_person *p)
{
	return p->role_rsa[0] ? p->role_rsa : p->role_other;
}

static void address_text(const struct caf_address *a, char *out, size_t size)
{
	const char *parts[5];
	char street[400], town[200];
	size_t n = 0, len = 0;

	snprintf(street, sizeof street, "%s%s%s%s%s", a->numvoie, a->numvoie[0] ? " " : "",
		 a->libtypevoie, a->libtypevoie[0] ? " " : "", a->nomvoie);
	snprintf(town, sizeof town, "%s%s%s", a->codepos, a->codepos[0] ? " " : "", a->nomcom);
	parts[n++] = a->complideadr;
	parts[n++] = a->compladr;
	parts[n++] = street;
	parts[n++] = a->lieudist;
	parts[n++] = town;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (parts[i][strspn(parts[i], " ")] == '\0')
			continue;
		len += (size_t)snprintf(out + len, len < size ? size - len : 0, "%s%s",
					len ? ", " : "", parts[i]);
		if (len >= size)
			break;
	}
}

/* The flux writes names in capitals, often without accents: a name that
 * differs from the one known only by case and accents keeps the known
 * spelling ("Léna" is not replaced by "LENA"). */
static void set_name(json_t *rec, const char *key, const char *value)
{
	const char *known = str(rec, key);
	char *a, *b;
	int same;

	if (!known) {
		set_str(rec, key, value);
		return;
	}
	a = text_fold(known);
	b = text_fold(value);
	same = a && b && !strcmp(a, b);
	free(a);
	free(b);
	if (!same)
		set_str(rec, key, value);
}

static json_t *person_record(const struct caf_household *hh, const struct caf_person *p,
			     const char *household, json_t *old)
{
	json_t *rec = old ? json_deep_copy(old) : json_object();
	const char *role = person_role(p);
	const char *old_nir = str(rec, "nir");

	set_str(rec, "household", household);
	if (role[0])
		set_str(rec, "role", role);
	else
		json_object_del(rec, "role");
	set_name(rec, "first_name", p->prenom);
	set_name(rec, "last_name", p->nom);
	/* NOMNAI is always given, the same as NOM for most people: a birth
	 * name is only kept when it says something. */
	if (p->nomnai[0] && (str(rec, "birth_name") || !same_name(p->nomnai, "", p->nom, "")))
		set_name(rec, "birth_name", p->nomnai);
	set_str(rec, "birth_date", p->dtnai);
	/* SEXE: 1 a man, 2 a woman; anything else goes to the model as it is,
	 * which refuses it by name. */
	set_str(rec, "sex", !strcmp(p->sexe, "1") ? "M" : !strcmp(p->sexe, "2") ? "F" : p->sexe);
	if (!strcmp(p->qual, "MR"))
		set_str(rec, "title", "MR");
	else if (!strcmp(p->qual, "MME") || !strcmp(p->qual, "MLE"))
		set_str(rec, "title", "MME");
	/* A 15-character NIR already known (with its key) is kept when the
	 * flux gives the same 13 first characters. */
	if (p->nir[0] && !(old_nir && strlen(old_nir) == 15 && !strncmp(old_nir, p->nir, 13) &&
			   strlen(p->nir) == 13))
		set_str(rec, "nir", p->nir);
	/* The address is contact data that référents keep up to date: the
	 * flux's fills it when there is none (the household's commune and
	 * territory always follow the flux). */
	if (hh->has_address && strcmp(role, "ENF") && !str(rec, "address")) {
		char text[600];
		address_text(&hh->address, text, sizeof text);
		if (text[0])
			set_str(rec, "address", text);
	}
	return rec;
}

/* ---- right periods -------------------------------------------------------- */

static int truthy(const char *s, int *value)
{
	if (!s[0] || !strcmp(s, "0") || !strcmp(s, "false")) {
		*value = 0;
		return 0;
	}
	if (!strcmp(s, "1") || !strcmp(s, "true")) {
		*value = 1;
		return 0;
	}
	return -1;
}

struct period {
	char id[80];
	json_t *rec;
};

static size_t load_periods(struct caf_run *run, const char *person, struct period *out, size_t max,
			   int *failed)
{
	struct db_stmt *st = stmt(run, ST_PERIODS);
	size_t n = 0;
	int rc;

	*failed = 0;
	if (!st) {
		*failed = 1;
		return 0;
	}
	db_bind_text(st, 1, person);
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == max)
			continue;
		snprintf(out[n].id, sizeof out[n].id, "%s", db_col_text(st, 0));
		out[n].rec = record_from_row(&type_right_period, st);
		json_object_del(out[n].rec, "type");
		json_object_del(out[n].rec, "id");
		n++;
	}
	if (rc != DB_DONE)
		*failed = 1;
	db_reset(st);
	return n;
}

static void free_periods(struct period *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		json_decref(p[i].rec);
}

static int open_period(struct caf_run *run, const char *person, long start, const char *state,
		       int duties, long line)
{
	char id[96], day[11];
	json_t *rec;
	int rc;

	date_format(start, day);
	snprintf(id, sizeof id, "rp-%s-%s", person, day);
	for (int n = 2; id_taken(run, ST_PERIOD_ID, id) || !exchange_id_valid(id); n++) {
		if (n > 99)
			return -1;
		snprintf(id, sizeof id, "rp-%s-%s-%d", person, day, n);
	}
	rec = json_pack("{s:s, s:s, s:s, s:b}", "person", person, "start", day, "state", state,
			"subject_to_duties", duties);
	rc = put(run, &type_right_period, id, NULL, rec, line);
	if (!rc)
		run->periods_written++;
	json_decref(rec);
	return rc;
}

/* Ends (or, when it began on or after the boundary, rewrites) a period. */
static int change_period(struct caf_run *run, struct period *p, long end, const char *state,
			 int duties, long line)
{
	json_t *rec = json_deep_copy(p->rec);
	char day[11];
	int rc;

	if (state) {
		set_str(rec, "state", state);
		json_object_set_new(rec, "subject_to_duties", json_boolean(duties));
	} else {
		date_format(end, day);
		set_str(rec, "end", day);
	}
	rc = put(run, &type_right_period, p->id, p->rec, rec, line);
	if (!rc)
		run->periods_written++;
	json_decref(rec);
	return rc;
}

/* The day the household's right changed this month: the day after the
 * closing date when the flux gives one in DTREF's month, else the month's
 * first day. */
static long change_day(struct caf_run *run, const struct caf_household *hh)
{
	const char *clo = hh->dtclorsa[0] ? hh->dtclorsa : hh->dtclorsa_prev;
	long day;

	if (is_date(clo, &day) && day >= run->month_first && day <= run->month_last)
		return day + 1;
	return run->month_first;
}

/* The rules of formats/README.md for one person of the flux (new: created
 * just now, so without any period yet). */
static int apply_periods(struct caf_run *run, const struct caf_household *hh,
			 const struct caf_person *p, const char *person, int new)
{
	struct period periods[256];
	const char *state = hh->etatdosrsa;
	long boundary = change_day(run, hh), start, last_end = 0, request;
	struct period *open = NULL;
	int duties = 0, failed = 0, rc = 0;
	size_t n;

	truthy(p->top_sdd, &duties);
	n = new ? 0 : load_periods(run, person, periods, 256, &failed);
	if (!new && failed)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const char *end = str(periods[i].rec, "end");
		long e;
		if (!end)
			open = &periods[i];
		else if (!date_parse(end, &e) && e > last_end)
			last_end = e;
	}
	if (n == 0) {
		/* First seen: from the RSA request when the flux gives it. */
		start = is_date(hh->dtdemrsa, &request) ? request : run->month_first;
		rc = open_period(run, person, start, state, duties, p->line);
	} else if (open) {
		long open_start = 0;
		int same = !strcmp(str(open->rec, "state") ? str(open->rec, "state") : "", state) &&
			   json_is_true(json_object_get(open->rec, "subject_to_duties")) == duties;
		date_parse(str(open->rec, "start"), &open_start);
		if (same)
			rc = 0; /* unchanged values write nothing */
		else if (open_start < boundary) {
			rc = change_period(run, open, boundary - 1, NULL, 0, p->line);
			if (!rc)
				rc = open_period(run, person, boundary, state, duties, p->line);
		} else {
			/* It began this month (or later): no day is left before
			 * the boundary, so it takes the new values. */
			rc = change_period(run, open, 0, state, duties, p->line);
		}
	} else {
		start = boundary > last_end ? boundary : last_end + 1;
		rc = open_period(run, person, start, state, duties, p->line);
	}
	free_periods(periods, n);
	return rc;
}

/* People of the household that the flux no longer lists: their open
 * period ends on the last day of the month before DTREF's. */
static int close_departed(struct caf_run *run, const char *household, size_t nmatched)
{
	struct db_stmt *st = stmt(run, ST_MEMBERS);
	json_t *members = json_array(), *m;
	size_t i;
	int rc = 0;

	if (!st) {
		json_decref(members);
		return -1;
	}
	db_bind_text(st, 1, household);
	while (db_step(st) == DB_ROW)
		json_array_append_new(members, json_string(db_col_text(st, 0)));
	db_reset(st);
	json_array_foreach(members, i, m) {
		const char *id = json_string_value(m);
		struct period periods[256];
		size_t n, k;
		int failed, listed = 0;

		for (k = 0; k < nmatched && !listed; k++)
			listed = !strcmp(run->matched[k], id);
		if (listed)
			continue;
		n = load_periods(run, id, periods, 256, &failed);
		for (k = 0; k < n && !failed && !rc; k++) {
			long start;
			if (str(periods[k].rec, "end") || date_parse(str(periods[k].rec, "start"), &start))
				continue;
			if (start <= run->month_first - 1)
				rc = change_period(run, &periods[k], run->month_first - 1, NULL, 0,
						   run->hh->line);
		}
		free_periods(periods, n);
		if (failed)
			rc = -1;
		if (rc)
			break;
	}
	json_decref(members);
	return rc;
}

/* ---- one household -------------------------------------------------------- */

/* What the flux must hold for a household to be applied at all. */
static void check_flux_values(struct caf_run *run, const struct caf_household *hh)
{
	int v;

	problems_at(&run->ir.pb, hh->line, NULL, NULL);
	if (!hh->matricule[0])
		problem_add(&run->ir.pb, "MATRICULE", "absent : le foyer ne peut pas être identifié");
	if (!hh->fonorg[0])
		problem_add(&run->ir.pb, "FONORG", "absent : l'organisme payeur n'est pas connu");
	if (strlen(hh->etatdosrsa) != 1 || hh->etatdosrsa[0] < '0' || hh->etatdosrsa[0] > '6')
		problem_add(&run->ir.pb, "ETATDOSRSA", "« %s » n'est pas un état du droit (0 à 6)",
			    hh->etatdosrsa);
	if (hh->dtclorsa[0] && !is_date(hh->dtclorsa, NULL))
		problem_add(&run->ir.pb, "DTCLORSA", "« %s » n'est pas une date réelle AAAA-MM-JJ",
			    hh->dtclorsa);
	if (hh->dtclorsa_prev[0] && !is_date(hh->dtclorsa_prev, NULL))
		problem_add(&run->ir.pb, "DTCLORSA", "« %s » n'est pas une date réelle AAAA-MM-JJ",
			    hh->dtclorsa_prev);
	for (size_t i = 0; i < hh->npersons; i++) {
		const struct caf_person *p = &hh->persons[i];
		problems_at(&run->ir.pb, p->line, NULL, NULL);
		if (truthy(p->top_sdd, &v))
			problem_add(&run->ir.pb, "TOPPERSDRODEVORSA", "« %s » n'est ni 0 ni 1", p->top_sdd);
		if (strlen(p->nir) != 0 && strlen(p->nir) < 13)
			problem_add(&run->ir.pb, "NIR", "le NIR compte 13 caractères, ou 15 avec la clé");
	}
}

/* The territory of a commune ("" when none), remembered for the run;
 * NULL on a database failure. */
static const char *commune_territory(struct caf_run *run, const char *commune)
{
	char *looked_up = run->territory_found;
	struct caf_commune *c = NULL;
	struct db_stmt *st = stmt(run, ST_TERRITORY);

	for (size_t i = 0; i < run->ncommunes; i++)
		if (!strcmp(run->communes[i].commune, commune))
			return run->communes[i].territory;
	int rc;

	if (!st)
		return NULL;
	looked_up[0] = '\0';
	db_bind_text(st, 1, commune);
	if ((rc = db_step(st)) == DB_ROW && db_col_text(st, 0))
		snprintf(looked_up, sizeof run->territory_found, "%s", db_col_text(st, 0));
	db_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return NULL; /* not remembered: the next household asks again */
	if (run->ncommunes < CAF_MAX_COMMUNES && strlen(commune) < sizeof c->commune)
		c = &run->communes[run->ncommunes++];
	if (!c)
		return looked_up;
	snprintf(c->commune, sizeof c->commune, "%s", commune);
	snprintf(c->territory, sizeof c->territory, "%s", looked_up);
	return c->territory;
}

static int apply_household_record(struct caf_run *run, const struct caf_household *hh,
				  char hid[80], int *created)
{
	json_t *old = NULL, *rec;
	struct db_stmt *st;
	int rc;

	snprintf(hid, 80, "caf-%s-%s", hh->fonorg, hh->matricule);
	if (!exchange_id_valid(hid)) {
		problems_at(&run->ir.pb, hh->line, NULL, NULL);
		problem_add(&run->ir.pb, "MATRICULE", "« %s » ne peut pas former un identifiant",
			    hh->matricule);
		return 1;
	}
	old = import_load(&run->ir, ST_HOUSEHOLD, &type_household, hid);
	if (!old && (st = stmt(run, ST_HOUSEHOLD_CAF)) != NULL) {
		/* With this paying body first, then the smallest id. */
		int best_body = 0;
		int step;
		hid[0] = '\0';
		db_bind_text(st, 1, hh->matricule);
		db_bind_text(st, 2, hh->fonorg);
		while ((step = db_step(st)) == DB_ROW) {
			const char *id = db_col_text(st, 0);
			int body = db_col_text(st, 1) != NULL;
			if (!id || (hid[0] && (best_body > body ||
					       (best_body == body && strcmp(id, hid) >= 0))))
				continue;
			snprintf(hid, 80, "%s", id);
			best_body = body;
		}
		db_reset(st);
		if (step != DB_DONE)
			return -1;
		if (hid[0])
			old = import_load(&run->ir, ST_HOUSEHOLD, &type_household, hid);
	}
	if (!old)
		snprintf(hid, 80, "caf-%s-%s", hh->fonorg, hh->matricule);
	*created = old == NULL;
	rec = old ? json_deep_copy(old) : json_object();
	set_str(rec, "caf_number", hh->matricule);
	set_str(rec, "paying_body", hh->fonorg);
	if (hh->numdemrsa[0])
		set_str(rec, "rsa_request_number", hh->numdemrsa);
	if (hh->dtdemrsa[0])
		set_str(rec, "rsa_request_date", hh->dtdemrsa);
	if (hh->sitfam[0])
		set_str(rec, "family_situation", hh->sitfam);
	if (hh->has_address && hh->address.numcom[0]) {
		/* The territory follows the commune; a commune outside every
		 * territory leaves the household without one. */
		const char *territory = commune_territory(run, hh->address.numcom);
		if (!territory) {
			json_decref(old);
			json_decref(rec);
			return -1;
		}
		set_str(rec, "commune", hh->address.numcom);
		json_object_del(rec, "territory");
		if (territory && territory[0])
			set_str(rec, "territory", territory);
	}
	rc = put(run, &type_household, hid, old, rec, hh->line);
	json_decref(old);
	json_decref(rec);
	return rc;
}

/* Returns -1 on a database failure, 1 when a person was refused (every
 * person is still looked at, so that the report lists all problems), 0. */
static int apply_people(struct caf_run *run, const struct caf_household *hh, const char *hid,
			int new_household)
{
	int bad = 0, has_dem = 0;

	for (size_t i = 0; i < hh->npersons; i++) {
		int rc = 0;
		const struct caf_person *p = &hh->persons[i];
		char pid[80];
		json_t *old = NULL, *rec;
		const char *role = person_role(p);
		int new;

		if (match_person(run, i, hid, new_household, p, pid))
			return -1;
		if (pid[0])
			old = import_load(&run->ir, ST_PERSON, &type_person, pid);
		else
			new_person_id(run, hh, p, pid);
		new = old == NULL;
		for (size_t k = 0; k < i; k++)
			if (!strcmp(run->matched[k], pid)) {
				problems_at(&run->ir.pb, p->line, NULL, NULL);
				problem_add(&run->ir.pb, "Personne",
					    "désigne la même personne (%s) qu'une autre Personne du foyer",
					    pid);
				rc = 1;
			}
		snprintf(run->matched[i], sizeof run->matched[i], "%s", pid);
		if (!rc) {
			rec = person_record(hh, p, hid, old);
			rc = put(run, &type_person, pid, old, rec, p->line);
			if (!rc && !old)
				run->people_created++;
			json_decref(rec);
		}
		json_decref(old);
		has_dem = has_dem || !strcmp(role, "DEM");
		/* Only the demandeur and the conjoint have the right and its
		 * duties (domain.md §1); children and others have no period. */
		if (!rc && !bad && (!strcmp(role, "DEM") || !strcmp(role, "CJT")))
			rc = apply_periods(run, hh, p, pid, new);
		if (rc < 0)
			return -1;
		bad |= rc;
	}
	if (!bad && !has_dem)
		run->no_dem++;
	return bad;
}

static enum outcome apply_household(struct caf_run *run, const struct caf_household *hh)
{
	struct caf_body *body;
	int created = 0, rc;
	char hid[80];

	import_record_begin(&run->ir, hh->line);
	run->hh = hh;
	run->show_changes = 0;
	if (hh->nproblems) {
		copy_reader_problems(run, hh);
		return HH_REJECTED;
	}
	check_flux_values(run, hh);
	if (problems_count(&run->ir.pb))
		return HH_REJECTED;
	body = paying_body(run, hh);
	if (body && body->older && !run->opt->force) {
		if (hh->position == 1 || !strcmp(body->name, run->body))
			return HH_REFUSE_FILE;
		problems_at(&run->ir.pb, hh->line, NULL, NULL);
		problem_add(&run->ir.pb, "DTREF", "flux antérieur au dernier pris pour %s (%s)",
			    body->name, body->last);
		return HH_REJECTED;
	}
	if (body && body->older) {
		run->forced = 1;
		run->show_changes = 1;
	}
	if (import_record_start(&run->ir))
		return HH_FAILED;
	rc = apply_household_record(run, hh, hid, &created);
	if (rc >= 0) {
		int people = apply_people(run, hh, hid, created);
		rc = people < 0 ? -1 : rc | people;
	}
	/* A new household has no one but the people just written. */
	if (!rc && !created)
		rc = close_departed(run, hid, hh->npersons);
	rc = import_record_end(&run->ir, rc);
	if (rc && run->show_changes && run->ir.nwritten && run->ir.out)
		fprintf(run->ir.out, "%s: --force: household %ld rejected: the changes above were "
				     "not kept\n", run->ir.path, hh->position);
	if (rc)
		return rc < 0 ? HH_FAILED : HH_REJECTED;
	run->people += (long)hh->npersons;
	return created ? HH_CREATED : run->ir.nwritten ? HH_UPDATED : HH_UNCHANGED;
}

/* ---- one file ------------------------------------------------------------- */

/* The report's own columns, and the newest DTREF per paying body. */
static int report_extra(struct import_run *ir, void *importer, const char *status)
{
	struct caf_run *run = importer;
	const struct caf_flux_header *h = run->header;
	int rc;

	rc = db_execf(ir->db,
		      "UPDATE caf_import SET paying_body = ?, dtref = ?, type_flux = ?, forced = ?, "
		      "households = ?, declared = ?, people = ?, people_created = ?, "
		      "periods_written = ? WHERE id = ?",
		      "sssiiiiiii", run->body[0] ? run->body : NULL, run->dtref[0] ? run->dtref : NULL,
		      h && h->typeflux[0] ? h->typeflux : NULL, (int64_t)run->forced,
		      (int64_t)(h ? h->households : 0),
		      (int64_t)(h && h->declared >= 0 ? h->declared : 0), (int64_t)run->people,
		      (int64_t)run->people_created, (int64_t)run->periods_written,
		      (int64_t)ir->report);
	if (!rc && h && h->declared < 0)
		rc = db_execf(ir->db, "UPDATE caf_import SET declared = NULL WHERE id = ?", "i",
			      (int64_t)ir->report);
	/* An older flux taken with --force does not move the DTREF back. */
	for (size_t i = 0; !rc && strcmp(status, "refused") && i < run->nbodies; i++)
		rc = db_execf(ir->db,
			      "INSERT INTO caf_paying_body (paying_body, last_dtref, last_import) "
			      "VALUES (?, ?, ?) ON CONFLICT (paying_body) DO UPDATE SET "
			      "last_dtref = excluded.last_dtref, last_import = excluded.last_import "
			      "WHERE excluded.last_dtref >= caf_paying_body.last_dtref",
			      "ssi", run->bodies[i].name, run->dtref, (int64_t)ir->report);
	return rc;
}

static void end_warnings(struct caf_run *run, int whole)
{
	const struct caf_flux_header *h = run->header;

	for (size_t i = 0; i < h->nwarnings && i < sizeof h->warnings / sizeof *h->warnings; i++)
		import_warn(&run->ir, "%s", h->warnings[i]);
	if (h->nwarnings > sizeof h->warnings / sizeof *h->warnings)
		import_warn(&run->ir, "et %zu autre(s) avertissement(s) du lecteur XML",
			    h->nwarnings - sizeof h->warnings / sizeof *h->warnings);
	if (h->declared >= 0 && h->declared != h->households)
		import_warn(&run->ir, "TransmissionFlux annonce %ld foyer(s), le fichier en contient %ld",
			    h->declared, h->households);
	if (h->declared < 0 && whole)
		import_warn(&run->ir, "pas de TransmissionFlux/NBTOTDOSRSATRANSM : le nombre de foyers "
				      "n'est pas vérifié");
	if (run->no_dem)
		import_warn(&run->ir, "%ld foyer(s) sans DEM, pris (leur premier adulte fait office de "
				      "demandeur)", run->no_dem);
	if (run->forced)
		import_warn(&run->ir, "flux antérieur pris avec --force : %ld enregistrement(s) écrit(s)",
			    run->forced_changes);
}

/* Checks DTREF once it is known (before the first household is applied). */
static int take_dtref(struct caf_run *run, char *why, size_t size)
{
	long day;
	int y, m, d;

	if (!run->header->dtref[0]) {
		snprintf(why, size, "pas de DTREF dans IdentificationFlux avant le premier foyer");
		return -1;
	}
	if (date_parse(run->header->dtref, &day)) {
		snprintf(why, size, "DTREF « %.40s » n'est pas une date réelle AAAA-MM-JJ",
			 run->header->dtref);
		return -1;
	}
	date_format(day, run->dtref);
	date_to_civil(day, &y, &m, &d);
	run->month_first = date_from_civil(y, m, 1);
	run->month_last = date_from_civil(y, m, date_month_days(y, m));
	return 0;
}

static void add_counts(struct caf_import_counts *to, const struct caf_run *run)
{
	to->created += run->ir.c.created;
	to->updated += run->ir.c.updated;
	to->unchanged += run->ir.c.unchanged;
	to->rejected += run->ir.c.rejected;
	to->people += run->people;
	to->people_created += run->people_created;
	to->periods_written += run->periods_written;
}

/* The households of the file, until its end or what stops it. */
static const char *read_all(struct caf_run *run, struct caf_reader *reader, char *why, size_t size,
			    int *rc)
{
	const struct caf_household *hh;
	int next;

	while ((next = caf_reader_next(reader, &hh)) == CAF_HOUSEHOLD) {
		enum outcome o;

		if (!run->dtref[0] && take_dtref(run, why, size)) {
			*rc = 1;
			return "refused";
		}
		o = apply_household(run, hh);
		if (o == HH_REFUSE_FILE) {
			snprintf(why, size,
				 "DTREF %s antérieure au dernier flux pris pour %s (%s) : refusé "
				 "(--force le prend)",
				 run->dtref, run->bodies[0].name, run->bodies[0].last);
			*rc = 1;
			return "refused";
		}
		if (o == HH_FAILED || (o == HH_REJECTED && record_rejection(run, reader, hh))) {
			run->ir.c.rejected += o == HH_REJECTED;
			snprintf(why, size, "base de données : %s", db_errmsg(run->ir.db));
			*rc = -1;
			return "broken";
		}
		import_count(&run->ir, (enum import_outcome)o);
	}
	if (next == CAF_ERROR) {
		snprintf(why, size, "XML illisible, lecture arrêtée : %s", caf_reader_error(reader));
		*rc = 1;
		/* What follows the error is not read: once households have
		 * begun, it counts as one rejected record, kept in the report
		 * like a household. */
		if (run->header->households > 0) {
			run->ir.c.rejected++;
			if (record_broken_rest(run, caf_reader_error(reader),
					       caf_reader_error_in_household(reader)) < 0)
				*rc = -1;
		}
		return "broken";
	}
	if (!run->dtref[0] && take_dtref(run, why, size)) {
		*rc = 1;
		return "refused";
	}
	return "done";
}

static const struct import_kind caf_kind = {
	.table = "caf_import",
	.text_column = "fragment",
	.tag_column = "position",
	.refused = "foyer refusé",
	.too_many = "trop d'écritures pour un seul foyer",
	.max_written = CAF_MAX_WRITTEN,
	.field_name = flux_field,
	.sql = stmt_sql,
};

/* One file, with the run's state (about 100 KB with the communes
 * remembered) on the heap. */
static int import_one(struct caf_run *run, struct db *db, const char *path,
		      struct caf_import_counts *counts, long *report)
{
	const struct caf_import_options *opt = run->opt;
	struct caf_reader_options ropt = { opt->xsd_path, 1 };
	struct caf_reader *reader = NULL;
	const char *status;
	char why[600] = "";
	int rc = 0;

	if (caf_reader_open(&reader, path, &ropt, why, sizeof why)) {
		import_say(opt->err, "%s: %s\n", path, why);
		return -1;
	}
	run->header = caf_reader_header(reader);
	if (import_open(&run->ir, &caf_kind, run, db, path, opt->actor, opt->out, opt->err)) {
		caf_reader_close(reader);
		return -1;
	}
	*report = run->ir.report;
	status = read_all(run, reader, why, sizeof why, &rc);
	if (strcmp(status, "refused"))
		end_warnings(run, !strcmp(status, "done"));
	if (import_close(&run->ir, status, why[0] ? why : NULL, report_extra))
		rc = -1;
	import_say(opt->out, "%s: DTREF %s, %s: created %ld, updated %ld, unchanged %ld, rejected %ld\n",
		   path, run->dtref[0] ? run->dtref : "?", run->body[0] ? run->body : "?",
		   run->ir.c.created, run->ir.c.updated, run->ir.c.unchanged, run->ir.c.rejected);
	add_counts(counts, run);
	caf_reader_close(reader);
	import_release(&run->ir);
	return rc;
}

int caf_import_file(struct db *db, const char *path, const struct caf_import_options *opt,
		    struct caf_import_counts *counts, long *report)
{
	struct caf_run *run = calloc(1, sizeof *run);
	int rc;

	*report = 0;
	if (!run) {
		import_say(opt->err, "%s: mémoire insuffisante\n", path);
		return -1;
	}
	run->opt = opt;
	rc = import_one(run, db, path, counts, report);
	free(run);
	return rc;
}
