/* cmd_merge.c — `parcours merge KEEP_ID ABSORBED_ID [--dry-run]`; see cmd_merge.h. */
#include "cli/cmd_merge.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "db/db.h"
#include "model/audit.h"
#include "model/merge.h"

static void print_value(const char *prefix, json_t *v)
{
	printf("%s%s", prefix, json_is_string(v) ? json_string_value(v) : "?");
}

static void print_fields(const struct merge_result *r)
{
	json_t *x;
	size_t i;

	json_array_foreach(r->taken, i, x) {
		printf("field taken from the absorbed record: %s",
		       json_string_value(json_object_get(x, "field")));
		print_value(" = ", json_object_get(x, "value"));
		printf("\n");
	}
	json_array_foreach(r->conflicts, i, x) {
		printf("field kept (values differ): %s", json_string_value(json_object_get(x, "field")));
		print_value(": kept ", json_object_get(x, "kept"));
		print_value(", absorbed record had ", json_object_get(x, "absorbed"));
		printf("\n");
	}
}

static void print_rows(const struct merge_result *r)
{
	const char *table;
	json_t *x;
	size_t i;

	json_object_foreach(r->moved, table, x)
		printf("moved: %s %lld\n", table, (long long)json_integer_value(x));
	json_array_foreach(r->dropped, i, x)
		printf("identical row removed: %s %s (same as %s)\n",
		       json_string_value(json_object_get(x, "table")),
		       json_string_value(json_object_get(x, "id")),
		       json_string_value(json_object_get(x, "same_as")));
}

static int report(struct cli *c, int rc, const char *keep, const char *absorb, int dry_run,
		  struct merge_result *r)
{
	if (rc == MERGE_FAILED) {
		fprintf(stderr, "parcours: merge: %s\n", db_errmsg(c->db));
		return EXIT_FAILURE_;
	}
	if (rc != MERGE_DONE) {
		fprintf(stderr, "merge of %s into %s refused, nothing was written; %zu problem(s):\n",
			absorb, keep, problems_count(&r->pb));
		problems_print(&r->pb, stderr);
		return EXIT_REFUSED;
	}
	print_fields(r);
	print_rows(r);
	if (dry_run)
		printf("dry run: %s would be merged into %s; nothing was written\n", absorb, keep);
	else
		printf("merged %s into %s (merge %ld)\n", absorb, keep, r->merge_id);
	return EXIT_OK;
}

int cmd_merge(struct cli *c, int argc, char **argv)
{
	static const char *const flags[] = { "--dry-run", NULL };
	struct merge_result r;
	struct cli_args a;
	int rc, dry_run;

	if (cli_parse(&a, argc, argv, NULL, flags) || a.npos != 2) {
		fprintf(stderr, "usage: parcours merge KEEP_ID ABSORBED_ID [--dry-run]\n");
		return EXIT_USAGE;
	}
	dry_run = cli_flag(&a, "--dry-run");
	merge_result_init(&r);
	rc = person_merge(c->db, a.pos[0], a.pos[1], c->actor, "cli", dry_run, &r);
	/* A dry run reads both files: it leaves its trace like any read. */
	if (dry_run && rc == MERGE_DONE)
		audit_append(c->db, c->actor, "cli", "person.merge.dry_run", "person", a.pos[0],
			     a.pos[1]);
	rc = report(c, rc, a.pos[0], a.pos[1], dry_run, &r);
	merge_result_release(&r);
	return rc;
}
