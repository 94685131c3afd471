/* xlsx_zlib: the compression level of the XLSX files' zip container.
 *
 * libxlsxwriter (1.1.4) deflates every part of the workbook at zlib's
 * default level 6 and has no option to change it; for a large export that
 * compression is most of the time (1M rows: ~60 % of workbook_close). This
 * module defines zlib's deflateInit2_ in the program itself, which the
 * dynamic linker then prefers to libz's for every caller, and passes the
 * call on to libz's own with the level set here for the raw deflate
 * streams a zip is made of (libxlsxwriter's zip writer's); a gzip stream
 * (base/gzip: the export cache's twins, the portal's page cache) keeps the
 * level its caller asked for. If the interposition does not take (a static
 * libz, say), files are simply written at level 6. */
#ifndef COVID_XLSX_ZLIB_H
#define COVID_XLSX_ZLIB_H

/* Sets the level (0-9, or -1 for zlib's default) for deflate streams
 * started from now on. */
void xlsx_zlib_level(int level);

#endif
