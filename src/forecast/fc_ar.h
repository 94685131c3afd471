/* fc_ar: an autoregression of a place's weekly log growth, fitted on the
 * place's own recent weeks up to the origin only; the model's point
 * forecast is the average of its forecast and the smoothing's (fc_model),
 * FC_AR_WEIGHT its share. Growth is g(i) = log(y(i) + 1) - log(y(i-1) + 1).
 * For cases,
 *     g(i) = a1 g(i-1) + a2 g(i-2) + a3 g(i-3) + a4 g(i-4)
 * (four weeks: a month's pattern of reporting and of waves);
 * for deaths, which follow the cases by one to three weeks,
 *     g(i) = a1 g(i-1) + b1 c(i-1) + b2 c(i-2) + b3 c(i-3)
 * with c the cases' growth (their own autoregression carries c forward).
 * No intercept: growth has no lasting drift. The coefficients minimise the
 * squared errors over the last FC_AR_WEEKS weeks, each weighing
 * FC_AR_DECAY per week of age, plus a ridge penalty (FC_AR_RIDGE times
 * the weights' sum) that pulls them to a prior: the same autoregression
 * fitted on every place of the size class together (fc_arpool), or 0,
 * the flat forecast, without one. A place whose growth persists less
 * than most keeps nearer its last level, one whose reports alternate
 * learns a negative a1, one in a steady wave a positive one.
 * Iterated forecasts of growth are bounded by FC_AR_MAXG a week (a fitted
 * autoregression can explode). Why: docs/forecasts.md. */
#ifndef COVID_FC_AR_H
#define COVID_FC_AR_H

#include <stddef.h>

#include "forecast/fc_model.h"

#define FC_AR_WEIGHT  0.5
#define FC_AR_WEEKS   52
#define FC_AR_DECAY   0.95
#define FC_AR_RIDGE   0.03
#define FC_AR_CASE_LAGS  4      /* the cases' own growth: a1 .. a4 */
#define FC_AR_DEATH_LAGS 1      /* the deaths' own: a1 */
#define FC_AR_LEAD_LAGS  3      /* the cases' in the deaths': b1, b2, b3 */
#define FC_AR_MAXP    8          /* coefficients at most */
#define FC_AR_MINROWS 8          /* fewer known weeks: flat forecast */
#define FC_AR_MAXG    0.5        /* a week's forecast growth at most */

/* Solves the n x n symmetric positive definite system a x = b (a row by
 * row, overwritten) by Cholesky; 0, or -1 when a is not positive
 * definite. */
int fc_solve_spd(int n, double *a, const double *b, double *x);

/* The growth coefficients of w (and, for deaths, of the cases' lead)
 * fitted at week t from weeks up to t, into coef[FC_AR_MAXP] (a1 .. a4
 * for cases; a1, b1, b2, b3 with a lead: fc_ar_nparams of them). The number of weeks fitted, 0 when too
 * few (coef all 0). */
/* The coefficients fitted: for deaths (with_lead) or cases. */
int fc_ar_nparams(int with_lead);

int fc_ar_fit(const double *w, const double *lead, size_t t,
    double coef[FC_AR_MAXP]);

/* The same with the ridge pulling the coefficients to prior (NULL: to 0,
 * as fc_ar_fit), not to 0; with too few weeks, coef is the prior. */
int fc_ar_fit_prior(const double *w, const double *lead, size_t t,
    const double *prior, double coef[FC_AR_MAXP]);

/* The regressors f and the response *y of the growth into week i of w
 * (fc_ar_fit's rows): their number (2 for cases, 4 with a lead), 0 when
 * any of them is unknown. */
int fc_ar_row(const double *w, const double *lead, size_t i,
    double f[FC_AR_MAXP], double *y);

/* The log point forecasts log(y + 1) 1..FC_HORIZONS weeks after week t
 * of w (known at t), lead NULL or the place's weekly cases (for deaths). */
void fc_ar_forecast(const double *w, const double *lead, size_t t,
    double x[FC_HORIZONS]);

/* The same with the fits' ridge pulling to prior (the target's) and
 * lead_prior (the cases', for deaths); either NULL: to 0. */
void fc_ar_forecast_prior(const double *w, const double *lead, size_t t,
    const double *prior, const double *lead_prior, double x[FC_HORIZONS]);

#endif
