/*
 * demo_internal.h — what the demo generator's files share, nothing else
 * includes it.
 *
 * - a small deterministic PRNG (splitmix64): the output must not depend on
 *   libc's rand() or on the machine;
 * - civil dates as day numbers (days since 1970-01-01), because the demo
 *   does date arithmetic and gmtime/localtime are banned (and zone-bound);
 * - a JSON line writer: one exchange-format object per line, keys in the
 *   order they are added, strings escaped, non-ASCII kept as raw UTF-8;
 * - the tables the families share (territories, communes, names);
 * - one generator per family, called in order by demo_write().
 */
#ifndef PARCOURS_DEMO_INTERNAL_H
#define PARCOURS_DEMO_INTERNAL_H

#include <stdbool.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "demo/demo.h"

/* ---- PRNG ---------------------------------------------------------- */

struct demo_rng {
	uint64_t state;
};

/*
 * Seeds `r` for one stream of a run: `stream` separates the families and
 * the households, so that adding draws to one never shifts another.
 */
void demo_rng_seed(struct demo_rng *r, uint64_t seed, uint64_t stream);
uint64_t demo_rng_next(struct demo_rng *r);
/* Uniform in [0, n); n must be > 0. */
uint32_t demo_rng_below(struct demo_rng *r, uint32_t n);
/* Uniform in [lo, hi], both included; hi >= lo. */
long demo_rng_range(struct demo_rng *r, long lo, long hi);
/* True with probability permille / 1000. */
bool demo_rng_permille(struct demo_rng *r, unsigned permille);
/* Index drawn with the given integer weights (n > 0, total > 0). */
size_t demo_rng_weighted(struct demo_rng *r, const unsigned *weights, size_t n);

/* ---- dates --------------------------------------------------------- */

/* Day number (days since 1970-01-01) of a proleptic Gregorian date. */
long demo_days(int year, int month, int day);
/* The date of a day number. */
void demo_civil(long days, int *year, int *month, int *day);
int demo_days_in_month(int year, int month);
/* Same day `years` later (29 February becomes 28 February). */
long demo_add_years(long days, int years);
/* The first day of the month after the one holding `days`. */
long demo_next_month_start(long days);

/* The two years the demo scenario covers (the 2017 report and its year before). */
#define DEMO_YEAR_FIRST 2016
#define DEMO_YEAR_LAST 2017

/* ---- JSON lines ---------------------------------------------------- */

/* The longest line the demo writes is far below this (names are short). */
#define DEMO_LINE_MAX 4096

struct demo_line {
	char buf[DEMO_LINE_MAX];
	size_t len;
	bool overflow;
};

/* Starts an object with its "type" and "id". */
void demo_line_begin(struct demo_line *l, const char *type, const char *id);
/* Adds "key": "value"; nothing when value is NULL (absent, never null). */
void demo_line_str(struct demo_line *l, const char *key, const char *value);
void demo_line_int(struct demo_line *l, const char *key, long value);
void demo_line_bool(struct demo_line *l, const char *key, bool value);
/* Adds "key": "YYYY-MM-DD". */
void demo_line_date(struct demo_line *l, const char *key, long days);
/* Adds "key": ["v1", …]. */
void demo_line_strs(struct demo_line *l, const char *key, const char *const *values, size_t n);
/* Closes the object, writes it and a newline. 0, or -1 (errno set). */
int demo_line_end(struct demo_line *l, FILE *out);

/* ---- the run ------------------------------------------------------- */

struct demo_ctx {
	FILE *out;
	uint64_t seed;
	long households;
	struct demo_line line;
};

/* Stream numbers for demo_rng_seed(); households use their own number. */
enum demo_stream {
	DEMO_STREAM_ORGANISATIONS = 1,
	DEMO_STREAM_USERS = 2,
	DEMO_STREAM_HOUSEHOLDS = 1000, /* + household number */
	DEMO_STREAM_INSTANCES = 3,
	DEMO_STREAM_SESSIONS = 4,
	DEMO_STREAM_ORGANISATION_CONTACTS = 5
};
/* A person's path draws from (DEMO_STREAM_PATHS + household number) · 16
 * + adult · 8 + part: each part of a path (orientations, appointments,
 * attendances …) has its own stream, so skipping one never shifts another. */
#define DEMO_STREAM_PATHS (1ULL << 32)

/* The families, in the order of exchange-format.md. Each returns 0 or -1. */
int demo_write_territories(struct demo_ctx *ctx);
int demo_write_organisations(struct demo_ctx *ctx);
int demo_write_users(struct demo_ctx *ctx);
int demo_write_households(struct demo_ctx *ctx);
int demo_write_people(struct demo_ctx *ctx);
int demo_write_right_periods(struct demo_ctx *ctx);
/* The path (demo_path.c, demo_path_write.c), then the instances
 * (demo_instances.c). */
int demo_write_orientations(struct demo_ctx *ctx);
int demo_write_referent_assignments(struct demo_ctx *ctx);
int demo_write_diagnostics(struct demo_ctx *ctx);
int demo_write_contracts(struct demo_ctx *ctx);
int demo_write_appointments(struct demo_ctx *ctx);
int demo_write_collective_sessions(struct demo_ctx *ctx);
int demo_write_attendances(struct demo_ctx *ctx);
int demo_write_survey_responses(struct demo_ctx *ctx);
int demo_write_steps(struct demo_ctx *ctx);
int demo_write_instances(struct demo_ctx *ctx);
int demo_write_instance_members(struct demo_ctx *ctx);
int demo_write_sittings(struct demo_ctx *ctx);
int demo_write_case_reviews(struct demo_ctx *ctx);

/* ---- what the path reads of the households (demo_people.c) ---------- */

/* The end of a spell that is still running at the end of 2017. */
#define DEMO_OPEN_END LONG_MAX
#define DEMO_VIEW_ADULTS 2
#define DEMO_VIEW_SPELLS 8

/* Days subject to duties (right open, flag set), end inclusive. */
struct demo_spell {
	long start;
	long end; /* DEMO_OPEN_END when ongoing */
};

struct demo_sdd_adult {
	char id[24]; /* person id */
	long birth;
	bool female;
	size_t n_spells;
	struct demo_spell spell[DEMO_VIEW_SPELLS];
};

/* A household as the path sees it: where it lives and its adults that were
 * subject to duties at some time (the others have no path). */
struct demo_household_view {
	long number;
	size_t commune; /* demo_communes index */
	size_t n_adults;
	struct demo_sdd_adult adult[DEMO_VIEW_ADULTS];
};
void demo_household_view(const struct demo_ctx *ctx, long number, struct demo_household_view *v);

/* ---- what the path reads of the organisations (demo_territory.c) ---- */

struct demo_org_ref {
	char id[64];
	const char *kind;
	int territory; /* demo_territories index, or -1 (metropolitan body) */
	int referents; /* its référents are u-<id without org->-1 … -N */
};
size_t demo_org_total(void);
void demo_org_ref_get(size_t i, struct demo_org_ref *ref);
/* The id of the k-th (0-based) référent of the organisation. */
void demo_org_referent_id(const struct demo_org_ref *ref, int k, char *out, size_t cap);

/* ---- territory tables (demo_territory.c) --------------------------- */

struct demo_territory {
	const char *id;
	const char *name;
};
extern const struct demo_territory demo_territories[];
extern const size_t demo_territory_count;

/*
 * One row per commune of the Métropole, Lyon by its nine arrondissements
 * (so 58 communes + 9 arrondissements = the 59 communes).
 */
struct demo_commune {
	const char *insee;
	const char *name;
	unsigned territory; /* index in demo_territories */
	unsigned weight;    /* share of the RSA households, roughly */
	const char *postal_code; /* La Poste's, not INSEE's: Lyon 3e is 69003 */
};
extern const struct demo_commune demo_communes[];
extern const size_t demo_commune_count;

/* A commune index, drawn with the RSA household weights. */
size_t demo_commune_pick(struct demo_rng *r);

/* ---- name tables (demo_names.c) ------------------------------------ */

#define DEMO_NAME_LIST(name) const char *const *name; size_t name##_count

/* First and last names that go together (a family's origin). */
struct demo_origin {
	unsigned weight; /* in ‰ of the adults */
	DEMO_NAME_LIST(female);
	DEMO_NAME_LIST(male);
	DEMO_NAME_LIST(last);
};
extern const struct demo_origin demo_origins[];
extern const size_t demo_origin_count;
/* Index of the French origin, used for mixed couples and staff. */
#define DEMO_ORIGIN_FRENCH 0

extern const char *const demo_streets[];
extern const size_t demo_street_count;

/*
 * Writes an e-mail-safe form of a UTF-8 name into out (cap ≥ 1): lower-case
 * ASCII letters and digits, accents dropped (é → e, œ → oe), spaces and
 * apostrophes removed, hyphens kept. Returns the length written.
 */
size_t demo_ascii_fold(const char *utf8, char *out, size_t cap);

#endif
