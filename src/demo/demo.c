/*
 * demo.c — entry point of the demo generator and the helpers its families
 * share: the PRNG, civil dates and the JSON line writer.
 */
#include <errno.h>
#include <string.h>

#include "demo/demo_internal.h"

/* Demo only: documented as such in the README; never a real account. */
const char demo_password[] = "parcours-demo-2017";

/*
 * The families in the order of exchange-format.md. A new family (orientations,
 * contracts …) is one new file and one line here, at its place in the order.
 */
typedef int (*demo_family_fn)(struct demo_ctx *ctx);
static const demo_family_fn demo_families[] = {
	demo_write_territories,
	demo_write_organisations,
	demo_write_users,
	demo_write_households,
	demo_write_people,
	demo_write_right_periods,
	demo_write_orientations,
	demo_write_referent_assignments,
	demo_write_diagnostics,
	demo_write_contracts,
	demo_write_appointments,
	demo_write_collective_sessions,
	demo_write_attendances,
	demo_write_survey_responses,
	demo_write_steps,
	demo_write_instances,
	demo_write_instance_members,
	demo_write_sittings,
	demo_write_case_reviews,
};

int demo_write(FILE *out, const struct demo_options *opt)
{
	struct demo_ctx ctx;
	int err = -1;

	memset(&ctx, 0, sizeof(ctx));
	ctx.out = out;
	ctx.seed = opt ? (uint64_t)opt->seed : DEMO_DEFAULT_SEED;
	ctx.households = opt && opt->households > 0 ? opt->households : DEMO_DEFAULT_HOUSEHOLDS;
	if (ctx.households > DEMO_MAX_HOUSEHOLDS || !out) {
		errno = EINVAL;
		goto out;
	}
	for (size_t i = 0; i < sizeof(demo_families) / sizeof(demo_families[0]); i++) {
		if (demo_families[i](&ctx))
			goto out;
	}
	/* A full disk shows up at the flush, not at the buffered writes. */
	if (fflush(out) == EOF || ferror(out))
		goto out;
	err = 0;
out:
	return err;
}

/* ---- PRNG: splitmix64 ---------------------------------------------- */

uint64_t demo_rng_next(struct demo_rng *r)
{
	uint64_t z = (r->state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

void demo_rng_seed(struct demo_rng *r, uint64_t seed, uint64_t stream)
{
	struct demo_rng tmp = { seed };
	uint64_t mixed = demo_rng_next(&tmp);

	/* Mixing the stream through the generator decorrelates nearby numbers. */
	tmp.state = mixed ^ (stream * 0xD1B54A32D192ED03ULL);
	r->state = demo_rng_next(&tmp);
}

uint32_t demo_rng_below(struct demo_rng *r, uint32_t n)
{
	/* Multiply-shift: the high 32 bits scaled to [0, n), no modulo bias worth
	 * the name for the small n the demo uses. */
	return (uint32_t)(((demo_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

long demo_rng_range(struct demo_rng *r, long lo, long hi)
{
	return lo + (long)demo_rng_below(r, (uint32_t)(hi - lo + 1));
}

bool demo_rng_permille(struct demo_rng *r, unsigned permille)
{
	return demo_rng_below(r, 1000) < permille;
}

size_t demo_rng_weighted(struct demo_rng *r, const unsigned *weights, size_t n)
{
	unsigned long total = 0;
	unsigned long draw;
	size_t i;

	for (i = 0; i < n; i++)
		total += weights[i];
	draw = demo_rng_below(r, (uint32_t)total);
	for (i = 0; i + 1 < n; i++) {
		if (draw < weights[i])
			break;
		draw -= weights[i];
	}
	return i;
}

/* ---- civil dates ---------------------------------------------------- */

static bool demo_is_leap(long year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* Leap years in [1, year]: the Gregorian rule counted, for year >= 0. */
static long demo_leaps_through(long year)
{
	return year / 4 - year / 100 + year / 400;
}

int demo_days_in_month(int year, int month)
{
	static const int len[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (month == 2 && demo_is_leap(year))
		return 29;
	return len[month - 1];
}

long demo_days(int year, int month, int day)
{
	/* Days before each month in a common year. */
	static const int before[12] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
	long days = 365L * (year - 1970) + demo_leaps_through(year - 1) - demo_leaps_through(1969);

	days += before[month - 1] + day - 1;
	if (month > 2 && demo_is_leap(year))
		days++;
	return days;
}

void demo_civil(long days, int *year, int *month, int *day)
{
	/* An estimate from the mean Gregorian year, then corrected by at most
	 * one in either direction. */
	int y = 1970 + (int)(days * 400 / 146097);
	int m = 1;
	long rest;

	while (demo_days(y, 1, 1) > days)
		y--;
	while (demo_days(y + 1, 1, 1) <= days)
		y++;
	rest = days - demo_days(y, 1, 1);
	while (rest >= demo_days_in_month(y, m)) {
		rest -= demo_days_in_month(y, m);
		m++;
	}
	*year = y;
	*month = m;
	*day = (int)rest + 1;
}

long demo_add_years(long days, int years)
{
	int y, m, d;

	demo_civil(days, &y, &m, &d);
	y += years;
	if (d > demo_days_in_month(y, m))
		d = demo_days_in_month(y, m);
	return demo_days(y, m, d);
}

long demo_next_month_start(long days)
{
	int y, m, d;

	demo_civil(days, &y, &m, &d);
	if (++m > 12) {
		m = 1;
		y++;
	}
	return demo_days(y, m, 1);
}

/* ---- JSON lines ----------------------------------------------------- */

static void demo_line_raw(struct demo_line *l, const char *s, size_t n)
{
	/* Keep room for the closing brace and newline. */
	if (l->overflow || l->len + n + 2 > sizeof(l->buf)) {
		l->overflow = true;
		return;
	}
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

/* A JSON string: quotes, backslashes and controls escaped; bytes ≥ 0x80 are
 * copied, so UTF-8 stays UTF-8 (the format forbids \u escapes of it). */
static void demo_line_quoted(struct demo_line *l, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	demo_line_raw(l, "\"", 1);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		char esc[6] = { '\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15] };

		if (*p == '"' || *p == '\\') {
			esc[1] = (char)*p;
			demo_line_raw(l, esc, 2);
		} else if (*p == '\n') {
			demo_line_raw(l, "\\n", 2);
		} else if (*p < 0x20) {
			demo_line_raw(l, esc, 6);
		} else {
			demo_line_raw(l, (const char *)p, 1);
		}
	}
	demo_line_raw(l, "\"", 1);
}

static void demo_line_key(struct demo_line *l, const char *key)
{
	demo_line_raw(l, ",", 1);
	demo_line_quoted(l, key);
	demo_line_raw(l, ":", 1);
}

void demo_line_begin(struct demo_line *l, const char *type, const char *id)
{
	l->len = 0;
	l->overflow = false;
	demo_line_raw(l, "{\"type\":", 8);
	demo_line_quoted(l, type);
	demo_line_key(l, "id");
	demo_line_quoted(l, id);
}

void demo_line_str(struct demo_line *l, const char *key, const char *value)
{
	if (!value)
		return;
	demo_line_key(l, key);
	demo_line_quoted(l, value);
}

void demo_line_int(struct demo_line *l, const char *key, long value)
{
	char num[24];
	int n = snprintf(num, sizeof(num), "%ld", value);

	demo_line_key(l, key);
	demo_line_raw(l, num, (size_t)n);
}

void demo_line_bool(struct demo_line *l, const char *key, bool value)
{
	demo_line_key(l, key);
	if (value)
		demo_line_raw(l, "true", 4);
	else
		demo_line_raw(l, "false", 5);
}

void demo_line_date(struct demo_line *l, const char *key, long days)
{
	char date[16];
	int y, m, d;

	demo_civil(days, &y, &m, &d);
	snprintf(date, sizeof(date), "%04d-%02d-%02d", y, m, d);
	demo_line_str(l, key, date);
}

void demo_line_strs(struct demo_line *l, const char *key, const char *const *values, size_t n)
{
	demo_line_key(l, key);
	demo_line_raw(l, "[", 1);
	for (size_t i = 0; i < n; i++) {
		if (i)
			demo_line_raw(l, ",", 1);
		demo_line_quoted(l, values[i]);
	}
	demo_line_raw(l, "]", 1);
}

int demo_line_end(struct demo_line *l, FILE *out)
{
	int err = -1;

	if (l->overflow) {
		/* A table entry too long for a line: a bug in the demo, not data. */
		errno = EOVERFLOW;
		goto out;
	}
	/* demo_line_raw() kept these two bytes free. */
	l->buf[l->len++] = '}';
	l->buf[l->len++] = '\n';
	if (fwrite(l->buf, 1, l->len, out) != l->len)
		goto out;
	err = 0;
out:
	return err;
}
