/* daily_row: one row of a JHU daily report, as the parser yields it and the
 * store writes it. */
#ifndef COVID_DAILY_ROW_H
#define COVID_DAILY_ROW_H

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

#endif
