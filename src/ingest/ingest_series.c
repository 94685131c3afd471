/* ingest_series: the time series files of a run (ingest_series.h). */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/log.h"
#include "ingest/ingest_series.h"
#include "ingest/refetch.h"
#include "ingest/series_parse.h"
#include "store/store.h"

/* JHU's five files: the name (time_series_covid19_NAME.csv), the layout its
 * header must have, and what it holds. */
static const struct series_file {
	const char          *name;
	enum series_layout   layout;
	enum series_product  product;
	enum series_metric   metric;
} series_files[] = {
	{ "confirmed_global", SERIES_GLOBAL, SERIES_PRODUCT_GLOBAL, SERIES_CONFIRMED },
	{ "deaths_global",    SERIES_GLOBAL, SERIES_PRODUCT_GLOBAL, SERIES_DEATHS },
	{ "recovered_global", SERIES_GLOBAL, SERIES_PRODUCT_GLOBAL, SERIES_RECOVERED },
	{ "confirmed_US",     SERIES_US,     SERIES_PRODUCT_US,     SERIES_CONFIRMED },
	{ "deaths_US",        SERIES_US,     SERIES_PRODUCT_US,     SERIES_DEATHS },
};

enum outcome { S_LOADED, S_UNCHANGED, S_FAILED, S_MISSING, S_FATAL };

static enum outcome
fail(struct series_job *job, const struct fetch_record *rec, const char *why)
{
	log_err("series %s: failed: %s (%s)", rec->series, why, rec->url);
	if (store_file_failed(job->st, job->run_id, rec, why) != 0) {
		snprintf(job->fatal, sizeof job->fatal, "database error recording "
		    "series %s", rec->series);
		return S_FATAL;
	}
	return S_FAILED;
}

/* Every place and value of the parsed file into the open transaction.
 * Returns 0, or -1 with the reason in why. */
static int
load_values(struct series_job *job, struct series_parser *p, long *places,
    char *why, size_t whylen)
{
	struct series_place pl;
	long long v;
	long day;
	int n, present;

	*places = 0;
	while ((n = series_parser_place(p, &pl, why, whylen)) == 1) {
		if (store_series_place(job->st, pl.country_region,
		    pl.province_state, pl.admin2, pl.fips, pl.combined_key) != 0) {
			snprintf(why, whylen, "database error storing the place "
			    "of line %ld", pl.line);
			return -1;
		}
		while ((n = series_parser_value(p, &day, &v, &present, why,
		    whylen)) == 1) {
			if (store_series_value(job->st, day, present, v) != 0) {
				snprintf(why, whylen, "database error storing line %ld",
				    pl.line);
				return -1;
			}
		}
		if (n < 0)
			return -1;
		if (*job->stop) {
			snprintf(why, whylen, "interrupted by signal %d",
			    (int)*job->stop);
			return -1;
		}
		(*places)++;
	}
	if (n < 0)
		return -1;
	if (*places == 0) {
		snprintf(why, whylen, "no places could be read");
		return -1;
	}
	return 0;
}

/* Parses and stores a fetched body. */
static enum outcome
load_file(struct series_job *job, const struct series_file *sf,
    struct fetch_record *rec, const struct fetch_result *f,
    long long old_places)
{
	struct series_parser *p;
	char why[512], last[11];
	long long values = 0, changed = 0;
	long places = 0;
	enum outcome out;

	if ((p = series_parser_open(fileno(f->file), f->len, why,
	    sizeof why)) == NULL)
		return fail(job, rec, why);
	if (series_parser_layout(p) != sf->layout) {
		series_parser_free(p);
		return fail(job, rec, sf->layout == SERIES_US ? "wrong header: "
		    "the global layout in a US file" : "wrong header: the US "
		    "layout in a global file");
	}
	date_ymd(series_parser_first_day(p) + series_parser_days(p) - 1, last);
	rec->date = last;
	if (job->ensure_lookup(job->arg) != 0) {
		series_parser_free(p);
		fail(job, rec, "the lookup table could not be loaded");
		snprintf(job->fatal, sizeof job->fatal, "the lookup table could "
		    "not be loaded");
		return S_FATAL;
	}
	if (store_series_begin(job->st, job->run_id, rec, sf->product,
	    sf->metric, series_parser_first_day(p), series_parser_days(p)) != 0)
		out = fail(job, rec, "database error starting the file");
	else if (load_values(job, p, &places, why, sizeof why) != 0) {
		store_series_abort(job->st);
		out = fail(job, rec, why);
	} else if (places * 2 < old_places) {
		/* Cut at a line break, it parses: far fewer places than the
		 * version loaded is more likely that than a revision. */
		store_series_abort(job->st);
		snprintf(why, sizeof why, "only %ld places where %lld are loaded: "
		    "truncated? (kept the old values)", places, old_places);
		out = fail(job, rec, why);
	} else if (store_series_commit(job->st, &values, &changed) != 0) {
		out = fail(job, rec, "database error committing the file");
	} else {
		log_info("series %s: loaded %ld places, %lld values through %s "
		    "(%lld changed)", sf->name, places, values, last, changed);
		if (job->committed != NULL)
			job->committed(job->arg);
		out = S_LOADED;
	}
	series_parser_free(p);
	return out;
}

static enum outcome
do_file(struct series_job *job, const struct series_file *sf)
{
	char url[4400];
	struct source_state stored;
	struct fetch_record rec;
	struct fetch_result f;
	struct fetch_limits limits = *job->limits;
	enum outcome out;
	int have, rc;

	snprintf(url, sizeof url, "%s/time_series_covid19_%s.csv", job->folder,
	    sf->name);
	memset(&rec, 0, sizeof rec);
	rec.date = "";
	rec.url = url;
	rec.series = sf->name;
	if ((have = store_series_source_get(job->st, sf->name, url, &stored)) < 0) {
		snprintf(job->fatal, sizeof job->fatal, "database error reading "
		    "series %s", sf->name);
		return S_FATAL;
	}
	/* A file of 3,000 dates is tens of MB: on disk, read through a
	 * window (series_parser_open), not in memory. */
	limits.body_to_file = 1;
	rc = ingest_refetch(url, &limits, have, &stored, &f, &rec);
	if (rc == REFETCH_FAILED && f.not_found) {
		log_warn("series %s: not in the source, skipped (%s)", sf->name, url);
		out = S_MISSING;
	} else if (rc == REFETCH_FAILED)
		out = fail(job, &rec, f.error);
	else if (rc == REFETCH_BOGUS_304)
		out = fail(job, &rec, "304 Not Modified to an unconditional request");
	else if (rc == REFETCH_UNCHANGED) {
		log_info("series %s: unchanged (%s)", sf->name,
		    f.not_modified ? "not modified" : "same SHA-256");
		out = store_file_unchanged(job->st, job->run_id, &rec) == 0 ?
		    S_UNCHANGED : fail(job, &rec, "database error");
	} else
		out = load_file(job, sf, &rec, &f, have ? stored.places : 0);
	fetch_result_free(&f);
	return out;
}

int
ingest_series(struct series_job *job)
{
	for (size_t i = 0; i < sizeof series_files / sizeof series_files[0]; i++) {
		if (*job->stop)
			break;
		switch (do_file(job, &series_files[i])) {
		case S_LOADED:    job->loaded++; break;
		case S_UNCHANGED: job->unchanged++; break;
		case S_FAILED:    job->failed++; break;
		case S_MISSING:   job->missing++; break;
		case S_FATAL:     job->failed++; return -1;
		}
	}
	return 0;
}
