/*
 * activity.c — the beneficiary's path, second part (exchange-format.md,
 * "The path"): appointments, collective sessions, attendances, survey
 * responses, steps; and the status rules about time that the web layer
 * enforces (path.h). The `programme` references wait for the programmes'
 * type (docs/exchange-format.md, "Programme references").
 */
#include <ctype.h>
#include <string.h>

#include "base/date.h"
#include "model/path.h"
#include "model/problems.h"
#include "model/schema.h"

static const char *const appointment_kinds[] = { "orientation", "accompaniment", "contract",
	"convocation", "other", NULL };
static const char *const appointment_statuses[] = { "planned", "honored", "excused", "missed",
	"cancelled", NULL };

static const struct field_def appointment_fields[] = {
	{ "person", "person", FK_REF, F_REQUIRED, NULL, "person", 0, "Personne" },
	{ "organisation", "organisation", FK_REF, F_REQUIRED, NULL, "organisation", 0,
	  "Structure" },
	{ "referent", "referent", FK_REF, 0, NULL, "user", 0, "Référent" },
	{ "at", "at", FK_DATETIME, F_REQUIRED, NULL, NULL, 0, "Date et heure" },
	{ "kind", "kind", FK_ENUM, F_REQUIRED, appointment_kinds, NULL, 0, "Type de rendez-vous" },
	{ "status", "status", FK_ENUM, F_REQUIRED, appointment_statuses, NULL, 0, "Statut" },
};

/* No rule across records: whether it has taken place is about time
 * (appointment_status_problem()), which import does not check. */
const struct type_def type_appointment = {
	.name = "appointment", .table = "appointment", .label = "rendez-vous",
	.fields = appointment_fields, .nfields = 6,
};

static const struct field_def collective_session_fields[] = {
	{ "organisation", "organisation", FK_REF, F_REQUIRED, NULL, "organisation", 0,
	  "Structure" },
	{ "title", "title", FK_STRING, F_REQUIRED, NULL, NULL, 200, "Intitulé" },
	{ "at", "at", FK_DATETIME, F_REQUIRED, NULL, NULL, 0, "Date et heure" },
	{ "capacity", "capacity", FK_INT, 0, NULL, NULL, 0, "Places" },
};

/* The sessions whose attendances registered or present outnumber the
 * places; `first` is the id column and field reported. */
#define ACTIVITY_OVER_CAPACITY(first)                                                             \
	"SELECT " first ", 'la séance ' || s.id || ' compte ' || CAST(c.n AS VARCHAR(20)) || "     \
	"' inscrits ou présents pour ' || CAST(s.capacity AS VARCHAR(20)) || ' places' "          \
	"FROM collective_session s JOIN (SELECT collective_session, COUNT(*) AS n FROM attendance " \
	"WHERE status IN ('registered', 'present') GROUP BY collective_session) c "               \
	"ON c.collective_session = s.id "

static const char *const collective_session_checks[] = {
	ACTIVITY_OVER_CAPACITY("s.id, 'capacity'") "WHERE c.n > s.capacity",
	NULL,
};

const struct type_def type_collective_session = {
	.name = "collective_session", .table = "collective_session", .label = "séance collective",
	.fields = collective_session_fields, .nfields = 4, .checks = collective_session_checks,
};

static const char *const attendance_statuses[] = { "registered", "present", "excused", "absent",
	NULL };

static const struct field_def attendance_fields[] = {
	{ "session", "collective_session", FK_REF, F_REQUIRED, NULL, "collective_session", 0,
	  "Séance collective" },
	{ "person", "person", FK_REF, F_REQUIRED, NULL, "person", 0, "Personne" },
	{ "status", "status", FK_ENUM, F_REQUIRED, attendance_statuses, NULL, 0, "Statut" },
};

static const char *const attendance_checks[] = {
	"SELECT a.id, 'person', 'la personne ' || a.person || ' figure déjà à cette séance (' "
	"|| b.id || ')' FROM attendance a JOIN attendance b ON b.collective_session = "
	"a.collective_session AND b.person = a.person AND b.id <> a.id",
	ACTIVITY_OVER_CAPACITY("a.id, 'session'")
	"JOIN attendance a ON a.collective_session = s.id "
	"WHERE c.n > s.capacity AND a.status IN ('registered', 'present')",
	/* survey_response's rule seen from the attendance no longer `present`
	 * (its deletion: jsonl_import.c runs survey_response's own rule). */
	"SELECT a.id, 'status', 'la réponse au questionnaire ' || r.id || ' de cette personne "
	"suppose sa présence à la séance' FROM attendance a JOIN survey_response r "
	"ON r.collective_session = a.collective_session AND r.person = a.person "
	"WHERE a.status <> 'present'",
	NULL,
};

const struct type_def type_attendance = {
	.name = "attendance", .table = "attendance", .label = "participation",
	.fields = attendance_fields, .nfields = 3, .checks = attendance_checks,
};

static const struct field_def survey_response_fields[] = {
	{ "session", "collective_session", FK_REF, F_REQUIRED, NULL, "collective_session", 0,
	  "Séance collective" },
	{ "person", "person", FK_REF, 0, NULL, "person", 0, "Personne" },
	{ "helps_job_search", "helps_job_search", FK_BOOL, 0, NULL, NULL, 0,
	  "Utile pour la recherche d'emploi" },
	{ "helps_personal_life", "helps_personal_life", FK_BOOL, 0, NULL, NULL, 0,
	  "Utile pour la vie personnelle" },
};

/* A named answer comes from someone present at the session, once. */
static const char *const survey_response_checks[] = {
	"SELECT r.id, 'person', 'la personne ' || r.person || ' n''est pas notée présente à la "
	"séance ' || r.collective_session FROM survey_response r WHERE r.person IS NOT NULL "
	"AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.collective_session = "
	"r.collective_session AND a.person = r.person AND a.status = 'present')",
	"SELECT r.id, 'person', 'la personne ' || r.person || ' a déjà répondu pour cette séance (' "
	"|| b.id || ')' FROM survey_response r JOIN survey_response b ON b.collective_session = "
	"r.collective_session AND b.person = r.person AND b.id <> r.id",
	NULL,
};

const struct type_def type_survey_response = {
	.name = "survey_response", .table = "survey_response", .label = "réponse au questionnaire",
	.fields = survey_response_fields, .nfields = 4, .checks = survey_response_checks,
};

static const char *const step_categories[] = { "health_first_access", "health_resumption",
	"housing_aid", "rqth", "aah", "rights_other", "training_entry", "employment", "immersion",
	NULL };
const char *const step_health_categories[] = { "health_first_access", "health_resumption", NULL };
static const char *const employment_contract_types[] = { "cdd_lt_6m", "cdd_ge_6m", "cdi", "siae",
	"subsidised", "interim", "business_creation", "apprenticeship", NULL };

int step_is_health(const char *category)
{
	return category && schema_enum_has(step_health_categories, category);
}

static void step_validate(json_t *rec, struct problems *pb)
{
	const char *category = json_string_value(json_object_get(rec, "category"));
	int employment = category && strcmp(category, "employment") == 0;
	int typed = json_string_value(json_object_get(rec, "contract_type")) != NULL;

	if (employment && !typed)
		problem_add(pb, "contract_type", "une étape « emploi » précise le type de contrat");
	else if (category && !employment && typed)
		problem_add(pb, "contract_type",
			    "le type de contrat ne se donne que pour une étape « emploi »");
}

static const struct field_def step_fields[] = {
	{ "person", "person", FK_REF, F_REQUIRED, NULL, "person", 0, "Personne" },
	{ "date", "on_date", FK_DATE, F_REQUIRED, NULL, NULL, 0, "Date" },
	{ "category", "category", FK_ENUM, F_REQUIRED, step_categories, NULL, 0, "Catégorie" },
	{ "contract_type", "contract_type", FK_ENUM, 0, employment_contract_types, NULL, 0,
	  "Type de contrat de travail" },
};

const struct type_def type_step = {
	.name = "step", .table = "step", .label = "étape de parcours",
	.fields = step_fields, .nfields = 4, .validate = step_validate,
};

/* ---- time rules for the web layer ---------------------------------------- */

/* n digits at s as a number, or -1. */
static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* The offset east of UTC in seconds of "Z", "+hh:mm" or "-hh:mm" at s. */
static int offset_seconds(const char *s, long *out)
{
	int h, m;

	if (strcmp(s, "Z") == 0 || strcmp(s, "z") == 0) {
		*out = 0;
		return 0;
	}
	if ((s[0] != '+' && s[0] != '-') || strlen(s) != 6 || s[3] != ':')
		return -1;
	h = digits(s + 1, 2);
	m = digits(s + 4, 2);
	if (h < 0 || m < 0)
		return -1;
	*out = (s[0] == '-' ? -1L : 1L) * (h * 3600L + m * 60L);
	return 0;
}

int path_datetime_seconds(const char *s, long long *out)
{
	char day[11];
	const char *p;
	long days, offset;
	int hh, mm, ss;

	if (!s || !datetime_valid(s))
		return -1;
	memcpy(day, s, 10);
	day[10] = '\0';
	hh = digits(s + 11, 2);
	mm = digits(s + 14, 2);
	ss = digits(s + 17, 2);
	for (p = s + 19; *p == '.' || isdigit((unsigned char)*p); p++)
		; /* fractions of a second do not matter here */
	if (date_parse(day, &days) || hh < 0 || mm < 0 || ss < 0 || offset_seconds(p, &offset))
		return -1;
	*out = days * 86400LL + hh * 3600LL + mm * 60LL + ss - offset;
	return 0;
}

/* True when at is strictly later than now; 0 when either does not parse. */
static int is_future(const char *at, const char *now)
{
	long long a, n;

	return !path_datetime_seconds(at, &a) && !path_datetime_seconds(now, &n) && a > n;
}

/* The reason of the first rule naming status, when at is after now: the
 * statuses that say something has taken place. */
static const char *future_problem(const char *at, const char *status, const char *now,
				  const char *const rules[][2])
{
	for (size_t i = 0; status && rules[i][0]; i++)
		if (strcmp(status, rules[i][0]) == 0)
			return is_future(at, now) ? rules[i][1] : NULL;
	return NULL;
}

const char *appointment_status_problem(const char *at, const char *status, const char *now)
{
	static const char *const rules[][2] = {
		{ "honored", "un rendez-vous à venir ne peut pas être noté honoré" },
		{ "missed", "un rendez-vous à venir ne peut pas être noté manqué" },
		{ NULL, NULL },
	};

	return future_problem(at, status, now, rules);
}

const char *attendance_status_problem(const char *session_at, const char *status, const char *now)
{
	static const char *const rules[][2] = {
		{ "present", "une séance à venir ne peut pas compter de présents" },
		{ "absent", "une séance à venir ne peut pas compter d'absents" },
		{ NULL, NULL },
	};

	return future_problem(session_at, status, now, rules);
}
