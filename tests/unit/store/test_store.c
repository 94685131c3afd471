/* test_store: the store on a temporary database with hand-made rows:
 * locations, parents and slugs; deltas (a downward correction stays
 * negative); out-of-order loads; a reload replaces the date (a place the new
 * version lacks disappears and its next delta is recomputed); region totals
 * and their deltas; NULL never becomes 0; the data version; abort keeps the
 * old rows; duplicates; the lookup table; the job log; batches (a reader
 * sees all of one or none, a failed date rolls back alone, the run's
 * counters commit with them); another spelling of a lookup-table place;
 * new validators for identical bytes; validators kept with their URL and
 * whether the Last-Modified is strong; references checked at commit; a
 * file whose log row is refused undoes its begin.
 *
 * Besides the hand-worked numbers, every step checks two invariants derived
 * independently in SQL: each new_* equals LAG() over the location's rows,
 * and each region total equals the sum of the rows below it. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "store/db.h"
#include "store/place_names.h"
#include "store/store.h"
#include "store_fixture.h"

#define NUL FIXTURE_NULL   /* what q() returns for SQL NULL */

static struct store_fixture fx;
static sqlite3 *db;         /* fx's, the store's connection */
static struct store *st;

/* First column of the first row of sql with up to two text parameters;
 * NUL for NULL, NUL + 1 for no row. */
static long long
q(const char *sql, const char *a1, const char *a2)
{
	return store_fixture_int(db, sql, a1, a2);
}

/* The same for a text column, into a static buffer ("(null)", "(none)"). */
static const char *
qs(const char *sql, const char *a1, const char *a2)
{
	static char out[256];
	sqlite3_stmt *s;

	snprintf(out, sizeof out, "(none)");
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return "(prepare failed)";
	if (a1)
		sqlite3_bind_text(s, 1, a1, -1, SQLITE_TRANSIENT);
	if (a2)
		sqlite3_bind_text(s, 2, a2, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(s, 0);
		snprintf(out, sizeof out, "%s", t ? t : "(null)");
	}
	sqlite3_finalize(s);
	return out;
}

/* A row; a negative count means the file left it empty. */
#define row store_fixture_row

static long long run_id;

static struct fetch_record
rec(const char *date)
{
	struct fetch_record f = { .date = date, .url = "file:///data/x.csv",
	    .sha256 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" };
	return f;
}

static int
load_run(long long run, const char *date, const struct daily_row *rows,
    size_t n)
{
	struct fetch_record f = rec(date);
	long long loaded, rejected;

	if (store_date_begin(st, run, &f) != 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (store_date_row(st, &rows[i]) != 0) {
			store_date_abort(st);
			return -1;
		}
	return store_date_commit(st, &loaded, &rejected);
}

static int
load(const char *date, const struct daily_row *rows, size_t n)
{
	return load_run(run_id, date, rows, n);
}

#define LOAD(date, ...) do { \
	const struct daily_row rows_[] = { __VA_ARGS__ }; \
	CHECK_INT(load(date, rows_, sizeof rows_ / sizeof rows_[0]), 0); \
	invariants(date); \
} while (0)

/* confirmed / new_confirmed / ... of a reported location on a date. */
static long long
val(const char *col, const char *slug, const char *date)
{
	return store_fixture_figure(db, "daily_report", col, slug, date);
}

static long long
region(const char *col, const char *slug, const char *date)
{
	return store_fixture_figure(db, "region_daily", col, slug, date);
}

/* The deltas and totals as SQL derives them from scratch. */
static void
invariants(const char *when)
{
	long long bad;

	bad = q("SELECT count(*) FROM (SELECT new_confirmed, new_deaths, "
	    "confirmed - lag(confirmed) OVER w AS c, deaths - lag(deaths) OVER w AS d "
	    "FROM daily_report WINDOW w AS (PARTITION BY location_id ORDER BY date)) "
	    "WHERE new_confirmed IS NOT c OR new_deaths IS NOT d", NULL, NULL);
	CHECK_INT(bad, 0);
	if (bad)
		printf("#   row deltas wrong after %s\n", when);
	bad = q("WITH want AS (SELECT r.region_id AS id, d.date, "
	    "sum(d.confirmed) AS c, sum(d.deaths) AS de, sum(d.recovered) AS re, "
	    "sum(d.active) AS ac FROM daily_report d JOIN location_region r "
	    "ON r.location_id = d.location_id GROUP BY 1, 2) "
	    "SELECT (SELECT count(*) FROM want w LEFT JOIN region_daily g "
	    "ON g.location_id = w.id AND g.date = w.date WHERE g.date IS NULL "
	    "OR g.confirmed IS NOT w.c OR g.deaths IS NOT w.de "
	    "OR g.recovered IS NOT w.re OR g.active IS NOT w.ac) + "
	    "(SELECT count(*) FROM region_daily) - (SELECT count(*) FROM want)",
	    NULL, NULL);
	CHECK_INT(bad, 0);
	if (bad)
		printf("#   region totals wrong after %s\n", when);
	bad = q("SELECT count(*) FROM (SELECT new_confirmed, new_deaths, "
	    "confirmed - lag(confirmed) OVER w AS c, deaths - lag(deaths) OVER w AS d "
	    "FROM region_daily WINDOW w AS (PARTITION BY location_id ORDER BY date)) "
	    "WHERE new_confirmed IS NOT c OR new_deaths IS NOT d", NULL, NULL);
	CHECK_INT(bad, 0);
	if (bad)
		printf("#   region deltas wrong after %s\n", when);
}

static void
test_locations_and_totals(void)
{
	LOAD("2020-06-01",
	    row("US", "New York", "Kings", 10, 1),
	    row("US", "New York", "Queens", 20, -1),
	    row("US", "New York", "", 5, 0),
	    row("Korea, South", "", "", 100, 3),
	    row("China", "Hong Kong", "", 7, -1),
	    row("China", "Hubei", "", -1, -1));

	/* The tree, parents created by their children. */
	CHECK_INT(q("SELECT count(*) FROM location", NULL, NULL), 8);
	CHECK_STR(qs("SELECT group_concat(slug, ' ') FROM (SELECT slug FROM "
	    "location ORDER BY slug)", NULL, NULL),
	    "china china/hong-kong china/hubei korea-south us us/new-york "
	    "us/new-york/kings us/new-york/queens");
	CHECK_STR(qs("SELECT p.slug || ' ' || l.level FROM location l JOIN location p "
	    "ON p.id = l.parent_id WHERE l.slug = ?1", "us/new-york/kings", NULL),
	    "us/new-york county");
	CHECK_STR(qs("SELECT p.slug || ' ' || l.level FROM location l JOIN location p "
	    "ON p.id = l.parent_id WHERE l.slug = ?1", "us/new-york", NULL),
	    "us province");
	CHECK_STR(qs("SELECT level || ' ' || ifnull(parent_id, 'root') FROM location "
	    "WHERE slug = 'us'", NULL, NULL), "country root");
	/* Only reported rows are daily rows; parents exist as regions. */
	CHECK_INT(q("SELECT count(*) FROM daily_report", NULL, NULL), 6);

	/* NULL stays NULL, in rows and in the views. */
	CHECK_INT(val("confirmed", "china/hubei", "2020-06-01"), NUL);
	CHECK_INT(q("SELECT count(*) FROM v_daily WHERE province_state = 'Hubei' "
	    "AND confirmed IS NULL AND deaths IS NULL AND admin2 IS NULL", NULL, NULL), 1);
	CHECK_INT(val("new_confirmed", "us/new-york/kings", "2020-06-01"), NUL);

	/* Totals include the node's own row; a sum over some NULLs is the sum
	 * of what is known, over only NULLs it is NULL. */
	CHECK_INT(region("confirmed", "us/new-york", "2020-06-01"), 35);
	CHECK_INT(region("deaths", "us/new-york", "2020-06-01"), 1);
	CHECK_INT(region("confirmed", "us", "2020-06-01"), 35);
	CHECK_INT(region("confirmed", "china", "2020-06-01"), 7);
	CHECK_INT(region("deaths", "china", "2020-06-01"), NUL);
	CHECK_INT(region("confirmed", "china/hubei", "2020-06-01"), NUL);
	CHECK_INT(region("confirmed", "korea-south", "2020-06-01"), 100);
	CHECK_INT(region("confirmed", "us/new-york/kings", "2020-06-01"), NUL + 1);
	CHECK_INT(q("SELECT deaths FROM v_country_daily WHERE country_region = 'China'",
	    NULL, NULL), NUL);
	CHECK_INT(q("SELECT count(*) FROM v_country_daily", NULL, NULL), 3);
}

static void
test_deltas(void)
{
	long long v0 = db_data_version(db);

	LOAD("2020-06-02",
	    row("US", "New York", "Kings", 15, 1),
	    row("US", "New York", "Queens", 18, 3),   /* corrected down */
	    row("US", "New York", "", 5, 0),
	    row("Korea, South", "", "", 110, 3),
	    row("China", "Hong Kong", "", 9, 1),
	    row("China", "Hubei", "", 4, -1));
	CHECK_INT(db_data_version(db), v0 + 1);
	CHECK(strlen(qs("SELECT value FROM meta WHERE key = 'refreshed_at'",
	    NULL, NULL)) == 20);
	CHECK_INT(val("new_confirmed", "us/new-york/kings", "2020-06-02"), 5);
	CHECK_INT(val("new_deaths", "us/new-york/kings", "2020-06-02"), 0);
	CHECK_INT(val("new_confirmed", "us/new-york/queens", "2020-06-02"), -2);
	CHECK_INT(val("new_deaths", "us/new-york/queens", "2020-06-02"), NUL);
	CHECK_INT(val("new_confirmed", "china/hubei", "2020-06-02"), NUL);
	CHECK_INT(val("new_confirmed", "korea-south", "2020-06-02"), 10);
	/* Region deltas: New York 38 - 35, deaths 4 - 1; China deaths had no
	 * total the day before. */
	CHECK_INT(region("new_confirmed", "us/new-york", "2020-06-02"), 3);
	CHECK_INT(region("new_deaths", "us/new-york", "2020-06-02"), 3);
	CHECK_INT(region("new_confirmed", "china", "2020-06-02"), 6);
	CHECK_INT(region("new_deaths", "china", "2020-06-02"), NUL);
	CHECK_INT(q("SELECT new_confirmed FROM v_country_daily WHERE country_region "
	    "= 'US' AND date = '2020-06-02'", NULL, NULL), 3);
}

static void
test_out_of_order_and_reload(void)
{
	/* 06-04 before 06-03: its delta is first against 06-02 ... */
	LOAD("2020-06-04",
	    row("US", "New York", "Kings", 30, 2),
	    row("US", "New York", "Queens", 25, 4),
	    row("Korea, South", "", "", 130, 4));
	CHECK_INT(val("new_confirmed", "us/new-york/kings", "2020-06-04"), 15);
	CHECK_INT(region("new_confirmed", "us/new-york", "2020-06-04"), 55 - 38);
	/* ... then against the 06-03 loaded later. */
	LOAD("2020-06-03",
	    row("US", "New York", "Kings", 20, 1),
	    row("US", "New York", "Queens", 22, 3),
	    row("Korea, South", "", "", 120, 3));
	CHECK_INT(val("new_confirmed", "us/new-york/kings", "2020-06-03"), 5);
	CHECK_INT(val("new_confirmed", "us/new-york/kings", "2020-06-04"), 10);
	CHECK_INT(val("new_confirmed", "korea-south", "2020-06-04"), 10);
	CHECK_INT(region("new_confirmed", "us/new-york", "2020-06-03"), 42 - 38);
	CHECK_INT(region("new_confirmed", "us/new-york", "2020-06-04"), 55 - 42);
	CHECK_INT(region("new_deaths", "us", "2020-06-04"), 6 - 4);
	/* New York's own row was not in 06-03: New York's previous own row is
	 * 06-02's for the rows, but its region total exists every date. */
	CHECK_INT(q("SELECT count(*) FROM region_daily r JOIN location l ON "
	    "l.id = r.location_id WHERE l.slug = 'us/new-york'", NULL, NULL), 4);

	/* A revised 06-03 without Queens, with Kings changed: Queens is gone
	 * for 06-03 and its 06-04 delta is against 06-02 again. */
	LOAD("2020-06-03",
	    row("US", "New York", "Kings", 21, 1),
	    row("Korea, South", "", "", 120, 3));
	CHECK_INT(val("confirmed", "us/new-york/queens", "2020-06-03"), NUL + 1);
	CHECK_INT(val("confirmed", "us/new-york/kings", "2020-06-03"), 21);
	CHECK_INT(val("new_confirmed", "us/new-york/kings", "2020-06-03"), 6);
	CHECK_INT(val("new_confirmed", "us/new-york/kings", "2020-06-04"), 9);
	CHECK_INT(val("new_confirmed", "us/new-york/queens", "2020-06-04"), 25 - 18);
	CHECK_INT(val("new_deaths", "us/new-york/queens", "2020-06-04"), 4 - 3);
	CHECK_INT(region("confirmed", "us/new-york", "2020-06-03"), 21);
	CHECK_INT(region("new_confirmed", "us/new-york", "2020-06-03"), 21 - 38);
	CHECK_INT(region("new_confirmed", "us/new-york", "2020-06-04"), 55 - 21);
	CHECK_INT(q("SELECT count(*) FROM daily_report WHERE date = '2020-06-03'",
	    NULL, NULL), 2);

	/* A reload of a date that removes a region entirely: China had rows
	 * on 06-02 only; a 06-02 without China drops its totals. */
	LOAD("2020-06-02",
	    row("US", "New York", "Kings", 15, 1),
	    row("US", "New York", "Queens", 18, 3),
	    row("US", "New York", "", 5, 0),
	    row("Korea, South", "", "", 110, 3));
	CHECK_INT(region("confirmed", "china", "2020-06-02"), NUL + 1);
	CHECK_INT(region("confirmed", "china", "2020-06-01"), 7);
	/* Same data again: same numbers, one more version. */
	{
		long long v0 = db_data_version(db);
		LOAD("2020-06-02",
		    row("US", "New York", "Kings", 15, 1),
		    row("US", "New York", "Queens", 18, 3),
		    row("US", "New York", "", 5, 0),
		    row("Korea, South", "", "", 110, 3));
		CHECK_INT(db_data_version(db), v0 + 1);
		CHECK_INT(region("confirmed", "us", "2020-06-02"), 38);
	}
}

static void
test_abort(void)
{
	struct fetch_record f = rec("2020-06-03");
	struct daily_row r1 = row("US", "New York", "Kings", 999, 9);
	struct daily_row r2 = row("Narnia", "Cair Paravel", "", 1, 0);
	long long v0 = db_data_version(db);
	long long files = q("SELECT count(*) FROM ingest_file", NULL, NULL);

	CHECK_INT(store_date_begin(st, run_id, &f), 0);
	CHECK_INT(store_date_row(st, &r1), 0);
	CHECK_INT(store_date_row(st, &r2), 0);
	CHECK_INT(store_date_reject(st, 7, "bad number", "x,y"), 0);
	store_date_abort(st);
	CHECK_INT(val("confirmed", "us/new-york/kings", "2020-06-03"), 21);
	CHECK_INT(q("SELECT count(*) FROM location WHERE country_region = 'Narnia'",
	    NULL, NULL), 0);
	CHECK_INT(q("SELECT count(*) FROM ingest_file", NULL, NULL), files);
	CHECK_INT(q("SELECT count(*) FROM rejected_row", NULL, NULL), 0);
	CHECK_INT(db_data_version(db), v0);
	CHECK_INT(store_file_failed(st, run_id, &f, "test abort"), 0);
	CHECK_INT(q("SELECT count(*) FROM ingest_file WHERE status = 'failed' "
	    "AND error = 'test abort'", NULL, NULL), 1);
	/* The store forgot the rolled-back location: it can create it again. */
	LOAD("2020-06-05", row("Narnia", "Cair Paravel", "", 1, 0));
	CHECK_STR(qs("SELECT slug FROM location WHERE province_state = "
	    "'Cair Paravel'", NULL, NULL), "narnia/cair-paravel");
	CHECK_INT(region("confirmed", "narnia", "2020-06-05"), 1);
}

static void
test_duplicates_and_rejects(void)
{
	struct fetch_record f = rec("2020-03-21");
	struct daily_row rows[] = {
		row("Bahamas", "", "", 4, 0),
		row("Cabo Verde", "", "", 3, 0),
		row("Bahamas", "", "", 0, 0),        /* "The Bahamas": dropped */
		row("Cabo Verde", "", "", 1, 0),     /* "Cape Verde": dropped */
		row("US", "District of Columbia", "District of Columbia", 102, 0),
		row("US", "District of Columbia", "District of Columbia", 102, 2),
		row("Gambia", "", "", -1, -1),
		row("Gambia", "", "", 1, 0),         /* known beats unknown */
	};
	long long loaded = -1, rejected = -1;

	CHECK_INT(store_date_begin(st, run_id, &f), 0);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		CHECK_INT(store_date_row(st, &rows[i]), 0);
	CHECK_INT(store_date_reject(st, 99, "12 fields, the header has 14",
	    "a,b,c"), 0);
	CHECK_INT(store_date_commit(st, &loaded, &rejected), 0);
	invariants("duplicates");
	CHECK_INT(loaded, 4);
	CHECK_INT(rejected, 5);
	CHECK_INT(val("confirmed", "bahamas", "2020-03-21"), 4);
	CHECK_INT(val("confirmed", "cabo-verde", "2020-03-21"), 3);
	CHECK_INT(val("deaths", "us/district-of-columbia/district-of-columbia",
	    "2020-03-21"), 2);
	CHECK_INT(val("confirmed", "gambia", "2020-03-21"), 1);
	CHECK_INT(region("confirmed", "us", "2020-03-21"), 102);
	/* Each dropped row is recorded with its own line. */
	{
		char line[32];
		snprintf(line, sizeof line, "%ld", rows[2].line);
		CHECK_INT(q("SELECT count(*) FROM rejected_row WHERE line = ?1 "
		    "AND reason LIKE 'duplicate of Bahamas%'", line, NULL), 1);
		snprintf(line, sizeof line, "%ld", rows[4].line);
		CHECK_INT(q("SELECT count(*) FROM rejected_row WHERE line = ?1 "
		    "AND reason LIKE 'duplicate of District of Columbia, "
		    "District of Columbia, US%'", line, NULL), 1);
		snprintf(line, sizeof line, "%ld", rows[6].line);
		CHECK_INT(q("SELECT count(*) FROM rejected_row WHERE line = ?1 "
		    "AND reason LIKE '%confirmed unknown%'", line, NULL), 1);
	}
	CHECK_INT(q("SELECT count(*) FROM rejected_row WHERE line = 99 AND "
	    "raw = 'a,b,c'", NULL, NULL), 1);
	CHECK_INT(q("SELECT rows_loaded * 100 + rows_rejected FROM ingest_file "
	    "WHERE date = '2020-03-21' AND status = 'loaded'", NULL, NULL), 405);
}

static void
test_slugs(void)
{
	char want[64];
	const char *got;

	LOAD("2020-03-22",
	    row("US", "New Mexico", "Dona Ana", 2, 0),
	    row("US", "New Mexico", "Do\xc3\xb1" "a Ana", 0, 0),
	    row("Korea, South", "", "", 8897, 104),
	    row("Taiwan*", "", "", 169, 2));
	CHECK_STR(qs("SELECT slug FROM location WHERE admin2 = 'Dona Ana'", NULL,
	    NULL), "us/new-mexico/dona-ana");
	got = qs("SELECT slug FROM location WHERE admin2 = ?1",
	    "Do\xc3\xb1" "a Ana", NULL);
	/* The suffix is the FNV-1a of the exact names, so it never depends on
	 * what else was loaded: 8 hex digits. */
	snprintf(want, sizeof want, "us/new-mexico/dona-ana-");
	CHECK(strncmp(got, want, strlen(want)) == 0);
	CHECK_INT(strlen(got), strlen(want) + 8);
	CHECK_INT(strspn(got + strlen(want), "0123456789abcdef"), 8);
	CHECK_STR(qs("SELECT slug FROM location WHERE country_region = 'Taiwan*'",
	    NULL, NULL), "taiwan");
	CHECK_INT(q("SELECT count(*) FROM location WHERE slug GLOB '*[^a-z0-9/-]*'",
	    NULL, NULL), 0);
}

static const char lookup_csv[] =
	"\xef\xbb\xbfUID,iso2,iso3,code3,FIPS,Admin2,Province_State,Country_Region,"
	"Lat,Long_,Combined_Key,Population\r\n"
	"840,US,USA,840,,,,US,40,-100,US,329466283\r\n"
	"84000036,US,USA,840,36,,New York,US,42.1657,-74.9481,\"New York, US\","
	"19453561\r\n"
	"84036047,US,USA,840,36047,Kings,New York,US,40.6361825,-73.94935552,"
	"\"Kings, New York, US\",2559903\r\n"
	"84001001,US,USA,840,1001.0,Autauga,Alabama,US,32.53952745,-86.64408227,"
	"\"Autauga, Alabama, US\",55869\r\n"
	"410,KR,KOR,410,,,,\"Korea, South\",35.907757,127.766922,\"Korea, South\","
	"51269183\r\n"
	"10,AQ,ATA,10,,,,Antarctica,-71.9499,23.347,Antarctica,\r\n"
	"x,US,USA,840,,,Nowhere,US,1,2,\"Nowhere, US\",5\r\n"
	"1,2,3\r\n";

static void
test_lookup(void)
{
	long long v0 = db_data_version(db), aliases = 0;

	CHECK_INT(store_load_lookup(st, lookup_csv, sizeof lookup_csv - 1), 0);
	CHECK_INT(db_data_version(db), v0 + 1);
	/* Existing places gain their identity ... */
	CHECK_INT(q("SELECT uid FROM location WHERE slug = 'us/new-york/kings'",
	    NULL, NULL), 84036047);
	CHECK_STR(qs("SELECT fips || ' ' || combined_key || ' ' || population "
	    "FROM location WHERE slug = 'us/new-york/kings'", NULL, NULL),
	    "36047 Kings, New York, US 2559903");
	CHECK_STR(qs("SELECT iso3 FROM v_country_daily WHERE country_region = "
	    "'Korea, South' LIMIT 1", NULL, NULL), "KOR");
	CHECK_INT(q("SELECT population FROM v_country_daily WHERE "
	    "country_region = 'US' LIMIT 1", NULL, NULL), 329466283);
	/* ... new ones are created with their parents, FIPS padded ... */
	CHECK_STR(qs("SELECT l.fips || ' ' || p.slug FROM location l JOIN location p "
	    "ON p.id = l.parent_id WHERE l.slug = 'us/alabama/autauga'", NULL, NULL),
	    "01001 us/alabama");
	CHECK_INT(q("SELECT count(*) FROM location_region r JOIN location l ON "
	    "l.id = r.location_id WHERE l.slug = 'us/alabama/autauga'", NULL, NULL), 2);
	/* ... an empty Population stays NULL, the bad rows are skipped. */
	CHECK_INT(q("SELECT population FROM location WHERE slug = 'antarctica'",
	    NULL, NULL), NUL);
	CHECK_INT(q("SELECT count(*) FROM location WHERE province_state = 'Nowhere'",
	    NULL, NULL), 0);
	CHECK_INT(q("SELECT lat * 10000 FROM v_daily WHERE admin2 = 'Kings' LIMIT 1",
	    NULL, NULL), 406361);
	for (const struct country_alias *a = place_country_aliases; a->alias; a++)
		aliases++;
	for (const struct place_move *m = place_moves; m->alias; m++)
		aliases++;
	CHECK_INT(q("SELECT count(*) FROM country_alias", NULL, NULL), aliases);
	CHECK_STR(qs("SELECT name FROM country_alias WHERE alias = 'Mainland China'",
	    NULL, NULL), "China");
	CHECK_STR(qs("SELECT name FROM country_alias WHERE alias = 'Hong Kong SAR'",
	    NULL, NULL), "China");
	/* The same table again writes nothing. */
	v0 = db_data_version(db);
	CHECK_INT(store_load_lookup(st, lookup_csv, sizeof lookup_csv - 1), 0);
	CHECK_INT(db_data_version(db), v0);
	/* Not the lookup table. */
	CHECK_INT(store_load_lookup(st, "<html><body>404</body></html>", 29), -1);
	CHECK_INT(store_load_lookup(st, "", 0), -1);
	CHECK_INT(db_data_version(db), v0);
}

/* Another connection (another run, later) adds a place and a date: this
 * store notices (PRAGMA data_version), so it neither re-creates the place
 * nor computes the next delta from stale counts. */
static void
test_second_writer(const char *path)
{
	sqlite3 *db2 = db_open_rw(path);
	struct store *st2 = db2 ? store_open(db2) : NULL;
	struct fetch_record f = rec("2020-06-08");
	struct daily_row r1 = row("Atlantis", "", "", 5, 0);
	struct daily_row r2 = row("US", "New York", "Kings", 40, 3);

	CHECK(st2 != NULL);
	if (st2 == NULL)
		return;
	CHECK_INT(store_date_begin(st2, run_id, &f), 0);
	CHECK_INT(store_date_row(st2, &r1), 0);
	CHECK_INT(store_date_row(st2, &r2), 0);
	CHECK_INT(store_date_commit(st2, NULL, NULL), 0);
	store_close(st2);
	sqlite3_close(db2);

	LOAD("2020-06-09",
	    row("Atlantis", "", "", 7, 0),
	    row("US", "New York", "Kings", 41, 3));
	CHECK_INT(q("SELECT count(*) FROM location WHERE country_region = "
	    "'Atlantis'", NULL, NULL), 1);
	CHECK_INT(val("new_confirmed", "atlantis", "2020-06-09"), 2);
	CHECK_INT(val("new_confirmed", "us/new-york/kings", "2020-06-09"), 1);
}

/* The job log read back for the notice after a run: run r2 (interrupted,
 * one file failed) is this process's newest; run 1 (ok) the one before. */
static void
test_run_read_back(long long r2)
{
	struct run_record r, prev;
	long long pid = (long long)getpid();

	CHECK_INT(store_run_find(db, "2000-01-01T00:00:00Z", pid, &r), 1);
	CHECK_INT(r.id, r2);
	CHECK_STR(r.status, "interrupted");
	CHECK_STR(r.finished_at, "");   /* never finished: NULL reads "" */
	CHECK(strncmp(r.message, "interrupted: ", 13) == 0);
	CHECK_INT(r.files_failed, 1);
	CHECK_STR(r.first_date, "2020-06-06");
	CHECK_STR(r.first_error, "HTTP 500");
	CHECK_INT(store_run_before(db, r.id, &prev), 1);
	CHECK_INT(prev.id, run_id);
	CHECK_STR(prev.status, "ok");
	CHECK(prev.finished_at != NULL && strlen(prev.finished_at) == 20);
	CHECK_STR(prev.message, "");
	CHECK_INT(prev.files_failed, 0);
	CHECK(prev.first_date == NULL && prev.first_error == NULL);
	store_run_record_free(&prev);
	CHECK(prev.status == NULL && prev.id == 0);
	/* None before the first; none by another process, or started later. */
	CHECK_INT(store_run_before(db, run_id, &prev), 0);
	CHECK(prev.status == NULL);
	CHECK_INT(store_run_find(db, "2000-01-01T00:00:00Z", pid + 1, &prev), 0);
	CHECK_INT(store_run_find(db, "9999-01-01T00:00:00Z", pid, &prev), 0);
	store_run_record_free(&r);
}

static void
test_job_log(void)
{
	struct run_counts c = { 3, 1, 1, 1, 120, 2 };
	struct fetch_record f = rec("2020-06-06");
	struct source_state have;
	char newest[11];
	long long r2;

	f.etag = "\"abc\"";
	f.last_modified = "Tue, 02 Jun 2020 00:00:00 GMT";
	f.http_status = 200;
	CHECK_INT(store_newest_date(st, newest), 0);
	CHECK_STR(newest, "2020-06-09");
	CHECK_INT(store_source_get(st, "2020-06-06", f.url, &have), 0);
	CHECK_INT(have.same_url, 0);
	CHECK_STR(have.sha256, "");
	LOAD("2020-03-09", row("Korea, South", "", "", 7, 0));
	CHECK_INT(store_newest_date(st, newest), 0);
	CHECK_STR(newest, "2020-06-09");
	CHECK_INT(store_date_begin(st, run_id, &f), 0);
	CHECK_INT(store_date_commit(st, NULL, NULL), 0);
	CHECK_INT(store_source_get(st, "2020-06-06", f.url, &have), 1);
	CHECK_INT(have.same_url, 1);
	CHECK_STR(have.etag, "\"abc\"");
	CHECK_STR(have.last_modified, "Tue, 02 Jun 2020 00:00:00 GMT");
	CHECK_INT(have.last_modified_strong, 0);
	CHECK_STR(have.sha256, f.sha256);
	CHECK_INT(q("SELECT http_status FROM ingest_file WHERE date = '2020-06-06'",
	    NULL, NULL), 200);
	CHECK_INT(store_file_unchanged(st, run_id, &f), 0);
	CHECK_INT(q("SELECT count(*) FROM ingest_file WHERE date = '2020-06-06' "
	    "AND status = 'unchanged'", NULL, NULL), 1);
	CHECK_INT(store_run_end(st, run_id, &c, "ok", NULL), 0);
	CHECK_STR(qs("SELECT status || ' ' || dates_tried || ' ' || rows_loaded || "
	    "' ' || (finished_at IS NOT NULL) FROM ingest_run WHERE id = ?1",
	    "1", NULL), "ok 3 120 1");
	CHECK_INT(store_run_end(st, 999, &c, "ok", NULL), -1);

	/* A run that never ends is found at the next start, its counts rebuilt
	 * from its file log. */
	r2 = store_run_begin(st, "file:///elsewhere/");
	CHECK(r2 > run_id);
	CHECK_STR(qs("SELECT status FROM ingest_run ORDER BY id DESC", NULL, NULL),
	    "running");
	CHECK_INT(store_file_unchanged(st, r2, &f), 0);
	CHECK_INT(store_file_failed(st, r2, &f, "HTTP 500"), 0);
	CHECK_INT(store_run_recover(st), 0);
	CHECK_STR(qs("SELECT status || ' ' || dates_tried || ' ' || dates_unchanged "
	    "|| ' ' || dates_failed || ' ' || dates_loaded FROM ingest_run "
	    "ORDER BY id DESC", NULL, NULL), "interrupted 2 1 1 0");
	CHECK_STR(qs("SELECT status FROM ingest_run WHERE id = 1", NULL, NULL), "ok");
	CHECK_INT(store_run_recover(st), 0);
	CHECK_INT(q("SELECT count(*) FROM ingest_run WHERE status = 'running'",
	    NULL, NULL), 0);
	test_run_read_back(r2);
	/* Misuse is refused, not half-done. */
	f.date = "2020-6-7";
	CHECK_INT(store_date_begin(st, run_id, &f), -1);
	CHECK_INT(store_date_commit(st, NULL, NULL), -1);
	/* A date that is not a day of the calendar is refused, and nothing of
	 * it is written (the store's own check once took any day up to 31). */
	f.date = "2021-02-31";
	CHECK_INT(store_date_begin(st, run_id, &f), -1);
	CHECK_INT(store_date_commit(st, NULL, NULL), -1);
	f.date = "2021-04-31";
	CHECK_INT(store_date_begin(st, run_id, &f), -1);
	CHECK_INT(store_date_commit(st, NULL, NULL), -1);
	CHECK_INT(q("SELECT count(*) FROM ingest_file WHERE date IN "
	    "('2021-02-31', '2021-04-31')", NULL, NULL), 0);
	/* A leap day is a day. */
	f.date = "2020-02-29";
	CHECK_INT(store_date_begin(st, run_id, &f), 0);
	CHECK_INT(store_date_commit(st, NULL, NULL), 0);
}

/* First column of the first row of sql on another connection. */
static long long
q_on(sqlite3 *other, const char *sql)
{
	return store_fixture_int(other, sql, NULL, NULL);
}

/* A batch: dates, a date that fails half-way and a file's log row share one
 * transaction; a reader on another connection sees none of it, then all of
 * it but the failed date; the run's counters are committed with it. */
static void
test_batch(const char *path)
{
	const struct daily_row d1[] = { row("Korea, South", "", "", 200, 5),
	    row("US", "New York", "Kings", 50, 4) };
	const struct daily_row d3[] = { row("Korea, South", "", "", 230, 6),
	    row("US", "New York", "Kings", 55, 4) };
	struct daily_row bad = row("Atlantis", "Old Town", "", 9, 9);
	struct fetch_record f2 = rec("2020-07-02"), f1 = rec("2020-07-01");
	sqlite3 *reader = NULL;
	long long r3, v0 = db_data_version(db);
	char sql[256];

	CHECK_INT(sqlite3_open_v2(path, &reader, SQLITE_OPEN_READONLY, NULL),
	    SQLITE_OK);
	r3 = store_run_begin(st, "file:///batch/");
	CHECK(r3 > 0);
	CHECK_INT(store_batch_begin(st, 1000000, 3600), 0);
	CHECK_INT(store_batch_due(st), 0);
	CHECK_INT(load_run(r3, "2020-07-01", d1, 2), 0);
	/* 2020-07-02 fails half-way: its rows and its new place go. */
	CHECK_INT(store_date_begin(st, r3, &f2), 0);
	CHECK_INT(store_date_row(st, &bad), 0);
	store_date_abort(st);
	CHECK_INT(store_file_failed(st, r3, &f2, "truncated body"), 0);
	CHECK_INT(load_run(r3, "2020-07-03", d3, 2), 0);
	CHECK_INT(store_file_unchanged(st, r3, &f1), 0);
	CHECK_INT(store_batch_due(st), 0);   /* far from its budget */

	/* Not committed: the reader sees nothing of the batch. */
	CHECK_INT(q_on(reader, "SELECT count(*) FROM daily_report "
	    "WHERE date >= '2020-07-01'"), 0);
	CHECK_INT(q_on(reader, "SELECT count(*) FROM ingest_file "
	    "WHERE date >= '2020-07-01'"), 0);
	CHECK_INT(q_on(reader, "SELECT CAST(value AS INTEGER) FROM meta "
	    "WHERE key = 'data_version'"), v0);

	CHECK_INT(store_batch_commit(st), 0);
	CHECK_INT(q_on(reader, "SELECT count(*) FROM daily_report "
	    "WHERE date >= '2020-07-01'"), 4);
	CHECK_INT(q_on(reader, "SELECT count(*) FROM daily_report "
	    "WHERE date = '2020-07-02'"), 0);
	CHECK_INT(q_on(reader, "SELECT count(*) FROM location "
	    "WHERE country_region = 'Atlantis' AND province_state = 'Old Town'"), 0);
	CHECK_INT(q_on(reader, "SELECT count(*) FROM region_daily "
	    "WHERE date = '2020-07-03'"), 3);   /* Korea, New York, US */
	/* The run's counters, from its file log, in the same commit. */
	snprintf(sql, sizeof sql, "SELECT dates_tried * 1000 + dates_loaded * 100 "
	    "+ dates_unchanged * 10 + dates_failed FROM ingest_run WHERE id = %lld",
	    r3);
	CHECK_INT(q_on(reader, sql), 4211);
	snprintf(sql, sizeof sql, "SELECT rows_loaded FROM ingest_run "
	    "WHERE id = %lld AND status = 'running'", r3);
	CHECK_INT(q_on(reader, sql), 4);
	CHECK_INT(val("new_confirmed", "korea-south", "2020-07-03"), 30);
	invariants("a batch");

	/* A budget of 1 row: due after the first date. */
	CHECK_INT(store_batch_end(st), 0);
	CHECK_INT(store_batch_begin(st, 1, 3600), 0);
	{
		const struct daily_row d4[] = { row("Korea, South", "", "", 240, 6) };
		CHECK_INT(load_run(r3, "2020-07-04", d4, 1), 0);
	}
	CHECK_INT(store_batch_due(st), 1);
	CHECK_INT(store_batch_end(st), 0);
	CHECK_INT(q_on(reader, "SELECT count(*) FROM daily_report "
	    "WHERE date = '2020-07-04'"), 1);
	/* Out of a batch, each date commits at once again. */
	{
		const struct daily_row d5[] = { row("Korea, South", "", "", 250, 6) };
		CHECK_INT(load_run(r3, "2020-07-05", d5, 1), 0);
	}
	CHECK_INT(q_on(reader, "SELECT count(*) FROM daily_report "
	    "WHERE date = '2020-07-05'"), 1);
	/* The database fails while a date's rows are written (a trigger
	 * stands in for a full disk): the batch cannot commit, and none of it
	 * is kept; the next batch works. */
	CHECK_INT(sqlite3_exec(db, "CREATE TEMP TRIGGER full_disk BEFORE INSERT "
	    "ON region_daily WHEN NEW.date = '2020-07-07' BEGIN "
	    "SELECT RAISE(ABORT, 'database or disk is full'); END", NULL, NULL,
	    NULL), SQLITE_OK);
	CHECK_INT(store_batch_begin(st, 1000000, 3600), 0);
	{
		const struct daily_row d6[] = { row("Korea, South", "", "", 260, 6) };
		const struct daily_row d7[] = { row("Korea, South", "", "", 270, 6) };
		CHECK_INT(load_run(r3, "2020-07-06", d6, 1), 0);
		CHECK_INT(load_run(r3, "2020-07-07", d7, 1), -1);
	}
	CHECK_INT(store_batch_due(st), 1);
	CHECK_INT(store_batch_commit(st), -1);
	CHECK_INT(sqlite3_exec(db, "DROP TRIGGER temp.full_disk", NULL, NULL,
	    NULL), SQLITE_OK);
	CHECK_INT(q("SELECT count(*) FROM daily_report WHERE date IN "
	    "('2020-07-06', '2020-07-07')", NULL, NULL), 0);
	CHECK_INT(q("SELECT count(*) FROM ingest_file WHERE date IN "
	    "('2020-07-06', '2020-07-07')", NULL, NULL), 0);
	{
		const struct daily_row d6[] = { row("Korea, South", "", "", 260, 6) };
		CHECK_INT(load_run(r3, "2020-07-06", d6, 1), 0);
	}
	CHECK_INT(store_batch_end(st), 0);
	CHECK_INT(val("new_confirmed", "korea-south", "2020-07-06"), 10);
	CHECK_INT(store_run_end(st, r3, &(struct run_counts){ 7, 5, 1, 1, 7, 0 },
	    "failed", NULL), 0);
	invariants("batches");
	sqlite3_close(reader);
}

/* A daily report's other spelling of a place of the lookup table joins it:
 * 03-22-2020 has "Desoto, Florida" (1 case, no FIPS) and the table's
 * "DeSoto, Florida" (0 cases): one county, whose more advanced row is kept.
 * A name no lookup place folds to is a place of its own. */
static void
test_spellings(void)
{
	static const char lookup_fl[] =
	    "UID,iso2,iso3,code3,FIPS,Admin2,Province_State,Country_Region,"
	    "Lat,Long_,Combined_Key,Population\r\n"
	    "84000012,US,USA,840,12,,Florida,US,27.7663,-81.6868,"
	    "\"Florida, US\",21477737\r\n"
	    "84012027,US,USA,840,12027,DeSoto,Florida,US,27.18677893,"
	    "-81.80941373,\"DeSoto, Florida, US\",38001\r\n";
	const struct daily_row r1 = row("US", "Florida", "Desoto", 1, 0);
	const struct daily_row r2 = row("US", "Florida", "DeSoto", 0, 0);
	char line[32];

	CHECK_INT(store_load_lookup(st, lookup_fl, sizeof lookup_fl - 1), 0);
	LOAD("2020-07-10", r1, r2, row("US", "Florida", "Narnia", 3, 0));
	CHECK_INT(q("SELECT count(*) FROM location WHERE province_state = "
	    "'Florida' AND lower(admin2) = 'desoto'", NULL, NULL), 1);
	CHECK_INT(q("SELECT uid FROM location l JOIN daily_report d ON "
	    "d.location_id = l.id WHERE d.date = '2020-07-10' AND "
	    "lower(l.admin2) = 'desoto'", NULL, NULL), 84012027);
	CHECK_INT(val("confirmed", "us/florida/desoto", "2020-07-10"), 1);
	snprintf(line, sizeof line, "%ld", r2.line);
	CHECK_INT(q("SELECT count(*) FROM rejected_row WHERE line = ?1 AND "
	    "reason LIKE 'duplicate of DeSoto, Florida, US%'", line, NULL), 1);
	CHECK_STR(qs("SELECT slug || ' ' || ifnull(uid, 'none') FROM location "
	    "WHERE admin2 = 'Narnia'", NULL, NULL), "us/florida/narnia none");
	CHECK_INT(region("confirmed", "us/florida", "2020-07-10"), 4);
}

/* Identical bytes served with new validators ('unchanged' by SHA-256): the
 * next request must send the new ones. Other bytes change nothing. */
static void
test_validators(void)
{
	struct fetch_record f = rec("2020-07-20");
	const struct daily_row r1 = row("Korea, South", "", "", 300, 7);
	struct source_state have;
	long long v0;

	f.etag = "\"v1\"";
	f.last_modified = "Mon, 20 Jul 2020 00:00:00 GMT";
	CHECK_INT(store_date_begin(st, run_id, &f), 0);
	CHECK_INT(store_date_row(st, &r1), 0);
	CHECK_INT(store_date_commit(st, NULL, NULL), 0);
	v0 = db_data_version(db);

	f.etag = "\"v2\"";
	f.last_modified = "Tue, 21 Jul 2020 00:00:00 GMT";
	CHECK_INT(store_file_unchanged(st, run_id, &f), 0);
	CHECK_INT(store_source_get(st, "2020-07-20", f.url, &have), 1);
	CHECK_STR(have.etag, "\"v2\"");
	CHECK_STR(have.last_modified, "Tue, 21 Jul 2020 00:00:00 GMT");
	CHECK_STR(have.sha256, f.sha256);
	CHECK_INT(db_data_version(db), v0);   /* no data changed */

	/* A record for other bytes leaves the validators of what is loaded. */
	f.etag = "\"v3\"";
	f.sha256 = "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";
	CHECK_INT(store_file_unchanged(st, run_id, &f), 0);
	CHECK_INT(store_source_get(st, "2020-07-20", f.url, &have), 1);
	CHECK_STR(have.etag, "\"v2\"");
}

/* The validators belong to the URL they came from (issue 9): asked about
 * another URL, source_file says so. Whether the Last-Modified is strong is
 * kept with it, by a load and by an 'unchanged' of the same bytes; identical
 * bytes from another URL move the validators there. */
static void
test_validators_url(void)
{
	struct fetch_record f = rec("2020-07-21");
	const struct daily_row r1 = row("Korea, South", "", "", 310, 7);
	const char *other = "http://mirror.example/daily/07-21-2020.csv";
	const char *sha = f.sha256;
	struct source_state have;

	CHECK_INT(q("SELECT count(*) FROM pragma_table_info('source_file') "
	    "WHERE name = 'last_modified_strong' AND dflt_value = '0' AND \"notnull\"",
	    NULL, NULL), 1);
	f.url = "http://example/daily/07-21-2020.csv";
	f.etag = "\"e1\"";
	f.last_modified = "Mon, 20 Jul 2020 00:00:00 GMT";
	f.last_modified_strong = 1;
	CHECK_INT(store_date_begin(st, run_id, &f), 0);
	CHECK_INT(store_date_row(st, &r1), 0);
	CHECK_INT(store_date_commit(st, NULL, NULL), 0);
	CHECK_INT(store_source_get(st, "2020-07-21", f.url, &have), 1);
	CHECK_INT(have.same_url, 1);
	CHECK_INT(have.last_modified_strong, 1);
	CHECK_STR(have.etag, "\"e1\"");
	/* Asked about another URL: the date is loaded, the URL is not its. */
	CHECK_INT(store_source_get(st, "2020-07-21", other, &have), 1);
	CHECK_INT(have.same_url, 0);
	CHECK_STR(have.sha256, sha);

	/* A strong flag with no Last-Modified means nothing: stored 0. */
	f.last_modified = NULL;
	CHECK_INT(store_file_unchanged(st, run_id, &f), 0);
	CHECK_INT(store_source_get(st, "2020-07-21", f.url, &have), 1);
	CHECK_STR(have.last_modified, "");
	CHECK_INT(have.last_modified_strong, 0);

	/* The same bytes from the other URL, with a weak Last-Modified: the
	 * validators and the URL move there. */
	f.url = other;
	f.etag = NULL;
	f.last_modified = "Tue, 21 Jul 2020 00:00:00 GMT";
	f.last_modified_strong = 0;
	CHECK_INT(store_file_unchanged(st, run_id, &f), 0);
	CHECK_INT(store_source_get(st, "2020-07-21", other, &have), 1);
	CHECK_INT(have.same_url, 1);
	CHECK_STR(have.etag, "");
	CHECK_STR(have.last_modified, "Tue, 21 Jul 2020 00:00:00 GMT");
	CHECK_INT(have.last_modified_strong, 0);
	CHECK_INT(store_source_get(st, "2020-07-21",
	    "http://example/daily/07-21-2020.csv", &have), 1);
	CHECK_INT(have.same_url, 0);
	/* Later, the same Last-Modified has become strong. */
	f.last_modified_strong = 1;
	CHECK_INT(store_file_unchanged(st, run_id, &f), 0);
	CHECK_INT(store_source_get(st, "2020-07-21", other, &have), 1);
	CHECK_INT(have.last_modified_strong, 1);

	/* Other bytes from a third URL move nothing. */
	f.url = "http://third.example/07-21-2020.csv";
	f.sha256 = "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee";
	CHECK_INT(store_file_unchanged(st, run_id, &f), 0);
	CHECK_INT(store_source_get(st, "2020-07-21", other, &have), 1);
	CHECK_INT(have.same_url, 1);
	CHECK_STR(have.sha256, sha);
}

/* Migration 0003: a row's location is checked when its transaction
 * commits: a dangling one fails the COMMIT, and nothing of it is kept. */
static void
test_deferred_refs(void)
{
	static const char *const bad[] = {
		"INSERT INTO daily_report (location_id, date) "
		"VALUES (987654, '2020-08-01')",
		"INSERT INTO region_daily (location_id, date) "
		"VALUES (987654, '2020-08-01')",
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK_INT(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
		CHECK_INT(sqlite3_exec(db, bad[i], NULL, NULL, NULL), SQLITE_OK);
		CHECK_INT(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) & 0xff,
		    SQLITE_CONSTRAINT);
		CHECK(strstr(sqlite3_errmsg(db), "FOREIGN KEY") != NULL);
		CHECK_INT(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
	}
	CHECK_INT(q("SELECT (SELECT count(*) FROM daily_report WHERE date = "
	    "'2020-08-01') + (SELECT count(*) FROM region_daily WHERE date = "
	    "'2020-08-01')", NULL, NULL), 0);
}

/* A file whose log row cannot be written (a trigger refuses it) does not
 * begin, and undoes what it started (store_file_begin): out of a batch no
 * transaction is left open; in a batch the dates before it stay and
 * commit. Either way the next file loads. */
static void
test_begin_undone(void)
{
	const struct daily_row d1[] = { row("Korea, South", "", "", 300, 7) };
	const struct daily_row d2[] = { row("Korea, South", "", "", 310, 7) };
	struct fetch_record f = rec("2020-09-02");

	CHECK_INT(sqlite3_exec(db, "CREATE TEMP TRIGGER no_log BEFORE INSERT "
	    "ON ingest_file WHEN NEW.date = '2020-09-02' BEGIN "
	    "SELECT RAISE(ABORT, 'refused by the test'); END", NULL, NULL,
	    NULL), SQLITE_OK);
	CHECK_INT(store_date_begin(st, run_id, &f), -1);
	CHECK_INT(sqlite3_get_autocommit(db), 1);
	CHECK_INT(store_date_row(st, &d2[0]), -1);   /* no date is open */

	CHECK_INT(store_batch_begin(st, 1000000, 3600), 0);
	CHECK_INT(load("2020-09-01", d1, 1), 0);
	CHECK_INT(store_date_begin(st, run_id, &f), -1);
	CHECK_INT(store_batch_end(st), 0);
	CHECK_INT(val("confirmed", "korea-south", "2020-09-01"), 300);
	CHECK_INT(q("SELECT count(*) FROM ingest_file WHERE date = "
	    "'2020-09-02'", NULL, NULL), 0);

	CHECK_INT(sqlite3_exec(db, "DROP TRIGGER temp.no_log", NULL, NULL,
	    NULL), SQLITE_OK);
	CHECK_INT(load("2020-09-02", d2, 1), 0);
	CHECK_INT(val("new_confirmed", "korea-south", "2020-09-02"), 10);
	CHECK_INT(q("SELECT count(*) FROM ingest_file WHERE date = "
	    "'2020-09-02' AND status = 'loaded'", NULL, NULL), 1);
	invariants("a refused begin");
}

int
main(void)
{
	CHECK_INT(store_fixture_open(&fx, "test-store"), 0);
	if (fx.st == NULL)
		return check_exit();
	db = fx.file.db;
	st = fx.st;
	run_id = fx.run_id;
	CHECK_INT(run_id, 1);

	test_locations_and_totals();
	test_deltas();
	test_out_of_order_and_reload();
	test_abort();
	test_duplicates_and_rejects();
	test_slugs();
	test_lookup();
	test_second_writer(fx.file.path);
	test_job_log();
	test_batch(fx.file.path);
	test_spellings();
	test_validators();
	test_validators_url();
	test_deferred_refs();
	test_begin_undone();

	CHECK_STR(qs("PRAGMA integrity_check", NULL, NULL), "ok");
	CHECK_INT(q("SELECT count(*) FROM pragma_foreign_key_check", NULL, NULL), 0);
	store_fixture_close(&fx);
	return check_exit();
}
