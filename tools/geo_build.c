/* geo_build: GeoJSON outlines to the portal's map geometry files: one line
 * per area, its JHU code, a tab, and SVG path data in the viewBox the
 * header names. Run once, by hand (make geo), when the source or the
 * drawing changes; the portal reads only the committed output.
 *
 *   geo_build world ne_110m_admin_0_countries.json > data/geo/world.tsv
 *   geo_build states ne_110m_admin_1_states_provinces.json > data/geo/us_states.tsv
 *   geo_build counties us_counties_fips.geojson > data/geo/us_counties.tsv
 *   geo_build counties-whole us_counties_fips.geojson > data/geo/us_counties_whole.tsv
 *
 * Units: fractions of a pixel of the map drawn MAP_WIDTH (960) pixels
 * wide, written as integers, the viewBox too ("# viewBox 0 0 1920 934"):
 * no decimal point, no "0." before a small step, and every map page
 * carries them. Halves of a pixel for the world and the states, which are
 * only ever drawn whole (within the simplification's 0.3 px, and a fifth
 * fewer bytes than tenths); tenths for the counties, whose map is zoomed
 * to one state (up to about 7 times). The map of all 3,143 counties is
 * only ever drawn whole, so it has a file of its own in halves of a pixel
 * (counties-whole: the same areas and codes, 40 % fewer bytes on the
 * heaviest page). The portal sizes strokes for the
 * 960-pixel drawing whatever the unit (CHORO_DRAWN_WIDTH).
 *
 * Codes: ISO3 for countries, the 2-digit state FIPS for states, the
 * 5-digit county FIPS for counties: what JHU's lookup table and US reports
 * carry, so the portal joins on codes, never names.
 *
 * World projection: Equal Earth (Šavrič, Patterson and Jenny, 2018). A
 * choropleth asks the eye to compare coloured areas, so the projection
 * must keep areas in proportion (Robinson does not: it enlarges the high
 * latitudes), and Equal Earth does so with the familiar rounded outline
 * and without Mollweide's squeezed edges.
 *
 * US projection: Albers equal-area conic (standard parallels 29.5 and
 * 45.5 degrees north, the usual ones for the 48 states), with Alaska
 * (its own Albers, parallels 55 and 65, at 0.35 of the scale) and Hawaii
 * (parallels 8 and 18) moved into insets at the bottom left, where the
 * Pacific would be. Puerto Rico and the other territories are not drawn
 * (Natural Earth's states file has none; the portal lists them as not on
 * the map). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_tree.h>

#include "web/geo_join.h"
#include "web/polyline.h"

enum { MAP_WIDTH = 960 };
/* A dropped point stays within this many pixels of the outline drawn:
 * less than a third of a pixel for the world and the states; half a pixel
 * for the 3,000 counties, each a few pixels wide, whose page must stay
 * small (the widest zoom of one state is about 4 times the national map,
 * where half a pixel is still 2 pixels). */
static double tolerance = 0.3;

enum map_kind { MAP_WORLD, MAP_STATES, MAP_COUNTIES };
static enum map_kind kind;
/* counties-whole: the counties for the national map alone (see the top). */
static int whole;

/* Equal Earth's polynomial coefficients (the projection's paper). */
static const double A1 = 1.340264, A2 = -0.081106, A3 = 0.000893, A4 = 0.003796;

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

/* Albers equal-area conic (Snyder, Map Projections: A Working Manual,
 * 1987, p. 100) on the unit sphere, for the cone of standard parallels
 * p1, p2 (degrees), centred on lon0, lat0; y grows northwards. */
struct albers { double n, c, rho0, lon0; };

static struct albers
albers_cone(double p1, double p2, double lon0, double lat0)
{
	struct albers a;
	double s1 = sin(p1 * M_PI / 180), s2 = sin(p2 * M_PI / 180);

	a.n = (s1 + s2) / 2;
	a.c = cos(p1 * M_PI / 180) * cos(p1 * M_PI / 180) + 2 * a.n * s1;
	a.rho0 = sqrt(a.c - 2 * a.n * sin(lat0 * M_PI / 180)) / a.n;
	a.lon0 = lon0;
	return a;
}

static void
albers(const struct albers *a, double lon, double lat, double *x, double *y)
{
	double rho = sqrt(a->c - 2 * a->n * sin(lat * M_PI / 180)) / a->n;
	double theta = a->n * (lon - a->lon0) * M_PI / 180;

	*x = rho * sin(theta);
	*y = a->rho0 - rho * cos(theta);
}

/* The US map's parts: each its own cone, and where it goes on the page. */
enum us_part { US_48, US_ALASKA, US_HAWAII, US__MAX };
static struct {
	struct albers cone;
	double        zoom;            /* of the 48 states' scale */
	double        minx, miny, maxx, maxy;   /* projected, a first pass */
	double        dx, dy;          /* pixels = (x, -y) * scale * zoom + d */
} us[US__MAX];
static double us_scale;
static long us_height;
static enum us_part part;          /* the part being drawn */

static void
us_project(enum us_part p, double lon, double lat, double *x, double *y)
{
	/* The Aleutians cross the antimeridian: keep Alaska in one piece. */
	if (p == US_ALASKA && lon > 0)
		lon -= 360;
	albers(&us[p].cone, lon, lat, x, y);
}

static void
project(double lon, double lat, double *px, double *py)
{
	double x, y;

	if (kind == MAP_WORLD) {
		to_pixels(lon, lat, px, py);
		return;
	}
	us_project(part, lon, lat, &x, &y);
	*px = x * us_scale * us[part].zoom + us[part].dx;
	*py = -y * us_scale * us[part].zoom + us[part].dy;
}

static const char *
str_at(yajl_val v, const char *key)
{
	const char *path[] = { key, NULL };
	yajl_val s = yajl_tree_get(v, path, yajl_t_string);

	return s ? YAJL_GET_STRING(s) : NULL;
}

/* The country's JHU code: ISO_A3, else ADM0_A3, through the exceptions
 * table (web/geo_join.c). */
static const char *
jhu_code(yajl_val props)
{
	const char *code = str_at(props, "ISO_A3");

	if (code == NULL || strcmp(code, "-99") == 0)
		code = str_at(props, "ADM0_A3");
	return code == NULL ? NULL : geo_ne_code(code);
}

/* Tenths of a pixel, as whole numbers: the path's coordinates. */
/* The unit written: 1 / units_per_px of a pixel (see the top). */
static int units_per_px = 2;

static long
to_units(double v)
{
	return lround(v * units_per_px);
}

static void
put_units(long v, int lead)
{
	/* A separator only where the sign does not already separate. */
	if (lead && v >= 0)
		putchar(' ');
	printf("%ld", v);
}

/* One ring (a closed list of lon/lat pairs) as "M x y l dx dy ... z", its
 * points simplified to the drawn size and rounded to the unit.
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
		project(YAJL_GET_DOUBLE(pt->u.array.values[0]),
		    YAJL_GET_DOUBLE(pt->u.array.values[1]), &x[n], &y[n]);
		/* A county's point within a tenth of a pixel of the last one
		 * kept adds nothing the rounding below would not take away
		 * again (and keeps the long rings within POLYLINE_MAX). */
		if (kind == MAP_COUNTIES && n > 0 && fabs(x[n] - x[n - 1]) < 0.1 && fabs(y[n] - y[n - 1]) < 0.1 &&
		    i + 1 < ring->u.array.len)
			continue;
		n++;
	}
	if (n == POLYLINE_MAX) {
		fprintf(stderr, "geo_build: a ring of %zu points (at most %d)\n",
		    ring->u.array.len, POLYLINE_MAX);
		return -1;
	}
	polyline_simplify(x, y, n, tolerance, keep);
	for (size_t i = 0; i < n; i++) {
		if (!keep[i])
			continue;
		long px = to_units(x[i]), py = to_units(y[i]);
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
	put_units(kx[0], 0);
	put_units(ky[0], 1);
	putchar('l');
	for (size_t i = 1; i < nk; i++) {
		put_units(kx[i] - kx[i - 1], i > 1);
		put_units(ky[i] - ky[i - 1], 1);
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

/* The feature's code and, on the US maps, its part; NULL for a feature
 * not drawn. Natural Earth's states carry "US27" in fips; the county file
 * has the 5-digit FIPS as the feature's id. */
static const char *
feature_code(yajl_val f, yajl_val props)
{
	const char *code;

	part = US_48;
	switch (kind) {
	case MAP_WORLD:
		return jhu_code(props);
	case MAP_STATES:
		code = str_at(props, "fips");
		if (code == NULL || strncmp(code, "US", 2) != 0)
			return NULL;
		code += 2;
		break;
	case MAP_COUNTIES:
		/* New York City is also there as one merged feature: its five
		 * boroughs (the counties JHU's time series reports) are drawn,
		 * and the portal's exceptions table says so. */
		if ((code = str_at(props, "COUNTY")) != NULL && strcmp(code, "nyc") == 0)
			return NULL;
		code = str_at(f, "id");
		break;
	default:
		return NULL;
	}
	if (code == NULL)
		return NULL;
	if (strncmp(code, "02", 2) == 0)
		part = US_ALASKA;
	else if (strncmp(code, "15", 2) == 0)
		part = US_HAWAII;
	/* Puerto Rico: the county file has it, the states file does not. */
	if (strncmp(code, "72", 2) == 0)
		return NULL;
	return code;
}

static int
code_ok(const char *code)
{
	size_t len = strlen(code), want = kind == MAP_WORLD ? 3 :
	    kind == MAP_STATES ? 2 : 5;

	if (len != want)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (kind == MAP_WORLD ? (code[i] < 'A' || code[i] > 'Z') :
		    (code[i] < '0' || code[i] > '9'))
			return 0;
	return 1;
}

static int
write_shape(const char *type, yajl_val coords)
{
	int drawn = 0;

	if (strcmp(type, "Polygon") == 0)
		drawn = write_polygon(coords);
	else if (strcmp(type, "MultiPolygon") == 0)
		for (size_t i = 0; i < coords->u.array.len && drawn >= 0; i++) {
			int r = write_polygon(coords->u.array.values[i]);
			drawn = r < 0 ? -1 : drawn + r;
		}
	else
		drawn = -1;
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
	int drawn;
	double tol = tolerance;

	if (props == NULL || geom == NULL)
		return -1;
	if ((code = feature_code(f, props)) == NULL && kind != MAP_WORLD)
		return 0;   /* not drawn (see feature_code) */
	if (code == NULL || (type = str_at(geom, "type")) == NULL ||
	    (coords = yajl_tree_get(geom, coords_path, yajl_t_array)) == NULL)
		return -1;
	if (!code_ok(code)) {
		fprintf(stderr, "geo_build: an area without a code (%s)\n", code);
		return -1;
	}
	printf("%s\t", code);
	drawn = write_shape(type, coords);
	/* A county smaller than the tolerance (Virginia's independent cities)
	 * is still a place with figures: drawn as it is rather than lost.
	 * Nothing was written for it yet, so the second try starts clean. */
	if (drawn == 0 && kind == MAP_COUNTIES) {
		tolerance = 0.05;
		drawn = write_shape(type, coords);
		tolerance = tol;
	}
	putchar('\n');
	if (drawn <= 0)
		fprintf(stderr, "geo_build: %s: %s\n", code,
		    drawn < 0 ? "geometry not understood" : "nothing left to draw");
	return drawn > 0 ? 0 : -1;
}

/* Every point's projection, into its part's bounds (the US maps' first
 * pass, which places the parts on the page). */
static void
bound_points(yajl_val v)
{
	if (!YAJL_IS_ARRAY(v) || v->u.array.len == 0)
		return;
	if (YAJL_IS_NUMBER(v->u.array.values[0]) && v->u.array.len >= 2 &&
	    YAJL_IS_NUMBER(v->u.array.values[1])) {
		double x, y;
		us_project(part, YAJL_GET_DOUBLE(v->u.array.values[0]),
		    YAJL_GET_DOUBLE(v->u.array.values[1]), &x, &y);
		if (x < us[part].minx) us[part].minx = x;
		if (x > us[part].maxx) us[part].maxx = x;
		if (y < us[part].miny) us[part].miny = y;
		if (y > us[part].maxy) us[part].maxy = y;
		return;
	}
	for (size_t i = 0; i < v->u.array.len; i++)
		bound_points(v->u.array.values[i]);
}

/* The US page: the 48 states fill the width (with a margin); Alaska and
 * Hawaii sit in the bottom left, below California and Arizona, their
 * bottoms on the 48 states' lowest line (the tip of Texas and Florida). */
static void
place_us(yajl_val feats)
{
	const char *props_path[] = { "properties", NULL };
	const char *coords_path[] = { "geometry", "coordinates", NULL };
	const double margin = 10;
	double bottom;

	us[US_48].cone = albers_cone(29.5, 45.5, -96, 37.5);
	us[US_48].zoom = 1;
	us[US_ALASKA].cone = albers_cone(55, 65, -154, 50);
	us[US_ALASKA].zoom = 0.35;
	us[US_HAWAII].cone = albers_cone(8, 18, -157, 3);
	us[US_HAWAII].zoom = 1;
	for (int p = 0; p < US__MAX; p++) {
		us[p].minx = us[p].miny = HUGE_VAL;
		us[p].maxx = us[p].maxy = -HUGE_VAL;
	}
	for (size_t i = 0; i < feats->u.array.len; i++) {
		yajl_val f = feats->u.array.values[i];
		yajl_val props = yajl_tree_get(f, props_path, yajl_t_object);
		if (props != NULL && feature_code(f, props) != NULL)
			bound_points(yajl_tree_get(f, coords_path, yajl_t_array));
	}
	us_scale = (MAP_WIDTH - 2 * margin) / (us[US_48].maxx - us[US_48].minx);
	us[US_48].dx = margin - us[US_48].minx * us_scale;
	us[US_48].dy = margin + us[US_48].maxy * us_scale;
	bottom = margin + (us[US_48].maxy - us[US_48].miny) * us_scale;
	us[US_ALASKA].dx = margin - us[US_ALASKA].minx * us_scale * us[US_ALASKA].zoom;
	us[US_ALASKA].dy = bottom + us[US_ALASKA].miny * us_scale * us[US_ALASKA].zoom;
	us[US_HAWAII].dx = margin + (us[US_ALASKA].maxx - us[US_ALASKA].minx) *
	    us_scale * us[US_ALASKA].zoom + 2 * margin -
	    us[US_HAWAII].minx * us_scale * us[US_HAWAII].zoom;
	us[US_HAWAII].dy = bottom + us[US_HAWAII].miny * us_scale * us[US_HAWAII].zoom;
	us_height = lround(bottom + margin);
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

static const char *const kind_names[] = { "world", "states", "counties" };

static void
write_header(const char *src)
{
	double hx, hy;

	if (kind == MAP_WORLD) {
		equal_earth(180, 90, &hx, &hy);
		half_h = hy;
		equal_earth(180, 0, &hx, &hy);
		half_w = hx;
		scale = MAP_WIDTH / (2 * half_w);
		printf("# world.tsv: the portal's world map, made by tools/geo_build.c "
		    "(make geo); do not edit.\n"
		    "# Source: Natural Earth 1:110m Admin 0 countries, version 4.0.0 "
		    "(public domain). Made with Natural Earth.\n"
		    "# Projection: Equal Earth; simplified to %.1f px; in units of 1/%d px.\n"
		    "# viewBox 0 0 %d %ld\n", tolerance, units_per_px,
		    MAP_WIDTH * units_per_px, lround(2 * half_h * scale) * units_per_px);
		return;
	}
	printf("# %s: the portal's US %s map, made by tools/geo_build.c "
	    "(make geo); do not edit.\n# Source: %s (public domain).\n"
	    "# Projection: Albers equal-area conic (29.5N, 45.5N), Alaska "
	    "(0.35 scale) and Hawaii inset; simplified to %.1f px; in units of 1/%d px.\n"
	    "# viewBox 0 0 %d %ld\n",
	    kind == MAP_STATES ? "us_states.tsv" :
	    whole ? "us_counties_whole.tsv" : "us_counties.tsv",
	    kind == MAP_STATES ? "state" : "county", src, tolerance,
	    units_per_px, MAP_WIDTH * units_per_px, us_height * units_per_px);
}

int
main(int argc, char **argv)
{
	char err[256];
	char *text;
	yajl_val root, feats;
	const char *feats_path[] = { "features", NULL };
	int rc = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: geo_build world|states|counties|counties-whole "
		    "FILE.json\n");
		return 2;
	}
	whole = strcmp(argv[1], "counties-whole") == 0;
	for (kind = MAP_WORLD; kind <= MAP_COUNTIES; kind++)
		if (strcmp(whole ? "counties" : argv[1], kind_names[kind]) == 0)
			break;
	if (kind > MAP_COUNTIES) {
		fprintf(stderr, "geo_build: %s: not world, states, counties or "
		    "counties-whole\n", argv[1]);
		return 2;
	}
	if (kind == MAP_COUNTIES) {
		tolerance = 0.5;
		units_per_px = whole ? 2 : 10;
	}
	if ((text = slurp(argv[2])) == NULL) {
		perror(argv[2]);
		return 1;
	}
	if ((root = yajl_tree_parse(text, err, sizeof err)) == NULL) {
		fprintf(stderr, "geo_build: %s: %s\n", argv[2], err);
		free(text);
		return 1;
	}
	if ((feats = yajl_tree_get(root, feats_path, yajl_t_array)) == NULL) {
		fprintf(stderr, "geo_build: %s: no features\n", argv[2]);
		rc = 1;
	} else {
		if (kind != MAP_WORLD)
			place_us(feats);
		write_header(kind == MAP_STATES ? "Natural Earth 1:110m Admin 1 "
		    "states and provinces, version 4.0.0. Made with Natural Earth" :
		    "US Census Bureau, cartographic boundaries, counties 2010 (500k)");
		for (size_t i = 0; i < feats->u.array.len; i++)
			if (write_feature(feats->u.array.values[i]) != 0)
				rc = 1;
	}
	yajl_tree_free(root);
	free(text);
	return rc;
}
