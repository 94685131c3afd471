/* env: the one parser of numeric settings (strtol, whole string, range). */
#include <errno.h>
#include <stdlib.h>

#include "base/env.h"
#include "base/log.h"

int
env_long(const char *name, long def, long min, long max, long *out)
{
	const char *s = getenv(name);
	char *end;
	long v;

	*out = def;
	if (s == NULL || *s == '\0')
		return 0;
	errno = 0;
	v = strtol(s, &end, 10);
	/* strtol takes leading blanks and a sign: a setting is digits only. */
	if (*s < '0' || *s > '9' || errno != 0 || *end != '\0' || v < min ||
	    v > max) {
		log_err("%s: '%s' is not a whole number from %ld to %ld", name, s,
		    min, max);
		return -1;
	}
	*out = v;
	return 0;
}
