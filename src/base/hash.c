/* hash: FNV-1a, 32 bits (see hash.h). */
#include "base/hash.h"

#define FNV1A32_PRIME 16777619u

uint32_t
fnv1a32_more(uint32_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * FNV1A32_PRIME;
	return h;
}

uint32_t
fnv1a32(const void *p, size_t n)
{
	return fnv1a32_more(FNV1A32_INIT, p, n);
}
