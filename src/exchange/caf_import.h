/*
 * caf_import.h — applies a CAF/MSA beneficiaries flux to the database,
 * household by household (../shared/formats/README.md, "How Parcours reads
 * a flux"; docs/modules/caf.md).
 *
 * Each InfosFoyerRSA that caf_xml.h reads becomes a household, its people
 * and their RSA right periods, written through the model (record_validate()
 * and record_write(), then the cross-record rules) in its own transaction:
 * a bad household is rolled back and reported (position, line, MATRICULE,
 * field, reason, its XML kept in the report) and the others are taken.
 * Every run leaves a report row (caf_import) and its rejections
 * (caf_import_rejection); the newest DTREF per paying body is remembered
 * so that an older flux is refused unless `force`. The run itself (report,
 * per-household transaction and checks, rejections) is import_run.h's.
 */
#ifndef PARCOURS_CAF_IMPORT_H
#define PARCOURS_CAF_IMPORT_H
#include <stdio.h>

struct db;

struct caf_import_options {
	int force;            /* take a flux older than the last one (and say what changed) */
	const char *xsd_path; /* validate against this XSD while reading; NULL: no */
	const char *actor;    /* recorded in the report */
	FILE *out;            /* what --force changed, the file's summary; NULL: silent */
	FILE *err;            /* rejected households, warnings, why a file stopped; NULL: silent */
};

/* Households (the flux's records) by outcome, and what was written. */
struct caf_import_counts {
	long created;         /* a household record was created */
	long updated;         /* something of an existing household was written */
	long unchanged;       /* nothing to write */
	long rejected;        /* rolled back and reported */
	long people;          /* Personne blocks of the households taken */
	long people_created;
	long periods_written; /* right periods created, ended or rewritten */
};

/* Imports one flux file. Adds to *counts (which the caller zeroes);
 * *report gets the caf_import row's id (0 when none was written).
 * Returns 0 when the file was read to its end (households may have been
 * rejected: see counts->rejected); 1 when it was refused (older than the
 * last flux of its paying body without force, no usable DTREF) or its XML
 * stopped being readable part-way (the households read before were taken);
 * -1 when the file or the XSD cannot be opened, or on a database failure. */
int caf_import_file(struct db *db, const char *path, const struct caf_import_options *opt,
		    struct caf_import_counts *counts, long *report);

#endif
