/* csv: an RFC 4180 record reader over a writable memory buffer. It splits and
 * unquotes fields in place (no allocation at all): quoted commas, doubled
 * quotes, CRLF / LF / CR line ends, newlines inside quotes, a leading UTF-8
 * BOM, and a last record without a final newline.
 *
 * Leniency follows Python's csv module, which the tests compare against: a
 * quote inside an unquoted field is kept as text, and text after a closing
 * quote is appended to the field. An empty line is a record of one empty
 * field with blank set, so callers can skip it as csv.DictReader does. */
#ifndef COVID_CSV_H
#define COVID_CSV_H

#include <stddef.h>

struct csv {
	char   *buf;    /* buf[0..len) is the text; buf[len] must be writable */
	size_t  len;
	size_t  pos;    /* where the next record starts */
	long    line;   /* physical line (1-based) where the next record starts */
};

/* What csv_next() learned about one record. */
struct csv_rec {
	int     nfields;    /* fields in the record; may exceed the caller's cap */
	long    line;       /* physical line of its start */
	size_t  start, end; /* its bytes in buf, line end excluded */
	int     terminated; /* 1 when a line end closed it, 0 when the text ended */
	int     blank;      /* 1 for an empty line */
};

/* Starts reading buf[0..len). Skips a UTF-8 byte order mark. */
void csv_init(struct csv *c, char *buf, size_t len);

/* Reads the next record. Points fields[0..cap) at its NUL-terminated, unquoted
 * fields (fields past cap are counted in rec->nfields but not stored).
 * Returns 1 for a record, 0 at the end of the text, -1 when the text ends
 * inside a quoted field (rec->line says where that record began). */
int csv_next(struct csv *c, char **fields, int cap, struct csv_rec *rec);

#endif
