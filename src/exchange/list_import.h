/*
 * list_import.h — beneficiary lists from other tools (CSV or XLSX, any
 * headers), line by line (issue 3, "Flux in"; docs/modules/lists.md).
 *
 * A mapping names, for column headers of the file, the person field each
 * one fills (last_name, first_name, birth_name, birth_date, sex, nir,
 * caf_number, france_travail_id, phone, email, address, commune); mappings
 * are saved per organisation under a name (table list_mapping). Each line
 * is matched to a person — by NIR, else CAF number + names + birth date,
 * else names + birth date, names compared accent- and case-insensitively —
 * and becomes a created person (with a household of their own) or an
 * updated or unchanged one, in its own transaction; a bad line is rolled
 * back and reported (line, identifier, field, reason), the others taken.
 * A preview runs the same work and rolls every line back. The run is
 * import_run's (report, transactions, rejections; a preview is its dry
 * run), the matching person_match's (shared with France Travail lists).
 *
 * CSV files are read by ft_csv (the France Travail reader), unchanged;
 * XLSX files by xlsx_read. The content decides, not the name: a zip
 * archive is a workbook.
 */
#ifndef PARCOURS_LIST_IMPORT_H
#define PARCOURS_LIST_IMPORT_H
#include <stdio.h>

#include <jansson.h>

struct db;

enum list_field {
	LF_LAST_NAME, LF_FIRST_NAME, LF_BIRTH_NAME, LF_BIRTH_DATE, LF_SEX, LF_NIR, LF_CAF_NUMBER,
	LF_FT_ID, LF_PHONE, LF_EMAIL, LF_ADDRESS, LF_COMMUNE, LF_COUNT
};

/* The fields' codes ("last_name" …) and French labels, by enum list_field. */
extern const char *const list_field_codes[LF_COUNT];
extern const char *const list_field_labels[LF_COUNT];

/* ---- mappings ------------------------------------------------------------- */

/* Parses "Nom=last_name,Prénom=first_name,…" into {"Nom":"last_name",…}.
 * NULL with a French reason in why when malformed or not valid
 * (list_mapping_check). */
json_t *list_mapping_parse(const char *spec, char *why, size_t size);
/* Checks a mapping {header: field code or ""}: known codes, each field at
 * most once, last_name, first_name and birth_date present. 0 or -1 (why). */
int list_mapping_check(json_t *mapping, char *why, size_t size);
/* The mapping saved for organisation under name: 0 (and *out), 1 when there
 * is none, -1 on a database failure. */
int list_mapping_load(struct db *db, const char *organisation, const char *name, json_t **out);
/* Creates or replaces it. */
int list_mapping_save(struct db *db, const char *organisation, const char *name,
		      json_t *mapping, const char *actor);
/* The saved mappings' names of an organisation, as a JSON array. */
json_t *list_mapping_names(struct db *db, const char *organisation);

/* The first non-empty line of a file: its headers, as a JSON array of
 * strings; NULL with why when the file cannot be read. */
json_t *list_headers(const char *path, char *why, size_t size);
/* The mapping a header suggests: the field whose code or French label
 * folds to the same text ("Prénom" → first_name), or NULL. */
const char *list_guess_field(const char *header);

/* ---- import --------------------------------------------------------------- */

struct list_line_result {
	long line;
	const char *outcome;    /* created, updated, unchanged, rejected */
	const char *identifier; /* NIR, else CAF number, else names and birth date */
	const char *person;     /* the matched person's id, or NULL */
	const char *field;      /* a rejection's field (the file's header), or NULL */
	const char *reason;     /* a rejection's reason, or NULL */
};

struct list_import_options {
	const char *organisation;  /* the importing organisation (recorded) */
	const char *mapping_name;  /* recorded in the report */
	json_t *mapping;           /* header → field code */
	int preview;               /* compute, write nothing (no report either) */
	const char *actor;
	const char *file_name;     /* shown in messages and the report; NULL: the path */
	FILE *err;                 /* rejected lines, warnings, why a file was refused or
				    * stopped; NULL: silent */
	/* Called once per line (and per problem of a rejected line). */
	void (*on_line)(void *ud, const struct list_line_result *r);
	void *ud;
};

struct list_import_counts {
	long created, updated, unchanged, rejected;
};

/* Imports (or previews) one file. *report gets the list_import row's id (0
 * in a preview or when none was written). Returns 0 when the file was read
 * to its end (lines may have been rejected), 1 when it was refused (not
 * readable as CSV or XLSX, headers missing the mapping's columns) or cut
 * short, -1 when it cannot be opened or on a database failure; why says
 * why. */
int list_import_file(struct db *db, const char *path, const struct list_import_options *opt,
		     struct list_import_counts *counts, long *report, char *why, size_t size);

/* A date as lists write it: 31/12/1980, 31-12-1980, 31.12.1980, 1980-12-31
 * (a time after it is ignored). 0 and the day, or -1. */
int list_parse_date(const char *s, long *day);

#endif
