/* problems.c — see problems.h. */
#include "model/problems.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/text.h"

void problems_init(struct problems *pb)
{
	pb->list = json_array();
	pb->line = 0;
	pb->lost = 0;
	pb->type = pb->id = NULL;
}

void problems_release(struct problems *pb)
{
	json_decref(pb->list);
	pb->list = NULL;
}

void problems_at(struct problems *pb, long line, const char *type, const char *id)
{
	pb->line = line;
	pb->type = type;
	pb->id = id;
}

/* A reason longer than this is cut (with "…"): it quotes input, which may
 * be long, and is read by a person. */
#define PROBLEM_REASON_MAX 512
#define PROBLEMS_LOST "problème(s) non décrit(s) faute de mémoire"

/* A reason, type, id or field may quote input of any length and, from
 * other readers than JSON, of any encoding: each is made valid UTF-8 and
 * cut between two characters, so that json_pack() cannot refuse it. */
static json_t *problem_new(const struct problems *pb, const char *field, const char *reason)
{
	char type[160], id[160], f[160], r[PROBLEM_REASON_MAX];

	return json_pack("{s:I, s:s?, s:s?, s:s?, s:s}", "line", (json_int_t)pb->line, "type",
			 pb->type ? utf8_fit(type, sizeof type, pb->type) : NULL, "id",
			 pb->id ? utf8_fit(id, sizeof id, pb->id) : NULL, "field",
			 field ? utf8_fit(f, sizeof f, field) : NULL, "reason",
			 utf8_fit(r, sizeof r, reason));
}

void problem_add(struct problems *pb, const char *field, const char *fmt, ...)
{
	/* Room for more than PROBLEM_REASON_MAX, so utf8_fit() sees the cut. */
	char reason[PROBLEM_REASON_MAX * 2];
	va_list ap;
	json_t *p;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	p = problem_new(pb, field, reason);
	/* Only memory can be short now: a problem is never dropped silently,
	 * at worst it is counted without its words. */
	if (!p || json_array_append_new(pb->list, p))
		pb->lost++;
}

size_t problems_count(const struct problems *pb)
{
	return json_array_size(pb->list) + pb->lost;
}

struct ranked {
	json_int_t line;
	size_t pos; /* order of discovery, so problems of one line keep it */
	json_t *p;
};

static int by_line(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->line != y->line)
		return (x->line > y->line) - (x->line < y->line);
	return (x->pos > y->pos) - (x->pos < y->pos);
}

void problems_print(struct problems *pb, FILE *out)
{
	size_t n = json_array_size(pb->list), i;
	struct ranked *items = malloc((n ? n : 1) * sizeof *items);
	json_t *p;

	if (!items)
		return;
	json_array_foreach(pb->list, i, p) {
		items[i].line = json_integer_value(json_object_get(p, "line"));
		items[i].pos = i;
		items[i].p = p;
	}
	qsort(items, n, sizeof *items, by_line);
	for (i = 0; i < n; i++) {
		json_t *it = items[i].p;
		const char *type = json_string_value(json_object_get(it, "type"));
		const char *id = json_string_value(json_object_get(it, "id"));
		const char *field = json_string_value(json_object_get(it, "field"));
		json_int_t line = items[i].line;

		if (line)
			fprintf(out, "line %lld: ", (long long)line);
		fprintf(out, "%s %s: %s%s%s\n", type ? type : "-", id ? id : "-",
			field ? field : "", field ? ": " : "",
			json_string_value(json_object_get(it, "reason")));
	}
	if (pb->lost)
		fprintf(out, "%zu %s\n", pb->lost, PROBLEMS_LOST);
	free(items);
}

json_t *problems_fields(const struct problems *pb)
{
	json_t *fields = json_object(), *p;
	size_t i;

	json_array_foreach(pb->list, i, p) {
		const char *f = json_string_value(json_object_get(p, "field"));
		if (!f)
			f = "_record";
		if (!json_object_get(fields, f))
			json_object_set(fields, f, json_object_get(p, "reason"));
	}
	if (pb->lost && !json_object_get(fields, "_record"))
		json_object_set_new(fields, "_record", json_string(PROBLEMS_LOST));
	return fields;
}
