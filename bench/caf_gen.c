/*
 * caf_gen.c — writes a synthetic CAF/MSA beneficiaries flux (VRSB 08.01, as
 * ../shared/formats/caf/RSABEM-sample.xml) for benchmarks and tests.
 *
 *   caf_gen HOUSEHOLDS [DTREF [SEED]] > flux.xml
 *
 * The file is in windows-1252, as the CAF sends it, with accented names
 * (É, È, Ç, Ë and Œ, which is 0x9C in windows-1252 and not in Latin-1), one
 * to two adults with a NIR and resources, up to three children, an address
 * in the Lyon area. Households are numbered: household i always has the same
 * matricule, people and NIRs whatever the DTREF, so two fluxes of
 * successive months describe the same people; about 5 % of households
 * change state from one month to the next (with a closing date in the month
 * when they close), which is what an import has to write. Each household
 * is built from its own PRNG stream, so nothing is held in memory.
 *
 * Build: cc -O2 -std=c17 -Wall -Wextra -o build/caf_gen bench/caf_gen.c
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_rand.h"

/* windows-1252 bytes: É 0xC9, È 0xC8, Ç 0xC7, Ë 0xCB, Ï 0xCF, Œ 0x8C, œ 0x9C. */
static const char *const gen_last_names[] = {
	"MARTIN", "BERNARD", "DUBOIS", "THOMAS", "ROBERT", "RICHARD", "PETIT", "DURAND",
	"LEF\xc8VRE", "MERCIER", "GAR\xc7ON", "BO\xcbLDIEU", "C\x8cUR", "H\xc9RAULT", "NO\xcbL",
	"BENA\xcfSSA", "DIALLO", "NGUYEN", "DA SILVA", "O'BRIEN", "SAINT-\xc9TIENNE", "FABRE",
};
static const char *const gen_women[] = {
	"MARIE", "NATHALIE", "ISABELLE", "SYLVIE", "H\xc9L\xc8NE", "C\xc9LINE", "FRAN\xc7OISE",
	"NO\xc9MIE", "A\xcf" "CHA", "FATOU", "L\xc6TITIA", "ZO\xc9",
};
static const char *const gen_men[] = {
	"JEAN", "PIERRE", "MICHEL", "J\xc9R\xd4ME", "FRAN\xc7OIS", "NO\xcbL", "BENO\xceT", "KARIM",
	"MAMADOU", "THI\xc9RRY", "GA\xcbL", "LO\xcf" "C",
};
static const char *const gen_communes[][3] = {
	{ "69381", "69001", "LYON 01" }, { "69382", "69002", "LYON 02" },
	{ "69383", "69003", "LYON 03" }, { "69384", "69004", "LYON 04" },
	{ "69385", "69005", "LYON 05" }, { "69386", "69006", "LYON 06" },
	{ "69387", "69007", "LYON 07" }, { "69388", "69008", "LYON 08" },
	{ "69389", "69009", "LYON 09" }, { "69266", "69100", "VILLEURBANNE" },
	{ "69259", "69200", "V\xc9NISSIEUX" }, { "69290", "69800", "SAINT-PRIEST" },
};
static const char *const gen_streets[] = {
	"DE LA R\xc9PUBLIQUE", "VICTOR HUGO", "GARIBALDI", "DES \x8cILLETS", "PASTEUR",
	"JEAN JAUR\xc8S", "DU 8 MAI 1945", "FRAN\xc7OIS PEISSEL",
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

struct gen_date {
	int y, m, d;
};

static void gen_person(FILE *out, const char *qual, const char *last, const char *first,
		       struct gen_date birth, const char *nir, int sex, const char *role,
		       int adult, int duties, int dtref_year, int dtref_month)
{
	fprintf(out, "\t\t<Personne>\n\t\t\t<Identification>\n");
	if (qual)
		fprintf(out, "\t\t\t\t<QUAL>%s</QUAL>\n", qual);
	fprintf(out,
		"\t\t\t\t<NOM>%s</NOM>\n\t\t\t\t<NOMNAI>%s</NOMNAI>\n\t\t\t\t<PRENOM>%s</PRENOM>\n"
		"\t\t\t\t<NOMCOMNAI>LYON</NOMCOMNAI>\n\t\t\t\t<DTNAI>%04d-%02d-%02d</DTNAI>\n"
		"\t\t\t\t<TYPEDTNAI>N</TYPEDTNAI>\n",
		last, last, first, birth.y, birth.m, birth.d);
	if (nir)
		fprintf(out, "\t\t\t\t<NIR>%s</NIR>\n\t\t\t\t<TOPVALIEC>1</TOPVALIEC>\n", nir);
	fprintf(out,
		"\t\t\t\t<SEXE>%d</SEXE>\n\t\t\t</Identification>\n\t\t\t<DossierCAF>\n"
		"\t\t\t\t<TOPRESPDOS>%d</TOPRESPDOS>\n\t\t\t\t<DDRATDOS>2015-05-15</DDRATDOS>\n"
		"\t\t\t</DossierCAF>\n",
		sex, !strcmp(role, "DEM"));
	fprintf(out,
		"\t\t\t<Prestations>\n\t\t\t\t<NATPREST>PFA</NATPREST>\n\t\t\t\t<ROLEPERS>%s</ROLEPERS>\n"
		"\t\t\t\t<TOPCHAPERS>0</TOPCHAPERS>\n\t\t\t</Prestations>\n"
		"\t\t\t<Prestations>\n\t\t\t\t<NATPREST>RSA</NATPREST>\n\t\t\t\t<ROLEPERS>%s</ROLEPERS>\n"
		"\t\t\t\t<TOPCHAPERS>1</TOPCHAPERS>\n\t\t\t</Prestations>\n",
		role, role);
	if (adult) {
		fprintf(out, "\t\t\t<Ressources>\n\t\t\t\t<GeneraliteRessourcesTrimestre>\n"
			     "\t\t\t\t\t<TOPRESSNUL>0</TOPRESSNUL>\n"
			     "\t\t\t\t\t<DDRESS>%04d-%02d-01</DDRESS>\n"
			     "\t\t\t\t\t<DFRESS>%04d-%02d-28</DFRESS>\n"
			     "\t\t\t\t</GeneraliteRessourcesTrimestre>\n",
			dtref_year - 1, 10, dtref_year - 1, 12);
		for (int k = 0; k < 3; k++)
			fprintf(out,
				"\t\t\t\t<RessourcesMensuelles>\n\t\t\t\t\t<GeneraliteRessourcesMensuelles>\n"
				"\t\t\t\t\t\t<MOISRESS>%04d-%02d-01</MOISRESS>\n"
				"\t\t\t\t\t\t<NBHEUMENTRA>000</NBHEUMENTRA>\n"
				"\t\t\t\t\t</GeneraliteRessourcesMensuelles>\n"
				"\t\t\t\t\t<DetailRessourcesMensuelles>\n"
				"\t\t\t\t\t\t<NATRESS>001</NATRESS>\n"
				"\t\t\t\t\t\t<MTNATRESSMEN>%07u.00</MTNATRESSMEN>\n"
				"\t\t\t\t\t</DetailRessourcesMensuelles>\n"
				"\t\t\t\t</RessourcesMensuelles>\n",
				dtref_year - 1, 10 + k, gen_below(900));
		fprintf(out, "\t\t\t</Ressources>\n\t\t\t<MontantCalculDroitRSAPersonne>\n"
			     "\t\t\t\t<TOPPERSDRODEVORSA>%d</TOPPERSDRODEVORSA>\n"
			     "\t\t\t</MontantCalculDroitRSAPersonne>\n",
			duties);
	}
	(void)dtref_month;
	fprintf(out, "\t\t</Personne>\n");
}

/* A 13-digit NIR that nir_problem() accepts: sex, year, month, Rhône, order. */
static void gen_nir(char out[14], int sex, struct gen_date birth, unsigned long serial)
{
	snprintf(out, 14, "%d%02d%02d69%03lu%03lu", sex, birth.y % 100, birth.m,
		 (serial / 1000) % 1000, serial % 1000);
}

static void gen_household(FILE *out, unsigned long i, uint64_t seed, int y, int m)
{
	struct gen_date b1, b2;
	char nir1[14], nir2[14];
	const char *last, *const *commune;
	unsigned kids, state_roll;
	int couple, state, duties1, duties2;

	gen_state = seed * 1000003u + i;
	last = gen_last_names[gen_below(N_OF(gen_last_names))];
	couple = gen_below(100) < 35;
	kids = gen_below(100) < 55 ? gen_below(4) : 0;
	b1 = (struct gen_date){ 1960 + (int)gen_below(40), 1 + (int)gen_below(12),
				1 + (int)gen_below(28) };
	b2 = (struct gen_date){ 1960 + (int)gen_below(40), 1 + (int)gen_below(12),
				1 + (int)gen_below(28) };
	gen_nir(nir1, 2, b1, i * 2);
	gen_nir(nir2, 1, b2, i * 2 + 1);
	commune = gen_communes[gen_below(N_OF(gen_communes))];
	duties1 = gen_below(100) < 80;
	duties2 = gen_below(100) < 60;

	/* The month's state: the household's own stream for the stable part,
	 * then a roll that depends on the month for the 5 % that change. */
	state = gen_below(100) < 85 ? 2 : gen_below(2) ? 3 : 4;
	gen_state = seed * 1000003u + i * 7919u + (uint64_t)(y * 12 + m);
	state_roll = gen_below(100);
	if (state_roll < 2)
		state = 5;
	else if (state_roll < 5)
		state = state == 2 ? 4 : 2;

	fprintf(out, "\t<InfosFoyerRSA>\n\t\t<IdentificationRSA>\n\t\t\t<Organisme>\n"
		     "\t\t\t\t<FONORG>CAF</FONORG>\n\t\t\t\t<NUMORG>691</NUMORG>\n"
		     "\t\t\t\t<MATRICULE>%015lu</MATRICULE>\n\t\t\t</Organisme>\n"
		     "\t\t\t<Partenaire>\n\t\t\t\t<TYPEPARTE>CG </TYPEPARTE>\n"
		     "\t\t\t\t<IDEPARTE>069</IDEPARTE>\n\t\t\t</Partenaire>\n"
		     "\t\t\t<DemandeRSA>\n\t\t\t\t<DTDEMRSA>%04d-%02d-%02d</DTDEMRSA>\n"
		     "\t\t\t\t<NUMDEMRSA>%011lu</NUMDEMRSA>\n\t\t\t</DemandeRSA>\n"
		     "\t\t</IdentificationRSA>\n",
		1000000 + i, 2009 + (int)(i % 8), 1 + (int)(i % 12), 1 + (int)(i % 28),
		69000000000UL + i);
	gen_state = seed * 1000003u + i + 17;
	gen_person(out, "MME", last, gen_women[gen_below(N_OF(gen_women))], b1, nir1, 2,
		   "DEM", 1, duties1, y, m);
	if (couple)
		gen_person(out, "MR", last, gen_men[gen_below(N_OF(gen_men))], b2, nir2, 1, "CJT",
			   1, duties2, y, m);
	for (unsigned k = 0; k < kids; k++) {
		struct gen_date bk = { 2005 + (int)gen_below(12), 1 + (int)gen_below(12),
				       1 + (int)gen_below(28) };
		int girl = gen_below(2);
		gen_person(out, NULL, last,
			   girl ? gen_women[gen_below(N_OF(gen_women))]
				: gen_men[gen_below(N_OF(gen_men))],
			   bk, NULL, girl ? 2 : 1, "ENF", 0, 0, y, m);
	}
	fprintf(out,
		"\t\t<DonneesAdministratives>\n\t\t\t<SituationFamille>\n"
		"\t\t\t\t<SITFAM>%s</SITFAM>\n\t\t\t\t<DDSITFAM>2010-10-27</DDSITFAM>\n"
		"\t\t\t</SituationFamille>\n\t\t\t<Adresse>\n\t\t\t\t<TroncCommunAdresse>\n"
		"\t\t\t\t\t<RGADR>01</RGADR>\n\t\t\t\t\t<DTEMM>2016-05-26</DTEMM>\n"
		"\t\t\t\t\t<PAYS>FRA</PAYS>\n\t\t\t\t\t<TYPEADR>D</TYPEADR>\n"
		"\t\t\t\t\t<ETATADR>CO</ETATADR>\n\t\t\t\t</TroncCommunAdresse>\n"
		"\t\t\t\t<AdresseDetailleeFrance>\n\t\t\t\t\t<COMPLIDEADR />\n"
		"\t\t\t\t\t<COMPLADR />\n\t\t\t\t\t<NUMVOIE>%u</NUMVOIE>\n"
		"\t\t\t\t\t<LIBTYPEVOIE>RUE</LIBTYPEVOIE>\n\t\t\t\t\t<NOMVOIE>%s</NOMVOIE>\n"
		"\t\t\t\t\t<LIEUDIST />\n\t\t\t\t\t<NUMCOM>%s</NUMCOM>\n"
		"\t\t\t\t\t<CODEPOS>%s</CODEPOS>\n\t\t\t\t\t<NOMCOM>%s</NOMCOM>\n"
		"\t\t\t\t</AdresseDetailleeFrance>\n\t\t\t</Adresse>\n"
		"\t\t</DonneesAdministratives>\n",
		couple ? "MAR" : "CEL", 1 + (unsigned)(i % 120),
		gen_streets[i % N_OF(gen_streets)], commune[0], commune[1], commune[2]);
	fprintf(out, "\t\t<PrestationRSA>\n\t\t\t<SituationDossierRSA>\n"
		     "\t\t\t\t<EtatDossierRSA>\n\t\t\t\t\t<ETATDOSRSA>%d</ETATDOSRSA>\n"
		     "\t\t\t\t</EtatDossierRSA>\n",
		state);
	if (state == 5)
		fprintf(out, "\t\t\t\t<FinDroit>\n\t\t\t\t\t<MOTICLORSA>PCG</MOTICLORSA>\n"
			     "\t\t\t\t\t<DTCLORSA>%04d-%02d-15</DTCLORSA>\n\t\t\t\t</FinDroit>\n",
			y, m);
	fprintf(out, "\t\t\t</SituationDossierRSA>\n\t\t\t<DetailDroitRSA>\n"
		     "\t\t\t\t<TroncCommunDroitRSA>\n\t\t\t\t\t<TOPSANSDOMFIXE>0</TOPSANSDOMFIXE>\n"
		     "\t\t\t\t\t<ORIDEMRSA>DEM</ORIDEMRSA>\n"
		     "\t\t\t\t\t<DTORIDEMRSA>2015-11-07</DTORIDEMRSA>\n"
		     "\t\t\t\t</TroncCommunDroitRSA>\n\t\t\t</DetailDroitRSA>\n"
		     "\t\t</PrestationRSA>\n\t</InfosFoyerRSA>\n");
}

int main(int argc, char **argv)
{
	unsigned long n, i;
	int y = 2017, m = 12, d = 31;
	uint64_t seed = 1;
	char *end;

	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: caf_gen HOUSEHOLDS [DTREF [SEED]]\n");
		return 2;
	}
	n = strtoul(argv[1], &end, 10);
	if (*end || n > 99999999UL) {
		fprintf(stderr, "caf_gen: HOUSEHOLDS is a number up to 99999999\n");
		return 2;
	}
	if (argc > 2 && sscanf(argv[2], "%4d-%2d-%2d", &y, &m, &d) != 3) {
		fprintf(stderr, "caf_gen: DTREF is YYYY-MM-DD\n");
		return 2;
	}
	if (argc > 3)
		seed = strtoull(argv[3], NULL, 10);
	printf("<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n"
	       "<Racine xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n"
	       "\t<IdentificationFlux>\n\t\t<APPLIEME>CRI</APPLIEME>\n"
	       "\t\t<NUMVERSIONAPPLIEME>6200</NUMVERSIONAPPLIEME>\n\t\t<TYPEFLUX>M</TYPEFLUX>\n"
	       "\t\t<NATFLUX>D</NATFLUX>\n\t\t<DTCREAFLUX>%04d-%02d-05</DTCREAFLUX>\n"
	       "\t\t<HEUCREAFLUX>01:18:36.0000</HEUCREAFLUX>\n"
	       "\t\t<DTREF>%04d-%02d-%02d</DTREF>\n\t</IdentificationFlux>\n",
	       m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, y, m, d);
	for (i = 1; i <= n; i++)
		gen_household(stdout, i, seed, y, m);
	printf("\t<TransmissionFlux>\n\t\t<NBTOTDOSRSATRANSM>%08lu</NBTOTDOSRSATRANSM>\n"
	       "\t\t<NBTOTDOSRSATRANSMANO>00000000</NBTOTDOSRSATRANSMANO>\n"
	       "\t</TransmissionFlux>\n</Racine>\n",
	       n);
	return ferror(stdout) ? 1 : 0;
}
