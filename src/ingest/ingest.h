/* ingest: one run of covid-ingest. Picks the dates, and for each one fetches
 * the daily report, parses it and stores it, keeping the job log and the
 * counters; decides the exit status. The command line lives in ingest_main.c. */
#ifndef COVID_INGEST_H
#define COVID_INGEST_H

#include <stddef.h>

#include "ingest/fetch.h"

/* Exit statuses (documented in README.md). */
enum {
	INGEST_EXIT_OK     = 0,   /* every date tried loaded or was unchanged */
	INGEST_EXIT_FAILED = 1,   /* some date failed, or the run could not start */
	INGEST_EXIT_USAGE  = 2,   /* bad command line */
	INGEST_EXIT_LOCKED = 75,  /* another run holds the lock (EX_TEMPFAIL) */
};

/* The first daily report JHU published. */
#define INGEST_FIRST_DATE "2020-01-22"

/* A backfill commits its dates in batches (store_batch_begin): when a batch
 * holds this many rows, or began this many seconds ago, and at the end. */
enum { INGEST_BATCH_ROWS = 100000, INGEST_BATCH_SECONDS = 2 };

struct ingest_opts {
	const char *db_path;
	const char *source;        /* base URL of the MM-DD-YYYY.csv files, no trailing '/' */
	const char *lookup;        /* URL of UID_ISO_FIPS_LookUp_Table.csv */
	const char *series;        /* folder URL of the time series, no
	                            * trailing '/'; NULL: --no-series */
	int         have_range;    /* --from/--to given */
	long        from, to;      /* day numbers (ingest_parse_date) when have_range */
	int         skip_missing;  /* a date the source lacks is skipped, not failed */
	int         progress;      /* a \r progress line on stderr (a terminal) */
	long        batch_rows;    /* a batch's budget; 0: INGEST_BATCH_ROWS */
	long        batch_seconds; /* 0: INGEST_BATCH_SECONDS */
	struct fetch_limits limits;
};

/* Runs the whole job under the single-run lock. Returns an INGEST_EXIT_*. */
int ingest_run(const struct ingest_opts *o);

/* Strict "YYYY-MM-DD" of a real calendar date into a day number (days since
 * 1970-01-01). Returns 0, or -1 when the text is not such a date. */
int ingest_parse_date(const char *s, long *day);

/* A day number as "YYYY-MM-DD" (out[11]) and as JHU's file name
 * "MM-DD-YYYY.csv" (out[15]). */
void ingest_format_date(long day, char out[11]);
void ingest_file_name(long day, char out[15]);

/* Today's day number, UTC. */
long ingest_today(void);

/* The lookup table's URL derived from a source URL: the folder above it, as
 * in JHU's layout. Returns 0, or -1 when the source has no folder to go up
 * from or the result does not fit. */
int ingest_default_lookup(const char *source, char *out, size_t outlen);
/* The time series' folder, the same way: csse_covid_19_time_series beside
 * the daily reports' folder. */
int ingest_default_series(const char *source, char *out, size_t outlen);

#endif
