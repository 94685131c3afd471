/* api: the JSON API (issue 13), a FastCGI program in its own pool behind
 * nginx at /api/. Its routes, parameters and response schemas are tables
 * (src/api/api_tables.c) that every request is checked against and that
 * the OpenAPI document (/api/openapi.json) and the page (/api) are made
 * from; this file is the request's way through them.
 *
 * A request is answered in this order: a route for the path (else 404), GET
 * or HEAD (else 405 with Allow), its parameters (else 400 naming the one at
 * fault), the database (else 503), then the ETag: the data version and a
 * hash of the normalised request and of the document, so If-None-Match
 * gets a 304 without any work. Every error is RFC 9457 problem+json.
 *
 * Environment: COVID_DB (the database, opened read-only; default
 * var/covid.db). */
#include <stdlib.h>
#include <string.h>

#include "api/api_handlers.h"
#include "base/hash.h"
#include "base/log.h"
#include "store/db.h"
#include "web/fcgi_loop.h"

static void
close_db(struct api_app *a)
{
	query_forecast_close(a->qf);
	query_api_close(a->qa);
	query_status_close(a->qs);
	query_close(a->q);
	sqlite3_close(a->db);
	a->qf = NULL;
	a->qa = NULL;
	a->qs = NULL;
	a->q = NULL;
	a->db = NULL;
}

/* Opens the database when it is not open: a worker may start before the
 * first ingest, and then opens it on a later request. 0, or -1. */
static int
open_db(struct api_app *a)
{
	if (a->q != NULL)
		return 0;
	if (a->db == NULL && (a->db = db_open_ro(a->db_path)) == NULL)
		return -1;
	if ((a->q = query_open(a->db)) == NULL ||
	    (a->qs = query_status_open(a->db)) == NULL ||
	    (a->qa = query_api_open(a->db)) == NULL ||
	    (a->qf = query_forecast_open(a->db)) == NULL) {
		close_db(a);
		return -1;
	}
	return 0;
}

/* A hash of the document: it names everything a response's shape depends
 * on, so a new field or parameter changes every ETag. */
static uint32_t doc_hash;

static uint32_t
document_hash(void)
{
	struct membuf b = { 0 };
	struct sink s = membuf_sink(&b);
	struct jw w;
	uint32_t h = 0;

	if (jw_open(&w, &s, 0) == 0) {
		api_openapi_write(&w);
		if (!jw_failed(&w))
			h = fnv1a32(b.data, b.len);
		jw_close(&w);
	}
	membuf_free(&b);
	return h;
}

/* The response's variant: the document and the normalised request. */
static void
set_variant(struct api_ctx *c)
{
	struct membuf b = { 0 };
	struct sink s = membuf_sink(&b);

	api_normal_form(c->route, c->r, c->route->pattern, &s);
	c->r->has_variant = 1;
	c->r->variant = fnv1a32_more(doc_hash, c->place, strlen(c->place));
	if (!s.failed)
		c->r->variant = fnv1a32_more(c->r->variant, b.data, b.len);
	membuf_free(&b);
}

/* The data version and dates of the snapshot the request reads. */
static int
snapshot(struct api_ctx *c)
{
	struct api_app *a = c->app;

	if (open_db(a) != 0 || query_begin(a->q) != 0)
		return -1;
	if (query_meta(a->q, &a->meta) != 0) {
		query_end(a->q);
		return -1;
	}
	c->r->data_version = a->meta.data_version;
	memcpy(c->r->refreshed_at, a->meta.refreshed_at, sizeof c->r->refreshed_at);
	memcpy(c->r->newest_date, a->meta.newest, sizeof c->r->newest_date);
	return 0;
}

static void
answer(struct api_ctx *c)
{
	struct api_problem p;
	struct http_resp h = { 200, NULL, HTTP_CACHE_DATA, 0, NULL };

	if (api_check(c->route, c->r, &p) != 0) {
		api_problem(c->r, c->out, &p, 0);
		return;
	}
	if (c->route->flags & API_R_NODATA)
		/* The document and page depend on the program alone. */
		c->r->data_version = 0;
	else if (snapshot(c) != 0) {
		api_fail(c->r, c->out, 503, "The database cannot be opened right "
		    "now; please try again later.");
		return;
	}
	set_variant(c);
	if (http_not_modified(c->r)) {
		h.type = c->route->flags & API_R_JSON ?
		    "application/json; charset=utf-8" : "text/html; charset=utf-8";
		api_headers(c, 200, h.type, HTTP_CACHE_DATA, 0);
	} else
		c->route->handle(c);
	if (!(c->route->flags & API_R_NODATA))
		query_end(c->app->q);
}

static void
handle(struct http_req *r, struct sink *out, void *arg)
{
	struct api_app *a = arg;
	struct api_ctx c;
	char place[HTTP_MAX_PATH];

	arena_reset(&a->arena);
	memset(&c, 0, sizeof c);
	c.app = a;
	c.r = r;
	c.out = out;
	c.place = place;
	if (r->bad && r->path[0] == '\0') {
		api_fail(r, out, r->bad_status ? r->bad_status : 400, r->bad_why);
		return;
	}
	if ((c.route = api_route_match(r->path, place, sizeof place)) == NULL) {
		api_fail(r, out, 404, "There is no such endpoint; /api lists them "
		    "and /api/openapi.json describes them.");
		return;
	}
	if (r->method != HTTP_GET && r->method != HTTP_HEAD) {
		struct api_problem p = { 405, "Method Not Allowed",
		    "Only GET and HEAD are allowed.", "" };
		api_problem(r, out, &p, HTTP_ALLOW_GET);
		return;
	}
	answer(&c);
}

int
main(void)
{
	static struct api_app app;
	struct fcgi_app fa = { .name = "api", .keys = api_keys, .nkeys = P__MAX,
	    .handle = handle, .arg = &app };
	int rc;

	app.db_path = getenv("COVID_DB");
	if (app.db_path == NULL || *app.db_path == '\0')
		app.db_path = "var/covid.db";
	if ((doc_hash = document_hash()) == 0) {
		log_err("api: the OpenAPI document cannot be generated (a bug)");
		return 1;
	}
	/* Opened now when it can be, else on the first request that needs it. */
	if (open_db(&app) != 0)
		log_warn("api: no database at %s yet; answering 503 until there is",
		    app.db_path);
	rc = fcgi_loop(&fa);
	close_db(&app);
	arena_free(&app.arena);
	return rc;
}
