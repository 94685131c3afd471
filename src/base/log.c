/* log: syslog-prefixed lines on stderr (see log.h). */
#include <stdarg.h>
#include <stdio.h>

#include "base/log.h"

void
log_msg(int priority, const char *fmt, ...)
{
	char line[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	/* One fprintf per line so concurrent writers do not interleave mid-line. */
	fprintf(stderr, "<%d>%s\n", priority, line);
}
