/* export_csv: an export streamed as CSV (see export_csv.h). */
#include <sqlite3.h>
#include <string.h>

#include "base/csv_writer.h"
#include "base/numfmt.h"
#include "export/export_csv.h"
#include "query/query_export.h"

static void
field(struct csv_writer *w, const struct export_column *c, const struct export_value *v)
{
	char num[48];
	size_t n;

	switch (v->kind) {
	case XV_NULL:
		csvw_empty(w);
		break;
	case XV_INT:
		if (c->type == XT_BOOL) {
			csvw_plain(w, v->i ? "TRUE" : "FALSE", v->i ? 4 : 5);
			break;
		}
		n = fmt_int(num, v->i);
		csvw_plain(w, num, n);
		break;
	case XV_REAL:
		/* SQLite's own rendering of a REAL ("%!.15g": 15 significant
		 * digits, always a '.' or an exponent), as sqlite3 -csv prints. */
		sqlite3_snprintf((int)sizeof num, num, "%!.15g", v->r);
		csvw_plain(w, num, strlen(num));
		break;
	default:
		if (c->type == XT_TEXT)
			csvw_text(w, v->s, (size_t)v->n);
		else
			csvw_plain(w, v->s, (size_t)v->n);
		break;
	}
}

int
export_csv_write(struct sink *out, struct export_query *q,
    const struct export_request *r, unsigned long long *rows)
{
	struct export_value row[EXPORT_MAX_COLUMNS];
	const struct export_column *cols;
	struct csv_writer w;
	size_t ncols;
	int rc = 0;

	*rows = 0;
	cols = export_columns(r->shape, &ncols);
	csvw_init(&w, out, 1);
	if (r->bom)
		sink_write(out, "\xef\xbb\xbf", 3);
	for (size_t c = 0; c < ncols; c++)
		csvw_plain(&w, cols[c].name, strlen(cols[c].name));
	csvw_end(&w);
	while (!out->failed && (rc = export_query_next(q, row)) == 1) {
		for (size_t c = 0; c < ncols; c++)
			field(&w, &cols[c], &row[c]);
		csvw_end(&w);
		(*rows)++;
	}
	if (out->failed)
		return -1;
	return rc < 0 ? -1 : 0;
}
