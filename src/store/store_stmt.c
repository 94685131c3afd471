/* store_stmt: the SQL statements: preparing, running and binding them. */
#include <stdlib.h>

#include "base/log.h"
#include "base/sql_stmts.h"
#include "store/store_impl.h"

/* ---- statements ---- */

#define NOW "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

/* Rebuilds deltas: the difference from the same key's previous row (NULL
 * when there is none or either value is NULL). */
#define DELTA_SET(table) \
	"UPDATE " table " AS d SET (new_confirmed, new_deaths) = " \
	"  (SELECT d.confirmed - p.confirmed, d.deaths - p.deaths " \
	"     FROM " table " AS p " \
	"    WHERE p.location_id = d.location_id AND p.date < d.date " \
	"    ORDER BY p.date DESC LIMIT 1)"
/* ... of the next row after date ?1 of every touched key. MATERIALIZED keeps
 * SQLite from flattening the CTE into a scan of the whole table. */
#define DELTA_NEXT(table, touched) \
	"WITH x(lid, nd) AS MATERIALIZED (" \
	"  SELECT t.location_id, (SELECT min(n.date) FROM " table " AS n " \
	"    WHERE n.location_id = t.location_id AND n.date > ?1) " \
	"  FROM " touched " AS t) " \
	DELTA_SET(table) " FROM x WHERE d.location_id = x.lid AND d.date = x.nd"

/* One value of a time series into its metric's column. */
#define SERIES_PUT(col) \
	"INSERT INTO series (location_id, date, product, " col ") " \
	"VALUES (?1, ?2, ?3, ?4) ON CONFLICT (location_id, date) DO UPDATE SET " \
	col " = excluded." col ", product = excluded.product " \
	"WHERE " col " IS NOT excluded." col " OR product IS NOT excluded.product"

/* ... and a region's total of that metric, the same way. */
#define SERIES_REGION_PUT(col) \
	"INSERT INTO series_region (location_id, date, " col ") " \
	"VALUES (?1, ?2, ?3) ON CONFLICT (location_id, date) DO UPDATE SET " \
	col " = excluded." col " WHERE " col " IS NOT excluded." col

/* A run's counters, from the ingest_file rows it committed. */
#define RUN_COUNTS \
	"(dates_tried, dates_loaded, dates_unchanged, dates_failed, " \
	" rows_loaded, rows_rejected) = " \
	"(SELECT count(*), total(f.status = 'loaded'), " \
	"  total(f.status = 'unchanged'), total(f.status = 'failed'), " \
	"  total(f.rows_loaded), total(f.rows_rejected) " \
	" FROM ingest_file AS f WHERE f.run_id = ingest_run.id " \
	"   AND f.series IS NULL)"


static const char *const sqls[ST__MAX] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	/* One step (a date, a file's log row, the lookup table) of a batch. */
	[ST_SAVEPOINT] = "SAVEPOINT store_step",
	[ST_RELEASE] = "RELEASE store_step",
	[ST_ROLLBACK_TO] = "ROLLBACK TO store_step",
	/* Changes when another connection commits: then the location cache
	 * may be stale. */
	[ST_DATA_VERSION] = "PRAGMA data_version",
	[ST_LOC_ALL] = "SELECT id, country_region, province_state, admin2, slug, "
	    "parent_id, level = 'county' FROM location",
	[ST_LOC_INSERT] = "INSERT INTO location (level, parent_id, "
	    "country_region, province_state, admin2, fips, combined_key, slug) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[ST_LOC_REGION] = "INSERT INTO location_region (location_id, region_id) "
	    "VALUES (?1, ?2)",
	[ST_SLUG_TAKEN] = "SELECT 1 FROM location WHERE slug = ?1",
	/* The place of the lookup table whose name folds to the same slug. */
	[ST_LOC_FOLDED] = "SELECT id, country_region, province_state, admin2 "
	    "FROM location WHERE slug = ?1 AND uid IS NOT NULL",
	/* The lookup table is the authority, but an empty field there does not
	 * erase what a daily report said. Unchanged rows are not rewritten,
	 * so a reload of the same table writes nothing. */
	[ST_LOC_LOOKUP] = "UPDATE location SET uid = ?2, iso2 = ?3, iso3 = ?4, "
	    "code3 = ?5, fips = COALESCE(?6, fips), lat = ?7, long = ?8, "
	    "combined_key = COALESCE(?9, combined_key), population = ?10 "
	    "WHERE id = ?1 AND (uid IS NOT ?2 OR iso2 IS NOT ?3 OR iso3 IS NOT ?4 "
	    "OR code3 IS NOT ?5 OR fips IS NOT COALESCE(?6, fips) "
	    "OR lat IS NOT ?7 OR long IS NOT ?8 "
	    "OR combined_key IS NOT COALESCE(?9, combined_key) "
	    "OR population IS NOT ?10)",
	[ST_ALIAS_PUT] = "INSERT INTO country_alias (alias, name) VALUES (?1, ?2) "
	    "ON CONFLICT (alias) DO UPDATE SET name = excluded.name "
	    "WHERE name IS NOT excluded.name",
	[ST_ALIAS_COUNT] = "SELECT count(*) FROM country_alias",
	[ST_ALIAS_CLEAR] = "DELETE FROM country_alias",
	[ST_META_BUMP] = "UPDATE meta SET value = CASE key "
	    "WHEN 'data_version' THEN CAST(CAST(value AS INTEGER) + 1 AS TEXT) "
	    "ELSE " NOW " END WHERE key IN ('data_version', 'refreshed_at')",
	[ST_RUN_BEGIN] = "INSERT INTO ingest_run (pid, started_at, status, source) "
	    "VALUES (?1, " NOW ", 'running', ?2)",
	[ST_RUN_END] = "UPDATE ingest_run SET finished_at = " NOW ", status = ?2, "
	    "dates_tried = ?3, dates_loaded = ?4, dates_unchanged = ?5, "
	    "dates_failed = ?6, rows_loaded = ?7, rows_rejected = ?8, "
	    "message = ?9 WHERE id = ?1",
	/* A killed run's counters are rebuilt from its file log: each
	 * ingest_file row was committed with the date it describes. */
	[ST_RUN_RECOVER] = "UPDATE ingest_run SET status = 'interrupted', "
	    RUN_COUNTS ", "
	    "message = 'interrupted: the process ended before it recorded its "
	    "result; the counts come from its file log' "
	    "WHERE status = 'running'",
	/* The same, in every commit of a running run: its counters commit with
	 * the rows they count. */
	[ST_RUN_PROGRESS] = "UPDATE ingest_run SET " RUN_COUNTS
	    " WHERE id = ?1 AND status = 'running'",
	[ST_SOURCE_GET] = "SELECT etag, last_modified, last_modified_strong, "
	    "sha256, url = ?2 FROM source_file WHERE date = ?1",
	/* Identical bytes served with new validators, or from another URL: the
	 * next request (to that URL) sends these, so that it gets its 304. */
	[ST_SOURCE_VALIDATORS] = "UPDATE source_file SET etag = ?2, "
	    "last_modified = ?3, url = ?5, last_modified_strong = ?6 "
	    "WHERE date = ?1 AND sha256 = ?4 AND (etag IS NOT ?2 OR "
	    "last_modified IS NOT ?3 OR url IS NOT ?5 OR "
	    "last_modified_strong IS NOT ?6)",
	[ST_NEWEST] = "SELECT max(date) FROM source_file",
	/* The time series files (store_series.c), as the three above. */
	[ST_SERIES_SOURCE_GET] = "SELECT etag, last_modified, "
	    "last_modified_strong, sha256, url = ?2, places FROM series_source "
	    "WHERE name = ?1",
	[ST_SERIES_VALIDATORS] = "UPDATE series_source SET etag = ?2, "
	    "last_modified = ?3, url = ?5, last_modified_strong = ?6 "
	    "WHERE name = ?1 AND sha256 = ?4 AND (etag IS NOT ?2 OR "
	    "last_modified IS NOT ?3 OR url IS NOT ?5 OR "
	    "last_modified_strong IS NOT ?6)",
	[ST_SERIES_SOURCE_PUT] = "INSERT INTO series_source (name, url, etag, "
	    "last_modified, last_modified_strong, sha256, ingest_file_id, places) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (name) DO UPDATE SET "
	    "places = excluded.places, "
	    "url = excluded.url, etag = excluded.etag, "
	    "last_modified = excluded.last_modified, "
	    "last_modified_strong = excluded.last_modified_strong, "
	    "sha256 = excluded.sha256, ingest_file_id = excluded.ingest_file_id",
	/* One value of a series file: written only when it differs, so a
	 * revised file changes the pages of what JHU revised and no other. */
	[ST_SERIES_PUT_C] = SERIES_PUT("confirmed"),
	[ST_SERIES_PUT_D] = SERIES_PUT("deaths"),
	[ST_SERIES_PUT_R] = SERIES_PUT("recovered"),
	/* The places a product's series has (a scan: only when a file lists
	 * fewer places than its previous version), and one metric of a place
	 * the new version no longer lists, emptied. */
	[ST_SERIES_PLACES] = "SELECT DISTINCT location_id FROM series "
	    "WHERE product = ?1",
	[ST_SERIES_DROP] = "UPDATE series SET "
	    "confirmed = CASE WHEN ?2 = 0 THEN NULL ELSE confirmed END, "
	    "deaths = CASE WHEN ?2 = 1 THEN NULL ELSE deaths END, "
	    "recovered = CASE WHEN ?2 = 2 THEN NULL ELSE recovered END "
	    "WHERE location_id = ?1 AND product = ?3 AND CASE ?2 "
	    "WHEN 0 THEN confirmed WHEN 1 THEN deaths ELSE recovered END "
	    "IS NOT NULL",
	/* A region's total from the series rows under it (store_series.c). */
	[ST_SERIES_REGION_C] = SERIES_REGION_PUT("confirmed"),
	[ST_SERIES_REGION_D] = SERIES_REGION_PUT("deaths"),
	[ST_SERIES_REGION_R] = SERIES_REGION_PUT("recovered"),
	[ST_FILE_INSERT] = "INSERT INTO ingest_file (run_id, date, url, "
	    "fetched_at, http_status, etag, last_modified, sha256, status, error, "
	    "series) VALUES (?1, ?2, ?3, " NOW ", ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[ST_FILE_FINISH] = "UPDATE ingest_file SET rows_loaded = ?2, "
	    "rows_rejected = ?3 WHERE id = ?1",
	[ST_REJECT] = "INSERT INTO rejected_row (ingest_file_id, line, reason, raw) "
	    "VALUES (?1, ?2, ?3, ?4)",
	/* The date's rows and totals from the store's memory (see
	 * store_rows). Every column is set, so an old row of the same location
	 * is wholly replaced. OR FAIL: a failing statement need not be undone
	 * on its own (the store rolls back the date or the batch), so SQLite
	 * keeps no statement journal (see migration 0003). (WHERE true: an
	 * upsert's SELECT needs a WHERE.) */
	[ST_ROW_PUT] = "INSERT OR FAIL INTO daily_report (location_id, date, "
	    "confirmed, deaths, recovered, active, new_confirmed, new_deaths, "
	    "incident_rate, case_fatality_ratio, lat, long, last_update, "
	    "ingest_file_id) "
	    "SELECT location_id, ?1, confirmed, deaths, recovered, active, "
	    "new_confirmed, new_deaths, incident_rate, case_fatality_ratio, lat, "
	    "long, last_update, ?2 FROM store_rows WHERE true "
	    "ON CONFLICT (location_id, date) DO UPDATE SET "
	    "confirmed = excluded.confirmed, deaths = excluded.deaths, "
	    "recovered = excluded.recovered, active = excluded.active, "
	    "new_confirmed = excluded.new_confirmed, "
	    "new_deaths = excluded.new_deaths, "
	    "incident_rate = excluded.incident_rate, "
	    "case_fatality_ratio = excluded.case_fatality_ratio, "
	    "lat = excluded.lat, long = excluded.long, "
	    "last_update = excluded.last_update, "
	    "ingest_file_id = excluded.ingest_file_id",
	/* The previous counts of the places that lack them: each place's row
	 * on its latest date before ?1 (none: NULL, no delta). */
	[ST_ROW_PREV] = "SELECT r.location_id, "
	    "(SELECT confirmed FROM daily_report WHERE location_id = r.location_id "
	    "  AND date < ?1 ORDER BY date DESC LIMIT 1), "
	    "(SELECT deaths FROM daily_report WHERE location_id = r.location_id "
	    "  AND date < ?1 ORDER BY date DESC LIMIT 1) "
	    "FROM store_rows AS r WHERE NOT r.known",
	/* Whether the date has rows already (then some may go) and whether
	 * any later date does (then its deltas may change). */
	[ST_DATE_STATE] = "SELECT EXISTS (SELECT 1 FROM daily_report "
	    "WHERE date = ?1), EXISTS (SELECT 1 FROM daily_report WHERE date > ?1)",
	[ST_TOUCHED_CLEAR] = "DELETE FROM temp.store_touched",
	/* Old and new rows of the date: their next dates need new deltas. */
	[ST_TOUCHED_FILL] = "INSERT INTO temp.store_touched (location_id) "
	    "SELECT location_id FROM daily_report WHERE date = ?1",
	[ST_ROWS_STALE] = "DELETE FROM daily_report "
	    "WHERE date = ?1 AND ingest_file_id IS NOT ?2",
	[ST_DELTA_NEXT] = DELTA_NEXT("daily_report", "temp.store_touched"),
	[ST_RTOUCHED_CLEAR] = "DELETE FROM temp.store_touched_region",
	/* CROSS JOIN keeps the touched places outer: a seek each, not a scan
	 * of every place. */
	[ST_RTOUCHED_FILL] = "INSERT INTO temp.store_touched_region (location_id) "
	    "SELECT DISTINCT r.region_id FROM temp.store_touched AS t "
	    "CROSS JOIN location_region AS r ON r.location_id = t.location_id",
	[ST_REGION_DELETE] = "DELETE FROM region_daily WHERE date = ?1",
	[ST_REGION_PUT] = "INSERT OR FAIL INTO region_daily (location_id, date, "
	    "confirmed, deaths, recovered, active, new_confirmed, new_deaths) "
	    "SELECT location_id, ?1, confirmed, deaths, recovered, active, "
	    "new_confirmed, new_deaths FROM store_totals",
	[ST_REGION_PREV] = "SELECT t.location_id, "
	    "(SELECT confirmed FROM region_daily WHERE location_id = t.location_id "
	    "  AND date < ?1 ORDER BY date DESC LIMIT 1), "
	    "(SELECT deaths FROM region_daily WHERE location_id = t.location_id "
	    "  AND date < ?1 ORDER BY date DESC LIMIT 1) "
	    "FROM store_totals AS t WHERE NOT t.known",
	[ST_RDELTA_NEXT] = DELTA_NEXT("region_daily", "temp.store_touched_region"),
	[ST_SOURCE_PUT] = "INSERT INTO source_file (date, url, etag, "
	    "last_modified, sha256, ingest_file_id, last_modified_strong) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
	    "ON CONFLICT (date) DO UPDATE SET url = excluded.url, "
	    "etag = excluded.etag, last_modified = excluded.last_modified, "
	    "sha256 = excluded.sha256, ingest_file_id = excluded.ingest_file_id, "
	    "last_modified_strong = excluded.last_modified_strong",
	/* A bulk load (store_bulk.c): only into empty tables; the per-place
	 * indexes' definitions, as SQLite holds them, kept until rebuilt. */
	[ST_BULK_EMPTY] = "SELECT NOT EXISTS (SELECT 1 FROM daily_report) "
	    "AND NOT EXISTS (SELECT 1 FROM region_daily)",
	[ST_DEFERRED_DROP_SAVE] = "INSERT OR REPLACE INTO deferred_index "
	    "(name, sql) SELECT name, sql FROM sqlite_master "
	    "WHERE type = 'index' AND name = ?1",
	[ST_DEFERRED_LIST] = "SELECT name, sql FROM deferred_index ORDER BY name",
	/* Every place's counts on its latest date before ?1, in one scan (a
	 * bulk load has no per-place index to seek): max() makes the bare
	 * columns those of the row with the latest date. */
	[ST_ROW_PREV_ALL] = "SELECT location_id, confirmed, deaths, max(date) "
	    "FROM daily_report WHERE date < ?1 GROUP BY location_id",
	[ST_REGION_PREV_ALL] = "SELECT location_id, confirmed, deaths, max(date) "
	    "FROM region_daily WHERE date < ?1 GROUP BY location_id",
};

/* The writer's connection:
 *  - a page cache that holds a batch's working set: the page of each place
 *    in each per-place index (about 5,000 places, 20 MB) and the pages the
 *    batch appends. Smaller, SQLite writes pages out mid-batch and reads
 *    them back (16 MB: a third more CPU for a long history); it is a fixed
 *    cap, so memory does not grow with the number of files;
 *  - a WAL checkpoint every ~40 MB instead of every 4 MB, so a page
 *    rewritten by consecutive batches is copied into the database once;
 *  - temporary storage (a savepoint's copies of pages, the commit's scratch
 *    tables) in memory: small now, and never in a file.
 * Then the scratch tables: connection-private, never in the database. */
static const char setup[] =
	"PRAGMA cache_size = -32768;"
	"PRAGMA wal_autocheckpoint = 10000;"
	"PRAGMA temp_store = MEMORY;"
	"CREATE TEMP TABLE IF NOT EXISTS store_touched "
	"(location_id INTEGER PRIMARY KEY);"
	"CREATE TEMP TABLE IF NOT EXISTS store_touched_region "
	"(location_id INTEGER PRIMARY KEY);";


int
store_fail(struct store *s, const char *what)
{
	log_err("store: %s: %s", what, sqlite3_errmsg(s->db));
	return -1;
}

/* Steps a statement that returns no rows, then resets it. */
int
store_exec(struct store *s, enum stmt i, const char *what)
{
	sqlite3_stmt *st = s->st[i];
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_fail(s, what);
	return 0;
}

void
store_stmt_done(struct store *s, enum stmt i)
{
	sqlite3_reset(s->st[i]);
	sqlite3_clear_bindings(s->st[i]);
}

/* The bind helpers return SQLite's code, but binding cannot fail here: the
 * parameter numbers are fixed by the SQL above (a wrong one fails every
 * test), text is bound SQLITE_STATIC (no copy, no allocation), and every
 * statement is reset after its step. */
int
store_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v == NULL)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

/* "" is as unknown as NULL. */
int
store_bind_text_or_null(sqlite3_stmt *st, int i, const char *v)
{
	return store_bind_text(st, i, v != NULL && *v != '\0' ? v : NULL);
}

int
store_bind_int_if(sqlite3_stmt *st, int i, int have, long long v)
{
	return have ? sqlite3_bind_int64(st, i, v) : sqlite3_bind_null(st, i);
}

int
store_bind_real_if(sqlite3_stmt *st, int i, int have, double v)
{
	return have ? sqlite3_bind_double(st, i, v) : sqlite3_bind_null(st, i);
}

/* ---- preparing and finalizing ---- */

int
store_stmt_prepare(struct store *s)
{
	char *err = NULL;

	if (sqlite3_exec(s->db, setup, NULL, NULL, &err) != SQLITE_OK) {
		log_err("store: setting up the connection: %s", err ? err : "?");
		sqlite3_free(err);
		return -1;
	}
	return sql_stmts_prepare(s->db, sqls, s->st, ST__MAX, "store");
}

void
store_stmt_finalize(struct store *s)
{
	sql_stmts_finalize(s->st, ST__MAX);
}
