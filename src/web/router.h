/*
 * router.h — the route table and the dispatch that every request goes
 * through: match, identify, check access (access_route), check CSRF on
 * every POST, then call the handler.
 */
#ifndef PARCOURS_ROUTER_H
#define PARCOURS_ROUTER_H
#include <jansson.h>

struct request;
struct response;

enum route_flags {
	ROUTE_PUBLIC = 1,  /* no sign-in needed (sign-in page) */
	ROUTE_OWN_CSRF = 2 /* the handler checks its own token (sign-in form) */
};

struct route {
	const char *method;
	const char *pattern;  /* "/people/{id}": {name} matches one segment */
	unsigned roles;       /* enum role bits allowed; 0 = any signed-in user */
	unsigned flags;
	void (*handler)(struct request *req, struct response *res);
};

/* The table (routes.c), ended by a zero entry. */
extern const struct route routes[];

/* Handles the request: fills res. */
void router_dispatch(struct request *req, struct response *res);
/* Matches path against pattern; on success stores {name} values in params. */
int route_match(const char *pattern, const char *path, json_t *params);

#endif
