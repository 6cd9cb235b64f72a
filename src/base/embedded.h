/*
 * embedded.h — files compiled into the binary by tools/embed.c: the SQL
 * migrations and the Mustache templates, so an installed `parcours` needs no
 * data directory beside it (only static/ for the DSFR assets).
 */
#ifndef PARCOURS_EMBEDDED_H
#define PARCOURS_EMBEDDED_H
#include <stddef.h>

struct embedded_file {
	const char *name;  /* file name without directory, e.g. "0001_foundation.sql" */
	const char *data;  /* NUL-terminated content */
	size_t len;
};

/* Sorted by name; the arrays end with a {NULL, NULL, 0} entry. */
extern const struct embedded_file embedded_migrations[];
extern const struct embedded_file embedded_templates[];

/* The entry named name in a NULL-terminated array, or NULL. */
const struct embedded_file *embedded_find(const struct embedded_file *files, const char *name);

#endif
