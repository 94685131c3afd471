/* fc_pool: the model's past errors, pooled over places, from which its
 * intervals come: log(outcome + 1) - log(point forecast + 1), counted by
 * target, horizon, the size of the last known week (a stratum: small
 * counts vary more) and the week the error became known. The quantiles at
 * origin t use only the errors that became known in the FC_POOL_WEEKS
 * weeks up to t: no look-ahead, and intervals that widen and narrow with
 * how predictable the weeks just before were (32 weeks: with the
 * per-place spread factors of fc_stack a longer memory than the first
 * model's 12 weeks did better, docs/forecasts.md). Fixed size
 * whatever the number of places. */
#ifndef COVID_FC_POOL_H
#define COVID_FC_POOL_H

#include <stddef.h>

#include "forecast/fc_model.h"
#include "forecast/fc_quantile.h"

/* An origin needs at least this many errors in its stratum (else it uses
 * every stratum's; with fewer than this in all, the model does not
 * forecast from it). */
#define FC_POOL_MIN 100
#define FC_POOL_WEEKS 32

struct fc_pool;

struct fc_pool *fc_pool_new(size_t n_weeks);
void fc_pool_free(struct fc_pool *p);

/* Adds the errors of the model's forecasts from week t of w[0..n_weeks-1]
 * (x: its log point forecasts 1..FC_HORIZONS weeks ahead) whose outcomes
 * are known. */
void fc_pool_add_errors(struct fc_pool *p, int target, size_t t,
    const double *w, size_t n_weeks, const double x[FC_HORIZONS]);

/* After the last error: turns the counts into quantiles per origin. */
void fc_pool_finish(struct fc_pool *p);

/* The QF_NQ error quantiles for a forecast h weeks ahead from week t whose
 * last week's total was last; NULL when too few errors were known by t.
 * The array is the pool's, valid until the next call. */
const double *fc_pool_quantiles(struct fc_pool *p, int target, int h,
    double last, size_t t);

/* The size stratum of a weekly total: 0 under 10, then one every half
 * decade (10, 30, 100, ..., 10,000 and more: 7). Small counts' log errors
 * are wider, and how much wider changes at every scale, not only at 20,
 * 200 and 2,000 (the four strata before). A class under 3 too did a
 * little better for deaths but made their 50 % intervals cover more
 * (docs/forecasts.md). */
#define FC_POOL_NSTRATA 8
int fc_pool_stratum(double last);

#endif
