/*
 * record.h — generic work on exchange records, driven by schema.h.
 *
 * A record is a JSON object in the exchange shape ({"type","id",fields…}).
 * record_validate() checks it field by field and then by the type's own
 * rules; record_writer writes it (replacing upsert) or deletes it with
 * prepared statements kept for the whole run; record_from_row() turns a
 * table row back into the exchange shape (export, pages, API).
 */
#ifndef PARCOURS_RECORD_H
#define PARCOURS_RECORD_H
#include <jansson.h>

#include "model/schema.h"

struct db;
struct db_stmt;
struct problems;

/* Checks the fields of rec against t: unknown fields (warnings when
 * lenient, else problems), required fields, kinds, closed lists, dates,
 * start ≤ end, then t->validate. Adds to pb (and warn). Returns the number
 * of problems added to pb. */
size_t record_validate(const struct type_def *t, json_t *rec, int lenient, struct problems *pb,
		       struct problems *warn);

struct record_writer;
struct record_writer *record_writer_new(struct db *db);
void record_writer_free(struct record_writer *w);
/* Inserts or replaces the record (fields left out become absent). */
int record_write(struct record_writer *w, const struct type_def *t, const char *id, json_t *rec);
/* Removes the record (references to it are checked before commit). */
int record_delete(struct record_writer *w, const struct type_def *t, const char *id);

/* "SELECT id, version, <columns> FROM <table>" for t (static per type). */
const char *record_select_sql(const struct type_def *t);
/* The record of the current row of a statement made from
 * record_select_sql(): {"type","id",fields…}, absent fields and default
 * false booleans left out. */
json_t *record_from_row(const struct type_def *t, struct db_stmt *st);
/* Loads one record by id, or NULL when there is none. *version gets its
 * version when not NULL. */
json_t *record_load(struct db *db, const struct type_def *t, const char *id, long *version);

/* Calls fn for every reference of a t record (only record only_id when not
 * NULL) to a record that does not exist: (id of the t record, field, missing
 * target id). Returns -1 on a SQL error. */
int record_dangling(struct db *db, const struct type_def *t, const char *only_id,
		    void (*fn)(const char *id, const char *field, const char *target, void *ud),
		    void *ud);

/* The rules across records (dangling references, the type's checks) for one
 * record, on the current database state; problems go to pb. -1 on SQL error. */
int record_check_one(struct db *db, const struct type_def *t, const char *id, struct problems *pb);

/* The same rules with their statements prepared once per type and kept for
 * the checker's life: for a run that checks many records (the importers),
 * where preparing each time would cost more than the lookups. Same
 * problems, same order as record_check_one(). */
struct record_checker;
struct record_checker *record_checker_new(struct db *db);
void record_checker_free(struct record_checker *c);
int record_checker_run(struct record_checker *c, const struct type_def *t, const char *id,
		       struct problems *pb);
/* The same, given rec, the record as just written: its references' targets
 * are looked up directly instead of through its row (one lookup fewer). */
int record_checker_run_rec(struct record_checker *c, const struct type_def *t, const char *id,
			   json_t *rec, struct problems *pb);
/* Targets that the caller knows exist (it wrote them in the same
 * transaction): known(ctx, type, id) true skips their lookup. */
void record_checker_set_known(struct record_checker *c,
			      int (*known)(void *ctx, const char *type, const char *id), void *ctx);

#endif
