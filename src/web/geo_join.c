/* geo_join: JHU places to map areas, and the one table of exceptions (see
 * geo_join.h). */
#include <string.h>

#include "web/geo_join.h"

enum by { BY_NE_CODE, BY_SLUG, BY_FIPS_PREFIX };

/* The one table. BY_NE_CODE rows recode a Natural Earth feature (jhu its
 * JHU code); BY_SLUG rows give a JHU place a code it lacks (jhu) or say
 * why it is not drawn (jhu NULL); BY_FIPS_PREFIX rows say why places with
 * such codes are not drawn. France and Norway (ISO_A3 "-99" in Natural
 * Earth) need no row: geo_build reads their ADM0_A3, FRA and NOR, which
 * are JHU's. */
static const struct geo_exception {
	enum geo_map map;
	enum by      by;
	const char  *key;
	const char  *jhu;
	const char  *why;
} exceptions[] = {
	{ GEO_MAP_WORLD, BY_NE_CODE, "KOS", "XKS", "Kosovo" },
	{ GEO_MAP_WORLD, BY_NE_CODE, "PSX", "PSE", "Palestine (JHU: West Bank and Gaza)" },
	{ GEO_MAP_WORLD, BY_NE_CODE, "SDS", "SSD", "South Sudan" },
	{ GEO_MAP_WORLD, BY_NE_CODE, "SAH", "ESH", "Western Sahara" },
	{ GEO_MAP_WORLD, BY_SLUG, "korea-north", "PRK",
	    "JHU's lookup table gives Korea, North no ISO3" },
	{ GEO_MAP_WORLD, BY_SLUG, "diamond-princess", NULL, "a cruise ship" },
	{ GEO_MAP_WORLD, BY_SLUG, "ms-zaandam", NULL, "a cruise ship" },
	{ GEO_MAP_WORLD, BY_SLUG, "summer-olympics-2020", NULL,
	    "the Olympic Games' own count" },
	{ GEO_MAP_WORLD, BY_SLUG, "winter-olympics-2022", NULL,
	    "the Olympic Games' own count" },
	{ GEO_MAP_STATES, BY_FIPS_PREFIX, "60", NULL, "a territory: the map draws the 50 states and DC" },
	{ GEO_MAP_STATES, BY_FIPS_PREFIX, "66", NULL, "a territory: the map draws the 50 states and DC" },
	{ GEO_MAP_STATES, BY_FIPS_PREFIX, "69", NULL, "a territory: the map draws the 50 states and DC" },
	{ GEO_MAP_STATES, BY_FIPS_PREFIX, "72", NULL, "a territory: the map draws the 50 states and DC" },
	{ GEO_MAP_STATES, BY_FIPS_PREFIX, "78", NULL, "a territory: the map draws the 50 states and DC" },
	{ GEO_MAP_STATES, BY_FIPS_PREFIX, "88888", NULL, "a cruise ship" },
	{ GEO_MAP_STATES, BY_FIPS_PREFIX, "99999", NULL, "a cruise ship" },
	{ GEO_MAP_COUNTIES, BY_SLUG, "us/new-york/new-york-city", NULL,
	    "JHU's one row for the five boroughs in some daily reports (2020); "
	    "the map draws the boroughs (Bronx, Kings, New York, Queens, "
	    "Richmond) from JHU's time series" },
	{ GEO_MAP_COUNTIES, BY_FIPS_PREFIX, "800", NULL,
	    "\"Out of\" the state: cases JHU could not place in one of its counties" },
	{ GEO_MAP_COUNTIES, BY_FIPS_PREFIX, "900", NULL,
	    "\"Unassigned\": cases not (yet) assigned to a county" },
	{ GEO_MAP_COUNTIES, BY_FIPS_PREFIX, "60", NULL, "in a territory: the map draws the 50 states and DC" },
	{ GEO_MAP_COUNTIES, BY_FIPS_PREFIX, "66", NULL, "in a territory: the map draws the 50 states and DC" },
	{ GEO_MAP_COUNTIES, BY_FIPS_PREFIX, "69", NULL, "in a territory: the map draws the 50 states and DC" },
	{ GEO_MAP_COUNTIES, BY_FIPS_PREFIX, "72", NULL, "in a territory: the map draws the 50 states and DC" },
	{ GEO_MAP_COUNTIES, BY_FIPS_PREFIX, "78", NULL, "in a territory: the map draws the 50 states and DC" },
	{ GEO_MAP_COUNTIES, BY_FIPS_PREFIX, "88888", NULL, "a cruise ship" },
	{ GEO_MAP_COUNTIES, BY_FIPS_PREFIX, "99999", NULL, "a cruise ship" },
};
enum { NEXCEPTIONS = sizeof exceptions / sizeof exceptions[0] };

const char *
geo_ne_code(const char *ne)
{
	for (size_t i = 0; i < NEXCEPTIONS; i++)
		if (exceptions[i].by == BY_NE_CODE && strcmp(exceptions[i].key, ne) == 0)
			return exceptions[i].jhu;
	return ne;
}

/* FIPS as JHU writes it ("27", "27.0", "1001") to want digits, zero-padded:
 * 0 when it is not a number of at most want digits. */
static int
fips_digits(const char *fips, size_t want, char *out)
{
	size_t len = 0;

	while (fips[len] >= '0' && fips[len] <= '9')
		len++;
	if (len == 0 || len > want ||
	    (fips[len] != '\0' && strcmp(fips + len, ".0") != 0))
		return 0;
	memset(out, '0', want - len);
	memcpy(out + want - len, fips, len);
	out[want] = '\0';
	return 1;
}

int
geo_join_code(enum geo_map m, const char *slug, const char *iso3,
    const char *fips, char code[GEO_CODE_MAX + 1], const char **why)
{
	char digits[GEO_CODE_MAX + 1] = "";
	const char *key = NULL;

	*why = NULL;
	code[0] = '\0';
	if (m != GEO_MAP_WORLD && fips != NULL) {
		/* Cruise ships' 88888 and 99999 are longer than a state's. */
		if (!fips_digits(fips, m == GEO_MAP_STATES ? 2 : 5, digits))
			fips_digits(fips, 5, digits);
	}
	for (size_t i = 0; i < NEXCEPTIONS; i++) {
		const struct geo_exception *e = &exceptions[i];
		if (e->map != m || e->by == BY_NE_CODE)
			continue;
		if (e->by == BY_SLUG ? slug != NULL && strcmp(slug, e->key) == 0 :
		    strncmp(digits, e->key, strlen(e->key)) == 0) {
			if (e->jhu == NULL) {
				*why = e->why;
				return 0;
			}
			key = e->jhu;
			break;
		}
	}
	if (key == NULL)
		key = m == GEO_MAP_WORLD ? iso3 : digits;
	if (key == NULL || key[0] == '\0' || strlen(key) != (m == GEO_MAP_WORLD ?
	    3u : m == GEO_MAP_STATES ? 2u : 5u)) {
		*why = m == GEO_MAP_WORLD ? "no ISO3 code in JHU's lookup table" :
		    "no FIPS code: not a place JHU could locate";
		return 0;
	}
	memcpy(code, key, strlen(key) + 1);
	return 1;
}

const char *
geo_no_polygon_why(enum geo_map m)
{
	return m == GEO_MAP_WORLD ? "too small for the 1:110m map (a small state "
	    "or island)" : "no outline in the map's geometry";
}
