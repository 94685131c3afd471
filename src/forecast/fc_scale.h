/* fc_scale: how wide a place's own recent errors were beside the pooled
 * ones. The pool (fc_pool) gives every place of a size class the same
 * spread; a steady large country and an erratic one differ, so the
 * model's intervals are scaled by the ratio of the place's spread to the
 * pool's, bounded (a few errors are a noisy measure; unbounded, the tails
 * exploded: docs/forecasts.md). Only errors whose outcome was known at the
 * origin count: no look-ahead. */
#ifndef COVID_FC_SCALE_H
#define COVID_FC_SCALE_H

#include <stddef.h>

#include "forecast/fc_model.h"
#include "forecast/fc_quantile.h"

#define FC_SCALE_N   12      /* the place's latest errors looked at */
#define FC_SCALE_MIN 6       /* fewer known: no scaling */
/* The factor's bounds. Never wider than the pool: widening a log-scale
 * spread stretches the upper tail of the counts, which cost far more in
 * WIS than it gained (bounds 0.5-2: relative WIS 1.16 for cases against
 * 0.97 unscaled). docs/forecasts.md has the loop that chose them. */
#define FC_SCALE_LO  0.5
#define FC_SCALE_HI  0.9

/* One place and target's forecasts so far, week by week. */
struct fc_scale {
	size_t         n_weeks;
	double        *x;        /* [week][FC_HORIZONS] log point forecasts */
	const double **w;        /* [week] the series the forecast came from */
};

int fc_scale_init(struct fc_scale *s, size_t n_weeks);
void fc_scale_free(struct fc_scale *s);
/* Forgets every forecast (a new place or target). */
void fc_scale_reset(struct fc_scale *s);
/* Records the forecasts x made at week t from series w. */
void fc_scale_note(struct fc_scale *s, size_t t, const double *w,
    const double x[FC_HORIZONS]);

/* Half the interquartile range of the place's errors h weeks ahead over
 * its latest FC_SCALE_N origins whose outcome was known at week t; NAN
 * with fewer than FC_SCALE_MIN. scratch holds FC_SCALE_N doubles. */
double fc_scale_spread(const struct fc_scale *s, size_t t, int h,
    double *scratch);

/* The factor for pooled error quantiles e[]: the place's spread over the
 * pool's half interquartile range, within [lo, hi]; 1 when either is
 * unknown or the pool's is 0. */
double fc_scale_factor(double place_spread, const double e[QF_NQ],
    double lo, double hi);

/* Scales e[] about its median by f, in place. */
void fc_scale_apply(double e[QF_NQ], double f);

#endif
