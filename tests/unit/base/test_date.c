/* test_date: the one table of month names. date_month_abbr answers 1..12
 * and nothing else, and agrees with what date_http and date_parse_http use
 * for the first of every month (the other date formats are tested with the
 * web layer, tests/unit/web/test_http.c). */
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
