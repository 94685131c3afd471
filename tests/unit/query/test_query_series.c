/* test_query_series: which product each place's figures come from (query.h:
 * the time series where JHU publishes one, the daily reports below it and
 * after a series' end), on a hand-made database holding both products. The
 * series' values follow the formulas below (inserted by the same formulas
 * in SQL), the daily reports' values differ from them, so each expected
 * figure names the product it must come from. */
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "query/query.h"
#include "query_fixture.h"

/* Day k of January 2021 (k = 1..9) in each series. */
static double us(int k)    { return 100.0 * k; }            /* global, country */
static double kor(int k)   { return 1000.0 + 10.0 * k * k; } /* global, country */
static double ny(int k)    { return 50.0 * k; }             /* US files, state, k <= 5 */
static double kings(int k) { return 30.0 * k + k * k; }     /* US files, county, k <= 5 */
static double bronx(int k) { return 20.0 * k; }             /* US files, county, k <= 5 */
static double tx(int k)    { return 7.0 * k * k; }          /* US files, state */

static const char *fixture =
	"INSERT INTO location (id, level, parent_id, country_region, province_state,"
	"  admin2, iso3, population, slug) VALUES"
	" (1, 'country', NULL, 'US', '', '', 'USA', 1000000, 'us'),"
	" (2, 'province', 1, 'US', 'New York', '', 'USA', 200000, 'us/new-york'),"
	" (3, 'county', 2, 'US', 'New York', 'Kings', 'USA', 50000, 'us/new-york/kings'),"
	" (4, 'county', 2, 'US', 'New York', 'Queens', 'USA', 40000, 'us/new-york/queens'),"
	" (5, 'country', NULL, 'Korea, South', '', '', 'KOR', 500000, 'korea-south'),"
	" (6, 'country', NULL, 'New Zealand', '', '', 'NZL', NULL, 'new-zealand'),"
	" (9, 'province', 1, 'US', 'Texas', '', 'USA', 300000, 'us/texas'),"
	" (10, 'county', 2, 'US', 'New York', 'Bronx', 'USA', 30000, 'us/new-york/bronx');"
	/* The time series: every day, the global files (product 1) for the
	 * countries to 01-09, the US files (product 2) to 01-05 except Texas. */
	"WITH RECURSIVE d(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM d WHERE k < 9)"
	" INSERT INTO series (location_id, date, product, confirmed, deaths, recovered)"
	" SELECT 1, printf('2021-01-%02d', k), 1, 100 * k, k, 0 FROM d"
	" UNION ALL SELECT 5, printf('2021-01-%02d', k), 1, 1000 + 10 * k * k, 10 + k, 0 FROM d"
	" UNION ALL SELECT 3, printf('2021-01-%02d', k), 2, 30 * k + k * k, 1, NULL FROM d WHERE k <= 5"
	" UNION ALL SELECT 10, printf('2021-01-%02d', k), 2, 20 * k,"
	"   CASE WHEN k < 5 THEN 0 END, NULL FROM d WHERE k <= 5;"
	"WITH RECURSIVE d(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM d WHERE k < 9)"
	" INSERT INTO series_region (location_id, date, confirmed, deaths, recovered)"
	" SELECT 1, printf('2021-01-%02d', k), 100 * k, k, 0 FROM d"
	" UNION ALL SELECT 5, printf('2021-01-%02d', k), 1000 + 10 * k * k, 10 + k, 0 FROM d"
	" UNION ALL SELECT 2, printf('2021-01-%02d', k), 50 * k, 0, NULL FROM d WHERE k <= 5"
	" UNION ALL SELECT 9, printf('2021-01-%02d', k), 7 * k * k, NULL, NULL FROM d;"
	/* The daily reports: a few dates, other numbers. */
	"INSERT INTO daily_report (location_id, date, confirmed, deaths, new_confirmed, new_deaths) VALUES"
	" (3, '2021-01-02', 100, 1, NULL, NULL),"
	" (3, '2021-01-08', 170, 3, 70, 2),"
	" (3, '2021-01-09', 177, 3, 7, 0),"
	" (4, '2021-01-02', 40, 2, NULL, NULL),"
	" (4, '2021-01-09', 55, 2, 15, 0),"
	" (1, '2021-01-02', 150, 3, NULL, NULL),"
	" (1, '2021-01-09', 1000, 10, 850, 7),"
	" (5, '2021-01-02', 999, 9, NULL, NULL),"
	" (5, '2021-01-09', 1777, 17, 778, 8),"
	" (6, '2021-01-09', 5, 0, NULL, NULL),"
	" (6, '2021-01-10', 8, 0, 3, 0);"
	"INSERT INTO region_daily (location_id, date, confirmed, deaths, new_confirmed, new_deaths) VALUES"
	" (1, '2021-01-02', 290, 6, NULL, NULL),"
	" (1, '2021-01-09', 1232, 15, 942, 9),"
	" (2, '2021-01-02', 140, 3, NULL, NULL),"
	" (2, '2021-01-08', 220, 5, 80, 2),"
	" (2, '2021-01-09', 232, 5, 12, 0),"
	" (5, '2021-01-02', 999, 9, NULL, NULL),"
	" (5, '2021-01-09', 1777, 17, 778, 8),"
	" (6, '2021-01-09', 5, 0, NULL, NULL),"
	" (6, '2021-01-10', 8, 0, 3, 0);";

static int
series_of(struct query *q, struct arena *a, const char *slug, struct q_series *s)
{
	struct q_location loc;

	if (query_location(q, a, slug, &loc) != 1)
		return -1;
	return query_series(q, a, &loc, s);
}

/* A country with a series: every day of it, none of its daily reports. */
static void
test_country_with_series(struct query *q, struct arena *a)
{
	struct q_series s;
	struct q_figures f;

	CHECK_INT(series_of(q, a, "korea-south", &s), 0);
	CHECK_INT(s.n, 9);
	CHECK_INT(s.nseries, 9);
	CHECK_INT(s.source, Q_FROM_SERIES);
	CHECK_STR(s.dates[0], "2021-01-01");
	CHECK_STR(s.dates[8], "2021-01-09");
	CHECK(same_figure(s.confirmed[1], kor(2)));   /* not the report's 999 */
	CHECK(same_figure(s.confirmed[8], kor(9)));   /* not the report's 1777 */
	/* New: the change from the day before; none on the first day. */
	CHECK(isnan(s.new_confirmed[0]));
	CHECK(same_figure(s.new_confirmed[8], kor(9) - kor(8)));
	CHECK(same_figure(s.new_deaths[8], 1));
	/* 7-day average from the series: the first 7 days have none. */
	CHECK(isnan(s.avg_confirmed[6]));
	CHECK(same_figure(s.avg_confirmed[7], (kor(8) - kor(1)) / 7));
	CHECK(same_figure(s.avg_confirmed[8], (kor(9) - kor(2)) / 7));
	CHECK(same_figure(s.avg_deaths[8], 1));
	q_series_figures(&s, 8, &f);
	CHECK_INT(f.source, Q_FROM_SERIES);
	CHECK_INT(f.confirmed, (long long)kor(9));
	CHECK_INT(f.new_confirmed, (long long)(kor(9) - kor(8)));
}

/* A country without a series: its daily totals, as before. */
static void
test_country_without_series(struct query *q, struct arena *a)
{
	struct q_series s;
	struct q_figures f;

	CHECK_INT(series_of(q, a, "new-zealand", &s), 0);
	CHECK_INT(s.n, 2);
	CHECK_INT(s.nseries, 0);
	CHECK_INT(s.source, Q_FROM_DAILY);
	CHECK(same_figure(s.confirmed[1], 8));
	CHECK(same_figure(s.new_confirmed[1], 3));   /* as stored */
	q_series_figures(&s, 1, &f);
	CHECK_INT(f.source, Q_FROM_DAILY);
}

/* A county whose series (the US files) ends before its daily reports:
 * the series, then the reports dated after its end (not the one of 01-02,
 * which the series covers). */
static void
test_county_with_series(struct query *q, struct arena *a)
{
	struct q_series s;
	struct q_figures f;

	CHECK_INT(series_of(q, a, "us/new-york/kings", &s), 0);
	CHECK_INT(s.n, 7);
	CHECK_INT(s.nseries, 5);
	CHECK_INT(s.source, Q_FROM_SERIES);
	CHECK_STR(s.dates[1], "2021-01-02");
	CHECK(same_figure(s.confirmed[1], kings(2)));   /* the series', not 100 */
	CHECK_STR(s.dates[4], "2021-01-05");
	CHECK_STR(s.dates[5], "2021-01-08");
	CHECK_STR(s.dates[6], "2021-01-09");
	CHECK(same_figure(s.new_confirmed[4], kings(5) - kings(4)));
	/* A report's new figures stay its own: the change since its previous
	 * report, as stored. */
	CHECK(same_figure(s.new_confirmed[5], 70));
	CHECK(same_figure(s.new_confirmed[6], 7));
	/* The averages run across the seam: 01-08 against the series' 01-01. */
	CHECK(same_figure(s.avg_confirmed[5], (170 - kings(1)) / 7));
	CHECK(same_figure(s.avg_confirmed[6], (177 - kings(2)) / 7));
	q_series_figures(&s, 4, &f);
	CHECK_INT(f.source, Q_FROM_SERIES);
	q_series_figures(&s, 5, &f);
	CHECK_INT(f.source, Q_FROM_DAILY);

	/* A county without a series: its reported rows. */
	CHECK_INT(series_of(q, a, "us/new-york/queens", &s), 0);
	CHECK_INT(s.n, 2);
	CHECK_INT(s.source, Q_FROM_DAILY);
	CHECK(same_figure(s.confirmed[0], 40));
	CHECK(same_figure(s.new_confirmed[1], 15));

	/* A county with only a series; a missing count stays unknown. */
	CHECK_INT(series_of(q, a, "us/new-york/bronx", &s), 0);
	CHECK_INT(s.n, 5);
	CHECK_INT(s.nseries, 5);
	CHECK(same_figure(s.new_confirmed[4], bronx(5) - bronx(4)));
	CHECK(isnan(s.deaths[4]));
	CHECK(isnan(s.new_deaths[4]));
	CHECK(same_figure(s.new_deaths[3], 0));
}

/* States from the US files: New York's series ends on 01-05 and its daily
 * totals go on; Texas's series covers everything. */
static void
test_province(struct query *q, struct arena *a)
{
	struct q_series s;

	CHECK_INT(series_of(q, a, "us/new-york", &s), 0);
	CHECK_INT(s.n, 7);
	CHECK_INT(s.nseries, 5);
	CHECK(same_figure(s.confirmed[1], ny(2)));   /* not region_daily's 140 */
	CHECK(same_figure(s.new_confirmed[1], ny(2) - ny(1)));
	CHECK_STR(s.dates[5], "2021-01-08");
	CHECK(same_figure(s.confirmed[6], 232));
	CHECK(same_figure(s.new_confirmed[6], 12));

	CHECK_INT(series_of(q, a, "us/texas", &s), 0);
	CHECK_INT(s.n, 9);
	CHECK_INT(s.source, Q_FROM_SERIES);
	CHECK(same_figure(s.avg_confirmed[8], (tx(9) - tx(2)) / 7));
	CHECK(isnan(s.avg_deaths[8]));
}

/* The world: the countries' series totals (the US and Korea; provinces
 * are not added again), then the daily totals after the series' end. */
static void
test_world(struct query *q, struct arena *a)
{
	struct q_series s;
	struct q_figures f;

	CHECK_INT(query_world_series(q, a, &s), 0);
	CHECK_INT(s.n, 10);
	CHECK_INT(s.nseries, 9);
	CHECK_INT(s.source, Q_FROM_SERIES);
	CHECK_STR(s.dates[0], "2021-01-01");
	CHECK(same_figure(s.confirmed[1], us(2) + kor(2)));
	CHECK(same_figure(s.confirmed[8], us(9) + kor(9)));
	CHECK(isnan(s.new_confirmed[0]));
	CHECK(same_figure(s.new_confirmed[8], us(9) + kor(9) - us(8) - kor(8)));
	CHECK(same_figure(s.avg_confirmed[8], (us(9) + kor(9) - us(2) - kor(2)) / 7));
	CHECK(same_figure(s.deaths[8], 9 + 19));
	CHECK_STR(s.dates[9], "2021-01-10");
	CHECK(same_figure(s.confirmed[9], 8));   /* only New Zealand reported that day */
	q_series_figures(&s, 9, &f);
	CHECK_INT(f.source, Q_FROM_DAILY);
	q_series_figures(&s, 8, &f);
	CHECK_INT(f.source, Q_FROM_SERIES);
}

static const struct q_row *
find(const struct q_row *rows, size_t n, const char *slug)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].loc.slug, slug) == 0)
			return &rows[i];
	return NULL;
}

static void
test_countries(struct query *q, struct arena *a)
{
	const struct q_row *r;
	struct q_row *rows;
	size_t n;

	CHECK_INT(query_countries(q, a, "2021-01-09", &rows, &n), 0);
	CHECK_INT(n, 3);
	CHECK((r = find(rows, n, "us")) != NULL);
	if (r != NULL) {
		CHECK_INT(r->fig.source, Q_FROM_SERIES);
		CHECK_STR(r->fig.date, "2021-01-09");
		CHECK_INT(r->fig.confirmed, (long long)us(9));   /* not 1232 */
		CHECK_INT(r->fig.new_confirmed, (long long)(us(9) - us(8)));
		CHECK_INT(r->fig.new_deaths, 1);
		CHECK(same_figure(r->fig.avg_confirmed, (us(9) - us(2)) / 7));
		CHECK_INT(r->loc.population, 1000000);
	}
	CHECK((r = find(rows, n, "korea-south")) != NULL);
	if (r != NULL) {
		CHECK_INT(r->fig.source, Q_FROM_SERIES);
		CHECK_INT(r->fig.confirmed, (long long)kor(9));
		CHECK(same_figure(r->fig.avg_deaths, 1));
	}
	CHECK((r = find(rows, n, "new-zealand")) != NULL);
	if (r != NULL) {
		CHECK_INT(r->fig.source, Q_FROM_DAILY);
		CHECK_INT(r->fig.confirmed, 5);
		CHECK_INT(r->fig.new_confirmed, Q_NONE);
		CHECK(isnan(r->fig.avg_confirmed));
	}
	/* A date only the series has. */
	CHECK_INT(query_countries(q, a, "2021-01-05", &rows, &n), 0);
	CHECK_INT(n, 2);
	CHECK((r = find(rows, n, "korea-south")) != NULL);
	if (r != NULL) {
		CHECK_INT(r->fig.confirmed, (long long)kor(5));
		CHECK(isnan(r->fig.avg_confirmed));   /* no 2020-12-29 */
	}
	/* A date after the series' end: the daily totals. */
	CHECK_INT(query_countries(q, a, "2021-01-10", &rows, &n), 0);
	CHECK_INT(n, 1);
	CHECK_INT(rows[0].fig.source, Q_FROM_DAILY);
	CHECK_INT(rows[0].fig.new_confirmed, 3);
}

static void
test_children(struct query *q, struct arena *a)
{
	struct q_location loc;
	const struct q_row *r;
	struct q_row *rows;
	size_t n;

	CHECK_INT(query_location(q, a, "us", &loc), 1);
	CHECK_INT(query_children(q, a, &loc, &rows, &n), 0);
	CHECK_INT(n, 2);
	/* New York's daily totals go on after its series: the newest of them,
	 * its week-old figure from the series (which has 01-02). */
	CHECK((r = find(rows, n, "us/new-york")) != NULL);
	if (r != NULL) {
		CHECK_INT(r->fig.source, Q_FROM_DAILY);
		CHECK_STR(r->fig.date, "2021-01-09");
		CHECK_INT(r->fig.confirmed, 232);
		CHECK_INT(r->fig.new_confirmed, 12);
		CHECK(same_figure(r->fig.avg_confirmed, (232 - ny(2)) / 7));
	}
	CHECK((r = find(rows, n, "us/texas")) != NULL);
	if (r != NULL) {
		CHECK_INT(r->fig.source, Q_FROM_SERIES);
		CHECK_STR(r->fig.date, "2021-01-09");
		CHECK_INT(r->fig.confirmed, (long long)tx(9));
		CHECK_INT(r->fig.new_confirmed, (long long)(tx(9) - tx(8)));
		CHECK_INT(r->fig.deaths, Q_NONE);
		CHECK(same_figure(r->fig.avg_confirmed, (tx(9) - tx(2)) / 7));
	}

	CHECK_INT(query_location(q, a, "us/new-york", &loc), 1);
	CHECK_INT(query_children(q, a, &loc, &rows, &n), 0);
	CHECK_INT(n, 3);
	CHECK((r = find(rows, n, "us/new-york/kings")) != NULL);
	if (r != NULL) {
		CHECK_INT(r->fig.source, Q_FROM_DAILY);
		CHECK_STR(r->fig.date, "2021-01-09");
		CHECK_INT(r->fig.confirmed, 177);
		CHECK(same_figure(r->fig.avg_confirmed, (177 - kings(2)) / 7));
	}
	CHECK((r = find(rows, n, "us/new-york/queens")) != NULL);
	if (r != NULL) {
		CHECK_INT(r->fig.source, Q_FROM_DAILY);
		CHECK(same_figure(r->fig.avg_confirmed, 15.0 / 7));
	}
	CHECK((r = find(rows, n, "us/new-york/bronx")) != NULL);
	if (r != NULL) {
		CHECK_INT(r->fig.source, Q_FROM_SERIES);
		CHECK_STR(r->fig.date, "2021-01-05");
		CHECK_INT(r->fig.confirmed, (long long)bronx(5));
		CHECK_INT(r->fig.new_confirmed, (long long)(bronx(5) - bronx(4)));
		CHECK_INT(r->fig.deaths, Q_NONE);
		CHECK_INT(r->fig.new_deaths, Q_NONE);
		CHECK(isnan(r->fig.avg_confirmed));
	}
}

int
main(void)
{
	struct query_fixture fx;
	struct arena a = { 0 };

	CHECK_INT(query_fixture_open(&fx, "test-query-series", fixture), 0);
	if (fx.q != NULL) {
		struct query *q = fx.q;

		test_country_with_series(q, &a);
		test_country_without_series(q, &a);
		test_county_with_series(q, &a);
		test_province(q, &a);
		test_world(q, &a);
		test_countries(q, &a);
		test_children(q, &a);
	}
	query_fixture_close(&fx);
	arena_free(&a);
	return check_exit();
}
