/*
 * listing.h — every list page: filter, count, paginate (50 a page), and
 * download the same rows as CSV or XLSX (?format=csv|xlsx).
 *
 * The handler fills `from` with "FROM … WHERE …" (access scope included:
 * access_scope_people() for people) and its values in `binds`, names the
 * columns, and gives a function that turns a row into a JSON object.
 */
#ifndef PARCOURS_LISTING_H
#define PARCOURS_LISTING_H
#include <jansson.h>

#include "base/buf.h"

struct db_stmt;
struct request;
struct response;

#define LISTING_PER_PAGE 50
#define LISTING_MAX_EXPORT 200000

struct listing {
	const char *select;  /* "p.id, p.last_name, …" */
	struct buf from;     /* "FROM person p JOIN … WHERE …" */
	json_t *binds;       /* values of the ? in from, in order */
	const char *order;   /* "p.last_name, p.first_name, p.id" */
	json_t *columns;     /* [{"key", "label"}]: table headers and file columns */
	const char *name;    /* download file name stem: "personnes" */
	json_t *(*row)(struct db_stmt *st, void *ud);
	void *ud;
	/* Optional. rows: the whole list, in order, already made by the
	 * handler (one query for the counts and the rows); listing_run then
	 * pages it instead of querying. one_pass: the list is expected to be
	 * short (a search): listing_run reads it whole in one query and pages
	 * it, as long as it has at most one_pass rows; past that it counts
	 * and reads the page in SQL as usual. One query instead of two
	 * halves the time when every row costs (a référent's scope). */
	json_t *rows;
	long one_pass;
};

void listing_init(struct listing *l);
void listing_release(struct listing *l);
/* Adds a column. */
void listing_column(struct listing *l, const char *key, const char *label);
/* Runs the listing for the request: on ?format=csv|xlsx the response is the
 * file; otherwise res->data gets rows, total, page, pages, columns and the
 * links (prev/next, pages, csv, xlsx) that keep the current filters.
 * Returns -1 on a SQL error (res is then a 500). */
int listing_run(struct request *req, struct response *res, struct listing *l);
/* The rows [*first, *last) of `total` that listing_run() will show for
 * this request (all of them for a download): a handler that gives `rows`
 * need only make those. */
void listing_page_span(struct request *req, long total, long *first, long *last);

#endif
