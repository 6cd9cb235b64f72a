/*
 * pdf.h — a small document layer over cairo + pango for printed letters.
 *
 * A document is a sequence of sections; a section is one letter (or one
 * sheet): it starts on a new A4 page, carries its letterhead on its first
 * page and its footer on every page, and its pages are numbered among
 * themselves ("Page 1 / 2"), so that a cohort of letters in one PDF reads as
 * separate letters. Content flows top to bottom: text wraps, and page breaks
 * come by themselves (inside paragraphs too; a table repeats its header).
 *
 * Every text comes from the caller as UTF-8 and is cleaned before layout:
 * malformed bytes become U+FFFD, control characters spaces, bidirectional
 * overrides are dropped, runs of combining marks are cut to two; a word
 * longer than the line is cut between characters; boxes of fixed size
 * (letterhead, date, headings, signature, table cells) end with "…" when the
 * text does not fit, and nothing drawn for a box leaves it (clipped). The
 * address blocks (window, letterhead) never lose their last line: see
 * pdf_address_window(). So data cannot break the layout.
 *
 * Errors are sticky, as in cairo: the drawing calls return nothing, and
 * pdf_finish() says whether the whole document was written.
 *
 *   struct buf out;
 *   buf_init(&out, 32 << 20);
 *   struct pdf_doc *d = pdf_create_buf(&out, "Notification d'orientation", "Métropole de Lyon");
 *   pdf_section_begin(d, &head);
 *   pdf_paragraph(d, "Madame, Monsieur,");
 *   if (pdf_finish(d) < 0) ...   // out holds the PDF on success
 *
 * One document belongs to one thread; several threads may each build their
 * own at the same time (pango keeps one font map per thread).
 */
#ifndef PARCOURS_PDF_H
#define PARCOURS_PDF_H
#include <stddef.h>

#include "base/buf.h"

struct pdf_doc;

/* What heads a section's first page and ends each of its pages. Every
 * field may be NULL. Lines of `address` are separated by '\n'. */
struct pdf_letterhead {
	const char *name;    /* the sending organisation, in bold */
	const char *service; /* the department or team, under the name */
	const char *address;
	const char *footer;  /* small line at the bottom of every page */
};

/* A run of text inside a paragraph, bold or not. */
struct pdf_run {
	const char *text;
	int bold;
};

/* A table column: its header and its share of the line's width. */
struct pdf_column {
	const char *title;
	double weight;
};

/* A document written to a file, or appended to `out` (whose cap bounds the
 * size: past it pdf_finish() fails). `title` and `author` go into the PDF's
 * metadata. NULL only when out of memory. */
struct pdf_doc *pdf_create_file(const char *path, const char *title, const char *author);
struct pdf_doc *pdf_create_buf(struct buf *out, const char *title, const char *author);
/* Ends the open section, completes the PDF and frees the document.
 * Returns 0, or -1 when anything failed on the way (the output is then
 * unusable). */
int pdf_finish(struct pdf_doc *doc);

/* Starts a section on a new page (ending the previous one). `head` may be
 * NULL: no letterhead, no footer line. Content calls outside a section fail
 * the document. */
void pdf_section_begin(struct pdf_doc *doc, const struct pdf_letterhead *head);
/* Ends the section: its pages get "Page i / n" and go into the PDF. */
void pdf_section_end(struct pdf_doc *doc);

/* The recipient's name and address, placed for the window of a DL envelope
 * (A4 folded in three): lines separated by '\n', empty lines skipped. The
 * last line (postcode and town) is never lost: when the lines do not fit,
 * the font shrinks from 10 to 8 pt, then the middle lines are joined with
 * ", ", and only then are lines shortened with "…" — the last one keeping its
 * end, the first its beginning. The letterhead's address does the same. */
void pdf_address_window(struct pdf_doc *doc, const char *address);
/* The number of lines pdf_address_window() would print before any joining,
 * and whether it prints them whole (1) or must shorten some (0). For a
 * caller's input rules: both lay the text out as the window would. */
size_t pdf_address_lines(const char *address);
int pdf_address_fits(const char *address);
/* "Lyon, le 26 novembre 2017", right-aligned (`day`: days since 1970-01-01;
 * without a place, "Le 26 novembre 2017"). */
void pdf_place_date(struct pdf_doc *doc, const char *place, long day);
/* "Objet : …" in bold. */
void pdf_object(struct pdf_doc *doc, const char *object);
/* A bold heading, never left alone at the bottom of a page. */
void pdf_heading(struct pdf_doc *doc, const char *text);
/* A justified paragraph; pdf_paragraph_runs() mixes bold and regular runs. */
void pdf_paragraph(struct pdf_doc *doc, const char *text);
void pdf_paragraph_runs(struct pdf_doc *doc, const struct pdf_run *runs, size_t n);
/* A bulleted item (hanging indent). */
void pdf_item(struct pdf_doc *doc, const struct pdf_run *runs, size_t n);
/* Vertical space in millimetres. */
void pdf_space(struct pdf_doc *doc, double mm);
/* Goes to a new page unless `mm` millimetres are left on this one: what
 * follows (a closing formula and its signature) stays together. */
void pdf_keep(struct pdf_doc *doc, double mm);

/* A table of at most PDF_TABLE_COLUMNS columns whose header is repeated at
 * the top of each page it spans. Rows are at least `min_row_mm` high (room
 * for a signature); a cell shows at most 6 lines. */
#define PDF_TABLE_COLUMNS 8
void pdf_table_begin(struct pdf_doc *doc, const struct pdf_column *cols, size_t n, double min_row_mm);
/* One row: n cells as given to pdf_table_begin(); a NULL cell is empty. */
void pdf_table_row(struct pdf_doc *doc, const char *const *cells);
void pdf_table_end(struct pdf_doc *doc);

/* The signature block, right-aligned and kept on one page: the signatory's
 * role, room to sign, then the name (either may be NULL). */
void pdf_signature(struct pdf_doc *doc, const char *role, const char *name);

#endif
