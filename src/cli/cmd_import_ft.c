/* cmd_import_ft.c — `parcours import-ft`; see cmd_import_ft.h. */
#include "cli/cmd_import_ft.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "exchange/ft_import.h"
#include "exchange/import_run.h"

static int usage(void)
{
	fprintf(stderr, "usage: parcours import-ft FILE.csv... [--state registered|ceased|removed]\n");
	return EXIT_USAGE;
}

struct ft_cmd {
	struct db *db;
	struct ft_import_options opt;
	long unmatched;
};

static int ft_one(void *ctx, const char *path, struct import_counts *totals, long *report)
{
	struct ft_cmd *k = ctx;
	struct ft_import_counts c = { 0 };
	int rc = ft_import_file(k->db, path, &k->opt, &c, report);

	totals->created += c.created;
	totals->updated += c.updated;
	totals->unchanged += c.unchanged;
	totals->rejected += c.rejected;
	k->unmatched += c.unmatched;
	return rc;
}

static json_t *ft_detail(void *ctx)
{
	struct ft_cmd *k = ctx;

	return json_pack("{s:I, s:s?}", "unmatched", (json_int_t)k->unmatched, "state",
			 k->opt.state);
}

int cmd_import_ft(struct cli *c, int argc, char **argv)
{
	static const char *const opts[] = { "--state", NULL };
	static const char *const flags[] = { NULL };
	struct ft_cmd k = { c->db, { 0 }, 0 };
	struct import_command cmd = { "import-ft", c->db, c->actor, &k, ft_one, ft_detail };
	struct cli_args a;

	if (cli_parse(&a, argc, argv, opts, flags) || a.npos < 1)
		return usage();
	k.opt.state = cli_opt(&a, "--state");
	if (k.opt.state && strcmp(k.opt.state, "registered") && strcmp(k.opt.state, "ceased") &&
	    strcmp(k.opt.state, "removed")) {
		fprintf(stderr, "parcours: import-ft: --state is registered, ceased or removed\n");
		return usage();
	}
	k.opt.actor = c->actor;
	k.opt.out = stdout;
	k.opt.err = stderr;
	return import_command_run(&cmd, a.pos, a.npos);
}
