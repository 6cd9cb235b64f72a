/*
 * http.h — a request as the page handlers see it, and the response they
 * build. The server (server.c) fills the request from libmicrohttpd; the
 * router (router.c) checks access, then calls the route's handler.
 *
 * A handler builds ONE JSON object (res->data): it is the JSON API's answer
 * (Accept: application/json) and the page template's context. It sets
 * res->template to render it as a page; the layout adds the signed-in user,
 * the CSRF token and the navigation (render.c).
 */
#ifndef PARCOURS_HTTP_H
#define PARCOURS_HTTP_H
#include <jansson.h>

#include "base/buf.h"
#include "model/user.h"

struct db;

#define HTTP_MAX_BODY (2 * 1024 * 1024)

struct request {
	const char *method;   /* "GET", "POST" … */
	const char *path;     /* decoded path, no query */
	const char *address;  /* client IP */
	json_t *query;        /* query arguments: name → string */
	json_t *form;         /* POST body (urlencoded): name → string or array */
	json_t *params;       /* route parameters: {id} → string */
	const char *accept;
	const char *cookie;
	const char *authorization;
	const char *forwarded_proto;
	int wants_json;       /* Accept asks for application/json */
	int bearer;           /* authenticated by a bearer token (no CSRF) */
	int signed_in;
	int session_expired;  /* a session cookie was sent but is no longer valid */
	struct user user;     /* valid when signed_in */
	char csrf[65];        /* the session's CSRF token */
	struct db *db;
	struct buf body;      /* raw body, capped at HTTP_MAX_BODY */
	int body_too_large;
};

struct response {
	int status;
	const char *template;   /* page template name, or NULL for JSON only */
	const char *title;      /* page title (French) */
	json_t *data;           /* the page's data / the API's answer */
	char *location;         /* redirect target (303) */
	char *set_cookie[3];
	const char *content_type; /* for raw bodies (CSV, XLSX, PDF) */
	char *raw;                /* raw body, malloc'd */
	size_t raw_len;
	char *filename;           /* Content-Disposition attachment name */
};

/* Sets res to a redirect (303 See Other) to location. */
void res_redirect(struct response *res, const char *location);
/* Sets res to an error page / JSON error: 403, 404, 409, 422, 429, 500. */
void res_error(struct response *res, int status, const char *message);
/* 422 with {"error", "fields"}: the form is shown again by the page's own
 * template with the typed values and a message next to each field. */
void res_invalid(struct response *res, json_t *fields);
/* Adds a Set-Cookie header value (malloc'd copy). */
void res_cookie(struct response *res, const char *value);

/* A query or form value, or NULL. */
const char *req_query(const struct request *req, const char *name);
const char *req_form(const struct request *req, const char *name);
const char *req_param(const struct request *req, const char *name);

#endif
