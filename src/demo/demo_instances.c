/*
 * demo_instances.c — the multidisciplinary teams of the demo (domain.md §7):
 * one instance technique territoriale (ITT) per territory and the
 * metropolitan mediation instance, their members with their roles and
 * dates, their sittings about twice a month with enough members present for
 * the quorum, and the cases they review (built with each person's path in
 * demo_path.c).
 *
 * Members include representatives of RSA beneficiaries (FA4), a second one
 * from January 2017; health professionals sit in the ITTs of the four
 * territories of the mental-health experiment from September 2016 (FA14).
 */
#include <stdlib.h>
#include <string.h>

#include "demo/demo_path.h"

/* The territories of the 2016 mental-health experiment (the 2017 report). */
static const char *const demo_fa14_territories[] = {
	"terr-lyon-1-2-4", "terr-villeurbanne", "terr-venissieux-saint-fons", "terr-lones-coteaux",
};

struct demo_member_slot {
	const char *role;
	int start_year, start_month, start_day;
	int end_year, end_month, end_day; /* 0: still a member */
	bool fa14_only;
};

static const struct demo_member_slot demo_itt_slots[] = {
	{ "chair", 2015, 9, 1, 0, 0, 0, false },
	{ "social_worker", 2015, 9, 1, 0, 0, 0, false },
	{ "insertion_professional", 2015, 9, 1, 2017, 6, 30, false },
	{ "insertion_professional", 2017, 7, 1, 0, 0, 0, false },
	{ "pole_emploi", 2015, 9, 1, 0, 0, 0, false },
	{ "user_representative", 2015, 9, 1, 0, 0, 0, false },
	{ "user_representative", 2017, 1, 9, 0, 0, 0, false },
	{ "health_professional", 2016, 9, 1, 0, 0, 0, true },
};

static const struct demo_member_slot demo_mediation_slots[] = {
	{ "chair", 2015, 9, 1, 0, 0, 0, false },
	{ "social_worker", 2015, 9, 1, 0, 0, 0, false },
	{ "pole_emploi", 2015, 9, 1, 2016, 12, 31, false },
	{ "pole_emploi", 2017, 1, 1, 0, 0, 0, false },
	{ "insertion_professional", 2015, 9, 1, 0, 0, 0, false },
	{ "user_representative", 2015, 9, 1, 0, 0, 0, false },
	{ "user_representative", 2017, 1, 9, 0, 0, 0, false },
	{ "other", 2015, 9, 1, 0, 0, 0, false }, /* the CAF's representative */
};

#define DEMO_MEDIATION_QUORUM 4
#define DEMO_ITT_QUORUM 3 /* the format's default: not written */

static const struct demo_member_slot *demo_slots(size_t instance, size_t *n)
{
	if (instance == DEMO_INSTANCE_MEDIATION) {
		*n = DEMO_COUNT(demo_mediation_slots);
		return demo_mediation_slots;
	}
	*n = DEMO_COUNT(demo_itt_slots);
	return demo_itt_slots;
}

static bool demo_fa14(size_t instance)
{
	for (size_t i = 0; instance < demo_territory_count && i < DEMO_COUNT(demo_fa14_territories); i++) {
		if (strcmp(demo_territories[instance].id, demo_fa14_territories[i]) == 0)
			return true;
	}
	return false;
}

/* Whether the slot exists in that instance and its member sits on `day`. */
static bool demo_slot_active(size_t instance, const struct demo_member_slot *s, long day)
{
	if (s->fa14_only && !demo_fa14(instance))
		return false;
	if (day < demo_days(s->start_year, s->start_month, s->start_day))
		return false;
	return !s->end_year || day <= demo_days(s->end_year, s->end_month, s->end_day);
}

static int demo_quorum(size_t instance)
{
	return instance == DEMO_INSTANCE_MEDIATION ? DEMO_MEDIATION_QUORUM : DEMO_ITT_QUORUM;
}

void demo_instance_id(size_t instance, char *out, size_t cap)
{
	if (instance == DEMO_INSTANCE_MEDIATION)
		snprintf(out, cap, "inst-mediation-metropolitaine");
	else /* "terr-xxx" → "inst-itt-xxx" */
		snprintf(out, cap, "inst-itt-%s", demo_territories[instance].id + 5);
}

void demo_sitting_id(size_t instance, long day, char *out, size_t cap)
{
	char inst[64];
	int y, m, d;

	demo_instance_id(instance, inst, sizeof(inst));
	demo_civil(day, &y, &m, &d);
	snprintf(out, cap, "sit-%.40s-%04d%02d%02d", inst + 5, y, m, d);
}

static void demo_member_id(size_t instance, size_t slot, char *out, size_t cap)
{
	char inst[64];

	demo_instance_id(instance, inst, sizeof(inst));
	/* Ids are short (a territory code and a small slot number); a cut one
	 * would collide with another member's, so it stops the generator. */
	int n = snprintf(out, cap, "im-%.40s-%zu", inst + 5, slot + 1);
	if (n < 0 || (size_t)n >= cap)
		abort();
}

/* ---- sittings ------------------------------------------------------------ */

/* The nth (1-based) weekday `wd` (Monday 0) of a month. */
static long demo_nth_weekday(int year, int month, int wd, int nth)
{
	long first = demo_days(year, month, 1);

	return first + (wd - demo_weekday(first) + 7) % 7 + 7L * (nth - 1);
}

/* ITTs sit on the 2nd and 4th Tuesday, Wednesday or Thursday of the month
 * (territories share the secretaries); the mediation instance on the 1st
 * and 3rd Friday. */
static long demo_sitting_in_month(size_t instance, int year, int month, int which)
{
	if (instance == DEMO_INSTANCE_MEDIATION)
		return demo_nth_weekday(year, month, 4, 1 + 2 * which);
	return demo_nth_weekday(year, month, 1 + (int)(instance % 3), 2 + 2 * which);
}

long demo_next_sitting(size_t instance, long day)
{
	int y, m, d;

	demo_civil(demo_lmax(day, demo_first_day()), &y, &m, &d);
	for (; y <= DEMO_YEAR_LAST; m = m == 12 ? 1 : m + 1, y += m == 1) {
		for (int which = 0; which < 2; which++) {
			long sitting = demo_sitting_in_month(instance, y, m, which);

			if (sitting >= day)
				return sitting <= demo_last_day() ? sitting : 0;
		}
	}
	return 0;
}

/* ---- writers -------------------------------------------------------------- */

int demo_write_instances(struct demo_ctx *ctx)
{
	char id[64], name[160];

	for (size_t i = 0; i < DEMO_INSTANCE_COUNT; i++) {
		demo_instance_id(i, id, sizeof(id));
		demo_line_begin(&ctx->line, "instance", id);
		if (i == DEMO_INSTANCE_MEDIATION) {
			demo_line_str(&ctx->line, "name", "Instance de médiation métropolitaine");
			demo_line_str(&ctx->line, "kind", "metropolitan_mediation");
			demo_line_int(&ctx->line, "quorum", DEMO_MEDIATION_QUORUM);
		} else {
			snprintf(name, sizeof(name), "Instance technique territoriale — %s",
				 demo_territories[i].name);
			demo_line_str(&ctx->line, "name", name);
			demo_line_str(&ctx->line, "kind", "itt");
			demo_line_str(&ctx->line, "territory", demo_territories[i].id);
		}
		if (demo_line_end(&ctx->line, ctx->out))
			return -1;
	}
	return 0;
}

static void demo_member_name(const struct demo_ctx *ctx, size_t instance, size_t slot, char *out, size_t cap)
{
	struct demo_rng r;
	const struct demo_origin *o;
	bool female;

	demo_rng_seed(&r, ctx->seed, ((uint64_t)DEMO_STREAM_INSTANCES << 48) | (instance << 8) | slot);
	o = &demo_origins[demo_rng_permille(&r, 700) ? DEMO_ORIGIN_FRENCH
						     : demo_rng_below(&r, (uint32_t)demo_origin_count)];
	female = demo_rng_permille(&r, 600);
	snprintf(out, cap, "%s %s",
		 female ? o->female[demo_rng_below(&r, (uint32_t)o->female_count)]
			: o->male[demo_rng_below(&r, (uint32_t)o->male_count)],
		 o->last[demo_rng_below(&r, (uint32_t)o->last_count)]);
}

int demo_write_instance_members(struct demo_ctx *ctx)
{
	char id[64], inst[64], name[128];

	for (size_t i = 0; i < DEMO_INSTANCE_COUNT; i++) {
		size_t n;
		const struct demo_member_slot *slots = demo_slots(i, &n);

		demo_instance_id(i, inst, sizeof(inst));
		for (size_t s = 0; s < n; s++) {
			if (slots[s].fa14_only && !demo_fa14(i))
				continue;
			demo_member_id(i, s, id, sizeof(id));
			demo_member_name(ctx, i, s, name, sizeof(name));
			demo_line_begin(&ctx->line, "instance_member", id);
			demo_line_str(&ctx->line, "instance", inst);
			demo_line_str(&ctx->line, "name", name);
			demo_line_str(&ctx->line, "role", slots[s].role);
			demo_line_date(&ctx->line, "start",
				       demo_days(slots[s].start_year, slots[s].start_month, slots[s].start_day));
			if (slots[s].end_year)
				demo_line_date(&ctx->line, "end",
					       demo_days(slots[s].end_year, slots[s].end_month, slots[s].end_day));
			if (demo_line_end(&ctx->line, ctx->out))
				return -1;
		}
	}
	return 0;
}

/* The members present: the chair always, most others, and as many of the
 * absent as the quorum needs. */
static int demo_write_sitting(struct demo_ctx *ctx, size_t instance, long day)
{
	char id[80], inst[64];
	char present_ids[16][64];
	const char *present[16];
	bool here[16] = { false };
	size_t n, n_present = 0;
	const struct demo_member_slot *slots = demo_slots(instance, &n);
	struct demo_rng r;
	int active = 0;

	demo_rng_seed(&r, ctx->seed, ((uint64_t)DEMO_STREAM_INSTANCES << 48) | (instance << 32) | (uint64_t)day);
	for (size_t s = 0; s < n; s++) {
		here[s] = demo_slot_active(instance, &slots[s], day) && (s == 0 || demo_rng_permille(&r, 780));
		n_present += here[s];
	}
	for (size_t s = 0; s < n && n_present < (size_t)demo_quorum(instance); s++) {
		if (!here[s] && demo_slot_active(instance, &slots[s], day)) {
			here[s] = true;
			n_present++;
		}
	}
	for (size_t s = 0; s < n; s++) {
		if (!here[s])
			continue;
		demo_member_id(instance, s, present_ids[active], sizeof(present_ids[0]));
		present[active] = present_ids[active];
		active++;
	}
	demo_instance_id(instance, inst, sizeof(inst));
	demo_sitting_id(instance, day, id, sizeof(id));
	demo_line_begin(&ctx->line, "sitting", id);
	demo_line_str(&ctx->line, "instance", inst);
	demo_line_date(&ctx->line, "date", day);
	demo_line_strs(&ctx->line, "present", present, (size_t)active);
	return demo_line_end(&ctx->line, ctx->out);
}

int demo_write_sittings(struct demo_ctx *ctx)
{
	for (size_t i = 0; i < DEMO_INSTANCE_COUNT; i++) {
		for (int y = DEMO_YEAR_FIRST; y <= DEMO_YEAR_LAST; y++) {
			for (int m = 1; m <= 12; m++) {
				for (int which = 0; which < 2; which++) {
					if (demo_write_sitting(ctx, i, demo_sitting_in_month(i, y, m, which)))
						return -1;
				}
			}
		}
	}
	return 0;
}

static const char *demo_review_grounds(const char *reason)
{
	if (strcmp(reason, "reorientation") == 0)
		return "Parcours bloqué : le référent demande une réorientation";
	if (strcmp(reason, "no_contract") == 0)
		return "Pas de contrat d'engagements réciproques signé dans les délais";
	return "Radiation de la liste des demandeurs d'emploi";
}

static int demo_write_path_reviews(struct demo_ctx *ctx, struct demo_world *w, const struct demo_path *p)
{
	char sitting[80];

	(void)w;
	for (size_t i = 0; i < p->n_reviews; i++) {
		const struct demo_review *rv = &p->review[i];

		demo_path_line_begin(ctx, "case_review", "cr", p, i);
		demo_line_date(&ctx->line, "referred_on", rv->referred_on);
		demo_line_str(&ctx->line, "reason", rv->reason);
		demo_line_str(&ctx->line, "grounds", demo_review_grounds(rv->reason));
		if (rv->sitting) {
			demo_sitting_id(rv->instance, rv->sitting, sitting, sizeof(sitting));
			demo_line_str(&ctx->line, "sitting", sitting);
			demo_line_bool(&ctx->line, "heard", rv->heard);
		}
		demo_line_str(&ctx->line, "opinion", rv->opinion);
		if (demo_line_end(&ctx->line, ctx->out))
			return -1;
	}
	return 0;
}

int demo_write_case_reviews(struct demo_ctx *ctx)
{
	return demo_path_each(ctx, false, demo_write_path_reviews);
}
