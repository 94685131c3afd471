/* fuzz_http: the request surface of both FastCGI programs (src/web/http.c):
 * the path, the query string and its validators, the validators of
 * If-None-Match and If-Modified-Since, and the 400 page a bad request gets.
 *
 * The input is up to six lines, the CGI parameters in this order (an empty
 * line is a parameter nginx did not send):
 *   QUERY_STRING, REQUEST_URI, DOCUMENT_URI, REQUEST_METHOD,
 *   HTTP_IF_NONE_MATCH, HTTP_IF_MODIFIED_SINCE
 * The keys are one of each validator kind, as the portal declares them
 * (cgi-bin/portal.c keeps its table beside main(), out of a harness's
 * reach; export.c's own table is fuzzed by fuzz_export_request).
 *
 * Invariants: the path is absolute, short, free of control characters and
 * of "." and ".." segments; every pair is decoded into the request's own
 * buffer, without NUL bytes; each key's values are chained in order and a
 * single-valued key given twice is flagged; a value marked valid passes its
 * validator's promise (enum: one of the choices; int: within bounds; date:
 * a real day; text: UTF-8 within its length, no control characters); a
 * refusal says why on one line without echoing input, and the error page
 * does not either. */
#include <sys/stat.h>

#include "fuzz.h"

#include "base/date.h"
#include "base/sink.h"
#include "web/http.h"
#include "web/page.h"

enum { K_SORT, K_PAGE, K_Q, K_COUNTRY, K_FROM, K_NOVALID, K__MAX };
static const char *const sorts[] = { "name", "confirmed", "deaths", NULL };
static const struct http_key keys[K__MAX] = {
	[K_SORT]    = { "sort",    http_valid_enum, sorts, 0, 0, 0 },
	[K_PAGE]    = { "page",    http_valid_int,  NULL,  1, 10000, 0 },
	[K_Q]       = { "q",       http_valid_text, NULL,  0, 100, 0 },
	[K_COUNTRY] = { "country", http_valid_text, NULL,  0, 100, HTTP_KEY_REPEAT },
	[K_FROM]    = { "from",    http_valid_date, NULL,  0, 0, 0 },
	[K_NOVALID] = { "raw",     NULL,            NULL,  0, 0, 0 },
};

/* What the fuzzer writes into a value to see whether it comes back raw. */
#define MARKER "<fuzz"

static const char *const param_names[] = {
	"QUERY_STRING", "REQUEST_URI", "DOCUMENT_URI", "REQUEST_METHOD",
	"HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE",
};
enum { NPARAMS = sizeof param_names / sizeof param_names[0] };

struct params { const char *v[NPARAMS]; };

static const char *
param(const char *name, void *ctx)
{
	struct params *p = ctx;

	for (size_t i = 0; i < NPARAMS; i++)
		if (strcmp(name, param_names[i]) == 0)
			return p->v[i];
	return NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct stat st;

	(void)argc;
	(void)argv;
	/* The real error page when run from the repository root, else the
	 * built-in one (also when the templates do not load: page_init said
	 * why, and the portal's own tests fail on it). */
	if (stat("templates/error.html", &st) == 0)
		(void)page_init("templates");
	return 0;
}

static int
one_line(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

static void
check_path(const char *p)
{
	FUZZ_CHECK(p[0] == '/' && strlen(p) < HTTP_MAX_PATH && one_line(p));
	FUZZ_CHECK(strstr(p, "/./") == NULL && strstr(p, "/../") == NULL);
	size_t n = strlen(p);
	FUZZ_CHECK(!(n >= 2 && strcmp(p + n - 2, "/.") == 0));
	FUZZ_CHECK(!(n >= 3 && strcmp(p + n - 3, "/..") == 0));
}

static void
check_valid(const struct http_field *f, const struct http_key *k)
{
	if (k->valid == http_valid_enum) {
		FUZZ_CHECK(f->num >= 0 && f->num < 3 &&
		    strcmp(f->val, k->choices[f->num]) == 0);
	} else if (k->valid == http_valid_int) {
		FUZZ_CHECK(f->num >= k->min && f->num <= k->max);
		FUZZ_CHECK(strtoll(f->val, NULL, 10) == f->num);
	} else if (k->valid == http_valid_date) {
		FUZZ_CHECK(strlen(f->val) == 10 && date_days(f->val) == f->num);
	} else if (k->valid == http_valid_text) {
		FUZZ_CHECK(f->vlen <= (size_t)k->max && one_line(f->val));
	}
}

static void
check_pairs(const struct http_req *r)
{
	const char *lo = r->qbuf, *hi = r->qbuf + sizeof r->qbuf;

	FUZZ_CHECK(r->npairs <= HTTP_MAX_PAIRS);
	for (size_t i = 0; i < r->npairs; i++) {
		const struct http_field *f = &r->pairs[i];
		FUZZ_CHECK(f->name >= lo && f->name < hi && f->val >= lo && f->val < hi);
		FUZZ_CHECK(strlen(f->val) == f->vlen);
		if (f->key == HTTP_KEY_NONE) {
			for (size_t k = 0; k < K__MAX; k++)
				FUZZ_CHECK(strcmp(f->name, keys[k].name) != 0);
			continue;
		}
		FUZZ_CHECK(f->key < K__MAX && strcmp(f->name, keys[f->key].name) == 0);
		if (f->ok)
			check_valid(f, &keys[f->key]);
	}
	for (size_t k = 0; k < K__MAX; k++) {
		size_t given = 0, chained = 0;
		for (size_t i = 0; i < r->npairs; i++)
			given += r->pairs[i].key == k;
		for (const struct http_field *f = r->field[k]; f; f = f->next) {
			FUZZ_CHECK(f->key == k);
			FUZZ_CHECK(f->next == NULL || f->next > f);   /* in order */
			chained++;
		}
		FUZZ_CHECK(chained == given);
		FUZZ_CHECK(!!(r->dup & (1u << k)) ==
		    (given > 1 && !(keys[k].flags & HTTP_KEY_REPEAT)));
		if (http_get(r, k) != NULL)
			FUZZ_CHECK(http_get(r, k) == r->field[k] && r->field[k]->ok);
	}
}

/* The error page: headers are "Name: value" lines, and no value comes
 * back unescaped. */
static void
check_error_page(struct http_req *r)
{
	struct membuf mb = { 0 };
	struct sink out = membuf_sink(&mb);
	const char *end;

	error_page(r, &out, 400, r->errbuf, 0);
	FUZZ_CHECK(!out.failed && mb.data != NULL);
	/* 414 when the query string is over the cap, else 400. */
	FUZZ_CHECK(strncmp(mb.data, "Status: 400 ", 12) == 0 ||
	    strncmp(mb.data, "Status: 414 ", 12) == 0);
	end = strstr(mb.data, "\r\n\r\n");
	FUZZ_CHECK(end != NULL);
	for (const char *p = mb.data; p < end + 2; p++)
		if ((unsigned char)*p < 0x20)
			FUZZ_CHECK((p[0] == '\r' && p[1] == '\n') ||
			    (p[0] == '\n' && p > mb.data && p[-1] == '\r'));
	FUZZ_CHECK(strstr(mb.data, MARKER) == NULL);
	membuf_free(&mb);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_strndup(data, size), *line = text;
	struct params ps = { { NULL } };
	static struct http_req r;   /* 20 kB: not on the stack */

	for (size_t i = 0; i < NPARAMS && line != NULL; i++) {
		char *nl = strchr(line, '\n');
		if (nl != NULL)
			*nl = '\0';
		ps.v[i] = *line ? line : NULL;
		line = nl ? nl + 1 : NULL;
	}

	http_req_reset(&r);
	http_parse(&r, keys, K__MAX, param, &ps);
	check_path(r.path);
	FUZZ_CHECK(r.method >= HTTP_GET && r.method <= HTTP_OTHER);
	check_pairs(&r);

	if (http_check(&r, (1u << K__MAX) - 1) != 0) {
		FUZZ_CHECK(r.errbuf[0] != '\0' && one_line(r.errbuf));
		FUZZ_CHECK(strchr(r.errbuf, '<') == NULL);
		check_error_page(&r);
	} else {
		FUZZ_CHECK(!r.bad && r.dup == 0);
		/* Validators on top: a data version, the fixed refresh time. */
		r.data_version = (long long)(size % 7);
		strcpy(r.refreshed_at, "2023-03-10T04:21:03Z");
		(void)http_not_modified(&r);
	}
	free(text);
	return 0;
}
