/*
 * xlsx_read.h — reading the first sheet of an XLSX workbook (Office Open
 * XML), one row at a time, for the beneficiary lists (docs/modules/lists.md).
 *
 * The archive is opened with libzip and each part streamed through
 * libxml2's reader (no network, no entity substitution, no DTD). Cells come
 * back as UTF-8 text: shared strings, inline strings, formula results as
 * stored, numbers as written (an integral number without its ".0" or
 * exponent), and numbers whose style is a date format as YYYY-MM-DD (serial
 * days of the 1900 or 1904 system). Only the first sheet of the workbook's
 * order is read.
 *
 * Against zip bombs, before anything is inflated: at most max_entries
 * entries, each at most max_entry bytes once inflated, max_total for all
 * of them, and an inflation ratio of at most max_ratio for any entry above
 * 1 MiB; while reading, the bytes actually inflated are counted against the
 * same limits (a header may lie). Encrypted entries, compression methods
 * other than stored or deflate, and archives without a workbook are refused
 * with a French message.
 */
#ifndef PARCOURS_XLSX_READ_H
#define PARCOURS_XLSX_READ_H
#include <stddef.h>
#include <stdint.h>

#define XLSX_MAX_CELLS 128            /* cells of one row (A … DX) */
#define XLSX_MAX_ROW (64 * 1024)      /* bytes of one row's text */

struct xlsx_limits {
	long max_entries;      /* entries of the archive */
	uint64_t max_entry;    /* inflated bytes of one entry */
	uint64_t max_total;    /* inflated bytes of every entry together */
	unsigned max_ratio;    /* inflated / compressed, for entries above 1 MiB */
};

/* 1 000 entries, 256 MiB per entry, 512 MiB in all, ratio 100. */
extern const struct xlsx_limits xlsx_default_limits;

struct xlsx_row {
	long line;            /* the row number of the sheet, from 1 */
	size_t ncells;        /* up to the last non-empty cell */
	const char *cells[XLSX_MAX_CELLS]; /* UTF-8, "" for an empty cell */
	const char *problem;  /* NULL, or why the row cannot be read (French) */
};

struct xlsx;

enum { XLSX_END = 0, XLSX_ROW = 1, XLSX_ERROR = -1 };

/* Opens the workbook at path and reads its shared strings and styles.
 * limits NULL: xlsx_default_limits. -1 with a French message in why when
 * the file is not a workbook Parcours reads. */
int xlsx_open(struct xlsx **out, const char *path, const struct xlsx_limits *limits, char *why,
	      size_t size);
/* The next non-empty row: XLSX_ROW (row valid until the next call),
 * XLSX_END, or XLSX_ERROR (xlsx_error() says why). A row that holds too
 * many cells or too much text comes back with `problem` set. */
int xlsx_next(struct xlsx *x, struct xlsx_row *row);
const char *xlsx_error(const struct xlsx *x);
void xlsx_close(struct xlsx *x);

/* The day (date.h day number) of a serial date: 1900 system (with Excel's
 * phantom 29 February 1900) or 1904 system. 0 on success, -1 when out of
 * the years 1900–9999. The fraction (time of day) is dropped. */
int xlsx_serial_day(double serial, int date1904, long *day);
/* True when a number format (built-in id, or custom code) shows a date. */
int xlsx_date_format(int id, const char *code);

#endif
