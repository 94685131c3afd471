/* sink: output destinations (see sink.h). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/numfmt.h"
#include "base/sink.h"

void
sink_write(struct sink *s, const char *buf, size_t len)
{
	if (s->failed || len == 0)
		return;
	if (s->write(s->ctx, buf, len) != 0)
		s->failed = 1;
	else
		s->bytes += len;
}

void
sink_puts(struct sink *s, const char *str)
{
	sink_write(s, str, strlen(str));
}

void
sink_printf(struct sink *s, const char *fmt, ...)
{
	char small[512], *big;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		s->failed = 1;
		return;
	}
	if ((size_t)n < sizeof small) {
		sink_write(s, small, (size_t)n);
		return;
	}
	/* Rare: longer than the stack buffer. */
	if ((big = malloc((size_t)n + 1)) == NULL) {
		s->failed = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sink_write(s, big, (size_t)n);
	free(big);
}

void
sink_int(struct sink *s, long long v)
{
	char buf[FMT_INT_MAX];

	sink_write(s, buf, fmt_int(buf, v));
}

static int
membuf_write(void *ctx, const char *buf, size_t len)
{
	struct membuf *b = ctx;

	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;
		while (cap < b->len + len + 1)
			cap *= 2;
		if ((p = realloc(b->data, cap)) == NULL)
			return -1;
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, buf, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

struct sink
membuf_sink(struct membuf *b)
{
	struct sink s = { membuf_write, b, 0, 0 };
	return s;
}

void
membuf_free(struct membuf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

static int
file_write(void *ctx, const char *buf, size_t len)
{
	return fwrite(buf, 1, len, ctx) == len ? 0 : -1;
}

struct sink
file_sink(FILE *fp)
{
	struct sink s = { file_write, fp, 0, 0 };
	return s;
}
