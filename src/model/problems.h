/*
 * problems.h — what is wrong with input, said so that a person can fix it.
 *
 * Validation never stops at the first problem: it collects them all, each
 * with where it is (line, type, id, field) and the rule it breaks in plain
 * French. The importer prints them; the web forms show each next to its
 * field; the JSON API returns them as {"error", "fields"} (422).
 */
#ifndef PARCOURS_PROBLEMS_H
#define PARCOURS_PROBLEMS_H
#include <jansson.h>

struct problems {
	json_t *list;      /* array of {"line","type","id","field","reason"} */
	long line;         /* context stamped on the next problems (0: none) */
	const char *type;
	const char *id;
	size_t lost;       /* problems that memory was too short to describe */
};

void problems_init(struct problems *pb);
void problems_release(struct problems *pb);
/* Sets where the next problems are. */
void problems_at(struct problems *pb, long line, const char *type, const char *id);
/* Adds a problem on field (NULL for the whole record). The reason is cut
 * between two characters, with "…", past 511 bytes; texts are made valid
 * UTF-8. A problem is never dropped: without memory it is still counted. */
void problem_add(struct problems *pb, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The number of problems, described or not. */
size_t problems_count(const struct problems *pb);
/* Prints "line 12: person p-1: nir: reason" lines, sorted by line. */
void problems_print(struct problems *pb, FILE *out);
/* {"field": "reason", …} of the problems (first reason per field). */
json_t *problems_fields(const struct problems *pb);

#endif
