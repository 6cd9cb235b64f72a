/*
 * Unit tests for src/base/text.c: UTF-8 checks, the search key, exchange
 * ids, NIR and SIRET.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"

static int valid(const char *s)
{
	return utf8_valid(s, strlen(s));
}

static void assert_fold(const char *in, const char *want)
{
	char *got = text_fold(in);

	assert_non_null(got);
	if (strcmp(got, want) != 0)
		fail_msg("text_fold(\"%s\") = \"%s\", want \"%s\"", in, got, want);
	free(got);
}

/* ---- utf8_valid --------------------------------------------------------- */

static void test_utf8_accepts_well_formed_sequences(void **state)
{
	(void)state;
	assert_true(valid(""));
	assert_true(valid("plain ASCII ~"));
	assert_true(valid("Benoît, Œuvre, ß"));           /* 2 bytes */
	assert_true(valid("\xE2\x82\xAC 10"));             /* € U+20AC, 3 bytes */
	assert_true(valid("\xF0\x9F\x98\x80"));            /* U+1F600, 4 bytes */
	assert_true(valid("\xF4\x8F\xBF\xBF"));            /* U+10FFFF, the last */
	assert_true(valid("\xED\x9F\xBF"));                /* U+D7FF, before the surrogates */
	assert_true(valid("\xEE\x80\x80"));                /* U+E000, after them */
}

static void test_utf8_rejects_overlong_forms(void **state)
{
	(void)state;
	assert_false(valid("\xC0\xAF"));         /* '/' in 2 bytes */
	assert_false(valid("\xC1\xBF"));
	assert_false(valid("\xE0\x80\xAF"));     /* '/' in 3 bytes */
	assert_false(valid("\xE0\x9F\xBF"));     /* U+07FF in 3 bytes */
	assert_false(valid("\xF0\x80\x80\xAF")); /* '/' in 4 bytes */
	assert_false(valid("\xF0\x8F\xBF\xBF")); /* U+FFFF in 4 bytes */
}

static void test_utf8_rejects_surrogates_and_beyond_10ffff(void **state)
{
	(void)state;
	assert_false(valid("\xED\xA0\x80")); /* U+D800 */
	assert_false(valid("\xED\xBF\xBF")); /* U+DFFF */
	assert_false(valid("\xF4\x90\x80\x80")); /* U+110000 */
	assert_false(valid("\xF5\x80\x80\x80"));
	assert_false(valid("\xFF"));
	assert_false(valid("\xFE"));
}

static void test_utf8_rejects_truncated_and_stray_bytes(void **state)
{
	(void)state;
	assert_false(valid("\xC3"));             /* lead byte at the end */
	assert_false(valid("caf\xC3"));
	assert_false(valid("\xE2\x82"));         /* 3-byte sequence cut short */
	assert_false(valid("\xF0\x9F\x98"));
	assert_false(valid("\x80"));             /* continuation without lead */
	assert_false(valid("\xC3\x28"));         /* lead followed by ASCII */
	assert_false(valid("\xE2\x28\xA1"));
	/* Only n bytes are looked at: a sequence cut by n is refused. */
	assert_false(utf8_valid("\xC3\xA9", 1));
	assert_true(utf8_valid("\xC3\xA9zzz", 2));
}

static void test_utf8_rejects_nul(void **state)
{
	(void)state;
	assert_false(utf8_valid("a\0b", 3));
	assert_false(utf8_valid("\0", 1));
	assert_true(utf8_valid("a\0b", 1));
}

/* ---- text_fold ---------------------------------------------------------- */

static void test_fold_lowers_and_removes_accents(void **state)
{
	(void)state;
	assert_fold("Benoît", "benoit");
	assert_fold("BENOIT", "benoit");
	assert_fold("Éléonore", "eleonore");
	assert_fold("François", "francois");
	assert_fold("ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ", "aaaceeeeiioouuuy");
	assert_fold("àâäçéèêëîïôöùûüÿ", "aaaceeeeiioouuuy");
	assert_fold("Ñúñez", "nunez");
}

static void test_fold_expands_ligatures(void **state)
{
	(void)state;
	assert_fold("Œuvre", "oeuvre");
	assert_fold("cœur", "coeur");
	assert_fold("Lætitia", "laetitia");
	assert_fold("ÆSOP", "aesop");
	assert_fold("Straße", "strasse");
}

static void test_fold_folds_latin_extended_a(void **state)
{
	(void)state;
	assert_fold("Łukasz Ždanović", "lukasz zdanovic");
	assert_fold("Şahin Ğ", "sahin g");
	assert_fold("Ā", "a");      /* U+0100, first of the block */
	assert_fold("ſ", "s");      /* U+017F, last of the block */
}

static void test_fold_turns_separators_into_one_space(void **state)
{
	(void)state;
	assert_fold("Jean-Pierre", "jean pierre");
	assert_fold("D'Alembert", "d alembert");
	assert_fold("  Marie   Curie  ", "marie curie");
	assert_fold("Marie \t- Curie", "marie curie");
	assert_fold("--x--", "x");
	assert_fold("", "");
	assert_fold("   ", "");
}

static void test_fold_makes_accented_and_plain_keys_equal(void **state)
{
	char *a, *b;

	(void)state;
	a = text_fold("N'DIAYE Benoît-Élie");
	b = text_fold("ndiaye benoit elie");
	assert_non_null(a);
	assert_non_null(b);
	/* The apostrophe splits: "n diaye", which is what the search key says. */
	assert_string_equal(a, "n diaye benoit elie");
	free(a);
	free(b);
	a = text_fold("Dupont Benoît");
	b = text_fold("DUPONT benoit");
	assert_string_equal(a, b);
	free(a);
	free(b);
}

static void test_fold_treats_typographic_apostrophe_as_apostrophe(void **state)
{
	(void)state;
	/* What phones and word processors type: ’ (U+2019), or ʼ (U+02BC). */
	assert_fold("N\xE2\x80\x99" "Diaye", "n diaye");
	assert_fold("N\xCA\xBC" "Diaye", "n diaye");
	assert_fold("l\xE2\x80\x99\xC3\x89" "cole", "l ecole");
	/* Other three-byte characters are kept whole. */
	assert_fold("\xE2\x80\x98" "A", "\xE2\x80\x98" "a");
}

/* ---- utf8_fit ----------------------------------------------------------- */

static void test_fit_copies_what_fits(void **state)
{
	char out[16];

	(void)state;
	assert_string_equal(utf8_fit(out, sizeof out, "Benoît"), "Benoît");
	/* Exactly 15 bytes: no "…". */
	assert_string_equal(utf8_fit(out, sizeof out, "abcdefghijklmno"), "abcdefghijklmno");
	assert_string_equal(utf8_fit(out, sizeof out, ""), "");
}

static void test_fit_cuts_between_characters(void **state)
{
	char out[8];

	(void)state;
	/* 4 bytes of text and "…" (3 bytes) fill 7 bytes; "é" is never split. */
	assert_string_equal(utf8_fit(out, sizeof out, "abcdefghij"), "abcd\xE2\x80\xA6");
	assert_string_equal(utf8_fit(out, sizeof out, "a\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"),
			    "a\xC3\xA9\xE2\x80\xA6");
	assert_true(utf8_valid(out, strlen(out)));
	/* Too small for "…": an empty text, still valid. */
	assert_string_equal(utf8_fit(out, 3, "abcdef"), "");
}

static void test_fit_replaces_malformed_bytes(void **state)
{
	char out[16];

	(void)state;
	assert_string_equal(utf8_fit(out, sizeof out, "a\xFF" "b\xC3"), "a?b?");
	assert_string_equal(utf8_fit(out, sizeof out, "\xED\xA0\x80"), "???"); /* a surrogate */
}

static void test_fold_keeps_other_characters(void **state)
{
	(void)state;
	assert_fold("x\xE2\x82\xAC" "y", "x\xE2\x82\xAC" "y"); /* € is kept */
	assert_fold("Ω", "Ω");                                 /* Greek: not folded */
	assert_fold("A×B", "ab");                              /* × has no letter */
	assert_fold("n°12", "n°12");
}

static void test_fold_survives_malformed_utf8(void **state)
{
	char *got;

	(void)state;
	got = text_fold("ab\xC3");
	assert_non_null(got);
	assert_memory_equal(got, "ab", 2);
	free(got);
	got = text_fold("\xC3\x28x");
	assert_non_null(got);
	free(got);
}

/* ---- exchange ids ------------------------------------------------------- */

static void test_exchange_id_charset_and_length(void **state)
{
	char id[70];

	(void)state;
	assert_true(exchange_id_valid("a"));
	assert_true(exchange_id_valid("p-1.2_x:Y"));
	assert_true(exchange_id_valid("0"));
	memset(id, 'a', 64);
	id[64] = '\0';
	assert_true(exchange_id_valid(id));
	id[64] = 'a';
	id[65] = '\0';
	assert_false(exchange_id_valid(id));
	assert_false(exchange_id_valid(""));
	assert_false(exchange_id_valid(NULL));
	assert_false(exchange_id_valid("a b"));
	assert_false(exchange_id_valid("a/b"));
	assert_false(exchange_id_valid("a\"b"));
	assert_false(exchange_id_valid("é"));
	assert_false(exchange_id_valid("a\tb"));
	assert_false(exchange_id_valid("a\nb"));
}

/* ---- NIR ---------------------------------------------------------------- */

static void test_nir_accepts_13_characters_without_key(void **state)
{
	(void)state;
	assert_null(nir_problem("1850578006048"));
	assert_null(nir_problem("2850578006048"));
}

static void test_nir_accepts_15_with_valid_key(void **state)
{
	(void)state;
	/* 97 - 1850578006048 mod 97 = 30 */
	assert_null(nir_problem("185057800604830"));
	/* A number that is a multiple of 97 has the key 97. */
	assert_null(nir_problem("185057800607897"));
}

static void test_nir_refuses_wrong_key(void **state)
{
	(void)state;
	assert_non_null(nir_problem("185057800604831"));
	assert_non_null(nir_problem("185057800604800"));
	assert_non_null(nir_problem("185057800607800"));
	assert_non_null(nir_problem("18505780060483A"));
}

static void test_nir_corsica_2a_counts_as_19(void **state)
{
	(void)state;
	/* 2A → 19: 97 - 2850519006048 mod 97 = 21 */
	assert_null(nir_problem("285052A00604821"));
	assert_null(nir_problem("285052A006048"));
	/* The key computed as if 2A were 20 is wrong. */
	assert_non_null(nir_problem("285052A00604891"));
}

static void test_nir_corsica_2b_counts_as_18(void **state)
{
	(void)state;
	/* 2B → 18: 97 - 2850518006048 mod 97 = 48 */
	assert_null(nir_problem("285052B00604848"));
	assert_non_null(nir_problem("285052B00604821"));
}

static void test_nir_letters_only_in_corsican_department(void **state)
{
	(void)state;
	assert_non_null(nir_problem("28505A2006048"));   /* 'A' before the '2' */
	assert_non_null(nir_problem("285053A006048"));   /* 3A is no department */
	assert_non_null(nir_problem("285052C006048"));
	assert_non_null(nir_problem("285052a006048"));   /* lower case */
	assert_non_null(nir_problem("1850A78006048"));
	assert_non_null(nir_problem("18505780060 8"));
}

static void test_nir_length_is_13_or_15(void **state)
{
	(void)state;
	assert_non_null(nir_problem(""));
	assert_non_null(nir_problem("185057800604"));
	assert_non_null(nir_problem("18505780060483"));
	assert_non_null(nir_problem("1850578006048300"));
}

static void test_nir_first_digit_is_a_sex_code(void **state)
{
	(void)state;
	assert_non_null(nir_problem("5850578006048"));
	assert_non_null(nir_problem("0850578006048"));
	assert_null(nir_problem("1850578006048"));
	assert_null(nir_problem("2850578006048"));
}

/* ---- SIRET -------------------------------------------------------------- */

static void test_siret_luhn_key(void **state)
{
	(void)state;
	assert_true(siret_valid("73282932000074"));
	assert_true(siret_valid("44306184100047"));
	assert_true(siret_valid("00000000000000"));
	assert_false(siret_valid("73282932000075"));
	assert_false(siret_valid("73282932000047")); /* two digits swapped */
	assert_false(siret_valid("12345678901234"));
}

static void test_siret_is_14_digits(void **state)
{
	(void)state;
	assert_false(siret_valid("7328293200007"));
	assert_false(siret_valid("732829320000740"));
	assert_false(siret_valid("732 829 320 00074"));
	assert_false(siret_valid("7328293200007A"));
	assert_false(siret_valid(""));
	assert_false(siret_valid(NULL));
}

static void test_str_starts(void **state)
{
	(void)state;
	assert_true(str_starts("/people/p-1", "/people/"));
	assert_true(str_starts("abc", ""));
	assert_true(str_starts("abc", "abc"));
	assert_false(str_starts("ab", "abc"));
	assert_false(str_starts("/peoplex", "/people/"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_accepts_well_formed_sequences),
		cmocka_unit_test(test_utf8_rejects_overlong_forms),
		cmocka_unit_test(test_utf8_rejects_surrogates_and_beyond_10ffff),
		cmocka_unit_test(test_utf8_rejects_truncated_and_stray_bytes),
		cmocka_unit_test(test_utf8_rejects_nul),
		cmocka_unit_test(test_fold_lowers_and_removes_accents),
		cmocka_unit_test(test_fold_expands_ligatures),
		cmocka_unit_test(test_fold_folds_latin_extended_a),
		cmocka_unit_test(test_fold_turns_separators_into_one_space),
		cmocka_unit_test(test_fold_makes_accented_and_plain_keys_equal),
		cmocka_unit_test(test_fold_treats_typographic_apostrophe_as_apostrophe),
		cmocka_unit_test(test_fold_keeps_other_characters),
		cmocka_unit_test(test_fit_copies_what_fits),
		cmocka_unit_test(test_fit_cuts_between_characters),
		cmocka_unit_test(test_fit_replaces_malformed_bytes),
		cmocka_unit_test(test_fold_survives_malformed_utf8),
		cmocka_unit_test(test_exchange_id_charset_and_length),
		cmocka_unit_test(test_nir_accepts_13_characters_without_key),
		cmocka_unit_test(test_nir_accepts_15_with_valid_key),
		cmocka_unit_test(test_nir_refuses_wrong_key),
		cmocka_unit_test(test_nir_corsica_2a_counts_as_19),
		cmocka_unit_test(test_nir_corsica_2b_counts_as_18),
		cmocka_unit_test(test_nir_letters_only_in_corsican_department),
		cmocka_unit_test(test_nir_length_is_13_or_15),
		cmocka_unit_test(test_nir_first_digit_is_a_sex_code),
		cmocka_unit_test(test_siret_luhn_key),
		cmocka_unit_test(test_siret_is_14_digits),
		cmocka_unit_test(test_str_starts),
	};

	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
