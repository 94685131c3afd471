/* notify: webhook messages about ingest runs (see notify.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sqlite3.h>

#include "base/env.h"
#include "base/log.h"
#include "base/utf8.h"
#include "ingest/ingest.h"
#include "ingest/notify.h"

enum {
	DEFAULT_TIMEOUT = 10,   /* seconds for the whole POST */
	MAX_ERROR = 300,        /* bytes of a file's error quoted */
	BUSY_MS = 5000,
};

void
json_escape(struct sink *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str, *start = s;
	const unsigned char *end = s + strlen(str);

	while (*s) {
		char esc[8];
		size_t n = (size_t)utf8_decode(s, (size_t)(end - s), NULL);

		if (n > 0 && *s >= 0x20 && *s != '"' && *s != '\\') {
			s += n;
			continue;
		}
		sink_write(out, (const char *)start, (size_t)(s - start));
		switch (*s) {
		case '"':  sink_puts(out, "\\\""); break;
		case '\\': sink_puts(out, "\\\\"); break;
		case '\n': sink_puts(out, "\\n"); break;
		case '\r': sink_puts(out, "\\r"); break;
		case '\t': sink_puts(out, "\\t"); break;
		default:
			if (n == 0)   /* not UTF-8: the replacement character */
				sink_puts(out, "\\ufffd");
			else {
				snprintf(esc, sizeof esc, "\\u%04x", *s);
				sink_puts(out, esc);
			}
			break;
		}
		s++;
		start = s;
	}
	sink_write(out, (const char *)start, (size_t)(s - start));
}

static int
bad(const char *status)
{
	return strcmp(status, "ok") != 0;
}

enum notify_kind
notify_decide(const struct notify_run *run, const struct notify_run *prev,
    int exit_status, const char *host, char *buf, size_t len)
{
	char first[MAX_ERROR + 64] = "";

	if (run == NULL) {
		/* Nothing in the job log: the run failed before it could write
		 * there (the database would not open or migrate), or it was
		 * never a run (another one held the lock; bad usage). */
		if (exit_status != INGEST_EXIT_FAILED)
			return NOTIFY_NONE;
		snprintf(buf, len, "covid-ingest on %s failed before it could "
		    "record a run (exit status %d); see its log.", host, exit_status);
		return NOTIFY_FAILED;
	}
	if (bad(run->status)) {
		if (run->first_date != NULL)
			snprintf(first, sizeof first, " First failed file: %s: %.*s%s",
			    run->first_date, MAX_ERROR, run->first_error,
			    run->files_failed > 1 ? " (and others)." : ".");
		snprintf(buf, len, "covid-ingest on %s: run %lld %s at %s: %s.%s",
		    host, run->id, run->status, run->finished_at, run->message, first);
		return NOTIFY_FAILED;
	}
	if (prev != NULL && bad(prev->status)) {
		snprintf(buf, len, "covid-ingest on %s: recovered: run %lld succeeded "
		    "at %s after run %lld %s: %s.", host, run->id, run->finished_at,
		    prev->id, prev->status, run->message);
		return NOTIFY_RECOVERED;
	}
	return NOTIFY_NONE;
}

int
notify_url_ok(const char *url)
{
	if (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0)
		return 0;
	for (const unsigned char *s = (const unsigned char *)url; *s; s++)
		if (*s <= ' ' || *s == 0x7f)
			return 0;
	return 1;
}

/* The webhook's scheme and host, for log lines: its path is often the
 * secret (Slack's hooks.slack.com/services/T.../B.../token). */
static void
url_site(const char *url, char *buf, size_t len)
{
	const char *h = strstr(url, "://");
	size_t n = h != NULL ? (size_t)(h + 3 - url) + strcspn(h + 3, "/") : 0;

	snprintf(buf, len, "%.*s", (int)n, url);
}

static size_t
discard(char *data, size_t size, size_t n, void *arg)
{
	(void)data;
	(void)arg;
	return size * n;
}

static long
timeout_s(void)
{
	long v;

	/* A notice is not worth stopping the run for: the default will do. */
	if (env_long("COVID_NOTIFY_TIMEOUT", DEFAULT_TIMEOUT, 1, 600, &v) != 0)
		log_warn("notify: using %d seconds", DEFAULT_TIMEOUT);
	return v;
}

int
notify_post(const char *url, const char *text)
{
	struct membuf body = { 0 };
	struct sink s = membuf_sink(&body);
	struct curl_slist *hdr = NULL;
	char site[256], err[CURL_ERROR_SIZE] = "";
	long t = timeout_s(), code = 0;
	CURL *c = NULL;
	CURLcode rc = CURLE_OK;
	int ok = -1;

	url_site(url, site, sizeof site);
	sink_puts(&s, "{\"text\": \"");
	json_escape(&s, text);
	sink_puts(&s, "\"}");
	if (s.failed || (c = curl_easy_init()) == NULL ||
	    (hdr = curl_slist_append(NULL, "Content-Type: application/json")) == NULL) {
		log_warn("notify: out of memory; %s not told", site);
		goto done;
	}
#define SET(opt, val) if (rc == CURLE_OK) rc = curl_easy_setopt(c, opt, val)
	SET(CURLOPT_URL, url);
#if LIBCURL_VERSION_NUM >= 0x075500
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
#else
	SET(CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_CONNECTTIMEOUT, t < 5 ? t : 5L);
	SET(CURLOPT_TIMEOUT, t);
	SET(CURLOPT_HTTPHEADER, hdr);
	SET(CURLOPT_POSTFIELDS, body.data);
	SET(CURLOPT_POSTFIELDSIZE, (long)body.len);
	SET(CURLOPT_USERAGENT, "covid-ingest");
	SET(CURLOPT_WRITEFUNCTION, discard);
	SET(CURLOPT_ERRORBUFFER, err);
#undef SET
	if (rc != CURLE_OK) {
		log_warn("notify: cannot set up the request to %s: %s", site,
		    curl_easy_strerror(rc));
		goto done;
	}
	if ((rc = curl_easy_perform(c)) != CURLE_OK) {
		log_warn("notify: %s not told: %s", site,
		    err[0] ? err : curl_easy_strerror(rc));
		goto done;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	if (code < 200 || code > 299) {
		log_warn("notify: %s answered HTTP %ld; not told", site, code);
		goto done;
	}
	log_info("notify: told %s", site);
	ok = 0;
done:
	curl_slist_free_all(hdr);
	if (c != NULL)
		curl_easy_cleanup(c);
	membuf_free(&body);
	return ok;
}

/*
 * The job log.
 */

struct log_reader {
	sqlite3      *db;
	sqlite3_stmt *st;
};

#define RUN_COLS "id, status, COALESCE(finished_at, ''), COALESCE(message, '')"

/* Copies a text column; "" for NULL. malloc'd; NULL when out of memory. */
static char *
col(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return strdup(s != NULL ? (const char *)s : "");
}

static void
run_free(struct notify_run *r)
{
	free((char *)r->status);
	free((char *)r->finished_at);
	free((char *)r->message);
	free((char *)r->first_date);
	free((char *)r->first_error);
	memset(r, 0, sizeof *r);
}

/* Runs sql (binding a text and an integer as ?1 and ?2 when given) and reads
 * its one row of RUN_COLS into r. 1 found, 0 not, -1 error. */
static int
read_run(sqlite3 *db, const char *sql, const char *text, long long num,
    struct notify_run *r)
{
	sqlite3_stmt *st;
	int rc, found = 0;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (text != NULL)
		sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, text != NULL ? 2 : 1, num);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r->id = sqlite3_column_int64(st, 0);
		r->status = col(st, 1);
		r->finished_at = col(st, 2);
		r->message = col(st, 3);
		found = r->status && r->finished_at && r->message ? 1 : -1;
	} else if (rc != SQLITE_DONE)
		found = -1;
	sqlite3_finalize(st);
	return found;
}

/* The first failed file of run r and how many failed. */
static int
read_failures(sqlite3 *db, struct notify_run *r)
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
		r->first_date = col(st, 0);
		r->first_error = col(st, 1);
		r->files_failed = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

void
notify_after_run(const char *url, const char *db_path, time_t since,
    int exit_status)
{
	struct notify_run run = { 0 }, prev = { 0 };
	char host[256] = "", after[24], text[2048];
	int have_run = 0, have_prev = 0;
	sqlite3 *db = NULL;
	struct tm tm;

	if (exit_status == INGEST_EXIT_USAGE || exit_status == INGEST_EXIT_LOCKED)
		return;   /* not a run */
	if (gethostname(host, sizeof host - 1) != 0)
		snprintf(host, sizeof host, "this host");
	gmtime_r(&since, &tm);
	strftime(after, sizeof after, "%Y-%m-%dT%H:%M:%SZ", &tm);
	/* The run wrote its row as this process (pid) after since: a pid
	 * alone may have run before, in another boot or container. */
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
		sqlite3_busy_timeout(db, BUSY_MS);
		have_run = read_run(db, "SELECT " RUN_COLS " FROM ingest_run "
		    "WHERE started_at >= ?1 AND pid = ?2 ORDER BY id DESC LIMIT 1",
		    after, (long long)getpid(), &run);
		if (have_run == 1 && (read_failures(db, &run) != 0 ||
		    (have_prev = read_run(db, "SELECT " RUN_COLS " FROM ingest_run "
		    "WHERE id < ?1 AND status <> 'running' ORDER BY id DESC LIMIT 1",
		    NULL, run.id, &prev)) < 0))
			have_run = -1;
	} else
		have_run = -1;
	if (have_run < 0)
		log_warn("notify: cannot read the job log in %s: %s", db_path,
		    db != NULL ? sqlite3_errmsg(db) : "out of memory");
	sqlite3_close(db);

	switch (notify_decide(have_run == 1 ? &run : NULL,
	    have_prev == 1 ? &prev : NULL, exit_status, host, text, sizeof text)) {
	case NOTIFY_FAILED:
	case NOTIFY_RECOVERED:
		notify_post(url, text);
		break;
	case NOTIFY_NONE:
		break;
	}
	run_free(&run);
	run_free(&prev);
}
