/*
 * orientation.c — the orientation officer's queue (SDD people without an
 * orientation, oldest RSA entry first, with the legal deadline), the
 * one-by-one orientation form and the référent designation. The writes and
 * their rules are model/orienting.c's; every person listed or opened goes
 * through access_scope_people().
 */
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/text.h"
#include "db/db.h"
#include "model/audit.h"
#include "model/orienting.h"
#include "model/problems.h"
#include "model/record.h"
#include "model/rights.h"
#include "model/schema.h"
#include "web/access.h"
#include "web/http.h"
#include "web/labels.h"
#include "web/listing.h"
#include "web/pages/orientation.h"
#include "web/pages/pages.h"
#include "web/session.h"

/* ---- shared helpers (orientation.h) ---- */

json_t *orientation_person(struct request *req, struct response *res, const char *id)
{
	json_t *p = NULL;

	if (id && access_person_visible(req->db, &req->user, id))
		p = record_load(req->db, &type_person, id, NULL);
	if (!p) {
		audit_append(req->db, req->user.id, req->address, "person.denied", "person", id,
			     NULL);
		res_error(res, 404, "cette personne n'existe pas ou ne vous est pas accessible");
		return NULL;
	}
	json_object_del(p, "nir");
	return p;
}

const char *orientation_form(const struct request *req, const char *name)
{
	const char *v = req_form(req, name);

	return v && *v ? v : NULL;
}

static json_t *field(const char *name, const char *label, int required, json_t *errors)
{
	json_t *f = json_pack("{s:s, s:s, s:b}", "name", name, "label", label, "required",
			      required);
	json_t *e = json_object_get(errors, name);

	/* Always set: a field without its own error must not show the page's
	 * (Mustache looks a missing name up in the enclosing context). */
	json_object_set_new(f, "error", e ? json_incref(e) : json_false());
	return f;
}

json_t *orientation_select(const char *name, const char *label, int required, json_t *options,
			   json_t *errors)
{
	json_t *f = field(name, label, required, errors);

	json_object_set_new(f, "is_select", json_true());
	json_object_set_new(f, "options", options);
	return f;
}

json_t *orientation_date(const char *name, const char *label, int required, const char *value,
			 json_t *errors)
{
	json_t *f = field(name, label, required, errors);

	json_object_set_new(f, "is_date", json_true());
	json_object_set_new(f, "value", json_string(value ? value : ""));
	return f;
}

static json_t *option(const char *value, const char *label, const char *selected)
{
	return json_pack("{s:s, s:s, s:b}", "value", value, "label", label, "selected",
			 selected && !strcmp(selected, value));
}

json_t *orientation_itinerary_options(const char *selected)
{
	static const char *const codes[] = { "social", "socio_professional", "professional" };
	json_t *o = json_array();

	for (size_t i = 0; i < 3; i++)
		json_array_append_new(o, option(codes[i], orienting_itinerary_label(codes[i]),
						 selected));
	return o;
}

static int carries_some_itinerary(const char *kind)
{
	return orienting_kind_fits("social", kind) ||
	       orienting_kind_fits("socio_professional", kind) ||
	       orienting_kind_fits("professional", kind);
}

json_t *orientation_organisation_options(struct db *db, const char *itinerary,
					 const char *selected)
{
	json_t *o = json_array();
	struct db_stmt *st;
	int known = orienting_kinds(itinerary) != NULL;

	if (db_prepare(db, &st, "SELECT id, name, kind FROM organisation ORDER BY name, id"))
		return o;
	while (db_step(st) == DB_ROW) {
		const char *kind = db_col_text(st, 2), *kl = label_of("organisation", "kind", kind);
		char label[300];
		if (known ? !orienting_kind_fits(itinerary, kind) : !carries_some_itinerary(kind))
			continue;
		snprintf(label, sizeof label, "%s — %s", db_col_text(st, 1), kl ? kl : kind);
		json_array_append_new(o, option(db_col_text(st, 0), label, selected));
	}
	db_finalize(st);
	return o;
}

/* ---- the queue ---- */

/* The latest RSA entry that is late on `today`: entry + 2 months (clamped)
 * before today. The deadline grows with the entry, so the entries that are
 * late are exactly those up to this day. */
static long late_threshold(long today)
{
	long t = date_add_months(today - 1, -2);

	while (date_add_months(t + 1, 2) < today)
		t++;
	while (date_add_months(t, 2) >= today)
		t--;
	return t;
}

/* RSA entry: the start of the person's first SDD right period. */
#define QUEUE_ENTRY RIGHTS_ENTRY_DATE("p.id")

static json_t *queue_row(struct db_stmt *st, void *ud)
{
	struct request *req = ud;
	const char *entry = db_col_text(st, 6);
	json_t *row = json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?}", "id", db_col_text(st, 0),
				"last_name", db_col_text(st, 1), "first_name", db_col_text(st, 2),
				"birth_date", db_col_text(st, 3), "commune", db_col_text(st, 4),
				"territory", db_col_text(st, 5), "entry", entry);
	char *commune = label_commune(req->db, db_col_text(st, 4));
	long e, today = date_today();
	char deadline[11], text[80];

	if (commune)
		json_object_set_new(row, "commune_name", json_string(commune));
	free(commune);
	if (entry && date_parse(entry, &e) == 0) {
		long d = date_add_months(e, 2), left = d - today;
		date_format(d, deadline);
		if (left < 0)
			snprintf(text, sizeof text, "en retard de %ld jour%s", -left,
				 left < -1 ? "s" : "");
		else
			snprintf(text, sizeof text, "%ld jour%s restant%s", left, left > 1 ? "s" : "",
				 left > 1 ? "s" : "");
		json_object_set_new(row, "deadline", json_string(deadline));
		json_object_set_new(row, "days_left", json_integer(left));
		json_object_set_new(row, "situation", json_string(text));
		json_object_set_new(row, "badge", json_string(left < 0 ? "fr-badge--error"
							      : left <= 15 ? "fr-badge--warning"
									   : "fr-badge--info"));
		json_object_set_new(row, "late", json_boolean(left < 0));
	}
	return row;
}

/* Filters: territory (named by the household, or its commune listed by the
 * territory), commune (INSEE code), late only. */
static void queue_filters(struct request *req, struct listing *l, json_t *echo)
{
	const char *territory = req_query(req, "territory"), *commune = req_query(req, "commune");
	const char *late = req_query(req, "late");
	char day[11];

	if (territory && *territory) {
		buf_addstr(&l->from, " AND (h.territory = ? OR (h.territory IS NULL AND h.commune IN "
				     "(SELECT commune FROM territory_commune WHERE territory = ?)))");
		json_array_append_new(l->binds, json_string(territory));
		json_array_append_new(l->binds, json_string(territory));
		json_object_set_new(echo, "territory", json_string(territory));
	}
	if (commune && *commune) {
		json_object_set_new(echo, "commune", json_string(commune));
		if (insee_valid(commune)) {
			buf_addstr(&l->from, " AND h.commune = ?");
			json_array_append_new(l->binds, json_string(commune));
		} else {
			json_object_set_new(echo, "commune_error",
					    json_string("code INSEE attendu : 5 caractères, "
							"par exemple 69266"));
		}
	}
	if (late && !strcmp(late, "1")) {
		date_format(late_threshold(date_today()), day);
		buf_addstr(&l->from, " AND " QUEUE_ENTRY " <= ?");
		json_array_append_new(l->binds, json_string(day));
		json_object_set_new(echo, "late", json_true());
	}
}

/* The people of the queue: SDD today, no orientation current or to come. */
static void queue_from(struct request *req, struct listing *l)
{
	char today[11];

	date_format(date_today(), today);
	buf_addstr(&l->from,
		   "FROM person p JOIN household h ON h.id = p.household "
		   "LEFT JOIN territory t ON t.id = h.territory "
		   "WHERE " RIGHTS_SDD_ON("p.id") " "
		   "AND NOT EXISTS (SELECT 1 FROM orientation o WHERE o.person = p.id "
		   "AND (o.end_date IS NULL OR o.end_date >= ?))");
	for (int i = 0; i < 3; i++)
		json_array_append_new(l->binds, json_string(today));
	(void)req;
}

/* How many of the listed people are late (the same filters and scope). */
static long queue_late_count(struct request *req, struct listing *l)
{
	struct buf sql;
	struct db_stmt *st;
	char day[11];
	long n = 0;

	date_format(late_threshold(date_today()), day);
	buf_init(&sql, 131072);
	buf_addf(&sql, "SELECT COUNT(*) %s AND " QUEUE_ENTRY " <= ?", buf_str(&l->from));
	if (db_prepare(req->db, &st, buf_str(&sql)) == 0) {
		query_bind(st, l->binds, 1);
		db_bind_text(st, (int)json_array_size(l->binds) + 1, day);
		if (db_step(st) == DB_ROW)
			n = (long)db_col_int(st, 0);
		db_finalize(st);
	}
	buf_release(&sql);
	return n;
}

static json_t *territory_options(struct db *db, const char *selected)
{
	json_t *o = json_array();
	struct db_stmt *st;

	if (db_prepare(db, &st, "SELECT id, name FROM territory ORDER BY name, id"))
		return o;
	while (db_step(st) == DB_ROW)
		json_array_append_new(o, option(db_col_text(st, 0), db_col_text(st, 1), selected));
	db_finalize(st);
	return o;
}

/* ?oriented=ID after a one-by-one orientation: the person's name for the
 * confirmation message (and the letter's link), when visible. */
static void oriented_notice(struct request *req, json_t *data)
{
	const char *id = req_query(req, "oriented");
	json_t *p;

	if (!id || !access_person_visible(req->db, &req->user, id))
		return;
	p = record_load(req->db, &type_person, id, NULL);
	if (p)
		json_object_set_new(data, "oriented",
				    json_pack("{s:s, s:O, s:O}", "id", id, "first_name",
					      json_object_get(p, "first_name"), "last_name",
					      json_object_get(p, "last_name")));
	json_decref(p);
}

static void queue_columns(struct listing *l)
{
	listing_column(l, "last_name", "Nom");
	listing_column(l, "first_name", "Prénom");
	listing_column(l, "birth_date", "Date de naissance");
	listing_column(l, "commune", "Commune (INSEE)");
	listing_column(l, "territory", "Territoire");
	listing_column(l, "entry", "Entrée dans le RSA");
	listing_column(l, "deadline", "Échéance légale d'orientation");
	listing_column(l, "days_left", "Jours restants (négatif : retard)");
	listing_column(l, "situation", "Situation");
}

void page_orientation_queue(struct request *req, struct response *res)
{
	struct listing l;
	json_t *echo = json_object();
	const char *itinerary = req_query(req, "itinerary");
	char today[11];

	date_format(date_today(), today);
	listing_init(&l);
	l.select = "p.id, p.last_name, p.first_name, p.birth_date, h.commune, t.name, " QUEUE_ENTRY;
	queue_from(req, &l);
	queue_filters(req, &l, echo);
	access_scope_people(&req->user, &l.from, l.binds);
	l.order = QUEUE_ENTRY ", p.search_key, p.id";
	l.name = "file-orientation";
	l.row = queue_row;
	l.ud = req;
	queue_columns(&l);
	res->template = "orientation_queue";
	res->title = "File d'orientation";
	res->data = json_pack("{s:o, s:o, s:o, s:o, s:s}", "filters", echo, "territories",
			      territory_options(req->db, req_query(req, "territory")),
			      "itineraries", orientation_itinerary_options(itinerary),
			      "organisations",
			      orientation_organisation_options(req->db, itinerary, NULL), "today",
			      today);
	oriented_notice(req, res->data);
	json_object_del(req->query, "oriented");
	if (listing_run(req, res, &l) == 0 && !req_query(req, "format")) {
		json_object_set_new(res->data, "late_total",
				    json_integer(queue_late_count(req, &l)));
		json_object_set_new(res->data, "has_rows", json_boolean(json_array_size(
					    json_object_get(res->data, "rows")) > 0));
	}
	listing_release(&l);
}

/* ---- one person's orientation ---- */

static const char *const origins[][2] = {
	{ "initial", "Première orientation" },
	{ "reorientation", "Réorientation (après l'avis favorable d'une équipe pluridisciplinaire)" },
	{ "move", "Changement de territoire" },
	{ "default", "Orientation par défaut" },
};

static json_t *origin_options(const char *selected)
{
	json_t *o = json_array();

	for (size_t i = 0; i < sizeof origins / sizeof *origins; i++)
		json_array_append_new(o, option(origins[i][0], origins[i][1], selected));
	return o;
}

/* The référents of an organisation (none when it is not chosen yet). */
static json_t *referent_options(struct db *db, const char *organisation, const char *selected)
{
	json_t *o = json_array();
	struct db_stmt *st;

	if (!organisation ||
	    db_prepare(db, &st, "SELECT id, first_name || ' ' || last_name FROM account "
				"WHERE organisation = ? AND roles LIKE '%\"referent\"%' "
				"ORDER BY last_name, first_name, id"))
		return o;
	db_bind_text(st, 1, organisation);
	while (db_step(st) == DB_ROW)
		json_array_append_new(o, option(db_col_text(st, 0), db_col_text(st, 1), selected));
	db_finalize(st);
	return o;
}

/* The person's case reviews with a favourable opinion (for a
 * reorientation). */
static json_t *review_options(struct db *db, const char *person, const char *selected)
{
	json_t *o = json_array();
	struct db_stmt *st;

	if (db_prepare(db, &st, "SELECT id, referred_on FROM case_review WHERE person = ? "
				"AND opinion = 'favourable' ORDER BY referred_on DESC, id"))
		return o;
	db_bind_text(st, 1, person);
	while (db_step(st) == DB_ROW) {
		char label[120];
		snprintf(label, sizeof label, "Examen saisi le %s — avis favorable",
			 db_col_text(st, 1));
		json_array_append_new(o, option(db_col_text(st, 0), label, selected));
	}
	db_finalize(st);
	return o;
}

/* The current record (orientation or assignment) as shown above the form:
 * {id, start, organisation_name, itinerary_label | referent_name}. */
static json_t *current_json(struct db *db, int assignment, const char *person)
{
	char today[11], id[65];
	json_t *rec, *cur;
	const struct type_def *t = assignment ? &type_referent_assignment : &type_orientation;
	struct db_stmt *st;

	date_format(date_today(), today);
	if (orienting_current(db, assignment, person, today, id) != 1)
		return json_null();
	rec = record_load(db, t, id, NULL);
	if (!rec)
		return json_null();
	cur = json_pack("{s:s, s:O, s:O?}", "id", id, "start", json_object_get(rec, "start"),
			"end", json_object_get(rec, "end"));
	if (!assignment)
		json_object_set_new(cur, "itinerary_label",
				    json_string(orienting_itinerary_label(json_string_value(
					    json_object_get(rec, "itinerary")))));
	if (db_prepare(db, &st, "SELECT o.name, a.first_name || ' ' || a.last_name "
				"FROM organisation o LEFT JOIN account a ON a.id = ? WHERE o.id = ?") == 0) {
		db_bind_text(st, 1, json_string_value(json_object_get(rec, "referent")));
		db_bind_text(st, 2, json_string_value(json_object_get(rec, "organisation")));
		if (db_step(st) == DB_ROW) {
			json_object_set_new(cur, "organisation_name", json_string(db_col_text(st, 0)));
			if (db_col_text(st, 1))
				json_object_set_new(cur, "referent_name",
						    json_string(db_col_text(st, 1)));
		}
		db_finalize(st);
	}
	json_decref(rec);
	return cur;
}

/* A value of the posted form, else of the query, else `fallback`. */
static const char *typed(const struct request *req, const char *name, const char *fallback)
{
	const char *v = orientation_form(req, name);

	if (!v)
		v = req_query(req, name);
	return v && *v ? v : fallback;
}

/* res->data as an object to add the form page's keys to (it may already
 * hold a 422's error and fields). */
static void page_data(struct response *res)
{
	if (!json_is_object(res->data)) {
		json_decref(res->data);
		res->data = json_object();
	}
}

static void orientation_page(struct request *req, struct response *res, json_t *person,
			     json_t *errors)
{
	const char *id = json_string_value(json_object_get(person, "id"));
	const char *itinerary = typed(req, "itinerary", NULL);
	const char *organisation = typed(req, "organisation", NULL);
	json_t *cur = current_json(req->db, 0, id), *form = json_array();
	char today[11], action[120];
	const char *cur_id = json_string_value(json_object_get(cur, "id"));

	date_format(date_today(), today);
	snprintf(action, sizeof action, "/people/%s/orientation/new", id);
	json_array_append_new(form, orientation_select("itinerary", "Itinéraire", 1,
			orientation_itinerary_options(itinerary), errors));
	json_array_append_new(form, orientation_select("organisation",
			"Structure d'accompagnement", 1,
			orientation_organisation_options(req->db, itinerary, organisation), errors));
	json_array_append_new(form, orientation_select("referent", "Référent (facultatif)", 0,
			referent_options(req->db, organisation, typed(req, "referent", NULL)),
			errors));
	json_array_append_new(form, orientation_date("decided_on", "Décision prise le", 1,
			typed(req, "decided_on", today), errors));
	json_array_append_new(form, orientation_date("start", "Début de l'orientation", 1,
			typed(req, "start", today), errors));
	json_array_append_new(form, orientation_select("origin", "Origine", 1,
			origin_options(typed(req, "origin", cur_id ? "reorientation" : "initial")),
			errors));
	json_array_append_new(form, orientation_select("case_review",
			"Examen en équipe pluridisciplinaire (pour une réorientation)", 0,
			review_options(req->db, id, typed(req, "case_review", NULL)), errors));
	res->template = "orientation_form";
	res->title = "Orienter une personne";
	page_data(res);
	json_object_set_new(res->data, "submit_label", json_string("Enregistrer l'orientation"));
	json_object_set(res->data, "person", person);
	json_object_set_new(res->data, "current", cur);
	json_object_set_new(res->data, "expected",
			    json_string(req_form(req, "current") ? req_form(req, "current")
								 : cur_id ? cur_id : ""));
	json_object_set_new(res->data, "form", form);
	json_object_set_new(res->data, "action", json_string(action));
	json_object_set_new(res->data, "no_referents",
			    json_boolean(organisation == NULL));
}

/* The form pages: the person, the errors (field → message, may be NULL). */
typedef void form_page(struct request *req, struct response *res, json_t *person,
		       json_t *errors);

/* GET of a form: the values of the query and the current records, or what
 * was typed before the session expired (?resume=…, after signing in
 * again), shown to be checked and sent: nothing is written here. The
 * restored form keeps the current record it was read against, so that a
 * change made meanwhile is a 409 when it is sent. */
static void form_show(struct request *req, struct response *res, form_page *page)
{
	json_t *p = orientation_person(req, res, req_param(req, "id"));
	int restored;

	if (!p)
		return;
	restored = pending_form_restore(req);
	page(req, res, p, NULL);
	if (restored)
		json_object_set_new(res->data, "restored", json_true());
	json_decref(p);
}

void page_orientation_new(struct request *req, struct response *res)
{
	form_show(req, res, orientation_page);
}

/* The person of a posted form, or NULL when the answer is given already:
 * 404, or "Actualiser les listes" (the page again, nothing written). */
static json_t *posted_person(struct request *req, struct response *res, form_page *page)
{
	json_t *p = orientation_person(req, res, req_param(req, "id"));

	if (p && req_form(req, "refresh") && !req->wants_json) {
		page(req, res, p, NULL);
		json_decref(p);
		return NULL;
	}
	return p;
}

/* What was written, how to say it went wrong, where to go after it. */
struct write_outcome {
	enum orienting_result result;
	struct problems *pb;
	const struct type_def *type; /* of the record written */
	const char *id;
	const char *done;            /* a browser's next page */
	const char *conflict;        /* the 409's message */
};

/* 201 with the record (JSON) or 303 to `done`; the form again with the
 * typed values on 422 (the reasons next to the fields) and 409 (the form
 * then carries what is current now, so that the next send is made
 * against it). */
static void write_answer(struct request *req, struct response *res, json_t *person,
			 form_page *page, const struct write_outcome *w)
{
	json_t *fields;
	const char *cur;

	if (w->result == ORIENTING_OK) {
		json_decref(res->data);
		res->data = json_pack("{s:s, s:o}", "id", w->id, w->type->name,
				      record_load(req->db, w->type, w->id, NULL));
		res->status = 201;
		if (!req->wants_json)
			res_redirect(res, w->done);
		return;
	}
	if (w->result == ORIENTING_FAILED) {
		res_error(res, 500, "rien n'a pu être enregistré");
		return;
	}
	fields = problems_fields(w->pb);
	page(req, res, person, fields);
	if (w->result == ORIENTING_INVALID) {
		res_invalid(res, fields);
		return;
	}
	json_decref(fields);
	cur = json_string_value(json_object_get(json_object_get(res->data, "current"), "id"));
	res->status = 409;
	json_object_set_new(res->data, "error", json_string(w->conflict));
	json_object_set_new(res->data, "expected", json_string(cur ? cur : ""));
}

void page_orientation_new_post(struct request *req, struct response *res)
{
	const char *id = req_param(req, "id");
	json_t *p = posted_person(req, res, orientation_page);
	struct problems pb;
	char oid[65], done[160];

	if (!p)
		return;
	{
		const struct orienting_actor who = { req->user.id, req->address };
		const struct orienting_orientation o = {
			id, orientation_form(req, "itinerary"), orientation_form(req, "organisation"),
			orientation_form(req, "referent"), orientation_form(req, "decided_on"),
			orientation_form(req, "start"), orientation_form(req, "origin"),
			orientation_form(req, "case_review"), req_form(req, "current"),
		};
		struct write_outcome w = { 0, &pb, &type_orientation, oid, done,
			"la situation de cette personne a changé depuis l'ouverture du formulaire : "
			"vérifiez l'orientation en cours ci-dessus, puis enregistrez à nouveau" };
		problems_init(&pb);
		w.result = orienting_orient(req->db, &who, &o, &pb, oid);
		snprintf(done, sizeof done, "/orientation?oriented=%s", id);
		write_answer(req, res, p, orientation_page, &w);
	}
	problems_release(&pb);
	json_decref(p);
}

/* ---- the référent ---- */

static json_t *assignments(struct db *db, const char *person)
{
	json_t *rows = json_array();
	struct db_stmt *st;

	if (db_prepare(db, &st, "SELECT r.start_date, r.end_date, a.first_name || ' ' || a.last_name, "
				"o.name FROM referent_assignment r LEFT JOIN account a ON a.id = r.referent "
				"LEFT JOIN organisation o ON o.id = r.organisation WHERE r.person = ? "
				"ORDER BY r.start_date DESC, r.id"))
		return rows;
	db_bind_text(st, 1, person);
	while (db_step(st) == DB_ROW)
		json_array_append_new(rows, json_pack("{s:s, s:s?, s:s?, s:s?}", "start",
				db_col_text(st, 0), "end", db_col_text(st, 1), "referent_name",
				db_col_text(st, 2), "organisation_name", db_col_text(st, 3)));
	db_finalize(st);
	return rows;
}

/* The organisations that have référents, by name. */
static json_t *referent_organisations(struct db *db, const char *selected)
{
	json_t *o = json_array();
	struct db_stmt *st;

	if (db_prepare(db, &st, "SELECT o.id, o.name FROM organisation o WHERE EXISTS (SELECT 1 "
				"FROM account a WHERE a.organisation = o.id AND a.roles LIKE "
				"'%\"referent\"%') ORDER BY o.name, o.id"))
		return o;
	while (db_step(st) == DB_ROW)
		json_array_append_new(o, option(db_col_text(st, 0), db_col_text(st, 1), selected));
	db_finalize(st);
	return o;
}

static void referent_page(struct request *req, struct response *res, json_t *person,
			  json_t *errors)
{
	const char *id = json_string_value(json_object_get(person, "id"));
	json_t *cur = current_json(req->db, 1, id), *orient = current_json(req->db, 0, id);
	json_t *form = json_array();
	char today[11], action[120], orient_org[65] = "";
	const char *organisation, *cur_id = json_string_value(json_object_get(cur, "id"));
	struct db_stmt *st;

	/* The organisation whose référents are listed: the one chosen, else the
	 * current orientation's, else the user's own. */
	if (json_is_object(orient) &&
	    db_prepare(req->db, &st, "SELECT organisation FROM orientation WHERE id = ?") == 0) {
		db_bind_text(st, 1, json_string_value(json_object_get(orient, "id")));
		if (db_step(st) == DB_ROW)
			snprintf(orient_org, sizeof orient_org, "%s", db_col_text(st, 0));
		db_finalize(st);
	}
	organisation = typed(req, "organisation", orient_org[0] ? orient_org
					     : req->user.organisation);
	date_format(date_today(), today);
	snprintf(action, sizeof action, "/people/%s/referent", id);
	json_array_append_new(form, orientation_select("organisation", "Structure", 1,
			referent_organisations(req->db, organisation), errors));
	json_array_append_new(form, orientation_select("referent", "Référent", 1,
			referent_options(req->db, organisation, typed(req, "referent", NULL)),
			errors));
	json_array_append_new(form, orientation_date("start", "À partir du", 1,
			typed(req, "start", today), errors));
	json_array_append_new(form, orientation_date("end", "Jusqu'au (facultatif : remplacement "
			"temporaire)", 0, typed(req, "end", NULL), errors));
	res->template = "orientation_referent";
	res->title = "Désigner le référent";
	page_data(res);
	json_object_set_new(res->data, "submit_label", json_string("Désigner ce référent"));
	json_object_set(res->data, "person", person);
	json_object_set_new(res->data, "current", cur);
	json_object_set_new(res->data, "orientation", orient);
	json_object_set_new(res->data, "history", assignments(req->db, id));
	json_object_set_new(res->data, "expected",
			    json_string(req_form(req, "current") ? req_form(req, "current")
								 : cur_id ? cur_id : ""));
	json_object_set_new(res->data, "form", form);
	json_object_set_new(res->data, "action", json_string(action));
}

void page_orientation_referent(struct request *req, struct response *res)
{
	form_show(req, res, referent_page);
}

void page_orientation_referent_post(struct request *req, struct response *res)
{
	const char *id = req_param(req, "id");
	json_t *p = posted_person(req, res, referent_page);
	struct problems pb;
	char rid[65], done[120];

	if (!p)
		return;
	{
		const struct orienting_actor who = { req->user.id, req->address };
		const struct orienting_designation d = {
			id, orientation_form(req, "referent"), orientation_form(req, "start"),
			orientation_form(req, "end"), req_form(req, "current"),
		};
		struct write_outcome w = { 0, &pb, &type_referent_assignment, rid, done,
			"le référent de cette personne a changé depuis l'ouverture du formulaire : "
			"vérifiez la désignation en cours, puis enregistrez à nouveau" };
		problems_init(&pb);
		w.result = orienting_designate(req->db, &who, &d, &pb, rid);
		snprintf(done, sizeof done, "/people/%s", id);
		write_answer(req, res, p, referent_page, &w);
	}
	problems_release(&pb);
	json_decref(p);
}
