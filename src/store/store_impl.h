/* store_impl: what the store's files share (the public side is store.h).
 * Internal to src/store/: included by the store_*.c files only, never
 * outside this folder.
 *
 * The store is one module in several files:
 *   store_open.c     opening and closing: ties the others together
 *   store_stmt.c     its SQL statements, the helpers that prepare, run
 *                    and bind them
 *   store_places.c   the places (the tree the totals add up along) and the
 *                    location cache: names to ids, slugs, name folding
 *   store_tx.c       transactions, batches and their savepoints (steps)
 *   store_lookup.c   JHU's lookup table and the country aliases
 *   store_joblog.c   the job log: runs, files, source validators
 *   store_date.c     one date's rows: begin, rows, duplicates, commit
 *   store_memtab.c   the virtual tables over a date's rows and totals
 *   store_series.c   one time series file: its values and region totals
 *   store_renames.c  the early city-style names (place_rename)
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
 */
#ifndef COVID_STORE_IMPL_H
#define COVID_STORE_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <sqlite3.h>

#include "store/daily_row.h"
#include "store/store.h"

/* The statements, prepared by store_stmt_prepare (their SQL is in
 * store_stmt.c). */
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
	ST_SERIES_SOURCE_GET,
	ST_SERIES_VALIDATORS,
	ST_SERIES_SOURCE_PUT,
	ST_SERIES_PUT_C,
	ST_SERIES_PUT_D,
	ST_SERIES_PUT_R,
	ST_SERIES_PLACES,
	ST_SERIES_DROP,
	ST_SERIES_REGION_C,
	ST_SERIES_REGION_D,
	ST_SERIES_REGION_R,
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
	ST_BULK_EMPTY,
	ST_DEFERRED_DROP_SAVE,
	ST_DEFERRED_LIST,
	ST_ROW_PREV_ALL,
	ST_REGION_PREV_ALL,
	ST__MAX
};

/* Where the file being loaded came from (a copy of its fetch_record's
 * strings), for source_file or series_source at its commit. */
struct held_source {
	char *url, *etag, *last_modified, *sha256;
	int   last_modified_strong;
};

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
	struct held_source src;    /* where its file came from */
	long long     kept, rejected;
	int           when;         /* IF_OLD | IF_LATER: see commit_steps */
	struct daily_row *rows;     /* its rows (places[].slot) */
	size_t        rows_n, rows_cap;
	struct place *places;       /* by location id */
	size_t        place_cap;
	unsigned      gen;          /* of the date being loaded */

	/* The time series file being loaded (store_series.c). */
	struct series_load {
		int       on;
		int       product;      /* enum series_product */
		int       put, rput;    /* ST_SERIES_PUT_x, ST_SERIES_REGION_x */
		long long file_id;
		long      first_day, days;   /* of the file's columns */
		long long loc;          /* the place whose values come */
		char     *name;
		struct held_source src;
		long long values, changed;
		/* The places this file lists (ids, sorted at commit), and how
		 * many its previous version listed. */
		long long *seen;
		size_t    seen_n, seen_cap;
		long long prev_places;
		int       metric;       /* enum series_metric */
		/* The totals of the regions the file's places count towards,
		 * one per date column (days): regions x days, a few hundred
		 * KB for JHU's files. cur: the current place's regions. */
		struct series_total {
			long long      region;
			long long     *sum;
			unsigned char *has;
		} *totals, *cur[4];
		size_t    totals_n, totals_cap, cur_n;
	} series;

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

	/* A first load without the per-place indexes (store_bulk.c), and
	 * which previous counts struct place holds for every place that has
	 * any (PREV_ROWS: rows, PREV_TOTALS: totals); forgetting clears it. */
	int           bulk;
	unsigned      prev_complete;

	struct store_renames *renames;  /* place_rename (store_renames.c) */
};

/* store_stmt.c: statements. Each logs its own error and returns 0 or -1. */
int store_stmt_prepare(struct store *s);   /* the setup, then every statement */
void store_stmt_finalize(struct store *s);
int store_fail(struct store *s, const char *what);
int store_exec(struct store *s, enum stmt i, const char *what);
void store_stmt_done(struct store *s, enum stmt i);
int store_bind_text(sqlite3_stmt *st, int i, const char *v);
int store_bind_text_or_null(sqlite3_stmt *st, int i, const char *v);
int store_bind_int_if(sqlite3_stmt *st, int i, int have, long long v);
int store_bind_real_if(sqlite3_stmt *st, int i, int have, double v);

/* store_places.c: places and the location cache. */
int store_place_reserve(struct store *s, long long id);
void store_places_forget(struct store *s);
void store_places_advance(struct store *s);
long long store_region_first(const struct store *s, long long id);
long long store_region_next(const struct store *s, long long g);
void store_loc_clear(struct store *s);
int store_loc_fresh(struct store *s);
long long store_location_id(struct store *s, const char *c, const char *p,
    const char *a, const struct daily_row *row, int fold);

/* Bits of store.prev_complete. */
enum { PREV_ROWS = 1, PREV_TOTALS = 2 };

/* store_tx.c: transactions and a batch's steps. */
void store_tx_rollback(struct store *s);
int store_step_begin(struct store *s);
int store_step_end(struct store *s);
void store_step_undo(struct store *s);

/* store_joblog.c: the file log row of a date or series file, and the copy
 * of where a file came from (0, or -1 out of memory: h is then empty). */
int store_file_insert(struct store *s, long long run_id,
    const struct fetch_record *f, const char *status, const char *error);
int store_source_hold(struct held_source *h, const struct fetch_record *f);
void store_source_release(struct held_source *h);
/* The start of loading file f (a date or a series file), the same for
 * both: a step of its own, its log row ("loaded") whose id goes to
 * *file_id, and where it came from held in *h. 0; or -1 with all of it
 * undone (the step rolled back, h empty, *file_id untouched). */
int store_file_begin(struct store *s, long long run_id,
    const struct fetch_record *f, long long *file_id, struct held_source *h);

/* store_memtab.c: the tables store_rows and store_totals, whose aux is the
 * store. */
extern const sqlite3_module store_rows_module, store_totals_module;

/* ---- store_renames.c: early city-style names (place_rename, migration
 * 0006) go to their county and state. ---- */

/* Reads place_rename into s->renames (store_open); frees it (store_close). */
int store_renames_load(struct store *s);
void store_renames_free(struct store *s);
/* A province with no county that place_rename names for country c: *p and
 * *a become its target's, and its entry (>= 0) is returned; else -1. */
int store_rename_apply(const struct store *s, const char *c, const char **p,
    const char **a);
/* Remembers that the date's row of place id came through entry (-1: under
 * its own name). */
int store_rename_given(struct store *s, long long id, int entry);
/* A second row for place id on the date, through entry: when both rows came
 * through different early names, adds row's counts to the kept row and
 * returns 1; 0 when the duplicate rule applies instead; -1. */
int store_rename_merge(struct store *s, long long id,
    const struct daily_row *row, int entry);

#endif
