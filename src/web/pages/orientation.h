/*
 * orientation.h — what the orientation officer's pages share
 * (orientation.c: the queue, the one-by-one form, the référent;
 * orientation_bulk.c: the cohort and the letters). Not a public interface.
 */
#ifndef PARCOURS_PAGES_ORIENTATION_H
#define PARCOURS_PAGES_ORIENTATION_H
#include <jansson.h>

struct db;
struct request;
struct response;

/* The person `id` as {id, first_name, last_name} when the user may see
 * them; otherwise NULL, res set to 404 and the attempt audited. */
json_t *orientation_person(struct request *req, struct response *res, const char *id);
/* A form value, NULL when absent or empty. */
const char *orientation_form(const struct request *req, const char *name);

/* Fields for templates/field.mustache. options: [{value, label, selected}]. */
json_t *orientation_select(const char *name, const char *label, int required, json_t *options,
			   json_t *errors);
json_t *orientation_date(const char *name, const char *label, int required, const char *value,
			 json_t *errors);
/* The itineraries, `selected` marked. */
json_t *orientation_itinerary_options(const char *selected);
/* The organisations that carry `itinerary` (every one that carries some
 * itinerary when it is NULL or unknown), by name, `selected` marked. */
json_t *orientation_organisation_options(struct db *db, const char *itinerary,
					 const char *selected);

/* The orientation letters of people ids[0…n-1] as one PDF attachment named
 * `filename` (each person's latest orientation). 404 when one of them may
 * not be seen or has no orientation. */
void orientation_letters(struct request *req, struct response *res, const char *const *ids,
			 size_t n, const char *filename);

#endif
