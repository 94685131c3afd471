/* test_api_json: the JSON writer (src/web/json_writer.h): escaping of every
 * string (quotes, backslashes, control characters), invalid UTF-8 replaced
 * with U+FFFD and never passed through, unknown counts and NaN as null,
 * doubles that read back exactly, and a body that yajl's own parser
 * accepts. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_tree.h>

#include "web/json_writer.h"
#include "check.h"

static struct membuf buf;

/* Writes one value with fn into a fresh buffer; returns the text. */
static const char *
one(void (*fn)(struct jw *, const void *), const void *arg)
{
	struct sink s;
	struct jw w;

	membuf_free(&buf);
	memset(&buf, 0, sizeof buf);
	s = membuf_sink(&buf);
	if (jw_open(&w, &s, 0) != 0)
		return NULL;
	jw_arr(&w);
	fn(&w, arg);
	jw_end_arr(&w);
	CHECK(!jw_failed(&w));
	jw_close(&w);
	return buf.data;
}

static void put_str(struct jw *w, const void *a) { jw_str(w, a); }
static void put_int(struct jw *w, const void *a) { jw_int(w, *(const long long *)a); }
static void put_num(struct jw *w, const void *a) { jw_num(w, *(const double *)a); }
static void put_text(struct jw *w, const void *a) { jw_num_text(w, a); }

/* Whether text parses as JSON (yajl's parser, strict UTF-8) into an array
 * whose first element is the string want. */
static int
parses_to(const char *text, const char *want)
{
	char err[128];
	yajl_val v = yajl_tree_parse(text, err, sizeof err);
	const char *got = v != NULL && YAJL_IS_ARRAY(v) && v->u.array.len == 1 ?
	    YAJL_GET_STRING(v->u.array.values[0]) : NULL;
	int ok = got != NULL && strcmp(got, want) == 0;
	yajl_tree_free(v);
	return ok;
}

int
main(void)
{
	long long big = 9007199254740993LL, none = JW_NONE, neg = -42;
	double nan = NAN, inf = INFINITY, tenth = 0.1, avg = 24715.571428571428;
	char clean[64];

	/* Escaping. */
	CHECK_STR(one(put_str, "say \"hi\" \\ /"), "[\"say \\\"hi\\\" \\\\ /\"]");
	CHECK_STR(one(put_str, "a\nb\tc\x01" "d\x1f"), "[\"a\\nb\\tc\\u0001d\\u001F\"]");
	CHECK(parses_to(one(put_str, "a\nb\tc\x01" "d\x1f"), "a\nb\tc\x01" "d\x1f"));
	CHECK_STR(one(put_str, "<script>alert(1)</script>"), "[\"<script>alert(1)</script>\"]");
	CHECK_STR(one(put_str, "K\xc3\xb6ln \xe2\x80\x9cx\xe2\x80\x9d"),
	    "[\"K\xc3\xb6ln \xe2\x80\x9cx\xe2\x80\x9d\"]");
	CHECK_STR(one(put_str, NULL), "[null]");
	CHECK_STR(one(put_str, ""), "[\"\"]");

	/* Invalid UTF-8: each bad byte becomes U+FFFD; the rest is kept. */
	CHECK_STR(one(put_str, "A\xff" "B"), "[\"A\xef\xbf\xbd" "B\"]");
	CHECK_STR(one(put_str, "\xc0\xaf"), "[\"\xef\xbf\xbd\xef\xbf\xbd\"]");      /* overlong '/' */
	CHECK_STR(one(put_str, "\xed\xa0\x80"), "[\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"]"); /* surrogate */
	CHECK_STR(one(put_str, "end\xe2\x82"), "[\"end\xef\xbf\xbd\xef\xbf\xbd\"]"); /* cut short */
	CHECK(parses_to(one(put_str, "A\xff\n\x80"), "A\xef\xbf\xbd\n\xef\xbf\xbd"));
	CHECK_INT(jw_utf8_clean(clean, "ok\xfe", 3), 5);
	CHECK_STR(clean, "ok\xef\xbf\xbd");
	{
		/* Longer than the writer's stack buffer: the heap path. */
		char *s = malloc(1001), *want = malloc(3003 + 5);
		memset(s, 0xff, 1000);
		s[1000] = '\0';
		strcpy(want, "[\"");
		for (int i = 0; i < 1000; i++)
			strcat(want, "\xef\xbf\xbd");
		strcat(want, "\"]");
		CHECK_STR(one(put_str, s), want);
		free(s);
		free(want);
	}

	/* Numbers: integers as integers, unknown as null, never 0. */
	CHECK_STR(one(put_int, &big), "[9007199254740993]");
	CHECK_STR(one(put_int, &neg), "[-42]");
	CHECK_STR(one(put_int, &none), "[null]");
	CHECK_STR(one(put_num, &nan), "[null]");
	CHECK_STR(one(put_num, &inf), "[null]");
	CHECK_STR(one(put_num, &tenth), "[0.1]");
	CHECK_STR(one(put_num, &avg), "[24715.571428571428]");
	CHECK(strtod(one(put_num, &avg) + 1, NULL) == avg);
	CHECK_STR(one(put_text, "42"), "[42]");
	CHECK_STR(one(put_text, "-0.5e3"), "[-0.5e3]");
	CHECK_STR(one(put_text, "1e"), "[null]");
	CHECK_STR(one(put_text, "01"), "[null]");
	CHECK_STR(one(put_text, "NaN"), "[null]");
	CHECK_STR(one(put_text, NULL), "[null]");

	/* Members, and a misuse the writer notices: a value where a key goes. */
	{
		struct sink s;
		struct jw w;
		membuf_free(&buf);
		memset(&buf, 0, sizeof buf);
		s = membuf_sink(&buf);
		CHECK(jw_open(&w, &s, 0) == 0);
		jw_obj(&w);
		jw_kstr(&w, "name", "x");
		jw_kint(&w, "n", JW_NONE);
		jw_knum(&w, "avg", 1.5);
		jw_end_obj(&w);
		CHECK(!jw_failed(&w));
		CHECK_STR(buf.data, "{\"name\":\"x\",\"n\":null,\"avg\":1.5}");
		jw_close(&w);
		CHECK(jw_open(&w, &s, 0) == 0);
		jw_obj(&w);
		jw_int(&w, 1);
		CHECK(jw_failed(&w));
		jw_close(&w);
	}
	membuf_free(&buf);
	return check_exit();
}
