/* fc_ensemble: the published model's quantiles from its two members, the
 * baseline's and the damped-trend smoothing's (fc_model, fc_pool,
 * fc_scale), as a weighted average level by level (Vincentization).
 * Within the ensemble the baseline's spread about its median is
 * FC_ENS_BASE_SPREAD * h times its own, h weeks ahead: its spread, the
 * same at every horizon, is too wide one week ahead and too narrow four
 * weeks ahead (docs/forecasts.md). The reference baseline itself, stored
 * and scored as `baseline`, is not changed. */
#ifndef COVID_FC_ENSEMBLE_H
#define COVID_FC_ENSEMBLE_H

#include "forecast/fc_quantile.h"
#include "forecast/fc_stack.h"

#define FC_ENS_BASE_SPREAD 0.65
#define FC_ENS_BASE_WEIGHT 0.7

/* The ensemble h weeks ahead from the baseline's quantiles b and the
 * smoothing's m, into out (may be m). */
void fc_ensemble(const double b[QF_NQ], const double m[QF_NQ], int h,
    double out[QF_NQ]);

/* The same with the baseline's weight given (the smoothing's is
 * 1 - weight). */
void fc_ensemble_weighted(const double b[QF_NQ], const double m[QF_NQ],
    int h, double weight, double out[QF_NQ]);

/* The baseline's candidate weights each place chooses from (fc_stack),
 * and the index of FC_ENS_BASE_WEIGHT among them, used until a place
 * has enough known scores. */
extern const double fc_ensemble_weights[FC_STACK_N];
#define FC_ENS_DEFAULT 2

#endif
