/*
 * lists.c — the beneficiary lists screen (issue 3, "Flux in";
 * docs/modules/lists.md): send a CSV or XLSX file (multipart/form-data,
 * decoded by upload.c), choose or adjust the mapping of its column headers
 * to person fields (saved per organisation under a name), see what each
 * line would become, confirm, read the report. The organisation is always
 * the user's own; the file waits between preview and confirmation as a
 * temporary file that only its sender may use (list_upload).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "db/db.h"
#include "exchange/import_run.h"
#include "exchange/list_import.h"
#include "model/audit.h"
#include "model/password.h"
#include "web/access.h"
#include "web/http.h"
#include "web/listing.h"
#include "web/pages/pages.h"

#define LISTS_PREVIEW_ROWS 500     /* lines shown by the preview (all are counted) */
#define LISTS_UPLOAD_SECONDS 86400 /* a file not confirmed within a day is removed */

/* ---- the uploaded file ---------------------------------------------------- */

struct upload {
	char token[65];
	char path[300];
	char file_name[256];
	char mapping_name[101];
};

static void upload_path(const char *token, char out[300])
{
	const char *dir = getenv("TMPDIR");

	snprintf(out, 300, "%s/parcours-list-%s", dir && dir[0] ? dir : "/tmp", token);
}

/* Files sent more than a day ago and never confirmed. */
static void remove_stale(struct db *db)
{
	struct db_stmt *st;
	int64_t limit = (int64_t)time(NULL) - LISTS_UPLOAD_SECONDS;

	if (db_prepare(db, &st, "SELECT path FROM list_upload WHERE created_epoch < ?"))
		return;
	db_bind_int(st, 1, limit);
	while (db_step(st) == DB_ROW)
		unlink(db_col_text(st, 0));
	db_finalize(st);
	db_execf(db, "DELETE FROM list_upload WHERE created_epoch < ?", "i", limit);
}

/* The user's upload token, or -1 (404: another user's file does not exist). */
static int upload_load(struct request *req, struct upload *u)
{
	const char *token = req_param(req, "token");
	struct db_stmt *st;
	int found = 0;

	if (!token || strlen(token) != 64 || strspn(token, "0123456789abcdef") != 64 ||
	    db_prepare(req->db, &st, "SELECT path, file_name, mapping_name FROM list_upload WHERE "
				     "token = ? AND account = ?"))
		return -1;
	db_bind_text(st, 1, token);
	db_bind_text(st, 2, req->user.id);
	if (db_step(st) == DB_ROW) {
		snprintf(u->token, sizeof u->token, "%s", token);
		snprintf(u->path, sizeof u->path, "%s", db_col_text(st, 0));
		snprintf(u->file_name, sizeof u->file_name, "%s", db_col_text(st, 1));
		snprintf(u->mapping_name, sizeof u->mapping_name, "%s", db_col_text(st, 2));
		found = 1;
	}
	db_finalize(st);
	return found ? 0 : -1;
}

static int write_all(const char *path, const char *data, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ssize_t w = 0;

	if (fd < 0)
		return -1;
	while (n > 0 && (w = write(fd, data, n)) > 0) {
		data += w;
		n -= (size_t)w;
	}
	return close(fd) || w < 0 ? -1 : 0;
}

/* ---- /lists --------------------------------------------------------------- */

static json_t *run_row(struct db_stmt *st, void *ud)
{
	char href[64];

	(void)ud;
	snprintf(href, sizeof href, "/lists/imports/%lld", (long long)db_col_int(st, 0));
	return json_pack("{s:I, s:s, s:s, s:s?, s:s, s:s, s:I, s:I, s:I, s:I}", "id",
			 (json_int_t)db_col_int(st, 0), "href", href, "file", db_col_text(st, 1),
			 "mapping_name", db_col_text(st, 2), "started_at", db_col_text(st, 3),
			 "status", db_col_text(st, 4), "created", (json_int_t)db_col_int(st, 5),
			 "updated", (json_int_t)db_col_int(st, 6), "unchanged",
			 (json_int_t)db_col_int(st, 7), "rejected", (json_int_t)db_col_int(st, 8));
}

/* The page with the sending form and the organisation's past imports;
 * errors: the form's field messages (422), or NULL. */
static void lists_page(struct request *req, struct response *res, json_t *errors)
{
	struct listing l;

	listing_init(&l);
	l.select = "i.id, i.file, i.mapping_name, i.started_at, i.status, i.created, i.updated, "
		   "i.unchanged, i.rejected";
	buf_addstr(&l.from, "FROM list_import i WHERE i.organisation = ?");
	json_array_append_new(l.binds, json_string(req->user.organisation));
	l.order = "i.id DESC";
	l.name = "imports-listes";
	l.row = run_row;
	listing_column(&l, "file", "Fichier");
	listing_column(&l, "mapping_name", "Correspondance");
	listing_column(&l, "started_at", "Date");
	listing_column(&l, "status", "État");
	listing_column(&l, "created", "Créées");
	listing_column(&l, "updated", "Mises à jour");
	listing_column(&l, "unchanged", "Inchangées");
	listing_column(&l, "rejected", "Rejetées");
	res->template = "list_upload";
	res->title = "Importer une liste de bénéficiaires";
	json_t *names = list_mapping_names(req->db, req->user.organisation);

	res->data = json_pack("{s:o, s:b, s:s}", "mappings", names, "has_mappings",
			      json_array_size(names) > 0, "organisation",
			      req->user.organisation_name);
	listing_run(req, res, &l);
	listing_release(&l);
	if (errors)
		res_invalid(res, errors);
}

void page_lists(struct request *req, struct response *res)
{
	lists_page(req, res, NULL);
}

/* The mapping's name: a new one typed, else one chosen, else "liste". */
static const char *chosen_name(struct request *req)
{
	const char *typed = req_form(req, "new_mapping"), *chosen = req_form(req, "mapping");

	if (typed && typed[0])
		return typed;
	return chosen && chosen[0] ? chosen : "liste";
}

void page_lists_upload(struct request *req, struct response *res)
{
	json_t *file = json_object_get(req->form, "file");
	json_int_t off = json_integer_value(json_object_get(file, "offset")),
		   len = json_integer_value(json_object_get(file, "length"));
	const char *name = chosen_name(req), *fname = json_string_value(json_object_get(file,
										       "filename"));
	char token[65], path[300], location[120];

	if (!file || len <= 0 || off < 0 || (size_t)(off + len) > req->body.len || !fname) {
		lists_page(req, res, json_pack("{s:s}", "file", "Choisir un fichier CSV ou XLSX "
							       "non vide."));
		return;
	}
	if (strlen(name) > 100) {
		lists_page(req, res, json_pack("{s:s}", "new_mapping", "100 caractères au plus."));
		return;
	}
	remove_stale(req->db);
	token_new(token);
	upload_path(token, path);
	if (write_all(path, req->body.data + off, (size_t)len) ||
	    db_execf(req->db, "INSERT INTO list_upload (token, account, organisation, file_name, "
			      "path, mapping_name, created_epoch) VALUES (?, ?, ?, ?, ?, ?, ?)",
		     "ssssssi", token, req->user.id, req->user.organisation, fname[0] ? fname : "?",
		     path, name, (int64_t)time(NULL))) {
		unlink(path);
		res_error(res, 500, "le fichier n'a pas pu être gardé");
		return;
	}
	snprintf(location, sizeof location, "/lists/uploads/%s", token);
	res_redirect(res, location);
}

/* ---- the mapping and the preview ------------------------------------------ */

/* One <select> per header, the mapping's choice selected. */
static json_t *columns_json(json_t *headers, json_t *mapping)
{
	json_t *cols = json_array(), *h;
	size_t i;

	json_array_foreach(headers, i, h) {
		const char *header = json_string_value(h);
		const char *code = json_string_value(json_object_get(mapping, header));
		json_t *options = json_array();
		char name[32];

		json_array_append_new(options, json_pack("{s:s, s:s, s:b}", "code", "", "label",
							 "— ne pas importer —", "selected",
							 !code || !code[0]));
		for (int k = 0; k < LF_COUNT; k++)
			json_array_append_new(options, json_pack("{s:s, s:s, s:b}", "code",
								 list_field_codes[k], "label",
								 list_field_labels[k], "selected",
								 code && !strcmp(code, list_field_codes[k])));
		snprintf(name, sizeof name, "col_%zu", i);
		json_array_append_new(cols, json_pack("{s:s, s:s, s:s, s:o}", "name", name, "header",
						      header[0] ? header : "(sans titre)", "id", name,
						      "options", options));
	}
	return cols;
}

/* The mapping a file's headers suggest, for a name never saved. */
static json_t *guessed_mapping(json_t *headers)
{
	json_t *m = json_object(), *h;
	size_t i;

	json_array_foreach(headers, i, h) {
		const char *field = list_guess_field(json_string_value(h));
		int taken = 0;
		const char *k;
		json_t *v;
		json_object_foreach(m, k, v)
			taken |= field && !strcmp(json_string_value(v), field);
		if (field && !taken)
			json_object_set_new(m, json_string_value(h), json_string(field));
	}
	return m;
}

struct preview {
	struct request *req;
	json_t *rows;
	int sees_nir;
};

static const char *outcome_label(const char *code)
{
	static const char *const labels[][2] = { { "created", "Personne créée" },
		{ "updated", "Personne mise à jour" }, { "unchanged", "Rien à changer" },
		{ "rejected", "Ligne rejetée" } };

	for (size_t i = 0; i < sizeof labels / sizeof *labels; i++)
		if (!strcmp(code, labels[i][0]))
			return labels[i][1];
	return code;
}

static void preview_line(void *ud, const struct list_line_result *r)
{
	struct preview *p = ud;
	const char *id = r->identifier;
	json_t *row;

	if (json_array_size(p->rows) >= LISTS_PREVIEW_ROWS)
		return;
	if (!p->sees_nir && !strncmp(id, "NIR ", 4))
		id = "NIR (non affiché)";
	row = json_pack("{s:I, s:s, s:s, s:s, s:b, s:s?, s:s?}", "line", (json_int_t)r->line,
			"outcome", r->outcome, "outcome_label", outcome_label(r->outcome),
			"identifier", id, "rejected", !strcmp(r->outcome, "rejected"), "field",
			r->field, "reason", r->reason);
	/* A person the user may not open is not named (domain.md: 404 rule). */
	if (r->person && strncmp(r->person, "lst-apercu-", 11) &&
	    access_person_visible(p->req->db, &p->req->user, r->person))
		json_object_set_new(row, "person", json_string(r->person));
	json_array_append_new(p->rows, row);
}

/* Runs the preview with mapping into data (rows, counts, error). */
static void run_preview(struct request *req, const struct upload *u, json_t *mapping, json_t *data)
{
	struct list_import_options opt = { 0 };
	struct list_import_counts n = { 0 };
	struct preview p = { req, json_array(), access_sees_nir(&req->user) };
	char why[600] = "";
	long report;
	int rc;

	if (list_mapping_check(mapping, why, sizeof why)) {
		json_object_set_new(data, "mapping_error", json_string(why));
		json_decref(p.rows);
		return;
	}
	opt.organisation = req->user.organisation;
	opt.mapping_name = u->mapping_name;
	opt.mapping = mapping;
	opt.preview = 1;
	opt.file_name = u->file_name;
	opt.on_line = preview_line;
	opt.ud = &p;
	rc = list_import_file(req->db, u->path, &opt, &n, &report, why, sizeof why);
	json_object_set_new(data, "preview", json_pack("{s:o, s:I, s:I, s:I, s:I, s:I, s:b, s:s?}",
		"rows", p.rows, "created", (json_int_t)n.created, "updated", (json_int_t)n.updated,
		"unchanged", (json_int_t)n.unchanged, "rejected", (json_int_t)n.rejected, "lines",
		(json_int_t)(n.created + n.updated + n.unchanged + n.rejected), "cut",
		n.created + n.updated + n.unchanged + n.rejected > LISTS_PREVIEW_ROWS, "error",
		why[0] ? why : NULL));
	if (rc == 0)
		json_object_set_new(data, "can_confirm", json_true());
}

/* The mapping and preview page for mapping (the saved or typed one). */
static void preview_page(struct request *req, struct response *res, const struct upload *u,
			 json_t *mapping)
{
	char why[600] = "";
	json_t *headers = list_headers(u->path, why, sizeof why), *data;
	char action[120];

	snprintf(action, sizeof action, "/lists/uploads/%s", u->token);
	data = json_pack("{s:s, s:s, s:s, s:s}", "file_name", u->file_name, "mapping_name",
			 u->mapping_name, "action", action, "token", u->token);
	res->template = "list_preview";
	res->title = "Aperçu de l'import d'une liste";
	res->data = data;
	if (!headers) {
		json_object_set_new(data, "file_error", json_string(why));
		return;
	}
	if (!mapping)
		mapping = list_mapping_load(req->db, req->user.organisation, u->mapping_name,
					    &mapping) == 0 ? mapping : guessed_mapping(headers);
	else
		json_incref(mapping);
	json_object_set_new(data, "columns", columns_json(headers, mapping));
	json_object_set_new(data, "has_columns", json_boolean(json_array_size(headers) > 0));
	run_preview(req, u, mapping, data);
	json_decref(mapping);
	json_decref(headers);
}

void page_list_preview(struct request *req, struct response *res)
{
	struct upload u;

	if (upload_load(req, &u)) {
		res_error(res, 404, "ce fichier n'existe pas ou a déjà été importé");
		return;
	}
	preview_page(req, res, &u, NULL);
}

/* The mapping chosen on the page: col_0 … col_n for the file's headers. */
static json_t *posted_mapping(struct request *req, const struct upload *u)
{
	char why[600], name[32];
	json_t *headers = list_headers(u->path, why, sizeof why), *m = json_object(), *h;
	size_t i;

	json_array_foreach(headers, i, h) {
		const char *code;
		snprintf(name, sizeof name, "col_%zu", i);
		code = req_form(req, name);
		if (code && code[0])
			json_object_set_new(m, json_string_value(h), json_string(code));
	}
	json_decref(headers);
	return m;
}

void page_list_mapping_post(struct request *req, struct response *res)
{
	struct upload u;
	json_t *m;
	char why[600], location[120];

	if (upload_load(req, &u)) {
		res_error(res, 404, "ce fichier n'existe pas ou a déjà été importé");
		return;
	}
	m = posted_mapping(req, &u);
	if (list_mapping_check(m, why, sizeof why)) {
		/* Shown again with the choices as made, and why. */
		preview_page(req, res, &u, m);
		res_invalid(res, json_pack("{s:s}", "mapping", why));
		json_decref(m);
		return;
	}
	if (list_mapping_save(req->db, req->user.organisation, u.mapping_name, m, req->user.id)) {
		json_decref(m);
		res_error(res, 500, "la correspondance n'a pas pu être enregistrée");
		return;
	}
	json_decref(m);
	snprintf(location, sizeof location, "/lists/uploads/%s", u.token);
	res_redirect(res, location);
}

/* ---- confirmation and report ---------------------------------------------- */

/* The run's audit entry, of the same shape as `parcours import-list`'s
 * (import_run.c): an auditor reads one kind of entry whoever imported. */
static void audit_run(struct request *req, const struct upload *u, long report,
		      const struct list_import_counts *n)
{
	const struct import_counts t = { n->created, n->updated, n->unchanged, n->rejected };
	char *text = import_audit_detail(json_pack("[s]", u->file_name),
					 json_pack("[I]", (json_int_t)report), &t,
					 json_pack("{s:s}", "mapping", u->mapping_name));

	audit_append(req->db, req->user.id, req->address, "import-list", "organisation",
		     req->user.organisation, text);
	free(text);
}

void page_list_confirm(struct request *req, struct response *res)
{
	struct list_import_options opt = { 0 };
	struct list_import_counts n = { 0 };
	struct upload u;
	char why[600], location[120];
	long report = 0;
	int rc;

	if (upload_load(req, &u)) {
		res_error(res, 404, "ce fichier n'existe pas ou a déjà été importé");
		return;
	}
	if (list_mapping_load(req->db, req->user.organisation, u.mapping_name, &opt.mapping)) {
		res_error(res, 409, "la correspondance n'est pas enregistrée : la choisir d'abord");
		return;
	}
	opt.organisation = req->user.organisation;
	opt.mapping_name = u.mapping_name;
	opt.actor = req->user.id;
	opt.file_name = u.file_name;
	rc = list_import_file(req->db, u.path, &opt, &n, &report, why, sizeof why);
	json_decref(opt.mapping);
	if (rc < 0 && !report) {
		res_error(res, 500, "l'import n'a pas pu être fait");
		return;
	}
	audit_run(req, &u, report, &n);
	unlink(u.path);
	db_execf(req->db, "DELETE FROM list_upload WHERE token = ?", "s", u.token);
	snprintf(location, sizeof location, "/lists/imports/%ld", report);
	res_redirect(res, location);
}

/* The report of import id, when it is the user's organisation's (every
 * one for an administrator). */
static json_t *report_json(struct request *req, const char *id)
{
	struct db_stmt *st;
	json_t *r = NULL;

	if (strspn(id, "0123456789") != strlen(id) || strlen(id) > 15 ||
	    db_prepare(req->db, &st, "SELECT id, organisation, mapping_name, file, format, "
				     "started_at, finished_at, status, lines, created, updated, "
				     "unchanged, rejected, error FROM list_import WHERE id = ?"))
		return NULL;
	db_bind_int(st, 1, strtoll(id, NULL, 10));
	if (db_step(st) == DB_ROW && ((req->user.roles & ROLE_ADMIN) ||
				      !strcmp(db_col_text(st, 1), req->user.organisation)))
		r = json_pack("{s:I, s:s?, s:s, s:s?, s:s, s:s?, s:s, s:I, s:I, s:I, s:I, s:I, s:s?}",
			      "id", (json_int_t)db_col_int(st, 0), "mapping_name",
			      db_col_text(st, 2), "file", db_col_text(st, 3), "format",
			      db_col_text(st, 4), "started_at", db_col_text(st, 5), "finished_at",
			      db_col_text(st, 6), "status", db_col_text(st, 7), "lines",
			      (json_int_t)db_col_int(st, 8), "created", (json_int_t)db_col_int(st, 9),
			      "updated", (json_int_t)db_col_int(st, 10), "unchanged",
			      (json_int_t)db_col_int(st, 11), "rejected",
			      (json_int_t)db_col_int(st, 12), "error", db_col_text(st, 13));
	db_finalize(st);
	return r;
}

static json_t *rejection_row(struct db_stmt *st, void *ud)
{
	(void)ud;
	return json_pack("{s:I, s:I, s:s?, s:s?, s:s}", "seq", (json_int_t)db_col_int(st, 0),
			 "line", (json_int_t)db_col_int(st, 1), "identifier", db_col_text(st, 2),
			 "field", db_col_text(st, 3), "reason", db_col_text(st, 4));
}

void page_list_report(struct request *req, struct response *res)
{
	json_t *report = report_json(req, req_param(req, "id"));
	struct listing l;

	if (!report) {
		res_error(res, 404, "ce rapport d'import n'existe pas");
		return;
	}
	listing_init(&l);
	/* A NIR is shown only to the roles that may see one (domain.md). */
	l.select = access_sees_nir(&req->user)
			   ? "r.seq, r.line, r.identifier, r.field, r.reason"
			   : "r.seq, r.line, CASE WHEN r.identifier LIKE 'NIR %' THEN "
			     "'NIR (non affiché)' ELSE r.identifier END, r.field, r.reason";
	buf_addstr(&l.from, "FROM list_import_rejection r WHERE r.import_id = ?");
	json_array_append_new(l.binds, json_integer(json_integer_value(json_object_get(report,
										"id"))));
	l.order = "r.line, r.seq";
	l.name = "rejets-import-liste";
	l.row = rejection_row;
	listing_column(&l, "line", "Ligne");
	listing_column(&l, "identifier", "Identifiant");
	listing_column(&l, "field", "Colonne");
	listing_column(&l, "reason", "Motif");
	res->template = "list_report";
	res->title = "Rapport d'import d'une liste";
	res->data = json_pack("{s:o}", "report", report);
	listing_run(req, res, &l);
	listing_release(&l);
}
