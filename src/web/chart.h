/* chart: time-series charts as inline SVG, drawn on the server (no chart
 * library, no script). One call writes one <svg> element, usable inside an
 * HTML5 page and as a standalone XML document.
 *
 * Accessibility: role="img", aria-labelledby the <title> and
 * aria-describedby the <desc> (left out, with the <desc>, when the
 * description is NULL or ""); their ids are derived from a hash of the
 * title, description and series labels, so output is deterministic and two
 * charts on one page get distinct ids as long as they differ in one of
 * those. Styling: classes "chart", "title", "grid", "axis" ("axis y",
 * "axis x", "axis zero"), "bar sN", "line sN", "legend" (N = series index)
 * for static/style.css, plus presentation attributes (never style="") so the
 * chart looks right with no CSS and passes a CSP style-src 'self'.
 *
 * Size: what a reader can see, not one mark per value. Bars narrower than
 * 2 px are drawn as their outline (about 11 bytes a day), and lines are
 * simplified to within a quarter of a pixel (web/polyline.h): the whole
 * JHU history (1,143 days) as bars plus a line is about 15 kB, a
 * cumulative curve well under 1 kB. Cost: O(n * nseries) time for the
 * usual data, no allocation (a line's points are gathered on the stack,
 * about 34 kB). */
#ifndef COVID_CHART_H
#define COVID_CHART_H

#include <stddef.h>

#include "base/sink.h"

struct chart_series {
	const char   *label;   /* legend text */
	const double *values;  /* n values; NAN = no data */
	enum chart_style { CHART_BARS, CHART_LINE } style;
};

struct chart {
	const char *title;                /* shown, and the SVG <title> */
	const char *description;          /* text alternative: <desc>, aria-describedby */
	const char *const *dates;         /* n dates "YYYY-MM-DD", ascending; gaps allowed */
	size_t n;
	const struct chart_series *series;
	size_t nseries;
	int log_scale;                    /* y axis log10; values <= 0 are not drawn */
	int width, height;                /* viewBox size; <= 0: 720 x 300 */
};

/* Writes c as an <svg> element to out. x is the calendar date (gaps in the
 * dates are gaps on the axis); bars are drawn first, lines on top. A point
 * is skipped when its date is not a valid "YYYY-MM-DD", or its value is NAN,
 * infinite, beyond +-1e15 (no count in this domain comes near) or, on a log
 * scale, <= 0. A NAN breaks a line into separate segments. With nothing to
 * draw the chart says "No data". Width and height are clamped to 160..4000
 * and 100..4000. When every value drawn is a whole number (counts), y
 * ticks are too. Errors are the sink's: check out->failed. */
void chart_svg(struct sink *out, const struct chart *c);

/* Parts of a whole, for /live (issue 16): a donut of cases by area and a
 * column chart of cases by age range. Same accessibility, ids and styling
 * rules as chart_svg; classes "slice" and "bar s0". */
struct chart_part {
	const char *label;   /* escaped here */
	double      value;   /* <= 0, NAN or beyond 1e15: not drawn */
	int         other;   /* the rest beyond the parts shown: drawn grey */
};

struct chart_parts {
	const char              *title;
	const char              *description;   /* <desc>, or NULL/"" */
	const struct chart_part *parts;
	size_t                   n;
	int                      width, height;  /* <= 0: 480 x 300 */
};

/* A donut: each part a slice in proportion to its value, clockwise from 12
 * o'clock in the given order, coloured from an 8-colour palette ("other"
 * grey), each slice titled with its label; a legend beside it gives label,
 * count and percentage. Nothing to draw: "No data". */
void chart_donut_svg(struct sink *out, const struct chart_parts *c);

/* Columns in the given order (categories such as age ranges, not dates),
 * a y axis from 0 with whole-number ticks, each label below its column.
 * Nothing to draw: "No data". */
void chart_columns_svg(struct sink *out, const struct chart_parts *c);

#endif
