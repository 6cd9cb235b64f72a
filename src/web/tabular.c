/*
 * tabular: CSV and XLSX rendering of list pages. See tabular.h for the
 * contract and docs/modules/tabular.md for the reasoning.
 */
#include "web/tabular.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xlsxwriter.h>

/* Room for any integer or "%.17g" real, sign and exponent included. */
#define TABULAR_NUM_SIZE 32

/* Excel limits: sheet name length (UTF-16 units) and cell text length. */
#define TABULAR_SHEET_UNITS 31
#define TABULAR_SHEET_SIZE (TABULAR_SHEET_UNITS * 4 + 1)
#define TABULAR_SHEET_FALLBACK "Feuille1"
#define TABULAR_XLSX_STR_MAX 32767

/* Integers from 10^15 on lose digits as Excel numbers; keep them as text. */
#define TABULAR_XLSX_INT_LIMIT 1000000000000000LL

/* Column widths in Excel character units. */
#define TABULAR_WIDTH_MIN 8
#define TABULAR_WIDTH_MAX 60

/* ---------------------------------------------------------------- */
/* Growable output buffer with a sticky failure flag, so the CSV      */
/* writer can append freely and check for out-of-memory once.        */

struct tabular_buf {
	char *data;
	size_t len;
	size_t cap;
	bool failed;
};

/* Make room for n more bytes plus the final NUL, doubling capacity. */
static int tabular_buf_grow(struct tabular_buf *b, size_t n)
{
	size_t need, cap;
	char *grown;

	if (n > SIZE_MAX - b->len - 1)
		return -1;
	need = b->len + n + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	grown = realloc(b->data, cap);
	if (!grown)
		return -1;
	b->data = grown;
	b->cap = cap;
	return 0;
}

static void tabular_buf_add(struct tabular_buf *b, const char *p, size_t n)
{
	if (b->failed)
		return;
	if (tabular_buf_grow(b, n) < 0) {
		b->failed = true;
		return;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

static void tabular_buf_adds(struct tabular_buf *b, const char *s)
{
	tabular_buf_add(b, s, strlen(s));
}

/* ---------------------------------------------------------------- */
/* Input validation and cell formatting shared by both formats.      */

/* Shape check done up front so neither writer produces half a file. */
static int tabular_check(json_t *columns, json_t *rows)
{
	size_t i;
	json_t *v;

	if (!json_is_array(columns) || json_array_size(columns) == 0 ||
	    !json_is_array(rows))
		return -1;
	json_array_foreach(columns, i, v) {
		json_t *label = json_object_get(v, "label");

		if (!json_is_string(json_object_get(v, "key")))
			return -1;
		if (label && !json_is_null(label) && !json_is_string(label))
			return -1;
	}
	json_array_foreach(rows, i, v) {
		if (!json_is_object(v))
			return -1;
	}
	return 0;
}

static const char *tabular_label(json_t *column)
{
	json_t *label = json_object_get(column, "label");

	if (json_is_string(label))
		return json_string_value(label);
	return json_string_value(json_object_get(column, "key"));
}

static json_t *tabular_cell(json_t *row, json_t *column)
{
	return json_object_get(row,
			       json_string_value(json_object_get(column, "key")));
}

/*
 * Shortest "%.Ng" that reads back to the same double, formatted in the C
 * locale: the application may have called setlocale() with a French
 * locale, whose ',' decimal separator would collide with CSV numbers.
 * uselocale() is per thread, so concurrent requests are not affected.
 */
static int tabular_format_real(double v, char *buf, size_t size)
{
	locale_t c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	locale_t previous;
	int prec, written, ret = -1;

	if (c_locale == (locale_t)0)
		goto out;
	previous = uselocale(c_locale);
	for (prec = 15; prec <= 17; prec++) {
		written = snprintf(buf, size, "%.*g", prec, v);
		if (written < 0 || (size_t)written >= size)
			break;
		if (prec == 17 || strtod(buf, NULL) == v) {
			ret = 0;
			break;
		}
	}
	uselocale(previous);
out:
	if (c_locale != (locale_t)0)
		freelocale(c_locale);
	return ret;
}

/*
 * Text of a scalar cell: strings as-is, numbers formatted into `num`,
 * booleans in French, null/absent empty. Arrays and objects are a
 * handler bug and make the export fail.
 */
static int tabular_scalar_text(json_t *cell, char *num, const char **text)
{
	int written;

	switch (cell ? json_typeof(cell) : JSON_NULL) {
	case JSON_STRING:
		*text = json_string_value(cell);
		return 0;
	case JSON_INTEGER:
		written = snprintf(num, TABULAR_NUM_SIZE,
				   "%" JSON_INTEGER_FORMAT,
				   json_integer_value(cell));
		*text = num;
		return written > 0 && written < TABULAR_NUM_SIZE ? 0 : -1;
	case JSON_REAL:
		*text = num;
		return tabular_format_real(json_real_value(cell), num,
					   TABULAR_NUM_SIZE);
	case JSON_TRUE:
		*text = "oui";
		return 0;
	case JSON_FALSE:
		*text = "non";
		return 0;
	case JSON_NULL:
		*text = "";
		return 0;
	default:
		return -1;
	}
}

/* ---------------------------------------------------------------- */
/* CSV                                                                */

/*
 * A text cell: apostrophe before a formula trigger (spreadsheets would
 * otherwise evaluate "=HYPERLINK(...)" typed by a user), then RFC 4180
 * quoting when the separator, a quote or a line break is inside.
 */
static void tabular_csv_text(struct tabular_buf *b, const char *s)
{
	bool quote = strpbrk(s, ";\"\r\n") != NULL;
	bool neutralise = s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
	const char *p, *q;

	if (quote)
		tabular_buf_add(b, "\"", 1);
	if (neutralise)
		tabular_buf_add(b, "'", 1);
	for (p = s; (q = strchr(p, '"')) != NULL; p = q + 1) {
		tabular_buf_add(b, p, (size_t)(q - p) + 1);
		tabular_buf_add(b, "\"", 1);
	}
	tabular_buf_adds(b, p);
	if (quote)
		tabular_buf_add(b, "\"", 1);
}

static void tabular_csv_header(struct tabular_buf *b, json_t *columns)
{
	size_t i;
	json_t *column;

	json_array_foreach(columns, i, column) {
		if (i > 0)
			tabular_buf_add(b, ";", 1);
		tabular_csv_text(b, tabular_label(column));
	}
	tabular_buf_add(b, "\r\n", 2);
}

static int tabular_csv_row(struct tabular_buf *b, json_t *columns,
			   json_t *row)
{
	char num[TABULAR_NUM_SIZE];
	const char *text;
	size_t i;
	json_t *column, *cell;

	json_array_foreach(columns, i, column) {
		cell = tabular_cell(row, column);
		if (tabular_scalar_text(cell, num, &text) < 0)
			return -1;
		if (i > 0)
			tabular_buf_add(b, ";", 1);
		/* Only text is neutralised: the number -1 must stay -1. */
		if (json_is_string(cell))
			tabular_csv_text(b, text);
		else
			tabular_buf_adds(b, text);
	}
	tabular_buf_add(b, "\r\n", 2);
	return 0;
}

int tabular_csv(json_t *columns, json_t *rows, char **out, size_t *len)
{
	struct tabular_buf b = { 0 };
	size_t i;
	json_t *row;
	int ret = -1;

	if (!out || !len)
		goto out;
	*out = NULL;
	*len = 0;
	if (tabular_check(columns, rows) < 0)
		goto out;
	/* The BOM is what makes Excel read the file as UTF-8. */
	tabular_buf_add(&b, "\xEF\xBB\xBF", 3);
	tabular_csv_header(&b, columns);
	json_array_foreach(rows, i, row) {
		if (tabular_csv_row(&b, columns, row) < 0)
			goto out;
	}
	if (b.failed)
		goto out;
	b.data[b.len] = '\0';
	*out = b.data;
	*len = b.len;
	b.data = NULL;
	ret = 0;
out:
	free(b.data);
	return ret;
}

const char *tabular_csv_content_type(void)
{
	return "text/csv; charset=utf-8";
}

/* ---------------------------------------------------------------- */
/* UTF-8 helpers for Excel's length limits                            */

/*
 * Length of the well-formed UTF-8 sequence starting at s (n bytes
 * available), or 0 if it is malformed (overlong, surrogate, > U+10FFFF,
 * truncated). The sheet name comes from C code, not from jansson, so it
 * is not known to be valid and would corrupt workbook.xml otherwise.
 */
static size_t tabular_utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char lo = 0x80, hi = 0xBF;
	size_t k, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] < 0xC2 || s[0] > 0xF4)
		return 0;
	k = s[0] < 0xE0 ? 2 : s[0] < 0xF0 ? 3 : 4;
	if (s[0] == 0xE0)
		lo = 0xA0;
	else if (s[0] == 0xED)
		hi = 0x9F;
	else if (s[0] == 0xF0)
		lo = 0x90;
	else if (s[0] == 0xF4)
		hi = 0x8F;
	if (n < k || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < k; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	}
	return k;
}

/*
 * Bytes of the longest prefix of valid UTF-8 `s` that fits in `max`
 * UTF-16 units, the unit Excel counts in; `*units` gets the count.
 * Characters beyond the BMP (4-byte sequences) take two units.
 */
static size_t tabular_utf16_prefix(const char *s, size_t max, size_t *units)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, used = 0, u;

	for (i = 0; p[i] != '\0'; i++) {
		if ((p[i] & 0xC0) == 0x80)
			continue;
		u = p[i] >= 0xF0 ? 2 : 1;
		if (used + u > max)
			break;
		used += u;
	}
	if (units)
		*units = used;
	return i;
}

static bool tabular_sheet_bad_char(unsigned char c)
{
	return c < 0x20 || c == 0x7F || strchr("[]:*?/\\", c) != NULL;
}

/* Make `in` acceptable to Excel as a sheet name; see tabular.h. */
static void tabular_sheet_name(const char *in, char out[TABULAR_SHEET_SIZE])
{
	const unsigned char *s = (const unsigned char *)(in ? in : "");
	size_t n = strlen((const char *)s), i = 0, o = 0, units = 0, k, u;

	while (i < n && s[i] == '\'')
		i++;
	while (i < n) {
		k = tabular_utf8_seq(s + i, n - i);
		u = k == 4 ? 2 : 1;
		if (units + u > TABULAR_SHEET_UNITS)
			break;
		units += u;
		if (k == 0 || (k == 1 && tabular_sheet_bad_char(s[i]))) {
			out[o++] = '-';
			i++;
			continue;
		}
		memcpy(out + o, s + i, k);
		o += k;
		i += k;
	}
	while (o > 0 && out[o - 1] == '\'')
		o--;
	out[o] = '\0';
	/* "History" is reserved by Excel itself. */
	if (o == 0 || strcasecmp(out, "History") == 0)
		memcpy(out, TABULAR_SHEET_FALLBACK, sizeof(TABULAR_SHEET_FALLBACK));
}

/* ---------------------------------------------------------------- */
/* XLSX cells                                                         */

struct tabular_book {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold;
	lxw_format *date;
};

static bool tabular_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
	}
	return true;
}

/* Exactly "YYYY-MM-DD", a real calendar day, in Excel's range. */
static bool tabular_parse_date(const char *s, lxw_datetime *dt)
{
	static const int days[12] = { 31, 29, 31, 30, 31, 30,
				      31, 31, 30, 31, 30, 31 };
	bool leap;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    !tabular_digits(s, 4) || !tabular_digits(s + 5, 2) ||
	    !tabular_digits(s + 8, 2))
		return false;
	memset(dt, 0, sizeof(*dt));
	dt->year = (int)strtol(s, NULL, 10);
	dt->month = (int)strtol(s + 5, NULL, 10);
	dt->day = (int)strtol(s + 8, NULL, 10);
	if (dt->year < 1900 || dt->month < 1 || dt->month > 12 ||
	    dt->day < 1 || dt->day > days[dt->month - 1])
		return false;
	leap = (dt->year % 4 == 0 && dt->year % 100 != 0) ||
	       dt->year % 400 == 0;
	return !(dt->month == 2 && dt->day == 29 && !leap);
}

/* Plain text, cut to Excel's limit rather than failing the export. */
static int tabular_xlsx_text(struct tabular_book *bk, lxw_row_t r,
			     lxw_col_t c, const char *s, lxw_format *fmt)
{
	size_t n = tabular_utf16_prefix(s, TABULAR_XLSX_STR_MAX, NULL);
	char *cut = NULL;
	int ret = -1;

	if (s[n] != '\0') {
		cut = strndup(s, n);
		if (!cut)
			goto out;
		s = cut;
	}
	if (worksheet_write_string(bk->ws, r, c, s, fmt) != LXW_NO_ERROR)
		goto out;
	ret = 0;
out:
	free(cut);
	return ret;
}

static int tabular_xlsx_integer(struct tabular_book *bk, lxw_row_t r,
				lxw_col_t c, json_int_t v)
{
	char num[TABULAR_NUM_SIZE];

	if (v > -TABULAR_XLSX_INT_LIMIT && v < TABULAR_XLSX_INT_LIMIT)
		return worksheet_write_number(bk->ws, r, c, (double)v, NULL) ==
				       LXW_NO_ERROR ? 0 : -1;
	snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, v);
	return tabular_xlsx_text(bk, r, c, num, NULL);
}

static int tabular_xlsx_cell(struct tabular_book *bk, lxw_row_t r,
			     lxw_col_t c, json_t *cell)
{
	lxw_datetime dt;

	switch (cell ? json_typeof(cell) : JSON_NULL) {
	case JSON_NULL:
		return 0;
	case JSON_STRING:
		if (tabular_parse_date(json_string_value(cell), &dt))
			return worksheet_write_datetime(bk->ws, r, c, &dt,
							bk->date) ==
				       LXW_NO_ERROR ? 0 : -1;
		return tabular_xlsx_text(bk, r, c, json_string_value(cell),
					 NULL);
	case JSON_INTEGER:
		return tabular_xlsx_integer(bk, r, c, json_integer_value(cell));
	case JSON_REAL:
		return worksheet_write_number(bk->ws, r, c,
					      json_real_value(cell), NULL) ==
			       LXW_NO_ERROR ? 0 : -1;
	case JSON_TRUE:
		return tabular_xlsx_text(bk, r, c, "oui", NULL);
	case JSON_FALSE:
		return tabular_xlsx_text(bk, r, c, "non", NULL);
	default:
		return -1;
	}
}

/* ---------------------------------------------------------------- */
/* XLSX sheet layout                                                  */

/* Displayed width of a cell in characters (dates show as 10 either way). */
static size_t tabular_cell_width(json_t *cell)
{
	char num[TABULAR_NUM_SIZE];
	const char *text;
	size_t units;

	if (tabular_scalar_text(cell, num, &text) < 0)
		return 0;
	tabular_utf16_prefix(text, SIZE_MAX, &units);
	return units;
}

/* Widen each column to its longest value, within reason. */
static int tabular_xlsx_widths(struct tabular_book *bk, json_t *columns,
			       json_t *rows)
{
	size_t c, r, w, cw;
	json_t *column, *row;

	json_array_foreach(columns, c, column) {
		/* +1: the bold header is a little wider than body text. */
		tabular_utf16_prefix(tabular_label(column), SIZE_MAX, &w);
		w++;
		json_array_foreach(rows, r, row) {
			cw = tabular_cell_width(tabular_cell(row, column));
			if (cw > w)
				w = cw;
		}
		w += 2;
		w = w < TABULAR_WIDTH_MIN ? TABULAR_WIDTH_MIN : w;
		w = w > TABULAR_WIDTH_MAX ? TABULAR_WIDTH_MAX : w;
		if (worksheet_set_column(bk->ws, (lxw_col_t)c, (lxw_col_t)c,
					 (double)w, NULL) != LXW_NO_ERROR)
			return -1;
	}
	return 0;
}

static int tabular_xlsx_fill(struct tabular_book *bk, json_t *columns,
			     json_t *rows)
{
	size_t ncols = json_array_size(columns), nrows = json_array_size(rows);
	size_t c, r;
	json_t *column, *row;

	/* The header takes one of Excel's rows. */
	if (ncols > LXW_COL_MAX || nrows >= LXW_ROW_MAX)
		return -1;
	json_array_foreach(columns, c, column) {
		if (tabular_xlsx_text(bk, 0, (lxw_col_t)c,
				      tabular_label(column), bk->bold) < 0)
			return -1;
	}
	json_array_foreach(rows, r, row) {
		json_array_foreach(columns, c, column) {
			if (tabular_xlsx_cell(bk, (lxw_row_t)(r + 1),
					      (lxw_col_t)c,
					      tabular_cell(row, column)) < 0)
				return -1;
		}
	}
	if (tabular_xlsx_widths(bk, columns, rows) < 0)
		return -1;
	worksheet_freeze_panes(bk->ws, 1, 0);
	return worksheet_autofilter(bk->ws, 0, 0, (lxw_row_t)nrows,
				    (lxw_col_t)(ncols - 1)) == LXW_NO_ERROR ?
		       0 : -1;
}

/* Write the whole workbook to `path`; `tmpdir` holds its scratch files. */
static int tabular_xlsx_build(const char *path, char *tmpdir,
			      json_t *columns, json_t *rows,
			      const char *sheet_name)
{
	lxw_workbook_options opts = { .constant_memory = LXW_FALSE,
				      .tmpdir = tmpdir,
				      .use_zip64 = LXW_FALSE };
	struct tabular_book bk = { 0 };
	char name[TABULAR_SHEET_SIZE];
	int ret = -1;

	bk.wb = workbook_new_opt(path, &opts);
	if (!bk.wb)
		goto out;
	tabular_sheet_name(sheet_name, name);
	bk.ws = workbook_add_worksheet(bk.wb, name);
	bk.bold = workbook_add_format(bk.wb);
	bk.date = workbook_add_format(bk.wb);
	if (!bk.ws || !bk.bold || !bk.date)
		goto out;
	format_set_bold(bk.bold);
	format_set_num_format(bk.date, "dd/mm/yyyy");
	if (tabular_xlsx_fill(&bk, columns, rows) < 0)
		goto out;
	ret = 0;
out:
	/* workbook_close() is also the only way to free a workbook. */
	if (bk.wb && workbook_close(bk.wb) != LXW_NO_ERROR)
		ret = -1;
	return ret;
}

/* ---------------------------------------------------------------- */
/* XLSX temporary file                                                */

/*
 * Create the private (0600) file libxlsxwriter will write to. `dir` gets
 * the directory so libxlsxwriter's own scratch files land there too.
 * Returns the descriptor, kept open so the result is read back from the
 * very inode we created.
 */
static int tabular_temp_file(char *dir, size_t dir_size, char *path,
			     size_t path_size)
{
	const char *env = getenv("TMPDIR");
	const char *base = env && *env ? env : "/tmp";
	int written;

	written = snprintf(dir, dir_size, "%s", base);
	if (written < 0 || (size_t)written >= dir_size)
		return -1;
	written = snprintf(path, path_size, "%s/parcours-tabular-XXXXXX", base);
	if (written < 0 || (size_t)written >= path_size)
		return -1;
	return mkostemp(path, O_CLOEXEC);
}

static int tabular_read_fd(int fd, char **out, size_t *len)
{
	struct stat st;
	char *buf = NULL;
	size_t size, done = 0;
	ssize_t got;
	int ret = -1;

	if (fstat(fd, &st) < 0 || st.st_size <= 0 ||
	    (uintmax_t)st.st_size >= SIZE_MAX)
		goto out;
	size = (size_t)st.st_size;
	buf = malloc(size + 1);
	if (!buf)
		goto out;
	while (done < size) {
		got = pread(fd, buf + done, size - done, (off_t)done);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			goto out;
		done += (size_t)got;
	}
	buf[size] = '\0';
	*out = buf;
	*len = size;
	buf = NULL;
	ret = 0;
out:
	free(buf);
	return ret;
}

int tabular_xlsx(json_t *columns, json_t *rows, const char *sheet_name,
		 char **out, size_t *len)
{
	char dir[PATH_MAX], path[PATH_MAX];
	int fd = -1, ret = -1;

	if (!out || !len)
		goto out;
	*out = NULL;
	*len = 0;
	if (tabular_check(columns, rows) < 0)
		goto out;
	fd = tabular_temp_file(dir, sizeof(dir), path, sizeof(path));
	if (fd < 0)
		goto out;
	if (tabular_xlsx_build(path, dir, columns, rows, sheet_name) < 0)
		goto out;
	ret = tabular_read_fd(fd, out, len);
out:
	if (fd >= 0) {
		unlink(path);
		close(fd);
	}
	return ret;
}

const char *tabular_xlsx_content_type(void)
{
	return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
}
