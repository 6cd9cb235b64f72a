/*
 * pages.h — the page handlers, one file per family of pages. Each builds
 * res->data (the JSON answer and the template's context) and names its
 * template; access to the route was already checked by the router, and
 * every person it lists or opens goes through access_scope_people().
 */
#ifndef PARCOURS_PAGES_H
#define PARCOURS_PAGES_H

struct request;
struct response;

/* session_pages.c */
void page_login(struct request *req, struct response *res);
void page_login_post(struct request *req, struct response *res);
void page_logout(struct request *req, struct response *res);
void page_password(struct request *req, struct response *res);
void page_password_post(struct request *req, struct response *res);
/* home.c */
void page_home(struct request *req, struct response *res);
/* people.c */
void page_people(struct request *req, struct response *res);
void page_person(struct request *req, struct response *res);
void page_person_edit(struct request *req, struct response *res);
void page_person_edit_post(struct request *req, struct response *res);
void page_household(struct request *req, struct response *res);
/* organisations.c */
void page_organisations(struct request *req, struct response *res);
void page_organisation(struct request *req, struct response *res);
void page_organisation_edit(struct request *req, struct response *res);
void page_organisation_edit_post(struct request *req, struct response *res);
/* territories.c */
void page_territories(struct request *req, struct response *res);
void page_territory(struct request *req, struct response *res);
/* users.c */
void page_users(struct request *req, struct response *res);
void page_user(struct request *req, struct response *res);
void page_user_new(struct request *req, struct response *res);
void page_user_new_post(struct request *req, struct response *res);
/* audit.c */
void page_audit(struct request *req, struct response *res);

#endif
