/* schema.c — the registry of exchange types; see schema.h. */
#include "model/schema.h"

#include <string.h>

/* In the order of exchange-format.md: export writes types in this order.
 * A new entity family adds its types here. */
const struct type_def *const schema_types[] = {
	&type_territory,
	&type_organisation,
	&type_user,
	&type_sign_in,
	&type_household,
	&type_person,
	&type_right_period,
	&type_france_travail_period,
	&type_orientation,
	&type_referent_assignment,
	&type_referent_cover,
	&type_diagnostic,
	&type_contract,
	&type_appointment,
	&type_collective_session,
	&type_attendance,
	&type_survey_response,
	&type_step,
	&type_instance,
	&type_instance_member,
	&type_sitting,
	&type_case_review,
	NULL,
};

_Static_assert(sizeof schema_types / sizeof *schema_types <= SCHEMA_MAX_TYPES + 1,
	       "raise SCHEMA_MAX_TYPES");

const struct type_def *schema_type(const char *name)
{
	for (const struct type_def *const *t = schema_types; *t; t++)
		if (strcmp((*t)->name, name) == 0)
			return *t;
	return NULL;
}

int schema_index(const struct type_def *t)
{
	for (int i = 0; schema_types[i]; i++)
		if (schema_types[i] == t)
			return i;
	return -1;
}

const struct field_def *schema_field(const struct type_def *t, const char *name)
{
	for (size_t i = 0; i < t->nfields; i++)
		if (strcmp(t->fields[i].name, name) == 0)
			return &t->fields[i];
	return NULL;
}

int schema_enum_has(const char *const *values, const char *value)
{
	for (; values && *values; values++)
		if (strcmp(*values, value) == 0)
			return 1;
	return 0;
}
