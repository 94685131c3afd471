/* ingest_series: the time series part of a covid-ingest run: the five files
 * of JHU's csse_covid_19_time_series/ folder, each fetched (conditionally),
 * compared, parsed and stored in one transaction, with the job log. */
#ifndef COVID_INGEST_SERIES_H
#define COVID_INGEST_SERIES_H

#include <signal.h>

#include "ingest/fetch.h"

struct store;

struct series_job {
	struct store              *st;
	long long                  run_id;
	const char                *folder;   /* URL, no trailing '/' */
	const struct fetch_limits *limits;
	volatile sig_atomic_t     *stop;     /* non-zero: stop between values */
	/* Loads the lookup table, once, before the first place is stored
	 * (places get their UID, FIPS and population from it). 0 or -1. */
	int                      (*ensure_lookup)(void *arg);
	void                      *arg;

	/* What happened, file by file. */
	int loaded, unchanged, failed, missing;
	char fatal[300];   /* a database error: the run stops */
};

/* Every series file, in turn. A file the folder lacks is a warning (a mirror
 * without series); a bad file fails alone and keeps what was loaded. Returns
 * 0, or -1 when the database failed (job->fatal says why). */
int ingest_series(struct series_job *job);

#endif
