/* text.c — see text.h. */
#include "base/text.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

/* Length of the well-formed UTF-8 character at p (at most avail bytes:
 * no overlong form, no surrogate, nothing above U+10FFFF, no NUL), its code
 * point in *cp; 0 when the bytes at p are not one. */
static int utf8_char(const unsigned char *p, size_t avail, uint32_t *cp)
{
	uint32_t c = *p;
	int len;

	if (c == 0)
		return 0;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF)
		len = 2, c &= 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3, c &= 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4, c &= 0x07;
	else
		return 0;
	if (avail < (size_t)len)
		return 0;
	for (int i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3F);
	}
	if ((len == 3 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))) ||
	    (len == 4 && (c < 0x10000 || c > 0x10FFFF)))
		return 0;
	*cp = c;
	return len;
}

int utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	uint32_t c;

	while (p < end) {
		int len = utf8_char(p, (size_t)(end - p), &c);
		if (!len)
			return 0;
		p += len;
	}
	return 1;
}

char *utf8_fit(char *out, size_t size, const char *s)
{
	static const char ellipsis[] = "\xE2\x80\xA6"; /* … */
	const size_t el = sizeof ellipsis - 1;
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0, rest = strlen(s);
	/* The copy is as long as s ('?' stands for one byte): when s is too
	 * long, room is kept for "…". */
	int cut = rest >= size;
	size_t room = !cut ? size : size > el ? size - el : 0;
	uint32_t c;

	if (size == 0)
		return out;
	while (*p) {
		int len = utf8_char(p, rest, &c);
		size_t take = len ? (size_t)len : 1;
		if (n + take >= room)
			break;
		if (len)
			memcpy(out + n, p, take);
		else
			out[n] = '?';
		n += take;
		p += take;
		rest -= take;
	}
	if (cut && n + el < size) {
		memcpy(out + n, ellipsis, el);
		n += el;
	}
	out[n] = '\0';
	return out;
}

/* Base letters of U+00C0..U+017F, lower case; "" where none (×, ÷). */
static const char *latin_base(uint32_t c)
{
	static const char *const latin1[64] = {
		"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
		"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss",
		"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
		"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y",
	};
	/* Latin Extended-A comes in upper/lower pairs; this lists each pair's base. */
	static const char ext_a[] =
		"aaaaaa" "cccccccc" "dddd" "eeeeeeeeee" "gggggggg" "hhhh" "iiiiiiiiii" "ii" "jj"
		"kkk" "llllllllll" "nnnnnnnnn" "oooooo" "oo" "rrrrrr" "ssssssss" "tttttt"
		"uuuuuuuuuuuu" "ww" "yyy" "zzzzzz" "s";
	/* One NUL-terminated string per letter, so no buffer is shared between threads. */
	static const char letters[] = "a\0b\0c\0d\0e\0f\0g\0h\0i\0j\0k\0l\0m\0n\0o\0p\0q\0r\0s\0t\0u\0v\0w\0x\0y\0z";

	if (c >= 0xC0 && c <= 0xFF)
		return latin1[c - 0xC0];
	if (c == 0x152 || c == 0x153)
		return "oe";
	if (c >= 0x100 && c <= 0x17F && c - 0x100 < sizeof ext_a - 1) {
		return &letters[(ext_a[c - 0x100] - 'a') * 2];
	}
	return NULL;
}

/* Characters that separate words in a search key: spaces, hyphens,
 * apostrophes (ASCII, typographic ’ U+2019 and modifier ʼ U+02BC, which
 * phones and word processors type in "N’Diaye") and some punctuation. */
static int fold_separator(uint32_t c)
{
	return c == ' ' || c == '-' || c == '\'' || c == '\t' || c == '_' || c == '.' || c == ',' ||
	       c == 0x2019 || c == 0x02BC;
}

char *text_fold(const char *s)
{
	size_t n = strlen(s);
	char *out = malloc(2 * n + 1), *o = out;
	const unsigned char *p = (const unsigned char *)s;
	int space = 1; /* swallow leading spaces */

	if (!out)
		return NULL;
	while (*p) {
		uint32_t c = *p;
		/* A malformed byte is kept as it is, one at a time. */
		int len = utf8_char(p, n - (size_t)(p - (const unsigned char *)s), &c);
		const char *base;

		if (!len)
			len = 1, c = *p;
		base = len == 2 ? latin_base(c) : NULL;
		if (fold_separator(c)) {
			if (!space)
				*o++ = ' ';
			space = 1;
		} else if (len == 1) {
			*o++ = (char)tolower((int)c);
			space = 0;
		} else if (base) {
			size_t bl = strlen(base);
			memcpy(o, base, bl);
			o += bl;
			space = 0;
		} else {
			memcpy(o, p, (size_t)len);
			o += len;
			space = 0;
		}
		p += len;
	}
	if (o > out && o[-1] == ' ')
		o--;
	*o = '\0';
	return out;
}

int exchange_id_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n < 1 || n > 64)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!isalnum(c) && c != '.' && c != '_' && c != ':' && c != '-')
			return 0;
	}
	return 1;
}

const char *nir_problem(const char *s)
{
	size_t n = strlen(s);
	unsigned long long num = 0;
	long key;
	int corsica = 0;

	if (n != 13 && n != 15)
		return "le NIR compte 13 caractères, ou 15 avec la clé";
	for (size_t i = 0; i < 13; i++) {
		unsigned char c = (unsigned char)s[i];
		if (i == 6 && (c == 'A' || c == 'B') && s[5] == '2') {
			corsica = c;
			continue;
		}
		if (!isdigit(c))
			return "le NIR ne contient que des chiffres (2A/2B pour la Corse)";
	}
	if (s[0] != '1' && s[0] != '2' && s[0] != '3' && s[0] != '4' && s[0] != '7' && s[0] != '8')
		return "le premier chiffre du NIR (sexe) doit être 1, 2, 3, 4, 7 ou 8";
	if (n == 13)
		return NULL;
	if (!isdigit((unsigned char)s[13]) || !isdigit((unsigned char)s[14]))
		return "la clé du NIR est formée de deux chiffres";
	for (size_t i = 0; i < 13; i++) {
		int d = (i == 6 && corsica) ? 0 : s[i] - '0';
		if (i == 5 && corsica)
			d = 1; /* 2A → 19, 2B → 18: the department digits become 1 and 9/8 */
		if (i == 6 && corsica)
			d = corsica == 'A' ? 9 : 8;
		num = num * 10 + (unsigned long long)d;
	}
	key = (long)(97 - num % 97);
	if ((s[13] - '0') * 10 + (s[14] - '0') != key)
		return "la clé du NIR ne correspond pas au numéro";
	return NULL;
}

int siret_valid(const char *s)
{
	int sum = 0;

	if (!s || strlen(s) != 14)
		return 0;
	for (int i = 0; i < 14; i++) {
		int d;
		if (!isdigit((unsigned char)s[i]))
			return 0;
		d = s[i] - '0';
		if (i % 2 == 0) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	return sum % 10 == 0;
}

int insee_valid(const char *s)
{
	if (!s || strlen(s) != 5)
		return 0;
	for (int i = 0; i < 5; i++) {
		if (i == 1 && s[0] == '2' && (s[1] == 'A' || s[1] == 'B'))
			continue;
		if (!isdigit((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

size_t utf8_length(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

int str_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

void exchange_id_new(const char *prefix, char out[static 65])
{
	unsigned char r[12];
	char hex[25];

	randombytes_buf(r, sizeof r);
	sodium_bin2hex(hex, sizeof hex, r, sizeof r);
	snprintf(out, 65, "%.40s%s", prefix, hex);
}
