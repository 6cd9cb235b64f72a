/*
 * libFuzzer target for src/web/template.c.
 *
 * Input layout: TEMPLATE [ '\0' JSON ].  The bytes before the first NUL
 * are the template; the rest, if any, is parsed as the JSON context
 * (any JSON value; a fixed small context is used when it is missing or
 * invalid, so that template mutations still reach the sections).
 * Partials come from a fixed table that includes recursion, parents
 * with blocks and set-delimiter changes; the name "self" returns the
 * template itself, to exercise unbounded recursion.
 *
 * The render must never crash, leak or read out of bounds; on success
 * the output must be a string and no error may be reported, on failure
 * an error message must be.
 *
 * Build: clang -g -fsanitize=fuzzer,address,undefined -Isrc \
 *        src/web/template.c tests/fuzz/fuzz_template.c -ljansson
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char fallback_ctx[] =
	"{\"a\": [1, 2.5, \"<x>\"], \"b\": {\"c\": {\"d\": \"'&\"}}, "
	"\"t\": true, \"f\": false, \"n\": null, \"s\": \"\", "
	"\"list\": [{\"name\": \"x\", \"list\": [{\"name\": \"y\"}]}]}";

struct fuzz_partials {
	const char *self;
};

static const char *fuzz_lookup(const char *name, void *ud)
{
	static const char *const table[][2] = {
		{ "p", "[{{.}}|{{a}}]\n" },
		{ "rec", "{{name}}<{{#list}}{{>rec}}{{/list}}>" },
		{ "loop", "{{>loop}}" },
		{ "layout", "<h>{{$title}}T{{/title}}</h>\n  {{$body}}\n  body\n  {{/body}}\n" },
		{ "mid", "{{<layout}}{{$title}}M{{/title}}{{/layout}}" },
		{ "delim", "{{=<% %>=}}<%a%>{{a}}" },
		{ "bad", "{{#x}}" },
	};
	const struct fuzz_partials *fp = ud;
	size_t i;

	if (!strcmp(name, "self"))
		return fp->self;
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (!strcmp(name, table[i][0]))
			return table[i][1];
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t tlen = nul ? (size_t)(nul - data) : size;
	struct fuzz_partials fp;
	json_t *ctx = NULL;
	char *tpl, *out, *err = NULL;

	/* Templates are small in practice; huge inputs only slow fuzzing. */
	if (size > 64 * 1024)
		return 0;
	tpl = malloc(tlen + 1);
	if (!tpl)
		return 0;
	memcpy(tpl, data, tlen);
	tpl[tlen] = '\0';
	if (nul)
		ctx = json_loadb((const char *)nul + 1, size - tlen - 1,
				 JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	if (!ctx)
		ctx = json_loads(fallback_ctx, 0, NULL);
	fp.self = tpl;

	out = tpl_render(tpl, ctx, fuzz_lookup, &fp, &err);
	if (out ? err != NULL : err == NULL)
		abort();
	free(out);
	free(err);

	/* The escaper must also cope with anything. */
	out = tpl_escape_html(tpl);
	if (!out)
		abort();
	free(out);

	json_decref(ctx);
	free(tpl);
	return 0;
}
