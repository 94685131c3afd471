/* test_ingest: the run loop's helpers: strict dates (checked against libc's
 * gmtime for every day of 1970..2099), JHU's file names, the lookup table's
 * URL derived from a source URL, and which stored validators a request
 * sends (none to another URL, no weak Last-Modified). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "ingest/ingest.h"
#include "ingest/refetch.h"
#include "store/store.h"

/* Which validators a request sends for stored state *have, as
 * "ETAG|LAST-MODIFIED" with "-" for none. */
static const char *
sent(const struct source_state *have)
{
	static char out[400];
	const char *etag = "x", *lm = "x";

	ingest_request_validators(have, &etag, &lm);
	snprintf(out, sizeof out, "%s|%s", etag ? etag : "-", lm ? lm : "-");
	return out;
}

static void
test_request_validators(void)
{
	struct source_state have;

	/* Nothing stored (the date is not loaded): an unconditional GET. */
	memset(&have, 0, sizeof have);
	CHECK_STR(sent(&have), "-|-");
	/* Stored for this URL, a strong Last-Modified: both go. */
	have.same_url = 1;
	snprintf(have.etag, sizeof have.etag, "\"5f5e-a\"");
	snprintf(have.last_modified, sizeof have.last_modified,
	    "Sun, 13 Sep 2020 12:26:40 GMT");
	have.last_modified_strong = 1;
	CHECK_STR(sent(&have), "\"5f5e-a\"|Sun, 13 Sep 2020 12:26:40 GMT");
	/* A weak Last-Modified stays home; the ETag goes as it is. */
	have.last_modified_strong = 0;
	CHECK_STR(sent(&have), "\"5f5e-a\"|-");
	have.etag[0] = '\0';
	CHECK_STR(sent(&have), "-|-");
	have.last_modified_strong = 1;
	CHECK_STR(sent(&have), "-|Sun, 13 Sep 2020 12:26:40 GMT");
	/* Stored for another URL (another folder, a mirror): nothing goes. */
	snprintf(have.etag, sizeof have.etag, "\"5f5e-a\"");
	have.same_url = 0;
	CHECK_STR(sent(&have), "-|-");
	/* A strong flag without a Last-Modified sends no empty header. */
	have.same_url = 1;
	have.last_modified[0] = '\0';
	CHECK_STR(sent(&have), "\"5f5e-a\"|-");
}

int
main(void)
{
	char iso[11], file[15], want[16], url[256];
	long day, bad = 0, first;
	time_t t;
	struct tm tm;

	/* Every day: format, parse back, and agree with gmtime. */
	for (day = 0; day < 47482; day++) {   /* 1970-01-01 .. 2099-12-31 */
		long back = -1;

		t = (time_t)day * 86400;
		gmtime_r(&t, &tm);
		ingest_format_date(day, iso);
		snprintf(want, sizeof want, "%04d-%02d-%02d", tm.tm_year + 1900,
		    tm.tm_mon + 1, tm.tm_mday);
		if (strcmp(iso, want) != 0 || ingest_parse_date(iso, &back) != 0 ||
		    back != day) {
			if (bad++ < 5)
				printf("# day %ld: formatted %s, want %s, parsed back %ld\n",
				    day, iso, want, back);
		}
		ingest_file_name(day, file);
		snprintf(want, sizeof want, "%02d-%02d-%04d.csv", tm.tm_mon + 1,
		    tm.tm_mday, tm.tm_year + 1900);
		if (strcmp(file, want) != 0 && bad++ < 5)
			printf("# day %ld: file %s, want %s\n", day, file, want);
	}
	CHECK_INT(bad, 0);

	CHECK_INT(ingest_parse_date(INGEST_FIRST_DATE, &first), 0);
	ingest_file_name(first, file);
	CHECK_STR(file, "01-22-2020.csv");
	CHECK_INT(ingest_parse_date("2020-02-29", &day), 0);   /* leap year */
	CHECK_INT(day - first, 38);
	CHECK_INT(ingest_parse_date("2000-02-29", &day), 0);   /* 400-year rule */

	/* Not dates, or not strictly YYYY-MM-DD. */
	static const char *const nots[] = {
		"", "2020", "2020-1-22", "2020-01-2", "20-01-22", "2020/01/22",
		"2020-01-22 ", " 2020-01-22", "2020-01-22T00", "2020-00-10",
		"2020-13-01", "2020-01-00", "2020-01-32", "2021-02-29", "1900-02-29",
		"2020-04-31", "2020-O1-22", "+020-01-22", "01-22-2020",
	};
	for (size_t i = 0; i < sizeof nots / sizeof nots[0]; i++) {
		day = 12345;
		if (ingest_parse_date(nots[i], &day) != -1 || day != 12345)
			printf("# accepted '%s'\n", nots[i]);
		CHECK(ingest_parse_date(nots[i], &day) == -1);
	}

	/* The lookup table sits one folder above the reports. */
	CHECK_INT(ingest_default_lookup("https://raw.githubusercontent.com/CSSEGISandData/"
	    "COVID-19/master/csse_covid_19_data/csse_covid_19_daily_reports",
	    url, sizeof url), 0);
	CHECK_STR(url, "https://raw.githubusercontent.com/CSSEGISandData/"
	    "COVID-19/master/csse_covid_19_data/UID_ISO_FIPS_LookUp_Table.csv");
	CHECK_INT(ingest_default_lookup("file:///srv/jhu/daily//", url, sizeof url), 0);
	CHECK_STR(url, "file:///srv/jhu/UID_ISO_FIPS_LookUp_Table.csv");
	CHECK_INT(ingest_default_lookup("file:///daily", url, sizeof url), 0);
	CHECK_STR(url, "file:///UID_ISO_FIPS_LookUp_Table.csv");
	CHECK_INT(ingest_default_lookup("http://127.0.0.1:8080/r", url, sizeof url), 0);
	CHECK_STR(url, "http://127.0.0.1:8080/UID_ISO_FIPS_LookUp_Table.csv");
	CHECK_INT(ingest_default_lookup("http://example.org", url, sizeof url), -1);
	CHECK_INT(ingest_default_lookup("http://example.org/", url, sizeof url), -1);
	CHECK_INT(ingest_default_lookup("no-scheme/path", url, sizeof url), -1);
	CHECK_INT(ingest_default_lookup("http://example.org/a/b", url, 20), -1);

	CHECK(ingest_today() > first);
	test_request_validators();
	return check_exit();
}
