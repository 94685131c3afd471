/* fc_baseline: the COVID-19 Forecast Hub's COVIDhub-baseline, as the Hub
 * described it: the median at every horizon is the last observed weekly
 * total; the spread is that of all past first differences of the weekly
 * series and their negatives, recentred on the last value and truncated at
 * 0. The same distribution at every horizon. */
#ifndef COVID_FC_BASELINE_H
#define COVID_FC_BASELINE_H

#include <stddef.h>

#include "forecast/fc_quantile.h"

/* The baseline's quantiles from weeks w[0..t] (NAN = unknown; w[t] must be
 * known): the differences of consecutive known weeks up to t. scratch holds
 * 2 (t + 1) doubles. 0, or -1 when w[t] is unknown or there is no
 * difference yet. */
int fc_baseline(const double *w, size_t t, double *scratch, double q[QF_NQ]);

#endif
