/*
 * person_match.h — finding the person a line of an outside list designates,
 * as France Travail lists (ft_import.c) and beneficiary lists
 * (list_import.c) both do: by NIR (its 13 first characters), by France
 * Travail id, by names and birth date compared without case or accents
 * (text_fold) among people without another NIR, optionally within the
 * households of a CAF number. Each importer keeps its own policy (which key
 * first, what two answers mean, the messages); this module only asks.
 * The statements are prepared on first use and kept for the run.
 */
#ifndef PARCOURS_PERSON_MATCH_H
#define PARCOURS_PERSON_MATCH_H

struct db;
struct db_stmt;

#define PERSON_MATCH_ID 80 /* room for a person id */
#define PERSON_MATCH_NIR 20

enum { PM_BY_NIR, PM_BY_FT_ID, PM_BY_BIRTH, PM_BY_CAF_BIRTH, PM_COUNT };

struct person_match {
	struct db *db;
	struct db_stmt *st[PM_COUNT];
};

void person_match_init(struct person_match *m, struct db *db);
void person_match_release(struct person_match *m);

/* True when a and b fold (text_fold) to the same non-empty text. */
int person_match_same(const char *a, const char *b);

/* The first person (by id) whose NIR starts with nir's 13 first
 * characters: 1 and id; 0 none (or nir shorter than 13); -1 on a database
 * failure. */
int person_match_nir(struct person_match *m, const char *nir, char id[PERSON_MATCH_ID]);

/* The first person (by id) other than except (NULL: anyone) whose France
 * Travail id is ft_id: 1, id and their NIR ("" when none); 0 none; -1 on a
 * database failure. */
int person_match_ft_id(struct person_match *m, const char *ft_id, const char *except,
		       char id[PERSON_MATCH_ID], char nir[PERSON_MATCH_NIR]);

struct person_match_names {
	const char *first_name;
	const char *last_name;  /* compared with the last name and the birth name */
	long birth;             /* day number */
	const char *nir;        /* the line's NIR, "" none: people with another are left out */
	const char *caf_number; /* NULL or "": anyone; else the members of its households */
};

/* How many people bear these names and birth date (-1 on a database
 * failure); the first (by id) in id. */
int person_match_names(struct person_match *m, const struct person_match_names *q,
		       char id[PERSON_MATCH_ID]);

#endif
