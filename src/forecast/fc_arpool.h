/* fc_arpool: the autoregression of growth (fc_ar) fitted on every place
 * together, the coefficients each place's own fit is pulled towards. A
 * place's own fit rests on a year of its weeks at most, and its ridge
 * pulled it to 0, the flat forecast; how growth persists and how much of
 * the cases' growth reaches the deaths is much the same from place to
 * place, so the pooled fit is the better prior. Pooled by size class of
 * the last week's total (fc_pool_stratum: a small count's growth is
 * mostly noise, which a large one's is not). The coefficients at origin t
 * come from the rows of growth into weeks up to t only, over the same
 * FC_AR_WEEKS weeks and with the same decay as a place's fit: no
 * look-ahead. Each row weighs the same whatever the place. Fixed size
 * whatever the number of places. Why: docs/forecasts.md. */
#ifndef COVID_FC_ARPOOL_H
#define COVID_FC_ARPOOL_H

#include <stddef.h>

#include "forecast/fc_ar.h"

/* A pooled fit's own ridge, as a share of the rows' weight: it only keeps
 * the solve stable (thousands of rows). */
#define FC_ARPOOL_RIDGE 0.001
/* Fewer rows than this in a class at an origin: no prior (0). */
#define FC_ARPOOL_MIN 50

struct fc_arpool;

struct fc_arpool *fc_arpool_new(size_t n_weeks);
void fc_arpool_free(struct fc_arpool *p);

/* Adds the row of the growth into week i of w (lead: NULL for cases, the
 * weekly cases for deaths), when it is known. */
void fc_arpool_add(struct fc_arpool *p, int target, const double *w,
    const double *lead, size_t i);

/* After the last row: solves the pooled fit of every class and origin. */
void fc_arpool_finish(struct fc_arpool *p);

/* The pooled coefficients (FC_AR_MAXP) for a place of target whose last
 * week's total at origin t was last; NULL when too few rows were known. */
const double *fc_arpool_coef(const struct fc_arpool *p, int target,
    double last, size_t t);

#endif
