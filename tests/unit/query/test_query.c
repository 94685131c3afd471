/* test_query: the query layer against a small hand-made database whose
 * every expected figure is worked out here from the rows inserted. */
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "query/query.h"
#include "query_fixture.h"

static const char *fixture =
	"INSERT INTO location (id, level, parent_id, country_region, province_state,"
	"  admin2, iso3, population, slug) VALUES"
	" (1, 'country', NULL, 'US', '', '', 'USA', 1000000, 'us'),"
	" (2, 'province', 1, 'US', 'New York', '', 'USA', 200000, 'us/new-york'),"
	" (3, 'county', 2, 'US', 'New York', 'Kings', 'USA', 50000, 'us/new-york/kings'),"
	" (4, 'county', 2, 'US', 'New York', 'New York', 'USA', NULL, 'us/new-york/new-york'),"
	" (5, 'country', NULL, 'Korea, South', '', '', 'KOR', 500000, 'korea-south'),"
	" (6, 'country', NULL, 'New Zealand', '', '', 'NZL', NULL, 'new-zealand'),"
	" (7, 'province', 1, 'US', '100% Fake_Place', '', NULL, NULL, 'us/100-fake-place'),"
	" (8, 'country', NULL, 'Yorkshire Land', '', '', NULL, NULL, 'yorkshire-land');"
	/* Kings: reports on 01-01, 01-02, 01-08 (a gap), 01-09. */
	"INSERT INTO daily_report (location_id, date, confirmed, deaths, new_confirmed, new_deaths) VALUES"
	" (3, '2021-01-01', 100, 1, NULL, NULL),"
	" (3, '2021-01-02', 110, 1, 10, 0),"
	" (3, '2021-01-08', 170, 3, 60, 2),"
	" (3, '2021-01-09', 177, NULL, 7, NULL),"
	" (4, '2021-01-02', 40, 2, NULL, NULL),"
	" (5, '2021-01-02', 1000, 10, NULL, NULL),"
	" (5, '2021-01-09', 1070, 17, 70, 7);"
	"INSERT INTO region_daily (location_id, date, confirmed, deaths, new_confirmed, new_deaths) VALUES"
	" (1, '2021-01-01', 100, 1, NULL, NULL),"
	" (1, '2021-01-02', 150, 3, 50, 2),"
	" (1, '2021-01-08', 170, 3, 20, 0),"
	" (1, '2021-01-09', 177, 3, 7, 0),"
	" (2, '2021-01-02', 150, 3, NULL, NULL),"
	" (2, '2021-01-09', 177, 3, 27, 0),"
	" (5, '2021-01-02', 1000, 10, NULL, NULL),"
	" (5, '2021-01-09', 1070, 17, 70, 7),"
	" (6, '2021-01-09', 5, 0, NULL, NULL);"
	"UPDATE meta SET value = '12' WHERE key = 'data_version';"
	"UPDATE meta SET value = '2023-03-10T04:21:03Z' WHERE key = 'refreshed_at';";

static void
test_series(struct query *q, struct arena *a)
{
	struct q_location loc;
	struct q_series s;
	struct q_figures f;

	CHECK_INT(query_location(q, a, "us/new-york/kings", &loc), 1);
	CHECK_INT(loc.level, GEO_COUNTY);
	CHECK_STR(loc.name, "Kings");
	CHECK_STR(loc.province, "New York");
	CHECK_INT(loc.population, 50000);
	CHECK_INT(loc.parent_id, 2);
	CHECK_INT(query_location(q, a, "us/nowhere", &loc), 0);
	CHECK_INT(query_location(q, a, "us/new-york/kings", &loc), 1);

	CHECK_INT(query_series(q, a, &loc, &s), 0);
	CHECK_INT(s.n, 4);
	CHECK_STR(s.dates[0], "2021-01-01");
	CHECK_STR(s.dates[3], "2021-01-09");
	CHECK(same_figure(s.confirmed[2], 170));
	CHECK(isnan(s.new_confirmed[0]));
	CHECK(isnan(s.deaths[3]));
	/* 7-day average = (C(d) - C(d-7)) / 7, only where d-7 was reported:
	 * 01-08 has 01-01 (170-100)/7, 01-09 has 01-02 (177-110)/7. */
	CHECK(isnan(s.avg_confirmed[0]));
	CHECK(isnan(s.avg_confirmed[1]));
	CHECK(same_figure(s.avg_confirmed[2], 70.0 / 7));
	CHECK(same_figure(s.avg_confirmed[3], 67.0 / 7));
	CHECK(same_figure(s.avg_deaths[2], 2.0 / 7));
	CHECK(isnan(s.avg_deaths[3]));   /* deaths unknown on 01-09 */
	q_series_figures(&s, 3, &f);
	CHECK_STR(f.date, "2021-01-09");
	CHECK_INT(f.confirmed, 177);
	CHECK_INT(f.deaths, Q_NONE);
	CHECK_INT(f.new_confirmed, 7);

	/* A province reads its totals. */
	CHECK_INT(query_location(q, a, "us/new-york", &loc), 1);
	CHECK_INT(query_series(q, a, &loc, &s), 0);
	CHECK_INT(s.n, 2);
	CHECK(same_figure(s.confirmed[1], 177));
	CHECK(same_figure(s.avg_confirmed[1], 27.0 / 7));

	/* The world: the sum of the countries per date (US, Korea, NZ). */
	CHECK_INT(query_world_series(q, a, &s), 0);
	CHECK_INT(s.n, 4);
	CHECK_STR(s.dates[1], "2021-01-02");
	CHECK(same_figure(s.confirmed[1], 150 + 1000));
	CHECK(same_figure(s.confirmed[3], 177 + 1070 + 5));
	CHECK(same_figure(s.new_confirmed[3], (177 + 1070 + 5) - (170)));   /* 01-08: US only */
	CHECK(isnan(s.new_confirmed[0]));
	CHECK(same_figure(s.avg_confirmed[3], ((177 + 1070 + 5) - (150 + 1000)) / 7.0));
}

static void
test_tables(struct query *q, struct arena *a)
{
	struct q_location loc, *list;
	struct q_row *rows;
	size_t n;

	CHECK_INT(query_countries(q, a, "2021-01-09", &rows, &n), 0);
	CHECK_INT(n, 3);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(rows[i].loc.slug, "korea-south") == 0) {
			CHECK_INT(rows[i].fig.confirmed, 1070);
			CHECK_INT(rows[i].fig.new_deaths, 7);
			CHECK(same_figure(rows[i].fig.avg_confirmed, 70.0 / 7));
			CHECK_STR(rows[i].loc.iso3, "KOR");
		}
		if (strcmp(rows[i].loc.slug, "new-zealand") == 0) {
			CHECK(isnan(rows[i].fig.avg_confirmed));
			CHECK_INT(rows[i].loc.population, Q_NONE);
		}
	}
	CHECK_INT(query_countries(q, a, "not a date", &rows, &n), 0);
	CHECK_INT(n, 0);

	/* Children: provinces from totals, counties from their rows, each on
	 * its own newest date. */
	CHECK_INT(query_location(q, a, "us", &loc), 1);
	CHECK_INT(query_children(q, a, &loc, &rows, &n), 0);
	CHECK_INT(n, 2);   /* New York, 100% Fake_Place (no data) */
	CHECK_INT(query_location(q, a, "us/new-york", &loc), 1);
	CHECK_INT(query_children(q, a, &loc, &rows, &n), 0);
	CHECK_INT(n, 2);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(rows[i].loc.name, "Kings") == 0) {
			CHECK_STR(rows[i].fig.date, "2021-01-09");
			CHECK_INT(rows[i].fig.confirmed, 177);
			CHECK(same_figure(rows[i].fig.avg_confirmed, 67.0 / 7));
		} else {
			CHECK_STR(rows[i].fig.date, "2021-01-02");
			CHECK_INT(rows[i].fig.confirmed, 40);
		}
	}
	CHECK_INT(query_country_list(q, a, &list, &n), 0);
	CHECK_INT(n, 4);
	CHECK_STR(list[0].name, "Korea, South");
	CHECK_STR(list[3].name, "Yorkshire Land");
}

static void
test_search(struct query *q, struct arena *a)
{
	struct q_location *r;
	size_t n, total;

	/* "new york": the province (exact) before the county (exact), then the
	 * prefix matches; case-insensitive. */
	CHECK_INT(query_search(q, a, "NEW YORK", 0, 10, &r, &n, &total), 0);
	CHECK_INT(total, 2);
	CHECK_STR(r[0].slug, "us/new-york");
	CHECK_STR(r[1].slug, "us/new-york/new-york");
	/* "york": prefix "Yorkshire Land" first, then substrings by level. */
	CHECK_INT(query_search(q, a, "york", 0, 10, &r, &n, &total), 0);
	CHECK_INT(total, 3);
	CHECK_STR(r[0].slug, "yorkshire-land");
	CHECK_STR(r[1].slug, "us/new-york");
	CHECK_STR(r[2].slug, "us/new-york/new-york");
	/* "korea" finds "Korea, South"; "new" finds New Zealand first (a
	 * country), then the province and the county. */
	CHECK_INT(query_search(q, a, "korea", 0, 10, &r, &n, &total), 0);
	CHECK_INT(n, 1);
	CHECK_STR(r[0].name, "Korea, South");
	CHECK_INT(query_search(q, a, "new", 0, 10, &r, &n, &total), 0);
	CHECK_INT(total, 3);
	CHECK_STR(r[0].slug, "new-zealand");
	/* Paging. */
	CHECK_INT(query_search(q, a, "new", 1, 1, &r, &n, &total), 0);
	CHECK_INT(n, 1);
	CHECK_INT(total, 3);
	CHECK_STR(r[0].slug, "us/new-york");
	CHECK_INT(query_search(q, a, "new", 3, 10, &r, &n, &total), 0);
	CHECK_INT(n, 0);
	/* LIKE's wildcards are literal. */
	CHECK_INT(query_search(q, a, "%", 0, 10, &r, &n, &total), 0);
	CHECK_INT(total, 1);
	CHECK_STR(r[0].slug, "us/100-fake-place");
	CHECK_INT(query_search(q, a, "e_P", 0, 10, &r, &n, &total), 0);
	CHECK_INT(total, 1);
	CHECK_INT(query_search(q, a, "_", 0, 10, &r, &n, &total), 0);
	CHECK_INT(total, 1);
	CHECK_INT(query_search(q, a, "zzz", 0, 10, &r, &n, &total), 0);
	CHECK_INT(total, 0);
}

static void
test_snapshot(struct query *q, sqlite3 *rw)
{
	struct q_meta m;
	long long v = 0;

	/* Inside one read transaction a writer's commit is not seen. */
	CHECK_INT(query_begin(q), 0);
	CHECK_INT(query_meta(q, &m), 0);
	CHECK_INT(m.data_version, 12);
	CHECK_STR(m.refreshed_at, "2023-03-10T04:21:03Z");
	CHECK_STR(m.newest, "2021-01-09");
	CHECK_STR(m.oldest, "2021-01-01");
	CHECK_INT(sqlite3_exec(rw, "UPDATE meta SET value = '13' WHERE key = "
	    "'data_version'", NULL, NULL, NULL), SQLITE_OK);
	CHECK_INT(query_data_version(q, &v), 0);
	CHECK_INT(v, 12);
	query_end(q);
	CHECK_INT(query_data_version(q, &v), 0);
	CHECK_INT(v, 13);
}

/* The search reads the places once per data version: a place added with
 * a new version is found, not before it. */
static void
test_search_follows_data(struct query *q, sqlite3 *rw, struct arena *a)
{
	struct q_location *r;
	size_t n, total;

	CHECK_INT(query_begin(q), 0);
	CHECK_INT(query_search(q, a, "newtown", 0, 10, &r, &n, &total), 0);
	CHECK_INT(total, 0);
	query_end(q);
	CHECK_INT(sqlite3_exec(rw, "INSERT INTO location (level, country_region, "
	    "slug) VALUES ('country', 'Newtownland', 'newtownland')", NULL, NULL,
	    NULL), SQLITE_OK);
	/* The same data version: the index stays as it was. */
	CHECK_INT(query_begin(q), 0);
	CHECK_INT(query_search(q, a, "newtown", 0, 10, &r, &n, &total), 0);
	CHECK_INT(total, 0);
	query_end(q);
	CHECK_INT(sqlite3_exec(rw, "UPDATE meta SET value = '14' WHERE key = "
	    "'data_version'", NULL, NULL, NULL), SQLITE_OK);
	CHECK_INT(query_begin(q), 0);
	CHECK_INT(query_search(q, a, "NEWTOWN", 0, 10, &r, &n, &total), 0);
	CHECK_INT(total, 1);
	CHECK_STR(n ? r[0].slug : "", "newtownland");
	CHECK_INT(query_search(q, a, "new", 0, 10, &r, &n, &total), 0);
	CHECK_INT(total, 4);
	query_end(q);
}

int
main(void)
{
	struct query_fixture fx;
	struct arena a = { 0 };

	CHECK_INT(query_fixture_open(&fx, "test-query", fixture), 0);
	if (fx.q != NULL) {
		struct query *q = fx.q;
		sqlite3 *rw = fx.file.db;

		test_series(q, &a);
		test_tables(q, &a);
		test_search(q, &a);
		test_snapshot(q, rw);
		test_search_follows_data(q, rw, &a);
		CHECK(a.used > 0);
		arena_reset(&a);
		CHECK_INT(a.used, 0);
	}
	query_fixture_close(&fx);
	arena_free(&a);
	return check_exit();
}
