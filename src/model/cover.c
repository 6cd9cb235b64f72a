/*
 * cover.c — the exchange type `referent_cover`: a référent (covering)
 * follows the caseload of an absent colleague of the same organisation
 * between two dates, both included (issue 3, "temporary cover"). The
 * cover gives nothing before its start and ends by itself after its end.
 * The writes that make covers and transfers are in caseload.c.
 */
#include <string.h>

#include "model/problems.h"
#include "model/schema.h"

static void cover_validate(json_t *rec, struct problems *pb)
{
	const char *absent = json_string_value(json_object_get(rec, "absent"));
	const char *covering = json_string_value(json_object_get(rec, "covering"));

	if (absent && covering && strcmp(absent, covering) == 0)
		problem_add(pb, "covering", "un référent ne se remplace pas lui-même");
}

static const struct field_def cover_fields[] = {
	{ "absent", "absent_referent", FK_REF, F_REQUIRED, NULL, "user", 0, "Référent absent" },
	{ "covering", "covering_referent", FK_REF, F_REQUIRED, NULL, "user", 0,
	  "Référent qui le remplace" },
	{ "start", "start_date", FK_DATE, F_REQUIRED, NULL, NULL, 0, "Début" },
	{ "end", "end_date", FK_DATE, F_REQUIRED, NULL, NULL, 0, "Fin" },
};

/* Both are référents, of one organisation; an absent référent has one
 * cover at a time (whose people would the two colleagues share?). */
static const char *const cover_checks[] = {
	"SELECT c.id, 'absent', 'le compte ' || u.id || ' n''a pas le rôle référent' "
	"FROM referent_cover c JOIN account u ON u.id = c.absent_referent "
	"WHERE u.roles NOT LIKE '%\"referent\"%'",
	"SELECT c.id, 'covering', 'le compte ' || u.id || ' n''a pas le rôle référent' "
	"FROM referent_cover c JOIN account u ON u.id = c.covering_referent "
	"WHERE u.roles NOT LIKE '%\"referent\"%'",
	"SELECT c.id, 'covering', 'le compte ' || b.id || ' n''est pas de la structure du "
	"référent absent (' || a.organisation || ')' FROM referent_cover c "
	"JOIN account a ON a.id = c.absent_referent JOIN account b ON b.id = c.covering_referent "
	"WHERE a.organisation <> b.organisation",
	"SELECT c.id, 'start', 'chevauche le remplacement ' || d.id || ' du même référent (du ' "
	"|| d.start_date || ' au ' || d.end_date || ')' FROM referent_cover c "
	"JOIN referent_cover d ON d.absent_referent = c.absent_referent AND d.id <> c.id "
	"AND c.start_date <= d.end_date AND d.start_date <= c.end_date",
	NULL,
};

const struct type_def type_referent_cover = {
	.name = "referent_cover", .table = "referent_cover", .label = "remplacement de référent",
	.fields = cover_fields, .nfields = 4, .validate = cover_validate, .checks = cover_checks,
};
