/* list_import.c — beneficiary lists, line by line; see list_import.h and
 * docs/modules/lists.md. */
#include "exchange/list_import.h"

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
#include "exchange/xlsx_read.h"
#include "model/problems.h"
#include "model/record.h"
#include "model/schema.h"

#define LIST_CONTENT_MAX 4096
#define LIST_MAX_CELLS XLSX_MAX_CELLS

const char *const list_field_codes[LF_COUNT] = {
	"last_name", "first_name", "birth_name", "birth_date", "sex", "nir", "caf_number",
	"france_travail_id", "phone", "email", "address", "commune",
};
const char *const list_field_labels[LF_COUNT] = {
	"Nom", "Prénom", "Nom de naissance", "Date de naissance", "Sexe", "NIR",
	"Matricule CAF", "Identifiant France Travail", "Téléphone", "Adresse électronique",
	"Adresse", "Commune (INSEE)",
};

/* ---- mappings ------------------------------------------------------------- */

static int field_index(const char *code)
{
	for (int k = 0; code && k < LF_COUNT; k++)
		if (!strcmp(code, list_field_codes[k]))
			return k;
	return -1;
}

int list_mapping_check(json_t *mapping, char *why, size_t size)
{
	static const enum list_field needed[] = { LF_LAST_NAME, LF_FIRST_NAME, LF_BIRTH_DATE };
	int seen[LF_COUNT] = { 0 };
	const char *header;
	json_t *v;

	if (!json_is_object(mapping)) {
		snprintf(why, size, "correspondance illisible");
		return -1;
	}
	json_object_foreach(mapping, header, v) {
		const char *code = json_string_value(v);
		int k = field_index(code);
		if (!code || (code[0] && k < 0)) {
			snprintf(why, size, "« %.100s » : champ inconnu « %.100s »", header,
				 code ? code : "?");
			return -1;
		}
		if (k >= 0 && seen[k]++) {
			snprintf(why, size, "le champ %s est donné par deux colonnes",
				 list_field_codes[k]);
			return -1;
		}
	}
	for (size_t i = 0; i < sizeof needed / sizeof *needed; i++)
		if (!seen[needed[i]]) {
			snprintf(why, size, "aucune colonne ne donne le champ %s (%s), nécessaire",
				 list_field_codes[needed[i]], list_field_labels[needed[i]]);
			return -1;
		}
	return 0;
}

json_t *list_mapping_parse(const char *spec, char *why, size_t size)
{
	json_t *m = json_object();
	char *copy = strdup(spec ? spec : ""), *item, *next;

	for (item = copy; m && item && *item; item = next) {
		char *eq;
		next = strchr(item, ',');
		if (next)
			*next++ = '\0';
		eq = strchr(item, '=');
		if (!eq || eq == item || json_object_get(m, (*eq = '\0', item))) {
			snprintf(why, size, "« %.100s » : attendu EN-TÊTE=champ, chaque en-tête une "
				 "fois", item);
			json_decref(m);
			m = NULL;
			break;
		}
		json_object_set_new(m, item, json_string(eq + 1));
	}
	free(copy);
	if (m && list_mapping_check(m, why, size)) {
		json_decref(m);
		m = NULL;
	}
	return m;
}

int list_mapping_load(struct db *db, const char *organisation, const char *name, json_t **out)
{
	struct db_stmt *st;
	int rc;

	*out = NULL;
	if (db_prepare(db, &st, "SELECT mapping FROM list_mapping WHERE organisation = ? AND "
				"name = ?"))
		return -1;
	db_bind_text(st, 1, organisation);
	db_bind_text(st, 2, name);
	rc = db_step(st);
	if (rc == DB_ROW)
		*out = json_loads(db_col_text(st, 0), 0, NULL);
	db_finalize(st);
	if (rc == DB_ROW)
		return *out ? 0 : -1;
	return rc == DB_DONE ? 1 : -1;
}

int list_mapping_save(struct db *db, const char *organisation, const char *name,
		      json_t *mapping, const char *actor)
{
	char *text = json_dumps(mapping, JSON_COMPACT | JSON_SORT_KEYS), at[32];
	int rc;

	datetime_now(at);
	rc = !text || db_execf(db, "DELETE FROM list_mapping WHERE organisation = ? AND name = ?",
			       "ss", organisation, name) ||
	     db_execf(db, "INSERT INTO list_mapping (organisation, name, mapping, updated_at, "
			  "updated_by) VALUES (?, ?, ?, ?, ?)",
		      "sssss", organisation, name, text, at, actor ? actor : "?");
	free(text);
	return rc ? -1 : 0;
}

json_t *list_mapping_names(struct db *db, const char *organisation)
{
	struct db_stmt *st;
	json_t *names = json_array();

	if (db_prepare(db, &st, "SELECT name FROM list_mapping WHERE organisation = ? ORDER BY name"))
		return names;
	db_bind_text(st, 1, organisation);
	while (db_step(st) == DB_ROW)
		json_array_append_new(names, json_string(db_col_text(st, 0)));
	db_finalize(st);
	return names;
}

const char *list_guess_field(const char *header)
{
	char *h = text_fold(header), *f;
	const char *found = NULL;

	for (int k = 0; h && k < LF_COUNT && !found; k++) {
		f = text_fold(list_field_labels[k]);
		if ((f && !strcmp(h, f)) || !strcasecmp(header, list_field_codes[k]))
			found = list_field_codes[k];
		free(f);
	}
	free(h);
	return found;
}

/* ---- the source: CSV (ft_csv) or XLSX (xlsx_read) ------------------------- */

struct source {
	struct ft_csv *csv;
	struct xlsx *xlsx;
	struct xlsx_row xrow;
	struct buf text;   /* an XLSX row as text, for the report */
};

struct src_row {
	long line;
	size_t n;
	const char *cells[LIST_MAX_CELLS];
	const char *text;
	const char *problem;
};

static int is_zip(const char *path)
{
	unsigned char head[4];
	FILE *f = fopen(path, "rb");
	int zip = f && fread(head, 1, 4, f) == 4 && !memcmp(head, "PK\3\4", 4);

	if (f)
		fclose(f);
	return zip;
}

static int source_open(struct source *s, const char *path, char *why, size_t size)
{
	memset(s, 0, sizeof s[0]);
	buf_init(&s->text, LIST_CONTENT_MAX);
	/* A workbook that cannot be read is refused (1), not a failure. */
	if (is_zip(path))
		return xlsx_open(&s->xlsx, path, NULL, why, size) ? 1 : 0;
	return ft_csv_open(&s->csv, path, why, size);
}

static void source_close(struct source *s)
{
	ft_csv_close(s->csv);
	xlsx_close(s->xlsx);
	buf_release(&s->text);
}

/* 1 a row, 0 the end, -1 an error (why). */
static int source_next(struct source *s, struct src_row *r, char *why, size_t size)
{
	struct ft_csv_record rec;
	int rc;

	if (s->csv) {
		rc = ft_csv_next(s->csv, &rec);
		if (rc == FT_CSV_ERROR)
			snprintf(why, size, "%s", ft_csv_error(s->csv));
		if (rc != FT_CSV_RECORD)
			return rc;
		r->line = rec.line;
		r->n = rec.nfields;
		memcpy(r->cells, rec.fields, rec.nfields * sizeof *rec.fields);
		r->text = rec.text;
		r->problem = rec.problem;
		return 1;
	}
	rc = xlsx_next(s->xlsx, &s->xrow);
	if (rc == XLSX_ERROR)
		snprintf(why, size, "%s", xlsx_error(s->xlsx));
	if (rc != XLSX_ROW)
		return rc;
	r->line = s->xrow.line;
	r->n = s->xrow.ncells;
	memcpy(r->cells, s->xrow.cells, s->xrow.ncells * sizeof *s->xrow.cells);
	r->problem = s->xrow.problem;
	buf_reset(&s->text);
	for (size_t i = 0; i < r->n; i++)
		if ((i && buf_addch(&s->text, ';')) || buf_addstr(&s->text, r->cells[i]))
			break;
	r->text = buf_str(&s->text);
	return 1;
}

/* A cell's text without the spaces around it (malloc'd). */
static char *trimmed(const char *s)
{
	const char *end;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
		end--;
	return strndup(s, (size_t)(end - s));
}

static int row_empty(const struct src_row *r)
{
	for (size_t i = 0; i < r->n; i++)
		for (const char *p = r->cells[i]; *p; p++)
			if (*p != ' ' && *p != '\t')
				return 0;
	return 1;
}

json_t *list_headers(const char *path, char *why, size_t size)
{
	struct source s;
	struct src_row r;
	json_t *headers = NULL;
	int rc;

	if (source_open(&s, path, why, size))
		return NULL;
	while ((rc = source_next(&s, &r, why, size)) == 1 && (r.problem || row_empty(&r)))
		;
	if (rc == 1) {
		headers = json_array();
		for (size_t i = 0; i < r.n; i++) {
			char *h = trimmed(r.cells[i]);
			json_array_append_new(headers, json_string(h ? h : ""));
			free(h);
		}
	} else if (rc == 0) {
		snprintf(why, size, "le fichier est vide");
	}
	source_close(&s);
	return headers;
}

/* ---- values --------------------------------------------------------------- */

int list_parse_date(const char *s, long *day)
{
	int d, m, y, n = 0;
	char sep, sep2;

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && n == 10 &&
	    (!s[10] || s[10] == ' ' || s[10] == 'T'))
		goto civil;
	n = 0;
	if (sscanf(s, "%2d%c%2d%c%4d%n", &d, &sep, &m, &sep2, &y, &n) == 5 && sep == sep2 &&
	    strchr("/-.", sep) && n >= 8 && s[n - 5] == sep && (!s[n] || s[n] == ' ') && y >= 1000)
		goto civil;
	return -1;
civil:
	if (y < 1000 || m < 1 || m > 12 || d < 1 || d > date_month_days(y, m))
		return -1;
	*day = date_from_civil(y, m, d);
	return 0;
}

/* "F", "M", and what lists write for them. */
static const char *parse_sex(const char *s)
{
	static const char *const women[] = { "f", "femme", "feminin", "2", "mme", "madame",
					     "mlle", NULL };
	static const char *const men[] = { "m", "homme", "masculin", "1", "mr", "m.", "monsieur",
					   "h", NULL };
	char *f = text_fold(s);
	const char *sex = NULL;

	for (int i = 0; f && women[i] && !sex; i++)
		if (!strcmp(f, women[i]))
			sex = "F";
	for (int i = 0; f && men[i] && !sex; i++)
		if (!strcmp(f, men[i]))
			sex = "M";
	free(f);
	return sex;
}

/* Copies s without spaces (and dots, for a NIR typed "1 80 05 …"), upper-cased. */
static void squeeze(const char *s, char *out, size_t size)
{
	size_t n = 0;

	for (; *s && n + 1 < size; s++)
		if (*s != ' ' && *s != '.' && *s != '\t')
			out[n++] = (char)toupper((unsigned char)*s);
	out[n] = '\0';
}

/* ---- the run -------------------------------------------------------------- */

enum { ST_PERSON, ST_HOUSEHOLD, ST_COUNT };
_Static_assert(ST_COUNT <= IMPORT_MAX_STMTS, "import_run keeps IMPORT_MAX_STMTS statements");

/* The first four are the run's (import_count()). */
enum outcome { L_CREATED = IMPORT_CREATED, L_UPDATED = IMPORT_UPDATED,
	       L_UNCHANGED = IMPORT_UNCHANGED, L_REJECTED = IMPORT_REJECTED, L_FAILED };
static const char *const outcome_codes[] = { "created", "updated", "unchanged", "rejected" };

struct run {
	struct import_run ir;      /* counts, report, the line's problems and writes */
	struct person_match match; /* by NIR, CAF number, names and birth date */
	const struct list_import_options *opt;
	char *mapping;             /* as recorded in the report */
	long lines;
	int xlsx;                  /* a workbook (the report's format) */
	int col[LF_COUNT];         /* column of each field, -1 when absent */
	const char *header[LF_COUNT];
	json_t *headers;           /* the header row as read */
};

/* The line being applied. */
struct line {
	long line;
	char *v[LF_COUNT];        /* trimmed values, "" when absent */
	char nir[16], caf[16], ft_id[12], commune[6], phone[32];
	const char *sex;
	long birth;
	char identifier[200];
	char person[PERSON_MATCH_ID];
};

/* The statements of a run (import_stmt()). */
static void stmt_sql(int which, struct buf *out)
{
	buf_addf(out, "%s WHERE id = ?",
		 record_select_sql(which == ST_PERSON ? &type_person : &type_household));
}

static json_t *load(struct run *run, int which, const char *id)
{
	return import_load(&run->ir, which, which == ST_PERSON ? &type_person : &type_household,
			   id);
}

static const char *str(json_t *rec, const char *key)
{
	return json_string_value(json_object_get(rec, key));
}

/* The file's header for a field, which the reader of the report knows. */
static const char *header_of(const struct run *run, const char *field)
{
	int k = field_index(field);

	if (k >= 0 && run->header[k])
		return run->header[k];
	if (field && !strcmp(field, "household"))
		return NULL;
	return field;
}

static const char *report_field(void *importer, const char *type, const char *field)
{
	(void)type;
	return header_of(importer, field);
}

/* The report row's own columns, given when it is inserted. */
static void report_open_bind(void *importer, struct db_stmt *st, int first)
{
	const struct run *run = importer;

	db_bind_text(st, first, run->opt->organisation);
	db_bind_text(st, first + 1, run->opt->mapping_name);
	db_bind_text(st, first + 2, run->mapping);
}

/* ... and those known at its end. */
static int report_extra(struct import_run *ir, void *importer, const char *status)
{
	const struct run *run = importer;

	(void)status;
	return db_execf(ir->db, "UPDATE list_import SET format = ?, lines = ? WHERE id = ?", "sii",
			run->xlsx ? "xlsx" : "csv", (int64_t)run->lines, (int64_t)ir->report);
}

/* ---- reading one line ----------------------------------------------------- */
static void line_free(struct line *l)
{
	for (int k = 0; k < LF_COUNT; k++)
		free(l->v[k]);
}

static void line_identifier(struct line *l)
{
	if (l->nir[0])
		snprintf(l->identifier, sizeof l->identifier, "NIR %s", l->nir);
	else if (l->v[LF_NIR][0])
		snprintf(l->identifier, sizeof l->identifier, "NIR %.20s", l->v[LF_NIR]);
	else if (l->v[LF_CAF_NUMBER][0])
		snprintf(l->identifier, sizeof l->identifier, "CAF %.20s %.60s %.60s",
			 l->v[LF_CAF_NUMBER], l->v[LF_LAST_NAME], l->v[LF_FIRST_NAME]);
	else
		snprintf(l->identifier, sizeof l->identifier, "%.80s %.80s %.12s",
			 l->v[LF_LAST_NAME], l->v[LF_FIRST_NAME], l->v[LF_BIRTH_DATE]);
}

static void check_ids(struct run *run, struct line *l)
{
	const char *why = NULL;

	squeeze(l->v[LF_NIR], l->nir, sizeof l->nir);
	if (l->v[LF_NIR][0] && (strlen(l->v[LF_NIR]) > 25 || (why = nir_problem(l->nir))))
		problem_add(&run->ir.pb, "nir", "« %.30s » : %s", l->v[LF_NIR],
			    strlen(l->v[LF_NIR]) > 25 ? "trop long pour un NIR" : why);
	squeeze(l->v[LF_CAF_NUMBER], l->caf, sizeof l->caf);
	if (l->v[LF_CAF_NUMBER][0] &&
	    (strlen(l->v[LF_CAF_NUMBER]) > 20 || strspn(l->caf, "0123456789") != strlen(l->caf)))
		problem_add(&run->ir.pb, "caf_number", "« %.30s » : le matricule CAF ne contient que "
			    "des chiffres (15 au plus)", l->v[LF_CAF_NUMBER]);
	squeeze(l->v[LF_FT_ID], l->ft_id, sizeof l->ft_id);
	if (l->v[LF_FT_ID][0] && strlen(l->v[LF_FT_ID]) > 11)
		problem_add(&run->ir.pb, "france_travail_id", "« %.30s » : trop long (1234567A123)",
			    l->v[LF_FT_ID]);
}

/* Values as the model wants them: a commune typed as a number lost its
 * leading zero (1053 → 01053), so did a phone number (612… → 0612…). */
static void fix_numbers(struct line *l)
{
	const char *c = l->v[LF_COMMUNE], *p = l->v[LF_PHONE];
	size_t n = strlen(c);

	snprintf(l->commune, sizeof l->commune, "%s%.5s",
		 n == 4 && strspn(c, "0123456789") == 4 ? "0" : "", c);
	if (n > 5)
		snprintf(l->commune, sizeof l->commune, "?");
	n = strlen(p);
	snprintf(l->phone, sizeof l->phone, "%s%.30s",
		 n == 9 && strspn(p, "0123456789") == 9 && p[0] != '0' ? "0" : "", p);
}

static void read_line(struct run *run, const struct src_row *r, struct line *l)
{
	memset(l, 0, sizeof *l);
	l->line = r->line;
	for (int k = 0; k < LF_COUNT; k++) {
		int col = run->col[k];
		l->v[k] = trimmed(col >= 0 && (size_t)col < r->n ? r->cells[col] : "");
		if (!l->v[k])
			l->v[k] = strdup("");
	}
	squeeze(l->v[LF_NIR], l->nir, sizeof l->nir);
	line_identifier(l);
	problems_at(&run->ir.pb, l->line, NULL, NULL);
	if (!l->v[LF_LAST_NAME][0])
		problem_add(&run->ir.pb, "last_name", "absent : le nom est nécessaire");
	if (!l->v[LF_FIRST_NAME][0])
		problem_add(&run->ir.pb, "first_name", "absent : le prénom est nécessaire");
	if (!l->v[LF_BIRTH_DATE][0])
		problem_add(&run->ir.pb, "birth_date", "absente : la date de naissance est nécessaire");
	else if (list_parse_date(l->v[LF_BIRTH_DATE], &l->birth))
		problem_add(&run->ir.pb, "birth_date", "« %.40s » n'est pas une date réelle (jj/mm/aaaa "
			    "ou aaaa-mm-jj)", l->v[LF_BIRTH_DATE]);
	check_ids(run, l);
	l->sex = parse_sex(l->v[LF_SEX]);
	if (l->v[LF_SEX][0] && !l->sex)
		problem_add(&run->ir.pb, "sex", "« %.30s » : F ou M attendu (femme, homme, 1, 2…)",
			    l->v[LF_SEX]);
	/* The NIR's first digit tells the sex when the list does not. */
	if (!l->sex && l->nir[0] == '1')
		l->sex = "M";
	else if (!l->sex && l->nir[0] == '2')
		l->sex = "F";
	if (l->v[LF_EMAIL][0] && !strchr(l->v[LF_EMAIL], '@'))
		problem_add(&run->ir.pb, "email", "« %.60s » n'est pas une adresse électronique",
			    l->v[LF_EMAIL]);
	fix_numbers(l);
}

/* ---- matching ------------------------------------------------------------- */

/*
 * The person a line designates: NIR (13 first characters), else CAF number
 * + names + birth date, else names + birth date among people without
 * another NIR. Returns 1 found (l->person), 0 none (a new person), -1
 * rejected (run->ir.pb: two people fit) or -2 on a database failure.
 */
static int match_person(struct run *run, struct line *l)
{
	struct person_match_names q = { l->v[LF_FIRST_NAME], l->v[LF_LAST_NAME], l->birth, l->nir,
					l->caf };
	int n = person_match_nir(&run->match, l->nir, l->person);

	if (n)
		return n < 0 ? -2 : 1;
	if (l->caf[0] && (n = person_match_names(&run->match, &q, l->person)) == 1)
		return 1;
	if (n == 0) {
		q.caf_number = NULL;
		n = person_match_names(&run->match, &q, l->person);
	}
	if (n < 0)
		return -2;
	if (n > 1) {
		l->person[0] = '\0';
		problem_add(&run->ir.pb, NULL, "%d personnes ont ces nom, prénom et date de naissance : "
			    "préciser le NIR", n);
		return -1;
	}
	return n;
}

/* ---- writing -------------------------------------------------------------- */

#define LIST_MAX_WRITTEN 2 /* a person and their household */

/* Writes rec as t/id unless it equals old (import_put()). */
static int put(struct run *run, const struct type_def *t, const char *id, json_t *old,
	       json_t *rec, const struct line *l)
{
	return import_put(&run->ir, t, id, old, rec, l->line);
}

static void set(json_t *rec, const char *key, const char *value)
{
	if (value && value[0])
		json_object_set_new(rec, key, json_string(value));
}

/* Sets key when the record has no value for it. */
static void fill(json_t *rec, const char *key, const char *value)
{
	if (!str(rec, key))
		set(rec, key, value);
}

/* A France Travail id that another person holds is refused: 1 (said), 0,
 * -1 on a database failure. */
static int ft_id_taken(struct run *run, const struct line *l, const char *person)
{
	char holder[PERSON_MATCH_ID], nir[PERSON_MATCH_NIR];
	int taken;

	if (!l->ft_id[0])
		return 0;
	taken = person_match_ft_id(&run->match, l->ft_id, person, holder, nir);
	if (taken > 0)
		problem_add(&run->ir.pb, "france_travail_id", "« %s » est déjà l'identifiant d'une "
			    "autre personne", l->ft_id);
	return taken;
}

static enum outcome create_person(struct run *run, struct line *l)
{
	char hid[80], pid[80], day[11];
	json_t *hh = json_object(), *p;
	int rc;

	if (!l->sex) {
		problem_add(&run->ir.pb, "sex", "absent (et pas de NIR pour le dire) : nécessaire pour "
			    "créer la personne");
		json_decref(hh);
		return L_REJECTED;
	}
	if (run->ir.dry_run)
		snprintf(pid, sizeof pid, "lst-apercu-%ld", l->line);
	else
		snprintf(pid, sizeof pid, "lst-%ld-%ld", run->ir.report, l->line);
	snprintf(hid, sizeof hid, "%.60s-foyer", pid);
	date_format(l->birth, day);
	set(hh, "commune", l->commune);
	p = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "household", hid, "role", "DEM",
		      "first_name", l->v[LF_FIRST_NAME], "last_name", l->v[LF_LAST_NAME],
		      "birth_date", day, "sex", l->sex);
	set(p, "birth_name", l->v[LF_BIRTH_NAME]);
	set(p, "nir", l->nir);
	set(p, "france_travail_id", l->ft_id);
	set(p, "phone", l->phone);
	set(p, "email", l->v[LF_EMAIL]);
	set(p, "address", l->v[LF_ADDRESS]);
	rc = put(run, &type_household, hid, NULL, hh, l);
	if (!rc)
		rc = put(run, &type_person, pid, NULL, p, l);
	json_decref(hh);
	json_decref(p);
	snprintf(l->person, sizeof l->person, "%s", pid);
	return rc < 0 ? L_FAILED : rc ? L_REJECTED : L_CREATED;
}

/* What a list may change of a known person: its contact details follow
 * the list; identifiers, birth name and the household's commune are
 * filled in only when absent; names, birth date and sex never change
 * (they matched). */
static enum outcome update_person(struct run *run, struct line *l)
{
	json_t *old = load(run, ST_PERSON, l->person), *rec, *hh_old = NULL, *hh;
	const char *hid;
	int rc;

	if (!old)
		return L_FAILED;
	rec = json_deep_copy(old);
	fill(rec, "nir", l->nir);
	fill(rec, "france_travail_id", l->ft_id);
	fill(rec, "birth_name", l->v[LF_BIRTH_NAME]);
	set(rec, "phone", l->phone);
	set(rec, "email", l->v[LF_EMAIL]);
	set(rec, "address", l->v[LF_ADDRESS]);
	rc = put(run, &type_person, l->person, old, rec, l);
	hid = str(old, "household");
	if (!rc && hid && l->commune[0] && (hh_old = load(run, ST_HOUSEHOLD, hid)) &&
	    !str(hh_old, "commune")) {
		hh = json_deep_copy(hh_old);
		set(hh, "commune", l->commune);
		rc = put(run, &type_household, hid, hh_old, hh, l);
		json_decref(hh);
	}
	json_decref(hh_old);
	json_decref(old);
	json_decref(rec);
	return rc < 0 ? L_FAILED : rc ? L_REJECTED : run->ir.nwritten ? L_UPDATED : L_UNCHANGED;
}

/* The line in its own savepoint (import_record_end(): the rules across
 * records, then release, or roll back in a preview). */
static enum outcome apply_line(struct run *run, struct line *l)
{
	enum outcome o;
	int rc, m = match_person(run, l);

	if (m == -2)
		return L_FAILED;
	if (m == -1)
		return L_REJECTED;
	if (import_record_start(&run->ir))
		return L_FAILED;
	rc = ft_id_taken(run, l, m ? l->person : NULL);
	o = rc < 0 ? L_FAILED : rc ? L_REJECTED : m ? update_person(run, l) : create_person(run, l);
	rc = import_record_end(&run->ir, o == L_FAILED ? -1 : o == L_REJECTED ? 1 : 0);
	return rc < 0 ? L_FAILED : rc ? L_REJECTED : o;
}

/* ---- the report ----------------------------------------------------------- */

static void tell(struct run *run, const struct line *l, enum outcome o, const char *field,
		 const char *reason)
{
	/* A person the preview would create has no id yet. */
	int named = o == L_UPDATED || o == L_UNCHANGED || (o == L_CREATED && !run->ir.dry_run);
	struct list_line_result r = { l->line, outcome_codes[o], l->identifier,
				      named && l->person[0] ? l->person : NULL, field, reason };

	if (run->opt->on_line)
		run->opt->on_line(run->opt->ud, &r);
}

/* Prints and keeps the problems of a rejected line (import_reject(),
 * outside its rolled-back transaction), and tells each one. */
static int reject(struct run *run, const struct line *l, const char *text)
{
	char content[LIST_CONTENT_MAX + 4];
	int rc;
	json_t *p;
	size_t i;

	utf8_fit(content, sizeof content, text ? text : "");
	rc = import_reject(&run->ir, &(struct import_rejected){ l->line, l->identifier,
								 l->identifier, content, NULL, 0 });
	json_array_foreach(run->ir.pb.list, i, p)
		tell(run, l, L_REJECTED, header_of(run, str(p, "field")), str(p, "reason"));
	return rc;
}

/* ---- the header ----------------------------------------------------------- */

static int same_header(const char *a, const char *b)
{
	return !strcmp(a, b) || person_match_same(a, b);
}

/* Columns of the mapped fields; -1 and why when a mapped header is
 * missing for a needed field (others are warnings). */
static int take_header(struct run *run, const struct src_row *r, char *why, size_t size)
{
	const char *header;
	json_t *code;

	run->headers = json_array();
	for (size_t i = 0; i < r->n; i++) {
		char *h = trimmed(r->cells[i]);
		json_array_append_new(run->headers, json_string(h ? h : ""));
		free(h);
	}
	json_object_foreach(run->opt->mapping, header, code) {
		int k = field_index(json_string_value(code)), col = -1;
		for (size_t i = 0; i < json_array_size(run->headers) && col < 0; i++)
			if (same_header(json_string_value(json_array_get(run->headers, i)), header))
				col = (int)i;
		if (k < 0)
			continue;
		run->col[k] = col;
		run->header[k] = header;
		if (col < 0 && (k == LF_LAST_NAME || k == LF_FIRST_NAME || k == LF_BIRTH_DATE)) {
			snprintf(why, size, "l'en-tête n'a pas la colonne « %.100s » (%s)", header,
				 list_field_codes[k]);
			return -1;
		}
		if (col < 0)
			import_warn(&run->ir, "l'en-tête n'a pas la colonne « %.100s » (%s)", header,
				    list_field_codes[k]);
	}
	return 0;
}

/* ---- the file ------------------------------------------------------------- */

static enum outcome take_row(struct run *run, const struct src_row *r)
{
	struct line l;
	enum outcome o;

	import_record_begin(&run->ir, r->line);
	if (r->problem) {
		memset(&l, 0, sizeof l);
		l.line = r->line;
		snprintf(l.identifier, sizeof l.identifier, "?");
		problem_add(&run->ir.pb, NULL, "%s", r->problem);
		return reject(run, &l, r->text) ? L_FAILED : L_REJECTED;
	}
	read_line(run, r, &l);
	o = problems_count(&run->ir.pb) ? L_REJECTED : apply_line(run, &l);
	if (o == L_REJECTED && reject(run, &l, r->text))
		o = L_FAILED;
	else if (o < L_REJECTED)
		tell(run, &l, o, NULL, NULL);
	line_free(&l);
	return o;
}

/* Reads the file to its end; returns the file's status. */
static const char *read_all(struct run *run, struct source *s, char *why, size_t size, int *rc)
{
	struct src_row r;
	int next, header = 0;

	while ((next = source_next(s, &r, why, size)) == 1) {
		enum outcome o;
		if (!header && !r.problem && !row_empty(&r)) {
			header = 1;
			if (take_header(run, &r, why, size)) {
				*rc = 1;
				return "refused";
			}
			continue;
		}
		if (!header || row_empty(&r))
			continue;
		o = take_row(run, &r);
		if (o == L_FAILED) {
			snprintf(why, size, "base de données : %s", db_errmsg(run->ir.db));
			*rc = -1;
			return "broken";
		}
		run->lines++;
		import_count(&run->ir, (enum import_outcome)o);
	}
	if (next < 0) {
		*rc = 1;
		return run->lines ? "broken" : "refused";
	}
	if (!header) {
		snprintf(why, size, "le fichier est vide");
		*rc = 1;
		return "refused";
	}
	return "done";
}

static const struct import_kind list_kind = {
	.table = "list_import",
	.text_column = "content",
	.tag_column = NULL,
	.refused = "ligne refusée",
	.too_many = "trop d'écritures pour une seule ligne",
	.max_written = LIST_MAX_WRITTEN,
	.field_name = report_field,
	.sql = stmt_sql,
	.open_columns = "organisation, mapping_name, mapping",
	.open_bind = report_open_bind,
};

/* Opens the run (a dry run for a preview); -1 and why on failure. */
static int run_open(struct run *run, struct db *db, const char *name, char *why, size_t size)
{
	const struct list_import_options *opt = run->opt;
	int rc;

	run->mapping = json_dumps(opt->mapping, JSON_COMPACT | JSON_SORT_KEYS);
	rc = opt->preview ? import_open_dry_run(&run->ir, &list_kind, run, db, name, NULL, opt->err)
			  : import_open(&run->ir, &list_kind, run, db, name, opt->actor, NULL,
					opt->err);
	if (rc) {
		snprintf(why, size, "base de données : %s", db_errmsg(db));
		return -1;
	}
	person_match_init(&run->match, db);
	return 0;
}

static void run_release(struct run *run)
{
	person_match_release(&run->match);
	import_release(&run->ir);
	json_decref(run->headers);
	free(run->mapping);
}

int list_import_file(struct db *db, const char *path, const struct list_import_options *opt,
		     struct list_import_counts *counts, long *report, char *why, size_t size)
{
	const char *name = opt->file_name ? opt->file_name : path, *status;
	struct run run;
	struct source s;
	int rc = 0;

	memset(&run, 0, sizeof run);
	memset(&s, 0, sizeof s);
	run.opt = opt;
	for (int k = 0; k < LF_COUNT; k++)
		run.col[k] = -1;
	*report = 0;
	why[0] = '\0';
	if (list_mapping_check(opt->mapping, why, size) || (rc = source_open(&s, path, why,
									       size)) < 0) {
		import_say(opt->err, "%s: stopped: %s\n", name, why);
		source_close(&s);
		return -1;
	}
	/* A workbook that cannot be read (rc 1) is one all the same. */
	run.xlsx = s.xlsx || rc;
	if (run_open(&run, db, name, why, size)) {
		source_close(&s);
		free(run.mapping);
		return -1;
	}
	*report = run.ir.report;
	status = rc ? "refused" : read_all(&run, &s, why, size, &rc);
	if (import_close(&run.ir, status, why[0] ? why : NULL, report_extra)) {
		snprintf(why, size, "base de données : %s", db_errmsg(db));
		rc = -1;
	}
	counts->created += run.ir.c.created;
	counts->updated += run.ir.c.updated;
	counts->unchanged += run.ir.c.unchanged;
	counts->rejected += run.ir.c.rejected;
	source_close(&s);
	run_release(&run);
	return rc;
}
