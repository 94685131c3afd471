/* date: the calendar arithmetic and date formats the web tier needs, strict
 * in what it parses (a date that is not a real day is not a date). */
#ifndef COVID_DATE_H
#define COVID_DATE_H

#include <stddef.h>
#include <time.h>

/* Days since 1970-01-01 of a proleptic Gregorian y-m-d (m 1..12, d 1..31;
 * not validated), and back: the arithmetic every date in the project uses. */
long date_from_civil(int y, int m, int d);
void date_to_civil(long days, int *y, int *m, int *d);

/* The number of days in month m (1..12) of year y, leap years counted;
 * 0 when m is not a month. */
int date_month_days(int y, int m);
/* Days since 1970-01-01 for a valid "YYYY-MM-DD" (years 1900..9999 only,
 * exactly ten characters), else -1. */
long date_days(const char *ymd);
/* The day n days since 1970-01-01 as "YYYY-MM-DD" into buf[11]. */
void date_ymd(long days, char buf[11]);

/* "2023-03-10T04:21:03Z" or "2023-03-10 04:21:03" (UTC) to a time_t; -1. */
time_t date_parse_iso(const char *s);
/* t as an IMF-fixdate ("Fri, 10 Mar 2023 04:21:03 GMT") into buf (>= 30). */
void date_http(time_t t, char *buf, size_t len);
/* An IMF-fixdate back to a time_t; -1 when it is not exactly one. */
time_t date_parse_http(const char *s);
/* "2023-03-10T04:21:03Z" as "10 March 2023, 04:21 UTC" into buf (>= 32);
 * anything else is copied as it is. */
void date_long_time(const char *iso, char *buf, size_t len);
/* "Jan".."Dec" for m 1..12 (English, whatever the locale), NULL otherwise:
 * the one table of month names, which every date format here uses. */
const char *date_month_abbr(int m);
/* "10 March 2023", for people, into buf (>= 20). */
void date_long(const char *ymd, char *buf, size_t len);

#endif
