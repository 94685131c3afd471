/* fuzz_daily_parse: a JHU daily report body (src/ingest/daily_parse.c over
 * src/base/csv.c), as covid-ingest gets it from the network, any bytes.
 *
 * Invariants:
 *   - a body is refused with a reason, or read to its end: each call moves
 *     on, rows keep their order, -2 (truncated) ends it;
 *   - a row has a country; names are trimmed; FIPS is digits (US counties 5,
 *     states 2); Last_Update is "" or a timestamp that parses to itself;
 *     only known ROW_HAS_* bits; values absent are 0; ratios are finite;
 *   - a rejected row says why, on one line (reasons go to the log and to
 *     rejected_row), and its span lies inside the body. */
#include <math.h>

#include "fuzz.h"

#include "ingest/daily_parse.h"

static int
one_line(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

static int
trimmed(const char *s)
{
	size_t n = strlen(s);

	return n == 0 || (s[0] != ' ' && s[0] != '\t' && s[n - 1] != ' ' &&
	    s[n - 1] != '\t' && s[n - 1] != '\r' && s[n - 1] != '\n');
}

static void
check_row(const struct daily_row *row)
{
	const unsigned known = ROW_HAS_CONFIRMED | ROW_HAS_DEATHS |
	    ROW_HAS_RECOVERED | ROW_HAS_ACTIVE | ROW_HAS_INCIDENT | ROW_HAS_CFR |
	    ROW_HAS_LATLONG;
	size_t flen = strlen(row->fips);
	char again[20];

	FUZZ_CHECK(row->country_region[0] != '\0');
	FUZZ_CHECK(trimmed(row->country_region) && trimmed(row->province_state) &&
	    trimmed(row->admin2) && trimmed(row->combined_key));
	FUZZ_CHECK(fuzz_only(row->fips, flen, FUZZ_DIGITS));
	if (flen > 0 && strcmp(row->country_region, "US") == 0)
		FUZZ_CHECK(flen >= (row->admin2[0] ? 5u : 2u));
	if (row->last_update[0] != '\0') {
		FUZZ_CHECK(daily_parse_timestamp(row->last_update, again) == 0);
		FUZZ_CHECK(strcmp(again, row->last_update) == 0);
	}
	FUZZ_CHECK((row->has & ~known) == 0);
	if (!(row->has & ROW_HAS_CONFIRMED)) FUZZ_CHECK(row->confirmed == 0);
	if (!(row->has & ROW_HAS_DEATHS))    FUZZ_CHECK(row->deaths == 0);
	if (!(row->has & ROW_HAS_RECOVERED)) FUZZ_CHECK(row->recovered == 0);
	if (!(row->has & ROW_HAS_ACTIVE))    FUZZ_CHECK(row->active == 0);
	if (!(row->has & ROW_HAS_LATLONG))
		FUZZ_CHECK(row->lat == 0 && row->lon == 0);
	FUZZ_CHECK(isfinite(row->incident_rate) && isfinite(row->case_fatality_ratio) &&
	    isfinite(row->lat) && isfinite(row->lon));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256] = "";
	struct daily_parser *p;
	struct daily_row row;
	long line = 0;
	size_t calls = 0, start, end, prev_end = 0;
	int rc;

	p = daily_parser_new((const char *)data, size, err, sizeof err);
	if (p == NULL) {
		FUZZ_CHECK(err[0] != '\0' && one_line(err));
		return 0;
	}
	FUZZ_CHECK(daily_parser_era(p) > ERA_UNKNOWN &&
	    daily_parser_era(p) <= ERA_5_INCIDENT);
	do {
		err[0] = '\0';
		rc = daily_parser_next(p, &row, err, sizeof err);
		FUZZ_CHECK(rc >= -2 && rc <= 1);
		FUZZ_CHECK(++calls <= size + 1);   /* each call reads a line */
		if (rc == 0)
			break;
		FUZZ_CHECK(row.line > line);
		line = row.line;
		daily_parser_span(p, &start, &end);
		FUZZ_CHECK(start <= end && end <= size && start >= prev_end);
		prev_end = end;
		if (rc == 1)
			check_row(&row);
		else
			FUZZ_CHECK(err[0] != '\0' && one_line(err));
	} while (rc != -2);
	daily_parser_free(p);
	return 0;
}
