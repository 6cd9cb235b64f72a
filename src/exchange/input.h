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
/* Reads up to n bytes into p: the count, 0 at the end, -1 on an error
 * (input_error() says which). */
long input_read(struct input *in, void *p, size_t n);
/* What went wrong, in French, or NULL. */
const char *input_error(const struct input *in);
void input_close(struct input *in);

#endif
