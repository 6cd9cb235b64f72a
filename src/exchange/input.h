/*
 * input.h — reading an input file that may be gzip-compressed, whatever its
 * name: the first two bytes decide. A gzip stream that ends before its
 * trailer (a truncated download) is an error, never a silent end of file.
 */
#ifndef PARCOURS_INPUT_H
#define PARCOURS_INPUT_H
#include <stddef.h>

struct input;

/* Opens path ("-" for standard input). NULL with errno set on failure. */
struct input *input_open(const char *path);
/* Reads n bytes into p (decompressed when gzip): always n, except at the
 * end of the input, where it is fewer and then 0, or when an error follows
 * (the bytes read before it come first; the next call returns -1, and
 * input_error() says which). A reader may thus expect its first block to
 * hold the first n bytes of the file, a BOM included, whatever the
 * compression and whatever input_open() peeked at. */
long input_read(struct input *in, void *p, size_t n);
/* What went wrong, in French, or NULL. */
const char *input_error(const struct input *in);
void input_close(struct input *in);

#endif
