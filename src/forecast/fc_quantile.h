/* fc_quantile: empirical quantiles of a sample, and a pooled histogram of
 * forecast errors whose quantiles give a model's intervals (at the levels
 * of query_forecast.h). */
#ifndef COVID_FC_QUANTILE_H
#define COVID_FC_QUANTILE_H

#include <stddef.h>

#include "query/query_forecast.h"   /* QF_NQ, qf_levels: the 23 levels */

#define FC_MEDIAN 11       /* index of the 0.5 level in qf_levels */
#define FC_Q25    6        /* of the 0.25 level */
#define FC_Q75    16       /* of the 0.75 level */

/* The p-quantile of sorted[0..n-1] by linear interpolation between order
 * statistics (Hyndman and Fan's type 7, R's default, which the Hub's
 * baseline used); NAN when n is 0. */
double fc_quantile_sorted(const double *sorted, size_t n, double p);

/* Sorts v[0..n-1] ascending. */
void fc_sort(double *v, size_t n);

/* A histogram of log errors on a fixed grid: FC_HIST_BINS bins of width
 * FC_HIST_WIDTH centred on 0; values beyond the grid land in its end bins.
 * Fixed size, so the pool of every place's past errors costs the same
 * memory whatever the number of places. */
#define FC_HIST_BINS  1601
#define FC_HIST_WIDTH 0.01

int fc_hist_bin(double x);
double fc_hist_centre(int bin);

/* The QF_NQ quantiles of a histogram with total counts n (the sum of
 * counts[]), each the centre of the bin where the cumulative count first
 * reaches level * n (the inverse of the empirical distribution). */
void fc_hist_quantiles(const unsigned *counts, unsigned long n,
    double out[QF_NQ]);

#endif
