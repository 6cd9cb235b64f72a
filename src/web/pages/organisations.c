/* organisations.c — the organisations (structures): list, detail, edit. */
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "db/db.h"
#include "model/record.h"
#include "model/schema.h"
#include "web/http.h"
#include "web/labels.h"
#include "web/listing.h"
#include "web/pages/pages.h"
#include "web/record_form.h"

static json_t *organisation_row(struct db_stmt *st, void *ud)
{
	json_t *row = json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:I, s:s?}", "id", db_col_text(st, 0),
				"name", db_col_text(st, 1), "kind", db_col_text(st, 2), "territory",
				db_col_text(st, 3), "territory_name", db_col_text(st, 4), "accounts",
				(json_int_t)db_col_int(st, 5), "city", db_col_text(st, 6));

	(void)ud;
	label_set(row, "organisation", "kind");
	return row;
}

void page_organisations(struct request *req, struct response *res)
{
	const char *q = req_query(req, "q"), *kind = req_query(req, "kind");
	const char *territory = req_query(req, "territory");
	json_t *kinds = json_array();
	struct listing l;

	listing_init(&l);
	l.select = "o.id, o.name, o.kind, o.territory, t.name, "
		   "(SELECT COUNT(*) FROM account a WHERE a.organisation = o.id), o.city";
	buf_addstr(&l.from, "FROM organisation o LEFT JOIN territory t ON t.id = o.territory "
			    "WHERE 1 = 1");
	if (q && *q) {
		char *key = text_fold(q), like[300];
		snprintf(like, sizeof like, "%%%s%%", key);
		buf_addstr(&l.from, " AND o.search_key LIKE ?");
		json_array_append_new(l.binds, json_string(like));
		free(key);
	}
	if (kind && *kind) {
		buf_addstr(&l.from, " AND o.kind = ?");
		json_array_append_new(l.binds, json_string(kind));
	}
	if (territory && *territory) {
		buf_addstr(&l.from, " AND o.territory = ?");
		json_array_append_new(l.binds, json_string(territory));
	}
	for (const char *const *k = organisation_kinds; *k; k++)
		json_array_append_new(kinds, json_pack("{s:s, s:s?, s:b}", "value", *k, "label",
						       label_of("organisation", "kind", *k),
						       "selected", kind && strcmp(kind, *k) == 0));
	l.order = "o.name, o.id";
	l.name = "structures";
	l.row = organisation_row;
	listing_column(&l, "name", "Nom");
	listing_column(&l, "kind", "Type (code)");
	listing_column(&l, "kind_label", "Type");
	listing_column(&l, "territory_name", "Territoire");
	listing_column(&l, "city", "Commune");
	listing_column(&l, "accounts", "Comptes");
	res->template = "organisations";
	res->title = "Structures";
	res->data = json_pack("{s:s, s:o, s:b}", "q", q ? q : "", "kinds", kinds, "can_edit",
			      (req->user.roles & ROLE_ADMIN) != 0);
	listing_run(req, res, &l);
	listing_release(&l);
}

static json_t *members(struct request *req, const char *org)
{
	struct db_stmt *st;
	json_t *rows = json_array();

	if (db_prepare(req->db, &st, "SELECT id, first_name, last_name, roles FROM account "
				     "WHERE organisation = ? ORDER BY last_name, first_name"))
		return rows;
	db_bind_text(st, 1, org);
	while (db_step(st) == DB_ROW)
		json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:s, s:o}", "id",
				db_col_text(st, 0), "first_name", db_col_text(st, 1), "last_name",
				db_col_text(st, 2), "roles", db_col_text(st, 3), "role_labels",
				label_roles_of_text(db_col_text(st, 3))));
	db_finalize(st);
	return rows;
}

void page_organisation(struct request *req, struct response *res)
{
	const char *id = req_param(req, "id");
	json_t *o = record_load(req->db, &type_organisation, id, NULL);

	if (!o) {
		res_error(res, 404, "cette structure n'existe pas");
		return;
	}
	label_set(o, "organisation", "kind");
	res->template = "organisation";
	res->title = "Structure";
	res->data = json_pack("{s:o, s:o, s:b}", "organisation", o, "accounts", members(req, id),
			      "can_edit", (req->user.roles & ROLE_ADMIN) != 0);
}

static void edit_page(struct response *res, json_t *o, long version, const char *id)
{
	char action[120];

	snprintf(action, sizeof action, "/organisations/%s/edit", id);
	res->template = "record_edit";
	res->title = "Modifier la structure";
	if (!json_is_object(res->data)) {
		json_decref(res->data);
		res->data = json_object();
	}
	json_object_set(res->data, "record", o);
	json_object_set_new(res->data, "heading", json_string("Modifier la structure"));
	json_object_set_new(res->data, "version", json_integer(version));
	json_object_set_new(res->data, "action", json_string(action));
	action[strlen(action) - strlen("/edit")] = '\0';
	json_object_set_new(res->data, "cancel", json_string(action));
}

void page_organisation_edit(struct request *req, struct response *res)
{
	const char *id = req_param(req, "id");
	long version = 0;
	json_t *o = record_load(req->db, &type_organisation, id, &version);

	if (!o) {
		res_error(res, 404, "cette structure n'existe pas");
		return;
	}
	edit_page(res, o, version, id);
	record_form_show(req, res, &type_organisation, o, NULL);
	json_decref(o);
}

void page_organisation_edit_post(struct request *req, struct response *res)
{
	const char *id = req_param(req, "id"), *sent = req_form(req, "version");
	long version = 0, expected = sent ? strtol(sent, NULL, 10) : -1;
	json_t *o = record_load(req->db, &type_organisation, id, &version), *rec;
	json_t *errors = NULL, *changes = NULL;
	enum save_result r;
	char done[120];

	if (!o) {
		res_error(res, 404, "cette structure n'existe pas");
		return;
	}
	rec = record_from_form(&type_organisation, req->form, NULL, o);
	r = record_save(req, &type_organisation, id, rec, expected, &errors, &changes);
	snprintf(done, sizeof done, "/organisations/%s", id);
	edit_page(res, o, r == SAVE_CONFLICT ? version : expected, id);
	{
		const struct record_answer a = { &type_organisation, id, expected, NULL, done };
		record_form_answer(req, res, r, &a, rec, errors, changes);
	}
	json_decref(errors);
	json_decref(changes);
	json_decref(rec);
	json_decref(o);
}
