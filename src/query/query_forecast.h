/* query_forecast: the read side of the forecasts (migration 0008,
 * bin/covid-forecast) for /forecasts, the region pages' fan and the
 * forecast files. Like query.h: statements prepared once on the web tier's
 * read-only handle, results in the caller's arena, 0 on success and -1
 * after logging. Call inside query_begin/query_end of the same handle.
 *
 * Costs: the skill tables are a few dozen rows; a place's latest forecast
 * and its weeks before are primary-key range scans of that place's rows
 * (about 2,500 for a place with the whole backtest). */
#ifndef COVID_QUERY_FORECAST_H
#define COVID_QUERY_FORECAST_H

#include <stddef.h>

#include <sqlite3.h>

#include "base/arena.h"

enum { QF_HORIZONS = 4, QF_HISTORY = 12 };

/* One row of forecast_skill. */
struct qf_skill {
	const char *model, *target, *scope;
	int         horizon;            /* 0: horizons 1-4 together */
	long long   places, forecasts;
	double      rel_wis, rel_wis_pooled, beats, cover50, cover95, mean_wis;
};

/* One row of forecast_skill_time. */
struct qf_period {
	const char *target, *period_start;
	long long   places;
	double      rel_wis, cover95;
};

/* A place's newest forecast of one target by the published model, and the
 * weekly totals it started from. */
struct qf_fan {
	int         found;
	char        origin[11];
	int         history;   /* 1 as reported, 2 the revised series */
	size_t      nweeks;                      /* weeks before, oldest first */
	char        week_end[QF_HISTORY][11];
	double      week[QF_HISTORY];
	char        target_end[QF_HORIZONS][11];
	double      q025[QF_HORIZONS], q25[QF_HORIZONS], q50[QF_HORIZONS],
	            q75[QF_HORIZONS], q975[QF_HORIZONS];
};

/* The newest run of covid-forecast that finished ok. */
struct qf_run {
	const char *finished_at, *message;
};

/* The Forecast Hub's 23 quantile levels, as it wrote them: 0.01, 0.025,
 * 0.05, 0.10, 0.15, ..., 0.90, 0.95, 0.975, 0.99 (the program that makes
 * the forecasts and the pages that read them share this one list). */
#define QF_NQ 23
extern const double qf_levels[QF_NQ];

/* One stored forecast with its QF_NQ quantiles (the API's place forecast). */
struct qf_row {
	const char *model, *target, *history;
	char        origin[11], target_end[11];
	int         horizon;
	double      q[QF_NQ];
	double      observed, wis;   /* NAN until the outcome is known */
};

struct query_forecast;

struct query_forecast *query_forecast_open(sqlite3 *db);
void query_forecast_close(struct query_forecast *qf);

int query_forecast_skill(struct query_forecast *qf, struct arena *a,
    struct qf_skill **rows, size_t *n);
int query_forecast_periods(struct query_forecast *qf, struct arena *a,
    struct qf_period **rows, size_t *n);
/* target 1 cases, 2 deaths; out->found 0 when the place has none. */
int query_forecast_fan(struct query_forecast *qf, long long location_id,
    int target, struct qf_fan *out);
/* Every model's newest forecast of the place (both targets, horizons 1-4),
 * by target, model, horizon. */
int query_forecast_place(struct query_forecast *qf, struct arena *a,
    long long location_id, struct qf_row **rows, size_t *n);
/* 1 and *run, or 0 when no run finished ok. */
int query_forecast_last_run(struct query_forecast *qf, struct arena *a,
    struct qf_run *run);

/* The Forecast Hub's CSV layout: one row per quantile, for the files.
 * Calls fn for each row of v_forecast of the model and origin asked for
 * (origin NULL: each place's newest). */
struct qf_csv_row {
	const char *model, *country, *province, *admin2, *target, *origin,
	           *target_end;
	long long   uid;           /* -1: none */
	int         horizon;
	double      quantile, value;
};

/* Calls fn for each forecast quantile (forecasts 1) or each scored
 * forecast (scores 1: quantile and value then hold nothing; the row's
 * scores are in sc) of the places of one level ("country", "province" or
 * "county") from origin (NULL or "": the newest origin of that level).
 * fn returns 0 to go on. */
struct qf_score {
	double observed, wis, abs_error, baseline_wis;
	int    cover50, cover95;
	const char *history;
};
int query_forecast_rows(struct query_forecast *qf, int scores,
    const char *level, const char *origin,
    int (*fn)(void *arg, const struct qf_csv_row *r, const struct qf_score *sc),
    void *arg);

#endif
