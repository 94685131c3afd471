/* test_query_export: the export rows of every level and shape against the
 * hand-made fixture (see export_fixture.h for the figures behind each
 * expected value). */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "export/export_request.h"
#include "export_fixture.h"
#include "query/query_export.h"

static struct export_query *q;
static char rows[64][512];
static int nrows;

/* One row as "v|v|...": NULL empty, integers as they are, reals with %.10g,
 * a TRUE/FALSE column as 1/0. */
static void
render(char *out, size_t len, const struct export_value *v, size_t n)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n && used < len; i++) {
		int w = 0;
		const char *sep = i ? "|" : "";
		switch (v[i].kind) {
		case XV_NULL: w = snprintf(out + used, len - used, "%s", sep); break;
		case XV_INT:  w = snprintf(out + used, len - used, "%s%lld", sep, (long long)v[i].i); break;
		case XV_REAL: w = snprintf(out + used, len - used, "%s%.10g", sep, v[i].r); break;
		case XV_TEXT: w = snprintf(out + used, len - used, "%s%.*s", sep, v[i].n, v[i].s); break;
		}
		used += (size_t)(w > 0 ? w : 0);
	}
}

/* Runs a request's query into rows[]; returns the row count or -1. */
static int
export(const char *query)
{
	struct export_request r;
	struct export_value v[EXPORT_MAX_COLUMNS];
	char err[256];
	size_t ncols;
	int rc;

	nrows = 0;
	if (fixture_parse(&r, EXPORT_CSV, query, err, sizeof err) != 0 ||
	    export_request_resolve(&r, q, err, sizeof err) != 0) {
		printf("# %s: %s\n", query, err);
		export_request_free(&r);
		return -1;
	}
	export_columns(r.shape, &ncols);
	if (export_query_begin(q, &r) != 0) {
		export_request_free(&r);
		return -1;
	}
	while ((rc = export_query_next(q, v)) == 1 && nrows < 64)
		render(rows[nrows++], sizeof rows[0], v, ncols);
	export_query_end(q);
	export_request_free(&r);
	return rc < 0 ? -1 : nrows;
}

/* The index of the row starting with prefix, or -1. */
static int
find(const char *prefix)
{
	for (int i = 0; i < nrows; i++)
		if (strncmp(rows[i], prefix, strlen(prefix)) == 0)
			return i;
	return -1;
}

#define CHECK_ROW(prefix, want) do { \
	int i_ = find(prefix); \
	CHECK_STR(i_ >= 0 ? rows[i_] : "(no such row)", want); \
} while (0)

/* Rows ordered by (country, province, admin2) then date. */
static void
sort_key(char *out, size_t len, const char *row)
{
	const char *p = row + 11;       /* after "YYYY-MM-DD|" */
	int bars = 0;
	size_t k;

	for (k = 0; p[k] != '\0' && bars < 3; k++)
		if (p[k] == '|')
			bars++;
	snprintf(out, len, "%.*s%.10s", (int)k, p, row);
}

static int
ordered(void)
{
	char a[600], b[600];

	for (int i = 1; i < nrows; i++) {
		sort_key(a, sizeof a, rows[i - 1]);
		sort_key(b, sizeof b, rows[i]);
		if (strcmp(a, b) > 0) {
			printf("#   out of order: row %d then %d\n", i - 1, i);
			return 0;
		}
	}
	return 1;
}

/* What SQLite plans for a level's rows: each place's rows a range of its
 * (location_id, date) index, read in order, never the whole table and
 * never a sort of every row (a slice reads only its own dates). 1 when so;
 * else prints the plan. */
static int
plan_reads_ranges(sqlite3 *db, enum geo_level level, enum export_shape shape)
{
	static const char *const index[GEO__MAX] = {
		[GEO_COUNTRY] = "region_daily_location",
		[GEO_PROVINCE] = "region_daily_location",
		[GEO_COUNTY] = "daily_report_location",
	};
	char sql[8192], want[160], plan[4096] = "";
	sqlite3_stmt *st;
	int ok;

	snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s",
	    export_query_sql(level, shape));
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		size_t len = strlen(plan);
		snprintf(plan + len, sizeof plan - len, "%s\n",
		    (const char *)sqlite3_column_text(st, 3));
	}
	sqlite3_finalize(st);
	snprintf(want, sizeof want, "SEARCH d USING INDEX %s (location_id=? AND "
	    "date>? AND date<?)", index[level]);
	ok = strstr(plan, want) != NULL && strstr(plan, "SCAN d") == NULL &&
	    strstr(plan, "TEMP B-TREE FOR ORDER BY") == NULL;
	if (!ok)
		printf("# level %d shape %d plan:\n%s", level, shape, plan);
	return ok;
}

int
main(void)
{
	sqlite3 *db = fixture_open();
	size_t n;

	if ((q = export_query_open(db)) == NULL)
		return 2;
	CHECK(export_columns(SHAPE_WIDE, &n) != NULL);
	CHECK_INT(n, 22);
	CHECK(n <= EXPORT_MAX_COLUMNS);
	CHECK(export_columns(SHAPE_LONG, &n) != NULL);
	CHECK_INT(n, 18);
	for (int l = 0; l < GEO__MAX; l++)
		for (int s = 0; s < SHAPE__MAX; s++)
			CHECK(export_query_sql((enum geo_level)l, (enum export_shape)s) != NULL);
	for (int l = 0; l < GEO__MAX; l++)
		for (int s = 0; s < SHAPE__MAX; s++)
			CHECK(plan_reads_ranges(db, (enum geo_level)l,
			    (enum export_shape)s));

	/* County, wide, everything: Fulton (Georgia < New York), Albany, Kings. */
	CHECK_INT(export("level=county"), 7);
	CHECK(ordered());
	CHECK(strncmp(rows[0], "2020-03-05|US|Georgia|Fulton|13121|", 35) == 0);
	CHECK(strncmp(rows[1], "2020-03-02|US|New York|Albany|", 30) == 0);
	CHECK(strncmp(rows[3], "2020-03-01|US|New York|Kings|", 29) == 0);
	/* First date: no delta, no average; JHU's own values; coordinates from
	 * the location when the row has none; Last_Update with a space. */
	CHECK_ROW("2020-03-01|US|New York|Kings", "2020-03-01|US|New York|Kings|36047|USA|"
	    "84036047|Kings, New York, US|40.6|-73.9|2000|10|0|1|9||||500|500|0|"
	    "2020-03-01 23:00:00");
	/* The row's own coordinates; unknown recovered/active stay empty. */
	CHECK_ROW("2020-03-02|US|New York|Kings", "2020-03-02|US|New York|Kings|36047|USA|"
	    "84036047|Kings, New York, US|40.65|-73.95|2000|12|1|||2|1|2|600|||"
	    "2020-03-02 22:01:02");
	/* 7-day window 02-28..03-05 holds 03-01 (no delta), 03-02 (2), 03-05 (8). */
	CHECK_ROW("2020-03-05|US|New York|Kings", "2020-03-05|US|New York|Kings|36047|USA|"
	    "84036047|Kings, New York, US|40.6|-73.9|2000|20|1|3|16|8|0|5|1000|||");
	/* Window 03-04..03-10: 03-05 (8) and 03-10 (0); the gap is not zeros. */
	CHECK_ROW("2020-03-10|US|New York|Kings", "2020-03-10|US|New York|Kings|36047|USA|"
	    "84036047|Kings, New York, US|40.6|-73.9|2000|20|2|4|14|0|1|4|1000|1000|10|"
	    "2020-03-10 12:00:00");
	/* No population: no per-100k figure (never 0). */
	CHECK_ROW("2020-03-05|US|Georgia|Fulton", "2020-03-05|US|Georgia|Fulton|13121|USA|"
	    "84013121|Fulton, Georgia, US|33.8|-84.4||1|0|||||||||");

	/* from: the averages still see the days before it (warm-up rows are
	 * read but not returned). */
	CHECK_INT(export("level=county&from=2020-03-05"), 3);
	CHECK(find("2020-03-02") < 0);
	CHECK(strstr(rows[find("2020-03-05|US|New York|Kings")], "|8|0|5|1000|") != NULL);
	CHECK_INT(export("level=county&from=2020-03-03&to=2020-03-05"), 3);
	CHECK(find("2020-03-03|US|New York|Albany") >= 0);
	CHECK(find("2020-03-10") < 0);

	/* Filters. */
	CHECK_INT(export("level=county&province=georgia"), 1);
	CHECK_INT(export("level=county&country=US&province=New+York"), 6);
	CHECK_INT(export("level=county&country=usa"), 7);

	/* Country level: the totals; per-row JHU values empty; names sorted. */
	CHECK_INT(export(""), 8);
	CHECK(ordered());
	CHECK(strncmp(rows[0], "2020-03-01|France|", 18) == 0);
	CHECK_ROW("2020-03-02|Korea", "2020-03-02|Korea, South||||KOR|410|Korea, South|"
	    "35.9|127.7|50000000|150|2|||50|1|50|0.3|||");
	/* Window 02-28..03-05: 03-01 (no delta), 7, 2, 9. */
	CHECK_ROW("2020-03-05|US", "2020-03-05|US||||USA|840|US|40|-100|1000000|28|1|3|16|"
	    "9|0|6|2.8|||");
	CHECK_INT(export("country=kor&country=France"), 3);

	/* Province level; a population of 0 gives no per-100k either. */
	CHECK_INT(export("level=province&country=France"), 1);
	CHECK_STR(rows[0], "2020-03-01|France|Reunion|||REU|638|Reunion, France|-21.1|"
	    "55.5|0|5|0|||||||||");
	CHECK_INT(export("level=province"), 7);
	CHECK(ordered());
	CHECK_INT(export("level=province&province=Georgia"), 1);
	CHECK(strncmp(rows[0], "2020-03-05|US|Georgia||13|USA|84000013|", 38) == 0);

	/* Long: four rows per location and date, in case-type order. */
	CHECK_INT(export("level=county&shape=long&province=New+York&to=2020-03-05"), 20);
	CHECK(ordered());
	CHECK(strstr(rows[0], "|Confirmed|") && strstr(rows[1], "|Deaths|") &&
	    strstr(rows[2], "|Recovered|") && strstr(rows[3], "|Active|"));
	/* Kings 03-05: the last row in range, so Is_Latest. Recovered's delta
	 * is against 03-02, whose Recovered is unknown: empty. */
	CHECK_ROW("2020-03-05|US|New York|Kings|36047|USA|84036047|Kings, New York, US|"
	    "40.6|-73.9|2000|Confirmed", "2020-03-05|US|New York|Kings|36047|USA|84036047|"
	    "Kings, New York, US|40.6|-73.9|2000|Confirmed|20|8|5|1000||1");
	CHECK_ROW("2020-03-05|US|New York|Kings|36047|USA|84036047|Kings, New York, US|"
	    "40.6|-73.9|2000|Recovered", "2020-03-05|US|New York|Kings|36047|USA|84036047|"
	    "Kings, New York, US|40.6|-73.9|2000|Recovered|3|||150||1");
	CHECK_ROW("2020-03-02|US|New York|Kings|36047|USA|84036047|Kings, New York, US|"
	    "40.65|-73.95|2000|Deaths", "2020-03-02|US|New York|Kings|36047|USA|84036047|"
	    "Kings, New York, US|40.65|-73.95|2000|Deaths|1|1|1|50|2020-03-02 22:01:02|0");

	CHECK_INT(export("level=county&shape=long&province=New+York&from=2020-03-10"), 4);
	/* Recovered 3 -> 4, Active 16 -> 14; the window 03-04..03-10 also holds
	 * 03-05, whose deltas are unknown (03-02 had none). */
	CHECK_STR(rows[2], "2020-03-10|US|New York|Kings|36047|USA|84036047|Kings, New York, US|"
	    "40.6|-73.9|2000|Recovered|4|1|1|200|2020-03-10 12:00:00|1");
	CHECK_STR(rows[3], "2020-03-10|US|New York|Kings|36047|USA|84036047|Kings, New York, US|"
	    "40.6|-73.9|2000|Active|14|-2|-2|700|2020-03-10 12:00:00|1");
	CHECK_STR(rows[1], "2020-03-10|US|New York|Kings|36047|USA|84036047|Kings, New York, US|"
	    "40.6|-73.9|2000|Deaths|2|1|0.5|100|2020-03-10 12:00:00|1");

	CHECK_INT(export("shape=long&country=Korea,+South"), 8);
	CHECK_STR(rows[4], "2020-03-02|Korea, South||||KOR|410|Korea, South|35.9|127.7|"
	    "50000000|Confirmed|150|50|50|0.3||1");
	CHECK_STR(rows[0], "2020-03-01|Korea, South||||KOR|410|Korea, South|35.9|127.7|"
	    "50000000|Confirmed|100|||0.2||0");

	/* A query not begun, or ended, yields nothing. */
	{
		struct export_value v[EXPORT_MAX_COLUMNS];
		CHECK_INT(export_query_next(q, v), -1);
	}
	export_query_close(q);
	sqlite3_close(db);
	return check_exit();
}
