/* export_cache: finished export files (CSV and XLSX) kept on disk, so a
 * repeated download costs no generation, and nginx sends each file whole,
 * with its length (X-Accel-Redirect): a worker that dies mid-request never
 * leaves a client holding a truncated file that looks complete.
 *
 * An entry is named by sha256(data version + key), where the key is
 * everything else the file depends on (export_request_identity: the format
 * version, the canonical request, the settings that shape the file), and
 * starts with the data version: DIR/files/<version>-<sha256>.<csv|xlsx>. It
 * is generated into DIR/tmp and rename()d into place, so nobody sees half a
 * file. A CSV entry gets a gzip-compressed twin, NAME.gz, renamed into
 * place just before it, which nginx sends (gzip_static) to clients that
 * accept gzip; the trim counts and removes twins like entries. Two identical requests at once generate once: the first holds an
 * flock on DIR/lock/<sha256>.lock while it works; the second waits on it,
 * then finds the file and serves it. After a generation the cache is
 * trimmed: entries of older data versions go, then the least recently used
 * (the later of an entry's creation and its last hit, which touches its
 * lock file: the entry itself is never touched, as nginx derives ETag and
 * Last-Modified from it) until the total is within the bound. Temporary
 * files (libxlsxwriter's too) go to DIR/tmp, on the same (real) disk. */
#ifndef COVID_EXPORT_CACHE_H
#define COVID_EXPORT_CACHE_H

#include <limits.h>
#include <stddef.h>

struct export_cache {
	char                dir[1024];
	char                tmpdir[PATH_MAX];   /* DIR/tmp */
	unsigned long long  max_bytes;
};

/* Creates DIR (and its parents, as mkdir -p does), DIR/files, DIR/tmp and
 * DIR/lock if needed. max_bytes 0 means the default (512 MiB). Returns 0, or
 * -1 after logging why (the cache is then unusable: the caller builds its
 * files elsewhere and may call this again later). */
int export_cache_init(struct export_cache *c, const char *dir,
    unsigned long long max_bytes);

/* Writes a new entry's contents to path (a temporary name in DIR/tmp).
 * Returns 0, or -1 (the caller removes the file). */
typedef int (*export_cache_fill)(void *arg, const char *path, const char *tmpdir);

/* Finds the entry for (version, key), generating it with fill when it is
 * missing; ext is the file name's extension ("csv"). On success name
 * receives its path relative to DIR ("files/<version>-<sha256>.csv") and
 * *generated says whether this call made it. Returns 0, or -1 after logging
 * why (fill failed, or the cache is not usable). */
int export_cache_get(struct export_cache *c, long long version,
    const char *key, const char *ext, export_cache_fill fill, void *arg,
    char *name, size_t namelen, int *generated);

/* Trims the cache: removes entries older than version, temporary files left
 * by a crash (older than an hour), then the least recently used entries
 * until the total is at most max_bytes; keep (a name as above, or NULL) is
 * never removed. Entries of the layout before DIR/files (DIR/xlsx, keyed
 * without the format version) all go. Skipped when another process is
 * trimming. Returns the number of files removed, or -1. */
int export_cache_trim(struct export_cache *c, long long version, const char *keep);

/* The total size of the entries, in bytes (for tests and metrics). */
unsigned long long export_cache_size(struct export_cache *c);

#endif
