/* daily_parse: reads one JHU daily report (any header era) from memory and
 * yields normalised rows. It knows the five header layouts, BOM, CRLF, RFC 4180
 * quoting, empty fields, the Last_Update date formats; the country renames
 * are store/place_names.h's.
 * It does no I/O and touches no database. */
#ifndef COVID_DAILY_PARSE_H
#define COVID_DAILY_PARSE_H

#include <stddef.h>

#include "store/daily_row.h"

/* Header eras, for log lines and tests. */
enum daily_era {
	ERA_UNKNOWN = 0,
	ERA_1_PROVINCE_SLASH,      /* Province/State,Country/Region,Last Update,C,D,R */
	ERA_2_LATITUDE,            /* era 1 + Latitude,Longitude */
	ERA_3_FIPS,                /* FIPS,Admin2,...,Combined_Key */
	ERA_4_INCIDENCE,           /* era 3 + Incidence_Rate,Case-Fatality_Ratio */
	ERA_5_INCIDENT,            /* era 3 + Incident_Rate,Case_Fatality_Ratio */
};

struct daily_parser;   /* opaque */

/* Starts reading buf[0..len). Reads the header; fails (NULL, reason in err)
 * when the body is not a daily report: empty, HTML, an unknown header. */
struct daily_parser *daily_parser_new(const char *buf, size_t len,
    char *err, size_t errlen);

enum daily_era daily_parser_era(const struct daily_parser *p);

/* Next row:
 *   1  a row was read into *row
 *   0  end of input
 *  -1  this row is malformed (wrong field count, a number that is not a
 *      number, no country, ...): reason in err, row->line set; the parser
 *      has moved past it, so call again for the next row
 *  -2  the body is truncated (ends inside a quoted field, or its final line
 *      is incomplete and malformed): the whole file must fail; reason in err */
int daily_parser_next(struct daily_parser *p, struct daily_row *row,
    char *err, size_t errlen);

void daily_parser_free(struct daily_parser *p);

/* The bytes of the record last returned by daily_parser_next() (any result):
 * offsets into the buf given to daily_parser_new(), line end excluded. For
 * storing a rejected row's raw text. */
void daily_parser_span(const struct daily_parser *p, size_t *start, size_t *end);

/* Parses the Last_Update formats JHU used ("1/22/2020 17:00", "1/23/20 17:00",
 * "2020-02-02T23:43:02", "2020-03-23 23:19:34", "2021-01-15 17:22", ...) into
 * "YYYY-MM-DDTHH:MM:SS". Returns 0, or -1 when the text is not a date. */
int daily_parse_timestamp(const char *text, char out[20]);

#endif
