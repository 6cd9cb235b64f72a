/* router.c — see router.h. */
#include "web/router.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/text.h"
#include "db/db.h"
#include "model/audit.h"
#include "model/password.h"
#include "web/access.h"
#include "web/form.h"
#include "web/http.h"
#include "web/session.h"

int route_match(const char *pattern, const char *path, json_t *params)
{
	const char *p = pattern, *s = path;

	while (*p && *s) {
		if (*p == '{') {
			const char *close = strchr(p, '}');
			size_t len = strcspn(s, "/");
			char name[32], value[80];
			if (!close || len == 0 || len >= sizeof value ||
			    (size_t)(close - p - 1) >= sizeof name)
				return 0;
			memcpy(name, p + 1, (size_t)(close - p - 1));
			name[close - p - 1] = '\0';
			memcpy(value, s, len);
			value[len] = '\0';
			/* Resource ids are exchange ids: nothing else reaches a handler. */
			if (!exchange_id_valid(value))
				return 0;
			json_object_set_new(params, name, json_string(value));
			p = close + 1;
			s += len;
		} else if (*p++ != *s++) {
			return 0;
		}
	}
	return *p == '\0' && *s == '\0';
}

/* Rows of pending forms live a day at most: a form not taken back by then
 * is dropped, with the personal data it may hold. */
#define PENDING_FORM_MAX_AGE (24 * 60 * 60)

/* A form posted after the session expired is kept, so that after signing in
 * again the user finds it filled (interfaces.md). Only when a session cookie
 * was sent and has expired: a post with no session at all is no one's
 * typing, and must not fill the table. */
static void keep_pending_form(struct request *req, char token[65])
{
	int64_t now = (int64_t)time(NULL);

	token[0] = '\0';
	if (strcmp(req->method, "POST") != 0 || req->body.len == 0 || req->wants_json ||
	    !req->session_expired)
		return;
	token_new(token);
	if (db_execf(req->db, "DELETE FROM pending_form WHERE created_at < ?", "i",
		     now - PENDING_FORM_MAX_AGE) ||
	    db_execf(req->db, "INSERT INTO pending_form (token, path, body, created_at) "
			      "VALUES (?, ?, ?, ?)",
		     "sssi", token, req->path, buf_str(&req->body), now))
		token[0] = '\0';
}

/* A JSON body's numbers and booleans become their text, as a form would
 * send them ({"health_accredited": true} is "true"), so that one validation
 * serves both; nulls are dropped (absent). */
static void form_scalars_to_text(json_t *form)
{
	const char *key;
	json_t *v;
	void *tmp;
	char num[64];

	json_object_foreach_safe(form, tmp, key, v) {
		if (json_is_integer(v))
			snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
		else if (json_is_real(v))
			snprintf(num, sizeof num, "%.15g", json_real_value(v));
		else if (json_is_boolean(v))
			snprintf(num, sizeof num, "%s", json_is_true(v) ? "true" : "false");
		else if (json_is_null(v)) {
			json_object_del(form, key);
			continue;
		} else
			continue;
		json_object_set_new(form, key, json_string(num));
	}
}

static void to_login(struct request *req, struct response *res)
{
	struct buf loc;
	char token[65];
	char *next;

	if (req->wants_json) {
		res_error(res, 401, "authentification requise");
		return;
	}
	keep_pending_form(req, token);
	next = url_encode(req->path);
	buf_init(&loc, 4096);
	buf_addf(&loc, "/login?next=%s", next ? next : "/");
	if (token[0])
		buf_addf(&loc, "&resume=%s", token);
	if (req->session_expired)
		buf_addstr(&loc, "&expired=1");
	res_redirect(res, buf_str(&loc));
	buf_release(&loc);
	free(next);
}

void router_dispatch(struct request *req, struct response *res)
{
	const struct route *r, *found = NULL;
	int path_known = 0, status;

	for (r = routes; r->pattern; r++) {
		json_object_clear(req->params);
		if (!route_match(r->pattern, req->path, req->params))
			continue;
		path_known = 1;
		if (strcmp(r->method, req->method) == 0) {
			found = r;
			break;
		}
	}
	if (!found) {
		res_error(res, path_known ? 405 : 404,
			  path_known ? "méthode non permise" : "page introuvable");
		return;
	}
	session_identify(req);
	form_scalars_to_text(req->form);
	if (!(found->flags & ROUTE_PUBLIC)) {
		status = access_route(req, found->roles);
		if (status == 401) {
			to_login(req, res);
			return;
		}
		if (status) {
			audit_append(req->db, req->user.id, req->address, "denied", "route", NULL,
				     req->path);
			res_error(res, 403, "cette page n'est pas ouverte à votre rôle");
			return;
		}
	}
	if (strcmp(req->method, "POST") == 0 && !(found->flags & ROUTE_OWN_CSRF) &&
	    !session_csrf_ok(req)) {
		res_error(res, 403, "jeton de sécurité (CSRF) absent ou invalide : rechargez la page");
		return;
	}
	found->handler(req, res);
}
