/* json_writer: the JSON writer of the API and the case intake, a thin
 * layer over yajl's streaming generator (yajl_gen) that writes straight
 * into a sink: nothing is built in memory but the token in hand, so a
 * response of any length takes the same memory. What it adds to yajl: strings are made valid UTF-8 first
 * (a byte that does not start a valid sequence becomes U+FFFD, never passed
 * through: yajl would stop instead), a count the data does not have and a
 * NaN are null (never 0), and doubles come out in their shortest form that
 * reads back exactly (yajl's own "%.20g" prints 0.1 as 0.10000000000000000555).
 *
 * A writer remembers its first failure (yajl refusing a call, the sink
 * failing); callers write freely and check jw_failed once at the end. */
#ifndef COVID_WEB_JSON_WRITER_H
#define COVID_WEB_JSON_WRITER_H

#include <limits.h>
#include <stddef.h>

#include "base/sink.h"

#define JW_NONE LLONG_MIN   /* a count that is unknown: written as null */

struct jw {
	void        *gen;     /* yajl_gen */
	struct sink *out;
	int          failed;
};

/* Starts a writer into out; pretty: indented (for people). 0, or -1 when
 * out of memory. */
int jw_open(struct jw *w, struct sink *out, int pretty);
void jw_close(struct jw *w);
int jw_failed(const struct jw *w);

void jw_obj(struct jw *w);
void jw_end_obj(struct jw *w);
void jw_arr(struct jw *w);
void jw_end_arr(struct jw *w);
void jw_null(struct jw *w);
void jw_bool(struct jw *w, int v);
/* s (NULL: null), made valid UTF-8 as said above. */
void jw_str(struct jw *w, const char *s);
void jw_strn(struct jw *w, const char *s, size_t len);
/* v, or null for JW_NONE. */
void jw_int(struct jw *w, long long v);
/* v, or null when it is not finite. */
void jw_num(struct jw *w, double v);
/* A number given as its JSON text (from a table: "42", "0.5"); null when
 * text is not a JSON number. */
void jw_num_text(struct jw *w, const char *text);

/* A member: its key, then one of the above. */
void jw_key(struct jw *w, const char *key);
void jw_kstr(struct jw *w, const char *key, const char *s);
void jw_kint(struct jw *w, const char *key, long long v);
void jw_knum(struct jw *w, const char *key, double v);

/* s[0..len) with every byte that is not part of a valid UTF-8 sequence
 * replaced by U+FFFD, NUL-terminated in dst (at least 3 * len + 1 bytes).
 * Returns the length written. */
size_t jw_utf8_clean(char *dst, const char *s, size_t len);
/* The shortest "%.Ng" of v that reads back as v, in buf (>= 32 bytes). */
void jw_format_double(double v, char *buf, size_t len);

#endif
