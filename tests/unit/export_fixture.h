/* export_fixture: a small database for the export tests, written by hand so
 * every expected value in the tests can be worked out on paper:
 *
 *   US (country) > New York (province) > Kings, Albany (counties)
 *                > Georgia (province)  > Fulton (county)
 *   Korea, South; Georgia (a country too); France > Reunion (province)
 *
 * Kings, New York, US (population 2000):
 *   date        conf deaths rec  active new_c new_d
 *   2020-03-01   10    0     1     9     -     -     (first date)
 *   2020-03-02   12    1     -     -     2     1
 *   2020-03-05   20    1     3    16     8     0
 *   2020-03-10   20    2     4    14     0     1
 * The data runs from 2020-03-01 to 2020-03-10. */
#ifndef EXPORT_FIXTURE_H
#define EXPORT_FIXTURE_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/db.h"
#include "export/export_request.h"
#include "web/http.h"

static const char fixture_sql[] =
	"INSERT INTO location (id, level, parent_id, country_region, province_state,"
	"  admin2, uid, iso3, fips, lat, long, combined_key, population, slug) VALUES"
	" (1, 'country', NULL, 'US', '', '', 840, 'USA', NULL, 40, -100, 'US', 1000000, 'us'),"
	" (2, 'province', 1, 'US', 'New York', '', 84000036, 'USA', '36', 42.1, -74.9,"
	"   'New York, US', 20000, 'us/new-york'),"
	" (3, 'county', 2, 'US', 'New York', 'Kings', 84036047, 'USA', '36047', 40.6,"
	"   -73.9, 'Kings, New York, US', 2000, 'us/new-york/kings'),"
	" (4, 'county', 2, 'US', 'New York', 'Albany', 84036001, 'USA', '36001', 42.6,"
	"   -73.9, 'Albany, New York, US', 300, 'us/new-york/albany'),"
	" (5, 'country', NULL, 'Korea, South', '', '', 410, 'KOR', NULL, 35.9, 127.7,"
	"   'Korea, South', 50000000, 'korea-south'),"
	" (6, 'country', NULL, 'France', '', '', 250, 'FRA', NULL, 46.2, 2.2, 'France',"
	"   NULL, 'france'),"
	" (7, 'province', 6, 'France', 'Reunion', '', 638, 'REU', NULL, -21.1, 55.5,"
	"   'Reunion, France', 0, 'france/reunion'),"
	" (8, 'country', NULL, 'Georgia', '', '', 268, 'GEO', NULL, 42.3, 43.3, 'Georgia',"
	"   3989000, 'georgia'),"
	" (9, 'province', 1, 'US', 'Georgia', '', 84000013, 'USA', '13', 33, -83,"
	"   'Georgia, US', 10000, 'us/georgia'),"
	" (10, 'county', 9, 'US', 'Georgia', 'Fulton', 84013121, 'USA', '13121', 33.8,"
	"   -84.4, 'Fulton, Georgia, US', NULL, 'us/georgia/fulton');"
	"INSERT INTO daily_report (location_id, date, confirmed, deaths, recovered,"
	"  active, new_confirmed, new_deaths, incident_rate, case_fatality_ratio, lat,"
	"  long, last_update) VALUES"
	" (3, '2020-03-01', 10, 0, 1, 9, NULL, NULL, 500.0, 0.0, NULL, NULL,"
	"   '2020-03-01T23:00:00'),"
	" (3, '2020-03-02', 12, 1, NULL, NULL, 2, 1, NULL, NULL, 40.65, -73.95,"
	"   '2020-03-02T22:01:02'),"
	" (3, '2020-03-05', 20, 1, 3, 16, 8, 0, NULL, NULL, NULL, NULL, NULL),"
	" (3, '2020-03-10', 20, 2, 4, 14, 0, 1, 1000.0, 10.0, NULL, NULL,"
	"   '2020-03-10T12:00:00'),"
	" (4, '2020-03-02', 5, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
	" (4, '2020-03-03', 7, 0, NULL, NULL, 2, 0, NULL, NULL, NULL, NULL, NULL),"
	" (10, '2020-03-05', 1, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
	" (5, '2020-03-01', 100, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
	" (5, '2020-03-02', 150, 2, NULL, NULL, 50, 1, NULL, NULL, NULL, NULL, NULL),"
	" (6, '2020-03-01', 50, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
	" (7, '2020-03-01', 5, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);"
	/* The totals, as the ingest would keep them. */
	"INSERT INTO region_daily (location_id, date, confirmed, deaths, recovered,"
	"  active, new_confirmed, new_deaths) VALUES"
	" (2, '2020-03-01', 10, 0, 1, 9, NULL, NULL),"
	" (2, '2020-03-02', 17, 1, NULL, NULL, 7, 1),"
	" (2, '2020-03-03', 19, 1, NULL, NULL, 2, 0),"
	" (2, '2020-03-05', 27, 1, 3, 16, 8, 0),"
	" (2, '2020-03-10', 27, 2, 4, 14, 0, 1),"
	" (9, '2020-03-05', 1, 0, NULL, NULL, NULL, NULL),"
	" (1, '2020-03-01', 10, 0, 1, 9, NULL, NULL),"
	" (1, '2020-03-02', 17, 1, NULL, NULL, 7, 1),"
	" (1, '2020-03-03', 19, 1, NULL, NULL, 2, 0),"
	" (1, '2020-03-05', 28, 1, 3, 16, 9, 0),"
	" (1, '2020-03-10', 28, 2, 4, 14, 0, 1),"
	" (5, '2020-03-01', 100, 1, NULL, NULL, NULL, NULL),"
	" (5, '2020-03-02', 150, 2, NULL, NULL, 50, 1),"
	" (7, '2020-03-01', 5, 0, NULL, NULL, NULL, NULL),"
	" (6, '2020-03-01', 55, 0, NULL, NULL, NULL, NULL);"
	"UPDATE meta SET value = '7' WHERE key = 'data_version';";

static char fixture_path[64];

static void
fixture_cleanup(void)
{
	char wal[80];

	unlink(fixture_path);
	snprintf(wal, sizeof wal, "%s-wal", fixture_path);
	unlink(wal);
	snprintf(wal, sizeof wal, "%s-shm", fixture_path);
	unlink(wal);
}

/* Creates the database in a temporary file and opens it read-only, as the
 * export program does. Exits on failure. */
static sqlite3 *
fixture_open(void)
{
	sqlite3 *db;
	char *err = NULL;
	int fd;

	snprintf(fixture_path, sizeof fixture_path, "/tmp/export-fixture.XXXXXX");
	if ((fd = mkstemp(fixture_path)) < 0) {
		perror("mkstemp");
		exit(2);
	}
	close(fd);
	atexit(fixture_cleanup);
	if ((db = db_open_rw(fixture_path)) == NULL)
		exit(2);
	if (sqlite3_exec(db, fixture_sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "fixture: %s\n", err);
		exit(2);
	}
	sqlite3_close(db);
	if ((db = db_open_ro(fixture_path)) == NULL)
		exit(2);
	return db;
}

/* http_parse + export_request_parse of a query string, as the export program
 * runs them. 0, or -1 with the reason in err. */
static const char *
fixture_param(const char *name, void *ctx)
{
	if (strcmp(name, "REQUEST_METHOD") == 0)
		return "GET";
	return strcmp(name, "QUERY_STRING") == 0 ? ctx : NULL;
}

static inline int
fixture_parse(struct export_request *r, enum export_format f, const char *query,
    char *err, size_t errlen)
{
	static struct http_req hr;
	const struct http_key *keys;
	size_t n;

	keys = export_request_keys(&n);
	http_req_reset(&hr);
	http_parse(&hr, keys, n, fixture_param, (void *)(uintptr_t)query);
	return export_request_parse(r, f, &hr, err, errlen);
}

#endif
