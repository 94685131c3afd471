/* store: writes the ingest's results into the database. It owns the
 * read-write statements: locations (from JHU's lookup table and from rows),
 * one date's rows replaced atomically, the per-location deltas
 * (new_confirmed/new_deaths), the region_daily totals, the data version, and
 * the job log (ingest_run, ingest_file, rejected_row, source_file).
 * Every function logs its own errors and returns 0 on success, -1 on failure. */
#ifndef COVID_STORE_H
#define COVID_STORE_H

#include <sqlite3.h>

#include "store/daily_row.h"

struct store;

struct store *store_open(sqlite3 *db);   /* prepares statements */
void store_close(struct store *s);

/* Upserts every row of UID_ISO_FIPS_LookUp_Table.csv into location (uid, iso,
 * fips, lat/long, population, combined_key, slug, parent). One transaction.
 * A malformed lookup row is skipped with a warning; a body that is not the
 * lookup table fails. */
int store_load_lookup(struct store *s, const char *buf, size_t len);

/* What the fetch learned about one file, for the job log. */
struct fetch_record {
	const char *date;          /* YYYY-MM-DD */
	const char *url;
	long        http_status;   /* 0 when there was no HTTP exchange (file://) */
	const char *etag;          /* NULL when none */
	const char *last_modified; /* NULL when none */
	int         last_modified_strong; /* fit for If-Modified-Since
	                                   * (fetch_last_modified_strong) */
	const char *sha256;        /* hex; NULL when no body */
	const char *series;        /* the time series file's name
	                            * ("confirmed_global"); NULL for a daily
	                            * report, whose date is then date */
};

/* Job log: a run. store_run_begin records status 'running' and returns the
 * run id (> 0) or -1. store_run_end records the final counters and status.
 * A run left 'running' by a killed process is marked 'interrupted' by
 * store_run_recover(), called at start-up under the run lock, which also
 * builds the indexes a killed first load left (store_bulk_recover). */
struct run_counts {
	int       dates_tried, dates_loaded, dates_unchanged, dates_failed;
	long long rows_loaded, rows_rejected;
};
long long store_run_begin(struct store *s, const char *source);
int store_run_end(struct store *s, long long run_id, const struct run_counts *c,
    const char *status, const char *message);
int store_run_recover(struct store *s);

/* The job log read back after a run, for the notice about it
 * (ingest/notify; the portal's status page reads the job log through
 * query/query_status). The strings are malloc'd. */
struct run_record {
	long long   id;
	const char *status;       /* ok, failed, interrupted */
	const char *finished_at;  /* ISO 8601 UTC */
	const char *message;      /* the run's summary line */
	long long   files_failed;
	const char *first_date;   /* the first failed file's date and error, */
	const char *first_error;  /* or NULL */
};
/* These take a connection, not a store: the run is over and a read-only
 * connection will do. 1 and *r filled; 0 when there is no such run; -1 when
 * the job log cannot be read (sqlite3_errmsg(db) says why: they do not log,
 * the caller says what it was doing). Unless 1, *r is left empty.
 *   store_run_find    the newest run process pid started at or after
 *                     `after` ("YYYY-MM-DDTHH:MM:SSZ"; a pid alone may
 *                     have run before, in another boot or container), with
 *                     its failed files
 *   store_run_before  the finished run before run id
 *   store_run_record_free  frees *r's strings and empties it */
int store_run_find(sqlite3 *db, const char *after, long long pid,
    struct run_record *r);
int store_run_before(sqlite3 *db, long long id, struct run_record *r);
void store_run_record_free(struct run_record *r);

/* What source_file holds for a date: the SHA-256 of the bytes loaded, and
 * the validators of the URL they came from last. */
struct source_state {
	int  same_url;                /* that URL is the one asked about */
	char etag[256];               /* "" when none */
	char last_modified[64];       /* "" when none */
	int  last_modified_strong;
	char sha256[65];
	long long places;             /* a series file: the places it listed */
};

/* For a conditional request to url. Returns 1 and fills *out when the date
 * is loaded, 0 when not (*out zeroed), -1. */
int store_source_get(struct store *s, const char *date, const char *url,
    struct source_state *out);

/* The newest date loaded ("" when none), in out[11]. */
int store_newest_date(struct store *s, char out[11]);

/* Records a fetch that loaded nothing: 'unchanged' (304 or same SHA-256) or
 * 'failed' with the reason. Its own small transaction (or a step of the
 * batch). 'unchanged' also keeps f's URL and validators for the body loaded
 * (f->sha256), so that identical bytes served with a new ETag or
 * Last-Modified, or from another URL, get a 304 next time. */
int store_file_unchanged(struct store *s, long long run_id, const struct fetch_record *f);
int store_file_failed(struct store *s, long long run_id, const struct fetch_record *f,
    const char *error);

/* Replacing one date, all in ONE transaction, or in a batch's (so a kill at
 * any point leaves either the old rows or the new ones):
 *   store_date_begin   BEGIN IMMEDIATE (in a batch: SAVEPOINT), records the
 *                      ingest_file row
 *   store_date_row     keeps a parsed row (creates an unknown location)
 *   store_date_reject  records a malformed row (line, reason, raw text)
 *   store_date_commit  sums the region totals (in a batch: RELEASE), then
 *                      replaces the date's old rows, recomputes deltas and
 *                      region totals for that date and the next, updates
 *                      source_file and data_version, COMMIT (in a batch:
 *                      that is store_batch_commit's); *loaded and *rejected
 *                      receive the counts. -1 once the rows are being
 *                      written (a database error): in a batch, the whole
 *                      batch is rolled back (store_batch_due says so)
 *   store_date_abort   ROLLBACK (in a batch: ROLLBACK TO the date's
 *                      savepoint); then call store_file_failed */
int store_date_begin(struct store *s, long long run_id, const struct fetch_record *f);
int store_date_row(struct store *s, const struct daily_row *row);
int store_date_reject(struct store *s, long line, const char *reason, const char *raw);
int store_date_commit(struct store *s, long long *loaded, long long *rejected);
void store_date_abort(struct store *s);

/* Group commit, for a backfill. By default every date and every file log row
 * is a transaction of its own. Between store_batch_begin and store_batch_end
 * they are steps of one transaction instead: each a SAVEPOINT, released when
 * it succeeds and rolled back alone when it fails (the others stay: a date
 * whose file is bad, truncated, interrupted), and committed together by
 * store_batch_commit. Once a date's file is read its savepoint is released
 * and its rows are written into the batch: only the database can fail then
 * (a full disk), and the batch is lost. Readers see a batch all at once;
 * a process killed before the commit leaves the database as the last commit
 * left it, and the next run does the batch's dates again. Every commit also
 * records the run's counters (from its ingest_file rows), so the job log
 * always describes exactly what is committed.
 *   store_batch_begin   starts batching; max_rows and max_seconds are the
 *                       budget of one transaction
 *   store_batch_due     1 when the open batch holds max_rows rows or began
 *                       max_seconds ago (or was lost): commit it now
 *   store_batch_commit  commits the open batch, if any. -1: it is not in the
 *                       database (SQLite rolled it back, or the commit
 *                       failed): none of its steps happened
 *   store_batch_end     store_batch_commit, then one transaction per step
 *                       again
 * A commit writes each page the batch changed once, where a transaction per
 * date wrote one page per place of the per-place index for every date. */
int store_batch_begin(struct store *s, long long max_rows, double max_seconds);
int store_batch_due(struct store *s);
int store_batch_commit(struct store *s);
int store_batch_end(struct store *s);

/* A first load (migration 0007): into a database with no daily reports
 * yet, the per-place indexes are dropped and built once at the end, which
 * takes well under half the time of keeping them in order date by date.
 *   store_bulk_begin    outside any transaction. 1: the database had no
 *                       daily reports and the indexes wait in
 *                       deferred_index; 0: it has some, nothing changed
 *   store_bulk_end      builds the deferred indexes (one sort each) in a
 *                       transaction of its own; also after a failed load
 *   store_bulk_recover  at start-up (store_run_recover calls it): builds
 *                       the indexes a killed load left in deferred_index
 * Readers get the same answers meanwhile, only slower. */
int store_bulk_begin(struct store *s);
int store_bulk_end(struct store *s);
int store_bulk_recover(struct store *s);

/* JHU's time series (migration 0005): one file is one metric of one
 * product for every place and date, loaded in ONE transaction (a step of a
 * batch, as a date is):
 *   store_series_begin   BEGIN IMMEDIATE, records the ingest_file row
 *                        (f->series names the file, f->date is its newest
 *                        date column)
 *   store_series_place   names the place whose values follow (created with
 *                        its parents when unknown)
 *   store_series_value   one date's value of that place: written only when
 *                        it differs from what is stored, so a revised file
 *                        rewrites only what JHU changed
 *   store_series_commit  the region totals (series_region: a country sums
 *                        the global files' rows under it, a province the
 *                        rows under it of either family), series_source,
 *                        data_version, COMMIT; *values and *changed (values
 *                        and totals written because they differed) receive
 *                        the counts
 *   store_series_abort   ROLLBACK; then call store_file_failed
 * first_day (a day number) and days are the file's date columns. Each value
 * goes straight to the database; what the load keeps in memory is the
 * regions' totals (regions x days), not the file. */
enum series_product { SERIES_PRODUCT_GLOBAL = 1, SERIES_PRODUCT_US = 2 };
enum series_metric { SERIES_CONFIRMED, SERIES_DEATHS, SERIES_RECOVERED };

/* What series_source holds for the file name (as store_source_get). */
int store_series_source_get(struct store *s, const char *name, const char *url,
    struct source_state *out);
int store_series_begin(struct store *s, long long run_id,
    const struct fetch_record *f, enum series_product product,
    enum series_metric metric, long first_day, long days);
int store_series_place(struct store *s, const char *country,
    const char *province, const char *admin2, const char *fips,
    const char *combined_key);
int store_series_value(struct store *s, long day, int present, long long v);
int store_series_commit(struct store *s, long long *values, long long *changed);
void store_series_abort(struct store *s);

#endif
