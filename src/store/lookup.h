/* lookup: reads JHU's UID_ISO_FIPS_LookUp_Table.csv (identity, ISO codes,
 * FIPS, coordinates and population of every place JHU reports on) from
 * memory. Columns are found by name, so their order does not matter. It does
 * no I/O and touches no database; the store writes what it yields. */
#ifndef COVID_LOOKUP_H
#define COVID_LOOKUP_H

#include <stddef.h>

/* Which optional values a row carries (an empty field is absent). */
enum {
	LOOKUP_HAS_UID        = 1 << 0,
	LOOKUP_HAS_CODE3      = 1 << 1,
	LOOKUP_HAS_LATLONG    = 1 << 2,
	LOOKUP_HAS_POPULATION = 1 << 3,
};

/* One place. Strings point into the reader and stay valid until the next
 * call to lookup_reader_next(); "" when the table leaves them empty. */
struct lookup_row {
	long        line;
	const char *country_region, *province_state, *admin2;
	const char *iso2, *iso3, *combined_key;
	const char *fips;       /* US counties zero-padded to 5, states to 2 */
	unsigned    has;        /* LOOKUP_HAS_* */
	long long   uid, code3, population;
	double      lat, lon;
	char        fips_buf[16];
};

struct lookup_reader;

/* Reads the header of buf[0..len) (copied; the caller's buffer is not kept).
 * NULL with the reason in err when the body is not the lookup table. */
struct lookup_reader *lookup_reader_new(const char *buf, size_t len,
    char *err, size_t errlen);

/* 1: a row in *row; 0: the end; -1: this row is malformed (reason in err,
 * row->line set) and was skipped, call again. */
int lookup_reader_next(struct lookup_reader *r, struct lookup_row *row,
    char *err, size_t errlen);

void lookup_reader_free(struct lookup_reader *r);

#endif
