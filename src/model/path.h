/*
 * path.h — what the pages need from the beneficiary's path besides the type
 * descriptors (schema.h): the rules about timing, which import does not
 * check (exchange-format.md, "Import validates, and does nothing else") and
 * the web layer enforces when people work, and the closed lists the pages
 * and access rules share. docs/modules/path.md says more.
 */
#ifndef PARCOURS_PATH_H
#define PARCOURS_PATH_H

/* The itineraries, in the order of exchange-format.md (NULL-ended). */
extern const char *const path_itineraries[];
/* The step categories that are health information (NULL-ended): only a
 * user with the health accreditation sees them (web/access.h). */
extern const char *const step_health_categories[];
/* True when a step of this category is health information. */
int step_is_health(const char *category);

/* Why an appointment at `at` (RFC 3339) may not have `status` at `now`
 * (RFC 3339, datetime_now()), in French, or NULL when it may: a future
 * appointment cannot be honored or missed. NULL too when a datetime does
 * not parse (the field's own check says so). */
const char *appointment_status_problem(const char *at, const char *status, const char *now);
/* The same for an attendance at a collective session held at session_at: a
 * future session cannot have people present or absent. */
const char *attendance_status_problem(const char *session_at, const char *status, const char *now);
/* Seconds since 1970-01-01T00:00:00Z of an RFC 3339 datetime with offset;
 * 0 and *out set, or -1 when it does not parse. */
int path_datetime_seconds(const char *s, long long *out);

#endif
