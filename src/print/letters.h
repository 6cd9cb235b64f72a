/*
 * letters.h — the printed documents of a beneficiary's path, from plain
 * structs (no database): orientation notification letters (one, or a
 * cohort in one PDF), convocation letters and the attendance sheet of a
 * collective session.
 *
 * Every text field may be NULL or empty unless said otherwise; lines of an
 * address are separated by '\n'. Days are day numbers (base/date.h).
 *
 * An organisation's postal contact may come from the database instead: a
 * sender or a place that names its organisation (`organisation`, with the
 * sender's `db`) gets the address, postcode and town, phone and e-mail of
 * that organisation's record for the texts the caller left empty, when the
 * letter is drawn. An organisation without them prints as given.
 *
 * Two levels: letter_*() add one letter (one section, its own page
 * numbering) to an open pdf_doc, so a caller may mix documents; the
 * letters_*_pdf() functions write a whole PDF into a buffer (n letters, each
 * starting on a new page). A *_problem() function says in French why an
 * input cannot be printed (NULL when it can): check it first to answer 422;
 * the printing functions return -1 for the same inputs.
 */
#ifndef PARCOURS_LETTERS_H
#define PARCOURS_LETTERS_H
#include <stddef.h>

#include "base/buf.h"
#include "print/pdf.h"

struct db;

/* Who writes: the letterhead, the date line and the signature. */
struct letter_sender {
	const char *name;           /* "Métropole de Lyon" */
	const char *service;        /* "Direction de l'insertion et de l'emploi" */
	const char *address;        /* empty: the organisation's, "street\npostcode town" */
	const char *phone;          /* empty: the organisation's */
	const char *email;          /* empty: the organisation's */
	const char *place;          /* the town of the date line: "Lyon"; empty: the organisation's */
	const char *signatory_role; /* "Pour le Président de la Métropole, …" */
	const char *signatory_name;
	/* To whom a recourse is addressed; "au Président de la Métropole"
	 * when NULL. */
	const char *recourse_to;
	/* The writing organisation's exchange id, and the database that holds
	 * it (also used for the places' `organisation`); either may be NULL. */
	struct db *db;
	const char *organisation;
};

/* The addressee. `title` is "Madame", "Monsieur" or empty (then
 * "Madame, Monsieur" and "orienté(e)"). */
struct letter_person {
	const char *title;        /* "Madame", "Monsieur" or "" (letter_title()) */
	const char *first_name;
	const char *last_name;
	const char *address;
};

/* The title a letter writes for a person's exchange-format title code
 * ("MME" → "Madame", "MR" → "Monsieur", anything else → ""). */
const char *letter_title(const char *code);

/* An organisation or a place: name, address, telephone; `organisation`,
 * its exchange id, fills the empty address and phone from the sender's
 * database. */
struct letter_org {
	const char *name;
	const char *address;
	const char *phone;
	const char *organisation;
};

struct letter_orientation {
	struct letter_person person;
	long date;                /* the orientation's start */
	const char *itinerary;    /* "social", "socio_professional" or "professional" */
	struct letter_org organisation; /* who accompanies the person */
	const char *referent;     /* the référent's name, when designated */
};

struct letter_convocation {
	struct letter_person person;
	long day;
	int hour, minute;         /* 0-23, 0-59 */
	struct letter_org place;
	const char *referent;     /* who receives the person */
	const char *purpose;      /* "Signature de votre contrat", … */
	const char *const *bring; /* what to bring; NULL: the identity papers and this letter */
	size_t n_bring;
};

struct letter_attendee {
	const char *last_name;
	const char *first_name;
};

struct letter_session {
	const char *title;
	long day;
	int start_hour, start_minute;
	int end_hour, end_minute; /* end_hour < 0: no end time */
	struct letter_org place;
	const char *organisation; /* who runs the session */
	const char *facilitator;
	const struct letter_attendee *people; /* in the order to print */
	size_t n_people;
};

const char *letter_orientation_problem(const struct letter_orientation *o);
const char *letter_convocation_problem(const struct letter_convocation *c);
const char *letter_session_problem(const struct letter_session *s);

/* One letter dated `day` from `from`, added to doc as a new section. */
int letter_orientation(struct pdf_doc *doc, const struct letter_sender *from, long day,
		       const struct letter_orientation *o);
int letter_convocation(struct pdf_doc *doc, const struct letter_sender *from, long day,
		       const struct letter_convocation *c);
/* The attendance sheet: one section, the table of people spanning pages. */
int letter_attendance_sheet(struct pdf_doc *doc, const struct letter_sender *from,
			    const struct letter_session *s);

/* Whole PDFs appended to `out` (n ≥ 1 letters). Return 0, or -1 when an
 * input has a problem or the PDF could not be written (out may then hold
 * a partial file: discard it). */
int letters_orientation_pdf(struct buf *out, const struct letter_sender *from, long day,
			    const struct letter_orientation *items, size_t n);
int letters_convocation_pdf(struct buf *out, const struct letter_sender *from, long day,
			    const struct letter_convocation *items, size_t n);
int letters_attendance_pdf(struct buf *out, const struct letter_sender *from,
			   const struct letter_session *s);

#endif
