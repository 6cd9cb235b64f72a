/*
 * france_travail.c — a person's registration history at France Travail
 * (Pôle emploi): registered, ceased, removed, one period per state, as the
 * France Travail lists give it (`parcours import-ft`, docs/modules/france_travail.md).
 */
#include "model/rules.h"
#include "model/schema.h"

static const char *const ft_states[] = { "registered", "ceased", "removed", NULL };

static const struct field_def france_travail_period_fields[] = {
	{ "person", "person", FK_REF, F_REQUIRED, NULL, "person", 0, "Personne" },
	{ "start", "start_date", FK_DATE, F_REQUIRED, NULL, NULL, 0, "Début" },
	{ "end", "end_date", FK_DATE, 0, NULL, NULL, 0, "Fin" },
	{ "state", "state", FK_ENUM, F_REQUIRED, ft_states, NULL, 0, "Situation à France Travail" },
	/* Code and label as France Travail writes them (not a closed list:
	 * its codes change without notice). */
	{ "category", "category", FK_STRING, 0, NULL, NULL, 100, "Catégorie d'inscription" },
	{ "reason", "reason", FK_STRING, 0, NULL, NULL, 200, "Motif" },
};

/* One person's periods never overlap (an open end counts as 9999-12-31). */
static const char *const france_travail_period_checks[] = {
	RULES_OVERLAP("france_travail_period", "a.end_date", "b.end_date", "",
		      "la période France Travail"),
	NULL,
};

const struct type_def type_france_travail_period = {
	.name = "france_travail_period", .table = "france_travail_period",
	.label = "période France Travail", .fields = france_travail_period_fields, .nfields = 6,
	.checks = france_travail_period_checks,
};
