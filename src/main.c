/*
 * main.c — `parcours [--db PATH] COMMAND [options] [arguments]`.
 * The subcommand table; each command lives in src/cli/ (serve in src/web/).
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cmd_import_caf.h"
#include "cli/cmd_import_ft.h"
#include "cli/cmd_import_list.h"
#include "cli/cmd_merge.h"
#include "db/db.h"
#include "model/password.h"

static const struct command {
	const char *name;
	int (*run)(struct cli *c, int argc, char **argv);
	const char *help;
	int raw; /* opens the database as it is, without migrating (backup) */
} commands[] = {
	{ "init", cmd_init, "first organisation and administrator of an empty database", 0 },
	{ "migrate", cmd_migrate, "create or upgrade the database", 0 },
	{ "serve", cmd_serve, "the web application", 0 },
	{ "user", cmd_user, "add|passwd|disable|list|token accounts", 0 },
	{ "import", cmd_import, "load an exchange file (all or nothing)", 0 },
	{ "import-caf", cmd_import_caf, "CAF/MSA beneficiaries flux, household by household", 0 },
	{ "import-ft", cmd_import_ft, "France Travail lists, line by line", 0 },
	{ "import-list", cmd_import_list, "a beneficiary list (CSV, XLSX) with a saved mapping", 0 },
	{ "export", cmd_export, "write the exchange format to standard output", 0 },
	{ "backup", cmd_backup, "online copy of the database", 1 },
	{ "audit", cmd_audit, "verify|list the audit log", 0 },
	{ "demo", cmd_demo, "build the demo territory", 0 },
	{ "merge", cmd_merge, "merge two records of the same person", 0 },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: parcours [--db PATH] COMMAND [options] [arguments]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		fprintf(out, "  %-11s %s\n", commands[i].name, commands[i].help);
}

static void actor_name(char *out, size_t size)
{
	struct passwd *pw = getpwuid(getuid());

	snprintf(out, size, "cli:%s", pw ? pw->pw_name : "unknown");
}

/* The default database lives in var/: create the folder on first use. */
static void ensure_parent_dir(const char *path)
{
	char dir[4096];
	char *slash;

	snprintf(dir, sizeof dir, "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return;
	*slash = '\0';
	mkdir(dir, 0750); /* EEXIST is fine; other errors surface when opening */
}

int main(int argc, char **argv)
{
	struct cli c = { 0 };
	char *err = NULL, actor[80];
	const struct command *cmd = NULL;
	int i = 1, rc;

	/* Dates and times are those of Europe/Paris (domain.md, "Time"). */
	setenv("TZ", "Europe/Paris", 0);
	tzset();
	c.db_path = getenv("PARCOURS_DB") ? getenv("PARCOURS_DB") : "var/parcours.db";
	if (i + 1 < argc && strcmp(argv[i], "--db") == 0) {
		c.db_path = argv[i + 1];
		i += 2;
	}
	if (i < argc && (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "help") == 0)) {
		usage(stdout);
		return EXIT_OK;
	}
	for (size_t k = 0; i < argc && k < sizeof commands / sizeof *commands; k++)
		if (strcmp(argv[i], commands[k].name) == 0)
			cmd = &commands[k];
	if (!cmd) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (password_init()) {
		fprintf(stderr, "parcours: libsodium failed to start\n");
		return EXIT_FAILURE_;
	}
	actor_name(actor, sizeof actor);
	ensure_parent_dir(c.db_path);
	c.actor = actor;
	/* A backup copies the database as it is: a newer binary must not
	 * migrate it first (docs/deploy.md, "Upgrades"). */
	if ((cmd->raw ? db_open_raw : db_open)(&c.db, c.db_path, &err)) {
		fprintf(stderr, "parcours: cannot open the database %s\n", err ? err : c.db_path);
		free(err);
		return EXIT_FAILURE_;
	}
	rc = cmd->run(&c, argc - i - 1, argv + i + 1);
	db_close(c.db);
	return rc;
}
