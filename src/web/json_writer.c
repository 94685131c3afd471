/* json_writer: JSON output through yajl_gen into a sink (see json_writer.h). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "web/json_writer.h"
#include "base/utf8.h"

/* yajl hands every piece of output here as it makes it. */
static void
print_to_sink(void *ctx, const char *str, size_t len)
{
	sink_write(ctx, str, len);
}

int
jw_open(struct jw *w, struct sink *out, int pretty)
{
	yajl_gen g = yajl_gen_alloc(NULL);

	memset(w, 0, sizeof *w);
	w->out = out;
	if (g == NULL) {
		w->failed = 1;
		return -1;
	}
	yajl_gen_config(g, yajl_gen_print_callback, print_to_sink, (void *)out);
	/* Belt and braces: every string is cleaned before it gets here. */
	yajl_gen_config(g, yajl_gen_validate_utf8, 1);
	if (pretty) {
		yajl_gen_config(g, yajl_gen_beautify, 1);
		yajl_gen_config(g, yajl_gen_indent_string, "  ");
	}
	w->gen = g;
	return 0;
}

void
jw_close(struct jw *w)
{
	if (w->gen != NULL)
		yajl_gen_free(w->gen);
	w->gen = NULL;
}

int
jw_failed(const struct jw *w)
{
	return w->failed || w->out->failed;
}

/* Notes a call yajl refused (a writer bug: a key where a value goes). */
static void
status(struct jw *w, yajl_gen_status st)
{
	if (st != yajl_gen_status_ok)
		w->failed = 1;
}

void jw_obj(struct jw *w)     { status(w, yajl_gen_map_open(w->gen)); }
void jw_end_obj(struct jw *w) { status(w, yajl_gen_map_close(w->gen)); }
void jw_arr(struct jw *w)     { status(w, yajl_gen_array_open(w->gen)); }
void jw_end_arr(struct jw *w) { status(w, yajl_gen_array_close(w->gen)); }
void jw_null(struct jw *w)    { status(w, yajl_gen_null(w->gen)); }
void jw_bool(struct jw *w, int v) { status(w, yajl_gen_bool(w->gen, v != 0)); }

size_t
jw_utf8_clean(char *dst, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n = 0;

	while (i < len) {
		int k = utf8_decode(p + i, len - i, NULL);
		if (k > 0) {
			memcpy(dst + n, p + i, (size_t)k);
			n += (size_t)k;
			i += (size_t)k;
		} else {
			memcpy(dst + n, "\xef\xbf\xbd", 3);   /* U+FFFD */
			n += 3;
			i++;
		}
	}
	dst[n] = '\0';
	return n;
}

/* Whether s[0..len) is valid UTF-8 as it stands (the common case: no copy). */
static int
utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		int k = utf8_decode(p + i, len - i, NULL);
		if (k == 0)
			return 0;
		i += (size_t)k;
	}
	return 1;
}

void
jw_strn(struct jw *w, const char *s, size_t len)
{
	char small[256], *buf;

	if (s == NULL) {
		jw_null(w);
		return;
	}
	if (utf8_valid(s, len)) {
		status(w, yajl_gen_string(w->gen, (const unsigned char *)s, len));
		return;
	}
	/* Each bad byte grows to three. */
	if (len > (SIZE_MAX - 1) / 3) {
		w->failed = 1;
		return;
	}
	buf = 3 * len + 1 <= sizeof small ? small : malloc(3 * len + 1);
	if (buf == NULL) {
		w->failed = 1;
		return;
	}
	len = jw_utf8_clean(buf, s, len);
	status(w, yajl_gen_string(w->gen, (const unsigned char *)buf, len));
	if (buf != small)
		free(buf);
}

void
jw_str(struct jw *w, const char *s)
{
	jw_strn(w, s, s != NULL ? strlen(s) : 0);
}

void
jw_int(struct jw *w, long long v)
{
	if (v == JW_NONE)
		jw_null(w);
	else
		status(w, yajl_gen_integer(w->gen, v));
}

void
jw_format_double(double v, char *buf, size_t len)
{
	/* Any decimal of up to 15 significant digits survives the trip
	 * through a double (DBL_DIG), so %.15g is the shortest form whenever
	 * one of up to 15 digits reads back exactly; past that, 16 or 17.
	 * Three tries at most instead of one per digit: an average or a rate
	 * needs 17, and a series has thousands of them. */
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, len, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

void
jw_num(struct jw *w, double v)
{
	char buf[32];

	if (!isfinite(v)) {
		jw_null(w);
		return;
	}
	jw_format_double(v, buf, sizeof buf);
	status(w, yajl_gen_number(w->gen, buf, strlen(buf)));
}

/* JSON's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static int
json_number(const char *s)
{
	const char *p = s;

	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (*p >= '0' && *p <= '9')
			p++;
	else
		return 0;
	if (*p == '.') {
		if (*++p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (*p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

void
jw_num_text(struct jw *w, const char *text)
{
	if (text == NULL || !json_number(text))
		jw_null(w);
	else
		status(w, yajl_gen_number(w->gen, text, strlen(text)));
}

void
jw_key(struct jw *w, const char *key)
{
	jw_str(w, key);
}

void
jw_kstr(struct jw *w, const char *key, const char *s)
{
	jw_key(w, key);
	jw_str(w, s);
}

void
jw_kint(struct jw *w, const char *key, long long v)
{
	jw_key(w, key);
	jw_int(w, v);
}

void
jw_knum(struct jw *w, const char *key, double v)
{
	jw_key(w, key);
	jw_num(w, v);
}
