/* users.c — accounts as the application uses them; see user.h. */
#include "model/user.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "db/db.h"
#include "model/password.h"
#include "model/problems.h"
#include "model/record.h"
#include "model/schema.h"

const char *role_label(const char *code)
{
	static const char *const labels[] = { "Référent de parcours", "Chargé d'orientation",
		"Secrétariat des instances", "Chargé de mission programmes",
		"Chargé de liaison entreprise emploi", "Facilitateur clauses sociales",
		"Gestionnaire FAJ", "Pilotage (analyste)", "Administrateur" };

	for (int i = 0; user_roles[i]; i++)
		if (strcmp(user_roles[i], code) == 0)
			return labels[i];
	return code;
}

unsigned user_roles_bits(json_t *codes)
{
	unsigned bits = 0;
	json_t *c;
	size_t i;

	json_array_foreach(codes, i, c) {
		for (int r = 0; user_roles[r]; r++)
			if (json_string_value(c) && strcmp(user_roles[r], json_string_value(c)) == 0)
				bits |= 1u << r;
	}
	return bits;
}

#define USER_SELECT                                                                            \
	"SELECT a.id, a.email, a.first_name, a.last_name, a.organisation, o.name, "            \
	"COALESCE(o.territory, ''), a.roles, a.health_accredited, a.created_on, a.disabled_on " \
	"FROM account a JOIN organisation o ON o.id = a.organisation "

static int user_fill(struct db_stmt *st, struct user *u)
{
	const char *created = db_col_text(st, 9), *disabled = db_col_text(st, 10);
	json_t *roles = json_loads(db_col_text(st, 7), 0, NULL);
	long today = date_today(), d;

	snprintf(u->id, sizeof u->id, "%s", db_col_text(st, 0));
	snprintf(u->email, sizeof u->email, "%s", db_col_text(st, 1));
	snprintf(u->first_name, sizeof u->first_name, "%s", db_col_text(st, 2));
	snprintf(u->last_name, sizeof u->last_name, "%s", db_col_text(st, 3));
	snprintf(u->organisation, sizeof u->organisation, "%s", db_col_text(st, 4));
	snprintf(u->organisation_name, sizeof u->organisation_name, "%s", db_col_text(st, 5));
	snprintf(u->territory, sizeof u->territory, "%s", db_col_text(st, 6));
	u->roles = user_roles_bits(roles);
	json_decref(roles);
	u->health_accredited = (int)db_col_int(st, 8);
	/* Active on day D: created_on ≤ D and disabled_on absent or after D. */
	u->active = 1;
	if (created && !date_parse(created, &d) && d > today)
		u->active = 0;
	if (disabled && !date_parse(disabled, &d) && d <= today)
		u->active = 0;
	return 0;
}

static int user_query(struct db *db, const char *where, const char *arg, struct user *u)
{
	struct db_stmt *st;
	char sql[1024];
	int rc = -1;

	snprintf(sql, sizeof sql, "%s%s", USER_SELECT, where);
	if (db_prepare(db, &st, sql))
		return -1;
	db_bind_text(st, 1, arg);
	if (db_step(st) == DB_ROW)
		rc = user_fill(st, u);
	db_finalize(st);
	return rc;
}

int user_by_id(struct db *db, const char *id, struct user *u)
{
	return user_query(db, "WHERE a.id = ?", id, u);
}

int user_by_email(struct db *db, const char *email, struct user *u)
{
	return user_query(db, "WHERE lower(a.email) = lower(?)", email, u);
}

int user_password_hash(struct db *db, const char *id, char out[128])
{
	struct db_stmt *st;
	int rc = -1;

	out[0] = '\0';
	if (db_prepare(db, &st, "SELECT password_hash FROM account WHERE id = ?"))
		return -1;
	db_bind_text(st, 1, id);
	if (db_step(st) == DB_ROW) {
		snprintf(out, 128, "%s", db_col_text(st, 0) ? db_col_text(st, 0) : "");
		rc = 0;
	}
	db_finalize(st);
	return rc;
}

int user_set_password(struct db *db, const char *id, const char *password)
{
	char hash[128];

	if (password_hash(password, hash))
		return -1;
	return db_execf(db, "UPDATE account SET password_hash = ? WHERE id = ?", "ss", hash, id);
}

json_t *user_json(const struct user *u)
{
	json_t *roles = json_array();

	for (int r = 0; user_roles[r]; r++)
		if (u->roles & (1u << r))
			json_array_append_new(roles, json_pack("{s:s, s:s}", "code", user_roles[r],
							       "label", role_label(user_roles[r])));
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:o, s:b}", "id", u->id, "email",
			 u->email, "first_name", u->first_name, "last_name", u->last_name,
			 "organisation", u->organisation, "organisation_name",
			 u->organisation_name, "territory", u->territory[0] ? u->territory : NULL,
			 "roles", roles, "health_accredited", u->health_accredited);
}

void user_created_today(json_t *rec)
{
	char today[11];

	if (json_object_get(rec, "created_on"))
		return;
	date_format(date_today(), today);
	json_object_set_new(rec, "created_on", json_string(today));
}

/* A stable id for an account made here: "u-" and the first 16 hex digits of
 * the SHA-256 of its lower-cased e-mail. */
static void id_from_email(const char *email, char out[65])
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	char lower[255], hex[65];
	size_t i;

	for (i = 0; email[i] && i < sizeof lower - 1; i++)
		lower[i] = (char)(email[i] >= 'A' && email[i] <= 'Z' ? email[i] + 32 : email[i]);
	lower[i] = '\0';
	crypto_hash_sha256(digest, (const unsigned char *)lower, i);
	sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
	snprintf(out, 65, "u-%.16s", hex);
}

int user_create(struct db *db, json_t *rec, const char *password, struct problems *pb,
		char id_out[65])
{
	const char *email = json_string_value(json_object_get(rec, "email"));
	struct record_writer *w = NULL;
	const char *pw_why;
	char id[65];
	int64_t taken = 0;
	int rc = -1;

	if (json_string_value(json_object_get(rec, "id")))
		snprintf(id, sizeof id, "%s", json_string_value(json_object_get(rec, "id")));
	else
		id_from_email(email ? email : "", id);
	json_object_del(rec, "id");
	problems_at(pb, 0, "user", id);
	record_validate(&type_user, rec, 0, pb, NULL);
	if (password && (pw_why = password_problem(password)) != NULL)
		problem_add(pb, "password", "%s", pw_why);
	if (problems_count(pb))
		return 1;
	if (db_begin(db))
		return -1;
	/* The id derives from the e-mail, so writing an address already in use
	 * would replace that account (names, roles, password): refuse it. */
	if (db_query_int(db, &taken, "SELECT COUNT(*) FROM account WHERE id = ? OR "
				     "lower(email) = lower(?)", "ss", id, email ? email : ""))
		goto out;
	if (taken) {
		problem_add(pb, "email", "adresse déjà utilisée par un autre compte");
		rc = 1;
		goto out;
	}
	w = record_writer_new(db);
	if (record_write(w, &type_user, id, rec) || record_check_one(db, &type_user, id, pb))
		goto out;
	if (problems_count(pb)) {
		rc = 1;
		goto out;
	}
	if (password && user_set_password(db, id, password))
		goto out;
	rc = 0;
out:
	record_writer_free(w);
	if (rc == 0 && db_commit(db) == 0) {
		snprintf(id_out, 65, "%s", id);
		return 0;
	}
	db_rollback(db);
	return rc ? rc : -1;
}
