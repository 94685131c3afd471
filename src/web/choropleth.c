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
	for (int i = 0; i < 3; i++)
		if (s[i] < 'A' || s[i] > 'Z')
			return 0;
	return s[3] == '\0';
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
			    "the code is not 3 upper-case letters");
			goto fail;
		}
		memcpy(g->shapes[g->n].code, line, 4);
		g->shapes[g->n++].path = tab + 1;
	}
	if (g->width == 0) {
		snprintf(err, errlen, "no \"# viewBox 0 0 W H\" line");
		goto fail;
	}
	return 0;
fail:
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

static const struct choro_area *
area_for(const struct choro_area *areas, size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (areas[i].code != NULL && strcmp(areas[i].code, code) == 0)
			return &areas[i];
	return NULL;
}

void
choropleth_svg(struct sink *out, const struct geo_world *g,
    const struct choro_bins *b, const struct choro_area *areas, size_t n,
    const char *title)
{
	sink_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "class=\"map\" viewBox=\"0 0 %d %d\" role=\"img\" "
	    "aria-labelledby=\"map-title\">", g->width, g->height);
	sink_puts(out, "<title id=\"map-title\">");
	esc_html(out, title);
	sink_puts(out, "</title><defs><pattern id=\"nodata\" width=\"6\" "
	    "height=\"6\" patternUnits=\"userSpaceOnUse\" "
	    "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" "
	    "fill=\"#f4f4f4\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" "
	    "stroke=\"#999\" stroke-width=\"2\"/></pattern></defs>"
	    "<g stroke=\"#fff\" stroke-width=\"0.4\" fill-rule=\"evenodd\">");
	for (size_t i = 0; i < g->n; i++) {
		const struct geo_shape *s = &g->shapes[i];
		const struct choro_area *a = area_for(areas, n, s->code);
		int filled = a != NULL && a->has_value && b->n > 0;

		if (a != NULL && a->href != NULL) {
			sink_puts(out, "<a href=\"");
			esc_html(out, a->href);
			sink_puts(out, "\">");
		}
		sink_printf(out, "<path data-code=\"%s\" ", s->code);
		if (filled)
			sink_printf(out, "class=\"area b%zu\" fill=\"%s\"",
			    choro_bin(b, a->value), choro_colour(b, choro_bin(b, a->value)));
		else
			sink_puts(out, "class=\"area nodata\" fill=\"url(#nodata)\"");
		sink_puts(out, " d=\"");
		sink_puts(out, s->path);
		sink_puts(out, "\"><title>");
		esc_html(out, a != NULL ? a->title : "No data");
		sink_puts(out, "</title></path>");
		if (a != NULL && a->href != NULL)
			sink_puts(out, "</a>");
	}
	sink_puts(out, "</g></svg>");
}
