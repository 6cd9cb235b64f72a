/* listing.c — see listing.h. */
#include "web/listing.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "web/access.h"
#include "web/form.h"
#include "web/http.h"
#include "web/tabular.h"

void listing_init(struct listing *l)
{
	memset(l, 0, sizeof *l);
	buf_init(&l->from, 65536);
	l->binds = json_array();
	l->columns = json_array();
}

void listing_release(struct listing *l)
{
	buf_release(&l->from);
	json_decref(l->binds);
	json_decref(l->columns);
	json_decref(l->rows);
}

void listing_column(struct listing *l, const char *key, const char *label)
{
	json_array_append_new(l->columns, json_pack("{s:s, s:s}", "key", key, "label", label));
}

/* The current path and query with page/format replaced. */
static char *link_to(const struct request *req, const char *page, const char *format)
{
	struct buf b;
	const char *key;
	json_t *v;
	char sep = '?';

	buf_init(&b, 8192);
	buf_addstr(&b, req->path);
	json_object_foreach(req->query, key, v) {
		char *k, *e;
		if (!strcmp(key, "page") || !strcmp(key, "format") || !json_is_string(v) ||
		    !*json_string_value(v))
			continue;
		k = url_encode(key);
		e = url_encode(json_string_value(v));
		buf_addf(&b, "%c%s=%s", sep, k, e);
		free(k);
		free(e);
		sep = '&';
	}
	if (page) {
		buf_addf(&b, "%cpage=%s", sep, page);
		sep = '&';
	}
	if (format)
		buf_addf(&b, "%cformat=%s", sep, format);
	return buf_detach(&b, NULL);
}

static int run_rows(struct request *req, struct listing *l, long limit, long offset, json_t *rows)
{
	struct buf sql;
	struct db_stmt *st;
	int n = (int)json_array_size(l->binds), rc = 0, s;

	buf_init(&sql, 131072);
	buf_addf(&sql, "SELECT %s %s ORDER BY %s LIMIT ? OFFSET ?", l->select, buf_str(&l->from),
		 l->order);
	if (db_prepare(req->db, &st, buf_str(&sql))) {
		buf_release(&sql);
		return -1;
	}
	query_bind(st, l->binds, 1);
	db_bind_int(st, n + 1, limit);
	db_bind_int(st, n + 2, offset);
	while ((s = db_step(st)) == DB_ROW)
		json_array_append_new(rows, l->row(st, l->ud));
	if (s != DB_DONE)
		rc = -1;
	db_finalize(st);
	buf_release(&sql);
	return rc;
}

static int count_rows(struct request *req, struct listing *l, long *total)
{
	struct buf sql;
	struct db_stmt *st;
	int rc = -1;

	buf_init(&sql, 131072);
	buf_addf(&sql, "SELECT COUNT(*) %s", buf_str(&l->from));
	if (db_prepare(req->db, &st, buf_str(&sql)) == 0) {
		query_bind(st, l->binds, 1);
		if (db_step(st) == DB_ROW) {
			*total = (long)db_col_int(st, 0);
			rc = 0;
		}
		db_finalize(st);
	}
	buf_release(&sql);
	return rc;
}

static int download(struct request *req, struct response *res, struct listing *l, int xlsx)
{
	json_t *rows = json_array();
	char name[120];
	int rc;

	if (l->rows)
		json_array_extend(rows, l->rows);
	else if (run_rows(req, l, LISTING_MAX_EXPORT, 0, rows)) {
		json_decref(rows);
		return -1;
	}
	rc = xlsx ? tabular_xlsx(l->columns, rows, l->name, &res->raw, &res->raw_len)
		  : tabular_csv(l->columns, rows, &res->raw, &res->raw_len);
	json_decref(rows);
	if (rc)
		return -1;
	res->content_type = xlsx ? tabular_xlsx_content_type() : tabular_csv_content_type();
	snprintf(name, sizeof name, "%s.%s", l->name, xlsx ? "xlsx" : "csv");
	res->filename = strdup(name);
	return 0;
}

static json_t *page_links(const struct request *req, long page, long pages)
{
	json_t *links = json_array();
	char num[24];

	/* First, last, and two pages either side of the current one. */
	for (long p = 1; p <= pages; p++) {
		char *href;
		if (p != 1 && p != pages && (p < page - 2 || p > page + 2))
			continue;
		snprintf(num, sizeof num, "%ld", p);
		href = link_to(req, num, NULL);
		json_array_append_new(links, json_pack("{s:I, s:s, s:b}", "page", (json_int_t)p,
						       "href", href, "current", p == page));
		free(href);
	}
	return links;
}

static void set_link(json_t *data, const char *key, const struct request *req, long page,
		     const char *format)
{
	char num[24];
	char *href;

	snprintf(num, sizeof num, "%ld", page);
	href = link_to(req, page > 0 ? num : NULL, format);
	json_object_set_new(data, key, json_string(href));
	free(href);
}

/* one_pass: the whole list into l->rows when it has at most one_pass rows
 * (LIMIT one_pass + 1 tells); else l->rows stays NULL. */
static int read_whole(struct request *req, struct listing *l)
{
	json_t *all = json_array();

	if (run_rows(req, l, l->one_pass + 1, 0, all)) {
		json_decref(all);
		return -1;
	}
	if ((long)json_array_size(all) <= l->one_pass)
		l->rows = all;
	else
		json_decref(all);
	return 0;
}

/* The number of pages of `total` rows; *page clamped to them. */
static long clamp_page(long total, long *page)
{
	long pages = total ? (total + LISTING_PER_PAGE - 1) / LISTING_PER_PAGE : 1;

	if (*page < 1)
		*page = 1;
	if (*page > pages)
		*page = pages;
	return pages;
}

static int is_download(const char *format)
{
	return format && (!strcmp(format, "csv") || !strcmp(format, "xlsx"));
}

void listing_page_span(struct request *req, long total, long *first, long *last)
{
	const char *page_s = req_query(req, "page");
	long page = page_s ? strtol(page_s, NULL, 10) : 1;

	if (is_download(req_query(req, "format"))) {
		*first = 0;
		*last = total;
		return;
	}
	clamp_page(total, &page);
	*first = (page - 1) * LISTING_PER_PAGE;
	*last = page * LISTING_PER_PAGE;
}

/* The total, and the rows of the page (clamped to the last one). */
static int page_rows(struct request *req, struct listing *l, long *page, long *total,
		     long *pages, json_t *rows)
{
	if (!l->rows && count_rows(req, l, total))
		return -1;
	if (l->rows)
		*total = (long)json_array_size(l->rows);
	*pages = clamp_page(*total, page);
	if (!l->rows)
		return run_rows(req, l, LISTING_PER_PAGE, (*page - 1) * LISTING_PER_PAGE, rows);
	for (long i = (*page - 1) * LISTING_PER_PAGE; i < *total && i < *page * LISTING_PER_PAGE; i++)
		json_array_append(rows, json_array_get(l->rows, (size_t)i));
	return 0;
}

int listing_run(struct request *req, struct response *res, struct listing *l)
{
	const char *format = req_query(req, "format");
	const char *page_s = req_query(req, "page");
	long total = 0, page = page_s ? strtol(page_s, NULL, 10) : 1, pages = 1;
	json_t *rows;

	if (is_download(format)) {
		if (download(req, res, l, !strcmp(format, "xlsx")) == 0)
			return 0;
		res_error(res, 500, "le fichier n'a pas pu être produit");
		return -1;
	}
	rows = json_array();
	if ((!l->rows && l->one_pass > 0 && read_whole(req, l)) ||
	    page_rows(req, l, &page, &total, &pages, rows)) {
		json_decref(rows);
		res_error(res, 500, "erreur de la base de données");
		return -1;
	}
	if (!json_is_object(res->data)) {
		json_decref(res->data);
		res->data = json_object();
	}
	json_object_set_new(res->data, "rows", rows);
	json_object_set_new(res->data, "total", json_integer(total));
	json_object_set_new(res->data, "page", json_integer(page));
	json_object_set_new(res->data, "pages", json_integer(pages));
	json_object_set(res->data, "columns", l->columns);
	json_object_set_new(res->data, "pagination", page_links(req, page, pages));
	if (page > 1)
		set_link(res->data, "prev_href", req, page - 1, NULL);
	if (page < pages)
		set_link(res->data, "next_href", req, page + 1, NULL);
	set_link(res->data, "csv_href", req, 0, "csv");
	set_link(res->data, "xlsx_href", req, 0, "xlsx");
	return 0;
}
