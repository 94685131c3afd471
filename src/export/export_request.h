/* export_request: what an /export.csv or /export.xlsx request asks for,
 * parsed, checked and NORMALISED before a byte of the file is sent.
 *
 *   level    country (default) | province | county       one per request
 *   country  repeatable; a name as in the data (any case) or an ISO3 code
 *   province repeatable; a province/state name (any case)
 *   from,to  YYYY-MM-DD within the data's range; default the whole range
 *   shape    wide (default) | long
 *   bom      0 (default) | 1: a UTF-8 BOM before a CSV (for Excel)
 *
 * Anything else is refused with a message saying what: an unknown key, a
 * single-valued key given twice, a bad value, a place that does not exist
 * (or has no rows at the level asked for), dates outside the data or
 * reversed. Empty values (what an untouched form field sends) count as not
 * given. At most HTTP_MAX_PAIRS (64) parameters in all (http.h). Two
 * requests that mean the same thing normalise to the same canonical string,
 * which (with the format version, export_request_identity) keys the ETag
 * and the file cache.
 *
 * The keys are declared here once (EXPORT_REQUEST_KEYS), for the export
 * program and for the portal's /downloads form alike, so the form and the
 * files accept the same values. */
#ifndef COVID_EXPORT_REQUEST_H
#define COVID_EXPORT_REQUEST_H

#include <stddef.h>

#include "query/export_spec.h"
#include "web/http.h"

/* The version of the files' layout. Bump it when the file for the same
 * request and data changes (a column, the workbook's sheets or styles): it
 * is in every ETag and every cache key, so no old file is served after. */
#define EXPORT_FORMAT_VERSION "export-1"

struct export_query;

/* The request surface: every key, in this order, with its validator. */
enum export_key {
	EXPORT_KEY_LEVEL, EXPORT_KEY_COUNTRY, EXPORT_KEY_PROVINCE, EXPORT_KEY_FROM,
	EXPORT_KEY_TO, EXPORT_KEY_SHAPE, EXPORT_KEY_BOM, EXPORT_KEY__MAX
};
extern const char *const export_level_names[GEO__MAX + 1];
extern const char *const export_shape_names[SHAPE__MAX + 1];
extern const char *const export_bom_values[3];

/* The keys' declarations (http.h), the one definition of them: initialisers
 * for a key table, at FIRST + EXPORT_KEY_*. The export program's table is
 * these alone (export_request_keys); the portal puts them among its own. */
#define EXPORT_REQUEST_KEYS(first) \
	[(first) + EXPORT_KEY_LEVEL] = \
	    { "level", http_valid_enum, export_level_names, 0, 0, 0 }, \
	[(first) + EXPORT_KEY_COUNTRY] = \
	    { "country", http_valid_text, NULL, 0, 200, HTTP_KEY_REPEAT }, \
	[(first) + EXPORT_KEY_PROVINCE] = \
	    { "province", http_valid_text, NULL, 0, 200, HTTP_KEY_REPEAT }, \
	[(first) + EXPORT_KEY_FROM] = { "from", http_valid_date, NULL, 0, 0, 0 }, \
	[(first) + EXPORT_KEY_TO] = { "to", http_valid_date, NULL, 0, 0, 0 }, \
	[(first) + EXPORT_KEY_SHAPE] = \
	    { "shape", http_valid_enum, export_shape_names, 0, 0, 0 }, \
	[(first) + EXPORT_KEY_BOM] = \
	    { "bom", http_valid_enum, export_bom_values, 0, 0, 0 }

/* The export program's key table, for http_parse. */
const struct http_key *export_request_keys(size_t *n);

/* Reads a request parsed by http_parse with export_request_keys, for
 * format. Returns 0, or -1 with a one-line reason for the client in err.
 * Checks everything that needs no database (http_check: malformed, given
 * twice, not a valid value; and undeclared keys). Free with
 * export_request_free, also after a failure. */
int export_request_parse(struct export_request *r, enum export_format format,
    struct http_req *hr, char *err, size_t errlen);

/* Resolves the places and dates against the database (through q) and builds
 * the canonical string and filename. Returns 0; 1 when the request is wrong
 * (reason in err: a 400); -1 on a database error (logged: a 500). */
int export_request_resolve(struct export_request *r, struct export_query *q,
    char *err, size_t errlen);

/* Everything the file for a resolved request depends on besides the data
 * version, one line each: the format version, the canonical request and,
 * for an XLSX, rows_per_sheet (a setting of the program; 0 for Excel's).
 * It keys the ETag and the file cache, so whatever changes the file changes
 * both. Returns a malloc'd string, or NULL when out of memory. */
char *export_request_identity(const struct export_request *r,
    unsigned long rows_per_sheet);

void export_request_free(struct export_request *r);

const char *export_level_name(enum geo_level l);
const char *export_shape_name(enum export_shape s);

#endif
