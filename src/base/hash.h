/* hash: FNV-1a, 32 bits: a fast, stable hash of bytes for hash tables and
 * for short ids that must stay the same from one run to the next (the
 * store's slug suffixes, chart ids, the templates' build id). Not for
 * anything an attacker chooses to collide: that is sha256's job. */
#ifndef COVID_HASH_H
#define COVID_HASH_H

#include <stddef.h>
#include <stdint.h>

/* FNV-1a's offset basis: the hash of no bytes. */
#define FNV1A32_INIT 2166136261u

/* The FNV-1a hash of n bytes at p. */
uint32_t fnv1a32(const void *p, size_t n);
/* h carried on over n more bytes: fnv1a32_more(fnv1a32(a, na), b, nb) is the
 * hash of a and b one after the other. */
uint32_t fnv1a32_more(uint32_t h, const void *p, size_t n);

#endif
