/* fuzz_escape: the escapers every value from data or a request goes through
 * (src/web/escape.c), and url_decode, which decodes every query string.
 *
 * Invariants:
 *   - HTML: no raw < > " ' in the output, every & starts one of the five
 *     entities it writes, and undoing them gives the input back;
 *   - URL: only unreserved characters and %XX, and url_decode gives the
 *     input back;
 *   - header filename: only [A-Za-z0-9._-], one byte per input byte;
 *   - url_decode: -1, or at most as many bytes as it read, NUL-free. */
#include "fuzz.h"

#include "base/sink.h"
#include "web/escape.h"

static const char *const entities[][2] = {
	{ "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" },
	{ "&quot;", "\"" }, { "&#39;", "'" },
};

static void
check_html(const char *s, size_t len)
{
	struct membuf mb = { 0 };
	struct sink out = membuf_sink(&mb);
	char *back;
	size_t n = 0;

	esc_html_n(&out, s, len);
	FUZZ_CHECK(!out.failed);
	if (mb.data == NULL) {
		FUZZ_CHECK(len == 0);
		return;
	}
	back = malloc(mb.len + 1);
	FUZZ_CHECK(back != NULL);
	for (size_t i = 0; i < mb.len; ) {
		char c = mb.data[i];
		FUZZ_CHECK(c != '<' && c != '>' && c != '"' && c != '\'');
		if (c != '&') {
			back[n++] = c;
			i++;
			continue;
		}
		size_t e;
		for (e = 0; e < 5; e++) {
			size_t el = strlen(entities[e][0]);
			if (mb.len - i >= el && memcmp(mb.data + i, entities[e][0], el) == 0) {
				back[n++] = entities[e][1][0];
				i += el;
				break;
			}
		}
		FUZZ_CHECK(e < 5);
	}
	FUZZ_CHECK(n == len && memcmp(back, s, len) == 0);
	free(back);
	membuf_free(&mb);
}

static void
check_url(const char *s)
{
	struct membuf mb = { 0 };
	struct sink out = membuf_sink(&mb);
	char *back;

	esc_url(&out, s);
	FUZZ_CHECK(!out.failed);
	if (mb.data == NULL) {
		FUZZ_CHECK(s[0] == '\0');
		return;
	}
	FUZZ_CHECK(fuzz_only(mb.data, mb.len,
	    FUZZ_UPPER FUZZ_LOWER FUZZ_DIGITS "-._~%"));
	back = malloc(mb.len + 1);
	FUZZ_CHECK(back != NULL);
	FUZZ_CHECK(url_decode(back, mb.data, mb.len) == (long)strlen(s));
	FUZZ_CHECK(strcmp(back, s) == 0);
	free(back);
	membuf_free(&mb);
}

static void
check_filename(const char *s)
{
	struct membuf mb = { 0 };
	struct sink out = membuf_sink(&mb);

	esc_header_filename(&out, s);
	FUZZ_CHECK(mb.len == strlen(s));
	FUZZ_CHECK(fuzz_only(mb.data, mb.len, FUZZ_UPPER FUZZ_LOWER FUZZ_DIGITS "-._"));
	membuf_free(&mb);
}

static void
check_decode(const char *src, size_t len)
{
	char *dst = malloc(len + 1);
	long n;

	FUZZ_CHECK(dst != NULL);
	n = url_decode(dst, src, len);
	FUZZ_CHECK(n >= -1 && n <= (long)len);
	if (n >= 0) {
		FUZZ_CHECK(dst[n] == '\0' && strlen(dst) == (size_t)n);
		check_url(dst);   /* and back: esc_url then url_decode */
	}
	free(dst);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_strndup(data, size);

	check_html(s, size);   /* with any NUL bytes inside */
	check_url(s);
	check_filename(s);
	check_decode(s, size);
	free(s);
	return 0;
}
