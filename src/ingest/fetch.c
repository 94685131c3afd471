/* fetch: one careful GET with libcurl (see fetch.h).
 *
 * One easy handle is kept for the whole process and curl_easy_reset() between
 * requests: reset keeps the connection cache, so a backfill of a thousand
 * files from one host reuses one TLS connection. The program is
 * single-threaded; this file is not thread-safe. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "base/date.h"
#include "base/sha256.h"
#include "ingest/fetch.h"

enum { MAX_REDIRECTS = 5 };

static CURL *easy;

int
fetch_global_init(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return -1;
	easy = curl_easy_init();
	return easy != NULL ? 0 : -1;
}

void
fetch_global_cleanup(void)
{
	if (easy != NULL)
		curl_easy_cleanup(easy);
	easy = NULL;
	curl_global_cleanup();
}

void
fetch_limits_default(struct fetch_limits *l)
{
	l->connect_timeout_s = 15;
	l->total_timeout_s = 120;
	l->low_speed_bytes = 100;
	l->low_speed_time_s = 20;
	l->max_body = (size_t)64 << 20;
	l->body_to_file = 0;
}

void
fetch_result_free(struct fetch_result *r)
{
	free(r->body);
	r->body = NULL;
	if (r->file != NULL)
		fclose(r->file);   /* unlinked: closing it deletes it */
	r->file = NULL;
	r->len = 0;
}

/* The body as it arrives: hashed, then kept in buf or written to file. The
 * cap is checked here as well as with CURLOPT_MAXFILESIZE_LARGE, because a
 * chunked or compressed response announces no (or not the real) length. */
struct sink {
	char  *buf;
	size_t len, cap, max;
	int    over;
	FILE  *file;                 /* not NULL: the body goes here */
	int    write_errno;          /* why writing to file failed; 0 */
	int    hash_failed;
	struct sha256_stream *hash;
};

/* Appends to the memory body. 0, or -1 when out of memory. */
static int
keep_in_memory(struct sink *s, const char *data, size_t add)
{
	if (s->len + add + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 64 * 1024;
		char *p;

		while (cap < s->len + add + 1)
			cap *= 2;
		if (cap > s->max + 1)
			cap = s->max + 1;
		if ((p = realloc(s->buf, cap)) == NULL)
			return -1;
		s->buf = p;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, data, add);
	s->buf[s->len + add] = '\0';
	return 0;
}

static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;
	size_t add = size * n;

	/* Returning less than given makes libcurl stop with an error. */
	if (add > s->max - s->len) {
		s->over = 1;
		return 0;
	}
	if (sha256_add(s->hash, data, add) != 0) {
		s->hash_failed = 1;
		return 0;
	}
	if (s->file != NULL) {
		errno = 0;
		if (fwrite(data, 1, add, s->file) != add) {
			s->write_errno = errno ? errno : EIO;
			return 0;
		}
	} else if (keep_in_memory(s, data, add) != 0)
		return 0;
	s->len += add;
	return add;
}

/* An unlinked temporary file in $TMPDIR (else /tmp): nothing is left
 * behind whatever happens to the run. NULL with the reason in r. */
static FILE *
temporary_file(struct fetch_result *r)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	FILE *f = NULL;
	int fd = -1;

	if (dir == NULL || dir[0] == '\0')
		dir = "/tmp";
	if ((size_t)snprintf(path, sizeof path, "%s/covid-ingest-XXXXXX", dir) >=
	    sizeof path) {
		snprintf(r->error, sizeof r->error, "TMPDIR is too long");
		return NULL;
	}
	if ((fd = mkstemp(path)) < 0 || unlink(path) != 0 ||
	    (f = fdopen(fd, "w+b")) == NULL) {
		snprintf(r->error, sizeof r->error, "cannot make a temporary file "
		    "in %s: %s", dir, strerror(errno));
		if (fd >= 0) {
			unlink(path);
			close(fd);
		}
		return NULL;
	}
	return f;
}

/* Copies a response header's value, or leaves "" when absent or too long
 * to keep whole (a cut validator would never match again). */
static void
copy_header(CURL *h, const char *name, char *out, size_t outlen)
{
	struct curl_header *hd;

	out[0] = '\0';
	if (curl_easy_header(h, name, 0, CURLH_HEADER, -1, &hd) == CURLHE_OK &&
	    strlen(hd->value) < outlen)
		memcpy(out, hd->value, strlen(hd->value) + 1);
}

/* A stored validator goes back into a request header: refuse anything that
 * could end the header line. */
static int
header_safe(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

/* Adds a request header line; NULL (and the list freed, the reason in r)
 * when out of memory. */
static struct curl_slist *
append_header(struct curl_slist *list, const char *line, struct fetch_result *r)
{
	struct curl_slist *l = curl_slist_append(list, line);

	if (l == NULL) {
		curl_slist_free_all(list);
		snprintf(r->error, sizeof r->error, "out of memory");
	}
	return l;
}

/* For file:// URLs: is the reason the file could not be read that it does
 * not exist? */
static int
file_missing(const char *url)
{
	CURLU *u = curl_url();
	char *path = NULL;
	int missing = 0;

	if (u != NULL && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PATH, &path, CURLU_URLDECODE) == CURLUE_OK)
		missing = access(path, F_OK) != 0 && errno == ENOENT;
	curl_free(path);
	curl_url_cleanup(u);
	return missing;
}

/* Turns a failed transfer into a reason a person can act on. */
static void
explain(struct fetch_result *r, CURLcode cc, const char *errbuf,
    const struct sink *s, const char *url)
{
	const char *detail = errbuf[0] != '\0' ? errbuf : curl_easy_strerror(cc);

	switch (cc) {
	case CURLE_HTTP_RETURNED_ERROR:
		if (r->http_status == 404 || r->http_status == 410) {
			r->not_found = 1;
			snprintf(r->error, sizeof r->error, "not found (HTTP %ld)",
			    r->http_status);
		} else
			snprintf(r->error, sizeof r->error, "HTTP %ld", r->http_status);
		break;
	case CURLE_FILE_COULDNT_READ_FILE:
		if (file_missing(url)) {
			r->not_found = 1;
			snprintf(r->error, sizeof r->error, "not found (no such file)");
		} else
			snprintf(r->error, sizeof r->error, "cannot read file: %s", detail);
		break;
	case CURLE_PARTIAL_FILE:
		snprintf(r->error, sizeof r->error, "truncated transfer: %s", detail);
		break;
	case CURLE_OPERATION_TIMEDOUT:
		/* libcurl reports the low-speed limit as a timeout too. */
		snprintf(r->error, sizeof r->error, "%s: %s",
		    strstr(detail, "too slow") != NULL ? "stalled" : "timed out", detail);
		break;
	case CURLE_FILESIZE_EXCEEDED:
		snprintf(r->error, sizeof r->error, "body over the size cap of %zu bytes",
		    s->max);
		break;
	case CURLE_WRITE_ERROR:
		if (s->over)
			snprintf(r->error, sizeof r->error,
			    "body over the size cap of %zu bytes", s->max);
		else if (s->write_errno != 0)
			snprintf(r->error, sizeof r->error, "cannot write the body "
			    "to a temporary file: %s", strerror(s->write_errno));
		else if (s->hash_failed)
			snprintf(r->error, sizeof r->error, "cannot hash the body "
			    "(out of memory)");
		else
			snprintf(r->error, sizeof r->error, "out of memory reading the body");
		break;
	case CURLE_UNSUPPORTED_PROTOCOL:
		snprintf(r->error, sizeof r->error,
		    "protocol not allowed (http, https and file only): %s", detail);
		break;
	case CURLE_TOO_MANY_REDIRECTS:
		snprintf(r->error, sizeof r->error, "more than %d redirects",
		    MAX_REDIRECTS);
		break;
	default:
		snprintf(r->error, sizeof r->error, "%s", detail);
		break;
	}
}

int
fetch_last_modified_strong(const char *last_modified, const char *date)
{
	time_t lm, now;

	if (last_modified == NULL || date == NULL || last_modified[0] == '\0' ||
	    date[0] == '\0')
		return 0;
	lm = curl_getdate(last_modified, NULL);
	now = curl_getdate(date, NULL);
	return lm != -1 && now != -1 && now - lm >= 60;
}

/* The whole body received: its digest, and the body (the temporary file
 * written to the end and back at its start for the reader) handed from the
 * sink to r. 0, or -1 with the reason in r. */
static int
take_body(struct sink *s, struct fetch_result *r)
{
	if (s->file != NULL && (fflush(s->file) != 0 ||
	    fseek(s->file, 0, SEEK_SET) != 0)) {
		snprintf(r->error, sizeof r->error, "cannot write the body to a "
		    "temporary file: %s", strerror(errno));
		return -1;
	}
	if (sha256_end_hex(s->hash, r->sha256) != 0) {
		s->hash = NULL;   /* freed by sha256_end_hex in every case */
		snprintf(r->error, sizeof r->error, "cannot hash the body "
		    "(out of memory)");
		return -1;
	}
	s->hash = NULL;
	r->body = s->buf;
	r->file = s->file;
	r->len = s->len;
	s->buf = NULL;
	s->file = NULL;
	return 0;
}

int
fetch_get(const char *url, const struct fetch_limits *l, const char *etag,
    const char *last_modified, struct fetch_result *r)
{
	struct sink s = { .max = l->max_body };
	struct curl_slist *hdrs = NULL;
	char errbuf[CURL_ERROR_SIZE] = "", hdr[320];
	curl_off_t filetime = -1;
	CURLcode cc;
	int rc = -1, is_file = strncasecmp(url, "file:", 5) == 0;

	memset(r, 0, sizeof *r);
	if (easy == NULL && (easy = curl_easy_init()) == NULL) {
		snprintf(r->error, sizeof r->error, "cannot start libcurl");
		return -1;
	}
	if ((s.hash = sha256_begin()) == NULL) {
		snprintf(r->error, sizeof r->error, "cannot hash the body "
		    "(out of memory)");
		return -1;
	}
	if (l->body_to_file && (s.file = temporary_file(r)) == NULL) {
		sha256_abandon(s.hash);
		return -1;
	}
	curl_easy_reset(easy);

#define SET(opt, val) do { \
	if ((cc = curl_easy_setopt(easy, opt, val)) != CURLE_OK) { \
		snprintf(r->error, sizeof r->error, "libcurl: %s: %s", #opt, \
		    curl_easy_strerror(cc)); \
		goto out; \
	} \
} while (0)
	SET(CURLOPT_URL, url);
	/* file:// for local mirrors and tests; never let a redirect reach it. */
	SET(CURLOPT_PROTOCOLS_STR, "http,https,file");
	SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_FOLLOWLOCATION, 1L);
	SET(CURLOPT_MAXREDIRS, (long)MAX_REDIRECTS);
	SET(CURLOPT_CONNECTTIMEOUT, l->connect_timeout_s);
	SET(CURLOPT_TIMEOUT, l->total_timeout_s);
	SET(CURLOPT_LOW_SPEED_LIMIT, l->low_speed_bytes);
	SET(CURLOPT_LOW_SPEED_TIME, l->low_speed_time_s);
	SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)l->max_body);
	SET(CURLOPT_FAILONERROR, 1L);     /* >= 400 stops at the headers */
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_ACCEPT_ENCODING, ""); /* what libcurl can decode */
	SET(CURLOPT_USERAGENT, "covid-ingest (libcurl)");
	SET(CURLOPT_FILETIME, 1L);        /* file:// gives its mtime this way */
	SET(CURLOPT_ERRORBUFFER, errbuf);
	SET(CURLOPT_WRITEFUNCTION, on_body);
	SET(CURLOPT_WRITEDATA, &s);
	/* Conditional request, over HTTP only: the stored validators go back
	 * verbatim and only a 304 means "not modified" (CURLOPT_TIMECONDITION
	 * would also make libcurl itself drop a 200 whose Last-Modified is not
	 * newer, even when the server saw a different ETag). A file:// URL is
	 * read whole, whatever was stored: its mtime is no proof (see fetch.h). */
	if (!is_file) {
		if (etag != NULL && etag[0] != '\0' && header_safe(etag) &&
		    (size_t)snprintf(hdr, sizeof hdr, "If-None-Match: %s", etag) < sizeof hdr &&
		    (hdrs = append_header(hdrs, hdr, r)) == NULL)
			goto out;
		if (last_modified != NULL && last_modified[0] != '\0' &&
		    header_safe(last_modified) && (size_t)snprintf(hdr, sizeof hdr,
		    "If-Modified-Since: %s", last_modified) < sizeof hdr &&
		    (hdrs = append_header(hdrs, hdr, r)) == NULL)
			goto out;
		if (hdrs != NULL)
			SET(CURLOPT_HTTPHEADER, hdrs);
	}
#undef SET

	cc = curl_easy_perform(easy);
	curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &r->http_status);
	if (cc != CURLE_OK) {
		explain(r, cc, errbuf, &s, url);
		goto out;
	}
	copy_header(easy, "ETag", r->etag, sizeof r->etag);
	copy_header(easy, "Last-Modified", r->last_modified, sizeof r->last_modified);
	if (!is_file)
		copy_header(easy, "Date", r->date, sizeof r->date);
	if (r->last_modified[0] == '\0' &&
	    curl_easy_getinfo(easy, CURLINFO_FILETIME_T, &filetime) == CURLE_OK &&
	    filetime >= 0)
		date_http((time_t)filetime, r->last_modified,
		    sizeof r->last_modified);

	if (r->http_status == 304) {
		r->not_modified = 1;
		rc = 0;
	} else if (r->http_status != 0 && r->http_status != 200) {
		snprintf(r->error, sizeof r->error, "unexpected HTTP %ld", r->http_status);
	} else if (s.len == 0) {
		snprintf(r->error, sizeof r->error, "empty body");
	} else if (take_body(&s, r) == 0)
		rc = 0;
out:
	sha256_abandon(s.hash);
	if (s.file != NULL)
		fclose(s.file);
	free(s.buf);
	curl_slist_free_all(hdrs);
	/* errbuf lives on this stack frame: the handle must not keep it. */
	curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, NULL);
	return rc;
}
