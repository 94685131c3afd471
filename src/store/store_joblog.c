/* store_joblog: the job log: runs, files and the source files' validators,
 * written, and a run read back for the notice after it. */
#include <stdio.h>
#include <stdlib.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "store/store_impl.h"

/* ---- the job log ---- */

long long
store_run_begin(struct store *s, const char *source)
{
	sqlite3_stmt *st = s->st[ST_RUN_BEGIN];

	sqlite3_bind_int64(st, 1, (long long)getpid());
	store_bind_text(st, 2, source ? source : "");
	if (store_exec(s, ST_RUN_BEGIN, "recording a run") != 0)
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
	store_bind_text(st, 2, status);
	sqlite3_bind_int(st, 3, c->dates_tried);
	sqlite3_bind_int(st, 4, c->dates_loaded);
	sqlite3_bind_int(st, 5, c->dates_unchanged);
	sqlite3_bind_int(st, 6, c->dates_failed);
	sqlite3_bind_int64(st, 7, c->rows_loaded);
	sqlite3_bind_int64(st, 8, c->rows_rejected);
	store_bind_text_or_null(st, 9, message);
	if (store_exec(s, ST_RUN_END, "recording the end of a run") != 0)
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

	if (store_exec(s, ST_RUN_RECOVER, "marking interrupted runs") != 0)
		return -1;
	if ((n = sqlite3_changes(s->db)) > 0)
		log_warn("store: %d earlier run%s did not finish; marked "
		    "interrupted", n, n == 1 ? "" : "s");
	return store_bulk_recover(s);
}

static void
copy_col(sqlite3_stmt *st, int i, char *out, size_t len)
{
	const char *v = (const char *)sqlite3_column_text(st, i);

	if (len > 0)
		snprintf(out, len, "%s", v ? v : "");
}

/* What source_file (a date) or series_source (a series file) holds for key. */
static int
source_get(struct store *s, enum stmt i, const char *key, const char *url,
    struct source_state *out)
{
	sqlite3_stmt *st = s->st[i];
	int rc;

	memset(out, 0, sizeof *out);
	store_bind_text(st, 1, key);
	store_bind_text(st, 2, url);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		copy_col(st, 0, out->etag, sizeof out->etag);
		copy_col(st, 1, out->last_modified, sizeof out->last_modified);
		out->last_modified_strong = sqlite3_column_int(st, 2);
		copy_col(st, 3, out->sha256, sizeof out->sha256);
		out->same_url = sqlite3_column_int(st, 4);
		if (sqlite3_column_count(st) > 5)
			out->places = sqlite3_column_int64(st, 5);
	}
	store_stmt_done(s, i);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return store_fail(s, "reading a file's validators");
}

int
store_source_get(struct store *s, const char *date, const char *url,
    struct source_state *out)
{
	return source_get(s, ST_SOURCE_GET, date, url, out);
}

int
store_series_source_get(struct store *s, const char *name, const char *url,
    struct source_state *out)
{
	return source_get(s, ST_SERIES_SOURCE_GET, name, url, out);
}

int
store_newest_date(struct store *s, char out[11])
{
	sqlite3_stmt *st = s->st[ST_NEWEST];
	int rc = sqlite3_step(st);

	out[0] = '\0';
	if (rc == SQLITE_ROW)
		copy_col(st, 0, out, 11);
	store_stmt_done(s, ST_NEWEST);
	if (rc != SQLITE_ROW)
		return store_fail(s, "reading the newest date");
	return 0;
}

int
store_file_insert(struct store *s, long long run_id, const struct fetch_record *f,
    const char *status, const char *error)
{
	sqlite3_stmt *st = s->st[ST_FILE_INSERT];

	sqlite3_bind_int64(st, 1, run_id);
	store_bind_text(st, 2, f->date);
	store_bind_text(st, 3, f->url ? f->url : "");
	/* NULL: there was no HTTP exchange (file://) */
	store_bind_int_if(st, 4, f->http_status != 0, f->http_status);
	store_bind_text_or_null(st, 5, f->etag);
	store_bind_text_or_null(st, 6, f->last_modified);
	store_bind_text_or_null(st, 7, f->sha256);
	store_bind_text(st, 8, status);
	store_bind_text(st, 9, error);
	store_bind_text_or_null(st, 10, f->series);
	if (store_exec(s, ST_FILE_INSERT, "recording a file") != 0)
		return -1;
	s->run_id = run_id;
	return 0;
}

int
store_file_begin(struct store *s, long long run_id,
    const struct fetch_record *f, long long *file_id, struct held_source *h)
{
	long long id;

	if (store_step_begin(s) != 0)
		return -1;
	if (store_file_insert(s, run_id, f, "loaded", NULL) != 0)
		goto err;
	id = sqlite3_last_insert_rowid(s->db);
	if (store_source_hold(h, f) != 0)
		goto err;
	*file_id = id;
	return 0;
err:
	store_step_undo(s);
	return -1;
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
	if (store_step_begin(s) != 0)
		return -1;
	if (store_file_insert(s, run_id, f, status, error) != 0)
		goto err;
	if (f->series != NULL)
		st = s->st[ST_SERIES_VALIDATORS];
	if (strcmp(status, "unchanged") == 0 && f->sha256 != NULL) {
		store_bind_text(st, 1, f->series != NULL ? f->series : f->date);
		store_bind_text_or_null(st, 2, f->etag);
		store_bind_text_or_null(st, 3, f->last_modified);
		store_bind_text(st, 4, f->sha256);
		store_bind_text(st, 5, f->url ? f->url : "");
		sqlite3_bind_int(st, 6, f->last_modified != NULL &&
		    f->last_modified_strong != 0);
		if (store_exec(s, f->series != NULL ? ST_SERIES_VALIDATORS :
		    ST_SOURCE_VALIDATORS, "recording new validators") != 0)
			goto err;
	}
	return store_step_end(s);
err:
	store_step_undo(s);
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

/* ---- the job log read back, for the notice after a run ---- */

#define RECORD_COLS "id, status, COALESCE(finished_at, ''), COALESCE(message, '')"

/* A text column copied; "" for NULL. malloc'd; NULL when out of memory. */
static char *
dup_col(sqlite3_stmt *st, int i)
{
	const unsigned char *v = sqlite3_column_text(st, i);

	return strdup(v != NULL ? (const char *)v : "");
}

void
store_run_record_free(struct run_record *r)
{
	free((char *)r->status);
	free((char *)r->finished_at);
	free((char *)r->message);
	free((char *)r->first_date);
	free((char *)r->first_error);
	memset(r, 0, sizeof *r);
}

/* Runs sql (binding a text and an integer as ?1 and ?2 when text is given,
 * else the integer as ?1) and reads its one row of RECORD_COLS into r.
 * 1 found, 0 not, -1 error. */
static int
read_record(sqlite3 *db, const char *sql, const char *text, long long num,
    struct run_record *r)
{
	sqlite3_stmt *st;
	int rc, found = 0;

	memset(r, 0, sizeof *r);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (text != NULL)
		sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, text != NULL ? 2 : 1, num);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r->id = sqlite3_column_int64(st, 0);
		r->status = dup_col(st, 1);
		r->finished_at = dup_col(st, 2);
		r->message = dup_col(st, 3);
		found = r->status && r->finished_at && r->message ? 1 : -1;
	} else if (rc != SQLITE_DONE)
		found = -1;
	sqlite3_finalize(st);
	if (found != 1)
		store_run_record_free(r);
	return found;
}

/* The first failed file of run r and how many failed. */
static int
read_failures(sqlite3 *db, struct run_record *r)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT date, COALESCE(error, ''), "
	    "(SELECT count(*) FROM ingest_file WHERE run_id = ?1 AND "
	    "status = 'failed') FROM ingest_file WHERE run_id = ?1 AND "
	    "status = 'failed' ORDER BY id LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, r->id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r->first_date = dup_col(st, 0);
		r->first_error = dup_col(st, 1);
		r->files_failed = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int
store_run_find(sqlite3 *db, const char *after, long long pid,
    struct run_record *r)
{
	int found = read_record(db, "SELECT " RECORD_COLS " FROM ingest_run "
	    "WHERE started_at >= ?1 AND pid = ?2 ORDER BY id DESC LIMIT 1",
	    after, pid, r);

	if (found == 1 && read_failures(db, r) != 0) {
		store_run_record_free(r);
		return -1;
	}
	return found;
}

int
store_run_before(sqlite3 *db, long long id, struct run_record *r)
{
	return read_record(db, "SELECT " RECORD_COLS " FROM ingest_run "
	    "WHERE id < ?1 AND status <> 'running' ORDER BY id DESC LIMIT 1",
	    NULL, id, r);
}

/* ---- where a file came from, until its commit ---- */

static char *
dup_or_null(const char *v)
{
	return v ? strdup(v) : NULL;
}

int
store_source_hold(struct held_source *h, const struct fetch_record *f)
{
	h->url = strdup(f->url ? f->url : "");
	h->etag = dup_or_null(f->etag);
	h->last_modified = dup_or_null(f->last_modified);
	h->last_modified_strong = f->last_modified != NULL &&
	    f->last_modified_strong != 0;
	h->sha256 = strdup(f->sha256 ? f->sha256 : "");
	if (h->url == NULL || h->sha256 == NULL || (f->etag && h->etag == NULL) ||
	    (f->last_modified && h->last_modified == NULL)) {
		log_err("store: out of memory");
		store_source_release(h);
		return -1;
	}
	return 0;
}

void
store_source_release(struct held_source *h)
{
	free(h->url);
	free(h->etag);
	free(h->last_modified);
	free(h->sha256);
	memset(h, 0, sizeof *h);
}
