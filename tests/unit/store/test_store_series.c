/* test_store_series: loading JHU time series files through the store
 * (store_series_begin/place/value/commit/abort) on a temporary database, with
 * hand-made files of three dates: values land in series with their product;
 * region totals in series_region (a province row counts toward itself and its
 * country; a US-file county toward its state and not the country, whose
 * series is its own row of the global files); an identical reload changes
 * nothing (changed 0, the data version stays); a revised value changes that
 * row and its totals only; abort keeps the previous data; a value outside the
 * file's dates is refused; an absent value stays NULL, in totals too; one
 * metric's file leaves the others' columns alone; a file whose log row is
 * refused undoes its begin. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "base/date.h"
#include "store/db.h"
#include "store/store.h"
#include "store_fixture.h"

#define NUL FIXTURE_NULL   /* what q() returns for SQL NULL; an absent value */
#define DAYS 3          /* every file here: 2020-01-22 .. 2020-01-24 */

static struct store_fixture fx;
static sqlite3 *db;     /* fx's, the store's connection */
static struct store *st;
static long long run_id;
static long first;      /* 2020-01-22 as a day number */

/* First column of the first row of sql with up to two text parameters;
 * NUL for NULL, NUL + 1 for no row. */
static long long
q(const char *sql, const char *a1, const char *a2)
{
	return store_fixture_int(db, sql, a1, a2);
}

static void
exec(const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		printf("# exec: %s: %s\n", err ? err : "?", sql);
		sqlite3_free(err);
	}
}

/* A row of a file: its place and one value per date (NUL: an empty cell). */
struct place {
	const char *country, *province, *admin2;
	long long   v[DAYS];
};

static struct fetch_record
rec(const char *name)
{
	struct fetch_record f = { .date = "2020-01-24", .url =
	    "file:///data/time_series.csv", .series = name, .sha256 =
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" };
	return f;
}

/* Streams the places of a file, as the ingest does. 0, or -1 (aborted). */
static int
stream(const struct place *pl, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (store_series_place(st, pl[i].country, pl[i].province,
		    pl[i].admin2, "", "") != 0)
			return -1;
		for (long d = 0; d < DAYS; d++)
			if (store_series_value(st, first + d, pl[i].v[d] != NUL,
			    pl[i].v[d] == NUL ? 0 : pl[i].v[d]) != 0)
				return -1;
	}
	return 0;
}

/* One whole file; *changed gets the store's count of rows it wrote. */
static int
load(enum series_product product, enum series_metric metric,
    const struct place *pl, size_t n, long long *changed)
{
	static const char *const names[2][3] = {
		{ "confirmed_global", "deaths_global", "recovered_global" },
		{ "confirmed_US", "deaths_US", "recovered_US" },
	};
	struct fetch_record f = rec(names[product == SERIES_PRODUCT_US][metric]);
	long long values = -1;

	*changed = -1;
	if (store_series_begin(st, run_id, &f, product, metric, first, DAYS) != 0)
		return -1;
	if (stream(pl, n) != 0) {
		store_series_abort(st);
		return -1;
	}
	if (store_series_commit(st, &values, changed) != 0)
		return -1;
	CHECK_INT(values, (long long)n * DAYS);
	return 0;
}

#define LOAD(product, metric, want_changed, ...) do { \
	const struct place pl_[] = { __VA_ARGS__ }; \
	long long changed_; \
	CHECK_INT(load(product, metric, pl_, sizeof pl_ / sizeof pl_[0], \
	    &changed_), 0); \
	CHECK_INT(changed_, want_changed); \
} while (0)

/* A series figure of the place with that slug on date (day 0..2). */
static long long
val(const char *col, const char *slug, int day)
{
	char date[11];

	date_ymd(first + day, date);
	return store_fixture_figure(db, "series", col, slug, date);
}

static long long
total(const char *col, const char *slug, int day)
{
	char date[11];

	date_ymd(first + day, date);
	return store_fixture_figure(db, "series_region", col, slug, date);
}

static long long
data_version(void)
{
	return q("SELECT value FROM meta WHERE key = 'data_version'", NULL, NULL);
}

/* Rows of series and series_region that differ from the snapshot (either
 * way): what the last load changed. */
static void
snapshot(void)
{
	exec("DROP TABLE IF EXISTS temp.snap_s; DROP TABLE IF EXISTS temp.snap_r;"
	    "CREATE TEMP TABLE snap_s AS SELECT * FROM series;"
	    "CREATE TEMP TABLE snap_r AS SELECT * FROM series_region;");
}

static long long
differ(const char *table)
{
	const char *snap = strcmp(table, "series") == 0 ? "snap_s" : "snap_r";
	char sql[512];

	snprintf(sql, sizeof sql, "SELECT (SELECT count(*) FROM (SELECT * FROM %s "
	    "EXCEPT SELECT * FROM %s)) + (SELECT count(*) FROM (SELECT * "
	    "FROM %s EXCEPT SELECT * FROM %s))", table, snap, snap, table);
	return q(sql, NULL, NULL);
}

static void
test_global(void)
{
	long long dv = data_version();

	/* 5 places x 3 values; totals of ontario, quebec, canada, germany,
	 * france, france/reunion: 6 x 3. */
	LOAD(SERIES_PRODUCT_GLOBAL, SERIES_CONFIRMED, 15 + 18,
	    { "Canada", "Ontario", "", { 1, 2, 3 } },
	    { "Canada", "Quebec", "", { 10, 20, 30 } },
	    { "Germany", "", "", { 5, 6, 7 } },
	    { "France", "", "", { 100, 100, 100 } },
	    { "France", "Reunion", "", { 1, 1, 2 } });
	CHECK(data_version() > dv);
	CHECK_INT(val("confirmed", "canada/ontario", 0), 1);
	CHECK_INT(val("confirmed", "canada/quebec", 2), 30);
	CHECK_INT(val("product", "germany", 1), SERIES_PRODUCT_GLOBAL);
	CHECK_INT(val("deaths", "germany", 1), NUL);   /* not in this file */
	/* A province counts toward itself and its country. */
	CHECK_INT(total("confirmed", "canada/ontario", 1), 2);
	CHECK_INT(total("confirmed", "canada/quebec", 1), 20);
	CHECK_INT(total("confirmed", "canada", 0), 11);
	CHECK_INT(total("confirmed", "canada", 2), 33);
	CHECK_INT(total("confirmed", "germany", 2), 7);
	CHECK_INT(total("confirmed", "france", 2), 102);
	CHECK_INT(total("confirmed", "france/reunion", 2), 2);
	CHECK_INT(q("SELECT count(*) FROM series", NULL, NULL), 15);
	CHECK_INT(q("SELECT count(*) FROM series_region", NULL, NULL), 18);
	/* The job log and series_source. */
	CHECK_INT(q("SELECT count(*) FROM ingest_file WHERE series = "
	    "'confirmed_global' AND status = 'loaded' AND rows_loaded = 15 AND "
	    "date = '2020-01-24'", NULL, NULL), 1);
	CHECK_INT(q("SELECT ingest_file_id = (SELECT max(id) FROM ingest_file) "
	    "FROM series_source WHERE name = 'confirmed_global'", NULL, NULL), 1);

	/* The deaths file of the same places: its column only. */
	LOAD(SERIES_PRODUCT_GLOBAL, SERIES_DEATHS, 15 + 18,
	    { "Canada", "Ontario", "", { 0, 1, 1 } },
	    { "Canada", "Quebec", "", { 0, 0, 2 } },
	    { "Germany", "", "", { 0, 0, 1 } },
	    { "France", "", "", { 3, 3, 3 } },
	    { "France", "Reunion", "", { 0, 0, 0 } });
	CHECK_INT(val("confirmed", "germany", 2), 7);
	CHECK_INT(val("deaths", "germany", 2), 1);
	CHECK_INT(total("deaths", "canada", 2), 3);
	CHECK_INT(total("confirmed", "canada", 2), 33);
	CHECK_INT(total("recovered", "canada", 2), NUL);
}

static void
test_us(void)
{
	/* The US as a country: its row of the global files (the file lists the
	 * places loaded before as they were: a file is the whole product). */
	LOAD(SERIES_PRODUCT_GLOBAL, SERIES_CONFIRMED, 3 + 3,
	    { "Canada", "Ontario", "", { 1, 2, 3 } },
	    { "Canada", "Quebec", "", { 10, 20, 30 } },
	    { "Germany", "", "", { 5, 6, 7 } },
	    { "France", "", "", { 100, 100, 100 } },
	    { "France", "Reunion", "", { 1, 1, 2 } },
	    { "US", "", "", { 1000, 1000, 1000 } });
	/* Its counties, states and territories: the US files. 3 places x 3;
	 * totals of new york and american samoa: 2 x 3. */
	LOAD(SERIES_PRODUCT_US, SERIES_CONFIRMED, 9 + 6,
	    { "US", "New York", "Kings", { 1, 2, 3 } },
	    { "US", "New York", "Queens", { 4, 5, 6 } },
	    { "US", "American Samoa", "", { 0, 0, 7 } });
	CHECK_INT(val("product", "us/new-york/kings", 0), SERIES_PRODUCT_US);
	CHECK_INT(val("confirmed", "us/new-york/queens", 2), 6);
	CHECK_INT(total("confirmed", "us/new-york", 0), 5);
	CHECK_INT(total("confirmed", "us/new-york", 2), 9);
	CHECK_INT(total("confirmed", "us/american-samoa", 2), 7);
	/* A county is no region; the country is its own global row. */
	CHECK_INT(total("confirmed", "us/new-york/kings", 0), NUL + 1);
	CHECK_INT(total("confirmed", "us", 2), 1000);
	CHECK_INT(q("SELECT count(*) FROM v_country_series WHERE country_region "
	    "= 'US' AND confirmed = 1000", NULL, NULL), 3);
}

static void
test_reload_and_revision(void)
{
	long long dv = data_version(), files;

	snapshot();
	files = q("SELECT count(*) FROM ingest_file", NULL, NULL);
	LOAD(SERIES_PRODUCT_US, SERIES_CONFIRMED, 0,
	    { "US", "New York", "Kings", { 1, 2, 3 } },
	    { "US", "New York", "Queens", { 4, 5, 6 } },
	    { "US", "American Samoa", "", { 0, 0, 7 } });
	CHECK_INT(data_version(), dv);
	CHECK_INT(differ("series"), 0);
	CHECK_INT(differ("series_region"), 0);
	CHECK_INT(q("SELECT count(*) FROM ingest_file", NULL, NULL), files + 1);

	/* Queens on the second date: that value and New York's total. */
	LOAD(SERIES_PRODUCT_US, SERIES_CONFIRMED, 1 + 1,
	    { "US", "New York", "Kings", { 1, 2, 3 } },
	    { "US", "New York", "Queens", { 4, 50, 6 } },
	    { "US", "American Samoa", "", { 0, 0, 7 } });
	CHECK(data_version() > dv);
	CHECK_INT(differ("series"), 2);          /* the old row and the new */
	CHECK_INT(differ("series_region"), 2);
	CHECK_INT(val("confirmed", "us/new-york/queens", 1), 50);
	CHECK_INT(total("confirmed", "us/new-york", 1), 52);
	CHECK_INT(total("confirmed", "us", 1), 1000);
}

static void
test_abort(void)
{
	struct fetch_record f = rec("confirmed_US");
	long long dv = data_version(), files;
	const struct place pl[] = {
		{ "US", "New York", "Kings", { 9, 9, 9 } },
		{ "US", "Texas", "Harris", { 9, 9, 9 } },
	};

	snapshot();
	files = q("SELECT count(*) FROM ingest_file", NULL, NULL);
	CHECK_INT(store_series_begin(st, run_id, &f, SERIES_PRODUCT_US,
	    SERIES_CONFIRMED, first, DAYS), 0);
	CHECK_INT(stream(pl, 2), 0);
	store_series_abort(st);
	CHECK_INT(differ("series"), 0);
	CHECK_INT(differ("series_region"), 0);
	CHECK_INT(data_version(), dv);
	CHECK_INT(q("SELECT count(*) FROM location WHERE slug = 'us/texas/harris'",
	    NULL, NULL), 0);
	CHECK_INT(q("SELECT count(*) FROM ingest_file", NULL, NULL), files);
	/* The store is usable again: the next file loads. */
	LOAD(SERIES_PRODUCT_US, SERIES_CONFIRMED, 0,
	    { "US", "New York", "Kings", { 1, 2, 3 } },
	    { "US", "New York", "Queens", { 4, 50, 6 } },
	    { "US", "American Samoa", "", { 0, 0, 7 } });
}

static void
test_refused(void)
{
	struct fetch_record f = rec("confirmed_global");
	long long dv = data_version();

	snapshot();
	CHECK_INT(store_series_begin(st, run_id, &f, SERIES_PRODUCT_GLOBAL,
	    SERIES_CONFIRMED, first, DAYS), 0);
	CHECK_INT(store_series_value(st, first, 1, 5), -1);   /* no place yet */
	CHECK_INT(store_series_place(st, "Germany", "", "", "", ""), 0);
	CHECK_INT(store_series_value(st, first - 1, 1, 5), -1);
	CHECK_INT(store_series_value(st, first + DAYS, 1, 5), -1);
	CHECK_INT(store_series_value(st, first, 1, 5), 0);
	store_series_abort(st);
	CHECK_INT(differ("series"), 0);
	CHECK_INT(data_version(), dv);
	/* Nor does a file start with no dates, or inside another. */
	CHECK_INT(store_series_begin(st, run_id, &f, SERIES_PRODUCT_GLOBAL,
	    SERIES_CONFIRMED, first, 0), -1);
	CHECK_INT(store_series_begin(st, run_id, &f, SERIES_PRODUCT_GLOBAL,
	    SERIES_CONFIRMED, first, DAYS), 0);
	CHECK_INT(store_series_begin(st, run_id, &f, SERIES_PRODUCT_GLOBAL,
	    SERIES_CONFIRMED, first, DAYS), -1);
	store_series_abort(st);
}

/* A file whose log row cannot be written (a trigger refuses it) does not
 * begin and leaves nothing open (store_file_begin): no transaction, no
 * file; the next one loads. */
static void
test_begin_undone(void)
{
	struct fetch_record f = rec("deaths_global");
	long long dv = data_version();

	snapshot();
	exec("CREATE TEMP TRIGGER no_log BEFORE INSERT ON ingest_file BEGIN "
	    "SELECT RAISE(ABORT, 'refused by the test'); END");
	CHECK_INT(store_series_begin(st, run_id, &f, SERIES_PRODUCT_GLOBAL,
	    SERIES_DEATHS, first, DAYS), -1);
	CHECK_INT(sqlite3_get_autocommit(db), 1);
	CHECK_INT(store_series_place(st, "Germany", "", "", "", ""), -1);
	exec("DROP TRIGGER temp.no_log");
	CHECK_INT(differ("series"), 0);
	CHECK_INT(data_version(), dv);
	CHECK_INT(store_series_begin(st, run_id, &f, SERIES_PRODUCT_GLOBAL,
	    SERIES_DEATHS, first, DAYS), 0);
	CHECK_INT(store_series_place(st, "Germany", "", "", "", ""), 0);
	store_series_abort(st);
	CHECK_INT(sqlite3_get_autocommit(db), 1);
}

static void
test_absent(void)
{
	/* Empty cells: NULL, never 0, in the rows and in a total with nothing
	 * under it; a total with something under it sums what is there. The
	 * rows exist (confirmed, deaths): of their 15 recovered cells the 11
	 * present ones change; of the 18 totals the 13 with something under
	 * them (not ontario 1, quebec 0 and 1, germany 0, canada 1). */
	LOAD(SERIES_PRODUCT_GLOBAL, SERIES_RECOVERED, 11 + 13,
	    { "Canada", "Ontario", "", { 1, NUL, 3 } },
	    { "Canada", "Quebec", "", { NUL, NUL, 30 } },
	    { "Germany", "", "", { NUL, 6, 7 } },
	    { "France", "", "", { 100, 100, 100 } },
	    { "France", "Reunion", "", { 1, 1, 1 } });
	CHECK_INT(val("recovered", "canada/ontario", 1), NUL);
	CHECK_INT(val("recovered", "germany", 0), NUL);
	CHECK_INT(q("SELECT count(*) FROM series s JOIN location l ON l.id = "
	    "s.location_id WHERE l.slug = 'germany' AND s.date = '2020-01-22'",
	    NULL, NULL), 1);
	CHECK_INT(total("recovered", "canada/ontario", 1), NUL);
	CHECK_INT(total("recovered", "canada", 1), NUL);
	CHECK_INT(total("recovered", "canada", 0), 1);
	CHECK_INT(total("recovered", "germany", 0), NUL);
	CHECK_INT(total("recovered", "canada", 2), 33);
	/* A value that becomes absent: NULL again, its totals follow. */
	LOAD(SERIES_PRODUCT_GLOBAL, SERIES_RECOVERED, 1 + 2,
	    { "Canada", "Ontario", "", { NUL, NUL, 3 } },
	    { "Canada", "Quebec", "", { NUL, NUL, 30 } },
	    { "Germany", "", "", { NUL, 6, 7 } },
	    { "France", "", "", { 100, 100, 100 } },
	    { "France", "Reunion", "", { 1, 1, 1 } });
	CHECK_INT(val("recovered", "canada/ontario", 0), NUL);
	CHECK_INT(total("recovered", "canada", 0), NUL);
	CHECK_INT(val("confirmed", "canada/ontario", 0), 1);   /* untouched */
}

/* A revised file that no longer lists a place: its values of that metric
 * are emptied, and its regions' totals are those of the file; a file that
 * lists a place twice is refused (its totals would count it twice). */
static void
test_dropped(void)
{
	/* Queens gone: 3 values emptied, new york's total 3 days changed. */
	LOAD(SERIES_PRODUCT_US, SERIES_CONFIRMED, 3 + 3,
	    { "US", "New York", "Kings", { 1, 2, 3 } },
	    { "US", "American Samoa", "", { 0, 0, 7 } });
	CHECK_INT(val("confirmed", "us/new-york/queens", 2), NUL);
	CHECK_INT(total("confirmed", "us/new-york", 2), 3);
	CHECK_INT(q("SELECT sum(confirmed) FROM series WHERE date = '2020-01-24' "
	    "AND product = 2", NULL, NULL), 3 + 7);
	/* Twice: refused, and nothing of it kept. */
	snapshot();
	{
		static const struct place twice[] = {
			{ "US", "New York", "Kings", { 9, 9, 9 } },
			{ "US", "New York", "Kings", { 9, 9, 9 } },
		};
		long long changed;
		CHECK(load(SERIES_PRODUCT_US, SERIES_CONFIRMED, twice, 2,
		    &changed) == -1);
	}
	CHECK_INT(differ("series"), 0);
	CHECK_INT(differ("series_region"), 0);
}

int
main(void)
{
	first = date_days("2020-01-22");
	CHECK_INT(store_fixture_open(&fx, "test-store-series"), 0);
	if (fx.st == NULL)
		return check_exit();
	db = fx.file.db;
	st = fx.st;
	run_id = fx.run_id;

	test_global();
	test_us();
	test_reload_and_revision();
	test_abort();
	test_refused();
	test_begin_undone();
	test_absent();
	test_dropped();

	CHECK_INT(q("SELECT count(*) FROM pragma_integrity_check WHERE "
	    "integrity_check <> 'ok'", NULL, NULL), 0);
	CHECK_INT(q("SELECT count(*) FROM pragma_foreign_key_check", NULL, NULL), 0);
	store_fixture_close(&fx);
	return check_exit();
}
