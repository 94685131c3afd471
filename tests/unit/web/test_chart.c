/* test_chart: SVG charts. The output is checked by reading it back: a small
 * XML well-formedness checker, and parsers for the paths and labels, so the
 * tests assert geometry (a negative bar below the zero line, x spacing by
 * calendar date) rather than exact bytes.
 * With CHART_SVG_DIR set, also writes sample charts there (for
 * tests/e2e/chart_svg_valid.sh and for looking at). */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <strings.h>
#include <time.h>

#include "check.h"
#include "web/chart.h"

#define NLONG 1143     /* 2020-01-22 .. 2023-03-09, the whole JHU history */

static struct membuf mb;

static const char *
render(const struct chart *c)
{
	struct sink s;

	mb.len = 0;
	if (mb.data)
		mb.data[0] = '\0';
	s = membuf_sink(&mb);
	chart_svg(&s, c);
	return s.failed || mb.data == NULL ? "" : mb.data;
}

/* --- reading the output back ------------------------------------------ */

static int
entity_ok(const char *p)
{
	static const char *const ents[] = {
		"&amp;", "&lt;", "&gt;", "&quot;", "&#39;",
	};
	size_t i;

	for (i = 0; i < sizeof ents / sizeof ents[0]; i++)
		if (strncmp(p, ents[i], strlen(ents[i])) == 0)
			return 1;
	return 0;
}

/* One root element, every tag closed in order, attributes double-quoted
 * without '<', every '&' an entity, nothing after the root. */
static int
well_formed(const char *s)
{
	char stack[32][32];
	int depth = 0, roots = 0;
	const char *p = s;
	size_t n;

	while (*p) {
		if (*p == '&' && !entity_ok(p))
			return 0;
		if (*p != '<') {
			if (depth == 0 && !isspace((unsigned char)*p))
				return 0;   /* text outside the root */
			p++;
			continue;
		}
		if (p[1] == '/') {
			p += 2;
			n = strspn(p, "abcdefghijklmnopqrstuvwxyz");
			if (depth == 0 || p[n] != '>' ||
			    strlen(stack[depth - 1]) != n ||
			    strncmp(stack[depth - 1], p, n) != 0)
				return 0;
			depth--;
			p += n + 1;
			continue;
		}
		p++;
		n = strspn(p, "abcdefghijklmnopqrstuvwxyz");
		if (n == 0 || n >= sizeof stack[0] || depth == 32)
			return 0;
		if (depth == 0 && roots++ > 0)
			return 0;
		memcpy(stack[depth], p, n);
		stack[depth][n] = '\0';
		p += n;
		for (;;) {
			size_t an;
			if (*p == ' ')
				p++;
			else
				return 0;
			an = strspn(p, "abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ-:");
			if (an == 0 || p[an] != '=' || p[an + 1] != '"')
				return 0;
			for (p += an + 2; *p != '"'; p++)
				if (*p == '\0' || *p == '<' ||
				    (*p == '&' && !entity_ok(p)))
					return 0;
			p++;
			if (*p == '>') {
				depth++;
				p++;
				break;
			}
			if (p[0] == '/' && p[1] == '>') {
				p += 2;
				break;
			}
		}
		/* Elements without attributes ("<g>") are not emitted. */
	}
	return depth == 0 && roots == 1;
}

/* Case-insensitive: does s contain needle? */
static int
contains_ci(const char *s, const char *needle)
{
	size_t n = strlen(needle);

	for (; *s; s++)
		if (strncasecmp(s, needle, n) == 0)
			return 1;
	return 0;
}

static int
count(const char *s, const char *needle)
{
	int k = 0;

	while ((s = strstr(s, needle)) != NULL) {
		k++;
		s += strlen(needle);
	}
	return k;
}

/* Copies the value of attribute attr of the first element starting with
 * elem (e.g. "<path class=\"bar s0\"") into out; 0 if not found. */
static int
attr(const char *svg, const char *elem, const char *attrname, char *out,
    size_t len)
{
	const char *p = strstr(svg, elem), *end, *v;
	char key[64];
	size_t n;

	if (p == NULL)
		return 0;
	end = strchr(p, '>');
	snprintf(key, sizeof key, " %s=\"", attrname);
	v = strstr(p, key);
	if (v == NULL || v > end)
		return 0;
	v += strlen(key);
	n = strcspn(v, "\"");
	if (n >= len)
		return 0;
	memcpy(out, v, n);
	out[n] = '\0';
	return 1;
}

/* A path's commands, each with its numbers. */
struct cmd {
	char   c;
	int    n;
	double v[8];
};

static int
parse_path(const char *d, struct cmd *cmds, int max)
{
	int k = 0;

	while (*d) {
		char *end;
		if (isalpha((unsigned char)*d)) {
			if (k == max)
				return -1;
			cmds[k].c = *d++;
			cmds[k].n = 0;
			k++;
			continue;
		}
		if (*d == ' ') {
			d++;
			continue;
		}
		if (k == 0 || cmds[k - 1].n == 8)
			return -1;
		cmds[k - 1].v[cmds[k - 1].n++] = strtod(d, &end);
		if (end == d)
			return -1;
		d = end;
	}
	return k;
}

/* The path's commands with its steps made positions, as a reader draws
 * them: "l" (one "L" per point), "h" and "v" become "L", "H" and "V" from
 * the point before; "z" goes back to the start of its subpath. The long
 * series are written as steps (chart.c's put_step), and the checks read
 * where things are. */
static int
parse_path_absolute(const char *d, struct cmd *cmds, int max)
{
	double x = 0, y = 0, sx = 0, sy = 0, num[2];
	int k = 0, n = 0;
	char c = 0;

	while (*d) {
		char *end;

		if (isalpha((unsigned char)*d)) {
			if (n != 0)
				return -1;      /* a command short of numbers */
			c = *d++;
			if (c == 'z') {
				if (k == max)
					return -1;
				x = sx;
				y = sy;
				cmds[k++] = (struct cmd){ 'z', 0, { 0 } };
			}
			continue;
		}
		if (*d == ' ') {
			d++;
			continue;
		}
		num[n++] = strtod(d, &end);
		if (end == d || k == max)
			return -1;
		d = end;
		if ((c == 'M' || c == 'L' || c == 'l') && n < 2)
			continue;
		n = 0;
		switch (c) {
		case 'M':
			sx = x = num[0];
			sy = y = num[1];
			cmds[k++] = (struct cmd){ 'M', 2, { x, y } };
			break;
		case 'L':
		case 'l':
			x = c == 'l' ? x + num[0] : num[0];
			y = c == 'l' ? y + num[1] : num[1];
			cmds[k++] = (struct cmd){ 'L', 2, { x, y } };
			break;
		case 'H':
		case 'h':
			x = c == 'h' ? x + num[0] : num[0];
			cmds[k++] = (struct cmd){ 'H', 1, { x } };
			break;
		case 'V':
		case 'v':
			y = c == 'v' ? y + num[0] : num[0];
			cmds[k++] = (struct cmd){ 'V', 1, { y } };
			break;
		default:
			return -1;
		}
	}
	return n == 0 ? k : -1;
}

struct txt {
	double x, y;
	char   s[64];
};

/* The <text> elements between group (e.g. "<g class=\"axis y\"") and its
 * "</g>". */
static int
texts(const char *svg, const char *group, struct txt *out, int max)
{
	const char *p = strstr(svg, group), *end;
	int k = 0;

	if (p == NULL)
		return 0;
	end = strstr(p, "</g>");
	while ((p = strstr(p, "<text ")) != NULL && p < end && k < max) {
		const char *gt = strchr(p, '>'), *close = strstr(gt, "</text>");
		size_t n = (size_t)(close - gt - 1);
		char xs[32], ys[32];
		if (!attr(p, "<text ", "x", xs, sizeof xs) ||
		    !attr(p, "<text ", "y", ys, sizeof ys) ||
		    n >= sizeof out[k].s)
			return -1;
		out[k].x = atof(xs);
		out[k].y = atof(ys);
		memcpy(out[k].s, gt + 1, n);
		out[k].s[n] = '\0';
		k++;
		p = close;
	}
	return k;
}

static int
has_text(const struct txt *t, int n, const char *s)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(t[i].s, s) == 0)
			return 1;
	return 0;
}

/* Days since the epoch, via the C library (independent of the chart's
 * own calendar code). */
static long
epoch_day(const char *iso)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = atoi(iso) - 1900;
	tm.tm_mon = atoi(iso + 5) - 1;
	tm.tm_mday = atoi(iso + 8);
	return (long)(timegm(&tm) / 86400);
}

static void
iso_of(long day, char *buf)
{
	time_t t = (time_t)day * 86400;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, 11, "%Y-%m-%d", &tm);
}

static int
safe_output(const char *svg)
{
	return well_formed(svg) && !contains_ci(svg, "nan") &&
	    !contains_ci(svg, "inf") && !contains_ci(svg, "e+") &&
	    !contains_ci(svg, "style=") && !contains_ci(svg, "<script");
}

/* --- the data ---------------------------------------------------------- */

static char long_dates[NLONG][11];
static const char *long_datep[NLONG];
static double long_daily[NLONG], long_avg[NLONG], long_cum[NLONG];

static void
make_long(void)
{
	long d0 = epoch_day("2020-01-22");
	double cum = 0;
	int i, k;

	for (i = 0; i < NLONG; i++) {
		iso_of(d0 + i, long_dates[i]);
		long_datep[i] = long_dates[i];
		/* Waves, weekly reporting rhythm, one downward correction. */
		long_daily[i] = floor(50000 * (1 + sin(i / 60.0)) *
		    (i % 7 == 0 ? 0.3 : 1.0) * (i > 700 && i < 760 ? 6 : 1));
		if (i == 900)
			long_daily[i] = -120000;
		cum += long_daily[i];
		long_cum[i] = cum;
	}
	for (i = 0; i < NLONG; i++) {
		double s = 0;
		if (i < 6) {
			long_avg[i] = NAN;
			continue;
		}
		for (k = 0; k < 7; k++)
			s += long_daily[i - k];
		long_avg[i] = s / 7;
	}
}

static void
save(const char *name, const char *svg)
{
	const char *dir = getenv("CHART_SVG_DIR");
	char path[1024];
	FILE *fp;

	if (dir == NULL)
		return;
	snprintf(path, sizeof path, "%s/%s.svg", dir, name);
	if ((fp = fopen(path, "w")) == NULL) {
		CHECK(!"cannot write to CHART_SVG_DIR");
		return;
	}
	fputs(svg, fp);
	CHECK(fclose(fp) == 0);
}

/* --- the tests --------------------------------------------------------- */

static void
test_accessibility(void)
{
	static const char *dates[] = { "2020-03-01", "2020-03-02" };
	static const double v[] = { 1, 2 };
	struct chart_series s = { "Cases", v, CHART_BARS };
	struct chart c = { "Daily cases", "Cases per day in France", dates, 2,
	    &s, 1, 0, 0, 0 };
	struct chart c2 = c;
	char tid[64], did[64], lab[64], desc[64], first[8192];
	const char *svg = render(&c);

	CHECK(well_formed(svg));
	CHECK(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0);
	CHECK(strstr(svg, " viewBox=\"0 0 720 300\"") != NULL);
	CHECK(strstr(svg, " role=\"img\"") != NULL);
	CHECK(attr(svg, "<title", "id", tid, sizeof tid));
	CHECK(attr(svg, "<desc", "id", did, sizeof did));
	CHECK(attr(svg, "<svg", "aria-labelledby", lab, sizeof lab));
	CHECK(attr(svg, "<svg", "aria-describedby", desc, sizeof desc));
	CHECK_STR(lab, tid);
	CHECK_STR(desc, did);
	CHECK(strcmp(tid, did) != 0);
	CHECK(strstr(svg, ">Daily cases</title>") != NULL);
	CHECK(strstr(svg, ">Cases per day in France</desc>") != NULL);
	/* The title is drawn as well. */
	CHECK(strstr(svg, "<text class=\"title\"") != NULL);
	CHECK_INT(count(svg, ">Daily cases<"), 2);
	/* Deterministic: the same chart, byte for byte. */
	snprintf(first, sizeof first, "%s", svg);
	CHECK_STR(render(&c), first);
	/* Another title on the same page: other ids. */
	c2.title = "Daily deaths";
	svg = render(&c2);
	CHECK(attr(svg, "<title", "id", lab, sizeof lab));
	CHECK(strcmp(lab, tid) != 0);
	/* The same title but a different description: other ids too. */
	c2.title = c.title;
	c2.description = "Cases per day in Spain";
	svg = render(&c2);
	CHECK(attr(svg, "<title", "id", lab, sizeof lab));
	CHECK(strcmp(lab, tid) != 0);
	/* No description: no <desc>, no dangling aria-describedby. */
	c2.description = NULL;
	svg = render(&c2);
	CHECK(well_formed(svg));
	CHECK(strstr(svg, "<desc") == NULL);
	CHECK(strstr(svg, "aria-describedby") == NULL);
	/* Single series: no legend. */
	CHECK(strstr(svg, "class=\"legend\"") == NULL);
	save("basic", render(&c));
}

static void
test_hostile_text(void)
{
	static const char *dates[] = { "2020-03-01", "2020-03-02" };
	static const double v[] = { 1, 2 };
	struct chart_series s[2] = {
		{ "<b>bold</b> & \"quoted\"", v, CHART_BARS },
		{ "it's", v, CHART_LINE },
	};
	struct chart c = { "<script>alert(1)</script>",
	    "\"><img src=x onerror=alert(1)>", dates, 2, s, 2, 0, 0, 0 };
	const char *svg = render(&c);

	CHECK(safe_output(svg));
	CHECK(strstr(svg, "<script") == NULL);
	CHECK(strstr(svg, "<img") == NULL);
	CHECK(strstr(svg, "<b>") == NULL);
	CHECK_INT(count(svg, "&lt;script&gt;alert(1)&lt;/script&gt;"), 2);
	CHECK(strstr(svg, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</desc>")
	    != NULL);
	CHECK(strstr(svg, "&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;")
	    != NULL);
	CHECK(strstr(svg, ">it&#39;s</text>") != NULL);
	/* Two series: a legend naming both. */
	CHECK(strstr(svg, "<g class=\"legend\"") != NULL);
	save("hostile", svg);
}

static void
test_ticks_known_range(void)
{
	static const char *dates[] = { "2020-05-01", "2020-05-02", "2020-05-03" };
	static const double v[] = { 100, 12345, 7000 };
	struct chart_series s = { "Cases", v, CHART_BARS };
	struct chart c = { "T", "D", dates, 3, &s, 1, 0, 0, 0 };
	struct txt t[16];
	int n;
	const char *svg = render(&c);

	n = texts(svg, "<g class=\"axis y\"", t, 16);
	CHECK_INT(n, 4);
	CHECK(has_text(t, n, "0"));
	CHECK(has_text(t, n, "5,000"));
	CHECK(has_text(t, n, "10,000"));
	CHECK(has_text(t, n, "15,000"));
	/* Ticks from the bottom up, evenly spaced. */
	CHECK(n == 4 && t[0].y > t[1].y && t[1].y > t[2].y);
	CHECK(n == 4 && fabs((t[0].y - t[1].y) - (t[2].y - t[3].y)) < 0.2);
	/* Gridlines: one per tick. */
	{
		char d[512];
		CHECK(attr(svg, "<path class=\"grid\"", "d", d, sizeof d));
		CHECK_INT(count(d, "M"), 4);
	}

	/* Max 100 exactly: 0, 20, ..., 100. */
	{
		static const double v2[] = { 3, 100, 50 };
		struct chart_series s2 = { "Cases", v2, CHART_LINE };
		c.series = &s2;
		svg = render(&c);
		n = texts(svg, "<g class=\"axis y\"", t, 16);
		CHECK_INT(n, 6);
		CHECK(has_text(t, n, "20") && has_text(t, n, "100"));
		CHECK(!has_text(t, n, "120"));
	}
	/* Counts: whole ticks, no "0.5". */
	{
		static const double v6[] = { 1, 2, 0 };
		struct chart_series s6 = { "Deaths", v6, CHART_BARS };
		c.series = &s6;
		svg = render(&c);
		n = texts(svg, "<g class=\"axis y\"", t, 16);
		CHECK_INT(n, 3);
		CHECK(has_text(t, n, "0") && has_text(t, n, "1") &&
		    has_text(t, n, "2"));
	}
	/* Small averages: decimals, consistently. */
	{
		static const double v3[] = { 0.14, 0.43, 0.2 };
		struct chart_series s3 = { "Avg", v3, CHART_LINE };
		c.series = &s3;
		svg = render(&c);
		n = texts(svg, "<g class=\"axis y\"", t, 16);
		CHECK_INT(n, 6);
		CHECK(has_text(t, n, "0.1") && has_text(t, n, "0.5"));
	}
	/* Millions: "M" on every label (but 0). */
	{
		static const double v4[] = { 1e9, 2.5e8, 0 };
		struct chart_series s4 = { "Big", v4, CHART_BARS };
		c.series = &s4;
		svg = render(&c);
		n = texts(svg, "<g class=\"axis y\"", t, 16);
		CHECK_INT(n, 6);
		CHECK(has_text(t, n, "200M") && has_text(t, n, "1,000M"));
		CHECK(safe_output(svg));
	}
	{
		static const double v5[] = { 1.4e6, 2e5, 7e5 };
		struct chart_series s5 = { "US", v5, CHART_BARS };
		c.series = &s5;
		svg = render(&c);
		n = texts(svg, "<g class=\"axis y\"", t, 16);
		CHECK_INT(n, 4);
		CHECK(has_text(t, n, "0") && has_text(t, n, "0.5M") &&
		    has_text(t, n, "1.0M") && has_text(t, n, "1.5M"));
	}
}

/* The first element's path commands. */
static int
path_of(const char *svg, const char *elem, struct cmd *cmds, int max)
{
	static char d[1 << 16];

	if (!attr(svg, elem, "d", d, sizeof d))
		return -1;
	return parse_path(d, cmds, max);
}

static void
test_negative_bars(void)
{
	static const char *dates[] = { "2020-05-01", "2020-05-02", "2020-05-03" };
	static const double v[] = { 5, -3, 10 };
	struct chart_series s = { "New", v, CHART_BARS };
	struct chart c = { "T", "D", dates, 3, &s, 1, 0, 0, 0 };
	struct cmd bars[32], zero[4], axis[16];
	struct txt t[16];
	double zy, top[3], bot[3];
	int nb, i, n;
	const char *svg = render(&c);

	CHECK(safe_output(svg));
	CHECK_INT(path_of(svg, "<path class=\"axis zero\"", zero, 4), 2);
	zy = zero[0].v[1];
	/* Three bars, each "M x y h w V y0 h -w z". */
	nb = path_of(svg, "<path class=\"bar s0\"", bars, 32);
	CHECK_INT(nb, 15);
	for (i = 0; i < 3 && nb == 15; i++) {
		double a = bars[i * 5].v[1], b = bars[i * 5 + 2].v[0];
		CHECK(bars[i * 5].c == 'M' && bars[i * 5 + 2].c == 'V');
		top[i] = fmin(a, b);
		bot[i] = fmax(a, b);
	}
	if (nb == 15) {
		CHECK(fabs(bot[0] - zy) < 0.11 && top[0] < zy - 1);
		CHECK(fabs(top[1] - zy) < 0.11 && bot[1] > zy + 1);
		CHECK(fabs(bot[2] - zy) < 0.11 && top[2] < top[0]);
		/* Heights proportional to the values: 3/5 and 10/5. */
		CHECK(fabs((bot[1] - top[1]) / (bot[0] - top[0]) - 0.6) < 0.05);
		CHECK(fabs((bot[2] - top[2]) / (bot[0] - top[0]) - 2.0) < 0.05);
	}
	/* The range includes the negative value: a tick below zero. */
	n = texts(svg, "<g class=\"axis y\"", t, 16);
	CHECK(has_text(t, n, "-5"));
	CHECK(n >= 4 && n <= 6);

	/* A sliver of negative (a correction of 10 in 1000s) gets no tick of
	 * its own, but the bar still fits above the x axis. */
	{
		static const double v2[] = { 1000, -10, 800 };
		struct chart_series s2 = { "New", v2, CHART_BARS };
		c.series = &s2;
		svg = render(&c);
		n = texts(svg, "<g class=\"axis y\"", t, 16);
		CHECK(has_text(t, n, "0") && !has_text(t, n, "-200"));
		/* The x axis line: "M pl pb H pr", then the tick marks. */
		CHECK(path_of(strstr(svg, "<g class=\"axis x\""), "<path",
		    axis, 16) >= 2);
		nb = path_of(svg, "<path class=\"bar s0\"", bars, 32);
		CHECK_INT(nb, 15);
		path_of(svg, "<path class=\"axis zero\"", zero, 4);
		CHECK(nb == 15 && bars[5].v[1] > zero[0].v[1] + 0.5 &&
		    bars[5].v[1] <= axis[0].v[1]);
	}
	/* A single negative value. */
	{
		static const double v3[] = { -5 };
		struct chart_series s3 = { "New", v3, CHART_BARS };
		c.series = &s3;
		c.n = 1;
		svg = render(&c);
		CHECK(safe_output(svg));
		n = texts(svg, "<g class=\"axis y\"", t, 16);
		CHECK(has_text(t, n, "-5") && has_text(t, n, "0"));
		nb = path_of(svg, "<path class=\"bar s0\"", bars, 32);
		path_of(svg, "<path class=\"axis zero\"", zero, 4);
		CHECK(nb == 5 && bars[0].v[1] > zero[0].v[1] + 10);
		save("negative", svg);
	}
}

static void
test_line_gaps(void)
{
	static const char *dates[] = { "2020-05-01", "2020-05-02", "2020-05-03",
	    "2020-05-04", "2020-05-05" };
	static const double v[] = { 1, 2, NAN, 4, 5 };
	static const double lone[] = { 1, NAN, 3, NAN, 5 };
	static const double inf[] = { 1, INFINITY, 3, -INFINITY, 5 };
	struct chart_series s = { "Avg", v, CHART_LINE };
	struct chart c = { "T", "D", dates, 5, &s, 1, 0, 0, 0 };
	struct cmd cmds[32];
	char d[512];
	const char *svg = render(&c);
	int k;

	CHECK(safe_output(svg));
	CHECK(attr(svg, "<path class=\"line s0\"", "d", d, sizeof d));
	CHECK_INT(count(d, "M"), 2);
	k = parse_path_absolute(d, cmds, 32);
	/* M x y l dx dy, M x y l dx dy. */
	CHECK(k == 4 && cmds[0].c == 'M' && cmds[1].c == 'L' && cmds[1].n == 2
	    && cmds[2].c == 'M' && cmds[3].c == 'L');

	/* Lone points between gaps: three segments, each a dot. */
	s.values = lone;
	svg = render(&c);
	CHECK(attr(svg, "<path class=\"line s0\"", "d", d, sizeof d));
	CHECK_INT(count(d, "M"), 3);
	CHECK_INT(count(d, "h0"), 3);
	CHECK(strstr(svg, "stroke-linecap=\"round\"") != NULL);

	/* Infinities are no data too, never "inf". */
	s.values = inf;
	svg = render(&c);
	CHECK(safe_output(svg));
	CHECK(attr(svg, "<path class=\"line s0\"", "d", d, sizeof d));
	CHECK_INT(count(d, "M"), 3);
	save("gaps", svg);
}

static void
test_x_by_date(void)
{
	/* Sparse dates, as in the bundled sample: x follows the calendar. */
	static const char *dates[] = { "2020-01-30", "2020-01-31", "2020-02-08",
	    "2020-03-09" };
	static const double v[] = { 1, 2, 3, 4 };
	struct chart_series s = { "Cum", v, CHART_LINE };
	struct chart c = { "T", "D", dates, 4, &s, 1, 0, 0, 0 };
	struct cmd cmds[8];
	char d[256];
	double x[4];
	int k, i, j = 0;
	const char *svg = render(&c);

	CHECK(attr(svg, "<path class=\"line s0\"", "d", d, sizeof d));
	k = parse_path_absolute(d, cmds, 8);
	CHECK_INT(k, 4);
	if (k == 4 && cmds[0].c == 'M' && cmds[1].c == 'L' &&
	    cmds[3].c == 'L') {
		for (i = 0; i < 4; i++)
			x[j++] = cmds[i].v[0];
		/* 1 day, then 8, then 30 (2020 is a leap year). */
		CHECK(fabs((x[2] - x[1]) / (x[1] - x[0]) - 8) < 0.2);
		CHECK(fabs((x[3] - x[2]) / (x[1] - x[0]) - 30) < 0.5);
	} else
		CHECK(!"line path shape");
}

static void
test_date_axis(void)
{
	struct chart_series s[2] = {
		{ "Daily new cases", long_daily, CHART_BARS },
		{ "7-day average", long_avg, CHART_LINE },
	};
	struct chart c = { "New cases", "Daily new cases, 7-day average",
	    long_datep, NLONG, s, 2, 0, 0, 0 };
	struct txt t[64];
	double pl, pr, day_px;
	long d0, d1;
	int n, i, months = 0, misplaced = 0, overlap = 0;
	const char *svg = render(&c);

	CHECK(safe_output(svg));
	n = texts(svg, "<g class=\"axis x\"", t, 64);
	CHECK(n >= 4 && n <= 12);
	CHECK(has_text(t, n, "2020-01-22"));
	CHECK(has_text(t, n, "2023-03-09"));
	if (n < 2)
		return;
	/* The end labels sit at the plot's edges; every other label names
	 * the first of a month and sits at that day's x. */
	pl = t[0].x;
	pr = t[1].x;
	d0 = epoch_day("2020-01-22");
	d1 = epoch_day("2023-03-09");
	day_px = (pr - pl) / (double)(d1 - d0 + 1);
	for (i = 2; i < n; i++) {
		static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr",
		    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
		char iso[11];
		int m, y;
		for (m = 0; m < 12; m++)
			if (strncmp(t[i].s, mon[m], 3) == 0)
				break;
		y = atoi(t[i].s + 4);
		if (m == 12 || y < 2020 || y > 2023) {
			misplaced++;
			continue;
		}
		months++;
		snprintf(iso, sizeof iso, "%04d-%02d-01", y, m + 1);
		if (fabs(t[i].x - (pl + (epoch_day(iso) - d0 + 0.5) * day_px))
		    > 0.2)
			misplaced++;
		/* Clear of the end labels (10 chars of at most 7px). */
		if (t[i].x - 4 * 7 < pl + 70 || t[i].x + 4 * 7 > pr - 70)
			overlap++;
	}
	CHECK(months >= 3);
	CHECK_INT(misplaced, 0);
	CHECK_INT(overlap, 0);
	/* A legend for two series, bars under the line. */
	CHECK(strstr(svg, ">Daily new cases</text>") != NULL);
	CHECK(strstr(svg, ">7-day average</text>") != NULL);
	CHECK(strstr(svg, "class=\"bar s0\"") < strstr(svg, "class=\"line s1\""));
	save("daily", svg);

	/* Two weeks: day ticks, still with both ends. */
	c.n = 14;
	svg = render(&c);
	CHECK(safe_output(svg));
	n = texts(svg, "<g class=\"axis x\"", t, 64);
	CHECK(has_text(t, n, "2020-01-22") && has_text(t, n, "2020-02-04"));
	CHECK(has_text(t, n, "Jan 27") || has_text(t, n, "Jan 28"));
	save("two_weeks", svg);
}

static void
test_log_scale(void)
{
	static const char *dates[] = { "2020-05-01", "2020-05-02", "2020-05-03",
	    "2020-05-04", "2020-05-05", "2020-05-06" };
	static const double v[] = { 0, -5, 1, 10, 100, 50000 };
	struct chart_series s = { "Cum", v, CHART_BARS };
	struct chart c = { "T", "D", dates, 6, &s, 1, 1, 0, 0 };
	struct txt t[16];
	struct cmd cmds[64];
	int n, k;
	const char *svg = render(&c);

	CHECK(safe_output(svg));
	n = texts(svg, "<g class=\"axis y\"", t, 16);
	CHECK_INT(n, 5);
	CHECK(has_text(t, n, "1") && has_text(t, n, "10") &&
	    has_text(t, n, "100") && has_text(t, n, "1,000") &&
	    has_text(t, n, "10,000"));
	/* Powers of ten evenly spaced. */
	CHECK(n == 5 && fabs((t[0].y - t[1].y) - (t[3].y - t[4].y)) < 0.2);
	/* 0 and -5 not drawn; 1 sits on the bottom: three bars. */
	k = path_of(svg, "<path class=\"bar s0\"", cmds, 64);
	CHECK_INT(k, 3 * 5);
	CHECK(strstr(svg, "class=\"axis zero\"") == NULL);

	/* Cumulative to 250 million: decades in M past a million. */
	{
		static const double v2[] = { 3, 40, 5e3, 7e5, 2e7, 2.5e8 };
		s.values = v2;
		s.style = CHART_LINE;
		svg = render(&c);
		n = texts(svg, "<g class=\"axis y\"", t, 16);
		CHECK_INT(n, 9);
		CHECK(has_text(t, n, "100,000") && has_text(t, n, "1M") &&
		    has_text(t, n, "100M"));
		save("log", svg);
	}
	/* Nothing positive: no data. */
	{
		static const double v3[] = { 0, -1, NAN, 0, 0, 0 };
		s.values = v3;
		svg = render(&c);
		CHECK(safe_output(svg));
		CHECK(strstr(svg, ">No data</text>") != NULL);
	}
}

static void
test_degenerate(void)
{
	static const char *dates[] = { "2020-05-01", "2020-05-02", "2020-05-03" };
	static const char *bad_dates[] = { "2020-02-30", "2020-13-01", "20-1-1" };
	static const char *some_bad[] = { "2020-05-01", NULL, "2020-05-0" };
	static const double nans[] = { NAN, NAN, NAN };
	static const double zeros[] = { 0, 0, 0 };
	static const double huge[] = { 1e300, -1e300, 7 };
	static const double one[] = { 42 };
	struct chart_series s = { "S", nans, CHART_BARS };
	struct chart c = { "Empty", "Nothing", dates, 0, &s, 1, 0, 0, 0 };
	struct txt t[16];
	struct cmd cmds[64];
	const char *svg;
	int n;

	svg = render(&c);                       /* n = 0 */
	CHECK(safe_output(svg));
	CHECK(strstr(svg, ">No data</text>") != NULL);
	CHECK(strstr(svg, ">Empty</title>") != NULL);
	save("empty", svg);

	c.n = 3;                                /* all NAN */
	svg = render(&c);
	CHECK(safe_output(svg));
	CHECK(strstr(svg, ">No data</text>") != NULL);

	s.values = zeros;                       /* all zero */
	svg = render(&c);
	CHECK(safe_output(svg));
	CHECK(strstr(svg, "No data") == NULL);
	n = texts(svg, "<g class=\"axis y\"", t, 16);
	CHECK(n >= 4 && n <= 6 && has_text(t, n, "0"));

	s.values = huge;                        /* beyond 1e15: no data */
	svg = render(&c);
	CHECK(safe_output(svg));
	n = texts(svg, "<g class=\"axis y\"", t, 16);
	CHECK(has_text(t, n, "8") || has_text(t, n, "10"));

	s.values = one;                         /* one point */
	c.n = 1;
	svg = render(&c);
	CHECK(safe_output(svg));
	CHECK_INT(path_of(svg, "<path class=\"bar s0\"", cmds, 64), 5);
	n = texts(svg, "<g class=\"axis x\"", t, 16);
	CHECK(n == 1 && strcmp(t[0].s, "2020-05-01") == 0);
	s.style = CHART_LINE;                   /* one point, as a line: a dot */
	svg = render(&c);
	CHECK(safe_output(svg));
	CHECK(strstr(svg, "h0\"") != NULL);
	save("one_point", svg);

	s.values = zeros;                       /* invalid dates: skipped */
	s.style = CHART_BARS;
	c.dates = bad_dates;
	c.n = 3;
	svg = render(&c);
	CHECK(safe_output(svg));
	CHECK(strstr(svg, ">No data</text>") != NULL);
	c.dates = some_bad;
	svg = render(&c);
	CHECK(safe_output(svg));
	CHECK(strstr(svg, "No data") == NULL);
	c.dates = NULL;
	svg = render(&c);
	CHECK(safe_output(svg));
	CHECK(strstr(svg, ">No data</text>") != NULL);

	c.dates = dates;                        /* no series at all */
	c.series = NULL;
	c.nseries = 0;
	c.title = NULL;
	c.description = NULL;
	svg = render(&c);
	CHECK(safe_output(svg));

	c.series = &s;                          /* sizes */
	c.nseries = 1;
	c.width = 400;
	c.height = 200;
	svg = render(&c);
	CHECK(strstr(svg, " viewBox=\"0 0 400 200\"") != NULL);
	c.width = 5;
	c.height = -3;
	svg = render(&c);
	CHECK(strstr(svg, " viewBox=\"0 0 160 300\"") != NULL);
	CHECK(safe_output(svg));
}

/* Random charts: always well-formed, never "nan"/"inf", 4-6 linear ticks. */
static void
test_random(void)
{
	static const char *dates[64];
	static char dbuf[64][11];
	static double vals[3][64];
	struct chart_series s[3];
	struct chart c;
	struct txt t[32];
	int iter, bad = 0, badticks = 0, i, k, n;
	long d0 = epoch_day("2020-01-22");

	srand(7);
	for (iter = 0; iter < 2000; iter++) {
		long day = d0 + rand() % 1000;
		/* Ticks are no finer than 0.001: data from 0.1 up. */
		double mag = pow(10, rand() % 11 - 1);
		int nn = rand() % 40;
		for (i = 0; i < nn; i++) {
			iso_of(day, dbuf[i]);
			dates[i] = dbuf[i];
			day += 1 + (rand() % 4 == 0 ? rand() % 30 : 0);
			for (k = 0; k < 3; k++) {
				int r = rand() % 20;
				vals[k][i] = r == 0 ? NAN : r == 1 ? INFINITY :
				    r == 2 ? -INFINITY : r == 3 ? 0 :
				    mag * ((double)rand() / RAND_MAX -
				    (r < 6 ? 1 : 0));
			}
		}
		memset(&c, 0, sizeof c);
		c.title = "Random";
		c.description = "Random data";
		c.dates = dates;
		c.n = (size_t)nn;
		c.series = s;
		c.nseries = (size_t)(1 + rand() % 3);
		c.log_scale = rand() % 4 == 0;
		for (k = 0; k < 3; k++) {
			s[k].label = "Series";
			s[k].values = vals[k];
			s[k].style = rand() % 2 ? CHART_BARS : CHART_LINE;
		}
		{
			const char *svg = render(&c);
			if (!safe_output(svg)) {
				if (bad++ == 0)
					printf("# bad output: %.300s\n", svg);
				continue;
			}
			if (c.log_scale || strstr(svg, "No data") != NULL)
				continue;
			n = texts(svg, "<g class=\"axis y\"", t, 32);
			if (n < 4 || n > 6) {
				if (badticks++ < 20) {
					printf("# %d ticks, mag %g:", n, mag);
					for (i = 0; i < n; i++)
						printf(" %s", t[i].s);
					printf("\n");
				}
			}
		}
	}
	CHECK_INT(bad, 0);
	CHECK_INT(badticks, 0);
}

/* The points a line's d goes through, as positions: x, y, x, y, ...
 * (its "M" and each "l" step made absolute); their number of values, or
 * -1 for anything else in the path. */
static int
line_points(const char *d, double *out, int max)
{
	static struct cmd cmds[2 * NLONG];
	int n = parse_path_absolute(d, cmds, 2 * NLONG), i, k = 0;

	for (i = 0; i < n; i++) {
		if ((cmds[i].c != 'M' && cmds[i].c != 'L') || k + 2 > max)
			return -1;
		out[k++] = cmds[i].v[0];
		out[k++] = cmds[i].v[1];
	}
	return n < 0 ? -1 : k;
}

/* Dense bars (under 2 px a day) are drawn as their outline; the outline
 * must still show every bar's top where that bar is. Read back: each day's
 * height over the zero line, against its value on the scale of the
 * tallest bar. */
static void
test_dense_bars_outline(void)
{
	static char d[1 << 16];
	static struct cmd cmds[8192];
	static double top[NLONG];
	struct chart_series s = { "Daily", long_daily, CHART_BARS };
	struct chart c = { "T", "D", long_datep, NLONG, &s, 1, 0, 0, 0 };
	struct cmd zero[4];
	const char *svg = render(&c);
	double zy, pl, pr, dw, x = 0, y = 0, vmax = 0, ymin, k;
	int n, i, j, covered = 0, off = 0;

	CHECK(safe_output(svg));
	CHECK_INT(path_of(svg, "<path class=\"axis zero\"", zero, 4), 2);
	CHECK(attr(svg, "<path class=\"bar s0\"", "d", d, sizeof d));
	n = parse_path_absolute(d, cmds, 8192);
	CHECK(n > 4 && cmds[0].c == 'M');
	if (n <= 4 || zero[0].n != 2 || zero[1].n != 1)
		return;
	zy = zero[0].v[1];
	pl = zero[0].v[0];
	pr = zero[1].v[0];
	dw = (pr - pl) / NLONG;
	CHECK(dw < 2);
	for (i = 0; i < NLONG; i++)
		top[i] = NAN;
	ymin = zy;
	/* Walk the outline: every H at height y covers the days whose
	 * centres it spans. */
	for (j = 0; j < n; j++) {
		switch (cmds[j].c) {
		case 'M':
			x = cmds[j].v[0];
			y = cmds[j].v[1];
			CHECK(fabs(y - zy) < 0.11);
			break;
		case 'V':
			y = cmds[j].v[0];
			break;
		case 'H':
			for (i = 0; i < NLONG; i++) {
				double cx = pl + (i + 0.5) * dw;
				if (cx > x && cx < cmds[j].v[0]) {
					top[i] = y;
					covered++;
				}
			}
			x = cmds[j].v[0];
			if (y < ymin)
				ymin = y;
			break;
		}
	}
	CHECK_INT(covered, NLONG);
	for (i = 0; i < NLONG; i++)
		if (long_daily[i] > vmax)
			vmax = long_daily[i];
	k = (zy - ymin) / vmax;
	for (i = 0; i < NLONG; i++) {
		/* 0.05 px rounding at each end, 0.05 px of step merging. */
		if (!(fabs(top[i] - (zy - long_daily[i] * k)) < 0.16)) {
			if (off++ < 5)
				printf("# day %d: top %.2f, expected %.2f\n", i,
				    top[i], zy - long_daily[i] * k);
		}
	}
	CHECK_INT(off, 0);
	/* The negative day hangs below the zero line. */
	CHECK(top[900] > zy + 1);
	/* Steps of about 7 bytes a day ("h.6v-2.1"), not 27 as separate
	 * bars or 11 as positions ("H412.8V187.3"). */
	printf("# dense bars: %zu bytes for %d days\n", strlen(d), NLONG);
	CHECK(strlen(d) < (size_t)NLONG * 8);
}

/* The distance of (px, py) from the segment a-b (the test's own). */
static double
seg_distance(double px, double py, double ax, double ay, double bx, double by)
{
	double dx = bx - ax, dy = by - ay, t = 0;

	if (dx != 0 || dy != 0)
		t = fmax(0, fmin(1, ((px - ax) * dx + (py - ay) * dy) /
		    (dx * dx + dy * dy)));
	return hypot(px - ax - t * dx, py - ay - t * dy);
}

/* A long line is simplified (web/polyline.h); what is drawn must stay
 * within a third of a pixel of every day's value. */
static void
test_long_line_close(void)
{
	static char d[1 << 16];
	static double num[2 * NLONG + 2];
	struct chart_series s = { "Cumulative", long_cum, CHART_LINE };
	struct chart c = { "T", "D", long_datep, NLONG, &s, 1, 0, 0, 0 };
	struct cmd zero[4];
	const char *svg = render(&c);
	double zy, pl, pr, dw, k;
	int n, i, j = 0, off = 0;

	CHECK(safe_output(svg));
	CHECK_INT(path_of(svg, "<path class=\"axis zero\"", zero, 4), 2);
	CHECK(attr(svg, "<path class=\"line s0\"", "d", d, sizeof d));
	CHECK_INT(count(d, "M"), 1);
	n = line_points(d, num, 2 * NLONG + 2);
	CHECK(n >= 4 && n % 2 == 0);
	if (n < 4 || n % 2 != 0 || zero[0].n != 2 || zero[1].n != 1)
		return;
	n /= 2;
	printf("# cumulative line: %d of %d points drawn, %zu bytes\n", n,
	    NLONG, strlen(d));
	CHECK(n < NLONG / 4);
	zy = zero[0].v[1];
	pl = zero[0].v[0];
	pr = zero[1].v[0];
	dw = (pr - pl) / NLONG;
	/* The last point is always drawn: it gives the scale. */
	k = (zy - num[2 * n - 1]) / long_cum[NLONG - 1];
	for (i = 0; i < NLONG; i++) {
		double cx = pl + (i + 0.5) * dw, want = zy - long_cum[i] * k;
		double best = INFINITY;
		int m;
		while (j < n - 2 && num[2 * (j + 1)] <= cx)
			j++;
		/* Distance across the line (what the eye sees of a stroke),
		 * to the nearest drawn segment. */
		for (m = j > 2 ? j - 2 : 0; m < n - 1 && m <= j + 2; m++)
			best = fmin(best, seg_distance(cx, want, num[2 * m],
			    num[2 * m + 1], num[2 * m + 2], num[2 * m + 3]));
		/* 0.25 px simplification, 0.05 px rounding of each end. */
		if (!(best < 0.36) && off++ < 5)
			printf("# day %d: %.2f px from the line\n", i, best);
	}
	CHECK_INT(off, 0);
}

static void
test_size_and_speed(void)
{
	struct chart_series s[2] = {
		{ "Daily new cases", long_daily, CHART_BARS },
		{ "7-day average", long_avg, CHART_LINE },
	};
	struct chart c = { "New cases", "Daily new cases, 7-day average",
	    long_datep, NLONG, s, 2, 0, 0, 0 };
	struct chart_series cs = { "Confirmed", long_cum, CHART_LINE };
	struct chart cc = { "Confirmed", "Cumulative cases", long_datep, NLONG,
	    &cs, 1, 0, 0, 0 };
	struct timespec t0, t1;
	double us;
	size_t bytes;
	int i, runs = 200;

	bytes = strlen(render(&c));
	printf("# %zu bytes for %d days x 2 series\n", bytes, NLONG);
	/* O(n), compact: under 40 bytes per point and series. */
	CHECK(bytes < 2 * NLONG * 40);
	save("cumulative", render(&cc));
	cc.log_scale = 1;
	save("cumulative_log", render(&cc));

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	for (i = 0; i < runs; i++)
		render(&c);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
	us = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 +
	    (double)(t1.tv_nsec - t0.tv_nsec)) / 1e3 / runs;
	printf("# %.1f us per %d-point 2-series chart (this build)\n", us,
	    NLONG);
	/* Well under 1 ms in a release build; this bound holds under
	 * ASan/UBSan too. Under valgrind (tests/e2e/valgrind.sh says so in
	 * COVID_UNDER_VALGRIND) everything runs 20-50 times slower. */
	if (getenv("COVID_UNDER_VALGRIND") != NULL)
		CHECK(us < 100 * 1000);
	else
		CHECK(us < 1000);
}

static void
test_sink_failure(void)
{
	struct chart_series s[2] = {
		{ "Daily new cases", long_daily, CHART_BARS },
		{ "7-day average", long_avg, CHART_LINE },
	};
	struct chart c = { "New cases", "D", long_datep, NLONG, s, 2, 0, 0, 0 };
	struct sink bad = { NULL, NULL, 1, 0 };   /* already failed */

	chart_svg(&bad, &c);                      /* must not call write */
	CHECK(bad.failed && bad.bytes == 0);
}

int
main(void)
{
	make_long();
	test_accessibility();
	test_hostile_text();
	test_ticks_known_range();
	test_negative_bars();
	test_line_gaps();
	test_x_by_date();
	test_date_axis();
	test_log_scale();
	test_degenerate();
	test_random();
	test_dense_bars_outline();
	test_long_line_close();
	test_size_and_speed();
	test_sink_failure();
	membuf_free(&mb);
	return check_exit();
}
