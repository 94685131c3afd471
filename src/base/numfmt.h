/* numfmt: numbers for people. Thousands separators for counts, fixed
 * decimals for rates; the same figures on pages, in charts and in exports.
 * Both functions always NUL-terminate buf (when len > 0). A number that
 * does not fit in len bytes becomes "": a truncated figure ("1,23") would be
 * a wrong figure, an empty one is visibly missing. */
#ifndef COVID_NUMFMT_H
#define COVID_NUMFMT_H

#include <stddef.h>

/* "1,234,567", "-8,880", "0". Every long long fits in 27 bytes. */
void fmt_thousands(char *buf, size_t len, long long v);

/* v rounded to decimals places (0..20; printf's rounding) with thousands
 * separators: "1,234.57". NAN and +-INF give "" (never "nan"/"inf"); a
 * value that rounds to zero has no sign ("0.00", not "-0.00"). */
void fmt_decimal(char *buf, size_t len, double v, int decimals);

#endif
