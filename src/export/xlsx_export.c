/* xlsx_export: the export as an XLSX workbook (see xlsx_export.h). */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include <xlsxwriter.h>

#include "base/date.h"
#include "base/log.h"
#include "export/xlsx_export.h"
#include "export/xlsx_zlib.h"
#include "query/query_export.h"

#define ATTRIBUTION "COVID-19 Data Repository by the Center for Systems " \
	"Science and Engineering (CSSE) at Johns Hopkins University"
#define SOURCE_URL "https://github.com/CSSEGISandData/COVID-19"
/* The zip's deflate level (xlsx_zlib.h). The county history in long shape
 * (988k rows), CPU seconds and file size by level: 6 (libxlsxwriter's):
 * 15.9 s, 68 MB; 3: 11.5 s, 78 MB; 1: 10.3 s, 87 MB. A file is generated
 * once and downloaded many times, so not the fastest: 3. */
#define ZIP_LEVEL 3
/* Characters in one cell, at most (Excel). */
#define EXCEL_CELL_MAX 32767

struct xw {
	lxw_workbook  *wb;
	lxw_format    *bold, *date, *datetime;
	lxw_error      err;         /* the first error; LXW_NO_ERROR while none */
	const char    *what;        /* what that error was doing */
};

/* Remembers the first libxlsxwriter error. Returns 1 while all is well. */
static int
ok(struct xw *x, lxw_error e, const char *what)
{
	if (e != LXW_NO_ERROR && x->err == LXW_NO_ERROR) {
		x->err = e;
		x->what = what;
	}
	return x->err == LXW_NO_ERROR;
}

/* "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS" (a 'T' accepted too) into dt.
 * 1 on success; anything else stays text. */
static int
parse_datetime(const char *s, int n, int with_time, lxw_datetime *dt)
{
	int v[6] = { 0 }, parts = with_time ? 6 : 3;
	char ymd[11];
	static const int at[6] = { 0, 5, 8, 11, 14, 17 }, len[6] = { 4, 2, 2, 2, 2, 2 };

	if (n != (with_time ? 19 : 10))
		return 0;
	for (int p = 0; p < parts; p++) {
		for (int i = at[p]; i < at[p] + len[p]; i++) {
			if (s[i] < '0' || s[i] > '9')
				return 0;
			v[p] = v[p] * 10 + (s[i] - '0');
		}
		if (p > 0 && s[at[p] - 1] != (p < 3 ? '-' : p == 3 ? ' ' : ':') &&
		    !(p == 3 && s[at[p] - 1] == 'T'))
			return 0;
	}
	/* The day through date.h's strict parser (02-31 is not a date; Excel
	 * would roll it into March); no leap second, which Excel cannot hold. */
	memcpy(ymd, s, 10);
	ymd[10] = '\0';
	if (date_days(ymd) < 0 || v[3] > 23 || v[4] > 59 || v[5] > 59)
		return 0;
	*dt = (lxw_datetime){ v[0], v[1], v[2], v[3], v[4], v[5] };
	return 1;
}

/* How wide each column looks is the workbook's business, not the query's:
 * by name, so both shapes' columns share one width each. */
static const struct {
	const char *name;
	double      width;      /* characters */
} column_widths[] = {
	{ "Date", 11 }, { "Country_Region", 22 }, { "Province_State", 20 },
	{ "Admin2", 18 }, { "FIPS", 7 }, { "ISO3", 6 }, { "UID", 11 },
	{ "Combined_Key", 30 }, { "Lat", 10 }, { "Long", 11 },
	{ "Population", 12 }, { "Last_Update", 19 },
	/* wide */
	{ "Confirmed", 12 }, { "Deaths", 10 }, { "Recovered", 11 },
	{ "Active", 10 }, { "New_Confirmed", 14 }, { "New_Deaths", 11 },
	{ "New_Confirmed_7d_Avg", 14 }, { "Confirmed_per_100k", 14 },
	{ "Incident_Rate", 12 }, { "Case_Fatality_Ratio", 12 },
	/* long */
	{ "Case_Type", 10 }, { "Cases", 12 }, { "Difference", 12 },
	{ "Cases_7d_Avg", 13 }, { "Cases_per_100k", 14 }, { "Is_Latest", 9 },
};

double
xlsx_column_width(const char *name)
{
	for (size_t i = 0; i < sizeof column_widths / sizeof column_widths[0]; i++)
		if (strcmp(column_widths[i].name, name) == 0)
			return column_widths[i].width;
	return 0;
}

static void
header(struct xw *x, lxw_worksheet *ws, const struct export_column *cols, size_t n)
{
	for (size_t c = 0; c < n; c++) {
		double width = xlsx_column_width(cols[c].name);

		ok(x, worksheet_write_string(ws, 0, (lxw_col_t)c, cols[c].name, x->bold),
		    "header");
		ok(x, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
		    width > 0 ? width : LXW_DEF_COL_WIDTH, NULL), "column width");
	}
	worksheet_freeze_panes(ws, 1, 0);
}

static lxw_worksheet *
data_sheet(struct xw *x, unsigned number, const struct export_column *cols, size_t n)
{
	char name[32];
	lxw_worksheet *ws;

	if (number == 1)
		snprintf(name, sizeof name, "Data");
	else
		snprintf(name, sizeof name, "Data (%u)", number);
	if ((ws = workbook_add_worksheet(x->wb, name)) == NULL) {
		ok(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "add sheet");
		return NULL;
	}
	header(x, ws, cols, n);
	return ws;
}

/* The autofilter spans the header and every row of the sheet. */
static void
finish_sheet(struct xw *x, lxw_worksheet *ws, lxw_row_t last, size_t ncols)
{
	ok(x, worksheet_autofilter(ws, 0, 0, last, (lxw_col_t)(ncols - 1)),
	    "autofilter");
}

static void
cell(struct xw *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
    const struct export_column *c, const struct export_value *v)
{
	lxw_datetime dt;

	switch (v->kind) {
	case XV_NULL:
		return;         /* unknown: an empty cell */
	case XV_INT:
		if (c->type == XT_BOOL)
			ok(x, worksheet_write_boolean(ws, row, col, v->i != 0, NULL), "bool");
		else
			ok(x, worksheet_write_number(ws, row, col, (double)v->i, NULL), "number");
		return;
	case XV_REAL:
		ok(x, worksheet_write_number(ws, row, col, v->r, NULL), "number");
		return;
	default:
		break;
	}
	if (c->type == XT_DATE && parse_datetime(v->s, v->n, 0, &dt))
		ok(x, worksheet_write_datetime(ws, row, col, &dt, x->date), "date");
	else if (c->type == XT_DATETIME && parse_datetime(v->s, v->n, 1, &dt))
		ok(x, worksheet_write_datetime(ws, row, col, &dt, x->datetime), "datetime");
	else if (v->n > EXCEL_CELL_MAX)
		/* Excel's cell limit; no JHU value comes near it. */
		ok(x, LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED, "string");
	else
		/* A string cell, never a formula, whatever it starts with. */
		ok(x, worksheet_write_string(ws, row, col, v->s, NULL), "string");
}

static void
about_row(struct xw *x, lxw_worksheet *ws, lxw_row_t *row, const char *key,
    const char *value)
{
	if (key)
		ok(x, worksheet_write_string(ws, *row, 0, key, x->bold), "about");
	if (value && *value)
		ok(x, worksheet_write_string(ws, *row, 1, value, NULL), "about");
	(*row)++;
}

static void
places(char *buf, size_t len, const struct export_place *p, size_t n)
{
	size_t used = 0;

	buf[0] = '\0';
	if (n == 0)
		snprintf(buf, len, "(all)");
	for (size_t i = 0; i < n && used < len; i++) {
		int w = snprintf(buf + used, len - used, "%s%s%s%s", i ? "; " : "",
		    p[i].province ? p[i].province : "", p[i].province ? ", " : "",
		    p[i].country);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

static void
about(struct xw *x, const struct export_request *r, const struct xlsx_export_info *info)
{
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, "About");
	const struct export_column *cols;
	char buf[8192];
	lxw_row_t row = 0;
	size_t n;

	if (ws == NULL) {
		ok(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "add About");
		return;
	}
	ok(x, worksheet_set_column(ws, 0, 0, 22, NULL), "about width");
	ok(x, worksheet_set_column(ws, 1, 1, 60, NULL), "about width");
	ok(x, worksheet_set_column(ws, 2, 2, 100, NULL), "about width");
	about_row(x, ws, &row, "COVID-19 export", NULL);
	row++;
	about_row(x, ws, &row, "Source", ATTRIBUTION);
	about_row(x, ws, &row, "URL", SOURCE_URL);
	about_row(x, ws, &row, "Licence", "Creative Commons Attribution 4.0 "
	    "International (CC BY 4.0), https://creativecommons.org/licenses/by/4.0/");
	about_row(x, ws, &row, "Attribution", "Attribute the data as the \""
	    ATTRIBUTION "\" or \"JHU CSSE COVID-19 Data\" for short, and the url: "
	    SOURCE_URL ".");
	about_row(x, ws, &row, "Citation", "Dong E, Du H, Gardner L. An interactive "
	    "web-based dashboard to track COVID-19 in real time. Lancet Inf Dis. "
	    "20(5):533-534. doi: 10.1016/S1473-3099(20)30120-1");
	row++;
	about_row(x, ws, &row, "Request", NULL);
	about_row(x, ws, &row, "level", export_level_name(r->level));
	about_row(x, ws, &row, "shape", export_shape_name(r->shape));
	about_row(x, ws, &row, "from", r->from);
	about_row(x, ws, &row, "to", r->to);
	places(buf, sizeof buf, r->countries, r->ncountries);
	about_row(x, ws, &row, "country", buf);
	places(buf, sizeof buf, r->provinces, r->nprovinces);
	about_row(x, ws, &row, "province", buf);
	about_row(x, ws, &row, "canonical request", r->canonical);
	row++;
	snprintf(buf, sizeof buf, "%lld", info->data_version);
	about_row(x, ws, &row, "Data version", buf);
	about_row(x, ws, &row, "Generated (UTC)", info->generated);
	snprintf(buf, sizeof buf, "%llu", info->rows);
	about_row(x, ws, &row, "Rows", buf);
	snprintf(buf, sizeof buf, "%u (Data%s)", info->sheets,
	    info->sheets > 1 ? " continues on Data (2), ..." : "");
	about_row(x, ws, &row, "Data sheets", buf);
	row++;
	about_row(x, ws, &row, "Data dictionary", NULL);
	ok(x, worksheet_write_string(ws, row, 0, "Column", x->bold), "about");
	ok(x, worksheet_write_string(ws, row, 1, "Type", x->bold), "about");
	ok(x, worksheet_write_string(ws, row, 2, "Meaning and unit", x->bold), "about");
	row++;
	cols = export_columns(r->shape, &n);
	for (size_t c = 0; c < n; c++, row++) {
		static const char *const types[] = { "text", "integer", "number",
		    "date", "date and time", "TRUE/FALSE" };
		ok(x, worksheet_write_string(ws, row, 0, cols[c].name, NULL), "about");
		ok(x, worksheet_write_string(ws, row, 1, types[cols[c].type], NULL), "about");
		ok(x, worksheet_write_string(ws, row, 2, cols[c].meaning, NULL), "about");
	}
}

int
xlsx_export_write(const char *path, const char *tmpdir, struct export_query *q,
    const struct export_request *r, struct xlsx_export_info *info)
{
	lxw_workbook_options opt = { .constant_memory = LXW_TRUE,
	    .tmpdir = (char *)(uintptr_t)tmpdir, .use_zip64 = LXW_FALSE };
	struct export_value row[EXPORT_MAX_COLUMNS];
	unsigned long per_sheet = info->rows_per_sheet ? info->rows_per_sheet : LXW_ROW_MAX;
	const struct export_column *cols;
	struct xw x = { 0 };
	lxw_worksheet *ws;
	lxw_row_t at = 0;   /* the sheet row of the last row written */
	lxw_error closed;
	size_t ncols;
	int rc = 0;

	info->rows = 0;
	info->sheets = 1;
	if (per_sheet < 2 || per_sheet > LXW_ROW_MAX) {
		log_err("xlsx: rows per sheet must be 2..%d", LXW_ROW_MAX);
		return -1;
	}
	cols = export_columns(r->shape, &ncols);
	xlsx_zlib_level(ZIP_LEVEL);
	if ((x.wb = workbook_new_opt(path, &opt)) == NULL) {
		log_err("xlsx: cannot create %s (tmpdir %s)", path, tmpdir);
		return -1;
	}
	x.bold = workbook_add_format(x.wb);
	x.date = workbook_add_format(x.wb);
	x.datetime = workbook_add_format(x.wb);
	if (x.bold == NULL || x.date == NULL || x.datetime == NULL) {
		ok(&x, LXW_ERROR_MEMORY_MALLOC_FAILED, "formats");
		goto close;
	}
	format_set_bold(x.bold);
	format_set_num_format(x.date, "yyyy-mm-dd");
	format_set_num_format(x.datetime, "yyyy-mm-dd hh:mm:ss");

	if ((ws = data_sheet(&x, 1, cols, ncols)) == NULL)
		goto close;
	while (x.err == LXW_NO_ERROR && (rc = export_query_next(q, row)) == 1) {
		if ((unsigned long)at + 1 >= per_sheet) {
			finish_sheet(&x, ws, at, ncols);
			if ((ws = data_sheet(&x, ++info->sheets, cols, ncols)) == NULL)
				goto close;
			at = 0;
		}
		at++;
		for (size_t c = 0; c < ncols; c++)
			cell(&x, ws, at, (lxw_col_t)c, &cols[c], &row[c]);
		info->rows++;
	}
	if (x.err == LXW_NO_ERROR && rc < 0) {
		/* The query logged why; the file must not be kept. */
		workbook_close(x.wb);
		return -1;
	}
	finish_sheet(&x, ws, at, ncols);
	about(&x, r, info);
close:
	/* workbook_close frees the workbook in every case. */
	closed = workbook_close(x.wb);
	ok(&x, closed, "close");
	if (x.err != LXW_NO_ERROR) {
		log_err("xlsx: %s: %s: %s", path, x.what, lxw_strerror(x.err));
		return -1;
	}
	return 0;
}
