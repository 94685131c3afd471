/* intake: case reports as they happen (issue 16), a FastCGI program run in
 * two pools: the writers' (POST /api/v1/cases) and the readers' (/live and
 * GET /api/v1/cases), so that a flood of writes never queues a page. Its
 * database is cases.db, not covid.db: the intake and the daily ingest
 * never wait for each other. docs/intake.md says what it accepts.
 *
 * A request is answered in this order: a route for the path (else 404), a
 * method the route takes (else 405 with Allow), then the route's handler,
 * which checks the token first (401/403), the body's type (415) and size
 * (413), then the body (400 naming each bad field; nothing is stored).
 *
 * Environment:
 *   COVID_CASES_DB          the database (default var/cases.db; created)
 *   COVID_CASES_SYNC        "normal" (default) or "full": docs/intake.md
 *   COVID_INTAKE_TOKENS     the writers' token file (none: every POST is 401)
 *   COVID_READER_TOKENS     the readers' token file (none: every read is 401)
 *   COVID_LIVE_PUBLISH      nchan's publisher URL (unset: no live events)
 *   COVID_LIVE_PUBLISH_SOCKET  the unix socket that URL is reached through
 *   COVID_LIVE_PUBLISH_INTERVAL_MS  at most one event per worker per this
 *                           (100; 0: every commit): intake_live.h
 *   COVID_TEMPLATES         the templates (default "templates")
 *   COVID_INTAKE_POOL       the pool's name ([a-z0-9-], "blue"), sent as
 *                           X-Served-By with a 201: a deploy can see it
 *   COVID_INTAKE_THREADS    threads per worker (1; at most 64). With more
 *                           than one, their POSTs are committed in groups
 *                           (intake_commit.h): the writers' pool runs one
 *                           worker with several threads (docs/intake.md) */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "base/env.h"
#include "base/log.h"
#include "intake/intake.h"
#include "web/fcgi_loop.h"
#include "web/page.h"

#define ALLOW_POST (1u << HTTP_POST)

static const struct route {
	const char *path;
	unsigned    methods;
	void      (*get)(struct intake_app *, struct http_req *, struct sink *);
	void      (*post)(struct intake_app *, struct http_req *, struct sink *);
} routes[] = {
	{ "/api/v1/cases", HTTP_ALLOW_GET | ALLOW_POST, intake_get_cases,
	    intake_post_cases },
	{ "/live",         HTTP_ALLOW_GET, intake_live_page, NULL },
};

static void
handle(struct http_req *r, struct sink *out, void *arg)
{
	struct intake_app *a = arg;
	const struct route *rt = NULL;

	arena_reset(&a->arena);
	if (r->bad && r->path[0] == '\0') {
		intake_problem(r, out, 400, r->bad_why, NULL);
		return;
	}
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++)
		if (strcmp(r->path, routes[i].path) == 0)
			rt = &routes[i];
	if (rt == NULL) {
		intake_problem(r, out, 404, "There is no such address here.", NULL);
		return;
	}
	if (!(rt->methods & (1u << r->method))) {
		struct http_resp h = { 405, "application/problem+json",
		    HTTP_CACHE_NONE, rt->methods, NULL };
		if (http_headers(r, out, &h))
			sink_puts(out, "{\"type\":\"/api#problem-405\",\"title\":"
			    "\"Method Not Allowed\",\"status\":405}");
		return;
	}
	if (r->method == HTTP_POST)
		rt->post(a, r, out);
	else
		rt->get(a, r, out);
}

static const char *
env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : def;
}

/* A token file, when its variable names one. 0, or -1 (logged). */
static int
load_tokens(const char *var, struct intake_tokens *ts)
{
	const char *path = getenv(var);

	ts->t = NULL;
	ts->n = 0;
	if (path == NULL || *path == '\0') {
		log_warn("intake: %s is not set: no token of that kind is valid", var);
		return 0;
	}
	return intake_tokens_load(path, ts);
}

/* COVID_INTAKE_POOL when it is a plain name (it goes into a header). */
static const char *
pool_name(void)
{
	const char *p = getenv("COVID_INTAKE_POOL");

	if (p == NULL || *p == '\0' || strlen(p) > 32 ||
	    strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(p))
		return NULL;
	return p;
}

/* The threads' own states (thread 0 uses main's): the process's shared
 * pointers, and an arena, a body buffer and a connection of their own. */
static struct intake_app *thread_apps;

static void *
thread_app(void *arg, int i)
{
	struct intake_app *shared = arg, *t;

	if (i == 0)
		return shared;
	t = &thread_apps[i];
	t->db_path = shared->db_path;
	t->sync = shared->sync;
	t->pool_name = shared->pool_name;
	t->writers = shared->writers;
	t->readers = shared->readers;
	t->pub = shared->pub;
	t->live_tmpl = shared->live_tmpl;
	t->committer = shared->committer;
	t->param = shared->param;
	t->read_body = shared->read_body;
	return t;
}

/* Each thread's body buffer (main's included), allocated before any starts:
 * a thread cannot report running out of memory. 0, or -1. */
static int
alloc_threads(struct intake_app *app, long n)
{
	if ((app->body = malloc(INTAKE_MAX_BODY + 1)) == NULL)
		return -1;
	if (n <= 1)
		return 0;
	if ((thread_apps = calloc((size_t)n, sizeof *thread_apps)) == NULL)
		return -1;
	for (long i = 1; i < n; i++)
		if ((thread_apps[i].body = malloc(INTAKE_MAX_BODY + 1)) == NULL)
			return -1;
	return 0;
}

static void
free_threads(long n)
{
	if (thread_apps == NULL)
		return;
	for (long i = 1; i < n; i++) {
		intake_db_close(thread_apps[i].db);
		arena_free(&thread_apps[i].arena);
		free(thread_apps[i].body);
	}
	free(thread_apps);
}

int
main(void)
{
	static struct intake_app app;
	struct fcgi_app fa = { .name = "intake", .keys = intake_keys,
	    .nkeys = K__MAX, .handle = handle, .arg = &app,
	    .thread_arg = thread_app };
	const char *sync = env_or("COVID_CASES_SYNC", "normal");
	long interval, threads = 1;
	int rc = 1;

	app.db_path = env_or("COVID_CASES_DB", "var/cases.db");
	app.pool_name = pool_name();
	app.param = fcgi_request_param;
	app.read_body = fcgi_request_body;
	if (strcasecmp(sync, "normal") != 0 && strcasecmp(sync, "full") != 0) {
		log_err("intake: COVID_CASES_SYNC must be normal or full, not %s", sync);
		return 1;
	}
	app.sync = strcasecmp(sync, "full") == 0 ? "FULL" : "NORMAL";
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		return 1;
	if (env_long("COVID_INTAKE_THREADS", 1, 1, 64, &threads) != 0 ||
	    alloc_threads(&app, threads) != 0 ||
	    load_tokens("COVID_INTAKE_TOKENS", &app.writers) != 0 ||
	    load_tokens("COVID_READER_TOKENS", &app.readers) != 0 ||
	    page_init(env_or("COVID_TEMPLATES", "templates")) != 0 ||
	    intake_live_init(&app) != 0)
		goto out;
	if (env_long("COVID_LIVE_PUBLISH_INTERVAL_MS", 100, 0, 10000, &interval) != 0)
		goto out;
	app.pub = live_publisher_open(getenv("COVID_LIVE_PUBLISH"),
	    getenv("COVID_LIVE_PUBLISH_SOCKET"), interval, app.db_path);
	/* Opened (created, migrated) now when it can be, else on first use. */
	if (intake_open_db(&app) == NULL)
		log_warn("intake: %s cannot be opened yet; answering 503 until it can",
		    app.db_path);
	/* With threads, one committer for all of them; should it not start,
	 * each thread commits on its own connection, as single workers do. */
	if (threads > 1 && app.db != NULL &&
	    (app.committer = intake_committer_open(app.db_path, app.sync, app.pub)) == NULL)
		log_warn("intake: no group commit: each thread commits on its own");
	fa.threads = (int)threads;
	rc = fcgi_loop(&fa);
out:
	intake_committer_close(app.committer);
	free_threads(threads);
	live_publisher_close(app.pub);
	intake_db_close(app.db);
	intake_tokens_free(&app.writers);
	intake_tokens_free(&app.readers);
	tmpl_free(app.live_tmpl);
	page_cleanup();
	arena_free(&app.arena);
	free(app.body);
	curl_global_cleanup();
	return rc;
}
