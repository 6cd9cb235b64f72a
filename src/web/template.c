/*
 * template.c - logic-less Mustache templates (see template.h for the
 * contract and docs/modules/template.md for the design notes).
 *
 * A template is parsed once into a flat array of nodes in pre-order;
 * a container node (section, inverted section, parent, block) records in
 * `next` the index just past its subtree, so walking siblings is
 * `i = nodes[i].next` and no per-node allocation is needed.  Rendering
 * appends to one growing buffer.
 *
 * Whitespace handling (standalone lines, partial indentation and block
 * re-indentation) is decided at parse time, line by line; the renderer
 * only has to emit the current indentation at LINE nodes, which mark
 * the start of every source line that survives in the output.
 */
#include "web/template.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Growing byte buffer                                                */
/* ------------------------------------------------------------------ */

struct tpl_buf {
	char *d;
	size_t len, cap;
};

static int tpl_buf_reserve(struct tpl_buf *b, size_t extra)
{
	size_t want, cap;
	char *d;

	if (extra <= b->cap - b->len)
		return 0;
	if (extra > SIZE_MAX - b->len)
		return -1;
	want = b->len + extra;
	/* Doubling keeps appends amortised O(1), so output is linear. */
	cap = b->cap ? b->cap : 256;
	while (cap < want)
		cap = cap > SIZE_MAX / 2 ? want : cap * 2;
	d = realloc(b->d, cap);
	if (!d)
		return -1;
	b->d = d;
	b->cap = cap;
	return 0;
}

static int tpl_buf_put(struct tpl_buf *b, const char *s, size_t n)
{
	if (n == 0)
		return 0;
	if (tpl_buf_reserve(b, n) < 0)
		return -1;
	memcpy(b->d + b->len, s, n);
	b->len += n;
	return 0;
}

/*
 * Appends `s` HTML-escaped.  Safe runs are copied in one go because
 * most interpolated text contains no special character at all.  NUL
 * bytes (possible in JSON strings) are dropped: the result is a C
 * string and an embedded NUL would silently truncate the page.
 */
static int tpl_buf_put_escaped(struct tpl_buf *b, const char *s, size_t n)
{
	size_t i, run = 0;
	const char *ent;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&#39;"; break;
		case '\0': ent = ""; break;
		default: continue;
		}
		if (tpl_buf_put(b, s + run, i - run) < 0 ||
		    tpl_buf_put(b, ent, strlen(ent)) < 0)
			return -1;
		run = i + 1;
	}
	return tpl_buf_put(b, s + run, n - run);
}

/* Appends `s` verbatim except for NUL bytes (see tpl_buf_put_escaped). */
static int tpl_buf_put_raw(struct tpl_buf *b, const char *s, size_t n)
{
	const char *nul;

	while ((nul = memchr(s, '\0', n)) != NULL) {
		if (tpl_buf_put(b, s, (size_t)(nul - s)) < 0)
			return -1;
		n -= (size_t)(nul - s) + 1;
		s = nul + 1;
	}
	return tpl_buf_put(b, s, n);
}

/*
 * memmem() and strdup() are extensions; the file must build the same
 * with or without _GNU_SOURCE (the fuzzer build does not define it),
 * so it carries its own.  Needles are short delimiters: memchr finds the
 * candidates quickly.
 */
static const char *tpl_memmem(const char *hay, size_t n, const char *needle,
			      size_t nlen)
{
	const char *end = hay + n, *c = hay;

	if (nlen == 0 || nlen > n)
		return NULL;
	while ((c = memchr(c, needle[0], (size_t)(end - c) - nlen + 1))) {
		if (!memcmp(c, needle, nlen))
			return c;
		c++;
		if ((size_t)(end - c) < nlen)
			break;
	}
	return NULL;
}

static char *tpl_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

/* ------------------------------------------------------------------ */
/* Error messages                                                     */
/* ------------------------------------------------------------------ */

/* Longest name quoted in an error message; names can be arbitrary. */
#define TPL_ERR_NAME 64

static char *tpl_vfmt(const char *fmt, va_list ap)
{
	va_list ap2;
	char *s = NULL;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	if (n < 0)
		goto out;
	s = malloc((size_t)n + 1);
	if (!s)
		goto out;
	vsnprintf(s, (size_t)n + 1, fmt, ap2);
out:
	va_end(ap2);
	return s;
}

__attribute__((format(printf, 1, 2)))
static char *tpl_fmt(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = tpl_vfmt(fmt, ap);
	va_end(ap);
	return s;
}

/* Prefixes a message with where it happened: "[partial 'x': ]line N: ". */
static char *tpl_where(const char *tname, unsigned line, char *msg)
{
	char *s = NULL;

	if (!msg)
		goto out;
	if (tname)
		s = tpl_fmt("partial '%.*s': line %u: %s", TPL_ERR_NAME, tname,
			    line, msg);
	else
		s = tpl_fmt("line %u: %s", line, msg);
out:
	free(msg);
	return s;
}

static int tpl_name_len(size_t len)
{
	return len > TPL_ERR_NAME ? TPL_ERR_NAME : (int)len;
}

/* ------------------------------------------------------------------ */
/* Parsed templates                                                   */
/* ------------------------------------------------------------------ */

enum tpl_kind {
	TPL_N_TEXT,		/* literal text */
	TPL_N_LINE,		/* a source line starts: emit the indentation */
	TPL_N_VAR,		/* {{name}}, escaped */
	TPL_N_RAW,		/* {{{name}}} or {{&name}} */
	TPL_N_SECTION,		/* {{#name}} ... {{/name}} */
	TPL_N_INVERTED,		/* {{^name}} ... {{/name}} */
	TPL_N_PARTIAL,		/* {{>name}} */
	TPL_N_PARENT,		/* {{<name}} ... {{/name}} */
	TPL_N_BLOCK,		/* {{$name}} ... {{/name}} */
	TPL_N_BLOCK_START,	/* first child of every block, see below */
};

/*
 * A block's content may be rendered somewhere else than where it is
 * written (an override is written in the child and expanded in the
 * parent), so whether its first line needs indentation depends on the
 * expansion site, not on the definition.  Every block therefore starts
 * with a BLOCK_START node that stands for "the first line of this
 * content"; it replaces the LINE node that would otherwise be there.
 */

struct tpl_node {
	const char *s;		/* text, or the tag's name */
	size_t len;
	const char *ind;	/* partial/parent/block: indentation to add */
	size_t ind_len;
	size_t next;		/* index just past this node's subtree */
	unsigned line;		/* source line, for error messages */
	unsigned char kind;	/* enum tpl_kind */
	bool at_bol;		/* partial/parent: standalone; block: expands
				   at the beginning of an output line */
};

struct tpl_tpl {
	char *name;		/* partial name, NULL for the root template */
	struct tpl_node *nodes;
	size_t n, cap;
};

static void tpl_free(struct tpl_tpl *t)
{
	if (!t)
		return;
	free(t->nodes);
	free(t->name);
	free(t);
}

/* ------------------------------------------------------------------ */
/* Parser                                                             */
/* ------------------------------------------------------------------ */

/* One token of the line being parsed. */
struct tpl_tok {
	const char *s;		/* text, or the tag's trimmed name */
	size_t len;
	const char *ind;	/* indentation given to a partial/parent/block */
	size_t ind_len;
	const char *ded;	/* block: intrinsic indentation of its lines */
	size_t ded_len;
	unsigned line;
	char sigil;		/* tags: 0 for a variable, else # ^ / ! = > & { < $ */
	bool tag;
	bool at_bol;
	bool has_ded;
};

/* A container opened and not yet closed. */
struct tpl_open {
	const char *name;
	size_t len;
	const char *ded;	/* block with a standalone opening tag: the */
	size_t ded_len;		/* indentation stripped from its lines */
	size_t node;
	unsigned line;
	char sigil;
	bool has_ded;
};

struct tpl_parser {
	const char *src;
	size_t len, pos;
	unsigned line;
	const char *otag, *ctag;	/* current delimiters (slices of src) */
	size_t olen, clen;
	size_t nl;		/* next '\n' at or after pos (len if none) */
	struct tpl_tpl *t;
	struct tpl_tok *toks;
	size_t ntoks, captoks;
	struct tpl_open stack[TPL_MAX_DEPTH];
	size_t depth;
	char *err;		/* "line N: ..." once a syntax error is found */
};

__attribute__((format(printf, 3, 4)))
static void tpl_perr(struct tpl_parser *p, unsigned line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	free(p->err);
	p->err = tpl_where(NULL, line, tpl_vfmt(fmt, ap));
	va_end(ap);
}

static bool tpl_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * Whether a text token holds nothing but spaces and tabs, optionally
 * followed by the line ending ("\n" or "\r\n") that closes the line.
 */
static bool tpl_is_blank(const struct tpl_tok *tk)
{
	size_t n = tk->len, i;

	if (n && tk->s[n - 1] == '\n') {
		n--;
		if (n && tk->s[n - 1] == '\r')
			n--;
	}
	for (i = 0; i < n; i++)
		if (tk->s[i] != ' ' && tk->s[i] != '\t')
			return false;
	return true;
}

static bool tpl_opens(char sigil)
{
	return sigil == '#' || sigil == '^' || sigil == '$' || sigil == '<';
}

static struct tpl_tok *tpl_push_tok(struct tpl_parser *p)
{
	struct tpl_tok *tk;

	if (p->ntoks == p->captoks) {
		size_t cap = p->captoks ? p->captoks * 2 : 16;

		tk = realloc(p->toks, cap * sizeof(*tk));
		if (!tk)
			return NULL;
		p->toks = tk;
		p->captoks = cap;
	}
	tk = &p->toks[p->ntoks++];
	memset(tk, 0, sizeof(*tk));
	tk->line = p->line;
	return tk;
}

static int tpl_push_text(struct tpl_parser *p, const char *s, size_t n)
{
	struct tpl_tok *tk;

	if (n == 0)
		return 0;
	tk = tpl_push_tok(p);
	if (!tk)
		return -1;
	tk->s = s;
	tk->len = n;
	return 0;
}

/*
 * Finds the closing delimiter at or after `from`.  When `before` is set
 * the delimiter must be immediately preceded by that character at or
 * after `from` (the '}' of "{{{x}}}" and the '=' of "{{=<% %>=}}").
 */
static const char *tpl_find_close(const struct tpl_parser *p, size_t from,
				  char before)
{
	size_t x = from;
	const char *c;

	while ((c = tpl_memmem(p->src + x, p->len - x, p->ctag, p->clen))) {
		size_t at = (size_t)(c - p->src);

		if (!before || (at > from && c[-1] == before))
			return c;
		x = at + 1;
	}
	return NULL;
}

/* Trims [*b, *e) of whitespace. */
static void tpl_trim(const char *s, size_t *b, size_t *e)
{
	while (*b < *e && tpl_is_space(s[*b]))
		(*b)++;
	while (*e > *b && tpl_is_space(s[*e - 1]))
		(*e)--;
}

/*
 * Names of variables and sections are dotted paths; an empty segment
 * ("a..b", ".a") is almost certainly a typo, so reject it early rather
 * than silently render nothing.
 */
static bool tpl_valid_path(const char *s, size_t n)
{
	size_t i;

	if (n == 1 && s[0] == '.')
		return true;
	if (s[0] == '.' || s[n - 1] == '.')
		return false;
	for (i = 1; i < n; i++)
		if (s[i] == '.' && s[i - 1] == '.')
			return false;
	return true;
}

/* Parses "{{=<% %>=}}"'s content [b, e) into the new delimiters. */
static int tpl_set_delims(struct tpl_parser *p, unsigned line, size_t b,
			  size_t e)
{
	const char *s = p->src;
	size_t o, oe, c, ce;

	tpl_trim(s, &b, &e);
	o = oe = b;
	while (oe < e && !tpl_is_space(s[oe]))
		oe++;
	c = oe;
	while (c < e && tpl_is_space(s[c]))
		c++;
	ce = c;
	while (ce < e && !tpl_is_space(s[ce]))
		ce++;
	if (oe == o || ce == c || ce != e || memchr(s + o, '=', oe - o) ||
	    memchr(s + c, '=', ce - c)) {
		tpl_perr(p, line, "invalid set-delimiter tag");
		return -1;
	}
	p->otag = s + o;
	p->olen = oe - o;
	p->ctag = s + c;
	p->clen = ce - c;
	return 0;
}

/* Lexes the tag whose opening delimiter is at p->pos. */
static int tpl_lex_tag(struct tpl_parser *p)
{
	const char *s = p->src;
	size_t q = p->pos + p->olen, b, e, end;
	unsigned line = p->line;
	char sigil = 0, before = 0;
	const char *c;
	struct tpl_tok *tk;

	if (q < p->len && s[q] && strchr("#^/!=>&{<$", s[q]))
		sigil = s[q++];
	if (sigil == '{')
		before = '}';
	else if (sigil == '=')
		before = '=';
	c = tpl_find_close(p, q, before);
	if (!c) {
		tpl_perr(p, line, "unclosed tag");
		return -1;
	}
	b = q;
	e = (size_t)(c - s) - (before ? 1 : 0);
	end = (size_t)(c - s) + p->clen;
	for (c = s + p->pos; (c = memchr(c, '\n', (size_t)(s + end - c))); c++)
		p->line++;
	p->pos = end;

	if (sigil == '=') {
		if (tpl_set_delims(p, line, b, e) < 0)
			return -1;
	} else if (sigil != '!') {
		tpl_trim(s, &b, &e);
		if (b == e) {
			tpl_perr(p, line, "empty tag");
			return -1;
		}
		for (q = b; q < e; q++)
			if (tpl_is_space(s[q]))
				break;
		if (q < e || ((sigil == 0 || sigil == '{' || sigil == '&' ||
			       sigil == '#' || sigil == '^') &&
			      !tpl_valid_path(s + b, e - b))) {
			tpl_perr(p, line, "invalid tag name '%.*s'",
				 tpl_name_len(e - b), s + b);
			return -1;
		}
	}
	tk = tpl_push_tok(p);
	if (!tk)
		return -1;
	tk->tag = true;
	tk->sigil = sigil == '&' ? '{' : sigil;
	tk->s = s + b;
	tk->len = e - b;
	tk->line = line;
	return 0;
}

/*
 * Lexes one line into p->toks: everything up to and including the next
 * newline that is not inside a tag (a comment may span lines; it still
 * belongs to the line it starts on).  Text is split at that newline so
 * standalone detection can look at one line at a time.
 */
static int tpl_lex_line(struct tpl_parser *p)
{
	p->ntoks = 0;
	while (p->pos < p->len) {
		const char *start = p->src + p->pos;
		size_t span;
		const char *tag;

		/* Remembered across the tags of a long line, so a minified
		 * one-line template is not rescanned once per tag. */
		if (p->nl < p->pos) {
			const char *nl = memchr(start, '\n', p->len - p->pos);

			p->nl = nl ? (size_t)(nl - p->src) : p->len;
		}
		span = p->nl - p->pos;
		/* Delimiters never contain whitespace, so a tag cannot start
		 * across the newline. */
		tag = tpl_memmem(start, span, p->otag, p->olen);
		if (!tag) {
			size_t n = p->nl < p->len ? span + 1 : span;

			if (tpl_push_text(p, start, n) < 0)
				return -1;
			p->pos += n;
			if (p->nl < p->len)
				p->line++;
			return 0;
		}
		if (tpl_push_text(p, start, (size_t)(tag - start)) < 0)
			return -1;
		p->pos = (size_t)(tag - p->src);
		if (tpl_lex_tag(p) < 0)
			return -1;
	}
	return 0;
}

/* Indentation stripped from lines of the innermost such block, if any. */
static const char *tpl_active_dedent(const struct tpl_parser *p, size_t *len)
{
	size_t k;

	for (k = p->depth; k-- > 0;) {
		if (p->stack[k].has_ded) {
			*len = p->stack[k].ded_len;
			return p->stack[k].ded;
		}
	}
	*len = 0;
	return NULL;
}

/*
 * Inside a block whose opening tag is standalone, the indentation of the
 * block's first line is not content but layout of the definition site;
 * it is stripped from every line, and the expansion site's indentation
 * is added back when rendering ("Block reindentation" in the spec).
 */
static void tpl_dedent_line(struct tpl_parser *p)
{
	struct tpl_tok *tk = p->toks;
	size_t dlen, k = 0;
	const char *d = tpl_active_dedent(p, &dlen);

	if (!dlen || !p->ntoks || tk->tag)
		return;
	while (k < dlen && k < tk->len && tk->s[k] == d[k])
		k++;
	tk->s += k;
	tk->len -= k;
	if (tk->len == 0) {
		memmove(tk, tk + 1, (p->ntoks - 1) * sizeof(*tk));
		p->ntoks--;
	}
}

/*
 * "{{$block}}...{{/block}}" as the only thing on its line (apart from
 * leading whitespace): the leading whitespace becomes the block's
 * indentation, so a multi-line override is indented as a whole, and the
 * line ending stays (spec: "Inherit indentation", "Standalone block").
 * Returns the index of the block tag, or -1 when the line is not so.
 */
static long tpl_line_block_pair(const struct tpl_parser *p)
{
	const struct tpl_tok *t = p->toks;
	size_t n = p->ntoks, k = 0, j;
	long depth = 0;

	if (k < n && !t[k].tag) {
		if (!tpl_is_blank(&t[k]) || t[k].s[t[k].len - 1] == '\n')
			return -1;
		k++;
	}
	if (k >= n || !t[k].tag || t[k].sigil != '$')
		return -1;
	for (j = k; j < n; j++) {
		if (!t[j].tag)
			continue;
		if (tpl_opens(t[j].sigil))
			depth++;
		else if (t[j].sigil == '/' && --depth == 0)
			break;
	}
	if (j >= n)
		return -1;
	for (j++; j < n; j++)
		if (t[j].tag || !tpl_is_blank(&t[j]))
			return -1;
	return (long)k;
}

/*
 * A line is standalone when it holds only whitespace and tags that
 * produce no output of their own; it is then removed entirely.  The
 * spec allows one such tag per line, except that parent and block tags
 * may share a line ("{{<parent}}{{/parent}}", "{{<parent}}{{$block}}").
 */
static bool tpl_line_standalone(const struct tpl_parser *p)
{
	const struct tpl_tok *t = p->toks;
	size_t n = p->ntoks, i, ntag = 0, local = 0, glob = p->depth;

	for (i = 0; i < n; i++) {
		if (!t[i].tag) {
			if (!tpl_is_blank(&t[i]))
				return false;
			continue;
		}
		if (t[i].sigil == 0 || t[i].sigil == '{')
			return false;
		ntag++;
	}
	if (ntag <= 1)
		return ntag == 1;
	/* Several tags: each must open or close a parent or block; what a
	 * closing tag closes is opened either earlier on this line or, once
	 * those are used up, on the parser's stack. */
	for (i = 0; i < n; i++) {
		if (!t[i].tag)
			continue;
		if (t[i].sigil == '<' || t[i].sigil == '$')
			local++;
		else if (t[i].sigil == '/' && local)
			local--;
		else if (t[i].sigil == '/' && glob &&
			 (p->stack[glob - 1].sigil == '<' ||
			  p->stack[glob - 1].sigil == '$'))
			glob--;
		else
			return false;
	}
	return true;
}

/*
 * Intrinsic indentation of a block whose opening tag ends a standalone
 * line: the leading whitespace of the first non-blank line after it.
 * Using the content rather than the tag lets
 *     {{$block}}
 *       default
 *     {{/block}}
 * say "indent overrides by two" ("Intrinsic indentation" in the spec).
 */
static void tpl_intrinsic(const struct tpl_parser *p, const char **d,
			  size_t *len)
{
	const char *s = p->src;
	size_t q = p->pos, b;

	*d = s + q;
	*len = 0;
	while (q < p->len) {
		b = q;
		while (q < p->len && (s[q] == ' ' || s[q] == '\t'))
			q++;
		if (q < p->len && s[q] == '\n') {
			q++;
			continue;
		}
		if (q + 1 < p->len && s[q] == '\r' && s[q + 1] == '\n') {
			q += 2;
			continue;
		}
		if (q < p->len) {
			*d = s + b;
			*len = q - b;
		}
		return;
	}
}

static int tpl_add_node(struct tpl_parser *p, enum tpl_kind kind,
			const struct tpl_tok *tk)
{
	struct tpl_tpl *t = p->t;
	struct tpl_node *nd;

	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 32;

		nd = realloc(t->nodes, cap * sizeof(*nd));
		if (!nd)
			return -1;
		t->nodes = nd;
		t->cap = cap;
	}
	nd = &t->nodes[t->n];
	memset(nd, 0, sizeof(*nd));
	nd->kind = (unsigned char)kind;
	nd->next = t->n + 1;
	if (tk) {
		nd->s = tk->s;
		nd->len = tk->len;
		nd->ind = tk->ind;
		nd->ind_len = tk->ind_len;
		nd->line = tk->line;
		nd->at_bol = tk->at_bol;
	}
	t->n++;
	return 0;
}

static int tpl_emit_line_start(struct tpl_parser *p)
{
	const struct tpl_open *top = p->depth ? &p->stack[p->depth - 1] : NULL;

	/* The block's BLOCK_START already stands for its first line. */
	if (top && top->sigil == '$' && p->t->n == top->node + 2)
		return 0;
	return tpl_add_node(p, TPL_N_LINE, NULL);
}

static int tpl_emit_open(struct tpl_parser *p, struct tpl_tok *tk)
{
	struct tpl_open *o;
	enum tpl_kind kind;
	size_t node = p->t->n;

	if (p->depth == TPL_MAX_DEPTH) {
		tpl_perr(p, tk->line, "sections nested deeper than %d levels",
			 TPL_MAX_DEPTH);
		return -1;
	}
	switch (tk->sigil) {
	case '#': kind = TPL_N_SECTION; break;
	case '^': kind = TPL_N_INVERTED; break;
	case '<': kind = TPL_N_PARENT; break;
	default: kind = TPL_N_BLOCK; break;
	}
	if (tk->has_ded) {
		/* The expansion indentation is the intrinsic one relative to
		 * the lines around it, which are themselves dedented. */
		size_t dlen, k = 0;
		const char *d = tpl_active_dedent(p, &dlen);

		while (k < dlen && k < tk->ded_len && tk->ded[k] == d[k])
			k++;
		tk->ind = tk->ded + k;
		tk->ind_len = tk->ded_len - k;
	}
	if (tpl_add_node(p, kind, tk) < 0)
		return -1;
	if (kind == TPL_N_BLOCK && tpl_add_node(p, TPL_N_BLOCK_START, tk) < 0)
		return -1;
	o = &p->stack[p->depth++];
	o->name = tk->s;
	o->len = tk->len;
	o->node = node;
	o->line = tk->line;
	o->sigil = tk->sigil;
	o->has_ded = tk->has_ded;
	o->ded = tk->ded;
	o->ded_len = tk->ded_len;
	return 0;
}

static int tpl_emit_close(struct tpl_parser *p, const struct tpl_tok *tk)
{
	const struct tpl_open *o;

	if (!p->depth) {
		tpl_perr(p, tk->line, "unexpected closing tag '%.*s'",
			 tpl_name_len(tk->len), tk->s);
		return -1;
	}
	o = &p->stack[p->depth - 1];
	if (o->len != tk->len || memcmp(o->name, tk->s, tk->len)) {
		tpl_perr(p, tk->line,
			 "closing tag '%.*s' does not match '%.*s' opened on line %u",
			 tpl_name_len(tk->len), tk->s, tpl_name_len(o->len),
			 o->name, o->line);
		return -1;
	}
	p->t->nodes[o->node].next = p->t->n;
	p->depth--;
	return 0;
}

static int tpl_emit(struct tpl_parser *p, struct tpl_tok *tk)
{
	if (!tk->tag)
		return tpl_add_node(p, TPL_N_TEXT, tk);
	switch (tk->sigil) {
	case 0:
		return tpl_add_node(p, TPL_N_VAR, tk);
	case '{':
		return tpl_add_node(p, TPL_N_RAW, tk);
	case '>':
		return tpl_add_node(p, TPL_N_PARTIAL, tk);
	case '/':
		return tpl_emit_close(p, tk);
	case '!':
	case '=':
		return 0;
	default:
		return tpl_emit_open(p, tk);
	}
}

/* Decides the whitespace of the lexed line, then adds its nodes. */
static int tpl_process_line(struct tpl_parser *p)
{
	struct tpl_tok *t;
	size_t i, n, keep = 0;
	long blk;

	tpl_dedent_line(p);
	t = p->toks;
	n = p->ntoks;
	if (!n)
		return 0;
	blk = tpl_line_block_pair(p);
	if (blk >= 0) {
		t[blk].at_bol = true;
		if (blk == 1) {
			t[1].ind = t[0].s;
			t[1].ind_len = t[0].len;
		}
		i = (size_t)blk;
	} else if (tpl_line_standalone(p)) {
		/* The line's leading blank (never a line ending: a tag follows
		 * it) indents what the first tag includes. */
		const char *ws = t[0].tag ? NULL : t[0].s;
		size_t ws_len = t[0].tag ? 0 : t[0].len, last;

		/* Drop the text, keep the tags; all of them start a line. */
		for (i = 0; i < n; i++) {
			if (!t[i].tag)
				continue;
			if (keep == 0) {
				t[i].ind = ws;
				t[i].ind_len = ws_len;
			}
			t[i].at_bol = true;
			t[keep++] = t[i];
		}
		last = keep - 1;
		if (t[last].sigil == '$' && p->pos > 0 &&
		    p->src[p->pos - 1] == '\n') {
			t[last].has_ded = true;
			tpl_intrinsic(p, &t[last].ded, &t[last].ded_len);
		}
		n = keep;
		i = 0;
	} else {
		if (tpl_emit_line_start(p) < 0)
			return -1;
		i = 0;
	}
	for (; i < n; i++)
		if (tpl_emit(p, &t[i]) < 0)
			return -1;
	return 0;
}

static struct tpl_tpl *tpl_parse(const char *src, const char *pname,
				 char **err)
{
	struct tpl_parser p;
	struct tpl_tpl *t = calloc(1, sizeof(*t)), *res = NULL;
	const char *nl;

	memset(&p, 0, sizeof(p));
	p.src = src;
	p.len = strlen(src);
	p.line = 1;
	p.otag = "{{";
	p.olen = 2;
	p.ctag = "}}";
	p.clen = 2;
	nl = memchr(src, '\n', p.len);
	p.nl = nl ? (size_t)(nl - src) : p.len;
	p.t = t;
	if (!t)
		goto out;
	if (pname && !(t->name = tpl_strdup(pname)))
		goto out;
	while (p.pos < p.len)
		if (tpl_lex_line(&p) < 0 || tpl_process_line(&p) < 0)
			goto out;
	if (p.depth) {
		const struct tpl_open *o = &p.stack[p.depth - 1];
		const char *what = o->sigil == '#' ? "section" :
				   o->sigil == '^' ? "inverted section" :
				   o->sigil == '$' ? "block" : "parent";

		tpl_perr(&p, o->line, "unclosed %s '%.*s'", what,
			 tpl_name_len(o->len), o->name);
		goto out;
	}
	res = t;
	t = NULL;
out:
	if (!res && p.err) {
		*err = pname ? tpl_fmt("partial '%.*s': %s", TPL_ERR_NAME,
				       pname, p.err)
			     : p.err;
		if (*err == p.err)
			p.err = NULL;
	}
	free(p.err);
	free(p.toks);
	tpl_free(t);
	return res;
}

/* ------------------------------------------------------------------ */
/* Renderer                                                           */
/* ------------------------------------------------------------------ */

/* A parent being expanded: its block children override blocks. */
struct tpl_frame {
	const struct tpl_tpl *t;
	size_t node;
	const struct tpl_frame *outer;
};

/* A partial looked up during this render (t is NULL if unknown). */
struct tpl_entry {
	char *name;
	size_t len;
	struct tpl_tpl *t;
};

struct tpl_rs {
	struct tpl_buf out;
	/* Indentation of the frames being rendered: each frame's is the
	 * tail [start, ind.len) and nested frames append and truncate. */
	struct tpl_buf ind;
	/* Indentation owed to the line being started.  It is written just
	 * before the line's first output rather than at the line start, so
	 * that a block's first line, which may be announced both by its
	 * BLOCK_START and by a LINE inside the content (or by nothing when
	 * the content is empty), is indented exactly once. */
	struct tpl_buf pend;
	bool pend_ls;		/* pend was set by a LINE node */
	json_t *ctx[TPL_MAX_DEPTH + 1];
	size_t nctx;
	unsigned depth;
	unsigned long steps;
	tpl_lookup_fn lookup;
	tpl_compiled_fn compiled;	/* instead of lookup: already parsed */
	void *ud;
	struct tpl_entry *cache;
	size_t ncache, capcache;
	char *err;
};

__attribute__((format(printf, 4, 5)))
static void tpl_rerr(struct tpl_rs *rs, const struct tpl_tpl *t,
		     unsigned line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	free(rs->err);
	rs->err = tpl_where(t->name, line, tpl_vfmt(fmt, ap));
	va_end(ap);
}

static int tpl_check_output(struct tpl_rs *rs, const struct tpl_tpl *t,
			    unsigned line)
{
	if (rs->out.len <= TPL_MAX_OUTPUT)
		return 0;
	tpl_rerr(rs, t, line, "output larger than %zu bytes",
		 (size_t)TPL_MAX_OUTPUT);
	return -1;
}

/* Makes the indentation [ind, rs->ind.len) owed to the next output. */
static int tpl_pending(struct tpl_rs *rs, size_t ind, bool from_line)
{
	rs->pend.len = 0;
	rs->pend_ls = from_line;
	return tpl_buf_put(&rs->pend, rs->ind.d + ind, rs->ind.len - ind);
}

/* Reserves room for `n` more output bytes, paying owed indentation. */
static int tpl_out_begin(struct tpl_rs *rs, const struct tpl_tpl *t,
			 unsigned line, size_t n)
{
	size_t owed = rs->pend.len;

	if (n > TPL_MAX_OUTPUT - rs->out.len ||
	    owed > TPL_MAX_OUTPUT - rs->out.len - n) {
		rs->out.len = TPL_MAX_OUTPUT + 1;
		return tpl_check_output(rs, t, line);
	}
	rs->pend.len = 0;
	return tpl_buf_put(&rs->out, rs->pend.d, owed);
}

static int tpl_out(struct tpl_rs *rs, const struct tpl_tpl *t, unsigned line,
		   const char *s, size_t n)
{
	if (n == 0)
		return 0;
	if (tpl_out_begin(rs, t, line, n) < 0)
		return -1;
	return tpl_buf_put(&rs->out, s, n);
}

/*
 * Writes a double in the shortest form that reads back unchanged.  If
 * some form of at most 15 significant digits reads back, "%.15g" prints
 * exactly it (doubles are accurate to ~16 digits and %g drops trailing
 * zeros), so the search can start at 15 instead of 1: one snprintf for
 * the decimals people actually type.
 */
static size_t tpl_fmt_real(char *buf, size_t size, double d)
{
	int prec, n = 0;
	size_t i;

	for (prec = 15; prec <= 17; prec++) {
		n = snprintf(buf, size, "%.*g", prec, d);
		if (n < 0 || (size_t)n >= size)
			return 0;
		if (strtod(buf, NULL) == d)
			break;
	}
	/* A locale with a decimal comma must not leak into markup. */
	for (i = 0; i < (size_t)n; i++)
		if (buf[i] == ',')
			buf[i] = '.';
	return (size_t)n;
}

static bool tpl_truthy(const json_t *v)
{
	if (!v)
		return false;
	switch (json_typeof(v)) {
	case JSON_FALSE:
	case JSON_NULL:
		return false;
	case JSON_ARRAY:
		return json_array_size(v) > 0;
	default:
		return true;
	}
}

/*
 * Resolves a (dotted) name: the first segment is looked up in the
 * context stack from the top down, stopping at the first object that
 * has the key even if its value is null; later segments must resolve
 * in the value found, with no fallback to outer contexts.
 */
static json_t *tpl_resolve(const struct tpl_rs *rs, const char *name,
			   size_t len)
{
	const char *dot;
	size_t seg, k;
	json_t *v = NULL;

	if (!rs->nctx)
		return NULL;
	if (len == 1 && name[0] == '.')
		return rs->ctx[rs->nctx - 1];
	dot = memchr(name, '.', len);
	seg = dot ? (size_t)(dot - name) : len;
	for (k = rs->nctx; k-- > 0;) {
		if (json_is_object(rs->ctx[k]) &&
		    (v = json_object_getn(rs->ctx[k], name, seg)))
			break;
	}
	while (v && dot) {
		len -= seg + 1;
		name = dot + 1;
		dot = memchr(name, '.', len);
		seg = dot ? (size_t)(dot - name) : len;
		v = json_is_object(v) ? json_object_getn(v, name, seg) : NULL;
	}
	return v;
}

static int tpl_put_value(struct tpl_rs *rs, const struct tpl_tpl *t,
			 const struct tpl_node *nd, const json_t *v)
{
	char num[64];
	const char *s;
	size_t n;
	int rc;

	if (!v)
		return 0;
	switch (json_typeof(v)) {
	case JSON_STRING:
		s = json_string_value(v);
		n = json_string_length(v);
		break;
	case JSON_INTEGER:
		rc = snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
			      json_integer_value(v));
		s = num;
		n = rc > 0 ? (size_t)rc : 0;
		break;
	case JSON_REAL:
		n = tpl_fmt_real(num, sizeof(num), json_real_value(v));
		s = num;
		break;
	case JSON_TRUE:
		s = "true";
		n = 4;
		break;
	case JSON_FALSE:
		s = "false";
		n = 5;
		break;
	default:
		return 0;
	}
	if (n == 0)
		return 0;
	if (tpl_out_begin(rs, t, nd->line, n) < 0)
		return -1;
	rc = nd->kind == TPL_N_VAR ? tpl_buf_put_escaped(&rs->out, s, n)
				   : tpl_buf_put_raw(&rs->out, s, n);
	if (rc < 0)
		return -1;
	return tpl_check_output(rs, t, nd->line);
}

/* The partial `name` from an already-parsed set: nothing to parse or keep. */
static int tpl_get_compiled(struct tpl_rs *rs, const char *name, size_t len,
			    const struct tpl_tpl **res)
{
	char small[128], *copy = small;

	if (len >= sizeof(small) && !(copy = malloc(len + 1)))
		return -1;
	memcpy(copy, name, len);
	copy[len] = '\0';
	*res = rs->compiled(copy, rs->ud);
	if (copy != small)
		free(copy);
	return 0;
}

/* Finds (parsing on first use) the partial `name`; *res NULL if none. */
static int tpl_get_partial(struct tpl_rs *rs, const char *name, size_t len,
			   const struct tpl_tpl **res)
{
	struct tpl_entry *e;
	struct tpl_tpl *t = NULL;
	char *copy = NULL;
	const char *src;
	size_t k;
	int rc = -1;

	if (rs->compiled)
		return tpl_get_compiled(rs, name, len, res);
	for (k = 0; k < rs->ncache; k++) {
		e = &rs->cache[k];
		if (e->len == len && !memcmp(e->name, name, len)) {
			*res = e->t;
			rc = 0;
			goto out;
		}
	}
	if (rs->ncache == rs->capcache) {
		size_t cap = rs->capcache ? rs->capcache * 2 : 8;

		e = realloc(rs->cache, cap * sizeof(*e));
		if (!e)
			goto out;
		rs->cache = e;
		rs->capcache = cap;
	}
	copy = malloc(len + 1);
	if (!copy)
		goto out;
	memcpy(copy, name, len);
	copy[len] = '\0';
	src = rs->lookup ? rs->lookup(copy, rs->ud) : NULL;
	if (src && !(t = tpl_parse(src, copy, &rs->err)))
		goto out;
	e = &rs->cache[rs->ncache++];
	e->name = copy;
	e->len = len;
	e->t = t;
	copy = NULL;
	*res = t;
	rc = 0;
out:
	free(copy);
	return rc;
}

static int tpl_render_range(struct tpl_rs *rs, const struct tpl_tpl *t,
			    size_t i, size_t end, size_t ind,
			    const struct tpl_frame *fr);

static int tpl_enter(struct tpl_rs *rs, const struct tpl_tpl *t,
		     const struct tpl_node *nd)
{
	if (rs->depth < TPL_MAX_DEPTH) {
		rs->depth++;
		return 0;
	}
	tpl_rerr(rs, t, nd->line, "templates nested deeper than %d levels",
		 TPL_MAX_DEPTH);
	return -1;
}

static int tpl_render_section(struct tpl_rs *rs, const struct tpl_tpl *t,
			      size_t i, size_t ind, const struct tpl_frame *fr)
{
	const struct tpl_node *nd = &t->nodes[i];
	json_t *v = tpl_resolve(rs, nd->s, nd->len);
	size_t k, n = 1;
	int rc = 0;

	if (tpl_truthy(v) == (nd->kind == TPL_N_INVERTED))
		goto out;
	rc = tpl_enter(rs, t, nd);
	if (rc < 0)
		goto out;
	if (nd->kind == TPL_N_INVERTED) {
		rc = tpl_render_range(rs, t, i + 1, nd->next, ind, fr);
	} else {
		if (json_is_array(v))
			n = json_array_size(v);
		for (k = 0; k < n && rc == 0; k++) {
			rs->ctx[rs->nctx++] =
				json_is_array(v) ? json_array_get(v, k) : v;
			rc = tpl_render_range(rs, t, i + 1, nd->next, ind, fr);
			rs->nctx--;
		}
	}
	rs->depth--;
out:
	return rc;
}

/* {{>partial}} and {{<parent}}...{{/parent}}. */
static int tpl_render_include(struct tpl_rs *rs, const struct tpl_tpl *t,
			      size_t i, size_t ind, const struct tpl_frame *fr)
{
	const struct tpl_node *nd = &t->nodes[i];
	const struct tpl_tpl *inc = NULL;
	struct tpl_frame frame = { t, i, fr };
	size_t mark = rs->ind.len, start = mark;
	int rc;

	rc = tpl_get_partial(rs, nd->s, nd->len, &inc);
	if (rc < 0 || !inc)
		goto out;
	rc = tpl_enter(rs, t, nd);
	if (rc < 0)
		goto out;
	/* A standalone tag indents every line of what it includes on top of
	 * the current indentation; an inline one leaves the text alone. */
	if (nd->at_bol) {
		start = ind;
		rc = tpl_buf_put(&rs->ind, nd->ind, nd->ind_len);
	}
	if (rc == 0)
		rc = tpl_render_range(rs, inc, 0, inc->n, start,
				      nd->kind == TPL_N_PARENT ? &frame : fr);
	rs->ind.len = mark;
	rs->depth--;
out:
	return rc;
}

/*
 * Finds the content for block `nd`: the outermost override wins, so a
 * template's own arguments beat those its parents pass further up.
 */
static void tpl_find_block(const struct tpl_frame *fr,
			   const struct tpl_node *nd, const struct tpl_tpl **bt,
			   size_t *b)
{
	for (; fr; fr = fr->outer) {
		const struct tpl_node *nodes = fr->t->nodes;
		size_t k = fr->node + 1, end = nodes[fr->node].next;

		for (; k < end; k = nodes[k].next) {
			if (nodes[k].kind == TPL_N_BLOCK &&
			    nodes[k].len == nd->len &&
			    !memcmp(nodes[k].s, nd->s, nd->len)) {
				*bt = fr->t;
				*b = k;
			}
		}
	}
}

static int tpl_render_block(struct tpl_rs *rs, const struct tpl_tpl *t,
			    size_t i, size_t ind, const struct tpl_frame *fr)
{
	const struct tpl_node *nd = &t->nodes[i];
	const struct tpl_tpl *bt = t;
	size_t b = i, j, mark = rs->ind.len;
	int rc;

	tpl_find_block(fr, nd, &bt, &b);
	rc = tpl_enter(rs, t, nd);
	if (rc < 0)
		goto out;
	rc = tpl_buf_put(&rs->ind, nd->ind, nd->ind_len);
	j = b + 2;	/* skip the block and its BLOCK_START */
	if (rc == 0 && nd->at_bol)
		rc = tpl_pending(rs, ind, false);
	if (rc == 0)
		rc = tpl_render_range(rs, bt, j, bt->nodes[b].next, ind, fr);
	rs->ind.len = mark;
	rs->depth--;
out:
	return rc;
}

static int tpl_render_range(struct tpl_rs *rs, const struct tpl_tpl *t,
			    size_t i, size_t end, size_t ind,
			    const struct tpl_frame *fr)
{
	int rc = 0;

	while (i < end && rc == 0) {
		const struct tpl_node *nd = &t->nodes[i];

		if (++rs->steps > TPL_MAX_STEPS) {
			tpl_rerr(rs, t, nd->line,
				 "rendering takes more than %lu steps",
				 (unsigned long)TPL_MAX_STEPS);
			rc = -1;
			break;
		}
		switch (nd->kind) {
		case TPL_N_TEXT:
			rc = tpl_out(rs, t, nd->line, nd->s, nd->len);
			break;
		case TPL_N_LINE:
			rc = tpl_pending(rs, ind, true);
			break;
		case TPL_N_VAR:
		case TPL_N_RAW:
			rc = tpl_put_value(rs, t, nd,
					   tpl_resolve(rs, nd->s, nd->len));
			break;
		case TPL_N_SECTION:
		case TPL_N_INVERTED:
			rc = tpl_render_section(rs, t, i, ind, fr);
			break;
		case TPL_N_PARTIAL:
		case TPL_N_PARENT:
			rc = tpl_render_include(rs, t, i, ind, fr);
			break;
		case TPL_N_BLOCK:
			rc = tpl_render_block(rs, t, i, ind, fr);
			break;
		default:
			break;
		}
		i = nd->next;
	}
	return rc;
}

/* Renders root with rs (lookup set up by the caller); frees rs. */
static char *tpl_run(struct tpl_rs *rs, const struct tpl_tpl *root, json_t *ctx,
		     char **err)
{
	char *res = NULL;
	size_t k;

	if (!root)
		goto out;
	if (ctx)
		rs->ctx[rs->nctx++] = ctx;
	/* LINE nodes read the indentation buffer even when it is empty. */
	if (tpl_buf_reserve(&rs->ind, 64) < 0 ||
	    tpl_render_range(rs, root, 0, root->n, 0, NULL) < 0)
		goto out;
	/* A last line that produced nothing still gets its indentation, as
	 * if the partial's source had been indented; a block's first line
	 * that never came does not. */
	if (!rs->pend_ls)
		rs->pend.len = 0;
	if (tpl_out_begin(rs, root, 0, 0) < 0 ||
	    tpl_buf_put(&rs->out, "", 1) < 0)
		goto out;
	res = rs->out.d;
	rs->out.d = NULL;
out:
	if (!res && err)
		*err = rs->err ? rs->err : tpl_strdup("out of memory");
	if (res || !err)
		free(rs->err);
	for (k = 0; k < rs->ncache; k++) {
		free(rs->cache[k].name);
		tpl_free(rs->cache[k].t);
	}
	free(rs->cache);
	free(rs->out.d);
	free(rs->ind.d);
	free(rs->pend.d);
	return res;
}

static void tpl_rs_init(struct tpl_rs *rs, void *ud, char **err)
{
	memset(rs, 0, sizeof(*rs));
	rs->ud = ud;
	if (err)
		*err = NULL;
}

char *tpl_render(const char *src, json_t *ctx, tpl_lookup_fn lookup, void *ud,
		 char **err)
{
	struct tpl_rs rs;
	struct tpl_tpl *root = NULL;
	char *res;

	tpl_rs_init(&rs, ud, err);
	rs.lookup = lookup;
	if (!src)
		rs.err = tpl_fmt("no template");
	else
		root = tpl_parse(src, NULL, &rs.err);
	res = tpl_run(&rs, root, ctx, err);
	tpl_free(root);
	return res;
}

struct tpl_tpl *tpl_compile(const char *src, const char *name, char **err)
{
	char *msg = NULL;
	struct tpl_tpl *t = src ? tpl_parse(src, name, &msg) : NULL;

	if (err)
		*err = t ? NULL : msg ? msg : tpl_strdup(src ? "out of memory" : "no template");
	else
		free(msg);
	return t;
}

void tpl_destroy(struct tpl_tpl *t)
{
	tpl_free(t);
}

char *tpl_render_compiled(const struct tpl_tpl *t, json_t *ctx,
			  tpl_compiled_fn lookup, void *ud, char **err)
{
	struct tpl_rs rs;

	tpl_rs_init(&rs, ud, err);
	rs.compiled = lookup;
	if (!t)
		rs.err = tpl_fmt("no template");
	return tpl_run(&rs, t, ctx, err);
}

char *tpl_escape_html(const char *s)
{
	struct tpl_buf b = { NULL, 0, 0 };
	char *res = NULL;

	if (!s)
		goto out;
	if (tpl_buf_put_escaped(&b, s, strlen(s)) < 0 ||
	    tpl_buf_put(&b, "", 1) < 0)
		goto out;
	res = b.d;
	b.d = NULL;
out:
	free(b.d);
	return res;
}
