/*
 * timeline.c — /people/{id}/parcours: the person's path as one timeline,
 * newest first: orientations, référents, diagnostics, contracts,
 * appointments, collective sessions, steps (health steps only for users
 * with the accreditation: access_scope_steps). The same access rule as
 * the file: 404 (audited person.denied) when the person is not visible,
 * and a read is audited as a read of the file (person.read).
 */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "db/db.h"
#include "model/audit.h"
#include "web/access.h"
#include "web/http.h"
#include "web/pages/pages.h"
#include "web/labels.h"

/* Every query returns: id, date (YYYY-MM-DD or RFC 3339), then a, b, c. */
struct timeline_source {
	const char *kind;   /* exchange type of the entry */
	const char *sql;    /* one ? for the person */
	const char *edit;   /* "/contracts/%s/edit", or NULL */
	void (*fill)(json_t *entry, struct db_stmt *st);
};

static const char *col(struct db_stmt *st, int i)
{
	const char *s = db_col_text(st, i);

	return s ? s : "";
}

static void fill_orientation(json_t *e, struct db_stmt *st)
{
	json_object_set_new(e, "title", json_pack("s+", "Orientation : ",
				label_or_code("orientation", "itinerary", col(st, 2))));
	json_object_set_new(e, "detail", json_string(col(st, 3)));
	json_object_set_new(e, "end", json_string(col(st, 4)));
}

static void fill_assignment(json_t *e, struct db_stmt *st)
{
	json_object_set_new(e, "title", json_pack("s+", "Référent : ", col(st, 2)));
	json_object_set_new(e, "detail", json_string(col(st, 3)));
	json_object_set_new(e, "end", json_string(col(st, 4)));
}

/* A JSON list of codes as their labels, joined by ", ". */
static json_t *labels_of(const char *type, const char *field, const char *list)
{
	json_t *codes = json_loads(list, 0, NULL), *v;
	struct buf b;
	size_t i;
	char *s;

	buf_init(&b, 4096);
	json_array_foreach(codes, i, v) buf_addf(&b, "%s%s", i ? ", " : "",
						 label_or_code(type, field, json_string_value(v)));
	json_decref(codes);
	s = buf_detach(&b, NULL);
	v = json_string(s ? s : "");
	free(s);
	return v;
}

static void fill_diagnostic(json_t *e, struct db_stmt *st)
{
	json_object_set_new(e, "title", json_pack("s+", "Diagnostic : ",
				label_or_code("diagnostic", "autonomy", col(st, 2))));
	json_object_set_new(e, "detail", labels_of("diagnostic", "barriers", col(st, 3)));
}

static void fill_contract(json_t *e, struct db_stmt *st)
{
	json_object_set_new(e, "title", json_string(label_or_code("contract", "kind", col(st, 2))));
	json_object_set_new(e, "detail", labels_of("contract", "actions", col(st, 4)));
	json_object_set_new(e, "end", json_string(col(st, 3)));
	json_object_set_new(e, "terminated", json_boolean(!strcmp(col(st, 5), "terminated")));
	json_object_set_new(e, "contract", json_true());
}

static void fill_appointment(json_t *e, struct db_stmt *st)
{
	json_object_set_new(e, "title", json_pack("s+", "Rendez-vous : ",
				label_or_code("appointment", "kind", col(st, 2))));
	json_object_set_new(e, "detail", json_string(label_or_code("appointment", "status",
								col(st, 3))));
	json_object_set_new(e, "appointment", json_true());
}

static void fill_attendance(json_t *e, struct db_stmt *st)
{
	json_object_set_new(e, "title", json_pack("s+", "Atelier collectif : ", col(st, 2)));
	json_object_set_new(e, "detail", json_string(label_or_code("attendance", "status",
								col(st, 3))));
}

static void fill_step(json_t *e, struct db_stmt *st)
{
	json_object_set_new(e, "title", json_pack("s+", "Étape : ",
				label_or_code("step", "category", col(st, 2))));
	if (*col(st, 3))
		json_object_set_new(e, "detail", json_string(label_or_code("step", "contract_type",
									col(st, 3))));
}

static const struct timeline_source sources[] = {
	{ "orientation", "SELECT l.id, l.start_date, l.itinerary, o.name, l.end_date FROM orientation l "
	  "JOIN organisation o ON o.id = l.organisation WHERE l.person = ?", NULL, fill_orientation },
	{ "referent_assignment", "SELECT l.id, l.start_date, a.first_name || ' ' || a.last_name, "
	  "o.name, l.end_date FROM referent_assignment l JOIN account a ON a.id = l.referent "
	  "JOIN organisation o ON o.id = l.organisation WHERE l.person = ?", NULL, fill_assignment },
	{ "diagnostic", "SELECT id, on_date, autonomy, barriers FROM diagnostic WHERE person = ?",
	  "/diagnostics/%s/edit", fill_diagnostic },
	{ "contract", "SELECT id, start_date, kind, COALESCE(terminated_on, end_date), actions, "
	  "COALESCE(status, 'signed') FROM contract WHERE person = ?", "/contracts/%s/edit",
	  fill_contract },
	{ "appointment", "SELECT id, at, kind, status FROM appointment WHERE person = ?",
	  "/appointments/%s/edit", fill_appointment },
	{ "attendance", "SELECT s.id, s.at, s.title, t.status FROM attendance t "
	  "JOIN collective_session s ON s.id = t.collective_session WHERE t.person = ?",
	  "/sessions/%s", fill_attendance },
	{ "step", "SELECT s.id, s.on_date, s.category, s.contract_type FROM step s "
	  "WHERE s.person = ?", "/steps/%s/edit", fill_step },
};

static int add_source(struct request *req, const struct timeline_source *src, const char *person,
		      json_t *entries)
{
	struct buf sql;
	struct db_stmt *st;
	char href[200];
	int rc;

	buf_init(&sql, 4096);
	buf_addstr(&sql, src->sql);
	if (!strcmp(src->kind, "step"))
		access_scope_steps(&req->user, "s", &sql);
	rc = db_prepare(req->db, &st, buf_str(&sql));
	buf_release(&sql);
	if (rc)
		return -1;
	db_bind_text(st, 1, person);
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *e = json_pack("{s:s, s:s, s:s}", "kind", src->kind, "id", col(st, 0), "date",
				      col(st, 1));
		char day[11];
		snprintf(day, sizeof day, "%.10s", col(st, 1));
		json_object_set_new(e, "day", json_string(day));
		if (strlen(col(st, 1)) >= 16)
			json_object_set_new(e, "time", json_pack("s#", col(st, 1) + 11, 5));
		if (src->edit) {
			snprintf(href, sizeof href, src->edit, col(st, 0));
			json_object_set_new(e, "href", json_string(href));
		}
		src->fill(e, st);
		json_array_append_new(entries, e);
	}
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

/* Newest first; same instant: by kind then id, so that the order is stable. */
static int newest_first(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int c = strcmp(json_string_value(json_object_get(y, "date")),
		       json_string_value(json_object_get(x, "date")));

	if (!c)
		c = strcmp(json_string_value(json_object_get(x, "kind")),
			   json_string_value(json_object_get(y, "kind")));
	return c ? c : strcmp(json_string_value(json_object_get(x, "id")),
			      json_string_value(json_object_get(y, "id")));
}

static json_t *sorted(json_t *entries)
{
	size_t n = json_array_size(entries);
	json_t **items = calloc(n ? n : 1, sizeof *items), *out = json_array();

	for (size_t i = 0; items && i < n; i++)
		items[i] = json_array_get(entries, i);
	if (items)
		qsort(items, n, sizeof *items, newest_first);
	for (size_t i = 0; items && i < n; i++)
		json_array_append(out, items[i]);
	free(items);
	json_decref(entries);
	return out;
}

void page_timeline(struct request *req, struct response *res)
{
	const char *id = req_param(req, "id");
	json_t *entries = json_array(), *person = NULL;
	struct db_stmt *st;

	if (!access_person_visible(req->db, &req->user, id)) {
		json_decref(entries);
		audit_append(req->db, req->user.id, req->address, "person.denied", "person", id, NULL);
		res_error(res, 404, "cette personne n'existe pas ou ne vous est pas accessible");
		return;
	}
	if (audit_append(req->db, req->user.id, req->address, "person.read", "person", id,
			 "parcours")) {
		json_decref(entries);
		res_error(res, 500, "la consultation n'a pas pu être enregistrée au journal : "
				    "le parcours n'est pas affiché");
		return;
	}
	for (size_t i = 0; i < sizeof sources / sizeof *sources; i++)
		if (add_source(req, &sources[i], id, entries)) {
			json_decref(entries);
			res_error(res, 500, "erreur de la base de données");
			return;
		}
	if (db_prepare(req->db, &st, "SELECT first_name, last_name FROM person WHERE id = ?") == 0) {
		db_bind_text(st, 1, id);
		if (db_step(st) == DB_ROW)
			person = json_pack("{s:s, s:s, s:s}", "id", id, "first_name",
					   db_col_text(st, 0), "last_name", db_col_text(st, 1));
		db_finalize(st);
	}
	res->template = "timeline";
	res->title = "Parcours de la personne";
	res->data = json_pack("{s:o, s:o, s:b}", "person", person ? person : json_object(),
			      "entries", sorted(entries), "health", req->user.health_accredited);
}
