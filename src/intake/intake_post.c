/* intake_post: POST /api/v1/cases, storing case reports, and GET
 * /api/v1/cases, reading them back whole for readers. The order of the
 * checks is the order of their costs: the token, the body's type and size,
 * the Idempotency-Key, then the body itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/log.h"
#include "base/sha256.h"
#include "intake/intake.h"
#include "web/json_writer.h"
#include "web/metrics.h"

enum { IDEM_KEY_MAX = 128 };

struct intake_db *
intake_open_db(struct intake_app *a)
{
	if (a->db == NULL)
		a->db = intake_db_open(a->db_path, a->sync);
	return a->db;
}

/* application/json, with no parameter but charset=utf-8. */
static int
is_json(const char *type)
{
	const char *p;

	if (type == NULL || strncasecmp(type, "application/json", 16) != 0)
		return 0;
	p = type + 16;
	while (*p == ' ')
		p++;
	if (*p == '\0')
		return 1;
	if (*p++ != ';')
		return 0;
	while (*p == ' ')
		p++;
	return strcasecmp(p, "charset=utf-8") == 0 ||
	    strcasecmp(p, "charset=\"utf-8\"") == 0;
}

/* The Idempotency-Key: NULL when none; "" when it is not 1..128 visible
 * ASCII characters. */
static const char *
idempotency_key(struct intake_app *a)
{
	const char *k = a->param("HTTP_IDEMPOTENCY_KEY");
	size_t n;

	if (k == NULL)
		return NULL;
	n = strlen(k);
	if (n == 0 || n > IDEM_KEY_MAX)
		return "";
	for (size_t i = 0; i < n; i++)
		if (k[i] < 0x21 || k[i] > 0x7e)
			return "";
	return k;
}

/* The body, or -1 after answering (413 when over the limit). */
static long
read_body(struct intake_app *a, struct http_req *r, struct sink *out)
{
	const char *cl = a->param("CONTENT_LENGTH");
	long n;

	if (cl != NULL && *cl != '\0' &&
	    (strlen(cl) > 9 || strtol(cl, NULL, 10) > INTAKE_MAX_BODY)) {
		intake_problem(r, out, 413, "The body is larger than 1 MiB "
		    "(1,048,576 bytes); send at most 1,000 records at a time.", NULL);
		return -1;
	}
	n = a->read_body(a->body, INTAKE_MAX_BODY + 1);
	if (n > INTAKE_MAX_BODY) {
		intake_problem(r, out, 413, "The body is larger than 1 MiB "
		    "(1,048,576 bytes); send at most 1,000 records at a time.", NULL);
		return -1;
	}
	if (n < 0) {
		intake_problem(r, out, 400, "The body could not be read.", NULL);
		return -1;
	}
	return n;
}

static void
created(struct intake_app *a, struct http_req *r, struct sink *out,
    const char *ids, size_t n, int replayed)
{
	struct http_resp h = { 201, "application/json", HTTP_CACHE_NONE, 0, NULL };
	enum { EXTRA = 96 };
	char *extra = arena_alloc(&a->arena, EXTRA);

	if (extra == NULL) {
		intake_problem(r, out, 503, "Out of memory; please try again.", NULL);
		return;
	}
	/* Which pool stored it (blue or green during a deploy), and whether
	 * this is a replay. */
	snprintf(extra, EXTRA, "%s%s%s%s",
	    replayed ? "Idempotent-Replayed: true\r\n" : "",
	    a->pool_name ? "X-Served-By: " : "", a->pool_name ? a->pool_name : "",
	    a->pool_name ? "\r\n" : "");
	r->extra_headers = extra;
	if (!http_headers(r, out, &h))
		return;
	sink_puts(out, "{\"ids\":");
	sink_puts(out, ids);   /* our own "[1,2,3]" */
	if (!replayed) {
		sink_puts(out, ",\"count\":");
		sink_int(out, (long long)n);
	}
	sink_puts(out, "}");
}

static void
store(struct intake_app *a, struct http_req *r, struct sink *out,
    const char *writer, const char *key, long len)
{
	const char *ids;
	char sha[65] = "";
	enum intake_store_result res;

	if (key != NULL && sha256_hex(a->body, (size_t)len, sha) != 0) {
		intake_problem(r, out, 503, "Out of memory; please try again.", NULL);
		return;
	}
	if (a->committer != NULL) {
		/* With threads: in the next group commit (intake_commit.h), which
		 * tells the publisher. */
		struct intake_job j = { writer, key, sha, &a->batch, &a->arena,
		    NULL, INTAKE_STORE_FAILED };
		intake_commit(a->committer, &j);
		res = j.result;
		ids = j.ids;
	} else if (intake_open_db(a) == NULL) {
		r->extra_headers = "Retry-After: 5\r\n";
		intake_problem(r, out, 503, "The case database cannot be opened "
		    "right now; nothing was stored. Please try again.", NULL);
		return;
	} else {
		struct timespec t0, t1;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		res = intake_db_store(a->db, writer, key, sha, &a->batch, &a->arena, &ids);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		metrics_commit(metrics_process(), 1, (double)(t1.tv_sec - t0.tv_sec) +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
		if (res == INTAKE_STORED)
			live_changed(a->pub);
	}
	switch (res) {
	case INTAKE_STORED:
		created(a, r, out, ids, a->batch.n, 0);
		break;
	case INTAKE_REPLAYED:
		created(a, r, out, ids, 0, 1);
		break;
	case INTAKE_KEY_CONFLICT:
		intake_problem(r, out, 422, "This Idempotency-Key was used for "
		    "another body; nothing was stored.", NULL);
		break;
	case INTAKE_STORE_FAILED:
		r->extra_headers = "Retry-After: 1\r\n";
		intake_problem(r, out, 503, "The cases could not be stored; nothing "
		    "was stored. Please try again.", NULL);
		break;
	}
}

void
intake_post_cases(struct intake_app *a, struct http_req *r, struct sink *out)
{
	const char *writer, *key;
	char detail[128];
	long len;

	if ((writer = intake_auth(a, r, out, &a->writers, &a->readers)) == NULL)
		return;
	if (!is_json(a->param("CONTENT_TYPE"))) {
		intake_problem(r, out, 415, "Send the cases as application/json.", NULL);
		return;
	}
	if ((key = idempotency_key(a)) != NULL && *key == '\0') {
		intake_problem(r, out, 400, "The Idempotency-Key must be 1 to 128 "
		    "visible ASCII characters.", NULL);
		return;
	}
	if ((len = read_body(a, r, out)) < 0)
		return;
	if (intake_parse(a->body, (size_t)len, time(NULL), &a->arena, &a->batch) != 0) {
		snprintf(detail, sizeof detail, "%zu fault%s found; nothing was "
		    "stored.", a->batch.nerrors + a->batch.dropped,
		    a->batch.nerrors + a->batch.dropped == 1 ? "" : "s");
		intake_problem(r, out, 400, detail, &a->batch);
		return;
	}
	store(a, r, out, writer, key, len);
}

/*
 * GET /api/v1/cases?cursor=ID&limit=N: readers only.
 */

struct page_state {
	struct jw w;
	long long last;
};

static void
one_case(const struct intake_row *c, void *arg)
{
	struct page_state *p = arg;

	jw_obj(&p->w);
	jw_kint(&p->w, "id", c->id);
	jw_kstr(&p->w, "name", c->name);
	jw_kstr(&p->w, "location", c->location);
	jw_kint(&p->w, "age", c->age);
	jw_kstr(&p->w, "infectedtype", c->infectedtype);
	jw_kstr(&p->w, "state", c->state);
	jw_kstr(&p->w, "reported_at", c->reported_at);
	jw_kstr(&p->w, "received_at", c->received_at);
	jw_kstr(&p->w, "writer", c->writer);
	jw_end_obj(&p->w);
	p->last = c->id;
}

void
intake_get_cases(struct intake_app *a, struct http_req *r, struct sink *out)
{
	struct http_resp h = { 200, "application/json", HTTP_CACHE_NONE, 0, NULL };
	const struct http_field *cur = http_get(r, K_CURSOR), *lim = http_get(r, K_LIMIT);
	struct page_state p = { .last = 0 };
	int limit = lim ? (int)lim->num : 100;
	long n;

	if (intake_auth(a, r, out, &a->readers, &a->writers) == NULL)
		return;
	if (http_check(r, (1u << K_CURSOR) | (1u << K_LIMIT)) != 0) {
		intake_problem(r, out, 400, r->errbuf, NULL);
		return;
	}
	if (intake_open_db(a) == NULL) {
		intake_problem(r, out, 503, "The case database cannot be opened "
		    "right now.", NULL);
		return;
	}
	if (!http_headers(r, out, &h))
		return;
	if (jw_open(&p.w, out, 0) != 0) {
		out->failed = 1;
		return;
	}
	jw_obj(&p.w);
	jw_key(&p.w, "cases");
	jw_arr(&p.w);
	n = intake_db_page(a->db, cur ? cur->num : 0, limit, one_case, &p);
	jw_end_arr(&p.w);
	/* The next page starts after the last case here; null at the end. */
	jw_key(&p.w, "next_cursor");
	if (n == limit)
		jw_int(&p.w, p.last);
	else
		jw_null(&p.w);
	jw_end_obj(&p.w);
	if (n < 0 || jw_failed(&p.w))
		out->failed = 1;   /* cut short: the client sees invalid JSON */
	jw_close(&p.w);
}
