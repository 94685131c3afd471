/* store: writes the ingest's results into the database. It owns the
 * read-write statements: locations (from JHU's lookup table and from rows),
 * one date's rows replaced in one transaction, the per-location deltas
 * (new_confirmed/new_deaths), the region_daily totals, the data version, and
 * the job log (ingest_run, ingest_file, rejected_row, source_file).
 * Every function logs its own errors and returns 0 on success, -1 on failure. */
#ifndef COVID_STORE_H
#define COVID_STORE_H

#include <sqlite3.h>

#include "daily_parse.h"

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
	const char *sha256;        /* hex; NULL when no body */
};

/* Job log: a run. store_run_begin records status 'running' and returns the
 * run id (> 0) or -1. store_run_end records the final counters and status.
 * A run left 'running' by a killed process is marked 'interrupted' by
 * store_run_recover(), called at start-up under the run lock. */
struct run_counts {
	int       dates_tried, dates_loaded, dates_unchanged, dates_failed;
	long long rows_loaded, rows_rejected;
};
long long store_run_begin(struct store *s, const char *source);
int store_run_end(struct store *s, long long run_id, const struct run_counts *c,
    const char *status, const char *message);
int store_run_recover(struct store *s);

/* The validators of what is loaded for a date, for a conditional request.
 * Returns 1 and fills the buffers when the date is loaded, 0 when not, -1. */
int store_source_get(struct store *s, const char *date, char *etag, size_t etaglen,
    char *last_modified, size_t lmlen, char sha256[65]);

/* The newest date loaded ("" when none), in out[11]. */
int store_newest_date(struct store *s, char out[11]);

/* Records a fetch that loaded nothing: 'unchanged' (304 or same SHA-256) or
 * 'failed' with the reason. Its own small transaction. */
int store_file_unchanged(struct store *s, long long run_id, const struct fetch_record *f);
int store_file_failed(struct store *s, long long run_id, const struct fetch_record *f,
    const char *error);

/* Replacing one date, all in ONE transaction (so a kill at any point leaves
 * either the old rows or the new ones):
 *   store_date_begin   BEGIN IMMEDIATE, records the ingest_file row
 *   store_date_row     adds a parsed row (creates an unknown location)
 *   store_date_reject  records a malformed row (line, reason, raw text)
 *   store_date_commit  replaces the date's old rows, recomputes deltas and
 *                      region totals for that date and the next, updates
 *                      source_file and data_version, COMMIT; *loaded and
 *                      *rejected receive the counts
 *   store_date_abort   ROLLBACK (then call store_file_failed) */
int store_date_begin(struct store *s, long long run_id, const struct fetch_record *f);
int store_date_row(struct store *s, const struct daily_row *row);
int store_date_reject(struct store *s, long line, const char *reason, const char *raw);
int store_date_commit(struct store *s, long long *loaded, long long *rejected);
void store_date_abort(struct store *s);

#endif
