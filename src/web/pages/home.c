/* home.c — the home page: what each role does here, and a few counts that
 * the user may see (counts go through the same access scope as lists). */
#include <string.h>

#include "base/buf.h"
#include "db/db.h"
#include "model/user.h"
#include "web/access.h"
#include "web/http.h"
#include "web/pages/pages.h"

static long visible_people(struct request *req)
{
	struct buf sql;
	json_t *binds = json_array();
	struct db_stmt *st;
	long n = 0;

	buf_init(&sql, 8192);
	buf_addstr(&sql, "SELECT COUNT(*) FROM person p JOIN household h ON h.id = p.household "
			 "WHERE 1 = 1");
	access_scope_people(&req->user, &sql, binds);
	if (db_prepare(req->db, &st, buf_str(&sql)) == 0) {
		query_bind(st, binds, 1);
		if (db_step(st) == DB_ROW)
			n = (long)db_col_int(st, 0);
		db_finalize(st);
	}
	buf_release(&sql);
	json_decref(binds);
	return n;
}

/* One card per task the user's roles open. */
static json_t *tasks(const struct user *u)
{
	static const struct {
		unsigned roles;
		const char *href, *title, *text;
	} all[] = {
		{ ROLE_ANY & ~ROLE_ANALYST, "/people", "Rechercher une personne",
		  "Par nom (avec ou sans accents), date de naissance ou numéro CAF." },
		{ ROLE_REFERENT, "/portfolio", "Mon portefeuille",
		  "Les personnes que vous suivez et ce qui demande une action : contrat en retard, "
		  "rendez-vous à renseigner, contrat qui se termine." },
		{ ROLE_ORIENTATION_OFFICER | ROLE_ADMIN, "/orientation", "Personnes à orienter",
		  "Les personnes soumises aux droits et devoirs sans orientation, les plus anciennes "
		  "d'abord, avec le délai légal de deux mois." },
		{ ROLE_ORIENTATION_OFFICER, "/people?sdd=1", "Personnes soumises aux droits et devoirs",
		  "Les bénéficiaires SDD de votre territoire." },
		{ ROLE_REFERENT | ROLE_ADMIN, "/sessions", "Séances collectives",
		  "Créer une séance, inscrire des personnes, imprimer la feuille d'émargement, noter "
		  "les présences." },
		{ ROLE_ADMIN | ROLE_ORIENTATION_OFFICER | ROLE_REFERENT, "/lists", "Importer une liste",
		  "Un fichier CSV ou Excel de bénéficiaires venu d'un autre outil : aperçu avant "
		  "d'enregistrer." },
		{ ROLE_ANY, "/organisations", "Structures",
		  "Maisons de la Métropole, CCAS, associations, SIAE, agences." },
		{ ROLE_ANY, "/territories", "Territoires", "Les territoires et leurs communes." },
		{ ROLE_ADMIN, "/users", "Comptes", "Créer et consulter les comptes des agents." },
		{ ROLE_ADMIN | ROLE_ORIENTATION_OFFICER, "/imports", "Imports de fichiers",
		  "Les rapports des flux CAF importés : foyers rejetés et leurs motifs." },
		{ ROLE_ADMIN, "/people/duplicates", "Doublons de personnes",
		  "Les personnes enregistrées deux fois, à fusionner ; l'historique des fusions." },
		{ ROLE_ADMIN, "/portfolio/transfer", "Transférer un portefeuille",
		  "Quand un référent part : ses personnes passent à un collègue, ou un intérim." },
		{ ROLE_ADMIN, "/audit", "Journal d'audit",
		  "Qui a consulté ou modifié quoi, et quand." },
	};
	json_t *cards = json_array();

	for (size_t i = 0; i < sizeof all / sizeof *all; i++)
		if (u->roles & all[i].roles)
			json_array_append_new(cards, json_pack("{s:s, s:s, s:s}", "href", all[i].href,
							       "title", all[i].title, "text",
							       all[i].text));
	return cards;
}

void page_home(struct request *req, struct response *res)
{
	const char *notice = req_query(req, "notice");

	res->template = "home";
	res->title = "Accueil";
	res->data = json_pack("{s:o, s:o, s:I}", "user", user_json(&req->user), "tasks",
			      tasks(&req->user), "people_visible",
			      (json_int_t)visible_people(req));
	if (notice && strcmp(notice, "password") == 0)
		json_object_set_new(res->data, "notice",
				    json_string("Votre mot de passe a été changé."));
}
