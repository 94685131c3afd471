/* store: the ingest's writes (see store.h).
 *
 * Costs. While a file is read, a row costs one lookup in an in-memory hash of
 * locations and a copy kept in memory (one file's rows at a time). At commit
 * the date's region totals are summed in C (O(rows)), and the rows, then the
 * totals, are written by one INSERT ... SELECT each from virtual tables over
 * that memory, in location order, with deltas against the counts the store
 * remembers while dates load in order (else looked up by one statement for
 * the date). Everything else a date needs (dropping the previous version's
 * rows, the next date's deltas) is a handful of set-based statements, each
 * O(rows of that date) index seeks; a date newer than all loaded ones skips
 * the ones it cannot need. daily_report is stored in date order (migration
 * 0002), so a load appends, and dirties besides one page per place in each
 * per-place index: a backfill commits many dates at once (store_batch_*), so
 * that those pages are written once per batch instead of once per date.
 *
 * Replacing a date. New rows are upserted over the old ones and carry the
 * new ingest_file id, so at commit the rows of the previous version that the
 * new file no longer has are exactly those with another id.
 *
 * Duplicates. A few JHU files name one location twice (after the country
 * renames, sometimes under two old names: "Bahamas, The" and "The Bahamas" on
 * 2020-03-21). They are two reports of one cumulative count, so summing them
 * is wrong; the one with the higher counts is the later report and is kept
 * (compared by confirmed, then deaths; equal rows keep the later line, as JHU
 * appended corrections at the end of a file: 03-22-2020 District of
 * Columbia). The other is recorded in rejected_row with the reason. This is
 * what JHU's own time series shows for every such case in the data. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/hash.h"
#include "base/date.h"
#include "base/log.h"
#include "base/slug.h"
#include "store/lookup.h"
#include "store/place_names.h"
#include "store/store.h"

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

/* A run's counters, from the ingest_file rows it committed. */
#define RUN_COUNTS \
	"(dates_tried, dates_loaded, dates_unchanged, dates_failed, " \
	" rows_loaded, rows_rejected) = " \
	"(SELECT count(*), total(f.status = 'loaded'), " \
	"  total(f.status = 'unchanged'), total(f.status = 'failed'), " \
	"  total(f.rows_loaded), total(f.rows_rejected) " \
	" FROM ingest_file AS f WHERE f.run_id = ingest_run.id)"

enum stmt {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_SAVEPOINT,
	ST_RELEASE,
	ST_ROLLBACK_TO,
	ST_DATA_VERSION,
	ST_LOC_ALL,
	ST_LOC_INSERT,
	ST_LOC_REGION,
	ST_SLUG_TAKEN,
	ST_LOC_FOLDED,
	ST_LOC_LOOKUP,
	ST_ALIAS_PUT,
	ST_ALIAS_COUNT,
	ST_ALIAS_CLEAR,
	ST_META_BUMP,
	ST_RUN_BEGIN,
	ST_RUN_END,
	ST_RUN_RECOVER,
	ST_RUN_PROGRESS,
	ST_SOURCE_GET,
	ST_SOURCE_VALIDATORS,
	ST_NEWEST,
	ST_FILE_INSERT,
	ST_FILE_FINISH,
	ST_REJECT,
	ST_ROW_PUT,
	ST_ROW_PREV,
	ST_DATE_STATE,
	ST_TOUCHED_CLEAR,
	ST_TOUCHED_FILL,
	ST_ROWS_STALE,
	ST_DELTA_NEXT,
	ST_RTOUCHED_CLEAR,
	ST_RTOUCHED_FILL,
	ST_REGION_DELETE,
	ST_REGION_PUT,
	ST_REGION_PREV,
	ST_RDELTA_NEXT,
	ST_SOURCE_PUT,
	ST__MAX
};

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
	[ST_FILE_INSERT] = "INSERT INTO ingest_file (run_id, date, url, "
	    "fetched_at, http_status, etag, last_modified, sha256, status, error) "
	    "VALUES (?1, ?2, ?3, " NOW ", ?4, ?5, ?6, ?7, ?8, ?9)",
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

/* One known location: key is "country\0province\0admin2" (keylen bytes). */
struct loc {
	char     *key;
	size_t    keylen;
	uint32_t  hash;
	long long id;
	char     *slug;
};

enum { SEGMENT_MAX = 96, SLUG_MAX = 3 * SEGMENT_MAX + 32 };

/* What the date being loaded has: rows already, rows on later dates. */
enum { IF_OLD = 1, IF_LATER = 2, ALWAYS = 4 };

/* Which counts a row or a total has (NULL is absent, never 0), and whether
 * a place's previous counts are known (bits). */
enum { HAS_C = 1, HAS_D = 2, HAS_R = 4, HAS_A = 8, KNOWN = 16 };

/* confirmed, deaths, recovered, active. */
struct counts {
	unsigned  has;          /* HAS_C | HAS_D | HAS_R | HAS_A */
	long long c, d, r, a;
};

/* What the store knows of one place, indexed by location id:
 *  - where it sits in the tree: its parent (0 for a country) and whether
 *    it is a county. Its row counts towards itself unless it is a county,
 *    and towards every place above it: the rule location_region holds
 *    (migration 0002), applied here to sum the region totals in C;
 *  - whether the file being loaded gave it already (gen), at which line,
 *    with which counts (for duplicates, and for the totals);
 *  - as a region, its totals for the date being loaded (rgen);
 *  - the counts of its row and of its totals on the latest date before the
 *    one being loaded (prev, rprev), which the deltas are against: looked
 *    up for the places that lack them (one statement per date), and, while
 *    dates are loaded in order, the date just committed. Anything else (an
 *    older date, a reload, a rollback, another writer) forgets them all. */
struct place {
	long long     parent;
	int           county;
	unsigned      gen;
	long          line;
	size_t        slot;     /* of its row in store.rows */
	struct counts now;      /* this file's row */
	struct counts prev;     /* KNOWN | HAS_C | HAS_D */
	unsigned      rgen;
	struct counts total;    /* this date's totals, as a region */
	struct counts rprev;    /* KNOWN | HAS_C | HAS_D */
};

struct store {
	sqlite3      *db;
	sqlite3_stmt *st[ST__MAX];

	/* Locations by name: open addressing, linear probing, cap a power
	 * of two, at most half full. */
	struct loc   *locs;
	size_t        loc_cap, loc_n;
	long long     loc_dv;       /* PRAGMA data_version when loaded */
	int           loc_stale;    /* reload before the next use */
	char         *key;          /* scratch for building keys */
	size_t        key_cap;

	/* The date being loaded. */
	int           in_date;
	long long     file_id;
	char          date[11];
	char         *url, *etag, *last_modified, *sha256;
	int           last_modified_strong;
	long long     kept, rejected;
	int           when;         /* IF_OLD | IF_LATER: see commit_steps */
	struct daily_row *rows;     /* its rows (places[].slot) */
	size_t        rows_n, rows_cap;
	struct place *places;       /* by location id */
	size_t        place_cap;
	unsigned      gen;          /* of the date being loaded */

	/* Group commit (store_batch_begin) and the open transaction. */
	int           batching;
	long long     batch_max_rows;
	double        batch_max_s;
	struct timespec tx_t0;      /* when the transaction began */
	long long     tx_rows;      /* rows it holds */
	int           tx_open;      /* a transaction is open (BEGIN) */
	int           in_step;      /* a batch's step (SAVEPOINT) is open */
	int           tx_steps;     /* steps released into it */
	int           tx_lost;      /* SQLite rolled a batch back on an error */
	long long     run_id;       /* whose counters it updates */
};

/* ---- statements ---- */

static int
fail(struct store *s, const char *what)
{
	log_err("store: %s: %s", what, sqlite3_errmsg(s->db));
	return -1;
}

/* Steps a statement that returns no rows, then resets it. */
static int
run(struct store *s, enum stmt i, const char *what)
{
	sqlite3_stmt *st = s->st[i];
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return fail(s, what);
	return 0;
}

static void
done(struct store *s, enum stmt i)
{
	sqlite3_reset(s->st[i]);
	sqlite3_clear_bindings(s->st[i]);
}

/* The bind helpers return SQLite's code, but binding cannot fail here: the
 * parameter numbers are fixed by the SQL above (a wrong one fails every
 * test), text is bound SQLITE_STATIC (no copy, no allocation), and every
 * statement is reset after its step. */
static int
bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v == NULL)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

/* "" is as unknown as NULL. */
static int
bind_text_or_null(sqlite3_stmt *st, int i, const char *v)
{
	return bind_text(st, i, v != NULL && *v != '\0' ? v : NULL);
}

static int
bind_int_if(sqlite3_stmt *st, int i, int have, long long v)
{
	return have ? sqlite3_bind_int64(st, i, v) : sqlite3_bind_null(st, i);
}

static int
bind_real_if(sqlite3_stmt *st, int i, int have, double v)
{
	return have ? sqlite3_bind_double(st, i, v) : sqlite3_bind_null(st, i);
}

static long long
data_version(struct store *s)
{
	sqlite3_stmt *st = s->st[ST_DATA_VERSION];
	long long v = -1;

	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	done(s, ST_DATA_VERSION);
	return v;
}

/* ---- places ---- */

/* Grows the place array to hold location id. */
static int
place_reserve(struct store *s, long long id)
{
	struct place *v;
	size_t cap;

	if ((size_t)id < s->place_cap)
		return 0;
	cap = s->place_cap ? s->place_cap : 4096;
	while (cap <= (size_t)id)
		cap *= 2;
	if ((v = realloc(s->places, cap * sizeof *v)) == NULL) {
		log_err("store: out of memory");
		return -1;
	}
	memset(v + s->place_cap, 0, (cap - s->place_cap) * sizeof *v);
	s->places = v;
	s->place_cap = cap;
	return 0;
}

/* Forgets every place's previous counts (see struct place). */
static void
places_forget(struct store *s)
{
	for (size_t i = 0; i < s->place_cap; i++)
		s->places[i].prev.has = s->places[i].rprev.has = 0;
}

/* After an in-order date: its rows and totals are the previous ones of the
 * next date. */
static void
places_advance(struct store *s)
{
	for (size_t i = 0; i < s->place_cap; i++) {
		struct place *pl = &s->places[i];
		if (pl->gen == s->gen) {
			pl->prev = pl->now;
			pl->prev.has = KNOWN | (pl->now.has & (HAS_C | HAS_D));
		}
		if (pl->rgen == s->gen) {
			pl->rprev = pl->total;
			pl->rprev.has = KNOWN | (pl->total.has & (HAS_C | HAS_D));
		}
	}
}

/* The regions whose totals a place's row counts towards, the pairs of
 * location_region (migration 0002): the place itself unless it is a county,
 * then each place above it. for (g = region_first(s, id); g > 0;
 * g = region_next(s, g)); -1 (logged) if the parents make no tree. The
 * places of id and of everything above it are set. */
static long long
region_first(const struct store *s, long long id)
{
	return s->places[id].county ? s->places[id].parent : id;
}

static long long
region_next(const struct store *s, long long g)
{
	long long up = s->places[g].parent;

	/* Parents are created before their children, so ids go down. */
	if (up >= g || up < 0) {
		log_err("store: location %lld: its parent %lld makes no tree", g, up);
		return -1;
	}
	return up;
}

/* Records where location id sits in the tree. */
static int
place_set(struct store *s, long long id, long long parent, int county)
{
	if (place_reserve(s, id) != 0)
		return -1;
	s->places[id].parent = parent;
	s->places[id].county = county;
	return 0;
}

/* ---- the location cache ---- */

/* Builds "country\0province\0admin2" in s->key; returns its length or 0. */
static size_t
make_key(struct store *s, const char *c, const char *p, const char *a)
{
	size_t lc = strlen(c), lp = strlen(p), la = strlen(a);
	size_t n = lc + lp + la + 2;

	if (n + 1 > s->key_cap) {
		size_t cap = n + 64;
		char *k = realloc(s->key, cap);
		if (k == NULL) {
			log_err("store: out of memory");
			return 0;
		}
		s->key = k;
		s->key_cap = cap;
	}
	memcpy(s->key, c, lc);
	s->key[lc] = '\0';
	memcpy(s->key + lc + 1, p, lp);
	s->key[lc + 1 + lp] = '\0';
	memcpy(s->key + lc + lp + 2, a, la);
	s->key[n] = '\0';
	return n;
}

static struct loc *
loc_find(struct store *s, size_t keylen, uint32_t h)
{
	size_t mask = s->loc_cap - 1;

	if (s->loc_cap == 0)
		return NULL;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct loc *l = &s->locs[i];
		if (l->key == NULL)
			return NULL;
		if (l->hash == h && l->keylen == keylen &&
		    memcmp(l->key, s->key, keylen) == 0)
			return l;
	}
}

static void
loc_clear(struct store *s)
{
	for (size_t i = 0; i < s->loc_cap; i++) {
		free(s->locs[i].key);
		free(s->locs[i].slug);
	}
	free(s->locs);
	s->locs = NULL;
	s->loc_cap = s->loc_n = 0;
}

/* Adds the key in s->key (not yet present). */
static struct loc *
loc_add(struct store *s, size_t keylen, long long id, const char *slug)
{
	struct loc *l;
	uint32_t h = fnv1a32(s->key, keylen);

	if ((s->loc_n + 1) * 2 > s->loc_cap) {
		size_t cap = s->loc_cap ? s->loc_cap * 2 : 1024;
		struct loc *v = calloc(cap, sizeof *v);
		if (v == NULL) {
			log_err("store: out of memory");
			return NULL;
		}
		for (size_t i = 0; i < s->loc_cap; i++) {
			struct loc *o = &s->locs[i];
			size_t j;
			if (o->key == NULL)
				continue;
			for (j = o->hash & (cap - 1); v[j].key != NULL;
			    j = (j + 1) & (cap - 1))
				;
			v[j] = *o;
		}
		free(s->locs);
		s->locs = v;
		s->loc_cap = cap;
	}
	for (size_t i = h & (s->loc_cap - 1);; i = (i + 1) & (s->loc_cap - 1)) {
		l = &s->locs[i];
		if (l->key == NULL)
			break;
	}
	l->key = malloc(keylen + 1);
	l->slug = strdup(slug);
	if (l->key == NULL || l->slug == NULL) {
		free(l->key);
		free(l->slug);
		l->key = l->slug = NULL;
		log_err("store: out of memory");
		return NULL;
	}
	memcpy(l->key, s->key, keylen + 1);
	l->keylen = keylen;
	l->hash = h;
	l->id = id;
	s->loc_n++;
	return l;
}

/* (Re)reads every location: O(locations), a few thousand. */
static int
loc_load(struct store *s)
{
	sqlite3_stmt *st = s->st[ST_LOC_ALL];
	int rc;

	loc_clear(s);
	places_forget(s);
	s->loc_dv = data_version(s);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *c = (const char *)sqlite3_column_text(st, 1);
		const char *p = (const char *)sqlite3_column_text(st, 2);
		const char *a = (const char *)sqlite3_column_text(st, 3);
		const char *slug = (const char *)sqlite3_column_text(st, 4);
		long long id = sqlite3_column_int64(st, 0);
		size_t n = make_key(s, c ? c : "", p ? p : "", a ? a : "");
		if (n == 0 || loc_add(s, n, id, slug ? slug : "") == NULL ||
		    place_set(s, id, sqlite3_column_int64(st, 5),
		    sqlite3_column_int(st, 6)) != 0) {
			done(s, ST_LOC_ALL);
			return -1;
		}
	}
	done(s, ST_LOC_ALL);
	if (rc != SQLITE_DONE)
		return fail(s, "reading locations");
	s->loc_stale = 0;
	return 0;
}

/* Called inside a write transaction: reloads the cache when it may not match
 * the database (after a rollback, or another connection's commit). */
static int
loc_fresh(struct store *s)
{
	if (!s->loc_stale && data_version(s) == s->loc_dv)
		return 0;
	return loc_load(s);
}

static int
slug_taken(struct store *s, const char *slug)
{
	sqlite3_stmt *st = s->st[ST_SLUG_TAKEN];
	int rc;

	bind_text(st, 1, slug);
	rc = sqlite3_step(st);
	done(s, ST_SLUG_TAKEN);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return fail(s, "checking a slug");
}

/* parent/segment; returns its length. */
static size_t
base_slug(const char *parent, const char *name, char out[SLUG_MAX])
{
	char seg[SEGMENT_MAX];

	if (slug_segment(name, seg, sizeof seg) == 0)
		snprintf(seg, sizeof seg, "unnamed");
	return (size_t)snprintf(out, SLUG_MAX, "%s%s%s", parent ? parent : "",
	    parent ? "/" : "", seg);
}

/* parent/segment, made unique: a slug already taken (two names folding to
 * the same letters that are not one place, see folded()) gets the hash of
 * the exact names as a suffix, so the same name always gets the same slug. */
static int
make_slug(struct store *s, const char *parent, const char *name, size_t keylen,
    char out[SLUG_MAX])
{
	size_t n = base_slug(parent, name, out);
	int t;

	if ((t = slug_taken(s, out)) <= 0)
		return t;
	snprintf(out + n, SLUG_MAX - n, "-%08x",
	    (unsigned)fnv1a32(s->key, keylen));
	for (int i = 2; (t = slug_taken(s, out)) == 1; i++)
		snprintf(out + n + 9, SLUG_MAX - n - 9, "-%d", i);
	return t;
}

/* A daily report's name for a place of the lookup table, spelt another way:
 * the place under the same parent whose name folds to the same slug and
 * that the lookup table knows (it has a uid). Some 2020 files say
 * "Do\xc3\xb1a Ana" (New Mexico, US) where the table and the other files say
 * "Dona Ana": one county, one series. The key in s->key (keylen bytes) is
 * then remembered as another name of that place. Returns its id, 0 when
 * there is none, -1. */
static long long
folded(struct store *s, const char *parent_slug, const char *name,
    size_t keylen)
{
	sqlite3_stmt *st = s->st[ST_LOC_FOLDED];
	char slug[SLUG_MAX];
	long long id = 0;
	int rc;

	base_slug(parent_slug, name, slug);
	bind_text(st, 1, slug);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *a = (const char *)sqlite3_column_text(st, 3);
		const char *p = (const char *)sqlite3_column_text(st, 2);
		const char *c = (const char *)sqlite3_column_text(st, 1);

		id = sqlite3_column_int64(st, 0);
		log_info("store: \"%s\" is the lookup table's \"%s\" (%s)", name,
		    a && *a ? a : p && *p ? p : c ? c : "?", slug);
	}
	done(s, ST_LOC_FOLDED);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fail(s, "matching a place's name");
	if (id > 0 && loc_add(s, keylen, id, slug) == NULL)
		return -1;
	return id;
}

/* The id of the location (country, province, admin2), created with its
 * parents when missing. row (may be NULL) gives a new location's FIPS and
 * Combined_Key until the lookup table says better. fold: a name of a daily
 * report, which may be another spelling of a lookup table place (folded()). */
static long long
location_id(struct store *s, const char *c, const char *p, const char *a,
    const struct daily_row *row, int fold)
{
	sqlite3_stmt *st;
	struct loc *l;
	const char *level, *name, *parent_slug = NULL;
	long long id, parent = 0;
	char slug[SLUG_MAX];
	size_t n;

	if ((n = make_key(s, c, p, a)) == 0)
		return -1;
	if ((l = loc_find(s, n, fnv1a32(s->key, n))) != NULL)
		return l->id;

	if (*a != '\0') {
		level = "county";
		name = a;
		/* A county with no province hangs off its country. */
		parent = location_id(s, c, p, "", NULL, fold);
	} else if (*p != '\0') {
		level = "province";
		name = p;
		parent = location_id(s, c, "", "", NULL, fold);
	} else {
		level = "country";
		name = c;
	}
	if (parent < 0)
		return -1;
	if (parent > 0) {
		/* The recursion reused s->key; find the parent's slug. */
		n = *a != '\0' ? make_key(s, c, p, "") : make_key(s, c, "", "");
		if (n == 0 || (l = loc_find(s, n, fnv1a32(s->key, n))) == NULL)
			return -1;
		parent_slug = l->slug;
	}
	if ((n = make_key(s, c, p, a)) == 0)
		return -1;
	if (fold && (id = folded(s, parent_slug, name, n)) != 0)
		return id;
	if (make_slug(s, parent_slug, name, n, slug) != 0)
		return -1;

	st = s->st[ST_LOC_INSERT];
	bind_text(st, 1, level);
	if (parent > 0)
		sqlite3_bind_int64(st, 2, parent);
	bind_text(st, 3, c);
	bind_text(st, 4, p);
	bind_text(st, 5, a);
	bind_text_or_null(st, 6, row ? row->fips : NULL);
	bind_text_or_null(st, 7, row ? row->combined_key : NULL);
	bind_text(st, 8, slug);
	if (run(s, ST_LOC_INSERT, "adding a location") != 0)
		return -1;
	id = sqlite3_last_insert_rowid(s->db);

	if (place_set(s, id, parent, *a != '\0') != 0)
		return -1;
	for (long long g = region_first(s, id); g > 0; g = region_next(s, g)) {
		if (g < 0)
			return -1;
		sqlite3_bind_int64(s->st[ST_LOC_REGION], 1, id);
		sqlite3_bind_int64(s->st[ST_LOC_REGION], 2, g);
		if (run(s, ST_LOC_REGION, "adding a location's regions") != 0)
			return -1;
	}
	if ((n = make_key(s, c, p, a)) == 0 || loc_add(s, n, id, slug) == NULL)
		return -1;
	return id;
}

/* ---- open, close ---- */

static void tx_rollback(struct store *);
static const sqlite3_module rows_module, totals_module;

struct store *
store_open(sqlite3 *db)
{
	struct store *s = calloc(1, sizeof *s);
	char *err = NULL;

	if (s == NULL) {
		log_err("store: out of memory");
		return NULL;
	}
	s->db = db;
	if (sqlite3_create_module(db, "store_rows", &rows_module, s) != SQLITE_OK ||
	    sqlite3_create_module(db, "store_totals", &totals_module, s) !=
	    SQLITE_OK) {
		log_err("store: registering its tables: %s", sqlite3_errmsg(db));
		free(s);
		return NULL;
	}
	if (sqlite3_exec(db, setup, NULL, NULL, &err) != SQLITE_OK) {
		log_err("store: setting up the connection: %s", err ? err : "?");
		sqlite3_free(err);
		store_close(s);
		return NULL;
	}
	for (int i = 0; i < ST__MAX; i++) {
		if (sqlite3_prepare_v3(db, sqls[i], -1, SQLITE_PREPARE_PERSISTENT,
		    &s->st[i], NULL) != SQLITE_OK) {
			log_err("store: preparing statement %d: %s", i,
			    sqlite3_errmsg(db));
			store_close(s);
			return NULL;
		}
	}
	s->loc_stale = 1;
	return s;
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	if (s->in_date)
		store_date_abort(s);
	if (s->tx_open && s->tx_steps > 0)
		log_warn("store: closed with a batch not committed: rolled back");
	tx_rollback(s);
	for (int i = 0; i < ST__MAX; i++)
		sqlite3_finalize(s->st[i]);
	/* The tables point at s: gone with it. */
	sqlite3_create_module(s->db, "store_rows", NULL, NULL);
	sqlite3_create_module(s->db, "store_totals", NULL, NULL);
	loc_clear(s);
	free(s->key);
	free(s->places);
	free(s->rows);
	free(s);
}

/* ---- transactions ----
 *
 * Every change is a step: the lookup table, a date, a file's log row. Out
 * of a batch a step is a transaction of its own (BEGIN IMMEDIATE ...
 * COMMIT). In a batch (store_batch_begin) the first step opens the
 * transaction and each step is a SAVEPOINT in it, released when the step
 * succeeds and rolled back alone when it fails; store_batch_commit commits
 * them all at once. Every commit also writes the run's counters from its
 * file log (ST_RUN_PROGRESS), so ingest_run commits with the rows it counts.
 *
 * A rollback may remove locations the cache holds and rows whose counts the
 * places remember: the cache is reloaded (loc_stale), which forgets them.
 * SQLite itself may roll the whole transaction back on some errors (I/O, a
 * full disk, no memory): then the steps a batch had committed to it are
 * lost, and tx_lost makes store_batch_due and store_batch_commit say so. */

/* After a rollback, whoever made it: the batch's committed steps are lost
 * and the location cache may name rows that are gone. */
static void
tx_forget(struct store *s)
{
	if (s->batching && s->tx_steps > 0)
		s->tx_lost = 1;
	s->tx_open = 0;
	s->tx_steps = 0;
	s->tx_rows = 0;
	s->in_step = 0;
	s->loc_stale = 1;
}

/* Notices a transaction SQLite rolled back by itself. */
static void
tx_check(struct store *s)
{
	if (s->tx_open && sqlite3_get_autocommit(s->db))
		tx_forget(s);
}

static void
tx_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		run(s, ST_ROLLBACK, "rolling back");
	tx_forget(s);
}

static int
tx_commit(struct store *s)
{
	if (s->run_id > 0) {
		sqlite3_bind_int64(s->st[ST_RUN_PROGRESS], 1, s->run_id);
		if (run(s, ST_RUN_PROGRESS, "recording the run's counters") != 0)
			goto err;
	}
	if (run(s, ST_COMMIT, "committing") != 0)
		goto err;
	s->tx_open = 0;
	s->tx_steps = 0;
	s->tx_rows = 0;
	return 0;
err:
	tx_rollback(s);
	return -1;
}

/* Undoes the step in progress (and, out of a batch, its transaction). */
static void
step_undo(struct store *s)
{
	tx_check(s);
	if (s->tx_open && s->batching && s->in_step) {
		s->in_step = 0;
		if (run(s, ST_ROLLBACK_TO, "rolling back a step") == 0 &&
		    run(s, ST_RELEASE, "closing a step") == 0) {
			s->loc_stale = 1;
			return;
		}
	}
	tx_rollback(s);
}

static int
step_begin(struct store *s)
{
	tx_check(s);
	if (s->in_step) {
		log_err("store: a step is already open");
		return -1;
	}
	if (!s->tx_open) {
		if (run(s, ST_BEGIN, "beginning a transaction") != 0)
			return -1;
		s->tx_open = 1;
		clock_gettime(CLOCK_MONOTONIC, &s->tx_t0);
	}
	if (s->batching) {
		if (run(s, ST_SAVEPOINT, "opening a step") != 0) {
			step_undo(s);
			return -1;
		}
		s->in_step = 1;
	}
	if (loc_fresh(s) != 0) {
		step_undo(s);
		return -1;
	}
	return 0;
}

/* The step succeeded: released into the batch, or committed. */
static int
step_end(struct store *s)
{
	if (!s->batching)
		return tx_commit(s);
	s->in_step = 0;
	if (run(s, ST_RELEASE, "closing a step") != 0) {
		tx_rollback(s);
		return -1;
	}
	s->tx_steps++;
	return 0;
}

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (t1.tv_nsec - t0->tv_nsec) / 1e9;
}

int
store_batch_begin(struct store *s, long long max_rows, double max_seconds)
{
	if (s->in_step || s->tx_open) {
		log_err("store: a batch begins inside a transaction");
		return -1;
	}
	s->batching = 1;
	s->batch_max_rows = max_rows;
	s->batch_max_s = max_seconds;
	s->tx_lost = 0;
	return 0;
}

int
store_batch_due(struct store *s)
{
	if (!s->batching || s->in_step)
		return 0;
	tx_check(s);
	if (s->tx_lost)
		return 1;
	if (!s->tx_open || s->tx_steps == 0)
		return 0;
	return s->tx_rows >= s->batch_max_rows ||
	    seconds_since(&s->tx_t0) >= s->batch_max_s;
}

int
store_batch_commit(struct store *s)
{
	if (s->in_step) {
		log_err("store: batch commit inside a step");
		return -1;
	}
	tx_check(s);
	if (s->tx_lost) {
		s->tx_lost = 0;
		log_err("store: the batch was rolled back after an error");
		return -1;
	}
	if (!s->tx_open)
		return 0;
	return tx_commit(s);
}

int
store_batch_end(struct store *s)
{
	int rc = store_batch_commit(s);

	s->batching = 0;
	return rc;
}

/* ---- the lookup table ---- */

static int
alias_put(struct store *s, const char *alias, const char *name)
{
	bind_text(s->st[ST_ALIAS_PUT], 1, alias);
	bind_text(s->st[ST_ALIAS_PUT], 2, name);
	return run(s, ST_ALIAS_PUT, "writing an alias");
}

/* Writes the country alias table when it differs from the program's: the
 * renamed countries, and the old countries that are now a place within one
 * ("Hong Kong" -> China, "Cruise Ship" -> Diamond Princess), whose rows count
 * towards that country. */
static int
sync_aliases(struct store *s)
{
	const struct country_alias *a;
	const struct place_move *m;
	long long have = -1, want = 0;

	for (a = place_country_aliases; a->alias != NULL; a++)
		want++;
	for (m = place_moves; m->alias != NULL; m++)
		want++;
	if (sqlite3_step(s->st[ST_ALIAS_COUNT]) == SQLITE_ROW)
		have = sqlite3_column_int64(s->st[ST_ALIAS_COUNT], 0);
	done(s, ST_ALIAS_COUNT);
	/* Aliases the program dropped: start over. */
	if (have > want && run(s, ST_ALIAS_CLEAR, "clearing aliases") != 0)
		return -1;
	for (a = place_country_aliases; a->alias != NULL; a++)
		if (alias_put(s, a->alias, a->name) != 0)
			return -1;
	for (m = place_moves; m->alias != NULL; m++)
		if (alias_put(s, m->alias, m->country) != 0)
			return -1;
	return 0;
}

static int
lookup_row_put(struct store *s, const struct lookup_row *r)
{
	sqlite3_stmt *st = s->st[ST_LOC_LOOKUP];
	long long id;

	id = location_id(s, r->country_region, r->province_state, r->admin2,
	    NULL, 0);
	if (id < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	bind_int_if(st, 2, r->has & LOOKUP_HAS_UID, r->uid);
	bind_text_or_null(st, 3, r->iso2);
	bind_text_or_null(st, 4, r->iso3);
	bind_int_if(st, 5, r->has & LOOKUP_HAS_CODE3, r->code3);
	bind_text_or_null(st, 6, r->fips);
	bind_real_if(st, 7, r->has & LOOKUP_HAS_LATLONG, r->lat);
	bind_real_if(st, 8, r->has & LOOKUP_HAS_LATLONG, r->lon);
	bind_text_or_null(st, 9, r->combined_key);
	bind_int_if(st, 10, r->has & LOOKUP_HAS_POPULATION, r->population);
	return run(s, ST_LOC_LOOKUP, "updating a location from the lookup table");
}

int
store_load_lookup(struct store *s, const char *buf, size_t len)
{
	struct lookup_reader *r;
	struct lookup_row row;
	char err[256];
	long long before, rows = 0, skipped = 0;
	int rc;

	if (s->in_date) {
		log_err("store: lookup load inside a date transaction");
		return -1;
	}
	if ((r = lookup_reader_new(buf, len, err, sizeof err)) == NULL) {
		log_err("store: lookup table: %s", err);
		return -1;
	}
	if (step_begin(s) != 0) {
		lookup_reader_free(r);
		return -1;
	}
	before = sqlite3_total_changes64(s->db);
	while ((rc = lookup_reader_next(r, &row, err, sizeof err)) != 0) {
		if (rc < 0) {
			log_warn("store: lookup table line %ld skipped: %s",
			    row.line, err);
			skipped++;
			continue;
		}
		if (lookup_row_put(s, &row) != 0)
			goto err;
		rows++;
	}
	if (sync_aliases(s) != 0)
		goto err;
	if (sqlite3_total_changes64(s->db) != before &&
	    run(s, ST_META_BUMP, "bumping the data version") != 0)
		goto err;
	if (step_end(s) != 0)
		goto err_ended;
	lookup_reader_free(r);
	log_info("store: lookup table: %lld places, %lld malformed rows skipped",
	    rows, skipped);
	return 0;
err:
	step_undo(s);
err_ended:
	lookup_reader_free(r);
	return -1;
}

/* ---- the job log ---- */

long long
store_run_begin(struct store *s, const char *source)
{
	sqlite3_stmt *st = s->st[ST_RUN_BEGIN];

	sqlite3_bind_int64(st, 1, (long long)getpid());
	bind_text(st, 2, source ? source : "");
	if (run(s, ST_RUN_BEGIN, "recording a run") != 0)
		return -1;
	return sqlite3_last_insert_rowid(s->db);
}

int
store_run_end(struct store *s, long long run_id, const struct run_counts *c,
    const char *status, const char *message)
{
	sqlite3_stmt *st = s->st[ST_RUN_END];

	if (s->tx_open) {
		log_err("store: a run ends inside a transaction");
		return -1;
	}
	sqlite3_bind_int64(st, 1, run_id);
	bind_text(st, 2, status);
	sqlite3_bind_int(st, 3, c->dates_tried);
	sqlite3_bind_int(st, 4, c->dates_loaded);
	sqlite3_bind_int(st, 5, c->dates_unchanged);
	sqlite3_bind_int(st, 6, c->dates_failed);
	sqlite3_bind_int64(st, 7, c->rows_loaded);
	sqlite3_bind_int64(st, 8, c->rows_rejected);
	bind_text_or_null(st, 9, message);
	if (run(s, ST_RUN_END, "recording the end of a run") != 0)
		return -1;
	if (sqlite3_changes(s->db) != 1) {
		log_err("store: no run %lld to end", run_id);
		return -1;
	}
	return 0;
}

int
store_run_recover(struct store *s)
{
	int n;

	if (run(s, ST_RUN_RECOVER, "marking interrupted runs") != 0)
		return -1;
	if ((n = sqlite3_changes(s->db)) > 0)
		log_warn("store: %d earlier run%s did not finish; marked "
		    "interrupted", n, n == 1 ? "" : "s");
	return 0;
}

static void
copy_col(sqlite3_stmt *st, int i, char *out, size_t len)
{
	const char *v = (const char *)sqlite3_column_text(st, i);

	if (len > 0)
		snprintf(out, len, "%s", v ? v : "");
}

int
store_source_get(struct store *s, const char *date, const char *url,
    struct source_state *out)
{
	sqlite3_stmt *st = s->st[ST_SOURCE_GET];
	int rc;

	memset(out, 0, sizeof *out);
	bind_text(st, 1, date);
	bind_text(st, 2, url);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		copy_col(st, 0, out->etag, sizeof out->etag);
		copy_col(st, 1, out->last_modified, sizeof out->last_modified);
		out->last_modified_strong = sqlite3_column_int(st, 2);
		copy_col(st, 3, out->sha256, sizeof out->sha256);
		out->same_url = sqlite3_column_int(st, 4);
	}
	done(s, ST_SOURCE_GET);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return fail(s, "reading a file's validators");
}

int
store_newest_date(struct store *s, char out[11])
{
	sqlite3_stmt *st = s->st[ST_NEWEST];
	int rc = sqlite3_step(st);

	out[0] = '\0';
	if (rc == SQLITE_ROW)
		copy_col(st, 0, out, 11);
	done(s, ST_NEWEST);
	if (rc != SQLITE_ROW)
		return fail(s, "reading the newest date");
	return 0;
}

static int
file_insert(struct store *s, long long run_id, const struct fetch_record *f,
    const char *status, const char *error)
{
	sqlite3_stmt *st = s->st[ST_FILE_INSERT];

	sqlite3_bind_int64(st, 1, run_id);
	bind_text(st, 2, f->date);
	bind_text(st, 3, f->url ? f->url : "");
	/* NULL: there was no HTTP exchange (file://) */
	bind_int_if(st, 4, f->http_status != 0, f->http_status);
	bind_text_or_null(st, 5, f->etag);
	bind_text_or_null(st, 6, f->last_modified);
	bind_text_or_null(st, 7, f->sha256);
	bind_text(st, 8, status);
	bind_text(st, 9, error);
	if (run(s, ST_FILE_INSERT, "recording a file") != 0)
		return -1;
	s->run_id = run_id;
	return 0;
}

/* A file's log row, as a step of its own. */
static int
file_log(struct store *s, long long run_id, const struct fetch_record *f,
    const char *status, const char *error)
{
	sqlite3_stmt *st = s->st[ST_SOURCE_VALIDATORS];

	if (s->in_date) {
		log_err("store: file log inside a date transaction");
		return -1;
	}
	if (step_begin(s) != 0)
		return -1;
	if (file_insert(s, run_id, f, status, error) != 0)
		goto err;
	if (strcmp(status, "unchanged") == 0 && f->sha256 != NULL) {
		bind_text(st, 1, f->date);
		bind_text_or_null(st, 2, f->etag);
		bind_text_or_null(st, 3, f->last_modified);
		bind_text(st, 4, f->sha256);
		bind_text(st, 5, f->url ? f->url : "");
		sqlite3_bind_int(st, 6, f->last_modified != NULL &&
		    f->last_modified_strong != 0);
		if (run(s, ST_SOURCE_VALIDATORS, "recording new validators") != 0)
			goto err;
	}
	return step_end(s);
err:
	step_undo(s);
	return -1;
}

int
store_file_unchanged(struct store *s, long long run_id,
    const struct fetch_record *f)
{
	return file_log(s, run_id, f, "unchanged", NULL);
}

int
store_file_failed(struct store *s, long long run_id,
    const struct fetch_record *f, const char *error)
{
	return file_log(s, run_id, f, "failed", error ? error : "failed");
}

/* ---- one date ---- */

static void
date_reset(struct store *s)
{
	free(s->url);
	free(s->etag);
	free(s->last_modified);
	free(s->sha256);
	s->url = s->etag = s->last_modified = s->sha256 = NULL;
	s->in_date = 0;
	s->file_id = 0;
}

static char *
dup_or_null(const char *v)
{
	return v ? strdup(v) : NULL;
}

static int
date_state(struct store *s)
{
	sqlite3_stmt *st = s->st[ST_DATE_STATE];

	bind_text(st, 1, s->date);
	if (sqlite3_step(st) != SQLITE_ROW) {
		done(s, ST_DATE_STATE);
		return fail(s, "reading what the date has");
	}
	s->when = (sqlite3_column_int(st, 0) ? IF_OLD : 0) |
	    (sqlite3_column_int(st, 1) ? IF_LATER : 0);
	done(s, ST_DATE_STATE);
	return 0;
}

int
store_date_begin(struct store *s, long long run_id, const struct fetch_record *f)
{
	if (s->in_date) {
		log_err("store: a date is already being loaded");
		return -1;
	}
	if (date_days(f->date) < 0) {   /* a day of the calendar, or nothing */
		log_err("store: bad date '%s'", f->date ? f->date : "(null)");
		return -1;
	}
	if (step_begin(s) != 0)
		return -1;
	if (file_insert(s, run_id, f, "loaded", NULL) != 0) {
		step_undo(s);
		return -1;
	}
	s->in_date = 1;
	s->file_id = sqlite3_last_insert_rowid(s->db);
	memcpy(s->date, f->date, 11);
	s->url = strdup(f->url ? f->url : "");
	s->etag = dup_or_null(f->etag);
	s->last_modified = dup_or_null(f->last_modified);
	s->last_modified_strong = f->last_modified != NULL &&
	    f->last_modified_strong != 0;
	s->sha256 = strdup(f->sha256 ? f->sha256 : "");
	if (s->url == NULL || s->sha256 == NULL ||
	    (f->etag && s->etag == NULL) ||
	    (f->last_modified && s->last_modified == NULL)) {
		log_err("store: out of memory");
		store_date_abort(s);
		return -1;
	}
	if (date_state(s) != 0) {
		store_date_abort(s);
		return -1;
	}
	s->kept = s->rejected = 0;
	s->rows_n = 0;
	/* A new generation forgets the previous file's places. */
	if (++s->gen == 0) {
		for (size_t i = 0; i < s->place_cap; i++)
			s->places[i].gen = s->places[i].rgen = 0;
		s->gen = 1;
	}
	return 0;
}

static int
reject(struct store *s, long line, const char *reason, const char *raw)
{
	sqlite3_stmt *st = s->st[ST_REJECT];

	sqlite3_bind_int64(st, 1, s->file_id);
	sqlite3_bind_int64(st, 2, line);
	bind_text(st, 3, reason);
	bind_text(st, 4, raw);
	if (run(s, ST_REJECT, "recording a rejected row") != 0)
		return -1;
	s->rejected++;
	return 0;
}

int
store_date_reject(struct store *s, long line, const char *reason,
    const char *raw)
{
	if (!s->in_date) {
		log_err("store: rejected row outside a date");
		return -1;
	}
	return reject(s, line, reason ? reason : "malformed", raw);
}

/* A count for a reason text: "12" or "unknown". */
static const char *
count_str(int have, long long v, char buf[24])
{
	if (!have)
		return "unknown";
	snprintf(buf, 24, "%lld", v);
	return buf;
}

/* -1, 0, 1 as a is less, as or more advanced than b (unknown is least). */
static int
cmp_count(int ha, long long a, int hb, long long b)
{
	if (ha != hb)
		return ha ? 1 : -1;
	if (!ha || a == b)
		return 0;
	return a > b ? 1 : -1;
}

/* The row's place was already given on line places[id].line of this file.
 * Returns 1 when the new row replaces the old, 0 when it is dropped, -1. */
static int
duplicate(struct store *s, long long id, const struct daily_row *row,
    const char *p, const char *a)
{
	const struct daily_row *old = &s->rows[s->places[id].slot];
	int hc = old->has & ROW_HAS_CONFIRMED, hd = old->has & ROW_HAS_DEATHS, c;
	long long oc = old->confirmed, od = old->deaths;
	char reason[512], b1[24], b2[24], b3[24], b4[24];
	long old_line = s->places[id].line;

	c = cmp_count(row->has & ROW_HAS_CONFIRMED, row->confirmed, hc, oc);
	if (c == 0)
		c = cmp_count(row->has & ROW_HAS_DEATHS, row->deaths, hd, od);
	if (c == 0)
		c = 1;   /* the same counts: the later line, a correction */
	snprintf(reason, sizeof reason, "duplicate of %s%s%s%s%s: line %ld "
	    "(confirmed %s, deaths %s) and line %ld (confirmed %s, deaths %s) "
	    "name the same place; kept line %ld, the more advanced report",
	    a, *a ? ", " : "", p, *p ? ", " : "", row->country_region,
	    old_line, count_str(hc, oc, b1), count_str(hd, od, b2),
	    row->line,
	    count_str(row->has & ROW_HAS_CONFIRMED, row->confirmed, b3),
	    count_str(row->has & ROW_HAS_DEATHS, row->deaths, b4),
	    c > 0 ? row->line : old_line);
	if (reject(s, c > 0 ? old_line : row->line, reason, NULL) != 0)
		return -1;
	if (c > 0)
		s->places[id].line = row->line;
	return c > 0;
}

/* Keeps a copy of the row for the commit (the parser's strings do not
 * last; a row needs none but last_update, which it holds). */
static int
row_keep(struct store *s, struct place *pl, const struct daily_row *row,
    int replace)
{
	struct daily_row *r;

	if (!replace) {
		if (s->rows_n == s->rows_cap) {
			size_t cap = s->rows_cap ? s->rows_cap * 2 : 4096;
			struct daily_row *v = realloc(s->rows, cap * sizeof *v);

			if (v == NULL) {
				log_err("store: out of memory");
				return -1;
			}
			s->rows = v;
			s->rows_cap = cap;
		}
		pl->slot = s->rows_n++;
	}
	r = &s->rows[pl->slot];
	*r = *row;
	r->country_region = r->province_state = r->admin2 = NULL;
	r->fips = r->combined_key = NULL;
	pl->now.has = (row->has & ROW_HAS_CONFIRMED ? HAS_C : 0) |
	    (row->has & ROW_HAS_DEATHS ? HAS_D : 0) |
	    (row->has & ROW_HAS_RECOVERED ? HAS_R : 0) |
	    (row->has & ROW_HAS_ACTIVE ? HAS_A : 0);
	pl->now.c = row->confirmed;
	pl->now.d = row->deaths;
	pl->now.r = row->recovered;
	pl->now.a = row->active;
	return 0;
}

/* A row is only kept here: the commit writes the date's rows in location
 * order (rows_put), so that each page of the per-place index is visited
 * once and in order, and the table's new rows are appended. */
int
store_date_row(struct store *s, const struct daily_row *row)
{
	const char *c = row->country_region;
	const char *p = row->province_state ? row->province_state : "";
	const char *a = row->admin2 ? row->admin2 : "";
	struct place *pl;
	long long id;
	int dup = 0;

	if (!s->in_date) {
		log_err("store: row outside a date");
		return -1;
	}
	if (c == NULL || *c == '\0') {
		log_err("store: line %ld: row without a country", row->line);
		return -1;
	}
	if ((id = location_id(s, c, p, a, row, 1)) < 0 ||
	    place_reserve(s, id) != 0)
		return -1;
	pl = &s->places[id];
	if (pl->gen == s->gen) {
		if ((dup = duplicate(s, id, row, p, a)) <= 0)
			return dup;
	}
	if (row_keep(s, pl, row, dup) != 0)
		return -1;
	if (!dup) {
		pl->gen = s->gen;
		pl->line = row->line;
		s->kept++;
	}
	return 0;
}

/* ---- the date's rows and totals, as tables ----
 *
 * The commit writes a date's rows, and then its region totals, with one
 * INSERT ... SELECT each from two eponymous virtual tables over the store's
 * memory: store_rows yields the rows store_date_row kept, store_totals the
 * totals totals_sum added up, both in location order, with the deltas
 * computed here. One statement per date instead of one per row saves
 * SQLite's per-statement work (binding, opening and closing cursors), which
 * was most of a row's cost, and its cursors stay open: the date's rows are
 * appended to the date-major table, and the per-place index is walked in
 * key order. Both tables exist only while the store is open, and only its
 * own statements read them. */

enum {
	COL_LOCATION, COL_CONFIRMED, COL_DEATHS, COL_RECOVERED, COL_ACTIVE,
	COL_NEW_CONFIRMED, COL_NEW_DEATHS, COL_KNOWN, COL_INCIDENT, COL_CFR,
	COL_LAT, COL_LONG, COL_LAST_UPDATE
};

struct mem_table {
	sqlite3_vtab  base;
	struct store *s;
	int           totals;   /* store_totals, else store_rows */
};

struct mem_cursor {
	sqlite3_vtab_cursor base;
	size_t              i;  /* location id */
};

/* Whether location id i has a row (a total) in the date being loaded. */
static int
mem_has(const struct mem_table *t, size_t i)
{
	const struct place *pl = &t->s->places[i];

	return (t->totals ? pl->rgen : pl->gen) == t->s->gen;
}

static int
mem_connect(sqlite3 *db, struct store *s, int totals, sqlite3_vtab **vt)
{
	struct mem_table *t;
	int rc;

	rc = sqlite3_declare_vtab(db, "CREATE TABLE x(location_id INTEGER, "
	    "confirmed INTEGER, deaths INTEGER, recovered INTEGER, active INTEGER, "
	    "new_confirmed INTEGER, new_deaths INTEGER, known INTEGER, "
	    "incident_rate REAL, case_fatality_ratio REAL, lat REAL, long REAL, "
	    "last_update TEXT)");
	if (rc != SQLITE_OK)
		return rc;
	if ((t = sqlite3_malloc(sizeof *t)) == NULL)
		return SQLITE_NOMEM;
	memset(t, 0, sizeof *t);
	t->s = s;
	t->totals = totals;
	*vt = &t->base;
	return SQLITE_OK;
}

static int
rows_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
    sqlite3_vtab **vt, char **err)
{
	(void)argc, (void)argv, (void)err;
	return mem_connect(db, aux, 0, vt);
}

static int
totals_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
    sqlite3_vtab **vt, char **err)
{
	(void)argc, (void)argv, (void)err;
	return mem_connect(db, aux, 1, vt);
}

static int
mem_disconnect(sqlite3_vtab *vt)
{
	sqlite3_free(vt);
	return SQLITE_OK;
}

/* A full scan, whatever the query: SQLite applies the constraints. */
static int
mem_best_index(sqlite3_vtab *vt, sqlite3_index_info *info)
{
	(void)vt;
	info->estimatedCost = 4000;
	info->estimatedRows = 4000;
	return SQLITE_OK;
}

static int
mem_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **cur)
{
	struct mem_cursor *c;

	(void)vt;
	if ((c = sqlite3_malloc(sizeof *c)) == NULL)
		return SQLITE_NOMEM;
	memset(c, 0, sizeof *c);
	*cur = &c->base;
	return SQLITE_OK;
}

static int
mem_close(sqlite3_vtab_cursor *cur)
{
	sqlite3_free(cur);
	return SQLITE_OK;
}

static int
mem_next(sqlite3_vtab_cursor *cur)
{
	struct mem_cursor *c = (struct mem_cursor *)cur;
	const struct mem_table *t = (const struct mem_table *)cur->pVtab;

	while (++c->i < t->s->place_cap && !mem_has(t, c->i))
		;
	return SQLITE_OK;
}

static int
mem_filter(sqlite3_vtab_cursor *cur, int idx, const char *idxstr, int argc,
    sqlite3_value **argv)
{
	struct mem_cursor *c = (struct mem_cursor *)cur;
	const struct mem_table *t = (const struct mem_table *)cur->pVtab;

	(void)idx, (void)idxstr, (void)argc, (void)argv;
	c->i = 0;
	if (c->i < t->s->place_cap && !mem_has(t, c->i))
		mem_next(cur);
	return SQLITE_OK;
}

static int
mem_eof(sqlite3_vtab_cursor *cur)
{
	const struct mem_cursor *c = (const struct mem_cursor *)cur;
	const struct mem_table *t = (const struct mem_table *)cur->pVtab;

	return c->i >= t->s->place_cap;
}

static int
mem_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid)
{
	*rowid = (sqlite3_int64)((const struct mem_cursor *)cur)->i;
	return SQLITE_OK;
}

static void
result_int_if(sqlite3_context *ctx, int have, long long v)
{
	if (have)
		sqlite3_result_int64(ctx, v);
	else
		sqlite3_result_null(ctx);
}

static void
result_real_if(sqlite3_context *ctx, int have, double v)
{
	if (have)
		sqlite3_result_double(ctx, v);
	else
		sqlite3_result_null(ctx);
}

/* now - before, or NULL when either is unknown (or it overflows). */
static void
result_delta(sqlite3_context *ctx, int have_now, long long now,
    int have_before, long long before)
{
	long long d;

	if (have_now && have_before && !__builtin_sub_overflow(now, before, &d))
		sqlite3_result_int64(ctx, d);
	else
		sqlite3_result_null(ctx);
}

static int
mem_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
	const struct mem_cursor *c = (const struct mem_cursor *)cur;
	const struct mem_table *t = (const struct mem_table *)cur->pVtab;
	const struct place *pl = &t->s->places[c->i];
	const struct counts *n = t->totals ? &pl->total : &pl->now;
	const struct counts *p = t->totals ? &pl->rprev : &pl->prev;
	const struct daily_row *row = t->totals ? NULL : &t->s->rows[pl->slot];

	switch (col) {
	case COL_LOCATION:
		sqlite3_result_int64(ctx, (sqlite3_int64)c->i);
		break;
	case COL_CONFIRMED: result_int_if(ctx, n->has & HAS_C, n->c); break;
	case COL_DEATHS:    result_int_if(ctx, n->has & HAS_D, n->d); break;
	case COL_RECOVERED: result_int_if(ctx, n->has & HAS_R, n->r); break;
	case COL_ACTIVE:    result_int_if(ctx, n->has & HAS_A, n->a); break;
	case COL_NEW_CONFIRMED:
		result_delta(ctx, n->has & HAS_C, n->c, p->has & HAS_C, p->c);
		break;
	case COL_NEW_DEATHS:
		result_delta(ctx, n->has & HAS_D, n->d, p->has & HAS_D, p->d);
		break;
	case COL_KNOWN:
		sqlite3_result_int(ctx, (p->has & KNOWN) != 0);
		break;
	case COL_INCIDENT:
		result_real_if(ctx, row && (row->has & ROW_HAS_INCIDENT),
		    row ? row->incident_rate : 0);
		break;
	case COL_CFR:
		result_real_if(ctx, row && (row->has & ROW_HAS_CFR),
		    row ? row->case_fatality_ratio : 0);
		break;
	case COL_LAT:
		result_real_if(ctx, row && (row->has & ROW_HAS_LATLONG),
		    row ? row->lat : 0);
		break;
	case COL_LONG:
		result_real_if(ctx, row && (row->has & ROW_HAS_LATLONG),
		    row ? row->lon : 0);
		break;
	case COL_LAST_UPDATE:
		/* The row outlives the statement: no copy. */
		if (row && row->last_update[0] != '\0')
			sqlite3_result_text(ctx, row->last_update, -1, SQLITE_STATIC);
		else
			sqlite3_result_null(ctx);
		break;
	}
	return SQLITE_OK;
}

/* Eponymous-only (no xCreate): the name alone is the table. */
static const sqlite3_module rows_module = {
	.xConnect = rows_connect, .xBestIndex = mem_best_index,
	.xDisconnect = mem_disconnect, .xOpen = mem_open, .xClose = mem_close,
	.xFilter = mem_filter, .xNext = mem_next, .xEof = mem_eof,
	.xColumn = mem_column, .xRowid = mem_rowid,
};
static const sqlite3_module totals_module = {
	.xConnect = totals_connect, .xBestIndex = mem_best_index,
	.xDisconnect = mem_disconnect, .xOpen = mem_open, .xClose = mem_close,
	.xFilter = mem_filter, .xNext = mem_next, .xEof = mem_eof,
	.xColumn = mem_column, .xRowid = mem_rowid,
};

/* Fills prev (rprev) of the date's places that lack it from the database:
 * ST_ROW_PREV (ST_REGION_PREV), one statement for all of them. */
static int
prev_fill(struct store *s, int totals)
{
	enum stmt k = totals ? ST_REGION_PREV : ST_ROW_PREV;
	sqlite3_stmt *st = s->st[k];
	int rc;

	bind_text(st, 1, s->date);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct place *pl = &s->places[sqlite3_column_int64(st, 0)];
		struct counts *p = totals ? &pl->rprev : &pl->prev;

		p->has = KNOWN |
		    (sqlite3_column_type(st, 1) != SQLITE_NULL ? HAS_C : 0) |
		    (sqlite3_column_type(st, 2) != SQLITE_NULL ? HAS_D : 0);
		p->c = sqlite3_column_int64(st, 1);
		p->d = sqlite3_column_int64(st, 2);
	}
	done(s, k);
	if (rc != SQLITE_DONE)
		return fail(s, "reading the previous counts");
	return 0;
}

/* A date that is not the newest: what the places remember is not the row
 * before it. */
static void
prev_forget_unless_in_order(struct store *s)
{
	if (s->when != 0)
		places_forget(s);
}

static int
rows_put(struct store *s)
{
	prev_forget_unless_in_order(s);
	if (prev_fill(s, 0) != 0)
		return -1;
	bind_text(s->st[ST_ROW_PUT], 1, s->date);
	sqlite3_bind_int64(s->st[ST_ROW_PUT], 2, s->file_id);
	return run(s, ST_ROW_PUT, "adding the rows");
}

/* t += v as SQL's sum() adds: a value the row lacks is skipped, and a total
 * of only unknown values stays unknown (NULL), never a 0 made up from
 * nothing. Returns 0, or -1 when a total overflows (sum() fails then too). */
static int
counts_add(struct counts *t, const struct counts *v)
{
	static const unsigned bits[4] = { HAS_C, HAS_D, HAS_R, HAS_A };
	long long *tv[4] = { &t->c, &t->d, &t->r, &t->a };
	const long long vv[4] = { v->c, v->d, v->r, v->a };

	for (int i = 0; i < 4; i++) {
		if (!(v->has & bits[i]))
			continue;
		if (!(t->has & bits[i])) {
			t->has |= bits[i];
			*tv[i] = vv[i];
		} else if (__builtin_add_overflow(*tv[i], vv[i], tv[i]))
			return -1;
	}
	return 0;
}

/* The date's region totals: each row of the file is added to its place
 * (unless a county) and to every place above it. O(rows), where a GROUP BY
 * over the date's rows joined with location_region cost a seek per row and
 * two per region. The rows are this file's, which are the date's rows after
 * the commit: the same sums. */
static int
totals_sum(struct store *s)
{
	for (size_t i = 0; i < s->place_cap; i++) {
		const struct place *pl = &s->places[i];
		long long g;

		if (pl->gen != s->gen)
			continue;
		for (g = region_first(s, (long long)i); g > 0; g = region_next(s, g)) {
			struct place *r = &s->places[g];

			if (r->rgen != s->gen) {
				r->rgen = s->gen;
				memset(&r->total, 0, sizeof r->total);
			}
			if (counts_add(&r->total, &pl->now) != 0) {
				log_err("store: %s: a region's total overflows", s->date);
				return -1;
			}
		}
		if (g < 0)
			return -1;
	}
	return 0;
}

/* One insert for all the date's region totals (summed by totals_sum; the
 * old ones are gone: ST_REGION_DELETE). */
static int
regions_put(struct store *s)
{
	if (prev_fill(s, 1) != 0)
		return -1;
	bind_text(s->st[ST_REGION_PUT], 1, s->date);
	return run(s, ST_REGION_PUT, "adding the region totals");
}

/* The commit's statements, in order, and when each is needed: a date loaded
 * for the first time has no old rows to drop, and one newer than every
 * loaded date (a backfill, a daily run) has no next rows to fix. Each binds
 * ?1 = date and ?2 = this file. */
static const struct { enum stmt st; int when; } commit_steps[] = {
	{ ST_ROW_PUT,        ALWAYS },              /* the new rows (rows_put) */
	{ ST_TOUCHED_CLEAR,  IF_OLD | IF_LATER },   /* places the date had or has */
	{ ST_TOUCHED_FILL,   IF_OLD | IF_LATER },
	{ ST_ROWS_STALE,     IF_OLD },              /* the old version's rows go */
	{ ST_DELTA_NEXT,     IF_LATER },            /* the next rows' deltas */
	{ ST_RTOUCHED_CLEAR, IF_LATER },            /* the regions above them */
	{ ST_RTOUCHED_FILL,  IF_LATER },
	{ ST_REGION_DELETE,  IF_OLD },              /* the date's totals, new */
	{ ST_REGION_PUT,     ALWAYS },              /* (regions_put) */
	{ ST_RDELTA_NEXT,    IF_LATER },            /* the next totals' deltas */
};

int
store_date_commit(struct store *s, long long *loaded, long long *rejected)
{
	sqlite3_stmt *st;

	if (!s->in_date) {
		log_err("store: commit outside a date");
		return -1;
	}
	/* Whatever can be wrong with the file is known once its totals are
	 * summed (a total may overflow): up to here a date of a batch rolls
	 * back to its savepoint alone. What is left is writing rows that are
	 * known to be good, which only the database itself can fail (a full
	 * disk, an I/O error), and then the batch cannot commit anyway: so the
	 * savepoint ends here, and a failure from now on rolls the whole batch
	 * back (store_batch_commit says so; none of it is kept). Writing inside
	 * the savepoint would make SQLite copy each page first, one per place
	 * of each per-place index for every date: a quarter of a long
	 * backfill's time. */
	if (totals_sum(s) != 0)
		goto err;
	if (s->batching && step_end(s) != 0)
		goto err_ended;
	for (size_t i = 0; i < sizeof commit_steps / sizeof commit_steps[0]; i++) {
		enum stmt k = commit_steps[i].st;
		if (!(commit_steps[i].when & (ALWAYS | s->when)))
			continue;
		if (k == ST_ROW_PUT || k == ST_REGION_PUT) {
			if ((k == ST_ROW_PUT ? rows_put(s) : regions_put(s)) != 0)
				goto err;
			continue;
		}
		st = s->st[k];
		if (sqlite3_bind_parameter_count(st) >= 1)
			bind_text(st, 1, s->date);
		if (sqlite3_bind_parameter_count(st) >= 2)
			sqlite3_bind_int64(st, 2, s->file_id);
		if (run(s, k, "replacing the date's rows") != 0)
			goto err;
	}

	st = s->st[ST_FILE_FINISH];
	sqlite3_bind_int64(st, 1, s->file_id);
	sqlite3_bind_int64(st, 2, s->kept);
	sqlite3_bind_int64(st, 3, s->rejected);
	if (run(s, ST_FILE_FINISH, "recording the file's counts") != 0)
		goto err;

	st = s->st[ST_SOURCE_PUT];
	bind_text(st, 1, s->date);
	bind_text(st, 2, s->url);
	bind_text_or_null(st, 3, s->etag);
	bind_text_or_null(st, 4, s->last_modified);
	bind_text(st, 5, s->sha256);
	sqlite3_bind_int64(st, 6, s->file_id);
	sqlite3_bind_int(st, 7, s->last_modified_strong);
	if (run(s, ST_SOURCE_PUT, "recording the source file") != 0 ||
	    run(s, ST_META_BUMP, "bumping the data version") != 0)
		goto err;
	if (!s->batching && step_end(s) != 0)
		goto err_ended;
	s->tx_rows += s->kept;
	if (s->when == 0)
		places_advance(s);
	else
		places_forget(s);
	if (loaded)
		*loaded = s->kept;
	if (rejected)
		*rejected = s->rejected;
	date_reset(s);
	return 0;
err:
	step_undo(s);
err_ended:
	date_reset(s);
	return -1;
}

void
store_date_abort(struct store *s)
{
	step_undo(s);
	date_reset(s);
}
