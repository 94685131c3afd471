/* fc_db: covid-forecast's statements: places, counts, forecasts, skill, job log. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/date.h"
#include "base/log.h"
#include "base/sql_stmts.h"
#include "forecast/fc_db.h"

#define NOW "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

enum st {
	ST_LAST_DAY, ST_PLACES, ST_COUNTIES,
	ST_REGION_DAILY, ST_DAILY_REPORT, ST_SERIES_REGION, ST_SERIES,
	ST_BEGIN, ST_COMMIT, ST_ROLLBACK,
	ST_NEWEST_ORIGIN, ST_CLEAR_FROM, ST_CLEAR_PLACE, ST_PUT,
	ST_SKILL_CLEAR, ST_SKILL_TIME_CLEAR, ST_SKILL_PUT, ST_SKILL_TIME_PUT,
	ST_BUMP, ST_VERSION, ST_FORECAST_VERSION, ST_SET_FORECAST_VERSION,
	ST_RUN_BEGIN, ST_RUN_END, ST_RUN_RECOVER,
	ST__MAX
};

/* Each place's counts come from one index range scan in date order. */
static const char *const sql[ST__MAX] = {
	[ST_LAST_DAY] = "SELECT max(d) FROM (SELECT max(date) AS d FROM "
	    "daily_report UNION ALL SELECT max(date) FROM series)",
	[ST_PLACES] = "SELECT id, level FROM location "
	    "WHERE level <> 'county' ORDER BY id",
	[ST_COUNTIES] = "SELECT id, level FROM location "
	    "WHERE level = 'county' ORDER BY id",
	[ST_REGION_DAILY] = "SELECT date, confirmed, deaths FROM region_daily "
	    "WHERE location_id = ?1 ORDER BY date",
	[ST_DAILY_REPORT] = "SELECT date, confirmed, deaths FROM daily_report "
	    "WHERE location_id = ?1 ORDER BY date",
	[ST_SERIES_REGION] = "SELECT date, confirmed, deaths FROM series_region "
	    "WHERE location_id = ?1 ORDER BY date",
	[ST_SERIES] = "SELECT date, confirmed, deaths FROM series "
	    "WHERE location_id = ?1 ORDER BY date",
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_NEWEST_ORIGIN] = "SELECT max(f.origin_date) FROM forecast f "
	    "JOIN location l ON l.id = f.location_id WHERE l.level <> 'county'",
	[ST_CLEAR_FROM] = "DELETE FROM forecast WHERE origin_date >= ?1",
	[ST_CLEAR_PLACE] = "DELETE FROM forecast WHERE location_id = ?1",
	[ST_PUT] = "INSERT OR REPLACE INTO forecast (model_id, location_id, "
	    "target, origin_date, horizon, history, q01, q02, q03, q04, q05, "
	    "q06, q07, q08, q09, q10, q11, q12, q13, q14, q15, q16, q17, q18, "
	    "q19, q20, q21, q22, q23, observed, wis, abs_error, cover50, "
	    "cover95, last_week) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
	    "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, "
	    "?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35)",
	[ST_SKILL_CLEAR] = "DELETE FROM forecast_skill",
	[ST_SKILL_TIME_CLEAR] = "DELETE FROM forecast_skill_time",
	[ST_SKILL_PUT] = "INSERT INTO forecast_skill (model_id, target, scope, "
	    "horizon, places, forecasts, rel_wis, rel_wis_pooled, beats, "
	    "cover50, cover95, mean_wis) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
	    "?8, ?9, ?10, ?11, ?12)",
	[ST_SKILL_TIME_PUT] = "INSERT INTO forecast_skill_time (model_id, "
	    "target, period_start, places, rel_wis, cover95) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_BUMP] = "UPDATE meta SET value = CASE key "
	    "WHEN 'data_version' THEN CAST(CAST(value AS INTEGER) + 1 AS TEXT) "
	    "ELSE " NOW " END WHERE key IN ('data_version', 'refreshed_at')",
	[ST_VERSION] = "SELECT CAST(value AS INTEGER) FROM meta "
	    "WHERE key = 'data_version'",
	[ST_FORECAST_VERSION] = "SELECT CAST(value AS INTEGER) FROM meta "
	    "WHERE key = 'forecast_version'",
	/* the data version the forecasts are of: the one their write made */
	[ST_SET_FORECAST_VERSION] = "INSERT INTO meta (key, value) "
	    "SELECT 'forecast_version', value FROM meta "
	    "WHERE key = 'data_version' ON CONFLICT (key) DO UPDATE "
	    "SET value = excluded.value",
	[ST_RUN_BEGIN] = "INSERT INTO forecast_run (pid, started_at, status) "
	    "VALUES (?1, " NOW ", 'running')",
	[ST_RUN_END] = "UPDATE forecast_run SET finished_at = " NOW ", "
	    "status = ?2, origins = ?3, rows_written = ?4, message = ?5 "
	    "WHERE id = ?1",
	[ST_RUN_RECOVER] = "UPDATE forecast_run SET status = 'interrupted' "
	    "WHERE status = 'running'",
};

struct fc_db {
	sqlite3      *db;
	sqlite3_stmt *st[ST__MAX];
};

struct fc_db *
fc_db_open(sqlite3 *db)
{
	struct fc_db *d = calloc(1, sizeof *d);

	if (d == NULL) {
		log_err("forecast: out of memory");
		return NULL;
	}
	d->db = db;
	/* Statement journals in memory, not in a file under /var/tmp: each
	 * INSERT OR REPLACE inside the run's one transaction keeps a copy of
	 * the pages it changes until it ends, and once a rerun has deleted
	 * the old forecasts every insert lands on a reused page that must be
	 * copied. In a file that was 1.35 million pwrite calls and 14 s of
	 * CPU for a full rerun over the full history (33 s against 18 s into
	 * an empty table); in memory a copy lives for one row's insert, a few
	 * pages, and the rerun costs what the first run does. */
	if (sqlite3_exec(db, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		log_err("forecast: setting temp_store: %s", sqlite3_errmsg(db));
		free(d);
		return NULL;
	}
	if (sql_stmts_prepare(db, sql, d->st, ST__MAX, "forecast") != 0) {
		free(d);
		return NULL;
	}
	return d;
}

void
fc_db_close(struct fc_db *d)
{
	if (d == NULL)
		return;
	sql_stmts_finalize(d->st, ST__MAX);
	free(d);
}

/* Steps a statement that returns no rows, then resets it. */
static int
exec_st(struct fc_db *d, enum st i, const char *what)
{
	int rc = sqlite3_step(d->st[i]);

	sqlite3_reset(d->st[i]);
	sqlite3_clear_bindings(d->st[i]);
	if (rc != SQLITE_DONE) {
		log_err("forecast: %s: %s", what, sqlite3_errmsg(d->db));
		return -1;
	}
	return 0;
}

/* The first column of a one-row statement as a date; -1 when NULL. */
static long
day_of(struct fc_db *d, enum st i)
{
	sqlite3_stmt *st = d->st[i];
	long day = -1;

	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL)
		day = date_days((const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return day;
}

long
fc_db_last_day(struct fc_db *d)
{
	return day_of(d, ST_LAST_DAY);
}

long
fc_db_newest_origin(struct fc_db *d)
{
	return day_of(d, ST_NEWEST_ORIGIN);
}

int
fc_db_places(struct fc_db *d, int counties,
    int (*fn)(void *arg, long long id, enum fc_level level), void *arg)
{
	sqlite3_stmt *st = d->st[counties ? ST_COUNTIES : ST_PLACES];
	int rc, ret = 0;

	while (ret == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *lv = (const char *)sqlite3_column_text(st, 1);
		enum fc_level level = strcmp(lv, "country") == 0 ? FC_COUNTRY :
		    strcmp(lv, "province") == 0 ? FC_PROVINCE : FC_COUNTY;

		ret = fn(arg, sqlite3_column_int64(st, 0), level);
	}
	if (ret == 0 && rc != SQLITE_DONE) {
		log_err("forecast: reading places: %s", sqlite3_errmsg(d->db));
		ret = -1;
	}
	sqlite3_reset(st);
	return ret;
}

static int
cumul_grow(struct fc_cumul *c)
{
	size_t cap = c->cap ? 2 * c->cap : 2048;
	long *day = realloc(c->day, cap * sizeof *day);
	int t;

	if (day == NULL)
		return -1;
	c->day = day;
	for (t = 0; t < FC_NTARGETS; t++) {
		double *v = realloc(c->cum[t], cap * sizeof *v);

		if (v == NULL)
			return -1;
		c->cum[t] = v;
	}
	c->cap = cap;
	return 0;
}

long
fc_db_cumulative(struct fc_db *d, long long id, enum fc_level level,
    enum fc_source src, struct fc_cumul *c)
{
	enum st i = src == FC_DAILY ?
	    (level == FC_COUNTY ? ST_DAILY_REPORT : ST_REGION_DAILY) :
	    (level == FC_COUNTY ? ST_SERIES : ST_SERIES_REGION);
	sqlite3_stmt *st = d->st[i];
	long n = 0;
	int rc, t;

	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((size_t)n == c->cap && cumul_grow(c) != 0) {
			log_err("forecast: out of memory");
			sqlite3_reset(st);
			return -1;
		}
		c->day[n] = date_days((const char *)sqlite3_column_text(st, 0));
		for (t = 0; t < FC_NTARGETS; t++)
			c->cum[t][n] = sqlite3_column_type(st, 1 + t) == SQLITE_NULL ?
			    NAN : sqlite3_column_double(st, 1 + t);
		if (c->day[n] >= 0)
			n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		log_err("forecast: reading place %lld: %s", id, sqlite3_errmsg(d->db));
		return -1;
	}
	return n;
}

void
fc_cumul_free(struct fc_cumul *c)
{
	int t;

	free(c->day);
	for (t = 0; t < FC_NTARGETS; t++)
		free(c->cum[t]);
	memset(c, 0, sizeof *c);
}

int
fc_db_begin(struct fc_db *d)
{
	return exec_st(d, ST_BEGIN, "beginning the write");
}

int
fc_db_commit(struct fc_db *d)
{
	return exec_st(d, ST_COMMIT, "committing");
}

void
fc_db_rollback(struct fc_db *d)
{
	if (!sqlite3_get_autocommit(d->db))
		(void)exec_st(d, ST_ROLLBACK, "rolling back");
}

int
fc_db_clear_from(struct fc_db *d, long from_day)
{
	char ymd[11];

	date_ymd(from_day, ymd);
	sqlite3_bind_text(d->st[ST_CLEAR_FROM], 1, from_day > 0 ? ymd : "",
	    -1, SQLITE_TRANSIENT);
	return exec_st(d, ST_CLEAR_FROM, "removing old forecasts");
}

int
fc_db_clear_place(struct fc_db *d, long long id)
{
	sqlite3_bind_int64(d->st[ST_CLEAR_PLACE], 1, id);
	return exec_st(d, ST_CLEAR_PLACE, "removing a place's forecast");
}

int
fc_db_put(struct fc_db *d, const struct fc_row *r)
{
	sqlite3_stmt *st = d->st[ST_PUT];
	char ymd[11];
	int k;

	date_ymd(r->origin_day, ymd);
	sqlite3_bind_int(st, 1, r->model);
	sqlite3_bind_int64(st, 2, r->location_id);
	sqlite3_bind_int(st, 3, r->target + 1);
	sqlite3_bind_text(st, 4, ymd, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 5, r->horizon);
	sqlite3_bind_int(st, 6, r->source + 1);
	for (k = 0; k < QF_NQ; k++)
		sqlite3_bind_double(st, 7 + k, r->q[k]);
	sqlite3_bind_double(st, 35, r->last_week);
	if (r->scored) {
		sqlite3_bind_double(st, 30, r->observed);
		sqlite3_bind_double(st, 31, r->wis);
		sqlite3_bind_double(st, 32, r->abs_error);
		sqlite3_bind_int(st, 33, r->cover50);
		sqlite3_bind_int(st, 34, r->cover95);
	}
	return exec_st(d, ST_PUT, "writing a forecast");
}

int
fc_db_skill_clear(struct fc_db *d)
{
	if (exec_st(d, ST_SKILL_CLEAR, "clearing the skill table") != 0)
		return -1;
	return exec_st(d, ST_SKILL_TIME_CLEAR, "clearing the skill table");
}

/* A real, or NULL when it is not a number. */
static void
bind_real(sqlite3_stmt *st, int i, double v)
{
	if (isfinite(v))
		sqlite3_bind_double(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

int
fc_db_skill_put(struct fc_db *d, int model, int target, const char *scope,
    int horizon, long places, long forecasts, double rel_wis,
    double rel_wis_pooled, double beats, double cover50, double cover95,
    double mean_wis)
{
	sqlite3_stmt *st = d->st[ST_SKILL_PUT];

	sqlite3_bind_int(st, 1, model);
	sqlite3_bind_int(st, 2, target + 1);
	sqlite3_bind_text(st, 3, scope, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, horizon);
	sqlite3_bind_int64(st, 5, places);
	sqlite3_bind_int64(st, 6, forecasts);
	bind_real(st, 7, rel_wis);
	bind_real(st, 8, rel_wis_pooled);
	bind_real(st, 9, beats);
	bind_real(st, 10, cover50);
	bind_real(st, 11, cover95);
	bind_real(st, 12, mean_wis);
	return exec_st(d, ST_SKILL_PUT, "writing the skill table");
}

int
fc_db_skill_time_put(struct fc_db *d, int model, int target, long period_day,
    long places, double rel_wis, double cover95)
{
	sqlite3_stmt *st = d->st[ST_SKILL_TIME_PUT];
	char ymd[11];

	date_ymd(period_day, ymd);
	sqlite3_bind_int(st, 1, model);
	sqlite3_bind_int(st, 2, target + 1);
	sqlite3_bind_text(st, 3, ymd, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, places);
	bind_real(st, 5, rel_wis);
	bind_real(st, 6, cover95);
	return exec_st(d, ST_SKILL_TIME_PUT, "writing skill over time");
}

int
fc_db_bump_version(struct fc_db *d)
{
	if (exec_st(d, ST_BUMP, "bumping the data version") != 0)
		return -1;
	return exec_st(d, ST_SET_FORECAST_VERSION, "recording the version");
}

static long long
int_of(struct fc_db *d, enum st i)
{
	sqlite3_stmt *st = d->st[i];
	long long v = -1;

	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return v;
}

int
fc_db_up_to_date(struct fc_db *d)
{
	long long v = int_of(d, ST_VERSION);

	return v >= 0 && v == int_of(d, ST_FORECAST_VERSION);
}

long long
fc_db_run_begin(struct fc_db *d)
{
	sqlite3_bind_int64(d->st[ST_RUN_BEGIN], 1, (long long)getpid());
	if (exec_st(d, ST_RUN_BEGIN, "recording the run") != 0)
		return -1;
	return sqlite3_last_insert_rowid(d->db);
}

int
fc_db_run_end(struct fc_db *d, long long id, const char *status, long origins,
    long long rows, const char *message)
{
	sqlite3_stmt *st = d->st[ST_RUN_END];

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, origins);
	sqlite3_bind_int64(st, 4, rows);
	sqlite3_bind_text(st, 5, message ? message : "", -1, SQLITE_TRANSIENT);
	return exec_st(d, ST_RUN_END, "recording the end of the run");
}

int
fc_db_run_recover(struct fc_db *d)
{
	int n;

	if (exec_st(d, ST_RUN_RECOVER, "marking interrupted runs") != 0)
		return -1;
	if ((n = sqlite3_changes(d->db)) > 0)
		log_warn("forecast: %d earlier run%s did not finish; marked "
		    "interrupted", n, n == 1 ? "" : "s");
	return 0;
}
