/* test_export_request: parsing, checking and normalising export requests. */
#include "check.h"
#include "export_fixture.h"
#include "export_request.h"
#include "query_export.h"

static struct export_query *q;
static char err[512];

/* Parses and resolves; returns 0 (fine), 1 (a 400) or -1, err set. */
static int
run(enum export_format f, const char *query, struct export_request *r)
{
	err[0] = '\0';
	if (export_request_parse(r, f, query, err, sizeof err) != 0)
		return 1;
	return export_request_resolve(r, q, err, sizeof err);
}

/* The error message for a query that must fail (or "(accepted)"). */
static const char *
refusal(const char *query)
{
	struct export_request r;
	int rc = run(EXPORT_CSV, query, &r);

	export_request_free(&r);
	return rc == 1 ? err : rc == 0 ? "(accepted)" : "(database error)";
}

#define REFUSED(query, words) do { \
	const char *m_ = refusal(query); \
	int p_ = strstr(m_, words) != NULL; \
	check_report(p_, __FILE__, __LINE__, "refused: " #query); \
	if (!p_) \
		printf("#   message: %s\n#   wanted:  ...%s...\n", m_, words); \
} while (0)

/* The canonical string of an accepted query ("" if refused). */
static char canon[2][1024];
static const char *
canonical_of(int slot, enum export_format f, const char *query)
{
	struct export_request r;

	canon[slot][0] = '\0';
	if (run(f, query, &r) == 0)
		snprintf(canon[slot], sizeof canon[slot], "%s", r.canonical);
	else
		printf("# refused %s: %s\n", query, err);
	export_request_free(&r);
	return canon[slot];
}

static void
test_dates(void)
{
	CHECK(export_date_valid("2020-03-01"));
	CHECK(export_date_valid("2020-02-29"));
	CHECK(export_date_valid("2000-02-29"));
	CHECK(!export_date_valid("2021-02-29"));
	CHECK(!export_date_valid("1900-02-29"));
	CHECK(!export_date_valid("2020-02-30"));
	CHECK(!export_date_valid("2020-04-31"));
	CHECK(!export_date_valid("2020-13-01"));
	CHECK(!export_date_valid("2020-00-10"));
	CHECK(!export_date_valid("2020-3-01"));
	CHECK(!export_date_valid("2020-03-01x"));
	CHECK(!export_date_valid("2020/03/01"));
	CHECK(!export_date_valid("20200301"));
	CHECK(!export_date_valid(""));
}

static void
test_parse(void)
{
	struct export_request r;

	/* Defaults. */
	CHECK_INT(export_request_parse(&r, EXPORT_CSV, "", err, sizeof err), 0);
	CHECK_INT(r.level, LEVEL_COUNTRY);
	CHECK_INT(r.shape, SHAPE_WIDE);
	CHECK_INT(r.bom, 0);
	CHECK_STR(r.from, "");
	export_request_free(&r);
	CHECK_INT(export_request_parse(&r, EXPORT_CSV, NULL, err, sizeof err), 0);
	export_request_free(&r);

	/* Everything given; decoding of + and %XX; repeatable keys. */
	CHECK_INT(export_request_parse(&r, EXPORT_CSV, "level=county&country=Korea%2C+South"
	    "&country=us&province=New%20York&from=2020-03-02&to=2020-03-05&shape=long"
	    "&bom=1&", err, sizeof err), 0);
	CHECK_INT(r.level, LEVEL_COUNTY);
	CHECK_INT(r.shape, SHAPE_LONG);
	CHECK_INT(r.bom, 1);
	CHECK_STR(r.from, "2020-03-02");
	CHECK_STR(r.to, "2020-03-05");
	CHECK_INT(r.nwant_country, 2);
	CHECK_STR(r.want_country[0], "Korea, South");
	CHECK_STR(r.want_country[1], "us");
	CHECK_INT(r.nwant_province, 1);
	CHECK_STR(r.want_province[0], "New York");
	export_request_free(&r);

	/* Empty values are "not given"; empty pairs are skipped. */
	CHECK_INT(export_request_parse(&r, EXPORT_CSV, "from=&to=&country=&&level=",
	    err, sizeof err), 0);
	CHECK_STR(r.from, "");
	CHECK_INT(r.nwant_country, 0);
	CHECK_INT(r.level, LEVEL_COUNTRY);
	export_request_free(&r);

	/* bom is a CSV matter: an XLSX request drops it. */
	CHECK_INT(export_request_parse(&r, EXPORT_XLSX, "bom=1", err, sizeof err), 0);
	CHECK_INT(r.bom, 0);
	export_request_free(&r);
}

static void
test_refusals(void)
{
	REFUSED("levels=county", "unknown parameter 'levels'");
	REFUSED("level=county&format=csv", "unknown parameter 'format'");
	REFUSED("level=county&level=county", "'level' is given more than once");
	REFUSED("from=2020-03-01&from=2020-03-02", "'from' is given more than once");
	REFUSED("shape=wide&shape=", "'shape' is given more than once");
	REFUSED("bom=1&bom=1", "'bom' is given more than once");
	REFUSED("level=city", "level must be country, province or county, not 'city'");
	REFUSED("level=County", "level must be");
	REFUSED("shape=tall", "shape must be wide or long");
	REFUSED("bom=yes", "bom must be 0 or 1");
	REFUSED("from=2020-02-30", "from must be a date as YYYY-MM-DD, not '2020-02-30'");
	REFUSED("to=03/10/2020", "to must be a date as YYYY-MM-DD");
	REFUSED("from=2020-3-1", "from must be a date");
	REFUSED("level=%zz", "malformed %-escape");
	REFUSED("level=a%00b", "malformed %-escape");
	REFUSED("level=%3Cscript%3E", "not '<script>'");   /* quoted for the page to escape */
	REFUSED("country=Atlantis", "no country is called 'Atlantis'");
	REFUSED("country=US&country=Atlantis", "'Atlantis'");
	REFUSED("country=USAX", "no country is called 'USAX'");
	REFUSED("level=province&province=Ontario", "no province or state is called 'Ontario'");
	REFUSED("level=province&country=France&province=New+York",
	    "'New York' in the countries asked for");
	REFUSED("province=New+York", "province applies to level=province or level=county");
	REFUSED("level=county&country=France", "France has no county-level data");
	REFUSED("level=county&country=Korea,+South", "Korea, South has no county-level data");
	REFUSED("level=province&country=Georgia", "Georgia has no province-level data");
	REFUSED("level=county&country=France&province=Reunion",
	    "Reunion, France has no county-level data");
	REFUSED("from=2020-02-29", "from 2020-02-29 is outside the data, which runs "
	    "from 2020-03-01 to 2020-03-10");
	REFUSED("from=2020-03-11", "from 2020-03-11 is outside the data");
	REFUSED("to=2021-01-01", "to 2021-01-01 is outside the data");
	REFUSED("to=2020-02-01", "to 2020-02-01 is outside the data");
	REFUSED("from=2020-03-05&to=2020-03-02", "from 2020-03-05 is after to 2020-03-02");

	/* Limits. */
	{
		static char big[EXPORT_MAX_QUERY + 16];
		memset(big, 'a', sizeof big - 1);
		memcpy(big, "country=", 8);
		REFUSED(big, "too long");
		memcpy(big + 8, "x&country=", 10);
		big[300] = '\0';
		REFUSED(big, "is too long");
	}
}

static void
test_resolve(void)
{
	struct export_request r;

	/* Defaults fill in from the data. */
	CHECK_INT(run(EXPORT_CSV, "", &r), 0);
	CHECK_STR(r.from, "2020-03-01");
	CHECK_STR(r.to, "2020-03-10");
	CHECK_STR(r.canonical, "csv?level=country&shape=wide&from=2020-03-01"
	    "&to=2020-03-10&bom=0");
	CHECK_STR(r.filename, "covid_country_2020-03-01_2020-03-10.csv");
	CHECK(r.countries_json == NULL);
	CHECK(r.provinces_json == NULL);
	export_request_free(&r);

	/* Names in any case and ISO3 codes resolve to the data's names,
	 * sorted and unique. */
	CHECK_INT(run(EXPORT_CSV, "country=usa&country=KOREA,+SOUTH&country=US&country=kor",
	    &r), 0);
	CHECK_INT(r.ncountries, 2);
	CHECK_STR(r.countries[0].country, "Korea, South");
	CHECK_STR(r.countries[1].country, "US");
	CHECK_STR(r.countries_json, "[\"Korea, South\",\"US\"]");
	CHECK_STR(r.filename, "covid_country_selection_2020-03-01_2020-03-10.csv");
	export_request_free(&r);

	/* "Georgia" is a country and a US state: each key finds its own. */
	CHECK_INT(run(EXPORT_CSV, "level=county&province=georgia&shape=long", &r), 0);
	CHECK_INT(r.nprovinces, 1);
	CHECK_STR(r.provinces[0].country, "US");
	CHECK_STR(r.provinces[0].province, "Georgia");
	CHECK_STR(r.provinces_json, "[[\"US\",\"Georgia\"]]");
	CHECK_STR(r.filename, "covid_county_US_Georgia_long_2020-03-01_2020-03-10.csv");
	export_request_free(&r);
	CHECK_INT(run(EXPORT_XLSX, "country=GEORGIA", &r), 0);
	CHECK_STR(r.countries[0].country, "Georgia");
	CHECK_STR(r.filename, "covid_country_Georgia_2020-03-01_2020-03-10.xlsx");
	CHECK_STR(r.canonical, "xlsx?level=country&shape=wide&from=2020-03-01"
	    "&to=2020-03-10&country=Georgia");
	export_request_free(&r);

	/* Names with commas and spaces are escaped in the canonical string. */
	CHECK_INT(run(EXPORT_CSV, "level=province&country=US&province=New+York&bom=1", &r), 0);
	CHECK_STR(r.canonical, "csv?level=province&shape=wide&from=2020-03-01"
	    "&to=2020-03-10&bom=1&country=US&province=US:New%20York");

	/* Requests that mean the same thing have the same canonical string... */
	CHECK_STR(canonical_of(0, EXPORT_CSV, ""),
	    canonical_of(1, EXPORT_CSV, "level=country&shape=wide&from=2020-03-01"
	    "&to=2020-03-10&bom=0"));
	CHECK_STR(canonical_of(0, EXPORT_CSV, "country=kor&country=us"),
	    canonical_of(1, EXPORT_CSV, "country=US&country=Korea%2C%20South&country=USA"));
	CHECK_STR(canonical_of(0, EXPORT_XLSX, "bom=1"),
	    canonical_of(1, EXPORT_XLSX, "bom=0"));
	CHECK_STR(canonical_of(0, EXPORT_CSV, "level=county&province=NEW+YORK"),
	    canonical_of(1, EXPORT_CSV, "province=new+york&level=county&from="));
	/* ... and different things different ones. */
	CHECK(strcmp(canonical_of(0, EXPORT_CSV, ""), canonical_of(1, EXPORT_XLSX, "")) != 0);
	CHECK(strcmp(canonical_of(0, EXPORT_CSV, "bom=1"), canonical_of(1, EXPORT_CSV, "")) != 0);
	CHECK(strcmp(canonical_of(0, EXPORT_CSV, "shape=long"),
	    canonical_of(1, EXPORT_CSV, "")) != 0);
	CHECK(strcmp(canonical_of(0, EXPORT_CSV, "to=2020-03-09"),
	    canonical_of(1, EXPORT_CSV, "")) != 0);
	CHECK(strcmp(canonical_of(0, EXPORT_CSV, "country=US"),
	    canonical_of(1, EXPORT_CSV, "")) != 0);
	export_request_free(&r);
}

int
main(void)
{
	sqlite3 *db = fixture_open();

	if ((q = export_query_open(db)) == NULL)
		return 2;
	test_dates();
	test_parse();
	test_refusals();
	test_resolve();
	export_query_close(q);
	sqlite3_close(db);
	return check_exit();
}
