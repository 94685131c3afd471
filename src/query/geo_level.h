/* geo_level: where a place sits in JHU's geography, the one word for it on
 * the read side and in everything above it (the pages, the exports). */
#ifndef COVID_GEO_LEVEL_H
#define COVID_GEO_LEVEL_H

/* Broadest first; GEO__MAX counts them (tables indexed by level). */
enum geo_level { GEO_COUNTRY, GEO_PROVINCE, GEO_COUNTY, GEO__MAX };

#endif
