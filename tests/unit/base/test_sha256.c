/* test_sha256: the NIST FIPS 180-4 example vectors (CSRC "Examples with
 * Intermediate Values", SHA256.pdf / SHA2_Additional.pdf), one-shot and fed in
 * uneven pieces so every buffering path of sha256_update runs. */
#include <stdlib.h>
#include <string.h>

#include "base/sha256.h"
#include "check.h"

static void
hex_of(const unsigned char d[32], char out[65])
{
	static const char hex[] = "0123456789abcdef";

	for (int i = 0; i < 32; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[64] = '\0';
}

/* Hashes data in pieces of 1, 2, 3, ... 130 bytes, cycling. */
static void
pieces_hex(const char *data, size_t len, char out[65])
{
	struct sha256 c;
	unsigned char d[32];
	size_t off = 0, step = 1;

	sha256_init(&c);
	while (off < len) {
		size_t n = step < len - off ? step : len - off;
		sha256_update(&c, data + off, n);
		off += n;
		step = step % 130 + 1;
	}
	sha256_final(&c, d);
	hex_of(d, out);
}

int
main(void)
{
	static const struct { const char *msg, *digest; } v[] = {
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		/* 448 bits: padding needs a second block */
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
		/* 896 bits */
		{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
		  "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
		  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	};
	char got[65];
	size_t i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		sha256_hex(v[i].msg, strlen(v[i].msg), got);
		CHECK_STR(got, v[i].digest);
		pieces_hex(v[i].msg, strlen(v[i].msg), got);
		CHECK_STR(got, v[i].digest);
	}

	/* One million 'a' (NIST), one-shot and in pieces. */
	{
		static const char *want =
		    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
		size_t n = 1000000;
		char *a = malloc(n);

		CHECK(a != NULL);
		if (a != NULL) {
			memset(a, 'a', n);
			sha256_hex(a, n, got);
			CHECK_STR(got, want);
			pieces_hex(a, n, got);
			CHECK_STR(got, want);
			free(a);
		}
	}

	/* Lengths around the padding boundary (55, 56, 63, 64, 65 bytes) must
	 * agree between one-shot and piecewise hashing, and differ from each
	 * other. */
	{
		char buf[65], one[65], prev[65] = "";
		size_t lens[] = { 55, 56, 63, 64, 65 };

		memset(buf, 'x', sizeof buf);
		for (i = 0; i < sizeof lens / sizeof lens[0]; i++) {
			sha256_hex(buf, lens[i], one);
			pieces_hex(buf, lens[i], got);
			CHECK_STR(got, one);
			CHECK(strcmp(one, prev) != 0);
			memcpy(prev, one, sizeof prev);
		}
	}
	return check_exit();
}
