/* xlsx_export: an export as an XLSX workbook, written with libxlsxwriter in
 * constant_memory mode: each row goes to a temporary file under tmpdir as it
 * is written, so memory stays flat whatever the row count (tmpdir must be on
 * real disk: a tmpfs spends RAM the process never shows).
 *
 * Sheets: "Data" (header row frozen, autofilter, column widths; dates are
 * date cells, numbers numbers, text written as strings so nothing becomes a
 * formula); past rows_per_sheet rows (Excel's limit, 1,048,576, header
 * included) the data continues on "Data (2)", "Data (3)", ... each with the
 * header again; then "About": source and CC BY 4.0 attribution, the request,
 * the data version, when it was generated, and the data dictionary. */
#ifndef COVID_XLSX_EXPORT_H
#define COVID_XLSX_EXPORT_H

#include "export/export_request.h"

struct export_query;

struct xlsx_export_info {
	long long           data_version;
	const char         *generated;      /* "YYYY-MM-DDTHH:MM:SSZ" */
	unsigned long       rows_per_sheet; /* 0: Excel's 1,048,576 */
	/* Out: */
	unsigned long long  rows;           /* data rows written */
	unsigned            sheets;         /* data sheets */
};

/* The Data sheets' width of the column named name, in characters; 0 for
 * a column it has none for (it gets libxlsxwriter's default). */
double xlsx_column_width(const char *name);

/* Writes the rows of r (export_query_begin must have been called on q) into
 * a new workbook at path. Returns 0, or -1 after logging why (path may then
 * hold a partial file: the caller removes it). */
int xlsx_export_write(const char *path, const char *tmpdir,
    struct export_query *q, const struct export_request *r,
    struct xlsx_export_info *info);

#endif
