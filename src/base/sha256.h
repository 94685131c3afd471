/* sha256: SHA-256 digests, to tell a changed daily report from an unchanged
 * one and to name cached files. OpenSSL's EVP interface does the work:
 * libcrypto is loaded in every program already (through libcurl and
 * libxlsxwriter), so a copy of the algorithm here would be code to keep for
 * nothing. */
#ifndef COVID_SHA256_H
#define COVID_SHA256_H

#include <stddef.h>

/* The digest of data: 0, or -1 when libcrypto could not (out of memory). */
int sha256(const void *data, size_t len, unsigned char out[32]);
/* The same as 64 lower-case hex digits, NUL-terminated. */
int sha256_hex(const void *data, size_t len, char out[65]);

/* The digest of bytes that arrive in pieces (a download): sha256_begin, then
 * sha256_add for each piece, then sha256_end, which also frees the state
 * (sha256_abandon frees it without a digest). begin gives NULL and add and
 * end -1 when libcrypto could not; end frees the state in every case. */
struct sha256_stream;
struct sha256_stream *sha256_begin(void);
int  sha256_add(struct sha256_stream *s, const void *data, size_t len);
int  sha256_end_hex(struct sha256_stream *s, char out[65]);
void sha256_abandon(struct sha256_stream *s);

#endif
