/* xlsx_read.c — the first sheet of an XLSX workbook, row by row; see
 * xlsx_read.h and docs/modules/lists.md. */
#include "exchange/xlsx_read.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>
#include <zip.h>

#include "base/buf.h"
#include "base/date.h"

const struct xlsx_limits xlsx_default_limits = {
	.max_entries = 1000,
	.max_entry = (uint64_t)256 << 20,
	.max_total = (uint64_t)512 << 20,
	.max_ratio = 100,
};

#define XLSX_MAX_STYLES 65536
#define XLSX_MAX_STRINGS (4L << 20)
#define XLSX_PART_NAME 256

/* One part of the archive being streamed, with the bytes it inflated. */
struct part {
	struct xlsx *x;
	zip_file_t *zf;
	uint64_t declared, read;
	char name[XLSX_PART_NAME];
};

struct xlsx {
	zip_t *zip;
	struct xlsx_limits lim;
	uint64_t total;           /* bytes inflated so far, every part */
	char error[600];
	int date1904;
	/* Shared strings: their texts one after the other, NUL-separated. */
	struct buf strings;
	size_t *string_at;
	long nstrings;
	/* Per cell style (xf) index: does it show a date? */
	unsigned char *xf_date;
	long nxf;
	/* The sheet being read. */
	struct part sheet;
	xmlTextReaderPtr reader;
	int done;
	long line;                /* the last row's number */
	/* The row being built. */
	struct buf row;
	size_t cell_at[XLSX_MAX_CELLS];
	char sheet_name[XLSX_PART_NAME], strings_name[XLSX_PART_NAME],
		styles_name[XLSX_PART_NAME];
};

/* ---- dates ---------------------------------------------------------------- */

int xlsx_serial_day(double serial, int date1904, long *day)
{
	long whole;

	if (!(serial >= 0) || serial > 2958465.0) /* 9999-12-31 */
		return -1;
	whole = (long)floor(serial);
	if (date1904)
		*day = date_from_civil(1904, 1, 1) + whole;
	else if (whole >= 61 || whole == 0)
		*day = date_from_civil(1899, 12, 30) + whole;
	else if (whole == 60)
		return -1; /* 29 February 1900, a day that never was */
	else
		*day = date_from_civil(1899, 12, 31) + whole;
	return whole == 0 && !date1904 ? -1 : 0;
}

/* Built-in date formats (ECMA-376 §18.8.30: 14–22, 45–47) and the ones
 * that locales put at 27–36 and 50–58; a custom code shows a date when it
 * holds d, m or y outside quotes, brackets and escapes (not "0.00"). */
int xlsx_date_format(int id, const char *code)
{
	int quoted = 0, bracket = 0;

	if ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
	    (id >= 50 && id <= 58))
		return 1;
	for (const char *p = code; p && *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			continue;
		}
		if (*p == '"')
			quoted = !quoted;
		else if (!quoted && *p == '[')
			bracket = 1;
		else if (!quoted && *p == ']')
			bracket = 0;
		else if (!quoted && !bracket && strchr("dDmMyY", *p))
			return 1;
	}
	return 0;
}

/* ---- parts of the archive ------------------------------------------------- */

static int fail(struct xlsx *x, const char *fmt, const char *what)
{
	if (!x->error[0])
		snprintf(x->error, sizeof x->error, fmt, what);
	return -1;
}

/* Reads inflated bytes for libxml2, counting them against the limits. */
static int part_read(void *ctx, char *out, int len)
{
	struct part *p = ctx;
	zip_int64_t n = zip_fread(p->zf, out, (zip_uint64_t)len);

	if (n < 0)
		return fail(p->x, "« %s » ne se décompresse pas : archive abîmée", p->name);
	p->read += (uint64_t)n;
	p->x->total += (uint64_t)n;
	if (p->read > p->declared)
		return fail(p->x, "« %s » donne plus d'octets que l'archive n'en annonce : "
				  "fichier refusé (bombe de décompression ?)", p->name);
	if (p->x->total > p->x->lim.max_total)
		return fail(p->x, "%s : le classeur décompressé dépasse la limite", "refusé");
	return (int)n;
}

static int part_close(void *ctx)
{
	struct part *p = ctx;

	if (p->zf)
		zip_fclose(p->zf);
	p->zf = NULL;
	return 0;
}

/* A streaming reader over entry name; NULL when absent (missing says so)
 * or on a failure (x->error). */
static xmlTextReaderPtr part_open(struct xlsx *x, struct part *p, const char *name, int *missing)
{
	zip_int64_t index = zip_name_locate(x->zip, name, 0);
	zip_stat_t st;

	*missing = index < 0;
	if (index < 0)
		return NULL;
	memset(p, 0, sizeof *p);
	p->x = x;
	snprintf(p->name, sizeof p->name, "%s", name);
	zip_stat_init(&st);
	if (zip_stat_index(x->zip, (zip_uint64_t)index, 0, &st) || !(st.valid & ZIP_STAT_SIZE) ||
	    !(p->zf = zip_fopen_index(x->zip, (zip_uint64_t)index, 0))) {
		fail(x, "« %s » ne peut pas être lu dans l'archive", name);
		return NULL;
	}
	p->declared = st.size;
	/* No network, no entities replaced, no DTD loaded; a DOCTYPE is
	 * refused by the callers (none belongs in a workbook). */
	return xmlReaderForIO(part_read, part_close, p, name, NULL,
			      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
				      XML_PARSE_COMPACT);
}

static int is_element(xmlTextReaderPtr r, const char *name)
{
	return xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT &&
	       !strcmp((const char *)xmlTextReaderConstLocalName(r), name);
}

static int is_end(xmlTextReaderPtr r, const char *name)
{
	return xmlTextReaderNodeType(r) == XML_READER_TYPE_END_ELEMENT &&
	       !strcmp((const char *)xmlTextReaderConstLocalName(r), name);
}

/* One step of a part; 1 a node, 0 the end, -1 malformed (x->error). */
static int step(struct xlsx *x, xmlTextReaderPtr r, const char *part)
{
	int rc = xmlTextReaderRead(r);

	if (rc == 1 && xmlTextReaderNodeType(r) == XML_READER_TYPE_DOCUMENT_TYPE)
		return fail(x, "« %s » déclare une DTD : refusé", part);
	if (rc < 0)
		return fail(x, "« %s » n'est pas du XML bien formé", part);
	return rc;
}

static char *attr(xmlTextReaderPtr r, const char *name)
{
	return (char *)xmlTextReaderGetAttribute(r, (const xmlChar *)name);
}

/* Where a relationship's target lives in the archive (relative to xl/). */
static void target_path(const char *target, char out[XLSX_PART_NAME])
{
	if (target[0] == '/')
		snprintf(out, XLSX_PART_NAME, "%s", target + 1);
	else
		snprintf(out, XLSX_PART_NAME, "xl/%s", target);
}

/* ---- the archive's limits ------------------------------------------------- */

static int check_entries(struct xlsx *x)
{
	zip_int64_t n = zip_get_num_entries(x->zip, 0);
	uint64_t total = 0;
	zip_stat_t st;

	if (n < 0 || n > x->lim.max_entries) {
		snprintf(x->error, sizeof x->error, "l'archive compte %lld entrées : %ld au plus",
			 (long long)n, x->lim.max_entries);
		return -1;
	}
	for (zip_int64_t i = 0; i < n; i++) {
		zip_stat_init(&st);
		if (zip_stat_index(x->zip, (zip_uint64_t)i, 0, &st))
			return fail(x, "%s", "une entrée de l'archive est illisible");
		if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
			return fail(x, "« %s » est chiffré : enregistrer le classeur sans mot de "
				       "passe", st.name);
		if ((st.valid & ZIP_STAT_COMP_METHOD) && st.comp_method != ZIP_CM_STORE &&
		    st.comp_method != ZIP_CM_DEFLATE)
			return fail(x, "« %s » utilise une méthode de compression inhabituelle : "
				       "enregistrer le classeur de nouveau", st.name);
		if (st.size > x->lim.max_entry)
			return fail(x, "« %s » dépasse la taille permise une fois décompressé",
				    st.name);
		if (st.size > ((uint64_t)1 << 20) &&
		    st.size / (st.comp_size ? st.comp_size : 1) > x->lim.max_ratio)
			return fail(x, "« %s » se décompresse plus de 100 fois : fichier refusé "
				       "(bombe de décompression ?)", st.name);
		total += st.size;
	}
	if (total > x->lim.max_total)
		return fail(x, "%s", "le classeur décompressé dépasse la taille permise");
	return 0;
}

/* ---- workbook, relationships, styles, shared strings ---------------------- */

/* The first sheet's relationship id and the date system. */
static int read_workbook(struct xlsx *x, char rid[XLSX_PART_NAME])
{
	struct part p;
	int missing, rc;
	xmlTextReaderPtr r = part_open(x, &p, "xl/workbook.xml", &missing);

	rid[0] = '\0';
	if (!r)
		return fail(x, "%s", missing ? "ce fichier n'est pas un classeur XLSX (pas de "
					       "xl/workbook.xml)" : "xl/workbook.xml illisible");
	while ((rc = step(x, r, "xl/workbook.xml")) == 1) {
		if (is_element(r, "workbookPr")) {
			char *v = attr(r, "date1904");
			x->date1904 = v && (!strcmp(v, "1") || !strcmp(v, "true"));
			xmlFree(v);
		} else if (is_element(r, "sheet") && !rid[0]) {
			char *v = (char *)xmlTextReaderGetAttributeNs(
				r, (const xmlChar *)"id",
				(const xmlChar *)"http://schemas.openxmlformats.org/officeDocument/"
						 "2006/relationships");
			snprintf(rid, XLSX_PART_NAME, "%s", v ? v : "");
			xmlFree(v);
		}
	}
	xmlFreeTextReader(r);
	if (rc < 0)
		return -1;
	return rid[0] ? 0 : fail(x, "%s", "le classeur n'a aucune feuille");
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* The parts named by xl/_rels/workbook.xml.rels: the first sheet, the
 * shared strings, the styles (usual names when the file has no rels). */
static int read_rels(struct xlsx *x, const char *rid)
{
	struct part p;
	int missing, rc;
	xmlTextReaderPtr r = part_open(x, &p, "xl/_rels/workbook.xml.rels", &missing);

	snprintf(x->sheet_name, sizeof x->sheet_name, "xl/worksheets/sheet1.xml");
	snprintf(x->strings_name, sizeof x->strings_name, "xl/sharedStrings.xml");
	snprintf(x->styles_name, sizeof x->styles_name, "xl/styles.xml");
	if (!r)
		return missing ? 0 : -1;
	while ((rc = step(x, r, "xl/_rels/workbook.xml.rels")) == 1) {
		char *id, *type, *target;
		if (!is_element(r, "Relationship"))
			continue;
		id = attr(r, "Id");
		type = attr(r, "Type");
		target = attr(r, "Target");
		if (id && target && !strcmp(id, rid))
			target_path(target, x->sheet_name);
		else if (type && target && ends_with(type, "/sharedStrings"))
			target_path(target, x->strings_name);
		else if (type && target && ends_with(type, "/styles"))
			target_path(target, x->styles_name);
		xmlFree(id);
		xmlFree(type);
		xmlFree(target);
	}
	xmlFreeTextReader(r);
	return rc < 0 ? -1 : 0;
}

struct custom_formats {
	int n;
	int id[256];
	unsigned char date[256];
};

static int format_is_date(const struct custom_formats *f, int id)
{
	for (int i = 0; i < f->n; i++)
		if (f->id[i] == id)
			return f->date[i];
	return xlsx_date_format(id, NULL);
}

static void style_element(struct xlsx *x, xmlTextReaderPtr r, struct custom_formats *f,
			  int *in_xfs)
{
	char *id, *code;

	if (is_element(r, "numFmt") && f->n < 256) {
		id = attr(r, "numFmtId");
		code = attr(r, "formatCode");
		f->id[f->n] = id ? (int)strtol(id, NULL, 10) : -1;
		f->date[f->n++] = (unsigned char)xlsx_date_format(-1, code);
		xmlFree(id);
		xmlFree(code);
	} else if (is_element(r, "cellXfs")) {
		*in_xfs = !xmlTextReaderIsEmptyElement(r);
	} else if (is_end(r, "cellXfs")) {
		*in_xfs = 0;
	} else if (*in_xfs && is_element(r, "xf") && x->nxf < XLSX_MAX_STYLES) {
		id = attr(r, "numFmtId");
		x->xf_date[x->nxf++] =
			(unsigned char)format_is_date(f, id ? (int)strtol(id, NULL, 10) : 0);
		xmlFree(id);
	}
}

/* Which cell styles show dates (cellXfs, in order, by their number format). */
static int read_styles(struct xlsx *x)
{
	struct custom_formats f = { 0 };
	struct part p;
	int missing, rc, in_xfs = 0;
	xmlTextReaderPtr r;

	x->xf_date = calloc(XLSX_MAX_STYLES, 1);
	if (!x->xf_date)
		return fail(x, "%s", "mémoire insuffisante");
	r = part_open(x, &p, x->styles_name, &missing);
	if (!r)
		return missing ? 0 : -1;
	while ((rc = step(x, r, x->styles_name)) == 1)
		style_element(x, r, &f, &in_xfs);
	xmlFreeTextReader(r);
	return rc < 0 ? -1 : 0;
}

/* Text of a <t> element (r on its start) appended to b; the reader is left
 * on its end. Phonetic runs (<rPh>) are skipped by the callers. */
static int add_text(struct xlsx *x, xmlTextReaderPtr r, struct buf *b, const char *part,
		    int *too_long)
{
	int rc;

	if (xmlTextReaderIsEmptyElement(r))
		return 1;
	while ((rc = step(x, r, part)) == 1 && !is_end(r, "t")) {
		int type = xmlTextReaderNodeType(r);
		if ((type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
		     type == XML_READER_TYPE_WHITESPACE ||
		     type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) &&
		    buf_addstr(b, (const char *)xmlTextReaderConstValue(r)))
			*too_long = 1;
	}
	return rc;
}

/* The texts of a string item (<si> or <is>), r on its start: every <t>
 * outside phonetic runs. */
static int string_item(struct xlsx *x, xmlTextReaderPtr r, const char *end, struct buf *b,
		       const char *part, int *too_long)
{
	int rc = 1, phonetic = 0;

	if (xmlTextReaderIsEmptyElement(r))
		return 1;
	while ((rc = step(x, r, part)) == 1 && !is_end(r, end)) {
		if (is_element(r, "rPh") && !xmlTextReaderIsEmptyElement(r))
			phonetic = 1;
		else if (is_end(r, "rPh"))
			phonetic = 0;
		else if (is_element(r, "t") && !phonetic)
			rc = add_text(x, r, b, part, too_long);
		if (rc != 1)
			break;
	}
	return rc;
}

static int add_string(struct xlsx *x, size_t start)
{
	size_t *grown;

	if (x->nstrings % 4096 == 0) {
		if (x->nstrings >= XLSX_MAX_STRINGS)
			return fail(x, "%s", "plus de 4 millions de textes partagés : refusé");
		grown = realloc(x->string_at, (size_t)(x->nstrings + 4096) * sizeof *grown);
		if (!grown)
			return fail(x, "%s", "mémoire insuffisante");
		x->string_at = grown;
	}
	x->string_at[x->nstrings++] = start;
	return buf_addch(&x->strings, '\0') ? fail(x, "%s", "textes partagés trop longs") : 0;
}

static int read_strings(struct xlsx *x)
{
	struct part p;
	int missing, rc, too_long = 0;
	xmlTextReaderPtr r;

	buf_init(&x->strings, (size_t)x->lim.max_entry);
	r = part_open(x, &p, x->strings_name, &missing);
	if (!r)
		return missing ? 0 : -1;
	while ((rc = step(x, r, x->strings_name)) == 1) {
		size_t start = x->strings.len;
		if (!is_element(r, "si"))
			continue;
		rc = string_item(x, r, "si", &x->strings, x->strings_name, &too_long);
		if (rc != 1 || too_long || add_string(x, start)) {
			rc = rc == 1 ? -1 : rc;
			break;
		}
	}
	xmlFreeTextReader(r);
	if (too_long)
		return fail(x, "%s", "textes partagés trop longs");
	return rc < 0 ? fail(x, "« %s » illisible", x->strings_name) : 0;
}

/* ---- opening -------------------------------------------------------------- */

/* A Compound File (OLE) container: a password-protected workbook, or the
 * old .xls format. */
static int is_ole(const char *path)
{
	static const unsigned char magic[8] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };
	unsigned char head[8];
	FILE *f = fopen(path, "rb");
	int ole = f && fread(head, 1, 8, f) == 8 && !memcmp(head, magic, 8);

	if (f)
		fclose(f);
	return ole;
}

static int open_archive(struct xlsx *x, const char *path)
{
	int code = 0;
	zip_error_t ze;

	if (is_ole(path)) {
		snprintf(x->error, sizeof x->error, "classeur protégé par un mot de passe ou au "
			 "format .xls : l'enregistrer au format .xlsx sans mot de passe");
		return -1;
	}
	x->zip = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &code);
	if (x->zip)
		return 0;
	zip_error_init_with_code(&ze, code);
	snprintf(x->error, sizeof x->error, "%s",
		 code == ZIP_ER_NOZIP ? "ce fichier n'est pas un classeur XLSX (archive zip)"
		 : code == ZIP_ER_OPEN || code == ZIP_ER_NOENT ? "ne peut pas être ouvert"
							       : "archive zip illisible");
	zip_error_fini(&ze);
	return -1;
}

int xlsx_open(struct xlsx **out, const char *path, const struct xlsx_limits *limits, char *why,
	      size_t size)
{
	struct xlsx *x = calloc(1, sizeof *x);
	char rid[XLSX_PART_NAME];
	int missing;

	*out = NULL;
	if (!x) {
		snprintf(why, size, "mémoire insuffisante");
		return -1;
	}
	x->lim = limits ? *limits : xlsx_default_limits;
	buf_init(&x->row, XLSX_MAX_ROW);
	if (open_archive(x, path) || check_entries(x) || read_workbook(x, rid) ||
	    read_rels(x, rid) || read_styles(x) || read_strings(x) ||
	    !(x->reader = part_open(x, &x->sheet, x->sheet_name, &missing))) {
		if (!x->error[0])
			snprintf(x->error, sizeof x->error, "la feuille « %s » est absente",
				 x->sheet_name);
		snprintf(why, size, "%s", x->error);
		xlsx_close(x);
		return -1;
	}
	*out = x;
	return 0;
}

void xlsx_close(struct xlsx *x)
{
	if (!x)
		return;
	if (x->reader)
		xmlFreeTextReader(x->reader);
	part_close(&x->sheet);
	if (x->zip)
		zip_discard(x->zip);
	buf_release(&x->strings);
	buf_release(&x->row);
	free(x->string_at);
	free(x->xf_date);
	free(x);
}

const char *xlsx_error(const struct xlsx *x)
{
	return x->error;
}

/* ---- rows ----------------------------------------------------------------- */

/* The column of a reference ("AB12" → 27), or -1. */
static long column_of(const char *ref)
{
	long col = 0;
	int n = 0;

	for (; ref && *ref >= 'A' && *ref <= 'Z' && n < 4; ref++, n++)
		col = col * 26 + (*ref - 'A' + 1);
	return n && n < 4 ? col - 1 : -1;
}

struct cell {
	long col;
	char type[12];
	long style;
	int too_long;
	struct buf value; /* <v> or the inline string */
};

/* A number as written, integral ones without ".0" or exponent (a NIR or a
 * CAF number typed as a number); dates as YYYY-MM-DD. */
static void number_text(struct xlsx *x, const struct cell *c, struct buf *out)
{
	const char *v = buf_str(&c->value);
	char *end, text[40];
	double d = strtod(v, &end);
	long day;

	if (end == v || *end) {
		buf_addstr(out, v);
		return;
	}
	if (c->style >= 0 && c->style < x->nxf && x->xf_date[c->style] &&
	    !xlsx_serial_day(d, x->date1904, &day)) {
		date_format(day, text);
		buf_addstr(out, text);
	} else if (d == floor(d) && fabs(d) < 1e15) {
		snprintf(text, sizeof text, "%.0f", d);
		buf_addstr(out, text);
	} else {
		buf_addstr(out, v);
	}
}

/* The cell's text appended to the row. */
static void cell_text(struct xlsx *x, const struct cell *c)
{
	const char *v = buf_str(&c->value);

	if (!strcmp(c->type, "s")) {
		long i = strtol(v, NULL, 10);
		if (i >= 0 && i < x->nstrings)
			buf_addstr(&x->row, x->strings.data + x->string_at[i]);
	} else if (!strcmp(c->type, "n") || !c->type[0]) {
		number_text(x, c, &x->row);
	} else {
		buf_addstr(&x->row, v); /* inlineStr, str, b, e: as stored */
	}
}

/* Reads a <c> (reader on its start) into c. */
static int read_cell(struct xlsx *x, struct cell *c, long next_col)
{
	char *ref = attr(x->reader, "r"), *type = attr(x->reader, "t"), *s = attr(x->reader, "s");
	int rc = 1;

	c->col = ref ? column_of(ref) : next_col;
	snprintf(c->type, sizeof c->type, "%s", type ? type : "");
	c->style = s ? strtol(s, NULL, 10) : -1;
	xmlFree(ref);
	xmlFree(type);
	xmlFree(s);
	buf_reset(&c->value);
	if (xmlTextReaderIsEmptyElement(x->reader))
		return 1;
	while ((rc = step(x, x->reader, x->sheet_name)) == 1 && !is_end(x->reader, "c")) {
		if (is_element(x->reader, "v") && !xmlTextReaderIsEmptyElement(x->reader))
			while ((rc = step(x, x->reader, x->sheet_name)) == 1 &&
			       !is_end(x->reader, "v"))
				if (xmlTextReaderNodeType(x->reader) == XML_READER_TYPE_TEXT &&
				    buf_addstr(&c->value,
					       (const char *)xmlTextReaderConstValue(x->reader)))
					c->too_long = 1;
		if (is_element(x->reader, "is"))
			rc = string_item(x, x->reader, "is", &c->value, x->sheet_name,
					 &c->too_long);
		if (rc != 1)
			break;
	}
	return rc;
}

/* Places a cell in the row: empty cells fill the gap before it. */
static void place_cell(struct xlsx *x, struct xlsx_row *row, struct cell *c, const char **problem)
{
	if (c->col < 0 || c->col < (long)row->ncells) {
		*problem = "référence de cellule invalide ou en désordre";
		return;
	}
	if (c->col >= XLSX_MAX_CELLS) {
		if (buf_str(&c->value)[0])
			*problem = "plus de 128 colonnes";
		return;
	}
	while ((long)row->ncells < c->col) {
		x->cell_at[row->ncells++] = x->row.len;
		if (buf_addch(&x->row, '\0'))
			c->too_long = 1;
	}
	x->cell_at[row->ncells++] = x->row.len;
	cell_text(x, c);
	if (c->too_long || buf_addch(&x->row, '\0'))
		*problem = "ligne trop longue (64 Kio au plus)";
}

/* Reads a <row> (reader on its start). */
static int read_row(struct xlsx *x, struct xlsx_row *row, struct cell *c)
{
	char *r = attr(x->reader, "r");
	const char *problem = NULL;
	int rc = 1;

	row->line = r ? strtol(r, NULL, 10) : row->line + 1;
	xmlFree(r);
	row->ncells = 0;
	buf_reset(&x->row);
	buf_init(&c->value, XLSX_MAX_ROW);
	if (!xmlTextReaderIsEmptyElement(x->reader))
		while ((rc = step(x, x->reader, x->sheet_name)) == 1 && !is_end(x->reader, "row")) {
			if (!is_element(x->reader, "c"))
				continue;
			c->too_long = 0;
			if ((rc = read_cell(x, c, (long)row->ncells)) != 1)
				break;
			place_cell(x, row, c, &problem);
		}
	buf_release(&c->value);
	/* Trailing empty cells are not part of the row. */
	while (row->ncells && !x->row.data[x->cell_at[row->ncells - 1]])
		row->ncells--;
	for (size_t i = 0; i < row->ncells; i++)
		row->cells[i] = x->row.data + x->cell_at[i];
	row->problem = problem;
	return rc;
}

int xlsx_next(struct xlsx *x, struct xlsx_row *row)
{
	struct cell c;
	int rc;

	memset(&c, 0, sizeof c);
	if (x->done)
		return XLSX_END;
	while ((rc = step(x, x->reader, x->sheet_name)) == 1) {
		if (!is_element(x->reader, "row"))
			continue;
		row->line = x->line;
		if ((rc = read_row(x, row, &c)) != 1)
			break;
		x->line = row->line;
		if (row->ncells || row->problem)
			return XLSX_ROW;
	}
	x->done = 1;
	if (rc == 0 && !x->error[0])
		return XLSX_END;
	if (!x->error[0])
		snprintf(x->error, sizeof x->error, "« %s » n'est pas du XML bien formé",
			 x->sheet_name);
	return XLSX_ERROR;
}
