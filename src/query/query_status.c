/* query_status: the job log's statements (see query_status.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/sql_stmts.h"
#include "query/query_status.h"

enum stmt {
	S_RUNS, S_LAST_RUN, S_LAST_OK, S_FAILED, S_BEHIND, S_CHECK, S_FC_RUNS,
	S__MAX
};

#define UNIX(col) "CAST(strftime('%s', " col ") AS INTEGER)"
/* A run's columns, as read_run expects them. */
#define RUN_COLS "id, started_at, COALESCE(finished_at, ''), " \
	UNIX("started_at") ", " UNIX("finished_at") ", " \
	UNIX("COALESCE(finished_at, 'now')") " - " UNIX("started_at") ", " \
	"status, source, COALESCE(message, ''), dates_tried, dates_loaded, " \
	"dates_unchanged, dates_failed, rows_loaded, rows_rejected"
#define FILE_COLS "f.id, f.run_id, f.date, f.url, f.fetched_at, " \
	"COALESCE(f.error, ''), COALESCE(f.http_status, 0)"

static const char *const sql[S__MAX] = {
	[S_RUNS] = "SELECT " RUN_COLS " FROM ingest_run ORDER BY id DESC LIMIT ?1",
	[S_LAST_RUN] = "SELECT " RUN_COLS " FROM ingest_run "
	    "WHERE status <> 'running' ORDER BY id DESC LIMIT 1",
	[S_LAST_OK] = "SELECT " RUN_COLS " FROM ingest_run "
	    "WHERE status = 'ok' ORDER BY id DESC LIMIT 1",
	/* The failed files of the last ?1 runs; for each, the first later run
	 * that loaded its date (or found it unchanged). */
	[S_FAILED] = "SELECT " FILE_COLS ", "
	    "(SELECT min(g.run_id) FROM ingest_file AS g WHERE g.date = f.date "
	    "  AND g.id > f.id AND g.status <> 'failed') "
	    "FROM ingest_file AS f "
	    "WHERE f.status = 'failed' AND f.run_id >= (SELECT min(id) FROM "
	    "  (SELECT id FROM ingest_run ORDER BY id DESC LIMIT ?1)) "
	    "ORDER BY f.id DESC LIMIT ?2",
	[S_BEHIND] = "SELECT " FILE_COLS ", 0 FROM ingest_file AS f "
	    "WHERE f.status = 'failed' AND f.date > ?1 AND f.run_id > "
	    "  COALESCE((SELECT max(id) FROM ingest_run WHERE status = 'ok'), 0) "
	    "ORDER BY f.date DESC, f.id DESC LIMIT 1",
	[S_CHECK] = "SELECT user_version FROM pragma_user_version",
	[S_FC_RUNS] = "SELECT id, started_at, COALESCE(finished_at, ''), "
	    UNIX("COALESCE(finished_at, 'now')") " - " UNIX("started_at") ", "
	    "status, origins, rows_written, COALESCE(message, '') "
	    "FROM forecast_run ORDER BY id DESC LIMIT ?1",
};

struct query_status {
	sqlite3      *db;
	sqlite3_stmt *st[S__MAX];
};

static int
fail(struct query_status *qs, const char *what)
{
	log_err("query_status: %s: %s", what, sqlite3_errmsg(qs->db));
	return -1;
}

static void
done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

struct query_status *
query_status_open(sqlite3 *db)
{
	struct query_status *qs = calloc(1, sizeof *qs);

	if (qs == NULL) {
		log_err("query_status: out of memory");
		return NULL;
	}
	qs->db = db;
	if (sql_stmts_prepare(db, sql, qs->st, S__MAX, "query_status") != 0) {
		free(qs);
		return NULL;
	}
	return qs;
}

void
query_status_close(struct query_status *qs)
{
	if (qs == NULL)
		return;
	sql_stmts_finalize(qs->st, S__MAX);
	free(qs);
}

/* A text column copied into the arena; NULL reads as "". */
static const char *
col_text(struct arena *a, sqlite3_stmt *st, int i, int *oom)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	char *p;

	if (s == NULL)
		return "";
	if ((p = arena_strndup(a, (const char *)s,
	    (size_t)sqlite3_column_bytes(st, i))) == NULL)
		*oom = 1;
	return p;
}

static long long
col_ll(sqlite3_stmt *st, int i, long long none)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? none :
	    sqlite3_column_int64(st, i);
}

static int
read_run(struct arena *a, sqlite3_stmt *st, struct qs_run *r)
{
	int oom = 0;

	r->id = sqlite3_column_int64(st, 0);
	r->started_at = col_text(a, st, 1, &oom);
	r->finished_at = col_text(a, st, 2, &oom);
	r->started = col_ll(st, 3, -1);
	r->finished = col_ll(st, 4, -1);
	r->seconds = col_ll(st, 5, -1);
	r->status = col_text(a, st, 6, &oom);
	r->source = col_text(a, st, 7, &oom);
	r->message = col_text(a, st, 8, &oom);
	r->dates_tried = sqlite3_column_int64(st, 9);
	r->dates_loaded = sqlite3_column_int64(st, 10);
	r->dates_unchanged = sqlite3_column_int64(st, 11);
	r->dates_failed = sqlite3_column_int64(st, 12);
	r->rows_loaded = sqlite3_column_int64(st, 13);
	r->rows_rejected = sqlite3_column_int64(st, 14);
	return oom ? -1 : 0;
}

static int
read_file(struct arena *a, sqlite3_stmt *st, struct qs_file *f)
{
	int oom = 0;

	f->id = sqlite3_column_int64(st, 0);
	f->run_id = sqlite3_column_int64(st, 1);
	f->date = col_text(a, st, 2, &oom);
	f->url = col_text(a, st, 3, &oom);
	f->fetched_at = col_text(a, st, 4, &oom);
	f->error = col_text(a, st, 5, &oom);
	f->http_status = sqlite3_column_int64(st, 6);
	f->fixed_by = col_ll(st, 7, 0);
	return oom ? -1 : 0;
}

/* Steps st to the end, reading each row into an array grown in the arena
 * (size elem, at most max rows). */
static int
read_all(struct query_status *qs, struct arena *a, enum stmt s, size_t max,
    size_t elem, int (*reader)(struct arena *, sqlite3_stmt *, void *),
    void **rows, size_t *n)
{
	sqlite3_stmt *st = qs->st[s];
	char *out;
	int rc;

	*rows = NULL;
	*n = 0;
	if ((out = arena_calloc(a, max > 0 ? max : 1, elem)) == NULL) {
		done(st);
		log_err("query_status: out of memory");
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max) {
		if (reader(a, st, out + *n * elem) != 0) {
			done(st);
			log_err("query_status: out of memory");
			return -1;
		}
		(*n)++;
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		done(st);
		return fail(qs, "reading the job log");
	}
	done(st);
	*rows = out;
	return 0;
}

static int
forecast_run_reader(struct arena *a, sqlite3_stmt *st, void *row)
{
	struct qs_forecast_run *r = row;
	int oom = 0;

	r->id = sqlite3_column_int64(st, 0);
	r->started_at = col_text(a, st, 1, &oom);
	r->finished_at = col_text(a, st, 2, &oom);
	r->seconds = col_ll(st, 3, -1);
	r->status = col_text(a, st, 4, &oom);
	r->origins = sqlite3_column_int64(st, 5);
	r->rows_written = sqlite3_column_int64(st, 6);
	r->message = col_text(a, st, 7, &oom);
	return oom ? -1 : 0;
}

static int
run_reader(struct arena *a, sqlite3_stmt *st, void *row)
{
	return read_run(a, st, row);
}

static int
file_reader(struct arena *a, sqlite3_stmt *st, void *row)
{
	return read_file(a, st, row);
}

int
query_status_runs(struct query_status *qs, struct arena *a, size_t limit,
    struct qs_run **runs, size_t *n)
{
	void *rows;
	int rc;

	if (sqlite3_bind_int64(qs->st[S_RUNS], 1, (long long)limit) != SQLITE_OK)
		return fail(qs, "bind");
	rc = read_all(qs, a, S_RUNS, limit, sizeof **runs, run_reader, &rows, n);
	*runs = rows;
	return rc;
}

/* One row of a statement that returns at most one. */
static int
one(struct query_status *qs, struct arena *a, enum stmt s,
    int (*reader)(struct arena *, sqlite3_stmt *, void *), void *row)
{
	sqlite3_stmt *st = qs->st[s];
	int rc = sqlite3_step(st), found = 0;

	if (rc == SQLITE_ROW) {
		if (reader(a, st, row) != 0) {
			done(st);
			log_err("query_status: out of memory");
			return -1;
		}
		found = 1;
	} else if (rc != SQLITE_DONE) {
		done(st);
		return fail(qs, "reading the job log");
	}
	done(st);
	return found;
}

int
query_status_last_run(struct query_status *qs, struct arena *a, struct qs_run *run)
{
	return one(qs, a, S_LAST_RUN, run_reader, run);
}

int
query_status_last_ok(struct query_status *qs, struct arena *a, struct qs_run *run)
{
	return one(qs, a, S_LAST_OK, run_reader, run);
}

int
query_status_failed(struct query_status *qs, struct arena *a, size_t runs,
    size_t limit, struct qs_file **files, size_t *n)
{
	void *rows;
	int rc;

	if (sqlite3_bind_int64(qs->st[S_FAILED], 1, (long long)runs) != SQLITE_OK ||
	    sqlite3_bind_int64(qs->st[S_FAILED], 2, (long long)limit) != SQLITE_OK)
		return fail(qs, "bind");
	rc = read_all(qs, a, S_FAILED, limit, sizeof **files, file_reader, &rows, n);
	*files = rows;
	return rc;
}

int
query_status_behind(struct query_status *qs, struct arena *a, const char *newest,
    struct qs_file *file)
{
	if (sqlite3_bind_text(qs->st[S_BEHIND], 1, newest, -1, SQLITE_STATIC) != SQLITE_OK)
		return fail(qs, "bind");
	return one(qs, a, S_BEHIND, file_reader, file);
}

int
query_status_check(struct query_status *qs, int *version)
{
	sqlite3_stmt *st = qs->st[S_CHECK];
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		*version = sqlite3_column_int(st, 0);
	done(st);
	return rc == SQLITE_ROW ? 0 : fail(qs, "schema version");
}

int
query_status_forecast_runs(struct query_status *qs, struct arena *a,
    size_t limit, struct qs_forecast_run **runs, size_t *n)
{
	void *rows;
	int rc;

	if (sqlite3_bind_int64(qs->st[S_FC_RUNS], 1, (long long)limit) != SQLITE_OK)
		return fail(qs, "bind");
	rc = read_all(qs, a, S_FC_RUNS, limit, sizeof **runs, forecast_run_reader,
	    &rows, n);
	*runs = rows;
	return rc;
}
