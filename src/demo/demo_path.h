/*
 * demo_path.h — the path of one demo beneficiary, as the path families of
 * the generator share it (demo_path.c builds it, demo_path_write.c and
 * demo_instances.c write it). Nothing outside src/demo includes it.
 *
 * A person's path is a pure function of (seed, household, adult): every
 * family rebuilds it from the household's view instead of holding 40 000
 * paths in memory, like demo_people.c does for households. Only the
 * collective sessions' fill (capacity) crosses people: it lives in the
 * world below, filled in output order, the same on every run.
 */
#ifndef PARCOURS_DEMO_PATH_H
#define PARCOURS_DEMO_PATH_H

#include "demo/demo_internal.h"

#define DEMO_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The day after which appointments and sessions are still to come: the
 * demo is seen "today" = 2017-12-31; planned ones run three months on. */
#define DEMO_HORIZON_MONTHS 3

enum demo_itinerary { DEMO_SOCIAL, DEMO_SOCIO_PRO, DEMO_PROFESSIONAL, DEMO_ITINERARIES };
extern const char *const demo_itinerary_codes[DEMO_ITINERARIES];

#define DEMO_PATH_ORIENTATIONS 12
#define DEMO_PATH_ASSIGNMENTS 24
#define DEMO_PATH_CONTRACTS 32
#define DEMO_PATH_DIAGNOSTICS 24
#define DEMO_PATH_REVIEWS 16
#define DEMO_PATH_STEPS 32
#define DEMO_PATH_APPOINTMENTS 128
#define DEMO_PATH_ATTENDANCES 24
#define DEMO_PATH_BARRIERS 4
#define DEMO_PATH_ACTIONS 3
#define DEMO_USER_ID_MAX 72

/* No end: ongoing (written without "end"). */
#define DEMO_PATH_NO_END DEMO_OPEN_END

struct demo_orientation {
	long decided_on, start, end;
	enum demo_itinerary itinerary;
	size_t org;	    /* demo_org_ref index */
	const char *origin; /* initial, reorientation */
	int review;	    /* index in reviews (reorientation), or -1 */
	int assignment;	    /* its first référent assignment, or -1 */
};

struct demo_assignment {
	char referent[DEMO_USER_ID_MAX];
	size_t org;
	long start, end;
};

struct demo_contract {
	const char *kind; /* cer, ppae */
	size_t org;
	const char *referent; /* into an assignment, or NULL */
	long start, end;
	long terminated_on; /* 0: signed */
	size_t n_actions;
	const char *actions[DEMO_PATH_ACTIONS];
};

struct demo_diagnostic {
	long date;
	const char *author;
	const char *autonomy;
	size_t n_barriers;
	const char *barriers[DEMO_PATH_BARRIERS];
};

/* Instances: one ITT per territory (index = territory), then the
 * metropolitan mediation instance. */
#define DEMO_INSTANCE_MEDIATION (demo_territory_count)
#define DEMO_INSTANCE_COUNT (demo_territory_count + 1)

struct demo_review {
	long referred_on;
	const char *reason;
	size_t instance;
	long sitting;	     /* its day, or 0: pending or deemed */
	const char *opinion; /* NULL: pending */
	bool heard;
};

struct demo_step {
	long date;
	const char *category;
	const char *contract_type;
};

struct demo_appointment {
	long day;
	int minutes; /* after midnight, local time */
	size_t org;
	const char *referent;
	const char *kind;
	const char *status;
};

struct demo_attendance {
	size_t org;
	int session; /* index in the organisation's schedule */
	const char *status;
	bool survey; /* answered the feedback survey */
	bool survey_named;
	bool helps_job_search;
	bool helps_personal_life;
};

struct demo_path {
	const struct demo_sdd_adult *adult;
	size_t territory;
	size_t n_orientations, n_assignments, n_contracts, n_diagnostics, n_reviews, n_steps,
		n_appointments, n_attendances;
	struct demo_orientation orientation[DEMO_PATH_ORIENTATIONS];
	struct demo_assignment assignment[DEMO_PATH_ASSIGNMENTS];
	struct demo_contract contract[DEMO_PATH_CONTRACTS];
	struct demo_diagnostic diagnostic[DEMO_PATH_DIAGNOSTICS];
	struct demo_review review[DEMO_PATH_REVIEWS];
	struct demo_step step[DEMO_PATH_STEPS];
	struct demo_appointment appointment[DEMO_PATH_APPOINTMENTS];
	struct demo_attendance attendance[DEMO_PATH_ATTENDANCES];
};

/* The collective sessions of an organisation: one every week or fortnight
 * from its first, through the horizon. */
#define DEMO_SESSIONS_PER_ORG 128

/* What a pass of the path families knows beyond one person. */
struct demo_world {
	const struct demo_ctx *ctx;
	size_t n_orgs;
	struct demo_org_ref *orgs;
	/* Collective sessions: first day per organisation (0: none). */
	long *session_first;
	long *session_every;
	/* Places taken per (organisation, session), in output order. */
	uint8_t *session_taken;
};

int demo_world_open(struct demo_world *w, const struct demo_ctx *ctx);
void demo_world_close(struct demo_world *w);

/* The window: 2016-01-01 … 2017-12-31, and the last day of planned ones. */
long demo_first_day(void);
long demo_last_day(void);
long demo_horizon(void);
long demo_lmin(long a, long b);
long demo_lmax(long a, long b);
/* Monday 0 … Sunday 6. */
int demo_weekday(long day);
/* The next working day (Monday to Friday) on or after `day`. */
long demo_working_day(long day);
/* Writes RFC 3339 local time of Lyon ("+01:00" or "+02:00" in summer). */
void demo_datetime(long day, int minutes, char out[32]);

/* Builds the path of the `adult`-th SDD adult of a household. With
 * `attendances`, also registers them in the sessions, taking places
 * (call it once per person and pass for that). */
void demo_path_build(struct demo_world *w, const struct demo_household_view *v, size_t adult,
		     bool attendances, struct demo_path *p);

/* Ids carry the person's: "<prefix>-<person id without p->-<n + 1>". */
void demo_path_id(char *out, size_t cap, const char *prefix, const struct demo_path *p, size_t n);
/* Begins a line of `type` with that id and the person's reference. */
void demo_path_line_begin(struct demo_ctx *ctx, const char *type, const char *prefix,
			  const struct demo_path *p, size_t n);

/* Calls fn for each SDD adult of each household, in output order. */
typedef int (*demo_path_fn)(struct demo_ctx *ctx, struct demo_world *w, const struct demo_path *p);
int demo_path_each(struct demo_ctx *ctx, bool attendances, demo_path_fn fn);

/* Sessions: their day (0 when past the horizon) and their capacity. */
long demo_session_day(const struct demo_world *w, size_t org, int k);
int demo_session_capacity(const struct demo_ctx *ctx, size_t org, int k);
const char *demo_session_title(const struct demo_world *w, size_t org, int k);
void demo_session_id(const struct demo_org_ref *org, int k, char *out, size_t cap);

/* Instances (demo_instances.c): the first sitting on or after `day` within
 * the window, or 0. */
long demo_next_sitting(size_t instance, long day);
void demo_instance_id(size_t instance, char *out, size_t cap);
void demo_sitting_id(size_t instance, long day, char *out, size_t cap);

#endif
