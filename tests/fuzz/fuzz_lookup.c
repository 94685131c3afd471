/* fuzz_lookup: JHU's UID_ISO_FIPS_LookUp_Table.csv (src/store/lookup.c over
 * src/base/csv.c), which covid-ingest fetches like a daily report: any bytes.
 *
 * Invariants: a body is refused with a reason or read to its end, each call
 * moving on; a row has a country; names are trimmed; FIPS of a US county is
 * at least 5 characters, of a state at least 2, when it is a number;
 * values a row does not carry are 0; coordinates are finite. */
#include <math.h>

#include "fuzz.h"

#include "store/lookup.h"

static int
trimmed(const char *s)
{
	size_t n = strlen(s);

	return n == 0 || (s[0] != ' ' && s[0] != '\t' &&
	    s[n - 1] != ' ' && s[n - 1] != '\t');
}

static void
check_row(const struct lookup_row *row)
{
	const unsigned known = LOOKUP_HAS_UID | LOOKUP_HAS_CODE3 |
	    LOOKUP_HAS_LATLONG | LOOKUP_HAS_POPULATION;
	size_t flen = strlen(row->fips);

	FUZZ_CHECK(row->country_region[0] != '\0');
	FUZZ_CHECK(trimmed(row->country_region) && trimmed(row->province_state) &&
	    trimmed(row->admin2) && trimmed(row->iso2) && trimmed(row->iso3) &&
	    trimmed(row->combined_key) && trimmed(row->fips));
	FUZZ_CHECK(flen < sizeof row->fips_buf);
	if (flen > 0 && fuzz_only(row->fips, flen, FUZZ_DIGITS) &&
	    strcmp(row->country_region, "US") == 0)
		FUZZ_CHECK(flen >= (row->admin2[0] ? 5u :
		    row->province_state[0] ? 2u : 1u));
	FUZZ_CHECK((row->has & ~known) == 0);
	if (!(row->has & LOOKUP_HAS_UID))        FUZZ_CHECK(row->uid == 0);
	if (!(row->has & LOOKUP_HAS_CODE3))      FUZZ_CHECK(row->code3 == 0);
	if (!(row->has & LOOKUP_HAS_POPULATION)) FUZZ_CHECK(row->population == 0);
	if (row->has & LOOKUP_HAS_LATLONG)
		FUZZ_CHECK(isfinite(row->lat) && isfinite(row->lon));
	else
		FUZZ_CHECK(row->lat == 0 && row->lon == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256] = "";
	struct lookup_reader *r;
	struct lookup_row row;
	long line = 0;
	size_t calls = 0;
	int rc;

	r = lookup_reader_new((const char *)data, size, err, sizeof err);
	if (r == NULL) {
		FUZZ_CHECK(err[0] != '\0');
		return 0;
	}
	for (;;) {
		err[0] = '\0';
		rc = lookup_reader_next(r, &row, err, sizeof err);
		FUZZ_CHECK(rc >= -1 && rc <= 1);
		FUZZ_CHECK(++calls <= size + 1);
		if (rc == 0)
			break;
		FUZZ_CHECK(row.line > line);
		line = row.line;
		if (rc == 1)
			check_row(&row);
		else
			FUZZ_CHECK(err[0] != '\0');
	}
	lookup_reader_free(r);
	return 0;
}
