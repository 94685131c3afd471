/* fuzz_export_request: an /export.csv or /export.xlsx query string, through
 * http_parse with the export's own keys and export_request_parse
 * (src/export/export_request.c): everything checked before the database is
 * asked. The input is the QUERY_STRING.
 *
 * Invariants: a request is refused with a one-line reason, or it is read
 * into values its types can hold: a level and a shape that exist, bom 0 or
 * 1 (0 for XLSX), dates that are real days or empty, and places that are
 * non-empty text within the key's length; nothing resolved yet. A reason
 * that quotes a name the client sent stays valid UTF-8 when the name was. */
#include "fuzz.h"

#include "base/date.h"
#include "export/export_request.h"
#include "web/http.h"

static const char *query;

static const char *
param(const char *name, void *ctx)
{
	(void)ctx;
	return strcmp(name, "QUERY_STRING") == 0 ? query : NULL;
}

static int
one_line(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

/* Valid UTF-8 (structure only: lead and continuation bytes). */
static int
utf8_ok(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s) {
		size_t n = *s < 0x80 ? 0 : (*s & 0xe0) == 0xc0 ? 1 :
		    (*s & 0xf0) == 0xe0 ? 2 : (*s & 0xf8) == 0xf0 ? 3 : 4;
		if (n == 4)
			return 0;
		s++;
		for (size_t i = 0; i < n; i++, s++)
			if ((*s & 0xc0) != 0x80)
				return 0;
	}
	return 1;
}

static void
check_places(char **list, size_t n, size_t given)
{
	FUZZ_CHECK(n <= given);
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(list[i][0] != '\0' && strlen(list[i]) <= 200 &&
		    one_line(list[i]));
}

static void
check_one(enum export_format format)
{
	static struct http_req hr;
	struct export_request r;
	const struct http_key *keys;
	char err[512] = "";
	size_t nkeys, names_utf8 = 1;

	keys = export_request_keys(&nkeys);
	http_req_reset(&hr);
	http_parse(&hr, keys, nkeys, param, NULL);
	for (size_t i = 0; i < hr.npairs; i++)
		names_utf8 &= (size_t)utf8_ok(hr.pairs[i].name);

	if (export_request_parse(&r, format, &hr, err, sizeof err) != 0) {
		FUZZ_CHECK(err[0] != '\0' && one_line(err));
		if (names_utf8)
			FUZZ_CHECK(utf8_ok(err));
		export_request_free(&r);
		return;
	}
	FUZZ_CHECK(r.format == format);
	FUZZ_CHECK(r.level < GEO__MAX && r.shape < SHAPE__MAX);
	FUZZ_CHECK(r.bom == 0 || (r.bom == 1 && format == EXPORT_CSV));
	FUZZ_CHECK(r.from[0] == '\0' || date_days(r.from) >= 0);
	FUZZ_CHECK(r.to[0] == '\0' || date_days(r.to) >= 0);
	check_places(r.want_country, r.nwant_country, hr.npairs);
	check_places(r.want_province, r.nwant_province, hr.npairs);
	FUZZ_CHECK(r.nwant_country + r.nwant_province <= hr.npairs);
	FUZZ_CHECK(r.canonical == NULL && r.filename == NULL &&
	    r.countries == NULL && r.provinces == NULL);
	for (size_t i = 0; i < hr.npairs; i++)
		FUZZ_CHECK(hr.pairs[i].key != HTTP_KEY_NONE);
	export_request_free(&r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *q = fuzz_strndup(data, size);

	query = q;
	check_one(EXPORT_CSV);
	check_one(EXPORT_XLSX);
	free(q);
	return 0;
}
