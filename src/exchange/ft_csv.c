/* ft_csv.c — the CSV reader of the France Travail lists; see ft_csv.h. */
#include "exchange/ft_csv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/text.h"
#include "exchange/input.h"

enum encoding { ENC_UNKNOWN, ENC_UTF8, ENC_CP1252 };

struct ft_csv {
	struct input *in;
	unsigned char block[65536];
	size_t pos, len;
	int eof, failed, started;
	long line;              /* physical lines read so far */
	char sep;               /* 0 until the first record */
	enum encoding enc;
	char error[200];
	struct buf raw;         /* the record's bytes as read */
	char *text;             /* the record in UTF-8 (3 bytes per byte at most) */
	char *cells;            /* the fields, each NUL-terminated */
};

/* windows-1252's 0x80–0x9F (0: undefined); the rest is Latin-1. */
static const unsigned short cp1252_high[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

long ft_cp1252_to_utf8(const char *in, size_t n, char *out)
{
	long len = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned c = (unsigned char)in[i];
		if (c >= 0x80 && c < 0xA0)
			c = cp1252_high[c - 0x80];
		if (c == 0)
			return -1;
		if (c < 0x80) {
			out[len++] = (char)c;
		} else if (c < 0x800) {
			out[len++] = (char)(0xC0 | c >> 6);
			out[len++] = (char)(0x80 | (c & 0x3F));
		} else {
			out[len++] = (char)(0xE0 | c >> 12);
			out[len++] = (char)(0x80 | (c >> 6 & 0x3F));
			out[len++] = (char)(0x80 | (c & 0x3F));
		}
	}
	out[len] = '\0';
	return len;
}

int ft_csv_open(struct ft_csv **out, const char *path, char *why, size_t size)
{
	struct ft_csv *r = calloc(1, sizeof *r);

	*out = NULL;
	if (r) {
		r->text = malloc(3 * FT_CSV_MAX_RECORD + 1);
		r->cells = malloc(3 * FT_CSV_MAX_RECORD + 1);
	}
	if (!r || !r->text || !r->cells) {
		snprintf(why, size, "mémoire insuffisante");
		ft_csv_close(r);
		return -1;
	}
	r->in = input_open(path);
	if (!r->in) {
		snprintf(why, size, "ne peut pas être ouvert : %s", strerror(errno));
		ft_csv_close(r);
		return -1;
	}
	buf_init(&r->raw, FT_CSV_MAX_RECORD);
	*out = r;
	return 0;
}

void ft_csv_close(struct ft_csv *r)
{
	if (!r)
		return;
	if (r->in)
		input_close(r->in);
	buf_release(&r->raw);
	free(r->text);
	free(r->cells);
	free(r);
}

const char *ft_csv_error(const struct ft_csv *r)
{
	return r->error;
}

char ft_csv_separator(const struct ft_csv *r)
{
	return r->sep ? r->sep : ';';
}

const char *ft_csv_encoding(const struct ft_csv *r)
{
	return r->enc == ENC_UTF8 ? "utf-8" : r->enc == ENC_CP1252 ? "windows-1252" : NULL;
}

static int read_failed(struct ft_csv *r)
{
	snprintf(r->error, sizeof r->error, "lecture interrompue : %s",
		 input_error(r->in) ? input_error(r->in) : "erreur de lecture");
	r->failed = 1;
	return -1;
}

/* The next byte, -1 at the end, -2 on a read error. */
static int next_byte(struct ft_csv *r)
{
	long n;

	if (r->pos == r->len) {
		if (r->eof)
			return -1;
		n = input_read(r->in, r->block, sizeof r->block);
		if (n < 0)
			return read_failed(r) - 1;
		if (n == 0) {
			r->eof = 1;
			return -1;
		}
		r->pos = 0;
		r->len = (size_t)n;
	}
	return r->block[r->pos++];
}

static int is_sep(const struct ft_csv *r, int c)
{
	return r->sep ? c == r->sep : c == ';' || c == ',' || c == '\t';
}

/* The BOM decides the encoding; UTF-16 is not read. The first bytes are
 * gathered in the block first (the input may hand them out in pieces). */
static int read_bom(struct ft_csv *r)
{
	const unsigned char *b = r->block;
	long n;

	while (r->len < 3 && !r->eof) {
		n = input_read(r->in, r->block + r->len, sizeof r->block - r->len);
		if (n < 0)
			return read_failed(r);
		r->eof = n == 0;
		r->len += (size_t)n;
	}
	if (r->len >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))) {
		snprintf(r->error, sizeof r->error,
			 "fichier en UTF-16 : l'enregistrer en UTF-8 (ou windows-1252)");
		return -1;
	}
	if (r->len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
		r->enc = ENC_UTF8;
		r->pos = 3;
	}
	return 0;
}

/*
 * Gathers one record's bytes into r->raw, up to a line feed outside quotes
 * (a CR before it is dropped). A quote opens a quoted field only at the
 * start of a field. Returns 1 (a record, possibly too long: *too_long), 0 at
 * the end, -1 on a read error.
 */
static int gather(struct ft_csv *r, int *too_long)
{
	int c, quoted = 0, field_start = 1, any = 0;

	buf_reset(&r->raw);
	*too_long = 0;
	while ((c = next_byte(r)) >= 0) {
		any = 1;
		if (c == '\n' && (!quoted || *too_long)) {
			r->line++;
			break;
		}
		if (c == '\n')
			r->line++;
		if (c == '"' && (quoted || field_start))
			quoted = !quoted;
		field_start = !quoted && is_sep(r, c);
		/* Past the limit, the rest of the physical line is skipped:
		 * reading resumes at the next line. */
		if (!*too_long && buf_addch(&r->raw, (char)c))
			*too_long = 1;
	}
	if (c == -2)
		return -1;
	if (c == -1 && !any)
		return 0;
	if (c == -1)
		r->line++; /* a last line without its line feed */
	if (r->raw.len && r->raw.data[r->raw.len - 1] == '\r')
		r->raw.data[--r->raw.len] = '\0';
	return 1;
}

/* Converts the raw bytes into r->text. Returns NULL or the problem. */
static const char *decode(struct ft_csv *r)
{
	const char *raw = buf_str(&r->raw);
	size_t n = r->raw.len;
	int ascii = 1;

	for (size_t i = 0; i < n && ascii; i++)
		ascii = (unsigned char)raw[i] < 0x80;
	if (memchr(raw, '\0', n)) {
		ft_cp1252_to_utf8("", 0, r->text);
		return "octet nul : ce n'est pas un fichier texte";
	}
	if (r->enc == ENC_UNKNOWN && !ascii)
		r->enc = utf8_valid(raw, n) ? ENC_UTF8 : ENC_CP1252;
	if (r->enc == ENC_CP1252) {
		if (ft_cp1252_to_utf8(raw, n, r->text) < 0) {
			ft_cp1252_to_utf8("", 0, r->text);
			return "octet non défini en windows-1252 (0x81, 0x8D, 0x8F, 0x90 ou 0x9D)";
		}
		return NULL;
	}
	if (!ascii && !utf8_valid(raw, n)) {
		/* Kept readable for the report, as windows-1252 would show it. */
		if (ft_cp1252_to_utf8(raw, n, r->text) < 0)
			ft_cp1252_to_utf8("", 0, r->text);
		return "n'est pas de l'UTF-8 valide alors que le fichier est en UTF-8";
	}
	memcpy(r->text, raw, n + 1);
	return NULL;
}

/* The first record decides the separator: ';' unless it has none outside
 * quotes and has ',' or tabs. */
static void choose_separator(struct ft_csv *r)
{
	size_t count[3] = { 0, 0, 0 };
	int quoted = 0;

	for (const char *p = r->text; *p; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (!quoted && (*p == ';' || *p == ',' || *p == '\t'))
			count[*p == ';' ? 0 : *p == ',' ? 1 : 2]++;
	}
	r->sep = count[0] || (!count[1] && !count[2]) ? ';' : count[1] >= count[2] ? ',' : '\t';
}

/* Splits r->text into fields. Returns NULL or the problem. */
static const char *split(struct ft_csv *r, struct ft_csv_record *rec)
{
	const char *p = r->text;
	char *out = r->cells;

	rec->nfields = 0;
	for (;;) {
		if (rec->nfields == FT_CSV_MAX_FIELDS)
			return "plus de 64 colonnes";
		rec->fields[rec->nfields++] = out;
		if (*p == '"') {
			for (p++;; p++) {
				if (!*p)
					return "guillemet ouvert et jamais fermé";
				if (*p == '"' && p[1] == '"')
					*out++ = *p++;
				else if (*p == '"')
					break;
				else
					*out++ = *p;
			}
			p++;
			if (*p && *p != r->sep)
				return "texte après le guillemet fermant d'une cellule";
		} else {
			while (*p && *p != r->sep)
				*out++ = *p++;
		}
		*out++ = '\0';
		if (!*p)
			return NULL;
		p++; /* the separator */
	}
}

int ft_csv_next(struct ft_csv *r, struct ft_csv_record *rec)
{
	int too_long, rc;

	memset(rec, 0, sizeof *rec);
	if (r->failed)
		return FT_CSV_ERROR;
	if (!r->started) {
		r->started = 1;
		if (read_bom(r)) {
			r->failed = 1;
			return FT_CSV_ERROR;
		}
	}
	do {
		rec->line = r->line + 1;
		rc = gather(r, &too_long);
		if (rc <= 0)
			return rc < 0 ? FT_CSV_ERROR : FT_CSV_END;
	} while (r->raw.len == 0 && !too_long); /* blank lines */
	rec->problem = decode(r);
	rec->text = r->text;
	if (too_long) {
		rec->problem = "enregistrement de plus de 64 Kio : ligne ignorée";
		return FT_CSV_RECORD;
	}
	if (rec->problem)
		return FT_CSV_RECORD;
	if (!r->sep)
		choose_separator(r);
	rec->problem = split(r, rec);
	return FT_CSV_RECORD;
}
