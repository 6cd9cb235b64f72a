/*
 * defaults.h — the defaults the exchange format states for some fields
 * (F_DEFAULT_FIRST in schema.h): the importer fills an absent field with
 * it, the exporter leaves out a field equal to it ("export omits fields
 * equal to a default stated here", exchange-format.md).
 */
#ifndef PARCOURS_DEFAULTS_H
#define PARCOURS_DEFAULTS_H
#include <jansson.h>
#include <stdlib.h>

#include "model/schema.h"

/* The default of f as a new JSON value, or NULL when the format states
 * none: values[0], read as a number for an FK_INT. */
static inline json_t *defaults_value(const struct field_def *f)
{
	if (!(f->flags & F_DEFAULT_FIRST) || !f->values || !f->values[0])
		return NULL;
	if (f->kind == FK_INT)
		return json_integer(strtoll(f->values[0], NULL, 10));
	return json_string(f->values[0]);
}

#endif
