/* territories.c — territories, their communes and organisations. */
#include <string.h>

#include "db/db.h"
#include "model/record.h"
#include "model/schema.h"
#include "web/http.h"
#include "web/labels.h"
#include "web/listing.h"
#include "web/pages/pages.h"

static json_t *territory_row(struct db_stmt *st, void *ud)
{
	(void)ud;
	return json_pack("{s:s, s:s, s:I, s:I}", "id", db_col_text(st, 0), "name",
			 db_col_text(st, 1), "communes", (json_int_t)db_col_int(st, 2),
			 "organisations", (json_int_t)db_col_int(st, 3));
}

void page_territories(struct request *req, struct response *res)
{
	struct listing l;

	listing_init(&l);
	l.select = "t.id, t.name, "
		   "(SELECT COUNT(*) FROM territory_commune c WHERE c.territory = t.id), "
		   "(SELECT COUNT(*) FROM organisation o WHERE o.territory = t.id)";
	buf_addstr(&l.from, "FROM territory t WHERE 1 = 1");
	l.order = "t.name, t.id";
	l.name = "territoires";
	l.row = territory_row;
	listing_column(&l, "name", "Territoire");
	listing_column(&l, "communes", "Communes");
	listing_column(&l, "organisations", "Structures");
	res->template = "territories";
	res->title = "Territoires";
	res->data = json_object();
	listing_run(req, res, &l);
	listing_release(&l);
}

static json_t *organisations_of(struct request *req, const char *territory)
{
	struct db_stmt *st;
	json_t *rows = json_array();

	if (db_prepare(req->db, &st, "SELECT id, name, kind FROM organisation WHERE territory = ? "
				     "ORDER BY name"))
		return rows;
	db_bind_text(st, 1, territory);
	while (db_step(st) == DB_ROW) {
		json_t *o = json_pack("{s:s, s:s, s:s}", "id", db_col_text(st, 0), "name",
				      db_col_text(st, 1), "kind", db_col_text(st, 2));
		label_set(o, "organisation", "kind");
		json_array_append_new(rows, o);
	}
	db_finalize(st);
	return rows;
}

void page_territory(struct request *req, struct response *res)
{
	const char *id = req_param(req, "id");
	json_t *t = record_load(req->db, &type_territory, id, NULL);

	if (!t) {
		res_error(res, 404, "ce territoire n'existe pas");
		return;
	}
	res->template = "territory";
	res->title = "Territoire";
	res->data = json_pack("{s:o, s:o}", "territory", t, "organisations",
			      organisations_of(req, id));
}
