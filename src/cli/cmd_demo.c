/*
 * cmd_demo.c — `parcours demo`: writes the synthetic Métropole in the
 * exchange format to a temporary file, imports it with the ordinary importer
 * (all or nothing), then gives each demo account the demo password.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "db/db.h"
#include "demo/demo.h"
#include "exchange/jsonl.h"
#include "model/problems.h"
#include "model/user.h"

static int write_demo_file(char *path, size_t size, const struct demo_options *opt)
{
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	FILE *f;
	int fd, rc;

	snprintf(path, size, "%s/parcours-demo-XXXXXX", tmp);
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return -1;
	}
	rc = demo_write(f, opt);
	if (fclose(f))
		rc = -1;
	return rc;
}

static int set_passwords(struct db *db)
{
	for (const struct demo_account *a = demo_accounts; a->email; a++) {
		struct user u;
		if (user_by_email(db, a->email, &u) || user_set_password(db, u.id, demo_password))
			return -1;
	}
	return 0;
}

static void print_accounts(void)
{
	printf("\nComptes de démonstration (mot de passe : %s)\n", demo_password);
	for (const struct demo_account *a = demo_accounts; a->email; a++)
		printf("  %-42s %s\n", a->email, a->label_fr);
}

int cmd_demo(struct cli *c, int argc, char **argv)
{
	static const char *const opts[] = { "--households", "--seed", NULL };
	struct demo_options opt = { DEMO_DEFAULT_SEED, DEMO_DEFAULT_HOUSEHOLDS };
	struct import_options io = { 0, c->actor, "cli" };
	struct import_result res;
	struct problems pb, warn;
	struct cli_args a;
	char path[512];
	time_t t0 = time(NULL);
	int rc = EXIT_FAILURE_;

	if (cli_parse(&a, argc, argv, opts, NULL) || a.npos) {
		fprintf(stderr, "usage: parcours demo [--households N] [--seed N]\n");
		return EXIT_USAGE;
	}
	if (cli_opt(&a, "--households"))
		opt.households = (int)strtol(cli_opt(&a, "--households"), NULL, 10);
	if (cli_opt(&a, "--seed"))
		opt.seed = strtoul(cli_opt(&a, "--seed"), NULL, 10);
	if (write_demo_file(path, sizeof path, &opt)) {
		perror("parcours: demo");
		return EXIT_FAILURE_;
	}
	problems_init(&pb);
	problems_init(&warn);
	if (jsonl_import(c->db, path, &io, &pb, &warn, &res)) {
		fprintf(stderr, "parcours: the demo did not import:\n");
		problems_print(&pb, stderr);
	} else if (set_passwords(c->db)) {
		fprintf(stderr, "parcours: demo passwords: %s\n", db_errmsg(c->db));
	} else {
		printf("demo territory loaded: %ld records in %lds\n", res.written,
		       (long)(time(NULL) - t0));
		print_accounts();
		rc = EXIT_OK;
	}
	unlink(path);
	problems_release(&pb);
	problems_release(&warn);
	return rc;
}
