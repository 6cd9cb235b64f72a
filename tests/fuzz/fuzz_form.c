/*
 * libFuzzer target for src/web/form.c: what browsers send.
 *
 * The input is used whole as an urlencoded body (form_decode, which gets a
 * length and must not read past it), and, cut at its first NUL, as a
 * Cookie header (cookie_get), as a ?next= target (local_path) and as a
 * value to percent-encode (url_encode). Besides not crashing, leaking or
 * reading out of bounds:
 *  - a decoded form maps non-empty names to strings or arrays of 2+
 *    strings, with no more fields than allowed;
 *  - a cookie value found is non-empty, fits the buffer and holds only
 *    A-Z a-z 0-9 - _;
 *  - a path accepted by local_path starts with one '/' and holds no "//",
 *    no backslash, no ":/" and no control character;
 *  - url_encode writes only unreserved characters and %XX, and
 *    form_decode("v=" + url_encode(s)) gives back s exactly when s is
 *    valid UTF-8 (and refuses it otherwise).
 *
 * Build: make fuzz-build (clang -fsanitize=fuzzer,address,undefined).
 * Run:   build-fuzz/fuzz_form -max_total_time=60 tests/fuzz/corpus/fuzz_form
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "web/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { FUZZ_MAX_FIELDS = 16 };

static void die(const char *what, const char *input)
{
	fprintf(stderr, "fuzz_form: %s\n  input: \"%s\"\n", what, input ? input : "");
	abort();
}

static void check_form(const uint8_t *data, size_t size)
{
	/* A copy of exactly size bytes, so that ASan sees any read past it. */
	char *body = malloc(size ? size : 1);
	json_t *form, *v;
	const char *name;
	size_t fields = 0;

	if (!body)
		return;
	memcpy(body, data, size);
	form = form_decode(body, size, FUZZ_MAX_FIELDS);
	if (form) {
		if (!json_is_object(form))
			die("form_decode gave no object", NULL);
		json_object_foreach(form, name, v) {
			if (!*name)
				die("empty field name", NULL);
			if (json_is_string(v)) {
				fields++;
			} else if (json_is_array(v) && json_array_size(v) >= 2) {
				json_t *x;
				size_t i;
				json_array_foreach(v, i, x)
					if (!json_is_string(x))
						die("array of non-strings", NULL);
				fields += json_array_size(v);
			} else {
				die("field neither string nor array of 2+", NULL);
			}
		}
		if (fields > FUZZ_MAX_FIELDS)
			die("more fields than allowed", NULL);
		json_decref(form);
	}
	free(body);
}

static void check_cookie(const char *header, const char *name, size_t size)
{
	char out[80];

	memset(out, 0x55, sizeof out);
	if (cookie_get(header, name, out, size) == 0) {
		size_t len = strnlen(out, size);
		if (len == 0 || len >= size)
			die("cookie value empty or not terminated within size", header);
		for (size_t i = 0; i < len; i++)
			if (!isalnum((unsigned char)out[i]) && out[i] != '-' && out[i] != '_')
				die("cookie value with a forbidden character", header);
	}
	/* Nothing written past size. */
	for (size_t i = size; i < sizeof out; i++)
		if ((unsigned char)out[i] != 0x55)
			die("cookie_get wrote past its buffer", header);
}

static void check_local_path(const char *s)
{
	if (!local_path(s))
		return;
	if (s[0] != '/' || strstr(s, "//") || strchr(s, '\\') || strstr(s, ":/"))
		die("local_path accepted a path that may leave the site", s);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			die("local_path accepted a control character", s);
}

static void check_url_encode(const char *s)
{
	char *enc = url_encode(s), *body;
	size_t n;
	json_t *form;

	if (!enc)
		return;
	for (const char *p = enc; *p; p++) {
		if (*p == '%') {
			if (!isxdigit((unsigned char)p[1]) || !isxdigit((unsigned char)p[2]))
				die("url_encode wrote a bad escape", s);
			p += 2;
		} else if (!isalnum((unsigned char)*p) && !strchr("-_.~/", *p)) {
			die("url_encode left a reserved character", s);
		}
	}
	n = strlen(enc) + 3;
	body = malloc(n);
	if (body) {
		snprintf(body, n, "v=%s", enc);
		form = form_decode(body, n - 1, 1);
		if (utf8_valid(s, strlen(s))) {
			if (!form || !json_is_string(json_object_get(form, "v")) ||
			    strcmp(json_string_value(json_object_get(form, "v")), s) != 0)
				die("form_decode(url_encode(s)) is not s", s);
		} else if (form) {
			die("form_decode accepted bytes that are not UTF-8", s);
		}
		json_decref(form);
		free(body);
	}
	free(enc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	/* Bodies are capped by the server; bigger inputs only slow fuzzing. */
	if (size > 256 * 1024)
		return 0;
	check_form(data, size);

	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	check_cookie(s, "session", 65);
	check_cookie(s, "prelogin", 8);
	check_cookie(s, "a", 2);
	check_local_path(s);
	check_url_encode(s);
	free(s);
	return 0;
}
