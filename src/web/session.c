/* session.c — see session.h. */
#include "web/session.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/date.h"
#include "db/db.h"
#include "model/audit.h"
#include "model/password.h"
#include "model/user.h"
#include "web/form.h"
#include "web/http.h"

static int bearer_identify(struct request *req)
{
	const char *auth = req->authorization;
	char hash[65], account[65] = "";
	struct db_stmt *st;

	if (!auth || strncmp(auth, "Bearer ", 7) != 0)
		return 0;
	token_hash(auth + 7, hash);
	if (db_prepare(req->db, &st, "SELECT account FROM api_token WHERE token_hash = ?"))
		return 1;
	db_bind_text(st, 1, hash);
	if (db_step(st) == DB_ROW)
		snprintf(account, sizeof account, "%s", db_col_text(st, 0));
	db_finalize(st);
	if (account[0] && user_by_id(req->db, account, &req->user) == 0 && req->user.active) {
		req->signed_in = 1;
		req->bearer = 1;
	}
	return 1;
}

void session_identify(struct request *req)
{
	char token[80], hash[65], account[65] = "";
	struct db_stmt *st;
	int64_t now = (int64_t)time(NULL);

	req->signed_in = 0;
	if (bearer_identify(req))
		return;
	if (cookie_get(req->cookie, SESSION_COOKIE, token, sizeof token))
		return;
	token_hash(token, hash);
	if (db_prepare(req->db, &st, "SELECT account, csrf FROM web_session WHERE token_hash = ? "
				     "AND seen_at > ? AND created_at > ?"))
		return;
	db_bind_text(st, 1, hash);
	db_bind_int(st, 2, now - SESSION_IDLE);
	db_bind_int(st, 3, now - SESSION_MAX);
	if (db_step(st) == DB_ROW) {
		snprintf(account, sizeof account, "%s", db_col_text(st, 0));
		snprintf(req->csrf, sizeof req->csrf, "%s", db_col_text(st, 1));
	}
	db_finalize(st);
	if (!account[0] || user_by_id(req->db, account, &req->user) || !req->user.active) {
		req->session_expired = 1;
		return;
	}
	req->signed_in = 1;
	/* Sliding idle expiry; one write a minute at most. */
	db_execf(req->db, "UPDATE web_session SET seen_at = ? WHERE token_hash = ? AND seen_at < ?",
		 "isi", now, hash, now - 60);
}

int session_csrf_ok(const struct request *req)
{
	const char *sent = req_form(req, "csrf");

	if (req->bearer)
		return 1;
	return req->signed_in && sent && req->csrf[0] && token_equal(sent, req->csrf);
}

void session_cookie(const struct request *req, struct response *res, const char *name,
		    const char *value, long max_age)
{
	char cookie[300];
	int secure = req->forwarded_proto && strcmp(req->forwarded_proto, "https") == 0;

	snprintf(cookie, sizeof cookie, "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%ld%s",
		 name, value, max_age, secure ? "; Secure" : "");
	res_cookie(res, cookie);
}

static int64_t failures(struct db *db, const char *key)
{
	int64_t n = 0;

	db_query_int(db, &n, "SELECT COUNT(*) FROM sign_in_failure WHERE key = ? AND at > ?", "si",
		     key, (int64_t)time(NULL) - SIGNIN_WINDOW);
	return n;
}

/* Failures older than the window count for nothing: they go as new ones
 * come, so the table holds one window's worth at most. */
static void note_failure(struct db *db, const char *key)
{
	int64_t now = (int64_t)time(NULL);

	db_execf(db, "DELETE FROM sign_in_failure WHERE at <= ?", "i", now - SIGNIN_WINDOW);
	db_execf(db, "INSERT INTO sign_in_failure (key, at) VALUES (?, ?)", "si", key, now);
}

static int open_session(struct request *req, struct response *res)
{
	char token[65], hash[65], csrf[65], sid[80], at[32];
	int64_t now = (int64_t)time(NULL);

	token_new(token);
	token_hash(token, hash);
	token_new(csrf);
	snprintf(sid, sizeof sid, "si-%.24s", csrf + 32);
	datetime_now(at);
	if (db_begin(req->db) ||
	    db_execf(req->db, "INSERT INTO web_session (token_hash, account, csrf, created_at, seen_at)"
			      " VALUES (?, ?, ?, ?, ?)", "sssii", hash, req->user.id, csrf, now, now) ||
	    db_execf(req->db, "INSERT INTO sign_in (id, account, at) VALUES (?, ?, ?)", "sss", sid,
		     req->user.id, at) ||
	    audit_append(req->db, req->user.id, req->address, "login", "user", req->user.id, NULL) ||
	    db_commit(req->db)) {
		db_rollback(req->db);
		return -1;
	}
	session_cookie(req, res, SESSION_COOKIE, token, SESSION_MAX);
	snprintf(req->csrf, sizeof req->csrf, "%s", csrf);
	return 0;
}

static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[128];

static void make_dummy_hash(void)
{
	password_hash("not a password of anyone", dummy_hash);
}

enum signin_result session_sign_in(struct request *req, struct response *res, const char *email,
				   const char *password)
{
	char account_key[300], address_key[100], hash[128] = "";
	struct user u;
	int found, ok;

	snprintf(account_key, sizeof account_key, "account:%s", email);
	snprintf(address_key, sizeof address_key, "address:%s", req->address);
	for (char *p = account_key; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	if (failures(req->db, account_key) >= SIGNIN_MAX_PER_ACCOUNT ||
	    failures(req->db, address_key) >= SIGNIN_MAX_PER_ADDRESS)
		return SIGNIN_THROTTLED;
	/* The same work whether the account exists or not: no timing oracle on e-mails. */
	found = user_by_email(req->db, email, &u) == 0 &&
		user_password_hash(req->db, u.id, hash) == 0 && hash[0];
	pthread_once(&dummy_once, make_dummy_hash);
	ok = password_check(password, found ? hash : dummy_hash) && found && u.active;
	if (!ok) {
		note_failure(req->db, account_key);
		note_failure(req->db, address_key);
		audit_append(req->db, "anonymous", req->address, "login.failed", NULL, NULL, email);
		return SIGNIN_BAD;
	}
	req->user = u;
	req->signed_in = 1;
	if (open_session(req, res))
		return SIGNIN_FAILED;
	db_execf(req->db, "DELETE FROM sign_in_failure WHERE key = ?", "s", account_key);
	return SIGNIN_OK;
}

void session_sign_out(struct request *req, struct response *res)
{
	char token[80], hash[65];

	if (cookie_get(req->cookie, SESSION_COOKIE, token, sizeof token) == 0) {
		token_hash(token, hash);
		db_execf(req->db, "DELETE FROM web_session WHERE token_hash = ?", "s", hash);
	}
	if (req->signed_in)
		audit_append(req->db, req->user.id, req->address, "logout", "user", req->user.id, NULL);
	session_cookie(req, res, SESSION_COOKIE, "", 0);
}

int session_end_others(struct request *req)
{
	char token[80], hash[65] = "";

	/* A bearer request has no session of its own: every session ends. */
	if (!req->bearer && cookie_get(req->cookie, SESSION_COOKIE, token, sizeof token) == 0)
		token_hash(token, hash);
	return db_execf(req->db, "DELETE FROM web_session WHERE account = ? AND token_hash <> ?",
			"ss", req->user.id, hash);
}

json_t *pending_form_take(struct request *req)
{
	const char *token = req_query(req, "resume");
	struct db_stmt *st;
	json_t *form = NULL;

	if (!token || strlen(token) != 64)
		return NULL;
	if (db_prepare(req->db, &st, "SELECT body FROM pending_form WHERE token = ? AND path = ?"))
		return NULL;
	db_bind_text(st, 1, token);
	db_bind_text(st, 2, req->path);
	if (db_step(st) == DB_ROW) {
		const char *body = db_col_text(st, 0);
		form = form_decode(body, strlen(body), 1000);
	}
	db_finalize(st);
	/* Consumed only by its own page: the token opened elsewhere leaves it. */
	db_execf(req->db, "DELETE FROM pending_form WHERE token = ? AND path = ?", "ss", token,
		 req->path);
	if (form)
		json_object_del(form, "csrf");
	return form;
}

int pending_form_restore(struct request *req)
{
	json_t *pending = pending_form_take(req);

	if (!pending)
		return 0;
	json_decref(req->form);
	req->form = pending;
	return 1;
}
