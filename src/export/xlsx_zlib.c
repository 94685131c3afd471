/* xlsx_zlib: a faster deflate level for libxlsxwriter (see xlsx_zlib.h). */
#define _GNU_SOURCE     /* RTLD_NEXT */
#include <dlfcn.h>
#include <zlib.h>

#include "base/log.h"
#include "export/xlsx_zlib.h"

static int level = Z_DEFAULT_COMPRESSION;

void
xlsx_zlib_level(int l)
{
	level = l;
}

/* zlib.h's deflateInit2() macro calls this. Prototype from zlib.h. */
int
deflateInit2_(z_streamp strm, int lvl, int method, int window_bits, int mem_level,
    int strategy, const char *version, int stream_size)
{
	typedef int (*init_fn)(z_streamp, int, int, int, int, int, const char *, int);
	static init_fn real;

	if (real == NULL) {
		/* dlsym returns a data pointer; POSIX guarantees it converts. */
		void *p = dlsym(RTLD_NEXT, "deflateInit2_");
		if (p == NULL) {
			log_err("xlsx: no zlib deflateInit2_: %s", dlerror());
			return Z_VERSION_ERROR;
		}
		*(void **)&real = p;
	}
	/* A zip's parts are raw deflate streams (negative window bits): those
	 * are libxlsxwriter's, whose level this replaces. Any other stream
	 * (the export cache's gzip twins, base/gzip) keeps its caller's. */
	return real(strm, window_bits < 0 ? level : lvl, method, window_bits,
	    mem_level, strategy, version, stream_size);
}
