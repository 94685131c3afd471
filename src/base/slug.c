/* slug: place names to URL path segments (see slug.h). */
#include <stddef.h>

#include "base/slug.h"

/* U+00C0..U+00FF folded; NULL is a separator (the multiplication and
 * division signs). */
static const char *const latin1[64] = {
	"a", "a", "a", "a", "a", "a", "ae", "c",          /* C0 */
	"e", "e", "e", "e", "i", "i", "i", "i",           /* C8 */
	"d", "n", "o", "o", "o", "o", "o", NULL,          /* D0 */
	"o", "u", "u", "u", "u", "y", "th", "ss",         /* D8 */
	"a", "a", "a", "a", "a", "a", "ae", "c",          /* E0 */
	"e", "e", "e", "e", "i", "i", "i", "i",           /* E8 */
	"d", "n", "o", "o", "o", "o", "o", NULL,          /* F0 */
	"o", "u", "u", "u", "u", "y", "th", "y",          /* F8 */
};

/* U+0100..U+017F (Latin Extended-A): one base letter per code point, in
 * order; '1' stands for "ij" (U+0132/3) and '2' for "oe" (U+0152/3). */
static const char latin_ext_a[] =
	"aaaaaa" "cccccccc" "dddd" "eeeeeeeeee" "gggggggg" "hhhh"
	"iiiiiiiiii" "11" "jj" "kkk" "llllllllll" "nnnnnnnnn" "oooooo" "22"
	"rrrrrr" "ssssssss" "tttttt" "uuuuuuuuuuuu" "ww" "yyy" "zzzzzz" "s";

/* Decodes the code point at s (advancing *n bytes); -1 for a byte that does
 * not start a valid sequence (then *n = 1). Only 2-byte sequences are ever
 * folded, so longer ones are merely skipped whole. */
static long
utf8_next(const unsigned char *s, size_t *n)
{
	size_t len, i;
	long cp;

	if (s[0] < 0x80) {
		*n = 1;
		return s[0];
	}
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		*n = 1;
		return -1;
	}
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*n = 1;
			return -1;
		}
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	*n = len;
	return cp;
}

/* What code point cp contributes: a folded ASCII string, or NULL for a
 * separator. buf holds a single ASCII character. */
static const char *
fold(long cp, char buf[2])
{
	if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
		buf[0] = (char)cp;
		buf[1] = '\0';
		return buf;
	}
	if (cp >= 'A' && cp <= 'Z') {
		buf[0] = (char)(cp - 'A' + 'a');
		buf[1] = '\0';
		return buf;
	}
	if (cp >= 0xc0 && cp <= 0xff)
		return latin1[cp - 0xc0];
	if (cp >= 0x100 && cp <= 0x17f) {
		char c = latin_ext_a[cp - 0x100];
		if (c == '1')
			return "ij";
		if (c == '2')
			return "oe";
		buf[0] = c;
		buf[1] = '\0';
		return buf;
	}
	return NULL;
}

size_t
slug_segment(const char *name, char *out, size_t outsz)
{
	const unsigned char *s = (const unsigned char *)name;
	size_t len = 0, n, k;
	int dash = 0;   /* a separator is pending */
	char buf[2];

	if (outsz == 0)
		return 0;
	while (*s != '\0') {
		const char *f = fold(utf8_next(s, &n), buf);
		s += n;
		if (f == NULL) {
			dash = len > 0;
			continue;
		}
		k = 0;
		while (f[k] != '\0')
			k++;
		/* The pending dash and the whole folded letter fit, or stop. */
		if (len + (size_t)dash + k > outsz - 1)
			break;
		if (dash)
			out[len++] = '-';
		dash = 0;
		for (size_t i = 0; i < k; i++)
			out[len++] = f[i];
	}
	out[len] = '\0';
	return len;
}
