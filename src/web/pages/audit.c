/* audit.c — the audit log, for administrators. */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "db/db.h"
#include "model/audit.h"
#include "web/form.h"
#include "web/http.h"
#include "web/pages/pages.h"

#define AUDIT_PER_PAGE 50

/* Who the actor is, for a reader: "Ada Admin (admin@test.fr)"; NULL for an
 * id that is no account ("anonymous", the command line's actor). Names
 * already found are kept in `known` (one query per actor a page). */
static const char *actor_name(struct db *db, json_t *known, const char *actor)
{
	struct db_stmt *st;
	json_t *name;

	if (!actor)
		return NULL;
	name = json_object_get(known, actor);
	if (name)
		return json_string_value(name);
	name = json_null();
	if (db_prepare(db, &st, "SELECT first_name, last_name, email FROM account WHERE id = ?") ==
	    0) {
		struct buf b;
		db_bind_text(st, 1, actor);
		if (db_step(st) == DB_ROW) {
			buf_init(&b, 1024);
			buf_addf(&b, "%s %s (%s)", db_col_text(st, 0), db_col_text(st, 1),
				 db_col_text(st, 2));
			json_decref(name);
			name = json_string(buf_str(&b));
			buf_release(&b);
		}
		db_finalize(st);
	}
	json_object_set_new(known, actor, name);
	return json_string_value(name);
}

static void name_actors(struct db *db, json_t *rows)
{
	json_t *known = json_object(), *row;
	size_t i;

	json_array_foreach(rows, i, row) {
		const char *name = actor_name(db, known,
					      json_string_value(json_object_get(row, "actor")));
		if (name)
			json_object_set_new(row, "actor_name", json_string(name));
	}
	json_decref(known);
}

/* The same filters on another page, every value URL-encoded. */
static void page_link(json_t *data, const char *key, const char *const filters[3][2], long page)
{
	struct buf b;

	buf_init(&b, 4096);
	buf_addstr(&b, "/audit?");
	for (int i = 0; i < 3; i++) {
		char *e = url_encode(filters[i][1]);
		buf_addf(&b, "%s=%s&", filters[i][0], e ? e : "");
		free(e);
	}
	buf_addf(&b, "page=%ld", page);
	json_object_set_new(data, key, json_string(buf_str(&b)));
	buf_release(&b);
}

void page_audit(struct request *req, struct response *res)
{
	const char *person = req_query(req, "person"), *actor = req_query(req, "actor");
	const char *action = req_query(req, "action"), *page_s = req_query(req, "page");
	long page = page_s ? strtol(page_s, NULL, 10) : 1, total = 0, pages;
	const char *const filters[3][2] = { { "person", person ? person : "" },
					    { "actor", actor ? actor : "" },
					    { "action", action ? action : "" } };
	json_t *rows;

	if (page < 1)
		page = 1;
	rows = audit_list(req->db, person && *person ? person : NULL,
			  actor && *actor ? actor : NULL, action && *action ? action : NULL,
			  AUDIT_PER_PAGE, (page - 1) * AUDIT_PER_PAGE, &total);
	pages = total ? (total + AUDIT_PER_PAGE - 1) / AUDIT_PER_PAGE : 1;
	name_actors(req->db, rows);
	res->template = "audit";
	res->title = "Journal d'audit";
	res->data = json_pack("{s:o, s:I, s:I, s:I, s:s, s:s, s:s}", "rows", rows, "total",
			      (json_int_t)total, "page", (json_int_t)page, "pages",
			      (json_int_t)pages, "person", filters[0][1], "actor", filters[1][1],
			      "action", filters[2][1]);
	if (page > 1) {
		json_object_set_new(res->data, "prev_page", json_integer(page - 1));
		page_link(res->data, "prev_href", filters, page - 1);
	}
	if (page < pages) {
		json_object_set_new(res->data, "next_page", json_integer(page + 1));
		page_link(res->data, "next_href", filters, page + 1);
	}
}
