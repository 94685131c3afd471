/* utf8: the one UTF-8 decoder (see utf8.h). */
#include "base/utf8.h"

/* The shortest form's range for each length, and the lead bytes: C0 and C1
 * could only start overlong 2-byte forms, F5..FF would be above U+10FFFF. */
static const struct { uint32_t min; unsigned char lead_mask; } form[5] = {
	{ 0, 0 }, { 0, 0x7f }, { 0x80, 0x1f }, { 0x800, 0x0f }, { 0x10000, 0x07 },
};

/* The length a lead byte announces, 0 for a byte that cannot lead. */
static int
lead_length(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

int
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	int len;
	uint32_t v;

	if (n == 0 || (len = lead_length(s[0])) == 0)
		return 0;
	v = s[0] & form[len].lead_mask;
	for (int i = 1; i < len; i++) {
		if ((size_t)i >= n || (s[i] & 0xc0) != 0x80)
			return 0;   /* cut short, or not a continuation byte */
		v = (v << 6) | (s[i] & 0x3fu);
	}
	if (v < form[len].min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	if (cp != NULL)
		*cp = v;
	return len;
}
