/* portal_dashboard: "/", the world as of the newest date.
 *
 * The world series sums every country's totals for every date, which reads
 * every country row of series_region (JHU's time series) or region_daily
 * (the daily reports; query.h says which when): far too much per request. So what the
 * dashboard shows is computed once per data version and kept in this
 * worker (the results, the chart drawn from them, the table's rows and
 * orders: see portal_table.c), then reused while meta.data_version stays
 * the same; each request pays one indexed lookup to learn the version and
 * the rendering of the page around them. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/log.h"
#include "portal/portal.h"
#include "web/chart.h"

static struct tmpl *dash_tmpl;

enum dkey {
	D_HAS_DATA, D_NEWEST, D_THROUGH, D_REFRESHED,
	D_CONFIRMED, D_DEATHS, D_NEW_CONFIRMED, D_NEW_DEATHS,
	D_AVG_CONFIRMED, D_AVG_DEATHS, D_HAS_GAP, D_PREV_DATE, D_HAS_AVG,
	D_CHART, D_TABLE, D_NCOUNTRIES, D_HAS_REFRESHED,
	D_SOURCE, D_FROM_SERIES,
	D__MAX
};
static const char *const dkeys[D__MAX] = {
	"has_data", "newest", "through", "refreshed",
	"confirmed", "deaths", "new_confirmed", "new_deaths",
	"avg_confirmed", "avg_deaths", "has_gap", "prev_date", "has_avg",
	"chart", "table", "ncountries", "has_refreshed",
	"source", "from_series",
};

/* What the dashboard needs, for one data version. */
static struct {
	long long         version;    /* -1: nothing yet */
	struct arena      a;
	struct q_series   world;
	struct q_row     *countries;
	size_t            ncountries;
	struct table_data table;      /* their rows, rendered; orders, sorted */
	struct q_figures  now;        /* the world on the newest date */
	char              prev[11];   /* the date reported before it, or "" */
	char              source[160];   /* which product the history is from */
	struct membuf     chart;      /* the SVG, drawn once */
} dc = { .version = -1 };

int
dashboard_init(void)
{
	return (dash_tmpl = page_load("dashboard.html", dkeys, D__MAX)) ? 0 : -1;
}

static void
draw_chart(void)
{
	char desc[640], from[24] = "", to[24] = "", peak_day[24] = "", peak[32] = "";
	struct chart_series series[2] = {
		{ "New cases", dc.world.new_confirmed, CHART_BARS },
		{ "7-day average", dc.world.avg_confirmed, CHART_LINE },
	};
	struct chart c = { 0 };
	struct sink s;
	size_t best = 0;
	int found = 0;

	for (size_t i = 0; i < dc.world.n; i++)
		if (!isnan(dc.world.avg_confirmed[i]) &&
		    (!found || dc.world.avg_confirmed[i] > dc.world.avg_confirmed[best])) {
			best = i;
			found = 1;
		}
	if (dc.world.n > 0) {
		date_long(dc.world.dates[0], from, sizeof from);
		date_long(dc.world.dates[dc.world.n - 1], to, sizeof to);
	}
	if (found) {
		date_long(dc.world.dates[best], peak_day, sizeof peak_day);
		snprintf(peak, sizeof peak, "%.0f", dc.world.avg_confirmed[best]);
	}
	/* A database without reports (a first ingest whose every date
	 * failed) has no dates to name: the chart says "No data" and its text
	 * says why, rather than "from  to ." */
	if (dc.world.n == 0)
		snprintf(desc, sizeof desc, "No reports are loaded yet, so there "
		    "are no new cases to draw.");
	else
		snprintf(desc, sizeof desc, "Bars: new confirmed cases worldwide on "
		    "each %s, %s to %s. Line: their 7-day average%s%s%s%s. %s",
		    dc.world.nseries == dc.world.n ? "day" : "reported date",
		    from, to, found ? ", highest on " : "", found ? peak_day : "",
		    found ? " at about " : "", found ? peak : "", dc.source);
	c.title = "Daily new cases, world";
	c.description = desc;
	c.dates = dc.world.dates;
	c.n = dc.world.n;
	c.series = series;
	c.nseries = 2;
	c.width = 960;
	c.height = 320;
	dc.chart.len = 0;
	s = membuf_sink(&dc.chart);
	chart_svg(&s, &c);
	if (s.failed)
		dc.chart.len = 0;
}

/* Brings the cache to the data version of this request. */
static int
refresh(struct portal *p)
{
	if (dc.version == p->meta.data_version)
		return 0;
	dc.version = -1;
	arena_reset(&dc.a);
	memset(&dc.now, 0, sizeof dc.now);
	dc.prev[0] = '\0';
	/* The countries on the world's newest date, which is the time
	 * series' last day when it goes on after the newest daily report. */
	if (query_world_series(p->q, &dc.a, &dc.world) != 0 ||
	    query_countries(p->q, &dc.a, dc.world.n > 0 ?
	    dc.world.dates[dc.world.n - 1] : p->meta.newest, &dc.countries,
	    &dc.ncountries) != 0 ||
	    table_prepare(&dc.a, &dc.table, dc.countries, dc.ncountries) != 0)
		return -1;
	source_note(dc.source, sizeof dc.source, &dc.world);
	if (dc.world.n > 0) {
		q_series_figures(&dc.world, dc.world.n - 1, &dc.now);
		if (dc.world.n > 1)
			snprintf(dc.prev, sizeof dc.prev, "%s",
			    dc.world.dates[dc.world.n - 2]);
	}
	draw_chart();
	dc.version = p->meta.data_version;
	log_info("portal: dashboard data for version %lld: %zu dates, %zu countries",
	    dc.version, dc.world.n, dc.ncountries);
	return 0;
}

int
dashboard_warm(struct portal *p)
{
	return refresh(p);
}

struct dash_arg {
	struct page_req    *pr;
	struct place_table *table;
};

static int
dash_var(struct tmpl_out *o, size_t key, void *arg)
{
	struct dash_arg *a = arg;
	char buf[64];

	switch ((enum dkey)key) {
	case D_NEWEST:
		tmpl_text(o, dc.now.date);
		break;
	case D_THROUGH:
		date_long(dc.now.date, buf, sizeof buf);
		tmpl_text(o, buf);
		break;
	case D_REFRESHED:
		date_long_time(a->pr->p->meta.refreshed_at, buf, sizeof buf);
		tmpl_text(o, buf);
		break;
	case D_CONFIRMED:     out_count(o, dc.now.confirmed); break;
	case D_DEATHS:        out_count(o, dc.now.deaths); break;
	case D_NEW_CONFIRMED: out_delta(o, dc.now.new_confirmed); break;
	case D_NEW_DEATHS:    out_delta(o, dc.now.new_deaths); break;
	case D_AVG_CONFIRMED: out_average(o, dc.now.avg_confirmed); break;
	case D_AVG_DEATHS:    out_average(o, dc.now.avg_deaths); break;
	case D_PREV_DATE:
		date_long(dc.prev, buf, sizeof buf);
		tmpl_text(o, buf);
		break;
	case D_CHART:
		/* Markup chart.c drew (it escapes its own text). */
		sink_write(tmpl_raw(o), dc.chart.data ? dc.chart.data : "", dc.chart.len);
		break;
	case D_TABLE:
		return table_render(o, a->table);
	case D_NCOUNTRIES:
		tmpl_int(o, (long long)dc.ncountries);
		break;
	case D_SOURCE:
		tmpl_text(o, dc.source);
		break;
	default:
		break;
	}
	return 0;
}

static int
dash_section(size_t key, size_t i, void *arg)
{
	struct dash_arg *a = arg;
	long gap;

	if (i > 0)
		return 0;
	switch ((enum dkey)key) {
	case D_HAS_DATA:
		return dc.world.n > 0;
	case D_HAS_GAP:
		/* "New" spans more than a day when reports are missing. */
		gap = date_days(dc.now.date) - date_days(dc.prev);
		return dc.prev[0] != '\0' && gap != 1;
	case D_HAS_AVG:
		return !isnan(dc.now.avg_confirmed);
	case D_HAS_REFRESHED:
		return a->pr->p->meta.refreshed_at[0] != '\0';
	case D_FROM_SERIES:
		return dc.world.source == Q_FROM_SERIES;
	default:
		return 0;
	}
}

void
dashboard_page(struct page_req *pr)
{
	struct place_table t = { 0 };
	struct dash_arg a = { pr, &t };
	struct tmpl_cbs cbs = { dash_var, dash_section, &a };
	struct page_meta m = { "The world", "COVID-19 confirmed cases and deaths "
	    "worldwide and by country, from the JHU CSSE daily reports.",
	    NAV_HOME, NULL };

	/* The queries run only when the data moved (in a snapshot). */
	if ((dc.version != pr->p->meta.data_version && portal_snapshot(pr) != 0) ||
	    refresh(pr->p) != 0) {
		error_page(pr->r, pr->out, 500, NULL, 0);
		return;
	}
	t.data = &dc.table;
	t.sort = SORT_CONFIRMED;
	t.caption = "Countries on the newest date. Select a heading to sort.";
	t.link_base = "";
	if (table_sort(&t, pr->r) != 0) {
		error_page(pr->r, pr->out, 500, NULL, 0);
		return;
	}
	portal_send(pr, &m, dash_tmpl, &cbs);
}
