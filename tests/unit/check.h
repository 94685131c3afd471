/* check: the unit tests' only dependency. Each CHECK prints a TAP-style line
 * ("ok N - ..." or "not ok N - ..."); tests/run.sh counts them.
 * A test file is a main() that calls CHECKs and returns check_exit(). */
#ifndef COVID_CHECK_H
#define COVID_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_count, check_failures;

static void
check_report(int pass, const char *file, int line, const char *what)
{
	check_count++;
	if (!pass)
		check_failures++;
	printf("%s %d - %s:%d: %s\n", pass ? "ok" : "not ok", check_count,
	    file, line, what);
	fflush(stdout);
}

#define CHECK(cond) check_report((cond) ? 1 : 0, __FILE__, __LINE__, #cond)

/* String equality that shows both sides when it fails. NULL-safe. */
#define CHECK_STR(got, want) do { \
	const char *g_ = (got), *w_ = (want); \
	int p_ = (g_ == NULL && w_ == NULL) || \
	    (g_ != NULL && w_ != NULL && strcmp(g_, w_) == 0); \
	check_report(p_, __FILE__, __LINE__, #got " == " #want); \
	if (!p_) \
		printf("#   got:  %s\n#   want: %s\n", g_ ? g_ : "(null)", \
		    w_ ? w_ : "(null)"); \
} while (0)

#define CHECK_INT(got, want) do { \
	long long g_ = (long long)(got), w_ = (long long)(want); \
	check_report(g_ == w_, __FILE__, __LINE__, #got " == " #want); \
	if (g_ != w_) \
		printf("#   got:  %lld\n#   want: %lld\n", g_, w_); \
} while (0)

static int
check_exit(void)
{
	return check_failures ? 1 : 0;
}

#endif
