/* fuzz_slug: URL path segments from place names (src/base/slug.c); the names
 * come from the daily reports, so any bytes.
 *
 * Invariants: a slug has only [a-z0-9-], no '-' at either end and never two
 * in a row; it fits the buffer and its length is returned; a slug of a slug
 * is itself; a smaller buffer gives a prefix of the whole slug; a name with
 * an ASCII letter or digit never has an empty slug. */
#include "fuzz.h"

#include "base/slug.h"

enum { BIG = 4096 };

static void
check_shape(const char *out, size_t len, size_t outsz)
{
	FUZZ_CHECK(len < outsz && strlen(out) == len);
	FUZZ_CHECK(fuzz_only(out, len, FUZZ_LOWER FUZZ_DIGITS "-"));
	if (len > 0)
		FUZZ_CHECK(out[0] != '-' && out[len - 1] != '-');
	FUZZ_CHECK(strstr(out, "--") == NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *name, *whole, *cut, *again;
	size_t len, cutsz, cutlen;
	int has_alnum = 0;

	if (size < 1 || size > BIG / 4)   /* a fold is at most 2 bytes per 2 */
		return 0;
	cutsz = data[0];                  /* 0..255: also 0 and 1 */
	name = fuzz_strndup(data + 1, size - 1);
	whole = malloc(BIG);
	cut = malloc(cutsz + 1);
	again = malloc(BIG);
	FUZZ_CHECK(whole && cut && again);

	len = slug_segment(name, whole, BIG);
	check_shape(whole, len, BIG);
	for (const char *p = name; *p; p++)
		has_alnum |= (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9');
	if (has_alnum)
		FUZZ_CHECK(len > 0);

	FUZZ_CHECK(slug_segment(whole, again, BIG) == len);
	FUZZ_CHECK(strcmp(again, whole) == 0);

	cut[0] = 'x';
	cutlen = slug_segment(name, cut, cutsz);
	if (cutsz == 0) {
		FUZZ_CHECK(cutlen == 0 && cut[0] == 'x');   /* nothing written */
	} else {
		check_shape(cut, cutlen, cutsz);
		FUZZ_CHECK(cutlen <= len && memcmp(cut, whole, cutlen) == 0);
		FUZZ_CHECK(cutlen == len || whole[cutlen] == '-' ||
		    cutsz - 1 - cutlen < 2);   /* cut where a letter would not fit */
		if (has_alnum && cutsz >= 3)
			FUZZ_CHECK(cutlen > 0);
	}
	free(name);
	free(whole);
	free(cut);
	free(again);
	return 0;
}
