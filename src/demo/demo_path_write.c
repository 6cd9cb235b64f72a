/*
 * demo_path_write.c — writes the path families built by demo_path.c, one
 * exchange-format type at a time, in the format's order: orientation,
 * referent_assignment, diagnostic, contract, appointment,
 * collective_session, attendance, survey_response, step.
 *
 * Ids carry the person's: "or-000123-1-2" is the second orientation of
 * p-000123-1, so they are stable when a larger run extends a smaller one.
 */
#include <string.h>

#include "demo/demo_path.h"

static void demo_line_end_date(struct demo_line *l, long end)
{
	if (end != DEMO_PATH_NO_END)
		demo_line_date(l, "end", end);
}

static int demo_write_path_orientations(struct demo_ctx *ctx, struct demo_world *w, const struct demo_path *p)
{
	char review[48];

	for (size_t i = 0; i < p->n_orientations; i++) {
		const struct demo_orientation *o = &p->orientation[i];

		demo_path_line_begin(ctx, "orientation", "or", p, i);
		demo_line_date(&ctx->line, "decided_on", o->decided_on);
		demo_line_date(&ctx->line, "start", o->start);
		demo_line_end_date(&ctx->line, o->end);
		demo_line_str(&ctx->line, "itinerary", demo_itinerary_codes[o->itinerary]);
		demo_line_str(&ctx->line, "organisation", w->orgs[o->org].id);
		if (o->assignment >= 0)
			demo_line_str(&ctx->line, "referent", p->assignment[o->assignment].referent);
		demo_line_str(&ctx->line, "origin", o->origin);
		if (o->review >= 0) {
			demo_path_id(review, sizeof(review), "cr", p, (size_t)o->review);
			demo_line_str(&ctx->line, "case_review", review);
		}
		if (demo_line_end(&ctx->line, ctx->out))
			return -1;
	}
	return 0;
}

int demo_write_orientations(struct demo_ctx *ctx)
{
	return demo_path_each(ctx, false, demo_write_path_orientations);
}

static int demo_write_path_assignments(struct demo_ctx *ctx, struct demo_world *w, const struct demo_path *p)
{
	for (size_t i = 0; i < p->n_assignments; i++) {
		const struct demo_assignment *a = &p->assignment[i];

		demo_path_line_begin(ctx, "referent_assignment", "ra", p, i);
		demo_line_str(&ctx->line, "referent", a->referent);
		demo_line_str(&ctx->line, "organisation", w->orgs[a->org].id);
		demo_line_date(&ctx->line, "start", a->start);
		demo_line_end_date(&ctx->line, a->end);
		if (demo_line_end(&ctx->line, ctx->out))
			return -1;
	}
	return 0;
}

int demo_write_referent_assignments(struct demo_ctx *ctx)
{
	return demo_path_each(ctx, false, demo_write_path_assignments);
}

static int demo_write_path_diagnostics(struct demo_ctx *ctx, struct demo_world *w, const struct demo_path *p)
{
	(void)w;
	for (size_t i = 0; i < p->n_diagnostics; i++) {
		const struct demo_diagnostic *d = &p->diagnostic[i];

		demo_path_line_begin(ctx, "diagnostic", "dg", p, i);
		demo_line_date(&ctx->line, "date", d->date);
		demo_line_str(&ctx->line, "author", d->author);
		demo_line_str(&ctx->line, "autonomy", d->autonomy);
		demo_line_strs(&ctx->line, "barriers", d->barriers, d->n_barriers);
		if (demo_line_end(&ctx->line, ctx->out))
			return -1;
	}
	return 0;
}

int demo_write_diagnostics(struct demo_ctx *ctx)
{
	return demo_path_each(ctx, false, demo_write_path_diagnostics);
}

static int demo_write_path_contracts(struct demo_ctx *ctx, struct demo_world *w, const struct demo_path *p)
{
	for (size_t i = 0; i < p->n_contracts; i++) {
		const struct demo_contract *c = &p->contract[i];

		demo_path_line_begin(ctx, "contract", "ct", p, i);
		demo_line_str(&ctx->line, "kind", c->kind);
		demo_line_str(&ctx->line, "organisation", w->orgs[c->org].id);
		demo_line_str(&ctx->line, "referent", c->referent);
		demo_line_date(&ctx->line, "signed_on", c->start);
		demo_line_date(&ctx->line, "start", c->start);
		demo_line_date(&ctx->line, "end", c->end);
		demo_line_strs(&ctx->line, "actions", c->actions, c->n_actions);
		if (c->terminated_on) {
			demo_line_str(&ctx->line, "status", "terminated");
			demo_line_date(&ctx->line, "terminated_on", c->terminated_on);
		}
		if (demo_line_end(&ctx->line, ctx->out))
			return -1;
	}
	return 0;
}

int demo_write_contracts(struct demo_ctx *ctx)
{
	return demo_path_each(ctx, false, demo_write_path_contracts);
}

static int demo_write_path_appointments(struct demo_ctx *ctx, struct demo_world *w, const struct demo_path *p)
{
	char at[32];

	for (size_t i = 0; i < p->n_appointments; i++) {
		const struct demo_appointment *a = &p->appointment[i];

		demo_datetime(a->day, a->minutes, at);
		demo_path_line_begin(ctx, "appointment", "ap", p, i);
		demo_line_str(&ctx->line, "organisation", w->orgs[a->org].id);
		demo_line_str(&ctx->line, "referent", a->referent);
		demo_line_str(&ctx->line, "at", at);
		demo_line_str(&ctx->line, "kind", a->kind);
		demo_line_str(&ctx->line, "status", a->status);
		if (demo_line_end(&ctx->line, ctx->out))
			return -1;
	}
	return 0;
}

int demo_write_appointments(struct demo_ctx *ctx)
{
	return demo_path_each(ctx, false, demo_write_path_appointments);
}

/* Every fortnight at each organisation that accompanies people, mornings
 * and afternoons in turn, through the horizon. */
int demo_write_collective_sessions(struct demo_ctx *ctx)
{
	struct demo_world w;
	char id[80], at[32];
	int err = -1;

	if (demo_world_open(&w, ctx))
		return -1;
	for (size_t org = 0; org < w.n_orgs; org++) {
		long day;

		for (int k = 0; (day = demo_session_day(&w, org, k)) != 0; k++) {
			demo_session_id(&w.orgs[org], k, id, sizeof(id));
			demo_datetime(day, k % 2 ? 14 * 60 : 9 * 60 + 30, at);
			demo_line_begin(&ctx->line, "collective_session", id);
			demo_line_str(&ctx->line, "organisation", w.orgs[org].id);
			demo_line_str(&ctx->line, "title", demo_session_title(&w, org, k));
			demo_line_str(&ctx->line, "at", at);
			demo_line_int(&ctx->line, "capacity", demo_session_capacity(ctx, org, k));
			if (demo_line_end(&ctx->line, ctx->out))
				goto out;
		}
	}
	err = 0;
out:
	demo_world_close(&w);
	return err;
}

static int demo_write_path_attendances(struct demo_ctx *ctx, struct demo_world *w, const struct demo_path *p)
{
	char session[80];

	for (size_t i = 0; i < p->n_attendances; i++) {
		const struct demo_attendance *a = &p->attendance[i];

		demo_session_id(&w->orgs[a->org], a->session, session, sizeof(session));
		demo_path_line_begin(ctx, "attendance", "at", p, i);
		demo_line_str(&ctx->line, "session", session);
		demo_line_str(&ctx->line, "status", a->status);
		if (demo_line_end(&ctx->line, ctx->out))
			return -1;
	}
	return 0;
}

int demo_write_attendances(struct demo_ctx *ctx)
{
	return demo_path_each(ctx, true, demo_write_path_attendances);
}

static int demo_write_path_surveys(struct demo_ctx *ctx, struct demo_world *w, const struct demo_path *p)
{
	char id[48], session[80];

	for (size_t i = 0; i < p->n_attendances; i++) {
		const struct demo_attendance *a = &p->attendance[i];

		if (!a->survey)
			continue;
		demo_path_id(id, sizeof(id), "sv", p, i);
		demo_session_id(&w->orgs[a->org], a->session, session, sizeof(session));
		demo_line_begin(&ctx->line, "survey_response", id);
		demo_line_str(&ctx->line, "session", session);
		/* Some answer anonymously. */
		if (a->survey_named)
			demo_line_str(&ctx->line, "person", p->adult->id);
		demo_line_bool(&ctx->line, "helps_job_search", a->helps_job_search);
		demo_line_bool(&ctx->line, "helps_personal_life", a->helps_personal_life);
		if (demo_line_end(&ctx->line, ctx->out))
			return -1;
	}
	return 0;
}

int demo_write_survey_responses(struct demo_ctx *ctx)
{
	/* The same registrations as the attendance pass: the places are taken
	 * again in the same order, so the same sessions come out. */
	return demo_path_each(ctx, true, demo_write_path_surveys);
}

static int demo_write_path_steps(struct demo_ctx *ctx, struct demo_world *w, const struct demo_path *p)
{
	(void)w;
	for (size_t i = 0; i < p->n_steps; i++) {
		const struct demo_step *s = &p->step[i];

		demo_path_line_begin(ctx, "step", "st", p, i);
		demo_line_date(&ctx->line, "date", s->date);
		demo_line_str(&ctx->line, "category", s->category);
		demo_line_str(&ctx->line, "contract_type", s->contract_type);
		if (demo_line_end(&ctx->line, ctx->out))
			return -1;
	}
	return 0;
}

int demo_write_steps(struct demo_ctx *ctx)
{
	return demo_path_each(ctx, false, demo_write_path_steps);
}
