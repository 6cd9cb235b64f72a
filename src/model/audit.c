/* audit.c — see audit.h. */
#include "model/audit.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/date.h"
#include "db/db.h"

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* The hash covers every field, each ended by a unit separator so that
 * moving bytes between fields changes it. */
static void entry_hash(const char *prev, long long seq, const char *const fields[7],
		       char out[65])
{
	crypto_hash_sha256_state h;
	unsigned char digest[crypto_hash_sha256_BYTES];
	char seqs[32];
	static const unsigned char sep = 0x1f;

	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, (const unsigned char *)prev, strlen(prev));
	crypto_hash_sha256_update(&h, &sep, 1);
	snprintf(seqs, sizeof seqs, "%lld", seq);
	crypto_hash_sha256_update(&h, (const unsigned char *)seqs, strlen(seqs));
	for (int i = 0; i < 7; i++) {
		const char *f = fields[i] ? fields[i] : "";
		crypto_hash_sha256_update(&h, &sep, 1);
		crypto_hash_sha256_update(&h, (const unsigned char *)f, strlen(f));
	}
	crypto_hash_sha256_final(&h, digest);
	sodium_bin2hex(out, 65, digest, sizeof digest);
}

static int last_entry(struct db *db, long long *seq, char prev[65])
{
	struct db_stmt *st;
	int rc;

	*seq = 0;
	snprintf(prev, 65, "%s", GENESIS);
	if (db_prepare(db, &st, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"))
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		*seq = db_col_int(st, 0);
		snprintf(prev, 65, "%s", db_col_text(st, 1));
	}
	db_finalize(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

int audit_append(struct db *db, const char *actor, const char *address, const char *action,
		 const char *object_type, const char *object_id, const char *detail)
{
	int own = !db_in_transaction(db), rc = -1;
	char at[32], prev[65], hash[65];
	long long seq;

	datetime_now(at); /* Europe/Paris with its offset, like sign-ins */
	if (own && db_begin(db))
		return -1;
	if (last_entry(db, &seq, prev))
		goto out;
	seq++;
	{
		const char *const fields[7] = { at, actor, address, action, object_type, object_id,
						detail };
		entry_hash(prev, seq, fields, hash);
	}
	rc = db_execf(db,
		      "INSERT INTO audit (seq, at, actor, address, action, object_type, object_id, "
		      "detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		      "isssssssss", (int64_t)seq, at, actor, address, action, object_type, object_id,
		      detail, prev, hash);
out:
	if (own) {
		if (rc == 0)
			rc = db_commit(db);
		else
			db_rollback(db);
	}
	return rc;
}

int audit_verify(struct db *db, long long *bad_seq, char *why, size_t size)
{
	struct db_stmt *st;
	char prev[65] = GENESIS, hash[65];
	long long expect = 1;
	int rc = 0;

	if (db_prepare(db, &st, "SELECT seq, at, actor, address, action, object_type, object_id, "
				"detail, prev_hash, hash FROM audit ORDER BY seq"))
		return -1;
	while (rc == 0 && db_step(st) == DB_ROW) {
		long long seq = db_col_int(st, 0);
		const char *const fields[7] = { db_col_text(st, 1), db_col_text(st, 2),
			db_col_text(st, 3), db_col_text(st, 4), db_col_text(st, 5),
			db_col_text(st, 6), db_col_text(st, 7) };
		*bad_seq = seq;
		if (seq != expect) {
			*bad_seq = expect;
			snprintf(why, size, "entry %lld is missing", expect);
			rc = 1;
			break;
		}
		if (strcmp(db_col_text(st, 8), prev) != 0) {
			snprintf(why, size, "entry %lld does not follow the previous entry's hash", seq);
			rc = 1;
			break;
		}
		entry_hash(prev, seq, fields, hash);
		if (strcmp(hash, db_col_text(st, 9)) != 0) {
			snprintf(why, size, "entry %lld was altered (its hash does not match)", seq);
			rc = 1;
			break;
		}
		snprintf(prev, sizeof prev, "%s", hash);
		expect++;
	}
	db_finalize(st);
	return rc;
}

static json_t *audit_row(struct db_stmt *st)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?}", "seq",
			 (json_int_t)db_col_int(st, 0), "at", db_col_text(st, 1), "actor",
			 db_col_text(st, 2), "address", db_col_text(st, 3), "action",
			 db_col_text(st, 4), "object_type", db_col_text(st, 5), "object_id",
			 db_col_text(st, 6), "detail", db_col_text(st, 7));
}

json_t *audit_list(struct db *db, const char *person, const char *actor, const char *action,
		   long limit, long offset, long *total)
{
	static const char where[] =
		" FROM audit WHERE (?1 IS NULL OR (object_type = 'person' AND object_id = ?1))"
		" AND (?2 IS NULL OR actor = ?2) AND (?3 IS NULL OR action = ?3)";
	struct db_stmt *st;
	json_t *rows = json_array();
	struct buf sql;
	int64_t n = 0;

	buf_init(&sql, 4096);
	buf_addf(&sql, "SELECT COUNT(*)%s", where);
	db_query_int(db, &n, buf_str(&sql), "sss", person, actor, action);
	if (total)
		*total = (long)n;
	buf_reset(&sql);
	buf_addf(&sql, "SELECT seq, at, actor, address, action, object_type, object_id, detail%s"
		       " ORDER BY seq DESC LIMIT ?4 OFFSET ?5", where);
	if (db_prepare(db, &st, buf_str(&sql)) == 0) {
		db_bind_text(st, 1, person);
		db_bind_text(st, 2, actor);
		db_bind_text(st, 3, action);
		db_bind_int(st, 4, limit);
		db_bind_int(st, 5, offset);
		while (db_step(st) == DB_ROW)
			json_array_append_new(rows, audit_row(st));
		db_finalize(st);
	}
	buf_release(&sql);
	return rows;
}

int audit_person_record(struct db *db, const char *actor, const char *address,
			const char *action, const char *person, json_t *rec)
{
	char *detail = json_dumps(rec, JSON_COMPACT);
	int rc = audit_append(db, actor, address, action, "person", person, detail);

	free(detail);
	return rc;
}
