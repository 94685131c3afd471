/* test_forecast: the forecast's arithmetic against hand-computed examples:
 * quantiles, WIS (Bracher et al. 2021) and coverage, the relative WIS, the
 * Hub's baseline, the weekly totals, the smoothing, the error pool, the
 * ensemble's candidates and each place's choice among them, and the
 * autoregression of growth, alone and pooled over places. */
#include <math.h>

#include "base/date.h"
#include "check.h"
#include "forecast/fc_ar.h"
#include "forecast/fc_arpool.h"
#include "forecast/fc_baseline.h"
#include "forecast/fc_db.h"
#include "forecast/fc_ensemble.h"
#include "forecast/fc_model.h"
#include "forecast/fc_pool.h"
#include "forecast/fc_quantile.h"
#include "forecast/fc_scale.h"
#include "forecast/fc_score.h"
#include "forecast/fc_stack.h"
#include "forecast/fc_weekly.h"

#define NEAR(a, b) (fabs((a) - (b)) < 1e-9)

static void
test_quantile(void)
{
	const double v[] = { 1, 2, 3, 4 };

	CHECK(NEAR(fc_quantile_sorted(v, 4, 0.5), 2.5));
	CHECK(NEAR(fc_quantile_sorted(v, 4, 0.1), 1.3));
	CHECK(NEAR(fc_quantile_sorted(v, 4, 1.0), 4));
	CHECK(NEAR(fc_quantile_sorted(v, 1, 0.7), 1));
	CHECK(isnan(fc_quantile_sorted(v, 0, 0.5)));
	CHECK(NEAR(qf_levels[FC_MEDIAN], 0.5));
	CHECK(NEAR(qf_levels[6], 0.25) && NEAR(qf_levels[16], 0.75));
	CHECK(NEAR(qf_levels[1], 0.025) && NEAR(qf_levels[21], 0.975));
}

/* The pinball form of WIS: sum over the 23 levels of
 * (1(y < q) - tau)(q - y), over K + 1/2 (Bracher et al. 2021, eq. 4). */
static double
wis_pinball(const double q[QF_NQ], double y)
{
	double s = 0;

	for (int k = 0; k < QF_NQ; k++)
		s += ((y < q[k]) - qf_levels[k]) * (q[k] - y);
	return s / 11.5;
}

static void
test_wis(void)
{
	double q[QF_NQ];
	struct fc_score s;
	int k;

	/* a point forecast: WIS is the absolute error */
	for (k = 0; k < QF_NQ; k++)
		q[k] = 10;
	s = fc_score_forecast(q, 12);
	CHECK(NEAR(s.wis, 2));
	CHECK(NEAR(s.abs_error, 2));
	CHECK(s.cover50 == 0 && s.cover95 == 0);

	/* q_k = k; y = 11, the median: the intervals' widths only,
	 * sum of level_k (22 - 2k) over k = 0..10 = 17.22 by hand */
	for (k = 0; k < QF_NQ; k++)
		q[k] = k;
	s = fc_score_forecast(q, 11);
	CHECK(NEAR(s.wis, 17.22 / 11.5));
	CHECK(NEAR(s.abs_error, 0));
	CHECK(s.cover50 == 1 && s.cover95 == 1);
	CHECK(NEAR(s.wis, wis_pinball(q, 11)));

	/* y = 30, above every quantile: 0.5 * 19 + 17.22 + sum (8 + k) */
	s = fc_score_forecast(q, 30);
	CHECK(NEAR(s.wis, (9.5 + 17.22 + 143) / 11.5));
	CHECK(NEAR(s.wis, wis_pinball(q, 30)));
	CHECK(s.cover50 == 0 && s.cover95 == 0);

	/* the bounds are inside: q(0.25) = 6, q(0.025) = 1 */
	s = fc_score_forecast(q, 6);
	CHECK(s.cover50 == 1 && s.cover95 == 1);
	s = fc_score_forecast(q, 5.5);
	CHECK(s.cover50 == 0 && s.cover95 == 1);
	s = fc_score_forecast(q, 0.5);
	CHECK(s.cover95 == 0);
	CHECK(NEAR(s.wis, wis_pinball(q, 0.5)));

	CHECK(NEAR(fc_interval_score(0.5, 2, 4, 3), 2));
	CHECK(NEAR(fc_interval_score(0.5, 2, 4, 1), 2 + 4 * 1));
	CHECK(NEAR(fc_interval_score(0.1, 2, 4, 6), 2 + 20 * 2));
}

static void
test_relative_wis(void)
{
	/* two models on the same targets: the plain ratio */
	const double two[] = { 10, 8, 20, 16 };
	/* three with sums 10, 20, 40 everywhere: 0.5, 1, 2 against model 1 */
	const double three[] = { 10, 10, 10, 20, 20, 20, 40, 40, 40 };
	const double none[] = { 10, 0, 20, 16 };
	double out[3];

	fc_relative_wis(2, two, 1, out);
	CHECK(NEAR(out[0], 0.4));
	CHECK(NEAR(out[1], 1));
	fc_relative_wis(3, three, 1, out);
	CHECK(NEAR(out[0], 0.5) && NEAR(out[1], 1) && NEAR(out[2], 2));
	fc_relative_wis(2, none, 1, out);
	CHECK(isnan(out[0]));
}

static void
test_baseline(void)
{
	const double w1[] = { 10, 14, 12, 18 };
	const double w2[] = { 10, 40, 2 };
	const double w3[] = { 10, NAN, 12, 15 };
	const double w4[] = { 10, 12, NAN };
	double scratch[16], q[QF_NQ];

	/* differences 4, -2, 6 and their negatives: -6 -4 -2 2 4 6 */
	CHECK(fc_baseline(w1, 3, scratch, q) == 0);
	CHECK(NEAR(q[FC_MEDIAN], 18));
	CHECK(NEAR(q[6], 14.5));      /* -4 + 0.25 * 2 */
	CHECK(NEAR(q[16], 21.5));
	CHECK(NEAR(q[0], 12.1));      /* -6 + 0.05 * 2 */
	CHECK(NEAR(q[22], 23.9));
	/* truncated at 0 */
	CHECK(fc_baseline(w2, 2, scratch, q) == 0);
	CHECK(NEAR(q[0], 0));
	CHECK(NEAR(q[FC_MEDIAN], 2));
	CHECK(NEAR(q[22], 2 + 38 - 0.03 * 8));
	/* an unknown week breaks the differences around it */
	CHECK(fc_baseline(w3, 3, scratch, q) == 0);
	CHECK(NEAR(q[0], 15 - 2.94));
	CHECK(NEAR(q[FC_MEDIAN], 15));
	/* no forecast from an unknown week, or without a difference */
	CHECK(fc_baseline(w4, 2, scratch, q) == -1);
	CHECK(fc_baseline(w1, 0, scratch, q) == -1);
}

static void
test_weekly(void)
{
	long day[40];
	double cum[40], out[4];
	long first = date_days("2020-12-13");      /* a Sunday */
	long sat = date_days("2020-12-19");
	size_t n = 0;
	int i;

	CHECK(fc_saturday_on_or_before(sat) == sat);
	CHECK(fc_saturday_on_or_before(sat + 6) == sat);
	CHECK(fc_saturday_on_or_before(sat - 1) == sat - 7);
	CHECK(fc_saturday_on_or_before(date_days("2021-01-01")) ==
	    date_days("2020-12-26"));
	/* 10 a day from 2020-12-13 to 2021-01-09: weeks across the year end */
	for (i = 0; i < 28; i++) {
		day[n] = first + i;
		cum[n++] = 10.0 * i;
	}
	fc_weekly(day, cum, n, date_days("2020-12-26"), 3, out);
	CHECK(NEAR(out[0], 70) && NEAR(out[1], 70) && NEAR(out[2], 70));
	/* the week ending 2021-01-02 without its Saturday: the Friday counts */
	n = 0;
	for (i = 0; i < 28; i++)
		if (first + i != date_days("2021-01-02")) {
			day[n] = first + i;
			cum[n++] = 10.0 * i;
		}
	fc_weekly(day, cum, n, date_days("2020-12-26"), 3, out);
	CHECK(NEAR(out[0], 70) && NEAR(out[1], 60) && NEAR(out[2], 80));
	/* a week with no report at all: it and the next are unknown */
	n = 0;
	for (i = 0; i < 28; i++)
		if (first + i < date_days("2020-12-27") ||
		    first + i > date_days("2021-01-02")) {
			day[n] = first + i;
			cum[n++] = 10.0 * i;
		}
	fc_weekly(day, cum, n, date_days("2020-12-26"), 3, out);
	CHECK(NEAR(out[0], 70) && isnan(out[1]) && isnan(out[2]));
	/* a report without the figure (Saturday 12-26) says nothing: the
	 * Friday stands in; the week whose start has no report is unknown */
	n = 0;
	for (i = 7; i < 28; i++) {
		day[n] = first + i;
		cum[n++] = i == 13 ? NAN : 10.0 * i;
	}
	fc_weekly(day, cum, n, date_days("2020-12-26"), 2, out);
	CHECK(isnan(out[0]) && NEAR(out[1], 200 - 120));
	/* reports after the grid's last Saturday are not read */
	cum[n - 1] = 1e9;
	fc_weekly(day, cum, n, date_days("2021-01-02"), 1, out);
	CHECK(NEAR(out[0], 80));
}

static void
test_model(void)
{
	const struct fc_model_params naive = { 1, 0, 0.5 };
	struct fc_holt s;

	fc_holt_init(&s);
	fc_holt_update(&s, &naive, 100);
	fc_holt_update(&s, &naive, 50);
	CHECK(NEAR(fc_holt_forecast(&s, &naive, 3), log(51)));
	CHECK(NEAR(fc_log1(-5), 0));
	/* a trend, damped: phi + phi^2 of it two weeks ahead */
	const struct fc_model_params trend = { 1, 1, 0.5 };
	fc_holt_init(&s);
	fc_holt_update(&s, &trend, exp(1) - 1);
	fc_holt_update(&s, &trend, exp(2) - 1);
	CHECK(NEAR(fc_holt_forecast(&s, &trend, 2), 2 + 0.75));

	/* deaths' level (log 11), cases' trend (log 200 - log 100 with
	 * beta 1): log 11 + (0.5 + 0.25) log 2 two weeks ahead */
	struct fc_holt d, c, lead;
	fc_holt_init(&d);
	fc_holt_update(&d, &naive, 10);
	fc_holt_init(&c);
	fc_holt_update(&c, &trend, 99);
	fc_holt_update(&c, &trend, 199);
	lead = fc_holt_lead(&d, &c);
	CHECK(NEAR(fc_holt_forecast(&lead, &trend, 2), log(11) + 0.75 * log(2)));
	CHECK(NEAR(fc_lead_params.beta, 0.3) && d.trend == 0);
}

static void
test_pool(void)
{
	unsigned counts[FC_HIST_BINS] = { 0 };
	double q[QF_NQ];

	CHECK(NEAR(fc_hist_centre(fc_hist_bin(0.1)), 0.1));
	CHECK(fc_hist_bin(1e9) == FC_HIST_BINS - 1 && fc_hist_bin(-1e9) == 0);
	counts[fc_hist_bin(-0.1)] = 50;
	counts[fc_hist_bin(0.1)] = 50;
	fc_hist_quantiles(counts, 100, q);
	CHECK(NEAR(q[0], -0.1) && NEAR(q[FC_MEDIAN], -0.1));
	CHECK(NEAR(q[FC_MEDIAN + 1], 0.1) && NEAR(q[QF_NQ - 1], 0.1));
	CHECK(fc_pool_stratum(0) == 0 && fc_pool_stratum(9.9) == 0);
	CHECK(fc_pool_stratum(10) == 1 && fc_pool_stratum(29) == 1);
	CHECK(fc_pool_stratum(30) == 2 && fc_pool_stratum(5000) == 6);
	CHECK(fc_pool_stratum(10000) == 7 && fc_pool_stratum(1e7) == 7);
}

/* A place's own error spread: only errors whose outcome is known at the
 * origin, the latest FC_SCALE_N, none with fewer than FC_SCALE_MIN. */
static void
test_scale_spread(void)
{
	struct fc_scale sc;
	double w[20], x[FC_HORIZONS], scratch[FC_SCALE_N];
	size_t i;

	for (i = 0; i < 20; i++)
		w[i] = exp(1.0) - 1;     /* log(w + 1) = 1 every week */
	CHECK(fc_scale_init(&sc, 20) == 0);
	/* origin i forecast 1 - i/10 one week ahead: error i/10 at week i+1 */
	for (i = 0; i < 10; i++) {
		for (int h = 0; h < FC_HORIZONS; h++)
			x[h] = h == 0 ? 1 - (double)i / 10 : NAN;
		fc_scale_note(&sc, i, w, x);
	}
	/* at week 10: errors 0, 0.1, ..., 0.9; quartiles (type 7) 0.225
	 * and 0.675, half the range 0.225 */
	CHECK(NEAR(fc_scale_spread(&sc, 10, 1, scratch), 0.225));
	/* at week 5 only the outcomes of weeks 1..5 were known: 5 < 6 */
	CHECK(isnan(fc_scale_spread(&sc, 5, 1, scratch)));
	/* at week 6: errors 0..0.5, quartiles 0.125 and 0.375 */
	CHECK(NEAR(fc_scale_spread(&sc, 6, 1, scratch), 0.125));
	/* nothing was forecast two weeks ahead */
	CHECK(isnan(fc_scale_spread(&sc, 10, 2, scratch)));
	fc_scale_reset(&sc);
	CHECK(isnan(fc_scale_spread(&sc, 10, 1, scratch)));
	fc_scale_free(&sc);
}

static void
test_scale_factor(void)
{
	double e[QF_NQ];
	int k;

	for (k = 0; k < QF_NQ; k++)
		e[k] = 0.1 * k;
	/* the pool's quartiles e[6] = 0.6, e[16] = 1.6: half range 0.5 */
	CHECK(NEAR(fc_scale_factor(0.35, e, 0.5, 0.9), 0.7));
	CHECK(NEAR(fc_scale_factor(0.1, e, 0.5, 0.9), 0.5));
	CHECK(NEAR(fc_scale_factor(2, e, 0.5, 0.9), 0.9));
	CHECK(NEAR(fc_scale_factor(NAN, e, 0.5, 0.9), 1));
	/* about the median e[11] = 1.1 */
	fc_scale_apply(e, 0.5);
	CHECK(NEAR(e[0], 0.55) && NEAR(e[FC_MEDIAN], 1.1) && NEAR(e[22], 1.65));
}

static void
test_ensemble(void)
{
	double b[QF_NQ], m[QF_NQ], out[QF_NQ];
	int k;

	for (k = 0; k < QF_NQ; k++) {
		b[k] = 10 + (k - FC_MEDIAN);   /* median 10, 9, 11, ... */
		m[k] = 20;
	}
	/* one week: the baseline's spread times 0.65, weights 0.7 and 0.3:
	 * 0.7 * (10 - 0.65 * 11) + 0.3 * 20 */
	fc_ensemble(b, m, 1, out);
	CHECK(NEAR(out[0], 7.995));
	CHECK(NEAR(out[FC_MEDIAN], 13));
	CHECK(NEAR(out[22], 18.005));
	/* two weeks: times 1.3; the lowest cut at 0 */
	fc_ensemble(b, m, 2, out);
	CHECK(NEAR(out[0], 6));
	CHECK(NEAR(out[FC_MEDIAN + 1], 13.91));
	CHECK(NEAR(out[FC_MEDIAN], 13));
	/* out may be m */
	fc_ensemble(b, m, 1, m);
	CHECK(NEAR(m[0], 7.995));
}

/* The candidates: weight j % 3 of (0.2, 0.6, 1.0), then the average's
 * distances from its median times (0.85, 1.15, 1.5)[j / 3], cut at 0. */
static void
test_ensemble_candidate(void)
{
	double b[QF_NQ], m[QF_NQ], out[QF_NQ];
	int k;

	for (k = 0; k < QF_NQ; k++) {
		b[k] = 10 + (k - FC_MEDIAN);
		m[k] = 20;
	}
	/* j 0: 0.2 (10 + 0.65 d) + 0.8 * 20 = 18 + 0.13 d, then 0.85 of it:
	 * 18 + 0.1105 d, d = -11 .. 11 */
	fc_ensemble_candidate(b, m, 1, 0, out);
	CHECK(NEAR(out[FC_MEDIAN], 18));
	CHECK(NEAR(out[0], 16.7845) && NEAR(out[22], 19.2155));
	/* j 4: 0.6 (10 + 0.65 d) + 0.4 * 20 = 14 + 0.39 d; times 1.15 */
	fc_ensemble_candidate(b, m, 1, 4, out);
	CHECK(NEAR(out[FC_MEDIAN], 14) && NEAR(out[0], 9.0665));
	/* j 8: the widened baseline alone, times 1.5: 10 + 0.975 d, the
	 * lowest (-0.725) cut at 0 */
	fc_ensemble_candidate(b, m, 1, 8, out);
	CHECK(NEAR(out[0], 0) && NEAR(out[1], 0.25) && NEAR(out[22], 20.725));
}

/* The central band (the 0.25 to the 0.75 level) drawn towards the
 * median, the other levels where they were. */
static void
test_narrow_center(void)
{
	double q[QF_NQ];
	int k, ordered = 1;

	for (k = 0; k < QF_NQ; k++)
		q[k] = 100 + 10 * (k - FC_MEDIAN);   /* -10, 0, ..., 100, ..., 210 */
	fc_ensemble_narrow_center(q, 0.9);
	CHECK(NEAR(q[FC_MEDIAN], 100));
	/* the 0.25 level, 5 below the median: 100 - 0.9 * 50 */
	CHECK(NEAR(q[FC_Q25], 55) && NEAR(q[FC_Q75], 145));
	CHECK(NEAR(q[FC_MEDIAN - 1], 91) && NEAR(q[FC_MEDIAN + 1], 109));
	/* outside the band: as they were */
	CHECK(NEAR(q[FC_Q25 - 1], 40) && NEAR(q[FC_Q75 + 1], 160));
	CHECK(NEAR(q[0], -10) && NEAR(q[22], 210));
	for (k = 1; k < QF_NQ; k++)
		ordered = ordered && q[k] >= q[k - 1];
	CHECK(ordered);
	/* 1: nothing moves */
	fc_ensemble_narrow_center(q, 1);
	CHECK(NEAR(q[FC_Q25], 55));
}

static void
fill(double wis[FC_STACK_N], double v)
{
	for (int j = 0; j < FC_STACK_N; j++)
		wis[j] = v;
}

/* Each place's choice: the least discounted WIS sum over origins whose
 * outcome is known at t (o + h <= t), the default with fewer than
 * FC_STACK_MIN (8), older origins weighing FC_STACK_DISCOUNT (0.93) per
 * week less. */
static void
test_stack(void)
{
	struct fc_stack st;
	double wis[FC_STACK_N];
	size_t o;

	CHECK(fc_stack_init(&st, 20) == 0);
	/* h 1: candidate 3 the best at origins 0..7 */
	for (o = 0; o < 8; o++) {
		fill(wis, 2);
		wis[0] = 1;
		wis[3] = 0.5;
		fc_stack_note(&st, o, 1, wis);
	}
	/* origin 8, whose outcome is week 9: candidate 0 perfect */
	fill(wis, 100);
	wis[0] = 0;
	fc_stack_note(&st, 8, 1, wis);
	/* 5 and 7 known: too few; 8, origin 8's outcome not yet known */
	CHECK(fc_stack_choose(&st, 5, 1, FC_STACK_N, 1) == 1);
	CHECK(fc_stack_choose(&st, 7, 1, FC_STACK_N, 1) == 1);
	CHECK(fc_stack_choose(&st, 8, 1, FC_STACK_N, 1) == 3);
	/* among the first 3 only: candidate 0 (1 < 2) */
	CHECK(fc_stack_choose(&st, 8, 1, 3, 1) == 0);
	/* at 9 origin 8 counts: candidate 0's sum 0 + 0.93 + ... (< 6)
	 * against candidate 3's 100 + ... */
	CHECK(fc_stack_choose(&st, 9, 1, FC_STACK_N, 1) == 0);
	/* h 2 at t 9 (origins 0..7 known): candidate 0 scored 2 at the 4
	 * newest, 0 before; candidate 1 0 at the newest, 2.2 before. Plain
	 * sums 8 < 8.8; discounted 2 (1 + .93 + .93^2 + .93^3) = 7.31
	 * > 2.2 .93^4 (1 + ... + .93^3) = 6.01: candidate 1 */
	for (o = 0; o < 8; o++) {
		fill(wis, 10);
		wis[0] = o >= 4 ? 2 : 0;
		wis[1] = o >= 4 ? 0 : 2.2;
		fc_stack_note(&st, o, 2, wis);
	}
	CHECK(fc_stack_choose(&st, 9, 2, FC_STACK_N, 5) == 1);
	/* at 8, origins 0..6: 7 known, too few */
	CHECK(fc_stack_choose(&st, 8, 2, FC_STACK_N, 5) == 5);
	fc_stack_reset(&st);
	CHECK(fc_stack_choose(&st, 9, 1, FC_STACK_N, 2) == 2);
	fc_stack_free(&st);
}

/* Cholesky on a hand-made system: a (1, 2, 3) = (8, 15, 11). */
static void
test_solve(void)
{
	double a[9] = { 4, 2, 0, 2, 5, 1, 0, 1, 3 }, b[3] = { 8, 15, 11 }, x[3];
	double bad[4] = { 1, 2, 2, 1 };

	CHECK(fc_solve_spd(3, a, b, x) == 0);
	CHECK(NEAR(x[0], 1) && NEAR(x[1], 2) && NEAR(x[2], 3));
	CHECK(fc_solve_spd(2, bad, b, x) == -1);   /* not positive definite */
}

/* Reports that alternate: log(y + 1) 0, 1, 0, 1, ..., growth -1, +1, ...
 * A cases row's regressors are g(i-1) .. g(i-4) = s v with v = (-1, 1,
 * -1, 1) and s = g(i) = +-1 its response, so every row adds v v' and v
 * whatever its weight: (v v' + r I) a = v with r = FC_AR_RIDGE (0.03),
 * a = v / (4 + r). */
static void
test_ar(void)
{
	double w[20], coef[FC_AR_MAXP], x[FC_HORIZONS], c = 1 / 4.03;
	size_t i;

	CHECK(fc_ar_nparams(0) == 4 && fc_ar_nparams(1) == 4);
	for (i = 0; i < 20; i++)
		w[i] = i % 2 ? exp(1) - 1 : 0;
	/* t 13: responses at weeks 5..13 (g(i-4) needs week i - 5), 9 rows */
	CHECK(fc_ar_fit(w, NULL, 13, coef) == 9);
	CHECK(NEAR(coef[0], -c) && NEAR(coef[1], c));
	CHECK(NEAR(coef[2], -c) && NEAR(coef[3], c));
	/* from week 13 (level 1; growth +1, -1, +1, -1 back from it):
	 * -4c = -0.993, bounded to -0.5; c (0.5 + 3) = 0.868, bounded to
	 * +0.5; c (-0.5 - 0.5 - 2) = -0.744, to -0.5; c (0.5 + 0.5 + 0.5 + 1)
	 * = 0.620, to +0.5 */
	fc_ar_forecast(w, NULL, 13, x);
	CHECK(NEAR(x[0], 0.5) && NEAR(x[1], 1));
	CHECK(NEAR(x[2], 0.5) && NEAR(x[3], 1));
	/* 5 rows (weeks 5..9) are too few: no fit, a flat forecast */
	CHECK(fc_ar_fit(w, NULL, 9, coef) == 0 && coef[0] == 0);
	fc_ar_forecast(w, NULL, 9, x);
	CHECK(NEAR(x[0], 1) && NEAR(x[3], 1));
	/* an unknown week 11 leaves out every row whose growths need it,
	 * those of weeks 11 .. 16: 15 - 6 rows from t 19 */
	CHECK(fc_ar_fit(w, NULL, 19, coef) == 15);
	w[11] = NAN;
	CHECK(fc_ar_fit(w, NULL, 19, coef) == 9);
	/* deaths: with a lead of cases the rows need its growth too; none
	 * known, no fit */
	{
		double lead[20];

		for (i = 0; i < 20; i++)
			lead[i] = NAN;
		CHECK(fc_ar_fit(w, lead, 10, coef) == 0);
	}
}

/* A growth that no few earlier ones determine: -0.9 .. 0.9. */
static double
scrambled(size_t i)
{
	return 0.18 * (double)((i * 7 + i * i % 5) % 11) - 0.9;
}

/* Deaths whose growth is the cases' growth of the week before: the fit
 * finds b1 near 1 and the rest near 0 (the ridge pulls b1 towards 0 by
 * about 0.03 over the growth's mean square, 0.32 here: to about 0.9),
 * and the next week's deaths grow about as the cases did in the last
 * week (0.18 into week 38). */
static void
test_ar_lead(void)
{
	double cases[40], deaths[40], coef[FC_AR_MAXP], x[FC_HORIZONS];
	double lc = log(1000), ld[40];
	size_t i;

	ld[0] = log(100);
	for (i = 0; i < 40; i++) {
		/* growth into week i: cases scrambled(i), deaths
		 * scrambled(i - 1) */
		if (i > 0) {
			ld[i] = ld[i - 1] + scrambled(i - 1);
			lc += scrambled(i);
		}
		cases[i] = exp(lc) - 1;
		deaths[i] = exp(ld[i]) - 1;
	}
	CHECK(fc_ar_fit(deaths, cases, 38, coef) > 30);
	CHECK(coef[1] > 0.85 && coef[1] < 1);
	CHECK(fabs(coef[0]) < 0.1 && fabs(coef[2]) < 0.1 &&
	    fabs(coef[3]) < 0.1);
	fc_ar_forecast(deaths, cases, 38, x);
	CHECK(fabs(x[0] - (ld[38] + scrambled(38))) < 0.05);
}

/* The alternating reports of test_ar with a prior p = (0.5, 0.5, 0, 0):
 * (v v' + r I) a = v + r p. With u = v'a, a = p + (1 - u) v / r, and
 * v'p = 0 gives u = 4 / (4 + r): a = p + v / (4 + r). With too few weeks
 * the prior itself. */
static void
test_ar_prior(void)
{
	double w[14], coef[FC_AR_MAXP], x[FC_HORIZONS], c = 1 / 4.03;
	const double prior[4] = { 0.5, 0.5, 0, 0 };
	size_t i;

	for (i = 0; i < 14; i++)
		w[i] = i % 2 ? exp(1) - 1 : 0;
	CHECK(fc_ar_fit_prior(w, NULL, 13, prior, coef) == 9);
	CHECK(NEAR(coef[0], 0.5 - c) && NEAR(coef[1], 0.5 + c));
	CHECK(NEAR(coef[2], -c) && NEAR(coef[3], c));
	CHECK(fc_ar_fit_prior(w, NULL, 9, prior, coef) == 0);
	CHECK(NEAR(coef[0], 0.5) && NEAR(coef[1], 0.5) && coef[2] == 0);
	/* a NULL prior is fc_ar_fit's, towards 0 */
	CHECK(fc_ar_fit_prior(w, NULL, 13, NULL, coef) == 9);
	CHECK(NEAR(coef[0], -c) && NEAR(coef[1], c));
	/* from week 9 (level 1, growth +1 after -1) with the prior alone:
	 * growth 0.5 (+1) + 0.5 (-1) = 0, then 0.5 (0 + 1) = 0.5, then
	 * 0.5 (0.5 + 0) = 0.25, then 0.5 (0.25 + 0.5) = 0.375 */
	fc_ar_forecast_prior(w, NULL, 9, prior, NULL, x);
	CHECK(NEAR(x[0], 1) && NEAR(x[1], 1.5));
	CHECK(NEAR(x[2], 1.75) && NEAR(x[3], 2.125));
}

/* The pooled fit over six places with test_ar's alternating reports
 * (every week under 10: the first size class): rows i = 5..t from each,
 * 6 (t - 4) in all, the same equations as test_ar with the pool's ridge
 * r = FC_ARPOOL_RIDGE: a = v / (4 + r). 48 rows at t = 12 are fewer than
 * FC_ARPOOL_MIN (50): no prior; nor in any other class. */
static void
test_arpool(void)
{
	struct fc_arpool *p = fc_arpool_new(14);
	double w[14], big[14], c = 1 / (4 + FC_ARPOOL_RIDGE);
	const double *a;
	size_t i;
	int k;

	CHECK(p != NULL);
	if (p == NULL)
		return;
	for (i = 0; i < 14; i++) {
		w[i] = i % 2 ? exp(1) - 1 : 0;
		big[i] = NAN;   /* a large place with nothing known */
	}
	for (k = 0; k < 6; k++)
		for (i = 0; i < 14; i++) {
			fc_arpool_add(p, FC_CASES, w, NULL, i);
			fc_arpool_add(p, FC_CASES, big, NULL, i);
		}
	fc_arpool_finish(p);
	a = fc_arpool_coef(p, FC_CASES, 1, 13);
	CHECK(a != NULL);
	if (a != NULL)
		CHECK(NEAR(a[0], -c) && NEAR(a[1], c) && NEAR(a[2], -c) &&
		    NEAR(a[3], c));
	CHECK(fc_arpool_coef(p, FC_CASES, 0, 12) == NULL);
	CHECK(fc_arpool_coef(p, FC_CASES, 5000, 13) == NULL);
	CHECK(fc_arpool_coef(p, FC_DEATHS, 1, 13) == NULL);
	fc_arpool_free(p);
}

int
main(void)
{
	test_quantile();
	test_wis();
	test_relative_wis();
	test_baseline();
	test_weekly();
	test_model();
	test_pool();
	test_scale_spread();
	test_scale_factor();
	test_ensemble();
	test_ensemble_candidate();
	test_narrow_center();
	test_stack();
	test_solve();
	test_ar();
	test_ar_lead();
	test_ar_prior();
	test_arpool();
	return check_exit();
}
