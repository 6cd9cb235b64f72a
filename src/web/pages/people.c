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
#include "model/schema.h"
#include "web/access.h"
#include "web/http.h"
#include "web/listing.h"
#include "web/pages/pages.h"
#include "web/record_form.h"
#include "web/session.h"

static const char *const sdd_states[] = { "2", "3", "4", NULL };

static const char *state_label(const char *s)
{
	static const char *const labels[] = { "en attente", "refusé", "ouvert, versable",
		"ouvert, suspendu", "ouvert, versement suspendu", "clos", "clos (mois antérieur)" };

	if (s && s[0] >= '0' && s[0] <= '6' && !s[1])
		return labels[s[0] - '0'];
	return s ? s : "";
}

static json_t *person_row(struct db_stmt *st, void *ud)
{
	int nir = *(int *)ud;
	json_t *row = json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?}", "id", db_col_text(st, 0),
				"last_name", db_col_text(st, 1), "first_name", db_col_text(st, 2),
				"birth_date", db_col_text(st, 3), "role", db_col_text(st, 4),
				"caf_number", db_col_text(st, 5), "commune", db_col_text(st, 6));

	if (nir && db_col_text(st, 7))
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

void page_people(struct request *req, struct response *res)
{
	static int nir_on = 1, nir_off = 0;
	int sees_nir = access_sees_nir(&req->user);
	struct listing l;
	json_t *echo = json_object();

	listing_init(&l);
	l.select = "p.id, p.last_name, p.first_name, p.birth_date, p.role, h.caf_number, "
		   "h.commune, p.nir";
	buf_addstr(&l.from, "FROM person p JOIN household h ON h.id = p.household WHERE 1 = 1");
	search_filters(req, &l, sees_nir, echo);
	access_scope_people(&req->user, &l.from, l.binds);
	l.order = "p.search_key, p.birth_date, p.id";
	l.name = "personnes";
	l.row = person_row;
	l.ud = sees_nir ? &nir_on : &nir_off;
	listing_column(&l, "last_name", "Nom");
	listing_column(&l, "first_name", "Prénom");
	listing_column(&l, "birth_date", "Date de naissance");
	listing_column(&l, "role", "Rôle");
	listing_column(&l, "caf_number", "Matricule CAF");
	listing_column(&l, "commune", "Commune");
	if (sees_nir)
		listing_column(&l, "nir", "NIR");
	res->template = "people";
	res->title = "Personnes";
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
				state_label(db_col_text(st, 3)), "subject_to_duties",
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
		while (db_step(st) == DB_ROW)
			json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:s, s:s}", "id",
					db_col_text(st, 0), "first_name", db_col_text(st, 1),
					"last_name", db_col_text(st, 2), "role", db_col_text(st, 3),
					"birth_date", db_col_text(st, 4)));
		db_finalize(st);
	}
	buf_release(&sql);
	json_decref(binds);
	return rows;
}

static json_t *household_of(struct request *req, const char *id)
{
	json_t *h = record_load(req->db, &type_household, id, NULL);

	if (h)
		json_object_set_new(h, "members", members(req, id));
	return h;
}

void page_person(struct request *req, struct response *res)
{
	long version = 0;
	json_t *p = visible_person(req, res, &version);
	const char *id = req_param(req, "id");

	if (!p)
		return;
	audit_append(req->db, req->user.id, req->address, "person.read", "person", id, NULL);
	json_object_set_new(p, "version", json_integer(version));
	res->template = "person";
	res->title = "Dossier de la personne";
	res->data = json_pack("{s:o, s:o, s:o, s:b}", "person", p, "household",
			      household_of(req, json_string_value(json_object_get(p, "household"))),
			      "rights", rights(req, id), "sees_nir", access_sees_nir(&req->user));
	if (!json_object_get(res->data, "household"))
		json_object_set_new(res->data, "household", json_null());
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
	json_t *p = visible_person(req, res, &version), *pending;
	const char *id = req_param(req, "id");

	if (!p)
		return;
	edit_page(res, p, version, id);
	pending = pending_form_take(req);
	if (pending) {
		/* Typed before the session expired: shown again, to check and send. */
		json_t *typed = record_from_form(&type_person, pending, editable(req), p);
		json_object_set_new(res->data, "form", record_form_fields(&type_person, typed, NULL,
									   editable(req)));
		json_object_set_new(res->data, "restored", json_true());
		if (json_string_value(json_object_get(pending, "version")))
			json_object_set_new(res->data, "version", json_integer(strtol(
				json_string_value(json_object_get(pending, "version")), NULL, 10)));
		json_decref(typed);
		json_decref(pending);
	} else {
		json_object_set_new(res->data, "form",
				    record_form_fields(&type_person, p, NULL, editable(req)));
	}
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
	record_form_answer(req, res, r, &type_person, rec, errors, changes, editable(req), done);
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
	audit_append(req->db, req->user.id, req->address, "household.read", "household", id, NULL);
	res->template = "household";
	res->title = "Foyer";
	res->data = json_pack("{s:o}", "household", h);
}
