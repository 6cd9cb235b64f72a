/*
 * imports.c — the reports of the files imported from outside (issue 3):
 * /imports lists the runs of every kind, each linking to its report. Each
 * kind of import keeps its own report tables; a kind plugs in here with one
 * line in `kinds` (its runs as the common columns) and its report page.
 * Today: the CAF/MSA flux (caf_import, docs/modules/caf.md, report
 * /imports/caf/{id}), the France Travail lists (ft_import,
 * docs/modules/france_travail.md, report /imports/ft/{id}) and the lists of
 * other tools (list_import, docs/modules/lists.md, whose report is the list
 * screen's own /lists/imports/{id}).
 */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "db/db.h"
#include "model/user.h"
#include "web/http.h"
#include "web/listing.h"
#include "web/pages/pages.h"

/* One kind of import: its runs as (kind, id, file, started_at, finished_at,
 * status, read, created, updated, unchanged, rejected, unmatched,
 * organisation), `read` counted in `unit`. `organisation` is the run's
 * owner when only its organisation may open the report (lists.c), else
 * NULL; `href` the report's path without the id. */
static const struct {
	const char *kind, *label, *unit, *href, *runs;
} kinds[] = {
	{ "caf", "Flux bénéficiaires CAF/MSA", "foyers", "/imports/caf/",
	  "SELECT 'caf' AS kind, id, file, started_at, finished_at, status, households AS nread, "
	  "created, updated, unchanged, rejected, CAST(NULL AS INTEGER) AS unmatched, "
	  "CAST(NULL AS TEXT) AS organisation FROM caf_import" },
	{ "ft", "Liste France Travail", "lignes", "/imports/ft/",
	  "SELECT 'ft', id, file, started_at, finished_at, status, lines, created, updated, "
	  "unchanged, rejected, unmatched, CAST(NULL AS TEXT) FROM ft_import" },
	{ "list", "Liste de bénéficiaires (autre outil)", "lignes", "/lists/imports/",
	  "SELECT 'list', id, file, started_at, finished_at, status, lines, created, updated, "
	  "unchanged, rejected, CAST(NULL AS INTEGER), organisation FROM list_import" },
};

static const char *status_label(const char *status)
{
	static const char *const labels[][2] = { { "done", "Terminé" },
		{ "refused", "Refusé" }, { "broken", "Interrompu (fichier illisible)" },
		{ "running", "Inachevé (le traitement s'est arrêté)" } };

	for (size_t i = 0; i < sizeof labels / sizeof *labels; i++)
		if (status && !strcmp(status, labels[i][0]))
			return labels[i][1];
	return status ? status : "";
}

/* The index of kind in `kinds`, or -1. */
static int kind_index(const char *kind)
{
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
		if (kind && !strcmp(kind, kinds[i].kind))
			return (int)i;
	return -1;
}

static json_t *run_row(struct db_stmt *st, void *ud)
{
	char href[120];
	int k = kind_index(db_col_text(st, 0));
	json_t *row;

	(void)ud;
	snprintf(href, sizeof href, "%s%lld", k >= 0 ? kinds[k].href : "/imports/",
		 (long long)db_col_int(st, 1));
	row = json_pack("{s:s, s:s, s:I, s:s, s:s, s:s?, s:s, s:s, s:s, s:I, s:s, s:I, s:I, s:I, "
			"s:I}",
			"kind", db_col_text(st, 0), "kind_label",
			k >= 0 ? kinds[k].label : db_col_text(st, 0), "id",
			(json_int_t)db_col_int(st, 1), "href", href, "file", db_col_text(st, 2),
			"finished_at", db_col_text(st, 4), "started_at", db_col_text(st, 3),
			"status", db_col_text(st, 5), "status_label",
			status_label(db_col_text(st, 5)), "read", (json_int_t)db_col_int(st, 6),
			"read_unit", k >= 0 ? kinds[k].unit : "", "created",
			(json_int_t)db_col_int(st, 7), "updated", (json_int_t)db_col_int(st, 8),
			"unchanged", (json_int_t)db_col_int(st, 9), "rejected",
			(json_int_t)db_col_int(st, 10));
	/* Only France Travail lists count the lines that match nobody. */
	json_object_set_new(row, "unmatched", db_col_is_null(st, 11)
						      ? json_null()
						      : json_integer(db_col_int(st, 11)));
	return row;
}

void page_imports(struct request *req, struct response *res)
{
	struct listing l;

	listing_init(&l);
	l.select = "i.kind, i.id, i.file, i.started_at, i.finished_at, i.status, i.nread, "
		   "i.created, i.updated, i.unchanged, i.rejected, i.unmatched";
	buf_addstr(&l.from, "FROM (");
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
		buf_addf(&l.from, "%s%s", i ? " UNION ALL " : "", kinds[i].runs);
	buf_addstr(&l.from, ") i WHERE 1 = 1");
	/* A run owned by an organisation is listed to whoever may open its
	 * report: an administrator, or a member of that organisation. */
	if (!(req->user.roles & ROLE_ADMIN)) {
		buf_addstr(&l.from, " AND (i.organisation IS NULL OR i.organisation = ?)");
		json_array_append_new(l.binds, json_string(req->user.organisation));
	}
	l.order = "i.started_at DESC, i.kind, i.id DESC";
	l.name = "imports";
	l.row = run_row;
	listing_column(&l, "kind_label", "Type d'import");
	listing_column(&l, "file", "Fichier");
	listing_column(&l, "started_at", "Début");
	listing_column(&l, "finished_at", "Fin");
	listing_column(&l, "status", "État (code)");
	listing_column(&l, "status_label", "État");
	listing_column(&l, "read", "Lus");
	listing_column(&l, "read_unit", "Unité");
	listing_column(&l, "created", "Créés");
	listing_column(&l, "updated", "Mis à jour");
	listing_column(&l, "unchanged", "Inchangés");
	listing_column(&l, "rejected", "Rejetés");
	listing_column(&l, "unmatched", "Sans correspondance");
	res->template = "imports";
	res->title = "Imports de fichiers";
	res->data = json_object();
	listing_run(req, res, &l);
	listing_release(&l);
}

/* The id of a report in the path, or -1 when it is not a number. */
static long long report_id(struct request *req)
{
	const char *id = req_param(req, "id");

	if (!id || !*id || strlen(id) > 15 || strspn(id, "0123456789") != strlen(id))
		return -1;
	return strtoll(id, NULL, 10);
}

/* The warnings column (a JSON array of texts) as an array, never NULL. */
static json_t *warnings_array(const char *text)
{
	json_t *w = text ? json_loads(text, 0, NULL) : NULL;

	if (json_is_array(w))
		return w;
	json_decref(w);
	return json_array();
}

/* Starts a report page: 404 when there is no report, else l set on the
 * report's rows of table. Returns -1 for the 404. */
static int report_listing(struct response *res, json_t *report, struct listing *l,
			  const char *select, const char *table)
{
	if (!report) {
		res_error(res, 404, "ce rapport d'import n'existe pas");
		return -1;
	}
	listing_init(l);
	l->select = select;
	buf_addf(&l->from, "FROM %s r WHERE r.import_id = ?", table);
	return 0;
}

/* Ends a report page: the report, its rejections in l (the report's id
 * bound), the template. */
static void report_page(struct request *req, struct response *res, struct listing *l,
			json_t *report, json_t *data)
{
	json_array_insert_new(l->binds, 0,
			      json_integer(json_integer_value(json_object_get(report, "id"))));
	json_object_set_new(data, "report", report);
	json_object_set_new(data, "has_warnings",
			    json_boolean(json_array_size(json_object_get(report, "warnings")) > 0));
	res->data = data;
	listing_run(req, res, l);
	listing_release(l);
}

/* ---- /imports/caf/{id} ------------------------------------------------------ */

/* The report of CAF import id, or NULL when there is none. */
static json_t *caf_report(struct db *db, long long id)
{
	struct db_stmt *st;
	json_t *r = NULL;

	if (id < 0 ||
	    db_prepare(db, &st, "SELECT id, file, paying_body, dtref, type_flux, started_at, "
				"finished_at, actor, status, forced, households, declared, created, "
				"updated, unchanged, rejected, people, people_created, "
				"periods_written, warnings, error FROM caf_import WHERE id = ?"))
		return NULL;
	db_bind_int(st, 1, id);
	if (db_step(st) == DB_ROW) {
		r = json_pack("{s:I, s:s, s:s?, s:s?, s:s?, s:s, s:s?, s:s, s:s, s:s, s:b, s:I, "
			      "s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:s?}",
			      "id", (json_int_t)db_col_int(st, 0), "file", db_col_text(st, 1),
			      "paying_body", db_col_text(st, 2), "dtref", db_col_text(st, 3),
			      "type_flux", db_col_text(st, 4), "started_at", db_col_text(st, 5),
			      "finished_at", db_col_text(st, 6), "actor", db_col_text(st, 7),
			      "status", db_col_text(st, 8), "status_label",
			      status_label(db_col_text(st, 8)), "forced", (int)db_col_int(st, 9),
			      "households", (json_int_t)db_col_int(st, 10), "created",
			      (json_int_t)db_col_int(st, 12), "updated",
			      (json_int_t)db_col_int(st, 13), "unchanged",
			      (json_int_t)db_col_int(st, 14), "rejected",
			      (json_int_t)db_col_int(st, 15), "people",
			      (json_int_t)db_col_int(st, 16), "people_created",
			      (json_int_t)db_col_int(st, 17), "periods_written",
			      (json_int_t)db_col_int(st, 18), "warnings",
			      warnings_array(db_col_text(st, 19)), "error", db_col_text(st, 20));
		if (r && !db_col_is_null(st, 11))
			json_object_set_new(r, "declared", json_integer(db_col_int(st, 11)));
	}
	db_finalize(st);
	return r;
}

static json_t *caf_rejection_row(struct db_stmt *st, void *ud)
{
	json_t *row = json_pack("{s:I, s:I, s:s?, s:s?, s:s, s:s?}", "seq",
				(json_int_t)db_col_int(st, 0), "position",
				(json_int_t)db_col_int(st, 1), "identifier", db_col_text(st, 3),
				"field", db_col_text(st, 4), "reason", db_col_text(st, 5),
				"fragment", db_col_text(st, 6));

	(void)ud;
	if (!db_col_is_null(st, 2))
		json_object_set_new(row, "line", json_integer(db_col_int(st, 2)));
	return row;
}

void page_import_caf(struct request *req, struct response *res)
{
	json_t *report = caf_report(req->db, report_id(req));
	struct listing l;

	if (report_listing(res, report, &l,
			   "r.seq, r.position, r.line, r.identifier, r.field, r.reason, r.fragment",
			   "caf_import_rejection"))
		return;
	l.order = "r.position, r.seq";
	l.name = "rejets-import-caf";
	l.row = caf_rejection_row;
	listing_column(&l, "position", "Foyer n°");
	listing_column(&l, "line", "Ligne");
	listing_column(&l, "identifier", "Matricule");
	listing_column(&l, "field", "Champ");
	listing_column(&l, "reason", "Motif");
	listing_column(&l, "fragment", "Extrait XML");
	res->template = "import_caf";
	res->title = "Rapport d'import CAF";
	report_page(req, res, &l, report, json_object());
}

/* ---- /imports/ft/{id} ------------------------------------------------------- */

/* The French of a code of ft_import or ft_import_rejection, or the code. */
static const char *ft_label(const char *code)
{
	static const char *const labels[][2] = {
		{ "movement", "Fichier de mouvements" },
		{ "principal", "Extrait mensuel (fichier principal)" },
		{ "registered", "Inscriptions" }, { "ceased", "Cessations d'inscription" },
		{ "removed", "Radiations" }, { "rejected", "Rejetée" },
		{ "unmatched", "Sans correspondance" },
	};

	for (size_t i = 0; i < sizeof labels / sizeof *labels; i++)
		if (code && !strcmp(code, labels[i][0]))
			return labels[i][1];
	return code;
}

/* The report of France Travail import id, or NULL when there is none. */
static json_t *ft_report(struct db *db, long long id)
{
	struct db_stmt *st;
	json_t *r = NULL;

	if (id < 0 || db_prepare(db, &st, "SELECT id, file, shape, state, encoding, started_at, "
					  "finished_at, actor, status, lines, created, updated, "
					  "unchanged, rejected, unmatched, warnings, error "
					  "FROM ft_import WHERE id = ?"))
		return NULL;
	db_bind_int(st, 1, id);
	if (db_step(st) == DB_ROW)
		r = json_pack("{s:I, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:s, s:s?, s:s, s:s, s:s, "
			      "s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:s?}",
			      "id", (json_int_t)db_col_int(st, 0), "file", db_col_text(st, 1),
			      "shape", db_col_text(st, 2), "shape_label",
			      ft_label(db_col_text(st, 2)), "state", db_col_text(st, 3),
			      "state_label", ft_label(db_col_text(st, 3)), "encoding",
			      db_col_text(st, 4), "started_at", db_col_text(st, 5), "finished_at",
			      db_col_text(st, 6), "actor", db_col_text(st, 7), "status",
			      db_col_text(st, 8), "status_label", status_label(db_col_text(st, 8)),
			      "lines", (json_int_t)db_col_int(st, 9), "created",
			      (json_int_t)db_col_int(st, 10), "updated",
			      (json_int_t)db_col_int(st, 11), "unchanged",
			      (json_int_t)db_col_int(st, 12), "rejected",
			      (json_int_t)db_col_int(st, 13), "unmatched",
			      (json_int_t)db_col_int(st, 14), "warnings",
			      warnings_array(db_col_text(st, 15)), "error", db_col_text(st, 16));
	db_finalize(st);
	return r;
}

static json_t *ft_rejection_row(struct db_stmt *st, void *ud)
{
	(void)ud;
	return json_pack("{s:I, s:s, s:s?, s:I, s:s?, s:s?, s:s}", "seq",
			 (json_int_t)db_col_int(st, 0), "kind", db_col_text(st, 1), "kind_label",
			 ft_label(db_col_text(st, 1)), "line", (json_int_t)db_col_int(st, 2),
			 "identifier", db_col_text(st, 3), "field", db_col_text(st, 4), "reason",
			 db_col_text(st, 5));
}

/* The filter ?kind=rejected|unmatched: adds it to l and returns the
 * choices of its list, the current one selected. */
static json_t *ft_kind_filter(struct request *req, struct listing *l)
{
	static const char *const codes[] = { "rejected", "unmatched" };
	const char *kind = req_query(req, "kind");
	json_t *options = json_array();

	for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
		int on = kind && !strcmp(kind, codes[i]);

		if (on) {
			buf_addstr(&l->from, " AND r.kind = ?");
			json_array_append_new(l->binds, json_string(codes[i]));
		}
		json_array_append_new(options, json_pack("{s:s, s:s?, s:b}", "value", codes[i],
							 "label", ft_label(codes[i]),
							 "selected", on));
	}
	return options;
}

void page_import_ft(struct request *req, struct response *res)
{
	json_t *report = ft_report(req->db, report_id(req));
	struct listing l;

	if (report_listing(res, report, &l, "r.seq, r.kind, r.line, r.identifier, r.field, r.reason",
			   "ft_import_rejection"))
		return;
	l.order = "r.line, r.seq";
	l.name = "rejets-import-france-travail";
	l.row = ft_rejection_row;
	listing_column(&l, "line", "Ligne");
	listing_column(&l, "kind_label", "Résultat");
	listing_column(&l, "identifier", "Identifiant");
	listing_column(&l, "field", "Champ");
	listing_column(&l, "reason", "Motif");
	res->template = "import_ft";
	res->title = "Rapport d'import France Travail";
	report_page(req, res, &l, report,
		    json_pack("{s:o}", "kinds", ft_kind_filter(req, &l)));
}
