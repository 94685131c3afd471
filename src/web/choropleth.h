/* choropleth: a map of areas coloured by a value, drawn on the server as
 * inline SVG (no script, no tiles), and the geometry it draws.
 *
 * Geometry: a text file made once by tools/geo_build.c (data/geo/world.tsv,
 * us_states.tsv, us_counties.tsv): '#' lines (one of them "# viewBox 0 0 W
 * H"), then one line per area, a code of 2 to 5 upper-case letters or
 * digits (ISO3, state or county FIPS), a tab and SVG path data already
 * projected into that viewBox (tools/geo_build writes tenths of a pixel
 * as integers: "# viewBox 0 0 9600 4670"; any unit reads the same). It is read once at start-up, never per
 * request; each shape's bounding box is found then, for zoomed maps.
 *
 * Bins: quantiles of the values shown, so each colour holds about as many
 * areas and the colours separate them (counts of cases span six orders of
 * magnitude; equal-width bins would paint nearly every country the
 * lightest colour). A value's bin is the number of cut points at or below
 * it, so a higher value never gets a lighter colour. Palette: ColorBrewer
 * YlOrRd, a sequential scheme safe for colour-blind readers. Areas without
 * a value get a hatched pattern (id "nodata") the legend explains.
 *
 * Output follows chart.h: presentation attributes (never style=""), every
 * text through esc_html, fixed ids. The areas are drawn in groups by
 * fill, <g class="bN" fill="#rrggbb"> for bin N, <g class="nodata"
 * fill="url(#nodata)">, <g class="plain"> for a locator's background,
 * each area an <a href> (when it has a link) around <path data-code="CODE"
 * d="..."><title>...</title></path>: the fill said once per group, not
 * once per area. */
#ifndef COVID_CHOROPLETH_H
#define COVID_CHOROPLETH_H

#include <stddef.h>

#include "base/sink.h"

#define GEO_CODE_MAX 5
/* The width in CSS pixels the maps are designed for: strokes and the
 * hatching are sized for the whole map drawn this wide, whatever the
 * geometry's unit (its viewBox's width). */
#define CHORO_DRAWN_WIDTH 960

struct geo_shape {
	char        code[GEO_CODE_MAX + 1];   /* "FRA", "27", "27053" */
	const char *path;       /* SVG path data, NUL-terminated */
	float       minx, miny, maxx, maxy;   /* the points' bounds */
};

struct geo_world {
	char             *text;     /* the file, split in place */
	struct geo_shape *shapes;   /* in the file's order */
	size_t           *by_code;  /* shape indexes, in code order */
	size_t            n;
	int               width, height;   /* the viewBox */
};

/* Reads text (NUL-terminated, modified in place, kept by g) as above. 0, or
 * -1 with the line and reason in err: a code that is not 2 to 5 upper-case
 * letters or digits, a code twice, path data with other characters than SVG's "MmLlZz", digits,
 * '.', '-' and spaces, a line without a tab, no viewBox. */
int geo_parse(char *text, struct geo_world *g, char *err, size_t errlen);
/* Loads the file; 0, or -1 after logging. */
int geo_load(const char *file, struct geo_world *g);
void geo_free(struct geo_world *g);
/* The index of the shape with code, or -1: a binary search. */
long geo_find(const struct geo_world *g, const char *code);

#define CHORO_MAX_BINS 6

struct choro_bins {
	size_t n;                          /* bins in use, 0 when no values */
	double cut[CHORO_MAX_BINS - 1];    /* bin i holds cut[i-1] <= v < cut[i] */
	double lo[CHORO_MAX_BINS], hi[CHORO_MAX_BINS];   /* the values in it */
	size_t count[CHORO_MAX_BINS];
};

/* Quantile bins over v[0..n) (finite values), at most nbins
 * (<= CHORO_MAX_BINS); fewer when the values have fewer distinct ones.
 * scratch holds n doubles. */
void choro_quantiles(const double *v, size_t n, size_t nbins, double *scratch,
    struct choro_bins *b);
size_t choro_bin(const struct choro_bins *b, double v);
/* "#rrggbb" of bin i of b: lighter to darker as i grows. */
const char *choro_colour(const struct choro_bins *b, size_t i);

/* One area to draw: the shape with its code, a link, a title ("Name:
 * value (date)", escaped here) and its value. */
struct choro_area {
	const char *code;
	const char *href;      /* NULL: no link */
	const char *title;
	double      value;
	int         has_value;
};

/* Writes the map: every shape of g, filled by its area's bin, or with the
 * no-data pattern when no area has its code or the area has no value.
 * areas[] are found by code (geo_find: O(n log shapes)). title names the
 * map (its <title>). */
void choropleth_svg(struct sink *out, const struct geo_world *g,
    const struct choro_bins *b, const struct choro_area *areas, size_t n,
    const char *title);

/* Part of a map: the shapes whose code starts with prefix, in a viewBox
 * around them (a margin of pad pixels of the whole map drawn
 * CHORO_DRAWN_WIDTH wide), the strokes and the
 * pattern scaled with it so they look the same at any zoom. */
struct choro_view {
	const char *prefix;   /* "" or NULL: every shape, the whole viewBox */
	double      pad;
	double      stroke;   /* the outlines' width at full size; 0: 0.4 */
	const char *nodata_fill;   /* NULL: the hatched pattern; else this
	                            * colour and no title (a locator's plain
	                            * background) */
};
void choropleth_svg_view(struct sink *out, const struct geo_world *g,
    const struct choro_bins *b, const struct choro_area *areas, size_t n,
    const char *title, const struct choro_view *view);

#endif
