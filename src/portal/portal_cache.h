/* portal_cache: the page cache nginx answers from without waking a worker.
 * A page whose bytes are a function of the data version, the build and its
 * path alone (the route says so: R_PAGE_CACHE in cgi-bin/portal.c), asked
 * for with GET and no query string and answered 200, is written whole to
 * $COVID_PAGE_CACHE/v<N>-<build>/<path>/index.html, beside it
 * index.html.gz for nginx's gzip_static (each a temporary file
 * renamed into place, the .gz first; their mtime is the data's refresh time, which nginx
 * sends as Last-Modified, as the portal does). The directory is the one of
 * the version the page was rendered from (its ETag without the quotes), so
 * a worker still reading an old snapshot writes only where nobody reads.
 * $COVID_PAGE_CACHE/current names the directory nginx serves (base/vdir.h):
 * a worker points it at its own version's directory when it is not
 * already, but only after checking, under the cache's lock and outside any
 * read transaction, that the database is still at that version; covid-ingest
 * removes the link, under the same lock, after it changed the data. Unset or
 * empty COVID_PAGE_CACHE: no cache, nothing written. */
#ifndef COVID_PORTAL_CACHE_H
#define COVID_PORTAL_CACHE_H

#include <limits.h>

#include "base/sink.h"

struct portal;
struct page_req;

struct page_cache {
	char          root[PATH_MAX / 2];   /* "" when off */
	long long     seen_version;   /* the data version last published for */
	int           capturing;      /* this request's response is copied */
	struct sink   tee;            /* what the page writes to meanwhile */
	struct sink  *out;            /* ... and through it, the real output */
	struct membuf copy;           /* the response as sent, reused */
	struct membuf gz;             /* its body gzip-compressed, reused */
};

/* Reads COVID_PAGE_CACHE and creates the directory. 0, or -1 after logging
 * (the portal then runs without the cache). */
int page_cache_init(struct page_cache *c);

/* Before a cacheable route's page: when the request may be cached (the
 * cache is on, GET, no query string, a path of plain segments), points
 * pr->out at a sink that copies the response. */
void page_cache_begin(struct portal *p, struct page_req *pr);

/* After the request, its read transaction ended: stores the copied page
 * when it was a 200, then makes its version's directory current when it is
 * not yet and the database is still at that version. Also called for every
 * other request: when the data version moved since the last time, the new
 * version is published (an empty directory: nginx then asks the workers,
 * which fill it), so an ingest killed before it could withdraw the link
 * leaves old pages current only until a worker's next request. */
void page_cache_end(struct portal *p, struct page_req *pr);

void page_cache_free(struct page_cache *c);

#endif
