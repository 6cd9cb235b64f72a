/*
 * user.h — accounts as the application uses them: who is signed in, with
 * which roles, in which organisation and territory.
 */
#ifndef PARCOURS_USER_H
#define PARCOURS_USER_H
#include <jansson.h>

struct db;
struct problems;

enum role {
	ROLE_REFERENT = 1 << 0,
	ROLE_ORIENTATION_OFFICER = 1 << 1,
	ROLE_INSTANCE_SECRETARY = 1 << 2,
	ROLE_PROGRAMME_MANAGER = 1 << 3,
	ROLE_CLEE = 1 << 4,
	ROLE_CLAUSE_FACILITATOR = 1 << 5,
	ROLE_FAJ_OFFICER = 1 << 6,
	ROLE_ANALYST = 1 << 7,
	ROLE_ADMIN = 1 << 8,
	ROLE_ANY = (1 << 9) - 1,
};

/* The role codes of exchange-format.md, in enum role's bit order (NULL-ended). */
extern const char *const user_roles[];
/* French label of a role code ("référent de parcours"). */
const char *role_label(const char *code);

struct user {
	char id[65];
	char email[255];
	char first_name[101];
	char last_name[101];
	char organisation[65];
	char organisation_name[201];
	char territory[65];    /* the organisation's territory, "" when none */
	unsigned roles;        /* enum role bits */
	int health_accredited;
	int active;            /* not disabled today */
};

/* Loads an account by id or e-mail (case-insensitive). 0 found, -1 not. */
int user_by_id(struct db *db, const char *id, struct user *u);
int user_by_email(struct db *db, const char *email, struct user *u);
/* The stored password hash of an account ("" when none). */
int user_password_hash(struct db *db, const char *id, char out[128]);
int user_set_password(struct db *db, const char *id, const char *password);
/* Roles bits from a JSON array of codes. */
unsigned user_roles_bits(json_t *codes);
/* The user as a JSON object for pages: id, email, names, roles, labels… */
json_t *user_json(const struct user *u);

/* Sets rec's created_on to today when absent: an account made by
 * `user add` or the accounts page exists from the day it is made. (Not by
 * `init`, whose administrator must be able to sign in whatever the
 * PARCOURS_TODAY of a later run.) */
void user_created_today(json_t *rec);
/* Creates an account from an exchange-shaped record (its id is derived from
 * the e-mail when absent). Validates with the same rules as import; problems
 * go to pb. Returns 0, 1 when refused, -1 on failure. */
int user_create(struct db *db, json_t *rec, const char *password, struct problems *pb,
		char id_out[65]);

#endif
