/* orienting.c — see orienting.h. */
#include "model/orienting.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/text.h"
#include "db/db.h"
#include "model/audit.h"
#include "model/path.h"
#include "model/problems.h"
#include "model/record.h"
#include "model/schema.h"

/* The organisation kinds that carry each itinerary: the same lists as
 * path.c's orientation check (PATH_FITS), which stays the rule of record;
 * these give the forms their lists and the refusals their French. */
static const char *const kinds_social[] = { "maison_metropole", "ccas", "association", NULL };
static const char *const kinds_socio[] = { "association", "siae_aci", "siae_ei", "siae_ai",
	"siae_etti", "training_body", "mission_locale", "e2c", "other", NULL };
static const char *const kinds_professional[] = { "pole_emploi", NULL };

static const struct {
	const char *code, *label, *const *kinds, *which;
} itineraries[] = {
	{ "social", "Social", kinds_social,
	  "une Maison de la Métropole, un CCAS ou une association" },
	{ "socio_professional", "Socio-professionnel", kinds_socio,
	  "une association, une structure d'insertion par l'activité économique, un organisme "
	  "de formation, une mission locale ou une école de la deuxième chance" },
	{ "professional", "Professionnel", kinds_professional,
	  "une agence France Travail (Pôle emploi)" },
};

static int itinerary_index(const char *code)
{
	for (int i = 0; code && i < 3; i++)
		if (!strcmp(itineraries[i].code, code))
			return i;
	return -1;
}

const char *orienting_itinerary_label(const char *itinerary)
{
	int i = itinerary_index(itinerary);

	return i < 0 ? itinerary : itineraries[i].label;
}

const char *const *orienting_kinds(const char *itinerary)
{
	int i = itinerary_index(itinerary);

	return i < 0 ? NULL : itineraries[i].kinds;
}

int orienting_kind_fits(const char *itinerary, const char *kind)
{
	const char *const *k = orienting_kinds(itinerary);

	return k && kind && schema_enum_has(k, kind);
}

/* A new exchange id: prefix and 24 random hexadecimal digits. */
/* The day before a YYYY-MM-DD date, or -1 when it does not parse. */
static int day_before(const char *date, char out[11])
{
	long d;

	if (!date || date_parse(date, &d))
		return -1;
	date_format(d - 1, out);
	return 0;
}

int orienting_current(struct db *db, int assignment, const char *person, const char *day,
		      char id_out[65])
{
	struct db_stmt *st;
	int rc;

	id_out[0] = '\0';
	if (db_prepare(db, &st, assignment
			? "SELECT id FROM referent_assignment WHERE person = ? "
			  "AND (end_date IS NULL OR end_date >= ?) ORDER BY start_date DESC, id"
			: "SELECT id FROM orientation WHERE person = ? "
			  "AND (end_date IS NULL OR end_date >= ?) ORDER BY start_date DESC, id"))
		return -1;
	db_bind_text(st, 1, person);
	db_bind_text(st, 2, day);
	rc = db_step(st);
	if (rc == DB_ROW)
		snprintf(id_out, 65, "%s", db_col_text(st, 0));
	db_finalize(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* One text column of one row ("SELECT x FROM t WHERE id = ?") into out;
 * "" when there is none. */
static void lookup(struct db *db, const char *sql, const char *id, char *out, size_t size)
{
	struct db_stmt *st;

	out[0] = '\0';
	if (!id || db_prepare(db, &st, sql))
		return;
	db_bind_text(st, 1, id);
	if (db_step(st) == DB_ROW && db_col_text(st, 0))
		snprintf(out, size, "%s", db_col_text(st, 0));
	db_finalize(st);
}

/* The organisation exists and carries the itinerary. */
static void check_organisation(struct db *db, const struct orienting_orientation *o,
			       struct problems *pb)
{
	char name[201], kind[64];
	int i = itinerary_index(o->itinerary);

	lookup(db, "SELECT name FROM organisation WHERE id = ?", o->organisation, name,
	       sizeof name);
	lookup(db, "SELECT kind FROM organisation WHERE id = ?", o->organisation, kind,
	       sizeof kind);
	if (!name[0])
		problem_add(pb, "organisation", "cette structure n'existe pas");
	else if (i >= 0 && !orienting_kind_fits(o->itinerary, kind))
		problem_add(pb, "organisation",
			    "« %s » ne porte pas l'itinéraire %s : choisissez %s", name,
			    itineraries[i].label, itineraries[i].which);
}

/* The account is a référent of the organisation (organisation NULL: of
 * their own, which goes to org_out when not NULL). */
static void check_referent(struct db *db, const char *account, const char *organisation,
			   struct problems *pb, char org_out[65])
{
	char name[210], org[65], roles[400], org_name[201];

	lookup(db, "SELECT first_name || ' ' || last_name FROM account WHERE id = ?", account,
	       name, sizeof name);
	lookup(db, "SELECT organisation FROM account WHERE id = ?", account, org, sizeof org);
	lookup(db, "SELECT roles FROM account WHERE id = ?", account, roles, sizeof roles);
	if (org_out)
		snprintf(org_out, 65, "%s", org);
	if (!name[0]) {
		problem_add(pb, "referent", "ce compte n'existe pas");
	} else if (!strstr(roles, "\"referent\"")) {
		problem_add(pb, "referent", "%s n'a pas le rôle de référent de parcours", name);
	} else if (organisation && strcmp(org, organisation) != 0) {
		lookup(db, "SELECT name FROM organisation WHERE id = ?", organisation, org_name,
		       sizeof org_name);
		problem_add(pb, "referent", "%s n'est pas référent de la structure « %s »", name,
			    org_name[0] ? org_name : organisation);
	}
}

/* Writes rec and runs its type's rules across records on it. */
static int write_checked(struct db *db, const struct type_def *t, const char *id, json_t *rec,
			 struct problems *pb)
{
	struct record_writer *w = record_writer_new(db);
	int rc;

	problems_at(pb, 0, t->name, id);
	rc = !w || record_write(w, t, id, rec) || record_check_one(db, t, id, pb) ? -1 : 0;
	record_writer_free(w);
	return rc;
}

/* Ends record id of t on `end` (written, checked, audited as `action`). */
static int close_record(struct db *db, const struct orienting_actor *who, const struct type_def *t,
			const char *id, const char *end, const char *action, struct problems *pb)
{
	json_t *rec = record_load(db, t, id, NULL);
	int rc;

	if (!rec)
		return -1;
	json_object_set_new(rec, "end", json_string(end));
	rc = write_checked(db, t, id, rec, pb);
	if (rc == 0 && problems_count(pb) == 0)
		rc = audit_person_record(db, who->id, who->address, action,
					 json_string_value(json_object_get(rec, "person")), rec);
	json_decref(rec);
	return rc;
}

/* The start of the current record id of t, into out ("" when none). */
static void start_of(struct db *db, const struct type_def *t, const char *id, char out[11])
{
	json_t *rec = record_load(db, t, id, NULL);
	const char *s = json_string_value(json_object_get(rec, "start"));

	snprintf(out, 11, "%s", s ? s : "");
	json_decref(rec);
}

/* What a new record (orientation or assignment) of `person` starting on
 * `start` does to the current one: 409 when it is not the one the form
 * saw; a problem when it started on or after `start` (it cannot end
 * before it began). Writes the current id into cur ("" when none). */
static enum orienting_result current_of(struct db *db, int assignment, const char *person,
					const char *start, const char *expected,
					struct problems *pb, char cur[65])
{
	char since[11];
	int found = orienting_current(db, assignment, person, start, cur);

	if (found < 0)
		return ORIENTING_FAILED;
	if (expected && strcmp(expected, cur) != 0)
		return ORIENTING_CONFLICT;
	if (!found)
		return ORIENTING_OK;
	start_of(db, assignment ? &type_referent_assignment : &type_orientation, cur, since);
	if (strcmp(since, start) >= 0)
		problem_add(pb, "start",
			    assignment ? "une désignation de référent commence déjà le %s : la "
					 "nouvelle doit commencer après"
				       : "une orientation commence déjà le %s : la nouvelle doit "
					 "commencer après",
			    since);
	return ORIENTING_OK;
}

/* The procedure for a person who already has an orientation: only a
 * reorientation or a move to another territory replaces it. */
static void check_replacement(struct db *db, const struct orienting_orientation *o,
			      const char *cur, struct problems *pb)
{
	const char *origin = o->origin ? o->origin : "initial";
	char old_org[65], old_t[65], new_t[65];

	if (!strcmp(origin, "initial") || !strcmp(origin, "default")) {
		problem_add(pb, "origin",
			    "cette personne a déjà une orientation en cours : une nouvelle "
			    "orientation est une réorientation (après l'avis favorable d'une équipe "
			    "pluridisciplinaire) ou un changement de territoire");
		return;
	}
	if (strcmp(origin, "move") != 0)
		return;
	lookup(db, "SELECT organisation FROM orientation WHERE id = ?", cur, old_org,
	       sizeof old_org);
	lookup(db, "SELECT territory FROM organisation WHERE id = ?", old_org, old_t, sizeof old_t);
	lookup(db, "SELECT territory FROM organisation WHERE id = ?", o->organisation, new_t,
	       sizeof new_t);
	if (!strcmp(old_t, new_t))
		problem_add(pb, "origin",
			    "un changement de territoire oriente vers une structure d'un autre "
			    "territoire que celle de l'orientation en cours");
}

static json_t *orientation_record(const struct orienting_orientation *o, const char *id)
{
	json_t *rec = json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:s}", "type",
				"orientation", "id", id, "person", o->person, "decided_on",
				o->decided_on, "start", o->start, "itinerary", o->itinerary,
				"organisation", o->organisation, "origin",
				o->origin && *o->origin ? o->origin : "initial");

	if (o->referent && *o->referent)
		json_object_set_new(rec, "referent", json_string(o->referent));
	if (o->case_review && *o->case_review)
		json_object_set_new(rec, "case_review", json_string(o->case_review));
	return rec;
}

static json_t *assignment_record(const struct orienting_designation *d, const char *id,
				 const char *organisation)
{
	json_t *rec = json_pack("{s:s, s:s, s:s?, s:s?, s:s, s:s?}", "type",
				"referent_assignment", "id", id, "person", d->person, "referent",
				d->referent, "organisation", organisation, "start", d->start);

	if (d->end && *d->end)
		json_object_set_new(rec, "end", json_string(d->end));
	return rec;
}

/* Ends the current assignment on the day before `start` when it is in
 * another organisation than the new orientation's: its référent no longer
 * follows the person there. */
static int close_other_assignment(struct db *db, const struct orienting_actor *who,
				  const struct orienting_orientation *o, struct problems *pb)
{
	char cur[65], org[65], end[11];
	int found = orienting_current(db, 1, o->person, o->start, cur);

	if (found <= 0)
		return found;
	lookup(db, "SELECT organisation FROM referent_assignment WHERE id = ?", cur, org,
	       sizeof org);
	if (!strcmp(org, o->organisation) || day_before(o->start, end))
		return 0;
	return close_record(db, who, &type_referent_assignment, cur, end, "referent.close", pb);
}

/* The body of a designation, inside the caller's transaction. */
static enum orienting_result designate_in(struct db *db, const struct orienting_actor *who,
					  const struct orienting_designation *d,
					  struct problems *pb, char id_out[65])
{
	char org[65], cur[65], end[11], cur_ref[65];
	enum orienting_result r;
	json_t *rec;
	int rc;

	check_referent(db, d->referent, NULL, pb, org);
	r = current_of(db, 1, d->person, d->start, d->expected_current, pb, cur);
	if (r != ORIENTING_OK)
		return r;
	lookup(db, "SELECT referent FROM referent_assignment WHERE id = ?", cur, cur_ref,
	       sizeof cur_ref);
	if (cur[0] && !strcmp(cur_ref, d->referent))
		problem_add(pb, "referent", "c'est déjà le référent de cette personne");
	if (problems_count(pb))
		return ORIENTING_INVALID;
	if (cur[0] && (day_before(d->start, end) ||
		       close_record(db, who, &type_referent_assignment, cur, end, "referent.close",
				    pb)))
		return ORIENTING_FAILED;
	exchange_id_new("ra-", id_out);
	rec = assignment_record(d, id_out, org);
	rc = write_checked(db, &type_referent_assignment, id_out, rec, pb);
	if (rc == 0 && problems_count(pb) == 0)
		rc = audit_person_record(db, who->id, who->address, "referent.designate", d->person, rec);
	json_decref(rec);
	return rc ? ORIENTING_FAILED : problems_count(pb) ? ORIENTING_INVALID : ORIENTING_OK;
}

/* Validates the record alone (fields, dates, the type's own rules). */
static int valid_alone(const struct type_def *t, json_t *rec, struct problems *pb)
{
	problems_at(pb, 0, t->name, json_string_value(json_object_get(rec, "id")));
	return record_validate(t, rec, 0, pb, NULL) == 0;
}

/* Commits on OK, rolls back otherwise. */
static enum orienting_result finish(struct db *db, enum orienting_result r)
{
	if (r == ORIENTING_OK && db_commit(db) == 0)
		return r;
	db_rollback(db);
	return r == ORIENTING_OK ? ORIENTING_FAILED : r;
}

/* The body of an orientation, inside the caller's transaction. */
static enum orienting_result orient_in(struct db *db, const struct orienting_actor *who,
				       const struct orienting_orientation *o, json_t *rec,
				       struct problems *pb)
{
	char cur[65], end[11], ra[65];
	enum orienting_result r;
	const char *id = json_string_value(json_object_get(rec, "id"));

	check_organisation(db, o, pb);
	if (o->referent && *o->referent)
		check_referent(db, o->referent, o->organisation, pb, NULL);
	r = current_of(db, 0, o->person, o->start, o->expected_current, pb, cur);
	if (r != ORIENTING_OK)
		return r;
	if (cur[0])
		check_replacement(db, o, cur, pb);
	if (problems_count(pb))
		return ORIENTING_INVALID;
	if (cur[0] && (day_before(o->start, end) ||
		       close_record(db, who, &type_orientation, cur, end, "orientation.close", pb)))
		return ORIENTING_FAILED;
	if (write_checked(db, &type_orientation, id, rec, pb))
		return ORIENTING_FAILED;
	if (problems_count(pb))
		return ORIENTING_INVALID;
	if (audit_person_record(db, who->id, who->address, "orientation.create", o->person, rec))
		return ORIENTING_FAILED;
	if (o->referent && *o->referent) {
		const struct orienting_designation d = { o->person, o->referent, o->start, NULL,
							 NULL };
		return designate_in(db, who, &d, pb, ra);
	}
	if (close_other_assignment(db, who, o, pb))
		return ORIENTING_FAILED;
	return problems_count(pb) ? ORIENTING_INVALID : ORIENTING_OK;
}

enum orienting_result orienting_orient(struct db *db, const struct orienting_actor *who,
				       const struct orienting_orientation *o, struct problems *pb,
				       char id_out[65])
{
	json_t *rec;
	enum orienting_result r;

	exchange_id_new("or-", id_out);
	rec = orientation_record(o, id_out);
	if (!valid_alone(&type_orientation, rec, pb)) {
		json_decref(rec);
		return ORIENTING_INVALID;
	}
	if (db_begin(db)) {
		json_decref(rec);
		return ORIENTING_FAILED;
	}
	r = finish(db, orient_in(db, who, o, rec, pb));
	json_decref(rec);
	return r;
}

enum orienting_result orienting_designate(struct db *db, const struct orienting_actor *who,
					  const struct orienting_designation *d,
					  struct problems *pb, char id_out[65])
{
	json_t *rec = assignment_record(d, "ra-new", "");
	int ok;

	/* The fields alone first (dates, required values); the organisation
	 * comes from the account, checked inside. */
	json_object_del(rec, "organisation");
	json_object_set_new(rec, "organisation", json_string("-"));
	ok = valid_alone(&type_referent_assignment, rec, pb);
	/* The problems keep a pointer to the record's id: point them at the
	 * type alone before the record goes. */
	problems_at(pb, 0, type_referent_assignment.name, NULL);
	json_decref(rec);
	if (!ok)
		return ORIENTING_INVALID;
	if (db_begin(db))
		return ORIENTING_FAILED;
	return finish(db, designate_in(db, who, d, pb, id_out));
}
