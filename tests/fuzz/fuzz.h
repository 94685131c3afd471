/* fuzz.h: what every libFuzzer harness in tests/fuzz shares.
 *
 * A harness is LLVMFuzzerTestOneInput() over one parser of outside input.
 * Besides the sanitizers' own findings (ASan, UBSan), FUZZ_CHECK asserts an
 * invariant the parser promises; a broken one aborts, which libFuzzer
 * reports as a crash and saves the input (see tests/fuzz/fuzz.mk). */
#ifndef COVID_FUZZ_H
#define COVID_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "fuzz invariant broken: %s:%d: %s\n", \
		    __FILE__, __LINE__, #cond); \
		abort(); \
	} \
} while (0)

/* data[0..size) as a NUL-terminated string on the heap (ASan sees reads
 * past its end). The caller frees it. */
static inline char *
fuzz_strndup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	FUZZ_CHECK(s != NULL);
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Whether every byte of s[0..len) is in the set allowed. */
static inline int
fuzz_only(const char *s, size_t len, const char *allowed)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\0' || strchr(allowed, s[i]) == NULL)
			return 0;
	return 1;
}

#define FUZZ_LOWER  "abcdefghijklmnopqrstuvwxyz"
#define FUZZ_UPPER  "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define FUZZ_DIGITS "0123456789"

#endif
