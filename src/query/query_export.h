/* query_export: the export's part of the query layer. Every statement an
 * export runs is here, prepared once per process: the data range, resolving
 * country and province names, and the row query for each level and shape.
 *
 * Rows come ordered by location (country, province, county name) then date,
 * one sqlite3_step at a time: nothing is collected, so memory does not grow
 * with the row count. Country and province rows are region_daily's totals;
 * county rows are daily_report's rows. Columns that do not apply at a level
 * (Admin2 above county; Incident_Rate, Case_Fatality_Ratio and Last_Update,
 * which JHU reports per row and which totals do not have) are empty, and so
 * is every unknown value: never 0.
 *
 * The 7-day averages (New_Confirmed_7d_Avg, Cases_7d_Avg) are SQLite window
 * functions: AVG over the rows of the same location whose date lies in the 7
 * calendar days ending on the row's date (RANGE BETWEEN 6 PRECEDING AND
 * CURRENT ROW over julianday(date)). Gaps: a date with no report is left out
 * of the average, not counted as 0, so the average is over the days that
 * were reported (a delta after a gap spans the whole gap, as the ingest
 * computes it). Null deltas are left out too; a window with none is empty.
 * The query reads from 6 days before `from` so the first rows' windows are
 * full; those warm-up rows are skipped here, never returned. */
#ifndef COVID_QUERY_EXPORT_H
#define COVID_QUERY_EXPORT_H

#include <sqlite3.h>

#include "query/export_spec.h"

enum export_type {
	XT_TEXT,        /* a name or key: text in XLSX, guarded in CSV */
	XT_INT,
	XT_REAL,
	XT_DATE,        /* YYYY-MM-DD */
	XT_DATETIME,    /* YYYY-MM-DDTHH:MM:SS (JHU's Last_Update, in UTC) */
	XT_BOOL
};

struct export_column {
	const char      *name;
	enum export_type type;
	const char      *meaning;   /* the data dictionary's line */
};

/* The columns of a shape, in file order. */
const struct export_column *export_columns(enum export_shape shape, size_t *n);
#define EXPORT_MAX_COLUMNS 22

/* One value of a row. NULL is an unknown value (an empty cell). */
enum { XV_NULL, XV_INT, XV_REAL, XV_TEXT };
struct export_value {
	int            kind;
	sqlite3_int64  i;
	double         r;
	const char    *s;       /* XV_TEXT: valid until the next export_query_next */
	int            n;       /* its length */
};

struct export_query;

/* Prepares every statement. NULL after logging why. */
struct export_query *export_query_open(sqlite3 *db);
void export_query_close(struct export_query *q);

/* The first and last date with data. Returns 0, 1 if there is none, -1. */
int export_query_range(struct export_query *q, char first[11], char last[11]);

/* Canonical names of the countries whose name (any case) or ISO3 code is
 * name, passed to fn. Returns how many matched, or -1. */
int export_query_country(struct export_query *q, const char *name,
    int (*fn)(void *arg, const char *country), void *arg);

/* Provinces named name (any case); countries_json, when not NULL, restricts
 * them to those countries. Returns how many matched, or -1. */
int export_query_province(struct export_query *q, const char *name,
    const char *countries_json,
    int (*fn)(void *arg, const char *country, const char *province), void *arg);

/* 1 when some location of level lies in country (and province, if not
 * NULL), 0 when none does, -1 on error. */
int export_query_level_has(struct export_query *q, enum geo_level level,
    const char *country, const char *province);

/* Starts the row query for a resolved request and reads its first row, so
 * that a failing query fails here, before a response is begun. Returns 0
 * or -1 (logged). */
int export_query_begin(struct export_query *q, const struct export_request *r);
/* Fills row (export_columns' count of values). Returns 1 for a row, 0 at the
 * end, -1 on error (logged). */
int export_query_next(struct export_query *q, struct export_value *row);
/* Resets the row query (always call it, also after an error). */
void export_query_end(struct export_query *q);

/* The SQL text of a row query, for the benchmark's `sqlite3 -csv` floor and
 * the tests. Its parameters: ?1 from, ?2 to, ?3 countries JSON or NULL,
 * ?4 provinces JSON or NULL. */
const char *export_query_sql(enum geo_level level, enum export_shape shape);

#endif
