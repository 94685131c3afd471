/* portal_region: "/region/{slug}", one place: totals, per-100k figures,
 * charts, its sub-regions, recent days, download links.
 *
 * A place's series is a range scan of up to ~1,150 rows and its charts are
 * ~100 kB of SVG, so the last few places asked for are kept per worker (a
 * small LRU, each entry in its own arena) and reused while the data version
 * is the same. Memory: about 0.4 MB per entry for a full-history county. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/log.h"
#include "portal/portal.h"
#include "web/chart.h"
#include "web/fan_chart.h"
#include "web/escape.h"

enum { CACHE_ENTRIES = 8, RECENT_DAYS = 14, NCHARTS = 4 };

static struct tmpl *region_tmpl;

enum rkey {
	R_NAME, R_PLACE, R_LEVEL, R_CRUMBS, R_CRUMB_SLUG, R_CRUMB_NAME,
	R_HAS_DATA, R_NEWEST, R_THROUGH, R_CONFIRMED, R_DEATHS,
	R_NEW_CONFIRMED, R_NEW_DEATHS, R_AVG_CONFIRMED, R_AVG_DEATHS,
	R_HAS_AVG, R_CONFIRMED_100K, R_DEATHS_100K, R_POPULATION,
	R_HAS_POPULATION, R_PREV_DATE, R_HAS_GAP,
	R_SCALE_LIN, R_SCALE_LOG, R_SCALE_QUERY,
	R_CHARTS, R_CHART,
	R_HAS_CHILDREN, R_CHILDREN_TITLE, R_TABLE,
	R_DAYS, R_DAY, R_DAY_CONFIRMED, R_DAY_DEATHS, R_DAY_NEW_CONFIRMED,
	R_DAY_NEW_DEATHS, R_DAY_AVG_CONFIRMED,
	R_DOWNLOADS, R_DL_LABEL, R_DL_QUERY,
	R_SOURCE, R_NOW_FROM_SERIES,
	R_HAS_LOCATOR, R_LOCATOR, R_LOCATOR_LINK,
	R_HAS_FORECAST, R_FANS, R_FAN, R_FC_ORIGIN, R_FC_REVISED,
	R__MAX
};
static const char *const rkeys[R__MAX] = {
	"name", "place", "level", "crumbs", "crumb_slug", "crumb_name",
	"has_data", "newest", "through", "confirmed", "deaths",
	"new_confirmed", "new_deaths", "avg_confirmed", "avg_deaths",
	"has_avg", "confirmed_100k", "deaths_100k", "population",
	"has_population", "prev_date", "has_gap",
	"scale_lin", "scale_log", "scale_query",
	"charts", "chart",
	"has_children", "children_title", "table",
	"days", "day", "day_confirmed", "day_deaths", "day_new_confirmed",
	"day_new_deaths", "day_avg_confirmed",
	"downloads", "dl_label", "dl_query",
	"source", "now_from_series",
	"has_locator", "locator", "locator_link",
	"has_forecast", "fans", "fan", "fc_origin", "fc_revised",
};

/* One place, for one data version. */
struct region_entry {
	long long          version;   /* -1: free */
	unsigned long      used;      /* LRU clock */
	struct arena       a;
	struct q_location  loc;
	struct q_location  parents[2];   /* country first */
	size_t             nparents;
	struct q_series    s;
	char               source[160];   /* which product s is from */
	struct q_row      *children;
	size_t             nchildren;
	struct table_data  table;     /* the children's rows, rendered */
	struct membuf      charts[2][NCHARTS];   /* [scale][chart], drawn lazily */
	int                drawn[2];
	struct membuf      locator;   /* the small map (map_locator), or empty */
	char               locator_link[200];
	struct qf_fan      fan[2];    /* the newest forecast of cases, deaths */
	struct membuf      fan_svg[2];
};

static struct region_entry cache[CACHE_ENTRIES];
static unsigned long clock_now;

int
region_init(void)
{
	for (size_t i = 0; i < CACHE_ENTRIES; i++)
		cache[i].version = -1;
	return (region_tmpl = page_load("region.html", rkeys, R__MAX)) ? 0 : -1;
}

static const char *const chart_title[NCHARTS] = {
	"Confirmed cases, cumulative", "Deaths, cumulative",
	"New cases a day", "New deaths a day",
};

static void
draw_charts(struct region_entry *e, int scale)
{
	const struct q_series *s = &e->s;
	char desc[800], from[24] = "", to[24] = "", place[256];
	struct chart_series one[2];
	struct chart c;

	if (s->n > 0) {
		date_long(s->dates[0], from, sizeof from);
		date_long(s->dates[s->n - 1], to, sizeof to);
	}
	snprintf(place, sizeof place, "%s", e->loc.name);
	for (int k = 0; k < NCHARTS; k++) {
		struct sink out;
		memset(&c, 0, sizeof c);
		memset(one, 0, sizeof one);
		switch (k) {
		case 0:
			one[0] = (struct chart_series){ "Confirmed", s->confirmed, CHART_LINE };
			c.nseries = 1;
			break;
		case 1:
			one[0] = (struct chart_series){ "Deaths", s->deaths, CHART_LINE };
			c.nseries = 1;
			break;
		case 2:
			one[0] = (struct chart_series){ "New cases", s->new_confirmed, CHART_BARS };
			one[1] = (struct chart_series){ "7-day average", s->avg_confirmed, CHART_LINE };
			c.nseries = 2;
			break;
		default:
			one[0] = (struct chart_series){ "New deaths", s->new_deaths, CHART_BARS };
			one[1] = (struct chart_series){ "7-day average", s->avg_deaths, CHART_LINE };
			c.nseries = 2;
			break;
		}
		/* The description is the chart's text alternative; the place's
		 * name in it is escaped by chart.c like all its text. Without a
		 * report there are no dates to name (the page shows no chart
		 * then, but the text is still a sentence). */
		if (s->n == 0)
			snprintf(desc, sizeof desc, "%s in %s: no reports.",
			    chart_title[k], place);
		else
			snprintf(desc, sizeof desc, "%s in %s, each %s "
			    "from %s to %s%s%s. %s", chart_title[k], place,
			    s->nseries == s->n ? "day" : "reported date", from, to,
			    k >= 2 ? "; bars for each date, a line for the 7-day "
			    "average" : "",
			    scale == SCALE_LOG ? "; logarithmic scale" : "",
			    e->source);
		c.title = chart_title[k];
		c.description = desc;
		c.dates = s->dates;
		c.n = s->n;
		c.series = one;
		c.log_scale = scale == SCALE_LOG;
		e->charts[scale][k].len = 0;
		out = membuf_sink(&e->charts[scale][k]);
		chart_svg(&out, &c);
		if (out.failed)
			e->charts[scale][k].len = 0;
	}
	e->drawn[scale] = 1;
}

/* The newest forecasts as fans after the weeks they started from. */
static void
draw_fans(struct region_entry *e)
{
	static const char *const what[2] = { "New cases a week", "New deaths a week" };
	static const char *const ids[2] = { "fan-cases", "fan-deaths" };

	for (int t = 0; t < 2; t++) {
		const struct qf_fan *f = &e->fan[t];
		const char *obs_dates[QF_HISTORY], *fc_dates[QF_HORIZONS];
		char desc[600], title[96];
		struct fan_chart c;
		struct sink out;

		e->fan_svg[t].len = 0;
		if (!f->found)
			continue;
		for (size_t i = 0; i < f->nweeks; i++)
			obs_dates[i] = f->week_end[i];
		for (size_t i = 0; i < QF_HORIZONS; i++)
			fc_dates[i] = f->target_end[i];
		snprintf(title, sizeof title, "%s: forecast from %s", what[t],
		    f->origin);
		snprintf(desc, sizeof desc, "%s in %s, weeks ending Saturday: "
		    "the %zu weeks to %s as reported, then the forecast for the "
		    "4 weeks to %s: median %.0f to %.0f, 95 %% interval at 4 "
		    "weeks %.0f to %.0f.", what[t], e->loc.name, f->nweeks,
		    f->origin, f->target_end[QF_HORIZONS - 1], f->q50[0],
		    f->q50[QF_HORIZONS - 1], f->q025[QF_HORIZONS - 1],
		    f->q975[QF_HORIZONS - 1]);
		memset(&c, 0, sizeof c);
		c.title = title;
		c.description = desc;
		c.id = ids[t];
		c.obs_dates = obs_dates;
		c.obs = f->week;
		c.n_obs = f->nweeks;
		c.fc_dates = fc_dates;
		c.lo95 = f->q025;
		c.lo50 = f->q25;
		c.median = f->q50;
		c.hi50 = f->q75;
		c.hi95 = f->q975;
		c.n_fc = QF_HORIZONS;
		out = membuf_sink(&e->fan_svg[t]);
		fan_chart_svg(&out, &c);
		if (out.failed)
			e->fan_svg[t].len = 0;
	}
}

static void
entry_clear(struct region_entry *e)
{
	e->version = -1;
	arena_reset(&e->a);
	e->locator.len = 0;
	e->locator_link[0] = '\0';
	e->drawn[0] = e->drawn[1] = 0;
}

/* Fills e for slug. Returns 1 found, 0 no such place, -1 error. */
static int
entry_load(struct portal *p, struct region_entry *e, const char *slug)
{
	struct q_location parent;
	long long up;
	int rc;

	entry_clear(e);
	if ((rc = query_location(p->q, &e->a, slug, &e->loc)) != 1)
		return rc;
	/* The chain up to the country: at most two more lookups. */
	e->nparents = 0;
	for (up = e->loc.parent_id; up > 0 && e->nparents < 2; up = parent.parent_id) {
		if ((rc = query_location_id(p->q, &e->a, up, &parent)) < 0)
			return -1;
		if (rc == 0)
			break;
		e->parents[e->nparents++] = parent;
	}
	/* Country first. */
	if (e->nparents == 2) {
		parent = e->parents[0];
		e->parents[0] = e->parents[1];
		e->parents[1] = parent;
	}
	if (query_series(p->q, &e->a, &e->loc, &e->s) != 0 ||
	    query_children(p->q, &e->a, &e->loc, &e->children, &e->nchildren) != 0 ||
	    table_prepare(&e->a, &e->table, e->children, e->nchildren) != 0)
		return -1;
	for (int t = 0; t < 2; t++)
		if (query_forecast_fan(p->qf, e->loc.id, t + 1, &e->fan[t]) != 0)
			return -1;
	draw_fans(e);
	source_note(e->source, sizeof e->source, &e->s);
	/* Drawn once per place and data version, kept with the entry. */
	if ((rc = map_locator(&e->a, &e->loc, e->children, e->nchildren,
	    &e->locator, e->locator_link, sizeof e->locator_link)) < 0)
		return -1;
	if (rc == 0)
		e->locator.len = 0;
	e->version = p->meta.data_version;
	return 1;
}

/* The cached entry for slug at this data version, or NULL. */
static struct region_entry *
cached(const struct portal *p, const char *slug)
{
	for (size_t i = 0; i < CACHE_ENTRIES; i++)
		if (cache[i].version == p->meta.data_version &&
		    strcmp(cache[i].loc.slug, slug) == 0) {
			cache[i].used = ++clock_now;
			return &cache[i];
		}
	return NULL;
}

/* The cached entry for slug at this data version, loading it (into the
 * least recently used slot) when needed. NULL with *rc 0 (none) or -1. */
static struct region_entry *
lookup(struct portal *p, const char *slug, int *rc)
{
	struct region_entry *e, *victim = NULL;
	long long cur = p->meta.data_version;

	clock_now++;
	for (size_t i = 0; i < CACHE_ENTRIES; i++) {
		e = &cache[i];
		if (e->version == cur && strcmp(e->loc.slug, slug) == 0) {
			e->used = clock_now;
			return e;
		}
		/* Evict a free or stale slot first, else the least recently used. */
		if (victim == NULL ||
		    (e->version != cur && victim->version == cur) ||
		    ((e->version != cur) == (victim->version != cur) &&
		    e->used < victim->used))
			victim = e;
	}
	if ((*rc = entry_load(p, victim, slug)) != 1) {
		entry_clear(victim);
		return NULL;
	}
	victim->used = clock_now;
	return victim;
}

struct region_arg {
	struct page_req      *pr;
	struct region_entry  *e;
	struct q_figures      now;
	char                  prev[11];
	int                   scale;
	struct place_table   *table;
	size_t                crumb, chart, day, dl, fan;
	char                  dl_query[3][512];
	const char           *dl_label[3];
	size_t                ndl;
};

static const char *
dl_country(const struct q_location *l)
{
	return l->iso3 != NULL && *l->iso3 ? l->iso3 : l->country;
}

/* The download queries for this place (export parameters). */
static void
build_downloads(struct region_arg *a)
{
	const struct q_location *l = &a->e->loc;
	struct membuf b = { 0 };
	struct sink s;
	static const char *const levels[] = { "country", "province", "county" };

	a->ndl = 0;
	for (int lv = l->level; lv <= GEO_COUNTY && a->ndl < 3; lv++) {
		/* This place itself, then the levels below it that exist. */
		if (lv > (int)l->level && a->e->nchildren == 0)
			break;
		if (lv == GEO_COUNTY && l->level == GEO_COUNTRY &&
		    strcmp(l->country, "US") != 0)
			break;
		b.len = 0;
		s = membuf_sink(&b);
		sink_printf(&s, "level=%s&country=", levels[lv]);
		esc_url(&s, dl_country(l));
		if (l->level != GEO_COUNTRY) {
			sink_puts(&s, "&province=");
			esc_url(&s, l->province);
		}
		if (!s.failed && b.len < sizeof a->dl_query[0]) {
			memcpy(a->dl_query[a->ndl], b.data, b.len + 1);
			a->dl_label[a->ndl] = lv == (int)l->level ?
			    (l->level == GEO_COUNTY ? "Every county of this state" :
			    "This place") :
			    lv == GEO_PROVINCE ? "Its provinces and states" : "Its counties";
			a->ndl++;
		}
		if (l->level == GEO_COUNTY)
			break;
	}
	membuf_free(&b);
}

static int
region_var(struct tmpl_out *o, size_t key, void *arg)
{
	struct region_arg *a = arg;
	struct region_entry *e = a->e;
	const struct q_series *s = &e->s;
	size_t di = s->n - 1 - a->day;   /* days run newest first */
	char buf[64];

	switch ((enum rkey)key) {
	case R_NAME:
		tmpl_text(o, e->loc.name);
		break;
	case R_PLACE:
		out_place(o, &e->loc);
		break;
	case R_LEVEL:
		tmpl_text(o, level_label(e->loc.level));
		break;
	case R_CRUMB_SLUG:
		tmpl_path(o, e->parents[a->crumb].slug);
		break;
	case R_CRUMB_NAME:
		tmpl_text(o, e->parents[a->crumb].name);
		break;
	case R_NEWEST:
		tmpl_text(o, a->now.date);
		break;
	case R_THROUGH:
		date_long(a->now.date, buf, sizeof buf);
		tmpl_text(o, buf);
		break;
	case R_CONFIRMED:      out_count(o, a->now.confirmed); break;
	case R_DEATHS:         out_count(o, a->now.deaths); break;
	case R_NEW_CONFIRMED:  out_delta(o, a->now.new_confirmed); break;
	case R_NEW_DEATHS:     out_delta(o, a->now.new_deaths); break;
	case R_AVG_CONFIRMED:  out_average(o, a->now.avg_confirmed); break;
	case R_AVG_DEATHS:     out_average(o, a->now.avg_deaths); break;
	case R_CONFIRMED_100K: out_per_100k(o, a->now.confirmed, e->loc.population); break;
	case R_DEATHS_100K:    out_per_100k(o, a->now.deaths, e->loc.population); break;
	case R_POPULATION:     out_count(o, e->loc.population); break;
	case R_PREV_DATE:
		date_long(a->prev, buf, sizeof buf);
		tmpl_text(o, buf);
		break;
	case R_SCALE_QUERY:
		tmpl_text(o, a->scale == SCALE_LOG ? "scale=log&" : "");
		break;
	case R_CHART:
		/* Markup chart.c drew (it escapes its own text). */
		sink_write(tmpl_raw(o), e->charts[a->scale][a->chart].data ?
		    e->charts[a->scale][a->chart].data : "",
		    e->charts[a->scale][a->chart].len);
		break;
	case R_CHILDREN_TITLE:
		tmpl_text(o, e->loc.level == GEO_COUNTRY ? "Provinces and states" :
		    "Counties");
		break;
	case R_TABLE:
		return table_render(o, a->table);
	case R_DAY:
		date_long(s->dates[di], buf, sizeof buf);
		tmpl_text(o, buf);
		break;
	case R_DAY_CONFIRMED:     out_count(o, isnan(s->confirmed[di]) ? Q_NONE : (long long)s->confirmed[di]); break;
	case R_DAY_DEATHS:        out_count(o, isnan(s->deaths[di]) ? Q_NONE : (long long)s->deaths[di]); break;
	case R_DAY_NEW_CONFIRMED: out_delta(o, isnan(s->new_confirmed[di]) ? Q_NONE : (long long)s->new_confirmed[di]); break;
	case R_DAY_NEW_DEATHS:    out_delta(o, isnan(s->new_deaths[di]) ? Q_NONE : (long long)s->new_deaths[di]); break;
	case R_DAY_AVG_CONFIRMED: out_average(o, s->avg_confirmed[di]); break;
	case R_DL_LABEL:
		tmpl_text(o, a->dl_label[a->dl]);
		break;
	case R_SOURCE:
		tmpl_text(o, e->source);
		break;
	case R_LOCATOR:
		/* Markup web/choropleth drew (it escapes its own text). */
		sink_write(tmpl_raw(o), e->locator.data ? e->locator.data : "",
		    e->locator.len);
		break;
	case R_LOCATOR_LINK:
		tmpl_path(o, e->locator_link + 1);
		break;
	case R_FAN:
		/* Markup fan_chart.c drew (it escapes its own text). */
		sink_write(tmpl_raw(o), e->fan_svg[a->fan].data ?
		    e->fan_svg[a->fan].data : "", e->fan_svg[a->fan].len);
		break;
	case R_FC_ORIGIN:
		date_long(e->fan[e->fan[0].found ? 0 : 1].origin, buf, sizeof buf);
		tmpl_text(o, buf);
		break;
	case R_DL_QUERY:
		/* Already URL-encoded; escaping for HTML turns & into &amp;. */
		tmpl_text(o, a->dl_query[a->dl]);
		break;
	default:
		break;
	}
	return 0;
}

static int
region_section(size_t key, size_t i, void *arg)
{
	struct region_arg *a = arg;
	struct region_entry *e = a->e;
	long gap;

	switch ((enum rkey)key) {
	case R_CRUMBS:
		a->crumb = i;
		return i < e->nparents;
	case R_CHARTS:
		a->chart = i;
		return i < NCHARTS;
	case R_DAYS:
		a->day = i;
		return i < RECENT_DAYS && i < e->s.n;
	case R_DOWNLOADS:
		a->dl = i;
		return i < a->ndl;
	case R_FANS: {
		/* the i-th fan that was drawn */
		size_t k = 0;

		for (a->fan = 0; a->fan < 2; a->fan++)
			if (e->fan_svg[a->fan].len > 0 && k++ == i)
				return 1;
		return 0;
	}
	default:
		break;
	}
	if (i > 0)
		return 0;
	switch ((enum rkey)key) {
	case R_HAS_DATA:       return e->s.n > 0;
	case R_HAS_AVG:        return !isnan(a->now.avg_confirmed);
	case R_HAS_POPULATION: return e->loc.population != Q_NONE && e->loc.population > 0;
	case R_HAS_CHILDREN:   return e->nchildren > 0;
	case R_HAS_LOCATOR:    return e->locator.len > 0;
	case R_SCALE_LIN:      return a->scale == SCALE_LIN;
	case R_SCALE_LOG:      return a->scale == SCALE_LOG;
	case R_NOW_FROM_SERIES: return a->now.source == Q_FROM_SERIES;
	case R_HAS_FORECAST:   return e->fan_svg[0].len > 0 || e->fan_svg[1].len > 0;
	case R_FC_REVISED:
		return e->fan[0].history == 2 || e->fan[1].history == 2;
	case R_HAS_GAP:
		gap = date_days(a->now.date) - date_days(a->prev);
		return a->prev[0] != '\0' && gap != 1;
	default:
		return 0;
	}
}

void
region_page(struct page_req *pr)
{
	struct region_entry *e;
	struct place_table t = { 0 };
	struct region_arg a = { 0 };
	struct tmpl_cbs cbs = { region_var, region_section, &a };
	struct page_meta m = { NULL, NULL, NAV_REGIONS, NULL };
	const struct http_field *f = http_get(pr->r, K_SCALE);
	char *title;
	int rc = 0;

	a.scale = f ? (int)f->num : SCALE_LIN;
	/* A place not in the cache is read from a snapshot. */
	e = *pr->rest == '\0' ? NULL : cached(pr->p, pr->rest);
	if (e == NULL && *pr->rest != '\0' && (rc = portal_snapshot(pr)) == 0)
		e = lookup(pr->p, pr->rest, &rc);
	if (e == NULL) {
		if (rc < 0)
			error_page(pr->r, pr->out, 500, NULL, 0);
		else
			error_page(pr->r, pr->out, 404, "There is no region at this "
			    "address. Region addresses look like /region/us/new-york/kings; "
			    "search for the place by name instead.", 0);
		return;
	}
	if (!e->drawn[a.scale])
		draw_charts(e, a.scale);
	a.pr = pr;
	a.e = e;
	if (e->s.n > 0) {
		q_series_figures(&e->s, e->s.n - 1, &a.now);
		if (e->s.n > 1)
			snprintf(a.prev, sizeof a.prev, "%s", e->s.dates[e->s.n - 2]);
	} else {
		a.now.confirmed = a.now.deaths = Q_NONE;
		a.now.new_confirmed = a.now.new_deaths = Q_NONE;
		a.now.avg_confirmed = a.now.avg_deaths = NAN;
	}
	t.data = &e->table;
	t.sort = SORT_NAME;
	t.caption = e->loc.level == GEO_COUNTRY ? "Provinces and states on their newest "
	    "report. Select a heading to sort." : "Counties on their newest report. "
	    "Select a heading to sort.";
	t.link_base = a.scale == SCALE_LOG ? "scale=log&" : "";
	a.table = &t;
	if (table_sort(&t, pr->r) != 0) {
		error_page(pr->r, pr->out, 500, NULL, 0);
		return;
	}
	build_downloads(&a);

	/* The title names the place with what it is in: "Kings, New York, US". */
	title = arena_alloc(pr->a, strlen(e->loc.name) + strlen(e->loc.province) +
	    strlen(e->loc.country) + 8);
	if (title == NULL) {
		error_page(pr->r, pr->out, 500, NULL, 0);
		return;
	}
	strcpy(title, e->loc.name);
	if (e->loc.level == GEO_COUNTY && *e->loc.province) {
		strcat(title, ", ");
		strcat(title, e->loc.province);
	}
	if (e->loc.level != GEO_COUNTRY) {
		strcat(title, ", ");
		strcat(title, e->loc.country);
	}
	m.title = title;
	portal_send(pr, &m, region_tmpl, &cbs);
}
