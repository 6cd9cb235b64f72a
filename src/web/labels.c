/* labels.c — see labels.h. */
#include "web/labels.h"

#include <string.h>

#include "base/buf.h"
#include "db/db.h"
#include "model/user.h"

struct label {
	const char *code, *text;
};

/* Codes of exchange-format.md and their labels, one list per field. */
static const struct label person_roles[] = { { "DEM", "Demandeur" }, { "CJT", "Conjoint" },
	{ "ENF", "Enfant" }, { "AUT", "Autre personne du foyer" }, { NULL, NULL } };
static const struct label titles[] = { { "MME", "Mme" }, { "MR", "M." }, { NULL, NULL } };
static const struct label sexes[] = { { "F", "Femme" }, { "M", "Homme" }, { NULL, NULL } };
static const struct label organisation_kinds[] = {
	{ "maison_metropole", "Maison de la Métropole" }, { "ccas", "CCAS" },
	{ "association", "Association" }, { "siae_aci", "SIAE — atelier et chantier d'insertion" },
	{ "siae_ei", "SIAE — entreprise d'insertion" },
	{ "siae_ai", "SIAE — association intermédiaire" },
	{ "siae_etti", "SIAE — entreprise de travail temporaire d'insertion" },
	{ "pole_emploi", "Agence France Travail (Pôle emploi)" },
	{ "mission_locale", "Mission locale" }, { "e2c", "École de la deuxième chance" },
	{ "training_body", "Organisme de formation" }, { "public_buyer", "Acheteur public" },
	{ "state", "Services de l'État" }, { "other", "Autre structure" }, { NULL, NULL } };
/* CNAF SITFAM codes (the flux's schema gives none: these are the CNAF's
 * list as départements' tools show it). */
static const struct label family_situations[] = { { "ABA", "Disparu (jugement d'absence)" },
	{ "CEL", "Célibataire" }, { "DIV", "Divorcé(e)" },
	{ "ISO", "Isolé(e) après vie maritale ou PACS" }, { "MAR", "Marié(e)" },
	{ "PAC", "Pacsé(e)" }, { "RPA", "Reprise de vie commune après PACS" },
	{ "RVC", "Reprise de vie commune" }, { "RVM", "Reprise de vie maritale" },
	{ "SEF", "Séparé(e) de fait" }, { "SEL", "Séparé(e) légalement" },
	{ "VEU", "Veuf, veuve" }, { "VIM", "Vie maritale" }, { NULL, NULL } };
/* ETATDOSRSA. */
static const struct label right_states[] = { { "0", "Nouvelle demande en attente" },
	{ "1", "Droit refusé" }, { "2", "Droit ouvert et versable" },
	{ "3", "Droit ouvert, suspendu (montant non versable)" },
	{ "4", "Droit ouvert, versement suspendu" }, { "5", "Droit clos" },
	{ "6", "Droit clos sur mois antérieur" }, { NULL, NULL } };
static const struct label paying_bodies[] = { { "CAF", "CAF" }, { "MSA", "MSA" },
	{ NULL, NULL } };

/* The path (issue 3). */
static const struct label orientation_itinerary[] = {
	{ "social", "Social" },
	{ "socio_professional", "Socio-professionnel" },
	{ "professional", "Professionnel (France Travail)" },
	{ NULL, NULL } };
static const struct label diagnostic_autonomy[] = {
	{ "autonomous", "Autonome" },
	{ "needs_support", "A besoin d'un accompagnement" },
	{ "needs_reinforced_support", "A besoin d'un accompagnement renforcé" },
	{ NULL, NULL } };
static const struct label diagnostic_barriers[] = {
	{ "mobility", "Mobilité" },
	{ "housing", "Logement" },
	{ "health", "Santé" },
	{ "childcare", "Garde d'enfants" },
	{ "language", "Langue" },
	{ "digital", "Numérique" },
	{ "finances", "Finances" },
	{ "administrative", "Démarches administratives" },
	{ "justice", "Justice" },
	{ NULL, NULL } };
static const struct label contract_kind[] = {
	{ "cer", "Contrat d'engagements réciproques (CER)" },
	{ "ppae", "Projet personnalisé d'accès à l'emploi (PPAE)" },
	{ "engagement", "Contrat d'engagement (depuis 2025)" },
	{ NULL, NULL } };
static const struct label contract_actions[] = {
	{ "job_search", "Recherche d'emploi" },
	{ "training", "Formation" },
	{ "health", "Santé" },
	{ "housing", "Logement" },
	{ "mobility", "Mobilité" },
	{ "social_life", "Vie sociale" },
	{ "business_creation", "Création d'entreprise" },
	{ "other", "Autre action" },
	{ NULL, NULL } };
static const struct label contract_status[] = {
	{ "signed", "Signé" },
	{ "terminated", "Résilié" },
	{ NULL, NULL } };
static const struct label appointment_kind[] = {
	{ "orientation", "Orientation" },
	{ "accompaniment", "Accompagnement" },
	{ "contract", "Contrat" },
	{ "convocation", "Convocation" },
	{ "other", "Autre" },
	{ NULL, NULL } };
static const struct label appointment_status[] = {
	{ "planned", "Prévu" },
	{ "honored", "Honoré" },
	{ "excused", "Excusé" },
	{ "missed", "Manqué" },
	{ "cancelled", "Annulé" },
	{ NULL, NULL } };
static const struct label attendance_status[] = {
	{ "registered", "Inscrit" },
	{ "present", "Présent" },
	{ "excused", "Excusé" },
	{ "absent", "Absent" },
	{ NULL, NULL } };
static const struct label step_category[] = {
	{ "health_first_access", "Santé : premier accès aux soins" },
	{ "health_resumption", "Santé : reprise des soins" },
	{ "housing_aid", "Droits : aide au logement" },
	{ "rqth", "Droits : dossier RQTH" },
	{ "aah", "Droits : dossier AAH" },
	{ "rights_other", "Droits : autre démarche" },
	{ "training_entry", "Activité : entrée en formation" },
	{ "employment", "Activité : emploi" },
	{ "immersion", "Immersion en entreprise (PMSMP)" },
	{ NULL, NULL } };
static const struct label step_contract_type[] = {
	{ "cdd_lt_6m", "CDD de moins de 6 mois" },
	{ "cdd_ge_6m", "CDD de 6 mois ou plus" },
	{ "cdi", "CDI" },
	{ "siae", "Emploi en structure d'insertion (SIAE)" },
	{ "subsidised", "Contrat aidé" },
	{ "interim", "Intérim" },
	{ "business_creation", "Création d'entreprise" },
	{ "apprenticeship", "Apprentissage" },
	{ NULL, NULL } };

static const struct {
	const char *type, *field;
	const struct label *labels;
} lists[] = {
	{ "person", "role", person_roles },
	{ "person", "title", titles },
	{ "person", "sex", sexes },
	{ "organisation", "kind", organisation_kinds },
	{ "household", "family_situation", family_situations },
	{ "household", "paying_body", paying_bodies },
	{ "right_period", "state", right_states },
	{ "orientation", "itinerary", orientation_itinerary },
	{ "diagnostic", "autonomy", diagnostic_autonomy },
	{ "diagnostic", "barriers", diagnostic_barriers },
	{ "contract", "kind", contract_kind },
	{ "contract", "actions", contract_actions },
	{ "contract", "status", contract_status },
	{ "appointment", "kind", appointment_kind },
	{ "appointment", "status", appointment_status },
	{ "attendance", "status", attendance_status },
	{ "step", "category", step_category },
	{ "step", "contract_type", step_contract_type },
};

const char *label_of(const char *type, const char *field, const char *code)
{
	if (!code)
		return NULL;
	if (!strcmp(field, "roles")) {
		const char *l = role_label(code);
		return l != code ? l : NULL;
	}
	for (size_t i = 0; i < sizeof lists / sizeof *lists; i++) {
		if (strcmp(lists[i].type, type) || strcmp(lists[i].field, field))
			continue;
		for (const struct label *l = lists[i].labels; l->code; l++)
			if (!strcmp(l->code, code))
				return l->text;
	}
	return NULL;
}

const char *label_or_code(const char *type, const char *field, const char *code)
{
	const char *l = label_of(type, field, code);

	return l ? l : code ? code : "";
}

void label_set(json_t *obj, const char *type, const char *field)
{
	const char *l = label_of(type, field, json_string_value(json_object_get(obj, field)));
	char key[80];

	if (!l)
		return;
	snprintf(key, sizeof key, "%s_label", field);
	json_object_set_new(obj, key, json_string(l));
}

json_t *label_roles(json_t *codes)
{
	json_t *out = json_array(), *c;
	size_t i;

	json_array_foreach(codes, i, c) {
		const char *code = json_string_value(c);
		if (code)
			json_array_append_new(out, json_pack("{s:s, s:s}", "code", code, "label",
							     role_label(code)));
	}
	return out;
}

json_t *label_roles_of_text(const char *json_codes)
{
	json_t *codes = json_loads(json_codes ? json_codes : "[]", 0, NULL);
	json_t *out = label_roles(codes);

	json_decref(codes);
	return out;
}

char *label_roles_text(const char *json_codes)
{
	json_t *labels = label_roles_of_text(json_codes), *l;
	struct buf b;
	size_t i;

	buf_init(&b, 4096);
	json_array_foreach(labels, i, l)
		buf_addf(&b, "%s%s", i ? ", " : "", json_string_value(json_object_get(l, "label")));
	json_decref(labels);
	return buf_detach(&b, NULL);
}

char *label_commune_in(const char *code, const char *territory)
{
	struct buf b;

	if (!code || !territory)
		return NULL;
	buf_init(&b, 1024);
	buf_addf(&b, "%s (territoire %s)", code, territory);
	return buf_detach(&b, NULL);
}

char *label_commune(struct db *db, const char *code)
{
	struct db_stmt *st;
	char *out = NULL;

	if (!code || db_prepare(db, &st, "SELECT MIN(t.name) FROM territory_commune c JOIN "
					 "territory t ON t.id = c.territory WHERE c.commune = ?"))
		return NULL;
	db_bind_text(st, 1, code);
	if (db_step(st) == DB_ROW)
		out = label_commune_in(code, db_col_text(st, 0));
	db_finalize(st);
	return out;
}
