/*
 * merge.h — merging two records of the same person (issue 3, "Duplicate
 * people"; docs/modules/merge.md).
 *
 * person_merge(keep A, absorb B), in one transaction:
 *  1. A's empty fields take B's values; fields where both differ keep A's
 *     and are listed in the result;
 *  2. every row of B that is identical to a row of A (every field but id
 *     and person) is removed, unless another record refers to it;
 *  3. every other row referring to B is moved to A (version + 1, so that a
 *     form opened on it before the merge answers 409);
 *  4. B is deleted; the rules across records (record_check_one) are run for
 *     A and every row of A of every type that refers to people: one broken
 *     rule (overlapping periods, two current orientations, overlapping CERs,
 *     the same session twice …) rolls everything back, and the problems
 *     name the records so that an administrator fixes them first;
 *  5. the merge is written to person_merge, B's id becomes an alias of A
 *     (person_alias; B's own aliases follow), and one audit entry
 *     "person.merge" holds both ids and the counts.
 * A dry run does 1–4 and rolls back: the result says what would happen.
 */
#ifndef PARCOURS_MERGE_H
#define PARCOURS_MERGE_H
#include <jansson.h>

#include "model/problems.h"

struct db;

struct merge_result {
	json_t *moved;     /* {"orientation": 2, …}: rows moved from B to A, per table */
	long moved_health; /* of which health steps (shown only with the accreditation) */
	json_t *dropped;   /* [{"table","id","same_as"[,"category"]}]: identical rows of B removed */
	json_t *taken;     /* [{"field","label","value"}]: A's empty fields filled from B */
	json_t *conflicts; /* [{"field","label","kept","absorbed"}]: A's values stayed */
	struct problems pb; /* why the merge was refused (type, id, field, reason) */
	long merge_id;     /* the person_merge row; 0 in a dry run */
};

enum merge_outcome {
	MERGE_FAILED = -1,   /* database error (db_errmsg) */
	MERGE_DONE = 0,      /* merged (or, in a dry run, would be) */
	MERGE_NOT_FOUND = 1, /* one of the ids is no person (pb says which) */
	MERGE_SAME = 2,      /* the same id twice */
	MERGE_REFUSED = 3,   /* a rule would break: pb names the records */
};

void merge_result_init(struct merge_result *r);
void merge_result_release(struct merge_result *r);

/* Merges person `absorb` into person `keep` (see above). actor/address as
 * for audit_append(). The caller must not be inside a transaction. */
enum merge_outcome person_merge(struct db *db, const char *keep, const char *absorb,
				const char *actor, const char *address, int dry_run,
				struct merge_result *r);

/* The person that id designates now: id itself when it is a person, else
 * the person its alias points to (an id absorbed by a merge). Writes it to
 * out and returns 1; returns 0 when id designates nobody, -1 on SQL error.
 * Imports call it before creating a person under an id (docs/modules/merge.md). */
int person_resolve_alias(struct db *db, const char *id, char out[80]);

/* What refers to person id: [{"table","label","count"}] per table that the
 * merge moves; health steps counted only when with_health. */
json_t *merge_attached(struct db *db, const char *id, int with_health);

/* True when the merge knows how to move column `column` of `table` (a
 * reference to person): the unit test compares it with the database's
 * foreign keys, so that a new table referring to people fails the test
 * until it is listed in merge.c. */
int merge_handles(const char *table, const char *column);

#endif
