/* intake_http: the intake's answers that are not pages: problem+json (RFC
 * 9457) naming each bad field, and the bearer-token check. */
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "intake/intake.h"
#include "web/json_writer.h"

const struct http_key intake_keys[K__MAX] = {
	[K_CURSOR] = { "cursor", http_valid_int, NULL, 0, 4611686018427387904LL, 0 },
	[K_LIMIT]  = { "limit", http_valid_int, NULL, 1, 1000, 0 },
};

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
errors(struct jw *w, const struct intake_batch *b)
{
	char ptr[96];

	jw_key(w, "errors");
	jw_arr(w);
	for (size_t i = 0; i < b->nerrors; i++) {
		const struct intake_error *e = &b->errors[i];
		jw_obj(w);
		pointer(b, e, ptr, sizeof ptr);
		jw_kstr(w, "pointer", ptr);
		jw_kint(w, "index", e->index >= 0 ? e->index : JW_NONE);
		jw_kstr(w, "field", e->field);      /* NULL: null */
		jw_kstr(w, "detail", e->why);
		jw_end_obj(w);
	}
	jw_end_arr(w);
	if (b->dropped > 0)
		jw_kint(w, "errors_not_listed", (long long)b->dropped);
}

void
intake_problem(struct http_req *r, struct sink *out, int status,
    const char *detail, const struct intake_batch *b)
{
	struct http_resp h = { status, "application/problem+json", HTTP_CACHE_NONE,
	    (1u << HTTP_GET) | (1u << HTTP_HEAD) | (1u << HTTP_POST), NULL };
	char type[32];
	struct jw w;

	if (!http_headers(r, out, &h))
		return;
	if (jw_open(&w, out, 0) != 0) {
		out->failed = 1;
		return;
	}
	snprintf(type, sizeof type, "/api#problem-%d", status);
	jw_obj(&w);
	jw_kstr(&w, "type", type);
	jw_kstr(&w, "title", http_reason(status));
	jw_kint(&w, "status", status);
	jw_kstr(&w, "detail", detail);
	if (b != NULL)
		errors(&w, b);
	jw_end_obj(&w);
	if (jw_failed(&w))
		out->failed = 1;
	jw_close(&w);
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
