/* daily_parse: reads one JHU daily report (any header era) from memory and
 * yields normalised rows. It knows the five header layouts, BOM, CRLF, RFC 4180
 * quoting, empty fields, the Last_Update date formats and the country renames.
 * It does no I/O and touches no database. */
#ifndef COVID_DAILY_PARSE_H
#define COVID_DAILY_PARSE_H

#include <stddef.h>

/* Which optional values a row carries (an empty field is absent: NULL, not 0). */
enum {
	ROW_HAS_CONFIRMED = 1 << 0,
	ROW_HAS_DEATHS    = 1 << 1,
	ROW_HAS_RECOVERED = 1 << 2,
	ROW_HAS_ACTIVE    = 1 << 3,
	ROW_HAS_INCIDENT  = 1 << 4,   /* incident_rate */
	ROW_HAS_CFR       = 1 << 5,   /* case_fatality_ratio */
	ROW_HAS_LATLONG   = 1 << 6,
};

/* One row. Strings point into the parser and stay valid until the next call
 * to daily_parser_next(); copy what you keep. */
struct daily_row {
	long        line;           /* 1-based physical line of the row's start */
	const char *country_region; /* JHU's current name ("Mainland China" -> "China") */
	const char *province_state; /* "" when none */
	const char *admin2;         /* "" when none */
	const char *fips;           /* "" when none; US counties zero-padded to 5 */
	const char *combined_key;   /* "" when the file has none */
	char        last_update[20];/* "YYYY-MM-DDTHH:MM:SS", or "" when empty */
	unsigned    has;            /* ROW_HAS_* bits */
	long long   confirmed, deaths, recovered, active;
	double      incident_rate, case_fatality_ratio, lat, lon;
};

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

/* Maps any name JHU ever used for a country to its current one
 * ("Mainland China" -> "China", "Republic of Korea" -> "Korea, South").
 * Returns name itself when it is already current. The same table is written to
 * the country_alias table for analysts (see daily_country_aliases). */
const char *daily_country_name(const char *name);

/* The alias table, terminated by {NULL, NULL}. */
struct country_alias { const char *alias, *name; };
extern const struct country_alias daily_country_aliases[];

/* Old country names that are now a PROVINCE of another country ("Hong Kong"
 * -> China / Hong Kong, "Aruba" -> Netherlands / Aruba), and the two names of
 * the Diamond Princess ("Cruise Ship", "Others"), whose old province field
 * named the ship: the province is replaced by the one given here ("" for the
 * country itself). Terminated by {NULL, NULL, NULL}. */
struct place_move { const char *alias, *country, *province; };
extern const struct place_move daily_place_moves[];

/* What the parser does to every row's (trimmed) country and province: a
 * move replaces both, an alias renames the country. The pointers are replaced
 * by static strings when anything changes. (The parser also turns an era 1-2
 * province equal to its country, "France,France", into "": there it meant
 * the country itself; later files have real ones such as Mexico / Mexico.) */
void daily_normalise_place(const char **country, const char **province);

/* The bytes of the record last returned by daily_parser_next() (any result):
 * offsets into the buf given to daily_parser_new(), line end excluded. For
 * storing a rejected row's raw text. */
void daily_parser_span(const struct daily_parser *p, size_t *start, size_t *end);

/* Parses the Last_Update formats JHU used ("1/22/2020 17:00", "1/23/20 17:00",
 * "2020-02-02T23:43:02", "2020-03-23 23:19:34", "2021-01-15 17:22", ...) into
 * "YYYY-MM-DDTHH:MM:SS". Returns 0, or -1 when the text is not a date. */
int daily_parse_timestamp(const char *text, char out[20]);

#endif
