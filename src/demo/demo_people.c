/*
 * demo_people.c — the RSA households of the demo, their members and the
 * history of their right (CAF ETATDOSRSA states and the duties flag).
 *
 * Each household is built from its own PRNG stream (seed, household number),
 * so the three families written here (household, person, right_period) can
 * each rebuild it in turn instead of holding 40 000 households in memory: the
 * format wants every household before the first person. What is not a pure
 * function of the household (NIR order numbers, France Travail numbers) is
 * numbered in output order, which is the same on every run.
 *
 * The shape follows the 2017 report and CNAF figures: about half single
 * people without children, a third single parents, couples for the rest; a
 * stock of households already in the RSA before 2016, entries in 2016 and
 * 2017, suspensions, closures and a few returns; about four households in
 * five with an open right at the end of 2017.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "demo/demo_internal.h"

#define DEMO_MAX_MEMBERS 9
#define DEMO_MAX_SEGMENTS 16

enum demo_role { DEMO_DEM, DEMO_CJT, DEMO_ENF, DEMO_AUT };
static const char *const demo_role_codes[] = { "DEM", "CJT", "ENF", "AUT" };

struct demo_member {
	enum demo_role role;
	bool female;
	const struct demo_origin *origin;
	const char *first_name;
	const char *last_name;
	const char *birth_name; /* when a married woman uses her husband's name */
	long birth;
	bool has_nir;
	size_t birth_commune; /* for the NIR: demo_communes index */
	bool has_ft;
	char ft_key;          /* the letter or digit of a France Travail id */
	unsigned ft_tail;     /* its last three digits */
	bool has_phone;
	unsigned phone;       /* 9 digits after the 0: 6xxxxxxxx or 7xxxxxxxx */
	bool has_email;
	unsigned email_tag;   /* 0, or two digits after the name */
	bool sdd;             /* subject to duties while the right is open */
	long sdd_until;       /* first day no longer subject (found work), or 0 */
};

/* One state of the household's right, from `start` until the next one. */
struct demo_segment {
	long start;
	char state;
};

struct demo_household {
	long number; /* 1-based, in ids */
	size_t commune;
	const char *family_situation;
	bool msa;
	long request_date;
	bool has_address;
	unsigned street;
	unsigned street_number;
	size_t n_members;
	struct demo_member m[DEMO_MAX_MEMBERS];
	size_t n_segments;
	struct demo_segment seg[DEMO_MAX_SEGMENTS];
};

/* The composition of a household, weighted (‰) like the RSA caseload. */
enum demo_composition { DEMO_SINGLE, DEMO_SINGLE_PARENT, DEMO_COUPLE, DEMO_COUPLE_CHILDREN };
static const unsigned demo_composition_weights[] = { 520, 300, 60, 120 };

/* CNAF SITFAM codes: people living alone, then couples. */
static const char *const demo_sitfam_alone[] = { "CEL", "SEF", "DIV", "ISO", "SEL", "VEU" };
static const unsigned demo_sitfam_alone_weights[] = { 550, 120, 150, 100, 30, 50 };
static const char *const demo_sitfam_couple[] = { "VIM", "MAR", "PAC" };
static const unsigned demo_sitfam_couple_weights[] = { 450, 420, 130 };

static const unsigned demo_children_weights[] = { 450, 300, 150, 70, 30 }; /* 1 … 5 */

#define DEMO_COUNT(a) (sizeof(a) / sizeof((a)[0]))
/* A period without an end (ongoing). */
#define DEMO_NO_END LONG_MIN

static long demo_window_first(void)
{
	return demo_days(DEMO_YEAR_FIRST, 1, 1);
}

static long demo_window_last(void)
{
	return demo_days(DEMO_YEAR_LAST, 12, 31);
}

static long demo_max(long a, long b)
{
	return a > b ? a : b;
}

static long demo_min(long a, long b)
{
	return a < b ? a : b;
}

/* ---- members ------------------------------------------------------------ */

static const struct demo_origin *demo_pick_origin(struct demo_rng *r)
{
	unsigned weights[16];
	size_t n = demo_origin_count < 16 ? demo_origin_count : 16;

	for (size_t i = 0; i < n; i++)
		weights[i] = demo_origins[i].weight;
	return &demo_origins[demo_rng_weighted(r, weights, n)];
}

static const char *demo_pick(struct demo_rng *r, const char *const *names, size_t n)
{
	return names[demo_rng_below(r, (uint32_t)n)];
}

static const char *demo_first_name(struct demo_rng *r, const struct demo_origin *o, bool female)
{
	return female ? demo_pick(r, o->female, o->female_count) : demo_pick(r, o->male, o->male_count);
}

/* Someone aged `age` on 1 January 2017: adults are 19–63 then, so 18–64
 * over the whole of 2016–2017. */
static long demo_birth_for_age(struct demo_rng *r, int age)
{
	return demo_rng_range(r, demo_days(DEMO_YEAR_LAST - age - 1, 1, 2),
			      demo_days(DEMO_YEAR_LAST - age, 1, 1));
}

/* Younger ages are more frequent in the RSA: the smaller of two draws. */
static int demo_young_skewed_age(struct demo_rng *r, int lo, int hi)
{
	long a = demo_rng_range(r, lo, hi);
	long b = demo_rng_range(r, lo, hi);

	return (int)demo_min(a, b);
}

static struct demo_member *demo_add_member(struct demo_household *hh, enum demo_role role)
{
	struct demo_member *m = &hh->m[hh->n_members++];

	memset(m, 0, sizeof(*m));
	m->role = role;
	return m;
}

static void demo_name_adult(struct demo_rng *r, struct demo_member *m,
			    const struct demo_origin *o, bool female, int age)
{
	m->female = female;
	m->origin = o;
	m->first_name = demo_first_name(r, o, female);
	m->last_name = demo_pick(r, o->last, o->last_count);
	m->birth = demo_birth_for_age(r, age);
}

/* Identifiers and contact details of an adult: most have a NIR (the CAF's
 * certified one), about half are registered with France Travail. */
static void demo_adult_details(struct demo_rng *r, struct demo_household *hh, struct demo_member *m)
{
	m->has_nir = demo_rng_permille(r, 880);
	m->birth_commune = demo_rng_permille(r, 600) ? hh->commune : demo_commune_pick(r);
	m->has_ft = demo_rng_permille(r, m->role == DEMO_DEM ? 500 : m->role == DEMO_CJT ? 350 : 200);
	m->ft_key = (char)(demo_rng_permille(r, 800) ? 'A' + demo_rng_below(r, 26)
						     : '0' + demo_rng_below(r, 10));
	m->ft_tail = demo_rng_below(r, 1000);
	m->has_phone = demo_rng_permille(r, 620);
	m->phone = (demo_rng_permille(r, 700) ? 600000000u : 700000000u) + demo_rng_below(r, 100000000u);
	m->has_email = demo_rng_permille(r, 300);
	m->email_tag = demo_rng_permille(r, 500) ? 10 + demo_rng_below(r, 90) : 0;
}

/* A married woman often uses her husband's name; her own is the birth name. */
static void demo_marriage_names(struct demo_rng *r, struct demo_household *hh)
{
	struct demo_member *wife = NULL, *husband = NULL;

	for (size_t i = 0; i < hh->n_members && i < 2; i++) {
		if (hh->m[i].female)
			wife = &hh->m[i];
		else
			husband = &hh->m[i];
	}
	if (!wife || !husband || !demo_rng_permille(r, 800))
		return;
	wife->birth_name = wife->last_name;
	wife->last_name = husband->last_name;
}

static void demo_sort_children(struct demo_household *hh, size_t first)
{
	/* Oldest first, as the CAF lists them: insertion sort of ≤ 5. */
	for (size_t i = first + 1; i < hh->n_members; i++) {
		struct demo_member tmp = hh->m[i];
		size_t j = i;

		for (; j > first && hh->m[j - 1].birth > tmp.birth; j--)
			hh->m[j] = hh->m[j - 1];
		hh->m[j] = tmp;
	}
}

/* Children born from 2000 (under 18 through 2017), when their mother (or
 * lone father) was 17–45. */
static void demo_add_children(struct demo_rng *r, struct demo_household *hh)
{
	const struct demo_member *parent = &hh->m[0];
	const struct demo_member *father = NULL;
	size_t first = hh->n_members;
	size_t n = 1 + demo_rng_weighted(r, demo_children_weights, DEMO_COUNT(demo_children_weights));

	for (size_t i = 0; i < hh->n_members; i++) {
		if (hh->m[i].female)
			parent = &hh->m[i];
		else
			father = &hh->m[i];
	}
	for (size_t k = 0; k < n && hh->n_members < DEMO_MAX_MEMBERS; k++) {
		long lo = demo_max(demo_days(2000, 1, 1), demo_add_years(parent->birth, 17));
		long hi = demo_min(demo_days(DEMO_YEAR_LAST, 10, 31), demo_add_years(parent->birth, 45));
		const struct demo_origin *o = demo_rng_permille(r, 700) ? parent->origin
								      : &demo_origins[DEMO_ORIGIN_FRENCH];
		struct demo_member *c;

		if (lo > hi)
			break;
		c = demo_add_member(hh, DEMO_ENF);
		c->female = demo_rng_permille(r, 490);
		c->origin = o;
		c->first_name = demo_first_name(r, o, c->female);
		c->last_name = father ? father->last_name : parent->last_name;
		c->birth = demo_rng_range(r, lo, hi);
	}
	demo_sort_children(hh, first);
}

/* Now and then a grown-up child or a relative lives with an older applicant. */
static void demo_maybe_add_other(struct demo_rng *r, struct demo_household *hh)
{
	const struct demo_member *dem = &hh->m[0];
	struct demo_member *m;

	if (!demo_rng_permille(r, 25) || dem->birth > demo_days(1975, 1, 1) ||
	    hh->n_members >= DEMO_MAX_MEMBERS)
		return;
	m = demo_add_member(hh, DEMO_AUT);
	m->female = demo_rng_permille(r, 500);
	m->origin = dem->origin;
	m->first_name = demo_first_name(r, m->origin, m->female);
	m->last_name = dem->birth_name ? dem->birth_name : dem->last_name;
	m->birth = demo_birth_for_age(r, (int)demo_rng_range(r, 19, 24));
	demo_adult_details(r, hh, m);
}

static void demo_build_members(struct demo_rng *r, struct demo_household *hh)
{
	enum demo_composition comp = (enum demo_composition)demo_rng_weighted(
		r, demo_composition_weights, DEMO_COUNT(demo_composition_weights));
	const struct demo_origin *origin = demo_pick_origin(r);
	bool couple = comp == DEMO_COUPLE || comp == DEMO_COUPLE_CHILDREN;
	bool children = comp == DEMO_SINGLE_PARENT || comp == DEMO_COUPLE_CHILDREN;
	struct demo_member *dem = demo_add_member(hh, DEMO_DEM);
	int age;

	/* Under 25 the RSA needs a child ("RSA jeune parent" aside): single
	 * people without one are 26 or more, so 25 already in January 2016. */
	if (comp == DEMO_SINGLE)
		age = demo_young_skewed_age(r, 26, 63);
	else if (children)
		age = demo_young_skewed_age(r, 19, 50);
	else
		age = (int)demo_rng_range(r, 26, 63);
	/* Lone parents are mostly mothers; single people mostly men. */
	demo_name_adult(r, dem, origin,
			comp == DEMO_SINGLE_PARENT ? demo_rng_permille(r, 880)
			: comp == DEMO_SINGLE	   ? demo_rng_permille(r, 380)
						   : demo_rng_permille(r, 450),
			age);
	demo_adult_details(r, hh, dem);
	if (couple) {
		struct demo_member *cjt = demo_add_member(hh, DEMO_CJT);
		const struct demo_origin *o = demo_rng_permille(r, 800) ? origin : demo_pick_origin(r);
		bool female = demo_rng_permille(r, 990) ? !dem->female : dem->female;
		int cjt_age = (int)demo_max(19, demo_min(63, age + demo_rng_range(r, -4, 8) * (female ? -1 : 1)));

		demo_name_adult(r, cjt, o, female, cjt_age);
		demo_adult_details(r, hh, cjt);
		hh->family_situation = demo_sitfam_couple[demo_rng_weighted(
			r, demo_sitfam_couple_weights, DEMO_COUNT(demo_sitfam_couple_weights))];
		if (strcmp(hh->family_situation, "MAR") == 0)
			demo_marriage_names(r, hh);
	} else {
		hh->family_situation = demo_sitfam_alone[demo_rng_weighted(
			r, demo_sitfam_alone_weights, DEMO_COUNT(demo_sitfam_alone_weights))];
	}
	if (children)
		demo_add_children(r, hh);
	demo_maybe_add_other(r, hh);
}

/* ---- the right's history ------------------------------------------------- */

static bool demo_add_segment(struct demo_household *hh, long start, char state)
{
	if (hh->n_segments >= DEMO_MAX_SEGMENTS)
		return false;
	if (hh->n_segments > 0 && start <= hh->seg[hh->n_segments - 1].start)
		return false;
	hh->seg[hh->n_segments].start = start;
	hh->seg[hh->n_segments].state = state;
	hh->n_segments++;
	return true;
}

/* A new request: pending ("0") while the CAF instructs it, then open ("2").
 * Returns the opening day, or 0 when the request is still pending at the end
 * of 2017. */
static long demo_request(struct demo_rng *r, struct demo_household *hh, long day)
{
	long open = day + demo_rng_range(r, 10, 60);

	hh->request_date = day;
	if (!demo_add_segment(hh, day, '0') || open > demo_window_last() ||
	    !demo_add_segment(hh, open, '2'))
		return 0;
	return open;
}

/*
 * What happens to an open right during 2016–2017, from `cursor` (the last
 * opening or 1 January 2016): suspensions ("3" suspended, "4" payment
 * suspended) that end with a return to "2"; closures ("5" the month of
 * closure, "6" from the next month); sometimes a new request after a closure.
 */
static void demo_simulate(struct demo_rng *r, struct demo_household *hh, long cursor)
{
	const long last = demo_window_last();
	bool open = true;

	while (hh->n_segments + 2 <= DEMO_MAX_SEGMENTS) {
		long day;

		if (!open) {
			day = cursor + demo_rng_range(r, 45, 420);
			if (!demo_rng_permille(r, 350) || day > last)
				break;
			cursor = demo_request(r, hh, day);
			if (!cursor)
				break;
			open = true;
			continue;
		}
		day = cursor + demo_rng_range(r, 90, 1100);
		if (day > last)
			break;
		if (demo_rng_permille(r, 640)) {
			long back = day + demo_rng_range(r, 28, 150);

			demo_add_segment(hh, day, demo_rng_permille(r, 450) ? '3' : '4');
			if (back > last || !demo_add_segment(hh, back, '2'))
				break;
			cursor = back;
		} else {
			long next = demo_next_month_start(day);

			demo_add_segment(hh, day, '5');
			if (next > last || !demo_add_segment(hh, next, '6'))
				break;
			cursor = next;
			open = false;
		}
	}
}

/* The earliest day the household's right can have opened: every adult 18,
 * and a single applicant without children 25 (CASF L262-4). */
static long demo_earliest_start(const struct demo_household *hh)
{
	long earliest = demo_days(2009, 6, 1); /* the RSA replaced the RMI then */
	bool children = false;

	for (size_t i = 0; i < hh->n_members; i++)
		children |= hh->m[i].role == DEMO_ENF;
	for (size_t i = 0; i < hh->n_members; i++) {
		const struct demo_member *m = &hh->m[i];

		if (m->role == DEMO_DEM || m->role == DEMO_CJT)
			earliest = demo_max(earliest, demo_add_years(m->birth, 18));
		if (m->role == DEMO_DEM && !children && hh->n_members == 1)
			earliest = demo_max(earliest, demo_add_years(m->birth, 25));
	}
	return earliest;
}

static void demo_build_timeline(struct demo_rng *r, struct demo_household *hh)
{
	const long first = demo_window_first();
	const long stock_last = first - 1;
	long earliest = demo_earliest_start(hh);
	unsigned kind = demo_rng_below(r, 1000);
	long open;

	if (kind < 640 && earliest <= stock_last) {
		/* Already in the RSA before 2016: recent openings are the more
		 * frequent, half the draws are the later of two. */
		long start = demo_rng_range(r, earliest, stock_last);

		if (demo_rng_permille(r, 500))
			start = demo_max(start, demo_rng_range(r, earliest, stock_last));
		hh->request_date = start - demo_rng_range(r, 10, 60);
		demo_add_segment(hh, start, '2');
		demo_simulate(r, hh, first);
		return;
	}
	if (kind < 820)
		open = demo_request(r, hh, demo_rng_range(r, first, demo_days(DEMO_YEAR_FIRST, 12, 31)));
	else
		open = demo_request(r, hh, demo_rng_range(r, demo_days(DEMO_YEAR_LAST, 1, 1),
							 demo_window_last()));
	if (open)
		demo_simulate(r, hh, open);
}

/* Who is subject to duties: most applicants, fewer partners (one of the two
 * often works); some find work on the way and stop being so. */
static void demo_build_duties(struct demo_rng *r, struct demo_household *hh)
{
	for (size_t i = 0; i < hh->n_members; i++) {
		struct demo_member *m = &hh->m[i];

		if (m->role != DEMO_DEM && m->role != DEMO_CJT)
			continue;
		m->sdd = demo_rng_permille(r, m->role == DEMO_DEM ? 930 : 680);
		if (m->sdd && demo_rng_permille(r, 70))
			m->sdd_until = demo_rng_range(r, demo_window_first() + 90, demo_window_last());
	}
}

static void demo_household_build(const struct demo_ctx *ctx, long number, struct demo_household *hh)
{
	struct demo_rng r;

	memset(hh, 0, sizeof(*hh));
	demo_rng_seed(&r, ctx->seed, DEMO_STREAM_HOUSEHOLDS + (uint64_t)number);
	hh->number = number;
	hh->commune = demo_commune_pick(&r);
	hh->msa = demo_rng_permille(&r, 25);
	demo_build_members(&r, hh);
	demo_build_timeline(&r, hh);
	demo_build_duties(&r, hh);
	hh->has_address = demo_rng_permille(&r, 700);
	hh->street = demo_rng_below(&r, (uint32_t)demo_street_count);
	hh->street_number = 1 + demo_rng_below(&r, 160);
}

/* ---- households ---------------------------------------------------------- */

/*
 * A bijection of [0, 9 000 000): multiplying by a number prime to 9·10⁶ never
 * maps two households to one number, so CAF numbers are unique without a
 * lookup table, and still look scattered.
 */
static unsigned long demo_scatter(unsigned long n, unsigned long multiplier, unsigned long offset,
				  unsigned long modulus)
{
	return (n * multiplier + offset) % modulus;
}

static int demo_write_household(struct demo_ctx *ctx, const struct demo_household *hh)
{
	const struct demo_commune *c = &demo_communes[hh->commune];
	unsigned long n = (unsigned long)hh->number - 1;
	char id[32], caf[16], request[16];
	int y, mo, d;

	demo_civil(hh->request_date, &y, &mo, &d);
	snprintf(id, sizeof(id), "hh-%06ld", hh->number);
	snprintf(caf, sizeof(caf), "%07lu",
		 1000000 + demo_scatter(n, 7919, ctx->seed % 9000000, 9000000));
	/* CAF request numbers: department, year of the request, a serial. */
	snprintf(request, sizeof(request), "69%02d%07lu", y % 100,
		 demo_scatter(n, 3571, (ctx->seed >> 8) % 10000000, 10000000));
	demo_line_begin(&ctx->line, "household", id);
	demo_line_str(&ctx->line, "caf_number", caf);
	demo_line_str(&ctx->line, "paying_body", hh->msa ? "MSA" : "CAF");
	demo_line_str(&ctx->line, "rsa_request_number", request);
	demo_line_date(&ctx->line, "rsa_request_date", hh->request_date);
	demo_line_str(&ctx->line, "commune", c->insee);
	demo_line_str(&ctx->line, "territory", demo_territories[c->territory].id);
	demo_line_str(&ctx->line, "family_situation", hh->family_situation);
	return demo_line_end(&ctx->line, ctx->out);
}

int demo_write_households(struct demo_ctx *ctx)
{
	struct demo_household hh;
	int err = -1;

	for (long n = 1; n <= ctx->households; n++) {
		demo_household_build(ctx, n, &hh);
		if (demo_write_household(ctx, &hh))
			goto out;
	}
	err = 0;
out:
	return err;
}

/* ---- people ------------------------------------------------------------- */

/* NIR order numbers, per (sex, year, month, commune of birth): the 3 digits
 * that make two people born the same month in the same place differ. */
struct demo_people_state {
	uint16_t *nir_order;
	unsigned long ft_serial;
};

static size_t demo_nir_slot(int sex_digit, int yy, int month, size_t commune)
{
	return (((size_t)(sex_digit - 1) * 100 + (size_t)yy) * 12 + (size_t)(month - 1)) *
		       demo_commune_count +
	       commune;
}

/* The NIR: sex, yy, mm, department 69, commune, order, then the key
 * 97 − (the 13 digits mod 97). False when the 999 order numbers of that
 * slot are spent (a person then has no NIR, as some do). */
static bool demo_nir(struct demo_people_state *st, const struct demo_member *m, char out[16])
{
	int sex = m->female ? 2 : 1;
	int y, mo, d;
	size_t slot;
	unsigned order;
	long commune;
	uint64_t number;

	demo_civil(m->birth, &y, &mo, &d);
	slot = demo_nir_slot(sex, y % 100, mo, m->birth_commune);
	if (st->nir_order[slot] >= 999)
		return false;
	order = ++st->nir_order[slot];
	commune = strtol(demo_communes[m->birth_commune].insee + 2, NULL, 10);
	number = (uint64_t)sex * 1000000000000ULL + (uint64_t)(y % 100) * 10000000000ULL +
		 (uint64_t)mo * 100000000ULL + 69ULL * 1000000ULL + (uint64_t)commune * 1000ULL + order;
	snprintf(out, 16, "%013" PRIu64 "%02u", number, (unsigned)(97 - number % 97));
	return true;
}

static void demo_write_contacts(struct demo_ctx *ctx, const struct demo_household *hh,
				const struct demo_member *m)
{
	char buf[192];

	if (m->has_phone) {
		unsigned p = m->phone;

		snprintf(buf, sizeof(buf), "0%u %02u %02u %02u %02u", p / 100000000, p / 1000000 % 100,
			 p / 10000 % 100, p / 100 % 100, p % 100);
		demo_line_str(&ctx->line, "phone", buf);
	}
	if (m->has_email) {
		char first[48], last[48];

		demo_ascii_fold(m->first_name, first, sizeof(first));
		demo_ascii_fold(m->last_name, last, sizeof(last));
		if (m->email_tag)
			snprintf(buf, sizeof(buf), "%s.%s%u@example.org", first, last, m->email_tag);
		else
			snprintf(buf, sizeof(buf), "%s.%s@example.org", first, last);
		demo_line_str(&ctx->line, "email", buf);
	}
	if (hh->has_address && m->role != DEMO_ENF) {
		snprintf(buf, sizeof(buf), "%u %s, %s", hh->street_number, demo_streets[hh->street],
			 demo_communes[hh->commune].name);
		demo_line_str(&ctx->line, "address", buf);
	}
}

static int demo_write_person(struct demo_ctx *ctx, struct demo_people_state *st,
			     const struct demo_household *hh, size_t k)
{
	const struct demo_member *m = &hh->m[k];
	bool adult = m->role != DEMO_ENF;
	char id[32], hid[32], nir[16], ft[16];

	snprintf(id, sizeof(id), "p-%06ld-%zu", hh->number, k + 1);
	snprintf(hid, sizeof(hid), "hh-%06ld", hh->number);
	demo_line_begin(&ctx->line, "person", id);
	demo_line_str(&ctx->line, "household", hid);
	demo_line_str(&ctx->line, "role", demo_role_codes[m->role]);
	demo_line_str(&ctx->line, "first_name", m->first_name);
	demo_line_str(&ctx->line, "last_name", m->last_name);
	demo_line_str(&ctx->line, "birth_name", m->birth_name);
	demo_line_date(&ctx->line, "birth_date", m->birth);
	demo_line_str(&ctx->line, "sex", m->female ? "F" : "M");
	if (adult) /* civility is for adults; the CAF leaves children's blank */
		demo_line_str(&ctx->line, "title", m->female ? "MME" : "MR");
	if (adult && m->has_nir && demo_nir(st, m, nir))
		demo_line_str(&ctx->line, "nir", nir);
	if (adult && m->has_ft) {
		/* 7 digits, a letter or digit, 3 digits; the 7 digits are a
		 * bijection of the serial, so ids never repeat. */
		snprintf(ft, sizeof(ft), "%07lu%c%03u",
			 1000000 + demo_scatter(st->ft_serial++, 6007, (ctx->seed >> 16) % 9000000, 9000000),
			 m->ft_key, m->ft_tail);
		demo_line_str(&ctx->line, "france_travail_id", ft);
	}
	if (adult)
		demo_write_contacts(ctx, hh, m);
	return demo_line_end(&ctx->line, ctx->out);
}

int demo_write_people(struct demo_ctx *ctx)
{
	struct demo_people_state st = { NULL, 0 };
	struct demo_household hh;
	int err = -1;

	st.nir_order = calloc(demo_nir_slot(2, 99, 12, demo_commune_count - 1) + 1, sizeof(uint16_t));
	if (!st.nir_order)
		goto out;
	for (long n = 1; n <= ctx->households; n++) {
		demo_household_build(ctx, n, &hh);
		for (size_t k = 0; k < hh.n_members; k++) {
			if (demo_write_person(ctx, &st, &hh, k))
				goto out;
		}
	}
	err = 0;
out:
	free(st.nir_order);
	return err;
}

/* ---- right periods ------------------------------------------------------ */

static bool demo_state_open(char state)
{
	return state == '2' || state == '3' || state == '4';
}

static int demo_write_period(struct demo_ctx *ctx, const char *person, int *n, long start,
			     long end, char state, bool duties)
{
	char id[48];
	char st[2] = { state, '\0' };

	snprintf(id, sizeof(id), "rp-%s-%d", person + 2, ++*n);
	demo_line_begin(&ctx->line, "right_period", id);
	demo_line_str(&ctx->line, "person", person);
	demo_line_date(&ctx->line, "start", start);
	if (end != DEMO_NO_END)
		demo_line_date(&ctx->line, "end", end);
	demo_line_str(&ctx->line, "state", st);
	demo_line_bool(&ctx->line, "subject_to_duties", duties);
	return demo_line_end(&ctx->line, ctx->out);
}

/*
 * One adult's periods: the household's segments, each ending the day before
 * the next begins (so they never overlap), the last one open-ended. Duties
 * hold in open states for a person subject to them, until the day they
 * found work, where the period is split in two.
 */
static int demo_write_member_periods(struct demo_ctx *ctx, const struct demo_household *hh, size_t k)
{
	const struct demo_member *m = &hh->m[k];
	char person[32];
	int n = 0;
	int err = -1;

	snprintf(person, sizeof(person), "p-%06ld-%zu", hh->number, k + 1);
	for (size_t i = 0; i < hh->n_segments; i++) {
		long start = hh->seg[i].start;
		long end = i + 1 < hh->n_segments ? hh->seg[i + 1].start - 1 : DEMO_NO_END;
		char state = hh->seg[i].state;
		bool duties = demo_state_open(state) && m->sdd && !(m->sdd_until && start >= m->sdd_until);

		if (duties && m->sdd_until && (end == DEMO_NO_END || m->sdd_until <= end)) {
			if (demo_write_period(ctx, person, &n, start, m->sdd_until - 1, state, true))
				goto out;
			start = m->sdd_until;
			duties = false;
		}
		if (demo_write_period(ctx, person, &n, start, end, state, duties))
			goto out;
	}
	err = 0;
out:
	return err;
}

int demo_write_right_periods(struct demo_ctx *ctx)
{
	struct demo_household hh;
	int err = -1;

	for (long n = 1; n <= ctx->households; n++) {
		demo_household_build(ctx, n, &hh);
		for (size_t k = 0; k < hh.n_members; k++) {
			if (hh.m[k].role != DEMO_DEM && hh.m[k].role != DEMO_CJT)
				continue;
			if (demo_write_member_periods(ctx, &hh, k))
				goto out;
		}
	}
	err = 0;
out:
	return err;
}

/* ---- what the path families read of a household -------------------------- */

/* Appends [start, end] to the adult's SDD spells, joining it to the last one
 * when they touch (a suspension keeps the person subject to duties). */
static void demo_view_add_spell(struct demo_sdd_adult *a, long start, long end)
{
	struct demo_spell *last = a->n_spells ? &a->spell[a->n_spells - 1] : NULL;

	if (last && last->end != DEMO_OPEN_END && last->end + 1 == start) {
		last->end = end;
		return;
	}
	if (a->n_spells < DEMO_VIEW_SPELLS)
		a->spell[a->n_spells++] = (struct demo_spell){ start, end };
}

/* The spells of one adult: the open segments while subject to duties, cut
 * at the day they found work, as demo_write_member_periods() writes them. */
static void demo_view_adult(const struct demo_household *hh, size_t k, struct demo_sdd_adult *a)
{
	const struct demo_member *m = &hh->m[k];

	memset(a, 0, sizeof(*a));
	/* A household has a handful of members: the id always fits. */
	if (snprintf(a->id, sizeof(a->id), "p-%06ld-%zu", hh->number, k + 1) >= (int)sizeof(a->id))
		abort();
	a->birth = m->birth;
	a->female = m->female;
	for (size_t i = 0; m->sdd && i < hh->n_segments; i++) {
		long start = hh->seg[i].start;
		long end = i + 1 < hh->n_segments ? hh->seg[i + 1].start - 1 : DEMO_OPEN_END;

		if (!demo_state_open(hh->seg[i].state) || (m->sdd_until && start >= m->sdd_until))
			continue;
		if (m->sdd_until && (end == DEMO_OPEN_END || m->sdd_until <= end))
			end = m->sdd_until - 1;
		demo_view_add_spell(a, start, end);
	}
}

void demo_household_view(const struct demo_ctx *ctx, long number, struct demo_household_view *v)
{
	struct demo_household hh;

	demo_household_build(ctx, number, &hh);
	memset(v, 0, sizeof(*v));
	v->number = number;
	v->commune = hh.commune;
	for (size_t k = 0; k < hh.n_members && v->n_adults < DEMO_VIEW_ADULTS; k++) {
		struct demo_sdd_adult *a = &v->adult[v->n_adults];

		if (hh.m[k].role != DEMO_DEM && hh.m[k].role != DEMO_CJT)
			continue;
		demo_view_adult(&hh, k, a);
		if (a->n_spells)
			v->n_adults++;
	}
}
