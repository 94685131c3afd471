/* test_fan_chart: the forecast fan's SVG: its text escaped, unknown weeks
 * left out (never "nan"), the bands and the dashed median starting at the
 * last observation, every coordinate inside the viewBox. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "web/fan_chart.h"

static char *
draw(const struct fan_chart *c, struct membuf *b)
{
	struct sink s = membuf_sink(b);

	b->len = 0;
	fan_chart_svg(&s, c);
	CHECK(!s.failed);
	return b->data;
}

/* Every number after M, L, H or V and every x= / y= within 0..720, 0..260. */
static int
inside(const char *svg)
{
	for (const char *p = svg; *p; p++) {
		if ((*p == 'M' || *p == 'L' || *p == 'H' || *p == 'V') &&
		    p > svg && (p[-1] == '"' || p[-1] == 'Z' || (p[-1] >= '0' && p[-1] <= '9'))) {
			char *end;
			double v = strtod(p + 1, &end);

			if (end != p + 1 && (v < 0 || v > 720))
				return 0;
		}
	}
	return strstr(svg, "nan") == NULL && strstr(svg, "inf") == NULL;
}

int
main(void)
{
	const char *od[] = { "2023-02-04", "2023-02-11", "2023-02-18" };
	const char *fd[] = { "2023-02-25", "2023-03-04" };
	const double obs[] = { 100, NAN, 120 };
	const double lo95[] = { 50, 40 }, lo50[] = { 90, 80 }, med[] = { 110, 105 };
	const double hi50[] = { 130, 140 }, hi95[] = { 200, 260 };
	struct fan_chart c = {
		"New <deaths> & \"more\"", "A 'desc' <b>", "fan-1",
		od, obs, 3, fd, lo95, lo50, med, hi50, hi95, 2,
	};
	struct membuf b = { 0 };
	char *svg = draw(&c, &b);

	CHECK(strstr(svg, "<title id=\"fan-1-t\">New &lt;deaths&gt; &amp; "
	    "&quot;more&quot;</title>") != NULL);
	CHECK(strstr(svg, "<desc id=\"fan-1-d\">A &#39;desc&#39; &lt;b&gt;</desc>") != NULL ||
	    strstr(svg, "<desc id=\"fan-1-d\">A 'desc' &lt;b&gt;</desc>") != NULL);
	CHECK(strstr(svg, "aria-labelledby=\"fan-1-t\" aria-describedby=\"fan-1-d\"") != NULL);
	CHECK(strstr(svg, "<script") == NULL && strstr(svg, "style=") == NULL);
	CHECK(inside(svg));
	/* the axis top: 260 is the highest value, "nice" is 500 */
	CHECK(strstr(svg, ">500</text>") != NULL);
	/* the observed line breaks at the unknown week: two moves */
	{
		const char *p = strstr(svg, "class=\"observed\"");
		const char *d = p ? strstr(p, "d=\"") : NULL;
		int moves = 0;

		for (; d && *d && *d != '/'; d++)
			moves += *d == 'M';
		CHECK(moves == 2);
	}
	/* the median dashed, starting at the last observation (x of point 2
	 * of 5: 64 + 640 * 2 / 4 = 384) */
	CHECK(strstr(svg, "stroke-dasharray=\"6 4\" d=\"M384.0 ") != NULL);
	CHECK(strstr(svg, "class=\"band95\"") != NULL && strstr(svg, "class=\"band50\"") != NULL);
	CHECK(strstr(svg, "d=\"M384.0 ") != NULL);
	/* no observations at all: the fan still draws, from its first week */
	c.n_obs = 0;
	svg = draw(&c, &b);
	CHECK(inside(svg));
	CHECK(strstr(svg, "class=\"median\"") != NULL);
	membuf_free(&b);
	return check_exit();
}
