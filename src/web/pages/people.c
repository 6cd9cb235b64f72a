/*
 * people.c — people search, a person's file, their household, and the
 * edit form. Every query goes through access_scope_people(): a person the
 * user may not see is absent from results and answers 404, and the attempt
 * to open them is audited.
 */
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/text.h"
#include "db/db.h"
#include "model/audit.h"
#include "model/record.h"
#include "model/rights.h"
#include "model/schema.h"
#include "web/access.h"
#include "web/http.h"
#include "web/labels.h"
#include "web/listing.h"
#include "web/pages/pages.h"
#include "web/record_form.h"
#include "web/session.h"

static const char *const sdd_states[] = { "2", "3", "4", NULL };

static json_t *person_row(struct db_stmt *st, void *ud)
{
	struct request *req = ud;
	json_t *row = json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?}", "id", db_col_text(st, 0),
				"last_name", db_col_text(st, 1), "first_name", db_col_text(st, 2),
				"birth_date", db_col_text(st, 3), "role", db_col_text(st, 4),
				"caf_number", db_col_text(st, 5), "commune", db_col_text(st, 6));
	char *commune = label_commune_in(db_col_text(st, 6), db_col_text(st, 8));

	label_set(row, "person", "role");
	if (commune)
		json_object_set_new(row, "commune_name", json_string(commune));
	free(commune);
	if (access_sees_nir(&req->user) && db_col_text(st, 7))
		json_object_set_new(row, "nir", json_string(db_col_text(st, 7)));
	return row;
}

/* Search filters: name (folded: Benoît finds Benoit), birth date, CAF
 * number, and the NIR only for the roles that may see it. */
static void search_filters(struct request *req, struct listing *l, int sees_nir, json_t *echo)
{
	const char *q = req_query(req, "q"), *birth = req_query(req, "birth_date");
	const char *caf = req_query(req, "caf_number"), *nir = req_query(req, "nir");
	long d;

	if (q && *q) {
		char *key = text_fold(q), *like = key ? malloc(2 * strlen(key) + 3) : NULL;
		/* Each word of the query must appear in the key, in any order
		 * ("Benoît Dupont" finds the key "dupont benoit"); a typed % or \
		 * is a character to find, not a LIKE wildcard. */
		for (const char *w = key; like && *w;) {
			size_t len = strcspn(w, " ");
			char *o = like;
			*o++ = '%';
			for (size_t i = 0; i < len; i++) {
				if (w[i] == '%' || w[i] == '\\')
					*o++ = '\\';
				*o++ = w[i];
			}
			*o++ = '%';
			*o = '\0';
			if (len) {
				buf_addstr(&l->from, " AND p.search_key LIKE ? ESCAPE '\\'");
				json_array_append_new(l->binds, json_string(like));
			}
			w += len + (w[len] == ' ');
		}
		json_object_set_new(echo, "q", json_string(q));
		free(key);
		free(like);
	}
	if (birth && *birth) {
		json_object_set_new(echo, "birth_date", json_string(birth));
		if (date_parse(birth, &d) == 0) {
			buf_addstr(&l->from, " AND p.birth_date = ?");
			json_array_append_new(l->binds, json_string(birth));
		} else {
			json_object_set_new(echo, "birth_date_error",
					    json_string("date attendue au format jj/mm/aaaa"));
		}
	}
	if (caf && *caf) {
		buf_addstr(&l->from, " AND h.caf_number = ?");
		json_array_append_new(l->binds, json_string(caf));
		json_object_set_new(echo, "caf_number", json_string(caf));
	}
	if (sees_nir && nir && *nir) {
		char prefix[20];
		snprintf(prefix, sizeof prefix, "%.13s%%", nir);
		buf_addstr(&l->from, " AND p.nir LIKE ?");
		json_array_append_new(l->binds, json_string(prefix));
		json_object_set_new(echo, "nir", json_string(nir));
	}
}

/* ?sdd=1: the people subject to duties today (the orientation officer's
 * home card), model/rights.h's definition as a filter that every role may
 * add to its own scope. */
static void sdd_filter(struct request *req, struct listing *l, json_t *echo)
{
	const char *sdd = req_query(req, "sdd");
	char today[11];

	if (!sdd || strcmp(sdd, "1") != 0)
		return;
	date_format(date_today(), today);
	buf_addstr(&l->from, " AND " RIGHTS_SDD_ON("p.id"));
	json_array_append_new(l->binds, json_string(today));
	json_array_append_new(l->binds, json_string(today));
	json_object_set_new(echo, "sdd", json_true());
}

void page_people(struct request *req, struct response *res)
{
	int sees_nir = access_sees_nir(&req->user);
	struct listing l;
	json_t *echo = json_object();

	listing_init(&l);
	/* The territory that lists the commune, in the same query (one lookup
	 * a row would cost 200 000 queries in a download). */
	l.select = "p.id, p.last_name, p.first_name, p.birth_date, p.role, h.caf_number, "
		   "h.commune, p.nir, (SELECT MIN(t.name) FROM territory_commune c JOIN territory t "
		   "ON t.id = c.territory WHERE c.commune = h.commune)";
	buf_addstr(&l.from, "FROM person p JOIN household h ON h.id = p.household WHERE 1 = 1");
	search_filters(req, &l, sees_nir, echo);
	/* A search finds few people: count them and read the page in one
	 * query, where two would each build the user's scope (the set of a
	 * référent's links) again. */
	if (json_object_size(echo))
		l.one_pass = 4 * LISTING_PER_PAGE;
	sdd_filter(req, &l, echo);
	access_scope_people(&req->user, &l.from, l.binds);
	l.order = "p.search_key, p.birth_date, p.id";
	l.name = "personnes";
	l.row = person_row;
	l.ud = req;
	listing_column(&l, "last_name", "Nom");
	listing_column(&l, "first_name", "Prénom");
	listing_column(&l, "birth_date", "Date de naissance");
	listing_column(&l, "role", "Rôle (code)");
	listing_column(&l, "role_label", "Rôle");
	listing_column(&l, "caf_number", "Matricule CAF");
	listing_column(&l, "commune", "Commune (INSEE)");
	listing_column(&l, "commune_name", "Commune");
	if (sees_nir)
		listing_column(&l, "nir", "NIR");
	res->template = "people";
	res->title = json_object_get(echo, "sdd") ? "Personnes soumises aux droits et devoirs"
						   : "Personnes";
	res->data = json_pack("{s:o, s:b}", "search", echo, "sees_nir", sees_nir);
	listing_run(req, res, &l);
	listing_release(&l);
}

/* 404 for a person one may not see, as for one that does not exist; the
 * attempt is audited. Returns the person record or NULL (res set). */
static json_t *visible_person(struct request *req, struct response *res, long *version)
{
	const char *id = req_param(req, "id");
	json_t *p;

	if (!access_person_visible(req->db, &req->user, id)) {
		audit_append(req->db, req->user.id, req->address, "person.denied", "person", id, NULL);
		res_error(res, 404, "cette personne n'existe pas ou ne vous est pas accessible");
		return NULL;
	}
	p = record_load(req->db, &type_person, id, version);
	if (!p)
		res_error(res, 404, "cette personne n'existe pas ou ne vous est pas accessible");
	else if (!access_sees_nir(&req->user))
		json_object_del(p, "nir");
	return p;
}

static const char *state_text(const char *code)
{
	const char *l = label_of("right_period", "state", code);

	return l ? l : code ? code : "";
}

static json_t *rights(struct request *req, const char *person)
{
	struct db_stmt *st;
	json_t *rows = json_array();

	if (db_prepare(req->db, &st, "SELECT id, start_date, end_date, state, subject_to_duties "
				     "FROM right_period WHERE person = ? ORDER BY start_date DESC"))
		return rows;
	db_bind_text(st, 1, person);
	while (db_step(st) == DB_ROW)
		json_array_append_new(rows, json_pack("{s:s, s:s, s:s?, s:s, s:s, s:b, s:b}", "id",
				db_col_text(st, 0), "start", db_col_text(st, 1), "end",
				db_col_text(st, 2), "state", db_col_text(st, 3), "state_label",
				state_text(db_col_text(st, 3)), "subject_to_duties",
				(int)db_col_int(st, 4), "sdd", (int)db_col_int(st, 4) &&
				schema_enum_has(sdd_states, db_col_text(st, 3))));
	db_finalize(st);
	return rows;
}

/* The household's members that the user may see (the same scope). */
static json_t *members(struct request *req, const char *household)
{
	struct buf sql;
	json_t *binds = json_array(), *rows = json_array();
	struct db_stmt *st;

	buf_init(&sql, 8192);
	buf_addstr(&sql, "SELECT p.id, p.first_name, p.last_name, p.role, p.birth_date FROM person p "
			 "JOIN household h ON h.id = p.household WHERE p.household = ?");
	json_array_append_new(binds, json_string(household));
	access_scope_people(&req->user, &sql, binds);
	buf_addstr(&sql, " ORDER BY p.role, p.birth_date");
	if (db_prepare(req->db, &st, buf_str(&sql)) == 0) {
		query_bind(st, binds, 1);
		while (db_step(st) == DB_ROW) {
			json_t *m = json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", db_col_text(st, 0),
					      "first_name", db_col_text(st, 1), "last_name",
					      db_col_text(st, 2), "role", db_col_text(st, 3),
					      "birth_date", db_col_text(st, 4));
			label_set(m, "person", "role");
			json_array_append_new(rows, m);
		}
		db_finalize(st);
	}
	buf_release(&sql);
	json_decref(binds);
	return rows;
}

/* The territory's name and the labels a reader needs beside the codes. */
static void household_labels(struct request *req, json_t *h)
{
	const char *territory = json_string_value(json_object_get(h, "territory"));
	char *commune = label_commune(req->db, json_string_value(json_object_get(h, "commune")));
	struct db_stmt *st;

	label_set(h, "household", "family_situation");
	label_set(h, "household", "paying_body");
	if (commune)
		json_object_set_new(h, "commune_name", json_string(commune));
	free(commune);
	if (territory && db_prepare(req->db, &st, "SELECT name FROM territory WHERE id = ?") == 0) {
		db_bind_text(st, 1, territory);
		if (db_step(st) == DB_ROW)
			json_object_set_new(h, "territory_name", json_string(db_col_text(st, 0)));
		db_finalize(st);
	}
}

static json_t *household_of(struct request *req, const char *id)
{
	json_t *h = record_load(req->db, &type_household, id, NULL);

	if (h) {
		json_object_set_new(h, "members", members(req, id));
		household_labels(req, h);
	}
	return h;
}

/* The links of the file's action bar, each shown to the roles its route
 * accepts (routes.c stays the rule: a link shown is a page that opens). */
static json_t *person_actions(const struct user *u)
{
	unsigned r = u->roles;

	return json_pack("{s:b, s:b, s:b, s:b}", "orient",
			 (r & (ROLE_ORIENTATION_OFFICER | ROLE_ADMIN)) != 0, "referent",
			 (r & (ROLE_ORIENTATION_OFFICER | ROLE_REFERENT | ROLE_ADMIN)) != 0, "path",
			 (r & (ROLE_REFERENT | ROLE_ADMIN)) != 0, "merge", (r & ROLE_ADMIN) != 0);
}

void page_person(struct request *req, struct response *res)
{
	long version = 0;
	json_t *p = visible_person(req, res, &version);
	const char *id = req_param(req, "id");

	if (!p)
		return;
	/* No read without its trace: when the audit entry cannot be written,
	 * nothing of the file is shown. */
	if (audit_append(req->db, req->user.id, req->address, "person.read", "person", id, NULL)) {
		json_decref(p);
		res_error(res, 500, "la consultation n'a pas pu être enregistrée au journal : "
				    "le dossier n'est pas affiché");
		return;
	}
	label_set(p, "person", "title");
	label_set(p, "person", "role");
	label_set(p, "person", "sex");
	json_object_set_new(p, "version", json_integer(version));
	res->template = "person";
	res->title = "Dossier de la personne";
	res->data = json_pack("{s:o, s:o, s:o, s:b}", "person", p, "household",
			      household_of(req, json_string_value(json_object_get(p, "household"))),
			      "rights", rights(req, id), "sees_nir", access_sees_nir(&req->user));
	if (!json_object_get(res->data, "household"))
		json_object_set_new(res->data, "household", json_null());
	json_object_set_new(res->data, "actions", person_actions(&req->user));
}

static const char *const person_editable[] = { "first_name", "last_name", "birth_name",
	"birth_date", "sex", "title", "nir", "france_travail_id", "phone", "email", "address",
	NULL };
static const char *const person_editable_no_nir[] = { "first_name", "last_name", "birth_name",
	"birth_date", "sex", "title", "france_travail_id", "phone", "email", "address", NULL };

static const char *const *editable(const struct request *req)
{
	return access_sees_nir(&req->user) ? person_editable : person_editable_no_nir;
}

static void edit_page(struct response *res, json_t *p, long version, const char *id)
{
	char action[120];

	snprintf(action, sizeof action, "/people/%s/edit", id);
	res->template = "person_edit";
	res->title = "Modifier la fiche";
	if (!json_is_object(res->data)) {
		json_decref(res->data);
		res->data = json_object();
	}
	json_object_set(res->data, "person", p);
	json_object_set_new(res->data, "version", json_integer(version));
	json_object_set_new(res->data, "action", json_string(action));
}

void page_person_edit(struct request *req, struct response *res)
{
	long version = 0;
	json_t *p = visible_person(req, res, &version);
	const char *id = req_param(req, "id");

	if (!p)
		return;
	edit_page(res, p, version, id);
	record_form_show(req, res, &type_person, p, editable(req));
	json_decref(p);
}

void page_person_edit_post(struct request *req, struct response *res)
{
	long version = 0, expected;
	json_t *p = visible_person(req, res, &version), *rec, *full, *errors = NULL, *changes = NULL;
	const char *id = req_param(req, "id"), *sent = req_form(req, "version");
	enum save_result r;
	char done[120];

	if (!p)
		return;
	expected = sent ? strtol(sent, NULL, 10) : -1;
	/* Fields the user does not edit (or may not see, like the NIR) keep
	 * their stored values. */
	full = record_load(req->db, &type_person, id, NULL);
	rec = record_from_form(&type_person, req->form, editable(req), full);
	json_decref(full);
	r = record_save(req, &type_person, id, rec, expected, &errors, &changes);
	snprintf(done, sizeof done, "/people/%s", id);
	edit_page(res, p, r == SAVE_CONFLICT ? version : expected, id);
	{
		const struct record_answer a = { &type_person, id, expected, editable(req), done };
		record_form_answer(req, res, r, &a, rec, errors, changes);
	}
	if (!access_sees_nir(&req->user))
		json_object_del(json_object_get(res->data, "person"), "nir");
	json_decref(errors);
	json_decref(changes);
	json_decref(rec);
	json_decref(p);
}

void page_household(struct request *req, struct response *res)
{
	const char *id = req_param(req, "id");
	json_t *h;

	h = household_of(req, id);
	/* A household is visible through the members one may see. */
	if (!h || json_array_size(json_object_get(h, "members")) == 0) {
		json_decref(h);
		audit_append(req->db, req->user.id, req->address, "household.denied", "household", id,
			     NULL);
		res_error(res, 404, "ce foyer n'existe pas ou ne vous est pas accessible");
		return;
	}
	if (audit_append(req->db, req->user.id, req->address, "household.read", "household", id,
			 NULL)) {
		json_decref(h);
		res_error(res, 500, "la consultation n'a pas pu être enregistrée au journal : "
				    "le foyer n'est pas affiché");
		return;
	}
	res->template = "household";
	res->title = "Foyer";
	res->data = json_pack("{s:o}", "household", h);
}
