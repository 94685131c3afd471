/* sink: where output goes. Pages, charts, CSV and templates all write to a
 * sink, so the same code renders into a FastCGI stream, a memory buffer (for
 * tests and caches) or a FILE. A sink remembers its first failure: callers
 * write freely and check sink->failed once at the end. */
#ifndef COVID_SINK_H
#define COVID_SINK_H

#include <stddef.h>
#include <stdio.h>

struct sink {
	/* Writes len bytes; returns 0, or -1 on failure. */
	int   (*write)(void *ctx, const char *buf, size_t len);
	void   *ctx;
	int     failed;
	size_t  bytes;      /* total written, for metrics and tests */
};

void sink_write(struct sink *s, const char *buf, size_t len);
void sink_puts(struct sink *s, const char *str);
void sink_printf(struct sink *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* v in decimal ("-12"): what sink_printf("%lld") writes, without printf's
 * cost, for numbers written on every request. */
void sink_int(struct sink *s, long long v);

/* A growable memory buffer; always NUL-terminated after a write. */
struct membuf {
	char   *data;
	size_t  len, cap;
};
/* A sink writing into b (which must start zeroed or be reused). */
struct sink membuf_sink(struct membuf *b);
void membuf_free(struct membuf *b);

/* A sink writing into a stdio stream. */
struct sink file_sink(FILE *fp);

#endif
