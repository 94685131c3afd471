/* sha256: SHA-256 through OpenSSL's EVP digest (see sha256.h). */
#include <stdlib.h>

#include <openssl/evp.h>

#include "base/sha256.h"

int
sha256(const void *data, size_t len, unsigned char out[32])
{
	unsigned int n = 0;

	if (EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) != 1 || n != 32)
		return -1;
	return 0;
}

static void
to_hex(const unsigned char d[32], char out[65])
{
	static const char hex[] = "0123456789abcdef";

	for (int i = 0; i < 32; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[64] = '\0';
}

int
sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char d[32];

	if (sha256(data, len, d) != 0) {
		out[0] = '\0';
		return -1;
	}
	to_hex(d, out);
	return 0;
}

struct sha256_stream {
	EVP_MD_CTX *ctx;
};

struct sha256_stream *
sha256_begin(void)
{
	struct sha256_stream *s = malloc(sizeof *s);

	if (s == NULL)
		return NULL;
	if ((s->ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(s->ctx, EVP_sha256(), NULL) != 1) {
		sha256_abandon(s);
		return NULL;
	}
	return s;
}

int
sha256_add(struct sha256_stream *s, const void *data, size_t len)
{
	return EVP_DigestUpdate(s->ctx, data, len) == 1 ? 0 : -1;
}

int
sha256_end_hex(struct sha256_stream *s, char out[65])
{
	unsigned char d[32];
	unsigned int n = 0;
	int ok = EVP_DigestFinal_ex(s->ctx, d, &n) == 1 && n == 32;

	sha256_abandon(s);
	out[0] = '\0';
	if (!ok)
		return -1;
	to_hex(d, out);
	return 0;
}

void
sha256_abandon(struct sha256_stream *s)
{
	if (s == NULL)
		return;
	EVP_MD_CTX_free(s->ctx);
	free(s);
}
