/*
 * record_form.h — editing exchange records through web forms, with the
 * same rules as the import (schema.h descriptors, record_validate), the
 * typed values kept on error, and optimistic concurrency: each form carries
 * the version it was read at; saving over a newer version answers 409 and
 * shows what changed.
 */
#ifndef PARCOURS_RECORD_FORM_H
#define PARCOURS_RECORD_FORM_H
#include <jansson.h>

#include "model/schema.h"

struct request;
struct response;

/* The fields of a form for the template: [{name, label, value, error,
 * required, type: "text"|"date"|"select"|"checkbox"|"checkboxes"|"number",
 * options: [{value, label, selected}]}] for the listed fields (NULL: all).
 * values: the record (exchange shape) or the typed form; errors: field →
 * message (may be NULL). */
json_t *record_form_fields(const struct type_def *t, json_t *values, json_t *errors,
			   const char *const *only);
/* The record that a posted form describes: strings turned into the field's
 * kind ("" → absent, "on"/"true" → true, numbers parsed, lists from repeated
 * fields). Fields not listed in `only` are taken from base (may be NULL). */
json_t *record_from_form(const struct type_def *t, json_t *form, const char *const *only,
			 json_t *base);

/* Sets res->data "form" to the fields of `values` — or, after signing in
 * again (?resume=TOKEN), to what the user had typed when the session
 * expired, with "restored": true and the version the form was read at. */
void record_form_show(struct request *req, struct response *res, const struct type_def *t,
		      json_t *values, const char *const *only);

enum save_result { SAVE_OK = 0, SAVE_INVALID = 422, SAVE_CONFLICT = 409, SAVE_FAILED = 500 };
/* Creates (expected_version 0) or replaces record id of type t, when its
 * stored version is still expected_version. On SAVE_INVALID, *errors gets
 * field → message; on SAVE_CONFLICT, *changes gets [{field, label, yours,
 * stored}] for every field where the stored record differs from what was
 * sent. Writes one audit entry (create/update, with the changed fields). */
enum save_result record_save(struct request *req, const struct type_def *t, const char *id,
			     json_t *rec, long expected_version, json_t **errors, json_t **changes);

/* What a form handler saved: the type, the record's id, the version the
 * form was read at (0: a creation), the fields of the form (NULL: all) and
 * the page to go to after a browser's save. */
struct record_answer {
	const struct type_def *type;
	const char *id;
	long expected;
	const char *const *only;
	const char *done;
};
/* Answers the usual way for a form handler after record_save(): on success
 * 303 to a->done for a browser, and for a JSON client the record as saved
 * ({id, <type>, version}) with 201 (created) or 200 (replaced); else the
 * form page again (template, with "form" fields, "errors", "changes",
 * status 422/409). */
void record_form_answer(struct request *req, struct response *res, enum save_result r,
			const struct record_answer *a, json_t *rec, json_t *errors, json_t *changes);

#endif
