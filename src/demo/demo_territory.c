/*
 * demo_territory.c — the Métropole de Lyon: its territories and communes,
 * the organisations of its insertion programme, and the people who work in
 * them (the demo accounts and their colleagues).
 *
 * Territories follow the social action map of the Maisons de la Métropole
 * (Lyon by groups of arrondissements, then the conferences of mayors around
 * it); the four territories of the 2016 mental-health experiment named in the
 * 2017 report (Lyon 1er-2e-4e, the Lônes et Coteaux with Oullins, Irigny,
 * Givors and Saint-Genis-Laval, Villeurbanne, Vénissieux-Saint-Fons) are
 * among them. The 59 communes carry their INSEE codes (Lyon by its nine
 * arrondissements, 69381–69389, as the exchange format asks).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "demo/demo_internal.h"

#define DEMO_COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define DEMO_NO_TERRITORY (-1)

/* ---- territories and communes ----------------------------------------- */

enum {
	T_LYON_124,
	T_LYON_36,
	T_LYON_59,
	T_LYON_78,
	T_VILLEURBANNE,
	T_VENISSIEUX,
	T_PORTES_SUD,
	T_RHONE_AMONT,
	T_LONES,
	T_OUEST,
	T_VAL_SAONE,
};

const struct demo_territory demo_territories[] = {
	[T_LYON_124] = { "terr-lyon-1-2-4", "Lyon 1er-2e-4e" },
	[T_LYON_36] = { "terr-lyon-3-6", "Lyon 3e-6e" },
	[T_LYON_59] = { "terr-lyon-5-9", "Lyon 5e-9e" },
	[T_LYON_78] = { "terr-lyon-7-8", "Lyon 7e-8e" },
	[T_VILLEURBANNE] = { "terr-villeurbanne", "Villeurbanne" },
	[T_VENISSIEUX] = { "terr-venissieux-saint-fons", "Vénissieux-Saint-Fons" },
	[T_PORTES_SUD] = { "terr-portes-du-sud", "Portes du Sud" },
	[T_RHONE_AMONT] = { "terr-rhone-amont", "Rhône Amont" },
	[T_LONES] = { "terr-lones-coteaux", "Lônes et Coteaux du Rhône" },
	[T_OUEST] = { "terr-ouest-nord-yzeron", "Ouest Nord et Val d'Yzeron" },
	[T_VAL_SAONE] = { "terr-val-de-saone-plateau-nord", "Val de Saône et Plateau Nord" },
};
const size_t demo_territory_count = DEMO_COUNT(demo_territories);

/*
 * Weights: roughly the RSA households of each commune (the eastern and
 * southern communes and Lyon's 8e and 9e carry most of them; the Monts d'Or
 * very few).
 */
const struct demo_commune demo_communes[] = {
	{ "69381", "Lyon 1er", T_LYON_124, 800, "69001" },
	{ "69382", "Lyon 2e", T_LYON_124, 500, "69002" },
	{ "69384", "Lyon 4e", T_LYON_124, 450, "69004" },
	{ "69383", "Lyon 3e", T_LYON_36, 2200, "69003" },
	{ "69386", "Lyon 6e", T_LYON_36, 600, "69006" },
	{ "69385", "Lyon 5e", T_LYON_59, 1000, "69005" },
	{ "69389", "Lyon 9e", T_LYON_59, 2600, "69009" },
	{ "69387", "Lyon 7e", T_LYON_78, 2100, "69007" },
	{ "69388", "Lyon 8e", T_LYON_78, 3400, "69008" },
	{ "69266", "Villeurbanne", T_VILLEURBANNE, 4300, "69100" },
	{ "69259", "Vénissieux", T_VENISSIEUX, 3800, "69200" },
	{ "69199", "Saint-Fons", T_VENISSIEUX, 1100, "69190" },
	{ "69029", "Bron", T_PORTES_SUD, 1500, "69500" },
	{ "69290", "Saint-Priest", T_PORTES_SUD, 1500, "69800" },
	{ "69271", "Chassieu", T_PORTES_SUD, 90, "69680" },
	{ "69273", "Corbas", T_PORTES_SUD, 200, "69960" },
	{ "69276", "Feyzin", T_PORTES_SUD, 280, "69320" },
	{ "69283", "Mions", T_PORTES_SUD, 150, "69780" },
	{ "69296", "Solaize", T_PORTES_SUD, 30, "69360" },
	{ "69256", "Vaulx-en-Velin", T_RHONE_AMONT, 3700, "69120" },
	{ "69275", "Décines-Charpieu", T_RHONE_AMONT, 700, "69150" },
	{ "69282", "Meyzieu", T_RHONE_AMONT, 600, "69330" },
	{ "69279", "Jonage", T_RHONE_AMONT, 60, "69330" },
	{ "69149", "Oullins", T_LONES, 600, "69600" },
	{ "69152", "Pierre-Bénite", T_LONES, 350, "69310" },
	{ "69142", "La Mulatière", T_LONES, 150, "69350" },
	{ "69100", "Irigny", T_LONES, 130, "69540" },
	{ "69204", "Saint-Genis-Laval", T_LONES, 400, "69230" },
	{ "69046", "Charly", T_LONES, 30, "69390" },
	{ "69260", "Vernaison", T_LONES, 40, "69390" },
	{ "69091", "Givors", T_LONES, 1300, "69700" },
	{ "69096", "Grigny", T_LONES, 350, "69520" },
	{ "69202", "Sainte-Foy-lès-Lyon", T_OUEST, 300, "69110" },
	{ "69089", "Francheville", T_OUEST, 150, "69340" },
	{ "69069", "Craponne", T_OUEST, 100, "69290" },
	{ "69244", "Tassin-la-Demi-Lune", T_OUEST, 250, "69160" },
	{ "69205", "Saint-Genis-les-Ollières", T_OUEST, 40, "69290" },
	{ "69044", "Charbonnières-les-Bains", T_OUEST, 50, "69260" },
	{ "69127", "Marcy-l'Étoile", T_OUEST, 30, "69280" },
	{ "69250", "La Tour-de-Salvagny", T_OUEST, 30, "69890" },
	{ "69072", "Dardilly", T_OUEST, 70, "69570" },
	{ "69081", "Écully", T_OUEST, 300, "69130" },
	{ "69116", "Limonest", T_OUEST, 30, "69760" },
	{ "69117", "Lissieu", T_OUEST, 15, "69380" },
	{ "69040", "Champagne-au-Mont-d'Or", T_OUEST, 70, "69410" },
	{ "69194", "Saint-Didier-au-Mont-d'Or", T_OUEST, 40, "69370" },
	{ "69034", "Caluire-et-Cuire", T_VAL_SAONE, 550, "69300" },
	{ "69286", "Rillieux-la-Pape", T_VAL_SAONE, 1600, "69140" },
	{ "69292", "Sathonay-Camp", T_VAL_SAONE, 80, "69580" },
	{ "69293", "Sathonay-Village", T_VAL_SAONE, 15, "69580" },
	{ "69033", "Cailloux-sur-Fontaines", T_VAL_SAONE, 15, "69270" },
	{ "69087", "Fontaines-Saint-Martin", T_VAL_SAONE, 25, "69270" },
	{ "69088", "Fontaines-sur-Saône", T_VAL_SAONE, 130, "69270" },
	{ "69168", "Rochetaillée-sur-Saône", T_VAL_SAONE, 15, "69270" },
	{ "69085", "Fleurieu-sur-Saône", T_VAL_SAONE, 20, "69250" },
	{ "69143", "Neuville-sur-Saône", T_VAL_SAONE, 280, "69250" },
	{ "69278", "Genay", T_VAL_SAONE, 50, "69730" },
	{ "69284", "Montanay", T_VAL_SAONE, 15, "69250" },
	{ "69163", "Quincieux", T_VAL_SAONE, 20, "69650" },
	{ "69003", "Albigny-sur-Saône", T_VAL_SAONE, 20, "69250" },
	{ "69071", "Curis-au-Mont-d'Or", T_VAL_SAONE, 5, "69250" },
	{ "69068", "Couzon-au-Mont-d'Or", T_VAL_SAONE, 15, "69270" },
	{ "69233", "Saint-Romain-au-Mont-d'Or", T_VAL_SAONE, 5, "69270" },
	{ "69207", "Saint-Germain-au-Mont-d'Or", T_VAL_SAONE, 20, "69650" },
	{ "69153", "Poleymieux-au-Mont-d'Or", T_VAL_SAONE, 5, "69250" },
	{ "69063", "Collonges-au-Mont-d'Or", T_VAL_SAONE, 30, "69660" },
	{ "69191", "Saint-Cyr-au-Mont-d'Or", T_VAL_SAONE, 30, "69450" },
};
const size_t demo_commune_count = DEMO_COUNT(demo_communes);

size_t demo_commune_pick(struct demo_rng *r)
{
	unsigned long total = 0;
	unsigned long draw;
	size_t i;

	/* 67 additions per draw: cheaper than keeping a cumulative table in
	 * mutable global state. */
	for (i = 0; i < demo_commune_count; i++)
		total += demo_communes[i].weight;
	draw = demo_rng_below(r, (uint32_t)total);
	for (i = 0; i + 1 < demo_commune_count; i++) {
		if (draw < demo_communes[i].weight)
			break;
		draw -= demo_communes[i].weight;
	}
	return i;
}

static const struct demo_commune *demo_commune_by_insee(const char *insee)
{
	for (size_t i = 0; i < demo_commune_count; i++) {
		if (strcmp(demo_communes[i].insee, insee) == 0)
			return &demo_communes[i];
	}
	return NULL;
}

int demo_write_territories(struct demo_ctx *ctx)
{
	const char *codes[DEMO_COUNT(demo_communes)];
	int err = -1;

	for (size_t t = 0; t < demo_territory_count; t++) {
		size_t n = 0;

		for (size_t c = 0; c < demo_commune_count; c++) {
			if (demo_communes[c].territory == t)
				codes[n++] = demo_communes[c].insee;
		}
		demo_line_begin(&ctx->line, "territory", demo_territories[t].id);
		demo_line_str(&ctx->line, "name", demo_territories[t].name);
		demo_line_strs(&ctx->line, "communes", codes, n);
		if (demo_line_end(&ctx->line, ctx->out))
			goto out;
	}
	err = 0;
out:
	return err;
}

/* ---- organisations ------------------------------------------------------ */

struct demo_org_row {
	const char *id;
	const char *name;
	const char *kind;
	int territory;
	bool siret; /* private bodies get a SIRET; public services are left without */
};

/* The Métropole's own direction: the demo's administration and steering. */
#define DEMO_ORG_METROPOLE "org-metropole-die"
#define DEMO_ORG_MDM_REFERENT "org-mdm-villeurbanne-saint-jean"
#define DEMO_ORG_MDM_ORIENTATION "org-mdm-villeurbanne-gratte-ciel"
#define DEMO_ORG_HEALTH "org-asso-relais-sante-insertion"

static const struct demo_org_row demo_org_rows[] = {
	{ DEMO_ORG_METROPOLE, "Métropole de Lyon — Direction de l'insertion et de l'emploi", "other",
	  DEMO_NO_TERRITORY, false },

	/* Maisons de la Métropole (social itinerary, orientation, instances). */
	{ "org-mdm-lyon-1-pentes", "Maison de la Métropole Lyon 1er — Pentes de la Croix-Rousse",
	  "maison_metropole", T_LYON_124, false },
	{ "org-mdm-lyon-2-perrache", "Maison de la Métropole Lyon 2e — Perrache", "maison_metropole",
	  T_LYON_124, false },
	{ "org-mdm-lyon-4-croix-rousse", "Maison de la Métropole Lyon 4e — Croix-Rousse",
	  "maison_metropole", T_LYON_124, false },
	{ "org-mdm-lyon-3-part-dieu", "Maison de la Métropole Lyon 3e — Part-Dieu", "maison_metropole",
	  T_LYON_36, false },
	{ "org-mdm-lyon-3-montchat", "Maison de la Métropole Lyon 3e — Montchat", "maison_metropole",
	  T_LYON_36, false },
	{ "org-mdm-lyon-6-brotteaux", "Maison de la Métropole Lyon 6e — Brotteaux", "maison_metropole",
	  T_LYON_36, false },
	{ "org-mdm-lyon-5-saint-just", "Maison de la Métropole Lyon 5e — Saint-Just", "maison_metropole",
	  T_LYON_59, false },
	{ "org-mdm-lyon-9-duchere", "Maison de la Métropole Lyon 9e — La Duchère", "maison_metropole",
	  T_LYON_59, false },
	{ "org-mdm-lyon-9-vaise", "Maison de la Métropole Lyon 9e — Vaise", "maison_metropole",
	  T_LYON_59, false },
	{ "org-mdm-lyon-7-gerland", "Maison de la Métropole Lyon 7e — Gerland", "maison_metropole",
	  T_LYON_78, false },
	{ "org-mdm-lyon-7-guillotiere", "Maison de la Métropole Lyon 7e — Guillotière",
	  "maison_metropole", T_LYON_78, false },
	{ "org-mdm-lyon-8-etats-unis", "Maison de la Métropole Lyon 8e — États-Unis",
	  "maison_metropole", T_LYON_78, false },
	{ "org-mdm-lyon-8-mermoz", "Maison de la Métropole Lyon 8e — Mermoz", "maison_metropole",
	  T_LYON_78, false },
	{ DEMO_ORG_MDM_REFERENT, "Maison de la Métropole Villeurbanne — Saint-Jean", "maison_metropole",
	  T_VILLEURBANNE, false },
	{ DEMO_ORG_MDM_ORIENTATION, "Maison de la Métropole Villeurbanne — Gratte-Ciel",
	  "maison_metropole", T_VILLEURBANNE, false },
	{ "org-mdm-villeurbanne-tonkin", "Maison de la Métropole Villeurbanne — Tonkin",
	  "maison_metropole", T_VILLEURBANNE, false },
	{ "org-mdm-venissieux-minguettes", "Maison de la Métropole Vénissieux — Minguettes",
	  "maison_metropole", T_VENISSIEUX, false },
	{ "org-mdm-venissieux-centre", "Maison de la Métropole Vénissieux — Centre", "maison_metropole",
	  T_VENISSIEUX, false },
	{ "org-mdm-saint-fons", "Maison de la Métropole Saint-Fons", "maison_metropole", T_VENISSIEUX,
	  false },
	{ "org-mdm-bron", "Maison de la Métropole Bron", "maison_metropole", T_PORTES_SUD, false },
	{ "org-mdm-saint-priest", "Maison de la Métropole Saint-Priest", "maison_metropole",
	  T_PORTES_SUD, false },
	{ "org-mdm-feyzin", "Maison de la Métropole Feyzin", "maison_metropole", T_PORTES_SUD, false },
	{ "org-mdm-vaulx-en-velin-mas-du-taureau", "Maison de la Métropole Vaulx-en-Velin — Mas du Taureau",
	  "maison_metropole", T_RHONE_AMONT, false },
	{ "org-mdm-vaulx-en-velin-village", "Maison de la Métropole Vaulx-en-Velin — Village",
	  "maison_metropole", T_RHONE_AMONT, false },
	{ "org-mdm-decines", "Maison de la Métropole Décines-Charpieu", "maison_metropole",
	  T_RHONE_AMONT, false },
	{ "org-mdm-meyzieu", "Maison de la Métropole Meyzieu", "maison_metropole", T_RHONE_AMONT, false },
	{ "org-mdm-oullins", "Maison de la Métropole Oullins", "maison_metropole", T_LONES, false },
	{ "org-mdm-givors", "Maison de la Métropole Givors", "maison_metropole", T_LONES, false },
	{ "org-mdm-saint-genis-laval", "Maison de la Métropole Saint-Genis-Laval", "maison_metropole",
	  T_LONES, false },
	{ "org-mdm-tassin", "Maison de la Métropole Tassin-la-Demi-Lune", "maison_metropole", T_OUEST,
	  false },
	{ "org-mdm-sainte-foy", "Maison de la Métropole Sainte-Foy-lès-Lyon", "maison_metropole",
	  T_OUEST, false },
	{ "org-mdm-ecully", "Maison de la Métropole Écully", "maison_metropole", T_OUEST, false },
	{ "org-mdm-rillieux", "Maison de la Métropole Rillieux-la-Pape", "maison_metropole",
	  T_VAL_SAONE, false },
	{ "org-mdm-caluire", "Maison de la Métropole Caluire-et-Cuire", "maison_metropole",
	  T_VAL_SAONE, false },
	{ "org-mdm-neuville", "Maison de la Métropole Neuville-sur-Saône", "maison_metropole",
	  T_VAL_SAONE, false },

	/* Associations: accompaniment, mental health (FA14), mobility, language. */
	{ "org-asso-uve", "UVE", "association", DEMO_NO_TERRITORY, true },
	{ DEMO_ORG_HEALTH, "Relais Santé Insertion", "association", T_VILLEURBANNE, true },
	{ "org-asso-parcours-soins-lones", "Parcours & Soins — Lônes et Coteaux", "association", T_LONES,
	  true },
	{ "org-asso-ecoute-active", "Écoute Active Vénissieux", "association", T_VENISSIEUX, true },
	{ "org-asso-passerelles-emploi", "Passerelles pour l'emploi", "association", T_LYON_78, true },
	{ "org-asso-horizons-solidaires", "Horizons Solidaires", "association", T_VILLEURBANNE, true },
	{ "org-asso-relais-des-pentes", "Le Relais des Pentes", "association", T_LYON_124, true },
	{ "org-asso-tremplin-minguettes", "Tremplin Minguettes", "association", T_VENISSIEUX, true },
	{ "org-asso-elan-rhone-amont", "Élan Rhône Amont", "association", T_RHONE_AMONT, true },
	{ "org-asso-duchere-ensemble", "La Duchère Ensemble", "association", T_LYON_59, true },
	{ "org-asso-brotteaux-solidarites", "Solidarités Part-Dieu Brotteaux", "association", T_LYON_36,
	  true },
	{ "org-asso-porte-sud", "Porte Sud Accompagnement", "association", T_PORTES_SUD, true },
	{ "org-asso-ouest-solidarites", "Ouest Solidarités", "association", T_OUEST, true },
	{ "org-asso-val-de-saone-insertion", "Val de Saône Insertion", "association", T_VAL_SAONE, true },
	{ "org-asso-mobilite-emploi", "Mobilité Emploi Rhône", "association", DEMO_NO_TERRITORY, true },
	{ "org-asso-langues-partagees", "Maison des Langues Partagées", "association",
	  DEMO_NO_TERRITORY, true },

	/* Structures d'insertion par l'activité économique, the four kinds. */
	{ "org-aci-jardins-saone", "Les Jardins de la Saône", "siae_aci", T_VAL_SAONE, true },
	{ "org-aci-recyclerie-minguettes", "Recyclerie des Minguettes", "siae_aci", T_VENISSIEUX, true },
	{ "org-aci-chantier-batiment", "Chantier Bâtiment Solidaire", "siae_aci", T_VILLEURBANNE, true },
	{ "org-aci-atelier-velo-gerland", "Atelier Vélo Gerland", "siae_aci", T_LYON_78, true },
	{ "org-ei-proprete-rhone", "Propreté Plus Rhône", "siae_ei", T_PORTES_SUD, true },
	{ "org-ei-restauration-croix-rousse", "Restauration Solidaire Croix-Rousse", "siae_ei",
	  T_LYON_124, true },
	{ "org-ei-espaces-verts", "Espaces Verts Rhône Amont", "siae_ei", T_RHONE_AMONT, true },
	{ "org-ai-services-lyon-est", "Services Lyon Est", "siae_ai", T_LYON_36, true },
	{ "org-ai-coup-de-main-givors", "Coup de Main Givors", "siae_ai", T_LONES, true },
	{ "org-ai-val-de-saone-services", "Val de Saône Services", "siae_ai", T_VAL_SAONE, true },
	{ "org-etti-interim-solidaire", "Intérim Solidaire Lyon", "siae_etti", T_LYON_78, true },
	{ "org-etti-tremplin-interim", "Tremplin Intérim Vénissieux", "siae_etti", T_VENISSIEUX, true },
	{ "org-etti-rhone-travail-temporaire", "Rhône Insertion Travail Temporaire", "siae_etti",
	  DEMO_NO_TERRITORY, true },

	/* Pôle emploi agencies (professional itinerary). */
	{ "org-pe-lyon-croix-rousse", "Pôle emploi Lyon Croix-Rousse", "pole_emploi", T_LYON_124, false },
	{ "org-pe-lyon-part-dieu", "Pôle emploi Lyon Part-Dieu", "pole_emploi", T_LYON_36, false },
	{ "org-pe-lyon-vaise", "Pôle emploi Lyon Vaise", "pole_emploi", T_LYON_59, false },
	{ "org-pe-lyon-gerland", "Pôle emploi Lyon Gerland", "pole_emploi", T_LYON_78, false },
	{ "org-pe-lyon-etats-unis", "Pôle emploi Lyon États-Unis", "pole_emploi", T_LYON_78, false },
	{ "org-pe-villeurbanne", "Pôle emploi Villeurbanne", "pole_emploi", T_VILLEURBANNE, false },
	{ "org-pe-venissieux", "Pôle emploi Vénissieux", "pole_emploi", T_VENISSIEUX, false },
	{ "org-pe-bron", "Pôle emploi Bron", "pole_emploi", T_PORTES_SUD, false },
	{ "org-pe-vaulx-en-velin", "Pôle emploi Vaulx-en-Velin", "pole_emploi", T_RHONE_AMONT, false },
	{ "org-pe-oullins", "Pôle emploi Oullins", "pole_emploi", T_LONES, false },
	{ "org-pe-givors", "Pôle emploi Givors", "pole_emploi", T_LONES, false },
	{ "org-pe-tassin", "Pôle emploi Tassin-la-Demi-Lune", "pole_emploi", T_OUEST, false },
	{ "org-pe-rillieux", "Pôle emploi Rillieux-la-Pape", "pole_emploi", T_VAL_SAONE, false },

	/* Youth and training. */
	{ "org-mission-locale-lyon", "Mission locale de Lyon", "mission_locale", DEMO_NO_TERRITORY, true },
	{ "org-e2c-lyon-metropole", "École de la 2e chance Lyon Métropole", "e2c", DEMO_NO_TERRITORY,
	  true },
	{ "org-formation-rhone-competences", "Rhône Compétences Formation", "training_body", T_LYON_78,
	  true },
	{ "org-formation-lumiere", "Institut Lumière Formation", "training_body", T_LYON_36, true },
	{ "org-formation-savoirs-de-base", "Atelier des Savoirs de Base", "training_body",
	  T_VILLEURBANNE, true },
	{ "org-formation-greta", "GRETA Lyon Métropole", "training_body", DEMO_NO_TERRITORY, true },
};

/* The 20 CCAS under convention with the Métropole in 2017 (FA9). */
static const char *const demo_ccas_insee[] = {
	"69266", "69259", "69256", "69199", "69290", "69029", "69286", "69091", "69149", "69275",
	"69282", "69034", "69152", "69204", "69096", "69143", "69276", "69273", "69244", "69202",
};

#define DEMO_ORG_COUNT (DEMO_COUNT(demo_org_rows) + DEMO_COUNT(demo_ccas_insee))

struct demo_org {
	char id[64];
	char name[128];
	const char *kind;
	int territory;
	bool siret;
	const struct demo_commune *commune; /* a CCAS's; NULL: found by demo_org_commune() */
};

/* "de Villeurbanne", but "d'Oullins": French elision before a vowel. */
static bool demo_starts_with_vowel(const char *s)
{
	static const char *const vowels[] = { "A", "E", "I", "O", "U", "É", "Î" };

	for (size_t i = 0; i < DEMO_COUNT(vowels); i++) {
		if (strncmp(s, vowels[i], strlen(vowels[i])) == 0)
			return true;
	}
	return false;
}

/* The i-th organisation: the table, then the CCAS built from their commune. */
static void demo_org_get(size_t i, struct demo_org *o)
{
	if (i < DEMO_COUNT(demo_org_rows)) {
		const struct demo_org_row *row = &demo_org_rows[i];

		snprintf(o->id, sizeof(o->id), "%s", row->id);
		snprintf(o->name, sizeof(o->name), "%s", row->name);
		o->kind = row->kind;
		o->territory = row->territory;
		o->siret = row->siret;
		o->commune = NULL;
	} else {
		const struct demo_commune *c =
			demo_commune_by_insee(demo_ccas_insee[i - DEMO_COUNT(demo_org_rows)]);
		char slug[48];

		demo_ascii_fold(c->name, slug, sizeof(slug));
		snprintf(o->id, sizeof(o->id), "org-ccas-%s", slug);
		snprintf(o->name, sizeof(o->name), "CCAS %s%s",
			 demo_starts_with_vowel(c->name) ? "d'" : "de ", c->name);
		o->kind = "ccas";
		o->territory = (int)c->territory;
		o->siret = false;
		o->commune = c;
	}
}

/* ---- where the organisations are ---------------------------------------- */

/* Lyon quarters that organisations are named after, and their arrondissement. */
static const struct {
	const char *quarter;
	const char *insee;
} demo_quarters[] = {
	{ "Perrache", "69382" }, { "Croix-Rousse", "69384" }, { "Part-Dieu", "69383" },
	{ "Montchat", "69383" }, { "Brotteaux", "69386" }, { "Saint-Just", "69385" },
	{ "Duchère", "69389" }, { "Vaise", "69389" }, { "Gerland", "69387" },
	{ "Guillotière", "69387" }, { "États-Unis", "69388" }, { "Mermoz", "69388" },
};

static bool demo_in_territory(const struct demo_org *o, const struct demo_commune *c)
{
	return c && (o->territory == DEMO_NO_TERRITORY || c->territory == (unsigned)o->territory);
}

/* The commune of the organisation's territory that its name holds (the
 * longest name: "Saint-Genis-Laval" is not "Saint-Genis-les-Ollières"),
 * else the arrondissement of the Lyon quarter it names. */
static const struct demo_commune *demo_commune_named(const struct demo_org *o)
{
	const struct demo_commune *best = NULL;

	for (size_t i = 0; i < demo_commune_count; i++) {
		const struct demo_commune *c = &demo_communes[i];

		if (demo_in_territory(o, c) && strstr(o->name, c->name) &&
		    (!best || strlen(c->name) > strlen(best->name)))
			best = c;
	}
	for (size_t i = 0; !best && i < DEMO_COUNT(demo_quarters); i++) {
		const struct demo_commune *c = demo_commune_by_insee(demo_quarters[i].insee);

		if (strstr(o->name, demo_quarters[i].quarter) && demo_in_territory(o, c))
			best = c;
	}
	return best;
}

/* The commune of the territory with the most households (its seat, for the demo). */
static const struct demo_commune *demo_territory_seat(int territory)
{
	const struct demo_commune *best = NULL;

	for (size_t i = 0; i < demo_commune_count; i++) {
		const struct demo_commune *c = &demo_communes[i];

		if (c->territory == (unsigned)territory && (!best || c->weight > best->weight))
			best = c;
	}
	return best;
}

/* Where the organisation is: a CCAS in its commune; else the commune its
 * name says; else its territory's seat; without a territory, Lyon 3e,
 * where the Métropole sits. */
static const struct demo_commune *demo_org_commune(const struct demo_org *o)
{
	const struct demo_commune *c = o->commune ? o->commune : demo_commune_named(o);

	if (!c && o->territory != DEMO_NO_TERRITORY)
		c = demo_territory_seat(o->territory);
	return c ? c : demo_commune_by_insee("69383");
}

/* The Luhn check digit that makes digits[0..n) followed by it valid. */
static char demo_luhn_digit(const char *digits, size_t n)
{
	unsigned sum = 0;

	/* Counting from the right, the check digit is position 0 (not doubled),
	 * so the last given digit is doubled, and every second one from it. */
	for (size_t k = 0; k < n; k++) {
		unsigned d = (unsigned)(digits[n - 1 - k] - '0');

		if (k % 2 == 0) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	return (char)('0' + (10 - sum % 10) % 10);
}

/* A SIRET whose SIREN (9 digits) and whole (14 digits) pass the Luhn check,
 * as INSEE's do. */
static void demo_siret(struct demo_rng *r, char out[15])
{
	for (size_t k = 0; k < 8; k++)
		out[k] = (char)('0' + demo_rng_below(r, 10));
	if (out[0] == '0')
		out[0] = '4'; /* SIREN of associations and companies rarely start with 0 */
	out[8] = demo_luhn_digit(out, 8);
	out[9] = '0';
	out[10] = '0';
	out[11] = (char)('0' + demo_rng_below(r, 10));
	out[12] = (char)('1' + demo_rng_below(r, 9));
	out[13] = demo_luhn_digit(out, 13);
	out[14] = '\0';
}

/* A postal contact in the organisation's commune: an invented number on a
 * street of the demo's list, a Lyon telephone number, an e-mail address at
 * example.org. Drawn from its own stream, so the SIRETs stay as they were. */
static void demo_org_contact(struct demo_ctx *ctx, struct demo_rng *r, const struct demo_org *o)
{
	static const unsigned prefixes[] = { 72, 78, 37, 26 };
	const struct demo_commune *c = demo_org_commune(o);
	char text[160];

	snprintf(text, sizeof(text), "%u %s", 1 + demo_rng_below(r, 140),
		 demo_streets[demo_rng_below(r, (uint32_t)demo_street_count)]);
	demo_line_str(&ctx->line, "address", text);
	demo_line_str(&ctx->line, "postal_code", c->postal_code);
	/* La Poste writes Lyon's arrondissements as one town, "69003 Lyon". */
	demo_line_str(&ctx->line, "city", strncmp(c->name, "Lyon ", 5) == 0 ? "Lyon" : c->name);
	snprintf(text, sizeof(text), "04 %02u %02u %02u %02u",
		 prefixes[demo_rng_below(r, DEMO_COUNT(prefixes))], demo_rng_below(r, 100),
		 demo_rng_below(r, 100), demo_rng_below(r, 100));
	demo_line_str(&ctx->line, "phone", text);
	snprintf(text, sizeof(text), "%s@example.org", o->id + strlen("org-"));
	demo_line_str(&ctx->line, "email", text);
}

int demo_write_organisations(struct demo_ctx *ctx)
{
	struct demo_rng rng, contacts;
	struct demo_org org;
	int err = -1;

	demo_rng_seed(&rng, ctx->seed, DEMO_STREAM_ORGANISATIONS);
	demo_rng_seed(&contacts, ctx->seed, DEMO_STREAM_ORGANISATION_CONTACTS);
	for (size_t i = 0; i < DEMO_ORG_COUNT; i++) {
		char siret[15];

		demo_org_get(i, &org);
		demo_line_begin(&ctx->line, "organisation", org.id);
		demo_line_str(&ctx->line, "name", org.name);
		demo_line_str(&ctx->line, "kind", org.kind);
		if (org.territory != DEMO_NO_TERRITORY)
			demo_line_str(&ctx->line, "territory", demo_territories[org.territory].id);
		if (org.siret) {
			demo_siret(&rng, siret);
			demo_line_str(&ctx->line, "siret", siret);
		}
		demo_org_contact(ctx, &contacts, &org);
		if (demo_line_end(&ctx->line, ctx->out))
			goto out;
	}
	err = 0;
out:
	return err;
}

/* ---- users -------------------------------------------------------------- */

const struct demo_account demo_accounts[] = {
	{ "referent@demo.parcours.fr", "referent",
	  "Référente de parcours — Maison de la Métropole Villeurbanne Saint-Jean" },
	{ "orientation-officer@demo.parcours.fr", "orientation_officer",
	  "Chargé d'orientation — Maison de la Métropole Villeurbanne Gratte-Ciel (territoire de Villeurbanne)" },
	{ "instance-secretary@demo.parcours.fr", "instance_secretary",
	  "Secrétaire des instances RSA — territoire de Villeurbanne" },
	{ "programme-manager@demo.parcours.fr", "programme_manager",
	  "Chargée de mission — Direction de l'insertion et de l'emploi" },
	{ "clee@demo.parcours.fr", "clee", "Chargé de liaison entreprise emploi (CLEE)" },
	{ "clause-facilitator@demo.parcours.fr", "clause_facilitator",
	  "Facilitatrice clauses sociales" },
	{ "faj-officer@demo.parcours.fr", "faj_officer", "Gestionnaire du Fonds d'aide aux jeunes" },
	{ "analyst@demo.parcours.fr", "analyst",
	  "Chargée d'études — pilotage (données pseudonymisées)" },
	{ "admin@demo.parcours.fr", "admin", "Administrateur de Parcours" },
	{ "referent-health@demo.parcours.fr", "referent",
	  "Référente accréditée santé — Relais Santé Insertion (Villeurbanne)" },
	{ NULL, NULL, NULL },
};

/* What demo_accounts[] does not say: who they are, and where. */
struct demo_account_person {
	const char *id;
	const char *first_name;
	const char *last_name;
	const char *organisation;
	const char *function;
	bool health;
};

static const struct demo_account_person demo_account_people[] = {
	{ "u-demo-referent", "Camille", "Lefèvre", DEMO_ORG_MDM_REFERENT, "Assistante sociale", false },
	{ "u-demo-orientation-officer", "Jérôme", "Bérard", DEMO_ORG_MDM_ORIENTATION,
	  "Chargé d'orientation", false },
	{ "u-demo-instance-secretary", "Nadia", "Benali", DEMO_ORG_MDM_ORIENTATION,
	  "Secrétaire des instances RSA", false },
	{ "u-demo-programme-manager", "Hélène", "Gérard", DEMO_ORG_METROPOLE,
	  "Chargée de mission insertion", false },
	{ "u-demo-clee", "Karim", "Haddad", DEMO_ORG_METROPOLE, "Chargé de liaison entreprise emploi",
	  false },
	{ "u-demo-clause-facilitator", "Sophie", "Chassé", DEMO_ORG_METROPOLE,
	  "Facilitatrice clauses sociales", false },
	{ "u-demo-faj-officer", "Loïc", "Mérieux", DEMO_ORG_METROPOLE, "Gestionnaire FAJ", false },
	{ "u-demo-analyst", "Gaëlle", "Perrin", DEMO_ORG_METROPOLE, "Chargée d'études", false },
	{ "u-demo-admin", "François", "Lefèbvre", DEMO_ORG_METROPOLE, "Administrateur fonctionnel",
	  false },
	{ "u-demo-referent-health", "Zoé", "Bénard", DEMO_ORG_HEALTH,
	  "Chargée d'insertion, accompagnement santé", true },
};

/* A job title in its feminine and masculine forms. */
struct demo_function {
	const char *female;
	const char *male;
};

/* How many colleagues of a role each kind of organisation gets. */
struct demo_staffing {
	const char *kind;
	int referents;
	struct demo_function function;
};

static const struct demo_staffing demo_staffing[] = {
	{ "maison_metropole", 4, { "Assistante sociale", "Assistant social" } },
	{ "ccas", 2, { "Conseillère en insertion", "Conseiller en insertion" } },
	{ "association", 3, { "Chargée d'insertion professionnelle", "Chargé d'insertion professionnelle" } },
	{ "siae_aci", 2, { "Encadrante technique d'insertion", "Encadrant technique d'insertion" } },
	{ "siae_ei", 2, { "Chargée d'accompagnement", "Chargé d'accompagnement" } },
	{ "siae_ai", 2, { "Chargée d'accompagnement", "Chargé d'accompagnement" } },
	{ "siae_etti", 2, { "Chargée d'accompagnement", "Chargé d'accompagnement" } },
	{ "pole_emploi", 8, { "Conseillère Pôle emploi", "Conseiller Pôle emploi" } },
	{ "mission_locale", 4, { "Conseillère mission locale", "Conseiller mission locale" } },
	{ "e2c", 2, { "Formatrice référente", "Formateur référent" } },
	{ "training_body", 2, { "Formatrice référente", "Formateur référent" } },
};

/* More hands at the Métropole (the report counts 9 CLEE at the end of 2017). */
struct demo_central_staff {
	const char *role;
	int count;
	struct demo_function function;
};

static const struct demo_central_staff demo_central_staff[] = {
	{ "clee", 8, { "Chargée de liaison entreprise emploi", "Chargé de liaison entreprise emploi" } },
	{ "programme_manager", 3, { "Chargée de mission insertion", "Chargé de mission insertion" } },
	{ "clause_facilitator", 2, { "Facilitatrice clauses sociales", "Facilitateur clauses sociales" } },
	{ "faj_officer", 2, { "Gestionnaire FAJ", "Gestionnaire FAJ" } },
};

/* Emails already given, to keep them unique (a few hundred: a scan is fine). */
#define DEMO_MAX_USERS 512
struct demo_user_state {
	struct demo_ctx *ctx;
	struct demo_rng rng;
	char emails[DEMO_MAX_USERS][128];
	size_t n_emails;
};

static bool demo_email_taken(const struct demo_user_state *st, const char *email)
{
	for (size_t i = 0; i < st->n_emails; i++) {
		if (strcmp(st->emails[i], email) == 0)
			return true;
	}
	return false;
}

/* firstname.lastname@demo.parcours.fr, with a number when already taken. */
static const char *demo_staff_email(struct demo_user_state *st, const char *first, const char *last)
{
	char f[40], l[40];
	char *email = st->emails[st->n_emails];

	demo_ascii_fold(first, f, sizeof(f));
	demo_ascii_fold(last, l, sizeof(l));
	snprintf(email, sizeof(st->emails[0]), "%s.%s@demo.parcours.fr", f, l);
	for (int n = 2; demo_email_taken(st, email); n++)
		snprintf(email, sizeof(st->emails[0]), "%s.%s%d@demo.parcours.fr", f, l, n);
	st->n_emails++;
	return email;
}

/* A staff member's creation day: hired between 2010 and the end of 2015. */
static long demo_staff_created_on(struct demo_rng *r)
{
	return demo_rng_range(r, demo_days(2010, 1, 4), demo_days(2015, 12, 15));
}

static int demo_write_staff(struct demo_user_state *st, const char *id, const char *org_id,
			    const char *role, const struct demo_function *function)
{
	const struct demo_origin *origin;
	const char *first, *last, *email;
	bool female;

	if (st->n_emails >= DEMO_MAX_USERS) {
		errno = EOVERFLOW;
		return -1;
	}
	/* Staff names: mostly French, some of the other origins too. */
	origin = &demo_origins[demo_rng_permille(&st->rng, 750) ? DEMO_ORIGIN_FRENCH
								 : demo_rng_below(&st->rng, (uint32_t)demo_origin_count)];
	female = demo_rng_permille(&st->rng, 720); /* social work is mostly women */
	first = female ? origin->female[demo_rng_below(&st->rng, (uint32_t)origin->female_count)]
		       : origin->male[demo_rng_below(&st->rng, (uint32_t)origin->male_count)];
	last = origin->last[demo_rng_below(&st->rng, (uint32_t)origin->last_count)];
	email = demo_staff_email(st, first, last);

	demo_line_begin(&st->ctx->line, "user", id);
	demo_line_str(&st->ctx->line, "email", email);
	demo_line_str(&st->ctx->line, "first_name", first);
	demo_line_str(&st->ctx->line, "last_name", last);
	demo_line_str(&st->ctx->line, "organisation", org_id);
	demo_line_strs(&st->ctx->line, "roles", &role, 1);
	demo_line_date(&st->ctx->line, "created_on", demo_staff_created_on(&st->rng));
	demo_line_str(&st->ctx->line, "function", female ? function->female : function->male);
	return demo_line_end(&st->ctx->line, st->ctx->out);
}

static int demo_write_accounts(struct demo_user_state *st)
{
	int err = -1;

	for (size_t i = 0; demo_accounts[i].email; i++) {
		const struct demo_account_person *p = &demo_account_people[i];

		snprintf(st->emails[st->n_emails++], sizeof(st->emails[0]), "%s", demo_accounts[i].email);
		demo_line_begin(&st->ctx->line, "user", p->id);
		demo_line_str(&st->ctx->line, "email", demo_accounts[i].email);
		demo_line_str(&st->ctx->line, "first_name", p->first_name);
		demo_line_str(&st->ctx->line, "last_name", p->last_name);
		demo_line_str(&st->ctx->line, "organisation", p->organisation);
		demo_line_strs(&st->ctx->line, "roles", &demo_accounts[i].role, 1);
		if (p->health)
			demo_line_bool(&st->ctx->line, "health_accredited", true);
		demo_line_date(&st->ctx->line, "created_on", demo_days(2016, 1, 4));
		demo_line_str(&st->ctx->line, "function", p->function);
		if (demo_line_end(&st->ctx->line, st->ctx->out))
			goto out;
	}
	err = 0;
out:
	return err;
}

static const struct demo_staffing *demo_staffing_for(const char *kind)
{
	for (size_t i = 0; i < DEMO_COUNT(demo_staffing); i++) {
		if (strcmp(demo_staffing[i].kind, kind) == 0)
			return &demo_staffing[i];
	}
	return NULL;
}

/* Référents for every organisation that accompanies people; in the first
 * Maison de la Métropole of each territory, an orientation officer and an
 * instance secretary, so every territory can be oriented and heard. */
static int demo_write_org_staff(struct demo_user_state *st)
{
	static const struct demo_function orientation = { "Chargée d'orientation", "Chargé d'orientation" };
	static const struct demo_function secretary = { "Secrétaire des instances RSA",
							"Secrétaire des instances RSA" };
	bool territory_staffed[DEMO_COUNT(demo_territories)] = { false };
	struct demo_org org;
	char id[80];
	int err = -1;

	for (size_t i = 0; i < DEMO_ORG_COUNT; i++) {
		const struct demo_staffing *staffing;
		int n = 0;

		demo_org_get(i, &org);
		staffing = demo_staffing_for(org.kind);
		if (!staffing)
			continue;
		/* "org-xxx" → "u-xxx-N" */
		for (int k = 0; k < staffing->referents; k++) {
			snprintf(id, sizeof(id), "u-%.56s-%d", org.id + 4, ++n);
			if (demo_write_staff(st, id, org.id, "referent", &staffing->function))
				goto out;
		}
		if (strcmp(org.kind, "maison_metropole") != 0 || territory_staffed[org.territory])
			continue;
		territory_staffed[org.territory] = true;
		snprintf(id, sizeof(id), "u-%.56s-%d", org.id + 4, ++n);
		if (demo_write_staff(st, id, org.id, "orientation_officer", &orientation))
			goto out;
		snprintf(id, sizeof(id), "u-%.56s-%d", org.id + 4, ++n);
		if (demo_write_staff(st, id, org.id, "instance_secretary", &secretary))
			goto out;
	}
	err = 0;
out:
	return err;
}

static int demo_write_central_staff(struct demo_user_state *st)
{
	char id[80];
	int n = 0;
	int err = -1;

	for (size_t i = 0; i < DEMO_COUNT(demo_central_staff); i++) {
		for (int k = 0; k < demo_central_staff[i].count; k++) {
			snprintf(id, sizeof(id), "u-%s-%d", &DEMO_ORG_METROPOLE[4], ++n);
			if (demo_write_staff(st, id, DEMO_ORG_METROPOLE, demo_central_staff[i].role,
					     &demo_central_staff[i].function))
				goto out;
		}
	}
	err = 0;
out:
	return err;
}

int demo_write_users(struct demo_ctx *ctx)
{
	/* ~64 KB of e-mail bookkeeping: off the stack. */
	struct demo_user_state *st = calloc(1, sizeof(*st));
	int err = -1;

	if (!st)
		goto out;
	st->ctx = ctx;
	demo_rng_seed(&st->rng, ctx->seed, DEMO_STREAM_USERS);
	if (demo_write_accounts(st) || demo_write_org_staff(st) || demo_write_central_staff(st))
		goto out;
	err = 0;
out:
	free(st);
	return err;
}

/* ---- what the path families need to know of the organisations ---------- */

size_t demo_org_total(void)
{
	return DEMO_ORG_COUNT;
}

void demo_org_ref_get(size_t i, struct demo_org_ref *ref)
{
	struct demo_org org;
	const struct demo_staffing *staffing;

	demo_org_get(i, &org);
	staffing = demo_staffing_for(org.kind);
	snprintf(ref->id, sizeof(ref->id), "%s", org.id);
	ref->kind = org.kind;
	ref->territory = org.territory;
	ref->referents = staffing ? staffing->referents : 0;
}

void demo_org_referent_id(const struct demo_org_ref *ref, int k, char *out, size_t cap)
{
	/* The same ids as demo_write_org_staff(): référents come first. */
	snprintf(out, cap, "u-%.56s-%d", ref->id + 4, k + 1);
}
