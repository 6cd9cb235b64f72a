/*
 * path.c — the beneficiary's path, first part (exchange-format.md, "The
 * path"): orientations, référent assignments, diagnostics, contracts.
 * The rules a record shows alone are in the validate() functions; the
 * rules across records are the `checks` queries (portable SQL, one row
 * (id, field, reason) per record that breaks one). docs/modules/path.md
 * lists them all.
 */
#include <string.h>

#include "base/date.h"
#include "model/path.h"
#include "model/problems.h"
#include "model/rules.h"
#include "model/schema.h"

/* A référent named on a current or future record of `table` (alias a, with
 * columns referent and organisation; `end` its end) is an account of that
 * organisation with the referent role (rules.h; account.c checks it from the
 * account). A record that has ended is history: the account may have moved
 * since. */
#define PATH_REFERENT_CHECKS(table, end)                                                          \
	"SELECT a.id, 'referent', 'le compte ' || u.id || ' n''appartient pas à la structure ' "  \
	"|| a.organisation FROM " table " a JOIN account u ON u.id = a.referent "                \
	"WHERE " RULES_NOT_MEMBER " AND " RULES_CURRENT(end),                                     \
	"SELECT a.id, 'referent', 'le compte ' || u.id || ' n''a pas le rôle référent' "         \
	"FROM " table " a JOIN account u ON u.id = a.referent "                                   \
	"WHERE " RULES_NOT_REFERENT " AND " RULES_CURRENT(end)

const char *const path_itineraries[] = { "social", "socio_professional", "professional", NULL };

static const char *const orientation_origins[] = { "initial", "reorientation", "move", "default",
	NULL };

static void orientation_validate(json_t *rec, struct problems *pb)
{
	const char *origin = json_string_value(json_object_get(rec, "origin"));

	if (origin && strcmp(origin, "reorientation") == 0 &&
	    !json_string_value(json_object_get(rec, "case_review")))
		problem_add(pb, "case_review",
			    "une réorientation renvoie à l'examen de l'équipe pluridisciplinaire "
			    "qui l'a proposée (avis favorable)");
}

static const struct field_def orientation_fields[] = {
	{ "person", "person", FK_REF, F_REQUIRED, NULL, "person", 0, "Personne" },
	{ "decided_on", "decided_on", FK_DATE, F_REQUIRED, NULL, NULL, 0, "Décidée le" },
	{ "start", "start_date", FK_DATE, F_REQUIRED, NULL, NULL, 0, "Début" },
	{ "end", "end_date", FK_DATE, 0, NULL, NULL, 0, "Fin" },
	{ "itinerary", "itinerary", FK_ENUM, F_REQUIRED, path_itineraries, NULL, 0, "Itinéraire" },
	{ "organisation", "organisation", FK_REF, F_REQUIRED, NULL, "organisation", 0,
	  "Structure" },
	{ "referent", "referent", FK_REF, 0, NULL, "user", 0, "Référent" },
	{ "origin", "origin", FK_ENUM, F_REQUIRED, orientation_origins, NULL, 0, "Origine" },
	{ "case_review", "case_review", FK_REF, 0, NULL, "case_review", 0,
	  "Examen en équipe pluridisciplinaire" },
};

static const char *const orientation_checks[] = {
	RULES_OVERLAP("orientation", "a.end_date", "b.end_date", "", "l''orientation"),
	"SELECT a.id, 'organisation', 'une structure de type ' || o.kind || "
	"' ne porte pas l''itinéraire ' || a.itinerary "
	"FROM orientation a JOIN organisation o ON o.id = a.organisation WHERE NOT (" RULES_FITS ")",
	PATH_REFERENT_CHECKS("orientation", "a.end_date"),
	"SELECT a.id, 'case_review', 'l''examen ' || c.id || ' concerne une autre personne' "
	"FROM orientation a JOIN case_review c ON c.id = a.case_review WHERE c.person <> a.person",
	"SELECT a.id, 'case_review', 'l''examen ' || c.id || ' n''a pas rendu d''avis favorable : "
	"une réorientation en a besoin' FROM orientation a JOIN case_review c ON c.id = a.case_review "
	"WHERE a.origin = 'reorientation' AND (c.opinion IS NULL OR c.opinion <> 'favourable')",
	NULL,
};

const struct type_def type_orientation = {
	.name = "orientation", .table = "orientation", .label = "orientation",
	.fields = orientation_fields, .nfields = 9, .validate = orientation_validate,
	.checks = orientation_checks,
};

static const struct field_def referent_assignment_fields[] = {
	{ "person", "person", FK_REF, F_REQUIRED, NULL, "person", 0, "Personne" },
	{ "referent", "referent", FK_REF, F_REQUIRED, NULL, "user", 0, "Référent" },
	{ "organisation", "organisation", FK_REF, F_REQUIRED, NULL, "organisation", 0,
	  "Structure" },
	{ "start", "start_date", FK_DATE, F_REQUIRED, NULL, NULL, 0, "Début" },
	{ "end", "end_date", FK_DATE, 0, NULL, NULL, 0, "Fin" },
};

static const char *const referent_assignment_checks[] = {
	RULES_OVERLAP("referent_assignment", "a.end_date", "b.end_date", "", "la désignation de référent"),
	PATH_REFERENT_CHECKS("referent_assignment", "a.end_date"),
	NULL,
};

const struct type_def type_referent_assignment = {
	.name = "referent_assignment", .table = "referent_assignment",
	.label = "désignation de référent", .fields = referent_assignment_fields, .nfields = 5,
	.checks = referent_assignment_checks,
};

static const char *const autonomy_levels[] = { "autonomous", "needs_support",
	"needs_reinforced_support", NULL };
static const char *const barriers[] = { "mobility", "housing", "health", "childcare", "language",
	"digital", "finances", "administrative", "justice", NULL };

static const struct field_def diagnostic_fields[] = {
	{ "person", "person", FK_REF, F_REQUIRED, NULL, "person", 0, "Personne" },
	{ "date", "on_date", FK_DATE, F_REQUIRED, NULL, NULL, 0, "Date" },
	{ "author", "author", FK_REF, 0, NULL, "user", 0, "Auteur" },
	{ "autonomy", "autonomy", FK_ENUM, F_REQUIRED, autonomy_levels, NULL, 0,
	  "Niveau d'autonomie" },
	{ "barriers", "barriers", FK_ENUM_LIST, F_REQUIRED, barriers, NULL, 0, "Freins" },
};

const struct type_def type_diagnostic = {
	.name = "diagnostic", .table = "diagnostic", .label = "diagnostic",
	.fields = diagnostic_fields, .nfields = 5,
};

static const char *const contract_kinds[] = { "cer", "ppae", "engagement", NULL };
static const char *const contract_actions[] = { "job_search", "training", "health", "housing",
	"mobility", "social_life", "business_creation", "other", NULL };
/* The first is the default (F_DEFAULT_FIRST). */
static const char *const contract_statuses[] = { "signed", "terminated", NULL };

/* The contrat d'engagement of the 2023 law exists from 1 January 2025. */
#define PATH_ENGAGEMENT_FROM "2025-01-01"

static void contract_termination(json_t *rec, struct problems *pb)
{
	const char *status = json_string_value(json_object_get(rec, "status"));
	const char *on = json_string_value(json_object_get(rec, "terminated_on"));
	const char *start = json_string_value(json_object_get(rec, "start"));
	const char *end = json_string_value(json_object_get(rec, "end"));
	int terminated = status && strcmp(status, "terminated") == 0;

	if (terminated && !on)
		problem_add(pb, "terminated_on", "un contrat résilié a une date de résiliation");
	else if (!terminated && on)
		problem_add(pb, "terminated_on",
			    "une date de résiliation ne va qu'avec le statut « terminated »");
	else if (on && start && strcmp(on, start) < 0)
		problem_add(pb, "terminated_on", "la résiliation (%s) précède le début (%s)", on,
			    start);
	else if (on && end && strcmp(on, end) > 0)
		problem_add(pb, "terminated_on", "la résiliation (%s) suit la fin (%s)", on, end);
}

static void contract_validate(json_t *rec, struct problems *pb)
{
	const char *kind = json_string_value(json_object_get(rec, "kind"));
	const char *start = json_string_value(json_object_get(rec, "start"));

	contract_termination(rec, pb);
	if (kind && start && strcmp(kind, "engagement") == 0 &&
	    strcmp(start, PATH_ENGAGEMENT_FROM) < 0)
		problem_add(pb, "kind", "le contrat d'engagement n'existe qu'à partir du "
					"1er janvier 2025");
}

static const struct field_def contract_fields[] = {
	{ "person", "person", FK_REF, F_REQUIRED, NULL, "person", 0, "Personne" },
	{ "kind", "kind", FK_ENUM, F_REQUIRED, contract_kinds, NULL, 0, "Type de contrat" },
	{ "organisation", "organisation", FK_REF, F_REQUIRED, NULL, "organisation", 0,
	  "Structure" },
	{ "referent", "referent", FK_REF, 0, NULL, "user", 0, "Référent" },
	{ "signed_on", "signed_on", FK_DATE, F_REQUIRED, NULL, NULL, 0, "Signé le" },
	{ "start", "start_date", FK_DATE, F_REQUIRED, NULL, NULL, 0, "Début" },
	{ "end", "end_date", FK_DATE, F_REQUIRED, NULL, NULL, 0, "Fin" },
	{ "actions", "actions", FK_ENUM_LIST, F_REQUIRED, contract_actions, NULL, 0, "Actions" },
	{ "status", "status", FK_ENUM, F_DEFAULT_FIRST, contract_statuses, NULL, 0, "Statut" },
	{ "terminated_on", "terminated_on", FK_DATE, 0, NULL, NULL, 0, "Résilié le" },
};

/* CER and engagement contracts of one person never overlap; a terminated
 * contract ends on its termination, so that the next one may start the
 * day after. A PPAE is the Pôle emploi contract. */
static const char *const contract_checks[] = {
	RULES_OVERLAP("contract", "a.terminated_on, a.end_date", "b.terminated_on, b.end_date",
		     "AND a.kind IN ('cer', 'engagement') "
		     "AND b.kind IN ('cer', 'engagement')", "le contrat"),
	PATH_REFERENT_CHECKS("contract", RULES_CONTRACT_END),
	"SELECT a.id, 'organisation', 'un PPAE est signé avec Pôle emploi, pas avec une structure "
	"de type ' || o.kind FROM contract a JOIN organisation o ON o.id = a.organisation "
	"WHERE " RULES_PPAE_MISFIT,
	NULL,
};

const struct type_def type_contract = {
	.name = "contract", .table = "contract", .label = "contrat",
	.fields = contract_fields, .nfields = 10, .validate = contract_validate,
	.checks = contract_checks,
};
