/* render.c — see render.h. */
#include "web/render.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/embedded.h"
#include "model/user.h"
#include "web/http.h"
#include "web/template.h"

/* The embedded templates, each parsed once on first use and never changed
 * afterwards, so every server thread reads them without locking. Parsing
 * them on every render cost about an eighth of a page (docs/bench.md). */
struct render_tpl {
	char name[64];       /* file name without ".mustache" */
	struct tpl_tpl *tpl; /* NULL when it does not parse: */
	char *err;           /* then why */
};

static struct render_tpl *templates;
static size_t ntemplates;
static pthread_once_t templates_once = PTHREAD_ONCE_INIT;

static void templates_load(void)
{
	size_t n = 0;

	while (embedded_templates[n].name)
		n++;
	templates = calloc(n, sizeof *templates);
	if (!templates)
		return;
	for (size_t i = 0; i < n; i++) {
		struct render_tpl *t = &templates[i];
		const char *file = embedded_templates[i].name, *dot = strrchr(file, '.');
		snprintf(t->name, sizeof t->name, "%.*s",
			 (int)(dot ? (size_t)(dot - file) : strlen(file)), file);
		t->tpl = tpl_compile(embedded_templates[i].data, t->name, &t->err);
		/* Said once: a broken partial would otherwise render as nothing. */
		if (!t->tpl)
			fprintf(stderr, "parcours: template %s: %s\n", file,
				t->err ? t->err : "out of memory");
	}
	ntemplates = n;
}

static const struct render_tpl *template_find(const char *name)
{
	pthread_once(&templates_once, templates_load);
	for (size_t i = 0; i < ntemplates; i++)
		if (strcmp(templates[i].name, name) == 0)
			return &templates[i];
	return NULL;
}

static const struct tpl_tpl *lookup(const char *name, void *ud)
{
	const struct render_tpl *t = template_find(name);

	(void)ud;
	return t ? t->tpl : NULL;
}

void render_cleanup(void)
{
	for (size_t i = 0; i < ntemplates; i++) {
		tpl_destroy(templates[i].tpl);
		free(templates[i].err);
	}
	free(templates);
	templates = NULL;
	ntemplates = 0;
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
	{ "/portfolio", "Mon portefeuille", ROLE_REFERENT, 0 },
	{ "/orientation", "À orienter", ROLE_ORIENTATION_OFFICER | ROLE_ADMIN, 0 },
	{ "/sessions", "Séances", ROLE_REFERENT | ROLE_ADMIN, 0 },
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
	const struct render_tpl *t;
	char *html = NULL, *err = NULL;
	json_t *ctx;

	if (req->wants_json || !res->template) {
		char *s = json_dumps(res->data ? res->data : json_object(),
				     JSON_COMPACT | JSON_PRESERVE_ORDER);
		buf_addstr(out, s ? s : "{}");
		free(s);
		return "application/json; charset=utf-8";
	}
	t = template_find(res->template);
	if (t && t->tpl) {
		ctx = page_context(req, res);
		html = tpl_render_compiled(t->tpl, ctx, lookup, NULL, &err);
		json_decref(ctx);
	}
	if (!html) {
		fprintf(stderr, "parcours: template %s: %s\n", res->template,
			err ? err : t && t->err ? t->err : "missing");
		free(err);
		res->status = 500;
		buf_addstr(out, "<!doctype html><title>Erreur</title><p>Erreur interne.</p>");
		return "text/html; charset=utf-8";
	}
	buf_addstr(out, html);
	free(html);
	return "text/html; charset=utf-8";
}
