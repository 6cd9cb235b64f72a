/*
 * upload.h — multipart/form-data bodies (RFC 7578), for the one page that
 * receives a file: the beneficiary lists (pages/lists.c).
 *
 * The server keeps the raw body (capped) and hands it here: text fields go
 * into the form object as form_decode() puts them (name → string), and the
 * one file part as "file": {"filename", "offset", "length"}, where offset and
 * length locate the file's bytes inside the body, which is not copied.
 */
#ifndef PARCOURS_UPLOAD_H
#define PARCOURS_UPLOAD_H
#include <jansson.h>
#include <stddef.h>

/* The largest body of a multipart request (a list of 50 000 lines in XLSX
 * is about 2 MiB; CSV about 5). */
#define UPLOAD_MAX_BODY (10 * 1024 * 1024)

/* True when the Content-Type header is multipart/form-data. */
int upload_is_multipart(const char *content_type);
/* Decodes body (len bytes) sent with content_type; NULL when malformed:
 * no boundary, a part without Content-Disposition form-data, a text field
 * that is not UTF-8 or holds a NUL, a second file, more than max_fields
 * fields, no closing delimiter. */
json_t *upload_decode(const char *content_type, const char *body, size_t len,
		      size_t max_fields);

#endif
