/* test_geo_join: the join of JHU places to map areas and the one table of
 * exceptions: Natural Earth's codes recoded, a code JHU lacks, FIPS as JHU
 * writes it, and every kind of place that is not drawn, with its reason. */
#include <string.h>

#include "check.h"
#include "web/geo_join.h"

/* join M SLUG ISO3 FIPS: the code, or "-" and the reason in why. */
static const char *why;
static char code[GEO_CODE_MAX + 1];

static const char *
join(enum geo_map m, const char *slug, const char *iso3, const char *fips)
{
	if (!geo_join_code(m, slug, iso3, fips, code, &why))
		return "-";
	return code;
}

static void
test_world(void)
{
	CHECK_STR(geo_ne_code("KOS"), "XKS");
	CHECK_STR(geo_ne_code("PSX"), "PSE");
	CHECK_STR(geo_ne_code("SDS"), "SSD");
	CHECK_STR(geo_ne_code("SAH"), "ESH");
	CHECK_STR(geo_ne_code("FRA"), "FRA");
	CHECK_STR(join(GEO_MAP_WORLD, "france", "FRA", NULL), "FRA");
	CHECK_STR(join(GEO_MAP_WORLD, "korea-north", NULL, NULL), "PRK");
	CHECK_STR(join(GEO_MAP_WORLD, "diamond-princess", NULL, NULL), "-");
	CHECK(strstr(why, "cruise ship") != NULL);
	CHECK_STR(join(GEO_MAP_WORLD, "summer-olympics-2020", NULL, NULL), "-");
	CHECK(strstr(why, "Olympic") != NULL);
	CHECK_STR(join(GEO_MAP_WORLD, "somewhere", NULL, NULL), "-");
	CHECK(strstr(why, "ISO3") != NULL);
	CHECK_STR(join(GEO_MAP_WORLD, "somewhere", "", NULL), "-");
}

static void
test_states(void)
{
	CHECK_STR(join(GEO_MAP_STATES, "us/minnesota", "USA", "27"), "27");
	CHECK_STR(join(GEO_MAP_STATES, "us/minnesota", "USA", "27.0"), "27");
	CHECK_STR(join(GEO_MAP_STATES, "us/alabama", "USA", "1"), "01");
	CHECK_STR(join(GEO_MAP_STATES, "us/puerto-rico", "PRI", "72"), "-");
	CHECK(strstr(why, "territory") != NULL);
	CHECK_STR(join(GEO_MAP_STATES, "us/guam", "GUM", "66"), "-");
	CHECK_STR(join(GEO_MAP_STATES, "us/grand-princess", "USA", "99999"), "-");
	CHECK(strstr(why, "cruise ship") != NULL);
	CHECK_STR(join(GEO_MAP_STATES, "us/recovered", "USA", NULL), "-");
	CHECK(strstr(why, "FIPS") != NULL);
	CHECK_STR(join(GEO_MAP_STATES, "us/x", "USA", "27a"), "-");
}

static void
test_counties(void)
{
	CHECK_STR(join(GEO_MAP_COUNTIES, "us/alabama/autauga", "USA", "01001"), "01001");
	CHECK_STR(join(GEO_MAP_COUNTIES, "us/alabama/autauga", "USA", "1001.0"), "01001");
	CHECK_STR(join(GEO_MAP_COUNTIES, "us/new-york/kings", "USA", "36047"), "36047");
	/* New York City's row shares Manhattan's FIPS: the table keeps it off
	 * the map, so Manhattan is not drawn twice. */
	CHECK_STR(join(GEO_MAP_COUNTIES, "us/new-york/new-york", "USA", "36061"), "36061");
	CHECK_STR(join(GEO_MAP_COUNTIES, "us/new-york/new-york-city", "USA", "36061"), "-");
	CHECK(strstr(why, "five boroughs") != NULL);
	CHECK_STR(join(GEO_MAP_COUNTIES, "us/alabama/out-of-al", "USA", "80001"), "-");
	CHECK(strstr(why, "Out of") != NULL);
	CHECK_STR(join(GEO_MAP_COUNTIES, "us/alabama/unassigned", "USA", "90001"), "-");
	CHECK(strstr(why, "Unassigned") != NULL);
	CHECK_STR(join(GEO_MAP_COUNTIES, "us/puerto-rico/adjuntas", "PRI", "72001"), "-");
	CHECK(strstr(why, "territory") != NULL);
	CHECK_STR(join(GEO_MAP_COUNTIES, "us/alaska/soldotna", "USA", NULL), "-");
	CHECK(strstr(why, "FIPS") != NULL);
	CHECK_STR(join(GEO_MAP_COUNTIES, "us/x/y", "USA", "123456"), "-");
	/* Every place joined has a reason when it is not drawn. */
	CHECK(geo_no_polygon_why(GEO_MAP_WORLD)[0] != '\0');
	CHECK(geo_no_polygon_why(GEO_MAP_COUNTIES)[0] != '\0');
}

int
main(void)
{
	test_world();
	test_states();
	test_counties();
	return check_exit();
}
