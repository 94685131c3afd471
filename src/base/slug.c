/* slug: place names to URL path segments (see slug.h). */
#include <stddef.h>
#include <string.h>

#include "base/slug.h"
#include "base/utf8.h"

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

/* Decodes the code point at s[0..len) (advancing *n bytes); -1 for a byte
 * that does not start a valid sequence (then *n = 1), which folds to a
 * separator: an overlong "A" (C1 81) is not a letter. */
static long
utf8_next(const unsigned char *s, size_t len, size_t *n)
{
	uint32_t cp;
	int k = utf8_decode(s, len, &cp);

	if (k == 0) {
		*n = 1;
		return -1;
	}
	*n = (size_t)k;
	return (long)cp;
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
	const unsigned char *end = s + strlen(name);
	size_t len = 0, n, k;
	int dash = 0;   /* a separator is pending */
	char buf[2];

	if (outsz == 0)
		return 0;
	while (*s != '\0') {
		const char *f = fold(utf8_next(s, (size_t)(end - s), &n), buf);
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
