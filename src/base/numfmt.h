/* numfmt: numbers for people. Thousands separators for counts, fixed
 * decimals for rates; the same figures on pages, in charts and in exports.
 * Both functions always NUL-terminate buf (when len > 0). A number that
 * does not fit in len bytes becomes "": a truncated figure ("1,23") would be
 * a wrong figure, an empty one is visibly missing. */
#ifndef COVID_NUMFMT_H
#define COVID_NUMFMT_H

#include <stddef.h>

/* The one integer-to-decimal conversion; everything below, the sinks, the
 * dates, the HTTP headers, the CSV cells and the chart coordinates use it.
 * FMT_INT_MAX holds any long long in decimal and its NUL
 * ("-9223372036854775808"). */
#define FMT_INT_MAX 21

/* v in decimal ("-42", "0") at buf, NUL-terminated; returns the length
 * (without the NUL). buf needs room for that length plus one: FMT_INT_MAX
 * is always enough. The digits are written in place, back to front, with
 * no copy: this is on every response and every chart point. */
size_t fmt_int(char *buf, long long v);
size_t fmt_uint(char *buf, unsigned long long v);

/* v as exactly width decimal digits, zero-padded ("07", "2023"), at buf,
 * with no NUL: for fields inside a longer string such as a date. Digits
 * above width are dropped, so v must fit (a calendar field does). Returns
 * width. */
size_t fmt_uint_padded(char *buf, unsigned long long v, size_t width);

/* "1,234,567", "-8,880", "0". Every long long fits in 27 bytes. */
void fmt_thousands(char *buf, size_t len, long long v);

/* v rounded to decimals places (0..20; printf's rounding) with thousands
 * separators: "1,234.57". NAN and +-INF give "" (never "nan"/"inf"); a
 * value that rounds to zero has no sign ("0.00", not "-0.00"). */
void fmt_decimal(char *buf, size_t len, double v, int decimals);

#endif
