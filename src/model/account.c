/*
 * account.c — user accounts and their sign-ins (exchange type `user`,
 * table `account`; `sign_in`).
 */
#include <string.h>

#include "base/date.h"
#include "base/text.h"
#include "model/problems.h"
#include "model/rules.h"
#include "model/schema.h"

const char *const user_roles[] = { "referent", "orientation_officer", "instance_secretary",
	"programme_manager", "clee", "clause_facilitator", "faj_officer", "analyst", "admin", NULL };

/* The account's sign-in identifier: exactly one '@', with text before it
 * and a domain after it that holds a dot between two names; no space. */
static int email_shaped(const char *email)
{
	const char *at = strchr(email, '@'), *dot;

	if (!at || at == email || strchr(at + 1, '@') || strpbrk(email, " \t"))
		return 0;
	dot = strrchr(at + 1, '.');
	return dot && dot > at + 1 && dot[1] != '\0' && !strstr(at + 1, "..") && at[1] != '.';
}

static void user_validate(json_t *rec, struct problems *pb)
{
	const char *email = json_string_value(json_object_get(rec, "email"));
	const char *created = json_string_value(json_object_get(rec, "created_on"));
	const char *disabled = json_string_value(json_object_get(rec, "disabled_on"));

	if (email && !email_shaped(email))
		problem_add(pb, "email", "« %s » n'est pas une adresse électronique", email);
	if (json_array_size(json_object_get(rec, "roles")) == 0)
		problem_add(pb, "roles", "un compte a au moins un rôle");
	if (created && disabled && strcmp(disabled, created) < 0)
		problem_add(pb, "disabled_on", "la désactivation précède la création du compte");
}

static char *user_search_key(json_t *rec)
{
	char name[420];

	snprintf(name, sizeof name, "%s %s", json_string_value(json_object_get(rec, "last_name")),
		 json_string_value(json_object_get(rec, "first_name")));
	return text_fold(name);
}

static const struct derived_column user_derived[] = {
	{ "search_key", user_search_key },
	{ NULL, NULL },
};

static const struct field_def user_fields[] = {
	{ "email", "email", FK_STRING, F_REQUIRED, NULL, NULL, 254, "Adresse électronique" },
	{ "first_name", "first_name", FK_STRING, F_REQUIRED, NULL, NULL, 100, "Prénom" },
	{ "last_name", "last_name", FK_STRING, F_REQUIRED, NULL, NULL, 100, "Nom" },
	{ "organisation", "organisation", FK_REF, F_REQUIRED, NULL, "organisation", 0, "Structure" },
	{ "roles", "roles", FK_ENUM_LIST, F_REQUIRED, user_roles, NULL, 0, "Rôles" },
	{ "health_accredited", "health_accredited", FK_BOOL, F_DEFAULT_FALSE, NULL, NULL, 0,
	  "Habilitation santé" },
	{ "created_on", "created_on", FK_DATE, 0, NULL, NULL, 0, "Créé le" },
	{ "disabled_on", "disabled_on", FK_DATE, 0, NULL, NULL, 0, "Désactivé le" },
	{ "function", "job_function", FK_STRING, 0, NULL, NULL, 200, "Fonction" },
};

static const char *const user_checks[] = {
	"SELECT a.id, 'email', 'adresse déjà utilisée par le compte ' || b.id "
	"FROM account a JOIN account b ON lower(a.email) = lower(b.email) AND a.id <> b.id",
	/* The référent rules of path.c, seen from the account whose organisation
	 * or roles changed: only current and future records hold it. */
	RULES_REFERENT_MIRROR("orientation", "a.end_date", "de l''orientation"),
	RULES_REFERENT_MIRROR("referent_assignment", "a.end_date", "de la désignation"),
	RULES_REFERENT_MIRROR("contract", RULES_CONTRACT_END, "du contrat"),
	NULL,
};

const struct type_def type_user = {
	.name = "user", .table = "account", .label = "compte",
	.fields = user_fields, .nfields = 9, .derived = user_derived,
	.validate = user_validate, .checks = user_checks,
};

static const struct field_def sign_in_fields[] = {
	{ "user", "account", FK_REF, F_REQUIRED, NULL, "user", 0, "Compte" },
	{ "at", "at", FK_DATETIME, F_REQUIRED, NULL, NULL, 0, "Date et heure" },
};

const struct type_def type_sign_in = {
	.name = "sign_in", .table = "sign_in", .label = "connexion",
	.fields = sign_in_fields, .nfields = 2,
};
