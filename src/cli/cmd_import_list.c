/* cmd_import_list.c — `parcours import-list`; see cmd_import_list.h. */
#include "cli/cmd_import_list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "db/db.h"
#include "exchange/import_run.h"
#include "exchange/list_import.h"

static int usage(void)
{
	fprintf(stderr, "usage: parcours import-list FILE.csv|xlsx --organisation ID --mapping NAME "
			"[--map \"Header=field,...\"] [--preview]\n");
	return EXIT_USAGE;
}

/* The preview's lines on standard output. */
static void print_line(void *ud, const struct list_line_result *r)
{
	(void)ud;
	printf("line %ld: %s: %s", r->line, r->outcome, r->identifier);
	if (r->person)
		printf(" (%s)", r->person);
	if (r->reason)
		printf(": %s%s%s", r->field ? r->field : "", r->field ? ": " : "", r->reason);
	putchar('\n');
}

/* The mapping: --map (saved unless previewing), else the saved one. */
static json_t *mapping_for(struct cli *c, const struct cli_args *a, const char *org,
			   const char *name, int preview, int *rc)
{
	const char *spec = cli_opt(a, "--map");
	json_t *m = NULL;
	char why[300];

	*rc = EXIT_USAGE;
	if (spec) {
		if (!(m = list_mapping_parse(spec, why, sizeof why)))
			fprintf(stderr, "parcours: import-list: --map: %s\n", why);
		else if (!preview && list_mapping_save(c->db, org, name, m, c->actor)) {
			fprintf(stderr, "parcours: import-list: database: %s\n", db_errmsg(c->db));
			*rc = EXIT_FAILURE_;
			json_decref(m);
			m = NULL;
		}
		return m;
	}
	if (list_mapping_load(c->db, org, name, &m) == 1)
		fprintf(stderr, "parcours: import-list: the organisation %s has no mapping named "
				"\"%s\": give it with --map\n", org, name);
	else if (!m || list_mapping_check(m, why, sizeof why))
		fprintf(stderr, "parcours: import-list: the mapping \"%s\" cannot be used\n", name);
	else
		return m;
	json_decref(m);
	return NULL;
}

static int organisation_exists(struct cli *c, const char *org)
{
	int64_t n = 0;

	return !db_query_int(c->db, &n, "SELECT COUNT(*) FROM organisation WHERE id = ?", "s", org) &&
	       n > 0;
}

/* What the file loop needs (import_command_run_audit()). */
struct list_cmd {
	struct cli *c;
	struct list_import_options opt;
	const char *mapping_name;
};

static int list_one(void *ctx, const char *path, struct import_counts *totals, long *report)
{
	struct list_cmd *k = ctx;
	struct list_import_counts n = { 0 };
	char why[600];
	int rc = list_import_file(k->c->db, path, &k->opt, &n, report, why, sizeof why);

	/* Otherwise the importer said it on standard error (opt.err). */
	if (k->opt.preview && why[0])
		fprintf(stderr, "%s: %s: %s\n", path, rc > 0 ? "refused" : "stopped", why);
	totals->created += n.created;
	totals->updated += n.updated;
	totals->unchanged += n.unchanged;
	totals->rejected += n.rejected;
	return rc;
}

static json_t *list_detail(void *ctx)
{
	const struct list_cmd *k = ctx;

	return json_pack("{s:s}", "mapping", k->mapping_name);
}

int cmd_import_list(struct cli *c, int argc, char **argv)
{
	static const char *const opts[] = { "--organisation", "--mapping", "--map", NULL };
	static const char *const flags[] = { "--preview", NULL };
	struct list_cmd k = { c, { 0 }, NULL };
	struct import_command cmd = { "import-list", c->db, c->actor, &k, list_one, list_detail };
	/* One audit entry per run that may write: not a preview, not a file
	 * that could not be opened. */
	struct import_audit audit = { "organisation", NULL, 1 };
	struct cli_args a;
	const char *org;
	int rc;

	if (cli_parse(&a, argc, argv, opts, flags) || a.npos != 1 ||
	    !(org = cli_opt(&a, "--organisation")) || !(k.mapping_name = cli_opt(&a, "--mapping")) ||
	    !k.mapping_name[0])
		return usage();
	if (!organisation_exists(c, org)) {
		fprintf(stderr, "parcours: import-list: no organisation %s\n", org);
		return EXIT_USAGE;
	}
	k.opt.preview = cli_flag(&a, "--preview");
	if (!(k.opt.mapping = mapping_for(c, &a, org, k.mapping_name, k.opt.preview, &rc)))
		return rc;
	k.opt.organisation = audit.object_id = org;
	k.opt.mapping_name = k.mapping_name;
	k.opt.actor = c->actor;
	k.opt.err = k.opt.preview ? NULL : stderr;
	k.opt.on_line = k.opt.preview ? print_line : NULL;
	rc = import_command_run_audit(&cmd, &audit, a.pos, a.npos);
	json_decref(k.opt.mapping);
	return rc;
}
