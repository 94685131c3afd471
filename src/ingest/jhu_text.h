/* jhu_text: the text rules JHU's two CSV products share, for their parsers
 * (daily_parse, series_parse): trimming a field, whole numbers, FIPS
 * codes, and quoting a piece of a body in an error message so that a
 * reason is one line of UTF-8. */
#ifndef COVID_JHU_TEXT_H
#define COVID_JHU_TEXT_H

#include <stddef.h>

/* Blank as JHU's files mean it: space, tab, CR, LF, VT, FF. */
int jhu_is_space(char c);

/* s without its leading and trailing white space, cut in place. */
char *jhu_trim(char *s);

/* printf into err[errlen] (nothing when err is NULL or errlen 0). */
void jhu_seterr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* At most n-1 bytes (n >= 8) of s[0..len) or up to its NUL into out, cut
 * between characters and ending in "..." when cut; control characters and
 * bytes that are not UTF-8 become '?'. Returns out. */
const char *jhu_clip(const char *s, size_t len, char *out, size_t n);

/* The body's first line (without a BOM), clipped the same way. */
const char *jhu_first_line(const char *buf, size_t len, char *out, size_t n);

/* What a whole number may carry besides its digits and a leading '-'
 * (bits, for jhu_whole). */
enum jhu_whole_rule {
	JHU_WHOLE_PLAIN         = 0,
	/* A leading '+': the daily reports' counts have always taken it, so
	 * a file that loaded once loads again the same; the time series
	 * never did, and a '+' in one stays an error there (rules that
	 * change which files load are a change of their own, not of this
	 * function). */
	JHU_WHOLE_PLUS          = 1 << 0,
	/* An all-zero fraction after the digits ("28.0", "84001001.0",
	 * "5."): JHU wrote some counts and IDs as floats. */
	JHU_WHOLE_ZERO_FRACTION = 1 << 1
};

/* A whole number, one of JHU's counts, IDs or populations: an optional
 * '-' (or '+' with JHU_WHOLE_PLUS), then digits, then what rules allows.
 * 1 with *out set, 0 for "" (*out untouched), -1 for anything else,
 * LLONG_MIN..LLONG_MAX overflow included. No space is trimmed: the
 * caller decides (jhu_trim). */
int jhu_whole(const char *s, unsigned rules, long long *out);

/* A FIPS code as text: ".0" dropped (later files wrote 1.0), US counties
 * zero-padded to 5 digits and US states to 2 (the files drop leading
 * zeros: 1001); us 0 leaves the digits as they are. At most 10 digits.
 * 0, or -1 when it is not a FIPS code. */
int jhu_fips(const char *s, int us, int county, char out[16]);

#endif
