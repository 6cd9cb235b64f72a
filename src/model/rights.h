/*
 * rights.h — the RSA right's definitions that lists, access rules and
 * counts share (exchange-format.md, "Households, people, rights"), written
 * once as SQL fragments so that no page restates them:
 *  - SDD on day D: a right_period covering D with state 2, 3 or 4 (open
 *    right: CAF ETATDOSRSA) and subject_to_duties;
 *  - RSA entry date: the start of the person's first such period.
 * The argument is the SQL expression of the person's id (e.g. "p.id"), a
 * literal from the code, never input.
 */
#ifndef PARCOURS_RIGHTS_H
#define PARCOURS_RIGHTS_H

#define RIGHTS_OPEN_STATES "('2', '3', '4')"

/* "EXISTS (…)" with two placeholders, both to be bound to day D. */
#define RIGHTS_SDD_ON(person)                                                                    \
	"EXISTS (SELECT 1 FROM right_period sdd WHERE sdd.person = " person                      \
	" AND sdd.state IN " RIGHTS_OPEN_STATES " AND sdd.subject_to_duties = 1"                 \
	" AND sdd.start_date <= ? AND (sdd.end_date IS NULL OR sdd.end_date >= ?))"

/* "(SELECT MIN(…))": NULL when the person was never SDD. No placeholder. */
#define RIGHTS_ENTRY_DATE(person)                                                                \
	"(SELECT MIN(entry.start_date) FROM right_period entry WHERE entry.person = " person     \
	" AND entry.state IN " RIGHTS_OPEN_STATES " AND entry.subject_to_duties = 1)"

#endif
