/* portal: the covid-portal web pages, a FastCGI program.
 *
 *   /                  the world dashboard
 *   /regions?q=        search places by name
 *   /region/{slug}     one place
 *   /map               the world by country (?metric=, ?date=)
 *   /map/us            US states; /map/us/counties, /map/us/{state}: counties
 *   /downloads         the export form (files come from export.fcgi)
 *   /about             sources, licence, method
 *   /forecasts         the forecasts' skill; /forecasts/{forecasts,scores}.csv
 *   /status            data version, freshness, the ingest's job log
 *   /healthz           "ok" or 503 and why, for load balancers
 *   /metrics           Prometheus text format, every worker of every program
 *
 * Environment: COVID_DB (the database, opened read-only; default
 * var/covid.db), COVID_TEMPLATES (default "templates", relative to the
 * working directory, which is the repository root under `make run`),
 * COVID_STALE_HOURS (when /status calls the data old; default 48),
 * COVID_METRICS_FILE (the shared counters; see metrics.h),
 * COVID_PAGE_CACHE (pages written for nginx to send; portal_cache.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "portal/portal.h"
#include "web/fcgi_loop.h"
#include "web/page.h"

/* Route flags. LIVE: the answer is not a function of the data version (a
 * failed ingest run changes it, not the data), so no ETag and no 304.
 * NODB: answers without a database too (it says so itself). */
#define R_LIVE 1u
#define R_NODB 2u
/* PAGE_CACHE: without a query string the page's bytes are a function of
 * the data version, the build and the path alone (no time of the request,
 * no job log), so nginx may send it from the page cache (portal_cache.h). */
#define R_PAGE_CACHE 4u

/* The whole request surface: path, handler, methods, the keys it reads. */
static const struct route {
	const char *path;
	int         prefix;     /* path is a prefix; the rest goes to the page */
	void      (*page)(struct page_req *);
	unsigned    methods;
	unsigned    keys;
	unsigned    flags;
} routes[] = {
	{ "/",          0, dashboard_page, HTTP_ALLOW_GET, KEY(K_SORT) | KEY(K_ORDER),
	    R_PAGE_CACHE },
	{ "/regions",   0, search_page,    HTTP_ALLOW_GET, KEY(K_Q) | KEY(K_PAGE),
	    R_PAGE_CACHE },
	{ "/region/",   1, region_page,    HTTP_ALLOW_GET,
	    KEY(K_SCALE) | KEY(K_SORT) | KEY(K_ORDER), R_PAGE_CACHE },
	{ "/map",       0, map_page,       HTTP_ALLOW_GET,
	    KEY(K_METRIC) | KEY(K_DATE) | KEY(K_SORT) | KEY(K_ORDER), R_PAGE_CACHE },
	{ "/map/",      1, map_us_page,    HTTP_ALLOW_GET,
	    KEY(K_METRIC) | KEY(K_DATE) | KEY(K_SORT) | KEY(K_ORDER), R_PAGE_CACHE },
	{ "/downloads", 0, downloads_page, HTTP_ALLOW_GET,
	    KEY(K_LEVEL) | KEY(K_COUNTRY) | KEY(K_PROVINCE) | KEY(K_FROM) |
	    KEY(K_TO) | KEY(K_SHAPE) | KEY(K_BOM), 0 },
	{ "/about",     0, about_page,     HTTP_ALLOW_GET, 0, 0 },
	{ "/forecasts", 0, forecasts_page, HTTP_ALLOW_GET, 0, R_PAGE_CACHE },
	{ "/forecasts/", 1, forecasts_csv_page, HTTP_ALLOW_GET,
	    KEY(K_LEVEL) | KEY(K_DATE), 0 },
	{ "/status",    0, status_page,    HTTP_ALLOW_GET, 0, R_LIVE },
	{ "/healthz",   0, healthz_page,   HTTP_ALLOW_GET, 0, R_LIVE | R_NODB },
	{ "/metrics",   0, metrics_page,   HTTP_ALLOW_GET, 0, R_LIVE | R_NODB },
};

static const struct route *
route_for(const char *path, const char **rest)
{
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		const struct route *rt = &routes[i];
		size_t len = strlen(rt->path);
		if (rt->prefix ? strncmp(path, rt->path, len) == 0 :
		    strcmp(path, rt->path) == 0) {
			*rest = path + (rt->prefix ? len : strlen(path));
			return rt;
		}
	}
	return NULL;
}

static void
handle(struct http_req *r, struct sink *out, void *arg)
{
	struct portal *p = arg;
	struct page_req pr = { p, r, out, &p->arena, "" };
	const struct route *rt;

	arena_reset(&p->arena);
	/* The data version first: every page shows it in the footer, error
	 * pages included. Without a database only the pages fail (503). Pages
	 * that query more take a snapshot first (portal_snapshot); the rest
	 * (cached data, fixed text) need nothing else from the database. */
	if (portal_open_db(p) == 0 && portal_meta(p) == 0)
		portal_request_meta(r, &p->meta);
	if (r->bad)
		/* A malformed path or query string: nothing to route on. */
		error_page(r, out, 400, r->bad_why, 0);
	else if ((rt = route_for(r->path, &pr.rest)) == NULL)
		error_page(r, out, 404, NULL, 0);
	else if (!(rt->methods & (1u << r->method)))
		error_page(r, out, 405, NULL, rt->methods);
	else if (http_check(r, rt->keys) != 0)
		error_page(r, out, 400, r->errbuf, 0);
	else if (r->data_version < 0 && !(rt->flags & R_NODB))
		error_page(r, out, 503, NULL, 0);
	/* Every other page is a function of its URL, the data version and the
	 * templates, which the ETag covers: a match needs no work at all. */
	else if (!(rt->flags & R_LIVE) && http_not_modified(r)) {
		struct http_resp h = { 200, NULL, HTTP_CACHE_DATA, 0, NULL };
		http_headers(r, out, &h);
	} else {
		if (rt->flags & R_PAGE_CACHE)
			page_cache_begin(p, &pr);
		rt->page(&pr);
	}
	if (p->q != NULL)
		query_end(p->q);
	/* Outside the read transaction: it checks the database's version now. */
	page_cache_end(p, &pr);
}

int
main(void)
{
	static struct portal p;
	const char *tdir = getenv("COVID_TEMPLATES");
	struct fcgi_app app = { .name = "portal", .keys = portal_keys,
	    .nkeys = K__MAX, .handle = handle, .arg = &p };
	int rc;

	p.meta.data_version = -1;
	page_cache_init(&p.pages);   /* a failure is logged: no cache */
	p.stale_hours = status_stale_hours();
	p.db_path = getenv("COVID_DB");
	if (p.db_path == NULL || *p.db_path == '\0')
		p.db_path = "var/covid.db";
	if (tdir == NULL || *tdir == '\0')
		tdir = "templates";
	/* Templates load once, here: a broken one stops the program at
	 * start-up rather than on some page later. */
	if (page_init(tdir) != 0 || table_init() != 0 || dashboard_init() != 0 ||
	    region_init() != 0 || search_init() != 0 || downloads_init() != 0 ||
	    about_init() != 0 || forecasts_init() != 0 || status_init() != 0 || map_init(tdir) != 0) {
		log_err("portal: cannot load the templates from %s "
		    "(set COVID_TEMPLATES)", tdir);
		return 1;
	}
	/* Each worker is its own exec'd process (spawn-fcgi forks, then
	 * execs), so opening here shares no handle across a fork. A worker may
	 * start before the first ingest: then the database opens on a later
	 * request. When it opens now, the dashboard's data is computed before
	 * the first request rather than during it. */
	if (portal_open_db(&p) == 0) {
		if (query_begin(p.q) == 0 && portal_meta(&p) == 0)
			dashboard_warm(&p);
		query_end(p.q);
	}
	rc = fcgi_loop(&app);
	portal_close(&p);
	return rc;
}
