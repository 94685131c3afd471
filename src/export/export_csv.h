/* export_csv: an export as CSV (RFC 4180, UTF-8, CRLF line ends), streamed:
 * each row goes from sqlite3_step to the sink (in the program, a file of the
 * export cache, which nginx then sends with its length), so memory does not
 * grow with the row count. Numbers are written as SQLite writes them
 * (integers plain, reals with %!.15g, as `sqlite3 -csv` does),
 * unknown values as empty fields, TRUE/FALSE for Is_Latest, and text through
 * the formula-injection guard (csv_writer.h). */
#ifndef COVID_EXPORT_CSV_H
#define COVID_EXPORT_CSV_H

#include "base/sink.h"
#include "export/export_request.h"

struct export_query;

/* Writes the header row (after a BOM if r->bom) and every row of q, which
 * export_query_begin must have started. Returns 0, or -1 when the query
 * failed (logged) or the sink did (out->failed). *rows receives the count. */
int export_csv_write(struct sink *out, struct export_query *q,
    const struct export_request *r, unsigned long long *rows);

#endif
