/*
 * rules.h — SQL fragments of the rules across records that several
 * families share (schema.h `checks`): a rule that ties two records is
 * checked from both sides, and both sides must say the same thing, so the
 * condition is written once here. Portable SQL only (docs/modules/path.md).
 */
#ifndef PARCOURS_RULES_H
#define PARCOURS_RULES_H

/* Two periods of one person overlap (end inclusive, no end: ongoing); a
 * row (a.id, 'start', reason) per record a of `table`. a_end and b_end are
 * the lists COALESCE takes the end from; filter adds conditions to the
 * join; what names the other record in the reason. Used by household.c,
 * france_travail.c and path.c. */
#define RULES_OVERLAP(table, a_end, b_end, filter, what)                                         \
	"SELECT a.id, 'start', 'chevauche " what " ' || b.id || ' de la même personne' "         \
	"FROM " table " a JOIN " table " b ON a.person = b.person AND a.id <> b.id " filter      \
	" AND a.start_date <= COALESCE(" b_end ", '9999-12-31') "                                  \
	"AND b.start_date <= COALESCE(" a_end ", '9999-12-31')"

/* A record whose end (the COALESCE list `end`) is today or later, or which
 * has none: current or future. app_today() is the application's day
 * (src/db/db.h: PARCOURS_TODAY moves it, like the pages' date_today()). */
#define RULES_CURRENT(end) "COALESCE(" end ", '9999-12-31') >= app_today()"

/* A contract ends on its termination, else on its end (alias a). */
#define RULES_CONTRACT_END "a.terminated_on, a.end_date"

/* The référent u named on record a is not an account of a's organisation,
 * or lacks the referent role. Roles are a JSON array of codes in TEXT: the
 * quoted code is looked for, which LIKE does the same way on every
 * database. Checked from the record (path.c) and from the account
 * (account.c), on current and future records only. */
#define RULES_NOT_MEMBER "u.organisation <> a.organisation"
#define RULES_NOT_REFERENT "u.roles NOT LIKE '%\"referent\"%'"

/* The account u (first column) is the référent of a current or future
 * record a of `table` that no longer fits it; what names the record, with
 * its preposition ("du contrat"). */
#define RULES_REFERENT_MIRROR(table, end, what)                                                   \
	"SELECT u.id, CASE WHEN " RULES_NOT_MEMBER " THEN 'organisation' ELSE 'roles' END, "      \
	"'le compte est référent " what " ' || a.id || ' en cours (structure ' || "           \
	"a.organisation || ') : ' || CASE WHEN " RULES_NOT_MEMBER " THEN 'il reste membre de "    \
	"cette structure' ELSE 'il garde le rôle référent' END || ' jusqu''à sa fin (ou nommez-y " \
	"un autre référent)' FROM account u JOIN " table " a ON a.referent = u.id "               \
	"WHERE " RULES_CURRENT(end) " AND (" RULES_NOT_MEMBER " OR " RULES_NOT_REFERENT ")"

/* Orientation a's itinerary is carried by organisation o's kind
 * (exchange-format.md); checked from both (path.c, territory.c). */
#define RULES_FITS                                                                                \
	"(a.itinerary = 'social' AND o.kind IN ('maison_metropole', 'ccas', 'association')) "    \
	"OR (a.itinerary = 'socio_professional' AND o.kind IN ('association', 'siae_aci', "     \
	"'siae_ei', 'siae_ai', 'siae_etti', 'training_body', 'mission_locale', 'e2c', 'other')) " \
	"OR (a.itinerary = 'professional' AND o.kind = 'pole_emploi')"

/* Contract a is a PPAE signed with organisation o of another kind than
 * Pôle emploi; checked from both. */
#define RULES_PPAE_MISFIT "a.kind = 'ppae' AND o.kind <> 'pole_emploi'"

#endif
