/*
 * jsonl.h — the exchange format (exchange-format.md): import, all or
 * nothing, and export.
 *
 * The reader knows nothing of the types: it reads lines, checks the frame
 * (JSON object, type, id, duplicates, size), and hands each record to the
 * generic validator and writer of record.h, which follow the descriptors of
 * schema.h. Rules across records (references, overlaps) are checked on the
 * database state inside the import's transaction, before commit.
 */
#ifndef PARCOURS_JSONL_H
#define PARCOURS_JSONL_H
#include <jansson.h>
#include <stdio.h>

struct db;
struct problems;

#define JSONL_MAX_LINE (1024 * 1024)

struct import_options {
	int lenient;          /* unknown fields are warnings */
	const char *actor;    /* for the audit entry */
	const char *address;
};

struct import_result {
	long lines;    /* lines read */
	long written;  /* records created or replaced */
	long deleted;
};

/* Imports path (.jsonl, or gzip-compressed whatever its name; "-" for
 * standard input). Returns 0 when everything was written and committed;
 * 1 when the input was refused (pb lists every problem; nothing written);
 * -1 on a system failure (message in pb). */
int jsonl_import(struct db *db, const char *path, const struct import_options *opt,
		 struct problems *pb, struct problems *warn, struct import_result *res);

/* Writes every record of the types named in the comma-separated list (NULL
 * for all), in the format's order, each type sorted by id. */
int jsonl_export(struct db *db, const char *types, FILE *out);

#endif
