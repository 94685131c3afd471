/* test_hash: FNV-1a 32-bit against the published test vectors (Landon Curt
 * Noll's FNV page, the "foobar" series), a NUL byte counted as a byte, and
 * fnv1a32_more carrying a hash over pieces to the one-shot value. */
#include <string.h>

#include "base/hash.h"
#include "check.h"

int
main(void)
{
	static const struct { const char *s; uint32_t h; } v[] = {
		{ "", 0x811c9dc5u },
		{ "a", 0xe40c292cu },
		{ "b", 0xe70c2de5u },
		{ "f", 0xe30c2799u },
		{ "fo", 0x6222e842u },
		{ "foo", 0xa9f37ed7u },
		{ "foob", 0x3f5076efu },
		{ "fooba", 0x39aaa18au },
		{ "foobar", 0xbf9cf968u },
	};
	size_t i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++)
		CHECK_INT(fnv1a32(v[i].s, strlen(v[i].s)), v[i].h);

	/* A NUL is a byte like any other (the store hashes "c\0p\0a" keys). */
	CHECK_INT(fnv1a32("\0", 1), 0x050c5d1fu);
	CHECK(fnv1a32("a\0b", 3) != fnv1a32("ab", 2));

	CHECK_INT(FNV1A32_INIT, fnv1a32("", 0));
	CHECK_INT(fnv1a32_more(FNV1A32_INIT, "foobar", 6), 0xbf9cf968u);
	CHECK_INT(fnv1a32_more(fnv1a32("foo", 3), "bar", 3), 0xbf9cf968u);
	CHECK_INT(fnv1a32_more(fnv1a32_more(fnv1a32("f", 1), "oob", 3), "ar", 2),
	    0xbf9cf968u);
	CHECK_INT(fnv1a32_more(0x12345678u, "", 0), 0x12345678u);
	/* Bytes above 0x7f are not sign-extended. */
	CHECK_INT(fnv1a32("\xff", 1), (0x811c9dc5u ^ 0xffu) * 16777619u);
	return check_exit();
}
