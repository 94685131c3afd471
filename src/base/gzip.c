/* gzip: compressed copies for nginx's gzip_static (see gzip.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "base/file_write.h"
#include "base/gzip.h"

/* 15 + 16 window bits: deflate with a gzip header and trailer. */
enum { GZIP_WINDOW = 15 + 16, GZIP_MEMLEVEL = 8 };

int
gzip_mem(const char *in, size_t len, int level, struct membuf *out)
{
	z_stream z;
	uLong bound;
	int rc;

	if (len > UINT_MAX / 2)
		return -1;
	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, level, Z_DEFLATED, GZIP_WINDOW, GZIP_MEMLEVEL,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	bound = deflateBound(&z, (uLong)len);
	out->len = 0;
	if (out->cap < bound + 1) {
		char *d = realloc(out->data, bound + 1);
		if (d == NULL) {
			deflateEnd(&z);
			return -1;
		}
		out->data = d;
		out->cap = bound + 1;
	}
	z.next_in = (Bytef *)(uintptr_t)in;     /* zlib only reads it */
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)out->data;
	z.avail_out = (uInt)bound;
	rc = deflate(&z, Z_FINISH);
	out->len = bound - z.avail_out;
	out->data[out->len] = '\0';     /* a membuf is NUL-terminated */
	deflateEnd(&z);
	return rc == Z_STREAM_END ? 0 : -1;
}

int
gzip_file(const char *src, const char *dst, int level)
{
	enum { CHUNK = 1 << 16 };
	unsigned char *in = NULL, *out;
	z_stream z;
	int ifd, ofd, flush, rc = -1, saved;

	if ((ifd = open(src, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if ((ofd = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0) {
		saved = errno;
		close(ifd);
		errno = saved;
		return -1;
	}
	if ((in = malloc(2 * CHUNK)) == NULL)
		goto out;
	out = in + CHUNK;
	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, level, Z_DEFLATED, GZIP_WINDOW, GZIP_MEMLEVEL,
	    Z_DEFAULT_STRATEGY) != Z_OK) {
		errno = ENOMEM;
		goto out;
	}
	do {
		ssize_t n;
		while ((n = read(ifd, in, CHUNK)) < 0 && errno == EINTR)
			;
		if (n < 0)
			goto end;
		flush = n == 0 ? Z_FINISH : Z_NO_FLUSH;
		z.next_in = in;
		z.avail_in = (uInt)n;
		do {
			z.next_out = out;
			z.avail_out = CHUNK;
			if (deflate(&z, flush) == Z_STREAM_ERROR) {
				errno = EIO;
				goto end;
			}
			if (file_write_all(ofd, out, CHUNK - z.avail_out) != 0)
				goto end;
		} while (z.avail_out == 0);
	} while (flush != Z_FINISH);
	/* Readable by nginx whatever the umask. */
	rc = fchmod(ofd, 0644) == 0 && fsync(ofd) == 0 ? 0 : -1;
end:
	deflateEnd(&z);
out:
	saved = errno;
	free(in);
	close(ifd);
	if (close(ofd) != 0 && rc == 0) {
		rc = -1;
		saved = errno;
	}
	errno = saved;
	return rc;
}
