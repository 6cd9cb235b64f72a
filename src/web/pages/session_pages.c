/* session_pages.c — sign-in, sign-out, password change. */
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "model/audit.h"
#include "model/password.h"
#include "model/user.h"
#include "web/form.h"
#include "web/http.h"
#include "web/pages/pages.h"
#include "web/session.h"

/* Where to go after signing in: only a local path (no open redirect). */
static const char *next_path(const char *next)
{
	return local_path(next) ? next : "/";
}

static void login_form(struct request *req, struct response *res, const char *email)
{
	char token[80];

	/* The sign-in form has no session yet: its CSRF token is a cookie of its
	 * own, sent back in the form (double submit). */
	if (cookie_get(req->cookie, PRELOGIN_COOKIE, token, sizeof token)) {
		token_new(token);
		session_cookie(req, res, PRELOGIN_COOKIE, token, 3600);
	}
	res->template = "login";
	res->title = "Connexion";
	if (!json_is_object(res->data)) {
		json_decref(res->data);
		res->data = json_object();
	}
	json_object_set_new(res->data, "prelogin", json_string(token));
	json_object_set_new(res->data, "email", json_string(email ? email : ""));
	json_object_set_new(res->data, "next", json_string(next_path(req_query(req, "next")
			? req_query(req, "next") : req_form(req, "next"))));
	if (req_query(req, "resume") || req_form(req, "resume"))
		json_object_set_new(res->data, "resume", json_string(req_query(req, "resume")
			? req_query(req, "resume") : req_form(req, "resume")));
	if (req_query(req, "expired"))
		json_object_set_new(res->data, "expired", json_true());
}

void page_login(struct request *req, struct response *res)
{
	if (req->signed_in && !req->bearer) {
		res_redirect(res, next_path(req_query(req, "next")));
		return;
	}
	login_form(req, res, NULL);
}

static void after_sign_in(struct request *req, struct response *res)
{
	const char *next = next_path(req_form(req, "next"));
	const char *resume = req_form(req, "resume");
	char target[1200];

	if (req->wants_json) {
		res->data = json_pack("{s:o}", "user", user_json(&req->user));
		return;
	}
	if (resume && strlen(resume) == 64 && strspn(resume, "0123456789abcdef") == 64)
		snprintf(target, sizeof target, "%s%cresume=%s", next, strchr(next, '?') ? '&' : '?',
			 resume);
	else
		snprintf(target, sizeof target, "%s", next);
	res_redirect(res, target);
}

void page_login_post(struct request *req, struct response *res)
{
	const char *email = req_form(req, "email"), *password = req_form(req, "password");
	const char *sent = req_form(req, "prelogin");
	char token[80];

	/* JSON clients too: Accept is a header any page may set on a cross-site
	 * request, so it proves nothing; scripts use bearer tokens, not /login. */
	if (cookie_get(req->cookie, PRELOGIN_COOKIE, token, sizeof token) || !sent ||
	    !token_equal(sent, token)) {
		res_error(res, 403, "jeton de sécurité absent ou invalide : rechargez la page");
		return;
	}
	if (!email || !*email || !password || !*password) {
		login_form(req, res, email);
		res_invalid(res, json_pack("{s:s}", !email || !*email ? "email" : "password",
					   "ce champ est obligatoire"));
		return;
	}
	switch (session_sign_in(req, res, email, password)) {
	case SIGNIN_OK:
		after_sign_in(req, res);
		return;
	case SIGNIN_THROTTLED:
		login_form(req, res, email);
		res->status = 429;
		json_object_set_new(res->data, "error",
				    json_string("trop de tentatives : réessayez dans 15 minutes"));
		return;
	case SIGNIN_BAD:
		login_form(req, res, email);
		res_invalid(res, json_pack("{s:s}", "password",
					   "adresse électronique ou mot de passe incorrect"));
		json_object_set_new(res->data, "error",
				    json_string("adresse électronique ou mot de passe incorrect"));
		res->status = req->wants_json ? 401 : 422;
		return;
	default:
		res_error(res, 500, "la connexion a échoué");
	}
}

void page_logout(struct request *req, struct response *res)
{
	session_sign_out(req, res);
	res_redirect(res, "/login");
}

void page_password(struct request *req, struct response *res)
{
	(void)req;
	res->template = "password";
	res->title = "Changer de mot de passe";
	res->data = json_object();
}

void page_password_post(struct request *req, struct response *res)
{
	const char *current = req_form(req, "current"), *fresh = req_form(req, "new");
	const char *confirm = req_form(req, "confirm"), *why;
	char hash[128];
	json_t *fields = json_object();

	page_password(req, res);
	if (user_password_hash(req->db, req->user.id, hash) || !current ||
	    !password_check(current, hash))
		json_object_set_new(fields, "current", json_string("mot de passe actuel incorrect"));
	if (!fresh || (why = password_problem(fresh)) != NULL)
		json_object_set_new(fields, "new", json_string(fresh ? why : "ce champ est obligatoire"));
	else if (!confirm || strcmp(fresh, confirm) != 0)
		json_object_set_new(fields, "confirm",
				    json_string("les deux saisies du nouveau mot de passe diffèrent"));
	if (json_object_size(fields)) {
		res_invalid(res, fields);
		return;
	}
	json_decref(fields);
	/* One change: the new password, the other sessions ended, the audit entry. */
	if (db_begin(req->db) || user_set_password(req->db, req->user.id, fresh) ||
	    session_end_others(req) ||
	    audit_append(req->db, req->user.id, req->address, "user.passwd", "user", req->user.id,
			 NULL) || db_commit(req->db)) {
		db_rollback(req->db);
		res_error(res, 500, "le mot de passe n'a pas pu être changé");
		return;
	}
	res_redirect(res, "/?notice=password");
}
