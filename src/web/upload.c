/* upload.c — multipart/form-data bodies; see upload.h. */
#include "web/upload.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/text.h"

#define UPLOAD_BOUNDARY_MAX 70 /* RFC 2046 */

int upload_is_multipart(const char *content_type)
{
	return content_type && !strncasecmp(content_type, "multipart/form-data", 19);
}

/* The boundary parameter, quoted or not, into out ("--" + boundary). */
static int boundary_of(const char *type, char out[UPLOAD_BOUNDARY_MAX + 3])
{
	const char *b = strcasestr(type, "boundary=");
	size_t n;

	if (!b)
		return -1;
	b += 9;
	if (*b == '"') {
		b++;
		n = strcspn(b, "\"");
		if (b[n] != '"')
			return -1;
	} else {
		n = strcspn(b, "; \t");
	}
	if (n == 0 || n > UPLOAD_BOUNDARY_MAX)
		return -1;
	snprintf(out, UPLOAD_BOUNDARY_MAX + 3, "--%.*s", (int)n, b);
	return 0;
}

/* The value of parameter name (name="value") in a Content-Disposition
 * header line [h, end), into out. */
static int disposition_param(const char *h, const char *end, const char *name, char *out,
			     size_t size)
{
	size_t n = strlen(name);

	for (const char *p = h; p + n + 2 < end; p++) {
		const char *v, *q;
		if ((p != h && p[-1] != ' ' && p[-1] != ';') || strncasecmp(p, name, n) ||
		    p[n] != '=' || p[n + 1] != '"')
			continue;
		v = p + n + 2;
		q = memchr(v, '"', (size_t)(end - v));
		if (!q || (size_t)(q - v) >= size)
			return -1;
		memcpy(out, v, (size_t)(q - v));
		out[q - v] = '\0';
		return 0;
	}
	return -1;
}

/* The part's headers [p, end): its field name and, for a file, its name. */
static int part_headers(const char *p, const char *end, char name[128], char filename[256],
			int *is_file)
{
	const char *line = p, *eol;
	int found = 0;

	*is_file = 0;
	for (; line < end; line = eol + 2) {
		eol = memmem(line, (size_t)(end - line), "\r\n", 2);
		if (!eol)
			eol = end;
		if ((size_t)(eol - line) > 20 && !strncasecmp(line, "Content-Disposition:", 20)) {
			const char *v = line + 20;
			while (v < eol && *v == ' ')
				v++;
			if ((size_t)(eol - v) < 9 || strncasecmp(v, "form-data", 9) ||
			    disposition_param(v, eol, "name", name, 128))
				return -1;
			*is_file = !disposition_param(v, eol, "filename", filename, 256);
			found = 1;
		}
	}
	return found ? 0 : -1;
}

/* Adds one part (headers [h, body), content [body, end)) to form. */
static int add_part(json_t *form, const char *base, const char *h, const char *body,
		    const char *end)
{
	char name[128], filename[256];
	int is_file;
	json_t *v;

	if (part_headers(h, body - 4, name, filename, &is_file))
		return -1;
	if (is_file) {
		if (json_object_get(form, "file") || strcmp(name, "file") ||
		    !utf8_valid(filename, strlen(filename)))
			return -1;
		v = json_pack("{s:s, s:I, s:I}", "filename", filename, "offset",
			      (json_int_t)(body - base), "length", (json_int_t)(end - body));
	} else {
		if (memchr(body, '\0', (size_t)(end - body)) ||
		    !utf8_valid(body, (size_t)(end - body)) || !strcmp(name, "file"))
			return -1;
		v = json_stringn(body, (size_t)(end - body));
	}
	return v ? json_object_set_new(form, name, v) : -1;
}

json_t *upload_decode(const char *content_type, const char *body, size_t len,
		      size_t max_fields)
{
	char delim[UPLOAD_BOUNDARY_MAX + 3];
	const char *end = body + len, *p;
	json_t *form;
	size_t dn, fields = 0;

	if (!upload_is_multipart(content_type) || boundary_of(content_type, delim) || !body)
		return NULL;
	dn = strlen(delim);
	p = memmem(body, len, delim, dn); /* a preamble before it is ignored */
	form = json_object();
	while (p && form) {
		const char *h = p + dn, *data, *next;
		if (end - h >= 2 && !memcmp(h, "--", 2))
			return form; /* the closing delimiter */
		if (end - h < 2 || memcmp(h, "\r\n", 2) || ++fields > max_fields)
			break;
		h += 2;
		data = memmem(h, (size_t)(end - h), "\r\n\r\n", 4);
		if (!data)
			break;
		data += 4;
		next = memmem(data, (size_t)(end - data), delim, dn);
		if (!next || next - data < 2 || memcmp(next - 2, "\r\n", 2) ||
		    add_part(form, body, h, data, next - 2))
			break;
		p = next;
	}
	json_decref(form);
	return NULL;
}
