/* render.c — see render.h. */
#include "web/render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/embedded.h"
#include "model/user.h"
#include "web/http.h"
#include "web/template.h"

static const char *lookup(const char *name, void *ud)
{
	char file[128];
	const struct embedded_file *f;

	(void)ud;
	snprintf(file, sizeof file, "%s.mustache", name);
	f = embedded_find(embedded_templates, file);
	return f ? f->data : NULL;
}

/* The main navigation: each entry is shown to the roles its pages accept. */
static const struct nav_item {
	const char *href;
	const char *label;
	unsigned roles; /* 0: every signed-in user */
	unsigned hidden_from;
} nav_items[] = {
	{ "/", "Accueil", 0, 0 },
	{ "/people", "Personnes", 0, ROLE_ANALYST },
	{ "/organisations", "Structures", 0, 0 },
	{ "/territories", "Territoires", 0, 0 },
	{ "/users", "Comptes", ROLE_ADMIN, 0 },
	{ "/audit", "Journal d'audit", ROLE_ADMIN, 0 },
};

static json_t *navigation(const struct request *req)
{
	json_t *nav = json_array();

	for (size_t i = 0; i < sizeof nav_items / sizeof *nav_items; i++) {
		const struct nav_item *n = &nav_items[i];
		size_t len = strlen(n->href);
		int current;
		if (n->roles && !(req->user.roles & n->roles))
			continue;
		if (n->hidden_from && (req->user.roles & ~n->hidden_from) == 0)
			continue;
		current = len == 1 ? strcmp(req->path, "/") == 0
				   : strncmp(req->path, n->href, len) == 0 &&
					     (req->path[len] == '\0' || req->path[len] == '/');
		json_array_append_new(nav, json_pack("{s:s, s:s, s:b}", "href", n->href, "label",
						     n->label, "current", current));
	}
	return nav;
}

static json_t *page_context(struct request *req, struct response *res)
{
	json_t *ctx = json_object();

	if (json_is_object(res->data))
		json_object_update(ctx, res->data);
	json_object_set_new(ctx, "title", json_string(res->title ? res->title : "Parcours"));
	if (req->signed_in) {
		json_object_set_new(ctx, "me", user_json(&req->user));
		json_object_set_new(ctx, "csrf", json_string(req->csrf));
		json_object_set_new(ctx, "nav", navigation(req));
	}
	return ctx;
}

const char *render_response(struct request *req, struct response *res, struct buf *out)
{
	const char *src;
	char *html, *err = NULL;
	json_t *ctx;

	if (req->wants_json || !res->template) {
		char *s = json_dumps(res->data ? res->data : json_object(),
				     JSON_COMPACT | JSON_PRESERVE_ORDER);
		buf_addstr(out, s ? s : "{}");
		free(s);
		return "application/json; charset=utf-8";
	}
	src = lookup(res->template, NULL);
	ctx = page_context(req, res);
	html = src ? tpl_render(src, ctx, lookup, NULL, &err) : NULL;
	json_decref(ctx);
	if (!html) {
		fprintf(stderr, "parcours: template %s: %s\n", res->template, err ? err : "missing");
		free(err);
		res->status = 500;
		buf_addstr(out, "<!doctype html><title>Erreur</title><p>Erreur interne.</p>");
		return "text/html; charset=utf-8";
	}
	buf_addstr(out, html);
	free(html);
	return "text/html; charset=utf-8";
}
