/* input.c — plain or gzip input; see input.h. */
#include "exchange/input.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

struct input {
	FILE *f;
	int gzip;
	int done;           /* the last gzip member ended and no input follows */
	const char *error;
	z_stream z;
	unsigned char raw[1 << 16];
};

struct input *input_open(const char *path)
{
	struct input *in = calloc(1, sizeof *in);
	int c1, c2;

	if (!in)
		return NULL;
	in->f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!in->f) {
		free(in);
		return NULL;
	}
	c1 = getc(in->f);
	c2 = c1 == EOF ? EOF : getc(in->f);
	in->gzip = c1 == 0x1f && c2 == 0x8b;
	if (c1 != EOF) {
		/* Put the two bytes back by feeding them first. */
		if (c2 != EOF)
			in->raw[1] = (unsigned char)c2;
		in->raw[0] = (unsigned char)c1;
		in->z.next_in = in->raw;
		in->z.avail_in = c2 == EOF ? 1 : 2;
	}
	if (in->gzip && inflateInit2(&in->z, 16 + MAX_WBITS) != Z_OK) {
		input_close(in);
		return NULL;
	}
	return in;
}

static int refill(struct input *in)
{
	size_t got;

	if (in->z.avail_in)
		return 1;
	got = fread(in->raw, 1, sizeof in->raw, in->f);
	in->z.next_in = in->raw;
	in->z.avail_in = (uInt)got;
	if (!got && ferror(in->f))
		in->error = "erreur de lecture du fichier";
	return got > 0;
}

/* The two bytes input_open() looked at come first, then the file. */
static long read_plain(struct input *in, unsigned char *p, size_t n)
{
	size_t pending = in->z.avail_in < n ? in->z.avail_in : n, got;

	if (pending) {
		memcpy(p, in->z.next_in, pending);
		in->z.next_in += pending;
		in->z.avail_in -= (uInt)pending;
	}
	got = pending < n ? fread(p + pending, 1, n - pending, in->f) : 0;
	if (pending + got < n && ferror(in->f))
		in->error = "erreur de lecture du fichier";
	return (long)(pending + got);
}

/* Inflates until the block is full or the stream ends. */
static long read_gzip(struct input *in, unsigned char *p, size_t n)
{
	in->z.next_out = p;
	in->z.avail_out = (uInt)n;
	while (in->z.avail_out > 0 && !in->done) {
		int rc;
		if (!refill(in)) {
			/* Input ended inside a member: the file was cut. */
			in->error = in->error ? in->error : "fichier gzip tronqué";
			break;
		}
		rc = inflate(&in->z, Z_NO_FLUSH);
		if (rc == Z_STREAM_END) {
			/* Another member may follow (concatenated gzip files). */
			if (refill(in))
				inflateReset(&in->z);
			else
				in->done = 1;
		} else if (rc != Z_OK && rc != Z_BUF_ERROR) {
			in->error = "fichier gzip illisible";
			break;
		}
	}
	return (long)(n - in->z.avail_out);
}

long input_read(struct input *in, void *p, size_t n)
{
	long got;

	if (in->error)
		return -1;
	if (n > (1u << 30))
		n = 1u << 30;
	got = in->gzip ? read_gzip(in, p, n) : read_plain(in, p, n);
	/* Bytes read before an error are handed back first; the error is
	 * the next call's answer. */
	return got > 0 || !in->error ? got : -1;
}

const char *input_error(const struct input *in)
{
	return in->error;
}

void input_close(struct input *in)
{
	if (!in)
		return;
	if (in->gzip)
		inflateEnd(&in->z);
	if (in->f && in->f != stdin)
		fclose(in->f);
	free(in);
}
