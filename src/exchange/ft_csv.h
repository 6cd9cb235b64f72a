/*
 * ft_csv.h — a CSV reader for the France Travail lists
 * (../shared/formats/README.md; docs/modules/france_travail.md), one record
 * at a time, in bounded memory.
 *
 * RFC 4180 quoting ("a;b" in quotes, "" for a quote, line breaks inside
 * quotes), LF or CRLF line ends, blank lines skipped. The separator is `;`
 * unless the first record has none and has `,` or tabs. The encoding is
 * UTF-8 after a UTF-8 BOM; otherwise the first line holding a non-ASCII byte
 * decides: well-formed UTF-8 makes the file UTF-8, anything else makes it
 * windows-1252 (converted to UTF-8). A UTF-16 file is refused.
 *
 * A record that cannot be read (longer than FT_CSV_MAX_RECORD, a stray
 * quote, a byte the encoding does not allow, too many fields) comes back
 * with `problem` set, and reading goes on with the next line: the importer
 * rejects that line and takes the others. Only a read error (a truncated
 * gzip stream…) or a UTF-16 file stops the file.
 */
#ifndef PARCOURS_FT_CSV_H
#define PARCOURS_FT_CSV_H
#include <stddef.h>

#define FT_CSV_MAX_RECORD (64 * 1024) /* bytes of one record as read */
#define FT_CSV_MAX_FIELDS 64

struct ft_csv_record {
	long line;            /* physical line where the record starts, from 1 */
	size_t nfields;
	const char *fields[FT_CSV_MAX_FIELDS]; /* UTF-8, NUL-terminated */
	const char *text;     /* the record as read, in UTF-8 as far as it converts */
	const char *problem;  /* NULL, or why the record cannot be read (French) */
};

struct ft_csv;

enum { FT_CSV_END = 0, FT_CSV_RECORD = 1, FT_CSV_ERROR = -1 };

/* Opens path (gzip-compressed or not; "-" for standard input). -1 with a
 * French message in why when it cannot be opened. */
int ft_csv_open(struct ft_csv **out, const char *path, char *why, size_t size);
/* The next record: FT_CSV_RECORD (rec valid until the next call),
 * FT_CSV_END, or FT_CSV_ERROR (ft_csv_error() says why). */
int ft_csv_next(struct ft_csv *r, struct ft_csv_record *rec);
const char *ft_csv_error(const struct ft_csv *r);
/* ';', ',' or '\t' once the first record is read. */
char ft_csv_separator(const struct ft_csv *r);
/* "utf-8", "windows-1252", or NULL while only ASCII was read. */
const char *ft_csv_encoding(const struct ft_csv *r);
void ft_csv_close(struct ft_csv *r);

/* Converts n bytes of windows-1252 into UTF-8 (appended to out, which must
 * hold 3 * n + 1 bytes). Returns the length written, or -1 when a byte
 * is one that windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D)
 * or NUL. */
long ft_cp1252_to_utf8(const char *in, size_t n, char *out);

#endif
