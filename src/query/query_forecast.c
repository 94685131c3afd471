/* query_forecast: the forecasts and their skill, read for the web tier. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/sql_stmts.h"
#include "query/query_forecast.h"

enum st {
	ST_SKILL, ST_PERIODS, ST_FAN, ST_FAN_WEEKS, ST_LAST_RUN,
	ST_NEWEST, ST_ROWS, ST_SCORES, ST_PLACE,
	ST__MAX
};

static const char *const sql[ST__MAX] = {
	[ST_SKILL] = "SELECT m.name, CASE s.target WHEN 1 THEN 'inc case' ELSE "
	    "'inc death' END, s.scope, s.horizon, s.places, s.forecasts, "
	    "s.rel_wis, s.rel_wis_pooled, s.beats, s.cover50, s.cover95, "
	    "s.mean_wis FROM forecast_skill s "
	    "JOIN forecast_model m ON m.id = s.model_id "
	    "ORDER BY s.scope, s.target, s.horizon = 0, s.horizon, s.model_id DESC",
	[ST_PERIODS] = "SELECT CASE target WHEN 1 THEN 'inc case' ELSE "
	    "'inc death' END, period_start, places, rel_wis, cover95 "
	    "FROM forecast_skill_time WHERE model_id = 2 "
	    "ORDER BY target, period_start",
	/* the newest origin of the published model (2) for the place */
	[ST_FAN] = "SELECT origin_date, horizon, history, q02, q07, q12, q17, "
	    "q22, date(origin_date, '+' || (7 * horizon) || ' days') "
	    "FROM forecast WHERE location_id = ?1 AND target = ?2 "
	    "AND model_id = 2 AND origin_date = (SELECT max(origin_date) "
	    "FROM forecast WHERE location_id = ?1 AND target = ?2 "
	    "AND model_id = 2) ORDER BY horizon",
	/* the weeks before: each earlier origin's own week, from the
	 * baseline's 1-week rows (one per origin) */
	[ST_FAN_WEEKS] = "SELECT origin_date, last_week FROM forecast "
	    "WHERE location_id = ?1 AND target = ?2 AND model_id = 1 "
	    "AND horizon = 1 AND origin_date <= ?3 "
	    "AND origin_date > date(?3, '-84 days') ORDER BY origin_date",
	[ST_LAST_RUN] = "SELECT finished_at, message FROM forecast_run "
	    "WHERE status = 'ok' ORDER BY id DESC LIMIT 1",
	[ST_NEWEST] = "SELECT max(f.origin_date) FROM forecast f "
	    "JOIN location l ON l.id = f.location_id WHERE l.level = ?1",
	[ST_ROWS] = "SELECT m.name, l.country_region, l.province_state, "
	    "l.admin2, l.uid, f.target, f.origin_date, f.horizon, "
	    "date(f.origin_date, '+' || (7 * f.horizon) || ' days'), "
	    "f.q01, f.q02, f.q03, f.q04, f.q05, f.q06, f.q07, f.q08, f.q09, "
	    "f.q10, f.q11, f.q12, f.q13, f.q14, f.q15, f.q16, f.q17, f.q18, "
	    "f.q19, f.q20, f.q21, f.q22, f.q23 "
	    "FROM location l JOIN forecast f ON f.location_id = l.id "
	    "JOIN forecast_model m ON m.id = f.model_id "
	    "WHERE l.level = ?1 AND f.origin_date = ?2 "
	    "ORDER BY l.country_region, l.province_state, l.admin2, f.model_id, "
	    "f.target, f.horizon",
	[ST_SCORES] = "SELECT m.name, l.country_region, l.province_state, "
	    "l.admin2, l.uid, f.target, f.origin_date, f.horizon, "
	    "date(f.origin_date, '+' || (7 * f.horizon) || ' days'), "
	    "f.observed, f.wis, f.abs_error, f.cover50, f.cover95, "
	    "CASE f.history WHEN 1 THEN 'as reported' ELSE 'revised' END, "
	    "(SELECT b.wis FROM forecast b WHERE b.location_id = f.location_id "
	    "AND b.target = f.target AND b.origin_date = f.origin_date "
	    "AND b.model_id = 1 AND b.horizon = f.horizon) "
	    "FROM location l JOIN forecast f ON f.location_id = l.id "
	    "JOIN forecast_model m ON m.id = f.model_id "
	    "WHERE l.level = ?1 AND f.origin_date = ?2 "
	    "AND f.observed IS NOT NULL "
	    "ORDER BY l.country_region, l.province_state, l.admin2, f.model_id, "
	    "f.target, f.horizon",
	[ST_PLACE] = "SELECT m.name, f.target, "
	    "CASE f.history WHEN 1 THEN 'as reported' ELSE 'revised' END, "
	    "f.origin_date, date(f.origin_date, '+' || (7 * f.horizon) || "
	    "' days'), f.horizon, f.observed, f.wis, "
	    "f.q01, f.q02, f.q03, f.q04, f.q05, f.q06, f.q07, f.q08, f.q09, "
	    "f.q10, f.q11, f.q12, f.q13, f.q14, f.q15, f.q16, f.q17, f.q18, "
	    "f.q19, f.q20, f.q21, f.q22, f.q23 "
	    "FROM forecast f JOIN forecast_model m ON m.id = f.model_id "
	    "WHERE f.location_id = ?1 AND f.origin_date = (SELECT "
	    "max(origin_date) FROM forecast WHERE location_id = ?1) "
	    "ORDER BY f.target, f.model_id DESC, f.horizon",
};

const double qf_levels[QF_NQ] = {
	0.01, 0.025, 0.05, 0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.45,
	0.50, 0.55, 0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.90, 0.95, 0.975, 0.99
};

struct query_forecast {
	sqlite3      *db;
	sqlite3_stmt *st[ST__MAX];
};

struct query_forecast *
query_forecast_open(sqlite3 *db)
{
	struct query_forecast *qf = calloc(1, sizeof *qf);

	if (qf == NULL)
		return NULL;
	qf->db = db;
	if (sql_stmts_prepare(db, sql, qf->st, ST__MAX, "query_forecast") != 0) {
		free(qf);
		return NULL;
	}
	return qf;
}

void
query_forecast_close(struct query_forecast *qf)
{
	if (qf == NULL)
		return;
	sql_stmts_finalize(qf->st, ST__MAX);
	free(qf);
}

static double
real_or_nan(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN :
	    sqlite3_column_double(st, i);
}

static const char *
text_in(struct arena *a, sqlite3_stmt *st, int i)
{
	const char *v = (const char *)sqlite3_column_text(st, i);

	return arena_strdup(a, v ? v : "");
}

/* Ends a statement's loop: 0 when it finished, -1 (logged) otherwise. */
static int
done(struct query_forecast *qf, sqlite3_stmt *st, int rc, const char *what)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE) {
		log_err("query_forecast: %s: %s", what, sqlite3_errmsg(qf->db));
		return -1;
	}
	return 0;
}

/* Grows *rows (cap elements) by doubling; -1 out of memory. */
static int
grow(struct arena *a, void **rows, size_t *cap, size_t n, size_t size)
{
	void *bigger;

	if (n < *cap)
		return 0;
	*cap = *cap ? 2 * *cap : 32;
	if ((bigger = arena_alloc(a, *cap * size)) == NULL)
		return -1;
	if (n > 0)
		memcpy(bigger, *rows, n * size);
	*rows = bigger;
	return 0;
}

int
query_forecast_skill(struct query_forecast *qf, struct arena *a,
    struct qf_skill **rows, size_t *n)
{
	sqlite3_stmt *st = qf->st[ST_SKILL];
	size_t cap = 0;
	int rc;

	*rows = NULL;
	*n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct qf_skill *r;

		if (grow(a, (void **)rows, &cap, *n, sizeof **rows) != 0) {
			sqlite3_reset(st);
			return -1;
		}
		r = &(*rows)[(*n)++];
		r->model = text_in(a, st, 0);
		r->target = text_in(a, st, 1);
		r->scope = text_in(a, st, 2);
		r->horizon = sqlite3_column_int(st, 3);
		r->places = sqlite3_column_int64(st, 4);
		r->forecasts = sqlite3_column_int64(st, 5);
		r->rel_wis = real_or_nan(st, 6);
		r->rel_wis_pooled = real_or_nan(st, 7);
		r->beats = real_or_nan(st, 8);
		r->cover50 = real_or_nan(st, 9);
		r->cover95 = real_or_nan(st, 10);
		r->mean_wis = real_or_nan(st, 11);
	}
	return done(qf, st, rc, "skill");
}

int
query_forecast_periods(struct query_forecast *qf, struct arena *a,
    struct qf_period **rows, size_t *n)
{
	sqlite3_stmt *st = qf->st[ST_PERIODS];
	size_t cap = 0;
	int rc;

	*rows = NULL;
	*n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct qf_period *r;

		if (grow(a, (void **)rows, &cap, *n, sizeof **rows) != 0) {
			sqlite3_reset(st);
			return -1;
		}
		r = &(*rows)[(*n)++];
		r->target = text_in(a, st, 0);
		r->period_start = text_in(a, st, 1);
		r->places = sqlite3_column_int64(st, 2);
		r->rel_wis = real_or_nan(st, 3);
		r->cover95 = real_or_nan(st, 4);
	}
	return done(qf, st, rc, "skill over time");
}

static void
copy_date(char out[11], sqlite3_stmt *st, int i)
{
	const char *v = (const char *)sqlite3_column_text(st, i);

	snprintf(out, 11, "%s", v ? v : "");
}

int
query_forecast_fan(struct query_forecast *qf, long long location_id,
    int target, struct qf_fan *out)
{
	sqlite3_stmt *st = qf->st[ST_FAN];
	int rc;

	memset(out, 0, sizeof *out);
	sqlite3_bind_int64(st, 1, location_id);
	sqlite3_bind_int(st, 2, target);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int h = sqlite3_column_int(st, 1) - 1;

		if (h < 0 || h >= QF_HORIZONS)
			continue;
		copy_date(out->origin, st, 0);
		out->history = sqlite3_column_int(st, 2);
		out->q025[h] = real_or_nan(st, 3);
		out->q25[h] = real_or_nan(st, 4);
		out->q50[h] = real_or_nan(st, 5);
		out->q75[h] = real_or_nan(st, 6);
		out->q975[h] = real_or_nan(st, 7);
		copy_date(out->target_end[h], st, 8);
		out->found = 1;
	}
	if (done(qf, st, rc, "a place's forecast") != 0 || !out->found)
		return out->found ? -1 : 0;
	st = qf->st[ST_FAN_WEEKS];
	sqlite3_bind_int64(st, 1, location_id);
	sqlite3_bind_int(st, 2, target);
	sqlite3_bind_text(st, 3, out->origin, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && out->nweeks < QF_HISTORY) {
		copy_date(out->week_end[out->nweeks], st, 0);
		out->week[out->nweeks++] = real_or_nan(st, 1);
	}
	if (rc == SQLITE_ROW)
		rc = SQLITE_DONE;   /* at most QF_HISTORY, by the range */
	return done(qf, st, rc, "a place's weeks");
}

int
query_forecast_place(struct query_forecast *qf, struct arena *a,
    long long location_id, struct qf_row **rows, size_t *n)
{
	sqlite3_stmt *st = qf->st[ST_PLACE];
	size_t cap = 0;
	int rc;

	*rows = NULL;
	*n = 0;
	sqlite3_bind_int64(st, 1, location_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct qf_row *r;

		if (grow(a, (void **)rows, &cap, *n, sizeof **rows) != 0) {
			sqlite3_reset(st);
			return -1;
		}
		r = &(*rows)[(*n)++];
		r->model = text_in(a, st, 0);
		r->target = sqlite3_column_int(st, 1) == 1 ? "inc case" : "inc death";
		r->history = text_in(a, st, 2);
		copy_date(r->origin, st, 3);
		copy_date(r->target_end, st, 4);
		r->horizon = sqlite3_column_int(st, 5);
		r->observed = real_or_nan(st, 6);
		r->wis = real_or_nan(st, 7);
		for (int k = 0; k < QF_NQ; k++)
			r->q[k] = real_or_nan(st, 8 + k);
	}
	return done(qf, st, rc, "a place's forecasts");
}

int
query_forecast_last_run(struct query_forecast *qf, struct arena *a,
    struct qf_run *run)
{
	sqlite3_stmt *st = qf->st[ST_LAST_RUN];
	int rc, found = 0;

	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		run->finished_at = text_in(a, st, 0);
		run->message = text_in(a, st, 1);
		found = 1;
		rc = SQLITE_DONE;
	}
	if (done(qf, st, rc, "the forecast's job log") != 0)
		return -1;
	return found;
}

static const char *
col_text(sqlite3_stmt *st, int i)
{
	const char *v = (const char *)sqlite3_column_text(st, i);

	return v ? v : "";
}

int
query_forecast_rows(struct query_forecast *qf, int scores, const char *level,
    const char *origin,
    int (*fn)(void *arg, const struct qf_csv_row *r, const struct qf_score *sc),
    void *arg)
{
	sqlite3_stmt *st;
	char newest[11] = "";
	int rc, stop = 0;

	if (origin == NULL || *origin == '\0') {
		st = qf->st[ST_NEWEST];
		sqlite3_bind_text(st, 1, level, -1, SQLITE_TRANSIENT);
		if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			copy_date(newest, st, 0);
			rc = SQLITE_DONE;
		}
		if (done(qf, st, rc, "the newest origin") != 0)
			return -1;
		origin = newest;
	}
	st = qf->st[scores ? ST_SCORES : ST_ROWS];
	sqlite3_bind_text(st, 1, level, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, origin, -1, SQLITE_TRANSIENT);
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct qf_csv_row r;
		struct qf_score sc;

		memset(&sc, 0, sizeof sc);
		r.model = col_text(st, 0);
		r.country = col_text(st, 1);
		r.province = col_text(st, 2);
		r.admin2 = col_text(st, 3);
		r.uid = sqlite3_column_type(st, 4) == SQLITE_NULL ? -1 :
		    sqlite3_column_int64(st, 4);
		r.target = sqlite3_column_int(st, 5) == 1 ? "inc case" : "inc death";
		r.origin = col_text(st, 6);
		r.horizon = sqlite3_column_int(st, 7);
		r.target_end = col_text(st, 8);
		if (scores) {
			sc.observed = real_or_nan(st, 9);
			sc.wis = real_or_nan(st, 10);
			sc.abs_error = real_or_nan(st, 11);
			sc.cover50 = sqlite3_column_int(st, 12);
			sc.cover95 = sqlite3_column_int(st, 13);
			sc.history = col_text(st, 14);
			sc.baseline_wis = real_or_nan(st, 15);
			r.quantile = r.value = NAN;
			stop = fn(arg, &r, &sc) != 0;
			continue;
		}
		for (int k = 0; k < QF_NQ && !stop; k++) {
			r.quantile = qf_levels[k];
			r.value = real_or_nan(st, 9 + k);
			stop = fn(arg, &r, NULL) != 0;
		}
	}
	if (stop) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return -1;
	}
	return done(qf, st, rc, "the forecast rows");
}
