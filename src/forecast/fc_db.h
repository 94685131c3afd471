/* fc_db: what covid-forecast reads and writes: the places and their
 * cumulative counts, the forecast rows, the skill tables and the job log
 * (migration 0008). */
#ifndef COVID_FC_DB_H
#define COVID_FC_DB_H

#include <sqlite3.h>
#include <stddef.h>

#include "forecast/fc_quantile.h"

enum fc_level { FC_COUNTRY, FC_PROVINCE, FC_COUNTY };
enum fc_source { FC_DAILY, FC_SERIES, FC_NSOURCES };  /* history 1 and 2 */
enum fc_target { FC_CASES, FC_DEATHS, FC_NTARGETS };  /* target 1 and 2 */

struct fc_db;

/* The statements prepared on db (read-write, migrated); NULL after logging. */
struct fc_db *fc_db_open(sqlite3 *db);
void fc_db_close(struct fc_db *d);

/* The newest date any report or series holds, as days since 1970-01-01;
 * -1 when there is none (or on error). */
long fc_db_last_day(struct fc_db *d);

/* Calls fn(arg, id, level) for every place of the levels asked for, in id
 * order. 0, or -1 (an error, or fn's -1). */
int fc_db_places(struct fc_db *d, int counties,
    int (*fn)(void *arg, long long id, enum fc_level level), void *arg);

/* A place's cumulative counts from one source, in date order: day[i],
 * cum[FC_CASES][i], cum[FC_DEATHS][i] (NAN where the row says nothing).
 * The arrays grow as needed (*cap elements). Returns the row count, or -1. */
struct fc_cumul {
	long   *day;
	double *cum[FC_NTARGETS];
	size_t  cap;
};
long fc_db_cumulative(struct fc_db *d, long long id, enum fc_level level,
    enum fc_source src, struct fc_cumul *c);
void fc_cumul_free(struct fc_cumul *c);

/* One forecast row of table forecast. */
struct fc_row {
	int       model;          /* 1 baseline, 2 damped */
	long long location_id;
	int       target;         /* enum fc_target */
	long      origin_day;
	int       horizon;
	int       source;         /* enum fc_source */
	double    last_week;      /* the origin week's total */
	double    q[QF_NQ];
	int       scored;         /* the fields below are set */
	double    observed, wis, abs_error;
	int       cover50, cover95;
};

/* The write transaction (BEGIN IMMEDIATE) and its end. */
int fc_db_begin(struct fc_db *d);
int fc_db_commit(struct fc_db *d);
void fc_db_rollback(struct fc_db *d);
/* Newest origin stored for a country or province; -1 when none. */
long fc_db_newest_origin(struct fc_db *d);
/* Removes every stored forecast of origin >= from_day (0: all). */
int fc_db_clear_from(struct fc_db *d, long from_day);
/* Removes every stored forecast of one place (a county's previous one). */
int fc_db_clear_place(struct fc_db *d, long long id);
int fc_db_put(struct fc_db *d, const struct fc_row *r);

/* The skill tables are written whole by each run. */
int fc_db_skill_clear(struct fc_db *d);
int fc_db_skill_put(struct fc_db *d, int model, int target, const char *scope,
    int horizon, long places, long forecasts, double rel_wis,
    double rel_wis_pooled, double beats, double cover50, double cover95,
    double mean_wis);
int fc_db_skill_time_put(struct fc_db *d, int model, int target,
    long period_day, long places, double rel_wis, double cover95);
/* Bumps meta's data_version (pages and their cache follow the data) and
 * records it as the version the forecasts are of (meta forecast_version). */
int fc_db_bump_version(struct fc_db *d);
/* 1 when the data has not moved since the forecasts were written. */
int fc_db_up_to_date(struct fc_db *d);

/* The job log: a run begins 'running' (-1 on error) and ends ok or failed;
 * runs left running by a killed process are marked interrupted. */
long long fc_db_run_begin(struct fc_db *d);
int fc_db_run_end(struct fc_db *d, long long id, const char *status,
    long origins, long long rows, const char *message);
int fc_db_run_recover(struct fc_db *d);

#endif
