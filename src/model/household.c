/*
 * household.c — households (foyers), people and their RSA right periods.
 */
#include <ctype.h>
#include <string.h>

#include "base/date.h"
#include "base/text.h"
#include "model/problems.h"
#include "model/rules.h"
#include "model/schema.h"

static const char *const paying_bodies[] = { "CAF", "MSA", NULL };

static void household_validate(json_t *rec, struct problems *pb)
{
	const char *caf = json_string_value(json_object_get(rec, "caf_number"));
	const char *commune = json_string_value(json_object_get(rec, "commune"));

	if (caf) {
		size_t n = strlen(caf);
		int ok = n >= 1 && n <= 15;
		for (size_t i = 0; i < n; i++)
			ok = ok && isdigit((unsigned char)caf[i]);
		if (!ok)
			problem_add(pb, "caf_number", "le matricule CAF ne contient que des chiffres");
	}
	if (commune && !insee_valid(commune))
		problem_add(pb, "commune", "« %s » n'est pas un code commune INSEE (5 caractères)",
			    commune);
}

static const struct field_def household_fields[] = {
	{ "caf_number", "caf_number", FK_STRING, 0, NULL, NULL, 15, "Matricule CAF" },
	{ "paying_body", "paying_body", FK_ENUM, 0, paying_bodies, NULL, 0, "Organisme payeur" },
	{ "rsa_request_number", "rsa_request_number", FK_STRING, 0, NULL, NULL, 30,
	  "N° de demande RSA" },
	{ "rsa_request_date", "rsa_request_date", FK_DATE, 0, NULL, NULL, 0, "Date de demande RSA" },
	{ "commune", "commune", FK_STRING, 0, NULL, NULL, 5, "Commune (INSEE)" },
	{ "territory", "territory", FK_REF, 0, NULL, "territory", 0, "Territoire" },
	{ "family_situation", "family_situation", FK_STRING, 0, NULL, NULL, 3,
	  "Situation familiale" },
};

const struct type_def type_household = {
	.name = "household", .table = "household", .label = "foyer",
	.fields = household_fields, .nfields = 7, .validate = household_validate,
};

static const char *const person_roles[] = { "DEM", "CJT", "ENF", "AUT", NULL };
static const char *const sexes[] = { "F", "M", NULL };
static const char *const titles[] = { "MME", "MR", NULL };

static void person_validate(json_t *rec, struct problems *pb)
{
	const char *nir = json_string_value(json_object_get(rec, "nir"));
	const char *ft = json_string_value(json_object_get(rec, "france_travail_id"));
	const char *birth = json_string_value(json_object_get(rec, "birth_date"));
	const char *why;
	long days;

	if (nir && (why = nir_problem(nir)) != NULL)
		problem_add(pb, "nir", "%s", why);
	if (birth && !date_parse(birth, &days) && days > date_today())
		problem_add(pb, "birth_date", "la date de naissance est dans le futur");
	if (ft) {
		/* France Travail identifier: 7 digits, a letter or digit, 3 digits. */
		int ok = strlen(ft) == 11;
		for (int i = 0; ok && i < 11; i++)
			ok = i == 7 ? isalnum((unsigned char)ft[i]) && !islower((unsigned char)ft[i])
				    : isdigit((unsigned char)ft[i]);
		if (!ok)
			problem_add(pb, "france_travail_id",
				    "l'identifiant France Travail a la forme 1234567A123");
	}
}

/* What people type in the search box: last name, first name, birth name. */
static char *person_search_key(json_t *rec)
{
	char text[700];
	const char *birth_name = json_string_value(json_object_get(rec, "birth_name"));

	snprintf(text, sizeof text, "%s %s %s", json_string_value(json_object_get(rec, "last_name")),
		 json_string_value(json_object_get(rec, "first_name")), birth_name ? birth_name : "");
	return text_fold(text);
}

static const struct derived_column person_derived[] = {
	{ "search_key", person_search_key },
	{ NULL, NULL },
};

static const struct field_def person_fields[] = {
	{ "household", "household", FK_REF, F_REQUIRED, NULL, "household", 0, "Foyer" },
	{ "role", "role", FK_ENUM, F_REQUIRED, person_roles, NULL, 0, "Rôle dans le foyer" },
	{ "first_name", "first_name", FK_STRING, F_REQUIRED, NULL, NULL, 100, "Prénom" },
	{ "last_name", "last_name", FK_STRING, F_REQUIRED, NULL, NULL, 100, "Nom" },
	{ "birth_name", "birth_name", FK_STRING, 0, NULL, NULL, 100, "Nom de naissance" },
	{ "birth_date", "birth_date", FK_DATE, F_REQUIRED, NULL, NULL, 0, "Date de naissance" },
	{ "sex", "sex", FK_ENUM, F_REQUIRED, sexes, NULL, 0, "Sexe" },
	{ "title", "title", FK_ENUM, 0, titles, NULL, 0, "Civilité" },
	{ "nir", "nir", FK_STRING, 0, NULL, NULL, 15, "NIR" },
	{ "france_travail_id", "france_travail_id", FK_STRING, 0, NULL, NULL, 11,
	  "Identifiant France Travail" },
	{ "phone", "phone", FK_STRING, 0, NULL, NULL, 30, "Téléphone" },
	{ "email", "email", FK_STRING, 0, NULL, NULL, 254, "Adresse électronique" },
	{ "address", "address", FK_STRING, 0, NULL, NULL, 500, "Adresse" },
};

const struct type_def type_person = {
	.name = "person", .table = "person", .label = "personne",
	.fields = person_fields, .nfields = 13, .derived = person_derived,
	.validate = person_validate,
};

static const char *const right_states[] = { "0", "1", "2", "3", "4", "5", "6", NULL };

static const struct field_def right_period_fields[] = {
	{ "person", "person", FK_REF, F_REQUIRED, NULL, "person", 0, "Personne" },
	{ "start", "start_date", FK_DATE, F_REQUIRED, NULL, NULL, 0, "Début" },
	{ "end", "end_date", FK_DATE, 0, NULL, NULL, 0, "Fin" },
	{ "state", "state", FK_ENUM, F_REQUIRED, right_states, NULL, 0, "État du droit" },
	{ "subject_to_duties", "subject_to_duties", FK_BOOL, F_REQUIRED, NULL, NULL, 0,
	  "Soumis aux droits et devoirs" },
};

/* A person's right periods never overlap (exchange-format.md). */
static const char *const right_period_checks[] = {
	RULES_OVERLAP("right_period", "a.end_date", "b.end_date", "", "la période de droit"),
	NULL,
};

const struct type_def type_right_period = {
	.name = "right_period", .table = "right_period", .label = "période de droit RSA",
	.fields = right_period_fields, .nfields = 5, .checks = right_period_checks,
};
