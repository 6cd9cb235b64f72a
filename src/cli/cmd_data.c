/* cmd_data.c — init, migrate, import, export, backup. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "db/db.h"
#include "exchange/jsonl.h"
#include "model/audit.h"
#include "model/problems.h"
#include "model/record.h"
#include "model/schema.h"
#include "model/user.h"

int cmd_migrate(struct cli *c, int argc, char **argv)
{
	(void)argv;
	if (argc) {
		fprintf(stderr, "usage: parcours migrate\n");
		return EXIT_USAGE;
	}
	printf("schema version %d\n", db_schema_version(c->db));
	return EXIT_OK;
}

static int create_first_organisation(struct db *db, const char *name)
{
	struct record_writer *w = record_writer_new(db);
	json_t *org = json_pack("{s:s, s:s}", "name", name, "kind", "other");
	int rc = record_write(w, &type_organisation, "org-1", org);

	record_writer_free(w);
	json_decref(org);
	return rc;
}

int cmd_init(struct cli *c, int argc, char **argv)
{
	static const char *const opts[] = { "--organisation-name", "--admin", "--first-name",
		"--last-name", "--password-file", NULL };
	struct cli_args a;
	struct problems pb;
	char password[256], id[65];
	int64_t accounts = 0, organisations = 0;
	json_t *rec;
	int rc;

	if (cli_parse(&a, argc, argv, opts, NULL) || !cli_opt(&a, "--organisation-name") ||
	    !cli_opt(&a, "--admin") || !cli_opt(&a, "--first-name") || !cli_opt(&a, "--last-name")) {
		fprintf(stderr, "usage: parcours init --organisation-name NAME --admin EMAIL "
				"--first-name F --last-name L [--password-file FILE]\n");
		return EXIT_USAGE;
	}
	/* init starts a new database; on one already in use it would replace
	 * org-1 or add a second administrator behind the others' backs. */
	if (db_query_int(c->db, &organisations, "SELECT COUNT(*) FROM organisation", "") ||
	    db_query_int(c->db, &accounts, "SELECT COUNT(*) FROM account", "")) {
		fprintf(stderr, "parcours: init: %s\n", db_errmsg(c->db));
		return EXIT_FAILURE_;
	}
	if (organisations || accounts) {
		fprintf(stderr, "parcours: init: refused: the database already has %lld "
				"organisation(s) and %lld account(s); init only starts an empty database "
				"(add accounts with `parcours user add`)\n",
			(long long)organisations, (long long)accounts);
		return EXIT_REFUSED;
	}
	if (cli_read_password(cli_opt(&a, "--password-file"), password, sizeof password))
		return EXIT_USAGE;
	if (db_begin(c->db) || create_first_organisation(c->db, cli_opt(&a, "--organisation-name")) ||
	    db_commit(c->db)) {
		fprintf(stderr, "parcours: init: %s\n", db_errmsg(c->db));
		db_rollback(c->db);
		return EXIT_FAILURE_;
	}
	rec = json_pack("{s:s, s:s, s:s, s:s, s:[s]}", "email", cli_opt(&a, "--admin"), "first_name",
			cli_opt(&a, "--first-name"), "last_name", cli_opt(&a, "--last-name"),
			"organisation", "org-1", "roles", "admin");
	problems_init(&pb);
	rc = user_create(c->db, rec, password, &pb, id);
	if (rc) {
		problems_print(&pb, stderr);
		db_execf(c->db, "DELETE FROM organisation WHERE id = 'org-1'", "");
	} else {
		audit_append(c->db, c->actor, "cli", "init", "user", id, NULL);
		printf("organisation org-1 and administrator %s created\n", cli_opt(&a, "--admin"));
	}
	problems_release(&pb);
	json_decref(rec);
	return rc == 0 ? EXIT_OK : rc == 1 ? EXIT_REFUSED : EXIT_FAILURE_;
}

int cmd_import(struct cli *c, int argc, char **argv)
{
	static const char *const flags[] = { "--lenient", NULL };
	struct import_options opt = { 0, c->actor, "cli" };
	struct import_result res;
	struct problems pb, warn;
	struct cli_args a;
	int rc;

	if (cli_parse(&a, argc, argv, NULL, flags) || a.npos != 1) {
		fprintf(stderr, "usage: parcours import FILE.jsonl[.gz] [--lenient]\n");
		return EXIT_USAGE;
	}
	opt.lenient = cli_flag(&a, "--lenient");
	problems_init(&pb);
	problems_init(&warn);
	rc = jsonl_import(c->db, a.pos[0], &opt, &pb, &warn, &res);
	if (problems_count(&warn)) {
		fprintf(stderr, "%zu warning(s):\n", problems_count(&warn));
		problems_print(&warn, stderr);
	}
	if (rc) {
		fprintf(stderr, "%s: refused, nothing was written; %zu problem(s):\n", a.pos[0],
			problems_count(&pb));
		problems_print(&pb, stderr);
	} else {
		printf("imported %ld record(s), deleted %ld, from %ld line(s)\n", res.written,
		       res.deleted, res.lines);
	}
	problems_release(&pb);
	problems_release(&warn);
	return rc == 0 ? EXIT_OK : rc == 1 ? EXIT_REFUSED : EXIT_FAILURE_;
}

int cmd_export(struct cli *c, int argc, char **argv)
{
	static const char *const opts[] = { "--types", NULL };
	struct cli_args a;

	if (cli_parse(&a, argc, argv, opts, NULL) || a.npos) {
		fprintf(stderr, "usage: parcours export [--types T1,T2…]\n");
		return EXIT_USAGE;
	}
	/* A misspelt type would silently export nothing of it (a backup
	 * script would not notice): every name must be a known type. */
	for (const char *p = cli_opt(&a, "--types"); p && *p;) {
		size_t len = strcspn(p, ",");
		char name[64];
		snprintf(name, sizeof name, "%.*s", (int)len, p);
		if (len == 0 || len >= sizeof name || !schema_type(name)) {
			fprintf(stderr, "parcours: export: unknown type \"%.*s\"\n", (int)len, p);
			return EXIT_USAGE;
		}
		p += len + (p[len] == ',');
	}
	if (jsonl_export(c->db, cli_opt(&a, "--types"), stdout)) {
		fprintf(stderr, "parcours: export failed: %s\n", db_errmsg(c->db));
		return EXIT_FAILURE_;
	}
	audit_append(c->db, c->actor, "cli", "export", NULL, NULL, cli_opt(&a, "--types"));
	return EXIT_OK;
}

int cmd_backup(struct cli *c, int argc, char **argv)
{
	/* A file name starting with "-" is an option mistyped, not a file. */
	if (argc != 1 || argv[0][0] == '-') {
		fprintf(stderr, "usage: parcours backup FILE\n");
		return EXIT_USAGE;
	}
	if (db_backup(c->db, argv[0])) {
		fprintf(stderr, "parcours: backup to %s failed\n", argv[0]);
		return EXIT_FAILURE_;
	}
	audit_append(c->db, c->actor, "cli", "backup", NULL, NULL, argv[0]);
	printf("backup written to %s\n", argv[0]);
	return EXIT_OK;
}
