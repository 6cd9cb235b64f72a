/*
 * path_forms.c — the référent's forms on a person's path: diagnostic,
 * contract (with renewal and termination), appointment, step; and the
 * convocation letter of an appointment as PDF.
 *
 * Every form goes through record_form.c: the type's own rules and its
 * rules across records (record_check_one) in the saving transaction, the
 * version read (409 when someone saved meanwhile), the audit entry, 422
 * with the message next to the field. What the records alone cannot show
 * is checked here first: the timing of an appointment's status
 * (appointment_status_problem), health step categories offered only to
 * accredited users. The person comes from the URL or the stored record,
 * never from the form, and a person the user may not open answers 404.
 */
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/text.h"
#include "db/db.h"
#include "model/audit.h"
#include "model/caseload.h"
#include "model/path.h"
#include "model/record.h"
#include "model/schema.h"
#include "print/letters.h"
#include "web/access.h"
#include "web/http.h"
#include "web/pages/pages.h"
#include "web/labels.h"
#include "web/record_form.h"

struct path_kind {
	const struct type_def *type;
	const char *segment;   /* "contracts": /people/{id}/contracts/new, /contracts/{id}/edit */
	const char *prefix;    /* of new ids */
	const char *const *only;
	const char *title_new, *title_edit;
};

static const char *const diagnostic_only[] = { "date", "autonomy", "barriers", NULL };
static const char *const contract_only[] = { "kind", "organisation", "referent", "signed_on",
	"start", "end", "actions", "status", "terminated_on", NULL };
static const char *const appointment_only[] = { "kind", "organisation", "referent", "at",
	"status", NULL };
static const char *const step_only[] = { "date", "category", "contract_type", NULL };

static const struct path_kind kinds[] = {
	{ &type_diagnostic, "diagnostics", "dg-", diagnostic_only, "Nouveau diagnostic",
	  "Modifier le diagnostic" },
	{ &type_contract, "contracts", "ct-", contract_only, "Nouveau contrat",
	  "Modifier le contrat" },
	{ &type_appointment, "appointments", "ap-", appointment_only, "Nouveau rendez-vous",
	  "Modifier le rendez-vous" },
	{ &type_step, "steps", "st-", step_only, "Nouvelle étape", "Modifier l'étape" },
};
enum { KIND_DIAGNOSTIC, KIND_CONTRACT, KIND_APPOINTMENT, KIND_STEP };

/* ---- small helpers --------------------------------------------------------- */

/* 404 (audited) unless the user may open the person. */
static int person_open(struct request *req, struct response *res, const char *person)
{
	if (person && access_person_visible(req->db, &req->user, person))
		return 1;
	audit_append(req->db, req->user.id, req->address, "person.denied", "person", person, NULL);
	res_error(res, 404, "cette personne n'existe pas ou ne vous est pas accessible");
	return 0;
}

/* The stored record of the route's {id}, when its person is visible (and
 * a step's category too): else 404. */
static json_t *visible_record(struct request *req, struct response *res,
			      const struct path_kind *k, long *version)
{
	json_t *rec = record_load(req->db, k->type, req_param(req, "id"), version);
	const char *person = json_string_value(json_object_get(rec, "person"));

	if (rec && k->type == &type_step &&
	    !access_step_visible(&req->user,
				 json_string_value(json_object_get(rec, "category")))) {
		json_decref(rec);
		rec = NULL;
	}
	if (!rec) {
		res_error(res, 404, "cette fiche n'existe pas ou ne vous est pas accessible");
		return NULL;
	}
	if (!person_open(req, res, person)) {
		json_decref(rec);
		return NULL;
	}
	return rec;
}

static void person_head(struct request *req, const char *person, json_t *data)
{
	struct db_stmt *st;

	if (db_prepare(req->db, &st, "SELECT first_name, last_name FROM person WHERE id = ?"))
		return;
	db_bind_text(st, 1, person);
	if (db_step(st) == DB_ROW)
		json_object_set_new(data, "person", json_pack("{s:s, s:s, s:s}", "id", person,
				"first_name", db_col_text(st, 0), "last_name", db_col_text(st, 1)));
	db_finalize(st);
}

/* Options of a reference field: (id, label) rows of a query with one
 * optional text parameter. */
static json_t *ref_options(struct request *req, const char *sql, const char *param,
			   const char *current)
{
	struct db_stmt *st;
	json_t *opts = json_array();

	if (db_prepare(req->db, &st, sql))
		return opts;
	if (param)
		db_bind_text(st, 1, param);
	while (db_step(st) == DB_ROW)
		json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", db_col_text(st, 0),
				"label", db_col_text(st, 1), "selected",
				current && !strcmp(current, db_col_text(st, 0))));
	db_finalize(st);
	return opts;
}

/* Turns a text field (a reference) into a list to choose from. */
static void as_select(json_t *field, json_t *options)
{
	json_object_set_new(field, "is_text", json_false());
	json_object_set_new(field, "is_select", json_true());
	json_object_set_new(field, "type", json_string("select"));
	json_object_set_new(field, "options", options);
}

static json_t *field_named(json_t *fields, const char *name)
{
	json_t *f;
	size_t i;

	json_array_foreach(fields, i, f) if (!strcmp(json_string_value(json_object_get(f, "name")),
						    name)) return f;
	return NULL;
}

/* ---- the fields as the template shows them -------------------------------- */

/* Organisation and référent as lists: the organisations, and the
 * référents of the record's organisation (the rule of path.c). */
static void reference_lists(struct request *req, json_t *fields, json_t *values)
{
	const char *org = json_string_value(json_object_get(values, "organisation"));
	json_t *f;

	if ((f = field_named(fields, "organisation")))
		as_select(f, ref_options(req, "SELECT id, name FROM organisation ORDER BY name, id",
					 NULL, org));
	if ((f = field_named(fields, "referent")))
		as_select(f, ref_options(req, "SELECT id, first_name || ' ' || last_name FROM "
					      "account WHERE organisation = ? AND roles LIKE "
					      "'%\"referent\"%' ORDER BY last_name, first_name, id",
					 org ? org : req->user.organisation,
					 json_string_value(json_object_get(values, "referent"))));
}

/* The autonomy level as radio buttons (three exclusive answers). */
static void autonomy_radio(json_t *fields)
{
	json_t *f = field_named(fields, "autonomy");

	if (f) {
		json_object_set_new(f, "is_select", json_false());
		json_object_set_new(f, "is_radio", json_true());
	}
}

/* Health categories exist only for accredited users. */
static void step_categories(struct request *req, json_t *fields)
{
	json_t *f = field_named(fields, "category"), *opts = json_object_get(f, "options"), *o;
	size_t i;

	if (!opts || req->user.health_accredited)
		return;
	for (i = json_array_size(opts); i-- > 0;) {
		o = json_array_get(opts, i);
		if (step_is_health(json_string_value(json_object_get(o, "value"))))
			json_array_remove(opts, i);
	}
}

/* The appointment's datetime as two fields: the day and the time. */
static void at_fields(json_t *fields, json_t *values, json_t *errors)
{
	json_t *f = field_named(fields, "at");
	const char *at = json_string_value(json_object_get(values, "at"));
	const char *day = json_string_value(json_object_get(values, "day"));
	const char *tm = json_string_value(json_object_get(values, "time"));
	char d[11] = "", t[6] = "";

	if (!f)
		return;
	if (at && strlen(at) >= 16) {
		snprintf(d, sizeof d, "%.10s", at);
		snprintf(t, sizeof t, "%.5s", at + 11);
	}
	json_object_set_new(f, "is_text", json_false());
	json_object_set_new(f, "is_datetime", json_true());
	json_object_set_new(f, "day", json_string(day ? day : d));
	json_object_set_new(f, "time", json_string(tm ? tm : t));
	json_object_set(f, "day_error", json_object_get(errors, "day") ? json_object_get(errors, "day")
								   : json_object_get(f, "error"));
	json_object_set(f, "time_error", json_object_get(errors, "time"));
}

/* record_form_fields() with the lists, labels and special inputs. */
static void show_fields(struct request *req, json_t *data,
			json_t *values, json_t *errors)
{
	json_t *fields = json_object_get(data, "form");

	reference_lists(req, fields, values);
	autonomy_radio(fields);
	step_categories(req, fields);
	at_fields(fields, values, errors);
}

/* ---- pages ----------------------------------------------------------------- */

static void form_page(struct request *req, struct response *res, const struct path_kind *k,
		      const char *person, const char *id, long version)
{
	char action[200];

	if (id)
		snprintf(action, sizeof action, "/%s/%s/edit", k->segment, id);
	else
		snprintf(action, sizeof action, "/people/%s/%s/new", person, k->segment);
	res->template = "path_form";
	res->title = id ? k->title_edit : k->title_new;
	if (!json_is_object(res->data)) {
		json_decref(res->data);
		res->data = json_object();
	}
	json_object_set_new(res->data, "action", json_string(action));
	json_object_set_new(res->data, "heading", json_string(res->title));
	json_object_set_new(res->data, "version", json_integer(version));
	json_object_set_new(res->data, "kind", json_string(k->type->name));
	json_object_set_new(res->data, "is_" "contract", json_boolean(k->type == &type_contract));
	if (id)
		json_object_set_new(res->data, "id", json_string(id));
	person_head(req, person, res->data);
}

/* What a new record of kind k starts with. */
static json_t *defaults(struct request *req, const struct path_kind *k, const char *person)
{
	char today[11];
	json_t *v = json_pack("{s:s}", "person", person);

	date_format(date_today(), today);
	if (k->type == &type_appointment || k->type == &type_contract) {
		json_object_set_new(v, "organisation", json_string(req->user.organisation));
		if (req->user.roles & ROLE_REFERENT)
			json_object_set_new(v, "referent", json_string(req->user.id));
	}
	if (k->type == &type_appointment)
		json_object_set_new(v, "status", json_string("planned"));
	else if (k->type == &type_contract) {
		json_object_set_new(v, "kind", json_string("cer"));
		json_object_set_new(v, "signed_on", json_string(today));
		json_object_set_new(v, "start", json_string(today));
	} else {
		json_object_set_new(v, "date", json_string(today));
	}
	return v;
}

static void show_new(struct request *req, struct response *res, const struct path_kind *k,
		     json_t *values)
{
	const char *person = req_param(req, "id");

	form_page(req, res, k, person, NULL, 0);
	record_form_show(req, res, k->type, values, k->only);
	show_fields(req, res->data, values, NULL);
}

static void path_new(struct request *req, struct response *res, const struct path_kind *k)
{
	const char *person = req_param(req, "id");
	json_t *values;

	if (!person_open(req, res, person))
		return;
	values = defaults(req, k, person);
	show_new(req, res, k, values);
	json_decref(values);
}

static void path_edit(struct request *req, struct response *res, const struct path_kind *k)
{
	long version = 0;
	json_t *rec = visible_record(req, res, k, &version);

	if (!rec)
		return;
	form_page(req, res, k, json_string_value(json_object_get(rec, "person")),
		  req_param(req, "id"), version);
	record_form_show(req, res, k->type, rec, k->only);
	show_fields(req, res->data, rec, NULL);
	json_decref(rec);
}

/* ---- saving ------------------------------------------------------------------ */

/* The Europe/Paris RFC 3339 datetime of a day and "HH:MM", or 0 when they
 * do not make one (problems go to errors). */
static int paris_datetime(const char *day, const char *hm, char out[32], json_t *errors)
{
	long d;

	if (!day || date_parse(day, &d))
		json_object_set_new(errors, "day", json_string("date attendue au format jj/mm/aaaa"));
	else if (datetime_local(day, hm, out))
		json_object_set_new(errors, "time", json_string("heure attendue au format hh:mm, "
								"de 00:00 à 23:59"));
	return json_object_size(errors) == 0;
}

/* The rules the records alone do not show, checked before saving: the
 * appointment's datetime from its two fields and its status' timing; a
 * health category for a user without the accreditation. */
static json_t *before_save(struct request *req, const struct path_kind *k, json_t *rec)
{
	json_t *errors = json_object();
	char at[32], now[32];

	if (k->type == &type_appointment) {
		if (paris_datetime(req_form(req, "day"), req_form(req, "time"), at, errors)) {
			const char *why;
			json_object_set_new(rec, "at", json_string(at));
			datetime_app_now(now);
			why = appointment_status_problem(at, json_string_value(json_object_get(
								 rec, "status")), now);
			if (why)
				json_object_set_new(errors, "status", json_string(why));
		}
	}
	if (k->type == &type_step &&
	    !access_step_visible(&req->user, json_string_value(json_object_get(rec, "category"))))
		json_object_set_new(errors, "category", json_string("choisissez une catégorie de "
								    "la liste"));
	return errors;
}

/* A refused CER overlap says which contract, with its dates. */
static void overlap_message(struct request *req, json_t *errors)
{
	const char *msg = json_string_value(json_object_get(errors, "start"));
	const char *other = msg ? strstr(msg, "le contrat ") : NULL;
	struct db_stmt *st;
	char id[65] = "", text[300];
	long a, b;

	if (!other || sscanf(other, "le contrat %64s", id) != 1 ||
	    db_prepare(req->db, &st, "SELECT start_date, COALESCE(terminated_on, end_date) "
				     "FROM contract WHERE id = ?"))
		return;
	db_bind_text(st, 1, id);
	if (db_step(st) == DB_ROW && !date_parse(db_col_text(st, 0), &a) &&
	    !date_parse(db_col_text(st, 1), &b)) {
		char from[40], to[40];
		date_format_fr(a, from, sizeof from);
		date_format_fr(b, to, sizeof to);
		snprintf(text, sizeof text, "ce contrat chevauche un autre contrat de la personne, "
			 "du %s au %s : un nouveau contrat commence au plus tôt le lendemain de la fin "
			 "du précédent", from, to);
		json_object_set_new(errors, "start", json_string(text));
	}
	db_finalize(st);
}

static void path_save(struct request *req, struct response *res, const struct path_kind *k,
		      const char *person, const char *id, json_t *stored, long version)
{
	const char *sent = req_form(req, "version");
	long expected = stored ? (sent ? strtol(sent, NULL, 10) : -1) : 0;
	json_t *rec = record_from_form(k->type, req->form, k->only, stored), *errors, *changes = NULL;
	enum save_result r;
	char done[200];

	json_object_set_new(rec, "person", json_string(person));
	if (k->type == &type_diagnostic && !json_object_get(rec, "author"))
		json_object_set_new(rec, "author", json_string(req->user.id));
	errors = before_save(req, k, rec);
	if (json_object_size(errors)) {
		r = SAVE_INVALID;
	} else {
		json_decref(errors);
		r = record_save(req, k->type, id, rec, expected, &errors, &changes);
	}
	if (r == SAVE_INVALID && json_object_get(errors, "at"))
		json_object_set(errors, "day", json_object_get(errors, "at"));
	if (r == SAVE_INVALID && k->type == &type_contract)
		overlap_message(req, errors);
	snprintf(done, sizeof done, "/people/%s/parcours", person);
	form_page(req, res, k, person, stored ? id : NULL, r == SAVE_CONFLICT ? version : expected);
	{
		const struct record_answer a = { k->type, id, expected, k->only, done };
		record_form_answer(req, res, r, &a, rec, errors, changes);
	}
	if (r != SAVE_OK && json_object_get(res->data, "form")) {
		json_t *typed = json_deep_copy(req->form);
		json_object_update(typed, rec);
		show_fields(req, res->data, typed, errors);
		json_decref(typed);
	}
	json_decref(errors);
	json_decref(changes);
	json_decref(rec);
}

static void path_new_post(struct request *req, struct response *res, const struct path_kind *k)
{
	const char *person = req_param(req, "id");
	char id[65];

	if (!person_open(req, res, person))
		return;
	exchange_id_new(k->prefix, id);
	path_save(req, res, k, person, id, NULL, 0);
}

static void path_edit_post(struct request *req, struct response *res, const struct path_kind *k)
{
	long version = 0;
	json_t *rec = visible_record(req, res, k, &version);

	if (!rec)
		return;
	path_save(req, res, k, json_string_value(json_object_get(rec, "person")),
		  req_param(req, "id"), rec, version);
	json_decref(rec);
}

#define PATH_HANDLERS(name, kind)                                                                 \
	void page_##name##_new(struct request *req, struct response *res)                        \
	{                                                                                         \
		path_new(req, res, &kinds[kind]);                                                 \
	}                                                                                         \
	void page_##name##_new_post(struct request *req, struct response *res)                   \
	{                                                                                         \
		path_new_post(req, res, &kinds[kind]);                                            \
	}                                                                                         \
	void page_##name##_edit(struct request *req, struct response *res)                       \
	{                                                                                         \
		path_edit(req, res, &kinds[kind]);                                                \
	}                                                                                         \
	void page_##name##_edit_post(struct request *req, struct response *res)                  \
	{                                                                                         \
		path_edit_post(req, res, &kinds[kind]);                                           \
	}

PATH_HANDLERS(diagnostic, KIND_DIAGNOSTIC)
PATH_HANDLERS(contract, KIND_CONTRACT)
PATH_HANDLERS(appointment, KIND_APPOINTMENT)
PATH_HANDLERS(step, KIND_STEP)

/* The end of a renewal starting on `next` for the length of [start, end]:
 * in whole months when the contract ran whole months (1 April–30
 * September → 1 October–31 March), else in days. */
static long renewal_end(long start, long end, long next)
{
	for (int k = 1; k <= 60; k++)
		if (date_add_months(start, k) == end + 1)
			return date_add_months(next, k) - 1;
	return next + (end - start);
}

/* Renewal: a new contract like this one, starting the day after it ends
 * (terminated: the day after its termination), for the same length. */
void page_contract_renew(struct request *req, struct response *res)
{
	long version = 0, start, end, next;
	json_t *rec = visible_record(req, res, &kinds[KIND_CONTRACT], &version), *v;
	const char *s, *e;
	char day[11];

	if (!rec)
		return;
	s = json_string_value(json_object_get(rec, "start"));
	e = json_string_value(json_object_get(rec, json_object_get(rec, "terminated_on")
						   ? "terminated_on" : "end"));
	v = json_pack("{s:s, s:O, s:O, s:O?, s:O}", "person", json_string_value(json_object_get(
			      rec, "person")), "kind", json_object_get(rec, "kind"), "organisation",
		      json_object_get(rec, "organisation"), "referent", json_object_get(rec, "referent"),
		      "actions", json_object_get(rec, "actions"));
	if (s && e && !date_parse(s, &start) && !date_parse(e, &end)) {
		next = end + 1;
		date_format(next, day);
		json_object_set_new(v, "start", json_string(day));
		json_object_set_new(v, "signed_on", json_string(day));
		date_format(renewal_end(start, end, next), day);
		json_object_set_new(v, "end", json_string(day));
	}
	json_object_set_new(req->params, "id", json_string(json_string_value(json_object_get(rec,
											  "person"))));
	show_new(req, res, &kinds[KIND_CONTRACT], v);
	json_object_set_new(res->data, "renewal", json_true());
	json_decref(v);
	json_decref(rec);
}

/* ---- convocation letter ------------------------------------------------------ */

/* One text of a one-row query with one parameter, malloc'd ("" if none). */
static char *one_text(struct request *req, const char *sql, const char *param)
{
	struct db_stmt *st;
	char *out = NULL;

	if (param && db_prepare(req->db, &st, sql) == 0) {
		db_bind_text(st, 1, param);
		if (db_step(st) == DB_ROW && db_col_text(st, 0))
			out = strdup(db_col_text(st, 0));
		db_finalize(st);
	}
	return out ? out : strdup("");
}

static void send_pdf(struct request *req, struct response *res, json_t *ap, json_t *person)
{
	const char *at = json_string_value(json_object_get(ap, "at"));
	char *org = one_text(req, "SELECT name FROM organisation WHERE id = ?",
			     json_string_value(json_object_get(ap, "organisation")));
	char *ref = one_text(req, "SELECT first_name || ' ' || last_name FROM account WHERE id = ?",
			     json_string_value(json_object_get(ap, "referent")));
	const struct letter_sender from = { .name = req->user.organisation_name,
		.signatory_name = ref[0] ? ref : NULL, .db = req->db,
		.organisation = req->user.organisation }; /* the letterhead gets its address */
	struct letter_convocation c = {
		.person = { letter_title(json_string_value(json_object_get(person, "title"))),
			    json_string_value(json_object_get(person, "first_name")),
			    json_string_value(json_object_get(person, "last_name")),
			    json_string_value(json_object_get(person, "address")) },
		.hour = -1, .referent = ref[0] ? ref : NULL,
		.place = { org, NULL, NULL, json_string_value(json_object_get(ap, "organisation")) },
		.purpose = label_or_code("appointment", "kind",
				      json_string_value(json_object_get(ap, "kind"))),
	};
	struct buf pdf;
	const char *why;
	char name[120];

	if (at && strlen(at) >= 16) {
		/* The time as written: the local time of the appointment. */
		char d[11];
		snprintf(d, sizeof d, "%.10s", at);
		if (date_parse(d, &c.day) == 0)
			sscanf(at + 11, "%2d:%2d", &c.hour, &c.minute);
	}
	why = letter_convocation_problem(&c);
	buf_init(&pdf, 8u << 20);
	if (why)
		res_error(res, 422, why);
	else if (letters_convocation_pdf(&pdf, &from, date_today(), &c, 1) < 0)
		res_error(res, 500, "le courrier n'a pas pu être produit");
	else {
		size_t len;
		res->raw = buf_detach(&pdf, &len);
		res->raw_len = len;
		res->content_type = "application/pdf";
		snprintf(name, sizeof name, "convocation-%s.pdf", req_param(req, "id"));
		res->filename = strdup(name);
	}
	buf_release(&pdf);
	free(org);
	free(ref);
}

void page_convocation_pdf(struct request *req, struct response *res)
{
	long version = 0;
	json_t *ap = visible_record(req, res, &kinds[KIND_APPOINTMENT], &version), *person;
	const char *pid;

	if (!ap)
		return;
	pid = json_string_value(json_object_get(ap, "person"));
	if (audit_append(req->db, req->user.id, req->address, "person.letter", "person", pid,
			 req_param(req, "id"))) {
		json_decref(ap);
		res_error(res, 500, "le téléchargement n'a pas pu être enregistré au journal");
		return;
	}
	person = record_load(req->db, &type_person, pid, NULL);
	send_pdf(req, res, ap, person);
	json_decref(person);
	json_decref(ap);
}
