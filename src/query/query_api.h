/* query_api: the statements only the JSON API needs, beside query.h's
 * (which it uses for every figure the pages also show): finding a place by
 * ISO3, JHU UID or FIPS, a place's identifiers, and the daily-report rows as
 * published (v_daily), a page at a time. Like query.h: prepared once on the
 * read-only handle, called inside query_begin/query_end of the same
 * handle; 0 on success, -1 after logging; lookups return 1 found, 0 not. */
#ifndef COVID_QUERY_API_H
#define COVID_QUERY_API_H

#include <stddef.h>

#include <sqlite3.h>

#include "query/geo_level.h"

struct query_api;

struct query_api *query_api_open(sqlite3 *db);
void query_api_close(struct query_api *qa);

/* The place named by key: a country by its ISO3 code (three letters, any
 * case), any place by JHU's UID (digits), a US county by its FIPS code
 * (five digits, tried after the UID). *id is the location's id. */
int query_api_find(struct query_api *qa, const char *key, long long *id);

/* A place's JHU UID (LLONG_MIN when none) and FIPS code ("" when none). */
int query_api_ids(struct query_api *qa, long long id, long long *uid,
    char *fips, size_t fipslen);

/* One row of v_daily. Text is NULL when the file had none; counts are
 * LLONG_MIN and reals NAN when unknown. Valid during the callback only. */
/* The world's recovered on date (query.c's rule for the world: the
 * countries' time series where they have the date, else their daily
 * totals), or LLONG_MIN when unknown. 0, or -1 after logging. */
int query_api_world_recovered(struct query_api *qa, const char *date,
    long long *recovered);

struct qa_report {
	const char *date, *country, *province, *county, *fips, *iso3;
	const char *combined_key, *last_update;
	long long   uid, population;
	long long   confirmed, deaths, recovered, active, new_confirmed, new_deaths;
	double      lat, lon, incident_rate, case_fatality_ratio;
};

/* The rows of date's daily report, ordered by country, province, county;
 * only country (its name as published, or an ISO3 code: rows that carry
 * it) and province (as published) when not NULL, only level when
 * level >= 0 (a country's own row, a province's, a county's); limit rows
 * from offset. Calls row(r, arg) for each (streamed: nothing kept); a
 * non-zero return stops. *n is how many rows were passed. */
int query_api_reports(struct query_api *qa, const char *date,
    const char *country, const char *province, int level, size_t offset,
    size_t limit, int (*row)(const struct qa_report *r, void *arg), void *arg,
    size_t *n);

#endif
