/*
 * gen_people.h — the synthetic people of bench/ft_gen.c and bench/list_gen.c
 * (included by both: static functions only).
 *
 * Person i (1, 2, …) is a function of i alone, so any two files written for
 * the same i describe the same person, and nothing is held in memory. The
 * names and birth date of two people are never the same once folded (case,
 * accents aside): matching by names and birth date must find exactly one.
 * Birth date: day (j × 7919) mod 14 610 after 1958-01-01 (j = i − 1; 7919
 * is prime to 14 610, so j mod 14 610 gives every day once); the last name
 * is (j / 14 610 + a shift of the day) mod 22, different for every j of the
 * same day while j < 22 × 14 610. Hence GEN_MAX_PEOPLE.
 */
#ifndef BENCH_GEN_PEOPLE_H
#define BENCH_GEN_PEOPLE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_rand.h"

#define GEN_DAYS 14610UL
#define GEN_N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* UTF-8, as a person's record holds them; files take them upper-cased and,
 * for the CSV ones, in windows-1252 (gen_put). Distinct once folded. */
static const char *const gen_last_names[] = {
	"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
	"Lefèvre", "Mercier", "Garçon", "Boëldieu", "Cœur", "Hérault", "Noël", "Benaïssa",
	"Diallo", "Nguyen", "Da Silva", "O'Brien", "Saint-Étienne", "Fabre",
};
static const char *const gen_women[] = {
	"Marie", "Nathalie", "Isabelle", "Sylvie", "Hélène", "Céline", "Françoise", "Noémie",
	"Aïcha", "Fatou", "Lætitia", "Zoé",
};
static const char *const gen_men[] = {
	"Jean", "Pierre", "Michel", "Jérôme", "François", "Noël", "Benoît", "Karim",
	"Mamadou", "Thierry", "Gaël", "Loïc",
};
/* INSEE code, postal code, town (upper case, UTF-8), territory of the demo. */
static const char *const gen_communes[][4] = {
	{ "69381", "69001", "LYON 01", "terr-lyon-1-2-4" },
	{ "69382", "69002", "LYON 02", "terr-lyon-1-2-4" },
	{ "69383", "69003", "LYON 03", "terr-lyon-3-6" },
	{ "69384", "69004", "LYON 04", "terr-lyon-1-2-4" },
	{ "69385", "69005", "LYON 05", "terr-lyon-5-9" },
	{ "69386", "69006", "LYON 06", "terr-lyon-3-6" },
	{ "69387", "69007", "LYON 07", "terr-lyon-7-8" },
	{ "69388", "69008", "LYON 08", "terr-lyon-7-8" },
	{ "69389", "69009", "LYON 09", "terr-lyon-5-9" },
	{ "69266", "69100", "VILLEURBANNE", "terr-villeurbanne" },
	{ "69259", "69200", "VÉNISSIEUX", "terr-venissieux-saint-fons" },
	{ "69290", "69800", "SAINT-PRIEST", "terr-portes-du-sud" },
};
static const char *const gen_streets[] = {
	"de la République", "Victor Hugo", "Garibaldi", "des Œillets", "Pasteur",
	"Jean Jaurès", "du 8 Mai 1945", "François Peissel",
};

#define GEN_MAX_PEOPLE (GEN_N_OF(gen_last_names) * GEN_DAYS)

struct gen_person {
	unsigned long i;
	const char *last, *first, *const *commune, *street;
	int sex;                /* 1 man, 2 woman (the NIR's first digit) */
	int by, bm, bd;         /* birth date */
	char nir[16];           /* 15 characters, with its key */
	char ft_id[12];         /* identifiantpe: 7 digits, a letter, 3 digits */
	char caf[8];            /* 7 digits */
	char phone[16];         /* 06 12 34 56 78 */
	unsigned street_no;
};

/* The civil date of a day count from 1970-01-01 (proleptic Gregorian). */
static void gen_civil(long days, int *y, int *m, int *d)
{
	long z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Days of 1958-01-01 and 2017-01-01 since 1970-01-01. */
#define GEN_DAY_1958 (-4383L)
#define GEN_DAY_2017 17167L

static void gen_person_of(struct gen_person *p, unsigned long i)
{
	unsigned long j = i - 1, day = (j * 7919UL) % GEN_DAYS;
	unsigned long long nir13;

	memset(p, 0, sizeof *p);
	p->i = i;
	gen_state = 0x5eed0000ULL + i;
	p->last = gen_last_names[(j / GEN_DAYS + day * 5) % GEN_N_OF(gen_last_names)];
	p->sex = 1 + (int)gen_below(2);
	p->first = p->sex == 2 ? gen_women[gen_below(GEN_N_OF(gen_women))]
			       : gen_men[gen_below(GEN_N_OF(gen_men))];
	gen_civil(GEN_DAY_1958 + (long)day, &p->by, &p->bm, &p->bd);
	p->commune = gen_communes[gen_below(GEN_N_OF(gen_communes))];
	p->street = gen_streets[gen_below(GEN_N_OF(gen_streets))];
	p->street_no = 1 + gen_below(150);
	/* Sex, year, month, Rhône, a commune 100-999 and an order 001-999 from
	 * j (unique while j < 899 × 999, above GEN_MAX_PEOPLE). */
	nir13 = (unsigned long long)p->sex * 1000000000000ULL +
		(unsigned long long)(p->by % 100) * 10000000000ULL +
		(unsigned long long)p->bm * 100000000ULL + 69ULL * 1000000ULL +
		(100ULL + j / 999) * 1000ULL + 1 + j % 999;
	snprintf(p->nir, sizeof p->nir, "%013llu%02llu", nir13, 97 - nir13 % 97);
	snprintf(p->ft_id, sizeof p->ft_id, "%07lu%c%03lu", 1000000UL + j % 9000000UL,
		 (char)('A' + j % 26), (j * 7UL) % 1000UL);
	snprintf(p->caf, sizeof p->caf, "%07lu", 2000000UL + j % 8000000UL);
	snprintf(p->phone, sizeof p->phone, "0%u %02u %02u %02u %02u", 6 + gen_below(2),
		 gen_below(100), gen_below(100), gen_below(100), gen_below(100));
}

/* Writes s (UTF-8) to out, upper-cased when upper (the letters these names
 * use: ASCII, Latin-1's, œ), and in windows-1252 when cp1252. */
static void gen_put(FILE *out, const char *s, int upper, int cp1252)
{
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c < 0x80) {
			fputc(upper && *c >= 'a' && *c <= 'z' ? *c - 32 : *c, out);
		} else if (*c == 0xC3 && c[1]) {
			unsigned v = c[1] + 0x40; /* the Latin-1 code point */
			c++;
			if (upper && v >= 0xE0 && v != 0xF7 && v != 0xFF)
				v -= 0x20;
			if (cp1252)
				fputc((int)v, out);
			else
				fprintf(out, "\xc3%c", (char)(v - 0x40));
		} else if (*c == 0xC2 && c[1] >= 0xA0) { /* °, the same byte in windows-1252 */
			c++;
			if (cp1252)
				fputc(*c, out);
			else
				fprintf(out, "\xc2%c", *c);
		} else if (*c == 0xC5 && (c[1] == 0x92 || c[1] == 0x93)) {
			int lower = c[1] == 0x93 && !upper; /* œ, else Œ */
			c++;
			if (cp1252)
				fputc(lower ? 0x9C : 0x8C, out);
			else
				fprintf(out, "\xc5%c", lower ? 0x93 : 0x92);
		} else {
			fputc(*c, out);
		}
	}
}

/* Reads a count argument: a number from 1 to GEN_MAX_PEOPLE. */
static int gen_count(const char *arg, const char *prog, unsigned long *n)
{
	char *end;

	*n = strtoul(arg, &end, 10);
	if (*end || *n < 1 || *n > GEN_MAX_PEOPLE) {
		fprintf(stderr, "%s: LINES is a number from 1 to %lu (names stay unique)\n", prog,
			(unsigned long)GEN_MAX_PEOPLE);
		return -1;
	}
	return 0;
}

#endif
