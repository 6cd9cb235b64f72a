/* jsonl_export.c — the exchange format's writer; see jsonl.h. */
#include "exchange/jsonl.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "db/db.h"
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

static int export_type(struct db *db, const struct type_def *t, FILE *out)
{
	struct db_stmt *st;
	struct buf sql;
	int rc = 0, s;

	buf_init(&sql, 16384);
	/* ORDER BY id uses the BINARY collation: bytewise, as the format says. */
	buf_addf(&sql, "%s ORDER BY id", record_select_sql(t));
	if (db_prepare(db, &st, buf_str(&sql))) {
		buf_release(&sql);
		return -1;
	}
	while ((s = db_step(st)) == DB_ROW) {
		json_t *rec = record_from_row(t, st);
		if (json_dumpf(rec, out, JSON_COMPACT | JSON_PRESERVE_ORDER) || fputc('\n', out) == EOF)
			rc = -1;
		json_decref(rec);
		if (rc)
			break;
	}
	if (s != DB_DONE && s != DB_ROW)
		rc = -1;
	db_finalize(st);
	buf_release(&sql);
	return rc;
}

int jsonl_export(struct db *db, const char *types, FILE *out)
{
	for (const struct type_def *const *t = schema_types; *t; t++)
		if (listed(types, (*t)->name) && export_type(db, *t, out))
			return -1;
	return fflush(out) ? -1 : 0;
}
