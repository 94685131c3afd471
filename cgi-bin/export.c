/* export: the FastCGI program behind /export.csv and /export.xlsx (issue 4),
 * in its own process pool so that a long export never holds up the pages.
 *
 * A request is checked and normalised completely (export_request.h) before
 * anything is sent: a wrong one gets a 400 page saying what. The response is
 * a pure function of (data version, everything the file depends on), which
 * is its ETag, so If-None-Match gets a 304. Every file, CSV and XLSX, is
 * generated whole into the disk cache (export_cache.h) and sent by nginx
 * (X-Accel-Redirect) with its length: a worker killed mid-export leaves the
 * client a 502, never a truncated file that looks complete. When no cache
 * is usable (it cannot be made, or fails), the file is built in a temporary
 * file, sent by the worker with its Content-Length, and the log says why.
 * Everything runs in one read transaction: the data version, the names and
 * the rows all come from the same snapshot.
 *
 * Environment:
 *   COVID_DB                the database (required)
 *   COVID_TEMPLATES         templates for error pages (default "templates")
 *   COVID_CACHE_DIR         the file cache (default "var/cache"; made with
 *                           its parents when missing)
 *   COVID_CACHE_MAX_MB      its size bound (default 512, 1..1048576)
 *   COVID_EXPORT_ACCEL      nginx's internal location for the cache
 *                           (default "/_export_cache/"; "" sends files itself)
 *   COVID_EXPORT_SHEET_ROWS rows per XLSX sheet, header included (default
 *                           Excel's 1,048,576; smaller for tests)
 *   TMPDIR                  where files are built without a cache
 *                           (default /var/tmp: real disk, not RAM) */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/env.h"
#include "base/log.h"
#include "base/sha256.h"
#include "export/export_cache.h"
#include "export/export_csv.h"
#include "export/export_request.h"
#include "export/xlsx_export.h"
#include "query/query_export.h"
#include "store/db.h"
#include "web/fcgi_loop.h"
#include "web/http.h"
#include "web/metrics.h"
#include "web/page.h"

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

static const struct route {
	const char         *path;
	enum export_format  format;
	const char         *type;
	const char         *ext;
} routes[] = {
	{ "/export.csv", EXPORT_CSV, "text/csv; charset=utf-8", "csv" },
	{ "/export.xlsx", EXPORT_XLSX, XLSX_TYPE, "xlsx" },
};

static struct {
	const char          *db_path;
	sqlite3             *db;
	struct export_query *q;
	struct export_cache  cache;
	const char          *cache_dir;
	unsigned long long   cache_max;
	int                  cache_ok;
	const char          *accel;
	const char          *tmpdir;      /* for files built without the cache */
	unsigned long        sheet_rows;
} app;

/* One request's state, reset every time round (see handle). */
struct job {
	struct http_req       *r;
	struct sink           *out;
	const struct route    *route;
	struct export_request  req;
	char                  *identity;   /* export_request_identity */
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

/* The ETag is http.h's "v<data version>-<id>"; here the id is this
 * request's variant, a hash of the identity (format version, canonical
 * request, settings), so it changes when any of them does and two spellings
 * of one request share it. The cache is keyed by the same string. The
 * program's build id stays as it is for the next request's pages. */
static int
set_etag(struct job *j)
{
	unsigned char d[32];

	if (sha256(j->identity, strlen(j->identity), d) != 0) {
		log_err("export: cannot hash the request (out of memory)");
		return -1;
	}
	j->r->has_variant = 1;
	j->r->variant = (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 |
	    (uint32_t)d[2] << 8 | d[3];
	j->r->data_version = j->version;
	return 0;
}

static struct http_resp
response(const struct job *j)
{
	struct http_resp h = { 200, j->route->type, HTTP_CACHE_DATA, 0,
	    j->req.filename };
	return h;
}

static int
write_csv(struct job *j, const char *path)
{
	unsigned long long rows = 0;
	double t0 = now_ms();
	struct sink s;
	FILE *fp;
	int rc;

	if ((fp = fopen(path, "wb")) == NULL) {
		log_err("export: open %s: %s", path, strerror(errno));
		return -1;
	}
	s = file_sink(fp);
	rc = export_csv_write(&s, app.q, &j->req, &rows);
	if (fclose(fp) != 0 || s.failed) {
		log_err("export: write %s: %s", path, strerror(errno));
		rc = -1;
	}
	if (rc == 0)
		log_info("export: csv generated %s rows=%llu bytes=%zu ms=%.0f",
		    j->req.canonical, rows, s.bytes, now_ms() - t0);
	return rc;
}

static int
write_xlsx(struct job *j, const char *path, const char *tmpdir)
{
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
	rc = xlsx_export_write(path, tmpdir, app.q, &j->req, &info);
	if (rc == 0)
		log_info("export: xlsx generated %s rows=%llu sheets=%u ms=%.0f",
		    j->req.canonical, info.rows, info.sheets, now_ms() - t0);
	return rc;
}

/* Writes the request's file at path (an export_cache_fill). */
static int
generate(void *arg, const char *path, const char *tmpdir)
{
	struct job *j = arg;
	int rc;

	if (export_query_begin(app.q, &j->req) != 0)
		return -1;
	if (j->route->format == EXPORT_CSV)
		rc = write_csv(j, path);
	else
		rc = write_xlsx(j, path, tmpdir);
	export_query_end(app.q);
	return rc;
}

/* http_headers plus one line http.h has no field for (X-Accel-Redirect,
 * Content-Length): the header block is built in memory and the line goes
 * in before the blank line that ends it. Only for a GET answered 200.
 * Returns 1 when the body should follow. */
static int
headers_plus(struct job *j, const struct http_resp *h, const char *line)
{
	struct membuf b = { 0 };
	struct sink s = membuf_sink(&b);
	int body = http_headers(j->r, &s, h);

	if (!body || s.failed || b.len < 2) {
		sink_write(j->out, b.data, b.len);
		body = 0;
	} else {
		sink_write(j->out, b.data, b.len - 2);
		sink_printf(j->out, "%s\r\n\r\n", line);
	}
	membuf_free(&b);
	return body && !j->out->failed;
}

/* Sends the file open on fd with its Content-Length (so a client can tell
 * a short one). Returns 0, or -1 when nothing was sent (fd unreadable). */
static int
send_fd(struct job *j, const struct http_resp *h, int fd)
{
	char line[64], buf[65536];
	struct stat st;
	ssize_t n;

	if (fstat(fd, &st) != 0) {
		log_err("export: fstat: %s", strerror(errno));
		return -1;
	}
	snprintf(line, sizeof line, "Content-Length: %lld", (long long)st.st_size);
	if (headers_plus(j, h, line))
		while ((n = read(fd, buf, sizeof buf)) > 0 && !j->out->failed)
			sink_write(j->out, buf, (size_t)n);
	return 0;
}

/* Sends the cache entry name: nginx does (X-Accel-Redirect), or without
 * nginx in front (COVID_EXPORT_ACCEL="") this worker. */
static int
send_entry(struct job *j, const struct http_resp *h, const char *name)
{
	char path[PATH_MAX], line[PATH_MAX + 32];
	struct stat st;
	int fd, rc;

	snprintf(path, sizeof path, "%s/%s", app.cache.dir, name);
	if (app.accel[0] != '\0') {
		snprintf(line, sizeof line, "X-Accel-Redirect: %s%s", app.accel, name);
		headers_plus(j, h, line);
		/* nginx sends the body; count it as exported all the same. */
		if (stat(path, &st) == 0)
			metrics_add_bytes((unsigned long long)st.st_size);
		return 0;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		log_err("export: open %s: %s", path, strerror(errno));
		return -1;
	}
	rc = send_fd(j, h, fd);
	close(fd);
	return rc;
}

/* The file from the cache, generated first when missing. Returns 0 when
 * the response went out, -1 when the cache is of no use (logged; the next
 * request sets it up again). */
static int
serve_cached(struct job *j, const struct http_resp *h)
{
	char name[128];
	int generated;

	if (!app.cache_ok)
		app.cache_ok = export_cache_init(&app.cache, app.cache_dir,
		    app.cache_max) == 0;
	if (!app.cache_ok)
		return -1;
	if (export_cache_get(&app.cache, j->version, j->identity, j->route->ext,
	    generate, j, name, sizeof name, &generated) != 0) {
		app.cache_ok = 0;
		return -1;
	}
	if (!generated)
		log_info("export: %s cache hit %s %s", j->route->ext,
		    j->req.canonical, name);
	else if (export_cache_trim(&app.cache, j->version, name) < 0)
		log_warn("export: cache trim failed");
	if (send_entry(j, h, name) != 0) {
		app.cache_ok = 0;
		return -1;
	}
	return 0;
}

/* Without a usable cache: the file built in a temporary file of its own
 * (removed once open), sent by this worker with its length. */
static void
serve_uncached(struct job *j, const struct http_resp *h)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof path, "%s/covid-export.XXXXXX", app.tmpdir);
	if ((fd = mkstemp(path)) < 0) {
		log_err("export: %s: no cache and no temporary file (mkstemp %s: %s)",
		    j->req.canonical, path, strerror(errno));
		error_page(j->r, j->out, 503, "There is no room to build the file "
		    "right now; please try again later.", 0);
		return;
	}
	close(fd);
	log_warn("export: %s: built without the cache (%s, see above), in %s",
	    j->req.canonical, app.cache_dir, path);
	fd = generate(j, path, app.tmpdir) == 0 ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	unlink(path);
	if (fd < 0 || send_fd(j, h, fd) != 0)
		error_page(j->r, j->out, 500, NULL, 0);
	if (fd >= 0)
		close(fd);
}

static void
serve_file(struct job *j)
{
	struct http_resp h = response(j);

	if (j->r->method == HTTP_HEAD || http_not_modified(j->r)) {
		http_headers(j->r, j->out, &h);
		return;
	}
	if (serve_cached(j, &h) != 0)
		serve_uncached(j, &h);
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
	if ((j->identity = export_request_identity(&j->req, app.sheet_rows)) == NULL) {
		log_err("export: out of memory");
		error_page(j->r, j->out, 500, NULL, 0);
		return;
	}
	if (set_etag(j) != 0) {
		error_page(j->r, j->out, 500, NULL, 0);
		return;
	}
	serve_file(j);
}

/* /healthz/export: the export pool's probe (README "Monitor"). That a
 * worker took the request is the news: nginx gives up on it after 3 s when
 * none is alive. The database is /healthz's business, not repeated here. */
static void
healthz_export(struct http_req *r, struct sink *out)
{
	struct http_resp h = { 200, "text/plain; charset=utf-8", HTTP_CACHE_NONE,
	    0, NULL };

	if (r->method != HTTP_GET && r->method != HTTP_HEAD)
		error_page(r, out, 405, NULL, HTTP_ALLOW_GET);
	else if (http_headers(r, out, &h))
		sink_puts(out, "ok\n");
}

static void
handle(struct http_req *r, struct sink *out, void *arg)
{
	struct job j;
	size_t i;

	(void)arg;
	if (strcmp(r->path, "/healthz/export") == 0) {
		healthz_export(r, out);
		return;
	}
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
	free(j.identity);
}

enum {
	SHEET_ROWS_MAX = 1048576,       /* Excel's rows a sheet */
	CACHE_MAX_MB   = 1 << 20,       /* a tebibyte: no overflow in bytes */
};

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
	for (int l = 0; l < GEO__MAX; l++)
		for (int s = 0; s < SHAPE__MAX; s++)
			if (strcmp(level, export_level_name((enum geo_level)l)) == 0 &&
			    strcmp(shape, export_shape_name((enum export_shape)s)) == 0) {
				printf("%s;\n", export_query_sql((enum geo_level)l,
				    (enum export_shape)s));
				return 0;
			}
	fprintf(stderr, "usage: export.fcgi --sql country|province|county wide|long\n");
	return 2;
}

int
main(int argc, char **argv)
{
	struct fcgi_app fa = { .name = "export", .handle = handle };
	long rows, mb;
	int rc;

	if (argc == 4 && strcmp(argv[1], "--sql") == 0)
		return print_sql(argv[2], argv[3]);
	if ((app.db_path = getenv("COVID_DB")) == NULL || *app.db_path == '\0') {
		log_err("export: COVID_DB is not set");
		return 1;
	}
	app.accel = env("COVID_EXPORT_ACCEL", "/_export_cache/");
	/* A bad size stops the worker, as a missing COVID_DB does: "1G" read
	 * as 1 MB, or "50k" rows as 50, would serve wrong files quietly. A
	 * sheet holds the header and at least one row, at most Excel's rows. */
	if (env_long("COVID_EXPORT_SHEET_ROWS", 0, 2, SHEET_ROWS_MAX, &rows) != 0 ||
	    env_long("COVID_CACHE_MAX_MB", 512, 1, CACHE_MAX_MB, &mb) != 0) {
		log_err("export: not starting with a bad setting");
		return 1;
	}
	app.sheet_rows = (unsigned long)rows;
	if (page_init(env("COVID_TEMPLATES", "templates")) != 0)
		log_warn("export: no templates; error pages are plain");
	app.cache_dir = env("COVID_CACHE_DIR", "var/cache");
	app.cache_max = (unsigned long long)mb << 20;
	/* Set up now when it can be; else on each request until it can. */
	app.cache_ok = export_cache_init(&app.cache, app.cache_dir, app.cache_max) == 0;
	app.tmpdir = env("TMPDIR", "");
	if (app.tmpdir[0] == '\0')
		app.tmpdir = "/var/tmp";
	fa.keys = export_request_keys(&fa.nkeys);
	rc = fcgi_loop(&fa);
	export_query_close(app.q);
	sqlite3_close(app.db);
	page_cleanup();
	return rc;
}
