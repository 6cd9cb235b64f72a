/* access.c — see access.h. */
#include "web/access.h"

#include <string.h>

#include "base/date.h"
#include "db/db.h"
#include "model/path.h"
#include "model/rights.h"
#include "model/user.h"
#include "web/http.h"

int access_route(const struct request *req, unsigned roles)
{
	if (!req->signed_in)
		return 401;
	if (roles && !(req->user.roles & roles))
		return 403;
	return 0;
}

/* SDD today (model/rights.h). */
static void sdd_today(struct buf *sql, json_t *binds)
{
	char today[11];

	date_format(date_today(), today);
	buf_addstr(sql, RIGHTS_SDD_ON("p.id"));
	json_array_append_new(binds, json_string(today));
	json_array_append_new(binds, json_string(today));
}

/* A household is in territory T when it names T, or names no territory and
 * lives in one of T's communes (indicators.md, territory filter). */
static void in_territory(struct buf *sql, json_t *binds, const char *territory)
{
	buf_addstr(sql, "(h.territory = ? OR (h.territory IS NULL AND h.commune IN "
			"(SELECT commune FROM territory_commune WHERE territory = ?)))");
	json_array_append_new(binds, json_string(territory));
	json_array_append_new(binds, json_string(territory));
}

/* The référent's links (domain.md, "Access rules"): a person they follow
 * (référent on an orientation or assignment) or linked to their
 * organisation (an orientation or assignment to it), current today or
 * ended within the last 12 months; and, while they cover an absent
 * colleague (referent_cover), the people that colleague follows today.
 *
 * Written as "p.id IN (one set)" rather than per-person EXISTS: SQLite
 * builds the set once from the referent and organisation indexes, where an
 * EXISTS with "referent = ? OR organisation = ?" probed every person of the
 * database (0.2 s of CPU per page on the demo, against 0.01 s). */
static void link_rows(struct buf *sql, json_t *binds, const char *table, const char *column,
		      const char *value, const char *today, const char *cutoff)
{
	buf_addf(sql, "SELECT l.person FROM %s l WHERE l.%s = ? AND l.start_date <= ? "
		      "AND (l.end_date IS NULL OR l.end_date >= ?)", table, column);
	json_array_append_new(binds, json_string(value));
	json_array_append_new(binds, json_string(today));
	json_array_append_new(binds, json_string(cutoff));
}

static void referent_links(const struct user *u, struct buf *sql, json_t *binds)
{
	static const char *const tables[] = { "orientation", "referent_assignment" };
	char today[11], cutoff[11];

	date_format(date_today(), today);
	date_format(date_add_months(date_today(), -ACCESS_LINK_MONTHS), cutoff);
	buf_addstr(sql, "p.id IN (");
	for (size_t i = 0; i < 2; i++) {
		link_rows(sql, binds, tables[i], "referent", u->id, today, cutoff);
		buf_addstr(sql, " UNION ALL ");
		link_rows(sql, binds, tables[i], "organisation", u->organisation, today, cutoff);
		buf_addstr(sql, " UNION ALL ");
		/* Covering: the absent référent's current links only, no tail. */
		buf_addf(sql, "SELECT l.person FROM referent_cover v JOIN %s l "
			      "ON l.referent = v.absent_referent WHERE v.covering_referent = ? "
			      "AND v.start_date <= ? AND v.end_date >= ? AND l.start_date <= ? "
			      "AND (l.end_date IS NULL OR l.end_date >= ?)%s",
			 tables[i], i ? "" : " UNION ALL ");
		json_array_append_new(binds, json_string(u->id));
		for (int k = 0; k < 4; k++)
			json_array_append_new(binds, json_string(today));
	}
	buf_addstr(sql, ")");
}

/* The instance secretary's people (domain.md, "Access rules"): a case
 * review before an instance of their territory — on the agenda of a sitting
 * of such an instance (an instance without territory is the metropolitan
 * one: every secretary's), or pending and the person's household in the
 * territory, since the secretary puts pending cases on an agenda. Without a
 * territory of their own, every case review. */
static void instance_secretary_links(const struct user *u, struct buf *sql, json_t *binds)
{
	if (!u->territory[0]) {
		buf_addstr(sql, "EXISTS (SELECT 1 FROM case_review cr WHERE cr.person = p.id)");
		return;
	}
	buf_addstr(sql, "EXISTS (SELECT 1 FROM case_review cr "
			"LEFT JOIN sitting s ON s.id = cr.sitting "
			"LEFT JOIN instance i ON i.id = s.instance "
			"WHERE cr.person = p.id AND (i.territory = ? OR (s.id IS NOT NULL AND "
			"i.territory IS NULL) OR (cr.sitting IS NULL AND ");
	json_array_append_new(binds, json_string(u->territory));
	in_territory(sql, binds, u->territory);
	buf_addstr(sql, ")))");
}

/* Roles add up: the conditions of the user's roles are joined with OR. */
void access_scope_people(const struct user *u, struct buf *sql, json_t *binds)
{
	int any = 0;

	buf_addstr(sql, " AND (");
	if (u->roles & ROLE_ADMIN) {
		buf_addstr(sql, "1 = 1)");
		return;
	}
	if (u->roles & ROLE_ORIENTATION_OFFICER) {
		buf_addstr(sql, "(");
		sdd_today(sql, binds);
		if (u->territory[0]) {
			buf_addstr(sql, " AND ");
			in_territory(sql, binds, u->territory);
		}
		buf_addstr(sql, ")");
		any = 1;
	}
	if (u->roles & ROLE_REFERENT) {
		buf_addstr(sql, any ? " OR " : "");
		referent_links(u, sql, binds);
		any = 1;
	}
	if (u->roles & ROLE_INSTANCE_SECRETARY) {
		buf_addstr(sql, any ? " OR " : "");
		instance_secretary_links(u, sql, binds);
		any = 1;
	}
	/* programme_manager, clee, clause_facilitator,
	 * faj_officer: through their own records, which later issues bring
	 * (case reviews' screens, programmes …); until then they see nobody.
	 * analyst: nobody by name, ever. */
	if (!any)
		buf_addstr(sql, "1 = 0");
	buf_addstr(sql, ")");
}

int access_step_visible(const struct user *u, const char *category)
{
	return u->health_accredited || !step_is_health(category);
}

void access_scope_steps(const struct user *u, const char *alias, struct buf *sql)
{
	if (u->health_accredited)
		return;
	buf_addf(sql, " AND %s.category NOT IN (", alias);
	for (const char *const *c = step_health_categories; *c; c++)
		buf_addf(sql, "%s'%s'", c == step_health_categories ? "" : ", ", *c);
	buf_addstr(sql, ")");
}

int query_bind(struct db_stmt *st, json_t *binds, int first)
{
	json_t *v;
	size_t i;

	json_array_foreach(binds, i, v) {
		int rc = json_is_integer(v) ? db_bind_int(st, first + (int)i, json_integer_value(v))
					    : db_bind_text(st, first + (int)i, json_string_value(v));
		if (rc)
			return -1;
	}
	return 0;
}

int access_person_visible(struct db *db, const struct user *u, const char *id)
{
	struct buf sql;
	json_t *binds = json_array();
	struct db_stmt *st;
	int visible = 0;

	buf_init(&sql, 8192);
	buf_addstr(&sql, "SELECT 1 FROM person p JOIN household h ON h.id = p.household "
			 "WHERE p.id = ?");
	json_array_append_new(binds, json_string(id));
	access_scope_people(u, &sql, binds);
	if (db_prepare(db, &st, buf_str(&sql)) == 0) {
		query_bind(st, binds, 1);
		visible = db_step(st) == DB_ROW;
		db_finalize(st);
	}
	buf_release(&sql);
	json_decref(binds);
	return visible;
}

int access_sees_nir(const struct user *u)
{
	return (u->roles & (ROLE_ORIENTATION_OFFICER | ROLE_INSTANCE_SECRETARY | ROLE_ADMIN)) != 0;
}
