/* numfmt: thousands separators and fixed decimals (see numfmt.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/numfmt.h"

/* Copies the ndigits-byte digit string into buf with a ',' every three
 * digits from the right, after an optional '-' and before an optional
 * suffix (".57"); "" if it does not fit. */
static void
group(char *buf, size_t buflen, int neg, const char *digits, size_t ndigits,
    const char *suffix)
{
	size_t need, i, o = 0, slen = strlen(suffix);

	need = (neg ? 1 : 0) + ndigits + (ndigits - 1) / 3 + slen + 1;
	if (buflen == 0)
		return;
	if (need > buflen) {
		buf[0] = '\0';
		return;
	}
	if (neg)
		buf[o++] = '-';
	for (i = 0; i < ndigits; i++) {
		if (i > 0 && (ndigits - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	memcpy(buf + o, suffix, slen + 1);
}

size_t
fmt_uint(char *buf, unsigned long long v)
{
	size_t len = 1;
	char *p;

	for (unsigned long long q = v; q >= 10; q /= 10)
		len++;
	p = buf + len;
	*p = '\0';
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	return len;
}

size_t
fmt_int(char *buf, long long v)
{
	if (v >= 0)
		return fmt_uint(buf, (unsigned long long)v);
	/* Negated as unsigned, so LLONG_MIN's magnitude is representable. */
	buf[0] = '-';
	return 1 + fmt_uint(buf + 1, 0ULL - (unsigned long long)v);
}

size_t
fmt_uint_padded(char *buf, unsigned long long v, size_t width)
{
	for (size_t i = width; i > 0; i--) {
		buf[i - 1] = (char)('0' + v % 10);
		v /= 10;
	}
	return width;
}

void
fmt_thousands(char *buf, size_t len, long long v)
{
	char digits[FMT_INT_MAX];
	size_t n = fmt_int(digits, v), neg = v < 0;

	group(buf, len, (int)neg, digits + neg, n - neg, "");
}

void
fmt_decimal(char *buf, size_t len, double v, int decimals)
{
	/* DBL_MAX is 309 integer digits; 20 decimals; sign and NUL. */
	char tmp[352];
	const char *p, *dot;
	int n, neg;

	if (len == 0)
		return;
	buf[0] = '\0';
	if (!isfinite(v))
		return;
	if (decimals < 0)
		decimals = 0;
	if (decimals > 20)
		decimals = 20;
	/* printf does the rounding (exactly, from the binary value); we only
	 * insert the separators. The portal never calls setlocale, so the
	 * decimal point is '.'. */
	n = snprintf(tmp, sizeof tmp, "%.*f", decimals, fabs(v));
	if (n < 0 || (size_t)n >= sizeof tmp)
		return;
	/* The sign only if something non-zero is left after rounding. */
	neg = signbit(v) && strspn(tmp, "0.") != (size_t)n;
	dot = strchr(tmp, '.');
	p = dot ? dot : tmp + n;
	group(buf, len, neg, tmp, (size_t)(p - tmp), p);
}
