/*
 * instance.c — the multidisciplinary teams (instances, exchange-format.md,
 * "Instances, sanctions, controls"): instances, their members, sittings and
 * case reviews, with their rules (members present belong to the instance
 * and are in office on the sitting's date; opinions need a sitting and the
 * quorum). Their working screens come later; the path needs the reviews
 * now, since every reorientation links to its favourable review.
 */
#include <string.h>

#include "db/db.h"
#include "model/problems.h"
#include "model/schema.h"

/* The opinions a sitting gives, as opposed to `deemed` (R262-71). */
#define INSTANCE_OPINIONS "('favourable', 'unfavourable', 'deferred')"

/* The quorum of an instance that names none (exchange-format.md); in digits,
 * as SQL and the field's default (F_DEFAULT_FIRST) both read it. */
#define INSTANCE_QUORUM_DEFAULT "3"
/* Instance i's quorum; COALESCE for records written without the importer,
 * which fills the default in. */
#define INSTANCE_QUORUM "COALESCE(i.quorum, " INSTANCE_QUORUM_DEFAULT ")"

/* Sitting s of instance i has fewer members present than the quorum and
 * gave opinions. */
#define INSTANCE_UNDER_QUORUM                                                                     \
	"(SELECT COUNT(*) FROM sitting_member q WHERE q.sitting = s.id) < " INSTANCE_QUORUM " "   \
	"AND EXISTS (SELECT 1 FROM case_review r WHERE r.sitting = s.id AND r.opinion IN "        \
	INSTANCE_OPINIONS ")"

/* The members listed present at a sitting of another instance, or outside
 * their period; `first` is the id column and field reported. */
#define INSTANCE_MEMBER_ELSEWHERE(first)                                                          \
	"SELECT " first ", 'le membre ' || m.id || ' n''appartient pas à l''instance ' || "       \
	"s.instance || ' de la séance ' || s.id FROM sitting s JOIN sitting_member sm "           \
	"ON sm.sitting = s.id JOIN instance_member m ON m.id = sm.member "                        \
	"WHERE m.instance <> s.instance"
#define INSTANCE_MEMBER_OUT_OF_OFFICE(first)                                                      \
	"SELECT " first ", 'le membre ' || m.id || ' n''est pas en fonction le ' || s.on_date || " \
	"', jour de la séance ' || s.id FROM sitting s JOIN sitting_member sm "                   \
	"ON sm.sitting = s.id JOIN instance_member m ON m.id = sm.member "                        \
	"WHERE m.instance = s.instance AND (m.start_date > s.on_date OR m.end_date < s.on_date)"

/* A sitting that a case review names comes on or after its referral;
 * `first` is the id column and field reported. */
#define INSTANCE_SITTING_BEFORE_REFERRAL(first)                                                   \
	"SELECT " first ", 'la séance ' || s.id || ' du ' || s.on_date || ' précède la saisine "  \
	"de l''examen ' || r.id || ' (' || r.referred_on || ')' FROM case_review r "              \
	"JOIN sitting s ON s.id = r.sitting WHERE s.on_date < r.referred_on"

static const char *const instance_kinds[] = { "itt", "mediation", "metropolitan_mediation", "cli",
	NULL };

static void instance_validate(json_t *rec, struct problems *pb)
{
	json_t *quorum = json_object_get(rec, "quorum");

	if (json_is_integer(quorum) && json_integer_value(quorum) < 1)
		problem_add(pb, "quorum", "le quorum compte au moins un membre présent");
}

static const char *const instance_quorum_default[] = { INSTANCE_QUORUM_DEFAULT, NULL };

static const struct field_def instance_fields[] = {
	{ "name", "name", FK_STRING, F_REQUIRED, NULL, NULL, 200, "Nom" },
	{ "kind", "kind", FK_ENUM, F_REQUIRED, instance_kinds, NULL, 0, "Type d'instance" },
	{ "territory", "territory", FK_REF, 0, NULL, "territory", 0, "Territoire" },
	{ "quorum", "quorum", FK_INT, F_DEFAULT_FIRST, instance_quorum_default, NULL, 0, "Quorum" },
};

static const char *const instance_checks[] = {
	"SELECT i.id, 'quorum', 'la séance ' || s.id || ' a rendu des avis avec moins de membres "
	"présents que ce quorum' FROM instance i JOIN sitting s ON s.instance = i.id WHERE "
	INSTANCE_UNDER_QUORUM,
	NULL,
};

const struct type_def type_instance = {
	.name = "instance", .table = "instance", .label = "instance",
	.fields = instance_fields, .nfields = 4, .validate = instance_validate,
	.checks = instance_checks,
};

static const char *const member_roles[] = { "chair", "social_worker", "insertion_professional",
	"pole_emploi", "health_professional", "user_representative", "other", NULL };

static const struct field_def instance_member_fields[] = {
	{ "instance", "instance", FK_REF, F_REQUIRED, NULL, "instance", 0, "Instance" },
	{ "name", "name", FK_STRING, F_REQUIRED, NULL, NULL, 200, "Nom" },
	{ "user", "account", FK_REF, 0, NULL, "user", 0, "Compte" },
	{ "role", "role", FK_ENUM, F_REQUIRED, member_roles, NULL, 0, "Rôle" },
	{ "start", "start_date", FK_DATE, F_REQUIRED, NULL, NULL, 0, "Début" },
	{ "end", "end_date", FK_DATE, 0, NULL, NULL, 0, "Fin" },
};

/* A member's instance or period changed under the sittings that list them. */
static const char *const instance_member_checks[] = {
	INSTANCE_MEMBER_ELSEWHERE("m.id, 'instance'"),
	INSTANCE_MEMBER_OUT_OF_OFFICE("m.id, 'start'"),
	NULL,
};

const struct type_def type_instance_member = {
	.name = "instance_member", .table = "instance_member", .label = "membre d'instance",
	.fields = instance_member_fields, .nfields = 6, .checks = instance_member_checks,
};

static const struct field_def sitting_fields[] = {
	{ "instance", "instance", FK_REF, F_REQUIRED, NULL, "instance", 0, "Instance" },
	{ "date", "on_date", FK_DATE, F_REQUIRED, NULL, NULL, 0, "Date" },
	{ "present", "present_members", FK_REF_LIST, F_REQUIRED, NULL, "instance_member", 0,
	  "Membres présents" },
};

static const char *const sitting_checks[] = {
	INSTANCE_MEMBER_ELSEWHERE("s.id, 'present'"),
	INSTANCE_MEMBER_OUT_OF_OFFICE("s.id, 'present'"),
	"SELECT s.id, 'present', 'des avis sont rendus à cette séance avec moins de membres "
	"présents que le quorum de l''instance (' || CAST(" INSTANCE_QUORUM " AS VARCHAR(20)) "
	"|| ')' FROM sitting s JOIN instance i ON i.id = s.instance WHERE " INSTANCE_UNDER_QUORUM,
	/* The same rule as case_review's, seen from the sitting whose date moved. */
	INSTANCE_SITTING_BEFORE_REFERRAL("s.id, 'date'"),
	NULL,
};

/* sitting_member mirrors sitting.present so that the rules above are joins
 * on every database (no JSON functions in model SQL). */
static int sitting_after_write(struct db *db, const char *id, json_t *rec)
{
	json_t *m;
	size_t i;

	if (db_execf(db, "DELETE FROM sitting_member WHERE sitting = ?", "s", id))
		return -1;
	json_array_foreach(json_object_get(rec, "present"), i, m) {
		if (db_execf(db, "INSERT INTO sitting_member (sitting, member) VALUES (?, ?) "
				 "ON CONFLICT DO NOTHING", "ss", id, json_string_value(m)))
			return -1;
	}
	return 0;
}

const struct type_def type_sitting = {
	.name = "sitting", .table = "sitting", .label = "séance d'instance",
	.fields = sitting_fields, .nfields = 3, .checks = sitting_checks,
	.after_write = sitting_after_write,
};

static const char *const review_reasons[] = { "reorientation", "no_contract", "contract_breach",
	"pe_removal", "control_refusal", "programme_entry", "other", NULL };
static const char *const opinions[] = { "favourable", "unfavourable", "deferred", "deemed", NULL };

static void case_review_validate(json_t *rec, struct problems *pb)
{
	const char *opinion = json_string_value(json_object_get(rec, "opinion"));

	if (opinion && strcmp(opinion, "deemed") != 0 &&
	    !json_string_value(json_object_get(rec, "sitting")))
		problem_add(pb, "sitting", "un avis « %s » est rendu en séance : la séance manque",
			    opinion);
}

static const struct field_def case_review_fields[] = {
	{ "person", "person", FK_REF, F_REQUIRED, NULL, "person", 0, "Personne" },
	{ "referred_on", "referred_on", FK_DATE, F_REQUIRED, NULL, NULL, 0, "Saisine le" },
	{ "reason", "reason", FK_ENUM, F_REQUIRED, review_reasons, NULL, 0, "Motif" },
	{ "grounds", "grounds", FK_STRING, 0, NULL, NULL, 4000, "Exposé des motifs" },
	{ "sitting", "sitting", FK_REF, 0, NULL, "sitting", 0, "Séance" },
	{ "heard", "heard", FK_BOOL, 0, NULL, NULL, 0, "Personne entendue" },
	{ "opinion", "opinion", FK_ENUM, 0, opinions, NULL, 0, "Avis" },
	{ "notes", "notes", FK_STRING, 0, NULL, NULL, 4000, "Observations" },
};

static const char *const case_review_checks[] = {
	"SELECT r.id, 'opinion', 'avis rendu à la séance ' || s.id || ' sans le quorum de "
	"l''instance (' || CAST(" INSTANCE_QUORUM " AS VARCHAR(20)) || ' membres présents)' "
	"FROM case_review r JOIN sitting s ON s.id = r.sitting JOIN instance i ON i.id = s.instance "
	"WHERE r.opinion IN " INSTANCE_OPINIONS " AND (SELECT COUNT(*) FROM sitting_member q "
	"WHERE q.sitting = s.id) < " INSTANCE_QUORUM,
	INSTANCE_SITTING_BEFORE_REFERRAL("r.id, 'sitting'"),
	/* The same rules as orientation's, seen from the review that changed. */
	"SELECT r.id, 'opinion', 'la réorientation ' || o.id || ' s''appuie sur cet examen : "
	"il lui faut un avis favorable' FROM case_review r JOIN orientation o "
	"ON o.case_review = r.id WHERE o.origin = 'reorientation' "
	"AND (r.opinion IS NULL OR r.opinion <> 'favourable')",
	"SELECT r.id, 'person', 'l''orientation ' || o.id || ' d''une autre personne renvoie à "
	"cet examen' FROM case_review r JOIN orientation o ON o.case_review = r.id "
	"WHERE o.person <> r.person",
	NULL,
};

const struct type_def type_case_review = {
	.name = "case_review", .table = "case_review", .label = "examen en équipe pluridisciplinaire",
	.fields = case_review_fields, .nfields = 8, .validate = case_review_validate,
	.checks = case_review_checks,
};
