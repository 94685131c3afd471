/* portal: what the portal program's pages share (portal.c: the keys, the
 * database, the data version). cgi-bin/portal.c holds the route table and
 * main; each page is a portal_*.c file with an init (its templates, loaded
 * once at start-up) and a handler. Nothing here includes the program. */
#ifndef COVID_PORTAL_H
#define COVID_PORTAL_H

#include <sys/types.h>
#include <time.h>

#include "base/arena.h"
#include "export/export_request.h"   /* /downloads: the export keys and levels */
#include "portal/portal_cache.h"
#include "query/query.h"
#include "query/query_forecast.h"
#include "query/query_status.h"
#include "web/http.h"
#include "web/page.h"
#include "web/template.h"

/* Every query key the portal accepts, declared once with its validator. */
enum pkey {
	K_SORT, K_ORDER, K_PAGE, K_Q, K_SCALE,
	K_LEVEL, K_COUNTRY, K_PROVINCE, K_FROM, K_TO, K_SHAPE, K_BOM,
	K_METRIC, K_DATE,
	K__MAX
};
#define KEY(k) (1u << (k))
extern const struct http_key portal_keys[K__MAX];

/* The columns a table of places sorts by (?sort=), in portal_keys' order. */
enum sort_key {
	SORT_NAME, SORT_CONFIRMED, SORT_DEATHS, SORT_NEW_CONFIRMED,
	SORT_NEW_DEATHS, SORT_AVG_CONFIRMED, SORT_CONFIRMED_100K,
	SORT_DEATHS_100K, SORT__MAX
};
enum { SCALE_LIN, SCALE_LOG };
/* What /map colours by (?metric=), in portal_keys' order (map_metrics). */
enum map_metric {
	METRIC_CONFIRMED, METRIC_DEATHS, METRIC_CONFIRMED_100K,
	METRIC_DEATHS_100K, METRIC_NEW_100K_7D, METRIC_CFR, METRIC__MAX
};
extern const char *const map_metrics[METRIC__MAX + 1];

/* The process: one database handle and its statements, opened lazily (a
 * worker started before the first ingest answers 503 until there is a
 * database) and kept for the life of the process. */
struct portal {
	const char    *db_path;
	sqlite3       *db;
	struct query  *q;
	struct query_status *qs;   /* the job log, for /status and friends */
	struct query_forecast *qf; /* the forecasts: /forecasts, region fans */
	time_t         retry_at;   /* next attempt to open after a failure */
	dev_t          db_dev;     /* the file opened, to notice it replaced */
	ino_t          db_ino;     /* or deleted (/healthz) */
	long           stale_hours;   /* COVID_STALE_HOURS (portal_status.c) */
	struct q_meta  meta;       /* read at the start of every request */
	struct arena   arena;      /* the request's allocations; reset each time */
	struct page_cache pages;   /* COVID_PAGE_CACHE (portal_cache.h) */
};

/* One request, as pages see it. */
struct page_req {
	struct portal   *p;
	struct http_req *r;
	struct sink     *out;
	struct arena    *a;
	const char      *rest;     /* the path after a prefix route's prefix */
};

/* Frees what the process holds (the program loads the pages' templates
 * itself: each page's init). */
void portal_close(struct portal *p);

/* Opens the database when it is not open; a failure is retried at most
 * every 2 s, so a missing database costs little per request. 0 or -1. */
int portal_open_db(struct portal *p);

/* Re-reads the facts about the data (p->meta) when the data version moved:
 * 0, or -1 (p->meta.data_version is then -1). */
int portal_meta(struct portal *p);

/* Copies what the headers and the footer show into the request. */
void portal_request_meta(struct http_req *r, const struct q_meta *m);

/* A page that queries the database calls this first: it opens the read
 * transaction the page's queries share (one snapshot, even while an ingest
 * commits) and makes the request's data version that snapshot's. Until
 * then a request has made one statement, the data version check. 0, or -1
 * after logging (answer 500). */
int portal_snapshot(struct page_req *pr);

/* Sends a 200 page: headers (ETag from the data version), then the layout
 * with body when the method wants a body. */
void portal_send(struct page_req *pr, const struct page_meta *m,
    const struct tmpl *body, const struct tmpl_cbs *cbs);

/* Numbers as the pages show them: thousands separators; "" for none. */
void out_count(struct tmpl_out *o, long long v);
void out_average(struct tmpl_out *o, double v);   /* 7-day averages */
void out_per_100k(struct tmpl_out *o, long long v, long long population);
/* A signed count for "new" figures: "+1,234", "−56" (a correction). */
void out_delta(struct tmpl_out *o, long long v);
/* "Kings, New York, US": the place and what it is in. */
void out_place(struct tmpl_out *o, const struct q_location *l);
const char *level_label(enum geo_level level);
/* Which product a daily history comes from, as a sentence for a note or a
 * chart's text alternative (query.h): "Daily history from JHU's time
 * series." and the like; "" when s is empty. */
void source_note(char *buf, size_t len, const struct q_series *s);

/* A table of places for one data version: each row rendered once (through
 * templates/table_row.html); each ordering sorted, and its rows joined into
 * the table's body, once, on first use. Everything lives in the arena of
 * the cache that owns it. */
struct table_data {
	const struct q_row *rows;
	size_t              n;
	const char        **html;     /* row i, rendered */
	size_t             *len;
	size_t             *order[SORT__MAX][2];   /* [sort][desc], lazily */
	const char         *body[SORT__MAX][2];    /* the rows in that order */
	size_t              body_len[SORT__MAX][2];
	struct arena       *a;
};
int table_prepare(struct arena *a, struct table_data *td,
    const struct q_row *rows, size_t n);

/* One request's view of a table: the order asked for, the links to make. */
struct place_table {
	struct table_data  *data;
	const char         *body;      /* the rows, rendered, in that order */
	size_t              body_len;
	int                 sort, desc;
	const char         *caption;
	const char         *link_base; /* query to keep in sort links ("scale=log&") */
};
int table_init(void);
/* Picks the order from ?sort=&order= (t->sort holds the default). */
int table_sort(struct place_table *t, const struct http_req *r);
int table_render(struct tmpl_out *o, struct place_table *t);

/* The table component itself (templates/table.html), for any sortable
 * table: the dashboard's and the region pages' (table_render) and the
 * maps'. A column: its heading, the query its heading links to (the
 * order it sorts in when followed; HTML-escaped here, URL-escaped by the
 * caller), whether the table is sorted by it and which way, and "name" or
 * "num" (the cells' alignment). body is the rows, rendered and escaped. */
struct table_col {
	const char *label;
	const char *query;
	int         current, desc, numeric;
};
struct table_view {
	const char             *class_;    /* the table's: "places" and more */
	const char             *caption;
	const struct table_col *cols;
	size_t                  ncols;
	const char             *body;
	size_t                  body_len;
};
int table_render_view(struct tmpl_out *o, const struct table_view *v);

/* The pages. */
int dashboard_init(void);
void dashboard_page(struct page_req *pr);
/* Computes the dashboard's data for p->meta's version ahead of the first
 * request (inside a read transaction). 0, or -1 after logging. */
int dashboard_warm(struct portal *p);
int region_init(void);
void region_page(struct page_req *pr);
int search_init(void);
void search_page(struct page_req *pr);
int downloads_init(void);
void downloads_page(struct page_req *pr);
int about_init(void);
void about_page(struct page_req *pr);
/* /map: the world by country (portal_map.c). The geometry is read once
 * here: COVID_GEO (the US files beside it), else tdir/../data/geo/world.tsv (beside the templates,
 * in the checkout and when installed). Without it the page answers 503 and
 * the rest of the portal runs. 0, or -1 (the template). */
int map_init(const char *tdir);
void map_page(struct page_req *pr);
/* /map/us (states), /map/us/counties, /map/us/{state} (its counties):
 * the same page over the US geometry beside world.tsv. */
void map_us_page(struct page_req *pr);
/* The small map of a region page: for the US its states, for a US state
 * its counties, for another country with provinces where it is on the
 * world; children are the place's sub-regions (query_children). 1 with
 * the SVG in svg and the full map's path in link, 0 when there is none to
 * draw, -1 out of memory. */
int map_locator(struct arena *a, const struct q_location *loc,
    const struct q_row *children, size_t n, struct membuf *svg,
    char *link, size_t linklen);

/* Operations: /status (HTML), /healthz and /metrics (text/plain). None of
 * them is cached (they change without a new data version: a failed run
 * changes nothing else), and /healthz and /metrics answer without a
 * database too. */
/* /forecasts: the forecasts' skill, and their files (portal_forecasts.c). */
int forecasts_init(void);
void forecasts_page(struct page_req *pr);
void forecasts_csv_page(struct page_req *pr);

int status_init(void);
void status_page(struct page_req *pr);
void healthz_page(struct page_req *pr);
void metrics_page(struct page_req *pr);

/* Whether the data is older than expected (portal_status.c), from the job
 * log at the time now:
 *   - no ingest run has succeeded within p->stale_hours (COVID_STALE_HOURS,
 *     default 48), or none ever has; or
 *   - a date newer than the newest loaded one failed to load in a run after
 *     the last successful one (the source has, or may have, newer data).
 * The newest date alone cannot tell: JHU's last report is 2023-03-09, so
 * up-to-date data stops there. Inside the request's read transaction. */
struct freshness {
	int            stale;
	int            have_ok;       /* a successful run exists ... */
	struct qs_run  ok;            /* ... the newest one */
	long long      ok_age;        /* seconds since it finished */
	int            too_old;       /* ok_age > the limit, or no ok run */
	int            behind;        /* a newer date failed: ... */
	struct qs_file behind_file;   /* ... this one */
};
long status_stale_hours(void);   /* COVID_STALE_HOURS, checked */
int freshness(struct portal *p, struct arena *a, time_t now, struct freshness *f);

#endif
