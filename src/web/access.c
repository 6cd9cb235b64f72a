/* access.c — see access.h. */
#include "web/access.h"

#include <string.h>

#include "base/date.h"
#include "db/db.h"
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

/* SDD on day D (exchange-format.md): a right period covering D with state
 * 2, 3 or 4 and subject_to_duties. */
static void sdd_today(struct buf *sql, json_t *binds)
{
	char today[11];

	date_format(date_today(), today);
	buf_addstr(sql, "EXISTS (SELECT 1 FROM right_period r WHERE r.person = p.id "
			"AND r.state IN ('2', '3', '4') AND r.subject_to_duties = 1 "
			"AND r.start_date <= ? AND (r.end_date IS NULL OR r.end_date >= ?))");
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

void access_scope_people(const struct user *u, struct buf *sql, json_t *binds)
{
	int any = 0;

	buf_addstr(sql, " AND (");
	if (u->roles & ROLE_ADMIN) {
		buf_addstr(sql, "1 = 1");
		any = 1;
	} else if (u->roles & ROLE_ORIENTATION_OFFICER) {
		buf_addstr(sql, "(");
		sdd_today(sql, binds);
		if (u->territory[0]) {
			buf_addstr(sql, " AND ");
			in_territory(sql, binds, u->territory);
		}
		buf_addstr(sql, ")");
		any = 1;
	}
	/* referent: people they follow and people linked to their organisation;
	 * instance_secretary, programme_manager, clee, clause_facilitator,
	 * faj_officer: through their own records. None of those links exists
	 * before the path's entities (issue 3 and later), so they see nobody yet.
	 * analyst: nobody by name, ever. */
	if (!any)
		buf_addstr(sql, "1 = 0");
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
