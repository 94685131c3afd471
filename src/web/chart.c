/* chart: server-side SVG time-series charts (see chart.h).
 *
 * One pass over the data finds the date and value ranges; the axes are laid
 * out from those; then each series is one <path> (bars as rectangles
 * "M x y h w V y0 h -w z", lines as "M x y L x y x y ..."). Numbers are
 * formatted by hand into a local buffer that is flushed to the sink in
 * large writes: a chart is thousands of coordinates and printf per
 * coordinate was the whole cost. */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/hash.h"
#include "base/numfmt.h"
#include "web/chart.h"
#include "web/escape.h"
#include "web/polyline.h"

#define DEF_W      720
#define DEF_H      300
#define CHAR_W     6.8   /* advance of an 11px sans-serif digit, rounded up
                          * (DejaVu Sans: 7.0, Arial: 6.1) */
#define ISO_W      (10 * CHAR_W)
#define VALUE_MAX  1e15  /* larger magnitudes are treated as no data */
#define LOG_MIN    (-3)  /* a log axis starts at 0.001 at the lowest */
#define MAX_YTICKS 16
#define MAX_XTICKS 200

/* Series colours: lines in full, bars lighter (the same hue at 55% on
 * white: opaque, so touching bars show no seams). */
static const char *const palette[] = {
	"#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#76b7b2", "#b07aa1",
};
static const char *const palette_light[] = {
	"#9eb5cf", "#f8c18a", "#eea3a4", "#a4cb9e", "#b4d7d5", "#d4b6cb",
};
#define NPALETTE (sizeof palette / sizeof palette[0])

/* Buffered output in front of the sink. */
struct out {
	struct sink *sink;
	size_t       len;
	char         buf[8192];
};

/* Geometry and scales of one chart. */
struct frame {
	double pl, pr, pt, pb;  /* plot area: left, right, top, bottom */
	long   d0, d1;          /* first and last day (days since 1970-01-01) */
	double day;             /* pixels per day */
	int    log;
	double lo, hi;          /* y domain (its log10 on a log scale) */
};

struct yticks {
	int    n;
	double v[MAX_YTICKS];   /* in domain units (log10 on a log scale) */
	char   label[MAX_YTICKS][32];
};

static void
flush(struct out *o)
{
	sink_write(o->sink, o->buf, o->len);
	o->len = 0;
}

static void
put(struct out *o, const char *s, size_t n)
{
	if (n > sizeof o->buf - o->len) {
		flush(o);
		if (n > sizeof o->buf) {
			sink_write(o->sink, s, n);
			return;
		}
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void
put_str(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void
put_char(struct out *o, char ch)
{
	if (o->len == sizeof o->buf)
		flush(o);
	o->buf[o->len++] = ch;
}

/* Text from the caller: always through the HTML/XML escaper. */
static void
put_text(struct out *o, const char *s)
{
	flush(o);
	esc_html(o->sink, s);
}

/* A coordinate as it is written, in tenths of a pixel: anything
 * non-finite becomes 0 and magnitudes are capped at 1e6 px, so "nan",
 * "inf" and exponents never reach the SVG. Two values with the same
 * tenths write the same. */
static long
tenths(double v)
{
	if (!(v > -1e6))        /* also NAN */
		v = v < 0 ? -1e6 : 0;
	if (v > 1e6)
		v = 1e6;
	return lround(v * 10);
}

/* t tenths of a pixel with at most one decimal, written at dst (which has
 * room for COORD_MAX bytes): "12.3", "40", "-2.5"; with lead_zero 0 the
 * 0 before a point is left out (".6", "-.1"), as the path syntax allows.
 * Returns the length. This is the hot path: fmt_uint puts the digits
 * straight into place (a copy loop here became a memmove call per
 * number). */
#define COORD_MAX 16
static size_t
fmt_tenths(char *dst, long t, int lead_zero)
{
	unsigned long m = (unsigned long)(t < 0 ? -t : t);
	char *p = dst;

	if (t < 0)
		*p++ = '-';
	if (lead_zero || m >= 10 || m == 0)
		p += fmt_uint(p, m / 10);
	if (m % 10 != 0) {
		*p++ = '.';
		p += fmt_uint_padded(p, m % 10, 1);
	}
	return (size_t)(p - dst);
}

static void
put_tenths(struct out *o, long t, int lead_zero)
{
	if (sizeof o->buf - o->len < COORD_MAX)
		flush(o);
	o->len += fmt_tenths(o->buf + o->len, t, lead_zero);
}

static void
put_num(struct out *o, double v)
{
	put_tenths(o, tenths(v), 1);
}

/* A relative step of t tenths of a pixel, as short as the path syntax
 * allows: "12.3", "12", ".6", "-.1". The long series (bars and lines over
 * 1,143 days) are written as steps from the point before, each the
 * difference of two positions in tenths (tenths), so the drawing is
 * exactly that of the positions and about a third shorter: a day's step
 * is "h.6v-2.1", not "H412.8V187.3". */
static void
put_step(struct out *o, long t)
{
	put_tenths(o, t, 0);
}

/* A pair of steps after a number already written: the space between two
 * numbers, left out where a minus sign separates them. */
static void
put_step_pair(struct out *o, long dx, long dy, int after_number)
{
	if (after_number && dx >= 0)
		put_char(o, ' ');
	put_step(o, dx);
	if (dy >= 0)
		put_char(o, ' ');
	put_step(o, dy);
}

/* Dates arrive in order, mostly a month at a time: remembering the last
 * validated "YYYY-MM-" makes most parses a prefix compare and two digits. */
struct daycache {
	char ym[8];     /* "YYYY-MM-" of base, or "" */
	long base;      /* day number of the month's day 0 */
	int  dim;       /* days in that month */
};

/* Strict "YYYY-MM-DD" (date.h's rules); 0 and the day number, or -1. */
static int
parse_day(struct daycache *dc, const char *s, long *day)
{
	char first[11];
	long day1;
	int y, m, d;

	if (s == NULL)
		return -1;
	if (dc->ym[0] == '\0' || strncmp(s, dc->ym, 8) != 0) {
		/* A new month: its first day through the strict parser. A
		 * short string's NUL ends the copy (and the strncmp above). */
		if (strnlen(s, 8) < 8)
			return -1;
		memcpy(first, s, 8);
		memcpy(first + 8, "01", 3);
		if ((day1 = date_days(first)) < 0)
			return -1;
		date_to_civil(day1, &y, &m, &d);
		dc->base = day1 - 1;
		dc->dim = date_month_days(y, m);
		memcpy(dc->ym, s, 8);
	}
	if (s[8] < '0' || s[8] > '9' || s[9] < '0' || s[9] > '9' ||
	    s[10] != '\0')
		return -1;
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (d < 1 || d > dc->dim)
		return -1;
	*day = dc->base + d;
	return 0;
}

static int
usable(const struct chart *c, double v)
{
	return isfinite(v) && fabs(v) < VALUE_MAX && (!c->log_scale || v > 0);
}

static double
xpos(const struct frame *f, long day)
{
	return f->pl + ((double)(day - f->d0) + 0.5) * f->day;
}

static double
ypos(const struct frame *f, double v)
{
	if (f->log)
		v = v > 0 ? log10(v) : f->lo;
	if (v < f->lo)
		v = f->lo;
	if (v > f->hi)
		v = f->hi;
	return f->pb - (v - f->lo) / (f->hi - f->lo) * (f->pb - f->pt);
}

/* A value label: "15,000", "0.5", or with M for millions when scale is
 * 1e6 ("1.5M", "1,000M"). */
static void
value_label(char *buf, size_t len, double v, double scale, int decimals)
{
	size_t n;

	if (fabs(v) < 1e-12) {
		snprintf(buf, len, "0");
		return;
	}
	if (decimals == 0)
		fmt_thousands(buf, len, llround(v / scale));
	else
		fmt_decimal(buf, len, v / scale, decimals);
	n = strlen(buf);
	if (scale > 1 && n + 1 < len) {
		buf[n] = 'M';
		buf[n + 1] = '\0';
	}
}

/* Linear axis from lo <= 0 <= hi, lo < hi: the smallest step of the form
 * {1, 2, 5} x 10^k (at least 0.001) that needs at most 6 ticks (so at
 * least 4: one step smaller needed 7 or more). The top is the tick above
 * hi, the bottom the tick below lo. But a negative lo (a downward
 * correction) under a quarter step deep gets no tick of its own, if 4 ticks
 * remain: the axis just reaches a little below it rather than give a whole
 * step of height to a sliver of data. With whole set (all values are
 * counts) the step is at least 1, so a chart of 0 to 3 cases gets 0, 1, 2,
 * 3 rather than halves. */
static void
linear_ticks(struct frame *f, struct yticks *t, double lo, double hi,
    int whole)
{
	static const double mant[3] = { 1, 2, 5 };
	double p, step = 1, k0 = 0, k1 = 1, scale;
	int i, decimals;

	p = pow(10, floor(log10((hi - lo) / 6)));
	if (p < 0.001)
		p = 0.001;
	if (whole && p < 1)
		p = 1;          /* no "0.5 cases" */
	for (i = 0; i < 60; i++) {
		step = mant[i % 3] * p * pow(10, i / 3);
		k1 = ceil(hi / step - 1e-9);
		if (lo > -0.25 * step && k1 + 1 >= 4 && k1 + 1 <= 6) {
			k0 = 0;
			break;
		}
		k0 = floor(lo / step + 1e-9);
		if (k1 - k0 + 1 <= 6)
			break;
	}
	if (k1 <= k0)
		k1 = k0 + 1;
	f->hi = k1 * step;
	f->lo = k0 * step;
	if (lo < f->lo)
		f->lo = lo - 0.03 * (f->hi - lo);
	/* Millions for every label, or for none. */
	scale = fmax(fabs(f->lo), fabs(f->hi)) >= 1e6 ? 1e6 : 1;
	decimals = step / scale >= 1 ? 0 :
	    (int)ceil(-log10(step / scale) - 1e-9);
	t->n = 0;
	for (i = 0; i <= (int)(k1 - k0) && t->n < MAX_YTICKS; i++) {
		t->v[t->n] = (k0 + i) * step;
		value_label(t->label[t->n], sizeof t->label[0], t->v[t->n],
		    scale, decimals);
		t->n++;
	}
}

/* Log axis over [vmin, vmax], both > 0: from the decade below vmin (at
 * least LOG_MIN, at most 12 decades down) to just above vmax, so the data
 * uses the height; a tick on every power of 10 (every second one past 10). */
static void
log_ticks(struct frame *f, struct yticks *t, double vmin, double vmax)
{
	double top = log10(vmax) + 0.05;
	int lo = (int)floor(log10(vmin)), every, k;

	if (lo < LOG_MIN)
		lo = LOG_MIN;
	if (top < lo + 1)
		top = lo + 1;
	if (top - lo > 12)
		lo = (int)ceil(top) - 12;
	every = floor(top) - lo + 1 > 10 ? 2 : 1;
	f->lo = lo;
	f->hi = top;
	t->n = 0;
	for (k = lo; k <= top && t->n < MAX_YTICKS; k += every) {
		double v = pow(10, k);
		t->v[t->n] = k;
		if (k >= 6)
			value_label(t->label[t->n], sizeof t->label[0], v,
			    1e6, 0);
		else
			value_label(t->label[t->n], sizeof t->label[0], v, 1,
			    k < 0 ? -k : 0);
		t->n++;
	}
}

/* h carried over one field of a chart's id, then a 0xff byte (never in
 * UTF-8) so that "ab"+"c" and "a"+"bc" differ. NULL is an empty field. */
static uint32_t
hash_field(uint32_t h, const char *s)
{
	if (s != NULL)
		h = fnv1a32_more(h, s, strlen(s));
	return fnv1a32_more(h, "\xff", 1);
}

/* Approximate width in pixels of UTF-8 text at 11px. */
static double
text_width(const char *s)
{
	size_t chars = 0;

	if (s != NULL)
		for (; *s; s++)
			chars += ((unsigned char)*s & 0xc0) != 0x80;
	return (double)chars * CHAR_W;
}

static void
put_label(struct out *o, double x, double y, const char *anchor,
    const char *text)
{
	put_str(o, "<text x=\"");
	put_num(o, x);
	put_str(o, "\" y=\"");
	put_num(o, y);
	if (anchor != NULL) {
		put_str(o, "\" text-anchor=\"");
		put_str(o, anchor);
	}
	put_str(o, "\">");
	put_str(o, text);  /* our own digits and month names */
	put_str(o, "</text>");
}

/* Date ticks: the smallest calendar step (days, months, years) whose labels
 * do not crowd each other. The first and last dates are always labelled
 * in full at the ends; tick labels that would run into them are left out
 * (the tick mark stays). */
enum xunit { X_DAYS, X_MONTHS, X_YEARS };

static void
x_axis(struct out *o, const struct frame *f)
{
	static const struct { enum xunit unit; int step; } cand[] = {
		{ X_DAYS, 1 }, { X_DAYS, 2 }, { X_DAYS, 7 }, { X_DAYS, 14 },
		{ X_MONTHS, 1 }, { X_MONTHS, 2 }, { X_MONTHS, 3 },
		{ X_MONTHS, 6 }, { X_YEARS, 1 }, { X_YEARS, 2 },
		{ X_YEARS, 5 }, { X_YEARS, 10 }, { X_YEARS, 20 },
		{ X_YEARS, 50 }, { X_YEARS, 100 }, { X_YEARS, 1000 },
	};
	long ticks[MAX_XTICKS], day;
	char label[32], first[16], last[16];
	double left, right, w, x;
	size_t ci;
	int nt = 0, i, y, m, d, step, show_last;
	enum xunit unit;

	for (ci = 0; ci < sizeof cand / sizeof cand[0] - 1; ci++) {
		double days = cand[ci].unit == X_DAYS ? cand[ci].step :
		    cand[ci].unit == X_MONTHS ? 30.4 * cand[ci].step - 2.4 :
		    365.0 * cand[ci].step;
		double lw = cand[ci].unit == X_DAYS ? 6 * CHAR_W :
		    cand[ci].unit == X_MONTHS ? 8 * CHAR_W : 4 * CHAR_W;
		if (days * f->day >= lw + 16)
			break;
	}
	unit = cand[ci].unit;
	step = cand[ci].step;

	/* Tick days, in order. */
	date_to_civil(f->d0, &y, &m, &d);
	if (unit == X_DAYS) {
		/* Aligned to Mondays (weekly ticks): 1970-01-05 was one (day 4). */
		day = f->d0 + (((4 - f->d0) % step) + step) % step;
		for (; day <= f->d1 && nt < MAX_XTICKS; day += step)
			ticks[nt++] = day;
	} else {
		long mi = (long)y * 12 + (m - 1);  /* months since year 0 */
		long mstep = unit == X_MONTHS ? step : 12L * step;
		mi += ((-mi % mstep) + mstep) % mstep;
		for (;; mi += mstep) {
			day = date_from_civil((int)(mi / 12), (int)(mi % 12) + 1,
			    1);
			if (day > f->d1 || nt >= MAX_XTICKS)
				break;
			if (day >= f->d0)
				ticks[nt++] = day;
		}
	}

	put_str(o, "<g class=\"axis x\" fill=\"#555\"><path stroke=\"#999\" "
	    "fill=\"none\" d=\"M");
	put_num(o, f->pl);
	put_char(o, ' ');
	put_num(o, f->pb);
	put_char(o, 'H');
	put_num(o, f->pr);
	for (i = 0; i < nt; i++) {
		put_char(o, 'M');
		put_num(o, xpos(f, ticks[i]));
		put_char(o, ' ');
		put_num(o, f->pb);
		put_str(o, "v4");
	}
	put_str(o, "\"/>");

	date_to_civil(f->d0, &y, &m, &d);
	snprintf(first, sizeof first, "%04d-%02d-%02d", y, m, d);
	date_to_civil(f->d1, &y, &m, &d);
	snprintf(last, sizeof last, "%04d-%02d-%02d", y, m, d);
	if (f->d0 == f->d1) {
		put_label(o, xpos(f, f->d0), f->pb + 16, "middle", first);
		put_str(o, "</g>");
		return;
	}
	show_last = f->pr - f->pl >= 2 * ISO_W + 12;
	put_label(o, f->pl, f->pb + 16, NULL, first);
	if (show_last)
		put_label(o, f->pr, f->pb + 16, "end", last);
	left = f->pl + ISO_W + 8;
	right = show_last ? f->pr - ISO_W - 8 : f->pr;
	for (i = 0; i < nt; i++) {
		date_to_civil(ticks[i], &y, &m, &d);
		if (unit == X_DAYS)
			snprintf(label, sizeof label, "%s %d",
			    date_month_abbr(m), d);
		else if (unit == X_MONTHS)
			snprintf(label, sizeof label, "%s %d",
			    date_month_abbr(m), y);
		else
			snprintf(label, sizeof label, "%d", y);
		x = xpos(f, ticks[i]);
		w = text_width(label);
		/* The ends are labelled already. */
		if (ticks[i] != f->d0 && ticks[i] != f->d1 &&
		    x - w / 2 >= left && x + w / 2 <= right)
			put_label(o, x, f->pb + 16, "middle", label);
	}
	put_str(o, "</g>");
}

static void
y_axis(struct out *o, const struct frame *f, const struct yticks *t)
{
	int i;

	put_str(o, "<path class=\"grid\" stroke=\"#e3e3e3\" fill=\"none\" d=\"");
	for (i = 0; i < t->n; i++) {
		put_char(o, 'M');
		put_num(o, f->pl);
		put_char(o, ' ');
		put_num(o, f->pb - (t->v[i] - f->lo) / (f->hi - f->lo) *
		    (f->pb - f->pt));
		put_char(o, 'H');
		put_num(o, f->pr);
	}
	put_str(o, "\"/><g class=\"axis y\" fill=\"#555\" text-anchor=\"end\">");
	for (i = 0; i < t->n; i++)
		put_label(o, f->pl - 6, f->pb - (t->v[i] - f->lo) /
		    (f->hi - f->lo) * (f->pb - f->pt) + 4, NULL, t->label[i]);
	put_str(o, "</g>");
}

static void
series_open(struct out *o, size_t si, enum chart_style style)
{
	char cls[24];

	snprintf(cls, sizeof cls, "s%zu", si);
	put_str(o, style == CHART_BARS ? "<path class=\"bar " :
	    "<path class=\"line ");
	put_str(o, cls);
	put_str(o, style == CHART_BARS ? "\" fill=\"" :
	    "\" fill=\"none\" stroke-width=\"1.5\" stroke-linejoin=\"round\" "
	    "stroke-linecap=\"round\" stroke=\"");
	put_str(o, style == CHART_BARS ? palette_light[si % NPALETTE] :
	    palette[si % NPALETTE]);
	put_str(o, "\" d=\"");
}

/* Bars too dense for gaps between them (under 2 px a day: a year or more
 * on a page-wide chart) touch, and what the reader sees is their outline:
 * a step along the bar tops between the baseline's ends. That outline is
 * drawn as one shape, "Mx base vdy hdx vdy hdx ... vdy z" per run of days
 * with data (steps from the point before: put_step), each bar's top
 * spanning its day; a bar as tall as the one before (to the 0.1 px
 * written) only lengthens the step. A bar the same as the sparse ones but
 * written in about 7 bytes instead of 27. Negative bars hang below the
 * baseline in the same outline (it crosses the baseline; the nonzero fill
 * rule fills both sides). */
/* The end of a run of dense bars: along the last top to its right edge,
 * down (or up) to the baseline, closed. */
static void
close_run(struct out *o, long right, long base, long pen_x, long pen_y)
{
	put_char(o, 'h');
	put_step(o, right - pen_x);
	put_char(o, 'v');
	put_step(o, base - pen_y);
	put_char(o, 'z');
}

static void
dense_bars(struct out *o, const struct chart *c, const struct frame *f,
    size_t si, double base)
{
	const double *v = c->series[si].values;
	struct daycache dc = { "", 0, 0 };
	double half = f->day / 2;
	long day, last = 0, right = 0, top, pen_x = 0, pen_y = 0;
	long base_t = tenths(base);
	size_t i;
	int open = 0, run = 0;

	/* Positions in tenths of a pixel, as written; pen_x, pen_y: where the
	 * path is. */
	for (i = 0; i < c->n; i++) {
		if (!usable(c, v[i]) || parse_day(&dc, c->dates[i], &day) != 0)
			continue;
		top = tenths(ypos(f, v[i]));
		if (run && day != last + 1) {
			/* A gap in the dates: back to the baseline. */
			close_run(o, right, base_t, pen_x, pen_y);
			run = 0;
		}
		if (!open) {
			series_open(o, si, CHART_BARS);
			open = 1;
		}
		if (!run) {
			pen_x = tenths(xpos(f, day) - half);
			put_char(o, 'M');
			put_tenths(o, pen_x, 1);
			put_char(o, ' ');
			put_tenths(o, base_t, 1);
			put_char(o, 'v');
			put_step(o, top - base_t);
			pen_y = top;
			run = 1;
		} else if (top != pen_y) {
			put_char(o, 'h');
			put_step(o, right - pen_x);
			put_char(o, 'v');
			put_step(o, top - pen_y);
			pen_x = right;
			pen_y = top;
		}
		right = tenths(xpos(f, day) + half);
		last = day;
	}
	if (run)
		close_run(o, right, base_t, pen_x, pen_y);
	if (open)
		put_str(o, "\"/>");
}

/* Bars grow from zero (from the axis bottom on a log scale), downwards for
 * negative values. */
static void
bars(struct out *o, const struct chart *c, const struct frame *f, size_t si)
{
	const double *v = c->series[si].values;
	double base = f->log ? f->pb : ypos(f, 0), bw, top;
	struct daycache dc = { "", 0, 0 };
	char tail[3 * COORD_MAX + 4];
	size_t i, tl = 0;
	long day;
	int open = 0;

	if (f->day < 2) {
		dense_bars(o, c, f, si, base);
		return;
	}
	/* Gaps between bars. */
	bw = f->day * 0.8;
	if (bw > 40)
		bw = 40;
	/* Every bar ends the same way: "h{bw}V{base}h-{bw}z". */
	tail[tl++] = 'h';
	tl += fmt_tenths(tail + tl, tenths(bw), 1);
	tail[tl++] = 'V';
	tl += fmt_tenths(tail + tl, tenths(base), 1);
	tail[tl++] = 'h';
	tl += fmt_tenths(tail + tl, tenths(-bw), 1);
	tail[tl++] = 'z';
	for (i = 0; i < c->n; i++) {
		if (!usable(c, v[i]) || parse_day(&dc, c->dates[i], &day) != 0)
			continue;
		top = ypos(f, v[i]);
		if (fabs(top - base) < 0.05)
			continue;
		if (!open) {
			series_open(o, si, CHART_BARS);
			open = 1;
		}
		put_char(o, 'M');
		put_num(o, xpos(f, day) - bw / 2);
		put_char(o, ' ');
		put_num(o, top);
		put(o, tail, tl);
	}
	if (open)
		put_str(o, "\"/>");
}

/* How far a dropped point of a line may lie from the line drawn: a quarter
 * of a pixel, under the 1.5-pixel stroke and the 0.1-pixel rounding of the
 * coordinates. */
#define LINE_TOL 0.25

/* The points of one segment of a line, gathered to be simplified. */
struct seg {
	size_t        n;
	int           continues;   /* the previous piece of this segment was
	                              written: go on from its last point */
	long          pen_x, pen_y;   /* the last point written, in tenths */
	double        x[POLYLINE_MAX], y[POLYLINE_MAX];
	unsigned char keep[POLYLINE_MAX];
};

/* Writes the points of s that polyline_simplify keeps: "Mx y", then
 * "ldx dy" and " dx dy" for the rest, each a step from the point before
 * (put_step; a piece going on from the previous one only adds steps); a
 * lone point is a dot ("h0" with round caps). */
static void
seg_flush(struct out *o, struct seg *s)
{
	size_t i, written = 0;

	if (s->n == 0)
		return;
	polyline_simplify(s->x, s->y, s->n, LINE_TOL, s->keep);
	/* A piece that goes on from the previous one starts at the point
	 * that piece ended with, which is written already. */
	for (i = s->continues ? 1 : 0; i < s->n; i++) {
		if (!s->keep[i])
			continue;
		long x = tenths(s->x[i]), y = tenths(s->y[i]);

		if (written == 0 && !s->continues) {
			put_char(o, 'M');
			put_tenths(o, x, 1);
			put_char(o, ' ');
			put_tenths(o, y, 1);
		} else {
			int first = written == 1 && !s->continues;

			if (first)
				put_char(o, 'l');
			put_step_pair(o, x - s->pen_x, y - s->pen_y, !first);
		}
		s->pen_x = x;
		s->pen_y = y;
		written++;
	}
	if (written == 1 && !s->continues)
		put_str(o, "h0");
	s->n = 0;
}

/* A line; a point with no data ends the current segment and the next one
 * starts with a new "M". Each segment is simplified (polyline.h) before it
 * is written. */
static void
line(struct out *o, const struct chart *c, const struct frame *f, size_t si)
{
	const double *v = c->series[si].values;
	struct daycache dc = { "", 0, 0 };
	struct seg s;
	long day;
	size_t i;
	int open = 0;

	s.n = 0;
	s.continues = 0;
	for (i = 0; i < c->n; i++) {
		if (!usable(c, v[i]) || parse_day(&dc, c->dates[i], &day) != 0) {
			seg_flush(o, &s);
			s.continues = 0;
			continue;
		}
		if (!open) {
			series_open(o, si, CHART_LINE);
			open = 1;
		}
		if (s.n == POLYLINE_MAX) {
			/* A piece full: write it, and start the next one at
			 * its last point so the line stays joined. */
			double lx = s.x[s.n - 1], ly = s.y[s.n - 1];
			seg_flush(o, &s);
			s.continues = 1;
			s.x[0] = lx;
			s.y[0] = ly;
			s.n = 1;
		}
		s.x[s.n] = xpos(f, day);
		s.y[s.n] = ypos(f, v[i]);
		s.n++;
	}
	seg_flush(o, &s);
	if (open)
		put_str(o, "\"/>");
}

static void
legend(struct out *o, const struct chart *c)
{
	double x = 8;
	size_t si;

	put_str(o, "<g class=\"legend\" fill=\"#333\">");
	for (si = 0; si < c->nseries; si++) {
		const char *col = palette[si % NPALETTE];
		char cls[24];

		snprintf(cls, sizeof cls, "s%zu", si);
		if (c->series[si].style == CHART_BARS) {
			put_str(o, "<rect class=\"bar ");
			put_str(o, cls);
			put_str(o, "\" x=\"");
			put_num(o, x);
			put_str(o, "\" y=\"29\" width=\"12\" height=\"10\" fill=\"");
			put_str(o, palette_light[si % NPALETTE]);
			put_str(o, "\"/>");
		} else {
			put_str(o, "<path class=\"line ");
			put_str(o, cls);
			put_str(o, "\" stroke-width=\"2\" stroke=\"");
			put_str(o, col);
			put_str(o, "\" d=\"M");
			put_num(o, x);
			put_str(o, " 34h12\"/>");
		}
		put_str(o, "<text x=\"");
		put_num(o, x + 17);
		put_str(o, "\" y=\"38\">");
		put_text(o, c->series[si].label);
		put_str(o, "</text>");
		x += 17 + text_width(c->series[si].label) + 18;
	}
	put_str(o, "</g>");
}

/* The <svg> element's start: size, the accessible name (<title>) and
 * description (<desc>, left out when desc is NULL), the visible title. */
static void
svg_open(struct out *o, int w, int ht, const char *id, const char *title,
    const char *desc)
{
	put_str(o, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" "
	    "width=\"");
	put_num(o, w);
	put_str(o, "\" height=\"");
	put_num(o, ht);
	put_str(o, "\" viewBox=\"0 0 ");
	put_num(o, w);
	put_char(o, ' ');
	put_num(o, ht);
	put_str(o, "\" role=\"img\" aria-labelledby=\"");
	put_str(o, id);
	put_str(o, "-t\"");
	if (desc != NULL) {
		put_str(o, " aria-describedby=\"");
		put_str(o, id);
		put_str(o, "-d\"");
	}
	put_str(o, " font-family=\"sans-serif\" font-size=\"11\"><title id=\"");
	put_str(o, id);
	put_str(o, "-t\">");
	put_text(o, title);
	put_str(o, "</title>");
	if (desc != NULL) {
		put_str(o, "<desc id=\"");
		put_str(o, id);
		put_str(o, "-d\">");
		put_text(o, desc);
		put_str(o, "</desc>");
	}
	put_str(o, "<text class=\"title\" x=\"8\" y=\"18\" font-size=\"14\" "
	    "font-weight=\"bold\" fill=\"#222\">");
	put_text(o, title);
	put_str(o, "</text>");
}

/* "No data" in the middle, and the end of the chart. */
static void
no_data(struct out *o, int w, int ht)
{
	put_str(o, "<text class=\"nodata\" x=\"");
	put_num(o, w / 2.0);
	put_str(o, "\" y=\"");
	put_num(o, ht / 2.0);
	put_str(o, "\" text-anchor=\"middle\" font-size=\"14\" "
	    "fill=\"#777\">No data</text></svg>");
	flush(o);
}

void
chart_svg(struct sink *out, const struct chart *c)
{
	struct out o;
	struct frame f;
	struct yticks t;
	char id[16];
	uint32_t h = FNV1A32_INIT;
	double vmin = INFINITY, vmax = -INFINITY, maxw = 0;
	struct daycache dc = { "", 0, 0 };
	long day;
	size_t i, si;
	int w, ht, has_desc, has_data = 0, whole = 1;

	o.sink = out;
	o.len = 0;
	memset(&f, 0, sizeof f);
	w = c->width > 0 ? c->width : DEF_W;
	ht = c->height > 0 ? c->height : DEF_H;
	w = w < 160 ? 160 : w > 4000 ? 4000 : w;
	ht = ht < 100 ? 100 : ht > 4000 ? 4000 : ht;
	has_desc = c->description != NULL && c->description[0] != '\0';

	/* Ids: the same chart always gets the same ones. */
	h = hash_field(h, c->title);
	h = hash_field(h, c->description);
	for (si = 0; si < c->nseries && c->series != NULL; si++)
		h = hash_field(h, c->series[si].label);
	h = hash_field(h, c->log_scale ? "log" : "lin");
	snprintf(id, sizeof id, "c%08lx", (unsigned long)h);

	/* The ranges: dates of every valid date, values of usable points. */
	f.d0 = LONG_MAX;
	f.d1 = LONG_MIN;
	for (i = 0; i < c->n && c->dates != NULL; i++) {
		if (parse_day(&dc, c->dates[i], &day) != 0)
			continue;
		if (day < f.d0)
			f.d0 = day;
		if (day > f.d1)
			f.d1 = day;
		for (si = 0; si < c->nseries && c->series != NULL; si++) {
			const double *v = c->series[si].values;
			if (v == NULL || !usable(c, v[i]))
				continue;
			has_data = 1;
			if (v[i] < vmin)
				vmin = v[i];
			if (v[i] > vmax)
				vmax = v[i];
			if (v[i] != floor(v[i]))
				whole = 0;
		}
	}

	svg_open(&o, w, ht, id, c->title, has_desc ? c->description : NULL);

	if (!has_data) {
		no_data(&o, w, ht);
		return;
	}

	f.log = c->log_scale != 0;
	if (f.log)
		log_ticks(&f, &t, vmin, vmax);
	else
		linear_ticks(&f, &t, fmin(vmin, 0), fmax(vmax, 0) > fmin(vmin, 0) ?
		    fmax(vmax, 0) : 4, whole);   /* all zero: 0 to 4 */
	for (i = 0; i < (size_t)t.n; i++)
		maxw = fmax(maxw, text_width(t.label[i]));

	f.pl = 8 + maxw + 6;
	f.pr = w - 12;
	f.pt = c->nseries > 1 ? 50 : 32;
	f.pb = ht - 24;
	f.day = (f.pr - f.pl) / (double)(f.d1 - f.d0 + 1);

	y_axis(&o, &f, &t);
	x_axis(&o, &f);
	/* Bars under lines, whatever the order of the series. */
	for (si = 0; si < c->nseries; si++)
		if (c->series[si].style == CHART_BARS &&
		    c->series[si].values != NULL)
			bars(&o, c, &f, si);
	for (si = 0; si < c->nseries; si++)
		if (c->series[si].style != CHART_BARS &&
		    c->series[si].values != NULL)
			line(&o, c, &f, si);
	if (!f.log) {
		put_str(&o, "<path class=\"axis zero\" stroke=\"#888\" d=\"M");
		put_num(&o, f.pl);
		put_char(&o, ' ');
		put_num(&o, ypos(&f, 0));
		put_char(&o, 'H');
		put_num(&o, f.pr);
		put_str(&o, "\"/>");
	}
	if (c->nseries > 1)
		legend(&o, c);
	put_str(&o, "</svg>");
	flush(&o);
}

/*
 * Parts of a whole: the donut and the column chart (chart.h).
 */

/* Slice colours: the series palette, then two more; "other" is grey. */
static const char *const part_palette[] = {
	"#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#76b7b2", "#b07aa1",
	"#edc948", "#9c755f",
};
#define NPART_PALETTE (sizeof part_palette / sizeof part_palette[0])

static int
part_usable(double v)
{
	return isfinite(v) && v > 0 && v <= VALUE_MAX;
}

static const char *
part_colour(const struct chart_part *p, size_t i)
{
	return p->other ? "#bab0ac" : part_palette[i % NPART_PALETTE];
}

/* Ids and size, as chart_svg makes them. */
static void
parts_frame(const struct chart_parts *c, const char *kind, char id[16], int *w,
    int *ht)
{
	uint32_t h = FNV1A32_INIT;

	h = hash_field(h, kind);
	h = hash_field(h, c->title);
	h = hash_field(h, c->description);
	for (size_t i = 0; i < c->n; i++)
		h = hash_field(h, c->parts[i].label);
	snprintf(id, 16, "c%08lx", (unsigned long)h);
	*w = c->width > 0 ? c->width : 480;
	*ht = c->height > 0 ? c->height : 300;
	*w = *w < 160 ? 160 : *w > 4000 ? 4000 : *w;
	*ht = *ht < 100 ? 100 : *ht > 4000 ? 4000 : *ht;
}

/* The point at angle a (radians clockwise from 12 o'clock), radius r. */
static void
put_polar(struct out *o, double cx, double cy, double r, double a)
{
	put_num(o, cx + r * sin(a));
	put_char(o, ' ');
	put_num(o, cy - r * cos(a));
}

/* One ring segment from a0 to a1 (< 2 pi apart). */
static void
ring_segment(struct out *o, double cx, double cy, double r1, double r0,
    double a0, double a1)
{
	int large = a1 - a0 > M_PI;

	put_char(o, 'M');
	put_polar(o, cx, cy, r1, a0);
	put_char(o, 'A');
	put_num(o, r1);
	put_char(o, ' ');
	put_num(o, r1);
	put_str(o, large ? " 0 1 1 " : " 0 0 1 ");
	put_polar(o, cx, cy, r1, a1);
	put_char(o, 'L');
	put_polar(o, cx, cy, r0, a1);
	put_char(o, 'A');
	put_num(o, r0);
	put_char(o, ' ');
	put_num(o, r0);
	put_str(o, large ? " 0 1 0 " : " 0 0 0 ");
	put_polar(o, cx, cy, r0, a0);
	put_char(o, 'Z');
}

static void
donut_legend(struct out *o, const struct chart_parts *c, double total, double x,
    double y)
{
	char num[40];

	put_str(o, "<g class=\"legend\" fill=\"#333\">");
	for (size_t i = 0, row = 0; i < c->n; i++) {
		const struct chart_part *p = &c->parts[i];
		if (!part_usable(p->value))
			continue;
		put_str(o, "<rect x=\"");
		put_num(o, x);
		put_str(o, "\" y=\"");
		put_num(o, y + 18.0 * (double)row - 9);
		put_str(o, "\" width=\"10\" height=\"10\" fill=\"");
		put_str(o, part_colour(p, i));
		put_str(o, "\"/><text x=\"");
		put_num(o, x + 16);
		put_str(o, "\" y=\"");
		put_num(o, y + 18.0 * (double)row);
		put_str(o, "\">");
		put_text(o, p->label);
		fmt_thousands(num, sizeof num, (long long)p->value);
		put_str(o, ": ");
		put_str(o, num);
		snprintf(num, sizeof num, " (%.1f%%)", 100.0 * p->value / total);
		put_str(o, num);
		put_str(o, "</text>");
		row++;
	}
	put_str(o, "</g>");
}

void
chart_donut_svg(struct sink *out, const struct chart_parts *c)
{
	struct out o = { out, 0, "" };
	char id[16];
	double total = 0, a = 0, cx, cy, r1, r0;
	int w, ht;

	parts_frame(c, "donut", id, &w, &ht);
	svg_open(&o, w, ht, id, c->title,
	    c->description && *c->description ? c->description : NULL);
	for (size_t i = 0; i < c->n; i++)
		if (part_usable(c->parts[i].value))
			total += c->parts[i].value;
	if (total <= 0) {
		no_data(&o, w, ht);
		return;
	}
	r1 = fmin((ht - 40) / 2.0, w * 0.25);
	r0 = r1 * 0.55;
	cx = 12 + r1;
	cy = 30 + (ht - 30) / 2.0;
	for (size_t i = 0; i < c->n; i++) {
		const struct chart_part *p = &c->parts[i];
		double sweep;
		if (!part_usable(p->value))
			continue;
		sweep = 2 * M_PI * p->value / total;
		put_str(&o, "<path class=\"slice\" fill=\"");
		put_str(&o, part_colour(p, i));
		put_str(&o, "\" stroke=\"#fff\" d=\"");
		/* A whole ring is two halves: one arc cannot start and end at
		 * the same point. */
		if (sweep >= 2 * M_PI - 1e-9) {
			ring_segment(&o, cx, cy, r1, r0, 0, M_PI);
			ring_segment(&o, cx, cy, r1, r0, M_PI, 2 * M_PI);
		} else
			ring_segment(&o, cx, cy, r1, r0, a, a + sweep);
		put_str(&o, "\"><title>");
		put_text(&o, p->label);
		put_str(&o, "</title></path>");
		a += sweep;
	}
	donut_legend(&o, c, total, cx + r1 + 24, 44);
	put_str(&o, "</svg>");
	flush(&o);
}

void
chart_columns_svg(struct sink *out, const struct chart_parts *c)
{
	struct out o = { out, 0, "" };
	struct frame f;
	struct yticks t;
	char id[16];
	double vmax = 0, maxw = 0, step, bw;
	int w, ht;

	parts_frame(c, "columns", id, &w, &ht);
	svg_open(&o, w, ht, id, c->title,
	    c->description && *c->description ? c->description : NULL);
	for (size_t i = 0; i < c->n; i++)
		if (part_usable(c->parts[i].value))
			vmax = fmax(vmax, c->parts[i].value);
	if (c->n == 0 || vmax <= 0) {
		no_data(&o, w, ht);
		return;
	}
	memset(&f, 0, sizeof f);
	linear_ticks(&f, &t, 0, vmax, 1);
	for (int i = 0; i < t.n; i++)
		maxw = fmax(maxw, text_width(t.label[i]));
	f.pl = 8 + maxw + 6;
	f.pr = w - 12;
	f.pt = 32;
	f.pb = ht - 24;
	y_axis(&o, &f, &t);
	step = (f.pr - f.pl) / (double)c->n;
	bw = step * 0.7;
	put_str(&o, "<path class=\"bar s0\" fill=\"");
	put_str(&o, palette[0]);
	put_str(&o, "\" d=\"");
	for (size_t i = 0; i < c->n; i++) {
		double v = part_usable(c->parts[i].value) ? c->parts[i].value : 0;
		double y = ypos(&f, v);
		put_char(&o, 'M');
		put_num(&o, f.pl + step * (double)i + (step - bw) / 2);
		put_char(&o, ' ');
		put_num(&o, f.pb);
		put_char(&o, 'V');
		put_num(&o, y);
		put_char(&o, 'h');
		put_num(&o, bw);
		put_char(&o, 'V');
		put_num(&o, f.pb);
		put_char(&o, 'z');
	}
	put_str(&o, "\"/><g class=\"axis x\" fill=\"#555\" text-anchor=\"middle\">");
	for (size_t i = 0; i < c->n; i++) {
		put_str(&o, "<text x=\"");
		put_num(&o, f.pl + step * ((double)i + 0.5));
		put_str(&o, "\" y=\"");
		put_num(&o, f.pb + 16);
		put_str(&o, "\">");
		put_text(&o, c->parts[i].label);
		put_str(&o, "</text>");
	}
	put_str(&o, "</g><path class=\"axis zero\" stroke=\"#888\" d=\"M");
	put_num(&o, f.pl);
	put_char(&o, ' ');
	put_num(&o, f.pb);
	put_char(&o, 'H');
	put_num(&o, f.pr);
	put_str(&o, "\"/></svg>");
	flush(&o);
}
