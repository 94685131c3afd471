/* fuzz_date: every date parser of outside input. src/base/date.c's YYYY-MM-DD
 * (from=, to=), ISO times and IMF-fixdates (If-Modified-Since), and
 * daily_parse_timestamp (a daily report's Last_Update).
 *
 * Invariants: a parsed date formats back to itself (YYYY-MM-DD exactly; an
 * ISO time to the same time; an IMF-fixdate to the same text but the weekday,
 * which the parser does not check); a time parsed from one format survives a
 * trip through the other; the formatters stay inside their buffers. */
#include "fuzz.h"

#include "base/date.h"
#include "ingest/daily_parse.h"

/* 10000-01-01T00:00:00Z: IMF-fixdates have four-digit years. */
#define YEAR_10000 253402300800LL

static void
check_ymd(const char *s)
{
	long days = date_days(s);
	char back[11], longer[20];
	int y, m, d;

	if (days < 0)
		return;
	FUZZ_CHECK(strlen(s) == 10);
	date_ymd(days, back);
	FUZZ_CHECK(strcmp(back, s) == 0);
	date_to_civil(days, &y, &m, &d);
	FUZZ_CHECK(date_from_civil(y, m, d) == days);
	FUZZ_CHECK(y >= 1900 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= 31);
	date_long(s, longer, sizeof longer);
	FUZZ_CHECK(longer[0] >= '1' && longer[0] <= '9' && strlen(longer) < sizeof longer);
}

/* t as "YYYY-MM-DDTHH:MM:SS" (t >= 0). */
static void
iso_of(time_t t, char out[20])
{
	long secs = (long)(t % 86400);

	date_ymd((long)(t / 86400), out);
	snprintf(out + 10, 10, "T%02ld:%02ld:%02ld", secs / 3600, secs / 60 % 60,
	    secs % 60);
}

static void
check_iso(const char *s)
{
	time_t t = date_parse_iso(s);
	char http[40], iso[20], lt[32];

	date_long_time(s, lt, sizeof lt);
	FUZZ_CHECK(strlen(lt) < sizeof lt);
	if (t < 0) {
		FUZZ_CHECK(strncmp(lt, s, sizeof lt - 1) == 0);
		return;
	}
	FUZZ_CHECK(strlen(lt) > 4 && strcmp(lt + strlen(lt) - 4, " UTC") == 0);
	if (strncmp(s + 17, "60", 2) != 0) {   /* a leap second moves on */
		iso_of(t, iso);
		FUZZ_CHECK(memcmp(iso, s, 10) == 0 && memcmp(iso + 11, s + 11, 8) == 0);
	}
	if (t < YEAR_10000) {
		date_http(t, http, sizeof http);
		FUZZ_CHECK(date_parse_http(http) == t);
	}
}

static void
check_http(const char *s)
{
	time_t t = date_parse_http(s);
	char back[40], iso[20];

	if (t < 0)
		return;
	FUZZ_CHECK(t < YEAR_10000);
	date_http(t, back, sizeof back);
	if (strncmp(s + 23, "60", 2) != 0)
		FUZZ_CHECK(strcmp(back + 3, s + 3) == 0);
	iso_of(t, iso);
	FUZZ_CHECK(date_parse_iso(iso) == t);
}

static void
check_last_update(const char *s)
{
	char out[20], again[20];

	if (daily_parse_timestamp(s, out) != 0) {
		FUZZ_CHECK(out[0] == '\0');
		return;
	}
	FUZZ_CHECK(strlen(out) == 19 && out[10] == 'T');
	FUZZ_CHECK(date_parse_iso(out) >= 0);
	FUZZ_CHECK(daily_parse_timestamp(out, again) == 0 && strcmp(again, out) == 0);
}

/* The other way round: any day in 1900..9999 formats to a date that parses
 * back to it. */
static void
check_day(const uint8_t *data, size_t size)
{
	long first = date_days("1900-01-01"), last = date_days("9999-12-31");
	unsigned long v = 0;
	char ymd[11];

	for (size_t i = 0; i < size && i < 4; i++)
		v = v << 8 | data[i];
	long day = first + (long)(v % (unsigned long)(last - first + 1));
	date_ymd(day, ymd);
	FUZZ_CHECK(date_days(ymd) == day);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_strndup(data, size);

	check_ymd(s);
	check_iso(s);
	check_http(s);
	check_last_update(s);
	check_day(data, size);
	free(s);
	return 0;
}
