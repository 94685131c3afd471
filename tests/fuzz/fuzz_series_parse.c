/* fuzz_series_parse: a JHU time series body (src/ingest/series_parse.c over
 * src/base/csv.c), as covid-ingest gets it from the network, any bytes.
 *
 * Invariants:
 *   - a body is refused with a reason, or read to its end: each place call
 *     moves on (lines rise), -1 ends it and every later call says -1 again;
 *   - the header has at least one date; every place read yields exactly
 *     series_parser_days() values, or an error, and no more;
 *   - the days run on one at a time from series_parser_first_day();
 *   - an absent value is 0; a place has a country; names are trimmed; FIPS
 *     is digits (US counties 5); population is -1 or more;
 *   - reasons are one line (they go to the log). */
#include "fuzz.h"

#include "ingest/series_parse.h"

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
check_place(const struct series_parser *p, const struct series_place *pl)
{
	size_t flen = strlen(pl->fips);

	FUZZ_CHECK(pl->country_region[0] != '\0');
	FUZZ_CHECK(trimmed(pl->country_region) && trimmed(pl->province_state) &&
	    trimmed(pl->admin2) && trimmed(pl->combined_key));
	FUZZ_CHECK(fuzz_only(pl->fips, flen, FUZZ_DIGITS));
	FUZZ_CHECK(pl->population >= -1);
	if (series_parser_layout(p) == SERIES_GLOBAL) {
		FUZZ_CHECK(flen == 0 && pl->uid == 0 && pl->population == -1);
		FUZZ_CHECK(pl->admin2[0] == '\0' && pl->combined_key[0] == '\0');
	} else if (flen > 0) {
		FUZZ_CHECK(flen >= (pl->admin2[0] ? 5u : 2u));
	}
}

/* The current place's values: 0 when exactly days of them came, -1 after
 * an error. */
static int
check_values(struct series_parser *p, char *err, size_t errlen)
{
	long n = 0, day, days = series_parser_days(p);
	long long value;
	int present, rc;

	for (;;) {
		day = -1;
		err[0] = '\0';
		rc = series_parser_value(p, &day, &value, &present, err, errlen);
		FUZZ_CHECK(rc >= -1 && rc <= 1);
		if (rc <= 0)
			break;
		FUZZ_CHECK(n < days);
		FUZZ_CHECK(day == series_parser_first_day(p) + n);
		FUZZ_CHECK(present == 0 || present == 1);
		if (!present)
			FUZZ_CHECK(value == 0);
		n++;
	}
	if (rc < 0) {
		FUZZ_CHECK(err[0] != '\0' && one_line(err));
		return -1;
	}
	FUZZ_CHECK(n == days);
	/* Done stays done. */
	FUZZ_CHECK(series_parser_value(p, &day, &value, &present, err,
	    errlen) == 0);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256] = "";
	struct series_parser *p;
	struct series_place pl;
	long line = 1, places = 0;
	int rc;

	p = series_parser_new((const char *)data, size, err, sizeof err);
	if (p == NULL) {
		FUZZ_CHECK(err[0] != '\0' && one_line(err));
		return 0;
	}
	FUZZ_CHECK(series_parser_layout(p) == SERIES_GLOBAL ||
	    series_parser_layout(p) == SERIES_US);
	FUZZ_CHECK(series_parser_days(p) >= 1);
	FUZZ_CHECK((size_t)series_parser_days(p) <= size);
	for (;;) {
		err[0] = '\0';
		rc = series_parser_place(p, &pl, err, sizeof err);
		FUZZ_CHECK(rc >= -1 && rc <= 1);
		if (rc == 0)
			break;
		if (rc < 0) {
			FUZZ_CHECK(err[0] != '\0' && one_line(err));
			break;
		}
		FUZZ_CHECK(++places <= (long)size);
		FUZZ_CHECK(pl.line > line);
		line = pl.line;
		check_place(p, &pl);
		/* Some places are left unread: the next call moves on. */
		if ((places & 3) != 3 && check_values(p, err, sizeof err) < 0) {
			rc = -1;
			break;
		}
	}
	if (rc < 0)
		FUZZ_CHECK(series_parser_place(p, &pl, err, sizeof err) == -1);
	series_parser_free(p);
	return 0;
}
