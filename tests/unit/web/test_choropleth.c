/* test_choropleth: the quantile bins (every value in the bin whose range
 * holds it, colours never lighter for a higher value, on random data), the
 * geometry reader (the committed data/geo/world.tsv, and what it refuses),
 * and the map's SVG (links, titles escaped, the no-data pattern). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "web/choropleth.h"

/* The relative luminance of "#rrggbb", computed here apart from the code
 * under test: a darker colour has less. */
static double
luminance(const char *hex)
{
	unsigned r, g, b;

	if (sscanf(hex, "#%2x%2x%2x", &r, &g, &b) != 3)
		return -1;
	return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

static double vals[2000], scratch[2000];

static void
test_random(void)
{
	int bad_cover = 0, bad_order = 0, bad_count = 0;

	srand(14);
	for (int round = 0; round < 200; round++) {
		size_t n = 1 + (size_t)rand() % 2000, nbins = 1 + (size_t)rand() % 6;
		struct choro_bins b;
		size_t total = 0;

		/* Counts span orders of magnitude, with ties (whole numbers). */
		for (size_t i = 0; i < n; i++)
			vals[i] = round % 3 == 0 ? (double)(rand() % 5) :
			    floor(pow(10, (double)rand() / RAND_MAX * 7));
		choro_quantiles(vals, n, nbins, scratch, &b);
		if (b.n < 1 || b.n > nbins)
			bad_count++;
		for (size_t k = 0; k < b.n; k++)
			total += b.count[k];
		if (total != n)
			bad_count++;
		for (size_t i = 0; i < n; i++) {
			size_t k = choro_bin(&b, vals[i]);
			if (k >= b.n || vals[i] < b.lo[k] || vals[i] > b.hi[k])
				bad_cover++;
			for (size_t j = 0; j < 20; j++) {
				size_t o = (size_t)rand() % n;
				size_t ko = choro_bin(&b, vals[o]);
				if (vals[o] > vals[i] && (ko < k ||
				    luminance(choro_colour(&b, ko)) >
				    luminance(choro_colour(&b, k))))
					bad_order++;
			}
		}
		for (size_t k = 0; k + 1 < b.n; k++)
			if (!(b.hi[k] < b.lo[k + 1]) || b.count[k] == 0)
				bad_cover++;
	}
	CHECK_INT(bad_count, 0);
	CHECK_INT(bad_cover, 0);
	CHECK_INT(bad_order, 0);
}

static void
test_quantiles_split(void)
{
	double v[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
	struct choro_bins b;

	choro_quantiles(v, 12, 4, scratch, &b);
	CHECK_INT((long long)b.n, 4);
	CHECK_INT((long long)b.count[0], 3);
	CHECK_INT((long long)b.count[3], 3);
	CHECK(b.lo[1] == 4 && b.hi[1] == 6);
	/* One value: one bin. */
	choro_quantiles(v, 1, 6, scratch, &b);
	CHECK_INT((long long)b.n, 1);
	choro_quantiles(v, 0, 6, scratch, &b);
	CHECK_INT((long long)b.n, 0);
	/* The palette's ends for the full six. */
	choro_quantiles(v, 12, 6, scratch, &b);
	CHECK(luminance(choro_colour(&b, 0)) > luminance(choro_colour(&b, 5)));
}

static void
test_parse(void)
{
	char ok[] = "# a comment\n# viewBox 0 0 960 467\nFRA\tM1 2l3-4z\nXKS\tM5.5 6z\n";
	char nocode[] = "# viewBox 0 0 10 10\nfr\tM1 2z\n";
	char badpath[] = "# viewBox 0 0 10 10\nFRA\tM1 2\"/><script>\n";
	char notab[] = "# viewBox 0 0 10 10\nFRA M1 2z\n";
	char nobox[] = "FRA\tM1 2z\n";
	char twice[] = "# viewBox 0 0 10 10\nFRA\tM1 2z\nFRA\tM3 4z\n";
	struct geo_world g;
	char err[160];

	CHECK_INT(geo_parse(ok, &g, err, sizeof err), 0);
	CHECK_INT((long long)g.n, 2);
	CHECK_INT(g.width, 960);
	CHECK_INT(g.height, 467);
	CHECK_STR(g.shapes[1].code, "XKS");
	CHECK_STR(g.shapes[0].path, "M1 2l3-4z");
	free(g.shapes);
	free(g.by_code);
	CHECK_INT(geo_parse(nocode, &g, err, sizeof err), -1);
	CHECK(strstr(err, "line 2") != NULL);
	CHECK_INT(geo_parse(badpath, &g, err, sizeof err), -1);
	CHECK_INT(geo_parse(notab, &g, err, sizeof err), -1);
	CHECK_INT(geo_parse(nobox, &g, err, sizeof err), -1);
	CHECK_INT(geo_parse(twice, &g, err, sizeof err), -1);
	CHECK(strstr(err, "twice") != NULL);
}

/* The committed file: every line parses, codes are 3 upper-case letters
 * (geo_parse checks both), no code twice, the exceptions' JHU codes are
 * there and Natural Earth's are not, and it stays small. */
static void
test_committed(void)
{
	struct geo_world g;
	FILE *fp = fopen("data/geo/world.tsv", "rb");
	long size = -1;
	int dup = 0, xks = 0, kos = 0;

	if (fp != NULL) {
		fseek(fp, 0, SEEK_END);
		size = ftell(fp);
		fclose(fp);
	}
	CHECK(size > 0 && size < 150000);
	CHECK_INT(geo_load("data/geo/world.tsv", &g), 0);
	CHECK(g.n > 150);
	for (size_t i = 0; i < g.n; i++) {
		xks += strcmp(g.shapes[i].code, "XKS") == 0;
		kos += strcmp(g.shapes[i].code, "KOS") == 0 ||
		    strcmp(g.shapes[i].code, "PSX") == 0 ||
		    strcmp(g.shapes[i].code, "SDS") == 0 ||
		    strcmp(g.shapes[i].code, "SAH") == 0;
		for (size_t j = 0; j < i; j++)
			dup += strcmp(g.shapes[i].code, g.shapes[j].code) == 0;
	}
	CHECK_INT(dup, 0);
	CHECK_INT(xks, 1);
	CHECK_INT(kos, 0);
	geo_free(&g);
}

/* The US files: every state (50 and DC) and the counties, no Puerto Rico,
 * no merged New York City but its five boroughs; small enough to ship. */
static void
test_committed_us(void)
{
	struct geo_world st, co;
	const char *boroughs[] = { "36005", "36047", "36061", "36081", "36085" };
	size_t pr = 0, ny = 0;

	CHECK_INT(geo_load("data/geo/us_states.tsv", &st), 0);
	CHECK_INT((long long)st.n, 51);
	CHECK(geo_find(&st, "27") >= 0 && geo_find(&st, "11") >= 0 &&
	    geo_find(&st, "02") >= 0 && geo_find(&st, "15") >= 0);
	CHECK_INT(geo_find(&st, "72"), -1);
	CHECK_INT(geo_load("data/geo/us_counties.tsv", &co), 0);
	CHECK(co.n > 3100 && co.n < 3300);
	for (size_t i = 0; i < co.n; i++) {
		pr += strncmp(co.shapes[i].code, "72", 2) == 0;
		ny += strncmp(co.shapes[i].code, "36", 2) == 0;
		/* Every county inside the map (the insets included). */
		if (co.shapes[i].minx < 0 || co.shapes[i].maxx > co.width ||
		    co.shapes[i].miny < 0 || co.shapes[i].maxy > co.height)
			CHECK(!"a county outside the viewBox");
	}
	CHECK_INT((long long)pr, 0);
	CHECK_INT((long long)ny, 62);
	for (size_t i = 0; i < 5; i++)
		CHECK(geo_find(&co, boroughs[i]) >= 0);
	geo_free(&st);
	geo_free(&co);
}

/* A zoomed view: only the shapes with the prefix, in a viewBox around
 * them, the strokes scaled with it. */
static void
test_view(void)
{
	char text[] = "# viewBox 0 0 960 500\n01001\tM10 10l10 0 0 10z\n"
	    "01003\tM20 10l5 0 0 5z\n02001\tM50 40l2 0 0 2z\n";
	struct geo_world g;
	char err[80];
	struct choro_bins b = { 0 };
	struct choro_view v = { "01", 1, 0.4, NULL };
	struct membuf mb = { 0 };
	struct sink s = membuf_sink(&mb);

	CHECK_INT(geo_parse(text, &g, err, sizeof err), 0);
	CHECK(g.shapes[0].minx == 10 && g.shapes[0].maxx == 20 &&
	    g.shapes[0].miny == 10 && g.shapes[0].maxy == 20);
	CHECK_INT(geo_find(&g, "02001"), 2);
	CHECK_INT(geo_find(&g, "02002"), -1);
	choropleth_svg_view(&s, &g, &b, NULL, 0, "t", &v);
	sink_write(&s, "", 1);
	CHECK(strstr(mb.data, "viewBox=\"9 9 17 12\"") != NULL);
	CHECK(strstr(mb.data, "data-code=\"01003\"") != NULL);
	CHECK(strstr(mb.data, "data-code=\"02001\"") == NULL);
	CHECK(strstr(mb.data, "stroke-width=\"0.00708\"") != NULL);
	membuf_free(&mb);
	/* The same shapes in tenths (a viewBox ten times as wide): the margin
	 * and the strokes are as wide on screen, so ten times as many units. */
	{
		char tenths[] = "# viewBox 0 0 9600 5000\n01001\tM100 100l100 0 0 100z\n"
		    "01003\tM200 100l50 0 0 50z\n";
		struct geo_world g10;
		memset(&mb, 0, sizeof mb);
		s = membuf_sink(&mb);
		CHECK_INT(geo_parse(tenths, &g10, err, sizeof err), 0);
		choropleth_svg_view(&s, &g10, &b, NULL, 0, "t", &v);
		sink_write(&s, "", 1);
		CHECK(strstr(mb.data, "viewBox=\"90 90 170 120\"") != NULL);
		CHECK(strstr(mb.data, "stroke-width=\"0.0708\"") != NULL);
		free(g10.shapes);
		free(g10.by_code);
	}
	membuf_free(&mb);
	free(g.shapes);
	free(g.by_code);
}

static void
test_svg(void)
{
	char text[] = "# viewBox 0 0 100 50\nAAA\tM1 1l2 0 0 2z\nBBB\tM5 5l2 0 0 2z\n"
	    "CCC\tM9 9l2 0 0 2z\n";
	struct geo_world g;
	char err[80];
	double v[2] = { 1, 100 };
	struct choro_bins b;
	struct choro_area areas[] = {
		{ "AAA", "/region/a", "<b>A</b> & co: 1", 1, 1 },
		{ "BBB", "/region/b", "B: 100", 100, 1 },
		{ "CCC", "/region/c", "C: no data", 0, 0 },
	};
	struct membuf mb = { 0 };
	struct sink s = membuf_sink(&mb);

	CHECK_INT(geo_parse(text, &g, err, sizeof err), 0);
	choro_quantiles(v, 2, 6, scratch, &b);
	choropleth_svg(&s, &g, &b, areas, 3, "Map <1>");
	sink_write(&s, "", 1);
	CHECK(!s.failed);
	CHECK(strstr(mb.data, "viewBox=\"0 0 100 50\"") != NULL);
	CHECK(strstr(mb.data, "<title>&lt;b&gt;A&lt;/b&gt; &amp; co: 1</title>") != NULL);
	CHECK(strstr(mb.data, "<b>") == NULL);
	CHECK(strstr(mb.data, "Map &lt;1&gt;") != NULL);
	/* Each area in the group of its fill: said once, on the group. */
	CHECK(strstr(mb.data, "<g class=\"b0\" fill=\"#ffffb2\"><a href=\"/region/a\">"
	    "<path data-code=\"AAA\" d=\"M1 1l2 0 0 2z\"><title>") != NULL);
	CHECK(strstr(mb.data, "<g class=\"b1\" fill=\"#bd0026\"><a href=\"/region/b\">"
	    "<path data-code=\"BBB\" d=") != NULL);
	CHECK(strstr(mb.data, "<g class=\"nodata\" fill=\"url(#nodata)\"><a href=\"/region/c\">"
	    "<path data-code=\"CCC\" d=") != NULL);
	CHECK(strstr(mb.data, "<title>C: no data</title></path></a></g></g></svg>") != NULL);
	CHECK(strstr(mb.data, "plain") == NULL);
	membuf_free(&mb);
	free(g.shapes);
	free(g.by_code);
}

/* A locator: the place coloured, the rest one plain fill with no title
 * (a background, not "no data"). */
static void
test_plain(void)
{
	char text[] = "# viewBox 0 0 100 50\nAAA\tM1 1l2 0 0 2z\nBBB\tM5 5l2 0 0 2z\n";
	struct geo_world g;
	char err[80];
	double v[1] = { 1 };
	struct choro_bins b;
	struct choro_area areas[] = { { "BBB", NULL, "Where B is", 1, 1 } };
	struct choro_view view = { NULL, 0, 0, "#e3e3e3" };
	struct membuf mb = { 0 };
	struct sink s = membuf_sink(&mb);

	CHECK_INT(geo_parse(text, &g, err, sizeof err), 0);
	choro_quantiles(v, 1, 6, scratch, &b);
	choropleth_svg_view(&s, &g, &b, areas, 1, "t", &view);
	sink_write(&s, "", 1);
	CHECK(!s.failed);
	CHECK(strstr(mb.data, "<g class=\"b0\" fill=\"#fd8d3c\"><path data-code=\"BBB\" "
	    "d=\"M5 5l2 0 0 2z\"><title>Where B is</title></path></g>") != NULL);
	CHECK(strstr(mb.data, "<g class=\"plain\" fill=\"#e3e3e3\"><path data-code=\"AAA\" "
	    "d=\"M1 1l2 0 0 2z\"/></g>") != NULL);
	CHECK(strstr(mb.data, "nodata\">") == NULL);
	membuf_free(&mb);
	free(g.shapes);
	free(g.by_code);
}

int
main(void)
{
	test_random();
	test_quantiles_split();
	test_parse();
	test_committed();
	test_committed_us();
	test_view();
	test_svg();
	test_plain();
	return check_exit();
}
