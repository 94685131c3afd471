/* export_cache: generated XLSX files kept on disk, so a repeated download
 * costs no generation and nginx sends the file (X-Accel-Redirect).
 *
 * An entry is named by sha256(data version + canonical request) and starts
 * with the data version: DIR/xlsx/<version>-<sha256>.xlsx. It is generated
 * into DIR/tmp and rename()d into place, so nobody sees half a file. Two
 * identical requests at once generate once: the first holds an flock on
 * DIR/lock/<sha256>.lock while it works; the second waits on it, then finds
 * the file and serves it. After a generation the cache is trimmed: entries
 * of older data versions go, then the least recently used (the later of an
 * entry's creation and its last hit, which touches its lock file: the entry
 * itself is never touched, as nginx derives ETag and Last-Modified from it)
 * until the total is within the bound. libxlsxwriter's own temporary files
 * go to DIR/tmp too, on the same (real) disk. */
#ifndef COVID_EXPORT_CACHE_H
#define COVID_EXPORT_CACHE_H

#include <limits.h>
#include <stddef.h>

struct export_cache {
	char                dir[1024];
	char                tmpdir[PATH_MAX];   /* DIR/tmp */
	unsigned long long  max_bytes;
};

/* Creates DIR/xlsx, DIR/tmp and DIR/lock if needed. max_bytes 0 means the
 * default (512 MiB). Returns 0, or -1 after logging why. */
int export_cache_init(struct export_cache *c, const char *dir,
    unsigned long long max_bytes);

/* Writes a new entry's contents to path (a temporary name in DIR/tmp).
 * Returns 0, or -1 (the caller removes the file). */
typedef int (*export_cache_fill)(void *arg, const char *path, const char *tmpdir);

/* Finds the entry for (version, canonical), generating it with fill when it
 * is missing. On success name receives its path relative to DIR
 * ("xlsx/<version>-<sha256>.xlsx") and *generated says whether this call
 * made it. Returns 0, or -1 after logging why. */
int export_cache_get(struct export_cache *c, long long version,
    const char *canonical, export_cache_fill fill, void *arg,
    char *name, size_t namelen, int *generated);

/* Trims the cache: removes entries older than version, temporary files left
 * by a crash (older than an hour), then the least recently used entries
 * until the total is at most max_bytes; keep (a name as above, or NULL) is
 * never removed. Skipped when another process is trimming. Returns the
 * number of files removed, or -1. */
int export_cache_trim(struct export_cache *c, long long version, const char *keep);

/* The total size of the entries, in bytes (for tests and metrics). */
unsigned long long export_cache_size(struct export_cache *c);

#endif
