/* test_chart_parts: the donut and the column chart (web/chart.h) that /live
 * draws: slices in proportion, a whole ring, "other" in grey, labels
 * escaped, columns in order, "No data" when there is nothing to draw. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "web/chart.h"

static struct membuf buf;

static const char *
draw(void (*fn)(struct sink *, const struct chart_parts *),
    const struct chart_part *p, size_t n)
{
	struct sink s;
	struct chart_parts c = { "Cases <by> area", "desc", p, n, 0, 0 };

	membuf_free(&buf);
	memset(&buf, 0, sizeof buf);
	s = membuf_sink(&buf);
	fn(&s, &c);
	CHECK(!s.failed);
	return buf.data ? buf.data : "";
}

static size_t
count(const char *s, const char *what)
{
	size_t n = 0;

	while ((s = strstr(s, what)) != NULL) {
		n++;
		s += strlen(what);
	}
	return n;
}

int
main(void)
{
	struct chart_part two[] = { { "Lima", 3, 0 }, { "a&b", 1, 1 } };
	struct chart_part one[] = { { "Lima", 5, 0 } };
	struct chart_part none[] = { { "Lima", 0, 0 }, { "Cusco", NAN, 0 } };
	struct chart_part ages[] = { { "0-9", 2, 0 }, { "10-19", 0, 0 }, { "80+", 7, 0 } };
	const char *svg;

	svg = draw(chart_donut_svg, two, 2);
	CHECK(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0);
	CHECK_INT(count(svg, "class=\"slice\""), 2);
	CHECK(strstr(svg, "Cases &lt;by&gt; area") != NULL);
	CHECK(strstr(svg, "<by>") == NULL);
	CHECK(strstr(svg, "a&amp;b: 1 (25.0%)") != NULL);
	CHECK(strstr(svg, "Lima: 3 (75.0%)") != NULL);
	/* "other" is grey; the rest take the palette. */
	CHECK(strstr(svg, "fill=\"#bab0ac\"") != NULL);
	CHECK(strstr(svg, "fill=\"#4e79a7\"") != NULL);
	/* Three quarters: the large-arc flag is set for the first slice. */
	CHECK(strstr(svg, " 0 1 1 ") != NULL);
	CHECK(strstr(svg, "nan") == NULL && strstr(svg, "inf") == NULL);
	CHECK(strcmp(svg + strlen(svg) - 6, "</svg>") == 0);

	/* One part: a whole ring, drawn as two halves. */
	svg = draw(chart_donut_svg, one, 1);
	CHECK_INT(count(svg, "class=\"slice\""), 1);
	CHECK_INT(count(svg, "Z"), 2);
	CHECK(strstr(svg, "Lima: 5 (100.0%)") != NULL);

	svg = draw(chart_donut_svg, none, 2);
	CHECK(strstr(svg, ">No data</text></svg>") != NULL);
	CHECK_INT(count(svg, "class=\"slice\""), 0);

	svg = draw(chart_columns_svg, ages, 3);
	CHECK(strstr(svg, ">0-9</text>") < strstr(svg, ">10-19</text>"));
	CHECK(strstr(svg, ">10-19</text>") < strstr(svg, ">80+</text>"));
	/* Three columns in one path: three subpaths. */
	CHECK_INT(count(svg, "zM"), 2);
	CHECK_INT(count(svg, "class=\"bar s0\""), 1);
	CHECK(strstr(svg, ">7</text>") != NULL || strstr(svg, ">8</text>") != NULL);

	svg = draw(chart_columns_svg, none, 2);
	CHECK(strstr(svg, ">No data</text></svg>") != NULL);
	membuf_free(&buf);
	return check_exit();
}
