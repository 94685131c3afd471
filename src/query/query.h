/* query: THE read side of the database, for pages, exports and a future JSON
 * API alike. Statements are prepared once (SQLITE_PREPARE_PERSISTENT) on a
 * read-only handle from db_open_ro; functions return plain structs and
 * arrays allocated in an arena the caller owns, so there is nothing to free
 * one by one. Every function returns 0 on success and -1 after logging a
 * database error; lookups that may find nothing return 1 found, 0 not.
 *
 * Costs (n = dates in the data, about 1,150 for the whole history):
 *   query_data_version, query_meta      a few index lookups
 *   query_location*                     one index lookup
 *   query_series                        one range scan of n rows (the
 *                                       series, then the daily reports
 *                                       after its end)
 *   query_children                      a few index lookups per child
 *   query_countries, query_places_on    a few index lookups per place
 *   query_world_series                  scans every country total (n x ~200
 *                                       rows): call once per data version
 *   query_search                        a scan in C of the ~4,300 place names,
 *                                       read once per data version
 *
 * Which product a figure comes from. JHU publishes two: the daily reports
 * (daily_report, region_daily: every place, many fields, the dates this
 * database loaded) and the time series (series, series_region: fewer
 * places, three fields, every day, revised by JHU when it corrects the
 * past). A place's history is its time series when JHU publishes one for
 * it (countries, their listed provinces, US states and counties), and the
 * daily reports otherwise. A series that ends before the daily reports do
 * (JHU's US files end before the global ones) is followed by the daily
 * reports dated after its last day, each row marked as such; nothing is
 * spliced in before its end. New figures are the change from the row
 * before in the row's own product: from the day before in a series, from
 * the place's previous report in the daily reports (the first report after
 * a series' end is measured against the report before it, as the daily
 * reports' new figures always are). 7-day averages are made from the
 * cumulative history as shown, across the seam. */
#ifndef COVID_QUERY_H
#define COVID_QUERY_H

#include <limits.h>
#include <stddef.h>

#include <sqlite3.h>

#include "base/arena.h"
#include "query/geo_level.h"

#define Q_NONE LLONG_MIN   /* a count the data does not have (NULL) */

struct q_meta {
	long long data_version;
	char      refreshed_at[24];   /* ISO 8601 UTC, or "" */
	char      newest[11];         /* newest date with data, or "" */
	char      oldest[11];
};

struct q_location {
	long long    id, parent_id;   /* parent_id 0: none */
	enum geo_level level;
	const char  *slug;
	const char  *name;            /* its own name: county, province or country */
	const char  *country, *province, *county;   /* "" when none */
	const char  *iso3;            /* or NULL */
	const char  *fips;            /* or NULL: "27", "27053" (US) */
	long long    population;      /* or Q_NONE */
};

/* The product a figure comes from (see above). */
enum q_source { Q_FROM_DAILY, Q_FROM_SERIES };

/* One place's figures on one date. */
struct q_figures {
	char      date[11];           /* "" when the place has no data */
	long long confirmed, deaths, new_confirmed, new_deaths;   /* or Q_NONE */
	double    avg_confirmed, avg_deaths;   /* 7-day average of new; NAN */
	enum q_source source;
};

struct q_row {
	struct q_location loc;
	struct q_figures  fig;
};

/* A daily series: arrays of n, dates ascending (gaps possible). Values are
 * doubles (NAN = none) so charts take them as they are; counts up to 2^53
 * are exact. Rows [0, nseries) come from the time series, rows
 * [nseries, n) from the daily reports; source is Q_FROM_SERIES when
 * nseries > 0. */
struct q_series {
	size_t        n, nseries;
	enum q_source source;
	const char  **dates;
	double       *confirmed, *deaths, *new_confirmed, *new_deaths;
	double       *avg_confirmed, *avg_deaths;
};

struct query;

struct query *query_open(sqlite3 *db);
void query_close(struct query *q);

/* One read transaction around a request, so every query in it sees the
 * same data even while an ingest commits. */
int query_begin(struct query *q);
void query_end(struct query *q);

int query_data_version(struct query *q, long long *version);
int query_meta(struct query *q, struct q_meta *m);

int query_location(struct query *q, struct arena *a, const char *slug,
    struct q_location *loc);
int query_location_id(struct query *q, struct arena *a, long long id,
    struct q_location *loc);

/* The world: the sum of every country's totals, per date, from the time
 * series when any country has one (then the daily reports' sums for the
 * dates after its end), else from the daily reports; new figures are the
 * change in that sum from the previous date. */
int query_world_series(struct query *q, struct arena *a, struct q_series *s);
/* Countries and provinces: their totals (series_region, else region_daily);
 * counties: their rows (series, else daily_report). */
int query_series(struct query *q, struct arena *a, const struct q_location *loc,
    struct q_series *s);
/* Every country with a total on date, its figures on that date: from its
 * time series when that has the date, else from the daily reports. */
int query_countries(struct query *q, struct arena *a, const char *date,
    struct q_row **rows, size_t *n);
/* The places of level (GEO_PROVINCE or GEO_COUNTY) under in (a country;
 * for counties also a province) with a figure on date, as
 * query_countries: from the time series when it has the date, else from
 * the daily reports. */
int query_places_on(struct query *q, struct arena *a, const struct q_location *in,
    enum geo_level level, const char *date, struct q_row **rows, size_t *n);
/* The places directly below loc, each with its newest figures (from its
 * time series unless its daily reports go on after the series' end). */
int query_children(struct query *q, struct arena *a, const struct q_location *loc,
    struct q_row **rows, size_t *n);
/* Every country, by name (for the download form). */
int query_country_list(struct query *q, struct arena *a,
    struct q_location **rows, size_t *n);

/* Places whose own name contains text (case-insensitive for ASCII), ranked:
 * exact name, then prefix, then substring; countries before provinces before
 * counties; then by name. Returns up to limit from offset, and the total.
 * The rows' strings belong to q: valid until the data version changes and
 * query_search is called again (a later request). Call inside query_begin. */
int query_search(struct query *q, struct arena *a, const char *text,
    size_t offset, size_t limit, struct q_location **rows, size_t *n,
    size_t *total);

/* Fills s->avg_* from the cumulative series: (C(d) - C(d - 7 days)) / 7
 * when both are known, else NAN. Works across gaps in the dates. */
void q_series_average(struct q_series *s);
/* The figures at index i of s (i < s->n). */
void q_series_figures(const struct q_series *s, size_t i, struct q_figures *f);
/* count per 100,000 of population; NAN when either is unknown (Q_NONE) or
 * the population is not positive. The one rule every page, file and API
 * answer uses. */
double q_per_100k(long long count, long long population);

#endif
