/* fc_ensemble: the published model's quantiles from its two members, the
 * damped-trend smoothing's (fc_model, fc_pool, fc_scale) and the
 * baseline's, averaged level by level (Vincentization). Within the
 * ensemble the baseline's spread about its median is rescaled to grow
 * with the horizon, FC_ENS_BASE_C * h^FC_ENS_BASE_G, because its spread
 * (the same at every horizon) is too wide one week ahead and too narrow
 * four weeks ahead (docs/forecasts.md). The reference baseline itself,
 * stored and scored as `baseline`, is not changed. */
#ifndef COVID_FC_ENSEMBLE_H
#define COVID_FC_ENSEMBLE_H

#include "forecast/fc_quantile.h"

#define FC_ENS_BASE_C 0.65
#define FC_ENS_BASE_G 0.9

/* The ensemble h weeks ahead from the baseline's quantiles b and the
 * smoothing's m, into out (may be m). */
void fc_ensemble(const double b[QF_NQ], const double m[QF_NQ], int h,
    double out[QF_NQ]);

#endif
