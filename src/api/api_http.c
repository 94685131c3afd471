/* api_http: the API's response headers (http.h's, plus CORS and the
 * licence) and its errors as RFC 9457 problem details. */
#include <stdio.h>
#include <string.h>

#include "api/api_handlers.h"
#include "base/log.h"

/* Any origin may read the API (no credentials: nothing here is personal),
 * and scripts there may see the validators and the credit. */
#define EXTRA_HEADERS \
	"Access-Control-Allow-Origin: *\r\n" \
	"Access-Control-Expose-Headers: ETag, Link\r\n" \
	"Link: <" API_LICENSE_URL ">; rel=\"license\", <" API_SOURCE_URL \
	">; rel=\"via\"; title=\"JHU CSSE COVID-19 Data\"\r\n"

/* http_headers' block, with EXTRA_HEADERS before the blank line that ends
 * it. Returns 1 when a body should follow. */
static int
headers(struct http_req *r, struct sink *out, const struct http_resp *h)
{
	struct membuf b = { 0 };
	struct sink s = membuf_sink(&b);
	int body = http_headers(r, &s, h);
	/* http_headers has set discard_body for HEAD and 304, and the loop's
	 * sink drops writes from then on: the block goes out first. */
	int discard = r->discard_body;

	r->discard_body = 0;
	if (s.failed || b.len < 2) {
		log_err("api: out of memory for the headers");
		sink_write(out, b.data, b.len);
	} else {
		sink_write(out, b.data, b.len - 2);
		sink_puts(out, EXTRA_HEADERS "\r\n");
	}
	r->discard_body = discard;
	membuf_free(&b);
	return body && !out->failed;
}

int
api_headers(struct api_ctx *c, int status, const char *type,
    enum http_cache cache, unsigned allow)
{
	struct http_resp h = { status, type != NULL ? type :
	    "application/json; charset=utf-8", cache, allow, NULL };

	return headers(c->r, c->out, &h);
}

void
api_problem_body(struct jw *w, const struct api_problem *p)
{
	char type[32];

	snprintf(type, sizeof type, "/api#problem-%d", p->status);
	jw_obj(w);
	jw_kstr(w, "type", type);
	jw_kstr(w, "title", p->title[0] ? p->title : http_reason(p->status));
	jw_kint(w, "status", p->status);
	jw_kstr(w, "detail", p->detail);
	jw_kstr(w, "parameter", p->param[0] ? p->param : NULL);
	jw_end_obj(w);
}

void
api_problem(struct http_req *r, struct sink *out, const struct api_problem *p,
    unsigned allow)
{
	/* A 404 may be cached a minute (a place does not appear between
	 * ingests); anything else is not cached at all. */
	struct http_resp h = { p->status, "application/problem+json",
	    p->status == 404 ? HTTP_CACHE_SHORT : HTTP_CACHE_NONE, allow, NULL };
	struct jw w;

	if (!headers(r, out, &h))
		return;
	if (jw_open(&w, out, 0) != 0)
		return;
	api_problem_body(&w, p);
	if (w.failed)
		log_err("api: the problem body for %d failed", p->status);
	jw_close(&w);
}

void
api_fail(struct http_req *r, struct sink *out, int status, const char *detail)
{
	struct api_problem p;

	memset(&p, 0, sizeof p);
	p.status = status;
	snprintf(p.title, sizeof p.title, "%s", http_reason(status));
	snprintf(p.detail, sizeof p.detail, "%s", detail);
	api_problem(r, out, &p, HTTP_ALLOW_GET);
}
