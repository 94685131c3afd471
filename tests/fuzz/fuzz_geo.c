/* fuzz_geo: the map geometry reader (src/web/choropleth.c geo_parse) and
 * the SVG drawn from what it accepts. The file is the project's own
 * (data/geo/world.tsv and the US files), but COVID_GEO may name any file, so any bytes.
 *
 * Invariants: a file is accepted or refused with a reason, never more;
 * an accepted one has a viewBox, codes of 2 to 5 upper-case letters or
 * digits, none twice, geo_find finds each shape at its index, path data of
 * "MmLlZz", digits, '.', '-' and spaces only, and each shape's bounds in
 * order; its SVG (whole, and zoomed to a prefix) is drawn without failing. */
#include "fuzz.h"

#include "web/choropleth.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_strndup(data, size), err[160];
	struct geo_world g;

	err[0] = '\0';
	if (geo_parse(text, &g, err, sizeof err) != 0) {
		FUZZ_CHECK(err[0] != '\0');
		free(text);
		return 0;
	}
	FUZZ_CHECK(g.width > 0 && g.height > 0);
	for (size_t i = 0; i < g.n; i++) {
		const struct geo_shape *s = &g.shapes[i];
		size_t len = strlen(s->code);
		FUZZ_CHECK(len >= 2 && len <= GEO_CODE_MAX);
		FUZZ_CHECK(fuzz_only(s->code, len, FUZZ_UPPER FUZZ_DIGITS));
		FUZZ_CHECK(fuzz_only(s->path, strlen(s->path), "MmLlZz0123456789.- "));
		FUZZ_CHECK(geo_find(&g, s->code) == (long)i);
		FUZZ_CHECK(!(s->minx > s->maxx) && !(s->miny > s->maxy));
	}
	{
		struct choro_bins b = { 0 };
		struct membuf mb = { 0 };
		struct sink out = membuf_sink(&mb);
		struct choro_view v = { g.n > 0 ? g.shapes[0].code : "ZZ", 1, 0, NULL };
		choropleth_svg(&out, &g, &b, NULL, 0, "t");
		choropleth_svg_view(&out, &g, &b, NULL, 0, "t", &v);
		FUZZ_CHECK(!out.failed);
		membuf_free(&mb);
	}
	free(g.by_code);
	free(g.shapes);
	free(text);
	return 0;
}
