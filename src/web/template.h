#ifndef PARCOURS_WEB_TEMPLATE_H
#define PARCOURS_WEB_TEMPLATE_H

#include <jansson.h>
#include <stddef.h>

/**
 * template.h - logic-less Mustache templates
 *
 * A Mustache engine that renders a template against a jansson `json_t`
 * context.  It implements the whole Mustache specification (the
 * comments, delimiters, interpolation, inverted, partials and sections
 * modules) plus the optional `~inheritance` module: blocks
 * `{{$name}}default{{/name}}` and parents `{{<parent}}...{{/parent}}`.
 * Lambdas (`~lambdas`) and dynamic names (`~dynamic-names`) are not
 * supported: a JSON context cannot hold code.
 *
 * Output of `{{name}}` is HTML-escaped; `{{{name}}}` and `{{&name}}`
 * are not.
 *
 * Data model
 * ----------
 *
 *  - Falsey values are `false`, `null`, a missing name and the empty
 *    array.  Everything else is truthy, including `""`, `0` and `{}`,
 *    as in the reference (Ruby) implementation the spec is written
 *    against.  Use `false` or `null` to hide a section.
 *
 *  - Strings interpolate as themselves, integers in decimal, reals in
 *    the shortest form that reads back as the same double (1.21 renders
 *    as "1.21"), `true`/`false` as "true"/"false".  `null`, objects and
 *    arrays interpolate as the empty string.  NUL characters inside
 *    strings are dropped, since the output is a C string.
 *
 *  - A section over a non-empty array renders once per element with the
 *    element pushed on the context stack; over any other truthy value it
 *    renders once with that value pushed.
 *
 * Limits
 * ------
 *
 * A render fails (returns NULL with a message) rather than exhausting
 * the stack or memory when
 *
 *  - sections, partials, parents and blocks nest deeper than
 *    `TPL_MAX_DEPTH` (at parse time within one template, and at render
 *    time across partials, e.g. a partial that includes itself),
 *  - the output would exceed `TPL_MAX_OUTPUT` bytes,
 *  - the render visits more than `TPL_MAX_STEPS` template nodes (nested
 *    loops over the same data can otherwise take exponential time while
 *    producing no output).
 *
 * The engine keeps no global state and is safe to call from several
 * threads at once, as long as each `json_t` context is not modified
 * concurrently.
 */

/* Deepest nesting of sections/partials/parents/blocks that is rendered. */
#ifndef TPL_MAX_DEPTH
#define TPL_MAX_DEPTH 64
#endif

/* Largest output, in bytes, that a render may produce. */
#ifndef TPL_MAX_OUTPUT
#define TPL_MAX_OUTPUT ((size_t)16 * 1024 * 1024)
#endif

/* Most template nodes one render may visit. */
#ifndef TPL_MAX_STEPS
#define TPL_MAX_STEPS 10000000UL
#endif

/**
 * Looks up a partial or parent template by `name` (the trimmed text of
 * the `{{>name}}` or `{{<name}}` tag) on behalf of `tpl_render()`.
 * Returns its NUL-terminated source, or NULL when there is no such
 * template (an unknown partial renders as the empty string, per the
 * spec).  The returned string stays owned by the callee and must remain
 * valid and unchanged until `tpl_render()` returns.  Each distinct name
 * is looked up at most once per render.
 */
typedef const char *(*tpl_lookup_fn)(const char *name, void *ud);

/**
 * Renders the NUL-terminated template `src` against the context `ctx`
 * (any JSON value; NULL behaves like an empty context).  Partials and
 * parents are fetched through `lookup`, which is passed `ud` unchanged;
 * `lookup` may be NULL, in which case every partial renders as empty.
 *
 * Returns the output as a malloc'd NUL-terminated string that the
 * caller must free().  Returns NULL on a template syntax error (in `src`
 * or in any partial), when a limit above is exceeded, or when memory
 * runs out; then, if `err` is not NULL, `*err` is set to a malloc'd
 * message the caller must free(), naming the line and, for an error in
 * a partial, the partial (e.g. "line 3: unclosed section 'people'" or
 * "partial 'row': line 1: unclosed tag").  On success `*err` is set to
 * NULL.  `ctx` is neither modified nor retained.
 */
char *tpl_render(const char *src, json_t *ctx, tpl_lookup_fn lookup, void *ud,
		 char **err);

/**
 * A parsed template, for rendering the same source many times without
 * parsing it again.  It is never modified once built, so several threads
 * may render it at once.  It points into its source: `src` must stay
 * valid and unchanged for as long as the template lives.
 */
struct tpl_tpl;

/**
 * Parses `src`.  `name` (may be NULL) is the template's name as a partial
 * or parent: errors found later while rendering it are reported as
 * "partial 'name': line N: ...".  Returns NULL on a syntax error or when
 * memory runs out, with `*err` (if `err` is not NULL) set to a malloc'd
 * message as tpl_render() gives; on success `*err` is set to NULL.
 */
struct tpl_tpl *tpl_compile(const char *src, const char *name, char **err);

/* Frees a template from tpl_compile(); NULL is fine. */
void tpl_destroy(struct tpl_tpl *t);

/**
 * Finds an already parsed partial or parent by `name` for
 * `tpl_render_compiled()`; NULL when there is none (it renders as the
 * empty string).  The template must outlive the render.
 */
typedef const struct tpl_tpl *(*tpl_compiled_fn)(const char *name, void *ud);

/**
 * Like tpl_render(), for a parsed template whose partials and parents
 * are parsed too: nothing is parsed during the render.  `lookup` may be
 * NULL (every partial renders as empty).
 */
char *tpl_render_compiled(const struct tpl_tpl *t, json_t *ctx,
			  tpl_compiled_fn lookup, void *ud, char **err);

/**
 * Returns a malloc'd copy of the NUL-terminated `s` in which `&`, `<`,
 * `>`, `"` and `'` are replaced by `&amp;`, `&lt;`, `&gt;`, `&quot;` and
 * `&#39;`, which makes it safe in HTML text and in quoted attribute
 * values.  This is the escaping `{{name}}` applies.  Returns NULL if `s`
 * is NULL or memory runs out.
 */
char *tpl_escape_html(const char *s);

#endif /* PARCOURS_WEB_TEMPLATE_H */
