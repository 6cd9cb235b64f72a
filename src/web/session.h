/*
 * session.h — who is asking: session cookies, bearer tokens, CSRF tokens,
 * sign-in with rate limiting.
 *
 * Cookie "parcours_session": 64 hex characters of randomness; the database
 * keeps only its SHA-256. A session ends after SESSION_IDLE seconds without
 * a request or SESSION_MAX seconds after sign-in, whichever comes first.
 */
#ifndef PARCOURS_SESSION_H
#define PARCOURS_SESSION_H
#include <jansson.h>

struct request;
struct response;

#define SESSION_COOKIE "parcours_session"
#define PRELOGIN_COOKIE "parcours_prelogin"
#define SESSION_IDLE (30 * 60)
#define SESSION_MAX (12 * 60 * 60)
/* Failed sign-ins allowed in SIGNIN_WINDOW seconds before 429. */
#define SIGNIN_MAX_PER_ACCOUNT 5
#define SIGNIN_MAX_PER_ADDRESS 20
#define SIGNIN_WINDOW (15 * 60)

/* Identifies the request's user from a bearer token or the session cookie;
 * sets req->signed_in, req->user, req->csrf, req->session_expired. */
void session_identify(struct request *req);
/* True when the request carries the session's CSRF token in the form field
 * "csrf" (always true for bearer-token requests). */
int session_csrf_ok(const struct request *req);

enum signin_result { SIGNIN_OK, SIGNIN_BAD, SIGNIN_THROTTLED, SIGNIN_FAILED };
/* Checks the e-mail and password; on success opens a session (cookie in
 * res), records a sign_in and an audit entry. */
enum signin_result session_sign_in(struct request *req, struct response *res, const char *email,
				   const char *password);
/* Ends the request's session and clears the cookie. */
void session_sign_out(struct request *req, struct response *res);
/* Ends every other session of the request's user (after a password
 * change: whoever knew the old password is signed out). 0 or -1. */
int session_end_others(struct request *req);
/* The cookie attributes: HttpOnly; SameSite=Strict; Path=/ (+ Secure when
 * the request came over TLS through the proxy). */
void session_cookie(const struct request *req, struct response *res, const char *name,
		    const char *value, long max_age);

/* The form that was posted to req->path when the session had expired
 * (?resume=TOKEN after signing in again), decoded; NULL when none. The
 * kept copy is removed: it is shown once, for the user to check and send. */
json_t *pending_form_take(struct request *req);
/* The same kept form put in place of req->form, for a page that reads its
 * fields from the posted form (and otherwise from the stored record): it
 * then shows what was typed. 1 when a form was restored, else 0 (req->form
 * unchanged). The page shows it, it is never sent by this. */
int pending_form_restore(struct request *req);

#endif
