/* cmd_import_list.c — `parcours import-list`; see cmd_import_list.h. */
#include "cli/cmd_import_list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "db/db.h"
#include "exchange/list_import.h"
#include "model/audit.h"

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

static int audit_run(struct cli *c, const char *file, const char *org, const char *name,
		     long report, const struct list_import_counts *n)
{
	json_t *detail = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I}", "file", file, "mapping",
				   name, "report", (json_int_t)report, "created",
				   (json_int_t)n->created, "updated", (json_int_t)n->updated,
				   "unchanged", (json_int_t)n->unchanged, "rejected",
				   (json_int_t)n->rejected);
	char *text = detail ? json_dumps(detail, JSON_COMPACT) : NULL;
	int rc = audit_append(c->db, c->actor, "cli", "import-list", "organisation", org, text);

	free(text);
	json_decref(detail);
	return rc;
}

int cmd_import_list(struct cli *c, int argc, char **argv)
{
	static const char *const opts[] = { "--organisation", "--mapping", "--map", NULL };
	static const char *const flags[] = { "--preview", NULL };
	struct list_import_options opt = { 0 };
	struct list_import_counts n = { 0 };
	struct cli_args a;
	const char *org, *name;
	char why[600];
	long report = 0;
	int rc;

	if (cli_parse(&a, argc, argv, opts, flags) || a.npos != 1 ||
	    !(org = cli_opt(&a, "--organisation")) || !(name = cli_opt(&a, "--mapping")) || !name[0])
		return usage();
	if (!organisation_exists(c, org)) {
		fprintf(stderr, "parcours: import-list: no organisation %s\n", org);
		return EXIT_USAGE;
	}
	opt.preview = cli_flag(&a, "--preview");
	if (!(opt.mapping = mapping_for(c, &a, org, name, opt.preview, &rc)))
		return rc;
	opt.organisation = org;
	opt.mapping_name = name;
	opt.actor = c->actor;
	opt.err = opt.preview ? NULL : stderr;
	opt.on_line = opt.preview ? print_line : NULL;
	rc = list_import_file(c->db, a.pos[0], &opt, &n, &report, why, sizeof why);
	json_decref(opt.mapping);
	if (why[0])
		fprintf(stderr, "%s: %s: %s\n", a.pos[0], rc > 0 ? "refused" : "stopped", why);
	/* One audit entry per run that may write (a preview writes nothing). */
	if (!opt.preview && rc >= 0 && audit_run(c, a.pos[0], org, name, report, &n)) {
		fprintf(stderr, "parcours: import-list: the audit log could not be written\n");
		rc = -1;
	}
	printf("created %ld, updated %ld, unchanged %ld, rejected %ld\n", n.created, n.updated,
	       n.unchanged, n.rejected);
	if (rc < 0)
		return EXIT_FAILURE_;
	return rc || n.rejected ? EXIT_REFUSED : EXIT_OK;
}
