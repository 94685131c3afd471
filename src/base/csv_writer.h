/* csv_writer: RFC 4180 records into a sink, one field at a time, so an export
 * streams row by row with nothing buffered beyond the sink's own buffer.
 * Fields are quoted only when they must be (a comma, quote, CR or LF inside).
 * Text fields are guarded against formula injection (OWASP "CSV injection"):
 * one starting with = + - @ TAB CR or LF gets a leading ' so a spreadsheet
 * shows it as text. Numbers and dates are written unguarded: a guard there
 * would turn -3 into the text '-3. */
#ifndef COVID_CSV_WRITER_H
#define COVID_CSV_WRITER_H

#include <stddef.h>

#include "base/sink.h"

struct csv_writer {
	struct sink *out;
	const char  *eol;       /* "\r\n" (RFC 4180) or "\n", used for every record */
	size_t       eol_len;
	int          nfield;    /* fields written in the current record */
};

/* crlf: 1 for "\r\n" line ends, 0 for "\n". */
void csvw_init(struct csv_writer *w, struct sink *out, int crlf);

/* A text field (names, keys): guarded and quoted as needed. */
void csvw_text(struct csv_writer *w, const char *s, size_t len);
/* A field that is not text (a number, a date): quoted as needed, never
 * guarded. */
void csvw_plain(struct csv_writer *w, const char *s, size_t len);
/* An empty field: unknown values are empty, never 0 or "null". */
void csvw_empty(struct csv_writer *w);
/* Ends the record. */
void csvw_end(struct csv_writer *w);

/* 1 when a text value would need the formula guard. */
int csvw_needs_guard(const char *s, size_t len);

#endif
