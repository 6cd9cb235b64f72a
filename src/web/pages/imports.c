/*
 * imports.c — the reports of the files imported from outside (issue 3):
 * /imports lists the runs of every kind, /imports/{kind}/{id} shows one
 * report. Each kind of import keeps its own report tables; a kind plugs in
 * here with one line in `kinds` (its runs as the common columns) and its
 * report page. Today: the CAF/MSA flux (caf_import, caf_import_rejection,
 * docs/modules/caf.md).
 */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "db/db.h"
#include "web/http.h"
#include "web/listing.h"
#include "web/pages/pages.h"

/* One kind of import: its runs as (kind, id, file, started_at,
 * finished_at, status, households, created, updated, unchanged, rejected). */
static const struct {
	const char *kind, *label, *runs;
} kinds[] = {
	{ "caf", "Flux bénéficiaires CAF/MSA",
	  "SELECT 'caf' AS kind, id, file, started_at, finished_at, status, households, created, "
	  "updated, unchanged, rejected FROM caf_import" },
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

static const char *kind_label(const char *kind)
{
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
		if (kind && !strcmp(kind, kinds[i].kind))
			return kinds[i].label;
	return kind ? kind : "";
}

static json_t *run_row(struct db_stmt *st, void *ud)
{
	char href[120];

	(void)ud;
	snprintf(href, sizeof href, "/imports/%s/%lld", db_col_text(st, 0),
		 (long long)db_col_int(st, 1));
	return json_pack("{s:s, s:s, s:I, s:s, s:s, s:s?, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I}",
			 "kind", db_col_text(st, 0), "kind_label", kind_label(db_col_text(st, 0)),
			 "id", (json_int_t)db_col_int(st, 1), "href", href, "file",
			 db_col_text(st, 2), "finished_at", db_col_text(st, 4), "started_at",
			 db_col_text(st, 3), "status", db_col_text(st, 5), "status_label",
			 status_label(db_col_text(st, 5)), "households",
			 (json_int_t)db_col_int(st, 6), "created", (json_int_t)db_col_int(st, 7),
			 "updated", (json_int_t)db_col_int(st, 8), "unchanged",
			 (json_int_t)db_col_int(st, 9), "rejected", (json_int_t)db_col_int(st, 10));
}

void page_imports(struct request *req, struct response *res)
{
	struct listing l;

	listing_init(&l);
	l.select = "i.kind, i.id, i.file, i.started_at, i.finished_at, i.status, i.households, "
		   "i.created, i.updated, i.unchanged, i.rejected";
	buf_addstr(&l.from, "FROM (");
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
		buf_addf(&l.from, "%s%s", i ? " UNION ALL " : "", kinds[i].runs);
	buf_addstr(&l.from, ") i WHERE 1 = 1");
	l.order = "i.started_at DESC, i.kind, i.id DESC";
	l.name = "imports";
	l.row = run_row;
	listing_column(&l, "kind_label", "Type d'import");
	listing_column(&l, "file", "Fichier");
	listing_column(&l, "started_at", "Début");
	listing_column(&l, "finished_at", "Fin");
	listing_column(&l, "status", "État (code)");
	listing_column(&l, "status_label", "État");
	listing_column(&l, "households", "Foyers lus");
	listing_column(&l, "created", "Créés");
	listing_column(&l, "updated", "Mis à jour");
	listing_column(&l, "unchanged", "Inchangés");
	listing_column(&l, "rejected", "Rejetés");
	res->template = "imports";
	res->title = "Imports de fichiers";
	res->data = json_object();
	listing_run(req, res, &l);
	listing_release(&l);
}

/* The report of CAF import id, or NULL when there is none. */
static json_t *caf_report(struct db *db, const char *id)
{
	struct db_stmt *st;
	json_t *r = NULL;

	if (db_prepare(db, &st, "SELECT id, file, paying_body, dtref, type_flux, started_at, "
				"finished_at, actor, status, forced, households, declared, created, "
				"updated, unchanged, rejected, people, people_created, "
				"periods_written, warnings, error FROM caf_import WHERE id = ?"))
		return NULL;
	db_bind_int(st, 1, strtoll(id, NULL, 10));
	if (db_step(st) == DB_ROW) {
		json_t *warnings = db_col_text(st, 19) ? json_loads(db_col_text(st, 19), 0, NULL)
						       : NULL;
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
			      json_is_array(warnings) ? json_incref(warnings) : json_array(),
			      "error", db_col_text(st, 20));
		json_decref(warnings);
		if (r && !db_col_is_null(st, 11))
			json_object_set_new(r, "declared", json_integer(db_col_int(st, 11)));
	}
	db_finalize(st);
	return r;
}

static json_t *rejection_row(struct db_stmt *st, void *ud)
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
	const char *id = req_param(req, "id");
	json_t *report;
	struct listing l;

	if (strspn(id, "0123456789") != strlen(id) || !(report = caf_report(req->db, id))) {
		res_error(res, 404, "ce rapport d'import n'existe pas");
		return;
	}
	listing_init(&l);
	l.select = "r.seq, r.position, r.line, r.identifier, r.field, r.reason, r.fragment";
	buf_addstr(&l.from, "FROM caf_import_rejection r WHERE r.import_id = ?");
	json_array_append_new(l.binds, json_integer(json_integer_value(json_object_get(report,
										"id"))));
	l.order = "r.position, r.seq";
	l.name = "rejets-import-caf";
	l.row = rejection_row;
	listing_column(&l, "position", "Foyer n°");
	listing_column(&l, "line", "Ligne");
	listing_column(&l, "identifier", "Matricule");
	listing_column(&l, "field", "Champ");
	listing_column(&l, "reason", "Motif");
	listing_column(&l, "fragment", "Extrait XML");
	res->template = "import_caf";
	res->title = "Rapport d'import CAF";
	res->data = json_pack("{s:o, s:b}", "report", report, "has_warnings",
			      json_array_size(json_object_get(report, "warnings")) > 0);
	listing_run(req, res, &l);
	listing_release(&l);
}
