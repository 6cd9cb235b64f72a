/*
 * routes.c — every URL of the application and who may use it
 * (interfaces.md; domain.md, "Access rules"). The router checks the roles
 * before calling the handler; people-level visibility (404 for a person one
 * may not see) is decided by access_scope_people() inside the handlers.
 */
#include "model/user.h"
#include "web/pages/pages.h"
#include "web/router.h"

/* Roles that may see people by name: everyone but the analyst, whose view
 * is aggregates and pseudonyms only. */
#define PEOPLE_ROLES (ROLE_ANY & ~ROLE_ANALYST)

const struct route routes[] = {
	{ "GET", "/login", 0, ROUTE_PUBLIC, page_login },
	{ "POST", "/login", 0, ROUTE_PUBLIC | ROUTE_OWN_CSRF, page_login_post },
	{ "POST", "/logout", 0, 0, page_logout },
	{ "GET", "/account/password", 0, 0, page_password },
	{ "POST", "/account/password", 0, 0, page_password_post },
	{ "GET", "/", 0, 0, page_home },
	{ "GET", "/people", PEOPLE_ROLES, 0, page_people },
	{ "GET", "/people/{id}", PEOPLE_ROLES, 0, page_person },
	{ "GET", "/people/{id}/edit", PEOPLE_ROLES, 0, page_person_edit },
	{ "POST", "/people/{id}/edit", PEOPLE_ROLES, 0, page_person_edit_post },
	{ "GET", "/households/{id}", PEOPLE_ROLES, 0, page_household },
	{ "GET", "/organisations", 0, 0, page_organisations },
	{ "GET", "/organisations/{id}", 0, 0, page_organisation },
	{ "GET", "/organisations/{id}/edit", ROLE_ADMIN, 0, page_organisation_edit },
	{ "POST", "/organisations/{id}/edit", ROLE_ADMIN, 0, page_organisation_edit_post },
	{ "GET", "/territories", 0, 0, page_territories },
	{ "GET", "/territories/{id}", 0, 0, page_territory },
	{ "GET", "/users", ROLE_ADMIN, 0, page_users },
	{ "GET", "/users/new", ROLE_ADMIN, 0, page_user_new },
	{ "POST", "/users/new", ROLE_ADMIN, 0, page_user_new_post },
	{ "GET", "/users/{id}", ROLE_ADMIN, 0, page_user },
	{ "GET", "/audit", ROLE_ADMIN, 0, page_audit },
	{ NULL, NULL, 0, 0, NULL },
};
