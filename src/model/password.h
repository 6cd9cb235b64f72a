/*
 * password.h — passwords and secret tokens (libsodium).
 *
 * Passwords are stored as argon2id hashes (crypto_pwhash_str, interactive
 * limits: about 64 MiB and 0.1 s, which also slows guessing). Tokens
 * (session cookies, API tokens, CSRF) are 32 random bytes in hex; only
 * their SHA-256 is stored, so a copy of the database opens no session.
 */
#ifndef PARCOURS_PASSWORD_H
#define PARCOURS_PASSWORD_H
#include <stddef.h>

/* Must be called once before anything else (sodium_init). */
int password_init(void);
/* Minimum rules: 12 characters at least. NULL when acceptable, else why. */
const char *password_problem(const char *pw);
/* Writes the argon2id hash (at most 128 bytes with NUL) into out. */
int password_hash(const char *pw, char out[128]);
/* 1 when pw matches the stored hash, 0 otherwise. */
int password_check(const char *pw, const char *hash);
/* 64 hex characters of fresh randomness. */
void token_new(char out[65]);
/* SHA-256 of a token, in hex. */
void token_hash(const char *token, char out[65]);
/* Constant-time comparison of two NUL-terminated strings. */
int token_equal(const char *a, const char *b);

#endif
