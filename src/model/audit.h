/*
 * audit.h — the append-only, tamper-evident audit log.
 *
 * Every read of a person's file and every change is written here (who,
 * when, what, from where). Each entry's hash is SHA-256 over the previous
 * entry's hash and the entry's own fields, so altering or removing an entry
 * breaks the chain from that point on: audit_verify() finds the first one.
 */
#ifndef PARCOURS_AUDIT_H
#define PARCOURS_AUDIT_H
#include <jansson.h>

struct db;

/* Appends one entry. actor: an account id or "cli:<user>"; address: the
 * client's IP or "cli". Runs in the caller's transaction when there is one,
 * else in its own. */
int audit_append(struct db *db, const char *actor, const char *address, const char *action,
		 const char *object_type, const char *object_id, const char *detail);
/* An entry about a person whose detail is a record as written (compact
 * JSON): what the path's write operations record. */
int audit_person_record(struct db *db, const char *actor, const char *address,
			const char *action, const char *person, json_t *rec);
/* Checks the whole chain. Returns 0 when intact; otherwise 1 and writes the
 * first bad entry's sequence number and what is wrong into *bad_seq / why
 * (why gets at most size bytes). -1 on a SQL error. */
int audit_verify(struct db *db, long long *bad_seq, char *why, size_t size);
/* Entries as JSON objects, newest first, filtered by the non-NULL
 * arguments, at most limit, skipping offset. */
json_t *audit_list(struct db *db, const char *person, const char *actor, const char *action,
		   long limit, long offset, long *total);

#endif
