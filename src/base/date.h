/*
 * date.h — calendar dates of the Europe/Paris civil calendar.
 *
 * A date is a day number (days since 1970-01-01, proleptic Gregorian), so
 * comparisons and differences are integer arithmetic. Text form YYYY-MM-DD.
 * Legal delays are calendar months with the day clamped to the month's end
 * (2017-12-31 + 2 months = 2018-02-28), as the law and indicators.md say.
 */
#ifndef PARCOURS_DATE_H
#define PARCOURS_DATE_H
#include <stddef.h>

/* Days since 1970-01-01 of a civil date (no validation). */
long date_from_civil(int y, int m, int d);
/* The civil date of a day number. */
void date_to_civil(long days, int *y, int *m, int *d);
/* Days in month m (1-12) of year y. */
int date_month_days(int y, int m);
/* Parses exactly "YYYY-MM-DD" naming a real day (2017-02-29 fails).
 * Returns 0 and the day number in *days, or -1. */
int date_parse(const char *s, long *days);
/* Writes "YYYY-MM-DD" into out (at least 11 bytes). */
void date_format(long days, char out[static 11]);
/* Adds n calendar months (n may be negative), clamping the day. */
long date_add_months(long days, int n);
/* True when s is an RFC 3339 datetime with a real date, a valid time and an
 * explicit offset ("2017-03-02T09:30:00+01:00" or "...Z"). */
int datetime_valid(const char *s);
/* Today in Europe/Paris, or the reference date set by date_set_today()
 * (the demo, dated 2016-2017, runs with PARCOURS_TODAY=2017-12-31). */
long date_today(void);
/* Overrides today (tests, demo). A negative value clears the override. */
void date_set_today(long days);
/* Now in Europe/Paris as RFC 3339 with its offset: "2017-03-02T09:30:00+01:00". */
void datetime_now(char out[static 32]);
/* Now in the application's time, for the rules about the past and the
 * future (an appointment cannot be honored before it happens): the real
 * time of day on date_today(), so that PARCOURS_TODAY (the demo's
 * 2017-12-31) dates it too. Audit and sign-in times use datetime_now(). */
void datetime_app_now(char out[static 32]);
/* The RFC 3339 datetime of a day ("YYYY-MM-DD") at "HH:MM" in
 * Europe/Paris, with that day's offset (+01:00 or +02:00). 0, or -1 when the
 * day or the time does not parse. */
int datetime_local(const char *day, const char *hm, char out[static 32]);
/* "25 novembre 2026" — the French long form used in letters and pages. */
void date_format_fr(long days, char *out, size_t size);

#endif
