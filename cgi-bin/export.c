/* export: the FastCGI program behind /export.csv and /export.xlsx (issue 4),
 * in its own process pool so that a long export never holds up the pages.
 *
 * A request is checked and normalised completely (export_request.h) before
 * anything is sent: a wrong one gets a 400 page saying what. The response is
 * a pure function of (data version, canonical request), which is its ETag,
 * so If-None-Match gets a 304. CSV is streamed from sqlite3_step; XLSX is
 * generated once into the disk cache (export_cache.h) and sent by nginx
 * (X-Accel-Redirect). Everything runs in one read transaction: the data
 * version, the names and the rows all come from the same snapshot.
 *
 * Environment:
 *   COVID_DB                the database (required)
 *   COVID_TEMPLATES         templates for error pages (default "templates")
 *   COVID_CACHE_DIR         the XLSX cache (default "var/cache")
 *   COVID_CACHE_MAX_MB      its size bound (default 512)
 *   COVID_EXPORT_ACCEL      nginx's internal location for the cache
 *                           (default "/_export_cache/"; "" sends files itself)
 *   COVID_EXPORT_SHEET_ROWS rows per XLSX sheet, header included (default
 *                           Excel's 1,048,576; smaller for tests) */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "export_cache.h"
#include "export_csv.h"
#include "export_request.h"
#include "fcgi_loop.h"
#include "http.h"
#include "log.h"
#include "metrics.h"
#include "page.h"
#include "query_export.h"
#include "sha256.h"
#include "xlsx_export.h"

/* Bump when the files' layout changes: it is part of every ETag. */
#define EXPORT_FORMAT "export-1"

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

static const struct route {
	const char         *path;
	enum export_format  format;
	const char         *type;
} routes[] = {
	{ "/export.csv", EXPORT_CSV, "text/csv; charset=utf-8" },
	{ "/export.xlsx", EXPORT_XLSX, XLSX_TYPE },
};

static struct {
	const char          *db_path;
	sqlite3             *db;
	struct export_query *q;
	struct export_cache  cache;
	int                  cache_ok;
	const char          *accel;
	unsigned long        sheet_rows;
} app;

/* One request's state, reset every time round (see handle). */
struct job {
	struct http_req       *r;
	struct sink           *out;
	const struct route    *route;
	struct export_request  req;
	long long              version;
	char                   err[512];
};

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Opened on first use, so a worker started before the first ingest
 * recovers once the database is there. */
static int
open_db(void)
{
	if (app.q != NULL)
		return 0;
	if (app.db == NULL && (app.db = db_open_ro(app.db_path)) == NULL)
		return -1;
	if ((app.q = export_query_open(app.db)) == NULL) {
		sqlite3_close(app.db);
		app.db = NULL;
		return -1;
	}
	return 0;
}

/* The ETag is http.h's "v<data version>-<build id>"; here the build id is
 * a hash of the file format and the canonical request, so it changes when
 * either does and two spellings of one request share it. */
static void
set_etag(struct job *j)
{
	unsigned char d[32];
	struct sha256 c;

	sha256_init(&c);
	sha256_update(&c, EXPORT_FORMAT "\n", strlen(EXPORT_FORMAT) + 1);
	sha256_update(&c, j->req.canonical, strlen(j->req.canonical));
	sha256_final(&c, d);
	http_set_build_id((uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 |
	    (uint32_t)d[2] << 8 | d[3]);
	j->r->data_version = j->version;
}

static struct http_resp
response(const struct job *j)
{
	struct http_resp h = { 200, j->route->type, HTTP_CACHE_DATA, 0,
	    j->req.filename };
	return h;
}

static void
serve_csv(struct job *j)
{
	struct http_resp h = response(j);
	unsigned long long rows = 0;
	double t0 = now_ms();

	if (j->r->method == HTTP_HEAD || http_not_modified(j->r)) {
		http_headers(j->r, j->out, &h);
		return;
	}
	if (export_query_begin(app.q, &j->req) != 0) {
		error_page(j->r, j->out, 500, NULL, 0);
		return;
	}
	if (http_headers(j->r, j->out, &h) &&
	    export_csv_write(j->out, app.q, &j->req, &rows) != 0)
		/* Headers are gone: all that is left is to say so in the log. */
		log_err("export: %s: stopped after %llu rows (%s)", j->req.canonical,
		    rows, j->out->failed ? "client went away" : "query failed");
	export_query_end(app.q);
	log_info("export: csv %s rows=%llu bytes=%zu ms=%.0f", j->req.canonical,
	    rows, j->out->bytes, now_ms() - t0);
}

/* Fills a cache entry (export_cache_fill). */
static int
generate(void *arg, const char *path, const char *tmpdir)
{
	struct job *j = arg;
	struct xlsx_export_info info = { 0 };
	char generated[32];
	time_t t = time(NULL);
	struct tm tm;
	double t0 = now_ms();
	int rc;

	gmtime_r(&t, &tm);
	strftime(generated, sizeof generated, "%Y-%m-%dT%H:%M:%SZ", &tm);
	info.data_version = j->version;
	info.generated = generated;
	info.rows_per_sheet = app.sheet_rows;
	if (export_query_begin(app.q, &j->req) != 0)
		return -1;
	rc = xlsx_export_write(path, tmpdir, app.q, &j->req, &info);
	export_query_end(app.q);
	if (rc == 0)
		log_info("export: xlsx generated %s rows=%llu sheets=%u ms=%.0f",
		    j->req.canonical, info.rows, info.sheets, now_ms() - t0);
	return rc;
}

/* http_headers plus X-Accel-Redirect, which http.h has no field for: the
 * header block is built in memory and the line goes in before the blank
 * line that ends it. Only for a GET answered 200. */
static void
headers_accel(struct job *j, const struct http_resp *h, const char *name)
{
	struct membuf b = { 0 };
	struct sink s = membuf_sink(&b);

	if (!http_headers(j->r, &s, h) || s.failed || b.len < 2) {
		sink_write(j->out, b.data, b.len);
	} else {
		char path[PATH_MAX];
		struct stat st;

		sink_write(j->out, b.data, b.len - 2);
		sink_printf(j->out, "X-Accel-Redirect: %s%s\r\n\r\n", app.accel, name);
		/* nginx sends the body; count it as exported all the same. */
		snprintf(path, sizeof path, "%s/%s", app.cache.dir, name);
		if (stat(path, &st) == 0)
			metrics_add_bytes((unsigned long long)st.st_size);
	}
	membuf_free(&b);
}

/* Without nginx in front (COVID_EXPORT_ACCEL=""): the file ourselves. */
static void
send_file(struct job *j, const struct http_resp *h, const char *name)
{
	char path[PATH_MAX], buf[65536];
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "%s/%s", app.cache.dir, name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		log_err("export: open %s: %s", path, strerror(errno));
		error_page(j->r, j->out, 500, NULL, 0);
		return;
	}
	if (http_headers(j->r, j->out, h))
		while ((n = read(fd, buf, sizeof buf)) > 0 && !j->out->failed)
			sink_write(j->out, buf, (size_t)n);
	close(fd);
}

static void
serve_xlsx(struct job *j)
{
	struct http_resp h = response(j);
	char name[128];
	int generated;

	if (j->r->method == HTTP_HEAD || http_not_modified(j->r)) {
		http_headers(j->r, j->out, &h);
		return;
	}
	if (!app.cache_ok) {
		log_err("export: no usable cache directory for XLSX");
		error_page(j->r, j->out, 500, NULL, 0);
		return;
	}
	if (export_cache_get(&app.cache, j->version, j->req.canonical, generate, j,
	    name, sizeof name, &generated) != 0) {
		error_page(j->r, j->out, 500, NULL, 0);
		return;
	}
	if (!generated)
		log_info("export: xlsx cache hit %s %s", j->req.canonical, name);
	else if (export_cache_trim(&app.cache, j->version, name) < 0)
		log_warn("export: cache trim failed");
	if (app.accel[0] != '\0')
		headers_accel(j, &h, name);
	else
		send_file(j, &h, name);
}

static void
serve(struct job *j)
{
	int rc;

	if (export_request_parse(&j->req, j->route->format, j->r, j->err,
	    sizeof j->err) != 0) {
		error_page(j->r, j->out, 400, j->err, 0);
		return;
	}
	if ((j->version = db_data_version(app.db)) < 0) {
		log_err("export: cannot read the data version: %s", sqlite3_errmsg(app.db));
		error_page(j->r, j->out, 500, NULL, 0);
		return;
	}
	if ((rc = export_request_resolve(&j->req, app.q, j->err, sizeof j->err)) != 0) {
		error_page(j->r, j->out, rc > 0 ? 400 : 500, rc > 0 ? j->err : NULL, 0);
		return;
	}
	set_etag(j);
	if (j->route->format == EXPORT_CSV)
		serve_csv(j);
	else
		serve_xlsx(j);
}

static void
handle(struct http_req *r, struct sink *out, void *arg)
{
	struct job j;
	size_t i;

	(void)arg;
	memset(&j, 0, sizeof j);
	j.r = r;
	j.out = out;
	for (i = 0; i < sizeof routes / sizeof routes[0]; i++)
		if (strcmp(r->path, routes[i].path) == 0)
			break;
	if (i == sizeof routes / sizeof routes[0]) {
		error_page(r, out, 404, NULL, 0);
		return;
	}
	j.route = &routes[i];
	if (r->method != HTTP_GET && r->method != HTTP_HEAD) {
		error_page(r, out, 405, NULL, HTTP_ALLOW_GET);
		return;
	}
	if (open_db() != 0) {
		error_page(r, out, 503, NULL, 0);
		return;
	}
	/* One snapshot for the whole request (WAL: the ingest goes on). */
	if (sqlite3_exec(app.db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		log_err("export: begin: %s", sqlite3_errmsg(app.db));
		error_page(r, out, 503, NULL, 0);
		return;
	}
	serve(&j);
	if (sqlite3_exec(app.db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		log_err("export: end of read transaction: %s", sqlite3_errmsg(app.db));
		sqlite3_exec(app.db, "ROLLBACK", NULL, NULL, NULL);
	}
	export_request_free(&j.req);
}

static const char *
env(const char *name, const char *def)
{
	const char *v = getenv(name);
	return v != NULL ? v : def;
}

/* export.fcgi --sql LEVEL SHAPE: prints the row query, for the benchmark's
 * `sqlite3 -csv` floor (parameters ?1 from, ?2 to, ?3, ?4 NULL for all). */
static int
print_sql(const char *level, const char *shape)
{
	for (int l = 0; l < LEVEL__MAX; l++)
		for (int s = 0; s < SHAPE__MAX; s++)
			if (strcmp(level, export_level_name((enum export_level)l)) == 0 &&
			    strcmp(shape, export_shape_name((enum export_shape)s)) == 0) {
				printf("%s;\n", export_query_sql((enum export_level)l,
				    (enum export_shape)s));
				return 0;
			}
	fprintf(stderr, "usage: export.fcgi --sql country|province|county wide|long\n");
	return 2;
}

int
main(int argc, char **argv)
{
	struct fcgi_app fa = { "export", NULL, 0, handle, NULL };
	const char *v;
	int rc;

	if (argc == 4 && strcmp(argv[1], "--sql") == 0)
		return print_sql(argv[2], argv[3]);
	if ((app.db_path = getenv("COVID_DB")) == NULL || *app.db_path == '\0') {
		log_err("export: COVID_DB is not set");
		return 1;
	}
	app.accel = env("COVID_EXPORT_ACCEL", "/_export_cache/");
	if ((v = getenv("COVID_EXPORT_SHEET_ROWS")) != NULL)
		app.sheet_rows = strtoul(v, NULL, 10);
	if (page_init(env("COVID_TEMPLATES", "templates")) != 0)
		log_warn("export: no templates; error pages are plain");
	app.cache_ok = export_cache_init(&app.cache, env("COVID_CACHE_DIR", "var/cache"),
	    strtoull(env("COVID_CACHE_MAX_MB", "512"), NULL, 10) << 20) == 0;
	fa.keys = export_request_keys(&fa.nkeys);
	rc = fcgi_loop(&fa);
	export_query_close(app.q);
	sqlite3_close(app.db);
	page_cleanup();
	return rc;
}
