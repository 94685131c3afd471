/* http: request parsing, validators and response headers (see http.h);
 * the error page is page.c's. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/date.h"
#include "base/log.h"
#include "base/numfmt.h"
#include "base/utf8.h"
#include "web/escape.h"
#include "web/http.h"

static uint32_t build_id;

void
http_req_reset(struct http_req *r)
{
	/* The buffers at the end are written before they are read. */
	memset(r, 0, offsetof(struct http_req, errbuf));
	r->errbuf[0] = '\0';
	r->data_version = -1;
}

/* Percent-decodes a path (no '+' rule in paths). Refuses %00, a malformed
 * escape and control characters. Returns 0 or -1. */
static int
path_decode(char *dst, size_t dstlen, const char *src, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)src[i];
		if (c == '%') {
			char hex[3];
			long v;
			char *end;
			if (i + 2 >= len)
				return -1;
			hex[0] = src[i + 1];
			hex[1] = src[i + 2];
			hex[2] = '\0';
			if (hex[0] == '+' || hex[0] == '-' || hex[0] == ' ')
				return -1;
			v = strtol(hex, &end, 16);
			if (*end != '\0')
				return -1;
			c = (unsigned char)v;
			i += 2;
		}
		if (c < 0x20 || c == 0x7f || n + 1 >= dstlen)
			return -1;
		dst[n++] = (char)c;
	}
	dst[n] = '\0';
	return 0;
}

/* A path as the program routes on: absolute, no control characters, no "."
 * or ".." segments (nginx's DOCUMENT_URI is already normalised; the
 * REQUEST_URI fallback is not). */
static int
path_ok(const char *p)
{
	if (p[0] != '/')
		return 0;
	for (const char *s = p; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
		if (s[0] == '/' && s[1] == '.' &&
		    (s[2] == '/' || s[2] == '\0' ||
		    (s[2] == '.' && (s[3] == '/' || s[3] == '\0'))))
			return 0;
	}
	return 1;
}

static void
set_bad_status(struct http_req *r, int status, const char *why)
{
	if (!r->bad) {
		r->bad = 1;
		r->bad_why = why;
		r->bad_status = status;
	}
}

static void
set_bad(struct http_req *r, const char *why)
{
	set_bad_status(r, 400, why);
}

/* The reasons name the limits; these keep them true. */
_Static_assert(HTTP_MAX_QUERY == 8192 && HTTP_MAX_PAIRS == 1024,
    "the messages in parse_query name HTTP_MAX_QUERY and HTTP_MAX_PAIRS");

static void
parse_path(struct http_req *r, const char *doc, const char *uri,
    const char *path_info)
{
	if (doc != NULL && *doc != '\0') {
		if (strlen(doc) >= sizeof r->path) {
			set_bad(r, "The address is too long.");
			strcpy(r->path, "/");
			return;
		}
		strcpy(r->path, doc);
	} else if (uri != NULL && *uri != '\0') {
		size_t len = strcspn(uri, "?#");
		if (len >= sizeof r->path ||
		    path_decode(r->path, sizeof r->path, uri, len) != 0) {
			set_bad(r, "The address is malformed or too long.");
			strcpy(r->path, "/");
			return;
		}
	} else if (path_info != NULL && *path_info != '\0' &&
	    strlen(path_info) < sizeof r->path) {
		strcpy(r->path, path_info);   /* CGI from a shell */
	} else
		strcpy(r->path, "/");
	if (!path_ok(r->path)) {
		set_bad(r, "The address is malformed.");
		strcpy(r->path, "/");
	}
}

static void
parse_query(struct http_req *r, const char *qs)
{
	size_t qlen, pos = 0, used = 0;

	if (qs == NULL || (qlen = strlen(qs)) == 0)
		return;
	if (qlen > HTTP_MAX_QUERY) {
		set_bad_status(r, 414, "The query string is too long: this site accepts "
		    "at most 8192 bytes.");
		return;
	}
	while (pos < qlen) {
		size_t plen = strcspn(qs + pos, "&"), nlen;
		const char *pair = qs + pos, *eq;
		struct http_field *f;
		long n;

		pos += plen + 1;
		if (plen == 0)
			continue;   /* "a=1&&b=2" */
		if (r->npairs == HTTP_MAX_PAIRS) {
			set_bad(r, "The query string has too many parameters: this "
			    "site accepts at most 1024.");
			return;
		}
		eq = memchr(pair, '=', plen);
		nlen = eq ? (size_t)(eq - pair) : plen;
		f = &r->pairs[r->npairs];
		memset(f, 0, sizeof *f);
		f->key = HTTP_KEY_NONE;

		/* Decoded text is never longer than its source: qbuf holds the
		 * whole query plus a NUL per name and per value. */
		f->name = r->qbuf + used;
		if ((n = url_decode(r->qbuf + used, pair, nlen)) < 0) {
			set_bad(r, "The query string is not properly encoded.");
			return;
		}
		used += (size_t)n + 1;
		f->val = r->qbuf + used;
		n = eq ? url_decode(r->qbuf + used, eq + 1, plen - nlen - 1) : 0;
		if (n < 0) {
			set_bad(r, "The query string is not properly encoded.");
			return;
		}
		if (!eq)
			r->qbuf[used] = '\0';
		f->vlen = (size_t)n;
		used += (size_t)n + 1;
		r->npairs++;

		for (size_t k = 0; k < r->nkeys; k++) {
			const struct http_key *key = &r->keys[k];
			struct http_field **tail;
			if (strcmp(key->name, f->name) != 0)
				continue;
			f->key = k;
			if (r->field[k] != NULL && !(key->flags & HTTP_KEY_REPEAT))
				r->dup |= 1u << k;
			for (tail = &r->field[k]; *tail != NULL; tail = &(*tail)->next)
				;
			*tail = f;
			f->ok = key->valid ? key->valid(f, key) : 1;
			break;
		}
	}
}

void
http_parse(struct http_req *r, const struct http_key *keys, size_t nkeys,
    const char *(*param)(const char *name, void *ctx), void *ctx)
{
	const char *m = param("REQUEST_METHOD", ctx), *qs, *uri;

	if (nkeys > HTTP_MAX_KEYS) {
		log_err("http: %zu keys declared, at most %d", nkeys, HTTP_MAX_KEYS);
		nkeys = HTTP_MAX_KEYS;
	}
	r->keys = keys;
	r->nkeys = nkeys;
	if (m == NULL || strcmp(m, "GET") == 0)
		r->method = HTTP_GET;
	else if (strcmp(m, "HEAD") == 0)
		r->method = HTTP_HEAD;
	else if (strcmp(m, "POST") == 0)
		r->method = HTTP_POST;
	else
		r->method = HTTP_OTHER;
	parse_path(r, param("DOCUMENT_URI", ctx), param("REQUEST_URI", ctx),
	    param("PATH_INFO", ctx));
	/* QUERY_STRING is always set by nginx; a bare CGI run may only have
	 * the query inside REQUEST_URI. */
	if ((qs = param("QUERY_STRING", ctx)) == NULL &&
	    (uri = param("REQUEST_URI", ctx)) != NULL &&
	    (qs = strchr(uri, '?')) != NULL)
		qs++;
	parse_query(r, qs);
	r->if_none_match = param("HTTP_IF_NONE_MATCH", ctx);
	r->if_modified_since = param("HTTP_IF_MODIFIED_SINCE", ctx);
}

const struct http_field *
http_get(const struct http_req *r, size_t key)
{
	const struct http_field *f;

	if (key >= r->nkeys || (f = r->field[key]) == NULL || !f->ok)
		return NULL;
	return f;
}

/*
 * Validators.
 */

int
http_valid_enum(struct http_field *f, const struct http_key *k)
{
	for (size_t i = 0; k->choices != NULL && k->choices[i] != NULL; i++)
		if (strcmp(f->val, k->choices[i]) == 0) {
			f->num = (long long)i;
			return 1;
		}
	return 0;
}

int
http_valid_int(struct http_field *f, const struct http_key *k)
{
	const char *s = f->val;
	long long v = 0;
	int neg = 0;

	/* Plain decimal only: no "+", spaces, "0x" or exponents (strtoll
	 * would take some of those). At most 18 digits cannot overflow. */
	if (*s == '-') {
		neg = 1;
		s++;
	}
	if (*s == '\0' || strlen(s) > 18)
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		v = v * 10 + (*s - '0');
	}
	if (neg)
		v = -v;
	if (v < k->min || v > k->max)
		return 0;
	f->num = v;
	return 1;
}

int
http_valid_date(struct http_field *f, const struct http_key *k)
{
	long d = date_days(f->val);

	(void)k;
	if (d < 0)
		return 0;
	f->num = d;
	return 1;
}

/* Valid UTF-8 (utf8_decode's strict rule) without control characters. */
static int
text_ok(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		int n = utf8_decode(s + i, len - i, &cp);

		if (n == 0)
			return 0;
		/* C0 controls, DEL, C1 controls */
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
			return 0;
		i += (size_t)n;
	}
	return 1;
}

int
http_valid_text(struct http_field *f, const struct http_key *k)
{
	if (k->max > 0 && f->vlen > (size_t)k->max)
		return 0;
	return text_ok((const unsigned char *)f->val, f->vlen);
}

/* What key k accepts, for a 400 page: from the key table, never the input. */
static void
describe(const struct http_key *k, char *buf, size_t len)
{
	size_t n;

	if (k->valid == http_valid_enum) {
		n = (size_t)snprintf(buf, len, "The parameter \xe2\x80\x9c%s\xe2\x80\x9d "
		    "must be one of:", k->name);
		for (size_t i = 0; k->choices && k->choices[i] && n < len; i++)
			n += (size_t)snprintf(buf + n, len - n, "%s %s",
			    i ? "," : "", k->choices[i]);
		if (n < len)
			snprintf(buf + n, len - n, ".");
	} else if (k->valid == http_valid_int)
		snprintf(buf, len, "The parameter \xe2\x80\x9c%s\xe2\x80\x9d must be a "
		    "whole number from %lld to %lld.", k->name, k->min, k->max);
	else if (k->valid == http_valid_date)
		snprintf(buf, len, "The parameter \xe2\x80\x9c%s\xe2\x80\x9d must be a "
		    "date written YYYY-MM-DD, such as 2021-01-31.", k->name);
	else if (k->valid == http_valid_text)
		snprintf(buf, len, "The parameter \xe2\x80\x9c%s\xe2\x80\x9d must be text "
		    "of at most %lld bytes, without control characters.",
		    k->name, k->max);
	else
		snprintf(buf, len, "The parameter \xe2\x80\x9c%s\xe2\x80\x9d has a value "
		    "this page does not accept.", k->name);
}

int
http_check(struct http_req *r, unsigned mask)
{
	if (r->bad) {
		snprintf(r->errbuf, sizeof r->errbuf, "%s", r->bad_why);
		return -1;
	}
	for (size_t k = 0; k < r->nkeys; k++) {
		if (!(mask & (1u << k)) || r->field[k] == NULL)
			continue;
		if (r->dup & (1u << k)) {
			snprintf(r->errbuf, sizeof r->errbuf, "The parameter "
			    "\xe2\x80\x9c%s\xe2\x80\x9d was given more than once.",
			    r->keys[k].name);
			return -1;
		}
		for (const struct http_field *f = r->field[k]; f; f = f->next)
			if (!f->ok) {
				describe(&r->keys[k], r->errbuf, sizeof r->errbuf);
				return -1;
			}
	}
	return 0;
}

/*
 * Responses.
 */

void
http_set_build_id(uint32_t id)
{
	build_id = id;
}

void
http_etag(const struct http_req *r, char *buf, size_t len)
{
	/* "\"v%lld-%08x\"", put together by hand: it is on every response. */
	static const char hex[] = "0123456789abcdef";
	uint32_t id = r->has_variant ? r->variant : build_id;
	char tmp[48];
	size_t n = 0;

	tmp[n++] = '"';
	tmp[n++] = 'v';
	n += fmt_int(tmp + n, r->data_version);
	tmp[n++] = '-';
	for (int shift = 28; shift >= 0; shift -= 4)
		tmp[n++] = hex[(id >> shift) & 15];
	tmp[n++] = '"';
	if (len == 0)
		return;
	if (n >= len)
		n = len - 1;
	memcpy(buf, tmp, n);
	buf[n] = '\0';
}

/* Whether the If-None-Match list names etag (weak comparison: W/ ignored,
 * because nginx's gzip weakens the tags it passes on). */
static int
inm_matches(const char *list, const char *etag)
{
	const char *p = list;
	size_t elen = strlen(etag);

	while (*p) {
		const char *start;
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '*')
			return 1;
		if (p[0] == 'W' && p[1] == '/')
			p += 2;
		if (*p != '"')
			return 0;   /* malformed: treat as no match */
		start = p;
		p = strchr(p + 1, '"');
		if (p == NULL)
			return 0;
		p++;
		if ((size_t)(p - start) == elen && memcmp(start, etag, elen) == 0)
			return 1;
	}
	return 0;
}

int
http_not_modified(const struct http_req *r)
{
	char etag[48];
	time_t lm, ims;

	if (r->data_version < 0 || (r->method != HTTP_GET && r->method != HTTP_HEAD))
		return 0;
	if (r->if_none_match != NULL) {
		http_etag(r, etag, sizeof etag);
		return inm_matches(r->if_none_match, etag);
	}
	/* A date later than now is not a valid If-Modified-Since (RFC 9110,
	 * 13.1.3): a client must not be able to pin its copy forever. */
	if (r->if_modified_since != NULL &&
	    (lm = date_parse_iso(r->refreshed_at)) >= 0 &&
	    (ims = date_parse_http(r->if_modified_since)) >= 0 &&
	    ims <= time(NULL))
		return lm <= ims;
	return 0;
}

const char *
http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default:  return "Unknown";
	}
}

/* No inline script or style anywhere: scripts and styles come from /static/.
 * Inline SVG is markup, not script, and its presentation attributes are not
 * styles, so charts need nothing more. */
#define CSP "default-src 'none'; script-src 'self'; style-src 'self'; " \
	"img-src 'self' data:; connect-src 'self'; form-action 'self'; " \
	"base-uri 'none'; frame-ancestors 'none'"

/* One header line, "Name: value\r\n". */
static void
header(struct sink *out, const char *name, const char *value)
{
	sink_puts(out, name);
	sink_write(out, ": ", 2);
	sink_puts(out, value);
	sink_write(out, "\r\n", 2);
}

int
http_headers(struct http_req *r, struct sink *out, const struct http_resp *h)
{
	int status = h->status;
	char buf[64];
	time_t lm;

	if (r->status != 0) {
		log_err("http: headers sent twice for %s", r->path);
		return 0;
	}
	if (status == 200 && h->cache == HTTP_CACHE_DATA && http_not_modified(r))
		status = 304;
	r->status = status;

	/* No printf on this path: it runs for every response. */
	sink_puts(out, "Status: ");
	sink_int(out, status);
	sink_write(out, " ", 1);
	sink_puts(out, http_reason(status));
	sink_write(out, "\r\n", 2);
	if (status != 304)
		header(out, "Content-Type", h->type ? h->type : "text/html; charset=utf-8");
	switch (h->cache) {
	case HTTP_CACHE_DATA:
		if (status != 200 && status != 304) {
			sink_puts(out, "Cache-Control: no-store\r\n");
			break;
		}
		if (r->data_version >= 0) {
			http_etag(r, buf, sizeof buf);
			header(out, "ETag", buf);
		}
		if ((lm = date_parse_iso(r->refreshed_at)) >= 0) {
			date_http(lm, buf, sizeof buf);
			header(out, "Last-Modified", buf);
		}
		/* Pages change only when an ingest changes the data. Five minutes
		 * of staleness after that is fine; after it, revalidating is a
		 * cheap 304. */
		sink_puts(out, "Cache-Control: public, max-age=300\r\n");
		break;
	case HTTP_CACHE_SHORT:
		sink_puts(out, "Cache-Control: public, max-age=60\r\n");
		break;
	case HTTP_CACHE_NONE:
		sink_puts(out, "Cache-Control: no-store\r\n");
		break;
	}
	sink_puts(out, "Content-Security-Policy: " CSP "\r\n"
	    "X-Content-Type-Options: nosniff\r\n"
	    "Referrer-Policy: strict-origin-when-cross-origin\r\n");
	if (status == 405) {
		unsigned allow = h->allow ? h->allow : HTTP_ALLOW_GET;
		sink_printf(out, "Allow: %s%s%s\r\n",
		    allow & (1u << HTTP_GET) ? "GET" : "",
		    allow & (1u << HTTP_HEAD) ? ", HEAD" : "",
		    allow & (1u << HTTP_POST) ? ", POST" : "");
	}
	if (h->filename != NULL && status == 200) {
		sink_puts(out, "Content-Disposition: attachment; filename=\"");
		esc_header_filename(out, h->filename);
		sink_puts(out, "\"\r\n");
	}
	if (r->extra_headers != NULL)
		sink_puts(out, r->extra_headers);
	sink_puts(out, "\r\n");
	if (r->method == HTTP_HEAD || status == 304) {
		r->discard_body = 1;
		return 0;
	}
	return 1;
}
