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
/* imports.c */
void page_imports(struct request *req, struct response *res);
void page_import_caf(struct request *req, struct response *res);
void page_import_ft(struct request *req, struct response *res);
/* orientation.c, orientation_bulk.c */
void page_orientation_queue(struct request *req, struct response *res);
void page_orientation_new(struct request *req, struct response *res);
void page_orientation_new_post(struct request *req, struct response *res);
void page_orientation_referent(struct request *req, struct response *res);
void page_orientation_referent_post(struct request *req, struct response *res);
void page_orientation_bulk(struct request *req, struct response *res);
void page_orientation_bulk_resume(struct request *req, struct response *res);
void page_orientation_letter(struct request *req, struct response *res);
void page_orientation_letters(struct request *req, struct response *res);

/* sessions.c */
void page_sessions(struct request *req, struct response *res);
void page_session_new(struct request *req, struct response *res);
void page_session_new_post(struct request *req, struct response *res);
void page_session(struct request *req, struct response *res);
void page_session_edit(struct request *req, struct response *res);
void page_session_edit_post(struct request *req, struct response *res);
void page_session_register(struct request *req, struct response *res);
void page_session_unregister(struct request *req, struct response *res);
void page_session_presence(struct request *req, struct response *res);
void page_session_survey(struct request *req, struct response *res);
void page_session_sheet(struct request *req, struct response *res);

/* merge.c */
void page_person_or_alias(struct request *req, struct response *res);
void page_merges(struct request *req, struct response *res);
void page_duplicates(struct request *req, struct response *res);
void page_person_merge(struct request *req, struct response *res);
void page_person_merge_post(struct request *req, struct response *res);

/* portfolio.c, timeline.c, path_forms.c (the référent's pages) */
void page_portfolio(struct request *req, struct response *res);
void page_portfolio_transfer(struct request *req, struct response *res);
void page_portfolio_transfer_post(struct request *req, struct response *res);
void page_portfolio_cover_post(struct request *req, struct response *res);
void page_timeline(struct request *req, struct response *res);
#define PATH_FORM_PAGES(name)                                                                     \
	void page_##name##_new(struct request *req, struct response *res);                       \
	void page_##name##_new_post(struct request *req, struct response *res);                  \
	void page_##name##_edit(struct request *req, struct response *res);                      \
	void page_##name##_edit_post(struct request *req, struct response *res);
PATH_FORM_PAGES(diagnostic)
PATH_FORM_PAGES(contract)
PATH_FORM_PAGES(appointment)
PATH_FORM_PAGES(step)
void page_contract_renew(struct request *req, struct response *res);
void page_convocation_pdf(struct request *req, struct response *res);
/* lists.c */
void page_lists(struct request *req, struct response *res);
void page_lists_upload(struct request *req, struct response *res);
void page_list_preview(struct request *req, struct response *res);
void page_list_mapping_post(struct request *req, struct response *res);
void page_list_confirm(struct request *req, struct response *res);
void page_list_report(struct request *req, struct response *res);

#endif
