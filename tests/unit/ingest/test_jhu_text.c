/* test_jhu_text: the text rules JHU's two CSV parsers share. jhu_whole is
 * the one reading of a whole number behind the daily reports' counts
 * (JHU_WHOLE_PLUS | JHU_WHOLE_ZERO_FRACTION, after jhu_trim), the time
 * series' UID and Population (JHU_WHOLE_ZERO_FRACTION) and their value
 * cells (JHU_WHOLE_PLAIN); each rule is checked on and off. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "ingest/jhu_text.h"

enum { SENTINEL = -424242 };

/* jhu_whole's result for s under rules, with *out as it left it. */
static int
whole(const char *s, unsigned rules, long long *out)
{
	*out = SENTINEL;
	return jhu_whole(s, rules, out);
}

static void
test_whole_plain(void)
{
	long long v;

	CHECK_INT(whole("0", JHU_WHOLE_PLAIN, &v), 1);
	CHECK_INT(v, 0);
	CHECK_INT(whole("1058", JHU_WHOLE_PLAIN, &v), 1);
	CHECK_INT(v, 1058);
	CHECK_INT(whole("-55869", JHU_WHOLE_PLAIN, &v), 1);
	CHECK_INT(v, -55869);
	CHECK_INT(whole("007", JHU_WHOLE_PLAIN, &v), 1);
	CHECK_INT(v, 7);
	/* Empty: absent, and *out is left alone. */
	CHECK_INT(whole("", JHU_WHOLE_PLAIN, &v), 0);
	CHECK_INT(v, SENTINEL);
	/* Not a whole number: *out is left alone. */
	{
		static const char *const bad[] = {
			"-", "+", "+5", ".0", "5.0", "5.", "1.5", "12x", "x12",
			" 5", "5 ", "1e3", "0x10", "--5", "-+5", "5-",
		};
		for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			int r = whole(bad[i], JHU_WHOLE_PLAIN, &v);

			CHECK(r == -1 && v == SENTINEL);
			if (r != -1 || v != SENTINEL)
				printf("# \"%s\": %d, %lld\n", bad[i], r, v);
		}
	}
}

static void
test_whole_limits(void)
{
	long long v;

	CHECK_INT(whole("9223372036854775807", JHU_WHOLE_PLAIN, &v), 1);
	CHECK(v == LLONG_MAX);
	CHECK_INT(whole("-9223372036854775808", JHU_WHOLE_PLAIN, &v), 1);
	CHECK(v == LLONG_MIN);
	CHECK_INT(whole("9223372036854775808", JHU_WHOLE_PLAIN, &v), -1);
	CHECK_INT(whole("-9223372036854775809", JHU_WHOLE_PLAIN, &v), -1);
	CHECK_INT(whole("99999999999999999999", JHU_WHOLE_PLAIN, &v), -1);
	CHECK_INT(v, SENTINEL);
	/* '+' takes the positive limit, not the negative one. */
	CHECK_INT(whole("+9223372036854775807", JHU_WHOLE_PLUS, &v), 1);
	CHECK(v == LLONG_MAX);
	CHECK_INT(whole("+9223372036854775808", JHU_WHOLE_PLUS, &v), -1);
	/* The fraction comes after the limit is checked. */
	CHECK_INT(whole("9223372036854775808.0", JHU_WHOLE_ZERO_FRACTION, &v), -1);
	CHECK_INT(whole("-9223372036854775808.00", JHU_WHOLE_ZERO_FRACTION, &v), 1);
	CHECK(v == LLONG_MIN);
}

static void
test_whole_plus(void)
{
	long long v;

	CHECK_INT(whole("+5", JHU_WHOLE_PLUS, &v), 1);
	CHECK_INT(v, 5);
	CHECK_INT(whole("+0", JHU_WHOLE_PLUS, &v), 1);
	CHECK_INT(v, 0);
	CHECK_INT(whole("-5", JHU_WHOLE_PLUS, &v), 1);
	CHECK_INT(v, -5);
	/* One sign, followed by digits. */
	CHECK_INT(whole("+", JHU_WHOLE_PLUS, &v), -1);
	CHECK_INT(whole("++5", JHU_WHOLE_PLUS, &v), -1);
	CHECK_INT(whole("+-5", JHU_WHOLE_PLUS, &v), -1);
	CHECK_INT(whole("-+5", JHU_WHOLE_PLUS, &v), -1);
	/* '+' does not bring the fraction with it, nor the other way round. */
	CHECK_INT(whole("+5.0", JHU_WHOLE_PLUS, &v), -1);
	CHECK_INT(whole("+5.0", JHU_WHOLE_ZERO_FRACTION, &v), -1);
	CHECK_INT(v, SENTINEL);
}

static void
test_whole_zero_fraction(void)
{
	const unsigned zf = JHU_WHOLE_ZERO_FRACTION;
	long long v;

	/* confirmed_US line 84's UID as a float; 01-23-2020.csv's "28.0". */
	CHECK_INT(whole("84001001.0", zf, &v), 1);
	CHECK_INT(v, 84001001);
	CHECK_INT(whole("28.0", zf, &v), 1);
	CHECK_INT(v, 28);
	CHECK_INT(whole("28.000", zf, &v), 1);
	CHECK_INT(v, 28);
	CHECK_INT(whole("28.", zf, &v), 1);
	CHECK_INT(v, 28);
	CHECK_INT(whole("-3.0", zf, &v), 1);
	CHECK_INT(v, -3);
	/* Only zeros after the point, and digits before it. */
	CHECK_INT(whole("28.5", zf, &v), -1);
	CHECK_INT(whole("28.01", zf, &v), -1);
	CHECK_INT(whole("28.0x", zf, &v), -1);
	CHECK_INT(whole("28..0", zf, &v), -1);
	CHECK_INT(whole(".0", zf, &v), -1);
	CHECK_INT(whole("-.0", zf, &v), -1);
	CHECK_INT(whole("28.0 ", zf, &v), -1);
	CHECK_INT(v, SENTINEL);
	/* Both rules together: the daily reports' counts. */
	CHECK_INT(whole("+28.0", JHU_WHOLE_PLUS | zf, &v), 1);
	CHECK_INT(v, 28);
}

/* The daily reports trim a count first; the whole rule sees the rest. */
static void
test_whole_after_trim(void)
{
	char cell[] = " \t+202137.0\r ";
	long long v;

	CHECK_INT(whole(cell, JHU_WHOLE_PLUS | JHU_WHOLE_ZERO_FRACTION, &v), -1);
	CHECK_INT(whole(jhu_trim(cell), JHU_WHOLE_PLUS | JHU_WHOLE_ZERO_FRACTION,
	    &v), 1);
	CHECK_INT(v, 202137);
}

int
main(void)
{
	test_whole_plain();
	test_whole_limits();
	test_whole_plus();
	test_whole_zero_fraction();
	test_whole_after_trim();
	return check_exit();
}
