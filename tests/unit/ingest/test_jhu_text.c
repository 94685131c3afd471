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

#define PLAIN JHU_WHOLE_PLAIN
#define PLUS  JHU_WHOLE_PLUS
#define ZF    JHU_WHOLE_ZERO_FRACTION

/* What jhu_whole leaves in *out when it sets nothing. */
#define UNSET (-424242LL)

static const struct whole_case {
	const char *text;
	unsigned    rules;
	int         rc;      /* 1 read, 0 empty, -1 not a whole number */
	long long   value;   /* *out afterwards (UNSET: untouched) */
} whole_cases[] = {
	/* Digits and a '-', under every rule. */
	{ "0", PLAIN, 1, 0 },
	{ "1058", PLAIN, 1, 1058 },
	{ "-55869", PLAIN, 1, -55869 },
	{ "007", PLAIN, 1, 7 },
	{ "1058", PLUS | ZF, 1, 1058 },
	/* Empty: absent, *out untouched. */
	{ "", PLAIN, 0, UNSET },
	{ "", PLUS | ZF, 0, UNSET },
	/* Not a whole number under the plain rule (the time series' cells). */
	{ "-", PLAIN, -1, UNSET },
	{ "+", PLAIN, -1, UNSET },
	{ "+5", PLAIN, -1, UNSET },
	{ ".0", PLAIN, -1, UNSET },
	{ "5.0", PLAIN, -1, UNSET },
	{ "5.", PLAIN, -1, UNSET },
	{ "1.5", PLAIN, -1, UNSET },
	{ "12x", PLAIN, -1, UNSET },
	{ "x12", PLAIN, -1, UNSET },
	{ " 5", PLAIN, -1, UNSET },
	{ "5 ", PLAIN, -1, UNSET },
	{ "1e3", PLAIN, -1, UNSET },
	{ "0x10", PLAIN, -1, UNSET },
	{ "--5", PLAIN, -1, UNSET },
	{ "5-", PLAIN, -1, UNSET },
	/* The limits of a long long, each way. */
	{ "9223372036854775807", PLAIN, 1, LLONG_MAX },
	{ "-9223372036854775808", PLAIN, 1, LLONG_MIN },
	{ "9223372036854775808", PLAIN, -1, UNSET },
	{ "-9223372036854775809", PLAIN, -1, UNSET },
	{ "99999999999999999999", PLAIN, -1, UNSET },
	{ "+9223372036854775807", PLUS, 1, LLONG_MAX },   /* '+': the positive limit */
	{ "+9223372036854775808", PLUS, -1, UNSET },
	{ "9223372036854775808.0", ZF, -1, UNSET },       /* the limit before the fraction */
	{ "-9223372036854775808.00", ZF, 1, LLONG_MIN },
	/* JHU_WHOLE_PLUS: one sign, then digits. */
	{ "+5", PLUS, 1, 5 },
	{ "+0", PLUS, 1, 0 },
	{ "-5", PLUS, 1, -5 },
	{ "+", PLUS, -1, UNSET },
	{ "++5", PLUS, -1, UNSET },
	{ "+-5", PLUS, -1, UNSET },
	{ "-+5", PLUS, -1, UNSET },
	{ "+5.0", PLUS, -1, UNSET },   /* '+' does not bring the fraction */
	{ "+5.0", ZF, -1, UNSET },     /* nor the fraction the '+' */
	/* JHU_WHOLE_ZERO_FRACTION: confirmed_US line 84's UID as a float,
	 * 01-23-2020.csv's "28.0"; only zeros after the point, digits before. */
	{ "84001001.0", ZF, 1, 84001001 },
	{ "28.0", ZF, 1, 28 },
	{ "28.000", ZF, 1, 28 },
	{ "28.", ZF, 1, 28 },
	{ "-3.0", ZF, 1, -3 },
	{ "28.5", ZF, -1, UNSET },
	{ "28.01", ZF, -1, UNSET },
	{ "28.0x", ZF, -1, UNSET },
	{ "28..0", ZF, -1, UNSET },
	{ ".0", ZF, -1, UNSET },
	{ "-.0", ZF, -1, UNSET },
	{ "28.0 ", ZF, -1, UNSET },
	/* Both: the daily reports' counts. */
	{ "+28.0", PLUS | ZF, 1, 28 },
	{ "-28.0", PLUS | ZF, 1, -28 },
};

static void
test_whole(void)
{
	for (size_t i = 0; i < sizeof whole_cases / sizeof whole_cases[0]; i++) {
		const struct whole_case *c = &whole_cases[i];
		long long v = UNSET;
		int rc = jhu_whole(c->text, c->rules, &v);

		CHECK(rc == c->rc && v == c->value);
		if (rc != c->rc || v != c->value)
			printf("#   \"%s\" rules %u: %d, %lld; want %d, %lld\n",
			    c->text, c->rules, rc, v, c->rc, c->value);
	}
}

/* The daily reports trim a count first; the whole rule sees the rest. */
static void
test_whole_after_trim(void)
{
	char cell[] = " \t+202137.0\r ";
	long long v = UNSET;

	CHECK_INT(jhu_whole(cell, PLUS | ZF, &v), -1);
	CHECK_INT(jhu_whole(jhu_trim(cell), PLUS | ZF, &v), 1);
	CHECK_INT(v, 202137);
}

int
main(void)
{
	test_whole();
	test_whole_after_trim();
	return check_exit();
}
