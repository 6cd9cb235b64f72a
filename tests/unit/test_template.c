/*
 * Unit tests for src/web/template.c: the whole Mustache spec (one cmocka
 * test per spec file, every case asserted) plus our own contract tests.
 *
 * The spec files are read from $MUSTACHE_SPEC_DIR, by default
 * ../shared/third_party/mustache-spec relative to the working directory
 * (the tests are run from /work/main).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/template.h"

#define SPEC_DIR_DEFAULT "../shared/third_party/mustache-spec"

/* Spec cases run so far, checked by the last test. */
static int spec_cases;

static const char *spec_partial(const char *name, void *ud)
{
	return json_string_value(json_object_get((json_t *)ud, name));
}

/* Parsed partials of one case, for tpl_render_compiled(). */
struct compiled_set {
	const char *names[32];
	struct tpl_tpl *tpls[32];
	size_t n;
};

static const struct tpl_tpl *compiled_partial(const char *name, void *ud)
{
	const struct compiled_set *set = ud;

	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->names[i], name) == 0)
			return set->tpls[i];
	return NULL;
}

/* The same case through tpl_compile + tpl_render_compiled, parsing each
 * template once as render.c does: the output must not differ. */
static char *render_compiled(const char *tpl, json_t *data, json_t *partials, char **err)
{
	struct compiled_set set = { .n = 0 };
	struct tpl_tpl *root = tpl_compile(tpl, NULL, err);
	const char *name;
	json_t *src;
	char *out = NULL;

	if (!root)
		return NULL;
	json_object_foreach(partials, name, src) {
		assert_true(set.n < 32);
		set.names[set.n] = name;
		set.tpls[set.n] = tpl_compile(json_string_value(src), name, NULL);
		set.n++;
	}
	out = tpl_render_compiled(root, data, compiled_partial, &set, err);
	for (size_t i = 0; i < set.n; i++)
		tpl_destroy(set.tpls[i]);
	tpl_destroy(root);
	return out;
}

/* Renders every case of one spec file; reports each mismatch by name. */
static void run_spec_file(const char *file)
{
	const char *dir = getenv("MUSTACHE_SPEC_DIR");
	char path[4096];
	json_error_t jerr;
	json_t *spec, *tests, *tc;
	size_t i;
	int failures = 0;

	if (!dir || !*dir)
		dir = SPEC_DIR_DEFAULT;
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	spec = json_load_file(path, 0, &jerr);
	if (!spec)
		fail_msg("cannot load spec file %s: %s (set MUSTACHE_SPEC_DIR)",
			 path, jerr.text);
	tests = json_object_get(spec, "tests");
	assert_true(json_is_array(tests));
	assert_true(json_array_size(tests) > 0);

	json_array_foreach(tests, i, tc) {
		const char *name = json_string_value(json_object_get(tc, "name"));
		const char *tpl = json_string_value(json_object_get(tc, "template"));
		const char *want = json_string_value(json_object_get(tc, "expected"));
		json_t *data = json_object_get(tc, "data");
		json_t *partials = json_object_get(tc, "partials");
		char *err = NULL;
		char *got, *again;

		assert_non_null(name);
		assert_non_null(tpl);
		assert_non_null(want);
		got = tpl_render(tpl, data, spec_partial, partials, &err);
		spec_cases++;
		if (!got || strcmp(got, want) != 0) {
			print_error("%s: \"%s\" failed\n"
				    "  template: %s\n  expected: [%s]\n"
				    "  got:      [%s]\n  error:    %s\n",
				    file, name, tpl, want, got ? got : "(null)",
				    err ? err : "none");
			failures++;
		}
		free(err);
		err = NULL;
		again = render_compiled(tpl, data, partials, &err);
		if (!again || !got || strcmp(got, again) != 0) {
			print_error("%s: \"%s\" differs once parsed ahead: [%s], error %s\n",
				    file, name, again ? again : "(null)", err ? err : "none");
			failures++;
		}
		free(again);
		free(got);
		free(err);
	}
	json_decref(spec);
	assert_int_equal(failures, 0);
}

static void test_spec_comments(void **state)
{
	(void)state;
	run_spec_file("comments.json");
}

static void test_spec_delimiters(void **state)
{
	(void)state;
	run_spec_file("delimiters.json");
}

static void test_spec_interpolation(void **state)
{
	(void)state;
	run_spec_file("interpolation.json");
}

static void test_spec_inverted(void **state)
{
	(void)state;
	run_spec_file("inverted.json");
}

static void test_spec_partials(void **state)
{
	(void)state;
	run_spec_file("partials.json");
}

static void test_spec_sections(void **state)
{
	(void)state;
	run_spec_file("sections.json");
}

static void test_spec_inheritance(void **state)
{
	(void)state;
	run_spec_file("~inheritance.json");
}

/* A missing or truncated spec directory must not pass silently. */
static void test_spec_case_count(void **state)
{
	(void)state;
	print_message("mustache spec cases run: %d\n", spec_cases);
	assert_true(spec_cases > 100);
}

/* ------------------------------------------------------------------ */

/* Partials for our own tests: "name=source" pairs in a NULL-ended list. */
static const char *list_partial(const char *name, void *ud)
{
	const char *const *p;
	size_t n = strlen(name);

	for (p = ud; *p; p++)
		if (!strncmp(*p, name, n) && (*p)[n] == '=')
			return *p + n + 1;
	return NULL;
}

/* Renders `tpl` with JSON `data` and partials; asserts success. */
static char *render_ok(const char *tpl, const char *data,
		       const char *const *partials)
{
	json_error_t jerr;
	json_t *ctx = json_loads(data, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
	char *err = NULL;
	char *out;

	assert_non_null(ctx);
	out = tpl_render(tpl, ctx, partials ? list_partial : NULL,
			 (void *)partials, &err);
	if (!out)
		fail_msg("render of \"%s\" failed: %s", tpl, err);
	assert_null(err);
	json_decref(ctx);
	return out;
}

static void expect(const char *tpl, const char *data, const char *want)
{
	char *out = render_ok(tpl, data, NULL);

	assert_string_equal(out, want);
	free(out);
}

/* Renders `tpl`, which must fail; returns the error message. */
static char *render_err(const char *tpl, const char *const *partials)
{
	char *err = NULL;
	char *out = tpl_render(tpl, NULL, partials ? list_partial : NULL,
			       (void *)partials, &err);

	assert_null(out);
	assert_non_null(err);
	return err;
}

static void test_escape_html(void **state)
{
	char *s;

	(void)state;
	s = tpl_escape_html("<a href=\"x\" title='it''s'>Tom & Jerry</a>");
	assert_string_equal(s, "&lt;a href=&quot;x&quot; title=&#39;it&#39;&#39;s"
			       "&#39;&gt;Tom &amp; Jerry&lt;/a&gt;");
	free(s);
	s = tpl_escape_html("");
	assert_string_equal(s, "");
	free(s);
	assert_null(tpl_escape_html(NULL));

	expect("{{q}}|{{{q}}}|{{&q}}", "{\"q\": \"O'Reilly <b>\"}",
	       "O&#39;Reilly &lt;b&gt;|O'Reilly <b>|O'Reilly <b>");
}

static void test_values(void **state)
{
	(void)state;
	expect("{{i}} {{n}} {{r}} {{e}} {{t}} {{f}} {{z}} {{o}} {{a}}",
	       "{\"i\": 42, \"n\": -7, \"r\": 0.1, \"e\": 1e300, \"t\": true,"
	       " \"f\": false, \"z\": null, \"o\": {\"x\": 1}, \"a\": [1]}",
	       "42 -7 0.1 1e+300 true false   ");
	expect("{{r}}", "{\"r\": 2.0}", "2");
	expect("{{r}}", "{\"r\": 0.30000000000000004}", "0.30000000000000004");
	/* NUL inside a JSON string must not truncate the page */
	expect("[{{s}}|{{{s}}}]", "{\"s\": \"a\\u0000b\"}", "[ab|ab]");
	/* no context at all */
	{
		char *err = NULL;
		char *out = tpl_render("a{{x}}b{{#x}}c{{/x}}{{^x}}d{{/x}}",
				       NULL, NULL, NULL, &err);

		assert_non_null(out);
		assert_string_equal(out, "abd");
		assert_null(err);
		free(out);
	}
}

/* The spec leaves these open; we follow the reference implementation. */
static void test_truthiness(void **state)
{
	(void)state;
	expect("{{#s}}[{{s}}]{{/s}}{{^s}}no{{/s}}", "{\"s\": \"\"}", "[]");
	expect("{{#n}}[{{n}}]{{/n}}", "{\"n\": 0}", "[0]");
	expect("{{#o}}yes{{/o}}", "{\"o\": {}}", "yes");
	expect("{{#a}}yes{{/a}}{{^a}}no{{/a}}", "{\"a\": []}", "no");
	expect("{{#a}}yes{{/a}}{{^a}}no{{/a}}", "{\"a\": null}", "no");
	expect("{{#a}}yes{{/a}}{{^a}}no{{/a}}", "{\"a\": false}", "no");
}

static void test_unclosed_section_names_line(void **state)
{
	char *err;

	(void)state;
	err = render_err("<ul>\n\n{{#people}}\n  <li>{{name}}</li>\n</ul>\n",
			 NULL);
	assert_string_equal(err, "line 3: unclosed section 'people'");
	free(err);
}

static void test_syntax_errors(void **state)
{
	static const char *const partials[] = { "bad=ok\n{{#x}}", NULL };
	char *err;

	(void)state;
	err = render_err("a\nb {{name", NULL);
	assert_string_equal(err, "line 2: unclosed tag");
	free(err);

	err = render_err("{{#a}}\n{{#b}}\n{{/a}}\n", NULL);
	assert_string_equal(err, "line 3: closing tag 'a' does not match 'b' "
				 "opened on line 2");
	free(err);

	err = render_err("x\n{{/a}}", NULL);
	assert_string_equal(err, "line 2: unexpected closing tag 'a'");
	free(err);

	err = render_err("{{}}", NULL);
	assert_string_equal(err, "line 1: empty tag");
	free(err);

	err = render_err("{{a b}}", NULL);
	assert_string_equal(err, "line 1: invalid tag name 'a b'");
	free(err);

	err = render_err("{{a..b}}", NULL);
	assert_string_equal(err, "line 1: invalid tag name 'a..b'");
	free(err);

	err = render_err("{{=<%=}}", NULL);
	assert_string_equal(err, "line 1: invalid set-delimiter tag");
	free(err);

	err = render_err("{{$b}}\n{{<p}}", NULL);
	assert_string_equal(err, "line 2: unclosed parent 'p'");
	free(err);

	/* an error in a partial names the partial */
	err = render_err("top {{>bad}}", partials);
	assert_string_equal(err, "partial 'bad': line 2: unclosed section 'x'");
	free(err);

	/* err may be NULL */
	assert_null(tpl_render("{{#x}}", NULL, NULL, NULL, NULL));
	assert_null(tpl_render(NULL, NULL, NULL, NULL, NULL));
}

static void test_depth_limit(void **state)
{
	static const char *const self[] = { "self=x{{>self}}", NULL };
	static const char *const loop[] = { "a=[{{#v}}{{<b}}{{/b}}{{/v}}]",
					    "b={{>a}}", NULL };
	char tpl[(TPL_MAX_DEPTH + 1) * 12 + 1];
	size_t n = 0;
	int i;
	char *err;

	(void)state;
	/* a partial that includes itself */
	err = render_err("{{>self}}", self);
	assert_non_null(strstr(err, "nested deeper than 64 levels"));
	free(err);

	/* mutual recursion through a parent, with data that never ends */
	{
		json_t *ctx = json_pack("{s:b}", "v", 1);
		char *out;

		err = NULL;
		out = tpl_render("{{>a}}", ctx, list_partial, (void *)loop, &err);
		assert_null(out);
		assert_non_null(err);
		assert_non_null(strstr(err, "nested deeper than"));
		free(err);
		json_decref(ctx);
	}

	/* sections nested deeper than the limit in one template */
	for (i = 0; i <= TPL_MAX_DEPTH; i++)
		n += (size_t)snprintf(tpl + n, sizeof(tpl) - n, "{{#a}}");
	err = render_err(tpl, NULL);
	assert_string_equal(err, "line 1: sections nested deeper than 64 levels");
	free(err);

	/* exactly at the limit still renders */
	{
		char deep[TPL_MAX_DEPTH * 12 + 8];
		json_t *ctx = json_pack("{s:b}", "a", 1);
		char *out;

		n = 0;
		for (i = 0; i < TPL_MAX_DEPTH; i++)
			n += (size_t)snprintf(deep + n, sizeof(deep) - n, "{{#a}}");
		n += (size_t)snprintf(deep + n, sizeof(deep) - n, "ok");
		for (i = 0; i < TPL_MAX_DEPTH; i++)
			n += (size_t)snprintf(deep + n, sizeof(deep) - n, "{{/a}}");
		out = tpl_render(deep, ctx, NULL, NULL, NULL);
		assert_non_null(out);
		assert_string_equal(out, "ok");
		free(out);
		json_decref(ctx);
	}
}

/* Exponential work without output must stop, not hang. */
static void test_step_limit(void **state)
{
	json_t *ctx = json_pack("{s:[iiiiiiiiii]}", "a", 0, 1, 2, 3, 4, 5,
				6, 7, 8, 9);
	char *err = NULL;
	char *out;

	(void)state;
	out = tpl_render("{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}"
			 "{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}",
			 ctx, NULL, NULL, &err);
	assert_null(out);
	assert_non_null(err);
	assert_non_null(strstr(err, "steps"));
	free(err);
	json_decref(ctx);
}

static void test_output_limit(void **state)
{
	static const char *const big[] = { "k={{{s}}}{{{s}}}{{{s}}}{{{s}}}",
					   NULL };
	size_t len = 1024 * 1024;
	char *s = malloc(len + 1);
	json_t *ctx;
	char *err = NULL;
	char *out;

	(void)state;
	assert_non_null(s);
	memset(s, 'x', len);
	s[len] = '\0';
	ctx = json_pack("{s:s, s:[iiiiiiii]}", "s", s, "l", 1, 2, 3, 4, 5, 6,
			7, 8);
	/* 8 * 4 * 1 MiB = 32 MiB > TPL_MAX_OUTPUT */
	out = tpl_render("{{#l}}{{>k}}{{/l}}", ctx, list_partial, (void *)big,
			 &err);
	assert_null(out);
	assert_non_null(err);
	assert_non_null(strstr(err, "output larger than"));
	free(err);
	json_decref(ctx);
	free(s);
}

static void test_partials(void **state)
{
	static const char *const parts[] = {
		"row=<li>{{name}}</li>\n",
		"list=<ul>\n  {{#items}}\n  {{>row}}\n  {{/items}}\n</ul>\n",
		NULL
	};
	char *out;

	(void)state;
	out = render_ok("<div>\n  {{>list}}\n</div>\n{{>missing}}",
			"{\"items\": [{\"name\": \"a\"}, {\"name\": \"<b>\"}]}",
			parts);
	assert_string_equal(out, "<div>\n  <ul>\n    <li>a</li>\n"
				 "    <li>&lt;b&gt;</li>\n  </ul>\n</div>\n");
	free(out);

	/* no lookup function: partials render as empty */
	expect("[{{>x}}]", "{}", "[]");
}

/* The layout pattern the web pages use. */
static void test_layout_inheritance(void **state)
{
	static const char *const parts[] = {
		"layout=<html>\n<head><title>{{$title}}Parcours{{/title}}</title></head>\n"
		"<body>\n  {{$content}}\n  <p>empty</p>\n  {{/content}}\n</body>\n</html>\n",
		NULL
	};
	char *out;

	(void)state;
	out = render_ok("{{<layout}}\n{{$title}}Trips{{/title}}\n"
			"{{$content}}\n<ul>\n{{#trips}}\n  <li>{{.}}</li>\n"
			"{{/trips}}\n</ul>\n{{/content}}\n{{/layout}}\n",
			"{\"trips\": [\"Alps\", \"Coast\"]}", parts);
	assert_string_equal(out,
			    "<html>\n<head><title>Trips</title></head>\n<body>\n"
			    "  <ul>\n    <li>Alps</li>\n    <li>Coast</li>\n"
			    "  </ul>\n</body>\n</html>\n");
	free(out);

	out = render_ok("{{<layout}}{{/layout}}", "{}", parts);
	assert_string_equal(out,
			    "<html>\n<head><title>Parcours</title></head>\n"
			    "<body>\n  <p>empty</p>\n</body>\n</html>\n");
	free(out);
}

/* A block's first line is indented once, whatever it starts with. */
static void test_block_first_line(void **state)
{
	static const char *const parts[] = {
		"p=<div>\n  {{$b}}{{/b}}\n</div>\n",
		"q=<div>\n  {{$b}}\n  {{/b}}\n</div>\n",
		NULL
	};
	char *out;

	(void)state;
	out = render_ok("{{<q}}{{$b}}\n{{#x}}\n<i>{{.}}</i>\n{{/x}}\n{{/b}}{{/q}}",
			"{\"x\": [1, 2]}", parts);
	assert_string_equal(out, "<div>\n  <i>1</i>\n  <i>2</i>\n</div>\n");
	free(out);

	/* "{{$b}}{{/b}}" on one line keeps its line ending (spec
	 * "Standalone block"), so content ending in a newline adds a line */
	out = render_ok("{{<p}}{{$b}}\n{{#x}}\n<i>{{.}}</i>\n{{/x}}\n{{/b}}{{/p}}",
			"{\"x\": [1, 2]}", parts);
	assert_string_equal(out, "<div>\n  <i>1</i>\n  <i>2</i>\n\n</div>\n");
	free(out);
	out = render_ok("{{<p}}{{$b}}<i>{{x}}</i>{{/b}}{{/p}}", "{\"x\": 1}",
			parts);
	assert_string_equal(out, "<div>\n  <i>1</i>\n</div>\n");
	free(out);

	/* empty content leaves no stray indentation */
	out = render_ok("{{<q}}{{/q}}", "{}", parts);
	assert_string_equal(out, "<div>\n</div>\n");
	free(out);
}

/* A parsed template is rendered many times with different data, and a
 * syntax error is reported by tpl_compile with the name. */
static void test_compiled_reuse(void **state)
{
	struct compiled_set set = { .n = 1 };
	struct tpl_tpl *root;
	char *err = NULL, *out;
	json_t *ctx;

	(void)state;
	set.names[0] = "layout";
	set.tpls[0] = tpl_compile("<main>{{$content}}{{/content}}</main>", "layout", &err);
	assert_non_null(set.tpls[0]);
	assert_null(err);
	root = tpl_compile("{{<layout}}{{$content}}{{name}}{{/content}}{{/layout}}", NULL, &err);
	assert_non_null(root);
	for (int i = 0; i < 3; i++) {
		ctx = json_pack("{s:s}", "name", i == 1 ? "<b>" : "Zoé");
		out = tpl_render_compiled(root, ctx, compiled_partial, &set, &err);
		assert_string_equal(out, i == 1 ? "<main>&lt;b&gt;</main>" : "<main>Zoé</main>");
		assert_null(err);
		free(out);
		json_decref(ctx);
	}
	/* No lookup: the parent renders as empty. */
	out = tpl_render_compiled(root, NULL, NULL, NULL, &err);
	assert_string_equal(out, "");
	free(out);
	tpl_destroy(root);
	tpl_destroy(set.tpls[0]);
	tpl_destroy(NULL);

	assert_null(tpl_compile("{{#a}}", "page", &err));
	assert_non_null(strstr(err, "partial 'page': line 1: unclosed section 'a'"));
	free(err);
	assert_null(tpl_render_compiled(NULL, NULL, NULL, NULL, &err));
	assert_string_equal(err, "no template");
	free(err);
}

static void test_big_list(void **state)
{
	json_t *ctx = json_object();
	json_t *rows = json_array();
	char *out;
	size_t i;

	(void)state;
	for (i = 0; i < 100000; i++)
		json_array_append_new(rows, json_pack("{s:I}", "id", (json_int_t)i));
	json_object_set_new(ctx, "rows", rows);
	out = tpl_render("<table>\n{{#rows}}\n  <tr><td>{{id}}</td></tr>\n"
			 "{{/rows}}\n</table>\n", ctx, NULL, NULL, NULL);
	assert_non_null(out);
	assert_int_equal(strlen(out), strlen("<table>\n</table>\n") +
				      100000 * strlen("  <tr><td></td></tr>\n") +
				      10 + 90 * 2 + 900 * 3 + 9000 * 4 +
				      90000 * 5);
	free(out);
	json_decref(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_comments),
		cmocka_unit_test(test_spec_delimiters),
		cmocka_unit_test(test_spec_interpolation),
		cmocka_unit_test(test_spec_inverted),
		cmocka_unit_test(test_spec_partials),
		cmocka_unit_test(test_spec_sections),
		cmocka_unit_test(test_spec_inheritance),
		cmocka_unit_test(test_spec_case_count),
		cmocka_unit_test(test_escape_html),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_truthiness),
		cmocka_unit_test(test_unclosed_section_names_line),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_step_limit),
		cmocka_unit_test(test_output_limit),
		cmocka_unit_test(test_partials),
		cmocka_unit_test(test_layout_inheritance),
		cmocka_unit_test(test_block_first_line),
		cmocka_unit_test(test_compiled_reuse),
		cmocka_unit_test(test_big_list),
	};

	return cmocka_run_group_tests_name("template", tests, NULL, NULL);
}
