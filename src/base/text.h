/*
 * text.h — text rules shared by every module: UTF-8 checks, the search key
 * that makes "Benoît" find "Benoit", and the identifiers of the exchange
 * format and of French administration (NIR, SIRET).
 */
#ifndef PARCOURS_TEXT_H
#define PARCOURS_TEXT_H
#include <stddef.h>

/* True when the n bytes at s are well-formed UTF-8 (no overlongs, no
 * surrogates, nothing above U+10FFFF) and hold no NUL. */
int utf8_valid(const char *s, size_t n);
/* Copies s into out (size bytes) as valid UTF-8: a malformed byte becomes
 * '?'; a text that does not fit is cut between two characters and ends with
 * "…". Returns out. */
char *utf8_fit(char *out, size_t size, const char *s);
/* The search key of a text: lower case, accents removed for the Latin
 * letters French uses (é→e, œ→oe, ç→c …), hyphens, apostrophes (' ’ ʼ) and
 * runs of spaces turned into one space, trimmed. Returns a malloc'd string. */
char *text_fold(const char *s);
/* True when s is an exchange id: 1–64 characters of A-Za-z0-9._:- */
int exchange_id_valid(const char *s);
/* A new exchange id for a record created in the application: prefix (a
 * few characters naming the type, "or-") and 24 random hexadecimal digits. */
void exchange_id_new(const char *prefix, char out[static 65]);
/* NIR (numéro de sécurité sociale): 13 characters, or 15 with a key equal to
 * 97 − (number mod 97), where Corsica's 2A/2B count as 19/18. Returns NULL
 * when valid, else the broken rule in French. */
const char *nir_problem(const char *s);
/* SIRET: 14 digits whose Luhn sum is a multiple of 10. */
int siret_valid(const char *s);
/* INSEE commune code: 5 characters, digits, or 2A/2B and 3 digits (Corsica). */
int insee_valid(const char *s);
/* Number of characters (code points) of a valid UTF-8 string. */
size_t utf8_length(const char *s);
/* True when s starts with prefix. */
int str_starts(const char *s, const char *prefix);

#endif
