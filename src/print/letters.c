/* letters.c — orientation and convocation letters, attendance sheets; see
 * letters.h. The wording addresses the beneficiary in plain French; the
 * legal references are those of the Code de l'action sociale et des
 * familles (CASF) that domain.md cites. */
#include "print/letters.h"

#include <glib.h>
#include <jansson.h>

#include "base/date.h"
#include "model/record.h"
#include "model/schema.h"

/* ---- words ---- */

static int empty(const char *s)
{
	return !s || !*s;
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

const char *letter_title(const char *code)
{
	return !code ? "" : !strcmp(code, "MME") ? "Madame" : !strcmp(code, "MR") ? "Monsieur" : "";
}

static int is_madame(const struct letter_person *p)
{
	return p->title && strcmp(p->title, "Madame") == 0;
}

static int is_monsieur(const struct letter_person *p)
{
	return p->title && strcmp(p->title, "Monsieur") == 0;
}

/* The feminine ending of a past participle: "", "e" or "(e)". */
static const char *agree(const struct letter_person *p)
{
	return is_madame(p) ? "e" : is_monsieur(p) ? "" : "(e)";
}

static const char *salutation(const struct letter_person *p)
{
	return is_madame(p) ? "Madame" : is_monsieur(p) ? "Monsieur" : "Madame, Monsieur";
}

/* The non-empty parts of three joined by sep; g_free() it. */
static char *join_with(const char *sep, const char *a, const char *b, const char *c)
{
	const char *parts[] = { a, b, c };
	GString *s = g_string_new(NULL);

	for (size_t i = 0; i < 3; i++) {
		if (empty(parts[i]))
			continue;
		if (s->len)
			g_string_append(s, sep);
		g_string_append(s, parts[i]);
	}
	return g_string_free(s, FALSE);
}

/* The non-empty words joined by one space; g_free() it. */
static char *join_words(const char *a, const char *b, const char *c)
{
	return join_with(" ", a, b, c);
}

static char *person_name(const struct letter_person *p)
{
	return join_words(p->title, p->first_name, p->last_name);
}

/* An address on one line: its non-empty lines joined by ", "; g_free() it. */
static char *one_line(const char *address)
{
	GString *s = g_string_new(NULL);
	const char *p = or_empty(address);

	while (*p) {
		size_t n = strcspn(p, "\n");

		if (n) {
			if (s->len)
				g_string_append(s, ", ");
			g_string_append_len(s, p, (gssize)n);
		}
		p += n + (p[n] == '\n');
	}
	return g_string_free(s, FALSE);
}

/* The text with no-break spaces: a telephone number stays on one line. */
static char *unbreakable(const char *s)
{
	GString *out = g_string_new(NULL);

	for (; *s; s++)
		if (*s == ' ')
			g_string_append(out, "\u00a0");
		else
			g_string_append_c(out, *s);
	return g_string_free(out, FALSE);
}

/* "9 h 30", "14 h". */
static char *hour_text(int hour, int minute)
{
	return minute ? g_strdup_printf("%d\u00a0h\u00a0%02d", hour, minute) : g_strdup_printf("%d\u00a0h", hour);
}

/* "jeudi 2 mars 2017". */
static char *day_text(long day)
{
	static const char *const names[] = { "jeudi", "vendredi", "samedi", "dimanche",
		"lundi", "mardi", "mercredi" }; /* 1970-01-01 was a Thursday */
	char date[48];

	date_format_fr(day, date, sizeof date);
	return g_strdup_printf("%s %s", names[((day % 7) + 7) % 7], date);
}

static char *date_text(long day)
{
	char date[48];

	date_format_fr(day, date, sizeof date);
	return g_strdup(date);
}

static int time_valid(int hour, int minute)
{
	return hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59;
}

/* ---- an organisation's postal contact, from its record ---- */

/* What a letter borrows from the database while it is drawn. */
struct contact {
	json_t *rec;   /* the organisation's record, or NULL */
	char *address; /* "12 rue de la Gare\n69003 Lyon", or NULL */
};

static const char *contact_text(const struct contact *c, const char *field)
{
	const char *s = json_string_value(json_object_get(c->rec, field));

	return empty(s) ? NULL : s;
}

/* The street line, then the postcode and town: the last line of a French
 * postal address (NF Z 10-011). NULL when the record gives neither. */
static char *contact_lines(const struct contact *c)
{
	char *town = join_words(contact_text(c, "postal_code"), contact_text(c, "city"), NULL);
	char *lines = join_with("\n", contact_text(c, "address"), town, NULL);

	g_free(town);
	if (*lines)
		return lines;
	g_free(lines);
	return NULL;
}

static void contact_load(struct contact *c, struct db *db, const char *id)
{
	c->rec = db && !empty(id) ? record_load(db, &type_organisation, id, NULL) : NULL;
	c->address = c->rec ? contact_lines(c) : NULL;
}

static void contact_release(struct contact *c)
{
	json_decref(c->rec);
	g_free(c->address);
}

/* A letter's sender and its one place or organisation, with what their
 * records give for the texts the caller left empty, for the time the
 * letter is drawn. */
struct completion {
	struct letter_sender from;
	struct contact sender, org;
};

static const struct letter_sender *complete(struct completion *k, const struct letter_sender *from,
					    struct letter_org *org)
{
	k->from = *from;
	contact_load(&k->sender, from->db, from->organisation);
	if (empty(k->from.address))
		k->from.address = k->sender.address;
	if (empty(k->from.phone))
		k->from.phone = contact_text(&k->sender, "phone");
	if (empty(k->from.email))
		k->from.email = contact_text(&k->sender, "email");
	if (empty(k->from.place))
		k->from.place = contact_text(&k->sender, "city");
	contact_load(&k->org, from->db, org->organisation);
	if (empty(org->address))
		org->address = k->org.address;
	if (empty(org->phone))
		org->phone = contact_text(&k->org, "phone");
	return &k->from;
}

static void completion_release(struct completion *k)
{
	contact_release(&k->sender);
	contact_release(&k->org);
}

/* ---- the parts every letter shares ---- */

/* NF Z 10-011, the French postal standard for addresses, allows 6 lines,
 * the addressee's name included; machines read them from the bottom. */
#define ADDRESS_LINES 6

/* What the envelope's window shows: the name, then the address. */
static char *window_text(const struct letter_person *to)
{
	char *name = person_name(to);
	char *window = g_strdup_printf("%s\n%s", name, or_empty(to->address));

	g_free(name);
	return window;
}

/* The standard also wants lines of 38 characters at most; addresses are
 * often stored on one line ("3 rue X, 69001 Lyon"), so the rule enforced
 * is its purpose: the block shows whole in the window, 8 pt at least. */
static const char *address_problem(const struct letter_person *to)
{
	char *window = window_text(to);
	const char *why = NULL;

	if (pdf_address_lines(window) > ADDRESS_LINES)
		why = "adresse du destinataire : l'adresse compte trop de lignes pour la fenêtre de "
		      "l'enveloppe (6 au plus, nom compris, selon la norme postale NF Z 10-011)";
	else if (!pdf_address_fits(window))
		why = "adresse du destinataire : le nom et l'adresse sont trop longs pour la fenêtre de "
		      "l'enveloppe (6 lignes de 38 caractères au plus, nom compris, selon la norme "
		      "postale NF Z 10-011)";
	g_free(window);
	return why;
}

static char *sender_footer(const struct letter_sender *from)
{
	char *address = one_line(from->address);
	GString *s = g_string_new(or_empty(from->name));

	if (*address)
		g_string_append_printf(s, "%s%s", s->len ? " — " : "", address);
	if (!empty(from->phone)) {
		char *phone = unbreakable(from->phone); /* a number cut by the wrap is misread */

		g_string_append_printf(s, "%sTél.\u00a0%s", s->len ? " — " : "", phone);
		g_free(phone);
	}
	if (!empty(from->email))
		g_string_append_printf(s, "%s%s", s->len ? " — " : "", from->email);
	g_free(address);
	return g_string_free(s, FALSE);
}

/* The letterhead's lines under the name: address, phone, e-mail. */
static char *sender_lines(const struct letter_sender *from)
{
	char *phone = empty(from->phone) ? NULL : g_strdup_printf("Tél. %s", from->phone);
	char *email = empty(from->email) ? NULL : g_strdup_printf("Courriel : %s", from->email);
	char *lines = join_with("\n", from->address, phone, email);

	g_free(phone);
	g_free(email);
	return lines;
}

static void sender_section(struct pdf_doc *doc, const struct letter_sender *from)
{
	char *footer = sender_footer(from), *lines = sender_lines(from);
	struct pdf_letterhead head = { from->name, from->service, lines, footer };

	pdf_section_begin(doc, &head);
	g_free(footer);
	g_free(lines);
}

static void letter_begin(struct pdf_doc *doc, const struct letter_sender *from, long day,
			 const struct letter_person *to, const char *object)
{
	char *window = window_text(to);
	char *hello = g_strdup_printf("%s,", salutation(to));

	sender_section(doc, from);
	pdf_address_window(doc, window);
	pdf_place_date(doc, from->place, day);
	pdf_object(doc, object);
	pdf_paragraph(doc, hello);
	g_free(window);
	g_free(hello);
}

static void letter_end(struct pdf_doc *doc, const struct letter_sender *from,
		       const struct letter_person *to)
{
	char *bye = g_strdup_printf("Nous vous prions d'agréer, %s, nos salutations distinguées.",
				    salutation(to));

	pdf_keep(doc, 36); /* the closing formula stays with the signature */
	pdf_paragraph(doc, bye);
	pdf_signature(doc, from->signatory_role, from->signatory_name);
	pdf_section_end(doc);
	g_free(bye);
}

/* "Nom de l'organisme, adresse (tél. …)". */
static char *org_line(const struct letter_org *org)
{
	char *address = one_line(org->address);
	GString *s = g_string_new(NULL);

	if (*address)
		g_string_append_printf(s, ", %s", address);
	if (!empty(org->phone)) {
		char *phone = unbreakable(org->phone);

		g_string_append_printf(s, " (tél.\u00a0%s)", phone);
		g_free(phone);
	}
	g_free(address);
	return g_string_free(s, FALSE);
}

/* ---- orientation ---- */

struct itinerary {
	const char *code, *label, *purpose;
};

static const struct itinerary itineraries[] = {
	{ "social", "accompagnement social",
	  "Cet accompagnement vous aide d'abord à régler les difficultés de la vie quotidienne "
	  "(logement, santé, budget, démarches administratives…), pour pouvoir ensuite avancer "
	  "vers une activité ou un emploi." },
	{ "socio_professional", "accompagnement socio-professionnel",
	  "Cet accompagnement vous aide à la fois à régler les difficultés qui freinent votre "
	  "retour à l'emploi et à construire votre projet professionnel." },
	{ "professional", "accompagnement professionnel",
	  "Cet accompagnement porte sur votre recherche d'emploi ou de formation." },
};

static const struct itinerary *itinerary_find(const char *code)
{
	for (size_t i = 0; i < sizeof itineraries / sizeof itineraries[0]; i++)
		if (code && strcmp(code, itineraries[i].code) == 0)
			return &itineraries[i];
	return NULL;
}

const char *letter_orientation_problem(const struct letter_orientation *o)
{
	if (!itinerary_find(o->itinerary))
		return "itinéraire : « social », « socio_professional » ou « professional » attendu";
	if (empty(o->organisation.name))
		return "organisme d'accompagnement : le nom est obligatoire";
	if (empty(o->person.last_name))
		return "destinataire : le nom est obligatoire";
	return address_problem(&o->person);
}

static void orientation_decision(struct pdf_doc *doc, const struct letter_orientation *o,
				 const struct itinerary *it)
{
	char *date = date_text(o->date);
	char *intro = g_strdup_printf("Vous êtes orienté%s, à compter du %s, vers un ", agree(&o->person),
				      date);
	char *where = org_line(&o->organisation);
	struct pdf_run decision[] = { { intro, 0 }, { it->label, 1 }, { ".", 0 } };
	struct pdf_run org[] = { { "Il sera assuré par ", 0 }, { o->organisation.name, 1 }, { where, 0 },
				 { ".", 0 } };

	pdf_paragraph(doc, "Vous recevez le revenu de solidarité active (RSA). Le RSA donne droit à "
			   "un accompagnement pour vous aider dans vos démarches, et vous engage à y "
			   "participer.");
	pdf_paragraph_runs(doc, decision, 3);
	pdf_paragraph(doc, it->purpose);
	pdf_paragraph_runs(doc, org, 4);
	g_free(date);
	g_free(intro);
	g_free(where);
}

static void orientation_referent(struct pdf_doc *doc, const struct letter_orientation *o)
{
	struct pdf_run named[] = { { "Votre référent sera ", 0 }, { o->referent, 1 },
				   { ". C'est la personne qui vous suivra tout au long de votre "
				     "accompagnement.", 0 } };

	if (empty(o->referent))
		pdf_paragraph(doc, "Cet organisme va désigner votre référent, la personne qui vous suivra "
				   "tout au long de votre accompagnement. Il vous contactera pour un "
				   "premier rendez-vous.");
	else
		pdf_paragraph_runs(doc, named, 3);
}

static void orientation_rights(struct pdf_doc *doc, const struct letter_orientation *o)
{
	int ppae = strcmp(o->itinerary, "professional") == 0;
	char *contract = g_strdup_printf(
		"Avec votre référent, vous signerez %s. Ce document fixe vos engagements et ceux de "
		"l'organisme qui vous accompagne (%s).",
		ppae ? "un projet personnalisé d'accès à l'emploi (PPAE)"
		     : "un contrat d'engagements réciproques (CER)",
		ppae ? "article L262-34 du CASF" : "articles L262-35 et L262-36 du CASF");

	pdf_heading(doc, "Vos droits et vos devoirs");
	pdf_paragraph(doc, "Vous avez droit à un accompagnement social et professionnel adapté à vos "
			   "besoins, organisé par un référent unique (article L262-27 du Code de "
			   "l'action sociale et des familles, CASF).");
	pdf_paragraph(doc, "En échange, vous devez chercher un emploi, créer votre propre activité, ou "
			   "faire les démarches nécessaires pour mieux vous insérer socialement ou "
			   "professionnellement (article L262-28 du CASF).");
	pdf_paragraph(doc, contract);
	pdf_paragraph(doc, "Si vous ne respectez pas ces engagements sans motif valable, votre RSA peut "
			   "être réduit ou suspendu. Avant toute décision, votre situation est examinée "
			   "par une équipe pluridisciplinaire, et vous pouvez vous expliquer devant elle "
			   "(articles L262-37 et L262-39 du CASF).");
	g_free(contract);
}

static void orientation_recourse(struct pdf_doc *doc, const struct letter_sender *from)
{
	const char *to = empty(from->recourse_to) ? "au Président de la Métropole" : from->recourse_to;
	char *how = g_strdup_printf(
		"Vous pouvez contester cette décision. Vous devez d'abord faire un recours "
		"administratif préalable, par écrit, %s, dans les deux mois qui suivent la réception "
		"de ce courrier (article L262-47 du CASF). Expliquez pourquoi vous n'êtes pas "
		"d'accord et joignez une copie de ce courrier. C'est seulement après ce recours que "
		"vous pourrez, si besoin, saisir le tribunal administratif. Et si votre situation "
		"change, vous pouvez demander à votre référent un changement d'orientation.", to);

	pdf_heading(doc, "Si vous n'êtes pas d'accord");
	pdf_paragraph(doc, how);
	g_free(how);
}

int letter_orientation(struct pdf_doc *doc, const struct letter_sender *given, long day,
		       const struct letter_orientation *o)
{
	const struct itinerary *it = itinerary_find(o->itinerary);
	struct letter_orientation item = *o;
	const struct letter_sender *from;
	struct completion k;

	if (letter_orientation_problem(o))
		return -1;
	from = complete(&k, given, &item.organisation);
	letter_begin(doc, from, day, &item.person,
		     "notification de votre orientation dans le cadre du RSA");
	orientation_decision(doc, &item, it);
	orientation_referent(doc, &item);
	orientation_rights(doc, &item);
	orientation_recourse(doc, from);
	letter_end(doc, from, &item.person);
	completion_release(&k);
	return 0;
}

/* ---- convocation ---- */

const char *letter_convocation_problem(const struct letter_convocation *c)
{
	if (!time_valid(c->hour, c->minute))
		return "heure du rendez-vous : une heure de 0 à 23 et des minutes de 0 à 59 sont attendues";
	if (empty(c->place.name) && empty(c->place.address))
		return "lieu du rendez-vous : le nom ou l'adresse est obligatoire";
	if (empty(c->person.last_name))
		return "destinataire : le nom est obligatoire";
	if (c->n_bring && !c->bring)
		return "pièces à apporter : la liste est absente";
	return address_problem(&c->person);
}

static void convocation_when_where(struct pdf_doc *doc, const struct letter_convocation *c)
{
	char *day = day_text(c->day), *hour = hour_text(c->hour, c->minute);
	char *when = g_strdup_printf("le %s à %s", day, hour);
	char *where = one_line(c->place.address);
	char *who = g_strdup_printf("Vous êtes convoqué%s à un rendez-vous%s", agree(&c->person),
				    empty(c->referent) ? "." : " avec ");
	struct pdf_run intro[] = { { who, 0 }, { c->referent, 1 }, { empty(c->referent) ? "" : ".", 0 } };
	struct pdf_run date[] = { { "Date : ", 0 }, { when, 1 } };
	struct pdf_run place[] = { { "Lieu : ", 0 }, { c->place.name, 1 },
				   { *where && !empty(c->place.name) ? ", " : "", 0 }, { where, 0 } };
	struct pdf_run purpose[] = { { "Objet : ", 0 }, { c->purpose, 0 } };

	pdf_paragraph_runs(doc, intro, 3);
	pdf_item(doc, date, 2);
	pdf_item(doc, place, 4);
	if (!empty(c->purpose))
		pdf_item(doc, purpose, 2);
	pdf_space(doc, 2);
	pdf_paragraph(doc, "Ce rendez-vous fait partie de votre accompagnement dans le cadre du revenu "
			   "de solidarité active (RSA). Y participer fait partie de vos engagements.");
	g_free(day);
	g_free(hour);
	g_free(when);
	g_free(where);
	g_free(who);
}

static void convocation_bring(struct pdf_doc *doc, const struct letter_convocation *c)
{
	static const char *const usual[] = { "ce courrier", "une pièce d'identité" };
	const char *const *list = c->bring ? c->bring : usual;
	size_t n = c->bring ? c->n_bring : 2;

	pdf_heading(doc, "Ce que vous devez apporter");
	for (size_t i = 0; i < n; i++) {
		struct pdf_run item = { list[i], 0 };

		pdf_item(doc, &item, 1);
	}
	pdf_space(doc, 2);
}

static void convocation_absence(struct pdf_doc *doc, const struct letter_convocation *c)
{
	char *phone = unbreakable(or_empty(c->place.phone));
	char *warn = g_strdup_printf(
		"Prévenez-nous le plus tôt possible%s%s pour fixer un autre rendez-vous.",
		*phone ? " au " : "", phone);
	char *risk = g_strdup_printf(
		"Si vous ne venez pas sans motif valable et sans avoir prévenu, votre situation pourra "
		"être présentée à une équipe pluridisciplinaire. Cette équipe peut donner un avis sur "
		"une réduction ou une suspension de votre RSA. Vous en seriez informé%s par courrier "
		"et vous pourriez vous expliquer avant toute décision (articles L262-37 et L262-39 du "
		"Code de l'action sociale et des familles).", agree(&c->person));

	pdf_heading(doc, "Si vous ne pouvez pas venir");
	pdf_paragraph(doc, warn);
	pdf_paragraph(doc, risk);
	g_free(phone);
	g_free(warn);
	g_free(risk);
}

int letter_convocation(struct pdf_doc *doc, const struct letter_sender *given, long day,
		       const struct letter_convocation *c)
{
	struct letter_convocation item = *c;
	const struct letter_sender *from;
	struct completion k;

	if (letter_convocation_problem(c))
		return -1;
	from = complete(&k, given, &item.place);
	letter_begin(doc, from, day, &item.person, "convocation à un rendez-vous");
	convocation_when_where(doc, &item);
	convocation_bring(doc, &item);
	convocation_absence(doc, &item);
	letter_end(doc, from, &item.person);
	completion_release(&k);
	return 0;
}

/* ---- attendance sheet ---- */

const char *letter_session_problem(const struct letter_session *s)
{
	if (empty(s->title))
		return "séance collective : le titre est obligatoire";
	if (!time_valid(s->start_hour, s->start_minute))
		return "heure de début : une heure de 0 à 23 et des minutes de 0 à 59 sont attendues";
	if (s->end_hour >= 0 && !time_valid(s->end_hour, s->end_minute))
		return "heure de fin : une heure de 0 à 23 et des minutes de 0 à 59 sont attendues";
	if (s->n_people && !s->people)
		return "personnes inscrites : la liste est absente";
	return NULL;
}

static void session_facts(struct pdf_doc *doc, const struct letter_session *s)
{
	char *day = day_text(s->day), *start = hour_text(s->start_hour, s->start_minute);
	char *end = s->end_hour >= 0 ? hour_text(s->end_hour, s->end_minute) : NULL;
	char *when = end ? g_strdup_printf("le %s, de %s à %s", day, start, end)
			 : g_strdup_printf("le %s à %s", day, start);
	char *where = one_line(s->place.address);
	struct pdf_run date[] = { { "Date : ", 0 }, { when, 1 } };
	struct pdf_run place[] = { { "Lieu : ", 0 }, { s->place.name, 1 },
				   { *where && !empty(s->place.name) ? ", " : "", 0 }, { where, 0 } };
	struct pdf_run org[] = { { "Organisme : ", 0 }, { s->organisation, 0 } };
	struct pdf_run who[] = { { "Animation : ", 0 }, { s->facilitator, 0 } };

	pdf_heading(doc, "Feuille d'émargement");
	pdf_paragraph_runs(doc, (struct pdf_run[]){ { s->title, 1 } }, 1);
	pdf_item(doc, date, 2);
	if (!empty(s->place.name) || *where)
		pdf_item(doc, place, 4);
	if (!empty(s->organisation))
		pdf_item(doc, org, 2);
	if (!empty(s->facilitator))
		pdf_item(doc, who, 2);
	pdf_space(doc, 3);
	g_free(day);
	g_free(start);
	g_free(end);
	g_free(when);
	g_free(where);
}

static void session_table(struct pdf_doc *doc, const struct letter_session *s)
{
	static const struct pdf_column cols[] = {
		{ "N°", 0.6 }, { "Nom", 3 }, { "Prénom", 2.5 }, { "Signature", 3.5 } };

	pdf_table_begin(doc, cols, 4, 11);
	for (size_t i = 0; i < s->n_people; i++) {
		char number[24];
		const char *cells[4] = { number, s->people[i].last_name, s->people[i].first_name, NULL };

		snprintf(number, sizeof number, "%zu", i + 1);
		pdf_table_row(doc, cells);
	}
	pdf_table_end(doc);
}

int letter_attendance_sheet(struct pdf_doc *doc, const struct letter_sender *given,
			    const struct letter_session *s)
{
	struct letter_session item = *s;
	struct completion k;
	char *count;

	if (letter_session_problem(s))
		return -1;
	count = g_strdup_printf("Personnes inscrites : %zu. Personnes présentes : ______", s->n_people);
	sender_section(doc, complete(&k, given, &item.place));
	session_facts(doc, &item);
	session_table(doc, &item);
	pdf_paragraph(doc, count);
	pdf_signature(doc, "Signature de la personne qui anime la séance", s->facilitator);
	pdf_section_end(doc);
	completion_release(&k);
	g_free(count);
	return 0;
}

/* ---- whole documents ---- */

static struct pdf_doc *doc_for(struct buf *out, const struct letter_sender *from, const char *what,
			       size_t n)
{
	char *title = n > 1 ? g_strdup_printf("%s (%zu courriers)", what, n) : g_strdup(what);
	struct pdf_doc *doc = pdf_create_buf(out, title, from->name);

	g_free(title);
	return doc;
}

/* One letter of an array, as letters_pdf() calls it. */
typedef int letter_at_fn(struct pdf_doc *doc, const struct letter_sender *from, long day,
			 const void *items, size_t i);

static int orientation_at(struct pdf_doc *doc, const struct letter_sender *from, long day,
			  const void *items, size_t i)
{
	return letter_orientation(doc, from, day, (const struct letter_orientation *)items + i);
}

static int convocation_at(struct pdf_doc *doc, const struct letter_sender *from, long day,
			  const void *items, size_t i)
{
	return letter_convocation(doc, from, day, (const struct letter_convocation *)items + i);
}

static int letters_pdf(struct buf *out, const struct letter_sender *from, long day, const char *what,
		       letter_at_fn *one, const void *items, size_t n)
{
	struct pdf_doc *doc = doc_for(out, from, what, n);
	int rc = doc && n ? 0 : -1;

	for (size_t i = 0; doc && i < n && rc == 0; i++)
		rc = one(doc, from, day, items, i);
	if (doc && pdf_finish(doc) < 0)
		rc = -1;
	return rc;
}

int letters_orientation_pdf(struct buf *out, const struct letter_sender *from, long day,
			    const struct letter_orientation *items, size_t n)
{
	return letters_pdf(out, from, day, "Notification d'orientation", orientation_at, items, n);
}

int letters_convocation_pdf(struct buf *out, const struct letter_sender *from, long day,
			    const struct letter_convocation *items, size_t n)
{
	return letters_pdf(out, from, day, "Convocation", convocation_at, items, n);
}

int letters_attendance_pdf(struct buf *out, const struct letter_sender *from,
			   const struct letter_session *s)
{
	struct pdf_doc *doc = doc_for(out, from, "Feuille d'émargement", 1);
	int rc = doc ? letter_attendance_sheet(doc, from, s) : -1;

	if (doc && pdf_finish(doc) < 0)
		rc = -1;
	return rc;
}
