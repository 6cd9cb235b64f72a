/*
 * form.h — decoding what browsers send: application/x-www-form-urlencoded
 * bodies and Cookie headers. Both are fuzzed (tests/fuzz/).
 */
#ifndef PARCOURS_FORM_H
#define PARCOURS_FORM_H
#include <jansson.h>
#include <stddef.h>

/* Decodes "a=1&b=%C3%A9&b=2" into {"a":"1","b":["é","2"]}: '+' is a space,
 * %XX bytes are decoded, a name seen twice becomes an array. Values must be
 * valid UTF-8 without NUL; at most max_fields fields. NULL when malformed. */
json_t *form_decode(const char *body, size_t len, size_t max_fields);
/* The value of cookie name in a Cookie header, copied into out (size
 * bytes); 0 when found and well-formed, -1 otherwise. */
int cookie_get(const char *header, const char *name, char *out, size_t size);
/* Percent-encodes s for a query string value (malloc'd). */
char *url_encode(const char *s);
/* True when s is a local path that ?next= may send to: starts with one '/',
 * no "//", no backslash, no scheme, no control characters. */
int local_path(const char *s);

#endif
