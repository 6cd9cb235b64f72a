/* users.c — accounts, for administrators: list, detail, creation. */
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "db/db.h"
#include "model/audit.h"
#include "model/problems.h"
#include "model/record.h"
#include "model/schema.h"
#include "model/user.h"
#include "web/http.h"
#include "web/labels.h"
#include "web/listing.h"
#include "web/pages/pages.h"
#include "web/record_form.h"

static json_t *user_row(struct db_stmt *st, void *ud)
{
	char *labels = label_roles_text(db_col_text(st, 6));
	json_t *row = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s?}", "id",
				db_col_text(st, 0), "email", db_col_text(st, 1), "last_name",
				db_col_text(st, 2), "first_name", db_col_text(st, 3),
				"organisation", db_col_text(st, 4), "organisation_name",
				db_col_text(st, 5), "roles", db_col_text(st, 6), "roles_label",
				labels ? labels : "", "role_labels",
				label_roles_of_text(db_col_text(st, 6)), "disabled_on",
				db_col_text(st, 7));

	(void)ud;
	free(labels);
	return row;
}

/* The role filter's options, the chosen one selected (NULL: none). */
static json_t *role_options(const char *chosen)
{
	json_t *opts = json_array();

	for (const char *const *r = user_roles; *r; r++)
		json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", *r, "label",
						       role_label(*r), "selected",
						       chosen && !strcmp(chosen, *r)));
	return opts;
}

void page_users(struct request *req, struct response *res)
{
	const char *q = req_query(req, "q"), *role = req_query(req, "role");
	struct listing l;

	/* Only a known role filters: anything else would be a LIKE pattern. */
	if (role && !schema_enum_has(user_roles, role))
		role = NULL;
	listing_init(&l);
	l.select = "a.id, a.email, a.last_name, a.first_name, a.organisation, o.name, a.roles, "
		   "a.disabled_on";
	buf_addstr(&l.from, "FROM account a JOIN organisation o ON o.id = a.organisation "
			    "WHERE 1 = 1");
	if (q && *q) {
		char *key = text_fold(q), like[300];
		snprintf(like, sizeof like, "%%%s%%", key);
		buf_addstr(&l.from, " AND (a.search_key LIKE ? OR lower(a.email) LIKE ?)");
		json_array_append_new(l.binds, json_string(like));
		json_array_append_new(l.binds, json_string(like));
		free(key);
	}
	if (role) {
		char like[80];
		snprintf(like, sizeof like, "%%\"%s\"%%", role);
		buf_addstr(&l.from, " AND a.roles LIKE ?");
		json_array_append_new(l.binds, json_string(like));
	}
	l.order = "a.last_name, a.first_name, a.id";
	l.name = "comptes";
	l.row = user_row;
	listing_column(&l, "last_name", "Nom");
	listing_column(&l, "first_name", "Prénom");
	listing_column(&l, "email", "Adresse électronique");
	listing_column(&l, "organisation_name", "Structure");
	listing_column(&l, "roles", "Rôles (codes)");
	listing_column(&l, "roles_label", "Rôles");
	listing_column(&l, "disabled_on", "Désactivé le");
	res->template = "users";
	res->title = "Comptes";
	res->data = json_pack("{s:s, s:s?, s:o}", "q", q ? q : "", "role", role, "role_options",
			      role_options(role));
	listing_run(req, res, &l);
	listing_release(&l);
}

void page_user(struct request *req, struct response *res)
{
	const char *id = req_param(req, "id");
	json_t *u = record_load(req->db, &type_user, id, NULL), *signins;
	struct db_stmt *st;

	if (!u) {
		res_error(res, 404, "ce compte n'existe pas");
		return;
	}
	signins = json_array();
	if (db_prepare(req->db, &st, "SELECT at FROM sign_in WHERE account = ? ORDER BY at DESC "
				     "LIMIT 10") == 0) {
		db_bind_text(st, 1, id);
		while (db_step(st) == DB_ROW)
			json_array_append_new(signins, json_string(db_col_text(st, 0)));
		db_finalize(st);
	}
	res->template = "user";
	res->title = "Compte";
	res->data = json_pack("{s:o, s:o, s:o}", "role_labels",
			      label_roles(json_object_get(u, "roles")), "account", u, "sign_ins",
			      signins);
}

static const char *const user_new_fields[] = { "email", "first_name", "last_name",
	"organisation", "roles", "health_accredited", "function", NULL };

static void new_page(struct response *res)
{
	res->template = "record_edit";
	res->title = "Nouveau compte";
	if (!json_is_object(res->data)) {
		json_decref(res->data);
		res->data = json_object();
	}
	json_object_set_new(res->data, "heading", json_string("Nouveau compte"));
	json_object_set_new(res->data, "action", json_string("/users/new"));
	json_object_set_new(res->data, "cancel", json_string("/users"));
	json_object_set_new(res->data, "version", json_integer(0));
	json_object_set_new(res->data, "password", json_true());
}

void page_user_new(struct request *req, struct response *res)
{
	json_t *empty = json_object();

	new_page(res);
	record_form_show(req, res, &type_user, empty, user_new_fields);
	json_decref(empty);
}

void page_user_new_post(struct request *req, struct response *res)
{
	json_t *rec = record_from_form(&type_user, req->form, user_new_fields, NULL);
	const char *password = req_form(req, "password");
	struct problems pb;
	char id[65], done[120];
	int rc;

	problems_init(&pb);
	user_created_today(rec);
	rc = user_create(req->db, rec, password && *password ? password : NULL, &pb, id);
	new_page(res);
	if (rc == 0) {
		const struct record_answer a = { &type_user, id, 0, user_new_fields, done };
		audit_append(req->db, req->user.id, req->address, "create", "user", id, NULL);
		snprintf(done, sizeof done, "/users/%s", id);
		record_form_answer(req, res, SAVE_OK, &a, rec, NULL, NULL);
	} else if (rc == 1) {
		json_t *errors = problems_fields(&pb);
		json_object_set_new(res->data, "form",
				    record_form_fields(&type_user, rec, errors, user_new_fields));
		res_invalid(res, errors);
	} else {
		res_error(res, 500, "le compte n'a pas pu être créé");
	}
	problems_release(&pb);
	json_decref(rec);
}
