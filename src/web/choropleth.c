/* choropleth: the geometry file, quantile bins and the SVG map (see
 * choropleth.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "web/choropleth.h"
#include "web/escape.h"

/* ColorBrewer YlOrRd, 6 classes, lightest first. */
static const char *const palette[CHORO_MAX_BINS] = {
	"#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026",
};

static int
code_ok(const char *s)
{
	size_t len = strlen(s);

	if (len < 2 || len > GEO_CODE_MAX)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
			return 0;
	return 1;
}

/* The bounds of path data as tools/geo_build.c writes it: "M x y" starts
 * a ring at an absolute point, "l dx dy ..." moves by relative steps
 * (M's further pairs are absolute, as SVG reads them), z closes. */
static void
path_bounds(struct geo_shape *s)
{
	const char *p = s->path;
	char cmd = 'M';
	double x = 0, y = 0;
	int first = 1;

	while (*p) {
		char *end;
		double a, b;
		if (strchr("MmLlZz", *p) != NULL) {
			cmd = *p++;
			continue;
		}
		if (*p == ' ') {
			p++;
			continue;
		}
		a = strtod(p, &end);
		if (end == p)
			break;
		p = end;
		while (*p == ' ')
			p++;
		b = strtod(p, &end);
		if (end == p)
			break;
		p = end;
		if (cmd == 'M' || cmd == 'L') {
			x = a;
			y = b;
		} else {
			x += a;
			y += b;
		}
		if (cmd == 'M')
			cmd = 'L';
		else if (cmd == 'm')
			cmd = 'l';
		if (first || x < s->minx) s->minx = (float)x;
		if (first || x > s->maxx) s->maxx = (float)x;
		if (first || y < s->miny) s->miny = (float)y;
		if (first || y > s->maxy) s->maxy = (float)y;
		first = 0;
	}
}

static const struct geo_world *sort_world;   /* qsort's context */

static int
cmp_code(const void *a, const void *b)
{
	return strcmp(sort_world->shapes[*(const size_t *)a].code,
	    sort_world->shapes[*(const size_t *)b].code);
}

long
geo_find(const struct geo_world *g, const char *code)
{
	size_t lo = 0, hi = g->n;

	if (code == NULL || g->by_code == NULL)
		return -1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(g->shapes[g->by_code[mid]].code, code);
		if (c == 0)
			return (long)g->by_code[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int
path_ok(const char *s)
{
	if (*s != 'M')
		return 0;
	for (; *s; s++)
		if (strchr("MmLlZz0123456789.- ", *s) == NULL)
			return 0;
	return 1;
}

static size_t
count_lines(const char *s)
{
	size_t n = 1;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

int
geo_parse(char *text, struct geo_world *g, char *err, size_t errlen)
{
	size_t lineno = 0;
	char *line = text, *next;

	memset(g, 0, sizeof *g);
	if ((g->shapes = calloc(count_lines(text), sizeof *g->shapes)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	g->text = text;
	for (; line != NULL && *line != '\0'; line = next) {
		char *tab;
		lineno++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (*line == '#') {
			int w, h;
			if (sscanf(line, "# viewBox 0 0 %d %d", &w, &h) == 2 &&
			    w > 0 && h > 0) {
				g->width = w;
				g->height = h;
			}
			continue;
		}
		if ((tab = strchr(line, '\t')) == NULL) {
			snprintf(err, errlen, "line %zu: no tab", lineno);
			goto fail;
		}
		*tab = '\0';
		if (!code_ok(line) || !path_ok(tab + 1)) {
			snprintf(err, errlen, "line %zu: %s", lineno, code_ok(line) ?
			    "the path data is not M, L, Z and numbers" :
			    "the code is not 2 to 5 upper-case letters or digits");
			goto fail;
		}
		memcpy(g->shapes[g->n].code, line, strlen(line) + 1);
		g->shapes[g->n].path = tab + 1;
		path_bounds(&g->shapes[g->n++]);
	}
	if (g->width == 0) {
		snprintf(err, errlen, "no \"# viewBox 0 0 W H\" line");
		goto fail;
	}
	if ((g->by_code = calloc(g->n + 1, sizeof *g->by_code)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < g->n; i++)
		g->by_code[i] = i;
	sort_world = g;
	qsort(g->by_code, g->n, sizeof *g->by_code, cmp_code);
	for (size_t i = 1; i < g->n; i++)
		if (strcmp(g->shapes[g->by_code[i]].code,
		    g->shapes[g->by_code[i - 1]].code) == 0) {
			snprintf(err, errlen, "the code %s twice",
			    g->shapes[g->by_code[i]].code);
			goto fail;
		}
	return 0;
fail:
	free(g->by_code);
	free(g->shapes);
	memset(g, 0, sizeof *g);
	return -1;
}

int
geo_load(const char *file, struct geo_world *g)
{
	FILE *fp = fopen(file, "rb");
	char *text = NULL, err[160];
	long len;

	if (fp == NULL) {
		log_err("geo: cannot open %s", file);
		return -1;
	}
	if (fseek(fp, 0, SEEK_END) == 0 && (len = ftell(fp)) >= 0 &&
	    fseek(fp, 0, SEEK_SET) == 0 && (text = malloc((size_t)len + 1)) != NULL &&
	    fread(text, 1, (size_t)len, fp) == (size_t)len)
		text[len] = '\0';
	else {
		free(text);
		text = NULL;
	}
	fclose(fp);
	if (text == NULL) {
		log_err("geo: cannot read %s", file);
		return -1;
	}
	if (geo_parse(text, g, err, sizeof err) != 0) {
		log_err("geo: %s: %s", file, err);
		free(text);
		return -1;
	}
	return 0;
}

void
geo_free(struct geo_world *g)
{
	free(g->by_code);
	free(g->shapes);
	free(g->text);
	memset(g, 0, sizeof *g);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

void
choro_quantiles(const double *v, size_t n, size_t nbins, double *scratch,
    struct choro_bins *b)
{
	size_t ncut = 0;

	memset(b, 0, sizeof *b);
	if (n == 0)
		return;
	if (nbins < 1)
		nbins = 1;
	if (nbins > CHORO_MAX_BINS)
		nbins = CHORO_MAX_BINS;
	memcpy(scratch, v, n * sizeof *v);
	qsort(scratch, n, sizeof *scratch, cmp_double);
	/* Cut k is the value k/nbins of the way up; a cut equal to the one
	 * before it (or the smallest value) would make an empty bin. */
	for (size_t k = 1; k < nbins; k++) {
		double c = scratch[k * n / nbins];
		if (c > scratch[0] && (ncut == 0 || c > b->cut[ncut - 1]))
			b->cut[ncut++] = c;
	}
	b->n = ncut + 1;
	for (size_t i = 0; i < n; i++) {
		size_t k = choro_bin(b, scratch[i]);
		if (b->count[k] == 0)
			b->lo[k] = scratch[i];
		b->hi[k] = scratch[i];
		b->count[k]++;
	}
}

size_t
choro_bin(const struct choro_bins *b, double v)
{
	size_t k = 0;

	while (k + 1 < b->n && v >= b->cut[k])
		k++;
	return k;
}

const char *
choro_colour(const struct choro_bins *b, size_t i)
{
	/* Fewer bins spread over the whole palette, in order. */
	if (b->n <= 1)
		return palette[CHORO_MAX_BINS / 2];
	if (i >= b->n)
		i = b->n - 1;
	return palette[i * (CHORO_MAX_BINS - 1) / (b->n - 1)];
}

/* The viewBox of view over g: the bounds of the shapes it draws, with its
 * margin; 0 when it draws none. */
static int
view_box(const struct geo_world *g, const struct choro_view *view, double vb[4])
{
	size_t plen = view && view->prefix ? strlen(view->prefix) : 0;
	double minx = 0, miny = 0, maxx = 0, maxy = 0, pad;
	int any = 0;

	if (plen == 0) {
		vb[0] = vb[1] = 0;
		vb[2] = g->width;
		vb[3] = g->height;
		return 1;
	}
	for (size_t i = 0; i < g->n; i++) {
		const struct geo_shape *s = &g->shapes[i];
		if (strncmp(s->code, view->prefix, plen) != 0)
			continue;
		if (!any || s->minx < minx) minx = s->minx;
		if (!any || s->miny < miny) miny = s->miny;
		if (!any || s->maxx > maxx) maxx = s->maxx;
		if (!any || s->maxy > maxy) maxy = s->maxy;
		any = 1;
	}
	pad = view->pad * g->width / CHORO_DRAWN_WIDTH;
	vb[0] = minx - pad;
	vb[1] = miny - pad;
	vb[2] = maxx - minx + 2 * pad;
	vb[3] = maxy - miny + 2 * pad;
	return any;
}

void
choropleth_svg(struct sink *out, const struct geo_world *g,
    const struct choro_bins *b, const struct choro_area *areas, size_t n,
    const char *title)
{
	choropleth_svg_view(out, g, b, areas, n, title, NULL);
}

/* Which group a shape is drawn in: its area's bin, or GROUP_PLAIN (a
 * locator's background), or GROUP_NODATA (the pattern), or GROUP_NONE
 * (not in the view). */
enum { GROUP_PLAIN = CHORO_MAX_BINS, GROUP_NODATA, GROUP__MAX, GROUP_NONE };

static int
shape_group(const struct choro_area *a, const struct choro_bins *b,
    const struct choro_view *view)
{
	if (a != NULL && a->has_value && b->n > 0)
		return (int)choro_bin(b, a->value);
	if (view != NULL && view->nodata_fill != NULL)
		return GROUP_PLAIN;
	return GROUP_NODATA;
}

/* One area: its link, its path (the code, the data) and its title. */
static void
write_area(struct sink *out, const struct geo_shape *s,
    const struct choro_area *a, int group)
{
	if (a != NULL && a->href != NULL) {
		sink_puts(out, "<a href=\"");
		esc_html(out, a->href);
		sink_puts(out, "\">");
	}
	sink_printf(out, "<path data-code=\"%s\" d=\"", s->code);
	sink_puts(out, s->path);
	/* A locator's background (a plain fill) is not "no data". */
	if (a == NULL && group == GROUP_PLAIN)
		sink_puts(out, "\"/>");
	else {
		sink_puts(out, "\"><title>");
		esc_html(out, a != NULL ? a->title : "No data");
		sink_puts(out, "</title></path>");
	}
	if (a != NULL && a->href != NULL)
		sink_puts(out, "</a>");
}

void
choropleth_svg_view(struct sink *out, const struct geo_world *g,
    const struct choro_bins *b, const struct choro_area *areas, size_t n,
    const char *title, const struct choro_view *view)
{
	const char *prefix = view && view->prefix ? view->prefix : "";
	size_t plen = strlen(prefix);
	const struct choro_area **by_shape = calloc(g->n + 1, sizeof *by_shape);
	unsigned char *group = calloc(g->n + 1, 1);
	size_t count[GROUP__MAX] = { 0 };
	double vb[4], k;

	if (by_shape == NULL || group == NULL) {
		free(by_shape);
		free(group);
		out->failed = 1;
		return;
	}
	/* O(n log shapes): each area's shape found once. */
	for (size_t i = 0; i < n; i++) {
		long at = geo_find(g, areas[i].code);
		if (at >= 0 && by_shape[at] == NULL)
			by_shape[at] = &areas[i];
	}
	for (size_t i = 0; i < g->n; i++) {
		group[i] = strncmp(g->shapes[i].code, prefix, plen) != 0 ? GROUP_NONE :
		    (unsigned char)shape_group(by_shape[i], b, view);
		if (group[i] != GROUP_NONE)
			count[group[i]]++;
	}
	view_box(g, view, vb);
	/* Strokes and hatching keep their on-screen size at any zoom and in
	 * any unit of the geometry: sized for the whole map drawn
	 * CHORO_DRAWN_WIDTH pixels wide. */
	k = vb[2] / CHORO_DRAWN_WIDTH;
	sink_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "class=\"map\" viewBox=\"%.6g %.6g %.6g %.6g\" role=\"img\" "
	    "aria-labelledby=\"map-title\">", vb[0], vb[1], vb[2], vb[3]);
	sink_puts(out, "<title id=\"map-title\">");
	esc_html(out, title);
	sink_printf(out, "</title><defs><pattern id=\"nodata\" width=\"%.3g\" "
	    "height=\"%.3g\" patternUnits=\"userSpaceOnUse\" "
	    "patternTransform=\"rotate(45)\"><rect width=\"%.3g\" height=\"%.3g\" "
	    "fill=\"#f4f4f4\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"%.3g\" "
	    "stroke=\"#999\" stroke-width=\"%.3g\"/></pattern></defs>"
	    "<g stroke=\"#fff\" stroke-width=\"%.3g\" fill-rule=\"evenodd\">",
	    6 * k, 6 * k, 6 * k, 6 * k, 6 * k, 2 * k,
	    (view && view->stroke > 0 ? view->stroke : 0.4) * k);
	/* The areas grouped by their fill, the fill said once per group
	 * (on a county map, 3,000 fills and classes fewer): the bins in
	 * order, then the plain background, then the hatched "no data".
	 * Neighbours share only their outline, so the order drawn shows no
	 * more than that of the file did. O(shapes * groups). */
	for (int gi = 0; gi < GROUP__MAX; gi++) {
		if (count[gi] == 0)
			continue;
		if (gi < GROUP_PLAIN)
			sink_printf(out, "<g class=\"b%d\" fill=\"%s\">", gi,
			    choro_colour(b, (size_t)gi));
		else if (gi == GROUP_PLAIN)
			sink_printf(out, "<g class=\"plain\" fill=\"%s\">",
			    view->nodata_fill);
		else
			sink_puts(out, "<g class=\"nodata\" fill=\"url(#nodata)\">");
		for (size_t i = 0; i < g->n; i++)
			if (group[i] == gi)
				write_area(out, &g->shapes[i], by_shape[i], gi);
		sink_puts(out, "</g>");
	}
	sink_puts(out, "</g></svg>");
	free(by_shape);
	free(group);
}
