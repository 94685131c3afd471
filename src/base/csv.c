/* csv: RFC 4180 records over a memory buffer, split and unquoted in place.
 * Unquoting only ever moves bytes left (the write index w never passes the
 * read index r), so one pass over the buffer does it; O(bytes), no malloc. */
#include <string.h>

#include "base/csv.h"

void
csv_init(struct csv *c, char *buf, size_t len)
{
	c->buf = buf;
	c->len = len;
	c->pos = 0;
	c->line = 1;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		c->pos = 3;
}

/* A bare CR ends a line as CRLF and LF do (Python's csv agrees). */
static int
is_line_end(const char *b, size_t r, size_t n, size_t *after)
{
	if (b[r] == '\n') {
		*after = r + 1;
		return 1;
	}
	if (b[r] == '\r') {
		*after = (r + 1 < n && b[r + 1] == '\n') ? r + 2 : r + 1;
		return 1;
	}
	return 0;
}

int
csv_next(struct csv *c, char **fields, int cap, struct csv_rec *rec)
{
	char *b = c->buf;
	size_t n = c->len, r = c->pos, w = c->pos, after;
	int nf = 0;

	if (r >= n)
		return 0;
	rec->line = c->line;
	rec->start = r;
	rec->terminated = 0;
	rec->blank = 0;

	for (;;) {
		size_t fstart = w;

		if (r < n && b[r] == '"') {
			r++;
			for (;;) {
				if (r >= n) {
					/* The text ended inside the quotes. */
					rec->nfields = nf + 1;
					rec->end = n;
					c->pos = n;
					return -1;
				}
				if (b[r] == '"') {
					if (r + 1 < n && b[r + 1] == '"') {
						b[w++] = '"';
						r += 2;
						continue;
					}
					r++;
					break;
				}
				if (b[r] == '\n' || (b[r] == '\r' &&
				    !(r + 1 < n && b[r + 1] == '\n')))
					c->line++;
				b[w++] = b[r++];
			}
		}
		/* The unquoted field, or what follows a closing quote. */
		while (r < n && b[r] != ',' && b[r] != '\n' && b[r] != '\r')
			b[w++] = b[r++];

		if (nf < cap)
			fields[nf] = b + fstart;
		nf++;

		if (r < n && b[r] == ',') {
			b[w++] = '\0';
			r++;
			continue;
		}
		/* A line end or the end of the text closes the record. */
		rec->end = r;
		if (r < n && is_line_end(b, r, n, &after)) {
			rec->terminated = 1;
			c->line++;
			r = after;
		}
		b[w] = '\0';    /* w <= end <= n, and buf[n] is writable */
		break;
	}
	rec->nfields = nf;
	rec->blank = nf == 1 && rec->end == rec->start;
	c->pos = r;
	return 1;
}
