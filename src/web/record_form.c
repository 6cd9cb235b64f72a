/* record_form.c — see record_form.h. */
#include "web/record_form.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "model/audit.h"
#include "model/problems.h"
#include "model/record.h"
#include "web/http.h"
#include "web/labels.h"
#include "web/session.h"

static int listed(const char *const *only, const char *name)
{
	if (!only)
		return 1;
	for (; *only; only++)
		if (strcmp(*only, name) == 0)
			return 1;
	return 0;
}

static const char *input_type(enum field_kind k)
{
	switch (k) {
	case FK_DATE:
		return "date";
	case FK_BOOL:
		return "checkbox";
	case FK_ENUM:
		return "select";
	case FK_ENUM_LIST:
		return "checkboxes";
	case FK_INT:
	case FK_AMOUNT:
	case FK_DECIMAL:
	case FK_SHARE:
		return "number";
	default:
		return "text";
	}
}

/* The value shown in an input: strings as they are, numbers as text. */
static json_t *shown_value(json_t *v)
{
	char num[64];

	if (json_is_string(v))
		return json_incref(v);
	if (json_is_integer(v)) {
		snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
		return json_string(num);
	}
	if (json_is_real(v)) {
		snprintf(num, sizeof num, "%.2f", json_real_value(v));
		return json_string(num);
	}
	return json_string("");
}

static json_t *options(const struct type_def *t, const struct field_def *f, json_t *value)
{
	json_t *opts = json_array();

	for (const char *const *v = f->values; v && *v; v++) {
		int selected = 0;
		if (json_is_string(value))
			selected = strcmp(json_string_value(value), *v) == 0;
		else if (json_is_array(value)) {
			json_t *x;
			size_t i;
			json_array_foreach(value, i, x) selected |=
				json_is_string(x) && strcmp(json_string_value(x), *v) == 0;
		}
		const char *label = label_of(t->name, f->name, *v);
		json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", *v, "label",
						       label ? label : *v, "selected", selected));
	}
	return opts;
}

json_t *record_form_fields(const struct type_def *t, json_t *values, json_t *errors,
			   const char *const *only)
{
	json_t *fields = json_array();

	for (size_t i = 0; i < t->nfields; i++) {
		const struct field_def *f = &t->fields[i];
		json_t *v = json_object_get(values, f->name), *e = json_object_get(errors, f->name);
		json_t *field;
		const char *type = input_type(f->kind);

		if (!listed(only, f->name))
			continue;
		field = json_pack("{s:s, s:s, s:s, s:b, s:O?}", "name", f->name, "label", f->label,
				  "type", type, "required", (f->flags & F_REQUIRED) != 0, "error", e);
		json_object_set_new(field, "is_" "text", json_boolean(!strcmp(type, "text")));
		json_object_set_new(field, "is_date", json_boolean(!strcmp(type, "date")));
		json_object_set_new(field, "is_number", json_boolean(!strcmp(type, "number")));
		json_object_set_new(field, "is_select", json_boolean(!strcmp(type, "select")));
		json_object_set_new(field, "is_checkbox", json_boolean(!strcmp(type, "checkbox")));
		json_object_set_new(field, "is_checkboxes", json_boolean(!strcmp(type, "checkboxes")));
		if (f->kind == FK_ENUM || f->kind == FK_ENUM_LIST)
			json_object_set_new(field, "options", options(t, f, v));
		if (f->kind == FK_BOOL)
			json_object_set_new(field, "checked", json_boolean(json_is_true(v) ||
				(json_is_string(v) && strcmp(json_string_value(v), "on") == 0)));
		else if (f->kind == FK_STRING_LIST || f->kind == FK_REF_LIST) {
			char *s = json_is_array(v) ? json_dumps(v, JSON_COMPACT) : NULL;
			json_object_set_new(field, "value", json_string(s ? s : ""));
			free(s);
		} else if (f->kind != FK_ENUM_LIST)
			json_object_set_new(field, "value", shown_value(v));
		json_array_append_new(fields, field);
	}
	return fields;
}

static json_t *as_list(json_t *v)
{
	json_t *arr;

	if (json_is_array(v))
		return json_deep_copy(v);
	arr = json_array();
	if (json_is_string(v) && *json_string_value(v)) {
		/* A text list is typed as "a, b, c" or given as a JSON array. */
		json_t *parsed = json_loads(json_string_value(v), 0, NULL);
		if (json_is_array(parsed)) {
			json_decref(arr);
			return parsed;
		}
		json_decref(parsed);
		const char *s = json_string_value(v);
		while (*s) {
			size_t len = strcspn(s, ",");
			char item[256];
			size_t a = 0, b = len;
			while (a < b && s[a] == ' ')
				a++;
			while (b > a && s[b - 1] == ' ')
				b--;
			if (b > a && b - a < sizeof item) {
				memcpy(item, s + a, b - a);
				item[b - a] = '\0';
				json_array_append_new(arr, json_string(item));
			}
			s += len;
			if (*s == ',')
				s++;
		}
	}
	return arr;
}

/* A typed value, or the text as typed when it does not parse (so that the
 * validator names the problem and the form shows what was typed). */
static json_t *typed(const struct field_def *f, json_t *v)
{
	const char *s = json_string_value(v);
	char *end;

	switch (f->kind) {
	case FK_BOOL:
		return json_boolean(s && (!strcmp(s, "on") || !strcmp(s, "true") || !strcmp(s, "1")));
	case FK_ENUM_LIST:
	case FK_STRING_LIST:
	case FK_REF_LIST:
		return as_list(v);
	default:
		break;
	}
	if (!s || !*s)
		return NULL;
	if (f->kind == FK_INT) {
		long long n = strtoll(s, &end, 10);
		return *end ? json_string(s) : json_integer(n);
	}
	if (f->kind == FK_AMOUNT || f->kind == FK_DECIMAL || f->kind == FK_SHARE) {
		char copy[64];
		snprintf(copy, sizeof copy, "%s", s);
		for (char *p = copy; *p; p++)
			if (*p == ',')
				*p = '.'; /* French decimal comma */
		double x = strtod(copy, &end);
		return *end ? json_string(s) : json_real(x);
	}
	return json_string(s);
}

json_t *record_from_form(const struct type_def *t, json_t *form, const char *const *only,
			 json_t *base)
{
	json_t *rec = json_object();

	for (size_t i = 0; i < t->nfields; i++) {
		const struct field_def *f = &t->fields[i];
		json_t *v;
		if (!listed(only, f->name)) {
			v = json_object_get(base, f->name);
			if (v)
				json_object_set(rec, f->name, v);
			continue;
		}
		v = typed(f, json_object_get(form, f->name));
		if (v && !(json_is_array(v) && json_array_size(v) == 0 && !(f->flags & F_REQUIRED)))
			json_object_set_new(rec, f->name, v);
		else
			json_decref(v);
	}
	return rec;
}

static json_t *differences(const struct type_def *t, json_t *stored, json_t *sent)
{
	json_t *changes = json_array();

	for (size_t i = 0; i < t->nfields; i++) {
		const struct field_def *f = &t->fields[i];
		json_t *a = json_object_get(stored, f->name), *b = json_object_get(sent, f->name);
		char *sa, *sb;
		if ((!a && !b) || (a && b && json_equal(a, b)))
			continue;
		sa = a ? json_dumps(a, JSON_ENCODE_ANY) : NULL;
		sb = b ? json_dumps(b, JSON_ENCODE_ANY) : NULL;
		json_array_append_new(changes, json_pack("{s:s, s:s, s:s, s:s}", "field", f->name,
				"label", f->label, "stored", json_is_string(a) ? json_string_value(a)
				: sa ? sa : "—", "yours", json_is_string(b) ? json_string_value(b)
				: sb ? sb : "—"));
		free(sa);
		free(sb);
	}
	return changes;
}

static char *changed_fields(const struct type_def *t, json_t *before, json_t *after)
{
	json_t *d = differences(t, before, after), *c, *names = json_array();
	char *s;
	size_t i;

	json_array_foreach(d, i, c) json_array_append(names, json_object_get(c, "field"));
	s = json_dumps(names, JSON_COMPACT);
	json_decref(d);
	json_decref(names);
	return s;
}

enum save_result record_save(struct request *req, const struct type_def *t, const char *id,
			     json_t *rec, long expected_version, json_t **errors, json_t **changes)
{
	struct record_writer *w = NULL;
	struct problems pb;
	json_t *stored = NULL;
	enum save_result r = SAVE_FAILED;
	long version = 0;
	char *detail = NULL;

	*errors = *changes = NULL;
	problems_init(&pb);
	problems_at(&pb, 0, t->name, id);
	if (record_validate(t, rec, 0, &pb, NULL)) {
		r = SAVE_INVALID;
		goto out;
	}
	if (db_begin(req->db))
		goto out;
	stored = record_load(req->db, t, id, &version);
	if ((stored ? version : 0) != expected_version) {
		*changes = differences(t, stored, rec);
		r = SAVE_CONFLICT;
		goto rollback;
	}
	w = record_writer_new(req->db);
	if (record_write(w, t, id, rec) || record_check_one(req->db, t, id, &pb))
		goto rollback;
	if (problems_count(&pb)) {
		r = SAVE_INVALID;
		goto rollback;
	}
	detail = changed_fields(t, stored, rec);
	if (audit_append(req->db, req->user.id, req->address, stored ? "update" : "create", t->name,
			 id, detail) || db_commit(req->db))
		goto rollback;
	r = SAVE_OK;
	goto out;
rollback:
	db_rollback(req->db);
out:
	if (r == SAVE_INVALID)
		*errors = problems_fields(&pb);
	free(detail);
	record_writer_free(w);
	json_decref(stored);
	problems_release(&pb);
	return r;
}

void record_form_show(struct request *req, struct response *res, const struct type_def *t,
		      json_t *values, const char *const *only)
{
	json_t *pending = pending_form_take(req), *typed_rec;
	const char *version;

	if (!pending) {
		json_object_set_new(res->data, "form", record_form_fields(t, values, NULL, only));
		return;
	}
	/* Typed before the session expired: shown again, to check and send,
	 * with the version it was read at (a save over a newer one is a 409). */
	typed_rec = record_from_form(t, pending, only, values);
	json_object_set_new(res->data, "form", record_form_fields(t, typed_rec, NULL, only));
	json_object_set_new(res->data, "restored", json_true());
	version = json_string_value(json_object_get(pending, "version"));
	if (version)
		json_object_set_new(res->data, "version", json_integer(strtol(version, NULL, 10)));
	json_decref(typed_rec);
	json_decref(pending);
}

/* A JSON client gets the record as saved: 201 when it was created, 200
 * when it was replaced (interfaces.md); a browser goes on to its page. */
static void saved(struct request *req, struct response *res, const struct type_def *t,
		  const char *id, long expected, const char *done)
{
	long version = 0;
	json_t *rec;

	if (!req->wants_json) {
		res_redirect(res, done);
		return;
	}
	rec = record_load(req->db, t, id, &version);
	json_decref(res->data);
	res->data = json_pack("{s:s, s:o*, s:I}", "id", id, t->name, rec, "version",
			      (json_int_t)version);
	res->status = expected == 0 ? 201 : 200;
}

void record_form_answer(struct request *req, struct response *res, enum save_result r,
			const struct record_answer *a, json_t *rec, json_t *errors, json_t *changes)
{
	const struct type_def *t = a->type;

	if (r == SAVE_OK) {
		saved(req, res, t, a->id, a->expected, a->done);
		return;
	}
	if (!json_is_object(res->data)) {
		json_decref(res->data);
		res->data = json_object();
	}
	json_object_set_new(res->data, "form", record_form_fields(t, rec, errors, a->only));
	if (r == SAVE_INVALID) {
		res_invalid(res, errors ? json_incref(errors) : json_object());
	} else if (r == SAVE_CONFLICT) {
		res->status = 409;
		json_object_set_new(res->data, "error",
				    json_string("cette fiche a été modifiée par quelqu'un d'autre "
						"depuis que vous l'avez ouverte"));
		json_object_set(res->data, "changes", changes);
	} else {
		res_error(res, 500, "l'enregistrement a échoué");
	}
}
