/* query_export: the export's statements (see query_export.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/sql_stmts.h"
#include "query/query_export.h"

/* ---- Columns ------------------------------------------------------------ */

#define ID_COLUMNS \
	{ "Date", XT_DATE, "Date of the daily report, YYYY-MM-DD." }, \
	{ "Country_Region", XT_TEXT, "Country or region, as JHU names it." }, \
	{ "Province_State", XT_TEXT, "Province or state; empty at level=country." }, \
	{ "Admin2", XT_TEXT, "County (US admin2); empty except at level=county." }, \
	{ "FIPS", XT_TEXT, "US FIPS code, text (counties zero-padded to 5 digits); " \
	    "empty when none." }, \
	{ "ISO3", XT_TEXT, "ISO 3166-1 alpha-3 code of the country." }, \
	{ "UID", XT_INT, "JHU's location identifier (UID_ISO_FIPS_LookUp_Table)." }, \
	{ "Combined_Key", XT_TEXT, "JHU's full name of the location, e.g. " \
	    "\"Kings, New York, US\"." }, \
	{ "Lat", XT_REAL, "Latitude, degrees north." }, \
	{ "Long", XT_REAL, "Longitude, degrees east." }, \
	{ "Population", XT_INT, "Population (JHU's lookup table), people." }

#define LAST_UPDATE_COLUMN \
	{ "Last_Update", XT_DATETIME, "When JHU last updated the reported row, " \
	    "UTC; county level only (totals have none)." }

static const struct export_column wide_columns[] = {
	ID_COLUMNS,
	{ "Confirmed", XT_INT, "Confirmed cases to date (cumulative), people." },
	{ "Deaths", XT_INT, "Deaths to date (cumulative), people." },
	{ "Recovered", XT_INT, "Recovered to date (cumulative), people; JHU "
	    "stopped reporting it during 2021." },
	{ "Active", XT_INT, "Active cases as JHU reported them, people." },
	{ "New_Confirmed", XT_INT, "Confirmed minus the location's previous "
	    "reported Confirmed, people (negative after a correction); empty on "
	    "its first date." },
	{ "New_Deaths", XT_INT, "Deaths minus the location's previous reported "
	    "Deaths, people." },
	{ "New_Confirmed_7d_Avg", XT_REAL, "Mean of New_Confirmed over the "
	    "reported dates in the 7 calendar days ending on Date (days without "
	    "a report are left out, not counted as 0), people per report." },
	{ "Confirmed_per_100k", XT_REAL, "Confirmed per 100,000 of Population." },
	{ "Incident_Rate", XT_REAL, "Incident rate as JHU reported it, cases per "
	    "100,000; county level only." },
	{ "Case_Fatality_Ratio", XT_REAL, "Case fatality ratio as JHU reported "
	    "it, percent; county level only." },
	LAST_UPDATE_COLUMN,
};

static const struct export_column long_columns[] = {
	ID_COLUMNS,
	{ "Case_Type", XT_TEXT, "What Cases counts: Confirmed, Deaths, "
	    "Recovered or Active." },
	{ "Cases", XT_INT, "Case_Type to date (cumulative), people." },
	{ "Difference", XT_INT, "Cases minus the location's previous reported "
	    "Cases, people (negative after a correction); empty on its first "
	    "date." },
	{ "Cases_7d_Avg", XT_REAL, "Mean of Difference over the reported dates "
	    "in the 7 calendar days ending on Date (days without a report are "
	    "left out, not counted as 0), people per report." },
	{ "Cases_per_100k", XT_REAL, "Cases per 100,000 of Population." },
	LAST_UPDATE_COLUMN,
	{ "Is_Latest", XT_BOOL, "TRUE on the location's last date in this "
	    "file, FALSE before." },
};

const struct export_column *
export_columns(enum export_shape shape, size_t *n)
{
	if (shape == SHAPE_LONG) {
		*n = sizeof long_columns / sizeof long_columns[0];
		return long_columns;
	}
	*n = sizeof wide_columns / sizeof wide_columns[0];
	return wide_columns;
}

/* ---- SQL ---------------------------------------------------------------- */

/* What differs between the levels. County rows are reported rows
 * (daily_report, with JHU's per-row values); country and province rows are
 * the ingest's totals (region_daily), which have no coordinates of their own
 * and none of the per-row values. */
struct level_sql {
	const char *level, *table, *lat, *lng, *incident, *cfr, *last_update;
};
static const struct level_sql levels[GEO__MAX] = {
	[GEO_COUNTRY]  = { "country", "region_daily", "l.lat", "l.long",
	    "NULL", "NULL", "NULL" },
	[GEO_PROVINCE] = { "province", "region_daily", "l.lat", "l.long",
	    "NULL", "NULL", "NULL" },
	[GEO_COUNTY]   = { "county", "daily_report", "COALESCE(d.lat, l.lat)",
	    "COALESCE(d.long, l.long)", "d.incident_rate", "d.case_fatality_ratio",
	    /* Stored as ISO 8601 with a 'T'; a space is what Excel recognises. */
	    "replace(d.last_update, 'T', ' ')" },
};

/* The rows of one level: the selected locations joined with their rows, from
 * 6 days before ?1 (the averages' warm-up) to ?2. Names are '' rather than
 * NULL in location, so the filters compare them directly. CROSS JOIN keeps
 * the locations outer, in the order of their name index, and each place's
 * rows are then a range of the (location_id, date) index: rows come out in
 * the order wanted with no sort of every row, and a slice of the history
 * reads only its own dates. (A plain JOIN let the planner pick between
 * that and a range of the date-first primary key, which needs a sort;
 * keeping it off the key with `+d.date` walked every place's whole
 * history instead, six times the time for issue 12's county slice.) Cost:
 * a primary-key probe per row for the columns that index lacks (the
 * county history: ~2.5 s for 247k rows, memory flat). */
#define FROM_WHERE \
	"  FROM location l CROSS JOIN %s d ON d.location_id = l.id\n" \
	" WHERE l.level = '%s'\n" \
	"   AND d.date BETWEEN date(?1, '-6 days') AND ?2\n" \
	"   AND (?3 IS NULL OR l.country_region IN (SELECT value FROM json_each(?3)))\n" \
	"   AND (?4 IS NULL OR EXISTS (SELECT 1 FROM json_each(?4) AS p\n" \
	"        WHERE p.value ->> 0 = l.country_region\n" \
	"          AND p.value ->> 1 = l.province_state))\n"

/* The window and the final order are the same terms, so SQLite streams the
 * window's output without a second sort (EXPLAIN QUERY PLAN shows only the
 * per-partition "RIGHT PART" sort by julianday). */
#define WINDOW_ORDER(p, d) \
	"WINDOW win AS (PARTITION BY " p "country_region, " p "province_state, " \
	p "admin2\n" \
	"               ORDER BY julianday(" d "date) " \
	"RANGE BETWEEN 6 PRECEDING AND CURRENT ROW)\n" \
	" ORDER BY " p "country_region, " p "province_state, " p "admin2, " \
	"julianday(" d "date)"

/* wide: the result columns are the file's columns, in order. */
static const char wide_sql[] =
	"SELECT d.date, l.country_region, NULLIF(l.province_state, ''),\n"
	"       NULLIF(l.admin2, ''), l.fips, l.iso3, l.uid, l.combined_key,\n"
	"       %s, %s, l.population,\n"
	"       d.confirmed, d.deaths, d.recovered, d.active,\n"
	"       d.new_confirmed, d.new_deaths,\n"
	"       AVG(d.new_confirmed) OVER win,\n"
	"       d.confirmed * 100000.0 / NULLIF(l.population, 0),\n"
	"       %s, %s, %s\n"
	FROM_WHERE
	WINDOW_ORDER("l.", "d.");

/* long: one result row per location and date, which the C side turns into
 * four (Confirmed, Deaths, Recovered, Active). Columns 0-10 as in wide, then
 * Last_Update, Is_Latest, and (Cases, Difference, 7-day average, per 100k)
 * for each case type. The ingest stores deltas of Confirmed and Deaths; those
 * of Recovered and Active are computed here the same way, against the
 * location's previous reported row (one primary key probe each). */
#define PREV(col) \
	"d." col " - (SELECT p." col " FROM %s p WHERE p.location_id = " \
	"d.location_id AND p.date < d.date ORDER BY p.date DESC LIMIT 1)"
#define CASES(c, n) \
	"       " c ", " n ", AVG(" n ") OVER win, " c " * 100000.0 / NULLIF(population, 0)"
static const char long_sql[] =
	"SELECT date, country_region, NULLIF(province_state, ''),\n"
	"       NULLIF(admin2, ''), fips, iso3, uid, combined_key,\n"
	"       lat, long, population, last_update,\n"
	"       LEAD(date) OVER win IS NULL,\n"
	CASES("confirmed", "new_confirmed") ",\n"
	CASES("deaths", "new_deaths") ",\n"
	CASES("recovered", "new_recovered") ",\n"
	CASES("active", "new_active") "\n"
	"  FROM (SELECT d.date, l.country_region, l.province_state, l.admin2,\n"
	"               l.fips, l.iso3, l.uid, l.combined_key, %s AS lat,\n"
	"               %s AS long, l.population, %s AS last_update,\n"
	"               d.confirmed, d.deaths, d.recovered, d.active,\n"
	"               d.new_confirmed, d.new_deaths,\n"
	"               " PREV("recovered") " AS new_recovered,\n"
	"               " PREV("active") " AS new_active\n"
	FROM_WHERE
	"       )\n"
	WINDOW_ORDER("", "");

enum { LONG_ID = 11, LONG_LAST_UPDATE = 11, LONG_IS_LATEST = 12, LONG_CASES = 13 };
static const char *const case_types[] = { "Confirmed", "Deaths", "Recovered", "Active" };

static char sql_text[GEO__MAX][SHAPE__MAX][4096];

const char *
export_query_sql(enum geo_level level, enum export_shape shape)
{
	const struct level_sql *l = &levels[level];
	char *buf = sql_text[level][shape];
	int n;

	if (buf[0] != '\0')
		return buf;
	/* The formats are the constants above; -Wformat-nonliteral cannot see
	 * that through the table. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (shape == SHAPE_WIDE)
		n = snprintf(buf, sizeof sql_text[0][0], wide_sql, l->lat, l->lng,
		    l->incident, l->cfr, l->last_update, l->table, l->level);
	else
		n = snprintf(buf, sizeof sql_text[0][0], long_sql, l->lat, l->lng,
		    l->last_update, l->table, l->table, l->table, l->level);
#pragma GCC diagnostic pop
	if (n < 0 || (size_t)n >= sizeof sql_text[0][0]) {
		/* Can't happen: the buffer is sized for the longest statement. */
		buf[0] = '\0';
		return NULL;
	}
	return buf;
}

/* ---- Statements ----------------------------------------------------------- */

enum stmt {
	Q_RANGE,
	Q_COUNTRY,
	Q_PROVINCE,
	Q_LEVEL_HAS,
	Q_ROWS,                                 /* + level * SHAPE__MAX + shape */
	Q__MAX = Q_ROWS + GEO__MAX * SHAPE__MAX
};

static const char *const fixed_sql[Q_ROWS] = {
	/* Two scalar subqueries: each is one index probe, where min() and
	 * max() in one SELECT would scan the whole table. */
	[Q_RANGE] =
	"SELECT (SELECT min(date) FROM daily_report),"
	"       (SELECT max(date) FROM daily_report)",
	[Q_COUNTRY] =
	"SELECT country_region FROM location"
	" WHERE level = 'country'"
	"   AND (country_region = ?1 COLLATE NOCASE"
	"        OR (length(?1) = 3 AND iso3 = upper(?1)))"
	" ORDER BY country_region",
	[Q_PROVINCE] =
	"SELECT country_region, province_state FROM location"
	" WHERE level = 'province' AND province_state = ?1 COLLATE NOCASE"
	"   AND (?2 IS NULL OR country_region IN (SELECT value FROM json_each(?2)))"
	" ORDER BY country_region, province_state",
	[Q_LEVEL_HAS] =
	"SELECT EXISTS (SELECT 1 FROM location"
	" WHERE level = ?1 AND country_region = ?2"
	"   AND (?3 IS NULL OR province_state = ?3))",
};

struct export_query {
	sqlite3           *db;
	sqlite3_stmt      *st[Q__MAX];
	sqlite3_stmt      *rows;        /* the running row query, or NULL */
	enum export_shape  shape;
	char               from[11];
	int                next_case;   /* long: the case type of the next row */
	int                pending;     /* begin's first step (1 row, 0 end), or -1 */
};

struct export_query *
export_query_open(sqlite3 *db)
{
	struct export_query *q = calloc(1, sizeof *q);
	const char *sql[Q__MAX];

	if (q == NULL) {
		log_err("export query: out of memory");
		return NULL;
	}
	q->db = db;
	q->pending = -1;
	for (int i = 0; i < Q__MAX; i++)
		sql[i] = i < Q_ROWS ? fixed_sql[i] :
		    export_query_sql((enum geo_level)((i - Q_ROWS) / SHAPE__MAX),
		    (enum export_shape)((i - Q_ROWS) % SHAPE__MAX));
	if (sql_stmts_prepare(db, sql, q->st, Q__MAX, "export query") != 0) {
		free(q);
		return NULL;
	}
	return q;
}

void
export_query_close(struct export_query *q)
{
	if (q == NULL)
		return;
	sql_stmts_finalize(q->st, Q__MAX);
	free(q);
}

static int
fail(struct export_query *q, sqlite3_stmt *st, const char *what)
{
	log_err("export query: %s: %s", what, sqlite3_errmsg(q->db));
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return -1;
}

static void
done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

static void
copy_date(char out[11], sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	snprintf(out, 11, "%s", s ? (const char *)s : "");
}

int
export_query_range(struct export_query *q, char first[11], char last[11])
{
	sqlite3_stmt *st = q->st[Q_RANGE];

	if (sqlite3_step(st) != SQLITE_ROW)
		return fail(q, st, "data range");
	if (sqlite3_column_type(st, 0) == SQLITE_NULL) {
		done(st);
		return 1;
	}
	copy_date(first, st, 0);
	copy_date(last, st, 1);
	done(st);
	return 0;
}

int
export_query_country(struct export_query *q, const char *name,
    int (*fn)(void *, const char *), void *arg)
{
	sqlite3_stmt *st = q->st[Q_COUNTRY];
	int rc, n = 0;

	if (sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC) != SQLITE_OK)
		return fail(q, st, "bind country");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (fn(arg, (const char *)sqlite3_column_text(st, 0)) != 0) {
			done(st);
			return -1;
		}
		n++;
	}
	if (rc != SQLITE_DONE)
		return fail(q, st, "resolve country");
	done(st);
	return n;
}

int
export_query_province(struct export_query *q, const char *name,
    const char *countries_json,
    int (*fn)(void *, const char *, const char *), void *arg)
{
	sqlite3_stmt *st = q->st[Q_PROVINCE];
	int rc, n = 0;

	if (sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC) != SQLITE_OK ||
	    (countries_json && sqlite3_bind_text(st, 2, countries_json, -1,
	    SQLITE_STATIC) != SQLITE_OK))
		return fail(q, st, "bind province");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (fn(arg, (const char *)sqlite3_column_text(st, 0),
		    (const char *)sqlite3_column_text(st, 1)) != 0) {
			done(st);
			return -1;
		}
		n++;
	}
	if (rc != SQLITE_DONE)
		return fail(q, st, "resolve province");
	done(st);
	return n;
}

int
export_query_level_has(struct export_query *q, enum geo_level level,
    const char *country, const char *province)
{
	sqlite3_stmt *st = q->st[Q_LEVEL_HAS];
	int has;

	if (sqlite3_bind_text(st, 1, levels[level].level, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(st, 2, country, -1, SQLITE_STATIC) != SQLITE_OK ||
	    (province && sqlite3_bind_text(st, 3, province, -1, SQLITE_STATIC) != SQLITE_OK))
		return fail(q, st, "bind level");
	if (sqlite3_step(st) != SQLITE_ROW)
		return fail(q, st, "level has");
	has = sqlite3_column_int(st, 0);
	done(st);
	return has;
}

/* ---- Rows --------------------------------------------------------------- */

static int step(struct export_query *q);

int
export_query_begin(struct export_query *q, const struct export_request *r)
{
	sqlite3_stmt *st = q->st[Q_ROWS + r->level * SHAPE__MAX + r->shape];

	export_query_end(q);
	if (sqlite3_bind_text(st, 1, r->from, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
	    sqlite3_bind_text(st, 2, r->to, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
	    (r->countries_json && sqlite3_bind_text(st, 3, r->countries_json, -1,
	    SQLITE_STATIC) != SQLITE_OK) ||
	    (r->provinces_json && sqlite3_bind_text(st, 4, r->provinces_json, -1,
	    SQLITE_STATIC) != SQLITE_OK))
		return fail(q, st, "bind rows");
	q->rows = st;
	q->shape = r->shape;
	memcpy(q->from, r->from, sizeof q->from);
	q->next_case = 0;
	/* The first step runs the query's first (and, for a window, largest)
	 * piece of work: an error shows here, before any byte is sent. */
	if ((q->pending = step(q)) < 0) {
		export_query_end(q);
		return -1;
	}
	return 0;
}

static void
value(struct export_value *v, sqlite3_stmt *st, int col)
{
	switch (sqlite3_column_type(st, col)) {
	case SQLITE_INTEGER:
		v->kind = XV_INT;
		v->i = sqlite3_column_int64(st, col);
		break;
	case SQLITE_FLOAT:
		v->kind = XV_REAL;
		v->r = sqlite3_column_double(st, col);
		break;
	case SQLITE_TEXT:
		v->s = (const char *)sqlite3_column_text(st, col);
		v->n = sqlite3_column_bytes(st, col);
		/* '' is as unknown as NULL: both are empty cells. */
		v->kind = v->s && v->n > 0 ? XV_TEXT : XV_NULL;
		break;
	default:
		/* NULL, or a BLOB, which no column here holds. */
		v->kind = XV_NULL;
		break;
	}
}

/* Steps to the next row on or after `from` (skipping the averages' warm-up
 * rows). 1, 0 at the end, -1 on error. */
static int
step(struct export_query *q)
{
	int rc;

	if (q->pending >= 0) {
		rc = q->pending;
		q->pending = -1;
		return rc;
	}
	while ((rc = sqlite3_step(q->rows)) == SQLITE_ROW) {
		const char *date = (const char *)sqlite3_column_text(q->rows, 0);
		if (date && strcmp(date, q->from) >= 0)
			return 1;
	}
	if (rc == SQLITE_DONE)
		return 0;
	log_err("export query: rows: %s", sqlite3_errmsg(q->db));
	return -1;
}

int
export_query_next(struct export_query *q, struct export_value *row)
{
	sqlite3_stmt *st = q->rows;
	int rc, k;

	if (st == NULL)
		return -1;
	if (q->shape == SHAPE_WIDE) {
		if ((rc = step(q)) != 1)
			return rc;
		for (int i = 0; i < (int)(sizeof wide_columns / sizeof wide_columns[0]); i++)
			value(&row[i], st, i);
		return 1;
	}
	if (q->next_case == 0 && (rc = step(q)) != 1)
		return rc;
	k = q->next_case;
	q->next_case = (k + 1) % 4;
	for (int i = 0; i < LONG_ID; i++)
		value(&row[i], st, i);
	row[11].kind = XV_TEXT;
	row[11].s = case_types[k];
	row[11].n = (int)strlen(case_types[k]);
	for (int i = 0; i < 4; i++)
		value(&row[12 + i], st, LONG_CASES + 4 * k + i);
	value(&row[16], st, LONG_LAST_UPDATE);
	value(&row[17], st, LONG_IS_LATEST);
	return 1;
}

void
export_query_end(struct export_query *q)
{
	if (q->rows) {
		sqlite3_reset(q->rows);
		sqlite3_clear_bindings(q->rows);
		q->rows = NULL;
	}
	q->pending = -1;
}
