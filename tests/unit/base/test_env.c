/* test_env: env_long takes a decimal whole number in range, the default when
 * the variable is unset or empty, and refuses everything else with the
 * default left in place. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/env.h"
#include "check.h"

#define VAR "COVID_TEST_ENV_LONG"

/* env_long's answer for VAR set to value (NULL: unset), into *out. */
static int
read_as(const char *value, long *out)
{
	if (value == NULL)
		unsetenv(VAR);
	else
		setenv(VAR, value, 1);
	return env_long(VAR, 7, 1, 600, out);
}

int
main(void)
{
	static const char *const bad[] = {
		"0", "601", "-5", "+5", " 5", "5 ", "5s", "abc", "0x10", "1e3",
		"99999999999999999999999", "5.0",
	};
	long v;

	CHECK_INT(read_as(NULL, &v), 0);
	CHECK_INT(v, 7);
	CHECK_INT(read_as("", &v), 0);
	CHECK_INT(v, 7);
	CHECK_INT(read_as("1", &v), 0);
	CHECK_INT(v, 1);
	CHECK_INT(read_as("600", &v), 0);
	CHECK_INT(v, 600);
	CHECK_INT(read_as("030", &v), 0);     /* decimal, not octal */
	CHECK_INT(v, 30);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		v = -1;
		CHECK_INT(read_as(bad[i], &v), -1);
		CHECK_INT(v, 7);
	}
	/* The whole range of a long, at its ends. */
	char max[32];

	snprintf(max, sizeof max, "%ld", LONG_MAX);
	setenv(VAR, max, 1);
	CHECK_INT(env_long(VAR, 1, 1, LONG_MAX, &v), 0);
	CHECK(v == LONG_MAX);
	unsetenv(VAR);
	return check_exit();
}
