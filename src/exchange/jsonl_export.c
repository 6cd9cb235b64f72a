/* jsonl_export.c — the exchange format's writer; see jsonl.h. */
#include "exchange/jsonl.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "db/db.h"
#include "model/defaults.h"
#include "model/record.h"
#include "model/schema.h"

static int listed(const char *types, const char *name)
{
	size_t n = strlen(name);

	if (!types)
		return 1;
	for (const char *p = types; *p;) {
		size_t len = strcspn(p, ",");
		if (len == n && strncmp(p, name, n) == 0)
			return 1;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* Leaves out of rec the fields equal to the default the format states
 * (defaults holds each field's, or NULL). */
static void drop_defaults(const struct type_def *t, json_t *const *defaults, json_t *rec)
{
	for (size_t i = 0; i < t->nfields; i++)
		if (defaults[i] && json_equal(json_object_get(rec, t->fields[i].name), defaults[i]))
			json_object_del(rec, t->fields[i].name);
}

static int export_type(struct db *db, const struct type_def *t, FILE *out)
{
	json_t **defaults = calloc(t->nfields + 1, sizeof *defaults);
	struct db_stmt *st;
	struct buf sql;
	int rc = 0, s;

	if (!defaults)
		return -1;
	for (size_t i = 0; i < t->nfields; i++)
		defaults[i] = defaults_value(&t->fields[i]);
	buf_init(&sql, 16384);
	/* ORDER BY id uses the BINARY collation: bytewise, as the format says. */
	buf_addf(&sql, "%s ORDER BY id", record_select_sql(t));
	if (db_prepare(db, &st, buf_str(&sql))) {
		rc = -1;
		goto out;
	}
	while ((s = db_step(st)) == DB_ROW) {
		json_t *rec = record_from_row(t, st);
		drop_defaults(t, defaults, rec);
		if (json_dumpf(rec, out, JSON_COMPACT | JSON_PRESERVE_ORDER) || fputc('\n', out) == EOF)
			rc = -1;
		json_decref(rec);
		if (rc)
			break;
	}
	if (s != DB_DONE && s != DB_ROW)
		rc = -1;
	db_finalize(st);
out:
	buf_release(&sql);
	for (size_t i = 0; i < t->nfields; i++)
		json_decref(defaults[i]);
	free(defaults);
	return rc;
}

int jsonl_export(struct db *db, const char *types, FILE *out)
{
	for (const struct type_def *const *t = schema_types; *t; t++)
		if (listed(types, (*t)->name) && export_type(db, *t, out))
			return -1;
	return fflush(out) ? -1 : 0;
}
