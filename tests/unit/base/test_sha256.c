/* test_sha256: the NIST FIPS 180-4 example vectors (CSRC "Examples with
 * Intermediate Values", SHA256.pdf / SHA2_Additional.pdf) through
 * sha256_hex, and sha256's raw digest agreeing with it. */
#include <stdlib.h>
#include <string.h>

#include "base/sha256.h"
#include "check.h"

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
		CHECK(sha256_hex(v[i].msg, strlen(v[i].msg), got) == 0);
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
			CHECK(sha256_hex(a, n, got) == 0);
			CHECK_STR(got, want);
			free(a);
		}
	}

	/* The same million 'a' as a download brings them: uneven pieces. */
	{
		static const char *want =
		    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
		char piece[997];
		struct sha256_stream *s = sha256_begin();
		size_t left = 1000000, k;

		CHECK(s != NULL);
		if (s != NULL) {
			memset(piece, 'a', sizeof piece);
			for (; left > 0; left -= k) {
				k = left < sizeof piece ? left : sizeof piece;
				CHECK(sha256_add(s, piece, k) == 0);
			}
			CHECK(sha256_end_hex(s, got) == 0);
			CHECK_STR(got, want);
		}
	}

	/* The raw digest is the hex one's bytes ("abc": ba 78 16 bf ... ad). */
	{
		unsigned char d[32];

		CHECK(sha256("abc", 3, d) == 0);
		CHECK(d[0] == 0xba && d[1] == 0x78 && d[31] == 0xad);
	}
	return check_exit();
}
