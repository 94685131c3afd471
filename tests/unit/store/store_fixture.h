/* store_fixture: what the store's tests start from: a scratch database
 * (db_fixture.h) with the store open on it and a run begun, and the one
 * reader they check the database with. */
#ifndef COVID_STORE_FIXTURE_H
#define COVID_STORE_FIXTURE_H

#include <limits.h>

#include "db_fixture.h"
#include "store/store.h"

/* What store_fixture_int returns for SQL NULL; FIXTURE_NULL + 1 for no
 * row (or a statement that does not prepare). */
#define FIXTURE_NULL LLONG_MIN

struct store_fixture {
	struct db_fixture file;   /* its db is the store's connection */
	struct store     *st;
	long long         run_id; /* store_run_begin(st, "file:///data/") */
};

/* A scratch database named after name, the store, a run. 0, or -1 with a
 * "# ..." line and nothing left behind. */
int store_fixture_open(struct store_fixture *fx, const char *name);

/* Closes the store and removes the database. */
void store_fixture_close(struct store_fixture *fx);

/* The first column of the first row of sql on db, with up to two text
 * parameters (NULL: not bound); FIXTURE_NULL, FIXTURE_NULL + 1 as above. */
long long store_fixture_int(sqlite3 *db, const char *sql, const char *a1,
    const char *a2);

/* Column col of table (daily_report, region_daily, series, series_region:
 * rows keyed by location_id and date) for the place with that slug on
 * date; FIXTURE_NULL, FIXTURE_NULL + 1 as above. */
long long store_fixture_figure(sqlite3 *db, const char *table,
    const char *col, const char *slug, const char *date);

/* A hand-made row of a daily report (lines numbered in order of making);
 * a negative count means the file left it empty. */
struct daily_row store_fixture_row(const char *country, const char *province,
    const char *admin2, long long confirmed, long long deaths);

#endif
