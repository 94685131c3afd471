/* intake_db: cases.db's statements, the batch transaction and the figures
 * (see intake_db.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/sink.h"
#include "base/sql_stmts.h"
#include "intake/intake_db.h"
#include "store/db.h"
#include "store/migrations.h"

enum stmt {
	S_BEGIN, S_COMMIT, S_ROLLBACK, S_INSERT, S_IDEM_GET, S_IDEM_PUT,
	S_PAGE, S_COUNTS, S_TOP, S_LAST, S_READ_BEGIN, S_SAVEPOINT, S_RELEASE,
	S_ROLLBACK_TO, S__MAX
};

static const char *const sql[S__MAX] = {
	/* IMMEDIATE: the write lock at once, so two workers never both read,
	 * then fail to upgrade (SQLITE_BUSY that the busy timeout cannot wait
	 * out). */
	[S_BEGIN]    = "BEGIN IMMEDIATE",
	[S_COMMIT]   = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",
	[S_INSERT]   = "INSERT INTO cases (name, location, age, infectedtype, "
	    "state, reported_at, received_at, writer) VALUES (?,?,?,?,?,?,?,?)",
	[S_IDEM_GET] = "SELECT body_sha256, ids FROM idempotency "
	    "WHERE writer = ? AND key = ?",
	[S_IDEM_PUT] = "INSERT INTO idempotency (writer, key, body_sha256, ids, "
	    "created_at) VALUES (?,?,?,?,?)",
	[S_PAGE]     = "SELECT id, name, location, age, infectedtype, state, "
	    "reported_at, received_at, writer FROM cases WHERE id > ? "
	    "ORDER BY id LIMIT ?",
	[S_COUNTS]   = "SELECT dim, key, n FROM live_counts "
	    "WHERE dim IN ('total', 'age', 'infectedtype', 'state')",
	[S_TOP]      = "SELECT key, n FROM live_counts WHERE dim = 'location' "
	    "ORDER BY n DESC, key LIMIT ?",
	[S_LAST]     = "SELECT id, location, age, infectedtype, state, received_at "
	    "FROM cases ORDER BY id DESC LIMIT ?",
	[S_READ_BEGIN] = "BEGIN",
	/* One per request in a group commit: a request's cases are all
	 * stored or none, whatever the others in its transaction do. */
	[S_SAVEPOINT]   = "SAVEPOINT request",
	[S_RELEASE]     = "RELEASE request",
	[S_ROLLBACK_TO] = "ROLLBACK TO request",
};

struct intake_db {
	sqlite3      *db;
	sqlite3_stmt *st[S__MAX];
};

struct intake_db *
intake_db_open(const char *path, const char *sync)
{
	struct intake_db *d = calloc(1, sizeof *d);

	if (d == NULL)
		return NULL;
	if ((d->db = db_open_rw_with(path, cases_migrations, cases_migrations_count,
	    sync)) == NULL ||
	    sql_stmts_prepare(d->db, sql, d->st, S__MAX, "intake") != 0) {
		intake_db_close(d);
		return NULL;
	}
	return d;
}

void
intake_db_close(struct intake_db *d)
{
	if (d == NULL)
		return;
	sql_stmts_finalize(d->st, S__MAX);
	sqlite3_close(d->db);
	free(d);
}

/* Runs a statement without results; 0, or -1 after logging. */
static int
run(struct intake_db *d, enum stmt s)
{
	int rc = sqlite3_step(d->st[s]);

	sqlite3_reset(d->st[s]);
	if (rc != SQLITE_DONE) {
		log_err("intake: %s: %s", sql[s], sqlite3_errmsg(d->db));
		return -1;
	}
	return 0;
}

static void
now_iso(char buf[21])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int
insert_case(struct intake_db *d, const struct intake_case *c, const char *when,
    const char *writer, long long *id)
{
	sqlite3_stmt *st = d->st[S_INSERT];
	int rc;

	sqlite3_bind_text(st, 1, c->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->location, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, c->age);
	sqlite3_bind_text(st, 4, intake_infectedtypes[c->infectedtype], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, intake_states[c->state], -1, SQLITE_STATIC);
	if (c->reported_at[0])
		sqlite3_bind_text(st, 6, c->reported_at, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 6);
	sqlite3_bind_text(st, 7, when, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, writer, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE) {
		log_err("intake: insert: %s", sqlite3_errmsg(d->db));
		return -1;
	}
	*id = sqlite3_last_insert_rowid(d->db);
	return 0;
}

/* The key's earlier answer, when there is one: 1 (same body: *ids), 2
 * (another body), 0 (none), -1 (error). */
static int
idem_lookup(struct intake_db *d, const char *writer, const char *key,
    const char *sha, struct arena *a, const char **ids)
{
	sqlite3_stmt *st = d->st[S_IDEM_GET];
	int rc, found = 0;

	sqlite3_bind_text(st, 1, writer, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		found = strcmp((const char *)sqlite3_column_text(st, 0), sha) == 0 ? 1 : 2;
		*ids = arena_strdup(a, (const char *)sqlite3_column_text(st, 1));
		if (*ids == NULL)
			found = -1;
	} else if (rc != SQLITE_DONE) {
		log_err("intake: idempotency: %s", sqlite3_errmsg(d->db));
		found = -1;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return found;
}

static int
idem_put(struct intake_db *d, const char *writer, const char *key,
    const char *sha, const char *ids, const char *when)
{
	sqlite3_stmt *st = d->st[S_IDEM_PUT];

	sqlite3_bind_text(st, 1, writer, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, sha, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, ids, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, when, -1, SQLITE_STATIC);
	return run(d, S_IDEM_PUT);
}

/* One request's cases and key, inside the open transaction, under a
 * savepoint of its own: its result, with j->ids when stored or replayed. */
static enum intake_store_result
store_job(struct intake_db *d, struct intake_job *j, const char *when)
{
	struct membuf m = { 0 };
	struct sink s = membuf_sink(&m);
	int prior;

	j->ids = NULL;
	if (run(d, S_SAVEPOINT) != 0)
		return INTAKE_STORE_FAILED;
	if (j->key != NULL &&
	    (prior = idem_lookup(d, j->writer, j->key, j->body_sha256, j->arena,
	    &j->ids)) != 0) {
		run(d, S_RELEASE);
		return prior == 1 ? INTAKE_REPLAYED : prior == 2 ?
		    INTAKE_KEY_CONFLICT : INTAKE_STORE_FAILED;
	}
	sink_write(&s, "[", 1);
	for (size_t i = 0; i < j->batch->n; i++) {
		long long id;
		if (insert_case(d, &j->batch->cases[i], when, j->writer, &id) != 0)
			goto fail;
		if (i > 0)
			sink_write(&s, ",", 1);
		sink_int(&s, id);
	}
	sink_write(&s, "]", 1);
	if (s.failed || (j->ids = arena_strdup(j->arena, m.data)) == NULL)
		goto fail;
	if (j->key != NULL &&
	    idem_put(d, j->writer, j->key, j->body_sha256, j->ids, when) != 0)
		goto fail;
	if (run(d, S_RELEASE) != 0)
		goto fail;
	membuf_free(&m);
	return INTAKE_STORED;
fail:
	run(d, S_ROLLBACK_TO);
	run(d, S_RELEASE);
	membuf_free(&m);
	j->ids = NULL;
	return INTAKE_STORE_FAILED;
}

size_t
intake_db_store_jobs(struct intake_db *d, struct intake_job *jobs, size_t n)
{
	char when[21];
	size_t stored = 0;

	for (size_t i = 0; i < n; i++)
		jobs[i].result = INTAKE_STORE_FAILED;
	if (run(d, S_BEGIN) != 0)
		return 0;
	now_iso(when);
	for (size_t i = 0; i < n; i++)
		if ((jobs[i].result = store_job(d, &jobs[i], when)) == INTAKE_STORED)
			stored++;
	if (run(d, S_COMMIT) == 0)
		return stored;
	/* Nothing of it is stored: a failed COMMIT may leave the
	 * transaction open; end it. */
	if (!sqlite3_get_autocommit(d->db))
		run(d, S_ROLLBACK);
	for (size_t i = 0; i < n; i++) {
		jobs[i].result = INTAKE_STORE_FAILED;
		jobs[i].ids = NULL;
	}
	return 0;
}

enum intake_store_result
intake_db_store(struct intake_db *d, const char *writer, const char *key,
    const char *body_sha256, const struct intake_batch *b, struct arena *a,
    const char **ids)
{
	struct intake_job j = { writer, key, body_sha256, b, a, NULL,
	    INTAKE_STORE_FAILED };

	intake_db_store_jobs(d, &j, 1);
	*ids = j.ids;
	return j.result;
}

static const char *
col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

long
intake_db_page(struct intake_db *d, long long after, int limit,
    void (*fn)(const struct intake_row *row, void *arg), void *arg)
{
	sqlite3_stmt *st = d->st[S_PAGE];
	long n = 0;
	int rc;

	sqlite3_bind_int64(st, 1, after);
	sqlite3_bind_int(st, 2, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct intake_row r = {
			sqlite3_column_int64(st, 0), col_text(st, 1), col_text(st, 2),
			col_text(st, 4), col_text(st, 5), col_text(st, 6),
			col_text(st, 7), col_text(st, 8), sqlite3_column_int(st, 3)
		};
		fn(&r, arg);
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		log_err("intake: reading cases: %s", sqlite3_errmsg(d->db));
		return -1;
	}
	return n;
}

/* The index of s in choices, or -1. */
static int
choice(const char *const *choices, const char *s)
{
	for (int i = 0; choices[i] != NULL; i++)
		if (strcmp(choices[i], s) == 0)
			return i;
	return -1;
}

static int
read_counts(struct intake_db *d, struct live_figures *f)
{
	sqlite3_stmt *st = d->st[S_COUNTS];
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *dim = col_text(st, 0), *key = col_text(st, 1);
		long long n = sqlite3_column_int64(st, 2);
		int i;

		if (strcmp(dim, "total") == 0)
			f->total = n;
		else if (strcmp(dim, "age") == 0 && (i = atoi(key)) >= 0 &&
		    i < INTAKE_AGE_BANDS)
			f->age[i] = n;
		else if (strcmp(dim, "infectedtype") == 0 &&
		    (i = choice(intake_infectedtypes, key)) >= 0)
			f->by_type[i] = n;
		else if (strcmp(dim, "state") == 0 &&
		    (i = choice(intake_states, key)) >= 0)
			f->by_state[i] = n;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
read_top(struct intake_db *d, struct arena *a, struct live_figures *f)
{
	sqlite3_stmt *st = d->st[S_TOP];
	long long shown = 0;
	int rc;

	sqlite3_bind_int(st, 1, LIVE_TOP_AREAS);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && f->nareas < LIVE_TOP_AREAS) {
		struct live_count *c = &f->areas[f->nareas++];
		c->key = arena_strdup(a, col_text(st, 0));
		c->n = sqlite3_column_int64(st, 1);
		shown += c->n;
	}
	sqlite3_reset(st);
	f->other = f->total - shown;
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

static int
read_last(struct intake_db *d, struct arena *a, struct live_figures *f)
{
	sqlite3_stmt *st = d->st[S_LAST];
	int rc;

	sqlite3_bind_int(st, 1, LIVE_LAST);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && f->nlast < LIVE_LAST) {
		struct live_case *c = &f->last[f->nlast++];
		c->id = sqlite3_column_int64(st, 0);
		c->location = arena_strdup(a, col_text(st, 1));
		c->age_band = intake_age_band(sqlite3_column_int(st, 2));
		c->infectedtype = arena_strdup(a, col_text(st, 3));
		c->state = arena_strdup(a, col_text(st, 4));
		c->received_at = arena_strdup(a, col_text(st, 5));
	}
	sqlite3_reset(st);
	if (f->nlast > 0)
		f->last_id = f->last[0].id;
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

static int
read_figures(struct intake_db *d, struct arena *a, struct live_figures *f)
{
	memset(f, 0, sizeof *f);
	f->by_type = arena_calloc(a, intake_choice_count(intake_infectedtypes),
	    sizeof *f->by_type);
	f->by_state = arena_calloc(a, intake_choice_count(intake_states),
	    sizeof *f->by_state);
	if (f->by_type == NULL || f->by_state == NULL)
		return -1;
	return read_counts(d, f) == 0 && read_top(d, a, f) == 0 &&
	    read_last(d, a, f) == 0 ? 0 : -1;
}

int
intake_db_figures(struct intake_db *d, struct arena *a, struct live_figures *f)
{
	int rc;

	/* One snapshot: the total, the areas and the last cases agree. */
	if (run(d, S_READ_BEGIN) != 0)
		return -1;
	rc = read_figures(d, a, f);
	run(d, S_COMMIT);
	if (rc != 0)
		log_err("intake: reading the figures: %s", sqlite3_errmsg(d->db));
	return rc;
}
