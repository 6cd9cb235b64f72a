/* form.c — see form.h. */
#include "web/form.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decodes n bytes of a urlencoded component into a malloc'd string. */
static char *decode_component(const char *s, size_t n)
{
	char *out = malloc(n + 1), *o = out;

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+') {
			*o++ = ' ';
		} else if (s[i] == '%') {
			int hi = i + 2 < n ? hexval((unsigned char)s[i + 1]) : -1;
			int lo = i + 2 < n ? hexval((unsigned char)s[i + 2]) : -1;
			if (hi < 0 || lo < 0) {
				free(out);
				return NULL;
			}
			*o++ = (char)(hi * 16 + lo);
			i += 2;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	if (!utf8_valid(out, (size_t)(o - out))) {
		free(out);
		return NULL;
	}
	return out;
}

static int add_field(json_t *form, const char *name, const char *value)
{
	json_t *old = json_object_get(form, name), *arr;

	if (!old)
		return json_object_set_new(form, name, json_string(value));
	if (json_is_array(old))
		return json_array_append_new(old, json_string(value));
	arr = json_array();
	json_array_append(arr, old);
	json_array_append_new(arr, json_string(value));
	return json_object_set_new(form, name, arr);
}

json_t *form_decode(const char *body, size_t len, size_t max_fields)
{
	json_t *form = json_object();
	size_t pos = 0, fields = 0;

	while (pos < len) {
		size_t end = pos, eq;
		char *name, *value;
		int bad;

		while (end < len && body[end] != '&')
			end++;
		if (end > pos) {
			for (eq = pos; eq < end && body[eq] != '='; eq++)
				;
			name = decode_component(body + pos, eq - pos);
			value = decode_component(body + (eq < end ? eq + 1 : end),
						 eq < end ? end - eq - 1 : 0);
			bad = !name || !value || !*name || ++fields > max_fields ||
			      add_field(form, name, value);
			free(name);
			free(value);
			if (bad) {
				json_decref(form);
				return NULL;
			}
		}
		pos = end + 1;
	}
	return form;
}

int cookie_get(const char *header, const char *name, char *out, size_t size)
{
	size_t n = strlen(name);
	const char *p = header;

	while (p && *p) {
		while (*p == ' ' || *p == ';')
			p++;
		if (strncmp(p, name, n) == 0 && p[n] == '=') {
			const char *v = p + n + 1;
			size_t len = strcspn(v, ";");
			while (len && v[len - 1] == ' ')
				len--;
			if (len == 0 || len >= size)
				return -1;
			for (size_t i = 0; i < len; i++)
				if (!isalnum((unsigned char)v[i]) && v[i] != '-' && v[i] != '_')
					return -1;
			memcpy(out, v, len);
			out[len] = '\0';
			return 0;
		}
		p = strchr(p, ';');
	}
	return -1;
}

char *url_encode(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s);
	char *out = malloc(3 * n + 1), *o = out;

	if (!out)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' || *p == '~' || *p == '/') {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return out;
}

int local_path(const char *s)
{
	if (!s || s[0] != '/' || s[1] == '/' || s[1] == '\\')
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '\\')
			return 0;
	return strstr(s, "//") == NULL && strstr(s, ":/") == NULL;
}
