/*
 * labels.h — the French words that people read in place of the codes that
 * the exchange format stores (roles, civilities, organisation kinds, CAF
 * family situations, right states…). Codes stay in JSON and in the
 * downloads, where they are data; pages show these labels.
 */
#ifndef PARCOURS_LABELS_H
#define PARCOURS_LABELS_H
#include <jansson.h>

struct db;

/* The label of `code` for field `field` of exchange type `type` ("person",
 * "title", "MME" → "Mme"), or NULL when the field has no labels or the code
 * is unknown. */
const char *label_of(const char *type, const char *field, const char *code);
/* The label, else the code itself ("" for NULL): for texts that must show
 * something. */
const char *label_or_code(const char *type, const char *field, const char *code);
/* Sets obj[field + "_label"] from obj[field] when a label is known. */
void label_set(json_t *obj, const char *type, const char *field);
/* [{code, label}] of a JSON array of role codes, or of its JSON text. */
json_t *label_roles(json_t *codes);
json_t *label_roles_of_text(const char *json_codes);
/* The roles of a JSON text as labels joined by ", " (for downloads). */
char *label_roles_text(const char *json_codes);
/* What a commune code shows: "69381 (territoire Lyon Nord)" when a
 * territory lists it — the model keeps no commune names — else NULL
 * (the page then shows the INSEE code). label_commune_in() when the
 * territory's name is already known (NULL: none). malloc'd. */
char *label_commune(struct db *db, const char *code);
char *label_commune_in(const char *code, const char *territory);

#endif
