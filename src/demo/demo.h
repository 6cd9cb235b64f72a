/*
 * demo — the synthetic Métropole de Lyon of `parcours demo`.
 *
 * The demo is not loaded by a private path: it is written in the exchange
 * format (docs: ../shared/design/exchange-format.md) and then read by the
 * same importer as a migration, so the demo also exercises that contract.
 *
 * Usage:
 *
 *     struct demo_options opt = { .seed = DEMO_DEFAULT_SEED,
 *                                 .households = DEMO_DEFAULT_HOUSEHOLDS };
 *     if (demo_write(out, &opt))
 *             ... write error (errno says why) ...
 *
 * The output is a pure function of the options: the same seed and household
 * count give byte-identical files on every machine (no clock, no locale, no
 * libc random generator). The territory, organisations and users do not
 * depend on the household count, and each household draws from its own
 * stream (seed, household number), so a larger run extends a smaller one
 * with the same seed instead of reshuffling it.
 *
 * Families are written in the order of the exchange format: territory,
 * organisation, user, household, person, right_period. Later families
 * (orientations, contracts, programmes …) are added as one generator each;
 * see docs/modules/demo.md.
 */
#ifndef PARCOURS_DEMO_H
#define PARCOURS_DEMO_H

#include <stdio.h>

/* The demo's default size: about the Métropole's RSA households in 2017. */
#define DEMO_DEFAULT_HOUSEHOLDS 40000
/* The seed used by `parcours demo` unless told otherwise. */
#define DEMO_DEFAULT_SEED 2017UL
/* Ids and CAF numbers are drawn without collision up to this count. */
#define DEMO_MAX_HOUSEHOLDS 5000000

struct demo_options {
	unsigned long seed;
	/* Number of households; 0 (or less) means DEMO_DEFAULT_HOUSEHOLDS. */
	int households;
};

/*
 * Writes the demo territory as exchange-format JSONL to `out`, types in the
 * order of exchange-format.md (territory, organisation, user, household,
 * person, right_period). `opt` may be NULL for the defaults.
 * Returns 0, or -1 on a write error (errno set) or when `households` is above
 * DEMO_MAX_HOUSEHOLDS (errno EINVAL). Same options → byte-identical output.
 */
int demo_write(FILE *out, const struct demo_options *opt);

/*
 * The demo accounts, for printing and for setting their passwords after
 * import. One per role, in the order of domain.md, then the health-accredited
 * référent (role "referent" again). Terminated by an entry whose email is
 * NULL. Each email is the `email` of a user record that demo_write() emits,
 * with that role among its roles.
 */
struct demo_account {
	const char *email;
	const char *role;
	const char *label_fr;
};
extern const struct demo_account demo_accounts[];

/* The password every demo account gets: for the demo only (see README). */
extern const char demo_password[];

#endif
