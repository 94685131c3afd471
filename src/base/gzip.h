/* gzip: gzip-compressed copies (RFC 1952, through zlib) of what the portal
 * keeps on disk for nginx, which sends a FILE.gz beside FILE as it is
 * (gzip_static) to a client that accepts gzip: compressed once when the
 * file is made, not again at every request. */
#ifndef COVID_GZIP_H
#define COVID_GZIP_H

#include <stddef.h>

#include "base/sink.h"

/* in[0..len) compressed at level (1-9) into out, replacing what it held.
 * 0, or -1 (out of memory, or len over what one zlib call takes: 4 GB). */
int gzip_mem(const char *in, size_t len, int level, struct membuf *out);

/* The file src compressed at level into dst (created 0644, replaced when
 * it exists), flushed to disk (fsync) before it returns: a caller renames
 * it into place next, and a name must never land on a half-written file.
 * 0, or -1 with errno set (dst may be left half-written: remove it). */
int gzip_file(const char *src, const char *dst, int level);

#endif
