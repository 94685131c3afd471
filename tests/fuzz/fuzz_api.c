/* fuzz_api: the JSON API's request checks and its JSON writer (src/api/):
 * api_route_match, api_check and api_normal_form over the API's own tables
 * (src/api/api_tables.c), the problem body a refusal gets, and jw_strn over
 * arbitrary bytes.
 *
 * The input is three parts split at the first two newlines: the path
 * (DOCUMENT_URI), the query string, and bytes for the writer (anything,
 * newlines included).
 *
 * Invariants: a matched route's {place} is non-empty with no empty segment;
 * a request the checks accept has only parameters its route takes, each
 * valid and given once; a refusal is a 400 or 414 whose problem body is
 * JSON yajl's own parser accepts, with the status it says; the normal form
 * starts with the path and holds no raw space, '#' or control byte; the
 * writer's string parses back to the input with exactly each byte that is
 * not UTF-8 replaced by U+FFFD. */
#include <yajl/yajl_tree.h>

#include "fuzz.h"

#include "api/api.h"
#include "api/api_handlers.h"
#include "web/json_writer.h"

struct params { const char *uri, *qs; };

static const char *
param(const char *name, void *ctx)
{
	struct params *p = ctx;

	if (strcmp(name, "DOCUMENT_URI") == 0)
		return p->uri;
	if (strcmp(name, "QUERY_STRING") == 0)
		return p->qs;
	if (strcmp(name, "REQUEST_METHOD") == 0)
		return "GET";
	return NULL;
}

static yajl_val
parse_json(struct membuf *b)
{
	char err[128];

	FUZZ_CHECK(b->data != NULL);
	return yajl_tree_parse(b->data, err, sizeof err);
}

static void
check_problem(const struct api_problem *p)
{
	struct membuf b = { 0 };
	struct sink s = membuf_sink(&b);
	const char *status[] = { "status", NULL };
	struct jw w;
	yajl_val v, st;

	FUZZ_CHECK(p->status == 400 || p->status == 414);
	FUZZ_CHECK(p->detail[0] != '\0');
	FUZZ_CHECK(jw_open(&w, &s, 0) == 0);
	api_problem_body(&w, p);
	FUZZ_CHECK(!jw_failed(&w));
	jw_close(&w);
	v = parse_json(&b);
	FUZZ_CHECK(v != NULL);
	st = yajl_tree_get(v, status, yajl_t_number);
	FUZZ_CHECK(st != NULL && YAJL_GET_INTEGER(st) == p->status);
	yajl_tree_free(v);
	membuf_free(&b);
}

static void
check_accepted(const struct api_route *rt, const struct http_req *r)
{
	struct membuf b = { 0 };
	struct sink s = membuf_sink(&b);

	for (size_t i = 0; i < r->npairs; i++) {
		const struct http_field *f = &r->pairs[i];
		FUZZ_CHECK(f->key != HTTP_KEY_NONE && (rt->params & PARAM(f->key)));
		FUZZ_CHECK(f->ok && !(r->dup & PARAM(f->key)));
	}
	api_normal_form(rt, r, r->path, &s);
	FUZZ_CHECK(!s.failed && b.data != NULL);
	FUZZ_CHECK(strncmp(b.data, r->path, strlen(r->path)) == 0);
	for (const char *q = b.data + strlen(r->path); *q; q++)
		FUZZ_CHECK(*q != ' ' && *q != '#' && (unsigned char)*q >= 0x20);
	membuf_free(&b);
}

static void
check_request(const char *uri, const char *qs)
{
	static struct http_req r;
	struct params p = { uri, qs };
	struct api_problem prob;
	const struct api_route *rt;
	char place[HTTP_MAX_PATH];

	http_req_reset(&r);
	http_parse(&r, api_keys, P__MAX, param, &p);
	if ((rt = api_route_match(r.path, place, sizeof place)) == NULL)
		return;
	if (strchr(rt->pattern, '{') != NULL)
		FUZZ_CHECK(place[0] != '\0' && place[0] != '/' &&
		    strstr(place, "//") == NULL);
	if (api_check(rt, &r, &prob) == 0)
		check_accepted(rt, &r);
	else
		check_problem(&prob);
}

static void
check_writer(const char *bytes, size_t n)
{
	struct membuf b = { 0 };
	struct sink s = membuf_sink(&b);
	struct jw w;
	yajl_val v;
	char *want = malloc(3 * n + 1);

	FUZZ_CHECK(want != NULL);
	FUZZ_CHECK(jw_open(&w, &s, 0) == 0);
	jw_arr(&w);
	jw_strn(&w, bytes, n);
	jw_end_arr(&w);
	FUZZ_CHECK(!jw_failed(&w));
	jw_close(&w);
	v = parse_json(&b);
	FUZZ_CHECK(v != NULL && YAJL_IS_ARRAY(v) && v->u.array.len == 1);
	jw_utf8_clean(want, bytes, n);
	/* A NUL byte ends yajl's C string early; compare up to the first. */
	FUZZ_CHECK(YAJL_GET_STRING(v->u.array.values[0]) != NULL &&
	    strcmp(YAJL_GET_STRING(v->u.array.values[0]), want) == 0);
	yajl_tree_free(v);
	membuf_free(&b);
	free(want);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = fuzz_strndup(data, size), *qs, *rest;
	size_t restlen;

	if ((qs = memchr(in, '\n', size)) == NULL) {
		free(in);
		return 0;
	}
	*qs++ = '\0';
	if ((rest = memchr(qs, '\n', size - (size_t)(qs - in))) == NULL)
		rest = in + size;
	else
		*rest++ = '\0';
	restlen = size - (size_t)(rest - in);
	/* A NUL byte in the path or query ends it there, as in a CGI
	 * parameter. */
	check_request(in, qs);
	check_writer(rest, restlen);
	free(in);
	return 0;
}
