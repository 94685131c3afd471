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
#include "store/store.h"

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
notify_decide(const struct run_record *run, const struct run_record *prev,
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

void
notify_after_run(const char *url, const char *db_path, time_t since,
    int exit_status)
{
	struct run_record run = { 0 }, prev = { 0 };
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
		have_run = store_run_find(db, after, (long long)getpid(), &run);
		if (have_run == 1 &&
		    (have_prev = store_run_before(db, run.id, &prev)) < 0)
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
	store_run_record_free(&run);
	store_run_record_free(&prev);
}
