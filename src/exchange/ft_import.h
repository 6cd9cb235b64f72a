/*
 * ft_import.h — applies a France Travail (Pôle emploi) list to the
 * registration history of people, line by line
 * (../shared/formats/README.md; docs/modules/france_travail.md).
 *
 * Both shapes are read: movement files (nir;identifiantpe;nom;prenom;dtnai;
 * date;code;motif;nir2[;codeinsee;localite;adresse;ale], one state per file:
 * inscriptions or a stock → registered, cessations → ceased, radiations →
 * removed) and the monthly "principal" extract (its header line names the
 * columns; every line is a registration). Each line is matched to a person
 * (France Travail id, NIR, else last name + first name + birth date) and
 * becomes france_travail_period history, in its own transaction: a bad line
 * is rolled back and reported, a line that matches nobody is reported, the
 * others are taken. Every file leaves a report row (ft_import) and one row
 * per problem or unmatched line (ft_import_rejection). The run itself
 * (report, per-line transaction and checks, rejections) is import_run.h's.
 */
#ifndef PARCOURS_FT_IMPORT_H
#define PARCOURS_FT_IMPORT_H
#include <stdio.h>

struct db;

struct ft_import_options {
	/* The state of a movement file's lines: registered, ceased or removed;
	 * NULL: told by the file's name (ft_state_from_name()). */
	const char *state;
	const char *actor;    /* recorded in the report */
	FILE *out;            /* the file's summary; NULL: silent */
	FILE *err;            /* rejected and unmatched lines, warnings; NULL: silent */
};

/* Lines by outcome. */
struct ft_import_counts {
	long created;   /* a period was opened (the previous one closed) */
	long updated;   /* a period (or the person's France Travail id) was rewritten */
	long unchanged; /* nothing to write */
	long rejected;  /* rolled back and reported */
	long unmatched; /* no person: reported, nothing written */
};

/* Imports one file. Adds to *counts (which the caller zeroes); *report gets
 * the ft_import row's id (0 when none was written). Returns 0 when the file
 * was read to its end (lines may have been rejected: counts->rejected); 1
 * when it was refused (no state for a movement file, a header without the
 * columns needed, UTF-16) or stopped being readable part-way; -1 when it
 * cannot be opened, or on a database failure. */
int ft_import_file(struct db *db, const char *path, const struct ft_import_options *opt,
		   struct ft_import_counts *counts, long *report);

/* The state a movement file's name tells: "inscri" or "stock" → registered,
 * "cessation" → ceased, "radiation" → removed (case and accents aside);
 * NULL when it tells none or more than one. */
const char *ft_state_from_name(const char *path);
/* A France Travail date: dd/mm/yyyy, yyyy-mm-dd, or yyyy-mm-dd followed by
 * a time ("2019-10-17 00:00:00.0"). 0 and the day in *day, or -1. */
int ft_parse_date(const char *s, long *day);

#endif
