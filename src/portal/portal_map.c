/* portal_map: the maps, each on one date, coloured by one metric (?metric=,
 * ?date=: the key table in portal.c checks both, so a bad one is a 400
 * saying which):
 *   /map                the world by country (query_countries, the
 *                       statement the dashboard's table uses, so the two
 *                       agree)
 *   /map/us             US states (query_places_on: provinces of the US)
 *   /map/us/counties    US counties
 *   /map/us/{state}     one state's counties, zoomed to them
 * The geometry is data/geo/{world,us_states,us_counties}.tsv
 * (tools/geo_build.c), read once at start-up; places join to areas on
 * codes through web/geo_join (its one table of exceptions), and the page
 * draws them with web/choropleth. Below the map, the same values as a
 * table (the text alternative) and the places with figures that are not
 * on the map, each with the reason. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/log.h"
#include "base/numfmt.h"
#include "portal/portal.h"
#include "web/choropleth.h"
#include "web/geo_join.h"

static struct tmpl *map_tmpl;
static struct tmpl *rows_tmpl;   /* the values table's body rows */

/* The three geometries, by map; a zoomed state draws part of counties. */
static const char *const geo_files[GEO_MAP__MAX] = {
	"world.tsv", "us_states.tsv", "us_counties.tsv",
};
static struct geo_world geos[GEO_MAP__MAX];
static int have_geo[GEO_MAP__MAX];
/* The counties again, for /map/us/counties alone: that map is never
 * zoomed, so its file is in halves of a pixel rather than tenths (the
 * same areas and codes, 16 % fewer bytes on the heaviest page). Without
 * it the zoomable file serves. */
static const char counties_whole_file[] = "us_counties_whole.tsv";
static struct geo_world counties_whole;
static int have_counties_whole;

/* What differs between the maps, in words. */
static const struct map_words {
	const char *heading, *noun, *plural, *projection;
} words[GEO_MAP__MAX] = {
	{ "World map", "country", "countries",
	    "Map: Equal Earth projection. Made with Natural Earth." },
	{ "US states", "state", "states",
	    "Map: Albers equal-area conic, Alaska (at 0.35 of the scale) and "
	    "Hawaii inset. Made with Natural Earth." },
	{ "US counties", "county", "counties",
	    "Map: Albers equal-area conic, Alaska (at 0.35 of the scale) and "
	    "Hawaii inset. Outlines: US Census Bureau, cartographic boundaries." },
};

static const char *const metric_labels[METRIC__MAX] = {
	"Confirmed cases", "Deaths", "Confirmed cases per 100,000 people",
	"Deaths per 100,000 people",
	"New cases per 100,000 people, 7-day average", "Case-fatality ratio",
};

enum mkey {
	M_HAS_DATA, M_HAS_ROWS, M_DATE, M_DATE_LONG, M_METRIC, M_METRIC_LABEL,
	M_OPTIONS, M_OPT_VALUE, M_OPT_LABEL, M_OPT_SELECTED,
	M_NAV, M_NAV_DATE, M_NAV_LABEL, M_OLDEST, M_NEWEST,
	M_MAP, M_BINS, M_BIN_COLOUR, M_BIN_LO, M_BIN_HI, M_BIN_COUNT,
	M_ROWS, M_ROW_SLUG, M_ROW_NAME, M_ROW_VALUE,
	M_OFFMAP, M_HAS_OFFMAP, M_NOVALUE, M_HAS_NOVALUE,
	M_NAREAS, M_NNODATA, M_TABLE,
	M_SUB, M_HEADING, M_NOUN, M_PLURAL, M_PROJECTION, M_ROW_WHY, M_NAV_NEXT,
	M__MAX
};
static const char *const mkeys[M__MAX] = {
	"has_data", "has_rows", "date", "date_long", "metric", "metric_label",
	"options", "opt_value", "opt_label", "opt_selected",
	"nav", "nav_date", "nav_label", "oldest", "newest",
	"map", "bins", "bin_colour", "bin_lo", "bin_hi", "bin_count",
	"rows", "row_slug", "row_name", "row_value",
	"offmap", "has_offmap", "novalue", "has_novalue",
	"nareas", "nnodata", "table",
	"sub", "heading", "noun", "plural", "projection", "row_why", "nav_next",
};

int
map_init(const char *tdir)
{
	const char *geo = getenv("COVID_GEO");
	char dir[4096], path[4200];

	/* COVID_GEO names the world's file; the US files sit beside it. */
	if (geo == NULL || *geo == '\0')
		snprintf(dir, sizeof dir, "%s/../data/geo", tdir);
	else {
		const char *slash = strrchr(geo, '/');
		snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - geo) : 1,
		    slash ? geo : ".");
	}
	for (int m = 0; m < GEO_MAP__MAX; m++) {
		if (m == GEO_MAP_WORLD && geo != NULL && *geo != '\0')
			snprintf(path, sizeof path, "%s", geo);
		else
			snprintf(path, sizeof path, "%s/%s", dir, geo_files[m]);
		have_geo[m] = geo_load(path, &geos[m]) == 0;
		if (!have_geo[m])
			log_err("portal: no map geometry (%s): its map answers 503", path);
	}
	snprintf(path, sizeof path, "%s/%s", dir, counties_whole_file);
	have_counties_whole = geo_load(path, &counties_whole) == 0;
	if (!have_counties_whole)
		log_info("portal: no %s: the county map draws the zoomable outlines",
		    path);
	map_tmpl = page_load("map.html", mkeys, M__MAX);
	rows_tmpl = page_load("map_rows.html", mkeys, M__MAX);
	return map_tmpl && rows_tmpl ? 0 : -1;
}

/* One country's value for the metric, or 0 when it has none. */
static int
metric_value(enum map_metric m, const struct q_row *r, double *v)
{
	const struct q_figures *f = &r->fig;
	double pop = r->loc.population == Q_NONE ? 0 : (double)r->loc.population;

	switch (m) {
	case METRIC_CONFIRMED:
		*v = (double)f->confirmed;
		return f->confirmed != Q_NONE;
	case METRIC_DEATHS:
		*v = (double)f->deaths;
		return f->deaths != Q_NONE;
	case METRIC_CONFIRMED_100K:
		*v = q_per_100k(f->confirmed, r->loc.population);
		return !isnan(*v);
	case METRIC_DEATHS_100K:
		*v = q_per_100k(f->deaths, r->loc.population);
		return !isnan(*v);
	case METRIC_NEW_100K_7D:
		*v = f->avg_confirmed * 1e5 / pop;
		return !isnan(f->avg_confirmed) && pop > 0;
	case METRIC_CFR:
		/* Deaths per 100 confirmed cases, as a percentage. */
		*v = (double)f->deaths * 100 / (double)f->confirmed;
		return f->deaths != Q_NONE && f->confirmed != Q_NONE && f->confirmed > 0;
	default:
		return 0;
	}
}

static void
format_value(enum map_metric m, double v, char *buf, size_t len)
{
	if (m == METRIC_CONFIRMED || m == METRIC_DEATHS)
		fmt_thousands(buf, len, (long long)v);
	else if (m == METRIC_CFR) {
		/* Room kept for the '%'. */
		fmt_decimal(buf, len - 1, v, 2);
		strcat(buf, "%");
	} else
		fmt_decimal(buf, len, v, 1);
}

/* One row of the page: a country with figures on the date. */
struct map_row {
	const struct q_row *r;
	const char         *label;    /* its name on this page */
	double              value;
	int                 has_value;
	int                 on_map;
	const char         *why;      /* not on the map: the reason */
};

/* The nav links: one day, week, month back and forward; first and last. */
static const char label_day_forward[] = "A day forward";
struct nav_link { char date[11]; const char *label; };

/* Each map remembers its rows for the last place and date asked while the
 * data version stays (the API's summary does the same with its count): a
 * repeated map reads no rows, and the county map's read is a page of the
 * time series per county, thousands (see query_places_on); its SVG and
 * bins for the last metric drawn; and the values table's rows for the
 * last metric and order: a repeated county map neither sorts nor escapes
 * its 3,300 rows again. One per map, the zoomed state apart from the
 * whole country: at most about 2 MB for the counties. */
enum { MEMO_ZOOM = GEO_MAP__MAX, MEMO__MAX };
/* A row joined to the map (web/geo_join, then the geometry): the same for
 * every metric, so worked out once per rows. */
struct row_join {
	char        code[GEO_CODE_MAX + 1];
	const char *why;          /* NULL: on the map; else the reason not */
	const char *label;        /* the name the page shows (place_label) */
};
static struct rows_memo {
	long long     version;    /* -1 or 0 with n 0: nothing remembered */
	long long     in_id;      /* 0: the countries */
	char          date[11];
	int           valid;
	struct arena  a;          /* the rows and their strings */
	struct q_row *rows;
	size_t        n;
	struct row_join *join;    /* each row's area, or why none; NULL: not
	                           * worked out yet */
	int           svg_metric; /* the metric svg was drawn for; -1: none */
	struct membuf svg;        /* the map of these rows for it */
	struct choro_bins bins;   /* and its bins (the legend's) */
	int           table_metric;   /* the metric table is of; -1: none */
	int           table_sort_name, table_desc;   /* and its order */
	struct membuf table;      /* the values table's rows, HTML */
} memos[MEMO__MAX];

struct map_state {
	struct page_req   *pr;
	enum geo_map       gm;
	const struct geo_world *geo;
	char               sub[160];          /* the path after /map */
	char               heading[200];
	struct choro_view  view;              /* a state's counties: its FIPS */
	enum map_metric    metric;
	char               date[11];
	struct map_row    *rows;
	size_t             n;
	size_t            *shown, nshown;     /* rows with a value, in order */
	size_t            *offmap, noffmap;   /* with a value, no polygon */
	size_t            *novalue, nnovalue; /* figures, not this metric */
	struct choro_bins  bins;
	struct rows_memo  *memo;              /* the rows' memo, its map */
	size_t             nareas, nnodata;
	struct nav_link    nav[8];
	size_t             nnav;
	int                sort_name, desc;
};

static int by_name;   /* qsort's context: the order asked for */
static int order_desc;
static const struct map_row *sort_rows;

static int
cmp_rows(const void *a, const void *b)
{
	const struct map_row *x = &sort_rows[*(const size_t *)a];
	const struct map_row *y = &sort_rows[*(const size_t *)b];
	int c;

	if (by_name || x->value == y->value)
		c = strcmp(x->label, y->label);
	else
		c = x->value < y->value ? -1 : 1;
	return order_desc && !(by_name == 0 && x->value == y->value) ? -c : c;
}

static void
add_nav(struct map_state *s, long day, const char *label)
{
	struct q_meta *m = &s->pr->p->meta;

	if (day < date_days(m->oldest) || day > date_days(m->newest) ||
	    day == date_days(s->date) || s->nnav >= 8)
		return;
	date_ymd(day, s->nav[s->nnav].date);
	s->nav[s->nnav++].label = label;
}

static long
month_from(long day, int delta)
{
	int y, mo, d, dim;

	date_to_civil(day, &y, &mo, &d);
	mo += delta;
	if (mo < 1) { mo += 12; y--; }
	if (mo > 12) { mo -= 12; y++; }
	dim = date_month_days(y, mo);
	return date_from_civil(y, mo, d > dim ? dim : d);
}

static void
make_nav(struct map_state *s)
{
	long d = date_days(s->date);
	struct q_meta *m = &s->pr->p->meta;

	if (m->oldest[0] == '\0' || d < 0)
		return;
	add_nav(s, date_days(m->oldest), "First date");
	add_nav(s, month_from(d, -1), "A month back");
	add_nav(s, d - 7, "A week back");
	add_nav(s, d - 1, "A day back");
	add_nav(s, d + 1, label_day_forward);
	add_nav(s, d + 7, "A week forward");
	add_nav(s, month_from(d, 1), "A month forward");
	add_nav(s, date_days(m->newest), "Last date");
}

/* The shapes the map draws: all, or a state's counties. */
static size_t
drawn_shapes(const struct map_state *s)
{
	size_t n = 0, plen = s->view.prefix ? strlen(s->view.prefix) : 0;

	if (plen == 0)
		return s->geo->n;
	for (size_t i = 0; i < s->geo->n; i++)
		n += strncmp(s->geo->shapes[i].code, s->view.prefix, plen) == 0;
	return n;
}

/* Sections that are lists keep their item here (the var callback of a
 * list's item reads it). */
struct map_cursor { struct map_state *s; size_t opt, nav, bin, row, off, nov; };

static int list_var(struct tmpl_out *o, size_t key, void *arg);
static int list_section(size_t key, size_t i, void *arg);

/* The values table's rows, sorted as asked, rendered into the rows' memo
 * (templates/map_rows.html) once per metric and order. */
static int
build_table(struct map_state *s)
{
	struct map_cursor c = { s, 0, 0, 0, (size_t)-1, (size_t)-1, 0 };
	struct tmpl_cbs cbs = { list_var, list_section, &c };
	struct sink out;

	by_name = s->sort_name;
	order_desc = s->desc;
	sort_rows = s->rows;
	qsort(s->shown, s->nshown, sizeof *s->shown, cmp_rows);
	s->memo->table.len = 0;
	s->memo->table_metric = -1;
	out = membuf_sink(&s->memo->table);
	if (tmpl_render(rows_tmpl, &out, &cbs) != 0 || out.failed)
		return -1;
	s->memo->table_metric = (int)s->metric;
	s->memo->table_sort_name = s->sort_name;
	s->memo->table_desc = s->desc;
	return 0;
}

/* A place's name as the page shows it: a county on the whole country's
 * map with its state ("Washington, Alabama": thirty states have a
 * Washington County, and their rows would read the same), else its own
 * name. NULL when out of memory. */
static const char *
place_label(struct arena *a, const struct map_state *s,
    const struct q_location *l)
{
	size_t len;
	char *label;

	if (s->gm != GEO_MAP_COUNTIES || s->view.prefix != NULL ||
	    l->province[0] == '\0')
		return l->name;
	len = strlen(l->name) + strlen(l->province) + 3;
	if ((label = arena_alloc(a, len)) != NULL)
		snprintf(label, len, "%s, %s", l->name, l->province);
	return label;
}

/* The memo's rows joined to the map's areas, once (3,300 binary searches
 * on the county map, a fifth of a request's time when done every time),
 * with the names the page shows. */
static int
join_rows(struct map_state *s)
{
	struct rows_memo *mm = s->memo;

	if (mm->join != NULL)
		return 0;
	if ((mm->join = arena_calloc(&mm->a, mm->n + 1, sizeof *mm->join)) == NULL)
		return -1;
	for (size_t i = 0; i < mm->n; i++) {
		const struct q_location *l = &mm->rows[i].loc;
		const char *why = NULL;
		if (geo_join_code(s->gm, l->slug, l->iso3, l->fips, mm->join[i].code,
		    &why) && geo_find(s->geo, mm->join[i].code) >= 0)
			mm->join[i].why = NULL;
		else
			mm->join[i].why = why ? why : geo_no_polygon_why(s->gm);
		if ((mm->join[i].label = place_label(&mm->a, s, l)) == NULL) {
			mm->join = NULL;
			return -1;
		}
	}
	return 0;
}

/* The map's areas and bins, and the lists below it. The SVG is drawn
 * into the rows' memo, once per metric, and the table's rows once per
 * metric and order: a repeated map draws and sorts nothing. */
static int
build(struct map_state *s, const struct q_row *rows, size_t n)
{
	struct arena *a = s->pr->a;
	struct choro_area *areas;
	double *vals, *scratch;
	size_t nvals = 0, nareas = 0;
	char date_long_buf[32];
	int need_svg = s->memo->svg_metric != (int)s->metric;
	int need_table = s->memo->table_metric != (int)s->metric ||
	    s->memo->table_sort_name != s->sort_name ||
	    s->memo->table_desc != s->desc;

	s->rows = arena_calloc(a, n + 1, sizeof *s->rows);
	s->shown = arena_calloc(a, n + 1, sizeof *s->shown);
	s->offmap = arena_calloc(a, n + 1, sizeof *s->offmap);
	s->novalue = arena_calloc(a, n + 1, sizeof *s->novalue);
	areas = arena_calloc(a, n + 1, sizeof *areas);
	vals = arena_calloc(a, n + 1, sizeof *vals);
	scratch = arena_calloc(a, n + 1, sizeof *scratch);
	if (!s->rows || !s->shown || !s->offmap || !s->novalue || !areas ||
	    !vals || !scratch || join_rows(s) != 0)
		return -1;
	date_long(s->date, date_long_buf, sizeof date_long_buf);
	s->n = n;
	for (size_t i = 0; i < n; i++) {
		struct map_row *mr = &s->rows[i];
		char text[64] = "", title[600];
		mr->r = &rows[i];
		mr->label = s->memo->join[i].label;
		mr->has_value = metric_value(s->metric, &rows[i], &mr->value) &&
		    isfinite(mr->value);
		mr->on_map = s->memo->join[i].why == NULL;
		mr->why = mr->on_map ? "" : s->memo->join[i].why;
		areas[nareas].code = s->memo->join[i].code;
		if (mr->has_value)
			s->shown[s->nshown++] = i;
		else
			s->novalue[s->nnovalue++] = i;
		if (mr->has_value && !mr->on_map)
			s->offmap[s->noffmap++] = i;
		if (!mr->on_map)
			continue;
		if (mr->has_value)
			vals[nvals++] = mr->value;
		if (!need_svg)
			continue;
		if (mr->has_value)
			format_value(s->metric, mr->value, text, sizeof text);
		snprintf(title, sizeof title, "%s: %s (%s)", mr->label,
		    mr->has_value ? text : "no data", date_long_buf);
		{
			size_t hl = strlen("/region/") + strlen(rows[i].loc.slug) + 1;
			char *href = arena_alloc(a, hl);
			if (href == NULL)
				return -1;
			snprintf(href, hl, "/region/%s", rows[i].loc.slug);
			areas[nareas].href = href;
		}
		areas[nareas].title = arena_strdup(a, title);
		areas[nareas].value = mr->value;
		areas[nareas].has_value = mr->has_value;
		if (areas[nareas].title == NULL)
			return -1;
		nareas++;
	}
	/* The bins are the SVG's: worked out (a sort of the values) with it. */
	if (need_svg)
		choro_quantiles(vals, nvals, CHORO_MAX_BINS, scratch, &s->memo->bins);
	s->bins = s->memo->bins;
	s->nareas = nvals;
	s->nnodata = drawn_shapes(s) - nvals;
	if (need_svg) {
		char title[400];
		struct sink out;
		snprintf(title, sizeof title, "%s by %s, %s%s%s",
		    metric_labels[s->metric], words[s->gm].noun, date_long_buf,
		    s->view.prefix ? ": " : "", s->view.prefix ? s->heading : "");
		s->memo->svg.len = 0;
		s->memo->svg_metric = -1;
		out = membuf_sink(&s->memo->svg);
		choropleth_svg_view(&out, s->geo, &s->bins, areas, nareas, title,
		    &s->view);
		if (out.failed)
			return -1;
		s->memo->svg_metric = (int)s->metric;
	}
	return need_table ? build_table(s) : 0;
}

/* The values below the map, through the dashboard's table component:
 * sorted by name or by the value, a heading's link flipping the current
 * order (the metric and the date are checked words and digits: nothing
 * to URL-escape). */
static int
render_table(struct tmpl_out *o, const struct map_state *s)
{
	char caption[300], q_name[160], q_value[160];
	const char *m = map_metrics[s->metric];
	struct table_col cols[2] = {
		{ "Place", q_name, s->sort_name, s->desc, 0 },
		{ metric_labels[s->metric], q_value, !s->sort_name, s->desc, 1 },
	};
	struct table_view v = { "places map-values", caption, cols, 2,
	    s->memo->table.data ? s->memo->table.data : "", s->memo->table.len };
	char date_long_buf[32];

	date_long(s->date, date_long_buf, sizeof date_long_buf);
	snprintf(caption, sizeof caption, "%s by %s on %s. Select a heading to "
	    "sort.", metric_labels[s->metric], words[s->gm].noun, date_long_buf);
	snprintf(q_name, sizeof q_name, "metric=%s&date=%s&sort=name&order=%s",
	    m, s->date, s->sort_name && !s->desc ? "desc" : "asc");
	snprintf(q_value, sizeof q_value, "metric=%s&date=%s&order=%s",
	    m, s->date, !s->sort_name && s->desc ? "asc" : "desc");
	return table_render_view(o, &v);
}

static int
map_var(struct tmpl_out *o, size_t key, void *arg)
{
	struct map_state *s = arg;
	char buf[64];

	switch ((enum mkey)key) {
	case M_DATE:
		tmpl_text(o, s->date);
		break;
	case M_DATE_LONG:
		date_long(s->date, buf, sizeof buf);
		tmpl_text(o, buf);
		break;
	case M_METRIC:
		tmpl_text(o, map_metrics[s->metric]);
		break;
	case M_METRIC_LABEL:
		tmpl_text(o, metric_labels[s->metric]);
		break;
	case M_OLDEST:
		tmpl_text(o, s->pr->p->meta.oldest);
		break;
	case M_NEWEST:
		tmpl_text(o, s->pr->p->meta.newest);
		break;
	case M_MAP:
		sink_write(tmpl_raw(o), s->memo->svg.data ? s->memo->svg.data : "",
		    s->memo->svg.len);
		break;
	case M_TABLE:
		return render_table(o, s);
	case M_NAREAS:
		tmpl_int(o, (long long)s->nareas);
		break;
	case M_NNODATA:
		tmpl_int(o, (long long)s->nnodata);
		break;
	case M_SUB:
		tmpl_text(o, s->sub);
		break;
	case M_HEADING:
		tmpl_text(o, s->heading);
		break;
	case M_NOUN:
		tmpl_text(o, words[s->gm].noun);
		break;
	case M_PLURAL:
		tmpl_text(o, words[s->gm].plural);
		break;
	case M_PROJECTION:
		tmpl_text(o, words[s->gm].projection);
		break;
	default:
		break;
	}
	return 0;
}


static int
list_var(struct tmpl_out *o, size_t key, void *arg)
{
	struct map_cursor *c = arg;
	struct map_state *s = c->s;
	char buf[64];

	switch ((enum mkey)key) {
	case M_OPT_VALUE:    tmpl_text(o, map_metrics[c->opt]); return 0;
	case M_OPT_LABEL:    tmpl_text(o, metric_labels[c->opt]); return 0;
	case M_NAV_DATE:     tmpl_text(o, s->nav[c->nav].date); return 0;
	case M_NAV_LABEL:    tmpl_text(o, s->nav[c->nav].label); return 0;
	case M_BIN_COLOUR:   tmpl_text(o, choro_colour(&s->bins, c->bin)); return 0;
	case M_BIN_LO:
		format_value(s->metric, s->bins.lo[c->bin], buf, sizeof buf);
		tmpl_text(o, buf);
		return 0;
	case M_BIN_HI:
		format_value(s->metric, s->bins.hi[c->bin], buf, sizeof buf);
		tmpl_text(o, buf);
		return 0;
	case M_BIN_COUNT:    tmpl_int(o, (long long)s->bins.count[c->bin]); return 0;
	case M_ROW_SLUG: case M_ROW_NAME: case M_ROW_VALUE: case M_ROW_WHY: {
		/* The row of whichever list is being rendered. */
		size_t i = c->row != (size_t)-1 ? s->shown[c->row] :
		    c->off != (size_t)-1 ? s->offmap[c->off] : s->novalue[c->nov];
		const struct map_row *mr = &s->rows[i];
		if (key == M_ROW_VALUE) {
			buf[0] = '\0';
			if (mr->has_value)
				format_value(s->metric, mr->value, buf, sizeof buf);
			tmpl_text(o, buf);
			return 0;
		}
		tmpl_text(o, key == M_ROW_SLUG ? mr->r->loc.slug :
		    key == M_ROW_NAME ? mr->label : mr->why);
		return 0;
	}
	default:
		return map_var(o, key, s);
	}
}

static int
list_section(size_t key, size_t i, void *arg)
{
	struct map_cursor *c = arg;
	struct map_state *s = c->s;

	switch ((enum mkey)key) {
	case M_HAS_DATA:    return i == 0 && s->n > 0;
	case M_HAS_ROWS:    return i == 0 && s->nshown > 0;
	case M_HAS_OFFMAP:  return i == 0 && s->noffmap > 0;
	case M_HAS_NOVALUE: return i == 0 && s->nnovalue > 0;
	case M_OPTIONS:     c->opt = i; return i < METRIC__MAX;
	case M_OPT_SELECTED: return i == 0 && c->opt == (size_t)s->metric;
	case M_NAV:         c->nav = i; return i < s->nnav;
	/* The day after: rel="next", the step static/map-play.js takes. */
	case M_NAV_NEXT:    return i == 0 && s->nav[c->nav].label == label_day_forward;
	case M_BINS:        c->bin = i; return i < s->bins.n;
	case M_ROWS:
		c->row = i < s->nshown ? i : (size_t)-1;
		return i < s->nshown;
	case M_OFFMAP:
		c->off = i < s->noffmap ? i : (size_t)-1;
		return i < s->noffmap;
	case M_NOVALUE:
		c->nov = i;
		return i < s->nnovalue;
	default:
		return 0;
	}
}

static int
map_rows(struct page_req *pr, struct rows_memo *mm, const struct q_location *in,
    enum geo_level level, const char *date, struct q_row **rows, size_t *n)
{
	long long id = in ? in->id : 0;
	int rc;

	if (!(mm->valid && mm->version == pr->p->meta.data_version &&
	    mm->in_id == id && strcmp(mm->date, date) == 0)) {
		mm->valid = 0;
		mm->join = NULL;
		mm->svg_metric = -1;
		mm->svg.len = 0;
		mm->table_metric = -1;
		mm->table.len = 0;
		arena_reset(&mm->a);
		rc = in == NULL ? query_countries(pr->p->q, &mm->a, date, &mm->rows, &mm->n) :
		    query_places_on(pr->p->q, &mm->a, in, level, date, &mm->rows, &mm->n);
		if (rc != 0)
			return rc;
		mm->version = pr->p->meta.data_version;
		mm->in_id = id;
		snprintf(mm->date, sizeof mm->date, "%s", date);
		mm->valid = 1;
	}
	*rows = mm->rows;
	*n = mm->n;
	return 0;
}

/* Draws the map s was set up for (gm, geo, sub, heading, view): the
 * figures of in's places of level on the date asked (in NULL: the
 * countries). */
static void
draw_map(struct page_req *pr, struct map_state *s, const struct q_location *in,
    enum geo_level level)
{
	struct map_cursor c = { s, 0, 0, 0, (size_t)-1, (size_t)-1, 0 };
	struct tmpl_cbs cbs = { list_var, list_section, &c };
	struct page_meta m = { s->heading, "A map by place: COVID-19 cases and "
	    "deaths on one date, from the JHU CSSE data.", NAV_NONE, NULL };
	const struct http_field *f;
	struct q_row *rows = NULL;
	size_t n = 0;
	int rc;

	s->pr = pr;
	s->metric = (f = http_get(pr->r, K_METRIC)) ? (enum map_metric)f->num :
	    METRIC_CONFIRMED;
	snprintf(s->date, sizeof s->date, "%s", (f = http_get(pr->r, K_DATE)) ?
	    f->val : pr->p->meta.newest);
	/* sort=name orders the table by name; otherwise by the value. */
	s->sort_name = (f = http_get(pr->r, K_SORT)) && strcmp(f->val, "name") == 0;
	s->desc = (f = http_get(pr->r, K_ORDER)) ? strcmp(f->val, "desc") == 0 :
	    !s->sort_name;
	make_nav(s);
	s->memo = &memos[s->view.prefix ? MEMO_ZOOM : s->gm];
	if (s->date[0] == '\0')
		rc = 0;
	else
		rc = map_rows(pr, s->memo, in, level, s->date, &rows, &n);
	if (rc != 0) {
		error_page(pr->r, pr->out, 500, NULL, 0);
		return;
	}
	if (n > 0 && build(s, rows, n) != 0) {
		s->memo->svg_metric = -1;
		s->memo->table_metric = -1;
		error_page(pr->r, pr->out, 500, NULL, 0);
		return;
	}
	portal_send(pr, &m, map_tmpl, &cbs);
}

/* Sets s up for map gm; 0, or -1 after the 503 page (no geometry). */
static int
map_setup(struct page_req *pr, struct map_state *s, enum geo_map gm)
{
	s->gm = gm;
	s->geo = &geos[gm];
	snprintf(s->heading, sizeof s->heading, "%s", words[gm].heading);
	if (!have_geo[gm]) {
		char msg[200];
		snprintf(msg, sizeof msg, "The map's geometry (data/geo/%s) is "
		    "not installed.", geo_files[gm]);
		error_page(pr->r, pr->out, 503, msg, 0);
		return -1;
	}
	if (portal_snapshot(pr) != 0) {
		error_page(pr->r, pr->out, 500, NULL, 0);
		return -1;
	}
	return 0;
}

void
map_page(struct page_req *pr)
{
	struct map_state s = { 0 };

	if (map_setup(pr, &s, GEO_MAP_WORLD) == 0)
		draw_map(pr, &s, NULL, GEO_COUNTRY);
}

/* /map/us, /map/us/counties, /map/us/{state}: pr->rest is what follows
 * "/map/"; a state is its region slug ("us/new-york"). */
void
map_us_page(struct page_req *pr)
{
	struct map_state s = { 0 };
	struct q_location us, state;
	const char *rest = pr->rest;
	int counties = strcmp(rest, "us/counties") == 0;
	int rc;

	if (strcmp(rest, "us") != 0 && strncmp(rest, "us/", 3) != 0) {
		error_page(pr->r, pr->out, 404, NULL, 0);
		return;
	}
	if (map_setup(pr, &s, strcmp(rest, "us") == 0 ? GEO_MAP_STATES :
	    GEO_MAP_COUNTIES) != 0)
		return;
	snprintf(s.sub, sizeof s.sub, "/%s", rest);
	if ((rc = query_location(pr->p->q, pr->a, "us", &us)) < 0) {
		error_page(pr->r, pr->out, 500, NULL, 0);
		return;
	}
	if (rc == 0) {
		error_page(pr->r, pr->out, 404, "The data has no US.", 0);
		return;
	}
	if (counties && have_counties_whole)
		s.geo = &counties_whole;
	if (strcmp(rest, "us") == 0 || counties) {
		draw_map(pr, &s, &us, counties ? GEO_COUNTY : GEO_PROVINCE);
		return;
	}
	/* One state: its counties, zoomed to the outlines with its FIPS. */
	rc = query_location(pr->p->q, pr->a, rest, &state);
	if (rc < 0) {
		error_page(pr->r, pr->out, 500, NULL, 0);
		return;
	}
	if (rc == 0 || state.level != GEO_PROVINCE || state.parent_id != us.id ||
	    state.fips == NULL || strlen(state.fips) != 2 ||
	    geo_find(&geos[GEO_MAP_STATES], state.fips) < 0) {
		error_page(pr->r, pr->out, 404, "No county map for that place: "
		    "the county maps are of the 50 states and DC.", 0);
		return;
	}
	s.view.prefix = state.fips;
	s.view.pad = 4;
	s.view.stroke = 0.1;
	snprintf(s.heading, sizeof s.heading, "%s: counties", state.name);
	draw_map(pr, &s, &state, GEO_COUNTY);
}

/* The small map on a region page (see portal.h): the US by its states, a
 * US state by its counties (zoomed), or any other country with provinces
 * highlighted on the world (Natural Earth's 1:110m has no other country's
 * provinces). Coloured by the children's newest confirmed counts. */
int
map_locator(struct arena *a, const struct q_location *loc,
    const struct q_row *children, size_t n, struct membuf *svg,
    char *link, size_t linklen)
{
	int us = strcmp(loc->country, "US") == 0;
	enum geo_map gm = loc->level == GEO_COUNTRY && us ? GEO_MAP_STATES :
	    loc->level == GEO_PROVINCE && us ? GEO_MAP_COUNTIES : GEO_MAP_WORLD;
	struct choro_view view = { NULL, 0, 0, NULL };
	struct choro_area *areas;
	struct choro_bins bins;
	double *vals, *scratch;
	size_t nareas = 0, nvals = 0;
	char title[300];
	struct sink out;

	link[0] = '\0';
	if (n == 0 || loc->level == GEO_COUNTY || !have_geo[gm])
		return 0;
	areas = arena_calloc(a, n + 1, sizeof *areas);
	vals = arena_calloc(a, n + 1, sizeof *vals);
	scratch = arena_calloc(a, n + 1, sizeof *scratch);
	if (areas == NULL || vals == NULL || scratch == NULL)
		return -1;
	if (gm == GEO_MAP_WORLD) {
		/* A locator: the country alone in colour, the rest plain. */
		char code[GEO_CODE_MAX + 1];
		const char *why;
		if (!geo_join_code(gm, loc->slug, loc->iso3, NULL, code, &why) ||
		    geo_find(&geos[gm], code) < 0)
			return 0;
		areas[0].code = arena_strdup(a, code);
		areas[0].title = loc->name;
		areas[0].value = vals[0] = 1;
		areas[0].has_value = 1;
		nareas = nvals = 1;
		view.nodata_fill = "#e3e3e3";
		snprintf(title, sizeof title, "Where %s is", loc->name);
		snprintf(link, linklen, "/map");
	} else {
		char code[GEO_CODE_MAX + 1];
		const char *why;
		if (gm == GEO_MAP_COUNTIES) {
			if (loc->fips == NULL || strlen(loc->fips) != 2 ||
			    geo_find(&geos[GEO_MAP_STATES], loc->fips) < 0)
				return 0;
			view.prefix = loc->fips;
			view.pad = 4;
			view.stroke = 0.1;
		}
		for (size_t i = 0; i < n; i++) {
			const struct q_row *r = &children[i];
			char t[400], v[64];
			if (!geo_join_code(gm, r->loc.slug, r->loc.iso3, r->loc.fips,
			    code, &why) || geo_find(&geos[gm], code) < 0)
				continue;
			areas[nareas].code = arena_strdup(a, code);
			areas[nareas].has_value = r->fig.confirmed != Q_NONE;
			areas[nareas].value = (double)r->fig.confirmed;
			if (areas[nareas].has_value) {
				vals[nvals++] = areas[nareas].value;
				fmt_thousands(v, sizeof v, r->fig.confirmed);
			} else
				snprintf(v, sizeof v, "no data");
			snprintf(t, sizeof t, "%s: %s confirmed cases (%s)", r->loc.name,
			    v, r->fig.date[0] ? r->fig.date : "no date");
			areas[nareas].title = arena_strdup(a, t);
			{
				size_t hl = strlen(r->loc.slug) + sizeof "/region/";
				char *href = arena_alloc(a, hl);
				if (href != NULL)
					snprintf(href, hl, "/region/%s", r->loc.slug);
				areas[nareas].href = href;
			}
			if (areas[nareas].code == NULL || areas[nareas].title == NULL)
				return -1;
			nareas++;
		}
		if (nareas == 0)
			return 0;
		snprintf(title, sizeof title, "Confirmed cases in %s by %s, the "
		    "newest figures", loc->name, words[gm].noun);
		snprintf(link, linklen, "/map/%s", gm == GEO_MAP_STATES ? "us" : loc->slug);
	}
	choro_quantiles(vals, nvals, CHORO_MAX_BINS, scratch, &bins);
	out = membuf_sink(svg);
	choropleth_svg_view(&out, &geos[gm], &bins, areas, nareas, title, &view);
	return out.failed ? -1 : 1;
}
