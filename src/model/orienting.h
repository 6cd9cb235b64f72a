/*
 * orienting.h — the orientation officer's writes, independent of the web:
 * orient a person into an itinerary and organisation, and designate or
 * change their référent (domain.md, "The path of a beneficiary", point 2).
 *
 * Each call is one transaction: the procedure's own rules first (said in
 * plain French, with names rather than ids), then the records written, then
 * the types' rules across records (record_check_one) on every record
 * written, then one audit entry per record (object: the person, so that the
 * audit's person filter finds them), then commit. Nothing is closed
 * silently: a person with a current orientation may only be REoriented
 * (origin `reorientation`, which needs a favourable case review, or `move`
 * to another territory's organisation); the current orientation then ends
 * the day before the new one starts. A référent designation ends the
 * current one the day before the new one starts: never two at once.
 */
#ifndef PARCOURS_ORIENTING_H
#define PARCOURS_ORIENTING_H
#include <jansson.h>

struct db;
struct problems;

enum orienting_result {
	ORIENTING_OK = 0,
	ORIENTING_INVALID = 422, /* problems were added to pb: nothing written */
	ORIENTING_CONFLICT = 409, /* the current record is not the one expected */
	ORIENTING_FAILED = 500,
};

/* Who writes, for the audit: an account id and the client's address. */
struct orienting_actor {
	const char *id;
	const char *address;
};

struct orienting_orientation {
	const char *person;
	const char *itinerary;    /* social, socio_professional, professional */
	const char *organisation;
	const char *referent;     /* an account with the referent role there, or NULL */
	const char *decided_on;   /* YYYY-MM-DD */
	const char *start;        /* YYYY-MM-DD */
	const char *origin;       /* initial (NULL), reorientation, move, default */
	const char *case_review;  /* the favourable review of a reorientation */
	/* The person's current orientation when the form was read: "" none,
	 * an id, or NULL not to check (bulk, tests). Another one → 409. */
	const char *expected_current;
};

struct orienting_designation {
	const char *person;
	const char *referent;     /* account id; the assignment's organisation is theirs */
	const char *start;
	const char *end;          /* NULL: open */
	const char *expected_current; /* as above, for the current assignment */
};

/* Orients the person. On ORIENTING_OK, id_out gets the new orientation's id
 * (and when a référent is named, an assignment is designated with it). */
enum orienting_result orienting_orient(struct db *db, const struct orienting_actor *who,
				       const struct orienting_orientation *o, struct problems *pb,
				       char id_out[65]);
/* Designates (or changes) the person's référent. */
enum orienting_result orienting_designate(struct db *db, const struct orienting_actor *who,
					  const struct orienting_designation *d,
					  struct problems *pb, char id_out[65]);

/* The person's orientation (or référent assignment when `assignment`)
 * current on `day` or starting later: 1 and its id in id_out, 0 none, -1
 * on a SQL error. */
int orienting_current(struct db *db, int assignment, const char *person, const char *day,
		      char id_out[65]);

/* The itineraries' labels ("Social", "Socio-professionnel",
 * "Professionnel"); the code itself when unknown. */
const char *orienting_itinerary_label(const char *itinerary);
/* True when an organisation of `kind` carries `itinerary` (the rule of
 * path.c's orientation checks, which the forms' lists follow). */
int orienting_kind_fits(const char *itinerary, const char *kind);
/* The kinds that carry an itinerary, NULL-ended (NULL for an unknown one). */
const char *const *orienting_kinds(const char *itinerary);

#endif
