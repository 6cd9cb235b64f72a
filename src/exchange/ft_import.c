/* ft_import.c — applies a France Travail list; see ft_import.h and
 * docs/modules/france_travail.md. */
#include "exchange/ft_import.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/text.h"
#include "db/db.h"
#include "exchange/ft_csv.h"
#include "exchange/import_run.h"
#include "exchange/person_match.h"
#include "model/problems.h"
#include "model/record.h"
#include "model/schema.h"

#define FT_MAX_PERIODS 256
#define FT_MAX_WRITTEN 4
#define FT_CONTENT_MAX 4096

/* The columns Parcours reads, whatever the shape. */
enum col { C_NIR, C_ID, C_LAST, C_FIRST, C_BIRTH, C_DATE, C_CODE, C_LABEL, C_NIR2, C_CATEGORY,
	   C_COUNT };

enum shape { SHAPE_NONE, SHAPE_MOVEMENT, SHAPE_PRINCIPAL };

/* Each shape's names for the columns (NULL: the shape has none). */
static const char *const movement_names[C_COUNT] = {
	"nir", "identifiantpe", "nom", "prenom", "dtnai", "date", "code", "motif", "nir2", NULL,
};
static const char *const principal_names[C_COUNT] = {
	NULL, "identifiant_unique_de", "nom", "prenom", "date_naissance", "inscription",
	"code_motif_inscription", "motif_inscription", NULL, "categorie_inscription",
};

enum {
	ST_PERSON,       /* the person record by id */
	ST_PERIODS,      /* a person's periods, oldest first */
	ST_PERIOD_ID,    /* is this period id taken? */
	ST_COUNT
};

/* The line being applied, its values trimmed ("NULL" is empty). */
struct ft_line {
	long line;
	const char *v[C_COUNT];
	char nir[16];
	char ft_id[12];      /* a France Travail id of the right shape, or "" */
	long birth, start;   /* day numbers; birth 0 when not given */
	char identifier[160];
};

struct ft_run {
	struct import_run ir;      /* counts, report, the line's problems and writes */
	struct person_match match; /* by id, NIR, names and birth date */
	const struct ft_import_options *opt;
	long lines, unmatched;
	long line;                 /* the line being applied */
	const char *encoding;      /* as read */
	enum shape shape;
	const char *const *names;  /* the shape's column names */
	int col[C_COUNT];          /* field index of each column, -1 when absent */
	size_t ncols;              /* the header's count (principal), 0 else */
	const char *state;
};

/* The first four are the run's (import_count()). */
enum outcome { L_CREATED = IMPORT_CREATED, L_UPDATED = IMPORT_UPDATED,
	       L_UNCHANGED = IMPORT_UNCHANGED, L_REJECTED = IMPORT_REJECTED, L_UNMATCHED,
	       L_SKIPPED, L_FAILED };

/* ---- small helpers -------------------------------------------------------- */

static const char *str(json_t *rec, const char *key)
{
	return json_string_value(json_object_get(rec, key));
}

_Static_assert(ST_COUNT <= IMPORT_MAX_STMTS, "import_run keeps IMPORT_MAX_STMTS statements");

/* The statements of a run (import_stmt()). */
static void stmt_sql(int which, struct buf *out)
{
	switch (which) {
	case ST_PERSON:
		buf_addf(out, "%s WHERE id = ?", record_select_sql(&type_person));
		break;
	case ST_PERIODS:
		buf_addf(out, "%s WHERE person = ? ORDER BY start_date, id",
			 record_select_sql(&type_france_travail_period));
		break;
	case ST_PERIOD_ID:
		buf_addstr(out, "SELECT 1 FROM france_travail_period WHERE id = ?");
		break;
	default:
		break;
	}
}

static struct db_stmt *stmt(struct ft_run *run, int which)
{
	return import_stmt(&run->ir, which);
}

/* ---- values --------------------------------------------------------------- */

int ft_parse_date(const char *s, long *day)
{
	char iso[11];
	size_t n = strlen(s);

	if (n == 10 && s[2] == '/' && s[5] == '/') {
		snprintf(iso, sizeof iso, "%.4s-%.2s-%.2s", s + 6, s + 3, s);
		return date_parse(iso, day);
	}
	/* "2019-10-17 00:00:00.0": the date part alone matters. */
	if (n > 10 && s[10] != ' ' && s[10] != 'T')
		return -1;
	snprintf(iso, sizeof iso, "%.10s", s);
	return date_parse(iso, day);
}

const char *ft_state_from_name(const char *path)
{
	const char *base = strrchr(path, '/');
	const char *found = NULL;
	char *name = text_fold(base ? base + 1 : path);
	int kinds = 0;

	if (!name)
		return NULL;
	if (strstr(name, "inscri") || strstr(name, "stock")) {
		found = "registered";
		kinds++;
	}
	if (strstr(name, "cessation")) {
		found = "ceased";
		kinds++;
	}
	if (strstr(name, "radiation")) {
		found = "removed";
		kinds++;
	}
	free(name);
	return kinds == 1 ? found : NULL;
}

static int ft_id_valid(const char *s)
{
	int ok = strlen(s) == 11;

	for (int i = 0; ok && i < 11; i++)
		ok = i == 7 ? isdigit((unsigned char)s[i]) || isupper((unsigned char)s[i])
			    : isdigit((unsigned char)s[i]);
	return ok;
}

/* A cell trimmed in place; France Travail writes NULL for an empty one. */
static const char *cell(struct ft_csv_record *rec, int index)
{
	char *s, *end;

	if (index < 0 || (size_t)index >= rec->nfields)
		return "";
	s = (char *)rec->fields[index];
	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	return strcmp(s, "NULL") ? s : "";
}

/* The file's name for a model field, which is what the reader of the
 * report can look up in the file. */
static const char *file_field(const struct ft_run *run, const char *field)
{
	static const char *const model[][2] = {
		{ "start", NULL }, { "category", NULL }, { "reason", NULL },
		{ "france_travail_id", NULL },
	};
	static const enum col cols[] = { C_DATE, C_CATEGORY, C_LABEL, C_ID };

	for (size_t i = 0; field && i < sizeof cols / sizeof *cols; i++)
		if (!strcmp(model[i][0], field) && run->names[cols[i]])
			return run->names[cols[i]];
	return field;
}

static const char *report_field(void *importer, const char *type, const char *field)
{
	(void)type;
	return file_field(importer, field);
}

/* ---- reading one line ----------------------------------------------------- */

static void line_identifier(struct ft_line *l)
{
	if (l->v[C_ID][0])
		snprintf(l->identifier, sizeof l->identifier, "%s", l->v[C_ID]);
	else if (l->v[C_NIR][0])
		snprintf(l->identifier, sizeof l->identifier, "NIR %s", l->v[C_NIR]);
	else if (l->v[C_LAST][0] || l->v[C_FIRST][0])
		snprintf(l->identifier, sizeof l->identifier, "%s %s %s", l->v[C_LAST],
			 l->v[C_FIRST], l->v[C_BIRTH]);
	else
		snprintf(l->identifier, sizeof l->identifier, "?");
}

static void check_nir(struct ft_run *run, struct ft_line *l)
{
	const char *why = NULL;
	size_t n = 0;

	for (const char *p = l->v[C_NIR]; *p && n < sizeof l->nir - 1; p++)
		if (*p != ' ')
			l->nir[n++] = (char)toupper((unsigned char)*p);
	l->nir[n] = '\0';
	if (l->v[C_NIR][0] && (strlen(l->v[C_NIR]) > 21 || (why = nir_problem(l->nir)) != NULL))
		problem_add(&run->ir.pb, run->names[C_NIR], "« %s » : %s", l->v[C_NIR],
			    strlen(l->v[C_NIR]) > 21 ? "trop long pour un NIR" : why);
	/* nir2 repeats the NIR as a check of the line. */
	if (run->col[C_NIR2] >= 0 && strcmp(l->v[C_NIR2], l->v[C_NIR]))
		problem_add(&run->ir.pb, run->names[C_NIR2], "« %s » ne répète pas le NIR « %s »",
			    l->v[C_NIR2], l->v[C_NIR]);
}

/* Fills l from the record; the line's own problems go to run->ir.pb. */
static void read_line(struct ft_run *run, struct ft_csv_record *rec, struct ft_line *l)
{
	const char *date_col = run->names[C_DATE], *birth_col = run->names[C_BIRTH];

	memset(l, 0, sizeof *l);
	l->line = rec->line;
	for (int k = 0; k < C_COUNT; k++)
		l->v[k] = cell(rec, run->col[k]);
	line_identifier(l);
	problems_at(&run->ir.pb, l->line, NULL, NULL);
	if (run->ncols && rec->nfields != run->ncols)
		problem_add(&run->ir.pb, NULL, "%zu colonnes lues, l'en-tête en annonce %zu",
			    rec->nfields, run->ncols);
	else if (!run->ncols && (rec->nfields < 9 || rec->nfields > 13))
		problem_add(&run->ir.pb, NULL,
			    "%zu colonnes lues : 9 attendues (nir;identifiantpe;nom;prenom;dtnai;"
			    "date;code;motif;nir2), 13 avec codeinsee;localite;adresse;ale",
			    rec->nfields);
	if (problems_count(&run->ir.pb))
		return;
	check_nir(run, l);
	if (ft_id_valid(l->v[C_ID]))
		snprintf(l->ft_id, sizeof l->ft_id, "%s", l->v[C_ID]);
	else if (l->v[C_ID][0] && run->shape == SHAPE_MOVEMENT)
		problem_add(&run->ir.pb, run->names[C_ID],
			    "« %s » n'a pas la forme d'un identifiant France Travail (1234567A123)",
			    l->v[C_ID]);
	if (!l->v[C_DATE][0])
		problem_add(&run->ir.pb, date_col, "absente : la date du mouvement est nécessaire");
	else if (ft_parse_date(l->v[C_DATE], &l->start))
		problem_add(&run->ir.pb, date_col, "« %s » n'est pas une date réelle (jj/mm/aaaa)",
			    l->v[C_DATE]);
	if (l->v[C_BIRTH][0] && ft_parse_date(l->v[C_BIRTH], &l->birth))
		problem_add(&run->ir.pb, birth_col, "« %s » n'est pas une date réelle (jj/mm/aaaa)",
			    l->v[C_BIRTH]);
}

/* ---- matching ------------------------------------------------------------- */

/* Last name (or birth name), first name and birth date, among people
 * without another NIR. Returns how many match (-1 on a database failure);
 * the first goes to out. */
static int match_by_name(struct ft_run *run, const struct ft_line *l, char out[80])
{
	struct person_match_names q = { l->v[C_FIRST], l->v[C_LAST], l->birth, l->nir, NULL };

	if (!l->v[C_BIRTH][0] || !l->v[C_LAST][0] || !l->v[C_FIRST][0])
		return 0;
	return person_match_names(&run->match, &q, out);
}

/*
 * The person a line designates: by France Travail id and by NIR (13 first
 * characters); when both are given and designate two people, or the id's
 * person has another NIR, the line is rejected. Neither found: by names
 * and birth date, which must designate one person. Returns L_UNCHANGED
 * with out set, L_UNMATCHED or L_REJECTED (reason in run->ir.pb), or
 * L_FAILED.
 */
static enum outcome match_person(struct ft_run *run, const struct ft_line *l, char out[80])
{
	char by_id[PERSON_MATCH_ID] = "", by_nir[PERSON_MATCH_ID], id_nir[PERSON_MATCH_NIR] = "";
	int n = 0;

	if (l->ft_id[0])
		n = person_match_ft_id(&run->match, l->ft_id, NULL, by_id, id_nir);
	if (n < 0 || person_match_nir(&run->match, l->nir, by_nir) < 0)
		return L_FAILED;
	if (by_id[0] && by_nir[0] && strcmp(by_id, by_nir)) {
		problem_add(&run->ir.pb, run->names[C_NIR],
			    "le NIR désigne %s et l'identifiant France Travail %s", by_nir, by_id);
		return L_REJECTED;
	}
	if (by_id[0] && l->nir[0] && id_nir[0] && strncmp(id_nir, l->nir, 13)) {
		problem_add(&run->ir.pb, run->names[C_NIR],
			    "%s, désigné par l'identifiant France Travail, a un autre NIR", by_id);
		return L_REJECTED;
	}
	if (by_id[0] || by_nir[0]) {
		snprintf(out, 80, "%s", by_id[0] ? by_id : by_nir);
		return L_UNCHANGED;
	}
	n = match_by_name(run, l, out);
	if (n < 0)
		return L_FAILED;
	if (n == 1)
		return L_UNCHANGED;
	if (n > 1)
		problem_add(&run->ir.pb, NULL, "%d personnes ont ces nom, prénom et date de naissance", n);
	else
		problem_add(&run->ir.pb, NULL, "aucune personne n'a cet identifiant France Travail, ce "
					    "NIR, ni ces nom, prénom et date de naissance");
	return L_UNMATCHED;
}

/* ---- writing -------------------------------------------------------------- */

/* Writes rec as t/id unless it equals old (import_put()). */
static int put(struct ft_run *run, const struct type_def *t, const char *id, json_t *old,
	       json_t *rec)
{
	return import_put(&run->ir, t, id, old, rec, run->line);
}

/* The person's France Travail id, filled in when they have none and no
 * one else has it (a known one is never replaced). */
static int fill_ft_id(struct ft_run *run, const char *person, const struct ft_line *l)
{
	char holder[PERSON_MATCH_ID], nir[PERSON_MATCH_NIR];
	json_t *old, *rec;
	int rc;

	if (!l->ft_id[0])
		return 0;
	rc = person_match_ft_id(&run->match, l->ft_id, NULL, holder, nir);
	if (rc)
		return rc < 0 ? -1 : 0;
	old = import_load(&run->ir, ST_PERSON, &type_person, person);
	if (!old || str(old, "france_travail_id")) {
		json_decref(old);
		return old ? 0 : -1;
	}
	rec = json_deep_copy(old);
	json_object_set_new(rec, "france_travail_id", json_string(l->ft_id));
	rc = put(run, &type_person, person, old, rec);
	json_decref(old);
	json_decref(rec);
	return rc;
}

/* ---- the history ---------------------------------------------------------- */

struct period {
	char id[80];
	json_t *rec;
	long start, end; /* end: 0 when open */
};

static size_t load_periods(struct ft_run *run, const char *person, struct period *out,
			   int *failed)
{
	struct db_stmt *st = stmt(run, ST_PERIODS);
	size_t n = 0;
	int rc;

	*failed = !st;
	if (!st)
		return 0;
	db_bind_text(st, 1, person);
	while ((rc = db_step(st)) == DB_ROW && n < FT_MAX_PERIODS) {
		struct period *p = &out[n++];
		snprintf(p->id, sizeof p->id, "%s", db_col_text(st, 0));
		p->rec = import_row_record(&type_france_travail_period, st);
		p->end = 0;
		date_parse(str(p->rec, "start"), &p->start);
		if (str(p->rec, "end"))
			date_parse(str(p->rec, "end"), &p->end);
	}
	if (rc == DB_ROW)
		*failed = 2; /* more than FT_MAX_PERIODS */
	else if (rc != DB_DONE)
		*failed = 1;
	db_reset(st);
	return n;
}

static void free_periods(struct period *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		json_decref(p[i].rec);
}

/* The line's category and reason ("code - label") on rec; with replace,
 * what the line does not give is removed (a new state's values). */
static void set_details(json_t *rec, const struct ft_line *l, int replace)
{
	char reason[600];

	snprintf(reason, sizeof reason, "%s%s%s", l->v[C_CODE],
		 l->v[C_CODE][0] && l->v[C_LABEL][0] ? " - " : "", l->v[C_LABEL]);
	if (l->v[C_CATEGORY][0])
		json_object_set_new(rec, "category", json_string(l->v[C_CATEGORY]));
	else if (replace)
		json_object_del(rec, "category");
	if (reason[0])
		json_object_set_new(rec, "reason", json_string(reason));
	else if (replace)
		json_object_del(rec, "reason");
}

/* A new period ft-<person>-<start> (the person's id cut to 40 characters,
 * -2, -3… when taken). */
static int open_period(struct ft_run *run, const char *person, const struct ft_line *l)
{
	struct db_stmt *st = stmt(run, ST_PERIOD_ID);
	char id[80], day[11];
	json_t *rec;
	int rc, taken = 1;

	if (!st)
		return -1;
	date_format(l->start, day);
	snprintf(id, sizeof id, "ft-%.40s-%s", person, day);
	for (int n = 2; taken; n++) {
		if (n > 2)
			snprintf(id, sizeof id, "ft-%.40s-%s-%d", person, day, n - 1);
		db_bind_text(st, 1, id);
		taken = db_step(st) == DB_ROW;
		db_reset(st);
	}
	rec = json_pack("{s:s, s:s, s:s}", "person", person, "start", day, "state", run->state);
	set_details(rec, l, 1);
	rc = put(run, &type_france_travail_period, id, NULL, rec);
	json_decref(rec);
	return rc;
}

/* Applies (or rewrites) a period: new_state NULL ends it on end. */
static int change_period(struct ft_run *run, struct period *p, const struct ft_line *l,
			 long end)
{
	json_t *rec = json_deep_copy(p->rec);
	char day[11];
	int rc;

	if (l) {
		json_object_set_new(rec, "state", json_string(run->state));
		set_details(rec, l, strcmp(str(p->rec, "state"), run->state) != 0);
	} else {
		date_format(end, day);
		json_object_set_new(rec, "end", json_string(day));
	}
	rc = put(run, &type_france_travail_period, p->id, p->rec, rec);
	json_decref(rec);
	return rc;
}

/*
 * The rules of the history (docs/modules/france_travail.md): a period with
 * the line's state and start already there is the same event (its
 * category and reason follow the line); a later start closes the open
 * period the day before and opens one; the same start rewrites it; an
 * earlier one is refused (the history is not rewritten from a late line).
 */
static enum outcome apply_history(struct ft_run *run, const char *person, const struct ft_line *l)
{
	struct period periods[FT_MAX_PERIODS], *open = NULL, *same = NULL;
	long last_end = 0;
	int failed, rc;
	size_t n = load_periods(run, person, periods, &failed);
	enum outcome o = L_CREATED;

	for (size_t i = 0; i < n; i++) {
		if (periods[i].start == l->start && !strcmp(str(periods[i].rec, "state"), run->state))
			same = &periods[i];
		if (!periods[i].end)
			open = &periods[i];
		else if (periods[i].end > last_end)
			last_end = periods[i].end;
	}
	if (failed == 2)
		problem_add(&run->ir.pb, NULL, "plus de %d périodes France Travail pour %s",
			    FT_MAX_PERIODS, person);
	if (failed) {
		free_periods(periods, n);
		return failed == 2 ? L_REJECTED : L_FAILED;
	}
	if (same) {
		rc = change_period(run, same, l, 0);
		o = L_UPDATED;
	} else if (open && l->start > open->start) {
		rc = change_period(run, open, NULL, l->start - 1);
		if (!rc)
			rc = open_period(run, person, l);
	} else if (open && l->start == open->start) {
		rc = change_period(run, open, l, 0);
		o = L_UPDATED;
	} else if (open || (n && l->start <= last_end)) {
		char day[11];
		date_format(open ? open->start : last_end, day);
		problem_add(&run->ir.pb, file_field(run, "start"),
			    "antérieure %s (le %s) de la période %s : l'historique n'est pas réécrit",
			    open ? "au début" : "ou égale à la fin", day,
			    open ? open->id : periods[n - 1].id);
		rc = 1;
	} else {
		rc = open_period(run, person, l);
	}
	free_periods(periods, n);
	return rc < 0 ? L_FAILED : rc ? L_REJECTED : o;
}

/* ---- one line ------------------------------------------------------------- */

static enum outcome apply_line(struct ft_run *run, const struct ft_line *l)
{
	char person[80];
	enum outcome o;
	int rc;

	o = match_person(run, l, person);
	if (o != L_UNCHANGED)
		return o;
	if (import_record_start(&run->ir))
		return L_FAILED;
	rc = fill_ft_id(run, person, l);
	o = rc < 0 ? L_FAILED : rc ? L_REJECTED : apply_history(run, person, l);
	rc = import_record_end(&run->ir, o == L_FAILED ? -1 : o == L_REJECTED ? 1 : 0);
	if (rc)
		return rc < 0 ? L_FAILED : L_REJECTED;
	/* A rewrite that wrote nothing is the same line again. */
	if (o == L_UPDATED && !run->ir.nwritten)
		return L_UNCHANGED;
	return o;
}

/* ---- the report ----------------------------------------------------------- */

/* Tells the line's problems and keeps them, with the line as read, in the
 * report. Runs outside the line's (rolled back) transaction. */
static int record_rejection(struct ft_run *run, long line, const char *identifier,
			    const char *kind, const char *text)
{
	struct import_rejected rej = { 0 };
	char content[FT_CONTENT_MAX + 4], who[200];

	utf8_fit(content, sizeof content, text ? text : "");
	snprintf(who, sizeof who, "%s%s", identifier, strcmp(kind, "unmatched") ? "" : ": unmatched");
	rej.line = line;
	rej.who = who;
	rej.identifier = identifier;
	rej.text = content;
	rej.tag_text = kind;
	return import_reject(&run->ir, &rej);
}

/* The report's own columns. */
static int report_extra(struct import_run *ir, void *importer, const char *status)
{
	static const char *const shapes[] = { NULL, "movement", "principal" };
	struct ft_run *run = importer;

	(void)status;
	return db_execf(ir->db,
			"UPDATE ft_import SET shape = ?, state = ?, encoding = ?, lines = ?, "
			"unmatched = ? WHERE id = ?",
			"sssiii", shapes[run->shape], run->shape == SHAPE_NONE ? NULL : run->state,
			run->encoding, (int64_t)run->lines, (int64_t)run->unmatched,
			(int64_t)ir->report);
}

/* ---- the shape of a file -------------------------------------------------- */

/* Column indexes from a header line; NULL or what is missing. */
static const char *map_header(struct ft_run *run, struct ft_csv_record *rec)
{
	static const enum col needed[] = { C_ID, C_LAST, C_FIRST, C_BIRTH, C_DATE };

	for (int k = 0; k < C_COUNT; k++) {
		run->col[k] = -1;
		for (size_t i = 0; run->names[k] && i < rec->nfields; i++)
			if (!strcasecmp(cell(rec, (int)i), run->names[k]))
				run->col[k] = (int)i;
	}
	run->ncols = rec->nfields;
	for (size_t i = 0; i < sizeof needed / sizeof *needed; i++)
		if (run->col[needed[i]] < 0)
			return run->names[needed[i]];
	if (run->shape == SHAPE_MOVEMENT && run->col[C_NIR] < 0)
		return "nir";
	return NULL;
}

/*
 * The first readable record tells the shape: a header naming
 * identifiant_unique_de (the principal extract) or identifiantpe (a
 * movement file with a header, columns in any order), else a movement file
 * without header, in the README's column order. Returns 1 when the record was a header, 0 when it is a line
 * to apply, -1 when the file is refused (why).
 */
static int has_cell(struct ft_csv_record *rec, const char *name)
{
	for (size_t i = 0; i < rec->nfields; i++)
		if (!strcasecmp(cell(rec, (int)i), name))
			return 1;
	return 0;
}

static int take_shape(struct ft_run *run, struct ft_csv_record *rec, char *why, size_t size)
{
	const char *missing;

	if (has_cell(rec, "identifiant_unique_de")) {
		run->shape = SHAPE_PRINCIPAL;
		run->names = principal_names;
		if (run->opt->state && strcmp(run->opt->state, "registered"))
			import_warn(&run->ir, "--state %s ne vaut pas pour l'extraction principale : chaque "
				  "ligne y est une inscription", run->opt->state);
		run->state = "registered";
	} else {
		run->shape = SHAPE_MOVEMENT;
		run->names = movement_names;
		run->state = run->opt->state ? run->opt->state : ft_state_from_name(run->ir.path);
		for (int k = 0; k < C_COUNT; k++)
			run->col[k] = movement_names[k] ? k : -1;
	}
	if (!run->state) {
		snprintf(why, size, "fichier de mouvements dont le nom ne dit pas inscription, "
				    "cessation, radiation ou stock : préciser --state");
		return -1;
	}
	if (run->shape == SHAPE_MOVEMENT && !has_cell(rec, "identifiantpe"))
		return 0;
	if ((missing = map_header(run, rec)) != NULL) {
		snprintf(why, size, "l'en-tête n'a pas la colonne « %s »", missing);
		return -1;
	}
	return 1;
}

/* ---- one file ------------------------------------------------------------- */

static int all_empty(struct ft_csv_record *rec)
{
	for (size_t i = 0; i < rec->nfields; i++)
		if (cell(rec, (int)i)[0])
			return 0;
	return 1;
}

/* Reads and applies one record; returns its outcome. */
static enum outcome take_record(struct ft_run *run, struct ft_csv_record *rec, char *why,
				size_t size)
{
	struct ft_line l;
	enum outcome o;
	int header;

	import_record_begin(&run->ir, rec->line);
	run->line = rec->line;
	if (rec->problem) {
		problem_add(&run->ir.pb, NULL, "%s", rec->problem);
		if (record_rejection(run, rec->line, "?", "rejected", rec->text))
			return L_FAILED;
		return L_REJECTED;
	}
	if (run->shape == SHAPE_NONE) {
		header = take_shape(run, rec, why, size);
		if (header)
			return header < 0 ? L_FAILED : L_SKIPPED;
	}
	if (all_empty(rec))
		return L_SKIPPED;
	read_line(run, rec, &l);
	o = problems_count(&run->ir.pb) ? L_REJECTED : apply_line(run, &l);
	if ((o == L_REJECTED || o == L_UNMATCHED) &&
	    record_rejection(run, l.line, l.identifier, o == L_REJECTED ? "rejected" : "unmatched",
			     rec->text))
		return L_FAILED;
	return o;
}

static void add_counts(struct ft_import_counts *to, const struct ft_run *run)
{
	to->created += run->ir.c.created;
	to->updated += run->ir.c.updated;
	to->unchanged += run->ir.c.unchanged;
	to->rejected += run->ir.c.rejected;
	to->unmatched += run->unmatched;
}

/* Reads the file to its end; returns the file's status. */
static const char *read_all(struct ft_run *run, struct ft_csv *csv, char *why, size_t size,
			    int *rc)
{
	struct ft_csv_record rec;
	int next;

	while ((next = ft_csv_next(csv, &rec)) == FT_CSV_RECORD) {
		enum outcome o = take_record(run, &rec, why, size);

		if (o == L_FAILED && why[0]) {
			*rc = 1;
			return "refused";
		}
		if (o == L_FAILED) {
			snprintf(why, size, "base de données : %s", db_errmsg(run->ir.db));
			*rc = -1;
			return "broken";
		}
		run->lines += o != L_SKIPPED;
		if (o <= L_REJECTED)
			import_count(&run->ir, (enum import_outcome)o);
		run->unmatched += o == L_UNMATCHED;
	}
	if (next == FT_CSV_ERROR) {
		snprintf(why, size, "%s", ft_csv_error(csv));
		*rc = 1;
		return run->lines ? "broken" : "refused";
	}
	if (run->lines == 0)
		import_warn(&run->ir, "aucune ligne à lire");
	return "done";
}

static const struct import_kind ft_kind = {
	.table = "ft_import",
	.text_column = "content",
	.tag_column = "kind",
	.refused = "ligne refusée",
	.too_many = "trop d'écritures pour une seule ligne",
	.max_written = FT_MAX_WRITTEN,
	.field_name = report_field,
	.sql = stmt_sql,
};

int ft_import_file(struct db *db, const char *path, const struct ft_import_options *opt,
		   struct ft_import_counts *counts, long *report)
{
	struct ft_run run;
	struct ft_csv *csv = NULL;
	const char *status;
	char why[400] = "";
	int rc = 0;

	memset(&run, 0, sizeof run);
	run.opt = opt;
	run.names = movement_names;
	*report = 0;
	if (ft_csv_open(&csv, path, why, sizeof why)) {
		import_say(opt->err, "%s: %s\n", path, why);
		return -1;
	}
	if (import_open(&run.ir, &ft_kind, &run, db, path, opt->actor, opt->out, opt->err)) {
		ft_csv_close(csv);
		return -1;
	}
	*report = run.ir.report;
	person_match_init(&run.match, db);
	status = read_all(&run, csv, why, sizeof why, &rc);
	run.encoding = ft_csv_encoding(csv);
	if (import_close(&run.ir, status, why[0] ? why : NULL, report_extra))
		rc = -1;
	import_say(opt->out, "%s: %s%s%s%s: created %ld, updated %ld, unchanged %ld, rejected %ld, "
			     "unmatched %ld\n", path,
		   run.shape == SHAPE_PRINCIPAL ? "principal" : run.shape ? "movement" : "?",
		   run.shape == SHAPE_MOVEMENT ? " (" : "", run.shape == SHAPE_MOVEMENT ? run.state : "",
		   run.shape == SHAPE_MOVEMENT ? ")" : "", run.ir.c.created, run.ir.c.updated,
		   run.ir.c.unchanged, run.ir.c.rejected, run.unmatched);
	add_counts(counts, &run);
	ft_csv_close(csv);
	person_match_release(&run.match);
	import_release(&run.ir);
	return rc;
}
