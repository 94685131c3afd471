/* intake_http: the intake's answers that are not pages: problem+json (RFC
 * 9457) naming each bad field, and the bearer-token check. */
#include <stdio.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "base/log.h"
#include "intake/intake.h"

const struct http_key intake_keys[K__MAX] = {
	[K_CURSOR] = { "cursor", http_valid_int, NULL, 0, 4611686018427387904LL, 0 },
	[K_LIMIT]  = { "limit", http_valid_int, NULL, 1, 1000, 0 },
};

static void
to_sink(void *ctx, const char *s, size_t len)
{
	sink_write(ctx, s, len);
}

static void
gstr(yajl_gen g, const char *s)
{
	yajl_gen_string(g, (const unsigned char *)s, strlen(s));
}

/* RFC 6901: "/3/age", "/age" for a single object, "" for the body. */
static void
pointer(const struct intake_batch *b, const struct intake_error *e, char *buf,
    size_t len)
{
	if (e->index < 0)
		snprintf(buf, len, "%s", "");
	else if (b->is_array)
		snprintf(buf, len, "/%ld%s%s", e->index, e->field ? "/" : "",
		    e->field ? e->field : "");
	else
		snprintf(buf, len, "%s%s", e->field ? "/" : "", e->field ? e->field : "");
}

static void
errors(yajl_gen g, const struct intake_batch *b)
{
	char ptr[96];

	gstr(g, "errors");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < b->nerrors; i++) {
		const struct intake_error *e = &b->errors[i];
		yajl_gen_map_open(g);
		gstr(g, "pointer");
		pointer(b, e, ptr, sizeof ptr);
		gstr(g, ptr);
		gstr(g, "index");
		if (e->index >= 0)
			yajl_gen_integer(g, e->index);
		else
			yajl_gen_null(g);
		gstr(g, "field");
		if (e->field != NULL)
			gstr(g, e->field);
		else
			yajl_gen_null(g);
		gstr(g, "detail");
		gstr(g, e->why);
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
	if (b->dropped > 0) {
		gstr(g, "errors_not_listed");
		yajl_gen_integer(g, (long long)b->dropped);
	}
}

void
intake_problem(struct http_req *r, struct sink *out, int status,
    const char *detail, const struct intake_batch *b)
{
	struct http_resp h = { status, "application/problem+json", HTTP_CACHE_NONE,
	    (1u << HTTP_GET) | (1u << HTTP_HEAD) | (1u << HTTP_POST), NULL };
	char type[32];
	yajl_gen g;

	if (!http_headers(r, out, &h))
		return;
	if ((g = yajl_gen_alloc(NULL)) == NULL) {
		out->failed = 1;
		return;
	}
	yajl_gen_config(g, yajl_gen_print_callback, to_sink, (void *)out);
	snprintf(type, sizeof type, "/api#problem-%d", status);
	yajl_gen_map_open(g);
	gstr(g, "type");
	gstr(g, type);
	gstr(g, "title");
	gstr(g, http_reason(status));
	gstr(g, "status");
	yajl_gen_integer(g, status);
	gstr(g, "detail");
	gstr(g, detail);
	if (b != NULL)
		errors(g, b);
	yajl_gen_map_close(g);
	yajl_gen_free(g);
}

const char *
intake_auth(struct intake_app *a, struct http_req *r, struct sink *out,
    const struct intake_tokens *ts, const struct intake_tokens *other)
{
	const char *tok, *name;
	size_t len;

	if (intake_bearer(a->param("HTTP_AUTHORIZATION"), &tok, &len) != 0) {
		r->extra_headers = "WWW-Authenticate: Bearer realm=\"cases\"\r\n";
		intake_problem(r, out, 401, "This needs an Authorization: Bearer "
		    "token.", NULL);
		return NULL;
	}
	if ((name = intake_tokens_find(ts, tok, len)) != NULL)
		return name;
	if (intake_tokens_find(other, tok, len) != NULL) {
		intake_problem(r, out, 403, ts == &a->writers ?
		    "This token may read cases, not write them." :
		    "This token may write cases, not read them.", NULL);
		return NULL;
	}
	r->extra_headers = "WWW-Authenticate: Bearer realm=\"cases\", "
	    "error=\"invalid_token\"\r\n";
	intake_problem(r, out, 401, "The token is not valid.", NULL);
	return NULL;
}
