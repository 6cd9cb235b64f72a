/* password.c — see password.h. */
#include "model/password.h"

#include <sodium.h>
#include <string.h>

int password_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

const char *password_problem(const char *pw)
{
	if (strlen(pw) < 12)
		return "le mot de passe compte au moins 12 caractères";
	if (strlen(pw) > 200)
		return "le mot de passe compte au plus 200 caractères";
	return NULL;
}

int password_hash(const char *pw, char out[128])
{
	return crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
				 crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

int password_check(const char *pw, const char *hash)
{
	return hash && crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

void token_new(char out[65])
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(out, 65, raw, sizeof raw);
}

void token_hash(const char *token, char out[65])
{
	unsigned char digest[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(digest, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(out, 65, digest, sizeof digest);
}

int token_equal(const char *a, const char *b)
{
	size_t n = strlen(a);

	return n == strlen(b) && sodium_memcmp(a, b, n) == 0;
}
