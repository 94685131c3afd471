/* test_export_request: parsing, checking and normalising export requests. */
#include "check.h"
#include "export/export_request.h"
#include "export_fixture.h"
#include "query/query_export.h"
#include "web/http.h"

/* http.c quotes key names with curly quotes. */
#define LQ "\xe2\x80\x9c"
#define RQ "\xe2\x80\x9d"

static struct export_query *q;
static struct http_req hr;
static char err[512];
static const char *query_string;

/* The CGI parameters nginx would pass. */
static const char *
param(const char *name, void *ctx)
{
	(void)ctx;
	if (strcmp(name, "REQUEST_METHOD") == 0)
		return "GET";
	if (strcmp(name, "DOCUMENT_URI") == 0)
		return "/export.csv";
	if (strcmp(name, "QUERY_STRING") == 0)
		return query_string;
	return NULL;
}

/* http_parse, then export_request_parse: 0 or -1, err set. */
static int
parse(enum export_format f, const char *query, struct export_request *r)
{
	const struct http_key *keys;
	size_t nkeys;

	keys = export_request_keys(&nkeys);
	query_string = query;
	http_req_reset(&hr);
	http_parse(&hr, keys, nkeys, param, NULL);
	err[0] = '\0';
	return export_request_parse(r, f, &hr, err, sizeof err);
}

/* Parses and resolves; returns 0 (fine), 1 (a 400) or -1, err set. */
static int
run(enum export_format f, const char *query, struct export_request *r)
{
	if (parse(f, query, r) != 0)
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
test_parse(void)
{
	struct export_request r;

	/* Defaults. */
	CHECK_INT(parse(EXPORT_CSV, "", &r), 0);
	CHECK_INT(r.level, GEO_COUNTRY);
	CHECK_INT(r.shape, SHAPE_WIDE);
	CHECK_INT(r.bom, 0);
	CHECK_STR(r.from, "");
	export_request_free(&r);
	CHECK_INT(parse(EXPORT_CSV, NULL, &r), 0);
	export_request_free(&r);

	/* Everything given; decoding of + and %XX; repeatable keys. */
	CHECK_INT(parse(EXPORT_CSV, "level=county&country=Korea%2C+South"
	    "&country=us&province=New%20York&from=2020-03-02&to=2020-03-05&shape=long"
	    "&bom=1&", &r), 0);
	CHECK_INT(r.level, GEO_COUNTY);
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
	CHECK_INT(parse(EXPORT_CSV, "from=&to=&country=&&level=", &r), 0);
	CHECK_STR(r.from, "");
	CHECK_INT(r.nwant_country, 0);
	CHECK_INT(r.level, GEO_COUNTRY);
	export_request_free(&r);

	/* bom is a CSV matter: an XLSX request drops it. */
	CHECK_INT(parse(EXPORT_XLSX, "bom=1", &r), 0);
	CHECK_INT(r.bom, 0);
	export_request_free(&r);
}

static void
test_refusals(void)
{
	REFUSED("levels=county", "The parameter " LQ "levels" RQ " is unknown here");
	REFUSED("level=county&format=csv", LQ "format" RQ " is unknown");
	REFUSED("level=county&level=county", LQ "level" RQ " was given more than once");
	REFUSED("from=2020-03-01&from=2020-03-02", LQ "from" RQ " was given more than once");
	REFUSED("shape=wide&shape=", LQ "shape" RQ " was given more than once");
	REFUSED("bom=1&bom=1", LQ "bom" RQ " was given more than once");
	REFUSED("level=city", LQ "level" RQ " must be one of: country, province, county");
	REFUSED("level=County", "must be one of: country, province, county");
	REFUSED("shape=tall", LQ "shape" RQ " must be one of: wide, long");
	REFUSED("bom=yes", LQ "bom" RQ " must be one of: 0, 1");
	REFUSED("from=2020-02-30", LQ "from" RQ " must be a date written YYYY-MM-DD");
	REFUSED("to=03/10/2020", LQ "to" RQ " must be a date written YYYY-MM-DD");
	REFUSED("from=2020-3-1", "must be a date written YYYY-MM-DD");
	REFUSED("from=2021-02-29", "must be a date written YYYY-MM-DD");
	REFUSED("level=%zz", "not properly encoded");
	REFUSED("level=a%00b", "not properly encoded");
	REFUSED("%3Cscript%3E=1", LQ "<script>" RQ " is unknown");   /* the page escapes it */
	{
		/* A long unknown name is quoted cut between characters, never
		 * inside one (fuzz_export_request found the cut at 60 bytes
		 * splitting a two-byte character). */
		char query[256] = "x", want[128] = LQ "x";
		for (int i = 0; i < 31; i++)
			strcat(query, "%C3%A9");
		strcat(query, "=1");
		for (int i = 0; i < 29; i++)
			strcat(want, "\xc3\xa9");
		strcat(want, "..." RQ);
		REFUSED(query, want);
	}
	REFUSED("country=%FF", LQ "country" RQ " must be text");
	REFUSED("country=a%0Ab", LQ "country" RQ " must be text");
	REFUSED("country=Atlantis", "No country is called " LQ "Atlantis" RQ);
	REFUSED("country=US&country=Atlantis", LQ "Atlantis" RQ);
	REFUSED("country=USAX", "No country is called " LQ "USAX" RQ);
	REFUSED("level=province&province=Ontario", "No province or state is called " LQ "Ontario" RQ);
	REFUSED("level=province&country=France&province=New+York",
	    LQ "New York" RQ " in the countries asked for.");
	REFUSED("province=New+York", LQ "province" RQ " applies to level=province or level=county");
	REFUSED("level=county&country=France", "France has no county-level data (ask for level=province or level=country).");
	REFUSED("level=county&country=Korea,+South", "Korea, South has no county-level data");
	REFUSED("level=province&country=Georgia", "Georgia has no province-level data");
	REFUSED("level=county&country=France&province=Reunion",
	    "Reunion, France has no county-level data");
	REFUSED("from=2020-02-29", "The date from=2020-02-29 is outside the data, which "
	    "runs from 2020-03-01 to 2020-03-10.");
	REFUSED("from=2020-03-11", "from=2020-03-11 is outside the data");
	REFUSED("to=2021-01-01", "to=2021-01-01 is outside the data");
	REFUSED("to=2020-02-01", "to=2020-02-01 is outside the data");
	REFUSED("from=2020-03-05&to=2020-03-02", "The date from=2020-03-05 is after to=2020-03-02.");

	/* Limits (http.h): the query's length and its number of pairs; a
	 * name's length. */
	{
		static char big[HTTP_MAX_QUERY + 64];
		size_t n = 0;
		memset(big, 'a', sizeof big - 1);
		memcpy(big, "country=", 8);
		REFUSED(big, "too long");
		for (int i = 0; i < HTTP_MAX_PAIRS + 1; i++)   /* within the length */
			n += (size_t)snprintf(big + n, sizeof big - n, "a&");
		REFUSED(big, "too many parameters");
		memcpy(big, "country=", 8);
		memset(big + 8, 'x', 201);
		big[209] = '\0';
		REFUSED(big, "at most 200 bytes");
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

/* The identity keys the ETag and the file cache: everything a file depends
 * on but the data version. */
static void
test_identity(void)
{
	struct export_request r;
	char *a, *b, want[1200];

	CHECK_INT(run(EXPORT_XLSX, "level=province&country=US", &r), 0);
	a = export_request_identity(&r, 0);
	b = export_request_identity(&r, 50);
	/* The format version first, then the canonical request. */
	snprintf(want, sizeof want, "%s\n%s\n", EXPORT_FORMAT_VERSION, r.canonical);
	CHECK(a != NULL && strncmp(a, want, strlen(want)) == 0);
	/* The rows a sheet holds change a workbook: another identity. */
	CHECK(a != NULL && b != NULL && strcmp(a, b) != 0);
	free(a);
	free(b);
	export_request_free(&r);

	/* ... but not a CSV. */
	CHECK_INT(run(EXPORT_CSV, "level=province&country=US", &r), 0);
	a = export_request_identity(&r, 0);
	b = export_request_identity(&r, 50);
	snprintf(want, sizeof want, "%s\n%s", EXPORT_FORMAT_VERSION, r.canonical);
	CHECK(a != NULL && b != NULL && strcmp(a, b) == 0);
	CHECK(a != NULL && strcmp(a, want) == 0);
	free(a);
	free(b);
	export_request_free(&r);
}

int
main(void)
{
	sqlite3 *db = fixture_open();

	if ((q = export_query_open(db)) == NULL)
		return 2;
	test_parse();
	test_refusals();
	test_resolve();
	test_identity();
	export_query_close(q);
	sqlite3_close(db);
	return check_exit();
}
