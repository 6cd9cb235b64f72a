/* cmd_audit.c — `audit verify` and `audit list`. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "db/db.h"
#include "model/audit.h"
#include "model/user.h"

static int audit_verify_cmd(struct cli *c)
{
	long long seq = 0;
	char why[200];
	int64_t n = 0;
	int rc = audit_verify(c->db, &seq, why, sizeof why);

	if (rc < 0) {
		fprintf(stderr, "parcours: audit verify: %s\n", db_errmsg(c->db));
		return EXIT_FAILURE_;
	}
	if (rc) {
		printf("audit log broken at entry %lld: %s\n", seq, why);
		return EXIT_REFUSED;
	}
	db_query_int(c->db, &n, "SELECT COUNT(*) FROM audit", "");
	printf("audit log intact: %lld entries\n", (long long)n);
	return EXIT_OK;
}

static int audit_list_cmd(struct cli *c, int argc, char **argv)
{
	static const char *const opts[] = { "--person", "--user", "--limit", NULL };
	const char *email, *actor = NULL;
	struct cli_args a;
	struct user u;
	json_t *rows, *r;
	long total;
	size_t i;

	if (cli_parse(&a, argc, argv, opts, NULL) || a.npos) {
		fprintf(stderr, "usage: parcours audit list [--person ID] [--user EMAIL]\n");
		return EXIT_USAGE;
	}
	email = cli_opt(&a, "--user");
	if (email) {
		if (user_by_email(c->db, email, &u)) {
			fprintf(stderr, "parcours: no account %s\n", email);
			return EXIT_REFUSED;
		}
		actor = u.id;
	}
	rows = audit_list(c->db, cli_opt(&a, "--person"), actor, NULL,
			  cli_opt(&a, "--limit") ? strtol(cli_opt(&a, "--limit"), NULL, 10) : 1000000,
			  0, &total);
	json_array_foreach(rows, i, r) {
		const char *ot = json_string_value(json_object_get(r, "object_type"));
		const char *oi = json_string_value(json_object_get(r, "object_id"));
		const char *d = json_string_value(json_object_get(r, "detail"));
		printf("%lld\t%s\t%s\t%s\t%s\t%s%s%s\t%s\n",
		       (long long)json_integer_value(json_object_get(r, "seq")),
		       json_string_value(json_object_get(r, "at")),
		       json_string_value(json_object_get(r, "actor")),
		       json_string_value(json_object_get(r, "address")),
		       json_string_value(json_object_get(r, "action")), ot ? ot : "", ot ? " " : "",
		       oi ? oi : "", d ? d : "");
	}
	json_decref(rows);
	return EXIT_OK;
}

int cmd_audit(struct cli *c, int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "verify") == 0 && argc == 1)
		return audit_verify_cmd(c);
	if (argc >= 1 && strcmp(argv[0], "list") == 0)
		return audit_list_cmd(c, argc - 1, argv + 1);
	fprintf(stderr, "usage: parcours audit verify | audit list [--person ID] [--user EMAIL]\n");
	return EXIT_USAGE;
}
