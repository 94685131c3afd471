/* series_parse: reads one JHU time series file (either layout) from memory
 * or from an open file, a place at a time and a value at a time, so that
 * nothing it keeps grows with the number of date columns (nor, from a file,
 * with the file's size). It knows BOM, CRLF, RFC 4180 quoting, the dates of
 * the header (M/D/YY, consecutive days) and the country renames
 * (store/place_names.h). It opens nothing and touches no database.
 *
 * Layouts:
 *   global  Province/State,Country/Region,Lat,Long,1/22/20,...
 *   US      UID,iso2,iso3,code3,FIPS,Admin2,Province_State,Country_Region,
 *           Lat,Long_,Combined_Key[,Population],1/22/20,...
 *
 * Any malformed row fails the whole file (JHU's series are generated, so a
 * bad row means a bad file): a row with another number of date columns than
 * the header, a value that is not a whole number, a place without a
 * country, a truncated body. */
#ifndef COVID_SERIES_PARSE_H
#define COVID_SERIES_PARSE_H

#include <stddef.h>

enum series_layout { SERIES_GLOBAL = 1, SERIES_US = 2 };

/* One place of the file. Strings point into the parser and stay valid until
 * the next series_parser_place(); copy what you keep. */
struct series_place {
	long        line;            /* 1-based physical line of the row */
	const char *country_region;  /* JHU's current name (place_normalise) */
	const char *province_state;  /* "" when none */
	const char *admin2;          /* "" when none */
	const char *fips;            /* "" when none; US counties zero-padded to 5 */
	const char *combined_key;    /* "" when none (global layout) */
	long long   uid;             /* 0 when none (global layout) */
	long long   population;      /* -1 when none (only the US deaths file) */
};

struct series_parser;   /* opaque */

/* Starts reading buf[0..len) and reads the header: fails (NULL, reason in
 * err) when the body is not a time series: empty, HTML, an unknown header,
 * a date column that is not a date or not the day after the one before. */
struct series_parser *series_parser_new(const char *buf, size_t len,
    char *err, size_t errlen);
/* The same for the first len bytes of the file open as fd, read through a
 * private mapping (the file is never written) whose pages are given back
 * behind the reading: the memory it takes does not grow with the file.
 * The file must keep its len bytes until series_parser_free. */
struct series_parser *series_parser_open(int fd, size_t len, char *err,
    size_t errlen);

enum series_layout series_parser_layout(const struct series_parser *p);
/* The dates of the columns: first_day is a day number (days since
 * 1970-01-01), then one per column. */
long series_parser_first_day(const struct series_parser *p);
long series_parser_days(const struct series_parser *p);

/* Next place:
 *   1  a place was read into *pl; its values follow (series_parser_value)
 *   0  end of input
 *  -1  the file is bad (this row is malformed, or the body is truncated):
 *      reason (with the line) in err; stop reading */
int series_parser_place(struct series_parser *p, struct series_place *pl,
    char *err, size_t errlen);

/* Next value of the current place, in column order:
 *   1  *day (day number) and *value read; *present is 0 for an empty cell
 *      (NULL, not 0), 1 otherwise
 *   0  the row is done (it had exactly series_parser_days values)
 *  -1  the file is bad (not a whole number, too few or too many values,
 *      truncated): reason (with the line and the column's date) in err */
int series_parser_value(struct series_parser *p, long *day, long long *value,
    int *present, char *err, size_t errlen);

void series_parser_free(struct series_parser *p);

#endif
