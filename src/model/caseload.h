/*
 * caseload.h — a référent's caseload ("Mon portefeuille"), independent of
 * the web: who they follow today, what needs action for each person, and
 * the two writes on a whole caseload — the transfer when a référent leaves
 * and the temporary cover during an absence.
 *
 * Followed today (domain.md, "Access rules": follows): the person's
 * orientation or référent assignment current today (start ≤ today, end
 * absent or ≥ today) names the référent, or names a référent whose
 * caseload they cover today (referent_cover, start ≤ today ≤ end).
 *
 * What needs action, on "today" (date_today()):
 *  - no_contract: the current orientation is socio_professional and
 *    started more than 1 month ago, or social and more than 2 months ago
 *    (L262-35/36: start < today − N calendar months), and no CER or
 *    engagement contract is in force today (a terminated one ends on its
 *    termination). A professional orientation's PPAE is France Travail's:
 *    not counted;
 *  - contract_ending: a CER or engagement contract in force ends (or is
 *    terminated) within 30 days, and no later contract is recorded;
 *  - unfilled: an appointment before today still has the status planned;
 *  - no_appointment: no appointment (cancelled ones aside) from today − 3
 *    months on, future ones included (one planned is an appointment).
 */
#ifndef PARCOURS_CASELOAD_H
#define PARCOURS_CASELOAD_H
#include <jansson.h>

#include "base/buf.h"

struct db;
struct problems;

/* The action filters, in the order of the counts. */
extern const char *const caseload_actions[]; /* NULL-ended codes */
/* French label of an action code, NULL when unknown. */
const char *caseload_action_label(const char *code);

/* Builds "FROM (SELECT p.id, p.last_name, p.first_name, p.birth_date,
 * itinerary, oriented_on, contract_end, last_appointment, <one 0/1 column
 * per action> FROM person p JOIN household h ON h.id = p.household WHERE
 * <followed by referent today>" into sql, values into binds. The caller
 * appends its access scope (aliases p, h), then caseload_close(). */
void caseload_open(struct buf *sql, json_t *binds, const char *referent, long today);
/* Closes the subquery as alias x: ") x WHERE 1 = 1", then keeps only
 * the rows needing `action` when it is one of caseload_actions. */
void caseload_close(struct buf *sql, const char *action);
/* The columns of x, for SELECT. */
#define CASELOAD_COLUMNS                                                                           \
	"x.id, x.last_name, x.first_name, x.birth_date, x.itinerary, x.oriented_on, "               \
	"x.contract_end, x.last_appointment, x.no_contract, x.contract_ending, x.unfilled, "       \
	"x.no_appointment"
/* The index of the first action column (no_contract) in CASELOAD_COLUMNS. */
#define CASELOAD_FIRST_ACTION 8
/* Counts of a closed caseload query (sql as built, unfiltered): total and
 * one per action into counts[0..4] (total first). -1 on SQL error. */
int caseload_counts(struct db *db, const char *from, json_t *binds, long counts[5]);

/* Who writes, for the audit. */
struct caseload_actor {
	const char *id;
	const char *address;
};

enum caseload_result {
	CASELOAD_OK = 0,
	CASELOAD_INVALID = 422, /* problems added to pb (fields from, to, on, start, end) */
	CASELOAD_FAILED = 500,
};

/* Moves every orientation and référent assignment naming référent `from`
 * that is current on `on` or starts later to référent `to` (same
 * organisation): an assignment that began before `on` ends the day before
 * and a new one for `to` starts on `on` (same end); one starting later
 * changes référent; an orientation names `to` from then on (its history
 * stays in the assignments). One transaction, every record checked
 * (record_check_one), one audit entry per person and one for the whole.
 * *moved gets the number of people. */
enum caseload_result caseload_transfer(struct db *db, const struct caseload_actor *who,
				       const char *from, const char *to, const char *on,
				       struct problems *pb, long *moved);
/* Records that `covering` follows the caseload of `absent` from start to
 * end (both included); id_out gets the cover's id. Checked and audited. */
enum caseload_result caseload_cover(struct db *db, const struct caseload_actor *who,
				    const char *absent, const char *covering, const char *start,
				    const char *end, struct problems *pb, char id_out[65]);
/* How many people `referent` follows today (covers included). */
long caseload_size(struct db *db, const char *referent, long today);

#endif
