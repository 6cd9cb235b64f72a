/*
 * schema.h — the exchange types, described once.
 *
 * Each entity family (src/model/<family>.c) describes its types here: the
 * fields of the exchange format (exchange-format.md), the table and columns
 * that hold them, the closed lists, the references and the rules. The JSONL
 * reader, the exporter, the web forms and the JSON API all work from these
 * descriptions, so a new family plugs in by adding its file and one line in
 * schema.c — the reader is never touched.
 */
#ifndef PARCOURS_SCHEMA_H
#define PARCOURS_SCHEMA_H
#include <jansson.h>
#include <stddef.h>

struct db;
struct problems;

enum field_kind {
	FK_STRING,      /* text, up to max_len characters (200 when 0) */
	FK_DATE,        /* YYYY-MM-DD, a real calendar day */
	FK_DATETIME,    /* RFC 3339 with offset, kept as written */
	FK_BOOL,
	FK_INT,         /* integer ≥ 0 */
	FK_AMOUNT,      /* euros ≥ 0, at most 2 decimals */
	FK_DECIMAL,     /* number ≥ 0 */
	FK_SHARE,       /* number in [0, 1] */
	FK_ENUM,        /* one of values */
	FK_REF,         /* exchange id of a record of type ref */
	FK_ENUM_LIST,   /* JSON array of values */
	FK_STRING_LIST, /* JSON array of strings */
	FK_REF_LIST,    /* JSON array of ids of type ref */
};

enum {
	F_REQUIRED = 1,      /* absent or null is an error */
	F_DEFAULT_FALSE = 2, /* a boolean whose default is false: not exported when false */
	F_DEFAULT_FIRST = 4, /* the default the format states is values[0] (an FK_INT's
				in digits): import fills it in when absent, export
				leaves it out (model/defaults.h) */
};

struct field_def {
	const char *name;    /* exchange field name */
	const char *column;  /* SQL column */
	enum field_kind kind;
	unsigned flags;
	const char *const *values; /* FK_ENUM*, NULL-terminated */
	const char *ref;           /* FK_REF*: target type name */
	size_t max_len;            /* FK_STRING, lists of strings: characters */
	const char *label;         /* French label for forms, lists, errors */
};

/* A column computed from the record on every write (search keys). */
struct derived_column {
	const char *column;
	char *(*compute)(json_t *rec); /* malloc'd value or NULL */
};

struct type_def {
	const char *name;   /* exchange type */
	const char *table;
	const char *label;  /* French, singular */
	const struct field_def *fields;
	size_t nfields;
	const struct derived_column *derived; /* NULL-terminated by column, or NULL */
	/* Rules that the record's own fields show, run after the field checks,
	 * even when some failed (read only fields of the right kind). Report
	 * with problem_add(); a problem on a field its own check already
	 * refused is dropped (one message per field). May be NULL. */
	void (*validate)(json_t *rec, struct problems *pb);
	/* Rules across records, checked on the database state before commit:
	 * each query returns rows (id, field, reason) of records of this type
	 * that break it. NULL-terminated, or NULL. */
	const char *const *checks;
	/* Keeps derived tables in step after an insert, update or delete
	 * (rec is NULL for a delete). May be NULL. */
	int (*after_write)(struct db *db, const char *id, json_t *rec);
};

/* At most this many types (the exchange format has about 50): per-type
 * tables (prepared statements, import bit sets) are sized by it. */
#define SCHEMA_MAX_TYPES 64

/* The types in the order of exchange-format.md (the export order). */
extern const struct type_def *const schema_types[];
/* The type named name, or NULL. */
const struct type_def *schema_type(const char *name);
/* The position of t in schema_types (0 … SCHEMA_MAX_TYPES − 1). */
int schema_index(const struct type_def *t);
/* The field named name of t, or NULL. */
const struct field_def *schema_field(const struct type_def *t, const char *name);
/* True when value is one of the NULL-terminated values. */
int schema_enum_has(const char *const *values, const char *value);

/* The closed list of organisation kinds (territory.c). */
extern const char *const organisation_kinds[];

/* The families' types (one file per family in src/model/). */
extern const struct type_def type_territory, type_organisation, type_user, type_sign_in,
	type_household, type_person, type_right_period;
/* Temporary cover of a référent's caseload (cover.c). */
extern const struct type_def type_referent_cover;
/* France Travail registration history (france_travail.c). */
extern const struct type_def type_france_travail_period;
/* The path (path.c, activity.c, instance.c). */
extern const struct type_def type_orientation, type_referent_assignment, type_diagnostic, type_contract, type_appointment, type_collective_session, type_attendance, type_survey_response, type_step, type_instance, type_instance_member, type_sitting, type_case_review;

#endif
