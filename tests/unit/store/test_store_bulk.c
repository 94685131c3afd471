/* test_store_bulk: a first load without the per-place indexes (store_bulk.c,
 * migration 0007). The same dates go into two databases, one loaded as a
 * bulk load and one as usual; the two must hold the same rows and totals,
 * new figures included, through everything that makes the store forget
 * what it remembers of the places: a date that fails and rolls back, a
 * date loaded out of order, a place that appears late, leaves and comes
 * back. Then: the indexes are back, exactly as they were, and nothing
 * waits in deferred_index; a database that has rows is never bulk loaded;
 * a killed bulk load's indexes are built by the next start-up. */
#include <string.h>

#include "check.h"
#include "store/store.h"
#include "store_fixture.h"

static const char *const indexes[] = { "daily_report_location",
    "region_daily_location" };

/* A row; a negative count means the file left it empty. */
#define row store_fixture_row

/* Loads rows as date; abort_it: begin, add the rows, then abort (a file
 * that failed). 0 or -1. */
static int
load(struct store_fixture *fx, const char *date, const struct daily_row *rows,
    size_t n, int abort_it)
{
	struct fetch_record f = { .date = date, .url = "file:///data/x.csv",
	    .sha256 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" };
	long long loaded, rejected;

	if (store_date_begin(fx->st, fx->run_id, &f) != 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (store_date_row(fx->st, &rows[i]) != 0) {
			store_date_abort(fx->st);
			return -1;
		}
	if (abort_it) {
		store_date_abort(fx->st);
		return 0;
	}
	return store_date_commit(fx->st, &loaded, &rejected);
}

#define LOAD(fx, date, abort_it, ...) do { \
	const struct daily_row rows_[] = { __VA_ARGS__ }; \
	CHECK_INT(load(fx, date, rows_, sizeof rows_ / sizeof rows_[0], \
	    abort_it), 0); \
} while (0)

/* The same history for both databases. batch: the middle dates in one
 * batch, as a backfill loads them. */
static void
history(struct store_fixture *fx, int batch)
{
	LOAD(fx, "2020-03-01", 0, row("Italy", "", "", 10, 1),
	    row("US", "New York", "Kings", 5, 0),
	    row("US", "New York", "Queens", 3, -1));
	if (batch)
		CHECK_INT(store_batch_begin(fx->st, 1000000, 1e9), 0);
	LOAD(fx, "2020-03-02", 0, row("Italy", "", "", 15, 2),
	    row("US", "New York", "Kings", 9, 1));
	/* A file that fails: rolled back, the store forgets the places. */
	LOAD(fx, "2020-03-03", 1, row("Italy", "", "", 999, 99),
	    row("US", "New York", "Kings", 999, 99));
	/* Queens comes back after two dates away; Spain appears late. */
	LOAD(fx, "2020-03-04", 0, row("Italy", "", "", 21, 3),
	    row("US", "New York", "Kings", 12, 1),
	    row("US", "New York", "Queens", 7, 1), row("Spain", "", "", 4, 0));
	LOAD(fx, "2020-03-05", 0, row("Italy", "", "", 20, 3),
	    row("US", "New York", "Kings", 14, -1), row("Spain", "", "", 6, 1));
	if (batch)
		CHECK_INT(store_batch_end(fx->st), 0);
	/* The failed date again, now good, after later dates (out of
	 * order: its next dates' new figures change). */
	LOAD(fx, "2020-03-03", 0, row("Italy", "", "", 18, 2),
	    row("US", "New York", "Kings", 10, 1), row("Spain", "", "", 1, 0));
	LOAD(fx, "2020-03-06", 0, row("Italy", "", "", 25, 4),
	    row("US", "New York", "Kings", 15, 2),
	    row("US", "New York", "Queens", 8, 1), row("Spain", "", "", 9, 1));
}

/* Everything the loads wrote that the two must agree on, as one text. */
static void
contents(sqlite3 *db, const char *table, char *out, size_t len)
{
	char sql[512];
	sqlite3_stmt *st;

	snprintf(sql, sizeof sql, "SELECT group_concat(x, ';') FROM (SELECT "
	    "l.slug || ' ' || t.date || ' ' || quote(t.confirmed) || ' ' || "
	    "quote(t.deaths) || ' ' || quote(t.new_confirmed) || ' ' || "
	    "quote(t.new_deaths) AS x FROM %s AS t JOIN location AS l "
	    "ON l.id = t.location_id ORDER BY l.slug, t.date)", table);
	snprintf(out, len, "(failed)");
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, len, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

static long long
count(sqlite3 *db, const char *sql, const char *a1)
{
	return store_fixture_int(db, sql, a1, NULL);
}

static int
indexes_as_migrated(sqlite3 *db)
{
	for (size_t i = 0; i < 2; i++)
		if (count(db, "SELECT count(*) FROM sqlite_master WHERE type = "
		    "'index' AND name = ?1 AND sql LIKE '%(location_id, date, "
		    "confirmed, deaths)'", indexes[i]) != 1)
			return 0;
	return 1;
}

static void
test_same_database(void)
{
	struct store_fixture plain, bulk;
	static char a[8192], b[8192];

	if (store_fixture_open(&plain, "bulk_plain") != 0 ||
	    store_fixture_open(&bulk, "bulk_bulk") != 0) {
		CHECK(!"fixtures");
		return;
	}
	history(&plain, 1);
	CHECK_INT(store_bulk_begin(bulk.st), 1);
	CHECK_INT(indexes_as_migrated(bulk.file.db), 0);
	CHECK_INT(count(bulk.file.db, "SELECT count(*) FROM deferred_index", NULL), 2);
	history(&bulk, 1);
	CHECK_INT(store_bulk_end(bulk.st), 0);

	contents(plain.file.db, "daily_report", a, sizeof a);
	contents(bulk.file.db, "daily_report", b, sizeof b);
	CHECK(strstr(a, "us/new-york/queens 2020-03-04 7 1 4 NULL") != NULL);
	CHECK_STR(b, a);
	contents(plain.file.db, "region_daily", a, sizeof a);
	contents(bulk.file.db, "region_daily", b, sizeof b);
	CHECK(strstr(a, "us/new-york 2020-03-04") != NULL);
	CHECK_STR(b, a);
	CHECK(indexes_as_migrated(bulk.file.db));
	CHECK_INT(count(bulk.file.db, "SELECT count(*) FROM deferred_index", NULL), 0);
	/* The rebuilt index is one SQLite can use and finds every row. */
	CHECK_INT(count(bulk.file.db, "SELECT count(*) FROM daily_report "
	    "INDEXED BY daily_report_location WHERE location_id > 0", NULL),
	    count(bulk.file.db, "SELECT count(*) FROM daily_report", NULL));
	CHECK_STR(sqlite3_errmsg(bulk.file.db), "not an error");

	/* A database with rows is never bulk loaded, and nothing changes. */
	CHECK_INT(store_bulk_begin(bulk.st), 0);
	CHECK(indexes_as_migrated(bulk.file.db));
	CHECK_INT(store_bulk_end(bulk.st), 0);
	store_fixture_close(&plain);
	store_fixture_close(&bulk);
}

static void
test_inside_transaction(void)
{
	struct store_fixture fx;

	if (store_fixture_open(&fx, "bulk_tx") != 0) {
		CHECK(!"fixture");
		return;
	}
	CHECK_INT(store_batch_begin(fx.st, 100, 100), 0);
	LOAD(&fx, "2020-03-01", 0, row("Italy", "", "", 10, 1));
	/* The batch's transaction is open: refused, nothing dropped. */
	CHECK_INT(store_bulk_begin(fx.st), -1);
	CHECK_INT(store_batch_end(fx.st), 0);
	CHECK(indexes_as_migrated(fx.file.db));
	store_fixture_close(&fx);
}

/* A load killed after it dropped the indexes: the next start-up builds
 * them (store_run_recover), from what deferred_index kept. */
static void
test_killed_load(void)
{
	struct store_fixture fx;
	struct store *again;

	if (store_fixture_open(&fx, "bulk_killed") != 0) {
		CHECK(!"fixture");
		return;
	}
	CHECK_INT(store_bulk_begin(fx.st), 1);
	LOAD(&fx, "2020-03-01", 0, row("Italy", "", "", 10, 1));
	/* Gone without store_bulk_end, as a killed process goes. */
	store_close(fx.st);
	fx.st = NULL;
	CHECK_INT(indexes_as_migrated(fx.file.db), 0);
	CHECK_INT(count(fx.file.db, "SELECT count(*) FROM deferred_index", NULL), 2);
	again = store_open(fx.file.db);
	CHECK(again != NULL);
	if (again == NULL)
		return;
	CHECK_INT(store_run_recover(again), 0);
	CHECK(indexes_as_migrated(fx.file.db));
	CHECK_INT(count(fx.file.db, "SELECT count(*) FROM deferred_index", NULL), 0);
	/* Recovering again finds nothing to do. */
	CHECK_INT(store_run_recover(again), 0);
	fx.st = again;
	store_fixture_close(&fx);
}

int
main(void)
{
	test_same_database();
	test_inside_transaction();
	test_killed_load();
	return check_exit();
}
