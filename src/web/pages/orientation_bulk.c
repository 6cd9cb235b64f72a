/*
 * orientation_bulk.c — orienting a cohort from the queue (one itinerary and
 * organisation for the people ticked, a confirmation page listing them,
 * then one transaction per person and a page of what was done and refused,
 * with the reason), and the orientation letters as PDF, one or a cohort.
 */
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "db/db.h"
#include "model/audit.h"
#include "model/orienting.h"
#include "model/problems.h"
#include "model/record.h"
#include "model/schema.h"
#include "print/letters.h"
#include "web/access.h"
#include "web/http.h"
#include "web/pages/orientation.h"
#include "web/pages/pages.h"
#include "web/session.h"

/* A cohort is made from one page of the queue (50 rows); a crafted
 * request is held to this. */
#define BULK_MAX 200

/* The ids sent as `person` (one value or several), without repeats. */
static json_t *bulk_ids(const struct request *req)
{
	json_t *sent = json_object_get(req->form, "person"), *ids = json_array(), *v;
	size_t i;

	if (json_is_string(sent))
		json_array_append(ids, sent);
	json_array_foreach(sent, i, v) {
		int seen = 0;
		size_t j;
		json_t *w;
		if (!json_is_string(v) || !*json_string_value(v))
			continue;
		json_array_foreach(ids, j, w) seen |= json_equal(v, w);
		if (!seen)
			json_array_append(ids, v);
	}
	return ids;
}

/* [{id, first_name, last_name}] of the visible people among ids; the
 * others go to `unknown` (a person one may not see does not exist). */
static json_t *bulk_people(struct request *req, json_t *ids, json_t *unknown)
{
	json_t *people = json_array(), *v;
	size_t i;

	json_array_foreach(ids, i, v) {
		const char *id = json_string_value(v);
		json_t *p = access_person_visible(req->db, &req->user, id)
				    ? record_load(req->db, &type_person, id, NULL) : NULL;
		if (!p) {
			audit_append(req->db, req->user.id, req->address, "person.denied", "person",
				     id, NULL);
			json_array_append_new(unknown, json_pack("{s:s, s:s}", "id", id, "reason",
				"cette personne n'existe pas ou ne vous est pas accessible"));
			continue;
		}
		json_array_append_new(people, json_pack("{s:s, s:O, s:O}", "id", id, "first_name",
				json_object_get(p, "first_name"), "last_name",
				json_object_get(p, "last_name")));
		json_decref(p);
	}
	return people;
}

/* The choices common to the cohort, checked before anything is written:
 * the pair itinerary/organisation, the dates. */
static json_t *bulk_problems(struct request *req, size_t n)
{
	json_t *e = json_object();
	const char *it = orientation_form(req, "itinerary");
	const char *org = orientation_form(req, "organisation");
	const char *kinds_sql = "SELECT kind FROM organisation WHERE id = ?";
	struct db_stmt *st;
	long d;
	int fits = 0;

	if (org && db_prepare(req->db, &st, kinds_sql) == 0) {
		db_bind_text(st, 1, org);
		fits = db_step(st) == DB_ROW && orienting_kind_fits(it, db_col_text(st, 0));
		db_finalize(st);
	}
	if (!it || !orienting_kinds(it))
		json_object_set_new(e, "itinerary", json_string("choisissez un itinéraire"));
	if (!org)
		json_object_set_new(e, "organisation", json_string("choisissez une structure"));
	else if (!fits && orienting_kinds(it))
		json_object_set_new(e, "organisation",
				    json_pack("s++", "cette structure ne porte pas l'itinéraire ",
					      orienting_itinerary_label(it),
					      " : choisissez-en une dans la liste"));
	for (const char *const *f = (const char *const[]){ "decided_on", "start", NULL }; *f; f++)
		if (!orientation_form(req, *f) || date_parse(orientation_form(req, *f), &d))
			json_object_set_new(e, *f, json_string("date attendue au format jj/mm/aaaa"));
	if (n == 0)
		json_object_set_new(e, "person", json_string("cochez au moins une personne dans la "
							     "file d'orientation"));
	else if (n > BULK_MAX)
		json_object_set_new(e, "person", json_string("une orientation groupée compte "
							     "200 personnes au plus"));
	return e;
}

/* The confirmation page (also the page of a refused choice). */
static void bulk_confirm_page(struct request *req, struct response *res, json_t *people,
			      json_t *unknown, json_t *errors)
{
	const char *it = orientation_form(req, "itinerary");
	json_t *form = json_array();
	char today[11], submit[80];

	date_format(date_today(), today);
	snprintf(submit, sizeof submit, "Orienter ces %zu personne(s)", json_array_size(people));
	json_array_append_new(form, orientation_select("itinerary", "Itinéraire", 1,
			orientation_itinerary_options(it), errors));
	json_array_append_new(form, orientation_select("organisation",
			"Structure d'accompagnement", 1,
			orientation_organisation_options(req->db, it,
							 orientation_form(req, "organisation")),
			errors));
	json_array_append_new(form, orientation_date("decided_on", "Décision prise le", 1,
			orientation_form(req, "decided_on") ? orientation_form(req, "decided_on")
							    : today, errors));
	json_array_append_new(form, orientation_date("start", "Début de l'orientation", 1,
			orientation_form(req, "start") ? orientation_form(req, "start") : today,
			errors));
	res->template = "orientation_bulk";
	res->title = "Orientation groupée : confirmation";
	json_decref(res->data);
	res->data = json_pack("{s:o, s:o, s:o, s:I, s:s}", "people", people, "unknown", unknown,
			      "form", form, "count", (json_int_t)json_array_size(people),
			      "submit_label", submit);
	if (json_object_size(errors)) {
		res_invalid(res, json_incref(errors));
		if (json_object_get(errors, "person"))
			json_object_set(res->data, "person_error", json_object_get(errors, "person"));
	}
}

/* The reasons of a refusal, joined. */
static char *reasons(struct problems *pb)
{
	json_t *fields = problems_fields(pb), *v;
	const char *k;
	struct buf b;

	buf_init(&b, 4096);
	json_object_foreach(fields, k, v) buf_addf(&b, "%s%s", buf_str(&b)[0] ? " ; " : "",
						    json_string_value(v));
	json_decref(fields);
	return buf_detach(&b, NULL);
}

/* One transaction per person: one refusal does not stop the others. */
static void bulk_run(struct request *req, struct response *res, json_t *people, json_t *refused)
{
	json_t *oriented = json_array(), *p, *ids = json_array();
	const struct orienting_actor who = { req->user.id, req->address };
	size_t i;

	json_array_foreach(people, i, p) {
		const struct orienting_orientation o = {
			json_string_value(json_object_get(p, "id")), orientation_form(req, "itinerary"),
			orientation_form(req, "organisation"), NULL,
			orientation_form(req, "decided_on"), orientation_form(req, "start"),
			"initial", NULL, NULL,
		};
		struct problems pb;
		char oid[65];
		problems_init(&pb);
		if (orienting_orient(req->db, &who, &o, &pb, oid) == ORIENTING_OK) {
			json_t *done = json_deep_copy(p);
			json_object_set_new(done, "orientation", json_string(oid));
			json_array_append_new(oriented, done);
			json_array_append(ids, json_object_get(p, "id"));
		} else {
			char *why = reasons(&pb);
			json_t *no = json_deep_copy(p);
			json_object_set_new(no, "reason", json_string(why && *why ? why
				: "l'orientation n'a pas pu être enregistrée"));
			json_array_append_new(refused, no);
			free(why);
		}
		problems_release(&pb);
	}
	res->template = "orientation_bulk_done";
	res->title = "Orientation groupée : résultat";
	json_decref(res->data);
	res->data = json_pack("{s:I, s:I, s:o, s:o}", "oriented_count",
			      (json_int_t)json_array_size(oriented), "refused_count",
			      (json_int_t)json_array_size(refused), "oriented", oriented, "refused",
			      refused);
	json_object_set_new(res->data, "any_refused", json_boolean(json_array_size(refused)));
	if (json_array_size(ids)) {
		struct buf b;
		json_t *v;
		buf_init(&b, 65536);
		buf_addstr(&b, "/orientation/letters.pdf?people=");
		json_array_foreach(ids, i, v) buf_addf(&b, "%s%s", i ? "," : "", json_string_value(v));
		json_object_set_new(res->data, "letters_href", json_string(buf_str(&b)));
		buf_release(&b);
	}
	json_decref(ids);
}

void page_orientation_bulk(struct request *req, struct response *res)
{
	json_t *ids = bulk_ids(req), *unknown = json_array();
	json_t *people = bulk_people(req, ids, unknown);
	json_t *errors = bulk_problems(req, json_array_size(ids));
	const char *confirm = req_form(req, "confirm");

	if (json_object_size(errors) || !confirm || strcmp(confirm, "1") != 0 ||
	    json_array_size(people) == 0) {
		/* A first visit from the queue has no dates yet (this page
		 * fills them in) and may leave the choices to this page. */
		if (!confirm) {
			json_object_del(errors, "decided_on");
			json_object_del(errors, "start");
			if (!orientation_form(req, "itinerary"))
				json_object_del(errors, "itinerary");
			if (!orientation_form(req, "organisation"))
				json_object_del(errors, "organisation");
		}
		bulk_confirm_page(req, res, people, unknown, errors);
	} else {
		bulk_run(req, res, people, unknown);
	}
	json_decref(errors);
	json_decref(ids);
}

/* GET /orientation/bulk: where signing in again leads after the session
 * expired on a cohort's form (?resume=…). What was typed comes back on the
 * confirmation page, to be confirmed again: never run from here. Without a
 * kept form (reloaded, bookmarked), the queue. */
void page_orientation_bulk_resume(struct request *req, struct response *res)
{
	if (!pending_form_restore(req)) {
		res_redirect(res, "/orientation");
		return;
	}
	json_object_del(req->form, "confirm");
	page_orientation_bulk(req, res);
	/* A page shown again with what was typed answers 200, its problems
	 * on it, as the record forms do: nothing was sent this time. */
	if (res->status == 422)
		res->status = 200;
	json_object_set_new(res->data, "restored", json_true());
}

/* ---- letters ---- */

/* Who writes: the user's organisation and the user. */
static void letter_from(const struct request *req, struct letter_sender *from, char *who,
			size_t size)
{
	snprintf(who, size, "%s %s", req->user.first_name, req->user.last_name);
	memset(from, 0, sizeof *from);
	from->name = req->user.organisation_name[0] ? req->user.organisation_name : "Parcours";
	from->service = "Orientation des bénéficiaires du RSA";
	from->signatory_role = "Le chargé d'orientation, par délégation";
	from->signatory_name = who;
	from->db = req->db; /* the letterhead gets the organisation's address */
	from->organisation = req->user.organisation;
}

/* The person's latest orientation, with names, as JSON strings kept alive
 * in `keep` while the letter is printed. 0, or -1 when there is none. */
static int letter_load(struct db *db, const char *person, json_t *keep,
		       struct letter_orientation *o)
{
	struct db_stmt *st;
	json_t *row = NULL;
	long day;

	if (db_prepare(db, &st, "SELECT p.title, p.first_name, p.last_name, p.address, o.start_date, "
				"o.itinerary, g.name, a.first_name || ' ' || a.last_name, g.id "
				"FROM orientation o JOIN person p ON p.id = o.person "
				"JOIN organisation g ON g.id = o.organisation "
				"LEFT JOIN account a ON a.id = o.referent WHERE o.person = ? "
				"ORDER BY o.start_date DESC, o.id"))
		return -1;
	db_bind_text(st, 1, person);
	if (db_step(st) == DB_ROW) {
		row = json_array();
		for (int c = 0; c < 9; c++)
			json_array_append_new(row, db_col_text(st, c) ? json_string(db_col_text(st, c))
								      : json_null());
	}
	db_finalize(st);
	if (!row)
		return -1;
	json_array_append_new(keep, row);
#define COL(c) json_string_value(json_array_get(row, c))
	memset(o, 0, sizeof *o);
	o->person = (struct letter_person){ letter_title(COL(0)), COL(1), COL(2), COL(3) };
	o->date = date_parse(COL(4), &day) == 0 ? day : date_today();
	o->itinerary = COL(5);
	o->organisation = (struct letter_org){ .name = COL(6), .organisation = COL(8) };
	o->referent = COL(7);
#undef COL
	return 0;
}

void orientation_letters(struct request *req, struct response *res, const char *const *ids,
			 size_t n, const char *filename)
{
	struct letter_orientation *items = calloc(n ? n : 1, sizeof *items);
	json_t *keep = json_array();
	struct letter_sender from;
	char who[210];
	struct buf out;

	letter_from(req, &from, who, sizeof who);
	buf_init(&out, 64u << 20);
	for (size_t i = 0; items && i < n; i++) {
		json_t *p = orientation_person(req, res, ids[i]);
		if (!p)
			goto out;
		json_decref(p);
		if (letter_load(req->db, ids[i], keep, &items[i])) {
			res_error(res, 404, "cette personne n'a pas d'orientation à notifier");
			goto out;
		}
		/* Data that would print an undeliverable letter (an address too
		 * long for the envelope window): say which person and why. */
		const char *why = letter_orientation_problem(&items[i]);
		if (why) {
			char message[600];
			snprintf(message, sizeof message, "courrier de %s : %s", ids[i], why);
			res_error(res, 422, message);
			goto out;
		}
		audit_append(req->db, req->user.id, req->address, "orientation.letter", "person",
			     ids[i], NULL);
	}
	if (!items || letters_orientation_pdf(&out, &from, date_today(), items, n)) {
		res_error(res, 500, "le courrier n'a pas pu être produit");
		goto out;
	}
	res->content_type = "application/pdf";
	res->raw = buf_detach(&out, &res->raw_len);
	res->filename = strdup(filename);
out:
	buf_release(&out);
	json_decref(keep);
	free(items);
}

void page_orientation_letter(struct request *req, struct response *res)
{
	const char *id = req_param(req, "id");
	char name[120];

	snprintf(name, sizeof name, "orientation-%s.pdf", id);
	orientation_letters(req, res, &id, 1, name);
}

/* ?people=ID,ID,… (the result page of a cohort links here). */
void page_orientation_letters(struct request *req, struct response *res)
{
	const char *list = req_query(req, "people");
	char *copy = strdup(list ? list : ""), *s = copy;
	const char **ids = calloc(BULK_MAX, sizeof *ids);
	size_t n = 0;
	char name[40], today[11];

	while (ids && s && *s && n < BULK_MAX) {
		char *comma = strchr(s, ',');
		if (comma)
			*comma = '\0';
		if (*s)
			ids[n++] = s;
		s = comma ? comma + 1 : NULL;
	}
	date_format(date_today(), today);
	snprintf(name, sizeof name, "orientations-%s.pdf", today);
	if (!ids || n == 0)
		res_error(res, 404, "aucune personne à qui écrire");
	else
		orientation_letters(req, res, ids, n, name);
	free(ids);
	free(copy);
}
