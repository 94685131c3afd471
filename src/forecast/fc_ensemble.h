/* fc_ensemble: the published model's quantiles from its two members, the
 * baseline's and the damped-trend smoothing's (fc_model, fc_pool,
 * fc_scale), as a weighted average level by level (Vincentization).
 * Within the ensemble the baseline's spread about its median is
 * FC_ENS_BASE_SPREAD * h times its own, h weeks ahead: its spread, the
 * same at every horizon, is too wide one week ahead and too narrow four
 * weeks ahead (docs/forecasts.md). The reference baseline itself, stored
 * and scored as `baseline`, is not changed.
 *
 * Each place publishes one of FC_ENS_NC candidates (for deaths, of each
 * of the model's point forecasts: fc_run), chosen on its own past WIS
 * (fc_stack): the baseline's weight (FC_ENS_NW choices) times a factor on
 * the average's spread about its median (FC_ENS_NS choices). */
#ifndef COVID_FC_ENSEMBLE_H
#define COVID_FC_ENSEMBLE_H

#include "forecast/fc_quantile.h"
#include "forecast/fc_stack.h"

#define FC_ENS_BASE_SPREAD 0.65
#define FC_ENS_BASE_WEIGHT 0.7

#define FC_ENS_NW 3
#define FC_ENS_NS 3
#define FC_ENS_NC (FC_ENS_NW * FC_ENS_NS)   /* candidates */
/* The factor on the deaths' central band (fc_ensemble_narrow_center):
 * with the model's spread their 50 % intervals covered 55.6-56.3 % of
 * outcomes on JHU's real series at 1-4 weeks, against 50 % (and the
 * goal's 45-55 %); at 0.9, 54.2-54.8 %, the relative WIS within 0.001
 * on all four of the backtest's measures (docs/forecasts.md). */
#define FC_ENS_DEATHS_CENTER 0.9

/* The candidate used until a place has enough known scores: weight 0.6,
 * spread 0.85 (j = spread index * FC_ENS_NW + weight index). */
#define FC_ENS_DEFAULT 1

extern const double fc_ensemble_weights[FC_ENS_NW];
extern const double fc_ensemble_spreads[FC_ENS_NS];

/* The ensemble h weeks ahead from the baseline's quantiles b and the
 * smoothing's m, into out (may be m), the baseline weighing
 * FC_ENS_BASE_WEIGHT. */
void fc_ensemble(const double b[QF_NQ], const double m[QF_NQ], int h,
    double out[QF_NQ]);

/* The same with the baseline's weight given (the smoothing's is
 * 1 - weight). */
void fc_ensemble_weighted(const double b[QF_NQ], const double m[QF_NQ],
    int h, double weight, double out[QF_NQ]);

/* Candidate j (0 .. FC_ENS_NC - 1): the average with weight
 * fc_ensemble_weights[j % FC_ENS_NW], its quantiles' distances from its
 * median times fc_ensemble_spreads[j / FC_ENS_NW], cut at 0. out must
 * not be b or m. */
void fc_ensemble_candidate(const double b[QF_NQ], const double m[QF_NQ],
    int h, int j, double out[QF_NQ]);

/* The quantiles from the 0.25 to the 0.75 level drawn towards the
 * median by the factor f (0 < f <= 1), the others left where they are;
 * each moves by the same factor, so their order holds. */
void fc_ensemble_narrow_center(double q[QF_NQ], double f);

#endif
