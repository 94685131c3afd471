/* test_utf8: utf8_decode at the boundaries of Markus Kuhn's "UTF-8 decoder
 * capability and stress test": the first and last code point of each
 * length, the edges around the surrogates, overlong forms (of '/', of NUL,
 * the largest ones), surrogates alone and paired, code points above
 * U+10FFFF, bytes that cannot lead, sequences cut short by n, by a NUL or by
 * a byte that is not a continuation. */
#include <string.h>

#include "base/utf8.h"
#include "check.h"

/* The bytes of a C string literal without its NUL. */
#define B(lit) (const unsigned char *)(lit), sizeof(lit) - 1

static int
valid(const unsigned char *s, size_t n, int want_len, uint32_t want_cp)
{
	uint32_t cp = 0xdeadbeef;

	return utf8_decode(s, n, &cp) == want_len && cp == want_cp;
}

static int
invalid(const unsigned char *s, size_t n)
{
	uint32_t cp = 0xdeadbeef;

	/* 0, and *cp left alone */
	return utf8_decode(s, n, &cp) == 0 && cp == 0xdeadbeef;
}

int
main(void)
{
	/* First and last code point of each length. */
	CHECK(valid(B("\x00"), 1, 0x0000));
	CHECK(valid(B("\x7f"), 1, 0x007f));
	CHECK(valid(B("\xc2\x80"), 2, 0x0080));
	CHECK(valid(B("\xdf\xbf"), 2, 0x07ff));
	CHECK(valid(B("\xe0\xa0\x80"), 3, 0x0800));
	CHECK(valid(B("\xef\xbf\xbf"), 3, 0xffff));
	CHECK(valid(B("\xf0\x90\x80\x80"), 4, 0x10000));
	CHECK(valid(B("\xf4\x8f\xbf\xbf"), 4, 0x10ffff));
	/* Around the surrogates, and a few ordinary characters. */
	CHECK(valid(B("\xed\x9f\xbf"), 3, 0xd7ff));
	CHECK(valid(B("\xee\x80\x80"), 3, 0xe000));
	CHECK(valid(B("\xef\xbf\xbd"), 3, 0xfffd));
	CHECK(valid(B("\xc3\xb1"), 2, 0x00f1));            /* n tilde */
	CHECK(valid(B("\xe2\x82\xac"), 3, 0x20ac));        /* euro sign */
	CHECK(valid(B("\xf0\x9f\x98\x80"), 4, 0x1f600));
	/* Only the first sequence is decoded. */
	CHECK(valid(B("a\xc3\xb1"), 1, 'a'));
	CHECK(valid(B("\xc3\xb1z"), 2, 0x00f1));
	/* cp may be NULL. */
	CHECK_INT(utf8_decode(B("\xe2\x82\xac"), NULL), 3);

	/* Overlong forms: '/' in 2, 3 and 4 bytes, NUL, the largest ones. */
	CHECK(invalid(B("\xc0\xaf")));
	CHECK(invalid(B("\xe0\x80\xaf")));
	CHECK(invalid(B("\xf0\x80\x80\xaf")));
	CHECK(invalid(B("\xc0\x80")));
	CHECK(invalid(B("\xe0\x80\x80")));
	CHECK(invalid(B("\xc1\xbf")));
	CHECK(invalid(B("\xe0\x9f\xbf")));
	CHECK(invalid(B("\xf0\x8f\xbf\xbf")));
	/* Surrogates, alone and as a pair. */
	CHECK(invalid(B("\xed\xa0\x80")));
	CHECK(invalid(B("\xed\xad\xbf")));
	CHECK(invalid(B("\xed\xb0\x80")));
	CHECK(invalid(B("\xed\xbf\xbf")));
	CHECK(invalid(B("\xed\xa0\x80\xed\xb0\x80")));
	/* Above U+10FFFF, and the 5- and 6-byte forms. */
	CHECK(invalid(B("\xf4\x90\x80\x80")));
	CHECK(invalid(B("\xf7\xbf\xbf\xbf")));
	CHECK(invalid(B("\xf5\x80\x80\x80")));
	CHECK(invalid(B("\xf8\x88\x80\x80\x80")));
	CHECK(invalid(B("\xfc\x84\x80\x80\x80\x80")));
	CHECK(invalid(B("\xfe")));
	CHECK(invalid(B("\xff")));
	/* A continuation byte cannot start a sequence. */
	CHECK(invalid(B("\x80")));
	CHECK(invalid(B("\xbf")));
	/* Cut short: by n, by a NUL, by a byte that does not continue. */
	CHECK(invalid(B("\xc2")));
	CHECK(invalid(B("\xe0\xa0")));
	CHECK(invalid(B("\xf0\x90\x80")));
	CHECK(invalid((const unsigned char *)"\xc3\xb1", 1));
	CHECK(invalid((const unsigned char *)"\xf0\x9f\x98\x80", 3));
	CHECK(invalid((const unsigned char *)"\xe2\x82\0\xac", 4));
	CHECK(invalid(B("\xc2\x41")));
	CHECK(invalid(B("\xe0\xa0\x41")));
	CHECK(invalid(B("\xf0\x90\xc2\x80")));
	CHECK(invalid((const unsigned char *)"a", 0));
	return check_exit();
}
