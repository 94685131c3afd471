/* escape: context escapers (see escape.h). */
#include <string.h>

#include "web/escape.h"

void
esc_html_n(struct sink *s, const char *str, size_t len)
{
	const char *start = str, *end = str + len, *p;

	/* Copy runs of safe bytes in one write; this is on every page's hot path. */
	for (p = str; p < end; p++) {
		const char *rep;
		switch (*p) {
		case '&':  rep = "&amp;";  break;
		case '<':  rep = "&lt;";   break;
		case '>':  rep = "&gt;";   break;
		case '"':  rep = "&quot;"; break;
		case '\'': rep = "&#39;";  break;
		default:   continue;
		}
		sink_write(s, start, (size_t)(p - start));
		sink_puts(s, rep);
		start = p + 1;
	}
	sink_write(s, start, (size_t)(end - start));
}

void
esc_html(struct sink *s, const char *str)
{
	if (str != NULL)
		esc_html_n(s, str, strlen(str));
}

static int
is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
}

void
esc_url(struct sink *s, const char *str)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p, *run;
	char enc[3] = { '%', 0, 0 };

	if (str == NULL)
		return;
	/* Runs of unreserved bytes in one write, as esc_html_n does. */
	for (p = run = (const unsigned char *)str; *p; p++) {
		if (is_unreserved(*p))
			continue;
		sink_write(s, (const char *)run, (size_t)(p - run));
		enc[1] = hex[*p >> 4];
		enc[2] = hex[*p & 15];
		sink_write(s, enc, 3);
		run = p + 1;
	}
	sink_write(s, (const char *)run, (size_t)(p - run));
}

void
esc_header_filename(struct sink *s, const char *str)
{
	const unsigned char *p;

	if (str == NULL)
		return;
	for (p = (const unsigned char *)str; *p; p++) {
		char c = (char)*p;
		if (!(is_unreserved(*p) && *p != '~'))
			c = '_';
		sink_write(s, &c, 1);
	}
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

long
url_decode(char *dst, const char *src, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		char c = src[i];
		if (c == '+')
			c = ' ';
		else if (c == '%') {
			int hi, lo;
			if (i + 2 >= len || (hi = hexval(src[i + 1])) < 0 ||
			    (lo = hexval(src[i + 2])) < 0)
				return -1;
			c = (char)(hi * 16 + lo);
			i += 2;
		}
		if (c == '\0')
			return -1;
		dst[n++] = c;
	}
	dst[n] = '\0';
	return (long)n;
}
