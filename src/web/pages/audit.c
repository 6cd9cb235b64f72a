/* audit.c — the audit log, for administrators. */
#include <stdlib.h>
#include <string.h>

#include "model/audit.h"
#include "web/http.h"
#include "web/pages/pages.h"

void page_audit(struct request *req, struct response *res)
{
	const char *person = req_query(req, "person"), *actor = req_query(req, "actor");
	const char *action = req_query(req, "action"), *page_s = req_query(req, "page");
	long page = page_s ? strtol(page_s, NULL, 10) : 1, total = 0, pages;
	json_t *rows;

	if (page < 1)
		page = 1;
	rows = audit_list(req->db, person && *person ? person : NULL,
			  actor && *actor ? actor : NULL, action && *action ? action : NULL, 50,
			  (page - 1) * 50, &total);
	pages = total ? (total + 49) / 50 : 1;
	res->template = "audit";
	res->title = "Journal d'audit";
	res->data = json_pack("{s:o, s:I, s:I, s:I, s:s, s:s, s:s}", "rows", rows, "total",
			      (json_int_t)total, "page", (json_int_t)page, "pages",
			      (json_int_t)pages, "person", person ? person : "", "actor",
			      actor ? actor : "", "action", action ? action : "");
	if (page > 1)
		json_object_set_new(res->data, "prev_page", json_integer(page - 1));
	if (page < pages)
		json_object_set_new(res->data, "next_page", json_integer(page + 1));
}
