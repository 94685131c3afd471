/* jhu_text: the text rules of JHU's CSV files (jhu_text.h). */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/utf8.h"
#include "ingest/jhu_text.h"

int
jhu_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
	    c == '\v' || c == '\f';
}

char *
jhu_trim(char *s)
{
	char *e;

	while (jhu_is_space(*s))
		s++;
	e = s + strlen(s);
	while (e > s && jhu_is_space(e[-1]))
		e--;
	if (*e != '\0')
		*e = '\0';
	return s;
}

void
jhu_seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

const char *
jhu_clip(const char *s, size_t len, char *out, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, o = 0, k;

	len = strnlen(s, len);
	while (i < len) {
		k = (size_t)utf8_decode(u + i, len - i, NULL);
		if (o + (k ? k : 1) + 4 > n && i + (k ? k : 1) < len) {
			memcpy(out + o, "...", 3);   /* more follows */
			o += 3;
			break;
		}
		if (o + (k ? k : 1) + 1 > n)
			break;
		if (k == 0 || u[i] < 0x20 || u[i] == 0x7f) {
			out[o++] = '?';
			i += k ? k : 1;
		} else {
			memcpy(out + o, s + i, k);
			o += k;
			i += k;
		}
	}
	out[o] = '\0';
	return out;
}

const char *
jhu_first_line(const char *buf, size_t len, char *out, size_t n)
{
	size_t i = 0, e;

	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	for (e = i; e < len && buf[e] != '\n' && buf[e] != '\r'; e++)
		;
	return jhu_clip(buf + i, e - i, out, n);
}

int
jhu_whole(const char *s, unsigned rules, long long *out)
{
	unsigned long long v = 0, limit = (unsigned long long)LLONG_MAX;
	int neg = 0, digits = 0;

	if (*s == '\0')
		return 0;
	if (*s == '-' || (*s == '+' && (rules & JHU_WHOLE_PLUS))) {
		neg = *s++ == '-';
		if (neg)
			limit++;   /* LLONG_MIN has one more */
	}
	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		unsigned d = (unsigned)(*s - '0');

		if (v > (limit - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (digits == 0)
		return -1;
	if ((rules & JHU_WHOLE_ZERO_FRACTION) && *s == '.')
		for (s++; *s == '0'; s++)
			;
	if (*s != '\0')
		return -1;
	/* -(LLONG_MIN) does not fit, so negate in unsigned arithmetic. */
	*out = neg ? (long long)(0 - v) : (long long)v;
	return 1;
}

int
jhu_fips(const char *s, int us, int county, char out[16])
{
	size_t n, width;
	const char *z;

	for (n = 0; s[n] >= '0' && s[n] <= '9'; n++)
		if (n == 10)
			return -1;
	z = s + n;
	if (*z == '.' && n > 0)
		for (z++; *z == '0'; z++)
			;
	if (*z != '\0')
		return -1;
	width = n == 0 || !us ? 0 : county ? 5 : 2;
	if (n < width) {
		memset(out, '0', width - n);
		memcpy(out + (width - n), s, n);
		out[width] = '\0';
	} else {
		memcpy(out, s, n);
		out[n] = '\0';
	}
	return 0;
}
