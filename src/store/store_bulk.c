/* store_bulk: a first load without the per-place indexes (migration 0007).
 *
 * Loading into an empty database, the store drops daily_report_location and
 * region_daily_location, appends every date's rows to the date-ordered
 * tables, and builds the two indexes once at the end: one sort each,
 * instead of one index page per place rewritten for every batch (the
 * kernel's page copies were a third of a backfill's time). What the
 * deltas need from earlier dates the store then has in memory: the
 * database started empty, so every earlier row is one this load wrote,
 * and struct place remembers each place's latest. When it forgets (a
 * rollback, a date out of order), one scan of the table tells it again
 * (ST_ROW_PREV_ALL): a per-place lookup would be a scan per place
 * without the index. */
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "store/db.h"
#include "store/store_impl.h"

/* The indexes a bulk load defers: per-place, kept in order by every date. */
static const char *const deferred[] = {
	"daily_report_location",
	"region_daily_location",
};
#define NDEFERRED (sizeof deferred / sizeof deferred[0])

/* Runs sql on db to its end; 0, or -1 after logging what failed. */
static int
exec_sql(sqlite3 *db, const char *sql, const char *what)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		log_err("store: %s: %s", what, sqlite3_errmsg(db));
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		log_err("store: %s: %s", what, sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

/* Builds every index deferred_index holds and empties it, in one
 * transaction, on a connection of its own: the writer keeps temporary
 * storage in memory (store_stmt.c), where CREATE INDEX's sort of millions
 * of entries would be held whole; this one's sort spills to a temporary
 * file past a 16 MB page cache, and the writer's cache is given back
 * first, so the build needs no more memory than the load did, however
 * long the history. (A database with no file name, in memory, is built on
 * the writer's own connection.) */
static int
build_deferred(struct store *s)
{
	const char *path = sqlite3_db_filename(s->db, "main");
	sqlite3 *db = s->db;
	sqlite3_stmt *st = NULL;
	int rc, n = 0;

	sqlite3_db_release_memory(s->db);
	if (path != NULL && path[0] != '\0' && (db = db_open_rw(path)) == NULL)
		return -1;
	if (exec_sql(db, "PRAGMA cache_size = -16384", "sizing the index build") != 0 ||
	    exec_sql(db, "BEGIN IMMEDIATE", "beginning the index build") != 0)
		goto out;
	if (sqlite3_prepare_v2(db, "SELECT sql FROM deferred_index ORDER BY name",
	    -1, &st, NULL) != SQLITE_OK) {
		log_err("store: reading the deferred indexes: %s", sqlite3_errmsg(db));
		goto fail;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		/* SQLite's own copies of the definitions from sqlite_master
		 * (store_bulk_begin): the schema's text, nothing from outside. */
		const char *sql = (const char *)sqlite3_column_text(st, 0);
		if (sql == NULL || exec_sql(db, sql, "building a deferred index") != 0)
			goto fail;
		n++;
	}
	if (rc != SQLITE_DONE) {
		log_err("store: reading the deferred indexes: %s", sqlite3_errmsg(db));
		goto fail;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (exec_sql(db, "DELETE FROM deferred_index", "clearing the deferred indexes") != 0 ||
	    exec_sql(db, "COMMIT", "committing the index build") != 0)
		goto fail;
	if (n > 0)
		log_info("store: built %d per-place index%s", n, n == 1 ? "" : "es");
	if (db != s->db)
		sqlite3_close(db);
	return 0;
fail:
	sqlite3_finalize(st);
	exec_sql(db, "ROLLBACK", "rolling back the index build");
out:
	if (db != s->db)
		sqlite3_close(db);
	return -1;
}

int
store_bulk_begin(struct store *s)
{
	sqlite3_stmt *st = s->st[ST_BULK_EMPTY];
	int empty;
	size_t i;

	if (s->tx_open || s->in_date || s->series.on) {
		log_err("store: a bulk load begins inside a transaction");
		return -1;
	}
	if (exec_sql(s->db, "BEGIN IMMEDIATE", "beginning a bulk load") != 0)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW) {
		store_stmt_done(s, ST_BULK_EMPTY);
		store_fail(s, "reading whether the database is empty");
		goto fail;
	}
	empty = sqlite3_column_int(st, 0);
	store_stmt_done(s, ST_BULK_EMPTY);
	if (!empty)
		return exec_sql(s->db, "COMMIT", "ending a bulk load's check") == 0 ? 0 : -1;
	for (i = 0; i < NDEFERRED; i++) {
		sqlite3_stmt *d = s->st[ST_DEFERRED_DROP_SAVE];
		char drop[64];
		store_bind_text(d, 1, deferred[i]);
		if (store_exec(s, ST_DEFERRED_DROP_SAVE, "saving an index's definition") != 0)
			goto fail;
		snprintf(drop, sizeof drop, "DROP INDEX IF EXISTS %s", deferred[i]);
		if (exec_sql(s->db, drop, "dropping a per-place index") != 0)
			goto fail;
	}
	if (exec_sql(s->db, "COMMIT", "committing a bulk load's start") != 0)
		goto fail;
	/* Nothing before: every place's previous row is none, until the
	 * load writes one (and struct place remembers it). */
	store_places_forget(s);
	s->bulk = 1;
	s->prev_complete = 1;
	log_info("store: a first load: the per-place indexes are built at its end");
	return 1;
fail:
	exec_sql(s->db, "ROLLBACK", "rolling back a bulk load's start");
	return -1;
}

int
store_bulk_end(struct store *s)
{
	if (!s->bulk)
		return 0;
	if (s->tx_open || s->in_date || s->series.on) {
		log_err("store: a bulk load ends inside a transaction");
		return -1;
	}
	s->bulk = 0;
	s->prev_complete = 0;
	return build_deferred(s);
}

int
store_bulk_recover(struct store *s)
{
	sqlite3_stmt *st = s->st[ST_DEFERRED_LIST];
	int rc = sqlite3_step(st);

	store_stmt_done(s, ST_DEFERRED_LIST);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return store_fail(s, "reading the deferred indexes");
	log_warn("store: an earlier first load did not finish: building its "
	    "per-place indexes now");
	return build_deferred(s);
}
