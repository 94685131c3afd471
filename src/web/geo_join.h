/* geo_join: which map area a JHU place is, and the one table of the
 * exceptions to the rule.
 *
 * The rule joins on codes, never names: a country by its ISO3 (JHU's
 * lookup table), a US state by its 2-digit FIPS, a US county by its
 * 5-digit FIPS (JHU writes both as "27" or "27.0"; geo_join_code reads
 * either). The exceptions, each with the reason the map pages print:
 * Natural Earth codes that are not JHU's (tools/geo_build.c recodes its
 * features through geo_ne_code), JHU places without a code, and JHU
 * places that are not drawn (cruise ships, the Olympics, US territories,
 * "Unassigned" and "Out of XX" rows, New York City's one row for its five
 * boroughs). */
#ifndef COVID_GEO_JOIN_H
#define COVID_GEO_JOIN_H

#include <stddef.h>

#include "web/choropleth.h"

enum geo_map { GEO_MAP_WORLD, GEO_MAP_STATES, GEO_MAP_COUNTIES, GEO_MAP__MAX };

/* The JHU code for Natural Earth's ADM0_A3 code ne: ne itself unless the
 * table recodes it ("KOS" is JHU's "XKS"). */
const char *geo_ne_code(const char *ne);

/* The area code of a JHU place on map m into code: its ISO3 (world) or
 * its FIPS, padded (states 2 digits, counties 5). 1 when the place is
 * one the map may draw; 0 when it is not, with *why the table's reason
 * (or a general one: no code). Whether the map has a polygon for the
 * code is the caller's question (geo_find). */
int geo_join_code(enum geo_map m, const char *slug, const char *iso3,
    const char *fips, char code[GEO_CODE_MAX + 1], const char **why);

/* The reason to print for a place joined to a code the map has no
 * polygon for (small states and islands at 1:110m). */
const char *geo_no_polygon_why(enum geo_map m);

#endif
