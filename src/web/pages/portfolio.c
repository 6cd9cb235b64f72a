/*
 * portfolio.c — "Mon portefeuille": the people a référent follows today
 * (model/caseload.h), what needs action for each, the counts, filters,
 * pages and downloads; and the administrator's writes on a whole
 * caseload: transfer when a référent leaves, temporary cover.
 *
 * Every person listed also goes through access_scope_people(): the
 * portfolio never shows someone the user could not open.
 */
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "db/db.h"
#include "model/caseload.h"
#include "model/problems.h"
#include "web/access.h"
#include "web/form.h"
#include "web/http.h"
#include "web/listing.h"
#include "web/pages/pages.h"
#include "web/labels.h"

/* Whose caseload: the user's own, or for an administrator ?referent=ID.
 * (A référent's ?referent is ignored: one sees one's own caseload.) */
static const char *whose(const struct request *req)
{
	const char *r = req_query(req, "referent");

	if ((req->user.roles & ROLE_ADMIN) && r && *r)
		return r;
	return (req->user.roles & ROLE_REFERENT) ? req->user.id : NULL;
}

static json_t *portfolio_row(const struct caseload_person *p)
{
	json_t *row = json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?}", "id", p->id,
				"last_name", p->last_name, "first_name", p->first_name,
				"birth_date", p->birth_date, "itinerary", p->itinerary,
				"oriented_on", p->oriented_on, "contract_end", p->contract_end,
				"last_appointment", p->last_appointment);
	json_t *badges = json_array();
	char last[11] = "";

	label_set(row, "orientation", "itinerary");
	for (int i = 0; caseload_actions[i]; i++) {
		json_object_set_new(row, caseload_actions[i], json_boolean(p->action[i]));
		if (p->action[i])
			json_array_append_new(badges, json_pack("{s:s, s:s}", "code",
					caseload_actions[i], "label",
					caseload_action_label(caseload_actions[i])));
	}
	if (p->last_appointment)
		snprintf(last, sizeof last, "%.10s", p->last_appointment);
	json_object_set_new(row, "last_appointment_day", json_string(last));
	json_object_set_new(row, "badges", badges);
	return row;
}

/* The whole caseload read once (model/caseload.h), within the user's
 * access scope: the counts n[0..4] over every person (total, then each
 * action), and in `rows` those needing `action` (everyone without one),
 * in the listing's order. Only the rows of the page shown are made
 * (others are null: listing_run() pages the list and never reads them).
 * -1 on SQL error. */
static int caseload_pass(struct request *req, const char *referent, const char *action,
			 json_t *rows, long n[5])
{
	struct buf scope;
	json_t *binds = json_array();
	struct caseload c;
	int only = -1, rc;
	long total = 0, first, last;

	for (int i = 0; action && caseload_actions[i]; i++)
		if (!strcmp(action, caseload_actions[i]))
			only = i;
	buf_init(&scope, 65536);
	access_scope_people(&req->user, &scope, binds);
	rc = caseload_read(req->db, referent, date_today(), buf_str(&scope), binds, &c);
	buf_release(&scope);
	json_decref(binds);
	if (rc)
		return -1;
	for (int i = 0; i < 5; i++)
		n[i] = c.counts[i];
	for (size_t i = 0; i < c.n; i++)
		total += only < 0 || c.people[i].action[only];
	listing_page_span(req, total, &first, &last);
	for (size_t i = 0, k = 0; i < c.n; i++) {
		if (only >= 0 && !c.people[i].action[only])
			continue;
		json_array_append_new(rows, (long)k >= first && (long)k < last
					? portfolio_row(&c.people[i]) : json_null());
		k++;
	}
	caseload_release(&c);
	return 0;
}

/* The counts at the top, each a link to its filter. */
static json_t *counts_of(struct request *req, const char *referent, const char *action,
			 const long n[5])
{
	json_t *out = json_array();
	char href[200];

	for (int i = 0; i < 5; i++) {
		const char *code = i ? caseload_actions[i - 1] : "";
		char *ref = url_encode(referent);
		int admin = (req->user.roles & ROLE_ADMIN) != 0;
		snprintf(href, sizeof href, "/portfolio%s%s%s%s%s", i || admin ? "?" : "",
			 i ? "action=" : "", code, admin ? (i ? "&referent=" : "referent=") : "",
			 admin ? ref : "");
		free(ref);
		json_array_append_new(out, json_pack("{s:s, s:s, s:I, s:s, s:b}", "code",
				i ? code : "all", "label", i ? caseload_action_label(code)
				: "Toutes les personnes suivies", "count", (json_int_t)n[i], "href", href,
				"current", i ? (action && !strcmp(action, code)) : !action || !*action));
	}
	return out;
}

/* Whose name heads the page, and the covers running today. */
static json_t *referent_info(struct request *req, const char *referent)
{
	struct db_stmt *st;
	char today[11];
	json_t *info = json_pack("{s:s, s:o}", "id", referent, "covers", json_array());

	if (db_prepare(req->db, &st, "SELECT first_name || ' ' || last_name FROM account "
				     "WHERE id = ?") == 0) {
		db_bind_text(st, 1, referent);
		if (db_step(st) == DB_ROW)
			json_object_set_new(info, "name", json_string(db_col_text(st, 0)));
		db_finalize(st);
	}
	date_format(date_today(), today);
	if (db_prepare(req->db, &st, "SELECT a.first_name || ' ' || a.last_name, c.end_date "
				     "FROM referent_cover c JOIN account a ON a.id = c.absent_referent "
				     "WHERE c.covering_referent = ? AND c.start_date <= ? "
				     "AND c.end_date >= ? ORDER BY c.end_date") == 0) {
		db_bind_text(st, 1, referent);
		db_bind_text(st, 2, today);
		db_bind_text(st, 3, today);
		while (db_step(st) == DB_ROW)
			json_array_append_new(json_object_get(info, "covers"), json_pack(
				"{s:s, s:s}", "absent", db_col_text(st, 0), "until", db_col_text(st, 1)));
		db_finalize(st);
	}
	return info;
}

/* The référents an administrator may choose from (id, name, organisation). */
static json_t *referents(struct request *req, const char *selected)
{
	struct db_stmt *st;
	json_t *out = json_array();

	if (db_prepare(req->db, &st, "SELECT a.id, a.last_name || ' ' || a.first_name, o.name "
				     "FROM account a JOIN organisation o ON o.id = a.organisation "
				     "WHERE a.roles LIKE '%\"referent\"%' "
				     "ORDER BY o.name, a.last_name, a.first_name, a.id"))
		return out;
	while (db_step(st) == DB_ROW)
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:b}", "id", db_col_text(st, 0),
				"name", db_col_text(st, 1), "organisation", db_col_text(st, 2),
				"selected", selected && !strcmp(selected, db_col_text(st, 0))));
	db_finalize(st);
	return out;
}

static void portfolio_columns(struct listing *l)
{
	listing_column(l, "last_name", "Nom");
	listing_column(l, "first_name", "Prénom");
	listing_column(l, "birth_date", "Date de naissance");
	listing_column(l, "itinerary_label", "Itinéraire");
	listing_column(l, "oriented_on", "Orientation depuis le");
	listing_column(l, "contract_end", "Fin du contrat en cours");
	listing_column(l, "last_appointment_day", "Dernier rendez-vous");
	for (int i = 0; caseload_actions[i]; i++)
		listing_column(l, caseload_actions[i], caseload_action_label(caseload_actions[i]));
}

void page_portfolio(struct request *req, struct response *res)
{
	const char *referent = whose(req), *action = req_query(req, "action");
	struct listing l;
	long n[5] = { 0 };

	res->template = "portfolio";
	res->title = "Mon portefeuille";
	res->data = json_pack("{s:b, s:s?}", "admin", (req->user.roles & ROLE_ADMIN) != 0, "action",
			      caseload_action_label(action) ? action : NULL);
	if (req->user.roles & ROLE_ADMIN)
		json_object_set_new(res->data, "referents", referents(req, referent));
	if (!referent) {
		json_object_set_new(res->data, "choose", json_true());
		return;
	}
	json_object_set_new(res->data, "referent", referent_info(req, referent));
	listing_init(&l);
	l.rows = json_array();
	if (caseload_pass(req, referent, action, l.rows, n)) {
		listing_release(&l);
		res_error(res, 500, "erreur de la base de données");
		return;
	}
	json_object_set_new(res->data, "counts", counts_of(req, referent, action, n));
	l.name = "portefeuille";
	portfolio_columns(&l);
	listing_run(req, res, &l);
	listing_release(&l);
}

/* ---- transfer and cover (administrators) -------------------------------- */

static void transfer_page(struct request *req, struct response *res, const char *done)
{
	res->template = "portfolio_transfer";
	res->title = "Transférer ou faire remplacer un portefeuille";
	if (!json_is_object(res->data)) {
		json_decref(res->data);
		res->data = json_object();
	}
	json_object_set_new(res->data, "referents", referents(req, NULL));
	json_object_set_new(res->data, "form", json_deep_copy(req->form ? req->form
								       : json_object()));
	if (done)
		json_object_set_new(res->data, done, json_true());
}

void page_portfolio_transfer(struct request *req, struct response *res)
{
	transfer_page(req, res, NULL);
}

/* The answer of a write: the result, or the form with its messages. */
static void answered(struct request *req, struct response *res, enum caseload_result r,
		     struct problems *pb, json_t *result)
{
	if (r == CASELOAD_OK) {
		res->data = result;
		transfer_page(req, res, "done");
		return;
	}
	json_decref(result);
	res->data = json_object();
	transfer_page(req, res, NULL);
	if (r == CASELOAD_INVALID)
		res_invalid(res, problems_fields(pb));
	else
		res_error(res, 500, "l'enregistrement a échoué : rien n'a été modifié");
}

void page_portfolio_transfer_post(struct request *req, struct response *res)
{
	const struct caseload_actor who = { req->user.id, req->address };
	const char *from = req_form(req, "from"), *to = req_form(req, "to"), *on = req_form(req, "on");
	struct problems pb;
	long moved = 0;
	enum caseload_result r;

	problems_init(&pb);
	r = caseload_transfer(req->db, &who, from, to, on, &pb, &moved);
	answered(req, res, r, &pb, json_pack("{s:s, s:I, s:s?, s:s?, s:s?}", "result", "transfer",
					     "moved", (json_int_t)moved, "from", from, "to", to,
					     "on", on));
	problems_release(&pb);
}

void page_portfolio_cover_post(struct request *req, struct response *res)
{
	const struct caseload_actor who = { req->user.id, req->address };
	const char *absent = req_form(req, "absent"), *covering = req_form(req, "covering");
	const char *start = req_form(req, "start"), *end = req_form(req, "end");
	struct problems pb;
	char id[65] = "";
	enum caseload_result r;

	problems_init(&pb);
	r = caseload_cover(req->db, &who, absent, covering, start, end, &pb, id);
	answered(req, res, r, &pb, json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:I}", "result",
					     "cover", "id", id, "absent", absent, "covering",
					     covering, "start", start, "end", end, "people",
					     (json_int_t)(r == CASELOAD_OK
						? caseload_size(req->db, absent, date_today()) : 0)));
	problems_release(&pb);
}
