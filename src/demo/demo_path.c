/*
 * demo_path.c — the path of each demo beneficiary: orientations and
 * reorientations, référents, diagnostics, contracts, reviews by the teams,
 * appointments, collective sessions and steps (domain.md, "The path of a
 * beneficiary"). demo_path_write.c writes what this builds.
 *
 * Proportions follow the 2017 report's orders of magnitude: orientation
 * within two months of the RSA entry for most, about 25 / 35 / 40 % of
 * orientations into the social, socio-professional and professional
 * itineraries, contracts for about 60 % of the people outside Pôle emploi,
 * 70 % of individual appointments honored, collective sessions for about
 * two accompanied people in three, steps of every category.
 */
#include <stdlib.h>
#include <string.h>

#include "demo/demo_path.h"

const char *const demo_itinerary_codes[DEMO_ITINERARIES] = { "social", "socio_professional",
							      "professional" };

/* The demo accounts that follow people (demo_territory.c gives them these
 * ids and organisations): the référente of the caseload page follows about
 * 150 people, the health-accredited one a few dozen. */
#define DEMO_REFERENT_USER "u-demo-referent"
#define DEMO_REFERENT_ORG "org-mdm-villeurbanne-saint-jean"
#define DEMO_HEALTH_USER "u-demo-referent-health"
#define DEMO_HEALTH_ORG "org-asso-relais-sante-insertion"
/* Share (‰) of their organisation's people that the two demo accounts
 * follow, and how much more their organisations receive than their peers. */
#define DEMO_REFERENT_SHARE 380
#define DEMO_HEALTH_SHARE 200
#define DEMO_DEMO_ORG_BOOST 3

/* The parts of a path, each drawing from its own stream. */
enum demo_part {
	DEMO_PART_ORIENTATION,
	DEMO_PART_ASSIGNMENT,
	DEMO_PART_DIAGNOSTIC,
	DEMO_PART_CONTRACT,
	DEMO_PART_APPOINTMENT,
	DEMO_PART_ATTENDANCE,
	DEMO_PART_STEP,
	DEMO_PART_REVIEW,
};

/* ---- days ------------------------------------------------------------------ */

long demo_first_day(void)
{
	return demo_days(DEMO_YEAR_FIRST, 1, 1);
}

long demo_last_day(void)
{
	return demo_days(DEMO_YEAR_LAST, 12, 31);
}

long demo_horizon(void)
{
	return demo_days(DEMO_YEAR_LAST + 1, 1 + DEMO_HORIZON_MONTHS, 1) - 1;
}

long demo_lmin(long a, long b)
{
	return a < b ? a : b;
}

long demo_lmax(long a, long b)
{
	return a > b ? a : b;
}

int demo_weekday(long day)
{
	/* 1970-01-01 was a Thursday. */
	long w = (day + 3) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

long demo_working_day(long day)
{
	int w = demo_weekday(day);

	return w == 5 ? day + 2 : w == 6 ? day + 1 : day;
}

static long demo_last_sunday(int year, int month)
{
	long last = demo_days(year, month, demo_days_in_month(year, month));

	return last - (demo_weekday(last) + 1) % 7;
}

void demo_datetime(long day, int minutes, char out[32])
{
	int y, m, d;
	bool summer;

	demo_civil(day, &y, &m, &d);
	/* Summer time from the last Sunday of March to the last of October;
	 * the demo's hours are daytime, far from the 2 a.m. switch. */
	summer = day >= demo_last_sunday(y, 3) && day < demo_last_sunday(y, 10);
	snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:00%s", y % 10000, m % 100, d % 100, minutes / 60 % 24,
		 minutes % 60, summer ? "+02:00" : "+01:00");
}

/* Same day `months` later (the 31st becomes the month's last day). */
static long demo_add_months(long day, int months)
{
	int y, m, d;

	demo_civil(day, &y, &m, &d);
	m += months;
	y += (m - 1) / 12;
	m = (m - 1) % 12 + 1;
	if (d > demo_days_in_month(y, m))
		d = demo_days_in_month(y, m);
	return demo_days(y, m, d);
}

/* ---- organisations and the world ---------------------------------------------- */

/* Which kinds carry which itinerary (exchange-format.md), with the share of
 * the itinerary's people each kind receives; youth bodies take the under 26. */
struct demo_kind_share {
	const char *kind;
	unsigned weight;
	bool young_only;
};

static const struct demo_kind_share demo_kind_shares[DEMO_ITINERARIES][8] = {
	[DEMO_SOCIAL] = { { "maison_metropole", 600, false }, { "ccas", 250, false },
			  { "association", 150, false } },
	[DEMO_SOCIO_PRO] = { { "association", 350, false }, { "siae_aci", 100, false },
			     { "siae_ei", 70, false }, { "siae_ai", 70, false },
			     { "siae_etti", 60, false }, { "training_body", 100, false },
			     { "mission_locale", 150, true }, { "e2c", 100, true } },
	[DEMO_PROFESSIONAL] = { { "pole_emploi", 1000, false } },
};

static unsigned demo_kind_weight(enum demo_itinerary it, const char *kind, bool young)
{
	for (size_t i = 0; i < DEMO_COUNT(demo_kind_shares[it]) && demo_kind_shares[it][i].kind; i++) {
		const struct demo_kind_share *s = &demo_kind_shares[it][i];

		if (strcmp(s->kind, kind) == 0)
			return s->young_only && !young ? 0 : s->weight;
	}
	return 0;
}

/* Organisations that may carry itinerary `it` for a household of territory
 * `t`: those of the territory and the metropolitan ones. */
static bool demo_org_serves(const struct demo_org_ref *o, enum demo_itinerary it, size_t t, bool young)
{
	return o->referents > 0 && (o->territory < 0 || (size_t)o->territory == t) &&
	       demo_kind_weight(it, o->kind, young) > 0;
}

static size_t demo_org_pick(const struct demo_world *w, struct demo_rng *r, enum demo_itinerary it,
			    size_t t, bool young)
{
	unsigned weights[256];
	size_t index[256];
	size_t n = 0;

	for (size_t i = 0; i < w->n_orgs && n < DEMO_COUNT(weights); i++) {
		const struct demo_org_ref *o = &w->orgs[i];

		if (!demo_org_serves(o, it, t, young))
			continue;
		/* People go where the référents are. */
		weights[n] = demo_kind_weight(it, o->kind, young) * (unsigned)o->referents;
		/* Metropolitan bodies serve every territory with a team the size
		 * of a local one. */
		if (o->territory < 0)
			weights[n] /= (unsigned)demo_territory_count;
		if (strcmp(o->id, DEMO_REFERENT_ORG) == 0)
			weights[n] *= DEMO_DEMO_ORG_BOOST;
		index[n++] = i;
	}
	return index[demo_rng_weighted(r, weights, n)];
}

static void demo_session_rng(const struct demo_ctx *ctx, size_t org, int k, struct demo_rng *r)
{
	demo_rng_seed(r, ctx->seed,
		      ((uint64_t)DEMO_STREAM_SESSIONS << 48) | ((uint64_t)org << 16) | (uint64_t)(k + 1));
}

int demo_world_open(struct demo_world *w, const struct demo_ctx *ctx)
{
	memset(w, 0, sizeof(*w));
	w->ctx = ctx;
	w->n_orgs = demo_org_total();
	w->orgs = calloc(w->n_orgs, sizeof(*w->orgs));
	w->session_first = calloc(w->n_orgs, sizeof(*w->session_first));
	w->session_every = calloc(w->n_orgs, sizeof(*w->session_every));
	w->session_taken = calloc(w->n_orgs * DEMO_SESSIONS_PER_ORG, 1);
	if (!w->orgs || !w->session_first || !w->session_every || !w->session_taken) {
		demo_world_close(w);
		return -1;
	}
	for (size_t i = 0; i < w->n_orgs; i++) {
		struct demo_rng r;

		demo_org_ref_get(i, &w->orgs[i]);
		if (!w->orgs[i].referents)
			continue;
		/* Every organisation that accompanies people holds collective
		 * sessions, each on its own weekday. */
		demo_session_rng(ctx, i, -1, &r);
		w->session_first[i] = demo_working_day(demo_first_day() + 3 + demo_rng_below(&r, 14));
		/* Larger teams hold a workshop every week. */
		w->session_every[i] = w->orgs[i].referents >= 4 ? 7 : 14;
	}
	return 0;
}

void demo_world_close(struct demo_world *w)
{
	free(w->orgs);
	free(w->session_first);
	free(w->session_every);
	free(w->session_taken);
	w->orgs = NULL;
	w->session_first = NULL;
	w->session_every = NULL;
	w->session_taken = NULL;
}

/* ---- collective sessions --------------------------------------------------- */

long demo_session_day(const struct demo_world *w, size_t org, int k)
{
	long day;

	if (!w->session_first[org] || k < 0 || k >= DEMO_SESSIONS_PER_ORG)
		return 0;
	/* Same weekday every week or fortnight: the first is a working day. */
	day = w->session_first[org] + (long)k * w->session_every[org];
	return day <= demo_horizon() ? day : 0;
}

int demo_session_capacity(const struct demo_ctx *ctx, size_t org, int k)
{
	struct demo_rng r;

	demo_session_rng(ctx, org, k, &r);
	return 8 + (int)demo_rng_below(&r, 13);
}

static const char *const demo_titles_social[] = {
	"Atelier budget et vie quotidienne", "Accès aux droits : permanence collective",
	"Atelier santé et bien-être", "Sortie culturelle collective", "Atelier estime de soi",
	"Groupe de parole parentalité", "Atelier numérique : démarches en ligne",
};
static const char *const demo_titles_insertion[] = {
	"Atelier CV et lettre de motivation", "Préparer un entretien d'embauche",
	"Découverte des métiers du bâtiment", "Visite d'entreprise", "Mobilité : se déplacer pour travailler",
	"Atelier numérique : créer son espace en ligne", "Découverte des métiers de l'aide à domicile",
};
static const char *const demo_titles_employment[] = {
	"Information collective : métiers qui recrutent", "Atelier recherche d'emploi en ligne",
	"Atelier réseaux professionnels", "Préparer sa candidature",
	"Information collective : formations financées",
};

const char *demo_session_title(const struct demo_world *w, size_t org, int k)
{
	const char *kind = w->orgs[org].kind;
	const char *const *titles = demo_titles_insertion;
	size_t n = DEMO_COUNT(demo_titles_insertion);
	struct demo_rng r;

	if (strcmp(kind, "maison_metropole") == 0 || strcmp(kind, "ccas") == 0) {
		titles = demo_titles_social;
		n = DEMO_COUNT(demo_titles_social);
	} else if (strcmp(kind, "pole_emploi") == 0) {
		titles = demo_titles_employment;
		n = DEMO_COUNT(demo_titles_employment);
	}
	/* The second draw of the session's stream; the first is its capacity. */
	demo_session_rng(w->ctx, org, k, &r);
	demo_rng_next(&r);
	return titles[demo_rng_below(&r, (uint32_t)n)];
}

void demo_session_id(const struct demo_org_ref *org, int k, char *out, size_t cap)
{
	snprintf(out, cap, "cs-%.48s-%03d", org->id + 4, k + 1);
}

/* ---- the path ------------------------------------------------------------- */

struct demo_builder {
	struct demo_world *w;
	const struct demo_household_view *v;
	size_t adult;
	struct demo_path *p;
};

static void demo_part_rng(const struct demo_builder *b, enum demo_part part, struct demo_rng *r)
{
	demo_rng_seed(r, b->w->ctx->seed,
		      (DEMO_STREAM_PATHS + (uint64_t)b->v->number) * 16 + b->adult * 8 + (uint64_t)part);
}

static bool demo_young_on(const struct demo_sdd_adult *a, long day)
{
	return day < demo_add_years(a->birth, 26);
}

/* The référent following the person on `day`, or NULL. */
static const char *demo_referent_on(const struct demo_path *p, long day)
{
	for (size_t i = 0; i < p->n_assignments; i++) {
		const struct demo_assignment *a = &p->assignment[i];

		if (a->start <= day && day <= a->end)
			return a->referent;
	}
	return NULL;
}

/* Adds a review and gives it a sitting and an opinion (weights in the
 * order favourable, unfavourable, deferred, deemed). Returns its index, or
 * -1 when full. A review whose sitting would fall after 2017 is pending. */
static int demo_add_review(struct demo_builder *b, struct demo_rng *r, long referred_on,
			   const char *reason, size_t instance, const unsigned weights[4])
{
	static const char *const opinions[] = { "favourable", "unfavourable", "deferred", "deemed" };
	struct demo_path *p = b->p;
	struct demo_review *rv;
	size_t opinion;

	if (p->n_reviews >= DEMO_PATH_REVIEWS)
		return -1;
	rv = &p->review[p->n_reviews];
	memset(rv, 0, sizeof(*rv));
	rv->referred_on = referred_on;
	rv->reason = reason;
	rv->instance = instance;
	opinion = demo_rng_weighted(r, weights, 4);
	if (opinion == 3) {
		/* No opinion within a month of the referral: deemed given. */
		rv->opinion = opinions[opinion];
	} else {
		rv->sitting = demo_next_sitting(instance, referred_on + demo_rng_range(r, 8, 25));
		rv->opinion = rv->sitting ? opinions[opinion] : NULL;
		rv->heard = rv->sitting && demo_rng_permille(r, 350);
	}
	return (int)p->n_reviews++;
}

static enum demo_itinerary demo_reorientation_target(struct demo_rng *r, enum demo_itinerary from)
{
	/* Mostly towards employment, back towards social care when health or
	 * housing block the path. */
	static const unsigned to[DEMO_ITINERARIES][DEMO_ITINERARIES] = {
		[DEMO_SOCIAL] = { 0, 700, 300 },
		[DEMO_SOCIO_PRO] = { 450, 0, 550 },
		[DEMO_PROFESSIONAL] = { 350, 650, 0 },
	};

	return (enum demo_itinerary)demo_rng_weighted(r, to[from], DEMO_ITINERARIES);
}

static const unsigned demo_itinerary_weights[DEMO_ITINERARIES] = { 250, 350, 400 };

/* Orientation delay after the RSA entry: most within the two legal months,
 * some late, a few not yet (the orientation queue). Returns -1 for none. */
static long demo_orientation_delay(struct demo_rng *r, const struct demo_spell *s)
{
	unsigned u = demo_rng_below(r, 1000);

	if (u < 790)
		return demo_rng_range(r, 12, 60);
	/* People in the RSA for years were all oriented some day. */
	if (u < 940 || s->start < demo_days(2015, 7, 1))
		return demo_rng_range(r, 61, 300);
	return -1;
}

static void demo_orient_spell(struct demo_builder *b, struct demo_rng *r, const struct demo_spell *s)
{
	static const unsigned reorientation_opinions[4] = { 800, 120, 80, 0 };
	struct demo_path *p = b->p;
	long last = demo_lmin(s->end, demo_last_day());
	long delay = demo_orientation_delay(r, s);
	long day = s->start + delay;
	enum demo_itinerary it = (enum demo_itinerary)demo_rng_weighted(r, demo_itinerary_weights,
									 DEMO_ITINERARIES);
	const char *origin = "initial";
	int review = -1;

	if (delay < 0 || day > last)
		return;
	while (p->n_orientations < DEMO_PATH_ORIENTATIONS) {
		struct demo_orientation *o = &p->orientation[p->n_orientations++];
		long referred, lo, hi;
		int rv;

		*o = (struct demo_orientation){ day, day, s->end, it, 0, origin, review, -1 };
		o->org = demo_org_pick(b->w, r, it, p->territory, demo_young_on(p->adult, day));
		/* Some paths stall: the référent refers the person to the ITT,
		 * which gives its opinion on a reorientation. */
		/* Referrals are kept from 2016 on, like the sittings. */
		lo = demo_lmax(day + 120, demo_first_day());
		hi = demo_lmin(day + 540, last - 60);
		if (lo > hi || !demo_rng_permille(r, 75))
			break;
		referred = demo_rng_range(r, lo, hi);
		rv = demo_add_review(b, r, referred, "reorientation", p->territory, reorientation_opinions);
		if (rv < 0 || !p->review[rv].opinion || strcmp(p->review[rv].opinion, "favourable") != 0)
			break;
		day = p->review[rv].sitting + demo_rng_range(r, 3, 20);
		if (day > last)
			break;
		o->end = day - 1;
		it = demo_reorientation_target(r, it);
		origin = "reorientation";
		review = rv;
	}
}

static void demo_pick_referent(const struct demo_builder *b, struct demo_rng *r, size_t org,
			       const char *avoid, char *out)
{
	const struct demo_org_ref *o = &b->w->orgs[org];

	for (int tries = 0; tries < 4; tries++) {
		if (strcmp(o->id, DEMO_REFERENT_ORG) == 0 && demo_rng_permille(r, DEMO_REFERENT_SHARE))
			snprintf(out, DEMO_USER_ID_MAX, "%s", DEMO_REFERENT_USER);
		else if (strcmp(o->id, DEMO_HEALTH_ORG) == 0 && demo_rng_permille(r, DEMO_HEALTH_SHARE))
			snprintf(out, DEMO_USER_ID_MAX, "%s", DEMO_HEALTH_USER);
		else
			demo_org_referent_id(o, (int)demo_rng_below(r, (uint32_t)o->referents), out,
					     DEMO_USER_ID_MAX);
		if (!avoid || strcmp(out, avoid) != 0)
			return;
	}
}

/* The référent designated a few days after the orientation, sometimes
 * replaced later (leave, mobility): never two at once. */
static void demo_assign(struct demo_builder *b, struct demo_rng *r, size_t oi)
{
	struct demo_path *p = b->p;
	struct demo_orientation *o = &p->orientation[oi];
	long last = demo_lmin(o->end, demo_last_day());
	long start = o->start + demo_rng_range(r, 0, 25);
	const char *previous = NULL;

	if (!demo_rng_permille(r, 960) || start > last)
		return;
	while (p->n_assignments < DEMO_PATH_ASSIGNMENTS) {
		struct demo_assignment *a = &p->assignment[p->n_assignments];
		long change;

		demo_pick_referent(b, r, o->org, previous, a->referent);
		if (previous && strcmp(previous, a->referent) == 0)
			return; /* nobody else there */
		a->org = o->org;
		a->start = start;
		a->end = o->end;
		if (o->assignment < 0)
			o->assignment = (int)p->n_assignments;
		p->n_assignments++;
		change = start + demo_rng_range(r, 150, 450);
		if (!demo_rng_permille(r, 120) || change > last)
			return;
		a->end = change - 1;
		start = change;
		previous = a->referent;
	}
}

static const char *const demo_barriers[] = { "mobility", "housing",	 "health",
					     "childcare", "language",	 "digital",
					     "finances", "administrative", "justice" };

static void demo_add_diagnostic(struct demo_builder *b, struct demo_rng *r, long day, enum demo_itinerary it)
{
	static const char *const autonomy[] = { "autonomous", "needs_support", "needs_reinforced_support" };
	static const unsigned autonomy_weights[DEMO_ITINERARIES][3] = {
		[DEMO_SOCIAL] = { 80, 420, 500 },
		[DEMO_SOCIO_PRO] = { 250, 550, 200 },
		[DEMO_PROFESSIONAL] = { 650, 300, 50 },
	};
	/* ‰ of the people of each itinerary with each barrier. */
	static const unsigned barrier_permille[DEMO_ITINERARIES][DEMO_COUNT(demo_barriers)] = {
		[DEMO_SOCIAL] = { 450, 400, 380, 250, 180, 300, 500, 350, 60 },
		[DEMO_SOCIO_PRO] = { 400, 200, 150, 200, 200, 250, 300, 150, 40 },
		[DEMO_PROFESSIONAL] = { 250, 80, 50, 120, 100, 150, 150, 60, 20 },
	};
	struct demo_path *p = b->p;
	struct demo_diagnostic *d;

	if (p->n_diagnostics >= DEMO_PATH_DIAGNOSTICS)
		return;
	d = &p->diagnostic[p->n_diagnostics++];
	d->date = day;
	d->author = demo_referent_on(p, day);
	d->autonomy = autonomy[demo_rng_weighted(r, autonomy_weights[it], 3)];
	d->n_barriers = 0;
	for (size_t i = 0; i < DEMO_COUNT(demo_barriers); i++) {
		if (demo_rng_permille(r, barrier_permille[it][i]) && d->n_barriers < DEMO_PATH_BARRIERS)
			d->barriers[d->n_barriers++] = demo_barriers[i];
	}
}

/* A diagnostic soon after the référent's designation, updated a year later
 * for some. */
static void demo_diagnose(struct demo_builder *b, struct demo_rng *r, size_t oi)
{
	const struct demo_orientation *o = &b->p->orientation[oi];
	long last = demo_lmin(o->end, demo_last_day());
	long day;

	if (o->assignment < 0)
		return;
	day = b->p->assignment[o->assignment].start + demo_rng_range(r, 5, 40);
	if (day > last || !demo_rng_permille(r, 900))
		return;
	demo_add_diagnostic(b, r, day, o->itinerary);
	day += demo_rng_range(r, 300, 420);
	if (day <= last && demo_rng_permille(r, 300))
		demo_add_diagnostic(b, r, day, o->itinerary);
}

static void demo_contract_actions(struct demo_rng *r, enum demo_itinerary it, struct demo_contract *c)
{
	static const char *const social[] = { "housing", "health", "social_life", "mobility", "other" };
	static const char *const socio[] = { "job_search", "training", "mobility", "social_life",
					     "business_creation" };
	static const char *const ppae[] = { "job_search", "training", "mobility" };
	const char *const *list = it == DEMO_SOCIAL ? social : it == DEMO_SOCIO_PRO ? socio : ppae;
	size_t n = it == DEMO_PROFESSIONAL ? DEMO_COUNT(ppae) : DEMO_COUNT(social);
	size_t want = 1 + demo_rng_below(r, DEMO_PATH_ACTIONS);
	size_t first = demo_rng_below(r, (uint32_t)n);

	/* The leading action of the itinerary, then others, never twice. */
	c->n_actions = 0;
	c->actions[c->n_actions++] = list[0];
	for (size_t k = 0; k < n && c->n_actions < want; k++) {
		const char *a = list[(first + k) % n];

		if (a != list[0])
			c->actions[c->n_actions++] = a;
	}
}

struct demo_contract_run {
	long cer_free; /* first day a new CER may start: they never overlap */
};

/* The contracts of one orientation: a PPAE renewed yearly at Pôle emploi,
 * CERs of 3 to 12 months elsewhere, signed within the legal month (two in
 * the social itinerary) for most, renewed or not; a contract still running
 * when the orientation ends is terminated that day. */
static void demo_contract_orientation(struct demo_builder *b, struct demo_rng *r, size_t oi,
				      struct demo_contract_run *run)
{
	static const int months[] = { 3, 6, 12 };
	static const unsigned months_weights[] = { 200, 500, 300 };
	const struct demo_orientation *o = &b->p->orientation[oi];
	struct demo_path *p = b->p;
	bool ppae = o->itinerary == DEMO_PROFESSIONAL;
	long last = demo_lmin(o->end, demo_last_day());
	long deadline = o->itinerary == DEMO_SOCIAL ? 60 : 30;
	long start = o->start + (ppae		       ? demo_rng_range(r, 20, 70)
				 : demo_rng_permille(r, 650) ? demo_rng_range(r, 10, deadline)
							      : demo_rng_range(r, deadline + 1, 200));

	if (!demo_rng_permille(r, ppae ? 850 : o->itinerary == DEMO_SOCIAL ? 850 : 900))
		return;
	/* Before 2015 the demo keeps no contracts. */
	if (start < demo_days(2015, 1, 1))
		start = demo_days(2015, 1, 1) + demo_rng_range(r, 0, 330);
	if (!ppae)
		start = demo_lmax(start, run->cer_free);
	while (start <= last && p->n_contracts < DEMO_PATH_CONTRACTS) {
		struct demo_contract *c = &p->contract[p->n_contracts++];

		c->kind = ppae ? "ppae" : "cer";
		c->org = o->org;
		c->referent = demo_referent_on(p, start);
		c->start = start;
		c->end = demo_add_months(start, ppae ? 12 : months[demo_rng_weighted(r, months_weights, 3)]) - 1;
		c->terminated_on = 0;
		demo_contract_actions(r, o->itinerary, c);
		if (o->end < c->end && o->end <= demo_last_day())
			c->terminated_on = o->end;
		else if (demo_rng_permille(r, 30) && c->end - c->start > 40)
			c->terminated_on = c->start + demo_rng_range(r, 30, c->end - c->start);
		if (c->terminated_on > demo_last_day())
			c->terminated_on = 0;
		/* A terminated contract ends on its termination day. */
		if (!ppae)
			run->cer_free = (c->terminated_on ? c->terminated_on : c->end) + 1;
		if (c->terminated_on || !demo_rng_permille(r, ppae ? 900 : 880))
			break;
		start = c->end + 1 + demo_rng_range(r, 0, 45);
	}
}

/* No contract long after the orientation: referred to the team, which may
 * propose a reduction; people at Pôle emploi sometimes removed from its list. */
static void demo_review_orientation(struct demo_builder *b, struct demo_rng *r, size_t oi)
{
	static const unsigned no_contract[4] = { 500, 200, 100, 200 };
	static const unsigned removal[4] = { 600, 250, 50, 100 };
	const struct demo_orientation *o = &b->p->orientation[oi];
	struct demo_path *p = b->p;
	long last = demo_lmin(o->end, demo_last_day());
	long referred = o->start + demo_rng_range(r, 95, 150);
	bool signed_early = false;

	for (size_t i = 0; i < p->n_contracts; i++)
		signed_early |= p->contract[i].org == o->org && p->contract[i].start >= o->start &&
				p->contract[i].start < referred;
	if (o->itinerary != DEMO_PROFESSIONAL && !signed_early && referred <= last &&
	    o->start >= demo_first_day() && demo_rng_permille(r, 350))
		demo_add_review(b, r, referred, "no_contract", p->territory, no_contract);
	referred = demo_lmax(o->start, demo_first_day()) + demo_rng_range(r, 30, 400);
	if (o->itinerary == DEMO_PROFESSIONAL && referred <= last && demo_rng_permille(r, 40))
		demo_add_review(b, r, referred, "pe_removal", DEMO_INSTANCE_MEDIATION, removal);
}

/* Individual appointments of one orientation: one at its start, then at a
 * rhythm that follows the itinerary; statuses for the past, "planned" for
 * the two next ones after 2017. */
static void demo_appointments_orientation(struct demo_builder *b, struct demo_rng *r, size_t oi)
{
	static const long every[DEMO_ITINERARIES] = { 150, 120, 260 };
	static const char *const statuses[] = { "honored", "excused", "missed", "cancelled", "planned" };
	static const unsigned status_weights[] = { 700, 90, 130, 65, 8 };
	const struct demo_orientation *o = &b->p->orientation[oi];
	struct demo_path *p = b->p;
	long to = o->end == DEMO_PATH_NO_END ? demo_horizon() : o->end;
	long day = demo_lmax(o->start + demo_rng_range(r, 3, 20), demo_first_day());
	bool first = o->start + 20 >= demo_first_day();
	bool missed = false;
	int future = 0;

	while (p->n_appointments < DEMO_PATH_APPOINTMENTS) {
		struct demo_appointment *a = &p->appointment[p->n_appointments];

		day = demo_working_day(day);
		if (day > to || (day > demo_last_day() && ++future > 2))
			break;
		a->day = day;
		a->minutes = 9 * 60 + 30 * (int)demo_rng_below(r, 16);
		a->org = o->org;
		a->referent = demo_referent_on(p, day);
		a->kind = first			     ? "orientation"
			  : missed && demo_rng_permille(r, 500) ? "convocation"
			  : demo_rng_permille(r, 950)	     ? "accompaniment"
							     : "other";
		a->status = day > demo_last_day() ? "planned"
						  : statuses[demo_rng_weighted(r, status_weights, 5)];
		missed = strcmp(a->status, "missed") == 0;
		first = false;
		p->n_appointments++;
		day += every[o->itinerary] / 2 + demo_rng_below(r, (uint32_t)every[o->itinerary]);
	}
}

/* The signature of each contract is an appointment of its own. */
static void demo_contract_appointments(struct demo_builder *b, struct demo_rng *r)
{
	struct demo_path *p = b->p;

	for (size_t i = 0; i < p->n_contracts && p->n_appointments < DEMO_PATH_APPOINTMENTS; i++) {
		const struct demo_contract *c = &p->contract[i];
		struct demo_appointment *a = &p->appointment[p->n_appointments];

		a->day = demo_working_day(c->start);
		if (a->day < demo_first_day())
			continue;
		a->minutes = 9 * 60 + 30 * (int)demo_rng_below(r, 16);
		a->org = c->org;
		a->referent = c->referent;
		a->kind = "contract";
		a->status = a->day > demo_last_day() ? "planned" : "honored";
		p->n_appointments++;
	}
}

static const char *const demo_step_categories[] = {
	"health_first_access", "health_resumption", "housing_aid", "rqth", "aah",
	"rights_other", "training_entry", "employment", "immersion",
};

static const char *demo_employment_type(struct demo_rng *r, enum demo_itinerary it)
{
	static const char *const types[] = { "cdd_lt_6m", "cdd_ge_6m", "cdi", "siae",
					     "subsidised", "interim", "business_creation",
					     "apprenticeship" };
	static const unsigned weights[DEMO_ITINERARIES][DEMO_COUNT(types)] = {
		[DEMO_SOCIAL] = { 300, 120, 50, 250, 180, 80, 15, 5 },
		[DEMO_SOCIO_PRO] = { 250, 120, 60, 350, 120, 80, 15, 5 },
		[DEMO_PROFESSIONAL] = { 330, 170, 110, 80, 110, 160, 30, 10 },
	};

	return types[demo_rng_weighted(r, weights[it], DEMO_COUNT(types))];
}

/* Steps while oriented, at a yearly rate and with categories that follow
 * the itinerary; the health association's people have more health steps. */
static void demo_steps_orientation(struct demo_builder *b, struct demo_rng *r, size_t oi)
{
	static const unsigned rate[DEMO_ITINERARIES] = { 700, 1000, 800 }; /* ‰ a year */
	static const unsigned weights[DEMO_ITINERARIES + 1][DEMO_COUNT(demo_step_categories)] = {
		[DEMO_SOCIAL] = { 120, 120, 250, 100, 80, 180, 60, 60, 30 },
		[DEMO_SOCIO_PRO] = { 30, 30, 50, 40, 20, 40, 300, 330, 160 },
		[DEMO_PROFESSIONAL] = { 10, 10, 20, 20, 10, 20, 300, 520, 90 },
		[DEMO_ITINERARIES] = { 300, 300, 100, 100, 60, 40, 40, 40, 20 },
	};
	const struct demo_orientation *o = &b->p->orientation[oi];
	struct demo_path *p = b->p;
	long from = demo_lmax(o->start, demo_first_day());
	long to = demo_lmin(o->end, demo_last_day());
	bool health = strcmp(b->w->orgs[o->org].id, DEMO_HEALTH_ORG) == 0;
	unsigned long expected;
	unsigned long n;

	if (from > to)
		return;
	expected = (unsigned long)(to - from + 1) * rate[o->itinerary] / 365;
	n = expected / 1000 + (demo_rng_below(r, 1000) < expected % 1000);
	for (unsigned long k = 0; k < n && p->n_steps < DEMO_PATH_STEPS; k++) {
		struct demo_step *s = &p->step[p->n_steps++];
		size_t c = demo_rng_weighted(r, weights[health ? DEMO_ITINERARIES : o->itinerary],
					     DEMO_COUNT(demo_step_categories));

		s->date = demo_rng_range(r, from, to);
		s->category = demo_step_categories[c];
		s->contract_type = strcmp(s->category, "employment") == 0
					   ? demo_employment_type(r, o->itinerary)
					   : NULL;
	}
}

/* Registers the person in one to four sessions of their organisation while
 * oriented there, in the first with a free place from a drawn day. */
static void demo_attend_orientation(struct demo_builder *b, struct demo_rng *r, size_t oi)
{
	static const unsigned participation[DEMO_ITINERARIES] = { 800, 850, 350 };
	static const char *const statuses[] = { "present", "excused", "absent" };
	static const unsigned status_weights[] = { 760, 90, 150 };
	const struct demo_orientation *o = &b->p->orientation[oi];
	struct demo_world *w = b->w;
	struct demo_path *p = b->p;
	long from = demo_lmax(o->start, demo_first_day());
	long to = o->end == DEMO_PATH_NO_END ? demo_horizon() : o->end;
	unsigned n = 1 + demo_rng_below(r, 4);
	int next_k = 0;

	if (from > to || !w->session_first[o->org] || !demo_rng_permille(r, participation[o->itinerary]))
		return;
	for (unsigned j = 0; j < n && p->n_attendances < DEMO_PATH_ATTENDANCES; j++) {
		long day = demo_rng_range(r, from, to);
		int k = (int)demo_lmax(next_k, (day - w->session_first[o->org]) / w->session_every[o->org] + 1);
		struct demo_attendance *a;
		uint8_t *taken;
		long sday;

		for (; (sday = demo_session_day(w, o->org, k)) != 0 && sday <= to; k++) {
			taken = &w->session_taken[o->org * DEMO_SESSIONS_PER_ORG + (size_t)k];
			if (sday >= from && *taken < demo_session_capacity(w->ctx, o->org, k))
				break;
		}
		if (!sday || sday > to)
			return;
		w->session_taken[o->org * DEMO_SESSIONS_PER_ORG + (size_t)k]++;
		next_k = k + 1;
		a = &p->attendance[p->n_attendances++];
		a->org = o->org;
		a->session = k;
		a->status = sday > demo_last_day() ? "registered"
						   : statuses[demo_rng_weighted(r, status_weights, 3)];
		/* Feedback survey at the end of the workshop: 9 in 10 say it
		 * helps the job search, 7 in 10 their personal life. */
		a->survey = strcmp(a->status, "present") == 0 && demo_rng_permille(r, 500);
		a->survey_named = demo_rng_permille(r, 800);
		a->helps_job_search = demo_rng_permille(r, 900);
		a->helps_personal_life = demo_rng_permille(r, 700);
	}
}

static void demo_path_reset(struct demo_path *p)
{
	p->n_orientations = p->n_assignments = p->n_contracts = p->n_diagnostics = 0;
	p->n_reviews = p->n_steps = p->n_appointments = p->n_attendances = 0;
}

void demo_path_build(struct demo_world *w, const struct demo_household_view *v, size_t adult,
		     bool attendances, struct demo_path *p)
{
	struct demo_builder b = { w, v, adult, p };
	struct demo_contract_run run = { 0 };
	struct demo_rng r[DEMO_PART_REVIEW + 1];

	demo_path_reset(p);
	p->adult = &v->adult[adult];
	p->territory = demo_communes[v->commune].territory;
	for (int part = 0; part <= DEMO_PART_REVIEW; part++)
		demo_part_rng(&b, (enum demo_part)part, &r[part]);
	for (size_t s = 0; s < p->adult->n_spells; s++)
		demo_orient_spell(&b, &r[DEMO_PART_ORIENTATION], &p->adult->spell[s]);
	for (size_t i = 0; i < p->n_orientations; i++) {
		demo_assign(&b, &r[DEMO_PART_ASSIGNMENT], i);
		demo_diagnose(&b, &r[DEMO_PART_DIAGNOSTIC], i);
		demo_contract_orientation(&b, &r[DEMO_PART_CONTRACT], i, &run);
		demo_review_orientation(&b, &r[DEMO_PART_REVIEW], i);
		demo_appointments_orientation(&b, &r[DEMO_PART_APPOINTMENT], i);
		demo_steps_orientation(&b, &r[DEMO_PART_STEP], i);
		if (attendances)
			demo_attend_orientation(&b, &r[DEMO_PART_ATTENDANCE], i);
	}
	demo_contract_appointments(&b, &r[DEMO_PART_APPOINTMENT]);
}

void demo_path_id(char *out, size_t cap, const char *prefix, const struct demo_path *p, size_t n)
{
	snprintf(out, cap, "%s-%s-%zu", prefix, p->adult->id + 2, n + 1);
}

void demo_path_line_begin(struct demo_ctx *ctx, const char *type, const char *prefix,
			  const struct demo_path *p, size_t n)
{
	char id[48];

	demo_path_id(id, sizeof(id), prefix, p, n);
	demo_line_begin(&ctx->line, type, id);
	demo_line_str(&ctx->line, "person", p->adult->id);
}

int demo_path_each(struct demo_ctx *ctx, bool attendances, demo_path_fn fn)
{
	struct demo_world w;
	struct demo_household_view v;
	struct demo_path *p = malloc(sizeof(*p));
	int err = -1;

	if (!p || demo_world_open(&w, ctx)) {
		free(p);
		return -1;
	}
	for (long n = 1; n <= ctx->households; n++) {
		demo_household_view(ctx, n, &v);
		for (size_t a = 0; a < v.n_adults; a++) {
			demo_path_build(&w, &v, a, attendances, p);
			if (fn(ctx, &w, p))
				goto out;
		}
	}
	err = 0;
out:
	demo_world_close(&w);
	free(p);
	return err;
}
