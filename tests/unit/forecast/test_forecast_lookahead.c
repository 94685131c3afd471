/* test_forecast_lookahead: no look-ahead. A database holding only the data
 * up to a Saturday D gets, from covid-forecast's run, exactly the forecasts
 * for origin D that the database with the whole history stored; and the
 * stored rows are what the views and the skill table show. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "db_fixture.h"
#include "forecast/fc_run.h"

/* Twelve countries, 300 days from 2020-03-01 of growing, wobbling
 * cumulative counts (a correction now and then), daily reports only. */
#define PLACES \
	"WITH RECURSIVE c(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM c " \
	"WHERE id < 12) INSERT INTO location (id, level, country_region, slug) " \
	"SELECT id, 'country', 'Land ' || id, 'land-' || id FROM c;"
#define ROWS(table, last) \
	"WITH RECURSIVE d(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM d " \
	"WHERE n < 299) INSERT INTO " table " (location_id, date, confirmed, " \
	"deaths) SELECT l.id, date('2020-03-01', '+' || n || ' days'), " \
	"n * n * l.id + ((n * 37 + l.id * 11) % 53) * n, " \
	"(n * n * l.id) / 40 + ((n * 13 + l.id) % 7) * (n / 9) " \
	"FROM d, location l WHERE date('2020-03-01', '+' || n || ' days') <= '" \
	last "';"
#define DATA(last) PLACES ROWS("daily_report", last) ROWS("region_daily", last)

#define ORIGIN "2020-10-10"   /* a Saturday */

/* Every stored row for an origin, as one string. */
static char *
rows_of(sqlite3 *db, const char *origin, int *n)
{
	sqlite3_stmt *st;
	size_t len = 0, cap = 1 << 16;
	char *out = malloc(cap);

	*n = 0;
	out[0] = '\0';
	if (sqlite3_prepare_v2(db, "SELECT model, country_region, target, "
	    "horizon_weeks, target_end_date, quantile, printf('%.17g', value) "
	    "FROM v_forecast WHERE origin_date = ?1 "
	    "ORDER BY 1, 2, 3, 4, 6", -1, &st, NULL) != SQLITE_OK)
		return out;
	sqlite3_bind_text(st, 1, origin, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		char line[256];
		int k = snprintf(line, sizeof line, "%s|%s|%s|%d|%s|%g|%s\n",
		    sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
		    sqlite3_column_text(st, 2), sqlite3_column_int(st, 3),
		    sqlite3_column_text(st, 4), sqlite3_column_double(st, 5),
		    sqlite3_column_text(st, 6));

		if (len + (size_t)k + 1 > cap)
			out = realloc(out, cap *= 2);
		memcpy(out + len, line, (size_t)k + 1);
		len += (size_t)k;
		(*n)++;
	}
	sqlite3_finalize(st);
	return out;
}

int
main(void)
{
	struct db_fixture full, upto;
	struct fc_run_opts o;
	struct fc_run_result res;
	char *a, *b;
	int na, nb;

	memset(&o, 0, sizeof o);
	o.full = 1;
	o.params = fc_model_default;
	if (db_fixture_open(&full, "fc-full", DATA("2020-12-25")) != 0 ||
	    db_fixture_open(&upto, "fc-upto", DATA(ORIGIN)) != 0) {
		CHECK(!"fixtures");
		return check_exit();
	}
	CHECK(fc_run(full.db, &o, NULL, &res) == 0);
	CHECK(res.rows > 0);
	CHECK(fc_run(upto.db, &o, NULL, &res) == 0);
	a = rows_of(full.db, ORIGIN, &na);
	b = rows_of(upto.db, ORIGIN, &nb);
	/* 12 places x 2 targets x 4 horizons x 23 quantiles x 2 models */
	CHECK_INT(na, 12 * 2 * 4 * 23 * 2);
	CHECK_INT(nb, na);
	CHECK(strcmp(a, b) == 0);
	free(a);
	free(b);
	/* origin D is the newest the short database has: nothing is scored */
	CHECK_INT(db_fixture_scalar(upto.db,
	    "SELECT count(*) FROM forecast WHERE "
	    "origin_date = '" ORIGIN "' AND observed IS NOT NULL"), 0);
	/* the long one scored it, against the weeks as then reported */
	CHECK_INT(db_fixture_scalar(full.db,
	    "SELECT count(*) FROM v_forecast_score WHERE "
	    "origin_date = '" ORIGIN "' AND model = 'ensemble'"), 12 * 2 * 4);
	CHECK_INT(db_fixture_scalar(full.db,
	    "SELECT count(*) FROM v_forecast_score WHERE "
	    "origin_date = '" ORIGIN "' AND horizon_weeks = 1 AND "
	    "target_end_date = '2020-10-17' AND history = 'as reported'"),
	    12 * 2 * 2);
	/* quantiles never cross, and the views name a country as the issue says */
	CHECK_INT(db_fixture_scalar(full.db,
	    "SELECT count(*) FROM forecast WHERE "
	    "q01 > q12 OR q12 > q23 OR q06 > q07"), 0);
	CHECK_INT(db_fixture_scalar(full.db,
	    "SELECT count(*) FROM v_forecast WHERE "
	    "province_state <> '' OR admin2 <> ''"), 0);
	/* the skill table and the job-log-free run's data version moved */
	CHECK(db_fixture_scalar(full.db,
	    "SELECT count(*) FROM forecast_skill WHERE "
	    "model_id = 2 AND scope = 'country' AND horizon = 1") == 2);
	CHECK(db_fixture_scalar(full.db,
	    "SELECT CAST(value AS INTEGER) FROM meta WHERE "
	    "key = 'data_version'") > 0);
	/* a second run (not full) rewrites the newest origins only and ends
	 * with the same rows */
	o.full = 0;
	a = rows_of(full.db, "2020-12-19", &na);
	CHECK(fc_run(full.db, &o, NULL, &res) == 0);
	CHECK(res.rows > 0 && res.rows < 12 * 2 * 4 * 2 * 6);
	b = rows_of(full.db, "2020-12-19", &nb);
	CHECK(na > 0 && strcmp(a, b) == 0);
	free(a);
	free(b);
	db_fixture_remove(&full);
	db_fixture_remove(&upto);
	return check_exit();
}
