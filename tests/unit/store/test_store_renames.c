/* test_store_renames: early city-style places go to their county and state
 * (place_rename, migration 0006), from the real files of data/sample read by
 * the real parser: every target is a place of JHU's lookup table; no
 * location is made of an early name; a county has its early reports; two
 * early names of one place on one date add up; the US total of each date is
 * the sum of its US rows (nothing doubled, nothing lost); and a database
 * loaded by the old program (schema 5, "Boston, MA" a province) is repaired
 * by the migration and, reloaded, equals a fresh load. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "ingest/daily_parse.h"
#include "store/db.h"
#include "store/migrations.h"
#include "store/store.h"

#define DIR "data/sample/csse_covid_19_daily_reports/"

static const char *const dates[] = {
	"2020-01-24", "2020-02-01", "2020-02-15", "2020-02-28", "2020-02-29",
	"2020-03-01", "2020-03-02", "2020-03-10",
};
enum { NDATES = sizeof dates / sizeof dates[0] };

/* Sum of confirmed over the US rows of each date's file, as the test read
 * them: what the US total must be. */
static long long us_sum[NDATES];

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || (buf = malloc((size_t)n + 1)) == NULL) {
		if (f)
			fclose(f);
		return NULL;
	}
	*len = fread(buf, 1, (size_t)n, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

static long long
q(sqlite3 *db, const char *sql, const char *a1)
{
	sqlite3_stmt *s;
	long long v = -999;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		printf("# prepare: %s: %s\n", sqlite3_errmsg(db), sql);
		return -998;
	}
	if (a1)
		sqlite3_bind_text(s, 1, a1, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_type(s, 0) == SQLITE_NULL ? -1 :
		    sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* Loads one real file (date YYYY-MM-DD) through the parser into the store. */
static int
load_file(struct store *st, long long run, int di)
{
	const char *date = dates[di];
	char path[128], err[256];
	struct fetch_record f = { .date = date, .url = "file:///x.csv",
	    .sha256 = "00" };
	struct daily_parser *p;
	struct daily_row row;
	long long loaded, rejected;
	size_t len;
	char *buf;
	int rc;

	snprintf(path, sizeof path, DIR "%.2s-%.2s-%.4s.csv", date + 5,
	    date + 8, date);
	if ((buf = slurp(path, &len)) == NULL ||
	    (p = daily_parser_new(buf, len, err, sizeof err)) == NULL) {
		printf("# %s: cannot read\n", path);
		free(buf);
		return -1;
	}
	us_sum[di] = 0;
	if (store_date_begin(st, run, &f) != 0)
		rc = -1;
	else {
		while ((rc = daily_parser_next(p, &row, err, sizeof err)) == 1) {
			if (strcmp(row.country_region, "US") == 0 &&
			    (row.has & ROW_HAS_CONFIRMED))
				us_sum[di] += row.confirmed;
			if (store_date_row(st, &row) != 0)
				break;
		}
		if (rc == 0)
			rc = store_date_commit(st, &loaded, &rejected);
		else {
			store_date_abort(st);
			rc = -1;
		}
	}
	daily_parser_free(p);
	free(buf);
	return rc;
}

static int
load_lookup(struct store *st)
{
	size_t len;
	char *buf = slurp("data/sample/UID_ISO_FIPS_LookUp_Table.csv", &len);
	int rc = buf ? store_load_lookup(st, buf, len) : -1;

	free(buf);
	return rc;
}

static sqlite3 *
open_new(char path[32])
{
	int fd;

	strcpy(path, "/tmp/covid-test-ren-XXXXXX");
	if ((fd = mkstemp(path)) < 0)
		return NULL;
	close(fd);
	unlink(path);
	return db_open_rw(path);
}

static void
remove_db(sqlite3 *db, const char *path)
{
	char side[64];

	sqlite3_close(db);
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}

/* Every date's rows and totals, as one text to compare two databases. */
static char *
dump(sqlite3 *db)
{
	static const char sql[] =
	    "SELECT group_concat(x, ';') FROM (SELECT l.slug || '@' || d.date "
	    "|| '=' || ifnull(d.confirmed, 'n') || '/' || ifnull(d.deaths, 'n') "
	    "|| '/' || ifnull(d.new_confirmed, 'n') AS x FROM daily_report d "
	    "JOIN location l ON l.id = d.location_id UNION ALL SELECT 'R ' || "
	    "l.slug || '@' || r.date || '=' || ifnull(r.confirmed, 'n') || '/' "
	    "|| ifnull(r.new_confirmed, 'n') FROM region_daily r JOIN location l "
	    "ON l.id = r.location_id ORDER BY 1)";
	sqlite3_stmt *s;
	char *out = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return NULL;
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		out = strdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return out;
}

static void
test_fresh_load(void)
{
	char path[32];
	sqlite3 *db = open_new(path);
	struct store *st = db ? store_open(db) : NULL;
	long long run;

	CHECK(st != NULL);
	if (st == NULL)
		return;
	CHECK_INT(load_lookup(st), 0);
	/* Every target is a place of JHU's lookup table (it has a uid). */
	CHECK(q(db, "SELECT count(*) FROM place_rename", NULL) > 100);
	CHECK_INT(q(db, "SELECT count(*) FROM place_rename r WHERE NOT EXISTS "
	    "(SELECT 1 FROM location l WHERE l.uid IS NOT NULL AND "
	    "l.country_region = r.country_region AND l.province_state = "
	    "r.to_province_state AND l.admin2 = r.to_admin2)", NULL), 0);
	/* No target is itself an early name (a rename is one step). */
	CHECK_INT(q(db, "SELECT count(*) FROM place_rename r JOIN place_rename t "
	    "ON t.country_region = r.country_region AND t.province_state = "
	    "r.to_province_state AND r.to_admin2 = ''", NULL), 0);

	run = store_run_begin(st, "file:///x/");
	for (int i = 0; i < NDATES; i++)
		CHECK_INT(load_file(st, run, i), 0);

	/* No location is made of an early name. */
	CHECK_INT(q(db, "SELECT count(*) FROM location l JOIN place_rename r "
	    "ON r.country_region = l.country_region AND r.province_state = "
	    "l.province_state", NULL), 0);
	CHECK_INT(q(db, "SELECT count(*) FROM location WHERE parent_id = "
	    "(SELECT id FROM location WHERE slug = 'us') AND province_state "
	    "LIKE '%, %'", NULL), 0);
	/* Suffolk has "Boston, MA" of 02-01, 02-15, 02-28, 02-29, 03-01, 03-02. */
	CHECK_INT(q(db, "SELECT count(*) FROM daily_report d JOIN location l ON "
	    "l.id = d.location_id WHERE l.slug = 'us/massachusetts/suffolk'",
	    NULL), 6);
	/* "Chicago" (01-24), "Chicago, IL" (03-01: 3), "Cook County, IL"
	 * (03-02: 4): one series, as JHU's Cook series (3 then 4). */
	CHECK_INT(q(db, "SELECT confirmed FROM daily_report d JOIN location l "
	    "ON l.id = d.location_id WHERE l.slug = 'us/illinois/cook' AND "
	    "d.date = '2020-01-24'", NULL), 1);
	CHECK_INT(q(db, "SELECT new_confirmed FROM daily_report d JOIN location "
	    "l ON l.id = d.location_id WHERE l.slug = 'us/illinois/cook' AND "
	    "d.date = '2020-03-02'", NULL), 1);
	/* Two early names of one place add up: "Toronto, ON" 2 + "London, ON"
	 * 1 on 02-15; the four Diamond Princess rows of 02-28 (44, 0, 0, 0). */
	CHECK_INT(q(db, "SELECT confirmed FROM daily_report d JOIN location l ON "
	    "l.id = d.location_id WHERE l.slug = 'canada/ontario' AND d.date = "
	    "'2020-02-15'", NULL), 3);
	CHECK_INT(q(db, "SELECT confirmed FROM daily_report d JOIN location l ON "
	    "l.id = d.location_id WHERE l.slug = 'us/diamond-princess' AND "
	    "d.date = '2020-02-28'", NULL), 44);
	CHECK_INT(q(db, "SELECT count(*) FROM rejected_row", NULL), 0);
	/* Each date's US total is the sum of its rows: none doubled (a city
	 * row and its state), none lost (two names of one place). */
	for (int i = 0; i < NDATES; i++)
		CHECK_INT(q(db, "SELECT confirmed FROM region_daily r JOIN location "
		    "l ON l.id = r.location_id WHERE l.slug = 'us' AND r.date = ?1",
		    dates[i]), us_sum[i]);
	store_close(st);
	remove_db(db, path);
}

/* The rows the old program made of 2020-02-01's "Boston, MA": a province
 * under US, its row and totals, its source_file; and 2020-03-10's
 * source_file, a date without early names. */
static const char old_rows[] =
    "INSERT INTO location(id, level, parent_id, country_region, slug) "
    "  VALUES (1, 'country', NULL, 'US', 'us');"
    "INSERT INTO location(id, level, parent_id, country_region, "
    "  province_state, slug) VALUES (2, 'province', 1, 'US', 'Boston, MA', "
    "  'us/boston-ma');"
    "INSERT INTO location_region VALUES (1, 1), (2, 2), (2, 1);"
    "INSERT INTO ingest_run(id, started_at, status, source) "
    "  VALUES (1, 'x', 'ok', 'file:///x/');"
    "INSERT INTO ingest_file(id, run_id, date, url, fetched_at, status) "
    "  VALUES (1, 1, '2020-02-01', 'file:///x.csv', 'x', 'loaded'),"
    "  (2, 1, '2020-03-10', 'file:///y.csv', 'x', 'loaded');"
    "INSERT INTO daily_report(location_id, date, confirmed, ingest_file_id) "
    "  VALUES (2, '2020-02-01', 1, 1);"
    "INSERT INTO region_daily(location_id, date, confirmed) "
    "  VALUES (1, '2020-02-01', 1), (2, '2020-02-01', 1);"
    "INSERT INTO source_file(date, url, sha256, ingest_file_id) "
    "  VALUES ('2020-02-01', 'file:///x.csv', '00', 1),"
    "  ('2020-03-10', 'file:///y.csv', '00', 2);";

/* A database of schema 5 as the old program left it: 0006 repairs it, and
 * reloaded it equals a fresh load. */
static void
test_repair(void)
{
	char path[32], fresh_path[32];
	sqlite3 *db, *fresh = open_new(fresh_path);
	struct store *st;
	char *want = NULL, *got = NULL;
	int fd;

	strcpy(path, "/tmp/covid-test-ren-XXXXXX");
	CHECK((fd = mkstemp(path)) >= 0);
	close(fd);
	CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
	CHECK_INT(sqlite3_exec(db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL),
	    SQLITE_OK);
	for (size_t i = 0; i < migrations_count && migrations[i].version <= 5; i++)
		CHECK_INT(sqlite3_exec(db, migrations[i].sql, NULL, NULL, NULL),
		    SQLITE_OK);
	CHECK_INT(sqlite3_exec(db, "PRAGMA user_version = 5", NULL, NULL, NULL),
	    SQLITE_OK);
	CHECK_INT(sqlite3_exec(db, old_rows, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	CHECK((db = db_open_rw(path)) != NULL);   /* applies 0006 */
	if (db == NULL || fresh == NULL)
		return;
	CHECK_INT(q(db, "SELECT count(*) FROM location WHERE province_state = "
	    "'Boston, MA'", NULL), 0);
	CHECK_INT(q(db, "SELECT count(*) FROM location_region", NULL), 1);
	CHECK_INT(q(db, "SELECT (SELECT count(*) FROM daily_report) + (SELECT "
	    "count(*) FROM region_daily)", NULL), 0);
	/* 2020-02-01 is no longer loaded; 2020-03-10 stays. */
	CHECK_INT(q(db, "SELECT count(*) FROM source_file WHERE date = "
	    "'2020-02-01'", NULL), 0);
	CHECK_INT(q(db, "SELECT count(*) FROM source_file WHERE date = "
	    "'2020-03-10'", NULL), 1);
	CHECK_INT(q(db, "SELECT count(*) FROM pragma_foreign_key_check", NULL), 0);

	st = store_open(db);
	CHECK(st != NULL && load_lookup(st) == 0 && load_file(st, 1, 1) == 0);
	store_close(st);
	st = store_open(fresh);
	CHECK(st != NULL && load_lookup(st) == 0 &&
	    load_file(st, store_run_begin(st, "file:///x/"), 1) == 0);
	store_close(st);
	CHECK((want = dump(fresh)) != NULL && strstr(want,
	    "us/massachusetts/suffolk@2020-02-01=1/") != NULL);
	CHECK_STR((got = dump(db)), want);
	free(want);
	free(got);
	remove_db(db, path);
	remove_db(fresh, fresh_path);
}

int
main(void)
{
	test_fresh_load();
	test_repair();
	return check_exit();
}
