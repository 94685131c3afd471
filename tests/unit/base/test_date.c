/* test_date: the one table of month names. date_month_abbr answers 1..12
 * and nothing else, and agrees with what date_http and date_parse_http use
 * for the first of every month (the other date formats are tested with the
 * web layer, tests/unit/web/test_http.c). */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "check.h"

int
main(void)
{
	char buf[40];
	int m;

	CHECK_STR(date_month_abbr(1), "Jan");
	CHECK_STR(date_month_abbr(12), "Dec");
	CHECK(date_month_abbr(0) == NULL);
	CHECK(date_month_abbr(13) == NULL);
	CHECK(date_month_abbr(-1) == NULL);
	/* Month lengths, leap years by all three rules; no month 0 or 13. */
	CHECK_INT(date_month_days(2021, 1), 31);
	CHECK_INT(date_month_days(2021, 2), 28);
	CHECK_INT(date_month_days(2020, 2), 29);
	CHECK_INT(date_month_days(1900, 2), 28);
	CHECK_INT(date_month_days(2000, 2), 29);
	CHECK_INT(date_month_days(2021, 4), 30);
	CHECK_INT(date_month_days(2021, 12), 31);
	CHECK_INT(date_month_days(2021, 0), 0);
	CHECK_INT(date_month_days(2021, 13), 0);
	/* It agrees with the strict parser on every day of a leap year and a
	 * common one: the last day of each month is a date, the next is not. */
	for (m = 1; m <= 12; m++) {
		char ymd[11];
		int y;

		for (y = 2020; y <= 2021; y++) {
			snprintf(ymd, sizeof ymd, "%04d-%02d-%02d", y, m,
			    date_month_days(y, m));
			CHECK(date_days(ymd) > 0);
			snprintf(ymd, sizeof ymd, "%04d-%02d-%02d", y, m,
			    date_month_days(y, m) + 1);
			CHECK_INT(date_days(ymd), -1);
		}
	}
	for (m = 1; m <= 12; m++) {
		const char *abbr = date_month_abbr(m);
		time_t t = (time_t)date_from_civil(2021, m, 1) * 86400;

		date_http(t, buf, sizeof buf);
		/* "Fri, 01 Jan 2021 00:00:00 GMT": the month at offset 8. */
		CHECK(abbr != NULL && strlen(abbr) == 3 &&
		    strncmp(buf + 8, abbr, 3) == 0);
		CHECK_INT(date_parse_http(buf), t);
	}
	return check_exit();
}
