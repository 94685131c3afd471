/* geo_build: Natural Earth's 1:110m countries (GeoJSON) to the portal's
 * world map geometry, data/geo/world.tsv: one line per country, its JHU
 * ISO3 code, a tab, and SVG path data in the viewBox the header names.
 * Run once, by hand (make geo), when the source or the drawing changes;
 * the portal reads only the committed output.
 *
 *   geo_build ne_110m_admin_0_countries.json > data/geo/world.tsv
 *
 * Projection: Equal Earth (Šavrič, Patterson and Jenny, 2018). A
 * choropleth asks the eye to compare coloured areas, so the projection
 * must keep areas in proportion (Robinson does not: it enlarges the high
 * latitudes), and Equal Earth does so with the familiar rounded outline
 * and without Mollweide's squeezed edges. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_tree.h>

#include "web/polyline.h"

enum { MAP_WIDTH = 960 };
/* A dropped point stays within this many pixels of the outline drawn. */
#define TOLERANCE 0.3

/* Equal Earth's polynomial coefficients (the projection's paper). */
static const double A1 = 1.340264, A2 = -0.081106, A3 = 0.000893, A4 = 0.003796;

/* The one table of codes where Natural Earth's and JHU's differ: Natural
 * Earth's ADM0_A3 (used when ISO_A3 is -99, or for a disputed area) and
 * the iso3 of JHU's UID_ISO_FIPS_LookUp_Table.csv. */
static const struct { const char *ne, *jhu; } code_exceptions[] = {
	{ "KOS", "XKS" },   /* Kosovo */
	{ "PSX", "PSE" },   /* Palestine */
	{ "SDS", "SSD" },   /* South Sudan */
	{ "SAH", "ESH" },   /* Western Sahara */
};

static void
equal_earth(double lon, double lat, double *x, double *y)
{
	double lam = lon * M_PI / 180, phi = lat * M_PI / 180;
	double t = asin(sqrt(3) / 2 * sin(phi)), t2 = t * t, t6 = t2 * t2 * t2;

	*x = 2 * sqrt(3) * lam * cos(t) /
	    (3 * (9 * A4 * t6 * t2 + 7 * A3 * t6 + 3 * A2 * t2 + A1));
	*y = t * (A4 * t6 * t2 + A3 * t6 + A2 * t2 + A1);
}

/* The projected world's half-width and half-height (at lon 180, lat 90). */
static double half_w, half_h, scale;

static void
to_pixels(double lon, double lat, double *px, double *py)
{
	double x, y;

	equal_earth(lon, lat, &x, &y);
	*px = (x + half_w) * scale;
	*py = (half_h - y) * scale;
}

static const char *
str_at(yajl_val v, const char *key)
{
	const char *path[] = { key, NULL };
	yajl_val s = yajl_tree_get(v, path, yajl_t_string);

	return s ? YAJL_GET_STRING(s) : NULL;
}

/* The country's JHU code: ISO_A3, else ADM0_A3, through the exceptions. */
static const char *
jhu_code(yajl_val props)
{
	const char *code = str_at(props, "ISO_A3");

	if (code == NULL || strcmp(code, "-99") == 0)
		code = str_at(props, "ADM0_A3");
	if (code == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof code_exceptions / sizeof code_exceptions[0]; i++)
		if (strcmp(code, code_exceptions[i].ne) == 0)
			return code_exceptions[i].jhu;
	return code;
}

/* Tenths of a pixel, as whole numbers: the path's coordinates. */
static long
tenths(double v)
{
	return lround(v * 10);
}

static void
put_tenths(long v, int lead)
{
	/* A separator only where the sign does not already separate. */
	if (lead && v >= 0)
		putchar(' ');
	if (v < 0) {
		putchar('-');
		v = -v;
	}
	if (v % 10 == 0)
		printf("%ld", v / 10);
	else
		printf("%ld.%ld", v / 10, v % 10);
}

/* One ring (a closed list of lon/lat pairs) as "M x y l dx dy ... z", its
 * points simplified to the drawn size and rounded to a tenth of a pixel.
 * A ring that shrinks below three distinct points is not drawn. */
static int
write_ring(yajl_val ring)
{
	static double x[POLYLINE_MAX], y[POLYLINE_MAX];
	static unsigned char keep[POLYLINE_MAX];
	static long kx[POLYLINE_MAX], ky[POLYLINE_MAX];
	size_t n = 0, nk = 0;

	if (!YAJL_IS_ARRAY(ring))
		return -1;
	for (size_t i = 0; i < ring->u.array.len && n < POLYLINE_MAX; i++) {
		yajl_val pt = ring->u.array.values[i];
		if (!YAJL_IS_ARRAY(pt) || pt->u.array.len < 2 ||
		    !YAJL_IS_NUMBER(pt->u.array.values[0]) ||
		    !YAJL_IS_NUMBER(pt->u.array.values[1]))
			return -1;
		to_pixels(YAJL_GET_DOUBLE(pt->u.array.values[0]),
		    YAJL_GET_DOUBLE(pt->u.array.values[1]), &x[n], &y[n]);
		n++;
	}
	if (ring->u.array.len > POLYLINE_MAX) {
		fprintf(stderr, "geo_build: a ring of %zu points (at most %d)\n",
		    ring->u.array.len, POLYLINE_MAX);
		return -1;
	}
	polyline_simplify(x, y, n, TOLERANCE, keep);
	for (size_t i = 0; i < n; i++) {
		if (!keep[i])
			continue;
		long px = tenths(x[i]), py = tenths(y[i]);
		if (nk > 0 && px == kx[nk - 1] && py == ky[nk - 1])
			continue;
		kx[nk] = px;
		ky[nk] = py;
		nk++;
	}
	/* The closing point repeats the first: z draws that side. */
	if (nk > 1 && kx[nk - 1] == kx[0] && ky[nk - 1] == ky[0])
		nk--;
	if (nk < 3)
		return 0;
	putchar('M');
	put_tenths(kx[0], 0);
	put_tenths(ky[0], 1);
	putchar('l');
	for (size_t i = 1; i < nk; i++) {
		put_tenths(kx[i] - kx[i - 1], i > 1);
		put_tenths(ky[i] - ky[i - 1], 1);
	}
	putchar('z');
	return 1;
}

/* A polygon's rings: the outline, then its holes (fill-rule evenodd). */
static int
write_polygon(yajl_val poly)
{
	int drawn = 0;

	if (!YAJL_IS_ARRAY(poly))
		return -1;
	for (size_t i = 0; i < poly->u.array.len; i++) {
		int r = write_ring(poly->u.array.values[i]);
		if (r < 0)
			return -1;
		if (i == 0 && r == 0)
			break;   /* the outline vanished: so do its holes */
		drawn += r;
	}
	return drawn;
}

static int
write_feature(yajl_val f)
{
	const char *props_path[] = { "properties", NULL };
	const char *geom_path[] = { "geometry", NULL };
	yajl_val props = yajl_tree_get(f, props_path, yajl_t_object);
	yajl_val geom = yajl_tree_get(f, geom_path, yajl_t_object);
	const char *code, *type;
	const char *coords_path[] = { "coordinates", NULL };
	yajl_val coords;
	int drawn = 0;

	if (props == NULL || geom == NULL || (code = jhu_code(props)) == NULL ||
	    (type = str_at(geom, "type")) == NULL ||
	    (coords = yajl_tree_get(geom, coords_path, yajl_t_array)) == NULL)
		return -1;
	if (strlen(code) != 3) {
		fprintf(stderr, "geo_build: a country without a code (%s)\n", code);
		return -1;
	}
	printf("%s\t", code);
	if (strcmp(type, "Polygon") == 0)
		drawn = write_polygon(coords);
	else if (strcmp(type, "MultiPolygon") == 0)
		for (size_t i = 0; i < coords->u.array.len && drawn >= 0; i++) {
			int r = write_polygon(coords->u.array.values[i]);
			drawn = r < 0 ? -1 : drawn + r;
		}
	else
		drawn = -1;
	putchar('\n');
	if (drawn <= 0)
		fprintf(stderr, "geo_build: %s: %s\n", code,
		    drawn < 0 ? "geometry not understood" : "nothing left to draw");
	return drawn > 0 ? 0 : -1;
}

static char *
slurp(const char *file)
{
	FILE *fp = fopen(file, "rb");
	char *buf = NULL;
	long len;

	if (fp == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (len = ftell(fp)) >= 0 &&
	    fseek(fp, 0, SEEK_SET) == 0 && (buf = malloc((size_t)len + 1)) != NULL) {
		if (fread(buf, 1, (size_t)len, fp) != (size_t)len) {
			free(buf);
			buf = NULL;
		} else
			buf[len] = '\0';
	}
	fclose(fp);
	return buf;
}

int
main(int argc, char **argv)
{
	char err[256];
	char *text;
	yajl_val root, feats;
	const char *feats_path[] = { "features", NULL };
	int rc = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: geo_build ne_110m_admin_0_countries.json\n");
		return 2;
	}
	if ((text = slurp(argv[1])) == NULL) {
		perror(argv[1]);
		return 1;
	}
	if ((root = yajl_tree_parse(text, err, sizeof err)) == NULL) {
		fprintf(stderr, "geo_build: %s: %s\n", argv[1], err);
		free(text);
		return 1;
	}
	if ((feats = yajl_tree_get(root, feats_path, yajl_t_array)) == NULL) {
		fprintf(stderr, "geo_build: %s: no features\n", argv[1]);
		rc = 1;
	} else {
		double hx, hy;
		equal_earth(180, 90, &hx, &hy);
		half_h = hy;
		equal_earth(180, 0, &hx, &hy);
		half_w = hx;
		scale = MAP_WIDTH / (2 * half_w);
		printf("# world.tsv: the portal's world map, made by tools/geo_build.c "
		    "(make geo); do not edit.\n"
		    "# Source: Natural Earth 1:110m Admin 0 countries, version 4.0.0 "
		    "(public domain). Made with Natural Earth.\n"
		    "# Projection: Equal Earth; simplified to %.1f px.\n"
		    "# viewBox 0 0 %d %ld\n", TOLERANCE, MAP_WIDTH,
		    lround(2 * half_h * scale));
		for (size_t i = 0; i < feats->u.array.len; i++)
			if (write_feature(feats->u.array.values[i]) != 0)
				rc = 1;
	}
	yajl_tree_free(root);
	free(text);
	return rc;
}
