/* portal: the state the portal program and its pages share: the request
 * keys (one table), the database opened lazily, the data version read at
 * the start of a request, and the snapshot a page's queries share. The
 * program (cgi-bin/portal.c) holds only the route table and main. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/log.h"
#include "portal/portal.h"
#include "store/db.h"

static const char *const sorts[] = {
	"name", "confirmed", "deaths", "new_confirmed", "new_deaths",
	"avg_confirmed", "confirmed_per_100k", "deaths_per_100k", NULL
};
static const char *const orders[] = { "asc", "desc", NULL };
static const char *const scales[] = { "lin", "log", NULL };
const char *const map_metrics[METRIC__MAX + 1] = {
	"confirmed", "deaths", "confirmed_per_100k", "deaths_per_100k",
	"new_per_100k_7d", "cfr", NULL
};
/* /downloads is the export form: it takes the export keys, declared once
 * in export_request.h, at K_LEVEL.. in the same order. */
_Static_assert(K_COUNTRY == K_LEVEL + EXPORT_KEY_COUNTRY &&
    K_PROVINCE == K_LEVEL + EXPORT_KEY_PROVINCE &&
    K_FROM == K_LEVEL + EXPORT_KEY_FROM && K_TO == K_LEVEL + EXPORT_KEY_TO &&
    K_SHAPE == K_LEVEL + EXPORT_KEY_SHAPE && K_BOM == K_LEVEL + EXPORT_KEY_BOM,
    "portal.h's export keys are in export_request.h's order");

const struct http_key portal_keys[K__MAX] = {
	[K_SORT]     = { "sort",     http_valid_enum, sorts,  0, 0, 0 },
	[K_ORDER]    = { "order",    http_valid_enum, orders, 0, 0, 0 },
	[K_PAGE]     = { "page",     http_valid_int,  NULL,   1, 10000, 0 },
	[K_Q]        = { "q",        http_valid_text, NULL,   0, 100, 0 },
	[K_SCALE]    = { "scale",    http_valid_enum, scales, 0, 0, 0 },
	EXPORT_REQUEST_KEYS(K_LEVEL),
	[K_METRIC]   = { "metric",   http_valid_enum, map_metrics, 0, 0, 0 },
	[K_DATE]     = { "date",     http_valid_date, NULL,   0, 0, 0 },
};

enum { RETRY_SECONDS = 2 };

/* Opens the database when it is not open; a failure is retried at most
 * every RETRY_SECONDS, so a missing database costs little per request. */
int
portal_open_db(struct portal *p)
{
	time_t now = time(NULL);

	if (p->q != NULL)
		return 0;
	if (now < p->retry_at)
		return -1;
	p->retry_at = now + RETRY_SECONDS;
	if ((p->db = db_open_ro(p->db_path)) == NULL)
		return -1;
	if ((p->q = query_open(p->db)) == NULL ||
	    (p->qs = query_status_open(p->db)) == NULL ||
	    (p->qf = query_forecast_open(p->db)) == NULL) {
		query_status_close(p->qs);
		p->qs = NULL;
		query_close(p->q);
		p->q = NULL;
		sqlite3_close(p->db);
		p->db = NULL;
		return -1;
	}
	/* Which file that is: /healthz compares it with what the path names
	 * later (a file replaced or deleted under the open handle). */
	struct stat st;
	if (stat(p->db_path, &st) == 0) {
		p->db_dev = st.st_dev;
		p->db_ino = st.st_ino;
	}
	log_info("portal: database %s open", p->db_path);
	return 0;
}

/* The facts about the data, re-read only when the data version moves. In
 * the steady state this is the request's only statement: one primary-key
 * lookup in its own (autocommit) read transaction. When the version moved,
 * the rest is read inside a transaction that stays open for the request,
 * so the dates and the pages' queries agree with the version. */
int
portal_meta(struct portal *p)
{
	long long v;

	if (query_data_version(p->q, &v) != 0)
		return -1;
	if (v == p->meta.data_version && p->meta.newest[0] != '\0')
		return 0;
	if (query_begin(p->q) != 0 || query_meta(p->q, &p->meta) != 0) {
		p->meta.data_version = -1;
		return -1;
	}
	return 0;
}

_Static_assert(sizeof ((struct http_req *)0)->refreshed_at ==
    sizeof ((struct q_meta *)0)->refreshed_at &&
    sizeof ((struct http_req *)0)->newest_date ==
    sizeof ((struct q_meta *)0)->newest, "portal_request_meta copies whole arrays");

/* The request's copy of what the headers and the footer show. */
void
portal_request_meta(struct http_req *r, const struct q_meta *m)
{
	r->data_version = m->data_version;
	memcpy(r->refreshed_at, m->refreshed_at, sizeof r->refreshed_at);
	memcpy(r->newest_date, m->newest, sizeof r->newest_date);
}

int
portal_snapshot(struct page_req *pr)
{
	/* BEGIN is deferred: the snapshot starts with the version check
	 * inside it, which also catches an ingest that committed since the
	 * request's first check. */
	if (query_begin(pr->p->q) != 0 || portal_meta(pr->p) != 0)
		return -1;
	portal_request_meta(pr->r, &pr->p->meta);
	return 0;
}


void
portal_close(struct portal *p)
{
	query_forecast_close(p->qf);
	query_status_close(p->qs);
	query_close(p->q);
	if (p->db != NULL)
		sqlite3_close(p->db);
	arena_free(&p->arena);
	page_cache_free(&p->pages);
	page_cleanup();
}
