/* ingest: the run loop of covid-ingest (see ingest.h).
 *
 * Per date: GET (conditional over HTTP, with what was stored for the same
 * URL: see ingest_request_validators) -> unchanged (304 or same SHA-256:
 * job log only) or parse -> store atomically. A date that fails leaves its
 * previous rows alone (store_date_abort) and is recorded with its reason;
 * the other dates go on. A backfill (a range of dates, or more than one new date) commits
 * its dates in batches (store_batch_*): a commit per date rewrote one page
 * per place of the per-place index every time, most of a backfill's cost.
 * The first new date of a run without dates (the daily timer's run) is
 * committed on its own, at once. Consistency under SIGKILL comes from the
 * store: each date is one transaction or one savepoint of a batch, and a
 * run left 'running' is marked 'interrupted' by the next run
 * (store_run_recover, under the lock), which does the lost work again. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "base/date.h"
#include "base/log.h"
#include "base/numfmt.h"
#include "base/vdir.h"
#include "ingest/daily_parse.h"
#include "ingest/fetch.h"
#include "ingest/ingest.h"
#include "ingest/ingest_series.h"
#include "ingest/refetch.h"
#include "ingest/runlock.h"
#include "store/db.h"
#include "store/store.h"

enum { RAW_MAX = 1024 };   /* bytes of a rejected row kept in rejected_row.raw */

/* ---- dates ---------------------------------------------------------------- */

int
ingest_parse_date(const char *s, long *day)
{
	/* date_days is strict (real calendar days only) but answers -1 both for
	 * "not a date" and for 1969-12-31; no date of ours is that early. */
	long d = date_days(s);

	if (d < 0)
		return -1;
	*day = d;
	return 0;
}

void
ingest_format_date(long day, char out[11])
{
	date_ymd(day, out);
}

void
ingest_file_name(long day, char out[15])
{
	int y, m, d;
	char *p = out;

	date_to_civil(day, &y, &m, &d);
	p += fmt_uint_padded(p, (unsigned)m, 2);
	*p++ = '-';
	p += fmt_uint_padded(p, (unsigned)d, 2);
	*p++ = '-';
	p += fmt_uint_padded(p, (unsigned)y, 4);
	memcpy(p, ".csv", 5);
}

long
ingest_today(void)
{
	return (long)(time(NULL) / 86400);
}

/* source's folder above, then /name, into out. */
static int
beside_source(const char *source, const char *name, char *out, size_t outlen)
{
	const char *auth = strstr(source, "://"), *path, *slash;
	size_t len = strlen(source);

	if (auth == NULL)
		return -1;
	/* The path starts at the first '/' after the authority (which is empty
	 * in file:///x). */
	if ((path = strchr(auth + 3, '/')) == NULL)
		return -1;
	while (len > (size_t)(path - source) && source[len - 1] == '/')
		len--;
	if (len <= (size_t)(path - source))
		return -1;              /* no folder to go up from */
	for (slash = source + len - 1; *slash != '/'; slash--)
		;
	if ((size_t)snprintf(out, outlen, "%.*s/%s", (int)(slash - source),
	    source, name) >= outlen)
		return -1;
	return 0;
}

int
ingest_default_lookup(const char *source, char *out, size_t outlen)
{
	return beside_source(source, "UID_ISO_FIPS_LookUp_Table.csv", out, outlen);
}

int
ingest_default_series(const char *source, char *out, size_t outlen)
{
	return beside_source(source, "csse_covid_19_time_series", out, outlen);
}

/* ---- the run -------------------------------------------------------------- */

/* SIGINT/SIGTERM: finish or abandon the current date cleanly, then stop.
 * SA_RESETHAND makes a second signal kill at once (still consistent). */
static volatile sig_atomic_t stop_signal;

static void
on_stop(int sig)
{
	stop_signal = sig;
}

enum outcome { DATE_LOADED, DATE_UNCHANGED, DATE_FAILED, DATE_MISSING, DATE_FATAL };

struct run {
	const struct ingest_opts *o;
	sqlite3            *db;
	struct store       *st;
	sqlite3_stmt       *count_rows;   /* rows loaded now for a date */
	long long           id;
	struct run_counts   c;
	struct run_counts   pend;         /* the part of c not committed yet */
	int                 batching;
	int                 skipped;      /* --skip-missing dates the source lacked */
	int                 lookup_loaded;
	struct series_job   series;       /* the time series' part */
	char                fatal[300];   /* why the run stopped early */
	int                 progress_shown;
};

static const char *
era_name(enum daily_era e)
{
	switch (e) {
	case ERA_1_PROVINCE_SLASH: return "era 1";
	case ERA_2_LATITUDE:       return "era 2";
	case ERA_3_FIPS:           return "era 3";
	case ERA_4_INCIDENCE:      return "era 4";
	case ERA_5_INCIDENT:       return "era 5";
	default:                   return "unknown era";
	}
}

/* Log lines must not land in the middle of the progress line. */
static void
progress_clear(struct run *r)
{
	if (r->progress_shown) {
		fputs("\r\033[K", stderr);
		r->progress_shown = 0;
	}
}

/* "Working on date n of total" (total 0: unknown), shown while it is
 * fetched. */
static void
progress_show(struct run *r, const char *date, int done, int total)
{
	if (!r->o->progress)
		return;
	if (total > 0)
		fprintf(stderr, "\r\033[Kcovid-ingest: %s (%d/%d), %lld rows so far",
		    date, done, total, r->c.rows_loaded);
	else
		fprintf(stderr, "\r\033[Kcovid-ingest: %s (date %d), %lld rows so far",
		    date, done, r->c.rows_loaded);
	fflush(stderr);
	r->progress_shown = 1;
}

/* Rows currently loaded for date: the truncation guard's yardstick. */
static long long
loaded_rows(struct run *r, const char *date)
{
	long long n = -1;

	if (sqlite3_bind_text(r->count_rows, 1, date, -1, SQLITE_STATIC) == SQLITE_OK &&
	    sqlite3_step(r->count_rows) == SQLITE_ROW)
		n = sqlite3_column_int64(r->count_rows, 0);
	else
		log_err("database: counting rows of %s: %s", date, sqlite3_errmsg(r->db));
	sqlite3_reset(r->count_rows);
	sqlite3_clear_bindings(r->count_rows);
	return n;
}

/* A rejected row's raw text, cut to RAW_MAX bytes, line end excluded. */
static void
raw_text(const struct daily_parser *p, const struct fetch_result *f,
    char out[RAW_MAX + 1])
{
	size_t start, end;

	daily_parser_span(p, &start, &end);
	if (start > end || end > f->len)
		start = end = 0;
	if (end - start > RAW_MAX)
		end = start + RAW_MAX;
	memcpy(out, f->body + start, end - start);
	out[end - start] = '\0';
}

/* The lookup table is fetched once per run, and only when a date is about to
 * be loaded: a run where nothing changed costs one request per date. */
static int
ensure_lookup(struct run *r)
{
	struct fetch_result f;
	int rc = -1;

	if (r->lookup_loaded)
		return 0;
	if (fetch_get(r->o->lookup, &r->o->limits, NULL, NULL, &f) != 0) {
		snprintf(r->fatal, sizeof r->fatal, "lookup table %s: %s",
		    r->o->lookup, f.error);
	} else if (store_load_lookup(r->st, f.body, f.len) != 0) {
		snprintf(r->fatal, sizeof r->fatal, "lookup table %s: not loaded "
		    "(see the errors above)", r->o->lookup);
	} else {
		r->lookup_loaded = 1;
		rc = 0;
	}
	fetch_result_free(&f);
	return rc;
}

static enum outcome
fail(struct run *r, const struct fetch_record *rec, const char *why)
{
	progress_clear(r);
	log_err("%s: failed: %s (%s)", rec->date, why, rec->url);
	store_file_failed(r->st, r->id, rec, why);
	return DATE_FAILED;
}

/* The portal's page cache (COVID_PAGE_CACHE; src/portal/portal_cache.h),
 * which nginx answers from: its pages must not stay current once the data
 * moved. Withdrawn (under the cache's lock) unless they are of the version
 * the database holds now: after every commit that moved the data (a
 * backfill's batches, a date of its own, a series file), and at the end of
 * every run, also one that changed nothing (a run killed after its commit
 * left them current). */
static void
withdraw_old_pages(sqlite3 *db)
{
	const char *root = getenv("COVID_PAGE_CACHE");
	long long version;

	if (root == NULL || *root == '\0' || (version = db_data_version(db)) < 0)
		return;
	if (vdir_withdraw_unless(root, version) > 0)
		log_info("page cache: pages before data version %lld withdrawn", version);
}

/* Parses the body into the open date transaction. Returns 0, or -1 with the
 * reason in why. */
static int
load_rows(struct run *r, struct daily_parser *p, const struct fetch_result *f,
    long long old_rows, char *why, size_t whylen)
{
	struct daily_row row;
	char err[256], raw[RAW_MAX + 1];
	long long good = 0;
	int n;

	while ((n = daily_parser_next(p, &row, err, sizeof err)) != 0) {
		if (stop_signal) {
			snprintf(why, whylen, "interrupted by signal %d", (int)stop_signal);
			return -1;
		}
		if (n == 1) {
			if (store_date_row(r->st, &row) != 0) {
				snprintf(why, whylen, "database error storing line %ld",
				    row.line);
				return -1;
			}
			good++;
		} else if (n == -1) {
			raw_text(p, f, raw);
			if (store_date_reject(r->st, row.line, err, raw) != 0) {
				snprintf(why, whylen, "database error recording rejected "
				    "line %ld", row.line);
				return -1;
			}
		} else {
			snprintf(why, whylen, "%s%s", strstr(err, "truncated") != NULL ?
			    "" : "truncated body: ", err);
			return -1;
		}
	}
	if (good == 0) {
		snprintf(why, whylen, "no rows could be read");
		return -1;
	}
	/* A body much shorter than what is loaded is more likely cut off than
	 * a real revision: keep the old rows and say so. */
	if (good * 2 < old_rows) {
		snprintf(why, whylen, "only %lld rows where %lld are loaded: "
		    "truncated? (kept the old rows)", good, old_rows);
		return -1;
	}
	return 0;
}

/* One date: fetch, compare, parse, store. missing_fails: a date the source
 * lacks is a failure (recorded) rather than DATE_MISSING (not recorded). */
static enum outcome
do_date(struct run *r, long day, int missing_fails)
{
	char date[11], file[15], url[4200], why[512];
	struct source_state stored;
	struct fetch_record rec;
	struct fetch_result f;
	struct daily_parser *p;
	long long old_rows, loaded = 0, rejected = 0;
	enum outcome out;
	int have, rc;

	ingest_format_date(day, date);
	ingest_file_name(day, file);
	snprintf(url, sizeof url, "%s/%s", r->o->source, file);
	memset(&rec, 0, sizeof rec);
	rec.date = date;
	rec.url = url;

	if ((have = store_source_get(r->st, date, url, &stored)) < 0) {
		snprintf(r->fatal, sizeof r->fatal, "database error reading %s", date);
		return DATE_FATAL;
	}
	rc = ingest_refetch(url, &r->o->limits, have, &stored, &f, &rec);
	/* The progress line covers the wait for the network; what follows logs. */
	progress_clear(r);
	if (rc == REFETCH_FAILED && f.not_found && !missing_fails) {
		fetch_result_free(&f);
		return DATE_MISSING;
	}
	if (rc != REFETCH_NEW) {
		if (rc == REFETCH_FAILED)
			out = fail(r, &rec, f.error);
		else if (rc == REFETCH_BOGUS_304)
			out = fail(r, &rec, "304 Not Modified to an unconditional request");
		else {
			log_info("%s: unchanged (%s)", date,
			    f.not_modified ? "not modified" : "same SHA-256");
			out = store_file_unchanged(r->st, r->id, &rec) == 0 ?
			    DATE_UNCHANGED : fail(r, &rec, "database error");
		}
		fetch_result_free(&f);
		return out;
	}

	if (ensure_lookup(r) != 0) {
		fail(r, &rec, r->fatal);
		fetch_result_free(&f);
		return DATE_FATAL;
	}
	if ((p = daily_parser_new(f.body, f.len, why, sizeof why)) == NULL) {
		out = fail(r, &rec, why);
		fetch_result_free(&f);
		return out;
	}
	if ((old_rows = loaded_rows(r, date)) < 0 ||
	    store_date_begin(r->st, r->id, &rec) != 0) {
		out = fail(r, &rec, "database error starting the date");
	} else if (load_rows(r, p, &f, old_rows, why, sizeof why) != 0) {
		store_date_abort(r->st);
		out = fail(r, &rec, why);
	} else if (store_date_commit(r->st, &loaded, &rejected) != 0) {
		store_date_abort(r->st);
		out = fail(r, &rec, "database error committing the date");
	} else {
		progress_clear(r);
		if (rejected > 0)
			log_warn("%s: loaded %lld rows, rejected %lld (%s)", date,
			    loaded, rejected, era_name(daily_parser_era(p)));
		else
			log_info("%s: loaded %lld rows (%s%s)", date, loaded,
			    era_name(daily_parser_era(p)), have ? ", revised" : "");
		r->c.rows_loaded += loaded;
		r->c.rows_rejected += rejected;
		r->pend.rows_loaded += loaded;
		r->pend.rows_rejected += rejected;
		out = DATE_LOADED;
		if (!r->batching)   /* committed now: else at its batch's commit */
			withdraw_old_pages(r->db);
	}
	daily_parser_free(p);
	fetch_result_free(&f);
	return out;
}

static void
count_into(struct run_counts *c, enum outcome o)
{
	switch (o) {
	case DATE_LOADED:    c->dates_tried++; c->dates_loaded++; break;
	case DATE_UNCHANGED: c->dates_tried++; c->dates_unchanged++; break;
	case DATE_FAILED:    c->dates_tried++; c->dates_failed++; break;
	case DATE_FATAL:     c->dates_tried++; c->dates_failed++; break;
	case DATE_MISSING:   break;
	}
}

static void
count(struct run *r, enum outcome o)
{
	count_into(&r->c, o);
	count_into(&r->pend, o);
}

/* ---- batches ---- */

static int
batch_start(struct run *r)
{
	long rows = r->o->batch_rows > 0 ? r->o->batch_rows : INGEST_BATCH_ROWS;
	long secs = r->o->batch_seconds > 0 ? r->o->batch_seconds :
	    INGEST_BATCH_SECONDS;

	if (store_batch_begin(r->st, rows, (double)secs) != 0) {
		snprintf(r->fatal, sizeof r->fatal, "database error starting a batch");
		return -1;
	}
	memset(&r->pend, 0, sizeof r->pend);
	r->batching = 1;
	return 0;
}

/* Commits the open batch. When that fails, none of its dates is in the
 * database: the counters say they failed, and the run stops (the next run
 * does them again). */
static int
batch_commit(struct run *r)
{
	struct run_counts *p = &r->pend;
	int n = p->dates_tried;

	if (store_batch_commit(r->st) == 0) {
		if (p->dates_loaded > 0)
			withdraw_old_pages(r->db);
		memset(p, 0, sizeof *p);
		return 0;
	}
	r->c.dates_loaded -= p->dates_loaded;
	r->c.dates_unchanged -= p->dates_unchanged;
	r->c.dates_failed += p->dates_loaded + p->dates_unchanged;
	r->c.rows_loaded -= p->rows_loaded;
	r->c.rows_rejected -= p->rows_rejected;
	memset(p, 0, sizeof *p);
	snprintf(r->fatal, sizeof r->fatal, "database error: a batch of %d date%s "
	    "was not committed (the next run does %s again)", n, n == 1 ? "" : "s",
	    n == 1 ? "it" : "them");
	return -1;
}

/* After a date: commits the batch when it has reached its budget. */
static int
batch_check(struct run *r)
{
	if (!r->batching || !store_batch_due(r->st))
		return 0;
	return batch_commit(r);
}

static int
batch_end(struct run *r)
{
	int rc;

	if (!r->batching)
		return 0;
	rc = batch_commit(r);
	store_batch_end(r->st);
	r->batching = 0;
	return rc;
}

/* --from/--to: every date in the range; failures do not stop the others. */
static void
run_range(struct run *r)
{
	const struct ingest_opts *o = r->o;
	int total = (int)(o->to - o->from + 1);
	char date[11];
	long day;

	if (o->to > o->from && batch_start(r) != 0)
		return;
	for (day = o->from; day <= o->to && !stop_signal; day++) {
		enum outcome out;

		ingest_format_date(day, date);
		progress_show(r, date, (int)(day - o->from + 1), total);
		out = do_date(r, day, !o->skip_missing);
		count(r, out);
		if (out == DATE_MISSING) {
			r->skipped++;
			progress_clear(r);
			log_info("%s: not in the source, skipped", date);
		}
		if (out == DATE_FATAL || batch_check(r) != 0)
			return;
	}
}

/* No dates: every date after the newest loaded, up to the first the source
 * does not have. Stops at the first failure too, so that the next run retries
 * it instead of leaving a gap behind a newer date. */
static void
run_new(struct run *r)
{
	char newest[11] = "", date[11], file[15];
	long day = 0, today = ingest_today();
	int done = 0;

	if (store_newest_date(r->st, newest) != 0) {
		snprintf(r->fatal, sizeof r->fatal, "database error reading the newest date");
		return;
	}
	if (newest[0] == '\0')
		ingest_parse_date(INGEST_FIRST_DATE, &day);
	else if (ingest_parse_date(newest, &day) == 0)
		day++;
	else {
		snprintf(r->fatal, sizeof r->fatal, "newest loaded date '%s' is not a "
		    "date", newest);
		return;
	}
	for (; day <= today && !stop_signal; day++) {
		enum outcome out;

		ingest_format_date(day, date);
		progress_show(r, date, done + 1, 0);
		out = do_date(r, day, 0);
		count(r, out);
		if (out == DATE_MISSING) {
			ingest_file_name(day, file);
			progress_clear(r);
			if (newest[0] == '\0' && done == 0) {
				/* An empty database and no first report: a wrong --source
				 * more likely than nothing to load. */
				snprintf(r->fatal, sizeof r->fatal, "the source has no %s, the "
				    "first JHU report: check --source (%s)", file, r->o->source);
			} else if (done == 0)
				log_info("nothing new: the source has no %s yet (newest "
				    "loaded: %s)", file, newest);
			else
				log_info("%s: not in the source yet; stopping there", date);
			return;
		}
		if (out != DATE_LOADED && out != DATE_UNCHANGED)
			return;
		/* More than one new date is a catch-up: batched after the first. */
		if (++done == 1) {
			if (batch_start(r) != 0)
				return;
		} else if (batch_check(r) != 0)
			return;
	}
	if (done == 0 && !stop_signal) {
		progress_clear(r);
		log_info("nothing new: %s is loaded, later dates are in the future",
		    newest);
	}
}

static double
elapsed_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static int
prepare(struct run *r)
{
	if (sqlite3_prepare_v3(r->db, "SELECT count(*) FROM daily_report WHERE date = ?1",
	    -1, SQLITE_PREPARE_PERSISTENT, &r->count_rows, NULL) != SQLITE_OK) {
		log_err("database: %s", sqlite3_errmsg(r->db));
		return -1;
	}
	return 0;
}

static int
ensure_lookup_cb(void *arg)
{
	return ensure_lookup(arg);
}

static void
series_committed_cb(void *arg)
{
	withdraw_old_pages(((struct run *)arg)->db);
}

/* The time series, after the dates: the same store, run and lock. */
static void
run_series(struct run *r)
{
	struct series_job *job = &r->series;

	job->st = r->st;
	job->run_id = r->id;
	job->folder = r->o->series;
	job->limits = &r->o->limits;
	job->stop = &stop_signal;
	job->ensure_lookup = ensure_lookup_cb;
	job->committed = series_committed_cb;
	job->arg = r;
	if (ingest_series(job) != 0)
		snprintf(r->fatal, sizeof r->fatal, "%s", job->fatal);
}

/* Everything between taking the lock and releasing it. */
static int
locked_run(struct run *r)
{
	const struct ingest_opts *o = r->o;
	struct timespec t0;
	char counts[384], msg[720], skipped[64], series[128];
	const char *status;
	int failed;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((r->db = db_open_rw(o->db_path)) == NULL)
		return INGEST_EXIT_FAILED;
	if (prepare(r) != 0 || (r->st = store_open(r->db)) == NULL ||
	    store_run_recover(r->st) != 0 ||
	    (r->id = store_run_begin(r->st, o->source)) <= 0)
		return INGEST_EXIT_FAILED;

	/* More than one date into an empty database: a first load, which
	 * builds the per-place indexes at its end (store_bulk.c). */
	if ((!o->have_range || o->to > o->from) && store_bulk_begin(r->st) < 0)
		snprintf(r->fatal, sizeof r->fatal, "database error starting a "
		    "first load");
	else if (o->have_range)
		run_range(r);
	else
		run_new(r);
	batch_end(r);
	if (store_bulk_end(r->st) != 0 && r->fatal[0] == '\0')
		snprintf(r->fatal, sizeof r->fatal, "database error building the "
		    "per-place indexes (the next run builds them)");
	if (o->series != NULL && r->fatal[0] == '\0' && !stop_signal)
		run_series(r);

	progress_clear(r);
	failed = r->c.dates_failed > 0 || r->series.failed > 0 ||
	    r->fatal[0] != '\0';
	if (r->fatal[0] != '\0')
		log_err("stopped: %s", r->fatal);
	skipped[0] = '\0';
	if (r->skipped > 0)
		snprintf(skipped, sizeof skipped, ", %d not in the source (skipped)",
		    r->skipped);
	series[0] = '\0';
	if (o->series != NULL)
		snprintf(series, sizeof series, "; series: %d loaded, %d unchanged, "
		    "%d failed, %d not in the source", r->series.loaded,
		    r->series.unchanged, r->series.failed, r->series.missing);
	snprintf(counts, sizeof counts, "%d dates tried: %d loaded, %d unchanged, "
	    "%d failed%s; %lld rows loaded, %lld rejected%s; %.1f s",
	    r->c.dates_tried, r->c.dates_loaded, r->c.dates_unchanged,
	    r->c.dates_failed, skipped, r->c.rows_loaded, r->c.rows_rejected,
	    series, elapsed_since(&t0));
	/* The job log's message also says why a run stopped early. */
	snprintf(msg, sizeof msg, "%s%s%s", counts, r->fatal[0] ? "; stopped: " : "",
	    r->fatal);
	if (stop_signal) {
		status = "interrupted";
		failed = 1;
		log_warn("interrupted by signal %d", (int)stop_signal);
	} else
		status = failed ? "failed" : "ok";
	if (store_run_end(r->st, r->id, &r->c, status, msg) != 0)
		failed = 1;
	if (failed)
		log_err("done with failures: %s", counts);
	else
		log_info("done: %s", counts);
	return failed ? INGEST_EXIT_FAILED : INGEST_EXIT_OK;
}

int
ingest_run(const struct ingest_opts *o)
{
	struct run r;
	struct sigaction sa;
	pid_t holder;
	int lock, rc;

	memset(&r, 0, sizeof r);
	r.o = o;
	/* The run is one thread: SQLite's mutexes and its memory statistics
	 * (a mutex per allocation) are pure cost, about a tenth of a backfill's
	 * CPU. Before SQLite's first use; where it was used already (it never
	 * is in covid-ingest) it refuses and keeps its defaults. */
	if (sqlite3_config(SQLITE_CONFIG_SINGLETHREAD) != SQLITE_OK ||
	    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK)
		log_info("database: SQLite is initialised already; its defaults stay");
	if ((lock = runlock_acquire(o->db_path, &holder)) == -1) {
		if (holder > 0)
			log_err("another covid-ingest is running (pid %ld) on %s",
			    (long)holder, o->db_path);
		else
			log_err("another covid-ingest is running on %s", o->db_path);
		return INGEST_EXIT_LOCKED;
	}
	if (lock < 0)
		return INGEST_EXIT_FAILED;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sa.sa_flags = SA_RESETHAND;   /* no SA_RESTART: a signal ends a wait */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	rc = locked_run(&r);
	if (r.db != NULL)
		withdraw_old_pages(r.db);

	store_close(r.st);
	sqlite3_finalize(r.count_rows);
	if (r.db != NULL && sqlite3_close(r.db) != SQLITE_OK)
		log_warn("database: close: %s", sqlite3_errmsg(r.db));
	runlock_release(lock);
	return rc;
}
