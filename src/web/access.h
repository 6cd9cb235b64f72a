/*
 * access.h — who may see what (domain.md, "Access rules"), in one place.
 *
 * Two functions decide everything:
 *  - access_route(): may this user use this route at all? (401/403)
 *  - access_scope_people(): the SQL condition that every list, search,
 *    count and file of people goes through, so that a search never returns
 *    a person the user may not open and counts only count what they see.
 * Later issues add their links (orientations, assignments, enrolments …)
 * to access_scope_people(), never to the pages.
 *
 * Health steps (step categories health_first_access, health_resumption)
 * need the user's health accreditation on top of seeing the person: every
 * page, list, count and web export of steps goes through
 * access_scope_steps() or access_step_visible(); without the
 * accreditation they do not exist (404 on their URL). The command line
 * (import, export, report, backup) is an administrator's tool with full
 * rights on the database file and does not filter them (domain.md).
 */
#ifndef PARCOURS_ACCESS_H
#define PARCOURS_ACCESS_H
#include <jansson.h>

#include "base/buf.h"

struct db;
struct db_stmt;
struct request;
struct user;

/* 0 when the request may use a route open to the roles in `roles` (enum
 * role bits; 0 = any signed-in user); else 401 (not signed in) or 403. */
int access_route(const struct request *req, unsigned roles);
/* Appends " AND (condition)" on person alias p and household alias h, with
 * its values appended to binds (JSON array of strings). */
void access_scope_people(const struct user *u, struct buf *sql, json_t *binds);
/* How long a link (orientation, référent assignment) keeps giving access
 * after its end (domain.md: "or was within the last 12 months"). */
#define ACCESS_LINK_MONTHS 12

/* True when u may open person id. */
int access_person_visible(struct db *db, const struct user *u, const char *id);
/* True when u may see a step of this category (health steps need the
 * health accreditation). Check the person with access_person_visible(). */
int access_step_visible(const struct user *u, const char *category);
/* Appends " AND alias.category NOT IN (health categories)" when u has no
 * health accreditation, nothing otherwise: for every query of steps. */
void access_scope_steps(const struct user *u, const char *alias, struct buf *sql);
/* The NIR is shown only to orientation officers, instance secretaries and admins. */
int access_sees_nir(const struct user *u);
/* Binds the JSON array's strings (and integers) to ?1…?n from `first`. */
int query_bind(struct db_stmt *st, json_t *binds, int first);

#endif
