/* pdf.c — letters and sheets as PDF over cairo + pango; see pdf.h. */
#include "print/pdf.h"

#include <cairo-pdf.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "base/date.h"

/* Geometry in PDF points (1/72 inch); A4 is 210 × 297 mm. */
#define MM(x) ((x) * 72.0 / 25.4)
#define PAGE_W MM(210.0)
#define PAGE_H MM(297.0)
#define LEFT MM(20.0)
#define RIGHT (PAGE_W - MM(20.0))
#define WIDTH (RIGHT - LEFT)
#define TOP_FIRST MM(15.0)
#define TOP_NEXT MM(20.0)
#define BOTTOM (PAGE_H - MM(25.0))
#define FOOTER_RULE (PAGE_H - MM(20.0))
/* The address block: under the usual window of a French DL envelope
 * (110 × 220 mm, window on the right) once the A4 sheet is folded in three.
 * Kept here in one place so a print test with real envelopes adjusts it. */
#define WINDOW_X MM(110.0)
#define WINDOW_Y MM(50.0)
#define WINDOW_W MM(80.0)
#define WINDOW_H MM(35.0)
/* Smallest sizes (points) an address block may shrink to before its
 * middle lines are joined: 8 pt still reads well through an envelope's
 * window; 7 pt for the sender's lines under the letterhead. */
#define WINDOW_FLOOR 8.0
#define HEAD_FLOOR 7.0
#define CELL_PAD MM(1.5)
#define CELL_LINES 6
/* What a box lets through around its edges: the inner margin of a table
 * cell, room enough for two stacked accents on a capital of a first line. */
#define BLEED MM(1.5)
/* Combining marks kept in a row on one character (see text_clean()). */
#define MARKS_MAX 2
/* No box holds more lines than this at its smallest size: an address of
 * more lines has its middle lines joined straight away. */
#define BLOCK_LINES_MAX 16
/* Liberation Sans has Arial's metrics, what French administrative letters
 * usually look like; fontconfig falls back on DejaVu Sans without it. */
#define FONT_FAMILY "Liberation Sans,DejaVu Sans"

struct table {
	size_t n;
	double x[PDF_TABLE_COLUMNS], w[PDF_TABLE_COLUMNS];
	char *title[PDF_TABLE_COLUMNS];
	double min_h;
	int on;
};

struct pdf_doc {
	cairo_surface_t *surface; /* the PDF */
	cairo_t *pdf;
	PangoContext *ctx;
	PangoFontDescription *regular, *bold, *small, *small_bold, *large_bold;
	int failed;
	/* The open section: its pages are recorded, then replayed into the PDF
	 * once their count is known (for "Page i / n"). */
	int in_section;
	char *footer;
	cairo_surface_t **pages;
	size_t npages, cap;
	cairo_t *cr; /* draws on the last recorded page */
	double y, top;
	struct table table;
};

/* ---- text ---- */

static int is_bidi_control(gunichar c)
{
	return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E ||
	       c == 0x200F || c == 0x061C;
}

/* A mark drawn on the character before it without moving the pen
 * (categories Mn and Me): a run of them stacks up, and 300 of them would
 * draw a column of accents across the page. Spacing marks (Mc) advance
 * the pen like letters and are not counted. */
static int is_stacking_mark(gunichar c)
{
	GUnicodeType t = g_unichar_type(c);

	return t == G_UNICODE_NON_SPACING_MARK || t == G_UNICODE_ENCLOSING_MARK;
}

/* The text as pango may lay it out safely (see pdf.h); g_free() it.
 * Composed (NFC) first, so that "é" typed as e + U+0301 is one character
 * and copy-paste from the PDF gives what a search expects. */
static char *text_clean(const char *s, int keep_newlines)
{
	char *valid = g_utf8_make_valid(s ? s : "", -1);
	char *nfc = g_utf8_normalize(valid, -1, G_NORMALIZE_NFC);
	GString *out = g_string_sized_new(strlen(valid));
	int marks = 0; /* stacking marks in a row so far */

	for (const char *p = nfc ? nfc : valid; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		marks = is_stacking_mark(c) ? marks + 1 : 0;
		if (marks > MARKS_MAX)
			continue; /* two cover every language's stacked accents (Vietnamese "ễ") */
		if (c == '\n' && keep_newlines)
			g_string_append_c(out, '\n');
		else if (c < 0x20 || (c >= 0x7F && c < 0xA0) || c == 0x2028 || c == 0x2029)
			g_string_append_c(out, ' ');
		else if (!is_bidi_control(c))
			g_string_append_unichar(out, c);
	}
	g_free(nfc);
	g_free(valid);
	return g_string_free(out, FALSE);
}

static int blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\n' && *s != '\t')
			return 0;
	return 1;
}

/* ---- layouts ---- */

static double from_pango(int v)
{
	return pango_units_to_double(v);
}

/* A layout of cleaned text that wraps at `width`, between words or, for a
 * word longer than the line, between characters. */
static PangoLayout *layout_text(struct pdf_doc *d, const char *clean,
				const PangoFontDescription *font, double width)
{
	PangoLayout *lay = pango_layout_new(d->ctx);

	pango_layout_set_font_description(lay, font);
	pango_layout_set_width(lay, pango_units_from_double(width));
	pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_text(lay, clean, -1);
	return lay;
}

/* The same, limited to a box `height` high: what does not fit ends in "…".
 * One paragraph (a newline is a space): pango drops whole paragraphs past
 * the height without any "…", so several could vanish silently. */
static PangoLayout *layout_boxed(struct pdf_doc *d, const char *raw, const PangoFontDescription *font,
				 double width, double height)
{
	char *clean = text_clean(raw, 0);
	PangoLayout *lay = layout_text(d, clean, font, width);

	g_free(clean);
	pango_layout_set_height(lay, pango_units_from_double(height));
	pango_layout_set_ellipsize(lay, PANGO_ELLIPSIZE_END);
	return lay;
}

static double layout_height(PangoLayout *lay)
{
	PangoRectangle r;

	pango_layout_get_extents(lay, NULL, &r);
	return from_pango(r.y + r.height);
}

static void draw_layout(cairo_t *cr, PangoLayout *lay, double x, double y)
{
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, lay);
}

/* Restricts drawing to the box (and BLEED around it) until cairo_restore():
 * whatever a glyph does, nothing drawn for a box leaves it. */
static void clip_box(cairo_t *cr, double x, double y, double w, double h)
{
	cairo_save(cr);
	cairo_rectangle(cr, x - BLEED, y - BLEED, w + 2 * BLEED, h + 2 * BLEED);
	cairo_clip(cr);
}

/* A boxed layout drawn at the top left of its box w × h. */
static void draw_boxed(cairo_t *cr, PangoLayout *lay, double x, double y, double w, double h)
{
	clip_box(cr, x, y, w, h);
	draw_layout(cr, lay, x, y);
	cairo_restore(cr);
}

/* ---- blocks of lines: addresses ----
 *
 * An address is read from the bottom by the post (NF Z 10-011): its last
 * line, postcode and town, must never be lost, and the lines above it
 * matter more the lower they are. A block is laid out one layout per line,
 * so that no height limit can drop a line unseen; when the lines do not fit
 * their box, the font shrinks to a floor, then the middle lines are joined
 * (", "), then, as a last resort, each line is shortened with "…" where it
 * matters least (see block_shorten()). */

struct block {
	char **lines;   /* the text's non-blank lines, cleaned and trimmed */
	size_t n;
	GPtrArray *lay; /* the layouts shown, one per line once joined */
};

static void block_init(struct block *b, const char *raw)
{
	char *clean = text_clean(raw, 1);
	size_t k = 0;

	b->lines = g_strsplit(clean, "\n", -1);
	for (size_t i = 0; b->lines[i]; i++) {
		g_strstrip(b->lines[i]);
		if (*b->lines[i])
			b->lines[k++] = b->lines[i];
		else
			g_free(b->lines[i]);
	}
	b->lines[k] = NULL;
	b->n = k;
	b->lay = g_ptr_array_new_with_free_func(g_object_unref);
	g_free(clean);
}

static void block_free(struct block *b)
{
	g_strfreev(b->lines);
	g_ptr_array_free(b->lay, TRUE);
}

/* Lays the lines out in `size` points, with the first `joins` + 1 middle
 * lines (those just under the first) made one: they are the complements
 * of name and of place, the least needed to deliver. */
static void block_layouts(struct pdf_doc *d, struct block *b, size_t joins,
			  const PangoFontDescription *base, double size, double width)
{
	PangoFontDescription *f = pango_font_description_copy(base);

	pango_font_description_set_size(f, pango_units_from_double(size));
	g_ptr_array_set_size(b->lay, 0);
	for (size_t i = 0; i < b->n; i++) {
		GString *line = g_string_new(b->lines[i]);

		for (; i >= 1 && i < 1 + joins && i + 2 < b->n; i++)
			g_string_append_printf(line, ", %s", b->lines[i + 1]);
		g_ptr_array_add(b->lay, layout_text(d, line->str, f, width));
		g_string_free(line, TRUE);
	}
	pango_font_description_free(f);
}

static double block_height(const struct block *b)
{
	double h = 0;

	for (guint i = 0; i < b->lay->len; i++)
		h += layout_height(b->lay->pdata[i]);
	return h;
}

/* The last resort, on lines that do not fit `height` even joined: each
 * line keeps one line of the box; the room left goes first to the last
 * line, then upwards. A shortened line keeps its end ("…, 69001 LYON"),
 * but the first (the name) keeps its beginning. */
static void block_shorten(struct block *b, double height)
{
	guint n = b->lay->len;
	double one = 0, left;

	for (guint i = 0; i < n; i++) {
		PangoLayout *lay = b->lay->pdata[i];
		double h = layout_height(lay) / pango_layout_get_line_count(lay);

		one = h > one ? h : one;
	}
	left = height - n * one;
	for (guint k = n; k-- > 0;) {
		PangoLayout *lay = b->lay->pdata[k];
		double want = layout_height(lay) - one;
		double more = want <= left ? want : left > 0 ? floor(left / one) * one : 0;

		left -= more;
		if (more >= want)
			continue;
		/* a quarter of a line more, so that rounding never drops one */
		pango_layout_set_height(lay, pango_units_from_double(one + more + one / 4));
		pango_layout_set_ellipsize(lay, k == 0 && n > 1 ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_START);
	}
}

/* Fits the lines into width × height (see above). 1 when they are shown
 * whole, 0 when some had to be shortened. */
static int block_fit(struct pdf_doc *d, struct block *b, const PangoFontDescription *font,
		     double smallest, double width, double height)
{
	double size = from_pango(pango_font_description_get_size(font));
	size_t joins = b->n > BLOCK_LINES_MAX ? b->n - BLOCK_LINES_MAX : 1;

	for (; b->n <= BLOCK_LINES_MAX && size >= smallest; size -= 0.5) {
		block_layouts(d, b, 0, font, size, width);
		if (block_height(b) <= height)
			return 1;
	}
	for (; joins + 3 <= b->n; joins++) {
		block_layouts(d, b, joins, font, smallest, width);
		if (block_height(b) <= height)
			return 1;
	}
	block_shorten(b, height);
	return 0;
}

/* Draws the lines of `raw` in the box; returns the height used. */
static double block_draw(struct pdf_doc *d, const char *raw, const PangoFontDescription *font,
			 double smallest, double x, double y, double width, double height)
{
	struct block b;
	double at = y;

	block_init(&b, raw);
	block_fit(d, &b, font, smallest, width, height);
	clip_box(d->cr, x, y, width, height);
	for (guint i = 0; i < b.lay->len; i++) {
		draw_layout(d->cr, b.lay->pdata[i], x, at);
		at += layout_height(b.lay->pdata[i]);
	}
	cairo_restore(d->cr);
	block_free(&b);
	return at - y;
}

/* ---- pages and sections ---- */

static int usable(struct pdf_doc *d)
{
	if (d->in_section && d->cr && !d->failed)
		return 1;
	d->failed = 1; /* drawing outside a section, or after an error */
	return 0;
}

static void table_header(struct pdf_doc *d);

static void page_new(struct pdf_doc *d)
{
	cairo_rectangle_t a4 = { 0, 0, PAGE_W, PAGE_H };
	cairo_surface_t *page;

	if (d->npages == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 4;
		cairo_surface_t **pages = g_try_renew(cairo_surface_t *, d->pages, cap);

		if (!pages) {
			d->failed = 1;
			return;
		}
		d->pages = pages;
		d->cap = cap;
	}
	if (d->cr)
		cairo_destroy(d->cr);
	page = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &a4);
	d->pages[d->npages++] = page;
	d->cr = cairo_create(page);
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	d->y = d->top = d->npages == 1 ? TOP_FIRST : TOP_NEXT;
	if (d->table.on)
		table_header(d);
}

/* Makes room for `height` points, on a new page when this one is full
 * (unless nothing is on it yet: the block then simply starts there). */
static void room_for(struct pdf_doc *d, double height)
{
	if (d->y + height > BOTTOM && d->y > d->top + 0.5)
		page_new(d);
}

static void draw_letterhead(struct pdf_doc *d, const struct pdf_letterhead *head)
{
	PangoLayout *name = layout_boxed(d, head->name, d->large_bold, MM(85), MM(12));
	char *lines = g_strdup_printf("%s\n%s", head->service ? head->service : "",
				      head->address ? head->address : "");
	double h = layout_height(name);

	draw_boxed(d->cr, name, LEFT, d->y, MM(85), MM(12));
	h += MM(1) + block_draw(d, lines, d->small, HEAD_FLOOR, LEFT, d->y + h + MM(1), MM(85), MM(25));
	d->y += h + MM(6);
	g_object_unref(name);
	g_free(lines);
}

void pdf_section_begin(struct pdf_doc *doc, const struct pdf_letterhead *head)
{
	if (doc->in_section)
		pdf_section_end(doc);
	doc->in_section = 1;
	doc->footer = text_clean(head ? head->footer : NULL, 0);
	page_new(doc);
	if (head && !doc->failed)
		draw_letterhead(doc, head);
}

static void draw_footer(struct pdf_doc *d, size_t page, size_t count)
{
	char number[64];
	PangoLayout *num, *foot;

	snprintf(number, sizeof number, "Page %zu / %zu", page, count);
	num = layout_text(d, number, d->small, MM(30));
	pango_layout_set_alignment(num, PANGO_ALIGN_RIGHT);
	draw_layout(d->pdf, num, RIGHT - MM(30), FOOTER_RULE + MM(2));
	foot = layout_boxed(d, d->footer, d->small, WIDTH - MM(35), MM(8));
	draw_boxed(d->pdf, foot, LEFT, FOOTER_RULE + MM(2), WIDTH - MM(35), MM(8));
	if (!blank(d->footer)) {
		cairo_set_line_width(d->pdf, 0.4);
		cairo_move_to(d->pdf, LEFT, FOOTER_RULE);
		cairo_line_to(d->pdf, RIGHT, FOOTER_RULE);
		cairo_stroke(d->pdf);
	}
	g_object_unref(num);
	g_object_unref(foot);
}

void pdf_section_end(struct pdf_doc *doc)
{
	if (!doc->in_section)
		return;
	if (doc->table.on)
		pdf_table_end(doc);
	if (doc->cr) {
		cairo_destroy(doc->cr);
		doc->cr = NULL;
	}
	for (size_t i = 0; i < doc->npages; i++) {
		if (cairo_surface_status(doc->pages[i]) != CAIRO_STATUS_SUCCESS)
			doc->failed = 1;
		cairo_set_source_surface(doc->pdf, doc->pages[i], 0, 0);
		cairo_paint(doc->pdf);
		cairo_set_source_rgb(doc->pdf, 0, 0, 0);
		draw_footer(doc, i + 1, doc->npages);
		cairo_show_page(doc->pdf);
		cairo_surface_destroy(doc->pages[i]);
	}
	doc->npages = 0;
	g_free(doc->footer);
	doc->footer = NULL;
	doc->in_section = 0;
}

/* ---- documents ---- */

static cairo_status_t write_buf(void *closure, const unsigned char *data, unsigned int length)
{
	return buf_add(closure, data, length) ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static PangoFontDescription *font(double size, PangoWeight weight)
{
	PangoFontDescription *f = pango_font_description_new();

	pango_font_description_set_family(f, FONT_FAMILY);
	pango_font_description_set_size(f, pango_units_from_double(size));
	pango_font_description_set_weight(f, weight);
	return f;
}

/* Pango measures in points (72 dpi) without hinting, so that what is laid
 * out on a recorded page is exactly what the PDF shows. */
static PangoContext *context_new(void)
{
	PangoContext *ctx = pango_font_map_create_context(pango_cairo_font_map_get_default());
	cairo_font_options_t *opts = cairo_font_options_create();

	cairo_font_options_set_hint_style(opts, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(opts, CAIRO_HINT_METRICS_OFF);
	pango_cairo_context_set_font_options(ctx, opts);
	pango_cairo_context_set_resolution(ctx, 72.0);
	pango_context_set_language(ctx, pango_language_from_string("fr-FR"));
	cairo_font_options_destroy(opts);
	return ctx;
}

static struct pdf_doc *doc_new(cairo_surface_t *surface, const char *title, const char *author)
{
	struct pdf_doc *d = g_try_new0(struct pdf_doc, 1);
	char *t = text_clean(title, 0), *a = text_clean(author, 0);

	if (!d) {
		cairo_surface_destroy(surface);
		g_free(t);
		g_free(a);
		return NULL;
	}
	d->surface = surface;
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, t);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, a);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Parcours");
	g_free(t);
	g_free(a);
	d->pdf = cairo_create(surface);
	d->ctx = context_new();
	d->regular = font(10, PANGO_WEIGHT_NORMAL);
	d->bold = font(10, PANGO_WEIGHT_BOLD);
	d->small = font(8, PANGO_WEIGHT_NORMAL);
	d->small_bold = font(8.5, PANGO_WEIGHT_BOLD);
	d->large_bold = font(12, PANGO_WEIGHT_BOLD);
	return d;
}

struct pdf_doc *pdf_create_file(const char *path, const char *title, const char *author)
{
	return doc_new(cairo_pdf_surface_create(path, PAGE_W, PAGE_H), title, author);
}

struct pdf_doc *pdf_create_buf(struct buf *out, const char *title, const char *author)
{
	return doc_new(cairo_pdf_surface_create_for_stream(write_buf, out, PAGE_W, PAGE_H), title,
		       author);
}

int pdf_finish(struct pdf_doc *doc)
{
	int failed;

	pdf_section_end(doc);
	for (size_t i = 0; i < PDF_TABLE_COLUMNS; i++)
		g_free(doc->table.title[i]);
	if (cairo_status(doc->pdf) != CAIRO_STATUS_SUCCESS)
		doc->failed = 1;
	cairo_destroy(doc->pdf);
	cairo_surface_finish(doc->surface);
	if (cairo_surface_status(doc->surface) != CAIRO_STATUS_SUCCESS)
		doc->failed = 1;
	cairo_surface_destroy(doc->surface);
	g_object_unref(doc->ctx);
	pango_font_description_free(doc->regular);
	pango_font_description_free(doc->bold);
	pango_font_description_free(doc->small);
	pango_font_description_free(doc->small_bold);
	pango_font_description_free(doc->large_bold);
	g_free(doc->pages);
	failed = doc->failed;
	g_free(doc);
	return failed ? -1 : 0;
}

/* ---- flowing text ---- */

/* Draws a layout at `x` from the current position, line by line, going on
 * to a new page whenever the next line does not fit. */
static void flow(struct pdf_doc *d, PangoLayout *lay, double x)
{
	PangoLayoutIter *it = pango_layout_get_iter(lay);
	double origin = d->y; /* where the layout's y = 0 falls on this page */
	PangoRectangle r;

	do {
		pango_layout_iter_get_line_extents(it, NULL, &r);
		if (origin + from_pango(r.y + r.height) > BOTTOM && origin + from_pango(r.y) > d->top + 0.5) {
			page_new(d);
			if (d->failed)
				break;
			origin = d->y - from_pango(r.y);
		}
		cairo_move_to(d->cr, x, origin + from_pango(pango_layout_iter_get_baseline(it)));
		pango_cairo_show_layout_line(d->cr, pango_layout_iter_get_line_readonly(it));
		d->y = origin + from_pango(r.y + r.height);
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
}

/* The runs as one layout, bold where asked. */
static PangoLayout *layout_runs(struct pdf_doc *d, const struct pdf_run *runs, size_t n, double width)
{
	GString *text = g_string_new(NULL);
	PangoAttrList *attrs = pango_attr_list_new();
	PangoLayout *lay;

	for (size_t i = 0; i < n; i++) {
		char *clean = text_clean(runs[i].text, 0);

		if (runs[i].bold) {
			PangoAttribute *a = pango_attr_weight_new(PANGO_WEIGHT_BOLD);

			a->start_index = (guint)text->len;
			a->end_index = (guint)(text->len + strlen(clean));
			pango_attr_list_insert(attrs, a);
		}
		g_string_append(text, clean);
		g_free(clean);
	}
	lay = layout_text(d, text->str, d->regular, width);
	pango_layout_set_attributes(lay, attrs);
	pango_attr_list_unref(attrs);
	g_string_free(text, TRUE);
	return lay;
}

void pdf_paragraph_runs(struct pdf_doc *doc, const struct pdf_run *runs, size_t n)
{
	PangoLayout *lay;

	if (!usable(doc))
		return;
	lay = layout_runs(doc, runs, n, WIDTH);
	pango_layout_set_justify(lay, TRUE);
	flow(doc, lay, LEFT);
	doc->y += MM(2);
	g_object_unref(lay);
}

void pdf_paragraph(struct pdf_doc *doc, const char *text)
{
	struct pdf_run run = { text, 0 };

	pdf_paragraph_runs(doc, &run, 1);
}

void pdf_item(struct pdf_doc *doc, const struct pdf_run *runs, size_t n)
{
	PangoLayout *lay, *bullet;

	if (!usable(doc))
		return;
	lay = layout_runs(doc, runs, n, WIDTH - MM(6));
	bullet = layout_text(doc, "•", doc->regular, MM(5));
	room_for(doc, layout_height(bullet));
	draw_layout(doc->cr, bullet, LEFT + MM(1), doc->y);
	flow(doc, lay, LEFT + MM(6));
	doc->y += MM(1);
	g_object_unref(lay);
	g_object_unref(bullet);
}

void pdf_heading(struct pdf_doc *doc, const char *text)
{
	PangoLayout *lay;
	double h;

	if (!usable(doc))
		return;
	lay = layout_boxed(doc, text, doc->bold, WIDTH, MM(15));
	h = layout_height(lay);
	doc->y += MM(1.5);
	room_for(doc, h + MM(15)); /* with about three lines of what follows */
	draw_boxed(doc->cr, lay, LEFT, doc->y, WIDTH, MM(15));
	doc->y += h + MM(1.5);
	g_object_unref(lay);
}

void pdf_object(struct pdf_doc *doc, const char *object)
{
	struct pdf_run runs[] = { { "Objet : ", 1 }, { object, 1 } };

	pdf_paragraph_runs(doc, runs, 2);
	doc->y += MM(1);
}

void pdf_space(struct pdf_doc *doc, double mm)
{
	if (usable(doc))
		doc->y += MM(mm);
}

void pdf_keep(struct pdf_doc *doc, double mm)
{
	if (usable(doc))
		room_for(doc, MM(mm));
}

/* ---- fixed blocks ---- */

void pdf_address_window(struct pdf_doc *doc, const char *address)
{
	if (!usable(doc))
		return;
	block_draw(doc, address, doc->regular, WINDOW_FLOOR, WINDOW_X, WINDOW_Y, WINDOW_W, WINDOW_H);
	if (doc->y < WINDOW_Y + WINDOW_H + MM(2))
		doc->y = WINDOW_Y + WINDOW_H + MM(2);
}

size_t pdf_address_lines(const char *address)
{
	struct block b;
	size_t n;

	block_init(&b, address);
	n = b.n;
	block_free(&b);
	return n;
}

int pdf_address_fits(const char *address)
{
	struct pdf_doc d = { .ctx = context_new(), .regular = font(10, PANGO_WEIGHT_NORMAL) };
	struct block b;
	int fits;

	block_init(&b, address);
	fits = block_fit(&d, &b, d.regular, WINDOW_FLOOR, WINDOW_W, WINDOW_H);
	block_free(&b);
	g_object_unref(d.ctx);
	pango_font_description_free(d.regular);
	return fits;
}

void pdf_place_date(struct pdf_doc *doc, const char *place, long day)
{
	char date[48], *line;
	PangoLayout *lay;

	if (!usable(doc))
		return;
	date_format_fr(day, date, sizeof date);
	line = blank(place) ? g_strdup_printf("Le %s", date) : g_strdup_printf("%s, le %s", place, date);
	lay = layout_boxed(doc, line, doc->regular, WIDTH, MM(10));
	pango_layout_set_alignment(lay, PANGO_ALIGN_RIGHT);
	draw_boxed(doc->cr, lay, LEFT, doc->y, WIDTH, MM(10));
	doc->y += layout_height(lay) + MM(6);
	g_object_unref(lay);
	g_free(line);
}

void pdf_signature(struct pdf_doc *doc, const char *role, const char *name)
{
	PangoLayout *r, *n;
	double x = RIGHT - MM(75), h;

	if (!usable(doc))
		return;
	r = layout_boxed(doc, role, doc->regular, MM(75), MM(15));
	n = layout_boxed(doc, name, doc->bold, MM(75), MM(10));
	h = layout_height(r) + MM(16) + layout_height(n);
	doc->y += MM(2);
	room_for(doc, h);
	draw_boxed(doc->cr, r, x, doc->y, MM(75), MM(15));
	draw_boxed(doc->cr, n, x, doc->y + layout_height(r) + MM(16), MM(75), MM(10));
	doc->y += h + MM(4);
	g_object_unref(r);
	g_object_unref(n);
}

/* ---- tables ---- */

/* Draws one row of cells in their columns, on a new page (header first)
 * when it does not fit; a header row is drawn where it is. */
static void table_row_draw(struct pdf_doc *d, const char *const *cells,
			   const PangoFontDescription *f, int header)
{
	PangoLayout *lay[PDF_TABLE_COLUMNS];
	double h = header ? 0 : d->table.min_h;
	struct table *t = &d->table;

	for (size_t i = 0; i < t->n; i++) {
		lay[i] = layout_boxed(d, cells[i], f, t->w[i] - 2 * CELL_PAD, 0);
		pango_layout_set_height(lay[i], -CELL_LINES); /* negative: a count of lines */
		if (layout_height(lay[i]) + 2 * CELL_PAD > h)
			h = layout_height(lay[i]) + 2 * CELL_PAD;
	}
	if (!header)
		room_for(d, h);
	for (size_t i = 0; i < t->n; i++) {
		cairo_rectangle(d->cr, t->x[i], d->y, t->w[i], h);
		if (header) {
			cairo_set_source_rgb(d->cr, 0.9, 0.9, 0.9);
			cairo_fill_preserve(d->cr);
			cairo_set_source_rgb(d->cr, 0, 0, 0);
		}
		cairo_set_line_width(d->cr, 0.5);
		cairo_stroke(d->cr);
		draw_boxed(d->cr, lay[i], t->x[i] + CELL_PAD, d->y + CELL_PAD, t->w[i] - 2 * CELL_PAD,
			   h - 2 * CELL_PAD);
		g_object_unref(lay[i]);
	}
	d->y += h;
}

static void table_header(struct pdf_doc *d)
{
	table_row_draw(d, (const char *const *)d->table.title, d->small_bold, 1);
}

void pdf_table_begin(struct pdf_doc *doc, const struct pdf_column *cols, size_t n, double min_row_mm)
{
	double total = 0, x = LEFT;
	struct table *t = &doc->table;

	if (!usable(doc) || n == 0 || n > PDF_TABLE_COLUMNS || t->on) {
		doc->failed = 1;
		return;
	}
	for (size_t i = 0; i < n; i++)
		total += cols[i].weight > 0 ? cols[i].weight : 1;
	for (size_t i = 0; i < n; i++) {
		t->w[i] = WIDTH * (cols[i].weight > 0 ? cols[i].weight : 1) / total;
		t->x[i] = x;
		x += t->w[i];
		g_free(t->title[i]);
		t->title[i] = g_strdup(cols[i].title ? cols[i].title : "");
	}
	t->n = n;
	t->min_h = MM(min_row_mm > 0 ? min_row_mm : 0);
	room_for(doc, MM(20)); /* the header and a row or two */
	table_header(doc);
	t->on = 1;
}

void pdf_table_row(struct pdf_doc *doc, const char *const *cells)
{
	if (usable(doc) && doc->table.on)
		table_row_draw(doc, cells, doc->small, 0);
	else
		doc->failed = 1;
}

void pdf_table_end(struct pdf_doc *doc)
{
	doc->table.on = 0;
	doc->y += MM(4);
}
