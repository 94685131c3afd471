/* fetch: one GET with libcurl, done carefully: http, https and file only,
 * connect and total timeouts, a low-speed limit (a stalled server fails),
 * a body size cap, conditional HTTP requests (If-None-Match /
 * If-Modified-Since), and the body's SHA-256, computed as the bytes arrive.
 * A file:// URL is always read whole: its mtime (whole seconds, kept by
 * cp -p, rsync -t, tar, restores) cannot tell that a file changed, so only
 * the bytes can. The body lands in memory, or (body_to_file) in an unlinked
 * temporary file, so that a large body costs disk, not memory. */
#ifndef COVID_FETCH_H
#define COVID_FETCH_H

#include <stddef.h>
#include <stdio.h>

struct fetch_limits {
	long   connect_timeout_s;   /* default 15 */
	long   total_timeout_s;     /* default 120 */
	long   low_speed_bytes;     /* below this many bytes/s ... default 100 */
	long   low_speed_time_s;    /* ... for this long fails. default 20 */
	size_t max_body;            /* default 64 MiB; the file's size too */
	int    body_to_file;        /* 1: the body goes to fetch_result.file,
	                             * not .body. default 0 */
};

struct fetch_result {
	long   http_status;         /* 200, 304, 404, ...; 0 for file:// */
	int    not_modified;        /* 304 */
	int    not_found;           /* 404/410 or a missing file:// file */
	char  *body;                /* malloc'd, NUL-terminated; NULL when none
	                             * (and always with body_to_file) */
	FILE  *file;                /* with body_to_file: the body, len bytes
	                             * from offset 0, in an unlinked temporary
	                             * file in $TMPDIR (else /tmp), positioned at
	                             * 0; NULL when none */
	size_t len;
	char   etag[256];           /* "" when none */
	char   last_modified[64];   /* "" when none; for file:// the mtime */
	char   date[64];            /* the response's Date; "" when none (file://) */
	char   sha256[65];          /* hex of body; "" when none */
	char   error[256];          /* why it failed; "" when it did not */
};

int  fetch_global_init(void);   /* curl_global_init; once per process */
void fetch_global_cleanup(void);

void fetch_limits_default(struct fetch_limits *l);

/* GETs url. etag / last_modified (may be NULL or "") make an HTTP request
 * conditional; a file:// URL ignores them and is read whole.
 * Returns 0 when a response was received and judged acceptable (2xx with a
 * body, or 304), -1 otherwise with the reason in r->error (connection
 * refused, timeout, stalled, over the size cap, HTTP 4xx/5xx, truncated
 * transfer, ...). Free with fetch_result_free. */
int fetch_get(const char *url, const struct fetch_limits *l, const char *etag,
    const char *last_modified, struct fetch_result *r);
void fetch_result_free(struct fetch_result *r);

/* Whether last_modified, received in a response whose Date header was date,
 * is a strong validator (RFC 9110, 8.8.2.2): at least 60 seconds before the
 * Date. A file changed twice within a second keeps its Last-Modified, so a
 * weak one proves nothing; also weak when either date is missing or cannot
 * be read. Returns 1 or 0. */
int fetch_last_modified_strong(const char *last_modified, const char *date);

#endif
