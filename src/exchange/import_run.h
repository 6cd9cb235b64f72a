/*
 * import_run.h — what every record-by-record importer shares
 * (docs/modules/imports.md): the counts, the report row and its rejection
 * rows, each record in its own transaction with the cross-record rules of
 * what it wrote, rejected records told on standard error and kept in the
 * report, warnings, and the command's file loop with its last summary line
 * and one audit entry per run.
 *
 * An importer embeds a struct import_run, fills its kind, reads its file
 * and, for each record: import_record_begin(), import_record_start(),
 * import_put() for each record of the model it writes,
 * import_record_end(), then import_reject() when it was refused, and
 * import_count().
 *
 * Each record is atomic and independent: it runs inside its own SAVEPOINT,
 * released when it is taken, rolled back to when it is rejected, so a bad
 * record leaves no trace and never takes a good one with it. Durability is
 * grouped: the records run inside one transaction that is committed every
 * IMPORT_BATCH_RECORDS records or IMPORT_BATCH_MS milliseconds (with the
 * report row's counts so far), and at import_close(). A run that dies loses
 * the records since its last commit, and its report row (status running)
 * counts exactly what was committed; importing the file again takes them.
 *
 * A dry run (import_open_dry_run(), a preview) does the same work and
 * writes nothing: no report row, every record rolled back, rejections told
 * but not kept, no audit entry.
 */
#ifndef PARCOURS_IMPORT_RUN_H
#define PARCOURS_IMPORT_RUN_H
#include <stdio.h>

#include <jansson.h>

#include "model/problems.h"

struct db;
struct type_def;
struct record_writer;
struct record_checker;
struct db_stmt;
struct buf;

/* What differs from one importer to the next, fixed for the importer. */
struct import_kind {
	/* The report table (id, file, started_at, actor, status, finished_at,
	 * created, updated, unchanged, rejected, warnings, error); its
	 * rejections are in <table>_rejection (import_id, seq, line,
	 * identifier, field, reason, <text_column>, <tag_column>). */
	const char *table;
	const char *text_column; /* the record as read, on its first row */
	const char *tag_column;  /* the importer's own column (see import_rejected); NULL: none */
	const char *refused;     /* the problem of a record refused without one */
	const char *too_many;    /* the problem of a record that writes more than max_written */
	size_t max_written;
	/* The report's name for a model field (what the reader can look up in
	 * the file); NULL: the model's name. */
	const char *(*field_name)(void *importer, const char *type, const char *field);
	/* The SQL of the importer's statement number which (< IMPORT_MAX_STMTS),
	 * for import_stmt(). */
	void (*sql)(int which, struct buf *out);
	/* The importer's own columns that the report row needs from its
	 * insertion (NOT NULL ones), "organisation, mapping", and the function
	 * that binds their values from parameter number first on. NULL: none. */
	const char *open_columns;
	void (*open_bind)(void *importer, struct db_stmt *st, int first);
};

#define IMPORT_MAX_STMTS 16
/* A run commits after this many records or this much time, whichever
 * comes first (r->batch_records, r->batch_ms). */
#define IMPORT_BATCH_RECORDS 500
#define IMPORT_BATCH_MS 1000

struct import_counts {
	long created, updated, unchanged, rejected;
};

/* A record's outcome; the counts follow it. */
enum import_outcome { IMPORT_CREATED, IMPORT_UPDATED, IMPORT_UNCHANGED, IMPORT_REJECTED };

struct import_written {
	const struct type_def *t;
	char id[80];
	long line;
	json_t *rec; /* as written: its references are looked up directly */
};

struct import_run {
	const struct import_kind *kind;
	void *importer;           /* given to kind->field_name */
	struct db *db;
	const char *path;
	const char *actor;
	FILE *out, *err;          /* NULL: silent */
	int dry_run;              /* nothing written (import_open_dry_run()) */
	struct import_counts c;
	long report, seq;         /* the report row; its rejection rows so far */
	json_t *warnings;
	struct record_writer *w;
	struct record_checker *checker;
	struct db_stmt *rejection;
	struct db_stmt *st[IMPORT_MAX_STMTS]; /* the importer's, see import_stmt() */
	/* the batch: the transaction the records run in (see above) */
	long batch_records, batch_ms; /* when to commit: IMPORT_BATCH_* unless changed */
	int in_batch;
	long batched;             /* records since the batch began */
	long batch_began;         /* its start, milliseconds (CLOCK_MONOTONIC) */
	struct import_counts committed; /* the counts as of the last commit */
	long saved_autocheckpoint, saved_cache; /* the connection's, put back at release */
	/* the record being applied */
	struct problems pb;
	struct import_written *written;
	size_t nwritten;
};

/* The rejection of one record, as told and kept. */
struct import_rejected {
	long line;              /* for problems without one */
	const char *who;        /* in messages: "household 2 (MATRICULE 123)" */
	const char *identifier; /* kept in the report; NULL: none */
	const char *text;       /* the record as read, kept on its first row; NULL: none */
	const char *tag_text;   /* the tag column's value: this text, */
	long tag_number;        /* else this number */
};

/* Prints to f unless it is NULL. */
void import_say(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A warning of the file: kept for the report, printed as "PATH: warning: …". */
void import_warn(struct import_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Sets the run up and writes its report row (status running). Returns 0,
 * or -1 after saying why on r->err (the run is released). */
int import_open(struct import_run *r, const struct import_kind *kind, void *importer,
		struct db *db, const char *path, const char *actor, FILE *out, FILE *err);
/* The same for a dry run: no report row (r->report stays 0), each record
 * rolled back by import_record_end() even when all is well (and each batch
 * rolled back instead of committed), rejections told and not kept,
 * import_close() only says why. */
int import_open_dry_run(struct import_run *r, const struct import_kind *kind, void *importer,
			struct db *db, const char *path, FILE *out, FILE *err);
/* Finishes the report row (status, the counts, warnings, error) and runs
 * extra (the importer's own columns; NULL: none) in the same transaction
 * as the last batch, then commits.
 * Says why on r->err when error is given ("refused" or "stopped"). -1 on a
 * database failure (said). */
int import_close(struct import_run *r, const char *status, const char *error,
		 int (*extra)(struct import_run *r, void *importer, const char *status));
void import_release(struct import_run *r);
/* The importer's statement number which (kind->sql), prepared on first use
 * and kept for the run; NULL when it cannot be prepared. */
struct db_stmt *import_stmt(struct import_run *r, int which);
/* The record of st's current row without "type" and "id" (as importers
 * build the records they write). */
json_t *import_row_record(const struct type_def *t, struct db_stmt *st);
/* The record t/id read with the importer's statement which (one parameter,
 * the id), without "type" and "id"; NULL when there is none. */
json_t *import_load(struct import_run *r, int which, const struct type_def *t, const char *id);

/* Starts a record: no problem, nothing written. */
void import_record_begin(struct import_run *r, long line);
/* Opens the record's savepoint (in place of a transaction of its own),
 * first committing the batch when it is due and beginning one when none is
 * open. 0, or -1 on a database failure. */
int import_record_start(struct import_run *r);
/* Writes rec as t/id unless it equals old (validated first; problems at
 * line). 0 written or unchanged, 1 refused (r->pb), -1 database failure. */
int import_put(struct import_run *r, const struct type_def *t, const char *id, json_t *old,
	       json_t *rec, long line);
/* Ends the record's savepoint: when rc is 0, the cross-record rules of
 * every record written run; releases it when all is well (a dry run rolls
 * back to it), else rolls back to it. Returns 0 taken (or would be), 1
 * rolled back (problems in r->pb), -1 database failure. */
int import_record_end(struct import_run *r, int rc);
/* Tells the record's problems on r->err (kind->refused when it has none)
 * and keeps them in the report. Runs after the record's savepoint was
 * rolled back to, in the batch. */
int import_reject(struct import_run *r, const struct import_rejected *rej);
/* One row of the report's rejections, not told: e.g. the rest of a file
 * that stopped being readable. */
int import_rejection_row(struct import_run *r, const struct import_rejected *rej,
			 const char *field, const char *reason, long line, int first);
void import_count(struct import_run *r, enum import_outcome o);

/* The command over files: imports each (one_file adds to totals; 0, 1
 * when refused or cut short, -1 on failure), then writes one audit entry
 * (action; detail {"files", "reports", the four
 * counts, then extra's members}) and prints "created N, updated N,
 * unchanged N, rejected N". Returns the exit status of cli.h: 0, 1
 * (refused, rejected), 3. */
struct import_command {
	const char *action;
	struct db *db;
	const char *actor;
	void *ctx;
	int (*one_file)(void *ctx, const char *path, struct import_counts *totals, long *report);
	json_t *(*extra)(void *ctx); /* NULL: none */
};
int import_command_run(const struct import_command *cmd, char **files, int nfiles);

/* The same with the audit entry's object and rule. */
struct import_audit {
	const char *object_type, *object_id; /* NULL: none */
	/* 1: no entry when no file got a report row (a dry run, files that
	 * could not be opened): only runs that may write are audited. */
	int needs_report;
};
int import_command_run_audit(const struct import_command *cmd, const struct import_audit *audit,
			     char **files, int nfiles);

/* The detail of an import run's audit entry, the one shape of every import
 * (the command line's and the web's): {"files", "reports", "created",
 * "updated", "unchanged", "rejected", then extra's members} as compact
 * JSON, to free; NULL when out of memory. Takes files, reports and extra
 * (NULL: none). */
char *import_audit_detail(json_t *files, json_t *reports, const struct import_counts *t,
			  json_t *extra);

#endif
