/*
 * merge.c — merging duplicate people, for administrators (the routes are
 * ROLE_ADMIN): the list of merges, the suggested duplicates, the merge
 * page (pick the duplicate, compare both records, confirm) and its result;
 * and /people/{id} for an id absorbed by a merge, which redirects to the
 * person that holds its records (docs/modules/merge.md).
 *
 * Health steps are counted only for users with the health accreditation
 * (access.h): the counts shown leave them out otherwise.
 */
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/text.h"
#include "db/db.h"
#include "model/audit.h"
#include "model/merge.h"
#include "model/record.h"
#include "model/schema.h"
#include "web/access.h"
#include "web/http.h"
#include "web/listing.h"
#include "web/pages/pages.h"

#define MERGE_CANDIDATES 20

/* ---- /people/{id} for an absorbed id ------------------------------------- */

void page_person_or_alias(struct request *req, struct response *res)
{
	const char *id = req_param(req, "id");
	char now[80], loc[100];

	/* Only toward a person the user may open: for the others the answer
	 * stays the person page's 404 (and its audit entry). */
	if (person_resolve_alias(req->db, id, now) == 1 && strcmp(now, id) != 0 &&
	    access_person_visible(req->db, &req->user, now)) {
		snprintf(loc, sizeof loc, "/people/%s", now);
		res_redirect(res, loc);
		return;
	}
	page_person(req, res);
}

/* ---- the list of merges -------------------------------------------------- */

static json_t *json_text(const char *s)
{
	json_t *v = s ? json_loads(s, 0, NULL) : NULL;

	return v ? v : json_array();
}

/* "Téléphone : « 04… » gardé, « 06… » écarté ; …" for the files. */
static char *conflicts_text(json_t *conflicts)
{
	struct buf b;
	json_t *c;
	size_t i;

	buf_init(&b, 8192);
	json_array_foreach(conflicts, i, c)
		buf_addf(&b, "%s%s : « %s » gardé, « %s » écarté", i ? " ; " : "",
			 json_string_value(json_object_get(c, "label")),
			 json_string_value(json_object_get(c, "kept")),
			 json_string_value(json_object_get(c, "absorbed")));
	return buf_detach(&b, NULL);
}

static char *taken_text(json_t *taken)
{
	struct buf b;
	json_t *t;
	size_t i;

	buf_init(&b, 4096);
	json_array_foreach(taken, i, t)
		buf_addf(&b, "%s%s", i ? ", " : "", json_string_value(json_object_get(t, "label")));
	return buf_detach(&b, NULL);
}

static json_t *merge_row(struct db_stmt *st, void *ud)
{
	const struct request *req = ud;
	json_t *conflicts = json_text(db_col_text(st, 14)), *taken = json_text(db_col_text(st, 15));
	char *ct = conflicts_text(conflicts), *tt = taken_text(taken);
	json_int_t moved = db_col_int(st, 12) + (req->user.health_accredited ? db_col_int(st, 13) : 0);
	json_t *row = json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, "
				"s:I, s:s, s:s, s:I}",
				"id", (json_int_t)db_col_int(st, 0), "at", db_col_text(st, 1),
				"kept", db_col_text(st, 2), "kept_last_name", db_col_text(st, 3),
				"kept_first_name", db_col_text(st, 4), "absorbed", db_col_text(st, 5),
				"absorbed_last_name", db_col_text(st, 6), "absorbed_first_name",
				db_col_text(st, 7), "absorbed_birth_date", db_col_text(st, 8), "actor",
				db_col_text(st, 9), "actor_first_name", db_col_text(st, 10),
				"actor_last_name", db_col_text(st, 11), "moved", moved, "fields_taken",
				tt ? tt : "", "field_conflicts", ct ? ct : "", "conflict_count",
				(json_int_t)json_array_size(conflicts));

	if (db_col_text(st, 3))
		json_object_set_new(row, "kept_exists", json_true());
	free(ct);
	free(tt);
	json_decref(conflicts);
	json_decref(taken);
	return row;
}

void page_merges(struct request *req, struct response *res)
{
	const char *person = req_query(req, "person");
	struct listing l;

	listing_init(&l);
	l.select = "m.id, m.at, m.kept, k.last_name, k.first_name, m.absorbed, m.absorbed_last_name, "
		   "m.absorbed_first_name, m.absorbed_birth_date, m.actor, u.first_name, u.last_name, "
		   "m.moved_count, m.moved_health, m.field_conflicts, m.fields_taken";
	buf_addstr(&l.from, "FROM person_merge m LEFT JOIN person k ON k.id = m.kept "
			    "LEFT JOIN account u ON u.id = m.actor WHERE 1 = 1");
	if (person && *person) {
		buf_addstr(&l.from, " AND (m.kept = ? OR m.absorbed = ?)");
		json_array_append_new(l.binds, json_string(person));
		json_array_append_new(l.binds, json_string(person));
	}
	l.order = "m.id DESC";
	l.name = "fusions";
	l.row = merge_row;
	l.ud = req;
	listing_column(&l, "id", "N°");
	listing_column(&l, "at", "Date et heure");
	listing_column(&l, "kept", "Dossier gardé");
	listing_column(&l, "kept_last_name", "Nom (dossier gardé)");
	listing_column(&l, "kept_first_name", "Prénom (dossier gardé)");
	listing_column(&l, "absorbed", "Dossier absorbé");
	listing_column(&l, "absorbed_last_name", "Nom (dossier absorbé)");
	listing_column(&l, "absorbed_first_name", "Prénom (dossier absorbé)");
	listing_column(&l, "absorbed_birth_date", "Date de naissance (dossier absorbé)");
	listing_column(&l, "actor", "Compte");
	listing_column(&l, "moved", "Éléments déplacés");
	listing_column(&l, "fields_taken", "Champs repris du dossier absorbé");
	listing_column(&l, "field_conflicts", "Valeurs différentes (celle du dossier gardé reste)");
	res->template = "merges";
	res->title = "Fusions de dossiers";
	res->data = json_pack("{s:s}", "person", person ? person : "");
	listing_run(req, res, &l);
	listing_release(&l);
}

/* ---- suggested duplicates ------------------------------------------------ */

static json_t *duplicate_row(struct db_stmt *st, void *ud)
{
	const char *nir_a = db_col_text(st, 8), *nir_b = db_col_text(st, 9);
	int same_nir = nir_a && nir_b && strcmp(nir_a, nir_b) == 0;

	(void)ud;
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "a", db_col_text(st, 0),
			 "a_last_name", db_col_text(st, 1), "a_first_name", db_col_text(st, 2),
			 "birth_date", db_col_text(st, 3), "b", db_col_text(st, 4), "b_last_name",
			 db_col_text(st, 5), "b_first_name", db_col_text(st, 6), "b_birth_date",
			 db_col_text(st, 7), "reason",
			 same_nir ? "même NIR" : "mêmes nom, prénom et date de naissance");
}

void page_duplicates(struct request *req, struct response *res)
{
	struct listing l;

	listing_init(&l);
	l.select = "a.id, a.last_name, a.first_name, a.birth_date, b.id, b.last_name, b.first_name, "
		   "b.birth_date, a.nir, b.nir";
	/* The search key folds accents and case (Benoît = BENOIT); a NIR
	 * given twice is a duplicate whatever the names say. */
	buf_addstr(&l.from, "FROM person a JOIN person b ON a.id < b.id AND ((b.search_key = "
			    "a.search_key AND b.birth_date = a.birth_date) OR b.nir = a.nir)");
	l.order = "a.search_key, a.birth_date, a.id, b.id";
	l.name = "doublons";
	l.row = duplicate_row;
	listing_column(&l, "a", "Dossier 1");
	listing_column(&l, "a_last_name", "Nom 1");
	listing_column(&l, "a_first_name", "Prénom 1");
	listing_column(&l, "birth_date", "Date de naissance 1");
	listing_column(&l, "b", "Dossier 2");
	listing_column(&l, "b_last_name", "Nom 2");
	listing_column(&l, "b_first_name", "Prénom 2");
	listing_column(&l, "b_birth_date", "Date de naissance 2");
	listing_column(&l, "reason", "Motif");
	res->template = "merge_duplicates";
	res->title = "Doublons possibles";
	res->data = json_object();
	listing_run(req, res, &l);
	listing_release(&l);
}

/* ---- picking the duplicate ------------------------------------------------ */

static json_t *person_summary(struct request *req, const char *id)
{
	json_t *p = record_load(req->db, &type_person, id, NULL);

	if (p)
		json_object_set_new(p, "attached",
				    merge_attached(req->db, id, req->user.health_accredited));
	return p;
}

/* " AND p.search_key LIKE ?" per word of the folded query, a typed % or \
 * being a character to find. */
static void name_filter(const char *q, struct buf *sql, json_t *binds)
{
	char *key = text_fold(q), *w, *save = NULL;

	for (w = key ? strtok_r(key, " ", &save) : NULL; w; w = strtok_r(NULL, " ", &save)) {
		struct buf like;
		buf_init(&like, 512);
		buf_addstr(&like, "%");
		for (const char *c = w; *c; c++)
			buf_addf(&like, "%s%c", *c == '%' || *c == '\\' || *c == '_' ? "\\" : "", *c);
		buf_addstr(&like, "%");
		buf_addstr(sql, " AND p.search_key LIKE ? ESCAPE '\\'");
		json_array_append_new(binds, json_string(buf_str(&like)));
		buf_release(&like);
	}
	free(key);
}

/* Without criteria: the people that look like the same one (the
 * duplicates rule); with them: name words, birth date, NIR (prefix). */
static void candidate_filter(struct request *req, const char *id, struct buf *sql, json_t *binds,
			     json_t *echo)
{
	const char *q = req_query(req, "q"), *birth = req_query(req, "birth_date");
	const char *nir = req_query(req, "nir");
	long d;
	int any = 0;

	if (q && *q) {
		name_filter(q, sql, binds);
		json_object_set_new(echo, "q", json_string(q));
		any = 1;
	}
	if (birth && *birth && date_parse(birth, &d) == 0) {
		buf_addstr(sql, " AND p.birth_date = ?");
		json_array_append_new(binds, json_string(birth));
		json_object_set_new(echo, "birth_date", json_string(birth));
		any = 1;
	}
	if (nir && *nir) {
		char prefix[20];
		snprintf(prefix, sizeof prefix, "%.13s%%", nir);
		buf_addstr(sql, " AND p.nir LIKE ?");
		json_array_append_new(binds, json_string(prefix));
		json_object_set_new(echo, "nir", json_string(nir));
		any = 1;
	}
	if (!any) {
		buf_addstr(sql, " AND EXISTS (SELECT 1 FROM person a WHERE a.id = ? AND ((a.search_key "
				"= p.search_key AND a.birth_date = p.birth_date) OR a.nir = p.nir))");
		json_array_append_new(binds, json_string(id));
		json_object_set_new(echo, "suggested", json_true());
	}
}

static json_t *candidates(struct request *req, const char *id, json_t *echo)
{
	struct buf sql;
	json_t *binds = json_array(), *rows = json_array();
	struct db_stmt *st;

	buf_init(&sql, 8192);
	buf_addstr(&sql, "SELECT p.id, p.last_name, p.first_name, p.birth_date, p.nir, h.caf_number "
			 "FROM person p JOIN household h ON h.id = p.household WHERE p.id <> ?");
	json_array_append_new(binds, json_string(id));
	candidate_filter(req, id, &sql, binds, echo);
	buf_addf(&sql, " ORDER BY p.search_key, p.birth_date, p.id LIMIT %d", MERGE_CANDIDATES);
	if (db_prepare(req->db, &st, buf_str(&sql)) == 0) {
		query_bind(st, binds, 1);
		while (db_step(st) == DB_ROW)
			json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s?}", "id",
						db_col_text(st, 0), "last_name", db_col_text(st, 1),
						"first_name", db_col_text(st, 2), "birth_date",
						db_col_text(st, 3), "nir", db_col_text(st, 4),
						"caf_number", db_col_text(st, 5)));
		db_finalize(st);
	}
	buf_release(&sql);
	json_decref(binds);
	return rows;
}

/* ---- comparing ----------------------------------------------------------- */

static const char *field_outcome(json_t *va, json_t *vb)
{
	int ea = !va || (json_is_string(va) && !*json_string_value(va));
	int eb = !vb || (json_is_string(vb) && !*json_string_value(vb));

	if (eb || (!ea && json_equal(va, vb)))
		return "same";
	return ea ? "taken" : "conflict";
}

static json_t *field_rows(json_t *a, json_t *b)
{
	json_t *rows = json_array();

	for (size_t i = 0; i < type_person.nfields; i++) {
		const struct field_def *f = &type_person.fields[i];
		json_t *va = json_object_get(a, f->name), *vb = json_object_get(b, f->name);
		const char *o = field_outcome(va, vb);
		/* null rather than absent: the template must not find the outer "kept". */
		json_t *row = json_pack("{s:s, s:s, s:O, s:O, s:b, s:b}", "field", f->name, "label",
					f->label, "kept", va ? va : json_null(), "absorbed",
					vb ? vb : json_null(), "taken",
					strcmp(o, "taken") == 0, "conflict", strcmp(o, "conflict") == 0);
		json_array_append_new(rows, row);
	}
	return rows;
}

static json_t *attached_rows(json_t *a, json_t *b)
{
	json_t *rows = json_array(), *x;
	json_t *la = json_object_get(a, "attached"), *lb = json_object_get(b, "attached");
	size_t i;

	json_array_foreach(la, i, x)
		json_array_append_new(rows, json_pack("{s:O, s:O, s:O}", "label",
						      json_object_get(x, "label"), "kept",
						      json_object_get(x, "count"), "absorbed",
						      json_object_get(json_array_get(lb, i), "count")));
	return rows;
}

/* Health steps removed as duplicates are shown only with the accreditation. */
static json_t *visible_dropped(const struct request *req, json_t *dropped)
{
	json_t *out = json_array(), *x;
	size_t i;

	json_array_foreach(dropped, i, x) {
		const char *cat = json_string_value(json_object_get(x, "category"));
		if (cat && !access_step_visible(&req->user, cat))
			continue;
		json_array_append(out, x);
	}
	return out;
}

static json_t *moved_rows(const struct request *req, const struct merge_result *r)
{
	json_t *rows = json_array(), *v;
	const char *table;

	json_object_foreach(r->moved, table, v) {
		const struct type_def *t = schema_type(table);
		json_int_t n = json_integer_value(v);
		if (strcmp(table, "step") == 0 && !req->user.health_accredited)
			n -= r->moved_health;
		if (n > 0)
			json_array_append_new(rows, json_pack("{s:s, s:s, s:I}", "table", table,
							      "label", t ? t->label : "ancien identifiant",
							      "count", n));
	}
	return rows;
}

/* The result of a merge or of its dry run, as the pages and the API show it. */
static json_t *result_json(const struct request *req, const struct merge_result *r)
{
	json_t *dropped = visible_dropped(req, r->dropped);

	/* The any_* flags let the page show a heading only over a list with items. */
	return json_pack("{s:o, s:o, s:O, s:O, s:O, s:b, s:b, s:b, s:b}", "moved",
			 moved_rows(req, r), "dropped", dropped, "taken", r->taken, "conflicts",
			 r->conflicts, "problems", r->pb.list, "any_dropped",
			 json_array_size(dropped) > 0, "any_taken", json_array_size(r->taken) > 0,
			 "any_conflicts", json_array_size(r->conflicts) > 0, "any_problems",
			 json_array_size(r->pb.list) > 0);
}

static int compare(struct request *req, struct response *res, json_t *a, const char *with)
{
	json_t *b = person_summary(req, with);
	struct merge_result r;
	int rc;

	if (!b)
		return 404;
	merge_result_init(&r);
	rc = person_merge(req->db, json_string_value(json_object_get(a, "id")), with,
			  req->user.id, req->address, 1, &r);
	json_object_set_new(res->data, "absorbed", b);
	json_object_set_new(res->data, "fields", field_rows(a, b));
	json_object_set_new(res->data, "attached", attached_rows(a, b));
	json_object_set_new(res->data, "preview", result_json(req, &r));
	json_object_set_new(res->data, "can_merge", json_boolean(rc == MERGE_DONE));
	merge_result_release(&r);
	/* Both files were shown. */
	if (audit_append(req->db, req->user.id, req->address, "person.read", "person",
			 json_string_value(json_object_get(a, "id")), "fusion") ||
	    audit_append(req->db, req->user.id, req->address, "person.read", "person", with,
			 "fusion"))
		return 500;
	return rc == MERGE_FAILED ? 500 : 0;
}

static int merge_page(struct request *req, struct response *res, const char *with)
{
	const char *id = req_param(req, "id");
	json_t *a = person_summary(req, id), *echo = json_object();

	if (!a) {
		json_decref(echo);
		return 404;
	}
	res->template = "merge";
	res->title = "Fusionner deux dossiers";
	res->data = json_pack("{s:o, s:o}", "kept", a, "search", echo);
	if (with && *with)
		return compare(req, res, a, with);
	json_object_set_new(res->data, "candidates", candidates(req, id, echo));
	return 0;
}

static void answer_status(struct response *res, int status)
{
	if (status == 404)
		res_error(res, 404, "cette personne n'existe pas");
	else if (status == 500)
		res_error(res, 500, "la comparaison n'a pas pu être faite");
}

void page_person_merge(struct request *req, struct response *res)
{
	answer_status(res, merge_page(req, res, req_query(req, "with")));
}

/* ---- merging ------------------------------------------------------------- */

static void merged(struct request *req, struct response *res, const char *keep,
		   const char *absorb, const struct merge_result *r)
{
	res->template = "merge_result";
	res->title = "Dossiers fusionnés";
	res->data = result_json(req, r);
	json_object_set_new(res->data, "kept", json_string(keep));
	json_object_set_new(res->data, "absorbed", json_string(absorb));
	json_object_set_new(res->data, "merge", json_integer(r->merge_id));
}

/* A refusal shows the comparison again with the reasons (422). */
static void refused(struct request *req, struct response *res, const char *absorb,
		    const struct merge_result *r)
{
	int status = merge_page(req, res, absorb);

	if (status) {
		answer_status(res, status);
		return;
	}
	res->status = 422;
	json_object_set_new(res->data, "error",
			    json_string("la fusion est refusée : rien n'a été modifié"));
	json_object_set(res->data, "problems", r->pb.list);
}

void page_person_merge_post(struct request *req, struct response *res)
{
	const char *keep = req_param(req, "id"), *absorb = req_form(req, "absorbed");
	struct merge_result r;
	int rc;

	if (!absorb || !*absorb || !exchange_id_valid(absorb)) {
		res_error(res, 422, "choisissez le dossier à absorber");
		return;
	}
	merge_result_init(&r);
	rc = person_merge(req->db, keep, absorb, req->user.id, req->address, 0, &r);
	if (rc == MERGE_DONE)
		merged(req, res, keep, absorb, &r);
	else if (rc == MERGE_NOT_FOUND)
		res_error(res, 404, "cette personne n'existe pas");
	else if (rc == MERGE_SAME)
		res_error(res, 422, "une personne ne peut pas être fusionnée avec elle-même");
	else if (rc == MERGE_REFUSED)
		refused(req, res, absorb, &r);
	else
		res_error(res, 500, "la fusion n'a pas pu être enregistrée : rien n'a été modifié");
	merge_result_release(&r);
}
