/* query_status: the read side of the job logs (ingest_run, ingest_file;
 * forecast_run) for /status, /healthz and /metrics. Like query.h:
 * statements prepared once
 * (SQLITE_PREPARE_PERSISTENT) on the web tier's read-only handle, results in
 * the caller's arena, 0 on success and -1 after logging; lookups that may
 * find nothing return 1 found, 0 not. Call inside query_begin/query_end of
 * the same handle, so the job log and the data are one snapshot.
 *
 * Costs (runs: one a day; files: one per date tried):
 *   query_status_runs, _last_run     a backward rowid scan of `limit` runs
 *   query_status_forecast_runs       the same in forecast_run
 *   query_status_last_ok             a backward scan to the newest ok run
 *   query_status_failed              the files of the last `runs` runs
 *                                    (index on run_id) and, per failed file,
 *                                    an index lookup by date
 *   query_status_behind              failed files since the last ok run
 *   query_status_check               reads the database header */
#ifndef COVID_QUERY_STATUS_H
#define COVID_QUERY_STATUS_H

#include <stddef.h>

#include <sqlite3.h>

#include "base/arena.h"

/* One row of ingest_run. Times are ISO 8601 UTC ("2023-03-10T04:21:03Z");
 * finished_at is "" while a run is running. */
struct qs_run {
	long long   id;
	const char *started_at, *finished_at;
	long long   started, finished;   /* the same as Unix time; -1 none */
	long long   seconds;   /* finished - started; until now while running */
	const char *status;    /* ok, failed, interrupted, running */
	const char *source, *message;
	long long   dates_tried, dates_loaded, dates_unchanged, dates_failed;
	long long   rows_loaded, rows_rejected;
};

/* One failed row of ingest_file. */
struct qs_file {
	long long   id, run_id;
	const char *date, *url, *fetched_at, *error;
	long long   http_status;   /* 0: no HTTP exchange (file://, connect) */
	long long   fixed_by;      /* the run that loaded the date since, or 0 */
};

struct query_status;

struct query_status *query_status_open(sqlite3 *db);
void query_status_close(struct query_status *qs);

/* The last limit runs, newest first. */
int query_status_runs(struct query_status *qs, struct arena *a, size_t limit,
    struct qs_run **runs, size_t *n);
/* The newest run that has finished (any status but running). */
int query_status_last_run(struct query_status *qs, struct arena *a,
    struct qs_run *run);
/* The newest run whose status is ok. */
int query_status_last_ok(struct query_status *qs, struct arena *a,
    struct qs_run *run);
/* Files that failed in the last runs runs, newest first, at most limit. */
int query_status_failed(struct query_status *qs, struct arena *a, size_t runs,
    size_t limit, struct qs_file **files, size_t *n);
/* The newest date after newest ("" for none loaded) that failed to load in
 * a run after the last ok run: the source offered, or may have, a newer
 * date than the data has. */
int query_status_behind(struct query_status *qs, struct arena *a,
    const char *newest, struct qs_file *file);
/* One row of forecast_run (bin/covid-forecast's job log). */
struct qs_forecast_run {
	long long   id;
	const char *started_at, *finished_at;   /* finished_at "" while running */
	long long   seconds;     /* until now while running; -1 no time */
	const char *status;      /* ok, failed, interrupted, running */
	long long   origins, rows_written;
	const char *message;
};

/* The last limit forecast runs, newest first. */
int query_status_forecast_runs(struct query_status *qs, struct arena *a,
    size_t limit, struct qs_forecast_run **runs, size_t *n);

/* A cheap check that the database is what the program expects: its schema
 * version (PRAGMA user_version, from the header page) into *version. */
int query_status_check(struct query_status *qs, int *version);

#endif
