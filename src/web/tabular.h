#ifndef PARCOURS_WEB_TABULAR_H
#define PARCOURS_WEB_TABULAR_H

#include <jansson.h>
#include <stddef.h>

/*
 * tabular: turn the rows of a list page into a downloadable file
 * ================================================================
 *
 * Every list page can be downloaded "for the same rows" as CSV or XLSX.
 * The page handler already holds a JSON description of what it shows;
 * this module only renders it, entirely in memory.
 *
 * Input
 * -----
 *
 * `columns` is a non-empty JSON array of objects:
 *
 *     [{"key": "last_name", "label": "Nom"}, {"key": "born", "label": "Né le"}]
 *
 * `key` (string) is required. `label` (string) is optional and defaults
 * to the key. Column order is output order; a key may appear twice.
 *
 * `rows` is a JSON array (possibly empty) of JSON objects. The cell of a
 * row for a column is `row[key]`:
 *
 *   - string           -> text (see the format-specific rules below)
 *   - integer, real    -> number, always written with a decimal point
 *   - true / false     -> "oui" / "non"
 *   - null or absent   -> empty cell
 *   - array / object   -> rejected: the whole call fails with -1, so a
 *                         handler bug shows up instead of "[object]" text.
 *
 * A string cell ends at its first NUL byte (`\u0000` in JSON).
 *
 * Output
 * ------
 *
 * Both renderers return 0 and store a malloc'd buffer in `*out` and its
 * size in `*len`; the caller frees `*out`. The buffer is additionally
 * NUL-terminated (not counted in `*len`) so a CSV can be logged as-is.
 * On failure they return -1 and set `*out` to NULL and `*len` to 0.
 * Both functions are thread-safe and leave the process locale untouched.
 * They never modify `columns` or `rows`.
 */

/*
 * Render `columns` and `rows` as CSV the way French spreadsheets open it
 * with a double-click:
 *
 *   - UTF-8 with a byte-order mark (otherwise Excel assumes Windows-1252),
 *   - ';' as separator (',' is the French decimal separator),
 *   - CRLF after every line, including the last,
 *   - RFC 4180 quoting: a cell containing ';', '"', CR or LF is wrapped
 *     in double quotes and its quotes are doubled,
 *   - numbers with a decimal point ("3.5"), shortest exact form,
 *   - formula neutralisation (CSV injection): a *text* cell (string
 *     value or label) starting with '=', '+', '-', '@', TAB or CR gets a
 *     leading apostrophe, so "=SUM(A1)" becomes "'=SUM(A1)" and the text
 *     "+33 6 12" becomes "'+33 6 12". Numbers are never touched: the
 *     integer -1 stays -1, while the *string* "-1" becomes "'-1".
 *
 * The first line holds the labels. Returns 0 or -1 (invalid input, out
 * of memory).
 */
int tabular_csv(json_t *columns, json_t *rows, char **out, size_t *len);

/*
 * Render `columns` and `rows` as an XLSX workbook (libxlsxwriter) with a
 * single worksheet named after `sheet_name`:
 *
 *   - the name is sanitised to Excel's rules: `[ ] : * ? / \` and control
 *     characters become '-', leading/trailing apostrophes are dropped, it
 *     is cut to 31 characters (UTF-16 units, never inside a character),
 *     invalid UTF-8 bytes become '-'; NULL, an empty result or the
 *     reserved "History" fall back to "Feuille1",
 *   - bold header row, frozen so it stays visible, with an autofilter,
 *   - numbers are real numbers; integers of 16 digits or more are written
 *     as text because Excel keeps only 15 significant digits,
 *   - a string of the exact form "YYYY-MM-DD" holding a valid date from
 *     1900 on becomes a real Excel date shown as dd/mm/yyyy,
 *   - any other string is plain text, never a formula ("=1+1" stays
 *     text; no apostrophe is added, unlike CSV); text longer than Excel's
 *     32767 characters is cut there,
 *   - column widths follow the longest value, clamped to a sane range.
 *
 * libxlsxwriter (1.1.x) can only write to a file: the workbook goes to a
 * private mkstemp file in $TMPDIR (or /tmp), is read back and unlinked
 * before returning, on success and failure alike. Returns 0 or -1
 * (invalid input, more rows or columns than Excel allows, I/O or
 * libxlsxwriter error, out of memory).
 */
int tabular_xlsx(json_t *columns, json_t *rows, const char *sheet_name,
		 char **out, size_t *len);

/* Content-Type of tabular_csv() output: "text/csv; charset=utf-8". */
const char *tabular_csv_content_type(void);

/*
 * Content-Type of tabular_xlsx() output:
 * "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".
 */
const char *tabular_xlsx_content_type(void);

#endif /* PARCOURS_WEB_TABULAR_H */
