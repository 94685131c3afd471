/* export_spec: what an export asks for, once resolved: the format, the
 * level, the shape, the places and the dates. The read side (query_export)
 * takes it; the export program builds it from a request (export_request.h),
 * so the queries know nothing of HTTP. */
#ifndef COVID_EXPORT_SPEC_H
#define COVID_EXPORT_SPEC_H

#include <stddef.h>

#include "query/geo_level.h"

enum export_format { EXPORT_CSV, EXPORT_XLSX };
enum export_shape  { SHAPE_WIDE, SHAPE_LONG, SHAPE__MAX };

/* A resolved place: a country, or a province of a country. */
struct export_place {
	char *country;
	char *province;     /* NULL for a country */
};

struct export_request {
	enum export_format format;
	enum geo_level  level;
	enum export_shape  shape;
	int                bom;
	char               from[11], to[11];    /* "" until resolved */

	/* As given (URL-decoded), before resolution. */
	char  **want_country, **want_province;
	size_t  nwant_country, nwant_province;

	/* Resolved against the database: canonical names, sorted, unique. */
	struct export_place *countries, *provinces;
	size_t               ncountries, nprovinces;

	/* Bound to the row query: JSON arrays of the resolved names
	 * (["US","China"] and [["US","New York"]]); NULL means "all". */
	char *countries_json, *provinces_json;

	char *canonical;       /* the normalised request, one line */
	char *filename;        /* covid_county_2020-03-22_2023-03-09.csv */
};

#endif
