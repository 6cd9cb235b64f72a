/* person_match.c — the person a line designates; see person_match.h. */
#include "exchange/person_match.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/text.h"
#include "db/db.h"

static const char *const pm_sql[PM_COUNT] = {
	/* A range on the index: a 15-character NIR sorts after its 13 first
	 * characters and before them followed by ':'. */
	[PM_BY_NIR] = "SELECT id FROM person WHERE nir >= ? AND nir < ? ORDER BY id",
	[PM_BY_FT_ID] = "SELECT id, nir FROM person WHERE france_travail_id = ? ORDER BY id",
	[PM_BY_BIRTH] = "SELECT id, first_name, last_name, birth_name, nir FROM person "
			"WHERE birth_date = ? ORDER BY id",
	[PM_BY_CAF_BIRTH] = "SELECT p.id, p.first_name, p.last_name, p.birth_name, p.nir "
			    "FROM person p JOIN household h ON h.id = p.household "
			    "WHERE h.caf_number = ? AND p.birth_date = ? ORDER BY p.id",
};

void person_match_init(struct person_match *m, struct db *db)
{
	memset(m, 0, sizeof *m);
	m->db = db;
}

void person_match_release(struct person_match *m)
{
	for (int i = 0; i < PM_COUNT; i++) {
		db_finalize(m->st[i]);
		m->st[i] = NULL;
	}
}

static struct db_stmt *stmt(struct person_match *m, int which)
{
	if (!m->st[which] && db_prepare(m->db, &m->st[which], pm_sql[which]))
		return NULL;
	return m->st[which];
}

int person_match_same(const char *a, const char *b)
{
	char *x = a ? text_fold(a) : NULL, *y = b ? text_fold(b) : NULL;
	int same = x && y && x[0] && !strcmp(x, y);

	free(x);
	free(y);
	return same;
}

int person_match_nir(struct person_match *m, const char *nir, char id[PERSON_MATCH_ID])
{
	struct db_stmt *st;
	char low[14], high[15];

	id[0] = '\0';
	if (strlen(nir) < 13)
		return 0;
	if (!(st = stmt(m, PM_BY_NIR)))
		return -1;
	snprintf(low, sizeof low, "%.13s", nir);
	snprintf(high, sizeof high, "%s:", low);
	db_bind_text(st, 1, low);
	db_bind_text(st, 2, high);
	if (db_step(st) == DB_ROW)
		snprintf(id, PERSON_MATCH_ID, "%s", db_col_text(st, 0));
	db_reset(st);
	return id[0] != '\0';
}

int person_match_ft_id(struct person_match *m, const char *ft_id, const char *except,
		       char id[PERSON_MATCH_ID], char nir[PERSON_MATCH_NIR])
{
	struct db_stmt *st = stmt(m, PM_BY_FT_ID);

	id[0] = nir[0] = '\0';
	if (!st)
		return -1;
	db_bind_text(st, 1, ft_id);
	while (!id[0] && db_step(st) == DB_ROW) {
		const char *who = db_col_text(st, 0);
		if (except && !strcmp(who, except))
			continue;
		snprintf(id, PERSON_MATCH_ID, "%s", who);
		snprintf(nir, PERSON_MATCH_NIR, "%s", db_col_text(st, 1) ? db_col_text(st, 1) : "");
	}
	db_reset(st);
	return id[0] != '\0';
}

/* True when text folds to folded (the line's name, folded once per query). */
static int same_as(const char *text, const char *folded)
{
	char *f = text && folded && folded[0] ? text_fold(text) : NULL;
	int same = f && !strcmp(f, folded);

	free(f);
	return same;
}

/* Rows (id, first_name, last_name, birth_name, nir) of st that bear the
 * names and no other NIR than nir's. */
static int count_names(struct db_stmt *st, const struct person_match_names *q,
		       char id[PERSON_MATCH_ID])
{
	char *first = text_fold(q->first_name), *last = text_fold(q->last_name);
	int found = 0;

	while (db_step(st) == DB_ROW) {
		const char *nir = db_col_text(st, 4);
		if (nir && q->nir[0] && strncmp(nir, q->nir, 13))
			continue;
		if (!same_as(db_col_text(st, 1), first) ||
		    !(same_as(db_col_text(st, 2), last) || same_as(db_col_text(st, 3), last)))
			continue;
		if (found++ == 0)
			snprintf(id, PERSON_MATCH_ID, "%s", db_col_text(st, 0));
	}
	db_reset(st);
	free(first);
	free(last);
	return found;
}

int person_match_names(struct person_match *m, const struct person_match_names *q,
		       char id[PERSON_MATCH_ID])
{
	int caf = q->caf_number && q->caf_number[0];
	struct db_stmt *st = stmt(m, caf ? PM_BY_CAF_BIRTH : PM_BY_BIRTH);
	char day[11];

	id[0] = '\0';
	if (!st)
		return -1;
	date_format(q->birth, day);
	if (caf)
		db_bind_text(st, 1, q->caf_number);
	db_bind_text(st, caf ? 2 : 1, day);
	return count_names(st, q, id);
}
