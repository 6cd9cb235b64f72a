/*
 * buf.h — growable byte buffers with a size cap (after curl's dynbuf).
 *
 * A `struct buf` holds `len` bytes at `data`, always NUL-terminated so it can
 * be used as a C string. Every buffer has a maximum size `max`: an append that
 * would exceed it fails with -1 and leaves the buffer unchanged, so request
 * bodies, imported lines and cells stay bounded.
 *
 *   struct buf b;
 *   buf_init(&b, 1 << 20);
 *   if (buf_addstr(&b, "x")) goto out;
 *   ...
 *   buf_release(&b);
 */
#ifndef PARCOURS_BUF_H
#define PARCOURS_BUF_H
#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;  /* NUL-terminated; NULL until the first append */
	size_t len;  /* bytes used, NUL excluded */
	size_t cap;  /* bytes allocated */
	size_t max;  /* hard cap on len */
};

/* Prepares an empty buffer that may grow up to `max` bytes. */
void buf_init(struct buf *b, size_t max);
/* Frees the memory; the buffer is empty and reusable with the same cap. */
void buf_release(struct buf *b);
/* Empties the buffer, keeping its memory. */
void buf_reset(struct buf *b);
/* Appends n bytes; -1 (buffer unchanged) when out of memory or past the cap. */
int buf_add(struct buf *b, const void *p, size_t n);
/* Appends a C string. */
int buf_addstr(struct buf *b, const char *s);
/* Appends one byte. */
int buf_addch(struct buf *b, char c);
/* Appends printf-style formatted text. */
int buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vaddf(struct buf *b, const char *fmt, va_list ap);
/* Hands the data over to the caller (malloc'd, never NULL on success: an
 * empty buffer gives ""); the buffer is left empty. NULL when out of memory. */
char *buf_detach(struct buf *b, size_t *len);
/* Returns the content as a C string ("" when empty). */
const char *buf_str(const struct buf *b);

#endif
