/* cmd_import_caf.c — `parcours import-caf`; see cmd_import_caf.h. */
#include "cli/cmd_import_caf.h"

#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "cli/cli.h"
#include "exchange/caf_import.h"
#include "model/audit.h"

static int usage(void)
{
	fprintf(stderr, "usage: parcours import-caf FILE.xml... [--validate --xsd PATH] [--force]\n");
	return EXIT_USAGE;
}

int cmd_import_caf(struct cli *c, int argc, char **argv)
{
	static const char *const opts[] = { "--xsd", NULL };
	static const char *const flags[] = { "--validate", "--force", NULL };
	struct caf_import_options opt = { 0 };
	struct caf_import_counts counts = { 0 };
	struct cli_args a;
	json_t *files, *reports, *detail;
	char *text;
	int refused = 0, failed = 0;

	if (cli_parse(&a, argc, argv, opts, flags) || a.npos < 1)
		return usage();
	/* Validation needs the schema, and the schema is only for validation:
	 * the XSD is the operator's file, never a copy kept in the project. */
	if (cli_flag(&a, "--validate") != (cli_opt(&a, "--xsd") != NULL)) {
		fprintf(stderr, "parcours: import-caf: --validate and --xsd PATH go together\n");
		return usage();
	}
	opt.force = cli_flag(&a, "--force");
	opt.xsd_path = cli_opt(&a, "--xsd");
	opt.actor = c->actor;
	opt.out = stdout;
	opt.err = stderr;
	files = json_array();
	reports = json_array();
	for (int i = 0; i < a.npos; i++) {
		long report = 0;
		int rc = caf_import_file(c->db, a.pos[i], &opt, &counts, &report);

		json_array_append_new(files, json_string(a.pos[i]));
		if (report)
			json_array_append_new(reports, json_integer(report));
		refused |= rc == 1;
		failed |= rc < 0;
		fflush(stdout);
	}
	/* One audit entry for the run, not one per household (as `import`). */
	detail = json_pack("{s:o, s:o, s:I, s:I, s:I, s:I, s:b, s:b}", "files", files, "reports",
			   reports, "created", (json_int_t)counts.created, "updated",
			   (json_int_t)counts.updated, "unchanged", (json_int_t)counts.unchanged,
			   "rejected", (json_int_t)counts.rejected, "force", opt.force, "validate",
			   opt.xsd_path != NULL);
	text = detail ? json_dumps(detail, JSON_COMPACT) : NULL;
	if (audit_append(c->db, c->actor, "cli", "import-caf", NULL, NULL, text)) {
		fprintf(stderr, "parcours: import-caf: the audit log could not be written\n");
		failed = 1;
	}
	free(text);
	json_decref(detail);
	printf("created %ld, updated %ld, unchanged %ld, rejected %ld\n", counts.created,
	       counts.updated, counts.unchanged, counts.rejected);
	if (failed)
		return EXIT_FAILURE_;
	return refused || counts.rejected ? EXIT_REFUSED : EXIT_OK;
}
