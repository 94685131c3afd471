/* http: the request surface of a FastCGI program, in one place.
 *
 * Parsing: the method, the path (nginx's DOCUMENT_URI, else REQUEST_URI
 * without its query) and the query string, split into pairs and matched
 * against the program's declared keys (kcgi's kvalid): each key has a
 * validator; values that fail are kept apart with the reason; a key given
 * twice that is not declared repeatable is refused; undeclared keys are kept
 * but never used.
 *
 * Answering: http_headers() writes every response header (Status,
 * Content-Type, ETag, Last-Modified, Cache-Control, the security headers,
 * Allow), answers If-None-Match / If-Modified-Since with 304, and tells the
 * caller whether a body may follow (not for HEAD or 304: the output sink then
 * drops anything written anyway). error_page() (page.h) is the one way to
 * say no. */
#ifndef COVID_HTTP_H
#define COVID_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "base/sink.h"

enum http_method { HTTP_GET, HTTP_HEAD, HTTP_POST, HTTP_OTHER };
#define HTTP_ALLOW_GET ((1u << HTTP_GET) | (1u << HTTP_HEAD))

/* The limits of one request, and so the memory it may use: a request is
 * parsed into one struct http_req (static, one per process; no allocation),
 * about 75 kB with these values. The export form (/downloads) can send
 * every country it lists (about 200 "country=ISO&" pairs, ~2.5 kB) plus six
 * more fields, the province up to 100 characters percent-encoded (~0.9 kB):
 * 206 pairs and under 4 kB, well inside both caps. A query past a cap is
 * refused whole (r->bad): 414 for its length, 400 for its pairs, each with a
 * reason that names the limit.
 *
 * nginx must let such a request line through to be answered here: it reads
 * the request line into one of its large_client_header_buffers (default
 * 8 kB: a query at this cap would not fit), so both sites raise it to 16 kB
 * (etc/nginx/); past that nginx answers 414 itself. */
enum {
	HTTP_MAX_KEYS  = 32,     /* declared keys per program (a bit mask) */
	HTTP_MAX_PAIRS = 1024,   /* query pairs per request (56 bytes each) */
	HTTP_MAX_QUERY = 8192,   /* bytes of query string (twice that in qbuf) */
	HTTP_MAX_PATH  = 1024,   /* bytes of path */
};
#define HTTP_KEY_NONE ((size_t)-1)

struct http_field;
struct http_key;

/* A validator: parses f->val; on success sets f->num (a number, a date's day
 * count or an enum index) and returns 1; returns 0 when the value is bad. */
typedef int (*http_valid_fn)(struct http_field *f, const struct http_key *k);

struct http_key {
	const char         *name;
	http_valid_fn       valid;
	const char *const  *choices;    /* http_valid_enum: NULL-terminated */
	long long           min, max;   /* http_valid_int; text: max length */
	unsigned            flags;      /* HTTP_KEY_REPEAT */
};
#define HTTP_KEY_REPEAT 1u

/* One name=value pair of the query string, decoded. */
struct http_field {
	size_t              key;     /* index into the key table, or HTTP_KEY_NONE */
	const char         *name;
	const char         *val;
	size_t              vlen;
	int                 ok;      /* passed its validator */
	long long           num;     /* set by the validator */
	struct http_field  *next;    /* the next value of the same key */
};

/* The validators. Enum values match exactly; ints are plain decimal within
 * [min, max]; dates are YYYY-MM-DD and real (num = days since 1970-01-01);
 * text is valid UTF-8 without control characters, at most max bytes. */
int http_valid_enum(struct http_field *f, const struct http_key *k);
int http_valid_int(struct http_field *f, const struct http_key *k);
int http_valid_date(struct http_field *f, const struct http_key *k);
int http_valid_text(struct http_field *f, const struct http_key *k);

/* Everything about one request. Reset (http_req_reset) every time round the
 * accept loop: nothing in it outlives its request. */
struct http_req {
	enum http_method    method;
	char                path[HTTP_MAX_PATH];
	const struct http_key *keys;
	size_t              nkeys;
	struct http_field   pairs[HTTP_MAX_PAIRS];
	size_t              npairs;
	struct http_field  *field[HTTP_MAX_KEYS];  /* first value of each key */
	unsigned            dup;                   /* keys given twice (bits) */
	int                 bad;          /* the request as a whole is malformed */
	const char         *bad_why;      /* ... because (a fixed string) */
	int                 bad_status;   /* ... so answer this: 400 or 414 */
	const char         *if_none_match;      /* as sent, or NULL */
	const char         *if_modified_since;
	/* Set by the program before answering; they make ETag, Last-Modified
	 * and the footer. data_version < 0: unknown (no database). */
	long long           data_version;
	char                refreshed_at[24];   /* "2023-03-10T04:21:03Z" or "" */
	char                newest_date[11];    /* "2023-03-09" or "" */
	/* What the ETag names besides the data version: the program's build id
	 * (http_set_build_id), unless the response is one variant of many
	 * (an export: a hash of what the file depends on) and says so here. */
	int                 has_variant;
	uint32_t            variant;
	/* More header lines the program made itself for this response
	 * (Location, WWW-Authenticate), each ending "\r\n"; never raw
	 * input. NULL: none. */
	const char         *extra_headers;
	/* The response so far. */
	int                 status;        /* sent, or 0 */
	int                 discard_body;  /* HEAD or 304: the sink drops writes */
	char                errbuf[512];   /* error_page's reason, built here */
	char                qbuf[2 * HTTP_MAX_QUERY + 2];  /* decoded pairs */
};

void http_req_reset(struct http_req *r);

/* Fills r from the request's CGI parameters, read through param(name, ctx)
 * (FCGX_GetParam in the loop, a table in tests). Never fails: problems are
 * recorded (r->bad, field->ok, r->dup) for the program to answer. */
void http_parse(struct http_req *r, const struct http_key *keys, size_t nkeys,
    const char *(*param)(const char *name, void *ctx), void *ctx);

/* The first value of key, when it was given and valid; else NULL. */
const struct http_field *http_get(const struct http_req *r, size_t key);

/* Checks the keys in mask (bit i = key i, the ones this page reads): returns
 * 0 when all that were given are valid and single, else -1 with a reason that
 * names the key and what it accepts in r->errbuf (never the value sent). */
int http_check(struct http_req *r, unsigned mask);

/* Cache policy of a response. */
enum http_cache {
	HTTP_CACHE_NONE,   /* no-store: errors that may pass, 5xx */
	HTTP_CACHE_DATA,   /* ETag + Last-Modified from the data version */
	HTTP_CACHE_SHORT,  /* public, a minute: 404s */
};

struct http_resp {
	int              status;
	const char      *type;      /* NULL: text/html; charset=utf-8 */
	enum http_cache  cache;
	unsigned         allow;     /* 405: the methods allowed (bits) */
	const char      *filename;  /* Content-Disposition: attachment, or NULL */
};

/* The program's identity in ETags (a hash of its templates and version),
 * set once at start-up; a response of its own kind sets r->variant. */
void http_set_build_id(uint32_t id);
/* The ETag a 200 carries now, e.g. "\"v42-1a2b3c4d\"" (buf >= 40 bytes). */
void http_etag(const struct http_req *r, char *buf, size_t len);
/* Whether the client's validators match (If-None-Match, else
 * If-Modified-Since): the page would be the same, answer 304. */
int http_not_modified(const struct http_req *r);

/* Writes all headers. Returns 1 when a body should follow, 0 when not
 * (HEAD, 304: r->discard_body is set so the sink drops anything written). */
int http_headers(struct http_req *r, struct sink *out, const struct http_resp *h);

/* The reason phrase of a status ("Not Found"). */
const char *http_reason(int status);

#endif
