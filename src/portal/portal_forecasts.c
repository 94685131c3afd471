/* portal_forecasts: "/forecasts", the forecasts' measured skill (the
 * backtest's table and its course over time), and the forecast files
 * "/forecasts/forecasts.csv" and "/forecasts/scores.csv" in the COVID-19
 * Forecast Hub's long layout (?level=, ?date= the origin). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/csv_writer.h"
#include "base/date.h"
#include "base/numfmt.h"
#include "portal/portal.h"
#include "web/chart.h"

static struct tmpl *fc_tmpl;

enum fkey {
	F_HAS_SKILL, F_ROWS, F_SCOPE, F_TARGET, F_HORIZON, F_PLACES,
	F_FORECASTS, F_REL, F_POOLED, F_BEATS, F_C50, F_C95, F_BC50, F_BC95,
	F_CHART, F_HAS_RUN, F_RUN_AT, F_RUN_MSG, F_ALL_H,
	F__MAX
};
static const char *const fkeys[F__MAX] = {
	"has_skill", "rows", "scope", "target", "horizon", "places",
	"forecasts", "rel", "pooled", "beats", "c50", "c95", "bc50", "bc95",
	"chart", "has_run", "run_at", "run_msg", "all_h",
};

int
forecasts_init(void)
{
	return (fc_tmpl = page_load("forecasts.html", fkeys, F__MAX)) ? 0 : -1;
}

struct fc_arg {
	struct qf_skill  *skill;
	size_t            nskill;
	size_t           *model_rows;   /* the ensemble's rows, in order */
	size_t            nrows, row;
	struct qf_run     run;
	int               have_run;
	struct membuf     chart;
};

/* The baseline's row beside the ensemble's row i, or NULL. */
static const struct qf_skill *
baseline_of(const struct fc_arg *a, const struct qf_skill *m)
{
	for (size_t i = 0; i < a->nskill; i++) {
		const struct qf_skill *b = &a->skill[i];

		if (strcmp(b->model, "baseline") == 0 &&
		    strcmp(b->scope, m->scope) == 0 &&
		    strcmp(b->target, m->target) == 0 && b->horizon == m->horizon)
			return b;
	}
	return NULL;
}

static void
out_ratio(struct tmpl_out *o, double v, int decimals)
{
	char buf[32];

	fmt_decimal(buf, sizeof buf, v, decimals);
	tmpl_text(o, *buf ? buf : "–");
}

static void
out_share(struct tmpl_out *o, double v)
{
	char buf[32];

	fmt_decimal(buf, sizeof buf, v * 100, 1);
	if (*buf)
		tmpl_printf(o, "%s %%", buf);
	else
		tmpl_text(o, "–");
}

static int
fc_var(struct tmpl_out *o, size_t key, void *arg)
{
	struct fc_arg *a = arg;
	const struct qf_skill *m = a->nrows ? &a->skill[a->model_rows[a->row]] : NULL;
	const struct qf_skill *b = m ? baseline_of(a, m) : NULL;

	switch ((enum fkey)key) {
	case F_SCOPE:
		tmpl_text(o, strcmp(m->scope, "country") == 0 ? "Countries" :
		    "Provinces and states");
		break;
	case F_TARGET:
		tmpl_text(o, strcmp(m->target, "inc case") == 0 ? "cases" : "deaths");
		break;
	case F_HORIZON:
		if (m->horizon == 0)
			tmpl_text(o, "1–4 weeks");
		else
			tmpl_printf(o, "%d week%s", m->horizon, m->horizon == 1 ? "" : "s");
		break;
	case F_PLACES:    out_count(o, m->places); break;
	case F_FORECASTS: out_count(o, m->forecasts); break;
	case F_REL:       out_ratio(o, m->rel_wis, 3); break;
	case F_POOLED:    out_ratio(o, m->rel_wis_pooled, 3); break;
	case F_BEATS:     out_share(o, m->beats); break;
	case F_C50:       out_share(o, m->cover50); break;
	case F_C95:       out_share(o, m->cover95); break;
	case F_BC50:      out_share(o, b ? b->cover50 : NAN); break;
	case F_BC95:      out_share(o, b ? b->cover95 : NAN); break;
	case F_CHART:
		/* Markup chart.c drew (it escapes its own text). */
		sink_write(tmpl_raw(o), a->chart.data ? a->chart.data : "",
		    a->chart.len);
		break;
	case F_RUN_AT:
		tmpl_text(o, a->run.finished_at);
		break;
	case F_RUN_MSG:
		tmpl_text(o, a->run.message);
		break;
	default:
		break;
	}
	return 0;
}

static int
fc_section(size_t key, size_t i, void *arg)
{
	struct fc_arg *a = arg;

	switch ((enum fkey)key) {
	case F_ROWS:
		a->row = i;
		return i < a->nrows;
	case F_ALL_H:
		return i == 0 && a->skill[a->model_rows[a->row]].horizon == 0;
	case F_HAS_SKILL:
		return i == 0 && a->nrows > 0;
	case F_HAS_RUN:
		return i == 0 && a->have_run;
	default:
		return 0;
	}
}

/* Relative WIS by quarter, cases and deaths, as lines. */
static int
draw_time(struct page_req *pr, struct fc_arg *a)
{
	struct qf_period *p;
	size_t n, nd = 0;
	const char **dates;
	double *v[2];
	struct chart_series s[2] = {
		{ "Cases", NULL, CHART_LINE }, { "Deaths", NULL, CHART_LINE },
	};
	struct chart c;
	struct sink out;

	if (query_forecast_periods(pr->p->qf, pr->a, &p, &n) != 0)
		return -1;
	if (n == 0)
		return 0;
	dates = arena_calloc(pr->a, n, sizeof *dates);
	v[0] = arena_calloc(pr->a, n, sizeof(double));
	v[1] = arena_calloc(pr->a, n, sizeof(double));
	if (dates == NULL || v[0] == NULL || v[1] == NULL)
		return -1;
	/* the distinct quarters, in order (rows come by target, then date) */
	for (size_t i = 0; i < n; i++) {
		size_t j;

		for (j = 0; j < nd && strcmp(dates[j], p[i].period_start) != 0; j++)
			;
		if (j == nd) {
			size_t k = nd++;

			while (k > 0 && strcmp(dates[k - 1], p[i].period_start) > 0) {
				dates[k] = dates[k - 1];
				k--;
			}
			dates[k] = p[i].period_start;
		}
	}
	for (size_t j = 0; j < nd; j++)
		v[0][j] = v[1][j] = NAN;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < nd; j++)
			if (strcmp(dates[j], p[i].period_start) == 0)
				v[strcmp(p[i].target, "inc case") == 0 ? 0 : 1][j] =
				    p[i].rel_wis;
	s[0].values = v[0];
	s[1].values = v[1];
	memset(&c, 0, sizeof c);
	c.title = "Relative WIS by quarter of the forecast date (countries, "
	    "1-4 weeks; below 1: better than the baseline)";
	c.description = "The geometric mean over countries of each country's "
	    "summed weighted interval score of the portal's forecasts over the "
	    "baseline's, for the forecasts made in each quarter, one line for "
	    "cases and one for deaths.";
	c.dates = dates;
	c.n = nd;
	c.series = s;
	c.nseries = 2;
	out = membuf_sink(&a->chart);
	chart_svg(&out, &c);
	return out.failed ? -1 : 0;
}

void
forecasts_page(struct page_req *pr)
{
	struct fc_arg a;
	struct tmpl_cbs cbs = { fc_var, fc_section, &a };
	struct page_meta m = { "Forecasts and their skill", "1-4 week ahead "
	    "forecasts of COVID-19 cases and deaths, backtested against the "
	    "Forecast Hub's baseline over JHU's whole history.", NAV_NONE, NULL };
	int rc = -1;

	memset(&a, 0, sizeof a);
	if (portal_snapshot(pr) != 0 ||
	    query_forecast_skill(pr->p->qf, pr->a, &a.skill, &a.nskill) != 0 ||
	    (a.have_run = query_forecast_last_run(pr->p->qf, pr->a, &a.run)) < 0)
		goto done;
	if (a.nskill > 0 &&
	    (a.model_rows = arena_calloc(pr->a, a.nskill, sizeof *a.model_rows)) == NULL)
		goto done;
	for (size_t i = 0; i < a.nskill; i++)
		if (strcmp(a.skill[i].model, "baseline") != 0)
			a.model_rows[a.nrows++] = i;
	if (draw_time(pr, &a) != 0)
		goto done;
	portal_send(pr, &m, fc_tmpl, &cbs);
	rc = 0;
done:
	if (rc != 0)
		error_page(pr->r, pr->out, 500, NULL, 0);
	membuf_free(&a.chart);
}

/* ---- the files ---- */

struct csv_arg {
	struct csv_writer w;
	int               scores;
};

static void
csv_num(struct csv_writer *w, double v, int decimals)
{
	char buf[48];

	if (isnan(v)) {
		csvw_empty(w);
		return;
	}
	snprintf(buf, sizeof buf, "%.*f", decimals, v);
	csvw_plain(w, buf, strlen(buf));
}

static void
csv_str(struct csv_writer *w, const char *s)
{
	csvw_text(w, s, strlen(s));
}

static int
csv_row(void *arg, const struct qf_csv_row *r, const struct qf_score *sc)
{
	struct csv_arg *a = arg;
	struct csv_writer *w = &a->w;
	char target[32], uid[24];

	snprintf(target, sizeof target, "%d wk ahead %s", r->horizon, r->target);
	csv_str(w, r->model);
	csvw_plain(w, r->origin, strlen(r->origin));
	csv_str(w, target);
	csvw_plain(w, r->target_end, strlen(r->target_end));
	if (r->uid >= 0) {
		snprintf(uid, sizeof uid, "%lld", r->uid);
		csvw_plain(w, uid, strlen(uid));
	} else
		csvw_empty(w);
	csv_str(w, r->country);
	csv_str(w, r->province);
	csv_str(w, r->admin2);
	if (!a->scores) {
		csv_str(w, "quantile");
		csv_num(w, r->quantile, 3);
		csv_num(w, r->value, 0);
	} else {
		csv_num(w, sc->observed, 0);
		csv_num(w, sc->wis, 3);
		csv_num(w, sc->abs_error, 0);
		csv_num(w, sc->cover50, 0);
		csv_num(w, sc->cover95, 0);
		csv_num(w, sc->baseline_wis, 3);
		csv_str(w, sc->history);
	}
	csvw_end(w);
	return w->out->failed ? -1 : 0;
}

static const char *const csv_head[2] = {
	"model,forecast_date,target,target_end_date,location,country_region,"
	"province_state,admin2,type,quantile,value\r\n",
	"model,forecast_date,target,target_end_date,location,country_region,"
	"province_state,admin2,observed,wis,abs_error,covered_50,covered_95,"
	"baseline_wis,history\r\n",
};

void
forecasts_csv_page(struct page_req *pr)
{
	const struct http_field *lf = http_get(pr->r, K_LEVEL);
	const struct http_field *df = http_get(pr->r, K_DATE);
	struct csv_arg a;
	struct http_resp h = { 200, "text/csv; charset=utf-8", HTTP_CACHE_DATA,
	    0, NULL };
	char name[64];
	/* the export form's level key, so its names are the same */
	const char *level = lf ? export_level_names[lf->num] : "country";

	memset(&a, 0, sizeof a);
	if (strcmp(pr->rest, "forecasts.csv") == 0)
		a.scores = 0;
	else if (strcmp(pr->rest, "scores.csv") == 0)
		a.scores = 1;
	else {
		error_page(pr->r, pr->out, 404, NULL, 0);
		return;
	}
	if (portal_snapshot(pr) != 0) {
		error_page(pr->r, pr->out, 500, NULL, 0);
		return;
	}
	snprintf(name, sizeof name, "covid-%s-%s%s%s.csv", a.scores ? "scores" :
	    "forecasts", level, df ? "-" : "", df ? df->val : "");
	h.filename = name;
	if (!http_headers(pr->r, pr->out, &h))
		return;
	sink_puts(pr->out, csv_head[a.scores]);
	csvw_init(&a.w, pr->out, 1);
	/* a failure now can only cut the file short; the log says why */
	(void)query_forecast_rows(pr->p->qf, a.scores, level,
	    df ? df->val : NULL, csv_row, &a);
}
