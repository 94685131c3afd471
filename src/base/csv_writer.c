/* csv_writer: RFC 4180 fields with a formula-injection guard (see csv_writer.h). */
#include <string.h>

#include "base/csv_writer.h"

void
csvw_init(struct csv_writer *w, struct sink *out, int crlf)
{
	w->out = out;
	w->eol = crlf ? "\r\n" : "\n";
	w->eol_len = crlf ? 2 : 1;
	w->nfield = 0;
}

int
csvw_needs_guard(const char *s, size_t len)
{
	if (len == 0)
		return 0;
	switch (s[0]) {
	case '=': case '+': case '-': case '@': case '\t': case '\r': case '\n':
		return 1;
	default:
		return 0;
	}
}

/* 1 when the field must be quoted. O(len); memchr-free so one pass decides. */
static int
needs_quotes(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		switch (s[i]) {
		case ',': case '"': case '\r': case '\n':
			return 1;
		default:
			break;
		}
	return 0;
}

static void
separator(struct csv_writer *w)
{
	if (w->nfield++ > 0)
		sink_write(w->out, ",", 1);
}

static void
field(struct csv_writer *w, const char *s, size_t len, int guard)
{
	separator(w);
	if (!needs_quotes(s, len)) {
		if (guard)
			sink_write(w->out, "'", 1);
		sink_write(w->out, s, len);
		return;
	}
	/* Quoted: the guard goes inside the quotes, each " is doubled. */
	sink_write(w->out, guard ? "\"'" : "\"", guard ? 2 : 1);
	for (;;) {
		const char *q = memchr(s, '"', len);
		size_t n = q ? (size_t)(q - s) + 1 : len;
		sink_write(w->out, s, n);
		if (q == NULL)
			break;
		sink_write(w->out, "\"", 1);
		s += n;
		len -= n;
	}
	sink_write(w->out, "\"", 1);
}

void
csvw_text(struct csv_writer *w, const char *s, size_t len)
{
	field(w, s, len, csvw_needs_guard(s, len));
}

void
csvw_plain(struct csv_writer *w, const char *s, size_t len)
{
	field(w, s, len, 0);
}

void
csvw_empty(struct csv_writer *w)
{
	separator(w);
}

void
csvw_end(struct csv_writer *w)
{
	sink_write(w->out, w->eol, w->eol_len);
	w->nfield = 0;
}
