/*
 * ft_gen.c — writes a synthetic France Travail movement file and the people
 * it designates, for bench/ft.sh.
 *
 *   ft_gen people LINES > people.jsonl      households and people (exchange format)
 *   ft_gen registered LINES > inscriptions.csv
 *   ft_gen ceased LINES > cessations.csv    the same people, a later date each
 *
 * The movement file has the shape of ../shared/formats/README.md's first
 * kind: no header, `;`, 13 cells (nir;identifiantpe;nom;prenom;dtnai;date;
 * code;motif;nir2;codeinsee;localite;adresse;ale), dates dd/mm/yyyy, names
 * upper-cased, in windows-1252 (É, È, Ç, Ë, Ï, Œ). Line i is about person i
 * of gen_people.h, and the people file says what the database knows of them,
 * so that a quarter of the lines is matched in each way:
 *
 *   i mod 4 = 0, 1   the person has that France Travail id (and the NIR): by id
 *   i mod 4 = 2      the person has the NIR, no id (the line's id is new): by NIR
 *   i mod 4 = 3      the person has neither: by names and birth date
 *
 * Every line gives an id and a NIR, as movement files do; the import then
 * writes the id on the people who had none. One household per person
 * (caf_number, commune, territory of the demo).
 *
 * Build: cc -O2 -std=c17 -Wall -Wextra -o build/ft_gen bench/ft_gen.c
 */
#include "gen_people.h"

static void ft_date(FILE *out, long day)
{
	int y, m, d;

	gen_civil(day, &y, &m, &d);
	fprintf(out, "%02d/%02d/%04d", d, m, y);
}

static void ft_people(unsigned long n)
{
	struct gen_person p;

	for (unsigned long i = 1; i <= n; i++) {
		gen_person_of(&p, i);
		printf("{\"type\":\"household\",\"id\":\"bh-%lu\",\"caf_number\":\"%s\","
		       "\"paying_body\":\"CAF\",\"commune\":\"%s\",\"territory\":\"%s\"}\n",
		       i, p.caf, p.commune[0], p.commune[3]);
		printf("{\"type\":\"person\",\"id\":\"bp-%lu\",\"household\":\"bh-%lu\","
		       "\"role\":\"DEM\",\"first_name\":\"%s\",\"last_name\":\"%s\","
		       "\"birth_date\":\"%04d-%02d-%02d\",\"sex\":\"%s\"",
		       i, i, p.first, p.last, p.by, p.bm, p.bd, p.sex == 2 ? "F" : "M");
		if (i % 4 != 3)
			printf(",\"nir\":\"%s\"", p.nir);
		if (i % 4 < 2)
			printf(",\"france_travail_id\":\"%s\"", p.ft_id);
		printf(",\"phone\":\"%s\"}\n", p.phone);
	}
}

/* Reasons as France Travail words them (kept as given by the import). */
static const char *const ft_registered[][2] = {
	{ "11", "FIN DE CONTRAT A DUREE DETERMINEE" }, { "14", "FIN DE MISSION D'INTERIM" },
	{ "21", "PREMIERE ENTREE SUR LE MARCHE DU TRAVAIL" }, { "12", "LICENCIEMENT ECONOMIQUE" },
	{ "29", "REPRISE D'ACTIVIT\xc9 APR\xc8S UNE P\xc9RIODE D'INACTIVIT\xc9" },
};
static const char *const ft_ceased[][2] = {
	{ "CR", "REPRISE D'EMPLOI D\xc9" "CLAR\xc9" }, { "CE", "ENTR\xc9" "E EN STAGE" },
	{ "CF", "FORMATION" }, { "CM", "MALADIE" },
};

static void ft_movement(unsigned long n, int ceased)
{
	struct gen_person p;

	for (unsigned long i = 1; i <= n; i++) {
		/* Registered in the first half of 2017; ceased 30 to 209 days later. */
		long day = GEN_DAY_2017 + (long)((i * 37) % 181);
		const char *const *why;

		gen_person_of(&p, i);
		if (ceased) {
			day += 30 + (long)((i * 13) % 180);
			why = ft_ceased[i % GEN_N_OF(ft_ceased)];
		} else {
			why = ft_registered[i % GEN_N_OF(ft_registered)];
		}
		printf("%.13s;%s;", p.nir, p.ft_id);
		gen_put(stdout, p.last, 1, 1);
		putchar(';');
		gen_put(stdout, p.first, 1, 1);
		printf(";%02d/%02d/%04d;", p.bd, p.bm, p.by);
		ft_date(stdout, day);
		printf(";%s;%s;%.13s;%s;", why[0], why[1], p.nir, p.commune[0]);
		gen_put(stdout, p.commune[2], 1, 1);
		printf(";%u RUE ", p.street_no);
		gen_put(stdout, p.street, 1, 1);
		printf(";69%03lu\n", 31 + i % 12);
	}
}

int main(int argc, char **argv)
{
	unsigned long n;

	if (argc != 3 || (strcmp(argv[1], "people") && strcmp(argv[1], "registered") &&
			  strcmp(argv[1], "ceased"))) {
		fprintf(stderr, "usage: ft_gen people|registered|ceased LINES\n");
		return 2;
	}
	if (gen_count(argv[2], "ft_gen", &n))
		return 2;
	if (!strcmp(argv[1], "people"))
		ft_people(n);
	else
		ft_movement(n, !strcmp(argv[1], "ceased"));
	return ferror(stdout) ? 1 : 0;
}
