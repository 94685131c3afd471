/* intake_page: /live, the public view of the case reports: totals, the top
 * areas, a donut by area and columns by age range (web/chart.c), counts by
 * type and state, the last cases. Names are never read for it: the figures
 * (intake_db_figures) do not hold them. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/numfmt.h"
#include "intake/intake.h"
#include "intake/intake_live.h"
#include "web/chart.h"
#include "web/page.h"

enum lkey {
	V_LAST_ID, V_TOTAL, V_TOP, V_TOP_RANK, V_TOP_AREA, V_TOP_CASES,
	V_HAS_CASES, V_AREAS_CHART, V_AGES_CHART, V_TYPES, V_TYPE_NAME,
	V_TYPE_CASES, V_STATES, V_STATE_NAME, V_STATE_CASES, V_LAST,
	V_LAST_TIME, V_LAST_LOCATION, V_LAST_AGE, V_LAST_TYPE, V_LAST_STATE,
	V_SHARDS,
	V__MAX
};
static const char *const keys[V__MAX] = {
	"last_id", "total", "top", "top_rank", "top_area", "top_cases",
	"has_cases", "areas_chart", "ages_chart", "types", "type_name",
	"type_cases", "states", "state_name", "state_cases", "last",
	"last_time", "last_location", "last_age", "last_type", "last_state",
	"shards",
};

int
intake_live_init(struct intake_app *a)
{
	return (a->live_tmpl = page_load("live.html", keys, V__MAX)) ? 0 : -1;
}

struct view {
	const struct live_figures *f;
	size_t top, type, state, last;   /* the section item in hand */
};

static void
thousands(struct tmpl_out *o, long long v)
{
	char buf[32];

	fmt_thousands(buf, sizeof buf, v);
	tmpl_text(o, buf);
}

static void
areas_chart(struct tmpl_out *o, const struct live_figures *f)
{
	struct chart_part parts[LIVE_TOP_AREAS + 1];
	size_t n = 0;
	struct chart_parts c = { "Cases by area", "The areas with the most cases, "
	    "the rest as other.", parts, 0, 640, 300 };

	for (size_t i = 0; i < f->nareas; i++)
		parts[n++] = (struct chart_part){ f->areas[i].key,
		    (double)f->areas[i].n, 0 };
	if (f->other > 0)
		parts[n++] = (struct chart_part){ "other", (double)f->other, 1 };
	c.n = n;
	chart_donut_svg(tmpl_raw(o), &c);
}

static void
ages_chart(struct tmpl_out *o, const struct live_figures *f)
{
	struct chart_part parts[INTAKE_AGE_BANDS];
	struct chart_parts c = { "Cases by age", "Cases in each ten-year age "
	    "range.", parts, INTAKE_AGE_BANDS, 640, 260 };

	for (int i = 0; i < INTAKE_AGE_BANDS; i++)
		parts[i] = (struct chart_part){ intake_age_band_label(i),
		    (double)f->age[i], 0 };
	chart_columns_svg(tmpl_raw(o), &c);
}

static int
var(struct tmpl_out *o, size_t key, void *arg)
{
	struct view *v = arg;
	const struct live_figures *f = v->f;
	const struct live_case *c = &f->last[v->last < LIVE_LAST ? v->last : 0];

	switch ((enum lkey)key) {
	case V_LAST_ID:     tmpl_int(o, f->last_id); break;
	/* How many channels live.js picks its subscription from. */
	case V_SHARDS:      tmpl_int(o, LIVE_SHARDS); break;
	case V_TOTAL:       thousands(o, f->total); break;
	case V_TOP_RANK:    tmpl_int(o, (long long)v->top + 1); break;
	case V_TOP_AREA:    tmpl_text(o, f->areas[v->top].key); break;
	case V_TOP_CASES:   thousands(o, f->areas[v->top].n); break;
	case V_AREAS_CHART: areas_chart(o, f); break;
	case V_AGES_CHART:  ages_chart(o, f); break;
	case V_TYPE_NAME:   tmpl_text(o, intake_infectedtypes[v->type]); break;
	case V_TYPE_CASES:  thousands(o, f->by_type[v->type]); break;
	case V_STATE_NAME:  tmpl_text(o, intake_states[v->state]); break;
	case V_STATE_CASES: thousands(o, f->by_state[v->state]); break;
	case V_LAST_TIME:   tmpl_text(o, c->received_at); break;
	case V_LAST_LOCATION: tmpl_text(o, c->location); break;
	case V_LAST_AGE:    tmpl_text(o, intake_age_band_label(c->age_band)); break;
	case V_LAST_TYPE:   tmpl_text(o, c->infectedtype); break;
	case V_LAST_STATE:  tmpl_text(o, c->state); break;
	default: break;
	}
	return 0;
}

static int
section(size_t key, size_t i, void *arg)
{
	struct view *v = arg;
	const struct live_figures *f = v->f;

	switch ((enum lkey)key) {
	case V_HAS_CASES: return i == 0 && f->total > 0;
	case V_TOP:       v->top = i; return i < 3 && i < f->nareas;
	case V_TYPES:     v->type = i; return intake_infectedtypes[i] != NULL;
	case V_STATES:    v->state = i; return intake_states[i] != NULL;
	case V_LAST:      v->last = i; return i < f->nlast;
	default:          return 0;
	}
}

void
intake_live_page(struct intake_app *a, struct http_req *r, struct sink *out)
{
	struct live_figures f;
	struct view v = { &f, 0, 0, 0, 0 };
	struct tmpl_cbs cbs = { var, section, &v };
	struct page_meta m = { "Live case reports", "Case reports as they "
	    "arrive: totals, areas, ages, types and states, without names.",
	    NAV_LIVE, NULL };
	struct http_resp h = { 200, NULL, HTTP_CACHE_NONE, 0, NULL };

	if (intake_open_db(a) == NULL ||
	    intake_db_figures(a->db, &a->arena, &f) != 0) {
		error_page(r, out, 503, "The case reports cannot be read right now.", 0);
		return;
	}
	if (http_headers(r, out, &h))
		page_render(r, out, &m, a->live_tmpl, &cbs);
}
