/* portal_map: "/map", the world by country on one date, coloured by one
 * metric (?metric=, ?date=: the key table in portal.c checks both, so a
 * bad one is a 400 saying which). The figures are query_countries', the
 * statement the dashboard's table uses, so the two agree. The geometry is
 * data/geo/world.tsv (tools/geo_build.c), read once at start-up; the page
 * draws it with web/choropleth. Below the map, the same values as a table
 * (the text alternative) and the countries with figures but no polygon. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/log.h"
#include "base/numfmt.h"
#include "portal/portal.h"
#include "web/choropleth.h"

static struct tmpl *map_tmpl;
static struct geo_world world;
static int have_world;

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
	M_NAREAS, M_NNODATA, M_SORT_NAME, M_SORT_VALUE,
	M__MAX
};
static const char *const mkeys[M__MAX] = {
	"has_data", "has_rows", "date", "date_long", "metric", "metric_label",
	"options", "opt_value", "opt_label", "opt_selected",
	"nav", "nav_date", "nav_label", "oldest", "newest",
	"map", "bins", "bin_colour", "bin_lo", "bin_hi", "bin_count",
	"rows", "row_slug", "row_name", "row_value",
	"offmap", "has_offmap", "novalue", "has_novalue",
	"nareas", "nnodata", "sort_name", "sort_value",
};

int
map_init(const char *tdir)
{
	const char *geo = getenv("COVID_GEO");
	char path[4096];

	if (geo == NULL || *geo == '\0') {
		snprintf(path, sizeof path, "%s/../data/geo/world.tsv", tdir);
		geo = path;
	}
	have_world = geo_load(geo, &world) == 0;
	if (!have_world)
		log_err("portal: no map geometry (%s): /map answers 503", geo);
	return (map_tmpl = page_load("map.html", mkeys, M__MAX)) ? 0 : -1;
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
	double              value;
	int                 has_value;
	int                 on_map;
	const char         *text;     /* the value, formatted; "" without one */
};

/* The nav links: one day, week, month back and forward; first and last. */
struct nav_link { char date[11]; const char *label; };

struct map_state {
	struct page_req   *pr;
	enum map_metric    metric;
	char               date[11];
	struct map_row    *rows;
	size_t             n;
	size_t            *shown, nshown;     /* rows with a value, in order */
	size_t            *offmap, noffmap;   /* with a value, no polygon */
	size_t            *novalue, nnovalue; /* figures, not this metric */
	struct choro_bins  bins;
	struct membuf      svg;
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
		c = strcmp(x->r->loc.name, y->r->loc.name);
	else
		c = x->value < y->value ? -1 : 1;
	return order_desc && !(by_name == 0 && x->value == y->value) ? -c : c;
}

static const struct geo_shape *
shape_for(const char *iso3)
{
	if (iso3 == NULL)
		return NULL;
	for (size_t i = 0; i < world.n; i++)
		if (strcmp(world.shapes[i].code, iso3) == 0)
			return &world.shapes[i];
	return NULL;
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
	add_nav(s, d + 1, "A day forward");
	add_nav(s, d + 7, "A week forward");
	add_nav(s, month_from(d, 1), "A month forward");
	add_nav(s, date_days(m->newest), "Last date");
}

/* The map's areas and bins, and the lists below it. */
static int
build(struct map_state *s, const struct q_row *rows, size_t n)
{
	struct arena *a = s->pr->a;
	struct choro_area *areas;
	double *vals, *scratch;
	size_t nvals = 0, nareas = 0;
	char date_long_buf[32];

	s->rows = arena_calloc(a, n + 1, sizeof *s->rows);
	s->shown = arena_calloc(a, n + 1, sizeof *s->shown);
	s->offmap = arena_calloc(a, n + 1, sizeof *s->offmap);
	s->novalue = arena_calloc(a, n + 1, sizeof *s->novalue);
	areas = arena_calloc(a, n + 1, sizeof *areas);
	vals = arena_calloc(a, n + 1, sizeof *vals);
	scratch = arena_calloc(a, n + 1, sizeof *scratch);
	if (!s->rows || !s->shown || !s->offmap || !s->novalue || !areas ||
	    !vals || !scratch)
		return -1;
	date_long(s->date, date_long_buf, sizeof date_long_buf);
	s->n = n;
	for (size_t i = 0; i < n; i++) {
		struct map_row *mr = &s->rows[i];
		char text[64] = "", title[600];
		mr->r = &rows[i];
		mr->has_value = metric_value(s->metric, &rows[i], &mr->value) &&
		    isfinite(mr->value);
		mr->on_map = shape_for(rows[i].loc.iso3) != NULL;
		if (mr->has_value)
			format_value(s->metric, mr->value, text, sizeof text);
		if ((mr->text = arena_strdup(a, text)) == NULL)
			return -1;
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
		snprintf(title, sizeof title, "%s: %s (%s)", rows[i].loc.name,
		    mr->has_value ? text : "no data", date_long_buf);
		areas[nareas].code = rows[i].loc.iso3;
		areas[nareas].href = arena_strdup(a, "/region/");
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
	choro_quantiles(vals, nvals, CHORO_MAX_BINS, scratch, &s->bins);
	s->nareas = nvals;
	s->nnodata = world.n - nvals;
	{
		char title[200];
		struct sink out;
		snprintf(title, sizeof title, "%s by country, %s",
		    metric_labels[s->metric], date_long_buf);
		out = membuf_sink(&s->svg);
		choropleth_svg(&out, &world, &s->bins, areas, nareas, title);
		if (out.failed)
			return -1;
	}
	by_name = s->sort_name;
	order_desc = s->desc;
	sort_rows = s->rows;
	qsort(s->shown, s->nshown, sizeof *s->shown, cmp_rows);
	return 0;
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
		sink_write(tmpl_raw(o), s->svg.data ? s->svg.data : "", s->svg.len);
		break;
	case M_NAREAS:
		tmpl_int(o, (long long)s->nareas);
		break;
	case M_NNODATA:
		tmpl_int(o, (long long)s->nnodata);
		break;
	case M_SORT_NAME:
		tmpl_text(o, s->sort_name && !s->desc ? "desc" : "asc");
		break;
	case M_SORT_VALUE:
		tmpl_text(o, !s->sort_name && s->desc ? "asc" : "desc");
		break;
	default:
		break;
	}
	return 0;
}

/* Sections that are lists keep their item here (the var callback of a
 * list's item reads it). */
struct map_cursor { struct map_state *s; size_t opt, nav, bin, row, off, nov; };

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
	case M_ROW_SLUG: case M_ROW_NAME: case M_ROW_VALUE: {
		/* The row of whichever list is being rendered. */
		size_t i = c->row != (size_t)-1 ? s->shown[c->row] :
		    c->off != (size_t)-1 ? s->offmap[c->off] : s->novalue[c->nov];
		const struct map_row *mr = &s->rows[i];
		tmpl_text(o, key == M_ROW_SLUG ? mr->r->loc.slug :
		    key == M_ROW_NAME ? mr->r->loc.name : mr->text);
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

void
map_page(struct page_req *pr)
{
	struct map_state s = { 0 };
	struct map_cursor c = { &s, 0, 0, 0, (size_t)-1, (size_t)-1, 0 };
	struct tmpl_cbs cbs = { list_var, list_section, &c };
	struct page_meta m = { "World map", "A map of the world by country: "
	    "COVID-19 cases and deaths on one date, from the JHU CSSE data.",
	    NAV_NONE, NULL };
	const struct http_field *f;
	struct q_row *rows = NULL;
	size_t n = 0;

	if (!have_world) {
		error_page(pr->r, pr->out, 503, "The map's geometry "
		    "(data/geo/world.tsv) is not installed.", 0);
		return;
	}
	if (portal_snapshot(pr) != 0) {
		error_page(pr->r, pr->out, 500, NULL, 0);
		return;
	}
	s.pr = pr;
	s.metric = (f = http_get(pr->r, K_METRIC)) ? (enum map_metric)f->num :
	    METRIC_CONFIRMED;
	snprintf(s.date, sizeof s.date, "%s", (f = http_get(pr->r, K_DATE)) ?
	    f->val : pr->p->meta.newest);
	/* sort=name orders the table by name; otherwise by the value. */
	s.sort_name = (f = http_get(pr->r, K_SORT)) && strcmp(f->val, "name") == 0;
	s.desc = (f = http_get(pr->r, K_ORDER)) ? strcmp(f->val, "desc") == 0 :
	    !s.sort_name;
	make_nav(&s);
	if (s.date[0] != '\0' &&
	    query_countries(pr->p->q, pr->a, s.date, &rows, &n) != 0) {
		error_page(pr->r, pr->out, 500, NULL, 0);
		return;
	}
	if (n > 0 && build(&s, rows, n) != 0) {
		membuf_free(&s.svg);
		error_page(pr->r, pr->out, 500, NULL, 0);
		return;
	}
	portal_send(pr, &m, map_tmpl, &cbs);
	membuf_free(&s.svg);
}
