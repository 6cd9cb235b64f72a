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
#include <stddef.h>

#include <jansson.h>

struct db;
struct problems;

/* The action filters, in the order of the counts. */
extern const char *const caseload_actions[]; /* NULL-ended codes */
/* French label of an action code, NULL when unknown. */
const char *caseload_action_label(const char *code);

/* The number of action codes in caseload_actions. */
#define CASELOAD_NACTIONS 4

/* One person of a caseload: who, what the page shows, what needs action.
 * Strings are owned by the caseload; NULL when there is nothing (no
 * current orientation, no contract in force, no appointment). */
struct caseload_person {
	char *id, *last_name, *first_name, *birth_date;
	char *itinerary, *oriented_on; /* the current orientation (the greatest) */
	char *contract_end;            /* of the CER or engagement in force */
	char *last_appointment;        /* the last one up to today (date and time) */
	unsigned char action[CASELOAD_NACTIONS]; /* 0/1, in the order of caseload_actions */
};

struct caseload {
	struct caseload_person *people; /* ordered by search key, birth date, id */
	size_t n;
	long counts[CASELOAD_NACTIONS + 1]; /* total, then one per action */
};

/* Reads the caseload of `referent` on `today`: the people followed, each
 * with its facts and actions, and the counts. `scope` (may be NULL) is an
 * SQL condition " AND (…)" on the aliases p (person) and h (household),
 * with its values, all text, in scope_binds (NULL when none): the
 * caller's access scope. One query for the whole caseload (the people, their current
 * orientations, their contracts and appointments: a set-based lookup per
 * table, not a subquery per rule and person), the rules applied in C on
 * its rows. 0, or -1 on SQL error (out then empty). Release with
 * caseload_release(). */
int caseload_read(struct db *db, const char *referent, long today, const char *scope,
		  json_t *scope_binds, struct caseload *out);
void caseload_release(struct caseload *c);

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
