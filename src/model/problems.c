/* problems.c — see problems.h. */
#include "model/problems.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void problems_init(struct problems *pb)
{
	pb->list = json_array();
	pb->line = 0;
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

void problem_add(struct problems *pb, const char *field, const char *fmt, ...)
{
	char reason[512];
	va_list ap;
	json_t *p;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	p = json_pack("{s:I, s:s?, s:s?, s:s?, s:s}", "line", (json_int_t)pb->line, "type",
		      pb->type, "id", pb->id, "field", field, "reason", reason);
	json_array_append_new(pb->list, p);
}

size_t problems_count(const struct problems *pb)
{
	return json_array_size(pb->list);
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
	return fields;
}
