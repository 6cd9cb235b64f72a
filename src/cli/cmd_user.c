/* cmd_user.c — `user add|passwd|disable|list|token`. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/date.h"
#include "cli/cli.h"
#include "db/db.h"
#include "model/audit.h"
#include "model/password.h"
#include "model/problems.h"
#include "model/user.h"

static int user_add(struct cli *c, int argc, char **argv)
{
	static const char *const opts[] = { "--organisation", "--role", "--first-name",
		"--last-name", "--password-file", "--function", NULL };
	static const char *const flags[] = { "--health-accredited", NULL };
	const char *roles[16];
	struct cli_args a;
	struct problems pb;
	char password[256], id[65];
	json_t *rec, *jroles;
	int n, rc;

	if (cli_parse(&a, argc, argv, opts, flags) || a.npos != 1 ||
	    !cli_opt(&a, "--organisation") || !cli_opt(&a, "--first-name") ||
	    !cli_opt(&a, "--last-name") || (n = cli_opts(&a, "--role", roles, 16)) == 0) {
		fprintf(stderr, "usage: parcours user add EMAIL --organisation ID --role ROLE "
				"[--role ROLE…] --first-name F --last-name L [--password-file FILE]\n");
		return EXIT_USAGE;
	}
	if (cli_read_password(cli_opt(&a, "--password-file"), password, sizeof password))
		return EXIT_USAGE;
	jroles = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(jroles, json_string(roles[i]));
	rec = json_pack("{s:s, s:s, s:s, s:s, s:o, s:s?, s:b}", "email", a.pos[0], "first_name",
			cli_opt(&a, "--first-name"), "last_name", cli_opt(&a, "--last-name"),
			"organisation", cli_opt(&a, "--organisation"), "roles", jroles, "function",
			cli_opt(&a, "--function"), "health_accredited",
			cli_flag(&a, "--health-accredited"));
	user_created_today(rec);
	problems_init(&pb);
	rc = user_create(c->db, rec, password, &pb, id);
	if (rc == 0) {
		audit_append(c->db, c->actor, "cli", "user.add", "user", id, a.pos[0]);
		printf("account %s created (id %s)\n", a.pos[0], id);
	} else {
		problems_print(&pb, stderr);
		if (rc < 0)
			fprintf(stderr, "parcours: %s\n", db_errmsg(c->db));
	}
	problems_release(&pb);
	json_decref(rec);
	return rc == 0 ? EXIT_OK : rc == 1 ? EXIT_REFUSED : EXIT_FAILURE_;
}

static int find(struct cli *c, const char *email, struct user *u)
{
	if (user_by_email(c->db, email, u)) {
		fprintf(stderr, "parcours: no account %s\n", email);
		return -1;
	}
	return 0;
}

static int user_passwd(struct cli *c, int argc, char **argv)
{
	static const char *const opts[] = { "--password-file", NULL };
	struct cli_args a;
	struct user u;
	char password[256];
	const char *why;

	if (cli_parse(&a, argc, argv, opts, NULL) || a.npos != 1) {
		fprintf(stderr, "usage: parcours user passwd EMAIL [--password-file FILE]\n");
		return EXIT_USAGE;
	}
	if (find(c, a.pos[0], &u))
		return EXIT_REFUSED;
	if (cli_read_password(cli_opt(&a, "--password-file"), password, sizeof password))
		return EXIT_USAGE;
	if ((why = password_problem(password)) != NULL) {
		fprintf(stderr, "parcours: %s\n", why);
		return EXIT_REFUSED;
	}
	if (user_set_password(c->db, u.id, password) ||
	    db_execf(c->db, "DELETE FROM web_session WHERE account = ?", "s", u.id))
		return EXIT_FAILURE_;
	audit_append(c->db, c->actor, "cli", "user.passwd", "user", u.id, NULL);
	printf("password changed for %s\n", u.email);
	return EXIT_OK;
}

static int user_disable(struct cli *c, int argc, char **argv)
{
	struct user u;
	char today[11];

	if (argc != 1) {
		fprintf(stderr, "usage: parcours user disable EMAIL\n");
		return EXIT_USAGE;
	}
	if (find(c, argv[0], &u))
		return EXIT_REFUSED;
	date_format(date_today(), today);
	/* Disabled from today: sessions and tokens end at once. */
	if (db_begin(c->db) ||
	    db_execf(c->db, "UPDATE account SET disabled_on = ?, version = version + 1 WHERE id = ?",
		     "ss", today, u.id) ||
	    db_execf(c->db, "DELETE FROM web_session WHERE account = ?", "s", u.id) ||
	    db_execf(c->db, "DELETE FROM api_token WHERE account = ?", "s", u.id) ||
	    audit_append(c->db, c->actor, "cli", "user.disable", "user", u.id, NULL) ||
	    db_commit(c->db)) {
		db_rollback(c->db);
		return EXIT_FAILURE_;
	}
	printf("account %s disabled on %s\n", u.email, today);
	return EXIT_OK;
}

static int user_list(struct cli *c)
{
	struct db_stmt *st;

	if (db_prepare(c->db, &st, "SELECT id, email, first_name, last_name, organisation, roles, "
				   "COALESCE(disabled_on, '') FROM account ORDER BY email"))
		return EXIT_FAILURE_;
	while (db_step(st) == DB_ROW)
		printf("%s\t%s\t%s %s\t%s\t%s\t%s\n", db_col_text(st, 0), db_col_text(st, 1),
		       db_col_text(st, 2), db_col_text(st, 3), db_col_text(st, 4), db_col_text(st, 5),
		       db_col_text(st, 6)[0] ? db_col_text(st, 6) : "active");
	db_finalize(st);
	return EXIT_OK;
}

static int user_token(struct cli *c, int argc, char **argv)
{
	char token[65], hash[65];
	struct user u;

	if (argc != 1) {
		fprintf(stderr, "usage: parcours user token EMAIL\n");
		return EXIT_USAGE;
	}
	if (find(c, argv[0], &u))
		return EXIT_REFUSED;
	token_new(token);
	token_hash(token, hash);
	if (db_execf(c->db, "INSERT INTO api_token (token_hash, account, created_at) VALUES (?, ?, ?)",
		     "ssi", hash, u.id, (int64_t)time(NULL)))
		return EXIT_FAILURE_;
	audit_append(c->db, c->actor, "cli", "user.token", "user", u.id, NULL);
	printf("%s\n", token);
	return EXIT_OK;
}

int cmd_user(struct cli *c, int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "add") == 0)
		return user_add(c, argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "passwd") == 0)
		return user_passwd(c, argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "disable") == 0)
		return user_disable(c, argc - 1, argv + 1);
	if (argc == 1 && strcmp(argv[0], "list") == 0)
		return user_list(c);
	if (argc >= 1 && strcmp(argv[0], "token") == 0)
		return user_token(c, argc - 1, argv + 1);
	fprintf(stderr, "usage: parcours user add|passwd|disable|list|token …\n");
	return EXIT_USAGE;
}
