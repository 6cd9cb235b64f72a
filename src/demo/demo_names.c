/*
 * demo_names.c — the name tables of the demo, and the folding of names into
 * e-mail addresses.
 *
 * Names come in groups that go together (a family's origin), weighted to
 * look like the people the Métropole's RSA teams meet: mostly French names,
 * with the Maghreb, sub-Saharan Africa, southern and eastern Europe, Turkey
 * and Armenia, and south-east Asia, as in Lyon's eastern districts. Accented
 * names are there on purpose: search, sorting and exports must handle them.
 */
#include <string.h>

#include "demo/demo_internal.h"

#define DEMO_COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define DEMO_LIST(a) a, DEMO_COUNT(a)

/* ---- French ---------------------------------------------------------- */

static const char *const fr_female[] = {
	"Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Valérie", "Christine",
	"Sandrine", "Céline", "Stéphanie", "Sophie", "Aurélie", "Émilie", "Julie",
	"Laetitia", "Élodie", "Mélanie", "Virginie", "Hélène", "Gaëlle", "Zoé", "Chloé",
	"Léa", "Manon", "Camille", "Inès", "Clémence", "Anaïs", "Maëlle", "Noémie",
	"Océane", "Jessica", "Audrey", "Karine", "Véronique", "Brigitte", "Martine",
	"Françoise", "Agnès", "Danièle", "Josiane", "Joëlle", "Mégane", "Lucie", "Emma",
	"Jade", "Louise", "Alice", "Léna", "Rose", "Pauline", "Margaux", "Cécile",
	"Séverine", "Anne-Sophie", "Marie-Hélène", "Héloïse", "Bérénice", "Amandine",
	"Coralie",
};

static const char *const fr_male[] = {
	"Jean", "Pierre", "Michel", "Philippe", "Alain", "Patrick", "Nicolas",
	"Christophe", "Stéphane", "Laurent", "Frédéric", "Sébastien", "Julien", "David",
	"Olivier", "Éric", "Thierry", "Pascal", "Benoît", "Jérôme", "François", "Loïc",
	"Cédric", "Grégory", "Jérémy", "Kévin", "Anthony", "Mickaël", "Damien",
	"Guillaume", "Romain", "Maxime", "Thomas", "Alexandre", "Florian", "Hervé",
	"Gérard", "Yannick", "Rémi", "Joël", "Noël", "Raphaël", "Gaël", "Mathéo", "Théo",
	"Hugo", "Lucas", "Léo", "Nathan", "Enzo", "Louis", "Jules", "Gabriel", "Arthur",
	"Timothée", "Jean-Luc", "Jean-Marc", "Dominique", "Aurélien", "Valentin",
};

static const char *const fr_last[] = {
	"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
	"Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Lefèbvre", "Michel", "David",
	"Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "Gérard", "Bérard",
	"Chassé", "Mérieux", "Bénard", "André", "Mercier", "Dupont", "Lambert", "Bonnet",
	"François", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin",
	"Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu", "Clément",
	"Gauthier", "Dumont", "Fontaine", "Chevalier", "Robin", "Masson", "Boyer",
	"Denis", "Lemaire", "Duval", "Joly", "Roche", "Noël", "Lucas", "Meunier",
	"Marchand", "Dufour", "Blanchard", "Barbier", "Brun", "Dumas", "Brunet",
	"Leroux", "Colin", "Renard", "Arnaud", "Caron", "Aubert", "Giraud", "Leclerc",
	"Vidal", "Bourgeois", "Renaud", "Picard", "Gaillard", "Lacroix", "Fabre",
	"Dupuis", "Rivière", "Le Gall", "Ménard", "Fleury", "Deschamps", "Prévost",
	"Poirier", "Charpentier", "Carré", "Rémy", "Perrot", "Guyot", "Chapuis",
	"Perret", "Vial", "Jacquemet", "Brossard", "Guillermin", "Besson", "Chabert",
	"Dumontet", "Thévenet", "Bréchet", "Pélissier", "Desgranges", "Barthélémy",
	"Lagarde", "Grosjean", "Monnier", "D'Aubigné",
};

/* ---- Maghreb ---------------------------------------------------------- */

static const char *const mag_female[] = {
	"Fatima", "Nadia", "Samira", "Yasmina", "Leïla", "Malika", "Karima", "Souad",
	"Nora", "Amel", "Sabrina", "Meriem", "Inès", "Hanane", "Naïma", "Zohra",
	"Khadija", "Rachida", "Farida", "Salima", "Lina", "Sarah", "Imane", "Yamina",
};

static const char *const mag_male[] = {
	"Mohamed", "Karim", "Rachid", "Mehdi", "Sofiane", "Yacine", "Bilal", "Nabil",
	"Samir", "Farid", "Abdelkader", "Youssef", "Hicham", "Mourad", "Khaled",
	"Djamel", "Rayan", "Adam", "Ilyès", "Nordine", "Saïd", "Brahim", "Hakim", "Walid",
};

static const char *const mag_last[] = {
	"Benali", "Bouzid", "Haddad", "Mansouri", "Belkacem", "Cherif", "Hamidi",
	"Khelifi", "Saïdi", "Boukhari", "Amrani", "Ziani", "Benaïssa", "Brahimi",
	"Mebarki", "Ouali", "Zerrouki", "Djebbar", "Bensaïd", "El Amrani", "Aït Ali",
	"Chaouch", "Larbi", "Touati", "Meziane", "Bouaziz", "Rahmani", "Slimani",
	"Ben Youssef", "Kaddour",
};

/* ---- sub-Saharan Africa ------------------------------------------------ */

static const char *const ssa_female[] = {
	"Aminata", "Fatoumata", "Awa", "Mariam", "Kadiatou", "Aïssatou", "Rokia",
	"Binta", "Grâce", "Bintou", "Ramatoulaye", "Nafissatou", "Esther", "Prisca",
	"Chantal", "Mireille",
};

static const char *const ssa_male[] = {
	"Mamadou", "Moussa", "Ibrahima", "Ousmane", "Abdoulaye", "Boubacar", "Seydou",
	"Cheikh", "Issa", "Yaya", "Jean-Baptiste", "Serge", "Aboubacar", "Modibo",
	"Christian", "Désiré",
};

static const char *const ssa_last[] = {
	"Diallo", "Traoré", "Koné", "Camara", "Diop", "Sow", "Ndiaye", "Coulibaly",
	"Touré", "Keita", "Cissé", "Sylla", "Bamba", "Konaté", "Mbemba", "Nkounkou",
	"Makosso", "Okemba", "Fofana", "Dembélé", "Kouassi", "Mendy",
};

/* ---- southern Europe ---------------------------------------------------- */

static const char *const se_female[] = {
	"Maria", "Ana", "Sónia", "Isabel", "Paula", "Lucia", "Carla", "Rosa", "Teresa",
	"Giulia", "Conceição", "Fernanda", "Carmen", "Pilar",
};

static const char *const se_male[] = {
	"João", "Manuel", "José", "António", "Paulo", "Antonio", "Giuseppe", "Marco",
	"Carlos", "Miguel", "Rui", "Luís", "Francesco", "Javier",
};

static const char *const se_last[] = {
	"Da Silva", "Dos Santos", "Pereira", "Ferreira", "Rodrigues", "Gonçalves",
	"Fernandes", "Oliveira", "Martins", "Lopes", "García", "Fernández",
	"Martínez", "López", "Rossi", "Esposito", "Russo", "Romano", "Conti",
	"Sánchez", "Gómez", "De Sousa", "Ribeiro", "Carvalho",
};

/* ---- Turkey, Armenia, Caucasus ---------------------------------------- */

static const char *const ta_female[] = {
	"Ayşe", "Fatma", "Elif", "Zeynep", "Emine", "Gül", "Anahit", "Lusine", "Nairi",
	"Armine", "Hatice", "Özlem",
};

static const char *const ta_male[] = {
	"Mehmet", "Ahmet", "Mustafa", "Emre", "Murat", "Hakan", "Aram", "Tigran",
	"Davit", "Gagik", "Hüseyin", "Serkan",
};

static const char *const ta_last[] = {
	"Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk", "Arslan", "Doğan",
	"Petrossian", "Khatchadourian", "Manoukian", "Sarkissian", "Hovhannisyan",
	"Grigoryan", "Aydın", "Koç",
};

/* ---- south-east and east Asia ------------------------------------------ */

static const char *const as_female[] = {
	"Linh", "Mai", "Lan", "Hoa", "Thi Huong", "Mei", "Sopheap", "Chanthy", "Ngoc",
	"Thu",
};

static const char *const as_male[] = {
	"Minh", "Duc", "Thanh", "Hung", "Wei", "Jun", "Sokha", "Dara", "Quang", "Vinh",
};

static const char *const as_last[] = {
	"Nguyen", "Tran", "Le", "Pham", "Hoang", "Vo", "Chen", "Wang", "Zhang", "Li",
	"Chhim", "Sok", "Huynh", "Dang",
};

/* ---- eastern Europe ------------------------------------------------------ */

static const char *const ee_female[] = {
	"Elena", "Ioana", "Maria", "Anna", "Katarzyna", "Olga", "Natalia", "Svetlana",
	"Irina", "Mihaela",
};

static const char *const ee_male[] = {
	"Ion", "Mihai", "Andrei", "Vasile", "Piotr", "Tomasz", "Dmitri", "Sergueï",
	"Bogdan", "Florin",
};

static const char *const ee_last[] = {
	"Popescu", "Ionescu", "Dumitru", "Stan", "Lungu", "Munteanu", "Moldovan",
	"Rusu", "Horvat", "Novak", "Nowak", "Wójcik", "Constantin",
};

const struct demo_origin demo_origins[] = {
	/* DEMO_ORIGIN_FRENCH must stay first. */
	{ 575, DEMO_LIST(fr_female), DEMO_LIST(fr_male), DEMO_LIST(fr_last) },
	{ 200, DEMO_LIST(mag_female), DEMO_LIST(mag_male), DEMO_LIST(mag_last) },
	{ 80, DEMO_LIST(ssa_female), DEMO_LIST(ssa_male), DEMO_LIST(ssa_last) },
	{ 55, DEMO_LIST(se_female), DEMO_LIST(se_male), DEMO_LIST(se_last) },
	{ 40, DEMO_LIST(ta_female), DEMO_LIST(ta_male), DEMO_LIST(ta_last) },
	{ 25, DEMO_LIST(as_female), DEMO_LIST(as_male), DEMO_LIST(as_last) },
	{ 25, DEMO_LIST(ee_female), DEMO_LIST(ee_male), DEMO_LIST(ee_last) },
};
const size_t demo_origin_count = DEMO_COUNT(demo_origins);

/* Street names found in most towns of the Métropole, and a few of Lyon's. */
const char *const demo_streets[] = {
	"rue de la République", "avenue Jean Jaurès", "rue Paul Bert", "rue Victor Hugo",
	"boulevard des États-Unis", "rue Garibaldi", "avenue Berthelot",
	"rue Anatole France", "rue Pasteur", "avenue Général Frère", "rue Marcel Cachin",
	"rue de la Gare", "chemin des Vignes", "place de la Mairie", "rue du Stade",
	"avenue Franklin Roosevelt", "rue Jean Moulin", "rue Édouard Herriot",
	"montée de la Grande Côte", "rue des Écoles", "allée des Tilleuls",
	"rue Louis Pergaud", "avenue Salvador Allende", "rue Émile Zola",
	"boulevard Ambroise Paré", "rue Henri Barbusse", "rue du Professeur Beauvisage",
	"avenue de Saxe", "quai Perrache", "rue de Marseille", "cours Tolstoï",
	"rue Francis de Pressensé", "avenue Gabriel Péri", "rue Pierre Sémard",
	"rue des Trois Pierres", "chemin de Montlouis", "rue Jules Guesde",
	"avenue des Minguettes", "rue du Mas", "rue Gilbert Dru",
};
const size_t demo_street_count = DEMO_COUNT(demo_streets);

/* ---- e-mail folding ------------------------------------------------------ */

struct demo_fold {
	unsigned codepoint;
	const char *ascii;
};

/* The non-ASCII letters of the tables above (and of French generally). */
static const struct demo_fold demo_folds[] = {
	{ 0xC0, "a" }, { 0xC2, "a" }, { 0xC4, "a" }, { 0xC7, "c" }, { 0xC8, "e" },
	{ 0xC9, "e" }, { 0xCA, "e" }, { 0xCB, "e" }, { 0xCE, "i" }, { 0xCF, "i" },
	{ 0xD4, "o" }, { 0xD6, "o" }, { 0xD9, "u" }, { 0xDB, "u" }, { 0xDC, "u" },
	{ 0xE0, "a" }, { 0xE1, "a" }, { 0xE2, "a" }, { 0xE3, "a" }, { 0xE4, "a" },
	{ 0xE7, "c" }, { 0xE8, "e" }, { 0xE9, "e" }, { 0xEA, "e" }, { 0xEB, "e" },
	{ 0xED, "i" }, { 0xEE, "i" }, { 0xEF, "i" }, { 0xF1, "n" }, { 0xF3, "o" },
	{ 0xF4, "o" }, { 0xF5, "o" }, { 0xF6, "o" }, { 0xF9, "u" }, { 0xFA, "u" },
	{ 0xFB, "u" }, { 0xFC, "u" }, { 0xFF, "y" }, { 0x11F, "g" }, { 0x130, "i" },
	{ 0x131, "i" }, { 0x152, "oe" }, { 0x153, "oe" }, { 0x15E, "s" }, { 0x15F, "s" },
	{ 0x218, "s" }, { 0x219, "s" }, { 0x21A, "t" }, { 0x21B, "t" },
	{ 0xC6, "ae" }, { 0xE6, "ae" },
};

/* Decodes one UTF-8 sequence at *p (tables are valid UTF-8), advancing *p. */
static unsigned demo_utf8_next(const unsigned char **p)
{
	const unsigned char *s = *p;
	unsigned cp;
	int more;

	if (s[0] < 0x80) {
		cp = s[0];
		more = 0;
	} else if ((s[0] & 0xE0) == 0xC0) {
		cp = s[0] & 0x1F;
		more = 1;
	} else if ((s[0] & 0xF0) == 0xE0) {
		cp = s[0] & 0x0F;
		more = 2;
	} else {
		cp = s[0] & 0x07;
		more = 3;
	}
	s++;
	while (more-- > 0 && (*s & 0xC0) == 0x80)
		cp = (cp << 6) | (*s++ & 0x3F);
	*p = s;
	return cp;
}

static const char *demo_fold_letter(unsigned cp)
{
	for (size_t i = 0; i < DEMO_COUNT(demo_folds); i++) {
		if (demo_folds[i].codepoint == cp)
			return demo_folds[i].ascii;
	}
	return "";
}

size_t demo_ascii_fold(const char *utf8, char *out, size_t cap)
{
	const unsigned char *p = (const unsigned char *)utf8;
	size_t len = 0;

	while (*p) {
		unsigned cp = demo_utf8_next(&p);
		char one[2] = { 0, 0 };
		const char *piece = one;

		if (cp >= 'A' && cp <= 'Z')
			one[0] = (char)(cp - 'A' + 'a');
		else if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || cp == '-')
			one[0] = (char)cp;
		else if (cp >= 0x80)
			piece = demo_fold_letter(cp);
		/* Spaces, apostrophes and anything else are dropped. */
		for (size_t n = strlen(piece); n > 0 && len + 1 < cap; n--)
			out[len++] = *piece++;
	}
	out[len] = '\0';
	return len;
}
