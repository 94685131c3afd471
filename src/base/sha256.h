/* sha256: FIPS 180-4 SHA-256, small and dependency-free; used to tell a
 * changed daily report from an unchanged one. */
#ifndef COVID_SHA256_H
#define COVID_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len;
	unsigned char buf[64];
	size_t used;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t len);
void sha256_final(struct sha256 *c, unsigned char out[32]);
/* Hex digest of data, NUL-terminated. */
void sha256_hex(const void *data, size_t len, char out[65]);

#endif
