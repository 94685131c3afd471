/* test_http: request parsing, the validators, http_check's messages, the
 * response headers, conditional requests, HEAD, and error pages. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "base/date.h"
#include "check.h"
#include "web/http.h"
#include "web/page.h"

enum { K_SORT, K_PAGE, K_FROM, K_Q, K_COUNTRY, K__MAX };
static const char *const sorts[] = { "name", "confirmed", "deaths", NULL };
static const struct http_key keys[K__MAX] = {
	{ "sort",    http_valid_enum, sorts, 0, 0, 0 },
	{ "page",    http_valid_int,  NULL, 1, 1000, 0 },
	{ "from",    http_valid_date, NULL, 0, 0, 0 },
	{ "q",       http_valid_text, NULL, 0, 100, 0 },
	{ "country", http_valid_text, NULL, 0, 100, HTTP_KEY_REPEAT },
};

/* CGI parameters for one request: NULL-terminated name, value pairs. */
static const char *const *env;

static const char *
param(const char *name, void *ctx)
{
	(void)ctx;
	for (size_t i = 0; env[i] != NULL; i += 2)
		if (strcmp(env[i], name) == 0)
			return env[i + 1];
	return NULL;
}

static struct http_req r;

static void
parse(const char *const *e)
{
	env = e;
	http_req_reset(&r);
	http_parse(&r, keys, K__MAX, param, NULL);
}

static void
parse_qs(const char *qs)
{
	const char *e[] = { "REQUEST_METHOD", "GET", "DOCUMENT_URI", "/x",
	    "QUERY_STRING", qs, NULL };
	parse(e);
}

static struct membuf out;

static const char *
headers(int status, enum http_cache cache, int *body)
{
	struct http_resp h = { status, NULL, cache, 0, NULL };
	struct sink s;

	out.len = 0;
	if (out.data)
		out.data[0] = '\0';
	s = membuf_sink(&out);
	*body = http_headers(&r, &s, &h);
	return out.data ? out.data : "";
}

static void
test_parse(void)
{
	const char *e1[] = { "REQUEST_METHOD", "GET", "DOCUMENT_URI", "/region/us/new-york",
	    "REQUEST_URI", "/region/us/new-york?x=1", "QUERY_STRING", "", NULL };
	const char *e2[] = { "REQUEST_METHOD", "HEAD", "REQUEST_URI",
	    "/region/c%C3%B4te%20d'ivoire?sort=name", NULL };
	const char *e3[] = { "REQUEST_METHOD", "DELETE", "REQUEST_URI", "/a/../etc/passwd", NULL };
	const char *e4[] = { "REQUEST_METHOD", "POST", "REQUEST_URI", "/a%00b", NULL };
	const char *e5[] = { "REQUEST_URI", "relative", NULL };
	const char *e6[] = { NULL };

	parse(e1);
	CHECK_INT(r.method, HTTP_GET);
	CHECK_STR(r.path, "/region/us/new-york");
	CHECK_INT(r.bad, 0);
	parse(e2);
	CHECK_INT(r.method, HTTP_HEAD);
	CHECK_STR(r.path, "/region/c\xc3\xb4te d'ivoire");
	CHECK(http_get(&r, K_SORT) != NULL && http_get(&r, K_SORT)->num == 0);
	parse(e3);
	CHECK_INT(r.method, HTTP_OTHER);
	CHECK_INT(r.bad, 1);
	CHECK_STR(r.path, "/");
	parse(e4);
	CHECK_INT(r.method, HTTP_POST);
	CHECK_INT(r.bad, 1);
	parse(e5);
	CHECK_INT(r.bad, 1);
	parse(e6);
	CHECK_INT(r.method, HTTP_GET);
	CHECK_STR(r.path, "/");
	CHECK_INT(r.bad, 0);
}

static void
test_query(void)
{
	const struct http_field *f;
	char big[HTTP_MAX_QUERY + 10];

	parse_qs("sort=deaths&page=3&from=2020-02-29&q=Korea%2C+South&utm=x");
	CHECK_INT(http_check(&r, ~0u), 0);
	CHECK_INT(http_get(&r, K_SORT)->num, 2);
	CHECK_INT(http_get(&r, K_PAGE)->num, 3);
	CHECK_INT(http_get(&r, K_FROM)->num, date_days("2020-02-29"));
	CHECK_STR(http_get(&r, K_Q)->val, "Korea, South");
	CHECK_INT(r.npairs, 5);
	CHECK(r.pairs[4].key == HTTP_KEY_NONE);   /* kept, not used */

	/* Repeatable keys chain; others are duplicates. */
	parse_qs("country=France&country=USA&&country=");
	CHECK_INT(http_check(&r, ~0u), 0);
	f = http_get(&r, K_COUNTRY);
	CHECK(f && f->next && f->next->next && !f->next->next->next);
	CHECK_STR(f->next->val, "USA");
	parse_qs("sort=name&sort=deaths");
	CHECK_INT(http_check(&r, ~0u), -1);
	CHECK_STR(r.errbuf, "The parameter \xe2\x80\x9csort\xe2\x80\x9d was given more than once.");
	CHECK_INT(http_check(&r, 1u << K_PAGE), 0);   /* a page not reading sort */

	/* Bad values: the message names the key and what it takes, never the value. */
	parse_qs("sort=%3Cscript%3E");
	CHECK(http_get(&r, K_SORT) == NULL);
	CHECK_INT(http_check(&r, 1u << K_SORT), -1);
	CHECK_STR(r.errbuf, "The parameter \xe2\x80\x9csort\xe2\x80\x9d must be one of: name, confirmed, deaths.");
	CHECK(strstr(r.errbuf, "script") == NULL);
	parse_qs("page=0");
	CHECK_INT(http_check(&r, ~0u), -1);
	CHECK(strstr(r.errbuf, "whole number from 1 to 1000") != NULL);
	parse_qs("page=1001");
	CHECK_INT(http_check(&r, ~0u), -1);
	parse_qs("page=+5");
	CHECK_INT(http_check(&r, ~0u), -1);
	parse_qs("page=0x10");
	CHECK_INT(http_check(&r, ~0u), -1);
	parse_qs("page=99999999999999999999999");
	CHECK_INT(http_check(&r, ~0u), -1);
	parse_qs("page=");
	CHECK_INT(http_check(&r, ~0u), -1);
	parse_qs("from=2021-02-29");
	CHECK_INT(http_check(&r, ~0u), -1);
	CHECK(strstr(r.errbuf, "YYYY-MM-DD") != NULL);
	parse_qs("from=2021-1-5");
	CHECK_INT(http_check(&r, ~0u), -1);
	parse_qs("from=2021-01-05x");
	CHECK_INT(http_check(&r, ~0u), -1);
	parse_qs("q=a%0Ab");              /* control character */
	CHECK_INT(http_check(&r, ~0u), -1);
	parse_qs("q=%C3%28");             /* invalid UTF-8 */
	CHECK_INT(http_check(&r, ~0u), -1);
	parse_qs("q=%C0%AF");             /* overlong */
	CHECK_INT(http_check(&r, ~0u), -1);
	parse_qs("q=%ED%A0%80");          /* surrogate */
	CHECK_INT(http_check(&r, ~0u), -1);
	parse_qs("q=C%C3%B4te+d%27Ivoire%F0%9F%98%80");
	CHECK_INT(http_check(&r, ~0u), 0);
	parse_qs("q=%zz");
	CHECK_INT(r.bad, 1);
	CHECK_INT(http_check(&r, 0), -1);
	CHECK_STR(r.errbuf, "The query string is not properly encoded.");
	parse_qs("q=%00");
	CHECK_INT(r.bad, 1);

	/* Limits. */
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	parse_qs(big);
	CHECK_INT(r.bad, 1);
	CHECK(strstr(r.bad_why, "too long") != NULL);   /* more in test_limits */
	/* A key without '=' has an empty value; a value may hold '='. */
	parse_qs("q&sort=name=x");
	CHECK_STR(r.pairs[0].val, "");
	CHECK_STR(r.pairs[1].val, "name=x");
	CHECK(http_get(&r, K_SORT) == NULL);
}

static void
test_headers(void)
{
	const char *h;
	int body;
	char etag[48], inm[120];
	const char *e[] = { "REQUEST_METHOD", "GET", "DOCUMENT_URI", "/",
	    "HTTP_IF_NONE_MATCH", inm, NULL };
	const char *ehead[] = { "REQUEST_METHOD", "HEAD", "DOCUMENT_URI", "/", NULL };
	const char *eims[] = { "REQUEST_METHOD", "GET", "DOCUMENT_URI", "/",
	    "HTTP_IF_MODIFIED_SINCE", "Fri, 10 Mar 2023 04:21:03 GMT", NULL };
	const char *eims_future[] = { "REQUEST_METHOD", "GET", "DOCUMENT_URI", "/",
	    "HTTP_IF_MODIFIED_SINCE", "Fri, 31 Dec 9999 23:59:59 GMT", NULL };

	http_set_build_id(0xabcdef12);
	strcpy(inm, "\"nothing\"");
	parse(e);
	r.data_version = 42;
	strcpy(r.refreshed_at, "2023-03-10T04:21:03Z");
	http_etag(&r, etag, sizeof etag);
	CHECK_STR(etag, "\"v42-abcdef12\"");
	/* A response of its own kind (an export) names its variant, for this
	 * request only: the next one has the program's build id again. */
	r.has_variant = 1;
	r.variant = 0x01020304;
	http_etag(&r, etag, sizeof etag);
	CHECK_STR(etag, "\"v42-01020304\"");
	parse(e);
	r.data_version = 42;
	strcpy(r.refreshed_at, "2023-03-10T04:21:03Z");
	http_etag(&r, etag, sizeof etag);
	CHECK_STR(etag, "\"v42-abcdef12\"");
	h = headers(200, HTTP_CACHE_DATA, &body);
	CHECK_INT(body, 1);
	CHECK(strncmp(h, "Status: 200 OK\r\n", 16) == 0);
	CHECK(strstr(h, "Content-Type: text/html; charset=utf-8\r\n") != NULL);
	CHECK(strstr(h, "ETag: \"v42-abcdef12\"\r\n") != NULL);
	CHECK(strstr(h, "Last-Modified: Fri, 10 Mar 2023 04:21:03 GMT\r\n") != NULL);
	CHECK(strstr(h, "Cache-Control: public, max-age=300\r\n") != NULL);
	CHECK(strstr(h, "Content-Security-Policy: default-src 'none'; script-src 'self';") != NULL);
	CHECK(strstr(h, "unsafe-inline") == NULL);
	CHECK(strstr(h, "X-Content-Type-Options: nosniff\r\n") != NULL);
	CHECK(strstr(h, "Referrer-Policy: strict-origin-when-cross-origin\r\n") != NULL);
	CHECK(strstr(h, "Allow:") == NULL);
	CHECK(strcmp(h + strlen(h) - 4, "\r\n\r\n") == 0);
	CHECK(strstr(h, "\r\n\r\n") == h + strlen(h) - 4);
	CHECK_INT(r.discard_body, 0);

	/* If-None-Match: exact, weak, in a list, star; a stale one. */
	snprintf(inm, sizeof inm, "%s", etag);
	parse(e);
	r.data_version = 42;
	h = headers(200, HTTP_CACHE_DATA, &body);
	CHECK_INT(body, 0);
	CHECK(strncmp(h, "Status: 304 Not Modified\r\n", 26) == 0);
	CHECK(strstr(h, "ETag: \"v42-abcdef12\"") != NULL);
	CHECK(strstr(h, "\r\nContent-Type:") == NULL);
	CHECK_INT(r.discard_body, 1);
	snprintf(inm, sizeof inm, "\"a\", W/%s", etag);
	parse(e);
	r.data_version = 42;
	CHECK_INT(http_not_modified(&r), 1);
	strcpy(inm, "*");
	parse(e);
	r.data_version = 42;
	CHECK_INT(http_not_modified(&r), 1);
	snprintf(inm, sizeof inm, "%s", etag);
	parse(e);
	r.data_version = 43;   /* the data changed */
	CHECK_INT(http_not_modified(&r), 0);
	h = headers(200, HTTP_CACHE_DATA, &body);
	CHECK_INT(body, 1);
	/* Only 200s become 304s. */
	parse(e);
	r.data_version = 42;
	h = headers(404, HTTP_CACHE_SHORT, &body);
	CHECK(strncmp(h, "Status: 404 Not Found\r\n", 23) == 0);
	CHECK(strstr(h, "ETag") == NULL);
	CHECK(strstr(h, "Cache-Control: public, max-age=60\r\n") != NULL);

	/* If-Modified-Since, used when there is no If-None-Match. */
	parse(eims);
	r.data_version = 42;
	strcpy(r.refreshed_at, "2023-03-10T04:21:03Z");
	CHECK_INT(http_not_modified(&r), 1);
	strcpy(r.refreshed_at, "2023-03-10T04:21:04Z");
	CHECK_INT(http_not_modified(&r), 0);
	/* A date in the future is no date (RFC 9110, 13.1.3): ignored, so
	 * no 304 however old the data. */
	parse(eims_future);
	r.data_version = 42;
	strcpy(r.refreshed_at, "2023-03-10T04:21:03Z");
	CHECK_INT(http_not_modified(&r), 0);
	h = headers(200, HTTP_CACHE_DATA, &body);
	CHECK(strncmp(h, "Status: 200 OK\r\n", 16) == 0);
	CHECK_INT(body, 1);

	/* HEAD: headers only. */
	parse(ehead);
	r.data_version = 1;
	h = headers(200, HTTP_CACHE_DATA, &body);
	CHECK_INT(body, 0);
	CHECK_INT(r.discard_body, 1);
	CHECK(strstr(h, "Content-Type: text/html") != NULL);
	/* Headers once only. */
	h = headers(200, HTTP_CACHE_DATA, &body);
	CHECK_STR(h, "");

	/* 405 with Allow; a download with a safe filename. */
	parse(ehead);
	{
		struct http_resp hr = { 405, NULL, HTTP_CACHE_NONE, HTTP_ALLOW_GET, NULL };
		struct sink s;
		out.len = 0;
		s = membuf_sink(&out);
		http_headers(&r, &s, &hr);
		CHECK(strstr(out.data, "Allow: GET, HEAD\r\n") != NULL);
		CHECK(strstr(out.data, "Cache-Control: no-store\r\n") != NULL);
	}
	parse(e);
	{
		struct http_resp hr = { 200, "text/csv; charset=utf-8", HTTP_CACHE_DATA, 0,
		    "covid \"x\"\r\n.csv" };
		struct sink s;
		out.len = 0;
		s = membuf_sink(&out);
		http_headers(&r, &s, &hr);
		CHECK(strstr(out.data, "Content-Disposition: attachment; filename=\"covid__x___.csv\"\r\n") != NULL);
		CHECK(strstr(out.data, "Content-Type: text/csv; charset=utf-8\r\n") != NULL);
	}
}

static void
test_error_page(void)
{
	const char *e[] = { "REQUEST_METHOD", "GET", "DOCUMENT_URI", "/region/nowhere", NULL };
	struct sink s;

	/* Without templates: the built-in page, escaped. */
	parse(e);
	out.len = 0;
	s = membuf_sink(&out);
	error_page(&r, &s, 400, "Bad <thing> & more", 0);
	CHECK(strncmp(out.data, "Status: 400 Bad Request\r\n", 25) == 0);
	CHECK(strstr(out.data, "Bad &lt;thing&gt; &amp; more") != NULL);
	CHECK(strstr(out.data, "Cache-Control: no-store") != NULL);

	/* With the real templates (tests run from the repository root). */
	CHECK_INT(page_init("templates"), 0);
	parse(e);
	r.data_version = 7;
	strcpy(r.newest_date, "2023-03-09");
	strcpy(r.refreshed_at, "2023-03-10T04:21:03Z");
	out.len = 0;
	s = membuf_sink(&out);
	error_page(&r, &s, 404, NULL, 0);
	CHECK(strncmp(out.data, "Status: 404 Not Found\r\n", 23) == 0);
	CHECK(strstr(out.data, "<h1>Not Found</h1>") != NULL);
	CHECK(strstr(out.data, "There is no page at this address.") != NULL);
	CHECK(strstr(out.data, "name=\"q\"") != NULL);         /* a search form */
	CHECK(strstr(out.data, "nowhere") == NULL);           /* no echo */
	CHECK(strstr(out.data, "Center for Systems Science and Engineering (CSSE) at Johns Hopkins University") != NULL);
	CHECK(strstr(out.data, "Data version 7") != NULL);
	CHECK(strstr(out.data, "9 March 2023") != NULL);

	/* A status outside the list becomes 500; HEAD gets no body. */
	parse(e);
	out.len = 0;
	s = membuf_sink(&out);
	error_page(&r, &s, 418, NULL, 0);
	CHECK(strncmp(out.data, "Status: 500 Internal Server Error\r\n", 35) == 0);
	CHECK(strstr(out.data, "Data version unavailable") != NULL);
	page_cleanup();
}

static void
test_dates(void)
{
	char buf[40];

	CHECK_INT(date_days("1970-01-01"), 0);
	CHECK_INT(date_days("2020-01-22"), 18283);
	CHECK_INT(date_days("2020-02-30"), -1);
	CHECK_INT(date_days("2100-02-29"), -1);
	CHECK_INT(date_days("2000-02-29"), 11016);
	CHECK_INT(date_days("20200122"), -1);
	date_ymd(18283 + 7, buf);
	CHECK_STR(buf, "2020-01-29");
	date_ymd(date_days("2023-03-09") - 7, buf);
	CHECK_STR(buf, "2023-03-02");
	date_http(date_parse_iso("2023-03-10T04:21:03Z"), buf, sizeof buf);
	CHECK_STR(buf, "Fri, 10 Mar 2023 04:21:03 GMT");
	CHECK_INT(date_parse_http(buf), date_parse_iso("2023-03-10 04:21:03"));
	CHECK_INT(date_parse_http("Fri, 10 Mar 2023 04:21:03 UTC"), -1);
	CHECK_INT(date_parse_http("Fri, 31 Feb 2023 04:21:03 GMT"), -1);
	CHECK_INT(date_parse_iso("2023-03-10T04:21:03+01:00"), -1);
	CHECK_INT(date_parse_iso(""), -1);
	date_long("2023-03-09", buf, sizeof buf);
	CHECK_STR(buf, "9 March 2023");
}

/* The date formats are built by hand (no snprintf on the hot path): every
 * day from 1970 to 2100 and times across the day against gmtime, strftime
 * and snprintf, and truncation into short buffers as snprintf does it.
 * (date_days counts from 1970 and says -1 for "not a date", so the pages'
 * dates start there.) */
static void
test_date_formats(void)
{
	static const char *const months[] = { "January", "February", "March",
	    "April", "May", "June", "July", "August", "September", "October",
	    "November", "December" };
	long first = date_days("1970-01-01"), last = date_days("2100-12-31");
	int bad_ymd = 0, bad_long = 0, bad_http = 0, bad_time = 0, bad_cut = 0;
	char got[64], want[64], iso[32];

	CHECK(first == 0 && last > 47000);
	for (long d = first; d <= last; d++) {
		time_t t = (time_t)d * 86400 + (time_t)((d * 7919) % 86400);
		struct tm tm;
		if (gmtime_r(&t, &tm) == NULL) {
			bad_ymd++;
			continue;
		}
		snprintf(want, sizeof want, "%04d-%02d-%02d", tm.tm_year + 1900,
		    tm.tm_mon + 1, tm.tm_mday);
		date_ymd(d, got);
		bad_ymd += strcmp(got, want) != 0 || date_days(got) != d;
		date_long(want, got, sizeof got);
		snprintf(want, sizeof want, "%d %s %d", tm.tm_mday,
		    months[tm.tm_mon], tm.tm_year + 1900);
		bad_long += strcmp(got, want) != 0;
		strftime(want, sizeof want, "%a, %d %b %Y %H:%M:%S GMT", &tm);
		date_http(t, got, sizeof got);
		bad_http += strcmp(got, want) != 0;
		strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
		snprintf(want, sizeof want, "%d %s %d, %02d:%02d UTC", tm.tm_mday,
		    months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min);
		date_long_time(iso, got, sizeof got);
		bad_time += strcmp(got, want) != 0;
		/* Cut short like snprintf: every length up to the whole. */
		for (size_t n = 1; n <= strlen(want) + 1; n += 5) {
			char small[64];
			memset(small, 'x', sizeof small);
			date_long_time(iso, small, n);
			bad_cut += strlen(small) != n - 1 || strncmp(small, want, n - 1) != 0;
		}
	}
	CHECK_INT(bad_ymd, 0);
	CHECK_INT(bad_long, 0);
	CHECK_INT(bad_http, 0);
	CHECK_INT(bad_time, 0);
	CHECK_INT(bad_cut, 0);
	/* Not dates: copied as they are, or cut. */
	date_long("2023-02-30", got, sizeof got);
	CHECK_STR(got, "2023-02-30");
	date_long("2023-03-09", got, 5);
	CHECK_STR(got, "9 Ma");
	date_long_time("yesterday", got, sizeof got);
	CHECK_STR(got, "yesterday");
	date_long_time(NULL, got, sizeof got);
	CHECK_STR(got, "");
}

/* A tiny deterministic PRNG so a failure can be replayed. */
static unsigned long long rng = 0x9e3779b97f4a7c15ULL;
static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* The parser's fuzzing harness: random query strings and paths, built
 * from the characters that matter, must never crash (ASan watches), must
 * keep every decoded value NUL-terminated at its length, and a 400's reason
 * must never contain the input (each value carries a marker). */
static void
fuzz_parse(void)
{
	static const char *const atoms[] = {
		"&", "=", "%", "%2", "%41", "%00", "%zz", "%C3%A9", "%ED%A0%80", "+",
		"sort", "order", "page", "q", "from", "country", "ZQXJ", "ZQXJ%3C",
		"desc", "name", "2020-02-29", "-1", "99999999999999999999", "\x01",
		"\xff", "/", "..", "#", "?", ";", " ",
	};
	char qs[700], path[300];
	int rounds = 20000, broken = 0, echoed = 0, bad_requests = 0;

	for (int round = 0; round < rounds; round++) {
		const char *e[] = { "REQUEST_METHOD", "GET", "REQUEST_URI", path,
		    "QUERY_STRING", qs, NULL };
		size_t len = 0, plen = 0;
		int n = (int)rnd(40);

		for (int i = 0; i < n; i++) {
			const char *a = atoms[rnd(sizeof atoms / sizeof atoms[0])];
			if (len + strlen(a) + 1 >= sizeof qs)
				break;
			memcpy(qs + len, a, strlen(a));
			len += strlen(a);
		}
		qs[len] = '\0';
		path[plen++] = rnd(8) ? '/' : 'x';
		for (int i = (int)rnd(20); i > 0 && plen + 4 < sizeof path; i--) {
			const char *a = atoms[rnd(sizeof atoms / sizeof atoms[0])];
			if (plen + strlen(a) + 1 >= sizeof path)
				break;
			memcpy(path + plen, a, strlen(a));
			plen += strlen(a);
		}
		path[plen] = '\0';
		parse(e);
		for (size_t i = 0; i < r.npairs; i++)
			if (strlen(r.pairs[i].val) != r.pairs[i].vlen ||
			    (r.pairs[i].key != HTTP_KEY_NONE &&
			    strcmp(r.pairs[i].name, keys[r.pairs[i].key].name) != 0))
				broken++;
		if (r.path[0] != '/')
			broken++;
		if (http_check(&r, ~0u) != 0) {
			bad_requests++;
			if (r.errbuf[0] == '\0')
				broken++;
			if (strstr(r.errbuf, "ZQXJ") != NULL)
				echoed++;
		}
	}
	printf("# fuzz: %d of %d requests refused\n", bad_requests, rounds);
	CHECK_INT(broken, 0);
	CHECK_INT(echoed, 0);
	CHECK(bad_requests > 1000 && bad_requests < rounds);
}

/* What the export form (/downloads) can send: every country it lists (about
 * 200, each an ISO3 code or a name) plus the other fields at their longest,
 * fits both caps with room to spare; a query past either cap is refused as a
 * whole, saying which limit and what it is. */
static void
test_limits(void)
{
	static char qs[HTTP_MAX_QUERY + 2];
	const struct http_field *f;
	size_t n = 0, count = 0;
	struct sink s;

	/* 240 countries (more than JHU has), the names of the ones without an
	 * ISO3 code among them, and a province of 100 three-byte characters,
	 * percent-encoded (what a browser sends for the form's maxlength). */
	for (int i = 0; i < 236; i++)
		n += (size_t)snprintf(qs + n, sizeof qs - n, "country=%c%c%c&",
		    'A' + i % 26, 'A' + i / 26 % 26, 'X');
	n += (size_t)snprintf(qs + n, sizeof qs - n, "country=Diamond+Princess&"
	    "country=MS+Zaandam&country=Summer+Olympics+2020&"
	    "country=Winter+Olympics+2022&level=province&province=");
	for (int i = 0; i < 100; i++)
		n += (size_t)snprintf(qs + n, sizeof qs - n, "%%E2%%80%%93");
	n += (size_t)snprintf(qs + n, sizeof qs - n, "&from=2020-01-22&to=2023-03-09"
	    "&shape=long&bom=1");
	CHECK(n < HTTP_MAX_QUERY / 2);
	parse_qs(qs);
	CHECK_INT(r.bad, 0);
	CHECK_INT(http_check(&r, ~0u), 0);
	for (f = http_get(&r, K_COUNTRY); f != NULL; f = f->next)
		count++;
	CHECK_INT(count, 240);
	CHECK_INT(r.npairs, 240 + 6);
	CHECK_STR(r.npairs > 239 ? r.pairs[239].val : NULL, "Winter Olympics 2022");

	/* Exactly the cap in bytes: accepted; a byte more: 414, saying so. */
	memset(qs, 'a', HTTP_MAX_QUERY);
	memcpy(qs, "q=", 2);
	qs[HTTP_MAX_QUERY] = '\0';
	parse_qs(qs);
	CHECK_INT(r.bad, 0);
	CHECK_INT(r.pairs[0].vlen, HTTP_MAX_QUERY - 2);
	qs[HTTP_MAX_QUERY] = 'a';
	qs[HTTP_MAX_QUERY + 1] = '\0';
	parse_qs(qs);
	CHECK_INT(r.bad, 1);
	CHECK_INT(r.bad_status, 414);
	CHECK_STR(r.bad_why, "The query string is too long: this site accepts "
	    "at most 8192 bytes.");
	out.len = 0;
	s = membuf_sink(&out);
	error_page(&r, &s, 400, r.bad_why, 0);
	CHECK(strncmp(out.data, "Status: 414 URI Too Long\r\n", 26) == 0);
	CHECK(strstr(out.data, "at most 8192 bytes") != NULL);

	/* The pair cap, within the byte cap: 400, saying so. */
	n = 0;
	for (int i = 0; i < HTTP_MAX_PAIRS; i++)
		n += (size_t)snprintf(qs + n, sizeof qs - n, "%s", i ? "&a" : "a");
	CHECK(n <= HTTP_MAX_QUERY);
	parse_qs(qs);
	CHECK_INT(r.bad, 0);
	CHECK_INT(r.npairs, HTTP_MAX_PAIRS);
	snprintf(qs + n, sizeof qs - n, "&a");
	parse_qs(qs);
	CHECK_INT(r.bad, 1);
	CHECK_INT(r.bad_status, 400);
	CHECK_STR(r.bad_why, "The query string has too many parameters: this "
	    "site accepts at most 1024.");
	out.len = 0;
	s = membuf_sink(&out);
	error_page(&r, &s, 400, r.bad_why, 0);
	CHECK(strncmp(out.data, "Status: 400 Bad Request\r\n", 25) == 0);

	/* What a request may hold is fixed: the struct, no allocation. */
	printf("# struct http_req: %zu bytes\n", sizeof r);
	CHECK(sizeof r < 96 * 1024);
}

int
main(void)
{
	test_parse();
	fuzz_parse();
	test_query();
	test_limits();
	test_headers();
	test_error_page();
	test_dates();
	test_date_formats();
	membuf_free(&out);
	return check_exit();
}
