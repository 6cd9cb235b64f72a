/*
 * libFuzzer target for src/exchange/caf_xml.c, the streaming reader of the
 * CAF/MSA flux.
 *
 * The input is the XML document itself. The reader must never crash, leak,
 * read out of bounds or loop; it must end with CAF_END or CAF_ERROR (with
 * a message), and what it hands out must hold: NUL-terminated fields, at
 * most CAF_MAX_PERSONS people, a fragment no longer than CAF_FRAGMENT_MAX,
 * positions that count up from 1.
 *
 * Build: make fuzz-build (build-fuzz/fuzz_caf); seeds in
 * tests/fuzz/corpus/fuzz_caf/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exchange/caf_xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_check_str(const char *s, size_t size)
{
	if (!memchr(s, '\0', size))
		abort();
}

#define CHECK(field) fuzz_check_str((field), sizeof(field))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct caf_reader *r;
	const struct caf_household *hh;
	char err[300];
	long expected = 1;
	int rc;

	/* A flux is large, but what matters here is its structure. */
	if (size > 256 * 1024)
		return 0;
	if (caf_reader_open_memory(&r, (const char *)data, size, NULL, err, sizeof err))
		abort(); /* opening memory never fails but for lack of memory */
	while ((rc = caf_reader_next(r, &hh)) == CAF_HOUSEHOLD) {
		if (hh->position != expected++ || hh->npersons > CAF_MAX_PERSONS)
			abort();
		/* The re-read that a rejected household's report uses. */
		const char *fragment = caf_reader_fragment(r);
		if (!fragment || hh->fragment.len > CAF_FRAGMENT_MAX ||
		    strlen(fragment) > hh->fragment.len)
			abort();
		CHECK(hh->matricule);
		CHECK(hh->fonorg);
		CHECK(hh->etatdosrsa);
		CHECK(hh->dtclorsa);
		CHECK(hh->address.numcom);
		for (size_t i = 0; i < hh->npersons; i++) {
			CHECK(hh->persons[i].nom);
			CHECK(hh->persons[i].prenom);
			CHECK(hh->persons[i].nir);
			CHECK(hh->persons[i].role_rsa);
		}
		for (size_t i = 0; i < hh->nproblems && i < CAF_MAX_PROBLEMS; i++) {
			CHECK(hh->problems[i].field);
			CHECK(hh->problems[i].reason);
		}
	}
	if (rc == CAF_ERROR && !caf_reader_error(r)[0])
		abort();
	if (rc != CAF_ERROR && rc != CAF_END)
		abort();
	/* Asking again after the end gives the same answer. */
	if (caf_reader_next(r, &hh) != rc)
		abort();
	CHECK(caf_reader_header(r)->dtref);
	caf_reader_close(r);
	return 0;
}
