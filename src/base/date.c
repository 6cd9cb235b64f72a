/* date.c — civil dates; see date.h. */
#include "base/date.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long today_override = -1;

/* Howard Hinnant's days-from-civil algorithm, written from its description. */
long date_from_civil(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void date_to_civil(long z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int date_month_days(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (m < 1 || m > 12)
		return 0;
	return days[m - 1] + (m == 2 && leap);
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int parse_ymd(const char *s, int *y, int *m, int *d)
{
	if (digits(s, 4, y) || s[4] != '-' || digits(s + 5, 2, m) || s[7] != '-' ||
	    digits(s + 8, 2, d))
		return -1;
	if (*y < 1900 || *y > 2200 || *m < 1 || *m > 12 || *d < 1 ||
	    *d > date_month_days(*y, *m))
		return -1;
	return 0;
}

int date_parse(const char *s, long *days)
{
	int y, m, d;

	if (!s || strlen(s) != 10 || parse_ymd(s, &y, &m, &d))
		return -1;
	*days = date_from_civil(y, m, d);
	return 0;
}

void date_format(long days, char out[static 11])
{
	int y, m, d;

	date_to_civil(days, &y, &m, &d);
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
}

long date_add_months(long days, int n)
{
	int y, m, d, total, dim;

	date_to_civil(days, &y, &m, &d);
	total = y * 12 + (m - 1) + n;
	y = total / 12;
	m = total % 12 + 1;
	dim = date_month_days(y, m);
	return date_from_civil(y, m, d > dim ? dim : d);
}

int datetime_valid(const char *s)
{
	int y, m, d, hh, mi, ss, oh, om;
	const char *p;

	if (!s || strlen(s) < 20 || parse_ymd(s, &y, &m, &d) || (s[10] != 'T' && s[10] != 't'))
		return 0;
	if (digits(s + 11, 2, &hh) || s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' ||
	    digits(s + 17, 2, &ss) || hh > 23 || mi > 59 || ss > 60)
		return 0;
	p = s + 19;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return 0;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0')
		return 1;
	if ((*p != '+' && *p != '-') || strlen(p) != 6 || digits(p + 1, 2, &oh) || p[3] != ':' ||
	    digits(p + 4, 2, &om))
		return 0;
	return oh <= 23 && om <= 59;
}

void date_set_today(long days)
{
	today_override = days;
}

long date_today(void)
{
	time_t now;
	struct tm tm;
	const char *env;
	long days;

	if (today_override >= 0)
		return today_override;
	env = getenv("PARCOURS_TODAY");
	if (env && !date_parse(env, &days))
		return days;
	/* Europe/Paris: the process sets TZ at start-up (main.c). */
	now = time(NULL);
	localtime_r(&now, &tm);
	return date_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

void date_format_fr(long days, char *out, size_t size)
{
	static const char *const months[] = { "janvier", "février", "mars", "avril",
		"mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre" };
	int y, m, d;

	date_to_civil(days, &y, &m, &d);
	snprintf(out, size, "%d%s %s %d", d, d == 1 ? "er" : "", months[m - 1], y);
}

void datetime_now(char out[static 32])
{
	time_t t = time(NULL);
	struct tm tm;
	char zone[8];

	localtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	strftime(zone, sizeof zone, "%z", &tm);
	snprintf(out + 19, 13, "%.3s:%.2s", zone, zone + 3); /* +0100 → +01:00 */
}

void datetime_app_now(char out[static 32])
{
	char today[11];

	datetime_now(out);
	date_format(date_today(), today);
	memcpy(out, today, 10); /* the time of day and its offset stay */
}

static int two_digits(const char *s, int max)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	int v = (s[0] - '0') * 10 + (s[1] - '0');
	return v <= max ? v : -1;
}

int datetime_local(const char *day, const char *hm, char out[static 32])
{
	long days;
	int y, mo, d, h, mi;
	struct tm tm;

	if (!day || !hm || date_parse(day, &days) || strlen(hm) != 5 || hm[2] != ':' ||
	    (h = two_digits(hm, 23)) < 0 || (mi = two_digits(hm + 3, 59)) < 0)
		return -1;
	date_to_civil(days, &y, &mo, &d);
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_isdst = -1; /* the zone (Europe/Paris, set by main.c) knows */
	if (mktime(&tm) == (time_t)-1)
		return -1;
	long off = tm.tm_gmtoff / 60;
	snprintf(out, 32, "%s:%02d:%02d:00%c%02ld:%02ld", day, h, mi, off < 0 ? '-' : '+',
		 labs(off) / 60, labs(off) % 60);
	out[10] = 'T';
	return 0;
}
