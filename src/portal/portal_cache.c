/* portal_cache: pages written for nginx to send (see portal_cache.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/date.h"
#include "base/file_write.h"
#include "base/gzip.h"
#include "base/log.h"
#include "base/vdir.h"
#include "portal/portal.h"
#include "portal/portal_cache.h"

/* Creates dir when missing, readable by nginx whatever the umask (the
 * workers run with 0077 for the database's sake). */
static int
make_dir(const char *dir)
{
	if (mkdir(dir, 0755) == 0)
		return chmod(dir, 0755);
	return errno == EEXIST ? 0 : -1;
}

/* mkdir -p of path's directories from offset from on (the part before it
 * exists). path is modified and restored. */
static int
make_dirs(char *path, size_t from)
{
	for (char *p = path + from; *p != '\0'; p++) {
		if (*p != '/' || p == path)
			continue;
		*p = '\0';
		int rc = make_dir(path);
		*p = '/';
		if (rc != 0)
			return -1;
	}
	return make_dir(path);
}

int
page_cache_init(struct page_cache *c)
{
	const char *root = getenv("COVID_PAGE_CACHE");
	char tmp[sizeof c->root];

	memset(c, 0, sizeof *c);
	c->seen_version = -1;
	if (root == NULL || *root == '\0')
		return 0;
	if (root[0] != '/' || strlen(root) >= sizeof c->root - 1) {
		log_err("portal: COVID_PAGE_CACHE must be an absolute path under "
		    "%zu bytes; no page cache", sizeof c->root);
		return -1;
	}
	snprintf(tmp, sizeof tmp, "%s", root);
	if (make_dirs(tmp, 1) != 0) {
		log_err("portal: cannot create the page cache %s: %s; no page cache",
		    root, strerror(errno));
		return -1;
	}
	snprintf(c->root, sizeof c->root, "%s", root);
	return 0;
}

/* The path names a file we may write and nginx will look for: "/", or
 * segments of letters, digits, '-', '_' and '.', none empty or starting
 * with '.' (so no "..", no hidden names, no trailing slash). The nginx
 * sites apply the same pattern before they look. */
static int
cacheable_path(const char *path)
{
	const char *p = path;

	if (*p != '/')
		return 0;
	if (p[1] == '\0')
		return 1;
	while (*p == '/') {
		p++;
		if (*p == '\0' || *p == '.')
			return 0;
		for (; *p != '\0' && *p != '/'; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
			    *p == '.'))
				return 0;
	}
	return *p == '\0';
}

static int
tee_write(void *ctx, const char *buf, size_t len)
{
	struct page_cache *c = ctx;
	struct sink copy = membuf_sink(&c->copy);

	sink_write(c->out, buf, len);
	if (c->out->failed)
		return -1;
	sink_write(&copy, buf, len);
	if (copy.failed)
		c->capturing = 0;   /* out of memory: the page is still sent */
	return 0;
}

void
page_cache_begin(struct portal *p, struct page_req *pr)
{
	struct page_cache *c = &p->pages;
	const struct http_req *r = pr->r;

	/* No pairs: "/?" is the same page as "/" (pages read only their keys);
	 * nginx looks in the cache only when there is no query at all. */
	if (c->root[0] == '\0' || r->method != HTTP_GET || r->npairs != 0 ||
	    !cacheable_path(r->path))
		return;
	c->copy.len = 0;
	c->out = pr->out;
	c->tee = (struct sink){ tee_write, c, 0, 0 };
	c->capturing = 1;
	pr->out = &c->tee;
}

/* Is the database still at version? Outside any read transaction. */
static int
still_current(void *arg, long long version)
{
	struct portal *p = arg;
	long long now;

	if (p->q == NULL || query_data_version(p->q, &now) != 0)
		return -1;
	return now == version;
}

/* The directory name of the version r was rendered from: its ETag. */
static int
version_name(const struct http_req *r, char *name, size_t len)
{
	char etag[48];
	size_t n;

	http_etag(r, etag, sizeof etag);
	n = strlen(etag);
	if (n < 3 || n - 2 >= len)
		return -1;
	memcpy(name, etag + 1, n - 2);
	name[n - 2] = '\0';
	return vdir_version(name) >= 0 ? 0 : -1;
}

/* Writes body to dir/index.html, and its gzip-compressed twin to
 * index.html.gz first, which nginx sends (gzip_static) to a client that
 * accepts gzip, as every browser does: compressing a page once here
 * instead of at every request (a county map's 860 kB took nginx
 * milliseconds each time). A page too large for one zlib call (4 GB)
 * or out of memory has no twin, and nginx compresses it as before.
 * Both have mtime, the data's refresh time, as their modification time,
 * which nginx sends as Last-Modified as the portal does (-1: the time of
 * writing). */
static int
write_page(struct page_cache *c, char *dir, size_t from, const char *body,
    size_t len, time_t mtime)
{
	if (make_dirs(dir, from) != 0)
		return -1;
	/* Level 6, gzip -6's: within a few per cent of 9's size at a third
	 * of its time. */
	if (gzip_mem(body, len, 6, &c->gz) == 0 &&
	    file_write_atomic(dir, "index.html.gz", c->gz.data, c->gz.len,
	    mtime) != 0)
		return -1;
	return file_write_atomic(dir, "index.html", body, len, mtime);
}

static void
publish(struct portal *p, const char *name)
{
	struct page_cache *c = &p->pages;

	if (vdir_publish(c->root, name, still_current, p) < 0)
		log_warn("portal: page cache %s: cannot publish %s", c->root, name);
}

/* Stores the copied response of r in the directory name. */
static void
store(struct portal *p, const struct http_req *r, const char *name)
{
	struct page_cache *c = &p->pages;
	const char *body = c->copy.data, *end;
	char dir[PATH_MAX];
	int n;

	/* The body is what follows the header block. */
	end = body == NULL ? NULL : strstr(body, "\r\n\r\n");
	if (end == NULL)
		return;
	end += 4;
	n = snprintf(dir, sizeof dir, "%s/%s%s", c->root, name,
	    strcmp(r->path, "/") == 0 ? "" : r->path);
	if (n < 0 || (size_t)n >= sizeof dir)
		return;
	if (write_page(c, dir, strlen(c->root), end, c->copy.len - (size_t)(end - body),
	    date_parse_iso(r->refreshed_at)) != 0) {
		log_warn("portal: page cache: cannot write %s/index.html: %s", dir,
		    strerror(errno));
		return;
	}
	publish(p, name);
}

void
page_cache_end(struct portal *p, struct page_req *pr)
{
	struct page_cache *c = &p->pages;
	const struct http_req *r = pr->r;
	char name[48], dir[PATH_MAX];
	int captured = c->capturing;

	c->capturing = 0;
	if (c->root[0] == '\0' || r->data_version < 0 ||
	    version_name(r, name, sizeof name) != 0)
		return;
	if (captured && r->status == 200 && !c->tee.failed && !r->discard_body)
		store(p, r, name);
	else if (r->data_version != c->seen_version &&
	    snprintf(dir, sizeof dir, "%s/%s", c->root, name) < (int)sizeof dir &&
	    make_dir(dir) == 0)
		publish(p, name);
	c->seen_version = r->data_version;
}

void
page_cache_free(struct page_cache *c)
{
	membuf_free(&c->copy);
	membuf_free(&c->gz);
}
