/* cmd_import_caf.c — `parcours import-caf`; see cmd_import_caf.h. */
#include "cli/cmd_import_caf.h"

#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "cli/cli.h"
#include "exchange/caf_import.h"
#include "exchange/import_run.h"

static int usage(void)
{
	fprintf(stderr, "usage: parcours import-caf FILE.xml... [--validate --xsd PATH] [--force]\n");
	return EXIT_USAGE;
}

struct caf_cmd {
	struct db *db;
	struct caf_import_options opt;
};

static int caf_one(void *ctx, const char *path, struct import_counts *totals, long *report)
{
	struct caf_cmd *k = ctx;
	struct caf_import_counts c = { 0 };
	int rc = caf_import_file(k->db, path, &k->opt, &c, report);

	totals->created += c.created;
	totals->updated += c.updated;
	totals->unchanged += c.unchanged;
	totals->rejected += c.rejected;
	return rc;
}

static json_t *caf_detail(void *ctx)
{
	struct caf_cmd *k = ctx;

	return json_pack("{s:b, s:b}", "force", k->opt.force, "validate", k->opt.xsd_path != NULL);
}

int cmd_import_caf(struct cli *c, int argc, char **argv)
{
	static const char *const opts[] = { "--xsd", NULL };
	static const char *const flags[] = { "--validate", "--force", NULL };
	struct caf_cmd k = { c->db, { 0 } };
	struct import_command cmd = { "import-caf", c->db, c->actor, &k, caf_one, caf_detail };
	struct cli_args a;

	if (cli_parse(&a, argc, argv, opts, flags) || a.npos < 1)
		return usage();
	/* Validation needs the schema, and the schema is only for validation:
	 * the XSD is the operator's file, never a copy kept in the project. */
	if (cli_flag(&a, "--validate") != (cli_opt(&a, "--xsd") != NULL)) {
		fprintf(stderr, "parcours: import-caf: --validate and --xsd PATH go together\n");
		return usage();
	}
	k.opt.force = cli_flag(&a, "--force");
	k.opt.xsd_path = cli_opt(&a, "--xsd");
	k.opt.actor = c->actor;
	k.opt.out = stdout;
	k.opt.err = stderr;
	return import_command_run(&cmd, a.pos, a.npos);
}
