/*
 * territory.c — territories and organisations (exchange-format.md,
 * "Territory, organisations, accounts").
 */
#include <ctype.h>
#include <string.h>

#include "base/text.h"
#include "db/db.h"
#include "model/problems.h"
#include "model/rules.h"
#include "model/schema.h"

static void territory_validate(json_t *rec, struct problems *pb)
{
	json_t *communes = json_object_get(rec, "communes"), *c;
	size_t i;

	json_array_foreach(communes, i, c) {
		if (!insee_valid(json_string_value(c)))
			problem_add(pb, "communes",
				    "« %s » n'est pas un code commune INSEE (5 caractères)",
				    json_string_value(c) ? json_string_value(c) : "?");
	}
}

/* territory_commune mirrors territory.communes so that the territory of a
 * household without one is found by its commune (indicators.md). */
static int territory_after_write(struct db *db, const char *id, json_t *rec)
{
	json_t *c;
	size_t i;

	if (db_execf(db, "DELETE FROM territory_commune WHERE territory = ?", "s", id))
		return -1;
	json_array_foreach(json_object_get(rec, "communes"), i, c) {
		if (db_execf(db, "INSERT INTO territory_commune (territory, commune) VALUES (?, ?) "
				 "ON CONFLICT DO NOTHING", "ss", id, json_string_value(c)))
			return -1;
	}
	return 0;
}

static const struct field_def territory_fields[] = {
	{ "name", "name", FK_STRING, F_REQUIRED, NULL, NULL, 200, "Nom" },
	{ "communes", "communes", FK_STRING_LIST, 0, NULL, NULL, 5, "Communes (codes INSEE)" },
};

const struct type_def type_territory = {
	.name = "territory", .table = "territory", .label = "territoire",
	.fields = territory_fields, .nfields = 2,
	.validate = territory_validate, .after_write = territory_after_write,
};

const char *const organisation_kinds[] = { "maison_metropole", "ccas", "association", "siae_aci",
	"siae_ei", "siae_ai", "siae_etti", "pole_emploi", "mission_locale", "e2c", "training_body",
	"public_buyer", "state", "other", NULL };

/* A French postal code: 5 digits, the first two a département (01 to 98;
 * 97 and 98 are overseas and Monaco). */
static int postal_code_valid(const char *s)
{
	for (int i = 0; i < 5; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return s[5] == '\0' && !(s[0] == '0' && s[1] == '0') && !(s[0] == '9' && s[1] == '9');
}

/* The contact fields are printed in a letter's sender block one per line:
 * a line break inside one would split it, and the web form's one-line
 * input would silently drop it on the next save (browsers remove line
 * breaks from a text input's value). */
static void organisation_contact_validate(json_t *rec, struct problems *pb)
{
	static const char *const one_line[] = { "address", "city", "phone", "email" };
	const char *code = json_string_value(json_object_get(rec, "postal_code"));
	const char *city = json_string_value(json_object_get(rec, "city"));

	for (size_t i = 0; i < sizeof one_line / sizeof one_line[0]; i++) {
		const char *v = json_string_value(json_object_get(rec, one_line[i]));
		if (v && strpbrk(v, "\r\n"))
			problem_add(pb, one_line[i], "%s",
				    i == 0 ? "l'adresse s'écrit sur une ligne : séparez ses parties par "
					     "une virgule (« 12 rue de la Gare, bâtiment B »)"
					   : "le texte s'écrit sur une ligne (pas de retour à la ligne)");
	}
	if (code && !postal_code_valid(code))
		problem_add(pb, "postal_code",
			    "« %s » n'est pas un code postal : 5 chiffres, par exemple 69003", code);
	/* The last line of a postal address is "69003 Lyon": one without the
	 * other cannot be delivered. */
	if (code && *code && !(city && *city))
		problem_add(pb, "city", "la commune accompagne le code postal");
	if (city && *city && !(code && *code))
		problem_add(pb, "postal_code", "le code postal accompagne la commune");
}

static void organisation_validate(json_t *rec, struct problems *pb)
{
	const char *siret = json_string_value(json_object_get(rec, "siret"));

	if (siret && !siret_valid(siret))
		problem_add(pb, "siret", "le SIRET compte 14 chiffres avec une clé de Luhn valide");
	organisation_contact_validate(rec, pb);
}

static char *organisation_search_key(json_t *rec)
{
	return text_fold(json_string_value(json_object_get(rec, "name")));
}

static const struct derived_column organisation_derived[] = {
	{ "search_key", organisation_search_key },
	{ NULL, NULL },
};

static const struct field_def organisation_fields[] = {
	{ "name", "name", FK_STRING, F_REQUIRED, NULL, NULL, 200, "Nom" },
	{ "kind", "kind", FK_ENUM, F_REQUIRED, organisation_kinds, NULL, 0, "Type de structure" },
	{ "territory", "territory", FK_REF, 0, NULL, "territory", 0, "Territoire" },
	{ "siret", "siret", FK_STRING, 0, NULL, NULL, 14, "SIRET" },
	/* The postal contact the letters print (0009_organisation_address.sql). */
	{ "address", "address", FK_STRING, 0, NULL, NULL, 200, "Adresse" },
	{ "postal_code", "postal_code", FK_STRING, 0, NULL, NULL, 5, "Code postal" },
	{ "city", "city", FK_STRING, 0, NULL, NULL, 100, "Commune" },
	{ "phone", "phone", FK_STRING, 0, NULL, NULL, 30, "Téléphone" },
	{ "email", "email", FK_STRING, 0, NULL, NULL, 254, "Courriel" },
};

/* The rules of path.c on the organisation's kind, seen from the
 * organisation whose kind changed (every record, past ones included: a
 * kind says what the structure is, it does not move like an account). */
static const char *const organisation_checks[] = {
	"SELECT o.id, 'kind', 'l''orientation ' || a.id || ' (itinéraire ' || a.itinerary || "
	"') s''appuie sur cette structure : le type ' || o.kind || ' ne porte pas cet itinéraire' "
	"FROM organisation o JOIN orientation a ON a.organisation = o.id WHERE NOT (" RULES_FITS ")",
	"SELECT o.id, 'kind', 'le PPAE ' || a.id || ' est signé avec cette structure : elle reste "
	"de type pole_emploi' FROM organisation o JOIN contract a ON a.organisation = o.id "
	"WHERE " RULES_PPAE_MISFIT,
	NULL,
};

const struct type_def type_organisation = {
	.name = "organisation", .table = "organisation", .label = "structure",
	.fields = organisation_fields, .nfields = 9, .derived = organisation_derived,
	.validate = organisation_validate, .checks = organisation_checks,
};
