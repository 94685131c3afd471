/* test_numfmt: thousands separators and fixed decimals. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>

#include "base/numfmt.h"
#include "check.h"

static char buf[512];

static const char *
th(long long v)
{
	fmt_thousands(buf, sizeof buf, v);
	return buf;
}

static const char *
dec(double v, int decimals)
{
	fmt_decimal(buf, sizeof buf, v, decimals);
	return buf;
}

/* Removing the commas gives printf's digits back; the groups between
 * commas are 1-3 digits first, then exactly 3. */
static int
grouped_ok(long long v)
{
	char want[32], got[40], *p;
	size_t i, group = 0, ngroups = 0;

	snprintf(want, sizeof want, "%lld", v);
	fmt_thousands(got, sizeof got, v);
	for (p = got + (got[0] == '-'); ; p++) {
		if (*p == ',' || *p == '\0') {
			if (group == 0 || group > 3 || (ngroups > 0 && group != 3))
				return 0;
			ngroups++;
			group = 0;
			if (*p == '\0')
				break;
		} else
			group++;
	}
	for (i = 0, p = got; *p; p++)
		if (*p != ',')
			got[i++] = *p;
	got[i] = '\0';
	return strcmp(got, want) == 0;
}

/* fmt_int's text and length, checked against printf's; and that it wrote
 * nothing past its NUL (the byte after is left as it was). */
static int
int_ok(long long v)
{
	char want[32], got[FMT_INT_MAX + 1];
	size_t n;

	snprintf(want, sizeof want, "%lld", v);
	memset(got, 'x', sizeof got);
	n = fmt_int(got, v);
	return n == strlen(want) && strcmp(got, want) == 0 && got[n + 1] == 'x';
}

static void
test_fmt_int(void)
{
	char d[FMT_INT_MAX], pad[8];
	int i, bad;

	CHECK_INT(fmt_int(d, 0), 1);
	CHECK_STR(d, "0");
	CHECK_INT(fmt_int(d, 7), 1);
	CHECK_STR(d, "7");
	CHECK_INT(fmt_int(d, -1), 2);
	CHECK_STR(d, "-1");
	CHECK_INT(fmt_int(d, 10), 2);
	CHECK_STR(d, "10");
	CHECK_INT(fmt_int(d, -8880), 5);
	CHECK_STR(d, "-8880");
	CHECK_INT(fmt_int(d, LLONG_MAX), 19);
	CHECK_STR(d, "9223372036854775807");
	CHECK_INT(fmt_int(d, LLONG_MIN), 20);
	CHECK_STR(d, "-9223372036854775808");
	CHECK_INT(fmt_uint(d, ULLONG_MAX), 20);
	CHECK_STR(d, "18446744073709551615");
	CHECK_INT(fmt_uint(d, 1000), 4);
	CHECK_STR(d, "1000");

	srand(7);
	for (i = 0, bad = 0; i < 20000; i++) {
		long long v = ((long long)rand() << 32 | (long long)rand()) >>
		    (rand() % 62);
		bad += !int_ok(i % 2 ? -v : v);
	}
	CHECK_INT(bad, 0);

	/* Zero-padded to the width, no NUL written, the high digits dropped. */
	memset(pad, 'x', sizeof pad);
	CHECK_INT(fmt_uint_padded(pad, 7, 2), 2);
	CHECK(memcmp(pad, "07x", 3) == 0);
	CHECK_INT(fmt_uint_padded(pad, 2023, 4), 4);
	CHECK(memcmp(pad, "2023x", 5) == 0);
	CHECK_INT(fmt_uint_padded(pad, 0, 4), 4);
	CHECK(memcmp(pad, "0000x", 5) == 0);
	CHECK_INT(fmt_uint_padded(pad, 123, 2), 2);
	CHECK(memcmp(pad, "23", 2) == 0);
	CHECK_INT(fmt_uint_padded(pad, 5, 0), 0);
	CHECK(memcmp(pad, "23", 2) == 0);
}

int
main(void)
{
	char small[6];
	int i, bad;

	test_fmt_int();
	CHECK_STR(th(0), "0");
	CHECK_STR(th(7), "7");
	CHECK_STR(th(999), "999");
	CHECK_STR(th(1000), "1,000");
	CHECK_STR(th(-1000), "-1,000");
	CHECK_STR(th(-8880), "-8,880");
	CHECK_STR(th(12345), "12,345");
	CHECK_STR(th(123456), "123,456");
	CHECK_STR(th(1234567), "1,234,567");
	CHECK_STR(th(-999999), "-999,999");
	CHECK_STR(th(103802702), "103,802,702");
	CHECK_STR(th(LLONG_MAX), "9,223,372,036,854,775,807");
	CHECK_STR(th(LLONG_MIN), "-9,223,372,036,854,775,808");

	/* Property: against printf for values of every length and sign. */
	srand(42);
	for (i = 0, bad = 0; i < 20000; i++) {
		long long v = ((long long)rand() << 32 | (long long)rand()) >>
		    (rand() % 62);
		if (i % 2)
			v = -v;
		bad += !grouped_ok(v);
	}
	CHECK_INT(bad, 0);

	/* Too small a buffer: empty, never a truncated figure. */
	fmt_thousands(small, sizeof small, 12345);      /* "12,345" needs 7 */
	CHECK_STR(small, "");
	fmt_thousands(small, sizeof small, 1234);       /* "1,234" needs 6 */
	CHECK_STR(small, "1,234");
	fmt_thousands(small, 0, 1);                     /* writes nothing */
	CHECK_STR(small, "1,234");
	fmt_decimal(small, sizeof small, 1234.5, 1);    /* "1,234.5" */
	CHECK_STR(small, "");

	CHECK_STR(dec(1234.567, 2), "1,234.57");
	CHECK_STR(dec(-1234567.891, 1), "-1,234,567.9");
	CHECK_STR(dec(0, 2), "0.00");
	CHECK_STR(dec(0.5, 3), "0.500");
	CHECK_STR(dec(999.996, 2), "1,000.00");
	CHECK_STR(dec(999999.5, 0), "1,000,000");
	CHECK_STR(dec(12.34, 0), "12");
	CHECK_STR(dec(1e20, 0), "100,000,000,000,000,000,000");
	CHECK_STR(dec(3.14159, -2), "3");
	CHECK_STR(dec(-0.001, 2), "0.00");
	CHECK_STR(dec(-0.0, 1), "0.0");
	CHECK_STR(dec(-0.06, 1), "-0.1");
	CHECK_STR(dec(NAN, 2), "");
	CHECK_STR(dec(INFINITY, 2), "");
	CHECK_STR(dec(-INFINITY, 0), "");
	/* DBL_MAX: 309 digits and 102 commas; fits in 512. */
	fmt_decimal(buf, sizeof buf, 1.7976931348623157e308, 0);
	CHECK_INT(strlen(buf), 309 + 102);
	CHECK(strncmp(buf, "179,769,313,486,231,57", 22) == 0);
	return check_exit();
}
