/* fan_chart: observations then a forecast fan, as SVG (fan_chart.h). */
#include <math.h>
#include <stdio.h>

#include "base/numfmt.h"
#include "web/escape.h"
#include "web/fan_chart.h"

#define W   720.0
#define H   260.0
#define PL  64.0    /* plot area: left, right, top, bottom */
#define PR  (W - 16)
#define PT  16.0
#define PB  (H - 34)

struct frame {
	size_t n;        /* points on the x axis */
	double hi;       /* top of the y axis */
};

static double
xpos(const struct frame *f, size_t i)
{
	return f->n < 2 ? (PL + PR) / 2 :
	    PL + (PR - PL) * (double)i / (double)(f->n - 1);
}

static double
ypos(const struct frame *f, double v)
{
	if (v < 0)
		v = 0;
	return PB - (PB - PT) * (f->hi > 0 ? v / f->hi : 0);
}

/* A "nice" top for the axis: 1, 2 or 5 times a power of ten. */
static double
nice_top(double v)
{
	double p, m;

	if (!(v > 0))
		return 1;
	p = pow(10, floor(log10(v)));
	m = v / p;
	return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/* A band between lo and hi over the forecast points, starting at the last
 * observation (index n_obs - 1, where the band has no width). */
static void
band(struct sink *out, const struct frame *f, const struct fan_chart *c,
    const double *lo, const double *hi, const char *fill, const char *cls)
{
	size_t i, start = c->n_obs;
	double y0 = c->n_obs > 0 && !isnan(c->obs[c->n_obs - 1]) ?
	    ypos(f, c->obs[c->n_obs - 1]) : NAN;

	sink_printf(out, "<path class=\"%s\" fill=\"%s\" stroke=\"none\" d=\"",
	    cls, fill);
	if (!isnan(y0))
		sink_printf(out, "M%.1f %.1f", xpos(f, start - 1), y0);
	for (i = 0; i < c->n_fc; i++)
		sink_printf(out, "%s%.1f %.1f", isnan(y0) && i == 0 ? "M" : "L",
		    xpos(f, start + i), ypos(f, hi[i]));
	for (i = c->n_fc; i-- > 0;)
		sink_printf(out, "L%.1f %.1f", xpos(f, start + i), ypos(f, lo[i]));
	sink_puts(out, "Z\"/>\n");
}

static void
label(struct sink *out, double x, double y, const char *anchor, const char *s)
{
	sink_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" "
	    "font-size=\"11\" fill=\"#444\">", x, y, anchor);
	esc_html(out, s);
	sink_puts(out, "</text>\n");
}

void
fan_chart_svg(struct sink *out, const struct fan_chart *c)
{
	struct frame f = { c->n_obs + c->n_fc, 0 };
	char num[32];
	size_t i;
	int pen = 0;

	for (i = 0; i < c->n_obs; i++)
		if (!isnan(c->obs[i]) && c->obs[i] > f.hi)
			f.hi = c->obs[i];
	for (i = 0; i < c->n_fc; i++)
		if (!isnan(c->hi95[i]) && c->hi95[i] > f.hi)
			f.hi = c->hi95[i];
	f.hi = nice_top(f.hi);

	sink_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "class=\"chart fan\" viewBox=\"0 0 %d %d\" role=\"img\" "
	    "aria-labelledby=\"%s-t\" aria-describedby=\"%s-d\">\n",
	    (int)W, (int)H, c->id, c->id);
	sink_printf(out, "<title id=\"%s-t\">", c->id);
	esc_html(out, c->title);
	sink_printf(out, "</title>\n<desc id=\"%s-d\">", c->id);
	esc_html(out, c->description);
	sink_puts(out, "</desc>\n");
	/* the axes: 0 and the top, the first, origin and last weeks */
	sink_printf(out, "<path class=\"axis\" stroke=\"#999\" fill=\"none\" "
	    "d=\"M%.1f %.1fH%.1fM%.1f %.1fH%.1f\"/>\n", PL, PB, PR, PL, PT, PR);
	fmt_thousands(num, sizeof num, (long long)f.hi);
	label(out, PL - 6, PT + 4, "end", num);
	label(out, PL - 6, PB + 4, "end", "0");
	if (c->n_obs > 0) {
		label(out, xpos(&f, 0), H - 12, "start", c->obs_dates[0]);
		sink_printf(out, "<path class=\"origin\" stroke=\"#999\" "
		    "stroke-dasharray=\"2 3\" d=\"M%.1f %.1fV%.1f\"/>\n",
		    xpos(&f, c->n_obs - 1), PT, PB);
	}
	if (c->n_fc > 0)
		label(out, xpos(&f, f.n - 1), H - 12, "end",
		    c->fc_dates[c->n_fc - 1]);
	if (c->n_fc > 0) {
		band(out, &f, c, c->lo95, c->hi95, "#c6dbef", "band95");
		band(out, &f, c, c->lo50, c->hi50, "#7fa8d1", "band50");
	}
	/* the observations, a line broken where a week is unknown */
	sink_puts(out, "<path class=\"observed\" fill=\"none\" stroke=\"#333\" "
	    "stroke-width=\"2\" d=\"");
	for (i = 0; i < c->n_obs; i++) {
		if (isnan(c->obs[i])) {
			pen = 0;
			continue;
		}
		sink_printf(out, "%s%.1f %.1f", pen ? "L" : "M", xpos(&f, i),
		    ypos(&f, c->obs[i]));
		pen = 1;
	}
	sink_puts(out, "\"/>\n");
	/* the median, dashed, from the last observation */
	sink_puts(out, "<path class=\"median\" fill=\"none\" stroke=\"#08519c\" "
	    "stroke-width=\"2\" stroke-dasharray=\"6 4\" d=\"");
	pen = 0;
	if (c->n_obs > 0 && !isnan(c->obs[c->n_obs - 1])) {
		sink_printf(out, "M%.1f %.1f", xpos(&f, c->n_obs - 1),
		    ypos(&f, c->obs[c->n_obs - 1]));
		pen = 1;
	}
	for (i = 0; i < c->n_fc; i++) {
		sink_printf(out, "%s%.1f %.1f", pen ? "L" : "M",
		    xpos(&f, c->n_obs + i), ypos(&f, c->median[i]));
		pen = 1;
	}
	sink_puts(out, "\"/>\n</svg>\n");
}
