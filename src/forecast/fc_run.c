/* fc_run: the backtest and the forecasts of every place, in three passes
 * over the places so that memory does not grow with their number:
 *   0. each place's weekly growth goes into the normal equations of the
 *      autoregression pooled over places, per target, size stratum and
 *      week (fc_arpool), each place's own fit's prior;
 *   1. each place's model errors go into a histogram per target, horizon,
 *      size stratum and target week (fc_pool);
 *   2. each place is read again and forecast at every origin, the model's
 *      intervals from the errors of weeks up to that origin only, then
 *      scored and written; the skill is summed as it goes.
 * Counties get their latest forecast only, after the other places. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/log.h"
#include "forecast/fc_ar.h"
#include "forecast/fc_arpool.h"
#include "forecast/fc_baseline.h"
#include "forecast/fc_db.h"
#include "forecast/fc_ensemble.h"
#include "forecast/fc_pool.h"
#include "forecast/fc_run.h"
#include "forecast/fc_scale.h"
#include "forecast/fc_score.h"
#include "forecast/fc_skill.h"
#include "forecast/fc_stack.h"
#include "forecast/fc_weekly.h"

/* A place is forecast from an origin whose last this many weeks are known
 * (from one source). */
#define MIN_WEEKS 8
/* The first Saturday of JHU's data (2020-01-22, a Wednesday). */
#define GRID_FIRST_SAT 18286L   /* 2020-01-25 */
/* The model's point forecasts, each with the pooled errors about it: the
 * average of the smoothing's and the autoregression's (the one whose
 * errors are pooled and scaled), the autoregression's and the
 * smoothing's. A target chooses among the first points(target) of them
 * (fc_stack): deaths the average and the autoregression, cases the
 * average only; the smoothing alone is a part of the average, no longer
 * a choice, and each other choice made the target worse
 * (docs/forecasts.md). */
enum { POINT_AVERAGE, POINT_AR, POINT_SMOOTHING, NPOINTS };

enum { MODEL_BASELINE = 1, MODEL_ENSEMBLE = 2 };

struct run {
	struct fc_db             *d;
	const struct fc_run_opts *o;
	struct fc_pool           *pool;
	struct fc_arpool         *arpool;
	struct fc_skill          *skill;
	size_t                    n_weeks;
	long                      write_from;  /* origins written: >= this day */
	int                       pass;        /* 0 growth, 1 errors, 2 forecasts */
	struct fc_cumul           cumul;
	double                   *w[FC_NSOURCES][FC_NTARGETS];
	double                   *scratch;
	long                     *origin_used; /* per week: forecast from it */
	struct fc_scale           scale;       /* the walked place's errors */
	struct fc_stack           stack;       /* its candidates' past WIS */
	struct fc_run_result     *res;
};

/* Every place's weekly series from both sources (NAN where unknown). */
static int
load_weeks(struct run *r, long long id, enum fc_level level)
{
	int s, t;

	for (s = 0; s < FC_NSOURCES; s++) {
		/* --revised: the time series only, as if no daily report */
		long n = r->o->revised && s == FC_DAILY ? 0 :
		    fc_db_cumulative(r->d, id, level, (enum fc_source)s,
		    &r->cumul);

		if (n < 0)
			return -1;
		for (t = 0; t < FC_NTARGETS; t++)
			fc_weekly(r->cumul.day, r->cumul.cum[t], (size_t)n,
			    GRID_FIRST_SAT, r->n_weeks, r->w[s][t]);
	}
	return 0;
}

/* The model's quantiles h weeks ahead of week t of w, from its state: its
 * pooled errors, their spread scaled to the place's own (fc_scale). */
static int
model_quantiles(struct run *r, int target, int h, size_t t, double level_now,
    double x, double q[QF_NQ])
{
	const double *pooled = fc_pool_quantiles(r->pool, target, h, level_now,
	    t);
	double e[QF_NQ];
	int k;

	if (pooled == NULL)
		return -1;
	for (k = 0; k < QF_NQ; k++)
		e[k] = pooled[k];
	fc_scale_apply(e, fc_scale_factor(fc_scale_spread(&r->scale, t, h,
	    r->scratch), e, FC_SCALE_LO, FC_SCALE_HI));
	for (k = 0; k < QF_NQ; k++) {
		double v = expm1(x + e[k]);

		q[k] = v > 0 ? v : 0;
	}
	return 0;
}

static int
put(struct run *r, struct fc_row *row)
{
	if (r->o->dry_run || row->origin_day < r->write_from)
		return 0;
	if (fc_db_put(r->d, row) != 0)
		return -1;
	r->res->rows++;
	return 0;
}

/* Forecasts of counts are kept as whole counts (SQLite stores a whole REAL
 * in 1-4 bytes instead of 8: the backtest's table is a third of the size),
 * before they are scored, so the stored forecast is the scored one. */
static void
round_counts(double q[QF_NQ])
{
	for (int k = 0; k < QF_NQ; k++)
		q[k] = nearbyint(q[k]);
}

/* The point forecasts a target chooses among, and its candidates. */
static int
points(int target)
{
	return target == FC_DEATHS ? POINT_AR + 1 : POINT_AVERAGE + 1;
}

static int
candidates(int target)
{
	return points(target) * FC_ENS_NC;
}

/* The published model at origin t, h weeks ahead, from the baseline's
 * quantiles b and the model's mq (one per point forecast), into m
 * (rounded): each of the target's candidates, the fc_ensemble candidates
 * of each point forecast it chooses among, is formed and, where the
 * outcome is known, scored for the place's later origins; the one
 * published is the candidate whose earlier forecasts of the place did
 * best (fc_stack). */
static void
ensemble_at(struct run *r, int target, const double *w, size_t t, int h,
    const double b[QF_NQ], double mq[NPOINTS][QF_NQ], double m[QF_NQ])
{
	double cand[FC_STACK_N][QF_NQ], wis[FC_STACK_N];
	size_t tt = t + (size_t)h;
	int n = candidates(target), j, k;

	for (j = 0; j < n; j++) {
		fc_ensemble_candidate(b, mq[j / FC_ENS_NC], h, j % FC_ENS_NC,
		    cand[j]);
		round_counts(cand[j]);
	}
	if (tt < r->n_weeks && !isnan(w[tt])) {
		for (j = 0; j < FC_STACK_N; j++)
			wis[j] = j < n ? fc_score_forecast(cand[j], w[tt]).wis :
			    NAN;
		fc_stack_note(&r->stack, t, h, wis);
	}
	j = fc_stack_choose(&r->stack, t, h, n, FC_ENS_DEFAULT);
	for (k = 0; k < QF_NQ; k++)
		m[k] = cand[j][k];
	if (target == FC_DEATHS) {
		fc_ensemble_narrow_center(m, FC_ENS_DEATHS_CENTER);
		round_counts(m);
	}
}

/* Pass 2 at origin t: both models' forecasts (x: the model's log point
 * forecasts 1..FC_HORIZONS weeks ahead), scored where the outcome is
 * known, written, and added to the skill. */
static int
forecast_at(struct run *r, long long id, enum fc_level level, int target,
    int src, size_t t, double x[NPOINTS][FC_HORIZONS])
{
	double mq[NPOINTS][QF_NQ];
	const double *w = r->w[src][target];
	struct fc_row b, m;
	int h, have_b;

	memset(&b, 0, sizeof b);
	b.location_id = id;
	b.target = target;
	b.origin_day = GRID_FIRST_SAT + 7 * (long)t;
	b.source = src;
	b.last_week = w[t];
	m = b;
	b.model = MODEL_BASELINE;
	m.model = MODEL_ENSEMBLE;
	have_b = fc_baseline(w, t, r->scratch, b.q) == 0;
	round_counts(b.q);
	r->origin_used[t] = 1;
	for (h = 1; h <= FC_HORIZONS; h++) {
		int have_m = 1, p;

		for (p = 0; p < points(target); p++)
			have_m = have_m && model_quantiles(r, target, h, t,
			    w[t], x[p][h - 1], mq[p]) == 0;
		size_t tt = t + (size_t)h;

		have_m = have_m && have_b;
		if (have_m)
			ensemble_at(r, target, w, t, h, b.q, mq, m.q);
		b.horizon = m.horizon = h;
		b.scored = m.scored = tt < r->n_weeks && !isnan(w[tt]);
		if (b.scored) {
			struct fc_score sb = fc_score_forecast(b.q, w[tt]);
			struct fc_score sm = fc_score_forecast(m.q, w[tt]);

			b.observed = m.observed = w[tt];
			b.wis = sb.wis, b.abs_error = sb.abs_error;
			b.cover50 = sb.cover50, b.cover95 = sb.cover95;
			m.wis = sm.wis, m.abs_error = sm.abs_error;
			m.cover50 = sm.cover50, m.cover95 = sm.cover95;
			if (have_b && have_m && level != FC_COUNTY)
				fc_skill_add(r->skill, target, h, b.origin_day,
				    &sb, &sm);
		}
		if ((have_b && put(r, &b) != 0) || (have_m && put(r, &m) != 0))
			return -1;
	}
	return 0;
}

/* The model's log point forecasts 1..FC_HORIZONS weeks after week t of
 * source src, into x: the smoothing's (from its state), the
 * autoregression of growth's (fc_ar; for deaths, on the cases' growth
 * too), both from weeks up to t only, and their average. */
static void
point_forecasts(struct run *r, int target, int src, size_t t,
    const struct fc_holt *state, double x[NPOINTS][FC_HORIZONS])
{
	const double *w = r->w[src][target];
	int deaths = target == FC_DEATHS;

	fc_ar_forecast_prior(w, deaths ? r->w[src][FC_CASES] : NULL, t,
	    fc_arpool_coef(r->arpool, target, w[t], t),
	    deaths ? fc_arpool_coef(r->arpool, FC_CASES,
	    r->w[src][FC_CASES][t], t) : NULL, x[POINT_AR]);
	for (int h = 0; h < FC_HORIZONS; h++) {
		x[POINT_SMOOTHING][h] = fc_holt_forecast(state, &r->o->params,
		    h + 1);
		x[POINT_AVERAGE][h] = (1 - FC_AR_WEIGHT) *
		    x[POINT_SMOOTHING][h] + FC_AR_WEIGHT * x[POINT_AR][h];
	}
}

/* Walks one target of one place week by week: pass 1 adds the model's
 * errors to the pool, pass 2 forecasts (a county: at its last origin). */
static int
walk_target(struct run *r, long long id, enum fc_level level, int target)
{
	/* the target's smoothing, the cases' for the deaths' trend, and
	 * the state the model forecasts from */
	struct fc_holt holt[FC_NSOURCES], lead[FC_NSOURCES], state;
	double x[NPOINTS][FC_HORIZONS];
	int known[FC_NSOURCES] = { 0 }, s;   /* known weeks in a row */
	size_t t, last = (size_t)-1;

	for (int round = level == FC_COUNTY ? 0 : 1; round < 2; round++) {
		/* a county's first round only finds its last origin */
		for (s = 0; s < FC_NSOURCES; s++) {
			fc_holt_init(&holt[s]);
			fc_holt_init(&lead[s]);
			known[s] = 0;
		}
		fc_scale_reset(&r->scale);
		fc_stack_reset(&r->stack);
		for (t = 0; t < r->n_weeks; t++) {
			int src = -1;

			for (s = 0; s < FC_NSOURCES; s++)
				if (target == FC_DEATHS &&
				    !isnan(r->w[s][FC_CASES][t]))
					fc_holt_update(&lead[s], &fc_lead_params,
					    r->w[s][FC_CASES][t]);
			for (s = 0; s < FC_NSOURCES; s++)
				if (!isnan(r->w[s][target][t])) {
					fc_holt_update(&holt[s], &r->o->params,
					    r->w[s][target][t]);
					known[s]++;
				} else
					known[s] = 0;
			/* what JHU reported then, where its last MIN_WEEKS
			 * weeks are all known; else the revised series */
			for (s = 0; s < FC_NSOURCES && src < 0; s++)
				if (known[s] >= MIN_WEEKS)
					src = s;
			if (src < 0)
				continue;
			if (round == 0) {
				last = t;
				continue;
			}
			if (level == FC_COUNTY && t != last)
				continue;
			if (r->pass == 0) {
				fc_arpool_add(r->arpool, target,
				    r->w[src][target], target == FC_DEATHS ?
				    r->w[src][FC_CASES] : NULL, t);
				continue;
			}
			state = target == FC_DEATHS ?
			    fc_holt_lead(&holt[src], &lead[src]) : holt[src];
			point_forecasts(r, target, src, t, &state, x);
			if (r->pass == 1) {
				fc_pool_add_errors(r->pool, target, t,
				    r->w[src][target], r->n_weeks,
				    x[POINT_AVERAGE]);
				continue;
			}
			if (forecast_at(r, id, level, target, src, t, x) != 0)
				return -1;
			fc_scale_note(&r->scale, t, r->w[src][target],
			    x[POINT_AVERAGE]);
		}
	}
	return 0;
}

static int
do_place(void *arg, long long id, enum fc_level level)
{
	struct run *r = arg;
	int target;

	if (load_weeks(r, id, level) != 0)
		return -1;
	if (r->pass == 2 && !r->o->dry_run && level == FC_COUNTY &&
	    fc_db_clear_place(r->d, id) != 0)
		return -1;
	if (r->pass == 2)
		fc_skill_place_begin(r->skill, level == FC_COUNTRY ?
		    FC_SCOPE_COUNTRY : FC_SCOPE_PROVINCE);
	for (target = 0; target < FC_NTARGETS; target++)
		if (walk_target(r, id, level, target) != 0)
			return -1;
	if (r->pass == 2) {
		fc_skill_place_end(r->skill);
		r->res->places++;
	}
	return 0;
}

static int
alloc_weeks(struct run *r)
{
	int s, t;

	for (s = 0; s < FC_NSOURCES; s++)
		for (t = 0; t < FC_NTARGETS; t++)
			if ((r->w[s][t] = calloc(r->n_weeks, sizeof(double))) == NULL)
				return -1;
	r->scratch = calloc(2 * r->n_weeks + 2, sizeof(double));
	r->origin_used = calloc(r->n_weeks, sizeof(long));
	if (fc_scale_init(&r->scale, r->n_weeks) != 0 ||
	    fc_stack_init(&r->stack, r->n_weeks) != 0)
		return -1;
	return r->scratch && r->origin_used ? 0 : -1;
}

static void
free_run(struct run *r)
{
	int s, t;

	for (s = 0; s < FC_NSOURCES; s++)
		for (t = 0; t < FC_NTARGETS; t++)
			free(r->w[s][t]);
	free(r->scratch);
	free(r->origin_used);
	fc_scale_free(&r->scale);
	fc_stack_free(&r->stack);
	fc_cumul_free(&r->cumul);
	fc_pool_free(r->pool);
	fc_arpool_free(r->arpool);
	fc_skill_free(r->skill);
	fc_db_close(r->d);
}

/* The rows written: all of them on a first or full run; else the origins
 * whose outcomes may have come in since (the newest stored one, 4 weeks
 * back) and any newer. */
static int
choose_writes(struct run *r)
{
	long newest;

	if (r->o->dry_run)
		return 0;
	newest = fc_db_newest_origin(r->d);
	r->write_from = r->o->full || newest < 0 ? 0 :
	    newest - 7L * FC_HORIZONS;
	return fc_db_clear_from(r->d, r->write_from);
}

static int
run_passes(struct run *r)
{
	size_t t;

	r->pass = 0;
	if (fc_db_places(r->d, 0, do_place, r) != 0)
		return -1;
	fc_arpool_finish(r->arpool);
	r->pass = 1;
	if (fc_db_places(r->d, 0, do_place, r) != 0)
		return -1;
	fc_pool_finish(r->pool);
	r->pass = 2;
	if (fc_db_places(r->d, 0, do_place, r) != 0)
		return -1;
	if (r->o->counties && fc_db_places(r->d, 1, do_place, r) != 0)
		return -1;
	for (t = 0; t < r->n_weeks; t++)
		r->res->origins += r->origin_used[t] != 0;
	return 0;
}

int
fc_run(sqlite3 *db, const struct fc_run_opts *o, FILE *out,
    struct fc_run_result *res)
{
	struct run r;
	long last;
	int ret = -1;

	memset(&r, 0, sizeof r);
	memset(res, 0, sizeof *res);
	r.o = o;
	r.res = res;
	if ((r.d = fc_db_open(db)) == NULL)
		return -1;
	if ((last = fc_db_last_day(r.d)) < GRID_FIRST_SAT) {
		log_notice("forecast: no data to forecast from");
		fc_db_close(r.d);
		return 0;
	}
	r.n_weeks = (size_t)((fc_saturday_on_or_before(last) - GRID_FIRST_SAT)
	    / 7 + 1);
	r.pool = fc_pool_new(r.n_weeks);
	r.arpool = fc_arpool_new(r.n_weeks);
	r.skill = fc_skill_new(GRID_FIRST_SAT);
	if (r.pool == NULL || r.arpool == NULL || r.skill == NULL || alloc_weeks(&r) != 0) {
		log_err("forecast: out of memory");
		goto done;
	}
	if (!o->dry_run && fc_db_begin(r.d) != 0)
		goto done;
	if (choose_writes(&r) != 0 || run_passes(&r) != 0)
		goto done;
	if (out != NULL)
		fc_skill_print(r.skill, out);
	if (!o->dry_run && (fc_skill_store(r.skill, r.d) != 0 ||
	    fc_db_bump_version(r.d) != 0 || fc_db_commit(r.d) != 0))
		goto done;
	ret = 0;
done:
	if (ret != 0 && !o->dry_run)
		fc_db_rollback(r.d);
	free_run(&r);
	return ret;
}
